from pathlib import Path

import pandas as pd
import pytest

from pipeline.cache import Cache
from pipeline.config import NlpConfig, SegmentConfig
from pipeline.language._nlp import parse
from pipeline.corpus._segment import segment

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


PARLAMINT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "parlamint_samples_be_nl"


@pytest.mark.skipif(not PARLAMINT.is_dir(), reason=f"ParlaMint samples not found at {PARLAMINT} (needs ../shared)")
def test_parsing_in_two_processes_and_batches_gives_the_same_tables_and_shares_the_cache(tmp_path):
    from dataclasses import replace

    # real transcript text: ParlaMint samples, one document per file
    folder = PARLAMINT
    texts = [p.read_text(encoding="utf-8")[:6000] for p in sorted(folder.rglob("*.txt"))[:6]]
    assert len(texts) >= 2
    docs = pd.DataFrame([{"doc_id": f"d{i}.txt", "text": t, "blocks": [], "page_starts": []}
                         for i, t in enumerate(texts)])
    segments = segment(docs, SegmentConfig())
    one = parse(segments, replace(NlpConfig(), n_process=1))
    # two processes and small batches (two 6,000-character documents per batch, three batches)
    two = parse(segments, replace(NlpConfig(), n_process=2, parallel_min_chars=0, batch_chars=13_000), Cache(tmp_path))
    pd.testing.assert_frame_equal(one[0], two[0])
    pd.testing.assert_frame_equal(one[1], two[1])
    # the number of processes is not part of the cache key: a one-process rerun is all hits
    warm = Cache(tmp_path)
    parse(segments, replace(NlpConfig(), n_process=1), warm)
    assert warm.misses == 0 and warm.hits == len(docs)


def test_a_pseudonym_after_a_full_stop_starts_its_own_sentence():
    """The sentencizer kept "[" with the sentence before it ("… groeien. [") (issue #13)."""
    text = ("Brugfiguur: De scholen groeien. [Persoon 2] zegt dat de ouders de brieven niet verstaan. "
            "Dat is een probleem (zegt ze). (Zie de bijlage.) Einde.\n")
    docs = pd.DataFrame([{"doc_id": "gent/t.txt", "text": text, "blocks": [], "page_starts": []}])
    sentences, _ = parse(segment(docs, SegmentConfig()), NlpConfig())
    assert list(sentences["text"]) == [
        "De scholen groeien.", "[Persoon 2] zegt dat de ouders de brieven niet verstaan.",
        "Dat is een probleem (zegt ze).", "(Zie de bijlage.)", "Einde."]
    for row in sentences.itertuples():
        assert text[row.start_char:row.end_char] == row.text
