"""Shared fixtures: small realistic Dutch notes written to real .docx/.pdf/.odt/.txt/.xlsx files,
and one run of them (with the extra notes of `makers.enrich`) per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .makers import (NOTES_ANTWERPEN, NOTES_GENT, SETTINGS, enrich, write_docx, write_manifest, write_odt,
                     write_pdf, write_xlsx)

@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Four formats, three cities, a manifest and a spreadsheet of written answers."""
    return write_small_corpus(tmp_path / "corpus")


def write_small_corpus(root: Path) -> Path:
    (root / "gent").mkdir(parents=True)
    (root / "gent" / "gent_tafel1.txt").write_text(NOTES_GENT, encoding="utf-8")
    write_docx(root / "antwerpen_tafel1.docx", NOTES_ANTWERPEN.strip().split("\n"))
    write_pdf(root / "brugge_meta.pdf", [
        "Metagesprek Brugge",
        "",
        "Algemeen directeur: De signalen van de werkvloer raken niet altijd tot bij het beleid. Onderweg",
        "gaat er veel verloren, en de urgentie verdwijnt. Dat is een probleem voor de verankering van",
        "goede projecten in de structurele werking.",
        "",
        "Diensthoofd welzijn: We willen meer integraal werken, maar de procedures staan dat in de weg.",
    ])
    write_odt(root / "leuven_tafel2.odt", [
        "Gesprekstafel Leuven",
        "Buurtwerker: In de wijk zien we altijd dezelfde mensen op onze activiteiten. De overtuigden komen wel.",
        "Wijkagent: De wijkagent is overladen met administratieve taken en speelt postbode.",
    ])
    write_xlsx(root / "antwoorden.xlsx", [
        ["Stad", "Vraag", "Antwoord"],
        ["Stad Gent", "Welke drempels ervaren burgers?", "De taal is een drempel aan het loket.\n\nWe zetten in op klare taal."],
        ["St.-Niklaas", "Welke drempels ervaren burgers?", "Het tolkenbudget is te klein voor de vraag."],
        [None, None, None],
        ["OOSTENDE", "Welke drempels ervaren burgers?", "Sociale huisvesting: de wachtlijsten zijn lang."],
    ])
    write_manifest(root, [
        ("gent/gent_tafel1.txt", "Stad Gent", "gesprekstafel 1", "frontlijnwerkers", "2019-09-12"),
        ("antwerpen_tafel1.docx", "Antwerpen", "gesprekstafel 1", "personeelsdienst", "2019-10-01"),
        ("brugge_meta.pdf", "Brugge", "metagesprek", "management", "2019-11-05"),
        ("leuven_tafel2.odt", "Leuven", "gesprekstafel 2", "buurtwerk; politie", "2019-10-20"),
        ("antwoorden.xlsx", "", "schriftelijke antwoorden", "stadsadministratie", "2019-06-30"),
    ])
    return root


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """The enriched small corpus analysed once per session with `makers.SETTINGS` (at least four
    themes, no mechanisms). Shared: read it, never write into it; use `run_dir` for a copy."""
    from pipeline import load_config, run

    root = tmp_path_factory.mktemp("small_run")
    corpus = enrich(write_small_corpus(root / "corpus"))
    result = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(root / "runs"), **SETTINGS}))
    assert len(result.themes) >= 4, list(result.themes["label"])
    return result


@pytest.fixture
def run_dir(small_run, tmp_path) -> Path:
    """A private copy of the session's run folder, for tests that write into it."""
    target = tmp_path / "runs" / small_run.run_dir.name
    shutil.copytree(small_run.run_dir, target)
    return target


def pytest_configure(config):
    # Minutes-long tests (full runs on ~1.5 M words): `pytest -m slow`; the default run skips them.
    config.addinivalue_line("markers", "slow: a test that takes minutes (full runs on large inputs)")
    config.addinivalue_line("markers", "long_file: a file of whole demo rounds (a minute or more); runs first")


def pytest_collection_modifyitems(config, items):
    """The files marked `long_file` first, the rest in their order (a stable sort keeps each file's
    tests together). `make test` hands out whole files in this order (--dist loadfile
    --no-loadscope-reorder): started last, the longest file ran on one worker alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("long_file") is None)


@pytest.fixture(scope="session")
def demo_result(tmp_path_factory):
    """The bundled demo corpus analysed once per session with the default settings (run and
    cache in a temporary folder): the end-to-end and notebook tests read it, none writes into it."""
    from pipeline import load_config, run

    return run(load_config(**{"output.out_dir": str(tmp_path_factory.mktemp("demo-runs"))}))

