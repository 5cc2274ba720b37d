"""pipeline.outputs._plots on small run tables built in memory: files, byte-determinism, dot per cell."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.outputs import _plots as plots
from pipeline.outputs._wording import short_names
from pipeline.store import RunTables

CASES = ["Antwerpen", "Gent", "Leuven", "Mechelen"]
# Evidence fragments per mechanism and city (0: the mechanism is not seen in that city).
EVIDENCE = {"M01": {"Antwerpen": 3, "Gent": 1, "Mechelen": 5},
            "M02": {"Gent": 2, "Leuven": 2},
            "M03": {"Antwerpen": 1, "Gent": 1, "Leuven": 1, "Mechelen": 1}}


def _tables() -> RunTables:
    documents = pd.DataFrame({"doc_id": [f"{c.lower()}_tafel" for c in CASES], "case": CASES})
    segments = pd.DataFrame({"segment_id": [f"{d}:0001" for d in documents["doc_id"]], "case": CASES})
    themes = pd.DataFrame({"theme_id": ["T01", "T02"], "label": ["taal · drempel · loket", "wonen · huur"],
                           "n_segments": [9, 4], "n_cases": [4, 2]})
    matrix = pd.DataFrame({"theme_id": ["T01", "T02"], "Antwerpen": [3, 0], "Gent": [2, 2],
                           "Leuven": [1, 0], "Mechelen": [3, 2]})
    mechanisms = pd.DataFrame({"mechanism_id": list(EVIDENCE),
                               "label": ["Taal is een drempel", "Signalen gaan verloren", "Projecten blijven tijdelijk"],
                               "cases": ["; ".join(sorted(v)) for v in EVIDENCE.values()]})
    evidence = pd.DataFrame([{"mechanism_id": m, "segment_id": f"{m}-{case}-{k}", "case": case}
                             for m, per_case in EVIDENCE.items() for case, n in per_case.items() for k in range(n)])
    return RunTables(documents, segments, themes, matrix, {}, {}, mechanisms, evidence)


def test_plots_are_written_and_byte_identical_across_runs(tmp_path):
    first = plots.write_plots(_tables(), tmp_path / "a")
    second = plots.write_plots(_tables(), tmp_path / "b")
    names = sorted(p.name for p in first)
    assert names == sorted(f"{stem}.{ext}" for stem in ("heatmap", "theme_sizes", "mechanism_spread")
                           for ext in ("png", "svg"))
    for a, b in zip(sorted(first), sorted(second)):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = (tmp_path / "a" / "mechanism_spread.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Taal is een drempel" in svg


def test_mechanism_spread_has_one_dot_per_city_sized_by_evidence(tmp_path, monkeypatch):
    figures = {}
    save = plots._save

    def keep_figure(fig, out_dir, stem):
        figures[stem] = fig
        return save(fig, out_dir, stem)

    monkeypatch.setattr(plots, "_save", keep_figure)
    plots.write_plots(_tables(), tmp_path)
    ax = figures["mechanism_spread"].axes[0]
    dots = {}
    for collection in ax.collections:
        sizes = collection.get_sizes()
        offsets = collection.get_offsets()
        for k, (x, y) in enumerate(np.asarray(offsets)):
            dots[(int(y), int(x))] = float(sizes[k % len(sizes)])
    biggest = max(n for per_case in EVIDENCE.values() for n in per_case.values())
    expected = {}
    for i, per_case in enumerate(EVIDENCE.values()):
        for j, case in enumerate(CASES):
            n = per_case.get(case, 0)
            expected[(i, j)] = 40 + 200 * n / biggest if n else 8.0
    assert dots == expected
    counts = [t.get_text() for t in ax.texts]
    assert counts == [f"{len(v)}/{len(CASES)}" for v in EVIDENCE.values()]


def test_heatmap_colour_bar_counts_in_whole_numbers(tmp_path, monkeypatch):
    """The colour bar is a count of fragments: its ticks are whole numbers (not 0.5, 1.5, ...)."""
    figures = {}
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, out_dir, stem: figures.setdefault(stem, fig) and save(fig, out_dir, stem))
    plots.write_plots(_tables(), tmp_path)
    bar = figures["heatmap"].axes[1]  # the colour bar's own axes
    ticks = [t for t in bar.get_yticks() if 0 <= t <= 3]  # 3: the largest count of the matrix
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks
    svg = (tmp_path / "heatmap.svg").read_text(encoding="utf-8")
    assert not re.search(r">\s*\d+\.\d+\s*<", svg)  # no tick label like '2.5' in the file either


# The Chamber's written answers: the case is the answering minister, under titles up to 150 characters
MINISTERS = [
    "Minister van Justitie",
    "Minister van Financien, belast met Bestrijding van de fiscale fraude",
    "Staatssecretaris voor Armoedebestrijding, Gelijke Kansen, Personen met een beperking, en Wetenschapsbeleid, "
    "belast met Grote Steden, toegevoegd aan de Minister van Veiligheid en Binnenlandse Zaken",
    "Staatssecretaris voor Armoedebestrijding, Gelijke Kansen, Personen met een beperking, en Wetenschapsbeleid, "
    "belast met Grote Steden, toegevoegd aan de minister van Financien",
    "Staatssecretaris voor Asiel en Migratie, belast met Administratieve Vereenvoudiging, toegevoegd aan de "
    "minister van Veiligheid en Binnenlandse Zaken",
]


def test_long_case_names_are_short_distinct_labels_on_the_axes(tmp_path, monkeypatch):
    figures = {}
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, out_dir, stem: figures.setdefault(stem, fig) and save(fig, out_dir, stem))
    tables = _tables()
    renamed = dict(zip(CASES, MINISTERS[1:]))
    tables.documents["case"] = tables.documents["case"].map(renamed)
    tables.matrix = tables.matrix.rename(columns=renamed)
    tables.mechanism_evidence["case"] = tables.mechanism_evidence["case"].map(renamed)
    plots.write_plots(tables, tmp_path)
    for stem in ("heatmap", "mechanism_spread"):
        labels = [t.get_text() for t in figures[stem].axes[0].get_xticklabels()]
        assert len(labels) == 4 and len(set(labels)) == 4, labels
        assert all(len(label) <= 60 for label in labels), labels
        for label, name in zip(labels, sorted(renamed.values())):
            head, _, tail = label.partition(" … ")
            assert name.startswith(head) and name.endswith(tail), (label, name)
    assert short_names(MINISTERS[:1] + ["Gent"]) == ["Minister van Justitie", "Gent"]
