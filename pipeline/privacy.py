"""Stage `privacy`: documents -> documents with person names replaced by "[Persoon N]".

Needs: the documents table and, per document, the names its manifest row declares. Adds: the
pseudonymised text (every later stage, every output and every offset works on it), for each
document a map back to offsets in the original normalised text (segments.csv keeps both), and
the person mapping, which the run writes NEXT TO the run folder, never into it, so a run folder
can be shared without it. On by default; `privacy.pseudonymise: false` (CLI
`--no-pseudonymise`) turns it off. Person detection: pipeline.persons (measured in
benchmarks/persons.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .persons import find_persons
from .pseudonymise import OffsetMap, Pseudonymiser

__all__ = ["pseudonymise_documents", "Pseudonymised"]


@dataclass
class Pseudonymised:
    documents: pd.DataFrame
    back: dict[str, OffsetMap] = field(default_factory=dict)  # doc_id -> pseudonymised -> original offsets
    mapping: list[dict] = field(default_factory=list)  # personal data: written apart from the run


def pseudonymise_documents(documents: pd.DataFrame, enabled: bool = True) -> Pseudonymised:
    """Replace person names in every document, numbering persons in doc_id order."""
    if not enabled:
        return Pseudonymised(documents)
    pseudonymiser = Pseudonymiser()
    texts, blocks, pages, back = [], [], [], {}
    for doc in documents.sort_values("doc_id").itertuples(index=False):
        declared = [n.strip() for n in str(getattr(doc, "persons", "") or "").split(";") if n.strip()]
        spans = find_persons(doc.text, declared)
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
