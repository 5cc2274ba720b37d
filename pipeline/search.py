"""`zoek`: "meer zoals dit" — the sentences of a run most like a text or a fragment, best first.

Works on an existing run folder without analysing again: the sentences, lemmas and sentence
vectors of its analysed segments come from the project's cache (`<out>/.cache`, where the run
left its parse and embeddings), and are rebuilt and cached when missing (a moved folder, another
machine). The search index itself is cached too, so the second search of a run takes a second.

Every hit is one sentence of one segment: `segment_id` leads to segments.csv, and the sentence's
offsets (`search_hits`) into texts/<doc>. One hit per segment, its best sentence.

Method, three views of a sentence, each a cosine to the query:
  lexical   TF-IDF over content lemmas, the word forms that differ from their lemma and the parts
            of compound nouns ("tolkenbudget" meets "budget voor tolken"), sublinear tf, idf from
            the run's own sentences times idf from its documents (`_lexical`: what every document
            says, the framing, weighs less);
  spelling  TF-IDF over the character 3- to 5-grams of those content lemmas (within words, idf
            from the run): words of one stem that the lemmatiser keeps apart meet, derivations
            and compounds the splitter does not know ("verankerd" / "verankering",
            "kleinschalig" / "kleinschaligheid"); on lemmas, not the raw sentence, so the
            n-grams of "men geeft aan dat" add nothing. 3 to 5 is the usual range, not tuned
            (2-4, 3-4, 3-6 and 4-6 score within 0.015 of it on the development gold);
  semantic  the run's sentence vectors (the built-in multilingual USE), less what all the run's
            sentences share: their mean and top principal directions (`_common_directions`).
Each sentence is read in its surroundings: its row plus CONTEXT_WEIGHT times the rows of the
sentences just before and after it in its document (a short claim takes its subject from the
sentence before; the price: a fragment's own neighbours rank a little higher). The cosines live
on different scales, so each is standardised over the run's sentences (z-score) and the views are
averaged: no view is trusted more than another without evidence. Then pseudo-relevance feedback
(Rocchio): the query moves towards the mean of its best FEEDBACK_DEPTH hits in every view (weight
ROCCHIO_BETA) and the run is scored again. Those two numbers are the textbook defaults (Manning,
Raghavan & Schütze, ch. 9); CONTEXT_WEIGHT is the smallest of 1/4, 1/2 and 1 tried on the report's
development gold as a whole (a neighbour counts less than the sentence); nothing is fitted to
particular sentences. Measured in benchmarks/search.py.

A text query is short, so one word it shares can carry a whole sentence, even in another sense:
"tolken zijn te duur" met "Op den duur geef je het op." first in all three views (the tagger
calls both "duur" adjectives). So the query and its best SENSE_DEPTH sentences are parsed
(`language.parse_dependencies`, the shipped parser) and a word one of them uses as a noun
(tagged so, or a subject, object or oblique: "op den duur") and the other only as an adjective
("te duur") is not shared: its columns leave that sentence's lexical and spelling cosines. Only
that contrast: a verb and its noun mostly mean alike ("tolken", "tolk"), and a wider check
dropped good matches on the parser's slips in lone sentences. The sentence vectors cannot be
split by word and stay. Only for text queries: a fragment is a whole statement, where one word
weighs little, and the parse would cost every fragment query.

A text query says something is so or is not ("geen cijfers beschikbaar"), and the views cannot
tell: the negation words are stop words to the lexical views and the sentence vectors barely see
them, so "De cijfers zijn als volgt" came first for that query on the Kamer answers. So a text
query's hits of the other polarity (a negation word of NEGATION, a closed class, or none) lose
POLARITY_PENALTY standard deviations of the fused score, in both rounds: a ranking cue, not a filter
(paraphrases of an absence without a negation word, "pas eind maart beschikbaar", stay high). Not for
fragments: a whole statement shares its mechanism with statements of either polarity ("blijven
tijdelijk", "raken niet verankerd"; on the report's gold the penalty cost fragments 0.027 at 1);
a fragment the run did not analyse is searched as its text, so with its polarity.

What the analyst is told: a text without a content word is refused; a text none of whose terms
(lemmas, compound parts, spelling n-grams) the run has is searched on the sentence vectors alone,
and a fragment the run did not analyse with its text, each with a note (`hits.attrs["let_op"]`,
printed on stderr by the CLI).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from . import language, store
from .cache import Cache, frame_hash
from .config import EmbedConfig, NlpConfig
from .errors import InputError
from .outputs import EXCLUDED_EXPLAINED
from .run import NO_CONTENT, ONLY_TALK, TOO_LITTLE

__all__ = ["zoek", "search_hits", "SearchIndex", "load_index", "COLUMNS"]

COLUMNS = ["rank", "segment_id", "case", "theme_id", "score", "sentence"]
FEEDBACK_DEPTH = 10  # hits that feed back into the query
ROCCHIO_BETA = 0.75  # weight of their mean against the query's 1
CONTEXT_WEIGHT = 0.25  # weight of each neighbouring sentence against the sentence's own 1
SENSE_DEPTH = 50  # best sentences of a text query whose shared words are checked (parsing costs ~3x tagging)
# UD's relations of a nominal (core and oblique arguments, nominal modifiers): a word in one of these
# slots is used as a noun ("op den duur": obl) whatever its tag.
NOMINAL = frozenset({"nsubj", "obj", "iobj", "obl", "nmod", "appos", "vocative", "dislocated", "expl"})
# Dutch negation words: a closed class (the grammar's own short list, the same in every corpus and
# genre, not a vocabulary learnt from or fitted to one), so a list is the whole of it. The lexical
# views drop them as stop words and the sentence vectors barely register them.
NEGATION = re.compile(r"\b(?:niet|geen|nooit|niets|niemand|nergens|noch|geenszins)\b", re.IGNORECASE)
POLARITY_PENALTY = 1.0  # standard deviations of the fused score a text query's hit of the other polarity loses
_QUERY_ID = "zoekvraag:0000"
# Where a hit is, beside doc_id and its offsets: the run's texts/ file those offsets point into, and
# the source file with its human-readable place ("Antwoorden rij 5", "p. 3"; "" for plain text).
WHERE = ["text_file", "source_file", "location"]


@dataclass
class SearchIndex:
    """The searchable sentences of one run: one row per sentence with content words."""

    sentences: pd.DataFrame  # segment_id, doc_id, case, theme_id, start_char, end_char, sentence, WHERE
    vectorizer: TfidfVectorizer  # fitted on the sentences' lemma lists
    lexical: sparse.csr_matrix  # TF-IDF rows, L2-normalised
    spelling_grams: CountVectorizer  # character 3- to 5-grams within words, fitted on the run's lemmas
    spelling_idf: TfidfTransformer  # sublinear tf and idf of those n-grams over the run's sentences
    spelling: sparse.csr_matrix  # their TF-IDF rows, L2-normalised
    semantic: np.ndarray | None  # sentence vectors, L2-normalised; None for runs without embeddings
    nlp: NlpConfig
    embed: EmbedConfig
    mean: np.ndarray | None = None  # what every sentence vector of the run shares (_common_directions)
    components: np.ndarray | None = None
    negated: np.ndarray | None = None  # per sentence: it has a negation word (NEGATION)


def _as_is(terms: list[str]) -> list[str]:
    """The analyser of the TF-IDF: a sentence arrives as its list of terms (a function, so it pickles)."""
    return terms


def _content(tokens: pd.DataFrame) -> pd.DataFrame:
    return tokens[tokens["is_alpha"] & ~tokens["is_stop"] & (tokens["lemma"].str.len() > 1)]


def _lemmas(tokens: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """(segment_id, sentence) -> its content lemmas, for the spelling view."""
    content = _content(tokens)
    lemmas = content["lemma"].str.lower().groupby([content["segment_id"], content["sent"]], sort=False)
    return lemmas.agg(list).to_dict()


def _spelling_counts(lemma_lists: list[list[str]], grams: CountVectorizer) -> sparse.csr_matrix:
    """Per list of lemmas the counts of its words' character n-grams, fitting `grams`: counted
    once per distinct lemma and added up (n-grams within words only, so the same counts as of the
    text, 3 times faster on 60,000 sentences)."""
    words = CountVectorizer(analyzer=_as_is)
    counts = words.fit_transform(lemma_lists)
    return (counts @ grams.fit_transform(words.get_feature_names_out())).tocsr()


def _terms(tokens: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """(segment_id, sentence) -> its content terms: the lemmas, the word forms that differ from
    their lemma (a lemmatiser's slip, "tolken" as a verb, then still meets "tolken"), and the parts
    of compound nouns ("tolkenbudget" -> tolk, budget; only nouns: "moeilijk" is no "moei" + "lijk")."""
    content = _content(tokens)
    frame = pd.DataFrame({"key": list(zip(content["segment_id"], content["sent"])),
                          "lemma": content["lemma"].str.lower().to_numpy(),
                          "form": content["text"].str.lower().to_numpy(),
                          "noun": content["upos"].isin(["NOUN", "PROPN"]).to_numpy()})
    out: dict[tuple[str, int], list[str]] = {}
    for key, lemma, form, noun in frame.itertuples(index=False):
        terms = out.setdefault(key, [])
        terms.append(lemma)
        if form != lemma:
            terms.append(form)
        if noun:
            parts = language.compound_parts(lemma)
            if len(parts) > 1:
                terms.extend(parts)
    return out


def _lexical(vectorizer: TfidfVectorizer, term_lists: list[list[str]], documents: np.ndarray):
    """The TF-IDF rows, fitting `vectorizer`, with an idf that also counts documents: its idf over
    the sentences times the same smooth idf over the run's documents. A word said in nearly every
    document (the framing: "op verschillende plaatsen", "men geeft aan") weighs less than one of
    the same sentence frequency said in a few; one document weighs every word alike."""
    counts = vectorizer.fit_transform(term_lists)
    docs, which = np.unique(documents, return_inverse=True)
    per_document = sparse.csr_matrix((np.ones(len(which)), (which, np.arange(len(which)))),
                                     shape=(len(docs), len(which)))
    in_documents = np.asarray(((per_document @ counts) > 0).sum(axis=0)).ravel()
    vectorizer.idf_ = vectorizer.idf_ * (np.log((1 + len(docs)) / (1 + in_documents)) + 1)
    return vectorizer.transform(term_lists)


def _common_directions(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The run's mean sentence vector and its top principal directions, round(dimensions / 100)
    of them ("all-but-the-top", Mu & Viswanath 2018, with their number): every sentence has a
    share of these whatever it says, and they swamp the cosines between short sentences. A run of
    fewer than ten sentences a direction keeps its vectors as they are."""
    n_common = round(vectors.shape[1] / 100)
    if len(vectors) < 10 * n_common:  # too few sentences (10 a direction) to tell what they all share
        return np.zeros(vectors.shape[1], dtype=vectors.dtype), np.zeros((0, vectors.shape[1]), dtype=vectors.dtype)
    mean = vectors.mean(axis=0)
    centred = vectors - mean
    with threadpool_limits(1):  # a 512 x 512 problem: BLAS threads only fight over the cores
        _, directions = np.linalg.eigh(centred.T.astype(np.float64) @ centred)  # ascending eigenvalues
    return mean, directions[:, ::-1][:, :n_common].T.astype(vectors.dtype)


def _without_common(vectors: np.ndarray, mean: np.ndarray, components: np.ndarray) -> np.ndarray:
    centred = vectors - mean
    return normalize(centred - (centred @ components.T) @ components)


def _in_context(matrix, documents: np.ndarray):
    """Each sentence read in its surroundings: its row plus CONTEXT_WEIGHT times the rows of the
    searchable sentences just before and after it in the same document, L2-normalised. A short
    claim ("Er lijkt veel verloren te gaan.") takes its subject from the sentence before it."""
    same = documents[1:] == documents[:-1]
    n = len(documents)
    pairs = np.flatnonzero(same)
    neighbours = sparse.coo_matrix((np.ones(2 * len(pairs)), (np.r_[pairs, pairs + 1], np.r_[pairs + 1, pairs])),
                                   shape=(n, n)).tocsr()
    if sparse.issparse(matrix):
        return normalize(matrix + CONTEXT_WEIGHT * (neighbours @ matrix)).tocsr()
    return normalize(matrix + CONTEXT_WEIGHT * (neighbours @ matrix)).astype(np.float32)


def _section(cls, values: dict):
    """A config section from run.json, keeping the keys this version knows (tuples stay tuples)."""
    known = {f.name for f in fields(cls)}
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in (values or {}).items() if k in known})


