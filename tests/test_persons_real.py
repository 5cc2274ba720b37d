"""Person names on real Dutch text (issue #13): the Stadsgenoten report and parliamentary text in
../shared. Expectations are read from the text itself (which words are there, in which case),
never copied from the finder's output."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.corpus import normalise_text
from pipeline.privacy import Pseudonymiser, find_persons, pseudonymise_documents

SHARED = Path(__file__).resolve().parents[2] / "shared"
REPORT = SHARED / "reference" / "stadsgenoten-report.txt"
needs_report = pytest.mark.skipif(not REPORT.is_file(), reason=f"report not found at {REPORT} (needs ../shared)")

_PSEUDONYM = re.compile(r"\[Persoon \d+\]")


@pytest.fixture(scope="module")
def report_text() -> str:
    return normalise_text(REPORT.read_text(encoding="utf-8"))


def _run(text: str) -> tuple[str, list[dict]]:
    docs = pd.DataFrame([{"doc_id": "d1", "text": text, "blocks": [], "page_starts": [0], "persons": ""}])
    out = pseudonymise_documents(docs)
    return out.documents.loc[0, "text"], out.mapping


def test_a_span_inside_a_word_replaces_the_whole_word():
    # Whatever the finder says, the replacement covers whole words: a genitive "Ahmeds" becomes
    # the pseudonym (linked as "Ahmed"), and a span cut from inside "Lees" takes the word along.
    text = "Ahmeds collega belde. Later sprak Ahmed met haar. Lees hier meer."
    ahmeds, ahmed, lee = text.index("Ahmeds"), text.index("Ahmed met"), text.index("Lees")
    ps = Pseudonymiser()
    new, to_new = ps.pseudonymise_with_offsets(text, [(ahmeds, ahmeds + 5), (ahmed, ahmed + 5), (lee, lee + 3)])
    assert "]s" not in new and not re.search(r"\w\[|\]\w", new)
    assert [(s, e) for s, e, _, _ in to_new.replaced] == [(ahmeds, ahmeds + 6), (ahmed, ahmed + 5), (lee, lee + 4)]
    assert new.count("[Persoon 1]") == 2  # "Ahmeds" and "Ahmed" are one person


@needs_report
def test_report_read_more_links_stay(report_text):
    # 34 "Lees hier meer ..." lines in the report were "[Persoon 2]s hier meer".
    n_lees = len(re.findall(r"\bLees\b", report_text))
    assert n_lees >= 30
    new, mapping = _run(report_text)
    assert len(re.findall(r"\bLees\b", new)) == n_lees
    assert all("Lee" not in v for row in mapping for v in row["variants"])


@needs_report
def test_report_no_pseudonym_touches_a_letter(report_text):
    new, _ = _run(report_text)
    for m in _PSEUDONYM.finditer(new):
        before, after = new[m.start() - 1:m.start()], new[m.end():m.end() + 1]
        assert not before.isalnum() and not after.isalnum(), new[m.start() - 30:m.end() + 30]


@needs_report
def test_report_spans_are_whole_words(report_text):
    for s in find_persons(report_text):
        assert not (s.start > 0 and report_text[s.start - 1].isalnum()), s
        # a genitive "s" may follow the name; any other letter means a cut word
        after = report_text[s.end:s.end + 2]
        assert not after[:1].isalnum() or (after[:1] == "s" and not after[1:].isalnum()), s
