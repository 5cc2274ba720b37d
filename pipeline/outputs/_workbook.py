"""Export a run as one Excel workbook (.xlsx): an overview, the framework matrix and every table.

Sheets (Dutch names, in this order):

  Overzicht    run id, counts, cities, one row per city, and what each sheet holds
  Kader        framework matrix: one row per city, one column per theme ("T01 · label"); each cell
               holds the number of segments and one short quote (the most central segment of that
               theme in that city), coloured by the count; a cell comment names the source
  Thema's      themes.csv
  Fragmenten   segments.csv
  Documenten   documents.csv
  Matrix       matrix.csv (with the theme label), counts with a colour scale
  Mechanismen, Bewijs, Praktijken   mechanisms.csv, mechanism_evidence.csv, practices.csv when present
  Vergelijking, Vergelijking steden/mechanismen/praktijken/onderwerpen   vergelijking*.csv (run --compare-with)

The statement functions (column `function` on Fragmenten and Bewijs) are shown in Dutch (drempel,
vaststelling, ...), as the CSV files of a run hold them; a run written before they did still shows
Dutch here.

Every table sheet has a frozen header row and an autofilter. Text is always written as text
(`write_string`): "1/2" never becomes a date and "=..." never a formula. Cells longer than Excel's
32,767 characters are cut with a visible marker. The bytes depend only on the run: the document
properties carry the run's creation time and xlsxwriter gives every zip member a fixed timestamp.
"""

from __future__ import annotations

import io
import math
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import cell_items
from ..store import RunTables, created_utc, write_atomic
from ._context import local_path, mechanism_screening, theme_city_matrix
from ._wording import CITIES, CaseNoun, case_noun, function_label, listing, short_quote

__all__ = ["write_workbook", "workbook_bytes", "CELL_LIMIT", "TRUNCATION_MARK", "QUOTE_LIMIT", "SHEETS", "sheet_notes"]

CELL_LIMIT = 32_767  # Excel's maximum number of characters in one cell
TRUNCATION_MARK = " … [afgekapt]"
QUOTE_LIMIT = 160  # characters of the quote in a framework cell
MAX_ROWS = 1_048_576  # Excel's maximum number of rows on a sheet


def sheet_notes(noun: CaseNoun = CITIES) -> dict[str, str]:
    """Sheet name -> what it holds (shown on "Overzicht"), in the words the run uses for its cases.
    The sheet names stay fixed: they mirror the tables' file names (vergelijking_steden.csv)."""
    one, more = noun.singular, noun.plural
    return {
        "Overzicht": f"deze samenvatting: run, aantallen, {more}",
        "Kader": f"kadermatrix: per {one} (rij) en thema (kolom) het aantal fragmenten en één kort citaat",
        "Thema's": f"de thema's met label, kernwoorden en in welke {more} ze voorkomen (themes.csv)",
        "Fragmenten": f"alle tekstfragmenten met {one}, sessie, thema en plaats in de tekst (segments.csv)",
        "Documenten": f"de gelezen documenten met {one}, sessie, rol en bronbestand (documents.csv)",
        "Matrix": f"aantal fragmenten per thema en {one} (matrix.csv)",
        "Mechanismen": f"mechanismen over de {more} heen (mechanisms.csv)",
        "Bewijs": "de fragmenten die elk mechanisme onderbouwen (mechanism_evidence.csv)",
        "Praktijken": f"praktijken die {more} noemen (practices.csv)",
        "Vergelijking": "per thema het aandeel in de vorige ronde en nu, met status en zekerheid (vergelijking.csv)",
        "Vergelijking steden": f"per {one} de thema's die nieuw of niet meer aangekaart worden (vergelijking_steden.csv)",
        "Vergelijking mechanismen": "mechanismen in beide rondes, alleen vorige of alleen nieuwe (vergelijking_mechanismen.csv)",
        "Vergelijking praktijken": "praktijken voortgezet, nieuw, niet meer vermeld, of niet meer bevraagd: hun "
                                   f"{one} zit niet in deze ronde (vergelijking_praktijken.csv)",
        "Vergelijking onderwerpen": "onderwerpen die binnen een blijvend thema verdwenen of nieuw zijn "
                                    "(vergelijking_onderwerpen.csv)",
    }


