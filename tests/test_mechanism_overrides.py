"""The analyst's mechanisms (issue 20, item 3): confirm, drop, rename, merge and define new ones in
the overrides file; applied by `regenerate` and by reruns, bound to their content, shown in the
report, workbook and .qdpx, and written as a mechanism codebook that codes the next round."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from pipeline import load_config, run
from pipeline.analysis.mechanisms import (CODEBOOK_NAME, apply_mechanism_overrides, load_mechanism_codebook,
                                          load_mechanism_overrides, parse_mechanism_overrides, record_mechanisms)
from pipeline.errors import ConfigError
from pipeline.outputs import regenerate
from pipeline.store import load_run

pytestmark = pytest.mark.long_file  # whole demo reruns: scheduled first (tests/conftest.py)

PROJECT = Path(__file__).resolve().parent.parent
TRUTH = PROJECT / "corpus" / "demo_truth.yaml"


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split()).strip(" .")


# ------------------------------------------------------------------------------ validation

@pytest.mark.parametrize("lines, problem", [
    ({"mechanisms": {"bevestig": ["M01"]}}, "onbekende sleutel"),
    ({"mechanisms": {"confirm": ["T03"]}}, "geen mechanisme-id"),
    ({"mechanisms": {"confirm": ["M01"], "drop": ["M01"]}}, "M01 staat bij drop en bij confirm"),
    ({"mechanisms": {"merge": [["M01", "M02"], ["M02", "M03"]]}}, "M02 staat in groep 1 en in groep 2"),
    ({"mechanisms": {"merge": [["M01", "M02"]], "rename": {"M02": "x"}}}, "hernoem M01"),
    ({"mechanisms": {"rename": {"M03": ""}}}, "niet-leeg label"),
    ({"mechanisms": {"new": [{"label": "Projecten blijven tijdelijk"}]}}, "heeft seeds nodig"),
    ({"mechanisms": {"new": [{"label": "x", "seeds": ["a b"], "kleur": "rood"}]}}, "enkel 'label' en 'seeds'"),
    ({"mechanisms": ["M01"]}, "verwacht een mapping"),
    # the two slips of a first overrides file: a list without brackets, one merge group without its own
    ({"mechanisms": {"confirm": "M01, M02"}}, "schrijf meer id's als lijst: [M01, M02]"),
    ({"mechanisms": {"merge": ["M02", "M03"]}}, "één groep schrijf je [[M02, M03]]"),
])
def test_a_wrong_mechanism_line_is_an_error_naming_the_file_and_the_problem(lines, problem):
    with pytest.raises(ConfigError) as err:
        parse_mechanism_overrides(lines, "analist/overrides.yaml")
    assert "analist/overrides.yaml: mechanisms:" in str(err.value)
    assert problem in str(err.value)


def test_the_theme_lines_accept_the_mechanism_lines_beside_them(tmp_path):
    from pipeline.analysis.themes import load_overrides

    path = tmp_path / "overrides.yaml"
    path.write_text('rename: {T03: "Taal en tolken"}\nmechanisms:\n  confirm: [M02]\n', encoding="utf-8")
    assert load_overrides(path).rename == {"T03": "Taal en tolken"}
    assert load_mechanism_overrides(path).confirm == ("M02",)


def test_keep_is_the_issues_word_for_confirm():
    """Issue 20 says "keep or drop a reported mechanism": `keep:` confirms, like `confirm:`."""
    tables = _tables({"M01": ("taal; drempel", ["Gent:1", "Aalst:2", "Genk:3"]),
                      "M02": ("tolk; budget", ["Gent:4", "Brugge:5", "Leuven:6"])})
    lines = parse_mechanism_overrides({"mechanisms": {"keep": ["M01"], "drop": ["M02"]}}, "o.yaml")
    out = apply_mechanism_overrides(tables, lines)
    assert list(zip(out.mechanisms["mechanism_id"], out.mechanisms["source"])) == [("M01", "bevestigd door analist")]
    with pytest.raises(ConfigError, match="M01 staat bij drop en bij confirm"):
        parse_mechanism_overrides({"mechanisms": {"keep": ["M01"], "drop": ["M01"]}}, "o.yaml")


# ------------------------------------------------------------------------------ bound to content

def _tables(mechanisms: dict[str, tuple[str, list[str]]]):
    """Minimal run tables: mechanism id -> (key terms, evidence segment ids)."""
    from pipeline.store import RunTables

    segs = sorted({s for _, ids in mechanisms.values() for s in ids})
    segments = pd.DataFrame({"segment_id": segs, "case": [s.split(":")[0] for s in segs], "text": segs,
                             "theme_id": "T01", "session": "gesprekstafel 1", "role": "", "speaker": "",
                             "function": "", "mechanism_ids": ""})
    from pipeline.schema import TABLES

    rows = [{**dict.fromkeys(TABLES["mechanisms"].columns, ""), "mechanism_id": m, "label": f"label {m}",
             "key_terms": terms, "source": "inductief", "n_cases": 3, "themes": "T01"}
            for m, (terms, _) in mechanisms.items()]
    evidence = pd.DataFrame([{"mechanism_id": m, "segment_id": s, "case": s.split(":")[0], "text": s, "sent": 0,
                              "function": "", "session": "", "level": "", "theme_id": "T01", "claims": "",
                              "connectives": "", "similarity": 1.0, "city_quote": True}
                             for m, (_, ids) in mechanisms.items() for s in ids])
    docs = pd.DataFrame({"case": sorted({s.split(":")[0] for s in segs})})
    return RunTables(documents=docs, segments=segments, themes=pd.DataFrame(), matrix=pd.DataFrame(), info={},
                     texts={}, mechanisms=pd.DataFrame(rows), mechanism_evidence=evidence)


def test_a_line_follows_its_mechanism_when_a_rerun_numbers_them_otherwise(tmp_path):
    first = _tables({"M01": ("taal; drempel", ["Gent:1", "Aalst:2", "Genk:3"]),
                     "M02": ("project; subsidie", ["Gent:4", "Brugge:5", "Leuven:6"])})
    path = tmp_path / "overrides.yaml"
    path.write_text('mechanisms:\n  rename: {M02: "Projecten blijven tijdelijk"}\n  drop: [M01]\n', encoding="utf-8")
    lines = record_mechanisms(path, load_mechanism_overrides(path), first.mechanisms, first.mechanism_evidence)
    assert lines.recorded["M02"]["segments"] == ["Gent:4", "Brugge:5", "Leuven:6"]
    assert "# Door stadsgenoten ingevuld" in path.read_text(encoding="utf-8")

    # the rerun found a new mechanism first: the projects are M03 now, M02 is another one
    rerun = _tables({"M01": ("tolk; budget", ["Gent:7", "Kortrijk:8", "Genk:9"]),
                     "M02": ("taal; drempel", ["Gent:1", "Aalst:2", "Genk:3", "Mechelen:10"]),
                     "M03": ("project; subsidie", ["Gent:4", "Brugge:5", "Leuven:6", "Hasselt:11"])})
    out = apply_mechanism_overrides(rerun, load_mechanism_overrides(path))
    labels = dict(zip(out.mechanisms["mechanism_id"], out.mechanisms["label"]))
    assert labels == {"M01": "label M01", "M03": "Projecten blijven tijdelijk"}  # the language one dropped
    assert set(out.mechanism_evidence["mechanism_id"]) == {"M01", "M03"}

    # a run in which the projects mechanism is gone applies neither line to another mechanism
    gone = _tables({"M01": ("tolk; budget", ["Gent:7", "Kortrijk:8", "Genk:9"]),
                    "M02": ("wachtlijst; woning", ["Gent:12", "Aalst:13", "Genk:14"])})
    out = apply_mechanism_overrides(gone, load_mechanism_overrides(path))
    assert list(out.mechanisms["label"]) == ["label M01", "label M02"]
    assert sum("niet meer gevonden" in w for w in out.info["mechanism_overrides"]["warnings"]) == 2


def test_an_unknown_id_is_a_warning_not_an_error():
    tables = _tables({"M01": ("taal; drempel", ["Gent:1", "Aalst:2", "Genk:3"])})
    out = apply_mechanism_overrides(tables, parse_mechanism_overrides({"mechanisms": {"confirm": ["M01", "M09"]}},
                                                                      "o.yaml"))
    assert list(out.mechanisms["source"]) == ["bevestigd door analist"]
    assert any("M09 komt in deze run niet voor" in w for w in out.info["warnings"])


# ------------------------------------------------------------------------------ the goal, on the demo

@pytest.fixture(scope="module")
def analyst(demo_result, tmp_path_factory):
    """The demo run with an overrides file: the first mechanism confirmed, the second renamed, the
    last dropped, and a new one from three seeds (a segment id and two sentences) of a planted
    mechanism that no reported mechanism holds."""
    root = tmp_path_factory.mktemp("analist")
    run_dir = root / "runs" / demo_result.run_dir.name
    shutil.copytree(demo_result.run_dir, run_dir)
    tables = load_run(run_dir)
    ids = list(tables.mechanisms["mechanism_id"])
    assert len(ids) >= 4, ids
    held = {_norm(t) for t in tables.mechanism_evidence["text"]}
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))["mechanisms"]
    planted = next(m for m in truth if not any(_norm(s["text"]) in held for s in m["sentences"]))
    sentences = [s["text"] for s in planted["sentences"]]
    first_segment = next(s for s, t in zip(tables.segments["segment_id"], tables.segments["text"])
                         if _norm(sentences[0]) in _norm(t))
    picks = {"confirm": ids[0], "rename": ids[1], "drop": ids[-1]}
    overrides = root / "overrides.yaml"
    overrides.write_text(yaml.safe_dump({"mechanisms": {
        "confirm": [picks["confirm"]], "drop": [picks["drop"]],
        "rename": {picks["rename"]: "Het label van de analist"},
        "new": [{"label": planted["label"], "seeds": [first_segment, *sentences[1:3]]}]}},
        allow_unicode=True), encoding="utf-8")
    labels = dict(zip(tables.mechanisms["mechanism_id"], tables.mechanisms["label"]))
    return {"root": root, "run_dir": run_dir, "overrides": overrides, "picks": picks, "labels": labels,
            "planted": planted, "seed_sentences": sentences[:3], "tables": tables}


def _report_statuses(run_dir: Path) -> dict[str, str]:
    """Mechanism label -> the analyst's status, as report.html, the workbook and the .qdpx show them."""
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(run_dir / "stadsgenoten.xlsx", read_only=True)["Mechanismen"]
    rows = list(sheet.iter_rows(values_only=True))
    head = [str(h) for h in rows[0]]
    at = next(k for k, r in enumerate(rows) if "mechanism_id" in [str(c) for c in r]) if "mechanism_id" not in head \
        else 0
    head = [str(h) for h in rows[at]]
    workbook = {r[head.index("label")]: r[head.index("source")] for r in rows[at + 1:] if r[head.index("label")]}
    with zipfile.ZipFile(run_dir / "stadsgenoten.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
    return {"html": html, "workbook": workbook, "qde": qde}


def _check_outputs(run_dir: Path, a: dict) -> None:
    shown = _report_statuses(run_dir)
    picks, labels = a["picks"], a["labels"]
    expected = {labels[picks["confirm"]]: "bevestigd door analist", "Het label van de analist": "hernoemd door analist",
                a["planted"]["label"]: "nieuw door analist"}
    for label, status in expected.items():
        assert shown["workbook"].get(label) == status, (label, shown["workbook"])
        assert f"{label}" in shown["html"] and status in shown["html"]
        assert f"{label} [{status}]" in shown["qde"].replace("&quot;", '"')
    assert labels[picks["drop"]] not in shown["workbook"]
    assert labels[picks["drop"]] not in shown["html"].split('id="mechanismen"')[1].split('id="praktijken"')[0]
    # the new one has its seeds as evidence, in their cities
    mechanisms = pd.read_csv(run_dir / "mechanisms.csv", encoding="utf-8-sig", keep_default_na=False)
    assert labels[picks["drop"]] in set(mechanisms["label"])  # the run's own table stays as found
    book = load_mechanism_codebook(run_dir / CODEBOOK_NAME)
    assert {f.label for f in book.families} == set(expected)
    new = next(f for f in book.families if f.label == a["planted"]["label"])
    assert {_norm(s) for s in a["seed_sentences"][1:]} <= {_norm(e) for e in new.examples}
    assert [r.label for r in book.rejected] == [labels[picks["drop"]]]


def test_the_analysts_mechanisms_survive_regenerate_a_rerun_and_the_next_round(analyst, tmp_path_factory):
    a = analyst
    # 1. regenerate: report, workbook and .qdpx show them; the codebook is written; the file records them
    regenerate(a["run_dir"], a["overrides"])
    _check_outputs(a["run_dir"], a)
    recorded = yaml.safe_load(a["overrides"].read_text(encoding="utf-8"))["mechanisms_recorded"]
    assert set(recorded) == {a["picks"]["confirm"], a["picks"]["rename"], a["picks"]["drop"], "seeds"}
    # the segment-id seed is recorded with its statement: the planted sentence, not its whole turn
    assert [_norm(t) for t in recorded["seeds"].values()] == [_norm(a["seed_sentences"][0])]
    regenerate(a["run_dir"], a["overrides"])  # twice gives the same, not a second new mechanism
    _check_outputs(a["run_dir"], a)

    # 2. a rerun of the corpus with the file
    demo_out = Path(a["tables"].info["config"]["output"]["out_dir"])
    cfg = load_config(**{"output.out_dir": str(a["root"] / "runs"), "output.cache_dir": str(demo_out / ".cache"),
                         "themes.overrides": str(a["overrides"])})
    rerun = run(cfg)
    _check_outputs(rerun.run_dir, a)
    assert rerun.info["mechanism_overrides"]["applied"]["confirmed"] == [a["picks"]["confirm"]]

    # 3. the next round: a variant of the notes (two cities fewer) coded with the written codebook
    corpus = _variant_corpus(tmp_path_factory.mktemp("ronde2"), a)
    second = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(corpus.parent / "runs"),
                                "output.cache_dir": str(demo_out / ".cache"),
                                "mechanisms.codebook": str(a["run_dir"] / CODEBOOK_NAME)}))
    found = second.mechanisms
    coded = found[found["source"] == "analist"]  # coded with the analyst's codebook
    labels = a["labels"]
    assert {labels[a["picks"]["confirm"]], "Het label van de analist", a["planted"]["label"]} <= set(coded["label"])
    new = coded[coded["label"] == a["planted"]["label"]].iloc[0]
    assert int(new["n_cases"]) >= 3
    # the dropped one is not found again, not even inductively: no mechanism of the next round rests
    # mostly on the statements it was made of
    dropped = set(a["tables"].mechanism_evidence.query("mechanism_id == @a['picks']['drop']")["text"].map(_norm))
    assert labels[a["picks"]["drop"]] not in set(found["label"])
    for mid, group in second.mechanism_evidence.groupby("mechanism_id"):
        assert group["text"].map(_norm).isin(dropped).mean() < 0.5, mid


