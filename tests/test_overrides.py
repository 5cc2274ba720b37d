"""The analyst's overrides file: checked on load, applied as a pure function on the run's tables."""

from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd
import pytest

from pipeline.errors import ConfigError, PipelineError
from pipeline.analysis.themes import EXCLUDED_REASON, Overrides, apply_overrides, load_overrides, parse_overrides

from .makers import make_tables


def write(tmp_path, text: str):
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_a_valid_file(tmp_path):
    path = write(tmp_path, 'rename:\n  T03: "Taal  en tolken"\nmerge:\n  - [T04, T07]\nexclude: [T09]\nsplit: {}\n')
    overrides = load_overrides(path)
    assert overrides.rename == {"T03": "Taal en tolken"}
    assert overrides.merge == (("T04", "T07"),)
    assert overrides.exclude == ("T09",)
    assert overrides.source == str(path)
    assert not overrides.is_empty()
    assert load_overrides(write(tmp_path, "# nog niets\n")).is_empty()


@pytest.mark.parametrize("text, message", [
    ("hernoem:\n  T01: x\n", "onbekende sleutel(s) ['hernoem']"),
    ("rename:\n  3: Taal\n", "3 is geen thema-id"),
    ("rename:\n  T01: ''\n", "T01 heeft een niet-leeg label"),
    ("rename: [T01]\n", "rename: verwacht een mapping"),
    ("merge: [T01, T02]\n", "groep 1 moet een lijst van minstens twee thema-id's zijn"),
    ("merge:\n  - [T01]\n", "groep 1 moet een lijst van minstens twee thema-id's zijn"),
    ("merge:\n  - [T01, T02]\n  - [T02, T03]\n", "T02 staat in groep 1 en in groep 2"),
    ("merge:\n  - [T01, taal]\n", "'taal' is geen thema-id"),
    ("exclude: [T01]\nmerge:\n  - [T01, T02]\n", "T01 staat bij merge en bij exclude"),
    ("exclude: [T01]\nrename:\n  T01: x\n", "T01 staat bij rename en bij exclude"),
    ("merge:\n  - [T01, T02]\nrename:\n  T02: x\n", "T02 wordt samengevoegd in T01; hernoem T01"),
    ("- T01\n", "verwacht bovenaan een mapping"),
    ("rename: {T01: [unclosed\n", "geen geldige YAML"),
])
def test_mistakes_are_clear_errors_naming_the_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_overrides(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="overrides-bestand niet gevonden"):
        load_overrides(tmp_path / "nope.yaml")


def test_split_is_accepted_but_needs_a_rerun(tmp_path):
    overrides = load_overrides(write(tmp_path, "split:\n  T01: 2\n"))
    with pytest.raises(PipelineError, match="split vraagt een nieuwe run: T01"):
        apply_overrides(make_tables(), overrides)


def test_rename():
    tables = make_tables()
    out = apply_overrides(tables, parse_overrides({"rename": {"T02": "Wonen en wachtlijsten"}}))
    assert out.themes.set_index("theme_id").at["T02", "label"] == "Wonen en wachtlijsten"
    assert set(out.segments.loc[out.segments["theme_id"] == "T02", "theme_label"]) == {"Wonen en wachtlijsten"}
    assert list(out.themes["theme_id"]) == ["T01", "T02", "T03", "T04"]
    assert "oorspronkelijk label: wachtlijst · huisvesting" in out.info["overrides"]["notes"]["T02"]


def test_merge_later_ids_into_the_first():
    tables = make_tables()
    out = apply_overrides(tables, parse_overrides({"merge": [["T03", "T02"]]}))
    themes = out.themes.set_index("theme_id")
    assert list(themes.index) == ["T01", "T03", "T04"]
    assert themes.at["T03", "label"] == "subsidie · project"  # the first's label
    assert themes.at["T03", "n_segments"] == 3 + 2
    assert themes.at["T03", "cases"] == "Aalst; Antwerpen; Brugge; Genk; Gent"
    assert themes.at["T03", "n_cases"] == 5
    assert themes.at["T03", "top_terms"] == "subsidie; wachtlijst; project"  # interleaved, as many as before
    assert (out.segments["theme_id"] != "T02").all()
    assert set(out.segments.loc[out.segments["theme_id"] == "T03", "theme_label"]) == {"subsidie · project"}
    assert "samengevoegd met T02 (wachtlijst · huisvesting)" in out.info["overrides"]["notes"]["T03"]
    tables.info["config"]["themes"]["n_terms"] = 10  # the run's own number of key terms, when known
    terms = apply_overrides(tables, parse_overrides({"merge": [["T03", "T02"]]})).themes.set_index("theme_id")
    assert terms.at["T03", "top_terms"] == "subsidie; wachtlijst; project; huisvesting; extra term"
    # renaming the surviving theme of a merge
    renamed = apply_overrides(tables, parse_overrides({"merge": [["T03", "T02"]], "rename": {"T03": "Middelen"}}))
    assert renamed.themes.set_index("theme_id").at["T03", "label"] == "Middelen"


