"""The analyst's mechanism lines in the overrides file, and the mechanism codebook they make.

Next to the theme lines (`pipeline.analysis.themes`), the same overrides file holds:

    mechanisms:
      confirm: [M02]                                 # bevestigd door analist (keep: zegt hetzelfde)
      drop: [M05]                                    # verdwijnt uit rapport en exports
      rename: {M03: "Projecten blijven tijdelijk"}   # bevestigd, met het label van de analist
      merge: [[M01, M04]]                            # M04's bewijs gaat naar M01
      new:                                           # een mechanisme dat de analist zelf bepaalt
        - label: "Signalen raken niet tot bij het beleid"
          seeds: [gent/gent_tafel_1.txt:0012, "De signalen van de frontlijn komen niet boven."]
    mechanisms_recorded:                             # ingevuld door stadsgenoten
      M03: {segments: "...; ...", terms: "project; subsidie; ..."}

A seed that is a segment id of the run (segments.csv) names that segment, anything else is a
sentence, found in the segments that hold it; the seeds found are the new mechanism's evidence.
Like theme ids, a line is bound to the content it was written for: the first time the file is
applied, `record_mechanisms` writes per mechanism id its evidence segments and distinctive words;
a later run whose mechanisms are numbered otherwise applies the line to the mechanism holding most
of those segments (or, failing that, those words), and to none when no mechanism does, with a
warning.

`apply_mechanism_overrides` is pure (new tables); `mechanism_codebook_yaml` writes the confirmed,
renamed, merged and new mechanisms as a codebook that `--mechanism-codebook` reads: each with the
analyst's label and its evidence sentences as `examples`, so the next round is coded with it
(`_examples`). Errors are ConfigErrors in Dutch naming the file; ids not in the run are warnings,
so one file can follow a corpus through reruns.
"""

from __future__ import annotations

import copy
import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from ...errors import ConfigError
from ...schema import cell_items
from ...store import RunTables
from ..themes import MECHANISM_MARKER, read_overrides_file, write_record
from ._candidates import level_of
from ._codebook import ROUND, SEEDED, Family, MechanismCodebook, load_mechanism_codebook, round_family

__all__ = ["MechanismOverrides", "NewMechanism", "parse_mechanism_overrides", "load_mechanism_overrides",
           "record_mechanisms", "apply_mechanism_overrides", "mechanism_codebook_yaml", "CODEBOOK_NAME",
           "ANALYST", "is_segment_id", "analyst_status",
           "earlier_round_codebook"]

log = logging.getLogger(__name__)

CODEBOOK_NAME = "mechanismen_codeboek.yaml"
ANALYST = "door analist"  # every analyst status in the `source` column ends so
_STATUS = {"confirm": f"bevestigd {ANALYST}", "rename": f"hernoemd {ANALYST}",
           "merge": f"samengevoegd {ANALYST}", "new": f"nieuw {ANALYST}"}
_KEYS = ("confirm", "keep", "drop", "rename", "merge", "new")  # keep: the word for confirm
_ID = re.compile(r"^M\d{2,}$")
# A line's mechanism is the one holding at least this share of the evidence segments recorded for
# it (a grown corpus adds evidence and reorders; another mechanism shares next to none), else the
# one with this share of its recorded distinctive words.
SAME_SEGMENTS = 0.3
SAME_TERMS = 0.5
_RECORD_SEGMENTS = 20
_RECORD_TERMS = 8
MAX_EXAMPLES = 12  # evidence sentences per mechanism in the written codebook, most central first


@dataclass(frozen=True)
class NewMechanism:
    label: str
    seeds: tuple[str, ...]


@dataclass(frozen=True)
class MechanismOverrides:
    confirm: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    merge: tuple[tuple[str, ...], ...] = ()
    new: tuple[NewMechanism, ...] = ()
    recorded: dict[str, dict] = field(default_factory=dict)  # id -> {"segments": [...], "terms": [...]}
    source: str = ""
    seeds: dict[str, str] = field(default_factory=dict)  # recorded: a fragment-id seed -> the statement it stands for

    def is_empty(self) -> bool:
        return not (self.confirm or self.drop or self.rename or self.merge or self.new)

    def ids(self) -> list[str]:
        """Every reported mechanism id the lines name, in file order."""
        return list(dict.fromkeys([*self.confirm, *self.drop, *self.rename, *(m for g in self.merge for m in g)]))

    def needs_record(self) -> bool:
        """Whether a named mechanism or a fragment-id seed (written like one) has no record yet."""
        return (any(m not in self.recorded for m in self.ids())
                or any(is_segment_id(s) and s not in self.seeds for n in self.new for s in n.seeds))

    def to_dict(self) -> dict:
        return {"confirm": list(self.confirm), "drop": list(self.drop), "rename": dict(self.rename),
                "merge": [list(g) for g in self.merge],
                "new": [{"label": n.label, "seeds": list(n.seeds)} for n in self.new]}


