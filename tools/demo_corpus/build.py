#!/usr/bin/env python3
"""Build the FICTITIOUS demo corpus from tools/demo_corpus/plan.yaml + cities/*.yaml.

Run from the project root:

    .venv/bin/python tools/demo_corpus/build.py            # all 14 cities required
    .venv/bin/python tools/demo_corpus/build.py --partial  # build the cities that exist

Writes (fully regenerated, deterministic, byte-reproducible):
    corpus/demo/<slug>/<file>                  notes as .txt / .docx / .pdf
    corpus/demo/schriftelijke_antwoorden.xlsx  written answers, one row per city x question
    corpus/demo/manifest.csv                   file,city,session,role,date
    corpus/demo/README.md                      what this is (fictitious!)
    corpus/demo_truth.yaml                     planted themes / mechanisms / practices
                                               (outside corpus/demo; the pipeline never reads it)

Validation is strict: any error aborts the build before anything is written.
This is dev tooling; the pipeline never reads tools/demo_corpus/.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import shutil
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PLAN = HERE / "plan.yaml"
CITIES_DIR = HERE / "cities"
OUT = ROOT / "corpus" / "demo"
TRUTH = ROOT / "corpus" / "demo_truth.yaml"

FIXED_DT = dt.datetime(2020, 1, 9, 10, 0, 0)  # fixed metadata timestamp
ZIP_DT = (2020, 1, 9, 10, 0, 0)

QUESTIONS = [
    "Welke drempels ervaren burgers in de dienstverlening van uw stad?",
    "Welke initiatieven of praktijken wilt u delen met de andere steden?",
    "Hoe gaat uw organisatie om met diversiteit in het eigen personeel?",
    "Wat zijn voor uw stad de grootste uitdagingen voor de komende jaren?",
]

# (min, max) from CITY_SCHEMA.md; tolerance +-25 % is an error, outside the range a warning
WORDS_TABLE = (800, 1100)
WORDS_META = (450, 700)
WORDS_ANSWER = (60, 160)
TURNS_TABLE = (22, 32)
TURNS_META = (12, 18)
TOL = 0.25

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december"]

# how people actually type city names in a shared spreadsheet (one entry per question row)
SHEET_CITY = {
    "Aalst": ["Aalst", "Aalst", "aalst", "Aalst"],
    "Antwerpen": ["Stad Antwerpen", "Antwerpen", "Antwerpen", "Stad Antwerpen"],
    "Brugge": ["Brugge", "Brugge", "Stad Brugge", "Brugge"],
    "Genk": ["Genk", "genk", "Genk", "Genk"],
    "Gent": ["Stad Gent", "Stad Gent", "Gent", "Stad Gent"],
    "Hasselt": ["Hasselt ", "Hasselt", "Hasselt ", "Hasselt"],
    "Kortrijk": ["Kortrijk", "Kortrijk", "KORTRIJK", "Kortrijk"],
    "Leuven": ["Leuven", "Stad Leuven", "Leuven", "Leuven"],
    "Mechelen": ["Mechelen", "Mechelen", "Mechelen ", "Mechelen"],
    "Oostende": ["OOSTENDE", "OOSTENDE", "Oostende", "OOSTENDE"],
    "Roeselare": ["Roeselare", "Roeselare", "Roeselare", "Stad Roeselare"],
    "Sint-Niklaas": ["St.-Niklaas", "Sint-Niklaas", "St.-Niklaas", "St-Niklaas"],
    "Turnhout": ["stad Turnhout", "Turnhout", "stad Turnhout", "Turnhout"],
    "VGC": ["Brussel (VGC)", "VGC", "Brussel (VGC)", "Vlaamse Gemeenschapscommissie"],
}

SESSIONS = ["gesprekstafel 1", "gesprekstafel 2", "metagesprek"]
FILE_SUFFIX = ["gesprekstafel_1", "gesprekstafel_2", "metagesprek"]
XLSX_NAME = "schriftelijke_antwoorden.xlsx"


def slugify(city: str) -> str:
    return city.lower()


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


class Errors:
    def __init__(self):
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def check_range(errs, where, n, rng, what):
    lo, hi = rng
    if n < lo * (1 - TOL) or n > hi * (1 + TOL):
        errs.err(f"{where}: {n} {what}, outside {lo}-{hi} +-25%")
    elif n < lo or n > hi:
        errs.warn(f"{where}: {n} {what}, outside {lo}-{hi} (within tolerance)")


def as_date(value, errs, where):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value))
        except ValueError:
            errs.err(f"{where}: bad date {value!r}")
            return None
    if not (dt.date(2019, 9, 1) <= d <= dt.date(2019, 12, 31)):
        errs.err(f"{where}: date {d} not in Sept-Dec 2019")
    return d


# --------------------------------------------------------------------------- validation

def load_and_validate(partial: bool):
    errs = Errors()
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    themes = plan["themes"]
    mechs = plan["mechanisms"]
    pcities = plan["cities"]
    slug2city = {slugify(c): c for c in pcities}

    for mid, m in mechs.items():
        for c in m["cities"]:
            if c not in pcities:
                errs.err(f"plan.yaml: mechanism {mid} lists unknown city {c}")

    files = sorted(CITIES_DIR.glob("*.yaml")) if CITIES_DIR.exists() else []
    data = {}
    for f in files:
        slug = f.stem
        if slug not in slug2city:
            errs.err(f"{f.name}: file name does not match any plan city slug ({', '.join(slug2city)})")
            continue
        try:
            y = yaml.safe_load(f.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            errs.err(f"{f.name}: YAML error: {e}")
            continue
        if not isinstance(y, dict):
            errs.err(f"{f.name}: not a mapping")
            continue
        if y.get("city") != slug2city[slug]:
            errs.err(f"{f.name}: city: {y.get('city')!r}, expected {slug2city[slug]!r}")
        data[slug2city[slug]] = y

    missing = [c for c in pcities if c not in data]

    wordstats = []  # (file, kind, turns, words)
    mech_hits = defaultdict(list)  # mid -> [(city, file)]
    for city in [c for c in pcities if c in data]:
        y = data[city]
        spec = pcities[city]
        slug = slugify(city)
        where_c = f"{slug}.yaml"
        planted = spec["themes"]
        theme_files = defaultdict(set)
        theme_count = defaultdict(int)
        practices = []

        def check_unit(where, unit, fileref):
            """Common checks for a turn or a written answer."""
            text = unit.get("text", unit.get("answer"))
            if not isinstance(text, str) or not text.strip():
                errs.err(f"{where}: empty text")
                return
            if text != text.strip():
                errs.warn(f"{where}: leading/trailing whitespace in text (stripped on output)")
            tl = unit.get("themes") or []
            if not isinstance(tl, list):
                errs.err(f"{where}: themes must be a list")
                tl = []
            if len(tl) > 2:
                errs.err(f"{where}: more than 2 themes")
            for t in tl:
                if t not in themes:
                    errs.err(f"{where}: unknown theme id {t!r}")
                elif t not in planted:
                    errs.err(f"{where}: theme {t!r} is not planted in {city} (plan: {planted}); leave themes empty for unplanted topics")
                else:
                    theme_count[t] += 1
                    theme_files[t].add(fileref)
            mid = unit.get("mechanism")
            ms = unit.get("mechanism_sentence")
            if mid is not None:
                if mid not in mechs:
                    errs.err(f"{where}: unknown mechanism id {mid!r}")
                if not ms:
                    errs.err(f"{where}: mechanism {mid} without mechanism_sentence")
                elif ms not in text:
                    errs.err(f"{where}: mechanism_sentence is not an exact substring of the text: {ms!r}")
                mech_hits[mid].append((city, fileref))
            elif ms:
                errs.err(f"{where}: mechanism_sentence without mechanism")
            pr = unit.get("practice")
            if pr:
                if pr not in text:
                    errs.err(f"{where}: practice name {pr!r} does not occur literally in text")
                practices.append(pr)
            extra = set(unit) - {"speaker", "text", "answer", "question", "themes", "mechanism",
                                 "mechanism_sentence", "practice"}
            if extra:
                errs.err(f"{where}: unknown keys {sorted(extra)}")

        docs = y.get("docs") or []
        if len(docs) != 3:
            errs.err(f"{where_c}: {len(docs)} docs, expected exactly 3")
        tables = spec["tables"] + ["Metagesprek"]
        for i, d in enumerate(docs[:3]):
            fmt = spec["formats"][i]
            exp_file = f"{slug}_{FILE_SUFFIX[i]}.{fmt}"
            wd = f"{where_c} doc {i + 1}"
            if d.get("file") != exp_file:
                errs.err(f"{wd}: file {d.get('file')!r}, expected {exp_file!r}")
            if d.get("session") != SESSIONS[i]:
                errs.err(f"{wd}: session {d.get('session')!r}, expected {SESSIONS[i]!r}")
            if d.get("table") != tables[i]:
                errs.err(f"{wd}: table {d.get('table')!r}, expected {tables[i]!r}")
            for k in ("role", "title", "present"):
                if not d.get(k) or not isinstance(d.get(k), str):
                    errs.err(f"{wd}: missing {k}")
            if isinstance(d.get("present"), str):
                if not d["present"].startswith("Aanwezig:"):
                    errs.warn(f"{wd}: present line does not start with 'Aanwezig:'")
                npres = len([x for x in re.sub(r"\([^)]*\)", "", d["present"]).split(",") if x.strip()])
                if not 4 <= npres <= 8:
                    errs.warn(f"{wd}: {npres} persons on the present line (schema: 4-8)")
            as_date(d.get("date"), errs, wd)
            extra = set(d) - {"file", "session", "table", "role", "date", "title", "present", "turns"}
            if extra:
                errs.err(f"{wd}: unknown keys {sorted(extra)}")
            turns = d.get("turns") or []
            fileref = f"{slug}/{exp_file}"
            nfac = 0
            for j, t in enumerate(turns):
                wt = f"{wd} turn {j + 1}"
                if not isinstance(t, dict):
                    errs.err(f"{wt}: not a mapping")
                    continue
                if not t.get("speaker") or not isinstance(t["speaker"], str):
                    errs.err(f"{wt}: missing speaker")
                elif t["speaker"] == "Facilitator":
                    nfac += 1
                check_unit(wt, t, fileref)
            words = sum(word_count(str(t.get("text", ""))) for t in turns if isinstance(t, dict))
            meta = i == 2
            check_range(errs, f"{wd} ({exp_file})", len(turns), TURNS_META if meta else TURNS_TABLE, "turns")
            check_range(errs, f"{wd} ({exp_file})", words, WORDS_META if meta else WORDS_TABLE, "words")
            if turns and not (0.12 <= nfac / len(turns) <= 0.4):
                errs.warn(f"{wd}: facilitator has {nfac}/{len(turns)} turns (aim ~1 in 4)")
            wordstats.append((fileref, "meta" if meta else "tafel", len(turns), words))

        written = y.get("written") or []
        if len(written) != 4:
            errs.err(f"{where_c}: {len(written)} written answers, expected 4")
        wwords = 0
        for q, w in enumerate(written):
            ww = f"{where_c} written {q + 1}"
            if not isinstance(w, dict):
                errs.err(f"{ww}: not a mapping")
                continue
            if q < 4 and w.get("question") != QUESTIONS[q]:
                errs.err(f"{ww}: question must be verbatim {QUESTIONS[q]!r}")
            check_unit(ww, w, XLSX_NAME)
            n = word_count(str(w.get("answer", "")))
            wwords += n
            check_range(errs, ww, n, WORDS_ANSWER, "words")
        wordstats.append((f"{XLSX_NAME} [{city}]", "written", len(written), wwords))

        for t in planted:
            if theme_count[t] < 4 or len(theme_files[t]) < 2:
                errs.err(f"{where_c}: planted theme {t!r} carried by {theme_count[t]} turns/answers "
                         f"in {len(theme_files[t])} files (need >=4 over >=2 files)")
        if len(set(practices)) != 2:
            errs.err(f"{where_c}: {len(set(practices))} distinct practices {sorted(set(practices))}, expected exactly 2")
        elif len(practices) != 2:
            errs.err(f"{where_c}: a practice is tagged more than once (describe it in one turn; mention elsewhere untagged)")

    # mechanisms: exactly once in each of its plan cities (that exist), nowhere else
    for mid, m in mechs.items():
        hits = mech_hits.get(mid, [])
        per_city = defaultdict(int)
        for c, _ in hits:
            per_city[c] += 1
        for c in m["cities"]:
            if c in data and per_city[c] != 1:
                errs.err(f"mechanism {mid}: planted {per_city[c]} times in {c}, expected exactly 1")
        for c in per_city:
            if c not in m["cities"]:
                errs.err(f"mechanism {mid}: planted in {c}, which is not in its plan cities {m['cities']}")

    return plan, data, missing, errs, wordstats


# --------------------------------------------------------------------------- rendering

def date_line(d: dt.date) -> str:
    return f"Datum: {d.day} {MONTHS_NL[d.month - 1]} {d.year}"


def doc_paragraphs(doc, d: dt.date):
    """Paragraphs of a notes file: title, present, date, turns."""
    paras = [doc["title"].strip(), doc["present"].strip(), date_line(d)]
    for t in doc["turns"]:
        paras.append(f"{t['speaker'].strip()}: {t['text'].strip()}")
    return paras


def normalise_zip(blob: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps and fixed core.xml dates."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    stamp = FIXED_DT.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                s = data.decode("utf-8")
                s = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                           lambda mo: mo.group(1) + stamp + mo.group(3), s)
                data = s.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def write_txt(path: Path, paras):
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8", newline="\n")


def write_docx(path: Path, paras, title):
    import docx

    document = docx.Document()
    document.add_heading(paras[0], level=1)
    for p in paras[1:]:
        document.add_paragraph(p)
    cp = document.core_properties
    cp.title = title
    cp.author = "Gespreksverslag (fictief)"
    cp.last_modified_by = "Gespreksverslag (fictief)"
    cp.comments = "Fictief demobestand"
    cp.created = FIXED_DT
    cp.modified = FIXED_DT
    cp.last_printed = FIXED_DT
    cp.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(normalise_zip(buf.getvalue()))


# ---- PDF with hand-made hard wraps and occasional hyphenation

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LINE_CHARS = 95
VOWELS = set("aeiouyáéíóúàèëïöüäâêîôû")
ASCII_MAP = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def split_point(core: str, avail: int):
    """Largest syllable-ish split k (core[:k] + '-' fits in avail), >=4 chars each side."""
    lo, hi = 4, min(avail - 1, len(core) - 4)
    low = core.lower()
    for k in range(hi, lo - 1, -1):
        a, b = low[k - 1], low[k]
        nxt = low[k + 1] if k + 1 < len(low) else ""
        if low[k - 1:k + 1] in ("ch", "ij", "ng", "ui", "oe", "ie", "eu", "ou", "ei", "aa", "ee", "oo", "uu", "sch"):
            continue
        if a in VOWELS and b in VOWELS:
            continue
        if a not in VOWELS and b in "lr" and a in "bcdfgkptv":  # onset clusters: br, kl, tr, ...
            continue
        # split before a consonant that starts a syllable (V-CV or C-CV)
        if b not in VOWELS and nxt in VOWELS:
            return k
    return None


def wrap_paragraph(text: str, rng: random.Random, width: int = LINE_CHARS):
    lines, line = [], ""
    for word in text.split():
        if not line:
            line = word
            continue
        if len(line) + 1 + len(word) <= width:
            line += " " + word
            continue
        m = re.fullmatch(r"([^\W\d_]+)([^\w]*)", word)
        if m and len(m.group(1)) >= 10:
            # a long word that does not fit: hyphenate about a third of the feasible cases
            k = split_point(m.group(1), width - len(line) - 1)
            if k and rng.random() < 1 / 3:
                lines.append(f"{line} {word[:k]}-")
                line = word[k:]
                continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def write_pdf(path: Path, paras, title, seed):
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DT.replace(tzinfo=dt.timezone.utc))
    pdf.set_title(title)
    pdf.set_author("Gespreksverslag (fictief)")
    pdf.set_creator("tools/demo_corpus/build.py")
    pdf.set_subject("Fictief demobestand")
    pdf.set_margins(15, 18, 15)
    pdf.set_auto_page_break(True, margin=18)
    if (DEJAVU / "DejaVuSans.ttf").exists():
        pdf.add_font("DejaVu", "", str(DEJAVU / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
        fam = "DejaVu"
        conv = lambda s: s
    else:  # core font fallback: latin-1 only
        fam = "Helvetica"
        conv = lambda s: s.translate(ASCII_MAP).encode("latin-1", "replace").decode("latin-1")
    pdf.add_page()
    body = [wrap_paragraph(conv(p), rng) for p in paras[1:]]
    size = 9.5
    pdf.set_font(fam, "", size)
    widest = max(pdf.get_string_width(ln) for b in body for ln in b)
    while widest > pdf.epw and size > 6:
        size -= 0.5
        pdf.set_font(fam, "", size)
        widest = max(pdf.get_string_width(ln) for b in body for ln in b)
    lh = size * 0.5
    pdf.set_font(fam, "B", 13)
    for ln in wrap_paragraph(conv(paras[0]), random.Random(0), 70):
        pdf.cell(0, 7, ln, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(lh)
    pdf.set_font(fam, "", size)
    for bi, block in enumerate(body):
        if bi:
            pdf.ln(lh)
        for ln in block:
            pdf.cell(0, lh, ln, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_xlsx(path: Path, plan, data):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Antwoorden"
    ws.append(["Stad", "Vraag", "Antwoord"])
    for c in ws[1]:
        c.font = Font(bold=True)
    rows = []
    for city in plan["cities"]:
        if city not in data:
            continue
        for q, w in enumerate(data[city]["written"]):
            rows.append([SHEET_CITY.get(city, [city] * 4)[q], w["question"], w["answer"].strip()])
    blank_at = (len(rows) // 2) // 4 * 4 + 1 if len(rows) > 4 else 1  # mid-city, like real sheets
    for i, r in enumerate(rows):
        if i == blank_at:
            ws.append([None, None, None])
        ws.append(r)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 45
    ws.column_dimensions["C"].width = 100
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    p = wb.properties
    p.creator = "stadsadministraties (fictief)"
    p.lastModifiedBy = "stadsadministraties (fictief)"
    p.title = "Schriftelijke antwoorden (fictief)"
    p.created = FIXED_DT
    p.modified = FIXED_DT
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalise_zip(buf.getvalue()))
    return len(rows), blank_at


# --------------------------------------------------------------------------- truth + readme

def build_truth(plan, data):
    themes = plan["themes"]
    truth = {
        "note": ("Ground truth for the FICTITIOUS demo corpus in corpus/demo/, generated by "
                 "tools/demo_corpus/build.py from the annotations in tools/demo_corpus/cities/*.yaml. "
                 "The pipeline never reads this file; it is only for evaluating pipeline output."),
        "themes": [], "mechanisms": [], "practices": [],
    }
    units = []  # (city, file, session, speaker, text, unit)
    for city in plan["cities"]:
        if city not in data:
            continue
        slug = slugify(city)
        y = data[city]
        for d in y["docs"]:
            for t in d["turns"]:
                units.append((city, f"{slug}/{d['file']}", d["session"], t["speaker"].strip(), t["text"].strip(), t))
        for w in y["written"]:
            units.append((city, XLSX_NAME, "schriftelijke antwoorden", "stadsadministratie", w["answer"].strip(), w))
    for tid, t in themes.items():
        cities = [c for c, s in plan["cities"].items() if tid in s["themes"] and c in data]
        ev = []
        for city, f, sess, spk, text, u in units:
            if tid in (u.get("themes") or []):
                item = {"city": city, "file": f, "session": sess, "speaker": spk, "text": text}
                if "question" in u:
                    item["question"] = u["question"]
                ev.append(item)
        truth["themes"].append({"id": tid, "label": t["label"], "cities": cities, "evidence": ev})
    for mid, m in plan["mechanisms"].items():
        sents = [{"city": city, "file": f, "text": u["mechanism_sentence"]}
                 for city, f, sess, spk, text, u in units if u.get("mechanism") == mid]
        truth["mechanisms"].append({"id": mid, "label": m["label"],
                                    "cities": [c for c in m["cities"] if c in data], "sentences": sents})
    for city, f, sess, spk, text, u in units:
        if u.get("practice"):
            tl = u.get("themes") or []
            truth["practices"].append({"name": u["practice"], "city": city, "theme": tl[0] if tl else None,
                                       "file": f, "text": text})
    return truth


def readme(stats):
    s = stats
    return f"""# Demo corpus — FICTITIOUS / FICTIEF

