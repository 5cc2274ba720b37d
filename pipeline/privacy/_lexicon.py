"""What the person finder knows about single words: name lists, the place gazetteer, nationality
words, and the lexical flags of a word that combine them.

Every list comes from an installed package or from `_rules`; nothing touches the network. First
names and surnames: Faker (MIT licence) in many locales, plus the curated lists in `_rules`.
Places: Faker's Belgian and Dutch municipalities, provinces and countries, plus `_rules`. Whether a
word is ordinary Dutch or English: simplemma's dictionaries (MIT), and for words simplemma lacks
("diversiteit", "bijstand", "hierbij") wordfreq's Dutch frequencies (MIT; data CC BY-SA); very
frequent French words ("Chambre", "Oui") count as ordinary too, for bilingual Belgian text.
Function words: spaCy's Dutch stop words. Everything is loaded once per process and cached.
"""

from __future__ import annotations

import functools
import importlib

from ..corpus import fold_accents
from ._rules import (
    COMPASS, DEMONYMS, EXTRA_FIRST, EXTRA_PLACES, EXTRA_SURN, NAME_PREFIXES, NATIONALITY_STEMS,
    NONPERSON_SUFFIXES, ORG_WORDS, PARTICLES, PLACE_LINKS, PLURAL_TITLES, ROLE_SUFFIXES, ROLE_WORDS,
    SENTENCE_OPENERS, TITLES,
)

__all__ = [
    "word_key", "word_flags", "name_lists", "places", "is_place", "is_name", "is_common", "is_ambiguous",
    "F_FIRST", "F_SURN", "F_NL", "F_EN", "F_PLACE", "F_ORG", "F_NAT", "F_ROLE", "F_TITLE", "F_PART",
    "F_NONPERS", "F_NLSTRONG", "F_STOP", "frequent_in_french", "foreign_word",
    "frequent_in_english",
]


@functools.lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """Lookup key for the lists: folded and lower-cased ("Yılmaz" -> "yilmaz")."""
    return fold_accents(word).lower()


_ORG_KEYS = frozenset(word_key(w) for w in ORG_WORDS)

_FAKER_PERSON_LOCALES = (
    "nl_BE", "nl_NL", "fr_BE", "fr_FR", "fr_CH", "fr_DZ", "de_DE", "en_US", "en_GB", "en_IE",
    "tr_TR", "az_AZ", "pl_PL", "cs_CZ", "sk_SK", "hr_HR", "sl_SI", "ro_RO", "hu_HU", "it_IT",
    "es_ES", "pt_PT", "pt_BR", "sw", "tw_GH", "yo_NG", "ig_NG", "ha_NG", "en_NG", "zu_ZA",
    "en_KE", "uz_UZ", "en_PK", "en_IN", "id_ID", "vi_VN",
)  # Nordic and Baltic locales left out: few such names here, many short words ("Dag", "Bo")


def _latin_name(s: str) -> bool:
    s = s.strip()
    return bool(s) and all(ch.isalpha() and ord(ch) < 0x0250 or ch in " -'" for ch in s)


@functools.lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first-name keys, surname keys, multi-word surname keys) from Faker + curated lists."""
    first: set[str] = set()
    surn: set[str] = set()
    multi: set[str] = set()

    def add_surname(name: str) -> None:
        name = name.strip()
        if not _latin_name(name) or len(name) < 2:
            return
        toks = name.split()
        if len(toks) > 3:  # Faker's nl_NL list holds some historical epithets
            return
        k = word_key(name)
        if len(toks) == 1:
            surn.add(k)
        else:
            # "De Smet" is not written "Smet": the particle belongs to the name,
            # so only the whole form is listed.  Non-particle multi-word names
            # ("Fatima Zahra") are rare in these lists and skipped likewise.
            multi.add(k)

    for loc in _FAKER_PERSON_LOCALES:
        try:
            prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            vals = getattr(prov, attr, None) or ()
            for v in vals:
                if _latin_name(v) and " " not in v.strip() and len(v.strip()) > 1:
                    first.add(word_key(v.strip()))
        for v in getattr(prov, "last_names", None) or ():
            add_surname(v)
    first.update(word_key(n) for n in EXTRA_FIRST)
    for s in EXTRA_SURN:
        add_surname(s)
    # Single letters and particles are never names on their own.
    for bad in list(PARTICLES) + ["de", "van", "der", "den"]:
        first.discard(bad)
        surn.discard(bad)
    return frozenset(first), frozenset(surn), frozenset(multi)


@functools.lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Keys of municipalities, provinces, countries and districts (the gazetteer)."""
    found: set[str] = set()
    for loc in ("nl_BE", "nl_NL"):
        try:
            prov = importlib.import_module(f"faker.providers.address.{loc}").Provider
        except ImportError:
            continue
        for attr in ("cities", "provinces", "countries"):
            for v in getattr(prov, attr, None) or ():
                k = word_key(v)
                found.add(k)
                # "Beveren-Waas", "Heist-op-den-Berg" are usually written
                # "Beveren", "Heist": the first part is a place too.
                head = k.split("-")[0]
                if "-" in k and len(head) >= 4 and head not in ("sint", "sinte", "onze", "lieve"):
                    found.add(head)
    found.update(_french_countries())
    found.update(word_key(p) for p in EXTRA_PLACES)
    return frozenset(found)


