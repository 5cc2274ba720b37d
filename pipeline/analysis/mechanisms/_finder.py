"""Recurring mechanisms: the same concern, obstacle or dynamic said in many cities, under many themes.

The steps, all deterministic:

0. pipeline.functions tags each sentence with its function (need, barrier, concern, …).

1. `extract_claims(sentences, tokens)`: cause → effect, obstacle → blocked goal and
   expectation ↔ reality (contrast) claims, found with Dutch connectives and verbs over tokens
   (CONNECTIVES below: omdat, doordat, waardoor, zodat, daardoor, leidt tot, zorgt voor, staat …
   in de weg, belemmert, verhindert, ten koste van, zolang, zonder … geen, maar, terwijl, …).
   Every claim keeps its evidence sentence; the spans are cut at the connective, so they are
   the speaker's words, not a paraphrase.

2. `candidate_statements(...)`: sentences of analysed, non-facilitator segments that relate two
   things: they name two MECHANISM CONCEPTS (CONCEPTS below: projects and temporary money,
   structural anchoring, signals from the front line, the top of the organisation, rules and
   procedures, blocking, language, access, higher government, reaching the same people, …) or
   hold a cause/obstacle claim. The concept lists were written from the vocabulary of the 2019
   Stadsgenoten report ("Het stropt", "Men geeft aan dat …") and plain Dutch synonyms. Tables
   and run-on lists are left out.

3. `find_recurring(statements, segments, cfg, vectors, themes)`, deterministic:
   - deductive: a statement that relates a core and a partner concept of a CODEBOOK family (the
     report's recurring mechanisms: projects stay temporary, signals get lost on the way up,
     systems block, language is a threshold, the levers lie higher up, one reaches the same
     people) and is a problem statement is coded under that family;
   - inductive: all other statements are clustered (average linkage, cosine distance ≤
     cfg.distance_threshold) on three L2-normalised, weighted blocks: the sentence embedding
     (pipeline.embed), the content lemmas (TF-IDF) and the concepts with concept pairs; so
     mechanisms the codebook does not know still surface. Groups from two or more cases whose
     centres lie within the same distance are then joined (closest first): average linkage
     leaves paraphrase fragments of one concern apart ("het tolkenbudget volstaat niet" / "het
     budget voor sociaal tolken is te krap").
   A group is reported when its statements come from ≥ cfg.min_cases cases, no case holds more
   than cfg.max_share_per_case of them, it crosses ≥ cfg.min_themes themes, and (inductive)
   ≥ cfg.min_problem_share of its statements are problem statements. Identical sentences within
   one case count once. Groups are numbered M01, M02, … by spread, then cohesion, then size.
   `use_codebook=False` turns the deductive step off (for corpora outside city consultations,
   where the report's families misfire: see benchmarks/mechanisms.py).

4. `run_mechanisms(...)`: steps 1-3 in one call, as run.analyse wires them.

Per mechanism: a short Dutch label (a codebook family's label in the report's words, else its
three most distinctive lemmas by class-based TF-IDF, as the themes are labelled), the cases, the themes and sessions it crosses, front
line vs management, a quote per case (its most central statement there) and a spread score
(n_cases / all cases) with the normalised entropy of its statements over cases.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ...cache import code_version, content_hash, frame_hash
from ...config import MechanismConfig, section_hash
from ...language import match_cues, match_groups, sentence_tokens
from ...schema import TABLES

__all__ = ["MechanismConfig", "CONNECTIVES", "CONCEPTS", "CONCEPT_LABELS", "extract_claims",
           "candidate_statements", "find_recurring", "segment_mechanisms", "sentence_vectors",
           "concept_hits", "level_of", "CLAIM_COLUMNS", "MECHANISM_COLUMNS", "EVIDENCE_COLUMNS",
           "run_mechanisms", "MechanismResult", "CODEBOOK", "family_of"]




# ------------------------------------------------------------------------------ claims

# (kind, pattern, direction). Pattern language as in pipeline.functions (| alternatives,
# * wildcards, … gaps). direction says which side of the connective holds what:
#   "effect_after"  cause … CONNECTIVE effect     (waardoor, zodat, leidt tot, zorgt voor)
#   "cause_after"   effect … CONNECTIVE cause     (omdat, doordat, want, wegens)
#   "goal_after"    obstacle … CONNECTIVE goal    (belemmert, verhindert, laat niet toe)
#   "goal_inside"   obstacle staat goal in de weg
#   "previous"      the previous sentence is the cause, this sentence the effect (Daardoor …)
#   "contrast"      expectation … CONNECTIVE reality (maar, terwijl)
CONNECTIVES: tuple[tuple[str, str, str], ...] = (
    ("cause_effect", "omdat", "cause_after"),
    ("cause_effect", "doordat", "cause_after"),
    ("cause_effect", "aangezien", "cause_after"),
    ("cause_effect", "vermits", "cause_after"),
    ("cause_effect", "want", "cause_after"),
    ("cause_effect", "wegens", "cause_after"),
    ("cause_effect", "vanwege", "cause_after"),
    ("cause_effect", "als|ten gevolg van", "cause_after"),
    ("cause_effect", "door het|de|die|dat|hun|onze|ons|zijn|haar|een|al|te", "cause_after"),
    ("cause_effect", "dankzij", "cause_after"),
    ("cause_effect", "waardoor", "effect_after"),
    ("cause_effect", "zodat", "effect_after"),
    ("cause_effect", "met als gevolg", "effect_after"),
    ("cause_effect", "met als resultaat", "effect_after"),
    ("cause_effect", "leidt|leiden|leidde|leidden|geleid tot", "effect_after"),
    ("cause_effect", "zorgt|zorgen|zorgde|zorgden voor", "effect_after"),
    ("cause_effect", "resulteert|resulteren|resulteerde in", "effect_after"),
    ("cause_effect", "veroorzaakt|veroorzaken|veroorzaakte", "effect_after"),
    ("cause_effect", "heeft|hebben tot gevolg", "effect_after"),
    ("cause_effect", "maakt|maken|maakte dat", "effect_after"),
    ("cause_effect", "draagt|dragen bij tot|aan", "effect_after"),
    ("cause_effect", "ten koste van", "effect_after"),
    ("cause_effect", "dus", "effect_after"),
    ("cause_effect", "bijgevolg", "effect_after"),
    ("cause_effect", "daardoor|hierdoor|daarom|daardoor|zodoende", "previous"),
    ("obstacle_goal", "belemmert|belemmeren|belemmerde|belemmerd", "goal_after"),
    ("obstacle_goal", "verhindert|verhinderen|verhinderde", "goal_after"),
    ("obstacle_goal", "blokkeert|blokkeren|blokkeerde", "goal_after"),
    ("obstacle_goal", "bemoeilijkt|bemoeilijken", "goal_after"),
    ("obstacle_goal", "laat|laten|liet … niet toe", "goal_after"),
    ("obstacle_goal", "weigert|weigeren|weigerde", "goal_after"),
    ("obstacle_goal", "drempel|drempels tot|naar|voor|om", "goal_after"),
    ("obstacle_goal", "maakt|maken … onmogelijk|moeilijk|moeilijker", "goal_inside"),
    ("obstacle_goal", "staat|staan|stond|stonden|zit|zitten … in de weg", "goal_inside"),
    ("obstacle_goal", "houdt|houden … tegen", "goal_inside"),
    ("obstacle_goal", "zolang", "condition"),
    ("obstacle_goal", "zonder … geen", "condition"),
    ("obstacle_goal", "pas … als|wanneer|nadat", "condition"),
    ("contrast", "maar", "contrast"),
    ("contrast", "terwijl", "contrast"),
    ("contrast", "hoewel|ofschoon", "contrast"),
    ("contrast", "ondanks", "contrast"),
    ("contrast", "nochtans", "contrast"),
    ("contrast", "toch", "contrast"),
)

CLAIM_COLUMNS = list(TABLES["claims"].columns)

_PUNCT_STRIP = " ,;:.-–—\"'«»“”‘’()"


def _span(words_text: list[str], starts: list[int], text: str, i: int, j: int) -> str:
    """Sentence text from token i (inclusive) to token j (exclusive), stripped of edge punctuation."""
    if i >= j or i >= len(starts):
        return ""
    end = starts[j] if j < len(starts) else len(text)
    return text[starts[i]:end].strip(_PUNCT_STRIP)


_CONNECTIVE_PATTERNS = tuple(p for _, p, _ in CONNECTIVES)
_CONNECTIVE_META = {p: (k, d) for k, p, d in CONNECTIVES}


def _claims_in_sentence(words: list[str], lemmas: list[str], starts: list[int], text: str,
                        previous: str) -> list[dict]:
    out = []
    seen_kinds: set[tuple[str, str]] = set()
    for s, e, pattern in match_cues(_CONNECTIVE_PATTERNS, words, lemmas):
        kind, direction = _CONNECTIVE_META[pattern]
        connective = " ".join(words[s:e])
        head = words[s]
        # a comma or clause boundary after the first clause, for sentence-initial subordinators
        comma = next((k for k in range(e, len(words)) if words[k] in {",", ";", ":"}), None)
        if direction == "cause_after":
            # the cause runs from after the connective word(s); "door de …" keeps its noun phrase
            cause_from = s + 1 if head == "door" else e
            if s == 0 and comma is not None:  # "Omdat X, Y" / "Door X, Y"
                cause = _span(words, starts, text, cause_from, comma)
                effect = _span(words, starts, text, comma + 1, len(words))
            else:
                cause = _span(words, starts, text, cause_from, len(words))
                effect = _span(words, starts, text, 0, s)
        elif direction == "effect_after":
            cause, effect = _span(words, starts, text, 0, s), _span(words, starts, text, e, len(words))
        elif direction == "goal_after":
            cause, effect = _span(words, starts, text, 0, s), _span(words, starts, text, e, len(words))
        elif direction == "goal_inside":
            # "X staat Y in de weg": obstacle before the verb, goal between verb and "in de weg"
            cause, effect = _span(words, starts, text, 0, s), _span(words, starts, text, s + 1, e - 3 if
                                                                    words[e - 1] == "weg" else e - 1)
        elif direction == "condition":
            if head in {"zolang", "zonder"} and comma is not None and comma > s:
                cause, effect = _span(words, starts, text, s, comma), _span(words, starts, text, comma + 1, len(words))
            elif head in {"zolang", "zonder"}:
                cause, effect = _span(words, starts, text, s, len(words)), _span(words, starts, text, 0, s)
            else:  # "pas … als X": goal before "als", condition after it
                cause, effect = _span(words, starts, text, e - 1, len(words)), _span(words, starts, text, 0, e - 1)
        elif direction == "previous":
            if s > 1:
                continue  # mid-sentence "daarom" refers inside the sentence; left to the other rules
            cause, effect = previous.strip(), _span(words, starts, text, e, len(words))
        else:  # contrast
            if s == 0:
                cause, effect = previous.strip(), _span(words, starts, text, e, len(words))
            else:
                cause, effect = _span(words, starts, text, 0, s), _span(words, starts, text, e, len(words))
        if len(cause.split()) < 2 or len(effect.split()) < 2:
            continue
        if (kind, connective) in seen_kinds:
            continue
        seen_kinds.add((kind, connective))
        out.append({"kind": kind, "connective": connective, "cause": cause, "effect": effect})
    return out


def extract_claims(sentences: pd.DataFrame, tokens: pd.DataFrame, by_sentence: dict | None = None) -> pd.DataFrame:
    """Claims per sentence: kind (cause_effect | obstacle_goal | contrast), connective, the cause
    (or obstacle, or expectation) and the effect (or blocked goal, or reality), and the evidence
    sentence. A sentence can hold several claims; most hold none."""
    by_sentence = sentence_tokens(tokens) if by_sentence is None else by_sentence
    rows = []
    previous_text = ""
    previous_seg = None
    for seg_id, sent, start, text in zip(sentences["segment_id"], sentences["sent"], sentences["start_char"],
                                         sentences["text"]):
        if seg_id != previous_seg:
            previous_text = ""
        st = by_sentence.get((seg_id, int(sent)))
        if st is not None:
            starts = [c - int(start) for c in st.start_char]
            for claim in _claims_in_sentence(st.words, st.lemmas, starts, text, previous_text):
                rows.append({"segment_id": seg_id, "sent": int(sent), **claim, "evidence": text})
        previous_text, previous_seg = text, seg_id
    out = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    out["sent"] = out["sent"].astype("int64")
    return out


# ------------------------------------------------------------------------------ concepts

# Organisational dynamics, written from the 2019 report's vocabulary plus plain synonyms.
# Pattern language as in pipeline.functions. A sentence "names" a concept when a pattern matches.
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


# ------------------------------------------------------------------------------ candidates

PROBLEM_FUNCTIONS = frozenset({"barrier", "concern", "need", "tension", "wish"})
# Concepts that say by themselves that something goes wrong: it ends, gets lost, is blocked.
NEGATIVE_CONCEPTS = frozenset({"tijdelijk", "verloren", "blokkeren"})

# Speaker labels and roles that speak for management; everybody else is front line.
_MANAGEMENT = re.compile(r"directeur|directie|diensthoofd|managementteam|management|schepen|burgemeester|"
                         r"stadssecretaris|leidinggevend|afdelingshoofd|beleidsmedewerker|"
                         r"stadsadministratie|kabinet", re.I)


def level_of(speaker: str, role: str, session: str) -> str:
    """'management' or 'frontlijn' for one segment: the speaker label decides when it says
    something, else the session (metagesprek, schriftelijke antwoorden = management), else
    the participants' roles."""
    if speaker and not re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+", speaker.strip()):  # a bare first name says nothing
        return "management" if _MANAGEMENT.search(speaker) else "frontlijn"
    if re.search(r"metagesprek|schriftelijk", session or "", re.I):
        return "management"
    return "management" if _MANAGEMENT.search(role or "") and not re.search(
        r"frontlijn|werker|brugfig|medewerker|consulent", role or "", re.I) else "frontlijn"


