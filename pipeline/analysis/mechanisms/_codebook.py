"""A mechanism codebook the analyst passes on purpose (`mechanisms.codebook`, `--mechanism-codebook`).

A codebook names concepts (cue patterns a sentence can match) and mechanisms as relations between
two of them: a statement belongs to a mechanism when it names a core and a partner concept.
Without a codebook nothing here runs and mechanisms are found inductively from the notes; the
report's mechanisms ship as an example, `codebooks/stadsgenoten_2019_mechanismen.yaml`.

YAML: `concepts: {name: {label, cues: [...], problem: bool}}` and
`mechanisms: [{id, label, core: [...], partners: [...], examples: [...], source}]`. A mechanism
needs core and partner concepts, or `examples`: sentences that say it (the analyst's confirmed and
new mechanisms are written so, `mechanismen_codeboek.yaml`); a statement close enough to one of
them is coded under it (`_examples`), whatever concepts it names. `dropped: [{label, examples}]`
lists mechanisms the analyst rejected: statements like their examples are not grouped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from ...errors import InputError
from ...language import match_groups

__all__ = ["Family", "MechanismCodebook", "load_mechanism_codebook", "combined", "ROUND",
           "round_family", "earlier_id"]

# mechanisms.csv `source` of a mechanism the earlier round reported, coded in this one (--compare-with);
# its family is "vorige ronde:<its id there>" (`round_family`), which vergelijking_mechanismen matches
ROUND = "vorige ronde"
# the `source` of a mechanism the analyst defined from seeds, as the written codebook has it
# ("nieuw door analist; run …", `mechanism_codebook_yaml`): its examples are those seeds
SEEDED = "nieuw door analist"
_FORMAT = "zie codebooks/stadsgenoten_2019_mechanismen.yaml voor de opmaak"


@dataclass(frozen=True)
class Family:
    """A known mechanism as a relation between concepts ("projects" and "temporary"; "signals"
    and "the top"). Two core concepts alone ("project" and "geld") are no relation."""

    id: str
    label: str  # short Dutch label, in the codebook's words
    core: tuple[str, ...]
    partners: tuple[str, ...]
    source: str = ""  # where the codebook's author found it
    examples: tuple[str, ...] = ()  # sentences that say it, coded by similarity (_examples)
    earlier_round: bool = False  # a mechanism the earlier round reported (--compare-with), not the analyst's
    # its examples are the analyst's seeds (a new mechanism), not evidence the grouping found: a few
    # near-identical sentences, no spread to learn its own cut from (`_examples`)
    seeded: bool = False

    def score(self, concepts: set[str]) -> int:
        """Number of the family's concepts named, 0 when the statement does not relate two of them."""
        core = concepts & set(self.core)
        partners = concepts & set(self.partners)
        if not core or not partners:
            return 0
        return len(core) + len(partners)


@dataclass(frozen=True)
class MechanismCodebook:
    concepts: dict[str, tuple[str, ...]]  # name -> cue patterns
    labels: dict[str, str]  # concept name -> Dutch label
    problem_concepts: frozenset[str]  # concepts that by themselves say something goes wrong
    families: tuple[Family, ...]
    # mechanisms the analyst dropped, by their examples: statements like them are left out of the
    # grouping, so a rejected mechanism does not come back in the next round (`dropped:` in the YAML)
    rejected: tuple[Family, ...] = ()

    @property
    def has_examples(self) -> bool:
        return any(f.examples for f in self.families + self.rejected)

    @cached_property
    def _cue_groups(self) -> tuple[tuple[str, ...], ...]:
        # built once: match_groups caches its compiled patterns by this tuple, and rebuilding and
        # hashing it for every sentence would cost on the hot path
        return tuple(self.concepts.values())

    def concept_hits(self, words: list[str], lemmas: list[str]) -> list[str]:
        """The concepts a sentence names (in the codebook's order)."""
        hits = match_groups(self._cue_groups, words, lemmas)
        return [c for c, found in zip(self.concepts, hits) if found]

    def family_of(self, concepts: str | set[str]) -> str:
        """The family a statement with these concepts belongs to ("" for none): the one with the
        most of its concepts named; ties go to the family listed first."""
        names = set(filter(None, concepts.split(";"))) if isinstance(concepts, str) else set(concepts)
        best, best_score = "", 0
        for family in self.families:
            score = family.score(names)
            if score > best_score:
                best, best_score = family.id, score
        return best

    def label_of(self, family_id: str) -> str:
        return next(f.label for f in self.families if f.id == family_id)


