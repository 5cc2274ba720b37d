"""Find person names in Dutch (Flemish) interview and meeting notes.

Public API::

    find_persons(text, declared=()) -> list[PersonSpan]

Nothing here touches the network and nothing is downloaded: the word lists are
written in ``_rules`` or read from an installed package by ``_lexicon``
(``faker`` for name and place lists, ``simplemma`` for the Dutch/English
lexicon).  The finder's parts import one way: ``_rules`` (word lists) <-
``_lexicon`` (what a single word is) <- ``_tokens`` <- ``_declared`` (declared
names) <- this module (chunks, scoring, resolving).

How it works
------------
There is no freely licensed modern Dutch NER training set, so this is a
transparent combination of four kinds of evidence:

1. **Declared names** (source ``"declared"``): the participants and
   facilitators a manifest lists.  A declared full name is matched wherever it
   occurs (diacritic- and case-insensitively, but every name word except a
   particle must start with a capital, so the flower *roos* never matches
   *Roos Peeters*).  Its parts are matched too when they point to a single
   declared person: the surname alone ("De Bruyne", "D'Hondt") and the first
   name alone ("Nadia").  Titles ("mevrouw Yilmaz") stay outside the span.

2. **Orthography** (source ``"rule"``): Dutch writes common nouns in lower
   case, so a capitalised word that is not the first word of a sentence is a
   proper name.  That is the strongest single signal, and it is why the hard
   cases are the *first word of a sentence* and the proper names that are not
   persons: cities, streets, organisations, projects, nationalities.

3. **Name and place lists** (source ``"list"`` when a list carried the
   decision): first names and surnames from Faker (MIT licence; Belgian,
   Dutch, French, Algerian, Turkish, Slavic, African, South-Asian ...
   locales), plus a short curated list of frequent Maghreb, Turkish, Afghan,
   Somali, Eritrean, Congolese, West-African and Eastern-European names in the
   spellings used in Flanders.  Faker's lists of Belgian and Dutch
   municipalities and of countries are the place gazetteer.  The lexicon of
   *simplemma* (MIT) says whether a word is an ordinary Dutch (or English)
   word: a name that is also a common word ("Roos", "Hoop", "Mark", "Storm")
   needs more context than one that is not ("Sofie").

4. **Context rules**: titles ("mevrouw", "dhr.", "juf"), speaker labels at the
   start of a line ("Nadia: ..."), attendance lists ("Aanwezig: ..."), speech
   and cognition verbs after a name ("Els zegt dat ..."), apposition to an
   organisation ("Anouk van het CAW", "Sofie Vermeulen (OCMW)"), and
   coordination with a name already found ("Aziz en Zeynep").  Against a
   person: a quoted short title (‘Brown Eyes Blue Eyes’), the second half of
   "Ziekte- en Invaliditeitsverzekering", a word after "Instituut voor", a
   neighbour of an acronym ("Prodipresse, VFP en Perstablo"), a word listed
   with a place ("in Seefhoek en Stuivenberg"), a word in the brackets of an
   attendance line ("(buurtwerker Rabot)"), a capitalised function word that
   opens a title ("is Over de Grens"), a sentence-initial article before an
   unlisted word ("De Woonbuddy's koppelen"), the words of a gazetteer place together ("Sri
   Lanka"), a Romance "saint" before a saint's name ("Santo Domingo"), a compound naming an
   organisation before the word ("Sectororganisatie Agoria"), a French or German article in a
   sentence of that language ("je remercie la Marine"), English "and" between capitals ("Procter
   and Gamble"), a listed surname before a frequent English word ("Black Friday"). A capital after
   a list item's letter or number opens a sentence ("b) Om welk bedrag").

5. **The rest of the document** (``_document_evidence``): a name seen with a
   title, as a speaker label or after a listed first name is a person where
   it recurs alone ("de heer Wakefield" ... "het onderzoek van Wakefield"),
   and the first name of a full name is that person also where it opens a
   sentence and is a word too ("Els Vanhove" ... "Els neemt het mee");
   a chunk the same document writes in lower case, after an article or as a
   quoted title is no person elsewhere either ("Outreachend" at a sentence
   start, "outreachend werken" inside one).  This is how real text (the
   Stadsgenoten report, parliamentary transcripts, ministers' answers; see
   benchmarks/persons.py) tells its few persons from its many capitalised
   headings, projects and organisations.  A word once after "in" or "uit" is
   a place there and elsewhere ("de top in Davos"), and so is a place that is
   also a first name once listed with a place ("tussen België en India"),
   unless a title, a speech verb or a colon says person.  A text that names
   its persons with a title more often than by a first name alone (written
   answers, reports) does not take an unknown word for a person because
   "met" or "door" stands before it ("samen met Europol", "door Fluxys"):
   there such a word is an organisation, wherever the text writes it, and so is one that only a
   plain verb after it made a name ("Myria heeft"). A name listed with an acronym ("tussen de NMBS
   en De Lijn") is an organisation throughout the document.

Each capitalised chunk gets a score from these signals (see
``_score_chunk``); chunks scoring at least ``THRESHOLD`` are persons.  Vetoes
(acronyms, street/organisation compounds, nationality adjectives, project
nouns in front) are applied first: a vetoed chunk gets no score at all.

Spans cover the name only: no title, no genitive ending ("Ahmeds collega"
gives the span "Ahmed", "Fatima's voorstel" the span "Fatima").

No statistical model is used: without real annotated Dutch notes a model could
only be trained on sentences generated from these same rules and lists, and
would learn nothing they do not already encode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

from ..corpus import fold_accents
from ._declared import declared_spans
from ._lexicon import (
    F_EN, F_FIRST, F_NAT, F_NL, F_NLSTRONG, F_NONPERS, F_ORG, F_PART, F_PLACE, F_ROLE, F_STOP, F_SURN,
    F_TITLE, foreign_word, frequent_in_english, is_ambiguous, is_common, is_name, name_lists, places, word_flags, word_key,
)
from ._rules import (
    ABBREVIATIONS, ADDRESS_FORMS, COMPASS, DETERMINERS, MONTHS, NONPERSON_TRIGGERS, ORGANISATION_HEADS, PARTICLES,
    PERSON_PREPS, PLACE_PREPS, SAINT_WORDS,
    STRONG_VERBS, SUBJECT_PRONOUNS, TITLES, WEAK_VERBS,
)
from ._tokens import Token, label_lines, line_of, mark_genitives, tokenize

__all__ = ["PersonSpan", "find_persons", "THRESHOLD"]


@dataclass(frozen=True, order=True)
class PersonSpan:
    """A person-name mention: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str
    source: str  # "declared" | "rule" | "list" | "document" (the name recurs with a title elsewhere)
    #             | "corpus" (a part of a full name found in another document: privacy/_stage.py)