def candidate_statements(sentences: pd.DataFrame, tokens: pd.DataFrame, functions: pd.DataFrame,
                         claims: pd.DataFrame, segments: pd.DataFrame, cfg: MechanismConfig,
                         by_sentence: dict | None = None) -> pd.DataFrame:
    """Sentences that may state a mechanism or concern, with their case, session, theme, level,
    function, claim kinds, concepts and content lemmas. Facilitator turns and segments that are
    not analysed never enter (sentences exist only for analysed segments)."""
    seg = segments.set_index("segment_id")
    info = {}
    for column in ("case", "session", "role", "speaker", "theme_id", "source_file"):
        info[column] = (seg[column].fillna("").astype(str).to_dict() if column in seg
                        else dict.fromkeys(seg.index, ""))
    facilitator = (seg["is_facilitator"].astype(bool).to_dict() if "is_facilitator" in seg
                   else dict.fromkeys(seg.index, False))
    fun = {(a, int(b)): (f, fs, bool(n)) for a, b, f, fs, n in zip(
        functions["segment_id"], functions["sent"], functions["function"], functions["functions"],
        functions["negated"])}
    claim_kinds: dict[tuple[str, int], list[str]] = {}
    connectives: dict[tuple[str, int], list[str]] = {}
    for a, b, k, c in zip(claims["segment_id"], claims["sent"], claims["kind"], claims["connective"]):
        claim_kinds.setdefault((a, int(b)), []).append(k)
        connectives.setdefault((a, int(b)), []).append(c)
    by_sentence = sentence_tokens(tokens) if by_sentence is None else by_sentence
    rows = []
    for seg_id, sent, text in zip(sentences["segment_id"], sentences["sent"], sentences["text"]):
        if seg_id not in facilitator or facilitator[seg_id]:
            continue
        key = (seg_id, int(sent))
        st = by_sentence.get(key)
        if st is None:
            continue
        words, lemmas = st.words, st.lemmas
        content = [lm for lm, a, s in zip(lemmas, st.is_alpha, st.is_stop) if a and not s and len(lm) >= 3]
        if len(content) < cfg.min_content_words or len(words) > cfg.max_tokens:
            continue
        if st.digit_words > 0.2 * len(words):  # a table row, not a statement
            continue
        function, fs, negated = fun.get(key, ("statement", "statement", False))
        fset = set(fs.split(";"))
        kinds = ";".join(sorted(set(claim_kinds.get(key, []))))
        if function == "question":
            continue
        concepts = concept_hits(words, lemmas)
        relational = len(concepts) >= 2 or bool(set(kinds.split(";")) & {"cause_effect", "obstacle_goal"})
        problem = bool(fset & PROBLEM_FUNCTIONS) or bool(kinds) or negated or bool(set(concepts) & NEGATIVE_CONCEPTS)
        if not (relational if cfg.candidates == "relational" else relational or problem):
            continue
        rows.append({
            "segment_id": seg_id, "sent": int(sent), "text": text, "case": info["case"][seg_id],
            "session": info["session"][seg_id], "role": info["role"][seg_id], "speaker": info["speaker"][seg_id],
            "theme_id": info["theme_id"][seg_id], "source_file": info["source_file"][seg_id],
            "level": level_of(info["speaker"][seg_id], info["role"][seg_id], info["session"][seg_id]),
            "function": function, "claims": kinds, "connectives": "; ".join(dict.fromkeys(connectives.get(key, []))),
            "concepts": ";".join(concepts), "lemmas": content, "problem": problem,
        })
    return pd.DataFrame(rows, columns=["segment_id", "sent", "text", "case", "session", "role", "speaker",
                                       "theme_id", "source_file", "level", "function", "claims", "connectives",
                                       "concepts", "lemmas", "problem"])