def _french_countries() -> set[str]:
    """Countries by their French names ("en Belgique", "aux Pays-Bas"): Belgian transcripts quote French,
    and Faker has no Belgian French addresses, so France's list. A name that is also a listed first name
    or surname ("Dominique", "Maurice") is left out: in Belgian text it is far more often the person."""
    try:
        prov = importlib.import_module("faker.providers.address.fr_FR").Provider
    except ImportError:
        return set()
    first, surn, _ = name_lists()
    keys = (word_key(v) for v in getattr(prov, "countries", None) or ())
    return {k for k in keys if k not in first and k not in surn}


def is_place(name: str) -> bool:
    """A municipality, district, province or country in the gazetteer (one to three words, the
    words between them Dutch link words such as "de", "van")."""
    words = name.split()
    return word_key(name) in places() or (
        len(words) <= 3 and all(word_key(w) in places() or w.lower() in PLACE_LINKS for w in words))


@functools.lru_cache(maxsize=1)
def _nationality_words() -> frozenset[str]:
    out: set[str] = set()
    for s in NATIONALITY_STEMS:
        k = word_key(s)
        out.update({k, k + "e", k + "en"})
        if k.endswith("s"):
            out.add(k[:-1] + "ze")  # Portugees -> Portugese is spelled -ese
        if k.endswith("ees"):
            out.add(k[:-3] + "ese")
    out.update(word_key(d) for d in DEMONYMS)
    return frozenset(out)


def _plural_candidates(w: str) -> list[str]:
    """Plural / inflected forms a Dutch noun or verb stem would have."""
    c = [w + "en", w + "s"]
    v = "aeiou"
    if len(w) >= 3 and w[-1] not in v and w[-2] in v and w[-3] not in v:
        c.append(w + w[-1] + "en")  # storm? no; vos -> vossen, smet -> smetten
    if len(w) >= 4 and w[-2] == w[-3] and w[-2] in "aeou":
        last = {"s": "z", "f": "v"}.get(w[-1], w[-1])
        c.append(w[:-2] + last + "en")  # roos -> rozen, hoop -> hopen
    if w.endswith("s"):
        c.append(w[:-1] + "zen")  # els -> elzen
    if w.endswith("f"):
        c.append(w[:-1] + "ven")  # wolf -> wolven
    return c


@functools.lru_cache(maxsize=None)
def _lemma_info(word_lower: str) -> tuple[bool, bool, bool]:
    """(ordinary Dutch word, *clearly* ordinary Dutch word, ordinary English word).

    From simplemma's dictionaries.  A word whose Dutch lemma is capitalised
    ("jan" -> "Jan") is a proper noun there, so not an ordinary word.  The
    dictionary also lists many names as plain words ("luna", "koen"); a word
    counts as *clearly* ordinary only when it inflects like one: it is itself
    an inflected form ("hoop" of "hopen") or its plural is listed with it as
    lemma ("roos" -> "rozen", "storm" -> "stormen").
    """
    import simplemma

    nl = strong = False
    if simplemma.is_known(word_lower, lang="nl"):
        lemma = simplemma.lemmatize(word_lower, lang="nl")
        nl = not lemma[:1].isupper()
        if nl:
            strong = lemma != word_lower or any(
                simplemma.is_known(f, lang="nl") and simplemma.lemmatize(f, lang="nl") == word_lower
                for f in _plural_candidates(word_lower))
    elif len(word_lower) >= 9:
        nl = strong = _is_compound(word_lower)
    if not nl:
        nl = _nominalised(word_lower)  # not "strong": a listed name stays unambiguous ("Christine")
    if not nl and len(word_lower) >= 5 and _zipf(word_lower, "nl") >= COMMON_ZIPF_NL:
        nl = True  # frequent in Dutch, though not in simplemma's dictionary (short words: abbreviations)
    en = False
    if len(word_lower) > 2 and simplemma.is_known(word_lower, lang="en"):
        lemma = simplemma.lemmatize(word_lower, lang="en")
        en = not lemma[:1].isupper()
    # Belgian parliamentary text mixes in French: its most frequent words are ordinary words too.
    en = en or frequent_in_french(word_lower)
    return nl, strong, en


