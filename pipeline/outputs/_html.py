"""The run as one self-contained Dutch HTML report (report.html) that opens offline.

`render_html(tables)` turns the tables of a run (see `pipeline.runfolder`) into one HTML file:
overview of the corpus, a theme x city heatmap, per theme its label, a short description derived
from the data, key phrases, prevalence in Dutch quantifier words, quotes with city and source,
the mechanisms that cross it and the practices under it, a mechanisms section and a method
appendix. All CSS is inline; there are no scripts, fonts, images or links to anything outside
the file, and a Content-Security-Policy forbids the browser to load any. The output depends on
the tables only (the one date shown is the run's own), so the same run renders byte-identically.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ._markdown import prevalence_phrase, quantifier, select_quotes, short_quote
from ..store import RunTables

__all__ = ["render_html", "report_context", "describe_theme", "session_kind", "heat_colour", "NOT_AVAILABLE"]

NOT_AVAILABLE = "nog niet beschikbaar in deze run"
TEMPLATE = "report.html.j2"

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")

# Session kinds as the 2019 round had them, with how a Dutch sentence says "there".
_KIND_PHRASE = {
    "gesprekstafel": ("aan gesprekstafels", "Gesprekstafels"),
    "metagesprek": ("in metagesprekken", "Metagesprekken"),
    "schriftelijk": ("in schriftelijke antwoorden", "Schriftelijke antwoorden"),
}

_EXCLUDED_EXPLAINED = {
    "facilitator": "beurten van de gespreksleider (vragen en samenvattingen, niet de deelnemers)",
    "kop of metadata": "titels, koppen, de regel 'Aanwezig:' en andere metadata",
    "te weinig inhoud": "te weinig inhoudswoorden om betrouwbaar in te delen",
    "past bij geen thema": "ingedeeld maar te ver van elk thema (de minst typische fragmenten)",
    "thema uitgesloten door analist": "hoorden bij een thema dat de analist uitsloot",
    "vraag": "de schriftelijke vragen zelf",
}

_STAGES_NL = {
    "ingest": "inlezen", "privacy": "pseudonimiseren", "segment": "opsplitsen in fragmenten",
    "nlp": "taalanalyse (lemma's)", "cluster_terms": "kernwoorden", "embed": "zinsbetekenis (embeddings)",
    "cluster": "thema's zoeken", "functions": "functies van uitspraken", "mechanisms": "mechanismen",
    "practices": "praktijken", "total_before_write": "totaal",
}

_STAGE_ORDER = {name: i for i, name in enumerate(_STAGES_NL)}


def _embed_name(backend: str) -> str:
    if backend in ("", "none"):
        return "none"
    if backend == "use":
        return "de meertalige Universal Sentence Encoder"
    return f"het lokale model ‘{Path(backend).name}’"


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


def session_kind(session: str) -> str:
    """'gesprekstafel 2: Taal' -> 'gesprekstafel'; 'metagesprek' -> 'metagesprek'; '' -> ''."""
    s = (session or "").strip().lower()
    if not s:
        return ""
    if s.startswith(("gesprekstafel", "tafel", "groepssessie", "groepsgesprek")):
        return "gesprekstafel"
    if s.startswith(("metagesprek", "meta-gesprek", "meta gesprek")):
        return "metagesprek"
    if s.startswith("schriftelijk"):
        return "schriftelijk"
    return session.strip()


def _topic(session: str) -> str:
    """The table topic after the colon: 'gesprekstafel 1: Taal en communicatie' -> 'Taal en communicatie'."""
    return session.split(":", 1)[1].strip() if ":" in (session or "") else ""


def _join(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _fragments(n: int) -> str:
    return "1 fragment" if n == 1 else f"{n} fragmenten"


def describe_theme(members: pd.DataFrame) -> str:
    """One Dutch sentence on where a theme was raised, from its segments (session, case).

    'Komt vooral aan bod aan gesprekstafels (30 fragmenten), vooral aan de tafels over ‘Taal en
    communicatie’, en in metagesprekken (8); sterkst aanwezig in Gent (9 fragmenten) en Genk (6).'
    """
    if members.empty:
        return "Na de aanpassingen van de analist horen er geen fragmenten meer bij dit thema."
    parts: list[str] = []
    sessions = members["session"].fillna("") if "session" in members.columns else pd.Series([""] * len(members))
    kinds = Counter(session_kind(s) for s in sessions)
    kinds.pop("", None)
    if kinds:
        ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        phrases = []
        for i, (kind, n) in enumerate(ranked[:3]):
            detail = _fragments(n) if i == 0 else str(n)
            if kind == "gesprekstafel":
                topics = Counter(_topic(s) for s in sessions if session_kind(s) == "gesprekstafel")
                topics.pop("", None)
                if topics:
                    topic, k = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                    if len(topics) == 1:
                        detail += f", alle aan tafels over ‘{topic}’" if n > 1 else f", aan een tafel over ‘{topic}’"
                    elif k >= 3 and k >= 0.5 * n:
                        detail += f", meestal aan tafels over ‘{topic}’"
            phrases.append(f"{_KIND_PHRASE.get(kind, (f'in ‘{kind}’', kind))[0]} ({detail})")
        if len(ranked) == 1:
            parts.append("Komt alleen aan bod " + phrases[0])
        elif ranked[0][1] >= 0.5 * sum(kinds.values()):
            parts.append("Komt vooral aan bod " + _join(phrases))
        else:
            parts.append("Komt aan bod " + _join(phrases))
    per_case = members["case"].value_counts()
    per_case = sorted(per_case.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(per_case) == 1:
        parts.append(f"alleen in {per_case[0][0]} ({_fragments(int(per_case[0][1]))})")
    elif per_case and per_case[0][1] >= 2:
        top = [(c, int(n)) for c, n in per_case[:2] if n >= 2 and n > per_case[-1][1]]
        if top:
            named = [f"{top[0][0]} ({_fragments(top[0][1])})"] + [f"{c} ({n})" for c, n in top[1:]]
            parts.append("sterkst aanwezig in " + _join(named))
        else:
            parts.append(f"gelijk verspreid over {len(per_case)} steden")
    elif per_case:
        parts.append("telkens met één fragment per stad")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _dutch_date(iso: str) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return iso or ""
    return f"{int(m.group(3))} {_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"


def _number(n) -> str:
    """Dutch thousands separator: 26493 -> '26.493'."""
    try:
        return f"{int(n):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(n)


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


def _text(value) -> str:
    """A cell as text; missing values (None, NaN) are ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


