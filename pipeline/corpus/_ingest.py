"""Stage `ingest`: a corpus folder (files + manifest.csv) or one spreadsheet -> documents table.

Needs: CorpusConfig (and optionally the run's Cache). Adds: the `documents` table (see schema.py)
and an account of every input file (read, skipped and why), so nothing is dropped silently. The
raw corpus is only read. What the slow readers (.docx, .pdf, .odt) return is cached by the file's
sha256, so a rerun does not parse unchanged files again.

Readers are well-kept libraries: python-docx, pdfplumber, odfpy, openpyxl (through pandas),
charset-normalizer for text files of unknown encoding.
"""

from __future__ import annotations

import codecs
import hashlib
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from ..cache import Cache
from ._cases import CaseNormaliser, UnknownCase
from ..config import CorpusConfig
from ..errors import InputError
from . import _normalise
from ._normalise import normalise_text
from ..schema import check, empty

__all__ = ["ingest", "IngestResult", "FileRecord", "read_file_text", "count_paragraphs", "SUPPORTED"]

SUPPORTED = {".docx", ".pdf", ".odt", ".txt", ".md", ".xlsx", ".csv"}
CACHED = {".docx", ".pdf", ".odt"}  # slow readers; text files decode faster than a cache lookup
SPREADSHEETS = {".xlsx", ".csv"}
MANIFEST_COLUMNS = ("file", "city", "session", "role", "date")
# Files a corpus folder may hold that are not notes.
_IGNORED_NAMES = {"manifest.csv", "readme.md", "readme.txt", "readme", ".ds_store", "thumbs.db", "desktop.ini"}
_CONVERT_HINTS = {
    ".doc": "save it as .docx in Word or LibreOffice",
    ".rtf": "save it as .docx or .txt",
    ".pages": "export it as .docx",
    ".xls": "save it as .xlsx",
    ".ods": "save it as .xlsx",
    ".jpg": "run OCR and save the text as .txt or a searchable .pdf",
    ".jpeg": "run OCR and save the text as .txt or a searchable .pdf",
    ".png": "run OCR and save the text as .txt or a searchable .pdf",
}


@dataclass
class FileRecord:
    """What happened to one input file; listed in run.json."""

    path: str
    sha256: str = ""
    bytes: int = 0
    status: str = "read"  # read | skipped
    n_documents: int = 0
    n_paragraphs: int = 0  # non-empty paragraphs (blank-line blocks) of the text handed to segmentation
    reason: str = ""
    fix: str = ""


@dataclass
class IngestResult:
    documents: pd.DataFrame
    files: list[FileRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == "skipped"]


@dataclass
class _Raw:
    text: str
    page_starts: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # partial losses the analyst must hear about


def count_paragraphs(text: str) -> int:
    """Non-empty paragraphs of a normalised text: the blocks between blank lines."""
    return sum(1 for p in text.split("\n\n") if p.strip())


# --------------------------------------------------------------------------- readers


def _read_docx(path: Path) -> _Raw:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(path, "not a readable Word (.docx) file; it may be damaged or truncated",
                         "open it in Word or LibreOffice and save it again as .docx") from exc
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: all mean a damaged file
        raise InputError(path, f"damaged Word file ({type(exc).__name__})",
                         "open it in Word or LibreOffice and save it again as .docx") from exc
    # Word paragraphs are paragraphs: separate them by blank lines; empty ones vanish later.
    return _Raw("\n\n".join(_docx_blocks(document.element.body)))


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


def _is_password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's errors (PdfminerException(PDFPasswordIncorrect())): look inside."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        if "password" in str(item).lower() or "encrypt" in str(item).lower():
            return True
        todo.extend([item.__cause__, item.__context__, *item.args])
    return False


