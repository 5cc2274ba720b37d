"""Mechanisms: statements that say the same dynamic in several cases and under several themes.

Needs: the segments table with themes, sentences and tokens (`pipeline.language`), the statement
functions (`pipeline.analysis`), `MechanismConfig`, and the themes' label ranking (`ctfidf`).
Adds: `claims` (cause -> effect, obstacle -> blocked goal), the `mechanisms` and
`mechanism_evidence` tables, and per segment its function and the mechanisms it is evidence of.

The steps, all deterministic: statement functions per sentence; `extract_claims`;
`candidate_statements` (claims, problem statements and negated assertions); `MechanismFinder`
(groups that recur across cases and themes, found from the notes; a mechanism codebook the
analyst passes on purpose, `load_mechanism_codebook`, is coded first). `run_mechanisms` runs them all.
"""

from ._candidates import candidate_statements, level_of
from ._claims import CONNECTIVES, extract_claims
from ._codebook import Family, MechanismCodebook, load_mechanism_codebook
from ._grouping import REASONS, SPEECH, Group, MechanismFinder, find_recurring
from ._stage import MechanismResult, run_mechanisms, segment_mechanisms

__all__ = [
    "run_mechanisms", "MechanismResult", "segment_mechanisms", "extract_claims", "CONNECTIVES",
    "candidate_statements", "level_of", "MechanismFinder", "Group", "find_recurring", "REASONS", "SPEECH",
    "Family", "MechanismCodebook", "load_mechanism_codebook",
]