def analyst_status(source: str) -> str:
    """What a mechanisms.csv `source` says about the analyst, in Dutch ("" for nothing): the lines of
    this run's overrides file, or a mechanism of the analyst's codebook of an earlier round."""
    source = str(source or "")
    if source.endswith(ANALYST):
        return source
    if source == ROUND:
        return "mechanisme van de vorige ronde"
    return "mechanisme van de analist (codeboek)" if source == "analist" else ""


def is_segment_id(seed: str, segment_ids=None) -> bool:
    """Whether a seed names a segment: one of `segment_ids` (the run's), or, without them, written
    like one ("<file>:0012", "<sheet>#<case>:0003"); anything else is a sentence."""
    seed = seed.strip()
    if segment_ids is not None:
        return seed in segment_ids
    return bool(re.search(r":\d+$", seed))


def _err(where: str, message: str) -> ConfigError:
    return ConfigError(f"{where}: mechanisms: {message}")


def _ids(value, where: str, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _err(where, f"{what}: verwacht een lijst van mechanisme-id's zoals [M02], kreeg {value!r}")
    out = []
    for v in value:
        if not isinstance(v, str) or not _ID.match(v.strip()):
            hint = (f"; schrijf meer id's als lijst: [{', '.join(p.strip() for p in v.split(','))}]"
                    if isinstance(v, str) and "," in v else "")
            raise _err(where, f"{what}: {v!r} is geen mechanisme-id (schrijf het zoals in mechanisms.csv, bv. M03)"
                              + hint)
        out.append(v.strip())
    return tuple(dict.fromkeys(out))


def parse_mechanism_overrides(data, where: str = "overrides") -> MechanismOverrides:
    """The mechanism lines of an already-loaded overrides mapping (the `mechanisms` and
    `mechanisms_recorded` keys); `where` names the file in the messages."""
    data = data if isinstance(data, dict) else {}
    raw = data.get("mechanisms") or {}
    if not isinstance(raw, dict):
        raise _err(where, "verwacht een mapping met confirm, drop, rename, merge en/of new")
    unknown = sorted(str(k) for k in raw if k not in _KEYS)
    if unknown:
        raise _err(where, f"onbekende sleutel(s) {unknown}; bekend: {list(_KEYS)}")
    confirm = tuple(dict.fromkeys(_ids(raw.get("confirm") or [], where, "confirm")
                                  + _ids(raw.get("keep") or [], where, "keep")))
    drop = _ids(raw.get("drop") or [], where, "drop")
    rename_raw = raw.get("rename") or {}
    if not isinstance(rename_raw, dict):
        raise _err(where, 'rename: verwacht een mapping zoals {M03: "Projecten blijven tijdelijk"}')
    rename = {}
    for key, label in rename_raw.items():
        (mid,) = _ids([key], where, "rename")
        if not isinstance(label, str) or not label.strip():
            raise _err(where, f"rename: {mid} heeft een niet-leeg label tussen aanhalingstekens nodig, kreeg {label!r}")
        rename[mid] = " ".join(label.split())
    merge_raw = raw.get("merge") or []
    if not isinstance(merge_raw, list):
        raise _err(where, "merge: verwacht een lijst van groepen zoals [[M01, M04]]")
    merge, seen = [], {}
    for n, group in enumerate(merge_raw, 1):
        if not isinstance(group, list) or len(group) < 2:
            flat = all(isinstance(g, str) for g in merge_raw)  # [M02, M03]: one group without its brackets
            hint = f"; één groep schrijf je [[{', '.join(merge_raw)}]]" if flat and len(merge_raw) > 1 else ""
            raise _err(where, f"merge: groep {n} moet een lijst van minstens twee id's zijn, kreeg {group!r}{hint}")
        ids = _ids(group, where, f"merge groep {n}")
        for mid in ids:
            if mid in seen:
                raise _err(where, f"merge: {mid} staat in groep {seen[mid]} en in groep {n}; zet wat samenhoort "
                                  "in één groep")
            seen[mid] = n
        merge.append(ids)
    for mid in drop:
        for what, ids in (("confirm", confirm), ("rename", rename), ("merge", seen)):
            if mid in ids:
                raise _err(where, f"{mid} staat bij drop en bij {what}; kies één")
    merged_away = {m: g[0] for g in merge for m in g[1:]}
    for mid in rename:
        if mid in merged_away:
            raise _err(where, f"rename: {mid} wordt samengevoegd in {merged_away[mid]}; hernoem {merged_away[mid]}")
    new, joined = _new(raw.get("new") or [], where)
    recorded = _recorded(data.get("mechanisms_recorded") or {}, where)
    seeds = {str(k): str(v) for k, v in (recorded.pop("seeds", None) or {}).items()}
    for label, seed in joined:  # said until the seed is recorded: once, not at every reading of the file
        if seed not in seeds:
            log.warning("%s: new: '%s': de seed '%s' was door de komma's in zijn naam in stukken geknipt en is "
                        "weer samengevoegd; zet een fragment-id met komma's tussen aanhalingstekens", where, label, seed)
    return MechanismOverrides(confirm, drop, rename, tuple(merge), new, recorded, where, seeds)


def _new(value, where: str) -> tuple[tuple[NewMechanism, ...], list[tuple[str, str]]]:
    """(the new mechanisms, (label, seed) of each seed `_whole_ids` joined again)."""
    if not isinstance(value, list):
        raise _err(where, "new: verwacht een lijst van mechanismen met label en seeds")
    out, labels, joined = [], set(), []
    for n, entry in enumerate(value, 1):
        if not isinstance(entry, dict) or set(entry) - {"label", "seeds"}:
            raise _err(where, f"new: mechanisme {n} heeft enkel 'label' en 'seeds' (kreeg {entry!r})")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _err(where, f"new: mechanisme {n} heeft een niet-leeg label nodig")
        label = " ".join(label.split())
        seeds = entry.get("seeds")
        if isinstance(seeds, str):
            seeds = [seeds]
        if not isinstance(seeds, list) or not seeds or not all(isinstance(s, str) and s.strip() for s in seeds):
            raise _err(where, f"new: '{label}' heeft seeds nodig: een lijst van fragment-id's (segments.csv) "
                              "of zinnen")
        if label.casefold() in labels:
            raise _err(where, f"new: het label '{label}' staat er twee keer; voeg de seeds samen")
        labels.add(label.casefold())
        seeds = _whole_ids([" ".join(s.split()) for s in seeds])
        joined += [(label, s) for s in seeds[1]]
        out.append(NewMechanism(label, tuple(dict.fromkeys(seeds[0]))))
    return tuple(out), joined


# A spreadsheet row's segment id, "<file>.<ext>#<case>:0012": its case may hold commas (a ministry
# "Minister van Financien, belast met …"), which split it in a YAML flow list [a, b] left unquoted.
_SHEET_ID_HEAD = re.compile(r"\.\w{2,5}#")
_SHEET_ID = re.compile(r"^[^#]+\.\w{2,5}#[^#]*:\d+$")


def _whole_ids(seeds: list[str]) -> tuple[list[str], list[str]]:
    """(the seeds with each sheet segment id that YAML split at its case's commas joined again, the
    ids joined): its pieces would otherwise be sentences, "Zelfstandigen" found in every answer saying it."""
    out, joined_ids, k = [], [], 0
    while k < len(seeds):
        end = next((j for j in range(k, len(seeds)) if re.search(r":\d+$", seeds[j])), None)
        joined = ", ".join(seeds[k:end + 1]) if end is not None else ""
        if end is not None and end > k and _SHEET_ID_HEAD.search(seeds[k]) and _SHEET_ID.match(joined):
            out.append(joined)
            joined_ids.append(joined)
            k = end + 1
        else:
            out.append(seeds[k])
            k += 1
    return out, joined_ids


def _recorded(value, where: str) -> dict[str, dict]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: mechanisms_recorded: wordt door stadsgenoten ingevuld; verwijder het blok "
                          "om het opnieuw te laten vastleggen")
    out = {"seeds": value.get("seeds")} if isinstance(value.get("seeds"), dict) else {}
    for key, spec in value.items():
        if key == "seeds":
            continue
        spec = spec if isinstance(spec, dict) else {}
        out[str(key)] = {k: cell_items(spec.get(k)) for k in ("segments", "terms")}
    return out