def load_mechanism_codebook(path: str | Path) -> MechanismCodebook:
    """Read and validate a mechanism codebook; errors name the file and what to fix."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "mechanismecodeboek niet gevonden",
                         "controleer mechanisms.codebook of het pad bij --mechanism-codebook")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(path, f"geen geldige YAML ({exc})", "verbeter de YAML-opmaak") from exc
    if isinstance(data, dict) and data.get("concepts") is None:
        data["concepts"] = {}  # a codebook of examples alone needs no concepts
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict) \
            or not isinstance(data.get("mechanisms"), list):
        raise InputError(path, "heeft een blok 'concepts:' en een lijst 'mechanisms:' nodig", _FORMAT)
    concepts, labels, problem = {}, {}, set()
    for name, spec in data["concepts"].items():
        cues = spec.get("cues") if isinstance(spec, dict) else None
        if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c.strip() for c in cues):
            raise InputError(path, f"concept '{name}' heeft geen lijst cues", _FORMAT)
        concepts[str(name)] = tuple(c.strip() for c in cues)
        labels[str(name)] = str(spec.get("label") or name)
        if spec.get("problem"):
            problem.add(str(name))
    families, seen = [], set()
    for i, row in enumerate(data["mechanisms"], 1):
        if not isinstance(row, dict) or not row.get("id") or not row.get("label"):
            raise InputError(path, f"mechanisme {i} heeft een id en een label nodig", _FORMAT)
        core, partners = tuple(map(str, row.get("core") or ())), tuple(map(str, row.get("partners") or ()))
        unknown = sorted(set(core + partners) - set(concepts))
        examples = row.get("examples") or []
        if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
            raise InputError(path, f"mechanisme '{row['id']}': examples moet een lijst zinnen zijn", _FORMAT)
        if unknown or (not examples and (not core or not partners)):
            raise InputError(path, f"mechanisme '{row['id']}' heeft core- en partnerconcepten uit 'concepts:'"
                             " of examples nodig" + (f" (onbekend: {unknown})" if unknown else ""), _FORMAT)
        if row["id"] in seen:
            raise InputError(path, f"mechanisme-id '{row['id']}' komt twee keer voor", "geef elk mechanisme een eigen id")
        seen.add(row["id"])
        source = str(row.get("source") or "")
        families.append(Family(str(row["id"]), str(row["label"]), core, partners, source,
                               tuple(" ".join(e.split()) for e in examples), seeded=source.startswith(SEEDED)))
    rejected = []
    for i, row in enumerate(data.get("dropped") or [], 1):
        examples = row.get("examples") if isinstance(row, dict) else None
        if not isinstance(examples, list) or not examples or not all(isinstance(e, str) and e.strip() for e in examples):
            raise InputError(path, f"weggelaten mechanisme {i} heeft een lijst voorbeeldzinnen (examples) nodig", _FORMAT)
        rejected.append(Family(f"weggelaten:{i}", str(row.get("label") or f"weggelaten {i}"), (), (),
                               str(row.get("source") or ""), tuple(" ".join(e.split()) for e in examples)))
    return MechanismCodebook(concepts, labels, frozenset(problem), tuple(families), tuple(rejected))


def combined(given: MechanismCodebook | None, earlier: MechanismCodebook | None) -> MechanismCodebook | None:
    """The analyst's codebook (--mechanism-codebook) with the earlier round's mechanisms after it
    (--compare-with): both code the new round. The analyst's are listed first, so a statement
    that relates the concepts of one of theirs stays under it; by examples, the closest wins."""
    if given is None or earlier is None:
        return given or earlier
    return MechanismCodebook(given.concepts, given.labels, given.problem_concepts, given.families + earlier.families,
                             given.rejected + earlier.rejected)


def round_family(mechanism_id: str) -> str:
    """The family id of the earlier round's mechanism `mechanism_id`: apart from any codebook's ids."""
    return f"{ROUND}:{mechanism_id}"


def earlier_id(family: str) -> str:
    """The earlier round's mechanism id of a family made by `round_family`, else ""."""
    return str(family)[len(ROUND) + 1:] if str(family).startswith(f"{ROUND}:") else ""
