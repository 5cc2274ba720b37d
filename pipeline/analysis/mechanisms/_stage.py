"""The mechanisms stage: statement functions, claims, candidates and recurring mechanisms in one call.

Needs: the segments table with themes, sentences and tokens, `MechanismConfig` (its `codebook`: a
mechanism codebook file the analyst passed, or "" to find mechanisms inductively only) and (for
sentence vectors) `EmbedConfig`. Adds: `MechanismResult`, cached as a whole when a cache is given. The
sentences are annotated (functions, claims) in forked processes above a size threshold.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ...cache import frame_hash
from ...config import MechanismConfig, NlpConfig
from ...language import embed_sentences, sentence_tokens
from .._statement_functions import segment_functions, tag_functions
from ._candidates import candidate_statements
from ._claims import extract_claims
from ._codebook import MechanismCodebook, combined, earlier_id, load_mechanism_codebook
from ._examples import code_by_examples
from ._grouping import MechanismFinder, corpus_cases

__all__ = ["MechanismResult", "run_mechanisms", "segment_mechanisms"]


def segment_mechanisms(segments: pd.DataFrame, evidence: pd.DataFrame) -> pd.Series:
    """The mechanism_ids column of segments.csv: "; "-joined ids per segment, "" for none."""
    ids = {seg: "; ".join(sorted(set(group))) for seg, group in evidence.groupby("segment_id")["mechanism_id"]}
    return pd.Series([ids.get(s, "") for s in segments["segment_id"]], index=segments.index, dtype="string",
                     name="mechanism_ids")


@dataclass
class MechanismResult:
    functions: pd.DataFrame  # one row per sentence (tag_functions)
    claims: pd.DataFrame  # CLAIM_COLUMNS
    statements: pd.DataFrame  # the candidate statements
    mechanisms: pd.DataFrame  # mechanisms.csv (MECHANISM_COLUMNS)
    evidence: pd.DataFrame  # mechanism_evidence.csv (EVIDENCE_COLUMNS)
    segment_function: pd.Series  # per segment_id: the segment's function ("" for unanalysed segments)
    segment_mechanism_ids: pd.Series  # per segment_id: "; "-joined mechanism ids ("" for none)
    n_templates: int = 0  # candidate sentences left out as templates (standard answers, a form's wording)
    # what the finder judged and left out: candidate groups, per reason not reported (REASONS), and
    # statements not grouped from the notes (SPEECH: meeting talk, the speaker's own story)
    screening: dict = field(default_factory=dict)


def run_mechanisms(segments: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame,
                   themes: pd.DataFrame | None, cfg: MechanismConfig, embed_cfg=None, cache=None,
                   nlp_cfg: NlpConfig | None = None, earlier: MechanismCodebook | None = None) -> MechanismResult:
    """Functions, claims, candidates and recurring mechanisms for a run. `earlier`: the mechanisms
    of an earlier round (--compare-with, `earlier_round_codebook`), coded after the codebook the
    analyst passed, if any (`combined`). `segments` is the
    segments.csv table (case, session, role, speaker, theme_id, source_file); sentence vectors
    come from the embed stage's cache when it ran with the same backend (else they are encoded).
    With a cache the whole result is cached, keyed on every input column the stage reads."""
    if cache is None or cache.root is None:
        return _run_mechanisms(segments, sentences, tokens, themes, cfg, embed_cfg, cache, nlp_cfg, earlier)
    # the code that decides the result: this package, the statement functions, the label ranking
    # (themes) and the cue matcher and sentence vectors (language)
    from ... import language
    from .. import _statement_functions, themes as theme_package

    # how the work is spread does not change the result: not part of the key
    settings = (replace(cfg, n_process=1, parallel_min_sentences=0), embed_cfg,
                nlp_cfg if cfg.codebook or earlier else None)  # the NLP reads only a codebook's example sentences
    inputs = (
        frame_hash(segments, ["segment_id", "case", "session", "role", "speaker", "theme_id", "source_file",
                              "is_facilitator"]),
        frame_hash(sentences, ["segment_id", "sent", "start_char", "text"]),
        # upos: which content words are nouns (a group sharing one noun only is a topic)
        frame_hash(tokens, ["segment_id", "sent", "start_char", "text", "lemma", "is_alpha", "is_stop", "upos"]),
        frame_hash(themes if themes is not None else pd.DataFrame(), ["theme_id"]),
        Path(cfg.codebook).read_bytes() if cfg.codebook and Path(cfg.codebook).is_file() else b"",
        repr(earlier))  # frozen dataclasses of tuples: the repr is the content
    key = cache.key("mechanisms", code=(sys.modules[__package__], _statement_functions, theme_package, language),
                    settings=settings,
                    inputs=inputs)
    return cache.get_or_build(key, lambda: _run_mechanisms(segments, sentences, tokens, themes, cfg, embed_cfg,
                                                           cache, nlp_cfg, earlier))


_SHARED: dict = {}  # what forked annotation workers read (inherited, never pickled)


def _annotate_range(lo: int, hi: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    sentences, tokens, by_sentence = _SHARED["sentences"], _SHARED["tokens"], _SHARED["by_sentence"]
    part = sentences.iloc[lo:hi]
    return tag_functions(part, tokens, by_sentence), extract_claims(part, tokens, by_sentence)


def _annotate(sentences: pd.DataFrame, tokens: pd.DataFrame, by_sentence: dict, n_process: int,
              min_sentences: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(functions, claims) of every sentence. Every sentence is tagged on its own (claims look back
    one sentence inside the same segment), so above `min_sentences` the sentences are cut at
    segment boundaries into `n_process` parts tagged side by side in forked processes; the tables
    are the same for any number of processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = len(sentences)
    bounds = [0]
    if n_process > 1 and n >= min_sentences:
        seg = sentences["segment_id"].to_numpy()
        for k in range(1, n_process):
            cut = max(bounds[-1], k * n // n_process)
            while 0 < cut < n and seg[cut] == seg[cut - 1]:  # never split a segment
                cut += 1
            bounds.append(cut)
    bounds.append(n)
    ranges = [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a] or [(0, 0)]
    _SHARED.update(sentences=sentences, tokens=tokens, by_sentence=by_sentence)
    try:
        if len(ranges) == 1:
            parts = [_annotate_range(*ranges[0])]
        else:
            with ProcessPoolExecutor(len(ranges) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
                others = [pool.submit(_annotate_range, a, b) for a, b in ranges[1:]]
                parts = [_annotate_range(*ranges[0])] + [f.result() for f in others]
    finally:
        _SHARED.clear()
    if len(parts) == 1:
        return parts[0]
    # concat with an empty part can widen a column to object: keep the dtypes of a one-process run
    tables = []
    for k in (0, 1):
        frames = [p[k] for p in parts]
        model = next((f for f in frames if len(f)), frames[0])  # an empty part has object columns
        tables.append(pd.concat(frames, ignore_index=True).astype(model.dtypes.to_dict()))
    return tables[0], tables[1]


def _within_budget(statements: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most `limit` statements for the grouping, whose average linkage needs memory for every
    pair (15,000 statements: 0.9 GB): above it the problem statements, then the relational ones
    (claims, codebook relations) only. Smaller corpora keep every candidate."""
    for keep in ("problem", "relational"):
        if len(statements) <= limit:
            break
        statements = statements[statements[keep].astype(bool)].reset_index(drop=True)
    return statements