def _check_run(run_dir: Path) -> None:
    if not run_dir.is_dir() or not (run_dir / "segments.csv").is_file() or not (run_dir / "run.json").is_file():
        raise InputError(run_dir, "dit is geen run-map (segments.csv en run.json ontbreken)",
                         "geef de map die `stadsgenoten run` schreef, bv. outputs/20261128T193757-0c1e50")


def _cache_for(run_dir: Path, info: dict) -> Cache:
    """The cache the run used, so its parse and vectors are found: its configured cache folder,
    else <out_dir>/.cache of the run; for a copied or moved run folder, the one beside it."""
    output = info.get("config", {}).get("output", {}) or {}
    candidates = [Path(output["cache_dir"])] if output.get("cache_dir") else []
    candidates += [Path(output["out_dir"]) / ".cache"] if output.get("out_dir") else []
    for root in candidates:
        if root.is_dir() and os.access(root, os.W_OK):
            return Cache(root)
    root = run_dir.parent / ".cache"
    return Cache(root if os.access(run_dir.parent, os.W_OK) else None)


def _build(tables: store.RunTables, nlp: NlpConfig, embed: EmbedConfig, cache: Cache) -> SearchIndex:
    segments = tables.segments
    # The segments the run parsed: the analysed ones and those it found without content after the
    # parse; the same set gives the same cache keys, so the run's parse and vectors are reused.
    parsed = segments["analysed"] | segments["excluded_reason"].isin([NO_CONTENT, TOO_LITTLE, ONLY_TALK])
    sentences, tokens = language.parse(segments.assign(analysed=parsed), nlp, cache)
    vectors = language.embed_sentences(sentences, embed, cache)
    terms = _terms(tokens)
    # searchable: every segment with content, also one too short for a theme (themes.min_tokens)
    searchable = set(segments.loc[segments["analysed"] | (segments["excluded_reason"] == TOO_LITTLE), "segment_id"])
    keep = np.array([s in searchable and (s, n) in terms for s, n in zip(sentences["segment_id"], sentences["sent"])],
                    dtype=bool)
    rows = sentences[keep].reset_index(drop=True)
    meta = segments.set_index("segment_id")[["doc_id", "case", "theme_id", "source_file", "location"]]
    rows = rows.join(meta, on="segment_id").rename(columns={"text": "sentence"})
    rows = rows.join(tables.documents.set_index("doc_id")["text_file"], on="doc_id")
    rows = rows[["segment_id", "doc_id", "case", "theme_id", "sent", "start_char", "end_char", "sentence"] + WHERE]
    negated = _negated(rows["sentence"])
    vectorizer = TfidfVectorizer(analyzer=_as_is, sublinear_tf=True, norm="l2")
    grams, idf = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)), TfidfTransformer(sublinear_tf=True)
    if not len(rows):
        empty = sparse.csr_matrix((0, 0))
        return SearchIndex(rows, vectorizer, empty, grams, idf, empty, None, nlp, embed, negated=negated)
    keys = list(zip(rows["segment_id"], rows["sent"]))
    lemmas = _lemmas(tokens)
    documents = rows["doc_id"].to_numpy()  # rows are in document order (the parse's order)
    lexical = _in_context(_lexical(vectorizer, [terms[k] for k in keys], documents), documents)
    spelling = idf.fit_transform(_spelling_counts([lemmas[k] for k in keys], grams)).astype(np.float32)
    spelling = _in_context(spelling, documents)
    if vectors is None:
        return SearchIndex(rows, vectorizer, lexical, grams, idf, spelling, None, nlp, embed, negated=negated)
    mean, components = _common_directions(vectors[keep])
    semantic = _in_context(_without_common(vectors[keep], mean, components), documents)
    return SearchIndex(rows, vectorizer, lexical, grams, idf, spelling, semantic, nlp, embed, mean, components,
                       negated)


