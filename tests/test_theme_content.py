"""Short statements get themes, contentless ones say why not, talk is not a theme, and the range
of automatic k grows with the corpus (issue #11)."""

from __future__ import annotations

import pandas as pd

from pipeline.analysis.themes import ThemeModel, terms_from_tokens
from pipeline.analysis.themes._model import _k_candidates
from pipeline.cli import main
from pipeline.config import NlpConfig, SegmentConfig
from pipeline.corpus import segment
from pipeline.language import parse
from pipeline.store import load_run

from .makers import write_xlsx
from .test_cluster import ONDERWIJS, TAAL, WONEN


def _terms(statements: list[str]) -> tuple[list[str], list[list[str]], dict]:
    text = "\n\n".join(f"Deelnemer: {s}" for s in statements) + "\n"
    docs = pd.DataFrame([{"doc_id": "d", "text": text, "blocks": [], "page_starts": []}])
    segments = segment(docs, SegmentConfig())
    _, tokens = parse(segments, NlpConfig())
    terms, display = terms_from_tokens(tokens)
    ids = list(segments["segment_id"])
    return ids, [terms.get(i, []) for i in ids], terms


def test_a_short_statement_gets_a_theme_and_a_contentless_one_says_why_not(tmp_path, capsys):
    extra = ["Tolken zijn duur.", "Ja.", "Dank u, voorzitter."]
    rows = [["Stad", "Antwoord"]] + [[city, s] for city, s in zip(["Gent", "Genk", "Mechelen"] * 20,
                                                                     WONEN + TAAL + ONDERWIJS + extra)]
    sheet = write_xlsx(tmp_path / "uitspraken.xlsx", rows)
    code = main(["run", "--corpus", str(sheet), "--case-column", "Stad", "--out", str(tmp_path / "out"),
                 "--no-pseudonymise", "--quiet"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    run_dir = tmp_path / "out" / printed.out.strip().splitlines()[-1].rsplit("/", 1)[-1]
    segments = load_run(run_dir).segments.set_index("text")
    theme = segments["theme_id"]
    # the short statement is placed by what it shares: with the other statements about interpreters
    tolk = [s for s in TAAL if "tolk" in s.lower()]
    assert theme["Tolken zijn duur."] == theme[tolk].value_counts().index[0] != ""
    assert theme["Ja."] == "" and segments.at["Ja.", "excluded_reason"] == "geen inhoudswoorden"
    assert theme["Dank u, voorzitter."] == ""
    assert segments.at["Dank u, voorzitter.", "excluded_reason"] == "alleen aanspreking of vergadertaal"
    # every other statement has content, so every other statement has a theme
    assert (theme.drop(["Ja.", "Dank u, voorzitter."]) != "").all()


def test_a_form_of_address_every_case_uses_is_talk_not_a_theme():
    # "minister" is on no list: it is found as talk because it comes with every subject
    statements = [("Mijnheer de minister, " + s[0].lower() + s[1:]) if i % 3 else s
                  for i, s in enumerate(WONEN + TAAL + ONDERWIJS)]
    ids, term_lists, terms = _terms(statements)
    model = ThemeModel(n_themes=3, random_state=1).fit(term_lists)
    # the address form is found as talk; the title it addresses ("Mijnheer de minister, ...") is learnt
    # from the vocatives and is no content term at all (addressed_terms), so it never reaches the model
    assert "mijnheer" in model.talk_terms_
    assert not any("minister" in t for t in term_lists)
    assert not {"woning", "taal", "school"} & model.talk_terms_  # subjects are not talk
    found = model.assign(ids, term_lists)
    themes = model.describe(found, {i: model.content(terms.get(i, [])) for i in ids}, {},
                            pd.Series("Gent", index=ids))
    words = " ".join(themes["top_terms"] + " " + themes["label"])
    assert "minister" not in words and "mijnheer" not in words
    assert "woning" in words and "taal" in words


def test_the_range_of_automatic_k_grows_with_the_corpus():
    highest = [max(_k_candidates(2, "auto", n)) for n in (30, 173, 500, 2780, 20_000)]
    assert highest == sorted(highest) and highest[0] <= 30 // 5 and highest[-1] > 200
    assert 20 < max(_k_candidates(2, "auto", 500)) <= 500 // 5
    assert max(_k_candidates(2, 12, 2780)) == 12  # a number still caps it
    grid = _k_candidates(2, "auto", 20_000)
    assert grid[:39] == list(range(2, 41)) and len(grid) < 80  # above 40 a grid, so large ranges stay fast
