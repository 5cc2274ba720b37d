"""Themes: analysed segments -> themes, their labels and the theme of each segment.

Needs: term lists per segment (lemmas, phrases, compound parts; `terms_from_tokens`) and segment
vectors from `pipeline.language`, `ThemeConfig`. Adds: a fitted `ThemeModel` (spectral
clustering of a k-nearest-neighbour graph, k by smoothed modularity; `transform` scores a segment against
every theme, `predict` gives its theme, `assign` the assignments table), the `themes` table with
class-based TF-IDF terms (`ctfidf`, which the mechanisms label with too) and a heading per theme
from its own noun phrases (`phrases_from_tokens`), theme ids kept stable
across runs (`match_ids`), saved models for later rounds, an analyst codebook for guided mode and
the analyst's overrides (rename, merge, exclude).
"""

from ._codebook import CodebookTheme, codebook_seeds, load_codebook
from ._labels import cut_names, phrases_from_tokens, readings_from_tokens
from ._model import FILLER, ThemeModel, ctfidf, terms_from_tokens
from ._rounds import changed_subjects, code_new_round, subject_label
from ._quantify import corrected_shares
from ._words import MOVED_WORDS, RoundWords, changed_words, round_words
from ._overrides import (DEFAULT_NAME, EXCLUDED_REASON, MECHANISM_MARKER, Overrides, apply_overrides, load_overrides,
                         only_themes, parse_overrides, read_overrides_file, record_fingerprints, same_theme, write_record)
from ._store import (PreviousThemes, load_model, match_ids, previous_members, previous_themes, run_seen_at, save_model,
                     theme_members,
                     theme_vectors, write_vectors)

__all__ = [
    "ThemeModel", "terms_from_tokens", "phrases_from_tokens", "readings_from_tokens", "cut_names", "FILLER", "ctfidf", "CodebookTheme", "load_codebook", "codebook_seeds", "Overrides",
    "load_overrides", "parse_overrides", "apply_overrides", "only_themes", "DEFAULT_NAME", "EXCLUDED_REASON", "theme_vectors",
    "theme_members", "previous_themes", "PreviousThemes", "run_seen_at", "record_fingerprints", "same_theme", "write_record", "read_overrides_file", "MECHANISM_MARKER", "previous_members", "match_ids", "write_vectors", "save_model", "load_model",
    "code_new_round", "changed_subjects", "subject_label", "corrected_shares",
    "RoundWords", "round_words", "changed_words", "MOVED_WORDS",
]
