import pandas as pd

from pipeline.config import CorpusConfig, SegmentConfig
from pipeline.corpus import ingest
from pipeline.corpus._segment import segment, speaker_label, split_paragraphs

from .makers import NOTES_ANTWERPEN, NOTES_GENT, write_pdf


def _doc(text, doc_id="d", blocks=(), page_starts=()):
    return pd.DataFrame([{"doc_id": doc_id, "text": text, "blocks": list(blocks), "page_starts": list(page_starts)}])


def test_speaker_labels():
    assert speaker_label("Frontlijnwerker OCMW: Mensen lopen verloren.") == "Frontlijnwerker OCMW"
    assert speaker_label("Brugfiguur (school): Ik herken dat.") == "Brugfiguur (school)"
    assert speaker_label("Dhr. Peeters: Dat klopt.") == "Dhr. Peeters"
    assert speaker_label("Nadia: Bij ons niet.") == "Nadia"
    # a sentence with a colon is not a turn
    assert speaker_label("Wat we in de praktijk zien is dit: het werkt niet.") is None
    assert speaker_label("Gent, 12/09: verslag") is None
    assert speaker_label("geen label: kleine letter") is None


def test_numbered_turns_of_the_belgian_chamber():
    # the Chamber's verbatim reports number each turn by agenda item and turn
    assert speaker_label("01.01 Annick Ponthier (VB): Mijnheer de minister, hoe staat het met de fregatten?") \
        == "Annick Ponthier (VB)"
    assert speaker_label("02.03 Minister Koen Geens: Ik kan u het volgende antwoorden.") == "Minister Koen Geens"
    assert speaker_label("01.02 De voorzitter: Het woord is aan de minister.") == "De voorzitter"
    # times and section numbers open agenda lines in the same form: no speaker
    assert speaker_label("10.30 Opening: de voorzitter verwelkomt de deelnemers.") is None
    assert speaker_label("14.00 uur: pauze") is None
    assert speaker_label("10.30 Welkom en inleiding: het programma van de dag.") is None
    assert speaker_label("1.2 Doelstellingen van het project: de wachtlijsten korter maken.") is None
    assert speaker_label("10.30 Opening") is None


def test_a_numbered_transcript_gets_its_speakers_and_the_chair():
    text = ("Commissie voor Landsverdediging\n\n"
            "10.30 uur: opening van de vergadering\n\n"
            "01.01 Annick Ponthier (VB): Mijnheer de minister, de bouw van de fregatten loopt vertraging op.\n"
            "01.02 De voorzitter: Dank u. Het woord is aan de minister.\n"
            "01.03 Minister Philippe Goffin: De eerste levering blijft gepland voor 2024.")
    seg = segment(_doc(text), SegmentConfig())
    turns = seg[seg["kind"] == "turn"]
    assert list(turns["speaker"]) == ["Annick Ponthier (VB)", "De voorzitter", "Minister Philippe Goffin"]
    assert list(turns["is_facilitator"]) == [False, True, False]
    assert turns.iloc[0]["text"].startswith("Mijnheer de minister")  # neither number nor label in the span
    assert not seg["text"].str.contains("01.0").any()


def test_turns_headers_and_facilitator():
    seg = segment(_doc(NOTES_GENT), SegmentConfig())
    kinds = list(zip(seg["kind"], seg["speaker"], seg["analysed"]))
    assert kinds == [
        ("header", "", False),  # title
        ("header", "", False),  # Aanwezig: ...
        ("turn", "Facilitator", False),
        ("turn", "Frontlijnwerker OCMW", True),
        ("turn", "Brugfiguur basisschool", True),
        ("turn", "Brugfiguur basisschool", True),  # an unlabelled paragraph continues the turn
    ]
    assert seg.loc[2, "excluded_reason"] == "facilitator"
    assert seg.loc[3, "text"].startswith("Mensen lopen verloren")  # the label is not in the span


def test_turns_on_consecutive_lines_are_split():
    seg = segment(_doc(NOTES_ANTWERPEN), SegmentConfig())
    assert list(seg["speaker"]) == ["Facilitator", "Medewerker personeelsdienst", "Diensthoofd"]


def test_offsets_cut_out_the_segment_text_and_ids_are_positional():
    text = NOTES_GENT + "\n" + NOTES_ANTWERPEN
    seg = segment(_doc(text, "gent/tafel.txt"), SegmentConfig())
    for row in seg.itertuples():
        assert text[row.start_char:row.end_char] == row.text
    assert list(seg["segment_id"][:2]) == ["gent/tafel.txt:0000", "gent/tafel.txt:0001"]


def test_every_paragraph_lands_in_exactly_one_segment():
    text = NOTES_GENT
    seg = segment(_doc(text), SegmentConfig())
    for start, end in split_paragraphs(text):
        paragraph = text[start:end].strip()
        body = paragraph.split(": ", 1)[1] if speaker_label(paragraph) and not paragraph.startswith("Aanwezig") else paragraph
        holders = [r for r in seg.itertuples() if r.start_char <= text.index(body) < r.end_char]
        assert len(holders) == 1 and body in holders[0].text


