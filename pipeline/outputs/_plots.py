"""Figures of a run, as PNG (for slides and documents) and SVG (for print), with Dutch labels.

`write_plots(tables, out_dir)` writes
  heatmap.png/.svg           fragments per theme (rows) and city (columns)
  theme_sizes.png/.svg       fragments per theme, with in how many cities it occurs
  mechanism_spread.png/.svg  per mechanism the cities it occurs in (only when the run has mechanisms)

Figures are drawn on a bare matplotlib Figure with the Agg canvas, never through pyplot, so
nothing needs a display and a notebook's own backend is left alone. Fonts, sizes and the SVG id
salt are fixed and the SVG carries no date, so the same run gives byte-identical files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..store import RunTables
from ._context import plot_stems, plot_titles, report_cases, theme_city_matrix
from ._wording import case_noun, short_names

__all__ = ["write_plots"]

_RC = {
    "svg.hashsalt": "stadsgenoten",
    "svg.fonttype": "none",  # text stays text: smaller, editable in Inkscape or Illustrator
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 150,  # = savefig.dpi: the tight bounding box and the PNG then share text layouts
    "savefig.dpi": 150,
}
_BLUE = "#1f5fa8"
_BLUE_LIGHT = "#b9d0ee"


def _short(text: str, limit: int = 42) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _save(fig, out_dir: Path, stem: str) -> list[Path]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    # The tight bounding box once, for both formats (bbox_inches="tight" would draw twice per file).
    bbox = fig.get_tightbbox(canvas.get_renderer()).padded(0.1)
    paths = []
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = out_dir / f"{stem}.{ext}"
        fig.savefig(path, format=ext, metadata=metadata, bbox_inches=bbox, facecolor="white")
        paths.append(path)
    return paths


def _heatmap(tables: RunTables, out_dir: Path) -> list[Path]:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    matrix = theme_city_matrix(tables)
    labels = dict(zip(tables.themes["theme_id"], tables.themes["label"]))
    n_rows, n_cols = matrix.shape
    fig = Figure(figsize=(max(6.0, 2.8 + 0.48 * n_cols), max(2.5, 1.4 + 0.36 * n_rows)))
    ax = fig.add_subplot()
    values = matrix.to_numpy()
    vmax = max(int(values.max()) if values.size else 0, 1)
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(n_cols), short_names(matrix.columns), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n_rows), [f"{t}  {_short(labels.get(t, ''))}" for t in matrix.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks([x - 0.5 for x in range(1, n_cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, n_rows)], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for i in range(n_rows):
        for j in range(n_cols):
            v = int(values[i, j])
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                        color="white" if v > 0.55 * vmax else "#0b2545")
    ax.set_title(plot_titles(case_noun(tables.info))["heatmap"][0], loc="left")
    # counts: whole-number ticks only (the default locator put 2.5, 7.5, ... on the bar)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, ticks=MaxNLocator(integer=True))
    bar.set_label("fragmenten")
    bar.outline.set_visible(False)
    return _save(fig, out_dir, "heatmap")


def _theme_sizes(tables: RunTables, out_dir: Path) -> list[Path]:
    from matplotlib.figure import Figure

    themes = tables.themes
    total, noun = len(report_cases(tables)), case_noun(tables.info)
    n = len(themes)
    fig = Figure(figsize=(8.0, max(2.5, 1.2 + 0.34 * n)))
    ax = fig.add_subplot()
    y = list(range(n))
    sizes = [int(v) for v in themes["n_segments"]]
    ax.barh(y, sizes, color=_BLUE, height=0.68)
    ax.set_yticks(y, [f"{t}  {_short(label)}" for t, label in zip(themes["theme_id"], themes["label"])])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    for yi, size, n_cases in zip(y, sizes, themes["n_cases"]):
        ax.text(size, yi, f"  {size} · {int(n_cases)}/{total} {noun.plural}", va="center", fontsize=8, color="#333")
    ax.set_xlim(0, max(sizes + [1]) * 1.28)
    ax.set_xlabel("fragmenten")
    ax.set_title(f"Grootte van de thema's (fragmenten · in hoeveel {noun.plural})", loc="left")
    ax.spines["left"].set_visible(False)
    return _save(fig, out_dir, "theme_sizes")


def _mechanism_spread(tables: RunTables, out_dir: Path) -> list[Path]:
    from matplotlib.figure import Figure

    mechanisms = tables.mechanisms
    cases = report_cases(tables)
    labels = [f"{m}  {_short(label, 48)}" for m, label in zip(mechanisms["mechanism_id"], mechanisms["label"])]
    # Evidence per (mechanism, city): from mechanism_evidence when present, else the cases column.
    counts = pd.DataFrame(0, index=list(mechanisms["mechanism_id"].astype(str)), columns=cases)
    evidence = tables.mechanism_evidence
    if evidence is not None and len(evidence):
        for (mid, case), n in evidence.groupby([evidence["mechanism_id"].astype(str), "case"]).size().items():
            if mid in counts.index:
                if case not in counts.columns:
                    counts[case] = 0
                counts.at[mid, case] = int(n)
    else:
        for mid, value in zip(mechanisms["mechanism_id"].astype(str), mechanisms["cases"]):
            for case in re.split(r"\s*;\s*", str(value or "")):
                if case:
                    if case not in counts.columns:
                        counts[case] = 0
                    counts.at[mid, case] = 1
    n_rows, n_cols = counts.shape
    fig = Figure(figsize=(max(6.0, 3.4 + 0.48 * n_cols), max(2.2, 1.4 + 0.4 * n_rows)))
    ax = fig.add_subplot()
    values = counts.to_numpy(dtype=int)
    biggest = max(int(values.max()) if values.size else 0, 1)
    # One scatter per dot size (the empty cells, then each count), not one per cell: a collection
    # per dot was slow to build and to draw. A collection of one size is drawn as repeated
    # markers, as a one-dot collection was, so the dots land on the same pixels. Dots never
    # overlap (a cell holds one dot, the largest is narrower than a cell), so order is irrelevant.
    for v in sorted(set(values.flat)):
        rows, cols = (values == v).nonzero()
        if v:
            ax.scatter(cols, rows, s=40 + 200 * int(v) / biggest, color=_BLUE, alpha=0.85, linewidths=0)
        else:
            ax.scatter(cols, rows, s=8, color=_BLUE_LIGHT, linewidths=0)
    for i, n_cases in enumerate((values > 0).sum(axis=1)):
        ax.text(n_cols - 0.4, i, f"{int(n_cases)}/{len(cases)}", va="center", fontsize=8, color="#333")
    ax.set_xticks(range(n_cols), short_names(counts.columns), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n_rows), labels)
    ax.set_xlim(-0.6, n_cols + 0.4)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    title = plot_titles(case_noun(tables.info))["mechanism_spread"][0]
    title += " (grootte: aantal fragmenten)" if evidence is not None and len(evidence) else ""
    ax.set_title(title, loc="left")
    return _save(fig, out_dir, "mechanism_spread")


def write_plots(tables: RunTables, out_dir: str | Path) -> list[Path]:
    """Write the figures of a run into out_dir (created if needed); returns the files written."""
    import matplotlib

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    draw = {"heatmap": _heatmap, "theme_sizes": _theme_sizes, "mechanism_spread": _mechanism_spread}
    with matplotlib.rc_context(_RC):
        for stem in plot_stems(tables):  # the figures the reports link to
            written += draw[stem](tables, out_dir)
    return written
