"""Benchmark of pipeline.privacy.find_persons on annotated Dutch sentences.

    python benchmarks/persons.py [--split dev|heldout|all] [--errors] [--data PATH]

Data: benchmarks/data/person_names_nl.jsonl, one fictitious interview-note
sentence per line with gold person spans (character offsets), a manifest
("declared", may be empty), a split ("dev": used while writing the rules;
"heldout": not looked at while tuning) and tags.

Prints, per split: recall / precision / F1 with exact span match and with
partial overlap (a predicted span that overlaps a gold span), split by
with/without declared names, recall per hard-case category of the gold span,
false positives per sentence tag, and throughput in words per second.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.privacy import find_persons  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "person_names_nl.jsonl"


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        for p in r["persons"]:
            assert r["text"][p["start"]:p["end"]] == p["text"], (r["id"], p)
    return rows


class Counts:
    def __init__(self):
        self.tp_exact = self.tp_overlap_gold = self.tp_overlap_pred = 0
        self.n_gold = self.n_pred = 0

    def add(self, gold: list[tuple[int, int]], pred: list[tuple[int, int]]):
        self.n_gold += len(gold)
        self.n_pred += len(pred)
        gs, ps = set(gold), set(pred)
        self.tp_exact += len(gs & ps)
        self.tp_overlap_gold += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
        self.tp_overlap_pred += sum(1 for p in pred if any(p[0] < g[1] and g[0] < p[1] for g in gold))

    @staticmethod
    def _prf(tp_r, tp_p, n_gold, n_pred):
        r = tp_r / n_gold if n_gold else float("nan")
        p = tp_p / n_pred if n_pred else float("nan")
        f = 2 * p * r / (p + r) if n_gold and n_pred and (p + r) else float("nan")
        return r, p, f

    def line(self, label: str) -> str:
        re_, pe, fe = self._prf(self.tp_exact, self.tp_exact, self.n_gold, self.n_pred)
        ro, po, fo = self._prf(self.tp_overlap_gold, self.tp_overlap_pred, self.n_gold, self.n_pred)
        return (f"{label:<28} gold={self.n_gold:<4} pred={self.n_pred:<4} | exact R={re_:.3f} P={pe:.3f} "
                f"F1={fe:.3f} | overlap R={ro:.3f} P={po:.3f} F1={fo:.3f}")


def evaluate(rows: list[dict], show_errors: bool = False) -> dict:
    total = Counts()
    by_decl = defaultdict(Counts)
    cat_hits = defaultdict(lambda: [0, 0])  # category -> [found (overlap), total]
    tag_fp = defaultdict(lambda: [0, 0])  # sentence tag -> [false positives, sentences]
    errors = []
    for r in rows:
        spans = find_persons(r["text"], r["declared"])
        pred = [(s.start, s.end) for s in spans]
        gold = [(p["start"], p["end"]) for p in r["persons"]]
        total.add(gold, pred)
        by_decl["with declared" if r["declared"] else "without declared"].add(gold, pred)
        for p in r["persons"]:
            hit = any(s < p["end"] and p["start"] < e for s, e in pred)
            for c in p["cats"] or ["plain"]:
                cat_hits[c][0] += hit
                cat_hits[c][1] += 1
        fps = [(s, e) for s, e in pred if not any(s < g[1] and g[0] < e for g in gold)]
        for t in r["tags"] or (["no_tag"] if not r["persons"] else []):
            tag_fp[t][0] += len(fps)
            tag_fp[t][1] += 1
        if not r["persons"]:
            tag_fp["no person in sentence"][0] += len(fps)
            tag_fp["no person in sentence"][1] += 1
        if show_errors and set(pred) != set(gold):
            errors.append((r["id"], r["text"], r["declared"],
                           [r["text"][s:e] for s, e in gold], [r["text"][s:e] for s, e in pred]))
    return {"total": total, "by_decl": by_decl, "cats": cat_hits, "tags": tag_fp, "errors": errors}


def throughput(rows: list[dict], target_words: int = 200_000) -> float:
    texts = [r["text"] for r in rows]
    decl = [r["declared"] for r in rows]
    n_words_one = sum(len(re.findall(r"\w+", t)) for t in texts)
    reps = max(1, target_words // max(1, n_words_one))
    # Documents of realistic size: join ~40 sentences into one document, so
    # that per-call overhead is measured as in the pipeline.
    docs = []
    for k in range(reps):
        for i in range(0, len(texts), 40):
            docs.append(("\n".join(texts[i:i + 40]), sorted({d for x in decl[i:i + 40] for d in x})))
    n_words = sum(len(re.findall(r"\w+", d)) for d, _ in docs)
    t0 = time.perf_counter()
    for d, dec in docs:
        find_persons(d, dec)
    dt = time.perf_counter() - t0
    return n_words / dt


def report(rows: list[dict], label: str, show_errors: bool) -> None:
    res = evaluate(rows, show_errors)
    print(f"\n=== {label}: {len(rows)} sentences, {sum(len(r['persons']) for r in rows)} gold names ===")
    print(res["total"].line("all"))
    for k in ("with declared", "without declared"):
        if k in res["by_decl"]:
            print(res["by_decl"][k].line(k))
    print("recall (overlap) by category of the gold name:")
    for c, (hit, n) in sorted(res["cats"].items(), key=lambda x: -x[1][1]):
        print(f"  {c:<22} {hit:>4}/{n:<4} = {hit / n:.3f}")
    print("false positives by sentence tag (count / sentences):")
    for t, (fp, n) in sorted(res["tags"].items(), key=lambda x: -x[1][1]):
        print(f"  {t:<30} {fp:>3} / {n}")
    if show_errors:
        print("errors:")
        for e in res["errors"]:
            print(f"  {e[0]} {e[1]!r}\n      declared={e[2]} gold={e[3]} pred={e[4]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "heldout", "all", "each"], default="each")
    ap.add_argument("--errors", action="store_true", help="print the sentences with errors")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args(argv)
    rows = load(args.data)
    t0 = time.perf_counter()
    find_persons("Opwarmen: Sofie Vermeulen zegt dat.", ["Sofie Vermeulen"])  # load lists once
    print(f"loading name lists and lexicon: {time.perf_counter() - t0:.2f} s (once per process)")
    splits = {"dev": ["dev"], "heldout": ["heldout"], "all": ["all"], "each": ["dev", "heldout", "all"]}
    for sp in splits[args.split]:
        sel = rows if sp == "all" else [r for r in rows if r["split"] == sp]
        report(sel, sp, args.errors and sp != "all")
    wps = throughput(rows)
    print(f"\nthroughput: {wps:,.0f} words/s  (1M words in {1_000_000 / wps:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
