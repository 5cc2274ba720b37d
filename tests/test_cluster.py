import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from pipeline.analysis.themes import ThemeModel, codebook_seeds, load_codebook, terms_from_tokens
from pipeline.analysis.themes._model import _knn_graph
from pipeline.config import EmbedConfig, NlpConfig, SegmentConfig, ThemeConfig
from pipeline.corpus import segment
from pipeline.language import embed_segments, parse, with_compound_parts

WONEN = [
    "De wachtlijsten voor sociale woningen zijn in onze stad enorm lang.",
    "Op de private huurmarkt vinden grote gezinnen bijna geen betaalbare woning.",
    "Veel huurwoningen aan de onderkant van de markt zijn in slechte staat, met vocht en schimmel.",
    "Verhuurders weigeren soms kandidaat-huurders met een vreemde naam, dat is discriminatie op de huurmarkt.",
    "Het huurgarantiefonds helpt mensen om de huurwaarborg te betalen.",
    "De dakloosheid stijgt en de nachtopvang zit elke winter vol.",
    "Een sociale woning toegewezen krijgen duurt soms acht jaar.",
    "We plannen praktijktesten om discriminatie bij verhuurders aan te pakken.",
    "Gezinnen wonen met vijf in een studio omdat de huurprijzen te hoog liggen.",
    "Het sociaal verhuurkantoor huurt woningen van private eigenaars en verhuurt ze door.",
    "Er zijn te weinig sociale woningen voor alleenstaanden met een leefloon.",
    "De huurprijzen in de binnenstad zijn de laatste jaren sterk gestegen.",
]
TAAL = [
    "Aan het stadsloket spreken veel bezoekers nauwelijks Nederlands.",
    "Het tolkenbudget is halverwege het jaar al op, dus we werken met Google Translate.",
    "De brieven van de stad zijn geschreven in moeilijke ambtelijke taal; klare taal zou helpen.",
    "De wachtlijsten voor de lessen Nederlands als tweede taal zijn lang.",
    "Een sociaal tolk vinden voor het Tigrinya of het Dari is bijna onmogelijk.",
    "We zetten in op meertalige folders, maar het taalbeleid laat dat niet altijd toe.",
    "Medewerkers aan het loket vragen een vorming om eenvoudig Nederlands te spreken.",
    "Nieuwkomers oefenen hun Nederlands aan de praattafels in de bibliotheek.",
    "Zonder tolk is een gesprek over schulden onbegonnen werk.",
    "De principes van klare taal zijn nog niet in alle diensten gekend.",
    "Ouders die de taal niet spreken, begrijpen de formulieren niet.",
    "Het taalbeleid van de stad zegt dat we alleen Nederlands spreken aan het loket.",
]
ONDERWIJS = [
    "Sommige scholen in de stad verkleuren sterk, andere helemaal niet.",
    "Leerkrachten voelen zich niet voorbereid op een klas met twintig nationaliteiten.",
    "De ongekwalificeerde uitstroom in het secundair onderwijs blijft hoog.",
    "Kinderen komen zonder ontbijt of boterhammen naar school.",
    "De brugfiguur van de basisschool legt het contact met de ouders.",
    "Het lerarenkorps is weinig divers; leerlingen zien zelden een leerkracht met een migratieachtergrond.",
    "In het secundair onderwijs is er minder zorg voor leerlingen dan in de lagere school.",
    "Het CLB en de school werken samen rond spijbelen.",
    "Scholen vragen hoe ze met de hoofddoek van leerlingen moeten omgaan.",
    "Huiswerkbegeleiding na de schooluren helpt kinderen die thuis geen hulp krijgen.",
    "De inschrijvingen in het kleuteronderwijs lopen vast op het aanmeldsysteem.",
    "Leerlingen met een taalachterstand blijven die meeslepen tot in het middelbaar.",
]
GOLD = [0] * len(WONEN) + [1] * len(TAAL) + [2] * len(ONDERWIJS)


@pytest.fixture(scope="module")
def parsed():
    text = "\n\n".join(f"Deelnemer: {s}" for s in WONEN + TAAL + ONDERWIJS) + "\n"
    docs = pd.DataFrame([{"doc_id": "d", "text": text, "blocks": [], "page_starts": []}])
    segments = segment(docs, SegmentConfig())
    sentences, tokens = parse(segments, NlpConfig())
    terms, display = terms_from_tokens(tokens)
    ids = list(segments["segment_id"])
    return ids, [terms[i] for i in ids], display, sentences, terms, segments


def test_phrases_and_display_forms(parsed):
    ids, term_lists, display, *_ = parsed
    all_terms = {t for ts in term_lists for t in ts}
    assert "sociaal woning" in all_terms and display["sociaal woning"] == "sociale woningen"
    assert "klaar taal" in all_terms and display["klaar taal"] == "klare taal"


