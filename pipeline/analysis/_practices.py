"""Practices: an inventory of named practices, projects and initiatives per case, like the blue
boxes of the 2019 report ("Kinderen Eerst, Gent", "Tovertuin, Roeselare").

`find_practices(segments, sentences, assignments)` -> one row per (practice, case): the name,
the case, the theme of its best describing mention, the source file, the segment, the describing
text (the naming sentence, plus the next sentence when that one defines it, "Dat is een …", or
when the naming sentence says nothing but the name, "Graag delen we X."),
how often and where it was mentioned.

How a name is found (no named-entity model; orthography and cue words, all documented here):
  1. NAME: a run of capitalised words, joined by the lower-case linking words of Dutch names
     (de, het, van, op, met, aan, als, in, voor, en, &): "Buurtloket Op de Hoek", "Kamers met
     Kansen", "Tafel van de Vier Huizen", "Dialoogtafel Geloof & Werk", "Woonbuddy's"; English names
     join with "for", "the", "and" ("Fishing for Litter"). Dutch
     writes common nouns in lower case, so a capitalised word inside a sentence is a name; a
     sentence's first word is dropped when it is a function word ("Het Huiswerkpunt Kanaal").
  2. NOT A PRACTICE: cities and places (the known cases, Belgian regions and countries),
     organisations and services (OCMW, CAW, VDAB, Sociaal Huis, …, NOT_PRACTICES), languages
     and nationalities, months and days, titles ("mevrouw De Clercq") and person names
     (pipeline.privacy's person finder and place gazetteer).
  3. PRACTICE EVIDENCE, one of:
       - a practice noun right before the name: "project Blauw op het Plein", "het traject
         Proefdraaien", "netwerk Buurtsleutels" (PRACTICE_NOUNS);
       - a practice noun right after the name, singular, or as its suffix: "het ZORGNET project",
         "het ‘Kookpunt’-traject" (the suffix and the quotes are not part of the name; "de
         NAVO-netwerken" are the networks of an organisation);
       - quotes around a title-like name with a practice noun within a few words, or a name that is
         defined: "de projecten ‘Leesvriendjes’ en ‘Buurtbabbel’", "‘Samen Thuis’ is een campagne";
       - a practice noun as the head (last part) of the name's first word: "Stagetraject Schakeljaar",
         "Oudercafé De Schakel", "Buurtloket Op de Hoek" (NAME_HEADS); a bare head noun ("Tafel van
         de Vier Huizen") or a one-word name ("Rechtenverkenner") only when the sentence says someone
         runs it or the next sentence defines it; one word with neither counts only when the same
         case names it a practice elsewhere ("Een Wijkbrug die …");
       - "de"/"het"/"met"/"via" right before the name, or a name of several words, and a cue that
         someone runs it within a few words (_NEAR: "gestart met de Rechtenverkenner", "hebben we
         de Praatbank opgestart", "Met de X brengt de stad …"), or the next sentence defines it
         ("Dat is een traject …"). A bare time ("sinds dit jaar") is no such cue, and a name after
         "door", "volgens", "bij", "samen met" or in a list with an acronym is an actor, not
         something run;
       - a heading of its own (segments of kind "header", as in reports and project sheets):
         "Name, City" or "Name, een …", or a heading the next paragraph defines ("X is een …") or
         refers back to ("Dit initiatief …"); the row's text is the heading and that paragraph.
  NOT A PRACTICE whatever the evidence: a name whose head noun makes it an organisation, a rule, a
     place or a product (_NAME_KINDS: "FOD Economie", "Europese Commissie", "Schengenverdrag",
     "Koninklijk Paleis"; issue #20: in written answers of ministers these made up most names), or
     right after such a noun ("de vzw ‘X’"), or right before a plural one ("de X verenigingen"), or one
     of the examples of such a kind ("organismen zoals ‘X’"); "een"/"geen" (+ adjective) before it ("een
     geïntegreerde X"); a thing's head with its owner ("Kruispuntbank van Ondernemingen", not "Masterplan
     van de Regie"); a type designation ("F-35", "Airbus A400M"); an acronym with a lower-case noun or a
     cut word ("de MUG-functies", "Benelux-"); a place's part ("Gent-Sint-Pieters"); a part of a plan
     ("het luik ‘Spoor’"); a one-word name whose English title goes on in lower case ("Learning about …").
  4. NOT A PRACTICE either, from how the document uses the name: the owner of practices ("de
     projecten van de VGC", and that name shortened anywhere in the document), a name after
     "in het kader van" (a policy framework or law), a service or fund ("de dienst ‘X’", "het
     X-fonds"), a single name after "op de"/"in het" (a place), "X in <place>" loses the place;
     parties and acronyms with a hyphen or ampersand ("N-VA", "CD&V"), religions and their books,
     single letters ("plan B").
  5. SHARED VOCABULARY: a name that at least 5 cases, and a quarter of all cases, mention, fewer than
     half of them with evidence that it is a practice, is an institution or a domain many speak of (in
     ministers' answers: "Europol", "ICT"), not one case's initiative; a corpus with fewer cases is not
     affected.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict

import pandas as pd

from .. import privacy
from ..cache import frame_hash
from ..config import CENTRE_CITIES
from ..language import lemmatize_tokens
from ..privacy import TITLES, find_persons, is_place
from ..schema import TABLES

__all__ = ["find_practices", "practice_mentions", "PRACTICE_COLUMNS", "NOT_PRACTICES", "PRACTICE_NOUNS",
           "NAME_HEADS", "normalise_name"]

PRACTICE_COLUMNS = list(TABLES["practices"].columns)

# Words that name the kind of practice when they stand right before its name.
PRACTICE_NOUNS = frozenset("""
project proefproject pilootproject initiatief traject programma netwerk werking methodiek aanpak
campagne actie platform overleg tafel punt loket huis café plan fonds dienst
""".split())

# The first word of a name that holds one of these is a practice's own name ("Oudercafé De Schakel").
NAME_HEADS = ("project", "traject", "initiatief", "café", "cafe", "punt", "loket", "tafel", "huis", "kamer",
              "coach", "buddy", "maatje", "ambassadeur", "compas", "kompas", "wacht", "bank", "ontbijt",
              "netwerk", "plan", "school", "atelier", "werkplaats", "spel", "tuin", "winkel", "fabriek",
              "verkenner", "meter", "sleutel", "brug", "poort")

# Cues in the naming sentence that it is about something a city does.
PRACTICE_CUES = re.compile(
    r"\b(gestart|begonnen|opgestart|opgezet|opgericht|ontstaan|uitgerold|organiser\w*|loopt|liep|"
    r"werkt (wel |heel |echt |erg )?goed|werkt wel|hebben we|hebben wij|delen|trots|voorbeeld|initiatie\w*|"
    r"project\w*|traject\w*|sinds vorig jaar|vorig jaar|dit jaar|"
    r"elke (week|maand|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|ochtend)|"
    r"begeleiden|ondersteunen|aanbieden|gelanceerd|lanceer\w*|gefinancierd|uitbreiden|uitgebreid|"
    r"deelnemen|deelgenomen|(?:neemt|nemen|namen) deel|van start)\b", re.I)

# The next sentence defines the name: "Dat is een korte vragenlijst …", "Het zijn bewoners …".
DEFINITION = re.compile(r"^\s*(dat|dit|het|ze|zij|die)\s+(is|zijn|was|waren)\b|^\s*(elke|iedere|op|in|er)\b", re.I)

_FUNCTION_WORDS = frozenset("""
de het een dat dit die deze daarom daar dan ook maar en of want bij in op met voor van naar door uit
aan als wat wie waar hoe ik we wij je jij ze zij hij men u jullie nu ja nee zo er toen sinds
eerlijk wel niet geen alles iets elke iedere onze ons mijn hun haar zijn uw via graag intussen tot
ander andere binnen buiten om zie zoals tijdens na vanaf volgens daarnaast bovendien net
""".split())

_ORDINALS = frozenset("eerste tweede derde vierde vijfde zesde".split())

# English names inside Dutch text join with English links ("Fishing for Litter", "Base Erosion and
# Profit Shifting"); "of" (Dutch "or") and "to" are left out on purpose.
_LINKS = frozenset("de het van op met aan als in voor en & der den 't for the and".split())

# Not practices: places, organisations and services that cities name every day.
NOT_PRACTICES = frozenset(s.lower() for s in """
OCMW|CAW|VDAB|CLB|CGG|NMBS|De Lijn|Kind en Gezin|Sociaal Huis|Huis van het Nederlands|Agentschap Integratie en Inburgering|
Agentschap Inburgering|Atlas|Vlaanderen|Brussel|België|Nederland|Europa|Wallonië|Vlaamse Overheid|Vlaamse Regering|
Stad|Smartschool|Facebook|WhatsApp|Google|Excel|Word|Teams|Zoom|Corona|COVID|OKAN|ASO|TSO|BSO|KSO|NT2|
Nederlands|Frans|Engels|Duits|Arabisch|Turks|Pools|Roemeens|Bulgaars|Russisch|Spaans|Berbers|Tamazight|Somalisch|
Syrisch|Marokkaans|Congolees|Afghaans|Europees|Europese|Belgisch|Vlaams|Brussels|
Ramadan|Suikerfeest|Offerfeest|Kerstmis|Pasen|God|Allah|
januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|
maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|
Facilitator|Moderator|Aanwezig|Datum|Verslag
""".replace("\n", "").split("|"))

# Religions and their books are capitalised but no practice ("de Islam", "de Koran"); kept to the
# major ones because a cue word near them ("project") is common in talk about schools.
_RELIGIONS = frozenset("""islam christendom jodendom boeddhisme hindoeïsme katholicisme protestantisme
koran bijbel thora""".split())

# Only these may stand right before a one-word name: "in", "van", "bij" before a capital mostly
# introduce a place or an owner ("in Borgerhout", "van Ford").
_PREPS_BEFORE = frozenset("de het 't met via".split())

# A capitalised adjective or inhabitants' name ("Brugse", "Afghaanse", "Genkenaren") is no name.
_NOT_A_NAME = re.compile(r"(?:se|sche|ische|ige|talige|naren|naars|lingen|ezen|[nr]aal|ees)$", re.I)
_ORG_TAIL = re.compile(r"(?:dienst|afdeling|departement|agentschap|vzw)$", re.I)


def normalise_name(name: str) -> str:
    """Lower case, accents folded, leading practice nouns and determiners dropped, spaces folded:
    'project Blauw op het Plein' and 'Blauw op het Plein' are one practice."""
    # not corpus.fold_accents: it keeps every character (’ -> ', ø -> o) where this drops what NFKD
    # leaves non-ASCII ("Oudercafé’s" -> "oudercafes"), so keys, and which mentions are one practice, would change
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[\w&']+", folded)
    while words and (words[0] in PRACTICE_NOUNS or words[0] in {"de", "het", "t", "'t"}):
        words = words[1:]
    return " ".join(words)


_WORD = re.compile(r"[\wÀ-ÿ][\wÀ-ÿ'’\-]*|&")


def _names_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of capitalised word runs in one sentence."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    out = []
    i = 0
    while i < len(words):
        start, end, w = words[i]
        if not w[0].isupper():
            i += 1
            continue
        j = i
        last = i
        while j + 1 < len(words):
            nxt = words[j + 1][2]
            gap = text[words[j][1]:words[j + 1][0]]
            if gap.strip() not in {"", "&"}:  # punctuation ends a name
                break
            if nxt[0].isupper():
                j += 1
                last = j
            elif nxt.lower() in _LINKS and j + 2 < len(words):
                j += 1
            else:
                break
        out.append((i, last))
        i = last + 1
    spans = []
    for i, last in out:
        # sentence-initial "Het", "Daarom"; also after a full stop without a space ("…2016.Binnen de OISZ")
        initial = i == 0 or re.search(r"[.!?)]\s*$", text[:words[i][0]])
        if initial and words[i][2].lower() in _FUNCTION_WORDS:
            i += 1
            while i <= last and not words[i][2][0].isupper():  # "Via het Seizoenspunt Kust"
                i += 1
            if i > last:
                continue
        spans.append((words[i][0], words[last][1], text[words[i][0]:words[last][1]]))
    return spans


# "op de X", "in het X": a single name after a locative preposition and an article is a place.
_LOCATIVE = frozenset("op in naar uit aan".split())


def _spans(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, name, quoted): names between quotes (‘Taalbubbels’, ‘The Force Mechelen’) first,
    then capitalised runs outside them; a run that ends in " in <place>" loses that place."""
    out = []
    taken = []
    for m in _QUOTED.finditer(text):
        inner = m.group(1).strip()
        if len(inner.split()) <= 6:
            out.append((m.start(1), m.start(1) + len(inner), inner, True))
            taken.append((m.start(), m.end()))
    for start, end, name in _names_in(text):
        if any(a <= start < b for a, b in taken):
            continue
        cut = re.search(r"\s+(?:in|op)\s+([A-ZÀ-Þ][\wÀ-ÿ\-]*(?:\s+[A-ZÀ-Þ][\wÀ-ÿ\-]*)?)$", name)
        if cut and is_place(cut.group(1)):  # "Venning in Kortrijk" -> "Venning"
            name = name[:cut.start()]
            end = start + len(name)
        out.append((start, end, name, False))
    return sorted(out)


