"""`stadsgenoten zoek` / `pipeline.zoek`: "meer zoals dit" on an existing run folder.

Realistic Dutch notes from several cities; the search reads the run folder (and the cache beside
it, or rebuilds it), never the corpus. Quality on real text is measured in benchmarks/search.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import InputError, PipelineError, zoek
from pipeline.cli import main
from pipeline.search import COLUMNS, _lexical, search_hits
from pipeline.store import load_run
from tests.makers import write_manifest

NOTES = {
    "gent.txt": ("Gent", """Gesprekstafel Gent

Frontlijnwerker OCMW: Veel nieuwkomers begrijpen de brieven van het OCMW niet, omdat ze nog geen Nederlands spreken.

Buurtwerker: In de wijk organiseren we elke week een koffiemoment, daar komen vooral oudere bewoners op af.
"""),
    "antwerpen.txt": ("Antwerpen", """Gesprekstafel Antwerpen

Maatschappelijk werker: Wie de taal nog niet machtig is, raakt niet wijs uit de post die de stad hun stuurt.

Medewerker woonwinkel: De wachtlijst voor een sociale woning is vier jaar, gezinnen wonen intussen in krotten.
"""),
    "brugge.txt": ("Brugge", """Gesprekstafel Brugge

Jeugdwerker: De jongeren op het plein voelen zich geviseerd bij elke identiteitscontrole door de politie.

Directeur basisschool: Het schoolbestuur vraagt dat we elke maand een rapport over de leerlingen indienen.
"""),
    "leuven.txt": ("Leuven", """Gesprekstafel Leuven

Diensthoofd welzijn: De subsidies voor ons project lopen volgend jaar af, en daarna valt de werking stil.

Huurdersbond: Huisbazen weigeren huurders met een leefloon en de huurprijzen stijgen elk jaar.
"""),
}


# Two more tables, for the spelling view: "kleinschalig" is said here, "kleinschaligheid" asked.
STEMS = {
    "mechelen.txt": ("Mechelen", """Gesprekstafel Mechelen

Opbouwwerker: Die initiatieven blijven kleinschalig en bereiken maar een paar gezinnen.
"""),
    "hasselt.txt": ("Hasselt", """Gesprekstafel Hasselt