def load_mechanism_overrides(path: str | Path) -> MechanismOverrides:
    """The mechanism lines of an overrides file; ConfigError naming the file when they are wrong."""
    return parse_mechanism_overrides(read_overrides_file(path), str(path))


# --- binding lines to content ------------------------------------------------------------------

def _evidence_segments(evidence: pd.DataFrame | None) -> dict[str, list[str]]:
    if evidence is None or not len(evidence):
        return {}
    return {str(m): list(dict.fromkeys(g)) for m, g in evidence.groupby("mechanism_id", sort=False)["segment_id"]}


def record_mechanisms(path: str | Path, overrides: MechanismOverrides, mechanisms: pd.DataFrame | None,
                      evidence: pd.DataFrame | None, segments: pd.DataFrame | None = None) -> MechanismOverrides:
    """Record in the overrides file, for each mechanism id its lines name that has no record yet,
    the evidence segments and distinctive words of that mechanism in `mechanisms` (the run the
    lines were written for), and for each fragment-id seed of a new mechanism the statement of that
    fragment in `segments` (`_statement_of`): ids are positions, a rerun may give them to other
    fragments. Returns the overrides with the record."""
    have = mechanisms is not None and len(mechanisms)
    segs = _evidence_segments(evidence) if have else {}
    terms = dict(zip(mechanisms["mechanism_id"].astype(str), mechanisms["key_terms"])) if have else {}
    missing = [m for m in overrides.ids() if m not in overrides.recorded and m in terms]
    seeds = _seed_statements(overrides, segments) if segments is not None else {}
    if not missing and not seeds:
        return overrides
    recorded = {**{m: {k: "; ".join(v) for k, v in spec.items()} for m, spec in overrides.recorded.items()},
                **{m: {"segments": "; ".join(segs.get(m, [])[:_RECORD_SEGMENTS]),
                       "terms": "; ".join(cell_items(terms[m])[:_RECORD_TERMS])} for m in missing}}
    if overrides.seeds or seeds:
        recorded["seeds"] = {**overrides.seeds, **seeds}
    if not write_record(path, "mechanisms_recorded", MECHANISM_MARKER, recorded):
        return overrides  # the analyst keeps the record by hand
    return load_mechanism_overrides(path)


