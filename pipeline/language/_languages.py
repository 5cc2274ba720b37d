"""Which language a segment is in: Dutch, or one the Dutch analysis cannot read.

Belgian transcripts and answers mix Dutch with French turns (federal committees, Brussels), and
notes now and then hold an English or German quote. The tagger, lemmas and theme words are Dutch:
a French turn clustered with them gives themes named by French function words ("pour", "nous").
Function words tell the languages apart without a model: every sentence is full of them, and the
stop lists spaCy ships for each language are independent of this project's texts.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["other_language", "OTHER_LANGUAGE", "spacy_stop_words"]

OTHER_LANGUAGE = "andere taal"  # the excluded_reason of a segment in another language

# The languages met beside Dutch in Belgian and Dutch fieldwork, by spaCy module and Dutch name.
_OTHERS = {"fr": "Frans", "en": "Engels", "de": "Duits"}
_MIN_WORDS = 3  # fewer function words than this decide nothing ("Merci.", a quoted "thank you")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
def spacy_stop_words(code: str) -> frozenset[str]:
    """spaCy's stop list of a language, read from its file alone: importing `spacy.lang.fr` builds the
    French tokenizer exceptions (5 s) and importing spaCy itself takes a second, for a list of 500 words
    (a rerun whose parse is cached never imports spaCy)."""
    root = Path(importlib.util.find_spec("spacy").submodule_search_locations[0])  # finds, does not import
    path = root / "lang" / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_stop_words_{code}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def other_language(text: str) -> str:
    """The Dutch name of the language `text` is in when that is not Dutch ("Frans"), else "".

    A text counts as another language when more of its words are that language's function words
    than Dutch ones, and at least `_MIN_WORDS` of them: "Je vous remercie pour vos réponses" is
    French, a Dutch sentence with "workshop" or "feedback" in it stays Dutch. A turn that says the
    same in both languages, half and half, goes to whichever has more function words."""
    words = [w.lower() for w in _WORD.findall(text)]
    dutch = spacy_stop_words("nl")
    for code, name in _OTHERS.items():  # words both lists hold ("de", "en", "in") tell nothing apart
        theirs = spacy_stop_words(code)
        n_theirs = sum(w in theirs and w not in dutch for w in words)
        if n_theirs >= _MIN_WORDS and n_theirs > sum(w in dutch and w not in theirs for w in words):
            return name
    return ""
