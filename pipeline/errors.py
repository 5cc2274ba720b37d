"""One small error hierarchy: everything the pipeline raises on purpose is a PipelineError."""

from __future__ import annotations

__all__ = ["PipelineError", "ConfigError", "InputError"]


class PipelineError(Exception):
    """Base class: the CLI prints these as a clean message instead of a traceback."""


class ConfigError(PipelineError):
    """The configuration file or a CLI option is wrong (unknown key, bad value)."""


class InputError(PipelineError):
    """An input file or folder cannot be used. Names the file and says how to fix it."""

    def __init__(self, path: str, problem: str, fix: str = ""):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f" — {fix}"
        super().__init__(message)

