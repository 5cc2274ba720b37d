"""Test data shared across test modules: small realistic documents in real file formats, the
extra notes that give the small corpus distinct themes, and hand-made run tables."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.schema import theme_case_matrix
from pipeline.store import RunTables

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
KAMER = SHARED / "data" / "be_kamer_written_questions_2017" / "dekamer.tsv"


def kamer_periods() -> tuple[pd.DataFrame, np.ndarray]:
    """The Chamber's written questions of 2017 that have a gold theme, by doc_id, and each one's
    period: 1 up to the median deposit date, else 2 (as benchmarks/rounds.py splits them)."""
    data = pd.read_csv(KAMER, sep="\t", dtype=str, keep_default_na=False,
                       usecols=["doc_id", "depotdat", "question", "question_theme_main"])
    data = data[data["question_theme_main"] != ""].sort_values("doc_id").reset_index(drop=True)
    return data, np.where(data["depotdat"] <= sorted(data["depotdat"])[len(data) // 2], 1, 2)

NOTES_GENT = """Gesprekstafel Gent - Van de ladder en uit de boot

Aanwezig: Sofie Vermeulen (OCMW), Karim El Idrissi (brugfiguur)

Facilitator: Welkom. Wat valt jullie op in de hulpverlening?

Frontlijnwerker OCMW: Mensen lopen verloren in het web van diensten en voorwaarden. Het is echt een doolhof, ook voor ons.

Brugfiguur basisschool: De ouders verstaan de brieven van de school niet. Taal blijft de grootste drempel.

Dat merken we elke week aan de schoolpoort.
"""

NOTES_ANTWERPEN = """Facilitator: Hoe verloopt de aanwerving van divers talent?
Medewerker personeelsdienst: Onze selectieprocedures zijn streng. Veel kandidaten struikelen over de eerste test.
Diensthoofd: Het project voor hoger opgeleide nieuwkomers stopt als de subsidie afloopt.
"""


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with a real text layer; each item is one printed line ("" = paragraph gap, "\f" = new
    page)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        if line == "\f":
            pdf.add_page()
            continue
        pdf.cell(0, 6 if line else 4, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_odt(path: Path, paragraphs: list[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=paragraphs[0]))
    for p in paragraphs[1:]:
        document.text.addElement(P(text=p))
    document.save(str(path))
    return path


def write_xlsx(path: Path, rows: list[list[str]], merge: str | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Antwoorden"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(str(path))
    return path


def write_manifest(folder: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "city", "session", "role", "date"])
        writer.writerows(rows)
    return path


# --- the small corpus with distinct themes ------------------------------------------------------

SETTINGS = {"themes.n_themes": 5, "themes.k_min": 2, "themes.min_tokens": 2, "embed.backend": "none"}

# Three more conversations with clearly separate subjects, so that the small corpus gives the same
# distinct themes whatever the clustering details: housing, police on the square, school letters.
EXTRA_NOTES = {
    "aalst/aalst_tafel_wonen.txt": ("Aalst", "gesprekstafel 1: Wonen", """Gesprekstafel Aalst - Wonen

Medewerker woonwinkel: De wachtlijst voor een sociale woning is vier jaar. Gezinnen wonen intussen in krotten met schimmel en vocht.

Huurdersbond: Huisbazen weigeren huurders met een leefloon. De huurprijzen stijgen elk jaar en de woningen zijn slecht.

Maatschappelijk werker: Een gezin met vijf kinderen woont in een studio. De huisbaas herstelt de schimmel en het vocht niet.
"""),
    "genk/genk_tafel_politie.txt": ("Genk", "gesprekstafel 2: Veiligheid", """Gesprekstafel Genk - Veiligheid en politie

Wijkagent: Jongeren op het plein voelen zich geviseerd bij elke identiteitscontrole door de politie.

Straathoekwerker: De jongeren vertrouwen de politie niet meer na de controles op het plein. Elke avond een nieuwe controle.