def _seed_statements(overrides: MechanismOverrides, segments: pd.DataFrame) -> dict[str, str]:
    """Per fragment-id seed of the new mechanisms not recorded yet and in `segments`: its statement."""
    texts = dict(zip(segments["segment_id"].astype(str), segments["text"].astype(str)))
    out, rarity = {}, None
    for new in overrides.new:
        about = _about(new, set(texts))
        for seed in new.seeds:
            if seed in texts and seed not in overrides.seeds:
                rarity = _rarity(segments) if rarity is None else rarity
                out[seed] = _statement_of(texts[seed], about, rarity)[0]
    return out


def _bind(overrides: MechanismOverrides, mechanisms: pd.DataFrame,
          evidence: pd.DataFrame | None) -> tuple[MechanismOverrides, list[str], dict[str, str]]:
    """(the lines with each id replaced by the id its mechanism has in this run, warnings, moves)."""
    where = overrides.source or "overrides"
    current = list(mechanisms["mechanism_id"].astype(str))
    segs = {m: set(v) for m, v in _evidence_segments(evidence).items()}
    terms = {m: set(cell_items(t)) for m, t in zip(current, mechanisms["key_terms"])}
    target, warnings = {}, []
    for mid in overrides.ids():
        rec = overrides.recorded.get(mid)
        if not rec or not (rec["segments"] or rec["terms"]):
            if mid in current:
                target[mid] = mid
            else:
                warnings.append(f"{where}: mechanisme {mid} komt in deze run niet voor (ze heeft "
                                f"{', '.join(current) if current else 'geen mechanismen'}); genegeerd")
            continue
        found = _same_mechanism(rec, current, segs, terms)
        if found:
            target[mid] = found
        else:
            warnings.append(f"{where}: {mid} werd geschreven voor het mechanisme '{'; '.join(rec['terms'][:5])}', "
                            "dat in deze run niet meer gevonden wordt; die regels worden niet toegepast")
    moved = {m: t for m, t in target.items() if m != t}
    for m, t in moved.items():
        warnings.append(f"{where}: {m} heet in deze run {t} (zelfde bewijs); de regels voor {m} gelden voor {t}")

    def ids(values):
        return tuple(dict.fromkeys(target[m] for m in values if m in target))
    merge = tuple(g for g in (ids(group) for group in overrides.merge) if len(g) > 1)
    bound = replace(overrides, confirm=ids(overrides.confirm), drop=ids(overrides.drop),
                    rename={target[m]: v for m, v in overrides.rename.items() if m in target}, merge=merge)
    return bound, warnings, moved


def _same_mechanism(rec: dict, current: list[str], segs: dict[str, set], terms: dict[str, set]) -> str:
    """The current mechanism a record describes: most of its evidence segments, else its words; "" for none."""
    def share(recorded, have):
        return len(set(recorded) & have) / len(set(recorded)) if recorded else 0.0
    by_segments = sorted(((share(rec["segments"], segs.get(m, set())), -k, m) for k, m in enumerate(current)),
                         reverse=True)
    if by_segments and by_segments[0][0] >= SAME_SEGMENTS:
        return by_segments[0][2]
    by_terms = sorted(((share(rec["terms"], terms.get(m, set())), -k, m) for k, m in enumerate(current)),
                      reverse=True)
    if by_terms and by_terms[0][0] >= SAME_TERMS:
        return by_terms[0][2]
    return ""


# --- applying ----------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split()).strip(" .!?;:")


# a sentence ends at . ! ? before white space, or glued to the next one's capital ("valt.De
# verschillende": answers copied from PDFs); glued only after a word of two letters or more, so
# "o.a.De" stays whole. Before a lowercase word or a number the point is an abbreviation's ("vraag
# nr. 205 van", "bv. de", "p. 12"), unless that number opens a list item ("… 2017). 2. Wat …").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?![a-zà-ÿ]|\d(?!\d*[.)]\s))|(?<=[a-zà-ÿ][a-zà-ÿ][.!?])(?=[A-ZÀ-Ý])")


_WORD = re.compile(r"\w{3,}")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(str(text).casefold()))