#: Minimum score for a capitalised chunk to count as a person name.
THRESHOLD = 2.0


def _chunks(toks: list[Token], text: str) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by spaces only, with lower-case
    particles allowed inside ("Liesbeth Van de Velde", "Jan van Dijk")."""
    out = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if not t.cap or t.text == "&":
            i += 1
            continue
        j = i
        while j + 1 < n:
            nxt = toks[j + 1]
            gap = text[toks[j].poss_end:nxt.start]
            if toks[j].poss_end != toks[j].end or gap not in (" ", "\u00a0") or nxt.initial:
                break
            if nxt.cap:
                j += 1
                continue
            # lower-case particle(s) followed by a capitalised word
            k = j + 1
            while k < n and not toks[k].cap and word_key(toks[k].text) in PARTICLES \
                    and text[toks[k - 1].end:toks[k].start] == " ":
                k += 1
            if k < n and k > j + 1 and toks[k].cap and text[toks[k - 1].end:toks[k].start] == " " \
                    and _particle_join_ok(toks, j, k):
                j = k
                continue
            break
        out.append((i, j))
        i = j + 1
    return out


def _particle_join_ok(toks: list[Token], j: int, k: int) -> bool:
    """Join "X van Y" only when Y reads as a surname, not as an organisation or
    place: "Jan van Dijk" yes, "Jelle van Kind en Gezin" and "Anouk van het CAW" no."""
    _, _, multi = name_lists()
    y = toks[k]
    particles = " ".join(word_key(t.text) for t in toks[j + 1:k])
    if particles in ("het", "te", "'t"):
        return False
    if f"{particles} {word_key(y.text)}" in multi:
        return True
    f = y.flags
    prev = toks[j].flags
    if y.upper or f & (F_ORG | F_NAT | F_NONPERS):
        return False
    if prev & F_PART:
        # "Van der Veken", "Van de Velde": a capitalised particle continues
        # with lower-case ones; the word after it is a surname even when it
        # is also an ordinary word or a place ("Velde", "Van den Bossche").
        return True
    if f & (F_PLACE | F_ROLE) or is_common(f):
        return False
    return bool(prev & F_FIRST) and not is_common(prev)


@dataclass(frozen=True)
class _Scored:
    """A chunk that passed the vetoes: its score and its token range (a title or a sentence-initial
    ordinary word in front cut off, so possibly narrower than the chunk)."""

    score: float
    a: int
    b: int
    source: str  # "rule" | "list" (a name list carried the decision)
    sure: bool = False  # a title, a speaker label or a listed first name: the rest of the document
    #                     cannot overrule it, and the name counts as a person wherever it recurs
    weak_alone: bool = False  # one unknown word that mostly a preposition such as "met" or "door", or a verb
    #                           after it as the sentence's subject ("Selor wil"), made a name: a person only
    #                           in a text that names persons by first name


def _score_chunk(toks: list[Token], a: int, b: int, text: str, line: str | None) -> _Scored | None:
    """Score the chunk toks[a..b], or None when a veto rejects it. `line` is "label" on a speaker
    line ("Nadia: ..."), "list" after the header of an attendance line, else None. Every score
    step is a multiple of 0.5, so the sum does not depend on the order of the steps."""
    a0 = a
    a, title = _trim_front(toks, a, b, text)
    if a > b:
        return None
    sel = toks[a:b + 1]
    all_caps = all(t.upper or len(t.text) == 1 for t in sel)
    before = _word_before(toks, a, text)
    if _addressed(toks, a, text):
        # "mevrouw De Knop", "de heer Bergers": a form of address names a person, whatever the
        # words mean; only acronyms and digits still say no ("de heer X-2")
        if any((t.upper and not is_name(t.flags)) or any(c.isdigit() for c in t.text) for t in sel):
            return None
    elif _vetoed(sel, all_caps) or _a_named_place(sel) or _names_a_thing(sel, before) or _in_compound_list(toks, a, text) \
            or (a == a0 and _part_of_a_name(toks, a, text)) or _opens_a_title(toks, a, b, text) \
            or _a_date(toks, a, b, text) or _after_a_foreign_article(toks, a, text) \
            or _joined_by_and(toks, a, b, text):
        return None
    # a particle counts as a name word only at the end ("Jan De" cut by punctuation)
    name_toks = [t for t in sel if not (t.flags & F_PART and t is not sel[-1])]
    subject = _opens_with_verb(toks, a, b, text)
    score, source = _word_evidence(sel, name_toks, all_caps, subject)
    score += _context_before(toks, a, before, title)
    if _article_first(toks, a, b):
        score -= 1.0  # no particle structure: an article (+ the plural "'s" of "De Woonbuddy's")
    else:
        score += _context_after(toks, b, text, name_toks, object_of_place=before in PLACE_PREPS)
    score += _line_evidence(sel, text, line)
    score += _quoted_title(toks, a, b, text) + _next_to_acronym(toks, a, b, text)
    # All-caps headings: lists only; a lone ambiguous word is not enough.
    if all_caps and not (len(name_toks) >= 2 and (name_toks[0].flags & F_FIRST or sel[-1].flags & F_SURN)):
        score = min(score, THRESHOLD - 0.5)
    # a listed first name is sure only in front ("De Marine" is an article and a noun)
    sure = title or (line == "label" and sel[0].line_start) or bool(sel[0].flags & F_FIRST)
    # one unknown word that a preposition ("met", "door") or a plain verb after it ("Myria heeft") helped and
    # nothing else ("Goedele zegt") raised much; a word of kinship or work before it ("collega's Borsus en
    # Bacquelaine") says person
    weak_alone = (before in _PREPOSITIONS or subject) and not title and len(name_toks) == 1 \
        and not is_name(name_toks[0].flags) and score < THRESHOLD + 0.5
    return _Scored(score, a, b, source, sure, weak_alone)


# The words of PERSON_PREPS that are prepositions or conjunctions, not nouns for a person
_PREPOSITIONS = frozenset("met door volgens aan zoals ook en".split()) & PERSON_PREPS


# French and German articles; "die" is Dutch too ("die Peeters"), "des" is a determiner already
_FOREIGN_ARTICLES = frozenset("la le les l' der das du".split())


def _after_a_foreign_article(toks: list[Token], a: int, text: str) -> bool:
    """"Selon la Marine nationale", "und der Bundestag": a French or German article before a capital,
    in a sentence of that language, makes a noun of it. Not after a particle: "de la Hera", "von der
    Leyen" are surnames, whatever the language around them."""
    if a == 0 or word_key(toks[a - 1].text) not in _FOREIGN_ARTICLES or toks[a - 1].cap \
            or text[toks[a - 1].end:toks[a].start] != " ":
        return False
    if a > 1 and word_key(toks[a - 2].text) in PARTICLES:
        return False
    around = [t.text.lower() for t in toks[max(0, a - 7):a - 1] + toks[a + 1:a + 7]]  # "prêts", not "prets"
    return sum(foreign_word(w) for w in around) >= 2