def _word_before(text: str, start: int) -> str:
    m = re.search(r"([\wÀ-ÿ']+)[\s:‘“\"]*$", text[:start])
    return m.group(1).lower() if m else ""


def _words_before(text: str, start: int, n: int = 2) -> list[str]:
    """The n words before `start`, lower case, nearest last."""
    return [w.lower() for w in re.findall(r"[\wÀ-ÿ']+", text[:start])[-n:]]


def _is_practice_noun(word: str) -> bool:
    """'project', 'projecten', 'trajecten', 'campagne': a practice noun, singular or plural."""
    w = word.lower()
    return w in PRACTICE_NOUNS or w in _MORE_NOUNS or re.sub(r"(?:en|s)$", "", w) in PRACTICE_NOUNS | _MORE_NOUNS


# Nouns that follow or end a name ("het MISSION project", "het PACE-project") besides PRACTICE_NOUNS.
_MORE_NOUNS = frozenset("training labo tool pilot".split())

# A name right before or after these is a service, a department or a fund of an organisation
# ("de dienst ‘Wonen’", "het AMIF-fonds"), not a practice; kept small on purpose.
_UNIT_NOUNS = frozenset("dienst diensten afdeling afdelingen fonds fondsen".split())

# a closing quote is not an elision inside a word ("Reponse d'urgence")
_QUOTED = re.compile(r"[‘'“\"]([A-ZÀ-Þ][^’'”\"?!.]{1,60}?)[’'”\"](?![\wÀ-ÿ])")
_SUFFIX = re.compile(r"^(.*?)[’']?-([\wÀ-ÿ]+)$")


