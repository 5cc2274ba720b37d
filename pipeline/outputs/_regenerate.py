"""Rebuild the readable outputs of an existing run folder from its tables, without rerunning.

`regenerate(run_dir, overrides_path=None)` reads the run's tables (`pipeline.store.load_run`),
applies the analyst's overrides file (renamed, merged or excluded themes,
`pipeline.analysis.themes.apply_overrides`; confirmed, dropped, renamed, merged and new mechanisms,
`pipeline.analysis.mechanisms.apply_mechanism_overrides`) and rewrites, in seconds and without parsing,
embedding or clustering again:

  summary.md          the Dutch summary (`_markdown.summary_markdown`)
  report.html         the self-contained Dutch report (`_html.render_html`)
  plots/              heatmap, theme_sizes and mechanism_spread as PNG and SVG (`_plots`)
  stadsgenoten.xlsx   the workbook (`_workbook`)
  stadsgenoten.qdpx   the REFI-QDA export (`_qdpx`)
  codeboek.qdc        the codes alone as a REFI-QDA codebook (`_codebook`)
  codeboek.csv        the codes alone as CSV (name, description) for Taguette (`_codebook`)
  mechanismen_codeboek.yaml  the analyst's confirmed, renamed, merged and new mechanisms as a
                      mechanism codebook for the next round (`--mechanism-codebook`), when there are any
  regenerated.json    which overrides were applied, what was written and what was skipped

The run's tables (segments.csv, themes.csv, matrix.csv, ...) are never changed: they stay as the
clustering wrote them, so applying another overrides file, or none, always starts from the same
tables. Without `overrides_path`, `<run_dir>/overrides.yaml` is used when it exists. Every file is
written to a temporary name in the same folder and renamed into place, so a reader never sees a
half-written file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ..analysis.mechanisms import (CODEBOOK_NAME as MECHANISM_CODEBOOK_NAME, apply_mechanism_overrides,
                                   load_mechanism_overrides, mechanism_codebook_yaml, record_mechanisms)
from ..analysis.themes import DEFAULT_NAME, apply_overrides, load_overrides, record_fingerprints
from ..store import RunTables, load_run, write_atomic
from ._codebook import write_codebook_csv, write_codebook_qdc
from ._context import PLOTS_DIR, report_context
from ._html import render_html
from ._markdown import summary_markdown
from ._plots import write_plots
from ._qdpx import write_qdpx
from ._workbook import write_workbook

__all__ = ["regenerate", "write_outputs", "REPORT_NAME", "SUMMARY_NAME", "PLOTS_DIR", "WORKBOOK_NAME",
           "QDPX_NAME", "CODEBOOK_QDC_NAME", "CODEBOOK_CSV_NAME", "RECORD_NAME", "MECHANISM_CODEBOOK_NAME"]

log = logging.getLogger(__name__)

SUMMARY_NAME = "summary.md"
REPORT_NAME = "report.html"
WORKBOOK_NAME = "stadsgenoten.xlsx"
QDPX_NAME = "stadsgenoten.qdpx"
CODEBOOK_QDC_NAME = "codeboek.qdc"
CODEBOOK_CSV_NAME = "codeboek.csv"
RECORD_NAME = "regenerated.json"
_PLOT_STEMS = ("heatmap", "theme_sizes", "mechanism_spread")


def _write_plots(tables: RunTables, plots_dir: Path) -> list[Path]:
    """Plots into a temporary folder, then each file renamed into plots/; stale ones removed."""
    plots_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".plots.", suffix=".partial", dir=plots_dir.parent))
    try:
        made = write_plots(tables, tmp)
        written = []
        for path in made:
            final = plots_dir / path.name
            os.chmod(path, 0o644)
            os.replace(path, final)
            written.append(final)
        names = {p.name for p in written}
        for stem in _PLOT_STEMS:  # e.g. mechanism_spread after the mechanisms were removed
            for ext in ("png", "svg"):
                stale = plots_dir / f"{stem}.{ext}"
                if stale.name not in names and stale.exists():
                    stale.unlink()
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_outputs(tables: RunTables, run_dir: str | Path, summary: bool = True) -> list[Path]:
    """Write summary.md, report.html, plots and the optional exports of `tables` into run_dir.

    Returns the files written. `run.py` calls this right after writing the tables of a new run,
    so a new run and a regenerated one have the same files.
    """
    run_dir = Path(run_dir)
    written: list[Path] = []
    context = report_context(tables)  # once for both reports: it is the slowest part of either
    if summary:
        written.append(write_atomic(run_dir / SUMMARY_NAME, summary_markdown(tables, context)))
    written.append(write_atomic(run_dir / REPORT_NAME, render_html(tables, context)))
    written += _write_plots(tables, run_dir / PLOTS_DIR)
    written.append(write_workbook(tables, run_dir / WORKBOOK_NAME))
    written.append(write_qdpx(tables, run_dir / QDPX_NAME))
    written.append(write_codebook_qdc(tables, run_dir / CODEBOOK_QDC_NAME))
    written.append(write_codebook_csv(tables, run_dir / CODEBOOK_CSV_NAME))
    mechanism_codebook = mechanism_codebook_yaml(tables)
    if mechanism_codebook is not None:
        written.append(write_atomic(run_dir / MECHANISM_CODEBOOK_NAME, mechanism_codebook))
    elif (run_dir / MECHANISM_CODEBOOK_NAME).exists():  # the analyst removed the lines it came from
        (run_dir / MECHANISM_CODEBOOK_NAME).unlink()
    return written


def regenerate(run_dir: str | Path, overrides_path: str | Path | None = None) -> list[Path]:
    """Rebuild the summaries, report, plots and exports of a run folder; returns the files written.

    Raises InputError when run_dir is not a complete run folder and ConfigError when the overrides
    file is wrong; ids in the overrides file that are not in this run are logged as warnings and
    recorded in regenerated.json.
    """
    run_dir = Path(run_dir)
    tables = load_run(run_dir)
    if overrides_path is None and (run_dir / DEFAULT_NAME).is_file():
        overrides_path = run_dir / DEFAULT_NAME
    record: dict = {"run_id": tables.info.get("run_id", ""), "overrides_file": None, "overrides": None}
    if overrides_path is not None:
        overrides_path = Path(overrides_path)
        # this run is the one the lines are for: record its themes for the lines that lack them
        overrides = record_fingerprints(overrides_path, load_overrides(overrides_path), tables.themes)
        tables = apply_overrides(tables, overrides)
        lines = load_mechanism_overrides(overrides_path)
        if not lines.is_empty():
            lines = record_mechanisms(overrides_path, lines, tables.mechanisms, tables.mechanism_evidence,
                                      tables.segments)
            tables = apply_mechanism_overrides(tables, lines)
            record["mechanism_overrides"] = tables.info.get("mechanism_overrides")
        record["overrides_file"] = str(overrides_path.resolve())
        record["overrides_sha256"] = hashlib.sha256(overrides_path.read_bytes()).hexdigest()
        record["overrides"] = tables.info.get("overrides")
    written = write_outputs(tables, run_dir)
    record["themes"] = [{"theme_id": t, "label": label, "n_segments": int(n), "n_cases": int(c)}
                        for t, label, n, c in zip(tables.themes["theme_id"], tables.themes["label"],
                                                  tables.themes["n_segments"], tables.themes["n_cases"])]
    record["files"] = sorted(p.relative_to(run_dir).as_posix() for p in written)
    record["tables_unchanged"] = ("segments.csv, themes.csv and matrix.csv are the run's own tables; "
                                  "the overrides apply to the files listed under 'files'")
    text = json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n"
    written.append(write_atomic(run_dir / RECORD_NAME, text))
    return written
