"""Mechanisms: statements that say the same dynamic in several cases and under several themes.

Needs: the segments table with themes, sentences and tokens (`pipeline.language`), the statement
functions (`pipeline.analysis`), `MechanismConfig`, and the themes' label ranking (`ctfidf`).
Adds: `claims` (cause -> effect, obstacle -> blocked goal), the `mechanisms` and
`mechanism_evidence` tables, and per segment its function and the mechanisms it is evidence of.

The steps, all deterministic: statement functions per sentence; `extract_claims`;
`candidate_statements` (sentences that relate two CONCEPTS or hold a claim); `MechanismFinder`
(deductive CODEBOOK families first, then inductive grouping). `run_mechanisms` runs them all.
"""

from ._candidates import candidate_statements, level_of
from ._claims import CONNECTIVES, extract_claims
from ._concepts import CODEBOOK, CONCEPTS, Family, concept_hits, family_of
from ._grouping import Group, MechanismFinder, find_recurring
from ._stage import MechanismResult, run_mechanisms, segment_mechanisms

__all__ = [
    "run_mechanisms", "MechanismResult", "segment_mechanisms", "extract_claims", "CONNECTIVES",
    "candidate_statements", "level_of", "MechanismFinder", "Group", "find_recurring", "CONCEPTS", "concept_hits", "CODEBOOK", "Family",
    "family_of",
]