def _statement_of(text: str, about: set[str], rarity: dict[str, float]) -> tuple[str, int]:
    """(the sentence a fragment-id seed stands for, its number): of a fragment of several sentences
    (a speaker's turn, a whole written answer), the one sharing most with the mechanism's label and
    sentence seeds, each shared word weighted by its rarity in the run (idf over its fragments: 'de',
    'niet' weigh next to nothing); the whole fragment when no sentence shares a word."""
    sentences = [s for s in _SENTENCE_END.split(str(text).strip()) if s.strip()]
    if len(sentences) < 2:
        return str(text), 0
    scores = [sum(rarity.get(w, 0.0) for w in _words(s) & about) for s in sentences]
    best = max(range(len(sentences)), key=lambda k: (scores[k], -k))
    return (sentences[best], best) if scores[best] > 0 else (str(text), 0)


def _rarity(segments: pd.DataFrame) -> dict[str, float]:
    """Per word of the run's fragments its idf, log(fragments / fragments holding it)."""
    df = Counter(w for text in segments["text"].astype(str) for w in _words(text))
    return {w: math.log(len(segments) / n) for w, n in df.items()}


def _seed_rows(seed: str, segments: pd.DataFrame, about: set[str],
               rarity: dict[str, float]) -> list[tuple[dict, str, int]]:
    """(segment row, the evidence text, its sentence number) for one seed: the statement of the
    segment it names (`_statement_of`), or every segment that holds the sentence."""
    ids = segments["segment_id"].astype(str)
    if is_segment_id(seed, set(ids)):
        return [(row, *_statement_of(row["text"], about, rarity))
                for row in segments[ids == seed.strip()].to_dict("records")]
    wanted = _norm(seed)
    out = []
    for row in segments.to_dict("records"):
        if wanted and wanted in _norm(row["text"]):
            parts = [_norm(p) for p in _SENTENCE_END.split(str(row["text"]))]
            sent = next((k for k, p in enumerate(parts) if wanted in p), 0)
            out.append((row, seed, sent))
    return out


def _summary(mid: str, label: str, status: str, family: str, ev: pd.DataFrame, n_all_cases: int,
             base: dict | None = None) -> dict:
    """A mechanisms.csv row for evidence `ev` (merged or new): counts recomputed, the rest from `base`."""
    from ._grouping import MECHANISM_COLUMNS, _entropy, _session_kind

    cases = Counter(ev["case"])
    seg_ids = list(dict.fromkeys(ev["segment_id"]))
    themes = sorted({str(t) for t in ev["theme_id"] if str(t)})
    levels = Counter(ev["level"])
    row = dict.fromkeys(MECHANISM_COLUMNS, "")
    row.update(base or {})
    row.update({
        "mechanism_id": mid, "label": label, "n_cases": len(cases), "cases": "; ".join(sorted(cases)),
        "themes": "; ".join(themes), "n_segments": len(seg_ids), "example_segment_ids": "; ".join(seg_ids[:5]),
        "source": status, "family": family, "n_statements": len(ev),
        "spread": round(len(cases) / max(n_all_cases, 1), 4), "entropy": round(_entropy(list(cases.values())), 4),
        "n_themes": len(themes), "sessions": "; ".join(sorted({_session_kind(str(s)) for s in ev["session"]})),
        "n_frontlijn": int(levels.get("frontlijn", 0)), "n_management": int(levels.get("management", 0)),
        "central_text": str(ev["text"].iloc[0]) if len(ev) else "",
    })
    return row


def _about(new: NewMechanism, ids) -> set[str]:
    """What the analyst says the mechanism is: the words of its label and of its sentence seeds."""
    return _words(" ".join([new.label] + [s for s in new.seeds if not is_segment_id(s, ids)]))


def _new_evidence(mid: str, new: NewMechanism, segments: pd.DataFrame, ids: set[str],
                  rarity: dict[str, float]) -> tuple[pd.DataFrame, list[str]]:
    """The seeds found in this run as evidence rows of `mid`, and the seeds not found; `ids` the
    run's segment ids, `rarity` its words' idf (`_rarity`, computed once for all new mechanisms)."""
    from ._grouping import EVIDENCE_COLUMNS

    rows, missing, quoted = [], [], set()
    about = _about(new, ids)
    for seed in new.seeds:
        found = _seed_rows(seed, segments, about, rarity)
        if not found:
            missing.append(seed)
        for seg, text, sent in found:
            case = str(seg.get("case", ""))
            rows.append({
                "mechanism_id": mid, "segment_id": seg["segment_id"], "case": case, "text": text,
                "function": str(seg.get("function", "") or ""), "sent": sent, "session": seg.get("session", ""),
                "level": level_of(str(seg.get("speaker", "") or ""), str(seg.get("role", "") or ""),
                                  str(seg.get("session", "") or "")),
                "theme_id": str(seg.get("theme_id", "") or ""), "claims": "", "connectives": "",
                "similarity": 1.0, "city_quote": case not in quoted,
            })
            quoted.add(case)
    ev = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS).drop_duplicates(["segment_id", "sent"])
    return ev, missing


