"""Replace person names by stable pseudonyms ("[Persoon 3]").

Usage (one ``Pseudonymiser`` per run; feed documents in a deterministic
order, e.g. sorted by document id, so numbering is reproducible)::

    from pipeline.privacy import Pseudonymiser, find_persons, write_mapping_csv

    ps = Pseudonymiser()                      # enabled=False turns it off
    for doc_id in sorted(docs):
        text, declared = docs[doc_id]
        spans = find_persons(text, declared)
        new_text, to_new = ps.pseudonymise_with_offsets(text, spans, declared=declared)
        # segment offsets computed on `text` -> to_new.span(start, end)
    write_mapping_csv(run_dir / "pseudoniemen.csv", ps.mapping())   # analyst may keep or delete

Within a run the same person gets the same pseudonym, numbered in order of
first mention.  Linking is best effort:

* identical names (case, diacritics, spacing and a genitive "'s" ignored) are
  one person;
* a first name alone ("Nadia") or a surname alone ("De Bruyne",
  "Yilmaz") is linked to the one full name seen so far in the run, or declared
  for the document, that has it as first name or surname; when several
  match, the one mentioned most recently in the same document wins, else the
  most recent in the same case (the city whose sessions the document is part
  of, when the caller says); when several match and none is in this document
  or case ("Kris Peeters" and "Marleen Peeters" elsewhere, "mevrouw Peeters"
  here), which one is a guess, so the mention gets a pseudonym of its own that
  no later full name joins;
* a full name that arrives after its first name or surname alone was seen
  ("Els" ... later "Els Wouters") joins that person when exactly one such
  person exists and that person has no other full name yet.

A replacement always covers whole words: a span that starts or ends inside a word takes the
whole word ("Ahmeds collega" -> "[Persoon 1] collega"), so no pseudonym is ever glued to letters.

Two different people who share a first name and are only mentioned by that
first name cannot be told apart: they get one pseudonym.  The mapping file
shows every variant, so the analyst can check.

The mapping is personal data: it is only written where the caller says.
"""

from __future__ import annotations

import bisect
import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..corpus import fold_accents
from ._rules import PARTICLES, TITLES

__all__ = ["Pseudonymiser", "OffsetMap", "write_mapping_csv", "MAPPING_FIELDS"]

MAPPING_FIELDS = ("pseudonym", "name", "variants", "n_mentions")

# In a name key a one-letter "particle" is an initial ("D. Janssens" -> "d janssens"), not the
# start of a surname.
_SURNAME_PARTICLES = frozenset(p for p in PARTICLES if len(p) > 1)


def _norm(name: str) -> str:
    """Comparison key: no diacritics, lower case, single spaces, no genitive, no title in front."""
    # NFC first: a manifest may hold decomposed accents; fold_accents folds composed letters
    s = fold_accents(unicodedata.normalize("NFC", name)).lower()
    s = re.sub(r"'s\b", "", s)  # fold_accents wrote every apostrophe as '
    words = s.replace(".", " ").split()
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def _first_and_surname(key: str) -> tuple[str, str]:
    """"karim el idrissi" -> ("karim", "el idrissi"); "de bruyne" -> ("", "de bruyne");
    a single word is returned as first name *and* surname candidate."""
    words = key.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], words[0]
    if words[0] in _SURNAME_PARTICLES:
        return "", key
    return words[0], " ".join(words[1:])


@dataclass
class _Person:
    number: int
    name: str
    full_key: str | None  # key of the full name once known (two or more words, first + surname)
    first: str
    surname: str
    variants: list[str] = field(default_factory=list)
    n_mentions: int = 0
    last_seen: int = -1  # mention counter, for "most recent"
    last_doc: int = -1
    shared: bool = False  # a lone name several full names of other documents have: no full name joins it
    cases: set = field(default_factory=set)  # the cases of the documents that mention the person


