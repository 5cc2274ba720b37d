"""Dutch compounds linked to their parts, so themes do not split on compounding.

"taalbeleid" and "beleid rond taal", "tolkenbudget" and "budget voor tolken" share words only
once compounds are split: `compound_parts("tolkenbudget") == ("tolk", "budget")`. The split
uses simplemma's Dutch word list (offline): the longest known head of at least four letters
whose modifier, after dropping a linking -s-, -e- or -en-, is a known word of three letters or
more. One level only ("vrijwilligerswerk" -> "vrijwilliger", "werk"). Words it cannot split are
returned whole. Measured effect on theme discovery: benchmarks/themes.py.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

__all__ = ["compound_parts", "with_compound_parts"]

_MIN_HEAD, _MIN_MODIFIER = 4, 3


def _known(word: str) -> bool:
    return simplemma.is_known(word, lang="nl")


# Prepositions and prefixes are not modifiers: "onderwijs" is not "onder" + "wijs".
_NOT_MODIFIERS = frozenset("onder over door voor in op aan uit mee af bij om toe na tegen ver be ge her ont "
                           "achter binnen buiten tussen boven neer weg terug samen mede".split())


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a Dutch compound lemma ("tolkenbudget" -> ("tolk", "budget")), or (word,)."""
    word = word.lower()
    if len(word) < _MIN_HEAD + _MIN_MODIFIER or not word.isalpha():
        return (word,)
    for i in range(_MIN_MODIFIER, len(word) - _MIN_HEAD + 1):
        head, modifier = word[i:], word[:i]
        if not _known(head):
            continue
        # linking morphemes first: stad-s-loket, tolk-en-budget, kind-er-armoede, pakk-e-drager
        for link in ("s", "en", "er", "e", ""):
            stem = modifier[: len(modifier) - len(link)] if modifier.endswith(link) else ""
            if len(stem) >= _MIN_MODIFIER and stem not in _NOT_MODIFIERS and _known(stem):
                return (stem, head)
    return (word,)


def with_compound_parts(terms: list[str]) -> list[str]:
    """The terms plus the parts of every compound among the single-word terms."""
    out = list(terms)
    for term in terms:
        if " " not in term:
            parts = compound_parts(term)
            if len(parts) > 1:
                out.extend(parts)
    return out
