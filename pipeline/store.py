"""Run folders on disk: the only module (with the cache) that writes files.

A run is written into a hidden temporary folder next to its final place and renamed when every
file is complete, so a run that is killed half-way leaves no partial run and never touches
earlier runs. CSV files are UTF-8 with a byte-order mark (Excel then reads the accents right;
pandas and R skip the mark), comma-separated, floats with four decimals, so that the same input
and config give byte-identical tables.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["write_csv", "read_csv", "write_json", "write_text", "RunFolder", "list_runs"]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.4f")


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def write_json(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
                    encoding="utf-8")


def write_text(text: str, path: Path) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


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
