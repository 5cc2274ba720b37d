"""The analyst's overrides file: rename, merge or exclude themes of a finished run.

An overrides file is a small YAML file the analyst keeps next to a run folder (by default
`<run>/overrides.yaml`); `stadsgenoten regenerate RUN` applies it to the run's tables and rebuilds
the summaries, report, plots and exports without parsing or clustering again:

    rename:                 # theme id -> the analyst's label
      T03: "Taal en tolken"
    merge:                  # each group becomes one theme; later ids merge into the first
      - [T04, T07]
    exclude: [T09]          # its fragments become unassigned ("thema uitgesloten door analist")
    split: {}               # accepted, but splitting a theme needs a new run
    themes:                 # filled in by stadsgenoten: the themes these lines were written for
      T03: "tolk; tolkenbudget; taal"

The `themes` block records, per theme id, the top terms of the theme the analyst saw when writing
the file (`record_fingerprints` adds it the first time the file is applied). A rerun whose theme
under that id is another theme (no shared top terms to speak of) does not apply those lines and
says so, instead of putting a label on the wrong theme.

`load_overrides` checks the file (unknown keys, malformed ids and contradictions are errors that
name the file); ids that do not occur in the run are warnings, not errors, so one overrides file
can follow a corpus through reruns. `apply_overrides` is a pure function: new frames, nothing
written. The run's own CSV files stay as the clustering wrote them.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from ...errors import ConfigError, PipelineError
from ...schema import cell_items, theme_case_matrix
from ...store import RunTables

__all__ = ["Overrides", "load_overrides", "read_overrides_file", "apply_overrides", "only_themes", "record_fingerprints", "EXCLUDED_REASON", "DEFAULT_NAME",
           "write_record", "MECHANISM_MARKER"]

log = logging.getLogger(__name__)

DEFAULT_NAME = "overrides.yaml"
EXCLUDED_REASON = "thema uitgesloten door analist"
_KEYS = ("rename", "merge", "exclude", "split", "themes")
# the mechanism lines and their record share the file; pipeline.analysis.mechanisms reads them
OTHER_KEYS = ("mechanisms", "mechanisms_recorded")
# A theme is the one a line was written for when at least this share of its recorded top terms
# are still among its top terms (a grown corpus reorders and replaces a few; another theme shares
# next to none).
SAME_THEME_SHARE = 0.3
_MARKER = "# Door stadsgenoten ingevuld: voor welke thema's deze regels geschreven zijn (niet wijzigen)."
_THEME_ID = re.compile(r"^T\d{2,}$")


@dataclass(frozen=True)
class Overrides:
    rename: dict[str, str] = field(default_factory=dict)
    merge: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    split: dict = field(default_factory=dict)
    themes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> top terms it was written for
    source: str = ""  # the file it came from, for messages and regenerated.json

    def is_empty(self) -> bool:
        return not (self.rename or self.merge or self.exclude or self.split)

    def ids(self) -> list[str]:
        """Every theme id the file mentions, in file order."""
        out = list(self.rename) + [t for group in self.merge for t in group] + list(self.exclude) + list(self.split)
        return list(dict.fromkeys(out))

    def to_dict(self) -> dict:
        return {"rename": dict(self.rename), "merge": [list(g) for g in self.merge],
                "exclude": list(self.exclude), "split": copy.deepcopy(self.split)}


def _err(where: str, message: str) -> ConfigError:
    return ConfigError(f"{where}: {message}")


def _theme_id(value, where: str, what: str) -> str:
    if not isinstance(value, str) or not _THEME_ID.match(value.strip()):
        raise _err(where, f"{what}: {value!r} is geen thema-id (schrijf het zoals in themes.csv, bv. T03)")
    return value.strip()


def parse_overrides(data, where: str = "overrides") -> Overrides:
    """Overrides from an already-loaded mapping; `where` names the source in error messages."""
    if data is None:
        return Overrides(source=where)
    if not isinstance(data, dict):
        raise _err(where, "verwacht bovenaan een mapping met rename, merge, exclude en/of split")
    unknown = sorted(str(k) for k in data if k not in _KEYS + OTHER_KEYS)
    if unknown:
        raise _err(where, f"onbekende sleutel(s) {unknown}; bekend: {list(_KEYS + OTHER_KEYS)}")

    rename_raw = data.get("rename") or {}
    if not isinstance(rename_raw, dict):
        raise _err(where, "rename: verwacht een mapping zoals {T03: \"Taal en tolken\"}")
    rename: dict[str, str] = {}
    for key, label in rename_raw.items():
        tid = _theme_id(key, where, "rename")
        if not isinstance(label, str) or not label.strip():
            raise _err(where, f"rename: {tid} heeft een niet-leeg label tussen aanhalingstekens nodig, kreeg {label!r}")
        rename[tid] = " ".join(label.split())

    merge_raw = data.get("merge") or []
    if not isinstance(merge_raw, list):
        raise _err(where, "merge: verwacht een lijst van groepen zoals [[T04, T07]]")
    merge: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for n, group in enumerate(merge_raw, 1):
        if not isinstance(group, list) or len(group) < 2:
            raise _err(where, f"merge: groep {n} moet een lijst van minstens twee thema-id's zijn, kreeg {group!r}")
        ids = tuple(_theme_id(t, where, f"merge group {n}") for t in group)
        for tid in ids:
            if tid in seen:
                raise _err(where, f"merge: {tid} staat in groep {seen[tid]} en in groep {n}; "
                                  "zet de thema's die samenhoren in één groep")
            seen[tid] = n
        merge.append(ids)

    exclude_raw = data.get("exclude") or []
    if isinstance(exclude_raw, str):
        exclude_raw = [exclude_raw]
    if not isinstance(exclude_raw, list):
        raise _err(where, "exclude: verwacht een lijst van thema-id's zoals [T09]")
    exclude = tuple(dict.fromkeys(_theme_id(t, where, "exclude") for t in exclude_raw))
    for tid in exclude:
        if tid in seen:
            raise _err(where, f"{tid} staat bij merge en bij exclude; kies één")
        if tid in rename:
            raise _err(where, f"{tid} staat bij rename en bij exclude; kies één")
    merged_away = {t: g[0] for g in merge for t in g[1:]}
    for tid in rename:
        if tid in merged_away:
            raise _err(where, f"rename: {tid} wordt samengevoegd in {merged_away[tid]}; hernoem {merged_away[tid]}")

    split_raw = data.get("split") or {}
    if not isinstance(split_raw, dict):
        raise _err(where, "split: verwacht een mapping van thema-id naar hoe het te splitsen")
    split = {_theme_id(k, where, "split"): v for k, v in split_raw.items()}
    themes_raw = data.get("themes") or {}
    if not isinstance(themes_raw, dict):
        raise _err(where, "themes: verwacht een mapping van thema-id naar zijn kerntermen")
    themes = {_theme_id(k, where, "themes"): tuple(cell_items(v))
              for k, v in themes_raw.items()}
    return Overrides(rename=rename, merge=tuple(merge), exclude=exclude, split=split, themes=themes, source=where)


def read_overrides_file(path: str | Path):
    """The parsed YAML of an overrides file (theme and mechanism lines alike); ConfigError naming the
    file when it is missing or not YAML."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"overrides-bestand niet gevonden: {path}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        # PyYAML says what it expected in English; the analyst needs where, and the usual cause
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: geen geldige YAML{where}: zet een label of zin met ':', '#', ',' of haakjes "
                          f"tussen aanhalingstekens en spring elke regel van een blok even ver in ({exc})") from exc


