"""Regenerate a real run folder from its tables and an overrides file, without rerunning any stage.

`run_dir` (tests/conftest.py) is a private copy of one run of the enriched small corpus per session.
"""

from __future__ import annotations

import json
import re

import pytest

import pipeline.analysis.themes._model
import pipeline.corpus._ingest
import pipeline.language._embed
import pipeline.language._nlp
from pipeline.errors import ConfigError, InputError
from pipeline.outputs import regenerate
from pipeline.store import load_run


@pytest.fixture
def no_analysis(monkeypatch):
    """Any call into parsing, embedding or clustering fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("regenerate must not run the analysis stages")

    monkeypatch.setattr(pipeline.corpus._ingest, "ingest", refuse)
    monkeypatch.setattr(pipeline.language._nlp, "parse", refuse)
    monkeypatch.setattr(pipeline.language._embed, "embed_segments", refuse)
    monkeypatch.setattr(pipeline.analysis.themes._model.ThemeModel, "fit", refuse)


def summary_themes(text: str) -> dict[str, str]:
    return dict(re.findall(r"^## (T\d+) · (.*)$", text, re.M))


def report_themes(html: str) -> dict[str, str]:
    pattern = r'<article class="theme" id="thema-(T\d+)">\s*<header>\s*<h3><span class="tid">T\d+</span>(.*?)</h3>'
    return dict(re.findall(pattern, html))


def test_regenerate_applies_overrides_quickly_without_rerunning(run_dir, no_analysis):
    tables_before = {name: (run_dir / name).read_bytes()
                     for name in ("segments.csv", "themes.csv", "matrix.csv", "run.json")}
    original = load_run(run_dir)
    labels = dict(zip(original.themes["theme_id"], original.themes["label"]))
    (run_dir / "overrides.yaml").write_text(
        'rename:\n  T01: "Taal en tolken"\nmerge:\n  - [T02, T03]\nexclude: [T04]\n', encoding="utf-8")

    written = regenerate(run_dir)  # picks up <run>/overrides.yaml

    names = {p.relative_to(run_dir).as_posix() for p in written}
    assert {"summary.md", "report.html", "regenerated.json", "plots/heatmap.png", "plots/heatmap.svg",
            "plots/theme_sizes.png", "plots/theme_sizes.svg"} <= names
    assert not (run_dir / "plots" / "mechanism_spread.png").exists()  # no mechanisms in this run
    for name, data in tables_before.items():
        assert (run_dir / name).read_bytes() == data, f"{name} changed"
    assert not list(run_dir.glob(".*partial*")) and not list((run_dir / "plots").glob(".*"))

    expected = {"T01": "Taal en tolken", "T02": labels["T02"]}
    expected.update({t: labels[t] for t in labels if t not in ("T01", "T02", "T03", "T04")})
    merged = original.themes.set_index("theme_id").loc[["T02", "T03"]]
    cases = sorted(set("; ".join(merged["cases"]).split("; ")))
    n_merged = int(merged["n_segments"].sum())

    summary = (run_dir / "summary.md").read_text(encoding="utf-8")
    assert summary_themes(summary) == expected
    t02 = summary.split("## T02 · ")[1].split("\n## ")[0]
    assert f"Steden: {', '.join(cases)}." in t02 and f"in {n_merged} fragmenten" in t02

    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert report_themes(html) == expected
    assert 'id="thema-T03"' not in html and 'id="thema-T04"' not in html
    t02 = html.split('id="thema-T02"')[1].split("</article>")[0]
    assert f"Dit thema komt voor in {len(cases)} van de " in t02 and f"in {n_merged} fragmenten" in t02
    assert f"samengevoegd met T03 ({labels['T03']})" in t02
    assert f"hernoemd; oorspronkelijk label: {labels['T01']}" in html
    assert "T01 hernoemd tot ‘Taal en tolken’" in html
    assert "T03 samengevoegd in T02" in html and "T04 uitgesloten" in html
    assert "thema uitgesloten door analist" in html  # in the appendix's table of unanalysed fragments
    # the tables stayed as found (asserted above): both reports say so, so a reader comparing them is not misled
    note = "De tabellen van de runmap (segments.csv, themes.csv, matrix.csv, mechanisms.csv, practices.csv …) blijven"
    assert note in html and note in summary.split("### Aanpassingen door de analist")[1]

    record = json.loads((run_dir / "regenerated.json").read_text(encoding="utf-8"))
    assert record["run_id"] == original.info["run_id"]
    assert record["overrides_file"] == str((run_dir / "overrides.yaml").resolve())
    assert record["overrides"]["rename"] == {"T01": "Taal en tolken"}
    assert record["overrides"]["merge"] == [["T02", "T03"]]
    assert record["overrides"]["exclude"] == ["T04"]
    assert [t["theme_id"] for t in record["themes"]] == list(expected)
    assert record["themes"][1] == {"theme_id": "T02", "label": labels["T02"], "n_segments": n_merged,
                                   "n_cases": len(cases)}
    assert set(record["files"]) == names - {"regenerated.json"}


def test_regenerate_twice_gives_the_same_files_and_without_overrides_the_original(run_dir, no_analysis, tmp_path):
    overrides = tmp_path / "mijn_aanpassingen.yaml"
    overrides.write_text("exclude: [T01]\n", encoding="utf-8")
    regenerate(run_dir, overrides)
    first = {p: (run_dir / p).read_bytes() for p in ("report.html", "summary.md", "plots/heatmap.svg",
                                                     "plots/theme_sizes.svg", "regenerated.json")}
    regenerate(run_dir, overrides)
    for path, data in first.items():
        assert (run_dir / path).read_bytes() == data, f"{path} differs between two regenerations"
    assert "## T01" not in first["summary.md"].decode()
    assert "blijven zoals de analyse ze vond" in first["summary.md"].decode()

    regenerate(run_dir)  # no overrides file: back to the run's own themes
    original = load_run(run_dir)
    assert set(summary_themes((run_dir / "summary.md").read_text(encoding="utf-8"))) == set(original.themes["theme_id"])
    assert "blijven zoals de analyse ze vond" not in (run_dir / "summary.md").read_text(encoding="utf-8")
    record = json.loads((run_dir / "regenerated.json").read_text(encoding="utf-8"))
    assert record["overrides_file"] is None and record["overrides"] is None


def test_ids_not_in_the_run_are_recorded_not_fatal(run_dir, no_analysis, tmp_path):
    overrides = tmp_path / "o.yaml"
    overrides.write_text("rename:\n  T42: Bestaat niet\n", encoding="utf-8")
    regenerate(run_dir, overrides)
    record = json.loads((run_dir / "regenerated.json").read_text(encoding="utf-8"))
    ids = ", ".join(load_run(run_dir).themes["theme_id"])
    assert record["overrides"]["warnings"] == [f"{overrides}: thema T42 komt in deze run niet voor (ze heeft {ids}); genegeerd"]


def test_a_bad_overrides_file_changes_nothing(run_dir, no_analysis, tmp_path):
    before = {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()}
    overrides = tmp_path / "o.yaml"
    overrides.write_text("hernoem:\n  T01: Taal\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(str(overrides))):
        regenerate(run_dir, overrides)
    assert {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()} == before


def test_not_a_run_folder(tmp_path):
    with pytest.raises(InputError, match="ontbreekt in de runmap"):
        regenerate(tmp_path)


def test_exporters_are_called_when_present(run_dir, no_analysis):
    regenerate(run_dir)
    record = json.loads((run_dir / "regenerated.json").read_text(encoding="utf-8"))
    assert "stadsgenoten.xlsx" in record["files"] and "stadsgenoten.qdpx" in record["files"]
    assert (run_dir / "stadsgenoten.xlsx").stat().st_size > 0 and (run_dir / "stadsgenoten.qdpx").stat().st_size > 0


def test_cli_regenerate_prints_what_it_wrote(run_dir, capsys):
    from pipeline.cli import main

    (run_dir / "overrides.yaml").write_text("rename:\n  T01: Wonen en huren\n", encoding="utf-8")
    assert main(["regenerate", str(run_dir)]) == 0
    printed = capsys.readouterr().out
    assert "report.html" in printed and "summary.md" in printed
    assert "Wonen en huren" in (run_dir / "report.html").read_text(encoding="utf-8")
    assert main(["regenerate", str(run_dir / "bestaat-niet")]) == 2