def _joined_by_and(toks: list[Token], a: int, b: int, text: str) -> bool:
    """"Procter and Gamble", "Marks and Spencer": English "and" between capitalised words in Dutch text
    joins the name of a firm or a work, not two persons (Dutch writes "en")."""
    before = a >= 2 and toks[a - 1].text == "and" and toks[a - 2].cap and text[toks[a - 2].end:toks[a].start] == " and "
    after = b + 2 < len(toks) and toks[b + 1].text == "and" and toks[b + 2].cap \
        and text[toks[b].end:toks[b + 2].start] == " and "
    return before or after


def _a_date(toks: list[Token], a: int, b: int, text: str) -> bool:
    """"In Juli 2014 werd ...", "op 3 Mei": a lone month beside a number is a date, also when the
    month is a first name too ("Juli", "Mei")."""
    if a != b or word_key(toks[a].text) not in MONTHS:
        return False
    return bool(re.match(r"\s*\d", text[toks[b].end:toks[b].end + 4])
                or re.search(r"\d\.?\s*$", text[max(0, toks[a].start - 4):toks[a].start]))


def _article_first(toks: list[Token], a: int, b: int) -> bool:
    """"De Woonbuddy's koppelen ...", "De Wijkkoks koken ...": "De" or "Het" opens the sentence
    before one word that no surname list holds, so it is more likely the article of a group's or a
    project's name than a surname's particle ("De Backer zegt" is listed). Nothing after it counts
    for a person: "'s" after an article is a plural, and the verb after it agrees with a plural.
    After an initial ("A. De Croo") the full stop ends no sentence."""
    first, last = toks[a], toks[b]
    after_initial = a > 0 and len(toks[a - 1].text) == 1 and toks[a - 1].cap
    return b == a + 1 and first.initial and not after_initial and word_key(first.text) in ("de", "het") \
        and not last.flags & (F_SURN | F_FIRST) and f"de {word_key(last.text)}" not in name_lists()[2]


def _opens_a_title(toks: list[Token], a: int, b: int, text: str) -> bool:
    """"is Over de Grens", "is Om de Hoek", "via Tussen de Lijnen": a capitalised function word inside
    a sentence, before a particle and a capitalised word, opens the title of a project (the chunker
    did not join them because the last word is an ordinary noun), even when a name list holds it."""
    t = toks[a]
    if a != b or t.initial or not t.flags & F_STOP or t.flags & F_PART:
        return False
    k = b + 1
    while k < len(toks) and not toks[k].cap and word_key(toks[k].text) in PARTICLES:
        k += 1
    return k > b + 1 and k < len(toks) and toks[k].cap and text[t.end:toks[k].start].count("\n") == 0


def _addressed(toks: list[Token], a: int, text: str) -> bool:
    """The chunk toks[a..] follows a form of address: "mevrouw De Knop", "Mijnheer Ronse"."""
    if a == 0:
        return False
    prev = toks[a - 1]
    return word_key(prev.text) in ADDRESS_FORMS and text[prev.end:toks[a].start].strip(". ") == ""


def _opens_with_verb(toks: list[Token], a: int, b: int, text: str) -> bool:
    """"Goedele werkt als tolk": the chunk opens its sentence and a verb follows, so it is the
    subject; a subject that no lexicon knows is more often a person than an organisation."""
    i = b + 1
    return toks[a].initial and i < len(toks) and text[toks[b].poss_end:toks[i].start] == " " \
        and toks[i].text in STRONG_VERBS | WEAK_VERBS \
        and not (i + 1 < len(toks) and toks[i + 1].text in SUBJECT_PRONOUNS)


def _in_compound_list(toks: list[Token], a: int, text: str) -> bool:
    """"Ziekte- en Invaliditeitsverzekering", "Hulp- en Voorzorgskas": the word completes a
    compound whose first half stands before "- en", so it is an ordinary noun."""
    if a < 2:
        return False
    return text[toks[a - 2].end:toks[a - 1].start].strip() == "-" and toks[a - 1].text in ("en", "of") \
        and text[toks[a - 1].end:toks[a].start] == " "


def _part_of_a_name(toks: list[Token], a: int, text: str) -> bool:
    """"het Nationaal Instituut voor Criminalistiek", "de staatssecretaris voor Armoedebestrijding":
    a capitalised word after "voor" that follows a capitalised word or a title continues the name of
    an institution or a portfolio ("een cadeau voor Jan" has an ordinary noun before "voor")."""
    if a < 2 or toks[a - 1].text != "voor" or text[toks[a - 2].end:toks[a].start] != " voor ":
        return False
    prev = toks[a - 2]
    return (prev.cap and not prev.initial and not is_name(prev.flags)) or bool(prev.flags & F_TITLE)


