"""The shipped Dutch dependency parser: held-out attachment scores beside trivial trees, speed.

    .venv/bin/python benchmarks/parser.py [--ud DIR] [--words N]

1. UAS / LAS on the held-out UD blocks (the tagger's protocol: every 4th block of 20
   sentences of each UD *test* file, never trained on, never used to pick a checkpoint),
   gold tokens, one Doc per gold sentence (its boundaries preset, as parse_dependencies
   does). All tokens count (CoNLL 2018), punctuation included; "no punct" leaves out tokens
   whose gold UPOS is PUNCT. LAS needs the full
   relation ("obl:arg"); "LAS base" only its part before ":".
   Baselines computed in the same run on the same sentences: "head = next token" (the last
   token is the root) and "nearest verb" (each token attaches to the nearest VERB/AUX, as
   tagged by the shipped tagger; the first verb is the root). Their relations: the most
   frequent relation of the token's UPOS in the training sentences.
2. The same with the pipeline's own tokens (text re-tokenized by blank("nl"), aligned to UD
   by spaCy's Example; spaCy's Scorer, which leaves punctuation out), the parser cutting
   the sentences itself (one Doc per gold sentence, boundaries not preset).
3. The tagger is another pipeline, untouched: its held-out UPOS / FEATS, measured here again.
4. Speed on real Dutch (first ~N words of the dekamer.tsv questions, CC0, one Doc per
   sentence, as the mechanisms stage parses candidate statements): words/s of the tagger
   alone and of parse_dependencies() (parser + tagger). Single process, shared machine.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.training import Example  # noqa: E402

from pipeline.language import _parser as P  # noqa: E402
from pipeline.language import _tagger as T  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from tagger import dekamer_texts  # noqa: E402


def pct(x: float) -> str:
    return f"{100 * x:6.2f} %"


def scores_table(held, train) -> None:
    nlp, tagger = P.load_parser(), T.load_tagger()
    rel = P.frequent_relations([s for b in train for s in b])
    print("## 1. Attachment scores, held-out UD (gold tokens, one Doc per sentence)\n")
    print("| part | model | tokens | UAS | LAS | LAS base | UAS no punct | LAS no punct |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in ("alpino", "lassysmall", "all"):
        blocks = held if name == "all" else [b for b in held if b[0].source == name]
        docs, sents = P.sentence_docs(nlp.vocab, blocks)
        t0 = time.perf_counter()
        parsed = [([t.head.i for t in d], [t.dep_ for t in d]) for d in nlp.pipe(docs)]
        secs = time.perf_counter() - t0
        tagged = [[t.pos_ for t in d] for d in tagger.pipe(P.sentence_docs(tagger.nlp.vocab, blocks)[0])]
        rows = {"**parser**": parsed}
        for kind, label in (("next", "baseline: head = next token"), ("verb", "baseline: nearest verb")):
            rows[label] = [(P.baseline_heads(s, kind, upos), [rel.get(u, "dep") for u in upos])
                           for s, upos in zip(sents, tagged)]
        for label, pred in rows.items():
            a = P.attachment(pred, sents)
            print(f"| {name} | {label} | {a['tokens']} | {pct(a['uas'])} | {pct(a['las'])} | {pct(a['las_base'])} "
                  f"| {pct(a['uas_no_punct'])} | {pct(a['las_no_punct'])} |")
        if name == "all":
            n = sum(len(s.words) for s in sents)
            print(f"\n(parser on gold tokens: {n} tokens in {secs:.2f} s, {n / secs:,.0f} tokens/s)")
    print()


def pipeline_tokens(held) -> None:
    nlp = P.load_parser()
    docs, sents = P.sentence_docs(nlp.vocab, held)
    refs = []
    for doc, s in zip(docs, sents):
        ref = doc.copy()
        for tok, h, r in zip(ref, s.heads, s.deprels):
            tok.head, tok.dep_ = ref[h], r
        refs.append(ref)
    scores = nlp.evaluate([Example(nlp.make_doc(r.text), r) for r in refs])
    print("## 2. With the pipeline's tokenizer (spaCy Scorer, punctuation left out)\n")
    print(f"- dep_uas {pct(scores['dep_uas'])}, dep_las {pct(scores['dep_las'])}, "
          f"sentence F {pct(scores['sents_f'])}\n")


def tagger_table(held) -> None:
    a = T.accuracy(T.load_tagger(), held)
    print("## 3. The tagger (separate pipeline, unchanged)\n")
    print(f"- held-out UPOS {pct(a['upos'])}, FEATS {pct(a['feats'])}, UPOS+FEATS {pct(a['upos_feats'])} "
          f"({a['tokens']} tokens; models/tagger/metrics.json has the same figures)\n")


def speed_table(n_words: int) -> None:
    print("## 4. Speed, dekamer.tsv questions, one Doc per sentence (single process)\n")
    texts = [s for t in dekamer_texts(n_words) for s in re.split(r"(?<=[.?!])\s+", " ".join(t.split())) if s]
    words = sum(len(s.split()) for s in texts)
    tagged = T.make_tagged_nlp()
    P.parse_dependencies(texts[:20])  # load and warm up
    list(tagged.pipe(texts[:20]))
    print("| what | sentences | words | seconds | words/s |\n| --- | --- | --- | --- | --- |")
    for label, fn in (("tokenizer + tagger (make_tagged_nlp)", lambda: list(tagged.pipe(texts, batch_size=256))),
                      ("parse_dependencies: tokenizer + parser + tagger", lambda: P.parse_dependencies(texts))):
        t0 = time.perf_counter()
        fn()
        secs = time.perf_counter() - t0
        print(f"| {label} | {len(texts)} | {words} | {secs:.2f} | {words / secs:,.0f} |")
    size = sum(p.stat().st_size for p in P.DEFAULT_MODEL.rglob("*") if p.is_file())
    print(f"\n- model folder {P.DEFAULT_MODEL.relative_to(ROOT)}: {size / 1e6:.1f} MB\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=T.UD_DIR)
    ap.add_argument("--words", type=int, default=20_000)
    args = ap.parse_args()
    if args.ud.exists():
        split = P.parser_split(args.ud)
        scores_table(split["heldout"], split["train"])
        pipeline_tokens(split["heldout"])
        tagger_table(split["heldout"])
    else:
        print(f"UD data not found at {args.ud}: accuracy sections skipped\n")
    speed_table(args.words)


if __name__ == "__main__":
    main()
