"""Excel export: sheets, frozen headers, filters, the framework matrix and text that stays text."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

from pipeline.outputs import short_quote
from pipeline.store import RunTables, from_result, load_run
from pipeline.outputs._workbook import CELL_LIMIT, QUOTE_LIMIT, TRUNCATION_MARK, write_workbook

BASE_SHEETS = ["Overzicht", "Kader", "Thema's", "Fragmenten", "Documenten", "Matrix"]


@pytest.fixture
def tables(small_run) -> RunTables:
    """The session's run of the small corpus (tests/conftest.py), read back from its run folder."""
    return load_run(small_run.run_dir)


def with_extras(tables: RunTables) -> RunTables:
    """Hand-made mechanisms, evidence and practices, with text Excel would like to reinterpret."""
    segments = tables.segments.copy()
    segments["function"] = ""
    segments["mechanism_ids"] = ""
    first = segments[segments["theme_id"] != ""].iloc[0]
    segments.loc[segments["segment_id"] == first["segment_id"], ["function", "mechanism_ids"]] = ["drempel", "M01"]
    mechanisms = pd.DataFrame({"mechanism_id": ["M01"], "label": ["=ALS(taal;drempel)"], "n_cases": [1],
                               "cases": [first["case"]], "themes": [first["theme_id"]], "n_segments": [1],
                               "example_segment_ids": [first["segment_id"]]})
    evidence = pd.DataFrame({"mechanism_id": ["M01"], "segment_id": [first["segment_id"]],
                             "case": [first["case"]], "text": [first["text"]], "function": ["drempel"]})
    practices = pd.DataFrame({
        "practice": ["1/2", "+32 9 123 45 67", "lang"], "case": ["Gent", "Gent", "Brugge"],
        "theme_id": ["T01", "T01", "T02"], "source_file": ["a.txt", "a.txt", "b.pdf"],
        "segment_id": ["x:0001", "x:0002", "y:0003"],
        "text": ["=SUM(A1:A2)", "2019-10-08", "woord " * 7000],
    })
    return replace(tables, segments=segments, mechanisms=mechanisms, mechanism_evidence=evidence,
                   practices=practices)


