"""The theme model: segments -> themes, with the estimator contract of scikit-learn.

Needs: per analysed segment its content terms (lemmas and two-word phrases, from `terms_from_tokens`)
and optionally its sentence embedding. Adds: the `assignments` and `themes` tables.

Representation: the lemma TF-IDF (lemmas and two-word phrases, reduced with SVD) next to the
sentence embedding, each block L2-normalised and weighted, because on short Dutch statements
neither surface words nor embeddings alone separate themes well.

Talk is not a theme: forms of address and meeting talk ("mijnheer", "dank u", "ik verwijs naar")
are found from the corpus (`_talk_terms`: frequent words whose segments are spread like a random
sample of the corpus) plus a short list (`TALK`), and are left out of the features and labels
(`talk_terms_`). A segment whose words are all talk carries no content and stays unassigned. The
titles the corpus addresses people by ("Mijnheer de minister, ...", "het geachte lid":
`addressed_terms`) are no content terms at all.

Clustering: spectral clustering of a k-nearest-neighbour graph of the segments, read off with
cluster_qr and refined by k-means on the same coordinates started from that partition (`_refine`),
which needs no random restarts: the same input gives the same themes, whatever the seed. At the k
chosen, that partition is one of several (graphs of half and twice the neighbours, the lexical block
weighted less and more); the graph's edges are weighted by the share of them that keep both ends
together and partitioned again (`_consensus`). The number of themes comes from the modularity of each k's partition on that graph, averaged
with the same curve on K_RESAMPLES copies of the graph less a random tenth of its segments
(`k_scores_`), averaged over neighbouring k with Gaussian weights (`k_criterion_`): the finest k
whose criterion is within the curve's own noise of the best (`k_tolerance_`; `_choose_k`), with
the best alternatives in `k_best_`; k in k_min..k_max, and k_max "auto" lets the range grow with
the corpus (2 sqrt(n), at most n / 5). When the themes average fewer segments than the graph has
neighbours per segment (a fine-grained request, a small corpus), the graph cannot hold them apart
and the k themes are cut from a tree on the same features instead: average linkage of the cosine
made local (CSLS), so that generic segments near everything form no catch-all theme (`method_`
"csls"; `tree_linkage` "ward" or "average": Ward's tree, plain average linkage; `_tree`). Segments are
then coded by their nearest theme centre, so fitting and coding a new round agree. Every segment
with content gets a theme, however short; `outlier_quantile` > 0 leaves that share of the least
typical segments explicitly unassigned instead. Themes are grouped one level up (`parents_`) by
average-linkage clustering of their centres. Top terms are class-based TF-IDF terms that name a
subject (`_subject_terms`: nouns, or words rare in general Dutch the tagger reads as nouns; never a
word whose noun readings stand out of a noun's place, `_read_otherwise`, nor a two-word piece of a
longer name, nor a case's own name or place in a theme of several cases, nor a word of the corpus's
frame spread over all themes alike, `_frame_terms`); the label is a noun phrase from the theme's
segments that holds the ranked terms (_labels.py), less the phrases whose noun the readings deny
(`_as_read`) and the names of one case (`_names`) in a theme of several.

Measured in benchmarks/themes.py on 2,780 Belgian Chamber questions (21 gold themes; long and
short texts, and ~200 fine-grained descriptors) and in benchmarks/report.py on the statements of
a Dutch report.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from scipy import sparse
from scipy.linalg import qr, svd
from scipy.sparse.linalg import eigsh
from scipy.stats import binomtest, chisquare
from threadpoolctl import threadpool_limits
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ...privacy import ADDRESS_FORMS
from ...schema import check
from ._labels import _VAGUE, heading, units

__all__ = ["ThemeModel", "terms_from_tokens", "ctfidf", "FILLER", "TALK"]

# Words that are frequent in meeting notes but never name a theme.
FILLER = frozenset("""
men mens iemand iets alles niets dingen ding zaak zaken manier keer kant stuk soort vraag antwoord
geven aangeven zeggen vinden denken gaan komen doen maken zien staan zitten liggen krijgen blijven
willen moeten kunnen mogen zullen worden hebben zijn laten lopen nemen horen vertellen merken weten
echt gewoon eigenlijk natuurlijk ook wel heel veel weinig soms vaak altijd nog even zo toch al dan
goed beter groot klein nieuw ander eerst tweede ja nee oké ok facilitator eerlijk staat verhaal keer persoon
niet geen niets niemand nooit meer minder te weinig mogelijk via jaar week maand dag
een twee drie vier vijf zes zeven acht negen tien twintig honderd duizend
""".split())

# Forms of address (the privacy stage's list: "heer", "mevrouw", "dhr", ...) and meeting formulas
# (lemmas). Most talk is found from the corpus (`_talk_terms`), but not in a corpus of one meeting
# or one interview: these few are never a theme.
TALK = frozenset("mijnheer meneer voorzitter collega dank danken bedanken verwijzen excuseer excuseren sorry"
                 .split()) | ADDRESS_FORMS
# A word is talk, found from the corpus, when it is in at least this share of the segments (and in
# 20 at least: fewer segments are too few to tell a subject from chance) and its segments lie no
# further from the corpus mean (in the context vectors) than TALK_SPREAD times what a random sample
# of that many segments would: talk goes with every subject. Measured: a random sample gives 1.0;
# on Belgian Chamber questions "kennen", "heden", "uiteraard" give 1.2-1.6, subject words 3-30
# ("defensie" 8.8, "trein" 34.7).
TALK_MIN_SHARE = 0.05
TALK_MIN_SEGMENTS = 20
TALK_SPREAD = 1.5


def _identity(x):
    return x


# A word the corpus uses to address someone ("Mijnheer de minister, ...", "Mevrouw de eerste
# minister, ...") in at least this many segments is a form of address there, wherever it stands:
# "de minister" in a parliament's turns is who is spoken to, never a subject. Once may be a slip.
ADDRESSED_MIN_SEGMENTS = 2
# A vocative's title: at most this many words between "Mijnheer de" and the comma ("eerste minister"),
# a ministry after "van" left aside ("minister van Financiën").
_VOCATIVE_WORDS = 2
# Written Dutch addresses its reader in the third person after an honorific: a minister's written
# answer says "Ik verwijs het geachte lid naar ...", "... is het geachte Kamerlid rechtstreeks
# toegestuurd"; a letter "Geachte collega's". The noun right after it is who is addressed, as the
# title after "Mijnheer de" is in speech; the honorific itself says nothing either. Dutch grammar's
# one such adjective, not a list of what a corpus says: which nouns follow it is learnt per corpus.
HONORIFICS = frozenset({"geachte"})


def addressed_terms(tokens: pd.DataFrame) -> set[str]:
    """The lemmas the corpus uses as a form of address, learnt from its vocatives: a sentence that
    opens with an address form and an article ("Mijnheer de", "Mevrouw de") and then a title
    (`_title_length`); the title's last word is who is addressed. And the noun after an honorific
    (HONORIFICS: "het geachte lid"), unless an address form, which is talk already. Kept when so
    used in ADDRESSED_MIN_SEGMENTS segments."""
    seg, sent = tokens["segment_id"].to_numpy(), tokens["sent"].to_numpy()
    first = np.r_[True, (seg[1:] != seg[:-1]) | (sent[1:] != sent[:-1])]
    sentence = np.cumsum(first)
    lower = tokens["text"].str.lower()
    opens = np.flatnonzero(first & lower.isin(ADDRESS_FORMS).to_numpy() & (lower.shift(-1) == "de").to_numpy())
    said, alpha, lemmas = tokens["text"].tolist(), tokens["is_alpha"].tolist(), tokens["lemma"].tolist()
    where: dict[str, set] = {}
    for i in opens:  # only the sentences that open so: a handful in most corpora
        span = [j for j in range(i + 2, min(i + 6 + _VOCATIVE_WORDS, len(said))) if sentence[j] == sentence[i]]
        n = _title_length([said[j] for j in span], [alpha[j] for j in span])
        if n:
            where.setdefault(str(lemmas[span[n - 1]]).lower(), set()).add(seg[i])
    for i in np.flatnonzero(lower.isin(HONORIFICS).to_numpy()):
        j = i + 1
        if j < len(said) and sentence[j] == sentence[i] and alpha[j] and said[j].lower() not in ADDRESS_FORMS:
            where.setdefault(str(lemmas[j]).lower(), set()).add(seg[i])
    return {lemma for lemma, segs in where.items() if len(segs) >= ADDRESSED_MIN_SEGMENTS}


def _title_length(words: list[str], alpha: list[bool]) -> int:
    """How many of `words` (those after "Mijnheer de", at most 4 + _VOCATIVE_WORDS of one sentence)
    are the title a vocative addresses, 0 when they are none: at most _VOCATIVE_WORDS words written
    small (a name is not: "Mevrouw De Block, ..."), a ministry after "van" left aside ("minister van
    Financiën"), then a comma, a full stop, "!" or ":", or the sentence's end."""
    end = next((k for k, a in enumerate(alpha) if not a), len(words))
    closed = end < len(words) and words[end] in {",", ".", "!", ":"}
    if not end or not (closed or end == len(words) < 4 + _VOCATIVE_WORDS):
        return 0
    lower = [w.lower() for w in words[:end]]
    n = lower.index("van") if "van" in lower else end
    return n if 1 <= n <= _VOCATIVE_WORDS and all(w.islower() for w in words[:n]) else 0


def terms_from_tokens(tokens: pd.DataFrame) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Content terms per segment (lemmas, and lemma bigrams of adjacent content words), plus the
    most frequent surface form of each term for display ("klare taal", not "klaar taal"). The
    corpus's forms of address (`addressed_terms`) and the honorific before one ("geachte") are no
    content."""
    addressed = addressed_terms(tokens) if len(tokens) else set()
    content = (tokens["is_alpha"] & ~tokens["is_stop"] & (tokens["lemma"].str.len() >= 3)
               & ~tokens["lemma"].isin(FILLER) & ~tokens["text"].str.lower().isin(FILLER)
               & ~tokens["lemma"].str.lower().isin(addressed) & ~tokens["text"].str.lower().isin(HONORIFICS))
    surface: dict[str, Counter] = {}
    per_segment: dict[str, list[str]] = {}
    previous = None  # (segment_id, sent, tok, lemma, surface) of the last content token
    for seg_id, sent, tok, text, lemma, ok in zip(tokens["segment_id"], tokens["sent"], tokens["tok"],
                                                  tokens["text"], tokens["lemma"], content):
        terms = per_segment.setdefault(seg_id, [])
        if not ok:
            previous = None  # a stop word or number between two words breaks a phrase
            continue
        lemma = lemma.lower()
        terms.append(lemma)
        surface.setdefault(lemma, Counter())[text.lower()] += 1
        if previous and previous[0] == seg_id and previous[1] == sent and previous[2] == tok - 1:
            phrase = f"{previous[3]} {lemma}"
            terms.append(phrase)
            surface.setdefault(phrase, Counter())[f"{previous[4]} {text.lower()}"] += 1
        previous = (seg_id, sent, tok, lemma, text.lower())
    display = {term: forms.most_common(1)[0][0] for term, forms in surface.items()}
    return per_segment, display


class ThemeModel(BaseEstimator):
    """Themes from segment terms and embeddings, a scikit-learn estimator: `fit` learns the theme
    centres (`centers_`, `theme_ids_`, `threshold_`, ...); `transform` gives each segment's cosine
    to every centre, `predict` its theme id, `assign` the assignments table built on both."""

    def __init__(self, n_themes="auto", k_min=2, k_max="auto", lexical_weight=0.7, outlier_quantile=0.0,
                 second_theme_margin=0.05, n_terms=10, svd_components=300, n_neighbors=30, n_groups="auto",
                 seed_share=0.6, tree_linkage="csls", random_state=13):
        self.n_themes = n_themes
        self.k_min = k_min
        self.k_max = k_max
        self.lexical_weight = lexical_weight
        self.outlier_quantile = outlier_quantile
        self.second_theme_margin = second_theme_margin
        self.n_terms = n_terms
        self.svd_components = svd_components
        self.n_neighbors = n_neighbors
        self.n_groups = n_groups
        self.seed_share = seed_share
        self.tree_linkage = tree_linkage
        self.random_state = random_state

    @classmethod
    def from_config(cls, cfg, random_state: int = 13) -> "ThemeModel":
        """The model for a `ThemeConfig`: every parameter the model has is read from the config
        section by name (settings that are not the model's, such as codebook paths, stay there)."""
        names = set(cls._get_param_names()) & {f.name for f in dataclasses.fields(cfg)}
        return cls(**{name: getattr(cfg, name) for name in sorted(names)}, random_state=random_state)

    # ------------------------------------------------------------------ features
    def content(self, terms: list[str]) -> list[str]:
        """The terms that can carry a theme: without talk (`talk_terms_`), nor phrases with a talk word."""
        talk = getattr(self, "talk_terms_", TALK)
        return [t for t in terms if t not in talk and not (" " in t and any(w in talk for w in t.split()))]

    def _features(self, terms: list[list[str]], embeddings: np.ndarray | None) -> np.ndarray:
        content = [self.content(ts) for ts in terms]
        lexical = self.vectorizer_.transform(content)
        lexical = self.svd_.transform(lexical) if self.svd_ is not None else lexical.toarray()
        blocks = [np.sqrt(self.lexical_weight) * normalize(lexical)]
        if embeddings is not None and self.lexical_weight < 1:
            blocks.append(np.sqrt(1 - self.lexical_weight) * normalize(np.asarray(embeddings, dtype=np.float64)))
        # a segment without content (only talk, or no words) is all zeros: close to no theme
        return normalize(np.hstack(blocks)) * np.array([bool(c) for c in content])[:, None]

    def fit(self, terms: list[list[str]], embeddings: np.ndarray | None = None, seeds=None) -> "ThemeModel":
        """Learn themes. `seeds` (guided mode) = (seed term lists, seed vectors or None, names): one
        per codebook theme; segments close to a codebook theme join it, the rest forms new themes."""
        # One BLAS/OpenMP thread: on a busy 2-core machine more threads made the SVD and QR steps
        # many times slower (measured: the demo's cluster stage 22 s -> 0.9 s).
        with threadpool_limits(1):
            return self._fit(terms, embeddings, seeds)

    def _fit(self, terms, embeddings, seeds) -> "ThemeModel":
        self.talk_terms_ = frozenset(TALK | _talk_terms(terms, embeddings))
        # Segments whose words are all talk carry no content: they are not clustered, nor coded.
        has_content = np.array([bool(self.content(ts)) for ts in terms])
        terms = [ts for ts, ok in zip(terms, has_content) if ok]
        embeddings = None if embeddings is None else np.asarray(embeddings)[has_content]
        n = len(terms)
        if n < 3:
            raise ValueError(f"too few segments to find themes ({n}); the corpus needs more text")
        features = self._fit_space(terms, embeddings)
        self.k_scores_, self.k_criterion_, self.k_tolerance_, self.k_best_, self.k_resamples_ = {}, {}, 0.0, [], 0
        self.method_ = ""  # set by _discover; stays "" when codebook themes claim every segment
        names: list[str | None] = []
        fixed = np.zeros((0, features.shape[1]))
        rest = np.ones(n, dtype=bool)
        if seeds is not None:
            seed_terms, seed_vectors, names = seeds
            fixed, rest = self._seed_centers(features, self._features(seed_terms, seed_vectors))
        found = self._discover(features[rest]) if rest.sum() >= max(3, 2 * self.k_min) or not len(fixed) \
            else np.zeros((0, features.shape[1]))

        # New themes are numbered by size after the codebook themes (which keep codebook order),
        # so T01 is the largest discovered theme in unguided mode.
        sizes = np.bincount((features[rest] @ found.T).argmax(axis=1), minlength=len(found)) if len(found) else []
        order = [c for c in sorted(range(len(found)), key=lambda c: (-sizes[c], c)) if sizes[c] > 0]
        self.centers_ = np.vstack([fixed, found[order]]) if len(fixed) else found[order]
        self.n_themes_ = len(self.centers_)
        self.theme_ids_ = [f"T{i + 1:02d}" for i in range(self.n_themes_)]
        self.names_ = list(names) + [None] * len(order)
        self.origins_ = ["codebook"] * len(fixed) + ["nieuw" if len(fixed) else "ontdekt"] * len(order)
        best_scores = (features @ self.centers_.T).max(axis=1)
        self.threshold_ = float(np.quantile(best_scores, self.outlier_quantile)) if self.outlier_quantile > 0 else -1.0
        self.parents_ = _group_themes(self.centers_, self.n_groups)
        return self

    def _fit_space(self, terms: list[list[str]], embeddings: np.ndarray | None) -> np.ndarray:
        """Learn the feature space (TF-IDF vocabulary, SVD) from segments with content; their features."""
        self.vectorizer_ = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
        lexical = self.vectorizer_.fit_transform([self.content(ts) for ts in terms])
        n_comp = min(self.svd_components, lexical.shape[1] - 1, len(terms) - 1)
        # ARPACK rather than randomized SVD: exact, so the themes do not depend on the seed
        self.svd_ = TruncatedSVD(n_comp, algorithm="arpack", random_state=self.random_state).fit(lexical) \
            if n_comp >= 2 else None
        # the width of the lexical block in the features (_consensus weights the two blocks anew)
        self.n_lexical_ = n_comp if self.svd_ is not None else len(self.vectorizer_.vocabulary_)
        return self._features(terms, embeddings)

    def fit_labels(self, terms: list[list[str]], embeddings: np.ndarray | None, labels: list[str]) -> "ThemeModel":
        """The feature space learnt from every segment given, with a theme per label given instead
        of clustering: its centre is the mean of the segments with that label ("" = no label, the
        segment only shapes the space). Codes a new round against an earlier round's themes as
        that round coded them (_rounds.py)."""
        with threadpool_limits(1):
            self.talk_terms_ = frozenset(TALK | _talk_terms(terms, embeddings))
            keep = np.array([bool(self.content(ts)) for ts in terms])
            terms = [ts for ts, ok in zip(terms, keep) if ok]
            embeddings = None if embeddings is None else np.asarray(embeddings)[keep]
            labels = np.asarray(labels, dtype=object)[keep]
            features = self._fit_space(terms, embeddings)
        self.theme_ids_ = sorted(set(labels) - {""})
        self.centers_ = normalize(np.vstack([features[labels == t].mean(axis=0) for t in self.theme_ids_]))
        self.n_themes_, self.k_scores_, self.method_, self.threshold_ = len(self.theme_ids_), {}, "vorige ronde", -1.0
        self.k_criterion_, self.k_tolerance_, self.k_best_ = {}, 0.0, []
        self.names_, self.origins_ = [None] * self.n_themes_, ["vorige ronde"] * self.n_themes_
        self.parents_ = _group_themes(self.centers_, self.n_groups)
        return self

    def _seed_centers(self, features: np.ndarray, seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Codebook theme centres (the mean of the segments each claims) and the unclaimed rest.
        The `seed_share` of segments most similar to any codebook theme are claimed, each by its
        most similar codebook theme; the others are left to form new themes."""
        sims = features @ seeds.T
        best, top = sims.argmax(axis=1), sims.max(axis=1)
        claimed = top >= np.quantile(top, 1 - self.seed_share)
        centers = []
        for j, seed in enumerate(seeds):
            members = features[claimed & (best == j)]
            # the centre sits among the segments it claimed; the seed itself is far from real notes
            centers.append(members.mean(axis=0) if len(members) else seed)
        return normalize(np.vstack(centers)), ~claimed

    def _discover(self, features: np.ndarray) -> np.ndarray:
        """Theme centres found by spectral clustering of the segments' kNN graph, or cut from a tree
        (`_tree`) when the themes are too small for that graph."""
        n = len(features)
        # Neighbours grow with the corpus (about sqrt(n)) up to n_neighbors: on a few dozen
        # segments a 30-neighbour graph would connect everything to everything.
        n_neighbors = min(self.n_neighbors, max(5, int(np.sqrt(n))), n - 1)
        if self.n_themes == "auto":
            candidates = _k_candidates(self.k_min, self.k_max, n)
        else:
            candidates = [max(2, min(int(self.n_themes), n - 1))]
        # A graph of m neighbours cannot hold apart themes of fewer than m segments: each segment's
        # neighbourhood spans several of them. Then (a fine-grained request, a small corpus) the
        # themes are cut from a tree on the same features (benchmarks/themes.py, fine-grained).
        labels, k = None, candidates[0]
        if len(candidates) > 1 or n / k >= n_neighbors:
            labels = self._spectral(features, n_neighbors, candidates)
            k = len(set(labels))
        self.method_ = "spectral"
        if n / k < n_neighbors:
            labels, self.method_ = _tree(features, k, self.tree_linkage, n_neighbors)
        # Theme centres are the mean feature vectors of the clusters; every segment is then coded
        # by its nearest centre, so fitting and coding a new round agree.
        return normalize(np.vstack([features[labels == c].mean(axis=0) for c in sorted(set(labels))]))

    def _spectral(self, features: np.ndarray, n_neighbors: int, candidates: list[int]) -> np.ndarray:
        """Labels of the candidate k that `_choose_k` picks from the modularity of each k's spectral
        partition of the kNN graph (`k_scores_`: modularity; `k_criterion_`: its moving average),
        refined by k-means and then by the consensus of several partitions at that k (`_consensus`)."""
        graph = _knn_graph(features, n_neighbors)
        coords = _spectral_embedding(graph, max(candidates), self.random_state)
        partitions = {k: _cluster_qr(coords[:, :k]) for k in candidates}
        curves = [[_modularity(graph, partitions[k]) for k in candidates]]
        if len(candidates) >= K_MIN_CANDIDATES:
            curves += [_modularity_curve(graph, candidates, np.random.RandomState(self.random_state + b), self.random_state)
                       for b in range(K_RESAMPLES)]
        self.k_scores_ = {k: round(float(v), 4) for k, v in zip(candidates, np.mean(curves, axis=0))}
        self.k_resamples_ = len(curves) - 1
        k, self.k_criterion_, self.k_tolerance_ = _choose_k(self.k_scores_)
        self.k_best_ = _best_ks(self.k_criterion_, k)
        labels = _refine(coords[:, :k], partitions[k])
        return self._consensus(features, graph, labels, n_neighbors)

    def _consensus(self, features: np.ndarray, graph, labels: np.ndarray, n_neighbors: int) -> np.ndarray:
        """The spectral partition again, of the kNN graph whose edges are weighted by the share of
        several partitions that put both ends in one theme (`_co_association`): this partition and
        the same method's on graphs of half and twice the neighbours and on the features with the
        lexical block weighted less and more (CONSENSUS_WEIGHTS). Each sees the segments a little
        otherwise: an edge they agree on holds, an edge only one of them drew (a chance shared word,
        a vague sentence vector) weighs little. Needs the sentence vectors: on words alone the other
        graphs pulled the themes of a small corpus apart (tests/test_cluster.py: ARI 0.39 -> 0.19)."""
        if features.shape[1] <= self.n_lexical_:
            return labels
        k, n = len(set(labels)), len(features)
        lexical, vectors = normalize(features[:, :self.n_lexical_]), normalize(features[:, self.n_lexical_:])
        views = [(features, m) for m in sorted({max(5, n_neighbors // 2), min(2 * n_neighbors, n - 1)} - {n_neighbors})]
        views += [(normalize(np.hstack([np.sqrt(w) * lexical, np.sqrt(1 - w) * vectors])), n_neighbors)
                  for w in CONSENSUS_WEIGHTS]
        partitions = [labels] + [_partition(_knn_graph(x, m), k, self.random_state) for x, m in views]
        together = _co_association(graph, partitions)
        return _partition((graph.multiply(together) + CONSENSUS_FLOOR * graph).tocsr(), k, self.random_state)

    # ------------------------------------------------------------------ coding
    def transform(self, terms: list[list[str]], embeddings: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of each segment to each theme centre, shape (n, n_themes_)."""
        return self._features(terms, embeddings) @ self.centers_.T

    def predict(self, terms: list[list[str]], embeddings: np.ndarray | None = None) -> np.ndarray:
        """The theme id of each segment: its nearest theme centre, "" below the outlier threshold."""
        return self._nearest(self.transform(terms, embeddings))

    def _nearest(self, sims: np.ndarray) -> np.ndarray:
        best = sims.argmax(axis=1)  # the first of tied themes, as assign's stable sort
        ids = np.array(self.theme_ids_, dtype=object)[best]
        # below the outlier threshold, or no content at all (all features zero: all talk)
        ids[(sims[np.arange(len(sims)), best] < self.threshold_) | ~np.any(sims != 0, axis=1)] = ""
        return ids

    def assign(self, segment_ids: list[str], terms: list[list[str]], embeddings: np.ndarray | None = None) -> pd.DataFrame:
        """The assignments table: `predict`'s theme, its score and a close second theme."""
        sims = self.transform(terms, embeddings)
        themes = self._nearest(sims)
        order = np.argsort(-sims, axis=1, kind="stable")
        rows = []
        for i, seg_id in enumerate(segment_ids):
            first, second = order[i, 0], order[i, 1] if sims.shape[1] > 1 else order[i, 0]
            s1, s2 = float(sims[i, first]), float(sims[i, second])
            has_second = themes[i] != "" and second != first and s1 - s2 <= self.second_theme_margin
            rows.append({
                "segment_id": seg_id,
                "theme_id": themes[i],
                "theme_score": round(s1, 4),
                "theme_2": self.theme_ids_[second] if has_second else "",
                "theme_2_score": round(s2, 4) if has_second else 0.0,
            })
        return check(pd.DataFrame(rows), "assignments")

    # ------------------------------------------------------------------ labels
    def describe(self, assignments: pd.DataFrame, terms: dict[str, list[str]], display: dict[str, str],
                 cases: pd.Series, phrases: dict | None = None, readings: dict | None = None,
                 cut: set | frozenset = frozenset()) -> pd.DataFrame:
        """The themes table: class-based TF-IDF terms per theme, a heading from the theme's own
        noun phrases (`phrases`, from `phrases_from_tokens`; see _labels.py), sizes and cases.
        `readings` (`readings_from_tokens`): how the tagger reads each word, to tell a noun from a
        verb or adjective it misreads now and then. `cut` (`cut_names`): two-word terms that are a
        piece of a longer name, never shown."""
        assigned = assignments[assignments["theme_id"] != ""]
        docs = [[t for seg in assigned.loc[assigned["theme_id"] == tid, "segment_id"] for t in terms.get(seg, [])]
                for tid in self.theme_ids_]
        ranked = ctfidf(docs, keyness=_keyness)
        otherwise, measures = _read_otherwise(readings or {}, display), units(readings or {})
        tagged = _tagged(phrases or {}, terms, otherwise)
        case_names = {str(c).lower() for c in cases.unique()}
        said_in = Counter(t for seg in assigned["segment_id"] for t in set(terms.get(seg, [])))
        frame = _frame_terms(assigned, terms)
        rows = []
        for tid, top in zip(self.theme_ids_, ranked):
            members = assigned.loc[assigned["theme_id"] == tid, "segment_id"]
            in_cases = sorted(set(cases.loc[members]))
            # the corpus's frame neither heads nor is shown ("klare taal" stays where "taal" is frame)
            distinctive = [t for t in _over_represented(top, members, terms, said_in, len(assigned))
                           if not all(w in frame for w in t.split()) and t not in cut]
            subject = _subject_terms(distinctive, members, terms, cases, tagged, case_names, display)
            names = list(dict.fromkeys(display.get(t, t) for t in subject))[: self.n_terms]
            given = self.names_[self.theme_ids_.index(tid)] if getattr(self, "names_", None) else None
            said = [_as_read((phrases or {}).get(seg, []), otherwise) for seg in members]
            # a name of one case (a company, a place) does not head a theme of several; a common noun may
            own = _of_one_case(distinctive, members, terms, cases, case_names, display) & _names(said)
            ranks = _heading_terms([t for t in distinctive if t not in own], tagged, display)
            shared = _predicate(ranks, members, terms, said, tagged[0])
            rows.append({
                "theme_id": tid,
                "label": given or _standard(heading(ranks, said, display, measures, shared), members, terms, cases),
                "top_terms": "; ".join(names),
                "n_segments": len(members),
                "n_cases": len(in_cases),
                "cases": "; ".join(in_cases),
                "parent_id": self.parents_[self.theme_ids_.index(tid)],
                "origin": self.origins_[self.theme_ids_.index(tid)],
            })
        return check(pd.DataFrame(rows), "themes")


# What a theme's top terms show an analyst: words that name its subject. Kept: a noun (as the tagger
# reads it in at least half the segments that have it) or a word rare in general Dutch
# ("generalistisch", "duaal"); a phrase when one of its words is kept. Left out: other words that
# are common in general Dutch (zipf >= COMMON_ZIPF in wordfreq, of the form the analyst sees: the
# lemma is the tagger's guess, "werker" -> "werkster"): "moeilijk", "blijkt", "daarnaast",
# "sommigen", "bepaalde", "kent" (all 4.5 or more), which go with every subject.
COMMON_ZIPF = 4.0  # once in 10,000 words of general Dutch
# Left out too, from a theme spread over several cases: a case's own name ("Genk"), and a term said
# in one case only, in the theme (more than that case's share of the theme's segments lets chance
# explain: binomial test, p < CASE_P; two segments at least) and in the whole corpus: "Winterslag"
# in a theme of 14 cities is the place, project or person of one case, not the subject they share.
CASE_P = 0.05


# A shown term is said in a larger share of the theme's segments than of the other segments, by at
# least this factor: a word the whole corpus says ("steden" in a report about cities) ranks high in
# c-TF-IDF wherever it is said twice, but says nothing of one theme.
MIN_LIFT = 2.0
# ... and said in at least MIN_SAID of the theme's segments: a word of one fragment ("neef",
# "geformuleerd") is that fragment's, not the theme's, however rare it is elsewhere.
MIN_SAID = 2


def _over_represented(top: list[str], members: pd.Series, terms: dict[str, list[str]], said_in: Counter,
                      n_segments: int) -> list[str]:
    """The ranked terms whose share of the theme's segments is at least MIN_LIFT times their share
    of the other segments (`said_in`: segments per term over all `n_segments` assigned ones), said
    in MIN_SAID of its segments at least (all of them in a smaller theme)."""
    inside = Counter(t for seg in members for t in set(terms.get(seg, [])))
    n_in, n_out = max(len(members), 1), max(n_segments - len(members), 1)
    return [t for t in top if inside[t] >= min(MIN_SAID, n_in)
            and inside[t] / n_in >= MIN_LIFT * (said_in[t] - inside[t]) / n_out]


def _of_one_case(top: list[str], members: pd.Series, terms: dict[str, list[str]], cases: pd.Series,
                 case_names: set[str], display: dict[str, str]) -> set[str]:
    """Of a theme spread over several cases, the ranked terms that are one case's own: a case's name
    (or made from it) or a term local to one case (`_local_to_a_case`, `_said_in_one_case`). None is
    shown; those that are names (`_names`) do not head the theme either ("Elia", the grid operator of
    one ministry's answers, in a theme of fifteen ministries)."""
    member_cases = cases.loc[members]
    share = member_cases.value_counts(normalize=True)
    if len(share) < 2:
        return set()
    holding = {term: [] for term in top}
    for seg, case in zip(members, member_cases):
        for term in set(terms.get(seg, [])) & holding.keys():
            holding[term].append(case)
    return {term for term in top
            if any(_names_a_case(w, case_names) for w in display.get(term, term).lower().split())
            or (_local_to_a_case(holding[term], share) and _said_in_one_case(term, terms, cases))}


def _subject_terms(top: list[str], members: pd.Series, terms: dict[str, list[str]], cases: pd.Series,
                   tagged: tuple[set[str], set[str], set[str]], case_names: set[str],
                   display: dict[str, str]) -> list[str]:
    """A theme's ranked terms that name its subject, best first. `tagged` (`_tagged`): the lemmas
    the tagger reads as nouns, as adjectives in a noun phrase, and as a noun now and then; a phrase
    of two words is kept only when both are content ("hoeveel asielzoekers", "opgesplitst per" are
    not: a question word, a preposition); none of one case's own (`_of_one_case`)."""
    nouns, modifiers, _ = tagged
    # "verschillende steden" says no more than "steden", so it must not hide "steden" either
    content = [t for t in top if not any(w in _VAGUE for w in t.split()) and (
        not nouns or " " not in t or all(w in modifiers or _names_a_thing(w, tagged, display) for w in t.split()))]
    named = [term for term in _prefer_phrases(content)
             if not nouns or any(_names_a_thing(w, tagged, display) for w in term.split())]
    own = _of_one_case(named, members, terms, cases, case_names, display)
    return [term for term in named if term not in own]


def _predicate(ranks: list[str], members: pd.Series, terms: dict[str, list[str]], said: list[list],
               nouns: set[str]) -> tuple[str, int] | None:
    """The theme's first-ranked word, its most distinctive, when it is no noun and its segments say it
    outside their noun phrases ("Sleutelen aan systemen is moeilijk", "Een versnelling lijkt
    noodzakelijk"; in a phrase in fewer than half of the segments that say it: not "klare taal",
    "gerechtelijk dossier", which name a subject); with the number of segments that say it
    (`heading`'s `shared`). A predicate ranked below a noun or verb ("ingrijpen", "duidelijk") is
    said of that subject."""
    first = ranks[0] if ranks else ""
    if not first or " " in first or first in nouns:
        return None
    holding = [i for i, seg in enumerate(members) if first in terms.get(seg, [])]
    in_phrases = sum(any(first in p[0] for p in said[i]) for i in holding)
    return (first, len(holding)) if 2 * in_phrases < len(holding) else None


def _names(phrases: list[list]) -> set[str]:
    """The words the theme's phrases write with a capital inside a sentence in at least half their
    uses ("Elia", "Winterslag"), and the two-word terms that hold one: names, whatever the tagger
    calls them."""
    capital, said = Counter(), Counter()
    for found in phrases:
        for lemmas, _, surface in found:
            words = surface.replace(", ", " , ").split()
            if len(words) == len(lemmas):
                said.update(lemmas)
                capital.update(w for w, shown in zip(lemmas, words) if shown[:1].isupper())
    single = {w for w in said if 2 * capital[w] >= said[w]}
    pairs = {f"{a} {b}" for found in phrases for lemmas, _, _ in found for a, b in zip(lemmas, lemmas[1:])
             if a in single or b in single}
    return single | pairs


# A theme whose segments are near-copies of one text across cases is that text ("Het antwoord op deze
# vraag is het geachte Kamerlid rechtstreeks toegestuurd ... bij de Griffie van de Kamer ingediend"):
# procedure, not a subject the cases share. Its segments share, on average, at least COPIED of the
# words said in half of them (Jaccard); on the Kamer answers that theme scores 0.63 and every other
# theme of three cases or more 0.21 at most (demo, report rows: 0.2 at most).
COPIED = 0.5
COPIES_MIN_CASES = 3


def _standard(label: str, members: pd.Series, terms: dict[str, list[str]], cases: pd.Series) -> str:
    """The heading, marked "(standaardtekst)" when the theme is one text repeated across cases."""
    sets = [{t for t in terms.get(seg, []) if " " not in t} for seg in members]
    if cases.loc[members].nunique() < COPIES_MIN_CASES or len(sets) < 2 * COPIES_MIN_CASES:
        return label
    said = Counter(w for words in sets for w in words)
    core = {w for w, n in said.items() if 2 * n >= len(sets)}
    shared = np.mean([len(words & core) / len(words | core) if words | core else 0.0 for words in sets])
    return f"{label} (standaardtekst)" if shared >= COPIED else label


def _as_read(found: list, otherwise: set[str]) -> list:
    """A segment's noun phrases less those whose noun the tagger's readings say is none
    (`_read_otherwise`): "internationale humanitair" of "het internationale humanitair recht", where
    the tagger read the adjective as a noun once in 64 uses, names nothing."""
    return [p for p in found if not any(k in "NM" and w in otherwise for w, k in zip(p[0], p[1]))]


def _local_to_a_case(held_by: list[str], share: pd.Series) -> bool:
    """The segments that hold a term (`held_by`: their cases), two at least, all come from one case
    that holds less than half the theme (`share`), and more of them than that share lets chance
    explain (one-sided binomial test, p < CASE_P). A word of the case most of the theme comes from
    names what the theme is about ("NMBS" in a theme of railway questions)."""
    cases = set(held_by)
    if len(held_by) < 2 or len(cases) > 1:
        return False
    p = float(share.get(cases.pop(), 0.0))
    return p < 0.5 and binomtest(len(held_by), len(held_by), p, alternative="greater").pvalue < CASE_P


def _said_in_one_case(term: str, terms: dict[str, list[str]], cases: pd.Series) -> bool:
    """Every segment of the corpus that says `term` comes from one case: its place, project or
    person ("Winterslag", "Woonkompas"); a subject one case raised here and others elsewhere
    ("schuldbemiddeling", "NAVO" asked of two ministers) is not that case's own."""
    return len({cases.get(seg) for seg, said in terms.items() if term in said}) == 1


def _heading_terms(ranked: list[str], tagged: tuple[set[str], set[str], set[str]],
                   display: dict[str, str]) -> list[str]:
    """The ranked terms a heading may rank by: those with a word that names a thing or that the
    tagger reads as an adjective in a noun phrase ("kwetsbare inwoners"); a predicate ("is niet
    evident") or a verb is how something is said of the theme, and would push its nouns out of
    the heading's first ranks."""
    if not tagged[0]:
        return ranked
    kept = [t for t in ranked if any(w in tagged[1] or _names_a_thing(w, tagged, display) for w in t.split())]
    return kept or ranked


# How Dutch names a city's people or things (Gent: gentenaars, gentse; Mechelen: mechelaars; Genk:
# genkenaren; Kortrijk: kortrijkzanen; Roeselare: roeselaarse; Aalst: aalsterse): a short suffix on
# the name, whose last letters may drop, and an ending for the plural or the adjective.
_FROM_A_NAME = re.compile(r"(e?n?aa?r|eling|er|zaan|zan)(s|en|se|e)?|s?e")


def _names_a_case(word: str, case_names: set[str]) -> bool:
    """`word` is a case's name or made from it ("genkenaren" from Genk), not a word that merely
    begins like one ("brugfiguur" and Brugge: the rest is no such suffix)."""
    for name in case_names:
        if word == name:
            return True
        common = len(os.path.commonprefix([word, name]))
        # the suffix may begin with the name's own last letter ("brugge" + "elingen": bruggelingen)
        if " " not in name and common >= max(4, len(name) - 2) and any(
                _FROM_A_NAME.fullmatch(word[start:]) for start in (common, common - 1)):
            return True
    return False


def _names_a_thing(word: str, tagged: tuple[set[str], set[str], set[str]], display: dict[str, str]) -> bool:
    """A noun, an adjective said as one ("jongeren", "ouderen": the tagger reads them as "jong",
    "oud"; not the vague "sommigen") or a word rare in general Dutch that the tagger reads as a
    noun now and then (NAMED_SHARE): rare adjectives and participles ("evident", "gerelateerd", "zinvol",
    "verankerd") and verbs ("doorwegen") are as rare, and say how, not what."""
    nouns, _, named = tagged
    shown = display.get(word, word)
    as_noun = shown.endswith("en") and not word.endswith("en") and word not in _VAGUE
    # the lemma is the tagger's guess ("werker" -> "werkster"): the form shown counts as read too
    return word in nouns or as_noun or ((word in named or shown in named) and _zipf(shown) < COMMON_ZIPF)


# Suffixes that make Dutch adjectives (aandacht -> aandachtig, politiek -> politisch, was -> wasbaar):
# six of the grammar's derivational suffixes, the ones few nouns end in; -el, -er, -en, -ief and the
# like end many nouns ("middel", "leer", "motief") and stay out. The few nouns that do end so
# ("voertuig", "huwelijk") have no -e form in use, which an adjective has ("aandachtige").
_ADJECTIVE_SUFFIXES = ("ig", "isch", "lijk", "baar", "zaam", "loos")
_ATTESTED = 2.0  # zipf: once in 10 million words of general Dutch, a form in use


def _inflected(word: str) -> list[str]:
    """The attributive -e form by Dutch spelling: a doubled vowel before the last consonant is
    written once in an open syllable; a final s then stays or becomes z, as the word has it
    (europees -> europese, werkloos -> werkloze), so both are tried."""
    if len(word) > 3 and word[-3] == word[-2] and word[-2] in "aeou":
        word = word[:-2] + word[-1]
        if word.endswith("s"):
            return [word + "e", word[:-1] + "ze"]
    return [word + "e"]


def _adjective_form(word: str) -> bool:
    """`word` (a lemma) has the form of an adjective, however the tagger read it: a suffix only
    adjectives take, with its -e form in use ("aandachtig", "aandachtige"), or an -e form more
    frequent in general Dutch than the word alone ("externe" over "extern", "interne" over
    "intern"): an adjective is said before a noun more often than alone, and a noun + e is rarely a
    word at all ("tolke", "woninge")."""
    if " " in word or word.endswith("e"):
        return False
    inflected = max(_zipf(form) for form in _inflected(word))
    return inflected >= _ATTESTED and (word.endswith(_ADJECTIVE_SUFFIXES) or inflected > _zipf(word))


# A rare word the tagger reads as a noun in at least this share of its segments may be a noun it
# misreads elsewhere; one reading in 33 is the slip ("Ik verwijs naar ...": "hiervoor verwijs" once).
NAMED_SHARE = 0.25


def _tagged(phrases: dict, terms: dict[str, list[str]], otherwise=frozenset()) -> tuple[set[str], set[str], set[str]]:
    """(nouns, modifiers, named): lemmas the tagger reads as a noun in at least half the segments
    that have them, as an adjective in a noun phrase, and as a noun in NAMED_SHARE of them (in the noun
    phrases of `phrases_from_tokens`); all empty without tags. The words `otherwise` (`_read_otherwise`:
    the tagger's readings in context say they are no nouns) are in neither nouns nor named."""
    as_noun, having, modifiers = Counter(), Counter(), set()
    for found in phrases.values():
        as_noun.update({lemma for lemmas, kinds, _ in found for lemma, kind in zip(lemmas, kinds) if kind in "NM"})
        modifiers.update(lemma for lemmas, kinds, _ in found for lemma, kind in zip(lemmas, kinds) if kind == "A")
    for ts in terms.values():
        having.update({t for t in ts if " " not in t})
    nouns = {lemma for lemma, n in as_noun.items() if 2 * n >= having.get(lemma, 0)} - otherwise
    named = {lemma for lemma, n in as_noun.items() if n >= NAMED_SHARE * having.get(lemma, 0)} - otherwise
    return nouns, modifiers, named


# A word the tagger reads as a noun in at most MIXED of its tokens has two readings (a verb, an
# adjective or adverb it misreads now and then); which one is right shows in the context of its noun
# readings: a noun stands after an article, numeral, possessive or preposition, and when fewer than
# PLACED of them do, they are misreadings ("terechtkunnen", "opvangen", "nergens", "complex": "groot
# en complex"). A nominalised infinitive stays ("het cijfermatige meten", "belang van meten").
MIXED = 2 / 3
PLACED = 1 / 3
# A word the tagger reads as a noun in at most this share of its tokens is no noun wherever it
# stands: a participle read as a noun now and then after a preposition ("uitgesplitst per gewest"),
# where the place alone cannot tell. A noun the tagger reads right in nine of ten uses is still one.
# And a word with the form of an adjective (`_adjective_form`) is no noun when fewer than half its
# noun readings stand where a noun stands ("zowel intern als extern"); a nominal use keeps its place
# ("in het secundair", "les in het Nederlands").
SELDOM = 1 / 10
# A Dutch pronominal adverb, an r-pronoun joined to an adposition ("daaronder", "hierboven", "waarnaar",
# "erbij"), points and never names, wherever it stands; the tagger reads one as a noun after an article
# ("de daaronder ressorterende FOD's": 8 of 8 uses in the Chamber's questions). A closed class of the
# grammar, as the suffixes above are.
_PRONOMINAL_ADVERB = re.compile(
    r"(?:er|daar|hier|waar)(?:aan|achter|af|bij|binnen|boven|buiten|door|in|langs|mee|na|naar|naast|om|onder"
    r"|op|over|rond|tegen|tegenover|toe|tussen|uit|van|vandaan|voor|zonder)")


def _read_otherwise(readings: dict, display: dict[str, str]) -> set[str]:
    """The words (lemmas, or their shown forms: the lemma is the tagger's guess, "meten" -> "meet")
    whose readings in context (`readings_from_tokens`) say they are no nouns, and the pronominal
    adverbs, which are none whatever the readings say."""
    out = {word for word, (n, noun, placed, *_) in readings.items()
           if noun <= SELDOM * n or (noun <= MIXED * n and placed < PLACED * noun)
           or (2 * placed < noun and _adjective_form(word)) or _PRONOMINAL_ADVERB.fullmatch(word)}
    return out | {lemma for lemma, shown in display.items() if shown in out}


# A word said throughout the corpus (in TALK_MIN_SEGMENTS segments and TALK_MIN_SHARE of them at
# least, where a test has the power to tell) whose segments spread over the themes as the themes'
# sizes would have them (chi-square p >= FRAME_P) is the corpus's frame, not one theme's subject:
# "steden" in a report about cities (in 19 of 20 themes, as a random scatter would be). It still
# shapes the themes; it only neither heads one nor is shown. On the Chamber's questions only words
# like "april" and "bieden" are so even.
FRAME_P = 0.1


def _frame_terms(assigned: pd.DataFrame, terms: dict[str, list[str]]) -> set[str]:
    """The words spread over the themes like a random scatter of their segments (FRAME_P)."""
    themes = pd.factorize(assigned["theme_id"])[0]
    n, k = len(themes), themes.max() + 1 if len(themes) else 0
    if k < 2:
        return set()
    sizes = np.bincount(themes, minlength=k) / n
    where: dict[str, list[int]] = {}
    for theme, seg in zip(themes, assigned["segment_id"]):
        for term in {t for t in terms.get(seg, []) if " " not in t}:
            where.setdefault(term, []).append(theme)
    frame = set()
    for term, held in where.items():
        if len(held) >= max(TALK_MIN_SEGMENTS, TALK_MIN_SHARE * n):
            counts = np.bincount(held, minlength=k)
            if chisquare(counts, len(held) * sizes).pvalue >= FRAME_P:
                frame.add(term)
    return frame


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")


def _prefer_phrases(terms: list[str]) -> list[str]:
    """Drop a single word when a higher-ranked phrase already contains it ("taal" after "klare taal")."""
    out: list[str] = []
    for term in terms:
        if " " not in term and any(term in p.split() for p in out if " " in p):
            continue
        out.append(term)
    return out


@lru_cache(maxsize=200_000)
def _keyness(term: str) -> float:
    """How much more a term says than everyday Dutch: 7 minus its Zipf frequency in general
    Dutch (wordfreq; 'tijd' 6.0 -> 1.0, 'tolk' 3.6 -> 3.4), so c-TF-IDF labels prefer the
    words of the theme over words every conversation has."""
    from wordfreq import zipf_frequency

    return 7.0 - min(max(zipf_frequency(term, "nl"), 1.5), 6.5)


def ctfidf(docs: list[list[str]], top: int = 40, keyness=None) -> list[list[str]]:
    """Class-based TF-IDF (as in BERTopic): term frequency in the class times
    log(1 + average class size / frequency of the term over all classes), optionally times a
    per-term keyness weight."""
    vocab = sorted({t for d in docs for t in d})
    index = {t: i for i, t in enumerate(vocab)}
    counts = np.zeros((len(docs), len(vocab)))
    for c, doc in enumerate(docs):
        for term, n in Counter(doc).items():
            counts[c, index[term]] = n
    if not vocab:
        return [[] for _ in docs]
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg = counts.sum() / max(len(docs), 1)
    idf = np.log(1 + avg / np.maximum(counts.sum(axis=0), 1))
    weights = tf * idf
    if keyness is not None:
        weights = weights * np.array([keyness(t) for t in vocab])
    weights[counts < 2] = 0  # a term said once in a theme does not characterise it
    ranked = []
    for row in weights:
        order = np.lexsort((np.array(vocab), -row))  # ties broken alphabetically: deterministic
        ranked.append([vocab[i] for i in order[:top] if row[i] > 0])
    return ranked


def _k_candidates(k_min, k_max, n: int) -> list[int]:
    """The numbers of themes "auto" compares. k_max "auto" grows with the corpus: 2 sqrt(n) (173
    segments: 26; 2,780: 105; 10,000: 200), never more than n / 5 (a theme of five segments at
    least). Up to 40 every k is tried, above it a grid 8 % apart, so a large range stays fast."""
    k_hi = max(2, min(n // 5, round(2 * np.sqrt(n)) if k_max == "auto" else int(k_max)))
    k_lo = max(2, min(int(k_min), k_hi))
    grid, k = [], k_lo
    while k <= k_hi:
        grid.append(k)
        k = k + 1 if k < 40 else max(k + 1, round(k * 1.08))
    return grid


# The modularity of the spectral partitions is flat over a wide range of k and jitters from one k to
# the next (cluster_qr reads each k off anew): its maximum sits at the coarse end of the plateau
# (modularity's resolution limit) and moves with small changes of the corpus. Measured on the
# report rows, the report's statements and the demo (benchmarks/themes_k.py).
# The jitter is not independent from one k to the next: neighbouring k share most of their
# partition, and its autocorrelation falls to zero only about five k apart (lag 1: 0.6-0.7, lag 5:
# -0.06 to 0.03 on those three corpora). An average over k - 2 .. k + 2 held one or two independent
# draws of it, and where the slowly falling curve left the tolerance moved with them (a 90 %
# subsample of the documents: up to 29 % another k). A Gaussian average over candidates, K_SMOOTH
# of them as its standard deviation, spans that length, while its weight on the nearest k keeps a
# sharp peak where it is (a box over k - 5 .. k + 5 moved a planted 12 themes to 11).
K_SMOOTH = 3.0
# Within one standard deviation of the curve's jitter around that average, as in the one-standard-
# error rule (Breiman et al. 1984), but taking the finest k rather than the simplest model. The
# wider average leaves more of the curve's bend in that deviation: 1.5 of them took the Chamber's
# questions (21 gold themes) from 28 to 36 themes, and their AMI down.
K_NOISE = 1.0
K_MIN_CANDIDATES = 10  # fewer candidates: too few to tell jitter from trend (the plain modularity)
# The curve is averaged with the curves of the graph less a tenth of its segments (drawn anew each
# time): which k's partition happens to score well then depends less on particular segments. The
# resamples share much of their jitter (correlation 0.5-0.75), so more are needed than for
# independent draws: with 4, two of fifteen 90 % subsamples of the demo moved k by more than 20 %,
# with 6 none (benchmarks/themes_k.py and ten more seeds). Each costs a spectral embedding of the
# resampled graph: the fit on the 2,780 Chamber questions took 6.1 s of CPU with 4, 6.7 s with 6,
# 7.7 s with 8.
K_RESAMPLES, K_RESAMPLE_DROP = 6, 0.1


def _choose_k(scores: dict[int, float]) -> tuple[int, dict[int, float], float]:
    """(k, criterion per k, tolerance). The criterion is the modularity averaged over neighbouring
    k; a k whose criterion is within the curve's own noise of the best (K_NOISE standard deviations
    of the modularity around that average) partitions the graph as well as the best, and of those
    the finest is taken: a theme more for the analyst to merge, not two subjects in one. With few
    candidates (a small corpus) the plain modularity decides, ties to fewer themes."""
    ks = sorted(scores)
    q = np.array([scores[k] for k in ks])
    if len(ks) < K_MIN_CANDIDATES:
        return ks[int(np.argmax(q))], dict(scores), 0.0
    smooth = _gaussian_average(q, K_SMOOTH)
    tolerance = K_NOISE * float(np.std(q - smooth))
    near_best = np.flatnonzero(smooth >= smooth.max() - tolerance - 1e-12)
    return ks[near_best.max()], {k: round(float(v), 4) for k, v in zip(ks, smooth)}, round(tolerance, 4)


def _gaussian_average(values: np.ndarray, sigma: float) -> np.ndarray:
    """Each value averaged with its neighbours, weighted by a Gaussian of `sigma` positions (cut at
    3 sigma, renormalised at the ends)."""
    offset = np.subtract.outer(np.arange(len(values)), np.arange(len(values)))
    weights = np.where(np.abs(offset) <= 3 * sigma, np.exp(-0.5 * (offset / sigma) ** 2), 0.0)
    return weights @ values / weights.sum(axis=1)


def _best_ks(criterion: dict[int, float], chosen: int) -> list[int]:
    """The k chosen and up to two alternatives an analyst may prefer: the highest local maxima of
    the criterion (a k scoring above the next k and at least as well as the previous), best first."""
    ks = sorted(criterion)
    peaks = [k for i, k in enumerate(ks)
             if (i == 0 or criterion[k] >= criterion[ks[i - 1]]) and (i == len(ks) - 1 or criterion[k] > criterion[ks[i + 1]])]
    others = sorted((k for k in peaks if k != chosen), key=lambda k: (-criterion[k], k))
    return [chosen] + others[:2]


def _talk_terms(terms: list[list[str]], embeddings: np.ndarray | None) -> set[str]:
    """Words that go with every subject, found from the corpus: in at least TALK_MIN_SHARE of the
    segments, and the mean context vector of their segments no further from the corpus mean than
    TALK_SPREAD times what a random sample of as many segments would give (squared distance over
    its expectation, var / m * (n - m) / (n - 1)). Context: the sentence embeddings; without them
    the TF-IDF of the other, less frequent words (frequent words, talk among them, left out so
    that "mijnheer" and "minister" do not make each other look like a subject)."""
    n = len(terms)
    words = [{t for t in ts if " " not in t} for ts in terms]
    df = Counter(t for ws in words for t in ws)
    frequent = sorted(t for t, m in df.items() if m >= max(TALK_MIN_SEGMENTS, TALK_MIN_SHARE * n))
    if not frequent:
        return set()
    if embeddings is not None:
        context = normalize(np.asarray(embeddings, dtype=np.float64))
    else:
        skip = set(frequent)
        rest = [[t for t in ts if t not in skip and not any(w in skip for w in t.split())] for ts in terms]
        try:
            context = normalize(TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True).fit_transform(rest))
        except ValueError:  # no other word in two segments: nothing to tell subjects by
            context = sparse.csr_matrix((n, 1))
    mean = np.asarray(context.mean(axis=0)).ravel()
    norms = np.asarray(context.multiply(context).sum(axis=1)).ravel() if sparse.issparse(context) \
        else (context ** 2).sum(axis=1)
    var = norms.mean() - mean @ mean  # mean squared distance of a segment to the corpus mean
    if var <= 1e-12:  # no context to compare with: only the words in (nearly) every segment
        return {t for t in frequent if df[t] >= n - 1}
    segments_with: dict[str, list[int]] = {t: [] for t in frequent}
    for i, ws in enumerate(words):
        for term in ws & segments_with.keys():
            segments_with[term].append(i)
    talk = set()
    for term, rows in segments_with.items():
        m = len(rows)
        if m >= n - 1:  # in (nearly) every segment: goes with every subject by definition
            talk.add(term)
            continue
        diff = np.asarray(context[rows].mean(axis=0)).ravel() - mean
        if diff @ diff <= TALK_SPREAD * var / m * (n - m) / (n - 1):
            talk.add(term)
    return talk


# Hand-written rather than sklearn.neighbors.kneighbors_graph, which neither rounds similarities
# nor breaks ties by index: short segments tie often, and the SVD's last-bit noise then picked the
# neighbours, so reruns of the same input could build other graphs and other themes.
def _knn_graph(features: np.ndarray, k: int, chunk: int = 1024):
    """Symmetric k-nearest-neighbour graph (cosine on L2-normalised rows).

    Similarities are rounded before ranking and ties go to the lower row index: short lexical
    segments share many exactly equal similarities, and without this the last-bit noise of the
    SVD decided which tied neighbour was kept, so reruns of the same input could build different
    graphs. A "neighbour" that shares nothing (similarity <= 0, common for a segment with few
    terms) gets a weight of 1e-3 instead of 1: it keeps the graph connected without pulling
    unrelated segments together. Rows are cut with a partition, not a full sort (7,330 segments:
    7.8 s -> see benchmarks/perf.py)."""
    n = len(features)
    rows, cols, weights = [], [], []
    for start in range(0, n, chunk):
        sims = np.round(features[start:start + chunk] @ features.T, 9)
        local = np.arange(len(sims))
        sims[local, local + start] = -np.inf  # not oneself
        # the k-th largest similarity per row; all above it, then the tied ones by index
        kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1:k]
        above = sims > kth
        tied = sims == kth
        keep = above | (tied & (np.cumsum(tied, axis=1) <= k - above.sum(axis=1, keepdims=True)))
        r, c = np.nonzero(keep)
        rows.append(r + start)
        cols.append(c)
        weights.append(np.where(sims[r, c] > 0, 1.0, 1e-3))
    graph = sparse.csr_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    return (0.5 * (graph + graph.T)).tocsr()


# Hand-written rather than sklearn.manifold.spectral_embedding: the same embedding, but sklearn
# factorises the Laplacian for its shift-invert mode (7,330 segments: 42 s against 0.2 s here).
def _spectral_embedding(graph, k: int, random_state: int) -> np.ndarray:
    """The k leading eigenvectors of the normalised adjacency D^-1/2 A D^-1/2 (the smallest of the
    normalised Laplacian), scaled by D^-1/2, signs fixed: the spectral embedding of von Luxburg
    (2007), as sklearn.manifold.spectral_embedding computes it. Plain Lanczos on the largest
    eigenvalues needs only products with the sparse graph; sklearn's shift-invert mode factorises
    the Laplacian first (7,330 segments: 42 s -> 0.2 s, the same themes at every k)."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    normalised = sparse.diags(scale) @ graph @ sparse.diags(scale)
    n = graph.shape[0]
    k = min(k, n - 1)
    if n <= max(100, 4 * k):  # small graphs: the exact dense solver
        values, vectors = np.linalg.eigh(normalised.toarray())
    else:
        v0 = np.random.RandomState(random_state).uniform(-1, 1, n)
        values, vectors = eigsh(normalised, k=k, which="LA", v0=v0)
    coords = vectors[:, np.argsort(-values, kind="stable")[:k]] * scale[:, None]
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), np.arange(coords.shape[1])])
    return coords * np.where(signs == 0, 1, signs)


def _cluster_qr(vectors: np.ndarray) -> np.ndarray:
    """Labels from spectral coordinates by column-pivoted QR (Damle, Minden & Ying 2019):
    deterministic, no k-means restarts, so the result does not depend on a seed."""
    k = vectors.shape[1]
    _, _, pivots = qr(vectors.T, pivoting=True)
    ut, _, v = svd(vectors[pivots[:k], :].T)
    return np.abs(vectors @ (ut @ v.conj())).argmax(axis=1)


# cluster_qr reads each segment's theme off one pivot segment per theme; k-means on the same
# coordinates, started from those themes' means, moves the segments between them that sit nearer
# another theme's mean. Started from a partition, not from random centres, it needs no seed.
# Measured (benchmarks/themes.py, report.py; AMI on the whole set and two 90 % subsamples, mean):
# Kamer long 0.459 -> 0.464, short 0.315 -> 0.324, report statements (k = 20) 0.113 -> 0.117;
# k is chosen before, on cluster_qr's partitions, so it does not change.
def _refine(coords: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The partition after k-means on the row-normalised spectral coordinates (Ng, Jordan & Weiss
    2001), started from the means of `labels`' clusters."""
    _, labels = np.unique(labels, return_inverse=True)
    x = normalize(coords)
    start = np.vstack([x[labels == c].mean(axis=0) for c in range(labels.max() + 1)])
    return KMeans(len(start), init=start, n_init=1).fit_predict(x)


def _partition(graph, k: int, random_state: int) -> np.ndarray:
    """k themes of a graph: its spectral embedding read off by cluster_qr, refined by k-means."""
    coords = _spectral_embedding(graph, k, random_state)
    return _refine(coords, _cluster_qr(coords))


def _co_association(graph, partitions: list[np.ndarray]):
    """Per edge of `graph` (same sparsity), the share of `partitions` that put its two ends in one theme."""
    rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    share = np.mean([p[rows] == p[graph.indices] for p in partitions], axis=0)
    return sparse.csr_matrix((share, graph.indices.copy(), graph.indptr.copy()), shape=graph.shape)


# A consensus over several clusterings (Strehl & Ghosh 2002; here as weights on the kNN graph's edges
# rather than a graph of all pairs, which a corpus of 10,000 segments could not hold). Partitions of
# the same method that see the segments otherwise: graphs of half and twice the neighbours, features
# with the lexical block weighted 0.5 and 0.85 (the model's 0.7 between them). An edge no partition
# keeps inside a theme keeps CONSENSUS_FLOOR of its weight, so the graph stays connected.
# Measured (AMI, mean of the whole set and four 90 % subsamples): report statements k = 20 0.113 ->
# 0.131 (higher on all five), Kamer short 0.317 -> 0.322, long 0.463 -> 0.464 (noise), demo planted
# themes k = 10 0.226 -> 0.254, automatic k 0.238 -> 0.250; on the whole sets in benchmarks/report.py
# and themes.py: report statements 0.127 -> 0.137 (automatic k = 20), Kamer long 0.465 -> 0.470,
# short 0.319 -> 0.325. k is chosen before, so it does not change.
# Tried and left out: the segment-by-cluster bipartite graph of the partitions (HBGF, Fern & Brodley
# 2004) and average linkage of the co-association, with an NMF partition of the TF-IDF, partitions at
# k - 2 .. k + 2, of each feature block alone or of 90 % resamples: at best equal, with the weaker
# NMF and one-block partitions lower (Kamer long 0.465 -> 0.445-0.465, report statements 0.128 ->
# 0.102-0.131); these weights on the graph from partitions at neighbouring k alone: 0.117; the
# neighbour counts or the block weights alone: 0.122, 0.128; with 90 % resamples added: 0.118. Small
# themes cut from a tree (report rows, fine-grained Kamer; measured on Ward's, see _tree) keep their
# tree: the bipartite consensus of the trees at block weights 0.5, 0.7, 0.85 gave report rows
# 0.265 -> 0.279 (k = 20) and 0.264 -> 0.279 (automatic k), within the noise of 173 rows (one
# subsample of five lower, the whole set 0.299 -> 0.300), fine-grained Kamer 0.344 -> 0.343 (whole
# set and two subsamples);
# Ward's tree of their co-association: rows 0.277, fine 0.338; average linkage of it: rows 0.269.
# Nor does the consensus graph hold small themes apart: report rows at k = 20 from the spectral
# consensus (8 neighbours, so that 173 / 20 rows per theme pass the rule) 0.217 against Ward's 0.299.
# Nor NMF's parts as the tree's lexical block (issue #22; W of the TF-IDF, init nndsvd, rows
# normalised; mean of the whole set and four 90 % subsamples, report rows k = 20, Ward's tree as is
# 0.265): W in place of the SVD block, k parts 0.221 (block weight 0.5: 0.227, 0.9: 0.212), 2k 0.190,
# k / 2 0.187, W alone 0.215; W beside the SVD block (a fifth to a half of the lexical weight, k / 2
# to 3k parts, or sqrt W) 0.204-0.257, lower the more NMF; NMF of a unigram TF-IDF (max_df 0.5) or
# of the baseline's surface TF-IDF 0.223-0.251; automatic k (unchanged, 14-18) 0.265 -> 0.228-0.238;
# fine-grained Kamer (whole set) 0.353 -> 0.332 (k parts, a fifth: 6 s -> 150 s), 0.343 (k / 2, a
# third). NMF's own argmax at k on these rows: 0.217 (the baseline's TF-IDF: 0.232, whole set 0.258).
# The tree on the blocks weighted otherwise (lexical 0.5, 0.6, 0.8): rows 0.258, 0.271, 0.250 (noise),
# automatic k 0.264 (0.6), fine 0.348 (0.6).
CONSENSUS_WEIGHTS = (0.5, 0.85)
CONSENSUS_FLOOR = 0.05

TREE_PAIRS_MB = 400  # above this the tree is built without the matrix of all pairs (Ward's)


# Average linkage of the cosine made local (CSLS: Conneau et al. 2018) by default. In a high-dimensional
# space a few segments (vague, generic ones) are near everything: hubs (Radovanovic et al. 2010). Ward's
# tree gathers them into one or two catch-all themes (report rows, k = 20: the two largest themes held
# 21 and 18 rows from 14 and 9 sections); plain average linkage leaves themes of two or three rows that
# no word distinguishes. Subtracting each segment's mean similarity to its nearest neighbours (the
# graph's count) makes a hub as far from everything as a segment of a tight theme is from the rest.
# Measured (AMI, mean of the whole set and six 90 % subsamples): report rows k = 20 Ward 0.267 ->
# 0.296 (higher on all seven), automatic k 0.258 -> 0.288 (six of seven), fine-grained Kamer 0.340 ->
# 0.358 (all seven); plain average linkage: rows 0.274, automatic k 0.258, fine 0.366. On the whole
# sets (benchmarks/report.py, themes.py, baselines in the same run): rows k = 20 0.299 -> 0.316
# (NMF 0.270: 1.11x -> 1.17x), automatic k = 16 0.293 -> 0.292 (NMF 0.232), fine 0.353 -> 0.368 (best
# baseline 0.296: 1.19x -> 1.24x); the smallest of the rows' 20 themes holds 4 rows (Ward's 2), and
# every one of the 20 headings names a subject. k is chosen before (spectral), so it does not change.
# The neighbour count hardly matters (5, 13, 30 neighbours: rows 0.291, 0.291, 0.290; fine 0.352,
# 0.354, 0.358, with sqrt-shaped distances). Tried and left out (same protocol, mean of the whole set
# and four 90 % subsamples; Ward 0.265 rows k = 20, 0.264 automatic k, 0.344 fine over three):
# - Ward's cut refined by k-means (Lloyd from the cut's centres, plain or spherical, 3 or 300
#   iterations): on the rows the cut is already a fixed point (0 segments move), fine 0.345.
# - Ward or cluster_qr on the spectral embedding of a kNN graph of n / k / 1, 2, 3 neighbours:
#   rows 0.223-0.265, automatic k 0.232-0.260, fine 0.320-0.339.
# - Ward with a kNN connectivity constraint (5, 15 neighbours): rows 0.268, 0.266; fine 0.346, 0.344.
# - Ward on features smoothed over a kNN graph (x + a P x, 3-10 neighbours, a 0.5-1): rows 0.254-0.278
#   (whole set 0.238-0.274 against 0.299), fine 0.346-0.349.
# - Ward after centring the blocks, or removing the sentence vectors' top 1-4 principal components:
#   rows 0.247-0.298, peaking at one or two components and falling at three or four (a knob, not a
#   trend), fine 0.341-0.346. Fewer SVD components (30, 60, 100): rows 0.240-0.251, fine 0.298-0.331;
#   more (600): fine 0.343.
# - Ward on CSLS distances (5, 10 neighbours): rows 0.240, 0.249. Average linkage of mutual proximity
#   (Schnitzer et al. 2012): rows 0.278, fine 0.359; Ward on it 0.233.
# - This tree's cut then refined by spherical k-means (10 rounds): rows unchanged (the nearest-centre
#   coding that follows already settles them), fine 0.362 -> 0.361 (three samples).
# - CSLS per block, distances summed 0.7 / 0.3 (0.5 / 0.5): rows 0.295 (0.281), automatic k 0.286
#   (0.272), fine 0.358 (0.362): equal at best, and not simpler.
# - The lexical weight with this tree (six subsamples; 0.7: rows 0.296, fine 0.358): 0.5 rows 0.265,
#   fine 0.362; 0.6 rows 0.306, automatic k 0.300, fine 0.361; 0.8 rows 0.263, fine 0.350. A peak at
#   one value with falls on both sides, and the weight is every regime's (spectral too): left at 0.7.
# Tried for issue #22 item 1 (rows and fine-grained ahead by 1.3x), none kept. Measured in one process
# on the benchmarks' inputs (the whole sets give the CLI's 0.316, 0.292 and 0.368 as they are), mean of
# the whole set and six 90 % subsamples (four for fine); this tree as it is: rows k = 20 0.279, automatic
# k 0.263, fine 0.355; report singles 0.127 at k = 20, 0.117 automatic:
# - A segment as the set of its sentences: in the tree's cosine, the sentence-vector block's cosine of
#   the segments' mean vectors replaced by the mean of each sentence's best match in the other segment
#   (length-weighted, both ways averaged): rows 0.267, automatic k 0.259, fine 0.348; half that, half the
#   mean vectors' cosine: 0.278, 0.264, 0.352; soft-max pooling of the matches (temperature 0.05, 0.1):
#   rows 0.270, 0.269. Fine several times slower (the products of all sentence pairs).
# - Shared nearest neighbours (Jarvis & Patrick 1973): average linkage of 1 - the shared share of 10
#   or 20 neighbours: rows 0.227, 0.182; that share added to the cosine (0.5, 1) before CSLS: 0.252,
#   0.252 (20 neighbours 0.224); without CSLS 0.243. As the spectral graph's edge weights (shared
#   share, floor 0.1): rows automatic k 0.263 -> 0.267 (k one higher), singles 0.127 -> 0.118 at k = 20,
#   0.117 -> 0.113 automatic.
# - Each term's TF-IDF weighted by how clustered its segments are in the sentence vectors (their mean
#   pairwise cosine over the corpus's, floor 0.01): rows 0.244 (the weight's square root: 0.269),
#   automatic k 0.232 (0.241); shrunk towards the median term for terms of few segments: 0.237. The
#   lexical block loses what it adds to the sentence vectors; the inverse weight (-0.5): 0.201.
# - The two blocks fused as neighbourhood graphs instead of joined as features (same protocol; each block
#   alone in this tree: rows 0.251 lexical, 0.203 sentence vectors). Similarity Network Fusion (Wang et
#   al. 2014, as SNFtool: per block the scaled exponential kernel with local scale from K neighbours,
#   width mu, cross-diffusion through each block's K-neighbour graph, 20 rounds), then average linkage
#   of the fused matrix, this tree's CSLS on it, or spectral (cluster_qr, k-means) at the same k. Rows
#   k = 20 / automatic k: K 20, mu 0.5: 0.245 / 0.237 average, 0.229 / 0.210 CSLS, 0.219 / 0.212
#   spectral; K 10: 0.254 / 0.248, 0.267 / 0.253, 0.236 / 0.223; K 10, CSLS, mu 0.3: 0.278 / 0.264 (the
#   best: equal), mu 0.8: 0.243 / 0.225; K 13 (the graph's count), mu 0.3: 0.265 / 0.250 average, 0.261
#   / 0.246 CSLS; K 5: 0.251-0.260; 3 rounds: 0.255. Fine: K 20 average 0.357 (mu 0.5), 0.358 (0.3),
#   CSLS 0.344; K 10 CSLS mu 0.3 0.285; K 30 (the graph's count) average mu 0.3 0.363 (this tree 0.355,
#   whole set 0.367 against 0.368, and 6x the time: 2,480 segments 25 s a fit against 4 s, dense n x n
#   matrices). No setting is ahead on both: the diffusion that helps 13-segment themes blurs 9-row ones.
#   Co-regularised spectral clustering (Kumar, Rai & Daume 2011, centroid; Gaussian kernel of median
#   width per block, 10 rounds), then k-means, cluster_qr + k-means or average linkage of U*: rows
#   0.213-0.250 at k = 20 (lambda 0.01, 0.05), 0.191-0.213 automatic k; fine 0.350 (whole set, average).
# 9,000 random segments of 812 dimensions, k = 300: 5.8 s (Ward's 19 s), 309 MB of condensed distances.
# A new round's finer subjects stay on Ward's tree (_rounds.py): comparable sizes matter there.
def _tree(features: np.ndarray, k: int, linkage: str = "csls", n_neighbors: int = 10) -> tuple[np.ndarray, str]:
    """(labels, method): k clusters cut from the average-linkage tree of locally scaled cosine
    distances (`_local_distances`), "csls"; with `linkage` "ward" from Ward's tree of the (unit)
    features, "ward"; "average" from the average-linkage tree of their plain cosine distances. Above
    TREE_PAIRS_MB (about 10,000 segments) fastcluster's vector version keeps memory linear, which
    builds Ward's tree only."""
    import fastcluster
    from scipy.cluster.hierarchy import fcluster

    x = np.ascontiguousarray(features, dtype=np.float64)
    n = len(x)
    if n * (n - 1) / 2 * 8 / 2**20 > TREE_PAIRS_MB:
        return fcluster(fastcluster.linkage_vector(x, method="ward"), t=k, criterion="maxclust"), "ward"
    if linkage == "ward":
        return fcluster(fastcluster.linkage(x, method="ward"), t=k, criterion="maxclust"), "ward"
    if linkage == "csls":
        tree = fastcluster.linkage(_local_distances(x, n_neighbors), method="average", preserve_input=False)
        return fcluster(tree, t=k, criterion="maxclust"), "csls"
    # the squared Euclidean distance of unit rows is twice their cosine distance: the same tree,
    # and a row without features (all zeros: no term in the vocabulary, no vector) is no NaN
    return fcluster(fastcluster.linkage(x, method="average", metric="sqeuclidean"), t=k, criterion="maxclust"), "average"


def _local_distances(x: np.ndarray, n_neighbors: int, chunk: int = 1024) -> np.ndarray:
    """Condensed distances 1 - cos(a, b) + (r(a) + r(b)) / 2, r = a segment's mean cosine to its
    `n_neighbors` nearest others (CSLS, Conneau et al. 2018), at least 0. Built a block of rows at a
    time, without the square matrix; rounded like the kNN graph, so last-bit noise breaks no tie."""
    n = len(x)
    m = max(1, min(n_neighbors, n - 1))
    near = np.empty(n)
    for start in range(0, n, chunk):
        sims = x[start:start + chunk] @ x.T
        local = np.arange(len(sims))
        sims[local, local + start] = -np.inf  # not oneself
        near[start:start + chunk] = -np.partition(-sims, m - 1, axis=1)[:, :m].mean(axis=1)
    out = np.empty(n * (n - 1) // 2)
    at = 0
    for start in range(0, n, chunk):
        sims = x[start:start + chunk] @ x[start:].T  # only the pairs to the right: the condensed half
        for offset, row in enumerate(sims):
            i = start + offset
            d = 1 - row[offset + 1:] + 0.5 * (near[i] + near[i + 1:])
            out[at:at + len(d)] = d
            at += len(d)
    return np.round(np.maximum(out, 0.0), 9)


def _modularity(graph, labels: np.ndarray) -> float:
    """Newman's modularity of a partition of the kNN graph: the documented criterion for k."""
    # Summed over the stored edges, not with a membership matrix: called for every candidate k on
    # every resample, that product took half the fit (the demo: 387 calls, 1.5 s).
    _, labels = np.unique(labels, return_inverse=True)
    rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    total = graph.data.sum()
    inside = graph.data[labels[rows] == labels[graph.indices]].sum()
    degree = np.bincount(labels, weights=np.asarray(graph.sum(axis=1)).ravel())
    return float(inside / total - ((degree / total) ** 2).sum())


def _modularity_curve(graph, candidates: list[int], rng, random_state: int) -> list[float]:
    """The modularity per candidate k on the graph less a random K_RESAMPLE_DROP of its segments."""
    keep = np.flatnonzero(rng.permutation(graph.shape[0]) >= round(K_RESAMPLE_DROP * graph.shape[0]))
    sub = graph[keep][:, keep]
    coords = _spectral_embedding(sub, max(candidates), random_state)
    return [_modularity(sub, _cluster_qr(coords[:, :k])) for k in candidates]


def _group_themes(centers: np.ndarray, n_groups) -> list[str]:
    """A coarser level: themes grouped by average-linkage clustering of their centres."""
    k = len(centers)
    if k < 4:
        return ["G1"] * k
    n = max(2, round(k / 3)) if n_groups == "auto" else max(1, min(int(n_groups), k))
    labels = AgglomerativeClustering(n, metric="cosine", linkage="average").fit_predict(centers)
    first_seen: dict[int, int] = {}
    for label in labels:  # number groups in order of their largest theme (themes are size-ordered)
        first_seen.setdefault(label, len(first_seen) + 1)
    return [f"G{first_seen[label]}" for label in labels]
