"""Tests for pipeline.privacy's Pseudonymiser and stage on realistic Flemish notes."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from pipeline.cache import Cache
from pipeline.privacy import (
    PARTICLES, TITLES, OffsetMap, PersonSpan, Pseudonymiser, find_persons, write_mapping_csv,
)
from pipeline.privacy import _stage as privacy
from pipeline.privacy._lexicon import F_PART, F_TITLE, word_flags
from pipeline.privacy._pseudonymise import _first_and_surname, _norm


def spans_for(text, *names):
    """Gold spans for the given names (each occurrence, in text order)."""
    out = []
    for n in names:
        start = text.index(n)
        out.append(PersonSpan(start, start + len(n), n, "rule"))
    return sorted(out)


def test_same_person_same_pseudonym_numbered_by_first_appearance():
    ps = Pseudonymiser()
    t1 = "Sofie Vermeulen opent. Karim El Idrissi vult aan."
    t2 = "Karim El Idrissi en Sofie Vermeulen sluiten af."
    o1 = ps.pseudonymise(t1, spans_for(t1, "Sofie Vermeulen", "Karim El Idrissi"))
    o2 = ps.pseudonymise(t2, spans_for(t2, "Karim El Idrissi", "Sofie Vermeulen"))
    assert o1 == "[Persoon 1] opent. [Persoon 2] vult aan."
    assert o2 == "[Persoon 2] en [Persoon 1] sluiten af."


def test_surname_and_first_name_alone_link_to_full_name():
    ps = Pseudonymiser()
    t = "Lotte De Bruyne legde uit hoe de intake verloopt. De Bruyne vond dat. Lotte ook."
    spans = [PersonSpan(0, 15, "Lotte De Bruyne", "rule")]
    i = t.index("De Bruyne vond")
    spans.append(PersonSpan(i, i + 9, "De Bruyne", "rule"))
    j = t.index("Lotte ook")
    spans.append(PersonSpan(j, j + 5, "Lotte", "rule"))
    out = ps.pseudonymise(t, spans)
    assert out == "[Persoon 1] legde uit hoe de intake verloopt. [Persoon 1] vond dat. [Persoon 1] ook."
    (row,) = ps.mapping()
    assert row["name"] == "Lotte De Bruyne"
    assert set(row["variants"]) == {"Lotte De Bruyne", "De Bruyne", "Lotte"}
    assert row["n_mentions"] == 3


def test_first_name_before_full_name_is_joined():
    ps = Pseudonymiser()
    a = "Els zegt dat de wachtlijsten langer worden."
    b = "Later kwam Els Wouters nog langs."
    ps.pseudonymise(a, spans_for(a, "Els"))
    out = ps.pseudonymise(b, spans_for(b, "Els Wouters"))
    assert out == "Later kwam [Persoon 1] nog langs."
    assert [r["pseudonym"] for r in ps.mapping()] == ["[Persoon 1]"]


def test_different_people_with_same_first_name_get_different_pseudonyms():
    ps = Pseudonymiser()
    a = "Els Wouters en Els Peeters waren er allebei."
    out = ps.pseudonymise(a, [PersonSpan(0, 11, "Els Wouters", "rule"), PersonSpan(15, 26, "Els Peeters", "rule")])
    assert out == "[Persoon 1] en [Persoon 2] waren er allebei."
    # A later "Els" alone links to the one mentioned most recently in the document.
    b = "Els Peeters opende. Daarna sprak Els over de cijfers."
    spans = [PersonSpan(0, 11, "Els Peeters", "rule")]
    k = b.index("Els over")
    spans.append(PersonSpan(k, k + 3, "Els", "rule"))
    assert ps.pseudonymise(b, spans) == "[Persoon 2] opende. Daarna sprak [Persoon 2] over de cijfers."


def test_declared_full_name_gives_the_mapping_name():
    ps = Pseudonymiser()
    t = "Nadia: Bij ons op de dienst zien we dat ook."
    out = ps.pseudonymise(t, spans_for(t, "Nadia"), declared=["Nadia Bouzid", "Bart Claes"])
    assert out.startswith("[Persoon 1]: Bij ons")
    assert ps.mapping()[0]["name"] == "Nadia Bouzid"


def test_diacritics_and_case_variants_are_one_person():
    ps = Pseudonymiser()
    t = "Ayşe Yılmaz kwam. Later belde AYSE YILMAZ terug."
    i = t.index("AYSE")
    out = ps.pseudonymise(t, [PersonSpan(0, 11, "Ayşe Yılmaz", "rule"), PersonSpan(i, i + 11, "AYSE YILMAZ", "rule")])
    assert out == "[Persoon 1] kwam. Later belde [Persoon 1] terug."


def test_offsets_map_segments_to_the_new_text():
    ps = Pseudonymiser()
    text = "Aanwezig: Sofie Vermeulen (OCMW). Mevrouw Yilmaz van het CAW zegt dat het klopt. Einde."
    spans = spans_for(text, "Sofie Vermeulen", "Yilmaz")
    new, to_new = ps.pseudonymise_with_offsets(text, spans)
    assert isinstance(to_new, OffsetMap)
    # Segments (sentences) of the original text.
    segs = []
    start = 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            segs.append((start, i + 1))
            start = i + 2
    expected = ["Aanwezig: [Persoon 1] (OCMW).", "Mevrouw [Persoon 2] van het CAW zegt dat het klopt.", "Einde."]
    got = [new[slice(*to_new.span(s, e))] for s, e in segs]
    assert got == expected
    # Offsets before the first name do not move; the end maps to the new end.
    assert to_new(0) == 0 and to_new(len(text)) == len(new)
    # An offset inside a name maps to the pseudonym's start or end.
    inside = text.index("Vermeulen")
    assert new[to_new(inside, "start"):to_new(inside, "end")] == "[Persoon 1]"
    with pytest.raises(ValueError):
        to_new(len(text) + 1)


def test_no_declared_name_survives_end_to_end():
    text = ("Aanwezig: Sofie Vermeulen (OCMW), Karim El Idrissi (brugfiguur)\n"
            "Karim: Bij ons zien we dat elke week. Vermeulen knikt.\n"
            "Sofie: Dat klopt.")
    declared = ["Sofie Vermeulen", "Karim El Idrissi"]
    ps = Pseudonymiser()
    out = ps.pseudonymise(text, find_persons(text, declared), declared=declared)
    for part in ("Sofie", "Vermeulen", "Karim", "Idrissi"):
        assert part not in out
    assert "OCMW" in out and "brugfiguur" in out
    assert len(ps.mapping()) == 2


def test_mapping_csv_round_trip(tmp_path):
    ps = Pseudonymiser()
    t = "Ayşe Yılmaz en Jan De Smet. Later nog Yılmaz."
    i = t.index("Yılmaz.")
    spans = [PersonSpan(0, 11, "Ayşe Yılmaz", "rule"), PersonSpan(15, 26, "Jan De Smet", "rule"),
             PersonSpan(i, i + 6, "Yılmaz", "rule")]
    ps.pseudonymise(t, spans)
    path = write_mapping_csv(tmp_path / "sub" / "pseudoniemen.csv", ps)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["pseudonym"] for r in rows] == ["[Persoon 1]", "[Persoon 2]"]
    assert rows[0]["name"] == "Ayşe Yılmaz"
    assert rows[0]["variants"].split(" | ") == ["Ayşe Yılmaz", "Yılmaz"]
    assert rows[0]["n_mentions"] == "2" and rows[1]["n_mentions"] == "1"


def test_disabled_passes_text_through():
    ps = Pseudonymiser(enabled=False)
    t = "Sofie Vermeulen opent."
    new, to_new = ps.pseudonymise_with_offsets(t, spans_for(t, "Sofie Vermeulen"))
    assert new == t and to_new(5) == 5
    assert ps.mapping() == []


def test_overlapping_spans_are_rejected():
    ps = Pseudonymiser()
    with pytest.raises(ValueError):
        ps.pseudonymise("Jan De Smet", [(0, 11), (4, 11)])


def test_deterministic_across_runs():
    docs = {"b_doc": "Karim zegt iets. Sofie Vermeulen ook.", "a_doc": "Sofie Vermeulen opent. Nadia volgt."}

    def run():
        ps = Pseudonymiser()
        return [ps.pseudonymise(docs[k], find_persons(docs[k])) for k in sorted(docs)], ps.mapping()

    assert run() == run()
    outs, mapping = run()
    # "a_doc" comes first, so Sofie Vermeulen is person 1.
    assert outs[0].startswith("[Persoon 1] opent.")
    assert mapping[0]["name"] == "Sofie Vermeulen"


def _documents(texts: dict[str, str], persons: dict[str, str] | None = None) -> pd.DataFrame:
    persons = persons or {}
    return pd.DataFrame({
        "doc_id": list(texts),
        "text": pd.array(list(texts.values()), dtype="string"),
        "persons": [persons.get(d, "") for d in texts],
        "blocks": [[{"start": 0, "end": len(t), "kind": "answer"}] for t in texts.values()],
        "page_starts": [[0] for _ in texts],
    })


def _snapshot(result: privacy.Pseudonymised):
    back = {d: (m._r, m.old_len, m.new_len) for d, m in result.back.items()}
    return (result.documents.to_dict("records"), back, result.mapping)


def test_person_finding_is_cached_per_document(tmp_path):
    texts = {"b_doc": "Karim zegt dat het klopt. Mevrouw Yılmaz knikt, en Sofie Vermeulen ook.",
             "a_doc": "Aanwezig: Sofie Vermeulen (OCMW), Karim El Idrissi\nKarim: Bij ons zien we dat elke week."}
    persons = {"a_doc": "Sofie Vermeulen; Karim El Idrissi"}
    docs = _documents(texts, persons)
    uncached = _snapshot(privacy.pseudonymise_documents(docs))

    cache = Cache(tmp_path)
    first = _snapshot(privacy.pseudonymise_documents(docs, cache=cache))
    # one entry per document, and one for the parts of the full names found (with_corpus_mentions)
    assert (cache.hits, cache.misses) == (0, 3)
    second = _snapshot(privacy.pseudonymise_documents(docs, cache=cache))
    assert (cache.hits, cache.misses) == (3, 3)
    # Same text, offsets, mapping and numbering (persons numbered in doc_id order across
    # documents) with an empty cache, a filled cache and no cache at all.
    assert first == second == uncached
    new_text = {row["doc_id"]: row["text"] for row in uncached[0]}
    assert new_text["a_doc"].startswith("Aanwezig: [Persoon 1] (OCMW), [Persoon 2]")
    assert new_text["b_doc"].startswith("[Persoon 2] zegt")
    assert [m["name"] for m in uncached[2]][:2] == ["Sofie Vermeulen", "Karim El Idrissi"]

    # A changed text misses; the unchanged document still hits.
    changed = _documents({**texts, "b_doc": texts["b_doc"].replace("Yılmaz", "Peeters")}, persons)
    hits, misses = cache.hits, cache.misses
    result = _snapshot(privacy.pseudonymise_documents(changed, cache=cache))
    assert (cache.hits - hits, cache.misses - misses) == (2, 1)  # the same full names: their parts hit
    assert result == _snapshot(privacy.pseudonymise_documents(changed))

    # Other declared names for the same text miss as well.
    hits, misses = cache.hits, cache.misses
    privacy.pseudonymise_documents(_documents(texts, {"a_doc": "Sofie Vermeulen"}), cache=cache)
    # b_doc hits; a_doc and the parts (its names are now found, no longer declared) miss
    assert (cache.hits - hits, cache.misses - misses) == (1, 2)


def test_disabled_privacy_does_not_touch_the_cache(tmp_path):
    cache = Cache(tmp_path)
    docs = _documents({"a_doc": "Sofie Vermeulen opent."})
    assert privacy.pseudonymise_documents(docs, False, cache=cache).documents is docs
    assert (cache.hits, cache.misses) == (0, 0)


def test_finder_and_pseudonymiser_share_the_title_and_particle_lists():
    # every title is a title to the finder and is dropped from the pseudonymiser's name key
    for title in TITLES:
        assert word_flags(title) & F_TITLE, title
        assert _norm(f"{title.capitalize()} Nadia Bouzid") == "nadia bouzid", title
    # every particle is one to the finder; one of two letters or more opens a surname in a key
    for particle in PARTICLES:
        assert word_flags(particle) & F_PART, particle
        if len(particle) > 1:
            assert _first_and_surname(f"{particle} berg") == ("", f"{particle} berg"), particle
    # "tante" was missing from the pseudonymiser's old, shorter title list
    text = "Gisteren belde tante Nadia Bouzid. Nadia Bouzid zegt dat de brief te moeilijk was."
    spans = find_persons(text)
    assert [s.text for s in spans] == ["Nadia Bouzid", "Nadia Bouzid"]
    ps = Pseudonymiser()
    assert ps.pseudonymise(text, spans).count("[Persoon 1]") == 2
    assert ps.person_for("Tante Nadia Bouzid").number == 1



def test_addressed_forms_with_a_particle_take_the_full_names_pseudonym():
    # issue #22: on parliamentary text "mevrouw De Moor" stayed in clear while "Nicole de Moor" was
    # pseudonymised; every addressed form, however cased or wrapped, is now the same person
    text = ("Vraag van Theo Francken aan staatssecretaris Nicole de Moor over de opvang.\n\n"
            "Theo Francken (N-VA): Ik dank mevrouw de Moor, maar mevrouw De  Moor weet dat het niet "
            "volstaat. Ik vroeg het ook aan mevrouw\nDe Moor en aan de heer\nVan Quickenborne. "
            "Mevrouw de Voorzitter, mijnheer de Minister, dank u.\n\n"
            "Vincent Van Quickenborne, minister: Mevrouw De Moor en minister De Croo weten dat.")
    result = privacy.pseudonymise_documents(_documents({"commissie.txt": text}))
    out = result.documents["text"][0]
    assert "Moor" not in out and "Quickenborne" not in out and "Croo" not in out
    assert "Mevrouw de Voorzitter, mijnheer de Minister" in out  # offices stay
    moor = next(p for p in result.mapping if p["name"] == "Nicole de Moor")["pseudonym"]
    quickenborne = next(p for p in result.mapping if p["name"] == "Vincent Van Quickenborne")["pseudonym"]
    assert out.count(moor) == 5 and out.count(quickenborne) == 2


def test_a_first_name_alone_in_another_document_takes_the_full_names_pseudonym():
    # the demo's Hasselt notes: "Sevda Yilmaz" is named in full in one session, and only as
    # "Sevda" at the start of a sentence in the meta-conversation, which was left in clear
    texts = {"a_tafel": "Aanwezig: Sevda Yilmaz (zorgkundige woonzorgcentrum)\n\n"
                        "Sevda Yilmaz: De bewoners spreken vaak alleen Turks.",
             "b_meta": "Directeur: Sevda in het woonzorgcentrum weet meer dan wij. Over de Grens "
                       "werkt ook goed."}
    result = privacy.pseudonymise_documents(_documents(texts))
    text = dict(zip(result.documents["doc_id"], result.documents["text"]))
    assert "Sevda" not in text["b_meta"]
    assert text["b_meta"].startswith("Directeur: [Persoon 1] in het woonzorgcentrum")
    # ordinary words stay as written
    assert "Over de Grens werkt ook goed." in text["b_meta"]
    assert "Turks" in text["a_tafel"]


def test_a_surname_two_people_share_elsewhere_is_no_guess():
    # "two different people, one pseudonym": "mevrouw Peeters" alone in a third answer was given the
    # pseudonym of whichever Peeters was named last in another document
    ps = Pseudonymiser()
    a = "Kris Peeters antwoordde op de vraag over de pensioenen."
    b = "Marleen Peeters leidt het wijkgezondheidscentrum."
    c = "Volgens mevrouw Peeters zijn de wachtlijsten langer geworden."
    d = "Marleen Peeters gaf de cijfers. Volgens Peeters groeit de wachtlijst."
    out = [ps.pseudonymise(t, [PersonSpan(s.start, s.end, s.text, s.source) for s in find_persons(t)])
           for t in (a, b, c, d)]
    assert out[:2] == ["[Persoon 1] antwoordde op de vraag over de pensioenen.",
                       "[Persoon 2] leidt het wijkgezondheidscentrum."]
    assert out[2] == "Volgens mevrouw [Persoon 3] zijn de wachtlijsten langer geworden."
    # in a document that names one of them in full, the surname alone is that person
    assert out[3] == "[Persoon 2] gaf de cijfers. Volgens [Persoon 2] groeit de wachtlijst."
    # a full name arriving later does not join the unresolved surname
    e = "Jan Peeters werkt bij het OCMW."
    assert ps.pseudonymise(e, [PersonSpan(0, 11, "Jan Peeters", "rule")]) == "[Persoon 4] werkt bij het OCMW."


def test_a_name_only_one_person_of_the_run_has_still_links_across_documents():
    ps = Pseudonymiser()
    a = "Sevda Yilmaz werkt als zorgkundige."
    b = "Mevrouw Yilmaz vertelde dat de bewoners vaak alleen Turks spreken."
    ps.pseudonymise(a, [PersonSpan(0, 12, "Sevda Yilmaz", "rule")])
    k = b.index("Yilmaz")
    assert ps.pseudonymise(b, [PersonSpan(k, k + 6, "Yilmaz", "rule")]).startswith("Mevrouw [Persoon 1] vertelde")


def test_a_first_name_links_to_the_full_name_of_its_own_case():
    # sessions of two cities in doc_id order: the Gent meta-conversation's "Youssef" is the Gent
    # session's Youssef Amrani, not the Youssef Azzouzi named last, in Leuven
    ps = Pseudonymiser()
    notes = [("Gent", "Youssef Amrani: Het onthaal is de eerste drempel."),
             ("Leuven", "Youssef Azzouzi: Wij werken met een jury van buiten de stad."),
             ("Gent", "Directeur: Youssef doet dat al jaren, maar informeel.")]
    out = [ps.pseudonymise(text, find_persons(text), case=case) for case, text in notes]
    assert out[2] == "Directeur: [Persoon 1] doet dat al jaren, maar informeel."


def test_french_in_a_belgian_transcript_keeps_its_words_and_countries():
    # a committee turn in French: "Mais" is no genitive of the first name "Mai", and "en Belgique"
    # is the French "in België", not a person after the Dutch "en"
    text = ("Philippe Goffin (MR): Mais chaque chose en son temps. Les frégates seront construites "
            "en Belgique et aux Pays-Bas.")
    out = Pseudonymiser().pseudonymise(text, find_persons(text))
    assert out.startswith("[Persoon 1] (MR): Mais chaque chose en son temps.")
    assert "en Belgique et aux Pays-Bas" in out and "Persoon 2" not in out


def test_names_that_french_writes_as_words_or_countries_stay_persons():
    # the Dutch genitive of a name, and first names that are also French names of countries: next to
    # a place they would be read as one ("uit Antwerpen en Maurice")
    text = "Ik sprak met Mai over Jans voorstel. Ze kwamen uit Antwerpen en Maurice bracht koffie mee."
    found = {text[s.start:s.end] for s in find_persons(text)}
    assert {"Maurice", "Mai", "Jan"} <= found
    text = "Dominique, Gent: Bij ons werkt dat anders. Mais is hier geen thema."
    assert [text[s.start:s.end] for s in find_persons(text)] == ["Dominique"]