def _variant_corpus(root: Path, a: dict) -> Path:
    """The demo notes without the files of the two cities the analyst's kept mechanisms need least
    (their written answers in the shared spreadsheet stay)."""
    demo = PROJECT / "corpus" / "demo"
    manifest = pd.read_csv(demo / "manifest.csv", keep_default_na=False)
    evidence = a["tables"].mechanism_evidence
    kept_ids = [a["picks"]["confirm"], a["picks"]["rename"]]
    need = pd.concat([evidence[evidence["mechanism_id"].isin(kept_ids)]["case"],
                      pd.Series([s["city"] for s in a["planted"]["sentences"]])]).value_counts()
    cities = sorted(c for c in set(manifest["city"]) if c)
    leave_out = sorted(cities, key=lambda c: (need.get(c, 0), c))[:2]
    corpus = root / "corpus"
    shutil.copytree(demo, corpus)
    drop = manifest["city"].isin(leave_out)
    for file in manifest.loc[drop, "file"]:
        (corpus / file).unlink()
    manifest[~drop].to_csv(corpus / "manifest.csv", index=False)
    return corpus


def test_a_codebook_mechanism_may_be_defined_by_examples_alone(tmp_path):
    from pipeline.errors import InputError

    path = tmp_path / "codeboek.yaml"
    path.write_text(yaml.safe_dump({"mechanisms": [
        {"id": "tijdelijk", "label": "Projecten blijven tijdelijk",
         "examples": ["Als de subsidie stopt, verdwijnt het project.", "Na de looptijd blijft er niets van over."]}],
        "dropped": [{"label": "Eerlijk gezegd", "examples": ["Dat weet ik eerlijk gezegd niet."]}]},
        allow_unicode=True), encoding="utf-8")
    book = load_mechanism_codebook(path)
    assert book.families[0].examples[0] == "Als de subsidie stopt, verdwijnt het project."
    assert book.families[0].core == () and book.has_examples
    assert [f.label for f in book.rejected] == ["Eerlijk gezegd"]
    path.write_text(yaml.safe_dump({"concepts": {}, "mechanisms": [{"id": "x", "label": "X"}]}), encoding="utf-8")
    with pytest.raises(InputError, match="core- en partnerconcepten uit 'concepts:' of examples nodig"):
        load_mechanism_codebook(path)


