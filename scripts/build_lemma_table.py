"""Rebuild models/lemmas/nl_ud_overrides.tsv from the UD Dutch *dev* files.

    .venv/bin/python scripts/build_lemma_table.py [--ud DIR] [--min-count N]

A row (form, UPOS, lemma) is written when, in the dev data, that form+UPOS
always has the same lemma, occurs at least --min-count times, and the rule
lemmatizer (simplemma + rules, no table) gets it wrong. Rows with UPOS "*"
do the same over all UPOS (used when no tag is given, or no tagged row hits).

Gold lemmas are not taken when they cannot be read off the word itself:
- a particle separated from the verb elsewhere in the sentence ("zette" ->
  "in_zetten");
- UD's part-by-part compound lemmas that drop linking -s-/-en- or plural
  parts ("vrouwenwijding" -> "vrouw_wijding"): the dictionary lemma keeps them.
Output is sorted, so reruns on the same data give the same file.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.language._lemmas import ANY_UPOS, DEFAULT_TABLE, normalise, read_conllu, rule_lemma  # noqa: E402

UD = ROOT.parent / "shared" / "data" / "ud"
DEV_FILES = ("UD_Dutch-Alpino/nl_alpino-ud-dev.conllu", "UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu")


def readable(form: str, gold: str) -> bool:
    """Can the gold lemma's "_"-marked parts be read off the form?"""
    if "_" not in gold:
        return True
    *first, last = gold.lower().split("_")
    prefix, word = "".join(first), form.lower().replace("-", "")
    if not word.startswith(prefix):
        return False  # separated particle, or a changed first part
    rest = word[len(prefix):]
    # What follows must be the last part, possibly with a participle's ge-.
    return rest.startswith(last[:2]) or rest.startswith("ge")


def build(paths: list[Path], min_count: int) -> list[tuple[str, str, str]]:
    seen: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    forms: dict[tuple[str, str], str] = {}  # key -> a surface form, for rule_lemma
    for path in paths:
        for sent in read_conllu(path):
            for form, gold, upos in sent:
                if "-" in form or upos in ("PUNCT", "SYM") or not readable(form, gold):
                    continue  # hyphenated words are handled by rule on their last part
                lemma = gold.replace("_", "")
                lemma = lemma if upos == "PROPN" else lemma.lower()
                keys = [(form, upos)] if upos == "PROPN" else [(form.lower(), upos), (form.lower(), ANY_UPOS)]
                for key in keys:
                    seen[key][lemma] += 1
                    forms.setdefault(key, form)
    rows = []
    for (key_form, upos), lemmas in seen.items():
        if len(lemmas) != 1:
            continue  # ambiguous in dev: leave it to simplemma and the rules
        (lemma, count), = lemmas.items()
        tag = None if upos == ANY_UPOS else upos
        if count >= min_count and normalise(rule_lemma(forms[key_form, upos], tag), tag) != normalise(lemma, tag):
            rows.append((key_form, upos, lemma))
    return sorted(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=UD, help="UD folder (default: ../shared/data/ud)")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--out", type=Path, default=DEFAULT_TABLE)
    args = ap.parse_args()
    rows = build([args.ud / f for f in DEV_FILES], args.min_count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# Dutch lemma overrides: word form + UPOS -> lemma (UPOS '*' = any).\n"
            f"# Source: UD Dutch Alpino and UD Dutch LassySmall dev files ({', '.join(DEV_FILES)}),\n"
            "#   Bouma, van Noord (Alpino also Zeman, Zabokrtsky); forms where the dev data is\n"
            f"#   unambiguous, seen >= {args.min_count} times, and simplemma + rules are wrong.\n"
            "# Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), see README.md.\n"
            "# Built by scripts/build_lemma_table.py; do not edit by hand.\n"
        )
        fh.write("form\tupos\tlemma\n")
        fh.writelines(f"{f}\t{u}\t{lem}\n" for f, u, lem in rows)
    print(f"wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
