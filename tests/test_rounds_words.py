"""Rounds: what a theme that persists now talks about (`changed_words`, vergelijking.csv's
terms_more_now / terms_less_now). On the Chamber's written questions of 2017 (real Dutch text, gold
themes as the coder), split by date: questions of one gold theme coded in the second period to
another theme that keeps its id give that theme the planted theme's words; two random halves of
one period show (almost) no theme moved; and the reports show the line for a theme whose words moved.
Words: the questions' words without the tagger (no lemmas, no tags), which take a second."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from spacy.lang.nl.stop_words import STOP_WORDS

from pipeline.analysis.themes import FILLER, MOVED_WORDS, RoundWords, changed_words

from .makers import KAMER, kamer_periods

pytestmark = pytest.mark.skipif(not KAMER.is_file(), reason=f"{KAMER} not found (needs ../shared)")


def _words(data: pd.DataFrame, themes: np.ndarray) -> RoundWords:
    terms = {d: [w for w in re.findall(r"[^\W\d_]{3,}", q.lower()) if w not in STOP_WORDS and w not in FILLER]
             for d, q in zip(data["doc_id"], data["question"])}
    ids = list(data["doc_id"])
    return RoundWords(terms, pd.Series("Kamer", index=ids), {}, (set(), set(), set()),
                      pd.Series(themes, index=ids))


@pytest.fixture(scope="module")
def planted():
    data, period = kamer_periods()
    gold = data["question_theme_main"].to_numpy()
    counts = pd.crosstab(gold, period)
    eligible = sorted(counts.index[(counts >= 30).all(axis=1)])
    kept, moved_in = [str(t) for t in np.random.default_rng(11).permutation(eligible)[:2]]  # not chosen by hand
    first, second = data[period == 1], data[period == 2]
    # the second period codes `moved_in`'s questions to `kept`, which keeps its id: its content moved
    coded = np.where(second["question_theme_main"] == moved_in, kept, second["question_theme_main"])
    before = _words(first, first["question_theme_main"].to_numpy())
    now = _words(second, coded)
    return before, now, kept, moved_in, second, changed_words(before, now, sorted(eligible))


def test_a_theme_whose_questions_now_include_another_subject_gets_its_words(planted):
    before, now, kept, moved_in, second, found = planted
    more, _ = found[kept]
    assert len(more) >= MOVED_WORDS, (kept, moved_in, found[kept])
    # each word said more now is the planted subject's: a larger share of its questions says it
    planted_q = second.loc[second["question_theme_main"] == moved_in, "doc_id"]
    own_q = second.loc[second["question_theme_main"] == kept, "doc_id"]

    def share(word, questions):
        return np.mean([word in now.terms[q] for q in questions])
    assert all(share(w, planted_q) > share(w, own_q) for w in more), \
        [(w, share(w, planted_q), share(w, own_q)) for w in more]


def test_two_random_halves_of_one_period_show_few_moved_themes():
    # the periods differ for real (the news of each half year), so the false-alarm guard is two
    # random halves of one period: at most a few themes may seem to have moved by chance
    data, period = kamer_periods()
    first = data[period == 1]
    half = np.random.default_rng(5).random(len(first)) < 0.5
    themes = first["question_theme_main"].to_numpy()
    found = changed_words(_words(first[half], themes[half]), _words(first[~half], themes[~half]),
                          sorted(set(themes)))
    flagged = {t: m + less for t, (m, less) in found.items() if len(m) + len(less) >= MOVED_WORDS}
    assert len(flagged) <= 0.1 * len(found), flagged


def test_a_theme_compared_with_itself_has_no_words(planted):
    before, _, _, _, _, _ = planted
    found = changed_words(before, before, sorted(set(before.themes)))
    assert all(not more and not less for more, less in found.values()), found


def test_the_months_of_the_rounds_are_no_subject_of_a_theme(planted):
    # each round's questions name its own months: a theme compared across periods says its months
    # more or less, which tells when the rounds were held, not what the theme talks about
    before, now, kept, _, second, _ = planted
    ids = list(second["doc_id"])
    dated = RoundWords({q: now.terms[q] + (["april"] if now.themes[q] == kept else []) for q in ids},
                       now.cases, {}, now.tagged, now.themes)
    months = {q: ts + ["januari"] for q, ts in before.terms.items()}
    found = changed_words(RoundWords(months, before.cases, {}, before.tagged, before.themes), dated, [kept])
    more, less = found[kept]
    assert "april" not in more and "januari" not in less, found[kept]


def test_the_reports_show_what_a_moved_theme_now_talks_about():
    from pipeline.outputs._context import _changes
    from pipeline.outputs._markdown import _changes_section
    from pipeline.outputs._wording import CITIES
    from pipeline.store import RunTables

    table = pd.DataFrame({
        "theme_id": ["T01", "T02"], "label": ["Zorg in de gevangenis", "Treinverkeer"], "status": ["stabiel"] * 2,
        "share_before": [0.5, 0.5], "share_now": [0.5, 0.5], "cases_before": [3, 3], "cases_now": [3, 3],
        "segments_before": [20, 20], "segments_now": [20, 20], "difference": [0.0, 0.0], "ci_low": [-0.1, -0.1],
        "ci_high": [0.1, 0.1], "p_value": [1.0, 1.0], "p_adjusted": [1.0, 1.0], "uncertain": [False, False],
        "terms_more_now": ["patiënten; pathologie", "perron"], "terms_less_now": ["gebouwen", ""]})
    tables = RunTables(segments=pd.DataFrame(), themes=pd.DataFrame(), matrix=pd.DataFrame(),
                       documents=pd.DataFrame(), info={}, texts={}, extra={"comparison": {"vergelijking": table}})
    changes = _changes(tables)
    rows = {r["theme_id"]: r for r in changes["stable"]}
    assert rows["T01"]["moved"] == "nu vaker: patiënten, pathologie; minder: gebouwen"
    assert rows["T02"]["moved"] == ""  # one word may be chance
    lines = _changes_section({"changes": changes, "noun": CITIES})
    assert "- Zorg in de gevangenis (T01): nu vaker: patiënten, pathologie; minder: gebouwen." in lines
    assert not any("Treinverkeer (T02): nu vaker" in line for line in lines)
    assert "log-odds-ratio" in changes["method"]
