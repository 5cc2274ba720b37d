"""Tests for pipeline.analysis.mechanisms._syntax: a reported mechanism says something (a main clause),
and its evidence says it of the same thing (the claim's subject)."""

from __future__ import annotations

import re

import pandas as pd

from pipeline.analysis.mechanisms._grouping import _off_claim, _topics
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


LACK = [  # most members deny the same thing: no figures are kept
    "Er worden geen cijfers bijgehouden over het aantal tolken.",
    "Over de inzet van tolken worden geen cijfers bijgehouden.",
    "Er worden over de tolken in de scholen geen cijfers bijgehouden.",
]
OFF_LACK = [
    # the same subject, but the negation is in a clause about what the figures cover
    "De bijgehouden cijfers over tolken hebben enkel betrekking op het stadhuis en hebben geen betrekking op de scholen.",
    "De cijfers van vorig jaar vindt u in de bijlage.",  # denies nothing: nothing is lacking
]
AFFIRMED = [  # most members affirm: language is a barrier
    "Taal blijft de belangrijkste drempel voor ouders.",
    "Voor veel ouders is taal een grote drempel.",
    "Taal is de eerste drempel aan het loket.",
]


def _members(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"text": texts, "lemmas": [re.findall(r"\w+", t.lower()) for t in texts]})


def test_a_member_that_does_not_deny_what_the_group_denies_is_off_its_claim():
    found = clauses(LACK + OFF_LACK)
    assert {"cijfer", "bijhouden"} <= set(found[LACK[0]].negated)
    assert "cijfer" not in found[OFF_LACK[0]].negated  # the negation stands in the second clause only
    off = _off_claim(_members(LACK + OFF_LACK), [found[t] for t in LACK + OFF_LACK])
    assert off.tolist() == [False, False, False, True, True]


def test_a_member_that_denies_what_the_group_affirms_is_off_its_claim():
    texts = AFFIRMED + ["Taal is geen drempel meer voor de jongeren van de wijk."]
    found = clauses(texts)
    assert found[texts[-1]].denied == found[texts[-1]].denied_said == ("drempel",)
    assert _off_claim(_members(texts), [found[t] for t in texts]).tolist() == [False, False, False, True]
    # a negation of something the others do not say is no denial of their claim
    texts = AFFIRMED + ["Wie geen taal deelt met de leerkracht, vindt de drempel van de school hoog."]
    found = clauses(texts)
    assert "drempel" not in found[texts[-1]].denied_said
    assert not _off_claim(_members(texts), [found[t] for t in texts]).any()
    texts = AFFIRMED + ["Taal is een drempel, want de brieven worden niet vertaald."]
    found = clauses(texts)
    assert not _off_claim(_members(texts), [found[t] for t in texts]).any()


def test_a_member_off_the_groups_denial_is_no_evidence_and_is_counted():
    lack = list(zip(["Gent", "Genk", "Aalst"], LACK)) + [("Brugge", OFF_LACK[0])]
    _, finder = _screened(lack, min_problem_share=0.0)
    assert len(finder.mechanisms_) == 1
    assert set(finder.evidence_["text"]) == set(LACK)
    _, finder = _screened(lack[:2] + lack[3:], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 0 and finder.rejected_.get("ander_onderwerp") == 1


def test_a_member_that_says_the_denied_predicate_less_strongly_stays_on_the_claim():
    texts = ["Veel ouders begrijpen de brieven van de school niet.",
             "Ook Vlamingen met weinig scholing begrijpen onze brieven niet.",
             "Mensen begrijpen de brieven van het OCMW vaak niet.",
             "De jongeren begrijpen de brieven soms minder goed dan hun ouders.",  # no negation, the same claim
             "De brieven van het OCMW worden elke maand verstuurd."]  # no negation, nothing lacking
    found = clauses(texts)
    assert found[texts[0]].denied_said == ("begrijpen",)
    assert _off_claim(_members(texts), [found[t] for t in texts]).tolist() == [False, False, False, False, True]
