"""The Dutch words of the outputs: quantifiers, functions, session kinds, dates and numbers, quotes.

Every renderer (summary.md, report.html, the workbook) and the notebooks say things the same way
because they take their words from here. Plain functions of plain values: no tables, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..language import OTHER_LANGUAGE
from ..privacy import ADDRESS_FORMS, MONTHS

__all__ = ["NOT_AVAILABLE", "FUNCTION_NL", "FUNCTION_MEANING", "KIND_PHRASE", "EXCLUDED_EXPLAINED", "STAGES_NL", "quantifier",
           "quantifier_scale", "prevalence_phrase", "coverage_phrase", "function_label", "short_quote", "select_quotes",
           "session_kind", "topic", "describe_theme", "dutch_date", "number", "embed_name", "fragments", "counted",
           "CaseNoun", "CITIES", "case_noun", "listing", "joined", "short_names"]

NOT_AVAILABLE = "nog niet beschikbaar in deze run"

# The statement functions of pipeline.analysis (its internal English codes) in the Dutch of its
# docstring, in its order of priority. The one mapping: every output, segments.csv and
# mechanism_evidence.csv included, shows the Dutch.
FUNCTION_NL = {
    "question": "vraag", "tension": "spanning", "barrier": "drempel", "concern": "bezorgdheid", "need": "nood",
    "wish": "wens", "practice": "praktijk", "appreciation": "waardering", "statement": "vaststelling",
}
# What each function means, for the descriptions of the codebook (keyed by the Dutch label).
FUNCTION_MEANING = {
    "vraag": "de uitspraak stelt een vraag",
    "spanning": "de uitspraak benoemt een spanning of dilemma (enerzijds … anderzijds)",
    "drempel": "iets staat in de weg, ontbreekt of is te weinig",
    "bezorgdheid": "de spreker maakt zich zorgen of ziet een probleem",
    "nood": "er is nood of behoefte aan iets",
    "wens": "een wens of aanbeveling: wat zou moeten",
    "praktijk": "een praktijk, project of initiatief dat loopt of liep",
    "waardering": "iets werkt goed of wordt gewaardeerd",
    "vaststelling": "een vaststelling zonder een van de andere functies",
}

# Session kinds as the 2019 round had them, with how a Dutch sentence says "there".
KIND_PHRASE = {
    "gesprekstafel": ("aan gesprekstafels", "Gesprekstafels"),
    "metagesprek": ("in metagesprekken", "Metagesprekken"),
    "schriftelijk": ("in schriftelijke antwoorden", "Schriftelijke antwoorden"),
}

EXCLUDED_EXPLAINED = {
    "facilitator": "beurten van de gespreksleider (vragen en samenvattingen, niet de deelnemers)",
    "voorzitter": "beurten van de voorzitter (het woord geven, de agenda, de stemmingen: de leiding, niet de sprekers)",
    "kop of metadata": "titels, koppen, de regel 'Aanwezig:' en andere metadata",
    "geen inhoudswoorden": "geen enkel inhoudswoord (bv. 'Ja.', 'Oké.'): niets om een thema op te baseren",
    "alleen aanspreking of vergadertaal": "alleen aanspreekvormen of vergadertaal ('Dank u, voorzitter.')",
    "te weinig inhoud": "minder inhoudswoorden dan themes.min_tokens vraagt",
    "past bij geen thema": "ingedeeld maar te ver van elk thema (de minst typische fragmenten)",
    "thema uitgesloten door analist": "hoorden bij een thema dat de analist uitsloot",
    "vraag": "de schriftelijke vragen zelf",
    OTHER_LANGUAGE: "in een andere taal dan het Nederlands (Frans, Engels of Duits): de taalanalyse leest alleen Nederlands",
}

STAGES_NL = {
    "ingest": "inlezen", "privacy": "pseudonimiseren", "segment": "opsplitsen in fragmenten",
    "nlp": "taalanalyse (lemma's)", "cluster_terms": "kernwoorden", "embed": "zinsbetekenis (embeddings)",
    "cluster": "thema's zoeken", "functions": "functies van uitspraken", "mechanisms": "mechanismen",
    "practices": "praktijken", "total_before_write": "totaal",
}


def listing(names) -> str:
    """Names one after another, 'Gent, Genk'; with '; ' as soon as a name has a comma of its own (a
    ministry 'Minister van Pensioenen, belast met ...'), else a reader cannot see where one ends."""
    names = [str(n) for n in names]
    return ("; " if any("," in n for n in names) else ", ").join(names)


def short_names(names, limit: int = 40) -> list[str]:
    """Case names as column heads and axis labels: a long one keeps its start and its end around "…"
    ('Minister van Financien, belast met Bestrijding van de fiscale fraude' would push a figure off the
    page and make the report's table head taller than the table), and
    names that would then read the same (two 'Staatssecretaris voor …, toegevoegd aan de minister van
    …') keep more of their start, and their end, until they differ."""
    names = [" ".join(str(n).split()) for n in names]
    keep = {n: (limit // 2, limit - limit // 2 - 1) for n in names}  # characters kept at the start, the end

    def label(n: str) -> str:
        head, tail = keep[n]
        if len(n) <= head + tail + 1:
            return n
        # whole words where the word ends near: 'Minister van Begroting … de Nationale Loterij'
        stop, begin = n.find(" ", head), n.rfind(" ", 0, len(n) - tail)
        stop = stop if 0 <= stop - head <= 8 else head
        begin = begin + 1 if 0 <= len(n) - tail - begin <= 8 else len(n) - tail
        return n if begin <= stop else n[:stop].rstrip(" ,") + " … " + n[begin:]

    while True:
        seen: dict[str, list[str]] = {}
        for n in dict.fromkeys(names):
            seen.setdefault(label(n), []).append(n)
        clashes = [n for group in seen.values() if len(group) > 1 for n in group]
        if not clashes:
            return [label(n) for n in names]
        for n in clashes:
            keep[n] = (keep[n][0] + 4, keep[n][1] + 4)


def counted(n, one: str, more: str) -> str:
    """'1 stad', '3 steden' (n a number or its text, as a table has it)."""
    return f"{n} {one if str(n).strip() == '1' else more}"


@dataclass(frozen=True)
class CaseNoun:
    """What the outputs call the cases: 'stad/steden' for the mission's cities, or what a round's
    cases are ('ministerie/ministeries', 'sectie/secties', 'partij/partijen'; corpus.case_noun)."""

    singular: str = "stad"
    plural: str = "steden"

    @classmethod
    def parse(cls, text: str) -> "CaseNoun":
        """'ministerie/ministeries' -> CaseNoun('ministerie', 'ministeries'); ValueError otherwise."""
        parts = [p.strip() for p in str(text).split("/")]
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"case_noun moet 'enkelvoud/meervoud' zijn, zoals 'stad/steden', niet {text!r}")
        return cls(*parts)

    def __call__(self, n) -> str:
        """'1 stad', '3 steden'."""
        return counted(n, self.singular, self.plural)

    @property
    def Singular(self) -> str:  # noqa: N802 (a column heading: 'Stad')
        return self.singular[:1].upper() + self.singular[1:]

    @property
    def Plural(self) -> str:  # noqa: N802 (the plural opening a sentence: 'Steden: Gent, Genk.')
        return self.plural[:1].upper() + self.plural[1:]


CITIES = CaseNoun()


def case_noun(info: dict | None) -> CaseNoun:
    """The run's case noun, from its run.json config (corpus.case_noun); the cities by default."""
    text = ((info or {}).get("config", {}) or {}).get("corpus", {}).get("case_noun")
    return CaseNoun.parse(text) if text else CITIES


def quantifier(n: int, total: int, noun: CaseNoun = CITIES) -> str:
    """Dutch quantifier word for n of total cases, as the 2019 report uses them."""
    if total <= 0 or n <= 0:
        return f"geen van de {noun.plural}"  # "geen enkele" would need the noun's gender
    if n == total:
        return f"alle {noun.plural}"
    if n == 1:  # also in a round of two or three cities: one city is no "verschillende steden"
        return f"één {noun.singular}"
    share = n / total
    if share >= 0.7:
        return f"de meeste {noun.plural}"
    if share >= 0.35:
        return f"verschillende {noun.plural}"
    return f"enkele {noun.plural}"


def quantifier_scale(total: int, noun: CaseNoun = CITIES) -> list[dict]:
    """Which counts get which Dutch word, for the reading guide: derived from `quantifier` itself."""
    scale: list[dict] = []
    for n in range(1, total + 1):
        word = quantifier(n, total, noun)
        if scale and scale[-1]["word"] == word:
            scale[-1]["high"] = n
        else:
            scale.append({"word": word, "low": n, "high": n})
    for entry in scale:
        low, high = entry["low"], entry["high"]
        entry["range"] = str(low) if low == high else f"{low} tot {high}"
    return scale


def prevalence_phrase(n: int, total: int, noun: CaseNoun = CITIES) -> str:
    """'in 9 van de 14 steden (de meeste steden)'."""
    return f"in {n} van de {total} {noun.plural} ({quantifier(n, total, noun)})"


def coverage_phrase(analysed, clustered, assigned, unassigned) -> str:
    """What became of the participants' statements, each number said once: 'ze hadden alle genoeg
    inhoud om in thema's in te delen en horen alle bij een thema', or '700 hadden genoeg inhoud …;
    690 horen bij een thema, 10 bij geen enkel'."""
    enough = "om in thema's in te delen"
    content = (f"ze hadden alle genoeg inhoud {enough}" if str(clustered) == str(analysed)
               else f"{number(clustered)} hadden genoeg inhoud {enough}")
    if str(unassigned) == "0":
        return f"{content} en horen alle bij een thema"
    return f"{content}; {number(assigned)} horen bij een thema, {number(unassigned)} bij geen enkel"


def function_label(code: str) -> str:
    """'barrier' (or 'BARRIER') -> 'drempel'; a Dutch label or any other word as it is."""
    code = str(code).strip()
    return FUNCTION_NL.get(code.lower(), code)


def short_quote(text: str, limit: int = 320, terms: list[str] | None = None) -> str:
    """The quote cut at a sentence end near `limit` characters. Given the theme's `terms`, a longer
    text is quoted without an opening that addresses someone and says none of them (`_passage`): a
    turn in a meeting opens with talk ("Mijnheer de voorzitter, ik sluit mij aan bij de reeds
    gestelde vragen", "Voorzitter.") that an analyst leaves out of a quote."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if terms:
        text = _passage(text, terms)
        if len(text) <= limit:
            return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > limit // 3 else text[:limit].rsplit(" ", 1)[0] + " …"


# A sentence that opens a turn by addressing someone: "Mijnheer de voorzitter, ...", "Mevrouw de
# minister, ...", or one word alone ("Voorzitter.", "Ja.").
_VOCATIVE = re.compile(r"^(?:(?:%s) de [a-zé-]+(?: [a-zé-]+)?[,.!:]|\w+[.!:]?$)" % "|".join(sorted(ADDRESS_FORMS)),
                       re.IGNORECASE)


def _passage(text: str, terms: list[str]) -> str:
    """The text without its opening sentences that address someone (`_VOCATIVE`) and say none of
    `terms` (a word or phrase, whole words, any case), marked "… " when some are left out."""
    sentences = re.split(r"(?<=[.?!])\s+", text)
    start = 0
    while start < len(sentences) - 1 and _VOCATIVE.match(sentences[start]) and not any(
            re.search(rf"(?<!\w){re.escape(t.lower())}(?!\w)", sentences[start].lower()) for t in terms):
        start += 1
    return "… " + " ".join(sentences[start:]) if start else text


def select_quotes(segments: pd.DataFrame, theme_id: str, n: int = 3) -> pd.DataFrame:
    """The most central segments of a theme, one per case first so quotes spread over cities, and
    no text quoted twice."""
    members = segments[segments["theme_id"] == theme_id]
    members = members.sort_values(["theme_score", "segment_id"], ascending=[False, True], kind="stable")
    # the same words twice say nothing new (a standard answer several ministries send, a form
    # filled in alike): a text is quoted once, whatever its capitals, spaces and punctuation
    wording = members["text"].astype(str).str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    members = members[~wording.duplicated()]
    first_per_case = members.drop_duplicates("case")
    return pd.concat([first_per_case, members.drop(first_per_case.index)]).head(n)


def session_kind(session: str) -> str:
    """'gesprekstafel 2: Taal' -> 'gesprekstafel'; 'metagesprek' -> 'metagesprek'; '' -> ''."""
    s = (session or "").strip().lower()
    if not s:
        return ""
    if s.startswith(("gesprekstafel", "tafel", "groepssessie", "groepsgesprek")):
        return "gesprekstafel"
    if s.startswith(("metagesprek", "meta-gesprek", "meta gesprek")):
        return "metagesprek"
    if s.startswith("schriftelijk"):
        return "schriftelijk"
    return session.strip()


def topic(session: str) -> str:
    """The table topic after the colon: 'gesprekstafel 1: Taal en communicatie' -> 'Taal en communicatie'."""
    return session.split(":", 1)[1].strip() if ":" in (session or "") else ""


def joined(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def fragments(n: int) -> str:
    """'1 fragment', '3 fragmenten'."""
    return counted(n, "fragment", "fragmenten")


def _table_topic(sessions: pd.Series, n: int) -> str:
    """', meestal aan tafels over ‘Taal’' when the round tables of a theme share a topic, else ''."""
    topics = Counter(topic(s) for s in sessions if session_kind(s) == "gesprekstafel")
    topics.pop("", None)
    if not topics:
        return ""
    name, k = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if len(topics) == 1:
        return f", alle aan tafels over ‘{name}’" if n > 1 else f", aan een tafel over ‘{name}’"
    if k >= 3 and k >= 0.5 * n:
        return f", meestal aan tafels over ‘{name}’"
    return ""


def _where_raised(sessions: pd.Series, one_kind: bool = False) -> str:
    """'Komt vooral aan bod aan gesprekstafels (30 fragmenten, ...), daarnaast in metagesprekken (8)', or ''
    (also when the whole run has `one_kind` of session and no table topic says more: 'alleen in
    schriftelijke antwoorden' of every theme of a round of written answers tells the reader nothing)."""
    kinds = Counter(session_kind(s) for s in sessions)
    kinds.pop("", None)
    if not kinds:
        return ""
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    phrases, topics = [], ""
    for i, (kind, n) in enumerate(ranked[:3]):
        detail = fragments(n) if i == 0 else str(n)
        if kind == "gesprekstafel":
            topics = _table_topic(sessions, n)
            detail += topics
        phrases.append(f"{KIND_PHRASE.get(kind, (f'in ‘{kind}’', kind))[0]} ({detail})")
    if len(ranked) == 1:
        return "" if one_kind and not topics else "Komt alleen aan bod " + phrases[0]
    if ranked[0][1] >= 0.5 * sum(kinds.values()):
        # 'vooral' is the first kind only: 'vooral aan gesprekstafels, in metagesprekken en in
        # schriftelijke antwoorden (1)' read as if the single written answer were a main place too
        return "Komt vooral aan bod " + phrases[0] + ", daarnaast " + joined(phrases[1:])
    return "Komt aan bod " + joined(phrases)


# Case names that take an article in running Dutch ("sterkst aanwezig in de VGC"); a city takes
# none. Only the default cases' one institution: other cases are written as the notes give them.
IN_PROSE = {"VGC": "de VGC"}


def in_prose(case: str) -> str:
    """A case name as it stands in a Dutch sentence: 'Gent', 'de VGC'."""
    return IN_PROSE.get(case, case)


def _which_cities(cases: pd.Series, noun: CaseNoun = CITIES) -> str:
    """'sterkst aanwezig in Gent (9 fragmenten) en Genk (6)', 'alleen in Gent (2 fragmenten)', ..."""
    per_case = sorted(cases.value_counts().items(), key=lambda kv: (-kv[1], kv[0]))
    if len(per_case) == 1:
        return f"alleen in {in_prose(per_case[0][0])} ({fragments(int(per_case[0][1]))})"
    if per_case and per_case[0][1] >= 2:
        top = [(c, int(n)) for c, n in per_case if n >= 2 and n > per_case[-1][1]]
        # the two strongest, and every further city tied with the second (naming one would be arbitrary)
        top = [(c, n) for i, (c, n) in enumerate(top) if i < 2 or n == top[1][1]]
        if top:
            named = [f"{in_prose(top[0][0])} ({fragments(top[0][1])})"] + [f"{in_prose(c)} ({n})" for c, n in top[1:]]
            return "sterkst aanwezig in " + joined(named)
        return f"gelijk verspreid over {noun(len(per_case))}"
    if per_case:
        return f"telkens met één fragment per {noun.singular}"
    return ""


def describe_theme(members: pd.DataFrame, noun: CaseNoun = CITIES, one_kind: bool = False) -> str:
    """One Dutch sentence on where a theme was raised, from its segments (session, case).

    'Komt vooral aan bod aan gesprekstafels (30 fragmenten, meestal aan tafels over ‘Taal en
    communicatie’), daarnaast in metagesprekken (8); sterkst aanwezig in Gent (9 fragmenten) en Genk (6).'
    `one_kind`: the run has one kind of session only, so where the theme was raised is said only
    when its table topics add something.
    """
    if members.empty:
        return "Na de aanpassingen van de analist horen er geen fragmenten meer bij dit thema."
    sessions = members["session"].fillna("") if "session" in members.columns else pd.Series([""] * len(members))
    parts = [p for p in (_where_raised(sessions, one_kind), _which_cities(members["case"], noun)) if p]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def dutch_date(iso: str) -> str:
    """'2019-12-31...' -> '31 december 2019'; anything else as it is."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return iso or ""
    return f"{int(m.group(3))} {MONTHS[int(m.group(2)) - 1]} {m.group(1)}"


def number(n) -> str:
    """Dutch thousands separator: 26493 -> '26.493'."""
    try:
        return f"{int(n):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(n)


def embed_name(backend: str) -> str:
    """The sentence-vector backend of the config as the method appendix names it."""
    if backend in ("", "none"):
        return "none"
    if backend == "use":
        return "de meertalige Universal Sentence Encoder"
    return f"het lokale model ‘{Path(backend).name}’"