def _title_like(name: str) -> bool:
    """A quoted name, not a quoted sentence: one word, or at least half of its words capitalised
    (‘Samen Thuis Leuven’ yes, ‘Wij doen dat samen’ no)."""
    words = [w for w in name.split() if w.lower() not in _LINKS]
    return len(words) <= 1 or sum(w[0].isupper() for w in words) * 2 >= len(words)


def _clean(name: str) -> tuple[str, str]:
    """Quotes and a practice-noun suffix off a name: "Elektro Anders’-traject" -> ("Elektro Anders",
    "traject"), "Taalcoach’" -> ("Taalcoach", "")."""
    noun = ""
    m = _SUFFIX.match(name)
    if m and m.group(1) and _is_practice_noun(m.group(2)):
        name, noun = m.group(1), m.group(2).lower()
    # one space between words: a name typed with two spaces or across a line break ("Sleipner  Snohvit")
    name = " ".join(name.split()).strip("’'”\" ").lstrip("‘“")
    if "‘" in name and "’" not in name:  # "Intern traject ‘samenleven in verbinding’" keeps its closing quote
        name += "’"
    return name, noun


def _is_excluded(name: str, case_names: set[str], persons: set[str], acronym_ok: bool = False) -> bool:
    low = re.sub(r"^(?:de|het|'t)\s+", "", name.lower())  # "Het Huis van het Nederlands" is "Huis van het Nederlands"
    if low in NOT_PRACTICES or low in case_names or name in persons:
        return True
    parts = low.split()
    if all(p in NOT_PRACTICES or p in case_names or p in _LINKS for p in parts):
        return True
    if re.fullmatch(r"[A-Z]{2,6}", name) and not acronym_ok:  # acronyms are organisations, not practices
        return True
    if re.fullmatch(r"[A-Z]{1,4}(?:[-&][A-Z]{1,4})+", name):  # "N-VA", "CD&V": parties and organisations
        return True
    if len(re.sub(r"\W", "", name)) < 2:  # "plan B": a single letter is no name
        return True
    if low in _RELIGIONS or low.split()[-1] in _RELIGIONS:
        return True
    if len(parts) == 1 and _NOT_A_NAME.search(name) or _ORG_TAIL.search(name):
        return True
    if is_place(name) or is_place(name.split("-")[0]) and re.fullmatch(r"[\wÀ-ÿ]+(?:-[A-ZÀ-Þ][\wÀ-ÿ]*)+", name):
        return True  # "Gent-Sint-Pieters": a place's part (a station, a district)
    if re.search(r"-(?:[a-zà-ÿ]{4,})?$", name) and not _practice_head(name.rsplit("-", 1)[1]):
        return True  # "de MUG-functies", "de PET-programmatie", "Benelux-": a common noun or a cut word, no name
    if re.search(r"\b(?:[A-Z]-?\d+|[A-Z]\d{2,}[A-Z])$", name):
        return True  # "F-35", "Airbus A400M", "M7": a type of vehicle or machine (a product)
    if re.fullmatch(r"(Stad|Gemeente|Provincie|OCMW|CAW|Dienst|Sociaal Huis)\b.*", name):
        return True
    return False