def _read_pdf(path: Path) -> _Raw:
    import pdfplumber

    fix_pw = "remove the password (open it and save an unprotected copy) and run again"
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        if _is_password_error(exc):
            raise InputError(path, "the PDF is password-protected", fix_pw) from exc
        raise InputError(path, f"not a readable PDF ({type(exc).__name__})",
                         "check that the file opens in a PDF reader; export it again") from exc
    pages: list[str] = []
    image_only: list[int] = []  # 1-based numbers of pages with pictures but no text: scanned
    try:
        with pdf:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(_pdf_page_text(page))
                if not pages[-1].strip() and page.images:
                    image_only.append(number)
    except Exception as exc:
        if _is_password_error(exc):
            raise InputError(path, "the PDF is password-protected", fix_pw) from exc
        raise InputError(path, f"the PDF could not be read ({type(exc).__name__}: {exc})",
                         "export the PDF again, or save the notes as .docx") from exc
    ocr = "run OCR first (for example `ocrmypdf -l nld in.pdf out.pdf`) and use the OCR'd PDF"
    if not any(p.strip() for p in pages):
        raise InputError(path, f"the PDF has no text layer ({len(pages)} page(s), scanned images?)", ocr)
    warnings = []
    if image_only:
        listed = ", ".join(map(str, image_only))
        warnings.append(f"page(s) {listed} of {len(pages)} have no text layer (scanned images?) and were "
                        f"not read; {ocr}")
    # Normalise page by page so page boundaries can be mapped to offsets in the final text.
    texts = [normalise_text(p, unwrap=True) for p in pages]
    page_starts, offset = [], 0
    for t in texts:
        page_starts.append(offset)
        offset += len(t) + (1 if t else 0)
    return _Raw("\n".join(texts), page_starts, warnings)


def _pdf_page_text(page) -> str:
    """Page text with a blank line where the vertical gap between lines marks a new paragraph."""
    lines = page.extract_text_lines(return_chars=False)
    if not lines:
        return ""
    gaps = [b["top"] - a["top"] for a, b in zip(lines, lines[1:]) if b["top"] > a["top"]]
    pitch = statistics.median(gaps) if gaps else 0
    out = [lines[0]["text"]]
    for previous, line in zip(lines, lines[1:]):
        gap = line["top"] - previous["top"]
        out.append(("\n" if pitch and gap > 1.45 * pitch else "") + line["text"])
    return "\n".join(out)


