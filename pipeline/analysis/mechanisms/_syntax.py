"""Whether a statement has a main clause: it says something, not only lists things.

Needs: statement texts and the shipped Dutch dependency parser (models/parser/, through
pipeline.language.parse_dependencies; loaded on the first call only). Gives: per text, True
when its parse has a finite verb or a copula outside every relative clause ("Taal blijft de
belangrijkste drempel", "De wachtlijsten zijn maanden lang", "Medewerkers die andere talen
spreken, worden vaak als tolk ingeschakeld"), False for a list of examples or signs whose
verbs all sit in relative clauses ("Kinderen die zonder ontbijt komen, die geen turnzak
hebben, …") or that has no verb ("Geen les, geen toets, …").

Used on the members of the groups about to be reported only (tens of sentences), not on the
candidates: the parse is wrong on about a third of single note-style statements
(models/parser/README.md), so it decides over a whole group (no member says anything: not
reported) and picks a label among the members that do.

The same parse gives each statement's claim: its subject and what is said of it (`Clause`), so
that a member that shares only the frame of a group's claims with another subject ("De
belangrijkste drempel blijft de versnippering van het aanbod" beside "Taal blijft de belangrijkste
drempel") can be told apart (_grouping._on_subject).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...language import lemmatize_tokens
from .._statement_functions import STRICT_NEGATIONS

__all__ = ["has_main_clause", "main_clauses", "Clause", "clauses"]

_VERBAL = frozenset({"VERB", "AUX"})
# words that can name what a claim is about or what it says of it; the tagger reads a bare noun
# opening a sentence ("Taal blijft …") as an adjective now and then
_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ"})


@dataclass(frozen=True)
class Clause:
    """A statement's main clause as the parse reads it."""

    stating: bool  # has a main clause (has_main_clause)
    subject: tuple[str, ...]  # lemmas of the root's nominal subject, with its conjuncts ("taal", "schaamte")
    predicate: tuple[str, ...]  # lemmas of what is said of it: a nominal root ("… is een drempel") or the root's object
    subject_text: str = ""  # the subject as a phrase, lower-cased ("de versnippering van het aanbod")
    predicate_text: str = ""
    negated: tuple[str, ...] = ()  # lemmas of the clauses a negation stands in (_negated); () when none does
    denied: tuple[str, ...] = ()  # lemmas of the words a negation is attached to ("geen drempel": "drempel")
    denied_said: tuple[str, ...] = ()  # those of them that are what is said of a thing: a verb, an adjective or
    # the nominal root ("niet beschikbaar", "is geen drempel"), not a thing named ("wie geen Nederlands leert")


def _relative(tok) -> bool:
    """Whether `tok` heads a relative clause: attached as one, or its own dependent is a relative
    pronoun ("die", "dat" after a noun: the parser sometimes makes such a verb the root)."""
    return tok.dep_.startswith("acl") or any("Rel" in c.morph.get("PronType") for c in tok.children)


def _outside_relatives(tok) -> bool:
    """Whether neither `tok` nor any of its heads up to the root heads a relative clause."""
    while True:
        if _relative(tok):
            return False
        if tok.head.i == tok.i:
            return True
        tok = tok.head


def has_main_clause(doc) -> bool:
    """Whether the parse `doc` has a finite verb (or a root verb with a subject) or a copula
    outside every relative clause."""
    for tok in doc:
        finite = tok.pos_ in _VERBAL and "Fin" in tok.morph.get("VerbForm")
        subject_root = tok.dep_ == "ROOT" and tok.pos_ in _VERBAL and any(c.dep_.startswith("nsubj")
                                                                        for c in tok.children)
        if (finite or subject_root or tok.dep_ == "cop") and _outside_relatives(tok):
            return True
    return False


def _lemmas(tokens) -> tuple[str, ...]:
    """The nominal ones of `tokens` and their conjuncts, as lower-cased lemmas."""
    heads = [h for t in tokens for h in [t, *(c for c in t.children if c.dep_ == "conj")] if h.pos_ in _NOMINAL]
    return tuple(dict.fromkeys(lemma.lower() for lemma in lemmatize_tokens([h.text for h in heads],
                                                                           [h.pos_ for h in heads])))


