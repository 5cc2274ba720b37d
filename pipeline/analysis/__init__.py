"""The analysis: themes, statement functions, recurring mechanisms and named practices.

Needs: segments, sentences, tokens and vectors from `pipeline.corpus` and `pipeline.language`.
Adds the analysis tables of `pipeline.schema`: assignments and themes (`analysis.themes`),
the function of each sentence (concern, barrier, need, ...), mechanisms with their evidence
(`analysis.mechanisms`) and practices per case. Never imports `pipeline.outputs`.
"""

from ._statement_functions import segment_functions, tag_functions
from ._practices import find_practices

__all__ = ["tag_functions", "segment_functions", "find_practices"]
