"""Readers, one per format: a file's bytes -> its text (and page starts for PDF).

Well-kept libraries do the reading: python-docx (at the XML level), pypdfium2, odfpy, and
charset-normalizer for text files of unknown encoding. A file that cannot be read raises
`InputError` naming the problem and the fix; nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ._normalise import normalise_text, repair_hyphenation

__all__ = ["Raw", "read_raw", "decode_text", "read_file_text"]


@dataclass
class Raw:
    """A file's text as read; `warnings` name partial losses the analyst must hear about."""

    text: str
    page_starts: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # partial losses the analyst must hear about


def _read_docx(path: Path) -> Raw:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(path, "geen leesbaar Word-bestand (.docx); het is misschien beschadigd of afgebroken",
                         "open het in Word of LibreOffice en sla het opnieuw op als .docx") from exc
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: all mean a damaged file
        raise InputError(path, f"beschadigd Word-bestand ({type(exc).__name__})",
                         "open het in Word of LibreOffice en sla het opnieuw op als .docx") from exc
    # Word paragraphs are paragraphs: separate them by blank lines; empty ones vanish later.
    return Raw("\n\n".join(_docx_blocks(document.element.body)))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _docx_blocks(container) -> list[str]:
    """The text blocks of a Word body, table cell or text box, in document order.

    Read from the XML rather than python-docx's `paragraph.text`, which drops text inside tracked
    insertions (<w:ins>), content controls (<w:sdt>) and text boxes: notes passed between
    colleagues have all three. Deleted text (<w:delText>) is left out, as Word shows it.
    """
    blocks: list[str] = []
    for child in container:
        if child.tag == f"{_W}p":
            text, boxes = _docx_paragraph(child)
            blocks.append(text)
            blocks.extend(boxes)
        elif child.tag == f"{_W}tbl":  # one block per non-empty cell, row by row; merged cells once
            for row in _docx_children(child, "tr"):
                for cell in _docx_children(row, "tc"):
                    text = "\n".join(_docx_blocks(cell))  # a nested table reads as part of its cell
                    if text.strip():
                        blocks.append(text)
        elif child.tag in _WRAPPERS:
            blocks.extend(_docx_blocks(child))
    return blocks


_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"}
_DOCX_SKIP = {f"{_W}{name}" for name in ("del", "delText", "moveFrom", "instrText", "pPr", "rPr")} | {_MC_FALLBACK}


def _docx_children(node, name: str):
    """Direct children <w:name> of node, also when wrapped in a content control or custom XML."""
    for child in node:
        if child.tag == f"{_W}{name}":
            yield child
        elif child.tag in _WRAPPERS:
            yield from _docx_children(child, name)


def _docx_paragraph(paragraph) -> tuple[str, list[str]]:
    """(text of one <w:p>, blocks of the text boxes anchored in it)."""
    parts: list[str] = []
    boxes: list[str] = []

    def walk(node):
        for child in node:
            tag = child.tag
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}txbxContent":
                boxes.extend(_docx_blocks(child))
            elif tag in _DOCX_SKIP:
                continue  # deleted or moved-away text, field codes, formatting; Fallback repeats the Choice
            elif isinstance(tag, str):
                walk(child)

    walk(paragraph)
    return "".join(parts), boxes


def _read_pdf(path: Path) -> Raw:
    import pypdfium2 as pdfium  # PDFium, Chrome's PDF engine: ~50x faster than pdfminer on our notes

    fix_pw = "verwijder het wachtwoord (open het en sla een onbeveiligde kopie op) en start opnieuw"
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(path, "de pdf is beveiligd met een wachtwoord", fix_pw) from exc
        raise InputError(path, f"geen leesbare pdf ({exc})",
                         "kijk of het bestand opent in een pdf-lezer; exporteer het opnieuw") from exc
    pages: list[str] = []
    image_only: list[int] = []  # 1-based numbers of pages with pictures but no text: scanned
    try:
        for number, page in enumerate(pdf, start=1):
            pages.append(_pdf_page_text(page))
            if not pages[-1].strip() and _has_images(page):
                image_only.append(number)
    except pdfium.PdfiumError as exc:
        raise InputError(path, f"de pdf kon niet gelezen worden ({exc})",
                         "exporteer de pdf opnieuw, of sla de notities op als .docx") from exc
    finally:
        pdf.close()
    ocr = "laat er eerst OCR op lopen (bv. `ocrmypdf -l nld in.pdf uit.pdf`) en gebruik die pdf"
    if not any(p.strip() for p in pages):
        raise InputError(path, f"de pdf heeft geen tekstlaag ({len(pages)} pagina('s), gescande beelden?)", ocr)
    warnings = []
    if image_only:
        listed = ", ".join(map(str, image_only))
        warnings.append(f"pagina('s) {listed} van {len(pages)} hebben geen tekstlaag (gescande beelden?) en zijn "
                        f"niet gelezen; {ocr}")
    # Normalise page by page so page boundaries can be mapped to offsets in the final text.
    text, page_starts = _join_pages([normalise_text(p, unwrap=True) for p in pages])
    return Raw(text, page_starts, warnings)


def _has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())


