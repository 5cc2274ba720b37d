"""Declared names: the participants and facilitators a manifest lists, matched wherever they
occur (diacritic- and case-insensitively, every name word but a particle capitalised), and
their parts when those point to one declared person."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ._lexicon import F_NL, is_name, word_flags, word_key
from ._rules import LEADING_PARTICLES, PARTICLES, STRONG_VERBS, WEAK_VERBS
from ._tokens import Token

__all__ = ["declared_spans"]


@dataclass(frozen=True)
class _DeclaredIndex:
    regex: re.Pattern | None
    parts: dict  # folded-lower part -> (person index, kind: "full"|"first"|"surname")


def _split_declared(name: str) -> tuple[str, str]:
    """("Karim El Idrissi") -> ("Karim", "El Idrissi"); a one-word name has no surname."""
    toks = name.split()
    if len(toks) == 1:
        return toks[0], ""
    # A name that starts with a particle is a surname only ("Van der Veken").
    if word_key(toks[0]) in LEADING_PARTICLES:
        return "", name
    return toks[0], " ".join(toks[1:])


@functools.lru_cache(maxsize=256)
def _declared_index(declared: tuple[str, ...]) -> _DeclaredIndex:
    names = []
    for d in declared:
        d = " ".join(d.split())
        if d and any(ch.isalpha() for ch in d):
            names.append(d)
    parts: dict[str, tuple[int, str]] = {}
    counts: dict[str, set[int]] = {}
    for i, n in enumerate(names):
        first, surname = _split_declared(n)
        cands = [(n, "full")]
        if first and surname:
            cands.append((first, "first"))
            cands.append((surname, "surname"))
            stoks = surname.split()
            if len(stoks) > 1 and word_key(stoks[0]) not in PARTICLES:
                # "Fatima Zahra Amrani": "Fatima Amrani" and "Amrani" also refer to her.
                cands.append((first + " " + stoks[-1], "full"))
                cands.append((stoks[-1], "surname"))
        elif first:
            cands.append((first, "first"))
        for c, kind in cands:
            k = word_key(c)
            if len(k.replace(" ", "")) < 2 or k in PARTICLES:
                continue
            counts.setdefault(k, set()).add(i)
            parts.setdefault(k, (i, kind))
    # Keep a part only when it points to one declared person.
    parts = {k: v for k, v in parts.items() if len(counts[k]) == 1 or v[1] == "full"}
    if not parts:
        return _DeclaredIndex(None, {})
    alts = sorted(parts, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(t) for t in a.split()) for a in alts)
    # Allow a genitive ending after the name ("Sofies", "Sofie's") but not a
    # longer word ("Jansen" is not "Jan").
    regex = re.compile(r"(?<![\w'\-])(?:" + body + r")(?=(?:'s|s)?(?![\w'\-]))", re.IGNORECASE)
    return _DeclaredIndex(regex, parts)


def declared_spans(text: str, folded: str, tok_at: dict[int, int], toks: list[Token],
                    declared: tuple[str, ...]) -> list[tuple[int, int, str, float]]:
    idx = _declared_index(declared)
    if idx.regex is None:
        return []
    out = []
    for m in idx.regex.finditer(folded):
        s, e = m.start(), m.end()
        k = " ".join(folded[s:e].lower().split())
        if k not in idx.parts:
            continue
        words = text[s:e].split()
        # Every name word except a particle must be capitalised in the text:
        # "roos" (the flower) is not "Roos", but "de Bruyne" is "De Bruyne".
        if not all(w[0].isupper() or word_key(w) in PARTICLES for w in words):
            continue
        if not any(w[0].isupper() for w in words):
            continue
        ti = tok_at.get(s)
        if ti is not None and len(words) == 1:
            t = toks[ti]
            f = word_flags(words[0])
            if t.initial and (f & F_NL) and not _followed_by_person_cue(toks, ti, text):
                # "Mark je agenda", "Roos en anjers": a declared first name that
                # is also an ordinary word, first in its sentence, needs a cue.
                continue
        out.append((s, e, "declared", 10.0))
    return out


def _followed_by_person_cue(toks: list[Token], i: int, text: str) -> bool:
    t = toks[i]
    after = text[t.end:t.end + 3]
    if after[:1] in (":", "(", ",") or after.startswith(" ("):
        return True
    if i + 1 < len(toks):
        n = toks[i + 1]
        nk = n.text.lower()
        if nk in STRONG_VERBS or nk in WEAK_VERBS:
            return True
        if nk in ("en", "&") and i + 2 < len(toks) and toks[i + 2].cap and is_name(toks[i + 2].flags):
            return True
        if nk == "van" and i + 2 < len(toks) and (toks[i + 2].upper or toks[i + 2].text in ("de", "het")):
            return True
    return False
