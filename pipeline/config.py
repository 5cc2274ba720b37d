"""A frozen, typed config per stage, loaded from one YAML file; unknown keys are an error.

The CLI builds a Config from an optional YAML file plus its options; notebooks call
`load_config(path, **overrides)`. Each stage reads only its own section, and the cache keys a
stage's results on that section alone, so changing the clustering does not re-parse.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

__all__ = [
    "Config",
    "CorpusConfig",
    "PrivacyConfig",
    "SegmentConfig",
    "NlpConfig",
    "EmbedConfig",
    "ThemeConfig",
    "MechanismConfig",
    "OutputConfig",
    "load_config",
    "section_hash",
    "DEMO_CORPUS",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = PROJECT_ROOT / "corpus" / "demo"

# The 13 Flemish centre cities and the VGC (Brussels): the default set of cases.
CENTRE_CITIES = (
    "Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk", "Leuven",
    "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout", "VGC",
)


@dataclass(frozen=True)
class CorpusConfig:
    path: str = str(DEMO_CORPUS)  # a folder (with manifest.csv) or one spreadsheet
    manifest: str = "manifest.csv"  # relative to a corpus folder
    text_column: str = "Antwoord"  # spreadsheets: the answer text
    case_column: str = "Stad"  # spreadsheets: the case (city)
    question_column: str = "Vraag"  # spreadsheets: optional question column ("" = none)
    session: str = "schriftelijke antwoorden"  # session label for a bare spreadsheet corpus
    # what the Dutch outputs call the cases, "singular/plural": "ministerie/ministeries" for the
    # Chamber's answering departments, "sectie/secties", "partij/partijen"
    case_noun: str = "stad/steden"
    # spellings of these are normalised to them ("St.-Niklaas"); any other name is a case as written
    known_cases: tuple[str, ...] = CENTRE_CITIES
    case_aliases: dict[str, str] = field(default_factory=dict)  # extra spelling -> case
    strict: bool = False  # every skipped file becomes an error


@dataclass(frozen=True)
class SegmentConfig:
    facilitator_labels: tuple[str, ...] = (
        "facilitator", "moderator", "gespreksleider", "interviewer", "begeleider", "kvs",
    )
    # The chair leads a meeting as a facilitator leads a conversation table: "De voorzitter:",
    # "Voorzitter (naam):" are facilitator turns. Only the bare office counts, "Voorzitter
    # buurtcomité:" is a participant speaking in another role.
    chair_labels: tuple[str, ...] = ("voorzitter",)
    header_labels: tuple[str, ...] = (  # "Label:" lines that are metadata, not speech
        "aanwezig", "aanwezigen", "datum", "plaats", "verslag", "notulist", "afwezig", "thema",
        "verontschuldigd", "locatie", "tijd",
    )
    min_chars: int = 2  # shorter paragraphs (page numbers, bullets) stay segments but are not analysed


@dataclass(frozen=True)
class NlpConfig:
    batch_size: int = 256
    # parsing processes (forked, models shared); measured on 2 cores: tagging 0.1 M words 7.9 s -> see
    # benchmarks/perf.py. Below parallel_min_chars the fork costs more than it saves.
    n_process: int = 2
    parallel_min_chars: int = 300_000
    batch_chars: int = 2_000_000  # documents parsed per batch (bounds the memory of the parse)
    tagger: bool = True  # UPOS from models/tagger (UD Dutch); false = lemmas without POS
    # spaCy's Dutch stop list holds words that carry meaning in notes: negation, quantity
    # ("te weinig"), and "klare taal", "lange wachtlijsten", "van beneden naar boven".
    keep_stopwords: tuple[str, ...] = (
        "niet", "geen", "niets", "niemand", "nooit", "meer", "minder", "te", "weinig",
        "klaar", "lang", "gelijk", "vrij", "beneden", "boven", "mogelijk",
    )


@dataclass(frozen=True)
class EmbedConfig:
    backend: str = "use"  # use (multilingual USE v3, in the wheel) | none (lexical only) | a local sentence-transformers folder
    batch_size: int = 64
    threads: int = 1  # numpy threads per batch; 2 was 4x slower than 1 on a busy 2-core machine
    # batches encoded side by side in this many threads (numpy releases the GIL; measured on 2
    # cores: 10.0 s -> 5.5 s for 0.1 M words); the vectors are identical whatever the number
    workers: int = 2


@dataclass(frozen=True)
class ThemeConfig:
    n_themes: int | str = "auto"  # "auto" or a fixed number
    k_min: int = 2  # "auto" picks a k in k_min..k_max by graph modularity (_model._choose_k)
    k_max: int | str = "auto"  # or a number; "auto" grows with the corpus: 2 sqrt(segments), at most segments / 5
    n_neighbors: int = 30  # of the segment graph (fewer on small corpora: about sqrt(n))
    svd_components: int = 300
    min_tokens: int = 1  # segments with fewer content words are not clustered (1: only those without any)
    outlier_quantile: float = 0.0  # share of least typical segments left unassigned (0: every segment with content gets a theme)
    second_theme_margin: float = 0.05  # a second theme when its score is this close to the first
    lexical_weight: float = 0.7  # weight of the lemma TF-IDF block next to the sentence embedding
    n_terms: int = 10
    n_quotes: int = 3
    codebook: str = ""  # a codebook (YAML/CSV) for guided mode; "" = themes are discovered
    seed_share: float = 0.6  # guided mode: share of segments that may join a codebook theme
    previous_run: str = "latest"  # match theme ids to this run folder; "latest" = newest run of the same corpus; "none"
    overrides: str = ""  # analyst overrides (rename/merge/exclude); "" = <out_dir>/overrides.yaml if it exists
    model: str = ""  # code the corpus against a saved theme model (models/themes/<name>) instead of fitting
    save_model: str = ""  # save the fitted theme model as models/themes/<name>
    compare_with: str = ""  # an earlier round's run folder: code against its themes and write vergelijking*.csv


@dataclass(frozen=True)
class PrivacyConfig:
    pseudonymise: bool = True  # person names -> "[Persoon N]" in every output
    # named public persons to keep in clear (e.g. ministers in parliamentary text); off by default
    keep_persons: tuple[str, ...] = ()


_CANDIDATES = ("all", "problem", "relational")


@dataclass(frozen=True)
class MechanismConfig:
    min_cases: int = 3  # a mechanism recurs in at least this many cases (cities)
    # cosine distance at which the average-linkage tree is cut. 0.5 suited the codebook's concept
    # block; on sentence + lemma features alone 0.5 leaves hardly a group, and 0.7 grew loose
    # catch-alls that read as unrelated sentences side by side on the Kamer answers (read in
    # benchmarks/mechanisms.py); 0.6 keeps groups that say one thing
    distance_threshold: float = 0.6
    weight_embedding: float = 0.35  # weights of the two blocks (squared norms; normalised to sum to 1)
    weight_lexical: float = 0.25
    # what a statement says of its subject (its lemmas from the first verb on, names left out):
    # the same claim about different things ("… is een bevoegdheid van de deelstaten" / "… behoort
    # tot de bevoegdheden van de Gewesten") is close on it where the subjects' words keep it apart
    weight_claim: float = 0.15
    # a mechanism codebook (YAML) to code statements against first, passed on purpose
    # (example: codebooks/stadsgenoten_2019_mechanismen.yaml); "" = mechanisms are found from the notes only
    codebook: str = ""
    codebook_needs_problem: bool = True  # only problem statements (function, claim or negation) are coded
    min_problem_share: float = 0.5  # inductive groups: share of barrier/concern/need/tension/wish or claim statements
    min_themes: int = 2  # a mechanism must cross at least this many themes ("" theme not counted)
    min_cohesion: float = 0.0  # mean cosine similarity of statements to their group centre
    # a codebook group whose statements come mostly from one case is local; an inductive group's dominant
    # case is cut to this share (its statements closest to the other cases) and the rest judged
    max_share_per_case: float = 0.5
    # two claims are about the same thing when their subjects (word or phrase, sentence encoder)
    # are at least this close: on the Kamer answers and the demo "cijfers"/"gegevens" 0.55,
    # "statistieken"/"statistische gegevens" 0.82, "taal"/"het Nederlands" 0.68; unrelated nouns
    # ("taal"/"de versnippering van het aanbod" 0.11, "cijfers"/"wetsontwerp" 0.28) stay below 0.5
    subject_similarity: float = 0.55
    # an inductive group whose statements' surroundings (the rest of their segments) are more alike
    # than this quantile of the corpus's pairs is one question answered alike, a topic; 1.0 = off
    context_quantile: float = 0.99
    min_content_words: int = 4  # shorter sentences are not candidates
    max_tokens: int = 80  # longer "sentences" are run-on lists or tables
    # "all": every statement, plain assertions too ("Projecten blijven klein en tijdelijk"; a group
    # must still be min_problem_share problem statements); "problem": a claim (cause/obstacle/
    # contrast), a barrier/concern/need/tension/wish sentence or a negated assertion ("Er is geen
    # visie"); "relational": a cause/obstacle claim or two codebook concepts
    candidates: str = "all"
    # the grouping needs memory for every pair of statements: above this many candidates only the
    # problem statements, then only the relational ones, are grouped (15,000: 0.9 GB)
    max_statements: int = 15_000
    label_terms: int = 3
    # sentence tagging in this many forked processes above parallel_min_sentences sentences
    n_process: int = 2
    parallel_min_sentences: int = 20_000


@dataclass(frozen=True)
class OutputConfig:
    out_dir: str = str(PROJECT_ROOT / "outputs")  # each run gets a new folder below this
    cache_dir: str = ""  # "" = <out_dir>/.cache
    show_progress: bool = False


@dataclass(frozen=True)
class Config:
    seed: int = 13
    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    nlp: NlpConfig = field(default_factory=NlpConfig)
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    themes: ThemeConfig = field(default_factory=ThemeConfig)
    mechanisms: MechanismConfig = field(default_factory=MechanismConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def replace(self, **changes: Any) -> "Config":
        """A copy with dotted-key changes: cfg.replace(**{"themes.n_themes": 8, "seed": 1})."""
        return _build(Config, _merge(to_dict(self), _undot(changes)), "config")


def to_dict(obj: Any) -> Any:
    if is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, tuple):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def section_hash(section: Any) -> str:
    """A short stable hash of one config section, for cache keys."""
    blob = json.dumps(to_dict(section), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """Config from an optional YAML file, then `overrides` given as dotted keys."""
    data: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"configuratiebestand niet gevonden: {p}")
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: geen geldige YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{p}: het bovenste niveau moet uit secties bestaan "
                              "(bv. themes: met daaronder n_themes: 8)")
    data = _merge(data, _undot({k: v for k, v in overrides.items() if v is not None}))
    return _build(Config, data, "config")


def _undot(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return nested


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "case_aliases":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: moet sleutels met waarden bevatten, niet {type(data).__name__}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"{where}: onbekende sleutel(s) {unknown}; bekend zijn: {sorted(known)}")
    values = {}
    for name, value in data.items():
        f = known[name]
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if is_dataclass(default):
            values[name] = _build(type(default), value, f"{where}.{name}")
        else:
            values[name] = _coerce(value, default, f"{where}.{name}")
    return cls(**values)


def _coerce(value: Any, default: Any, where: str) -> Any:
    """Check a value against its default's type; tuples stay tuples so configs hash and freeze."""
    if isinstance(default, tuple):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: moet een lijst zijn, niet {value!r} (bv. [Gent, Brugge])")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: moet true of false zijn, niet {value!r}")
        return value
    if where.endswith((".n_themes", ".k_max")):  # not mechanisms.min_themes
        if value == "auto" or (isinstance(value, int) and not isinstance(value, bool) and value >= 2):
            return value
        if isinstance(value, str) and value.isdigit() and int(value) >= 2:
            return int(value)
        raise ConfigError(f"{where}: moet 'auto' of een geheel getal van minstens 2 zijn, niet {value!r}")
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: moet een geheel getal zijn, niet {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: moet een getal zijn, niet {value!r}")
        return float(value)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: moet sleutels met waarden bevatten, niet {value!r}")
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: moet tekst zijn, niet {value!r}")
        if where.endswith("mechanisms.candidates") and value not in _CANDIDATES:
            raise ConfigError(f"{where}: moet een van {list(_CANDIDATES)} zijn, niet {value!r}")
        if where.endswith("corpus.case_noun") and not re.fullmatch(r"[^/]*[^/\s][^/]*/[^/]*[^/\s][^/]*", value):
            raise ConfigError(f"{where}: moet 'enkelvoud/meervoud' zijn, bv. 'stad/steden', niet {value!r}")
        return value
    return value
