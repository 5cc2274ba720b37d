"""Coding statements under codebook mechanisms defined by example sentences (`examples:`).

The analyst's confirmed and new mechanisms reach the next round as example sentences (their
evidence, or the seeds they were defined from). A statement is coded under such a mechanism when
it is closer to one of its examples than chance allows in this corpus: the similarity is the one
the grouping uses (sentence embedding + content lemmas with compound parts, `_Blocks`), and the cut
is learnt from the corpus at hand: the similarity that a random statement reaches with the closest
of k examples in `CHANCE` of cases, estimated from pairs of statements of different cases (the
(1 - CHANCE / k) quantile of their similarities). A statement that passes for several mechanisms
goes to the closest. No word list, no fixed threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import MechanismConfig, NlpConfig
from ...language import encode, parse
from ...schema import segments_from_rows
from ._codebook import MechanismCodebook

__all__ = ["code_by_examples", "CHANCE"]

CHANCE = 0.005  # the share of unrelated statements allowed to pass a mechanism's cut
_SAMPLE = 600  # statements sampled for the corpus's pair similarities (up to 180,000 pairs)


def _content_lemmas(texts: list[str], nlp_cfg: NlpConfig) -> list[list[str]]:
    """The examples' content lemmas, by the same NLP and rule as the candidate statements."""
    rows = [{"segment_id": f"voorbeeld:{i:04d}", "doc_id": "voorbeelden", "index": i, "kind": "paragraph",
             "start_char": 0, "end_char": len(t), "text": t, "analysed": True} for i, t in enumerate(texts)]
    _, tokens = parse(segments_from_rows(rows), nlp_cfg)
    content = tokens[tokens["is_alpha"].astype(bool) & ~tokens["is_stop"].astype(bool)
                     & (tokens["lemma"].str.len() >= 3)]
    by_row = content.groupby("segment_id")["lemma"].agg(list).to_dict()
    return [by_row.get(r["segment_id"], []) for r in rows]


def _own_cut(blocks, rows: np.ndarray) -> float:
    """The similarity an earlier round's mechanism asks of a statement (--compare-with): that of
    the loosest of its evidence sentences (`rows`) to the closest other one, so a statement joins
    it when it is as close to its evidence as that evidence is to itself. Chance alone (the cut of
    `code_by_examples`) lets a mechanism about parents and language take most statements about
    parents and language in a corpus about both."""
    if len(rows) < 2:
        return -np.inf
    sims = blocks.similarity(rows, rows)
    np.fill_diagonal(sims, -np.inf)
    return float(sims.max(axis=1).min())


def code_by_examples(statements: pd.DataFrame, vectors: np.ndarray | None, codebook: MechanismCodebook,
                     cfg: MechanismConfig, nlp_cfg: NlpConfig, embed_cfg=None) -> pd.Series:
    """Per statement the id of the example-defined codebook mechanism it is coded under ("" for
    none); a rejected (dropped) mechanism's id when it is closest to one of those."""
    from ._grouping import _Blocks

    out = pd.Series("", index=statements.index, dtype=object)
    families = [f for f in codebook.families + codebook.rejected if f.examples]
    n = len(statements)
    if not families or n < 2:
        return out
    texts = [e for f in families for e in f.examples]
    owner = np.array([k for k, f in enumerate(families) for _ in f.examples])
    frame = pd.DataFrame({"lemmas": list(statements["lemmas"]) + _content_lemmas(texts, nlp_cfg)})
    stacked = None
    if vectors is not None and embed_cfg is not None and getattr(embed_cfg, "backend", "none") != "none":
        stacked = np.vstack([np.asarray(vectors, dtype=np.float64), encode(texts, embed_cfg)])
    blocks = _Blocks(frame, stacked, cfg)
    sims = blocks.similarity(np.arange(n), np.arange(n, n + len(texts)))  # statements x examples

    # the corpus's pair similarities: statements of different cases, a fixed sample
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(n, min(n, _SAMPLE), replace=False))
    pair = blocks.similarity(sample, sample)
    cases = statements["case"].to_numpy()[sample]
    background = pair[np.triu(cases[:, None] != cases[None, :], k=1)]
    if not len(background):
        return out
    best_score = np.full(n, -np.inf)
    best = np.full(n, -1)
    for k, family in enumerate(families):
        score = sims[:, owner == k].max(axis=1)
        cut = float(np.quantile(background, 1.0 - CHANCE / len(family.examples)))
        if family.earlier_round:  # and as close as its own evidence was to itself
            cut = max(cut, _own_cut(blocks, n + np.flatnonzero(owner == k)))
        passes = (score > cut) & (score > best_score)
        best_score[passes], best[passes] = score[passes], k
    coded = best >= 0
    out.iloc[np.flatnonzero(coded)] = [families[k].id for k in best[coded]]
    return out
