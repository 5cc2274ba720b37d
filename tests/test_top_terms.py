"""A theme's top terms name its subject (issue #22 item 3): no filler, no form of address, and no
case's own name or place in a theme spread over several cases."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.analysis.themes import FILLER, ThemeModel, phrases_from_tokens, terms_from_tokens
from pipeline.config import NlpConfig, SegmentConfig
from pipeline.corpus import segment
from pipeline.language import parse

from .test_cluster import ONDERWIJS, TAAL, WONEN

CITIES = ["Gent", "Genk", "Mechelen", "Leuven", "Aalst", "Brugge"]
# the way people pad what they say, in the language theme only, so it would rank there
PADDING = ["Daarnaast blijkt dat sommigen het moeilijk vinden.", "Daarnaast blijkt het moeilijk, zegt de heer.",
           "Sommigen zeggen daarnaast dat het moeilijk blijkt."]


def _describe(statements: list[str], cases: list[str]) -> pd.DataFrame:
    text = "\n\n".join(f"Deelnemer: {s}" for s in statements) + "\n"
    segments = segment(pd.DataFrame([{"doc_id": "d", "text": text, "blocks": [], "page_starts": []}]), SegmentConfig())
    _, tokens = parse(segments, NlpConfig())
    terms, display = terms_from_tokens(tokens)
    ids = list(segments["segment_id"])
    assert len(ids) == len(cases)
    model = ThemeModel(n_themes=3, random_state=1).fit([terms.get(i, []) for i in ids])
    found = model.assign(ids, [terms.get(i, []) for i in ids])
    content = {i: model.content(terms.get(i, [])) for i in ids}
    return model.describe(found, content, display, pd.Series(cases, index=ids), phrases_from_tokens(tokens, FILLER))


def _top5(themes: pd.DataFrame) -> list[list[str]]:
    return [t.split("; ")[:5] for t in themes["top_terms"]]


@pytest.fixture(scope="module")
def padded():
    taal = [f"{s} {PADDING[i % 3]}" for i, s in enumerate(TAAL)]
    statements = WONEN + taal + ONDERWIJS
    return _describe(statements, [CITIES[i % len(CITIES)] for i in range(len(statements))])


def test_filler_and_address_stay_out_of_the_top_terms(padded):
    shown = {t for top in _top5(padded) for t in top}
    assert not shown & {"daarnaast", "blijkt", "blijken", "sommigen", "sommig", "moeilijk", "heer"}, _top5(padded)
    # the subjects are still there
    assert {"taal", "tolk", "nederlands", "loket", "taalbeleid"} & shown
    assert {"woning", "woningen", "huurmarkt", "verhuurders", "huurprijzen"} & shown


def test_a_place_of_one_case_does_not_name_a_theme_of_several():
    # Genk's housing statements all say where: Winterslag, a neighbourhood of Genk; the housing
    # theme is said in four cities, so Winterslag names Genk's part of it, not the theme
    cases = [CITIES[i % 4] for i in range(len(WONEN + TAAL + ONDERWIJS))]
    wonen = [f"{s[:-1]}, zeker in Winterslag in Genk." if cases[i] == "Genk" else s for i, s in enumerate(WONEN)]
    themes = _describe(wonen + TAAL + ONDERWIJS, cases)
    shown = {t for top in _top5(themes) for t in top}
    assert not shown & {"winterslag", "genk", "Winterslag", "Genk"}, _top5(themes)
    assert {"woning", "woningen", "huurmarkt", "verhuurders", "huurprijzen"} & shown


def test_a_word_made_from_a_case_name_is_that_case_not_a_subject():
    from pipeline.analysis.themes._model import _names_a_case

    cases = {"gent", "genk", "mechelen", "hasselt", "brugge", "kortrijk", "oostende", "sint-niklaas"}
    cases |= {"roeselare", "aalst"}
    for word in ("genk", "genkenaren", "gentenaars", "gentse", "mechelaars", "mechelse", "hasselaar",
                 "kortrijkzanen", "oostendenaars", "brugeling", "bruggelingen", "roeselaarse", "aalsterse",
                 "aalstenaars"):
        assert _names_a_case(word, cases), word
    for word in ("brugfiguur", "brugfiguren", "gentrificatie", "mechanisme", "hasselnoot", "oostenwind",
                 "genkwijze", "kortrijkse_markt"):
        assert not _names_a_case(word, cases), word


def test_a_word_the_whole_corpus_says_names_no_theme():
    """"steden" in a report about cities: said in half of a small theme's segments and in 40 % of
    all others, it ranks high there (c-TF-IDF) but is no more that theme's than any other's."""
    from collections import Counter

    from pipeline.analysis.themes._model import _over_represented

    theme = [f"t{i}" for i in range(4)]
    others = [f"o{i}" for i in range(100)]
    terms = {"t0": ["stad", "diversiteit"], "t1": ["stad", "diversiteit", "kader"], "t2": ["diversiteit"],
             "t3": ["kader"], **{s: ["stad"] if i % 5 < 2 else ["woning"] for i, s in enumerate(others)}}
    terms["o0"] = ["stad", "diversiteit"]
    said_in = Counter(t for ts in terms.values() for t in set(ts))
    kept = _over_represented(["stad", "diversiteit", "kader"], pd.Series(theme), terms, said_in, len(terms))
    assert kept == ["diversiteit", "kader"]


def test_a_two_word_term_shows_only_when_both_words_are_content():
    """Parliamentary questions: "hoeveel asielzoekers", "opgesplitst per", "graag cijfers" ranked among
    a theme's terms; a question word, a preposition or an adverb names nothing. An adjective the
    tagger reads in a noun phrase does ("sociale tolk")."""
    from pipeline.analysis.themes._model import _subject_terms

    top = ["hoeveel asielzoeker", "opgesplitst per", "graag cijfer", "aantal cijfer", "sociaal tolk", "asielzoeker",
           "cijfer"]
    display = {"hoeveel asielzoeker": "hoeveel asielzoekers", "graag cijfer": "graag cijfers",
               "sociaal tolk": "sociale tolk", "asielzoeker": "asielzoekers", "cijfer": "cijfers"}
    members = pd.Series(["s1", "s2"])
    terms = {"s1": top, "s2": top}
    nouns = {"asielzoeker", "cijfer", "tolk", "aantal"}
    kept = _subject_terms(top, members, terms, pd.Series(["Gent", "Genk"], index=["s1", "s2"]),
                          (nouns, {"sociaal", "hoeveel"}, nouns), {"gent", "genk"}, display)
    assert kept == ["sociaal tolk", "asielzoeker", "cijfer"]



def test_a_word_of_one_fragment_is_not_a_top_term_of_its_theme():
    # the demo showed "neef" and "geformuleerd" among a theme's top terms, each said in one of its
    # 30 fragments: rare elsewhere, they rank high, but they are that fragment's words
    from pipeline.analysis.themes._model import _over_represented
    from collections import Counter

    terms = {"s1": ["woning", "huur", "neef"], "s2": ["woning", "huur"], "s3": ["woning", "wachtlijst"],
             "s4": ["taal", "tolk"], "s5": ["taal", "loket"], "s6": ["school", "ouder"]}
    said_in = Counter(t for seg in terms for t in set(terms[seg]))
    members = pd.Series(["s1", "s2", "s3"])
    assert _over_represented(["neef", "woning", "huur", "wachtlijst"], members, terms, said_in, 6) == ["woning", "huur"]
    # a theme of one fragment keeps its words: there is nothing else to name it by
    assert _over_represented(["neef", "woning"], pd.Series(["s1"]), terms, said_in, 6) == ["neef", "woning"]


def test_a_word_spread_over_the_themes_like_their_sizes_is_the_corpus_frame():
    """"steden" in a report about cities: in nearly every theme, as often as the theme's size has
    it, so no theme's subject; "woning", said in one theme mostly, is."""
    from pipeline.analysis.themes._model import _frame_terms

    themes = [f"T{i % 5}" for i in range(100)]
    terms = {f"s{i}": (["stad"] if i % 2 else []) + (["woning"] if themes[i] == "T0" and i < 60 else [])
             for i in range(100)}
    assigned = pd.DataFrame({"segment_id": list(terms), "theme_id": themes})
    assert _frame_terms(assigned, terms) == {"stad"}
    # too few segments to tell: nothing is frame
    assert _frame_terms(assigned.head(30), terms) == set()


