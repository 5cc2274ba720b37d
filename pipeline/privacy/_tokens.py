"""Words of a text for the person finder: tokens with their offsets, whether they open a
sentence or a line, their lexical flags, a genitive "s" split off, and which lines are speaker
labels or attendance lists."""

from __future__ import annotations

import re

from ._lexicon import F_FIRST, F_NLSTRONG, frequent_in_french, word_flags, word_key
from ._rules import ABBREVIATIONS, LIST_HEADERS, NOT_AFTER_GENITIVE, STRONG_VERBS, WEAK_VERBS

__all__ = ["Token", "tokenize", "mark_genitives", "label_lines", "line_of"]

# A word: letters, with inner apostrophes and hyphens ("D'Hondt",
# "Anne-Marie", "Sint-Niklaas").  "&" is kept as a token for "CD&V".
# A word never starts right after a letter or digit ("86Yhhe" in a link is no word).
_WORD_RE = re.compile(r"(?<![^\W_])[^\W\d_](?:[^\W_]|['’](?=[^\W\d_])|-(?=[^\W_]))*|&")
# Links and e-mail addresses, also the part of a link wrapped onto the next line ("om/:b:/s/x/IQ..?e=Ag"):
# their letters are no words of the text.
_LINK_RE = re.compile(r"\S*(?:://|www\.|@)\S*|\S*/\S*/\S*")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_SENT_END_RE = re.compile(r"[.!?:;…]\s*[\"'“”‘’«»()\[\]\-–—•*]*\s*$")
_LINE_START_RE = re.compile(r"(?:^|\n)[ \t\"'“‘«(\[\-–—•*>]*$")
_LABEL_RE = re.compile(r"^[ \t]*([^\n:]{1,60}?)[ \t]*:", re.M)
# The number of an item in a list: "1. Over de werken", "...gebeurd?2) Om welk bedrag".
_ITEM_NUMBER_RE = re.compile(r"(?:^|[\s.?!;:,])\d{1,2}[.)][ \t]*$")


class Token:
    """One word: its text (a genitive "s" cut off) and offsets, its case and lexical flags."""

    __slots__ = ("text", "start", "end", "cap", "upper", "initial", "flags", "line_start", "poss_end")

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.start = start
        self.end = end
        c0 = text[0]
        self.upper = len(text) > 1 and text.isupper()
        self.cap = c0.isupper()
        self.initial = False
        self.line_start = False
        self.flags = 0
        self.poss_end = end  # end of the name without a genitive ending


def tokenize(text: str) -> list[Token]:
    toks: list[Token] = []
    prev_end = 0
    prev: Token | None = None
    links = [m.span() for m in _LINK_RE.finditer(text)] if "/" in text or "@" in text else []
    li = 0
    for m in _WORD_RE.finditer(text):
        w = m.group()
        s, e = m.start(), m.end()
        while li < len(links) and links[li][1] <= s:
            li += 1
        if li < len(links) and links[li][0] <= s:
            continue
        poss = _POSSESSIVE_RE.search(w)
        t = Token(w, s, e)
        if poss and len(w) > 3:
            # "Sofie's": the name is "Sofie", the "'s" is a genitive ending.
            t.text = w[: poss.start()]
            t.poss_end = s + poss.start()
            t.end = s + poss.start()
        gap = text[prev_end:s]
        if prev is None:
            t.initial = not gap.strip() or bool(_SENT_END_RE.search(gap)) or bool(_LINE_START_RE.search(gap))
            t.line_start = bool(_LINE_START_RE.search(text[:s]))
        else:
            if "\n" in gap:
                t.initial = True
                t.line_start = bool(_LINE_START_RE.search(gap))
            elif _SENT_END_RE.search(gap):
                # "dhr. Janssens": a full stop after an abbreviation is no sentence end; "(nr. 101). Om" is
                t.initial = not (gap.strip() == "." and word_key(prev.text) in ABBREVIATIONS)
            elif _opens_an_item(text, prev, gap):
                t.initial = True  # "b) Over welke dossiers gaat het?": an item of a list opens a sentence
        toks.append(t)
        prev_end = e
        prev = t
    return toks


def _opens_an_item(text: str, prev: Token, gap: str) -> bool:
    """The word after "b)", "2)" or "2." that numbers an item of a list (written answers number the
    parts of a question so: "?b) Om welk bedrag ging het?"): a capital there is a sentence's."""
    if _ITEM_NUMBER_RE.search(gap):
        return True
    letter = len(prev.text) == 1 and prev.text.islower() and gap.strip() == ")"
    return letter and not text[prev.start - 1:prev.start].isalnum()


def mark_genitives(toks: list[Token], text: str) -> None:
    """"Ahmeds collega", "Jans voorstel": Dutch writes the genitive of a name
    as name + s (no apostrophe after most consonants).  A capitalised word
    that is not itself a first name, whose stem is one, and that is followed
    by a lower-case word that is not a verb, is read as that genitive: the
    name ends before the s."""
    for i, t in enumerate(toks[:-1]):
        w = t.text
        if not t.cap or t.upper or len(w) < 4 or not w.endswith("s") or t.poss_end != t.end:
            continue
        if t.flags & F_FIRST:
            continue  # "Claes", "Thomas" are first names themselves
        if t.flags & F_NLSTRONG:
            continue  # "Lees hier meer": the word is itself ordinary Dutch, not "Lee" + s
        if frequent_in_french(word_key(w)):
            continue  # "Mais chaque chose": a French word in a Belgian transcript, not "Mai" + s
        # A surname ending in s ("Jans", "Peeters") followed by a noun is read
        # as the genitive of the first name when the stem is one ("Jans
        # voorstel"); for "Peeters collega" that gives "Peeter" + "s", which
        # still pseudonymises the whole name.
        stem_f = word_flags(w[:-1])
        if not stem_f & F_FIRST or stem_f & F_NLSTRONG:
            continue
        nxt = toks[i + 1]
        if nxt.cap or text[t.end:nxt.start] != " ":
            continue
        nk = nxt.text.lower()
        if nk in STRONG_VERBS or nk in WEAK_VERBS or nk in NOT_AFTER_GENITIVE:
            continue
        t.text = w[:-1]
        t.poss_end = t.end - 1
        t.end = t.end - 1
        t.flags = stem_f


def label_lines(text: str) -> dict[int, str]:
    """Start offsets of lines and their kind: "label" for "Name: ..." speaker
    turns whose label may be a person, "list" for attendance lines."""
    kinds: dict[int, str] = {}
    for m in _LABEL_RE.finditer(text):
        label = m.group(1).strip()
        words = label.split()
        if not words or len(words) > 5:
            continue
        if word_key(words[0]) in LIST_HEADERS or word_key(label) in ("opgemaakt door", "nagelezen door"):
            kinds[m.start(1)] = "list"
        else:
            kinds[m.start(1)] = "label"
    return kinds


def line_of(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1
