"""Tests for pipeline.analysis.mechanisms._syntax: a reported mechanism says something (a main clause),
and its evidence says it of the same thing (the claim's subject)."""

from __future__ import annotations

from pipeline.analysis.mechanisms._grouping import _topics
from pipeline.analysis.mechanisms._syntax import clauses, main_clauses

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


BARRIER = [  # one claim in three cities: language is the main barrier
    ("Gent", "Taal blijft de belangrijkste drempel voor gezinnen aan het loket."),
    ("Genk", "Voor nieuwkomers is taal de belangrijkste drempel bij de inschrijving."),
    ("Aalst", "Bij de zoektocht naar werk is taal nog altijd de belangrijkste drempel."),
]
# the same frame said of something else: in the demo it stood as evidence of "Taal blijft de belangrijkste drempel"
FRAME_ONLY = ("Brugge", "De belangrijkste drempel blijft de versnippering van het aanbod.")


def test_the_parse_tells_what_a_claim_is_about_also_when_the_frame_is_its_subject():
    found = clauses([BARRIER[0][1], FRAME_ONLY[1], "Er is nog geen wetsontwerp beschikbaar."])
    barrier, frame, existential = found.values()
    assert (barrier.subject, barrier.predicate) == (("taal",), ("drempel",))
    assert (frame.subject, frame.predicate) == (("drempel",), ("versnippering",))
    assert frame.predicate_text == "de versnippering van het aanbod"
    assert existential.subject[0].endswith("ontwerp")  # "er is geen X beschikbaar": X is what is not there
    # beside claims that say "drempel" of their subject, the frame's subject is not what it is about
    assert [words for words, _ in _topics([barrier, frame])] == [{"taal"}, {"versnippering"}]


def test_a_member_that_shares_only_the_frame_is_no_evidence_of_the_group():
    _, finder = _screened(BARRIER + [FRAME_ONLY], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 1
    evidence = set(finder.evidence_["text"])
    assert evidence == {text for _, text in BARRIER}
    assert finder.mechanisms_["n_cases"].iloc[0] == 3 and "Brugge" not in finder.mechanisms_["cases"].iloc[0]
    # without it the group recurs in too few cities: not reported, and the screening says why
    _, finder = _screened(BARRIER[:2] + [FRAME_ONLY], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 0 and finder.rejected_.get("ander_onderwerp") == 1


def test_the_same_claim_about_different_things_keeps_every_member():
    # no subject is what most of them are about: a dynamic said of several things, not one frame
    _, finder = _screened([
        ("Gent", "De wachtlijsten voor de kinderopvang blijven de belangrijkste drempel."),
        ("Genk", "De kostprijs van de opvang blijft de belangrijkste drempel."),
        ("Aalst", "Het vervoer naar de opvang blijft de belangrijkste drempel."),
    ], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 1 and finder.mechanisms_["n_cases"].iloc[0] == 3
