"""A new round coded against an earlier round's themes (`stadsgenoten run --compare-with RUN`).

The earlier round's themes are taken as that round coded them (its segments.csv), so its shares
stay the published ones. One feature space (talk words, TF-IDF, SVD, next to the sentence
embeddings) is learnt from the segments of both rounds, so words only the new round uses count
too; each earlier theme's centre is the mean of its segments there (`ThemeModel.fit_labels`).

What fits none of them: the new round is also clustered on its own, finer than the earlier round
(`FINER` times its number of themes: a new subject must not hide inside a broad theme with old
ones). Even a finer theme can mix a new subject with old ones, so a finer theme is represented by
its segments the earlier round has few like: among a segment's `NEIGHBOURS` nearest segments of
both rounds, the earlier round's part is at most what a density of `LONE_RATIO` (half) times the
new round's would give (`_unmatched`; on the Kamer benchmark, 5 planted pairs, this found the
planted new theme in 5 pairs instead of 3 and cut the other themes called new or gone from 24 %
to 19 %). Such a theme is new when the
earlier round hardly held it: coding both rounds' segments to the nearest of these themes (and
as close to it as 90 % of its own segments, `CORE_QUANTILE`, so the borders of broad themes do not
count), its share of the earlier round is at most `NEW_RATIO` of its share of the new round (the
mirror of a theme that is gone: at most that share of it left); the rise is significant
(one-sided two-proportion z-test, Bonferroni over the found themes, so a small theme is not new
by chance); and it is at least as large as the earlier round's smallest theme (new themes at that
round's level of detail, not single events inside a theme). Deciding per found theme, not per
segment, keeps a new subject whole and a finer split of an earlier theme from counting as new.

What is gone (`_gone`), the mirror: an earlier theme whose core the new round no longer has. Its
core is the half of its earlier members closest to its centre (`GONE_QUANTILE`); the new round's
part in it is its segments nearest to that theme and as close as that core. Coded to the nearest
theme alone, a gone subject keeps the borders it shared with other themes (on the Kamer benchmark
a third of its share: health policy kept its public-health neighbours). New-round segments sit
farther from centres fitted on the earlier round, so the part is compared with all cores together:
a theme is gone when its part of the new round is at most NEW_RATIO of its earlier part, relative
to that of all themes together, and the fall is significant (one-sided two-proportion z-test,
Bonferroni over the earlier themes). A gone theme loses its centre, so no segment joins it.
A gone subject that is only part of a broad earlier theme does not make that theme gone: its other
subjects keep it (Kamer benchmark: ARBEID was 34 % of its theme, whose social-security questions
doubled; the new round's segments there fit it as well as its own members did, median at their 48th
percentile). Tried and left out: segments that fit their nearest earlier theme worse than 90 % of its
members (each left out of the centre) as candidates for new themes (Spearman 0.72 -> 0.71), or
recoded to a new theme they fit relatively better (none did).
Both tests count identical segments once (`_once`): a text sent in the same words to several
recipients is one statement. On the Kamer benchmark (4 planted pairs) questions sent to many
ministries formed themes of their own (one of 18 copies of a single text) that were then called
gone or new; counted once, the other themes called gone or new fell from 24 % to 15 %. What
remains of them there are such mailings no segment of the new round comes near: their theme is
`verdwenen` (no segment joins it), a real change the benchmark's gold themes cannot see.
Tried and left out: a gone subject inside a persisting theme as a row of its own (each earlier
theme cut by Ward into 3 parts, a part gone by the same core test): on the 4 Kamer pairs no part
was gone whose theme was not, since the gone subjects mix with the theme's other subjects (ARBEID
was 52 % of its theme's most ARBEID part, whose core the new round held 1.2 times as much of);
and comparing each earlier member with the mean of its theme's other members (the cores then
held 58-68 % as much of the new round as of the earlier, not 30-40 %): one more planted theme
gone, the summary figures unchanged.
New themes get the next free ids and their own centres; every segment of the new round is then
coded by its nearest centre, as in a single round, so fitting and coding agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from ._model import ThemeModel, _group_themes

__all__ = ["code_new_round", "NEW_RATIO", "FINER"]

FINER = 2  # the new round is clustered into FINER x the earlier number of themes to find new ones
CORE_QUANTILE = 0.1
NEIGHBOURS = 10  # a segment's nearest segments of both rounds: does the earlier round have it?
ALPHA = 0.05  # the rise must be significant at this level, Bonferroni over the found themes
NEW_RATIO = 0.25  # a theme of the new round is new when the earlier round held at most a quarter of its share
# a segment stands for a new subject when the earlier round has at most half the new round's density
# around it: a looser screen than NEW_RATIO, which still decides per theme (tried 0.25 and 0.5 on
# the Kamer benchmark: 0.25 kept too few segments to find every planted new theme)
LONE_RATIO = 0.5
GONE_QUANTILE = 0.5  # an earlier theme's core: its earlier members at least as close to it as their median
# cosines of float32 embeddings agree to about 1e-7: a segment with the same words as a core member
# (one question sent to several ministries) must count as that close, not flip with rounding
# (Kamer benchmark: embeddings freshly computed or read from the cache differed by 1e-7 and turned
# two such themes from gekrompen to verdwenen)
TIE = 1e-6


def _unmatched(old_features: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Per segment of the new round: does the earlier round hardly have segments like it? Among
    its NEIGHBOURS nearest segments of both rounds, the earlier round's part is at most what a
    density of LONE_RATIO times the new round's would give (two equal rounds: 3 of 10, not 5)."""
    joint = np.vstack([old_features, features])
    n1, n2 = len(old_features), len(features)
    k = min(NEIGHBOURS, len(joint) - 1)
    if k < 1 or not n1:
        return features.any(axis=1)
    _, near = NearestNeighbors(n_neighbors=k + 1).fit(joint).kneighbors(features)
    earlier_part = (near[:, 1:] < n1).mean(axis=1)
    return features.any(axis=1) & (earlier_part <= LONE_RATIO * n1 / (LONE_RATIO * n1 + n2))