def _negated(texts: pd.Series) -> np.ndarray:
    """Per text: does it say a negation word ("niet", "geen", ...: NEGATION)."""
    return texts.str.contains(NEGATION).to_numpy(dtype=bool)


def _index(path: Path, cached: bool = True) -> SearchIndex:
    tables = store.load_run(path)
    nlp = _section(NlpConfig, tables.info.get("config", {}).get("nlp"))
    embed = _section(EmbedConfig, tables.info.get("config", {}).get("embed"))
    cache = _cache_for(path, tables.info)
    if not cached:
        return _build(tables, nlp, embed, cache)
    key = cache.key("zoek", code=(sys.modules[__name__], language), settings=(nlp, embed),
                    inputs=frame_hash(tables.segments, ["segment_id", "doc_id", "case", "theme_id", "start_char",
                                                        "text", "analysed", "excluded_reason", "source_file",
                                                        "location"]))
    return cache.get_or_build(key, lambda: _build(tables, nlp, embed, cache))


@lru_cache(maxsize=4)
def _load_index(run_dir: str, stamp: tuple) -> SearchIndex:
    return _index(Path(run_dir))


def load_index(run_dir: str | Path, rebuild: bool = False) -> SearchIndex:
    """The search index of a run folder: from the cache when it was built before; with `rebuild`
    built again from the run's parse and vectors (to time it)."""
    run_dir = Path(run_dir).resolve()
    _check_run(run_dir)
    if rebuild:
        return _index(run_dir, cached=False)
    segments = run_dir / "segments.csv"
    return _load_index(str(run_dir), (segments.stat().st_mtime_ns, segments.stat().st_size))