def test_sheets_frozen_headers_and_filters(tables, tmp_path):
    # a run without the mechanisms stage: only the base sheets
    tables = replace(tables, mechanisms=None, mechanism_evidence=None, practices=None)
    path = write_workbook(tables, tmp_path / "run.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == BASE_SHEETS
    for name in BASE_SHEETS[2:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
        assert sheet["A1"].font.bold
    assert book["Kader"].freeze_panes == "B2"
    assert book["Kader"].auto_filter.ref.startswith("A1:")
    fragments = book["Fragmenten"]
    header = [c.value for c in fragments[1]]
    assert header == list(tables.segments.columns)
    assert fragments.max_row == len(tables.segments) + 1
    row = {h: c.value for h, c in zip(header, fragments[2])}
    assert row["segment_id"] == tables.segments.iloc[0]["segment_id"]
    assert isinstance(row["start_char"], int) and row["analysed"] in (True, False)
    overview: dict = {}
    for label, value, *_ in book["Overzicht"].iter_rows(values_only=True):
        overview.setdefault(label, value)  # the facts come first; "Documenten" is also a sheet name
    assert overview["Run"] == tables.info["run_id"]
    assert overview["Documenten"] == len(tables.documents)
    assert not any(n in book.sheetnames for n in ("Mechanismen", "Bewijs", "Praktijken"))


def test_framework_cell_holds_count_and_a_quote_of_that_city(tables, tmp_path):
    book = openpyxl.load_workbook(write_workbook(tables, tmp_path / "run.xlsx"))
    sheet = book["Kader"]
    themes = list(tables.themes["theme_id"])
    assert [c.value for c in sheet[1]] == ["Stad"] + [
        f"{t} · {label}" for t, label in zip(themes, tables.themes["label"])]
    assert [sheet.cell(r, 1).value for r in range(2, 2 + len(tables.cases))] == tables.cases
    segs = tables.segments
    checked = 0
    for r, case in enumerate(tables.cases, start=2):
        for c, theme in enumerate(themes, start=2):
            members = segs[(segs["case"] == case) & (segs["theme_id"] == theme)]
            value = sheet.cell(r, c).value
            if not len(members):
                assert value == 0
                continue
            count, quote = value.split("\n", 1)
            assert int(count) == len(members)
            best = members.sort_values(["theme_score", "segment_id"], ascending=[False, True]).iloc[0]
            assert quote == f"«{short_quote(best['text'], QUOTE_LIMIT)}»"
            assert len(quote) <= QUOTE_LIMIT + 4
            assert sheet.cell(r, c).alignment.wrap_text
            assert case in sheet.cell(r, c).comment.text and best["segment_id"] in sheet.cell(r, c).comment.text
            checked += 1
    assert checked >= 2


def test_text_that_looks_like_a_formula_or_date_stays_text(tables, tmp_path):
    data = with_extras(tables)
    book = openpyxl.load_workbook(write_workbook(data, tmp_path / "run.xlsx"))
    assert book.sheetnames == BASE_SHEETS + ["Mechanismen", "Bewijs", "Praktijken"]
    for name in ("Mechanismen", "Bewijs", "Praktijken"):
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref
    practices = book["Praktijken"]
    cells = {(practices.cell(r, 1).value, practices.cell(1, c).value): practices.cell(r, c)
             for r in range(2, 5) for c in range(1, 7)}
    for key, expected in [(("1/2", "practice"), "1/2"), (("1/2", "text"), "=SUM(A1:A2)"),
                          (("+32 9 123 45 67", "text"), "2019-10-08")]:
        assert cells[key].data_type == "s" and cells[key].value == expected
    label = book["Mechanismen"]["B2"]
    assert label.data_type == "s" and label.value == "=ALS(taal;drempel)"
    long = cells[("lang", "text")].value
    assert len(long) == CELL_LIMIT and long.endswith(TRUNCATION_MARK)
    header = [c.value for c in book["Fragmenten"][1]]
    assert header[-2:] == ["function", "mechanism_ids"]


def test_two_writes_are_byte_identical(tables, tmp_path):
    data = with_extras(tables)
    a = write_workbook(data, tmp_path / "a.xlsx").read_bytes()
    b = write_workbook(data, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["a.xlsx", "b.xlsx"]


def test_in_memory_result_and_run_folder_give_the_same_workbook(small_run, tmp_path):
    a = write_workbook(from_result(small_run), tmp_path / "memory.xlsx").read_bytes()
    b = write_workbook(load_run(small_run.run_dir), tmp_path / "folder.xlsx").read_bytes()
    assert a == b


def test_the_uitleg_says_how_segments_csv_holds_the_functions(small_run, tmp_path):
    """The note on the function column says what segments.csv really holds: the Dutch labels."""
    from pipeline.outputs._wording import FUNCTION_NL

    written = set(pd.read_csv(small_run.run_dir / "segments.csv", encoding="utf-8-sig",
                              keep_default_na=False)["function"]) - {""}
    assert written and written <= set(FUNCTION_NL.values())  # Dutch in the file itself
    path = write_workbook(load_run(small_run.run_dir), tmp_path / "w.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True)["Overzicht"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Uitleg"]
    assert len(rows) == 1
    note = rows[0][1]
    assert "segments.csv" in note and "Engels" not in note and not set(FUNCTION_NL) & set(note.replace(",", " ").split())
    assert "in het Nederlands" in note and "vaststelling" in note and "drempel" in note


def test_the_overview_names_the_corpus_folder_not_its_path_on_this_machine(tables, tmp_path):
    # the workbook is shared like report.html, which shows "…/<folder>"; run.json keeps the full path
    corpus = str(tables.info["config"]["corpus"]["path"])
    assert "/" in corpus.strip("/")  # the small run's corpus is a folder somewhere on this machine
    sheet = openpyxl.load_workbook(write_workbook(tables, tmp_path / "w.xlsx"), read_only=True)["Overzicht"]
    row = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Corpus")
    assert row[1] == "…/" + corpus.rstrip("/").rsplit("/", 1)[-1]