_OPEN_QUOTES, _CLOSE_QUOTES = "‘“\"'«", "’”\"'»"


def _quoted_title(toks: list[Token], a: int, b: int, text: str) -> float:
    """‘Brown Eyes Blue Eyes’, ‘Mens & Maatschappij’, ‘Taalst’: a short capitalised phrase in
    quotes is the title of a project, a training or a work, rarely a person."""
    s = toks[a].start
    if s == 0 or text[s - 1] not in _OPEN_QUOTES:
        return 0.0
    close = next((i for i in range(toks[b].poss_end, min(len(text), toks[b].poss_end + 60))
                  if text[i] in _CLOSE_QUOTES and not text[i + 1:i + 2].isalpha()), None)  # not "thema’s"
    if close is None or len(text[s:close].split()) > 6:
        return 0.0
    return -2.0


def _next_to_acronym(toks: list[Token], a: int, b: int, text: str) -> float:
    """"(Prodipresse, VFP en Perstablo)": listed with an acronym, a word names an organisation."""
    for i, step in ((a - 1, -1), (b + 1, 1)):
        if 0 <= i < len(toks) and toks[i].text in ("en", "of", "&"):
            i += step  # "VFP en Perstablo"
        if not 0 <= i < len(toks):
            continue
        t = toks[i]
        lo, hi = (t, toks[a]) if step < 0 else (toks[b], t)
        gap = " ".join(text[lo.poss_end:hi.start].split())
        if gap in (",", "en", "of", "&") and t.upper and 2 <= len(t.text) <= 6 and not is_name(t.flags):
            return -1.0
    return 0.0


def _trim_front(toks: list[Token], a: int, b: int, text: str) -> tuple[int, bool]:
    """The chunk's new first token and whether a title stands before the name. A leading title
    stays outside the span ("Mevrouw Benali", "dhr. Janssens"); so does a sentence-initial
    ordinary word, capitalised only because it comes first ("Volgens Van der Veken")."""
    prev = toks[a - 1] if a > 0 else None
    title = prev is not None and bool(prev.flags & F_TITLE) and not prev.cap \
        and text[prev.end:toks[a].start].strip(". ") == ""
    while a < b and toks[a].flags & F_TITLE:
        title = True
        a += 1
    while a <= b and toks[a].initial and (is_common(toks[a].flags) or toks[a].flags & F_STOP) \
            and not toks[a].flags & F_PART and not toks[a].upper:
        a += 1
    # "voor Leefmilieu Barbara Hendricks": an ordinary word before a listed first name and more
    while a + 1 < b and is_common(toks[a].flags) and not toks[a].flags & F_PART \
            and toks[a + 1].flags & F_FIRST and not is_ambiguous(toks[a + 1].flags):
        a += 1
    return a, title


def _word_before(toks: list[Token], a: int, text: str) -> str:
    """Key of the word right before toks[a] when only spaces separate them, else ""."""
    if a > 0 and text[toks[a - 1].end:toks[a].start].strip() == "":
        return word_key(toks[a - 1].text)
    return ""


def _vetoed(sel: list[Token], all_caps: bool) -> bool:
    """A word in the chunk that is never part of a person's name."""
    for idx, t in enumerate(sel):
        f = t.flags
        after_particle = idx > 0 and sel[idx - 1].flags & F_PART
        if (t.upper or _acronym_plural(t.text)) and not all_caps and not is_name(f):
            return True  # acronym: OCMW, VDAB, "CAW Oost-Vlaanderen", "FTF'ers"
        if all_caps and t.upper and len(t.text) <= 5 and not is_name(f) and not f & F_PART \
                and not is_common(f):
            return True  # acronym in an all-caps line
        if any(c.isdigit() for c in t.text):
            return True  # "F5pp26", "C-130": names hold no digits
        if f & F_NAT and idx > 0 and sel[idx - 1].flags & F_FIRST:
            continue  # "Jeroen Bergers": after a first name a surname, not "Bergen"'s adjective
        if f & (F_NAT | F_NONPERS | F_ORG):
            return True  # "Marokkaanse", "Overpoortstraat", "Unia"
        if f & F_ROLE and not after_particle:
            return True  # "Frontlijnwerker" (but "De Meester" is a surname)
        if f & F_PLACE and not is_name(f) and not after_particle:
            return True
        if word_key(t.text) in COMPASS and idx > 0:
            return True  # "Buurtpunt Noord", "Gent Zuid"
        if not all_caps and any(c.isupper() for c in t.text[1:]) and "-" not in t.text \
                and "'" not in t.text and "’" not in t.text and not t.text[1:].isupper():
            return True  # camel case: PowerPoint, WhatsApp
    return False


def _a_named_place(sel: list[Token]) -> bool:
    """"Sri Lanka", "Costa Rica", "Sierra Leone": the words together are a place of the gazetteer,
    though neither is one alone ("Lanka" is a surname too). "San Francisco", "Santo Domingo": a
    Romance or German "saint" before a saint's first name names a place or that saint; before a word
    that is no first name it is one itself ("Santo Peeters")."""
    return len(sel) >= 2 and (" ".join(word_key(t.text) for t in sel) in places()
                              or (word_key(sel[0].text) in SAINT_WORDS and bool(sel[-1].flags & F_FIRST)))


def _announces_a_thing(before: str) -> bool:
    """The noun before a name says it is no person: "het project Samen Sterk", and compounds whose
    head names an organisation ("sectororganisatie Agoria", "vervoersmaatschappij De Lijn")."""
    return before in NONPERSON_TRIGGERS or any(before.endswith(h) and len(before) > len(h) + 2
                                               for h in ORGANISATION_HEADS)


def _acronym_plural(word: str) -> bool:
    """"FTF'ers", "NGO's": an acronym with a Dutch ending after an apostrophe."""
    head, _, tail = word.replace("’", "'").partition("'")
    return len(head) >= 2 and head.isupper() and tail.islower()


