"""Case (city) names: one spelling per case, whatever the manifest or spreadsheet says.

"St.-Niklaas", "Sint Niklaas" and "stad Sint-Niklaas" must count as one city in the matrix.
The case column is generic: a name that is not a known case (municipalities of another round,
report sections, parties) is accepted as written (tidied), and later spellings of it that differ
only in capitals, accents or punctuation join it. A name that is almost a known case or almost
a case seen before ("Gnet", "Brugee") is refused with the suggestion, never silently made into
a second case.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from ._normalise import fold_accents

__all__ = ["CaseNormaliser", "UnknownCase"]

# Spellings people use for the default cases; keys are compared after `_fold`.
_DEFAULT_ALIASES = {
    "st niklaas": "Sint-Niklaas",
    "st-niklaas": "Sint-Niklaas",
    "sint niklaas": "Sint-Niklaas",
    "brussel": "VGC",
    "brussels": "VGC",
    "bruxelles": "VGC",
    "vgc brussel": "VGC",
    "brussel vgc": "VGC",
    "vlaamse gemeenschapscommissie": "VGC",
    "ostend": "Oostende",
    "antwerp": "Antwerpen",
    "bruges": "Brugge",
    "ghent": "Gent",
    "louvain": "Leuven",
    "malines": "Mechelen",
    "courtrai": "Kortrijk",
    "roulers": "Roeselare",
    "alost": "Aalst",
}
# Words that wrap a name without being part of it: "Stad Gent", "gemeente Genk".
_WRAPPERS = re.compile(r"^(?:de\s+)?(?:stad|stadsbestuur|gemeente|ocmw|centrumstad)\s+", re.I)


class UnknownCase(ValueError):
    """A case name that is almost another case (carried as `suggestion`), or empty."""

    def __init__(self, raw: str, suggestion: str | None):
        self.raw = raw
        self.suggestion = suggestion
        hint = f" Bedoel je '{suggestion}'?" if suggestion else ""
        what = "onbekende case" if suggestion or not str(raw).strip() else "case"
        super().__init__(f"{what} '{raw}' lijkt te veel op een andere case om als nieuwe te tellen.{hint}"
                         if suggestion else f"{what} '{raw}' kan niet gebruikt worden")


def _fold(name: str) -> str:
    """Lowercase, strip accents and punctuation: 'St.-Niklaas ' -> 'st niklaas'."""
    # NFC first: a manifest may hold decomposed accents; fold_accents folds composed letters
    text = fold_accents(unicodedata.normalize("NFC", name)).lower()
    text = text.replace(".", " ").replace("(", " ").replace(")", " ").replace("/", " ")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


# How alike (difflib ratio of the folded names) a new name may be to a known case, or to a new
# case seen before, before it is taken for a misspelling of it. "Brugee"/"Brugge" 0.83 and
# "Gnet"/"Gent" 0.75 are refused; "Aalter"/"Aalst" 0.73 and "Hamont"/"Hamme" 0.55 are new cases.
_CLOSE_TO_KNOWN = 0.75
_CLOSE_TO_NEW = 0.85  # new names are not checked spellings: only near-identical ones count as one


def _near_miss(folded: str, names, cutoff: float) -> str | None:
    """The name `folded` misspells, if any: alike as a whole (difflib ratio >= cutoff) and alike
    in every stretch of words where they differ. A typo changes letters inside words ("Gnet",
    "Brugee"); two long names that differ in whole words ("... minister van Financien" and "...
    minister van Veiligheid en Binnenlandse Zaken", "tafel 1" and "tafel 2") are two cases."""
    for close in difflib.get_close_matches(folded, list(names), n=3, cutoff=cutoff):
        words, other = folded.split(), close.split()
        spans = [(" ".join(words[i1:i2]), " ".join(other[j1:j2]))
                 for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words, other).get_opcodes()
                 if op != "equal"]
        if all(difflib.SequenceMatcher(None, a, b).ratio() >= cutoff for a, b in spans):
            return close
    return None


@dataclass(frozen=True)
class CaseNormaliser:
    known: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    # folded name -> first spelling, of the cases met that are not known (filled while reading)
    _new: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __call__(self, raw: str) -> str:
        """The one spelling of this case; raises UnknownCase for an empty name or one that is
        almost, but not quite, a known case or a case met before."""
        name = re.sub(r"\s+", " ", str(raw)).strip()
        if not name:
            raise UnknownCase(raw, None)
        known = self.known_case(name)
        if known:
            return known
        table = self._table
        folded = _fold(name)
        if folded in self._new:
            return self._new[folded]
        close = _near_miss(folded, table, _CLOSE_TO_KNOWN)
        if close:
            raise UnknownCase(name, table[close])
        close = _near_miss(folded, self._new, _CLOSE_TO_NEW)
        if close:
            raise UnknownCase(name, self._new[close])
        self._new[folded] = name
        return name

    def known_case(self, raw: str) -> str | None:
        """The known case `raw` spells (a default city, a known case or an alias), else None."""
        folded = _fold(re.sub(r"\s+", " ", str(raw)).strip())
        for candidate in (folded, _fold(_WRAPPERS.sub("", folded)), folded.replace("-", " ")):
            if candidate in self._table:
                return self._table[candidate]
        return None

    @cached_property
    def _table(self) -> dict[str, str]:
        table = {_fold(k): k for k in self.known}
        table.update({_fold(k).replace("-", " "): k for k in self.known})
        known = set(self.known)
        table.update({k: v for k, v in _DEFAULT_ALIASES.items() if v in known})
        table.update({_fold(k): v for k, v in self.aliases})
        return table