def _earlier_ids(mechanisms: pd.DataFrame, evidence: pd.DataFrame, earlier: MechanismCodebook | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """With an earlier round (--compare-with), as with themes: a mechanism coded from one of its
    mechanisms keeps that id, the others are numbered after every id it had (dropped ones too), so
    an id names one mechanism in both rounds and the analyst's lines by id hold for both."""
    if earlier is None or not len(mechanisms):
        return mechanisms, evidence
    before = [earlier_id(f.id) for f in earlier.families + earlier.rejected]
    n = max((int(i[1:]) for i in before if i[1:].isdigit()), default=0)
    ids = {}
    for mid, family in zip(mechanisms["mechanism_id"], mechanisms["family"]):
        if not earlier_id(family):
            n += 1
        ids[mid] = earlier_id(family) or f"M{n:02d}"
    return (mechanisms.assign(mechanism_id=mechanisms["mechanism_id"].map(ids)),
            evidence.assign(mechanism_id=evidence["mechanism_id"].map(ids)))


def _run_mechanisms(segments, sentences, tokens, themes, cfg, embed_cfg, cache, nlp_cfg=None,
                    earlier=None) -> MechanismResult:
    codebook = combined(load_mechanism_codebook(cfg.codebook) if cfg.codebook else None, earlier)
    by_sentence = sentence_tokens(tokens)
    functions, claims = _annotate(sentences, tokens, by_sentence, cfg.n_process, cfg.parallel_min_sentences)
    segs = segments if "is_facilitator" in segments else segments.assign(is_facilitator=False)
    statements = _within_budget(candidate_statements(sentences, tokens, functions, claims, segs, cfg, by_sentence,
                                                     codebook), cfg.max_statements)
    vectors = None
    if embed_cfg is not None and len(statements):
        ordered = sentences.reset_index(drop=True)
        all_vectors = embed_sentences(ordered, embed_cfg, cache)
        if all_vectors is not None:
            keyed = ordered.set_index(["segment_id", "sent"]).index
            vectors = all_vectors[keyed.get_indexer(list(zip(statements["segment_id"], statements["sent"])))]
    if codebook is not None and codebook.has_examples:  # the analyst's (or the earlier round's) mechanisms
        statements = statements.assign(example_family=code_by_examples(
            statements, vectors, codebook, cfg, nlp_cfg or NlpConfig(), embed_cfg).to_numpy())
        keep = ~statements["example_family"].isin([f.id for f in codebook.rejected]).to_numpy()
        statements = statements[keep].reset_index(drop=True)  # like a mechanism the analyst dropped
        vectors = vectors[keep] if vectors is not None else None
    finder = MechanismFinder(cfg, codebook, embed_cfg).fit(statements, vectors, corpus_cases(segments))
    mechanisms, evidence = _earlier_ids(finder.mechanisms_, finder.evidence_, earlier)
    per_segment = segment_functions(functions)
    seg_function = pd.Series([per_segment.get(s, "") for s in segments["segment_id"]], index=segments.index,
                             dtype="string", name="function")
    return MechanismResult(functions, claims, statements, mechanisms, evidence, seg_function,
                           segment_mechanisms(segments, evidence), finder.n_templates_,
                           {"candidates": finder.n_candidates_, "reported": len(mechanisms),
                            "not_reported": finder.rejected_, "statements_left_out": finder.left_out_})