SHEETS = sheet_notes()  # the sheets a workbook can have, described for the default cases
_COMPARISON_SHEETS = (("vergelijking", "Vergelijking"), ("vergelijking_steden", "Vergelijking steden"),
                      ("vergelijking_mechanismen", "Vergelijking mechanismen"),
                      ("vergelijking_praktijken", "Vergelijking praktijken"),
                      ("vergelijking_onderwerpen", "Vergelijking onderwerpen"))

_MIN_WIDTH, _MAX_WIDTH, _WRAP_WIDTH, _HEAD_WIDTH = 6, 60, 60, 24
_FRAME_WIDTH = 42  # width of a theme column on "Kader"
_LOW, _HIGH = (0xF7, 0xFB, 0xF4), (0x63, 0xBE, 0x7B)  # colour scale: white-green to Excel's green


def write_workbook(tables: RunTables, path: str | Path) -> Path:
    """Write the run's tables as an .xlsx workbook at `path` (atomically); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, workbook_bytes(tables))


def workbook_bytes(tables: RunTables) -> bytes:
    """The .xlsx file of the run, built in memory."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "constant_memory": False,
        "in_memory": True,  # fixed zip timestamps, no temp files
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "nan_inf_to_errors": False,
    })
    run_id = str(tables.info.get("run_id", ""))
    workbook.set_properties({
        "title": f"Stadsgenoten — run {run_id}".strip(),
        "subject": f"Thema's over de {case_noun(tables.info).plural} heen",
        "author": "stadsgenoten",
        "comments": "Gemaakt met stadsgenoten uit een run-map; zie run.json voor instellingen en versies.",
        "created": created_utc(tables.info),
    })
    writer = _Writer(workbook)
    notes: list[str] = []
    optional = [(name, frame) for name, frame in (
        ("Mechanismen", tables.mechanisms), ("Bewijs", tables.mechanism_evidence),
        ("Praktijken", tables.practices)) if frame is not None]
    comparison = (tables.extra or {}).get("comparison") or {}  # run --compare-with: what changed
    compared = [(name, comparison[stem]) for stem, name in _COMPARISON_SHEETS if comparison.get(stem) is not None]
    _overview(writer, tables, [n for n, _ in optional + compared])
    _framework(writer, tables)
    writer.table("Thema's", tables.themes, notes)
    writer.table("Fragmenten", _dutch_functions(tables.segments), notes)
    writer.table("Documenten", tables.documents, notes)
    _matrix(writer, tables, notes)
    for name, frame in optional:
        writer.table(name, _dutch_functions(frame), notes)
    for name, frame in compared:
        writer.table(name, frame, notes)
    if notes:  # rows cut at Excel's sheet limit: say so on the first sheet
        sheet = workbook.get_worksheet_by_name("Overzicht")
        row = writer.overview_end + 1
        for note in notes:
            sheet.write_string(row, 0, "Let op", writer.bold)
            sheet.write_string(row, 1, note)
            row += 1
    workbook.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------


def _str(value) -> str:
    """Text of a cell value; "" for None, NaN and pd.NA."""
    return "" if _is_missing(value) else str(value)


def _cell_text(value) -> str:
    text = str(value)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _display_len(value) -> int:
    if _is_missing(value):
        return 0
    if isinstance(value, float):
        return len(f"{value:.4f}")
    return max((len(line) for line in str(value).split("\n")), default=0)


def _mix(share: float) -> str:
    share = min(max(share, 0.0), 1.0)
    return "#" + "".join(f"{round(lo + (hi - lo) * share):02X}" for lo, hi in zip(_LOW, _HIGH))