def test_spreadsheet_blocks_become_questions_and_answers(small_corpus):
    docs = ingest(CorpusConfig(path=str(small_corpus))).documents
    seg = segment(docs, SegmentConfig())
    gent = seg[seg["doc_id"] == "antwoorden.xlsx#Gent"]
    assert list(gent["kind"]) == ["question", "answer", "answer"]
    assert list(gent["analysed"]) == [False, True, True]
    assert set(gent["prompt"][1:]) == {"Welke drempels ervaren burgers?"}
    assert list(gent["location"]) == ["Antwoorden rij 2"] * 3


def test_pdf_segments_know_their_page():
    text = "Pagina een, eerste alinea.\n\nNog pagina een.\n\nPagina twee begint hier met tekst.\n"
    seg = segment(_doc(text, page_starts=[0, text.index("Pagina twee")]), SegmentConfig())
    assert list(seg["page"]) == [1, 1, 2]
    assert list(seg["location"]) == ["p. 1", "p. 1", "p. 2"]


def test_a_sentence_running_over_a_pdf_page_break_stays_one_segment(tmp_path):
    # Page 1 ends mid-sentence, page 2 goes on in lower case; a second break falls inside a
    # hyphenated word; the third break ends a turn and must stay a paragraph break.
    (tmp_path / "gent").mkdir()
    write_pdf(tmp_path / "gent" / "tafel.pdf", [
        "Maatschappelijk werker: Veel mensen kunnen de formulieren niet lezen. Wij helpen ze dan",
        "\f",
        "aan de balie, maar eigenlijk doen we dan het werk van een andere dienst. Dat is de verant-",
        "\f",
        "woordelijkheid van de stad zelf.",
        "\f",
        "Buurtwerker: Bij ons is dat net hetzelfde.",
    ])
    docs = ingest(CorpusConfig(path=str(tmp_path))).documents
    text = docs.iloc[0]["text"]
    seg = segment(docs, SegmentConfig())
    assert [t[:20] for t in seg["text"]] == ["Veel mensen kunnen d", "Bij ons is dat net h"]
    first = seg.iloc[0]["text"]
    assert "Wij helpen ze dan aan de balie, maar" in first
    assert "de verantwoordelijkheid van de stad zelf." in first
    for row in seg.itertuples():
        assert text[row.start_char:row.end_char] == row.text
    assert list(seg["page"]) == [1, 4]
    assert list(seg["location"]) == ["p. 1-3", "p. 4"]  # the first turn runs over three pages
    starts = docs.iloc[0]["page_starts"]
    assert text[starts[1]:].startswith("aan de balie") and text[starts[3]:].startswith("Buurtwerker:")


def test_demo_pdf_sentence_over_a_page_break_is_one_segment():
    from pipeline.config import DEMO_CORPUS

    docs = ingest(CorpusConfig(path=str(DEMO_CORPUS))).documents
    docs = docs[docs["doc_id"].str.endswith("gent_gesprekstafel_2.pdf")]
    seg = segment(docs, SegmentConfig())
    holders = [t for t in seg["text"] if "Wij helpen ze dan" in t]
    assert len(holders) == 1 and "Wij helpen ze dan aan de balie, maar eigenlijk" in holders[0]
    assert not any(t.startswith("aan de balie") for t in seg["text"])
    # the joined sentence is cited where it is: 'aan de balie' is on page 2, not on page 1
    joined = seg[seg["text"] == holders[0]].iloc[0]
    assert joined["page"] == 1 and joined["location"] == "p. 1-2"
    assert set(seg.loc[seg["text"] != holders[0], "location"]) <= {"p. 1", "p. 2"}


def test_the_meeting_chair_is_a_facilitator_but_a_chair_of_something_else_speaks():
    text = ("De voorzitter (Lies Martens): Ik geef het woord aan mevrouw Claes.\n\n"
            "Lieve Claes (Groen): De wachtlijsten voor kinderopvang blijven lang.\n\n"
            "Voorzitter: Dank u. Daarmee is de vergadering gesloten.\n\n"
            "Voorzitter buurtcomité: Bij ons in de wijk vinden gezinnen geen betaalbare woning.")
    seg = segment(_doc(text), SegmentConfig())
    assert list(seg["is_facilitator"]) == [True, False, True, False]
    # the reason says it is the chair, who gives the floor, not a facilitator who asks and sums up
    assert list(seg["excluded_reason"]) == ["voorzitter", "", "voorzitter", ""]
    text = "Gespreksleider: Hoe lang wachten gezinnen?\n\nLieve Claes: Een jaar of langer, zeker voor een woning."
    assert list(segment(_doc(text), SegmentConfig())["excluded_reason"]) == ["facilitator", ""]
