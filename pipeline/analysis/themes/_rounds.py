"""A new round coded against an earlier round's themes (`stadsgenoten run --compare-with RUN`).

The earlier round's themes are taken as that round coded them (its segments.csv), so its shares
stay the published ones. One feature space (talk words, TF-IDF, SVD, next to the sentence
embeddings) is learnt from the segments of both rounds, so words only the new round uses count
too; each earlier theme's centre is the mean of its segments there (`ThemeModel.fit_labels`).

What fits none of them: the new round is also clustered on its own (the ordinary fit). A theme
found there is new when most of its segments fit no earlier theme, i.e. lie further from the
nearest earlier centre than 95 % of the earlier round's segments lie from their own
(`FIT_QUANTILE`). Deciding per found theme, not per segment, keeps a handful of odd segments from
forming a "new theme" and keeps a new subject whole. New themes get the next free ids and their
own centres; every segment of the new round is then coded by its nearest centre, as in a single
round, so fitting and coding agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

from ._model import ThemeModel, _group_themes

__all__ = ["code_new_round", "FIT_QUANTILE", "NEW_SHARE"]

FIT_QUANTILE = 0.05  # an earlier round's own segments: 95 % are at least this close to their theme
NEW_SHARE = 0.5  # a theme found in the new round is new when more than half its segments fit no earlier theme


def code_new_round(model: ThemeModel, earlier: tuple[list, np.ndarray | None, list[str]],
                   now: tuple[list, np.ndarray | None, list[str]], found: dict[str, str],
                   next_number: int) -> tuple[ThemeModel, pd.DataFrame, list[str]]:
    """(model, assignments of the new round, ids of the new themes).

    `earlier` and `now` = (term lists, vectors or None, segment ids) of the coded segments of each
    round; `found` = the new round's own clustering (segment id -> theme); `model` an unfitted
    ThemeModel with the run's settings; new themes are numbered from `next_number`."""
    old_terms, old_vectors, old_labels = earlier
    new_terms, new_vectors, new_ids = now
    both = None if old_vectors is None or new_vectors is None else np.vstack([old_vectors, new_vectors])
    model.fit_labels(list(old_terms) + list(new_terms), both, list(old_labels) + [""] * len(new_terms))
    threshold = float(np.quantile(model.own_scores_, FIT_QUANTILE)) if len(model.own_scores_) else -1.0
    features = model._features(new_terms, new_vectors)
    fits = (features @ model.centers_.T).max(axis=1) >= threshold
    has_content = features.any(axis=1)
    clusters = np.array([found.get(s, "") for s in new_ids], dtype=object)
    new_centres, new_theme_ids = [], []
    for cluster in sorted(set(clusters) - {""}):
        members = (clusters == cluster) & has_content
        if members.sum() and (~fits[members]).mean() > NEW_SHARE:
            new_centres.append(features[members].mean(axis=0))
            new_theme_ids.append(f"T{next_number + len(new_theme_ids):02d}")
    if new_centres:
        model.centers_ = normalize(np.vstack([model.centers_, *new_centres]))
        model.theme_ids_ = model.theme_ids_ + new_theme_ids
        model.names_ = model.names_ + [None] * len(new_theme_ids)
        model.origins_ = model.origins_ + ["nieuw"] * len(new_theme_ids)
        model.n_themes_ = len(model.theme_ids_)
        model.parents_ = _group_themes(model.centers_, model.n_groups)
    model.fit_threshold_ = threshold
    return model, model.assign(new_ids, new_terms, new_vectors), new_theme_ids
