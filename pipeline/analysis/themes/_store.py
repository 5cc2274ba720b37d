"""Themes across runs and rounds: stable theme ids, and saved theme models.

Stable ids: each run writes `theme_vectors.npz` (per theme the mean sentence embedding of its
segments, and its top terms). A new run of a grown corpus matches its themes to every theme seen
for that corpus (`previous_themes`: the newest definition of each id over the runs that share the
corpus's ids) and takes over their ids, so an analyst's overrides file and notes keep pointing at
the same themes whatever was run in between; a retired id is never given to another theme. The match is a Hungarian assignment on the sum of two similarities: the cosine of the
themes' mean embeddings (accepted from `MATCH_MIN` up) and, for the segments both runs hold, the
overlap of their members (accepted from `MATCH_MIN_MEMBERS` up). Members decide when the centres
drifted on a small corpus; centres decide for a new round whose segments are all new. New themes
get the next free numbers.

Saved models: `save_model` writes a fitted ThemeModel with its config, library versions and
theme labels under models/themes/<name>/, so a new round of notes can be coded against an
earlier round's themes (`stadsgenoten run --model <name>`) and the two rounds compared.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ...config import PROJECT_ROOT
from ...errors import InputError
from ...store import list_runs

__all__ = ["theme_vectors", "theme_members", "match_ids", "previous_themes", "PreviousThemes", "previous_members",
           "run_seen_at",
           "save_model", "load_model", "MODELS_DIR", "MATCH_MIN"]

MODELS_DIR = PROJECT_ROOT / "models" / "themes"
MATCH_MIN = 0.8  # cosine of mean embeddings; below it a theme counts as new
MATCH_MIN_TERMS = 0.3  # Jaccard of term sets, in lexical-only runs
MATCH_MIN_MEMBERS = 0.5  # Jaccard of member segments, over the segments both runs hold
_VECTORS = "theme_vectors.npz"


def theme_vectors(assignments: pd.DataFrame, ids: list[str], vectors: np.ndarray | None,
                  terms: dict[str, list[str]]) -> dict:
    """Per theme: the mean embedding of its segments (or term counts when lexical-only)."""
    row = {seg: i for i, seg in enumerate(ids)}
    out = {}
    for theme_id, group in assignments[assignments["theme_id"] != ""].groupby("theme_id"):
        idx = [row[s] for s in group["segment_id"]]
        if vectors is not None:
            v = vectors[idx].mean(axis=0)
            out[theme_id] = v / (np.linalg.norm(v) or 1)
        else:
            out[theme_id] = sorted({t for s in group["segment_id"] for t in terms.get(s, [])})
    return out


def theme_members(assignments: pd.DataFrame) -> dict[str, set[str]]:
    """Theme id -> the segment ids coded with it (outliers, theme "", left out)."""
    coded = assignments[assignments["theme_id"].fillna("") != ""]
    return {t: set(g) for t, g in coded.groupby("theme_id")["segment_id"]}


def previous_members(folder: Path | None) -> dict[str, set[str]]:
    """theme_members of an earlier run, read from its segments.csv ({} if there is none)."""
    if folder is None or not (Path(folder) / "segments.csv").is_file():
        return {}
    table = pd.read_csv(Path(folder) / "segments.csv", usecols=["segment_id", "theme_id"], dtype=str,
                        keep_default_na=False)
    return theme_members(table)


def _member_overlap(a: set[str], b: set[str], common: set[str]) -> float:
    a, b = a & common, b & common
    return len(a & b) / max(len(a | b), 1)


def write_vectors(vectors: dict, folder: Path) -> None:
    ids = sorted(vectors)
    if ids and isinstance(vectors[ids[0]], np.ndarray):
        np.savez(folder / _VECTORS, ids=np.array(ids), vectors=np.vstack([vectors[i] for i in ids]))
    else:
        np.savez(folder / _VECTORS, ids=np.array(ids), terms=np.array([" | ".join(vectors[i]) for i in ids]))


@dataclass
class PreviousThemes:
    """The themes a new run's ids are matched to: per id its vector (or terms) and members."""

    vectors: dict = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    runs: list[Path] = field(default_factory=list)  # oldest first; the last is the newest run used


def _load_vectors(folder: Path) -> dict:
    data = np.load(folder / _VECTORS)
    ids = [str(i) for i in data["ids"]]
    if "vectors" in data:
        return dict(zip(ids, data["vectors"]))
    return {i: str(t).split(" | ") for i, t in zip(ids, data["terms"])}


