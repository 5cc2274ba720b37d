"""The bad-input fixture set, generated at test time (nothing binary is committed).

Every case of the issue's list "Bad input" is one `BadCase`: a function that writes the file(s)
into a corpus folder and returns the manifest rows they need, plus what the pipeline must do
with it (skip with a reason and a fix, or accept and read it correctly). `build_corpus` writes
all cases at once next to a few good files, as an analyst's folder would hold them.

Real formats are made with the real libraries: python-docx, fpdf2 (+ pypdf to encrypt,
+ Pillow for the scanned page), openpyxl.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .makers import NOTES_ANTWERPEN, NOTES_GENT
from .makers import write_docx, write_manifest, write_pdf

# Realistic Dutch note text (fictitious), used for the good files, the re-encoded text files
# and the 10 MB document.
SPEAKERS = [
    "Frontlijnwerker OCMW", "Brugfiguur basisschool", "Buurtwerker", "Wijkagent", "Diensthoofd welzijn",
    "Maatschappelijk werker", "Medewerker stadsloket", "Ervaringsdeskundige", "Schooldirecteur",
    "Diversiteitsconsulent", "Straathoekwerker", "NT2-lesgever",
]
SENTENCES = [
    "Mensen lopen verloren in het web van diensten en voorwaarden.",
    "De ouders verstaan de brieven van de school niet, dus taal blijft de grootste drempel.",
    "Wij zien elke week nieuwe gezinnen die de weg naar het Sociaal Huis niet vinden.",
    "Het tolkenbudget is te klein voor de vraag, waardoor we vaak met kinderen als tolk werken.",
    "De wachtlijsten voor sociale huisvesting zijn zo lang dat mensen de moed opgeven.",
    "Een brugfiguur aan de schoolpoort bouwt vertrouwen op dat geen folder kan vervangen.",
    "Onze selectieprocedures zijn streng en kandidaten met een diploma van buiten de EU struikelen over "
    "de eerste test.",
    "In de wijk zien we altijd dezelfde mensen op onze activiteiten; de overtuigden komen wel.",
    "De wijkagent is overladen met administratieve taken en speelt vaak postbode.",
    "Projecten die werken, stoppen zodra de subsidie afloopt, en dan begint alles opnieuw.",
    "Klare taal aan het loket helpt iedereen, niet alleen nieuwkomers.",
    "Ervaringsdeskundigen zien drempels die wij als organisatie niet meer opmerken.",
    "Het digitale loket sluit net de mensen uit die ons het meest nodig hebben.",
    "Schulden stapelen zich op omdat rechten niet automatisch worden toegekend.",
    "Jongeren in kwetsbare wijken haken af op school nog voor ze zestien zijn.",
    "De samenwerking tussen CAW, OCMW en VDAB hangt te veel af van goede persoonlijke contacten.",
    "Wie geen Nederlands spreekt, belandt op een wachtlijst voor een cursus van zes maanden.",
    "Het vertrouwen in de politie is laag bij jongeren die vaak gecontroleerd worden.",
    "We willen meer integraal werken, maar de procedures staan dat in de weg.",
    "Gebedshuizen zijn een belangrijke partner om ouders te bereiken die we anders missen.",
]


def notes_text(n_turns: int, seed: int = 1) -> str:
    """`n_turns` speaker turns of 2-5 sentences, separated by blank lines."""
    rng = random.Random(seed)
    turns = []
    for _ in range(n_turns):
        sentences = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5)))
        turns.append(f"{rng.choice(SPEAKERS)}: {sentences}")
    return "\n\n".join(turns) + "\n"


def big_notes_text(target_bytes: int = 10_000_000, seed: int = 7) -> str:
    """About `target_bytes` of UTF-8 notes: a heading, an Aanwezig line, then turns."""
    rng = random.Random(seed)
    parts = ["Gesprekstafel Gent - verslag van een lange reeks gesprekken", "",
             "Aanwezig: frontlijnwerkers, brugfiguren, buurtwerkers en diensthoofden", ""]
    size = sum(len(p) + 1 for p in parts)
    while size < target_bytes:
        turn = f"{rng.choice(SPEAKERS)}: " + " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
        parts.extend([turn, ""])
        size += len(turn.encode("utf-8")) + 2
    return "\n".join(parts)


# Text that needs the non-ASCII characters of each encoding to be read right.
ACCENTED = ("Café-uitbater: De reëel hoge huurprijzen – € 800 per maand – drijven gezinnen naar de rand "
            "van de stad. Eén op de drie gezinnen betaalt te veel.\n\n"
            "Coördinator ‘Wonen’: Naïeve verwachtingen over sociale huisvesting zijn er niet; men kent de "
            "wachtlijsten maar al te goed.\n")


# --------------------------------------------------------------------------- file makers


def write_docx_truncated(path: Path) -> None:
    write_docx(path, NOTES_GENT.strip().split("\n\n"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a mail attachment cut off half-way


def write_pdf_encrypted(path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    write_pdf(path, ["Metagesprek Kortrijk", "", "Algemeen directeur: Dit verslag is vertrouwelijk."])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(path.read_bytes())))
    writer.encrypt(user_password="geheim", owner_password="nog-geheimer", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)


def write_pdf_scanned(path: Path, pages: int = 2) -> None:
    """An image-only PDF, as a scanner makes it: one picture of a typed page per page."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF()
    for page in range(pages):
        image = Image.new("L", (850, 1100), 255)
        draw = ImageDraw.Draw(image)
        for i, sentence in enumerate(SENTENCES[page * 8:(page + 1) * 8]):
            draw.text((60, 80 + 40 * i), sentence, fill=0)
        png = io.BytesIO()
        image.save(png, format="PNG")
        pdf.add_page()
        pdf.image(png, x=0, y=0, w=210)
    pdf.output(str(path))


