"""Export a run as a REFI-QDA project (.qdpx) for QualCoder, NVivo, ATLAS.ti and MAXQDA.

A .qdpx is a zip with `project.qde` (QDA-XML, REFI-QDA Project schema 1.0) and the documents'
plain text in a `sources/` folder. What goes where:

  Users       one user, "stadsgenoten", who created every element
  CodeBook    one code per theme ("T01 · label", description: key terms and spread), a
              non-codable group "Mechanismen" with one child code per mechanism and a group
              "Functies" with one child code per statement function (when the run has them)
  Variables   case attributes (number of documents, sessions, segments) and document attributes
              (city, session, role, date, source file, format)
  Cases       one case per city, with its attribute values and a SourceRef per document
  Sources     one TextSource per document: plainTextPath "internal://<guid>.txt" pointing at
              sources/<guid>.txt (UTF-8 without byte-order mark, "\\n" line ends: exactly the
              normalised text of the run), one PlainTextSelection per coded segment at
              start_char/end_char, with one Coding per code (theme, function, mechanisms)

Positions are Unicode code points from the start of the text file (Python str indices), so
`text[startPosition:endPosition]` is the segment's text. Every GUID is a uuid5 of the run id and
a stable id, and zip members carry a fixed timestamp, so exporting the same run twice gives the
same bytes.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

import pandas as pd

from ..errors import PipelineError
from ..store import RunTables, created_utc, write_atomic

__all__ = ["write_qdpx", "qdpx_bytes", "build_project", "FUNCTIONS", "QDA_NAMESPACE", "GUID_NAMESPACE", "validate_qde"]

QDA_NAMESPACE = "urn:QDA-XML:project:1.0"
# Fixed namespace for uuid5 GUIDs: never change it, or exports of the same run stop matching.
GUID_NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4c39-9e0a-3d2f8b4c1a57")
# Statement functions in a fixed order (the codebook is the same across runs).
FUNCTIONS = ("bezorgdheid", "nood", "drempel", "vraag", "wens", "praktijk", "waardering", "spanning")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_THEME_COLOURS = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
    "#BCBD22", "#17BECF", "#393B79", "#637939", "#8C6D31", "#843C39", "#7B4173", "#3182BD",
    "#E6550D", "#31A354", "#756BB1", "#636363",
)
_FUNCTION_COLOURS = {
    "bezorgdheid": "#E6AB02", "nood": "#D95F02", "drempel": "#E7298A", "vraag": "#7570B3",
    "wens": "#1B9E77", "praktijk": "#66A61E", "waardering": "#A6761D", "spanning": "#E41A1C",
}
_MECHANISM_COLOUR = "#4B6C8B"
_GROUP_COLOUR = "#999999"
# Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def write_qdpx(tables: RunTables, path: str | Path) -> Path:
    """Write the run as a .qdpx at `path` (atomically); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, qdpx_bytes(tables))


def qdpx_bytes(tables: RunTables) -> bytes:
    """The .qdpx zip of the run, built in memory."""
    qde, sources = build_project(tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "project.qde", qde)
        for name, text in sources.items():
            _add(archive, name, text.encode("utf-8"))
    return buffer.getvalue()


def validate_qde(qde: bytes, xsd_path: str | Path) -> list[str]:
    """Schema errors of a project.qde against the REFI-QDA Project.xsd ([] when valid)."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(xsd_path))
    return [str(e.reason or e) for e in schema.iter_errors(io.BytesIO(qde))]


# ---------------------------------------------------------------------------------------------


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the permission bits below mean the same everywhere
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    archive.writestr(info, data)


def _xml_text(value) -> str:
    """Text for XML: "" for None/NaN/pd.NA, characters XML 1.0 cannot hold removed."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _NOT_XML.sub("", str(value))


def _timestamp(info: dict) -> str:
    """The run's creation time as xsd:dateTime in UTC with a Z (what importers parse best)."""
    return created_utc(info).strftime("%Y-%m-%dT%H:%M:%SZ")


