"""Write small realistic test documents in real file formats."""

from __future__ import annotations

import csv
from pathlib import Path


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with a real text layer; each item is one printed line ("" = paragraph gap)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
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
