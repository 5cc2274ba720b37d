"""Candidate statements: the sentences that may state a mechanism or a concern.

Needs: sentences, tokens, their statement functions and claims, the segments table and, when the
analyst passed one, a mechanism codebook. Adds: one row per candidate sentence of an analysed,
non-facilitator segment, with its case, session, theme, level (front line or management),
function, claims, codebook concepts, content lemmas (and which of them the tagger calls a noun)
and whether it is a problem statement (a claim, a barrier/concern/need/tension/wish, a negation
or a codebook problem concept). Which sentences are candidates is `cfg.candidates`: "all"
(default) = every statement, plain assertions too ("Projecten blijven klein en tijdelijk");
"problem" = the problem statements only; "relational" = a cause/obstacle claim or two codebook
concepts. Questions, tables and run-on
lists are left out.
"""

from __future__ import annotations

import re

import pandas as pd

from ...config import MechanismConfig
from ...language import sentence_tokens
from ._codebook import MechanismCodebook

__all__ = ["PROBLEM_FUNCTIONS", "level_of", "candidate_statements"]

_NOUN_TAGS = frozenset({"NOUN", "PROPN"})
PROBLEM_FUNCTIONS = frozenset({"barrier", "concern", "need", "tension", "wish"})

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
                         by_sentence: dict | None = None, codebook: MechanismCodebook | None = None) -> pd.DataFrame:
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
        is_content = [a and not s and len(lm) >= 3 for lm, a, s in zip(lemmas, st.is_alpha, st.is_stop)]
        content = [lm for lm, ok in zip(lemmas, is_content) if ok]
        if len(content) < cfg.min_content_words or len(words) > cfg.max_tokens:
            continue
        if st.digit_words > 0.2 * len(words):  # a table row, not a statement
            continue
        function, fs, negated = fun.get(key, ("statement", "statement", False))
        fset = set(fs.split(";"))
        kinds = ";".join(sorted(set(claim_kinds.get(key, []))))
        if function == "question":
            continue
        concepts = codebook.concept_hits(words, lemmas) if codebook is not None else []
        relational = len(concepts) >= 2 or bool(set(kinds.split(";")) & {"cause_effect", "obstacle_goal"})
        problem = (bool(fset & PROBLEM_FUNCTIONS) or bool(kinds) or negated
                   or bool(codebook is not None and set(concepts) & codebook.problem_concepts))
        keep = {"relational": relational, "problem": relational or problem}.get(cfg.candidates, True)
        if not keep:
            continue
        rows.append({
            "segment_id": seg_id, "sent": int(sent), "text": text, "case": info["case"][seg_id],
            "session": info["session"][seg_id], "role": info["role"][seg_id], "speaker": info["speaker"][seg_id],
            "theme_id": info["theme_id"][seg_id], "source_file": info["source_file"][seg_id],
            "level": level_of(info["speaker"][seg_id], info["role"][seg_id], info["session"][seg_id]),
            "function": function, "claims": kinds, "connectives": "; ".join(dict.fromkeys(connectives.get(key, []))),
            "concepts": ";".join(concepts), "lemmas": content,
            "nouns": [lm for lm, ok, pos in zip(lemmas, is_content, st.upos) if ok and pos in _NOUN_TAGS],
            "problem": problem, "relational": relational,
        })
    return pd.DataFrame(rows, columns=["segment_id", "sent", "text", "case", "session", "role", "speaker",
                                       "theme_id", "source_file", "level", "function", "claims", "connectives",
                                       "concepts", "lemmas", "nouns", "problem", "relational"])
