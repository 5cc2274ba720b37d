from pathlib import Path

import pytest

from pipeline.config import CorpusConfig
from pipeline.errors import InputError
from pipeline.corpus import decode_text, ingest

from .makers import write_manifest, write_xlsx


def _docs(result):
    return result.documents.set_index("doc_id")


def test_reads_every_format_with_its_case(small_corpus):
    result = ingest(CorpusConfig(path=str(small_corpus)))
    docs = _docs(result)
    assert result.skipped == []
    assert set(docs["format"]) == {"txt", "docx", "pdf", "odt", "xlsx"}
    assert docs.loc["gent/gent_tafel1.txt", "case"] == "Gent"
    assert docs.loc["gent/gent_tafel1.txt", "case_raw"] == "Stad Gent"
    assert "doolhof" in docs.loc["gent/gent_tafel1.txt", "text"]
    assert "struikelen over de eerste test" in docs.loc["antwerpen_tafel1.docx", "text"]
    assert "De overtuigden komen wel." in docs.loc["leuven_tafel2.odt", "text"]
    assert docs.loc["leuven_tafel2.odt", "text"].startswith("Gesprekstafel Leuven\n\nBuurtwerker:")


def test_pdf_hard_wraps_are_repaired_and_pages_recorded(small_corpus):
    doc = _docs(ingest(CorpusConfig(path=str(small_corpus)))).loc["brugge_meta.pdf"]
    assert ("De signalen van de werkvloer raken niet altijd tot bij het beleid. Onderweg gaat er veel "
            "verloren") in doc["text"]
    assert "\n\nDiensthoofd welzijn: We willen meer integraal werken" in doc["text"]
    assert doc["page_starts"] == [0]


def test_spreadsheet_gives_one_document_per_normalised_case(small_corpus):
    docs = _docs(ingest(CorpusConfig(path=str(small_corpus))))
    sheet = docs[docs["format"] == "xlsx"]
    assert sorted(sheet["case"]) == ["Gent", "Oostende", "Sint-Niklaas"]
    gent = sheet.loc["antwoorden.xlsx#Gent"]
    assert gent["text"] == ("Welke drempels ervaren burgers?\n\nDe taal is een drempel aan het loket.\n\n"
                            "We zetten in op klare taal.\n")
    kinds = [(b["kind"], gent["text"][b["start"]:b["end"]]) for b in gent["blocks"]]
    assert kinds[0] == ("question", "Welke drempels ervaren burgers?")
    assert kinds[1][0] == "answer" and kinds[1][1].startswith("De taal is een drempel")
    assert gent["blocks"][1]["location"] == "Antwoorden rij 2"


def test_merged_city_cells_are_filled_down(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [
        ["Stad", "Vraag", "Antwoord"],
        ["Genk", "V1", "Het mijnverleden maakt Genk divers."],
        [None, "V2", "Brugfiguren verbinden school en ouders."],
        [None, None, None],
    ], merge="A2:A3")
    docs = ingest(CorpusConfig(path=str(path))).documents
    assert list(docs["case"]) == ["Genk"]
    assert "Brugfiguren verbinden" in docs.iloc[0]["text"]