def _missing_seeds(where: str, new: NewMechanism, missing: list[str], warnings: list[str]) -> list[str]:
    """Warn about the seeds of `new` this run lacks and return the sentences among them: a sentence
    stays an example in the codebook (the next round may hold it); a seed written as a fragment id
    names a fragment this run does not have, which is said as such."""
    ids = [s for s in missing if is_segment_id(s)]
    sentences = [s for s in missing if s not in ids]
    if sentences:
        warnings.append(f"{where}: nieuw mechanisme '{new.label}': {len(sentences)} zin(nen) niet gevonden in "
                        f"deze run ({'; '.join(s[:60] for s in sentences)}); ze blijven voorbeelden in het codeboek")
    for seed in ids:
        warnings.append(f"{where}: nieuw mechanisme '{new.label}': fragment {seed} bestaat niet in deze run "
                        "(neem een segment_id uit segments.csv, of de zin zelf); genegeerd")
    return sentences


def _add_new(overrides: MechanismOverrides, tables: RunTables, mechanisms: pd.DataFrame, evidence: pd.DataFrame,
             n_all: int, warnings: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str], dict]:
    """The analyst's new mechanisms added, numbered after the run's own: (mechanisms, evidence, their
    ids, the label and seeds of those with no evidence in this run, per new id its seed sentences this run
    lacks). Seeds not found are warned about."""
    where = overrides.source or "overrides"
    numbers = [int(m[1:]) for m in tables.mechanisms["mechanism_id"].astype(str) if _ID.match(m)]
    next_number = max(numbers, default=0) + 1
    new_rows, new_evidence, unplaced, unfound = [], [], [], {}
    ids = set(tables.segments["segment_id"].astype(str))
    by_id = any(is_segment_id(s, ids) for n in overrides.new for s in n.seeds)  # idf only for fragment-id seeds
    rarity = _rarity(tables.segments) if by_id else {}
    for new in overrides.new:
        mid = f"M{next_number:02d}"
        # a fragment-id seed whose statement was recorded is that statement, wherever it now is
        new = replace(new, seeds=tuple(dict.fromkeys(overrides.seeds.get(s, s) for s in new.seeds)))
        ev, missing = _new_evidence(mid, new, tables.segments, ids, rarity)
        sentences = _missing_seeds(where, new, missing, warnings)
        if not len(ev):
            unplaced.append({"label": new.label, "seeds": list(new.seeds)})
            continue
        next_number += 1
        new_rows.append(_summary(mid, new.label, _STATUS["new"], "", ev, n_all))
        new_evidence.append(ev)
        if sentences:
            unfound[mid] = sentences
    if new_rows:
        mechanisms = pd.concat([mechanisms, pd.DataFrame(new_rows, columns=mechanisms.columns)], ignore_index=True)
        evidence = pd.concat([evidence] + new_evidence, ignore_index=True)
    return mechanisms, evidence, [r["mechanism_id"] for r in new_rows], unplaced, unfound