def _views(index: SearchIndex) -> list:
    """The index's views in one order: lexical, spelling, semantic (None without sentence vectors)."""
    return [index.lexical, index.spelling, index.semantic]


def _fragment_query(index: SearchIndex, rows: np.ndarray) -> list:
    """A fragment's row in each view: the sum of its sentences' rows; the sentence vectors
    length-weighted, as the run averages a segment's sentences."""
    weights = index.sentences["sentence"].str.len().to_numpy()[rows][:, None]
    query = [normalize(sparse.csr_matrix(index.lexical[rows].sum(axis=0))),
             normalize(sparse.csr_matrix(index.spelling[rows].sum(axis=0)))]
    if index.semantic is None:
        return query + [None]
    return query + [normalize((index.semantic[rows] * weights).sum(axis=0, keepdims=True))]


@dataclass
class Senses:
    """How a text query uses its words, to check a hit uses them alike: per content word its
    lemma and form and its columns in the lexical and spelling views; per word how the query
    uses it (`_uses`); and per sentence checked so far the columns it does not share."""
    words: list[tuple[set[str], np.ndarray, np.ndarray]]
    uses: dict[str, set[bool]]
    dropped: dict[int, tuple[np.ndarray, np.ndarray]]


def _uses(doc) -> dict[str, set[bool]]:
    """Word (lemma and lowercased form) -> how the parsed sentence uses it: True as a noun (tagged
    one, or in a nominal's relation: "op den duur", where the tagger says adjective), False as an
    adjective ("te duur", "dure tolken"). Other uses are not compared: a verb and its noun mostly
    mean alike ("tolken", "tolk"), and the tagger's adverbs are often its slips."""
    out: dict[str, set[bool]] = {}
    for tok in doc:
        head = tok
        while head.dep_ in ("conj", "flat") and head.head.i != head.i:
            head = head.head
        noun = tok.pos_ in ("NOUN", "PROPN") or head.dep_.split(":")[0] in NOMINAL
        if tok.is_alpha and (noun or tok.pos_ == "ADJ"):
            for word in {tok.lower_, language.lemmatize_tokens([tok.text], [tok.pos_ or None])[0].lower()}:
                out.setdefault(word, set()).add(noun)
    return out


