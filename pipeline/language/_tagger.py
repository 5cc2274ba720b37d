"""Dutch part-of-speech tags and morphology, offline, from the model shipped in models/tagger/.

Needs: spaCy (no pretrained spaCy package, no network) and the folder
``models/tagger/nl_ud_tagger/`` of this repository (7.7 MB: a CNN ``tok2vec`` and a
``morphologizer`` trained on UD Dutch Alpino + LassySmall by ``scripts/train_tagger.py``;
CC BY-SA 4.0, see ``models/tagger/README.md``). The model's tokenizer is spaCy's
``blank("nl")`` tokenizer, the one pipeline/nlp.py uses, and it was trained on text
tokenized that way.

Adds, per token: ``token.pos_`` (UPOS: NOUN, VERB, AUX, DET, ADP, PROPN, ...) and
``token.morph`` (UD FEATS: ``Number=Plur``, ``VerbForm=Part``, ...); whitespace tokens
get ``SPACE`` and no features. Tokenization, sentence boundaries, lemmas and
dependencies are left alone (lemmas come from pipeline/lemmas.py, which takes the UPOS:
``Lemmatizer()(token.text, token.pos_)``). Accuracy on held-out UD: models/tagger/metrics.json.

Two ways in:

* ``load_tagger()(doc)`` / ``tag(docs)``: tag Docs made by any ``spacy.blank("nl")``
  (they are copied into the model's vocab and the tags copied back);
* ``make_tagged_nlp()``: a fresh spaCy ``Language`` (model + rule sentencizer) to use
  instead of ``blank("nl")`` + sentencizer; ``nlp.pipe(texts)`` then tokenizes, splits
  sentences and tags in one go, with no copying.

The UD helpers at the bottom (reader, the fixed train / tune / held-out split, accuracy)
are shared by the training script, the benchmark and the tests.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = ROOT / "models" / "tagger" / "nl_ud_tagger"
UD_DIR = ROOT.parent / "shared" / "data" / "ud"
# Where the models trained on UD_DIR come from, for their meta.json (scripts/train_*.py).
UD_SOURCES = [
    {"name": "UD Dutch Alpino", "url": "https://github.com/UniversalDependencies/UD_Dutch-Alpino",
     "license": "CC BY-SA 4.0", "author": "Zeman, Daniel; Žabokrtský, Zdeněk; Bouma, Gosse; van Noord, Gertjan"},
    {"name": "UD Dutch LassySmall", "url": "https://github.com/UniversalDependencies/UD_Dutch-LassySmall",
     "license": "CC BY-SA 4.0", "author": "Bouma, Gosse; van Noord, Gertjan"},
]

__all__ = ["DEFAULT_MODEL", "Tagger", "load_tagger", "tag", "make_tagged_nlp",
           "UD_DIR", "UD_SOURCES", "UDSentence", "read_ud", "ud_split", "block_doc", "accuracy"]


class Tagger:
    """Callable: ``Tagger(nlp)(doc)`` sets UPOS and FEATS on ``doc`` in place and returns it."""

    def __init__(self, nlp):
        self.nlp = nlp
        # Only the components that annotate tokens; the model has no parser or lemmatizer.
        self.components = [(name, proc) for name, proc in nlp.pipeline]

    def __call__(self, doc):
        for done in self.pipe([doc]):
            return done

    def pipe(self, docs: Iterable, batch_size: int = 256) -> Iterator:
        """Tag a stream of Docs (any blank("nl") vocab), yielding them in order."""
        from spacy.util import minibatch

        for batch in minibatch(docs, batch_size):
            own = [d if d.vocab is self.nlp.vocab else self._shadow(d) for d in batch]
            for _, proc in self.components:
                own = list(proc.pipe(own, batch_size=batch_size))
            for doc, done in zip(batch, own):
                if done is not doc:
                    for t, s in zip(doc, done):
                        t.pos = s.pos
                        t.set_morph(str(s.morph) or None)
                yield doc

    def _shadow(self, doc):
        """The same tokens in the model's vocab (its morphology table and strings)."""
        from spacy.tokens import Doc

        return Doc(self.nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def _spacy_load(path: str | Path):
    import spacy

    model = Path(path)
    if not (model / "config.cfg").is_file():
        raise FileNotFoundError(f"no tagger model at {model} (retrain: scripts/train_tagger.py)")
    # A local folder: spaCy never goes online for this. The saved tokenizer is skipped:
    # the Language keeps the one built from spaCy's Dutch defaults, i.e. exactly
    # blank("nl")'s (as in pipeline/nlp.py), and loading takes ~1 s less.
    return spacy.load(model, exclude=["tokenizer"])


@functools.lru_cache(maxsize=4)
def _load(path: str):
    return _spacy_load(path)


def load_tagger(path: str | Path = DEFAULT_MODEL) -> Tagger:
    """The shipped tagger, loaded once per process (~1 s, mostly building spaCy's Dutch
    tokenizer, as blank("nl") does) and cached."""
    return Tagger(_load(str(path)))


def tag(docs: Iterable, path: str | Path = DEFAULT_MODEL, batch_size: int = 256) -> list:
    """Tag Docs from ``spacy.blank("nl")`` in place; returns them as a list."""
    return list(load_tagger(path).pipe(docs, batch_size=batch_size))


def make_tagged_nlp(path: str | Path = DEFAULT_MODEL):
    """A new ``Language``: the model's blank("nl") tokenizer, a rule sentencizer, the tagger.

    A fresh object each call (adding the sentencizer must not change the cached model)."""
    nlp = _spacy_load(path)
    nlp.add_pipe("sentencizer", first=True)
    return nlp


# --- UD helpers: reader, the fixed split, accuracy (training script, benchmark, tests) ---

# The split. UD_Dutch-Alpino and UD_Dutch-LassySmall ship here without their train
# files, so training uses both dev files plus 3/4 of the test files. Each test file
# is cut, in file order, into blocks of BLOCK consecutive sentences; blocks 3, 7, 11,
# ... (0-based index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) are HELD OUT: never
# trained on, never used to pick a checkpoint, only measured. Dev files are cut the
# same way; their blocks 9, 19, 29, ... (index % TUNE_EVERY == TUNE_EVERY - 1) are the
# TUNE part, used by spaCy to pick the best checkpoint. Everything else is TRAIN.
BLOCK = 20
HELD_OUT_EVERY = 4
TUNE_EVERY = 10
UD_FILES = (
    ("alpino", "UD_Dutch-Alpino/nl_alpino-ud-dev.conllu", "UD_Dutch-Alpino/nl_alpino-ud-test.conllu"),
    ("lassysmall", "UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu",
     "UD_Dutch-LassySmall/nl_lassysmall-ud-test.conllu"),
)


@dataclass
class UDSentence:
    sent_id: str
    text: str
    words: list[str]  # surface tokens
    spaces: list[bool]  # from SpaceAfter=No in MISC
    upos: list[str]
    feats: list[str]  # "" for "_"
    lemmas: list[str]
    source: str = ""  # "alpino" or "lassysmall", set by ud_split
    heads: list[int] = field(default_factory=list)  # 0-based head index; a root points at itself
    deprels: list[str] = field(default_factory=list)  # UD relation ("nsubj", "obl:arg", "root")


def read_ud(path: str | Path) -> list[UDSentence]:
    """Sentences of a CoNLL-U file as surface tokens. Empty nodes (8.1) are skipped. A
    multiword token (range line "3-4", none in the two Dutch treebanks) becomes one
    token with its surface form, the UPOS and FEATS of its first word and the lemmas
    joined by "+": spaCy's tokenizer never splits a word into syntactic words, so the
    model must tag what the tokenizer yields. HEAD and DEPREL are kept as 0-based
    indices (a root points at itself, spaCy's convention) and relations."""
    out: list[UDSentence] = []
    meta: dict[str, str] = {}
    rows: list[tuple[str, ...]] = []  # form, lemma, upos, feats, misc, head, deprel
    mwt: dict[str, object] = {}

    def flush():
        if rows:
            out.append(UDSentence(
                sent_id=meta.get("sent_id", ""), text=meta.get("text", ""),
                words=[r[0] for r in rows], lemmas=[r[1] for r in rows], upos=[r[2] for r in rows],
                feats=["" if r[3] == "_" else r[3] for r in rows],
                spaces=["SpaceAfter=No" not in r[4].split("|") for r in rows],
                heads=[int(r[5]) - 1 if r[5] not in ("0", "_") else i for i, r in enumerate(rows)],
                deprels=[r[6] for r in rows]))
        rows.clear()
        meta.clear()
        mwt.clear()

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                flush()
            elif line.startswith("#"):
                key, sep, value = line[1:].partition("=")
                if sep:
                    meta[key.strip()] = value.strip()
            else:
                cols = line.split("\t")
                if len(cols) != 10:
                    continue
                if "-" in cols[0]:  # multiword token: remember the range and surface form
                    first, last = cols[0].split("-")
                    mwt.update(first=int(first), last=int(last), form=cols[1], misc=cols[9], lemmas=[])
                elif cols[0].isdigit():
                    i = int(cols[0])
                    if mwt and mwt["first"] <= i <= mwt["last"]:
                        mwt["lemmas"].append(cols[2])
                        if i == mwt["first"]:
                            rows.append((mwt["form"], "", cols[3], cols[5], mwt["misc"], cols[6], cols[7]))
                        if i == mwt["last"]:
                            rows[-1] = (rows[-1][0], "+".join(mwt["lemmas"]), *rows[-1][2:])
                            mwt.clear()
                    else:
                        rows.append((cols[1], cols[2], cols[3], cols[5], cols[9], cols[6], cols[7]))
    flush()
    return out


def _blocks(sents: Sequence[UDSentence]) -> list[list[UDSentence]]:
    return [list(sents[i:i + BLOCK]) for i in range(0, len(sents), BLOCK)]


def ud_split(ud_dir: str | Path = UD_DIR) -> dict[str, list[list[UDSentence]]]:
    """{"train", "tune", "heldout"} -> blocks of up to BLOCK consecutive sentences."""
    ud_dir = Path(ud_dir)
    split: dict[str, list[list[UDSentence]]] = {"train": [], "tune": [], "heldout": []}
    for name, dev, test in UD_FILES:
        dev_sents, test_sents = read_ud(ud_dir / dev), read_ud(ud_dir / test)
        for s in dev_sents + test_sents:
            s.source = name
        for i, block in enumerate(_blocks(dev_sents)):
            split["tune" if i % TUNE_EVERY == TUNE_EVERY - 1 else "train"].append(block)
        for i, block in enumerate(_blocks(test_sents)):
            split["heldout" if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1 else "train"].append(block)
    return split


def block_doc(vocab, block: Sequence[UDSentence]):
    """One Doc holding the gold tokens of consecutive sentences (space between them)."""
    from spacy.tokens import Doc

    words = [w for s in block for w in s.words]
    spaces = [sp if i < len(s.words) - 1 else True for s in block for i, sp in enumerate(s.spaces)]
    spaces[-1] = False
    return Doc(vocab, words=words, spaces=spaces)


def accuracy(tagger: Tagger, blocks: Sequence[Sequence[UDSentence]]) -> dict[str, float | int]:
    """Per-token accuracy on gold tokens, one Doc per block of consecutive sentences:
    UPOS, FEATS (the whole FEATS string must match, "" = none) and both right."""
    docs = [block_doc(tagger.nlp.vocab, b) for b in blocks]
    n = upos = feats = both = 0
    for block, doc in zip(blocks, tagger.pipe(docs)):
        gold = [(u, f) for s in block for u, f in zip(s.upos, s.feats)]
        for t, (gold_pos, gold_feats) in zip(doc, gold):
            p, f = t.pos_ == gold_pos, str(t.morph) == gold_feats
            n += 1
            upos += p
            feats += f
            both += p and f
    return {"tokens": n, "upos": upos / n if n else 0.0, "feats": feats / n if n else 0.0,
            "upos_feats": both / n if n else 0.0}