class OffsetMap:
    """Maps character offsets in the original text to offsets in the
    pseudonymised text.  An offset inside a replaced name maps to the start
    of its pseudonym (``side="start"``) or to its end (``side="end"``)."""

    def __init__(self, replacements: Sequence[tuple[int, int, int, int]], old_len: int, new_len: int):
        # (old_start, old_end, new_start, new_end), sorted by old_start
        self._r = list(replacements)
        self._starts = [r[0] for r in self._r]
        self.old_len = old_len
        self.new_len = new_len

    def __call__(self, pos: int, side: str = "start") -> int:
        if pos < 0 or pos > self.old_len:
            raise ValueError(f"offset {pos} outside the original text (0..{self.old_len})")
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        os_, oe, ns, ne = self._r[i]
        if pos == os_:
            return ns
        if pos < oe:
            return ns if side == "start" else ne
        return ne + (pos - oe)

    @property
    def replaced(self) -> list[tuple[int, int, int, int]]:
        """Every replacement as (old_start, old_end, new_start, new_end), in text order."""
        return list(self._r)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """New (start, end) of a segment that was text[start:end]."""
        return self(start, "start"), self(end, "end")

    def inverse(self) -> "OffsetMap":
        """The map from pseudonymised offsets back to offsets in the original text."""
        return OffsetMap([(ns, ne, os_, oe) for os_, oe, ns, ne in self._r], self.new_len, self.old_len)


