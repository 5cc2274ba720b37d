"""Train the Dutch dependency parser shipped in models/parser/nl_ud_parser/.

    nice -n 10 .venv/bin/python scripts/train_parser.py [--ud DIR] [--max-steps N] [--eval-only]

About 12 wall minutes on 2 shared cores (1500 steps; 697 s measured, ~8.5 CPU minutes), depending on load.

Reads, from ../shared/data/ud (never copied into the project), the UD Dutch Alpino and
LassySmall dev + test files and the 2017 LassySmall train file (minus every dev/test
sentence):

1. splits them with pipeline.language._parser.parser_split: the tagger's split (same
   held-out blocks: every 4th block of 20 sentences of each *test* file; same tune blocks:
   every 10th block of each *dev* file, used to pick the checkpoint) plus the whole 2017
   train file in train;
2. writes the parts as spaCy DocBins (one Doc per block: words, spaces, heads, relations,
   sentence starts) to a temporary folder under /tmp, removed at the end;
3. trains with ``spacy train`` (Python API) on models/parser/config.cfg: a copy of the
   tagger's tok2vec (models/tagger/nl_ud_tagger) as the start, fine-tuned with the parser on
   top; fixed step count and seed, so a retrain reproduces the model up to float noise;
4. saves the parser component of the best checkpoint (by tune-set LAS), its tok2vec folded
   in, to models/parser/nl_ud_parser/ (parser/, its config section, the licence in meta.json);
5. measures it on the held-out blocks (gold tokens, one Doc per sentence) and writes
   models/parser/metrics.json. ``--eval-only`` redoes step 5 on the saved model.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from pipeline.language import _parser as P  # noqa: E402
from pipeline.language import _tagger as T  # noqa: E402

import _ud_training as U  # noqa: E402  (scripts/, on the path when a script runs)

CONFIG = ROOT / "models" / "parser" / "config.cfg"
OUT = P.DEFAULT_MODEL
METRICS = ROOT / "models" / "parser" / "metrics.json"

META = {
    "name": "ud_parser",
    "version": "1.0.0",
    "description": (
        "Dutch dependency parser (CNN tok2vec + transition-based parser, UD basic relations) "
        "for the stadsgenoten pipeline; trained on UD Dutch Alpino and LassySmall (dev files, "
        "3/4 of the test files, the 2017 LassySmall train file minus today's dev/test). "
        "Derived from CC BY-SA 4.0 data and distributed under CC BY-SA 4.0."
    ),
    "license": "CC BY-SA 4.0",
    "spacy_version": ">=3.8.0,<3.9.0",
    "author": "stadsgenoten (see models/parser/README.md)",
    "sources": T.UD_SOURCES,
}


def block_docs(vocab, blocks) -> list[Doc]:
    """Gold Docs, one per block: heads, relations (so sentence starts) on gold tokens."""
    docs = []
    for block in blocks:
        words = [w for s in block for w in s.words]
        spaces = [sp if i < len(s.words) - 1 else True for s in block for i, sp in enumerate(s.spaces)]
        spaces[-1] = False
        heads, offset = [], 0
        for s in block:
            heads += [offset + h for h in s.heads]
            offset += len(s.words)
        deps = [r for s in block for r in s.deprels]
        docs.append(Doc(vocab, words=words, spaces=spaces, heads=heads, deps=deps))
    return docs


def train(paths: dict[str, Path], work: Path, max_steps: int | None) -> Path:
    from spacy.cli.train import train as spacy_train

    overrides = {"paths.train": str(paths["train"]), "paths.dev": str(paths["tune"]),
                 "paths.tagger": str(T.DEFAULT_MODEL)}
    if max_steps:
        overrides["training.max_steps"] = max_steps
    spacy_train(CONFIG, work / "out", use_gpu=-1, overrides=overrides)
    return work / "out" / "model-best"


def save(best: Path) -> None:
    """Only the parser component (its weights, moves and labels), its config section and the
    licence. Its fine-tuned tok2vec is folded into it first (replace_listeners), so it stands
    alone on top of the unchanged tagger at load time."""
    nlp = spacy.load(best)
    nlp.replace_listeners("tok2vec", "parser", ["model.tok2vec"])
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    nlp.get_pipe("parser").to_disk(OUT / "parser")
    spacy.util.Config({"parser": nlp.config["components"]["parser"]}).to_disk(OUT / "config.cfg")
    meta = {"lang": "nl", **META, "tagger": str(T.DEFAULT_MODEL.relative_to(ROOT)),
            "labels": sorted(nlp.get_pipe("parser").labels)}
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def evaluate(held) -> dict:
    """Held-out UAS / LAS on gold tokens, one Doc per gold sentence (boundaries preset), per treebank."""
    t0 = time.perf_counter()
    nlp = P.load_parser(OUT)
    result: dict = {"load_seconds": round(time.perf_counter() - t0, 3)}
    for src in ("alpino", "lassysmall", "all"):
        blocks = held if src == "all" else [b for b in held if b[0].source == src]
        docs, sents = P.sentence_docs(nlp.vocab, blocks)
        pred = [([t.head.i for t in d], [t.dep_ for t in d]) for d in nlp.pipe(docs)]
        result[src] = P.attachment(pred, sents)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=T.UD_DIR)
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--eval-only", action="store_true", help="only re-measure the saved model")
    ap.add_argument("--keep-work", action="store_true", help="keep the /tmp working folder")
    args = ap.parse_args()

    split = P.parser_split(args.ud)
    counts = U.split_counts(split)
    print(json.dumps(counts))
    train_info = json.loads(METRICS.read_text()).get("training", {}) if METRICS.exists() else {}
    if not args.eval_only:
        work = Path(tempfile.mkdtemp(prefix="stadsgenoten_parser_", dir="/tmp"))
        try:
            paths = U.write_docbins(split, work, block_docs, ["ORTH", "SPACY", "HEAD", "DEP", "SENT_START"])
            t0, c0 = time.perf_counter(), time.process_time()
            best = train(paths, work, args.max_steps)
            t1, c1 = time.perf_counter(), time.process_time()
            save(best)
        finally:
            if not args.keep_work:
                shutil.rmtree(work, ignore_errors=True)
        train_info = U.training_record(CONFIG, args.max_steps, t1 - t0, c1 - c0)
    definition = (
        "the tagger's split (models/tagger/metrics.json: held-out = block i of each UD test file "
        f"with i % {T.HELD_OUT_EVERY} == {T.HELD_OUT_EVERY - 1}, tune = block i of each dev file with "
        f"i % {T.TUNE_EVERY} == {T.TUNE_EVERY - 1}, blocks of {T.BLOCK} sentences) plus the whole "
        "2017 LassySmall train file (minus today's dev/test sentences) in train."
    )
    files = [f for _, d, t in T.UD_FILES for f in (d, t)] + [P.TRAIN_2017]
    U.write_metrics(METRICS, ROOT, OUT, {"definition": definition, "files": files, **counts}, train_info,
                    evaluate(split["heldout"]))


if __name__ == "__main__":
    main()
