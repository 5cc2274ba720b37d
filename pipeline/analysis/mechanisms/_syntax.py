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
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["has_main_clause", "main_clauses"]

_VERBAL = frozenset({"VERB", "AUX"})


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


def main_clauses(texts: Sequence[str]) -> dict[str, bool]:
    """{text: has_main_clause} for the distinct `texts`, each parsed once as one sentence."""
    from ...language import parse_dependencies  # loads the parser: only when there is something to parse

    unique = list(dict.fromkeys(str(t) for t in texts))
    return dict(zip(unique, (has_main_clause(d) for d in parse_dependencies(unique)))) if unique else {}