def test_regenerate_on_a_run_without_reported_mechanisms_adds_the_analysts_new_one(run_dir):
    """The small corpus reports no mechanism: a confirm line is a warning, a new one from two seed
    sentences of two cities is there with its evidence, and the codebook holds it."""
    tables = load_run(run_dir)
    texts = list(tables.segments["text"])
    seeds = ["De taal is een drempel aan het loket.", "Het tolkenbudget is te klein voor de vraag."]
    assert all(any(s in t for t in texts) for s in seeds)
    (run_dir / "overrides.yaml").write_text(yaml.safe_dump({"mechanisms": {
        "confirm": ["M01"], "new": [{"label": "Taal blijft een drempel", "seeds": seeds}]}}, allow_unicode=True),
        encoding="utf-8")
    regenerate(run_dir)
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Taal blijft een drempel" in html and "nieuw door analist" in html
    record = yaml.safe_load((run_dir / "regenerated.json").read_text(encoding="utf-8"))["mechanism_overrides"]
    assert any("M01 komt in deze run niet voor" in w for w in record["warnings"])
    book = load_mechanism_codebook(run_dir / CODEBOOK_NAME)
    assert [f.label for f in book.families] == ["Taal blijft een drempel"]
    assert set(book.families[0].examples) == set(seeds)


