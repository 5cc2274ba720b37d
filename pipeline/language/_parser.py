"""Dutch dependency parses, offline, from the model shipped in models/parser/.

Needs: spaCy (no pretrained spaCy package, no network) and the folder
``models/parser/nl_ud_parser/`` of this repository (spaCy's transition-based ``parser``
component with its own tok2vec, fine-tuned from the tagger's, trained on UD Dutch by
``scripts/train_parser.py``; CC BY-SA 4.0, see ``models/parser/README.md``). It is added
to a fresh copy of the tagger (models/tagger/), whose weights and accuracy are untouched;
the tokenizer is spaCy's ``blank("nl")`` one.

``parse_dependencies(texts)`` gives Docs with UD heads and relations (``token.head``,
``token.dep_``: ``nsubj``, ``cop``, ``acl:relcl``, ``advmod``, ...) and, from the tagger,
UPOS and FEATS. It costs ~3x the tagger per word (~2,600 words/s on one shared core), so
it is for a few hundred sentences, not a whole corpus: the mechanisms parse only the
statements of the groups about to be reported (pipeline.analysis.mechanisms._syntax;
models/parser/README.md). Held-out accuracy:
models/parser/metrics.json.

The UD helpers at the bottom (the training split, attachment scores, baselines) are
shared by the training script, the benchmark and the tests.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import _tagger as T

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = ROOT / "models" / "parser" / "nl_ud_parser"
# The older LassySmall train split (UD 2.0, 2017) minus every sentence of today's dev/test
# files: training only. See ../shared/data/ud/UD_Dutch-LassySmall-2017-train/README.md.
TRAIN_2017 = "UD_Dutch-LassySmall-2017-train/nl_lassysmall-2017-train-minus-current-devtest.conllu"

__all__ = ["DEFAULT_MODEL", "load_parser", "parse_dependencies", "one_sentence", "parser_split", "sentence_docs",
           "attachment", "baseline_heads"]


@functools.lru_cache(maxsize=2)
def _load(path: str):
    import spacy

    model = Path(path)
    if not (model / "config.cfg").is_file():
        raise FileNotFoundError(f"no parser model at {model} (retrain: scripts/train_parser.py)")
    # The tagger (a fresh copy, not the cached one), then the parser component on top, with its
    # own tok2vec inside (fine-tuned from the tagger's). Local folders only: spaCy never goes online.
    nlp = T._spacy_load(T.DEFAULT_MODEL)
    config = dict(spacy.util.load_config(model / "config.cfg")["parser"])
    parser = nlp.add_pipe(config.pop("factory"), name="parser", config=config)
    parser.from_disk(model / "parser")
    return nlp


def load_parser(path: str | Path = DEFAULT_MODEL):
    """The tagger with the shipped parser on top (a spaCy ``Language``: tok2vec, morphologizer,
    attribute_ruler, parser), loaded once per process."""
    return _load(str(path))


def parse_dependencies(texts: Iterable[str], path: str | Path = DEFAULT_MODEL, batch_size: int = 64) -> list:
    """Tokenize, tag and parse texts, each as ONE sentence (the pipeline's sentences, cut by its
    sentencizer; the parser's own sentence splitting is weak): Docs with UPOS, FEATS, heads and
    relations, one tree each."""
    nlp = load_parser(path)
    return list(nlp.pipe((one_sentence(nlp.make_doc(t)) for t in texts), batch_size=batch_size))


def one_sentence(doc):
    """`doc` with its sentence boundaries preset to one sentence (the parser keeps them)."""
    for tok in doc:
        tok.is_sent_start = tok.i == 0
    return doc


# --- UD helpers: the split, attachment scores, baselines (training, benchmark, tests) ---

def parser_split(ud_dir: str | Path = T.UD_DIR) -> dict[str, list[list[T.UDSentence]]]:
    """The tagger's split (pipeline.language._tagger.ud_split: same tune and held-out
    blocks) with the 2017 LassySmall train file added to train, in blocks of the same size."""
    ud_dir = Path(ud_dir)
    split = T.ud_split(ud_dir)
    extra = T.read_ud(ud_dir / TRAIN_2017)
    for s in extra:
        s.source = "lassysmall2017"
        # the 2017 conversion's name relation is today's "flat"; its other differences
        # (obl:arg, nmod:poss, expl:pv are newer distinctions) cannot be mapped one to one
        s.deprels = ["flat" if r == "flat:name" else r for r in s.deprels]
    split["train"] += [extra[i:i + T.BLOCK] for i in range(0, len(extra), T.BLOCK)]
    return split


def sentence_docs(vocab, blocks: Sequence[Sequence[T.UDSentence]]) -> tuple[list, list[T.UDSentence]]:
    """(one Doc per gold sentence: gold tokens, preset as one sentence, no other annotation;
    the sentences)."""
    from spacy.tokens import Doc

    sents = [s for b in blocks for s in b]
    docs = [one_sentence(Doc(vocab, words=s.words, spaces=s.spaces[:-1] + [False])) for s in sents]
    return docs, sents


def _base(rel: str) -> str:
    return rel.split(":")[0]


def attachment(pred: Sequence[tuple[list[int], list[str]]], sents: Sequence[T.UDSentence]) -> dict:
    """UAS / LAS over all tokens (CoNLL 2018 convention) and without punctuation;
    LAS counts the full relation ("obl:arg"), "LAS base" only its part before ":"."""
    n = n_np = uas = las = las_base = uas_np = las_np = 0
    for (heads, rels), s in zip(pred, sents):
        for h, r, gh, gr, upos in zip(heads, rels, s.heads, s.deprels, s.upos):
            u, lab = h == gh, h == gh and r.lower() == gr.lower()
            n += 1
            uas += u
            las += lab
            las_base += u and _base(r.lower()) == _base(gr.lower())
            if upos != "PUNCT":
                n_np += 1
                uas_np += u
                las_np += lab
    return {"tokens": n, "uas": uas / n, "las": las / n, "las_base": las_base / n,
            "uas_no_punct": uas_np / n_np, "las_no_punct": las_np / n_np}


def frequent_relations(sents: Sequence[T.UDSentence]) -> dict[str, str]:
    """The most frequent relation of each UPOS in training sentences (baseline labels)."""
    counts: dict[str, Counter] = {}
    for s in sents:
        for u, r in zip(s.upos, s.deprels):
            counts.setdefault(u, Counter())[r] += 1
    return {u: c.most_common(1)[0][0] for u, c in counts.items()}


VERBAL = {"VERB", "AUX"}


def baseline_heads(s: T.UDSentence, kind: str, upos: Sequence[str]) -> list[int]:
    """Trivial trees: "next" (each token's head is the next token, the last is the root)
    or "verb" (each token attaches to the nearest VERB/AUX by the given UPOS, ties to the
    left; the first verb, or the first token when there is none, is the root and verbs
    attach to it)."""
    n = len(s.words)
    if kind == "next":
        return [min(i + 1, n - 1) for i in range(n)]
    verbs = [i for i, u in enumerate(upos) if u in VERBAL]
    root = verbs[0] if verbs else 0
    heads = []
    for i in range(n):
        if i == root:
            heads.append(i)
        elif upos[i] in VERBAL or not verbs:
            heads.append(root)
        else:
            heads.append(min(verbs, key=lambda v: (abs(v - i), v)))
    return heads
