"""REFI-QDA export: schema-valid project.qde, selections that cut out exactly the segment text."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.outputs._qdpx import FUNCTIONS, QDA_NAMESPACE, write_qdpx
from pipeline.store import RunTables, from_result, load_run

from .makers import SHARED

XSD = SHARED / "data" / "refi-qda" / "Project.xsd"
Q = f"{{{QDA_NAMESPACE}}}"


@pytest.fixture
def tables(small_run) -> RunTables:
    """The session's run of the small corpus (tests/conftest.py), read back from its run folder."""
    return load_run(small_run.run_dir)


def with_mechanisms(tables: RunTables) -> RunTables:
    """The run plus hand-made statement functions, mechanisms, evidence and practices."""
    segments = tables.segments.copy()
    assigned = segments[segments["theme_id"] != ""]
    ids = list(assigned["segment_id"])
    segments["function"] = ""
    segments["mechanism_ids"] = ""
    segments.loc[segments["segment_id"] == ids[0], "function"] = "drempel"
    segments.loc[segments["segment_id"] == ids[1], "function"] = "wens"
    segments.loc[segments["segment_id"] == ids[0], "mechanism_ids"] = "M01;M02"
    mechanisms = pd.DataFrame({
        "mechanism_id": ["M01", "M02"],
        "label": ["taal als drempel aan het loket", "projecten stoppen met de subsidie"],
        "n_cases": [2, 1], "cases": ["Gent; Antwerpen", "Antwerpen"], "themes": ["T01", "T02"],
        "n_segments": [2, 1], "example_segment_ids": [f"{ids[0]};{ids[1]}", ids[0]],
    })
    evidence = pd.DataFrame({
        "mechanism_id": ["M01", "M01", "M02"],
        "segment_id": [ids[0], ids[1], ids[0]],
        "case": [assigned.iloc[0]["case"], assigned.iloc[1]["case"], assigned.iloc[0]["case"]],
        "text": [assigned.iloc[0]["text"], assigned.iloc[1]["text"], assigned.iloc[0]["text"]],
        "function": ["drempel", "wens", "drempel"],
    })
    practices = pd.DataFrame({
        "practice": ["klare taal"], "case": ["Gent"], "theme_id": ["T01"],
        "source_file": ["antwoorden.xlsx"], "segment_id": [ids[0]], "text": ["We zetten in op klare taal."],
    })
    return replace(tables, segments=segments, mechanisms=mechanisms, mechanism_evidence=evidence,
                   practices=practices)