def test_a_merge_joins_the_evidence_under_the_first_id_and_counts_it_again():
    tables = _tables({"M01": ("tolk; budget", ["Gent:1", "Aalst:2", "Genk:3"]),
                      "M02": ("tolk; wachtlijst", ["Gent:1", "Brugge:4", "Leuven:5"]),
                      "M03": ("project; subsidie", ["Gent:6", "Brugge:7", "Leuven:8"])})
    lines = parse_mechanism_overrides({"mechanisms": {"merge": [["M01", "M02"]],
                                                      "rename": {"M01": "Tolken zijn schaars en duur"}}}, "o.yaml")
    out = apply_mechanism_overrides(tables, lines)
    row = out.mechanisms.set_index("mechanism_id").loc["M01"]
    assert list(out.mechanisms["mechanism_id"]) == ["M01", "M03"]
    assert row["label"] == "Tolken zijn schaars en duur"
    assert row["source"] == "samengevoegd en hernoemd door analist"
    assert (row["n_cases"], row["n_segments"]) == (5, 5)  # Gent:1 once
    assert row["cases"] == "Aalst; Brugge; Genk; Gent; Leuven"
    assert set(out.mechanism_evidence["mechanism_id"]) == {"M01", "M03"}


def test_a_seed_sentence_the_run_lacks_stays_an_example_and_an_unknown_fragment_id_is_named(run_dir):
    """Seeds are the analyst's definition: a sentence this round does not hold still defines the
    mechanism for the next round (the warning says so), also when other seeds were found; a seed
    written as a fragment id that the run does not have is said to be one, not called a sentence."""
    found = "De taal is een drempel aan het loket."
    absent = "Wie geen Nederlands spreekt, raakt aan het onthaal niet verder."
    (run_dir / "overrides.yaml").write_text(yaml.safe_dump({"mechanisms": {"new": [
        {"label": "Taal blijft een drempel", "seeds": [found, absent, "gent/gent_tafel1.txt:0099"]}]}},
        allow_unicode=True), encoding="utf-8")
    regenerate(run_dir)
    book = load_mechanism_codebook(run_dir / CODEBOOK_NAME)
    assert {_norm(found), _norm(absent)} <= {_norm(e) for e in book.families[0].examples}
    assert not any("gent_tafel1" in e for e in book.families[0].examples)
    warnings = yaml.safe_load((run_dir / "regenerated.json").read_text(encoding="utf-8"))["mechanism_overrides"]["warnings"]
    assert any("gent/gent_tafel1.txt:0099" in w and "fragment" in w and "bestaat niet" in w for w in warnings), warnings


