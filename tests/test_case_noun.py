"""What the outputs call the cases (corpus.case_noun, `run --case-noun`): the Chamber's written
answers are per ministry, not per city; report.html, summary.md, the workbook and the .qdpx say
so, `regenerate` keeps the run's choice, and the default stays "stad/steden"."""

from __future__ import annotations

import html
import json
import re
import zipfile

import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.outputs import prevalence_phrase, quantifier
from pipeline.outputs._wording import CaseNoun, listing

from .makers import write_xlsx

# Written answers in the style of federal ministers' answers to parliamentary questions, under the
# ministers' titles as the Chamber lists them (commas included)
MINISTRIES = {
    "Minister van Financiën, belast met Bestrijding van de fiscale fraude": [
        "De cijfers over de fiscale regularisatie worden niet per gewest bijgehouden.",
        "De administratie beschikt niet over statistieken per sector van de belastingplichtigen.",
        "Het aantal controles bij kleine ondernemingen is de voorbije jaren gedaald door een tekort aan personeel.",
        "De digitalisering van de aangifte heeft de wachttijden aan de loketten verminderd.",
        "Voor ouderen zonder computer blijft de papieren aangifte een drempel.",
        "De invordering van fiscale schulden verloopt trager omdat de procedures complex zijn.",
        "De taks op effectenrekeningen bracht minder op dan geraamd.",
        "Er is geen aparte registratie van de klachten over de belastingdiensten.",
        "De opleiding van nieuwe controleurs duurt twee jaar, waardoor de vacatures niet snel ingevuld raken.",
        "Een evaluatie van de hervorming volgt na afloop van het aanslagjaar.",
        "De gegevens over de btw-fraude in de bouwsector zijn nog niet beschikbaar.",
    ],
    "Minister van Veiligheid en Binnenlandse Zaken, belast met de Regie der Gebouwen": [
        "De politiezones melden een tekort aan inspecteurs, vooral in de grote steden.",
        "De cijfers over de interventietijden worden niet centraal bijgehouden.",
        "Het aantal aanvragen voor een elektronische identiteitskaart is sterk gestegen.",
        "De wachttijden aan de loketten van de gemeenten zijn daardoor opgelopen.",
        "Voor mensen die het Nederlands of Frans niet beheersen, blijft de taal een drempel aan het loket.",
        "De opleiding van nieuwe inspecteurs duurt lang, waardoor de tekorten aanhouden.",
        "De brandweerzones vragen meer middelen voor de aankoop van materieel.",
        "Er is geen registratie van het aantal oproepen dat onbeantwoord blijft.",
        "De hervorming van de civiele bescherming wordt volgend jaar geëvalueerd.",
        "De digitalisering van het rijksregister maakt snellere controles mogelijk.",
        "De gegevens over geweld tegen hulpverleners zijn nog niet volledig.",
    ],
    "Minister van Sociale Zaken en Volksgezondheid": [
        "De cijfers over de wachttijden in de ziekenhuizen worden niet per provincie bijgehouden.",
        "Er is een tekort aan huisartsen in landelijke gebieden.",
        "Het aantal patiënten met een chronische aandoening is de voorbije jaren gestegen.",
        "Voor patiënten die de taal niet spreken, blijft de communicatie met de zorgverleners een drempel.",
        "De opleiding van nieuwe verpleegkundigen duurt lang, waardoor de tekorten in de ziekenhuizen aanhouden.",
        "De digitalisering van het voorschrift heeft de administratie van de apothekers verminderd.",
        "Er is geen centrale registratie van de medische fouten.",
        "De terugbetaling van psychologische zorg wordt na twee jaar geëvalueerd.",
        "De gegevens over het gebruik van antibiotica in de thuiszorg zijn nog niet beschikbaar.",
        "De ziekenhuizen vragen meer middelen voor de aankoop van medische apparatuur.",
        "Het aantal vaccinaties bij kinderen bleef stabiel.",
    ],
}


def _sheet(tmp_path):
    rows = [["Departement", "Antwoord"]] + [[m, a] for m, answers in MINISTRIES.items() for a in answers]
    return write_xlsx(tmp_path / "antwoorden.xlsx", rows)


