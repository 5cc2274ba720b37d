"""Tests for pipeline.analysis.mechanisms._syntax: a reported mechanism says something (a main clause)."""

from __future__ import annotations

from pipeline.analysis.mechanisms._syntax import main_clauses

from tests.test_mechanisms import _screened

CLAIMS = [
    "Taal blijft de belangrijkste drempel.",
    "De wachtlijsten voor NT2 zijn bij momenten maanden lang.",
    "Projecten blijven tijdelijk en worden niet verankerd.",
    "Medewerkers die andere talen spreken, worden vaak informeel als tolk ingeschakeld.",
    "Wie geen Nederlands leert, blijft aan de kant staan.",
]
LISTS = [
    "Kinderen die zonder ontbijt komen, die geen turnzak hebben, die niet mee op schoolreis gaan.",
    "Kinderen die niet mee op schoolreis naar zee gaan, die geen turnzak hebben, die thuisblijven.",
    "Geen les, geen toets, gewoon een babbel over het weer, de kinderen, het nieuws.",
]


def test_a_claim_has_a_main_clause_a_list_of_signs_does_not():
    said = main_clauses(CLAIMS + LISTS + CLAIMS[:1])
    assert [said[t] for t in CLAIMS] == [True] * len(CLAIMS)
    assert [said[t] for t in LISTS] == [False] * len(LISTS)
    assert main_clauses([]) == {}


SIGNS = [  # lists of signs: every verb in a relative clause
    ("Gent", "Leerlingen die zonder ontbijt komen, die geen turnzak hebben, die thuisblijven bij een uitstap."),
    ("Genk", "Leerlingen die niet mee op schoolreis gaan, die geen hobby hebben, die thuisblijven in een koude woning."),
    ("Aalst", "Leerlingen die zonder ontbijt komen, die geen turnzak bij hebben, die thuisblijven bij elke uitstap."),
]
SAID = [  # the same signs said as a claim about how things go
    ("Gent", "Veel leerlingen komen zonder ontbijt en blijven thuis bij een uitstap."),
    ("Genk", "Veel leerlingen gaan niet mee op schoolreis en blijven thuis in een koude woning."),
    ("Aalst", "Veel leerlingen komen zonder ontbijt en blijven thuis bij elke uitstap."),
]


def test_a_group_of_relative_clauses_mostly_is_not_reported_and_is_counted():
    _, finder = _screened(SIGNS, min_problem_share=0.0)
    assert len(finder.mechanisms_) == 0
    assert finder.rejected_ == {"geen_bewering": 1}
    # two lists of signs beside one claim: most say nothing (the parse decides over the group)
    _, finder = _screened(SIGNS[:2] + SAID[2:], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 0 and finder.rejected_ == {"geen_bewering": 1}
    _, finder = _screened(SAID, min_problem_share=0.0)
    assert len(finder.mechanisms_) == 1 and "geen_bewering" not in finder.rejected_


def test_the_label_is_the_most_central_member_with_a_main_clause():
    said_too = ("Brugge", "Veel leerlingen komen zonder ontbijt en blijven thuis bij een uitstap.")
    _, finder = _screened(SIGNS[:2] + SAID[2:] + [said_too], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 1
    mechanism, group = finder.mechanisms_.iloc[0], finder.groups_[0]
    assert group.stating.tolist() == [not t.startswith("Leerlingen die") for t in group.members["text"]]
    # the most central statement is a list of signs: before the parse it was the label
    assert mechanism["central_text"].startswith("Leerlingen die")
    assert mechanism["label"] == "Veel leerlingen komen zonder ontbijt en blijven thuis bij elke uitstap"
