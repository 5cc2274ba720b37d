"""Ingest: a corpus folder (files + manifest.csv) or one spreadsheet -> the documents table.

Needs: CorpusConfig (and optionally the run's Cache). Adds: the `documents` table (see schema.py)
and an account of every input file (read, skipped and why), so nothing is dropped silently. The
raw corpus is only read. What the slow readers (.docx, .pdf, .odt) return is cached by the file's
sha256, so a rerun does not parse unchanged files again.

The readers per format are in `_readers`, spreadsheets and the manifest in `_sheets`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from ..cache import Cache
from ..config import CorpusConfig
from ..errors import InputError
from ..schema import check, empty
from . import _normalise, _readers
from ._cases import CaseNormaliser, UnknownCase
from ._normalise import normalise_text
from ._readers import Raw, read_raw
from ._sheets import MANIFEST_COLUMNS, read_manifest, spreadsheet_documents

__all__ = ["ingest", "IngestResult", "FileRecord", "count_paragraphs", "SUPPORTED"]

SUPPORTED = {".docx", ".pdf", ".odt", ".txt", ".md", ".xlsx", ".csv"}
CACHED = {".docx", ".pdf", ".odt"}  # slow readers; text files decode faster than a cache lookup
SPREADSHEETS = {".xlsx", ".csv"}
# Files a corpus folder may hold that are not notes.
_IGNORED_NAMES = {"manifest.csv", "readme.md", "readme.txt", "readme", ".ds_store", "thumbs.db", "desktop.ini"}
_CONVERT_HINTS = {
    ".doc": "sla het op als .docx in Word of LibreOffice",
    ".rtf": "sla het op als .docx of .txt",
    ".pages": "exporteer het als .docx",
    ".xls": "sla het op als .xlsx",
    ".ods": "sla het op als .xlsx",
    ".jpg": "laat er OCR op lopen en sla de tekst op als .txt of als doorzoekbare .pdf",
    ".jpeg": "laat er OCR op lopen en sla de tekst op als .txt of als doorzoekbare .pdf",
    ".png": "laat er OCR op lopen en sla de tekst op als .txt of als doorzoekbare .pdf",
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


def count_paragraphs(text: str) -> int:
    """Non-empty paragraphs of a normalised text: the blocks between blank lines."""
    return sum(1 for p in text.split("\n\n") if p.strip())


@dataclass
class _Corpus:
    """What every file of one corpus is read against."""

    cfg: CorpusConfig
    listed: dict[str, dict] | None  # manifest rows by relative path; None without a manifest
    normalise_case: CaseNormaliser
    cache: Cache
    warnings: list[str]
    seen_hashes: dict[str, str] = field(default_factory=dict)  # sha256 -> first file with that content


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
    root = Path(cfg.path).expanduser()
    if not root.exists():
        raise InputError(root, "corpus niet gevonden", "controleer het pad bij --corpus")
    result = IngestResult(documents=empty("documents"))
    base, files, listed = _layout(root, cfg, result.warnings)
    corpus = _Corpus(cfg, listed, CaseNormaliser(tuple(cfg.known_cases), tuple(cfg.case_aliases.items())),
                     cache or Cache(None), result.warnings)
    records: list[dict] = []
    for path in progress(files, "inlezen", total=len(files)):
        rel = path.relative_to(base).as_posix()
        data = path.read_bytes()
        record = FileRecord(rel, hashlib.sha256(data).hexdigest(), len(data))
        result.files.append(record)
        try:
            records.extend(_ingest_file(corpus, path, rel, data, record))
        except InputError as exc:
            if cfg.strict or root.is_file():  # a one-file corpus has nothing else to go on
                raise
            record.status, record.reason, record.fix = "skipped", exc.problem, exc.fix
    _account_for_missing(corpus, result)
    if not records:
        raise InputError(root, "geen leesbare documenten in het corpus" + _skipped_list(result.skipped),
                         "ondersteunde formaten: " + ", ".join(sorted(SUPPORTED)))
    documents = pd.DataFrame(records)
    documents = documents.sort_values("doc_id", kind="stable").reset_index(drop=True)
    result.documents = check(documents, "documents")
    return result


def _skipped_list(skipped: list[FileRecord]) -> str:
    """The skipped files with reason and fix, one per line: the error itself names them all, so
    nothing depends on a console that showed them earlier."""
    if not skipped:
        return " (de map bevat geen notitiebestanden)"
    lines = [f"  {f.path}: {f.reason}" + (f" — {f.fix}" if f.fix else "") for f in skipped]
    return f"; alle {len(skipped)} bestand(en) zijn overgeslagen:\n" + "\n".join(lines) + "\n"


def _layout(root: Path, cfg: CorpusConfig, warnings: list[str]) -> tuple[Path, list[Path], dict | None]:
    """(base folder, files to read, manifest rows by path or None) of a corpus folder or one sheet."""
    if root.is_file():
        if root.suffix.lower() not in SPREADSHEETS:
            raise InputError(root, "een corpus van één bestand moet een rekenblad zijn (.xlsx of .csv)",
                             "geef voor notitiebestanden een map met een manifest.csv")
        return root.parent, [root], None
    manifest_path = root / cfg.manifest
    if not manifest_path.is_file():
        warnings.append(f"{manifest_path}: geen manifest; de cases komen uit de map- of bestandsnamen")
        return root, _corpus_files(root), None
    manifest = read_manifest(manifest_path)
    return root, _corpus_files(root), {row["key"]: row for row in manifest.to_dict("records")}


def _account_for_missing(corpus: _Corpus, result: IngestResult) -> None:
    """Files the manifest lists but the folder lacks are skipped files too, with the fix."""
    if corpus.listed is None:
        return
    present = {r.path for r in result.files}
    for key in sorted(set(corpus.listed) - present):
        reason = f"staat in {corpus.cfg.manifest} maar ontbreekt in de corpusmap"
        fix = "verbeter de bestandsnaam in het manifest of voeg het bestand toe"
        if corpus.cfg.strict:
            raise InputError(key, reason, fix)
        result.files.append(FileRecord(key, status="skipped", reason=reason, fix=fix))


def _check_file(corpus: _Corpus, path: Path, rel: str, data: bytes, digest: str) -> dict:
    """The manifest row of a file that can be read (or {}); raises InputError with the fix."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        hint = _CONVERT_HINTS.get(suffix, "zet het om naar .docx, .pdf, .odt, .txt of .md")
        raise InputError(path, f"bestandstype '{suffix or path.name}' wordt niet ondersteund", hint)
    if not data.strip():
        raise InputError(path, "het bestand is leeg", "verwijder het of zet de notities erin")
    if digest in corpus.seen_hashes:
        raise InputError(path, f"zelfde inhoud als {corpus.seen_hashes[digest]} (dubbel bestand)",
                         "verwijder een van de twee kopieën")
    corpus.seen_hashes[digest] = rel
    if corpus.listed is None:
        return {}
    if rel not in corpus.listed:
        raise InputError(path, f"staat niet in {corpus.cfg.manifest}",
                         f"voeg een rij toe voor '{rel}' (kolommen: {','.join(MANIFEST_COLUMNS)})")
    return corpus.listed[rel]