_PATH_KEYS = ("corpus.path", "output.out_dir", "output.cache_dir")


def _local_path(key: str, value: str) -> str:
    """Folders on the analyst's machine by their last name only: the report is shared, run.json has them."""
    if key in _PATH_KEYS and value not in ("", "—"):
        return f"…/{Path(value).name}"
    return value


def _strip_root(text: str, root: str) -> str:
    """'/home/x/corpus/a.pdf: ...' -> 'a.pdf: ...' (paths relative to the corpus, as elsewhere)."""
    if not root:
        return text
    root = root.rstrip("/")
    return text.replace(root + "/", "").replace(root, Path(root).name)


def _quote(row: dict) -> dict:
    return {
        "text": short_quote(_text(row.get("text"))),
        "case": _text(row.get("case")),
        "source_file": _text(row.get("source_file")),
        "location": _text(row.get("location")),
        "speaker": _text(row.get("speaker")),
        "segment_id": _text(row.get("segment_id")),
    }


def _spread(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to n rows, one per case first, in the frame's order."""
    if frame.empty:
        return frame
    first = frame.drop_duplicates("case")
    return pd.concat([first, frame.drop(first.index)]).head(n)


def _mechanisms(tables: RunTables, theme_labels: dict[str, str], total: int, segments_by_id) -> list[dict] | None:
    if tables.mechanisms is None:
        return None
    evidence = tables.mechanism_evidence
    out = []
    for mech in tables.mechanisms.to_dict("records"):
        mid = _text(mech.get("mechanism_id"))
        cases = [c.strip() for c in _text(mech.get("cases")).split(";") if c.strip()]
        n_cases = int(pd.to_numeric(_text(mech.get("n_cases")) or len(cases)))
        quotes = []
        rows = evidence[evidence["mechanism_id"].astype(str) == mid] if evidence is not None and len(evidence) else None
        if rows is not None and len(rows):
            for ev in _spread(rows, 4).to_dict("records"):
                seg = segments_by_id.get(_text(ev.get("segment_id")), {})
                q = _quote({**seg, **{k: v for k, v in ev.items() if _text(v)}})
                q["function"] = _text(ev.get("function"))
                quotes.append(q)
        else:  # no evidence table (or none for this mechanism): its example segments
            ids = _ids(_text(mech.get("example_segment_ids")))
            for seg in [segments_by_id[s] for s in ids if s in segments_by_id][:4]:
                quotes.append({**_quote(seg), "function": ""})
        theme_ids = _ids(_text(mech.get("themes")))
        out.append({
            "id": mid,
            "anchor": _anchor("mechanisme", mid),
            "label": _text(mech.get("label")),
            "n_cases": n_cases,
            "quantifier": quantifier(n_cases, total),
            "prevalence": prevalence_phrase(n_cases, total),
            "cases": cases,
            "n_segments": int(pd.to_numeric(_text(mech.get("n_segments")) or 0)),
            "themes": [{"id": t, "label": theme_labels.get(t, ""), "anchor": _anchor("thema", t)}
                       for t in theme_ids if t in theme_labels],
            "theme_ids": theme_ids,
            "quotes": quotes,
        })
    return out


def _practices(tables: RunTables) -> list[dict] | None:
    if tables.practices is None:
        return None
    out = []
    for row in tables.practices.to_dict("records"):
        out.append({
            "name": _text(row.get("practice")),
            "case": _text(row.get("case")),
            "theme_id": _text(row.get("theme_id")),
            "source_file": _text(row.get("source_file")),
            "segment_id": _text(row.get("segment_id")),
            "text": short_quote(_text(row.get("text")), 360),
        })
    return sorted(out, key=lambda p: (p["case"], p["name"], p["segment_id"]))


def quantifier_scale(total: int) -> list[dict]:
    """Which counts get which Dutch word, for the reading guide: derived from `quantifier` itself."""
    scale: list[dict] = []
    for n in range(1, total + 1):
        word = quantifier(n, total)
        if scale and scale[-1]["word"] == word:
            scale[-1]["high"] = n
        else:
            scale.append({"word": word, "low": n, "high": n})
    for entry in scale:
        low, high = entry["low"], entry["high"]
        entry["range"] = str(low) if low == high else f"{low} tot {high}"
    return scale


def report_context(tables: RunTables) -> dict:
    """Everything the template shows, as plain Python values (also handy for tests and Markdown)."""
    info = tables.info or {}
    counts = info.get("counts", {})
    config = info.get("config", {})
    segments = tables.segments
    themes = tables.themes
    cases = tables.cases if len(tables.documents) else sorted(segments["case"].unique())
    total = len(cases)
    n_quotes = int(config.get("themes", {}).get("n_quotes", 3) or 3)

    # Sessions: kinds with documents and cities; table topics.
    docs = tables.documents
    session_rows = []
    if "session" in docs.columns:
        kinds: dict[str, dict] = {}
        for doc in docs.itertuples(index=False):
            kind = session_kind(str(doc.session)) or "onbekend"
            entry = kinds.setdefault(kind, {"documents": 0, "cases": set(), "topics": Counter()})
            entry["documents"] += 1
            entry["cases"].add(doc.case)
            if _topic(str(doc.session)):
                entry["topics"][_topic(str(doc.session))] += 1
        order = {"gesprekstafel": 0, "metagesprek": 1, "schriftelijk": 2, "onbekend": 9}
        for kind in sorted(kinds, key=lambda k: (order.get(k, 5), k)):
            entry = kinds[kind]
            name = _KIND_PHRASE[kind][1] if kind in _KIND_PHRASE else (
                "Sessie niet opgegeven" if kind == "onbekend" else kind)
            session_rows.append({
                "name": name,
                "documents": entry["documents"],
                "n_cases": len(entry["cases"]),
                "topics": [f"{t} ({n})" for t, n in sorted(entry["topics"].items(), key=lambda kv: (-kv[1], kv[0]))],
            })

    labels = dict(zip(themes["theme_id"], themes["label"]))
    segments_by_id = {r["segment_id"]: r for r in segments.to_dict("records")} if len(segments) else {}
    mechanisms = _mechanisms(tables, labels, total, segments_by_id)
    practices = _practices(tables)
    notes = (info.get("overrides") or {}).get("notes", {})

    # Heatmap.
    matrix = tables.matrix.set_index("theme_id") if "theme_id" in tables.matrix.columns else tables.matrix
    matrix = matrix.reindex(index=list(themes["theme_id"]), columns=cases, fill_value=0).fillna(0).astype(int)
    vmax = int(matrix.values.max()) if matrix.size else 0
    heat_rows = []
    for theme in themes.itertuples(index=False):
        cells = []
        for case in cases:
            value = int(matrix.at[theme.theme_id, case])
            bg, fg = heat_colour(value, vmax)
            cells.append({"value": value, "bg": bg, "fg": fg, "case": case})
        heat_rows.append({"id": theme.theme_id, "label": theme.label, "anchor": _anchor("thema", theme.theme_id),
                          "cells": cells, "n_cases": int(theme.n_cases), "n_segments": int(theme.n_segments)})
    column_totals = [int(matrix[c].sum()) for c in cases]

    theme_items = []
    for theme in themes.itertuples(index=False):
        members = segments[segments["theme_id"] == theme.theme_id]
        quotes = [_quote(r) for r in select_quotes(segments, theme.theme_id, n_quotes).to_dict("records")]
        theme_items.append({
            "id": theme.theme_id,
            "anchor": _anchor("thema", theme.theme_id),
            "label": theme.label,
            "description": describe_theme(members),
            "terms": [t for t in str(theme.top_terms).split("; ") if t],
            "n_segments": int(theme.n_segments),
            "n_cases": int(theme.n_cases),
            "quantifier": quantifier(int(theme.n_cases), total),
            "prevalence": prevalence_phrase(int(theme.n_cases), total),
            "cases": [c for c in str(theme.cases).split("; ") if c],
            "absent": [c for c in cases if c not in str(theme.cases).split("; ")],
            "quotes": quotes,
            "mechanisms": None if mechanisms is None else [m for m in mechanisms if theme.theme_id in m["theme_ids"]],
            "practices": None if practices is None else [p for p in practices if p["theme_id"] == theme.theme_id],
            "note": notes.get(theme.theme_id, ""),
        })

    practices_by_case = None
    if practices is not None:
        practices_by_case = []
        for case in sorted({p["case"] for p in practices}):
            items = [dict(p, theme_label=labels.get(p["theme_id"], ""), theme_anchor=_anchor("thema", p["theme_id"]))
                     for p in practices if p["case"] == case]
            practices_by_case.append({"case": case, "practices": items})

    excluded = (segments["excluded_reason"].fillna("") if "excluded_reason" in segments.columns
                else pd.Series([], dtype=str))
    excluded_rows = [{"reason": r, "n": int(n), "explained": _EXCLUDED_EXPLAINED.get(r, "")}
                     for r, n in sorted(Counter(excluded[excluded != ""]).items(), key=lambda kv: (-kv[1], kv[0]))]

    inputs = info.get("inputs", [])
    overrides = info.get("overrides") or {}
    seconds = info.get("seconds", {})
    themes_model = info.get("themes_model", {})
    corpus_path = str(config.get("corpus", {}).get("path", ""))

    return {
        "title": "Stadsgenoten — thema's over de steden heen",
        "run_id": info.get("run_id", ""),
        "created": _dutch_date(info.get("created", "")),
        "corpus_name": Path(corpus_path).name if corpus_path else "",
        "cases": cases,
        "n_cases": total,
        "sessions": session_rows,
        "scale": quantifier_scale(total),
        "figures": [
            (_number(counts.get("documents", len(docs))), "documenten"),
            (_number(total), "steden"),
            (_number(counts.get("segments", len(segments))), "tekstfragmenten"),
            (_number(counts.get("clustered", "?")), "geanalyseerd"),
            (_number(len(themes)), "thema's"),
            (_number(len(mechanisms)) if mechanisms is not None else "—", "mechanismen"),
            (_number(len(practices)) if practices is not None else "—", "praktijken"),
        ],
        "counts": {k: _number(v) for k, v in counts.items()},
        "heatmap": {"cases": cases, "rows": heat_rows, "totals": column_totals, "vmax": vmax,
                    "legend": [{"value": v, "bg": heat_colour(v, vmax)[0], "fg": heat_colour(v, vmax)[1]}
                               for v in sorted({0, 1, max(vmax // 4, 1), max(vmax // 2, 1), vmax})] if vmax else []},
        "themes": theme_items,
        "mechanisms": mechanisms,
        "practices_by_case": practices_by_case,
        "not_available": NOT_AVAILABLE,
        "method": {
            "config": [(k, _local_path(k, v)) for k, v in _flatten(config)],
            "versions": sorted((k, str(v)) for k, v in info.get("versions", {}).items()),
            "n_inputs": len(inputs),
            "n_read": sum(1 for f in inputs if f.get("status") == "read"),
            "skipped": info.get("skipped", []),
            "warnings": [_strip_root(str(w), corpus_path) for w in info.get("warnings", [])],
            "excluded": excluded_rows,
            "seconds": [(_STAGES_NL.get(k, k), f"{float(v):.1f} s".replace(".", ","))
                        for k, v in sorted(seconds.items(), key=lambda kv: (_STAGE_ORDER.get(kv[0], 50), kv[0]))],
            "n_themes_model": themes_model.get("n_themes"),
            "k_auto": str(config.get("themes", {}).get("n_themes", "")) == "auto",
            "outlier_quantile": config.get("themes", {}).get("outlier_quantile"),
            "embed_backend": _embed_name(str(config.get("embed", {}).get("backend", ""))),
            "overrides": overrides,
        },
    }


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = _number
    env.filters["basename"] = lambda path: Path(str(path)).name if path else ""  # no local folders in a shared report
    return env


def render_html(tables: RunTables) -> str:
    """The report as one HTML string (UTF-8, self-contained, Dutch)."""
    return _environment().get_template(TEMPLATE).render(**report_context(tables))
