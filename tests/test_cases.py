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


def test_unknown_spelling_suggests_the_closest_city():
    with pytest.raises(UnknownCase) as info:
        normalise("Roeselaere")
    assert info.value.suggestion == "Roeselare"
    with pytest.raises(UnknownCase) as info:
        normalise("Amsterdam")
    assert info.value.suggestion is None


def test_generic_cases_for_another_round():
    anywhere = CaseNormaliser(())
    assert anywhere("  Stad   Lokeren ") == "Stad Lokeren"
    custom = CaseNormaliser(("Lokeren", "Dendermonde"), (("Lok.", "Lokeren"),))
    assert custom("stad Dendermonde") == "Dendermonde"
    assert custom("Lok.") == "Lokeren"
