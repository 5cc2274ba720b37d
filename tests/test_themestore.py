"""Theme ids across runs, overrides that survive reruns, and coding a new round with a saved model."""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from pipeline import load_config

from pipeline import run
from pipeline.analysis.themes import match_ids

from .makers import SETTINGS, enrich


def _unit(*values):
    v = np.array(values, dtype=float)
    return v / np.linalg.norm(v)


def test_matching_keeps_ids_and_numbers_new_themes_after_the_old_ones():
    old = {"T01": _unit(1, 0, 0, 0), "T02": _unit(0, 1, 0, 0), "T03": _unit(0, 0, 1, 0)}
    # the new run found the same three themes in another order, plus a new one
    new = {"T01": _unit(0, 0.1, 1, 0), "T02": _unit(1, 0.05, 0, 0), "T03": _unit(0, 1, 0, 0), "T04": _unit(0, 0, 0, 1)}
    assert match_ids(new, old) == {"T01": "T03", "T02": "T01", "T03": "T02", "T04": "T04"}
    # a theme that moved too far is new, and gets a number no old theme had
    far = {"T01": _unit(1, 0, 0, 0), "T02": _unit(0.5, 0.5, 0.5, 0.5)}
    assert match_ids(far, old) == {"T01": "T01", "T02": "T04"}


def test_shared_members_decide_when_the_centres_drifted():
    old = {"T01": ["wachtlijst", "schimmel", "vocht"], "T02": ["taal", "drempel"]}
    # the grown corpus pulled the housing theme's terms away from the old ones...
    new = {"T01": ["overtuigd", "buurtfeest", "wachtlijst"], "T02": ["sociaal woning", "huur"]}
    assert match_ids(new, old) == {"T01": "T03", "T02": "T04"}  # too far apart: both new
    # ...but its segments are still the housing segments of the first run: they carry the id
    members = ({"T01": {"a:1", "n:1"}, "T02": {"a:2", "a:3", "n:2"}}, {"T01": {"a:2", "a:3"}, "T02": {"a:1", "a:4"}})
    assert match_ids(new, old, members=members) == {"T01": "T02", "T02": "T01"}


def test_lexical_only_runs_match_on_terms():
    old = {"T01": ["woning", "huur"], "T02": ["taal", "tolk"]}
    new = {"T01": ["taal", "tolk", "klaar taal"], "T02": ["woning", "huur"]}
    assert match_ids(new, old, minimum=0.5) == {"T01": "T02", "T02": "T01"}


@pytest.fixture
def grown(small_corpus, tmp_path):
    corpus = enrich(small_corpus)
    out = tmp_path / "runs"
    first = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(out), **SETTINGS}))
    extra = corpus / "gent" / "gent_tafel2.txt"
    extra.write_text("Buurtwerker: Op het buurtfeest zien we altijd dezelfde mensen, de overtuigden.\n\n"
                     "Maatschappelijk werker: De wachtlijst voor een sociale woning is acht jaar.\n", encoding="utf-8")
    with (corpus / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write("gent/gent_tafel2.txt,Gent,gesprekstafel 2,buurtwerk,2019-11-12\n")
    second = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(out), **SETTINGS}))
    return first, second, corpus, out


def test_theme_ids_stay_stable_when_the_corpus_grows(grown):
    first, second, *_ = grown
    assert second.info["themes_model"]["ids_matched_to"] == first.run_dir.name
    a = first.segments.set_index("segment_id")["theme_id"]
    b = second.segments.set_index("segment_id")["theme_id"]
    common = a.index.intersection(b.index)
    both = (a[common] != "") & (b[common] != "")
    a, b = a[common][both], b[common][both]
    # the best any renaming of the second run's ids could do, from the contingency table
    table = pd.crosstab(a, b)
    rows, cols = linear_sum_assignment(-table.to_numpy())
    best = table.to_numpy()[rows, cols].sum() / len(a)
    kept = (a == b).mean()
    assert best > 0.5 and kept >= 0.9 * best, (kept, best)


def test_overrides_file_in_the_output_folder_survives_reruns(grown):
    first, _, corpus, out = grown
    target = first.themes["theme_id"].iloc[0]
    (out / "overrides.yaml").write_text(f"rename:\n  {target}: Mijn eigen thema\n", encoding="utf-8")
    again = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(out), **SETTINGS}))
    assert again.themes.set_index("theme_id").loc[target, "label"] == "Mijn eigen thema"
    assert "Mijn eigen thema" in (again.run_dir / "summary.md").read_text(encoding="utf-8")
    assert again.info["overrides"]["file"].endswith("overrides.yaml")


def test_a_new_round_is_coded_with_the_saved_model(small_corpus, tmp_path):
    corpus = enrich(small_corpus)
    model_dir = tmp_path / "model-2019"
    first = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(tmp_path / "a"),
                               "themes.save_model": str(model_dir), **SETTINGS}))
    assert (model_dir / "model.pkl").is_file() and (model_dir / "model.json").is_file()
    second = run(load_config(**{"corpus.path": str(corpus), "output.out_dir": str(tmp_path / "b"),
                                "themes.model": str(model_dir), **SETTINGS}))
    assert second.info["themes_model"]["coded_with_model"] == str(model_dir)
    assert list(first.themes["label"]) == list(second.themes["label"])
    assert (first.segments["theme_id"] == second.segments["theme_id"]).all()


def test_an_overrides_line_never_lands_on_another_theme(small_corpus, tmp_path):
    """Issue #13: run 1; the analyst renames one of its themes in <out>/overrides.yaml; run 2
    starts ids afresh with other settings; run 3 uses run 1's settings. Run 2 must not put the
    label on whatever theme now has that id; run 3 gets run 1's ids back and applies it."""
    from pipeline.analysis.themes import load_overrides, same_theme

    corpus, out = enrich(small_corpus), tmp_path / "runs"
    settings = {"corpus.path": str(corpus), "output.out_dir": str(out), **SETTINGS}
    first = run(load_config(**settings))
    with_terms = first.themes[first.themes["top_terms"] != ""]
    target = with_terms["theme_id"].iloc[1]
    terms_first = first.themes.set_index("theme_id").at[target, "top_terms"].split("; ")
    (out / "overrides.yaml").write_text(f"# mijn keuzes\nrename:\n  {target}: Mijn eigen thema\n", encoding="utf-8")

    second = run(load_config(**{**settings, "themes.previous_run": "none", "themes.n_themes": 3}))
    recorded = load_overrides(out / "overrides.yaml")
    assert recorded.themes[target] == tuple(terms_first)  # written for run 1's theme, not run 2's
    assert "# mijn keuzes" in (out / "overrides.yaml").read_text(encoding="utf-8")
    labels = second.themes.set_index("theme_id")["label"]
    if target in labels.index:
        terms_second = second.themes.set_index("theme_id").at[target, "top_terms"].split("; ")
        applied = labels[target] == "Mijn eigen thema"
        assert applied == same_theme(terms_first, terms_second)
        if not applied:
            assert any(f"{target} is geschreven voor het thema" in w for w in second.warnings)

    third = run(load_config(**settings))
    assert third.info["themes_model"]["ids_matched_against"] == [first.run_dir.name]  # run 2 gave ids of its own
    assert third.themes.set_index("theme_id").at[target, "label"] == "Mijn eigen thema"
    a = set(first.segments.loc[first.segments["theme_id"] == target, "segment_id"])
    b = set(third.segments.loc[third.segments["theme_id"] == target, "segment_id"])
    assert len(a & b) / len(a | b) > 0.5  # the same theme under the same id