# What a name is when its head noun says so (issue #20: in parliamentary text most capitalised names
# that sit near a practice cue are organisations, rules or places). Small and general on purpose:
# the head nouns of Dutch administrative language, matched as a word or as a compound's last part
# ("Overheidsdienst", "Schengenverdrag", "Hartziekenhuis"). A name whose own first word is a
# practice's head ("Actieplan …", "Huiswerkpunt Kanaal") is a practice whatever follows.
_NAME_KINDS = {
    "organisatie": """dienst overheidsdienst fod pod ministerie departement agentschap administratie instituut
        commissie comité comite raad hof rechtbank parket unie parlement senaat regering kabinet bureau orgaan
        agency authority committee council office politie federatie vereniging partij organisatie team
        taskforce task werkgroep cel organisme gewest gemeenschap provincie gemeente naties navo vzw bedrijf firma
        universiteit hogeschool regie loterij inspectie secretaris dg directie directoraat eenheid beweging
        kenniscentrum expertisecentrum =centrum =bank =zaken =lid""",
    "regel": """wet wetboek verdrag decreet besluit kb richtlijn verordening act akkoord protocol conventie
        handvest grondwet reglement regels statuut ordonnantie omzendbrief beleid staatsblad
        agreement memorandum code principe charter""",
    "plaats": """paleis station kanaal luchthaven gevangenis kazerne hotel ziekenhuis museum musea kathedraal""",
    "product": """geneesmiddel medicijn vaccin merk toestel voertuig vliegtuig schip fregat wapen product
        verslag jaarverslag rapport studie gegevensbank databank""",
}
# "=centrum": only the word itself ("Centrum voor Cybersecurity"); a compound may be a meeting place
# someone runs ("Ontmoetingscentrum De Loods"), "=bank" likewise ("Praatbank" is a practice).
_KIND_OF_WORD = {w.lstrip("="): kind for kind, words in _NAME_KINDS.items() for w in words.split()}
_WHOLE_WORD_ONLY = frozenset(w.lstrip("=") for words in _NAME_KINDS.values() for w in words.split()
                             if w.startswith("="))


def _compound_head(word: str, heads) -> str:
    """The longest of `heads` that `word` is or ends in as a compound's last part, singular or plural,
    or that a hyphenated word starts with ("Parket-Generaal"); "" if none."""
    w = re.sub(r"(?:'s|’s)$", "", word.lower())
    best = ""
    for f in {w, re.sub(r"(?:en|s)$", "", w), w.split("-")[0]}:
        if f in heads and len(f) > len(best):
            best = f
        for i in range(3, len(f) - len(best)):  # its suffixes, longest first, leaving at least 3 letters
            if f[i:] in heads and f[i:] not in _WHOLE_WORD_ONLY:
                best = f[i:]
                break
    return best


def _kind_of_name(name: str) -> str:
    """'organisatie', 'regel', 'plaats', 'product' (or document) when a head noun of the name's head
    phrase (its leading capitalised words, linking words skipped) says so, else "": "Federale
    Overheidsdienst Kanselarij", "Europees Verdrag", "Brexit Task Force" yes; "Actieplan Sociale
    Fraude", "Denktank inclusief personeelsbeleid" no."""
    head = []
    for w in re.findall(r"[\wÀ-ÿ'’\-]+", name):
        if w.lower() in _LINKS:
            continue
        if not w[0].isupper():
            break
        head.append(w)
    for i, w in enumerate(head):
        other = _compound_head(w, _KIND_OF_WORD)
        if i == 0 and len(_practice_head(w)) > len(other):
            return ""  # "Huiswerkpunt Kanaal": the first word names the kind
        if other:
            return _KIND_OF_WORD[other]
    return ""


def _practice_head(word: str) -> str:
    """The practice noun `word` is or ends in, singular or plural ("Tafel", "Oudercafé", "Woonbuddy's",
    "Cité-ambassadeurs", "Praattafels"); "" for "Kamerlid" or "Thuistaal" (the head is the last part)."""
    w = re.sub(r"(?:'s|’s)$", "", word.lower())
    for form in dict.fromkeys((w, re.sub(r"(?:en|es|s)$", "", w), re.sub(r"s$", "", w))):
        hit = max((h for h in NAME_HEADS if form.endswith(h)), key=len, default="")
        if hit:
            return hit
    return ""


# A cue counts only this close to the name (words before it; one fewer after it, and not past a comma):
# "gestart met de X", "hebben we de X opgestart", "delen we graag X"; a cue elsewhere in a long
# official sentence says nothing about the name.
_NEAR = 3


def _near(text: str, start: int, end: int, test) -> bool:
    """`test` holds for one of the _NEAR + 1 words before or after the name (other quoted names skipped:
    "de projecten ‘Taalcoach’, ‘Alfaklassen’ en ‘Taalst’")."""
    left = re.findall(r"[\wÀ-ÿ']+|[:;]", _QUOTED.sub(" ", text[:start]))[-_NEAR - 1:]
    right = re.findall(r"[\wÀ-ÿ']+", _QUOTED.sub(" ", text[end:].lstrip("’'”\"")))[:_NEAR + 1]
    return any(test(w) for w in left + right)


def _runs(text: str, start: int, end: int) -> bool:
    """Someone runs it: a practice cue (started, runs, organised, …) within _NEAR words of the name, or
    the sentence opens with what is done with it ("Met de X brengt de stad …")."""
    if re.fullmatch(r"\W*met\s+(?:de|het|'t)?\s*", text[:start], re.I):
        return True
    left = " ".join(re.findall(r"[\wÀ-ÿ']+|[:;]", text[:start])[-_NEAR:])
    right = " ".join(re.findall(r"[\wÀ-ÿ']+", re.split(r"[,;:(]", text[end:], maxsplit=1)[0])[:_NEAR - 1])
    # a bare time ("sinds dit jaar terugbetaald") goes with anything: a product, a law, a building; a
    # practice noun near the name ("de IT-architectuur, blijkt dat het project …") is another practice's
    return any(not _NOT_RUN.fullmatch(m.group()) for m in PRACTICE_CUES.finditer(f"{left} | {right}"))


