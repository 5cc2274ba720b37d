"""Tests for pipeline.analysis.mechanisms._syntax: statements without a main clause are no claim."""

from __future__ import annotations

import pandas as pd

from pipeline.analysis.mechanisms._syntax import mark_claims, states_something
from pipeline.language import parse_dependencies

from tests.test_mechanisms import _screened

CLAIMS = [
    "Taal blijft de belangrijkste drempel.",
    "De taal is een drempel voor veel ouders.",
    "Projecten blijven tijdelijk en worden niet verankerd.",
    "Het tolkenbudget volstaat niet.",
    "Wie geen Nederlands leert, blijft aan de kant staan.",
]
FRAGMENTS = [
    "Kinderen die zonder ontbijt komen, die geen turnzak hebben.",
    "Geen les, geen toets, gewoon een babbel over het weer, de kinderen, het nieuws.",
    "Een kind zonder boterhammen, een turnzak die er nooit is.",
]


def test_claims_have_a_main_clause_lists_of_signs_do_not():
    docs = parse_dependencies(CLAIMS + FRAGMENTS)
    assert [states_something(d) for d in docs] == [True] * len(CLAIMS) + [False] * len(FRAGMENTS)
    marked = mark_claims(pd.DataFrame({"text": CLAIMS + FRAGMENTS[:1] + CLAIMS[:1]}))
    assert marked["no_claim"].tolist() == [False] * len(CLAIMS) + [True, False]


def test_lists_of_signs_are_not_grouped_and_are_counted():
    signs = [
        ("Gent", "Kinderen die zonder ontbijt naar school komen, die geen turnzak hebben, die niet meegaan."),
        ("Genk", "Kinderen die niet mee op schoolreis naar zee gaan, die geen turnzak hebben, die thuisblijven."),
        ("Aalst", "Kinderen die zonder ontbijt komen, die geen turnzak bij hebben, die nooit mee op uitstap gaan."),
    ]
    statements, finder = _screened(signs, min_problem_share=0.0)
    assert "no_claim" not in statements  # candidate_statements does not parse: the stage does
    from pipeline.analysis.mechanisms import MechanismFinder

    marked = mark_claims(statements)
    flagged = int(marked["no_claim"].sum())
    assert flagged >= 2
    finder = MechanismFinder(finder.cfg).fit(marked)
    assert len(finder.mechanisms_) == 0
    assert finder.left_out_["geen_bewering"] == flagged
