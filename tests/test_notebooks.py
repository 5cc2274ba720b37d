"""The notebooks in notebooks/: committed without outputs, and each runs headless on a demo run.

The demo corpus is analysed once per test session (into a temporary folder); every notebook then
runs in a fresh kernel of this interpreter on its own copy of that run, found through
STADSGENOTEN_OUT, so nothing is written into the project's outputs/. A cell the test appends
reports the notebook's objects as JSON.
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

import pytest

from pipeline import store
from pipeline.notebook import COPIES, ENV_CORPUS, ENV_OUT, ENV_RUN, latest_run, load_tables

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

pytestmark = pytest.mark.long_file  # runs every notebook in a kernel: scheduled first (tests/conftest.py)

PROJECT = Path(__file__).resolve().parent.parent
NOTEBOOKS = PROJECT / "notebooks"
NAMES = ["01_corpus_overzicht", "02_themas", "03_mechanismen", "04_steden_vergelijken", "05_rondes_vergelijken"]
KERNEL = "stadsgenoten-test"
MARK = "__CHECK__"


# --- committed notebooks ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs(name):
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, name
    for cell in code:
        assert cell.outputs == [], f"{name}: cell {cell.id} has outputs; clear them before committing"
        assert cell.execution_count is None, f"{name}: cell {cell.id} has an execution count"
    assert "from pipeline.notebook import latest_run" in code[0].source  # the package API, no copied code
    assert not list(NOTEBOOKS.glob(".ipynb_checkpoints/*")), "checkpoints should not be committed"


# --- running them ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def kernel_path(tmp_path_factory) -> Path:
    """A kernelspec for this interpreter, so the notebooks import the package under test."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "stadsgenoten test", "language": "python"}), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def demo_run(demo_result) -> Path:
    """The session's demo run (tests/conftest.py); notebook tests work on copies of it."""
    return demo_result.run_dir


@pytest.fixture
def run_copy(demo_run, tmp_path) -> Path:
    """A private copy of the demo run, the only run in its folder (notebook 02 writes into it)."""
    target = tmp_path / "runs" / demo_run.name
    shutil.copytree(demo_run, target)
    return target


@pytest.fixture
def notebook_env(run_copy, kernel_path, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_OUT, str(run_copy.parent))
    monkeypatch.delenv(ENV_RUN, raising=False)
    monkeypatch.delenv(ENV_CORPUS, raising=False)
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend shows the figures
    return run_copy


