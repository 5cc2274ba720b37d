"""report.html: sections, Dutch quantifiers, quotes with city and file, offline, escaped, stable."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from pipeline.outputs._html import NOT_AVAILABLE, describe_theme, heat_colour, render_html, report_context
from pipeline.store import RunTables

CITIES = ["Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Leuven", "Mechelen"]
SESSIONS = {"Aalst": "gesprekstafel 1: Taal en communicatie", "Antwerpen": "metagesprek",
            "Brugge": "gesprekstafel 1: Taal en communicatie", "Genk": "gesprekstafel 2: Samenleven in de buurt",
            "Gent": "gesprekstafel 1: Taal en communicatie", "Leuven": "schriftelijke antwoorden",
            "Mechelen": "metagesprek"}
# theme -> (label, cities it occurs in, segments per city)
THEMES = {
    "T01": ("taal · brief · klare taal", CITIES[:6], 2),      # 6 of 7: de meeste steden
    "T02": ("wachtlijst · huisvesting", CITIES[:3], 1),        # 3 of 7: verschillende steden
    "T03": ("subsidie · project", ["Gent", "Genk"], 1),         # 2 of 7: enkele steden
    "T04": ("buurt · wijkagent", CITIES, 1),                    # 7 of 7: alle steden
}


def make_tables(mechanisms: bool = False, practices: bool = False) -> RunTables:
    """Small hand-made run tables: seven cities, four themes, one facilitator turn per city."""
    documents = pd.DataFrame({
        "doc_id": [f"{c.lower()}/{c.lower()}_notities.docx" for c in CITIES],
        "case": CITIES, "case_raw": CITIES, "session": [SESSIONS[c] for c in CITIES],
        "role": ["frontlijnwerkers"] * len(CITIES), "date": ["2019-10-01"] * len(CITIES),
        "source_file": [f"{c.lower()}/{c.lower()}_notities.docx" for c in CITIES],
        "format": ["docx"] * len(CITIES), "sha256": ["0" * 64] * len(CITIES),
        "n_chars": [1000] * len(CITIES), "text_file": [f"texts/{c.lower()}.txt" for c in CITIES],
    })
    rows = []
    index = {c: 0 for c in CITIES}

    def add(case, text, theme_id="", score=0.0, analysed=True, reason="", speaker="Maatschappelijk werker"):
        doc = f"{case.lower()}/{case.lower()}_notities.docx"
        i = index[case]
        index[case] += 1
        rows.append({
            "segment_id": f"{doc}:{i:04d}", "doc_id": doc, "case": case, "session": SESSIONS[case],
            "role": "frontlijnwerkers", "source_file": doc, "start_char": i * 100, "end_char": i * 100 + len(text),
            "text": text, "theme_id": theme_id, "theme_score": score,
            "theme_label": THEMES[theme_id][0] if theme_id else "", "theme_2": "", "theme_2_score": 0.0,
            "kind": "turn", "speaker": speaker, "prompt": "", "page": 0, "location": "p. 1" if case == "Gent" else "",
            "analysed": analysed, "excluded_reason": reason,
        })

    for case in CITIES:
        add(case, "Wat valt jullie op?", analysed=False, reason="facilitator", speaker="Facilitator")
    for tid, (label, cities, per_city) in THEMES.items():
        for rank, case in enumerate(cities):
            for k in range(per_city):
                add(case, f"In {case} zeggen we over {label.split(' · ')[0]} dit: fragment {k + 1} van {tid}.",
                    tid, round(0.9 - 0.05 * rank - 0.01 * k, 4))
    add("Gent", "Een fragment dat nergens bij past, over iets heel anders.", reason="past bij geen thema")
    segments = pd.DataFrame(rows)

    themes = pd.DataFrame({
        "theme_id": list(THEMES),
        "label": [v[0] for v in THEMES.values()],
        "top_terms": [v[0].replace(" · ", "; ") + "; extra term" for v in THEMES.values()],
        "n_segments": [len(v[1]) * v[2] for v in THEMES.values()],
        "n_cases": [len(v[1]) for v in THEMES.values()],
        "cases": ["; ".join(sorted(v[1])) for v in THEMES.values()],
    })
    assigned = segments[segments["theme_id"] != ""]
    matrix = pd.crosstab(assigned["theme_id"], assigned["case"]).reindex(
        index=list(THEMES), columns=CITIES, fill_value=0).astype("int64")
    matrix.index.name = "theme_id"
    matrix.columns.name = None
    matrix = matrix.reset_index()
    n_analysed = int(segments["analysed"].sum())
    info = {
        "run_id": "20191231T120000-abc123",
        "created": "2019-12-31T12:00:00+00:00",
        "config": {"corpus": {"path": "/data/stadsgenoten/ronde2019"}, "themes": {"n_quotes": 3, "n_themes": "auto",
                                                                                   "outlier_quantile": 0.1},
                   "embed": {"backend": "use"}, "seed": 13},
        "versions": {"python": "3.11.7", "stadsgenoten": "0.1.0"},
        "inputs": [{"path": d, "status": "read"} for d in documents["source_file"]]
        + [{"path": "kapot.pdf", "status": "skipped"}],
        "skipped": [{"file": "kapot.pdf", "reason": "geen tekstlaag", "fix": "OCR het bestand eerst"}],
        "warnings": [],
        "counts": {"documents": len(documents), "cases": len(CITIES), "segments": len(segments),
                   "analysed": n_analysed, "clustered": n_analysed, "assigned": len(assigned),
                   "unassigned": n_analysed - len(assigned), "themes": len(THEMES)},
        "seconds": {"ingest": 1.0, "cluster": 2.5, "total_before_write": 4.0},
        "themes_model": {"n_themes": 4},
    }
    tables = RunTables(documents=documents, segments=segments, themes=themes, matrix=matrix, info=info,
                       texts={d: "" for d in documents["doc_id"]})
    if mechanisms:
        t01 = segments[segments["theme_id"] == "T01"]
        tables = replace(tables, mechanisms=pd.DataFrame({
            "mechanism_id": ["M01", "M02"],
            "label": ["Signalen raken niet tot bij het beleid", "Projecten stoppen met de subsidie"],
            "n_cases": [5, 2], "cases": ["Aalst; Antwerpen; Brugge; Genk; Gent", "Genk; Gent"],
            "themes": ["T01; T03", "T03"], "n_segments": [6, 2],
            "example_segment_ids": [";".join(t01["segment_id"].head(2)), ""],
        }), mechanism_evidence=pd.DataFrame({
            "mechanism_id": ["M01", "M01"],
            "segment_id": list(t01["segment_id"].head(2)),
            "case": list(t01["case"].head(2)),
            "text": list(t01["text"].head(2)),
            "function": ["oorzaak", "gevolg"],
        }))
    if practices:
        seg = segments[segments["theme_id"] == "T01"].iloc[0]
        tables = replace(tables, practices=pd.DataFrame({
            "practice": ["Taalmaatjes"], "case": ["Gent"], "theme_id": ["T01"],
            "source_file": ["gent/gent_notities.docx"], "segment_id": [seg["segment_id"]],
            "text": ["Vrijwilligers oefenen Nederlands met nieuwkomers in de bib."],
        }))
    return tables


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
                    "‘Taal en communicatie’), in metagesprekken (2) en in schriftelijke antwoorden (2); "
                    "gelijk verspreid over 6 steden.")
    single = describe_theme(members[members["case"] == "Genk"])
    assert single.startswith("Komt alleen aan bod aan gesprekstafels (2 fragmenten, alle aan tafels over "
                             "‘Samenleven in de buurt’)")
    assert "alleen in Genk" in single
    skewed = pd.concat([members, members[members["case"] == "Gent"].assign(segment_id=lambda d: d["segment_id"] + "b")])
    assert "sterkst aanwezig in Gent (4 fragmenten)" in describe_theme(skewed)
    assert "sterkst" not in describe_theme(members.assign(session=""))
    assert describe_theme(members.iloc[:0]).startswith("Na de aanpassingen")


def test_no_external_resources_or_urls():
    html = render_html(make_tables(mechanisms=True, practices=True))
    assert not re.search(r"https?:|ftp:|//[a-z0-9]", html, re.I)
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"@import|url\(|@font-face|\bsrc=", html, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


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
    assert "Deze run heeft geen thema's." in html


def test_no_local_folders_in_the_report(tmp_path):
    tables = make_tables()
    tables.info["overrides"] = {"file": "/home/analist/geheim/overrides.yaml", "rename": {"T01": "Taal"}}
    tables.info["warnings"] = ["/data/stadsgenoten/ronde2019/gent/x.docx: lege pagina's overgeslagen",
                               "/data/stadsgenoten/ronde2019: geen manifest"]
    html = render_html(tables)
    assert "gent/x.docx: lege pagina&#39;s overgeslagen" in html and "ronde2019: geen manifest" in html
    assert "/data/stadsgenoten" not in html and "/home/analist" not in html
    assert "…/ronde2019" in html and "overrides.yaml" in html
