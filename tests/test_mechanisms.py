"""Mechanisms: claims with Dutch connectives, candidate statements, recurring groups across cities."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis import tag_functions
from pipeline.analysis.mechanisms import (MechanismFinder, candidate_statements, extract_claims, find_recurring,
                                          level_of, load_mechanism_codebook, run_mechanisms, segment_mechanisms)
from pipeline.config import PROJECT_ROOT, MechanismConfig, NlpConfig
from pipeline.errors import InputError
from pipeline.language import parse
from pipeline.schema import segments_from_rows


_segments_table = segments_from_rows


def _corpus(turns: list[tuple[str, str, str, str]]):
    """(case, session, speaker, text) per turn -> segments (with case/session/theme) and the parse."""
    rows = []
    for i, (case, session, speaker, text) in enumerate(turns):
        rows.append({"segment_id": f"{case.lower()}.txt:{i:04d}", "doc_id": f"{case.lower()}.txt", "index": i,
                     "kind": "turn", "speaker": speaker, "is_facilitator": speaker == "Facilitator", "prompt": "",
                     "start_char": 0, "end_char": len(text), "page": 0, "location": "", "text": text,
                     "analysed": speaker != "Facilitator", "excluded_reason": ""})
    segments = _segments_table(rows)
    sentences, tokens = parse(segments, NlpConfig())
    segments = segments.assign(case=[t[0] for t in turns], session=[t[1] for t in turns], role="",
                               source_file=[f"{t[0].lower()}.txt" for t in turns],
                               theme_id=[f"T0{i % 3 + 1}" for i in range(len(turns))])
    return segments, sentences, tokens


def _sentence_vectors(sentences, statements) -> np.ndarray:
    """Each statement's sentence vector (USE), in the statements' order."""
    from pipeline.config import EmbedConfig
    from pipeline.language import embed_sentences

    ordered = sentences.reset_index(drop=True)
    rows = ordered.set_index(["segment_id", "sent"]).index.get_indexer(
        list(zip(statements["segment_id"], statements["sent"])))
    return embed_sentences(ordered, EmbedConfig())[rows]


def _answers(texts_by_case: list[tuple[str, str]]):
    """Written answers, one per (case, text): segments, sentences, tokens and candidate statements."""
    segments, sentences, tokens = _corpus([(case, "schriftelijke antwoorden", "", text) for case, text in texts_by_case])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    return segments, sentences, tokens, statements.reset_index(drop=True)


def _claims(text: str) -> pd.DataFrame:
    segments, sentences, tokens = _corpus([("Gent", "gesprekstafel 1", "Buurtwerker", text)])
    return extract_claims(sentences, tokens)


# ------------------------------------------------------------------------------ claims

def test_omdat_puts_the_cause_after_the_connective():
    claims = _claims("Veel mensen haken af omdat de procedures bij het OCMW te ingewikkeld zijn.")
    row = claims[claims["connective"] == "omdat"].iloc[0]
    assert row["kind"] == "cause_effect"
    assert "procedures bij het OCMW te ingewikkeld" in row["cause"]
    assert "haken af" in row["effect"] and "omdat" not in row["effect"]
    assert row["evidence"].startswith("Veel mensen haken af")


def test_sentence_initial_omdat_splits_at_the_comma():
    claims = _claims("Omdat de subsidie in juni afloopt, stopt het buurtproject na de zomer.")
    row = claims[claims["connective"] == "omdat"].iloc[0]
    assert row["cause"] == "de subsidie in juni afloopt"
    assert row["effect"] == "stopt het buurtproject na de zomer"


def test_waardoor_puts_the_effect_after_the_connective():
    claims = _claims("De wachtlijsten voor schuldbemiddeling zijn maanden lang, waardoor gezinnen dieper in de schulden raken.")
    row = claims[claims["connective"] == "waardoor"].iloc[0]
    assert "wachtlijsten voor schuldbemiddeling" in row["cause"]
    assert row["effect"].startswith("gezinnen dieper in de schulden")


def test_leidt_tot_and_zorgt_voor_are_causal_verbs():
    claims = _claims("Het gebrek aan tolken leidt tot misverstanden aan het loket.")
    assert {"leidt tot"} <= set(claims["connective"])
    row = claims[claims["connective"] == "leidt tot"].iloc[0]
    assert row["cause"] == "Het gebrek aan tolken" and row["effect"] == "misverstanden aan het loket"


def test_staat_in_de_weg_gives_obstacle_and_blocked_goal():
    claims = _claims("Het strikte selectiereglement staat maatwerk bij de aanwerving in de weg.")
    row = claims[claims["kind"] == "obstacle_goal"].iloc[0]
    assert row["cause"] == "Het strikte selectiereglement"
    assert row["effect"] == "maatwerk bij de aanwerving"


def test_belemmert_and_laat_niet_toe():
    claims = _claims("Het dossierprogramma laat niet toe dat we een dossier openen zonder officieel adres.")
    row = claims[claims["kind"] == "obstacle_goal"].iloc[0]
    assert row["cause"] == "Het dossierprogramma"
    assert "een dossier openen" in row["effect"]


def test_daardoor_links_to_the_previous_sentence():
    claims = _claims("Er zijn veel te weinig sociale tolken. Daardoor duren de gesprekken dubbel zo lang.")
    row = claims[claims["connective"] == "daardoor"].iloc[0]
    assert row["cause"] == "Er zijn veel te weinig sociale tolken."
    assert row["effect"] == "duren de gesprekken dubbel zo lang"
    assert row["evidence"] == "Daardoor duren de gesprekken dubbel zo lang."


def test_door_keeps_its_noun_phrase_as_cause():
    claims = _claims("Gezinnen kloppen pas laat aan door de schaamte rond schulden.")
    row = claims[claims["connective"].str.startswith("door")].iloc[0]
    assert row["cause"] == "de schaamte rond schulden"
    assert row["effect"] == "Gezinnen kloppen pas laat aan"


def test_a_plain_sentence_holds_no_claim():
    assert _claims("De vergadering begon om negen uur in de raadzaal van het stadhuis.").empty


# ------------------------------------------------------------------------------ helpers

def test_level_of_speaker_session_and_role():
    assert level_of("Algemeen directeur", "", "gesprekstafel 1") == "management"
    assert level_of("Brugfiguur basisschool", "", "metagesprek") == "frontlijn"
    assert level_of("", "algemeen directeur; managementteam", "metagesprek") == "management"
    assert level_of("Nadia", "maatschappelijk werkers; CAW", "gesprekstafel 1") == "frontlijn"


REPORT_CODEBOOK = PROJECT_ROOT / "codebooks" / "stadsgenoten_2019_mechanismen.yaml"


def test_family_needs_a_relation_not_a_single_concept():
    codebook = load_mechanism_codebook(REPORT_CODEBOOK)
    assert codebook.family_of("taal") == ""
    assert codebook.family_of("taal;toegang") == "taal_drempel"
    assert codebook.family_of("regels;blokkeren") == "systemen_blokkeren"
    assert codebook.family_of({"project", "geld", "tijdelijk"}) == "projecten_tijdelijk"
    assert {f.id for f in codebook.families} >= {"projecten_tijdelijk", "signalen_verloren", "systemen_blokkeren"}
    assert codebook.concept_hits("het tolkenbudget is op".split(), "het tolkenbudget zijn op".split()) == ["geld", "taal"]


def test_a_broken_mechanism_codebook_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(InputError, match="mechanismecodeboek niet gevonden"):
        load_mechanism_codebook(tmp_path / "nergens.yaml")
    bad = tmp_path / "mechanismen.yaml"
    bad.write_text("concepts:\n  taal: {cues: [taal]}\nmechanisms:\n  - {id: m1, label: Taal is een drempel, "
                   "core: [taal], partners: [drempel]}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"onbekend: \[.drempel.\]"):
        load_mechanism_codebook(bad)


# ------------------------------------------------------------------------------ recurring

PROJECTS = [
    ("Aalst", "gesprekstafel 1: Onderwijs", "Zorgcoördinator",
     "Het huiswerkproject draaide op een subsidie die na twee jaar afliep, en er is structureel niets van overgebleven."),
    ("Brugge", "metagesprek", "Algemeen directeur",
     "Onze pilootprojecten met Europese middelen stoppen telkens na de looptijd, zonder dat ze in de gewone werking verankerd worden."),
    ("Genk", "gesprekstafel 2: Samenleven", "Buurtwerker",
     "Elk wijkproject stopt zodra de projectsubsidie afloopt, en dan begint men drie jaar later opnieuw."),
    ("Leuven", "schriftelijke antwoorden", "",
     "Het project rond energiecoaches is tijdelijk gefinancierd en de middelen lopen eind dit jaar af."),
]
NOISE = [
    ("Aalst", "gesprekstafel 1: Onderwijs", "Leerkracht", "De refter is te klein voor alle kinderen van de lagere school."),
    ("Brugge", "metagesprek", "Diensthoofd", "We zitten volgende week samen met de politie over de parkeerplaatsen."),
    ("Genk", "gesprekstafel 2: Samenleven", "Wijkagent", "Ik ken de meeste families in de tuinwijk bij naam."),
    ("Leuven", "schriftelijke antwoorden", "", "Het stadhuis is gerenoveerd en sinds maart opnieuw open voor het publiek."),
    ("Mechelen", "gesprekstafel 1: Taal", "Loketmedewerker", "Op maandagochtend is het altijd heel druk aan het loket."),
    ("Mechelen", "gesprekstafel 1: Taal", "Facilitator",
     "Het buurtproject stopte toen de subsidie afliep en de middelen op waren; herkennen jullie dat?"),
]


# These tests group without sentence vectors (as with embed.backend none): lemma overlap alone
# gives lower similarities than sentence + lemma features, so the tree is cut a little higher.
LEXICAL = {"min_cases": 3, "distance_threshold": 0.75}


@pytest.fixture(scope="module")
def recurring():
    segments, sentences, tokens = _corpus(PROJECTS + NOISE)
    functions = tag_functions(sentences, tokens)
    claims = extract_claims(sentences, tokens)
    statements = candidate_statements(sentences, tokens, functions, claims, segments, MechanismConfig())
    return segments, sentences, tokens, functions, claims, statements


def test_the_planted_mechanism_is_found_across_cities(recurring):
    segments, *_, statements = recurring
    mech, evidence = find_recurring(statements, segments, MechanismConfig(**LEXICAL), vectors=None)
    assert len(mech) >= 1
    project_segments = {f"{c.lower()}.txt:{i:04d}" for i, (c, *_rest) in enumerate(PROJECTS)}
    best = max(mech["mechanism_id"], key=lambda m: len(
        set(evidence.loc[evidence["mechanism_id"] == m, "segment_id"]) & project_segments))
    row = mech.set_index("mechanism_id").loc[best]
    held = set(evidence.loc[evidence["mechanism_id"] == best, "segment_id"])
    assert len(held & project_segments) >= 3
    assert row["n_cases"] >= 3 and row["n_cases"] == len(row["cases"].split("; "))
    assert row["spread"] == pytest.approx(row["n_cases"] / segments["case"].nunique(), abs=1e-3)
    assert row["label"]


def test_facilitator_turns_never_become_evidence(recurring):
    segments, sentences, tokens, functions, claims, statements = recurring
    facilitator = set(segments.loc[segments["is_facilitator"], "segment_id"])
    assert not facilitator & set(statements["segment_id"])


def test_evidence_is_the_candidate_sentences_with_one_quote_per_city(recurring):
    segments, *_, statements = recurring
    mech, evidence = find_recurring(statements, segments, MechanismConfig(**LEXICAL), vectors=None)
    texts = set(statements["text"])
    assert set(evidence["text"]) <= texts
    for mid, group in evidence.groupby("mechanism_id"):
        quotes = group[group["city_quote"]]
        assert sorted(quotes["case"]) == sorted(set(group["case"]))


def test_min_cases_is_respected(recurring):
    segments, *_, statements = recurring
    mech, _ = find_recurring(statements, segments, MechanismConfig(min_cases=5), vectors=None)
    assert mech.empty or (mech["n_cases"] >= 5).all()
    mech3, _ = find_recurring(statements, segments, MechanismConfig(**LEXICAL), vectors=None)
    assert (mech3["n_cases"] >= 3).all()


def test_inductive_grouping_without_the_codebook():
    turns = [
        ("Gent", "gesprekstafel 2: Taal", "Medewerker sociale dienst",
         "Het tolkenbudget van de sociale dienst is elk jaar in oktober op, waardoor we met familieleden moeten tolken."),
        ("Mechelen", "metagesprek", "Directeur dienstverlening",
         "De tolkenbudgetten van de sociale dienst zijn elk jaar in oktober op, waardoor collega's met kinderen moeten tolken."),
        ("Oostende", "gesprekstafel 2: Taal", "Maatschappelijk werker",
         "Ons tolkenbudget is al in oktober op, waardoor familieleden moeten tolken bij gevoelige gesprekken."),
        ("Gent", "gesprekstafel 2: Taal", "Bibliothecaris", "De bib is op zondag gesloten en dat vinden veel mensen jammer."),
        ("Kortrijk", "gesprekstafel 1: Wonen", "Woonconsulent", "Omdat het regent, komen er minder mensen naar de markt."),
    ]
    segments, sentences, tokens = _corpus(turns)
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    cfg = MechanismConfig(**LEXICAL)
    mech, evidence = find_recurring(statements, segments, cfg, vectors=None)
    assert len(mech) == 1
    assert mech.iloc[0]["source"] == "inductief"
    assert set(evidence["case"]) == {"Gent", "Mechelen", "Oostende"}
    assert "tolkenbudget" in mech.iloc[0]["key_terms"]


def test_segments_get_their_mechanism_ids(recurring):
    segments, *_, statements = recurring
    mech, evidence = find_recurring(statements, segments, MechanismConfig(**LEXICAL), vectors=None)
    column = segment_mechanisms(segments, evidence)
    assert len(column) == len(segments)
    with_ids = set(segments.loc[column != "", "segment_id"])
    assert with_ids == set(evidence["segment_id"])


def test_mechanism_finder_is_an_estimator_with_fitted_tables(recurring):
    segments, *_, statements = recurring
    cfg = MechanismConfig(**LEXICAL)
    finder = MechanismFinder(cfg)
    assert finder.get_params() == {"cfg": cfg, "codebook": None, "embed": None} and not hasattr(finder, "mechanisms_")  # nothing learned yet
    assert finder.fit(statements, all_cases=sorted(set(segments["case"]))) is finder
    mech, evidence = find_recurring(statements, segments, cfg, vectors=None)
    pd.testing.assert_frame_equal(finder.mechanisms_, mech)
    pd.testing.assert_frame_equal(finder.evidence_, evidence)
    assert len(finder.groups_) == len(mech) >= 1
    for group, (_, row) in zip(finder.groups_, mech.iterrows()):
        assert len(group.case_counts) == row["n_cases"] and len(group.rows) == row["n_statements"]
        assert round(group.cohesion, 4) == row["cohesion"] and group.source == row["source"]


def test_deterministic(recurring):
    segments, *_, statements = recurring
    a = find_recurring(statements, segments, MechanismConfig(**LEXICAL), vectors=None)
    b = find_recurring(statements.copy(), segments.copy(), MechanismConfig(**LEXICAL), vectors=None)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_too_few_statements_give_empty_tables_with_columns():
    segments, sentences, tokens = _corpus(NOISE[:2])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    mech, evidence = find_recurring(statements, segments, MechanismConfig(), vectors=None)
    assert mech.empty and evidence.empty
    assert {"mechanism_id", "label", "n_cases", "cases", "themes", "n_segments", "example_segment_ids"} <= set(mech)
    assert {"mechanism_id", "segment_id", "case", "text", "function"} <= set(evidence)


def test_run_mechanisms_gives_the_segment_columns_for_segments_csv(recurring):
    segments, sentences, tokens, *_ = recurring
    result = run_mechanisms(segments, sentences, tokens, None, MechanismConfig(**LEXICAL))
    assert len(result.segment_function) == len(segments) == len(result.segment_mechanism_ids)
    facilitator = segments["is_facilitator"].to_numpy()
    assert (result.segment_function[facilitator] == "").all()  # facilitator turns are not parsed
    assert set(result.segment_function[~facilitator]) <= {"statement", "barrier", "concern", "need", "tension",
                                                          "wish", "practice", "appreciation", "question"}
    assert set(result.evidence["mechanism_id"]) == set(result.mechanisms["mechanism_id"])


def test_block_similarities_equal_the_stacked_feature_vectors(recurring):
    # the grouping never builds the dense stacked matrix; its similarities must be those of it
    import numpy as np
    from scipy import sparse

    from pipeline.analysis.mechanisms._grouping import _Blocks

    *_, statements = recurring
    vectors = np.random.default_rng(3).normal(size=(len(statements), 16))
    blocks = _Blocks(statements, vectors, MechanismConfig())
    stacked = np.hstack([np.sqrt(w) * (b.toarray() if sparse.issparse(b) else b)
                         for w, b in zip(blocks.weights, blocks.blocks)])
    norms = np.linalg.norm(stacked, axis=1, keepdims=True)
    unit = stacked / np.where(norms == 0, 1, norms)
    rows = np.arange(len(statements))
    np.testing.assert_allclose(blocks.similarity(rows, rows), unit @ unit.T, atol=1e-12)
    from scipy.spatial.distance import pdist
    np.testing.assert_allclose(blocks.condensed_distances(rows, chunk=3), pdist(unit, "cosine"), atol=1e-12)


def test_run_mechanisms_is_cached_and_a_changed_input_misses(recurring, tmp_path):
    from pipeline.cache import Cache

    segments, sentences, tokens, *_ = recurring
    cfg = MechanismConfig(**LEXICAL)
    first = run_mechanisms(segments, sentences, tokens, None, cfg, cache=Cache(tmp_path))
    again_cache = Cache(tmp_path)
    again = run_mechanisms(segments, sentences, tokens, None, cfg, cache=again_cache)
    assert again_cache.hits == 1 and again_cache.misses == 0
    pd.testing.assert_frame_equal(first.mechanisms, again.mechanisms)
    pd.testing.assert_frame_equal(first.evidence, again.evidence)
    # another theme for one segment, or another setting, is another result: no stale reuse
    moved = segments.assign(theme_id=segments["theme_id"].where(segments.index != 0, "T09"))
    changed_cache = Cache(tmp_path)
    run_mechanisms(moved, sentences, tokens, None, cfg, cache=changed_cache)
    run_mechanisms(segments, sentences, tokens, None, MechanismConfig(min_cases=4), cache=changed_cache)
    assert changed_cache.hits == 0 and changed_cache.misses == 2


def test_fragments_with_nearly_the_same_centre_are_joined():
    import numpy as np

    from pipeline.analysis.mechanisms._grouping import _Blocks, _merge_fragments

    rng = np.random.default_rng(0)
    topic, other = rng.normal(size=64), rng.normal(size=64)
    offset_a, offset_b = 0.6 * rng.normal(size=64), 0.6 * rng.normal(size=64)
    # two fragments of one concern (each with its own wording, the offset) and an unrelated group
    vectors = np.vstack([topic + offset_a + 0.9 * rng.normal(size=64) for _ in range(4)]
                        + [topic + offset_b + 0.9 * rng.normal(size=64) for _ in range(4)]
                        + [other + 0.9 * rng.normal(size=64) for _ in range(4)])
    statements = pd.DataFrame({"lemmas": [[]] * 12, "concepts": [""] * 12})
    blocks = _Blocks(statements, vectors, MechanismConfig(weight_lexical=0))
    cases = np.array(["Gent", "Genk", "Aalst", "Brugge"] * 3)
    a, b, c = np.arange(4), np.arange(4, 8), np.arange(8, 12)
    assert blocks.similarity(a, b).mean() < 0.5  # average linkage at distance 0.5 keeps them apart
    merged = _merge_fragments([a, b, c], blocks, cases, threshold=0.5)
    assert [list(g) for g in merged] == [list(range(8)), list(range(8, 12))]
    # a group from a single case is local talk, not a fragment of a recurring mechanism
    one_case = np.array(["Gent"] * 4 + ["Genk"] * 4 + ["Aalst"] * 4)
    assert [list(g) for g in _merge_fragments([a, b, c], blocks, one_case, threshold=0.5)] == [list(a), list(b), list(c)]
    # two loose groups around one centre: joining them would make a catch-all, so it is refused
    loose = np.vstack([topic + 1.5 * rng.normal(size=64) for _ in range(24)])
    statements = pd.DataFrame({"lemmas": [[]] * 24, "concepts": [""] * 24})
    blocks = _Blocks(statements, loose, MechanismConfig(weight_lexical=0))
    a, b = np.arange(12), np.arange(12, 24)
    gram = blocks.member_gram([a, b])
    assert gram[0, 1] / np.sqrt(gram[0, 0] * gram[1, 1]) > 0.5  # centres close enough to join...
    assert gram.sum() / 24 ** 2 < 0.5  # ...but the joined group would not be tight
    cases = np.array(["Gent", "Genk", "Aalst", "Brugge"] * 6)
    assert [list(g) for g in _merge_fragments([a, b], blocks, cases, threshold=0.5)] == [list(a), list(b)]


def test_tagging_in_two_processes_gives_the_same_tables():
    from pipeline.language import sentence_tokens
    from pipeline.analysis.mechanisms._stage import _annotate

    turns = PROJECTS + NOISE + [
        ("Gent", "gesprekstafel 2: Taal", "Maatschappelijk werker",
         "Het tolkenbudget is in oktober op, waardoor familieleden moeten tolken. Daardoor vallen gesprekken stil."),
        ("Kortrijk", "gesprekstafel 1: Wonen", "Woonconsulent",
         "Veel mensen haken af omdat de procedures bij het OCMW te ingewikkeld zijn."),
    ]
    segments, sentences, tokens = _corpus(turns)
    by_sentence = sentence_tokens(tokens)
    one = _annotate(sentences, tokens, by_sentence, n_process=1, min_sentences=0)
    two = _annotate(sentences, tokens, by_sentence, n_process=2, min_sentences=0)
    for a, b, reference in zip(one, two, (tag_functions(sentences, tokens), extract_claims(sentences, tokens))):
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, reference.reset_index(drop=True))
    assert len(two[1]) >= 3  # causal claims in both halves, "daardoor" looking back one sentence


# ------------------------------------------------------------------------------ codebook, labels, themes

def test_the_codebook_is_used_only_when_the_analyst_passes_it(recurring):
    segments, sentences, tokens, *_ = recurring
    found = run_mechanisms(segments, sentences, tokens, None, MechanismConfig(**LEXICAL))
    assert not (found.mechanisms["source"] == "codeboek").any()
    assert (found.statements["concepts"] == "").all()  # no concept lists without a codebook
    coded = run_mechanisms(segments, sentences, tokens, None,
                           MechanismConfig(**LEXICAL, codebook=str(REPORT_CODEBOOK)))
    row = coded.mechanisms[coded.mechanisms["source"] == "codeboek"].iloc[0]
    assert row["family"] == "projecten_tijdelijk"
    assert row["label"] == load_mechanism_codebook(REPORT_CODEBOOK).label_of("projecten_tijdelijk")


def test_a_codebook_concept_is_a_topic_and_groups_nothing_inductively():
    # four cities each say something else while naming the codebook's concept "taal" (Arabisch,
    # Frans, NT2, tolken) and share no other word; none relates it to a partner concept, so the
    # codebook codes none of them, and the inductive grouping must not join them on the concept
    # (an earlier version did, with cohesion 1.0)
    turns = [
        ("Gent", "gesprekstafel 1: Onderwijs", "Leerkracht",
         "Veel ouders praten thuis Arabisch en lezen de agenda van hun kind nooit."),
        ("Mechelen", "gesprekstafel 2: Wonen", "Woonconsulent",
         "Onze huurders spreken Frans, dus de verhuurder stuurt geen herstellers meer."),
        ("Oostende", "gesprekstafel 1: Werk", "Jobcoach",
         "De cursus NT2 begint pas in januari, want er zijn te weinig lesgevers."),
        ("Kortrijk", "gesprekstafel 2: Zorg", "Verpleegkundige",
         "De tolken van het ziekenhuis zijn niet beschikbaar na vijf uur door besparingen."),
    ]
    segments, sentences, tokens = _corpus(turns)
    cfg = MechanismConfig(**LEXICAL, codebook=str(REPORT_CODEBOOK))
    coded = run_mechanisms(segments, sentences, tokens, None, cfg)
    assert (coded.statements["concepts"].str.contains("taal")).sum() == 4  # the concept is there
    assert not (coded.mechanisms["source"] == "codeboek").any()
    assert coded.mechanisms.empty  # and groups nothing: a topic is not a mechanism
    plain = run_mechanisms(segments, sentences, tokens, None, MechanismConfig(**LEXICAL))
    assert plain.mechanisms.empty


def test_an_inductive_label_states_the_dynamic_in_the_speakers_words(recurring):
    segments, *_, statements = recurring
    mech, evidence = find_recurring(statements, segments, MechanismConfig(**LEXICAL), vectors=None)
    row = mech.iloc[0]
    texts = list(evidence.loc[evidence["mechanism_id"] == row["mechanism_id"], "text"])
    # the label is the opening of one of its own statements, not a list of terms
    assert " · " not in row["label"]
    assert any(t.startswith(row["label"].rstrip(" …")) for t in texts)
    assert len(row["label"].split()) <= 15


def test_a_point_back_opening_is_not_the_label():
    from pipeline.analysis.mechanisms._grouping import _self_contained, _statement_label

    texts = ["Dat zijn niet alleen nieuwkomers.", "Projecten blijven klein en tijdelijk, ook al werken ze goed."]
    assert _self_contained(texts) == texts[1]
    assert _statement_label("Al te vaak lijken systemen, protocollen, procedures en ook regelgeving in de weg te "
                            "zitten om iets te realiseren in de stad.") == \
        "Al te vaak lijken systemen, protocollen, procedures en ook regelgeving in de weg …"
    assert _statement_label("Taal blijft een grote drempel.") == "Taal blijft een grote drempel"


def test_a_label_never_stops_at_the_condition_that_opens_a_statement():
    from pipeline.analysis.mechanisms._grouping import _statement_label

    # the condition alone ("Wie geen Nederlands leert in de eerste jaren") states no dynamic
    label = _statement_label("Wie geen Nederlands leert in de eerste jaren, blijft later ook aan de kant staan "
                             "bij de school van de kinderen.")
    assert label.startswith("Wie geen Nederlands leert in de eerste jaren, blijft later ook aan de kant")
    assert _statement_label("Zolang de projectsubsidie van de Vlaamse overheid jaarlijks moet worden aangevraagd, "
                            "blijft elk project in de wijk tijdelijk en kwetsbaar.").endswith("tijdelijk en kwetsbaar")
    # a main clause first still gives its first clause
    assert _statement_label("De wachtlijsten voor een sociale woning in de centrumsteden lopen jaar na jaar op, "
                            "ook voor grote gezinnen met kinderen.") == \
        "De wachtlijsten voor een sociale woning in de centrumsteden lopen jaar na jaar op …"


def test_a_group_under_one_theme_only_is_not_a_mechanism(recurring):
    segments, *_, statements = recurring
    one_theme = statements.assign(theme_id="T01")
    mech, _ = find_recurring(one_theme, segments.assign(theme_id="T01"), MechanismConfig(**LEXICAL), vectors=None)
    assert mech.empty
    mech, _ = find_recurring(one_theme, segments.assign(theme_id="T01"), MechanismConfig(**LEXICAL, min_themes=1),
                             vectors=None)
    assert len(mech) >= 1


def test_plain_assertions_are_candidates_and_the_setting_is_checked():
    from pipeline.config import load_config
    from pipeline.errors import ConfigError

    segments, sentences, tokens = _corpus([("Gent", "metagesprek", "Directeur",
                                            "Projecten blijven klein en tijdelijk in de meeste wijken van de stad.")])
    args = (sentences, tokens, tag_functions(sentences, tokens), extract_claims(sentences, tokens), segments)
    assert len(candidate_statements(*args, MechanismConfig())) == 1
    assert candidate_statements(*args, MechanismConfig(candidates="problem")).empty
    with pytest.raises(ConfigError, match="candidates"):
        load_config(**{"mechanisms.candidates": "alles"})


def test_the_planted_mechanism_is_found_with_sentence_vectors_at_the_default_settings(recurring):
    segments, sentences, tokens, _, _, statements = recurring
    vectors = _sentence_vectors(sentences, statements)
    mech, evidence = find_recurring(statements, segments, MechanismConfig(), vectors=vectors)
    project_segments = {f"{c.lower()}.txt:{i:04d}" for i, (c, *_rest) in enumerate(PROJECTS)}
    held = [set(evidence.loc[evidence["mechanism_id"] == m, "segment_id"]) for m in mech["mechanism_id"]]
    assert any(len(h & project_segments) >= 3 and not h - project_segments for h in held)


def test_a_template_sentence_in_many_cases_is_not_a_mechanism():
    template = ("Gezien het louter documentaire karakter ervan wordt het niet in het bulletin opgenomen, "
                "maar ligt het ter inzage bij de griffie van de Kamer.")
    # a standard answer reworded: pronouns swapped, a noun swapped, glued to the next sentence
    variant = ("Gezien het louter documentaire karakter ervan worden zij niet in het Bulletin opgenomen, "
               "maar liggen zij ter inzage bij de griffie van de Kamer.")
    noun = ("Gezien het louter documentaire karakter van de bijlage wordt ze niet in het Bulletin opgenomen, "
            "maar ligt ze ter inzage bij de griffie van de Kamer.")
    glued = variant + "Het bestaan van dat register op zich is geen geheim"
    # one subject in three cities, said in their own long sentences: findings, not a template
    own = ["De wachtlijsten voor sociale woningen in onze stad worden elk jaar langer voor grote gezinnen.",
           "Gezinnen met kinderen wachten hier vaak vier jaar op een sociale woning, en de lijst groeit nog.",
           "Door de lange wachttijd bij de sociale huisvesting blijven kwetsbare gezinnen te lang in slechte huizen."]
    turns = [(case, "schriftelijke antwoorden", "", text) for case, text in
             (("Justitie", template), ("Defensie", variant), ("Financiën", noun), ("Pensioenen", glued),
              ("Gent", own[0]), ("Genk", own[1]), ("Aalst", own[2]))]
    segments, sentences, tokens = _corpus(turns + NOISE[:3])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    finder = MechanismFinder(MechanismConfig(**LEXICAL, min_themes=1)).fit(statements)
    assert finder.n_templates_ == 4
    assert not finder.statements_["text"].str.contains("documentaire").any()
    assert {"Gent", "Genk", "Aalst"} <= set(finder.statements_["case"])
    # the run counts them (run.json: counts.mechanism_templates)
    assert run_mechanisms(segments, sentences, tokens, None, MechanismConfig(**LEXICAL, min_themes=1)).n_templates == 4


def test_a_group_that_shares_only_one_noun_is_a_topic_not_a_mechanism():
    from pipeline.analysis.mechanisms._grouping import _one_noun

    def statements(texts):
        turns = [(case, "schriftelijke antwoorden", "", text) for case, text in zip(("Gent", "Genk", "Aalst"), texts)]
        segments, sentences, tokens = _corpus(turns)
        return candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                    extract_claims(sentences, tokens), segments, MechanismConfig())

    # a word in common, nothing said alike: a topic (a light verb with it, "nemen", is no claim)
    assert _one_noun(statements(["Er werden al verschillende maatregelen genomen voor de jongeren.",
                                 "De maatregelen worden om veiligheidsredenen niet verder toegelicht.",
                                 "Voor de scholen worden voorlopig geen maatregelen genomen."]))
    # something said about it: a claim
    assert not _one_noun(statements(["De cijfers voor vorig jaar zijn nog niet beschikbaar.",
                                     "De gevalideerde cijfers zijn op dit ogenblik niet beschikbaar.",
                                     "Pas tegen maart zullen de gevraagde cijfers beschikbaar zijn."]))
    assert not _one_noun(statements(["Taal blijft een grote drempel voor gezinnen.",
                                     "Voor nieuwkomers is de taal de eerste drempel.",
                                     "De taal vormt een drempel aan het loket."]))
    # paraphrases with no word in common are held together by the embedding: not judged here
    assert not _one_noun(statements(["Elk project stopt zodra de subsidie op is.",
                                     "Na drie jaar verdwijnt de werking weer met het geld.",
                                     "Wat tijdelijk gefinancierd wordt, raakt nooit verankerd."]))


def test_above_the_memory_budget_only_problem_then_relational_statements_are_grouped(recurring):
    from pipeline.analysis.mechanisms._stage import _within_budget

    *_, statements = recurring
    assert _within_budget(statements, len(statements)).equals(statements.reset_index(drop=True))
    problems = _within_budget(statements, len(statements) - 1)
    assert problems["problem"].all() and len(problems) == statements["problem"].sum()
    relational = _within_budget(statements, 0)
    assert relational["problem"].all() and relational["relational"].all()


def test_a_short_finding_said_alike_in_several_cities_is_not_a_template():
    said = ["Taal blijft een grote drempel voor veel gezinnen in de stad.",
            "Voor veel gezinnen in de stad blijft taal een grote drempel.",
            "Taal blijft voor veel gezinnen in onze stad een grote drempel."]
    turns = [(case, session, "", text) for (case, session), text in
             zip((("Gent", "gesprekstafel 1: Taal"), ("Genk", "gesprekstafel 2: Wonen"), ("Aalst", "metagesprek")), said)]
    segments, sentences, tokens = _corpus(turns + NOISE[:3])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    finder = MechanismFinder(MechanismConfig(**LEXICAL)).fit(statements)
    assert finder.n_templates_ == 0
    assert set(finder.evidence_["case"]) == {"Gent", "Genk", "Aalst"}


# one question put to every ministry, answered alike: the claim recurs because the question does
SAME_QUESTION = [
    ("Justitie", "In de tweede helft van 2016 liep er geen enkele rechtszaak voor het Europees Hof van Justitie "
                 "waarin de Belgische Staat partij was. Mijn administratie moest het standpunt van de Belgische Staat "
                 "dus niet verdedigen. Er werd in die periode ook geen prejudiciële vraag aan het Hof gesteld."),
    ("Defensie", "Tijdens de tweede helft van 2016 was er geen rechtszaak voor het Europees Hof van Justitie "
                 "waarbij de Belgische Staat betrokken was. Mijn administratie heeft het standpunt van de Staat "
                 "bijgevolg niet moeten verdedigen. Een prejudiciële vraag aan het Hof werd evenmin gesteld."),
    ("Financiën", "Voor de tweede helft van 2016 is er geen enkele zaak voor het Europees Hof van Justitie "
                  "waarin de Belgische Staat partij was. Mijn administratie moest geen standpunt van de "
                  "Belgische Staat verdedigen. Ook een prejudiciële vraag aan het Hof was er niet."),
    ("Pensioenen", "In de loop van de tweede helft van 2016 gaf geen enkele rechtszaak voor het Europees Hof van "
                   "Justitie aanleiding tot een standpunt. Mijn administratie moest het standpunt van de Belgische "
                   "Staat niet verdedigen. Er werd geen prejudiciële vraag aan het Hof gesteld."),
]
# one claim under different subjects: a mechanism
SAME_CLAIM = [
    ("Gent", "De wachtlijst voor een sociale woning loopt op tot vijf jaar voor grote gezinnen. "
             "De cijfers voor vorig jaar zijn nog niet beschikbaar."),
    ("Genk", "Steeds meer jongeren verlaten de secundaire school zonder diploma. "
             "Ook hier zijn de cijfers voor vorig jaar nog niet beschikbaar."),
    ("Aalst", "De wijkagenten rukken vaker uit in de stationsbuurt dan twee jaar geleden. "
              "De cijfers over vorig jaar zijn op dit ogenblik nog niet beschikbaar."),
    ("Leuven", "Het OCMW krijgt meer aanvragen voor een leefloon van studenten. "
               "De gevalideerde cijfers van vorig jaar zijn nog niet beschikbaar."),
]


def test_one_question_answered_alike_is_a_topic_the_same_claim_under_other_subjects_a_mechanism(demo_result):
    from pipeline.analysis.mechanisms._grouping import _Contexts

    def statements(segments, sentences, tokens):
        return candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                    extract_claims(sentences, tokens), segments, MechanismConfig())

    # the demo's notes are the corpus the quantile is learnt from
    demo = statements(demo_result.segments, demo_result.sentences, demo_result.tokens)
    added = statements(*_corpus([(case, "schriftelijke antwoorden", "", text) for case, text in
                                 SAME_QUESTION + SAME_CLAIM]))
    both = pd.concat([demo, added], ignore_index=True)
    court = len(demo) + np.flatnonzero(added["text"].str.contains("standpunt van de"))
    figures = len(demo) + np.flatnonzero(added["text"].str.contains("cijfers"))
    assert len(court) == 4 and len(figures) == 4
    contexts = _Contexts(both, MechanismConfig().context_quantile)
    assert contexts.same(court)
    assert not contexts.same(figures)
    assert not _Contexts(both, 1.0).same(court)  # 1.0: the test is off
    # a statement alone in its segment (a spreadsheet row) has no surroundings: never judged
    rows = statements(*_corpus([(case, "schriftelijke antwoorden", "", text.split(". ")[1])
                                for case, text in SAME_QUESTION]))
    assert not _Contexts(pd.concat([demo, rows], ignore_index=True), 0.99).same(
        np.arange(len(demo), len(demo) + len(rows)))


def _screened(texts_by_case: list[tuple[str, str]], **cfg):
    """The fitted finder (lemmas only) on one segment per (case, text), themes alternating."""
    turns = [(case, "gesprekstafel 1", "", text) for case, text in texts_by_case]
    segments, sentences, tokens = _corpus(turns + NOISE[:3])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    return statements, MechanismFinder(MechanismConfig(**{**LEXICAL, "min_themes": 1, **cfg})).fit(statements)


def test_the_speakers_own_story_and_meeting_talk_are_not_grouped_and_are_counted():
    statements, finder = _screened([
        ("Gent", "Ik werk als brugfiguur in twee scholen van de wijk."),
        ("Genk", "Op drukke dagen ben ik vooral tolk in twee scholen van de wijk."),
        ("Aalst", "Ik werk al vijf jaar als brugfiguur in de scholen van de wijk."),
        ("Gent", "De heer [Persoon 3] is vandaag niet aanwezig op de vergadering van de commissie."),
        ("Genk", "Mevrouw [Persoon 5] kon niet aanwezig zijn op de vergadering van de commissie."),
        ("Aalst", "Ook [Persoon 8] is niet aanwezig op deze vergadering van de commissie."),
    ])
    marks = statements.set_index("text")
    assert marks.loc["Ik werk als brugfiguur in twee scholen van de wijk.", "first_person"]
    assert marks.loc["De heer [Persoon 3] is vandaag niet aanwezig op de vergadering van de commissie.", "addressed"]
    assert len(finder.mechanisms_) == 0
    assert finder.left_out_["vergadertaal"] == 3
    assert finder.left_out_["eerste_persoon"] == statements["first_person"].sum() >= 3
    # the same claims said about how things go, not by the speaker about themselves, are grouped
    _, finder = _screened([
        ("Gent", "De brugfiguren in de scholen van de wijk blijven afhankelijk van tijdelijke subsidies."),
        ("Genk", "Brugfiguren in de scholen van de wijk zijn volledig afhankelijk van tijdelijke subsidies."),
        ("Aalst", "Elke brugfiguur in de scholen van de wijk is afhankelijk van tijdelijke subsidies."),
    ], min_problem_share=0.0)
    assert len(finder.mechanisms_) == 1 and finder.mechanisms_["n_cases"].iloc[0] == 3


COMPETENCE = [
    ("Justitie", "De vraag behoort tot de bevoegdheid van mijn collega, de minister van Justitie."),
    ("Financien", "Deze materie behoort tot de bevoegdheid van de minister van Financien."),
    ("Werk", "Ook deze thematiek valt onder de bevoegdheid van de minister van Werk."),
    ("Energie", "De problematiek van de verzekeringen behoort tot de bevoegdheid van de minister van Economie."),
    ("Defensie", "De wetgeving over gewetensbezwaarden behoort tot de bevoegdheid van de minister van Binnenlandse Zaken."),
    ("Begroting", "Vragen 1, 2 en 5 behoren tot de bevoegdheid van mijn collega, de minister van Financien."),
]
# they name the other minister too, but say nothing of whose competence it is
NAMING_ONLY = [
    ("Asiel", "Er was contact met de homologen, de minister van Binnenlandse Zaken en de minister van Justitie."),
    ("Justitie", "De organieke personeelstabel wordt bepaald door de minister van Justitie en de minister van "
                 "Binnenlandse Zaken."),
]
# the rest of the answers: the minister is named everywhere in them
BACKGROUND = [
    ("Defensie", "Het dossier werd in september door de minister aan de ministerraad voorgelegd."),
    ("Pensioenen", "Momenteel werkt de minister van Pensioenen een nieuw voorstel uit voor de zelfstandigen."),
    ("Mobiliteit", "Het verslag werd door de minister aan de Kamer bezorgd."),
    ("Werk", "In het voorjaar zal de minister de sociale partners hierover raadplegen."),
    ("Energie", "Vorige maand heeft de minister de netbeheerders om een nieuwe raming gevraagd."),
    ("Financien", "Vorig jaar heeft de minister de ontvangsten van de accijnzen laten onderzoeken."),
    ("Begroting", "Hierover werd overlegd met de minister van Begroting en de inspectie van Financien."),
    ("Justitie", "De nieuwe omzendbrief werd door de minister aan alle parketten bezorgd."),
    ("Asiel", "Het akkoord werd door de minister ondertekend tijdens het bezoek aan Rabat."),
    ("Defensie", "In januari heeft de minister de aankoop van de nieuwe fregatten goedgekeurd."),
    ("Mobiliteit", "Volgende week bespreekt de minister het investeringsplan met de spoorwegen."),
    ("Pensioenen", "Het wetsontwerp wordt door de minister in het najaar ingediend."),
    ("Justitie", "Het aantal gedetineerden in de gevangenis van Antwerpen is vorig jaar licht gedaald."),
    ("Financien", "De controles op de btw-carrousels worden dit jaar verder opgevoerd door de fiscus."),
    ("Werk", "Het aantal tijdelijke werklozen is in het derde kwartaal gestegen tot ruim honderdduizend."),
    ("Energie", "De kerncentrale van Doel zal volgens de planning tegen het einde van het jaar stilgelegd worden."),
    ("Asiel", "In 2016 werden in totaal veertienduizend asielaanvragen ingediend bij de dienst Vreemdelingenzaken."),
    ("Mobiliteit", "De werken aan het station van Mechelen lopen volgens de planning en worden in 2019 afgerond."),
    ("Begroting", "De uitgaven voor de gezondheidszorg stijgen sneller dan de groeinorm die de regering heeft vastgelegd."),
    ("Defensie", "De nieuwe gevechtsvliegtuigen worden pas vanaf 2023 geleverd aan de luchtmacht."),
]


def test_a_member_that_names_what_every_answer_names_but_not_the_claim_is_no_evidence():
    from pipeline.analysis.mechanisms._grouping import _unsaid

    segments, sentences, tokens = _corpus([(case, "schriftelijke antwoorden", "", text)
                                           for case, text in COMPETENCE + NAMING_ONLY + BACKGROUND])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    members = statements[statements["text"].isin([t for _, t in COMPETENCE + NAMING_ONLY])]
    assert len(members) == 8
    # "de minister van Justitie" is a name, what the claim is about: not what it says
    assert not any("minister" in lemmas for lemmas in members["claim_lemmas"])
    assert "bevoegdheid" in statements.set_index("text").at[COMPETENCE[0][1], "claim_lemmas"]
    # "door de minister aan de ministerraad" names no one in particular: said of the dossier
    assert "minister" in statements.set_index("text").at[BACKGROUND[0][1], "claim_lemmas"]
    off = dict(zip(members["text"], _unsaid(members, statements)))
    assert [off[t] for _, t in COMPETENCE] == [False] * 6
    assert [off[t] for _, t in NAMING_ONLY] == [True, True]


def test_a_denial_most_members_make_is_part_of_what_they_say_alike():
    from collections import Counter

    from pipeline.analysis.mechanisms._grouping import Group, _said_alike

    def group(texts):
        segments, sentences, tokens = _corpus([(case, "schriftelijke antwoorden", "", text)
                                               for case, text in zip(["Asiel", "Mobiliteit", "Sociale Zaken"], texts)])
        members = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                       extract_claims(sentences, tokens), segments, MechanismConfig())
        assert len(members) == 3
        rows = np.arange(3)
        return Group(rows, members, Counter(members["case"]), [], np.ones(3), 1.0, "inductief", "")

    # the same lack said of different services: "beschikken" and the denial, in other words after it
    lack = group(["Fedasil beschikt niet over statistieken voor de gevraagde jaren.",
                  "De NMBS beschikt niet over de cijfers van de politiediensten.",
                  "Het RIZIV beschikt niet over gegevens per apotheek voor deze producten."])
    assert isinstance(_said_alike(lack), Group)
    # problems that share the verb but not the denial ("te weinig", "onvoldoende" are no denial of
    # it): one word, not a claim they share
    told = group(["Fedasil beschikt niet over statistieken voor de gevraagde jaren.",
                  "De NMBS beschikt over te weinig personeel voor de veiligheid in de stations.",
                  "Het RIZIV beschikt over onvoldoende middelen om alle apotheken te controleren."])
    assert _said_alike(told) == "een_woord"


def test_a_leading_form_of_address_does_not_make_the_claim_after_it_meeting_talk():
    statements, finder = _screened([
        ("Gent", "Mijnheer de minister, volgens recente berichten raken de gevangenissen niet aan voldoende "
                 "cipiers door de lage lonen."),
        ("Genk", "Mevrouw de minister, de gevangenissen vinden door de lage lonen niet genoeg cipiers."),
        ("Aalst", "Voorzitter, de gevangenis van Haren vindt niet genoeg cipiers door de lage lonen."),
        # only the exchange itself: addressed, thanked, or a person named after the address
        ("Gent", "Mijnheer de voorzitter, u hebt mijn vraag over de wachttijden van vorige week nog niet beantwoord."),
        ("Genk", "Mevrouw de staatssecretaris, ik dank u voor uw uitgebreide antwoord op mijn vragen."),
        ("Aalst", "Mijnheer de minister, de heer [Persoon 8] heeft deze vraag vorige maand al gesteld in de commissie."),
        # a name before the verb without a comma is the subject, not an address
        ("Gent", "Mevrouw [Persoon 5] kon niet aanwezig zijn op de vergadering van de commissie."),
    ], min_problem_share=0.0)
    marks = statements.set_index("text")
    claims = marks[marks.index.str.contains("cipiers")]
    assert len(claims) == 3 and not claims["addressed"].any()
    # the address is not what the statement says: neither its content nor a frame
    assert not any({"minister", "mijnheer", "voorzitter"} & set(lemmas) for lemmas in claims["lemmas"])
    assert not claims["framed"].any()
    talk = marks[marks.index.str.contains("vraag|antwoord|aanwezig")]
    assert len(talk) == 4 and talk["addressed"].all()
    # the meeting talk is set aside before grouping, the three claims are grouped
    assert finder.left_out_["vergadertaal"] == 4
    assert finder.n_candidates_ == 1


def test_a_shared_frame_or_hedge_is_no_common_ground():
    from pipeline.analysis.mechanisms._grouping import _not_a_mechanism

    statements, finder = _screened([
        ("Gent", "We weten allemaal dat de bus naar het station vaak te laat rijdt."),
        ("Genk", "We weten allemaal dat de gemeenteraad pas in juni opnieuw over de begroting van de sporthal beslist."),
        ("Aalst", "We weten allemaal dat het zwembad al twee jaar gesloten blijft."),
    ], min_problem_share=0.0)
    # the frame is not part of what the statement says: its lemmas are the complement's
    framed = statements[statements["text"].str.startswith("We weten allemaal")]
    assert len(framed) == 3 and framed["framed"].all()
    assert not any("weten" in lemmas for lemmas in framed["lemmas"])
    assert len(finder.mechanisms_) == 0
    # a hedge said by everyone ("eerlijk gezegd") is how people talk, not a claim
    hedged, _ = _screened([
        ("Gent", "Eerlijk gezegd waren de ouders daar niet op voorbereid."),
        ("Genk", "De wijkwerking loopt eerlijk gezegd nog niet zo vlot."),
        ("Aalst", "Eerlijk gezegd blijft de opkomst op de avonden nog beperkt."),
    ])
    assert _not_a_mechanism(hedged, MechanismConfig(min_problem_share=0.0)) == "enkel_kader"


def test_filler_in_common_is_a_claim_when_it_is_the_problem_every_statement_states():
    from pipeline.analysis.mechanisms._grouping import _not_a_mechanism

    cfg = MechanismConfig()
    impossible, _ = _screened([
        ("Gent", "Het is niet mogelijk om hierover cijfers te verstrekken."),
        ("Genk", "Het is daarom niet mogelijk een gemiddelde voor elke wijk mee te geven."),
        ("Aalst", "Het is niet mogelijk om een onderscheid te maken per stadsdeel."),
    ])
    impossible = impossible[impossible["text"].str.contains("niet mogelijk")]
    assert len(impossible) == 3 and (impossible["function"] == "barrier").all()
    assert _not_a_mechanism(impossible, cfg) == ""
    # the lever elsewhere: the same claim under other subjects is a mechanism, not a topic
    elsewhere, _ = _screened([
        ("Gent", "Deze materie valt onder de bevoegdheid van de minister van Justitie."),
        ("Genk", "De wetgeving over gewetensbezwaarden behoort tot de bevoegdheid van de minister van Binnenlandse Zaken."),
        ("Aalst", "Ook deze thematiek valt onder de bevoegdheid van de minister van Justitie."),
    ])
    elsewhere = elsewhere[elsewhere["text"].str.contains("bevoegdheid")]
    assert len(elsewhere) == 3
    assert _not_a_mechanism(elsewhere, cfg) == ""
    # a hedge everybody says is still a frame, however problem-like the rest (see the test above)
    hedged, _ = _screened([
        ("Gent", "Eerlijk gezegd kwamen er weinig ouders naar de avond."),
        ("Genk", "Eerlijk gezegd weten we niet goed hoe we de jongeren bereiken."),
        ("Aalst", "Eerlijk gezegd had niemand dat zo verwacht."),
    ])
    assert _not_a_mechanism(hedged, cfg) in {"enkel_kader", "geen_dynamiek"}


def test_a_group_that_shares_only_a_topics_name_is_not_reported_one_that_shares_a_claim_is():
    from pipeline.analysis.mechanisms._grouping import _not_a_mechanism

    cfg = MechanismConfig(min_problem_share=0.0)
    names, _ = _screened([
        ("Gent", "De Europese richtlijnen over het spoor werden volledig omgezet in Belgisch recht."),
        ("Genk", "De Belgische wetgeving over reclame is in lijn met de Europese richtlijnen."),
        ("Aalst", "Over de toepassing van de Europese richtlijnen volgt een nieuwe omzendbrief."),
    ])
    assert _not_a_mechanism(names, cfg) == "een_onderwerp"
    statements, _ = _screened([
        ("Gent", "Taal blijft de belangrijkste drempel voor gezinnen aan het loket."),
        ("Genk", "Voor nieuwkomers is taal de belangrijkste drempel bij de inschrijving."),
        ("Aalst", "Bij de zoektocht naar werk is taal nog altijd de belangrijkste drempel."),
    ])
    claim = statements[statements["text"].str.contains("drempel")]  # the group, without the noise turns
    assert len(claim) == 3
    assert _not_a_mechanism(claim, cfg) == ""


def test_the_report_says_how_many_candidates_were_seen_and_why_they_were_left_out():
    from pipeline.outputs._context import _screening

    text = _screening({"mechanism_screening": {
        "candidates": 40, "reported": 3, "not_reported": {"te_weinig_cases": 30, "een_woord": 7},
        "statements_left_out": {"eerste_persoon": 12}}})
    assert text.startswith("40 groepen uitspraken kwamen in meer dan één stad terug; 3 daarvan werden")
    assert "komt in te weinig steden terug (30)" in text and "maar één woord" in text and "(7)" in text
    assert "over zichzelf" in text and "(12)" in text
    assert _screening({}) == ""


def test_a_name_written_with_capitals_is_a_topic_and_a_glued_table_is_no_statement():
    from pipeline.analysis.mechanisms._grouping import _not_a_mechanism

    statements, _ = _screened([
        ("Gent", "Momenteel behandelt de Federale Overheidsdienst Binnenlandse Zaken geen dossiers meer."),
        ("Genk", "Dit gebouw wordt vooral gebruikt door de Federale Overheidsdienst Buitenlandse Zaken."),
        ("Aalst", "Twee medewerkers komen van de Federale Overheidsdienst Binnenlandse Zaken."),
        ("Gent", "Er zijn geen klachten ingediend.2016201716260-17-339-bil-3 - Enkel in 2016 werd een klacht behandeld."),
    ])
    assert not statements["text"].str.contains("2016201716260").any()
    names = statements[statements["text"].str.contains("Federale Overheidsdienst")]
    assert len(names) == 3
    assert _not_a_mechanism(names, MechanismConfig(min_problem_share=0.0)) == "een_onderwerp"


def test_a_group_held_together_by_a_name_and_one_coincidental_word_is_a_topic():
    from pipeline.analysis.mechanisms._grouping import _not_a_mechanism

    cfg = MechanismConfig(min_problem_share=0.0)
    # two say "geen standpunt ingenomen", two others share only the name "België" with one of
    # them: what most of them say is said nowhere else in the group
    statements, _ = _screened([
        ("Gent", "België heeft hierover nog geen standpunt ingenomen."),
        ("Genk", "In geen enkel dossier werd een standpunt ingenomen tegen de regering."),
        ("Aalst", "België heeft voor het ogenblik geen economisch belang in de regio."),
        ("Mechelen", "Een maatregel van België alleen heeft geen effect op de scheepvaart."),
    ])
    glued = statements[statements["text"].str.contains("België|standpunt")]
    assert len(glued) == 4
    assert _not_a_mechanism(glued, cfg) == "een_onderwerp"
    # most of them say the same of the same thing: a claim, also when one of four says it otherwise
    statements, _ = _screened([
        ("Gent", "De cijfers voor vorig jaar zijn nog niet beschikbaar."),
        ("Genk", "De gevalideerde cijfers zijn op dit ogenblik niet beschikbaar."),
        ("Aalst", "Pas tegen maart zullen de gevraagde cijfers beschikbaar zijn."),
        ("Mechelen", "Er is nog geen informatie over het aantal aanvragen."),
    ])
    claim = statements[statements["text"].str.contains("cijfers|informatie")]
    assert len(claim) == 4
    assert _not_a_mechanism(claim, cfg) == ""


def test_a_member_that_shares_one_word_is_not_evidence_and_a_verbatim_question_is_no_mechanism():
    from pipeline.analysis.mechanisms._grouping import _Blocks, _drop_repeats, _evidence

    texts = [("Gent", "Voor ouders die het Nederlands niet beheersen, is het moeilijk om de brieven van de school te volgen."),
             ("Genk", "Ouders met een andere thuistaal begrijpen de brieven van de school vaak niet."),
             ("Aalst", "Veel ouders begrijpen de brieven van school niet omdat ze geen Nederlands kennen."),
             # shares "moeilijk" and "school" with Gent, says something else: no city for the group
             ("Leuven", "Net die scholen vinden het moeilijkst nieuwe leerkrachten.")]
    segments, sentences, tokens = _corpus([(c, "gesprekstafel 1", "", t) for c, t in texts] + NOISE[:3])
    statements = candidate_statements(sentences, tokens, tag_functions(sentences, tokens),
                                      extract_claims(sentences, tokens), segments, MechanismConfig())
    statements, vectors, _ = _drop_repeats(statements, _sentence_vectors(sentences, statements), 3)
    cfg = MechanismConfig()
    group = np.flatnonzero(statements["text"].str.contains("ouders|scholen", case=False).to_numpy())
    assert len(group) == 4
    kept = _evidence(statements, _Blocks(statements, vectors, cfg), cfg, group)
    assert set(statements["case"].iloc[kept]) == {"Gent", "Genk", "Aalst"}

    # one text sent verbatim to three ministries (case and spacing aside): one repeat, not a
    # finding in three cases
    said = "Door het tekort aan personeel worden veel dossiers niet tijdig behandeld."
    statements, finder = _screened([("Justitie", said), ("Defensie", said.upper()), ("Financiën", "  " + said)])
    copies = statements["text"].str.lower().str.strip() == said.lower()
    assert copies.sum() == 3
    assert (finder.statements_["text"].str.lower().str.strip() == said.lower()).sum() == 1
    assert finder.mechanisms_.empty


def test_a_label_is_not_cut_a_word_before_its_end_nor_after_an_article():
    from pipeline.analysis.mechanisms._grouping import _statement_label

    # cutting the last word or two saves nothing and leaves "… van de …", which names nothing
    assert _statement_label("Wie geen Nederlands leert in de eerste jaren, blijft later ook aan de kant staan "
                            "bij de school van de kinderen.") == \
        ("Wie geen Nederlands leert in de eerste jaren, blijft later ook aan de kant staan bij de school van de "
         "kinderen")
    # a longer statement is still cut, but after a word that says something, not after "van" or "de"
    label = _statement_label("Voor ouders die het Nederlands niet beheersen, is het moeilijk om de communicatie van "
                             "school, kinderopvang en welzijnsvoorzieningen te volgen.")
    assert label == "Voor ouders die het Nederlands niet beheersen, is het moeilijk om de communicatie …"


def test_a_cut_label_ends_at_a_phrase_boundary_not_after_a_determiner():
    from pipeline.analysis.mechanisms._grouping import _statement_label

    # "… van mijn …" stops inside the noun phrase "mijn collega": the cut closes the phrase
    assert _statement_label("De antwoorden op de vragen 2 en 4 behoren tot de bevoegdheid van mijn collega de "
                            "minister van Binnenlandse Zaken.") == \
        "De antwoorden op de vragen 2 en 4 behoren tot de bevoegdheid van mijn collega …"
    assert _statement_label("Voor nieuwkomers zijn de wachtlijsten voor de lessen Nederlands in de gemeenten van "
                            "deze regio nog altijd veel te lang.") == \
        "Voor nieuwkomers zijn de wachtlijsten voor de lessen Nederlands in de gemeenten …"


# The same claim about different things ("… behoort tot de bevoegdheden van de Gewesten"), and in
# other cities statements about those things that claim something else.
LEVER_ELSEWHERE = [
    ("Gent", "De evaluatie van de luchtverontreiniging door het zware verkeer behoort tot de bevoegdheden van de Gewesten."),
    ("Genk", "De aanleg van tankinfrastructuur voor aardgas langs de snelwegen behoort tot de bevoegdheden van de Gewesten."),
    ("Aalst", "De screening van borstkanker bij vrouwen boven vijftig behoort tot de bevoegdheden van de Gewesten."),
    ("Brugge", "De luchtverontreiniging door het zware verkeer neemt elk jaar verder toe in de stadskernen."),
    ("Leuven", "De tankinfrastructuur voor aardgas langs de snelwegen wordt volgend jaar uitgebreid."),
    ("Mechelen", "De screening van borstkanker bij vrouwen boven vijftig wordt sinds maart gratis aangeboden."),
]


def test_what_a_statement_says_of_its_subject_leaves_the_subject_and_names_out():
    statements, _ = _screened(LEVER_ELSEWHERE)
    claim = statements.set_index("text")["claim_lemmas"]
    assert claim[LEVER_ELSEWHERE[0][1]] == claim[LEVER_ELSEWHERE[2][1]] == ["behoren", "bevoegdheid"]
    assert "luchtverontreiniging" in statements.set_index("text")["lemmas"][LEVER_ELSEWHERE[0][1]]


def test_the_second_reading_finds_the_same_claim_about_different_things():
    # the first reading groups each statement with the one about the same thing (two cities: too few)
    _, first = _screened(LEVER_ELSEWHERE, weight_claim=0.0, distance_threshold=0.6)
    assert len(first.mechanisms_) == 0
    # without sentence vectors the lemma block weighs more: the claim block needs more weight than
    # the default, which is set beside the sentence vectors of a run
    _, both = _screened(LEVER_ELSEWHERE, weight_claim=0.3, distance_threshold=0.6)
    assert len(both.mechanisms_) == 1
    assert set(both.evidence_["text"]) == {text for _, text in LEVER_ELSEWHERE[:3]}
    assert both.n_candidates_ > first.n_candidates_  # the second reading's candidates are counted too


def test_a_second_reading_group_that_says_one_word_alike_is_not_reported():
    from pipeline.analysis.mechanisms._grouping import Group, _said_alike

    statements, _ = _screened([
        ("Aalst", "Er is een avondaanbod, maar dat zit vol voor het jaar begint."),
        ("Brugge", "Met klare taal zijn we begonnen, maar het is een werk van lange adem."),
        ("Oostende", "Elk najaar beginnen de cursussen overal tegelijk, maar de wachtlijsten blijven."),
    ])
    members = statements[statements["case"].isin(["Aalst", "Brugge", "Oostende"])
                         & statements["text"].str.contains("maar")]
    assert len(members) == 3 and members["problem"].all()
    group = Group(np.arange(3), members, Counter(members["case"]), [], np.ones(3), 1.0, "inductief", "")
    assert _said_alike(group) == "een_woord"
    statements, _ = _screened(LEVER_ELSEWHERE)
    elsewhere = statements[statements["text"].isin([t for _, t in LEVER_ELSEWHERE[:3]])]
    group = Group(np.arange(3), elsewhere, Counter(elsewhere["case"]), [], np.ones(3), 1.0, "inductief", "")
    assert _said_alike(group) is group


def test_one_predicate_that_most_say_as_the_same_barrier_is_a_claim_not_one_word():
    from pipeline.analysis.mechanisms._grouping import _not_a_mechanism

    cfg = MechanismConfig(min_problem_share=0.0)
    # "moeilijk" is all they share, and it is what they say: the same barrier about different things
    statements, _ = _screened([
        ("Gent", "Het is moeilijk om de effecten van het nieuwe plan nu al in te schatten."),
        ("Genk", "Voorlopig blijft het moeilijk om meetbare resultaten van de campagne te tonen."),
        ("Aalst", "Omdat de aantallen sterk schommelen, is het moeilijk conclusies te trekken."),
    ])
    hard = statements[statements["text"].str.contains("moeilijk")]
    assert len(hard) == 3 and (hard["function"] == "barrier").all()
    assert _not_a_mechanism(hard, cfg) == ""
    # one word said by statements that are no barrier is still one word in common
    statements, _ = _screened([
        ("Gent", "De nieuwe regels worden sinds januari overal toegepast."),
        ("Genk", "Deze techniek wordt in de meeste ziekenhuizen al ruim toegepast."),
        ("Aalst", "De regelgeving op de overheidsopdrachten wordt strikt toegepast."),
    ])
    applied = statements[statements["text"].str.contains("toegepast")]
    assert len(applied) == 3
    assert _not_a_mechanism(applied, cfg) == "een_woord"


# One department says a lack five times, two others say it too (the Kamer answers, reworded)
LACK_MOSTLY_ONE_CASE = [
    ("Werk", "Mijn administratie beschikt niet over informatie met betrekking tot de aangerekende tarieven."),
    ("Werk", "Mijn administratie beschikt hieromtrent over geen informatie."),
    ("Werk", "Ook wat betreft het aantal datingsites beschikt mijn administratie over geen informatie."),
    ("Werk", "Mijn administratie beschikt niet over de nodige gegevens om u een antwoord te verstrekken."),
    ("Werk", "Mijn administratie beschikt bijgevolg over geen informatie over de klachten."),
    ("Digitale Agenda", "De administratie beschikt niet over de nodige informatie om deze vraag te beantwoorden."),
    ("Digitale Agenda", "De administratie beschikt niet over deze informatie."),
    ("Financien", "De administratie beschikt niet over informatie over het aantal dossiers."),
]
# one department's stock phrase, and sentences elsewhere that share its words by chance
STOCK_PHRASE = [
    ("Werk", "De FOD Economie controleert jaarlijks de tarieven van de operatoren."),
    ("Werk", "De FOD Economie controleert ook de tarieven van de energieleveranciers."),
    ("Werk", "De FOD Economie controleert daarnaast de tarieven van de banken."),
    ("Werk", "De FOD Economie controleert de tarieven van de verzekeraars."),
    ("Digitale Agenda", "De tarieven van de operatoren zijn vorig jaar gedaald."),
    ("Financien", "De FOD Financien int de registratierechten."),
]


def test_a_lack_said_mostly_in_one_case_but_also_in_two_others_recurs():
    # 5 of 8 statements from one department: not local, three departments say the lack
    _, finder = _screened(LACK_MOSTLY_ONE_CASE)
    assert len(finder.mechanisms_) == 1
    row = finder.mechanisms_.iloc[0]
    assert row["n_cases"] == 3 and "beschikt" in row["label"]
    assert "een_case_overheerst" not in finder.rejected_
    # the dominant case is judged with as many statements as the others say together: its stock
    # phrase beside a chance look-alike elsewhere is still no mechanism
    _, finder = _screened(STOCK_PHRASE)
    assert len(finder.mechanisms_) == 0


# the same impossibility said by six departments, each of something else (the Kamer answers, reworded)
NOT_POSSIBLE = [
    ("Binnenlandse Zaken", "Het is niet mogelijk om deze cijfers verder op te splitsen."),
    ("Asiel", "Het is niet mogelijk om hierover cijfers te verstrekken."),
    ("Mobiliteit", "Het is dan ook niet mogelijk om een concreet overzicht te maken."),
    ("Sociale Zaken", "Het is daarom niet mogelijk een gemiddelde mee te geven."),
    ("Justitie", "Het is niet mogelijk om een onderscheid te maken per Gewest."),
    ("Privacy", "Het is derhalve niet mogelijk om u de gevraagde informatie mee te delen."),
]
# the rest of the answers, in which "niet" and "mogelijk" are as common as in any Dutch text
COMMON_WORDS = [
    ("Justitie", "Het is mogelijk dat de termijn nog met een maand verlengd wordt."),
    ("Asiel", "De aanvragen worden zo snel mogelijk behandeld door de dienst Vreemdelingenzaken."),
    ("Mobiliteit", "De werken worden niet voor het einde van het jaar afgerond."),
    ("Sociale Zaken", "De terugbetaling is mogelijk vanaf het tweede consult bij de huisarts."),
    ("Privacy", "De gegevens worden niet langer dan vijf jaar bewaard."),
    ("Binnenlandse Zaken", "Een tijdelijke sluiting van het loket is niet uitgesloten."),
    ("Justitie", "De gevangenis van Haren wordt niet voor 2022 in gebruik genomen."),
    ("Asiel", "Een verlenging van het verblijf is mogelijk op basis van medische redenen."),
    ("Mobiliteit", "Waar mogelijk worden de treinen van de ochtendspits verlengd."),
    ("Sociale Zaken", "Het ziekenfonds betaalt deze behandeling niet terug."),
    ("Privacy", "Een klacht indienen is mogelijk via het online formulier van de Commissie."),
    ("Binnenlandse Zaken", "De politiezones hebben de nieuwe richtlijn nog niet toegepast."),
]


def test_every_paraphrase_of_a_claim_in_filler_words_is_evidence():
    from pipeline.analysis.mechanisms._grouping import _Blocks, _evidence, _says_the_filler_claim

    _, sentences, _, statements = _answers(NOT_POSSIBLE + COMMON_WORDS + BACKGROUND)
    vectors = _sentence_vectors(sentences, statements)
    group = np.flatnonzero(statements["text"].isin([t for _, t in NOT_POSSIBLE]).to_numpy())
    assert len(group) == 6
    # "niet mogelijk" is filler to the themes, but here it is the claim every member makes
    assert _says_the_filler_claim(statements.iloc[group]).all()
    # at a cut the member "per Gewest" reaches with one other but not on average, it is still
    # evidence: it says what the others say, where before only "mee" (… mee te geven / … mee te
    # delen) counted as said alike
    cfg = MechanismConfig(distance_threshold=0.5)
    kept = _evidence(statements, _Blocks(statements, vectors, cfg), cfg, group)
    assert set(statements["case"].iloc[kept]) == {case for case, _ in NOT_POSSIBLE}
    # a member of another kind holds only part of the frame: it does not say the claim
    mixed = np.append(group, np.flatnonzero((statements["text"] == COMMON_WORDS[2][1]).to_numpy()))
    assert not _says_the_filler_claim(statements.iloc[mixed])[-1]


# no statistics kept, said alike by five departments (the Kamer answers, reworded) ...
NO_STATISTICS = [
    ("Financien", "Er worden hierover geen statistieken bijgehouden."),
    ("Privacy", "Er worden hierover geen aparte statistieken bijgehouden."),
    ("Justitie", "Er worden geen statistieken bijgehouden over het beroep van de voogden."),
    ("Binnenlandse Zaken", "Er worden hieromtrent geen statistische gegevens bijgehouden."),
    ("Digitale Agenda", "Er bestaan bij mijn weten geen statistieken ter zake."),
]
# ... and in other words by two more: the same lack, but too few cases to recur on their own
NO_STATISTICS_OTHERWISE = [
    ("Sociale Zaken", "Bij mijn weten beschikken we niet over statistieken ter zake."),
    ("Asiel", "We beschikken dus niet over statistieken voor de gevraagde jaren."),
]


def _fitted_with_vectors(texts_by_case: list[tuple[str, str]]):
    """The finder with the default config and the sentence vectors, one answer per (case, text)."""
    from pipeline.config import EmbedConfig

    _, sentences, _, statements = _answers(texts_by_case)
    vectors = _sentence_vectors(sentences, statements)
    return MechanismFinder(MechanismConfig(), embed=EmbedConfig()).fit(statements, vectors)


def test_a_paraphrase_in_too_few_cases_to_recur_alone_is_evidence_of_the_claim_it_says():
    finder = _fitted_with_vectors(NO_STATISTICS + NO_STATISTICS_OTHERWISE + BACKGROUND)
    assert len(finder.mechanisms_) == 1
    assert {t for _, t in NO_STATISTICS_OTHERWISE} <= set(finder.evidence_["text"])
    assert finder.mechanisms_["n_cases"].iloc[0] == 7
    # alone, the two are a fragment: not reported, counted as recurring in too few cases
    alone = _fitted_with_vectors(NO_STATISTICS_OTHERWISE + BACKGROUND)
    assert len(alone.mechanisms_) == 0
