"""Mechanism concepts and the deductive codebook.

CONCEPTS: organisational dynamics a sentence can name (projects and temporary money, structural
anchoring, signals from the front line, the top of the organisation, rules and procedures,
blocking, language, access, higher government, reaching the same people, …), written from the
vocabulary of the 2019 Stadsgenoten report ("Het stropt", "Men geeft aan dat …") and plain Dutch
synonyms, in the cue pattern language of `pipeline.language.match_cues`. CODEBOOK: the report's
recurring mechanisms as relations between two concepts (`family_of`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...language import match_groups

__all__ = ["CONCEPTS", "CONCEPT_LABELS", "concept_hits", "Family", "CODEBOOK", "family_of"]

# Organisational dynamics, written from the 2019 report's vocabulary plus plain synonyms.
# Pattern language of pipeline.language.match_cues. A sentence "names" a concept when a pattern matches.
CONCEPTS: dict[str, tuple[str, ...]] = {
    # "projecten ... onvoldoende verankerd", "kleinschalig, beperkt in de tijd", "tijdelijk gesubsidieerd"
    "project": ("project*", "*project", "*projecten", "piloot*", "*piloot", "proefproject*", "experiment*",
                "projectmatig"),
    "tijdelijk": ("tijdelijk*", "kortlopend*", "looptijd", "afloop*", "aflopen", "afgelopen", "loopt|liep … af",
                  "stopt|stoppen|stopte|gestopt", "eindig*", "beperkt in de tijd", "continuïteit", "korte termijn"),
    "geld": ("subsidie*", "*subsidie", "*subsidies", "gesubsidieerd", "middelen", "*middelen", "geld",
             "*geld", "fonds*", "*fonds", "europe*", "budget*", "*budget", "*budgetten", "financier*",
             "betalen", "betaald"),
    "structureel": ("structure*", "verankerd", "verankeren", "verankering", "inbedden", "ingebed", "inbedding",
                    "regulier*", "gewone|vaste werking", "begroting*", "duurzaam", "duurzame", "blijvend*",
                    "overblijven", "blijft … over|overeind"),
    # "Van beneden en boven en hetgeen verloren gaat": signalen, doorstroming, gehoord worden
    "signaal": ("signa*", "meld*", "registr*", "*registratie", "verslag*", "*verslag", "*verslagen",
                "rapport*", "*rapport", "doorgeven", "doorgegeven", "geeft|geven … door", "doorstroming",
                "terugkoppeling", "feedback", "cijfers", "aankaarten", "aangekaart", "klacht*"),
    "top": ("bestuur", "*bestuur", "beleid", "beleidsmakers", "college", "schepencollege", "schepen*",
            "managementteam", "management", "directie", "kabinet", "boven", "hogerop", "hoger kader",
            "politiek*", "gemeenteraad", "beslissing*", "beslissers", "nota", "nota's", "hiërarchie"),
    "werkvloer": ("werkvloer", "vloer", "frontlijn*", "terrein", "beneden", "loketmedewerker*",
                  "frontlijnwerker*", "uitvoerend*"),
    # not bare "nergens" ("nergens terecht" is access, "nergens Nederlands horen" is language) nor
    # bare "gehoord" ("ik heb gehoord dat …"): they grouped unrelated sentences on the demo corpus
    "verloren": ("verloren", "verlies", "verdwijn*", "verdwenen", "niets mee", "niet gehoord", "nooit gehoord",
                 "blijft|blijven … liggen", "onderweg", "landen|landt", "niet … opgepikt"),
    # "Systemen en protocollen": systemen, protocollen, procedures, regelgeving in de weg
    "regels": ("regel", "regels", "*regels", "regelgeving", "reglement*", "*reglement", "procedure*",
               "*procedure", "*procedures", "protocol*", "systeem", "systemen", "*systeem", "programma",
               "*programma", "formulier*", "attest*", "*attest", "voorwaarde*", "wetgeving", "*wetgeving",
               "statuut", "statutair*", "administratie*", "bureaucrat*", "richtlijn*", "criteria",
               "vereiste*", "*vereisten"),
    "blokkeren": ("laat|laten|liet … niet toe", "toelaten", "mag|mogen|mocht … niet|pas", "weiger*",
                  "verbied*", "verboden", "geen ruimte", "in de weg", "blokk*", "niet mogelijk",
                  "onmogelijk", "zolang", "pas … als", "belemmer*", "verhinder*", "vastzitten", "zit|zitten … vast"),
    # "Taal en communicatie": taal als drempel
    "taal": ("taal", "talen", "*taal", "taal*", "nederlands", "nederlandstalig*", "frans", "engels",
             "arabisch", "turks", "*talig", "*talige", "anderstalig*", "tolk*", "*tolk", "*tolken",
             "spreekt|spreken|sprak", "verstaan|verstaat", "begrijpen|begrijpt|begrepen", "nt2",
             "beheers*", "meertalig*"),
    "toegang": ("toegang*", "toegankelijk*", "drempel*", "*drempel", "deur", "de weg … vinden",
                "terecht*", "durven|durft", "onthaal", "aankloppen", "bereikbaar", "onbereikbaar",
                "uitgesloten", "uitsluiting"),
    # "de ware hefbomen ... op bovenlokaal niveau, zowel bij Vlaanderen als federaal"
    "hoger_niveau": ("vlaanderen", "vlaams*", "federa*", "*overheid", "overheid", "regering", "minister*",
                     "bovenlokaal*", "hoger … niveau", "hogere overheid", "andere niveaus", "koepel*"),
    # the report's list of "instrumenten en hefbomen waar men slechts beperkt toegang toe heeft"
    "bovenlokale_instrumenten": ("leefloon", "armoedegrens", "uitkering*", "*uitkering", "*uitkeringen",
                                 "inkomensbescherming", "inburgering*", "*inburgering", "lerarenopleiding",
                                 "sociale huisvesting", "sociale woning*", "huurmarkt", "arbeidsmarkt"),
    "beslissen": ("beslis*", "bevoegd*", "hefboom", "hefbomen", "in handen", "geen vat", "vat op",
                  "zeggenschap", "kunnen … weinig aan", "weinig aan veranderen", "niet aan ons"),
    # "Samen (met de overtuigden)": dezelfde spelers, de reeds overtuigden
    "dezelfde_mensen": ("dezelfde", "overtuigd*", "de eigen groep", "eigen kring", "de gekende",
                        "bekende gezichten", "spelers"),
    "bereik": ("bereik*", "bereikt", "doelgroep*", "opkomst", "intekenen",
               "deelnemer*", "deelnemen", "deelnam*", "komen|komt|kwamen … niet", "zien|zagen … nooit|niet",
               "krijgen … nooit|niet"),
    "bijeenkomst": ("avond*", "*avond", "*avonden", "campagne*", "*campagne", "inspraak*", "bijeenkomst*",
                    "sessie*", "*sessie", "infomoment*", "vergadering*", "*vergadering", "workshop*",
                    "activiteit*", "*activiteiten"),
}

CONCEPT_LABELS: dict[str, str] = {
    "project": "projecten", "tijdelijk": "tijdelijk", "geld": "middelen", "structureel": "structurele verankering",
    "signaal": "signalen", "top": "beleid en top", "werkvloer": "werkvloer", "verloren": "gaat verloren",
    "regels": "regels en procedures", "blokkeren": "blokkeren", "taal": "taal", "toegang": "toegang en drempels",
    "hoger_niveau": "hoger beleidsniveau", "bovenlokale_instrumenten": "bovenlokale instrumenten", "beslissen": "beslissingsmacht", "dezelfde_mensen": "dezelfde mensen",
    "bereik": "bereik", "bijeenkomst": "bijeenkomsten en campagnes",
}


_CONCEPT_GROUPS = tuple(CONCEPTS.values())


def concept_hits(words: list[str], lemmas: list[str]) -> list[str]:
    """The concepts (keys of CONCEPTS) a sentence names."""
    return [c for c, hits in zip(CONCEPTS, match_groups(_CONCEPT_GROUPS, words, lemmas)) if hits]


@dataclass(frozen=True)
class Family:
    """A mechanism the 2019 report found recurring, as a relation between concepts: a statement
    belongs to it when it names a core concept and a partner concept ("projects" and "temporary";
    "signals" and "the top"). Two core concepts alone ("project" and "geld") are no relation."""

    id: str
    label: str  # short Dutch label, in the report's words
    core: tuple[str, ...]
    partners: tuple[str, ...]
    source: str  # where in the 2019 report

    def score(self, concepts: set[str]) -> int:
        """Number of the family's concepts named, 0 when the statement does not relate two of them."""
        core = concepts & set(self.core)
        partners = concepts & set(self.partners)
        if not core or not partners:
            return 0
        return len(core) + len(partners)