# ------------------------------------------------------------------------------ vectors

def sentence_vectors(sentences: pd.DataFrame, embed_cfg, cache=None) -> np.ndarray | None:
    """One embedding per row of `sentences`, from the embed stage's per-document cache."""
    from ...language._embed import embed_sentences

    return embed_sentences(sentences, embed_cfg, cache)


def _l2(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def _concept_matrix(concepts: pd.Series, single_weight: float = 1.0) -> np.ndarray:
    """Concepts and concept pairs per statement (binary). Pairs matter: a mechanism relates two
    things (projects and temporary money, signals and the top, language and access), so two
    statements naming the same pair are closer than two that share one concept."""
    names = list(CONCEPTS)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    pair_index = {p: len(names) + k for k, p in enumerate(pairs)}
    m = np.zeros((len(concepts), len(names) + len(pairs)))
    for i, cs in enumerate(concepts):
        present = [c for c in names if c in set(filter(None, cs.split(";")))]
        for c in present:
            m[i, names.index(c)] = single_weight
        for k, a in enumerate(present):
            for b in present[k + 1:]:
                m[i, pair_index[(a, b)]] = 1.0
    return m


class _Blocks:
    """The statements' feature blocks (embedding, lemma TF-IDF, concepts), each row L2-normalised and
    weighted. Similarities are computed block by block, as if the weighted blocks were stacked into
    one L2-normalised vector, without building that dense matrix: the TF-IDF block stays sparse, so
    memory and time grow with the number of statement pairs, not with the vocabulary too."""

    def __init__(self, statements: pd.DataFrame, vectors: np.ndarray | None, cfg: MechanismConfig):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer

        n = len(statements)
        blocks, weights = [], []
        if vectors is not None and len(vectors) and cfg.weight_embedding > 0:
            blocks.append(_l2(np.asarray(vectors, dtype=np.float64)))
            weights.append(cfg.weight_embedding)
        if cfg.weight_lexical > 0:
            vec = TfidfVectorizer(analyzer=lambda x: x, min_df=2, sublinear_tf=True)  # rows come L2-normalised
            try:
                lex = vec.fit_transform(list(statements["lemmas"])).tocsr()
            except ValueError:  # empty vocabulary
                lex = sparse.csr_matrix((n, 1))
            blocks.append(lex)
            weights.append(cfg.weight_lexical)
        if cfg.weight_concepts > 0:
            blocks.append(_l2(_concept_matrix(statements["concepts"], cfg.single_concept_weight)))
            weights.append(cfg.weight_concepts)
        total = sum(weights) or 1.0
        self.blocks = blocks
        self.weights = [w / total for w in weights]
        present = np.zeros(n)
        for w, b in zip(self.weights, blocks):
            nonzero = (b.getnnz(axis=1) > 0) if sparse.issparse(b) else (np.abs(b).sum(axis=1) > 0)
            present += w * nonzero
        self.norm = np.sqrt(present)  # norm of a row of the stacked weighted blocks
        # a statement with nothing to compare stays on its own (cosine needs a direction)
        self.empty = self.norm == 0

    def similarity(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cosine similarity of the statements `rows` to the statements `cols`, shape (rows, cols)."""
        from scipy import sparse

        out = np.zeros((len(rows), len(cols)))
        for w, b in zip(self.weights, self.blocks):
            part = b[rows] @ b[cols].T
            out += w * (part.toarray() if sparse.issparse(part) else part)
        norm_r, norm_c = self.norm[rows], self.norm[cols]
        out /= np.outer(np.where(norm_r == 0, 1, norm_r), np.where(norm_c == 0, 1, norm_c))
        same = rows[:, None] == cols[None, :]
        out[same & self.empty[rows][:, None]] = 1.0
        return out

    def member_gram(self, groups: list[np.ndarray]) -> np.ndarray:
        """Dot products of the groups' member sums (sum of members' stacked unit vectors), (g, g)."""
        from scipy import sparse

        n = len(self.norm)
        rows = np.concatenate([np.full(len(g), k) for k, g in enumerate(groups)])
        cols = np.concatenate(groups)
        scale = np.where(self.norm == 0, 0.0, 1.0 / np.where(self.norm == 0, 1, self.norm))
        membership = sparse.csr_matrix((scale[cols], (rows, cols)), shape=(len(groups), n))
        gram = np.zeros((len(groups), len(groups)))
        for w, b in zip(self.weights, self.blocks):
            sums = membership @ b  # stays sparse for the TF-IDF block
            product = sums @ sums.T
            gram += w * (product.toarray() if sparse.issparse(product) else np.asarray(product))
        return gram

    def condensed_distances(self, rows: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """1 - similarity among `rows`, in scipy's condensed (upper triangle) form."""
        n = len(rows)
        out = np.empty(n * (n - 1) // 2)
        at = 0
        for lo in range(0, n, chunk):
            sims = self.similarity(rows[lo:lo + chunk], rows)
            for i in range(lo, min(lo + chunk, n)):
                part = 1.0 - sims[i - lo, i + 1:]
                out[at:at + len(part)] = part
                at += len(part)
        return np.clip(out, 0.0, 2.0)


# ------------------------------------------------------------------------------ codebook

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


# ------------------------------------------------------------------------------ grouping

MECHANISM_COLUMNS = list(TABLES["mechanisms"].columns)
EVIDENCE_COLUMNS = list(TABLES["mechanism_evidence"].columns)


def _entropy(counts: list[int]) -> float:
    total = sum(counts)
    if total == 0 or len(counts) < 2:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in counts if c)
    return h / math.log(len(counts))


def _merge_fragments(groups: list[np.ndarray], blocks: "_Blocks", cases: np.ndarray,
                     threshold: float) -> list[np.ndarray]:
    """Join groups from more than one case whose centres are within `threshold` cosine distance.

    Average linkage compares every statement with every other, so two tight groups that say the
    same thing in other words ("het tolkenbudget volstaat niet" / "het budget voor sociaal tolken
    is te krap") can stay apart although their centres nearly coincide. Closest pair first (a
    merged centre is the mean of all its members), until no pair is close enough; a join is
    refused when the mean similarity over all member pairs of the result would fall below
    1 - threshold. Ties go to the earlier groups, so the result is deterministic."""
    multi = [g for g in groups if len(set(cases[g])) >= 2]
    rest = [g for g in groups if len(set(cases[g])) < 2]
    if len(multi) < 2:
        return groups
    # Gram matrix of the groups' member sums: a merge adds two rows and columns, and only the merged
    # group's similarities change, so a merge costs one pass over the similarity matrix
    gram = blocks.member_gram(multi)
    norms = np.sqrt(np.maximum(np.diag(gram), 1e-24))
    sims = np.round(gram / np.outer(norms, norms), 9)
    np.fill_diagonal(sims, -np.inf)
    alive = np.ones(len(multi), dtype=bool)
    while True:
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < 1.0 - threshold:
            break
        i, j = min(i, j), max(i, j)
        # the joined group must stay as tight as the cut asks of any pair, on average over all
        # its members: without this, centres drift and topical catch-alls grow on long corpora
        size = len(multi[i]) + len(multi[j])
        if (gram[i, i] + 2 * gram[i, j] + gram[j, j]) / size ** 2 < 1.0 - threshold:
            sims[i, j] = sims[j, i] = -np.inf
            continue
        multi[i] = np.sort(np.concatenate([multi[i], multi[j]]))
        gram[i, :] += gram[j, :]
        gram[:, i] += gram[:, j]
        alive[j] = False
        norms[i] = np.sqrt(max(gram[i, i], 1e-24))
        row = np.round(gram[i] / (norms[i] * norms), 9)
        row[~alive] = -np.inf
        row[i] = -np.inf
        sims[i, :] = row
        sims[:, i] = row
        sims[j, :] = -np.inf
        sims[:, j] = -np.inf
    kept = [g for g, a in zip(multi, alive) if a]
    return sorted(kept + rest, key=lambda g: int(g[0]))


def find_recurring(statements: pd.DataFrame, segments: pd.DataFrame, cfg: MechanismConfig = MechanismConfig(),
                   vectors: np.ndarray | None = None, themes: pd.DataFrame | None = None,
                   all_cases: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mechanisms, evidence) from candidate statements (see candidate_statements); `vectors` are
    the statements' sentence embeddings, row-aligned (None = lexical and concepts only).

    Deductive first: statements that relate two concepts of a CODEBOOK family are grouped under
    that family. Inductive next: the other statements are clustered (average linkage, cosine
    distance ≤ cfg.distance_threshold on embedding + lemma + concept features), and fragments
    with nearly the same centre are joined (_merge_fragments). Either kind of
    group is reported when it recurs in ≥ cfg.min_cases cases, no case holds more than
    cfg.max_share_per_case of it, and it crosses ≥ cfg.min_themes themes; inductive groups must
    also be cohesive (≥ cfg.min_cohesion) and mostly problem statements (≥ cfg.min_problem_share)."""
    import fastcluster
    from scipy.cluster.hierarchy import fcluster

    empty = (pd.DataFrame(columns=MECHANISM_COLUMNS), pd.DataFrame(columns=EVIDENCE_COLUMNS))
    # The same sentence twice in one case (a written answer pasted under two questions) counts once.
    statements = statements.reset_index(drop=True)
    folded = statements["text"].str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    first = ~pd.DataFrame({"c": statements["case"], "t": folded}).duplicated().to_numpy()
    statements = statements[first].reset_index(drop=True)
    if vectors is not None:
        vectors = np.asarray(vectors)[first]
    if len(statements) < max(2, cfg.min_cases):
        return empty
    if all_cases is None:
        all_cases = sorted(set(segments["case"])) if "case" in segments else sorted(set(statements["case"]))
    blocks = _Blocks(statements, vectors, cfg)

    families = (statements["concepts"].map(lambda c: family_of(c)) if cfg.use_codebook
                else pd.Series("", index=statements.index))
    if cfg.codebook_needs_problem:  # "het stropt": a codebook mechanism is something going wrong
        families = families.where(statements["problem"].astype(bool), "")
    raw_groups: list[tuple[str, str, np.ndarray]] = []  # (source, family, member rows)
    for family in CODEBOOK if cfg.use_codebook else ():
        idx = np.flatnonzero((families == family.id).to_numpy())
        if len(idx):
            raw_groups.append(("codeboek", family.id, idx))
    rest = np.flatnonzero((families == "").to_numpy())
    if len(rest) >= 2:
        # Average linkage on the condensed cosine distances; merges stop below the threshold
        # (scipy's "distance" cut keeps merges <= t, so t is the largest float under it).
        # fastcluster works in place on the condensed distances (scipy copies them: +0.7 GB for the
        # 13,300 statements of 1.5 M words); same tree
        tree = fastcluster.linkage(blocks.condensed_distances(rest), method="average", preserve_input=False)
        labels = fcluster(tree, t=np.nextafter(cfg.distance_threshold, -np.inf), criterion="distance")
        found = [rest[labels == lab] for lab in sorted(set(labels))]
        for idx in _merge_fragments(found, blocks, statements["case"].to_numpy(), cfg.distance_threshold):
            raw_groups.append(("inductief", "", idx))

    has_themes = bool((statements["theme_id"].fillna("") != "").any())  # no theme model: nothing to cross
    groups = []
    for source, family, idx in raw_groups:
        members = statements.iloc[idx]
        case_counts = Counter(members["case"])
        if len(case_counts) < cfg.min_cases:
            continue
        if max(case_counts.values()) / len(members) > cfg.max_share_per_case:
            continue
        themes_crossed = sorted({t for t in members["theme_id"] if t})
        if has_themes and len(themes_crossed) < cfg.min_themes:
            continue
        # cosine of each member to the group's mean vector, from the member-by-member similarities
        within = blocks.similarity(idx, idx)
        sims = within.mean(axis=1) / max(float(np.sqrt(max(within.mean(), 0.0))), 1e-12)
        cohesion = float(sims.mean())
        if source == "inductief":
            problem = members["problem"].astype(bool).mean()
            if cohesion < cfg.min_cohesion or problem < cfg.min_problem_share:
                continue
        groups.append((idx, members, case_counts, themes_crossed, sims, cohesion, source, family))

    # Spread first, then cohesion, then size; ties by first statement: deterministic numbering.
    groups.sort(key=lambda g: (-len(g[2]), -round(g[5], 3), -len(g[0]), int(g[0][0])))
    from ..themes._model import _ctfidf

    ranked = _ctfidf([[t for ls in g[1]["lemmas"] for t in ls] for g in groups]) if groups else []
    family_labels = {f.id: f.label for f in CODEBOOK}
    mech_rows, ev_rows = [], []
    for n, (g, top) in enumerate(zip(groups, ranked), start=1):
        idx, members, case_counts, themes_crossed, sims, cohesion, source, family = g
        mid = f"M{n:02d}"
        concept_counts = Counter(c for cs in members["concepts"] for c in filter(None, cs.split(";")))
        key_terms = [t for t in top if t not in _LABEL_STOP][: max(cfg.label_terms * 2, 6)]
        # rounded: equal texts in several cases tie exactly, and last-bit noise must not pick the quote
        sims = np.round(sims, 9)
        central = members.iloc[int(np.argmax(sims))]
        if family:
            label = family_labels[family]
        else:
            label = " · ".join(key_terms[: cfg.label_terms]) or _shorten(central["text"], 60)
        order = np.argsort(-sims, kind="stable")
        quote_rows = set()
        for case in case_counts:
            quote_rows.add(next(i for i in order if members.iloc[i]["case"] == case))
        for i in order:
            m = members.iloc[i]
            ev_rows.append({
                "mechanism_id": mid, "segment_id": m["segment_id"], "case": m["case"], "text": m["text"],
                "function": m["function"], "sent": int(m["sent"]), "session": m["session"], "level": m["level"],
                "theme_id": m["theme_id"], "claims": m["claims"], "connectives": m["connectives"],
                "similarity": round(float(sims[i]), 4), "city_quote": bool(i in quote_rows),
            })
        seg_ids = list(dict.fromkeys(members.iloc[order]["segment_id"]))
        levels = Counter(members["level"])
        mech_rows.append({
            "mechanism_id": mid, "label": label, "n_cases": len(case_counts),
            "cases": "; ".join(sorted(case_counts)),
            "themes": "; ".join(themes_crossed),  # bare ids: overrides, report and exports map them
            "n_segments": len(seg_ids), "example_segment_ids": "; ".join(seg_ids[:5]),
            "source": source, "family": family,
            "n_statements": len(members), "spread": round(len(case_counts) / max(len(all_cases), 1), 4),
            "entropy": round(_entropy(list(case_counts.values())), 4), "cohesion": round(cohesion, 4),
            "n_themes": len(themes_crossed),
            "sessions": "; ".join(sorted(set(_session_kind(s) for s in members["session"]))),
            "speakers": "; ".join(sorted({sp for sp in members["speaker"] if sp})),
            "n_frontlijn": int(levels.get("frontlijn", 0)), "n_management": int(levels.get("management", 0)),
            "concepts": "; ".join(f"{c} ({k})" for c, k in concept_counts.most_common(5)),
            "key_terms": "; ".join(key_terms), "central_text": central["text"],
        })
    return (pd.DataFrame(mech_rows, columns=MECHANISM_COLUMNS),
            pd.DataFrame(ev_rows, columns=EVIDENCE_COLUMNS))


_LABEL_STOP = frozenset({"niet", "geen", "meer", "zien", "komen", "gaan", "krijgen", "zitten", "staan",
                         "weten", "mens", "ander", "heel", "echt", "jaar", "keer"})


def _session_kind(session: str) -> str:
    """'gesprekstafel 1: Taal' -> 'gesprekstafel 1'; other sessions as written."""
    return session.split(":")[0].strip() if session else ""


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def segment_mechanisms(segments: pd.DataFrame, evidence: pd.DataFrame) -> pd.Series:
    """The mechanism_ids column of segments.csv: "; "-joined ids per segment, "" for none."""
    ids = {seg: "; ".join(sorted(set(group))) for seg, group in evidence.groupby("segment_id")["mechanism_id"]}
    return pd.Series([ids.get(s, "") for s in segments["segment_id"]], index=segments.index, dtype="string",
                     name="mechanism_ids")


@dataclass
class MechanismResult:
    functions: pd.DataFrame  # one row per sentence (pipeline.functions.tag_functions)
    claims: pd.DataFrame  # CLAIM_COLUMNS
    statements: pd.DataFrame  # the candidate statements
    mechanisms: pd.DataFrame  # mechanisms.csv (MECHANISM_COLUMNS)
    evidence: pd.DataFrame  # mechanism_evidence.csv (EVIDENCE_COLUMNS)
    segment_function: pd.Series  # per segment_id: the segment's function ("" for unanalysed segments)
    segment_mechanism_ids: pd.Series  # per segment_id: "; "-joined mechanism ids ("" for none)


def run_mechanisms(segments: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame,
                   themes: pd.DataFrame | None, cfg: MechanismConfig, embed_cfg=None, cache=None) -> MechanismResult:
    """Functions, claims, candidates and recurring mechanisms for a run. `segments` is the
    segments.csv table (case, session, role, speaker, theme_id, source_file); sentence vectors
    come from the embed stage's cache when it ran with the same backend (else they are encoded).
    With a cache the whole result is cached, keyed on every input column the stage reads."""
    if cache is None or cache.root is None:
        return _run_mechanisms(segments, sentences, tokens, themes, cfg, embed_cfg, cache)
    from ..themes import _model as cluster  # the cue lists, the label ranking, the vectors
    from ...language import _embed as embed
    from .. import _statement_functions as functions

    # how the work is spread does not change the result: not part of the key
    settings = (replace(cfg, n_process=1, parallel_min_sentences=0), embed_cfg)
    inputs = (
        frame_hash(segments, ["segment_id", "case", "session", "role", "speaker", "theme_id", "source_file",
                              "is_facilitator"]),
        frame_hash(sentences, ["segment_id", "sent", "start_char", "text"]),
        frame_hash(tokens, ["segment_id", "sent", "start_char", "text", "lemma", "is_alpha", "is_stop"]),
        frame_hash(themes if themes is not None else pd.DataFrame(), ["theme_id"]))
    key = cache.key("mechanisms", code=(sys.modules[__name__], functions, cluster, embed), settings=settings,
                    inputs=inputs)
    return cache.get_or_build(key, lambda: _run_mechanisms(segments, sentences, tokens, themes, cfg, embed_cfg,
                                                           cache))


_SHARED: dict = {}  # what forked annotation workers read (inherited, never pickled)


def _annotate_range(lo: int, hi: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from .._statement_functions import tag_functions

    sentences, tokens, by_sentence = _SHARED["sentences"], _SHARED["tokens"], _SHARED["by_sentence"]
    part = sentences.iloc[lo:hi]
    return tag_functions(part, tokens, by_sentence), extract_claims(part, tokens, by_sentence)


def _annotate(sentences: pd.DataFrame, tokens: pd.DataFrame, by_sentence: dict, n_process: int,
              min_sentences: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(functions, claims) of every sentence. Every sentence is tagged on its own (claims look back
    one sentence inside the same segment), so above `min_sentences` the sentences are cut at
    segment boundaries into `n_process` parts tagged side by side in forked processes; the tables
    are the same for any number of processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = len(sentences)
    bounds = [0]
    if n_process > 1 and n >= min_sentences:
        seg = sentences["segment_id"].to_numpy()
        for k in range(1, n_process):
            cut = max(bounds[-1], k * n // n_process)
            while 0 < cut < n and seg[cut] == seg[cut - 1]:  # never split a segment
                cut += 1
            bounds.append(cut)
    bounds.append(n)
    ranges = [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a] or [(0, 0)]
    _SHARED.update(sentences=sentences, tokens=tokens, by_sentence=by_sentence)
    try:
        if len(ranges) == 1:
            parts = [_annotate_range(*ranges[0])]
        else:
            with ProcessPoolExecutor(len(ranges) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
                others = [pool.submit(_annotate_range, a, b) for a, b in ranges[1:]]
                parts = [_annotate_range(*ranges[0])] + [f.result() for f in others]
    finally:
        _SHARED.clear()
    if len(parts) == 1:
        return parts[0]
    # concat with an empty part can widen a column to object: keep the dtypes of a one-process run
    tables = []
    for k in (0, 1):
        frames = [p[k] for p in parts]
        model = next((f for f in frames if len(f)), frames[0])  # an empty part has object columns
        tables.append(pd.concat(frames, ignore_index=True).astype(model.dtypes.to_dict()))
    return tables[0], tables[1]


def _run_mechanisms(segments, sentences, tokens, themes, cfg, embed_cfg, cache) -> MechanismResult:
    from .._statement_functions import segment_functions

    by_sentence = sentence_tokens(tokens)
    functions, claims = _annotate(sentences, tokens, by_sentence, cfg.n_process, cfg.parallel_min_sentences)
    segs = segments if "is_facilitator" in segments else segments.assign(is_facilitator=False)
    statements = candidate_statements(sentences, tokens, functions, claims, segs, cfg, by_sentence)
    vectors = None
    if embed_cfg is not None and len(statements):
        ordered = sentences.reset_index(drop=True)
        all_vectors = sentence_vectors(ordered, embed_cfg, cache)
        if all_vectors is not None:
            keyed = ordered.set_index(["segment_id", "sent"]).index
            vectors = all_vectors[keyed.get_indexer(list(zip(statements["segment_id"], statements["sent"])))]
    mechanisms, evidence = find_recurring(statements, segments, cfg, vectors, themes)
    per_segment = segment_functions(functions)
    seg_function = pd.Series([per_segment.get(s, "") for s in segments["segment_id"]], index=segments.index,
                             dtype="string", name="function")
    return MechanismResult(functions, claims, statements, mechanisms, evidence, seg_function,
                           segment_mechanisms(segments, evidence))
