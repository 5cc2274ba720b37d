"""Tests for pipeline.language._parser: the shipped Dutch dependency parser, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.language import _parser as P
from pipeline.language import _tagger as T

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def parse():
    def run(text: str):
        return P.parse_dependencies([text])[0]
    return run


def by_text(doc) -> dict:
    return {t.text: t for t in doc}


def test_model_is_shipped_small_and_licensed():
    meta = json.loads((P.DEFAULT_MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY-SA 4.0"
    assert {s["name"] for s in meta["sources"]} == {"UD Dutch Alpino", "UD Dutch LassySmall"}
    assert {"nsubj", "cop", "acl:relcl", "advmod", "obj"} <= set(meta["labels"])
    size = sum(p.stat().st_size for p in P.DEFAULT_MODEL.rglob("*") if p.is_file())
    assert size < 10_000_000
    assert (PROJECT / "models" / "parser" / "README.md").is_file()
    metrics = json.loads((PROJECT / "models" / "parser" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["heldout"]["all"]["las"] >= 0.58
    assert metrics["heldout"]["all"]["uas"] > metrics["heldout"]["all"]["las"]


def test_parser_sits_on_the_unchanged_tagger():
    nlp = P.load_parser()
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "attribute_ruler", "parser"]
    # the parser carries its own tok2vec (fine-tuned from a copy): only the tagger listens to the tagger's
    assert nlp.get_pipe("tok2vec").listening_components == ["morphologizer"]
    text = "De brugfiguur belt de ouders op, maar zij nemen niet altijd op."
    with_parser = nlp(text)
    tagged = T.load_tagger().nlp(text)
    assert [(t.pos_, str(t.morph)) for t in with_parser] == [(t.pos_, str(t.morph)) for t in tagged]
    assert sum(t.dep_ == "ROOT" for t in with_parser) >= 1


def test_copula_clause_subject_and_predicate(parse):
    # UD: the nominal predicate is the root, "is" its cop, "taal" its nsubj
    doc = parse("De taal is een drempel voor veel ouders.")
    w = by_text(doc)
    assert w["drempel"].dep_ == "ROOT"
    assert w["is"].dep_ == "cop" and w["is"].head.text == "drempel"
    assert w["taal"].dep_ == "nsubj" and w["taal"].head.text == "drempel"
    assert w["ouders"].head.text == "drempel"


def test_subject_of_a_verb_and_its_predicate(parse):
    doc = parse("Veel projecten blijven tijdelijk omdat de subsidie na twee jaar stopt.")
    w = by_text(doc)
    # "blijven" is the root (UD Dutch mostly) or a cop of "tijdelijk"; either way the subject
    # "projecten" hangs on the main clause's predicate, not on the subordinate "stopt"
    assert w["projecten"].dep_ == "nsubj"
    assert w["projecten"].head.text in {"blijven", "tijdelijk"}
    assert w["subsidie"].dep_ == "nsubj" and w["subsidie"].head.text == "stopt"
    assert w["stopt"].dep_ == "advcl"


def test_relative_clauses_hang_on_the_noun(parse):
    # no main clause: the noun is the root, both verbs are in relative clauses on it
    doc = parse("Kinderen die zonder ontbijt komen, die geen turnzak hebben.")
    w = by_text(doc)
    assert len(list(doc.sents)) == 1
    assert w["Kinderen"].dep_ == "ROOT" and w["Kinderen"].pos_ == "NOUN"
    assert w["komen"].dep_ == "acl:relcl" and w["komen"].head.text == "Kinderen"
    assert w["hebben"].dep_ == "acl:relcl" and w["hebben"].head.text == "Kinderen"


def test_negation_attaches_to_what_it_negates(parse):
    w = by_text(parse("Veel ouders begrijpen de brieven van de school niet."))
    assert w["begrijpen"].dep_ == "ROOT" and w["ouders"].dep_ == "nsubj" and w["brieven"].dep_ == "obj"
    assert w["niet"].dep_ == "advmod" and w["niet"].head.text == "begrijpen"
    # a passive: "niet" negates the participle that heads the clause, the subject is nsubj:pass
    w = by_text(parse("Het project wordt na twee jaar niet verlengd."))
    assert w["verlengd"].dep_ == "ROOT" and w["project"].dep_ == "nsubj:pass"
    assert w["niet"].head.text == "verlengd" and w["wordt"].dep_ == "aux:pass"


def test_baselines_and_scores_on_a_gold_sentence():
    s = T.UDSentence("x", "Taal is een drempel .", ["Taal", "is", "een", "drempel", "."], [True] * 4 + [False],
                     ["NOUN", "AUX", "DET", "NOUN", "PUNCT"], [""] * 5, [""] * 5,
                     heads=[3, 3, 3, 3, 3], deprels=["nsubj", "cop", "det", "root", "punct"])
    assert P.baseline_heads(s, "next", s.upos) == [1, 2, 3, 4, 4]
    assert P.baseline_heads(s, "verb", s.upos) == [1, 1, 1, 1, 1]
    perfect = P.attachment([(s.heads, s.deprels)], [s])
    assert perfect["uas"] == perfect["las"] == 1.0
    half = P.attachment([([3, 3, 3, 3, 3], ["nsubj", "aux", "det", "root", "punct"])], [s])
    assert half["uas"] == 1.0 and half["las"] == 0.8
