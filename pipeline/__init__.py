"""stadsgenoten: a local, reproducible qualitative text-analysis pipeline for Dutch interview notes.

The public API (pinned; everything else is internal):

    from pipeline import load_config, run
    result = run(load_config(**{"corpus.path": "corpus/demo"}))
    result.segments, result.themes, result.matrix, result.run_dir
    zoek(result.run_dir, tekst="tolken zijn te duur")   # "meer zoals dit", best first

The stages, in the order a segment travels (each a subpackage; its `__init__` says what it
needs and adds, its private modules do the work):

    corpus     files -> documents -> segments (readers per format, normalise, cases, segment)
    privacy    person names -> pseudonyms, before anything else reads the text
    language   tokens, POS, lemmas, compound parts, sentence vectors, the cue matcher
    analysis   themes (model, labels, codebook, ids across runs, overrides), statement
               functions, recurring mechanisms, practices
    outputs    report context and Dutch wording -> summary.md, report.html, plots, workbook, .qdpx

Beside them: `config` (one frozen section per stage), `schema` (the table contracts), `cache`
(one way to cache a stage), `store` (run folders on disk), `errors`, and on top `run` (the
DAG), `search` (`zoek`: sentences like a text or a fragment, on a run folder), `cli` and
`notebook`. Imports only run downward in that order; a test enforces it.
"""

from .config import Config, load_config
from .errors import ConfigError, InputError, PipelineError
from .run import RunResult, analyse, run
from .search import zoek

__all__ = [
    "Config",
    "load_config",
    "run",
    "zoek",
    "analyse",
    "RunResult",
    "PipelineError",
    "ConfigError",
    "InputError",
]
