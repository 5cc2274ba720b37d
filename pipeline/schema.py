"""The table contracts between stages, in one place.

Every stage takes and returns pandas DataFrames whose columns, types and keys are written down
here. `check(df, name)` is called at each stage boundary so a contract break fails loudly where
it happens instead of three stages later. Analysts' own scripts read the CSV files in a run
folder, so the output column names are part of the public API: add columns, never rename.

Ids are strings derived from file names and positions, stable across runs:
  doc_id      relative path of the source file, posix style ("gent/gent_tafel_1.pdf");
              a spreadsheet yields one document per case: "antwoorden.xlsx#Gent"
  segment_id  f"{doc_id}:{index:04d}", index = position of the segment in its document
  theme_id    "T01", "T02", ... numbered by size at fit time; "" = unassigned
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["TABLES", "Table", "cell_items", "check", "empty", "segments_from_rows", "theme_case_matrix"]


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: dict[str, str]  # column -> pandas dtype ("string", "int64", "float64", "bool", "object")
    doc: str


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "documents",
            key=("doc_id",),
            columns={
                "doc_id": "string",
                "case": "string",  # normalised case (city) name
                "case_raw": "string",  # as written in manifest / spreadsheet
                "session": "string",  # e.g. "gesprekstafel 1: Taal", "metagesprek", "schriftelijke antwoorden"
                "role": "string",  # participants' role(s), ";"-separated
                "date": "string",  # ISO date as given, "" if unknown
                "persons": "string",  # names the manifest declares (participants), ";"-separated
                "source_file": "string",  # path relative to the corpus root
                "format": "string",  # docx | pdf | odt | txt | md | xlsx | csv
                "text": "string",  # normalised text; all offsets point into this
                "sha256": "string",  # of the raw source file bytes
                "page_starts": "object",  # list[int]: char offset where each page starts (PDF), else []
                "blocks": "object",  # list[dict] of known structure (spreadsheet question/answer blocks), else []
            },
            doc="One row per analysable document. Written by ingest.",
        ),
        Table(
            "segments",
            key=("segment_id",),
            columns={
                "segment_id": "string",
                "doc_id": "string",
                "index": "int64",  # position within the document
                "kind": "string",  # turn | paragraph | question | answer | header
                "speaker": "string",  # speaker label of a turn, "" otherwise
                "is_facilitator": "bool",
                "prompt": "string",  # the written question an answer belongs to, else ""
                "start_char": "int64",  # offsets into documents.text: text == doc.text[start:end]
                "end_char": "int64",
                "source_start_char": "int64",  # the same span in the text before pseudonymisation
                "source_end_char": "int64",
                "page": "int64",  # 1-based PDF page of start_char, 0 if not paginated
                "location": "string",  # human-readable place: "p. 3", "Antwoorden rij 5", ""
                "text": "string",
                "analysed": "bool",  # enters theme discovery
                "excluded_reason": "string",  # why not analysed ("" when analysed)
            },
            doc="Speaker turns, written-answer blocks or paragraphs. Written by segment.",
        ),
        Table(
            "tokens",
            key=("segment_id", "tok"),
            columns={
                "segment_id": "string",
                "sent": "int64",  # sentence index within the segment
                "tok": "int64",  # token index within the segment
                "start_char": "int64",  # offset into documents.text
                "text": "string",
                "lemma": "string",
                "is_stop": "bool",
                "is_alpha": "bool",
                "upos": "string",  # universal POS tag ("" when the tagger is off)
            },
            doc="Tokens of analysed segments. Written by nlp.",
        ),
        Table(
            "sentences",
            key=("segment_id", "sent"),
            columns={
                "segment_id": "string",
                "sent": "int64",
                "start_char": "int64",
                "end_char": "int64",
                "text": "string",
            },
            doc="Sentences of analysed segments. Written by nlp.",
        ),
        Table(
            "assignments",
            key=("segment_id",),
            columns={
                "segment_id": "string",
                "theme_id": "string",  # "" = unassigned
                "theme_score": "float64",  # cosine similarity to the theme centre, 0..1
                "theme_2": "string",  # optional second theme, "" if none
                "theme_2_score": "float64",
            },
            doc="Theme per analysed segment. Written by cluster.",
        ),
        Table(
            "themes",
            key=("theme_id",),
            columns={
                "theme_id": "string",
                "label": "string",  # a Dutch heading: a noun phrase from the theme's own segments (_labels.py)
                "top_terms": "string",  # "; "-joined lemmas/phrases by distinctiveness
                "n_segments": "int64",
                "n_cases": "int64",
                "cases": "string",  # "; "-joined case names, sorted
                "parent_id": "string",  # coarser level: "G1", "G2", ... (themes grouped by similarity)
                "origin": "string",  # ontdekt (found) | codebook (guided) | nieuw (found next to a codebook)
            },
            doc="One row per theme. Written by cluster.",
        ),
        # The analysis tables of the mechanisms and practices stages (one row each; columns as
        # written to the CSV files of a run; first columns are the contract).
        Table(
            "mechanisms",
            key=("mechanism_id",),
            columns={c: "object" for c in [
                "mechanism_id", "label", "n_cases", "cases", "themes", "n_segments", "example_segment_ids",
                "source", "family", "n_statements", "spread", "entropy", "cohesion", "n_themes", "sessions",
                "speakers", "n_frontlijn", "n_management", "concepts", "key_terms", "central_text"]},
            doc="Recurring mechanisms across cases, M01... Written by mechanisms.",
        ),
        Table(
            "mechanism_evidence",
            key=("mechanism_id", "segment_id", "sent"),
            columns={c: "object" for c in [
                "mechanism_id", "segment_id", "case", "text", "function", "sent", "session", "level", "theme_id",
                "claims", "connectives", "similarity", "city_quote"]},
            doc="The evidence sentences of each mechanism. Written by mechanisms.",
        ),
        Table(
            "claims",
            key=("segment_id", "sent", "kind", "connective"),
            columns={c: "object" for c in ["segment_id", "sent", "kind", "connective", "cause", "effect", "evidence"]},
            doc="Cause -> effect and obstacle -> blocked-goal claims per sentence. Written by mechanisms.",
        ),
        Table(
            "practices",
            key=("practice", "case"),
            columns={c: "object" for c in [
                "practice", "case", "theme_id", "source_file", "segment_id", "text", "kind", "n_mentions",
                "mention_segment_ids", "cue"]},
            doc="Named practices and initiatives per case. Written by practices.",
        ),
        # With --compare-with (analysis/_rounds.py); Dutch columns, for the analyst. aandeel_* are
        # shares of the round's analysed segments (0..1); segment_ids the subject's segments in the
        # round that has it, segment_ids_other_round the other round's segments nearest to them.
        Table(
            "vergelijking_onderwerpen",
            key=("subject_id",),
            columns={c: "object" for c in [
                "subject_id", "label", "status", "theme_id", "theme_label", "share_before", "share_now",
                "segments_before", "segments_now", "cases_before", "cases_now", "p_value", "segment_ids",
                "segment_ids_other_round"]},
            doc="Subjects that faded (verdwenen) or arose (nieuw) inside a theme that persists. Written by rounds.",
        ),
    ]
}


def empty(name: str) -> pd.DataFrame:
    """An empty frame with the table's columns and types."""
    table = TABLES[name]
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in table.columns.items()})