class _Writer:
    """Shared formats and the generic table writer."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1,
                                           "text_wrap": True, "valign": "top"})
        self.bold = workbook.add_format({"bold": True, "valign": "top"})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.top = workbook.add_format({"valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.float = workbook.add_format({"num_format": "0.0000", "valign": "top"})
        self._fills: dict[str, object] = {}
        self.overview_end = 0

    def fill(self, colour: str, bold: bool = False):
        key = f"{colour}{bold}"
        if key not in self._fills:
            self._fills[key] = self.workbook.add_format(
                {"bg_color": colour, "text_wrap": True, "valign": "top", "bold": bold, "border": 1,
                 "border_color": "#D9D9D9"})
        return self._fills[key]

    def value(self, sheet, row: int, col: int, value, fmt=None) -> None:
        """One cell: numbers as numbers, booleans as booleans, everything else as text."""
        if _is_missing(value):
            return
        if isinstance(value, (bool, np.bool_)):
            sheet.write_boolean(row, col, bool(value), fmt)
        elif isinstance(value, numbers.Number):
            # floats rounded as in the CSV files, so a run in memory and its run folder give the same bytes
            number = round(float(value), 4) if isinstance(value, float) else float(value)
            if math.isfinite(number):
                sheet.write_number(row, col, number, fmt)
        else:
            text = _cell_text(value)
            if text:
                sheet.write_string(row, col, text, fmt)

    def table(self, name: str, df: pd.DataFrame, notes: list[str]):
        """A sheet holding `df`: bold frozen header, autofilter, widths from the content."""
        sheet = self.workbook.add_worksheet(name)
        limit = MAX_ROWS - 1
        if len(df) > limit:
            notes.append(f"blad {name}: alleen de eerste {limit:,} van {len(df):,} rijen (grens van Excel)")
            df = df.iloc[:limit]
        columns = [str(c) for c in df.columns]
        formats = []
        for col, column in enumerate(columns):
            sample = df.iloc[:, col]
            longest = max((_display_len(v) for v in sample), default=0)
            wrap = longest > _WRAP_WIDTH
            # a long heading (a minister's title above a column of counts) wraps in its cell; the
            # column is as wide as its values need, or as a heading of _HEAD_WIDTH
            width = _WRAP_WIDTH if wrap else min(max(longest, min(len(column), _HEAD_WIDTH), _MIN_WIDTH) + 2, _MAX_WIDTH)
            is_float = pd.api.types.is_float_dtype(sample.dtype)
            formats.append(self.wrap if wrap else self.float if is_float else self.top)
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, column, self.header)
        for row, values in enumerate(df.itertuples(index=False, name=None), start=1):
            for col, value in enumerate(values):
                self.value(sheet, row, col, value, formats[col])
        sheet.freeze_panes(1, 0)
        if columns:
            sheet.autofilter(0, 0, max(len(df), 1), len(columns) - 1)
        return sheet


def _dutch_functions(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its `function` column in Dutch, for the analyst; the table itself unchanged."""
    if "function" not in df:
        return df
    return df.assign(function=df["function"].map(lambda v: "" if _is_missing(v) else function_label(v)))


def _case_summary(tables: RunTables) -> pd.DataFrame:
    docs, segs = tables.documents, tables.segments
    one = case_noun(tables.info).Singular
    rows = []
    for case in _cases(tables):
        d = docs[docs["case"] == case]
        s = segs[segs["case"] == case]
        assigned = s[s["theme_id"].map(_str) != ""] if "theme_id" in s else s.iloc[:0]
        rows.append({
            one: case,
            "Documenten": len(d),
            "Sessies": int(d["session"].nunique()) if "session" in d else 0,
            "Fragmenten": len(s),
            "In een thema": len(assigned),
            "Thema's": int(assigned["theme_id"].nunique()) if len(assigned) else 0,
        })
    return pd.DataFrame(rows, columns=[one, "Documenten", "Sessies", "Fragmenten", "In een thema", "Thema's"])


def _cases(tables: RunTables) -> list[str]:
    cases = set(tables.documents["case"].map(_str)) if "case" in tables.documents else set()
    if "case" in tables.segments:
        cases |= set(tables.segments["case"].map(_str))
    return sorted(c for c in cases if c)


