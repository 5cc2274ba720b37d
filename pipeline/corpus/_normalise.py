"""Small str -> str normalisers, each separately tested (in the spirit of textacy.preprocessing).

Ingest applies `normalise_text` to every document once; all offsets downstream point into the
result, so these functions run before segmentation and never after.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalise_unicode",
    "normalise_newlines",
    "normalise_spaces",
    "strip_trailing_spaces",
    "collapse_blank_lines",
    "repair_hyphenation",
    "unwrap_lines",
    "normalise_text",
    "fold_accents",
]

# Characters that are invisible or layout-only in notes pasted from Word and PDF.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}


def normalise_unicode(text: str) -> str:
    """NFC, ligatures spelled out, soft hyphens and zero-width characters removed."""
    text = text.translate(_INVISIBLE)
    for lig, plain in _LIGATURES.items():
        text = text.replace(lig, plain)
    return unicodedata.normalize("NFC", text)


def normalise_newlines(text: str) -> str:
    """CRLF, CR, and Unicode line/paragraph separators become LF; form feeds become blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\f", "\n\n")
    return text.replace("\x0b", "\n")


def normalise_spaces(text: str) -> str:
    """Tabs, no-break and other exotic spaces become one plain space."""
    return _SPACES.sub(" ", text)


def strip_trailing_spaces(text: str) -> str:
    return re.sub(r"[ ]+\n", "\n", text).rstrip() + ("\n" if text.strip() else "")


def collapse_blank_lines(text: str) -> str:
    """Runs of blank lines (also lines holding only spaces) become one blank line."""
    return re.sub(r"\n[ ]*(?:\n[ ]*)+\n", "\n\n", text).lstrip("\n")


# A word broken at a line end: "verankerd-\nheid". Kept as a hyphen when the next part starts
# with a capital ("Sint-\nNiklaas"), a digit, or is a Dutch conjunction ("zorg-\nen welzijn").
_HYPHEN_BREAK = re.compile(r"(\w)-\n(?!\n)[ ]*(\w+)")
_KEEP_AFTER = {"en", "of", "tot", "noch", "maar"}


def repair_hyphenation(text: str) -> str:
    """Join words split by end-of-line hyphenation in PDF text."""

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if after in _KEEP_AFTER:
            return f"{before}- {after}"
        if after[0].isupper() or after[0].isdigit() or before.isdigit():
            return f"{before}-{after}"
        return before + after

    return _HYPHEN_BREAK.sub(join, text)


# A speaker label or bullet opening a line always starts a new paragraph, even without a blank line.
_LINE_STARTS_BLOCK = re.compile(
    r"^(?:[-•*–▪]\s|\d+[.)]\s|[A-ZÀ-Ý][\w'’.()\- ]{0,48}:\s)",
)


def unwrap_lines(text: str) -> str:
    """Undo hard line wraps inside paragraphs (PDF): single newlines become spaces.

    Blank lines separate paragraphs; a line that starts with a speaker label or a bullet
    starts a new paragraph, so turns that were typed without blank lines stay apart.
    """
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        paragraphs: list[str] = []
        for line in lines:
            if paragraphs and not _LINE_STARTS_BLOCK.match(line):
                paragraphs[-1] += " " + line
            else:
                paragraphs.append(line)
        out.append("\n\n".join(paragraphs))
    return "\n\n".join(p for p in out if p)


def normalise_text(text: str, *, unwrap: bool = False) -> str:
    """The normalisation every document gets; `unwrap` for formats with hard line wraps (PDF)."""
    text = normalise_unicode(text)
    text = normalise_newlines(text)
    text = normalise_spaces(text)
    text = strip_trailing_spaces(text)
    if unwrap:
        text = repair_hyphenation(text)
        text = unwrap_lines(text)
    text = collapse_blank_lines(text)
    return text.strip() + "\n" if text.strip() else ""


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    table.update({ord("ı"): "i", ord("İ"): "I", ord("ø"): "o", ord("Ø"): "O", ord("ł"): "l",
                  ord("Ł"): "L", ord("đ"): "d", ord("Đ"): "D", ord("ß"): "s", ord("æ"): "a",
                  ord("Æ"): "A", ord("œ"): "o", ord("Œ"): "O", ord("’"): "'", ord("‘"): "'",
                  ord("ʼ"): "'", ord("`"): "'"})
    return table


_FOLD = _fold_table()


def fold_accents(text: str) -> str:
    """Latin letters without their accents, one character for one ("Öztürk" -> "Ozturk",
    "Yılmaz" -> "Yilmaz", "’" -> "'"): the length never changes, so offsets into the folded text
    are offsets into the original. Used wherever names are compared (cases, persons, practices)."""
    return text.translate(_FOLD)