def _as_sentence(text: str) -> str:
    """A typed query as the parser learned sentences: a capital first, a full stop last ("tolken
    zijn te duur" parses "tolken" as the verb, "Tolken zijn te duur." as the subject)."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text[-1:] in ".?!" else ".")


def _senses(index: SearchIndex, sentences: pd.DataFrame, tokens: pd.DataFrame) -> Senses:
    """The sense check of a text query: its content words' columns (as `_terms` and the spelling
    view make them) and, from the parser, how the query uses them."""
    content = _content(tokens)
    lexical, grams = index.vectorizer.vocabulary_, index.spelling_grams.vocabulary_
    words, analyse = [], index.spelling_grams.build_analyzer()
    for lemma, form, upos in zip(content["lemma"].str.lower(), content["text"].str.lower(), content["upos"]):
        parts = language.compound_parts(lemma) if upos in ("NOUN", "PROPN") else []
        terms = {lemma, form, *(parts if len(parts) > 1 else [])}
        ngrams = analyse(lemma)
        words.append(({lemma, form}, np.array(sorted({lexical[t] for t in terms if t in lexical}), dtype=int),
                      np.array(sorted({grams[g] for g in ngrams if g in grams}), dtype=int)))
    uses: dict[str, set[bool]] = {}
    for doc in language.parse_dependencies([_as_sentence(t) for t in sentences["text"]]):
        for word, how in _uses(doc).items():
            uses.setdefault(word, set()).update(how)
    return Senses(words, uses, {})


def _check(index: SearchIndex, senses: Senses, rows: np.ndarray) -> bool:
    """Parse the sentences of `rows` not checked yet and note, per sentence, the query's columns
    of the words it uses otherwise than the query (a noun there, an adjective here, or the other
    way round): "Op den duur geef je het op" does not share "duur" with "tolken zijn te duur".
    True when a sentence was found to share less than its words say."""
    nothing = np.zeros(0, dtype=int)
    for row in rows:  # a sentence without a word the query uses as a noun or adjective needs no parse
        sentence = index.sentences["sentence"].iat[row].lower()
        if row not in senses.dropped and not any(word in sentence for word in senses.uses):
            senses.dropped[row] = (nothing, nothing)
    todo = [r for r in rows if r not in senses.dropped]
    found = False
    for row, doc in zip(todo, language.parse_dependencies(index.sentences["sentence"].iloc[todo])):
        theirs = _uses(doc)
        other = [any(theirs.get(w) and senses.uses.get(w) and theirs[w].isdisjoint(senses.uses[w]) for w in names)
                 for names, _, _ in senses.words]
        senses.dropped[row] = tuple(_only(senses.words, other, view) for view in (1, 2))
        found |= any(other)
    return found


def _only(words: list, other: list[bool], view: int) -> np.ndarray:
    """The columns of a view that only the words used otherwise give (a compound part or an
    n-gram another query word has too stays)."""
    def columns(chosen):
        return np.concatenate([w[view] for w, c in zip(words, chosen) if c] or [np.zeros(0, dtype=int)])
    return np.setdiff1d(columns(other), columns([not o for o in other]))


def _text_query(index: SearchIndex, tekst: str, subject: str) -> tuple[list, Senses | None]:
    """A text's row in each view (None for a view it has nothing in), parsed and embedded as the
    run's sentences were; and how it uses its words (the sense check). A text without a content
    word is refused: its sentence vector alone ("de", "ja, dat is zo") finds the run's shortest
    sentences with great confidence, which says nothing."""
    seg = pd.DataFrame({"segment_id": [_QUERY_ID], "doc_id": ["zoekvraag"], "start_char": [0],
                        "end_char": [len(tekst)], "text": [tekst], "analysed": [True]})
    sentences, tokens = language.parse(seg, index.nlp)
    if _content(tokens).empty:
        raise InputError(subject, "de zoektekst heeft geen inhoudswoord (alleen woorden als 'de', 'en', 'is')",
                         "zoek met een paar woorden die zeggen waarover het gaat, bv. --tekst \"tolken zijn te duur\"")
    terms = [t for ts in _terms(tokens).values() for t in ts]
    lemmas = " ".join(" ".join(ls) for ls in _lemmas(tokens).values())  # n-grams stay within words
    query = [None, None, None]
    if index.lexical.shape[1]:
        query[0] = normalize(index.vectorizer.transform([terms]))
        query[1] = normalize(index.spelling_idf.transform(index.spelling_grams.transform([lemmas])))
    if index.semantic is not None and len(sentences):
        vectors = _without_common(language.embed_sentences(sentences, index.embed), index.mean, index.components)
        weights = sentences["text"].str.len().to_numpy()[:, None]
        query[2] = normalize((vectors * weights).sum(axis=0, keepdims=True))
    query = [None if sparse.issparse(q) and q.nnz == 0 else q for q in query]  # no known word: no row
    return query, (_senses(index, sentences, tokens) if query[0] is not None and len(sentences) else None)


def _query(index: SearchIndex, tekst: str | None, fragment: str | None, run_dir: Path):
    """(the query's row in each view, None for a view it lacks; seed segment id or None; the sense
    check of a text query or None; whether a text query says a negation word, None for a fragment;
    what the analyst should know about the query, in Dutch)."""
    notes = []
    if fragment is not None:
        rows = np.flatnonzero(index.sentences["segment_id"].to_numpy() == fragment)
        if len(rows) > 1:  # a whole written answer, a long turn: its hits share its subject, not one statement
            notes.append(f"fragment {fragment} telt {len(rows)} zinnen en er is met het hele fragment gezocht: de "
                         "treffers gaan over waar het fragment over gaat; zoek meer zoals één zin ervan met "
                         "--tekst \"<de zin>\"")
        if len(rows):
            return _fragment_query(index, rows), fragment, None, None, notes
        # A segment the run did not analyse (a facilitator's question, a heading): searched with its
        # text, as the analyst who picked it expects (the answers to a question, the talk on its
        # subject), not refused; and said, so its being no statement of a participant is not missed.
        segment = _segment(run_dir, fragment)
        reason = segment["excluded_reason"]
        notes.append(f"fragment {fragment} hoort niet bij de geanalyseerde fragmenten ({reason}: "
                     f"{EXCLUDED_EXPLAINED.get(reason, 'uitgesloten')}); er is gezocht met zijn tekst")
        tekst = segment["text"]
    if tekst is None or not tekst.strip():
        raise InputError("--tekst", "de zoektekst is leeg", "geef een zin of een paar woorden om naar te zoeken")
    subject = "--tekst" if fragment is None else fragment
    query, senses = _text_query(index, tekst, subject)
    if all(row is None for row in query):
        raise InputError(subject, "de zoektekst heeft geen inhoudswoorden die in deze run voorkomen",
                         "zoek met andere woorden of met --fragment")
    if query[0] is None and query[1] is None:  # no lemma, compound part or n-gram the run has
        notes.append("geen woord van de zoektekst komt in deze run voor (ook geen stam of deel van een "
                     "samenstelling): de treffers steunen alleen op de betekenis (de zinsvectoren)")
    return query, None, senses, bool(NEGATION.search(tekst)), notes


def _segment(run_dir: Path, fragment: str) -> pd.Series:
    """The row of segments.csv of `fragment`; for an id the run does not have, an error naming ids it has."""
    segments = store.read_csv(run_dir / "segments.csv")
    match = segments[segments["segment_id"] == fragment]
    if match.empty:
        raise InputError(fragment, "dit fragment bestaat niet in deze run",
                         "neem een segment_id uit segments.csv, bv. " + _nearest_ids(segments, fragment))
    return match.iloc[0]


def _nearest_ids(segments: pd.DataFrame, fragment: str) -> str:
    """Ids of the run to suggest for one it does not have: per document of that name, or else of a
    name spelled alike (difflib, its usual cutoff), the segment of that number ("…:006" -> "…:0006")
    or else its first analysed one; without such a document, the run's first analysed segment."""
    name, _, number = fragment.rpartition(":")
    docs = list(dict.fromkeys(segments["doc_id"]))
    near = [name] if name in docs else difflib.get_close_matches(name, docs, n=3, cutoff=0.6)
    analysed = segments["analysed"].astype(str).str.lower() == "true"
    suggestions = [] if near else list((segments[analysed] if analysed.any() else segments)["segment_id"][:1])
    for doc in near:
        mine = segments[segments["doc_id"] == doc]
        numbers = mine["segment_id"].str.rpartition(":")[2]
        same = mine[number.isdigit() & numbers.str.isdigit() & (numbers.str.lstrip("0") == number.lstrip("0"))]
        first = mine[analysed[mine.index]]
        suggestions += list((same if len(same) else first if len(first) else mine)["segment_id"][:1])
    return " of ".join(f"'{i}'" for i in suggestions) if suggestions else "(deze run heeft geen fragmenten)"


