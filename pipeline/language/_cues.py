"""Cue patterns over a sentence's tokens: the small pattern language the analysis writes its
word lists in (statement functions, claim connectives, mechanism concepts).

Needs: the `tokens` table (lower-cased text and lemma per token). Adds: `sentence_tokens` (one
sentence's tokens as plain lists) and `match_cues` / `match_groups` (where the patterns match).

Cue patterns run over tokens, never over raw text, so they are testable word by word. A pattern
is a space-separated sequence of elements; an element matches a token when it equals the token's
lower-cased text or its lemma. Inside an element:
  a|b     alternatives
  w*      prefix (drempel* = drempels, drempelverlagend), *w suffix (*drempel = taaldrempel),
          *w* infix (*procedure* = aanwervingsprocedures)
  …       a gap of 0 to 4 tokens ("nood … aan" = "nood aan", "nood is aan", "nood is er aan")
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["match_cues", "match_groups", "sentence_tokens", "SentenceTokens"]

_GAP = 4  # tokens an "…" may skip
_MEMO: dict[tuple[int, str, str], bool] = {}  # (element, word, lemma) -> match; elements live forever


@dataclass(frozen=True, eq=False)
class _Element:
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    infixes: tuple[str, ...]

    def matches(self, low: str, lemma: str) -> bool:
        key = (id(self), low, lemma)
        hit = _MEMO.get(key)
        if hit is None:
            hit = _MEMO[key] = self._matches(low, lemma)
        return hit

    def _matches(self, low: str, lemma: str) -> bool:
        for form in (low, lemma):
            if form in self.exact:
                return True
            if any(form.startswith(p) for p in self.prefixes):
                return True
            if any(form.endswith(s) and len(form) > len(s) for s in self.suffixes):
                return True
            if any(i in form for i in self.infixes):
                return True
        return False


@lru_cache(maxsize=None)
def _compile(pattern: str) -> tuple[_Element | None, ...]:
    """A pattern as a tuple of elements; None stands for a gap."""
    out: list[_Element | None] = []
    for raw in pattern.replace("...", "…").split():
        if raw == "…":
            out.append(None)
            continue
        exact, pre, suf, inf = set(), [], [], []
        for alt in raw.lower().split("|"):
            if alt.startswith("*") and alt.endswith("*") and len(alt) > 2:
                inf.append(alt[1:-1])
            elif alt.endswith("*"):
                pre.append(alt[:-1])
            elif alt.startswith("*"):
                suf.append(alt[1:])
            else:
                exact.add(alt)
        out.append(_Element(frozenset(exact), tuple(pre), tuple(suf), tuple(inf)))
    return tuple(out)


def _match_at(elements, i, words, lemmas) -> int | None:
    """Index after the match of `elements` starting exactly at token i, else None."""
    if not elements:
        return i
    head, rest = elements[0], elements[1:]
    if head is None:
        for skip in range(0, _GAP + 1):
            end = _match_at(rest, i + skip, words, lemmas)
            if end is not None:
                return end
        return None
    if i < len(words) and head.matches(words[i], lemmas[i]):
        return _match_at(rest, i + 1, words, lemmas)
    return None


class _Starts:
    """For one tuple of patterns: which patterns can start at a token, memoised per (word, lemma)
    over the whole corpus, so a sentence only tries the few patterns whose first word is there.
    First elements are indexed by exact form, prefix and suffix, so a new word costs a few dict
    look-ups, not one test per pattern."""

    def __init__(self, patterns: tuple[str, ...]):
        self.compiled = [_compile(p) for p in patterns]
        self.memo: dict[tuple[str, str], tuple[int, ...]] = {}
        self.exact: dict[str, set[int]] = {}
        self.prefix: dict[str, set[int]] = {}
        self.suffix: dict[str, set[int]] = {}
        self.infix: list[tuple[str, int]] = []
        self.always: set[int] = set()
        for k, els in enumerate(self.compiled):
            head = els[0] if els else None
            if head is None:
                self.always.add(k)
                continue
            for form in head.exact:
                self.exact.setdefault(form, set()).add(k)
            for form in head.prefixes:
                self.prefix.setdefault(form, set()).add(k)
            for form in head.suffixes:
                self.suffix.setdefault(form, set()).add(k)
            self.infix += [(form, k) for form in head.infixes]
        self.prefix_lengths = sorted({len(f) for f in self.prefix})
        self.suffix_lengths = sorted({len(f) for f in self.suffix})

    def _lookup(self, form: str) -> set[int]:
        out = set(self.exact.get(form, ()))
        for n in self.prefix_lengths:
            if n <= len(form):
                out |= self.prefix.get(form[:n], set())
        for n in self.suffix_lengths:
            if n < len(form):
                out |= self.suffix.get(form[-n:], set())
        out |= {k for f, k in self.infix if f in form}
        return out

    def get(self, low: str, lemma: str) -> tuple[int, ...]:
        hit = self.memo.get((low, lemma))
        if hit is None:
            hit = self.memo[(low, lemma)] = tuple(sorted(self._lookup(low) | self._lookup(lemma) | self.always))
        return hit


@lru_cache(maxsize=None)
def _starts(groups: tuple[tuple[str, ...], ...]) -> _Starts:
    starts = _Starts(tuple(p for g in groups for p in g))
    starts.group = [g for g, patterns in enumerate(groups) for _ in patterns]  # pattern index -> group
    starts.offset = [sum(len(x) for x in groups[:g]) for g in range(len(groups))]
    return starts


def match_cues(patterns: tuple[str, ...], words: list[str], lemmas: list[str]) -> list[tuple[int, int, str]]:
    """All (start, end, pattern) matches of `patterns` in one sentence's tokens (lower-cased
    words and lemmas), leftmost first; a pattern is reported once per sentence."""
    return match_groups((tuple(patterns),), words, lemmas)[0]


def match_groups(groups: tuple[tuple[str, ...], ...], words: list[str],
                 lemmas: list[str]) -> list[list[tuple[int, int, str]]]:
    """match_cues for several pattern tuples at once: one pass over the sentence's tokens for all
    of them (a sentence is matched against some 30 cue lists; one pass each was the stage's cost)."""
    starts = _starts(groups)
    candidates: dict[int, list[int]] = {}
    for i, (low, lemma) in enumerate(zip(words, lemmas)):
        for k in starts.get(low, lemma):
            candidates.setdefault(k, []).append(i)
    found: list[list[tuple[int, int, str]]] = [[] for _ in groups]
    for k, positions in candidates.items():
        elements = starts.compiled[k]
        for i in positions:
            end = _match_at(elements, i, words, lemmas)
            if end is not None:
                g = starts.group[k]
                found[g].append((i, end, groups[g][k - starts.offset[g]]))
                break
    return [sorted(f) for f in found]


class SentenceTokens(NamedTuple):
    """One sentence's tokens as plain lists (lower-cased words and lemmas)."""
    words: list[str]
    lemmas: list[str]
    start_char: list[int]
    is_alpha: list[bool]
    is_stop: list[bool]
    digit_words: int  # tokens holding a digit (table rows are not statements)
    upos: list[str]  # the tagger's part of speech ("" without the tagger)


def sentence_tokens(tokens: pd.DataFrame) -> dict[tuple[str, int], SentenceTokens]:
    """(segment_id, sent) -> that sentence's tokens, in token order. Built once from column arrays:
    slicing a grouped DataFrame per sentence was most of the mechanisms stage's time."""
    if not len(tokens):
        return {}
    codes, keys = pd.factorize(pd.MultiIndex.from_arrays([tokens["segment_id"], tokens["sent"].astype("int64")]))
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    words = tokens["text"].astype(str).str.lower().to_numpy()[order].tolist()
    lemmas = tokens["lemma"].astype(str).str.lower().to_numpy()[order].tolist()
    starts = tokens["start_char"].astype("int64").to_numpy()[order].tolist()
    alpha = (tokens["is_alpha"].astype(bool).to_numpy()[order].tolist() if "is_alpha" in tokens
             else [True] * len(order))
    stop = (tokens["is_stop"].astype(bool).to_numpy()[order].tolist() if "is_stop" in tokens
            else [False] * len(order))
    upos = (tokens["upos"].astype(str).to_numpy()[order].tolist() if "upos" in tokens
            else [""] * len(order))
    digits = np.concatenate([[0], np.cumsum(tokens["text"].astype(str).str.contains(r"\d", regex=True)
                                            .to_numpy()[order])])
    out = {}
    for code, lo, hi in zip(codes[order][np.r_[0, bounds]], np.r_[0, bounds], np.r_[bounds, len(order)]):
        seg, sent = keys[code]
        out[(seg, int(sent))] = SentenceTokens(words[lo:hi], lemmas[lo:hi], starts[lo:hi], alpha[lo:hi], stop[lo:hi],
                                               int(digits[hi] - digits[lo]), upos[lo:hi])
    return out
