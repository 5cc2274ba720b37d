"""Benchmark of pipeline.privacy.find_persons on annotated Dutch sentences and on real Dutch text.

    python benchmarks/persons.py [--split dev|heldout|all] [--errors] [--data PATH] [--only synthetic|real]

Data: benchmarks/data/person_names_nl.jsonl, one fictitious interview-note
sentence per line with gold person spans (character offsets), a manifest
("declared", may be empty), a split ("dev": used while writing the rules;
"heldout": not looked at while tuning) and tags.

Prints, per split: recall / precision / F1 with exact span match and with
partial overlap (a predicted span that overlaps a gold span), split by
with/without declared names, recall per hard-case category of the gold span,
false positives per sentence tag, and throughput in words per second.

Real text (issue #13): benchmarks/data/person_names_real_nl.jsonl holds the gold person mentions,
annotated by reading, as offsets (with a short marked snippet) into texts this script builds from
`../shared` (the texts are not copied into the project):

* `report`: the Stadsgenoten report (reference/stadsgenoten-report.txt), one document;
* `parlamint`: the Dutch ParlaMint samples (BE and NL; the all-French session is left out), one
  transcript per session, each turn a line opened by its speaker label built from the meta.tsv as
  the parliaments print it: "Wouter De Vriendt (Groen): ..." (Belgian Chamber), "De heer Laçin
  (SP): ..." (Tweede Kamer);
* `kamer`: 40 answers of the Belgian Chamber's written questions 2017 (dekamer.tsv, non-empty
  `answer`, drawn with random.Random(13)), one document each.

Every text goes through `normalise_text` as ingest does. Every mention counts: speaker labels,
the name after mevrouw/mijnheer/de heer/minister, a name across a line break, a name inside a
compound ("Wakefield-artikel"). Per source, with the Pseudonymiser run as the privacy stage runs
it (one per source, documents in order):

* mention recall: a gold mention counts as found when every word of it lies inside a replacement;
* precision of entries: the share of the Pseudonymiser's entries (the distinct persons it lists)
  whose every replacement overlaps a gold mention;
* partial-word replacements: replacements that start or end inside a word ("Lee|s hier meer").

The real-text gold was read while the finder's rules were written (issue #13), so it is a dev
set: judge generalisation on other real text (e.g. other Kamer answers and questions).

Places, projects and organisations: benchmarks/data/person_names_places_nl.jsonl holds 81 note
sentences written for this (not taken from the demo) full of proper names that are no persons:
neighbourhoods, towns and streets (after "in/uit/naar", coordinated, in an attendance line's
brackets "(buurtwerker Rabot)"), project titles with particles ("Om de Hoek", "De Leesbuddy's"),
organisations, and persons among them; sentence tags say which. `--baseline DIR` scores the finder
of another checkout (e.g. the main branch) on the same sentences in the same run, beside a naive
baseline that calls every capitalised word not first in its sentence a person.

Kamer mapping (`--kamer-mapping [TSV]`): how many distinct pseudonyms the privacy stage makes of the Chamber's
answers with their questions, one document per department as a spreadsheet run reads them, the first 60
answers per department (read while writing the rules for written answers) and the last 60 (not read). Fewer is
better only while no person is lost: read the mapping (TSV). 2026-12-07: main 412 / 354 (first / last); after
the rules for nominalised adjectives ('Betrokkene'), gazetteer phrases ('Sri Lanka'), organisation compounds
('Sectororganisatie Agoria'), acronym neighbours ('de NMBS en De Lijn'), list items ('b) Om welk bedrag'),
French articles ('la Marine'), unknown subjects in written answers ('Myria heeft'), surnames before English
words ('Black Friday'), hyphenated acronyms and nationalities ('OVSE-Secretariaat', 'Zweeds-Iraans'), saints
('Santo Domingo'), English 'and' ('Procter and Gamble') and buildings ('Jan Bogaertsbrug'): 381 / 325, every
entry removed a place, organisation or word, no person lost. Tried and dropped: a listed surname before any
unlisted word is no name (also lost 'Johnston Busingye' and 'Lopez Pastuzano'); after a function title one
clearly ordinary word is an office ('directeur Communicatie', but also 'collega Storm'); a capitalised
ordinary noun before 'van' opens a name ('het Verdrag van Washington', but also 'de Vriend van Sofie'); the
possessive reading after "te" ('het regime te Pyongyang zijn eisen' became a person). The Europeana NER data
(../shared/data/ner/europeana_nl_kb, 19th-century Dutch newspapers) was read for places and organisations: 546
capitalised words tagged only LOC (twice or more), 424 of them outside the gazetteer but mostly old Dutch and
French towns with punctuation attached; of the Kamer answers' false persons only 'Washington' is there (LOC
twice), so it was not used. Still pseudonymised: 'Washington' (a place after 'in' only in another department's
document), foreign organisation names ('Musee Meunier Museum', 'Helmholtz Zentrum Munchen', 'Paris Match'),
unknown organisations after 'van' ('Selor', 'Westlotto'), and a carried first name inside a name that is no
person ('Francois' of 'Universite Francois Rabelais' joins 'Francois Bellot', 'Jan' of 'Jan Bogaertsbrug'
joins 'Jan Jambon').
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
PLACES_DATA = ROOT / "benchmarks" / "data" / "person_names_places_nl.jsonl"
REAL_DATA = ROOT / "benchmarks" / "data" / "person_names_real_nl.jsonl"
SHARED = ROOT.parent / "shared"
PARLAMINT = ("ParlaMint-BE/ParlaMint-BE_2017-04-27-54-plenair-ip165x",
             "ParlaMint-BE/ParlaMint-BE_2020-06-17-55-commissie-ic210x",
             "ParlaMint-NL/ParlaMint-NL_2019-05-16-tweedekamer-11")  # ic862x is all French
KAMER_SEED, KAMER_N = 13, 40


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


def evaluate(rows: list[dict], show_errors: bool = False, predict=None) -> dict:
    """Scores of `predict` (rows -> spans per row; default: this checkout's find_persons)."""
    predicted = predict(rows) if predict else [[(s.start, s.end) for s in find_persons(r["text"], r["declared"])]
                                                for r in rows]
    total = Counts()
    by_decl = defaultdict(Counts)
    cat_hits = defaultdict(lambda: [0, 0])  # category -> [found (overlap), total]
    tag_fp = defaultdict(lambda: [0, 0])  # sentence tag -> [false positives, sentences]
    errors = []
    for r, pred in zip(rows, predicted):
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


def _capitalised_not_first(rows: list[dict]) -> list[list[tuple[int, int]]]:
    """Naive baseline: every capitalised word that does not open its sentence or line."""
    return [[(m.start(), m.end()) for m in re.finditer(r"(?<![.!?:\n]\s)(?<!^)\b[A-Z\u00c0-\u017d][\w'-]*", r["text"])
             if m.start() > 0] for r in rows]


def _checkout_predictions(checkout: Path, path: Path):
    """The find_persons of another checkout (e.g. the main branch) on the rows of `path`, run in a
    subprocess so the two versions of the finder do not share a module."""
    import subprocess

    code = ("import json, sys; from pipeline.privacy import find_persons; "
            "rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]; "
            "print(json.dumps({r['id']: [(s.start, s.end) for s in find_persons(r['text'], r['declared'])] "
            "for r in rows}))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], cwd=checkout, env={"PYTHONPATH": str(checkout)},
                         capture_output=True, text=True, check=True).stdout
    by_id = {k: [tuple(x) for x in v] for k, v in json.loads(out).items()}
    return lambda rows: [by_id[r["id"]] for r in rows]


def report(rows: list[dict], label: str, show_errors: bool, baselines=()) -> None:
    """`baselines`: (label, predict) pairs scored on the same rows beside the finder."""
    res = evaluate(rows, show_errors)
    print(f"\n=== {label}: {len(rows)} sentences, {sum(len(r['persons']) for r in rows)} gold names ===")
    print(res["total"].line("all"))
    for name, predict in baselines:
        print(evaluate(rows, predict=predict)["total"].line(f"baseline {name}"))
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


# -- real text ----------------------------------------------------------------------------------

def _parlamint_transcript(stem: Path) -> str:
    """One session as a transcript: per turn its speaker label as the parliament prints it, ": ",
    the utterance."""
    import csv

    with stem.with_name(stem.name + "-meta.tsv").open(encoding="utf-8", newline="") as f:
        meta = {r["ID"]: r for r in csv.DictReader(f, delimiter="\t")}
    lines = []
    for line in stem.with_suffix(".txt").read_text(encoding="utf-8").splitlines():
        uid, utterance = line.split("\t", 1)
        m = meta[uid]
        surname, first = (x.strip() for x in m["Speaker_name"].split(",", 1))
        party = f" ({m['Speaker_party']})" if m["Speaker_party"] not in ("", "-") else ""
        if stem.name.startswith("ParlaMint-NL"):
            label = f"{'De heer' if m['Speaker_gender'] == 'M' else 'Mevrouw'} {surname}{party}"
        else:
            label = f"{first} {surname}{party}"
        lines.append(f"{label}: {utterance}")
    return "\n\n".join(lines)


def real_documents(with_gold: bool = True, shared: Path = SHARED) -> list[dict]:
    """The real-text documents (id, source, text[, persons]) in benchmark order."""
    import random

    import pandas as pd

    from pipeline.corpus import normalise_text

    docs = [{"id": "report", "source": "report",
             "text": (shared / "reference" / "stadsgenoten-report.txt").read_text(encoding="utf-8")}]
    for stem in PARLAMINT:
        path = shared / "data" / "parlamint_samples_be_nl" / stem
        docs.append({"id": path.name, "source": "parlamint", "text": _parlamint_transcript(path)})
    df = pd.read_csv(shared / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv", sep="\t", dtype=str,
                     keep_default_na=False)
    answered = df[df["answer"].str.strip() != ""].sort_values("doc_id").set_index("doc_id")
    for doc_id in random.Random(KAMER_SEED).sample(list(answered.index), KAMER_N):
        docs.append({"id": f"kamer-{doc_id}", "source": "kamer", "text": answered.loc[doc_id, "answer"]})
    for d in docs:
        d["text"] = normalise_text(d["text"])
    if with_gold:
        gold = {r["id"]: r for r in map(json.loads, REAL_DATA.read_text(encoding="utf-8").splitlines())}
        for d in docs:
            d["persons"] = gold[d["id"]]["persons"]
            for p in d["persons"]:
                assert d["text"][p["start"]:p["end"]] == p["text"], (d["id"], p)
    return docs


def _inside_word(text: str, s: int, e: int) -> bool:
    """A replacement text[s:e] that starts or ends inside a word."""
    return (s > 0 and text[s - 1].isalnum() and text[s].isalnum()) or \
        (e < len(text) and text[e - 1].isalnum() and text[e].isalnum())


def evaluate_real(docs: list[dict], keep=()) -> dict:
    """Per source: mention recall, precision of entries, partial-word replacements, and the errors."""
    from pipeline.privacy import Pseudonymiser, with_corpus_mentions

    out = {}
    for source in dict.fromkeys(d["source"] for d in docs):
        ps = Pseudonymiser()
        n_gold = found = partial = 0
        entries: dict[str, list[bool]] = defaultdict(list)
        missed, partial_ctx, wrong = [], [], defaultdict(list)
        these = [d for d in docs if d["source"] == source]
        # as the privacy stage runs it: parts of full names carried over the source's documents
        per_doc = with_corpus_mentions([(d["text"], find_persons(d["text"])) for d in these])
        for d, spans in zip(these, per_doc):
            text = d["text"]
            new, to_new = ps.pseudonymise_with_offsets(text, spans)
            reps = [(s, e) for s, e, _, _ in to_new.replaced]
            gold = [(p["start"], p["end"]) for p in d["persons"]]
            for (s, e, ns, ne) in to_new.replaced:
                ok = any(s < ge and gs < e for gs, ge in gold)
                entries[new[ns:ne]].append(ok)
                if not ok:
                    wrong[new[ns:ne]].append(text[s:e])
                if _inside_word(text, s, e):
                    partial += 1
                    partial_ctx.append(f"{d['id']}: {text[max(0, s - 20):e + 20]!r}")
            for p in d["persons"]:
                n_gold += 1
                words = [(p["start"] + m.start(), p["start"] + m.end()) for m in re.finditer(r"\w+", p["text"])]
                if all(any(s <= ws and we <= e for s, e in reps) for ws, we in words):
                    found += 1
                else:
                    missed.append(f"{d['id']}: {p['snippet']!r}")
        good = sum(all(v) for v in entries.values())
        out[source] = {"docs": sum(d["source"] == source for d in docs), "mentions": n_gold, "found": found,
                       "entries": len(entries), "good": good, "partial": partial, "missed": missed,
                       "wrong": {k: v for k, v in wrong.items()}, "partial_ctx": partial_ctx}
    return out


def report_real(docs: list[dict], show_errors: bool) -> None:
    res = evaluate_real(docs)
    print(f"\n=== real text: {len(docs)} documents, {sum(len(d['persons']) for d in docs)} gold mentions ===")
    print(f"{'source':<10} {'docs':>4} {'mentions':>8} {'recall':>7} {'entries':>7} {'precision':>9} {'partial-word':>12}")
    tot = defaultdict(int)
    for source, r in res.items():
        rec = r["found"] / r["mentions"] if r["mentions"] else float("nan")
        prec = r["good"] / r["entries"] if r["entries"] else float("nan")
        print(f"{source:<10} {r['docs']:>4} {r['mentions']:>8} {rec:>7.3f} {r['entries']:>7} {prec:>9.3f} "
              f"{r['partial']:>12}")
        for k in ("docs", "mentions", "found", "entries", "good", "partial"):
            tot[k] += r[k]
    print(f"{'all':<10} {tot['docs']:>4} {tot['mentions']:>8} {tot['found'] / tot['mentions']:>7.3f} "
          f"{tot['entries']:>7} {tot['good'] / max(1, tot['entries']):>9.3f} {tot['partial']:>12}")
    if show_errors:
        for source, r in res.items():
            print(f"errors in {source}:")
            for m in r["missed"]:
                print(f"  missed  {m}")
            for k, v in r["wrong"].items():
                print(f"  not a person  {k}: {sorted(set(v))}")
            for c in r["partial_ctx"][:5]:
                print(f"  partial  {c}")


def kamer_mapping(per_case: int = 60, last: bool = False, out: Path | None = None) -> int:
    """The Kamer mapping size: how many distinct pseudonyms the privacy stage makes of the Chamber's
    answers read as a spreadsheet run reads them (`--corpus dekamer --text-column answer --question-column
    question --case-column answer_department`: one document per department, its questions and answers
    joined by blank lines), the first (or `last`) `per_case` answers per department by doc_id, the answers
    of over 200 characters that do not only refer to another answer. Fewer is better only while no person
    is lost: `out` writes the mapping (personal data of public persons) to read it."""
    import pandas as pd

    from pipeline.corpus import normalise_text
    from pipeline.privacy._stage import pseudonymise_documents

    data = pd.read_csv(SHARED / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv", sep="\t", dtype=str,
                       keep_default_na=False)
    data = data[(data["answer"].str.len() > 200) & (data["answer_department"] != "")]
    data = data[~data["answer"].str.contains(r"verwezen naar (?:het|mijn) antwoord", regex=True)]
    groups = data.sort_values("doc_id").groupby("answer_department", group_keys=False)
    data = groups.tail(per_case) if last else groups.head(per_case)
    parts: dict[str, list[str]] = {}
    for question, answer, case in zip(data["question"], data["answer"], data["answer_department"]):
        parts.setdefault(case, []).extend(normalise_text(t).strip() for t in (question, answer) if t.strip())
    docs = pd.DataFrame([{"doc_id": f"dekamer#{case}", "text": "\n\n".join(texts) + "\n", "persons": "", "blocks": [],
                          "page_starts": [], "case": case} for case, texts in sorted(parts.items())])
    mapping = pseudonymise_documents(docs).mapping
    if out:
        pd.DataFrame(mapping).to_csv(out, sep="\t", index=False)
    return len(mapping)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "heldout", "all", "each"], default="each")
    ap.add_argument("--errors", action="store_true", help="print the sentences with errors")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--only", choices=["synthetic", "real"], help="run one benchmark (default: both)")
    ap.add_argument("--baseline", type=Path, help="a checkout whose finder is scored beside this one")
    ap.add_argument("--kamer-mapping", type=Path, nargs="?", const=Path("-"), metavar="TSV",
                    help="only count the Kamer mapping's pseudonyms (first and last 60 answers per department); "
                         "TSV: also write the first mapping there")
    args = ap.parse_args(argv)
    if args.kamer_mapping:
        out = None if str(args.kamer_mapping) == "-" else args.kamer_mapping
        print(f"Kamer mapping: first 60 per department {kamer_mapping(out=out)} pseudonyms, "
              f"last 60 per department {kamer_mapping(last=True)}")
        return 0
    t0 = time.perf_counter()
    find_persons("Opwarmen: Sofie Vermeulen zegt dat.", ["Sofie Vermeulen"])  # load lists once
    print(f"loading name lists and lexicon: {time.perf_counter() - t0:.2f} s (once per process)")
    if args.only != "synthetic":
        if (SHARED / "reference").is_dir():
            report_real(real_documents(), args.errors)
        else:
            print(f"\nreal-text benchmark skipped: {SHARED} not found")
    if args.only == "real":
        return 0
    rows = load(args.data)
    splits = {"dev": ["dev"], "heldout": ["heldout"], "all": ["all"], "each": ["dev", "heldout", "all"]}
    for sp in splits[args.split]:
        sel = rows if sp == "all" else [r for r in rows if r["split"] == sp]
        report(sel, sp, args.errors and sp != "all")
    places = load(PLACES_DATA)
    baselines = [("capitalised", _capitalised_not_first)]
    if args.baseline:
        baselines.append((f"{args.baseline.name} finder", _checkout_predictions(args.baseline, PLACES_DATA)))
    report(places, "places, projects, organisations (all)", args.errors, baselines)
    wps = throughput(rows)
    print(f"\nthroughput: {wps:,.0f} words/s  (1M words in {1_000_000 / wps:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
