"""Stage `privacy`: documents -> documents with person names replaced by "[Persoon N]".

Needs: the documents table and, per document, the names its manifest row declares. Adds: the
pseudonymised text (every later stage, every output and every offset works on it), for each
document a map back to offsets in the original normalised text (segments.csv keeps both), and
the person mapping, which the run writes NEXT TO the run folder, never into it, so a run folder
can be shared without it. On by default; `privacy.pseudonymise: false` (CLI
`--no-pseudonymise`) turns it off. Person detection: `find_persons` (measured in
benchmarks/persons.py).

The slow part, finding the person names of one document, is cached per document, keyed by the
document text, its declared names, the source of the modules that decide the spans and the
versions of the libraries its word lists come from, so a rerun on the same corpus does not load
the lexicon at all. Numbering the persons stays outside the cache: it runs over all documents
in doc_id order on every run, exactly as without cache.

`keep` lists named public persons an analyst wants in clear (ministers in parliamentary text):
off by default; a kept name and, for a full name, its surname alone are left as written.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
import re
from typing import Iterable

import pandas as pd

from ..cache import Cache
from ..corpus import fold_accents
from . import _declared, _lexicon, _persons, _rules, _tokens
from ._persons import PersonSpan, find_persons
from ._pseudonymise import OffsetMap, Pseudonymiser, _first_and_surname, _norm

__all__ = ["pseudonymise_documents", "Pseudonymised", "with_corpus_mentions"]

# The modules that decide the spans: the finder's own and the accent fold it matches names with.
_FINDER_CODE = (_rules, _lexicon, _tokens, _declared, _persons, inspect.getmodule(fold_accents))


@dataclass
class Pseudonymised:
    documents: pd.DataFrame
    back: dict[str, OffsetMap] = field(default_factory=dict)  # doc_id -> pseudonymised -> original offsets
    mapping: list[dict] = field(default_factory=list)  # personal data: written apart from the run


def _declared_names(doc) -> list[str]:
    return [n.strip() for n in str(getattr(doc, "persons", "") or "").split(";") if n.strip()]


def _find_persons_cached(text: str, declared: list[str], cache: Cache) -> list[PersonSpan]:
    """find_persons(text, declared), from the cache where possible. An entry holds (start, end,
    source) per span, not the name itself: the name is text[start:end]."""
    key = cache.key("persons", code=_FINDER_CODE, settings=None, inputs=(text, tuple(declared)))
    found = cache.get_or_build(key, lambda: [(s.start, s.end, s.source) for s in find_persons(text, declared)])
    return [PersonSpan(start, end, text[start:end], source) for start, end, source in found]


# A part of a full name that is also one of these is not carried to other documents.
_NOT_A_NAME_ALONE = (_lexicon.F_PLACE | _lexicon.F_ORG | _lexicon.F_NAT | _lexicon.F_ROLE | _lexicon.F_TITLE
                     | _lexicon.F_PART | _lexicon.F_STOP | _lexicon.F_NONPERS)


def _name_parts(found: list[tuple[str, list[PersonSpan]]]) -> list[str]:
    """The first names and surnames, as written, of the full names found anywhere in the corpus.
    Alone in another document ("Sevda in het woonzorgcentrum", where that document never names her
    in full) such a word is that person far more often than anything else. Parts that are also
    ordinary words, places, organisations or roles are left out ("Block", "Mol"), and so are names
    none of whose words is a listed name unless a manifest declared them ("De Woonbuddy")."""
    parts = set()
    for _, spans in found:
        for span in spans:
            words = span.text.split()
            if len(words) < 2 or not (span.source == "declared"
                                      or any(_lexicon.is_name(_lexicon.word_flags(w)) for w in words)):
                continue
            for word in (words[0], words[-1]):
                flags = _lexicon.word_flags(word)
                if (len(word) >= 3 and word[0].isupper() and word.replace("-", "").isalpha()
                        and not _lexicon.is_common(flags) and not _lexicon.is_ambiguous(flags)
                        and not flags & _NOT_A_NAME_ALONE):
                    parts.add(word)
    return sorted(parts, key=lambda w: (-len(w), w))


def with_corpus_mentions(found: list[tuple[str, list[PersonSpan]]], parts: list[str] | None = None
                         ) -> list[list[PersonSpan]]:
    """Per (text, spans) of the corpus, the spans plus every whole-word mention, elsewhere in the
    corpus, of a first name or surname of a full name found in any document (`parts`, by default
    `_name_parts(found)`), so a name found in one document is not left in clear in another."""
    parts = _name_parts(found) if parts is None else parts
    if not parts:
        return [list(spans) for _, spans in found]
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, parts)) + r")(?![\w-])")
    out = []
    for text, spans in found:
        taken = [(s.start, s.end) for s in spans]
        extra = [PersonSpan(m.start(), m.end(), m.group(), "corpus") for m in pattern.finditer(text)
                 if not any(m.start() < e and s < m.end() for s, e in taken)]
        out.append(sorted([*spans, *extra], key=lambda s: s.start))
    return out


def _kept_keys(keep: Iterable[str]) -> frozenset[str]:
    """Comparison keys of the names to keep in clear: each name as given and, for a full name, its
    surname alone ("Kris Peeters", "Peeters"); a first name alone is too ambiguous to keep."""
    keys = set()
    for name in keep:
        key = _norm(name)
        if key:
            keys.add(key)
            first, surname = _first_and_surname(key)
            if first and surname != key:
                keys.add(surname)
    return frozenset(keys)


def pseudonymise_documents(documents: pd.DataFrame, enabled: bool = True,
                           cache: Cache | None = None, keep: Iterable[str] = ()) -> Pseudonymised:
    """Replace person names in every document, numbering persons in doc_id order. `keep`: public
    persons an analyst wants in clear (e.g. ministers in parliamentary text); empty by default."""
    if not enabled:
        return Pseudonymised(documents)
    cache = cache or Cache(None)
    kept = _kept_keys(keep)
    pseudonymiser = Pseudonymiser()
    texts, blocks, pages, back = [], [], [], {}
    ordered = list(documents.sort_values("doc_id").itertuples(index=False))
    found = [(doc.text, _find_persons_cached(doc.text, _declared_names(doc), cache)) for doc in ordered]
    # cached too: judging the parts loads the lexicon, which a rerun on the same corpus never needs
    names = sorted({(s.text, s.source) for _, spans in found for s in spans if len(s.text.split()) >= 2})
    parts = cache.get_or_build(cache.key("name_parts", code=_FINDER_CODE, settings=None, inputs=tuple(names)),
                               lambda: _name_parts(found))
    found = with_corpus_mentions(found, parts)
    for doc, spans in zip(ordered, found):
        declared = _declared_names(doc)
        if kept:
            spans = [s for s in spans if _norm(s.text) not in kept]
        case = getattr(doc, "case", None)
        text, to_new = pseudonymiser.pseudonymise_with_offsets(doc.text, spans, declared=declared,
                                                               case=case if isinstance(case, str) else None)
        texts.append((doc.doc_id, text))
        back[doc.doc_id] = to_new.inverse()
        # structured blocks (spreadsheet questions/answers) move with the text
        blocks.append((doc.doc_id, [{**b, "start": to_new(b["start"], "start"), "end": to_new(b["end"], "end")}
                                    for b in doc.blocks]))
        pages.append((doc.doc_id, [to_new(p) for p in doc.page_starts]))
    out = documents.copy()
    out["text"] = out["doc_id"].map(dict(texts)).astype("string")
    out["blocks"] = out["doc_id"].map(dict(blocks))
    out["page_starts"] = out["doc_id"].map(dict(pages))
    return Pseudonymised(out, back, pseudonymiser.mapping())
