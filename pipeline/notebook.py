"""The few lines every notebook in notebooks/ starts with: which run to open, and its tables.

    from pipeline.notebook import latest_run, load_tables, working_copy
    run_dir = latest_run()          # the newest run, or a new run of the demo corpus
    tables = load_tables(run_dir)   # the run's tables, with <run>/overrides.yaml applied
    werkmap = working_copy(run_dir) # where a notebook writes: never into the run folder itself

Environment variables point the notebooks elsewhere without editing them (the tests use them so
that nothing is written into the project's outputs/):

    STADSGENOTEN_RUN     open this run folder
    STADSGENOTEN_OUT     the folder that holds the runs (default: outputs/, as the CLI)
    STADSGENOTEN_CORPUS  only runs of this corpus count, and a new run analyses it (default: the
                         newest run of any corpus; a new run analyses the demo corpus)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .analysis.mechanisms import apply_mechanism_overrides, load_mechanism_overrides
from .analysis.themes import DEFAULT_NAME, apply_overrides, load_overrides
from .config import load_config
from .store import RunTables, list_runs, load_run

__all__ = ["latest_run", "load_tables", "working_copy", "COPIES", "ENV_RUN", "ENV_OUT", "ENV_CORPUS"]

ENV_RUN = "STADSGENOTEN_RUN"
ENV_OUT = "STADSGENOTEN_OUT"
ENV_CORPUS = "STADSGENOTEN_CORPUS"
COPIES = "notebook-kopieen"  # beside the runs; not a run folder itself, so runs never pick it up


def _corpus_of(run_dir: Path) -> str:
    info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    return str(info.get("config", {}).get("corpus", {}).get("path", ""))


def _same_path(a: str, b: str) -> bool:
    return bool(a) and Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


def latest_run(out_dir: str | Path | None = None, corpus: str | Path | None = None) -> Path:
    """The newest run folder under `out_dir` (of `corpus`, when given); a new run when there is none.

    `out_dir` defaults to $STADSGENOTEN_OUT, else the configured output folder (outputs/);
    `corpus` to $STADSGENOTEN_CORPUS. Called without arguments and with $STADSGENOTEN_RUN set, it
    returns that run folder (after checking it is complete). A new run uses the default settings;
    its slow steps are cached under <out_dir>/.cache, so a second new run is much faster.
    """
    chosen = os.environ.get(ENV_RUN)
    if chosen and out_dir is None and corpus is None:
        return load_run(chosen).run_dir  # checks it is a complete run folder
    out_dir = out_dir or os.environ.get(ENV_OUT) or None
    corpus = corpus or os.environ.get(ENV_CORPUS) or None
    overrides = {"output.out_dir": str(out_dir) if out_dir else None,
                 "corpus.path": str(corpus) if corpus else None}
    config = load_config(**overrides)
    runs = list_runs(config.output.out_dir)
    if corpus:
        runs = [r for r in runs if _same_path(_corpus_of(r), str(corpus))]
    if runs:
        return runs[-1]
    from .run import run  # looked up when needed, so a test can replace pipeline.run.run

    print(f"Nog geen run in {config.output.out_dir}: het corpus {config.corpus.path} wordt nu geanalyseerd ...")
    return run(config).run_dir


def load_tables(run_dir: str | Path, overrides: bool = True) -> RunTables:
    """The tables of a run folder; with `overrides`, <run>/overrides.yaml applied when it exists
    (its theme and mechanism lines).

    So every notebook shows the analyst's labels, merges and mechanisms, as report.html does after
    `stadsgenoten regenerate`. The run's own CSV files and the overrides file are never changed.
    """
    tables = load_run(run_dir)
    path = Path(run_dir) / DEFAULT_NAME
    if overrides and path.is_file():
        tables = apply_overrides(tables, load_overrides(path))
        lines = load_mechanism_overrides(path)
        if not lines.is_empty():
            tables = apply_mechanism_overrides(tables, lines)
    return tables


def working_copy(run_dir: str | Path) -> Path:
    """A copy of a run folder for a notebook to write in (overrides.yaml, regenerated reports):
    running a notebook end to end never changes a run's deliverables. The copy is
    `<runs>/notebook-kopieen/<run>`; made once, then reused, so a notebook picks up where it was."""
    import shutil

    run_dir = load_run(run_dir).run_dir  # a complete run folder
    copy = run_dir.parent / COPIES / run_dir.name
    if not (copy / "run.json").is_file():
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(run_dir, copy, dirs_exist_ok=True)
    return copy
