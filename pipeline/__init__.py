"""stadsgenoten: a local, reproducible qualitative text-analysis pipeline for Dutch interview notes.

The public API (pinned; everything else is internal):

    from pipeline import load_config, run
    result = run(load_config(**{"corpus.path": "corpus/demo"}))
    result.segments, result.themes, result.matrix, result.run_dir

Nothing happens at import time: stages import their heavy libraries when they run.
"""

from .config import Config, load_config
from .errors import CacheError, ConfigError, InputError, PipelineError
from .run import RunResult, analyse, run

__all__ = [
    "Config",
    "load_config",
    "run",
    "analyse",
    "RunResult",
    "PipelineError",
    "ConfigError",
    "InputError",
    "CacheError",
]