# "opgericht": what is founded is mostly an organisation ("een Expertisecentrum … opgericht")
_NOT_RUN = re.compile(r"(?:sinds )?(?:vorig|dit) jaar|project\w*|traject\w*|initiatie\w*|voorbeeld|opgericht", re.I)


# The next sentence says what the name is: "Dat is een korte vragenlijst", "Dat zijn vrijwilligers";
# stricter than DEFINITION (which also takes "In …", "Er …") for names with weaker evidence.
_DEFINED = re.compile(r"^\s*(?:dat|dit|het|die)\s+(?:is|zijn|was|waren)\s+(?:een|onze?|vrijwilligers|mensen)\b",
                      re.I)

_ELSEWHERE = "naam met praktijkwoord, elders als praktijk genoemd"

# "volgens de X", "door de X", "bij de X", "namens X": what acts, decides or answers (an organisation).
_AGENT_PREPS = frozenset("volgens door bij namens vanwege binnen tussen".split())


def _agent_before(text: str, start: int) -> bool:
    words = [w for w in _words_before(text, start, 3) if w not in {"de", "het", "'t"}]
    # "samen met X", "een samenwerking met X": a partner; "het IMF, de X": one of a list of organisations
    return bool(words) and (words[-1] in _AGENT_PREPS or words[-1] == "met" and words[-2:-1] in (["samen"],
                                                                                                 ["samenwerking"])
                            or bool(re.search(r"\b[A-Z]{2,6}\s*,\s*(?:de|het)?\s*$", text[:start])))


def _persons(text: str) -> set[str]:
    return {p.text for p in find_persons(text)}


