"""Real-text benchmark: the analyst's mechanisms carried to the next round (issue 20, item 3).

Data: ../shared/data/stadsgenoten_report_dev/ (statements.csv, mechanisms_dev.json). Without it
the script says so and exits 0. Everything goes through the real CLI, as an analyst works:

1. Round 1: the statements as a spreadsheet, `section` as the case column, defaults
   (benchmarks/report.py's mechanisms setting).
2. The analyst: for each gold mechanism, a `new:` line in the run's overrides.yaml with its label
   and SEEDS of its statements (the first ones by id, from different sections) given as segment
   ids; `stadsgenoten regenerate` writes mechanismen_codeboek.yaml.
3. Round 2: the same statements coded with that codebook (`--mechanism-codebook`). Scored on the
   statements that were not seeds: a gold mechanism's held-out statements against the statements
   coded under its label (seeds left out of both), precision, recall, F1.

Baselines on the same seeds, in the same run:
- TF-IDF (content words as the project's lemma TF-IDF is not at hand outside the pipeline: plain
  word unigrams, spaCy's Dutch stop words, sublinear tf) cosine to the closest seed; the top-N
  statements where N is what the codebook coded for that mechanism (same budget), and top-N with
  N = the number of held-out gold statements (its best case: the gold size known);
- the report's hand-written concept codebook (codebooks/stadsgenoten_2019_mechanismen.yaml): the
  coded family that best matches the held-out statements (F1), seeds left out.

    .venv/bin/python benchmarks/analyst.py [FOLDER]   (about 3 minutes on 2 cores; FOLDER keeps the runs)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report as R  # noqa: E402  (the CLI runner, row mapping and tables of the report benchmark)

SEEDS = 3


def _seeds(ids: list[str], section: dict[str, str]) -> list[str]:
    """The first SEEDS statement ids of a gold mechanism, each from another section."""
    out, seen = [], set()
    for sid in sorted(ids):
        if section[sid] not in seen:
            out.append(sid)
            seen.add(section[sid])
        if len(out) == SEEDS:
            break
    return out


def _prf(got: set[str], want: set[str]) -> tuple[float, float, float]:
    hit = len(got & want)
    p = hit / len(got) if got else 0.0
    r = hit / len(want) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _coded(folder: Path, seg_to_stmt: dict[str, str]) -> dict[str, set[str]]:
    """Mechanism label -> the statement ids of its evidence."""
    mech, evidence = R.read(folder, "mechanisms"), R.read(folder, "mechanism_evidence")
    labels = dict(zip(mech["mechanism_id"], mech["label"]))
    out: dict[str, set[str]] = {}
    for m, s in zip(evidence["mechanism_id"], evidence["segment_id"]):
        if s in seg_to_stmt:
            out.setdefault(labels[m], set()).add(seg_to_stmt[s])
    return out


def main() -> int:
    if not (R.DEV / "statements.csv").is_file():
        print(f"benchmarks/analyst.py: the development gold is not here ({R.DEV}); nothing to measure.")
        return 0
    t_start = time.perf_counter()
    statements = pd.read_csv(R.DEV / "statements.csv", dtype=str, keep_default_na=False)
    gold = {k: set(v) for k, v in json.loads((R.DEV / "mechanisms_dev.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}
    section = dict(zip(statements["statement_id"], statements["section"]))
    seeds = {name: _seeds(list(ids), section) for name, ids in gold.items()}
    print(f"# The analyst's mechanisms in the next round ({len(statements)} statements, {len(gold)} gold "
          f"mechanisms, {SEEDS} seeds each from different sections)")
    keep = sys.argv[1] if len(sys.argv) > 1 else None  # a folder to keep the runs in (to read them)
    with tempfile.TemporaryDirectory(prefix="bench_analyst_") as name:
        tmp = Path(keep or name)
        tmp.mkdir(parents=True, exist_ok=True)
        out = tmp / "runs"
        sheet = tmp / "uitspraken.xlsx"
        R.write_sheet(statements[["section", "text"]].rename(columns={"text": "tekst"}), sheet, "uitspraken")
        args = ("--text-column", "tekst", "--case-column", "section", "--question-column", "")
        cfg = {"corpus": {"known_cases": []}}
        first = R.run_cli("round_1", sheet, out, cfg, *args)
        if first is None:
            return 1
        mapping, _ = R.row_map(first, len(statements), "round 1")
        seg_to_stmt = {s: statements["statement_id"].iloc[row] for row, segs in mapping.items() for s in segs
                       if 0 <= row < len(statements)}
        stmt_to_seg = {v: k for k, v in seg_to_stmt.items()}
        lines = {"mechanisms": {"new": [{"label": name, "seeds": [stmt_to_seg[s] for s in ids if s in stmt_to_seg]}
                                        for name, ids in seeds.items()]}}
        (first / "overrides.yaml").write_text(yaml.safe_dump(lines, allow_unicode=True), encoding="utf-8")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "regenerate", str(first)], cwd=R.ROOT,
                              capture_output=True, text=True)
        R.TIMINGS.append(("regenerate with the analyst's lines", f"{time.perf_counter() - t0:.1f}",
                          "ok" if proc.returncode == 0 else f"failed: {proc.stderr[-500:]}"))
        book = first / "mechanismen_codeboek.yaml"
        if not book.is_file():
            print(f"no codebook written: {proc.stderr[-2000:]}")
            return 1
        second = R.run_cli("round_2_written_codebook", sheet, out, cfg, *args, "--mechanism-codebook", str(book))
        concept = R.run_cli("round_2_report_concept_codebook", sheet, out, cfg, *args,
                            "--mechanism-codebook", str(R.MECHANISM_CODEBOOK))
        coded = _coded(second, seg_to_stmt) if second else {}
        concept_coded = _coded(concept, seg_to_stmt) if concept else {}
        concept_families = (set(R.read(concept, "mechanisms").query("source == 'codeboek'")["label"])
                            if concept else set())

    texts = list(statements["text"])
    from spacy.lang.nl.stop_words import STOP_WORDS
    tfidf = normalize(TfidfVectorizer(lowercase=True, strip_accents="unicode", stop_words=sorted(STOP_WORDS),
                                      sublinear_tf=True).fit_transform(texts))
    index = {s: i for i, s in enumerate(statements["statement_id"])}

    rows, totals = [], {"codebook": [], "tfidf_same_n": [], "tfidf_gold_n": [], "concepts": []}
    for name, ids in gold.items():
        held = ids - set(seeds[name])
        got = coded.get(name, set()) - set(seeds[name])
        p, r, f = _prf(got, held)
        sims = (tfidf[[index[s] for s in seeds[name]]] @ tfidf.T).toarray().max(axis=0)
        order = [statements["statement_id"].iloc[i] for i in np.argsort(-sims, kind="stable")
                 if statements["statement_id"].iloc[i] not in seeds[name]]
        tf_same = _prf(set(order[:len(got)]), held) if got else (0.0, 0.0, 0.0)
        tf_gold = _prf(set(order[:len(held)]), held)
        best_concept = max((_prf(s - set(seeds[name]), held) for lab, s in concept_coded.items()
                            if lab in concept_families), key=lambda x: x[2], default=(0.0, 0.0, 0.0))
        totals["codebook"].append(f)
        totals["tfidf_same_n"].append(tf_same[2])
        totals["tfidf_gold_n"].append(tf_gold[2])
        totals["concepts"].append(best_concept[2])
        rows.append([name, len(held), len(got), f"{p:.2f} / {r:.2f} / {f:.2f}",
                     f"{tf_same[2]:.2f}", f"{tf_gold[2]:.2f}", f"{best_concept[2]:.2f}"])
    print("\nHeld-out statements of each gold mechanism (its seeds left out) against what round 2 coded under "
          "the analyst's label. F1 beside the baselines on the same seeds.\n")
    print(R.table(["gold mechanism", "held out", "coded", "written codebook P / R / F1",
                   "TF-IDF top-N (N = coded) F1", "TF-IDF top-N (N = gold) F1", "report concept codebook F1"], rows))
    mean = {k: float(np.mean(v)) for k, v in totals.items()}
    found = sum(f >= R.F1_FOUND for f in totals["codebook"])
    print()
    print(R.table(["", "written codebook", "TF-IDF (N = coded)", "TF-IDF (N = gold size)", "report concept codebook"],
                  [["mean F1", *(f"{mean[k]:.2f}" for k in ("codebook", "tfidf_same_n", "tfidf_gold_n", "concepts"))],
                   [f"found (F1 ≥ {R.F1_FOUND})", f"{found} / {len(gold)}",
                    *(f"{sum(f >= R.F1_FOUND for f in totals[k])} / {len(gold)}"
                      for k in ("tfidf_same_n", "tfidf_gold_n", "concepts"))]]))
    print("\n## Seconds\n")
    print(R.table(["run", "seconds", "status"], [list(t) for t in R.TIMINGS]))
    print(f"\nWhole benchmark: {time.perf_counter() - t_start:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