def load_overrides(path: str | Path) -> Overrides:
    """Read and check an overrides YAML file; raises ConfigError naming the file."""
    return parse_overrides(read_overrides_file(path), str(path))


def _merge_terms(term_lists: list[str], n: int) -> str:
    """Interleave the '; '-joined top terms of merged themes, first theme first, no repeats."""
    lists = [cell_items(s) for s in term_lists]
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        for terms in lists:
            if i < len(terms) and terms[i] not in out:
                out.append(terms[i])
    return "; ".join(out[:n])


def _map_id_list(value: str, mapping: dict[str, str]) -> str:
    """'T04; T07; T09' -> mapped ids ('' drops one), deduplicated, in order."""
    ids = [mapping.get(t.strip(), t.strip()) for t in re.split(r"[;,]", value or "") if t.strip()]
    return "; ".join(dict.fromkeys(t for t in ids if t))


def apply_overrides(tables: RunTables, overrides: Overrides) -> RunTables:
    """New tables with the overrides applied; the input tables are not changed.

    Warnings (ids not in this run) are logged and listed in `info["overrides"]["warnings"]`.
    """
    if overrides.split:
        raise PipelineError(
            f"split vraagt een nieuwe run: {', '.join(overrides.split)} in {overrides.source or 'de overrides'} "
            "kan niet uit de bewaarde tabellen gesplitst worden; draai de analyse opnieuw met meer thema's "
            "(--n-themes) of verwijder de split-regel")
    known = list(tables.themes["theme_id"])
    warnings = [f"{overrides.source or 'overrides'}: thema {tid} komt in deze run niet voor (ze heeft "
                f"{', '.join(known) if known else 'geen enkel thema'}); genegeerd"
                for tid in overrides.ids() if tid not in known]
    overrides, other = _for_these_themes(overrides, tables.themes)
    warnings += other
    for message in warnings:
        log.warning(message)

    mapping, merged_from, excluded = _id_mapping(known, overrides)
    themes_in = tables.themes.set_index("theme_id", drop=False)
    labels = {}
    for tid in known:
        if mapping[tid] == tid:
            labels[tid] = overrides.rename.get(tid, themes_in.at[tid, "label"])

    segments, gone = _recoded_segments(tables.segments, mapping, labels)
    cases = sorted(tables.documents["case"].unique()) if len(tables.documents) else sorted(segments["case"].unique())
    themes = _themes_table(tables, segments, themes_in, mapping, merged_from, labels)
    matrix = theme_case_matrix(segments, list(themes["theme_id"]), cases)

    mechanisms = tables.mechanisms
    if mechanisms is not None and "themes" in mechanisms.columns:
        mechanisms = mechanisms.copy()
        mechanisms["themes"] = mechanisms["themes"].map(lambda v: _map_id_list(v, mapping))
    practices = tables.practices
    if practices is not None and "theme_id" in practices.columns:
        practices = practices.copy()
        practices["theme_id"] = practices["theme_id"].fillna("").map(lambda t: mapping.get(t, t) if t else "")

    applied = _applied(overrides, themes_in, labels, merged_from, excluded, int(gone.sum()), warnings)
    info = copy.deepcopy(tables.info)
    counts_info = info.setdefault("counts", {})
    clustered = counts_info.get("clustered")
    counts_info["themes"] = len(themes)
    counts_info["assigned"] = int((segments["theme_id"] != "").sum())
    if clustered is not None:
        counts_info["unassigned"] = int(clustered) - counts_info["assigned"]
    info["overrides"] = applied
    if warnings:
        info["warnings"] = list(info.get("warnings", [])) + warnings

    return replace(tables, segments=segments, themes=themes, matrix=matrix, info=info,
                   mechanisms=mechanisms, practices=practices, extra={**tables.extra, "overrides": applied})


