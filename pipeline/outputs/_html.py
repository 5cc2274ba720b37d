"""The run as one self-contained Dutch HTML report (report.html) that opens offline.

`render_html(tables)` lays out the report context (`_context.report_context`) with the Jinja
template in templates/: overview of the corpus, a theme x city heatmap, per theme its label,
description, key phrases, prevalence, quotes with city and source, the mechanisms that cross it
and the practices under it, a mechanisms section and a method appendix. All CSS is inline; there
are no scripts, fonts or links outside the run folder: the only images are the run's own figures,
by relative links to plots/ (shown when the report is opened from its run folder), and a
Content-Security-Policy forbids the browser to load anything else. The output depends on the tables only (the one date shown is the
run's own), so the same run renders byte-identically.
"""

from __future__ import annotations

from pathlib import Path

from ..store import RunTables
from ._context import report_context
from ._wording import listing, number

__all__ = ["render_html"]

TEMPLATE = "report.html.j2"


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = number
    env.filters["listing"] = listing
    env.filters["basename"] = lambda path: Path(str(path)).name if path else ""  # no local folders in a shared report
    return env


def render_html(tables: RunTables, context: dict | None = None) -> str:
    """The report as one HTML string (UTF-8, self-contained, Dutch); `context` = report_context(tables)
    when the caller already has it."""
    return _environment().get_template(TEMPLATE).render(**(context or report_context(tables)))
