"""Run folders on disk: writing one atomically and reading one back as tables.

A run is written into a hidden temporary folder next to its final place and renamed when every
file is complete, so a run that is killed half-way leaves no partial run and never touches
earlier runs; single files (the cache's entries, regenerated exports) go through `write_atomic`.
CSV files are UTF-8 with a byte-order mark (Excel then reads the accents right; pandas and R skip
the mark), comma-separated, floats with four decimals, so that the same input and config give
byte-identical tables.

A run folder holds (see README): documents.csv + texts/ (the normalised text every offset points
into), segments.csv, themes.csv, matrix.csv, summary.md, run.json, and, when those stages ran,
mechanisms.csv, mechanism_evidence.csv, practices.csv. `load_run` returns them as `RunTables`.
"""


from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .errors import InputError

__all__ = ["write_csv", "read_csv", "write_json", "write_text", "write_atomic", "RunFolder", "list_runs", "slug",
           "RunTables", "load_run", "from_result", "created_utc", "documents_table"]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.4f")


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def write_json(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
                    encoding="utf-8")


def write_text(text: str, path: Path) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file next to `path`, then rename it into place: readers see the old
    file or the new one, never half of one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


class RunFolder:
    """`with RunFolder(parent, run_id) as rf:` write into rf.path; on success it is renamed to
    parent/run_id (or run_id-2, ... never overwriting) and rf.path points there."""

    def __init__(self, parent: str | Path, run_id: str):
        self.parent = Path(parent)
        self.run_id = run_id
        self.path: Path | None = None

    def __enter__(self) -> "RunFolder":
        self.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.run_id}.", suffix=".partial", dir=self.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o777 & ~umask)  # mkdtemp makes it private; a run folder is an ordinary folder
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.path is not None
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        final = self.parent / self.run_id
        n = 2
        while final.exists():
            final = self.parent / f"{self.run_id}-{n}"
            n += 1
        os.rename(self.path, final)
        self.path = final


def list_runs(parent: str | Path) -> list[Path]:
    """Completed run folders under `parent`, oldest first (partial runs are hidden folders)."""
    parent = Path(parent)
    if not parent.is_dir():
        return []
    runs = [p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "run.json").is_file()]
    return sorted(runs, key=lambda p: (json.loads((p / "run.json").read_text(encoding="utf-8")).get("created", ""), p.name))


def slug(text: str) -> str:
    """A file-name-safe, unique-enough name: 'gent/gent_tafel 1.pdf' -> 'gent-gent_tafel-1.pdf'."""
    return re.sub(r"[^A-Za-z0-9_.]+", "-", text).strip("-.")


_INT = ("start_char", "end_char", "source_start_char", "source_end_char", "page", "index", "n_segments",
        "n_cases", "n_chars")
_FLOAT = ("theme_score", "theme_2_score")
_BOOL = ("analysed", "is_facilitator")


@dataclass
class RunTables:
    """The tables of one run. `texts` maps doc_id -> normalised document text."""

    documents: pd.DataFrame
    segments: pd.DataFrame
    themes: pd.DataFrame
    matrix: pd.DataFrame
    info: dict
    texts: dict[str, str]
    mechanisms: pd.DataFrame | None = None
    mechanism_evidence: pd.DataFrame | None = None
    practices: pd.DataFrame | None = None
    run_dir: Path | None = None
    extra: dict = field(default_factory=dict)

    @property
    def cases(self) -> list[str]:
        return sorted(self.documents["case"].unique())


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for column in df.columns:
        if column in _INT:
            df[column] = pd.to_numeric(df[column]).astype("int64")
        elif column in _FLOAT:
            df[column] = pd.to_numeric(df[column]).astype("float64")
        elif column in _BOOL:
            df[column] = df[column].map({"True": True, "False": False, True: True, False: False}).astype(bool)
    return df


def load_run(run_dir: str | Path) -> RunTables:
    """The tables of a run folder; raises InputError naming what is missing."""
    run_dir = Path(run_dir)
    for name in ("documents.csv", "segments.csv", "themes.csv", "matrix.csv", "run.json"):
        if not (run_dir / name).is_file():
            raise InputError(run_dir / name, "ontbreekt in de runmap", "geef een volledige runmap")
    documents = _typed(read_csv(run_dir / "documents.csv"))
    texts = {doc_id: (run_dir / text_file).read_text(encoding="utf-8")
             for doc_id, text_file in zip(documents["doc_id"], documents["text_file"])}
    matrix = read_csv(run_dir / "matrix.csv")
    for column in matrix.columns[1:]:
        matrix[column] = pd.to_numeric(matrix[column]).astype("int64")
    optional = {name: _typed(read_csv(run_dir / f"{name}.csv")) if (run_dir / f"{name}.csv").is_file() else None
                for name in ("mechanisms", "mechanism_evidence", "practices")}
    # vergelijking*.csv: what changed since an earlier round (run --compare-with)
    comparison = {p.stem: read_csv(p) for p in sorted(run_dir.glob("vergelijking*.csv"))}
    return RunTables(
        extra={"comparison": comparison} if comparison else {},
        documents=documents,
        segments=_typed(read_csv(run_dir / "segments.csv")),
        themes=_typed(read_csv(run_dir / "themes.csv")),
        matrix=matrix,
        info=json.loads((run_dir / "run.json").read_text(encoding="utf-8")),
        texts=texts,
        run_dir=run_dir,
        **optional,
    )


def from_result(result) -> RunTables:
    """The same tables straight from an in-memory RunResult (no disk round trip)."""
    return RunTables(
        documents=documents_table(result.documents),
        segments=result.segments,
        themes=result.themes,
        matrix=result.matrix,
        info=result.info,
        texts=dict(zip(result.documents["doc_id"], result.documents["text"])),
        mechanisms=getattr(result, "mechanisms", None),
        mechanism_evidence=getattr(result, "mechanism_evidence", None),
        practices=getattr(result, "practices", None),
        run_dir=result.run_dir,
        extra={"comparison": result.comparison} if getattr(result, "comparison", None) else {},
    )


def created_utc(info: dict) -> datetime:
    """The run's creation time (run.json "created") as naive UTC; 2000-01-01 when unknown, so
    exports stay deterministic for tables that were never written by a run."""
    try:
        moment = datetime.fromisoformat(str(info.get("created") or "").replace("Z", "+00:00"))
    except ValueError:
        return datetime(2000, 1, 1)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def documents_table(documents: pd.DataFrame) -> pd.DataFrame:
    """documents.csv: the document metadata, with the name of its text file instead of the text."""
    table = documents[["doc_id", "case", "case_raw", "session", "role", "date", "source_file", "format", "sha256"]].copy()
    table["n_chars"] = documents["text"].str.len()
    # texts/<slug>.txt holds the normalised text all offsets point into; a hash keeps names unique.
    names = [slug(d) for d in documents["doc_id"]]
    clashes = {n for n in names if names.count(n) > 1}
    table["text_file"] = [f"texts/{n}-{hashlib.sha256(d.encode()).hexdigest()[:6]}.txt" if n in clashes
                          else f"texts/{n}.txt"
                          for n, d in zip(names, documents["doc_id"])]
    return table
