"""Mechanisms: statements that say the same dynamic in several cases and under several themes.

Needs: the segments table with themes, sentences and tokens (`pipeline.language`), the statement
functions (`pipeline.analysis`), `MechanismConfig`, and the themes' label ranking (`ctfidf`).
Adds: `claims` (cause -> effect, obstacle -> blocked goal), the `mechanisms` and
`mechanism_evidence` tables, and per segment its function and the mechanisms it is evidence of.

The steps, all deterministic: statement functions per sentence; `extract_claims`;
`candidate_statements` (claims, problem statements and negated assertions); `MechanismFinder`
(groups that recur across cases and themes, found from the notes; a mechanism codebook the
analyst passes on purpose, `load_mechanism_codebook`, is coded first; mechanisms it defines by
example sentences are coded by similarity, `_examples`). `run_mechanisms` runs them all. The
analyst's lines in the overrides file (confirm, drop, rename, merge, new) are applied to a run's
tables by `apply_mechanism_overrides` and written as a codebook for the next round by
`mechanism_codebook_yaml` (`_overrides`). With --compare-with the earlier round's mechanisms code
the new round as a codebook of examples (`earlier_round_codebook`), keeping their ids and labels.
"""

from ._candidates import candidate_statements, level_of
from ._claims import CONNECTIVES, extract_claims
from ._codebook import ROUND, Family, MechanismCodebook, combined, earlier_id, load_mechanism_codebook
from ._grouping import REASONS, SPEECH, Group, MechanismFinder, find_recurring
from ._overrides import (ANALYST, CODEBOOK_NAME, analyst_status, MechanismOverrides, NewMechanism, apply_mechanism_overrides,
                         load_mechanism_overrides, earlier_round_codebook, mechanism_codebook_yaml, parse_mechanism_overrides,
                         record_mechanisms)
from ._stage import MechanismResult, run_mechanisms, segment_mechanisms

__all__ = [
    "run_mechanisms", "MechanismResult", "segment_mechanisms", "extract_claims", "CONNECTIVES",
    "candidate_statements", "level_of", "MechanismFinder", "Group", "find_recurring", "REASONS", "SPEECH",
    "Family", "MechanismCodebook", "load_mechanism_codebook", "MechanismOverrides", "NewMechanism",
    "parse_mechanism_overrides", "load_mechanism_overrides", "record_mechanisms", "apply_mechanism_overrides",
    "mechanism_codebook_yaml", "CODEBOOK_NAME", "ANALYST", "analyst_status", "earlier_round_codebook", "combined",
    "earlier_id", "ROUND",
]