def previous_themes(out_dir: str | Path, corpus_path: str, explicit: str = "") -> PreviousThemes:
    """The themes to keep ids from: `explicit` (one run folder), "none" (none: ids start afresh),
    or with "latest" every theme seen for this corpus under out_dir. That is the corpus's first
    run and each later run that kept ids from earlier ones (a run started afresh with "none"
    gave ids of its own and is left out); for an id, its newest definition counts."""
    if explicit in ("", "none"):
        return PreviousThemes()
    if explicit != "latest":
        folder = Path(explicit)
        if not (folder / _VECTORS).is_file():
            raise InputError(folder, f"geen {_VECTORS} in deze map", "geef bij --previous-run een runmap")
        return PreviousThemes(_load_vectors(folder), previous_members(folder), [folder])
    runs = []
    for run_dir in list_runs(out_dir):
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        if info.get("config", {}).get("corpus", {}).get("path") == corpus_path and (run_dir / _VECTORS).is_file():
            kept_ids = bool(info.get("themes_model", {}).get("ids_matched_to"))
            if not runs or kept_ids:
                runs.append(run_dir)
    found = PreviousThemes(runs=runs)
    for run_dir in runs:  # oldest first: a newer definition of an id replaces an older one
        vectors, members = _load_vectors(run_dir), previous_members(run_dir)
        found.vectors.update(vectors)
        found.members.update({tid: members.get(tid, set()) for tid in vectors})
    return found


def run_seen_at(out_dir: str | Path, corpus_path: str, moment: float) -> Path | None:
    """The newest run of this corpus that existed at `moment` (a file's modification time): the
    run an analyst was looking at when writing that file."""
    seen = None
    for run_dir in list_runs(out_dir):
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        created = datetime.fromisoformat(str(info.get("created", "")).replace("Z", "+00:00")) \
            if info.get("created") else None
        if info.get("config", {}).get("corpus", {}).get("path") == corpus_path and created \
                and created.timestamp() <= moment:
            seen = run_dir
    return seen


def _similarity(a, b) -> float:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return float(a @ b) if a.shape == b.shape else 0.0
    if isinstance(a, list) and isinstance(b, list):
        sa, sb = set(a), set(b)
        return len(sa & sb) / max(len(sa | sb), 1)
    return 0.0


def match_ids(new: dict, old: dict, minimum: float | None = None,
              members: tuple[dict, dict] | None = None) -> dict[str, str]:
    """new theme id -> id to use: the matched previous id, or the next free number.
    `members` = (new theme_members, old theme_members) adds the member overlap (module doc)."""
    new_ids, old_ids = sorted(new), sorted(old)
    if minimum is None:
        lexical = any(isinstance(v, list) for v in new.values())
        minimum = MATCH_MIN_TERMS if lexical else MATCH_MIN
    mapping: dict[str, str] = {}
    if new_ids and old_ids:
        sims = np.array([[_similarity(new[n], old[o]) for o in old_ids] for n in new_ids])
        overlap = np.zeros_like(sims)
        if members is not None:
            new_members, old_members = members
            common = set().union(*new_members.values(), set()) & set().union(*old_members.values(), set())
            overlap = np.array([[_member_overlap(new_members.get(n, set()), old_members.get(o, set()), common)
                                 for o in old_ids] for n in new_ids])
        rows, cols = linear_sum_assignment(-(sims + overlap))
        for r, c in zip(rows, cols):
            if sims[r, c] >= minimum or overlap[r, c] >= MATCH_MIN_MEMBERS:
                mapping[new_ids[r]] = old_ids[c]
    used = set(mapping.values())
    next_number = max([int(i[1:]) for i in old_ids + new_ids if i[1:].isdigit()] + [0]) + 1
    # unmatched themes keep their own number when it is free, else take the next free one
    for n in new_ids:
        if n in mapping:
            continue
        if n not in used and n not in old_ids:
            mapping[n] = n
        else:
            mapping[n] = f"T{next_number:02d}"
            next_number += 1
        used.add(mapping[n])
    return mapping


def save_model(model, name: str, config: dict, themes: pd.DataFrame, versions: dict) -> Path:
    """models/themes/<name>/model.pkl and model.json (config, versions, theme ids and labels)."""
    folder = MODELS_DIR / name if not Path(name).is_absolute() else Path(name)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.pkl").write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    meta = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "config": config,
            "versions": versions, "themes": themes[["theme_id", "label", "top_terms"]].to_dict("records")}
    (folder / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def load_model(name: str):
    """(model, meta) saved by save_model; `name` is a folder under models/themes/ or a path."""
    folder = Path(name) if Path(name).is_dir() else MODELS_DIR / name
    if not (folder / "model.pkl").is_file():
        raise InputError(folder, "hier staat geen bewaard themamodel",
                         "bewaar er een met `stadsgenoten run --save-model NAAM`")
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    return pickle.loads((folder / "model.pkl").read_bytes()), meta