# relations inside a noun phrase: a phrase is its head with these dependents (and theirs), not
# the clause around a nominal root ("… is een drempel": the subject, the copula, adverbs)
_IN_PHRASE = frozenset({"det", "amod", "nmod", "case", "nummod", "compound", "flat", "fixed", "conj", "cc"})


def _phrase(tokens) -> str:
    """The noun phrases headed by `tokens`, as lower-cased text."""
    def words(tok):
        return sorted([tok, *(w for c in tok.children if c.dep_.split(":")[0] in _IN_PHRASE for w in c.subtree)],
                      key=lambda t: t.i)
    return " ".join(w.text for t in tokens for w in words(t)).lower()


# words whose lemmas say what a negated clause is about, not how it is said
_CONTENT = _NOMINAL | {"VERB"}
# a clause is headed by a verb or a nominal root, or attached to another clause as one
_CLAUSE_DEPS = ("ROOT", "ccomp", "xcomp", "advcl", "acl", "csubj", "parataxis", "conj")


def _clause_head(tok):
    """The head of the clause `tok` stands in: the nearest of it and its heads that is a verb or
    is attached as a clause (a nominal root: "… is niet beschikbaar")."""
    while not (tok.pos_ in _VERBAL or tok.dep_.split(":")[0] in _CLAUSE_DEPS) and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _negated(doc) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(the lemmas of the clauses a negation stands in, the lemmas of the words it is attached
    to, those of them that say something: a verb, an adjective, the root): "Er worden geen statistieken bijgehouden" -> ("statistiek", "bijhouden", …), but in "De
    statistieken hebben enkel betrekking op X en hebben geen betrekking op Y" the negation is in
    the second clause only, which says nothing of the statistics being kept. Weak negations
    ("weinig", "zonder") are not read as denials."""
    def lemmas(tokens):
        tokens = [t for t in tokens if t.pos_ in _CONTENT]
        return tuple(w.lower() for w in lemmatize_tokens([t.text for t in tokens], [t.pos_ for t in tokens]))

    negations = [t for t in doc if t.text.lower() in STRICT_NEGATIONS]
    scope = {w.i: w for t in negations for w in _clause_head(t.head).subtree}
    heads = [t.head for t in negations]
    return (tuple(dict.fromkeys(lemmas(sorted(scope.values(), key=lambda t: t.i)))),
            tuple(dict.fromkeys(lemmas(heads))),
            tuple(dict.fromkeys(lemmas([t for t in heads if t.pos_ in ("VERB", "ADJ") or t.dep_ == "ROOT"]))))


def clause(doc) -> Clause:
    """The `Clause` of the parse `doc`: "Taal blijft de belangrijkste drempel" -> subject ("taal",),
    predicate ("drempel",)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return Clause(has_main_clause(doc), (), (), "", "", *_negated(doc))
    subject = [c for c in root.children if c.dep_.startswith("nsubj")]
    objects = [c for c in root.children if c.dep_ == "obj"]
    if root.pos_ in _NOMINAL:  # "Er is geen wetsontwerp beschikbaar": the parser makes the subject an object
        subject, predicate = subject or objects, [root]
    else:
        predicate = objects
    return Clause(has_main_clause(doc), _lemmas(subject), _lemmas(predicate), _phrase(subject), _phrase(predicate),
                  *_negated(doc))


def clauses(texts: Sequence[str]) -> dict[str, Clause]:
    """{text: Clause} for the distinct `texts`, each parsed once as one sentence."""
    from ...language import parse_dependencies  # loads the parser: only when there is something to parse

    unique = list(dict.fromkeys(str(t) for t in texts))
    return dict(zip(unique, (clause(d) for d in parse_dependencies(unique)))) if unique else {}


def main_clauses(texts: Sequence[str]) -> dict[str, bool]:
    """{text: has_main_clause} for the distinct `texts`, each parsed once as one sentence."""
    return {text: c.stating for text, c in clauses(texts).items()}