def execute(name: str, check: str, cwd: Path):
    """Run a notebook with a final cell that prints MARK + json of `check` (an expression)."""
    nb = nbformat.read(str(NOTEBOOKS / f"{name}.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"import json as _json\nprint({MARK!r} + _json.dumps({check}, default=str))"))
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=600, allow_errors=False,
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()
    lines = [line for o in nb.cells[-1].outputs if o.output_type == "stream" for line in o.text.splitlines()]
    found = [json.loads(line[len(MARK):]) for line in lines if line.startswith(MARK)]
    assert found, nb.cells[-1].outputs
    return nb, found[0]


def outputs(nb, kind: str | None = None) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if kind is None or kind in o.get("data", {})]


def text_of(nb) -> str:
    parts = []
    for o in outputs(nb):
        parts.append(o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_corpus_overview(notebook_env, tmp_path):
    run_dir = notebook_env
    nb, got = execute("01_corpus_overzicht", '{"run": str(run_dir), "cities": list(fragmenten_per_stad.index), '
                      '"documents": int(documenten_per_stad.loc["totaal", "totaal"]), '
                      '"segments": int(fragmenten_per_stad["fragmenten"].sum())}', tmp_path)
    tables = load_tables(run_dir)
    assert got["run"] == str(run_dir)  # STADSGENOTEN_OUT was honoured
    assert got["cities"] == tables.cases and len(got["cities"]) == 14
    assert got["documents"] == len(tables.documents) and got["segments"] == len(tables.segments)
    assert outputs(nb, "image/png"), "the bar chart is missing"
    assert "Geen: alle bestanden werden gelezen." in text_of(nb)


def test_themes_rename_and_merge_through_the_overrides_file(notebook_env, demo_run, tmp_path):
    run_dir = notebook_env
    before = {p.relative_to(run_dir): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.is_file()}
    nb, got = execute("02_themas", '{"rename": HERNOEM, "merge": SAMENVOEGEN, "werkmap": str(werkmap), '
                      '"themes": list(aangepast.themes["theme_id"])}', tmp_path)
    # the run folder itself is untouched: the notebook writes into its working copy
    after = {p.relative_to(run_dir): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.is_file()}
    assert after == before
    copy = Path(got["werkmap"])
    assert copy == run_dir.parent / COPIES / run_dir.name
    assert got["rename"] and all(label for label in got["rename"].values())
    assert got["merge"], "the demo run has themes that share key phrases: the notebook proposes a merge"
    overrides = (copy / "overrides.yaml").read_text(encoding="utf-8")
    assert all(tid in overrides for tid in got["rename"])

    summary = (copy / "summary.md").read_text(encoding="utf-8")
    report = (copy / "report.html").read_text(encoding="utf-8")
    for tid, label in got["rename"].items():
        assert f"## {tid} · {label}" in summary
        assert html.escape(label) in report
        assert f"{tid} hernoemd tot ‘{html.escape(label)}’" in report
    for group in got["merge"]:
        for gone in group[1:]:
            assert f"## {gone} · " not in summary and f'id="thema-{gone}"' not in report
            assert gone not in got["themes"]
    record = json.loads((copy / "regenerated.json").read_text(encoding="utf-8"))
    assert record["overrides"]["rename"] == got["rename"] and record["overrides"]["merge"] == got["merge"]
    for name in ("segments.csv", "themes.csv", "matrix.csv"):  # the run's own tables stay as they were
        assert (copy / name).read_bytes() == (demo_run / name).read_bytes(), name
    assert outputs(nb, "image/png"), "the heatmap is missing"
    assert latest_run() == run_dir  # a working copy is never taken for a run


def test_mechanisms_notebook_without_mechanisms(notebook_env, tmp_path):
    run_dir = notebook_env
    for name in ("mechanisms.csv", "mechanism_evidence.csv"):  # as runs made before the mechanisms stage
        (run_dir / name).unlink(missing_ok=True)
    nb, got = execute("03_mechanismen", '{"has": HEEFT_MECHANISMEN}', tmp_path)
    assert got == {"has": False}
    assert "Mechanismen: nog niet beschikbaar in deze run" in text_of(nb)


def test_mechanisms_notebook_with_mechanisms(notebook_env, tmp_path):
    import pandas as pd

    run_dir = notebook_env
    tables = load_tables(run_dir)
    seg = tables.segments[tables.segments["theme_id"] != ""]
    first, second = (seg[seg["theme_id"] == t] for t in list(tables.themes["theme_id"])[:2])
    ev1 = pd.concat([first.drop_duplicates("case").head(4), second.drop_duplicates("case").head(2)])
    ev2 = second.drop_duplicates("case").iloc[2:5]
    evidence = pd.concat([ev1.assign(mechanism_id="M01", function="barrier"),
                          ev2.assign(mechanism_id="M02", function="need")])
    mechanisms = pd.DataFrame([
        {"mechanism_id": m, "label": label, "n_cases": rows["case"].nunique(),
         "cases": "; ".join(sorted(rows["case"].unique())), "themes": "; ".join(sorted(rows["theme_id"].unique())),
         "n_segments": len(rows), "example_segment_ids": "; ".join(rows["segment_id"].head(3))}
        for (m, rows), label in zip(evidence.groupby("mechanism_id"),
                                    ["Signalen raken niet tot bij het beleid", "Projecten stoppen met de subsidie"])])
    store.write_csv(mechanisms, run_dir / "mechanisms.csv")
    store.write_csv(evidence[["mechanism_id", "segment_id", "case", "text", "function"]],
                    run_dir / "mechanism_evidence.csv")

    nb, got = execute("03_mechanismen", '{"has": HEEFT_MECHANISMEN, "overview": list(overzicht.index), '
                      '"by_city": int(per_stad.values.sum()), "crossing": int(kruising.values.sum()), '
                      '"chosen": MECHANISME}', tmp_path)
    assert got == {"has": True, "overview": ["M01", "M02"], "by_city": len(evidence), "crossing": len(evidence),
                   "chosen": "M01"}
    text = text_of(nb)
    assert "Signalen raken niet tot bij het beleid" in text and "[drempel] «" in text
    assert "nog niet beschikbaar" not in text
    assert outputs(nb, "image/png"), "the mechanism x city figure is missing"


def test_mechanisms_notebook_with_the_runs_own_mechanisms(notebook_env, tmp_path):
    tables = load_tables(notebook_env)
    if tables.mechanisms is None or tables.mechanisms.empty:
        pytest.skip("the demo run has no mechanisms")
    nb, got = execute("03_mechanismen", '{"has": HEEFT_MECHANISMEN, "overview": list(overzicht.index), '
                      '"crossed": overzicht["thema\'s"].tolist(), "by_city": int(per_stad.values.sum())}', tmp_path)
    assert got["has"] and got["overview"] == list(tables.mechanisms["mechanism_id"])
    assert any(got["crossed"]), "no mechanism crosses a theme: the themes column was not understood"
    if tables.mechanism_evidence is not None and len(tables.mechanism_evidence):
        assert got["by_city"] == len(tables.mechanism_evidence)
    assert tables.mechanisms["label"].iloc[0] in text_of(nb)
    assert outputs(nb, "image/png")


def test_the_notebooks_call_the_cases_by_the_runs_noun(notebook_env, tmp_path):
    # a round whose cases are ministries (run --case-noun ministerie/ministeries) is not told of "steden"
    info_path = notebook_env / "run.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["config"]["corpus"]["case_noun"] = "ministerie/ministeries"
    info_path.write_text(json.dumps(info), encoding="utf-8")
    n = len(load_tables(notebook_env).cases)
    nb, _ = execute("01_corpus_overzicht", "1", tmp_path)
    assert f"documenten uit {n} ministeries" in text_of(nb) and " steden" not in text_of(nb)
    nb, _ = execute("03_mechanismen", "1", tmp_path)
    if load_tables(notebook_env).mechanisms is not None and len(load_tables(notebook_env).mechanisms):
        assert f"van de {n} ministeries" in text_of(nb) and f"van de {n} steden" not in text_of(nb)
    nb, _ = execute("04_steden_vergelijken", "1", tmp_path)
    assert "Ministeries in deze run:" in text_of(nb)


def test_compare_two_cities_and_two_groups(notebook_env, tmp_path):
    nb, got = execute("04_steden_vergelijken", '{"cities": vergelijking.to_dict("index"), '
                      '"groups": vergelijking_groepen.to_dict("index"), "a": STAD_A, "b": STAD_B}', tmp_path)
    tables = load_tables(notebook_env)
    themes = set(tables.themes["theme_id"])
    for table in (got["cities"], got["groups"]):
        assert set(table) == themes
        for side in ("A", "B"):
            assert abs(sum(row[f"% {side}"] for row in table.values()) - 100) < 1
    assigned = tables.segments[tables.segments["theme_id"] != ""]
    n_a = assigned[assigned["case"] == got["a"]].groupby("theme_id").size()
    assert {t: row["fragm. A"] for t, row in got["cities"].items()} == {t: int(n_a.get(t, 0)) for t in themes}
    shares = [abs(row["verschil"]) for row in got["cities"].values()]
    assert shares == sorted(shares, reverse=True)
    assert len(outputs(nb, "image/png")) == 2


# --- pipeline.notebook ---------------------------------------------------------------------------------

def _fake_run(folder: Path, created: str, corpus: str) -> Path:
    folder.mkdir(parents=True)
    store.write_json({"created": created, "config": {"corpus": {"path": corpus}}}, folder / "run.json")
    return folder


def test_latest_run_picks_the_newest_run_of_the_corpus(tmp_path, monkeypatch):
    for name in (ENV_RUN, ENV_OUT, ENV_CORPUS):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "runs"
    old = _fake_run(out / "a", "2024-01-01T10:00:00+00:00", str(tmp_path / "demo"))
    new = _fake_run(out / "b", "2024-02-01T10:00:00+00:00", str(tmp_path / "demo"))
    other = _fake_run(out / "c", "2024-03-01T10:00:00+00:00", str(tmp_path / "ander"))
    _fake_run(out / ".d.partial", "2025-01-01T10:00:00+00:00", str(tmp_path / "demo"))  # unfinished: ignored
    assert latest_run(out) == other
    assert latest_run(out, corpus=tmp_path / "demo") == new
    monkeypatch.setenv(ENV_OUT, str(out))
    monkeypatch.setenv(ENV_CORPUS, str(tmp_path / "demo"))
    assert latest_run() == new
    assert latest_run(corpus=tmp_path / "ander") == other
    assert old.is_dir()


def test_latest_run_makes_a_run_when_there_is_none(tmp_path, monkeypatch, capsys):
    made = []

    class Result:
        run_dir = tmp_path / "runs" / "nieuw"

    def fake_run(config):
        made.append(config)
        return Result()

    monkeypatch.setattr(sys.modules["pipeline.run"], "run", fake_run)
    monkeypatch.delenv(ENV_RUN, raising=False)
    monkeypatch.setenv(ENV_OUT, str(tmp_path / "runs"))
    monkeypatch.setenv(ENV_CORPUS, str(tmp_path / "corpus"))
    assert latest_run() == Result.run_dir
    assert made[0].output.out_dir == str(tmp_path / "runs") and made[0].corpus.path == str(tmp_path / "corpus")
    assert "Nog geen run" in capsys.readouterr().out


def test_load_tables_applies_the_runs_overrides_file(run_copy, monkeypatch):
    original = load_tables(run_copy)
    tid = original.themes["theme_id"].iloc[0]
    (run_copy / "overrides.yaml").write_text(f'rename:\n  {tid}: "Mijn label"\n', encoding="utf-8")
    labels = dict(zip(load_tables(run_copy).themes["theme_id"], load_tables(run_copy).themes["label"]))
    assert labels[tid] == "Mijn label"
    assert load_tables(run_copy, overrides=False).themes["label"].iloc[0] == original.themes["label"].iloc[0]
    monkeypatch.setenv(ENV_RUN, str(run_copy))
    assert latest_run() == run_copy


@pytest.fixture(scope="session")
def compared_run(demo_run, tmp_path_factory) -> Path:
    """The demo corpus again, compared with the session's demo run (the demo's cache: seconds)."""
    from pipeline import load_config, run

    return run(load_config(**{"output.out_dir": str(tmp_path_factory.mktemp("compared-runs")),
                              "output.cache_dir": str(demo_run.parent / ".cache"),
                              "themes.compare_with": str(demo_run)})).run_dir


def test_rounds_notebook_on_two_run_folders(notebook_env, compared_run, demo_run, tmp_path):
    target = notebook_env.parent / compared_run.name  # the newest run in the folder the notebook opens
    shutil.copytree(compared_run, target)
    before = {p.relative_to(demo_run): p.read_bytes() for p in sorted(demo_run.rglob("*")) if p.is_file()}
    nb, got = execute("05_rondes_vergelijken", '{"new": str(nieuw), "earlier": str(vorige_run.run_dir), '
                      '"status": sorted(set(vergelijking["status"])), "thema": THEMA, "n": [len(voor), len(nu)]}',
                      tmp_path)
    assert got["new"] == str(target) and got["earlier"] == str(demo_run)
    assert got["status"] == ["stabiel"]  # the demo against itself
    segments = load_tables(demo_run).segments
    assert got["n"][0] == int((segments["analysed"] & (segments["theme_id"] == got["thema"])).sum())
    assert outputs(nb, "image/png"), "the before/after chart is missing"
    after = {p.relative_to(demo_run): p.read_bytes() for p in sorted(demo_run.rglob("*")) if p.is_file()}
    assert after == before
