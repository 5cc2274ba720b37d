"""Grouping candidate statements into recurring mechanisms (the estimator `MechanismFinder`).

Inductive (always): the statements are clustered (average linkage, cosine distance <=
cfg.distance_threshold) on L2-normalised, weighted blocks: the sentence embedding and the content
lemmas (TF-IDF), the same with or without a codebook. A codebook's concepts are topics ("taal",
"school", "project"): grouping on them gives topical catch-alls (with the report's codebook, 244
demo statements on language in one group).
Deductive (only with a codebook the analyst passed): a problem statement that relates a core and a
partner concept of a codebook mechanism is coded under it first; the rest is grouped as above,
so mechanisms the codebook does not know still surface. Groups from two or more cases whose
centres lie within the same distance are then joined (closest first): average linkage leaves
paraphrase fragments of one concern apart ("het tolkenbudget volstaat niet" / "het budget voor
sociaal tolken is te krap"). A second reading (cfg.weight_claim > 0) groups the statements no
reported group holds again with what each says of its subject as a third block (its lemmas from
the first verb on, names left out): the same claim about different things ("… is een
bevoegdheid van de deelstaten" / "… behoort tot de bevoegdheden van de Gewesten"), which the
subjects' words keep apart in the first; its groups are judged alike, must be problems for most
of their members and say more than one word alike, and one that makes the same claim as a group
of the first reading is joined to it (_claim_reading). Then each inductive group that affirms keeps
as evidence only the members that say one of its claim words (_unsaid: what most members say of
their subjects, beyond chance; a join adds members no screen has read together).

A group is reported when its statements come from >= cfg.min_cases cases, no case holds more
than cfg.max_share_per_case of them (an inductive group's dominant case is first cut to what that
share allows, its statements closest to the other cases kept, and the cut group is judged: _balanced),
it crosses >= cfg.min_themes themes, and (inductive) >= cfg.min_problem_share of its statements are
problem statements, they share more than a frame or
filler, more than one word and more than a topic's name (_not_a_mechanism: a group on
"maatregelen" or "de Europese richtlijnen" alone is a topic, not a claim), most of them say something
a statement from another case says too (_says_alike: a verb or predicate, not only a shared noun or
name), they do not stand in nearly the same surroundings (_Contexts: one question answered
alike in every case), and most of them have a main clause (_stating: the shipped dependency
parser, on these groups' statements only; a list of signs whose verbs all sit in relative clauses
is not reported). When most of a group's claims are about one subject, a member that says the
frame of something unrelated is not evidence (_on_subject: the same parse reads each claim's
subject), nor is a member that does not say the group's denial or denies its affirmation
(_off_claim: "… hebben geen betrekking op …" beside "Er worden geen statistieken bijgehouden").
Statements that address or name a person, or in which the speaker tells about
themselves, are not grouped (_speech). Every candidate group's reason for not being reported is
counted (REASONS). A group that passes counts only its evidence: members that say alike with a
statement of another case or stand close to them (_evidence); its cases and themes are counted
again on those. Identical sentences, in one case or several, count once; a long sentence with
(nearly) the same content words in min_cases or more cases is a template (a standard answer, a
form's wording) and left out. Groups are numbered M01, M02, … by spread over cases, then over
themes, then cohesion, then size.

Per mechanism: a Dutch label that states it (a codebook mechanism's label, else the opening words
of its most central statement with a main clause, which says the dynamic in the speakers' words),
its most distinctive lemmas (class-based TF-IDF, as the themes are labelled), the cases, themes and
sessions it crosses, front line vs management, a quote per case (its most central statement
there) and a spread score (n_cases / all cases) with the normalised entropy of its statements
over cases.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import binom, entropy
from sklearn.base import BaseEstimator
from sklearn.preprocessing import normalize

from ...config import MechanismConfig
from ...language import encode, with_compound_parts
from ...schema import TABLES, cell_items
from .._statement_functions import NEGATIONS, STRICT_NEGATIONS
from ..themes import FILLER, ctfidf
from ._candidates import PROBLEM_FUNCTIONS
from ._codebook import ROUND, MechanismCodebook
from ._syntax import Clause, clauses

__all__ = ["MechanismFinder", "Group", "find_recurring", "MECHANISM_COLUMNS", "EVIDENCE_COLUMNS"]


def _tfidf(lemma_lists: pd.Series, n: int):
    """Sublinear TF-IDF rows (L2-normalised) of lemma lists, with their compound parts, as the themes
    do: "tolkenbudget" meets "budget voor tolken"."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=lambda x: x, min_df=2, sublinear_tf=True)
    try:
        return vec.fit_transform([with_compound_parts(list(ls)) for ls in lemma_lists]).tocsr()
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((n, 1))