def test_a_rare_adjective_or_verb_is_not_a_top_term():
    """Report rows showed "evident", "gerelateerd", "zinvol", "doorwegen": rare in general Dutch,
    but said of a subject, not naming one. A rare word the tagger reads as a noun ("huurmarkt") is."""
    from pipeline.analysis.themes._model import _subject_terms

    top = ["gerelateerd", "huurmarkt", "evident", "doorwegen", "religie"]
    terms = {"s1": top, "s2": top}
    nouns = {"religie"}
    kept = _subject_terms(top, pd.Series(["s1", "s2"]), terms, pd.Series(["Gent", "Gent"], index=["s1", "s2"]),
                          (nouns, {"gerelateerd"}, nouns | {"huurmarkt"}), {"gent"}, {})
    assert kept == ["huurmarkt", "religie"]


def _tokens(statements: list[str]) -> pd.DataFrame:
    text = "\n\n".join(f"Deelnemer: {s}" for s in statements) + "\n"
    segments = segment(pd.DataFrame([{"doc_id": "d", "text": text, "blocks": [], "page_starts": []}]), SegmentConfig())
    return parse(segments, NlpConfig())[1]


def test_a_verb_the_tagger_sometimes_reads_as_a_noun_is_not_a_top_term():
    """The demo showed "terechtkunnen", "opvangen", "weerspiegelt" among top terms: the tagger read
    them as nouns in some sentences (verb-final clauses), never after an article or preposition.
    A noun keeps its place however often it is misread, and a nominalised infinitive after an
    article or preposition ("het cijfermatige meten", "het belang van meten") stays a noun."""
    from pipeline.analysis.themes import readings_from_tokens
    from pipeline.analysis.themes._model import _read_otherwise

    tokens = _tokens([
        "Veel nieuwkomers weten niet waar ze met hun vragen terechtkunnen.",
        "Het is een plek waar mensen vertrouwelijk terechtkunnen met klachten.",
        "Het loket is er voor burgers die met hun brieven terechtkunnen.",
        "Er is een buurthuis waar ouders met vragen terechtkunnen.",
        "Gezinnen die elders niet meer terechtkunnen, komen bij ons.",
        "Het team moet de gevolgen zo goed mogelijk opvangen.",
        "We hebben dat met het team opgevangen.",
        "De medewerkers kunnen dat niet opvangen.",
        "De tolk vertaalt de brief, want zonder tolk begrijpt de moeder er niets van.",
        "We vragen een tolk aan via de tolkentelefoon.",
        "Het cijfermatige meten van resultaten blijft moeilijk.",
        "De stad erkent het belang van meten.",
        "We moeten meten wat we willen meten.",
    ])
    readings = readings_from_tokens(tokens)
    otherwise = _read_otherwise(readings, {})
    assert readings["terechtkunnen"][1] >= 1 and readings["opvangen"][1] >= 1  # the tagger's slips are there
    assert {"terechtkunnen", "opvangen"} <= otherwise
    assert not {"tolk", "meten", "brief", "buurthuis"} & otherwise
    assert _read_otherwise(readings_from_tokens(tokens.assign(upos="")), {}) == set()  # tagger off: no say


