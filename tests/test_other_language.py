"""Turns in French (or English, German) stay segments but are not analysed: the tagger, lemmas and
theme words are Dutch, and a French turn clustered with Dutch ones gives themes named "pour, nous"."""

import pandas as pd

from pipeline.config import Config
from pipeline.language import other_language
from pipeline.run import OTHER_LANGUAGE, _segments


def test_french_turns_are_told_from_dutch_ones():
    assert other_language("Je vous remercie pour vos réponses, je n'ai pas d'autre remarque.") == "Frans"
    assert other_language("Monsieur le secrétaire d'État, avez-vous pris connaissance de ce rapport? "
                          "Quelle a été votre réaction?") == "Frans"
    assert other_language("Mijnheer de minister, volgens recente berichten loopt de bouw van de nieuwe "
                          "schepen opnieuw vertraging op.") == ""


def test_dutch_with_french_names_or_english_loanwords_stays_dutch():
    # place names with French particles and English loanwords do not make a Dutch sentence foreign
    assert other_language("De moeilijke situatie in de politiezone Entre-Sambre-et-Meuse.") == ""
    assert other_language("De workshop over feedback was voor de teams van de stad een succes.") == ""
    assert other_language("Over-the-top diensten.") == ""


def test_english_and_german_are_named():
    assert other_language("We have seen that the waiting lists are getting longer every year.") == "Engels"
    assert other_language("Die Wartelisten werden jedes Jahr länger, und es gibt keine Lösung.") == "Duits"


def test_a_french_turn_in_a_transcript_is_not_analysed():

    text = ("Annick Peeters (VB): Het is momenteel onduidelijk wanneer de schepen effectief in het water "
            "zullen liggen.\n\nChristophe Dubois (MR): Je vous remercie pour vos réponses, je n'ai pas "
            "d'autre remarque.")
    documents = pd.DataFrame([{"doc_id": "d", "text": text, "blocks": [], "page_starts": []}])
    private = type("Private", (), {"back": {}})()
    segments = _segments(documents, private, Config())
    assert list(segments["analysed"]) == [True, False]
    assert list(segments["excluded_reason"]) == ["", OTHER_LANGUAGE]