def _runs_on(before: str, after: str) -> bool:
    """Does a sentence run on over the page break? Yes when the next page starts in lower case (no
    sentence or turn does), or the page ends on a comma or a word broken by a hyphen."""
    tail, head = before.rstrip(), after.lstrip()
    if not tail or not head:
        return False
    return head[0].islower() or tail.endswith(",") or bool(re.search(r"\w-$", tail) and head[0].isalnum())


def _join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """Normalised page texts -> (document text, offset where each page starts).

    A page break is a paragraph break unless the sentence runs on: then the pages are joined as a
    line wrap is (a space, or the hyphenated word repaired), so one sentence stays one segment.
    """
    text, starts = "", []
    for page in pages:
        if text and page and _runs_on(text, page):
            joined = text.rstrip("\n")
            # repair_hyphenation only finds the seam: inside the pages it has already run.
            text = repair_hyphenation(joined + "\n" + page) if joined.endswith("-") else joined + " " + page
        elif text and page:
            text += "\n" + page  # each page ends in a newline: a blank line between them
        else:
            text += page
        starts.append(len(text) - len(page))
    return text, starts


# PDFium ends a line with "\r\n", or with U+FFFE where it ends on a hyphen it reads as a word break.
_PDF_LINE = re.compile(r"([^\r\n\ufffe]*)(\r\n|\ufffe|$)")


def _pdf_page_text(page) -> str:
    """Page text with a blank line where the vertical gap between lines marks a new paragraph."""
    textpage = page.get_textpage()
    lines: list[str] = []
    tops: list[float] = []  # from the page's top down, as read
    for match in _PDF_LINE.finditer(textpage.get_text_range()):
        line = match.group(1) + ("-" if match.group(2) == "\ufffe" else "")
        ink = [match.start() + k for k, ch in enumerate(match.group(1)) if not ch.isspace()][:3]
        if ink:
            # the font box ("loose"), not the glyph's: lines in one font share their height
            tops.append(-max(textpage.get_charbox(i, loose=True)[3] for i in ink))
            lines.append(line)
    if not lines:
        return ""
    gaps = [b - a for a, b in zip(tops, tops[1:]) if b > a]
    pitch = statistics.median(gaps) if gaps else 0
    out = [lines[0]]
    for previous, top, line in zip(tops, tops[1:], lines[1:]):
        out.append(("\n" if pitch and top - previous > 1.45 * pitch else "") + line)
    return "\n".join(out)


def _read_odt(path: Path) -> Raw:
    try:
        from odf import teletype
        from odf.opendocument import load
        from odf.namespaces import TEXTNS

        document = load(str(path))
        # Headings and paragraphs in document order (getElementsByType would group them by type).
        blocks = [teletype.extractText(node) for node in _walk(document.text)
                  if getattr(node, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h"))]
    except Exception as exc:
        raise InputError(path, f"geen leesbaar OpenDocument-tekstbestand ({type(exc).__name__})",
                         "open het in LibreOffice en sla het opnieuw op als .odt of .docx") from exc
    return Raw("\n\n".join(blocks))


def _walk(node) -> Iterable:
    yield node
    for child in node.childNodes:
        yield from _walk(child)


_BINARY_FIX = "controleer het bestand: geef het zijn echte extensie of exporteer de notities als .txt/.docx"
_CONTROL_CHARS = dict.fromkeys(b for b in range(32) if b not in b"\t\n\r\f")  # str.translate: delete
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Bytes of a text file -> (text, encoding). Raises InputError for binary data."""
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if b"\x00" in data:
        # UTF-16 without BOM has a NUL in every other byte of ASCII text.
        even, odd = data[0::2], data[1::2]
        for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros.count(0) > 0.4 * len(zeros):
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    pass
        raise InputError(path, "dit zijn binaire gegevens, geen tekstbestand", _BINARY_FIX)
    # Text in any 8-bit encoding has (next to) no control bytes; binary data has many.
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > max(10, 0.01 * len(data)):
        raise InputError(path, "dit zijn binaire gegevens, geen tekstbestand", _BINARY_FIX)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Dutch notes that are not UTF-8 are nearly always Windows-1252 (Word, Notepad, Excel)
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "de tekstcodering werd niet herkend",
                         "sla het bestand op als UTF-8-tekst")
    encoding = best.encoding
    if encoding in ("ascii", "latin_1", "iso8859_1"):
        encoding = "cp1252"  # Windows notes: cp1252 is a superset that also has ‘’ “” € –
    return data.decode(encoding, errors="replace"), encoding


def _read_text(path: Path, data: bytes) -> tuple[Raw, str]:
    text, encoding = decode_text(data, path)
    control = len(text) - len(text.translate(_CONTROL_CHARS))
    if control > max(10, 0.01 * len(text)):
        raise InputError(path, "dit lijken binaire gegevens, geen tekstbestand", _BINARY_FIX)
    return Raw(text), encoding


def read_file_text(path: str | Path) -> str:
    """The normalised text of one notes file (docx, pdf, odt, txt, md), for notebooks and tests."""
    p = Path(path)
    return normalise_text(read_raw(p, p.read_bytes())[0].text, unwrap=False) if p.suffix.lower() != ".pdf" \
        else _read_pdf(p).text


def read_raw(path: Path, data: bytes) -> tuple[Raw, str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path), ""
    if suffix == ".pdf":
        return _read_pdf(path), ""
    if suffix == ".odt":
        return _read_odt(path), ""
    return _read_text(path, data)