def test_a_two_word_piece_of_a_longer_name_is_not_a_top_term():
    """"stagetraject open" (of "Stagetraject Open Poort") and "dialoogtafel geloof" (of "Dialoogtafel
    Geloof & Werk") were demo top terms: a piece of a name reads as something else. A whole
    two-word name ("Seizoenspunt Kust") and a phrase that opens a sentence stay."""
    from pipeline.analysis.themes import cut_names

    cut = cut_names(_tokens([
        "Via het Stagetraject Open Poort krijgen nieuwkomers een eerste werkervaring.",
        "Het Stagetraject Open Poort loopt al drie jaar in onze stad.",
        "De Dialoogtafel Geloof & Werk brengt werkgevers en moskeeën samen.",
        "We werken samen met het Seizoenspunt Kust in de zomer.",
        "Het Seizoenspunt Kust helpt seizoenarbeiders met hun papieren.",
        "Klare Taal Gent is een project van de stad.",
    ]))
    assert {"stagetraject open", "open poort", "dialoogtafel geloof"} <= cut
    assert not {"seizoenspunt kust", "klare taal", "taal gent"} & cut


def test_a_word_the_tagger_seldom_reads_as_a_noun_is_no_noun_wherever_it_stands():
    """Kamer questions: "uitgesplitst" ("de cijfers, uitgesplitst per gewest") was a top term; of its
    80 tokens the tagger read 2 as nouns, one after a preposition, so the place alone did not tell.
    A noun the tagger reads right nearly always stays, however few its uses ("meten" after an article)."""
    from pipeline.analysis.themes._model import _read_otherwise

    readings = {"uitgesplitst": (80, 2, 1), "geneesmiddel": (160, 156, 120), "meten": (3, 2, 2)}
    assert _read_otherwise(readings, {}) == {"uitgesplitst"}


