"""What a statement does: each sentence tagged with its function, its hedges and its quantifiers.

Needs: the `sentences` and `tokens` tables (nlp stage). Adds: a `functions` table, one row per
sentence: segment_id, sent, function (the primary function), functions (all functions found,
";"-joined), cues (the matched cue words, ";"-joined, as "function:words"), hedges, quantifiers,
negated (the sentence holds a negation: niet, geen, nooit, …).

Functions (codes are English, their Dutch meaning in brackets):

  question      (vraag)            ends with "?" or "vraagt zich af", "de vraag is of"
  tension       (spanning/dilemma) "enerzijds … anderzijds", "spanningsveld", "evenwicht zoeken"
  barrier       (drempel)          "drempel", "in de weg", "ontbreekt", "te weinig", "belemmert"
  concern       (bezorgdheid)      "bezorgdheid", "zorgen maken", "vrezen", "bang", "probleem"
  need          (nood)             "nood aan", "behoefte aan", "nodig", "noodzakelijk"
  wish          (wens/aanbeveling) "men wenst", "zou moeten", "pleiten voor", "aanbeveling"
  practice      (praktijk)         "gestart met", "project", "initiatief", "traject", "organiseren"
  appreciation  (waardering)       "werkt goed", "geapprecieerd", "meerwaarde", "trots"
  statement     (vaststelling)     no cue matched

The primary function of a sentence is the first matched function in PRIORITY (the order above):
a question stays a question whatever it asks about, an explicit dilemma outranks the barrier it
names, a barrier outranks a mere concern, and a practice sentence that also praises is a practice.

A segment's function (`segment_functions`) is the function carried by the most sentences of the
segment (counting every function a sentence has, not only its primary one), ties broken by
PRIORITY; "statement" only when no sentence matched any cue.

Cue patterns run over tokens, never over raw text, so they are testable word by word. A pattern
is a space-separated sequence of elements; an element matches a token when it equals the token's
lower-cased text or its lemma. Inside an element:
  a|b     alternatives
  w*      prefix (drempel* = drempels, drempelverlagend), *w suffix (*drempel = taaldrempel),
          *w* infix (*procedure* = aanwervingsprocedures)
  …       a gap of 0 to 4 tokens ("nood … aan" = "nood aan", "nood is aan", "nood is er aan")
The tokens carry no part of speech yet: when a UPOS column is added to the tokens table, patterns
can be narrowed (e.g. "zorgen" as noun only) without changing this file's interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["FUNCTION_CUES", "HEDGES", "QUANTIFIERS", "NEGATIONS", "PRIORITY", "tag_functions", "sentence_tokens", "match_groups",
           "segment_functions", "match_cues", "tag_sentence", "FUNCTION_COLUMNS"]

# ---------------------------------------------------------------------------------- lexicons

FUNCTION_CUES: dict[str, tuple[str, ...]] = {
    "question": (
        "vraagt|vragen|vroeg|vroegen … zich af", "afvragen", "de vraag is|blijft of|wie|hoe|wat|waarom",
        "vraag is of",
    ),
    "tension": (
        "enerzijds … anderzijds", "enerzijds", "anderzijds", "aan de ene kant", "aan de andere kant",
        "spanningsveld*", "spanning", "spanningen", "dilemma*", "evenwicht|balans … zoeken|vinden|bewaken",
        "zoeken|zoekt|zoekt … naar … evenwicht", "afweging*", "laveren", "tussen twee stoelen",
        "geprangd", "gewrongen",
    ),
    "barrier": (
        "drempel*", "*drempel", "*drempels", "in de weg", "belemmer*", "verhinder*", "ontbreek*",
        "ontbreken", "ontbrak*", "te weinig", "onvoldoende", "gebrek aan", "*tekort", "tekort*",
        "wachtlijst*", "*wachtlijst", "*wachtlijsten", "wachttijd*", "obstakel*", "hindernis*",
        "blokkeer*", "blokkeren", "blokkeert", "struikel*", "loopt|lopen|liep … vast", "vastlopen",
        "zit|zitten … vast", "botst|botsen|botsten … op", "wringt", "wringen", "knelpunt*",
        "laat|laten … niet toe", "weigert|weigeren", "niet toegelaten", "geraakt|geraken … niet",
        "valt|vallen … uit|af", "haakt|haken … af", "afhaken", "uit de boot", "moeilijk",
        "onmogelijk", "ingewikkeld", "te complex", "te duur", "onbetaalbaar", "ontoegankelijk",
        "onbereikbaar", "gaat|gaan … verloren", "zonder … geen", "pas … als|wanneer|nadat",
        "niet verder dan", "dicht", "gesloten",
    ),
    "concern": (
        "bezorgd*", "bezorgdheid", "*bezorgdheid", "zorgen … maken", "maak|maakt|maken … zorgen",
        "zorg|zorgen over|om", "ongerust*", "vrees", "vrezen", "vreest", "bang", "angst*", "*angst",
        "schrik", "risico", "gevaar", "probleem", "problemen", "*probleem", "*problemen",
        "problematisch", "pijnpunt*", "zorgwekkend", "verontrust*", "onrust", "frustratie*",
        "gefrustreerd", "jammer", "spijtig", "helaas", "onaanvaardbaar", "schrijnend",
    ),
    "need": (
        "nood … aan", "noodzaak", "noodzakelijk", "nodig", "behoefte*", "*behoefte", "vraag naar",
        "is … vereist", "onmisbaar", "cruciaal", "essentieel",
    ),
    "wish": (
        "men wenst", "wens*", "zou|zouden … moeten|mogen", "moet|moeten … er komen", "pleit*",
        "aanbevel*", "aanbeveling*", "suggestie*", "stelt|stellen … voor", "zou|zouden … beter",
        "zou|zouden … goed zijn", "zou|zouden … helpen", "zou|zouden graag", "willen graag",
        "hoop|hopen|hoopt", "mocht|mochten … veranderen", "verwacht|verwachten … van",
        "vraag|vragen|vraagt … om", "oproep*", "het liefst", "ideaal",
    ),
    "practice": (
        "gestart|begonnen … met", "opgestart", "opgezet", "opgericht", "ontstaan", "uitgerold",
        "project*", "*project", "*projecten", "initiatie*", "*initiatief", "traject*", "*traject",
        "werking", "methodiek*", "aanpak", "organiseren|organiseert|organiseerden",
        "in het kader van", "proefproject", "pilootproject", "piloot", "experiment*", "netwerk",
        "samenwerking met", "hebben|heeft … opgezet|uitgebouwd",
    ),
    "appreciation": (
        "werkt|werken|werkte … goed|wel", "loopt|liep … goed", "geapprecieerd", "apprecie*",
        "waarderen", "gewaardeerd", "waardeert", "meerwaarde", "waardevol", "tevreden", "trots",
        "succes*", "geslaagd", "dankzij", "het verschil maakt|maken", "sterkte*", "positief",
        "positieve", "fijn", "mooi", "goede praktijk*", "een winst",
    ),
}

PRIORITY: tuple[str, ...] = ("question", "tension", "barrier", "concern", "need", "wish", "practice",
                             "appreciation")

# Cue words that name a *means* rather than a function when followed by "voor" ("zorgen voor").
# These are excluded from `concern` by an explicit negative pattern.
NOT_CONCERN: tuple[str, ...] = ("zorgt|zorgen|zorgde|zorgden … voor|ervoor|dat", "zorg … voor|ervoor|dat",
                                "zorg|zorgen … dragen")

# Hedges: the report's "lijkt", "zou", "blijkbaar" — the statement is qualified, not asserted.
HEDGES: tuple[str, ...] = (
    "lijkt|lijken|leek|leken|schijnt|schijnen", "blijkbaar", "misschien", "wellicht", "mogelijk",
    "mogelijkerwijs", "waarschijnlijk", "vermoedelijk", "vermoed*", "eventueel", "allicht",
    "zou|zouden", "naar verluidt", "min of meer", "enigszins", "ietwat", "denk|denken|denkt",
    "volgens sommigen", "niet altijd", "niet helemaal", "in zekere zin", "als het ware",
    "naar het schijnt", "het gevoel", "eerder",
)

# Quantifiers: how often, how many — "meermaals", "in enkele steden", "de meeste".
QUANTIFIERS: tuple[str, ...] = (
    "meermaals", "herhaaldelijk", "vaak", "dikwijls", "soms", "af en toe", "zelden", "nooit",
    "altijd", "telkens", "steeds", "voortdurend", "regelmatig", "elke|iedere keer", "elk|ieder jaar",
    "in enkele|verschillende|sommige|alle|veel steden|plaatsen|gesprekken", "in de meeste steden", "enkele", "verschillende",
    "sommige|sommigen", "heel wat", "veel", "weinig", "de meeste", "alle", "iedereen", "niemand",
    "een aantal", "bijna", "nauwelijks", "amper", "overal", "nergens", "meestal", "vooral",
    "de helft", "een groot deel", "een deel", "een paar",
)

NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "niks", "niemand", "nergens", "zelden",
                       "nauwelijks", "amper", "weinig", "onvoldoende", "zonder"})

FUNCTION_COLUMNS = ["segment_id", "sent", "function", "functions", "cues", "hedges", "quantifiers",
                    "negated"]

# ---------------------------------------------------------------------------------- matching

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


# the cue lists tag_sentence matches, in one pass: the functions in PRIORITY order, then these three
_SENTENCE_GROUPS = tuple(FUNCTION_CUES[f] for f in PRIORITY) + (NOT_CONCERN, HEDGES, QUANTIFIERS)


def tag_sentence(words: list[str], lemmas: list[str], text: str = "") -> dict:
    """Functions, cues, hedges and quantifiers of one sentence (lower-cased words and lemmas)."""
    functions: list[str] = []
    cues: list[str] = []
    hits_by_group = match_groups(_SENTENCE_GROUPS, words, lemmas)
    not_concern, hedge_hits, quant_hits = hits_by_group[len(PRIORITY):]
    for function, hits in zip(PRIORITY, hits_by_group):
        if function == "concern" and hits:
            blocked = {k for s, e, _ in not_concern for k in range(s, e)}
            hits = [h for h in hits if not set(range(h[0], h[1])) <= blocked]
        if function == "question" and text.rstrip().rstrip("\"'»”’)").endswith("?"):
            hits = hits or [(len(words) - 1, len(words), "?")]
        if hits:
            functions.append(function)
            for s, e, _ in hits:
                cues.append(f"{function}:{' '.join(words[s:e]) if e > s else '?'}")
    hedges = [" ".join(words[s:e]) for s, e, _ in hedge_hits]
    quants = [" ".join(words[s:e]) for s, e, _ in quant_hits]
    return {
        "function": functions[0] if functions else "statement",
        "functions": ";".join(functions) if functions else "statement",
        "cues": "; ".join(cues),
        "hedges": "; ".join(dict.fromkeys(hedges)),
        "quantifiers": "; ".join(dict.fromkeys(quants)),
        "negated": any(w in NEGATIONS for w in words),
    }


class SentenceTokens(NamedTuple):
    """One sentence's tokens as plain lists (lower-cased words and lemmas)."""
    words: list[str]
    lemmas: list[str]
    start_char: list[int]
    is_alpha: list[bool]
    is_stop: list[bool]
    digit_words: int  # tokens holding a digit (table rows are not statements)


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
    digits = np.concatenate([[0], np.cumsum(tokens["text"].astype(str).str.contains(r"\d", regex=True)
                                            .to_numpy()[order])])
    out = {}
    for code, lo, hi in zip(codes[order][np.r_[0, bounds]], np.r_[0, bounds], np.r_[bounds, len(order)]):
        seg, sent = keys[code]
        out[(seg, int(sent))] = SentenceTokens(words[lo:hi], lemmas[lo:hi], starts[lo:hi], alpha[lo:hi], stop[lo:hi],
                                               int(digits[hi] - digits[lo]))
    return out


