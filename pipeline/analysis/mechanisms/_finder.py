"""Kept only for pipeline/run.py's `from .analysis.mechanisms import _finder`: delete once run.py
imports `run_mechanisms` from `pipeline.analysis.mechanisms` (its public face)."""

from ._stage import run_mechanisms  # noqa: F401
