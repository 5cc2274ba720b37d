"""Export a run as a REFI-QDA project (.qdpx) for QualCoder, NVivo, ATLAS.ti and MAXQDA.

A .qdpx is a zip with `project.qde` (QDA-XML, REFI-QDA Project schema 1.0) and the documents'
plain text in a `sources/` folder. What goes where:

  Users       one user, "stadsgenoten", who created every element
  CodeBook    the codes of the run (`_codebook.run_codes`, the same as codeboek.qdc): one code per
              theme ("T01 · label", description: key terms and spread), a non-codable group
              "Mechanismen" with one child code per mechanism and a group "Functies" with one Dutch
              code per statement function the segments have (when the run has them)
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
import zipfile
from functools import partial
from pathlib import Path

import pandas as pd

from ..errors import PipelineError
from ..store import RunTables, created_utc, write_atomic
from ._codebook import FUNCTIONS, GUID_NAMESPACE, append_codes, guid, run_codes, split_ids
from ._codebook import xml_text as _xml_text
from ._wording import case_noun, counted

__all__ = ["write_qdpx", "qdpx_bytes", "build_project", "FUNCTIONS", "QDA_NAMESPACE", "GUID_NAMESPACE", "validate_qde"]

QDA_NAMESPACE = "urn:QDA-XML:project:1.0"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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


def _timestamp(info: dict) -> str:
    """The run's creation time as xsd:dateTime in UTC with a Z (what importers parse best)."""
    return created_utc(info).strftime("%Y-%m-%dT%H:%M:%SZ")


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
        self.guid = partial(guid, self.run_id)  # guid(kind, key), as the codes have them
        self.created = _timestamp(info)
        self.version = info.get("versions", {}).get("stadsgenoten", "")
        self.noun = case_noun(info)
        self.user = self.guid("user", "stadsgenoten")
        self.docs = tables.documents.sort_values("doc_id", kind="stable").to_dict("records")
        self.cases = sorted({_xml_text(d.get("case")) for d in self.docs if _xml_text(d.get("case"))})
        self.doc_guids = {_xml_text(d["doc_id"]): self.guid("source", _xml_text(d["doc_id"])) for d in self.docs}
        self.case_vars = {name: (self.guid("variable", name), kind) for name, kind in (
            ("Aantal documenten", "Integer"), ("Aantal sessies", "Integer"), ("Sessies", "Text"),
            ("Aantal fragmenten", "Integer"))}
        # the document's case under the run's case noun ('Stad', 'Ministerie'); 'Case' if that noun is
        # also the name of another variable ('sessie/sessies'), so the two never share one variable
        others = ("Sessie", "Rol", "Datum", "Bronbestand", "Formaat")
        self.case_var = self.noun.Singular if self.noun.Singular not in others else "Case"
        self.source_vars = {name: (self.guid("variable", name), "Text") for name in (self.case_var,) + others}
        self.codes = run_codes(tables)

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

        if self.codes.codes:
            append_codes(self.el(self.el(root, "CodeBook"), "Codes"), self.codes.codes, ns)
        if self.docs:
            self._variables(root)
        if self.cases:
            self._cases(root)
        files = self._sources(root) if self.docs else {}
        self.text_el(root, "Description",
                     f"Export van stadsgenoten-run {self.run_id}: {len(self.docs)} documenten uit "
                     f"{self.noun(len(self.cases))}. Codes: de thema's, de mechanismen en de functies van uitspraken; "
                     "gecodeerde stukken zijn de tekstfragmenten van de run (segments.csv, start_char/end_char). "
                     f"Kenmerken van {self.noun.plural} en documenten staan als variabelen bij de cases en de bronnen.")
        body = self.etree.tostring(root, encoding="unicode", pretty_print=True)
        qde = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode("utf-8")
        return qde, files

    def _variables(self, root) -> None:
        variables = self.el(root, "Variables")
        for name, (var_guid, kind) in {**self.case_vars, **self.source_vars}.items():
            variable = self.el(variables, "Variable", guid=var_guid, name=name, typeOfVariable=kind)
            self.text_el(variable, "Description", f"kenmerk van een {self.noun.singular}" if name in self.case_vars
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
            self.text_el(node, "Description", f"{self.noun.Singular} {case}: {counted(len(case_docs), 'document', 'documenten')} "
                         f"uit {counted(len(sessions), 'sessie', 'sessies')}.")
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
                raise PipelineError(f"qdpx: geen tekst voor document {doc_id!r} (ontbreekt texts/ in de runmap?)")
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
            for name, column in ((self.case_var, "case"), ("Sessie", "session"), ("Rol", "role"), ("Datum", "date"),
                                 ("Bronbestand", "source_file"), ("Formaat", "format")):
                self.value(source, self.source_vars[name], d.get(column))
        return files

    def _selection(self, source, seg: dict, text: str, doc_id: str, evidence_mechanisms: list[str]) -> None:
        """The segment as a PlainTextSelection with one Coding per code (theme, function, mechanisms)."""
        seg_id = _xml_text(seg["segment_id"])
        targets: list[str] = []
        codes = self.codes
        theme_id = _xml_text(seg.get("theme_id"))
        if theme_id in codes.themes:
            targets.append(codes.themes[theme_id])
        function = codes.segment_functions.get(seg_id, "")  # Dutch, one code per function
        if function in codes.functions:
            targets.append(codes.functions[function])
        for mechanism_id in dict.fromkeys(split_ids(seg.get("mechanism_ids")) + evidence_mechanisms):
            if mechanism_id in codes.mechanisms:
                targets.append(codes.mechanisms[mechanism_id])
        if not targets:
            return
        start, end = int(seg["start_char"]), int(seg["end_char"])
        if not 0 <= start < end <= len(text):
            raise PipelineError(f"qdpx: fragment {seg_id} heeft posities {start}..{end} buiten zijn "
                                f"document ({len(text)} tekens)")
        if "text" in seg and _xml_text(seg["text"]) and text[start:end] != seg["text"]:
            raise PipelineError(f"qdpx: fragment {seg_id}: text[{start}:{end}] van {doc_id} is niet de "
                                "tekst van het fragment; texts/ en segments.csv in de runmap verschillen")
        selection = self.el(source, "PlainTextSelection", guid=self.guid("selection", seg_id), name=seg_id,
                            startPosition=start, endPosition=end, creatingUser=self.user,
                            creationDateTime=self.created)
        for target in dict.fromkeys(targets):
            coding = self.el(selection, "Coding", guid=self.guid("coding", f"{seg_id}\x1f{target}"),
                             creatingUser=self.user, creationDateTime=self.created)
            self.el(coding, "CodeRef", targetGUID=target)


def _source_description(doc: dict) -> str:
    parts = [_xml_text(doc.get(k)) for k in ("source_file", "case", "session", "role", "date")]
    return " — ".join(p for p in parts if p)
