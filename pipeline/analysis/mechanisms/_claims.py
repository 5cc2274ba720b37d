"""Claims: cause -> effect, obstacle -> blocked goal and expectation <-> reality, in the speaker's words.

Needs: the `sentences` and `tokens` tables. Adds: the `claims` table (CLAIM_COLUMNS), found with
Dutch connectives and verbs over tokens (CONNECTIVES: omdat, doordat, waardoor, zodat, daardoor,
leidt tot, zorgt voor, staat … in de weg, belemmert, verhindert, ten koste van, zolang, zonder …
geen, maar, terwijl, …). Every claim keeps its evidence sentence; the spans are cut at the
connective, so they are the speaker's words, not a paraphrase.
"""

from __future__ import annotations

import pandas as pd

from ...language import match_cues, sentence_tokens
from ...schema import TABLES

__all__ = ["CONNECTIVES", "CLAIM_COLUMNS", "extract_claims"]

# (kind, pattern, direction). Pattern language of pipeline.language.match_cues (| alternatives,
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
