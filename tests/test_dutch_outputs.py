"""Dutch everywhere an analyst reads (issue #13 item 5): the statement functions appear as drempel,
vaststelling, ... in report.html, the workbook, the .qdpx and the CSV tables of the run folder
(issue #22), never as the analysis's internal codes (barrier, statement, ...)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

from pipeline.outputs import function_label, render_html, write_qdpx, write_workbook
from pipeline.outputs._wording import FUNCTION_NL
from pipeline.store import RunTables, load_run

ENGLISH = set(FUNCTION_NL)  # question, tension, barrier, concern, ..., statement


@pytest.fixture
def tables(small_run) -> RunTables:
    """The session's run of the small corpus, as its run folder holds it."""
    return load_run(small_run.run_dir)


def with_evidence(tables: RunTables) -> RunTables:
    """The run plus one mechanism whose evidence is every segment with a function, each with the
    function the run gave it."""
    segments = tables.segments.copy()
    with_function = segments[segments["function"] != ""]
    segments.loc[with_function.index, "mechanism_ids"] = "M01"
    mechanisms = pd.DataFrame({
        "mechanism_id": ["M01"], "label": ["taal als drempel"], "n_cases": [with_function["case"].nunique()],
        "cases": ["; ".join(sorted(with_function["case"].unique()))], "themes": ["T01"],
        "n_segments": [len(with_function)], "example_segment_ids": [";".join(with_function["segment_id"][:2])],
    })
    evidence = pd.DataFrame({"mechanism_id": "M01", "segment_id": with_function["segment_id"],
                             "case": with_function["case"], "text": with_function["text"],
                             "function": with_function["function"]})
    return replace(tables, segments=segments, mechanisms=mechanisms, mechanism_evidence=evidence)


def test_segments_csv_holds_dutch_functions(small_run, tables):
    # segments.csv, as written and as read back, says what the workbook, the .qdpx and the
    # codebooks say: several Dutch functions, no English code (mechanism_evidence.csv: end to end)
    for segments in (small_run.segments, tables.segments):
        codes = set(segments["function"].dropna()) - {""}
        assert len(codes) >= 2 and codes <= set(FUNCTION_NL.values()), codes
    written = pd.read_csv(small_run.run_dir / "segments.csv", dtype=str, keep_default_na=False)
    assert not set(written["function"]) & ENGLISH


def test_function_label_is_the_one_mapping():
    assert function_label("barrier") == function_label("BARRIER") == function_label("drempel") == "drempel"
    assert function_label(" statement ") == "vaststelling"
    assert function_label("oorzaak") == "oorzaak"  # not a statement function: as it is
    assert len(set(FUNCTION_NL.values())) == len(FUNCTION_NL)


def test_report_badges_are_dutch(tables):
    data = with_evidence(tables)
    html = render_html(data)
    badges = re.findall(r'<span class="function">([^<]*)</span>', html)
    expected = {function_label(f) for f in data.mechanism_evidence["function"]}
    assert badges and set(badges) <= expected
    assert not set(badges) & ENGLISH
    mechanisms = re.search(r'<section id="mechanismen">(.*?)</section>', html, re.S).group(1)
    for code in ENGLISH:
        assert not re.search(rf"\b{code}\b", mechanisms, re.I), code


def test_workbook_shows_dutch_functions_and_leaves_the_tables_alone(tables, tmp_path):
    data = with_evidence(tables)
    before = data.segments.copy()
    book = openpyxl.load_workbook(write_workbook(data, tmp_path / "run.xlsx"), read_only=True)
    shown: set[str] = set()
    for name in ("Fragmenten", "Bewijs"):
        rows = list(book[name].iter_rows(values_only=True))
        column = rows[0].index("function")
        values = [r[column] for r in rows[1:] if r[column]]
        assert values, name
        shown |= set(values)
    assert shown == {function_label(f) for f in before["function"] if f}
    assert not shown & ENGLISH
    # nor on the sheets written for reading (the table sheets keep other internal codes, e.g. `kind`)
    for name in ("Overzicht", "Kader"):
        for row in book[name].iter_rows(values_only=True):
            words = {w.lower() for v in row if v is not None for w in re.findall(r"\w+", str(v))}
            assert not words & ENGLISH, name
    pd.testing.assert_frame_equal(data.segments, before)  # segments.csv's codes are not touched


def test_qdpx_one_dutch_code_per_function_each_with_its_codings(tables, tmp_path):
    from .test_qdpx import Q, parse, read_qdpx

    for data in (tables, with_evidence(tables)):
        root = parse(read_qdpx(write_qdpx(data, tmp_path / "run.qdpx"))[0])
        codes = {c.get("name"): c for c in root.iter(f"{Q}Code")}
        assert not set(codes) & ENGLISH
        group = codes["Functies"]
        functions = {c.get("name"): c.get("guid") for c in group.findall(f"{Q}Code")}
        # exactly the run's functions, each once, in Dutch
        expected = {function_label(f) for f in data.segments["function"] if f}
        assert set(functions) == expected and len(functions) == len(group.findall(f"{Q}Code"))
        refs = Counter(r.get("targetGUID") for r in root.iter(f"{Q}CodeRef"))
        per_function = {name: refs[g] for name, g in functions.items()}
        assert all(per_function.values()), per_function  # none empty
        wanted = Counter(function_label(f) for f in data.segments["function"] if f)
        assert per_function == dict(wanted)  # every segment's function coded on its Dutch code