def test_three_themes_recovered_with_embeddings(parsed):
    ids, term_lists, _, sentences, *_ = parsed
    vectors = embed_segments(sentences, ids, EmbedConfig())
    model = ThemeModel(n_themes=3, outlier_quantile=0.0, random_state=1).fit(term_lists, vectors)
    found = model.assign(ids, term_lists, vectors)
    labels = found["theme_id"].tolist()
    assert adjusted_rand_score(GOLD, labels) >= 0.5  # baseline; chance is 0


def test_lexical_only_mode_still_separates_themes(parsed):
    ids, term_lists, *_ = parsed
    model = ThemeModel(n_themes=3, lexical_weight=1.0, outlier_quantile=0.0, random_state=1).fit(term_lists)
    labels = model.assign(ids, term_lists)["theme_id"].tolist()
    assert adjusted_rand_score(GOLD, labels) >= 0.25  # chance is 0; measured 0.39 for every seed 0-7


def test_knn_graph_ignores_last_bit_noise_on_tied_similarities(parsed):
    # Short lexical segments tie exactly (often at 0); noise at the 1e-13 level, as a different
    # BLAS or SVD run gives, must not change which neighbours are kept.
    ids, term_lists, *_ = parsed
    model = ThemeModel(n_themes=3, lexical_weight=1.0, outlier_quantile=0.0).fit(term_lists)
    features = model._features(term_lists, None)
    noisy = features + np.random.default_rng(0).normal(scale=1e-13, size=features.shape)
    a, b = _knn_graph(features, 6), _knn_graph(noisy, 6)
    assert (a != b).nnz == 0
    assert a.shape == (len(ids), len(ids)) and (a != a.T).nnz == 0 and a.diagonal().sum() == 0


def test_same_seed_same_result_and_fitted_state(parsed):
    ids, term_lists, _, sentences, *_ = parsed
    vectors = embed_segments(sentences, ids, EmbedConfig())
    a = ThemeModel(random_state=5, k_min=2, k_max=6).fit(term_lists, vectors)
    b = ThemeModel(random_state=5, k_min=2, k_max=6).fit(term_lists, vectors)
    assert a.n_themes_ == b.n_themes_ and set(a.k_scores_) == set(range(2, 7))
    # modularity over k = 2..6 finds the three planted themes
    assert a.n_themes_ == 3 and max(a.k_scores_, key=a.k_scores_.get) == 3
    np.testing.assert_allclose(a.centers_, b.centers_, atol=1e-9)  # BLAS sums may differ in the last bit
    pd.testing.assert_frame_equal(a.assign(ids, term_lists, vectors), b.assign(ids, term_lists, vectors))
    # no random restarts: another seed gives the same themes
    c = ThemeModel(random_state=99, k_min=2, k_max=6).fit(term_lists, vectors)
    pd.testing.assert_frame_equal(a.assign(ids, term_lists, vectors), c.assign(ids, term_lists, vectors))
    assert ThemeModel().get_params()["random_state"] == 13  # params stored, nothing learned in __init__
    assert not hasattr(ThemeModel(), "centers_")


def test_from_config_transform_and_predict_agree_with_assign(parsed):
    ids, term_lists, _, sentences, *_ = parsed
    vectors = embed_segments(sentences, ids, EmbedConfig())
    cfg = ThemeConfig(k_min=2, k_max=6, outlier_quantile=0.2)
    model = ThemeModel.from_config(cfg, random_state=5)
    assert model.get_params()["k_max"] == 6 and model.get_params()["random_state"] == 5
    assert model.fit(term_lists, vectors) is model
    found = model.assign(ids, term_lists, vectors)
    scores = model.transform(term_lists, vectors)
    assert scores.shape == (len(ids), model.n_themes_)
    np.testing.assert_array_equal(np.round(scores.max(axis=1), 4), found["theme_score"].to_numpy())
    predicted = model.predict(term_lists, vectors)
    assert list(predicted) == list(found["theme_id"])
    assert "" in set(predicted)  # below the outlier threshold: unassigned, as in assign


def test_outliers_are_explicitly_unassigned_and_labels_are_dutch_terms(parsed):
    ids, term_lists, display, sentences, terms, segments = parsed
    vectors = embed_segments(sentences, ids, EmbedConfig())
    model = ThemeModel(n_themes=3, outlier_quantile=0.2, random_state=1).fit(term_lists, vectors)
    found = model.assign(ids, term_lists, vectors)
    share = (found["theme_id"] == "").mean()
    assert 0.1 <= share <= 0.3
    cases = pd.Series("Gent", index=ids)
    themes = model.describe(found, terms, display, cases)
    words = " ".join(themes["top_terms"])
    assert "woning" in words or "sociale woningen" in words
    assert "school" in words or "scholen" in words
    for label in themes["label"]:
        assert not {"de", "het", "niet", "men", "geven"} & set(label.replace(" · ", " ").split())


