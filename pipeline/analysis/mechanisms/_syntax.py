"""Syntax of the candidate statements: whether a statement says something about its subject.

Needs: the candidate statements (their `text`). Adds: the `no_claim` column, True for a
statement without a main clause that predicates something: its dependency tree's root is a
noun, name or adjective with no subject, copula or auxiliary of its own, so every verb sits
inside a relative or other dependent clause ("Kinderen die zonder ontbijt komen, die geen
turnzak hebben, …", "Geen les, geen toets, gewoon een babbel over het weer"). Such a list of
examples or signs is no claim about how things go, so it is not grouped into a mechanism
(MechanismFinder's `_speech`). The parse comes from the shipped parser (models/parser/,
pipeline.language._parser) and only the candidate statements are parsed, not the corpus.
"""

from __future__ import annotations

import pandas as pd

from ...language import parse_dependencies

__all__ = ["states_something", "mark_claims"]

_VERBAL = frozenset({"VERB", "AUX"})
# UD relations that make a nominal or adjectival root a predicate ("taal is een drempel",
# "de wachtlijsten te lang"): a subject, a copula, an auxiliary.
_PREDICATING = frozenset({"nsubj", "nsubj:pass", "csubj", "cop", "aux", "aux:pass", "expl"})


def states_something(doc) -> bool:
    """Whether any sentence of a parsed Doc has a main clause: a verb as its root, or a root
    with a subject, copula or auxiliary of its own."""
    for sent in doc.sents:
        root = sent.root
        if root.pos_ in _VERBAL or any(c.dep_ in _PREDICATING for c in root.children):
            return True
    return False


def mark_claims(statements: pd.DataFrame) -> pd.DataFrame:
    """`statements` with a `no_claim` column (see the module docstring); the texts are parsed
    once each, in order."""
    texts = statements["text"].astype(str).tolist()
    unique = list(dict.fromkeys(texts))
    said = dict(zip(unique, (states_something(d) for d in parse_dependencies(unique)))) if unique else {}
    return statements.assign(no_claim=[not said[t] for t in texts])
