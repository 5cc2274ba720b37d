"""Theme headings (issue #11 item 5): a short noun phrase from the theme's own segments, no word
twice, the top terms beside it, and the analyst's rename still the last word."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.analysis.themes import (FILLER, ThemeModel, apply_overrides, ctfidf, parse_overrides,
                                      phrases_from_tokens, terms_from_tokens)
from pipeline.analysis.themes._labels import heading
from pipeline.config import EmbedConfig, NlpConfig, SegmentConfig
from pipeline.corpus import segment
from pipeline.language import embed_segments, parse
from pipeline.store import from_result

from .test_cluster import ONDERWIJS, TAAL, WONEN  # the three-theme notes the clustering tests use

# Notes of one theme, as a facilitator types them: the tolk, the budget, the loket.
TOLKEN = [
    "Het tolkenbudget is halverwege het jaar al op, dus de tolken komen niet meer.",
    "Zonder sociaal tolk is een gesprek over schulden onbegonnen werk.",
    "We vragen een sociaal tolk aan via de tolkentelefoon, maar die is vaak bezet.",
    "Tolken en het tolkenbudget zijn het eerste waar op bespaard wordt.",
    "Een sociaal tolk voor het Tigrinya vinden is bijna onmogelijk.",
    "Aan het loket spreken veel bezoekers nauwelijks Nederlands.",
]


def _parsed(texts: list[str]):
    text = "\n\n".join(f"Deelnemer: {s}" for s in texts) + "\n"
    docs = pd.DataFrame([{"doc_id": "d", "text": text, "blocks": [], "page_starts": []}])
    segments = segment(docs, SegmentConfig())
    _, tokens = parse(segments, NlpConfig())
    return segments, tokens


@pytest.fixture(scope="module")
def three_themes():
    segments, tokens = _parsed(WONEN + TAAL + ONDERWIJS)
    sentences, _ = parse(segments, NlpConfig())
    terms, display = terms_from_tokens(tokens)
    return segments, tokens, terms, display, embed_segments(sentences, list(segments["segment_id"]), EmbedConfig())


def _words(label: str) -> list[str]:
    return re.findall(r"\w+", label.lower())


def _said_in(label: str, texts) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(label.lower())}(?!\w)", t.lower()) for t in texts)


def test_heading_is_a_phrase_of_the_themes_own_text_and_holds_its_top_noun():
    segments, tokens = _parsed(TOLKEN)
    terms, display = terms_from_tokens(tokens)
    phrases = phrases_from_tokens(tokens, FILLER)
    ids = list(segments["segment_id"])
    other = [["woning", "huurmarkt", "wachtlijst"], ["school", "leerling", "leerkracht"]]  # two other themes
    ranked = ctfidf([[t for s in ids for t in terms[s]], *other])[0]
    label = heading(ranked, [phrases[s] for s in ids], display)
    assert _said_in(label, segments["text"]), label
    assert "tolk" in _words(label)  # the theme's top noun
    assert len(_words(label)) <= 5 and label[0].isupper()
    assert len(set(_words(label))) == len(_words(label))


def test_phrases_come_from_one_sentence_have_no_repeated_or_filler_word():
    segments, tokens = _parsed(["Elke school heeft een brugfiguur aan de schoolpoort. Scholen en de ouders praten"
                                " weinig. De wachtlijst van de wachtlijst is lang; zaken en dingen blijven liggen. We"
                                " werken met een vaste brugfiguur."])
    found = [surface for ph in phrases_from_tokens(tokens, FILLER).values() for _, _, surface in ph]
    assert "brugfiguur aan de schoolpoort" in found
    assert "scholen en de ouders" in found and "vaste brugfiguur" in found
    assert not any(len(set(_words(f))) < len(_words(f)) for f in found)  # "wachtlijst van de wachtlijst"
    assert not any({"zaken", "dingen", "werken"} & set(_words(f)) for f in found)  # filler; a verb after "we"
    assert not any("schoolpoort scholen" in f for f in found)  # never across a sentence end


def test_describe_heads_every_theme_with_its_own_phrase_and_keeps_the_terms(three_themes):
    segments, tokens, terms, display, vectors = three_themes
    ids = list(segments["segment_id"])
    model = ThemeModel(n_themes=3, outlier_quantile=0.0, random_state=1).fit([terms[i] for i in ids], vectors)
    found = model.assign(ids, [terms[i] for i in ids], vectors)
    themes = model.describe(found, terms, display, pd.Series("Gent", index=ids), phrases_from_tokens(tokens, FILLER))
    text = segments.set_index("segment_id")["text"]
    for row in themes.itertuples():
        own = text[found.loc[found["theme_id"] == row.theme_id, "segment_id"]]
        # a phrase said in the theme, or two of its nouns joined ("Huurmarkt en woningen"), each said there
        assert all(_said_in(part, own) for part in row.label.split(" en ")), (row.label, row.top_terms)
        assert len(set(_words(row.label))) == len(_words(row.label)), row.label
        assert not set(_words(row.label)) & FILLER
        top = [t for t in row.top_terms.split("; ") if t]
        assert len(top) >= 3  # the c-TF-IDF terms stay beside the heading
    assert themes["label"].str.lower().str.contains("woning|huur").any()
    assert themes["label"].str.lower().str.contains("taal|tolk|nederlands").any()


def test_without_pos_tags_the_heading_is_composed_from_two_top_words_once_each():
    display = {"tolk": "tolken", "tolken": "tolken", "budget": "budget", "tolk budget": "tolken budget"}
    label = heading(["tolk budget", "tolk", "tolken", "budget"], [[], []], display)
    assert label == "Tolken en budget"
    assert heading([], [[]], {}) == "(geen kenmerkende woorden)"
    _, tokens = _parsed(TOLKEN[:2])
    assert phrases_from_tokens(tokens.assign(upos=""), FILLER) == {}  # tagger off: no phrases


def test_heading_does_not_depend_on_segment_order():
    segments, tokens = _parsed(TOLKEN)
    terms, display = terms_from_tokens(tokens)
    phrases = phrases_from_tokens(tokens, FILLER)
    ids = list(segments["segment_id"])
    ranked = ctfidf([[t for s in ids for t in terms[s]], ["woning", "woning"]])[0]
    assert heading(ranked, [phrases[s] for s in ids], display) == \
        heading(ranked, [phrases[s] for s in reversed(ids)], display)


def test_the_analysts_rename_wins_over_the_generated_heading(demo_result):
    tables = from_result(demo_result)
    generated = dict(zip(tables.themes["theme_id"], tables.themes["label"]))
    first, second = list(generated)[:2]
    out = apply_overrides(tables, parse_overrides({"rename": {first: "Brugfiguren en scholen"}}))
    labels = dict(zip(out.themes["theme_id"], out.themes["label"]))
    assert labels[first] == "Brugfiguren en scholen" and labels[second] == generated[second]
    assert set(out.segments.loc[out.segments["theme_id"] == first, "theme_label"]) == {"Brugfiguren en scholen"}
    assert " · " not in generated[second]  # a heading now, not three joined terms


def test_a_complex_preposition_is_glue_not_a_heading():
    """"in verhouding tot", "ten opzichte van", "in het kader van": the noun in them is no subject,
    so no heading is made of it; the same nouns elsewhere still are ("de verhouding tussen ...")."""
    from pipeline.analysis.themes._labels import in_complex_preposition

    statements = ["De wachtlijsten zijn niet in verhouding tot het probleem van de huisvesting.",
                  "De middelen voor huisvesting zijn niet in verhouding met de wachtlijsten.",
                  "De wachtlijsten staan niet in verhouding, zeker niet voor huisvesting.",
                  "Ten opzichte van vorig jaar zijn de wachtlijsten voor sociale huisvesting langer.",
                  "In het kader van het woonbeleid blijven de wachtlijsten voor huisvesting lang.",
                  "De verhouding tussen ouders en school is goed."]
    _, tokens = _parsed(statements)
    glue = tokens.loc[in_complex_preposition(tokens), "text"].str.lower().tolist()
    assert glue == ["verhouding", "verhouding", "verhouding", "opzichte", "kader"]
    seg = tokens.groupby("segment_id")["text"].agg(" ".join)
    phrases = phrases_from_tokens(tokens)
    said = {lemma for s, ps in phrases.items() if "tussen" not in seg[s] for p in ps for lemma in p[0]}
    assert not said & {"verhouding", "opzichte", "opzicht", "kader"} and "wachtlijst" in said
    assert any("verhouding" in p[0] for s, ps in phrases.items() if "tussen" in seg[s] for p in ps)
    heads = heading(["verhouding", "wachtlijst", "huisvesting", "probleem"],
                    [p for s, p in phrases.items() if "tussen" not in seg[s]], {})
    assert "verhouding" not in heads.lower() and "wachtlijst" in heads.lower()


def test_a_predicate_the_tagger_read_as_a_noun_heads_nothing():
    """"is niet evident": in the report the tagger reads "evident" as a noun, and a theme was headed
    "Evident". A word that mostly stands right after an adverb is an adjective in Dutch."""
    from pipeline.analysis.themes._labels import predicative

    statements = ["Werken met tolken is niet evident in de hulpverlening.",
                  "Een tolk vinden is niet altijd even evident voor de hulpverlening.",
                  "Het is niet evident om de tolk op tijd te boeken.",
                  "De hulpverlening werkt met een tolk via de tolkentelefoon."]
    _, tokens = _parsed(statements)
    assert set(tokens.loc[tokens["text"] == "evident", "upos"]) == {"NOUN"}  # the tagger's reading
    assert tokens.loc[predicative(tokens), "text"].tolist() == ["evident"] * 3
    heads = heading(["evident", "tolk", "hulpverlening"], list(phrases_from_tokens(tokens).values()), {})
    assert heads.lower() != "evident" and ("tolk" in heads.lower() or "hulpverlening" in heads.lower())


def test_a_noun_the_tagger_read_as_a_verb_after_an_article_or_preposition_heads_its_theme():
    """Report rows at k = 20: a theme about interpreters was headed "Bezorgdheid en taal". The tagger
    reads "tolken" (plural of "tolk") as a verb after "van" and "het", where Dutch puts only nouns; a
    preposition split from its R-pronoun ("er voor zorgen") is the verb's, and a nominalised infinitive
    ("het opsporen") stays what is done."""
    from pipeline.analysis.themes._labels import misread_plurals

    statements = ["De belangrijke rol van tolken wordt vaak aangegeven.",
                  "Werken met tolken vraagt tijd en is niet evident.",
                  "Er is grote bezorgdheid over het tolken budget.",
                  "Taal is een grote drempel en er is bezorgdheid over de wachttijden.",
                  "Men moet er voor zorgen dat de manieren van werken duidelijk zijn.",
                  "Het opsporen van drempels vraagt tijd."]
    _, tokens = _parsed(statements)
    assert tokens.loc[tokens["text"] == "opsporen", "upos"].tolist() == ["VERB"]
    assert set(tokens.loc[tokens["lemma"] == "tolken", "upos"]) == {"VERB"}  # the tagger's reading
    assert tokens.loc[misread_plurals(tokens) != "", "text"].tolist() == ["tolken", "tolken"]
    heads = heading(["tolken", "bezorgdheid", "taal"], list(phrases_from_tokens(tokens, FILLER).values()), {})
    assert "tolken" in heads.lower()


def test_a_vague_determiner_is_never_part_of_a_heading():
    # the demo had a theme headed "Kinderen in sommige scholen": "sommige" says nothing of the theme
    _, tokens = _parsed(["Kinderen in sommige scholen komen zonder ontbijt naar de klas.",
                         "Kinderen in bepaalde scholen hebben geen turnzak."])
    said = {surface for found in phrases_from_tokens(tokens).values() for _, _, surface in found}
    assert "Kinderen" in {s.capitalize() for s in said} and not any("sommige" in s or "bepaalde" in s for s in said)


def test_a_noun_after_ten_or_ter_is_glue():
    """Parliamentary questions had a theme headed "Kostprijs ten laste" and one "Aanbevelingen ter
    attentie": "ten" and "ter" live on only in fixed expressions, whatever noun follows them."""
    from pipeline.analysis.themes._labels import in_complex_preposition

    _, tokens = _parsed(["De kostprijs van de dienstreizen valt ten laste van de federale overheid.",
                         "De aanbevelingen ter attentie van de minister blijven liggen.",
                         "De laste kosten en de attentie voor de kostprijs zijn bekend."])
    glue = tokens.loc[in_complex_preposition(tokens), "text"].str.lower().tolist()
    assert glue == ["laste", "attentie"]
    said = {lemma for ps in phrases_from_tokens(tokens).values() for p in ps for lemma in p[0]}
    assert "kostprijs" in said and "aanbeveling" in said