def tag_functions(sentences: pd.DataFrame, tokens: pd.DataFrame,
                  by_sentence: dict | None = None) -> pd.DataFrame:
    """One row per sentence of `sentences`: its function(s), cues, hedges and quantifiers.
    `by_sentence`: sentence_tokens(tokens), when the caller already has it."""
    rows = []
    by_sentence = sentence_tokens(tokens) if by_sentence is None else by_sentence
    for seg_id, sent, text in zip(sentences["segment_id"], sentences["sent"], sentences["text"]):
        st = by_sentence.get((seg_id, int(sent)))
        words, lemmas = (st.words, st.lemmas) if st is not None else ([], [])
        rows.append({"segment_id": seg_id, "sent": int(sent), **tag_sentence(words, lemmas, text)})
    out = pd.DataFrame(rows, columns=FUNCTION_COLUMNS)
    out["sent"] = out["sent"].astype("int64")
    out["negated"] = out["negated"].astype(bool)
    return out


def segment_functions(functions: pd.DataFrame) -> pd.Series:
    """The most salient function per segment (see the module docstring), indexed by segment_id."""
    rank = {f: i for i, f in enumerate(PRIORITY)}
    out = {}
    for seg_id, group in functions.groupby("segment_id", sort=True):
        counts: dict[str, int] = {}
        for fs in group["functions"]:
            for f in fs.split(";"):
                if f != "statement":
                    counts[f] = counts.get(f, 0) + 1
        out[seg_id] = (min(counts, key=lambda f: (-counts[f], rank[f])) if counts else "statement")
    return pd.Series(out, name="function", dtype="string")