def _facts(tables: RunTables) -> list[tuple[str, object]]:
    """The run in label/value pairs, for the top of "Overzicht"."""
    info = tables.info
    segs = tables.segments
    cases = _cases(tables)
    noun = case_noun(info)
    facts: list[tuple[str, object]] = [
        ("Run", info.get("run_id", "")),
        ("Aangemaakt", created_utc(info).strftime("%Y-%m-%d %H:%M:%S UTC") if info.get("created") else ""),
        ("Corpus", local_path("corpus.path", str(info.get("config", {}).get("corpus", {}).get("path", "")))),
        ("Versie stadsgenoten", info.get("versions", {}).get("stadsgenoten", "")),
        ("Documenten", len(tables.documents)),
        (noun.Plural, len(cases)),
        (f"Namen van de {noun.plural}", listing(cases)),
        ("Fragmenten", len(segs)),
        ("Geanalyseerde fragmenten", int(segs["analysed"].astype(bool).sum()) if "analysed" in segs else None),
        ("Fragmenten in een thema", int((segs["theme_id"].map(_str) != "").sum()) if "theme_id" in segs else 0),
        ("Thema's", len(tables.themes)),
    ]
    if tables.mechanisms is not None:
        facts.append(("Mechanismen", len(tables.mechanisms)))
        # as the report says it: how many candidates were seen, why the others were left out
        facts.append(("Kandidaat-mechanismen", mechanism_screening(tables)))
    if tables.practices is not None:
        facts.append(("Praktijken", len(tables.practices)))
    return facts


def _overview(writer: _Writer, tables: RunTables, optional: list[str]) -> None:
    sheet = writer.workbook.add_worksheet("Overzicht")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 70)
    sheet.set_column(2, 5, 14)
    sheet.write_string(0, 0, "Stadsgenoten — overzicht van de run", writer.title)
    row = 2
    for label, value in _facts(tables):
        if value is None or value == "":
            continue
        sheet.write_string(row, 0, label, writer.bold)
        writer.value(sheet, row, 1, value, writer.wrap)
        row += 1
    row = _overview_cases(writer, sheet, tables, row + 1)
    row = _overview_sheets(writer, sheet, optional, row + 2, sheet_notes(case_noun(tables.info)))
    writer.overview_end = row + 1


def _overview_cases(writer: _Writer, sheet, tables: RunTables, row: int) -> int:
    """The "Per stad" block from `row`; returns its last row."""
    sheet.write_string(row, 0, f"Per {case_noun(tables.info).singular}", writer.title)
    row += 1
    summary = _case_summary(tables)
    for col, column in enumerate(summary.columns):
        sheet.write_string(row, col, column, writer.header)
    for values in summary.itertuples(index=False, name=None):
        row += 1
        for col, value in enumerate(values):
            writer.value(sheet, row, col, value, writer.top)
    return row


def _overview_sheets(writer: _Writer, sheet, optional: list[str], row: int, notes: dict[str, str]) -> int:
    """The "Bladen" block (what each sheet holds) and the note on text, from `row`; returns its last row."""
    sheet.write_string(row, 0, "Bladen", writer.title)
    row += 1
    sheet.write_string(row, 0, "Blad", writer.header)
    sheet.write_string(row, 1, "Inhoud", writer.header)
    present = ["Overzicht", "Kader", "Thema's", "Fragmenten", "Documenten", "Matrix", *optional]
    for name in present:
        row += 1
        sheet.write_string(row, 0, name, writer.bold)
        sheet.write_string(row, 1, notes[name], writer.wrap)
    row += 2
    sheet.write_string(row, 0, "Uitleg", writer.bold)
    sheet.write_string(
        row, 1, "Alle tekst staat als tekst in de cellen (geen formules of datums). start_char en end_char "
        "wijzen in de genormaliseerde tekst van het document (texts/ in de run-map). De kolom function "
        "(de functie van de uitspraak) staat in het Nederlands (vaststelling, drempel, wens, …), net als in "
        "segments.csv en mechanism_evidence.csv.", writer.wrap)
    return row


def _central_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """Per (theme, case) the most central segment: highest theme_score, then lowest segment_id."""
    if "theme_id" not in segments or not len(segments):
        return segments.iloc[:0]
    assigned = segments[segments["theme_id"].map(_str) != ""]
    score = (pd.to_numeric(assigned["theme_score"], errors="coerce").fillna(0.0) if "theme_score" in assigned
             else pd.Series(0.0, index=assigned.index))
    ordered = assigned.assign(_score=score).sort_values(
        ["theme_id", "case", "_score", "segment_id"], ascending=[True, True, False, True], kind="stable")
    return ordered.drop_duplicates(["theme_id", "case"]).set_index(["theme_id", "case"], drop=False)


