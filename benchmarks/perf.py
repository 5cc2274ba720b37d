"""Speed and scale: the demo corpus cold and warm, and a scale series on real Dutch text.

    .venv/bin/python benchmarks/perf.py                 # demo + 0.1, 0.5 and 1.5 M words
    .venv/bin/python benchmarks/perf.py --quick         # demo + 0.1 M words
    .venv/bin/python benchmarks/perf.py --sizes 0.1,1.0 --json perf.json

Text: the questions and answers of the Belgian Chamber's written questions, Jan-Jun 2017
(../shared/data/be_kamer_written_questions_2017/dekamer.tsv, CC0; ASCII-folded Dutch). For each
size the first rows (by doc_id) up to that many words are written as .txt notes files with a
manifest into a temporary folder (nothing is copied into the project): one file per ministry and
~5,000 words, the 19 ministries mapped onto the 14 default cities.

Per size, each in its own child process (so peak memory figures do not pollute each other; peak
RSS comes from os.wait4 on that child, descendants included):
  cold   pipeline.run with default settings and an empty cache
  warm   the same run again: every stage's result comes from the cache (ingest, persons, parse,
         terms, embeddings, themes, mechanisms, practices); the outputs are written again
  floor  what no implementation can avoid on this text: spaCy blank("nl") tokenizer + sentencizer,
         the pipeline's lemmatizer on every word token, and pipeline.language._embed.encode on every sentence,
         each alone, nothing else, on one core; floor2 is the same with the encoder on both cores
         (embed.workers = 2, the pipeline's default)
Reported: wall time, words per second per stage, peak memory, and the goals of the issue:
full run <= 1.5 x floor; 1 M words <= 10 min on 2 cores with peak memory <= 3 GB; warm <= 10 % of
cold; time per word at the largest size <= 1.3 x at the smallest. Timings on a shared machine are
noisy: compare figures from one session only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEKAMER = ROOT.parent / "shared" / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv"
DEMO = ROOT / "corpus" / "demo"
SHORT = {"cluster_terms": "terms", "mechanisms": "mechan.", "practices": "practic."}


def _stages(rows: list[dict]) -> list[str]:
    """Every stage some run reported (run.json 'seconds'), in run order, then 'write'."""
    stages: list[str] = []
    for row in rows:
        for kind in ("cold", "warm"):
            for stage in row[kind].get("seconds", {}):
                if stage not in stages and stage != "write":
                    stages.append(stage)
    return stages + ["write"]
FILE_WORDS = 5000


# --------------------------------------------------------------------------- corpus


def build_corpus(folder: Path, n_words: int) -> dict:
    """Notes files with about n_words words (whole rows) and a manifest; returns a description."""
    import pandas as pd

    from pipeline.config import CENTRE_CITIES

    table = pd.read_csv(DEKAMER, sep="\t", dtype=str, keep_default_na=False)
    table = table.sort_values("doc_id", kind="stable")
    texts, total = [], 0
    for row in table.itertuples(index=False):
        parts = [p.strip() for p in (row.question, row.answer) if p.strip()]
        text = "\n\n".join(parts)
        words = len(text.split())
        if total + words > n_words and texts:
            break
        texts.append((row.answer_department or "onbekend", row.depotdat, text))
        total += words
    departments = sorted({d for d, _, _ in texts})
    city = {d: CENTRE_CITIES[i % len(CENTRE_CITIES)] for i, d in enumerate(departments)}
    files: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    counters: dict[str, int] = {}
    manifest = ["file,city,session,role,date"]
    for department, date, text in texts:
        c = city[department]
        name = f"{c.lower()}/{c.lower()}_{counters.get(c, 1):04d}.txt"
        if sizes.get(name, 0) >= FILE_WORDS:
            counters[c] = counters.get(c, 1) + 1
            name = f"{c.lower()}/{c.lower()}_{counters[c]:04d}.txt"
        if name not in files:
            files[name] = []
            manifest.append(f"{name},{c},schriftelijke vragen,parlementsleden,{date}")
        files[name].append(text)
        sizes[name] = sizes.get(name, 0) + len(text.split())
    for name, parts in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return {"words": total, "files": len(files), "units": len(texts)}


def corpus_words(folder: Path) -> int:
    """Whitespace-separated words in the notes files (spreadsheets: every cell)."""
    from pipeline.config import CorpusConfig
    from pipeline.corpus import ingest

    documents = ingest(CorpusConfig(path=str(folder))).documents
    return int(documents["text"].str.split().str.len().sum())


# --------------------------------------------------------------------------- child measurements


def child_run(spec: dict) -> dict:
    from pipeline import load_config
    from pipeline import run

    overrides = {"corpus.path": spec["corpus"], "output.out_dir": spec["out"], "output.cache_dir": spec["cache"]}
    if spec.get("n_themes"):
        overrides["themes.n_themes"] = spec["n_themes"]
    config = load_config(**overrides)
    started = time.perf_counter()
    result = run(config)
    wall = time.perf_counter() - started
    seconds = dict(result.info["seconds"])
    seconds["write"] = round(wall - seconds.pop("total_before_write"), 3)
    return {"wall": wall, "seconds": seconds, "counts": result.info["counts"], "cache": {
        k: (len(v) if isinstance(v, list) else v) for k, v in result.info["cache"].items()}}


def child_floor(spec: dict) -> dict:
    """Tokenizer + sentencizer, lemmatizer, sentence encoder: each alone on the same text."""
    from pipeline.config import CorpusConfig, EmbedConfig
    from pipeline.corpus import ingest

    documents = ingest(CorpusConfig(path=spec["corpus"])).documents
    paragraphs = [p for text in documents["text"] for p in text.split("\n\n") if p.strip()]
    out = {}

    started = time.perf_counter()
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    words, sentences = [], []
    for doc in nlp.pipe(paragraphs, batch_size=256):
        words.extend(t.text for t in doc if t.is_alpha)
        sentences.extend(s.text for s in doc.sents)
    out["tokenize"] = time.perf_counter() - started

    started = time.perf_counter()
    from pipeline.language._lemmas import Lemmatizer

    lemmatize = Lemmatizer().load()
    for word in words:
        lemmatize(word)
    out["lemmatize"] = time.perf_counter() - started

    from dataclasses import replace

    from pipeline.language._embed import encode

    encode(sentences[:1], EmbedConfig())  # load the weights outside the timings, once for both
    started = time.perf_counter()
    encode(sentences, replace(EmbedConfig(), workers=1))
    out["encode"] = time.perf_counter() - started
    started = time.perf_counter()
    encode(sentences, replace(EmbedConfig(), workers=2))
    out["encode2"] = time.perf_counter() - started
    out["floor"] = out["tokenize"] + out["lemmatize"] + out["encode"]
    # the same with the encoder on both cores, as the pipeline runs it (embed.workers = 2)
    out["floor2"] = out["tokenize"] + out["lemmatize"] + out["encode2"]
    return {"seconds": out, "sentences": len(sentences), "word_tokens": len(words)}


# --------------------------------------------------------------------------- the parent


def measure(kind: str, spec: dict, timeout: float) -> dict:
    """Run one measurement in a child process; adds process wall time and peak RSS (MB)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(spec)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        timer = threading.Timer(timeout, lambda: os.kill(child.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if child.returncode != 0:
        reason = "timeout" if child.returncode == -signal.SIGKILL else f"exit {child.returncode}"
        return {"error": reason, "stderr": stderr[-2000:], "process_wall": elapsed,
                "peak_mb": usage.ru_maxrss / 1024}
    result = json.loads(stdout.strip().splitlines()[-1])
    result["process_wall"] = elapsed
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


def bench_corpus(name: str, corpus: Path, words: int, work: Path, timeout: float, n_themes) -> dict:
    cache = work / f"cache-{name}"
    spec = {"corpus": str(corpus), "out": str(work / f"out-{name}"), "cache": str(cache), "n_themes": n_themes}
    row = {"name": name, "words": words}
    print(f"[{name}] cold run …", file=sys.stderr, flush=True)
    row["cold"] = measure("run", spec, timeout)
    print(f"[{name}] warm run …", file=sys.stderr, flush=True)
    row["warm"] = measure("run", spec, timeout)
    print(f"[{name}] floor …", file=sys.stderr, flush=True)
    row["floor"] = measure("floor", spec, timeout)
    shutil.rmtree(cache, ignore_errors=True)
    return row


def _fmt(x, spec=".1f"):
    return "—" if x is None else format(x, spec)


def report(rows: list[dict]) -> str:
    lines = []
    stages = _stages(rows)
    head = (f"{'corpus':<8} {'words':>9} {'run':<5} {'wall s':>8} {'proc s':>7} {'words/s':>8} "
            + " ".join(f"{SHORT.get(s, s)[:8]:>8}" for s in stages) + f" {'peak MB':>8}")
    lines += ["Wall time and words per second per stage (stage columns: words/s; '—' = not run)", head,
              "-" * len(head)]
    for row in rows:
        for kind in ("cold", "warm"):
            m = row[kind]
            if "error" in m:
                lines.append(f"{row['name']:<8} {row['words']:>9,} {kind:<5} {m['error']:>8} {m['process_wall']:>7.1f}")
                continue
            per_stage = " ".join(
                f"{_fmt(row['words'] / m['seconds'][s] if m['seconds'].get(s) else None, '>8,.0f')}" for s in stages)
            lines.append(f"{row['name']:<8} {row['words']:>9,} {kind:<5} {m['wall']:>8.1f} {m['process_wall']:>7.1f} "
                         f"{row['words'] / m['wall']:>8,.0f} {per_stage} {m['peak_mb']:>8,.0f}")
    lines += ["", "Seconds per stage (cold run)", f"{'corpus':<8} " + " ".join(f"{SHORT.get(s, s)[:8]:>8}" for s in stages)]
    for row in rows:
        m = row["cold"]
        if "error" not in m:
            lines.append(f"{row['name']:<8} " + " ".join(f"{m['seconds'].get(s, 0):>8.1f}" for s in stages))
    lines += ["", "Floor (tokenizer + sentencizer, lemmatizer, sentence encoder alone) and goals",
              f"{'corpus':<8} {'words':>9} {'tok s':>7} {'lem s':>7} {'enc s':>7} {'enc2 s':>7} {'floor s':>8} "
              f"{'floor2 s':>8} {'floor MB':>8} {'cold/floor':>10} {'cold/fl2':>8} {'warm/cold':>9} {'s/M words':>9} "
              f"{'vs first':>8}"]
    base = None
    for row in rows:
        f, c, w = row["floor"], row["cold"], row["warm"]
        if "error" in f or "error" in c:
            lines.append(f"{row['name']:<8} {row['words']:>9,} "
                         f"floor: {f.get('error', 'ok')}, cold: {c.get('error', 'ok')}")
            continue
        s = f["seconds"]
        per_mword = c["wall"] / row["words"] * 1e6  # seconds per million words = µs per word
        if row["name"] != "demo" and base is None:
            base = per_mword
        versus = per_mword / base if row["name"] != "demo" else None
        warm = w["wall"] / c["wall"] if "error" not in w else None
        lines.append(f"{row['name']:<8} {row['words']:>9,} {s['tokenize']:>7.1f} {s['lemmatize']:>7.1f} "
                     f"{s['encode']:>7.1f} {s['encode2']:>7.1f} {s['floor']:>8.1f} {s['floor2']:>8.1f} "
                     f"{f['peak_mb']:>8,.0f} {c['wall'] / s['floor']:>10.2f} {c['wall'] / s['floor2']:>8.2f} "
                     f"{_fmt(warm, '>9.1%')} {per_mword:>9,.0f} {_fmt(versus, '>8.2f')}")
    lines += ["", "floor: encoder on one core; floor2: encoder batches in two threads (both cores), as the "
                  "pipeline runs it. cold/fl2 is the stricter ratio.",
              "Goals: cold/floor <= 1.5; 1 M words <= 600 s (s/Mwords) with peak <= 3,000 MB on 2 cores; "
                  "warm/cold <= 10 %; time per word ('vs first': s/M words relative to the smallest size) <= 1.3.",
              "Stage and floor timings include loading their models (spaCy, lemma table, sentence encoder)."]
    lines.append(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
                 f"at the end (others' jobs make timings noisy)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.1,0.5,1.5", help="million words per scale step (default 0.1,0.5,1.5)")
    parser.add_argument("--quick", action="store_true", help="only the demo corpus and 0.1 M words")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo corpus")
    parser.add_argument("--n-themes", default=None, help="override themes.n_themes (default: the config default)")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per measurement (default 3 h)")
    parser.add_argument("--json", metavar="PATH", help="also write the raw figures as JSON")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, spec = args.child[0], json.loads(args.child[1])
        result = child_run(spec) if kind == "run" else child_floor(spec)
        print(json.dumps(result))
        return 0

    sizes = [0.1] if args.quick else [float(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="stadsgenoten-perf-") as tmp:
        work = Path(tmp)
        if not args.no_demo:
            rows.append(bench_corpus("demo", DEMO, corpus_words(DEMO), work, args.timeout, args.n_themes))
        for size in sizes:
            folder = work / f"corpus-{size}M"
            described = build_corpus(folder, int(size * 1e6))
            name = f"{size:g}M"
            print(f"[{name}] {described['words']:,} words in {described['files']} files", file=sys.stderr, flush=True)
            rows.append(bench_corpus(name, folder, corpus_words(folder), work, args.timeout, args.n_themes))
            shutil.rmtree(folder, ignore_errors=True)
    print(report(rows))
    for row in rows:
        for kind in ("cold", "warm", "floor"):
            if "error" in row[kind]:
                print(f"\n{row['name']} {kind}: {row[kind]['error']}\n{row[kind]['stderr']}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