def _names_a_thing(sel: list[Token], before: str) -> bool:
    """"het project Samen Sterk": a noun in front names a thing. "De Lijn", "De Tafel", "De
    Brug": the article and an ordinary noun name a thing; a surname "De X" would be in the
    surname list."""
    if _announces_a_thing(before):
        return True
    if before == "het" and len(sel) > 1 and (not sel[0].flags & F_FIRST or is_ambiguous(sel[0].flags)):
        return True  # "het Forum van Davos": a neuter article before a name of several words names a thing,
        #              unless a first name opens it ("het Sofie Vermeulen-verhaal")
    return len(sel) == 2 and word_key(sel[0].text) in ("de", "het") and is_common(sel[1].flags) \
        and f"de {word_key(sel[1].text)}" not in name_lists()[2]


def _word_evidence(sel: list[Token], name_toks: list[Token], all_caps: bool,
                   subject: bool) -> tuple[float, str]:
    """Evidence from the chunk's own words: capitals, name lists, particles, ordinary words
    (`subject`: the chunk opens a sentence before a verb). Returns the score and the source
    ("list" when a name list carried the decision)."""
    score, source = 0.0, "rule"
    lead, last = name_toks[0], sel[-1]
    n_name = len(name_toks)
    has_particle = any(t.flags & F_PART for t in sel[:-1]) and len(sel) > 1
    # (1) Capitalised where Dutch would not capitalise an ordinary word: not
    #     first in its sentence, or a second capitalised word after the first.
    if (not sel[0].initial or len(sel) >= 2) and not all_caps:
        score += 1.0
    # (2) First-name list.
    if lead.flags & F_FIRST and not (has_particle and lead is sel[0] and lead.flags & F_PART):
        score += 1.0 if is_ambiguous(lead.flags) else 2.0
        source = "list"
    # (3) Surname list for the last word of a multi-word chunk, or a lone surname.
    if n_name >= 2 or has_particle:
        if last.flags & F_SURN:
            score += 1.0 if is_ambiguous(last.flags) else 2.0
            source = "list"
    elif not lead.flags & F_FIRST and lead.flags & F_SURN:
        score += 1.0 if is_ambiguous(lead.flags) else 1.5
        source = "list"
    # (4) Particle structure: "Van der Veken", "El Idrissi", "De Bruyne".
    if has_particle:
        score += 1.0
    # (5) Ordinary words inside the chunk point to an organisation or project
    #     name ("Sociaal Huis", "Team Diversiteit", "Brown Eyes Blue Eyes"),
    #     except right after a particle ("De Vos", "Van Hoof").
    #     Dutch surnames are often ordinary words ("Bakker", "Buurman",
    #     "De Smet"), so after a listed first name the penalty is small.
    after_first = sel[0].flags & F_FIRST and not is_common(sel[0].flags)
    for idx, t in enumerate(sel):
        if t.flags & F_PART and idx < len(sel) - 1:
            continue
        if is_common(t.flags):
            after_particle = idx > 0 and sel[idx - 1].flags & F_PART
            score -= 0.5 if idx > 0 and after_first else (1.0 if after_particle else 2.0)
    # (6) Two or more name-like words, none of them ordinary words; not a listed surname before a frequent
    #     English word that no list holds ("Black Friday"): a person's name puts the first name first, and a
    #     surname first has its first name after it ("Peeters Jan"), or a surname ("Johnston Busingye").
    end = name_toks[-1]
    surname_first = lead.flags & F_SURN and not lead.flags & F_FIRST and not is_name(end.flags) \
        and frequent_in_english(end.text.lower())
    if n_name >= 2 and not any(is_common(t.flags) for t in name_toks) and not surname_first:
        score += 1.0
    # (7) A capitalised word no lexicon knows is more likely a name than
    #     anything else (places, organisations and compounds were vetoed);
    #     but in reports and parliamentary text most such words are
    #     organisations ("Infrabel", "Fevia"), so alone it is weak evidence.
    if n_name == 1 and not lead.flags & (F_NL | F_EN | F_FIRST | F_SURN):
        score += 1.0 if subject else 0.5
    return score, source


def _context_before(toks: list[Token], a: int, before: str, title: bool) -> float:
    """(8) A title, a preposition or an article before the chunk."""
    score = 3.0 if title else 0.0
    if before in PERSON_PREPS:
        score += 0.5
    if before in PLACE_PREPS:
        score -= 1.0
    if before in DETERMINERS and a > 0 and not toks[a - 1].cap:
        # Dutch puts no article before a person's name, except the colloquial
        # Flemish "de Sofie" before an unambiguous first name.
        f0 = toks[a].flags
        score -= 0.5 if (f0 & F_FIRST and not is_ambiguous(f0)) else 2.0
    return score


# After "Name," these open a question to that person: "Dries, jij had een voorbeeld?"
_VOCATIVE_NEXT = ("jij", "je", "u", "jullie", "wat", "hoe")


def _context_after(toks: list[Token], b: int, text: str, name_toks: list[Token], object_of_place: bool) -> float:
    """(9) A genitive, a bracket, a vocative comma or the next word after the chunk. After "in",
    "uit", "naar" (`object_of_place`) the chunk is the preposition's object, so the verb after it
    is not its verb ("Mattias uit Rabot kent elk gezin")."""
    score = 0.0
    last, nxt = toks[b], b + 1
    after = text[last.poss_end:last.poss_end + 3]
    if last.poss_end != last.end or (nxt < len(toks) and after[:2] == "s " and
                                      toks[nxt].start == last.end + 2):
        score += 0.5  # genitive "Sofie's", "Ahmeds collega"
    if after[:1] == "(" or after[:2] == " (":
        score += 1.0  # "Sofie Vermeulen (OCMW)"
    if after[:1] == "," and nxt < len(toks) and toks[nxt].text.lower() in _VOCATIVE_NEXT:
        score += 1.5  # vocative
    if nxt < len(toks) and text[last.end:toks[nxt].start].strip() == "" and not object_of_place:
        score += _next_word_evidence(toks, nxt, name_toks)
    return score


