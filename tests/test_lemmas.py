"""Tests for pipeline.lemmas on Flemish interview-note Dutch and on UD Alpino."""

from pathlib import Path

import pytest
import simplemma

from pipeline.language._lemmas import DEFAULT_TABLE, Lemmatizer, accuracy, lemmatize_tokens, read_conllu

ALPINO_TEST = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ud" / "UD_Dutch-Alpino" / "nl_alpino-ud-test.conllu"


@pytest.fixture(scope="module")
def lem():
    return Lemmatizer().load()


@pytest.mark.parametrize(
    "word, upos, lemma",
    [
        # plurals
        ("drempels", "NOUN", "drempel"),
        ("wachtlijsten", "NOUN", "wachtlijst"),
        ("ouders", "NOUN", "ouder"),
        ("kinderen", "NOUN", "kind"),
        ("gezinnen", "NOUN", "gezin"),
        ("vluchtelingen", "NOUN", "vluchteling"),
        ("taalcursussen", "NOUN", "taalcursus"),
        ("Drempels", "NOUN", "drempel"),  # sentence-initial capital is dropped
        # verbs
        ("gaf", "VERB", "geven"),
        ("gaven", "VERB", "geven"),
        ("werkten", "VERB", "werken"),
        ("heeft", "AUX", "hebben"),
        ("was", "AUX", "zijn"),
        ("zei", "VERB", "zeggen"),
        ("vonden", "VERB", "vinden"),
        # participles, separable ones included
        ("gewerkt", "VERB", "werken"),
        ("gesproken", "VERB", "spreken"),
        ("gebeld", "VERB", "bellen"),
        ("opgenomen", "VERB", "opnemen"),
        ("doorverwezen", "VERB", "doorverwijzen"),
        ("aangevraagd", "VERB", "aanvragen"),
        # diminutives
        ("huisje", "NOUN", "huis"),
        ("gesprekje", "NOUN", "gesprek"),
        ("gesprekjes", "NOUN", "gesprek"),
        ("mannetjes", "NOUN", "man"),
        # compounds simplemma does not know, and hyphenated ones
        ("tolkenbudgetten", "NOUN", "tolkenbudget"),
        ("zorgtrajecten", "NOUN", "zorgtraject"),
        ("OCMW-medewerkers", "NOUN", "ocmw-medewerker"),
        # adjectives
        ("moeilijke", "ADJ", "moeilijk"),
        ("grote", "ADJ", "groot"),
        # proper nouns keep their case and are not made common words
        ("Gent", "PROPN", "Gent"),
        ("Antwerpen", "PROPN", "Antwerpen"),
        ("Van", "PROPN", "Van"),
    ],
)
def test_word(lem, word, upos, lemma):
    assert lem(word, upos) == lemma


def test_upos_resolves_noun_verb_ambiguity(lem):
    # Same form, different lemma by tag: simplemma alone gives one of them.
    assert lem("kaart", "NOUN") == "kaart"
    assert lem("spelen", "VERB") == "spelen"
    assert lem("spelen", "NOUN") != lem("spelen", "VERB")


def test_sentence_with_tags():
    words = "De maatschappelijk werkers gaven aan dat de wachtlijsten in Gent te lang zijn .".split()
    upos = "DET ADJ NOUN VERB ADP SCONJ DET NOUN ADP PROPN ADV ADJ AUX PUNCT".split()
    assert lemmatize_tokens(words, upos) == [
        "de", "maatschappelijk", "werker", "geven", "aan", "dat", "de",
        "wachtlijst", "in", "Gent", "te", "lang", "zijn", ".",
    ]


def test_sentence_without_tags_is_lowercase():
    words = ["Drempels", "werkten", "huisjes", "Gent"]
    assert Lemmatizer().lemmatize_tokens(words) == ["drempel", "werken", "huis", "gent"]


def test_length_mismatch_is_an_error(lem):
    with pytest.raises(ValueError):
        lem.lemmatize_tokens(["a", "b"], ["DET"])


def test_loading_is_lazy_and_table_overrides(tmp_path):
    missing = Lemmatizer(tmp_path / "missing.tsv")  # constructing does not read
    with pytest.raises(FileNotFoundError):
        missing("drempels")
    table = tmp_path / "t.tsv"
    table.write_text("# test\nform\tupos\tlemma\ndrempels\tNOUN\tdrempelvrees\nzoef\t*\tzoefen\n", encoding="utf-8")
    custom = Lemmatizer(table)
    assert custom("drempels", "NOUN") == "drempelvrees"  # tagged row
    assert custom("drempels", "VERB") == "drempel"  # no row for this tag: rules
    assert custom("Zoef", "VERB") == "zoefen"  # '*' row, case-insensitive form


def test_shipped_table_is_sorted_and_attributed():
    lines = DEFAULT_TABLE.read_text(encoding="utf-8").splitlines()
    comments = "\n".join(line for line in lines if line.startswith("#"))
    assert "CC BY-SA 4.0" in comments and "LassySmall" in comments and "Alpino" in comments
    rows = [tuple(line.split("\t")) for line in lines if not line.startswith("#")]
    assert rows[0] == ("form", "upos", "lemma")
    assert len(rows) > 50 and rows[1:] == sorted(rows[1:])


@pytest.mark.skipif(not ALPINO_TEST.exists(), reason=f"UD Alpino test file not found at {ALPINO_TEST} (needs ../shared)")
def test_accuracy_on_ud_alpino_test_slice(lem):
    tokens = [tok for sent in list(read_conllu(ALPINO_TEST))[:150] for tok in sent]
    ok, n = accuracy(tokens, lem)
    assert n > 1500
    assert ok / n >= 0.93, f"lemma accuracy {ok / n:.3f} on {n} tokens"
    # The rules and table must add something over plain simplemma.
    base, _ = accuracy(tokens, lambda form, upos: simplemma.lemmatize(form, lang="nl"))
    assert ok - base >= 0.01 * n, f"ours {ok} vs simplemma {base} correct of {n}"