def _for_these_themes(overrides: Overrides, themes: pd.DataFrame) -> tuple[Overrides, list[str]]:
    """The overrides without the lines whose theme id now names another theme than the one they
    were written for (its recorded top terms), and a warning for each id left out."""
    current = {t: cell_items(terms) for t, terms in zip(themes["theme_id"], themes["top_terms"])}
    moved = [tid for tid in overrides.ids() if tid in current and tid in overrides.themes
             and not same_theme(overrides.themes[tid], current[tid])]
    warnings = [f"{overrides.source or 'overrides'}: {tid} is geschreven voor het thema "
                f"'{'; '.join(overrides.themes[tid][:5])}', maar {tid} is in deze run "
                f"'{'; '.join(current[tid][:5])}'; de regels erover worden niet toegepast (zoek het id van het "
                f"thema in themes.csv en verbeter het bestand)" for tid in moved]
    return _without(overrides, set(moved)), warnings


def same_theme(recorded, current) -> bool:
    """Whether a theme with `current` top terms is the one that had the `recorded` ones."""
    recorded = [t for t in recorded if t]
    if not recorded:
        return True
    shared = len(set(recorded) & set(current))
    return shared >= max(1, SAME_THEME_SHARE * len(recorded))


def only_themes(overrides: Overrides, ids) -> Overrides:
    """The lines about these theme ids only (a merge keeps its members among them), without a
    warning for the others: for an earlier round that has some of a later round's themes."""
    return _without(overrides, set(overrides.ids()) - set(ids))


