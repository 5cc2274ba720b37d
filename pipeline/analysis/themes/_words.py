"""What a theme that persists now talks about (`stadsgenoten run --compare-with RUN`).

A theme of the earlier round keeps its id and label in the new round, so a stable share can hide
that its segments now speak of something else. Per theme present in both rounds, the words its
new-round segments say distinctively more (and less) than its earlier-round segments: the
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
Words", eq. 16-22), z-scored. Counted is the segment that says a word, not each use: Monroe et
al. count every use as an independent draw, but a text that repeats a word is one text, and uses
cluster in texts, so counted per use noise passes 1.96 by the dozen (below). The prior has the
shape of both rounds' whole corpus (each word's share of it) and weighs as much as the theme's own
counts in both rounds: the whole corpus's counts as they are make it 20-40 times the data of a
theme that holds a few per cent of the corpus, and no word of any theme then reached |z| 1.5 on the
Kamer answers below. A word must also be said in MIN_SEGMENTS of the theme's segments in the round
where it is more said.

Measured (share of themes with at least 1 / 2 / 3 words, both ways together, where nothing changed):
- Kamer answers of two periods (300 and 301 answers, 11 themes in both rounds), both rounds pooled
  and split at random into two rounds of their sizes, 20 times: segments 2.3 / 0 / 0 %; uses 90 /
  81 / 73 % (a mean of 5 words a theme); uses counted at most twice in a segment 39 / 18 / 5 %,
  three times 71 / 48 / 29 %.
- The Chamber's questions of the first half of 2017, gold themes, split at random in two halves
  (5 splits, 125 themes of 15-300 questions a half): segments 16 / 3.1 / 3.1 %; at most twice 42 /
  33 / 23 %.
Planted (questions of one gold theme coded in the second half year to another, 6 pairs not chosen
by hand): that theme's words said more now were the planted theme's in 5 of 6 pairs (the sixth, a
small theme added to the largest, gave one word); at most twice per segment the same 5 and a sixth.
On the Kamer answers only T01 keeps words counted by segment ("minister", "januari" less now;
months and days are left out since, `CALENDAR`);
T04's patiënt, pathologie (6 and 8 of its 18 answers now against 2 and 0 of 30 before, uses 24 and
8) reach |z| 1.5-1.9 at most: in themes of 18-30 answers a round no word-level change is beyond
chance, which the per-use count hid. A prior of a tenth or three tenths of the data: null 13 / 3 /
1 % and 10 / 1.4 / 0.5 %, the Kamer answers' T02 and T05 one or two words. MIN_SEGMENTS 4 or 5: the
same words. So one word may be chance; a theme's words moved (the reports, MOVED_WORDS) from two on.

Words are single lemmas filtered as top terms are (`describe`): content words only (no filler,
address, talk), no word of the corpus's frame (spread over every theme alike in either round), and
`_subject_terms`' filters (nouns or rare words the tagger reads as nouns; no case's name, no word
of one case's own in a theme of several). A phrase repeats its words' evidence, so phrases are left
out and the few places go to distinct words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._model import _frame_terms, _read_otherwise, _subject_terms, _tagged

__all__ = ["RoundWords", "round_words", "changed_words", "log_odds_z", "MIN_Z", "MIN_SEGMENTS", "MAX_WORDS", "MOVED_WORDS"]

MIN_Z = 1.96  # two-sided 5 % per word
# A word is shown when said in at least this many of the theme's segments in the round where it is
# more said: two segments are a coincidence of two texts, not what the theme talks about, however
# rare the word is elsewhere (a guard that seldom binds: 4 or 5 gave the same words, module doc).
MIN_SEGMENTS = 3
MAX_WORDS = 5  # each way: the line must stay readable beside the theme's label
# A theme's content moved (the reports' line "nu vaker: ...; minder: ...") with at least this many
# words both ways together: 0 and 3 % of the themes of the nulls above reach it, 2 and 16 % one word.
MOVED_WORDS = 2
# Rounds come from different periods by design, so the names of months and days say when a round
# was held, not what a theme talks about ("januari" less now on the Kamer answers of two periods).
# A closed class, the same in every corpus.
CALENDAR = frozenset("januari februari maart april mei juni juli augustus september oktober november december "
                     "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split())


@dataclass
class RoundWords:
    """One round's words: per segment its content terms (talk left out), its case, the displayed
    form of each lemma, the tagger's view (`_tagged`) and the segments' themes."""
    terms: dict[str, list[str]]
    cases: pd.Series  # segment id -> case
    display: dict[str, str]
    tagged: tuple[set[str], set[str], set[str]]
    themes: pd.Series | None = None  # segment id -> theme id ("" = none), analysed segments only


def round_words(terms: dict[str, list[str]], cases: pd.Series, display: dict[str, str], phrases: dict,
                readings: dict) -> RoundWords:
    """A round's words, with the tagger's view of them as `describe` takes it; its themes are set
    where the rounds are compared (after the analyst's overrides)."""
    return RoundWords(terms, cases, display, _tagged(phrases, terms, _read_otherwise(readings, display)))


def log_odds_z(y_now: np.ndarray, y_before: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Monroe et al.'s z-scored log-odds ratio of each word, new against earlier, with the
    informative Dirichlet prior `prior` (pseudo-counts per word)."""
    a0 = prior.sum()
    n_now, n_before = y_now.sum(), y_before.sum()
    delta = (np.log((y_now + prior) / (n_now + a0 - y_now - prior))
             - np.log((y_before + prior) / (n_before + a0 - y_before - prior)))
    return delta / np.sqrt(1 / (y_now + prior) + 1 / (y_before + prior))


def _said(segments, terms: dict[str, list[str]]) -> Counter:
    """Per single lemma, the number of `segments` that say it."""
    return Counter(t for seg in segments for t in set(terms.get(seg, [])) if " " not in t)


def changed_words(before: RoundWords, now: RoundWords, theme_ids: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Theme id -> (words said more now, words said less now), displayed forms, best first; only for
    themes with segments in both rounds."""
    background = _said(before.themes.index, before.terms) + _said(now.themes.index, now.terms)
    frame = set()
    for r in (before, now):
        assigned = r.themes[r.themes != ""]
        frame |= _frame_terms(pd.DataFrame({"segment_id": assigned.index, "theme_id": assigned.to_numpy()}), r.terms)
    vocab = sorted(w for w in background if w not in frame and w not in CALENDAR)
    shape = np.array([background[w] for w in vocab], dtype=float)
    shape /= max(shape.sum(), 1.0)
    case_names = {str(c).lower() for r in (before, now) for c in r.cases.unique()}
    out = {}
    for tid in theme_ids:
        members = [r.themes.index[r.themes == tid] for r in (before, now)]
        if not len(members[0]) or not len(members[1]):
            continue
        said = [_said(m, r.terms) for m, r in zip(members, (before, now))]
        y = [np.array([n[w] for w in vocab], dtype=float) for n in said]
        z = log_odds_z(y[1], y[0], shape * (y[0].sum() + y[1].sum()))
        picked = []
        for sign, r, m, s in ((1, now, members[1], said[1]), (-1, before, members[0], said[0])):
            order = np.argsort(-sign * z, kind="stable")
            candidates = [vocab[i] for i in order if sign * z[i] >= MIN_Z and s[vocab[i]] >= MIN_SEGMENTS]
            kept = _subject_terms(candidates, pd.Series(m), r.terms, r.cases, r.tagged, case_names, r.display)
            picked.append(list(dict.fromkeys(r.display.get(w, w) for w in kept))[:MAX_WORDS])
        out[tid] = (picked[0], picked[1])
    return out
