"""summary.md says what report.html says, in Markdown: overview, theme x city table, per theme its
description, key phrases, prevalence, quotes, mechanisms and practices, a mechanisms section and a
method appendix; deterministic. And the small helpers the HTML report shares."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from pipeline.analysis.themes import apply_overrides, parse_overrides
from pipeline.outputs import (describe_theme, function_label, prevalence_phrase, quantifier, regenerate, render_html,
                              select_quotes, short_quote, summary_markdown)
from pipeline.store import load_run

from .makers import CITIES, THEMES, make_tables


def section(md: str, heading: str) -> str:
    """The text under a '## ' heading, up to the next '## ' heading."""
    assert f"\n{heading}\n" in md, heading
    return md.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(block: str) -> list[list[str]]:
    rows = [line for line in block.splitlines() if line.startswith("|")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


# --- the helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, total, word", [
    (0, 14, "geen van de steden"), (1, 14, "één stad"), (2, 14, "enkele steden"), (4, 14, "enkele steden"),
    (5, 14, "verschillende steden"), (9, 14, "verschillende steden"), (10, 14, "de meeste steden"),
    (13, 14, "de meeste steden"), (14, 14, "alle steden"), (1, 0, "geen van de steden"),
    # in a small round one city is still one city, never "verschillende steden" or "de meeste steden"
    (1, 2, "één stad"), (1, 3, "één stad"), (2, 3, "verschillende steden"), (3, 3, "alle steden")])
def test_quantifier_words(n, total, word):
    assert quantifier(n, total) == word


def test_one_fragment_is_singular():
    # a theme or mechanism in one fragment read "in 1 fragmenten" in a small round
    tables = make_tables(mechanisms=True)
    tables = replace(tables, themes=tables.themes.assign(n_segments=[1, 6, 6, 4]),
                     mechanisms=tables.mechanisms.assign(n_segments=[1, 2]))
    md = summary_markdown(tables)
    assert "in 1 fragmenten" not in md and ", in 1 fragment." in md
    assert "in 1 fragmenten" not in render_html(tables)


def test_prevalence_phrase():
    assert prevalence_phrase(9, 14) == "in 9 van de 14 steden (verschillende steden)"


def test_function_codes_in_dutch():
    assert [function_label(c) for c in ("barrier", "need", "statement", "oorzaak")] == [
        "drempel", "nood", "vaststelling", "oorzaak"]


def test_short_quote_cuts_at_a_sentence_end():
    assert short_quote("  Kort   en\nbondig. ") == "Kort en bondig."
    long = "Eerste zin is hier. " * 10 + "Laatste."
    cut = short_quote(long, 100)
    assert cut.endswith(".") and len(cut) <= 100
    words = short_quote("woord " * 100, 50)
    assert words.endswith(" …") and len(words) <= 52


def test_a_quote_of_a_long_turn_leaves_out_its_opening_talk():
    # a member's turn in a committee: the opening addresses the chair and says nothing of the theme
    turn = ("Mijnheer de voorzitter, ik sluit mij aan bij de reeds gestelde vragen en zal niet alles nodeloos"
            " herhalen. Het is een goede zaak als landen samenwerken op het vlak van Defensie. Het probleem is wel"
            " dat de Nederlandse marine verantwoordelijk is voor de aankoop van de fregatten. Ik ben benieuwd naar de"
            " leveringstermijn en naar de meerkost van de vertraging voor onze eigen begroting.")
    quote = short_quote(turn, 320, terms=["fregatten", "defensie", "marine"])
    assert quote.startswith("… Het is een goede zaak") and "fregatten" in quote
    # "Voorzitter." alone opens a Dutch member's turn
    assert short_quote("Voorzitter. " + turn[turn.index("Het is"):], 200, terms=["defensie"]).startswith("… Het is")
    # an opening that addresses someone and says the subject stays; so does notes' opening, talk or not
    opening = "Mijnheer de minister, de bouw van de fregatten loopt opnieuw vertraging op. " + turn[turn.index("Het is"):]
    assert short_quote(opening, 320, terms=["fregatten"]).startswith("Mijnheer de minister")
    note = ("Daarom zijn we vorig jaar gestart met de Rechtenverkenner. " + "Alles komt in één keer op tafel. " * 12)
    assert short_quote(note, 320, terms=["tafel"]).startswith("Daarom zijn we")


def test_select_quotes_spreads_over_cities_first():
    segments = pd.DataFrame({
        "segment_id": ["a1", "a2", "a3", "b1", "c1"], "case": ["A", "A", "A", "B", "C"],
        "theme_id": ["T01"] * 5, "theme_score": [0.9, 0.8, 0.7, 0.5, 0.4], "text": list("vwxyz")})
    assert list(select_quotes(segments, "T01", 3)["segment_id"]) == ["a1", "b1", "c1"]
    assert list(select_quotes(segments, "T01", 5)["segment_id"]) == ["a1", "b1", "c1", "a2", "a3"]
    assert select_quotes(segments, "T09").empty


def test_select_quotes_does_not_quote_the_same_words_twice():
    # ministries send one standard answer; the theme's quotes should not repeat it
    standard = ("Het antwoord op deze vraag is het geachte Kamerlid rechtstreeks toegestuurd. Het ligt ter inzage "
                "bij de {} van de Kamer.")
    segments = pd.DataFrame({
        "segment_id": ["a1", "b1", "c1", "c2", "d1"], "case": ["A", "B", "C", "C", "D"], "theme_id": ["T01"] * 5,
        "theme_score": [0.9, 0.85, 0.8, 0.5, 0.4],
        "text": [standard.format("griffie"), standard.format("Griffie"), standard.format("griffie") + " ",
                 "De cijfers over de dienstreizen worden bij de griffie niet apart bijgehouden.",
                 "Gezien het louter documentaire karakter wordt het antwoord niet in het Bulletin opgenomen."]})
    assert list(select_quotes(segments, "T01", 3)["segment_id"]) == ["a1", "c2", "d1"]


# --- the summary from hand-made tables --------------------------------------------------------------

@pytest.fixture
def full():
    return make_tables(mechanisms=True, practices=True)


def test_every_section_of_the_report_is_there(full):
    md = summary_markdown(full)
    assert md.startswith("# Stadsgenoten — thema's over de steden heen\n")
    headings = re.findall(r"^#{2,3} .*$", md, re.M)
    expected = ["## Overzicht", "### Sessies", "### Leeswijzer", "## Thema's per stad"] + \
        [f"## {t} · {label}" for t, (label, _, _) in THEMES.items()] + \
        ["## Mechanismen", "### M01 · Signalen raken niet tot bij het beleid", "### M02 · Projecten stoppen met de subsidie",
         "## Praktijken per stad", "### Gent", "## Bijlage: werkwijze", "### Hoe de thema's tot stand kwamen",
         "### Hoe de mechanismen tot stand kwamen", "### Aanpassingen door de analist", "### Niet geanalyseerde fragmenten", "### Overgeslagen bestanden",
         "### Versies", "### Instellingen"]
    assert headings == expected


def test_overview_names_corpus_cities_sessions_and_counts(full):
    overview = section(summary_markdown(full), "## Overzicht")
    assert f"Analyse van 7 documenten uit 7 steden ({', '.join(CITIES)}), corpus ‘ronde2019’." in overview
    counts = full.info["counts"]
    assert f"Tekstfragmenten: {counts['segments']}, waarvan {counts['analysed']} uitspraken van deelnemers" in overview
    assert f"; {counts['assigned']} horen bij een thema, {counts['unassigned']} bij geen enkel (zie de bijlage" in overview
    # each number said once: all statements had content and all found a theme
    every = {**counts, "clustered": counts["analysed"], "assigned": counts["analysed"], "unassigned": 0}
    overview = section(summary_markdown(replace(full, info={**full.info, "counts": every})), "## Overzicht")
    assert (f"waarvan {counts['analysed']} uitspraken van deelnemers; ze hadden alle genoeg inhoud om in thema's "
            "in te delen en horen alle bij een thema.\n") in overview
    assert overview.count(str(counts["analysed"])) == 1
    assert "Thema's: 4; mechanismen: 2; praktijken: 1." in overview
    assert table_rows(overview.split("### Sessies")[1].split("###")[0]) == [
        ["Soort", "Documenten", "Steden", "Onderwerpen"], ["---", "---:", "---:", "---"],
        ["Gesprekstafels", "4", "4", "Taal en communicatie (3); Samenleven in de buurt (1)"],
        ["Metagesprekken", "2", "2", "—"], ["Schriftelijke antwoorden", "1", "1", "—"]]
    assert "- **de meeste steden**: 5 tot 6" in overview and "- **alle steden**: 7" in overview


def test_theme_by_city_table_has_the_counts(full):
    rows = table_rows(section(summary_markdown(full), "## Thema's per stad"))
    assert rows[0] == ["Thema"] + CITIES + ["steden", "fragm."]
    matrix = full.matrix.set_index("theme_id")
    for row, (tid, (label, cities, _)) in zip(rows[2:], THEMES.items()):
        assert row[0] == f"{tid} · {label}"
        assert row[1:-2] == [str(matrix.at[tid, c]) if matrix.at[tid, c] else "·" for c in CITIES]
        assert row[-2:] == [f"{len(cities)}/7", str(int(matrix.loc[tid].sum()))]
    assert rows[-1][0] == "**Totaal per stad**"
    assert rows[-1][1:-2] == [str(int(matrix[c].sum())) for c in CITIES] and rows[-1][-1] == str(int(matrix.values.sum()))


def test_the_figures_of_the_run_folder_are_linked(full):
    block = section(summary_markdown(full), "## Thema's per stad")
    links = re.findall(r"\]\((plots/[^)]+)\)", block)
    assert links == ["plots/heatmap.svg", "plots/theme_sizes.svg", "plots/mechanism_spread.svg"]
    assert "plots/mechanism_spread.svg" not in summary_markdown(make_tables())  # no mechanisms: not drawn


@pytest.mark.parametrize("theme_id, words", [("T01", "de meeste steden"), ("T02", "verschillende steden"),
                                             ("T03", "enkele steden"), ("T04", "alle steden")])
def test_each_theme_as_in_the_report(full, theme_id, words):
    label, cities, per_city = THEMES[theme_id]
    text = section(summary_markdown(full), f"## {theme_id} · {label}")
    members = full.segments[full.segments["theme_id"] == theme_id]
    assert describe_theme(members) in text
    assert (f"Dit thema komt voor in {len(cities)} van de 7 steden ({words}), in {len(cities) * per_city} fragmenten. "
            f"Steden: {', '.join(sorted(cities))}.") in text
    absent = [c for c in CITIES if c not in cities]
    assert (f"Niet in: {', '.join(absent)}." in text) == bool(absent)
    assert f"Kernwoorden: {label.replace(' · ', ', ')}, extra term." in text
    sources = re.findall(r"^> — (.*)$", text, re.M)
    assert len(sources) == min(3, len(members))
    assert len(re.findall(r"^> «.*»$", text, re.M)) == len(sources)
    ids = dict(zip(members["segment_id"], members["location"]))
    for source in sources:
        case, segment_id = source.removesuffix(" (Maatschappelijk werker)").split(", ")[:2]
        assert case in cities and segment_id.startswith(f"{case.lower()}/{case.lower()}_notities.docx:")
        assert segment_id in ids  # the key of segments.csv, which has the fragment's place in its text
        assert source.endswith(f"{segment_id}{', ' + ids[segment_id] if ids[segment_id] else ''} (Maatschappelijk werker)")


def test_mechanisms_and_practices_per_theme_and_in_their_sections(full):
    md = summary_markdown(full)
    t01 = section(md, f"## T01 · {THEMES['T01'][0]}")
    assert "- M01 · Signalen raken niet tot bij het beleid (5 steden)" in t01
    practice = full.practices.iloc[0]
    assert practice["segment_id"].startswith("gent/gent_notities.docx:")
    assert (f"- **Taalmaatjes** (Gent): Vrijwilligers oefenen Nederlands met nieuwkomers in de bib. — "
            f"{practice['segment_id']}, p. 1\n") in t01  # its segment and that segment's page
    t02 = section(md, f"## T02 · {THEMES['T02'][0]}")
    assert "Geen mechanisme doorkruist dit thema." in t02 and "Bij dit thema werden geen praktijken genoemd." in t02
    t03 = section(md, f"## T03 · {THEMES['T03'][0]}")
    assert "- M01 · " in t03 and "- M02 · Projecten stoppen met de subsidie (2 steden)" in t03

    mechanisms = section(md, "## Mechanismen")
    m01 = mechanisms.split("### M01")[1].split("###")[0]
    assert ("Komt voor in 5 van de 7 steden (de meeste steden), in 6 fragmenten. "
            "Steden: Aalst, Antwerpen, Brugge, Genk, Gent.") in m01
    assert f"Doorkruist de thema's: T01 · {THEMES['T01'][0]}; T03 · {THEMES['T03'][0]}." in m01
    evidence = full.mechanism_evidence
    for ev in evidence.itertuples():
        assert f"- ({ev.function}) «{ev.text}» — {ev.case}, {ev.segment_id}" in m01
    assert "enkele steden" in mechanisms.split("### M02")[1]
    practices = section(md, "## Praktijken per stad")
    assert f"- **Taalmaatjes** (T01 · {THEMES['T01'][0]}): Vrijwilligers oefenen" in practices
    assert f"in de bib. — {full.practices.iloc[0]['segment_id']}, p. 1\n" in practices
    # only the theme quotes are '> — ' lines (tests/test_end_to_end.py counts them)
    n_quotes = sum(min(3, len(c) * n) for _, c, n in THEMES.values())
    assert len(re.findall(r"^> — ", md, re.M)) == n_quotes


def test_function_codes_of_the_evidence_are_shown_in_dutch(full):
    evidence = full.mechanism_evidence.assign(function=["barrier", "statement"])
    mechanisms = section(summary_markdown(replace(full, mechanism_evidence=evidence)), "## Mechanismen")
    assert "- (drempel) «" in mechanisms and "- (vaststelling) «" in mechanisms and "barrier" not in mechanisms


def test_without_mechanisms_and_practices_it_says_so():
    md = summary_markdown(make_tables())
    for tid, (label, _, _) in THEMES.items():
        text = section(md, f"## {tid} · {label}")
        assert "Mechanismen: nog niet beschikbaar in deze run." in text
        assert "Praktijken: nog niet beschikbaar in deze run." in text
    assert section(md, "## Mechanismen").strip() == "Mechanismen: nog niet beschikbaar in deze run."
    assert section(md, "## Praktijken per stad").strip() == "Praktijken: nog niet beschikbaar in deze run."
    assert "mechanismen: nog niet beschikbaar in deze run; praktijken: nog niet beschikbaar in deze run." in md
    empty = replace(make_tables(), mechanisms=pd.DataFrame(columns=["mechanism_id", "label", "n_cases", "cases",
                                                                     "themes", "n_segments", "example_segment_ids"]))
    assert "In deze run werden geen mechanismen gevonden." in summary_markdown(empty)


def test_method_appendix(full):
    appendix = section(summary_markdown(full), "## Bijlage: werkwijze")
    assert "ingelezen (7 van de 8 bestanden)" in appendix
    assert "berekend met de meertalige Universal Sentence Encoder" in appendix
    assert "gegroepeerd in 4 thema's, waarbij het aantal thema's automatisch werd gekozen" in appendix
    assert "De 10% minst typische fragmenten" in appendix
    assert "Geen: de thema's staan zoals de analyse ze vond." in appendix
    mechanisms = section(appendix, "### Hoe de mechanismen tot stand kwamen")
    assert "uit de notities en antwoorden zelf gevonden, zonder codeboek" in mechanisms and "in minstens 3 steden" in mechanisms
    rows = table_rows(appendix)
    assert ["kapot.pdf", "geen tekstlaag", "OCR het bestand eerst"] in rows
    assert ["facilitator", "beurten van de gespreksleider (vragen en samenvattingen, niet de deelnemers)", "7"] in rows
    assert ["past bij geen thema", "ingedeeld maar te ver van elk thema (de minst typische fragmenten)", "1"] in rows
    assert ["python", "3.11.7"] in rows and ["stadsgenoten", "0.1.0"] in rows
    assert ["corpus.path", "…/ronde2019"] in rows and ["themes.n_quotes", "3"] in rows  # no local folders
    assert "/data/stadsgenoten" not in appendix


def test_method_appendix_shows_the_criterion_per_k_and_the_best_k(full):
    # as run.json holds them (keys are strings once read back); a made-up curve, not a real run
    model = {"n_themes": 4, "modularity_by_k": {"2": 0.21, "3": 0.3, "4": 0.29, "5": 0.31, "6": 0.24},
             "criterion_by_k": {"2": 0.26, "3": 0.27, "4": 0.3, "5": 0.28, "6": 0.27},
             "criterion_tolerance": 0.02, "criterion_resamples": 6, "best_k": [5, 4, 3]}
    tables = replace(full, info={**full.info, "themes_model": model})
    part = section(summary_markdown(tables), "## Bijlage: werkwijze").split("### Hoe het aantal thema's gekozen werd\n")[1]
    part = part.split("\n### ")[0]
    assert "automatisch gekozen uit 2 tot 6" in part and "het grootste daarvan werd gekozen: 5 thema's" in part
    assert "(tot 0,020 eronder)" in part and "Andere goede aantallen (hoogste criterium eerst): 4 en 3" in part
    assert "het hele netwerk en 6 netwerken zonder een willekeurig tiende" in part and "run.json" not in part
    rows = table_rows(part)
    assert rows[0] == ["Aantal thema's", "Modulariteit", "Criterium", ""] and len(rows) == 2 + 5
    assert ["5", "0,310", "0,280", "gekozen"] in rows and ["4", "0,290", "0,300", "alternatief"] in rows
    assert ["6", "0,240", "0,270", ""] in rows
    from pipeline.outputs._html import render_html

    html = render_html(tables)
    assert "Hoe het aantal thema's gekozen werd" in html and "<td>0,280</td><td>gekozen</td>" in html
    # a k the analyst gave (or a run from before the criterion): no such section
    assert "Hoe het aantal thema's gekozen werd" not in summary_markdown(full)


def test_method_appendix_shows_the_k_around_the_good_ones_of_a_long_curve(full):
    # 2..54 candidates, as the demo has: the table keeps each good k with three neighbours a side
    ks = range(2, 55)
    model = {"n_themes": 21, "modularity_by_k": {str(k): 0.3 - abs(k - 21) / 200 for k in ks},
             "criterion_by_k": {str(k): 0.3 - abs(k - 21) / 250 for k in ks}, "criterion_tolerance": 0.019,
             "criterion_resamples": 6, "best_k": [21, 10]}
    tables = replace(full, info={**full.info, "themes_model": model})
    part = section(summary_markdown(tables), "## Bijlage: werkwijze").split("### Hoe het aantal thema's gekozen werd\n")[1]
    part = part.split("\n### ")[0]
    shown = [row[0] for row in table_rows(part)[2:]]
    assert shown == ["7", "8", "9", "10", "11", "12", "13", "…", "18", "19", "20", "21", "22", "23", "24"]
    assert "automatisch gekozen uit 2 tot 54" in part and "alle aantallen staan in run.json (themes_model)" in part
    # with few candidates no resampled curves: the plain modularity decides, and the text says so
    few = {"n_themes": 3, "modularity_by_k": {"2": 0.2, "3": 0.3, "4": 0.25}, "criterion_by_k": {"2": 0.2, "3": 0.3, "4": 0.25},
           "criterion_tolerance": 0.0, "criterion_resamples": 0, "best_k": [3]}
    part = section(summary_markdown(replace(full, info={**full.info, "themes_model": few})), "## Bijlage: werkwijze")
    assert "het aantal met de hoogste modulariteit werd gekozen: 3 thema's" in part and "tiende" not in part


def test_deterministic_without_run_id_dates_or_timings(full):
    md = summary_markdown(full)
    assert md == summary_markdown(full)
    for stamp in ("20191231", "2019-12-31", "31 december", "abc123", "4,0 s", "Rekentijd"):
        assert stamp not in md, stamp
    info = {**full.info, "run_id": "20250101T000000-ffffff", "created": "2025-01-01T00:00:00+00:00",
            "seconds": {"ingest": 9.9}, "cache": {"hits": 3, "misses": 0}}
    assert summary_markdown(replace(full, info=info)) == md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_overrides_show_up_as_in_the_report(full):
    overrides = parse_overrides({"rename": {"T01": "Taal als drempel"}, "merge": [["T02", "T03"]], "exclude": ["T04"]},
                                "mijn_overrides.yaml")
    md = summary_markdown(apply_overrides(full, overrides))
    assert re.findall(r"^## (T\d+) · (.*)$", md, re.M) == [("T01", "Taal als drempel"), ("T02", THEMES["T02"][0])]
    assert "*Aangepast door de analist: hernoemd; oorspronkelijk label: taal · brief · klare taal.*" in md
    assert f"*Aangepast door de analist: samengevoegd met T03 ({THEMES['T03'][0]}).*" in md
    appendix = section(md, "## Bijlage: werkwijze")
    assert "Toegepast uit mijn_overrides.yaml:" in appendix
    assert "- T01 hernoemd tot ‘Taal als drempel’" in appendix and "- T03 samengevoegd in T02" in appendix
    assert "- T04 uitgesloten" in appendix and "- 7 fragmenten werden daardoor niet meer toegewezen" in appendix
    assert ["thema uitgesloten door analist", "hoorden bij een thema dat de analist uitsloot", "7"] in table_rows(appendix)


def test_pipes_and_line_breaks_do_not_break_the_tables(full):
    themes = full.themes.copy()
    themes.loc[0, "label"] = "taal | brief\nklare taal"
    md = summary_markdown(replace(full, themes=themes))
    rows = table_rows(section(md, "## Thema's per stad"))
    assert rows[2][0] == "T01 · taal \\| brief klare taal"
    assert {len(r) for r in rows} == {len(CITIES) + 3}


def test_n_quotes_comes_from_the_runs_settings():
    # (was: the older summary_markdown(segments, themes, info, n_quotes) form, now removed)
    tables = make_tables()
    expected = summary_markdown(tables)
    assert len(re.findall(r"^> — ", expected, re.M)) == sum(min(3, len(c) * n) for _, c, n in THEMES.values())
    info = {**tables.info, "config": {**tables.info["config"], "themes": {**tables.info["config"]["themes"],
                                                                          "n_quotes": 1}}}
    one = summary_markdown(replace(tables, info=info))
    assert len(re.findall(r"^> — ", one, re.M)) == len(THEMES)


# --- on a real run ----------------------------------------------------------------------------------

def test_summary_of_a_small_run_is_rendered_from_its_tables(run_dir):
    written = (run_dir / "summary.md").read_text(encoding="utf-8")
    tables = load_run(run_dir)
    assert written == summary_markdown(tables)
    total = len(tables.cases)
    for theme in tables.themes.itertuples():
        text = section(written, f"## {theme.theme_id} · {theme.label}")
        assert f"in {theme.n_cases} van de {total} steden ({quantifier(theme.n_cases, total)})" in text
        assert len(re.findall(r"^> — ", text, re.M)) == min(3, theme.n_segments)
    for heading in ("## Overzicht", "## Thema's per stad", "## Mechanismen", "## Bijlage: werkwijze"):
        assert f"\n{heading}\n" in written
    assert tables.info["run_id"] not in written
    regenerate(run_dir)  # no overrides: the same summary, byte for byte
    assert (run_dir / "summary.md").read_text(encoding="utf-8") == written


def test_a_round_coded_against_an_earlier_rounds_themes_does_not_claim_it_chose_their_number(small_run):
    # demo minus two cities with --compare-with: 'gegroepeerd in 21 thema's, waarbij het aantal thema's
    # automatisch werd gekozen' beside 'gecodeerd met de thema's van de vorige ronde'
    tables = load_run(small_run.run_dir)
    config = {**tables.info["config"], "themes": {**tables.info["config"]["themes"], "n_themes": "auto"}}
    tables = replace(tables, info=dict(tables.info, config=config))
    assert "aantal thema's automatisch werd gekozen" in summary_markdown(tables)
    info = dict(tables.info, themes_model={**tables.info.get("themes_model", {}), "clustering": "vorige ronde",
                                           "compared_with": "/runs/20191201T120000-ronde1"})
    compared = replace(tables, info=info)
    assert "automatisch werd gekozen" not in summary_markdown(compared)
    assert "automatisch werd gekozen" not in render_html(compared)


def test_the_method_says_which_mechanism_codebook_the_analyst_passed():
    from pipeline.outputs._context import _mechanisms_how

    said = _mechanisms_how({"codebook": "/data/codebooks/stadsgenoten_2019_mechanismen.yaml", "min_cases": 4,
                            "min_themes": 2})
    assert "mechanismen-codeboek stadsgenoten_2019_mechanismen.yaml" in said and "/data" not in said
    assert "in minstens 4 steden en onder minstens 2 thema's" in said


def test_a_mechanisms_themes_are_listed_in_theme_order():
    # after "merge: [[T01, T03]]" regenerate rewrites T03 as T01 where it stood, giving "T03; T01":
    # the report lists the themes a mechanism crosses in the order of the themes, as the ids read
    tables = make_tables(mechanisms=True)
    tables = replace(tables, mechanisms=tables.mechanisms.assign(themes=["T03; T01", "T03"]))
    block = section(summary_markdown(tables), "## Mechanismen").split("### M02")[0]
    assert "Doorkruist de thema's: T01 · taal · brief · klare taal; T03 · subsidie · project." in block


def test_the_method_says_why_there_are_more_documents_than_files():
    # the overview counts documents (a spreadsheet of written answers gives one per city), the method files:
    # "56 documenten" beside "43 van de 43 bestanden" needs its reason
    tables = make_tables()
    docs = tables.documents
    answers = docs.iloc[:2].assign(doc_id=["antwoorden.xlsx#Aalst", "antwoorden.xlsx#Antwerpen"],
                                   source_file="antwoorden.xlsx")
    tables = replace(tables, documents=pd.concat([docs.iloc[2:], answers], ignore_index=True))
    tables.info["inputs"] = [f for f in tables.info["inputs"] if f["path"][:5] not in ("aalst", "antwe")] + \
        [{"path": "antwoorden.xlsx", "status": "read"}]
    how = section(summary_markdown(tables), "## Bijlage: werkwijze")
    assert "(6 van de 7 bestanden, samen 7 documenten: een rekenblad met antwoorden uit meerdere steden telt " \
           "per stad als een document)" in how
    assert "(7 van de 8 bestanden)" in section(summary_markdown(make_tables()), "## Bijlage: werkwijze")


def test_the_method_counts_the_files_read_without_one_of_one():
    # one spreadsheet of a ministry's written answers, read whole: '1 bestand', not '1 van de 1 bestanden'
    tables = make_tables()
    docs = tables.documents.assign(doc_id=[f"antwoorden.xlsx#{c}" for c in tables.documents["case"]],
                                   source_file="antwoorden.xlsx")
    tables = replace(tables, documents=docs)
    tables.info["inputs"] = [{"path": "antwoorden.xlsx", "status": "read"}]
    how = section(summary_markdown(tables), "## Bijlage: werkwijze")
    assert f"ingelezen (1 bestand, samen {len(docs)} documenten: een rekenblad" in how and "1 van de 1" not in how
    tables.info["inputs"] = [{"path": f"notities_{i}.docx", "status": "read"} for i in range(3)]
    assert "ingelezen (alle 3 bestanden" in section(summary_markdown(tables), "## Bijlage: werkwijze")


def test_the_method_names_whose_leading_turns_were_left_out():
    # a parliament's transcript: the chair leads, there is no facilitator; the method must not say otherwise
    tables = make_tables()
    assert "Beurten van de gespreksleider, titels" in section(summary_markdown(tables), "## Bijlage: werkwijze")
    segments = tables.segments.assign(excluded_reason=tables.segments["excluded_reason"].replace("facilitator", "voorzitter"))
    chaired = replace(tables, segments=segments)
    assert "Beurten van de voorzitter, titels" in section(summary_markdown(chaired), "## Bijlage: werkwijze")
    assert "Beurten van de voorzitter, titels" in render_html(chaired)
    both = segments.assign(excluded_reason=["facilitator"] + list(segments["excluded_reason"][1:]))
    assert "Beurten van de gespreksleider en de voorzitter, titels" in summary_markdown(replace(tables, segments=both))


def test_a_city_of_which_nothing_was_analysed_is_named_in_the_overview():
    # e.g. a sitting held in French: it counts in "in 2 van de 7 steden" and "niet in: …", where no
    # theme could ever be, so the overview says so and why
    tables = make_tables()
    assert "geen enkel fragment geanalyseerd" not in summary_markdown(tables)
    segments = tables.segments.copy()
    city = CITIES[-1]
    said = (segments["case"] == city) & segments["analysed"]
    segments.loc[said, "excluded_reason"] = "andere taal"
    segments.loc[segments["case"] == city, "analysed"] = False
    n_other = int(said.sum())
    french = replace(tables, segments=segments)
    note = (f"Van 1 stad werd geen enkel fragment geanalyseerd: {city} (andere taal: {n_other}, facilitator: 1). "
            f"Daar kan geen thema voorkomen, maar in 'in … van de 7 steden' telt {city} wel mee.")
    assert f"- {note}\n" in section(summary_markdown(french), "## Overzicht")
    # the French speakers are participants too: the count of participants' statements says it is of Dutch ones
    assert f"uitspraken van deelnemers in het Nederlands ({n_other} in een andere taal, zie de bijlage);" in \
        summary_markdown(french)
    assert "in het Nederlands" not in summary_markdown(tables)
    for text in (summary_markdown(french), render_html(french)):
        assert "titels, de aanwezigheidslijst en uitspraken in een andere taal bleven buiten de analyse" in text
    assert note.replace("'", "&#39;") in render_html(french)


def test_the_method_says_why_theme_numbers_skip_when_they_follow_an_earlier_run():
    tables = make_tables()
    assert "themanummers" not in summary_markdown(tables)  # numbered afresh: nothing to explain
    model = {**tables.info["themes_model"], "ids_matched_to": "20261207T151846-385f48"}
    gap = replace(tables, themes=tables.themes[tables.themes["theme_id"] != "T02"].reset_index(drop=True),
                  info={**tables.info, "themes_model": model})
    how = section(summary_markdown(gap), "### Hoe de thema's tot stand kwamen")
    assert "De themanummers volgen die van een eerdere run van hetzelfde corpus (run.json: ids_matched_to)" in how
    assert "Nummer T02 hoort bij een eerder thema dat in deze run niet voorkomt." in how
    assert "Nummer T02 hoort bij een eerder thema" in render_html(gap)
    # matched without a gap (a rerun finding the same themes): nothing to explain, the same report
    matched = replace(tables, info={**tables.info, "themes_model": model})
    assert summary_markdown(matched) == summary_markdown(tables)


def _setting(md: str, key: str) -> str:
    rows = table_rows(md.split("### Instellingen", 1)[1])
    return next(value for name, value, *_ in rows if name == key)


def test_settings_show_the_known_cases_the_run_had():
    from pipeline.config import CENTRE_CITIES

    tables = make_tables()
    info = {**tables.info, "config": {**tables.info["config"],
                                      "corpus": {**tables.info["config"]["corpus"], "known_cases": list(CENTRE_CITIES)}}}
    cities = replace(tables, info=info)
    assert _setting(summary_markdown(cities), "corpus.known_cases") == \
        ", ".join(CITIES) + f" (en {len(CENTRE_CITIES) - len(CITIES)} andere uit de lijst, niet in deze run)"
    # a run of ministries under the default list of cities does not read as a run of those cities
    ministries = {city: f"Minister van {name}" for city, name in zip(CITIES, ["Justitie", "Defensie", "Financiën",
                                                                           "Pensioenen", "Mobiliteit", "Energie", "Werk"])}
    documents = tables.documents.assign(case=tables.documents["case"].map(ministries))
    shown = _setting(summary_markdown(replace(cities, documents=documents)), "corpus.known_cases")
    assert shown == f"— (geen van de {len(CENTRE_CITIES)} namen in de lijst kwam in deze run voor)"
    assert "Aalst" not in shown and "Aalst" not in render_html(replace(cities, documents=documents)).split("Instellingen")[-1]
    # no list at all (corpus.known_cases: [])
    info["config"]["corpus"]["known_cases"] = []
    assert _setting(summary_markdown(replace(tables, info=info)), "corpus.known_cases") == "—"