def _split_ids(value) -> list[str]:
    text = _xml_text(value)
    return [part.strip() for part in text.split(";") if part.strip()]


class _Guids:
    def __init__(self, run_id: str):
        self.run_id = run_id

    def __call__(self, kind: str, key: str) -> str:
        return str(uuid.uuid5(GUID_NAMESPACE, f"{self.run_id}\x1f{kind}\x1f{key}"))


def _source_names(doc_ids: list[str]) -> dict[str, str]:
    """Document names without "/" (importers use them as file names), unique."""
    names: dict[str, str] = {}
    seen: set[str] = set()
    for doc_id in doc_ids:
        base = doc_id.replace("/", "_").replace("\\", "_").replace("#", " - ")
        name, n = base, 2
        while name.lower() in seen:
            name = f"{base} ({n})"
            n += 1
        seen.add(name.lower())
        names[doc_id] = name
    return names


def build_project(tables: RunTables) -> tuple[bytes, dict[str, str]]:
    """(project.qde bytes, {zip member name: text}) for the run; raises PipelineError when a
    segment's offsets do not cut its text out of its document."""
    return _Project(tables).build()


class _Project:
    """The QDA-XML tree of one run; each part of the project (codebook, variables, cases, sources)
    is one method, in the order the schema wants them."""

    def __init__(self, tables: RunTables):
        from lxml import etree

        self.etree = etree
        self.tables = tables
        info = tables.info or {}
        self.run_id = str(info.get("run_id", "") or "run")
        self.guid = _Guids(self.run_id)
        self.created = _timestamp(info)
        self.version = info.get("versions", {}).get("stadsgenoten", "")
        self.user = self.guid("user", "stadsgenoten")
        self.docs = tables.documents.sort_values("doc_id", kind="stable").to_dict("records")
        self.cases = sorted({_xml_text(d.get("case")) for d in self.docs if _xml_text(d.get("case"))})
        self.doc_guids = {_xml_text(d["doc_id"]): self.guid("source", _xml_text(d["doc_id"])) for d in self.docs}
        self.case_vars = {name: (self.guid("variable", name), kind) for name, kind in (
            ("Aantal documenten", "Integer"), ("Aantal sessies", "Integer"), ("Sessies", "Text"),
            ("Aantal fragmenten", "Integer"))}
        self.source_vars = {name: (self.guid("variable", name), "Text") for name in (
            "Stad", "Sessie", "Rol", "Datum", "Bronbestand", "Formaat")}
        self.theme_codes: dict[str, str] = {}
        self.mechanism_codes: dict[str, str] = {}
        self.function_codes: dict[str, str] = {}
        self.evidence_functions: dict[str, str] = {}  # segment id -> its function in mechanism_evidence

    # --- elements ------------------------------------------------------------------------------

    def el(self, parent, tag: str, **attrs):
        node = self.etree.SubElement(parent, f"{{{QDA_NAMESPACE}}}{tag}")
        for key, value in attrs.items():
            node.set(key, _xml_text(value))
        return node

    def text_el(self, parent, tag: str, text) -> None:
        node = self.etree.SubElement(parent, f"{{{QDA_NAMESPACE}}}{tag}")
        node.text = _xml_text(text)

    def value(self, parent, var: tuple[str, str], content) -> None:
        node = self.el(parent, "VariableValue")
        self.el(node, "VariableRef", targetGUID=var[0])
        self.text_el(node, "IntegerValue" if var[1] == "Integer" else "TextValue", content)

    # --- the project ---------------------------------------------------------------------------

    def build(self) -> tuple[bytes, dict[str, str]]:
        ns = QDA_NAMESPACE
        root = self.etree.Element(f"{{{ns}}}Project", nsmap={None: ns})
        root.set("name", _xml_text(f"Stadsgenoten {self.run_id}"))
        root.set("origin", _xml_text(f"stadsgenoten {self.version}".strip()))
        root.set("creatingUserGUID", self.user)
        root.set("creationDateTime", self.created)
        users = self.el(root, "Users")
        self.el(users, "User", guid=self.user, name="stadsgenoten", id="SG")

        codes = self.etree.Element(f"{{{ns}}}Codes")
        self._theme_codes(codes)
        self._mechanism_codes(codes)
        self._function_codes(codes)
        if len(codes):
            self.el(root, "CodeBook").append(codes)
        if self.docs:
            self._variables(root)
        if self.cases:
            self._cases(root)
        files = self._sources(root) if self.docs else {}
        self.text_el(root, "Description",
                     f"Export van stadsgenoten-run {self.run_id}: {len(self.docs)} documenten uit {len(self.cases)} "
                     "steden. Codes: de thema's, de mechanismen en de functies van uitspraken; gecodeerde stukken "
                     "zijn de tekstfragmenten van de run (segments.csv, start_char/end_char). Kenmerken van steden "
                     "en documenten staan als variabelen bij de cases en de bronnen.")
        body = self.etree.tostring(root, encoding="unicode", pretty_print=True)
        qde = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode("utf-8")
        return qde, files

    def _theme_codes(self, codes) -> None:
        """One code per theme."""
        for i, theme in enumerate(self.tables.themes.to_dict("records")):
            theme_id = _xml_text(theme.get("theme_id"))
            if not theme_id:
                continue
            label = _xml_text(theme.get("label"))
            code = self.el(codes, "Code", guid=self.guid("theme", theme_id),
                           name=f"{theme_id} · {label}" if label else theme_id, isCodable="true",
                           color=_THEME_COLOURS[i % len(_THEME_COLOURS)])
            self.text_el(code, "Description", _theme_description(theme))
            self.theme_codes[theme_id] = code.get("guid")

    def _mechanism_codes(self, codes) -> None:
        """A group "Mechanismen" with one code per mechanism, also those only the segments or the
        evidence name."""
        segments, evidence, mechanisms = self.tables.segments, self.tables.mechanism_evidence, self.tables.mechanisms
        referenced: list[str] = []
        if "mechanism_ids" in segments:
            for value in segments["mechanism_ids"]:
                referenced += _split_ids(value)
        if evidence is not None and "mechanism_id" in evidence:
            referenced += [_xml_text(m) for m in evidence["mechanism_id"] if _xml_text(m)]
        rows = mechanisms.to_dict("records") if mechanisms is not None else []
        known = {_xml_text(m.get("mechanism_id")) for m in rows}
        rows += [{"mechanism_id": m} for m in sorted(set(referenced) - known)]
        if not rows:
            return
        group = self.el(codes, "Code", guid=self.guid("group", "Mechanismen"), name="Mechanismen",
                        isCodable="false", color=_GROUP_COLOUR)
        self.text_el(group, "Description", "Mechanismen over de steden heen: telkens een patroon dat in "
                                           "meerdere steden terugkomt, met de fragmenten die het onderbouwen.")
        for mechanism in rows:
            mechanism_id = _xml_text(mechanism.get("mechanism_id"))
            if not mechanism_id or mechanism_id in self.mechanism_codes:
                continue
            label = _xml_text(mechanism.get("label"))
            code = self.el(group, "Code", guid=self.guid("mechanism", mechanism_id),
                           name=f"{mechanism_id} · {label}" if label else mechanism_id, isCodable="true",
                           color=_MECHANISM_COLOUR)
            description = _mechanism_description(mechanism)
            if description:
                self.text_el(code, "Description", description)
            self.mechanism_codes[mechanism_id] = code.get("guid")

    def _function_codes(self, codes) -> None:
        """A group "Functies" with the fixed statement functions and any other the run uses."""
        segments, evidence = self.tables.segments, self.tables.mechanism_evidence
        seg_functions = segments["function"].map(_xml_text) if "function" in segments else None
        if evidence is not None and {"segment_id", "function"} <= set(evidence.columns):
            for seg_id, function in zip(evidence["segment_id"], evidence["function"]):
                if _xml_text(function):
                    self.evidence_functions.setdefault(_xml_text(seg_id), _xml_text(function).strip())
        if seg_functions is None and not self.evidence_functions:
            return
        used = set(self.evidence_functions.values())
        if seg_functions is not None:
            used |= {f.strip() for f in seg_functions if f.strip()}
        names = list(FUNCTIONS) + sorted(used - set(FUNCTIONS))
        group = self.el(codes, "Code", guid=self.guid("group", "Functies"), name="Functies",
                        isCodable="false", color=_GROUP_COLOUR)
        self.text_el(group, "Description", "Functie van de uitspraak: wat een fragment doet (een bezorgdheid "
                                           "uiten, een nood of drempel benoemen, een vraag of wens, een praktijk, "
                                           "waardering of spanning).")
        for function in names:
            code = self.el(group, "Code", guid=self.guid("function", function), name=function, isCodable="true",
                           color=_FUNCTION_COLOURS.get(function, "#555555"))
            self.function_codes[function] = code.get("guid")

    def _variables(self, root) -> None:
        variables = self.el(root, "Variables")
        for name, (var_guid, kind) in {**self.case_vars, **self.source_vars}.items():
            variable = self.el(variables, "Variable", guid=var_guid, name=name, typeOfVariable=kind)
            self.text_el(variable, "Description", "kenmerk van een stad" if name in self.case_vars
                         else "kenmerk van een document")

    def _cases(self, root) -> None:
        """One case per city with its attributes and its documents."""
        segments = self.tables.segments
        cases_el = self.el(root, "Cases")
        seg_cases = segments["case"].map(_xml_text) if "case" in segments else pd.Series(dtype=str)
        for case in self.cases:
            case_docs = [d for d in self.docs if _xml_text(d.get("case")) == case]
            sessions = sorted({_xml_text(d.get("session")) for d in case_docs if _xml_text(d.get("session"))})
            node = self.el(cases_el, "Case", guid=self.guid("case", case), name=case)
            self.text_el(node, "Description", f"Stad {case}: {len(case_docs)} documenten uit {len(sessions)} sessies.")
            self.value(node, self.case_vars["Aantal documenten"], len(case_docs))
            self.value(node, self.case_vars["Aantal sessies"], len(sessions))
            self.value(node, self.case_vars["Sessies"], "; ".join(sessions))
            self.value(node, self.case_vars["Aantal fragmenten"], int((seg_cases == case).sum()))
            for d in case_docs:
                self.el(node, "SourceRef", targetGUID=self.doc_guids[_xml_text(d["doc_id"])])

    def _sources(self, root) -> dict[str, str]:
        """One TextSource per document with its coded selections; returns {zip member: text}."""
        evidence = self.tables.mechanism_evidence
        evidence_mechanisms: dict[str, list[str]] = {}
        if evidence is not None and {"segment_id", "mechanism_id"} <= set(evidence.columns):
            for seg_id, mechanism_id in zip(evidence["segment_id"], evidence["mechanism_id"]):
                evidence_mechanisms.setdefault(_xml_text(seg_id), []).append(_xml_text(mechanism_id))
        by_doc: dict[str, list[dict]] = {}
        for seg in self.tables.segments.to_dict("records"):
            by_doc.setdefault(_xml_text(seg.get("doc_id")), []).append(seg)
        names = _source_names([_xml_text(d["doc_id"]) for d in self.docs])
        files: dict[str, str] = {}
        sources_el = self.el(root, "Sources")
        for d in self.docs:
            doc_id = _xml_text(d["doc_id"])
            if doc_id not in self.tables.texts:
                raise PipelineError(f"qdpx: no text for document {doc_id!r} (texts/ missing from the run folder?)")
            text = self.tables.texts[doc_id]
            src_guid = self.doc_guids[doc_id]
            files[f"sources/{src_guid}.txt"] = text
            source = self.el(sources_el, "TextSource", guid=src_guid, name=names[doc_id],
                             plainTextPath=f"internal://{src_guid}.txt", creatingUser=self.user,
                             creationDateTime=self.created)
            self.text_el(source, "Description", _source_description(d))
            rows = sorted(by_doc.get(doc_id, []), key=lambda s: (int(s["start_char"]), int(s["end_char"]),
                                                                 _xml_text(s["segment_id"])))
            for seg in rows:
                self._selection(source, seg, text, doc_id, evidence_mechanisms.get(_xml_text(seg["segment_id"]), []))
            for name, column in (("Stad", "case"), ("Sessie", "session"), ("Rol", "role"), ("Datum", "date"),
                                 ("Bronbestand", "source_file"), ("Formaat", "format")):
                self.value(source, self.source_vars[name], d.get(column))
        return files

    def _selection(self, source, seg: dict, text: str, doc_id: str, evidence_mechanisms: list[str]) -> None:
        """The segment as a PlainTextSelection with one Coding per code (theme, function, mechanisms)."""
        seg_id = _xml_text(seg["segment_id"])
        targets: list[str] = []
        theme_id = _xml_text(seg.get("theme_id"))
        if theme_id in self.theme_codes:
            targets.append(self.theme_codes[theme_id])
        function = _xml_text(seg.get("function")).strip() or self.evidence_functions.get(seg_id, "")
        if function in self.function_codes:
            targets.append(self.function_codes[function])
        for mechanism_id in dict.fromkeys(_split_ids(seg.get("mechanism_ids")) + evidence_mechanisms):
            if mechanism_id in self.mechanism_codes:
                targets.append(self.mechanism_codes[mechanism_id])
        if not targets:
            return
        start, end = int(seg["start_char"]), int(seg["end_char"])
        if not 0 <= start < end <= len(text):
            raise PipelineError(f"qdpx: segment {seg_id} has offsets {start}..{end} outside its "
                                f"document ({len(text)} characters)")
        if "text" in seg and _xml_text(seg["text"]) and text[start:end] != seg["text"]:
            raise PipelineError(f"qdpx: segment {seg_id}: text[{start}:{end}] of {doc_id} is not the "
                                "segment's text; the run folder's texts/ and segments.csv disagree")
        selection = self.el(source, "PlainTextSelection", guid=self.guid("selection", seg_id), name=seg_id,
                            startPosition=start, endPosition=end, creatingUser=self.user,
                            creationDateTime=self.created)
        for target in dict.fromkeys(targets):
            coding = self.el(selection, "Coding", guid=self.guid("coding", f"{seg_id}\x1f{target}"),
                             creatingUser=self.user, creationDateTime=self.created)
            self.el(coding, "CodeRef", targetGUID=target)


