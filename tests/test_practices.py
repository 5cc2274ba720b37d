"""Practices: named initiatives per city, with the describing sentence; places, services and people are not practices."""

from __future__ import annotations

import pandas as pd

from pipeline.config import NlpConfig
from pipeline.analysis import find_practices
from pipeline.analysis._practices import PRACTICE_COLUMNS, normalise_name
from pipeline.language import parse
from pipeline.schema import segments_from_rows


_segments_table = segments_from_rows


def _practices(turns: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(case, speaker, text) per turn -> find_practices output."""
    return find_practices(*_inputs(turns))


def _inputs(turns: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(case, speaker, text) per turn -> (segments with case/source_file/theme, sentences)."""
    rows = []
    for i, (case, speaker, text) in enumerate(turns):
        rows.append({"segment_id": f"{case.lower()}_tafel.txt:{i:04d}", "doc_id": f"{case.lower()}_tafel.txt",
                     "index": i, "kind": "turn", "speaker": speaker, "is_facilitator": speaker == "Facilitator",
                     "prompt": "", "start_char": 0, "end_char": len(text), "page": 0, "location": "",
                     "text": text, "analysed": speaker != "Facilitator", "excluded_reason": ""})
    segments = _segments_table(rows)
    sentences, _ = parse(segments, NlpConfig())
    segments = segments.assign(case=[t[0] for t in turns], source_file=[f"{t[0].lower()}_tafel.txt" for t in turns],
                               theme_id=["T02"] * len(turns))
    return segments, sentences


def test_named_practices_with_their_city_and_description():
    out = _practices([
        ("Lier", "Buurtwerker", "Daarom zijn we vorig jaar gestart met het Buurtpunt De Linde. Dat is een lokaal "
                                "in de wijk waar bewoners zonder afspraak binnenlopen met hun brieven."),
        ("Ninove", "Jobcoach", "Met project Samen Sterk begeleiden we jongeren zonder diploma naar een eerste job."),
        ("Tienen", "Schepen", "In de bib hebben we de Leesbank Vlinder opgestart voor anderstalige ouders."),
    ])
    assert list(out.columns) == PRACTICE_COLUMNS
    got = {(normalise_name(p), c) for p, c in zip(out["practice"], out["case"])}
    assert got == {("buurtpunt de linde", "Lier"), ("samen sterk", "Ninove"), ("leesbank vlinder", "Tienen")}
    linde = out[out["case"] == "Lier"].iloc[0]
    assert "Dat is een lokaal" in linde["text"]  # the defining next sentence is kept
    assert linde["theme_id"] == "T02" and linde["source_file"] == "lier_tafel.txt"


def test_single_word_name_needs_a_cue():
    out = _practices([
        ("Lier", "Maatschappelijk werker", "Daarom zijn we gestart met de Kansenwijzer, een korte vragenlijst bij "
                                           "het eerste gesprek."),
        ("Lier", "Maatschappelijk werker", "Ik sprak er gisteren nog over met Kristof."),
        ("Ninove", "Woonconsulent", "Ja, het Huurkompas. Dat is een traject in de woonwinkel voor kwetsbare huurders."),
    ])
    assert {normalise_name(p) for p in out["practice"]} == {"kansenwijzer", "huurkompas"}


def test_places_services_people_and_adjectives_are_not_practices():
    out = _practices([
        ("Lier", "Buurtwerker", "We verwijzen door naar het OCMW, het CAW en de VDAB, en soms naar het Sociaal Huis."),
        ("Lier", "Brugfiguur", "Ik bel dan mevrouw Vermeulen van het Centrum Leerlingenbegeleiding."),
        ("Lier", "Buurtwerker", "Een collega, Pieter Janssens, heeft dat destijds opgestart in Koningshooikt."),
        ("Ninove", "Jobcoach", "In Denderwindeke hebben we veel nieuwkomers uit Syrië en Afghanistan."),
        ("Ninove", "Jobcoach", "Huisvesting is vandaag het grootste probleem voor die gezinnen."),
        ("Ninove", "Jobcoach", "We organiseren elke maand een avond voor Afghaanse gezinnen en Syrische jongeren."),
        ("Ninove", "Facilitator", "Is er bij jullie ook een project zoals het Buurtpunt De Linde?"),
    ])
    assert out.empty, out[["practice", "case"]].to_dict("records")


def test_one_row_per_practice_and_city_counting_mentions():
    out = _practices([
        ("Lier", "Leerkracht", "Bij ons loopt Thuistaal Telt in drie basisscholen."),
        ("Lier", "Directeur", "We willen Thuistaal Telt graag uitbreiden naar het secundair, want het loopt goed."),
        ("Tienen", "Brugfiguur", "Wij zijn dit jaar ook gestart met Thuistaal Telt, naar het voorbeeld van Lier."),
    ])
    rows = {(normalise_name(p), c): n for p, c, n in zip(out["practice"], out["case"], out["n_mentions"])}
    assert rows == {("thuistaal telt", "Lier"): 2, ("thuistaal telt", "Tienen"): 1}
    lier = out[out["case"] == "Lier"].iloc[0]
    assert len(lier["mention_segment_ids"].split("; ")) == 2


def test_normalise_name_drops_practice_nouns_and_accents():
    assert normalise_name("project Blauw op het Plein") == normalise_name("Blauw op het Plein")
    assert normalise_name("het netwerk Buurtsleutels") == "buurtsleutels"
    assert normalise_name("Cité-ambassadeurs") == normalise_name("cite ambassadeurs")


def test_singular_and_plural_name_are_one_practice():
    out = _practices([
        ("Lier", "Buurtwerker", "Sinds vorig jaar hebben we het netwerk Wijkbruggen, een twintigtal vrijwilligers."),
        ("Lier", "Buurtwerker", "Een Wijkbrug die beide talen spreekt, neemt veel misverstanden weg."),
    ])
    assert len(out) == 1
    assert out.iloc[0]["practice"] == "Wijkbruggen" and out.iloc[0]["n_mentions"] == 2


def test_practices_are_cached_and_a_changed_sentence_misses(tmp_path):
    from pipeline.cache import Cache

    segments, sentences = _inputs([
        ("Lier", "Buurtwerker", "Daarom zijn we vorig jaar gestart met het project Buurtsleutels in de wijk."),
        ("Ninove", "Jobcoach", "Met project Samen Sterk begeleiden we jongeren zonder diploma naar een eerste job."),
    ])
    first = find_practices(segments, sentences, cache=Cache(tmp_path))
    warm = Cache(tmp_path)
    pd.testing.assert_frame_equal(first, find_practices(segments, sentences, cache=warm))
    assert warm.hits == 1 and warm.misses == 0
    edited = sentences.assign(text=sentences["text"].str.replace("Buurtsleutels", "Wijksleutels"))
    cold = Cache(tmp_path)
    assert not find_practices(segments, edited, cache=cold).equals(first)
    assert cold.hits == 0 and cold.misses == 1


def test_a_bare_naming_sentence_takes_the_next_sentence_as_its_description():
    # "Graag delen we X." says nothing of X: the description is the sentence after it
    out = _practices([
        ("Lier", "Onderwijsambtenaar", "We hebben met Kamers met Kansen iets kleins opgezet, maar dat is een druppel."),
        ("Lier", "Stadsadministratie", "Graag delen we Kamers met Kansen. Lierenaars met een vrije kamer in hun "
                                       "woning, vaak alleenstaande ouderen, verhuren die aan een redelijke prijs "
                                       "aan een nieuwkomer. Een woonbegeleider zorgt voor de match."),
    ])
    row = out[out["case"] == "Lier"].iloc[0]
    assert normalise_name(row["practice"]) == "kamers met kansen" and row["n_mentions"] == 2
    assert row["text"].startswith("Graag delen we Kamers met Kansen. Lierenaars met een vrije kamer")
    assert "woonbegeleider" not in row["text"]  # one sentence more, not the whole answer


def test_a_name_typed_with_two_spaces_or_across_a_line_break_has_single_spaces():
    out = _practices([
        ("Lier", "Buurtwerker", "Sinds vorig jaar loopt het project Samen  Sterk in de wijk, met vrijwilligers."),
        ("Mol", "Buurtwerker", "Daarom zijn we gestart met het project Warme\nWijk voor oudere bewoners."),
    ])
    assert sorted(out["practice"]) == ["Samen Sterk", "Warme Wijk"]