def test_the_report_says_what_the_analyst_decided_and_the_counts_add_up(analyst, tmp_path_factory):
    """The method appendix lists each mechanism line applied (not an empty list under 'Toegepast
    uit overrides.yaml'), and the mechanisms section says how the analyst's decisions turn the
    reported number into the number shown."""
    a = analyst
    run_dir = tmp_path_factory.mktemp("besluiten") / a["run_dir"].name
    shutil.copytree(a["run_dir"], run_dir)
    regenerate(run_dir, a["overrides"])
    summary = (run_dir / "summary.md").read_text(encoding="utf-8")
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    picks, labels = a["picks"], a["labels"]
    appendix = summary.split("### Aanpassingen door de analist")[1].split("###")[0]
    assert f"{picks['confirm']} bevestigd" in appendix
    assert f"{picks['rename']} hernoemd tot ‘Het label van de analist’" in appendix
    assert f"{picks['drop']} geschrapt (‘{labels[picks['drop']]}’)" in appendix
    assert f"nieuw: ‘{a['planted']['label']}’" in appendix
    shown = len(load_run(run_dir).mechanisms) - 1 + 1  # one dropped, one new
    section = summary.split("## Mechanismen")[1].split("\n### ")[0]
    assert f"hieronder staan er {shown}" in section, section
    assert "1 geschrapt" in section and "1 nieuw" in section
    assert f"{picks['drop']} geschrapt" in html and f"hieronder staan er {shown}" in html
    # the workbook's overview says the same as the report
    overview = openpyxl.load_workbook(run_dir / "stadsgenoten.xlsx", read_only=True)["Overzicht"]
    facts = {r[0]: r[1] for r in overview.iter_rows(values_only=True) if r and r[0]}
    assert facts["Kandidaat-mechanismen"].startswith(section.split("\n\n")[2].split(" Daarna")[0][:60])
    assert f"hieronder staan er {shown}" in facts["Kandidaat-mechanismen"]


