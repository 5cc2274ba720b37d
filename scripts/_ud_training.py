"""What the training scripts of the UD models (train_tagger.py, train_parser.py) share: the
DocBins of a split, the record of a training run and the metrics file."""

from __future__ import annotations

import hashlib
import json
import os
import platform
from pathlib import Path

import spacy
from spacy.tokens import DocBin


def split_counts(split: dict) -> dict:
    """Blocks, sentences and tokens per part of a split (part -> blocks of UDSentences)."""
    return {part: {"blocks": len(b), "sentences": sum(len(x) for x in b),
                   "tokens": sum(len(s.words) for x in b for s in x)} for part, b in split.items()}


def write_docbins(split: dict, work: Path, block_docs, attrs: list[str]) -> dict[str, Path]:
    """Each part of `split` as a DocBin of `block_docs(vocab, blocks)` in `work`: part -> path."""
    vocab = spacy.blank("nl").vocab
    paths = {}
    for part, blocks in split.items():
        paths[part] = work / f"{part}.spacy"
        DocBin(attrs=attrs, docs=block_docs(vocab, blocks)).to_disk(paths[part])
    return paths


def training_record(config: Path, max_steps: int | None, wall: float, cpu: float) -> dict:
    """How a model was trained: time, steps, the config's hash and the machine."""
    cfg = spacy.util.load_config(config)
    return {"wall_seconds": round(wall), "cpu_seconds": round(cpu),
            "max_steps": max_steps or cfg["training"]["max_steps"],
            "config_sha256": hashlib.sha256(config.read_bytes()).hexdigest(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other jobs, nice 10"}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write_metrics(path: Path, root: Path, out: Path, split: dict, training: dict, heldout: dict) -> None:
    """The model's metrics.json (`split`: its definition, files and counts) and a short print."""
    metrics = {"model": str(out.relative_to(root)), "split": split, "training": training, "heldout": heldout,
               "size_bytes": dir_size(out),
               "versions": {"spacy": spacy.__version__, "python": platform.python_version()}}
    path.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(heldout, indent=2))
    print(f"model {out} ({metrics['size_bytes'] / 1e6:.1f} MB); metrics {path}")
