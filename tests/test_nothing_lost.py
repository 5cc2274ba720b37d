"""Issue "Nothing lost": on the demo corpus and on the bad-input fixtures, every non-empty paragraph
of every accepted input lands in exactly one segment, every segment's offsets cut its own text out
of the normalised document text, and run.json's counts agree with the run folder.

The paragraphs come from an independent reading of the ORIGINAL files, not from ingest:
python-docx paragraphs and table cells, pdfplumber page text (line by line: a PDF has no paragraph
marks), text files split on blank lines, spreadsheet cells read with openpyxl. Texts are compared on
a key that ignores white space and hyphens, so PDF line wraps and repaired hyphenation match; a line
that opens with a speaker label ("Buurtwerker: ...") starts a new turn, and the label itself may lie
outside the segment (it is kept in `speaker`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline import load_config

from pipeline import run
from pipeline.config import DEMO_CORPUS
from pipeline.corpus import count_paragraphs
from pipeline.store import load_run

# Pseudonymisation replaces names in documents.text on purpose; what is checked here is that
# reading and segmenting lose nothing, so the runs use PLAIN settings (pseudonymisation off).
from .fixtures_bad import PLAIN, TRACKED_PARAGRAPHS, run_fixture_corpus

# What the independent reading cannot see: python-docx drops tracked insertions, content controls
# and text boxes; for that fixture the paragraphs are the ones the fixture wrote.
KNOWN_PARAGRAPHS = {"oostende_nagelezen.docx": TRACKED_PARAGRAPHS}

_DROP = set("-\u00ad\u200b\u200c\u200d\u2060\ufeff")
_TURN = re.compile(r"[A-ZÀ-Ý][^\n:]{0,60}:\s")  # a line that may open a speaker turn (generous)


def key(text: str) -> str:
    """White space and hyphens removed, compatibility forms folded (ligatures, NBSP)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace() and ch not in _DROP)


def keyed(text: str, offset: int = 0) -> tuple[str, list[int]]:
    """key(text) and, per key character, its offset in text (+ offset)."""
    chars, positions = [], []
    for i, ch in enumerate(text):
        for k in unicodedata.normalize("NFKC", ch):
            if not k.isspace() and k not in _DROP:
                chars.append(k)
                positions.append(offset + i)
    return "".join(chars), positions


def units(paragraphs: list[str]) -> list[str]:
    """Paragraphs split further on blank lines and on lines that open a speaker turn."""
    out = []
    for paragraph in paragraphs:
        for block in re.split(r"\n[ \t\u00a0]*\n", paragraph.replace("\r\n", "\n").replace("\r", "\n")):
            piece: list[str] = []
            for line in block.split("\n"):
                if piece and _TURN.match(line.strip()):
                    out.append("\n".join(piece))
                    piece = []
                piece.append(line)
            out.append("\n".join(piece))
    return [u for u in out if key(u)]


# --------------------------------------------------------------------------- independent readers


