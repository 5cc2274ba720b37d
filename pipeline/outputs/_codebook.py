"""The codes of a run, and the codebook on its own: a REFI-QDA .qdc and a CSV for Taguette.

One list of codes serves the .qdpx (its CodeBook), codeboek.qdc and codeboek.csv, so all three
name the same codes with the same GUIDs:

  themes        one code per theme, "T01 · label"; description: key terms and spread
  Mechanismen   a non-codable group with one code per mechanism, "M01 · label" (when the run has any)
  Functies      a non-codable group with one code per statement function that a segment of the run
                has, named in Dutch (drempel, vaststelling, ...: `_wording.function_label`), so no
                function code is empty and none is English

codeboek.qdc    REFI-QDA Codebook 1.0: `<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="…">` with
                `<Codes>`, each `<Code guid name isCodable color>` with its `<Description>`, nested
                as in the .qdpx; for programs that import REFI-QDA codebooks (QualCoder, ATLAS.ti,
                MAXQDA, NVivo). Written from the standard's description: its Codebook.xsd was not
                at hand, the tests validate against one derived from its Project.xsd
codeboek.csv    one row per codable code, columns `name` and `description`: Taguette's "Import
                codebook" takes the tag from a `name` column (exactly one of tag/name/path) and
                reads `description` when present. UTF-8 with a byte-order mark, because Taguette
                guesses the encoding (chardet), which a BOM settles; Excel opens it right too.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.mechanisms import analyst_status
from ..store import RunTables, write_atomic
from ._wording import FUNCTION_MEANING, FUNCTION_NL, CaseNoun, case_noun, counted, function_label

__all__ = ["Code", "RunCodes", "run_codes", "append_codes", "codebook_qdc", "codebook_csv", "write_codebook_qdc",
           "write_codebook_csv", "FUNCTIONS", "CODEBOOK_NAMESPACE", "GUID_NAMESPACE"]

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Fixed namespace for uuid5 GUIDs: never change it, or exports of the same run stop matching.
GUID_NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4c39-9e0a-3d2f8b4c1a57")
# The Dutch function codes in the order of pipeline.analysis (question first, statement last).
FUNCTIONS = tuple(FUNCTION_NL.values())

_THEME_COLOURS = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
    "#BCBD22", "#17BECF", "#393B79", "#637939", "#8C6D31", "#843C39", "#7B4173", "#3182BD",
    "#E6550D", "#31A354", "#756BB1", "#636363",
)
_FUNCTION_COLOURS = {
    "bezorgdheid": "#E6AB02", "nood": "#D95F02", "drempel": "#E7298A", "vraag": "#7570B3",
    "wens": "#1B9E77", "praktijk": "#66A61E", "waardering": "#A6761D", "spanning": "#E41A1C",
    "vaststelling": "#A0A0A0",
}
_MECHANISM_COLOUR = "#4B6C8B"
_GROUP_COLOUR = "#999999"
# Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def xml_text(value) -> str:
    """Text for XML: "" for None/NaN/pd.NA, characters XML 1.0 cannot hold removed."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _NOT_XML.sub("", str(value))


def split_ids(value) -> list[str]:
    """'M01; M02' -> ['M01', 'M02']."""
    return [part.strip() for part in xml_text(value).split(";") if part.strip()]


