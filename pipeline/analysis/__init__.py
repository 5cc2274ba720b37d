"""The analysis: themes, statement functions, recurring mechanisms and named practices.

Needs: segments (`pipeline.corpus`), sentences, tokens and vectors (`pipeline.language`), person
and place names (`pipeline.privacy`), the config sections. Adds the analysis tables of
`pipeline.schema`: assignments and themes (`analysis.themes`), the function of each sentence
(concern, barrier, need, …; `tag_functions`, `segment_functions`), mechanisms with their
evidence (`analysis.mechanisms`), practices per case (`find_practices`) and, against an earlier
round's run folder, what changed since then (`compare_rounds`, vergelijking*.csv).

Imports run downward only: the public faces of corpus, privacy and language and the base modules
(errors, config, schema, cache, store); never `pipeline.outputs` or `pipeline.run`.
"""

from ._practices import find_practices
from ._rounds import COMPARISON_TABLES, compare_rounds, load_earlier_round, setting_differences, theme_changes
from ._statement_functions import segment_functions, tag_functions

__all__ = ["tag_functions", "segment_functions", "find_practices", "compare_rounds", "load_earlier_round",
           "setting_differences", "theme_changes", "COMPARISON_TABLES"]
