"""Coding statements under codebook mechanisms defined by example sentences (`examples:`).

The analyst's confirmed and new mechanisms reach the next round as example sentences (their
evidence, or the seeds they were defined from). A statement is coded under such a mechanism when
it is closer to one of its examples than chance allows in this corpus: the similarity is the one
the grouping uses (sentence embedding + content lemmas with compound parts, `_Blocks`), and the cut
is learnt from the corpus at hand: the similarity that a random statement reaches with the closest
of k examples in `CHANCE` of cases, estimated from pairs of statements of different cases (the
(1 - CHANCE / k) quantile of their similarities). A statement that passes for several mechanisms
goes to the closest. No word list, no fixed threshold.

Two mechanisms ask more. One the earlier round found (--compare-with) asks a statement to be as
close to its evidence as that evidence is to itself (`_own_cut`). One the analyst defined from a
few seeds, which are near-identical and give no spread to learn such a bar from, asks it to share
the seeds' distinctive content: the idf-weighted lemmas it shares with an example (idf over this
round's statements, so the genre's frame words, "minister", "vraag", "antwoord" in written answers,
weigh little) must pass the same chance cut as the similarity, learnt from the same pairs
(`_Distinctive`). Chance alone let 29 fragments in, of which about half shared only the frame.
So does the analyst's seeded mechanism in a codebook the analyst passes (--mechanism-codebook,
its source "nieuw door analist"); the confirmed and merged ones there, whose examples are found
evidence, keep the chance cut alone (the overlap cut took the merged "no figures kept" mechanism
from 25 statements to 2 on the Kamer answers: its evidence says it in many words).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import MechanismConfig, NlpConfig
from ...language import encode, parse, with_compound_parts
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


class _Distinctive:
    """The idf-weighted lemma overlap of statements with examples: the sum of the idf (over this
    round's statements, with compound parts, as the lexical block) of the lemmas both name."""

    def __init__(self, statement_lemmas: list, example_lemmas: list):
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        vec = CountVectorizer(analyzer=lambda x: x, binary=True)
        try:
            rows = vec.fit_transform([with_compound_parts(list(ls)) for ls in statement_lemmas]).tocsr()
            examples = vec.transform([with_compound_parts(list(ls)) for ls in example_lemmas]).tocsr()
        except ValueError:  # empty vocabulary: nothing shared
            rows = sparse.csr_matrix((len(statement_lemmas), 1))
            examples = sparse.csr_matrix((len(example_lemmas), 1))
        idf = np.log(max(rows.shape[0], 1) / np.maximum(np.asarray(rows.sum(axis=0)).ravel(), 1))
        self.weighted, self.rows, self.examples = rows @ sparse.diags(idf), rows, examples

    def with_examples(self) -> np.ndarray:
        """Statements x examples."""
        return (self.weighted @ self.examples.T).toarray()

    def among(self, sample: np.ndarray) -> np.ndarray:
        """Statements `sample` x themselves."""
        return (self.weighted[sample] @ self.rows[sample].T).toarray()


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
    shared = _Distinctive(list(statements["lemmas"]), list(frame["lemmas"].iloc[n:]))
    overlap = shared.with_examples()

    # the corpus's pair similarities and overlaps: statements of different cases, a fixed sample
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(n, min(n, _SAMPLE), replace=False))
    cases = statements["case"].to_numpy()[sample]
    apart = np.triu(cases[:, None] != cases[None, :], k=1)
    background, background_overlap = blocks.similarity(sample, sample)[apart], shared.among(sample)[apart]
    if not len(background):
        return out
    best_score = np.full(n, -np.inf)
    best = np.full(n, -1)
    for k, family in enumerate(families):
        score = sims[:, owner == k].max(axis=1)
        level = 1.0 - CHANCE / len(family.examples)
        passes = score > float(np.quantile(background, level))
        if family.earlier_round and not family.seeded:  # and as close as its own evidence was to itself
            passes &= score > _own_cut(blocks, n + np.flatnonzero(owner == k))
        elif family.seeded:  # the analyst's seeds: and sharing more of their distinctive content than chance
            passes &= overlap[:, owner == k].max(axis=1) > float(np.quantile(background_overlap, level))
        passes &= score > best_score
        best_score[passes], best[passes] = score[passes], k
    coded = best >= 0
    out.iloc[np.flatnonzero(coded)] = [families[k].id for k in best[coded]]
    return out
