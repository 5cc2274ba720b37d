"""Rounds: what changed since an earlier round (`stadsgenoten run --compare-with RUN`).

`load_earlier_round` reads and checks the earlier run folder (read only: nothing is ever written
there) and says which settings differ. `compare_rounds` turns the two rounds' tables into the
comparison tables a run folder gets:

- `vergelijking`: one row per theme of either round. A theme's share is its segments over the
  round's analysed segments. Change is tested per theme with a two-proportion z-test whose
  variance treats documents as clusters (segments of one conversation are not independent: the
  linearised variance of a ratio estimator, which for one segment per document is the ordinary
  unpooled test), Holm's correction over all themes for the p-values, and Bonferroni-corrected
  95 % intervals of the difference. A theme has grown or shrunk when the corrected p-value is
  below 0.05 and the shares differ by at least a quarter (`MIN_RATIO`); a theme with no segment in
  the new round is `verdwenen`, one formed in the new round `nieuw`. `uncertain` marks a visible
  difference (at least MIN_RATIO, or p < 0.05 before correction) that is not established.
  `share_now_corrected`: the new round's share corrected for the coder's error (themes/_quantify.py:
  calibrated EM), beside share_now and not deciding the status: it is no count of segments, so it
  cannot be traced to them, and its status would need a bootstrap of the whole correction over
  documents (its standard error about 1.4 times the counted share's on the Kamer benchmark).
  `terms_more_now`, `terms_less_now`: for a theme with segments in both rounds, the words its
  new-round segments say distinctively more and less than its earlier-round ones ("; "-joined,
  empty when none; themes/_words.py: Monroe et al.'s log-odds ratio, z-scored), so a theme whose
  label and share stay can still show that its content moved.
- `vergelijking_steden`: per city the themes it newly raises (at least `MIN_CITY_SEGMENTS`
  segments now, none before) and no longer raises (the reverse), and cities in one round only.
- `vergelijking_mechanismen`: in both rounds, only old, only new. The new round is coded with the
  earlier round's mechanisms (run.py, `earlier_round_codebook`): one found so keeps its label and
  names the earlier id in its `family`, and is matched by it; the rest are matched on their
  evidence (the mean sentence embedding of their evidence, or their key terms without
  embeddings; Hungarian assignment with the thresholds of theme id matching).
- `vergelijking_praktijken`: practices by name (fuzzy, `PRACTICE_MATCH`, or one name inside the
  other in a common city): voortgezet, nieuw, niet meer vermeld, or niet meer bevraagd when none of
  the practice's cities is in the new round (a city left out did not drop what it named).
- `vergelijking_onderwerpen`: subjects that faded or arose inside a theme that persists (a gone
  subject that is a minority of a broad theme leaves the theme's share nearly as it was), found
  where the rounds differ locally (themes/_rounds.py `changed_subjects`); columns in schema.py.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.stats import norm

from ..errors import InputError
from ..schema import TABLES, cell_items
from ..store import RunTables, load_run
from . import mechanisms as mech
from . import themes as th

__all__ = ["load_earlier_round", "compare_rounds", "theme_changes", "setting_differences", "ALPHA", "MIN_RATIO",
           "STATUSES", "COMPARISON_TABLES"]

ALPHA = 0.05
MIN_RATIO = 1.25  # a change smaller than a quarter of the share is not called growth or decline, however sure
MIN_CITY_SEGMENTS = 2  # a city raises a theme with at least this many segments: one can be chance
PRACTICE_MATCH = 0.85  # difflib ratio of the casefolded names: "Oudercafé De Schakel" ~ "Oudercafe de Schakel"
STATUSES = ("nieuw", "gegroeid", "stabiel", "gekrompen", "verdwenen")
COMPARISON_TABLES = ("vergelijking", "vergelijking_steden", "vergelijking_mechanismen", "vergelijking_praktijken",
                     "vergelijking_onderwerpen")
# Settings that change what a segment is or how it is represented: rounds that differ in them
# compare less well (the counting units or the features differ), so the analyst is told.
# corpus.case_noun: cases of another kind (ministries against cities) make the per-case changes meaningless
_COMPARED = ("segment", "nlp.tagger", "embed.backend", "embed.unit", "privacy.pseudonymise", "themes.min_tokens",
             "themes.lexical_weight", "themes.svd_components", "corpus.text_column", "corpus.question_column",
             "corpus.case_noun")


def load_earlier_round(folder: str | Path) -> RunTables:
    """The earlier round's tables; a clear error when the folder is not a run with themes."""
    folder = Path(folder)
    missing = [n for n in ("run.json", "segments.csv", "themes.csv", "documents.csv", "matrix.csv")
               if not (folder / n).is_file()]
    if not folder.is_dir() or missing:
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        raise InputError(folder, "dit is geen runmap van stadsgenoten" + (f" ({', '.join(missing)} {verb})"
                                                                           if folder.is_dir() else " (geen map)"),
                         "geef bij --compare-with de map van een eerdere run, bv. outputs/20261128T193757-0c1e50")
    try:
        tables = load_run(folder)
    except (ValueError, KeyError, OSError, json.JSONDecodeError) as exc:  # OSError: a texts/ file gone
        raise InputError(folder, f"de runmap is onleesbaar ({exc})", "geef een volledige, onbewerkte runmap") from exc
    _check_tables(folder, tables)
    return tables


