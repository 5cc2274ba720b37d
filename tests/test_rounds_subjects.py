"""Rounds: subjects that faded or arose inside a theme (`changed_subjects`), found where the two
rounds differ locally. On the Chamber's written questions of 2017 (real Dutch text, gold themes),
split by date: a gold theme removed from the second period is found as a subject of the first,
and two random halves of one period show no subject (false-alarm guard). Features: TF-IDF and SVD
of the questions, a stand-in for the themes' features that takes seconds, not minutes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from pipeline.analysis.themes import changed_subjects
from pipeline.analysis.themes._rounds import _once

from .makers import KAMER, kamer_periods

pytestmark = pytest.mark.skipif(not KAMER.is_file(), reason=f"{KAMER} not found (needs ../shared)")


@pytest.fixture(scope="module")
def kamer():
    data, period = kamer_periods()
    with threadpool_limits(1):
        lexical = TfidfVectorizer(min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{3,}\b") \
            .fit_transform(data["question"])
        features = normalize(TruncatedSVD(100, n_iter=2, random_state=0).fit_transform(lexical))
    return data, period, features


def _subjects(features, rows1, rows2, docs):
    x1, x2 = features[rows1], features[rows2]
    with threadpool_limits(1):
        return changed_subjects((x1, x2), (list(docs[rows1]), list(docs[rows2])), (_once(x1), _once(x2)))


def test_a_theme_left_out_of_the_second_period_is_a_subject_of_the_first(kamer):
    data, period, features = kamer
    gold, docs = data["question_theme_main"].to_numpy(), data["doc_id"].to_numpy()
    counts = pd.crosstab(gold, period)
    eligible = sorted(counts.index[(counts >= 30).all(axis=1)])
    planted = [str(t) for t in np.random.default_rng(0).permutation(eligible)[:3]]  # not chosen by hand
    found = 0
    for theme in planted:
        rows1 = np.flatnonzero(period == 1)
        rows2 = np.flatnonzero((period == 2) & (gold != theme))
        subjects = _subjects(features, rows1, rows2, docs)
        # a subject of the first period that is mostly the theme left out (and no handful of it)
        for side, members, near_other, p in subjects:
            mine = gold[rows1][members] == theme if side == 1 else np.zeros(len(members), bool)
            if mine.mean() >= 0.5 and mine.sum() >= 10:
                found += 1
                assert p < 0.05 and len(near_other) < len(members)  # the second period has little like it
                break
    assert found >= 2, planted


def test_two_random_halves_of_one_period_show_no_subject(kamer):
    data, period, features = kamer
    rows = np.random.default_rng(1).permutation(np.flatnonzero(period == 1))
    half = len(rows) // 2
    assert _subjects(features, np.sort(rows[:half]), np.sort(rows[half:]), data["doc_id"].to_numpy()) == []