def _without(overrides: Overrides, ids: set[str]) -> Overrides:
    if not ids:
        return overrides
    merge = tuple(g for g in (tuple(t for t in group if t not in ids) for group in overrides.merge) if len(g) > 1)
    return replace(overrides, rename={k: v for k, v in overrides.rename.items() if k not in ids}, merge=merge,
                   exclude=tuple(t for t in overrides.exclude if t not in ids),
                   split={k: v for k, v in overrides.split.items() if k not in ids})


def record_fingerprints(path: str | Path, overrides: Overrides, themes: pd.DataFrame) -> Overrides:
    """Add to the overrides file, for each theme id it names that has no record yet, the top terms
    of that theme in `themes` (the run the file was written for); returns the overrides with them.
    The analyst's own lines and comments are kept: the record is a block at the end of the file."""
    current = dict(zip(themes["theme_id"], themes["top_terms"]))
    missing = [tid for tid in overrides.ids() if tid not in overrides.themes and tid in current]
    if not missing:
        return overrides
    recorded = {**{t: "; ".join(v) for t, v in overrides.themes.items()},
                **{t: "; ".join(cell_items(current[t])[:10]) for t in missing}}
    if not write_record(path, "themes", _MARKER, recorded):
        return overrides  # the analyst keeps the record by hand: leave it to them
    return load_overrides(path)


MECHANISM_MARKER = ("# Door stadsgenoten ingevuld: voor welke mechanismen de mechanisms-regels geschreven zijn "
                    "(niet wijzigen).")
_MARKERS = (_MARKER, MECHANISM_MARKER)  # every recorded block's marker, in the order the blocks are written


