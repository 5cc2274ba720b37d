"""Small themes cut from a tree (_model._tree) on real report rows: no catch-all of generic rows."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from pipeline.analysis.themes import ThemeModel, terms_from_tokens
from pipeline.config import EmbedConfig, NlpConfig
from pipeline.language import embed_segments, parse, with_compound_parts
from pipeline.schema import segments_from_rows

from .makers import SHARED

STATEMENTS = SHARED / "data" / "stadsgenoten_report_dev" / "statements.csv"


def _report_rows() -> tuple[list[str], pd.DataFrame]:
    """The report's statements three at a time within a section (benchmarks/report.py, rows), and
    the section of each row."""
    statements = pd.read_csv(STATEMENTS, dtype=str, keep_default_na=False)
    groups = []
    for _, idx in statements.groupby("section", sort=False).groups.items():
        groups += [list(idx)[i:i + 3] for i in range(0, len(idx), 3)]
    texts = [" ".join(statements["text"].iloc[g]) for g in groups]
    rows = [{"segment_id": f"r:{i:04d}", "doc_id": f"r{i:04d}", "kind": "paragraph", "start_char": 0,
             "end_char": len(text), "text": text, "analysed": True} for i, text in enumerate(texts)]
    return [statements["section"].iloc[g[0]] for g in groups], segments_from_rows(rows)


@pytest.mark.skipif(not STATEMENTS.is_file(), reason="the report's development gold is not here")
def test_report_rows_fall_into_their_sections_on_the_whole_set_and_subsamples():
    # 173 rows of a Dutch report on 14 cities, 20 sections of 2 to 21 rows: 20 themes average fewer
    # rows than the graph has neighbours, so they are cut from a tree. Ward's tree gathered the
    # generic rows into catch-all themes: AMI on the whole set and four 90 % subsamples 0.299,
    # 0.226, 0.253, 0.302, 0.247; average linkage of the locally scaled cosine (CSLS) 0.316, 0.287,
    # 0.301, 0.325, 0.279.
    gold, segments = _report_rows()
    sentences, tokens = parse(segments, NlpConfig())
    terms, _ = terms_from_tokens(tokens)
    ids = list(segments["segment_id"])
    term_lists = [with_compound_parts(terms.get(i, [])) for i in ids]
    vectors = np.asarray(embed_segments(sentences, ids, EmbedConfig()))
    gold = np.asarray(gold)
    scores = []
    for sample in [np.arange(len(ids))] + [np.sort(np.random.RandomState(100 + s).permutation(len(ids))[:155])
                                           for s in range(4)]:
        sub_terms, sub_vectors = [term_lists[i] for i in sample], vectors[sample]
        model = ThemeModel(n_themes=20).fit(sub_terms, sub_vectors)
        assert model.method_ == "csls"
        scores.append(adjusted_mutual_info_score(gold[sample], model.predict(sub_terms, sub_vectors)))
    assert min(scores) >= 0.27 and np.mean(scores) >= 0.29, scores
