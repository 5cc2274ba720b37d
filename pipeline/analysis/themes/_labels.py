"""Theme headings: a short Dutch noun phrase taken from the theme's own segments.

Needs: the tokens table (text, lemma, upos from the project's UD tagger; there is no parser, so
no noun chunks) and, per theme, its c-TF-IDF ranking. Adds: `phrases_from_tokens` (the noun
phrases of every segment), `heading` (the label of one theme), and for the top terms
`readings_from_tokens` (how the tagger reads each word in context) and `cut_names` (two-word
pieces of longer names).

An analyst heads a theme with a phrase ("Taal en communicatie", "Brugfiguren"), not with three
ranked lemmas. A heading here is a phrase someone actually said in the theme, chosen because it
holds the theme's most distinctive words:

* Phrases come from part-of-speech patterns within one sentence: ADJ* NOUN, optionally followed
  by a preposition or "en" and a second ADJ* NOUN with an optional determiner ("brugfiguren aan
  de schoolpoort", "tolken en het tolkenbudget"), a preposition's object with the noun coordinated
  to it ("casusoverleg tussen OCMW en CAW"; none when the list goes on), or a list of three nouns
  ("energie, tijd en geld") when each of them is among the theme's ranked terms, at most five words, never
  a word twice, no filler or stop word as noun or adjective. A leading determiner is left off, as
  in a heading. A noun's plural the tagger read as a verb right after an article or a preposition is
  a noun there (`misread_plurals`: "bezorgdheid over het tolken", "werken met tolken").
* Each phrase is scored by the theme's ranking: a word (or pair of neighbouring words) at rank r
  gains 1 / (r + 1), a noun or adjective outside the ranking costs OFF_TOPIC, so a phrase grows
  only with words that belong to the theme; a phrase of several words said in more segments
  gains SUPPORT per doubling. When a noun among the first ANCHOR_RANKS terms is in some phrase
  as its head (not mostly a modifier before another noun: "Europees" of "Europees Parlement"),
  the heading must hold it (the theme's most distinctive thing); a theme whose first terms are
  adjectives or verbs is headed by the best-scoring phrase. A unit ("euro", "miljoen": `units`,
  mostly said after a numeral) measures: it is no anchor and heads alone only when nothing else can. Ties: more segments, fewer words,
  alphabetical: the same input always gives the same heading.
* A one-word heading gives way to a recurring term of several words that the ranking holds as a
  unit among its first TERM_RANKS terms ("sociale dumping" rather than "RSZ", `_recurring_term`)
  when that term scores higher.
* A list of three of the theme's ranked nouns whose nouns (the most said one left out) are said in
  more of its segments than the anchored heading's heads instead ("Energie, tijd en geld" rather than
  "Taalbegrip", said in 2 of 12: `_wider_list`).
* A one-word heading said in fewer of the theme's segments than another of its first nouns takes
  that noun too ("Meerwaarde en religie"): a word that ranks first for its rarity in general Dutch
  names less of the theme than the subject most of its segments share.
* A theme that half its segments or more join by a predicate said outside their noun phrases
  ("... is moeilijk", "... lijkt noodzakelijk"), while its phrase names a third of them or fewer,
  gathers a way of speaking about many subjects: it is headed so ("Moeilijk (uiteenlopende
  onderwerpen)") rather than by the subject of two of its 23 statements.
* Without phrases (tagger off, or no phrase holds a ranked term) the heading is composed from the
  two best-ranked single words, "X en Y", in their display forms; still no word twice.
A word keeps a capital it has inside a sentence ("Gent", "OCMW", "Afrikaanse"); other words are
lower case, and the heading starts with a capital.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import pandas as pd

from ...language import lemmatize_tokens

__all__ = ["phrases_from_tokens", "readings_from_tokens", "cut_names", "units", "heading", "MAX_WORDS"]

MAX_WORDS = 5
OFF_TOPIC = 0.25  # the cost of a word the theme's ranking does not hold (rank 3 gains as much)
SUPPORT = 0.1  # the gain per doubling of the segments that say a phrase of several words
ANCHOR_RANKS = 3  # a noun among this many first terms must be in the heading
TERM_RANKS, TERM_SEGMENTS, TERM_SHARE = 10, 3, 0.05  # a recurring distinctive term of several words (_recurring_term)
_NO_TERMS = "(geen kenmerkende woorden)"

# One letter per token, so the patterns are a regular expression: N noun, M proper noun, A
# adjective, D determiner, P preposition, C the conjunction "en", K a comma, x anything else (it
# ends a phrase). Two common nouns in a row are a list or a tagging slip in notes ("functies
# medewerkers"), two proper nouns a name ("Sint Niklaas").
# A preposition's object is taken with the noun it is coordinated with ("casusoverleg tussen OCMW en
# CAW"): cut after the first, the heading would name half of what was said. When the list goes on
# (a comma and a noun, K: "tussen OCMW, CAW en de mutualiteit"; or a second "en"), the phrase stops
# before the preposition.
_CORE = "A{0,2}(?:N|M{1,2})"
_PHRASE = re.compile(rf"{_CORE}(?:PD?{_CORE}(?:CD?{_CORE})?|CD?{_CORE})?")
_LIST_GOES_ON = re.compile(rf"K{_CORE}|CD?{_CORE}")
_CORE_ONLY = re.compile(_CORE)
# A list of three ("energie, tijd en geld", "systemen, protocollen en procedures") names a subject
# as the speakers put it; it heads a theme only when each of its nouns recurs there (is among the
# theme's ranked terms, each said in two of its segments at least): otherwise it is one speaker's
# enumeration, half of it about something else.
_LIST = re.compile(rf"{_CORE}K{_CORE}C{_CORE}")


def _kind(text: str, lemma: str, upos: str, is_alpha: bool, is_stop: bool, filler) -> str:
    if text == ",":
        return "K"
    if not is_alpha:
        return "x"
    if upos == "ADP":
        return "P"
    if upos == "DET":  # "in sommige scholen": a vague determiner ends the phrase
        return "x" if lemma in _VAGUE or text.lower() in _VAGUE else "D"
    if upos == "CCONJ" and text.lower() == "en":  # "of" would make a heading a question
        return "C"
    if upos in ("NOUN", "PROPN", "ADJ"):
        # filler and stop words ("zaken", "andere", "veel") never stand in a heading
        if is_stop or lemma in filler or text.lower() in filler or len(lemma) < 3 or lemma in _VAGUE:
            return "x"
        return {"NOUN": "N", "PROPN": "M", "ADJ": "A"}[upos]
    return "x"


# Words that only count or point ("verschillende gesprekstafels", "bepaalde groepen", "hoeveel
# asielzoekers", "aantal repatrieringen"): they rank high in any theme of meeting notes or questions
# and say nothing about it. And the shell nouns that stand for whatever a text is about ("deze
# situatie", "die kwestie", "het thema", "een element"; Schmid 2000), and "maal" beside FILLER's
# "keer". General Dutch, not the corpus; shown terms and headings only, the features keep them.
_VAGUE = frozenset("verschillend bepaald belangrijk sommig enkel zelfde diverse divers huidig dergelijk hoeveel "
                   "aantal situatie kwestie element aspect thema maal".split())


# Nouns that, between two prepositions, make a Dutch complex preposition ("ten opzichte van", "in
# verhouding tot", "in het kader van", "op basis van"): there they are glue, not what is talked about.
# A closed class of the grammar, so a short list rather than one learned from (or fitted to) a corpus;
# elsewhere these words stay nouns ("het hogere kader", "een plaats in de klas").
_PREPOSITION_NOUNS = frozenset(
    "aanleiding aanzien basis behoeve betrekking functie gevolge grond hand kader koste oog opzichte "
    "plaats verband verhouding".split())


def _sentences(t: pd.DataFrame) -> pd.Series:
    """For tokens in text order with a 0..n index: a number per sentence (integers compare and
    group several times faster than joined segment and sentence keys)."""
    new = (t["segment_id"] != t["segment_id"].shift(1)) | (t["sent"] != t["sent"].shift(1))
    # nullable string columns (a parse with names kept in clear) compare to <NA> at the first token:
    # it opens a sentence, and plain integers keep every later comparison True or False
    return new.fillna(True).astype(bool).cumsum()


def _neighbours(t: pd.DataFrame):
    """For tokens with a 0..n index: step -> the part of speech `step` tokens away in the same
    sentence ("" at a sentence's edge; a negative step looks ahead)."""
    sentence = _sentences(t)
    return lambda step: t["upos"].shift(step).where(sentence.shift(step) == sentence, "")


def in_complex_preposition(tokens: pd.DataFrame) -> pd.Series:
    """Per token: one of those nouns right after a preposition (and at most one determiner) and right
    before a preposition, in the same sentence; or right after a preposition when that noun stands
    so framed in most of its uses in these notes ("niet in verhouding zijn tot"); any word right
    after "ten" or "ter"."""
    t = tokens.reset_index(drop=True)
    around = _neighbours(t)
    before, two_before, after = around(1), around(2), around(-1)
    word = t["text"].str.lower()
    listed = word.isin(_PREPOSITION_NOUNS) | t["lemma"].str.lower().isin(_PREPOSITION_NOUNS)
    opened = (before == "ADP") | ((before == "DET") & (two_before == "ADP"))
    framed = listed & opened & (after == "ADP")
    mostly = framed.groupby(word).transform("mean") >= 0.5
    # "ten" and "ter" (te + the old dative article) survive only in fixed expressions: the noun after
    # one is glue whatever it is ("ten laste van", "ter attentie van", "ter plaatse")
    sentence = _sentences(t)
    fused = word.shift(1).isin(("ten", "ter")) & (sentence.shift(1) == sentence)
    return pd.Series((framed | (listed & opened & mostly) | fused).to_numpy(), index=tokens.index)


def predicative(tokens: pd.DataFrame) -> pd.Series:
    """Per token: a "noun" whose lemma stands right after an adverb in at least two thirds of its
    (three or more) uses in these notes ("is niet evident", "niet altijd even evident"): Dutch puts
    adjectives there, not nouns ("niet geld" is no Dutch), so the tagger misread a predicate."""
    t = tokens.reset_index(drop=True)
    after_adverb = _neighbours(t)(1) == "ADV"
    nouns = t["upos"] == "NOUN"
    lemma = t["lemma"].str.lower()
    uses = after_adverb[nouns].groupby(lemma[nouns]).agg(["size", "mean"])
    misread = set(uses.index[(uses["size"] >= 3) & (uses["mean"] >= 2 / 3)])
    return pd.Series((nouns & lemma.isin(misread)).to_numpy(), index=tokens.index)


# Articles, and the R-pronouns an adposition splits from ("er voor zorgen", "daar mee omgaan": there the
# adposition belongs to the verb after it). Closed classes of the grammar.
_ARTICLES = frozenset("de het een".split())
_R_PRONOUNS = frozenset("er daar hier waar".split())


def misread_plurals(tokens: pd.DataFrame) -> pd.Series:
    """Per token: the noun lemma of a "verb" that is a noun's plural, or "". The tagger reads a plural
    as the infinitive of the same form ("tolken", "dynamieken", "weerstanden") even where Dutch puts only
    a noun: right after an article or a preposition other than the infinitive's "te", in the same
    sentence ("het tolken budget", "werken met tolken"). Such a "verb" whose form the lemmatizer, asked
    for a noun, takes to another lemma ("tolk") is that plural. A nominalised infinitive ("het opsporen
    van drempels", "het functioneren") keeps its verb reading: it says what is done, not about what."""
    t = tokens.reset_index(drop=True)
    sentence = _sentences(t)
    same = sentence.shift(1) == sentence
    word, before = t["text"].str.lower(), t["text"].str.lower().shift(1).fillna("")
    infinitive = (t["upos"] == "VERB") & (word == t["lemma"].str.lower()) & word.str.endswith("en")
    article = (t["upos"].shift(1) == "DET") & before.isin(_ARTICLES)
    preposition = (t["upos"].shift(1) == "ADP") & (before != "te") & ~word.shift(2).isin(_R_PRONOUNS)
    placed = (infinitive & same & (article | preposition)).to_numpy()
    lemmas = pd.Series("", index=tokens.index, dtype=object)
    if placed.any():
        forms = word[placed].tolist()
        noun = lemmatize_tokens(forms, ["NOUN"] * len(forms))
        lemmas.iloc[placed.nonzero()[0]] = [n if n != f else "" for n, f in zip(noun, forms)]
    return lemmas


# Possessive pronouns: like an article, one before a word confirms the tagger's noun reading ("hun
# rechten"). A closed class of the grammar; the tagger tags them PRON like "ze" and "men".
_POSSESSIVES = frozenset("mijn jouw zijn haar ons onze hun uw".split())


# Personal pronouns that are only ever a subject: a "noun" right before or after one is the finite
# verb ("ik verwijs naar", "in dit verband verwijs ik naar", "wens ik te benadrukken"); the tagger
# reads the first-person stem of many verbs as a noun. A closed class of the grammar.
_NOMINATIVE = frozenset("ik jij hij wij we zij".split())


def beside_a_subject(tokens: pd.DataFrame) -> pd.Series:
    """Per token (0..n index): right before or after a nominative pronoun in the same sentence."""
    sentence = _sentences(tokens)
    word = tokens["text"].str.lower()
    return ((word.shift(1).isin(_NOMINATIVE) & (sentence.shift(1) == sentence))
            | (word.shift(-1).isin(_NOMINATIVE) & (sentence.shift(-1) == sentence)))


def readings_from_tokens(tokens: pd.DataFrame) -> dict[str, tuple[int, int, int, int]]:
    """Per word (a lemma, or a form when the lemma differs: "weerspiegelt"): how the tagger reads its
    tokens, (tokens, read as a noun, read as a noun where a noun stands: first in its sentence (a
    title, a subject), or after an article, numeral, possessive or preposition, with adjectives
    between or not: "het cijfermatige meten", "van meten"; "te" is the infinitive's, not a
    preposition, read as a noun right after a numeral or after a numeral and a noun: "16 miljard
    euro"). A noun reading beside a subject pronoun is the verb's (`beside_a_subject`).
    Empty without tags."""
    if tokens.empty or not (tokens["upos"] != "").any():
        return {}
    t = tokens.reset_index(drop=True)
    sentence = _sentences(t)
    same = sentence.shift(1) == sentence
    # the last word before each token that is no adjective, in the same sentence
    before = t["upos"].where(t["upos"] != "ADJ").shift(1).where(same).groupby(sentence).ffill().fillna("")
    word = t["text"].str.lower()
    said = word.where(t["upos"] != "ADJ").shift(1).where(same).groupby(sentence).ffill().fillna("")
    placed = before.isin(("", "DET", "NUM")) | ((before == "ADP") & (said != "te")) | (
        (before == "PRON") & said.isin(_POSSESSIVES))
    noun = (t["upos"].isin(("NOUN", "PROPN")) | (misread_plurals(t) != "")) & ~beside_a_subject(t)
    # a numeral's noun, or the noun after that ("16 miljard euro")
    numbered = (t["upos"].shift(1) == "NUM") & same
    counted = numbered | (numbered.shift(1, fill_value=False) & (t["upos"].shift(1) == "NOUN") & same)
    counts = pd.DataFrame({"n": 1, "noun": noun, "placed": noun & placed, "counted": noun & counted}).astype(int)
    lemma = t["lemma"].str.lower()
    keyed = pd.concat([counts.assign(key=lemma), counts[word != lemma].assign(key=word[word != lemma])])
    summed = keyed.groupby("key").sum()
    return {key: tuple(int(v) for v in row) for key, row in zip(summed.index, summed.to_numpy())}


# A noun said after a numeral in at least half its uses measures ("euro", "procent", "miljoen"):
# it says how much of something, and alone names no subject.
COUNTED = 1 / 2


def units(readings: dict) -> set[str]:
    """The words (`readings_from_tokens`) that mostly follow a numeral: units and amounts."""
    return {word for word, r in readings.items() if len(r) > 3 and r[1] and r[3] >= COUNTED * r[0]}


def cut_names(tokens: pd.DataFrame) -> set[str]:
    """The two-word terms ("a b", lemmas of neighbouring words) that stand, in at least half their
    uses, inside a longer name: a run of three or more capitalised words within a sentence, "&"
    included, its first word not the sentence's ("Stagetraject Open Poort", "Dialoogtafel Geloof &
    Werk"): a piece of a name, which shown alone reads as a different thing."""
    if tokens.empty:
        return set()
    t = tokens.reset_index(drop=True)
    sentence = _sentences(t)
    first = sentence.shift(1) != sentence
    capital = (t["text"].str[:1].str.isupper().fillna(False).astype(bool) & ~first) | (t["text"] == "&")
    run = (capital != capital.shift(1)) | first  # a new run starts at each change and each sentence
    length = capital.groupby(run.cumsum()).transform("sum")
    lemma = t["lemma"].str.lower()
    pair = lemma.shift(1) + " " + lemma
    same = ~first & t["is_alpha"] & t["is_alpha"].shift(1, fill_value=False)
    inside = (capital & capital.shift(1, fill_value=False) & (length >= 3))[same]
    share = inside.groupby(pair[same]).mean()
    return set(share.index[share >= 0.5])


Phrase = tuple[tuple[str, ...], str, str]  # (lemmas, kinds: one letter per word as above, surface text)


def phrases_from_tokens(tokens: pd.DataFrame, filler=frozenset()) -> dict[str, list[Phrase]]:
    """Per segment, its noun phrases, in text order; a phrase is listed once per place it occurs.
    `filler`: lemmas that never stand in a heading. Nothing when the tokens have no POS tags."""
    out: dict[str, list[Phrase]] = {}
    if tokens.empty or not (tokens["upos"] != "").any():
        return out
    sentence: list[tuple] = []
    key = None
    # plain lists: iterating pandas string columns cell by cell is several times slower
    columns = ("segment_id", "sent", "text", "lemma", "upos", "is_alpha", "is_stop")
    glue, adjective = in_complex_preposition(tokens).tolist(), predicative(tokens).tolist()
    plural = misread_plurals(tokens).tolist()
    for *row, is_glue, is_adjective, singular in zip(*(tokens[c].tolist() for c in columns), glue, adjective, plural):
        if is_glue:
            row[4] = "X"  # part of a preposition: it ends a phrase
        elif is_adjective:
            row[4] = "ADJ"
        elif singular and singular not in filler:  # the plural of a filler noun ("manieren") stays out
            row[4] = "NOUN"
        if (row[0], row[1]) != key:
            _sentence_phrases(sentence, out, filler)
            sentence, key = [], (row[0], row[1])
        sentence.append(tuple(row))
    _sentence_phrases(sentence, out, filler)
    return out


# Personal pronouns: a "noun" right after one is a verb the tagger missed ("we werken met ..."); so
# is one right before a pronoun that is only ever a subject ("verwijs ik naar", _NOMINATIVE).
_SUBJECTS = frozenset("ik je jij hij zij ze we wij u jullie".split())


def _sentence_phrases(sentence: list[tuple], out: dict, filler) -> None:
    if not sentence:
        return
    found = out.setdefault(sentence[0][0], [])
    lower = [row[2].lower() for row in sentence] + [""]
    kinds = "".join("x" if (i and lower[i - 1] in _SUBJECTS) or lower[i + 1] in _NOMINATIVE
                    else _kind(text, lemma.lower(), upos, alpha, stop, filler)
                    for i, (_, _, text, lemma, upos, alpha, stop) in enumerate(sentence))
    for start in (i for i, k in enumerate(kinds) if k in "ANM"):  # a phrase starts with its noun or adjective
        # the longest phrase from here and its first part alone ("brugfiguren" of "brugfiguren aan
        # de schoolpoort"); later starts give the phrase without its leading adjectives
        ends = {m.end() for m in (_PHRASE.match(kinds, start), _CORE_ONLY.match(kinds, start),
                                  _LIST.match(kinds, start)) if m}
        for end in sorted(ends):
            words = sentence[start:end]
            if end - start > MAX_WORDS or kinds[end - 1] not in "NM" or (
                    "P" in kinds[start:end] and _LIST_GOES_ON.match(kinds, end)):
                continue
            if "K" in kinds[start:end] and (kinds[start - 1:start] == "K" or kinds[end:end + 1] in ("K", "C")):
                continue  # the tail or head of a longer list
            lemmas = tuple(w[3].lower() for w in words)
            # a capital inside a sentence was written on purpose ("Gent", "OCMW", "Afrikaanse");
            # a sentence's first word is lower-cased
            surface = tuple(w[2] if w[2][:1].isupper() and i + start > 0 else w[2].lower()
                            for i, w in enumerate(words))
            # never a word twice ("de ... van de ...", "tolk en tolken")
            if len(set(lemmas)) < len(lemmas) or len({s.lower() for s in surface}) < len(surface):
                continue
            found.append((lemmas, kinds[start:end], " ".join(surface).replace(" , ", ", ")))


# A heading that names a third of the theme's segments or fewer, where a predicate is said in half of
# them at least, names a minority of a theme that gathers a way of speaking (`heading`, `shared`).
NAMED_FEW, SAID_BY_MOST, SAID_MIN = 1 / 3, 1 / 2, 3
MIXED_SUBJECTS = "uiteenlopende onderwerpen"


def heading(ranked: list[str], phrases: list[list[Phrase]], display: dict[str, str],
            weak: frozenset | set = frozenset(), shared: tuple[str, int] | None = None) -> str:
    """The heading of one theme: `ranked` its c-TF-IDF terms (lemmas and "a b" lemma pairs, best
    first), `phrases` the noun phrases of each of its segments (`phrases_from_tokens`). `weak`:
    nouns that measure rather than name (`units`): no anchor, and no heading alone when a phrase
    with another of the theme's words can head it. `shared`: a predicate (a word said outside the
    noun phrases: "is moeilijk", "is noodzakelijk") and the number of the theme's segments that say
    it. When that is half of them or more and the phrase chosen names a third or fewer, the theme
    gathers statements that call many things difficult or necessary, each about something else: the
    heading says so ("Moeilijk (uiteenlopende onderwerpen)") rather than name two of 23 statements."""
    text, lemmas = _heading(ranked, phrases, display, weak)
    if shared is None or not lemmas or shared[1] < max(SAID_MIN, SAID_BY_MOST * len(phrases)):
        return text
    if {shared[0], display.get(shared[0], shared[0]).lower()} & set(text.lower().split()):  # "Maatschappelijk werkers"
        return text
    named = sum(bool(lemmas & {w for p in segment for w in p[0]}) for segment in phrases)
    if named > NAMED_FEW * len(phrases):
        return text
    # the lemma, an adjective's base form ("moeilijk", not the "moeilijke" said most)
    return _capitalised(f"{shared[0]} ({MIXED_SUBJECTS})")


def _heading(ranked: list[str], phrases: list[list[Phrase]], display: dict[str, str],
             weak: frozenset | set) -> tuple[str, set[str]]:
    """`heading` before the predicate test: the heading and the lemmas of its phrase (none when
    composed from single words)."""
    rank = {term: i for i, term in enumerate(ranked)}
    support: Counter = Counter()  # lemmas -> number of segments that say the phrase
    forms: dict[tuple[str, ...], Counter] = {}
    kinds: dict[tuple[str, ...], str] = {}
    for segment in phrases:
        for lemmas, kind, surface in segment:
            forms.setdefault(lemmas, Counter())[surface] += 1
            kinds.setdefault(lemmas, kind)
        support.update({lemmas for lemmas, _, _ in segment})
    candidates = [c for c in support if any(w in rank for w in c) and (
        "K" not in kinds[c] or all(w in rank for w, k in zip(c, kinds[c]) if k in "NM"))]
    measured = {t for t in ranked if all(w in weak for w in t.split())}  # "euro", "miljoen euro"
    if not candidates:
        return _composed([t for t in ranked if t not in measured] or ranked, display), set()
    # "euro" alone heads a theme of budgets only when nothing else can
    candidates = [c for c in candidates if len(c) > 1 or c[0] not in weak] or candidates
    # the anchor: a noun among the theme's first ANCHOR_RANKS terms (units left aside) that some
    # phrase holds as its head; a theme whose first terms are all adjectives or verbs has none, and
    # coverage alone decides
    first = [t for t in ranked[:ANCHOR_RANKS] if t not in measured]
    heads = _heads(phrases)
    nouns = [w for c in candidates for w, k in zip(c, kinds[c]) if k in "NM" and w in first and w in heads]
    anchor = min(nouns, key=lambda w: (rank[w], w), default=None)
    best = min((c for c in candidates if anchor is None or anchor in c),
               key=lambda c: (-round(_score(c, kinds[c], rank, support[c]), 6), -support[c], len(c),
                              _surface(forms[c])))
    listed = _wider_list(candidates, kinds, best, phrases)
    if listed is not None:
        return _capitalised(_surface(forms[listed])), _nouns(listed, kinds)
    if len(best) == 1:
        term = _recurring_term(candidates, kinds, rank, support, len(phrases))
        if term is not None and _score(term, kinds[term], rank, support[term]) > _score(best, kinds[best], rank, support[best]):
            return _capitalised(_surface(forms[term])), _nouns(term, kinds)
    words, held = _surface(forms[best]), _nouns(best, kinds)
    # one word, said in fewer of the theme's segments than another of its first nouns: that noun
    # joins it, as the theme is about both ("Meerwaarde en religie" rather than "Meerwaarde")
    said = Counter(w for segment in phrases for w in {w for lemmas, _, _ in segment for w in lemmas})
    wider = [w for w in nouns if w not in best and said[w] > said[best[0]]]
    if len(best) == 1 and wider:
        other = min(wider, key=lambda w: (-said[w], rank[w], w))
        words += " en " + (_surface(forms[(other,)]) if (other,) in forms else display.get(other, other))
        held.add(other)
    return _capitalised(words), held


def _wider_list(candidates: list[tuple[str, ...]], kinds: dict, best: tuple[str, ...],
                phrases: list[list[Phrase]]) -> tuple[str, ...] | None:
    """A list of three of the theme's ranked nouns ("energie, tijd en geld") whose nouns, the most said
    one left out, are said in more of its segments than the nouns of `best`, the anchored heading: the
    theme's rarest word ("taalbegrip", in 2 of 12) names less of it than what its segments list
    together. The most said noun is left out as a list with one word the whole theme says ("scholen,
    gemeenschapscentra en welzijnsvoorzieningen") covers it through that word, not as a list."""
    words = [{w for lemmas, _, _ in segment for w in lemmas} for segment in phrases]

    def covered(nouns: set[str]) -> int:
        return sum(bool(nouns & said) for said in words)

    def without_widest(c: tuple[str, ...]) -> int:
        listed = _nouns(c, kinds)
        return covered(listed - {max(sorted(listed), key=lambda w: covered({w}))})

    wider = [c for c in candidates if "K" in kinds[c] and c != best and without_widest(c) > covered(_nouns(best, kinds))]
    return max(wider, key=lambda c: (without_widest(c), -len(c), c), default=None)


def _nouns(lemmas: tuple[str, ...], kinds: dict) -> set[str]:
    return {w for w, k in zip(lemmas, kinds[lemmas]) if k in "NM"}


def _capitalised(words: str) -> str:
    return words[:1].upper() + words[1:]


def _recurring_term(candidates: list[tuple[str, ...]], kinds: dict, rank: dict[str, int], support: Counter,
                    n_segments: int) -> tuple[str, ...] | None:
    """The theme's best phrase of several words that the ranking holds as a unit among its first
    TERM_RANKS terms ("sociaal dumping": the pair itself is distinctive) and that recurs (in
    TERM_SEGMENTS segments and TERM_SHARE of the theme at least): a term the theme's own answers use,
    where its first noun alone is a name or an abbreviation ("RSZ") that only another frequent noun
    would complete ("RSZ en werknemers")."""
    def a_term(c: tuple[str, ...]) -> bool:
        return len(c) > 1 and support[c] >= max(TERM_SEGMENTS, TERM_SHARE * n_segments) and any(
            rank.get(f"{a} {b}", TERM_RANKS) < TERM_RANKS for a, b in zip(c, c[1:]))

    terms = [c for c in candidates if a_term(c)]
    return max(terms, key=lambda c: (round(_score(c, kinds[c], rank, support[c]), 6), support[c], -len(c)),
               default=None)


def _heads(phrases: list[list[Phrase]]) -> set[str]:
    """The words that name a thing in the theme's phrases: a noun or name that is the last of its
    run of nouns ("parlement" of "Europees Parlement") in at least half of its uses. A word the
    tagger reads as part of a name before another ("Europees" of "Europees Parlement", "Europees
    Hof") is that name's modifier: alone, or joined by "en", it names nothing."""
    head, inside = Counter(), Counter()
    for segment in phrases:
        for lemmas, kinds, _ in segment:
            for i, (w, k) in enumerate(zip(lemmas, kinds)):
                if k in "NM":
                    (inside if kinds[i + 1:i + 2] in ("N", "M") else head)[w] += 1
    return {w for w in head if head[w] >= inside[w]}


def _score(lemmas: tuple[str, ...], kinds: str, rank: dict[str, int], support: int) -> float:
    """How much of the theme's ranking a phrase says: 1 / (rank + 1) per word and per pair of
    neighbouring words it holds, minus OFF_TOPIC per noun or adjective the ranking lacks
    (determiners, prepositions and "en" are the phrase's glue and cost nothing), plus SUPPORT
    per doubling of the segments that say a phrase of several words: a combination many said
    heads a theme better than one remark (a single word's frequency is already in its rank)."""
    gain = sum(1 / (rank[w] + 1) for w in lemmas if w in rank)
    gain += sum(1 / (rank[f"{a} {b}"] + 1) for a, b in zip(lemmas, lemmas[1:]) if f"{a} {b}" in rank)
    off = sum(w not in rank and k in "ANM" for w, k in zip(lemmas, kinds))
    return gain - OFF_TOPIC * off + (SUPPORT * math.log2(support) if len(lemmas) > 1 else 0.0)


def _surface(forms: Counter) -> str:
    """The most frequent spelling of a phrase; ties alphabetical."""
    return min(forms.items(), key=lambda item: (-item[1], item[0]))[0]


def _composed(ranked: list[str], display: dict[str, str]) -> str:
    """No phrase holds a ranked term: "X en Y" from the two best single words, no word twice."""
    words: list[str] = []
    for term in ranked:
        shown = display.get(term, term)
        if " " in term or shown in words:
            continue
        words.append(shown)
        if len(words) == 2:
            break
    if not words:
        return _NO_TERMS
    text = " en ".join(words)
    return text[:1].upper() + text[1:]
