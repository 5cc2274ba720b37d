"""Tests for pipeline.tagger: the shipped Dutch UPOS + FEATS model, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from pipeline.language import _tagger as T

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tagger():
    return T.load_tagger()


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("nl")


def tags(tagger, blank, text: str) -> dict[str, str]:
    doc = tagger(blank(text))
    return {t.text: t.pos_ for t in doc}


def test_model_is_shipped_small_and_licensed():
    meta = json.loads((T.DEFAULT_MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["lang"] == "nl"
    assert meta["license"] == "CC BY-SA 4.0"
    assert {s["name"] for s in meta["sources"]} == {"UD Dutch Alpino", "UD Dutch LassySmall"}
    size = sum(p.stat().st_size for p in T.DEFAULT_MODEL.rglob("*") if p.is_file())
    assert size < 15_000_000
    assert (PROJECT / "models" / "tagger" / "README.md").is_file()
    metrics = json.loads((PROJECT / "models" / "tagger" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["heldout"]["gold_tokens"]["all"]["upos"] >= 0.93


def test_pipeline_components(tagger):
    # A tagger, not a parser or lemmatizer; the tokenizer is blank("nl")'s.
    assert set(tagger.nlp.pipe_names) == {"tok2vec", "morphologizer", "attribute_ruler"}
    text = "Het OCMW-loket (Gent) zegt: ,,we bellen 's avonds terug'' -- 2,5 %!"
    assert [t.text for t in tagger.nlp.make_doc(text)] == [t.text for t in spacy.blank("nl")(text)]


def test_brugfiguur_sentence(tagger, blank):
    doc = tagger(blank("De brugfiguur belt de ouders op."))
    pos = [t.pos_ for t in doc]
    assert pos[0] == "DET" and pos[3] == "DET"
    assert pos[1] == "NOUN" and pos[4] == "NOUN"
    assert pos[2] == "VERB"
    assert pos[5] in {"ADP", "ADV"}  # separable particle "op": UD tags it ADP
    assert pos[6] == "PUNCT"
    assert "Number=Plur" in str(doc[4].morph)  # ouders
    assert "VerbForm=Fin" in str(doc[2].morph)  # belt


def test_web_van_diensten(tagger, blank):
    pos = tags(tagger, blank, "Mensen lopen verloren in het web van diensten.")
    assert pos["Mensen"] == "NOUN"
    assert pos["lopen"] == "VERB"
    assert pos["in"] == "ADP" and pos["van"] == "ADP"
    assert pos["het"] == "DET"
    assert pos["web"] == "NOUN" and pos["diensten"] == "NOUN"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("De ouders verstaan de brieven van de school niet.",
         {"ouders": "NOUN", "verstaan": "VERB", "brieven": "NOUN", "van": "ADP", "school": "NOUN"}),
        ("Veel kandidaten struikelen over de eerste test.",
         {"kandidaten": "NOUN", "struikelen": "VERB", "over": "ADP", "test": "NOUN"}),
        ("De wijkagent is overladen met administratieve taken.",
         {"wijkagent": "NOUN", "is": "AUX", "met": "ADP", "administratieve": "ADJ", "taken": "NOUN"}),
        ("Het project stopt als de subsidie afloopt.",
         {"Het": "DET", "project": "NOUN", "stopt": "VERB", "als": "SCONJ", "subsidie": "NOUN"}),
        # Names: multiword and known ones are fine; an unseen first name alone can come
        # out NOUN ("Sofie"), see models/tagger/README.md.
        ("Karim El Idrissi werkt voor het OCMW in Gent.",
         {"Karim": "PROPN", "El": "PROPN", "Idrissi": "PROPN", "werkt": "VERB", "voor": "ADP", "Gent": "PROPN"}),
    ],
)
def test_interview_notes(tagger, blank, text, expected):
    pos = tags(tagger, blank, text)
    assert {w: pos[w] for w in expected} == expected


def test_tag_helper_and_spaces(blank):
    docs = T.tag([blank("We zetten in op klare taal.\n\nDe taal is een drempel."), blank("")])
    assert len(docs) == 2 and len(docs[1]) == 0
    pos = {t.text: t.pos_ for t in docs[0]}
    assert pos["\n\n"] == "SPACE"
    assert pos["taal"] == "NOUN" and pos["drempel"] == "NOUN" and pos["klare"] == "ADJ"


def test_make_tagged_nlp_matches_tag(blank):
    text = "Buurtwerker: In de wijk zien we altijd dezelfde mensen. De overtuigden komen wel."
    nlp = T.make_tagged_nlp()
    doc = nlp(text)
    assert len(list(doc.sents)) == 2
    assert [t.pos_ for t in doc] == [t.pos_ for t in T.tag([blank(text)])[0]]
    assert "sentencizer" not in T.load_tagger().nlp.pipe_names  # the cached model is untouched


def test_tags_feed_the_lemmatizer(tagger, blank):
    from pipeline.language._lemmas import Lemmatizer

    lem = Lemmatizer()
    doc = tagger(blank("De vrijwilligers gaven de kinderen les."))
    lemmas = {t.text: lem(t.text, t.pos_) for t in doc}
    assert lemmas["vrijwilligers"] == "vrijwilliger"
    assert lemmas["gaven"] == "geven"
    assert lemmas["kinderen"] == "kind"


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_tagger"):
        T.load_tagger(tmp_path / "nope")


@pytest.mark.skipif(not T.UD_DIR.exists(), reason="../shared/data/ud (UD Dutch) not present")
def test_heldout_accuracy(tagger):
    held = T.ud_split()["heldout"]
    first = [s for block in held for s in block][:100]
    acc = T.accuracy(tagger, [[s] for s in first])
    assert acc["tokens"] > 1000
    assert acc["upos"] >= 0.9


@pytest.mark.skipif(not T.UD_DIR.exists(), reason="../shared/data/ud (UD Dutch) not present")
def test_split_is_fixed_and_disjoint():
    split = T.ud_split()
    ids = {part: {s.sent_id for b in blocks for s in b} for part, blocks in split.items()}
    assert not ids["heldout"] & ids["train"] and not ids["heldout"] & ids["tune"] and not ids["tune"] & ids["train"]
    held = split["heldout"]
    assert len(held) == 29 and sum(len(b) for b in held) == 580
    assert sum(len(s.words) for b in held for s in b) == 9953


def test_read_ud_surface_tokens(tmp_path):
    # Multiword tokens (none in UD Dutch, but the reader must not split surface words)
    # and empty nodes.
    conllu = tmp_path / "x.conllu"
    conllu.write_text(
        "# sent_id = s1\n# text = Hij ging naar 't station.\n"
        "1\tHij\thij\tPRON\t_\tCase=Nom\t2\tnsubj\t_\t_\n"
        "2\tging\tgaan\tVERB\t_\tTense=Past\t0\troot\t_\t_\n"
        "2.1\tging\tgaan\tVERB\t_\t_\t_\t_\t0:root\t_\n"
        "3\tnaar\tnaar\tADP\t_\t_\t5\tcase\t_\t_\n"
        "4-5\t't station\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
        "4\t't\thet\tDET\t_\tDefinite=Def\t5\tdet\t_\t_\n"
        "5\tstation\tstation\tNOUN\t_\tNumber=Sing\t2\tobl\t_\t_\n"
        "6\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n",
        encoding="utf-8")
    (s,) = T.read_ud(conllu)
    assert s.sent_id == "s1" and s.text == "Hij ging naar 't station."
    assert s.words == ["Hij", "ging", "naar", "'t station", "."]
    assert s.upos == ["PRON", "VERB", "ADP", "DET", "PUNCT"]
    assert s.feats == ["Case=Nom", "Tense=Past", "", "Definite=Def", ""]
    assert s.lemmas[3] == "het+station"
    assert s.spaces == [True, True, True, False, True]