def test_a_one_word_heading_takes_the_noun_said_in_more_of_the_theme():
    """Report rows: a theme about religion was headed "Meerwaarde", its first-ranked noun (rare in
    general Dutch) said in two segments, while "religie" was said in three."""
    meerwaarde, religie = (("meerwaarde",), "N", "meerwaarde"), (("religie",), "N", "religie")
    phrases = [[meerwaarde], [meerwaarde, religie], [religie], [religie]]
    assert heading(["meerwaarde", "religie"], phrases, {}) == "Meerwaarde en religie"
    # said as widely, the first-ranked noun heads alone
    assert heading(["meerwaarde", "religie"], phrases[:3], {}) == "Meerwaarde"


def test_a_preposition_s_object_is_not_cut_from_its_coordination():
    """The demo headed a theme "Casusoverleg tussen OCMW" from "een casusoverleg tussen OCMW, CAW en
    de mutualiteit": half of a list. A two-part object is taken whole; a longer list stops the
    phrase before the preposition."""
    _, tokens = _parsed(["We hebben een casusoverleg tussen OCMW en CAW opgestart.",
                         "Er is een wekelijks overleg tussen OCMW, CAW en de mutualiteit.",
                         "Aanwerving van leerkrachten met een migratieachtergrond, de inzet van brugfiguren."])
    found = [surface for ph in phrases_from_tokens(tokens, FILLER).values() for _, _, surface in ph]
    assert "casusoverleg tussen OCMW en CAW" in found and "casusoverleg tussen OCMW" not in found
    assert "wekelijks overleg" in found and not any(f.endswith("tussen OCMW") for f in found)
    # a comma before a new item of a higher list ("de inzet van ...") does not cut the phrase
    assert "leerkrachten met een migratieachtergrond" in found