def test_exclude_makes_segments_unassigned():
    tables = make_tables()
    out = apply_overrides(tables, parse_overrides({"exclude": ["T04"]}))
    assert "T04" not in set(out.themes["theme_id"])
    was = tables.segments["theme_id"] == "T04"
    assert (out.segments.loc[was, "theme_id"] == "").all()
    assert (out.segments.loc[was, "theme_label"] == "").all()
    assert (out.segments.loc[was, "excluded_reason"] == EXCLUDED_REASON).all()
    assert (out.segments.loc[~was, "excluded_reason"] == tables.segments.loc[~was, "excluded_reason"]).all()
    assert out.info["counts"]["themes"] == 3
    assert out.info["counts"]["assigned"] == tables.info["counts"]["assigned"] - 7
    assert out.info["counts"]["unassigned"] == tables.info["counts"]["unassigned"] + 7
    assert out.info["overrides"]["excluded_segments"] == 7


def test_matrix_is_recomputed_from_the_segments():
    tables = make_tables()
    out = apply_overrides(tables, parse_overrides({"merge": [["T01", "T04"]], "exclude": ["T03"]}))
    assigned = out.segments[out.segments["theme_id"] != ""]
    expected = pd.crosstab(assigned["theme_id"], assigned["case"]).reindex(
        index=list(out.themes["theme_id"]), columns=sorted(tables.documents["case"]), fill_value=0)
    matrix = out.matrix.set_index("theme_id")
    assert list(matrix.columns) == sorted(tables.documents["case"])
    assert (matrix.to_numpy() == expected.to_numpy()).all()
    assert matrix.loc["T01"].tolist() == [3, 3, 3, 3, 3, 3, 1]
    assert (out.themes.set_index("theme_id")["n_segments"] == matrix.sum(axis=1)).all()


def test_input_tables_are_not_changed():
    tables = make_tables(mechanisms=True, practices=True)
    names = ("segments", "themes", "matrix", "mechanisms", "practices")
    before = {name: getattr(tables, name).copy() for name in names}
    info = repr(tables.info)
    apply_overrides(tables, parse_overrides({"merge": [["T01", "T03"]], "exclude": ["T04"], "rename": {"T02": "x"}}))
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tables, name), frame)
    assert repr(tables.info) == info


def test_ids_not_in_the_run_are_warnings(caplog):
    tables = make_tables()
    with caplog.at_level(logging.WARNING, logger="pipeline.analysis.themes._overrides"):
        out = apply_overrides(tables, Overrides(rename={"T99": "Bestaat niet"}, exclude=("T42",), source="o.yaml"))
    assert [r.getMessage() for r in caplog.records] == [
        "o.yaml: thema T99 komt in deze run niet voor (ze heeft T01, T02, T03, T04); genegeerd",
        "o.yaml: thema T42 komt in deze run niet voor (ze heeft T01, T02, T03, T04); genegeerd",
    ]
    assert out.info["overrides"]["warnings"] == [r.getMessage() for r in caplog.records]
    pd.testing.assert_frame_equal(out.themes, tables.themes)


def test_merge_with_an_absent_id_still_merges_the_rest():
    out = apply_overrides(make_tables(), parse_overrides({"merge": [["T01", "T77", "T02"]]}))
    assert list(out.themes["theme_id"]) == ["T01", "T03", "T04"]
    assert out.info["overrides"]["applied"]["merged"] == {"T01": ["T02"]}


def test_second_theme_follows_merges_and_exclusions():
    tables = make_tables()
    segments = tables.segments.copy()
    t01 = segments.index[segments["theme_id"] == "T01"]
    segments.loc[t01[0], ["theme_2", "theme_2_score"]] = ["T02", 0.5]
    segments.loc[t01[1], ["theme_2", "theme_2_score"]] = ["T03", 0.4]
    segments.loc[t01[2], ["theme_2", "theme_2_score"]] = ["T04", 0.3]
    out = apply_overrides(replace(tables, segments=segments),
                          parse_overrides({"merge": [["T01", "T02"], ["T04", "T03"]]}))
    assert out.segments.loc[t01[0], "theme_2"] == ""  # merged into its own first theme
    assert out.segments.loc[t01[0], "theme_2_score"] == 0.0
    assert out.segments.loc[t01[1], "theme_2"] == "T04"
    assert out.segments.loc[t01[2], "theme_2"] == "T04"
    excluded = apply_overrides(replace(tables, segments=segments), parse_overrides({"exclude": ["T02"]}))
    assert excluded.segments.loc[t01[0], "theme_2"] == ""


def test_mechanisms_and_practices_follow_the_theme_ids():
    tables = make_tables(mechanisms=True, practices=True)
    out = apply_overrides(tables, parse_overrides({"merge": [["T03", "T01"]]}))
    assert list(out.mechanisms["themes"]) == ["T03", "T03"]
    assert list(out.practices["theme_id"]) == ["T03"]
    gone = apply_overrides(tables, parse_overrides({"exclude": ["T01"]}))
    assert list(gone.mechanisms["themes"]) == ["T03", "T03"]
    assert list(gone.practices["theme_id"]) == [""]