Medewerker woonwinkel: De huurprijzen stijgen en gezinnen met kinderen vinden geen betaalbare woning.
"""),
}


def _analysed(root: Path, notes: dict, **settings) -> Path:
    from pipeline import load_config, run

    corpus = root / "corpus"
    corpus.mkdir()
    for name, (city, text) in notes.items():
        (corpus / name).write_text(text, encoding="utf-8")
    write_manifest(corpus, [(name, city, "gesprekstafel 1", "frontlijnwerkers", "2019-10-01")
                            for name, (city, _) in notes.items()])
    return run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(root / "runs"), **settings})).run_dir


@pytest.fixture(scope="module")
def notes_run(tmp_path_factory) -> Path:
    """The notes above analysed once with the default sentence vectors (the run the analyst has)."""
    return _analysed(tmp_path_factory.mktemp("zoek"), NOTES)


def _segment(run_dir: Path, words: str) -> str:
    segments = load_run(run_dir).segments
    return segments.loc[segments["text"].str.contains(words), "segment_id"].iloc[0]


def test_a_paraphrase_in_another_city_ranks_above_unrelated_sentences(notes_run):
    seed = _segment(notes_run, "begrijpen de brieven")  # Gent
    hits = zoek(notes_run, fragment=seed, top=10)
    ranks = {words: hits.loc[hits["sentence"].str.contains(words), "rank"].min()
             for words in ("raakt niet wijs uit de post", "wachtlijst voor een sociale woning",
                           "identiteitscontrole", "subsidies voor ons project")}
    paraphrase = ranks.pop("raakt niet wijs uit de post")  # Antwerpen, hardly a word in common
    assert hits.loc[hits["rank"] == paraphrase, "case"].item() == "Antwerpen"
    assert all(paraphrase < rank for rank in ranks.values()), (paraphrase, ranks)
    assert list(hits["score"]) == sorted(hits["score"], reverse=True)


def test_compound_parts_bring_the_words_together(small_run):
    """Lexical only (that run has no sentence vectors): "tolken" meets "tolkenbudget"."""
    hits = zoek(small_run.run_dir, tekst="Er is te weinig geld om tolken te betalen.", top=5)
    assert hits["sentence"].iloc[0] == "Het tolkenbudget is te klein voor de vraag."


def test_another_word_of_the_same_stem_is_found_without_sentence_vectors(tmp_path):
    """Lexical only, so nothing but the words can do it. The notes say "kleinschalig", the analyst
    types "kleinschaligheid": no lemma, word form or compound part in common, only the stem (the
    spelling view's character n-grams)."""
    run_dir = _analysed(tmp_path, {**NOTES, **STEMS}, **{"embed.backend": "none"})
    hits = zoek(run_dir, tekst="Het grote probleem is de kleinschaligheid.", top=3)
    assert "blijven kleinschalig" in hits["sentence"].iloc[0], list(hits["sentence"])
    assert hits["score"].iloc[0] > hits["score"].iloc[1]


def test_a_fragment_is_never_its_own_hit_and_every_hit_leads_into_the_texts(notes_run):
    tables = load_run(notes_run)
    for seed in tables.segments.loc[tables.segments["analysed"], "segment_id"]:
        hits = search_hits(notes_run, fragment=seed, top=50)
        assert seed not in set(hits["segment_id"])
        assert hits["segment_id"].is_unique  # one sentence per segment
    segments = tables.segments.set_index("segment_id")
    for hit in hits.itertuples(index=False):
        assert tables.texts[hit.doc_id][hit.start_char:hit.end_char] == hit.sentence
        assert segments.loc[hit.segment_id, "start_char"] <= hit.start_char < hit.end_char \
            <= segments.loc[hit.segment_id, "end_char"]
        assert (segments.loc[hit.segment_id, "case"], segments.loc[hit.segment_id, "theme_id"]) == \
            (hit.case, hit.theme_id)


def test_the_csv_has_exactly_the_named_columns(notes_run, capsysbinary):
    assert main(["zoek", str(notes_run), "--tekst", "Nieuwkomers verstaan de brieven niet.", "--top", "3",
                 "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.splitlines()[0] == "rank,segment_id,case,theme_id,score,sentence"
    table = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert list(table.columns) == COLUMNS == ["rank", "segment_id", "case", "theme_id", "score", "sentence"]
    assert list(table["rank"]) == ["1", "2", "3"]
    assert list(zoek(notes_run, tekst="Nieuwkomers verstaan de brieven niet.", top=3).columns) == COLUMNS


def test_the_text_format_shows_case_and_sentence(notes_run, capsys):
    seed = _segment(notes_run, "wachtlijst voor een sociale woning")
    assert main(["zoek", str(notes_run), "--fragment", seed, "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    hits = zoek(notes_run, fragment=seed, top=2)
    assert len(lines) == 4 and lines[0].startswith("  1.") and lines[2].startswith("  2.")
    for line, hit in zip(lines[::2], hits.itertuples()):
        # rank, segment_id, case, theme_id, score: the order
        fields = [str(hit.rank) + ".", hit.segment_id, hit.case, hit.theme_id or "(geen thema)", f"{hit.score:.2f}"]
        positions = [line.index(f) for f in fields]
        assert positions == sorted(positions), line
    assert [line.strip() for line in lines[1::2]] == list(hits["sentence"])


def test_a_moved_run_folder_without_its_cache_still_searches(run_dir):
    """A run folder moved away from its cache: the index is rebuilt from its segments, and cached."""
    info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    info["config"]["output"]["out_dir"] = str(run_dir.parent.parent / "elders")  # where it once was
    (run_dir / "run.json").write_text(json.dumps(info), encoding="utf-8")
    hits = zoek(run_dir, tekst="De wachtlijsten voor sociale huisvesting zijn lang.", top=3)
    assert len(hits) == 3 and "wachtlijst" in hits["sentence"].iloc[0]
    assert list((run_dir.parent / ".cache").glob("zoek/*.pkl"))


@pytest.mark.parametrize("argv, words", [
    (["--tekst", "  "], "leeg"),
    (["--fragment", "bestaat/niet.txt:0001"], "bestaat niet"),
    ([], "precies één"),
    (["--tekst", "taal", "--fragment", "x"], "precies één"),
    (["--tekst", "taal", "--top", "0"], "minstens 1"),
    (["--tekst", "taal", "--top", "tien"], "geen geheel getal"),
])
def test_clear_dutch_errors(notes_run, capsys, argv, words):
    assert main(["zoek", str(notes_run), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout:") and words in err


def test_a_folder_that_is_not_a_run(tmp_path, capsys):
    assert main(["zoek", str(tmp_path), "--tekst", "taal"]) == 2
    assert "geen run-map" in capsys.readouterr().err
    with pytest.raises(InputError):
        zoek(tmp_path / "bestaat-niet", tekst="taal")


def test_the_python_errors_are_pipeline_errors(notes_run):
    with pytest.raises(PipelineError, match="bestaat niet"):
        zoek(notes_run, fragment="nergens.txt:0000")
    with pytest.raises(PipelineError, match="leeg"):
        zoek(notes_run, tekst="")


# For the short query below: "duur" said as a noun in a fixed phrase ("op den duur": in the end),
# interpreters that cost money said without the word "duur", and "duur" as the query uses it.
DUUR = {
    "kortrijk.txt": ("Kortrijk", """Gesprekstafel Kortrijk

Vrijwilliger: Ik ben van het OCMW naar het CAW gestuurd en terug, telkens met een ander formulier. Op den duur geef je het op.

Medewerker sociale dienst: Een tolk kost veel geld, en het budget voor sociaal tolken is na de zomer al op.

Huisarts: Een psycholoog is te duur voor wie van een leefloon moet rondkomen.
"""),
}


def test_a_short_query_matches_its_words_as_it_uses_them(tmp_path):
    """"tolken zijn te duur": "duur" is a predicate there (expensive), a noun in "op den duur" (in
    the end). Sharing that one word, the short sentence ranked first in all three views; the
    parser tells the two uses apart, so the sentences about what interpreters and a psychologist
    cost come first, and "op den duur" keeps only what the sentence vectors see in it."""
    run_dir = _analysed(tmp_path, {**NOTES, **DUUR})
    hits = zoek(run_dir, tekst="tolken zijn te duur", top=20).set_index("rank")
    first, second, third = (hits.loc[n, "sentence"] for n in (1, 2, 3))
    assert {first[:30], second[:30]} == {"Een tolk kost veel geld, en he", "Een psycholoog is te duur voor"}, \
        list(hits["sentence"])
    idiom = hits.index[hits["sentence"] == "Op den duur geef je het op."]
    assert idiom.empty or hits.loc[idiom[0], "score"] < hits.loc[2, "score"] / 2, hits


def test_a_word_every_document_says_weighs_less_than_one_of_a_few_documents():
    """Report framing ("op verschillende plaatsen") is said once in each of three documents, the
    waiting list three times in one: as many sentences, so the same idf over sentences; over
    documents the framing is the common one, and in a sentence with both the waiting list counts more."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [["verschillend", "plaats", "wachtlijst", "lang"], ["wachtlijst", "sociaal", "woning"],
                 ["wachtlijst", "jaar"], ["verschillend", "plaats", "school"], ["verschillend", "plaats", "jongere"]]
    documents = np.array(["gent", "gent", "gent", "brugge", "leuven"])
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True)
    rows = _lexical(vectorizer, sentences, documents).toarray()
    column = vectorizer.vocabulary_
    assert rows[0, column["wachtlijst"]] > rows[0, column["verschillend"]]
    one_document = _lexical(TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True), sentences,
                            np.array(["verslag"] * 5)).toarray()
    assert one_document[0, column["wachtlijst"]] == pytest.approx(one_document[0, column["verschillend"]])


# What an analyst met on the demo run (tests below): queries that mean nothing, a fragment that is
# no statement, a location that named one file and pointed into another, an example id the run lacks.

@pytest.mark.parametrize("query", ["de", "en de", "Ja, dat is zo."])
def test_a_query_without_a_content_word_is_refused(notes_run, capsys, query):
    """Its sentence vector alone brought the run's shortest sentences ("Helemaal.") with high scores."""
    assert main(["zoek", str(notes_run), "--tekst", query]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("fout: --tekst:") and "inhoudswoord" in captured.err


def test_a_query_the_run_has_no_word_of_says_it_searched_on_meaning_alone(notes_run, capsys):
    assert main(["zoek", str(notes_run), "--tekst", "xyzzy", "--top", "3"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("let op:") == 1 and "alleen op de betekenis" in captured.err
    assert len(captured.out.splitlines()) == 6  # the hits still come, on meaning
    assert main(["zoek", str(notes_run), "--tekst", "xyzzy", "--top", "3", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out), dtype=str, keep_default_na=False)
    assert list(table.columns) == COLUMNS and len(table) == 3  # the note never enters the CSV
    assert "alleen op de betekenis" in captured.err
    # a query with a word the run has says nothing; from Python the note is in the hits' attrs
    assert main(["zoek", str(notes_run), "--tekst", "Nieuwkomers verstaan de brieven niet.", "--top", "3"]) == 0
    assert capsys.readouterr().err == ""
    assert search_hits(notes_run, tekst="xyzzy", top=3).attrs["let_op"]
    assert search_hits(notes_run, tekst="brieven van de stad", top=3).attrs["let_op"] == []


FACILITATED = {
    "genk.txt": ("Genk", """Gesprekstafel Genk

Gespreksleider: Hoe geraken nieuwkomers aan informatie van de stad als ze de brieven niet kunnen lezen?

Trajectbegeleider: Wie nog geen Nederlands leest, begrijpt de brieven van het OCMW vaak niet en komt dan met de hele stapel naar ons.
"""),
}


def test_a_fragment_the_run_did_not_analyse_is_searched_with_its_text_and_said(tmp_path, capsys):
    """A facilitator's question is no statement of a participant: not analysed, not in the index.
    Searched with its text (the answers on its subject come first) and said on stderr, with why."""
    run_dir = _analysed(tmp_path, {**NOTES, **FACILITATED}, **{"embed.backend": "none"})
    segments = load_run(run_dir).segments
    question = _segment(run_dir, "Hoe geraken nieuwkomers")
    assert segments.set_index("segment_id").loc[question, "excluded_reason"] == "facilitator"
    assert main(["zoek", str(run_dir), "--fragment", question, "--top", "3", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "let op:" in captured.err and question in captured.err and "facilitator" in captured.err
    table = pd.read_csv(io.StringIO(captured.out), dtype=str, keep_default_na=False)
    assert question not in set(table["segment_id"])
    assert "brieven" in table["sentence"].iloc[0], list(table["sentence"])  # the letters, Gent's or Genk's
    assert table["sentence"].str.contains("begrijpt de brieven van het OCMW").any(), list(table["sentence"])
    heading = _segment(run_dir, "Gesprekstafel Brugge")
    assert main(["zoek", str(run_dir), "--fragment", heading, "--top", "3"]) == 0
    assert "kop of metadata" in capsys.readouterr().err
    analysed = _segment(run_dir, "begrijpt de brieven van het OCMW")
    assert main(["zoek", str(run_dir), "--fragment", analysed, "--top", "3"]) == 0
    assert capsys.readouterr().err == ""


def test_the_text_format_names_the_file_its_offsets_point_into(small_run, capsys):
    """The offsets are those of the run's texts/ (pseudonymised, normalised), so that file is named;
    a written answer also shows its spreadsheet and row, as the report does."""
    run_dir = small_run.run_dir
    assert main(["zoek", str(run_dir), "--tekst", "Er is te weinig geld om tolken te betalen.", "--top", "8"]) == 0
    lines = capsys.readouterr().out.splitlines()
    segments = load_run(run_dir).segments.set_index("segment_id")
    for line, sentence in zip(lines[::2], lines[1::2]):
        where = line[line.rindex("[") + 1:line.rindex("]")]
        text_file, span = where.rsplit("; ", 1)[-1].rsplit(" ", 1)
        start, end = map(int, span.split("-"))
        assert text_file.startswith("texts/") and (run_dir / text_file).read_text(encoding="utf-8")[start:end] \
            == sentence.strip(), line
        segment = segments.loc[line.split()[1]]
        if segment["location"]:
            assert where.startswith(f"{segment['source_file']}, {segment['location']}; "), line
    assert any(line.split()[1].startswith("antwoorden.xlsx") and "antwoorden.xlsx, " in line for line in lines[::2])


def test_an_unknown_fragment_is_answered_with_ids_the_run_has(notes_run, capsys):
    segments = load_run(notes_run).segments
    real = segments.loc[segments["analysed"], "segment_id"].iloc[1]
    doc, number = real.rsplit(":", 1)
    for typed in (f"{doc}:{int(number)}", f"{doc[:-1]}:{number}", "gent/tafel_1.docx:0003"):
        assert main(["zoek", str(notes_run), "--fragment", typed]) == 2
        err = capsys.readouterr().err
        suggested = err.split("bv. ", 1)[1].strip().split(" of ")
        assert suggested and all(s.strip("'") in set(segments["segment_id"]) for s in suggested), err
    assert main(["zoek", str(notes_run), "--fragment", f"{doc}:{int(number)}"]) == 2
    assert f"'{real}'" in capsys.readouterr().err  # a number typed without its zeros: that segment


def test_the_help_says_what_the_score_is(capsys):
    with pytest.raises(SystemExit):
        main(["zoek", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "standaardafwijkingen" in out and "niet te vergelijken" in out


def test_a_sentence_across_a_line_break_is_shown_on_one_line(tmp_path, capsys):
    # notes typed with hard line breaks inside a turn: each hit still takes two lines (where, sentence)
    wrapped = {name: (city, text.replace("de brieven van het OCMW niet, omdat", "de brieven van het OCMW\nniet, omdat")
                      .replace("raakt niet wijs uit de post", "raakt niet wijs\nuit de post"))
               for name, (city, text) in NOTES.items()}
    run_dir = _analysed(tmp_path, wrapped, **{"embed.backend": "none"})
    assert main(["zoek", str(run_dir), "--tekst", "Nieuwkomers begrijpen de brieven niet.", "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and all(line[:5].strip().rstrip(".").isdigit() for line in lines[::2]), lines
    assert any("de brieven van het OCMW niet, omdat" in line for line in lines[1::2]), lines


@pytest.mark.parametrize("argv, words", [
    (["zoek", "RUN", "--tekst", "taal", "--format", "xls"], "kies uit 'tekst', 'csv'"),
    (["zoek", "--tekst", "taal"], "ontbreken: RUN_DIR"),
    (["run", "--corpus"], "--corpus verwacht een waarde"),
    (["run", "--seed", "dertien"], "geen geheel getal"),
])
def test_a_mistyped_command_line_is_a_dutch_error(capsys, argv, words):
    # argparse's own refusals in Dutch too, with exit code 2 and the usage, no English "invalid choice"
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout:") and words in err and "invalid" not in err


def test_a_fragment_of_several_sentences_says_it_was_searched_whole(tmp_path, capsys):
    """A written answer is one fragment of several sentences; `zoek` shows one of them as the hit, and
    `--fragment` of that hit searched with the whole answer: on the Kamer answers the hits for "De
    administratie beschikt niet over deze cijfers" were its own ministry's digital-skills sentences.
    Said on stderr, with the way to search for the one sentence."""
    answer = {"antwoord.txt": ("Kortrijk", """Schriftelijk antwoord Kortrijk

Stadsadministratie: De stad ondersteunt verschillende initiatieven rond digitale vaardigheden van ouderen. Die lopen via de bibliotheek en de dienstencentra. De administratie beschikt niet over cijfers over het bereik.
""")}
    run_dir = _analysed(tmp_path, {**NOTES, **answer}, **{"embed.backend": "none"})
    whole = _segment(run_dir, "beschikt niet over cijfers")
    assert main(["zoek", str(run_dir), "--fragment", whole, "--top", "3"]) == 0
    err = capsys.readouterr().err
    assert "let op:" in err and whole in err and "3 zinnen" in err and "--tekst" in err
    single = _segment(run_dir, "begrijpen de brieven")
    assert main(["zoek", str(run_dir), "--fragment", single, "--top", "3"]) == 0
    assert capsys.readouterr().err == ""


# Whether figures are kept: said, and denied, in different cities.
CIJFERS = {
    "gent.txt": ("Gent", """Gesprekstafel Gent

Diensthoofd welzijn: De cijfers over het gebruik van tolken zijn per maand beschikbaar op onze website.

Buurtwerker: In de wijk organiseren we elke week een koffiemoment, daar komen vooral oudere bewoners op af.
"""),
    "antwerpen.txt": ("Antwerpen", """Gesprekstafel Antwerpen

Maatschappelijk werker: Over het gebruik van tolken worden bij ons geen cijfers bijgehouden.

Medewerker woonwinkel: De wachtlijst voor een sociale woning is vier jaar, gezinnen wonen intussen in krotten.
"""),
    "brugge.txt": ("Brugge", """Gesprekstafel Brugge

Jeugdwerker: De jongeren op het plein voelen zich geviseerd bij elke identiteitscontrole door de politie.

Coördinator: Hoeveel gezinnen de energiepremie aanvragen, weet niemand, want dat wordt nergens geregistreerd.
"""),
    "leuven.txt": ("Leuven", """Gesprekstafel Leuven

Diensthoofd welzijn: De subsidies voor ons project lopen volgend jaar af, en daarna valt de werking stil.

Huurdersbond: Huisbazen weigeren huurders met een leefloon en de huurprijzen stijgen elk jaar.
"""),
}


def test_a_claim_and_its_denial_each_find_their_own_polarity_first(tmp_path):
    """Gent says the figures on interpreters are available, Antwerpen that none are kept: the two
    share "cijfers" and "tolken", and what sets them apart ("geen") is a stop word the lexical
    views drop and the sentence vectors hardly see. Without the query's polarity, "De cijfers over
    tolken zijn beschikbaar" found Antwerpen's denial first (1.84 against 1.32); now each query
    finds the sentence of its own polarity first."""
    run_dir = _analysed(tmp_path, CIJFERS)
    hits = zoek(run_dir, tekst="De cijfers over tolken zijn beschikbaar.", top=5)
    assert "per maand beschikbaar" in hits["sentence"].iloc[0], list(hits["sentence"])
    hits = zoek(run_dir, tekst="Er zijn geen cijfers beschikbaar over tolken.", top=5)
    assert "geen cijfers bijgehouden" in hits["sentence"].iloc[0], list(hits["sentence"])