def _decode(data: bytes) -> str:
    boms = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, encoding in boms:
        if data.startswith(bom):
            return data.decode(encoding)
    if b"\x00" in data:
        return data.decode("utf-16-le")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def original_paragraphs(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        return [_decode(path.read_bytes())]
    if suffix == ".docx":
        import docx

        paragraphs = []
        for item in docx.Document(str(path)).iter_inner_content():
            if hasattr(item, "rows"):
                for row in item.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            paragraphs.append(cell.text)
            else:
                paragraphs.append(item.text)
        return paragraphs
    if suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            return [line for page in pdf.pages for line in (page.extract_text() or "").split("\n")]
    raise AssertionError(f"no independent reader for {path}")


def sheet_cells(path: Path, text_column: str = "Antwoord", question_column: str = "Vraag"):
    """{(sheet, row): (question, answer)} for every row with a non-empty answer cell (openpyxl).
    A question cell that is part of a merged range, or blank, takes the question above it."""
    from openpyxl import load_workbook

    wb = load_workbook(str(path))
    out = {}
    for ws in wb.worksheets:
        header_row = next((r for r in range(1, 11) if any(
            str(c.value or "").strip().lower() == text_column.lower() for c in ws[r])), None)
        if header_row is None:
            continue
        names = {str(c.value or "").strip().lower(): c.column for c in ws[header_row]}
        a_col, q_col = names[text_column.lower()], names.get(question_column.lower())
        merged = {}
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    merged[(row, col)] = ws.cell(rng.min_row, rng.min_col).value
        question = ""
        for row in range(header_row + 1, ws.max_row + 1):
            if q_col:
                value = ws.cell(row, q_col).value or merged.get((row, q_col))
                question = str(value).strip() if value not in (None, "") else question
            answer = ws.cell(row, a_col).value
            if answer is not None and str(answer).strip():
                out[(ws.title, row)] = (question, str(answer))
        break  # ingest reads the first sheet with the text column
    return out


# --------------------------------------------------------------------------- the checks


def check_unit(where: str, text: str, start: int, end: int, paragraphs: list[str], segments: list) -> int:
    """Every unit of `paragraphs` lies in exactly one segment of text[start:end], in order, and
    together they are all of that text. Returns the number of units checked."""
    pieces = units(paragraphs)
    expected, positions = keyed(text[start:end], start)
    found = "".join(key(p) for p in pieces)
    if found != expected:
        i = next((i for i, (a, b) in enumerate(zip(found, expected)) if a != b), min(len(found), len(expected)))
        a, b = max(0, i - 40), i + 40
        raise AssertionError(f"{where}: the original and the document text differ at key position {i}: "
                             f"original …{found[a:b]}… document …{expected[a:b]}…")
    starts = [s["start"] for s in segments]
    at = 0
    for piece in pieces:
        k = key(piece)
        c0, c1 = positions[at], positions[at + len(k) - 1] + 1
        at += len(k)
        i = bisect.bisect_right(starts, c1 - 1) - 1  # the last segment starting before the unit ends
        hits = [s for s in segments[max(0, i - 1):i + 2] if s["start"] < c1 and s["end"] > c0]
        assert len(hits) == 1, f"{where}: {piece[:60]!r} lies in {len(hits)} segments"
        seg = hits[0]
        assert seg["end"] >= c1, f"{where}: {piece[:60]!r} runs past its segment"
        if seg["start"] > c0:  # only a speaker label may stay outside the segment
            label = text[c0:seg["start"]].strip()
            assert seg["speaker"] and label.rstrip(":").strip() == seg["speaker"], \
                f"{where}: {label!r} left outside segment {seg['segment_id']}"
    return len(pieces)


def check_nothing_lost(corpus_root: Path, result) -> int:
    """Runs the paragraph checks over every accepted file; returns the number of units checked."""
    segments_by_doc = defaultdict(list)
    for seg in result.segments.sort_values(["doc_id", "start_char"]).to_dict("records"):
        segments_by_doc[seg["doc_id"]].append({"segment_id": seg["segment_id"], "start": seg["start_char"],
                                               "end": seg["end_char"], "speaker": seg["speaker"]})
    documents = result.documents
    read = [r for r in result.info["inputs"] if r["status"] == "read"]
    assert read
    n_units = 0
    for record in read:
        path = corpus_root / record["path"]
        docs = documents[documents["source_file"] == record["path"]]
        assert len(docs) == record["n_documents"] >= 1, f"{record['path']}: accepted but no document"
        if path.suffix.lower() in (".xlsx", ".csv"):
            n_units += _check_sheet(path, docs, segments_by_doc)
            continue
        [doc] = docs.to_dict("records")
        paragraphs = KNOWN_PARAGRAPHS.get(record["path"]) or original_paragraphs(path)
        n_units += check_unit(record["path"], doc["text"], 0, len(doc["text"]), paragraphs,
                              segments_by_doc[doc["doc_id"]])
    return n_units


def _check_sheet(path: Path, docs, segments_by_doc) -> int:
    cells = sheet_cells(path)
    seen_rows, n_units = [], 0
    for doc in docs.to_dict("records"):
        covered = [False] * len(doc["text"])
        for block in doc["blocks"]:
            sheet, _, row = block["location"].rpartition(" rij ")
            question, answer = cells[(sheet, int(row))]
            where = f"{path.name} {block['location']} ({block['kind']})"
            if block["kind"] == "answer":
                seen_rows.append((sheet, int(row)))
            n_units += check_unit(where, doc["text"], block["start"], block["end"],
                                  [answer if block["kind"] == "answer" else question], segments_by_doc[doc["doc_id"]])
            covered[block["start"]:block["end"]] = [True] * (block["end"] - block["start"])
        stray = "".join(ch for ch, c in zip(doc["text"], covered) if not c).strip()
        assert stray == "", f"{doc['doc_id']}: text outside the question/answer blocks: {stray[:80]!r}"
    assert sorted(seen_rows) == sorted(cells), f"{path.name}: answer rows read once each"
    return n_units


def check_run_folder(run_dir: Path) -> None:
    """Offsets cut out each segment's text; segments do not overlap; counts agree with the files."""
    tables = load_run(run_dir)
    info, segments = tables.info, tables.segments
    for doc_id, group in segments.groupby("doc_id"):
        text = tables.texts[doc_id]
        group = group.sort_values("start_char")
        for seg in group.itertuples():
            assert text[seg.start_char:seg.end_char] == seg.text, seg.segment_id
        assert (group["start_char"].to_numpy()[1:] >= group["end_char"].to_numpy()[:-1]).all(), doc_id
    counts = info["counts"]
    assert counts["segments"] == len(segments)
    assert counts["documents"] == len(tables.documents)
    # paragraphs_in = the non-empty blank-line paragraphs of the document texts, per file and in all;
    # each such paragraph holds at least one segment and no segment crosses a paragraph boundary.
    per_file = defaultdict(int)
    for doc in tables.documents.itertuples():
        text = tables.texts[doc.doc_id]
        per_file[doc.source_file] += count_paragraphs(text)
        bounds = [(m.start(), m.end()) for m in re.finditer(r"[^\n](?:.|\n(?!\n))*", text) if m.group().strip()]
        segs = segments[segments["doc_id"] == doc.doc_id]
        inside = [sum(1 for s, e in zip(segs["start_char"], segs["end_char"]) if b0 <= s and e <= b1)
                  for b0, b1 in bounds]
        assert all(n >= 1 for n in inside), f"{doc.doc_id}: a paragraph without a segment"
        assert sum(inside) == len(segs), f"{doc.doc_id}: a segment crosses a paragraph boundary"
    for record in info["inputs"]:
        assert record["n_paragraphs"] == per_file.get(record["path"], 0), record["path"]
    assert counts["paragraphs_in"] == sum(per_file.values()) <= counts["segments"]


# --------------------------------------------------------------------------- the runs




@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    if not (DEMO_CORPUS / "manifest.csv").is_file():
        pytest.skip("the demo corpus is not there (yet)")
    out = tmp_path_factory.mktemp("demo-run")
    return run(load_config(**{"corpus.path": str(DEMO_CORPUS), "output.out_dir": str(out), **PLAIN}))


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    return run_fixture_corpus(tmp_path_factory)


def test_demo_corpus_loses_no_paragraph(demo_run):
    assert demo_run.info["counts"]["files_skipped"] == 0, demo_run.info["skipped"]
    assert check_nothing_lost(DEMO_CORPUS, demo_run) >= demo_run.info["counts"]["paragraphs_in"]


def test_demo_run_folder_offsets_and_counts(demo_run):
    check_run_folder(demo_run.run_dir)


def test_fixtures_lose_no_paragraph(fixture_run):
    assert check_nothing_lost(fixture_run.root, fixture_run.result) > 0


def test_fixture_run_folder_offsets_and_counts(fixture_run):
    check_run_folder(fixture_run.run_dir)


def test_the_check_notices_a_lost_paragraph(fixture_run):
    """The check itself: drop one segment, or shorten one, and it fails."""
    result = fixture_run.result
    doc = result.documents[result.documents["source_file"] == "gent_tafel1.txt"].iloc[0]
    segs = [{"segment_id": s.segment_id, "start": s.start_char, "end": s.end_char, "speaker": s.speaker}
            for s in result.segments[result.segments["doc_id"] == doc["doc_id"]].itertuples()]
    paragraphs = original_paragraphs(fixture_run.root / "gent_tafel1.txt")
    assert check_unit("ok", doc["text"], 0, len(doc["text"]), paragraphs, segs) > 0
    with pytest.raises(AssertionError, match="lies in 0 segments"):
        check_unit("dropped", doc["text"], 0, len(doc["text"]), paragraphs, segs[:3] + segs[4:])
    shorter = [dict(s) for s in segs]
    shorter[5]["end"] -= 5
    with pytest.raises(AssertionError, match="runs past its segment"):
        check_unit("cut", doc["text"], 0, len(doc["text"]), paragraphs, shorter)
    with pytest.raises(AssertionError, match="differ"):
        check_unit("changed", doc["text"].replace("doolhof", "doolhoef"), 0, len(doc["text"]) + 1, paragraphs, segs)


def test_run_json_counts_segments_per_input(fixture_run):
    per_file = fixture_run.result.segments.groupby("source_file").size()
    for record in fixture_run.info["inputs"]:
        assert record["n_segments"] == per_file.get(record["path"], 0), record["path"]