def _next_word_evidence(toks: list[Token], i: int, name_toks: list[Token]) -> float:
    """The word toks[i] right after the chunk: a speech verb, a verb, "van <organisation>",
    "uit <place>"."""
    nk = toks[i].text.lower()
    inverted = i + 1 < len(toks) and toks[i + 1].text.lower() in SUBJECT_PRONOUNS
    if inverted and (nk in STRONG_VERBS or nk in WEAK_VERBS):
        return 0.0  # "Achteraf kreeg ik ...": verb then subject, so the chunk is no subject
    if nk in STRONG_VERBS:
        return 1.5
    if nk in WEAK_VERBS:
        # "Goedele werkt als ...": an unknown word as subject is a name;
        # "Hoop is ...": an ordinary word as subject is ordinary Dutch.
        return 0.5 if any(t.flags & F_NLSTRONG for t in name_toks) else 1.0
    if nk == "van" and i + 1 < len(toks):
        n2 = toks[i + 1]
        if n2.upper or n2.text in ("de", "het") or n2.flags & (F_ORG | F_PLACE):
            return 1.0  # "Anouk van het CAW", "Dieter van KDG"
    elif nk == "uit" and i + 1 < len(toks) and toks[i + 1].flags & F_PLACE:
        return 0.5  # "Shirin Ahmadi uit Afghanistan"
    return 0.0


_LABEL_END = re.compile(r"(?:[ \t]*\([^()\n]{1,30}\))?:")


def _line_evidence(sel: list[Token], text: str, line: str | None) -> float:
    """(10) A speaker label ("Nadia: ...") or a name on an attendance line."""
    if line == "label" and sel[0].line_start and _LABEL_END.match(text, sel[-1].end):
        return 2.5  # "Nadia: ...", "Jeroen Bergers (N-VA): ..." (the party in brackets)
    if line == "list" and not _in_brackets(text, sel[0].start):
        return 1.5  # "Aanwezig: Sofie Vermeulen, ..."; "(buurtwerker Ledeberg)" describes her
    return 0.0


def _in_brackets(text: str, pos: int) -> bool:
    """An open bracket stands before `pos` on its line."""
    line = text[text.rfind("\n", 0, pos) + 1:pos]
    return line.rfind("(") > line.rfind(")")


def find_persons(text: str, declared: Iterable[str] = ()) -> list[PersonSpan]:
    """Person-name mentions in ``text``, sorted, non-overlapping, with character
    offsets into ``text``.  ``declared`` are names a manifest lists
    (participants, facilitators); they and their unambiguous parts are always
    found where capitalised.  See the module docstring for the rules."""
    if not text:
        return []
    declared_t = tuple(sorted({" ".join(d.split()) for d in declared if d and d.strip()}))
    toks = tokenize(text)
    for t in toks:
        t.flags = word_flags(t.text)
    mark_genitives(toks, text)
    cands: list[tuple[int, int, str, float]] = []
    if declared_t:
        tok_at = {t.start: i for i, t in enumerate(toks)}
        cands.extend(declared_spans(text, fold_accents(text), tok_at, toks, declared_t))
    line_kinds = {line_of(text, pos): kind for pos, kind in label_lines(text).items()}
    chunks = _chunks(toks, text)
    scored = [_score_chunk(toks, a, b, text, _line_role(text, toks[a].start, line_kinds)) for a, b in chunks]
    scored = _coordinated(scored, chunks, toks, text)
    for s in _document_evidence(chunks, scored, toks, text):
        if s is not None and s.score >= THRESHOLD:
            b = s.b
            # Strip a trailing particle ("Jan De" cut by punctuation).
            while b > s.a and toks[b].flags & F_PART:
                b -= 1
            end = toks[b].poss_end
            if s.a == b and "-" in toks[b].text and s.source == "document":
                end = toks[b].start + toks[b].text.index("-")  # "Wakefield-artikel": the name only
            cands.append((toks[s.a].start, end, s.source, s.score))
    cands.extend(_addressed_surnames(toks, text, cands))
    return _resolve(text, cands)


# Between a form of address and a surname, and inside the surname: spaces and at most one line
# break (a hard-wrapped text file, a transcript's double space); a dot only after an abbreviation
# ("mevr. De Moor"), as "mevrouw. De Lijn" ends a sentence.
_NAME_GAP = re.compile(r"[ \u00a0]*\n?[ \u00a0]*")


def _addressed_surnames(toks: list[Token], text: str, cands: list[tuple[int, int, str, float]]) -> list[tuple]:
    """A form of address, particles and a capitalised word: "mevrouw De Moor", "de heer\nVan
    Quickenborne", "mevrouw de Moor", however spaced. The chunker joins words on one plain space
    and a lower-case particle only after a first name, so it splits or misses these.

    A capitalised particle after an address opens a surname (Dutch writes "mevrouw de Voorzitter"
    for an office); a lower-case one only when the document names the person in full ("Nicole de
    Moor") or the word is no ordinary word. A title or role after the particle is an office."""
    full = {_surname_key(text[s:e]) for s, e, _, _ in cands}
    out = []
    for i, address in enumerate(toks[:-2]):
        gap = text[address.end:toks[i + 1].start]
        if word_key(address.text) in ABBREVIATIONS:
            gap = gap.removeprefix(".")
        if word_key(address.text) not in ADDRESS_FORMS or not _NAME_GAP.fullmatch(gap):
            continue
        k = i + 1
        while k < len(toks) - 1 and word_key(toks[k].text) in PARTICLES and k - i <= 3 \
                and _NAME_GAP.fullmatch(text[toks[k].end:toks[k + 1].start]):
            k += 1
        surname = toks[k]
        if k == i + 1 or not surname.cap or surname.upper or surname.flags & (F_TITLE | F_ROLE | F_STOP) \
                or any(c.isdigit() for c in surname.text):
            continue
        span = (toks[i + 1].start, surname.poss_end)
        if toks[i + 1].cap or _surname_key(text[span[0]:span[1]]) in full or not is_common(surname.flags):
            out.append((*span, "rule", THRESHOLD))
    return out


def _surname_key(name: str) -> str:
    """"Nicole de Moor" -> "de moor", "De  Moor" -> "de moor": the words from the first particle on."""
    words = [word_key(w) for w in name.split()]
    first = next((j for j, w in enumerate(words) if w in PARTICLES), len(words))
    return " ".join(words[first:])