def practice_mentions(segments: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Every sentence that names a practice: segment_id, sent, case, name, key, kind, cue, text."""
    seg = segments.set_index("segment_id")
    case_names = {str(c).lower() for c in seg["case"].dropna().unique()} if "case" in seg else set()
    case_names |= {c.lower() for c in CENTRE_CITIES}
    rows = []
    # per segment its (sent, text) pairs in sentence order; plain lists, not one sub-frame per segment
    by_segment: dict[str, list[tuple[int, str]]] = {}
    for seg_id, sent, text in zip(sentences["segment_id"], sentences["sent"], sentences["text"]):
        by_segment.setdefault(seg_id, []).append((int(sent), text))
    owners: set[str] = set()
    facilitator = (seg["is_facilitator"].astype(bool).to_dict() if "is_facilitator" in seg else {})
    cases = seg["case"].to_dict() if "case" in seg else {}
    for seg_id, pairs in by_segment.items():
        if seg_id not in seg.index or facilitator.get(seg_id, False):
            continue
        pairs.sort(key=lambda p: p[0])
        texts = [p[1] for p in pairs]
        for k, text in enumerate(texts):
            nxt = texts[k + 1] if k + 1 < len(texts) else ""
            persons = None
            for start, end, raw, quoted in _spans(text):
                name, suffix = _clean(raw)
                if not name or _not_a_mention(text, start, end, name, suffix, quoted, owners):
                    continue
                # without evidence here, a mention counts when the case names it a practice elsewhere
                # ("Een Wijkbrug die …" after "het netwerk Wijkbruggen"); kept or dropped at the end
                evidence, kind = _evidence(text, start, end, name, suffix, quoted, nxt)
                if not evidence:  # checked at the end, and only if the case names it a practice elsewhere
                    evidence, kind = _ELSEWHERE, "naam"
                elif _kind_of_name(name):
                    continue  # "FOD Economie", "het Schengenverdrag", "het Koninklijk Paleis": not run as a practice
                else:
                    if persons is None:
                        persons = _persons(text)
                    # a name built on a practice noun ("Wijkbrug", "Buurtloket …") is no person's name
                    people = set() if evidence == "naam met praktijkwoord" else persons
                    acronym_ok = evidence.startswith("'")  # "project PACE", "het PACE-project"
                    if _is_excluded(name, case_names, people, acronym_ok):
                        continue
                if normalise_name(name) == "":
                    continue
                rows.append({
                    "segment_id": seg_id, "sent": int(pairs[k][0]), "case": cases.get(seg_id, ""),
                    "practice": name, "key": normalise_name(name), "kind": kind, "cue": evidence,
                    "text": f"{text} {nxt}" if nxt and (DEFINITION.search(nxt) or _only_names(text, start, end))
                    else text,
                    "defined": bool(DEFINITION.search(nxt)),
                })
    rows.extend(_box_titles(segments, case_names))

    def owned(r: dict) -> bool:
        # A name the same document uses as the owner of practices ("het traject van het Kenniscentrum X")
        # is an organisation everywhere in it, also where it is shortened ("het Kenniscentrum").
        return any(r["key"] == o or o.startswith(r["key"] + " ") for o in owners)

    named = {(r["case"], _singular(r["key"])) for r in rows if r["cue"] != _ELSEWHERE and not owned(r)}
    rows = [r for r in rows if (r["cue"] != _ELSEWHERE or (r["case"], _singular(r["key"])) in named
                                and not _kind_of_name(r["practice"])
                                and not _is_excluded(r["practice"], case_names, set())) and not owned(r)]
    shared = _shared_names(rows, by_segment, cases)
    rows = [r for r in rows if _singular(r["key"]) not in shared]
    return pd.DataFrame(rows, columns=["segment_id", "sent", "case", "practice", "key", "kind", "cue", "text",
                                       "defined"])


# A name that this many cases, and at least this share of all cases, mention, most of them without
# calling it a practice, is shared vocabulary (issue #20: in ministers' answers the names that many
# departments use are institutions and policy domains, "Europol", "ICT"); one case's initiative is named
# by few, and a programme many speak of is called one ("het plan X") by many of them.
_SHARED_CASES, _SHARED_SHARE = 5, 0.25


_BARE_WORDS = 3  # "Graag delen we X.", "Ja, het X.": a sentence with this few words besides the name


def _only_names(text: str, start: int, end: int) -> bool:
    """True when the sentence says nothing of the name at text[start:end] but the name itself: the
    description is then the next sentence ("Graag delen we Kamers met Kansen. Leuvenaars met …")."""
    return len(re.findall(r"[\wÀ-ÿ']+", text[:start] + " " + text[end:])) <= _BARE_WORDS


def _shared_names(rows: list[dict], by_segment: dict[str, list[tuple[int, str]]], cases: dict) -> set[str]:
    """The singular keys of the rows' names that at least _SHARED_CASES cases and _SHARED_SHARE of all
    cases mention (anywhere in their text), fewer than half of them with evidence that it is a practice."""
    texts: dict[str, list[str]] = defaultdict(list)
    for seg_id, pairs in by_segment.items():
        texts[cases.get(seg_id, "")].extend(t for _, t in pairs)
    need = max(_SHARED_CASES, _SHARED_SHARE * len(texts))
    if len(texts) < need:
        return set()
    named: dict[str, set] = defaultdict(set)
    for r in rows:
        if r["cue"] != _ELSEWHERE:
            named[_singular(r["key"])].add(r["case"])
    joined = ["\n".join(ts) for ts in texts.values()]
    vocabulary = [set(re.findall(r"[\wÀ-ÿ]+", text)) for text in joined]  # search a name only where all its words are
    shared = set()
    for name in {r["practice"] for r in rows}:
        words = set(re.findall(r"[\wÀ-ÿ]+", name))
        where = [text for text, vocab in zip(joined, vocabulary) if words <= vocab]
        if len(where) < need:
            continue
        pattern = re.compile(rf"(?<![\wÀ-ÿ]){re.escape(name)}(?![\wÀ-ÿ])")
        n = sum(bool(pattern.search(text)) for text in where)
        key = _singular(normalise_name(name))
        if n >= need and len(named[key]) * 2 < n:
            shared.add(key)
    return shared


def _not_a_mention(text: str, start: int, end: int, name: str, suffix: str, quoted: bool, owners: set[str]) -> bool:
    """The name's surroundings say it is no practice (a title, a framework, an owner, a service, a place,
    a quotation); an owner ("de projecten van de VGC") is added to `owners`."""
    before = _word_before(text, start)
    after = re.match(r"[’'”\"]?\s*([\wÀ-ÿ]+)", text[end:])
    after = after.group(1).lower() if after else ""
    if before in TITLES or name.lower() in _FUNCTION_WORDS:  # "mevrouw De Clercq"; "Dit" after a glued ".Dit"
        return True
    if before in {"des", "der"} or name.split()[0].lower() in _ORDINALS:
        return True  # "de Procureur des Konings": an owner; "Tweede Bachelor", "Eerste Minister": no name
    # only bullets or punctuation before it: a capital at the start of a sentence says nothing
    initial = not re.search(r"[\wÀ-ÿ]", text[:start]) or re.search(r"[.!?)]\s*$", text[:start])
    if initial and " " not in name and not quoted and not suffix:
        return True
    if re.search(r"\b(?:in het kader van|kader van|binnen het kader van)\s+(?:de|het)?\s*$", text[:start], re.I):
        return True  # "in het kader van het Integratiepact": a policy framework, not a practice
    owner = [w for w in _words_before(text, start, 4) if w not in {"de", "het", "'t"}]
    if len(owner) >= 2 and owner[-1] == "van" and (_is_practice_noun(owner[-2])
                                                   or _compound_head(owner[-2], PRACTICE_NOUNS)):
        owners.add(normalise_name(name))
        return True  # "de projecten van de VGC", "het actieplan van X": the owner of practices is an organisation
    if before in _UNIT_NOUNS or suffix in _UNIT_NOUNS or after in _UNIT_NOUNS:
        return True  # "de dienst ‘Mens & Maatschappij’", "het AMIF-fonds": a service or a fund
    if before in _PART_NOUNS:
        return True  # "het luik ‘Spoor’ van dit plan": a part of a plan or a text, not a practice of its own
    lower_after = re.match(r"\s+[a-zà-ÿ]", text[end:])
    if lower_after and _KIND_OF_WORD.get(_compound_head(after, _KIND_OF_WORD)) == "organisatie":
        return True  # "de Evidence-Based-Practice verenigingen": the name says what kind of organisation
    if " " not in name and _FOREIGN_TITLE_GOES_ON.match(text[end:]):
        return True  # "het project Learning about living in Benin …": a title cut short at its first word
    if suffix and re.match(r"\s*[‘'“\"]", text[end:]):
        return True  # "het SOM-labo ‘Scholen Zonder Pesten’": the quoted name is the practice's name
    two = _words_before(text, start)
    if len(two) == 2 and two[1] in {"de", "het"} and two[0] in _LOCATIVE and " " not in name:
        return True  # "op de Venning", "naar het Zuid": a place
    if quoted and not _title_like(name) and (
            re.search(r"[:;,]\s*[‘'“\"]?\s*$", text[:start]) or not _is_practice_noun(before)):
        return True  # ‘Wij voelen ons hier thuis’ after "zei:" is a quotation, not a name
    return bool(re.search(r"[A-Z]{2,}\s*\($", text[:start]))  # "PACE (Providing Access …)": the spelled-out acronym


# a part of a plan, a text or a programme before its (quoted) title
_PART_NOUNS = frozenset("luik luiken onderdeel hoofdstuk".split())

# a one-word name whose title goes on in lower-case English ("Learning about living", "Field of …")
_FOREIGN_TITLE_GOES_ON = re.compile(r"[’'”\"]?\s+(?:about|from|with|against|through|into|in the|of the)\s", re.I)


# After a name these say whose network or working it is, not what the practice is called ("het
# TELERAD-netwerk", "de Forem-werking"); before a name they still do ("het netwerk Buurtsleutels").
_OWNED_AFTER = frozenset("netwerk netwerken werking".split())

# a one-word name after a practice noun whose title goes on in lower case (Dutch, English, French)
_TITLE_GOES_ON = re.compile(r"\s+(?:van|tegen|voor|rond|over|d'|of|for|au|a|contre|pour|du|des|la|le|les)\b")


def _an_example(text: str, start: int) -> bool:
    """The name is one of a kind, not a named practice: "een geïntegreerde City Pass", or an example of
    organisations ("organismen zoals ‘X’", "verschillende organen …, zoals het X")."""
    words = _words_before(text, start, 12)
    if words[-2:-1] == ["een"] and re.fullmatch(r"[a-zà-ÿ]+e", words[-1]):
        return True
    while words and words[-1] in {"de", "het", "'t"}:
        words.pop()
    if not words or words[-1] != "zoals":
        return False
    nouns = words[-9:-1]
    # a plural (its lemma differs: "organismen" -> "organisme", "organen" -> "orgaan") of an organisation's kind
    return any(lemma != w and _KIND_OF_WORD.get(_compound_head(lemma, _KIND_OF_WORD)) == "organisatie"
               for w, lemma in zip(nouns, lemmatize_tokens(nouns, ["NOUN"] * len(nouns))))


def _evidence(text: str, start: int, end: int, name: str, suffix: str, quoted: bool, nxt: str) -> tuple[str, str]:
    """(evidence, kind) that the name is a practice's, or ("", "") (the kinds of the module docstring)."""
    before = _word_before(text, start)
    after = re.match(r"[’'”\"]?\s*([\wÀ-ÿ]+)", text[end:])
    after = after.group(1) if after else ""
    if _is_practice_noun(before):
        if " " not in name and _TITLE_GOES_ON.match(text[end:]):
            return "", ""  # "het project Strijd tegen kinderhuwelijken …": a title cut short, no name
        return f"'{before}' voor de naam", before
    if before and _compound_head(before, _KIND_OF_WORD):
        return "", ""  # "de vzw ‘Straatverplegers’", "het verdrag X": the word before says what it is
    if before in {"een", "geen"} or _an_example(text, start):
        return "", ""  # "een Interreg-project", "geen INA-projecten", "een Blokkerwinkel": a kind, not a named one
    if suffix in _OWNED_AFTER or after.lower() in _OWNED_AFTER:
        return "", ""  # "het Engie netwerk", "de Forem-werking": the network or the working of X
    if suffix:
        return f"'-{suffix}' na de naam", suffix
    if after.lower() in PRACTICE_NOUNS | _MORE_NOUNS:  # singular: "het ZORGNET project", not "NAVO-netwerken"
        return f"'{after.lower()}' na de naam", after.lower()
    if quoted and _title_like(name) and (
            _DEFINED.search(nxt) or _near(text, start, end, _is_practice_noun)
            or re.match(r"\s*[’'”\"]?\s*(?:is|was)\s+(?:een|onze?)\b", text[end:])):
        return "naam tussen aanhalingstekens", "naam"
    owner_or_place = [w for w in _words_before(text, start, 2) if w not in {"de", "het", "'t"}][-1:] in (["van"],
                                                                                                       ["in"])
    if _agent_before(text, start) or re.search(r"\s(?:en\s+(?:de\s+|het\s+)?|met\s+(?:de|het)\s+)[A-ZÀ-Þ]", name):
        # "volgens de X", "door de X", "bij de X": what acts or decides, not what is run; "Febelfin en
        # Assuralia", "Child Focus met het INHOPE": two names, not one
        return "", ""
    head = _practice_head(name.split()[0])
    # "Buurtloket Op de Hoek"; a bare head noun ("Tafel van de Vier Huizen", not "Kamer van …") or one
    # word only when said to be run or defined ("gestart met de Rechtenverkenner", "het Woonkompas. Dat is …")
    compound = len(re.sub(r"\W|s$|en$", "", name.split()[0])) > len(head) + 1  # "Buurtloket", not "Kamer(s)"
    defined = _DEFINED.search(nxt) and re.fullmatch(r"[\s’'”\")]*[.!?]?\s*", text[end:])
    # a thing's head "van" an owner names the owner's thing, an institution ("Kruispuntbank van Ondernemingen",
    # "Barometer van de Informatiemaatschappij"); a practice noun stays ("Masterplan van de Regie")
    of_owner = head not in PRACTICE_NOUNS and name.split()[1:2] == ["van"]
    if head and (" " in name and compound and not of_owner or _runs(text, start, end) or defined):
        return "naam met praktijkwoord", "naam"
    if owner_or_place:
        return "", ""  # "het uitbreiden van de X", "in de X": what X has or holds, not X being run
    if before in _PREPS_BEFORE and (_runs(text, start, end) or defined):
        return "lidwoord of voorzetsel + praktijkwoord in de zin", "naam"
    if " " in name and _runs(text, start, end) and re.search(r"[\wÀ-ÿ]", text[:start]):
        return "meerwoordige naam + praktijkwoord in de zin", "naam"
    return "", ""