def guid(run_id: str, kind: str, key: str) -> str:
    """The GUID of one element of a run's export: the same run gives the same GUIDs."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{run_id}\x1f{kind}\x1f{key}"))


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    codable: bool
    colour: str
    description: str = ""
    children: tuple[Code, ...] = ()


@dataclass(frozen=True)
class RunCodes:
    """The code tree of a run and where each theme, mechanism and function sits in it."""

    codes: tuple[Code, ...]
    themes: dict[str, str] = field(default_factory=dict)  # theme id -> code GUID
    mechanisms: dict[str, str] = field(default_factory=dict)  # mechanism id -> code GUID
    functions: dict[str, str] = field(default_factory=dict)  # Dutch function -> code GUID
    segment_functions: dict[str, str] = field(default_factory=dict)  # segment id -> Dutch function

    def codable(self) -> list[Code]:
        """Every codable code, depth first, in the order of the tree."""
        out: list[Code] = []

        def walk(codes):
            for code in codes:
                if code.codable:
                    out.append(code)
                walk(code.children)

        walk(self.codes)
        return out


def run_codes(tables: RunTables) -> RunCodes:
    """The codes of the run: themes, the group Mechanismen, the group Functies (each when present)."""
    run_id = xml_text((tables.info or {}).get("run_id", "")) or "run"
    themes, theme_codes = _theme_codes(tables, run_id)
    mechanisms, mechanism_group = _mechanism_codes(tables, run_id)
    segment_functions = _segment_functions(tables)
    functions, function_group = _function_codes(segment_functions, run_id)
    groups = tuple(g for g in (mechanism_group, function_group) if g is not None)
    return RunCodes(codes=theme_codes + groups, themes=themes, mechanisms=mechanisms, functions=functions,
                    segment_functions=segment_functions)


def _theme_codes(tables: RunTables, run_id: str) -> tuple[dict[str, str], tuple[Code, ...]]:
    noun = case_noun(tables.info)
    ids: dict[str, str] = {}
    codes: list[Code] = []
    for i, theme in enumerate(tables.themes.to_dict("records")):
        theme_id = xml_text(theme.get("theme_id"))
        if not theme_id:
            continue
        label = xml_text(theme.get("label"))
        code = Code(guid(run_id, "theme", theme_id), f"{theme_id} · {label}" if label else theme_id, True,
                    _THEME_COLOURS[i % len(_THEME_COLOURS)], _theme_description(theme, noun))
        ids[theme_id] = code.guid
        codes.append(code)
    return ids, tuple(codes)


def _mechanism_codes(tables: RunTables, run_id: str) -> tuple[dict[str, str], Code | None]:
    """One code per mechanism, also those only the segments or the evidence name."""
    segments, evidence, mechanisms = tables.segments, tables.mechanism_evidence, tables.mechanisms
    noun = case_noun(tables.info)
    referenced: list[str] = []
    if "mechanism_ids" in segments:
        for value in segments["mechanism_ids"]:
            referenced += split_ids(value)
    if evidence is not None and "mechanism_id" in evidence:
        referenced += [xml_text(m) for m in evidence["mechanism_id"] if xml_text(m)]
    rows = mechanisms.to_dict("records") if mechanisms is not None else []
    known = {xml_text(m.get("mechanism_id")) for m in rows}
    rows += [{"mechanism_id": m} for m in sorted(set(referenced) - known)]
    ids: dict[str, str] = {}
    children: list[Code] = []
    for mechanism in rows:
        mechanism_id = xml_text(mechanism.get("mechanism_id"))
        if not mechanism_id or mechanism_id in ids:
            continue
        label = xml_text(mechanism.get("label"))
        name = f"{mechanism_id} · {label}" if label else mechanism_id
        status = _analyst_status(mechanism)
        code = Code(guid(run_id, "mechanism", mechanism_id), f"{name} [{status}]" if status else name,
                    True, _MECHANISM_COLOUR, _mechanism_description(mechanism, noun))
        ids[mechanism_id] = code.guid
        children.append(code)
    if not children:
        return ids, None
    return ids, Code(guid(run_id, "group", "Mechanismen"), "Mechanismen", False, _GROUP_COLOUR,
                     f"Mechanismen over de {noun.plural} heen: telkens een patroon dat in meerdere {noun.plural} terugkomt, "
                     "met de fragmenten die het onderbouwen.", tuple(children))


def _segment_functions(tables: RunTables) -> dict[str, str]:
    """Segment id -> its function in Dutch: its own, else the one its mechanism evidence names.
    Only segments of the run's documents, which are the ones the .qdpx codes."""
    segments, evidence = tables.segments, tables.mechanism_evidence
    from_evidence: dict[str, str] = {}
    if evidence is not None and {"segment_id", "function"} <= set(evidence.columns):
        for seg_id, function in zip(evidence["segment_id"], evidence["function"]):
            if xml_text(function).strip():
                from_evidence.setdefault(xml_text(seg_id), function_label(xml_text(function)))
    docs = set(tables.documents["doc_id"].map(xml_text)) if "doc_id" in tables.documents else set()
    out: dict[str, str] = {}
    for seg in segments.to_dict("records"):
        seg_id = xml_text(seg.get("segment_id"))
        if xml_text(seg.get("doc_id")) not in docs:
            continue
        own = xml_text(seg.get("function")).strip()
        function = function_label(own) if own else from_evidence.get(seg_id, "")
        if function:
            out[seg_id] = function
    return out