def test_a_list_of_three_whose_nouns_recur_in_the_theme_heads_it():
    """Report rows: a theme about the energy, time and money that run out was headed "Energie", a
    theme about systems and protocols "Procedures en protocollen"; the report says "energie, tijd en
    geld". A list of three heads when each of its nouns is among the theme's ranked terms; a list
    whose nouns the theme does not share is one speaker's enumeration, and a piece of a longer list
    is no phrase at all."""
    _, tokens = _parsed([
        "Het ontbreekt de medewerkers aan energie, tijd en geld om nieuwe projecten op te zetten.",
        "Geld en tijd raken op, zeker bij kleine organisaties.",
        "De energie zakt weg als niemand het overneemt.",
        "Er zijn tolken, brugfiguren, leerkrachten en ouders betrokken.",
    ])
    phrases = list(phrases_from_tokens(tokens, FILLER).values())
    found = [surface for ph in phrases for _, _, surface in ph]
    assert "energie, tijd en geld" in found
    assert not any("," in f for f in found if "tolken" in f or "leerkrachten" in f), found
    assert heading(["energie", "geld", "tijd", "organisatie"], phrases[:3], {}) == "Energie, tijd en geld"
    # "tijd" is not the theme's: the list does not head it
    assert "," not in heading(["energie", "geld", "organisatie"], phrases[:3], {})