def apply_mechanism_overrides(tables: RunTables, overrides: MechanismOverrides, log_warnings: bool = True) -> RunTables:
    """New tables with the mechanism lines applied (the input is not changed). What was applied
    and the warnings go to `info["mechanism_overrides"]`, and are logged unless `log_warnings` is
    False (a run, which says its info's warnings itself); confirmed, renamed, merged and new
    mechanisms say so in their `source` ("bevestigd door analist", ...)."""
    if overrides.is_empty():
        return tables
    where = overrides.source or "overrides"
    if tables.mechanisms is None:
        message = f"{where}: deze run heeft geen mechanismen; de mechanisms-regels worden niet toegepast"
        if log_warnings:
            log.warning(message)
        return replace(tables, info={**tables.info, "warnings": list(tables.info.get("warnings", [])) + [message],
                                     "mechanism_overrides": {"file": overrides.source, "warnings": [message]}})
    from ._grouping import EVIDENCE_COLUMNS

    mechanisms = tables.mechanisms.astype(object)  # read back from CSV as strings; recomputed counts are ints
    mechanisms["mechanism_id"] = mechanisms["mechanism_id"].astype(str)
    evidence = (tables.mechanism_evidence.astype(object) if tables.mechanism_evidence is not None
                else pd.DataFrame(columns=EVIDENCE_COLUMNS))
    evidence["mechanism_id"] = evidence["mechanism_id"].astype(str)
    bound, warnings, moved = _bind(overrides, mechanisms, evidence)
    n_all = len(tables.cases) if len(tables.documents) else mechanisms["n_cases"].size
    status = dict.fromkeys(bound.confirm, _STATUS["confirm"])
    status.update(dict.fromkeys(bound.rename, _STATUS["rename"]))

    # drop, then merge: the later ids' evidence joins the first id's
    dropped = mechanisms["mechanism_id"].isin(bound.drop)
    dropped_labels = dict(zip(mechanisms.loc[dropped, "mechanism_id"], mechanisms.loc[dropped, "label"].astype(str)))
    mechanisms = mechanisms[~dropped]
    evidence = evidence[~evidence["mechanism_id"].isin(bound.drop)]
    by_id = mechanisms.set_index("mechanism_id", drop=False)
    merged = {}
    for group in bound.merge:
        first, others = group[0], list(group[1:])
        evidence.loc[evidence["mechanism_id"].isin(others), "mechanism_id"] = first
        evidence = evidence.drop_duplicates(["mechanism_id", "segment_id", "sent"])
        ev = evidence[evidence["mechanism_id"] == first]
        base = by_id.loc[first].to_dict()
        by_id.loc[first] = pd.Series(_summary(first, base["label"], "", base["family"], ev, n_all, base))
        by_id = by_id.drop(index=others)
        merged[first] = others
        status[first] = f"samengevoegd en hernoemd {ANALYST}" if first in bound.rename else _STATUS["merge"]
    mechanisms = by_id.reset_index(drop=True)
    for mid, label in bound.rename.items():
        mechanisms.loc[mechanisms["mechanism_id"] == mid, "label"] = label
    for mid, text in status.items():
        mechanisms.loc[mechanisms["mechanism_id"] == mid, "source"] = text

    mechanisms, evidence, new_ids, unplaced, unfound = _add_new(overrides, tables, mechanisms, evidence, n_all,
                                                                warnings)
    evidence = evidence.reset_index(drop=True)

    segments = tables.segments
    if "mechanism_ids" in segments.columns:
        from ._stage import segment_mechanisms

        segments = segments.copy()
        segments["mechanism_ids"] = segment_mechanisms(segments, evidence).astype(str).to_numpy()
    for message in warnings if log_warnings else ():
        log.warning(message)
    applied = {
        "file": overrides.source, **overrides.to_dict(),
        "applied": {"confirmed": list(bound.confirm), "dropped": list(bound.drop), "renamed": list(bound.rename),
                    "merged": merged, "new": new_ids, "moved": moved},
        "dropped_labels": dropped_labels,  # the report names what the analyst dropped
        # the analyst's definitions of new mechanisms this run has no evidence for: still in the codebook
        "unplaced_new": unplaced,
        # the seed sentences of placed new mechanisms this run lacks: examples in the codebook all the same
        "unfound_seeds": unfound,
        "warnings": warnings,
    }
    info = copy.deepcopy(tables.info)
    info["mechanism_overrides"] = applied
    info.setdefault("counts", {})["mechanisms"] = len(mechanisms)
    if warnings:
        info["warnings"] = list(dict.fromkeys(list(info.get("warnings", [])) + warnings))  # a rerun's are there
    return replace(tables, mechanisms=mechanisms, mechanism_evidence=evidence, segments=segments, info=info,
                   extra={**tables.extra, "mechanisms_as_found": (tables.mechanisms, tables.mechanism_evidence)})


# --- the codebook for the next round -----------------------------------------------------------