def check(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Assert that `df` honours the contract of table `name`; return it with exact dtypes."""
    table = TABLES[name]
    missing = [c for c in table.columns if c not in df.columns]
    if missing:
        raise AssertionError(f"table {name}: missing columns {missing}")
    if len(df) and df.duplicated(list(table.key)).any():
        dupes = df[df.duplicated(list(table.key), keep=False)][list(table.key)].head(3)
        raise AssertionError(f"table {name}: duplicate keys {dupes.to_dict('records')}")
    out = df.copy()
    for column, dtype in table.columns.items():
        if dtype == "object":
            continue
        out[column] = out[column].astype(dtype)
    return out


def cell_items(value) -> list[str]:
    """The items of a "; "-joined cell (top_terms, cases, segment_ids, ...), stripped, in order;
    [] for an empty or missing cell (None, NaN, pd.NA), so a missing cell never reads as "nan". A
    list (an analyst's YAML line written as a list) gives its items the same way."""
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in cell_items(part)]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return []
    return [item.strip() for item in str(value).split(";") if item.strip()]


def segments_from_rows(rows: list[dict]) -> pd.DataFrame:
    """A segments table from partial rows (benchmarks, tests, codebook seeds): contract columns a
    row lacks get neutral values; source offsets copy start_char/end_char."""
    frame = pd.DataFrame(rows)
    for column, dtype in TABLES["segments"].columns.items():
        if column in frame:
            continue
        if column.endswith("start_char"):
            frame[column] = frame["start_char"]
        elif column.endswith("end_char"):
            frame[column] = frame["end_char"]
        else:
            frame[column] = {"int64": 0, "bool": False, "float64": 0.0}.get(dtype, "")
    return check(frame, "segments")


def theme_case_matrix(segments: pd.DataFrame, theme_ids: list[str], cases: list[str]) -> pd.DataFrame:
    """matrix.csv: one row per theme (in `theme_ids` order), one column per case (in `cases`
    order), the number of the theme's segments in that case; unassigned segments do not count."""
    assigned = segments[segments["theme_id"] != ""]
    counts = pd.crosstab(assigned["theme_id"], assigned["case"]) if len(assigned) else pd.DataFrame()
    counts = counts.reindex(index=list(theme_ids), columns=list(cases), fill_value=0).fillna(0).astype("int64")
    counts.index.name = "theme_id"
    counts.columns.name = None
    return counts.reset_index()
