"""Sentence vectors: batching across worker threads changes nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.config import EmbedConfig
from pipeline.language._embed import encode

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
