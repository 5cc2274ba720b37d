"""What a statement does: each sentence tagged with its function, its hedges and its quantifiers.

Needs: the `sentences` and `tokens` tables (nlp stage). Adds: a `functions` table, one row per
sentence: segment_id, sent, function (the primary function), functions (all functions found,
";"-joined), cues (the matched cue words, ";"-joined, as "function:words"), hedges, quantifiers,
negated (the sentence holds a negation: niet, geen, nooit, …).

Functions (codes are English, their Dutch meaning in brackets):

  question      (vraag)            ends with "?" or "vraagt zich af", "de vraag is of"
  tension       (spanning/dilemma) "enerzijds … anderzijds", "spanningsveld", "evenwicht zoeken"
  barrier       (drempel)          "drempel", "in de weg", "ontbreekt", "te weinig", "belemmert",
                                   "valt onder de bevoegdheid van" (the lever lies elsewhere)
  concern       (bezorgdheid)      "bezorgdheid", "zorgen maken", "vrezen", "bang", "probleem"
  need          (nood)             "nood aan", "behoefte aan", "nodig", "noodzakelijk"
  wish          (wens/aanbeveling) "men wenst", "zou moeten", "pleiten voor", "aanbeveling"
  practice      (praktijk)         "gestart met", "project", "initiatief", "traject", "organiseren"
  appreciation  (waardering)       "werkt goed", "geapprecieerd", "meerwaarde", "trots"
  statement     (vaststelling)     no cue matched

A practice cue that a negation before it in its clause denies ("geen … project", "niet …
georganiseerd") names no practice: the sentence says a lack, or states something.

The primary function of a sentence is the first matched function in PRIORITY (the order above):
a question stays a question whatever it asks about, an explicit dilemma outranks the barrier it
names, a barrier outranks a mere concern, and a practice sentence that also praises is a practice.

A segment's function (`segment_functions`) is the function carried by the most sentences of the
segment (counting every function a sentence has, not only its primary one), ties broken by
PRIORITY; "statement" only when no sentence matched any cue.

Cue patterns run over tokens (the pattern language of `pipeline.language.match_cues`: a|b
alternatives, w* prefix, *w suffix, … a gap of up to 4 tokens), on words and lemmas only.
"""

from __future__ import annotations

import pandas as pd

from ..language import match_groups, sentence_tokens

__all__ = ["FUNCTION_CUES", "HEDGES", "QUANTIFIERS", "NEGATIONS", "STRICT_NEGATIONS", "PRIORITY", "tag_functions", "segment_functions",
           "tag_sentence", "FUNCTION_COLUMNS"]

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
        # "niet mogelijk" says what "onmogelijk" says ("Het is niet mogelijk om cijfers te verstrekken")
        "niet mogelijk",
        # the lever lies elsewhere: the matter is another level's or actor's competence, so the
        # speaker cannot act on it ("Dat valt onder de bevoegdheid van de Gewesten", "… behoort tot
        # de bevoegdheden van de minister van Justitie", "Ik ben niet bevoegd"); Dutch's fixed
        # phrasings of a competence, not topic words
        "valt|vallen|viel|vielen … onder … bevoegdheid*", "behoort|behoren|behoorde|behoorden … tot … bevoegdheid*",
        "bevoegdheid|bevoegdheden van", "niet bevoegd",
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

# the negations that deny what they stand with ("geen budget", "niet georganiseerd"); "weinig",
# "zonder" and the like say less or lack, not that something is not so
STRICT_NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "niks", "nergens"})

FUNCTION_COLUMNS = ["segment_id", "sent", "function", "functions", "cues", "hedges", "quantifiers",
                    "negated"]


# the cue lists tag_sentence matches, in one pass: the functions in PRIORITY order, then these three
_SENTENCE_GROUPS = tuple(FUNCTION_CUES[f] for f in PRIORITY) + (NOT_CONCERN, HEDGES, QUANTIFIERS)


# where a clause ends: a negation before it does not reach a word after it
_CLAUSE_BOUNDS = frozenset({".", "!", "?", ",", ";", ":", "(", ")", "maar", "want", "dat", "die", "omdat", "terwijl", "zodat",
                            "als", "wanneer", "doordat", "hoewel", "waardoor", "waar"})
# "niet alleen/enkel/slechts …" adds, it does not deny; nor does "al dan niet" (whether or not)
_NOT_DENYING = frozenset({"alleen", "enkel", "slechts"})


def _denied(words: list[str], start: int) -> bool:
    """Whether a negation stands before token `start` in its clause: "er is geen specifiek budget
    voor dit project", "er werd niets georganiseerd" name no practice that runs."""
    for k in range(start - 1, -1, -1):
        if words[k] in _CLAUSE_BOUNDS:
            return False
        if words[k] in STRICT_NEGATIONS and not (k + 1 < len(words) and words[k + 1] in _NOT_DENYING
                                                 or k > 0 and words[k - 1] == "dan"):
            return True
    return False


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
        if function == "practice":
            hits = [h for h in hits if not _denied(words, h[0])]
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