_DEFINES = re.compile(r"\s*(?:is|zijn|was|waren|werd|wordt)\b", re.I)
_BACK_REFERENCE = re.compile(r"^\s*(?:dit|deze|dat|die)\s+([\wÀ-ÿ]+)", re.I)


def _box_titles(segments: pd.DataFrame, case_names: set[str]) -> list[dict]:
    """Practices named by a heading of their own, as report boxes and project sheets are:
      - "Name, City" (or "Name, een …"): "Buurtkeuken De Pot, Aalst", "Open Huis, een ontmoetingsplek";
      - a heading the next paragraph defines or refers back to: "De Gentse Fietsbieb" followed by
        "De Gentse Fietsbieb is een …", or by "Dit project …".
    The row points at the describing paragraph (its segment and theme), with its text."""
    if "kind" not in segments or "text" not in segments:
        return []
    rows = []
    frame = segments.reset_index(drop=True)
    docs = frame["doc_id"] if "doc_id" in frame else pd.Series([""] * len(frame))
    for i in range(len(frame) - 1):
        if frame.at[i, "kind"] != "header" or docs.iat[i + 1] != docs.iat[i]:
            continue
        lines = [ln.strip() for ln in str(frame.at[i, "text"]).splitlines() if ln.strip()]
        title = lines[-1] if lines else ""
        if not title or not title[0].isupper() or len(title.split()) > 12 or title.endswith((".", ":", "?")):
            continue
        nxt = frame.iloc[i + 1]
        if nxt["kind"] == "header":
            continue
        body = str(nxt["text"]).strip()
        name, cue = "", ""
        m = re.fullmatch(r"(.+?),\s*(.+)", title)
        if m:
            tail = m.group(2).strip()
            last = tail.split()[-1]
            if (is_place(tail) or tail.lower() in case_names or is_place(last) or last.lower() in case_names
                    or tail.lower().startswith("een ")):
                name, cue = m.group(1).strip(), "kop 'Naam, Stad'"
        else:
            bare = re.sub(r"^(?:de|het)\s+", "", title, flags=re.I)
            lead = re.sub(r"^[‘'“\"\s]*(?:de|het)\s+", "", body, flags=re.I).lstrip("‘'“\"")
            back = _BACK_REFERENCE.match(body)
            if lead.lower().startswith(bare.lower()) and _DEFINES.match(lead[len(bare):].lstrip("’'”\"")):
                name, cue = title, "kop die de volgende zin definieert"
            elif back and _is_practice_noun(back.group(1)):
                name, cue = title, "kop met 'dit/deze " + back.group(1).lower() + "' erna"
        if not name:
            continue
        clean, _ = _clean(name)
        persons = {p.text for p in find_persons(title)}
        if not clean or _is_excluded(clean, case_names, persons, acronym_ok=True) or not normalise_name(clean):
            continue
        first = re.split(r"(?<=[.!?])\s+", body)[0]
        rows.append({"segment_id": nxt["segment_id"], "sent": 0, "case": nxt["case"] if "case" in frame else "",
                     "practice": clean, "key": normalise_name(clean), "kind": "kop", "cue": cue,
                     "text": f"{title}: {first}", "defined": True})
    return rows