def _read_odt(path: Path) -> _Raw:
    try:
        from odf import teletype
        from odf.opendocument import load
        from odf.namespaces import TEXTNS

        document = load(str(path))
        # Headings and paragraphs in document order (getElementsByType would group them by type).
        blocks = [teletype.extractText(node) for node in _walk(document.text)
                  if getattr(node, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h"))]
    except Exception as exc:
        raise InputError(path, f"not a readable OpenDocument text file ({type(exc).__name__})",
                         "open it in LibreOffice and save it again as .odt or .docx") from exc
    return _Raw("\n\n".join(blocks))


def _walk(node) -> Iterable:
    yield node
    for child in node.childNodes:
        yield from _walk(child)


_BINARY_FIX = "check the file: rename it to its real extension or export the notes as .txt/.docx"
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
        raise InputError(path, "this is binary data, not a text file", _BINARY_FIX)
    # Text in any 8-bit encoding has (next to) no control bytes; binary data has many.
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > max(10, 0.01 * len(data)):
        raise InputError(path, "this is binary data, not a text file", _BINARY_FIX)
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
        raise InputError(path, "the text encoding could not be recognised",
                         "save the file as UTF-8 text")
    encoding = best.encoding
    if encoding in ("ascii", "latin_1", "iso8859_1"):
        encoding = "cp1252"  # Windows notes: cp1252 is a superset that also has ‘’ “” € –
    return data.decode(encoding, errors="replace"), encoding


def _read_text(path: Path, data: bytes) -> tuple[_Raw, str]:
    text, encoding = decode_text(data, path)
    control = len(text) - len(text.translate(_CONTROL_CHARS))
    if control > max(10, 0.01 * len(text)):
        raise InputError(path, "this looks like binary data, not a text file", _BINARY_FIX)
    return _Raw(text), encoding


def read_file_text(path: str | Path) -> str:
    """The normalised text of one notes file (docx, pdf, odt, txt, md), for notebooks and tests."""
    p = Path(path)
    return normalise_text(_read_raw(p, p.read_bytes())[0].text, unwrap=False) if p.suffix.lower() != ".pdf" \
        else _read_pdf(p).text


def _read_raw(path: Path, data: bytes) -> tuple[_Raw, str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path), ""
    if suffix == ".pdf":
        return _read_pdf(path), ""
    if suffix == ".odt":
        return _read_odt(path), ""
    return _read_text(path, data)


# --------------------------------------------------------------------------- spreadsheets


def _find_column(columns: Iterable[str], wanted: str) -> str | None:
    folded = {str(c).strip().lower(): c for c in columns}
    return folded.get(wanted.strip().lower())


def _find_header(frame: pd.DataFrame, text_column: str, look: int = 10) -> pd.DataFrame:
    """The frame below its real header row: sheets often have a (merged) title row or a blank
    row above the column names. The index keeps pointing at spreadsheet rows (index + 2)."""
    if _find_column(frame.columns, text_column) is not None:
        return frame
    for index in frame.index[:look]:
        values = ["" if pd.isna(v) else str(v) for v in frame.loc[index]]
        if _find_column(values, text_column) is not None:
            names, seen = [], set()
            for i, v in enumerate(values):
                v = v.strip() or f"Unnamed: {i}"
                while v in seen:  # a repeated or blank header must not merge two columns
                    v += "_"
                seen.add(v)
                names.append(v)
            return frame.loc[index + 1:].set_axis(names, axis=1)
    return frame


def _sniff_separator(text: str) -> str:
    """The field separator of a CSV text: ',' or what Excel in a Dutch locale writes (';'), or tab."""
    import csv

    # Like pandas' sep=None, sniff one line: the first that has a separator (a title row may not).
    for line in text.splitlines()[:10]:
        if any(sep in line for sep in ",;\t|"):
            try:
                return csv.Sniffer().sniff(line, delimiters=",;\t|").delimiter
            except csv.Error:
                break
    return ","


def _read_sheet(path: Path, cfg: CorpusConfig, fixed_case: str = "") -> tuple[pd.DataFrame, str]:
    """The first sheet that has the text column, with merged/blank case cells filled down."""
    try:
        if path.suffix.lower() == ".csv":
            data = path.read_bytes()
            text, _ = decode_text(data, path)
            import io

            # Blank lines are kept so that row numbers stay the spreadsheet's (the python engine
            # drops a blank line after the header even then: sniff the separator, use the C engine).
            sheets = {"csv": pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                         sep=_sniff_separator(text), skip_blank_lines=False)}
        else:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"the spreadsheet could not be read ({type(exc).__name__}: {exc})",
                         "open it in Excel or LibreOffice and save it again as .xlsx") from exc
    for name, frame in sheets.items():
        frame = _find_header(frame, cfg.text_column)
        text_col = _find_column(frame.columns, cfg.text_column)
        if text_col is None:
            continue
        case_col = _find_column(frame.columns, cfg.case_column)
        if case_col is None and fixed_case:  # the manifest names the case of the whole sheet
            frame = frame.assign(**{"__case": fixed_case})
            case_col = "__case"
        if case_col is None:
            raise InputError(path, f"sheet '{name}' has no case column '{cfg.case_column}' "
                             f"(columns: {', '.join(map(str, frame.columns))})",
                             "pass --case-column with the column that names the city")
        q_col = _find_column(frame.columns, cfg.question_column) if cfg.question_column else None
        out = pd.DataFrame({
            "row": frame.index + 2,  # spreadsheet row number (header is row 1)
            "case_raw": frame[case_col],
            "question": frame[q_col] if q_col is not None else "",
            "text": frame[text_col],
        })
        out = out.fillna("").astype({"case_raw": str, "question": str, "text": str})
        # Merged cells arrive as one value and blanks below it: fill the case down.
        out["case_raw"] = out["case_raw"].str.strip().replace("", pd.NA).ffill().fillna("")
        out["question"] = out["question"].str.strip().replace("", pd.NA)
        if q_col is not None:
            out["question"] = out["question"].ffill()
        out["question"] = out["question"].fillna("")
        return out, str(name)
    columns = "; ".join(f"{n}: {', '.join(map(str, f.columns))}" for n, f in sheets.items())
    raise InputError(path, f"no sheet has the text column '{cfg.text_column}' ({columns})",
                     "pass --text-column with the column that holds the answers")


def _spreadsheet_documents(path: Path, rel: str, cfg: CorpusConfig, normalise_case, meta: dict,
                           warnings: list[str], fixed_case: str = "") -> tuple[list[dict], int]:
    """One document per case: its question/answer blocks in sheet order."""
    rows, sheet = _read_sheet(path, cfg, fixed_case)
    rows = rows[rows["text"].str.strip() != ""]
    documents: dict[str, dict] = {}
    n_blocks = 0
    for row in rows.itertuples():
        if not row.case_raw:
            raise InputError(path, f"row {row.row} has an answer but no {cfg.case_column}",
                             f"fill in the {cfg.case_column} column in row {row.row}")
        try:
            case = normalise_case(row.case_raw)
        except UnknownCase as exc:
            raise InputError(path, f"row {row.row}: {exc}",
                             "correct the spelling, or add it under corpus.case_aliases in the config") from exc
        doc = documents.setdefault(case, {"case": case, "case_raw": row.case_raw, "parts": [], "blocks": [],
                                          "length": 0})
        offset = doc["length"]  # where the next part starts: parts are joined by blank lines
        if row.question.strip():
            question = normalise_text(row.question).strip()
            doc["blocks"].append({"start": offset, "end": offset + len(question), "kind": "question",
                                  "prompt": "", "location": f"{sheet} rij {row.row}"})
            doc["parts"].append(question)
            offset += len(question) + 2
        answer = normalise_text(row.text).strip()
        doc["blocks"].append({"start": offset, "end": offset + len(answer), "kind": "answer",
                              "prompt": row.question.strip(), "location": f"{sheet} rij {row.row}"})
        doc["parts"].append(answer)
        doc["length"] = offset + len(answer) + 2
        n_blocks += 1
    out = []
    for case in sorted(documents):
        doc = documents[case]
        out.append({
            **meta,
            "doc_id": f"{rel}#{case}",
            "case": case,
            "case_raw": doc["case_raw"],
            "text": "\n\n".join(doc["parts"]) + "\n",
            "page_starts": [],
            "blocks": doc["blocks"],
        })
    return out, n_blocks


