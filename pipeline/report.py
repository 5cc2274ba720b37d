"""Stage `report`: the run's tables -> Dutch summaries (summary.md).

Needs: the output tables of a run (segments with themes, themes, matrix). Adds: text only; it
learns nothing and reads nothing from disk, so summaries can be regenerated from a run folder.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["prevalence_phrase", "quantifier", "select_quotes", "summary_markdown", "short_quote"]


def quantifier(n: int, total: int) -> str:
    """Dutch quantifier word for n of total cases, as the 2019 report uses them."""
    if total <= 0 or n <= 0:
        return "geen enkele stad"
    if n == total:
        return "alle steden"
    share = n / total
    if share >= 0.7:
        return "de meeste steden"
    if share >= 0.35:
        return "verschillende steden"
    if n >= 2:
        return "enkele steden"
    return "één stad"


def prevalence_phrase(n: int, total: int) -> str:
    """'in 9 van de 14 steden (de meeste steden)'."""
    return f"in {n} van de {total} steden ({quantifier(n, total)})"


def short_quote(text: str, limit: int = 320) -> str:
    """The quote cut at a sentence end near `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > limit // 3 else text[:limit].rsplit(" ", 1)[0] + " …"


def select_quotes(segments: pd.DataFrame, theme_id: str, n: int = 3) -> pd.DataFrame:
    """The most central segments of a theme, one per case first so quotes spread over cities."""
    members = segments[segments["theme_id"] == theme_id]
    members = members.sort_values(["theme_score", "segment_id"], ascending=[False, True], kind="stable")
    first_per_case = members.drop_duplicates("case")
    chosen = pd.concat([first_per_case, members.drop(first_per_case.index)]).head(n)
    return chosen


def _source(row) -> str:
    where = f"{row.case}, {row.source_file}"
    if getattr(row, "location", ""):
        where += f", {row.location}"
    if getattr(row, "speaker", ""):
        where += f" ({row.speaker})"
    return where


def summary_markdown(segments: pd.DataFrame, themes: pd.DataFrame, info: dict, n_quotes: int = 3) -> str:
    """The run summary in Dutch Markdown: per theme its label, spread over cities and quotes."""
    cases = sorted(segments["case"].unique())
    total = len(cases)
    counts = info.get("counts", {})
    lines = [
        "# Thema's over de steden heen",
        "",
        f"Analyse van {counts.get('documents', '?')} documenten uit {total} steden "
        f"({', '.join(cases)}). Van de {counts.get('segments', '?')} tekstfragmenten werden er "
        f"{counts.get('clustered', '?')} in thema's ingedeeld; {counts.get('unassigned', '?')} "
        f"fragmenten passen bij geen enkel thema en staan als 'niet toegewezen' in segments.csv.",
        "",
        "Zie run.json in dezelfde map voor de instellingen, versies en overgeslagen bestanden.",
        "",
    ]
    for theme in themes.itertuples(index=False):
        lines += [
            f"## {theme.theme_id} · {theme.label}",
            "",
            f"Dit thema komt voor {prevalence_phrase(int(theme.n_cases), total)}, "
            f"in {theme.n_segments} fragmenten. Steden: {theme.cases.replace('; ', ', ')}.",
            "",
            f"Kernwoorden: {theme.top_terms.replace('; ', ', ')}.",
            "",
            "Citaten:",
            "",
        ]
        for row in select_quotes(segments, theme.theme_id, n_quotes).itertuples(index=False):
            lines += [f"> «{short_quote(row.text)}»", f"> — {_source(row)}", ""]
    return "\n".join(lines).rstrip() + "\n"