def _framework(writer: _Writer, tables: RunTables) -> None:
    sheet = writer.workbook.add_worksheet("Kader")
    themes = tables.themes
    cases = _cases(tables)
    theme_ids = [str(t) for t in themes["theme_id"]] if "theme_id" in themes else []
    labels = dict(zip(theme_ids, themes["label"].map(_str))) if "label" in themes else {}
    terms = dict(zip(theme_ids, themes["top_terms"].map(cell_items))) \
        if "top_terms" in themes else {}
    counts = theme_city_matrix(tables, cases)  # the run's matrix table, not counted again
    central = _central_segments(tables.segments)
    top = int(counts.values.max()) if counts.size else 0

    sheet.set_column(0, 0, 16)
    sheet.set_column(1, max(len(theme_ids), 1), _FRAME_WIDTH)
    sheet.write_string(0, 0, case_noun(tables.info).Singular, writer.header)
    for col, theme_id in enumerate(theme_ids, start=1):
        label = labels.get(theme_id, "")
        sheet.write_string(0, col, _cell_text(f"{theme_id} · {label}" if label else theme_id), writer.header)
    chars_per_line = _FRAME_WIDTH * 1.15
    for row, case in enumerate(cases, start=1):
        sheet.write_string(row, 0, case, writer.bold)
        lines = 1
        for col, theme_id in enumerate(theme_ids, start=1):
            n = int(counts.at[theme_id, case])
            fmt = writer.fill(_mix(n / top) if top and n else "#FFFFFF")
            if not n:
                sheet.write_number(row, col, 0, fmt)
                continue
            seg = central.loc[(theme_id, case)]
            quote = short_quote(_str(seg.get("text")), QUOTE_LIMIT, terms.get(theme_id))
            quote_text = f"«{quote}»"
            sheet.write_rich_string(row, col, writer.fill(_mix(n / top), bold=True), str(n), fmt,
                                    _cell_text("\n" + quote_text), fmt)
            sheet.write_comment(row, col, _cell_text(_source(seg)), {"x_scale": 2, "y_scale": 1.2})
            lines = max(lines, 1 + math.ceil(len(quote_text) / chars_per_line))
        sheet.set_row(row, min(409, 15 * lines + 3))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(cases), 1), max(len(theme_ids), 1))
    if theme_ids and cases:
        sheet.write_string(len(cases) + 2, 0, "Uitleg", writer.bold)
        sheet.write_string(len(cases) + 2, 1, f"Per cel (rij: {case_noun(tables.info).singular}, kolom: thema): het aantal fragmenten en het "
                           "meest centrale fragment als citaat; de opmerking bij de cel noemt de bron. Kleur: "
                           "hoe donkerder, hoe meer fragmenten.", writer.wrap)


def _source(seg: pd.Series) -> str:
    """'Gent, gent/tafel1.txt, p. 2 (Brugfiguur)' and the segment id, as on summary.md."""
    where = f"{_str(seg.get('case'))}, {_str(seg.get('source_file'))}"
    if _str(seg.get("location")):
        where += f", {_str(seg.get('location'))}"
    if _str(seg.get("speaker")):
        where += f" ({_str(seg.get('speaker'))})"
    return f"{where}\nfragment {_str(seg.get('segment_id'))}"


def _matrix(writer: _Writer, tables: RunTables, notes: list[str]) -> None:
    matrix = tables.matrix.copy()
    if "theme_id" in matrix and "label" in tables.themes and "label" not in matrix:
        labels = dict(zip(tables.themes["theme_id"].map(_str), tables.themes["label"].map(_str)))
        matrix.insert(1, "label", matrix["theme_id"].map(_str).map(labels).fillna(""))
    sheet = writer.table("Matrix", matrix, notes)
    numeric = [i for i, c in enumerate(matrix.columns) if pd.api.types.is_numeric_dtype(matrix[c])]
    if numeric and len(matrix):
        sheet.conditional_format(1, min(numeric), len(matrix), max(numeric), {
            "type": "2_color_scale", "min_color": _mix(0.0), "max_color": _mix(1.0)})