Jeugdwerker: Als de politie de jongeren bij naam kent, verloopt een controle op het plein rustiger.
"""),
    "mechelen/mechelen_tafel_school.txt": ("Mechelen", "gesprekstafel 1: Onderwijs", """Gesprekstafel Mechelen - Onderwijs

Brugfiguur: Ouders begrijpen de brieven van de school niet en komen niet naar het oudercontact.

Leerkracht: Op het oudercontact zitten de ouders die de school al kennen. De andere ouders zien we nooit.

Directeur basisschool: We schrijven de brieven aan de ouders nu korter, met pictogrammen, en bellen voor het oudercontact.
"""),
}


def enrich(corpus: Path) -> Path:
    """Add EXTRA_NOTES to a copy of the small corpus (files and manifest rows)."""
    rows = []
    for relative, (city, session, text) in EXTRA_NOTES.items():
        path = corpus / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows.append((relative, city, session, "frontlijnwerkers", "2019-10-10"))
    with (corpus / "manifest.csv").open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return corpus


# --- hand-made run tables ---------------------------------------------------------------------

CITIES = ["Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Leuven", "Mechelen"]
SESSIONS = {"Aalst": "gesprekstafel 1: Taal en communicatie", "Antwerpen": "metagesprek",
            "Brugge": "gesprekstafel 1: Taal en communicatie", "Genk": "gesprekstafel 2: Samenleven in de buurt",
            "Gent": "gesprekstafel 1: Taal en communicatie", "Leuven": "schriftelijke antwoorden",
            "Mechelen": "metagesprek"}
# theme -> (label, cities it occurs in, segments per city)
THEMES = {
    "T01": ("taal · brief · klare taal", CITIES[:6], 2),      # 6 of 7: de meeste steden
    "T02": ("wachtlijst · huisvesting", CITIES[:3], 1),        # 3 of 7: verschillende steden
    "T03": ("subsidie · project", ["Gent", "Genk"], 1),         # 2 of 7: enkele steden
    "T04": ("buurt · wijkagent", CITIES, 1),                    # 7 of 7: alle steden
}


def make_tables(mechanisms: bool = False, practices: bool = False) -> RunTables:
    """Small hand-made run tables: seven cities, four themes, one facilitator turn per city."""
    documents = pd.DataFrame({
        "doc_id": [f"{c.lower()}/{c.lower()}_notities.docx" for c in CITIES],
        "case": CITIES, "case_raw": CITIES, "session": [SESSIONS[c] for c in CITIES],
        "role": ["frontlijnwerkers"] * len(CITIES), "date": ["2019-10-01"] * len(CITIES),
        "source_file": [f"{c.lower()}/{c.lower()}_notities.docx" for c in CITIES],
        "format": ["docx"] * len(CITIES), "sha256": ["0" * 64] * len(CITIES),
        "n_chars": [1000] * len(CITIES), "text_file": [f"texts/{c.lower()}.txt" for c in CITIES],
    })
    rows = []
    index = {c: 0 for c in CITIES}

    def add(case, text, theme_id="", score=0.0, analysed=True, reason="", speaker="Maatschappelijk werker"):
        doc = f"{case.lower()}/{case.lower()}_notities.docx"
        i = index[case]
        index[case] += 1
        rows.append({
            "segment_id": f"{doc}:{i:04d}", "doc_id": doc, "case": case, "session": SESSIONS[case],
            "role": "frontlijnwerkers", "source_file": doc, "start_char": i * 100, "end_char": i * 100 + len(text),
            "text": text, "theme_id": theme_id, "theme_score": score,
            "theme_label": THEMES[theme_id][0] if theme_id else "", "theme_2": "", "theme_2_score": 0.0,
            "kind": "turn", "speaker": speaker, "prompt": "", "page": 0, "location": "p. 1" if case == "Gent" else "",
            "analysed": analysed, "excluded_reason": reason,
        })

    for case in CITIES:
        add(case, "Wat valt jullie op?", analysed=False, reason="facilitator", speaker="Facilitator")
    for tid, (label, cities, per_city) in THEMES.items():
        for rank, case in enumerate(cities):
            for k in range(per_city):
                add(case, f"In {case} zeggen we over {label.split(' · ')[0]} dit: fragment {k + 1} van {tid}.",
                    tid, round(0.9 - 0.05 * rank - 0.01 * k, 4))
    add("Gent", "Een fragment dat nergens bij past, over iets heel anders.", reason="past bij geen thema")
    segments = pd.DataFrame(rows)

    themes = pd.DataFrame({
        "theme_id": list(THEMES),
        "label": [v[0] for v in THEMES.values()],
        "top_terms": [v[0].replace(" · ", "; ") + "; extra term" for v in THEMES.values()],
        "n_segments": [len(v[1]) * v[2] for v in THEMES.values()],
        "n_cases": [len(v[1]) for v in THEMES.values()],
        "cases": ["; ".join(sorted(v[1])) for v in THEMES.values()],
    })
    assigned = segments[segments["theme_id"] != ""]
    matrix = theme_case_matrix(segments, list(THEMES), CITIES)
    n_analysed = int(segments["analysed"].sum())
    info = {
        "run_id": "20191231T120000-abc123",
        "created": "2019-12-31T12:00:00+00:00",
        "config": {"corpus": {"path": "/data/stadsgenoten/ronde2019"}, "themes": {"n_quotes": 3, "n_themes": "auto",
                                                                                   "outlier_quantile": 0.1},
                   "embed": {"backend": "use"}, "seed": 13},
        "versions": {"python": "3.11.7", "stadsgenoten": "0.1.0"},
        "inputs": [{"path": d, "status": "read"} for d in documents["source_file"]]
        + [{"path": "kapot.pdf", "status": "skipped"}],
        "skipped": [{"file": "kapot.pdf", "reason": "geen tekstlaag", "fix": "OCR het bestand eerst"}],
        "warnings": [],
        "counts": {"documents": len(documents), "cases": len(CITIES), "segments": len(segments),
                   "analysed": n_analysed, "clustered": n_analysed, "assigned": len(assigned),
                   "unassigned": n_analysed - len(assigned), "themes": len(THEMES)},
        "seconds": {"ingest": 1.0, "cluster": 2.5, "total_before_write": 4.0},
        "themes_model": {"n_themes": 4},
    }
    tables = RunTables(documents=documents, segments=segments, themes=themes, matrix=matrix, info=info,
                       texts={d: "" for d in documents["doc_id"]})
    if mechanisms:
        t01 = segments[segments["theme_id"] == "T01"]
        tables = replace(tables, mechanisms=pd.DataFrame({
            "mechanism_id": ["M01", "M02"],
            "label": ["Signalen raken niet tot bij het beleid", "Projecten stoppen met de subsidie"],
            "n_cases": [5, 2], "cases": ["Aalst; Antwerpen; Brugge; Genk; Gent", "Genk; Gent"],
            "themes": ["T01; T03", "T03"], "n_segments": [6, 2],
            "example_segment_ids": [";".join(t01["segment_id"].head(2)), ""],
        }), mechanism_evidence=pd.DataFrame({
            "mechanism_id": ["M01", "M01"],
            "segment_id": list(t01["segment_id"].head(2)),
            "case": list(t01["case"].head(2)),
            "text": list(t01["text"].head(2)),
            "function": ["oorzaak", "gevolg"],
        }))
    if practices:
        seg = segments[(segments["theme_id"] == "T01") & (segments["case"] == "Gent")].iloc[0]  # Gent's own
        tables = replace(tables, practices=pd.DataFrame({
            "practice": ["Taalmaatjes"], "case": ["Gent"], "theme_id": ["T01"],
            "source_file": ["gent/gent_notities.docx"], "segment_id": [seg["segment_id"]],
            "text": ["Vrijwilligers oefenen Nederlands met nieuwkomers in de bib."],
        }))
    return tables
