"""Person names on real Dutch text (issue #13): the Stadsgenoten report and parliamentary text in
../shared. Expectations are read from the text itself (which words are there, in which case),
never copied from the finder's output."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.corpus import normalise_text
from pipeline.privacy import Pseudonymiser, find_persons, pseudonymise_documents

SHARED = Path(__file__).resolve().parents[2] / "shared"
REPORT = SHARED / "reference" / "stadsgenoten-report.txt"
needs_report = pytest.mark.skipif(not REPORT.is_file(), reason=f"report not found at {REPORT} (needs ../shared)")

_PSEUDONYM = re.compile(r"\[Persoon \d+\]")


@pytest.fixture(scope="module")
def report_text() -> str:
    return normalise_text(REPORT.read_text(encoding="utf-8"))


def _run(text: str) -> tuple[str, list[dict]]:
    docs = pd.DataFrame([{"doc_id": "d1", "text": text, "blocks": [], "page_starts": [0], "persons": ""}])
    out = pseudonymise_documents(docs)
    return out.documents.loc[0, "text"], out.mapping


def test_a_span_inside_a_word_replaces_the_whole_word():
    # Whatever the finder says, the replacement covers whole words: a genitive "Ahmeds" becomes
    # the pseudonym (linked as "Ahmed"), and a span cut from inside "Lees" takes the word along.
    text = "Ahmeds collega belde. Later sprak Ahmed met haar. Lees hier meer."
    ahmeds, ahmed, lee = text.index("Ahmeds"), text.index("Ahmed met"), text.index("Lees")
    ps = Pseudonymiser()
    new, to_new = ps.pseudonymise_with_offsets(text, [(ahmeds, ahmeds + 5), (ahmed, ahmed + 5), (lee, lee + 3)])
    assert "]s" not in new and not re.search(r"\w\[|\]\w", new)
    assert [(s, e) for s, e, _, _ in to_new.replaced] == [(ahmeds, ahmeds + 6), (ahmed, ahmed + 5), (lee, lee + 4)]
    assert new.count("[Persoon 1]") == 2  # "Ahmeds" and "Ahmed" are one person


@needs_report
def test_report_read_more_links_stay(report_text):
    # 34 "Lees hier meer ..." lines in the report were "[Persoon 2]s hier meer".
    n_lees = len(re.findall(r"\bLees\b", report_text))
    assert n_lees >= 30
    new, mapping = _run(report_text)
    assert len(re.findall(r"\bLees\b", new)) == n_lees
    assert all("Lee" not in v for row in mapping for v in row["variants"])


@needs_report
def test_report_no_pseudonym_touches_a_letter(report_text):
    new, _ = _run(report_text)
    for m in _PSEUDONYM.finditer(new):
        before, after = new[m.start() - 1:m.start()], new[m.end():m.end() + 1]
        assert not before.isalnum() and not after.isalnum(), new[m.start() - 30:m.end() + 30]


@needs_report
def test_report_spans_are_whole_words(report_text):
    for s in find_persons(report_text):
        assert not (s.start > 0 and report_text[s.start - 1].isalnum()), s
        # a genitive "s" may follow the name; any other letter means a cut word
        after = report_text[s.end:s.end + 2]
        assert not after[:1].isalnum() or (after[:1] == "s" and not after[1:].isalnum()), s


# -- what is and is not a person, on real text -----------------------------------------------------

@needs_report
def test_report_hides_its_named_persons_and_keeps_headings_practices_and_links(report_text):
    new, _ = _run(report_text)
    # the five persons the report names (credits and experts)
    for name in ("Lotte De Bruyne", "Le Roi", "Emilie", "Khalid Benhaddou", "Seyda Buurman", "Bart Brandsma"):
        assert name in report_text and name not in new
    # headings, sentence openers, practice names, organisations: as many times after as before
    for word in ("Diversiteit", "Nabijheid", "Outreachend", "Hierbij", "Hiervoor", "Elektro Anders",
                 "Deelfabriek", "Gendarmerie", "Mozaïek", "Amuzi", "Boabab", "Brown Eyes", "OCMW", "Gent",
                 "Mechelen", "Kortrijk", "Brugge"):
        n = len(re.findall(rf"\b{word}\b", report_text))
        assert n > 0 and len(re.findall(rf"\b{word}\b", new)) == n, word
    links = [line for line in report_text.splitlines() if "://" in line or "/:b:/" in line]
    assert links and all(line in new for line in links)


PARLAMINT = SHARED / "data" / "parlamint_samples_be_nl"
needs_parlamint = pytest.mark.skipif(not PARLAMINT.is_dir(), reason=f"{PARLAMINT} not found (needs ../shared)")


def _transcript(stem: Path) -> tuple[str, list[dict]]:
    """A session as the Belgian Chamber prints it: "First Last (Party): utterance" per turn."""
    meta = pd.read_csv(stem.with_name(stem.name + "-meta.tsv"), sep="\t", dtype=str, index_col=False)
    meta = meta.set_index("ID")
    turns, rows = [], []
    for line in stem.with_suffix(".txt").read_text(encoding="utf-8").splitlines():
        uid, utterance = line.split("\t", 1)
        m = meta.loc[uid]
        surname, first = (x.strip() for x in m["Speaker_name"].split(",", 1))
        party = f" ({m['Speaker_party']})" if m["Speaker_party"] != "-" else ""
        turns.append(f"{first} {surname}{party}: {utterance}")
        rows.append({"first": first, "surname": surname, "party": m["Speaker_party"]})
    return normalise_text("\n\n".join(turns)), rows


@needs_parlamint
@pytest.mark.parametrize("session", ["ParlaMint-BE_2017-04-27-54-plenair-ip165x",
                                     "ParlaMint-BE_2020-06-17-55-commissie-ic210x"])
def test_parliament_speaker_labels_and_addressed_persons_are_hidden_parties_kept(session):
    text, speakers = _transcript(PARLAMINT / "ParlaMint-BE" / session)
    new, _ = _run(text)
    for s in speakers:
        assert f"{s['first']} {s['surname']}" not in new  # speaker labels
        if s["party"] != "-":
            assert f"({s['party']}):" in new  # the party stays beside the pseudonym
    # every name after a form of address ("de heer Verduyckt", "mevrouw Julie Chanson")
    addressed = re.findall(r"\b(?:de heer|mevrouw|mijnheer) ((?:[A-Z]\w+ )*[A-Z]\w+)", text)
    for name in addressed:
        assert name not in new, name
    for kept in ("Saudi-Arabië", "Open Vld", "Nederland", "Defensie"):
        assert text.count(kept) == new.count(kept), kept


KAMER = SHARED / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv"


@pytest.mark.skipif(not KAMER.is_file(), reason=f"{KAMER} not found (needs ../shared)")
def test_a_name_seen_with_a_title_is_hidden_wherever_it_recurs():
    # Kamer answers (real, CC0) that address someone by title: that surname is gone everywhere in the
    # answer, also alone ("het onderzoek van Wakefield") or inside a compound ("Wakefield-artikel").
    df = pd.read_csv(KAMER, sep="\t", dtype=str, keep_default_na=False)
    titled = df[df["answer"].str.contains(r"\bde heer [A-Z][a-z]{3,}\b", regex=True)].head(25)
    assert len(titled) >= 10
    for answer in titled["answer"]:
        text = normalise_text(answer)
        new, _ = _run(text)
        for name in set(re.findall(r"\bde heer ([A-Z][a-z]{3,})\b", text)):
            assert not re.search(rf"\b{name}\b", new), (name, new[:300])


def test_committee_turns_parties_and_openers():
    # Modelled on a Chamber committee report: labels with the party, addressed persons, a party
    # in the text, an organisation, a medicine and sentence openers that are ordinary words.
    text = ("Jeroen Bergers (N-VA): Mevrouw de minister, ik dank u voor uw antwoord.\n\n"
            "Minister Sarah Schlitz: Mijnheer Ronse, de cijfers zijn duidelijk. Hamas werd vermeld.\n\n"
            "Sophie De Wit (N-VA): Dank u, mevrouw De Knop. Daarvan ben ik niet overtuigd. Nochtans zei de heer "
            "Bergers dat Ecolo-Groen akkoord ging met het geneesmiddel Ozempic.\n")
    new, mapping = _run(text)
    for name in ("Jeroen", "Bergers", "Schlitz", "Ronse", "Sophie De Wit", "De Knop"):
        assert name not in new, name
    for kept in ("(N-VA):", "Hamas", "Daarvan", "Nochtans", "Ecolo-Groen", "Ozempic", "Mevrouw de minister"):
        assert kept in new, kept
    # five persons: Bergers (the label and "de heer Bergers" are one), Schlitz, Ronse, De Wit, De Knop
    assert len(mapping) == 5
    assert [r["n_mentions"] for r in mapping if "Jeroen Bergers" in r["variants"]] == [2]


@needs_parlamint
def test_keep_leaves_named_public_persons_in_clear_off_by_default():
    text, _ = _transcript(PARLAMINT / "ParlaMint-BE" / "ParlaMint-BE_2017-04-27-54-plenair-ip165x")
    docs = pd.DataFrame([{"doc_id": "d1", "text": text, "blocks": [], "page_starts": [0], "persons": ""}])
    hidden = pseudonymise_documents(docs).documents.loc[0, "text"]
    assert "Reynders" not in hidden and "De Croo" not in hidden
    out = pseudonymise_documents(docs, keep=["Didier Reynders", "Alexander De Croo"])
    kept = out.documents.loc[0, "text"]
    assert kept.count("Didier Reynders") == text.count("Didier Reynders") > 0
    assert kept.count("Alexander De Croo") == text.count("Alexander De Croo") > 0
    assert "De Vriendt" not in kept and "Bracke" not in kept  # the speakers stay hidden
    assert all("Reynders" not in r["name"] and "De Croo" not in r["name"] for r in out.mapping)


def test_keep_persons_from_the_config_reaches_the_run(tmp_path):
    """`privacy.keep_persons` in a config file keeps those names in clear in the run's text."""
    from pipeline import load_config, run

    folder = tmp_path / "notities"
    folder.mkdir()
    (folder / "gent.txt").write_text(
        "Frontlijnwerker: Minister Didier Reynders antwoordde niet. Sofie Vermeulen van het OCMW belde hem.\n\n"
        "Brugfiguur: De ouders verstaan de brieven van de school niet en er is geen tolk.\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("privacy:\n  keep_persons: [Didier Reynders]\n", encoding="utf-8")
    result = run(load_config(config, **{"corpus.path": str(folder), "output.out_dir": str(tmp_path / "out"),
                                        "corpus.manifest": "geen.csv", "embed.backend": "none"}))
    text = result.documents.set_index("case").loc["Gent", "text"]
    assert "Didier Reynders" in text and "Sofie Vermeulen" not in text