def test_too_few_segments_is_a_clear_error():
    with pytest.raises(ValueError, match="too few segments"):
        ThemeModel().fit([["taal"], ["woning"]])


def test_guided_mode_keeps_codebook_themes_and_finds_new_ones(parsed, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "themes:\n"
        "  - theme: Wonen\n    description: Sociale huisvesting en de private huurmarkt.\n"
        "    seeds: [woning, huur, sociale woning, huurmarkt, verhuurder]\n"
        "  - theme: Taal\n    description: Nederlands leren, tolken en klare taal aan het loket.\n"
        "    seeds: [taal, nederlands, tolk, klare taal, loket]\n", encoding="utf-8")
    ids, term_lists, display, sentences, terms, segments = parsed
    term_lists = [with_compound_parts(t) for t in term_lists]
    vectors = embed_segments(sentences, ids, EmbedConfig())
    seeds = codebook_seeds(load_codebook(path), NlpConfig(), EmbedConfig())
    model = ThemeModel(k_min=1, k_max=3, outlier_quantile=0.0, seed_share=0.67).fit(term_lists, vectors, seeds=seeds)
    assert model.origins_[:2] == ["codebook", "codebook"] and "nieuw" in model.origins_
    found = model.assign(ids, term_lists, vectors)
    themes = model.describe(found, terms, display, pd.Series("Gent", index=ids))
    assert list(themes["label"][:2]) == ["Wonen", "Taal"]
    by_gold = pd.Series(found["theme_id"].to_numpy()).groupby(pd.Series(GOLD)).agg(lambda s: s.value_counts().index[0])
    assert by_gold[0] == "T01" and by_gold[1] == "T02"  # wonen and taal statements go to their codebook themes
    assert model.origins_[model.theme_ids_.index(by_gold[2])] == "nieuw"  # onderwijs forms a new theme


def test_a_name_is_listed_once_when_two_lemmas_share_it(parsed):
    """"brugfiguur" and "brugfiguren" both shown as "brugfiguren" came out twice (issue #13)."""
    ids, term_lists, display, sentences, terms, segments = parsed
    model = ThemeModel(n_themes=3, random_state=1).fit(term_lists)
    found = model.assign(ids, term_lists)
    cases = pd.Series("Gent", index=ids)
    first = model.describe(found, terms, display, cases)
    top = first["top_terms"].iloc[0].split("; ")
    reverse = {v: k for k, v in display.items()}
    a, b = (reverse.get(t, t) for t in top[:2])
    shared = {**display, a: top[0], b: top[0]}  # the first two terms now read the same
    again = model.describe(found, terms, shared, cases)
    names = again["top_terms"].iloc[0].split("; ")
    assert names.count(top[0]) == 1 and len(names) == len(set(names))
    for row in again.itertuples():
        assert len(set(row.top_terms.split("; "))) == len(row.top_terms.split("; "))


def test_a_fine_grained_request_is_cut_from_a_tree_and_nests_in_the_broad_themes(parsed):
    # 12 themes of 36 statements average 3 segments, fewer than the kNN graph's 6 neighbours: the
    # graph cannot hold them apart, so they come from a tree on the same features (average linkage
    # of the locally scaled cosine; Ward's on request)
    ids, term_lists, _, sentences, *_ = parsed
    vectors = embed_segments(sentences, ids, EmbedConfig())
    fine = ThemeModel(n_themes=12).fit(term_lists, vectors)
    assert fine.method_ == "csls" and fine.n_themes_ == 12
    assert ThemeModel(n_themes=12, tree_linkage="ward").fit(term_lists, vectors).method_ == "ward"
    assert ThemeModel(n_themes=12, tree_linkage="average").fit(term_lists, vectors).method_ == "average"
    labels = fine.predict(term_lists, vectors)
    again = ThemeModel(n_themes=12, random_state=99).fit(term_lists, vectors).predict(term_lists, vectors)
    assert (labels == again).all()  # a tree has no random start
    # each fine theme lies (mostly) inside one of the three broad themes
    table = pd.crosstab(labels, np.array(GOLD))
    purity = table.max(axis=1).sum() / len(labels)
    assert purity >= 0.8, table
    assert ThemeModel(n_themes=3).fit(term_lists, vectors).method_ == "spectral"