def _standardised(scores: np.ndarray) -> np.ndarray:
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores)


def _score(index: SearchIndex, query: list, senses: Senses | None = None, negated: bool | None = None) -> np.ndarray:
    """Per sentence: the mean of the standardised cosines of the views the query has; for a
    sentence the sense check found using a query word otherwise, the lexical and spelling cosines
    without that word's columns; with `negated` (a text query's polarity), less POLARITY_PENALTY
    standard deviations of that mean for a sentence of the other polarity."""
    views = []
    for v, (matrix, row) in enumerate(zip(_views(index), query)):
        if row is None:
            continue
        row = (row.toarray() if sparse.issparse(row) else row).ravel()  # sparse x dense: one pass over the index
        cosines = matrix @ row
        for sentence, columns in (senses.dropped.items() if senses is not None and v < 2 else ()):
            cosines[sentence] -= matrix[sentence, columns[v]].toarray().ravel() @ row[columns[v]]
        views.append(_standardised(cosines))
    if not views:
        return np.zeros(len(index.sentences))
    scores = np.mean(views, axis=0)
    if negated is not None and index.negated is not None:
        scores = scores - POLARITY_PENALTY * scores.std() * (index.negated != negated)
    return scores


def _best_per_segment(index: SearchIndex, scores: np.ndarray, exclude: str | None) -> np.ndarray:
    """Row numbers of each segment's best sentence, best first, without the seed segment."""
    frame = pd.DataFrame({"segment_id": index.sentences["segment_id"].to_numpy(), "score": scores,
                          "row": np.arange(len(scores))})
    if exclude is not None:
        frame = frame[frame["segment_id"] != exclude]
    # ties broken by position in the run, so the same query always gives the same list
    best = frame.sort_values(["score", "row"], ascending=[False, True], kind="stable").drop_duplicates("segment_id")
    return best["row"].to_numpy()


