"""Practices in any genre (issue #20 item 5): in written answers of ministers and in debates most
capitalised names near a practice cue are organisations, laws, products or places; a practice is a
named project, programme, campaign or meeting place that someone runs. Realistic Dutch written for
these tests, in the style of parliamentary answers and of conversation notes."""

from __future__ import annotations

from pipeline.analysis import find_practices
from pipeline.analysis._practices import normalise_name
from pipeline.config import NlpConfig
from pipeline.language import parse
from pipeline.schema import segments_from_rows


def _names(paragraphs: list[str], case: str | list[str] = "Kamer") -> set[str]:
    """The practices found in one document of these paragraphs (one case, or one case per paragraph),
    by normalised name."""
    rows = [{"segment_id": f"antwoord.txt:{i:04d}", "doc_id": "antwoord.txt", "index": i, "kind": "paragraph",
             "speaker": "", "is_facilitator": False, "prompt": "", "start_char": 0, "end_char": len(text),
             "page": 0, "location": "", "text": text, "analysed": True, "excluded_reason": ""}
            for i, text in enumerate(paragraphs)]
    segments = segments_from_rows(rows)
    sentences, _ = parse(segments, NlpConfig())
    segments = segments.assign(case=case if isinstance(case, str) else list(case), source_file="antwoord.txt",
                               theme_id="T01")
    return {normalise_name(p) for p in find_practices(segments, sentences)["practice"]}


def test_organisations_that_decide_answer_or_fund_are_not_practices():
    got = _names([
        "De FOD Mobiliteit heeft vorig jaar beslist om de erkenning van die scholen te verlengen.",
        "Daarom hebben we contact opgenomen met de Europese Commissie.",
        "Dat dossier wordt opgevolgd door de Regie der Gebouwen, die dit jaar een nieuw plan heeft opgemaakt.",
        "Volgens het Centrum voor Gelijke Kansen loopt die campagne goed.",
        "De bijlagen bij dit antwoord worden het geachte Kamerlid rechtstreeks toegestuurd.",
        "In 2016 heeft de FOD het project Zorgzame Buurten opgestart in vier steden.",
    ])
    assert got == {"zorgzame buurten"}


def test_laws_and_treaties_are_not_practices():
    got = _names([
        "Sinds vorig jaar loopt de evaluatie van het Dublinverdrag.",
        "De Wet Patiëntenrechten werd dit jaar op twee punten aangepast.",
        "Met het programma Gezond Ouder Worden begeleiden we sinds 2015 oudere werknemers naar aangepast werk.",
    ])
    assert got == {"gezond ouder worden"}


def test_a_product_is_not_a_practice_but_a_group_someone_started_is():
    got = _names([
        "Daarnaast worden de Freestyle Libre sensoren sinds dit jaar terugbetaald voor diabetespatiënten.",
        "Het ziekenhuis is vorig jaar gestart met de Praatgroep Suikervrij, een maandelijkse bijeenkomst voor "
        "patiënten en hun familie.",
    ])
    assert got == {"praatgroep suikervrij"}


def test_a_place_is_not_a_practice_but_a_meeting_place_someone_runs_is():
    got = _names([
        "In het Koninklijk Paleis werd vorig jaar een project rond erfgoed gestart.",
        "Sinds 2018 baat de stad het Buurthuis De Kring uit, een ontmoetingsplek waar buurtbewoners elke "
        "dinsdag samen koken.",
    ], case="Gent")
    assert got == {"buurthuis de kring"}


def test_a_campaign_and_an_initiative_that_someone_launched_are_practices():
    got = _names([
        "Om hieraan te verhelpen heb ik samen met het BIPT de campagne Veilig Online opgestart.",
        "Sinds oktober 2015 heb ik met vijf werkgeversorganisaties het initiatief Digitaal Vooruit gelanceerd.",
        "Het Computer Emergency Response Team heeft die aanvallen vorig jaar onderzocht.",
    ])
    assert got == {"veilig online", "digitaal vooruit"}


def test_things_kinds_and_examples_of_organisations_are_not_practices_but_named_projects_are():
    got = _names([
        # a type of aircraft, a common noun after an acronym, a thing "van" its owner: no named initiative
        "Voor de opleiding van de piloten loopt sinds 2016 het programma Gripen E39.",
        "De PIT-functies worden sinds vorig jaar gefinancierd via dit pilootproject.",
        "De gegevens worden sinds dit jaar bijgehouden in de Kennisbank van de Lokale Besturen.",
        # organisations given as examples, and a title cut short at its first word
        "De begeleiding gebeurt via organisaties zoals ‘Steunpunt Sociale Economie’, die vorig jaar gestart zijn.",
        "Het project Caring about neighbours in Molenbeek wordt gefinancierd door de POD Maatschappelijke Integratie.",
        # named initiatives someone runs, also an English name with its linking word
        "Het project Food for Thought loopt sinds 2017 in vijf gevangenissen.",
        "Met het Actieplan Digitale Inclusie begeleiden we sinds vorig jaar ouderen naar online diensten.",
    ])
    assert got == {"food for thought", "actieplan digitale inclusie"}


def test_a_name_that_many_departments_use_is_shared_vocabulary_not_one_initiative():
    departments = ["Justitie", "Financiën", "Defensie", "Mobiliteit", "Pensioenen", "Werk"]
    paragraphs = ["De akten worden sinds vorig jaar gepubliceerd via het platform Justel."]
    paragraphs += [f"Voor {d} zijn de teksten te raadplegen in Justel, de databank van de wetgeving."
                   for d in departments[1:]]
    paragraphs.append("In 2017 hebben we het project Buurtpensioen opgestart in drie gemeenten.")
    got = _names(paragraphs, case=departments + ["Pensioenen"])
    assert got == {"buurtpensioen"}
    # a programme that most of them call one is a practice however many speak of it
    called = [f"Ook {d} neemt deel aan het programma Werkbaar Werk, dat sinds 2016 loopt." for d in departments]
    assert "werkbaar werk" in _names(paragraphs + called, case=departments + ["Pensioenen"] + departments)
    # the same name in one department only is its initiative
    assert _names(paragraphs[:1], case="Justitie") == {"justel"}
