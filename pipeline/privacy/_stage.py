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
from typing import Iterable

import pandas as pd

from ..cache import Cache
from ..corpus import fold_accents
from . import _declared, _lexicon, _persons, _rules, _tokens
from ._persons import PersonSpan, find_persons
from ._pseudonymise import OffsetMap, Pseudonymiser, _first_and_surname, _norm

__all__ = ["pseudonymise_documents", "Pseudonymised"]

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
    for doc in documents.sort_values("doc_id").itertuples(index=False):
        declared = _declared_names(doc)
        spans = _find_persons_cached(doc.text, declared, cache)
        if kept:
            spans = [s for s in spans if _norm(s.text) not in kept]
        text, to_new = pseudonymiser.pseudonymise_with_offsets(doc.text, spans, declared=declared)
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