def _ingest_file(corpus: _Corpus, path: Path, rel: str, data: bytes, record: FileRecord) -> list[dict]:
    """The documents of one file (a spreadsheet yields one per case)."""
    cfg, suffix = corpus.cfg, path.suffix.lower()
    row = _check_file(corpus, path, rel, data, record.sha256)
    meta = {
        "session": row.get("session", "") or (cfg.session if suffix in SPREADSHEETS else ""),
        "role": row.get("role", ""),
        "date": row.get("date", ""),
        "persons": row.get("persons", ""),  # optional manifest column: declared names, ";"-separated
        "source_file": rel,
        "format": suffix.lstrip("."),
        "sha256": record.sha256,
    }
    case_raw = row.get("city", "")
    if suffix in SPREADSHEETS and not case_raw:
        docs, _ = spreadsheet_documents(path, rel, cfg, corpus.normalise_case, meta, corpus.warnings)
    else:
        case_raw = case_raw or _case_from_path(rel, corpus.normalise_case)
        if not case_raw:
            raise InputError(path, "geen case (stad) voor dit bestand",
                             "vul voor dit bestand de kolom city van het manifest in")
        try:
            case = corpus.normalise_case(case_raw)
        except UnknownCase as exc:
            raise InputError(path, str(exc), "verbeter de case (kolom city) in het manifest, of zet de spelling onder "
                                             "corpus.case_aliases (twee verschillende cases: zet beide onder "
                                             "corpus.known_cases)") from exc
        if suffix in SPREADSHEETS:  # a spreadsheet of one case: every row is an answer of that case
            docs, _ = spreadsheet_documents(path, rel, cfg, lambda _: case, meta, corpus.warnings,
                                            fixed_case=case_raw)
        else:
            docs = [_notes_document(corpus, path, rel, data, meta, case, case_raw)]
    record.n_documents, record.n_paragraphs = len(docs), sum(count_paragraphs(d["text"]) for d in docs)
    return docs


def _notes_document(corpus: _Corpus, path: Path, rel: str, data: bytes, meta: dict, case: str,
                    case_raw: str) -> dict:
    """One notes file (docx, pdf, odt, txt, md) as one document."""
    suffix = path.suffix.lower()
    raw, encoding = _read_cached(path, data, meta["sha256"], corpus.cache)
    if encoding not in ("", "utf-8", "utf-8-sig"):
        corpus.warnings.append(f"{rel}: gelezen als {encoding} (geen UTF-8)")
    text = raw.text if suffix == ".pdf" else normalise_text(raw.text)
    if not text.strip():
        raise InputError(path, "geen tekst gevonden in het bestand",
                         "verwijder het of zet de notities erin (kop- en voetteksten en opmerkingen "
                         "worden niet gelezen)")
    corpus.warnings.extend(f"{rel}: {w}" for w in raw.warnings)
    if len(data) > 5_000_000:
        corpus.warnings.append(f"{rel}: groot bestand ({len(data) / 1e6:.1f} MB)")
    return {**meta, "doc_id": rel, "case": case, "case_raw": case_raw, "text": text,
            "page_starts": raw.page_starts, "blocks": []}


def _read_cached(path: Path, data: bytes, digest: str, cache: Cache) -> tuple[Raw, str]:
    """read_raw, from the cache when this exact file was read before. Errors are not cached."""
    suffix = path.suffix.lower()
    if suffix not in CACHED:
        return read_raw(path, data)
    key = cache.key("ingest", code=(_readers, _normalise), settings=suffix, inputs=digest)
    return cache.get_or_build(key, lambda: read_raw(path, data))


def _case_from_path(rel: str, normalise_case: CaseNormaliser) -> str:
    """Without a manifest: the first folder name or file-name part that is a known case, else
    the first folder name ("lokeren/tafel1.txt" -> "lokeren"); "" for a loose file."""
    parts = rel.split("/")
    stem = Path(parts[-1]).stem
    candidates = parts[:-1] + [stem] + stem.replace("-", "_").split("_") + stem.split("_")
    for candidate in candidates:
        known = normalise_case.known_case(candidate)
        if known:
            return known
    return parts[0] if len(parts) > 1 else ""