def _ranked(index: SearchIndex, query: list, exclude: str | None, senses: Senses | None, negated: bool | None):
    """(scores, rows of the best sentence per segment, best first), the best SENSE_DEPTH checked."""
    scores = _score(index, query, senses, negated)
    order = _best_per_segment(index, scores, exclude)
    if senses is not None and _check(index, senses, order[:SENSE_DEPTH]):
        scores = _score(index, query, senses, negated)
        order = _best_per_segment(index, scores, exclude)
    return scores, order


def rank(index: SearchIndex, query: list, exclude: str | None = None, feedback: bool = True,
         senses: Senses | None = None, negated: bool | None = None):
    """(rows of the best sentence per segment, best first; their scores). With `feedback` the query
    is moved towards its best hits in every view (Rocchio) and the run scored again. With `senses`
    (a text query) a word the hit uses otherwise than the query is not shared; with `negated` (a
    text query's polarity) a hit of the other polarity ranks lower."""
    scores, order = _ranked(index, query, exclude, senses, negated)
    if feedback and len(order):
        top = order[:FEEDBACK_DEPTH]
        query = [None if row is None else normalize(row + ROCCHIO_BETA * _mean_row(matrix[top]))
                 for matrix, row in zip(_views(index), query)]
        scores, order = _ranked(index, query, exclude, senses, negated)
    return order, scores[order]