def _theme_description(theme: dict) -> str:
    parts = []
    terms = _xml_text(theme.get("top_terms"))
    if terms:
        parts.append(f"Kernwoorden: {terms}.")
    n_segments, n_cases = _xml_text(theme.get("n_segments")), _xml_text(theme.get("n_cases"))
    if n_segments and n_cases:
        spread = f"{n_segments} fragmenten in {n_cases} steden"
        cases = _xml_text(theme.get("cases"))
        parts.append(f"{spread}: {cases}." if cases else f"{spread}.")
    return " ".join(parts)


def _mechanism_description(mechanism: dict) -> str:
    parts = []
    cases = _xml_text(mechanism.get("cases"))
    n_cases = _xml_text(mechanism.get("n_cases"))
    if cases:
        parts.append(f"In {n_cases + ' ' if n_cases else ''}steden: {cases}.")
    themes = _xml_text(mechanism.get("themes"))
    if themes:
        parts.append(f"Thema's: {themes}.")
    n_segments = _xml_text(mechanism.get("n_segments"))
    if n_segments:
        parts.append(f"{n_segments} fragmenten.")
    return " ".join(parts)


def _source_description(doc: dict) -> str:
    parts = [_xml_text(doc.get(k)) for k in ("source_file", "case", "session", "role", "date")]
    return " — ".join(p for p in parts if p)
