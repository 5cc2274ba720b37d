"""A corpus too small for themes still yields a run: segments, documents and the report, with a
clear note of why there are no themes and how much text they need (issue #13)."""

from __future__ import annotations

import html

import pandas as pd

from pipeline.cli import main
from pipeline.store import load_run

from .makers import write_xlsx

ROWS = [["Sectie", "Antwoord"],
        ["taal en communicatie", "Ouders verstaan de brieven van de school niet."],
        ["taal en communicatie", "Er zijn te weinig tolken en het tolkenbudget is op."],
        ["armoede", "Gezinnen in armoede vinden de weg naar de hulpverlening niet."],
        ["Vlaanderen, Gemeenschappen en Gewesten", "De echte hefbomen liggen bij de Vlaamse overheid."]]


def test_four_answers_give_a_run_with_a_note_instead_of_an_error(tmp_path, capsys):
    sheet = write_xlsx(tmp_path / "secties.xlsx", ROWS)
    code = main(["run", "--corpus", str(sheet), "--case-column", "Sectie", "--out", str(tmp_path / "out"),
                 "--embeddings", "none", "--no-pseudonymise"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    # a case may hold commas (a ministry, a section "Vlaanderen, Gemeenschappen en Gewesten"): listed with ";"
    assert "cases: Vlaanderen, Gemeenschappen en Gewesten; armoede; taal en communicatie" in printed.out
    assert "1 bestand gelezen (0 overgeslagen), 3 documenten uit 3 cases, 4 fragmenten, 0 thema's;" in printed.out
    run_dir = tmp_path / "out" / printed.out.strip().splitlines()[-1].rsplit("/", 1)[-1]
    tables = load_run(run_dir)
    assert len(tables.segments) == 4 and (tables.segments["theme_id"] == "").all()
    assert len(tables.themes) == 0 and len(tables.documents) == 3
    # every segment says why it has no theme
    assert set(tables.segments["excluded_reason"]) <= {"te weinig inhoud", "te weinig tekst voor thema's"}
    note = tables.info["no_themes"]
    assert "te weinig tekst voor thema's en mechanismen" in note and "30" in note
    for name in ("summary.md", "report.html"):
        assert note.split(":")[0] in html.unescape((run_dir / name).read_text(encoding="utf-8"))
    assert pd.read_csv(run_dir / "matrix.csv", encoding="utf-8-sig").empty


def test_a_missing_mechanism_codebook_stops_the_run_before_it_starts(tmp_path, capsys):
    sheet = write_xlsx(tmp_path / "secties.xlsx", ROWS)
    missing = tmp_path / "mechanismen.yaml"
    code = main(["run", "--corpus", str(sheet), "--case-column", "Sectie", "--out", str(tmp_path / "out"),
                 "--embeddings", "none", "--mechanism-codebook", str(missing)])
    printed = capsys.readouterr()
    assert code == 2
    assert str(missing) in printed.err and "--mechanism-codebook" in printed.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*/segments.csv"))