def test_a_heading_joins_a_noun_not_the_adjective_of_a_name():
    """Kamer answers: a theme about energy and shipping was headed "Elia en Europees": "Europees",
    which the tagger reads as a proper noun inside "Europees Parlement" and "Europees Hof", was
    joined to the one-word heading as if it were a noun. A word that mostly stands before another
    noun of its name is that name's modifier; the noun said in more of the theme joins instead."""
    def seg(*found):
        return list(found)
    elia, schip = (("elia",), "M", "Elia"), (("schip",), "N", "schepen")
    parlement = [(("europees", "parlement"), "MM", "Europees Parlement"), (("parlement",), "M", "Parlement")]
    hof = [(("europees", "hof"), "MM", "Europees Hof"), (("hof",), "M", "Hof")]
    europees = (("europees",), "M", "Europees")  # "het Europees recht", read PROPN NOUN once
    phrases = [seg(elia), seg(elia, schip), seg(schip), seg(schip, *parlement), seg(*parlement), seg(*hof),
               seg(europees)]
    heads = heading(["elia", "europees", "schip", "uitstoot"], phrases, {})
    assert "europees" not in heads.lower() and heads == "Elia en schepen"


def test_a_phrase_whose_noun_the_readings_deny_heads_nothing():
    """Kamer answers: "Internationale humanitair" headed a theme: in "het internationale humanitair
    recht" the tagger read "humanitair" as a noun once in 64 uses (3 noun readings, `_read_otherwise`
    says no noun), which cut the phrase before its noun. Such phrases are left out; the whole phrase
    heads."""
    from pipeline.analysis.themes._model import _as_read, _read_otherwise

    slip = (("internationaal", "humanitair"), "AN", "internationale humanitair")
    whole = (("internationaal", "humanitair", "recht"), "AAN", "internationaal humanitair recht")
    phrases = [[slip, whole], [whole], [(("lidstaat",), "N", "lidstaten")]]
    ranked = ["humanitair", "internationaal", "recht", "lidstaat"]
    otherwise = _read_otherwise({"humanitair": (64, 3, 2, 0), "recht": (90, 88, 80, 0)}, {})
    assert otherwise == {"humanitair"}
    assert heading(ranked, [_as_read(p, otherwise) for p in phrases], {}) == "Internationaal humanitair recht"


