"""Dutch lemmatizer: simplemma plus a small override table and a few rules.

Needs: ``simplemma`` (its bundled Dutch dictionary, no network) and, by default,
the override table ``models/lemmas/nl_ud_overrides.tsv`` shipped in this repo
(rebuilt by ``scripts/build_lemma_table.py`` from the UD Dutch Alpino and
LassySmall *dev* files, CC BY-SA 4.0; see ``models/lemmas/README.md``).

Adds on top of simplemma (which has one lemma per form and no POS):

* UPOS-aware rules, used when a tag is given: proper nouns keep their case and
  are not turned into common words ("Van" stays "Van"); nouns and adjectives
  are not turned into verbs ("kaart" is not "kaarten", "namen" -> "naam");
  verbs always get an infinitive ("gaven" -> "geven", "tekenen" stays,
  participles: "gestichte" -> "stichten", "afgebroken" -> "afbreken",
  "overtuigend" -> "overtuigen"); inflected adjectives lose their -e
  ("intensieve" -> "intensief"); written feminine forms are kept.
* Compounds and hyphens: unknown words are lemmatized on their longest known
  head ("tolkenbudgetten" -> "tolkenbudget"), hyphenated ones on their last
  part ("OCMW-medewerkers" -> "ocmw-medewerker").
* Diminutives go to the base noun ("mannetjes" -> "mannetje" -> "man").
* The override table (word form [+ UPOS] -> lemma), looked up first, fixes
  frequent forms the rules get wrong where the UD dev data is unambiguous.

Lemmas are lowercase except for PROPN, which keeps its case. Compound and
particle boundaries are not marked ("opnemen", not "op_nemen"); linking
morphemes are kept ("jeugdgezondheidszorg", where UD has "jeugd_gezondheid_zorg").
Accuracy: see models/lemmas/README.md and benchmarks/lemmas.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import simplemma

LANG = "nl"
DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "models" / "lemmas" / "nl_ud_overrides.tsv"
ANY_UPOS = "*"  # table rows valid whatever the UPOS (form unambiguous in dev)

# UPOS whose lemma is the form itself: punctuation, symbols, and X (foreign
# words, abbreviations), where simplemma's guesses are worse than the form.
_KEEP_FORM = {"PUNCT", "SYM", "X"}
# Shortest head / modifier accepted when splitting an unknown compound: shorter
# heads ("en", "te") match by accident and produce nonsense.
_MIN_HEAD, _MIN_MODIFIER = 4, 3
# Only open classes form new compounds; "waaronder" is not "waar" + "onder".
# Verbs are left to _verb, whose particle+participle split is more precise.
_OPEN = {None, "NOUN", "ADJ"}


def _known(word: str) -> bool:
    return simplemma.is_known(word, lang=LANG)


def _simplemma(word: str) -> str:
    # simplemma marks separable particles like UD does ("op_nemen"); we don't.
    return simplemma.lemmatize(word, lang=LANG).replace("_", "")


def _split_compound(word: str, upos: str | None) -> str | None:
    """Lemmatize a compound on its longest known head, or None."""
    if upos is None and not word.endswith(("en", "s", "je")):
        return None  # untagged, only plural-looking words: not "waar" + "ronder"
    min_head = _MIN_HEAD if upos else _MIN_HEAD + 1  # untagged: not "gel" + "eden"
    for i in range(_MIN_MODIFIER, len(word) - min_head + 1):
        head = word[i:]
        if _known(head):
            lemma = rule_lemma(head, upos)
            # A noun/adjective head does not grow into a verb: "veeteelt" is
            # not "vee" + "telen", "Davenport" not "daven" + "porren".
            if len(lemma) > len(head) or lemma.endswith("en") and not head.endswith("en"):
                return None
            return word[:i] + lemma
    return None


def _undo_inflection(stem: str) -> list[str]:
    """Singular/base candidates for a stem left by removing -e/-en, most
    likely first: "tractat" -> "tractaat" (an open syllable had a long
    vowel), "bewijz" -> "bewijs", "viss" -> "vis", "dag" -> "daag", "dag"."""
    stem = stem[:-1] + {"z": "s", "v": "f"}.get(stem[-1:], stem[-1:])
    out = []
    if len(stem) > 2 and stem[-2] in "aeou" and stem[-1] not in "aeiouj" and stem[-3] not in "aeiou":
        out.append(stem[:-1] + stem[-2:])
    out.append(stem)
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        out.append(stem[:-1])
    return out


def _infinitive(lemma: str) -> bool:
    # Every Dutch infinitive ends in -n; the shortest are "gaan", "zijn".
    return len(lemma) > 3 and lemma.endswith("n")


def _verb(low: str, lemma: str) -> str:
    """Make sure a VERB gets an infinitive."""
    # simplemma may give a noun for a verb form: "tekenen" -> "teken",
    # "gaven" -> "gave".
    noun_reading = low.endswith("en") and lemma != low and low.startswith(lemma)
    if lemma != low and _infinitive(lemma) and _known(low) and not noun_reading:
        return lemma
    if low.endswith("en") and (noun_reading or lemma == low):
        # A past plural is the past singular + -en: "gaven" -> "gaf" ->
        # "geven", "stonden" -> "stond" -> "staan"; an infinitive maps back
        # to itself ("werken" -> "werk" -> "werken").
        for cand in _undo_inflection(low[:-2]):
            past = _simplemma(cand)
            if past != cand and _infinitive(past) and _known(cand):
                return past
    # Inflected and separable participles simplemma does not list:
    # "gestichte" -> "gesticht" -> "stichten", "afgebroken" -> "af" + "breken".
    stem = low[:-1] if low.endswith(("de", "te")) else low
    for i in range(0, len(stem) - 4):
        if stem.startswith("ge", i):
            part = _simplemma(stem[i:])
            if part != stem[i:] and _infinitive(part):
                return stem[:i] + part
    if low.endswith(("end", "ende")):  # present participle: "overtuigend"
        return low[: low.rindex("end") + 2]
    if lemma != low and _infinitive(lemma) and not noun_reading:
        return lemma
    # "spelen" -> "spel" picked the noun reading: the form is the infinitive.
    return low if low.endswith("n") else lemma


def _noun(low: str, lemma: str) -> str:
    # A noun's lemma starts like the form: "was" is not "zijn", "gewassen"
    # is not "aanwassen".
    wrong_start = lemma[:1] != low[:1]
    if low.endswith("en") and (
        wrong_start or lemma == low[:-1] or (lemma != low and lemma.endswith("en")) or not _known(low)
    ):
        # A plural read as a verb ("namen" -> "nemen"), as a feminine
        # singular ("filosofen" -> "filosofe") or not known ("screeningen"):
        # take the singular if it is a known base form. (When simplemma
        # returns a known form itself, as for "werken", it is too often a
        # singular: "jongen", "toren".)
        for cand in _undo_inflection(low[:-2]):
            if cand == low[:-2] and lemma == low[:-1]:
                continue  # "wiskundigen": "wiskundige" beats the adjective
            if _known(cand) and _simplemma(cand) == cand:
                return cand
    if wrong_start:
        return low
    if lemma.endswith("en") and not low.endswith("en") and not low.startswith(lemma):
        return low  # verb reading: "kaart" -> "kaarten", "teelt" -> "telen"
    # simplemma swaps masculine and feminine forms; keep the one written:
    # "werper" (not "werpster"), "woordvoerster", "studente" (not "student").
    sing = low[:-1] if low.endswith("s") else low
    if lemma.endswith("ster") and "ster" not in low:
        return low
    if sing.endswith("ster") and not lemma.endswith("ster"):
        return sing
    if sing == lemma + "e" and lemma.endswith(("nt", "oen")):
        return sing
    return _diminutive(lemma)


def _diminutive(lemma: str) -> str:
    """simplemma stops at the singular diminutive ("mannetjes" -> "mannetje");
    UD, like most analyses, wants the base noun ("man")."""
    if not lemma.endswith("je"):
        return lemma
    base = _simplemma(lemma).lower()
    if base == lemma:  # "bloedplaatje" -> "bloed" + "plaat"
        base = _split_compound(lemma, "NOUN") or lemma
    return base


_ORDINAL = re.compile(r"(\d+)(?:e|de|ste)")


def _adj(low: str, lemma: str) -> str:
    m = _ORDINAL.fullmatch(low)
    if m:
        return m.group(1)  # UD lemmatizes ordinals to cardinals: "19e" -> "19"
    if lemma.endswith("en") and not low.endswith(("en", "ene")):
        # Verb reading: "heilige" -> "heiligen", "gerichte" -> "richten",
        # "geel" -> "vergelen" ("algemene" -> "algemeen" is right).
        lemma = low
    if low.endswith("ische"):
        return low[:-1]  # "belgische" -> "belgisch", not the noun "belg"
    if lemma == low and low.endswith("e") and not low.endswith(("ee", "nde")):
        # Unknown inflected adjective: "intensieve" -> "intensief",
        # "oostendse" -> "oostends" (but "voldoende" stays).
        for cand in _undo_inflection(low[:-1]):
            if _known(cand) or cand.endswith("s"):
                return cand
    return lemma


@functools.lru_cache(maxsize=1 << 18)
def rule_lemma(word: str, upos: str | None = None) -> str:
    """simplemma plus rules, without the override table (cached)."""
    if not word or upos in _KEEP_FORM:
        return word.lower()
    if upos == "PROPN":
        if word.endswith(("'s", "’s")):
            return word[:-2]  # "Rabo's" -> "Rabo"
        # simplemma knows inflected names ("Italianen" -> "Italiaan") but also
        # maps "Van", "De" to common words: accept its answer only if it is
        # still a capitalised name and the form looks plural.
        lemma = _simplemma(word)
        return lemma if lemma[:1].isupper() and word.endswith(("en", "s")) else word
    low = word.lower()
    if upos is None and word[:1].isupper():
        if not _known(low):
            return rule_lemma(word, "PROPN").lower()  # most likely a name: "Davenport"
        # simplemma's own case handling keeps names it lists ("Verenigde",
        # "Staten") and lowercases the rest ("Gesprekken" -> "gesprek").
        return _diminutive(_simplemma(word).lower())
    if upos in _OPEN and not _known(low):
        split = _split_compound(low, upos)
        if split:
            return split
    lemma = _simplemma(low).lower()
    if upos == "VERB":
        return _verb(low, lemma)
    if upos == "NOUN":
        return _noun(low, lemma)
    if upos is None:
        return _diminutive(lemma)
    if upos == "ADJ":
        return _adj(low, lemma)
    if upos == "NUM" and lemma.endswith("en") and lemma.startswith(low) and lemma != low:
        return low  # "acht" is not "achten"
    return lemma


def load_table(path: str | Path) -> dict[tuple[str, str], str]:
    """Read the override TSV (form, upos, lemma; '#' lines are comments)."""
    table: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8") as fh:
        lines = [line.rstrip("\n") for line in fh if line.strip() and not line.startswith("#")]
    if not lines or lines[0].split("\t") != ["form", "upos", "lemma"]:
        raise ValueError(f"{path}: not a lemma table (header form/upos/lemma missing)")
    for line in lines[1:]:
        form, upos, lemma = line.split("\t")
        table[form, upos] = lemma
    return table


class Lemmatizer:
    """Callable Dutch lemmatizer: ``Lemmatizer()("werkten", "VERB") == "werken"``."""

    def __init__(self, table_path: str | Path | None = None):
        self.table_path = Path(table_path) if table_path is not None else DEFAULT_TABLE
        self._table: dict[tuple[str, str], str] | None = None

    def load(self) -> "Lemmatizer":
        if self._table is None:
            self._table = load_table(self.table_path)
        return self

    def __call__(self, word: str, upos: str | None = None) -> str:
        if self._table is None:
            self.load()
        key = word if upos == "PROPN" else word.lower()
        hit = self._table.get((key, upos or ANY_UPOS))
        if hit is None and upos != "PROPN":
            hit = self._table.get((key, ANY_UPOS))
        if hit is not None:
            return hit
        prefix, _, last = word.rpartition("-")
        if prefix.strip("-") and last and upos != "PROPN":
            # The last part is the head: "FARC-rebellen" -> "farc-rebel",
            # "VLD-leden" -> "vld-lid"; a name after a common word stays
            # ("kabinet-Kok", not "kabinet-kokkin").
            keep = last[:1].isupper() and prefix[:1].islower()
            return f"{prefix}-{last if keep else self(last, upos)}".lower()
        return rule_lemma(word, upos)

    def lemmatize_tokens(self, words: Sequence[str], upos: Sequence[str | None] | None = None) -> list[str]:
        tags = upos if upos is not None else [None] * len(words)
        if len(tags) != len(words):
            raise ValueError("words and upos differ in length")
        return [self(w, t) for w, t in zip(words, tags)]


_default: Lemmatizer | None = None


def lemmatize_tokens(words: Sequence[str], upos: Sequence[str | None] | None = None) -> list[str]:
    """Lemmatize a token list with a shared default :class:`Lemmatizer`."""
    global _default
    if _default is None:
        _default = Lemmatizer()
    return _default.lemmatize_tokens(words, upos)


# --- UD helpers, shared by the table builder, the benchmark and the tests ---

def read_conllu(path: str | Path) -> Iterator[list[tuple[str, str, str]]]:
    """Yield sentences as lists of (form, gold lemma, UPOS); skips multiword
    ranges and empty nodes."""
    sent: list[tuple[str, str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 10 and cols[0].isdigit():
                sent.append((cols[1], cols[2], cols[3]))
            elif not line.strip() and sent:
                yield sent
                sent = []
    if sent:
        yield sent


def normalise(lemma: str, upos: str | None) -> str:
    """Comparison key: UD boundary marks "_" and hyphens removed, lowercased
    except for PROPN ("JGZ_verpleegkundige" == "jgz-verpleegkundige")."""
    key = lemma.replace("_", "").replace("-", "") or lemma
    return key if upos == "PROPN" else key.lower()


def accuracy(pairs: Iterable[tuple[str, str, str]], lemmatize, propn_case: bool = True) -> tuple[int, int]:
    """(correct, total) of ``lemmatize(form, upos)`` against gold lemmas;
    propn_case=False also ignores case for PROPN (for lowercase output)."""
    ok = n = 0
    for form, gold, upos in pairs:
        n += 1
        tag = upos if propn_case else None
        ok += normalise(lemmatize(form, upos), tag) == normalise(gold, tag)
    return ok, n