def _check_tables(folder: Path, tables: RunTables) -> None:
    """A run folder edited by hand (a column renamed in a spreadsheet, a table emptied) is refused
    here in words, not halfway through the comparison with a traceback."""
    needed = {"segments.csv": ({"segment_id", "doc_id", "case", "analysed", "excluded_reason", "theme_id"},
                               tables.segments), "themes.csv": ({"theme_id", "label"}, tables.themes),
              "documents.csv": ({"doc_id", "case"}, tables.documents)}
    for name, (columns, frame) in needed.items():
        lacking = sorted(columns - set(frame.columns))
        if lacking:
            which = f"kolom {lacking[0]} ontbreekt" if len(lacking) == 1 else f"kolommen {', '.join(lacking)} ontbreken"
            raise InputError(folder / name, f"{which}; de runmap is bewerkt of onvolledig",
                             "geef een volledige, onbewerkte runmap")
    analysed = tables.segments["analysed"].astype(str) == "True"
    coded = tables.segments.loc[analysed, "theme_id"].isin(set(tables.themes["theme_id"]) - {""})
    if not len(tables.themes) or not coded.any():
        raise InputError(folder, "deze run heeft geen thema's (of geen fragmenten met een thema) om mee te vergelijken",
                         "vergelijk met een run waarin thema's gevonden zijn")


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in d.items():
        out.update(_flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return out


def setting_differences(earlier: dict, now: dict, version_now: str) -> list[str]:
    """Dutch warnings: another project version, or settings that change the counting units."""
    warnings = []
    version_before = earlier.get("versions", {}).get("stadsgenoten", "onbekend")
    if version_before != version_now:
        warnings.append(f"de vorige ronde is gemaakt met stadsgenoten {version_before}, deze met {version_now}: "
                        "verschillen kunnen ook van de software komen")
    before, after = _flat(earlier.get("config", {})), _flat(now.get("config", {}))
    changed = [k for k in sorted(set(before) | set(after)) if any(k == c or k.startswith(c + ".") for c in _COMPARED)
               and str(before.get(k)) != str(after.get(k))]
    if changed:
        warnings.append("andere instellingen dan de vorige ronde (" + "; ".join(
            f"{k}: {before.get(k)} -> {after.get(k)}" for k in changed) + "): de rondes vergelijken minder goed")
    return warnings


# ---------------------------------------------------------------------------------------- themes
def _shares(segments: pd.DataFrame, theme_ids: list[str]) -> tuple[pd.Series, pd.Series, pd.Series, int]:
    """Per theme: segments, share of the analysed segments, and the variance of that share with
    documents as clusters: n/(n-1) * sum_d (y_d - p m_d)^2 / M^2."""
    analysed = segments[segments["analysed"]]
    total = len(analysed)
    counts = pd.crosstab(analysed["doc_id"], analysed["theme_id"]).reindex(columns=theme_ids, fill_value=0)
    per_doc = analysed.groupby("doc_id").size().reindex(counts.index)
    n = counts.sum()
    share = n / max(total, 1)
    n_docs = len(counts)
    if n_docs >= 2:
        resid = counts.to_numpy() - np.outer(per_doc.to_numpy(), share.to_numpy())
        var = pd.Series(n_docs / (n_docs - 1) * (resid ** 2).sum(axis=0) / max(total, 1) ** 2, index=theme_ids)
    else:  # one document: nothing to cluster on, the binomial variance
        var = share * (1 - share) / max(total, 1)
    return n, share, var, total


def _holm(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p, kind="stable")
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def theme_changes(before: RunTables, now: RunTables, corrected: dict | None = None) -> pd.DataFrame:
    """The `vergelijking` table (module doc); `corrected`: theme id -> the new round's share corrected
    for the coder's error, the column share_now_corrected (empty without it)."""
    old_ids = [t for t in before.themes["theme_id"]]
    new_only = [t for t in now.themes["theme_id"] if t not in set(old_ids)]
    ids = old_ids + new_only
    n1, p1, v1, _ = _shares(before.segments, ids)
    n2, p2, v2, _ = _shares(now.segments, ids)
    diff = p2 - p1
    se = np.sqrt(v1 + v2)
    z = np.where(se > 0, diff / np.where(se > 0, se, 1), np.where(diff == 0, 0.0, np.inf))
    p_value = 2 * norm.sf(np.abs(z))
    adjusted = _holm(p_value)
    half = norm.ppf(1 - ALPHA / (2 * max(len(ids), 1))) * se
    ratio = ((p2 + 1e-12) / (p1 + 1e-12)).to_numpy()
    big = (ratio >= MIN_RATIO) | (ratio <= 1 / MIN_RATIO)
    status = np.where(adjusted < ALPHA, np.where(diff > 0, "gegroeid", "gekrompen"), "stabiel")
    status = np.where(big, status, "stabiel")
    status = np.where(n2 == 0, "verdwenen", status)
    status = np.where(pd.Index(ids).isin(new_only), "nieuw", status)

    def n_cases(segments: pd.DataFrame) -> pd.Series:
        coded = segments[segments["analysed"] & (segments["theme_id"] != "")]
        return coded.groupby("theme_id")["case"].nunique().reindex(ids, fill_value=0)

    labels = {**dict(zip(now.themes["theme_id"], now.themes["label"])),
              **dict(zip(before.themes["theme_id"], before.themes["label"]))}
    table = pd.DataFrame({
        "theme_id": ids, "label": [labels[t] for t in ids], "status": status,
        "share_before": p1.to_numpy(), "share_now": p2.to_numpy(),
        "cases_before": n_cases(before.segments).to_numpy(), "cases_now": n_cases(now.segments).to_numpy(),
        "segments_before": n1.to_numpy(), "segments_now": n2.to_numpy(),
        "difference": diff.to_numpy(), "ci_low": (diff - half).to_numpy(), "ci_high": (diff + half).to_numpy(),
        "p_value": p_value, "p_adjusted": adjusted,
    })
    table["uncertain"] = (table["status"] == "stabiel") & (big | (p_value < ALPHA))
    # beside the counted share, not instead of it: a count of segments is what the status and every
    # number a reader traces rest on (module doc)
    table.insert(table.columns.get_loc("cases_now") + 1, "share_now_corrected",  # after the columns
                 table["theme_id"].map(corrected).astype(float).fillna(table["share_now"]) if corrected
                 else np.nan)
    return table


def _with_words(changes: pd.DataFrame, before: RunTables, now: RunTables, words: tuple | None) -> pd.DataFrame:
    """`terms_more_now`, `terms_less_now` (themes/_words.py): the words a theme present in both
    rounds now says distinctively more and less, "; "-joined; empty without the rounds' words."""
    found = {}
    if words is not None:
        rounds = [dataclasses.replace(w, themes=t.segments.loc[t.segments["analysed"]].set_index("segment_id")[
            "theme_id"].fillna("").astype(str)) for w, t in zip(words, (before, now))]
        found = th.changed_words(rounds[0], rounds[1], list(changes["theme_id"]))
    return changes.assign(terms_more_now=["; ".join(found.get(t, ([], []))[0]) for t in changes["theme_id"]],
                          terms_less_now=["; ".join(found.get(t, ([], []))[1]) for t in changes["theme_id"]])


# ---------------------------------------------------------------------------------------- cities
def city_changes(before: RunTables, now: RunTables, changes: pd.DataFrame) -> pd.DataFrame:
    """The `vergelijking_steden` table: per city the themes newly raised and no longer raised."""
    def counts(tables: RunTables) -> pd.DataFrame:
        coded = tables.segments[tables.segments["analysed"] & (tables.segments["theme_id"] != "")]
        return coded.groupby(["case", "theme_id"])["segment_id"].apply(list)

    c1, c2 = counts(before), counts(now)
    cases1, cases2 = set(before.documents["case"]), set(now.documents["case"])
    labels = dict(zip(changes["theme_id"], changes["label"]))
    rows = []
    for case in sorted(cases1 | cases2):
        rounds = "beide" if case in cases1 and case in cases2 else (
            "alleen vorige ronde" if case in cases1 else "alleen nieuwe ronde")
        if rounds != "beide":
            rows.append({"case": case, "in_rounds": rounds, "theme_id": "", "label": "", "change": rounds,
                         "segments_before": 0, "segments_now": 0, "segment_ids": ""})
            continue
        for theme in changes["theme_id"]:
            s1, s2 = c1.get((case, theme), []), c2.get((case, theme), [])
            # newly raised: at least MIN_CITY_SEGMENTS now and none before; no longer raised: the reverse
            raised2 = len(s2) >= MIN_CITY_SEGMENTS and not s1
            if not raised2 and not (len(s1) >= MIN_CITY_SEGMENTS and not s2):
                continue
            rows.append({"case": case, "in_rounds": rounds, "theme_id": theme, "label": labels[theme],
                         "change": "nieuw aangekaart" if raised2 else "niet meer aangekaart",
                         "segments_before": len(s1), "segments_now": len(s2),
                         "segment_ids": "; ".join((s2 if raised2 else s1)[:5])})
    columns = ["case", "in_rounds", "theme_id", "label", "change", "segments_before", "segments_now", "segment_ids"]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------- mechanisms
def _mechanism_vectors(tables: RunTables, encode) -> dict:
    """Mechanism id -> the mean embedding of its evidence sentences, or its key terms."""
    mechanisms, evidence = tables.mechanisms, tables.mechanism_evidence
    if mechanisms is None or not len(mechanisms):
        return {}
    if encode is not None and evidence is not None and len(evidence):
        vectors = encode(list(evidence["text"]))
        if vectors is not None:
            out = {}
            for mid, rows in evidence.groupby("mechanism_id").indices.items():
                v = np.asarray(vectors)[rows].mean(axis=0)
                out[mid] = v / (np.linalg.norm(v) or 1)
            return out
    terms = mechanisms.get("key_terms", mechanisms["label"]).fillna("")
    return {mid: [t.strip() for t in re.split(r"[;,]", str(kt)) if t.strip()]
            for mid, kt in zip(mechanisms["mechanism_id"], terms)}


def _coded_from_before(now: RunTables, old: dict) -> dict[str, str]:
    """New mechanism id -> the earlier round's id, for the mechanisms the new round was coded with
    (--compare-with codes it with the earlier round's mechanisms: their family names the id)."""
    if now.mechanisms is None or "family" not in now.mechanisms:
        return {}
    pairs = zip(now.mechanisms["mechanism_id"], now.mechanisms["family"].fillna("").map(mech.earlier_id))
    return {n: o for n, o in pairs if o in old}


def mechanism_changes(before: RunTables, now: RunTables, encode=None) -> pd.DataFrame:
    """The `vergelijking_mechanismen` table: mechanisms in both rounds, only the old, only the new."""
    old, new = _mechanism_vectors(before, encode), _mechanism_vectors(now, encode)
    mapping = _coded_from_before(now, old)  # coded in the new round as the earlier round's mechanism
    old_rest = {o: v for o, v in old.items() if o not in mapping.values()}
    new_rest = {n: v for n, v in new.items() if n not in mapping}
    if old_rest and new_rest:  # the rest by their evidence
        mapping.update({n: o for n, o in th.match_ids(new_rest, old_rest).items() if o in old_rest})
    info = {}
    for tag, tables in (("before", before), ("now", now)):
        m = tables.mechanisms if tables.mechanisms is not None else pd.DataFrame(columns=["mechanism_id", "label"])
        info[tag] = {r["mechanism_id"]: r for r in m.to_dict("records")}
    rows = []
    for n, o in sorted(mapping.items(), key=lambda x: x[1]):
        rows.append(("in beide rondes", o, n))
    rows += [("alleen vorige ronde", o, "") for o in sorted(old) if o not in mapping.values()]
    rows += [("alleen nieuwe ronde", "", n) for n in sorted(new) if n not in mapping]
    out = []
    for status, o, n in rows:
        a, b = info["before"].get(o, {}), info["now"].get(n, {})
        out.append({"status": status, "mechanism_before": o, "label_before": a.get("label", ""),
                    "cases_before": a.get("cases", ""), "mechanism_now": n, "label_now": b.get("label", ""),
                    "cases_now": b.get("cases", ""),
                    "evidence_now": b.get("example_segment_ids", ""), "evidence_before": a.get("example_segment_ids", "")})
    return pd.DataFrame(out, columns=["status", "mechanism_before", "label_before", "cases_before", "mechanism_now",
                                      "label_now", "cases_now", "evidence_before", "evidence_now"])


# ---------------------------------------------------------------------------------------- practices
def _practice_names(tables: RunTables) -> dict[str, dict]:
    practices = tables.practices
    if practices is None or not len(practices):
        return {}
    out = {}
    for name, rows in practices.groupby("practice", sort=True):
        out[name] = {"cases": "; ".join(sorted(set(rows["case"]))), "segment_ids": "; ".join(rows["segment_id"])}
    return out


def _key(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"\W+", " ", "".join(c for c in plain if not unicodedata.combining(c))).strip()


def _name_similarity(a: str, info_a: dict, b: str, info_b: dict) -> float:
    """difflib's ratio of the plain names; 1 when one name's words are all in the other's and the
    practice is named in a common city ("Budgetcafé" in Hasselt, then "Budgetcafé De Kaai" there)."""
    ka, kb = _key(a), _key(b)
    wa, wb = set(ka.split()), set(kb.split())
    shared_city = set(cell_items(info_a["cases"])) & set(cell_items(info_b["cases"]))
    if wa and wb and (wa <= wb or wb <= wa) and shared_city:
        return 1.0
    return difflib.SequenceMatcher(None, ka, kb).ratio()


def practice_changes(before: RunTables, now: RunTables) -> pd.DataFrame:
    """The `vergelijking_praktijken` table: practices continued (same name, fuzzy), new, no longer named
    (or no longer asked: none of their cities is in the new round)."""
    old, new = _practice_names(before), _practice_names(now)
    old_names, new_names = list(old), list(new)
    pairs = {}
    if old_names and new_names:
        sims = np.array([[_name_similarity(a, new[a], b, old[b]) for b in old_names] for a in new_names])
        for r, c in zip(*linear_sum_assignment(-sims)):
            if sims[r, c] >= PRACTICE_MATCH:
                pairs[new_names[r]] = (old_names[c], sims[r, c])
    matched_old = {o for o, _ in pairs.values()}
    rows = [{"status": "voortgezet", "practice_before": o, "practice_now": n, "similarity": round(s, 4),
             "cases_before": old[o]["cases"], "cases_now": new[n]["cases"],
             "segment_ids_before": old[o]["segment_ids"], "segment_ids_now": new[n]["segment_ids"]}
            for n, (o, s) in sorted(pairs.items())]
    rows += [{"status": "nieuw", "practice_before": "", "practice_now": n, "similarity": 0.0, "cases_before": "",
              "cases_now": new[n]["cases"], "segment_ids_before": "", "segment_ids_now": new[n]["segment_ids"]}
             for n in new_names if n not in pairs]
    # a practice of a city that is not in the new round was not dropped by it: nobody asked it again
    asked_now = set(now.documents["case"]) if now.documents is not None and "case" in now.documents else set()

    def gone(o: str) -> str:
        return "niet meer vermeld" if set(cell_items(old[o]["cases"])) & asked_now else "niet meer bevraagd"
    rows += [{"status": gone(o), "practice_before": o, "practice_now": "", "similarity": 0.0,
              "cases_before": old[o]["cases"], "cases_now": "", "segment_ids_before": old[o]["segment_ids"],
              "segment_ids_now": ""} for o in old_names if o not in matched_old]
    return pd.DataFrame(rows, columns=["status", "practice_before", "practice_now", "similarity", "cases_before",
                                       "cases_now", "segment_ids_before", "segment_ids_now"])


# ---------------------------------------------------------------------------------------- subjects
SUBJECT_COLUMNS = list(TABLES["vergelijking_onderwerpen"].columns)


def subject_changes(before: RunTables, now: RunTables, subjects: pd.DataFrame | None) -> pd.DataFrame:
    """The `vergelijking_onderwerpen` table: subjects that faded (`verdwenen`) or arose (`nieuw`)
    inside a theme of the earlier round (themes/_rounds.py `changed_subjects`). Its segments are in
    the round that has it (`segment_ids`); the other round's segments near them
    (`segment_ids_other_round`) are what that round has like it."""
    if subjects is None or not len(subjects):
        return pd.DataFrame(columns=SUBJECT_COLUMNS)
    cases = [t.segments.set_index("segment_id")["case"] for t in (before, now)]
    totals = [max(int(t.segments["analysed"].sum()), 1) for t in (before, now)]
    labels = {**dict(zip(now.themes["theme_id"], now.themes["label"])),
              **dict(zip(before.themes["theme_id"], before.themes["label"]))}
    rows = []
    for n, r in enumerate(subjects.sort_values(["round", "p_value"], kind="stable").to_dict("records"), start=1):
        own, other = list(r["segment_ids"]), list(r["other_segment_ids"])
        segs = (own, other) if r["round"] == 1 else (other, own)
        rows.append({"subject_id": f"O{n:02d}", "label": r["label"], "status": "verdwenen" if r["round"] == 1
                     else "nieuw", "theme_id": r["theme_id"], "theme_label": labels.get(r["theme_id"], ""),
                     "share_before": len(segs[0]) / totals[0], "share_now": len(segs[1]) / totals[1],
                     "segments_before": len(segs[0]), "segments_now": len(segs[1]),
                     "cases_before": cases[0].reindex(segs[0]).nunique(),
                     "cases_now": cases[1].reindex(segs[1]).nunique(),
                     "p_value": r["p_value"], "segment_ids": "; ".join(own),
                     "segment_ids_other_round": "; ".join(other)})
    return pd.DataFrame(rows, columns=SUBJECT_COLUMNS)


def compare_rounds(before: RunTables, now: RunTables, encode=None, subjects: pd.DataFrame | None = None,
                   corrected: dict | None = None, words: tuple | None = None) -> dict[str, pd.DataFrame]:
    """Every comparison table (module doc); `encode(texts) -> vectors` embeds mechanism evidence;
    `subjects` the subjects changed inside a theme (`code_new_round`); `corrected` the new round's
    shares corrected for the coder's error (`corrected_shares`); `words` the rounds' words
    (th.RoundWords, earlier and new) for what a persisting theme now says more and less."""
    changes = theme_changes(before, now, corrected)
    changes = _with_words(changes, before, now, words)
    return {"vergelijking": changes, "vergelijking_steden": city_changes(before, now, changes),
            "vergelijking_mechanismen": mechanism_changes(before, now, encode),
            "vergelijking_praktijken": practice_changes(before, now),
            "vergelijking_onderwerpen": subject_changes(before, now, subjects)}
