import pytest

from pipeline.language._compounds import compound_parts, with_compound_parts


@pytest.mark.parametrize("word, parts", [
    ("taalbeleid", ("taal", "beleid")),
    ("tolkenbudget", ("tolk", "budget")),  # linking -en-
    ("stadsloket", ("stad", "loket")),  # linking -s-
    ("veiligheidsbeleid", ("veiligheid", "beleid")),
    ("schooltoelage", ("school", "toelage")),
    ("politiekorps", ("politie", "korps")),
])
def test_compounds_split_into_their_parts(word, parts):
    assert compound_parts(word) == parts


@pytest.mark.parametrize("word", ["onderwijs", "samenleving", "overheid", "beleid", "gezin", "brief"])
def test_simple_and_prefixed_words_stay_whole(word):
    assert compound_parts(word) == (word,)


def test_parts_join_the_terms_but_phrases_are_left_alone():
    terms = ["tolkenbudget", "klaar taal", "wachtlijst"]
    out = with_compound_parts(terms)
    assert out[:3] == terms
    assert {"tolk", "budget", "lijst"} <= set(out)
    assert "klaar" not in out