def write_pdf_half_scanned(path: Path) -> None:
    """Page 1 has a text layer, page 2 is a scanned image: the image page must not vanish silently."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Buurtwerker: " + " ".join(SENTENCES[:4]))
    image = Image.new("L", (850, 1100), 255)
    ImageDraw.Draw(image).text((60, 80), SENTENCES[5], fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=210)
    pdf.output(str(path))


def write_pdf_owner_password(path: Path) -> None:
    """Encrypted with only an owner password (printing/copying restricted): opens without one."""
    from pypdf import PdfReader, PdfWriter

    write_pdf(path, ["Gesprekstafel Kortrijk", "", "Buurtwerker: " + SENTENCES[7], "",
                     "Wijkagent: " + SENTENCES[8]])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(path.read_bytes())))
    writer.encrypt(user_password="", owner_password="alleen-eigenaar", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)


TRACKED_INSERTED = "die we vorige week bespraken"
TRACKED_DELETED = "dit is geschrapt en hoort er niet bij"
CONTENT_CONTROL = "Buurtwerker: In het formulierveld staat dat de buurtwerking drie avonden open is."
TEXT_BOX = "Kader: De wachtlijst voor sociale huisvesting telt elfduizend gezinnen."


# What a reader of write_docx_tracked's file sees in Word (python-docx cannot show it: see below).
TRACKED_PARAGRAPHS = [
    "Gesprekstafel Oostende",
    "Maatschappelijk werker: " + SENTENCES[0],
    f"Wijkagent: De afspraken {TRACKED_INSERTED} worden niet nageleefd, niet altijd.",
    CONTENT_CONTROL,
    "Ervaringsdeskundige: " + SENTENCES[11],
    TEXT_BOX,
]


def write_docx_tracked(path: Path) -> None:
    """Word notes after a colleague's review: a tracked insertion, deletion and move, a content
    control (form field) and a text box; python-docx's paragraph.text shows none of the additions."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("Gesprekstafel Oostende")
    document.add_paragraph("Maatschappelijk werker: " + SENTENCES[0])
    body = document.element.body
    change = 'w:author="Collega" w:date="2019-10-02T10:00:00Z"'
    blocks = [
        f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">Wijkagent: De afspraken </w:t></w:r>'
        f'<w:ins w:id="1" {change}><w:r><w:t>{TRACKED_INSERTED}</w:t></w:r></w:ins>'
        f'<w:del w:id="2" {change}><w:r><w:delText xml:space="preserve"> {TRACKED_DELETED}</w:delText></w:r></w:del>'
        f'<w:r><w:t xml:space="preserve"> worden niet </w:t></w:r>'
        f'<w:moveFrom w:id="3" {change}><w:r><w:t xml:space="preserve">altijd </w:t></w:r></w:moveFrom>'
        f'<w:r><w:t xml:space="preserve">nageleefd</w:t></w:r>'
        f'<w:moveTo w:id="4" {change}><w:r><w:t xml:space="preserve">, niet altijd</w:t></w:r></w:moveTo>'
        f'<w:r><w:t>.</w:t></w:r></w:p>',
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>{CONTENT_CONTROL}</w:t></w:r></w:p>'
        f'</w:sdtContent></w:sdt>',
        f'<w:p {nsdecls("w")} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<w:r><w:t>Ervaringsdeskundige: {SENTENCES[11]}</w:t></w:r><w:r><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>{TEXT_BOX}</w:t></w:r></w:p>'
        f'</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
        f'<w:t>{TEXT_BOX}</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    ]
    for xml in blocks:
        body.insert(len(body) - 1, parse_xml(xml))  # before the final section properties
    document.save(str(path))


def write_xlsx_merged(path: Path) -> None:
    """A spreadsheet as people make them: a merged title row above the header, city and question
    cells merged over several rows, empty rows between blocks, an empty answer."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Antwoorden"
    ws.append(["Schriftelijke bevraging centrumsteden 2019", None, None])
    ws.merge_cells("A1:C1")
    ws.append([None, None, None])
    ws.append(["Stad", "Vraag", "Antwoord"])  # header on row 3
    ws.append(["Stad Genk", "Welke drempels ervaren burgers aan het loket?",
               "Het digitale loket sluit net de mensen uit die ons het meest nodig hebben."])
    ws.append([None, None, "We zetten in op klare taal in alle brieven.\n\nDaarnaast komt er een onthaalbalie "
                           "waar mensen zonder afspraak terechtkunnen."])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.append([None, None, None])  # empty row
    ws.append([None, None, None])
    ws.append(["Roeselare", "Hoe bereikt u ouders die geen Nederlands spreken?",
               "Brugfiguren aan de schoolpoort bouwen vertrouwen op dat geen folder kan vervangen."])
    ws.append([None, "Welke drempels ervaren burgers aan het loket?", ""])  # an empty answer
    ws.append([None, None, "Het tolkenbudget is te klein voor de vraag, dus kinderen tolken vaak voor hun ouders."])
    ws.merge_cells("A8:A10")
    ws.merge_cells("B9:B10")
    wb.save(str(path))


# --------------------------------------------------------------------------- the cases


@dataclass
class BadCase:
    """One fixture: `make(folder)` writes it and returns its manifest rows."""

    name: str
    file: str  # the file the message must name (relative to the corpus folder)
    make: Callable[[Path], list[tuple]]
    skipped: bool  # True: skipped with a reason and a fix; False: accepted
    reason: str = ""  # a word the reason must hold (case-insensitive)
    fix: str = ""  # a word the fix must hold
    warning: str = ""  # accepted files: a word a warning about the file must hold
    must_contain: tuple[str, ...] = ()  # accepted files: text that must be in the document(s)
    must_not_contain: tuple[str, ...] = ()


def _row(file, city, session="gesprekstafel 1", role="frontlijnwerkers", date="2019-10-01"):
    return (file, city, session, role, date)


def _corrupt_docx(folder: Path):
    write_docx_truncated(folder / "kortrijk_tafel1.docx")
    return [_row("kortrijk_tafel1.docx", "Kortrijk")]


def _protected_pdf(folder: Path):
    write_pdf_encrypted(folder / "kortrijk_meta.pdf")
    return [_row("kortrijk_meta.pdf", "Kortrijk", "metagesprek", "management")]


def _scanned_pdf(folder: Path):
    write_pdf_scanned(folder / "turnhout_scan.pdf")
    return [_row("turnhout_scan.pdf", "Turnhout")]


def _half_scanned_pdf(folder: Path):
    write_pdf_half_scanned(folder / "turnhout_deels_gescand.pdf")
    return [_row("turnhout_deels_gescand.pdf", "Turnhout", "gesprekstafel 2")]


def _cp1252(folder: Path):
    (folder / "mechelen_cp1252.txt").write_bytes(ACCENTED.replace("\n", "\r\n").encode("cp1252"))
    return [_row("mechelen_cp1252.txt", "Mechelen")]


def _utf16(folder: Path):
    (folder / "hasselt_utf16.txt").write_bytes(ACCENTED.replace("Café", "Caféhouder").encode("utf-16"))
    return [_row("hasselt_utf16.txt", "Hasselt")]


def _utf16_no_bom(folder: Path):
    (folder / "hasselt_utf16le.txt").write_bytes(ACCENTED.replace("Café", "Cafébaas").encode("utf-16-le"))
    return [_row("hasselt_utf16le.txt", "Hasselt", "gesprekstafel 2")]


def _utf32(folder: Path):
    (folder / "genk_utf32.txt").write_bytes(ACCENTED.replace("Café", "Cafébazin").encode("utf-32"))
    return [_row("genk_utf32.txt", "Genk")]


def _bom_crlf(folder: Path):
    text = notes_text(6, seed=3).replace("\n", "\r\n")
    data = b"\xef\xbb\xbf" + ("Gesprekstafel Aalst\r\n\r\n" + text).encode("utf-8")
    (folder / "aalst_bom_crlf.txt").write_bytes(data)
    return [_row("aalst_bom_crlf.txt", "Aalst")]


def _empty(folder: Path):
    (folder / "leeg.txt").write_bytes(b"")
    return [_row("leeg.txt", "Gent", "gesprekstafel 2")]


def _blank(folder: Path):
    (folder / "alleen_witruimte.txt").write_bytes(b" \r\n\r\n\t \r\n")
    return [_row("alleen_witruimte.txt", "Gent", "gesprekstafel 2")]


def _empty_docx(folder: Path):
    write_docx(folder / "leeg_verslag.docx", ["", "   ", ""])
    return [_row("leeg_verslag.docx", "Leuven")]


def _binary_txt(folder: Path):
    rng = random.Random(5)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000))  # a picture, renamed
    (folder / "foto_van_flipover.txt").write_bytes(data)
    return [_row("foto_van_flipover.txt", "Leuven")]


def _binary_txt_no_nul(folder: Path):
    rng = random.Random(6)
    data = bytes(rng.choice([b for b in range(1, 256) if b not in (0x0A, 0x0D)]) for _ in range(4000))
    (folder / "export_zonder_nul.txt").write_bytes(data)
    return [_row("export_zonder_nul.txt", "Leuven", "gesprekstafel 2")]


def _duplicate(folder: Path):
    (folder / "gent_tafel1_kopie.txt").write_bytes((folder / "gent_tafel1.txt").read_bytes())  # a good file
    return [_row("gent_tafel1_kopie.txt", "Gent")]


def _row_without_file(folder: Path):
    return [_row("verdwenen_verslag.docx", "Oostende")]


def _file_without_row(folder: Path):
    (folder / "niet_in_manifest.txt").write_text(notes_text(3, seed=11), encoding="utf-8")
    return []


def _unknown_city(folder: Path):
    (folder / "brugge_tafel2.txt").write_text(notes_text(3, seed=12), encoding="utf-8")
    return [_row("brugge_tafel2.txt", "Brugee", "gesprekstafel 2")]


def _unsupported(folder: Path):
    (folder / "oud_verslag.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return [_row("oud_verslag.doc", "Genk")]


def _owner_password_pdf(folder: Path):
    write_pdf_owner_password(folder / "kortrijk_tafel2.pdf")
    return [_row("kortrijk_tafel2.pdf", "Kortrijk", "gesprekstafel 2")]


def _tracked_docx(folder: Path):
    write_docx_tracked(folder / "oostende_nagelezen.docx")
    return [_row("oostende_nagelezen.docx", "Oostende")]


def _merged_xlsx(folder: Path):
    write_xlsx_merged(folder / "antwoorden_samengevoegd.xlsx")
    return [_row("antwoorden_samengevoegd.xlsx", "", "schriftelijke antwoorden", "stadsadministratie")]


BAD_CASES: list[BadCase] = [
    BadCase("corrupt_docx", "kortrijk_tafel1.docx", _corrupt_docx, True, "beschadigd", "sla het opnieuw op als .docx"),
    BadCase("protected_pdf", "kortrijk_meta.pdf", _protected_pdf, True, "wachtwoord", "verwijder het wachtwoord"),
    BadCase("scanned_pdf", "turnhout_scan.pdf", _scanned_pdf, True, "geen tekstlaag", "OCR"),
    BadCase("half_scanned_pdf", "turnhout_deels_gescand.pdf", _half_scanned_pdf, False, warning="OCR",
            must_contain=("Mensen lopen verloren",)),
    BadCase("cp1252_txt", "mechelen_cp1252.txt", _cp1252, False, warning="cp1252",
            must_contain=("Café-uitbater", "reëel", "€ 800", "Coördinator ‘Wonen’", "Naïeve")),
    BadCase("utf16_txt", "hasselt_utf16.txt", _utf16, False,
            must_contain=("Caféhouder-uitbater", "€ 800", "‘Wonen’")),
    BadCase("utf16_no_bom_txt", "hasselt_utf16le.txt", _utf16_no_bom, False, warning="utf-16",
            must_contain=("Cafébaas-uitbater", "Eén op de drie")),
    BadCase("utf32_txt", "genk_utf32.txt", _utf32, False, must_contain=("Cafébazin-uitbater", "€ 800")),
    BadCase("utf8_bom_crlf_txt", "aalst_bom_crlf.txt", _bom_crlf, False, must_contain=("Gesprekstafel Aalst\n\n",)),
    BadCase("empty_file", "leeg.txt", _empty, True, "leeg", "zet de notities erin"),
    BadCase("whitespace_file", "alleen_witruimte.txt", _blank, True, "leeg", "zet de notities erin"),
    BadCase("empty_docx", "leeg_verslag.docx", _empty_docx, True, "geen tekst", "zet de notities erin"),
    BadCase("binary_txt", "foto_van_flipover.txt", _binary_txt, True, "binaire gegevens", "echte extensie"),
    BadCase("binary_txt_no_nul", "export_zonder_nul.txt", _binary_txt_no_nul, True, "binaire gegevens", "echte extensie"),
    BadCase("duplicate", "gent_tafel1_kopie.txt", _duplicate, True, "dubbel bestand", "verwijder een van de twee kopieën"),
    BadCase("manifest_row_without_file", "verdwenen_verslag.docx", _row_without_file, True, "ontbreekt in de corpusmap",
            "verbeter de bestandsnaam in het manifest"),
    BadCase("file_without_manifest_row", "niet_in_manifest.txt", _file_without_row, True, "staat niet in",
            "voeg een rij toe voor 'niet_in_manifest.txt'"),
    BadCase("unknown_city", "brugge_tafel2.txt", _unknown_city, True, "Bedoel je 'Brugge'", "case_aliases"),
    BadCase("unsupported_doc", "oud_verslag.doc", _unsupported, True, "niet ondersteund", "sla het op als .docx"),
    BadCase("pdf_owner_password_only", "kortrijk_tafel2.pdf", _owner_password_pdf, False,
            must_contain=("de overtuigden komen wel", "speelt vaak postbode")),
    BadCase("docx_tracked_changes", "oostende_nagelezen.docx", _tracked_docx, False,
            must_contain=(f"De afspraken {TRACKED_INSERTED} worden niet nageleefd, niet altijd.",
                          CONTENT_CONTROL, TEXT_BOX, SENTENCES[11]),
            must_not_contain=(TRACKED_DELETED, "niet altijd nageleefd")),
    BadCase("merged_xlsx", "antwoorden_samengevoegd.xlsx", _merged_xlsx, False,
            must_contain=("Het digitale loket sluit", "Daarnaast komt er een onthaalbalie",
                          "kinderen tolken vaak voor hun ouders")),
]
CASES = {c.name: c for c in BAD_CASES}


def write_good_files(folder: Path) -> list[tuple]:
    """Three ordinary notes files in three formats."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gent_tafel1.txt").write_text(NOTES_GENT + "\n" + notes_text(8, seed=21), encoding="utf-8")
    write_docx(folder / "antwerpen_tafel1.docx",
               NOTES_ANTWERPEN.strip().split("\n") + notes_text(8, seed=22).strip().split("\n\n"))
    write_pdf(folder / "brugge_meta.pdf", [
        "Metagesprek Brugge",
        "",
        "Algemeen directeur: De signalen van de werkvloer raken niet altijd tot bij het beleid. Onderweg",
        "gaat er veel verloren, en de urgentie verdwijnt. Dat is een probleem voor de veranke-",
        "ring van goede projecten in de structurele werking van de stad.",
        "",
        "Diensthoofd welzijn: We willen meer integraal werken, maar de procedures staan dat in de weg.",
    ])
    return [
        _row("gent_tafel1.txt", "Stad Gent", "gesprekstafel 1"),
        _row("antwerpen_tafel1.docx", "Antwerpen", "gesprekstafel 1", "personeelsdienst"),
        _row("brugge_meta.pdf", "Brugge", "metagesprek", "management"),
    ]


