"""Issue "Bad input": every fixture gets a clear message naming the file and the fix, or is read
correctly; skips are listed in run.json and on the console; --strict turns each skip into an error.

One real `pipeline.run` and one real CLI run go over a folder that holds all fixtures at once next
to a few good files (tests/fixtures_bad.py); each case is then checked on its own.
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import pytest

from pipeline import InputError, load_config, run
from pipeline.cli import main
from pipeline.config import CorpusConfig, SegmentConfig
from pipeline.corpus import ingest
from pipeline.corpus._segment import segment

from .fixtures_bad import (BAD_CASES, CASES, FAST, FAST_CLI, build_corpus, run_fixture_corpus,
                           write_big_document)
from .makers import write_manifest

SKIPPED = [c for c in BAD_CASES if c.skipped]
ACCEPTED = [c for c in BAD_CASES if not c.skipped]


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    return run_fixture_corpus(tmp_path_factory)


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """(exit code, stdout, stderr) of `stadsgenoten run` over the same fixture folder."""
    base = tmp_path_factory.mktemp("cli-run")
    root = build_corpus(base / "corpus")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["run", "--corpus", str(root), "--out", str(base / "out"), *FAST_CLI])
    return code, out.getvalue(), err.getvalue()


def _record(info: dict, file: str) -> dict:
    records = [r for r in info["inputs"] if r["path"] == file]
    assert len(records) == 1, f"{file} is listed {len(records)} times in run.json inputs"
    return records[0]


# --------------------------------------------------------------------------- skipped files


@pytest.mark.parametrize("case", SKIPPED, ids=lambda c: c.name)
def test_skip_names_the_file_and_the_fix(case, fixture_run):
    record = _record(fixture_run.info, case.file)
    assert record["status"] == "skipped"
    assert case.reason.lower() in record["reason"].lower()
    assert case.fix.lower() in record["fix"].lower()
    assert {"file": case.file, "reason": record["reason"], "fix": record["fix"]} in fixture_run.info["skipped"]
    assert case.file not in set(fixture_run.result.documents["source_file"])


@pytest.mark.parametrize("case", SKIPPED, ids=lambda c: c.name)
def test_skip_is_listed_on_the_console(case, fixture_run, console):
    code, _, stderr = console
    assert code == 0
    record = _record(fixture_run.info, case.file)
    assert f"overgeslagen: {case.file}: {record['reason']} — {record['fix']}" in stderr.splitlines()


@pytest.mark.parametrize("case", SKIPPED, ids=lambda c: c.name)
def test_strict_turns_the_skip_into_an_error(case, tmp_path, capsys):
    root = build_corpus(tmp_path / "corpus", [case])
    code = main(["run", "--corpus", str(root), "--out", str(tmp_path / "out"), "--strict", *FAST_CLI])
    stderr = capsys.readouterr().err
    assert code == 2
    assert stderr.startswith("fout: ") and case.file in stderr
    assert case.fix.lower() in stderr.lower()
    assert not (tmp_path / "out").exists() or not any(p for p in (tmp_path / "out").iterdir() if p.name != ".cache")


# --------------------------------------------------------------------------- accepted files


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.name)
def test_accepted_file_is_read_right(case, fixture_run):
    record = _record(fixture_run.info, case.file)
    assert record["status"] == "read" and record["n_paragraphs"] > 0
    documents = fixture_run.result.documents
    text = "\n".join(documents.loc[documents["source_file"] == case.file, "text"])
    for expected in case.must_contain:
        assert expected in text
    for unexpected in case.must_not_contain:
        assert unexpected not in text
    assert "\r" not in text and "\ufeff" not in text and "\ufffd" not in text
    if case.warning:
        assert any(w.startswith(f"{case.file}: ") and case.warning.lower() in w.lower()
                   for w in fixture_run.info["warnings"])


@pytest.mark.parametrize("case", [c for c in ACCEPTED if c.warning], ids=lambda c: c.name)
def test_warning_about_an_accepted_file_is_on_the_console(case, console):
    _, _, stderr = console
    assert any(line.startswith(f"let op: {case.file}: ") and case.warning.lower() in line.lower()
               for line in stderr.splitlines())


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.name)
def test_strict_accepts_what_is_readable(case, tmp_path):
    root = build_corpus(tmp_path / "corpus", [case])
    result = ingest(CorpusConfig(path=str(root), strict=True))
    assert case.file in {f.path for f in result.files if f.status == "read"}


# --------------------------------------------------------------------------- the whole folder


def test_every_file_in_the_folder_is_accounted_for(fixture_run):
    on_disk = {p.relative_to(fixture_run.root).as_posix() for p in fixture_run.root.rglob("*")
               if p.is_file() and p.name != "manifest.csv"}
    listed = [r["path"] for r in fixture_run.info["inputs"]]
    assert sorted(listed) == sorted(on_disk | {CASES["manifest_row_without_file"].file})
    counts = fixture_run.info["counts"]
    assert counts["files_skipped"] == len(SKIPPED) == len(fixture_run.info["skipped"])
    assert counts["files_read"] == counts["files"] - counts["files_skipped"]
    assert {r["path"] for r in fixture_run.info["inputs"] if r["status"] == "read"} == \
        set(fixture_run.result.documents["source_file"])


def test_console_summary_counts_the_skips(fixture_run, console):
    code, stdout, stderr = console
    assert code == 0
    assert f"({len(SKIPPED)} overgeslagen)" in stdout
    assert sum(line.startswith("overgeslagen: ") for line in stderr.splitlines()) == len(SKIPPED)
    assert Path(stdout.strip().splitlines()[-1]).is_dir()  # the run folder, last


def test_strict_stops_at_the_first_bad_file(fixture_run, tmp_path, capsys):
    first = next(r for r in fixture_run.info["inputs"] if r["status"] == "skipped")
    config = load_config(**{"corpus.path": str(fixture_run.root), "output.out_dir": str(tmp_path / "out"),
                            "corpus.strict": True, **FAST})
    with pytest.raises(InputError) as info:
        run(config)
    assert first["path"] in str(info.value) and first["fix"] in str(info.value)
    code = main(["run", "--corpus", str(fixture_run.root), "--out", str(tmp_path / "out"), "--strict", *FAST_CLI])
    assert code == 2
    assert first["path"] in capsys.readouterr().err


# --------------------------------------------------------------------------- a 10 MB document


@pytest.fixture
def big_corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    path = write_big_document(root)
    write_manifest(root, [(path.name, "Gent", "jaarverslag", "frontlijnwerkers", "2019-12-31")])
    return root


def test_ten_megabyte_document_is_read_and_segmented(big_corpus):
    ingested = ingest(CorpusConfig(path=str(big_corpus)))
    segments = segment(ingested.documents, SegmentConfig())
    [record] = ingested.files
    assert record.status == "read" and record.bytes >= 10_000_000
    assert any(w.startswith(f"{record.path}: groot bestand") for w in ingested.warnings)
    text = ingested.documents.iloc[0]["text"]
    # Every paragraph of the file (here: one turn each) is one segment, offsets exact.
    original = (big_corpus / record.path).read_text(encoding="utf-8").split("\n\n")
    assert len(segments) == record.n_paragraphs == sum(1 for p in original if p.strip())
    assert all(text[s:e] == t for s, e, t in zip(segments["start_char"], segments["end_char"], segments["text"]))


@pytest.mark.slow
def test_ten_megabyte_document_full_run(big_corpus, tmp_path, request):
    """The whole analysis, default settings, on ~1.5 M words (minutes; run with -m slow)."""
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("minutes long: run it with -m slow")
    started = time.perf_counter()
    result = run(load_config(**{"corpus.path": str(big_corpus), "output.out_dir": str(tmp_path / "out")}))
    seconds = time.perf_counter() - started
    assert result.info["counts"]["segments"] == result.info["counts"]["paragraphs_in"]
    assert result.info["counts"]["themes"] >= 2
    assert seconds < 20 * 60, f"the full run on 10 MB took {seconds / 60:.1f} min"


# --------------------------------------------------------------------------- reader details


def test_word_tables_nested_and_merged_cells_are_read_once(tmp_path):
    import docx

    from pipeline.corpus import read_file_text

    document = docx.Document()
    document.add_paragraph("Verslag in tabelvorm")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Spreker", "Wat gezegd werd"
    table.cell(1, 0).text = "Buurtwerker"
    table.cell(1, 1).text = "De overtuigden komen wel."
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "Geneste cel: alleen de vaste bezoekers."
    table.cell(2, 0).merge(table.cell(2, 1)).text = "Samengevoegde rij over twee kolommen."
    path = tmp_path / "tabel.docx"
    document.save(str(path))
    assert read_file_text(path) == (
        "Verslag in tabelvorm\n\nSpreker\n\nWat gezegd werd\n\nBuurtwerker\n\n"
        "De overtuigden komen wel.\nGeneste cel: alleen de vaste bezoekers.\n\n"
        "Samengevoegde rij over twee kolommen.\n")


def test_csv_row_numbers_survive_blank_lines_and_a_title_row(tmp_path):
    path = tmp_path / "antwoorden.csv"
    path.write_text("Bevraging 2019;;\n\nStad;Vraag;Antwoord\nGent;V1;Eerste antwoord.\n\n"
                    "Leuven;V1;Tweede antwoord.\n", encoding="utf-8")
    documents = ingest(CorpusConfig(path=str(path))).documents.set_index("case")
    assert [b["location"] for b in documents.loc["Gent", "blocks"]] == ["csv rij 4", "csv rij 4"]
    assert [b["location"] for b in documents.loc["Leuven", "blocks"]] == ["csv rij 6", "csv rij 6"]


def test_text_files_of_every_unicode_encoding_decode(tmp_path):
    from pipeline.corpus import decode_text

    text = "Coördinator: ‘reëel’ – € 800."
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        decoded, _ = decode_text(text.encode(encoding), Path(f"x-{encoding}.txt"))
        assert decoded.lstrip("\ufeff") == text, encoding


def test_when_every_file_is_skipped_the_error_names_each_one(tmp_path, capsys):
    """Piped output, CI, scripts: the error itself lists every skipped file with its reason."""
    folder = tmp_path / "notities"
    folder.mkdir()
    (folder / "leeg.txt").write_text("", encoding="utf-8")
    (folder / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0 oud Word-bestand")
    write_manifest(folder, [("leeg.txt", "Gent", "tafel 1", "", ""), ("oud.doc", "Gent", "tafel 2", "", "")])
    with pytest.raises(InputError) as caught:
        ingest(CorpusConfig(path=str(folder)))
    message = str(caught.value)
    assert "leeg.txt: het bestand is leeg" in message and "oud.doc: bestandstype '.doc' wordt niet ondersteund" in message
    assert "sla het op als .docx" in message and "hierboven" not in message
    assert main(["run", "--corpus", str(folder), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "leeg.txt" in capsys.readouterr().err


def test_skips_are_printed_with_quiet_too(tmp_path, capsys):
    folder = build_corpus(tmp_path / "corpus")
    assert main(["run", "--corpus", str(folder), "--out", str(tmp_path / "out"), "--quiet", *FAST_CLI]) == 0
    err = capsys.readouterr().err
    assert err.count("overgeslagen: ") == len(SKIPPED)
