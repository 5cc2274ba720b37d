"""The demo corpus end to end: the outputs contract, planted themes in the right cities,
byte-identical reruns, the warm cache, and names kept out of the run folder."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline import run
from pipeline.store import load_run

PROJECT = Path(__file__).resolve().parent.parent
TRUTH = PROJECT / "corpus" / "demo_truth.yaml"
TABLES = ["documents.csv", "segments.csv", "themes.csv", "matrix.csv", "summary.md"]


@pytest.fixture(scope="module")
def runs(demo_result):
    """The session's cold demo run, and a warm rerun of the same config into the same folder."""
    return demo_result, run(demo_result.config)


def test_outputs_contract(runs):
    cold, _ = runs
    folder = cold.run_dir
    for name in TABLES + ["run.json"]:
        assert (folder / name).is_file(), name
    segments = pd.read_csv(folder / "segments.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(segments.columns[:11]) == ["segment_id", "doc_id", "case", "session", "role", "source_file",
                                           "start_char", "end_char", "text", "theme_id", "theme_score"]
    themes = pd.read_csv(folder / "themes.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(themes.columns[:5]) == ["theme_id", "label", "top_terms", "n_segments", "n_cases"]
    matrix = pd.read_csv(folder / "matrix.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(matrix.columns) == ["theme_id"] + sorted(cold.documents["case"].unique())
    assert len(matrix.columns) == 15  # the 13 centre cities and the VGC
    assert list(matrix["theme_id"]) == list(themes["theme_id"])
    # counts agree across tables
    assigned = segments[segments["theme_id"] != ""]
    assert matrix.drop(columns="theme_id").sum(axis=1).tolist() == themes["n_segments"].tolist()
    assert assigned.groupby("theme_id")["case"].nunique().reindex(themes["theme_id"]).tolist() == themes["n_cases"].tolist()
    # every segment is either in a theme or says why not
    assert (segments.loc[segments["theme_id"] == "", "excluded_reason"] != "").all()
    info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    for key in ("config", "versions", "inputs", "counts", "seconds"):
        assert key in info
    assert info["counts"]["files_read"] == 43 and info["counts"]["files_skipped"] == 0
    assert all(len(f["sha256"]) == 64 for f in info["inputs"])
    assert info["counts"]["segments"] == len(segments)


def test_function_columns_are_dutch_in_every_table(runs):
    # issue #22: segments.csv and mechanism_evidence.csv name the statement functions as the
    # workbook, the .qdpx and the codebooks do (drempel, vaststelling, ...), also when read back
    from pipeline.outputs._wording import FUNCTION_NL

    folder = runs[0].run_dir
    dutch, english = set(FUNCTION_NL.values()), set(FUNCTION_NL)
    # (the demo's mechanism evidence holds fewer functions than its segments: two at least)
    for name, at_least in (("segments.csv", 3), ("mechanism_evidence.csv", 2)):
        written = set(pd.read_csv(folder / name, encoding="utf-8-sig", keep_default_na=False)["function"]) - {""}
        assert len(written) >= at_least and written <= dutch and not written & english, (name, written)
    loaded = load_run(folder)
    assert set(loaded.segments["function"]) - {""} <= dutch
    assert set(loaded.mechanism_evidence["function"]) <= dutch


def test_summary_in_dutch_with_sourced_quotes(runs):
    cold, _ = runs
    summary = (cold.run_dir / "summary.md").read_text(encoding="utf-8")
    for theme in cold.themes.itertuples():
        assert f"## {theme.theme_id} · {theme.label}" in summary
        assert f"in {theme.n_cases} van de 14 steden" in summary
    quotes = re.findall(r"^> — (.+)$", summary, flags=re.M)
    assert len(quotes) == 3 * len(cold.themes)
    files = set(cold.documents["source_file"])
    segments = cold.segments.set_index("segment_id")
    for source in quotes:  # 'Gent, gent/gent_gesprekstafel_2.pdf:0026, p. 2 (Medewerker stadsloket)'
        case, segment_id = source.split(", ")[:2]
        segment_id = segment_id.split(" (")[0]
        assert case in set(cold.documents["case"]) and segment_id in segments.index, source
        assert segments.at[segment_id, "source_file"] in files and segment_id.startswith(segments.at[segment_id, "source_file"])
        location = segments.at[segment_id, "location"]
        assert (f"{segment_id}, {location}" in source) == bool(location), source
    practices = re.findall(r"^- \*\*.*— (\S+?)(?:, (.+))?$", summary.split("## Praktijken per stad")[1], flags=re.M)
    assert len(practices) == len(cold.practices) > 0
    for segment_id, location in practices:  # every practice names its segment, and its page or row
        assert segment_id in segments.index and location == segments.at[segment_id, "location"], segment_id


def test_offsets_cut_out_the_segment_text(runs):
    tables = load_run(runs[0].run_dir)
    for row in tables.segments.itertuples():
        assert tables.texts[row.doc_id][row.start_char:row.end_char] == row.text


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", re.sub(r"\[Persoon \d+\]", " ", text).lower()))


def test_planted_themes_show_up_in_their_cities(runs):
    """Each planted theme's evidence turns mostly share one theme group (`parent_id`), that group
    occurs in every city the theme was planted in, and different planted themes land in different
    themes. A planted theme is a broad subject ("taal"): at the automatic k it may be split into
    themes of its own ("Nederlands", "Klare taal", "Tolken"), the group holds it together."""
    cold, _ = runs
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    parent = dict(zip(cold.themes["theme_id"], cold.themes["parent_id"]))
    segments = cold.segments.assign(group=cold.segments["theme_id"].map(lambda t: parent.get(t, "")))
    cities = segments[segments["group"] != ""].groupby("group")["case"].agg(set)
    by_file = {f: g for f, g in segments.groupby("source_file")}
    tops, shares = set(), []
    for theme in truth["themes"]:
        themes, groups = [], []
        for evidence in theme["evidence"]:
            words = _words(evidence["text"])
            # the segments holding this turn (a written answer may be several paragraphs)
            holders = [r for r in by_file[evidence["file"]].itertuples()
                       if len(_words(r.text) & words) >= 0.9 * len(_words(r.text))]
            assert holders, evidence["text"][:80]
            themes += [r.theme_id for r in holders]
            groups += [r.group for r in holders]
        tops.add(collections.Counter(t for t in themes if t).most_common(1)[0][0])
        group, n = collections.Counter(g for g in groups if g).most_common(1)[0]
        shares.append(n / len(groups))
        assert set(theme["cities"]) <= cities[group], (theme["id"], group)
    assert len(tops) >= 5, tops  # ten planted themes are not lumped into a few
    assert sum(shares) / len(shares) >= 0.3, shares


def test_rerun_is_byte_identical_and_uses_the_cache(runs):
    cold, warm = runs
    assert cold.run_dir != warm.run_dir and cold.run_dir.is_dir()  # a new folder, the old one kept
    for name in TABLES:
        assert (cold.run_dir / name).read_bytes() == (warm.run_dir / name).read_bytes(), name
    assert warm.info["cache"]["misses"] == 0 and warm.info["cache"]["hits"] > 0
    # every slow stage was served from the cache on the rerun
    stages = {p.name for p in (cold.run_dir.parent / ".cache").iterdir() if p.is_dir()}
    assert {"ingest", "persons", "nlp", "terms", "embed", "themes", "mechanisms", "practices"} <= stages, stages
    assert warm.info["seconds"]["nlp"] < cold.info["seconds"]["nlp"]


def test_person_names_stay_out_of_the_run_folder(runs):
    cold, _ = runs
    mapping = cold.run_dir.parent / f"{cold.run_dir.name}.pseudoniemen.csv"
    assert mapping.is_file() and not list(cold.run_dir.rglob("*pseudoniem*"))
    persons = pd.read_csv(mapping, keep_default_na=False)
    assert len(persons) >= 100 and persons["pseudonym"].str.match(r"^\[Persoon \d+\]$").all()
    full_names = [n for n in persons["name"] if len(n.split()) >= 2]
    blob = "\n".join(p.read_text(encoding="utf-8") for p in cold.run_dir.rglob("*")
                     if p.is_file() and p.suffix in (".csv", ".md", ".txt", ".json"))
    leaked = [n for n in full_names if n in blob]
    assert not leaked, leaked[:5]
    # the source offsets still point into the original text
    seg = cold.segments
    moved = seg[seg["source_start_char"] != seg["start_char"]]
    assert len(moved) > 0


def test_demo_tables_are_byte_identical_to_the_stored_checksums(runs):
    """The demo's tables as checksummed before the package was restructured (issue #10). A change
    that is meant to change the analysis updates tests/data/demo_tables.sha256 in the same commit
    and says why; any other difference is a regression."""
    import hashlib

    cold, _ = runs
    stored = dict(line.split()[::-1] for line in (PROJECT / "tests" / "data" / "demo_tables.sha256")
                  .read_text(encoding="utf-8").splitlines() if line.strip())
    now = {name: hashlib.sha256((cold.run_dir / name).read_bytes()).hexdigest() for name in stored}
    assert now == stored
