"""Practices: recall on the report's development gold, demo recall/precision, and precision BY READING on
two parliamentary sources (issue #20 item 5).

1. Report gold (../shared/data/stadsgenoten_report_dev/practices_dev.csv, 18 named practices): the
   whole report (../shared/reference/stadsgenoten-report.txt) as one .txt document of case "Vlaanderen",
   ingested, pseudonymised and segmented as a run does, then `find_practices`. A gold practice is found
   when one reported name holds at least half of the words of the gold name (the title before its first
   comma; lower case, accents folded, de/het/een/van/en/in/op/voor/met/rond/der/te not counted), as
   benchmarks/report.py scores it. Prints found of 18 and the missed.
2. Demo (corpus/demo, truth corpus/demo_truth.yaml): recall and precision as benchmarks/mechanisms.py
   part 1 scores them (same city; same normalised name, or one contains the other).
3. Parliamentary text nobody here wrote:
   - Kamer: the ministers' written answers (../shared/data/be_kamer_written_questions_2017/dekamer.tsv),
     answers longer than 200 characters that are not a mere reference to another answer (all of them;
     --per-case N keeps the first N per department by doc_id); one case per answering department.
   - ParlaMint: the BE and NL samples (../shared/data/parlamint_samples_be_nl), one segment per
     utterance, one case per session.
   The sampled practices are printed (name, case, sentence; --quiet leaves them out).

   Precision is judged BY READING. Of each source's reported names, a fixed sample of at most 60 (the
   60 with the smallest sha1 of "20:name", so the sample stays put when a change drops other names)
   was read with its sentence, as an analyst would, by the developer of issue #20, for the current
   rules and for the baseline; each judgement is a line of benchmarks/data/practices_judged.csv
   (source, name, is_initiative 0/1, why). is_initiative = 1 when the row names a project,
   programme, plan, campaign, tool/platform or meeting place that someone runs (what could go into a
   blue box of the report), also when the name is cut short but recognisable ("Belgian Research
   Action" for the BRAIN programme); 0 for organisations, units, teams, networks of organisations,
   laws, treaties, agreements, products, medicines, software, documents, places, buildings, policy
   domains, generic kinds ("een FIPA actie") and fragments ("Opleiding", "Nationaal"). The name is
   judged as its sentence uses it, whatever the detector could have known. Names of the sample not
   yet judged are listed, not guessed. The judgements are not used by the detector. For the Kamer
   answers every name the current rules report was read as well (the sample guided the
   development, so it flatters); the line then also gives the precision over all of them.

   Baseline in the same run: the rules before issue #20 (pipeline/analysis/_practices.py at commit
   BASE_COMMIT, loaded from git into a module of its own) on the same input, with the same scoring.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/practices.py [--per-case N] [--skip-demo]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import corpus, load_config, privacy  # noqa: E402
from pipeline.analysis import find_practices  # noqa: E402
from pipeline.analysis._practices import normalise_name  # noqa: E402
from pipeline.cache import Cache  # noqa: E402
from pipeline.config import NlpConfig  # noqa: E402
from pipeline.language import parse  # noqa: E402
from pipeline.schema import segments_from_rows  # noqa: E402

SHARED = ROOT.parent / "shared"
DEV = SHARED / "data" / "stadsgenoten_report_dev"
REPORT = SHARED / "reference" / "stadsgenoten-report.txt"
DEKAMER = SHARED / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv"
PARLAMINT = SHARED / "data" / "parlamint_samples_be_nl"
TRUTH = ROOT / "corpus" / "demo_truth.yaml"
JUDGED = ROOT / "benchmarks" / "data" / "practices_judged.csv"
BASE_COMMIT = "eec004c"  # the rules before issue #20 (the baseline printed beside the figures)
NAME_STOP = {"de", "het", "een", "van", "en", "in", "op", "voor", "met", "rond", "der", "te"}
SAMPLE, SEED = 60, 20


def _baseline_finder():
    """find_practices as it was at BASE_COMMIT, loaded from git into its own module (None without git)."""
    try:
        source = subprocess.run(["git", "show", f"{BASE_COMMIT}:pipeline/analysis/_practices.py"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "_practices_base.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pipeline.analysis._practices_base", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.find_practices


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z0-9]+", folded) if w not in NAME_STOP}


def _table(segments: pd.DataFrame, cache: Cache) -> tuple[pd.DataFrame, pd.DataFrame]:
    sentences, _ = parse(segments, NlpConfig(), cache)
    return segments.assign(theme_id=""), sentences


def report_input(cache: Cache) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report as one document, ingested, pseudonymised and segmented as a run does."""
    folder = Path(tempfile.mkdtemp()) / "report"
    folder.mkdir()
    (folder / "stadsgenoten-report.txt").write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    pd.DataFrame([{"file": "stadsgenoten-report.txt", "city": "Vlaanderen", "session": "rapport",
                   "role": "analisten", "date": "2020-01-01"}]).to_csv(folder / "manifest.csv", index=False)
    config = load_config(**{"corpus.path": str(folder), "corpus.known_cases": ()})
    documents = privacy.pseudonymise_documents(corpus.ingest(config.corpus, None, cache).documents,
                                               cache=cache).documents
    return _table(_with_cases(corpus.segment(documents, config.segment), documents), cache)