**English.** Every note, name, person, practice, quote and city statement in this folder is
**fictitious**. It was written for testing the text-analysis pipeline and does not describe
what any real city, organisation or person said or did. Real city names are used only as
labels so that the corpus has the shape of a real cross-city consultation.

**Nederlands.** Alle verslagen, namen, personen, praktijken, citaten en uitspraken van steden in
deze map zijn **fictief**. Ze zijn geschreven om de tekstanalyse-pipeline te testen en geven niet
weer wat een echte stad, organisatie of persoon gezegd of gedaan heeft. Echte stadsnamen dienen
alleen als label, zodat het corpus de vorm heeft van een echte bevraging over steden heen.

## How it was made / Hoe het gemaakt is

Generated by `tools/demo_corpus/build.py` (deterministic, byte-reproducible) from
`tools/demo_corpus/plan.yaml` and `tools/demo_corpus/cities/*.yaml`. Do not edit the files here
by hand; edit the YAML and rebuild:

    .venv/bin/python tools/demo_corpus/build.py

PDFs carry hand-made hard line breaks and occasional end-of-line hyphenation; .docx files have
one Word paragraph per paragraph; the spreadsheet has inconsistent city spellings and an empty row,
as real ones do.

## Contents / Inhoud

- cities / steden: {s['cities']} ({', '.join(s['city_names'])})
- notes files / verslagen: {s['docs']} ({s['fmt']}) — {s['tables']} gesprekstafels, {s['metas']} metagesprekken
- turns / beurten: {s['turns']}; words in turns / woorden: {s['words']}
- written answers / schriftelijke antwoorden: {s['answers']} rows in `schriftelijke_antwoorden.xlsx` ({s['answer_words']} words)
- `manifest.csv`: file, city, session, role, date for every file

