"""The report context: the tables of a run as the plain values summary.md and report.html show.

`report_context(tables)` is the one place that decides what the reports say (figures, the theme x
city table with its colours, per theme its description, prevalence, quotes, mechanisms and
practices, the method appendix); `_markdown` and `_html` only lay it out. `theme_city_matrix` is
the run's matrix.csv in theme and city order, for every output that shows counts per city.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ..analysis.mechanisms import REASONS, SPEECH, analyst_status
from ..analysis.themes import MOVED_WORDS
from ..language import OTHER_LANGUAGE
from ..privacy import MONTHS
from ..schema import cell_items
from ..store import RunTables
from ._wording import (EXCLUDED_EXPLAINED, KIND_PHRASE, NOT_AVAILABLE, STAGES_NL, CITIES, CaseNoun, case_noun, coverage_phrase,
                       describe_theme, dutch_date, embed_name, fragments, function_label, joined, listing, number, prevalence_phrase, quantifier, quantifier_scale,
                       select_quotes, session_kind, short_names, short_quote, topic)

__all__ = ["report_context", "mechanism_screening", "theme_city_matrix", "local_path", "report_cases", "heat_colour", "plot_stems", "PLOTS_DIR",
           "title", "plot_titles"]


def title(noun: CaseNoun) -> str:
    """The reports' title: 'Stadsgenoten — thema's over de steden heen'."""
    return f"Stadsgenoten — thema's over de {noun.plural} heen"


_STAGE_ORDER = {name: i for i, name in enumerate(STAGES_NL)}
_SESSION_ORDER = {"gesprekstafel": 0, "metagesprek": 1, "schriftelijk": 2, "onbekend": 9}
_PATH_KEYS = ("corpus.path", "output.out_dir", "output.cache_dir")
PLOTS_DIR = "plots"  # the figures' folder inside the run folder; the reports link to it relatively


def plot_titles(noun: CaseNoun) -> dict[str, tuple[str, str]]:
    """Per figure (its file stem) its title and the report section it stands in (the anchors stay
    as they are, whatever the cases are called)."""
    return {
        "heatmap": (f"Thema's per {noun.singular}: aantal fragmenten", "thema-per-stad"),
        "theme_sizes": ("Grootte van de thema's", "thema-per-stad"),
        "mechanism_spread": (f"Mechanismen over de {noun.plural} heen", "mechanismen"),
    }


# A sequential blue scale (ColorBrewer "Blues"), light to dark.
_BLUES = [(0.0, (239, 243, 255)), (0.25, (198, 219, 239)), (0.5, (107, 174, 214)),
          (0.75, (49, 130, 189)), (1.0, (8, 69, 148))]


def heat_colour(value: float, vmax: float) -> tuple[str, str]:
    """(background, text colour) for a heatmap cell; 0 is white."""
    if value <= 0 or vmax <= 0:
        return "#ffffff", "#9aa5b1"
    x = min(max(value / vmax, 0.0), 1.0)
    x = 0.12 + 0.88 * x  # even one fragment gets a visible tint
    for (x0, c0), (x1, c1) in zip(_BLUES, _BLUES[1:]):
        if x <= x1:
            t = (x - x0) / (x1 - x0) if x1 > x0 else 0.0
            rgb = tuple(round(a + (b - a) * t) for a, b in zip(c0, c1))
            break
    luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    return "#%02x%02x%02x" % rgb, ("#ffffff" if luminance < 140 else "#0b2545")


def report_cases(tables: RunTables) -> list[str]:
    """The cities of the run: from its documents, or its segments when the documents table is empty."""
    return tables.cases if len(tables.documents) else sorted(tables.segments["case"].unique())


def theme_city_matrix(tables: RunTables, cases: list[str] | None = None) -> pd.DataFrame:
    """The run's matrix table (fragments per theme and city) with themes as rows in themes.csv order
    and `cases` (default: `report_cases`) as columns; a city or theme it lacks counts 0."""
    cases = report_cases(tables) if cases is None else cases
    matrix = tables.matrix.set_index("theme_id") if "theme_id" in tables.matrix.columns else tables.matrix
    return matrix.reindex(index=list(tables.themes["theme_id"]), columns=cases, fill_value=0).fillna(0).astype(int)


# --- small helpers ------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text; missing values (None, NaN) are ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _anchor(prefix: str, value: str) -> str:
    return f"{prefix}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-") or "x")


def _ids(value) -> list[str]:
    return [t.strip() for t in re.split(r"[;,]", str(value or "")) if t.strip()]


def _flatten(obj, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if isinstance(obj, dict):
        for key in sorted(obj):
            rows += _flatten(obj[key], f"{prefix}.{key}" if prefix else str(key))
    else:
        if isinstance(obj, (list, tuple)):
            value = ", ".join(str(v) for v in obj) if obj else "—"
        elif obj == "" or obj is None:
            value = "—"
        else:
            value = json.dumps(obj, ensure_ascii=False) if isinstance(obj, bool) else str(obj)
        rows.append((prefix, value))
    return rows


def local_path(key: str, value: str) -> str:
    """Folders on the analyst's machine by their last name only: the report is shared, run.json has them."""
    if key in _PATH_KEYS and value not in ("", "—"):
        return f"…/{Path(value).name}"
    return value


def _strip_root(message: str, root: str) -> str:
    """'/home/x/corpus/a.pdf: ...' -> 'a.pdf: ...' (paths relative to the corpus, as elsewhere)."""
    if not root:
        return message
    root = root.rstrip("/")
    return message.replace(root + "/", "").replace(root, Path(root).name)


def plot_stems(tables: RunTables) -> list[str]:
    """The figures a run has (`_plots` draws exactly these): heatmap and theme sizes when it has
    themes, the mechanism spread when it has mechanisms."""
    stems = ["heatmap", "theme_sizes"] if len(tables.themes) else []
    return stems + (["mechanism_spread"] if tables.mechanisms is not None and len(tables.mechanisms) else [])


def _plots(tables: RunTables, noun: CaseNoun) -> list[dict]:
    titles = plot_titles(noun)
    return [{"stem": stem, "svg": f"{PLOTS_DIR}/{stem}.svg", "png": f"{PLOTS_DIR}/{stem}.png",
             "title": titles[stem][0], "section": titles[stem][1]} for stem in plot_stems(tables)]