def _slug(label: str, taken: set[str]) -> str:
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    base = "_".join(re.findall(r"[a-z0-9]+", ascii_)[:6]) or "mechanisme"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def mechanism_codebook_yaml(tables: RunTables) -> str | None:
    """The analyst's mechanisms of a run (confirmed, renamed, merged, new) as a mechanism codebook
    for `--mechanism-codebook`, or None when the analyst accepted none. Each mechanism has its
    label and its evidence sentences as `examples` (coded in the next round by similarity, see
    `_examples`); one that came from an input codebook keeps that codebook's concepts too."""
    mechanisms = tables.mechanisms
    applied = (tables.info or {}).get("mechanism_overrides") or {}
    if mechanisms is None or not applied:
        return None
    accepted = mechanisms[mechanisms["source"].astype(str).str.endswith(ANALYST)]
    unplaced = applied.get("unplaced_new") or []
    if not len(accepted) and not unplaced:
        return None
    evidence = tables.mechanism_evidence
    input_book = _input_codebook(tables.info)
    concepts, entries, taken = {}, [], set()
    for row in accepted.to_dict("records"):
        mid = str(row["mechanism_id"])
        texts = [] if evidence is None else list(evidence.loc[evidence["mechanism_id"].astype(str) == mid, "text"])
        texts += (applied.get("unfound_seeds") or {}).get(mid, [])  # the analyst's own words, after the run's
        entry = {"id": _slug(str(row["label"]), taken), "label": str(row["label"]),
                 "examples": list(dict.fromkeys(" ".join(str(t).split()) for t in texts))[:MAX_EXAMPLES],
                 "source": f"{row['source']}; run {tables.info.get('run_id', '')}, {mid}"}
        family = next((f for f in (input_book.families if input_book else ()) if f.id == str(row.get("family"))), None)
        if family is not None and family.examples:  # the earlier rounds' examples first
            entry["examples"] = list(dict.fromkeys(list(family.examples) + entry["examples"]))[:2 * MAX_EXAMPLES]
        if family is not None and family.core:
            entry.update(core=list(family.core), partners=list(family.partners))
            for name in family.core + family.partners:
                concepts[name] = {"label": input_book.labels[name], "cues": list(input_book.concepts[name]),
                                  **({"problem": True} if name in input_book.problem_concepts else {})}
        entries.append(entry)
    for new in unplaced:
        entries.append({"id": _slug(new["label"], taken), "label": new["label"],
                        "examples": [s for s in new["seeds"] if not is_segment_id(s)],
                        "source": f"{_STATUS['new']} (geen bewijs in run {tables.info.get('run_id', '')})"})
    entries = [e for e in entries if e["examples"] or e.get("core")]
    dropped = [entry for _, entry in _dropped(tables, applied)]
    if not entries and not dropped:
        return None
    header = (f"# Mechanismen-codeboek, geschreven door stadsgenoten uit de beslissingen van de analist\n"
              f"# ({applied.get('file', 'overrides.yaml')}) in run {tables.info.get('run_id', '')}.\n"
              "# Codeer er een volgende ronde mee: stadsgenoten run --mechanism-codebook mechanismen_codeboek.yaml\n"
              "# examples: zinnen waarop een uitspraak moet lijken (lemma's en zinsvector) om onder het\n"
              "# mechanisme te vallen; core/partners: concepten met cue-woorden, zoals in\n"
              "# codebooks/stadsgenoten_2019_mechanismen.yaml; dropped: mechanismen die de analist schrapte:\n"
              "# uitspraken die op hun voorbeelden lijken, worden niet gegroepeerd.\n")
    book = {"concepts": concepts, "mechanisms": entries, **({"dropped": dropped} if dropped else {})}
    body = yaml.safe_dump(book, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def earlier_round_codebook(tables: RunTables) -> MechanismCodebook | None:
    """The mechanisms an earlier round reported (--compare-with) as a codebook of examples that
    codes the new round, as if the analyst had passed it (--mechanism-codebook). `tables`: the
    earlier round after the analyst's mechanism lines, so confirmed, renamed, merged and new
    mechanisms count and dropped ones are rejected (`mechanism_codebook_yaml` does the same for
    the accepted ones). Each keeps its label, and its id in its family (`round_family`); its
    examples are its evidence sentences, most central first."""
    mechanisms, evidence = tables.mechanisms, tables.mechanism_evidence
    if mechanisms is None or evidence is None or not len(mechanisms):
        return None
    texts = evidence.groupby(evidence["mechanism_id"].astype(str))["text"].agg(list)
    run = (tables.info or {}).get("run_id", "")
    families = []
    for row in mechanisms.to_dict("records"):
        mid = str(row["mechanism_id"])
        examples = tuple(dict.fromkeys(" ".join(str(t).split()) for t in texts.get(mid, [])))[:MAX_EXAMPLES]
        if examples:
            families.append(Family(round_family(mid), str(row["label"]), (), (), f"run {run}, {mid}", examples,
                                   earlier_round=True, seeded=str(row.get("source", "")).startswith(SEEDED)))
    applied = (tables.info or {}).get("mechanism_overrides") or {}
    rejected = tuple(Family(round_family(mid), d["label"], (), (), d["source"], tuple(d["examples"]))
                     for mid, d in _dropped(tables, applied))
    return MechanismCodebook({}, {}, frozenset(), tuple(families), rejected) if families or rejected else None


def _dropped(tables: RunTables, applied: dict) -> list[tuple[str, dict]]:
    """The dropped mechanisms (id, entry) with their evidence sentences as examples (from the run's
    own tables: a dropped mechanism is gone from the applied ones)."""
    own = (tables.extra or {}).get("mechanisms_as_found")
    ids = (applied.get("applied") or {}).get("dropped") or []
    if own is None or not ids:
        return []
    mechanisms, evidence = own
    out = []
    for mid in ids:
        labels = list(mechanisms.loc[mechanisms["mechanism_id"].astype(str) == mid, "label"])
        texts = [] if evidence is None else list(evidence.loc[evidence["mechanism_id"].astype(str) == mid, "text"])
        examples = list(dict.fromkeys(" ".join(str(t).split()) for t in texts))[:MAX_EXAMPLES]
        if examples:
            out.append((mid, {"label": str(labels[0]) if labels else mid, "examples": examples,
                              "source": f"geschrapt {ANALYST}; run {tables.info.get('run_id', '')}, {mid}"}))
    return out


def _input_codebook(info: dict):
    """The mechanism codebook the run was coded with, when it still loads; else None."""
    path = ((info or {}).get("config", {}).get("mechanisms", {}) or {}).get("codebook")
    if not path or not Path(path).is_file():
        return None
    try:
        return load_mechanism_codebook(path)
    except Exception:  # a codebook that no longer loads: the examples alone carry the mechanism
        return None