def test_a_fragment_id_seed_stands_for_its_statement_not_the_whole_fragment(run_dir):
    """A seed copied from segments.csv or from `zoek` names a fragment of several sentences (a
    speaker's turn, a whole written answer); the mechanism's evidence, the report's quote and the
    codebook's example are the sentence of it that says what the label and the other seeds say,
    not the whole turn (a long example would code the next round on everything else it says)."""
    (run_dir / "overrides.yaml").write_text(yaml.safe_dump({"mechanisms": {"new": [
        {"label": "Taal blijft een drempel",
         "seeds": ["gent/gent_tafel1.txt:0004", "De taal is een drempel aan het loket."]}]}},
        allow_unicode=True), encoding="utf-8")
    regenerate(run_dir)
    book = load_mechanism_codebook(run_dir / CODEBOOK_NAME)
    assert set(book.families[0].examples) == {"Taal blijft de grootste drempel.", "De taal is een drempel aan het loket."}
    section = (run_dir / "summary.md").read_text(encoding="utf-8").split("## Mechanismen")[1].split("\n## ")[0]
    assert "«Taal blijft de grootste drempel.»" in section
    assert "De ouders verstaan de brieven" not in section


def test_the_statement_of_a_written_answer_whose_sentences_are_glued_together():
    """Parliamentary answers copied from PDFs glue sentences ("valt.De"): the statement is still one sentence."""
    from pipeline.analysis.mechanisms._overrides import _statement_of, _words

    answer = ("Inzake de afsluitingen is dit een aspect van de distributie, die onder de bevoegdheid van de Gewesten "
              "valt.De gewestelijke regulatoren publiceren regelmatig statistieken hierover, o.a.De Vreg.")
    statement, number = _statement_of(answer, _words("De bevoegdheid ligt bij de Gewesten"),
                                      {w: 1.0 for w in _words(answer)})
    assert statement.endswith("onder de bevoegdheid van de Gewesten valt.") and number == 0