def test_a_unit_heads_a_theme_only_when_nothing_else_can():
    """Kamer answers: a theme of budgets and trade figures was headed "Euro". A noun said after a
    numeral in most of its uses ("16 miljard euro", "3 procent") measures; it neither anchors the
    heading nor heads alone while a phrase with another of the theme's words can."""
    from pipeline.analysis.themes import readings_from_tokens
    from pipeline.analysis.themes._labels import units

    _, tokens = _parsed([
        "Het tekort op de handelsbalans bedroeg in 2016 ongeveer 16 miljard euro.",
        "De export naar Brazilie steeg met 250 miljoen euro, maar het tekort op de handelsbalans bleef.",
        "Het structureel tekort van de begroting wordt geraamd op 1,2 miljard euro.",
        "De kosten van de receptie bedroegen 43.876 euro.",
        "De handelsbalans met Brazilie is al jaren negatief.",
        "Een euro is vandaag minder waard dan toen.",
    ])
    weak = units(readings_from_tokens(tokens))
    assert {"euro", "miljard"} <= weak and not {"tekort", "handelsbalans", "export", "kosten", "kost"} & weak
    phrases = list(phrases_from_tokens(tokens, FILLER).values())
    ranked = ["miljoen euro", "euro", "miljoen", "tekort", "handelsbalans", "export"]
    assert heading(ranked, phrases, {}) == "Euro"  # what the theme was headed without the units
    heads = heading(ranked, phrases, {}, weak)
    assert heads != "Euro" and "tekort" in heads.lower()


def test_a_theme_of_one_text_repeated_across_cases_is_marked_as_a_standard_text():
    """Kamer answers: a theme of 70 answers from 16 ministries was headed "Griffie van de Kamer": each
    answer is the same procedural sentence. Segments that share most of their words with one
    another across cases are one text repeated, and the heading says so; a theme of different
    statements on one subject is not marked."""
    from pipeline.analysis.themes._model import _standard

    copy = ("Het antwoord op deze vraag is het geachte Kamerlid rechtstreeks toegestuurd. Gelet op het louter "
            "documentaire karakter ervan, werd het bij de Griffie van de Kamer ingediend{}.")
    copies = [copy.format(tail) for tail in ("", "", " als bijlage", "", " onder nummer 12", "")]
    segments, tokens = _parsed(copies + WONEN[:6])
    terms, _ = terms_from_tokens(tokens)
    ids = list(segments["segment_id"])
    cases = pd.Series(["Financien", "Justitie", "Defensie"] * 4, index=ids)
    assert _standard("Griffie van de Kamer", pd.Series(ids[:6]), terms, cases) == "Griffie van de Kamer (standaardtekst)"
    assert _standard("Sociale woningen", pd.Series(ids[6:]), terms, cases) == "Sociale woningen"


def test_word_readings_do_not_depend_on_the_tokens_column_types():
    """A run with `privacy.keep_persons` parsed into nullable string columns, and the readings failed
    on the <NA> that a shift leaves at the first token ("cannot convert NA to integer")."""
    from pipeline.analysis.themes import readings_from_tokens

    _, tokens = _parsed([
        "Ik verwijs naar het antwoord van de minister op de vraag over de 16 miljard euro.",
        "De ouders verstaan de brieven van de school niet en er is geen tolk.",
    ])
    nullable = tokens.convert_dtypes()
    assert (nullable["upos"].dtype.name, nullable["sent"].dtype.name) == ("string", "Int64")
    assert readings_from_tokens(nullable) == readings_from_tokens(tokens) != {}


SOCIALE_DUMPING = [
    "De strijd tegen de sociale dumping blijft een prioriteit van de regering.",
    "De RSZ controleert of de werknemers correct aangegeven worden.",
    "In de bouwsector zijn de gevolgen van sociale dumping het grootst voor de Belgische werknemers.",
    "De sociale inspectiediensten voerden vorig jaar meer controles uit op sociale dumping.",
    "Het aantal klachten van werknemers over onderbetaling steeg.",
    "Buitenlandse onderaannemers ontduiken via sociale dumping de Belgische loonvoorwaarden.",
    "De RSZ ontving 120 meldingen, waarvan de meeste van werknemers zelf.",
    "Werknemers kunnen een klacht indienen bij het meldpunt.",
]


def test_a_recurring_distinctive_term_heads_rather_than_two_frequent_nouns():
    """Kamer answers: a theme on social dumping was headed "RSZ en werknemers": "RSZ", its first
    noun, was joined by "werknemers", said in more of its answers, while "sociale dumping" (a pair
    the ranking holds as a term of its own, said in half of them) went unused. A phrase of several
    words that is itself a distinctive term and recurs heads the theme; said once, it does not."""
    _, tokens = _parsed(SOCIALE_DUMPING)
    phrases = list(phrases_from_tokens(tokens, FILLER).values())
    ranked = ["sociaal", "rsz", "werknemer", "klacht", "dumping", "sociaal dumping", "inspectiedienst"]
    assert heading(ranked, phrases, {}) == "Sociale dumping"
    # the term said in one answer only is no heading: the nouns the theme shares are
    once = [p for i, p in enumerate(phrases) if i not in (2, 3, 5)]
    assert heading(ranked, once, {}).lower() != "sociale dumping"
    # a pair the ranking does not hold as a term leaves the heading as it was
    assert "rsz" in heading([t for t in ranked if t != "sociaal dumping"], phrases, {}).lower()


