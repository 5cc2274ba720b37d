"""Lemma accuracy on the UD Dutch *test* files, on gold tokens and gold UPOS.

    .venv/bin/python benchmarks/lemmas.py [--ud DIR]

Comparison: a prediction is right when it equals the gold lemma after both
are normalised by pipeline.language._lemmas.normalise: UD's "_" boundary marks and
hyphens removed, lowercased except for PROPN (whose case must match).
"all" counts every token, punctuation and numbers included; "content" counts
NOUN, PROPN, VERB, ADJ and ADV only. Methods:
  simplemma  simplemma.lemmatize(form, "nl"), no UPOS;
  spacy      spaCy's "lookup" lemmatizer (spacy-lookups-data table, no UPOS),
             only if spacy-lookups-data is importable;
  ours-rules ours without the override table (simplemma + rules);
  ours       pipeline.language._lemmas.Lemmatizer (simplemma + rules + dev-built table).
Rows marked "no-upos" lemmatize without the gold tag, as pipeline/nlp.py
does today; their output is lowercase, so for them (and the simplemma row
repeated next to them) case is ignored for PROPN too.
The override table is built from the dev files only, so test is held out.
Speed: ours over both test files (40k tokens) in this fresh process: load
time, then a first (uncached) and a second (cached) pass.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simplemma  # noqa: E402

from pipeline.language._lemmas import Lemmatizer, accuracy, normalise, read_conllu  # noqa: E402

UD = ROOT.parent / "shared" / "data" / "ud"
TEST_FILES = {
    "alpino": "UD_Dutch-Alpino/nl_alpino-ud-test.conllu",
    "lassysmall": "UD_Dutch-LassySmall/nl_lassysmall-ud-test.conllu",
}
CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}


def spacy_lookup():
    """spaCy's lookup lemmatizer as a (form, upos) -> lemma callable, or None."""
    try:
        import spacy_lookups_data  # noqa: F401
    except ImportError:
        return None
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("nl")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return lambda form, upos: lemmatizer(Doc(nlp.vocab, words=[form]))[0].lemma_


def error_kind(form: str, gold: str, pred: str) -> str:
    """Rough class of an error, to show what is and is not recoverable."""
    if "_" in gold and gold.split("_")[0].lower() not in form.lower():
        return "particle elsewhere in sentence"  # "zette" -> "in_zetten"
    if "_" in gold and len(normalise(gold, None)) < len(normalise(pred, None)) and pred[:3].lower() == gold[:3].lower():
        return "UD drops compound linker"  # "vrouwenwijding" -> "vrouw_wijding"
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=UD)
    args = ap.parse_args()

    data = {name: [t for s in read_conllu(args.ud / f) for t in s] for name, f in TEST_FILES.items()}
    data["both"] = data["alpino"] + data["lassysmall"]
    toks = data["both"]

    # Timed first, while nothing is cached: loading (table + simplemma's
    # dictionary, once per process), then a first pass that computes every
    # lemma, then a second pass served from the cache.
    start = time.perf_counter()
    ours = Lemmatizer().load()
    ours("laden", "VERB")
    speed = [f"ours, load time: {time.perf_counter() - start:.2f} s (table + simplemma dictionary)"]
    for label in ("first pass, uncached", "second pass, cached"):
        start = time.perf_counter()
        for form, _, upos in toks:
            ours(form, upos)
        speed.append(f"ours, speed ({label}): {len(toks) / (time.perf_counter() - start):,.0f} tokens/s")

    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as empty:
        empty.write("form\tupos\tlemma\n")
    methods = {"simplemma": lambda form, upos: simplemma.lemmatize(form, lang="nl")}
    spacy_fn = spacy_lookup()
    if spacy_fn is None:
        print("note: spacy-lookups-data is not installed; spaCy's lookup lemmatizer is skipped.")
    else:
        methods["spacy-lookup"] = spacy_fn
    methods["ours-rules"] = Lemmatizer(empty.name)
    methods["ours"] = ours
    untagged = {
        "simplemma": methods["simplemma"],
        "ours-no-upos": lambda form, upos: ours(form, None),
    }

    print(__doc__.split("Comparison:")[1].split("Methods:")[0].strip().replace("\n", " "))
    print()
    print(f"{'method':<14}{'file':<12}{'all':>16}{'content':>16}")
    rows = [(m, fn, True) for m, fn in methods.items()] + [(m + "*", fn, False) for m, fn in untagged.items()]
    for mname, fn, propn_case in rows:
        if not propn_case and mname == "simplemma*":
            print("* case-insensitive for PROPN too")
        for fname, ftoks in data.items():
            ok, n = accuracy(ftoks, fn, propn_case)
            cok, cn = accuracy([t for t in ftoks if t[2] in CONTENT], fn, propn_case)
            print(f"{mname:<14}{fname:<12}{ok / n:>8.2%} ({n:>5}){cok / cn:>8.2%} ({cn:>5})")
    Path(empty.name).unlink()

    kinds = Counter(
        error_kind(f, g, ours(f, u)) for f, g, u in toks if normalise(ours(f, u), u) != normalise(g, u)
    )
    print(f"\nours, errors on both test files ({sum(kinds.values())}) by kind:", dict(kinds.most_common()))
    print("\n".join(speed))


if __name__ == "__main__":
    main()