def test_a_rerun_says_each_warning_about_the_mechanism_lines_once(small_run, tmp_path):
    """`stadsgenoten run --overrides` printed each warning about a mechanism line three times (logged
    by both applications of the lines, then again as 'let op:'); the analyst reads it once."""
    import subprocess
    import sys

    overrides = tmp_path / "overrides.yaml"
    overrides.write_text('mechanisms:\n  confirm: [M07]\n', encoding="utf-8")
    corpus = small_run.config.corpus.path
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--corpus", str(corpus), "--out", str(tmp_path / "runs"),
           "--overrides", str(overrides), "--embeddings", "none", "--n-themes", "5"]
    done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("M07 komt in deze run niet voor") == 1, done.stderr


def _notes(texts: dict[str, str]):
    """Run tables of a few fragments (segment id -> text) without mechanisms."""
    from pipeline.store import RunTables

    segments = pd.DataFrame({"segment_id": list(texts), "case": [s.split("/")[0] for s in texts],
                             "text": list(texts.values()), "theme_id": "T01", "session": "gesprekstafel 1",
                             "role": "", "speaker": "", "function": "", "mechanism_ids": ""})
    from pipeline.schema import TABLES

    return RunTables(documents=pd.DataFrame({"case": sorted(set(segments["case"]))}), segments=segments,
                     themes=pd.DataFrame(), matrix=pd.DataFrame(), info={}, texts={},
                     mechanisms=pd.DataFrame(columns=TABLES["mechanisms"].columns), mechanism_evidence=None)


def test_a_fragment_id_seed_keeps_its_statement_when_a_rerun_numbers_the_fragments_otherwise(tmp_path):
    """Fragment ids are positions ("gent/tafel.txt:0004": the fourth fragment): a note with one
    paragraph more shifts them. The first time the lines are applied, the statement each id seed
    stands for is recorded, and a rerun takes that statement wherever it now is, never the
    fragment that took over the number."""
    first = _notes({"gent/tafel.txt:0004": "De ouders verstaan de brieven van de school niet. Taal blijft de grootste drempel.",
                    "gent/tafel.txt:0005": "We zetten in op klare taal.",
                    "aalst/tafel.txt:0002": "De taal is een drempel aan het loket."})
    path = tmp_path / "overrides.yaml"
    path.write_text(yaml.safe_dump({"mechanisms": {"new": [{"label": "Taal blijft een drempel", "seeds": [
        "gent/tafel.txt:0004", "De taal is een drempel aan het loket."]}]}}, allow_unicode=True), encoding="utf-8")
    lines = record_mechanisms(path, load_mechanism_overrides(path), first.mechanisms, first.mechanism_evidence,
                              first.segments)
    assert apply_mechanism_overrides(first, lines).mechanism_evidence["text"].tolist() == [
        "Taal blijft de grootste drempel.", "De taal is een drempel aan het loket."]

    rerun = _notes({"gent/tafel.txt:0003": "De ouders verstaan de brieven van de school niet. Taal blijft de grootste drempel.",
                    "gent/tafel.txt:0004": "We zetten in op klare taal.",
                    "aalst/tafel.txt:0002": "De taal is een drempel aan het loket."})
    evidence = apply_mechanism_overrides(rerun, load_mechanism_overrides(path)).mechanism_evidence
    assert dict(zip(evidence["segment_id"], evidence["text"])) == {
        "gent/tafel.txt:0003": "Taal blijft de grootste drempel.",
        "aalst/tafel.txt:0002": "De taal is een drempel aan het loket."}


def test_a_wrong_line_in_the_overrides_file_stops_a_run_before_the_analysis(small_corpus, tmp_path, monkeypatch):
    """A mistake in the overrides file (a merge of one mechanism) is said before minutes of parsing
    and clustering, not after them with nothing written."""
    import importlib

    run_module = importlib.import_module("pipeline.run")

    overrides = tmp_path / "overrides.yaml"
    overrides.write_text('rename: {T01: "Taal en tolken"}\nmechanisms:\n  merge: [[M01]]\n', encoding="utf-8")

    def analysed_first(*args, **kwargs):
        raise AssertionError("the corpus was analysed before the overrides file was checked")
    monkeypatch.setattr(run_module, "analyse", analysed_first)
    with pytest.raises(ConfigError, match="merge: groep 1 moet een lijst van minstens twee id's zijn"):
        run(load_config(**{"corpus.path": str(small_corpus), "output.out_dir": str(tmp_path / "runs"),
                           "themes.overrides": str(overrides)}))
    assert "merge: [[M01]]" in overrides.read_text(encoding="utf-8")  # the analyst's file as written


