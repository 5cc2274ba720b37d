"""Rounds: a theme left out of the first period of the Chamber's written questions of 2017 (real
Dutch text, gold themes) is coded new in the second (`code_new_round`): most of its questions land
in themes called new, not in the earlier themes around it, and the new themes do not swallow
earlier subjects. Features: the questions' words alone (no embeddings), which take seconds."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.themes import ThemeModel, code_new_round

from .makers import KAMER, kamer_periods

pytestmark = pytest.mark.skipif(not KAMER.is_file(), reason=f"{KAMER} not found (needs ../shared)")


@pytest.fixture(scope="module")
def kamer():
    data, period = kamer_periods()
    terms = [re.findall(r"[^\W\d_]{3,}", q.lower()) for q in data["question"]]
    return data, period, terms


def test_a_theme_left_out_of_the_first_period_is_coded_new_in_the_second(kamer):
    data, period, terms = kamer
    gold = data["question_theme_main"].to_numpy()
    counts = pd.crosstab(gold, period)
    eligible = sorted(counts.index[(counts >= 30).all(axis=1)])
    planted = [str(t) for t in np.random.default_rng(7).permutation(eligible)[:3]]  # not chosen by hand
    mostly_new = 0
    for theme in planted:
        rows1 = np.flatnonzero((period == 1) & (gold != theme))
        rows2 = np.flatnonzero(period == 2)
        first = ThemeModel(lexical_weight=1.0).fit([terms[i] for i in rows1])
        labels = first.predict([terms[i] for i in rows1])
        _, assigned, new_ids, _ = code_new_round(
            ThemeModel(lexical_weight=1.0), ([terms[i] for i in rows1], None, list(labels)),
            ([terms[i] for i in rows2], None, list(data["doc_id"][rows2])), 99)
        in_new = assigned["theme_id"].isin(new_ids).to_numpy()
        planted_rows = gold[rows2] == theme
        mostly_new += in_new[planted_rows].mean() >= 0.5
        # new themes hold what is new, not an earlier subject besides: at most twice the theme's share
        assert in_new.mean() <= 2 * planted_rows.mean(), (theme, in_new.mean(), planted_rows.mean())
    assert mostly_new >= 2, planted
