"""Practices are named initiatives (issue #12 item 3): box titles, quoted names, names before a practice
noun or with a practice-noun suffix; organisations, laws, parties, person titles, places, religions and
single letters are not practices. Realistic Dutch examples written for these tests."""

from __future__ import annotations

from pipeline.analysis import find_practices
from pipeline.analysis._practices import normalise_name
from pipeline.config import NlpConfig
from pipeline.language import parse
from pipeline.schema import segments_from_rows


def _document(blocks: list[tuple[str, str]], case: str = "Vlaanderen"):
    """(kind, text) per segment of one written document (a report or a project sheet) -> practices."""
    rows = []
    for i, (kind, text) in enumerate(blocks):
        rows.append({"segment_id": f"nota.txt:{i:04d}", "doc_id": "nota.txt", "index": i, "kind": kind,
                     "speaker": "", "is_facilitator": False, "prompt": "", "start_char": 0, "end_char": len(text),
                     "page": 0, "location": "", "text": text, "analysed": kind != "header",
                     "excluded_reason": "kop of metadata" if kind == "header" else ""})
    segments = segments_from_rows(rows)
    sentences, _ = parse(segments[segments["kind"] != "header"], NlpConfig())
    segments = segments.assign(case=case, source_file="nota.txt", theme_id="T01")
    return find_practices(segments, sentences)


def _names(out) -> set[str]:
    return {normalise_name(p) for p in out["practice"]}


def test_box_title_name_comma_city_is_a_practice_with_its_description():
    out = _document([
        ("header", "Fietsbib Noord, Mechelen"),
        ("paragraph", "In de Fietsbib lenen kinderen een fiets voor een jaar. Vrijwilligers herstellen de fietsen."),
        ("header", "Soep op de Stoep, een zomerse ontmoetingsplek"),
        ("paragraph", "Elke woensdag staat er een soepkraam op het plein van de wijk."),
    ])
    assert {"fietsbib noord", "soep op de stoep"} <= _names(out)
    fiets = out[out["practice"] == "Fietsbib Noord"].iloc[0]
    assert "lenen kinderen een fiets" in fiets["text"] and fiets["theme_id"] == "T01"


def test_heading_that_the_next_paragraph_defines_or_refers_back_to():
    out = _document([
        ("header", "De Mechelse Klusbus"),
        ("paragraph", "De Mechelse Klusbus is een bestelwagen met gereedschap die langs huurders met kleine "
                      "herstellingen rijdt."),
        ("header", "Ondersteuning van ouders in de kleuterklas"),
        ("paragraph", "Dit initiatief brengt ouders en kleuterjuffen twee keer per maand samen."),
        ("header", "Inleiding"),
        ("paragraph", "Steden zoeken naar nieuwe manieren om met diversiteit om te gaan."),
    ])
    assert _names(out) == {"mechelse klusbus", "ondersteuning van ouders in de kleuterklas"}


def test_quoted_names_and_suffixes_are_clean_names():
    out = _document([
        ("paragraph", "In Lokeren lopen de projecten ‘Leesvriendjes’ en ‘Buurtbabbel’ al drie jaar."),
        ("paragraph", "Het ‘Kookpunt’-traject leert nieuwkomers koken met wat de markt die dag biedt."),
        ("paragraph", "‘Samen Thuis Leuven’ is een campagne rond goed nabuurschap."),
    ])
    assert _names(out) == {"leesvriendjes", "buurtbabbel", "kookpunt", "samen thuis leuven"}
    assert not any(p.endswith(("’", "'", "-traject")) for p in out["practice"])


def test_name_before_a_practice_noun_even_an_acronym():
    out = _document([("paragraph", "Het ZORGNET project verbindt huisartsen en buurtwerkers in de wijk.")])
    assert _names(out) == {"zorgnet"}


def test_organisations_laws_parties_titles_places_religions_and_letters_are_not_practices():
    out = _document([
        ("paragraph", "Lees meer over de trajecten van het Steunpunt Lokale Netwerken."),
        ("paragraph", "Dat traject loopt aan de tafel waar het Steunpunt mee aanschuift."),
        ("paragraph", "In het kader van het Participatiedecreet werd in 2019 een project opgezet."),
        ("paragraph", "De N-VA wil dat project al jaren schrappen."),
        ("paragraph", "Het project werd gestart door schepen Van Damme."),
        ("paragraph", "Het buurthuis is een project op de Kouter in Gent dat iedereen verwelkomt."),
        ("paragraph", "Met de leerlingen hebben we een project rond de Koran en de Bijbel gestart."),
        ("paragraph", "Als dat project niet loopt, hebben we nog een plan B."),
        ("paragraph", "Het stadsbestuur besliste om een medewerker bij de dienst ‘Wonen & Welzijn’ aan te werven."),
        ("paragraph", "Het geld komt uit het AMIF-fonds van de Europese Unie."),
        ("paragraph", "Een moeder zei over het project: ‘Wij voelen ons hier eindelijk thuis’."),
    ])
    assert out.empty, out[["practice", "cue"]].to_dict("records")


def test_a_sentence_starting_with_a_bullet_is_still_a_sentence_start():
    out = _document([("paragraph", "• Sleutelen aan de regels is voor een project moeilijk.")])
    assert out.empty
