"""An analyst's codebook (YAML or CSV) -> seeds for guided theme discovery.

A codebook lists themes with a description, seed words or phrases and example quotes. Each theme
becomes a seed: its lemma terms (through the same NLP as the notes) and the sentence embedding
of its description and examples. Segments close to a seed join that theme; what fits no
codebook theme still forms new themes (see cluster.ThemeModel.fit).

YAML: `themes: [{theme, description, seeds: [...], examples: [...]}]`.
CSV: columns theme, description, seeds (";"-separated), examples (" | "-separated).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ...errors import InputError
from ...language import encode, parse, with_compound_parts
from ...schema import segments_from_rows
from ._model import terms_from_tokens

__all__ = ["CodebookTheme", "load_codebook", "codebook_seeds"]


@dataclass(frozen=True)
class CodebookTheme:
    theme: str
    description: str = ""
    seeds: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The theme as text for the NLP: name, description, seeds and examples."""
        parts = [self.theme, self.description, ", ".join(self.seeds), *self.examples]
        return "\n\n".join(p.strip().rstrip(".") + "." for p in parts if p and p.strip())


def load_codebook(path: str | Path) -> list[CodebookTheme]:
    """Read and validate a codebook; errors name the file and what to fix."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "codeboek niet gevonden", "controleer het pad bij --codebook")
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [c.strip().lower() for c in frame.columns]
        rows = [{"theme": r.get("theme", ""), "description": r.get("description", ""),
                 "seeds": [s for s in r.get("seeds", "").split(";")],
                 "examples": [e for e in r.get("examples", "").split(" | ")]} for r in frame.to_dict("records")]
    else:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InputError(path, f"geen geldige YAML ({exc})", "verbeter de YAML-opmaak") from exc
        rows = data.get("themes") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise InputError(path, "geen lijst 'themes:'", "zie codebooks/stadsgenoten_2019.yaml voor de opmaak")
    themes, seen = [], set()
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise InputError(path, f"thema {i} heeft geen velden",
                             "geef elk thema de velden theme, description, seeds, examples")
        unknown = set(row) - {"theme", "description", "seeds", "examples"}
        if unknown:
            raise InputError(path, f"thema {i}: onbekend(e) veld(en) {sorted(unknown)}",
                             "gebruik alleen theme, description, seeds, examples")
        name = str(row.get("theme") or "").strip()
        if not name:
            raise InputError(path, f"thema {i} heeft geen naam", "vul 'theme' in")
        if name in seen:
            raise InputError(path, f"thema '{name}' staat er twee keer in", "voeg de twee samen")
        seen.add(name)
        seeds = tuple(str(s).strip() for s in row.get("seeds") or () if str(s).strip())
        examples = tuple(str(e).strip() for e in row.get("examples") or () if str(e).strip())
        if not seeds and not examples and not str(row.get("description") or "").strip():
            raise InputError(path, f"thema '{name}' heeft geen description, seeds of examples",
                             "geef minstens een paar zaadwoorden (seeds)")
        themes.append(CodebookTheme(name, str(row.get("description") or "").strip(), seeds, examples))
    if not themes:
        raise InputError(path, "het codeboek heeft geen thema's", "voeg minstens één thema toe")
    return themes


def codebook_seeds(themes: list[CodebookTheme], nlp_cfg, embed_cfg):
    """(term lists, vectors or None, names) for ThemeModel.fit(seeds=...)."""
    rows = []
    for i, theme in enumerate(themes):
        text = theme.text
        rows.append({"segment_id": f"codebook:{i:04d}", "doc_id": "codebook", "index": i, "kind": "paragraph",
                     "start_char": 0, "end_char": len(text), "text": text, "analysed": True})
    sentences, tokens = parse(segments_from_rows(rows), nlp_cfg)
    terms, _ = terms_from_tokens(tokens)
    term_lists = [with_compound_parts(terms.get(r["segment_id"], [])) for r in rows]
    vectors = None
    if embed_cfg.backend != "none":
        vectors = np.vstack([encode([t for t in (th.description, *th.examples) if t] or [th.theme], embed_cfg).mean(axis=0)
                             for th in themes])
    return term_lists, vectors, [t.theme for t in themes]
