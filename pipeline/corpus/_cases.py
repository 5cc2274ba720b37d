"""Case (city) names: one spelling per case, whatever the manifest or spreadsheet says.

"St.-Niklaas", "Sint Niklaas" and "stad Sint-Niklaas" must count as one city in the matrix.
The case column is generic: with `known_cases=()` any name is accepted as written (tidied),
so another round with other municipalities works without code changes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
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
    """A case name that is not one of the known cases; carries the closest known name."""

    def __init__(self, raw: str, suggestion: str | None):
        self.raw = raw
        self.suggestion = suggestion
        hint = f" Did you mean '{suggestion}'?" if suggestion else ""
        super().__init__(f"unknown case '{raw}'.{hint}")


def _fold(name: str) -> str:
    """Lowercase, strip accents and punctuation: 'St.-Niklaas ' -> 'st niklaas'."""
    # NFC first: a manifest may hold decomposed accents; fold_accents folds composed letters
    text = fold_accents(unicodedata.normalize("NFC", name)).lower()
    text = text.replace(".", " ").replace("(", " ").replace(")", " ").replace("/", " ")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class CaseNormaliser:
    known: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()

    def __call__(self, raw: str) -> str:
        """The canonical case name; raises UnknownCase for names outside a non-empty `known`."""
        name = re.sub(r"\s+", " ", str(raw)).strip()
        if not name:
            raise UnknownCase(raw, None)
        if not self.known:
            return name
        table = self._table
        folded = _fold(name)
        for candidate in (folded, _fold(_WRAPPERS.sub("", folded)), folded.replace("-", " ")):
            if candidate in table:
                return table[candidate]
        close = difflib.get_close_matches(folded, list(table), n=1, cutoff=0.75)
        raise UnknownCase(name, table[close[0]] if close else None)

    @cached_property
    def _table(self) -> dict[str, str]:
        table = {_fold(k): k for k in self.known}
        table.update({_fold(k).replace("-", " "): k for k in self.known})
        known = set(self.known)
        table.update({k: v for k, v in _DEFAULT_ALIASES.items() if v in known})
        table.update({_fold(k): v for k, v in self.aliases})
        return table