# The deductive codebook: the recurring mechanisms of the 2019 report ("Het stropt", the bullet
# lists of "Men geeft aan dat …", "Samen (met de overtuigden)", the closing on bovenlokale
# hefbomen). A new round is coded against it, and everything it does not cover goes to the
# inductive grouping, so new mechanisms still surface.
CODEBOOK: tuple[Family, ...] = (
    Family("projecten_tijdelijk", "Projecten blijven klein en tijdelijk en worden niet verankerd",
           core=("project", "geld"), partners=("tijdelijk", "structureel"),
           source="Men geeft aan dat projecten onvoldoende verankerd worden; projecten tijdelijk gesubsidieerd"),
    Family("signalen_verloren", "Signalen van de werkvloer gaan verloren op weg naar boven",
           core=("signaal", "werkvloer"), partners=("top", "verloren"),
           source="Het stropt: Van beneden en boven en hetgeen verloren gaat"),
    Family("systemen_blokkeren", "Systemen, procedures en regels staan goed werk in de weg",
           core=("regels",), partners=("blokkeren",),
           source="Het stropt: Systemen en protocollen"),
    Family("taal_drempel", "Taal is een drempel tot diensten, werk en school",
           core=("taal",), partners=("toegang", "blokkeren", "bereik"),
           source="Taal en communicatie: taal vormt vaak een drempel"),
    Family("hefbomen_hoger", "De echte hefbomen liggen op een hoger beleidsniveau",
           core=("hoger_niveau", "bovenlokale_instrumenten"), partners=("beslissen", "blokkeren"),
           source="instrumenten en hefbomen op bovenlokaal niveau, bij Vlaanderen en federaal"),
    Family("dezelfde_mensen", "Men bereikt vooral dezelfde, reeds overtuigde mensen",
           core=("dezelfde_mensen", "bereik"), partners=("bijeenkomst",),
           source="Samen (met de overtuigden): men ziet vaak dezelfde spelers en deelnemers"),
)


def family_of(concepts: str | set[str], codebook: tuple[Family, ...] = CODEBOOK) -> str:
    """The codebook family a statement belongs to ("" for none): the family with the most of its
    concepts named; ties go to the family listed first."""
    names = set(filter(None, concepts.split(";"))) if isinstance(concepts, str) else set(concepts)
    best, best_score = "", 0
    for family in codebook:
        score = family.score(names)
        if score > best_score:
            best, best_score = family.id, score
    return best