def _chunk_key(toks: list[Token], a: int, b: int) -> str:
    """A chunk's words without a leading article ("De Gendarmerie" and "de Gendarmerie" alike)."""
    words = [word_key(t.text) for t in toks[a:b + 1]]
    while len(words) > 1 and words[0] in ("de", "het"):
        words = words[1:]
    return " ".join(words)


def _document_evidence(chunks: list[tuple[int, int]], scored: list[_Scored | None], toks: list[Token],
                       text: str) -> list[_Scored | None]:
    """What the rest of the document says about a name. A name written with a title, as a speaker
    label or after a listed first name ("de heer Wakefield", "Kris Peeters") is a person wherever
    it recurs alone ("het onderzoek van Wakefield", "het Wakefield-artikel"). A capitalised chunk
    that the document also writes in lower case ("Outreachend" / "outreachend werken"), after an
    article or a noun that names a thing ("dient de Gendarmerie", "het bedrijf Chemours") or as a
    quoted title (‘Elektro Anders’) is no person elsewhere either, unless a title, a label or a
    listed first name says so there."""
    persons = {word_key(toks[s.b].text) for s in scored
               if s is not None and s.sure and s.score >= THRESHOLD and not toks[s.b].flags & F_PART}
    # the first names of full names: one alone opens a sentence too ("Els neemt …" after "Els Vanhove")
    firsts = {word_key(toks[s.a].text) for s in scored
              if s is not None and s.sure and s.score >= THRESHOLD and s.b > s.a and toks[s.a].flags & F_FIRST}
    lower = {word_key(t.text) for t in toks if not t.cap}
    # without a sentence-initial ordinary word in front ("Sectororganisatie Agoria", "In Washington")
    spans = [(s.a, s.b) if s is not None else (_trim_front(toks, a, b, text)[0], b) for (a, b), s in zip(chunks, scored)]
    keys = [_chunk_key(toks, a, b) if a <= b else _chunk_key(toks, b, b) for a, b in spans]
    thing_here = []
    for (a, b), key in zip(spans, keys):
        a = min(a, b)
        before = _word_before(toks, a, text)
        # in "het Wakefield-artikel" the article belongs to "artikel", not to the name
        article = before in DETERMINERS and a > 0 and not toks[a - 1].cap and not _name_compound(toks[b])
        # one word after "in", "uit" …: a place ("de top in Davos"), whatever the document does with it
        # listed with an acronym ("tussen de NMBS en De Lijn"): an organisation, there and elsewhere
        thing_here.append(_announces_a_thing(before) or article or _quoted_title(toks, a, b, text) < 0
                          or _next_to_acronym(toks, a, b, text) < 0
                          or (a == b and (key in lower or before in _WHERE)))
    things = {key for key, thing in zip(keys, thing_here) if thing}
    places = _places_named([(min(a, b), b) for a, b in spans], toks, text)
    if not _names_by_first_name(scored, toks, text, places):
        # an organisation named after "met" or "door", or as the subject of a plain verb ("Selor wil"), is one
        # wherever the text writes it ("Fluxys heeft ...", "bij Selor")
        things |= {key for s, key in zip(scored, keys) if s is not None and s.weak_alone}
    out = list(scored)
    for i, ((a, b), s, key) in enumerate(zip(chunks, scored, keys)):
        if s is not None and s.score >= THRESHOLD and not s.sure and key in things and key not in persons:
            out[i] = replace(s, score=THRESHOLD - 0.5)
        elif s is not None and s.score >= THRESHOLD and s.a == s.b and key in places \
                and not _said_of_a_person(toks, s.a, text):
            out[i] = replace(s, score=THRESHOLD - 0.5, sure=False)
        elif a == b and (s is None or s.score < THRESHOLD) and not thing_here[i]:
            head = word_key(toks[a].text.split("-")[0])
            if head in persons and ("-" not in toks[a].text or _name_compound(toks[a])) and not toks[a].initial:
                out[i] = _Scored(THRESHOLD, a, b, "document", True)
            elif toks[a].initial and word_key(toks[a].text) in firsts:  # never in lower case here (thing_here)
                out[i] = _Scored(THRESHOLD, a, b, "document", True)
    return out


def _names_by_first_name(scored: list[_Scored | None], toks: list[Token], text: str, places: set[str]) -> bool:
    """Whether the text names persons by a listed first name alone ("Karim vertelt", "met Sofie") at
    least as often as with a title ("minister Peeters", "de heer Calomne"). Notes of a conversation do;
    written answers and reports name persons with a title, and there an unknown word that only "met" or
    "door" lifts is an organisation ("samen met Europol", "aangeleverd door Fluxys"). A count, not
    one mention: a long text always has a stray first name ("de storm Dieter")."""
    bare = titled = 0
    for s in scored:
        if s is None or s.score < THRESHOLD:
            continue
        t = toks[s.a]
        if s.a > 0 and toks[s.a - 1].flags & F_TITLE and text[toks[s.a - 1].end:t.start].strip(". ") == "":
            titled += 1
        elif s.a == s.b and t.flags & F_FIRST and not is_ambiguous(t.flags) and word_key(t.text) not in places:
            bare += 1
    return bare >= titled


# Prepositions whose object is a place, never a person: not "bij" ("bij Veerle" is a visit) nor "naar"
# ("stuur het naar Veerle").
_WHERE = frozenset(PLACE_PREPS) - {"bij", "naar"}


def _places_named(chunks: list[tuple[int, int]], toks: list[Token], text: str) -> set[str]:
    """Words that are both a place of the gazetteer and a listed name ("India", "Breda") that the
    document puts once after "in", "uit" ... or lists with a place that is no name ("tussen België en
    India"), and listed names once right after "in" or "uit" ("in Boma (DRC)"): there the place, and so
    wherever the document writes them alone ("de handelspartners van India", "India is een voorloper")."""
    def a_place(i: int) -> bool:
        return 0 <= i < len(toks) and toks[i].cap and bool(toks[i].flags & F_PLACE) and not is_name(toks[i].flags)

    out = set()
    for a, b in chunks:
        if a != b or not is_name(toks[a].flags):
            continue
        before = _word_before(toks, a, text)
        if toks[a].flags & F_PLACE:
            listed = any(a_place(j) and " ".join(text[toks[min(a, j)].poss_end:toks[max(a, j)].start].split()) in
                         ("en", ",", "of") for j in (a - 2, a + 2, a - 1, a + 1))
            if listed or before in _WHERE:
                out.add(word_key(toks[a].text))
        elif before in ("in", "uit") and not _possessor(toks, a):  # nobody is "in Sofie": "de toestand in Boma"
            out.add(word_key(toks[a].text))
    return out


