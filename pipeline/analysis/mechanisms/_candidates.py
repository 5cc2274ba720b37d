"""Candidate statements: the sentences that may state a mechanism or a concern.

Needs: sentences, tokens, their statement functions and claims, the segments table and, when the
analyst passed one, a mechanism codebook. Adds: one row per candidate sentence of an analysed,
non-facilitator segment, with its case, session, theme, level (front line or management),
function, claims, codebook concepts, content lemmas (and which of them the tagger calls a noun)
and whether it is a problem statement (a claim, a barrier/concern/need/tension/wish, a negation
or a codebook problem concept). Three marks say what a statement is besides its content, so a
group of them can be told from a mechanism (`_speech_marks`): `framed` (it opens with a speaker's
frame, "Ik begrijp dat …", "We weten allemaal dat …": its content lemmas are those of the
complement only, so a shared frame is no common ground), `first_person` (the speaker tells about
themselves, "Ik werk als brugfiguur", "Eerlijk gezegd weet ik het niet": an anecdote or a job) and
`addressed` (it names a person or addresses one, "De heer [Persoon 39] is niet aanwezig": meeting
talk). Which sentences are candidates is `cfg.candidates`: "all"
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
# Closed-class Dutch words, not topic words. A frame is a short opening with a speaker pronoun
# before a complementizer ("ik denk dat", "we weten allemaal dat", "u zult begrijpen dat").
_SPEAKERS = frozenset("ik wij we u jij je".split())
_COMPLEMENTIZERS = frozenset({"dat", "of"})
_FRAME_MAX = 6  # tokens before the complementizer: a longer opening says something itself
_SELF = frozenset({"ik"})  # the speaker as subject: an anecdote, not how things go
# Forms of address and the pseudonyms that stand for persons (meeting talk, procedure about a person).
# Not "collega": in notes of front-line workers "mijn collega's" are the subject of what they say.
_ADDRESS = frozenset("mijnheer meneer mevrouw heer voorzitter".split())
_VOCATIVE_MAX = 6  # tokens before the comma of a leading form of address ("Mijnheer de eerste minister,")
# After a leading form of address, the formal second person still speaks to the addressee ("…, u
# antwoordde vorige week dat …"): the exchange itself, not how things go. Closed-class words.
_ADDRESSEE = frozenset({"u", "uw"})
# eight digits or more inside a word ("ingediend.2016201716260-17-339-bil-3"): what is left of a
# table or a document reference when a source's layout is flattened
_GLUED = re.compile(r"[^\W\d_][^\s]*\d{8,}|\d{8,}[^\s]*[^\W\d_]")
_PERSON = re.compile(r"\[Persoon \d+\]")
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


def _segment_lookups(segments: pd.DataFrame) -> tuple[dict[str, dict], dict]:
    """Per segment id its case, session, role, speaker, theme and file, and whether a facilitator speaks."""
    seg = segments.set_index("segment_id")
    info = {column: (seg[column].fillna("").astype(str).to_dict() if column in seg else dict.fromkeys(seg.index, ""))
            for column in ("case", "session", "role", "speaker", "theme_id", "source_file")}
    facilitator = (seg["is_facilitator"].astype(bool).to_dict() if "is_facilitator" in seg
                   else dict.fromkeys(seg.index, False))
    return info, facilitator


def _claim_lookups(claims: pd.DataFrame) -> tuple[dict, dict]:
    """Per (segment id, sentence) the claim kinds and the connectives that mark them."""
    claim_kinds: dict[tuple[str, int], list[str]] = {}
    connectives: dict[tuple[str, int], list[str]] = {}
    for a, b, k, c in zip(claims["segment_id"], claims["sent"], claims["kind"], claims["connective"]):
        claim_kinds.setdefault((a, int(b)), []).append(k)
        connectives.setdefault((a, int(b)), []).append(c)
    return claim_kinds, connectives


def candidate_statements(sentences: pd.DataFrame, tokens: pd.DataFrame, functions: pd.DataFrame,
                         claims: pd.DataFrame, segments: pd.DataFrame, cfg: MechanismConfig,
                         by_sentence: dict | None = None, codebook: MechanismCodebook | None = None) -> pd.DataFrame:
    """Sentences that may state a mechanism or concern, with their case, session, theme, level,
    function, claim kinds, concepts and content lemmas. Facilitator turns and segments that are
    not analysed never enter (sentences exist only for analysed segments)."""
    info, facilitator = _segment_lookups(segments)
    fun = {(a, int(b)): (f, fs, bool(n)) for a, b, f, fs, n in zip(
        functions["segment_id"], functions["sent"], functions["function"], functions["functions"],
        functions["negated"])}
    claim_kinds, connectives = _claim_lookups(claims)
    by_sentence = sentence_tokens(tokens) if by_sentence is None else by_sentence
    rows = []
    for seg_id, sent, text, start in zip(sentences["segment_id"], sentences["sent"], sentences["text"],
                                         sentences["start_char"]):
        if seg_id not in facilitator or facilitator[seg_id]:
            continue
        key = (seg_id, int(sent))
        st = by_sentence.get(key)
        if st is None:
            continue
        words, lemmas = st.words, st.lemmas
        vocative = _vocative_end(words, st.upos)
        frame_end, first_person = _speech_marks(words, st.upos, vocative)
        is_content = [a and not s and len(lm) >= 3 and i >= frame_end
                      for i, (lm, a, s) in enumerate(zip(lemmas, st.is_alpha, st.is_stop))]
        content = [lm for lm, ok in zip(lemmas, is_content) if ok]
        if len(content) < cfg.min_content_words or len(words) > cfg.max_tokens:
            continue
        if st.digit_words > 0.2 * len(words):  # a table row, not a statement
            continue
        if _GLUED.search(text):  # a table or reference number glued to the text: not prose
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
        # written with a capital inside the sentence: part of a name
        capital = [0 < at - start < len(text) and text[at - start].isupper() for at in st.start_char]
        rows.append({
            "segment_id": seg_id, "sent": int(sent), "text": text, "case": info["case"][seg_id],
            "session": info["session"][seg_id], "role": info["role"][seg_id], "speaker": info["speaker"][seg_id],
            "theme_id": info["theme_id"][seg_id], "source_file": info["source_file"][seg_id],
            "level": level_of(info["speaker"][seg_id], info["role"][seg_id], info["session"][seg_id]),
            "function": function, "claims": kinds, "connectives": "; ".join(dict.fromkeys(connectives.get(key, []))),
            "concepts": ";".join(concepts), "lemmas": content,
            # nouns, and words written with a capital inside the sentence: parts of a name ("de
            # Federale Overheidsdienst Binnenlandse Zaken") whatever the tagger made of them
            "nouns": [lm for lm, ok, pos, at in zip(lemmas, is_content, st.upos, st.start_char)
                      if ok and (pos in _NOUN_TAGS or 0 < at - start < len(text) and text[at - start].isupper())],
            # adjectives that qualify a noun ("de Europese richtlijnen"): part of a topic's name
            "attributes": [lm for lm, ok, pos, nxt in zip(lemmas, is_content, st.upos, st.upos[1:] + [""])
                           if ok and pos == "ADJ" and nxt in _NOUN_TAGS],
            "claim_lemmas": _claim_lemmas(lemmas, is_content, st.upos, capital, frame_end),
            "problem": problem, "relational": relational, "framed": frame_end > vocative, "first_person": first_person,
            "addressed": _addressed(text, words, st.start_char[vocative] - start if vocative < len(words) else len(text),
                                    vocative),
        })
    return pd.DataFrame(rows, columns=["segment_id", "sent", "text", "case", "session", "role", "speaker",
                                       "theme_id", "source_file", "level", "function", "claims", "connectives",
                                       "concepts", "lemmas", "nouns", "attributes", "claim_lemmas", "problem", "relational", "framed",
                                       "first_person", "addressed"])


_VERBS = frozenset({"VERB", "AUX"})


def _claim_lemmas(lemmas: list[str], is_content: list[bool], upos: list[str], capital: list[bool],
                  start: int) -> list[str]:
    """The content lemmas of what a statement says of its subject: from its first verb on (a Dutch
    main clause puts its finite verb second, after the subject or an adverbial), without names
    (PROPN, or written with a capital inside the sentence). "Onroerend erfgoed is een bevoegdheid
    van de deelstaten" and "Tankinfrastructuur voor aardgas behoort tot de bevoegdheden van de
    Gewesten" say the same of different things: {bevoegdheid, deelstaat} / {behoren, bevoegdheid,
    gewest}. The head of a name is left out with it (_title). Without a verb (a note's fragment) the whole statement. Read from the tagger only (the
    parser is too slow for every candidate)."""
    verb = next((i for i in range(start, len(upos)) if upos[i] in _VERBS), start)
    return [lm for i, (lm, ok, pos, cap) in enumerate(zip(lemmas, is_content, upos, capital))
            if ok and i >= verb and pos != "PROPN" and not cap and not _title(upos, capital, i)]


def _title(upos: list[str], capital: list[bool], i: int) -> bool:
    """Whether token `i` is the head of a name: a noun with a preposition and a capital straight
    after it ("de minister van Justitie", "de staatssecretaris voor Asiel en Migratie"). It names
    who or what a claim is about, like the name itself; "de bevoegdheid van de Gewesten" (an
    article between) says something of the Gewesten."""
    return (upos[i] == "NOUN" and i + 2 < len(upos) and upos[i + 1] == "ADP" and capital[i + 2])


def _vocative_end(words: list[str], upos: list[str]) -> int:
    """Where a sentence starts after a leading form of address and its comma ("Mijnheer de minister,
    volgens recente berichten …", "[Persoon 4], …": the opening of most parliamentary questions),
    0 without one. A vocative names the addressee and has no verb; "Mevrouw [Persoon 5] kon niet
    aanwezig zijn" has no comma after the name: she is the subject, not addressed."""
    comma = next((i for i, w in enumerate(words[: _VOCATIVE_MAX + 1]) if w == ","), None)
    if not comma or any(pos in _VERBS for pos in upos[:comma]):
        return 0
    return comma + 1 if any(w in _ADDRESS or w == "persoon" for w in words[:comma]) else 0


def _addressed(text: str, words: list[str], rest_at: int, vocative: int) -> bool:
    """Meeting talk: the sentence after a leading vocative (from character `rest_at`, token
    `vocative`) names or addresses a person, or still speaks to the addressee (_ADDRESSEE). A
    vocative alone does not make a sentence meeting talk; what follows it decides."""
    rest = words[vocative:]
    return (bool(_PERSON.search(text[rest_at:])) or any(w in _ADDRESS for w in rest)
            or bool(vocative and _ADDRESSEE & set(rest)))


def _speech_marks(words: list[str], upos: list[str], begin: int = 0) -> tuple[int, bool]:
    """(where the statement's content starts, whether the speaker tells about themselves).

    A frame is an opening of at most _FRAME_MAX tokens with a speaker pronoun, closed by a
    complementizer the tagger calls SCONJ ("Ik begrijp dat …"): the content starts after it. The
    statement is in the first person when its first clause after the frame (up to the next
    complementizer or the end) has "ik": the speaker's own experience or job ("Op drukke
    dagen ben ik meer tolk dan maatschappelijk werker"), not a claim about how things go. The
    statement begins at token `begin` (after a leading vocative, _vocative_end), which is never
    content. Without a parser this reads the tagger's parts of speech and closed-class words only."""
    start = begin
    for i in range(begin, min(len(words), begin + _FRAME_MAX + 1)):
        if words[i] in _COMPLEMENTIZERS and upos[i] == "SCONJ":
            if any(x in _SPEAKERS for x in words[begin:i]):
                start = i + 1
            break
    clause = []
    for w, pos in zip(words[start:], upos[start:]):
        if pos == "SCONJ" and clause:
            break
        clause.append(w)
    return start, any(w in _SELF for w in clause)
