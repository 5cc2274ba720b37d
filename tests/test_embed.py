"""Sentence vectors: batching across worker threads changes nothing, nor which other documents are
encoded in the same run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.config import EmbedConfig
from pipeline.cache import Cache
from pipeline.language._embed import embed_sentences, encode

SICK = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "sick_nl" / "data" / "tasks" / "sick_nl" / "SICK_NL.txt"


@pytest.mark.skipif(not SICK.is_file(), reason=f"SICK-NL sentences not found at {SICK} (needs ../shared)")
def test_worker_threads_give_the_same_vectors_as_one_thread():
    pairs = pd.read_csv(SICK, sep="\t", usecols=["sentence_A", "sentence_B"], nrows=150)
    texts = list(pairs["sentence_A"]) + list(pairs["sentence_B"])  # 300 real Dutch sentences, 10 batches
    one = encode(texts, replace(EmbedConfig(), workers=1, batch_size=32))
    two = encode(texts, replace(EmbedConfig(), workers=2, batch_size=32))
    assert one.shape == (300, 512)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_allclose(np.linalg.norm(two, axis=1), 1.0, atol=1e-5)
    # vectors come back in input order (a shuffled input batches differently: last bits may move)
    order = np.random.default_rng(0).permutation(len(texts))
    shuffled = encode([texts[i] for i in order], replace(EmbedConfig(), workers=2, batch_size=32))
    np.testing.assert_allclose(shuffled, two[order], atol=1e-5)


@pytest.mark.skipif(not SICK.is_file(), reason=f"SICK-NL sentences not found at {SICK} (needs ../shared)")
def test_a_documents_vectors_do_not_depend_on_the_documents_encoded_with_it(tmp_path):
    # A document's vectors are cached and reused by the next run; if they depended (in the last digits)
    # on which other documents shared their batches, the same corpus would give other vectors, and
    # possibly other themes, after a run of another corpus with that document in it.
    pairs = pd.read_csv(SICK, sep="\t", usecols=["sentence_A", "sentence_B"], nrows=60)

    def sentences(docs):
        return pd.DataFrame([{"segment_id": f"{doc}:{i:04d}", "text": text}
                             for doc, texts in docs.items() for i, text in enumerate(texts)])

    doc_a = list(pairs["sentence_A"][:4])  # alone a batch of 4; mixed with others, batches of 16
    others = {"b": list(pairs["sentence_B"]), "c": list(pairs["sentence_A"][4:])}
    cfg = replace(EmbedConfig(), batch_size=16)
    alone = embed_sentences(sentences({"a": doc_a}), cfg)
    together = embed_sentences(sentences({"a": doc_a, **others}), cfg)
    np.testing.assert_array_equal(alone, together[:len(doc_a)])
    # and a cache filled by the run with others gives a run of the document alone the same vectors
    cache = Cache(tmp_path / "cache")
    embed_sentences(sentences({"a": doc_a, **others}), cfg, cache)
    np.testing.assert_array_equal(embed_sentences(sentences({"a": doc_a}), cfg, cache), alone)