def test_an_adjective_the_tagger_reads_as_a_noun_is_not_a_top_term():
    """Report rows showed "extern" and "aandachtig" among top terms: the tagger read "zowel intern als
    extern" as nouns. They have an adjective's form (a suffix only adjectives take, or an -e form more
    frequent in general Dutch than the bare word); where such a word stands as a noun ("in het
    secundair", "geen Nederlands") it stays one, and nouns never have that form."""
    from pipeline.analysis.themes import readings_from_tokens
    from pipeline.analysis.themes._model import _adjective_form, _read_otherwise

    tokens = _tokens([
        "Het is belangrijk dat de boodschap zowel intern als extern herhaald wordt.",
        "Er is zowel intern als extern expertise nodig.",
        "In het secundair haken veel jongeren af.",
        "Na het secundair kiezen ze vaak een opleiding in de zorg.",
        "Veel ouders spreken geen Nederlands.",
        "De lessen Nederlands zijn volzet.",
        "De tolk vertaalt de brief voor de moeder.",
    ])
    readings = readings_from_tokens(tokens)
    assert readings["extern"][1] >= 1  # the tagger's slip is there
    otherwise = _read_otherwise(readings, {})
    assert "extern" in otherwise
    assert not {"secundair", "nederlands", "tolk", "brief", "moeder"} & otherwise
    for word in ("aandachtig", "extern", "intern", "kwetsbaar", "eenzaam", "werkloos", "praktisch"):
        assert _adjective_form(word), word
    for word in ("tolk", "woning", "school", "taal", "voertuig", "huwelijk", "energie", "buurt", "opvang"):
        assert not _adjective_form(word), word