def _words(text: str) -> set[str]:
    """The words a reader sees (the anchors, such as #thema-per-stad, stay as they are)."""
    return set(re.findall(r"\w+", html.unescape(re.sub(r"<[^>]*>", " ", text)).lower()))


@pytest.fixture(scope="module")
def ministry_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("ministeries")
    out = tmp_path / "out"
    code = main(["run", "--corpus", str(_sheet(tmp_path)), "--case-column", "Departement", "--out", str(out),
                 "--embeddings", "none", "--no-pseudonymise", "--quiet", "--case-noun", "ministerie/ministeries"])
    assert code == 0
    return next(p for p in out.iterdir() if (p / "run.json").is_file())


def test_the_reports_call_the_cases_by_the_given_noun(ministry_run):
    info = json.loads((ministry_run / "run.json").read_text(encoding="utf-8"))
    assert info["config"]["corpus"]["case_noun"] == "ministerie/ministeries"
    for name in ("report.html", "summary.md"):
        text = (ministry_run / name).read_text(encoding="utf-8")
        words = _words(text)
        # the answers themselves say "in de grote steden": only the report's own words are checked
        own = words - _words(" ".join(a for answers in MINISTRIES.values() for a in answers))
        assert not {"stad", "steden"} & own, (name, sorted({"stad", "steden"} & own))
        assert "ministerie" in words and "ministeries" in words, name
        assert "3 ministeries" in html.unescape(text), name
    summary = (ministry_run / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Stadsgenoten — thema's over de ministeries heen\n")
    assert "## Thema's per ministerie" in summary


def test_the_workbook_and_the_qdpx_use_it_too(ministry_run):
    with zipfile.ZipFile(ministry_run / "stadsgenoten.xlsx") as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "Namen van de ministeries" in strings and "Per ministerie" in strings
    assert "Namen van de steden" not in strings and "Per stad" not in strings
    with zipfile.ZipFile(ministry_run / "stadsgenoten.qdpx") as qdpx:
        project = qdpx.read("project.qde").decode("utf-8")
    assert "uit 3 ministeries" in project and "Kenmerken van ministeries" in project
    assert "kenmerk van een stad" not in project and "Kenmerken van steden" not in project


def test_case_names_with_commas_are_listed_so_each_can_be_told_apart(ministry_run):
    names = sorted(MINISTRIES)
    apart = "; ".join(names)
    summary = (ministry_run / "summary.md").read_text(encoding="utf-8")
    assert f"uit 3 ministeries ({apart})" in summary and f"Ministeries: {apart}." in summary
    report = html.unescape((ministry_run / "report.html").read_text(encoding="utf-8"))
    assert apart in report and ", ".join(names) not in report
    with zipfile.ZipFile(ministry_run / "stadsgenoten.xlsx") as book:
        assert html.escape(apart, quote=False) in book.read("xl/sharedStrings.xml").decode("utf-8")
    assert listing(["Gent", "Genk"]) == "Gent, Genk"


def test_no_article_of_the_wrong_gender_before_the_noun(ministry_run):
    # 'ministerie' is a het-word: the outputs may not say 'die ministerie' or 'een andere ministerie'
    texts = [html.unescape((ministry_run / name).read_text(encoding="utf-8")) for name in ("report.html", "summary.md")]
    with zipfile.ZipFile(ministry_run / "stadsgenoten.xlsx") as book:
        texts.append(html.unescape(book.read("xl/sharedStrings.xml").decode("utf-8")))
    for text in texts:
        assert not re.search(r"\b(?:die|andere|elke|deze|dezelfde) ministerie\b", text), re.search(
            r".{60}\b(?:die|andere|elke|deze|dezelfde) ministerie\b.{20}", text).group(0)
    assert "betekent dat het thema er niet ter sprake kwam" in texts[1]


def test_the_qdpx_names_each_documents_case_by_the_noun(ministry_run):
    with zipfile.ZipFile(ministry_run / "stadsgenoten.qdpx") as qdpx:
        project = qdpx.read("project.qde").decode("utf-8")
    assert 'name="Ministerie"' in project and 'name="Stad"' not in project
    assert "<Description>Ministerie Minister van Sociale Zaken en Volksgezondheid: 1 document uit 1 sessie." in project
    assert "<Description>Stad " not in project


def test_a_round_of_written_answers_is_not_called_conversation_notes(ministry_run):
    summary = (ministry_run / "summary.md").read_text(encoding="utf-8")
    report = (ministry_run / "report.html").read_text(encoding="utf-8")
    assert "Dit overzicht bundelt wat er in de schriftelijke antwoorden over de ministeries heen" in summary
    assert "Kwalitatieve analyse van schriftelijke antwoorden" in report
    assert "gespreksnotities" not in summary and "gespreksnotities" not in report
    # nor are its quotes said to come from notes
    assert not re.search(r"\bnotities\b", summary) and not re.search(r"\bnotities\b", report)
    assert "Citaten zijn letterlijk overgenomen uit de antwoorden" in summary
    assert "De antwoorden werden ingelezen" in summary and "De antwoorden werden ingelezen" in report
    # every theme is raised in written answers only: saying so under each theme tells nothing
    assert "Komt alleen aan bod in schriftelijke antwoorden" not in summary
    assert re.search(r"\n\n(?:Sterkst aanwezig in|Gelijk verspreid over|Alleen in|Telkens met) ", summary)


def test_the_reports_table_heads_are_short_with_the_full_name_on_hover(ministry_run):
    report = html.unescape((ministry_run / "report.html").read_text(encoding="utf-8"))
    heads = re.findall(r'<th class="city" scope="col"(?: title="([^"]*)")?><span>([^<]*)</span></th>', report)
    assert len(heads) == 3 and all(len(head) <= 50 for _, head in heads), heads
    full = [title or head for title, head in heads]
    assert full == sorted(MINISTRIES)
    for title, head in heads:
        start, _, end = head.partition(" … ")
        assert title.startswith(start) and title.endswith(end), (title, head)
    # the summary's table has the same heads (its overview names the ministries in full)
    summary = (ministry_run / "summary.md").read_text(encoding="utf-8")
    head_row = next(line for line in summary.splitlines() if line.startswith("| Thema |"))
    assert head_row == "| Thema | " + " | ".join(head for _, head in heads) + " | ministeries | fragm. |"


def test_the_workbooks_count_columns_under_a_long_title_stay_narrow(ministry_run):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    sheet = load_workbook(ministry_run / "stadsgenoten.xlsx")["Matrix"]
    heads = {sheet.cell(1, c).value: c for c in range(1, sheet.max_column + 1)}
    for name in MINISTRIES:  # up to 80 characters; their counts need a few
        column = sheet.column_dimensions[get_column_letter(heads[name])]
        assert column.width <= 27, (name, column.width)
        assert sheet.cell(1, heads[name]).alignment.wrap_text


def test_regenerate_keeps_the_runs_noun(ministry_run):
    (ministry_run / "summary.md").unlink()
    assert main(["regenerate", str(ministry_run)]) == 0
    summary = (ministry_run / "summary.md").read_text(encoding="utf-8")
    assert "## Thema's per ministerie" in summary and "steden" not in _words(summary) - _words(
        " ".join(a for answers in MINISTRIES.values() for a in answers))


def test_the_default_is_the_cities_and_counts_are_singular_or_plural():
    assert load_config().corpus.case_noun == "stad/steden"
    ministry = CaseNoun.parse("ministerie/ministeries")
    assert (ministry(1), ministry(3), CaseNoun()(1), CaseNoun()(14)) == (
        "1 ministerie", "3 ministeries", "1 stad", "14 steden")
    assert quantifier(1, 19, ministry) == "één ministerie" and quantifier(0, 19, ministry) == "geen van de ministeries"
    assert prevalence_phrase(15, 19, ministry) == "in 15 van de 19 ministeries (de meeste ministeries)"
    assert prevalence_phrase(9, 14) == "in 9 van de 14 steden (verschillende steden)"


@pytest.mark.parametrize("bad", ["ministeries", "ministerie/", "/steden", "a/b/c"])
def test_a_noun_without_singular_and_plural_is_refused(bad):
    with pytest.raises(ConfigError, match="enkelvoud/meervoud"):
        load_config(**{"corpus.case_noun": bad})