def _nominalised(w: str) -> bool:
    """"betrokkene", "laatstgenoemden", "gedetineerden", "franstaligen": an adjective or participle
    used as a noun (the ending -e, -en or -n) that no dictionary lists as such, while it lists the
    adjective or participle itself ("betrokken", "laatstgenoemd"). Such a word opens sentences of
    written answers ("Betrokkene is overleden"); a surname is rarely a word plus -e. Stems of six
    letters and more only: short stems give too many accidents ("Lange", "Brande")."""
    import simplemma

    for ending in ("en", "e", "n"):
        stem = w[:-len(ending)]
        if w.endswith(ending) and len(stem) >= 6 and simplemma.is_known(stem, lang="nl") \
                and not simplemma.lemmatize(stem, lang="nl")[:1].isupper():
            return True
    return False


# Zipf frequency (wordfreq) from which an unlisted word counts as ordinary: 3.5 is about once in
# 300,000 Dutch words ("nochtans", "nabijheid"); surnames that are no Dutch word stay below it
# ("Peeters" 3.8 is a listed name, so it is never judged by frequency). French needs more (5.0:
# "chambre", "ordre", but not the surnames "Chanson" 4.9 or "Michel").
COMMON_ZIPF_NL, COMMON_ZIPF_FR = 3.5, 5.0
# Both parts of a compound that no dictionary lists must be this frequent ("deel|fabriek").
COMPOUND_PART_ZIPF = 4.0


@functools.lru_cache(maxsize=None)
def _zipf(word_lower: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word_lower, lang)


def foreign_word(word_lower: str) -> bool:
    """A frequent French or German word that is no frequent Dutch one ("selon", "sont", "und", "haben";
    not "in", "die", "de"): a few of them around a phrase say it stands in a French or German sentence."""
    return len(word_lower) > 2 and max(_zipf(word_lower, "fr"), _zipf(word_lower, "de")) >= COMPOUND_PART_ZIPF \
        and _zipf(word_lower, "nl") < 3.0


def frequent_in_english(word_lower: str) -> bool:
    """About once in 10,000 English words or more ("friday", "match"; not "reuters"): wordfreq folds case,
    so a frequent surname counts too, which is why the finder asks it only of a word no name list holds."""
    return _zipf(word_lower, "en") >= COMPOUND_PART_ZIPF


def frequent_in_french(word_lower: str) -> bool:
    """One of French's most frequent words ("mais", "dans", "plus"): Belgian parliamentary text mixes
    in French, and there such a word is that word, never a name."""
    return len(word_lower) > 2 and _zipf(word_lower, "fr") >= COMMON_ZIPF_FR



def _is_compound(w: str) -> bool:
    """"samenlevingsopbouw", "welzijnsschakels", "frontlijnwerker": a Dutch
    compound of two dictionary words (with an optional linking s or e).
    Flemish surnames built on particles ("Vandenberghe", "Verhoeven") are
    excluded by their prefix."""
    import simplemma

    if w.startswith(NAME_PREFIXES):
        # "Vandenberghe" no, but "deel|fabriek": two frequent Dutch words (wordfreq)
        return any(_zipf(w[:i], "nl") >= COMPOUND_PART_ZIPF and _zipf(w[i:], "nl") >= COMPOUND_PART_ZIPF
                   for i in range(4, len(w) - 3))
    for i in range(4, len(w) - 3):
        head = w[i:]
        if len(head) < 4 or not simplemma.is_known(head, lang="nl"):
            continue
        mod = w[:i]
        # linking elements: "welzijn-s-schakels", "kind-er-armoede", "zon-ne-bloem"
        for m in (mod, mod[:-1] if mod.endswith(("s", "e")) else None,
                  mod[:-2] if mod.endswith(("er", "en")) else None):
            if m and len(m) >= 4 and simplemma.is_known(m, lang="nl") \
                    and not simplemma.lemmatize(m, lang="nl")[:1].isupper():
                return True
    # simplemma lacks many base words ("armoede|bestrijding"): two frequent Dutch words (wordfreq)
    return any(_zipf(m, "nl") >= COMPOUND_PART_ZIPF and _zipf(w[i:], "nl") >= COMPOUND_PART_ZIPF
               for i in range(4, len(w) - 3)
               for m in (w[:i], w[:i - 1] if w[i - 1] == "s" else None) if m and len(m) >= 4)


# The lexical flags of a word, bits of `word_flags`.
F_FIRST, F_SURN, F_NL, F_EN, F_PLACE, F_ORG, F_NAT, F_ROLE, F_TITLE, F_PART, F_NONPERS, \
    F_NLSTRONG, F_STOP = (1 << i for i in range(13))


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Dutch function words (spaCy's list plus interjections and adverbs that
    open sentences in notes).  First in a sentence they are never a name, even
    when a name list holds them ("Dan", "Om", "Over")."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(word_key(w) for w in list(STOP_WORDS) + SENTENCE_OPENERS)


