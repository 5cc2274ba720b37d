"""The shipped UPOS + FEATS tagger: held-out accuracy, lemma gain, speed, load time.

    .venv/bin/python benchmarks/tagger.py [--ud DIR] [--words N]

1. UPOS / FEATS accuracy on the held-out UD blocks (pipeline.language._tagger.ud_split: every
   4th block of 20 sentences of each UD *test* file, never trained on), on gold tokens,
   one Doc per block. FEATS counts a token right when its whole FEATS string matches.
2. Lemma accuracy of pipeline.language._lemmas.Lemmatizer on the same held-out tokens, given
   the predicted UPOS, no UPOS (what pipeline/nlp.py does today) and, as a ceiling, the
   gold UPOS. Compared with pipeline.language._lemmas.normalise (UD "_" and hyphens removed);
   case is ignored everywhere in the main columns (the untagged lemmatizer lowercases
   PROPN); "PROPN case" repeats the tagged rows with PROPN case required. "content" =
   tokens whose gold UPOS is NOUN, PROPN, VERB, ADJ or ADV.
3. Speed on real Dutch: the first ~N words (default 50k) of the questions in
   ../shared/data/be_kamer_written_questions_2017/dekamer.tsv (CC0), as words/s of
   blank("nl") tokenizer + sentencizer alone, of make_tagged_nlp() (tokenizer +
   sentencizer + tagger, what pipeline/nlp.py would run) and of blank("nl") + tag()
   (tags copied across vocabularies). Single process; the machine may be shared, so
   compare rows of one run rather than runs.
4. Model load time in a fresh Python process: `import spacy`, then load_tagger()
   (spacy.load(model, exclude=["tokenizer"])), then the first sentence.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.language import _tagger as T  # noqa: E402
from pipeline.language._lemmas import Lemmatizer, normalise  # noqa: E402

DEKAMER = ROOT.parent / "shared" / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv"
CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}


def pct(x: float) -> str:
    return f"{100 * x:6.2f} %"


def accuracy_table(tagger, held) -> None:
    print("## 1. Tagger accuracy, held-out UD (gold tokens)\n")
    print("| part | tokens | UPOS | FEATS | UPOS+FEATS |\n| --- | --- | --- | --- | --- |")
    for name in ("alpino", "lassysmall", "all"):
        blocks = held if name == "all" else [b for b in held if b[0].source == name]
        a = T.accuracy(tagger, blocks)
        print(f"| {name} | {a['tokens']} | {pct(a['upos'])} | {pct(a['feats'])} | {pct(a['upos_feats'])} |")
    print()


def lemma_table(tagger, held) -> None:
    docs = list(tagger.pipe(T.block_doc(tagger.nlp.vocab, b) for b in held))
    rows = []  # (form, gold lemma, gold upos, predicted upos)
    for block, doc in zip(held, docs):
        gold = [(w, lem, u) for s in block for w, lem, u in zip(s.words, s.lemmas, s.upos)]
        rows += [(w, lem, u, t.pos_) for (w, lem, u), t in zip(gold, doc)]
    lem = Lemmatizer().load()

    def score(which: str, propn_case: bool, content: bool) -> str:
        ok = n = 0
        for form, gold, gold_upos, pred_upos in rows:
            if content and gold_upos not in CONTENT:
                continue
            upos = {"predicted": pred_upos, "gold": gold_upos, "none": None}[which]
            key = gold_upos if propn_case else None
            n += 1
            ok += normalise(lem(form, upos), key) == normalise(gold, key)
        return pct(ok / n) if n else "-"

    print("## 2. Lemma accuracy of pipeline.lemmas on the held-out tokens\n")
    print(f"{len(rows)} tokens, {sum(r[2] in CONTENT for r in rows)} content.\n")
    print("| UPOS given to the lemmatizer | all | content | all, PROPN case | content, PROPN case |")
    print("| --- | --- | --- | --- | --- |")
    for which, label in (("none", "none (today)"), ("predicted", "**predicted by the tagger**"),
                         ("gold", "gold (ceiling)")):
        cased = ("-", "-") if which == "none" else (score(which, True, False), score(which, True, True))
        print(f"| {label} | {score(which, False, False)} | {score(which, False, True)} | {cased[0]} | {cased[1]} |")
    print()


def dekamer_texts(n_words: int) -> list[str]:
    csv.field_size_limit(1 << 30)
    texts, words = [], 0
    with open(DEKAMER, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            text = row["question"].strip()
            if text:
                texts.append(text)
                words += len(text.split())
            if words >= n_words:
                break
    return texts


def speed_table(n_words: int) -> None:
    import spacy

    print("## 3. Speed, dekamer.tsv questions (single process)\n")
    if not DEKAMER.exists():
        print(f"skipped: {DEKAMER} not found\n")
        return
    texts = dekamer_texts(n_words)
    blank = spacy.blank("nl")
    blank.add_pipe("sentencizer")
    tagged = T.make_tagged_nlp()
    tagger = T.load_tagger()
    list(tagged.pipe(texts[:20]))  # warm-up

    def run(label, fn):
        t0 = time.perf_counter()
        docs = fn()
        secs = time.perf_counter() - t0
        n = sum(1 for d in docs for t in d if not t.is_space)
        print(f"| {label} | {len(docs)} | {n} | {secs:.2f} | {n / secs:,.0f} |")

    print("| what | texts | words (non-space tokens) | seconds | words/s |\n| --- | --- | --- | --- | --- |")
    run("blank(\"nl\") tokenizer + sentencizer (today)", lambda: list(blank.pipe(texts, batch_size=256)))
    run("make_tagged_nlp(): tokenizer + sentencizer + tagger", lambda: list(tagged.pipe(texts, batch_size=256)))
    run("blank(\"nl\") + sentencizer, then tag() (copies tags)",
        lambda: list(tagger.pipe(blank.pipe(texts, batch_size=256))))
    print()


def load_table() -> None:
    code = (
        "import time; c = [time.perf_counter()]; import spacy; c.append(time.perf_counter()); "
        "from pipeline.language._tagger import load_tagger; c.append(time.perf_counter()); "
        "nlp = load_tagger().nlp; c.append(time.perf_counter()); "
        "nlp('De brugfiguur belt de ouders op.'); c.append(time.perf_counter()); "
        "spacy.blank('nl'); c.append(time.perf_counter()); "
        "print(*[f'{b - a:.3f}' for a, b in zip(c, c[1:])])"
    )
    runs = [list(map(float, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True, cwd=ROOT).stdout.split())) for _ in range(3)]
    best = [min(r[i] for r in runs) for i in range(len(runs[0]))]
    size = sum(p.stat().st_size for p in T.DEFAULT_MODEL.rglob("*") if p.is_file())
    print("## 4. Model load (fresh process, best of 3)\n")
    print(f"- model folder: {T.DEFAULT_MODEL.relative_to(ROOT)}, {size / 1e6:.1f} MB")
    print(f"- `import spacy` {best[0]:.2f} s; `from pipeline.language._tagger import ...` {best[1]:.2f} s (the `pipeline` package __init__, pandas included); "
          f"**`load_tagger()` {best[2]:.2f} s**; first sentence {best[3]:.3f} s")
    print(f"- for comparison, `spacy.blank(\"nl\")` (what pipeline/nlp.py builds today; most of the "
          f"load is this same Dutch tokenizer): {best[4]:.2f} s\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=T.UD_DIR)
    ap.add_argument("--words", type=int, default=50_000)
    args = ap.parse_args()

    tagger = T.load_tagger()
    if args.ud.exists():
        held = T.ud_split(args.ud)["heldout"]
        accuracy_table(tagger, held)
        lemma_table(tagger, held)
    else:
        print(f"UD data not found at {args.ud}: accuracy sections skipped\n")
    speed_table(args.words)
    load_table()


if __name__ == "__main__":
    main()