def _possessor(toks: list[Token], a: int) -> bool:
    """"in Karim zijn ogen", "in Sofie's ogen": the word owns what follows, so it is no place."""
    after = toks[a + 1].text.lower() if a + 1 < len(toks) else ""
    return toks[a].poss_end != toks[a].end or after in ("zijn", "haar", "z'n", "d'r")


def _said_of_a_person(toks: list[Token], a: int, text: str) -> bool:
    """A title or form of address before the word, a speech or cognition verb or a speaker's colon
    after it: a person, also when the same word names a place elsewhere ("Veerle zegt", "mevrouw India")."""
    before = toks[a - 1] if a > 0 and text[toks[a - 1].end:toks[a].start].strip(". ") == "" else None
    after = toks[a + 1].text if a + 1 < len(toks) and text[toks[a].poss_end:toks[a + 1].start] == " " else ""
    return bool(before is not None and before.flags & F_TITLE) or after in STRONG_VERBS \
        or text[toks[a].poss_end:toks[a].poss_end + 1] == ":"


def _name_compound(t: Token) -> bool:
    """"Wakefield-artikel": a capitalised word joined by a hyphen to lower-case words."""
    parts = t.text.split("-")
    return len(parts) > 1 and t.cap and all(p[:1].islower() for p in parts[1:])


def _line_role(text: str, pos: int, line_kinds: dict[int, str]) -> str | None:
    """"label" for a chunk on a speaker line, "list" for one after the header of an attendance
    line (the header itself is not a name), else None."""
    start = line_of(text, pos)
    kind = line_kinds.get(start)
    if kind == "list":
        colon = text.find(":", start)
        return "list" if colon != -1 and pos > colon else None
    return kind


def _coordinated(scored: list[_Scored | None], chunks: list[tuple[int, int]], toks: list[Token],
                 text: str) -> list[_Scored | None]:
    """Coordination: "Aziz en Zeynep", "Emilie Le Roi & Khalid Benhaddou", "Kristel,
    Abdelkader en ...": a chunk next to an accepted name gets +1. A word next to a place ("in
    Seefhoek en Stuivenberg", "Evere en Haren") gets -1: a list holds things of one kind. A word
    listed with a name that no preposition made ("collega's Borsus en Bacquelaine") is no
    organisation either (`weak_alone` off)."""
    accepted = [s is not None and s.score >= THRESHOLD for s in scored]
    places = [_a_place(s, a, b, toks, text) for (a, b), s in zip(chunks, scored)]
    bounds = [(s.a, s.b) if s is not None else chunk for chunk, s in zip(chunks, scored)]

    def listed(i: int, j: int) -> bool:
        if not 0 <= j < len(scored):
            return False
        lo, hi = bounds[min(i, j)], bounds[max(i, j)]
        gap = [w for w in text[toks[lo[1]].poss_end:toks[hi[0]].start].split()
               if w.lower().rstrip(".") not in TITLES and w != "de"]  # "X en de heer Y"
        return " ".join(gap) in ("en", "&", ",", "of")

    out = list(scored)
    for i, s in enumerate(scored):
        if s is None:
            continue
        for j in (i - 1, i + 1):
            if not (listed(i, j) and (accepted[j] or places[j])):
                continue
            if _coordinated_place(s, places[j]):
                out[i] = replace(s, score=s.score - 1.0)
                break
            if accepted[j] and not accepted[i]:
                out[i] = replace(s, score=s.score + 1.0)
                break
    for i, s in enumerate(out):
        if s is not None and s.weak_alone and any(
                listed(i, j) and out[j] is not None and out[j].score >= THRESHOLD and not out[j].weak_alone
                for j in (i - 1, i + 1)):
            out[i] = replace(s, weak_alone=False)
    return out


def _a_place(s: _Scored | None, a: int, b: int, toks: list[Token], text: str) -> bool:
    """A chunk that names a place: vetoed for a gazetteer place ("Evere"), or after "in", "uit",
    "naar" ("In Seefhoek")."""
    if s is None:
        return any(t.flags & F_PLACE and not is_name(t.flags) for t in toks[a:b + 1])
    return s.score < THRESHOLD and _word_before(toks, s.a, text) in PLACE_PREPS


def _coordinated_place(s: _Scored, near_place: bool) -> bool:
    """A one-word chunk listed with a place is a place too; "Iran en Ahmadreza Djalali": two
    words are a full name, and a listed first name or a title is sure."""
    return near_place and s.a == s.b and not s.sure


def _resolve(text: str, cands: list[tuple[int, int, str, float]]) -> list[PersonSpan]:
    """Non-overlapping selection: declared matches first, then longer spans."""
    cands.sort(key=lambda c: (c[2] != "declared", -(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, src, _ in cands:
        if e <= s:
            continue
        if any(s < te and ts < e for ts, te, _ in taken):
            # A rule span that strictly contains a declared one extends it
            # ("Sofie Vermeulen" when only "Sofie Peeters" was declared is
            # another person; but "Jan De Smet" around declared "De Smet" is
            # the same mention, so keep the longer one).
            for k, (ts, te, tsrc) in enumerate(taken):
                if tsrc == "declared" and s <= ts and te <= e and (s, e) != (ts, te) \
                        and not any(s < xe and xs < e for xi, (xs, xe, _) in enumerate(taken) if xi != k):
                    taken[k] = (s, e, "declared")
                    break
            continue
        taken.append((s, e, src))
    taken.sort()
    return [PersonSpan(s, e, text[s:e], src) for s, e, src in taken]