def write_record(path: str | Path, key: str, marker: str, recorded: dict) -> bool:
    """Write the block `key: recorded` under `marker` at the end of the overrides file, keeping
    the analyst's lines and comments above the first marker and the other recorded blocks (themes,
    mechanisms). False, nothing written, when the analyst wrote `key` by hand (no marker)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if key in (yaml.safe_load(text) or {}) and marker not in text:
        return False
    cuts = sorted((text.index(m), m) for m in _MARKERS if m in text)
    kept = text[:cuts[0][0]] if cuts else text
    blocks = {m: text[at + len(m):(cuts[k + 1][0] if k + 1 < len(cuts) else len(text))].strip("\n")
              for k, (at, m) in enumerate(cuts)}
    blocks[marker] = yaml.safe_dump({key: recorded}, allow_unicode=True, sort_keys=True, width=1000).rstrip("\n")
    tail = "".join(f"\n{m}\n{blocks[m]}\n" for m in _MARKERS if m in blocks)
    path.write_text(f"{kept.rstrip(chr(10))}\n{tail}", encoding="utf-8")
    return True


def _id_mapping(known: list[str], overrides: Overrides) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """(old id -> new id, "" = excluded; kept id -> the ids merged into it; the excluded ids)."""
    mapping = {tid: tid for tid in known}
    merged_from: dict[str, list[str]] = {}
    for group in overrides.merge:
        present = [t for t in group if t in mapping]
        if len(present) < 2:
            continue
        for tid in present[1:]:
            mapping[tid] = present[0]
        merged_from[present[0]] = present[1:]
    excluded = [t for t in overrides.exclude if t in mapping]
    for tid in excluded:
        mapping[tid] = ""
    return mapping, merged_from, excluded


def _recoded_segments(segments: pd.DataFrame, mapping: dict[str, str],
                      labels: dict[str, str]) -> tuple[pd.DataFrame, pd.Series]:
    """(the segments with their themes mapped, which segments lost their theme by an exclusion)."""
    segments = segments.copy()
    old = segments["theme_id"].fillna("")
    new = old.map(lambda t: mapping.get(t, t) if t else "")
    gone = (old != "") & (new == "")
    segments["theme_id"] = new
    segments["theme_label"] = new.map(lambda t: labels.get(t, "") if t else "")
    segments.loc[gone, "excluded_reason"] = EXCLUDED_REASON
    if "theme_2" in segments.columns:
        second = segments["theme_2"].fillna("").map(lambda t: mapping.get(t, t) if t else "")
        drop = (second == "") | (second == segments["theme_id"])
        segments["theme_2"] = second.where(~drop, "")
        if "theme_2_score" in segments.columns:
            segments["theme_2_score"] = segments["theme_2_score"].where(~drop, 0.0)
    return segments, gone


def _themes_table(tables: RunTables, segments: pd.DataFrame, themes_in: pd.DataFrame, mapping: dict[str, str],
                  merged_from: dict[str, list[str]], labels: dict[str, str]) -> pd.DataFrame:
    """The themes table after the overrides: kept themes relabelled, merged ones counted together."""
    assigned = segments[segments["theme_id"] != ""]
    configured_terms = int((tables.info or {}).get("config", {}).get("themes", {}).get("n_terms", 0) or 0)
    rows = []
    for tid in tables.themes["theme_id"]:
        if mapping[tid] != tid:
            continue
        members = assigned[assigned["theme_id"] == tid]
        group = [tid] + merged_from.get(tid, [])
        n_terms = configured_terms or max(len(cell_items(themes_in.at[g, "top_terms"])) for g in group)
        row = themes_in.loc[tid].to_dict()
        row.update({
            "label": labels[tid],
            "top_terms": _merge_terms([str(themes_in.at[g, "top_terms"]) for g in group], n_terms),
            "n_segments": int(len(members)),
            "n_cases": int(members["case"].nunique()),
            "cases": "; ".join(sorted(members["case"].unique())),
        })
        rows.append(row)
    themes = pd.DataFrame(rows, columns=tables.themes.columns).reset_index(drop=True)
    for column in ("n_segments", "n_cases"):
        themes[column] = themes[column].astype("int64")
    return themes


def _applied(overrides: Overrides, themes_in: pd.DataFrame, labels: dict[str, str],
             merged_from: dict[str, list[str]], excluded: list[str], n_excluded_segments: int,
             warnings: list[str]) -> dict:
    """What was applied, for info["overrides"]: the file, its entries, what took effect and notes per theme."""
    notes: dict[str, list[str]] = {}
    for tid, others in merged_from.items():
        notes.setdefault(tid, []).append("samengevoegd met " + ", ".join(
            f"{o} ({themes_in.at[o, 'label']})" for o in others))
    for tid, label in overrides.rename.items():
        if tid in labels:
            notes.setdefault(tid, []).append(f"hernoemd; oorspronkelijk label: {themes_in.at[tid, 'label']}")
    return {
        "file": overrides.source,
        **overrides.to_dict(),
        "applied": {
            "renamed": [t for t in overrides.rename if t in labels],
            "merged": {k: v for k, v in merged_from.items()},
            "excluded": excluded,
        },
        "excluded_segments": n_excluded_segments,
        "warnings": warnings,
        "notes": {k: "; ".join(v) for k, v in notes.items()},
    }