# --------------------------------------------------------------------------- manifest


def _read_manifest(path: Path) -> pd.DataFrame:
    try:
        text, _ = decode_text(path.read_bytes(), path)
        import io

        manifest = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"manifest could not be read ({exc})",
                         f"it must be a CSV file with the columns {', '.join(MANIFEST_COLUMNS)}") from exc
    manifest.columns = [str(c).strip().lower() for c in manifest.columns]
    if "case" in manifest.columns and "city" not in manifest.columns:
        manifest = manifest.rename(columns={"case": "city"})
    missing = [c for c in MANIFEST_COLUMNS if c not in manifest.columns]
    if missing:
        raise InputError(path, f"manifest lacks the column(s) {missing}",
                         f"the header must be: {','.join(MANIFEST_COLUMNS)}")
    manifest = manifest.apply(lambda s: s.str.strip())
    manifest = manifest[manifest["file"] != ""]
    manifest["key"] = manifest["file"].str.replace("\\", "/", regex=False).str.lstrip("./")
    return manifest


# --------------------------------------------------------------------------- the stage


def _corpus_files(root: Path) -> list[Path]:
    files = []
    for p in sorted(root.rglob("*")):
        rel_parts = p.relative_to(root).parts
        if any(part.startswith(".") for part in rel_parts) or not p.is_file():
            continue
        if p.name.lower() in _IGNORED_NAMES or p.name.startswith("~$"):
            continue
        files.append(p)
    return files


def ingest(cfg: CorpusConfig, progress: Callable[..., Iterable] | None = None,
           cache: Cache | None = None) -> IngestResult:
    """Read a corpus folder or spreadsheet into the documents table."""
    progress = progress or (lambda it, desc, total=None: it)
    cache = cache or Cache(None)
    root = Path(cfg.path).expanduser()
    if not root.exists():
        raise InputError(root, "corpus not found", "check the --corpus path")
    normalise_case = CaseNormaliser(tuple(cfg.known_cases), tuple(cfg.case_aliases.items()))
    result = IngestResult(documents=empty("documents"))
    records: list[dict] = []

    if root.is_file():
        if root.suffix.lower() not in SPREADSHEETS:
            raise InputError(root, "a single-file corpus must be a spreadsheet (.xlsx or .csv)",
                             "pass a folder with a manifest.csv for notes files")
        manifest = None
        files = [root]
        base = root.parent
    else:
        base = root
        manifest_path = root / cfg.manifest
        manifest = _read_manifest(manifest_path) if manifest_path.is_file() else None
        if manifest is None:
            result.warnings.append(f"{manifest_path}: no manifest; cases are taken from folder or file names")
        files = _corpus_files(root)

    listed = {} if manifest is None else {row["key"]: row for row in manifest.to_dict("records")}
    seen_hashes: dict[str, str] = {}

    for path in progress(files, "inlezen", total=len(files)):
        rel = path.relative_to(base).as_posix()
        data = path.read_bytes()
        record = FileRecord(rel, hashlib.sha256(data).hexdigest(), len(data))
        result.files.append(record)
        try:
            records.extend(_ingest_file(path, rel, data, cfg, manifest, listed, seen_hashes,
                                        normalise_case, record, result.warnings, cache))
        except InputError as exc:
            if cfg.strict or root.is_file():  # a one-file corpus has nothing else to go on
                raise
            record.status, record.reason, record.fix = "skipped", exc.problem, exc.fix

    if manifest is not None:
        present = {r.path for r in result.files}
        for key in sorted(set(listed) - present):
            reason = f"listed in {cfg.manifest} but not found in the corpus folder"
            fix = "fix the file name in the manifest or add the file"
            if cfg.strict:
                raise InputError(key, reason, fix)
            result.files.append(FileRecord(key, status="skipped", reason=reason, fix=fix))

    if not records:
        raise InputError(root, "no readable documents in the corpus",
                         "see the skipped files above; supported formats: " + ", ".join(sorted(SUPPORTED)))
    documents = pd.DataFrame(records)
    documents = documents.sort_values("doc_id", kind="stable").reset_index(drop=True)
    result.documents = check(documents, "documents")
    return result


