"""Mechanisms: statements that say the same dynamic in several cases and under several themes.

Needs: the segments table with themes, sentences and tokens from `pipeline.language`, the
statement functions, `MechanismConfig`. Adds: `claims` (cause -> effect, obstacle -> blocked
goal), the `mechanisms` and `mechanism_evidence` tables, and per segment its function and the
mechanisms it is evidence of.
"""

from ._finder import (CODEBOOK, MechanismResult, candidate_statements, extract_claims, family_of, find_recurring,
                      run_mechanisms)

__all__ = ["run_mechanisms", "MechanismResult", "extract_claims", "candidate_statements", "find_recurring",
           "CODEBOOK", "family_of"]