class _Blocks:
    """The statements' feature blocks (embedding, lemma TF-IDF), each row L2-normalised and
    weighted. Similarities are computed block by block, as if the weighted blocks were stacked into
    one L2-normalised vector, without building that dense matrix: the TF-IDF block stays sparse, so
    memory and time grow with the number of statement pairs, not with the vocabulary too."""

    def __init__(self, statements: pd.DataFrame, vectors: np.ndarray | None, cfg: MechanismConfig,
                 claim: bool = False):
        from scipy import sparse

        n = len(statements)
        blocks, weights = [], []
        if vectors is not None and len(vectors) and cfg.weight_embedding > 0:
            blocks.append(normalize(np.asarray(vectors, dtype=np.float64)))
            weights.append(cfg.weight_embedding)
        # `claim`: the second reading, with what each statement says of its subject as a third block
        for column, weight in (("lemmas", cfg.weight_lexical), ("claim_lemmas", cfg.weight_claim if claim else 0)):
            if weight > 0 and column in statements:
                blocks.append(_tfidf(statements[column], n))
                weights.append(weight)
        total = sum(weights) or 1.0
        self.blocks = blocks
        self.weights = [w / total for w in weights]
        present = np.zeros(n)
        for w, b in zip(self.weights, blocks):
            nonzero = (b.getnnz(axis=1) > 0) if sparse.issparse(b) else (np.abs(b).sum(axis=1) > 0)
            present += w * nonzero
        self.norm = np.sqrt(present)  # norm of a row of the stacked weighted blocks
        # a statement with nothing to compare stays on its own (cosine needs a direction)
        self.empty = self.norm == 0

    def similarity(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cosine similarity of the statements `rows` to the statements `cols`, shape (rows, cols)."""
        from scipy import sparse

        out = np.zeros((len(rows), len(cols)))
        for w, b in zip(self.weights, self.blocks):
            part = b[rows] @ b[cols].T
            out += w * (part.toarray() if sparse.issparse(part) else part)
        norm_r, norm_c = self.norm[rows], self.norm[cols]
        out /= np.outer(np.where(norm_r == 0, 1, norm_r), np.where(norm_c == 0, 1, norm_c))
        same = rows[:, None] == cols[None, :]
        out[same & self.empty[rows][:, None]] = 1.0
        return out

    def member_gram(self, groups: list[np.ndarray]) -> np.ndarray:
        """Dot products of the groups' member sums (sum of members' stacked unit vectors), (g, g)."""
        from scipy import sparse

        n = len(self.norm)
        rows = np.concatenate([np.full(len(g), k) for k, g in enumerate(groups)])
        cols = np.concatenate(groups)
        scale = np.where(self.norm == 0, 0.0, 1.0 / np.where(self.norm == 0, 1, self.norm))
        membership = sparse.csr_matrix((scale[cols], (rows, cols)), shape=(len(groups), n))
        gram = np.zeros((len(groups), len(groups)))
        for w, b in zip(self.weights, self.blocks):
            sums = membership @ b  # stays sparse for the TF-IDF block
            product = sums @ sums.T
            gram += w * (product.toarray() if sparse.issparse(product) else np.asarray(product))
        return gram

    def condensed_distances(self, rows: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """1 - similarity among `rows`, in scipy's condensed (upper triangle) form."""
        n = len(rows)
        out = np.empty(n * (n - 1) // 2)
        at = 0
        for lo in range(0, n, chunk):
            sims = self.similarity(rows[lo:lo + chunk], rows)
            for i in range(lo, min(lo + chunk, n)):
                part = 1.0 - sims[i - lo, i + 1:]
                out[at:at + len(part)] = part
                at += len(part)
        return np.clip(out, 0.0, 2.0)


MECHANISM_COLUMNS = list(TABLES["mechanisms"].columns)
EVIDENCE_COLUMNS = list(TABLES["mechanism_evidence"].columns)


def _entropy(counts: list[int]) -> float:
    """Entropy of the statements over their cases, divided by its maximum log(n cases): 0..1.
    (scipy's entropy differs from the hand-written sum in the last bits only: rounded to 4
    decimals, as written, the same on 200,000 random count lists.)"""
    return float(entropy(counts) / math.log(len(counts))) if len(counts) >= 2 else 0.0


def _merge_fragments(groups: list[np.ndarray], blocks: "_Blocks", cases: np.ndarray,
                     threshold: float) -> list[np.ndarray]:
    """Join groups from more than one case whose centres are within `threshold` cosine distance.

    Average linkage compares every statement with every other, so two tight groups that say the
    same thing in other words ("het tolkenbudget volstaat niet" / "het budget voor sociaal tolken
    is te krap") can stay apart although their centres nearly coincide. Closest pair first (a
    merged centre is the mean of all its members), until no pair is close enough; a join is
    refused when the mean similarity over all member pairs of the result would fall below
    1 - threshold. Ties go to the earlier groups, so the result is deterministic."""
    multi = [g for g in groups if len(set(cases[g])) >= 2]
    rest = [g for g in groups if len(set(cases[g])) < 2]
    if len(multi) < 2:
        return groups
    # Gram matrix of the groups' member sums: a merge adds two rows and columns, and only the merged
    # group's similarities change, so a merge costs one pass over the similarity matrix
    gram = blocks.member_gram(multi)
    norms = np.sqrt(np.maximum(np.diag(gram), 1e-24))
    sims = np.round(gram / np.outer(norms, norms), 9)
    np.fill_diagonal(sims, -np.inf)
    alive = np.ones(len(multi), dtype=bool)
    while True:
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < 1.0 - threshold:
            break
        i, j = min(i, j), max(i, j)
        # the joined group must stay as tight as the cut asks of any pair, on average over all
        # its members: without this, centres drift and topical catch-alls grow on long corpora
        size = len(multi[i]) + len(multi[j])
        if (gram[i, i] + 2 * gram[i, j] + gram[j, j]) / size ** 2 < 1.0 - threshold:
            sims[i, j] = sims[j, i] = -np.inf
            continue
        multi[i] = np.sort(np.concatenate([multi[i], multi[j]]))
        gram[i, :] += gram[j, :]
        gram[:, i] += gram[:, j]
        alive[j] = False
        norms[i] = np.sqrt(max(gram[i, i], 1e-24))
        row = np.round(gram[i] / (norms[i] * norms), 9)
        row[~alive] = -np.inf
        row[i] = -np.inf
        sims[i, :] = row
        sims[:, i] = row
        sims[j, :] = -np.inf
        sims[:, j] = -np.inf
    kept = [g for g, a in zip(multi, alive) if a]
    return sorted(kept + rest, key=lambda g: int(g[0]))


@dataclass
class Group:
    """One reported group of statements, before it is numbered and written as a mechanism."""

    rows: np.ndarray  # its rows in the statements the finder kept (`statements_`), ascending
    members: pd.DataFrame  # those statements
    case_counts: Counter  # statements per case
    themes: list[str]  # the theme ids it crosses, sorted
    similarity: np.ndarray  # each member's cosine to the group's mean vector
    cohesion: float  # the mean of `similarity`
    source: str  # "codeboek" (deductive, a codebook mechanism), "analist" (a codebook mechanism by examples),
    # "vorige ronde" (a mechanism of the earlier round, by its evidence as examples) or "inductief"
    family: str  # the codebook mechanism's id; "" for an inductive group
    label: str = ""  # the codebook mechanism's label; "" for an inductive group
    stating: np.ndarray | None = None  # per member: has a main clause (_stating; None: not parsed)

    def rank(self) -> tuple:
        """Spread over cases, then over themes, then cohesion, then size; ties by first statement:
        deterministic numbering."""
        return (-len(self.case_counts), -len(self.themes), -round(self.cohesion, 3), -len(self.rows),
                int(self.rows[0]))


class MechanismFinder(BaseEstimator):
    """Recurring mechanisms from candidate statements (see candidate_statements).

    Deductive first, only with a `codebook`: statements that relate two concepts of a codebook
    mechanism are grouped under it. Inductive next: the other statements are clustered (average
    linkage, cosine distance <= cfg.distance_threshold on embedding + lemma features, as without
    a codebook), and fragments with nearly the same centre are joined (_merge_fragments). Either
    kind of group is reported when it recurs in >= cfg.min_cases cases, no case holds more than
    cfg.max_share_per_case of it, and it crosses >= cfg.min_themes themes; inductive groups must
    also be cohesive (>= cfg.min_cohesion), mostly problem statements (>= cfg.min_problem_share),
    share more than one noun and not stand in nearly the same surroundings (cfg.context_quantile).
    With `embed` (the run's EmbedConfig) the claims' subjects are also compared by their vectors
    (_on_subject); without it by their lemmas only.

    Learned by `fit`: `statements_` (the statements, a sentence repeated within one case kept
    once, template sentences left out), `n_templates_` (how many), `n_candidates_` (groups of two
    or more statements from two or more cases that were judged), `rejected_` (per REASONS code, how
    many of those were not reported), `left_out_` (per SPEECH code, statements not grouped from the
    notes: meeting talk, the speaker's own story), `groups_` (the reported
    `Group`s in M01, M02, … order), `mechanisms_` and `evidence_` (the mechanisms.csv and
    mechanism_evidence.csv tables)."""

    def __init__(self, cfg: MechanismConfig = MechanismConfig(), codebook: MechanismCodebook | None = None,
                 embed=None):
        self.cfg = cfg
        self.codebook = codebook
        self.embed = embed  # EmbedConfig: claims' subjects compared by their vectors too (_on_subject); None: lemmas only

    def fit(self, statements: pd.DataFrame, vectors: np.ndarray | None = None,
            all_cases: list[str] | None = None) -> "MechanismFinder":
        """`vectors`: the statements' sentence embeddings, row-aligned (None = lemmas only).
        `all_cases`: every case of the corpus, for the spread (default: the statements')."""
        cfg = self.cfg
        self.statements_, vectors, self.n_templates_ = _drop_repeats(statements, vectors, cfg.min_cases)
        self.groups_, self.n_candidates_, self.rejected_, self.left_out_ = [], 0, {}, {}
        if len(self.statements_) >= max(2, cfg.min_cases):
            statements = self.statements_
            blocks = _Blocks(statements, vectors, cfg)
            contexts = _Contexts(statements, cfg.context_quantile)
            coded, rest = _codebook_groups(statements, cfg, self.codebook)
            rest, self.left_out_ = _speech(statements, rest)
            has_themes = bool((statements["theme_id"].fillna("") != "").any())  # no theme model: nothing to cross
            judge = (statements, contexts, cfg, has_themes, self.embed)
            found = coded + _inductive_groups(statements, rest, blocks, cfg)
            judged = _judge(found, blocks, *judge)
            if cfg.weight_claim > 0 and "claim_lemmas" in statements:
                judged = _claim_reading(statements, vectors, rest, judged, judge, {tuple(g[-1]) for g in found})
            self.n_candidates_ = len(judged)
            self.rejected_ = dict(sorted(Counter(r for r in judged if isinstance(r, str)).items(),
                                         key=lambda kv: list(REASONS).index(kv[0])))
            self.groups_ = sorted((g for g in judged if isinstance(g, Group)), key=Group.rank)
        if all_cases is None:
            all_cases = sorted(set(self.statements_["case"]))
        self.mechanisms_, self.evidence_ = _tables(self.groups_, cfg, len(all_cases))
        return self


def _judge(found: list, blocks: "_Blocks", statements: pd.DataFrame, contexts: "_Contexts", cfg: MechanismConfig,
           has_themes: bool, embed) -> list:
    """Per candidate group of `found` that recurs at all (_recurs): the reported `Group`, or the
    REASONS code it is not reported for, judged on the similarities of `blocks`."""
    judged = [_reported(statements, blocks, contexts, cfg, has_themes, *g) for g in found if _recurs(statements, g[-1])]
    parsed = _parse(judged)
    return _on_subject(statements, blocks, cfg, has_themes, _stating(judged, parsed), parsed, embed)


def _claim_reading(statements: pd.DataFrame, vectors: np.ndarray | None, rest: np.ndarray, judged: list,
                   judge: tuple, seen: set[tuple]) -> list:
    """`judged` (the first reading) with the second reading's judged groups added, and the groups
    of both that make the same claim joined (_join_same_claims). The second reading: the
    statements `rest` that no group of the first reading reports, grouped with what they say of
    their subjects as a third block (_Blocks(claim=True)):
    the same claim about different things ("… is een bevoegdheid van de deelstaten" / "… behoort
    tot de bevoegdheden van de Gewesten"), which the first reading keeps apart on the subjects'
    words. Judged as the first reading's groups are, and (_said_alike) as only what they say holds
    them together, it must be a problem for most of them (more than half, not half: "… is in
    werking getreden op 1 juli" is procedure, whatever a stray "door" in one member makes of it)
    and more than one word. A group of two cases that passes every other screen is a fragment
    (_second_judged): reported only as part of a group it joins that recurs in cfg.min_cases."""
    cfg, has_themes = judge[2], judge[3]
    first = [g for g in judged if isinstance(g, Group)]
    taken = np.concatenate([g.rows for g in first] + [np.array([], dtype=int)])
    blocks = _Blocks(statements, vectors, cfg, claim=True)
    found = _inductive_groups(statements, np.setdiff1d(rest, taken), blocks, cfg)
    second, again = _second_judged(found, blocks, judge, seen)
    joined = _join_same_claims([g for g in first if g.source == "inductief"],
                               [g for g in second if isinstance(g, Group)] + again, statements, blocks, cfg)
    # a fragment joined to none recurs in too few cases (counted once: the first reading counted `again`)
    second += ["te_weinig_cases" for g in joined
               if len(g.case_counts) < cfg.min_cases and not any(g is a for a in again)]
    joined = [g for g in joined if len(g.case_counts) >= cfg.min_cases]
    said = _claim_counts(statements)  # once: every joined group is weighed against all statements
    unsaid = [_unsaid(g.members, statements, said) for g in joined]
    joined = [_regroup(statements, blocks, cfg, has_themes, g, ~off) if off.any() else g
              for g, off in zip(joined, unsaid)]
    return ([g for g in judged if not isinstance(g, Group) or g.source != "inductief"] + joined
            + [g for g in second if not isinstance(g, Group)])


def _second_judged(found: list, blocks: "_Blocks", judge: tuple, seen: set[tuple]) -> tuple[list, list]:
    """Per group of the second reading that recurs at all: the Group (_said_alike) or why it is not
    reported; and apart, the fragments among the groups the first reading judged already (`seen`:
    their member rows; judged and counted there). Each is judged as a fragment, two cases
    sufficing: a paraphrase of a reported claim may be left in two cases when the first reading
    took a member ("We beschikken dus niet over statistieken" / "Bij mijn weten beschikken we niet
    over … statistieken" lost "De administratie beschikt niet over deze cijfers" to the
    administration's group) and still say what a reported group says; _claim_reading reports a
    fragment only joined to a group that recurs. Every screen but the spread holds for it; one
    rejected is counted as too few cases, as it would be were it not judged as a fragment."""
    statements, contexts, cfg, *rest = judge
    fragments = replace(cfg, min_cases=min(cfg.min_cases, 2))
    recurring = [g for g in found if _recurs(statements, g[-1])]
    judged = [_said_alike(g) for g in _judge(recurring, blocks, statements, contexts, fragments, *rest)]
    out, again = [], []
    for g, (*_, rows) in zip(judged, recurring):
        small = statements["case"].iloc[rows].nunique() < cfg.min_cases
        if tuple(rows) not in seen:
            out.append(g if isinstance(g, Group) or not small else "te_weinig_cases")
        elif isinstance(g, Group) and len(g.case_counts) < cfg.min_cases:
            again.append(g)
    return out, again


def _said_alike(g: "Group | str") -> "Group | str":
    """A group of the second reading, or why it is not reported: what holds it together is what its
    statements say, so that must be a problem for most of them (more than half; else
    "geen_dynamiek") and be more than one word most of them say, a denial counting as one (else
    "een_woord": "… zit vol voor het jaar begint" beside "Met klare taal zijn we begonnen, maar …"
    share "beginnen" only)."""
    if not isinstance(g, Group):
        return g
    members = g.members
    if not _most(int(members["problem"].astype(bool).sum()), len(members)):
        return "geen_dynamiek"
    said = Counter(w for lemmas in members["claim_lemmas"] for w in set(lemmas) if w not in FILLER)
    # a denial most of them make is part of what they say: "… beschikt niet over de cijfers" and
    # "We beschikken niet over statistieken" deny the same, not only name "beschikken"
    said["niet"] = sum(_denies(t) for t in members["text"])
    return g if sum(_most(n, len(members)) for n in said.values()) >= 2 else "een_woord"


def _denies(text: str, negations: frozenset[str] = STRICT_NEGATIONS) -> bool:
    """Whether a statement has a strict negation (STRICT_NEGATIONS: "niet", "geen", …), or one of
    `negations`."""
    return bool(negations & set(re.findall(r"\w+", str(text).lower())))


def _join_same_claims(first: list["Group"], second: list["Group"], statements: pd.DataFrame, blocks: "_Blocks",
                      cfg: MechanismConfig) -> list["Group"]:
    """The inductive groups of both readings, a group of the second joined to one that makes the
    same claim (of either reading: centres and members as close as _merge_fragments asks, on what
    they say of their subjects): "De vraag behoort tot de bevoegdheid van mijn collega, de minister
    van Justitie" and "… valt onder bevoegdheid van de minister van Energie" are one mechanism,
    found in two pieces. Groups of the first reading are never joined to each other."""
    groups = first + second
    merged = _merge_fragments([g.rows for g in groups], blocks, statements["case"].to_numpy(),
                              cfg.distance_threshold)
    by_rows = {tuple(g.rows): g for g in groups}
    out = []
    for rows in merged:
        if tuple(rows) in by_rows:
            out.append(by_rows[tuple(rows)])
            continue
        parts = [g for g in groups if np.isin(g.rows, rows).all()]
        if sum(any(g is f for f in first) for g in parts) > 1:  # two findings of the first reading stay apart
            out += parts
            continue
        members = statements.iloc[rows]
        sims = _centrality(blocks, rows)
        stating = None if any(g.stating is None for g in parts) else np.concatenate(
            [g.stating for g in parts])[np.argsort(np.concatenate([g.rows for g in parts]), kind="stable")]
        out.append(Group(rows, members, Counter(members["case"]), sorted({t for t in members["theme_id"] if t}),
                         sims, float(sims.mean()), "inductief", "", "", stating))
    return out


# Statements that are not grouped from the notes at all: what they say is about the meeting or
# the speaker, not how things go (marks set by candidate_statements).
SPEECH = {
    "vergadertaal": "spreekt iemand aan of gaat over een bepaalde persoon (vergadertaal, een anekdote)",
    "eerste_persoon": "de spreker vertelt over zichzelf: een anekdote of de eigen functie",
}


def _speech(statements: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
    """The rows that may be grouped inductively, and per SPEECH code how many were left out."""
    out, left = rows, {}
    for code, column in (("vergadertaal", "addressed"), ("eerste_persoon", "first_person")):
        if column in statements:
            flagged = statements[column].astype(bool).to_numpy()[out]
            if flagged.any():
                left[code] = int(flagged.sum())
            out = out[~flagged]
    return out, left


def _recurs(statements: pd.DataFrame, idx: np.ndarray) -> bool:
    """A candidate group: at least two statements from at least two cases (what recurs at all)."""
    return len(idx) >= 2 and statements["case"].iloc[idx].nunique() >= 2


def find_recurring(statements: pd.DataFrame, segments: pd.DataFrame, cfg: MechanismConfig = MechanismConfig(),
                   vectors: np.ndarray | None = None, all_cases: list[str] | None = None,
                   codebook: MechanismCodebook | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mechanisms, evidence) of `MechanismFinder(cfg, codebook).fit(...)`; the spread counts every
    case of `segments` unless `all_cases` is given."""
    finder = MechanismFinder(cfg, codebook).fit(
        statements, vectors, all_cases if all_cases is not None else corpus_cases(segments))
    return finder.mechanisms_, finder.evidence_


def corpus_cases(segments: pd.DataFrame) -> list[str] | None:
    """Every case of the corpus (for a mechanism's spread), None when the segments name none."""
    return sorted(set(segments["case"])) if "case" in segments else None


TEMPLATE_WORDS = 8  # content words of the shortest sentence that can be a template
# Two long sentences are one template reworded when this share of the shorter one's content words
# is in the other: a standard answer keeps its words when a pronoun or a noun is swapped ("Gezien
# het louter documentaire karakter van de bijlage / ervan ...").
TEMPLATE_OVERLAP = 0.8


def _drop_repeats(statements: pd.DataFrame, vectors: np.ndarray | None,
                  min_cases: int) -> tuple[pd.DataFrame, np.ndarray | None, int]:
    """The same sentence twice (a written answer pasted under two questions, one question sent
    verbatim to three ministries) counts once, in the first case that has it, whether the copies
    come from one case or several: copies are a repeat, not the same dynamic found again
    (identical after folding case, punctuation and spaces). A long sentence (TEMPLATE_WORDS
    content words or more) said with (nearly) the same content words in `min_cases` or more cases
    is a template (a standard answer, a form's wording: "Gezien het louter documentaire karakter
    ervan …"), not a finding: left out, and
    counted (the third value); nearly: see _templates. A short one said alike, in other words, in
    several cities ("Taal blijft een grote drempel" / "taal is een drempel") is a finding."""
    statements = statements.reset_index(drop=True)
    folded = statements["text"].str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    first = ~folded.duplicated().to_numpy()
    template = _templates(statements["lemmas"].tolist(), statements["case"].to_numpy(), max(min_cases, 2))
    keep = first & ~template
    return (statements[keep].reset_index(drop=True), (np.asarray(vectors)[keep] if vectors is not None else None),
            int(template.sum()))


def _templates(lemmas: list[list[str]], cases: np.ndarray, min_cases: int, chunk: int = 2048) -> np.ndarray:
    """Which statements are templates: long ones whose near-identical versions come from
    `min_cases` cases or more. Near-identical: TEMPLATE_OVERLAP of the content words of the
    shorter of the two in the other (so a standard sentence glued to the next one by a missing
    space still counts); direct pairs only, no chains, so two different sentences that each
    resemble a third are not joined."""
    from scipy import sparse
    from sklearn.preprocessing import MultiLabelBinarizer

    n = len(lemmas)
    long = np.flatnonzero([len(set(ls)) >= TEMPLATE_WORDS for ls in lemmas])
    out = np.zeros(n, dtype=bool)
    if len(long) < min_cases:
        return out
    x = MultiLabelBinarizer(sparse_output=True).fit_transform([set(lemmas[i]) for i in long]).tocsr().astype(np.float32)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    case_codes, _ = pd.factorize(pd.Series(cases[long]))
    in_case = sparse.csr_matrix((np.ones(len(long)), (np.arange(len(long)), case_codes)))
    for lo in range(0, len(long), chunk):  # shared words of each pair, a block of rows at a time
        shared = (x[lo:lo + chunk] @ x.T).tocoo()
        close = shared.data >= TEMPLATE_OVERLAP * np.minimum(sizes[shared.row + lo], sizes[shared.col])
        near = sparse.csr_matrix((np.ones(close.sum()), (shared.row[close], shared.col[close])),
                                 shape=(shared.shape[0], len(long)))
        n_cases = ((near @ in_case) > 0).sum(axis=1).A.ravel()  # each row is its own near copy
        out[long[lo:lo + chunk][n_cases >= min_cases]] = True
    return out


def _codebook_groups(statements: pd.DataFrame, cfg: MechanismConfig, codebook: MechanismCodebook | None
                     ) -> tuple[list[tuple[str, str, str, np.ndarray]], np.ndarray]:
    """(("codeboek", id, label, member rows) per codebook mechanism that codes statements, the rows
    none coded); without a codebook, no groups and every row."""
    if codebook is None:
        return [], np.arange(len(statements))
    families = statements["concepts"].map(codebook.family_of)
    if cfg.codebook_needs_problem:  # "het stropt": a codebook mechanism is something going wrong
        families = families.where(statements["problem"].astype(bool), "")
    if "example_family" in statements:  # coded by similarity to the examples of an analyst's mechanism
        families = families.where(statements["example_family"] == "", statements["example_family"])
    groups = []
    for family in codebook.families:
        idx = np.flatnonzero((families == family.id).to_numpy())
        if len(idx):
            source = ROUND if family.earlier_round else "analist" if family.examples else "codeboek"
            groups.append((source, family.id, family.label, idx))
    return groups, np.flatnonzero((families == "").to_numpy())


def _inductive_groups(statements: pd.DataFrame, rest: np.ndarray, blocks: _Blocks,
                      cfg: MechanismConfig) -> list[tuple[str, str, str, np.ndarray]]:
    """("inductief", "", "", member rows) per group of the statements `rest` (those no codebook
    mechanism coded)."""
    import fastcluster
    from scipy.cluster.hierarchy import fcluster

    if len(rest) < 2:
        return []
    # Average linkage on the condensed cosine distances; merges stop below the threshold
    # (scipy's "distance" cut keeps merges <= t, so t is the largest float under it).
    # fastcluster works in place on the condensed distances (scipy copies them: +0.7 GB for the
    # 13,300 statements of 1.5 M words); same tree
    tree = fastcluster.linkage(blocks.condensed_distances(rest), method="average", preserve_input=False)
    labels = fcluster(tree, t=np.nextafter(cfg.distance_threshold, -np.inf), criterion="distance")
    found = [rest[labels == lab] for lab in sorted(set(labels))]
    merged = _merge_fragments(found, blocks, statements["case"].to_numpy(), cfg.distance_threshold)
    return [("inductief", "", "", idx) for idx in merged]


# Why a candidate group is not reported, in the order they are checked (the first that holds is
# counted): the code, and what the report says of it in Dutch ({singular}, {plural}: what the run
# calls its cases, corpus.case_noun).
REASONS = {
    "te_weinig_cases": "komt in te weinig {plural} terug",
    "een_case_overheerst": "komt vooral uit één {singular}",
    "te_weinig_themas": "blijft binnen één thema",
    "geen_dynamiek": "zegt niet hoe het loopt: geen drempel, oorzaak, gebrek of ontwikkeling",
    "enkel_kader": "de uitspraken delen enkel een kader of stopwoorden ('Ik begrijp dat …', 'eerlijk gezegd')",
    "een_woord": "de uitspraken delen maar één woord: een onderwerp, geen mechanisme",
    "een_onderwerp": "de uitspraken delen enkel de naam van een onderwerp, niet wat ze erover zeggen",
    "zelfde_vraag": "één vraag die overal gelijk beantwoord werd: een onderwerp",
    "niet_samenhangend": "te weinig samenhang",
    "geen_bewering": "de meeste uitspraken hebben geen hoofdzin: een opsomming van voorbeelden of tekenen",
    "ander_onderwerp": "zonder de uitspraken die enkel het kader delen en over iets anders gaan ('De grootste "
                       "drempel blijft de versnippering …' naast 'Taal is de grootste drempel') komt de "
                       "groep te weinig terug; zo ook zonder de uitspraken die niet ontkennen wat de groep ontkent, "
                       "of ontkennen wat ze zegt",
}


def _parse(judged: list) -> dict[str, Clause]:
    """The clauses (_syntax) of the statements of the inductive groups about to be reported."""
    texts = [str(t) for g in judged if isinstance(g, Group) and g.source == "inductief" for t in g.members["text"]]
    return clauses(texts) if texts else {}  # no text: the parser is not loaded


def _stating(judged: list, parsed: dict[str, Clause]) -> list:
    """`judged` with each inductive Group that would be reported marked per member (`stating`:
    has a main clause, _syntax), or "geen_bewering" when most of its members (more than half)
    have none: a list of signs ("Kinderen die zonder ontbijt komen, die geen turnzak hebben, …")
    says how things look, not how they go. Only these groups are parsed (tens of statements, not
    thousands of candidates: the parser costs ~3x the tagger), and over a whole group, as the
    parse errs on single note-style statements both ways ("En geen kinderen als tolk,
    alstublieft": "alstublieft" read as a finite verb kept the demo's list of signs when one
    member sufficed). Codebook and analyst groups are the analyst's: not judged."""
    out = []
    for g in judged:
        if isinstance(g, Group) and g.source == "inductief":
            g.stating = np.array([parsed[str(t)].stating for t in g.members["text"]], dtype=bool)
            if _most(int((~g.stating).sum()), len(g.stating)):
                g = "geen_bewering"
        out.append(g)
    return out


def _on_subject(statements: pd.DataFrame, blocks: _Blocks, cfg: MechanismConfig, has_themes: bool, judged: list,
                parsed: dict[str, Clause], embed) -> list:
    """`judged` with each inductive Group left with the members whose claim is about the group's
    subject (_off_subject), or "ander_onderwerp" when too few are left to be reported: a group
    held together by a frame ("de belangrijkste drempel blijft", "… is niet beschikbaar") is
    evidence of a dynamic only where the frame is said of the same thing. What is left is screened
    again as evidence (_evidence: a member may have lost its only partner from another case)."""
    out = []
    for g in judged:
        if isinstance(g, Group) and g.source == "inductief":
            found = [parsed[str(t)] for t in g.members["text"]]
            off = _off_subject(g.members, _topics(found), [set(with_compound_parts(list(c.subject))) for c in found],
                               cfg.subject_similarity, embed) | _off_claim(g.members, found)
            if off.any():
                g = _regroup(statements, blocks, cfg, has_themes, g, ~off)
        out.append(g)
    return out


def _regroup(statements: pd.DataFrame, blocks: _Blocks, cfg: MechanismConfig, has_themes: bool, g: Group,
             keep: np.ndarray) -> Group | str:
    """The Group `g` with the members `keep` that are still evidence, or "ander_onderwerp"."""
    idx = _evidence(statements, blocks, cfg, g.rows[keep])
    if g.source == "inductief":
        idx = _balanced(statements, blocks, cfg, idx)
    members = statements.iloc[idx]
    if len(idx) < 2 or _spread(members, cfg, has_themes, ""):
        return "ander_onderwerp"
    sims = _centrality(blocks, idx)
    stating = g.stating[np.isin(g.rows, idx)] if g.stating is not None else None
    return Group(idx, members, Counter(members["case"]), sorted({t for t in members["theme_id"] if t}), sims,
                 float(sims.mean()), g.source, g.family, g.label, stating)


def _off_claim(members: pd.DataFrame, found: list[Clause]) -> np.ndarray:
    """Per member whether it says the opposite of the group's claim, or not its denial. When most
    members deny the same thing (the lemmas of the clauses a negation stands in, _syntax; most of
    them share one), that is the claim ("Er worden geen statistieken bijgehouden"): a member whose
    negation stands in a clause about something else ("De statistieken hebben enkel betrekking op
    X en hebben geen betrekking op Y") does not say it, nor does one that negates nothing and does
    not name the verb or adjective most negations are attached to ("De cijfers voor 2015 gelden
    voor het hele jaar" beside "De cijfers zijn niet beschikbaar"; "… begrijpen hem minder goed"
    beside "… begrijpen de brieven niet" does). A member with only a weak negation ("te weinig", "zonder", NEGATIONS) says a lack
    too. When most members affirm, a member that denies what most of them say ("Taal is geen
    drempel" beside "Taal is een drempel"; not "Wie geen Nederlands leert, …" beside "… moeten
    Nederlands leren": the negation names a thing there, it does not deny what is said) says the
    opposite."""
    off = np.zeros(len(found), dtype=bool)
    if len(found) < 3:
        return off
    scopes = [set(with_compound_parts(list(c.negated))) for c in found]
    negated = np.array([bool(s) for s in scopes])
    lemmas = [set(with_compound_parts(list(ls))) for ls in members["lemmas"]]
    n_negated = int(negated.sum())
    if _most(n_negated, len(found)):
        claim = {x for x, n in Counter(x for s in scopes for x in s).items() if _most(n, n_negated)}
        if not claim:  # the negations deny different things: the claim is not a denial
            return off
        denied = Counter(x for c in found for x in set(with_compound_parts(list(c.denied_said))))
        said = {x for x, n in denied.items() if _most(n, n_negated)}
        weak = [_denies(t, NEGATIONS) for t in members["text"]]
        for i in range(len(found)):
            off[i] = not (scopes[i] & claim) if negated[i] else not (weak[i] or lemmas[i] & said)
    elif _most(len(found) - n_negated, len(found)):
        shared = {x for x, n in Counter(x for i in np.flatnonzero(~negated) for x in lemmas[i]).items()
                  if _most(n, len(found) - n_negated)}
        off = negated & np.array([bool(set(with_compound_parts(list(c.denied_said))) & shared) for c in found])
    return off


CLAIM_ALPHA = 0.01  # a claim word is said by more members than its share among all statements would give by chance


def _claim_counts(statements: pd.DataFrame) -> Counter:
    """In how many statements each claim word (claim_lemmas with their compound parts) is said."""
    return Counter(x for ls in statements["claim_lemmas"] for x in set(with_compound_parts(list(ls))))


def _unsaid(members: pd.DataFrame, statements: pd.DataFrame, corpus: Counter | None = None) -> np.ndarray:
    """Per member of a group that affirms whether it says none of the group's claim words
    (a group that denies is screened on its denial, _off_claim). Run on the groups of both readings
    once they are joined (_claim_reading): a join adds members no screen has read with the
    others. The claim words are what most members say of their subjects (claim_lemmas and their
    compound parts, filler left out) and say more often than all `statements` do, beyond chance
    (binomial tail below CLAIM_ALPHA). A member that says none of them is off: "Er was contact met de minister van
    Binnenlandse Zaken" beside "… behoort tot de bevoegdheid van de minister van Justitie" shares
    a name with it (not a claim word, _candidates._title), not what it says."""
    off = np.zeros(len(members), dtype=bool)
    if "claim_lemmas" not in members or len(members) < 3:
        return off
    denying = sum(_denies(t) for t in members["text"])
    if _most(denying, len(members)):
        return off
    # with their compound parts: "wachtlijst" and "wachttijd" both say "wacht"
    said = [set(with_compound_parts(list(ls))) - FILLER for ls in members["claim_lemmas"]]
    counts = Counter(x for s in said for x in s)
    corpus = _claim_counts(statements) if corpus is None else corpus  # `corpus`: _claim_counts(statements)
    # a word the group says no more often than chance would have it among all statements ("… twee
    # jaar …", "… drie jaar later …" in a small corpus) is not what holds it together
    claim = {x for x, n in counts.items() if _most(n, len(members))
             and binom.sf(n - 1, len(members), max(corpus[x], n) / len(statements)) < CLAIM_ALPHA}
    if not claim:
        return off
    return np.array([not (s & claim) for s in said], dtype=bool)


def _topics(found: list[Clause]) -> list[tuple[set[str], str]]:
    """Per statement what its claim is about, (lemmas with their compound parts, phrase): its
    subject, or what it says of it when its subject is what most other statements say of theirs:
    "De belangrijkste drempel blijft de versnippering van het aanbod" beside "Taal blijft de
    belangrijkste drempel" is about the fragmentation, the frame stands in subject position."""
    out = []
    for i, c in enumerate(found):
        saying = sum(1 for j, other in enumerate(found) if j != i and set(c.subject) <= set(other.predicate))
        swapped = bool(c.subject) and _most(saying, len(found) - 1)
        words, text = (c.predicate, c.predicate_text) if swapped else (c.subject, c.subject_text)
        out.append((set(with_compound_parts(list(words))), text))
    return out


def _off_subject(members: pd.DataFrame, topics: list[tuple[set[str], str]], subjects: list[set[str]], cut: float,
                 embed) -> np.ndarray:
    """Per member whether its claim is about something else than the group's: when one subject
    (a lemma) is what most of the statements whose subject the parse found are about, the
    statements about it and about what is related to it (the same lemma or compound part, or
    vectors at least `cut` close, _related; step by step) are on the subject. A statement about
    something unrelated that names none of their topics or subjects anywhere shares only the frame
    (a parse error in one statement does not decide alone: "Ons tolkenbudget is al in oktober op"
    names the others' subject). A statement whose subject is not found (a pronoun, a parse without
    one) is kept: no evidence either way. A group whose statements are about different things (the
    same claim on pensions, defence and asylum) has no main subject and keeps every member."""
    words = [w for w, _ in topics]
    counts = Counter(x for w in words for x in w)
    if not counts:
        return np.zeros(len(topics), dtype=bool)
    subject, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if n < 2 or not _most(n, sum(1 for w in words if w)):
        return np.zeros(len(topics), dtype=bool)
    seed = np.array([subject in w for w in words])
    lemmas = [set(with_compound_parts(list(ls))) for ls in members["lemmas"]]
    off = _outside(words, subjects, lemmas, seed, _related(topics, cut, None))
    if off.any() and embed is not None:  # the encoder only where the lemmas leave a statement outside
        off = _outside(words, subjects, lemmas, seed, _related(topics, cut, embed))
    return off


def _outside(words: list[set[str]], subjects: list[set[str]], lemmas: list[set[str]], seed: np.ndarray,
             related: np.ndarray) -> np.ndarray:
    """The statements with a topic that is not reached from `seed` through `related`, step by
    step, and that do not name a reached statement's topic or subject anywhere."""
    on = seed
    while True:
        grown = on | related[:, on].any(axis=1)
        if (grown == on).all():
            break
        on = grown
    named = set().union(*(words[i] | subjects[i] for i in np.flatnonzero(on)))
    return np.array([bool(w) and not on[i] and not (lemmas[i] & named) for i, w in enumerate(words)], dtype=bool)


def _related(topics: list[tuple[set[str], str]], cut: float, embed) -> np.ndarray:
    """(m, m): whether two statements' topics share a lemma (or compound part) or, with an
    encoder, have two words or their phrases at least `cut` close (cosine)."""
    words = [w for w, _ in topics]
    related = np.array([[bool(a & b) for b in words] for a in words], dtype=bool).reshape(len(words), len(words))
    if embed is None or getattr(embed, "backend", "none") == "none":
        return related
    vocab = sorted(set().union(*words))
    phrases = [t for _, t in topics]
    texts = list(dict.fromkeys(vocab + [p for p in phrases if p]))
    vectors = dict(zip(texts, normalize(np.asarray(encode(texts, embed), dtype=np.float64)))) if texts else {}
    for i, j in zip(*np.triu_indices(len(topics), 1)):
        pairs = [vectors[a] @ vectors[b] for a in words[i] for b in words[j]]
        if phrases[i] and phrases[j]:
            pairs.append(vectors[phrases[i]] @ vectors[phrases[j]])
        related[i, j] |= bool(pairs) and max(pairs) >= cut
        related[j, i] = related[i, j]
    return related


def _reported(statements: pd.DataFrame, blocks: _Blocks, contexts: _Contexts, cfg: MechanismConfig,
              has_themes: bool, source: str, family: str, label: str, idx: np.ndarray) -> Group | str:
    """The group of statements `idx` when it is reported (see MechanismFinder), else the code of the
    first reason (REASONS) it is not. An inductive group is screened as it was grouped; then only
    its evidence (_evidence) counts, and its cases and themes are counted again."""
    if source == "inductief":
        idx = _balanced(statements, blocks, cfg, idx)
    members = statements.iloc[idx]
    reason = _spread(members, cfg, has_themes, source)
    if reason:
        return reason
    sims = _centrality(blocks, idx)
    if source == "inductief":
        reason = _not_a_mechanism(members, cfg)
        if not reason and contexts.same(idx):
            reason = "zelfde_vraag"
        if not reason and sims.mean() < cfg.min_cohesion:
            reason = "niet_samenhangend"
        if reason:
            return reason
        kept = _balanced(statements, blocks, cfg, _evidence(statements, blocks, cfg, idx))
        if len(kept) < len(idx):
            idx, members = kept, statements.iloc[kept]
            reason = _spread(members, cfg, has_themes, "")
            if reason:
                return reason
            sims = _centrality(blocks, idx)
    themes_crossed = sorted({t for t in members["theme_id"] if t})
    return Group(idx, members, Counter(members["case"]), themes_crossed, sims, float(sims.mean()), source, family,
                 label)


def _balanced(statements: pd.DataFrame, blocks: _Blocks, cfg: MechanismConfig, idx: np.ndarray) -> np.ndarray:
    """The inductive group `idx` with a case that holds more than cfg.max_share_per_case of it cut
    to as many statements as that share allows beside the other cases' (at 0.5: as many as they
    say together), keeping the ones closest on average to the other cases' statements. A case that
    says a thing five times beside two others that say it too is still a recurrence across three
    cases ("Mijn administratie beschikt niet over informatie …" five times in one department, twice
    and once in two others); what must stay out is one case's stock phrase with chance look-alikes
    elsewhere, and that is for the screens to judge on the cut group, where the dominant case's
    wording no longer outvotes the rest (_shared_words counts half of the members)."""
    cases = statements["case"].to_numpy()[idx]
    top, n = Counter(cases).most_common(1)[0] if len(idx) else ("", 0)
    rest = len(idx) - n
    share = cfg.max_share_per_case
    allowed = n if share >= 1 else int(math.floor(share * rest / (1 - share) + 1e-9))
    if n <= allowed or allowed < 1:
        return idx
    mine, others = np.flatnonzero(cases == top), np.flatnonzero(cases != top)
    # rounded: ties (copies in other words) must not be broken by last-bit noise
    near = np.round(blocks.similarity(idx[mine], idx[others]).mean(axis=1), 9)
    keep = mine[np.argsort(-near, kind="stable")[:allowed]]
    return idx[np.sort(np.concatenate([keep, others]))]


def _spread(members: pd.DataFrame, cfg: MechanismConfig, has_themes: bool, source: str) -> str:
    """The REASONS code when the statements come from too few cases, mostly one case or too few
    themes, else "". An analyst's mechanism of an earlier round (codebook examples) is shown
    wherever it recurs; one the earlier round reported (--compare-with) where it recurs in as many
    cases as a mechanism needs: the other screens judged it there, its statements here are coded
    by their likeness to its evidence."""
    analyst = source in ("analist", ROUND)
    case_counts = Counter(members["case"])
    if len(case_counts) < (2 if source == "analist" else cfg.min_cases):
        return "te_weinig_cases"
    if not analyst and max(case_counts.values()) / len(members) > cfg.max_share_per_case:
        return "een_case_overheerst"
    if has_themes and not analyst and len({t for t in members["theme_id"] if t}) < cfg.min_themes:
        return "te_weinig_themas"
    return ""


def _centrality(blocks: _Blocks, idx: np.ndarray) -> np.ndarray:
    """Cosine of each member to the group's mean vector, from the member-by-member similarities."""
    within = blocks.similarity(idx, idx)
    return within.mean(axis=1) / max(float(np.sqrt(max(within.mean(), 0.0))), 1e-12)


def _not_a_mechanism(members: pd.DataFrame, cfg: MechanismConfig) -> str:
    """Why a recurring group of statements found from the notes is no claim about how things go
    (a REASONS code), "" when it is one. Judged over the group, so one member's wording does not
    decide: too few are problem statements, all they share is a frame or filler ("eerlijk gezegd",
    "eigenlijk": held together by the way people talk), one word, or a topic's name. A group that shares no word at
    all (paraphrases held together by the embedding) is judged on the rest."""
    half = len(members) / 2
    if members["problem"].astype(bool).mean() < cfg.min_problem_share:
        return "geen_dynamiek"
    shared = _shared_words(members)
    framed = "framed" in members and members["framed"].astype(bool).sum() > half
    # filler in common is a frame, unless it is the claim itself: most members are the same kind of
    # problem statement ("Het is niet mogelijk om hierover cijfers te verstrekken" / "… om deze
    # cijfers verder op te splitsen": the impossibility is what they say, in filler words)
    if not shared and (framed or (_shared_words(members, filler=True) and not _same_problem(members))):
        return "enkel_kader"
    if (len(shared) == 1 and not _says_one_problem(members, shared[0])) or _one_noun(members):
        return "een_woord"
    if _names_only(members, shared) or not _says_alike(members):
        return "een_onderwerp"
    return ""


def _says_one_problem(members: pd.DataFrame, word: str) -> bool:
    """Whether the one word a group shares is the claim it makes: most of its statements (more than
    half) are the same kind of problem statement (_same_problem) and say the word (see _said: no
    noun, no adjective before a noun, no filler), as "Het is moeilijk om de effecten in te schatten"
    beside "Het blijft moeilijk om meetbare resultaten te identificeren" say the barrier in one
    predicate. One noun shared is a topic whatever the function (_one_noun), and one word said
    by statements of different kinds is a coincidence ("toegepast", "begonnen")."""
    if "nouns" not in members or "attributes" not in members or not _same_problem(members):
        return False
    return _most(sum(word in said for said in _said(members)), len(members))


def _says_alike(members: pd.DataFrame) -> bool:
    """Whether most of a group's statements (more than half) say something that a statement from
    another case says too, or most are the same kind of problem statement (a barrier, concern,
    need … as tagged: "Taal blijft de belangrijkste drempel"). What a statement says is a word the
    tagger calls no noun and no adjective before a noun, and no filler: a verb, an adverb, a
    predicate adjective ("niet beschikbaar", "worden niet bijgehouden", "stoppen", "aflopen").
    Shared nouns and names are what the statements are about; when only they hold most of the
    group together, with one coincidental word between two of them, the group is a topic: on the
    Kamer answers "Belgie heeft geen standpunt ingenomen" beside "Belgie heeft geen economisch
    belang", or four sentences about "beslissingen" in "dossiers" that each say something else."""
    if "nouns" not in members or "attributes" not in members:
        return True
    said = _said(members)
    cases = members["case"].to_numpy()
    alike = sum(any(said[i] & said[j] for j in range(len(said)) if cases[j] != cases[i])
                for i in range(len(said)))
    return _most(alike, len(members)) or _same_problem(members)


def _same_problem(members: pd.DataFrame) -> bool:
    """Whether most of a group's statements (more than half) are the same kind of problem
    statement (a barrier, concern, need … as tagged)."""
    common, n = Counter(members["function"]).most_common(1)[0]
    return common in PROBLEM_FUNCTIONS and _most(n, len(members))


def _said(members: pd.DataFrame) -> list[set[str]]:
    """Per statement what it says (see _says_alike): its content words but filler, nouns and
    adjectives before a noun."""
    return [set(lemmas) - FILLER - set(nouns) - set(attributes)
            for lemmas, nouns, attributes in zip(members["lemmas"], members["nouns"], members["attributes"])]


def _evidence(statements: pd.DataFrame, blocks: _Blocks, cfg: MechanismConfig, idx: np.ndarray) -> np.ndarray:
    """The members of the group `idx` that are evidence of it: a statement that says alike with a
    statement of another case (shares what it says, as _says_alike: see _said, or both say the
    group's claim where it is in filler words: _says_the_filler_claim) and is within the
    grouping's cut (similarity 1 - distance_threshold) of at least one statement of another case,
    or is that close to the group's statements from other cases on average (on its own it would
    have been joined to them: a paraphrase with no word in common). Average linkage joins whole
    clusters, so a sentence rides along on a shared noun or frame: "En net die scholen vinden het
    moeilijkst leerkrachten" in a group on parents for whom the school's letters are hard to
    follow; counted as a city, it inflates the spread. The problem
    function, which _says_alike also accepts for a whole group, does not make one member evidence:
    every sentence of such a group is a barrier. Repeated until every member left is evidence."""
    if "nouns" not in statements or "attributes" not in statements:
        return idx
    cut = 1.0 - cfg.distance_threshold
    while len(idx) >= 2:
        cases = statements["case"].to_numpy()[idx]
        other = cases[:, None] != cases[None, :]
        within = blocks.similarity(idx, idx)
        said = _said(statements.iloc[idx])
        shares = np.array([[bool(a & b) for b in said] for a in said])
        says = _says_the_filler_claim(statements.iloc[idx])
        shares |= says[:, None] & says[None, :]
        alike = (shares & other).any(axis=1) & ((within >= cut) & other).any(axis=1)
        close = (within * other).sum(axis=1) >= cut * np.maximum(other.sum(axis=1), 1)
        keep = alike | (close & other.any(axis=1))
        if keep.all():
            break
        idx = idx[keep]
    return idx


def _says_the_filler_claim(members: pd.DataFrame) -> np.ndarray:
    """Per member whether it says the group's claim when that claim is in filler words: most members
    are the same kind of problem statement and hold the same filler ("Het is niet mogelijk om deze
    cijfers verder op te splitsen" / "… om een onderscheid te maken per Gewest": the impossibility
    is what they say, as _not_a_mechanism accepts for the group), and the member holds all of it.
    Without this, _said (filler left out) finds nothing alike in such paraphrases but a stray
    particle ("mee te geven" / "mee te delen"), and the evidence keeps only those."""
    frame = set(_shared_words(members, filler=True)) - set(_shared_words(members))
    if not frame or not _same_problem(members):
        return np.zeros(len(members), dtype=bool)
    return np.array([frame <= set(lemmas) for lemmas in members["lemmas"]], dtype=bool)


def _most(count: int, n: int) -> bool:
    """Whether `count` of `n` statements is most of them (more than half)."""
    return count > n / 2


def _names_only(members: pd.DataFrame, shared: list[str]) -> bool:
    """Whether what a group shares only names a topic: every shared word is a noun or an adjective
    before a noun where it occurs ("Europese richtlijnen", "de federale regering"), and the
    statements do not share what they say of it (no barrier, concern, need … cue common to most of
    them). A claim shares its predicate: "cijfers … niet beschikbaar", "statistieken bijhouden", or
    a cue such as "drempel" ("Taal blijft de belangrijkste drempel")."""
    if not shared or "nouns" not in members or "attributes" not in members:
        return False
    as_name, seen = Counter(), Counter()
    for lemmas, nouns, attributes in zip(members["lemmas"], members["nouns"], members["attributes"]):
        names = set(nouns) | set(attributes)
        for w in set(lemmas) & set(shared):
            seen[w] += 1
            as_name[w] += w in names
    if any(as_name[w] < seen[w] / 2 for w in shared):
        return False
    functions = Counter(members["function"])
    common, n = functions.most_common(1)[0]
    return common not in PROBLEM_FUNCTIONS or n < len(members) / 2


def _shared_words(members: pd.DataFrame, filler: bool = False) -> list[str]:
    """The content words at least half of the statements hold, filler ("geen", "nemen", "eerlijk")
    left out unless `filler`."""
    counts = Counter(w for lemmas in members["lemmas"] for w in set(lemmas) if filler or w not in FILLER)
    return sorted(w for w, c in counts.items() if c >= len(members) / 2)


class _Contexts:
    """What each statement's segment says besides it, to tell a mechanism from one question
    answered alike. A mechanism is the same claim about different things ("cijfers zijn niet
    beschikbaar" under pensions, defence and asylum); statements whose surroundings are nearly
    the same text answer one question (every ministry on its court cases, its business trips) and
    share a topic, whatever the number of themes. Surroundings: the content lemmas of the other
    statements of the same segment, TF-IDF weighted over segments. `same(idx)` is true when the
    group's members (pairs from different segments) are on average more alike in their
    surroundings than `quantile` of the corpus's pairs from different cases (a sample of pairs
    with a fixed seed): the cut is learnt from the corpus at hand. Statements alone in their
    segment (one statement per spreadsheet row) have no surroundings and are not judged."""

    PAIRS = 20_000  # sampled pairs for the corpus's quantile

    def __init__(self, statements: pd.DataFrame, quantile: float):
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

        self.segments = pd.factorize(statements["segment_id"])[0]
        n = len(statements)
        self.cut = np.inf  # no cut: nothing is judged (test off, or nothing to compare)
        self.matrix = sparse.csr_matrix((n, 1))
        self.has = np.zeros(n, dtype=bool)
        if quantile >= 1.0:
            return
        try:
            counts = CountVectorizer(analyzer=lambda x: x).fit_transform(statements["lemmas"]).tocsr()
        except ValueError:  # no content words at all
            return
        by_segment = sparse.csr_matrix((np.ones(n), (self.segments, np.arange(n)))) @ counts
        rest = (by_segment[self.segments] - counts).tocsr()
        rest.eliminate_zeros()
        idf = TfidfTransformer(sublinear_tf=True).fit(by_segment)
        self.matrix = normalize(idf.transform(rest))
        self.has = self.matrix.getnnz(axis=1) > 0
        rows = np.flatnonzero(self.has)
        if len(rows) < 2:
            return
        rng = np.random.default_rng(0)
        a, b = rng.choice(rows, self.PAIRS), rng.choice(rows, self.PAIRS)
        cases = statements["case"].to_numpy()
        keep = (cases[a] != cases[b]) & (self.segments[a] != self.segments[b])
        if keep.any():
            sims = np.asarray(self.matrix[a[keep]].multiply(self.matrix[b[keep]]).sum(axis=1)).ravel()
            self.cut = float(np.quantile(sims, quantile))

    def same(self, idx: np.ndarray) -> bool:
        """Whether the statements `idx` stand in (nearly) the same surroundings (see the class)."""
        if not np.isfinite(self.cut):
            return False
        idx = idx[self.has[idx]]
        if len(idx) < 2:
            return False
        sims = (self.matrix[idx] @ self.matrix[idx].T).toarray()
        other = self.segments[idx][:, None] != self.segments[idx][None, :]
        return bool(other.any()) and float(sims[other].mean()) > self.cut


def _one_noun(members: pd.DataFrame) -> bool:
    """Whether all a group's statements have in common is one noun: the only word at least half
    of them hold is one the tagger calls a noun there. Filler that is not a noun (negation, light
    verbs, adverbs: "geen", "nemen", "vinden", "nog"; the themes' FILLER list) is no common ground,
    so "geen zakgeld" / "krijgen geen zakgeld" or "maatregelen nemen" / "maatregelen worden niet
    toegelicht" share a topic, not a claim. A mechanism says something about its topic ("cijfers
    ... niet beschikbaar", "taal ... een drempel"). A group with no word in common (paraphrases
    held together by the embedding) stays."""
    if "nouns" not in members:
        return False
    counts, as_noun = Counter(), Counter()
    for lemmas, nouns in zip(members["lemmas"], members["nouns"]):
        nouns = set(nouns)
        for w in set(lemmas):
            if w in nouns:
                as_noun[w] += 1
            if w in nouns or w not in FILLER:  # a filler noun ("verhaal") is still a topic
                counts[w] += 1
    shared = [w for w, c in counts.items() if c >= len(members) / 2]
    return len(shared) == 1 and as_noun[shared[0]] >= counts[shared[0]] / 2


def _tables(groups: list[Group], cfg: MechanismConfig, n_all_cases: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mechanisms and evidence tables of the ranked groups, numbered M01, M02, …"""
    ranked = ctfidf([[t for ls in g.members["lemmas"] for t in ls] for g in groups]) if groups else []
    mech_rows, ev_rows = [], []
    for n, (g, top) in enumerate(zip(groups, ranked), start=1):
        mid = f"M{n:02d}"
        key_terms = [t for t in top if t not in _LABEL_STOP][: max(cfg.label_terms * 2, 6)]
        # rounded: equal texts in several cases tie exactly, and last-bit noise must not pick the quote
        sims = np.round(g.similarity, 9)
        order = np.argsort(-sims, kind="stable")
        ev_rows += _evidence_rows(mid, g, sims, order)
        mech_rows.append(_mechanism_row(mid, g, sims, order, key_terms, cfg, n_all_cases))
    return (pd.DataFrame(mech_rows, columns=MECHANISM_COLUMNS),
            pd.DataFrame(ev_rows, columns=EVIDENCE_COLUMNS))


def _evidence_rows(mid: str, g: Group, sims: np.ndarray, order: np.ndarray) -> list[dict]:
    """One row per member statement, most central first; per case its most central one is the quote."""
    members = g.members
    quote_rows = set()
    for case in g.case_counts:
        quote_rows.add(next(i for i in order if members.iloc[i]["case"] == case))
    rows = []
    for i in order:
        m = members.iloc[i]
        rows.append({
            "mechanism_id": mid, "segment_id": m["segment_id"], "case": m["case"], "text": m["text"],
            "function": m["function"], "sent": int(m["sent"]), "session": m["session"], "level": m["level"],
            "theme_id": m["theme_id"], "claims": m["claims"], "connectives": m["connectives"],
            "similarity": round(float(sims[i]), 4), "city_quote": bool(i in quote_rows),
        })
    return rows


def _mechanism_row(mid: str, g: Group, sims: np.ndarray, order: np.ndarray, key_terms: list[str],
                   cfg: MechanismConfig, n_all_cases: int) -> dict:
    members, case_counts = g.members, g.case_counts
    central = members.iloc[int(np.argmax(sims))]
    # the most central statements that say something (a main clause), not a list of signs
    stating = order if g.stating is None else order[g.stating[order]]
    label = g.label or _statement_label(_self_contained(members["text"].to_numpy()[stating[:3]])) \
        or " · ".join(key_terms[: cfg.label_terms])
    concept_counts = Counter(c for cs in members["concepts"] for c in cell_items(cs))
    seg_ids = list(dict.fromkeys(members.iloc[order]["segment_id"]))
    levels = Counter(members["level"])
    return {
        "mechanism_id": mid, "label": label, "n_cases": len(case_counts),
        "cases": "; ".join(sorted(case_counts)),
        "themes": "; ".join(g.themes),  # bare ids: overrides, report and exports map them
        "n_segments": len(seg_ids), "example_segment_ids": "; ".join(seg_ids[:5]),
        "source": g.source, "family": g.family,
        "n_statements": len(members), "spread": round(len(case_counts) / max(n_all_cases, 1), 4),
        "entropy": round(_entropy(list(case_counts.values())), 4), "cohesion": round(g.cohesion, 4),
        "n_themes": len(g.themes),
        "sessions": "; ".join(sorted(set(_session_kind(s) for s in members["session"]))),
        "speakers": "; ".join(sorted({sp for sp in members["speaker"] if sp})),
        "n_frontlijn": int(levels.get("frontlijn", 0)), "n_management": int(levels.get("management", 0)),
        "concepts": "; ".join(f"{c} ({k})" for c, k in concept_counts.most_common(5)),
        "key_terms": "; ".join(key_terms), "central_text": central["text"],
    }


_LABEL_STOP = frozenset({"niet", "geen", "meer", "zien", "komen", "gaan", "krijgen", "zitten", "staan",
                         "weten", "mens", "ander", "heel", "echt", "jaar", "keer"})


def _session_kind(session: str) -> str:
    """'gesprekstafel 1: Taal' -> 'gesprekstafel 1'; other sessions as written."""
    return session.split(":")[0].strip() if session else ""


# Sentence openings that point back to an earlier sentence ("Dat zijn niet alleen nieuwkomers"):
# such a statement does not say the dynamic on its own, so it is not used as a label if a
# near-central statement does. Closed-class Dutch words only, no topic words.
_POINTS_BACK = frozenset("dat dit die deze daar daarom daardoor en maar ook ze zij hij het dan want dus zo "
                         "hier hierdoor toch wel".split())


def _self_contained(texts) -> str:
    """The first of `texts` (most central first) that does not open by pointing back, else the first."""
    for text in texts:
        first = str(text).strip().split(" ", 1)[0].strip(",.:;'\"‘’“”").lower()
        if first not in _POINTS_BACK:
            return str(text)
    return str(texts[0]) if len(texts) else ""


# Dutch subordinators that open a sentence with a condition or a cause ("Wie geen Nederlands
# leert, …", "Zolang de subsidie loopt, …"): the dynamic is said in the main clause after the comma.
# Closed-class words only.
_SUBORDINATE = frozenset("wie wat als zolang omdat doordat wanneer hoewel terwijl zodra nadat voordat indien "
                         "tenzij aangezien zonder".split())


# Words a cut label must not end on: "… bij de school van de …" names nothing. Articles, the common
# prepositions and conjunctions only (closed classes; a label is plain text, no tagger at hand).
_NO_LAST_WORD = frozenset("de het een van voor met om aan in op bij tot naar door over uit te en of die dat "
                          "als dan".split())
# Determiners open a noun phrase and never close one: "… tot bevoegdheid van mijn …" stops inside
# "mijn collega". Possessive, demonstrative and quantifying determiners (closed classes); "zijn"
# and "haar" also end a clause as verb and pronoun ("… die al jaren actief zijn"), so they only open.
_DETERMINERS = frozenset("mijn hun onze ons uw jouw je deze dit elk elke ieder iedere alle geen "
                         "welk welke zulke zo'n".split())
# A word that opens a phrase: a cut before it ends the phrase before it (closed classes only).
_OPENS_PHRASE = _NO_LAST_WORD | _DETERMINERS | frozenset("zijn haar maar want omdat zodat wanneer terwijl "
                                                         "indien".split())
_LABEL_SLACK = 3  # a statement at most this many words too long is kept whole: cutting it saves nothing


def _statement_label(text: str, max_words: int = 14) -> str:
    """A statement as a label: whole when short (or only a few words too long), else its first
    clause (up to a comma, semicolon or colon, when that clause has at least eight words: a shorter
    one is usually the start of a list; never a subordinate clause that opens the sentence: it says
    the condition, not what follows from it, so such a statement may run six words longer), else
    its first `max_words` words, less the articles and prepositions they end on, and "…"."""
    text = " ".join(str(text).split()).rstrip(" .")
    words = text.split(" ")
    subordinate = words[0].strip("‘'\"“").lower() in _SUBORDINATE
    max_words += 6 if subordinate else 0
    if len(words) <= max_words + _LABEL_SLACK:
        return text
    for i, word in enumerate(words[:max_words]):
        if word[-1:] in ",;:" and i >= 7 and not (subordinate and word[-1:] == ","):
            return " ".join(words[:i + 1])[:-1] + " …"
    return " ".join(words[:_phrase_end(words, max_words)]).rstrip(",;:") + " …"


def _phrase_end(words: list[str], max_words: int) -> int:
    """How many of `words` a cut label keeps: it ends at the phrase boundary nearest to
    `max_words` (on a word that is no article, preposition or determiner, before a word that opens
    a phrase or after a comma), the shorter cut on a tie; up to `_LABEL_SLACK` words later when
    that closes the phrase under way. Without a boundary, the old cut less its closing articles."""
    def bare(word: str) -> str:
        return word.strip("‘'\"“”’()").lower()

    def boundary(n: int) -> bool:
        last = words[n - 1]
        return bare(last) not in _NO_LAST_WORD | _DETERMINERS and (
            last[-1:] in ",;:" or bare(words[n]) in _OPENS_PHRASE)
    cuts = sorted(range(max_words // 2 + 1, min(max_words + _LABEL_SLACK, len(words) - 1) + 1),
                  key=lambda n: (abs(n - max_words), n))
    n = next((n for n in cuts if boundary(n)), max_words)
    while n > 1 and bare(words[n - 1]) in _NO_LAST_WORD | _DETERMINERS:
        n -= 1
    return n
