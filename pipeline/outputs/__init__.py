"""Stage `outputs`: the tables of a run -> what an analyst reads and opens.

Needs: `RunTables` (from a run in memory or a run folder on disk, `pipeline.store`). Adds:
summary.md and report.html (Dutch), plots, the Excel workbook and the REFI-QDA .qdpx;
`regenerate` rebuilds them for an existing run folder with the analyst's overrides. Learns
nothing: every figure and quote comes from the tables.
"""

from ._html import NOT_AVAILABLE, describe_theme, render_html, report_context, session_kind
from ._markdown import function_label, prevalence_phrase, quantifier, select_quotes, short_quote
from ._plots import write_plots
from ._qdpx import write_qdpx
from ._regenerate import regenerate, write_outputs
from ._workbook import write_workbook

__all__ = [
    "write_outputs", "regenerate", "render_html", "report_context", "write_plots", "write_workbook", "write_qdpx",
    "function_label", "prevalence_phrase", "quantifier", "select_quotes", "short_quote", "describe_theme",
    "session_kind", "NOT_AVAILABLE",
]
