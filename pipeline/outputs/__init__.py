"""Stage `outputs`: the tables of a run -> what an analyst reads and opens.

Needs: `RunTables` (from a run in memory or a run folder on disk, `pipeline.store`) and, for
`regenerate`, the analyst's overrides (`pipeline.analysis.themes`). Adds: summary.md and
report.html (Dutch), plots, the Excel workbook, the REFI-QDA .qdpx and the codebook alone (.qdc, .csv); `regenerate` rebuilds them
for an existing run folder. Learns nothing: every figure and quote comes from the tables.

Inside, imports run one way: `_wording` (Dutch words) <- `_context` (what the reports say) and
`_codebook` (the codes of a run) <- `_markdown`, `_html`, `_workbook`, `_qdpx`, `_plots` (each one
file) <- `_regenerate` (all of them).
"""

from ._codebook import run_codes, write_codebook_csv, write_codebook_qdc
from ._context import report_context
from ._html import render_html
from ._markdown import summary_markdown
from ._plots import write_plots
from ._qdpx import write_qdpx
from ._regenerate import regenerate, write_outputs
from ._workbook import write_workbook
from ._wording import (EXCLUDED_EXPLAINED, NOT_AVAILABLE, case_noun, counted, describe_theme, function_label, listing, prevalence_phrase,
                       quantifier, select_quotes, session_kind, short_quote)

__all__ = [
    "write_outputs", "regenerate", "render_html", "summary_markdown", "report_context", "write_plots",
    "write_workbook", "write_qdpx", "write_codebook_qdc", "write_codebook_csv", "run_codes", "function_label",
    "prevalence_phrase", "quantifier", "select_quotes", "short_quote", "describe_theme", "session_kind",
    "NOT_AVAILABLE", "EXCLUDED_EXPLAINED", "case_noun", "listing", "counted",
]
