"""Spreadsheets of written answers and the corpus manifest.

A spreadsheet becomes one document per case: its question/answer blocks in sheet order, each
block with its place ("Antwoorden rij 5"). The manifest (`manifest.csv`) gives each notes file
its case, session, role, date and declared persons.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..config import CorpusConfig
from ..errors import InputError
from ._cases import UnknownCase
from ._normalise import normalise_text
from ._readers import decode_text

__all__ = ["spreadsheet_documents", "read_manifest", "MANIFEST_COLUMNS"]

MANIFEST_COLUMNS = ("file", "city", "session", "role", "date")


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
            # Blank lines are kept so that row numbers stay the spreadsheet's (the python engine
            # drops a blank line after the header even then: sniff the separator, use the C engine).
            sheets = {"csv": pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                         sep=_sniff_separator(text), skip_blank_lines=False)}
        else:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"het rekenblad kon niet gelezen worden ({type(exc).__name__}: {exc})",
                         "open het in Excel of LibreOffice en sla het opnieuw op als .xlsx") from exc
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
            raise InputError(path, f"werkblad '{name}' heeft geen kolom '{cfg.case_column}' "
                             f"(kolommen: {', '.join(map(str, frame.columns))})",
                             "geef met --case-column de kolom die de case (bv. de stad) noemt")
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
    columns = "; ".join(f"werkblad {n}: {', '.join(map(str, f.columns))}" for n, f in sheets.items())
    raise InputError(path, f"geen enkel werkblad heeft de tekstkolom '{cfg.text_column}' ({columns})",
                     "geef met --text-column de kolom met de antwoorden")


def spreadsheet_documents(path: Path, rel: str, cfg: CorpusConfig, normalise_case, meta: dict,
                           warnings: list[str], fixed_case: str = "") -> tuple[list[dict], int]:
    """One document per case: its question/answer blocks in sheet order."""
    rows, sheet = _read_sheet(path, cfg, fixed_case)
    rows = rows[rows["text"].str.strip() != ""]
    documents: dict[str, dict] = {}
    n_blocks = 0
    for row in rows.itertuples():
        if not row.case_raw:
            raise InputError(path, f"rij {row.row} heeft een antwoord maar geen {cfg.case_column}",
                             f"vul de kolom {cfg.case_column} in op rij {row.row}")
        try:
            case = normalise_case(row.case_raw)
        except UnknownCase as exc:
            raise InputError(path, f"rij {row.row}: {exc}",
                             "verbeter de spelling, of zet ze onder corpus.case_aliases in de config "
                             "(twee verschillende cases: zet beide onder corpus.known_cases)") from exc
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


def read_manifest(path: Path) -> pd.DataFrame:
    try:
        text, _ = decode_text(path.read_bytes(), path)
        manifest = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"het manifest kon niet gelezen worden ({exc})",
                         f"het moet een CSV-bestand zijn met de kolommen {', '.join(MANIFEST_COLUMNS)}") from exc
    manifest.columns = [str(c).strip().lower() for c in manifest.columns]
    if "case" in manifest.columns and "city" not in manifest.columns:
        manifest = manifest.rename(columns={"case": "city"})
    missing = [c for c in MANIFEST_COLUMNS if c not in manifest.columns]
    if missing:
        raise InputError(path, f"het manifest mist de kolom(men) {', '.join(missing)}",
                         f"de kopregel moet zijn: {','.join(MANIFEST_COLUMNS)}")
    manifest = manifest.apply(lambda s: s.str.strip())
    manifest = manifest[manifest["file"] != ""]
    manifest["key"] = manifest["file"].str.replace("\\", "/", regex=False).str.lstrip("./")
    return manifest