def _whole_words(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each span widened to whole words: a replacement never starts or ends inside a word, so a
    genitive "Ahmeds" becomes "[Persoon 1]", never "[Persoon 1]s", and no finder error can cut a
    word ("Lees" is never "[Persoon 2]s"). Apostrophes and hyphens end a word here: "Sofie's"
    keeps its "'s", "Wakefield-artikel" its "-artikel"."""
    out = []
    for s, e in bounds:
        while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
            s -= 1
        while e < len(text) and text[e].isalnum() and text[e - 1].isalnum():
            e += 1
        out.append((s, e))
    return out


def _span_bounds(sp) -> tuple[int, int]:
    if hasattr(sp, "start") and hasattr(sp, "end"):
        return int(sp.start), int(sp.end)
    s, e = sp[0], sp[1]
    return int(s), int(e)


class Pseudonymiser:
    """Stable person pseudonyms for one run.  ``enabled=False`` passes text
    through unchanged and records nothing."""

    def __init__(self, enabled: bool = True, label: str = "Persoon"):
        self.enabled = enabled
        self.label = label
        self._persons: list[_Person] = []
        self._by_key: dict[str, _Person] = {}
        self._counter = 0
        self._doc = 0
        self._case: str | None = None  # the case of the current document, when the caller says
        self._declared: dict[str, str] = {}  # part key -> declared full-name key (current document)
        self._declared_names: dict[str, str] = {}  # full-name key -> declared surface form

    # -- linking ---------------------------------------------------------------
    def _pseudonym(self, p: _Person) -> str:
        return f"[{self.label} {p.number}]"

    def _candidates(self, key: str) -> list[_Person]:
        return [p for p in self._persons if p.full_key and (p.first == key or p.surname == key)]

    def _pick(self, cands: list[_Person]) -> _Person | None:
        """The person a lone name means among the full names that have it: the most recent in this
        document, else in this case, else the only one in the run; None when several elsewhere have it."""
        for near in ([p for p in cands if p.last_doc == self._doc],
                     [p for p in cands if self._case is not None and self._case in p.cases]):
            if near:
                return max(near, key=lambda p: p.last_seen)
        return cands[0] if len(cands) == 1 else None

    def person_for(self, mention: str) -> _Person | None:
        """The person a mention refers to (creating one if needed); counts the mention."""
        key = _norm(mention)
        if not key:
            return None
        first, surname = _first_and_surname(key)
        is_full = len(key.split()) >= 2 and bool(first)
        if is_full:
            p = self._by_key.get(key)
            if p is None:
                # "Els" seen before "Els Wouters": join when exactly one
                # single-name person matches and it has no full name yet.
                loose = [q for q in self._persons if q.full_key is None and not q.shared and
                         (q.first == first or q.surname == surname)]
                if len(loose) == 1:
                    p = loose[0]
                    p.full_key, p.first, p.surname = key, first, surname
                    self._by_key[key] = p
                else:
                    p = self._new_person(mention, key)
        else:
            p = None
            full = self._declared.get(key)
            if full is not None and full != key:
                # A part of a full name declared for this document.
                p = self._by_key.get(full)
                if p is None:
                    loose = [q for q in self._persons if q.full_key is None and not q.shared and q.first == key]
                    if len(loose) == 1:
                        p = loose[0]
                        p.full_key = full
                        p.first, p.surname = _first_and_surname(full)
                        self._by_key[full] = p
                    else:
                        p = self._new_person(self._declared_names.get(full, mention), full)
            cands = self._candidates(key) if p is None else []
            if cands:
                p = self._pick(cands)
            if p is None:
                loose = [q for q in self._persons if q.full_key is None and q.first == key]
                p = loose[0] if loose else self._new_person(mention, None, key)
                p.shared = p.shared or len(cands) > 1
        self._counter += 1
        p.last_seen = self._counter
        p.last_doc = self._doc
        p.cases.add(self._case)
        p.n_mentions += 1
        if mention not in p.variants:
            p.variants.append(mention)
        return p

    def _new_person(self, name: str, full_key: str | None, single_key: str | None = None) -> _Person:
        if full_key:
            first, surname = _first_and_surname(full_key)
        else:
            first = surname = single_key or _norm(name)
        p = _Person(number=len(self._persons) + 1, name=name, full_key=full_key, first=first, surname=surname)
        self._persons.append(p)
        if full_key:
            self._by_key[full_key] = p
        return p

    def set_declared(self, declared: Iterable[str]) -> None:
        """Names a manifest declares for the next document: their first name
        and surname alone then link to the full name."""
        self._declared = {}
        self._declared_names = {}
        counts: dict[str, set[str]] = {}
        for d in declared:
            full = _norm(d)
            if not full:
                continue
            self._declared_names[full] = " ".join(d.split())
            first, surname = _first_and_surname(full)
            for part in {first, surname} - {""}:
                counts.setdefault(part, set()).add(full)
        self._declared = {part: next(iter(fulls)) for part, fulls in counts.items() if len(fulls) == 1}

    # -- replacement -----------------------------------------------------------
    def pseudonymise_with_offsets(self, text: str, spans: Iterable, declared: Iterable[str] = (),
                                  case: str | None = None) -> tuple[str, OffsetMap]:
        """Replace every span by its pseudonym.  Returns the new text and an
        ``OffsetMap`` from old to new offsets.  Each call is one document; `case`
        (e.g. its city) lets a lone name link to a full name of the same case."""
        self._doc += 1
        self._case = case
        bounds = sorted(_span_bounds(s) for s in spans)
        for (s1, e1), (s2, e2) in zip(bounds, bounds[1:]):
            if s2 < e1:
                raise ValueError(f"overlapping person spans {s1}-{e1} and {s2}-{e2}")
        for s, e in bounds:
            if not (0 <= s < e <= len(text)):
                raise ValueError(f"span {s}-{e} outside text of length {len(text)}")
        if not self.enabled:
            return text, OffsetMap([], len(text), len(text))
        self.set_declared(declared)
        out: list[str] = []
        reps: list[tuple[int, int, int, int]] = []
        pos = 0
        new_len = 0
        for (s, e), (ws, we) in zip(bounds, _whole_words(text, bounds)):
            if ws < pos:
                continue  # a second name inside a word already replaced
            out.append(text[pos:ws])
            new_len += ws - pos
            # the name as found links the person ("Ahmed"); the whole word is replaced ("Ahmeds")
            p = self.person_for(text[s:e])
            s, e = ws, we
            rep = self._pseudonym(p) if p is not None else text[s:e]
            reps.append((s, e, new_len, new_len + len(rep)))
            out.append(rep)
            new_len += len(rep)
            pos = e
        out.append(text[pos:])
        new_len += len(text) - pos
        self._declared = {}
        return "".join(out), OffsetMap(reps, len(text), new_len)

    def pseudonymise(self, text: str, spans: Iterable, declared: Iterable[str] = (), case: str | None = None) -> str:
        """Text with every person span replaced by its pseudonym."""
        return self.pseudonymise_with_offsets(text, spans, declared, case)[0]

    def mapping(self) -> list[dict]:
        """One row per person, in pseudonym order: pseudonym, name (the
        fullest form seen), variants (every surface form), n_mentions."""
        rows = []
        for p in self._persons:
            if p.n_mentions == 0:
                continue
            name = max([p.name] + p.variants, key=lambda v: (len(v.split()), len(v)))
            rows.append({"pseudonym": self._pseudonym(p), "name": name,
                         "variants": list(p.variants), "n_mentions": p.n_mentions})
        return rows


def write_mapping_csv(path: str | Path, mapping: Sequence[dict] | Pseudonymiser) -> Path:
    """Write the pseudonym mapping to ``path`` (UTF-8 CSV; variants joined by
    " | ").  The file holds real names: keep it apart from shared outputs."""
    rows = mapping.mapping() if isinstance(mapping, Pseudonymiser) else list(mapping)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(MAPPING_FIELDS))
        w.writeheader()
        for r in rows:
            v = r.get("variants", [])
            w.writerow({"pseudonym": r["pseudonym"], "name": r["name"],
                        "variants": " | ".join(v) if isinstance(v, (list, tuple)) else str(v),
                        "n_mentions": r["n_mentions"]})
    return path