def test_a_corpus_too_large_for_the_matrix_of_all_pairs_gets_wards_tree_in_linear_memory(parsed, monkeypatch):
    import fastcluster
    from scipy.cluster.hierarchy import fcluster

    from pipeline.analysis.themes import _model

    ids, term_lists, _, sentences, *_ = parsed
    vectors = embed_segments(sentences, ids, EmbedConfig())
    features = ThemeModel(n_themes=12).fit(term_lists, vectors)._features(term_lists, vectors)
    assert _model._tree(features, 12, "average")[1] == "average"
    monkeypatch.setattr(_model, "TREE_PAIRS_MB", 0)  # as for a corpus too large for the matrix
    labels, method = _model._tree(features, 12, "average")
    # the vector version builds the same Ward tree as the one from the matrix of all pairs
    with_matrix = fcluster(fastcluster.linkage(features, method="ward"), t=12, criterion="maxclust")
    assert method == "ward" and len(set(labels)) == 12 and adjusted_rand_score(with_matrix, labels) == 1.0


def _planted_corpus(n_groups: int, per_group: int, seed: int = 0) -> list[list[str]]:
    """Segments of n_groups subjects: four words of their subject's ten, three of thirty shared words."""
    rng = np.random.RandomState(seed)
    shared = [f"algemeen{i}" for i in range(30)]
    return [list(rng.choice([f"onderwerp{g}woord{j}" for j in range(10)], 4, replace=False))
            + list(rng.choice(shared, 3, replace=False)) for g in range(n_groups) for _ in range(per_group)]


def test_automatic_k_finds_the_planted_number_and_holds_on_subsamples():
    # 12 subjects of 10 segments: the search runs over k = 2..22, enough candidates for the
    # smoothed criterion (few candidates fall back to the plain modularity, tested above)
    terms = _planted_corpus(12, 10)
    model = ThemeModel(lexical_weight=1.0).fit(terms)
    assert set(model.k_criterion_) == set(model.k_scores_) and model.k_tolerance_ > 0
    # the criterion takes the finest k within the noise of the best: never coarser than the
    # planted number, and the planted number is among the best k an analyst is shown
    assert 12 <= model.n_themes_ <= 16 and model.k_best_[0] == model.n_themes_ and 12 in model.k_best_
    for seed in range(3):  # 90 % of the segments: the same k within 20 %
        keep = np.random.RandomState(seed).choice(len(terms), int(0.9 * len(terms)), replace=False)
        sub = ThemeModel(lexical_weight=1.0).fit([terms[i] for i in sorted(keep)])
        assert abs(sub.n_themes_ - model.n_themes_) <= 0.2 * model.n_themes_


def test_a_flat_modularity_curve_gives_the_finest_k_within_its_noise():
    from pipeline.analysis.themes._model import _best_ks, _choose_k

    # a rise to a plateau (k 8..20) that jitters by 0.01, then a fall: the coarse end of the
    # plateau holds the single highest score, but every k up to 20 is as good within the noise
    jitter = [0.0, 0.01, -0.01, 0.005, -0.005]
    scores = {k: (0.1 + 0.03 * k if k < 8 else 0.33 if k <= 20 else 0.33 - 0.03 * (k - 20)) + jitter[k % 5]
              for k in range(2, 31)}
    k, criterion, tolerance = _choose_k(scores)
    assert max(scores, key=scores.get) < 12 and 18 <= k <= 22 and tolerance > 0
    assert _best_ks(criterion, k)[0] == k and len(_best_ks(criterion, k)) <= 3
    # a clear peak: the peak
    peak = {k: 0.5 - 0.02 * abs(k - 12) for k in range(2, 31)}
    assert _choose_k(peak)[0] in (12, 13, 14)
    # few candidates (a small corpus): the plain modularity, ties to fewer themes
    assert _choose_k({2: 0.2, 3: 0.3, 4: 0.3, 5: 0.1})[0] == 3


def test_modularity_of_two_triangles_joined_by_one_edge():
    """Newman's worked example: two triangles and one bridge (m = 7 edges); split at the bridge
    Q = 2 (3/7 - (7/14)^2) = 6/7 - 1/2, everything in one group Q = 0."""
    from scipy import sparse

    from pipeline.analysis.themes._model import _modularity

    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]
    rows, cols = zip(*(edges + [(b, a) for a, b in edges]))
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(6, 6))
    assert abs(_modularity(graph, np.array([5, 5, 5, 9, 9, 9])) - (6 / 7 - 0.5)) < 1e-12
    assert abs(_modularity(graph, np.zeros(6, dtype=int))) < 1e-12


def test_a_segment_without_features_does_not_break_the_tree(parsed):
    # a segment whose terms are all outside the vocabulary and without a vector has all-zero
    # features: its cosine is undefined, and the tree must still be cut (it failed with NaN)
    from pipeline.analysis.themes import _model

    ids, term_lists, *_ = parsed
    features = ThemeModel(n_themes=12).fit(term_lists)._features(term_lists, None)
    features[0] = 0.0
    for linkage in ("csls", "average", "ward"):
        labels, method = _model._tree(features, 12, linkage)
        assert method == linkage and len(set(labels)) == 12
