"""Read a finished run folder back into memory, for regeneration, exports and notebooks.

A run folder holds (see README): documents.csv + texts/ (the normalised text every offset points
into), segments.csv, themes.csv, matrix.csv, summary.md, run.json, and, when those stages ran,
mechanisms.csv, mechanism_evidence.csv, practices.csv. `load_run` returns them as typed frames.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import store
from .errors import InputError

__all__ = ["RunTables", "load_run", "from_result", "created_utc"]

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
            raise InputError(run_dir / name, "missing from the run folder", "point at a complete run folder")
    documents = _typed(store.read_csv(run_dir / "documents.csv"))
    texts = {doc_id: (run_dir / text_file).read_text(encoding="utf-8")
             for doc_id, text_file in zip(documents["doc_id"], documents["text_file"])}
    matrix = store.read_csv(run_dir / "matrix.csv")
    for column in matrix.columns[1:]:
        matrix[column] = pd.to_numeric(matrix[column]).astype("int64")
    optional = {name: _typed(store.read_csv(run_dir / f"{name}.csv")) if (run_dir / f"{name}.csv").is_file() else None
                for name in ("mechanisms", "mechanism_evidence", "practices")}
    return RunTables(
        documents=documents,
        segments=_typed(store.read_csv(run_dir / "segments.csv")),
        themes=_typed(store.read_csv(run_dir / "themes.csv")),
        matrix=matrix,
        info=json.loads((run_dir / "run.json").read_text(encoding="utf-8")),
        texts=texts,
        run_dir=run_dir,
        **optional,
    )


def from_result(result) -> RunTables:
    """The same tables straight from an in-memory RunResult (no disk round trip)."""
    from .run import documents_table

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