def _ingest_file(path, rel, data, cfg, manifest, listed, seen_hashes, normalise_case, record, warnings, cache):
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        hint = _CONVERT_HINTS.get(suffix, "convert it to .docx, .pdf, .odt, .txt or .md")
        raise InputError(path, f"unsupported file type '{suffix or path.name}'", hint)
    if not data.strip():
        raise InputError(path, "the file is empty", "remove it or put the notes in it")
    digest = record.sha256
    if digest in seen_hashes:
        raise InputError(path, f"same content as {seen_hashes[digest]} (duplicate file)",
                         "remove one of the two copies")
    seen_hashes[digest] = rel

    row = listed.get(rel) if manifest is not None else None
    if manifest is not None and row is None:
        raise InputError(path, f"not listed in {cfg.manifest}",
                         f"add a row for '{rel}' (columns: {','.join(MANIFEST_COLUMNS)})")
    meta = {
        "session": (row or {}).get("session", "") or (cfg.session if suffix in SPREADSHEETS else ""),
        "role": (row or {}).get("role", ""),
        "date": (row or {}).get("date", ""),
        "persons": (row or {}).get("persons", ""),  # optional manifest column: declared names, ";"-separated
        "source_file": rel,
        "format": suffix.lstrip("."),
        "sha256": digest,
    }
    case_raw = (row or {}).get("city", "")
    if suffix in SPREADSHEETS and not case_raw:
        docs, _ = _spreadsheet_documents(path, rel, cfg, normalise_case, meta, warnings)
        record.n_documents, record.n_paragraphs = len(docs), sum(count_paragraphs(d["text"]) for d in docs)
        return docs

    if not case_raw:
        case_raw = _case_from_path(rel, normalise_case)
        if not case_raw:
            raise InputError(path, "no case (city) for this file",
                             "fill in the city column of the manifest for this file")
    try:
        case = normalise_case(case_raw)
    except UnknownCase as exc:
        raise InputError(path, str(exc),
                         "correct the city in the manifest, or add the spelling under corpus.case_aliases") from exc

    if suffix in SPREADSHEETS:  # a spreadsheet of one case: every row is an answer of that case
        docs, _ = _spreadsheet_documents(path, rel, cfg, lambda _: case, meta, warnings, fixed_case=case_raw)
        record.n_documents, record.n_paragraphs = len(docs), sum(count_paragraphs(d["text"]) for d in docs)
        return docs

    raw, encoding = _read_cached(path, data, digest, cache)
    if encoding not in ("", "utf-8", "utf-8-sig"):
        warnings.append(f"{rel}: read as {encoding} (not UTF-8)")
    text = raw.text if suffix == ".pdf" else normalise_text(raw.text)
    if not text.strip():
        raise InputError(path, "no text found in the file",
                         "remove it or put the notes in it (headers, footers and comments are not read)")
    warnings.extend(f"{rel}: {w}" for w in raw.warnings)
    if len(data) > 5_000_000:
        warnings.append(f"{rel}: large file ({len(data) / 1e6:.1f} MB)")
    record.n_documents = 1
    record.n_paragraphs = count_paragraphs(text)
    return [{**meta, "doc_id": rel, "case": case, "case_raw": case_raw, "text": text,
             "page_starts": raw.page_starts, "blocks": []}]


def _read_cached(path: Path, data: bytes, digest: str, cache: Cache) -> tuple[_Raw, str]:
    """_read_raw, from the cache when this exact file was read before. Errors are not cached."""
    suffix = path.suffix.lower()
    if suffix not in CACHED:
        return _read_raw(path, data)
    key = cache.key("ingest", code=(sys.modules[__name__], _normalise), settings=suffix, inputs=digest)
    return cache.get_or_build(key, lambda: _read_raw(path, data))


def _case_from_path(rel: str, normalise_case) -> str:
    """Without a manifest: the first folder name or file-name part that is a known case."""
    parts = rel.split("/")
    stem = Path(parts[-1]).stem
    candidates = parts[:-1] + [stem] + stem.replace("-", "_").split("_") + stem.split("_")
    for candidate in candidates:
        try:
            return normalise_case(candidate)
        except UnknownCase:
            continue
    return ""