# A committee's questions as the Chamber prints them: the members address the minister of Defence
# on the frigates, the state secretary on asylum shelter, each turn opening with its vocative.
COMMISSIE = [
    "Mijnheer de minister, de bouw van de nieuwe fregatten voor de marine loopt opnieuw vertraging op. Wanneer"
    " liggen de schepen in het water?",
    "Mijnheer de minister, de fregatten worden samen met Nederland gebouwd. Wie draagt de meerkost van de vertraging?",
    "Mijnheer de minister, de marine heeft na de vertraging van de fregatten te weinig schepen om de Noordzee te"
    " bewaken.",
    "Mijnheer de minister, hoeveel kost het onderhoud van de oude fregatten tot de nieuwe schepen er zijn?",
    "Mevrouw de staatssecretaris, het aanmeldcentrum voor asielzoekers zit vol en verzoekers slapen op straat.",
    "Mevrouw de staatssecretaris, hoeveel opvangplaatsen voor asielzoekers komen er deze winter bij?",
    "Mevrouw de staatssecretaris, gezinnen met kinderen wachten weken op een plaats in de opvang van Fedasil.",
    "Mevrouw de staatssecretaris, de opvangcentra voor asielzoekers vragen al maanden meer personeel.",
]


def _two_themes(texts: list[str], case: str, readings: bool = False):
    """Two themes of `texts` as a run fits and describes them; (themes, content terms per segment)."""
    from pipeline.analysis.themes import readings_from_tokens

    segments, tokens = _parsed(texts)
    sentences, _ = parse(segments, NlpConfig())
    terms, display = terms_from_tokens(tokens)
    ids = list(segments["segment_id"])
    vectors = embed_segments(sentences, ids, EmbedConfig())
    model = ThemeModel(n_themes=2, random_state=1).fit([terms[i] for i in ids], vectors)
    found = model.assign(ids, [terms[i] for i in ids], vectors)
    themes = model.describe(found, terms, display, pd.Series(case, index=ids), phrases_from_tokens(tokens, FILLER),
                            *([readings_from_tokens(tokens)] if readings else []))
    return themes, terms


def _shown(themes: pd.DataFrame) -> set[str]:
    return {w for row in themes.itertuples() for w in _words(row.top_terms) + _words(row.label)}


def test_a_title_the_members_address_is_no_top_term_nor_heading():
    # issue #22: top terms are never a form of address; the corpus's vocatives say which titles are
    themes, _ = _two_themes(COMMISSIE, "commissie")
    shown = _shown(themes)
    assert not shown & {"minister", "staatssecretaris"}, themes[["label", "top_terms"]]
    assert {"fregatten", "asielzoekers"} <= shown  # the subjects stay


# Written answers of ministers to members of parliament, as the Chamber publishes them: the answers
# on the railways address the member in the third person ("het geachte lid", "het geachte Kamerlid"),
# those on asylum do not.
SCHRIFTELIJKE_ANTWOORDEN = [
    "Ik kan het geachte lid meedelen dat de NMBS in 2017 op de lijn Brussel-Luxemburg extra treinen inzet.",
    "Ik verwijs het geachte lid naar de stiptheidscijfers van Infrabel: de treinen op lijn 161 rijden vaker te laat.",
    "Het geachte lid vraagt naar de perrons van het station van Ottignies; Infrabel vernieuwt ze in 2018.",
    "Zoals het geachte lid weet, sluit de NMBS de loketten van kleine stations waar weinig reizigers een ticket kopen.",
    "De toegankelijkheid van de stations voor reizigers met een beperking is voor de NMBS een prioriteit, zoals"
    " ik het geachte Kamerlid eerder antwoordde.",
    "Het antwoord op de vraag over de vertraagde treinen is het geachte Kamerlid rechtstreeks toegestuurd.",
    "Fedasil opent deze winter tweehonderd extra opvangplaatsen voor asielzoekers in collectieve opvangcentra.",
    "Het aantal asielaanvragen is in 2017 gedaald, zodat de opvangcentra van Fedasil minder vol zitten.",
    "Alleenstaande minderjarige asielzoekers worden in de eerste weken opgevangen in een observatiecentrum.",
    "De lokale opvanginitiatieven van de OCMW's bieden asielzoekers een woning in plaats van een opvangcentrum.",
    "De Dienst Vreemdelingenzaken behandelt een asielaanvraag gemiddeld binnen zes maanden.",
    "Erkende vluchtelingen moeten de opvangcentra binnen twee maanden verlaten en zoeken dan een woning.",
]