def read_qdpx(path: Path) -> tuple[bytes, dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return members.pop("project.qde"), members


def parse(qde: bytes):
    from lxml import etree

    return etree.fromstring(qde)


def selections(root, members: dict[str, bytes]):
    """(source name, segment id, start, end, selected text, code guids) as an importer reads them."""
    out = []
    for source in root.iter(f"{Q}TextSource"):
        member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        text = members[member].decode("utf-8")
        for sel in source.iter(f"{Q}PlainTextSelection"):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            codes = [ref.get("targetGUID") for ref in sel.iter(f"{Q}CodeRef")]
            out.append((source.get("name"), sel.get("name"), start, end, text[start:end], codes))
    return out


@pytest.mark.skipif(not XSD.is_file(), reason=f"REFI-QDA schema not found at {XSD} (../shared absent)")
@pytest.mark.parametrize("extra", [False, True], ids=["themes", "mechanisms"])
def test_project_qde_validates_against_the_refi_qda_schema(tables, tmp_path, extra):
    import xmlschema

    data = with_mechanisms(tables) if extra else tables
    qde, _ = read_qdpx(write_qdpx(data, tmp_path / "run.qdpx"))
    xmlschema.XMLSchema(str(XSD)).validate(io.BytesIO(qde))


def test_every_selection_cuts_out_exactly_its_segment(tables, tmp_path):
    data = with_mechanisms(tables)
    qde, members = read_qdpx(write_qdpx(data, tmp_path / "run.qdpx"))
    root = parse(qde)
    segs = data.segments.set_index("segment_id")
    found = selections(root, members)
    coded = data.segments[(data.segments["theme_id"] != "") | (data.segments["function"] != "")]
    assert sorted(s[1] for s in found) == sorted(coded["segment_id"])
    code_guids = {c.get("guid") for c in root.iter(f"{Q}Code")}
    for _, seg_id, start, end, selected, codes in found:
        assert (start, end) == (segs.loc[seg_id, "start_char"], segs.loc[seg_id, "end_char"])
        assert selected == segs.loc[seg_id, "text"]
        assert codes and set(codes) <= code_guids
    # the segment with a theme, a function and two mechanisms carries four codings
    first = data.segments[data.segments["mechanism_ids"] != ""].iloc[0]["segment_id"]
    assert len(next(s for s in found if s[1] == first)[5]) == 4


def test_zip_layout_lowercase_sources_utf8_without_bom(tables, tmp_path):
    path = write_qdpx(tables, tmp_path / "run.qdpx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert names[0] == "project.qde"
    sources = names[1:]
    assert sources and all(n.startswith("sources/") and n.endswith(".txt") for n in sources)
    qde, members = read_qdpx(path)
    assert qde.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = parse(qde)
    by_guid = {s.get("guid"): s for s in root.iter(f"{Q}TextSource")}
    assert {f"sources/{g}.txt" for g in by_guid} == set(members)
    for data in members.values():
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8") in tables.texts.values()
    for source in by_guid.values():
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert "/" not in source.get("name")


def test_codebook_cases_and_variables(tables, tmp_path):
    data = with_mechanisms(tables)
    root = parse(read_qdpx(write_qdpx(data, tmp_path / "run.qdpx"))[0])
    top = root.find(f"{Q}CodeBook/{Q}Codes").findall(f"{Q}Code")
    names = [c.get("name") for c in top]
    themes = [f"{t} · {label}" for t, label in zip(data.themes["theme_id"], data.themes["label"])]
    assert names == themes + ["Mechanismen", "Functies"]
    assert "Kernwoorden:" in top[0].find(f"{Q}Description").text
    groups = {c.get("name"): c for c in top[-2:]}
    assert all(g.get("isCodable") == "false" for g in groups.values())
    assert [c.get("name") for c in groups["Mechanismen"].findall(f"{Q}Code")] == [
        "M01 · taal als drempel aan het loket", "M02 · projecten stoppen met de subsidie"]
    # one Dutch code per function the segments have (drempel, wens), none empty
    assert [c.get("name") for c in groups["Functies"].findall(f"{Q}Code")] == ["drempel", "wens"]
    assert list(FUNCTIONS).index("drempel") < list(FUNCTIONS).index("wens")

    cases = root.findall(f"{Q}Cases/{Q}Case")
    assert [c.get("name") for c in cases] == data.cases
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{Q}Variable")}
    sources = {s.get("guid"): s for s in root.iter(f"{Q}TextSource")}
    for case in cases:
        docs = data.documents[data.documents["case"] == case.get("name")]
        refs = [r.get("targetGUID") for r in case.findall(f"{Q}SourceRef")]
        assert len(refs) == len(docs) and set(refs) <= set(sources)
        values = {variables[v.find(f"{Q}VariableRef").get("targetGUID")]: v[1].text
                  for v in case.findall(f"{Q}VariableValue")}
        assert values["Aantal documenten"] == str(len(docs))
        assert values["Aantal sessies"] == str(docs["session"].nunique())
    gent = next(s for s in sources.values() if s.get("name") == "gent_gent_tafel1.txt")
    values = {variables[v.find(f"{Q}VariableRef").get("targetGUID")]: v[1].text
              for v in gent.findall(f"{Q}VariableValue")}
    assert values["Stad"] == "Gent" and values["Bronbestand"] == "gent/gent_tafel1.txt"


def test_two_writes_are_byte_identical(tables, tmp_path):
    data = with_mechanisms(tables)
    a = write_qdpx(data, tmp_path / "a.qdpx").read_bytes()
    b = write_qdpx(data, tmp_path / "b.qdpx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- hand-made runs -----------------------------------------------------------------------------


def tiny_tables(break_offsets: bool = False) -> RunTables:
    """Two documents with é, ë, ş and emoji (outside the BMP) before and inside the segments."""
    texts = {
        "gent/café.txt": "Café 😀 overleg in Gent\n\nBrugfiguur: Dé drempel is hoog 👍🏽, zegt Ayşe.\n\n"
                         "Buurtwerker: Naïeve ideeën? Nee, 💡 goede praktijk!\n",
        "antwoorden.xlsx#Genk": "Welke drempels?\n\nŞule: de taal 🗣️ blijft moeilijk; ook voor Zoë.\n",
    }
    pieces = [
        ("gent/café.txt", "Gent", "Brugfiguur: Dé drempel is hoog 👍🏽, zegt Ayşe.", "T01", "drempel"),
        ("gent/café.txt", "Gent", "Buurtwerker: Naïeve ideeën? Nee, 💡 goede praktijk!", "T02", "praktijk"),
        ("antwoorden.xlsx#Genk", "Genk", "Şule: de taal 🗣️ blijft moeilijk; ook voor Zoë.", "T01", ""),
    ]
    rows = []
    for i, (doc_id, case, text, theme, function) in enumerate(pieces):
        start = texts[doc_id].index(text)
        rows.append({"segment_id": f"{doc_id}:{i:04d}", "doc_id": doc_id, "case": case, "session": "tafel",
                     "role": "", "source_file": doc_id.split("#")[0], "start_char": start + int(break_offsets),
                     "end_char": start + len(text) + int(break_offsets), "text": text, "theme_id": theme,
                     "theme_score": 0.8, "function": function, "mechanism_ids": ""})
    documents = pd.DataFrame({
        "doc_id": list(texts), "case": ["Gent", "Genk"], "case_raw": ["Gent", "Genk"],
        "session": ["gesprekstafel 1", "schriftelijke antwoorden"], "role": ["", ""], "date": ["", ""],
        "source_file": ["gent/café.txt", "antwoorden.xlsx"], "format": ["txt", "xlsx"], "sha256": ["", ""],
        "n_chars": [len(t) for t in texts.values()], "text_file": ["texts/a.txt", "texts/b.txt"],
    })
    themes = pd.DataFrame({"theme_id": ["T01", "T02"], "label": ["drempel · taal", "praktijk"],
                           "top_terms": ["drempel; taal", "praktijk"], "n_segments": [2, 1],
                           "n_cases": [2, 1], "cases": ["Genk; Gent", "Gent"]})
    matrix = pd.DataFrame({"theme_id": ["T01", "T02"], "Genk": [1, 0], "Gent": [1, 1]})
    return RunTables(documents=documents, segments=pd.DataFrame(rows), themes=themes, matrix=matrix,
                     info={"run_id": "tiny", "created": "2026-01-02T03:04:05+00:00"}, texts=texts)


def test_offsets_are_unicode_code_points_with_accents_and_emoji(tmp_path):
    data = tiny_tables()
    qde, members = read_qdpx(write_qdpx(data, tmp_path / "tiny.qdpx"))
    found = selections(parse(qde), members)
    assert len(found) == 3
    for _, seg_id, start, end, selected, _ in found:
        seg = data.segments.set_index("segment_id").loc[seg_id]
        assert selected == seg["text"]
        doc = data.texts[seg["doc_id"]]
        # code points, not UTF-8 bytes or UTF-16 units: those would end elsewhere after the emoji
        assert len(doc[:end].encode("utf-8")) != end
        assert len(doc[:end].encode("utf-16-le")) // 2 != end
    if XSD.is_file():
        import xmlschema

        xmlschema.XMLSchema(str(XSD)).validate(io.BytesIO(qde))


def test_offsets_that_miss_the_segment_text_are_refused(tmp_path):
    with pytest.raises(PipelineError, match="is niet de tekst van het fragment"):
        write_qdpx(tiny_tables(break_offsets=True), tmp_path / "bad.qdpx")
    assert not (tmp_path / "bad.qdpx").exists()
    assert list(tmp_path.iterdir()) == []


def test_in_memory_result_and_run_folder_give_the_same_qdpx(small_run, tmp_path):
    a = write_qdpx(from_result(small_run), tmp_path / "memory.qdpx").read_bytes()
    b = write_qdpx(load_run(small_run.run_dir), tmp_path / "folder.qdpx").read_bytes()
    assert a == b