def build_corpus(folder: Path, cases: list[BadCase] | None = None) -> Path:
    """A corpus folder: the good files plus the given cases (default: all) and one manifest."""
    cases = BAD_CASES if cases is None else cases
    rows = write_good_files(folder)
    for case in cases:
        rows.extend(case.make(folder))
    write_manifest(folder, rows)
    return folder


def write_big_document(folder: Path, target_bytes: int = 10_000_000) -> Path:
    """A 10 MB .txt of realistic notes, listed in the manifest (city Gent)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "gent_jaarverslag_groot.txt"
    path.write_text(big_notes_text(target_bytes), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- one shared run

# Settings that keep test runs quick without skipping a stage: lexical themes only, fixed k.
FAST = {"embed.backend": "none", "themes.n_themes": 3}
FAST_CLI = ["--embeddings", "none", "--n-themes", "3"]
# Checks of what was read compare texts: names must not be pseudonymised there ("Kader:" is a name).
PLAIN = {**FAST, "privacy.pseudonymise": False}


@dataclass
class CorpusRun:
    root: Path  # the corpus folder
    result: object  # pipeline.RunResult
    info: dict  # run.json as written to disk
    run_dir: Path


_RUNS: dict[str, CorpusRun] = {}


def run_fixture_corpus(tmp_path_factory, settings: dict | None = None) -> CorpusRun:
    """`pipeline.run` over the folder with every fixture and the good files, once per session and
    settings (a session fixture imported into two modules would run twice; this memo runs it once)."""
    import json

    from pipeline import load_config

    from pipeline import run

    settings = PLAIN if settings is None else settings
    key = f"{tmp_path_factory.getbasetemp()} {sorted(settings.items())}"
    if key not in _RUNS:
        base = tmp_path_factory.mktemp("fixture-run")
        root = build_corpus(base / "corpus")
        result = run(load_config(**{"corpus.path": str(root), "output.out_dir": str(base / "out"), **settings}))
        info = json.loads((result.run_dir / "run.json").read_text(encoding="utf-8"))
        _RUNS[key] = CorpusRun(root, result, info, result.run_dir)
    return _RUNS[key]