def _singular(key: str) -> str:
    """'buurtsleutels' and 'buurtsleutel' are one practice: drop a plural ending of the last word."""
    words = key.split()
    if words and len(words[-1]) > 5:
        last = re.sub(r"(?:'s|s|en)$", "", words[-1])
        if words[-1].endswith("en") and len(last) > 2 and last[-1] == last[-2] and last[-1] not in "aeiou":
            last = last[:-1]  # "bruggen" -> "brug"
        words[-1] = last
    return " ".join(words)


def find_practices(segments: pd.DataFrame, sentences: pd.DataFrame,
                   assignments: pd.DataFrame | None = None, cache=None) -> pd.DataFrame:
    """One row per (practice, case) with its best describing mention (see the module docstring).
    `segments` is the segments table with case and source_file (the run's segments.csv table);
    `assignments` (optional) gives theme_id per segment when `segments` has none. With a cache
    the table is cached, keyed on the input columns it reads and this code."""
    if cache is None or cache.root is None:
        return _find_practices(segments, sentences, assignments)
    columns = ["segment_id", "case", "theme_id", "source_file", "is_facilitator"]
    key = cache.key("practices", code=(sys.modules[__name__], privacy), settings=None,
                    inputs=(frame_hash(segments, columns), frame_hash(sentences, ["segment_id", "sent", "text"]),
                            frame_hash(assignments if assignments is not None else pd.DataFrame(), columns)))
    return cache.get_or_build(key, lambda: _find_practices(segments, sentences, assignments))


def _find_practices(segments: pd.DataFrame, sentences: pd.DataFrame,
                    assignments: pd.DataFrame | None) -> pd.DataFrame:
    mentions = practice_mentions(segments, sentences)
    if mentions.empty:
        return pd.DataFrame(columns=PRACTICE_COLUMNS)
    seg = segments.set_index("segment_id")
    themes = (assignments.set_index("segment_id")["theme_id"] if assignments is not None
              else seg["theme_id"] if "theme_id" in seg else pd.Series(dtype="string"))
    rows = []
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for m in mentions.itertuples(index=False):
        grouped[(_singular(m.key), m.case)].append(m)
    for (_, case), ms in grouped.items():
        # A longer spelling of the same practice ("Taalmaatjes Brugse Poort" vs "Taalmaatjes") wins.
        best = max(ms, key=lambda m: (m.defined, m.cue != _ELSEWHERE, m.kind != "naam", len(m.text), -ms.index(m)))
        # the longest spelling; between equally long ones the capitalised ("Scholen Zonder Pesten")
        name = max((m.practice for m in ms), key=lambda p: (len(normalise_name(p)), sum(c.isupper() for c in p), p))
        rows.append({
            "practice": name, "case": case, "theme_id": str(themes.get(best.segment_id, "") or ""),
            "source_file": str(seg.at[best.segment_id, "source_file"]) if "source_file" in seg else "",
            "segment_id": best.segment_id, "text": best.text, "kind": best.kind, "n_mentions": len(ms),
            "mention_segment_ids": "; ".join(dict.fromkeys(m.segment_id for m in ms)), "cue": best.cue,
        })
    out = pd.DataFrame(rows, columns=PRACTICE_COLUMNS)
    # A name that is a prefix-part of a longer practice in the same case is the same practice.
    keys = [normalise_name(p) for p in out["practice"]]
    by_case: dict[str, list[str]] = defaultdict(list)
    for case, key in zip(out["case"], keys):
        by_case[case].append(key)
    keep = [i for i, (case, key) in enumerate(zip(out["case"], keys))
            if not any(key != other and f" {key} " in f" {other} " for other in by_case[case])]
    out = out.loc[keep].sort_values(["case", "practice"], kind="stable").reset_index(drop=True)
    return out