def test_the_member_a_written_answer_addresses_is_no_top_term():
    # issue #22: top terms are never a form of address. Written answers address the member in the third
    # person after an honorific ("het geachte lid"); which nouns follow it is learnt from the corpus.
    themes, terms = _two_themes(SCHRIFTELIJKE_ANTWOORDEN, "kamer")
    assert not any(w in {"lid", "kamerlid", "achten", "geacht"} for ts in terms.values() for t in ts for w in t.split())
    shown = _shown(themes)
    assert not shown & {"lid", "kamerlid"}, themes[["label", "top_terms"]]
    assert {"nmbs", "asielzoekers"} <= shown  # the subjects stay


# Written questions to the ministers, as the Chamber publishes them: a question sent to every minister
# about consultants ("de daaronder ressorterende FOD's"), and questions about the railways.
SCHRIFTELIJKE_VRAGEN = [
    "De regering en de daaronder ressorterende FOD's doen regelmatig een beroep op consultancybureaus.",
    "Hoeveel heeft uw beleidscel en de daaronder ressorterende administratie in 2016 aan consultancybureaus"
    " uitgegeven?",
    "Welke consultancybureaus werden door de daaronder ressorterende diensten ingeschakeld, en voor welke opdracht?",
    "Werden de opdrachten aan consultancybureaus en advocatenkantoren door de daaronder ressorterende FOD's"
    " via een selectieprocedure gegund?",
    "Hoeveel treinen van de NMBS reden in 2016 met meer dan vijftien minuten vertraging op lijn 161?",
    "Infrabel vernieuwt de perrons van het station van Ottignies; wanneer zijn de werken klaar?",
    "Hoeveel reizigers stappen dagelijks op in het station van Gembloux, en rijden er extra treinen?",
    "Waarom sluit de NMBS de loketten in kleine stations waar reizigers nog een ticket kopen?",
]


def test_a_pronominal_adverb_the_tagger_reads_as_a_noun_is_no_top_term():
    # issue #22: top terms are never filler. "daaronder", "hierboven", "waarnaar": a pointing word of the
    # grammar (an r-pronoun and a preposition), which the tagger reads as a noun after an article.
    themes, _ = _two_themes(SCHRIFTELIJKE_VRAGEN, "kamer", readings=True)
    shown = _shown(themes)
    assert "daaronder" not in shown, themes[["label", "top_terms"]]
    assert {"consultancybureaus", "nmbs"} <= shown  # the subjects stay


# Notes of a conversation table where the participants keep pointing back with shell nouns ("die
# situatie", "die kwestie"): what they point at is the subject, not the pointer.
SCHILNAAMWOORDEN = [
    "De wachtlijsten in de geestelijke gezondheidszorg zijn lang; in die situatie blijven mensen maanden wachten.",
    "Die situatie met de wachtlijsten kennen we: een psycholoog vinden duurt soms een half jaar.",
    "In die situatie verwijzen we naar het CAW, want de wachtlijsten bij de psychiater zijn te lang.",
    "De situatie verslechtert: jongeren met psychische problemen komen op wachtlijsten terecht.",
    "Het thema van de wachtlijsten komt elke keer terug; de situatie voor psychologische hulp blijft moeilijk.",
    "De kwestie van de tolken blijft: de sociale dienst heeft geen budget voor een tolk.",
    "Die kwestie hebben we aangekaart, want zonder tolk begrijpt de cliënt de brief van het OCMW niet.",
    "Een element in die kwestie is de prijs: de tolkentelefoon kost veel voor het OCMW.",
    "Het thema tolken kwam aan bod; het budget voor tolken is op in het najaar.",
    "Een ander element is dat de tolk vaak te laat komt op de afspraak bij de sociale dienst.",
]


def test_a_shell_noun_is_no_top_term_nor_heading():
    # issue #22: top terms name the subject; "situatie", "kwestie", "thema", "element" point at one.
    themes, _ = _two_themes(SCHILNAAMWOORDEN, "gesprekstafel")
    shown = _shown(themes)
    assert not shown & {"situatie", "situaties", "kwestie", "thema", "element"}, themes[["label", "top_terms"]]
    assert {"wachtlijsten", "tolk"} & shown  # the subjects stay


