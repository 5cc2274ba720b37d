"""Train the Dutch UPOS + FEATS tagger shipped in models/tagger/nl_ud_tagger/.

    nice -n 10 .venv/bin/python scripts/train_tagger.py [--ud DIR] [--max-steps N] [--pretrain]

About 6-11 wall minutes on 2 shared cores (4000 steps), depending on load; --pretrain adds ~9.

Reads UD_Dutch-Alpino and UD_Dutch-LassySmall (dev + test files; the train files are
not available here) from ../shared/data/ud, never copying them into the project:

1. splits them with pipeline.language._tagger.ud_split (blocks of 20 consecutive sentences;
   every 4th block of each *test* file is held out, every 10th block of each *dev*
   file is the tune set used to pick the checkpoint, the rest is trained on);
2. writes the parts as spaCy DocBins (one Doc per block: words, spaces, UPOS, FEATS,
   sentence starts) to a temporary folder under /tmp, removed at the end;
3. trains with ``spacy train`` (Python API) on models/tagger/config.cfg: fixed step
   count and seed, so a retrain reproduces the model up to float noise;
4. saves the best checkpoint (by tune-set POS + FEATS accuracy) to
   models/tagger/nl_ud_tagger/ with nlp.to_disk, after adding a one-rule
   attribute_ruler (whitespace tokens -> SPACE) and the licence in meta.json;
5. measures it on the held-out blocks and writes models/tagger/metrics.json.

``--pretrain`` first pretrains the tok2vec on the raw text of ../shared/data/
be_kamer_written_questions_2017/dekamer.tsv (CC0) with spaCy's characters objective
(config [pretraining]) and starts training from it; off by default because it did not
help significantly (README). ``--eval-only`` redoes step 5 on the saved model. Multiword tokens: the two treebanks
have none; the reader would keep the surface words of a range only if it had. Empty
nodes (enhanced UD) are skipped.
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
from spacy.training import Example  # noqa: E402

from pipeline.language import _tagger as T  # noqa: E402

import _ud_training as U  # noqa: E402  (scripts/, on the path when a script runs)

CONFIG = ROOT / "models" / "tagger" / "config.cfg"
OUT = T.DEFAULT_MODEL
METRICS = ROOT / "models" / "tagger" / "metrics.json"
DEKAMER = ROOT.parent / "shared" / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv"

META = {
    "name": "ud_tagger",
    "version": "1.0.0",
    "description": (
        "Dutch UPOS + UD FEATS tagger (CNN tok2vec + morphologizer) for the stadsgenoten "
        "pipeline; trained on UD Dutch Alpino and LassySmall (dev files + 3/4 of the test "
        "files). Derived from CC BY-SA 4.0 data and distributed under CC BY-SA 4.0."
    ),
    "license": "CC BY-SA 4.0",
    "spacy_version": ">=3.8.0,<3.9.0",  # pyproject's range; architectures are all v1/v2
    "author": "stadsgenoten (see models/tagger/README.md)",
    "sources": T.UD_SOURCES,
}


def block_docs(vocab, blocks) -> list[Doc]:
    """Gold Docs, one per block: UPOS, FEATS and sentence starts."""
    docs = []
    for block in blocks:
        doc = T.block_doc(vocab, block)
        upos = [u for s in block for u in s.upos]
        feats = [f for s in block for f in s.feats]
        starts = [i == 0 for s in block for i in range(len(s.words))]
        for tok, u, f, st in zip(doc, upos, feats, starts):
            tok.pos_ = u
            tok.set_morph(f or None)
            tok.is_sent_start = st
        docs.append(doc)
    return docs


def write_raw_text(path: Path, dekamer: Path) -> int:
    """dekamer.tsv questions and answers as JSONL chunks of whole sentences (~150 words;
    spaCy's pretraining corpus skips texts over 500 tokens). Returns the word count."""
    import csv
    import re

    csv.field_size_limit(1 << 30)
    words = 0
    with open(dekamer, encoding="utf-8", newline="") as fh, open(path, "w", encoding="utf-8") as out:
        for row in csv.DictReader(fh, delimiter="\t"):
            for field in ("question", "answer"):
                for para in re.split(r"\n\s*\n", row[field] or ""):
                    chunk: list[str] = []
                    for sent in re.split(r"(?<=[.?!])\s+", " ".join(para.split())):
                        chunk += sent.split()
                        if len(chunk) >= 150:
                            out.write(json.dumps({"text": " ".join(chunk)}) + "\n")
                            words += len(chunk)
                            chunk = []
                    if chunk:
                        out.write(json.dumps({"text": " ".join(chunk)}) + "\n")
                        words += len(chunk)
    return words


def pretrain(raw: Path, work: Path) -> Path:
    from spacy.training.pretrain import pretrain as spacy_pretrain

    config = spacy.util.load_config(CONFIG, overrides={"paths.raw_text": str(raw)}, interpolate=True)
    out = work / "pretrain"
    out.mkdir()
    spacy_pretrain(config, out, silent=False)
    return out / "model-last.bin"


def train(paths: dict[str, Path], work: Path, max_steps: int | None, init_tok2vec: Path | None) -> Path:
    from spacy.cli.train import train as spacy_train

    overrides = {"paths.train": str(paths["train"]), "paths.dev": str(paths["tune"])}
    if init_tok2vec:
        overrides["paths.init_tok2vec"] = str(init_tok2vec)
    if max_steps:
        overrides["training.max_steps"] = max_steps
    spacy_train(CONFIG, work / "out", use_gpu=-1, overrides=overrides)
    return work / "out" / "model-best"


def save(best: Path) -> None:
    nlp = spacy.load(best)
    ruler = nlp.add_pipe("attribute_ruler", after="morphologizer")
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE", "MORPH": ""})
    nlp.meta.update(META)
    nlp.meta.pop("performance", None)  # the tune-set scores; metrics.json has the held-out ones
    for key in ("train", "dev", "raw_text", "init_tok2vec"):
        nlp.config["paths"][key] = None  # not the /tmp paths of this run
    if OUT.exists():
        shutil.rmtree(OUT)
    nlp.to_disk(OUT)


def evaluate(split) -> dict:
    t0 = time.perf_counter()
    tagger = T.load_tagger(OUT)
    load_s = time.perf_counter() - t0
    held = split["heldout"]
    result: dict = {"load_seconds": round(load_s, 3)}
    # (a) gold UD tokens, one Doc per 20-sentence block
    gold = {"all": T.accuracy(tagger, held)}
    for src in ("alpino", "lassysmall"):
        gold[src] = T.accuracy(tagger, [b for b in held if b[0].source == src])
    result["gold_tokens"] = gold
    # (b) as in the pipeline: text re-tokenized by blank("nl"), tags aligned to UD
    # tokens by spaCy's Example alignment and scored by spaCy's Scorer (a UD token
    # split or merged by the tokenizer counts as wrong).
    nlp = tagger.nlp
    examples = [Example(nlp.make_doc(ref.text), ref) for ref in block_docs(nlp.vocab, held)]
    scores = nlp.evaluate(examples)
    result["pipeline_tokens"] = {k: scores[k] for k in ("pos_acc", "morph_acc", "morph_micro_f") if k in scores}
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=T.UD_DIR)
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--dekamer", type=Path, default=DEKAMER, help="raw text for pretraining (CC0)")
    ap.add_argument("--pretrain", action="store_true",
                    help="first pretrain the tok2vec on --dekamer (off: measured +0.1 UPOS, not significant)")
    ap.add_argument("--init-tok2vec", type=Path, default=None,
                    help="reuse a pretraining result (model-last.bin of an earlier run) instead of pretraining")
    ap.add_argument("--eval-only", action="store_true", help="only re-measure the saved model")
    ap.add_argument("--keep-work", action="store_true", help="keep the /tmp working folder")
    args = ap.parse_args()

    split = T.ud_split(args.ud)
    counts = U.split_counts(split)
    print(json.dumps(counts))
    train_info = json.loads(METRICS.read_text()).get("training", {}) if METRICS.exists() else {}
    if not args.eval_only:
        work = Path(tempfile.mkdtemp(prefix="stadsgenoten_tagger_", dir="/tmp"))
        try:
            paths = U.write_docbins(split, work, block_docs, ["ORTH", "SPACY", "POS", "MORPH", "SENT_START"])
            t0, c0 = time.perf_counter(), time.process_time()
            init, raw_words = None, 0
            if args.init_tok2vec:
                init = args.init_tok2vec
            elif args.pretrain:
                raw_words = write_raw_text(work / "raw.jsonl", args.dekamer)
                init = pretrain(work / "raw.jsonl", work)
                if args.keep_work:
                    print(f"pretrained tok2vec: {init}")
            t1, c1 = time.perf_counter(), time.process_time()
            best = train(paths, work, args.max_steps, init)
            t2, c2 = time.perf_counter(), time.process_time()
            save(best)
        finally:
            if not args.keep_work:
                shutil.rmtree(work, ignore_errors=True)
        cfg = spacy.util.load_config(CONFIG)
        train_info = {
            "pretrain": None if not (args.pretrain or args.init_tok2vec) else {
                "raw_text": "dekamer.tsv questions + answers (CC0)",
                "epochs": cfg["pretraining"]["max_epochs"],
                **({"reused": str(args.init_tok2vec)} if args.init_tok2vec else
                   {"words": raw_words, "wall_seconds": round(t1 - t0), "cpu_seconds": round(c1 - c0)})},
            **U.training_record(CONFIG, args.max_steps, t2 - t1, c2 - c1),
        }
    definition = (
        f"each UD test file cut in file order into blocks of {T.BLOCK} sentences; block i is held out "
        f"when i % {T.HELD_OUT_EVERY} == {T.HELD_OUT_EVERY - 1}. Dev files cut the same way; block i is "
        f"the tune set (checkpoint choice) when i % {T.TUNE_EVERY} == {T.TUNE_EVERY - 1}. The rest is train."
    )
    files = [f for _, d, t in T.UD_FILES for f in (d, t)]
    U.write_metrics(METRICS, ROOT, OUT, {"definition": definition, "files": files, **counts}, train_info,
                    evaluate(split))


if __name__ == "__main__":
    main()