## Ground truth / Sleutel

The planted themes, recurring mechanisms and named practices are listed in
`corpus/demo_truth.yaml`, deliberately **outside** this folder so that the pipeline never reads it.
De sleutel met de geplante thema's, mechanismen en praktijken staat in `corpus/demo_truth.yaml`,
bewust **buiten** deze map: de pipeline leest dat bestand nooit.
"""


# --------------------------------------------------------------------------- main

def main(argv=None):
    """Serialise concurrent builds with a lock file; write to a temp dir, then swap it in."""
    import fcntl

    import tempfile

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(Path(tempfile.gettempdir()) / "demo_corpus_build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _main(argv)


def _main(argv=None):
    global OUT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--partial", action="store_true",
                    help="build the cities that exist and exit 0 even if some are missing")
    args = ap.parse_args(argv)

    plan, data, missing, errs, wordstats = load_and_validate(args.partial)

    print("== words per file (turn text only; written = sum of 4 answers) ==")
    for f, kind, nt, nw in wordstats:
        print(f"  {f:55s} {kind:8s} turns={nt:3d} words={nw:5d}")
    for w in errs.warnings:
        print(f"WARNING: {w}")
    if errs.errors:
        for e in errs.errors:
            print(f"ERROR: {e}", file=sys.stderr)
        if missing:
            print("MISSING city files: " + ", ".join(f"cities/{slugify(c)}.yaml" for c in missing), file=sys.stderr)
        print(f"\nBUILD FAILED: {len(errs.errors)} error(s); nothing written.", file=sys.stderr)
        return 1
    if not data:
        print("No city files found in tools/demo_corpus/cities/; nothing to build.", file=sys.stderr)
        return 1

    # ---- write (into a temporary sibling directory, swapped in at the end)
    final_out = OUT
    OUT = final_out.parent / f".{final_out.name}.tmp"
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    manifest = []
    fmt_count = defaultdict(int)
    for city in plan["cities"]:
        if city not in data:
            continue
        slug = slugify(city)
        (OUT / slug).mkdir()
        for d in data[city]["docs"]:
            date = as_date(d["date"], Errors(), "")
            paras = doc_paragraphs(d, date)
            path = OUT / slug / d["file"]
            fmt = path.suffix[1:]
            fmt_count[fmt] += 1
            if fmt == "txt":
                write_txt(path, paras)
            elif fmt == "docx":
                write_docx(path, paras, d["title"])
            elif fmt == "pdf":
                write_pdf(path, paras, d["title"], seed=d["file"])
            else:
                raise SystemExit(f"unknown format {fmt}")
            session = d["session"] if d["session"] == "metagesprek" else f"{d['session']}: {d['table']}"
            manifest.append([f"{slug}/{d['file']}", city, session, d["role"], date.isoformat()])
    nrows, blank_at = write_xlsx(OUT / XLSX_NAME, plan, data)
    manifest.append([XLSX_NAME, "", "schriftelijke antwoorden", "stadsadministratie", "2019-06-30"])
    with open(OUT / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "city", "session", "role", "date"])
        w.writerows(manifest)

    doc_ws = [x for x in wordstats if x[1] != "written"]
    stats = {
        "cities": len(data),
        "city_names": [c for c in plan["cities"] if c in data],
        "docs": len(doc_ws),
        "fmt": ", ".join(f"{n} {k}" for k, n in sorted(fmt_count.items())),
        "tables": sum(1 for x in doc_ws if x[1] == "tafel"),
        "metas": sum(1 for x in doc_ws if x[1] == "meta"),
        "turns": sum(x[2] for x in doc_ws),
        "words": sum(x[3] for x in doc_ws),
        "answers": nrows,
        "answer_words": sum(x[3] for x in wordstats if x[1] == "written"),
    }
    (OUT / "README.md").write_text(readme(stats), encoding="utf-8", newline="\n")
    tmp_out, OUT = OUT, final_out
    if OUT.exists():
        shutil.rmtree(OUT)
    tmp_out.rename(OUT)

    truth = build_truth(plan, data)
    TRUTH.write_text(
        "# GENERATED by tools/demo_corpus/build.py — do not edit. FICTITIOUS demo data.\n"
        + yaml.safe_dump(truth, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8", newline="\n")

    # ---- summary
    print("\n== summary ==")
    print(f"  cities built:    {stats['cities']}/{len(plan['cities'])}")
    print(f"  notes files:     {stats['docs']} ({stats['fmt']})")
    print(f"  turns / words:   {stats['turns']} / {stats['words']}")
    print(f"  written answers: {nrows} rows (+1 empty row at data row {blank_at + 1}), {stats['answer_words']} words")
    print(f"  themes:          " + ", ".join(f"{t['id']}={len(t['evidence'])}" for t in truth["themes"]))
    print(f"  mechanisms:      " + ", ".join(f"{m['id']}={len(m['sentences'])}" for m in truth["mechanisms"]))
    print(f"  practices:       {len(truth['practices'])}")
    print(f"  written to:      {OUT}/ and {TRUTH}")
    if missing:
        print(f"\nMISSING city files ({len(missing)}): "
              + ", ".join(f"cities/{slugify(c)}.yaml" for c in missing))
        if not args.partial:
            print("Not all 14 cities present: exiting non-zero (use --partial to allow).", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