def test_the_notebooks_show_the_analysts_mechanisms_as_the_report_does(run_dir):
    """`pipeline.notebook.load_tables` applies overrides.yaml "as report.html does": its mechanism
    lines too, so notebook 03 shows the analyst's new mechanism, not the tables as found."""
    from pipeline.notebook import load_tables

    (run_dir / "overrides.yaml").write_text(yaml.safe_dump({"mechanisms": {"new": [{
        "label": "Taal blijft een drempel",
        "seeds": ["De taal is een drempel aan het loket.", "Taal blijft de grootste drempel."]}]}},
        allow_unicode=True), encoding="utf-8")
    before = (run_dir / "overrides.yaml").read_text(encoding="utf-8")
    tables = load_tables(run_dir)
    assert list(tables.mechanisms["label"]) == ["Taal blijft een drempel"]
    assert list(tables.mechanisms["source"]) == ["nieuw door analist"]
    assert (run_dir / "overrides.yaml").read_text(encoding="utf-8") == before  # reading writes nothing


def test_a_sheet_fragment_id_with_commas_left_unquoted_in_a_flow_list_stays_one_seed(caplog):
    """Written answers take their case from a column: a ministry "Minister van Middenstand,
    Zelfstandigen, KMO's, …" puts commas in the fragment id, and YAML splits an unquoted flow list
    [a, b] at them. The pieces must not become sentences ("Zelfstandigen" is found in every answer
    that says it, and was the new mechanism's evidence): the id is joined again, with a warning."""
    text = ("mechanisms:\n  new:\n    - label: \"Verwijzing naar het antwoord van een collega\"\n"
            "      seeds: [antwoorden.csv#Minister van Middenstand, Zelfstandigen, KMO's, Landbouw en "
            "Maatschappelijke Integratie:0023, antwoorden.csv#Minister van Justitie:0004,\n"
            "              \"Ik verwijs het geachte lid naar het antwoord van de eerste minister, vraag nr. 205.\"]\n")
    new = parse_mechanism_overrides(yaml.safe_load(text), "analist/overrides.yaml").new[0]
    assert new.seeds == ("antwoorden.csv#Minister van Middenstand, Zelfstandigen, KMO's, Landbouw en "
                         "Maatschappelijke Integratie:0023", "antwoorden.csv#Minister van Justitie:0004",
                         "Ik verwijs het geachte lid naar het antwoord van de eerste minister, vraag nr. 205.")
    assert "tussen aanhalingstekens" in caplog.text


def test_the_statement_of_a_written_answer_does_not_end_at_an_abbreviation():
    """"vraag nr. 205", "bv. de", "p. 12": the point of an abbreviation before a number or a lowercase
    word ends no sentence (the statement was "… op de vraag nr." and the codebook example with it)."""
    from pipeline.analysis.mechanisms._overrides import _statement_of, _words

    answer = ("1. De begroting werd in januari goedgekeurd. 2. Ik verwijs het geachte lid naar het antwoord van de "
              "eerste minister op de vraag nr. 205 van 30 januari 2017 (bv. de bijlage op p. 12).")
    statement, number = _statement_of(answer, _words("Verwijzing naar het antwoord van een collega"),
                                      {w: 1.0 for w in _words(answer)})
    assert statement == ("Ik verwijs het geachte lid naar het antwoord van de eerste minister op de vraag nr. 205 "
                         "van 30 januari 2017 (bv. de bijlage op p. 12).")


def test_a_label_with_a_colon_is_a_dutch_error_that_says_where_and_why(tmp_path):
    """The analyst's label "Gevraagde cijfers: niet bijgehouden" unquoted is no YAML; PyYAML's English
    alone did not say what to do."""
    path = tmp_path / "overrides.yaml"
    path.write_text("mechanisms:\n  confirm: [M01]\n  rename: {M02: Gevraagde cijfers: niet bijgehouden}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_mechanism_overrides(path)
    assert str(path) in str(err.value) and "regel 3" in str(err.value) and "aanhalingstekens" in str(err.value)
