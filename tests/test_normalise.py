from pipeline.corpus._normalise import (
    collapse_blank_lines,
    fold_accents,
    normalise_newlines,
    normalise_spaces,
    normalise_text,
    normalise_unicode,
    repair_hyphenation,
    unwrap_lines,
)


def test_unicode_nfc_ligatures_and_invisibles():
    decomposed = "ree\u0308el"  # e + combining diaeresis
    assert normalise_unicode(decomposed) == "reëel"
    assert normalise_unicode("\ufb01nanciële drempel") == "financiële drempel"
    assert normalise_unicode("armoede\u00adbestrijding\u200b") == "armoedebestrijding"


def test_newlines_crlf_and_form_feed():
    assert normalise_newlines("Facilitator: Welkom.\r\nOCMW: Dank u.\rEinde") == "Facilitator: Welkom.\nOCMW: Dank u.\nEinde"
    assert normalise_newlines("pagina 1\fpagina 2") == "pagina 1\n\npagina 2"


def test_exotic_spaces_become_one_space():
    assert normalise_spaces("klare\u00a0taal\t\tin  het") == "klare taal in  het"


def test_blank_line_runs_collapse():
    assert collapse_blank_lines("a\n\n \n\n\nb\nc") == "a\n\nb\nc"


def test_hyphenation_joined_but_real_hyphens_kept():
    assert repair_hyphenation("de projecten worden niet veran-\nkerd in de werking") == \
        "de projecten worden niet verankerd in de werking"
    assert repair_hyphenation("in Sint-\nNiklaas") == "in Sint-Niklaas"
    assert repair_hyphenation("de zorg-\nen welzijnssector") == "de zorg- en welzijnssector"
    assert repair_hyphenation("covid-\n19") == "covid-19"


def test_unwrap_lines_joins_wrapped_lines_but_keeps_turns_apart():
    text = ("Frontlijnwerker OCMW: Mensen vinden de weg niet in het\nweb van diensten en voorwaarden.\n"
            "Brugfiguur: Dat herken ik.\n\nVolgende alinea\nloopt verder.")
    assert unwrap_lines(text) == (
        "Frontlijnwerker OCMW: Mensen vinden de weg niet in het web van diensten en voorwaarden.\n\n"
        "Brugfiguur: Dat herken ik.\n\nVolgende alinea loopt verder."
    )


def test_normalise_text_pdf_page():
    page = "Er is grote bezorgd-\nheid over het tolken-\nbudget.   \r\n\r\n\r\nNieuwe alinea."
    assert normalise_text(page, unwrap=True) == "Er is grote bezorgdheid over het tolkenbudget.\n\nNieuwe alinea.\n"


def test_normalise_text_keeps_line_breaks_without_unwrap():
    assert normalise_text("\ufeffregel een\r\nregel twee\r\n") == "regel een\nregel twee\n"
    assert normalise_text("  \n\n ") == ""


def test_fold_accents_keeps_length():
    for text in ["Öztürk", "Yılmaz", "D’Hondt", "Søren Łukasz Đorđević", "Ça va, Ærø?"]:
        assert len(fold_accents(text)) == len(text)
    assert fold_accents("Öztürk, Yılmaz, D’Hondt") == "Ozturk, Yilmaz, D'Hondt"