def _mean_row(rows):
    return sparse.csr_matrix(rows.mean(axis=0)) if sparse.issparse(rows) else rows.mean(axis=0, keepdims=True)


def search_hits(run_dir: str | Path, tekst: str | None = None, fragment: str | None = None, top: int = 20,
                feedback: bool = True) -> pd.DataFrame:
    """The hits with where they come from: the COLUMNS plus doc_id, start_char, end_char
    (`sentence == <text_file>[start_char:end_char]`, the run's texts/), source_file and location
    (the sheet row or page there, "" for plain text). `hits.attrs["let_op"]`: what the analyst
    should know about the query, in Dutch (a fragment the run did not analyse, a text none of
    whose words the run knows: hits on meaning alone); the CLI prints it on stderr."""
    if (tekst is None) == (fragment is None):
        raise InputError("zoek", "geef precies één van --tekst of --fragment",
                         "bv. --tekst \"tolken zijn te duur\" of --fragment met een segment_id uit segments.csv")
    if int(top) < 1:
        raise InputError("--top", f"moet minstens 1 zijn, niet {top}", "bv. --top 20")
    run_dir = Path(run_dir)
    index = load_index(run_dir)
    if index.sentences.empty:
        raise InputError(run_dir, "deze run heeft geen geanalyseerde zinnen om in te zoeken",
                         "analyseer een corpus met inhoud (zie excluded_reason in segments.csv)")
    query, seed, senses, negated, notes = _query(index, tekst, fragment, run_dir)
    rows, scores = rank(index, query, exclude=seed, feedback=feedback, senses=senses, negated=negated)
    rows, scores = rows[:int(top)], scores[:int(top)]
    hits = index.sentences.iloc[rows].reset_index(drop=True)
    hits.insert(0, "rank", np.arange(1, len(hits) + 1))
    hits["score"] = np.round(scores.astype(float), 3)
    hits = hits[COLUMNS + ["doc_id", "start_char", "end_char"] + WHERE]
    hits.attrs["let_op"] = notes
    return hits


def zoek(run_dir: str | Path, tekst: str | None = None, fragment: str | None = None, top: int = 20) -> pd.DataFrame:
    """The `top` sentences of the run most like `tekst` or like the segment `fragment` (not
    itself), one per segment, best first: rank, segment_id, case, theme_id, score, sentence.
    `.attrs["let_op"]` holds the notes on the query, as `search_hits`."""
    return search_hits(run_dir, tekst=tekst, fragment=fragment, top=top)[COLUMNS]
