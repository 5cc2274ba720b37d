"""report.html: sections, Dutch quantifiers, quotes with city and file, offline, escaped, stable."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pandas as pd
import pytest

from pipeline.outputs import NOT_AVAILABLE, describe_theme, render_html, report_context
from pipeline.outputs._context import heat_colour

from .makers import THEMES, make_tables


def theme_article(html: str, theme_id: str) -> str:
    match = re.search(rf'<article class="theme" id="thema-{theme_id}">(.*?)</article>', html, re.S)
    assert match, f"no article for {theme_id}"
    return match.group(1)


def test_all_sections_are_present_in_dutch():
    html = render_html(make_tables())
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    for section in ("overzicht", "thema-per-stad", "themas", "mechanismen", "praktijken", "werkwijze"):
        assert f'<section id="{section}"' in html, section
    for heading in ("Overzicht", "Thema's per stad", "Mechanismen", "Praktijken per stad", "Bijlage: werkwijze",
                    "Overgeslagen bestanden", "Niet geanalyseerde fragmenten", "Versies", "Instellingen"):
        assert heading in html, heading
    for tid in THEMES:
        assert f'id="thema-{tid}"' in html
    assert "20191231T120000-abc123" in html and "31 december 2019" in html
    assert "kapot.pdf" in html and "geen tekstlaag" in html and "OCR het bestand eerst" in html


@pytest.mark.parametrize("theme_id, words, n", [
    ("T01", "de meeste steden", 6), ("T02", "verschillende steden", 3), ("T03", "enkele steden", 2),
    ("T04", "alle steden", 7)])
def test_prevalence_uses_dutch_quantifier_words(theme_id, words, n):
    article = theme_article(render_html(make_tables()), theme_id)
    assert f"in {n} van de 7 steden ({words})" in article
    assert f"{words.capitalize()} · {n}/7" in article


def test_quotes_carry_city_and_source_file():
    html = render_html(make_tables())
    article = theme_article(html, "T03")
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", article, re.S)
    assert len(quotes) == 2  # one per city, the theme has two segments
    for quote in quotes:
        case = re.search(r'<span class="case">(.*?)</span>', quote).group(1)
        assert case in ("Gent", "Genk")
        assert f"{case.lower()}/{case.lower()}_notities.docx" in quote
        assert f"In {case} zeggen we over subsidie" in quote
    assert "p. 1" in article  # location of the Gent segment


def test_description_is_derived_from_sessions_and_cities():
    tables = make_tables()
    members = tables.segments[tables.segments["theme_id"] == "T01"]
    text = describe_theme(members)
    assert text == ("Komt vooral aan bod aan gesprekstafels (8 fragmenten, meestal aan tafels over "
                    "‘Taal en communicatie’), daarnaast in metagesprekken (2) en in schriftelijke antwoorden (2); "
                    "gelijk verspreid over 6 steden.")
    single = describe_theme(members[members["case"] == "Genk"])
    assert single.startswith("Komt alleen aan bod aan gesprekstafels (2 fragmenten, alle aan tafels over "
                             "‘Samenleven in de buurt’)")
    assert "alleen in Genk" in single
    skewed = pd.concat([members, members[members["case"] == "Gent"].assign(segment_id=lambda d: d["segment_id"] + "b")])
    assert "sterkst aanwezig in Gent (4 fragmenten)" in describe_theme(skewed)
    assert "sterkst" not in describe_theme(members.assign(session=""))
    assert describe_theme(members.iloc[:0]).startswith("Na de aanpassingen")


def test_a_run_of_one_session_kind_says_where_only_when_table_topics_add_something():
    members = make_tables().segments.query("theme_id == 'T01'")
    written = members.assign(session="schriftelijke antwoorden")
    assert describe_theme(written).startswith("Komt alleen aan bod in schriftelijke antwoorden")
    assert describe_theme(written, one_kind=True) == describe_theme(written.assign(session="")) == "Gelijk verspreid over 6 steden."
    tables = members.assign(session="gesprekstafel 2: Samenleven in de buurt")
    assert "alle aan tafels over ‘Samenleven in de buurt’" in describe_theme(tables, one_kind=True)


def test_no_external_resources_or_urls():
    html = render_html(make_tables(mechanisms=True, practices=True))
    assert not re.search(r"https?:|ftp:|//[a-z0-9]", html, re.I)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"@import|url\(|@font-face", html, re.I)
    # the only things loaded are the run's own figures, relative to the run folder
    sources = re.findall(r"\bsrc=\"([^\"]*)\"", html)
    assert len(sources) == len(re.findall(r"\bsrc=", html)) == html.count("<img")
    assert set(sources) == {"plots/heatmap.svg", "plots/theme_sizes.svg", "plots/mechanism_spread.svg"}
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src 'none'" in policy and "img-src 'self' data:;" in policy


def test_figures_of_the_run_folder_are_shown_where_they_belong():
    html = render_html(make_tables(mechanisms=True, practices=True))
    by_section = dict(re.findall(r'<section id="([^"]+)"(.*?)</section>', html, re.S))
    assert re.findall(r'<img src="([^"]+)"', by_section["thema-per-stad"]) == ["plots/heatmap.svg",
                                                                               "plots/theme_sizes.svg"]
    assert re.findall(r'<img src="([^"]+)"', by_section["mechanismen"]) == ["plots/mechanism_spread.svg"]
    assert '<a href="plots/heatmap.png">PNG</a>' in by_section["thema-per-stad"]
    # without mechanisms no figure of them is drawn (pipeline.outputs._plots), so none is linked
    assert "mechanism_spread" not in render_html(make_tables())


def test_every_quote_and_practice_names_its_segment_and_place():
    tables = make_tables(mechanisms=True, practices=True)
    segments = tables.segments.set_index("segment_id")
    html = render_html(tables)
    sources = re.findall(r'<span class="src" title="fragment in segments.csv">(.*?)</span>', html)
    practices = re.findall(r'<p class="src" title="fragment in segments.csv">(.*?)</p>', html)
    assert len(sources) == html.count("<blockquote>") and len(practices) == 2  # under T01 and under Gent
    for source in sources + practices:
        segment_id, _, location = source.partition(", ")
        assert segment_id in segments.index, source  # the key of segments.csv, with the file in it
        assert location == segments.at[segment_id, "location"], source
    assert "gent/gent_notities.docx:" in practices[0] and practices[0].endswith(", p. 1")


def test_cities_tied_with_the_last_one_named_are_named_too():
    tables = make_tables()
    members = tables.segments[tables.segments["theme_id"] == "T04"]  # every city, two fragments each
    extra = members[members["case"].isin(["Gent", "Genk", "Brugge", "Aalst"])]
    tied = pd.concat([members, extra.assign(segment_id=extra["segment_id"] + "b"),
                      extra[extra["case"] == "Gent"].assign(segment_id=lambda d: d["segment_id"] + "c")])
    # Gent 3, then Aalst, Brugge and Genk 2 each: naming two of the three would hide one for no reason
    assert "sterkst aanwezig in Gent (3 fragmenten), Aalst (2), Brugge (2) en Genk (2)." in describe_theme(tied)
    untied = pd.concat([members, extra[extra["case"] == "Gent"].assign(segment_id=lambda d: d["segment_id"] + "b")])
    assert describe_theme(untied).endswith("sterkst aanwezig in Gent (2 fragmenten).")


def test_no_unassigned_fragments_is_said_plainly():
    tables = make_tables()
    counts = tables.info["counts"]
    html = unescape(render_html(tables))
    assert f"{counts['assigned']} horen bij een thema, {counts['unassigned']} bij geen enkel" in html
    none_left = replace(tables, info={**tables.info, "counts": {**counts, "unassigned": 0}})
    html = unescape(render_html(none_left))
    assert (f"zijn er {counts['analysed']} uitspraken van deelnemers; ze hadden alle genoeg inhoud om in thema's in te "
            "delen en horen alle bij een thema.") in " ".join(html.split())
    assert "0 bij geen enkel" not in html


def test_quote_text_is_escaped():
    tables = make_tables()
    segments = tables.segments.copy()
    i = segments.index[segments["theme_id"] == "T03"][0]
    segments.loc[i, "text"] = 'Zie <script>alert("x")</script> & <b>vet</b>'
    segments.loc[i, "speaker"] = "<i>Brugfiguur</i>"
    html = render_html(replace(tables, segments=segments))
    assert "<script" not in html and "<b>vet</b>" not in html and "<i>Brugfiguur" not in html
    assert "Zie &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html
    assert "&lt;i&gt;Brugfiguur&lt;/i&gt;" in html


def test_theme_labels_and_terms_are_escaped():
    tables = make_tables()
    themes = tables.themes.copy()
    themes.loc[0, "label"] = "taal <em>en</em> tolken"
    themes.loc[0, "top_terms"] = "taal; <u>tolk</u>"
    html = render_html(replace(tables, themes=themes))
    assert "<em>en</em>" not in html and "<u>tolk</u>" not in html
    assert "taal &lt;em&gt;en&lt;/em&gt; tolken" in html


def test_mechanisms_and_practices_say_not_available_when_absent():
    html = render_html(make_tables())
    assert f"Mechanismen: {NOT_AVAILABLE}." in html
    assert f"Praktijken: {NOT_AVAILABLE}." in html
    assert f"Mechanismen en praktijken: {NOT_AVAILABLE}." in theme_article(html, "T01")
    assert 'class="practice"' not in html


def test_mechanisms_and_practices_render_when_present():
    html = render_html(make_tables(mechanisms=True, practices=True))
    assert NOT_AVAILABLE not in html
    mechanisms = re.search(r'<section id="mechanismen">(.*?)</section>', html, re.S).group(1)
    assert 'id="mechanisme-M01"' in mechanisms and "Signalen raken niet tot bij het beleid" in mechanisms
    assert "in 5 van de 7 steden (de meeste steden)" in mechanisms
    assert "in 2 van de 7 steden (enkele steden)" in mechanisms
    assert '<span class="function">oorzaak</span>' in mechanisms
    assert 'href="#thema-T01"' in mechanisms and 'href="#thema-T03"' in mechanisms
    t01, t02, t03 = (theme_article(html, t) for t in ("T01", "T02", "T03"))
    assert 'href="#mechanisme-M01"' in t01 and 'href="#mechanisme-M02"' not in t01
    assert 'href="#mechanisme-M01"' in t03 and 'href="#mechanisme-M02"' in t03
    assert "Geen mechanisme doorkruist dit thema." in t02
    assert '<div class="practice">' in t01 and "Taalmaatjes" in t01 and "gent/gent_notities.docx" in t01
    assert "Bij dit thema werden geen praktijken genoemd." in t02
    practices = re.search(r'<section id="praktijken">(.*?)</section>', html, re.S).group(1)
    assert "<h4>Gent</h4>" in practices and "Taalmaatjes" in practices


def test_mechanism_quotes_fall_back_to_example_segments():
    tables = make_tables(mechanisms=True)
    html = render_html(replace(tables, mechanism_evidence=None))
    mechanisms = re.search(r'<section id="mechanismen">(.*?)</section>', html, re.S).group(1)
    assert mechanisms.count("<blockquote>") == 2  # M01's two example segments, M02 has none


def test_heatmap_counts_and_colours():
    tables = make_tables()
    context = report_context(tables)
    rows = {r["id"]: r for r in context["heatmap"]["rows"]}
    assert [c["value"] for c in rows["T01"]["cells"]] == [2, 2, 2, 2, 2, 2, 0]
    assert context["heatmap"]["totals"] == [4, 4, 4, 4, 4, 3, 1]
    assert heat_colour(0, 2) == ("#ffffff", "#9aa5b1")
    dark, light = heat_colour(2, 2), heat_colour(1, 10)
    assert dark[1] == "#ffffff" and light[1] != "#ffffff"
    html = render_html(tables)
    heat = re.search(r'<table class="heat".*?</table>', html, re.S).group(0)
    assert heat.count('<th class="city"') == 7 and heat.count('<td class="cell') == 28


def test_same_tables_render_identically():
    assert render_html(make_tables(True, True)) == render_html(make_tables(True, True))


def test_empty_run_renders():
    tables = make_tables()
    empty = replace(tables, themes=tables.themes.iloc[:0], matrix=tables.matrix.iloc[:0],
                    segments=tables.segments.assign(theme_id="", theme_label=""))
    html = render_html(empty)
    assert "Deze run heeft geen thema's." in unescape(html)  # the message is escaped text now ('&#39;')


def test_no_local_folders_in_the_report(tmp_path):
    tables = make_tables()
    tables.info["overrides"] = {"file": "/home/analist/geheim/overrides.yaml", "rename": {"T01": "Taal"}}
    tables.info["warnings"] = ["/data/stadsgenoten/ronde2019/gent/x.docx: lege pagina's overgeslagen",
                               "/data/stadsgenoten/ronde2019: geen manifest"]
    html = render_html(tables)
    assert "gent/x.docx: lege pagina&#39;s overgeslagen" in html and "ronde2019: geen manifest" in html
    assert "/data/stadsgenoten" not in html and "/home/analist" not in html
    assert "…/ronde2019" in html and "overrides.yaml" in html


def test_heatmap_total_row_agrees_with_the_summary():
    # summary.md closes the table with the number of fragments in a theme; the report showed an empty cell
    tables = make_tables()
    html = render_html(tables)
    foot = re.search(r'<table class="heat".*?<tfoot>(.*?)</tfoot>', html, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", foot)
    assert cells[-1] == str(int(tables.matrix.drop(columns="theme_id").values.sum()))
    assert cells[:-2] == [str(t) for t in report_context(tables)["heatmap"]["totals"]]
    # the caption names the dot the empty cells show
    caption = re.search(r'<section id="thema-per-stad">.*?<p>(.*?)</p>', html, re.S).group(1)
    assert "·" in caption and "lege cel" not in caption


def test_mechanisms_show_their_id_as_themes_do():
    # segments.csv (mechanism_ids) and summary.md name mechanisms M01, M02 …; the report showed only labels
    tables = make_tables(mechanisms=True)
    html = render_html(tables)
    section = re.search(r'<section id="mechanismen">(.*?)</section>', html, re.S).group(1)
    headings = re.findall(r"<h3>(.*?)</h3>", section, re.S)
    ids = list(tables.mechanisms["mechanism_id"])
    assert len(headings) == len(ids) and all(f'<span class="tid">{m}</span>' in h for m, h in zip(ids, headings))
    themes = re.search(r'<section id="themas">(.*?)</section>', html, re.S).group(1)
    for chip in re.findall(r'<ul class="chips">(.*?)</ul>', themes, re.S):
        assert all(re.match(r'<a href="#[^"]+"><span class="tid">M\d\d</span>', a)
                   for a in re.findall(r"<li>(.*?)</li>", chip))


def test_the_vgc_takes_its_article_in_a_sentence():
    # Brussels' VGC is an institution, not a city: "sterkst aanwezig in de VGC", "alleen in de VGC"
    members = make_tables().segments
    members = members[members["theme_id"] == "T04"]
    vgc = members.assign(case="VGC")
    assert describe_theme(vgc).endswith("alleen in de VGC (" + f"{len(vgc)} fragmenten).")
    skewed = pd.concat([members, vgc, vgc.assign(segment_id=vgc["segment_id"] + "b")])
    assert "sterkst aanwezig in de VGC (" in describe_theme(skewed)
    assert "in Gent" in describe_theme(members[members["case"] == "Gent"])  # a city takes none
