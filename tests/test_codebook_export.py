"""The codebook alone (issue #13 item 5): codeboek.qdc (REFI-QDA codebook) and codeboek.csv (for
Taguette), written in every run folder and by `regenerate`, with the same codes as the .qdpx."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.outputs import regenerate, write_codebook_csv, write_codebook_qdc, write_qdpx
from pipeline.outputs._codebook import CODEBOOK_NAMESPACE
from pipeline.outputs._qdpx import QDA_NAMESPACE
from pipeline.outputs._wording import FUNCTION_NL
from pipeline.store import RunTables, load_run

from .test_dutch_outputs import with_evidence
from .test_qdpx import XSD, read_qdpx

CODEBOOK_XSD = Path(__file__).parent / "data" / "Codebook.derived.xsd"
C = f"{{{CODEBOOK_NAMESPACE}}}"
Q = f"{{{QDA_NAMESPACE}}}"


@pytest.fixture
def tables(small_run) -> RunTables:
    return load_run(small_run.run_dir)


def parse(data: bytes):
    from lxml import etree

    return etree.fromstring(data)


def code_tree(node, ns: str) -> list[tuple]:
    """(guid, name, isCodable, color, description, children) of every Code under node, recursively."""
    out = []
    for code in node.findall(f"{ns}Code"):
        description = code.find(f"{ns}Description")
        out.append((code.get("guid"), code.get("name"), code.get("isCodable"), code.get("color"),
                    description.text if description is not None else None, code_tree(code, ns)))
    return out


def validate(qdc: bytes) -> None:
    import xmlschema

    xmlschema.XMLSchema(str(CODEBOOK_XSD)).validate(io.BytesIO(qdc))


def no_themes(tables: RunTables) -> RunTables:
    """The run as a corpus too small for themes leaves it: no themes, no functions, no mechanisms."""
    return replace(tables, themes=tables.themes.iloc[:0], matrix=tables.matrix.iloc[:0],
                   segments=tables.segments.assign(theme_id="", function="", mechanism_ids=""),
                   mechanisms=None, mechanism_evidence=None)


@pytest.mark.parametrize("variant", ["run", "mechanisms", "no themes"])
def test_qdc_validates_against_the_codebook_schema(tables, tmp_path, variant):
    data = {"run": tables, "mechanisms": with_evidence(tables), "no themes": no_themes(tables)}[variant]
    qdc = write_codebook_qdc(data, tmp_path / "codeboek.qdc").read_bytes()
    assert qdc.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = parse(qdc)
    assert root.tag == f"{C}CodeBook" and root.get("origin", "").startswith("stadsgenoten")
    validate(qdc)


def test_the_schema_is_project_xsds_code_types(tmp_path):
    """Codebook.derived.xsd keeps Project.xsd's Code, GUID and colour types (less NoteRef)."""
    if not XSD.is_file():
        pytest.skip(f"REFI-QDA Project.xsd not found at {XSD} (../shared absent)")
    xs = "{http://www.w3.org/2001/XMLSchema}"

    def types(path: Path) -> dict[str, list[tuple]]:
        root = parse(path.read_bytes())
        out = {}
        for kind in ("complexType", "simpleType"):
            for node in root.findall(f"{xs}{kind}"):
                out[node.get("name")] = [(n.tag, sorted(n.attrib.items())) for n in node.iter()
                                         if n is not node and n.get("name") != "NoteRef"]
        return out

    project, derived = types(XSD), types(CODEBOOK_XSD)
    for name in ("CodesType", "CodeType", "GUIDType", "RGBType"):
        assert derived[name] == project[name], name


@pytest.mark.parametrize("extra", [False, True], ids=["run", "mechanisms"])
def test_qdc_lists_the_same_codes_as_the_qdpx(tables, tmp_path, extra):
    data = with_evidence(tables) if extra else tables
    qdc = parse(write_codebook_qdc(data, tmp_path / "codeboek.qdc").read_bytes())
    qde = parse(read_qdpx(write_qdpx(data, tmp_path / "run.qdpx"))[0])
    in_qdc = code_tree(qdc.find(f"{C}Codes"), C)
    in_qdpx = code_tree(qde.find(f"{Q}CodeBook/{Q}Codes"), Q)
    assert in_qdc == in_qdpx
    names = [c[1] for c in in_qdc]
    themes = [f"{t} · {label}" for t, label in zip(data.themes["theme_id"], data.themes["label"])]
    assert names[: len(themes)] == themes
    assert all(c[4] for c in in_qdc[: len(themes)])  # every theme has its description
    assert "Functies" in names and ("Mechanismen" in names) == extra
    functions = next(c for c in in_qdc if c[1] == "Functies")[5]
    assert functions and not {f[1] for f in functions} & set(FUNCTION_NL)  # Dutch names only
    assert all(f[2] == "true" and f[4] for f in functions)


def read_codebook_csv(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # settles the encoding Taguette would guess
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("extra", [False, True], ids=["run", "mechanisms"])
def test_csv_has_a_name_column_with_unique_names(tables, tmp_path, extra):
    data = with_evidence(tables) if extra else tables
    path = write_codebook_csv(data, tmp_path / "codeboek.csv")
    rows = read_codebook_csv(path)
    header = [h.lower() for h in rows[0].keys()]
    # Taguette takes the tag from exactly one of the columns tag, name, path
    assert header == ["name", "description"]
    assert sum(h in ("tag", "name", "path") for h in header) == 1
    names = [r["name"] for r in rows]
    assert all(n.strip() == n and n for n in names)
    assert len(set(names)) == len(names)
    # the codable codes of the .qdc, in its order, with their descriptions
    qdc = parse(write_codebook_qdc(data, tmp_path / "codeboek.qdc").read_bytes())
    codable = [(c.get("name"), c.find(f"{C}Description").text) for c in qdc.iter(f"{C}Code")
               if c.get("isCodable") == "true"]
    assert [(r["name"], r["description"]) for r in rows] == codable
    assert not set(names) & set(FUNCTION_NL)


def test_every_run_folder_and_regenerate_write_both(small_run, run_dir):
    for name in ("codeboek.qdc", "codeboek.csv"):
        assert (small_run.run_dir / name).stat().st_size > 0, name
    before = {n: (run_dir / n).read_bytes() for n in ("codeboek.qdc", "codeboek.csv")}
    (run_dir / "overrides.yaml").write_text('rename: {T01: "Taal aan de schoolpoort"}\n', encoding="utf-8")
    written = {p.name for p in regenerate(run_dir)}
    assert {"codeboek.qdc", "codeboek.csv"} <= written
    rows = read_codebook_csv(run_dir / "codeboek.csv")
    assert rows[0]["name"] == "T01 · Taal aan de schoolpoort"
    assert b"T01 \xc2\xb7 Taal aan de schoolpoort" in (run_dir / "codeboek.qdc").read_bytes()
    validate((run_dir / "codeboek.qdc").read_bytes())
    # without the overrides the files are as the run wrote them
    (run_dir / "overrides.yaml").unlink()
    regenerate(run_dir)
    assert {n: (run_dir / n).read_bytes() for n in before} == before


def test_two_writes_are_byte_identical(tables, tmp_path):
    data = with_evidence(tables)
    for write in (write_codebook_qdc, write_codebook_csv):
        assert write(data, tmp_path / "a").read_bytes() == write(data, tmp_path / "b").read_bytes()
