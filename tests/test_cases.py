import pytest

from pipeline.corpus._cases import CaseNormaliser, UnknownCase
from pipeline.config import CENTRE_CITIES

normalise = CaseNormaliser(CENTRE_CITIES)


@pytest.mark.parametrize("raw, case", [
    ("St.-Niklaas", "Sint-Niklaas"),
    ("Sint Niklaas", "Sint-Niklaas"),
    ("stad Sint-Niklaas", "Sint-Niklaas"),
    ("Stad Gent", "Gent"),
    ("GENT", "Gent"),
    ("  Hasselt ", "Hasselt"),
    ("Brussel (VGC)", "VGC"),
    ("VGC/Brussel", "VGC"),
    ("Vlaamse Gemeenschapscommissie", "VGC"),
    ("gemeente Genk", "Genk"),
    ("Oostende", "Oostende"),
])
def test_common_spellings_map_to_one_case(raw, case):
    assert normalise(raw) == case


def test_a_near_miss_of_a_city_is_refused_with_the_suggestion():
    for raw, city in (("Roeselaere", "Roeselare"), ("Gnet", "Gent"), ("Brugee", "Brugge")):
        with pytest.raises(UnknownCase) as info:
            CaseNormaliser(CENTRE_CITIES)(raw)
        assert info.value.suggestion == city and f"Bedoel je '{city}'" in str(info.value)


def test_any_other_case_name_is_accepted_as_written():
    """Another round: sections, municipalities or parties as cases, next to the default cities."""
    cases = CaseNormaliser(CENTRE_CITIES)
    assert cases("  Vlaanderen ") == "Vlaanderen"
    assert cases("taal en communicatie") == "taal en communicatie"
    assert cases("Aalter") == "Aalter" and cases("Aalst") == "Aalst"  # a neighbour, not a misspelling
    assert cases("VLAANDEREN") == "Vlaanderen" and cases("Taal en Communicatie") == "taal en communicatie"


def test_a_near_miss_of_a_new_case_is_refused_not_split():
    cases = CaseNormaliser(CENTRE_CITIES)
    assert cases("Dendermonde") == "Dendermonde"
    with pytest.raises(UnknownCase) as info:
        cases("Dendermodne")
    assert info.value.suggestion == "Dendermonde"
    with pytest.raises(UnknownCase):
        cases("   ")


def test_long_names_that_differ_in_whole_words_are_two_cases():
    # the Chamber's answering ministries as cases (issue #22): a near-miss is a typo, not another word
    cases = CaseNormaliser(CENTRE_CITIES)
    interior = "Vice-eersteminister, toegevoegd aan de Minister van Veiligheid en Binnenlandse Zaken"
    finance = "Vice-eersteminister, toegevoegd aan de minister van Financien"
    assert cases(interior) == interior and cases(finance) == finance
    assert cases("gesprekstafel 1") == "gesprekstafel 1" and cases("gesprekstafel 2") == "gesprekstafel 2"
    # a typo inside one of those long names is still refused with the suggestion
    with pytest.raises(UnknownCase) as info:
        cases("Vice-eersteminister, toegevoegd aan de minister van Finanicen")
    assert info.value.suggestion == finance


def test_generic_cases_for_another_round():
    anywhere = CaseNormaliser(())
    assert anywhere("  Stad   Lokeren ") == "Stad Lokeren"
    custom = CaseNormaliser(("Lokeren", "Dendermonde"), (("Lok.", "Lokeren"),))
    assert custom("stad Dendermonde") == "Dendermonde"
    assert custom("Lok.") == "Lokeren"