def _core_parts(model: ThemeModel, old_features: np.ndarray, old_labels: list[str], features: np.ndarray,
                weights: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per earlier theme: the share of the earlier round in its core (its members at least as close
    to it as the closer half of them, `GONE_QUANTILE`) and the share of the new round there (its
    segments nearest to that theme and as close). Shares count identical segments once (`weights`,
    `_once` of each round's features when not given)."""
    labels = np.asarray(old_labels, dtype=object)
    sims = features @ model.centers_.T
    w1, w2 = weights or (_once(old_features), _once(features))
    nearest = sims.argmax(axis=1)
    before, after = np.zeros(len(model.theme_ids_)), np.zeros(len(model.theme_ids_))
    for j, theme in enumerate(model.theme_ids_):
        rows = (labels == theme) & old_features.any(axis=1)
        own = old_features[rows] @ model.centers_[j]
        if not len(own):
            continue
        core = np.quantile(own, GONE_QUANTILE)
        before[j] = w1[rows][own >= core - TIE].sum() / w1.sum()
        after[j] = w2[(nearest == j) & (sims[:, j] >= core - TIE)].sum() / w2.sum()
    return before, after


def _once(features: np.ndarray) -> np.ndarray:
    """Per segment 1 / the number of segments of its round with the same features: a text sent in
    the same words to several recipients is one statement, so it weighs once in the tests for
    gone and new (as identical sentences count once as mechanism evidence). Kamer benchmark: a
    question sent to 18 ministries formed a theme of its own, then gone or new."""
    empty = ~features.any(axis=1)
    copies = np.zeros(len(features))
    for start in range(0, len(features), 2048):  # the same up to float rounding (TIE), in blocks
        copies[start:start + 2048] = (features[start:start + 2048] @ features.T >= 1 - TIE).sum(axis=1)
    copies[empty] = empty.sum()  # segments without content: one of their kind
    return 1.0 / np.maximum(copies, 1)


def _gone(model: ThemeModel, old_features: np.ndarray, old_labels: list[str], features: np.ndarray,
          weights: tuple[np.ndarray, np.ndarray] | None = None) -> list[int]:
    """Indices of the earlier themes whose core the new round no longer has: the segments nearest
    to a theme and at least as close to it as the closer half of its earlier members
    (`_core_parts`) make up at most NEW_RATIO of their earlier share, relative to all cores
    together, and the fall is significant (one-sided two-proportion z-test over distinct segments,
    Bonferroni over the earlier themes). The mirror of a new theme: the segments left near a gone
    theme are the borders it shared with others."""
    weights = weights or (_once(old_features), _once(features))
    before, after = _core_parts(model, old_features, old_labels, features, weights)
    n1, n2 = max(weights[0].sum(), 1), max(weights[1].sum(), 1)
    # a new round's segments sit farther from centres fitted on the earlier round's: all cores
    # together hold less of the new round than of the earlier, so a core's part is gone relative to that
    expected = before * after.sum() / max(before.sum(), 1e-12)
    pooled = (expected * n1 + after * n2) / (n1 + n2)
    z = (expected - after) / np.sqrt(np.maximum(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-12))
    sure = norm.sf(z) < ALPHA / len(before)
    return [int(j) for j in np.flatnonzero((after <= NEW_RATIO * expected) & sure)]


def code_new_round(model: ThemeModel, earlier: tuple[list, np.ndarray | None, list[str]],
                   now: tuple[list, np.ndarray | None, list[str]], next_number: int) -> tuple[ThemeModel, pd.DataFrame, list[str]]:
    """(model, assignments of the new round, ids of the new themes).

    `earlier` and `now` = (term lists, vectors or None, segment ids) of the coded segments of each
    round; `model` an unfitted ThemeModel with the run's settings; new themes are numbered from
    `next_number`."""
    old_terms, old_vectors, old_labels = earlier
    new_terms, new_vectors, new_ids = now
    k = min(FINER * len(set(old_labels) - {""}), len(new_terms) // 5)
    found = {}
    if k >= 2:
        finer = clone(model).set_params(n_themes=k).fit(new_terms, new_vectors)
        found = dict(zip(new_ids, finer.predict(new_terms, new_vectors)))
    both = None if old_vectors is None or new_vectors is None else np.vstack([old_vectors, new_vectors])
    model.fit_labels(list(old_terms) + list(new_terms), both, list(old_labels) + [""] * len(new_terms))
    old_features = model._features(old_terms, old_vectors)
    features = model._features(new_terms, new_vectors)
    w_old, w_new = _once(old_features), _once(features)  # each an n x n product: computed once
    gone = _gone(model, old_features, old_labels, features, (w_old, w_new))
    # a finer theme stands for its segments the earlier round has few like (module doc)
    lone = _unmatched(old_features, features)
    clusters = np.array([found.get(s, "") if ok else "" for s, ok in zip(new_ids, lone)], dtype=object)
    own = sorted(set(clusters) - {""})
    new_centres, new_theme_ids = [], []
    if own:
        centres = normalize(np.vstack([features[clusters == c].mean(axis=0) for c in own]))

        # a segment counts for a found theme when that theme is its nearest and it is at least as
        # close as 90 % of the theme's own segments: leaves out the borders of broad themes
        own_sims = features[lone] @ centres.T
        members = clusters[lone]
        core = np.array([np.quantile(own_sims[members == c, j], CORE_QUANTILE) for j, c in enumerate(own)])

        def shares(x, w):
            kept = x.any(axis=1)  # a segment without content has no nearest theme
            sims, weights = x[kept] @ centres.T, w[kept]
            nearest = sims.argmax(axis=1)
            held = sims[np.arange(len(sims)), nearest] >= core[nearest] - TIE
            return np.bincount(nearest[held], weights[held], minlength=len(own)) / max(weights.sum(), 1)
        before, after = shares(old_features, w_old), shares(features, w_new)
        # and the rise is no chance: a two-proportion z-test, Bonferroni over the found themes
        n1, n2 = max(w_old.sum(), 1), max(w_new.sum(), 1)
        pooled = (before * n1 + after * n2) / (n1 + n2)
        z = (after - before) / np.sqrt(np.maximum(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-12))
        sure = norm.sf(z) < ALPHA / len(own)
        # as large as the earlier round's smallest theme: new themes at that round's level of detail
        labels_old = np.asarray(old_labels, dtype=object)
        smallest = min((labels_old == t).mean() for t in set(old_labels) - {""})
        for j in np.flatnonzero((before <= NEW_RATIO * after) & (after >= smallest) & sure):
            new_centres.append(centres[j])
            new_theme_ids.append(f"T{next_number + len(new_theme_ids):02d}")
    if new_centres or gone:
        keep = [j for j in range(len(model.theme_ids_)) if j not in set(gone)]
        model.centers_ = normalize(np.vstack([model.centers_[keep], *new_centres]))
        model.theme_ids_ = [model.theme_ids_[j] for j in keep] + new_theme_ids
        model.names_ = [model.names_[j] for j in keep] + [None] * len(new_theme_ids)
        model.origins_ = [model.origins_[j] for j in keep] + ["nieuw"] * len(new_theme_ids)
        model.n_themes_ = len(model.theme_ids_)
        model.parents_ = _group_themes(model.centers_, model.n_groups)
    return model, model.assign(new_ids, new_terms, new_vectors), new_theme_ids
