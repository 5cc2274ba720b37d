"""Stage `nlp`: analysed segments -> sentences and tokens with UPOS, lemmas and stop-word flags.

Needs: the segments table. Adds: the `sentences` and `tokens` tables (offsets into the document
text). spaCy's `blank("nl")` tokenizer and rule sentencizer, streamed with `nlp.pipe`; UPOS from
the project's own tagger trained on UD Dutch (`pipeline.tagger`, models/tagger, measured in
benchmarks/tagger.py); POS-aware lemmas from `pipeline.lemmas` (simplemma + a table learned from
UD Dutch, measured in benchmarks/lemmas.py). The parse is cached per document, keyed by the segment texts, the NLP
settings and this stage's VERSION, so reclustering never re-parses.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ..cache import Cache
from ..config import NlpConfig
from ..schema import check, empty
from . import _lemmas, _tagger

__all__ = ["parse", "make_nlp", "stop_words"]


_OPENING = frozenset("[(“‘«„")  # opening brackets and quotes; not the two-way \" and '


def _opening_starts_sentence(doc):
    """The sentencizer keeps punctuation after a full stop with the sentence it ends, also an
    opening bracket: "… groeien. [Persoon 2] zegt …" would end in "[". Move such a start back
    onto the bracket, so a pseudonym (and a quote or aside) stays whole in its own sentence."""
    for token in doc[1:-1]:
        following = doc[token.i + 1]
        if token.text in _OPENING and following.is_sent_start and not token.is_sent_start:
            token.is_sent_start, following.is_sent_start = True, False
    return doc


@lru_cache(maxsize=4)
def make_nlp():
    """spaCy's Dutch tokenizer with a rule-based sentencizer: no model download needed."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("opening_starts_sentence"):
        Language.component("opening_starts_sentence", func=_opening_starts_sentence)
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("opening_starts_sentence")
    return nlp


@lru_cache(maxsize=8)
def stop_words(keep: tuple[str, ...]) -> frozenset[str]:
    """spaCy's Dutch stop words minus the ones that carry meaning in notes (niet, geen, meer)."""
    from ._languages import spacy_stop_words

    return spacy_stop_words("nl") - set(keep)


@lru_cache(maxsize=1)
def _lemmatizer():
    from ._lemmas import Lemmatizer

    return Lemmatizer().load()


def _parse_texts(texts: list[str], cfg: NlpConfig, progress) -> list[list[tuple]]:
    """Per text: (sent, char offset, text, lemma, is_stop, is_alpha, sentence end, upos) per token.

    With cfg.n_process > 1 and enough text, the texts are cut into that many contiguous parts and
    the parts after the first are parsed in forked worker processes while this one parses the
    first (the tagger holds the GIL, so threads do not help). Each text is parsed on its own,
    so the result is the same for any number of processes."""
    n = max(1, int(cfg.n_process))
    if n == 1 or sum(len(t) for t in texts) < cfg.parallel_min_chars:
        return _parse_part(texts, cfg, progress)
    _models(cfg)  # load before the fork: the workers share them instead of loading their own
    bounds = np.linspace(0, len(texts), n + 1).astype(int)
    parts = [texts[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(n - 1, mp_context=context) as pool:
        others = [pool.submit(_parse_part, part, cfg, None) for part in parts[1:]]
        out = _parse_part(parts[0], cfg, progress, total=len(texts))
        for future in others:
            out += future.result()
    return out


def _models(cfg: NlpConfig):
    if cfg.tagger:
        from ._tagger import load_tagger

        load_tagger()
    return make_nlp(), _lemmatizer(), stop_words(tuple(cfg.keep_stopwords))


def _parse_part(texts: list[str], cfg: NlpConfig, progress, total: int | None = None) -> list[list[tuple]]:
    progress = progress or (lambda it, desc, total=None: it)
    nlp, lemmatize, stops = _models(cfg)
    out = []
    docs = nlp.pipe(texts, batch_size=cfg.batch_size)
    if cfg.tagger:  # UPOS and morphology from the tagger trained on UD Dutch (models/tagger)
        from ._tagger import load_tagger

        docs = load_tagger().pipe(docs, batch_size=cfg.batch_size)
    for doc in progress(docs, "taalanalyse", total=total or len(texts)):
        rows = []
        for s_index, sent in enumerate(doc.sents):
            for token in sent:
                if token.is_space:
                    continue
                upos = token.pos_ if cfg.tagger else ""
                lemma = lemmatize(token.text, upos or None) if token.is_alpha else token.text.lower()
                low = token.text.lower()
                rows.append((s_index, token.idx, token.text, lemma,
                             low in stops or lemma.lower() in stops, token.is_alpha, sent.end_char, upos))
        out.append(rows)
    return out


def parse(segments: pd.DataFrame, cfg: NlpConfig, cache: Cache | None = None,
          progress: Callable[..., Iterable] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sentences, tokens) for the analysed segments, from cache where possible."""
    progress = progress or (lambda it, desc, total=None: it)
    cache = cache or Cache(None)
    analysed = segments[segments["analysed"]]
    # how the work is spread (processes, batches) does not change the parse: not part of the key
    settings = replace(cfg, n_process=1, parallel_min_chars=0, batch_size=0, batch_chars=0)
    code = (sys.modules[__name__], _lemmas, _tagger)
    per_doc: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    todo: list[tuple[str, str, pd.DataFrame]] = []
    for doc_id, group in analysed.groupby("doc_id", sort=True):
        key = cache.key("nlp", code=code, settings=settings,
                        inputs=list(zip(group["segment_id"], group["start_char"], group["text"])))
        hit = cache.get(key)
        if hit is not None:
            per_doc[doc_id] = hit
        else:
            todo.append((doc_id, key, group))

    # Documents are parsed in batches of about cfg.batch_chars characters, each turned into its
    # tables before the next: the per-token tuples of a whole corpus never sit in memory together.
    batches: list[list] = []
    size = cfg.batch_chars
    for item in todo:
        chars = int(item[2]["text"].str.len().sum())
        if not batches or size + chars > cfg.batch_chars:
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += chars
    for batch in batches:
        texts = [t for _, _, g in batch for t in g["text"]]
        parsed = iter(_parse_texts(texts, cfg, progress))
        for doc_id, key, group in batch:
            sent_rows, tok_rows = [], []
            for seg in group.itertuples(index=False):
                tokens = next(parsed)
                sents: dict[int, list] = {}
                for tok_index, (s, idx, text, lemma, is_stop, is_alpha, s_end, upos) in enumerate(tokens):
                    tok_rows.append((seg.segment_id, s, tok_index, seg.start_char + idx, text, lemma,
                                     is_stop, is_alpha, upos))
                    sents.setdefault(s, [idx, s_end])
                for s, (s_start, s_end) in sents.items():
                    sent_rows.append((seg.segment_id, s, seg.start_char + s_start, seg.start_char + s_end,
                                      seg.text[s_start:s_end]))
            result = (
                pd.DataFrame(sent_rows, columns=list(_columns("sentences"))),
                pd.DataFrame(tok_rows, columns=list(_columns("tokens"))),
            )
            cache.put(key, result)
            per_doc[doc_id] = result

    if not per_doc:
        return empty("sentences"), empty("tokens")
    order = sorted(per_doc)
    sentences = pd.concat([per_doc[d][0] for d in order], ignore_index=True)
    tokens = pd.concat([per_doc[d][1] for d in order], ignore_index=True)
    return check(sentences, "sentences"), check(tokens, "tokens")


def _columns(table: str):
    from ..schema import TABLES

    return TABLES[table].columns.keys()