def _function_codes(segment_functions: dict[str, str], run_id: str) -> tuple[dict[str, str], Code | None]:
    """One Dutch code per function a segment has, in the fixed order, then any other by name."""
    counts = Counter(segment_functions.values())
    if not counts:
        return {}, None
    names = [f for f in FUNCTIONS if f in counts] + sorted(set(counts) - set(FUNCTIONS))
    children = []
    for name in names:
        meaning = FUNCTION_MEANING.get(name, "zoals de run de uitspraak benoemt")
        n = counts[name]
        children.append(Code(guid(run_id, "function", name), name, True, _FUNCTION_COLOURS.get(name, "#555555"),
                             f"Functie van de uitspraak: {meaning}. {counted(n, 'fragment', 'fragmenten')}."))
    group = Code(guid(run_id, "group", "Functies"), "Functies", False, _GROUP_COLOUR,
                 "Functie van de uitspraak: wat een fragment doet (een vraag stellen, een spanning, drempel, "
                 "bezorgdheid of nood benoemen, een wens of praktijk, waardering, of een vaststelling).",
                 tuple(children))
    return {c.name: c.guid for c in children}, group


def _theme_description(theme: dict, noun: CaseNoun) -> str:
    parts = []
    terms = xml_text(theme.get("top_terms"))
    if terms:
        parts.append(f"Kernwoorden: {terms}.")
    n_segments, n_cases = xml_text(theme.get("n_segments")), xml_text(theme.get("n_cases"))
    if n_segments and n_cases:
        spread = f"{counted(n_segments, 'fragment', 'fragmenten')} in {noun(n_cases)}"
        cases = xml_text(theme.get("cases"))
        parts.append(f"{spread}: {cases}." if cases else f"{spread}.")
    return " ".join(parts)


def _analyst_status(mechanism: dict) -> str:
    """"bevestigd door analist", "nieuw door analist", ... or "" (see `analyst_status`)."""
    return analyst_status(xml_text(mechanism.get("source")))


def _mechanism_description(mechanism: dict, noun: CaseNoun) -> str:
    parts = []
    status = _analyst_status(mechanism)
    if status:
        parts.append(status[0].upper() + status[1:] + ".")
    cases = xml_text(mechanism.get("cases"))
    n_cases = xml_text(mechanism.get("n_cases"))
    if cases:
        parts.append(f"In {noun(n_cases) if n_cases else noun.plural}: {cases}.")
    themes = xml_text(mechanism.get("themes"))
    if themes:
        parts.append(f"Thema's: {themes}.")
    n_segments = xml_text(mechanism.get("n_segments"))
    if n_segments:
        parts.append(f"{counted(n_segments, 'fragment', 'fragmenten')}.")
    return " ".join(parts)


# --- writing ---------------------------------------------------------------------------------


def append_codes(parent, codes, namespace: str) -> None:
    """The codes as `<Code>` elements (with their children) under `parent`, in `namespace`:
    the same elements in a project (.qdpx) and in a codebook (.qdc)."""
    from lxml import etree

    for code in codes:
        node = etree.SubElement(parent, f"{{{namespace}}}Code")
        node.set("guid", code.guid)
        node.set("name", code.name)
        node.set("isCodable", "true" if code.codable else "false")
        node.set("color", code.colour)
        if code.description:
            etree.SubElement(node, f"{{{namespace}}}Description").text = code.description
        append_codes(node, code.children, namespace)


def codebook_qdc(tables: RunTables) -> bytes:
    """The run's codes as a REFI-QDA codebook (.qdc)."""
    from lxml import etree

    version = (tables.info or {}).get("versions", {}).get("stadsgenoten", "")
    root = etree.Element(f"{{{CODEBOOK_NAMESPACE}}}CodeBook", nsmap={None: CODEBOOK_NAMESPACE})
    root.set("origin", xml_text(f"stadsgenoten {version}".strip()))
    codes = etree.SubElement(root, f"{{{CODEBOOK_NAMESPACE}}}Codes")
    # the schema wants at least one Code; a run without themes or functions still gets a valid file
    append_codes(codes, run_codes(tables).codes or _no_codes(tables), CODEBOOK_NAMESPACE)
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode("utf-8")


def _no_codes(tables: RunTables) -> tuple[Code, ...]:
    run_id = xml_text((tables.info or {}).get("run_id", "")) or "run"
    return (Code(guid(run_id, "group", "Thema's"), "Thema's", False, _GROUP_COLOUR,
                 "Deze run heeft nog geen thema's of functies om te coderen."),)


def codebook_csv(tables: RunTables) -> bytes:
    """The codable codes as CSV for Taguette: name, description (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["name", "description"])
    for code in run_codes(tables).codable():
        writer.writerow([code.name, code.description])
    return buffer.getvalue().encode("utf-8-sig")


def write_codebook_qdc(tables: RunTables, path: str | Path) -> Path:
    """Write codeboek.qdc at `path` (atomically); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, codebook_qdc(tables))


def write_codebook_csv(tables: RunTables, path: str | Path) -> Path:
    """Write codeboek.csv at `path` (atomically); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, codebook_csv(tables))