def _reference(source_file: str, segment_id: str) -> str:
    """Where a quote comes from, as the key of segments.csv (which holds its character offsets):
    the segment id alone when it starts with the file ('gent/gent_tafel1.docx:0012'), else both."""
    if not segment_id:
        return source_file
    if not source_file or segment_id.startswith(source_file):
        return segment_id
    return f"{source_file}, fragment {segment_id}"


def _quote(row: dict, terms: list[str] | None = None) -> dict:
    """A quote of a segment; given its theme's top terms, the passage that says them (`short_quote`)."""
    source_file, segment_id = _text(row.get("source_file")), _text(row.get("segment_id"))
    return {
        "text": short_quote(_text(row.get("text")), terms=terms),
        "case": _text(row.get("case")),
        "source_file": source_file,
        "location": _text(row.get("location")),
        "speaker": _text(row.get("speaker")),
        "segment_id": segment_id,
        "ref": _reference(source_file, segment_id),
    }


def _spread(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to n rows, one per case first, in the frame's order."""
    if frame.empty:
        return frame
    first = frame.drop_duplicates("case")
    return pd.concat([first, frame.drop(first.index)]).head(n)


# --- the parts of the context -------------------------------------------------------------------


def _sessions(docs: pd.DataFrame) -> list[dict]:
    """Session kinds with their documents, cities and table topics."""
    if "session" not in docs.columns:
        return []
    kinds: dict[str, dict] = {}
    for doc in docs.itertuples(index=False):
        kind = session_kind(str(doc.session)) or "onbekend"
        entry = kinds.setdefault(kind, {"documents": 0, "cases": set(), "topics": Counter()})
        entry["documents"] += 1
        entry["cases"].add(doc.case)
        if topic(str(doc.session)):
            entry["topics"][topic(str(doc.session))] += 1
    rows = []
    for kind in sorted(kinds, key=lambda k: (_SESSION_ORDER.get(k, 5), k)):
        entry = kinds[kind]
        name = KIND_PHRASE[kind][1] if kind in KIND_PHRASE else (
            "Sessie niet opgegeven" if kind == "onbekend" else kind)
        rows.append({
            "name": name,
            "documents": entry["documents"],
            "n_cases": len(entry["cases"]),
            "topics": [f"{t} ({n})" for t, n in sorted(entry["topics"].items(), key=lambda kv: (-kv[1], kv[0]))],
        })
    return rows


def _spoken_written(docs: pd.DataFrame | None) -> tuple[bool, bool]:
    """Whether the run read notes of conversations and whether written answers, from the documents'
    session kinds (a round of written answers only is no conversation)."""
    has_session = docs is not None and "session" in docs.columns and len(docs)
    kinds = {session_kind(str(s)) for s in docs["session"]} if has_session else set()
    return bool(kinds - {"schriftelijk"}) or not kinds, "schriftelijk" in kinds


def _sources(docs: pd.DataFrame) -> str:
    """What the run read, for the reports' opening: 'gespreksnotities', 'schriftelijke antwoorden' or both."""
    spoken, written = _spoken_written(docs)
    return " en ".join(name for name, present in (("gespreksnotities", spoken), ("schriftelijke antwoorden", written))
                       if present)


def texts_read(docs: pd.DataFrame | None) -> str:
    """What quotes are taken from, in a sentence: 'de notities', 'de antwoorden' (a round of written
    answers has no notes) or 'de notities en antwoorden'."""
    spoken, written = _spoken_written(docs)
    return "de " + " en ".join(name for name, present in (("notities", spoken), ("antwoorden", written)) if present)


def _mechanism_quotes(mech: dict, evidence: pd.DataFrame | None, segments_by_id: dict) -> list[dict]:
    """Up to four quotes: the mechanism's evidence spread over cities, else its example segments."""
    mid = _text(mech.get("mechanism_id"))
    rows = evidence[evidence["mechanism_id"].astype(str) == mid] if evidence is not None and len(evidence) else None
    if rows is not None and len(rows):
        quotes = []
        for ev in _spread(rows, 4).to_dict("records"):
            seg = segments_by_id.get(_text(ev.get("segment_id")), {})
            q = _quote({**seg, **{k: v for k, v in ev.items() if _text(v)}})
            q["function"] = function_label(_text(ev.get("function")))  # Dutch, as every output shows it
            quotes.append(q)
        return quotes
    ids = _ids(_text(mech.get("example_segment_ids")))
    return [{**_quote(seg), "function": ""} for seg in [segments_by_id[s] for s in ids if s in segments_by_id][:4]]


def _mechanisms(tables: RunTables, theme_labels: dict[str, str], total: int, segments_by_id,
                noun: CaseNoun) -> list[dict] | None:
    if tables.mechanisms is None:
        return None
    out = []
    for mech in tables.mechanisms.to_dict("records"):
        mid = _text(mech.get("mechanism_id"))
        cases = cell_items(mech.get("cases"))
        n_cases = int(pd.to_numeric(_text(mech.get("n_cases")) or len(cases)))
        quotes = _mechanism_quotes(mech, tables.mechanism_evidence, segments_by_id)
        # in the order of the themes: a merge in the overrides rewrites an id where it stood ("T20; T08")
        listed = set(_ids(_text(mech.get("themes"))))
        theme_ids = [t for t in theme_labels if t in listed] + sorted(listed - set(theme_labels))
        out.append({
            "id": mid,
            "anchor": _anchor("mechanisme", mid),
            "label": _text(mech.get("label")),
            # "bevestigd door analist", "nieuw door analist", ...: the overrides file's mechanism lines
            "analyst": analyst_status(_text(mech.get("source"))),
            "n_cases": n_cases,
            "quantifier": quantifier(n_cases, total, noun),
            "prevalence": prevalence_phrase(n_cases, total, noun),
            "in_cases": noun(n_cases),
            "cases": cases,
            "n_segments": int(pd.to_numeric(_text(mech.get("n_segments")) or 0)),
            "fragments": fragments(int(pd.to_numeric(_text(mech.get("n_segments")) or 0))),
            "themes": [{"id": t, "label": theme_labels.get(t, ""), "anchor": _anchor("thema", t)}
                       for t in theme_ids if t in theme_labels],
            "theme_ids": theme_ids,
            "quotes": quotes,
        })
    return out


def _practices(tables: RunTables, segments_by_id: dict) -> list[dict] | None:
    if tables.practices is None:
        return None
    out = []
    for row in tables.practices.to_dict("records"):
        source_file, segment_id = _text(row.get("source_file")), _text(row.get("segment_id"))
        out.append({
            "name": _text(row.get("practice")),
            "case": _text(row.get("case")),
            "theme_id": _text(row.get("theme_id")),
            "source_file": source_file,
            "segment_id": segment_id,
            "ref": _reference(source_file, segment_id),
            # page or sheet row of its segment ('p. 2', 'Antwoorden rij 14'), '' when unknown
            "location": _text(segments_by_id.get(segment_id, {}).get("location")),
            "text": short_quote(_text(row.get("text")), 360),
        })
    return sorted(out, key=lambda p: (p["case"], p["name"], p["segment_id"]))


def _practices_by_case(practices: list[dict] | None, labels: dict[str, str]) -> list[dict] | None:
    if practices is None:
        return None
    groups = []
    for case in sorted({p["case"] for p in practices}):
        items = [dict(p, theme_label=labels.get(p["theme_id"], ""), theme_anchor=_anchor("thema", p["theme_id"]))
                 for p in practices if p["case"] == case]
        groups.append({"case": case, "practices": items})
    return groups


def _heatmap(tables: RunTables, cases: list[str]) -> dict:
    """The theme x city table of counts with a colour per cell, from the run's matrix table."""
    matrix = theme_city_matrix(tables, cases)
    vmax = int(matrix.values.max()) if matrix.size else 0
    rows = []
    for theme in tables.themes.itertuples(index=False):
        cells = []
        for case in cases:
            value = int(matrix.at[theme.theme_id, case])
            bg, fg = heat_colour(value, vmax)
            cells.append({"value": value, "bg": bg, "fg": fg, "case": case})
        rows.append({"id": theme.theme_id, "label": theme.label, "anchor": _anchor("thema", theme.theme_id),
                     "cells": cells, "n_cases": int(theme.n_cases), "n_segments": int(theme.n_segments)})
    legend = [{"value": v, "bg": heat_colour(v, vmax)[0], "fg": heat_colour(v, vmax)[1]}
              for v in sorted({0, 1, max(vmax // 4, 1), max(vmax // 2, 1), vmax})] if vmax else []
    # the column heads: long case names shortened (the full name shows on hover)
    return {"cases": cases, "heads": short_names(cases), "rows": rows, "totals": [int(matrix[c].sum()) for c in cases],
            "vmax": vmax,
            "legend": legend}


def _themes(tables: RunTables, cases: list[str], mechanisms, practices, n_quotes: int, noun: CaseNoun) -> list[dict]:
    segments = tables.segments
    total = len(cases)
    notes = ((tables.info or {}).get("overrides") or {}).get("notes", {})
    sessions = segments["session"].fillna("") if "session" in segments.columns else pd.Series([], dtype=str)
    one_kind = len({session_kind(str(s)) for s in sessions} - {""}) <= 1
    items = []
    for theme in tables.themes.itertuples(index=False):
        members = segments[segments["theme_id"] == theme.theme_id]
        terms = cell_items(theme.top_terms)
        quotes = [_quote(r, terms) for r in select_quotes(segments, theme.theme_id, n_quotes).to_dict("records")]
        items.append({
            "id": theme.theme_id,
            "anchor": _anchor("thema", theme.theme_id),
            "label": theme.label,
            "description": describe_theme(members, noun, one_kind),
            "terms": terms,
            "n_segments": int(theme.n_segments),
            "fragments": fragments(int(theme.n_segments)),
            "n_cases": int(theme.n_cases),
            "quantifier": quantifier(int(theme.n_cases), total, noun),
            "prevalence": prevalence_phrase(int(theme.n_cases), total, noun),
            "cases": cell_items(theme.cases),
            "absent": [c for c in cases if c not in cell_items(theme.cases)],
            "quotes": quotes,
            "mechanisms": None if mechanisms is None else [m for m in mechanisms if theme.theme_id in m["theme_ids"]],
            "practices": None if practices is None else [p for p in practices if p["theme_id"] == theme.theme_id],
            "note": notes.get(theme.theme_id, ""),
        })
    return items


def _figures(tables: RunTables, counts: dict, total: int, mechanisms, practices, noun: CaseNoun) -> list[tuple[str, str]]:
    return [
        (number(counts.get("documents", len(tables.documents))), "documenten"),
        (number(total), noun.singular if total == 1 else noun.plural),
        (number(counts.get("segments", len(tables.segments))), "tekstfragmenten"),
        (number(counts.get("clustered", "?")), "geanalyseerd"),
        (number(len(tables.themes)), "thema's"),
        (number(len(mechanisms)) if mechanisms is not None else "—", "mechanismen"),
        (number(len(practices)) if practices is not None else "—", "praktijken"),
    ]


def _unanalysed_note(segments: pd.DataFrame, cases: list[str], noun: CaseNoun) -> str:
    """A sentence naming the cases none of whose fragments was analysed (a French-only sitting, a file
    of facilitator turns) and why, or "": they count in 'in 2 van de 4 steden' and 'niet in: …', where
    no theme could be, and a reader must know that."""
    if not len(segments) or not {"case", "analysed", "excluded_reason"} <= set(segments.columns):
        return ""
    analysed = segments.groupby("case")["analysed"].any()
    empty = [case for case in cases if case in analysed.index and not analysed[case]]
    if not empty:
        return ""

    def why(case: str) -> str:
        reasons = Counter(segments.loc[segments["case"] == case, "excluded_reason"].fillna("").replace("", "?"))
        return f"{case} ({', '.join(f'{r}: {n}' for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))})"

    counts = "telt" if len(empty) == 1 else "tellen"
    return (f"Van {noun(len(empty))} werd geen enkel fragment geanalyseerd: {listing([why(c) for c in empty])}. "
            f"Daar kan geen thema voorkomen, maar in 'in … van de {noun(len(cases))}' {counts} "
            f"{joined(empty)} wel mee.")


def _other_language(segments: pd.DataFrame) -> str:
    """' in het Nederlands (3 in een andere taal, zie de bijlage)' when statements were left out for their
    language, else ''."""
    n = int((segments["excluded_reason"] == OTHER_LANGUAGE).sum()) if "excluded_reason" in segments.columns else 0
    return f" in het Nederlands ({number(n)} in een andere taal, zie de bijlage)" if n else ""


def _leaders(segments: pd.DataFrame) -> str:
    """Whose turns the method says were left out: the facilitator's, the chair's or both, as the
    segments' reasons say ("Beurten van de voorzitter" in a parliament's transcripts)."""
    reasons = set(segments["excluded_reason"].fillna("")) if "excluded_reason" in segments.columns else set()
    who = [w for r, w in (("facilitator", "de gespreksleider"), ("voorzitter", "de voorzitter")) if r in reasons]
    return "Beurten van " + " en ".join(who or ["de gespreksleider"])


def _excluded(segments: pd.DataFrame) -> list[dict]:
    """Why fragments were not analysed, most frequent reason first."""
    excluded = (segments["excluded_reason"].fillna("") if "excluded_reason" in segments.columns
                else pd.Series([], dtype=str))
    return [{"reason": r, "n": int(n), "explained": EXCLUDED_EXPLAINED.get(r, "")}
            for r, n in sorted(Counter(excluded[excluded != ""]).items(), key=lambda kv: (-kv[1], kv[0]))]


def _files_read(inputs: list[dict], documents: pd.DataFrame | None, noun: CaseNoun) -> str:
    """'alle 43 bestanden' or '7 van de 8 bestanden', and why the overview counts more documents when it does: a
    spreadsheet of written answers gives one document per case ("antwoorden.xlsx#Gent")."""
    n_read = sum(1 for f in inputs if f.get("status") == "read")
    # '7 van de 8 bestanden' when some were skipped; else no '1 van de 1 bestanden'
    phrase = (f"{number(n_read)} van de {number(len(inputs))} bestanden" if n_read < len(inputs)
              else "1 bestand" if n_read == 1 else f"alle {number(n_read)} bestanden")
    n_docs = 0 if documents is None else len(documents)
    if n_docs > n_read and documents["doc_id"].astype(str).str.contains("#", regex=False).any():
        phrase += (f", samen {number(n_docs)} documenten: een rekenblad met antwoorden uit meerdere {noun.plural} "
                   f"telt per {noun.singular} als een document")
    return phrase


def _method(tables: RunTables, noun: CaseNoun) -> dict:
    """The method appendix: settings, versions, what was read and skipped, timings, overrides."""
    info = tables.info or {}
    config = info.get("config", {})
    inputs = info.get("inputs", [])
    corpus_path = str(config.get("corpus", {}).get("path", ""))
    seconds = info.get("seconds", {})
    return {
        "config": [(k, _known_cases_used(config, tables) if k == "corpus.known_cases" else local_path(k, v))
                   for k, v in _flatten(config)],
        "versions": sorted((k, str(v)) for k, v in info.get("versions", {}).items()),
        "files_read": _files_read(inputs, tables.documents, noun),
        "skipped": info.get("skipped", []),
        "warnings": [_strip_root(str(w), corpus_path) for w in info.get("warnings", [])],
        "excluded": _excluded(tables.segments),
        "seconds": [(STAGES_NL.get(k, k), f"{float(v):.1f} s".replace(".", ","))
                    for k, v in sorted(seconds.items(), key=lambda kv: (_STAGE_ORDER.get(kv[0], 50), kv[0]))],
        "n_themes_model": info.get("themes_model", {}).get("n_themes"),
        # a round coded against an earlier round's themes or a saved model did not choose its number
        "k_auto": str(config.get("themes", {}).get("n_themes", "")) == "auto" and not any(
            info.get("themes_model", {}).get(k) for k in ("compared_with", "coded_with_model")),
        "outlier_quantile": config.get("themes", {}).get("outlier_quantile"),
        "embed_backend": embed_name(str(config.get("embed", {}).get("backend", ""))),
        "overrides": info.get("overrides") or {},
        "mechanism_lines": _analyst_mechanisms(tables).get("lines", []),
        # `regenerate` never rewrites the run's tables, so an analyst comparing them with the report must know
        "overrides_note": TABLES_AS_FOUND if info.get("overrides") else "",
        "mechanisms_how": _mechanisms_how(config.get("mechanisms", {}), noun, texts_read(tables.documents))
        + _earlier_mechanisms_how(config, noun),
        "k_choice": _k_choice(info.get("themes_model", {})),
        "ids_note": _ids_note(info.get("themes_model", {}), list(tables.themes["theme_id"])),
    }


def _ids_note(themes_model: dict, theme_ids: list[str]) -> str:
    """Why theme numbers are missing when they were matched to an earlier run of the corpus (the report
    showed 'T01, T03' beside 'Thema's: 2'), or "" (also when none is missing: a rerun that finds the
    same themes writes the same report)."""
    if not themes_model.get("ids_matched_to"):
        return ""
    numbers = sorted(int(t[1:]) for t in theme_ids if re.fullmatch(r"T\d+", str(t)))
    width = max((len(str(t)) - 1 for t in theme_ids), default=2)
    missing = [f"T{n:0{width}d}" for n in range(1, numbers[-1] + 1) if n not in numbers] if numbers else []
    if not missing:
        return ""
    return ("De themanummers volgen die van een eerdere run van hetzelfde corpus (run.json: ids_matched_to): een "
            "thema dat op een thema van die run lijkt, houdt zijn nummer, zodat aanpassingen van de analist blijven "
            f"gelden. {'Nummer' if len(missing) == 1 else 'Nummers'} {joined(missing)} "
            f"{'hoort' if len(missing) == 1 else 'horen'} bij een eerder thema dat in deze run niet voorkomt.")


def _known_cases_used(config: dict, tables: RunTables) -> str:
    """The known cases this run had: a run of other cases (ministries, parties) under the default list
    of the 14 cities must not read as a run of those cities. The list's other names are counted."""
    known = list(config.get("corpus", {}).get("known_cases") or [])
    if not known:
        return "—"
    met = [k for k in known if k in set(tables.cases)]
    if not met:
        return f"— (geen van de {len(known)} namen in de lijst kwam in deze run voor)"
    rest = len(known) - len(met)
    return ", ".join(met) + (f" (en {rest} andere uit de lijst, niet in deze run)" if rest else "")


K_CHOICE_WINDOW = 3  # the table shows each good k with this many neighbours on each side


TABLES_AS_FOUND = ("De tabellen van de runmap (segments.csv, themes.csv, matrix.csv, mechanisms.csv, practices.csv …) "
                   "blijven zoals de analyse ze vond; dit rapport, summary.md, de werkmap, het .qdpx-bestand en de "
                   "codeboeken tonen de aanpassingen.")


def _k_choice(model: dict) -> dict | None:
    """How the automatic number of themes was chosen, in Dutch: the criterion around the two or
    three best k (a table; every k is in run.json) and those k; None when k was given or the run
    predates the criterion."""
    scores, criterion, best = model.get("modularity_by_k") or {}, model.get("criterion_by_k") or {}, model.get("best_k") or []
    if len(scores) < 2 or not criterion or not best:
        return None
    def nl(x: float) -> str:
        return f"{float(x):.3f}".replace(".", ",")
    ks = sorted(int(k) for k in scores)
    labels = {best[0]: "gekozen", **{k: "alternatief" for k in best[1:]}}
    def at(per_k: dict, k: int) -> float:  # keys are strings once read back from run.json
        return per_k[str(k)] if str(k) in per_k else per_k[k]
    near = [i for i, k in enumerate(ks) if any(abs(i - ks.index(b)) <= K_CHOICE_WINDOW for b in best if b in ks)]
    rows = []
    for before, i in zip([None] + near, near):
        if before is not None and i > before + 1:
            rows.append(["…", "", "", ""])  # the k left out of the table
        rows.append([ks[i], nl(at(scores, ks[i])), nl(at(criterion, ks[i])), labels.get(ks[i], "")])
    resamples = model.get("criterion_resamples", "meerdere")  # runs from before it was recorded
    how = (f"Het aantal thema's werd automatisch gekozen uit {ks[0]} tot {ks[-1]}. Voor elk aantal werden de "
           "fragmenten in een netwerk van gelijkende fragmenten in zoveel groepen verdeeld en werd de modulariteit "
           "van die indeling berekend (hoeveel meer verbindingen binnen de groepen liggen dan bij toeval)")
    if resamples:
        how += (f", gemiddeld over het hele netwerk en {resamples} netwerken zonder een willekeurig tiende van de "
                "fragmenten; het criterium is die modulariteit gemiddeld over de naburige aantallen (hoe dichterbij, "
                "hoe zwaarder het weegt). Aantallen waarvan het criterium binnen de ruis van de beste score valt (tot "
                f"{nl(model.get('criterion_tolerance', 0.0))} eronder) delen de fragmenten even goed in; het grootste "
                f"daarvan werd gekozen: {best[0]} thema's.")
    else:  # few candidates: the plain modularity decides
        how += f"; het aantal met de hoogste modulariteit werd gekozen: {best[0]} thema's."
    others = [str(k) for k in best[1:]]
    if others:
        how += f" Andere goede aantallen (hoogste criterium eerst): {' en '.join(others)}; te kiezen met --n-themes."
    if len(near) < len(ks):
        how += " De tabel toont de aantallen rond deze; alle aantallen staan in run.json (themes_model)."
    return {"how": how, "rows": rows, "best": best}


def _mechanisms_how(cfg: dict, noun: CaseNoun = CITIES, texts: str = "de notities") -> str:
    """How the mechanisms were found, in Dutch: from the notes alone, or a codebook first."""
    codebook = Path(str(cfg.get("codebook") or "")).name
    found = (f"Uitspraken die in betekenis en woorden op elkaar lijken, werden gegroepeerd; een groep geldt als "
             f"mechanisme wanneer ze in minstens {cfg.get('min_cases', 3)} {noun.plural} en onder minstens "
             f"{cfg.get('min_themes', 2)} thema's terugkomt en de uitspraken meer gemeen hebben dan één "
             "woord en meer dan de naam van een onderwerp (een onderwerp is nog geen mechanisme), en niet enkel "
             "een kader of stopwoorden ('Ik begrijp dat …', 'eerlijk gezegd'). Uitspraken die een persoon "
             "aanspreken of over een persoon gaan (vergadertaal) en uitspraken waarin de spreker over zichzelf "
             "vertelt (een anekdote, de eigen functie) worden niet gegroepeerd. Uitspraken waarvan de rest van het fragment "
             "bijna dezelfde tekst is (één vraag die overal gelijk beantwoord werd) vormen ook een onderwerp. "
             f"Lange zinnen die bijna woordelijk in verschillende {noun.plural} terugkomen (standaardantwoorden, "
             f"formulieren) tellen niet mee; een zin die letterlijk in meer {noun.plural} staat, telt één keer. Een "
             f"uitspraak telt als bewijs, en haar {noun.singular} als een {noun.singular} waar het mechanisme "
             f"terugkomt, alleen wanneer ze zegt wat ook een uitspraak uit nog een {noun.singular} zegt, of er "
             "in betekenis dicht genoeg bij staat. Gaan de meeste uitspraken van een groep over hetzelfde "
             "onderwerp, dan telt een uitspraak die enkel het kader deelt maar over iets anders gaat niet als "
             "bewijs ('De belangrijkste drempel blijft de versnippering van het aanbod' naast 'Taal blijft de "
             "belangrijkste drempel'). "
             "Het label is de meest centrale "
             "uitspraak van de groep, in de woorden van de deelnemers.")
    if codebook:
        return (f"Uitspraken werden eerst gecodeerd met het mechanismen-codeboek {codebook}, dat de analist "
                f"meegaf (label 'codeboek'). Voor de overige uitspraken: {found[0].lower()}{found[1:]}")
    return f"Mechanismen werden uit {texts} zelf gevonden, zonder codeboek. " + found


def _earlier_mechanisms_how(config: dict, noun: CaseNoun = CITIES) -> str:
    """How the earlier round's mechanisms coded this one (--compare-with), in Dutch ("" without)."""
    if not config.get("themes", {}).get("compare_with"):
        return ""
    cfg = config.get("mechanisms", {})
    also = (" Het mechanismen-codeboek van de analist codeerde ernaast; bij een uitspraak die op beide lijkt, "
            "wint het mechanisme waarop ze het meest lijkt." if cfg.get("codebook") else "")
    return (" Deze ronde werd eerst gecodeerd met de mechanismen van de vorige ronde, zoals de analist ze "
            "toen had (bevestigd, hernoemd, samengevoegd of nieuw; geschrapte niet, en uitspraken die op een "
            "geschrapt mechanisme lijken, worden niet gegroepeerd). Een uitspraak valt onder zo'n mechanisme "
            "wanneer ze even dicht bij het bewijs van toen staat als dat bewijs bij zichzelf; het mechanisme "
            f"houdt dan zijn label en telt als 'in beide rondes' wanneer het in minstens {cfg.get('min_cases', 3)} "
            f"{noun.plural} terugkomt (label 'vorige ronde')." + also)


def _screening(info: dict, noun: CaseNoun = CITIES) -> str:
    """How many candidate mechanisms were seen and why the others were left out, in Dutch ("" for
    runs written before the screening was recorded)."""
    seen = info.get("mechanism_screening") or {}
    if not seen:
        return ""
    n, reported = int(seen.get("candidates", 0)), int(seen.get("reported", 0))
    text = (f"{number(n)} groepen uitspraken kwamen in meer dan één {noun.singular} terug; {number(reported)} daarvan "
            f"{'werd' if reported == 1 else 'werden'} als mechanisme gerapporteerd.")
    # in the order the finder checks them (run.json sorts its keys)
    rejected, left_out = seen.get("not_reported", {}), seen.get("statements_left_out", {})
    reasons = [f"{REASONS[code].format(singular=noun.singular, plural=noun.plural)} ({number(rejected[code])})"
               for code in REASONS if rejected.get(code)]
    if reasons:
        text += " Niet gerapporteerd: " + "; ".join(reasons) + "."
    left = [f"{SPEECH[code]} ({number(left_out[code])})" for code in SPEECH if left_out.get(code)]
    if left:
        text += " Uitspraken die niet gegroepeerd werden: " + "; ".join(left) + "."
    return text


def _analyst_mechanisms(tables: RunTables) -> dict:
    """What the overrides file's mechanism lines did, in Dutch ({} without them): `lines`, one per
    decision, for the method appendix; `counted`, the sentence the mechanisms section adds to the
    screening so its numbers add up ("6 gerapporteerd" above 5 shown after a drop and a merge)."""
    applied = (tables.info or {}).get("mechanism_overrides") or {}
    done, unplaced = applied.get("applied") or {}, applied.get("unplaced_new") or []
    if not any(done.get(k) for k in ("confirmed", "renamed", "merged", "dropped", "new")) and not unplaced:
        return {}
    shown = tables.mechanisms if tables.mechanisms is not None else pd.DataFrame(columns=["mechanism_id", "label"])
    labels = dict(zip(shown["mechanism_id"].astype(str), shown["label"].astype(str)))
    dropped_labels = applied.get("dropped_labels") or {}
    merged = done.get("merged") or {}
    lines = [f"{m} bevestigd (‘{labels.get(m, '')}’)" for m in done.get("confirmed", [])]
    lines += [f"{m} hernoemd tot ‘{labels.get(m, '')}’" for m in done.get("renamed", [])]
    lines += [f"{joined(list(others))} samengevoegd in {first}" for first, others in merged.items()]
    lines += [f"{m} geschrapt" + (f" (‘{dropped_labels[m]}’)" if m in dropped_labels else "")
              for m in done.get("dropped", [])]
    lines += [f"{m} nieuw: ‘{labels.get(m, '')}’, uit de seeds van de analist" for m in done.get("new", [])]
    lines += [f"‘{n['label']}’ nieuw, maar geen van zijn seeds staat in deze run; het staat wel in het "
              "mechanismen-codeboek" for n in unplaced]
    counts = [(len(done.get("confirmed", [])), "bevestigd"), (len(done.get("renamed", [])), "hernoemd"),
              (sum(len(o) for o in merged.values()), "samengevoegd in een ander"),
              (len(done.get("dropped", [])), "geschrapt"), (len(done.get("new", [])), "nieuw")]
    name = str(applied.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1] or "overrides"
    n = len(shown)
    counted = (f"Daarna besliste de analist ({name}): {joined([f'{k} {what}' for k, what in counts if k])}; hieronder "
               + (f"{'staat' if n == 1 else 'staan'} er {number(n)}." if n else "staat er geen."))
    return {"lines": lines, "counted": counted}


def mechanism_screening(tables: RunTables) -> str:
    """The candidates seen and why left out, then what the analyst's lines made of those reported,
    in Dutch; the reports and the workbook's overview say the same."""
    info = tables.info or {}
    return " ".join(t for t in (_screening(info, case_noun(info)), _analyst_mechanisms(tables).get("counted", "")) if t)


_STATUS_ORDER = {"nieuw": 0, "gegroeid": 1, "gekrompen": 2, "verdwenen": 3, "stabiel": 4}
_CHANGE_METHOD = (
    "De nieuwe ronde is gecodeerd met de thema's van de vorige ronde (zelfde nummers en namen); wat bij "
    "geen ervan past, vormt nieuwe thema's. Het midden van een nieuw thema is het gemiddelde van de "
    "fragmenten die het krijgt (bijgesteld tot er geen fragment meer van thema wisselt); de thema's van de "
    "vorige ronde houden het midden van hun fragmenten daar. Een thema van de vorige ronde is verdwenen "
    "als de nieuwe ronde zijn kern niet meer heeft: de helft van zijn fragmenten die het dichtst bij het "
    "thema lagen. Fragmenten van de nieuwe ronde die even dicht bij het thema liggen, vormen dan "
    "hoogstens een kwart van dat deel "
    "(naar verhouding van alle thema's samen), en de daling is significant (z-toets, Bonferroni over de "
    "thema's); wat er nog bij lag, is de rand die het met andere thema's deelde, en die gaat naar het "
    "dichtstbijzijnde andere thema. In die toetsen voor verdwenen en nieuwe thema's telt een tekst die "
    "woord voor woord meermaals voorkomt (een brief aan meerdere adressaten) één keer. Het aandeel van een thema is zijn aantal fragmenten gedeeld door "
    "de geanalyseerde fragmenten van die ronde. Per thema toetst een z-toets voor twee proporties of het "
    "aandeel veranderde; fragmenten uit één document hangen samen, dus de variantie rekent met documenten "
    "als clusters. De p-waarden zijn gecorrigeerd voor het aantal thema's (Holm), de intervallen van het "
    "verschil zijn 95 %-intervallen met Bonferroni-correctie. Een thema heet gegroeid of gekrompen als de "
    "gecorrigeerde p-waarde onder 0,05 ligt én het aandeel minstens een kwart hoger of lager is; een "
    "zichtbaar verschil dat daar niet aan voldoet, staat apart als onzeker. De tabel vergelijking.csv "
    "heeft naast het getelde aandeel een gecorrigeerd aandeel (share_now_corrected): de codering naar de "
    "thema's van de vorige ronde vergist zich soms (in die ronde zelf, elk fragment weggelaten, klopt ze "
    "voor ongeveer 88 %), en die vergissingen verdoezelen veranderingen. Het gecorrigeerde aandeel schat "
    "de aandelen die het best passen bij hoe zeker de codering per fragment is, met die zekerheid eerst "
    "afgesteld op de vorige ronde, waar de thema's bekend zijn (EM met temperatuurschaling). Het is geen "
    "telling van fragmenten: de status blijft op het getelde aandeel berusten. Een onderwerp dat binnen een "
    "blijvend thema verdwijnt of opkomt, zoekt de vergelijking waar de rondes plaatselijk verschillen: bij "
    "elk fragment de dichtstbijzijnde fragmenten van beide rondes samen; fragmenten met (gemiddeld over hun "
    "buren) hoogstens de helft van het deel van de andere ronde dat de grootte van de rondes laat verwachten, "
    "en die aan elkaar grenzen, vormen een onderwerp. Het telt als het groter is dan 95 % van de grootste "
    "zulke groepen wanneer de rondes 200 keer willekeurig over de documenten herverdeeld worden (een "
    "permutatietoets die de grootte van de rondes en het aantal geprobeerde groepen meerekent) en uit "
    "minstens twee documenten komt (vergelijking_onderwerpen.csv). Welke woorden een thema van beide rondes "
    "nu vaker en minder zegt (terms_more_now, terms_less_now), is de log-odds-ratio van elk woord tussen de "
    "fragmenten van het thema in beide rondes, met als voorkennis hoe vaak het woord in beide rondes samen "
    "voorkomt (Monroe e.a. 2008), als z-waarde; geteld wordt in hoeveel fragmenten een woord staat. Een woord "
    "telt mee bij |z| van minstens 1,96 en in minstens drie fragmenten, en een thema heet inhoudelijk "
    f"verschoven vanaf {MOVED_WORDS} zulke woorden (als fragmenten willekeurig over twee rondes verdeeld "
    "worden, haalt hoogstens 3 % van de thema's dat).")


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %".replace(".", ",")


def _subjects(comparison: dict) -> list[dict]:
    """Subjects that faded or arose inside a theme (vergelijking_onderwerpen.csv), for the reports."""
    frame = comparison.get("vergelijking_onderwerpen")
    if frame is None or not len(frame):
        return []
    return [{"id": r["subject_id"], "label": _text(r["label"]), "status": r["status"],
             "theme": f"{_text(r['theme_label'])} ({r['theme_id']})",
             "before": _pct(float(r["share_before"])), "now": _pct(float(r["share_now"])),
             "segments": f"{number(int(r['segments_before']))} → {number(int(r['segments_now']))}",
             "cases": f"{r['cases_before']} → {r['cases_now']}",
             "examples": cell_items(r["segment_ids"])[:3]} for r in frame.to_dict("records")]


def _since(info: dict) -> str:
    """The earlier round in the heading 'Wat is er veranderd sinds ...': the months its notes were
    taken (manifest dates), else the day it was analysed."""
    period = [str(d) for d in info.get("earlier_period") or []]
    if len(period) == 2:
        (y1, m1), (y2, m2) = ((int(d[:4]), int(d[5:7])) for d in period)
        first, last = f"{MONTHS[m1 - 1]} {y1}", f"{MONTHS[m2 - 1]} {y2}"
        span = first if first == last else (f"{MONTHS[m1 - 1]} tot {last}" if y1 == y2 else f"{first} tot {last}")
        return f"de vorige ronde ({span})"
    created = dutch_date(str(info.get("earlier_created", "")))
    return f"de vorige ronde (run van {created})" if created else "de vorige ronde"


def _change_summary(counts: Counter) -> str:
    """'van de 23 thema's zijn er 2 nieuw en 21 stabiel': a bare '21 stabiel' did not say of what."""
    present = [s for s in _STATUS_ORDER if counts.get(s)]
    total = sum(counts[s] for s in present)
    if len(present) == 1:
        return f"alle {total} thema's zijn {present[0]}" if total > 1 else f"het enige thema is {present[0]}"
    return f"van de {total} thema's zijn er " + joined([f"{counts[s]} {s}" for s in present])


def _status_names(frame: pd.DataFrame | None, column: str, left_out: set) -> list[tuple[str, int, list[str]]]:
    """Per status of vergelijking_mechanismen/_praktijken: how many, and up to four names (the new
    round's, else the earlier one's; '…' says the list goes on). What only the earlier round had names
    its cities left out of the new round: their absence, not a change, may be why it is gone."""
    if frame is None or not len(frame):
        return []
    out = []
    for status, group in frame.groupby("status", sort=False):
        names = []
        earlier_cases = group["cases_before"] if "cases_before" in group else [""] * len(group)
        for now, before, cases in zip(group[column + "_now"], group[column + "_before"], earlier_cases):
            gone = [c for c in cell_items(cases) if c in left_out] if not now else []
            # no nested brackets inside the bracketed list; 'niet meer bevraagd' already says why
            note = f", {joined(gone)}" if status == "niet meer bevraagd" else f" — {joined(gone)} niet in deze ronde"
            names.append((now or before) + (note if gone and before else ""))
        names = list(dict.fromkeys(n for n in names if n))
        out.append((status, len(group), names[:4] + (["…"] if len(names) > 4 else [])))
    return out


def _moved(row: dict) -> str:
    """"nu vaker: ...; minder: ..." for a theme whose words moved (MOVED_WORDS of terms_more_now and
    terms_less_now together), else ""."""
    more, less = cell_items(row.get("terms_more_now")), cell_items(row.get("terms_less_now"))
    if len(more) + len(less) < MOVED_WORDS:
        return ""
    return "; ".join(part for part in (f"nu vaker: {', '.join(more)}" if more else "",
                                       f"minder: {', '.join(less)}" if less else "") if part)


def _changes(tables: RunTables) -> dict | None:
    """What changed since the earlier round (vergelijking*.csv), or None without a comparison."""
    comparison = (tables.extra or {}).get("comparison") or {}
    table = comparison.get("vergelijking")
    if table is None or not len(table):
        return None
    t = table.copy()
    for column in ("share_before", "share_now", "difference", "ci_low", "ci_high", "p_adjusted"):
        t[column] = pd.to_numeric(t[column])
    t["uncertain"] = t["uncertain"].astype(str) == "True"
    top = max(float(t[["share_before", "share_now"]].to_numpy().max()), 1e-9)
    rows = []
    for r in t.to_dict("records"):
        interval = f"{100 * r['ci_low']:+.1f} tot {100 * r['ci_high']:+.1f} procentpunt".replace(".", ",")
        if r["status"] in ("nieuw", "verdwenen"):
            # decided on the theme's core, not on this interval of the share, which may hold zero
            interval += f" ({r['status']} volgens de toets op de kern van het thema, zie de methode)"
        rows.append({
            "theme_id": r["theme_id"], "label": _text(r["label"]), "status": r["status"],
            "uncertain": bool(r["uncertain"]), "before": _pct(r["share_before"]), "now": _pct(r["share_now"]),
            "w_before": round(100 * r["share_before"] / top, 1), "w_now": round(100 * r["share_now"] / top, 1),
            "interval": interval,
            "p": f"{r['p_adjusted']:.3f}".replace(".", ","),
            "segments": f"{number(r['segments_before'])} → {number(r['segments_now'])}",
            "cases": f"{r['cases_before']} → {r['cases_now']}",
            "moved": _moved(r),
        })
    rows.sort(key=lambda r: (_STATUS_ORDER.get(r["status"], 9), r["theme_id"]))
    info = (tables.info or {}).get("comparison", {})
    since = _since(info)
    counts = Counter(r["status"] for r in rows)
    cities = comparison.get("vergelijking_steden")
    per_city = []
    if cities is not None and len(cities):
        for case, group in cities.groupby("case", sort=True):
            only = group.loc[group["theme_id"] == "", "in_rounds"]
            per_city.append({
                "case": case, "only": only.iloc[0] if len(only) else "",
                "raised": [f"{r['label']} ({r['theme_id']})" for r in group.to_dict("records")
                           if r["change"] == "nieuw aangekaart"],
                "dropped": [f"{r['label']} ({r['theme_id']})" for r in group.to_dict("records")
                            if r["change"] == "niet meer aangekaart"]})

    left_out = set() if cities is None or not len(cities) else \
        set(cities.loc[cities["in_rounds"] == "alleen vorige ronde", "case"])
    return {
        "since": since, "earlier_run": info.get("earlier_run_id", ""), "subjects": _subjects(comparison),
        "warnings": [str(w) for w in info.get("warnings", [])],  # another version or other settings
        "summary": _change_summary(counts),
        "certain": [r for r in rows if r["status"] != "stabiel"],
        "uncertain": [r for r in rows if r["status"] == "stabiel" and r["uncertain"]],
        "stable": [r for r in rows if r["status"] == "stabiel" and not r["uncertain"]],
        "cities": per_city,
        "mechanisms": _status_names(comparison.get("vergelijking_mechanismen"), "label", left_out),
        "practices": _status_names(comparison.get("vergelijking_praktijken"), "practice", left_out),
        "method": _CHANGE_METHOD,
    }


def report_context(tables: RunTables) -> dict:
    """Everything the reports show, as plain Python values (also handy for tests and notebooks)."""
    info = tables.info or {}
    counts = info.get("counts", {})
    config = info.get("config", {})
    cases = report_cases(tables)
    total = len(cases)
    noun = case_noun(info)
    n_quotes = int(config.get("themes", {}).get("n_quotes", 3) or 3)
    labels = dict(zip(tables.themes["theme_id"], tables.themes["label"]))
    segments_by_id = {r["segment_id"]: r for r in tables.segments.to_dict("records")} if len(tables.segments) else {}
    mechanisms = _mechanisms(tables, labels, total, segments_by_id, noun)
    practices = _practices(tables, segments_by_id)
    corpus_path = str(config.get("corpus", {}).get("path", ""))
    return {
        "title": title(noun),
        "noun": noun,  # what the cases are called: noun.singular, noun.plural, noun(3) -> '3 steden'
        "run_id": info.get("run_id", ""),
        "created": dutch_date(info.get("created", "")),
        "corpus_name": Path(corpus_path).name if corpus_path else "",
        "cases": cases,
        "n_cases": total,
        "sessions": _sessions(tables.documents),
        "sources": _sources(tables.documents),  # 'gespreksnotities en schriftelijke antwoorden'
        "texts": texts_read(tables.documents),  # 'de notities', 'de antwoorden'
        "scale": quantifier_scale(total, noun),
        "figures": _figures(tables, counts, total, mechanisms, practices, noun),
        "counts": {k: number(v) for k, v in counts.items()},
        "coverage": coverage_phrase(counts.get("analysed", "?"), counts.get("clustered", "?"),
                                    counts.get("assigned", "?"), counts.get("unassigned", "?")),
        "unanalysed": _unanalysed_note(tables.segments, cases, noun),
        # participants who spoke French are participants too: the count of statements says it is of Dutch ones
        "other_language": _other_language(tables.segments),
        "leaders": _leaders(tables.segments),  # 'Beurten van de gespreksleider', whose turns were left out
        "plots": _plots(tables, noun),  # figures in plots/ of the run folder, shown by relative links
        "heatmap": _heatmap(tables, cases),
        "themes": _themes(tables, cases, mechanisms, practices, n_quotes, noun),
        "mechanisms": mechanisms,
        "mechanism_screening": mechanism_screening(tables),
        "practices_by_case": _practices_by_case(practices, labels),
        "not_available": NOT_AVAILABLE,
        # why a run has no themes (a corpus too small for them), said where the themes would be
        "no_themes": info.get("no_themes") or "Deze run heeft geen thema's.",
        "method": _method(tables, noun),
        "changes": _changes(tables),  # what changed since an earlier round; None without --compare-with
    }