def test_missing_text_column_names_the_columns_and_the_option(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Gemeente", "Tekst"], ["Gent", "iets"]])
    with pytest.raises(InputError) as info:
        ingest(CorpusConfig(path=str(path)))
    assert "Gemeente, Tekst" in str(info.value) and "--text-column" in str(info.value)
    assert "geen enkel werkblad heeft de tekstkolom 'Antwoord' (werkblad Antwoorden: Gemeente, Tekst)" \
        in str(info.value)
    docs = ingest(CorpusConfig(path=str(path), text_column="Tekst", case_column="Gemeente")).documents
    assert list(docs["case"]) == ["Gent"]


def test_files_without_manifest_row_and_rows_without_file_are_reported(small_corpus):
    (small_corpus / "extra.txt").write_text("Buurtwerker: een extra verslag.", encoding="utf-8")
    write_manifest(small_corpus, [
        ("gent/gent_tafel1.txt", "Gent", "gesprekstafel 1", "", ""),
        ("ontbreekt.docx", "Gent", "metagesprek", "", ""),
        ("antwerpen_tafel1.docx", "Antwerpen", "", "", ""),
        ("brugge_meta.pdf", "Brugge", "", "", ""),
        ("leuven_tafel2.odt", "Leuven", "", "", ""),
        ("antwoorden.xlsx", "", "", "", ""),
    ])
    result = ingest(CorpusConfig(path=str(small_corpus)))
    skipped = {f.path: f for f in result.skipped}
    assert "staat niet in manifest.csv" in skipped["extra.txt"].reason
    assert "voeg een rij toe" in skipped["extra.txt"].fix
    assert "ontbreekt in de corpusmap" in skipped["ontbreekt.docx"].reason
    with pytest.raises(InputError, match="extra.txt"):
        ingest(CorpusConfig(path=str(small_corpus), strict=True))


def test_unknown_city_spelling_is_skipped_with_a_suggestion(small_corpus):
    manifest = (small_corpus / "manifest.csv").read_text(encoding="utf-8").replace("Brugge", "Brugee")
    (small_corpus / "manifest.csv").write_text(manifest, encoding="utf-8")
    skipped = {f.path: f for f in ingest(CorpusConfig(path=str(small_corpus))).skipped}
    assert "Bedoel je 'Brugge'" in skipped["brugge_meta.pdf"].reason


def test_without_manifest_cases_come_from_folder_names(small_corpus):
    (small_corpus / "manifest.csv").unlink()
    (small_corpus / "antwoorden.xlsx").unlink()
    result = ingest(CorpusConfig(path=str(small_corpus)))
    docs = _docs(result)
    assert docs.loc["gent/gent_tafel1.txt", "case"] == "Gent"
    assert docs.loc["leuven_tafel2.odt", "case"] == "Leuven"
    assert any("geen manifest" in w for w in result.warnings)


def test_duplicate_content_is_skipped_once(small_corpus):
    (small_corpus / "gent" / "kopie.txt").write_bytes((small_corpus / "gent" / "gent_tafel1.txt").read_bytes())
    with (small_corpus / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write("gent/kopie.txt,Gent,gesprekstafel 1,,\n")
    skipped = {f.path: f for f in ingest(CorpusConfig(path=str(small_corpus))).skipped}
    assert "dubbel bestand" in skipped["gent/kopie.txt"].reason
    assert "gent/gent_tafel1.txt" in skipped["gent/kopie.txt"].reason


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_text_encodings_are_recognised(encoding):
    text = "Café-uitbater: ‘Wij zien één probleem’ – de reëel hoge huurprijzen. € 800 per maand."
    if encoding == "cp1252":
        text = text.replace("‘", "'").replace("’", "'")
    decoded, _ = decode_text(text.encode(encoding), Path("x.txt"))
    assert decoded.lstrip("\ufeff") == text


def test_binary_data_with_txt_name_is_refused():
    with pytest.raises(InputError, match="binaire gegevens"):
        decode_text(bytes(range(256)) * 20, Path("foto.txt"))


def test_missing_corpus_is_a_clear_error(tmp_path):
    # the analyst reads it in a Dutch CLI: 'fout: …/nergens: corpus niet gevonden — controleer het pad …'
    with pytest.raises(InputError, match="corpus niet gevonden — controleer het pad bij --corpus"):
        ingest(CorpusConfig(path=str(tmp_path / "nergens")))


def test_a_manifest_with_dutch_column_names_says_which_columns_it_lacks(small_corpus):
    """A manifest headed in Dutch (bestand, stad) is a common slip: the skip-free error says, in
    Dutch, which columns are missing and what the header must be."""
    (small_corpus / "manifest.csv").write_text("bestand,stad\ngent/gent_tafel1.txt,Gent\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest(CorpusConfig(path=str(small_corpus)))
    message = str(info.value)
    assert "het manifest mist de kolom(men) file, city, session, role, date" in message
    assert "de kopregel moet zijn: file,city,session,role,date" in message


def test_a_spreadsheet_row_with_an_answer_but_no_case_names_the_row(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Antwoord", "Stad"], ["De wachtlijsten zijn lang.", None]])
    with pytest.raises(InputError) as info:
        ingest(CorpusConfig(path=str(path)))
    assert "rij 2 heeft een antwoord maar geen Stad" in str(info.value)
    assert "vul de kolom Stad in op rij 2" in str(info.value)


def test_a_spreadsheet_with_another_case_column_is_read_whole(tmp_path, capsys):
    """Report sections (or municipalities, parties) as cases: every row is read, each name is a
    case as written."""
    rows = [["Sectie", "Antwoord"]]
    for section, answers in {
        "taal en communicatie": ["Ouders verstaan de brieven van de school niet.",
                                 "Er zijn te weinig tolken en het tolkenbudget is op."],
        "armoede": ["Gezinnen in armoede vinden de weg naar de hulpverlening niet.",
                    "De wachtlijsten voor een sociale woning zijn lang."],
        "Vlaanderen": ["De echte hefbomen liggen bij de Vlaamse overheid.",
                       "Projecten blijven klein en tijdelijk zonder structurele middelen."],
    }.items():
        rows += [[section, a] for a in answers]
    sheet = write_xlsx(tmp_path / "secties.xlsx", rows)
    result = ingest(CorpusConfig(path=str(sheet), case_column="Sectie"))
    assert sorted(result.documents["case"]) == ["Vlaanderen", "armoede", "taal en communicatie"]
    assert all(text.count("\n\n") == 1 for text in result.documents["text"])  # both rows of each case