def _with_cases(segments: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Each segment with its document's case and source file, as the run's segments table has them."""
    return segments.join(documents.set_index("doc_id")[["case", "source_file"]], on="doc_id")


def _as_segments(texts: list[str], cases: list[str], prefix: str) -> pd.DataFrame:
    rows = []
    for i, (text, case) in enumerate(zip(texts, cases)):
        text = " ".join(corpus.normalise_text(text).split())
        doc_id = f"{prefix}#{i:05d}"
        rows.append({"segment_id": f"{doc_id}:0000", "doc_id": doc_id, "index": 0, "kind": "answer",
                     "speaker": "", "is_facilitator": False, "prompt": "", "start_char": 0, "end_char": len(text),
                     "page": 0, "location": "", "text": text, "analysed": True, "excluded_reason": "",
                     "case": case, "session": prefix, "role": "", "source_file": prefix})
    return segments_from_rows(rows)


def kamer_input(per_case: int, cache: Cache) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = pd.read_csv(DEKAMER, sep="\t", dtype=str, keep_default_na=False)
    data = data[(data["answer"].str.len() > 200) & (data["answer_department"] != "")]
    data = data[~data["answer"].str.contains(r"verwezen naar (?:het|mijn) antwoord", regex=True)]
    data = data.sort_values("doc_id")
    if per_case:
        data = data.groupby("answer_department", group_keys=False).head(per_case)
    return _table(_as_segments(list(data["answer"]), list(data["answer_department"]), "dekamer"), cache)


def parlamint_input(cache: Cache) -> tuple[pd.DataFrame, pd.DataFrame]:
    texts, cases = [], []
    for path in sorted(PARLAMINT.glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                texts.append(line.split("\t", 1)[1])
                cases.append(path.stem)
    return _table(_as_segments(texts, cases, "parlamint"), cache)


def demo_input(cache: Cache) -> tuple[pd.DataFrame, pd.DataFrame]:
    config = load_config()
    documents = privacy.pseudonymise_documents(corpus.ingest(config.corpus, None, cache).documents,
                                               cache=cache).documents
    return _table(_with_cases(corpus.segment(documents, config.segment), documents), cache)


def report_recall(found: pd.DataFrame) -> tuple[int, list[str]]:
    gold = pd.read_csv(DEV / "practices_dev.csv", dtype=str, keep_default_na=False)
    names = [_words(p) for p in found["practice"]]
    missed = []
    for title in gold["title"]:
        want = _words(title.split(",", 1)[0].strip())
        if not want or max((len(want & got) for got in names), default=0) < len(want) / 2:
            missed.append(title)
    return len(gold) - len(missed), missed


def demo_scores(found: pd.DataFrame) -> tuple[float, float, list, list]:
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    keys = {(normalise_name(p["name"]), p["city"]) for p in truth["practices"]}
    got = [(normalise_name(p), c) for p, c in zip(found["practice"], found["case"])]

    def hit(key, case, pool):
        return any(case == c2 and (key == k2 or key in k2 or k2 in key) for k2, c2 in pool)

    missed = sorted(k for k in keys if not hit(*k, got))
    wrong = [g for g in got if not hit(*g, keys)]
    return 1 - len(missed) / len(keys), 1 - len(wrong) / max(len(got), 1), missed, wrong


def judged() -> dict[tuple[str, str], tuple[int, str]]:
    if not JUDGED.is_file():
        return {}
    table = pd.read_csv(JUDGED, dtype=str, keep_default_na=False)
    return {(r.source, normalise_name(r.name)): (int(r.is_initiative), r.why) for r in table.itertuples(index=False)}


def sample(names: list[str]) -> list[str]:
    """At most SAMPLE of the distinct names: those with the smallest sha1 of "SEED:name", in name order. A
    fixed sample that stays put when a change removes other names, so judgements carry over."""
    distinct = sorted(set(names))
    ranked = sorted(distinct, key=lambda n: hashlib.sha1(f"{SEED}:{n}".encode()).hexdigest())
    return sorted(ranked[:SAMPLE])


def precision(source: str, found: pd.DataFrame, judgements: dict, show: bool) -> str:
    names = sample(list(found["practice"]))
    marks = [judgements.get((source, normalise_name(n))) for n in names]
    read = [m for m in marks if m is not None]
    unjudged = [n for n, m in zip(names, marks) if m is None]
    good = sum(m[0] for m in read)
    if show:
        first = found.drop_duplicates("practice").set_index("practice")
        for n, m in zip(names, marks):
            r = first.loc[n]
            mark = "?" if m is None else ("ja " if m[0] else "nee")
            print(f"   [{mark}] {n} ({r['case']}): {str(r['text'])[:200]}")
    if unjudged:
        print(f"   not judged yet ({len(unjudged)}): " + "; ".join(unjudged))
    share = f"{good / len(read):.2f} ({good}/{len(read)} judged)" if read else "— (none judged)"
    # when every reported name was read (not only the sample): the precision over all of them
    every = [judgements.get((source, normalise_name(n))) for n in sorted(set(found["practice"]))]
    complete = len(every) > SAMPLE and all(m is not None for m in every)
    also = f"; all {len(every)} names read: {sum(m[0] for m in every) / len(every):.2f}" if complete else ""
    return f"{len(found)} rows, {found['practice'].nunique()} names; precision by reading {share}{also}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-case", type=int, default=0, help="Kamer answers per department (0: all)")
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="do not print every reported practice")
    args = ap.parse_args(argv)
    if not DEV.is_dir() or not REPORT.is_file():
        print(f"benchmarks/practices.py: the development gold is not here ({DEV}); nothing to measure.")
        return 0
    cache = Cache(Path(load_config().output.out_dir) / ".cache")
    base = _baseline_finder()
    finders = [("now", find_practices)] + ([(f"before ({BASE_COMMIT})", base)] if base else [])
    judgements = judged()
    privacy.find_persons("Ik sprak met Jan Peeters in Gent.")  # load the person finder before any timing
    inputs = [("report", lambda: report_input(cache))]
    if not args.skip_demo:
        inputs.append(("demo", lambda: demo_input(cache)))
    inputs += [("kamer", lambda: kamer_input(args.per_case, cache)), ("parlamint", lambda: parlamint_input(cache))]
    for source, build in inputs:
        t0 = time.perf_counter()
        segments, sentences = build()
        print(f"\n## {source}: {len(segments)} segments, {len(sentences)} sentences "
              f"({time.perf_counter() - t0:.0f} s to read and parse)")
        for label, finder in finders:
            t0 = time.perf_counter()
            found = finder(segments, sentences)
            label = f"{label} [{time.perf_counter() - t0:.1f} s]"
            if source == "report":
                n, missed = report_recall(found)
                print(f"- {label}: RECALL {n} / 18 (goal >= 16), {len(found)} practices reported")
                for title in missed:
                    print(f"   missed: {title}")
            elif source == "demo":
                recall, prec, missed, wrong = demo_scores(found)
                print(f"- {label}: RECALL {recall:.2f} PRECISION {prec:.2f} ({len(found)} rows)"
                      + (f"; missed {missed}" if missed else "") + (f"; not in truth {wrong}" if wrong else ""))
            else:
                show = not args.quiet and label.startswith("now")
                print(f"- {label}: " + precision(source, found, judgements, show=show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