def test_a_word_said_in_one_case_only_is_not_a_top_term_of_a_theme_of_several():
    """The demo showed "infopunt", "seizoenspunt kust", "woonkompas" among the top terms of themes of
    ten cities and more: each the project of one city, said in two or three of its segments. Said in
    one case only, in the theme (more than that case's share of it lets chance explain: binomial
    test) and in the whole corpus, a word is that case's; said in two cases, in the theme or
    elsewhere ("schuldbemiddeling"), or in the case most of the theme comes from, it stays."""
    from pipeline.analysis.themes._model import _subject_terms

    cities = ["Gent", "Genk", "Aalst", "Mechelen", "Leuven"]
    members = pd.Series([f"s{i}" for i in range(10)])
    cases = pd.Series([cities[i % 5] for i in range(10)], index=members)
    terms = {s: ["woning", "huurmarkt"] for s in members}
    for s in ("s1", "s6"):  # both Genk's
        terms[s] = terms[s] + ["woonkompas"]
    for s in ("s2", "s3"):  # Aalst and Mechelen
        terms[s] = terms[s] + ["huurwaarborg"]
    for s in ("s0", "s5"):  # both Gent's in this theme, but Aalst raised it in another theme
        terms[s] = terms[s] + ["schuldbemiddeling"]
    terms["elders"] = ["schuldbemiddeling", "budgetbeheer"]
    cases["elders"] = "Aalst"
    top = ["woonkompas", "woning", "huurwaarborg", "schuldbemiddeling", "huurmarkt"]
    nouns = set(top)
    kept = _subject_terms(top, members, terms, cases, (nouns, set(), nouns), {c.lower() for c in cities}, {})
    assert kept == ["woning", "huurwaarborg", "schuldbemiddeling", "huurmarkt"]
    # a theme that is mostly Gent's: Gent's own word names it
    gent = pd.Series(["Gent"] * 8 + ["Genk", "Aalst"] + ["Aalst"], index=[*members, "elders"])
    for s in ("s0", "s2", "s4"):
        terms[s] = terms[s] + ["stadsloket"]
    kept = _subject_terms(["stadsloket", "woning"], members, terms, gent, ({"stadsloket", "woning"}, set(), set()),
                          {"gent", "genk", "aalst"}, {})
    assert kept == ["stadsloket", "woning"]


def test_a_verb_stem_beside_a_subject_pronoun_is_no_noun():
    """Kamer answers: a theme was headed "Verwijs en bevoegdheid" and showed "verwijs" as its first
    top term: the tagger read the first-person stem of "verwijzen" as a noun in "Ik verwijs naar ..."
    and "... verwijs ik naar ...". A word right before or after a pronoun that is only ever a subject
    is the finite verb; the nouns of the same sentences stay."""
    from pipeline.analysis.themes import FILLER, phrases_from_tokens, readings_from_tokens
    from pipeline.analysis.themes._model import _read_otherwise

    tokens = _tokens([
        "Ik verwijs naar mijn antwoord op de schriftelijke vraag over de bevoegdheid van de minister.",
        "Voor de cijfers verwijs ik naar de tabellen in bijlage.",
        "Ik verwijs het geachte lid naar mijn collega, de minister van Justitie.",
        "In dit verband verwijs ik naar het antwoord van de minister van Financien.",
        "Ik verwijs naar de tabel hieronder.",
    ])
    assert (tokens.loc[tokens["text"].str.lower() == "verwijs", "upos"] == "NOUN").sum() >= 3  # the tagger's slip
    assert "verwijs" in _read_otherwise(readings_from_tokens(tokens), {})
    assert not {"antwoord", "minister", "tabel", "bevoegdheid"} & _read_otherwise(readings_from_tokens(tokens), {})
    said = {lemma for ps in phrases_from_tokens(tokens, FILLER).values() for p in ps for lemma in p[0]}
    assert "verwijs" not in said and {"bevoegdheid", "minister", "tabel", "cijfer"} <= said


@pytest.mark.parametrize("place", ["Winterslag", "het Woonkompas"])
def test_a_name_of_one_case_does_not_head_a_theme_of_several(place):
    """Kamer answers: a theme of fifteen ministries about energy and shipping was headed "Elia en
    Europees", Elia being the grid operator only the energy minister's answers name; the demo headed
    a theme of several cities "Brugfiguur ..." beside one city's "Ouderpunt Kiel". A name (written
    with a capital inside a sentence) that is one case's own, as for the top terms, heads no theme
    of several cases."""
    cases = [CITIES[i % 4] for i in range(len(WONEN + TAAL + ONDERWIJS))]
    wonen = [f"{s[:-1]}, zeker met {place} in Genk." if cases[i] == "Genk" else s for i, s in enumerate(WONEN)]
    themes = _describe(wonen + TAAL + ONDERWIJS, cases)
    housing = themes.loc[themes["top_terms"].str.contains("huurmarkt"), "label"].iloc[0]
    assert not {"winterslag", "woonkompas", "genk"} & set(housing.lower().split()), housing