@functools.lru_cache(maxsize=200_000)
def word_flags(word: str) -> int:
    """Lexical flags of one word (case-insensitive, diacritic-insensitive)."""
    first, surn, _ = name_lists()
    k = word_key(word)
    f = 0
    if k in first:
        f |= F_FIRST
    if k in surn:
        f |= F_SURN
    if "-" in k:
        parts = [p for p in k.split("-") if p]
        if parts and all(p in first for p in parts):
            f |= F_FIRST  # "Anne-Marie", "Jean-Pierre"
        elif len(parts) == 2 and all(p in surn or p in first for p in parts):
            f |= F_SURN  # double surname "Van Damme-Peeters" style
        if any(p in ("sint", "sinte", "onze", "lieve", "vrouw") or p in COMPASS for p in parts):
            f |= F_PLACE
        if any(p in places() for p in parts) and not f & (F_FIRST | F_SURN):
            f |= F_PLACE
        if any(p.isalpha() and p.islower() for p in word.split("-")[1:]):
            f |= F_NL  # "Roma-gezinnen", "OCMW-raad": an ordinary compound
        if not word.isupper() and any(len(p) >= 2 and p.isupper() for p in word.split("-")):
            f |= F_ORG  # "OVSE-Secretariaat", "SOS-Kinderdorpen", "Rabelais-CNRS": an acronym names a body
        if not f & (F_FIRST | F_SURN) and parts and parts[-1] in _nationality_words():
            f |= F_NAT  # "Zweeds-Iraanse", "Belgisch-Marokkaans"
        if not f & (F_FIRST | F_SURN) and parts and (parts[0] in TITLES or parts[0] in ROLE_WORDS):
            f |= F_ROLE  # "Inspecteur-generaal", "Directeur-generaal"
    nl, strong, en = _lemma_info(k) if k.isalpha() else (False, False, False)
    low = word.lower()
    if low != k and low.isalpha():
        # the dictionaries hold "mozaïek", not the folded "mozaiek"
        nl, strong, en = (a or b for a, b in zip((nl, strong, en), _lemma_info(low)))
    if nl:
        f |= F_NL
    if strong:
        f |= F_NLSTRONG
    if en:
        f |= F_EN
    if k in places():
        f |= F_PLACE
    if k in _ORG_KEYS:
        f |= F_ORG
    if k in _nationality_words():
        f |= F_NAT
    elif len(k) > 4 and _adjective_of_place(k):
        f |= F_NAT
    elif k.endswith(("talig", "talige")):
        f |= F_NAT  # "Nederlandstalige", "Franstalig", "anderstalige"
    elif k.endswith(("naars", "naren", "lingen", "ianen", "anen")) and len(k) > 7 and not f & (F_FIRST | F_SURN):
        f |= F_NAT  # plural inhabitants: "Genkenaren", "Bruggelingen", "Italianen"
    if k in _stop_words():
        f |= F_STOP
    if k in ROLE_WORDS or (k.endswith(ROLE_SUFFIXES) and not f & (F_FIRST | F_SURN)):
        f |= F_ROLE
    if k.rstrip(".") in TITLES or k in PLURAL_TITLES:
        f |= F_TITLE
    if k in PARTICLES:
        f |= F_PART
    if not f & (F_FIRST | F_SURN) and len(k) > 5 and k.endswith(NONPERSON_SUFFIXES):
        f |= F_NONPERS
    if k.startswith(("sint-", "sinte-", "sint ")):
        f |= F_PLACE
    return f


def _adjective_of_place(k: str) -> bool:
    """"gentse", "brugse", "antwerpse", "leuvense": adjective of a place name."""
    gazetteer = places()
    for suf in ("se", "erse", "er", "ers", "enaar", "enaars", "naar", "naars", "aar", "aars"):
        if k.endswith(suf) and len(k) - len(suf) >= 3:
            stem = k[: -len(suf)]
            for cand in (stem, stem + "e", stem + "en", stem + "ge", stem + "t", stem[:-1] if stem.endswith("s") else stem):
                if cand in gazetteer and len(cand) >= 3:
                    return True
    return False


def is_name(f: int) -> bool:
    """A listed first name or surname."""
    return bool(f & (F_FIRST | F_SURN))


def is_common(f: int) -> bool:
    """An ordinary (Dutch or English) word that is not also a listed name."""
    return bool(f & (F_NL | F_EN)) and not is_name(f)


def is_ambiguous(f: int) -> bool:
    """A listed name that is also a clearly ordinary Dutch word ("Roos", "Hoop", "Mark")."""
    return is_name(f) and bool(f & F_NLSTRONG)

