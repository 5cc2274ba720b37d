"""The automatic number of themes: where it lands and how stable it is (issue #22, item 2).

Corpora: the Stadsgenoten report's statements (../shared/data/stadsgenoten_report_dev/statements.csv,
20 sections), as single statements and as rows of three consecutive statements of one section
(as benchmarks/report.py builds them; one segment per row here, not through the spreadsheet
reader); the demo corpus as a run segments it (documents = the demo's files); with --kamer also
the Belgian Chamber's written questions (21 gold themes, benchmarks/themes.py's selection).
Per corpus: ThemeModel(n_themes="auto") on every document and on five 90 % subsamples of the
documents (seeds 0-4). Printed: the chosen k on the whole corpus and per subsample, the largest
distance from the whole corpus's k (goal: within 20 %), the two or three best k, AMI against gold
at the chosen k (on the whole corpus, and the mean over the subsamples at each one's own k: AMI
varies by about 0.01 from one k to the next, so one fit says little), and seconds per fit;
beside it the baseline computed from the same fits: the previous criterion, the k of the highest
modularity (`k_scores_`, ties to fewer themes), with its k, subsample spread and AMI (the
baseline's partition is refitted at its k).
Goals: report rows and singles between 14 and 30 themes; every subsample within 20 %.

    .venv/bin/python benchmarks/themes_k.py [--kamer]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline.analysis.themes import ThemeModel  # noqa: E402
from pipeline.cache import Cache  # noqa: E402
from pipeline.config import Config  # noqa: E402
from themes import DEKAMER, as_segments, features, load_dekamer  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "stadsgenoten_report_dev"
N_SUBSAMPLES, SHARE = 5, 0.9


def report_corpora(cache: Cache):
    statements = pd.read_csv(DEV / "statements.csv", dtype=str, keep_default_na=False)
    rows: list[list[int]] = []
    for _, idx in statements.groupby("section", sort=False).groups.items():
        idx = list(idx)
        rows += [idx[i:i + 3] for i in range(0, len(idx), 3)]
    for name, members in (("report rows", rows), ("report singles", [[i] for i in range(len(statements))])):
        texts = [" ".join(statements["text"].iloc[m]) for m in members]
        ids = [f"r{i:04d}" for i in range(len(members))]
        _, term_lists, _, vectors, *_ = features(as_segments(ids, texts), cache)
        yield name, term_lists, vectors, ids, [statements["section"].iloc[m[0]] for m in members]


def demo_corpus(cache: Cache):
    from pipeline.run import analyse

    result = analyse(Config())
    segments = result.segments[result.segments["analysed"]].reset_index(drop=True)
    _, term_lists, _, vectors, *_ = features(segments, cache)
    return "demo", term_lists, vectors, list(segments["doc_id"]), None


def kamer_corpus(cache: Cache):
    data = load_dekamer()
    ids = list("q" + data["doc_id"])
    _, term_lists, _, vectors, *_ = features(as_segments(ids, list(data["question"])), cache)
    return "Kamer questions", term_lists, vectors, ids, list(data["question_theme_main"])


def fit(term_lists, vectors, n_themes="auto"):
    t0 = time.perf_counter()
    model = ThemeModel(n_themes=n_themes).fit(term_lists, vectors)
    return model, time.perf_counter() - t0


def modularity_k(model) -> int:
    """The previous criterion: the highest modularity, ties to fewer themes."""
    return max(sorted(model.k_scores_), key=lambda k: model.k_scores_[k] - 1e-9 * k)


def measure(name, term_lists, vectors, docs, gold) -> list:
    model, seconds = fit(term_lists, vectors)
    base_k = modularity_k(model)
    ami = base_ami = None
    if gold is not None:
        ami = adjusted_mutual_info_score(gold, model.predict(term_lists, vectors))
        base_model = fit(term_lists, vectors, base_k)[0]
        base_ami = adjusted_mutual_info_score(gold, base_model.predict(term_lists, vectors))
    unique = sorted(set(docs))
    sub_k, sub_base, sub_ami = [], [], []
    for seed in range(N_SUBSAMPLES):
        keep = set(np.random.RandomState(seed).choice(len(unique), round(SHARE * len(unique)), replace=False))
        rows = [i for i, doc in enumerate(docs) if unique.index(doc) in keep] if len(unique) < 100 else \
            [i for i, doc in enumerate(docs) if doc in {unique[j] for j in keep}]
        sub_terms, sub_vectors = [term_lists[i] for i in rows], None if vectors is None else vectors[rows]
        sub = fit(sub_terms, sub_vectors)[0]
        sub_k.append(sub.n_themes_)
        sub_base.append(modularity_k(sub))
        if gold is not None:
            sub_ami.append(adjusted_mutual_info_score([gold[i] for i in rows], sub.predict(sub_terms, sub_vectors)))

    def spread(k, ks):
        return f"{max(abs(s - k) for s in ks) / k:.0%}"

    fmt = (lambda x: "—" if x is None else f"{x:.3f}")
    return [name, len(term_lists), len(unique),
            model.n_themes_, ", ".join(map(str, sub_k)), spread(model.n_themes_, sub_k), str(model.k_best_),
            fmt(ami), fmt(np.mean(sub_ami)) if sub_ami else "—", base_k, ", ".join(map(str, sub_base)), spread(base_k, sub_base), fmt(base_ami), f"{seconds:.1f}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kamer", action="store_true", help="also the Chamber's written questions (slower)")
    args = parser.parse_args(argv)
    cache = Cache(Path(Config().output.out_dir) / ".cache")
    corpora = list(report_corpora(cache)) if (DEV / "statements.csv").is_file() else []
    corpora.append(demo_corpus(cache))
    if args.kamer and DEKAMER.is_file():
        corpora.append(kamer_corpus(cache))
    header = ["corpus", "segments", "documents", "k (ours)", "k on 90 % subsamples", "max. spread", "best k",
              "AMI", "AMI on subsamples (mean)", "k (highest modularity)", "its subsamples", "its spread", "its AMI", "fit s"]
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for corpus in corpora:
        print("| " + " | ".join(str(c) for c in measure(*corpus)) + " |", flush=True)
    print("\nGoals (issue #22): report rows and singles 14-30 themes; every subsample within 20 % of the whole corpus's k.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
