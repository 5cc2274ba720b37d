import pandas as pd

from pipeline.cache import Cache
from pipeline.config import NlpConfig, SegmentConfig
from pipeline.nlp import parse
from pipeline.segment import segment

TEXT = """Frontlijnwerker OCMW: Mensen lopen verloren in het web van diensten. De wachtlijsten zijn lang, o.a. bij het CAW.

Brugfiguur: Ouders verstaan de brieven niet. Er is geen tolk en het tolkenbudget is op.
"""


def _segments():
    docs = pd.DataFrame([{"doc_id": "gent/t.txt", "text": TEXT, "blocks": [], "page_starts": []}])
    return segment(docs, SegmentConfig())


def test_tokens_have_lemmas_offsets_and_stop_flags():
    sentences, tokens = parse(_segments(), NlpConfig())
    for row in tokens.itertuples():
        assert TEXT[row.start_char:row.start_char + len(row.text)] == row.text
    lemma = dict(zip(tokens["text"], tokens["lemma"]))
    assert lemma["wachtlijsten"] == "wachtlijst"
    assert lemma["brieven"] == "brief" and lemma["Ouders"] == "ouder"
    stop = dict(zip(tokens["text"], tokens["is_stop"]))
    assert stop["het"] and stop["de"]
    assert not stop["niet"] and not stop["geen"]  # negation carries meaning in notes
    assert not stop["tolkenbudget"]


def test_sentences_split_and_cut_out_of_the_document():
    sentences, _ = parse(_segments(), NlpConfig())
    assert list(sentences["text"]) == [
        "Mensen lopen verloren in het web van diensten.",
        "De wachtlijsten zijn lang, o.a. bij het CAW.",
        "Ouders verstaan de brieven niet.",
        "Er is geen tolk en het tolkenbudget is op.",
    ]
    for row in sentences.itertuples():
        assert TEXT[row.start_char:row.end_char] == row.text


def test_parse_is_cached_per_document(tmp_path):
    cache = Cache(tmp_path)
    first = parse(_segments(), NlpConfig(), cache)
    assert cache.hits == 0 and cache.misses == 1
    second = parse(_segments(), NlpConfig(), cache)
    assert cache.hits == 1
    pd.testing.assert_frame_equal(first[1], second[1])
    # other NLP settings: a new entry, not the old one
    parse(_segments(), NlpConfig(keep_stopwords=()), cache)
    assert cache.misses == 2
