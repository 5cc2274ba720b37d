"""Stage `segment`: documents -> segments (speaker turns, written-answer blocks, paragraphs).

Needs: the documents table (normalised text; PDF wraps and hyphenation already repaired by
ingest). Adds: the segments table. Every non-empty paragraph of a document lands in exactly one
segment, and `doc.text[start_char:end_char] == segment.text` always holds; a speaker label
("Frontlijnwerker OCMW:") is kept in `speaker`, outside the segment's span, so quotes and QDA
codings hold only what was said.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator

import pandas as pd

from ..config import SegmentConfig
from ..schema import check, empty

__all__ = ["segment", "split_paragraphs", "speaker_label"]

# "Label: text" at the start of a paragraph or line. A label is short, starts with a capital,
# and holds no sentence punctuation; "Dhr. Peeters:" and "Brugfiguur (school):" are labels,
# "Wat we zien is dit: ..." is not (too many words) and "Gent, 12/9: ..." is a date line.
_LABEL = re.compile(r"(?P<label>[A-ZÀ-Ý\[][^\n:?!;]{0,60}?)[ ]?:[ ]+(?=\S)")  # "[" = a pseudonym
_MAX_LABEL_WORDS = 6


# The Belgian Chamber's verbatim reports number each turn by agenda item and turn ("01.02 Minister Koen
# Geens: ..."). A time opens agenda lines in the same form ("10.30 Opening: ...", "14.00 uur: pauze"), so
# after such a number only a label that names someone is a speaker: see `_names_someone`.
_TURN_NUMBER = re.compile(r"\d{2}\.\d{2}[ \t]+")
# An office after an article names the one who holds it ("De voorzitter", "Le président"); the Chamber
# prints its reports in Dutch and French, hence both languages' articles.
_ARTICLES = ("de", "het", "le", "la")


def speaker_label(text: str) -> str | None:
    """The speaker label opening `text`, or None."""
    found = _label_and_end(text)
    return found[0] if found else None


def _label_and_end(text: str) -> tuple[str, int] | None:
    """The speaker label opening `text` and where the text after it starts, or None."""
    number = _TURN_NUMBER.match(text)
    skip = number.end() if number else 0
    m = _LABEL.match(text, skip)
    if not m:
        return None
    label = m.group("label").strip()
    if len(label.split()) > _MAX_LABEL_WORDS or label.endswith((".", ",")) and not re.search(r"\b[A-Z][a-z]{0,3}\.$", label):
        return None
    if re.search(r"\d{1,2}[/.-]\d{1,2}", label):  # dates and times are not speakers
        return None
    if number and not _names_someone(label):
        return None
    return label, m.end()


def _names_someone(label: str) -> bool:
    """A label of at least two words (a party in brackets aside) that ends in a capitalised name ("Annick
    Ponthier (VB)", "Minister Koen Geens"), or an office after an article ("De voorzitter"); not a one-word
    agenda item ("Opening") nor a title of several ordinary words ("Welkom en inleiding")."""
    words = re.sub(r"\s*\([^)]*\)$", "", label).split()
    if len(words) < 2:
        return False
    return words[-1][:1].isupper() or (len(words) == 2 and words[0].lower() in _ARTICLES)


def split_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines, and lines opening with a label."""
    for block in re.finditer(r"[^\n](?:.|\n(?!\n))*", text):
        start = block.start()
        lines = list(re.finditer(r"[^\n]+", block.group()))
        cut = start
        for line in lines[1:]:
            if speaker_label(line.group()):
                yield cut, start + line.start() - 1
                cut = start + line.start()
        yield cut, block.end()


def _leader(label: str, facilitators: tuple[str, ...], chairs: frozenset[str]) -> str:
    """"facilitator" for a facilitator's label ("Gespreksleider Ann:"), "voorzitter" for the bare
    office of the meeting's chair, with an article or the person in brackets ("De voorzitter (Jan
    Peeters):"), else "". Both lead and are left out of the analysis; the reason says which, since
    a chair gives the floor and reads the agenda where a facilitator asks and sums up."""
    label = label.lower()
    bare = re.sub(r"^(?:de|het)\s+|\s*\([^)]*\)\s*$", "", label).strip()
    return "facilitator" if label.startswith(facilitators) else "voorzitter" if bare in chairs else ""


def _is_heading(text: str) -> bool:
    """A title or section heading: short, unpunctuated at the end, few words."""
    return len(text) <= 90 and not text.rstrip().endswith((".", "?", "!", ":", ";", "…", '"', "'")) \
        and len(text.split()) <= 12


def segment(documents: pd.DataFrame, cfg: SegmentConfig) -> pd.DataFrame:
    """The segments table for all documents."""
    rows: list[dict] = []
    facilitators = tuple(label.lower() for label in cfg.facilitator_labels)
    chairs = frozenset(label.lower() for label in cfg.chair_labels)
    headers = {label.lower() for label in cfg.header_labels}
    for doc in documents.itertuples(index=False):
        rows.extend(_segment_document(doc, (facilitators, chairs), headers, cfg.min_chars))
    if not rows:
        return empty("segments")
    return check(pd.DataFrame(rows), "segments")


def _segment_document(doc, leaders: tuple[tuple[str, ...], frozenset[str]], headers: set[str],
                      min_chars: int) -> list[dict]:
    """The segments of one document; `leaders`: (facilitator labels, chair labels), _leader."""
    text = doc.text
    pieces: list[dict] = []
    if doc.blocks:  # known structure (spreadsheet): question and answer blocks, answers by paragraph
        for block in doc.blocks:
            for start, end in split_paragraphs(text[block["start"]:block["end"]]):
                pieces.append({"start": block["start"] + start, "end": block["start"] + end,
                               "kind": block["kind"], "speaker": "", "prompt": block["prompt"],
                               "location": block["location"]})
    else:
        speaker = ""
        for start, end in split_paragraphs(text):
            paragraph = text[start:end]
            found = _label_and_end(paragraph)
            label = found[0] if found else None
            kind, prompt = "paragraph", ""
            if label and label.split()[0].lower().rstrip(".") in headers:
                kind, speaker = "header", ""
            elif label:
                kind, speaker = "turn", label
                start += found[1]
            elif _is_heading(paragraph):
                kind, speaker = "header", ""
            elif speaker:  # an unlabelled paragraph continues the current speaker's turn
                kind = "turn"
            pieces.append({"start": start, "end": end, "kind": kind, "speaker": speaker if kind == "turn" else "",
                           "prompt": prompt, "location": ""})

    rows = []
    for index, piece in enumerate(pieces):
        start, end = piece["start"], piece["end"]
        while end > start and text[end - 1].isspace():
            end -= 1
        seg_text = text[start:end]
        leader = _leader(piece["speaker"], *leaders) if piece["kind"] == "turn" else ""
        is_facilitator = bool(leader)
        page = bisect.bisect_right(doc.page_starts, start) if len(doc.page_starts) else 0
        # a sentence joined over a page break ends on a later page: the location names both
        last = bisect.bisect_right(doc.page_starts, max(start, end - 1)) if page else 0
        reason = ""
        if piece["kind"] in ("header", "question"):
            reason = "kop of metadata" if piece["kind"] == "header" else "vraag"
        elif is_facilitator:
            reason = leader
        elif len(seg_text.strip()) < min_chars:
            reason = "te kort"
        rows.append({
            "segment_id": f"{doc.doc_id}:{index:04d}",
            "doc_id": doc.doc_id,
            "index": index,
            "kind": piece["kind"],
            "speaker": piece["speaker"],
            "is_facilitator": is_facilitator,
            "prompt": piece["prompt"],
            "start_char": start,
            "end_char": end,
            "source_start_char": start,  # run.py maps these back when names were pseudonymised
            "source_end_char": end,
            "page": page,
            "location": piece["location"] or (f"p. {page}" + (f"-{last}" if last > page else "") if page else ""),
            "text": seg_text,
            "analysed": reason == "",
            "excluded_reason": reason,
        })
    return rows
