"""The new round's shares of the earlier themes corrected for the coder's error (`--compare-with`:
the column share_now_corrected of vergelijking.csv; the counted share_now stays the status's).

A segment of the new round is coded to an earlier theme by a vote of its nearest earlier segments
(_rounds.py `_code_as_before`). Round 1 coded by that vote, each segment left out, agrees 87-89 %
with round 1's own themes (Kamer benchmark), so a counted share carries the vote's errors, and
they blur change: a theme that is gone keeps the segments the vote misplaces into it. The
correction estimates the new round's shares by maximum likelihood under the assumption that a
theme's segments look in the new round as they did in the earlier one (label shift; Saerens,
Latinne & Decaestecker 2002): EM reweights each segment's posteriors by the new over the old
shares and takes their mean as the new shares, to convergence. That estimate is right only for
calibrated posteriors (Alexandari, Kundaje & Shrikumar 2020), and the vote's are far too soft
(most likely theme 0.55 on average where the vote is right 88 %), so they are first calibrated on
round 1, where the themes are known: softmax(log(p + eps) / T) with T and eps maximising the
likelihood of round 1's themes under its leave-one-out votes (a segment's copies left out too: a
new round holds no copy of an earlier text). The old shares are the calibrated posteriors' mean
over round 1, so round 1 against itself is no change. Segments of new themes count as they are.

benchmarks/rounds.py (Spearman of measured and true change per gold theme; 6 pairs / 8 pairs):
counted 0.79 / 0.77, corrected 0.86 / 0.81 (pairs of another seed 0.87 -> 0.89, 0.78 -> 0.83);
with no change (8 random splits) themes off by a quarter 81 counted, 77 corrected. With a bias per
theme too (BCTS, better calibrated) the no-change splits move less (61) but the Spearman gains
nothing (0.79 / 0.76): see the benchmark's docstring for the ten variants measured. Cost: 1.5 s for
rounds of 1404 and 1376 Kamer questions (the leave-one-out vote grows with the earlier round squared).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax

from ._model import ThemeModel

__all__ = ["corrected_shares", "EM_TOL"]

EM_TOL = 1e-6  # converged: no theme's share moves more than this in a step
COPY = 1 - 1e-6  # cosine of a copy (the same text twice)


def _posteriors(queries: np.ndarray, members: np.ndarray, codes: np.ndarray, n_names: int, k: int,
                leave_out: bool = False, block: int = 1024) -> np.ndarray:
    """Per query the vote's sums of cosines per earlier theme over its k nearest members, normalised
    to 1 (`_vote`'s scores); leave_out: the queries are the members, each left out with its copies."""
    out = np.zeros((len(queries), n_names))
    for start in range(0, len(queries), block):
        sims = queries[start:start + block] @ members.T
        if leave_out:
            sims[sims >= COPY] = -np.inf
            sims[np.arange(len(sims)), np.arange(start, start + len(sims))] = -np.inf
        near = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        np.add.at(out[start:start + block], (np.repeat(np.arange(len(sims)), k), codes[near].ravel()),
                  np.maximum(np.take_along_axis(sims, near, axis=1), 0).ravel())
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-12)


def _calibrate(posteriors: np.ndarray, codes: np.ndarray):
    """Temperature scaling fitted by maximum likelihood on known themes: p -> softmax(log(p + eps) / T).
    eps is fitted too: the vote gives 0 to themes with no member among the k nearest."""
    rows = np.arange(len(codes))

    def calibrated(theta, p):
        return log_softmax(np.log(p + np.exp(theta[1])) / np.exp(theta[0]), axis=1)

    theta = minimize(lambda t: -calibrated(t, posteriors)[rows, codes].mean(), np.array([0.0, np.log(1e-3)]),
                     method="L-BFGS-B").x
    return lambda p: np.exp(calibrated(theta, p))


def _em(posteriors: np.ndarray, prior_old: np.ndarray, max_steps: int = 10_000) -> np.ndarray:
    """Saerens' EM: the new shares to convergence (EM_TOL)."""
    prior = posteriors.mean(axis=0)
    for _ in range(max_steps):
        weighted = posteriors * (prior / np.maximum(prior_old, 1e-12))
        step = (weighted / np.maximum(weighted.sum(axis=1, keepdims=True), 1e-12)).mean(axis=0)
        if np.abs(step - prior).max() < EM_TOL:
            return step
        prior = step
    return prior


def corrected_shares(model: ThemeModel, earlier: tuple[list, np.ndarray | None, list[str]],
                     now: tuple[list, np.ndarray | None], labels: list[str]) -> dict[str, float]:
    """Theme id -> the new round's share corrected for the coder's error (module doc), of the
    segments in `labels` (the new round's coding, "" for none); `earlier` = (term lists, vectors or
    None, theme ids) of the earlier round's coded segments, `now` = (term lists, vectors or None) of
    the new round's, `model` the model `code_new_round` returned."""
    old_labels, now_labels = np.asarray(earlier[2], dtype=object), np.asarray(labels, dtype=object)
    old_features, features = model._features(earlier[0], earlier[1]), model._features(now[0], now[1])
    kept = [t for t, origin in zip(model.theme_ids_, model.origins_) if origin != "nieuw"]
    train = np.flatnonzero(np.isin(old_labels, kept) & old_features.any(axis=1))
    rows = np.flatnonzero(np.isin(now_labels, kept))
    out = {t: float((now_labels == t).mean()) for t in set(now_labels) - {""} - set(kept)}
    out.update({t: 0.0 for t in set(old_labels) - {""} - set(kept)})  # gone: no segment coded to it
    if len(train) < 3 or not len(rows):
        return {**out, **{t: float((now_labels == t).mean()) for t in kept}}
    names, codes = np.unique(old_labels[train], return_inverse=True)
    k = min(model.n_neighbors, max(5, int(np.sqrt(len(train)))), len(train) - 1)  # as `_code_as_before`
    loo = _posteriors(old_features[train], old_features[train], codes, len(names), k, leave_out=True)
    calibrate = _calibrate(loo, codes)
    prior = _em(calibrate(_posteriors(features[rows], old_features[train], codes, len(names), k)),
                calibrate(loo).mean(axis=0))
    shares = dict(zip(names, prior * len(rows) / len(now_labels)))
    return {**out, **{t: float(shares.get(t, 0.0)) for t in kept}}