def test_a_list_whose_nouns_the_theme_says_more_widely_heads_rather_than_its_rarest_noun():
    """Report rows at k = 20: a theme of what things cost and of language barriers was headed
    "Taalbegrip en energie": "taalbegrip", first for its rarity in general Dutch, is said in 2 of its
    12 segments, while the report's own list "energie, tijd en geld" names what 5 of them say. A list
    whose nouns are said more widely than the anchored heading heads the theme; not one that covers
    the theme only through one word the whole theme says ("scholen")."""
    _, tokens = _parsed([
        "Dienstverleners zouden meer ondersteund moeten worden waar er weinig taalbegrip is.",
        "Ook is er een gebrek aan kader waar er geen taalbegrip is.",
        "Dit kost weliswaar veel energie, tijd en geld.",
        "Werken met tolken vraagt moeite en kost tijd én geld.",
        "Tijdsgebrek speelt een rol, net zoals de energie die de vertaalslag kost.",
        "Er is de vrees dat hier veel tijd in kruipt.",
        "Een cultuuromslag vraagt veel tijd, energie en durf.",
    ])
    phrases = list(phrases_from_tokens(tokens, FILLER).values())
    ranked = ["taalbegrip", "energie", "kader", "geld", "tijd"]
    assert heading(ranked, phrases, {}) == "Energie, tijd en geld"
    # the nouns of the list said in no more segments than the anchor: the anchor heads
    assert heading(ranked, phrases[:3], {}).startswith("Taalbegrip")
    _, tokens = _parsed([
        "De leerkrachten spreken de thuistaal van de kinderen niet op school.",
        "Leerkrachten op school vragen hulp bij de thuistaal van ouders.",
        "Op school is er een tekort aan leerkrachten.",
        "We werken samen met scholen, gemeenschapscentra en welzijnsvoorzieningen.",
        "De school zoekt een brugfiguur.",
    ])
    phrases = list(phrases_from_tokens(tokens, FILLER).values())
    ranked = ["thuistaal", "leerkracht", "gemeenschapscentrum", "welzijnsvoorziening", "school"]
    assert "," not in heading(ranked, phrases, {})


# Single statements of the Stadsgenoten report that the themes of single statements gather because each
# calls something difficult: the heading was "Gesprekspartners", said in 2 of 23 of them.
MOEILIJK = [
    "Heel wat systemen zijn volgens verschillende gesprekspartners niet meer van deze tijd en moeilijk werkbaar.",
    "Sleutelen aan systemen is moeilijk.",
    "Het is volgens verschillende gesprekspartners zeer moeilijk om uit de armoede te geraken.",
    "Communiceren wanneer je elkaars taal niet spreekt is moeilijk.",
    "Voor een stad is het moeilijk om zeer flexibel en snel hulp met weinig voorwaarden te bieden.",
    "Doorgroeien lijkt moeilijk, ook binnen de eigen stadsorganisatie.",
    "Voor sommige mensen is het nog moeilijker om een woning te vinden.",
    "Visie blijkt cruciaal op moeilijke momenten.",
    "Veel voorwaarden en vereisten maken werken moeilijk.",
]


def test_a_theme_of_statements_that_call_many_things_difficult_says_so_rather_than_name_two():
    from pipeline.analysis.themes._model import _predicate

    segments, tokens = _parsed(MOEILIJK)
    terms, display = terms_from_tokens(tokens)
    found = phrases_from_tokens(tokens, FILLER)
    ids = list(segments["segment_id"])
    said = [found.get(s, []) for s in ids]
    nouns = {w for p in found.values() for lemmas, kinds, _ in p for w, k in zip(lemmas, kinds) if k in "NM"}
    ranked = ["moeilijk", "gesprekspartner", "systeem", "voorwaarde", "taal"]
    shared = _predicate(ranked, pd.Series(ids), terms, said, nouns)
    assert shared is not None and shared[0] == "moeilijk" and shared[1] >= 8, shared
    # ranked below a noun, the predicate is said of that noun's subject
    assert _predicate(["systeem", "moeilijk"], pd.Series(ids), terms, said, nouns) is None
    assert heading(ranked, said, display, shared=shared) == "Moeilijk (uiteenlopende onderwerpen)"
    assert heading(ranked, said, display) == "Gesprekspartners"  # without the predicate: 2 of 9
    # a noun said in more than a third of the statements still heads them (2 of 4)
    assert heading(ranked, said[:4], display, shared=("moeilijk", 4)) == "Gesprekspartners"
    # an adjective said inside the theme's noun phrases names its subject ("klare taal"): no predicate
    segments, tokens = _parsed(["De stad schrijft haar brieven in klare taal.", "Klare taal helpt nieuwkomers.",
                                "Een folder in klare taal is niet genoeg.", "Ook vacatureteksten vragen klare taal."])
    terms, display = terms_from_tokens(tokens)
    found = phrases_from_tokens(tokens, FILLER)
    ids = list(segments["segment_id"])
    assert _predicate(["klaar", "taal", "brief"], pd.Series(ids), terms, [found.get(s, []) for s in ids], {"taal"}) is None
