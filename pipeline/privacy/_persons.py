"""Find person names in Dutch (Flemish) interview and meeting notes.

Public API::

    find_persons(text, declared=()) -> list[PersonSpan]

Nothing here touches the network and nothing is downloaded: every resource is
written in this module or read from an installed package (``faker`` for name
and place lists, ``simplemma`` for the Dutch/English lexicon).

How it works
------------
There is no freely licensed modern Dutch NER training set, so this is a
transparent combination of four kinds of evidence:

1. **Declared names** (source ``"declared"``): the participants and
   facilitators a manifest lists.  A declared full name is matched wherever it
   occurs (diacritic- and case-insensitively, but every name word except a
   particle must start with a capital, so the flower *roos* never matches
   *Roos Peeters*).  Its parts are matched too when they point to a single
   declared person: the surname alone ("De Bruyne", "D'Hondt") and the first
   name alone ("Nadia").  Titles ("mevrouw Yilmaz") stay outside the span.

2. **Orthography** (source ``"rule"``): Dutch writes common nouns in lower
   case, so a capitalised word that is not the first word of a sentence is a
   proper name.  That is the strongest single signal, and it is why the hard
   cases are the *first word of a sentence* and the proper names that are not
   persons: cities, streets, organisations, projects, nationalities.

3. **Name and place lists** (source ``"list"`` when a list carried the
   decision): first names and surnames from Faker (MIT licence; Belgian,
   Dutch, French, Algerian, Turkish, Slavic, African, South-Asian ...
   locales), plus a short curated list of frequent Maghreb, Turkish, Afghan,
   Somali, Eritrean, Congolese, West-African and Eastern-European names in the
   spellings used in Flanders.  Faker's lists of Belgian and Dutch
   municipalities and of countries are the place gazetteer.  The lexicon of
   *simplemma* (MIT) says whether a word is an ordinary Dutch (or English)
   word: a name that is also a common word ("Roos", "Hoop", "Mark", "Storm")
   needs more context than one that is not ("Sofie").

4. **Context rules**: titles ("mevrouw", "dhr.", "juf"), speaker labels at the
   start of a line ("Nadia: ..."), attendance lists ("Aanwezig: ..."), speech
   and cognition verbs after a name ("Els zegt dat ..."), apposition to an
   organisation ("Anouk van het CAW", "Sofie Vermeulen (OCMW)"), and
   coordination with a name already found ("Aziz en Zeynep").

Each capitalised chunk gets a score from these signals (see
``_score_chunk``); chunks scoring at least ``THRESHOLD`` are persons.  Vetoes
(acronyms, street/organisation compounds, nationality adjectives, project
nouns in front) are applied first.

Spans cover the name only: no title, no genitive ending ("Ahmeds collega"
gives the span "Ahmed", "Fatima's voorstel" the span "Fatima").

No statistical model is used: without real annotated Dutch notes a model could
only be trained on sentences generated from these same rules and lists, and
would learn nothing they do not already encode.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

__all__ = ["PersonSpan", "find_persons", "THRESHOLD", "is_place", "TITLES", "PARTICLES"]


@dataclass(frozen=True, order=True)
class PersonSpan:
    """A person-name mention: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str
    source: str  # "declared" | "rule" | "list"


#: Minimum score for a capitalised chunk to count as a person name.
THRESHOLD = 2.0

# ---------------------------------------------------------------------------
# Character folding: one character in, one character out, so that offsets in
# the folded text are offsets in the original.  Used to match "Yilmaz" with
# "Yılmaz" and "Ozturk" with "Öztürk".
# ---------------------------------------------------------------------------


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    table.update({ord("ı"): "i", ord("İ"): "I", ord("ø"): "o", ord("Ø"): "O", ord("ł"): "l",
                  ord("Ł"): "L", ord("đ"): "d", ord("Đ"): "D", ord("ß"): "s", ord("æ"): "a",
                  ord("Æ"): "A", ord("œ"): "o", ord("Œ"): "O", ord("’"): "'", ord("‘"): "'",
                  ord("ʼ"): "'", ord("`"): "'"})
    return table


_FOLD = _build_fold_table()


def _fold(s: str) -> str:
    return s.translate(_FOLD)


def _key(word: str) -> str:
    """Lookup key for the lists: folded and lower-cased ("Yılmaz" -> "yilmaz")."""
    return _fold(word).lower()


# ---------------------------------------------------------------------------
# Word lists written here.  General knowledge of Dutch and of names in
# Flanders; nothing is taken from the benchmark sentences.
# ---------------------------------------------------------------------------

# Frequent first names of communities in Belgium that Faker's locales cover
# thinly, in the French-influenced Latin spellings used in Flanders.
_EXTRA_FIRST = """
Abdel Abdelaziz Abdelhak Abdelilah Abdelkader Abdelkrim Abdellah Abdellatif Abdeslam Abderrahim
Abderrahman Abdou Abdul Abdullah Abdullahi Adil Adnan Ahlam Ahmad Ahmed Ahmet Aicha Aïcha Aisha
Ali Amal Amina Amine Amir Amira Anas Anass Anissa Asma Assia Ayoub Ayman Aziz Aziza Bilal Bouchra
Brahim Chaima Chaimae Dounia Driss Fadoua Fadwa Farid Farida Fatiha Fatima Fatma Fouad Ghizlane
Habib Hafsa Hajar Hakim Hakima Halima Hamid Hamza Hanan Hanane Hassan Hasna Hicham Hind Houda
Hussein Ibrahim Ikram Ilham Ilias Ilyas Imane Imran Ines Ismael Ismaël Ismail Issam Jamal Jamila
Jawad Kamal Karim Karima Kaoutar Kawtar Khadija Khalid Khaled Laila Latifa Leila Loubna Lamia
Mahmoud Malika Malak Marouane Marwa Marwan Meryem Meriem Mimoun Mohamed Mohammed Mohammad
Mostafa Mounir Mourad Mouna Mustafa Mustapha Nabil Nabila Nadia Nadir Naima Najat Najib Nassim
Nawal Nisrine Noor Nora Noura Nour Noureddine Omar Othman Oussama Rachid Rachida Rania Rayan
Redouane Reda Rida Sabah Sabrina Safae Safia Said Saïd Saida Salah Salma Sami Samia Samir Samira
Sanae Sara Sarah Siham Sofiane Soufiane Souad Soumaya Tarik Tariq Taoufik Touria Wafa Walid
Widad Yahya Yamina Yasmina Yasmine Yassin Yassine Yasser Younes Youness Youssef Yousra Yusuf
Zakaria Zainab Zeinab Zineb Zohra Zouhair Jalal Nordin Mehdi Mahdi Hasan Hüseyin Huseyin Hatice
Ayşe Ayse Emine Elif Zeynep Fadime Sevgi Selin Gül Gülsen Nur Nuray Özlem Esra Ebru Derya Deniz
Dilek Songül Serpil Tülay Yasemin Büşra Merve Kübra Hülya Filiz Aysel Leyla Meltem Melek Canan
Gizem Seda Mehmet Murat Emre Burak Serkan Gökhan Volkan Hakan Erkan Orhan Osman Kemal Cem Kaan
Mert Kerem Baran Yunus Ömer Halil İbrahim Recep Ramazan Metin Necati Fikret Erdal Erol Ercan
Levent Selim Sinan Tolga Uğur Umut Yavuz Cengiz Adem Bayram Bekir Cemal Cihan Ersin Fatih Ferhat
Kadir Kenan Mahmut Muhammet Nihat Okan Onur Süleyman Veli Zeki Ayten Berfin Dilan Rojin Farhad
Habibullah Jawid Khalil Masoud Nasrin Parisa Shirin Soraya Zahra Zahir Abdi Abdirahman Ayaan
Hodan Hawa Ifrah Faduma Yonas Yohannes Tesfaye Dawit Biniam Filmon Feven Saba Senait Amadou
Mamadou Moussa Ousmane Boubacar Ibrahima Abdoulaye Seydou Cheikh Lamine Fatoumata Mariama
Kadiatou Awa Aminata Adama Bintou Fanta Kofi Kwame Kwabena Yaw Ama Akosua Abena Chidi Chinedu
Chioma Ngozi Emeka Obinna Uche Adebayo Tunde Jean-Baptiste Jean-Claude Jean-Pierre Jean-Paul
Jean-Marie Marie-Claire Marie-Louise Anne-Marie Pierre-Yves Grace Mireille Clarisse Patience
Espérance Divine Joséphine Nadège Prisca Gloria Christelle Blaise Dieudonné Fiston Glody Héritier
Trésor Olga Svetlana Natalia Irina Tatiana Ekaterina Oksana Oleksandr Olena Yulia Iryna Andriy
Dmytro Sergei Serhiy Vladimir Volodymyr Anastasia Ivan Igor Oleg Pavel Dariusz Tomasz Piotr
Paweł Krzysztof Agnieszka Katarzyna Małgorzata Magdalena Joanna Aleksandra Marta Ewa Wojciech
Marek Grzegorz Łukasz Jakub Bartosz Michał Ioana Andrei Mihai Florin Bogdan Alexandru Elena
Mihaela Gabriela Cristina Adriana Nicoleta Georgi Dimitar Arben Besnik Blerina Driton Valon
Florent Agron Ilir Jelena Marko Milan Nikola Stefan Zoran Goran Dragan Nenad Senad Emir Edin
Almir Lejla Merima Mirza Nermin Priya Rahul Ravi Sanjay Anjali Arjun Vikram Gurpreet Harpreet
Lakshmi Mei Wei Tenzin Dolma Omid Arash Babak Maryam Navid Hannah Hanna
""".split()

# Frequent surnames of the same communities.  Flemish surnames come from
# Faker's Belgian list; multi-word surnames are separated by "|".
_EXTRA_SURN = [s.strip() for s in """
Amrani|El Amrani|Alaoui|El Alaoui|Idrissi|El Idrissi|Benali|Bouzid|Bouzidi|Mansouri|Benjelloun|
Berrada|Tazi|Lahlou|Bennani|Belhaj|Bouazza|Khattabi|El Khattabi|Amghar|Aarab|Abid|Haddad|
Khatib|Al Khatib|Belkacem|Ouali|El Ouali|Azzouz|Bakkali|El Bakkali|Chaouch|Harrak|Hamdaoui|
Yılmaz|Kaya|Demir|Şahin|Çelik|Yıldız|Yıldırım|Öztürk|Aydın|Özdemir|Arslan|Doğan|Kılıç|Aslan|
Çetin|Kara|Koç|Kurt|Özkan|Şimşek|Polat|Özer|Erdoğan|Yavuz|Yüksel|Bulut|Güneş|Aktaş|Korkmaz|
Tekin|Turan|Bozkurt|Akın|Keskin|Altun|Ünal|Karaca|Kaplan|Ateş|Tuna|Güler|Coşkun|
Ahmadi|Hosseini|Mohammadi|Rahimi|Karimi|Rezaei|Hashemi|Sultani|Noori|
Hassan|Mohamud|Farah|Abdi|Haile|Tesfaye|Kidane|Tekle|Mekonnen|
Diallo|Bah|Barry|Sow|Diop|Ndiaye|Fall|Camara|Traoré|Keita|Konaté|Cissé|Touré|Coulibaly|
Mensah|Asante|Boateng|Owusu|Osei|Appiah|Okafor|Okonkwo|Eze|Adeyemi|Okoro|Nwosu|
Kabongo|Ilunga|Kalonji|Mulumba|Kasongo|Mutombo|Lumumba|Nsimba|Mbala|
Jovanović|Nikolić|Marković|Popović|Đorđević|Hodžić|Begić|Kovačević|Gashi|Berisha|Morina|
Hoxha|Shala|Popescu|Ionescu|Popa|Dumitru|Stoica|Rusu|Munteanu|
Nowak|Kowalski|Kowalska|Wiśniewski|Wójcik|Kowalczyk|Kamiński|Lewandowski|Zieliński|
Szymański|Woźniak|Dąbrowski|Kozłowski|Mazur|Krawczyk|Ivanova|Ivanov|Petrova|Petrov|
Smirnov|Shevchenko|Bondarenko|Tkachenko|Melnyk|Boyko|Kravchenko|
Nguyen|Tran|Pham|Hoang|Phan|Dang|Bui|Ngo|Sharma|Singh|Patel|Kumar|Khan|Hussain|Malik|Iqbal
""".replace("\n", "").split("|") if s.strip()]

# Surname particles.  Lower-case forms may join a name ("Jan van Dijk"), and
# the capitalised Flemish forms open one ("Van der Veken", "De Bruyne").
_PARTICLES = frozenset("""
van de der den ter ten vande vanden vander vd le la les du des da di dos do del della von
zu el al ben bin ibn bou abou abu ait ould o mac mc d l
""".split())
# Particles that can stand first in a surname written alone at the start of
# a sentence ("De Bruyne zegt ...", "Van Hoof vraagt ...", "El Idrissi ...").
_LEADING_PARTICLES = frozenset("van vande vanden vander de der den ter ten le la du da di el al ben bou ait".split())

# Titles and forms of address: the capitalised chunk after them is a person;
# the title itself stays outside the span.
_TITLES = frozenset("""
mevrouw meneer mevr mvr mw mevrouwe dhr hr heer mr mrs ms miss madame mme monsieur juf juffrouw
meester dokter dr prof professor imam pastoor pater dominee rabbijn zuster broeder inspecteur
hoofdinspecteur commissaris agent schepen burgemeester minister staatssecretaris kamerlid senator
gouverneur voorzitter directeur directrice mama papa oma opa tante nonkel oom collega
""".split())
# Titles that are abbreviations, so the full stop after them is not a
# sentence end ("dhr. Janssens", "Mevr. Van Damme").
_ABBREVIATIONS = frozenset("dhr mevr mvr mw hr mr dr prof st bv mme nr ir ing drs".split())

# Roles used as speaker labels or in attendance lists.  Also matched as the
# end of a compound ("Frontlijnwerker", "Brugfiguur").
_ROLE_WORDS = frozenset("""
facilitator facilitatoren moderator voorzitter verslaggever notulist deelnemer deelnemers spreker
interviewer respondent directeur directrice diensthoofd medewerker medewerkers werker brugfiguur
buurtwerker wijkagent agent schepen burgemeester leerkracht juf meester ouder ouders moeder vader
tolk vrijwilliger stagiair jurist coördinator coordinator consulent begeleider bemiddelaar coach
expert onderzoeker secretaris teamleider verantwoordelijke ambtenaar allen iedereen groep
""".split())
_ROLE_SUFFIXES = ("werker", "werkster", "figuur", "agent", "hoofd", "directeur", "coördinator",
                  "coordinator", "consulent", "begeleider", "bemiddelaar", "coach", "leider",
                  "deskundige", "tolk", "vrijwilliger", "ambtenaar", "medewerker", "assistent",
                  "onderzoeker", "voorzitter", "secretaris", "kundige", "kracht", "verantwoordelijke")

# Heads of Dutch compounds that name places, organisations, events and
# projects ("Overpoortstraat", "Koning Boudewijnstichting", "Taalcafé").
_NONPERSON_SUFFIXES = ("straat", "laan", "plein", "steenweg", "dreef", "kaai", "markt", "singel",
                       "gracht", "stichting", "school", "hogeschool", "universiteit", "ziekenhuis",
                       "vereniging", "federatie", "centrum", "dienst", "werking", "opbouw",
                       "schakels", "kerk", "moskee", "café", "cafe", "klas", "loket", "station",
                       "project", "platform", "netwerk", "bibliotheek", "schouwburg", "feesten",
                       "beleid", "regering", "agentschap", "kantoor", "fonds", "forum", "comité",
                       "raad", "huis", "punt", "vrouwendag", "week", "festival", "wijk", "park")

# Nouns that announce a name that is not a person: "het project Samen
# Sterk", "Taalcafé De Brug", "de vzw De Link".
_NONPERSON_TRIGGERS = frozenset("""
project projecten projectje initiatief campagne vzw organisatie vereniging platform werking
taalcafé taalcafe huiswerkklas buurtpunt buurthuis buurtcentrum school basisschool wijk straat
café stichting programma actie traject methodiek workshop vorming slogan thema motto label
netwerk team dienst zaal gebouw site app website krant tijdschrift boek film reeks festival
""".split())

# Known organisations and other capitalised non-persons that look like names.
_ORG_WORDS = frozenset(_key(w) for w in """
OCMW VDAB CAW Unia KDG VGC CGG CLB CKG CAR JAC IN-Gent Atlas AgII Fedasil Samenlevingsopbouw
Welzijnsschakels Minderhedenforum Vooruit Groen N-VA CD&V PVDA Vlaams Belang VRT VTM Radio Proximus
Delhaize Colruyt Google Facebook WhatsApp Teams Zoom Microsoft PowerPoint Excel Outlook Instagram
Smartschool UiTPAS Kind Gezin Huis Sociaal Stad Vlaanderen Brussel Wallonië Europa Afrika Azië
Amerika God Allah Ramadan Pasen Kerstmis Kerst Suikerfeest Offerfeest Koran Bijbel Islam
Bourgondië Corona Covid Nieuwjaar Pinksteren Allerheiligen Sinterklaas Carnaval Chanoeka Divali
Iftar Ford Opel Volvo Audi Philips Bekaert Umicore Rijsel Parijs Londen Keulen Aken Luik Bergen
Namen Doornik Rotterdam Amsterdam Istanbul Ankara Rabat Casablanca Tanger Nador Al-Hoceima Kinshasa
Tigrinya Pashto Dari Farsi Urdu Lingala Swahili Somali Amhaars Tamazight Romani Hindi Punjabi
Tamil Sorani Kurmanci Bengaals Oekraïens Esperanto
""".split())

# Nationality and language adjectives and demonyms: capitalised in Dutch,
# never persons ("de Marokkaanse gemeenschap", "in het Turks").
_NATIONALITY_STEMS = """
Belgisch Vlaams Waals Brussels Nederlands Frans Duits Engels Brits Iers Italiaans Spaans
Portugees Pools Roemeens Bulgaars Hongaars Tsjechisch Slowaaks Grieks Turks Koerdisch Armeens
Marokkaans Algerijns Tunesisch Libisch Egyptisch Syrisch Irakees Iraans Afghaans Pakistaans
Indisch Indiaas Chinees Japans Vietnamees Thais Filipijns Tibetaans Nepalees Somalisch Eritrees
Ethiopisch Soedanees Congolees Kameroens Senegalees Guinees Ghanees Nigeriaans Ivoriaans
Rwandees Burundees Afrikaans Arabisch Berbers Amazigh Tamazight Riffijns Russisch Oekraïens
Wit-Russisch Servisch Kroatisch Bosnisch Servo-Kroatisch Albanees Kosovaars Macedonisch
Tsjetsjeens Georgisch Joods Europees Aziatisch Amerikaans Latijns-Amerikaans Oost-Europees
Limburgs Antwerps Gents Brugs Leuvens Mechels Kortrijks Hasselts Genks Oostends Aalsters
Turnhouts Roeselaars Islamitisch Katholiek Protestants Orthodox Sjiitisch Soennitisch
""".split()
_DEMONYMS = """
Belg Belgen Vlaming Vlamingen Waal Walen Brusselaar Brusselaars Nederlander Nederlanders
Marokkaan Marokkanen Turk Turken Koerd Koerden Syriër Syriërs Afghaan Afghanen Irakees Irakezen
Congolees Congolezen Somaliër Somaliërs Eritreeër Eritreeërs Pool Polen Roemeen Roemenen
Bulgaar Bulgaren Roma Afrikaan Afrikanen Europeaan Europeanen Arabier Arabieren Berber Berbers
Gentenaar Gentenaars Antwerpenaar Antwerpenaars Limburger Limburgers Moslim Moslims Moslima
Christen Christenen Jood Joden Oekraïner Oekraïners Rus Russen Albanees Albanezen
""".split()

# Speech, cognition and action verbs that follow a person subject.  Strong:
# verbs that in meeting notes almost only take a person as subject.
_STRONG_VERBS = frozenset("""
zegt zei zeggen zeiden vertelt vertelde vertellen vertelden vindt vond vinden vonden merkt merkte
merken stelt stelde vraagt vroeg vragen vroegen wijst wees legt legde geeft gaf antwoordt
antwoordde bevestigt bevestigde benadrukt benadrukte erkent erkende denkt dacht meent meende
getuigt getuigde beaamt beaamde reageert reageerde verwijst verwees vult vulde noemt noemde pleit
pleitte waarschuwt waarschuwde wil wou wilde herinnert ziet zag weet wist kent kende begeleidt
begeleidde coördineert coördineerde belde sprak spreekt schreef vertaalt vertaalde leidt
""".split())
# Weak: frequent verbs that also take organisations or things as subject.
_WEAK_VERBS = frozenset("""
is was heeft had hebben hadden zijn waren werkt werkte werken kwam komt gaat ging helpt hielp
doet deed maakt maakte organiseert organiseerde volgt volgde woont woonde krijgt kreeg draait
runt opende presenteerde presenteert bracht brengt gaf geeft nam neemt zit zat kan kon moet
moest zal zou
""".split()) - frozenset(["doet", "deed"])  # "Hoop doet leven": too idiomatic to count

# After "X verb", one of these means inversion (X is an adverb or object,
# not the subject): "Achteraf kreeg ik een brief".
_SUBJECT_PRONOUNS = frozenset("ik je jij we wij ze zij hij men u jullie".split())

# Words before a name that make a person more likely ("samen met Jan",
# "volgens Van der Veken", "door Els").
_PERSON_PREPS = frozenset("met door volgens aan zoals collega collega's vriend vriendin dochter zoon "
                          "broer zus vrouw man moeder vader buurvrouw buurman ook en".split())
# Words before a chunk that make it a place ("in Gent", "naar Antwerpen").
_PLACE_PREPS = frozenset("in naar uit te richting vanuit nabij rond binnen buiten".split())
# Determiners before a chunk: Dutch does not put them before a person's name
# (except colloquially before first names, "de Sofie", handled below).
_DETERMINERS = frozenset("de het een deze die dit dat onze ons hun haar zijn mijn uw elke iedere".split())

# Headers whose line continues with names ("Aanwezig: Sofie Vermeulen, ...").
_LIST_HEADERS = frozenset("""
aanwezig aanwezigen afwezig verontschuldigd deelnemers contactpersoon contactpersonen notulen
notulist verslaggever opgemaakt nagelezen auteur auteurs
""".split())

_COMPASS = frozenset("noord zuid oost west centrum noordoost noordwest zuidoost zuidwest".split())

# ---------------------------------------------------------------------------
# Lists from installed packages (loaded once, cached)
# ---------------------------------------------------------------------------

_FAKER_PERSON_LOCALES = (
    "nl_BE", "nl_NL", "fr_BE", "fr_FR", "fr_CH", "fr_DZ", "de_DE", "en_US", "en_GB", "en_IE",
    "tr_TR", "az_AZ", "pl_PL", "cs_CZ", "sk_SK", "hr_HR", "sl_SI", "ro_RO", "hu_HU", "it_IT",
    "es_ES", "pt_PT", "pt_BR", "sw", "tw_GH", "yo_NG", "ig_NG", "ha_NG", "en_NG", "zu_ZA",
    "en_KE", "uz_UZ", "en_PK", "en_IN", "id_ID", "vi_VN",
)  # Nordic and Baltic locales left out: few such names here, many short words ("Dag", "Bo")


def _latin_name(s: str) -> bool:
    s = s.strip()
    return bool(s) and all(ch.isalpha() and ord(ch) < 0x0250 or ch in " -'" for ch in s)


@functools.lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first-name keys, surname keys, multi-word surname keys) from Faker + curated lists."""
    first: set[str] = set()
    surn: set[str] = set()
    multi: set[str] = set()

    def add_surname(name: str) -> None:
        name = name.strip()
        if not _latin_name(name) or len(name) < 2:
            return
        toks = name.split()
        if len(toks) > 3:  # Faker's nl_NL list holds some historical epithets
            return
        k = _key(name)
        if len(toks) == 1:
            surn.add(k)
        else:
            # "De Smet" is not written "Smet": the particle belongs to the name,
            # so only the whole form is listed.  Non-particle multi-word names
            # ("Fatima Zahra") are rare in these lists and skipped likewise.
            multi.add(k)

    for loc in _FAKER_PERSON_LOCALES:
        try:
            prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            vals = getattr(prov, attr, None) or ()
            for v in vals:
                if _latin_name(v) and " " not in v.strip() and len(v.strip()) > 1:
                    first.add(_key(v.strip()))
        for v in getattr(prov, "last_names", None) or ():
            add_surname(v)
    first.update(_key(n) for n in _EXTRA_FIRST)
    for s in _EXTRA_SURN:
        add_surname(s)
    # Single letters and particles are never names on their own.
    for bad in list(_PARTICLES) + ["de", "van", "der", "den"]:
        first.discard(bad)
        surn.discard(bad)
    return frozenset(first), frozenset(surn), frozenset(multi)


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    places: set[str] = set()
    for loc in ("nl_BE", "nl_NL", "fr_BE"):
        try:
            prov = importlib.import_module(f"faker.providers.address.{loc}").Provider
        except ImportError:
            continue
        for attr in ("cities", "provinces", "countries"):
            for v in getattr(prov, attr, None) or ():
                k = _key(v)
                places.add(k)
                # "Beveren-Waas", "Heist-op-den-Berg" are usually written
                # "Beveren", "Heist": the first part is a place too.
                head = k.split("-")[0]
                if "-" in k and len(head) >= 4 and head not in ("sint", "sinte", "onze", "lieve"):
                    places.add(head)
    places.update(_key(p) for p in """
        Vlaanderen Wallonië Brussel Europa Afrika Azië Amerika Oceanië Midden-Oosten Maghreb Rif
        Marokko Turkije Syrië Irak Iran Afghanistan Eritrea Somalië Congo Guinee Senegal Ghana
        Nigeria Kameroen Rwanda Burundi Ethiopië Soedan Algerije Tunesië Libië Egypte Palestina
        Oekraïne Rusland Polen Roemenië Bulgarije Albanië Kosovo Servië Bosnië Tsjetsjenië
        Nederland België Frankrijk Duitsland Spanje Italië Portugal Griekenland Engeland
        Oost-Vlaanderen West-Vlaanderen Vlaams-Brabant Waals-Brabant Limburg Antwerpen Henegouwen
        Kempen Westhoek Meetjesland Waasland Pajottenland Haspengouw Borgerhout Deurne Merksem
        Hoboken Wilrijk Berchem Ekeren Molenbeek Schaerbeek Anderlecht Sint-Gillis Ledeberg
        Gentbrugge Oostakker Mariakerke Sint-Amandsberg Wondelgem Drongen Zwijnaarde Kessel-Lo
        Heverlee Wijgmaal Waterschei Winterslag Zwartberg""".split())
    return frozenset(places)


@functools.lru_cache(maxsize=1)
def _nationality_words() -> frozenset[str]:
    out: set[str] = set()
    for s in _NATIONALITY_STEMS:
        k = _key(s)
        out.update({k, k + "e", k + "en"})
        if k.endswith("s"):
            out.add(k[:-1] + "ze")  # Portugees -> Portugese is spelled -ese
        if k.endswith("ees"):
            out.add(k[:-3] + "ese")
    out.update(_key(d) for d in _DEMONYMS)
    return frozenset(out)


def _plural_candidates(w: str) -> list[str]:
    """Plural / inflected forms a Dutch noun or verb stem would have."""
    c = [w + "en", w + "s"]
    v = "aeiou"
    if len(w) >= 3 and w[-1] not in v and w[-2] in v and w[-3] not in v:
        c.append(w + w[-1] + "en")  # storm? no; vos -> vossen, smet -> smetten
    if len(w) >= 4 and w[-2] == w[-3] and w[-2] in "aeou":
        last = {"s": "z", "f": "v"}.get(w[-1], w[-1])
        c.append(w[:-2] + last + "en")  # roos -> rozen, hoop -> hopen
    if w.endswith("s"):
        c.append(w[:-1] + "zen")  # els -> elzen
    if w.endswith("f"):
        c.append(w[:-1] + "ven")  # wolf -> wolven
    return c


@functools.lru_cache(maxsize=None)
def _lemma_info(word_lower: str) -> tuple[bool, bool, bool]:
    """(ordinary Dutch word, *clearly* ordinary Dutch word, ordinary English word).

    From simplemma's dictionaries.  A word whose Dutch lemma is capitalised
    ("jan" -> "Jan") is a proper noun there, so not an ordinary word.  The
    dictionary also lists many names as plain words ("luna", "koen"); a word
    counts as *clearly* ordinary only when it inflects like one: it is itself
    an inflected form ("hoop" of "hopen") or its plural is listed with it as
    lemma ("roos" -> "rozen", "storm" -> "stormen").
    """
    import simplemma

    nl = strong = False
    if simplemma.is_known(word_lower, lang="nl"):
        lemma = simplemma.lemmatize(word_lower, lang="nl")
        nl = not lemma[:1].isupper()
        if nl:
            strong = lemma != word_lower or any(
                simplemma.is_known(f, lang="nl") and simplemma.lemmatize(f, lang="nl") == word_lower
                for f in _plural_candidates(word_lower))
    elif len(word_lower) >= 9:
        nl = strong = _is_compound(word_lower)
    en = False
    if len(word_lower) > 2 and simplemma.is_known(word_lower, lang="en"):
        lemma = simplemma.lemmatize(word_lower, lang="en")
        en = not lemma[:1].isupper()
    return nl, strong, en


_NAME_PREFIXES = ("van", "ver", "de", "der", "den", "ter", "ten", "el", "ben", "bou", "abd")


def _is_compound(w: str) -> bool:
    """"samenlevingsopbouw", "welzijnsschakels", "frontlijnwerker": a Dutch
    compound of two dictionary words (with an optional linking s or e).
    Flemish surnames built on particles ("Vandenberghe", "Verhoeven") are
    excluded by their prefix."""
    import simplemma

    if w.startswith(_NAME_PREFIXES):
        return False
    for i in range(4, len(w) - 3):
        head = w[i:]
        if len(head) < 4 or not simplemma.is_known(head, lang="nl"):
            continue
        mod = w[:i]
        # linking elements: "welzijn-s-schakels", "kind-er-armoede", "zon-ne-bloem"
        for m in (mod, mod[:-1] if mod.endswith(("s", "e")) else None,
                  mod[:-2] if mod.endswith(("er", "en")) else None):
            if m and len(m) >= 4 and simplemma.is_known(m, lang="nl") \
                    and not simplemma.lemmatize(m, lang="nl")[:1].isupper():
                return True
    return False


# Token flags
_F_FIRST, _F_SURN, _F_NL, _F_EN, _F_PLACE, _F_ORG, _F_NAT, _F_ROLE, _F_TITLE, _F_PART, _F_NONPERS, \
    _F_NLSTRONG, _F_STOP = (1 << i for i in range(13))


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Dutch function words (spaCy's list plus interjections and adverbs that
    open sentences in notes).  First in a sentence they are never a name, even
    when a name list holds them ("Dan", "Om", "Over")."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    extra = """ja nee neen oké ok okay goh tja allez awel enfin achteraf daarvoor daarna daarom
    daardoor daarmee daarbij daarnaast daarentegen vervolgens uiteindelijk eigenlijk gelukkig
    helaas trouwens bovendien ondertussen intussen tenslotte natuurlijk inderdaad uiteraard
    misschien ook zeker vooral soms vaak nu toen straks meteen dus want maar""".split()
    return frozenset(_key(w) for w in list(STOP_WORDS) + extra)


@functools.lru_cache(maxsize=200_000)
def _flags(word: str) -> int:
    """Lexical flags of one word (case-insensitive, diacritic-insensitive)."""
    first, surn, _ = _name_lists()
    k = _key(word)
    f = 0
    if k in first:
        f |= _F_FIRST
    if k in surn:
        f |= _F_SURN
    if "-" in k:
        parts = [p for p in k.split("-") if p]
        if parts and all(p in first for p in parts):
            f |= _F_FIRST  # "Anne-Marie", "Jean-Pierre"
        elif len(parts) == 2 and all(p in surn or p in first for p in parts):
            f |= _F_SURN  # double surname "Van Damme-Peeters" style
        if any(p in ("sint", "sinte", "onze", "lieve", "vrouw") or p in _COMPASS for p in parts):
            f |= _F_PLACE
        if any(p in _places() for p in parts) and not f & (_F_FIRST | _F_SURN):
            f |= _F_PLACE
        if any(p.isalpha() and p.islower() for p in word.split("-")[1:]):
            f |= _F_NL  # "Roma-gezinnen", "OCMW-raad": an ordinary compound
    nl, strong, en = _lemma_info(k) if k.isalpha() else (False, False, False)
    if nl:
        f |= _F_NL
    if strong:
        f |= _F_NLSTRONG
    if en:
        f |= _F_EN
    if k in _places():
        f |= _F_PLACE
    if k in _ORG_WORDS:
        f |= _F_ORG
    if k in _nationality_words():
        f |= _F_NAT
    elif len(k) > 4 and _adjective_of_place(k):
        f |= _F_NAT
    elif k.endswith(("talig", "talige")):
        f |= _F_NAT  # "Nederlandstalige", "Franstalig", "anderstalige"
    elif k.endswith(("naars", "naren", "lingen", "ianen", "anen")) and len(k) > 7 and not f & (_F_FIRST | _F_SURN):
        f |= _F_NAT  # plural inhabitants: "Genkenaren", "Bruggelingen", "Italianen"
    if k in _stop_words():
        f |= _F_STOP
    if k in _ROLE_WORDS or (k.endswith(_ROLE_SUFFIXES) and not f & (_F_FIRST | _F_SURN)):
        f |= _F_ROLE
    if k.rstrip(".") in _TITLES:
        f |= _F_TITLE
    if k in _PARTICLES or (k.startswith("d'") and len(k) == 2):
        f |= _F_PART
    if not f & (_F_FIRST | _F_SURN) and len(k) > 5 and k.endswith(_NONPERSON_SUFFIXES):
        f |= _F_NONPERS
    if k.startswith(("sint-", "sinte-", "sint ")):
        f |= _F_PLACE
    return f


def _adjective_of_place(k: str) -> bool:
    """"gentse", "brugse", "antwerpse", "leuvense": adjective of a place name."""
    places = _places()
    for suf in ("se", "erse", "er", "ers", "enaar", "enaars", "naar", "naars", "aar", "aars"):
        if k.endswith(suf) and len(k) - len(suf) >= 3:
            stem = k[: -len(suf)]
            for cand in (stem, stem + "e", stem + "en", stem + "ge", stem + "t", stem[:-1] if stem.endswith("s") else stem):
                if cand in places and len(cand) >= 3:
                    return True
    return False


def _is_name_flag(f: int) -> bool:
    return bool(f & (_F_FIRST | _F_SURN))


def _is_common(f: int) -> bool:
    """An ordinary (Dutch or English) word that is not also a listed name."""
    return bool(f & (_F_NL | _F_EN)) and not _is_name_flag(f)


def _is_ambiguous(f: int) -> bool:
    """A listed name that is also a clearly ordinary Dutch word ("Roos", "Hoop", "Mark")."""
    return _is_name_flag(f) and bool(f & _F_NLSTRONG)


# ---------------------------------------------------------------------------
# Tokenisation
# ---------------------------------------------------------------------------

# A word: letters, with inner apostrophes and hyphens ("D'Hondt",
# "Anne-Marie", "Sint-Niklaas").  "&" is kept as a token for "CD&V".
_WORD_RE = re.compile(r"[^\W\d_](?:[^\W_]|['’](?=[^\W\d_])|-(?=[^\W_]))*|&")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_SENT_END_RE = re.compile(r"[.!?:;…]\s*[\"'“”‘’«»()\[\]\-–—•*]*\s*$")
_LINE_START_RE = re.compile(r"(?:^|\n)[ \t\"'“‘«(\[\-–—•*>]*$")
_LABEL_RE = re.compile(r"^[ \t]*([^\n:]{1,60}?)[ \t]*:", re.M)


class _Tok:
    __slots__ = ("text", "start", "end", "cap", "upper", "initial", "flags", "line_start", "poss_end")

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.start = start
        self.end = end
        c0 = text[0]
        self.upper = len(text) > 1 and text.isupper()
        self.cap = c0.isupper()
        self.initial = False
        self.line_start = False
        self.flags = 0
        self.poss_end = end  # end of the name without a genitive ending


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    prev: _Tok | None = None
    for m in _WORD_RE.finditer(text):
        w = m.group()
        s, e = m.start(), m.end()
        poss = _POSSESSIVE_RE.search(w)
        t = _Tok(w, s, e)
        if poss and len(w) > 3:
            # "Sofie's": the name is "Sofie", the "'s" is a genitive ending.
            t.text = w[: poss.start()]
            t.poss_end = s + poss.start()
            t.end = s + poss.start()
        gap = text[prev_end:s]
        if prev is None:
            t.initial = not gap.strip() or bool(_SENT_END_RE.search(gap)) or bool(_LINE_START_RE.search(gap))
            t.line_start = bool(_LINE_START_RE.search(text[:s]))
        else:
            if "\n" in gap:
                t.initial = True
                t.line_start = bool(_LINE_START_RE.search(gap))
            elif _SENT_END_RE.search(gap):
                # "dhr. Janssens": a full stop after an abbreviation is no sentence end.
                t.initial = not (gap.lstrip().startswith(".") and _key(prev.text) in _ABBREVIATIONS)
        toks.append(t)
        prev_end = e
        prev = t
    return toks


# ---------------------------------------------------------------------------
# Declared names
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _DeclaredIndex:
    regex: re.Pattern | None
    parts: dict  # folded-lower part -> (person index, kind: "full"|"first"|"surname")


def _split_declared(name: str) -> tuple[str, str]:
    """("Karim El Idrissi") -> ("Karim", "El Idrissi"); a one-word name has no surname."""
    toks = name.split()
    if len(toks) == 1:
        return toks[0], ""
    # A name that starts with a particle is a surname only ("Van der Veken").
    if _key(toks[0]) in _LEADING_PARTICLES:
        return "", name
    return toks[0], " ".join(toks[1:])


@functools.lru_cache(maxsize=256)
def _declared_index(declared: tuple[str, ...]) -> _DeclaredIndex:
    names = []
    for d in declared:
        d = " ".join(d.split())
        if d and any(ch.isalpha() for ch in d):
            names.append(d)
    parts: dict[str, tuple[int, str]] = {}
    counts: dict[str, set[int]] = {}
    for i, n in enumerate(names):
        first, surname = _split_declared(n)
        cands = [(n, "full")]
        if first and surname:
            cands.append((first, "first"))
            cands.append((surname, "surname"))
            stoks = surname.split()
            if len(stoks) > 1 and _key(stoks[0]) not in _PARTICLES:
                # "Fatima Zahra Amrani": "Fatima Amrani" and "Amrani" also refer to her.
                cands.append((first + " " + stoks[-1], "full"))
                cands.append((stoks[-1], "surname"))
        elif first:
            cands.append((first, "first"))
        for c, kind in cands:
            k = _key(c)
            if len(k.replace(" ", "")) < 2 or k in _PARTICLES:
                continue
            counts.setdefault(k, set()).add(i)
            parts.setdefault(k, (i, kind))
    # Keep a part only when it points to one declared person.
    parts = {k: v for k, v in parts.items() if len(counts[k]) == 1 or v[1] == "full"}
    if not parts:
        return _DeclaredIndex(None, {})
    alts = sorted(parts, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(t) for t in a.split()) for a in alts)
    # Allow a genitive ending after the name ("Sofies", "Sofie's") but not a
    # longer word ("Jansen" is not "Jan").
    regex = re.compile(r"(?<![\w'\-])(?:" + body + r")(?=(?:'s|s)?(?![\w'\-]))", re.IGNORECASE)
    return _DeclaredIndex(regex, parts)


def _declared_spans(text: str, folded: str, tok_at: dict[int, int], toks: list[_Tok],
                    declared: tuple[str, ...]) -> list[tuple[int, int, str, float]]:
    idx = _declared_index(declared)
    if idx.regex is None:
        return []
    out = []
    for m in idx.regex.finditer(folded):
        s, e = m.start(), m.end()
        k = " ".join(folded[s:e].lower().split())
        if k not in idx.parts:
            continue
        words = text[s:e].split()
        # Every name word except a particle must be capitalised in the text:
        # "roos" (the flower) is not "Roos", but "de Bruyne" is "De Bruyne".
        if not all(w[0].isupper() or _key(w) in _PARTICLES for w in words):
            continue
        if not any(w[0].isupper() for w in words):
            continue
        ti = tok_at.get(s)
        if ti is not None and len(words) == 1:
            t = toks[ti]
            f = _flags(words[0])
            if t.initial and (f & _F_NL) and not _followed_by_person_cue(toks, ti, text):
                # "Mark je agenda", "Roos en anjers": a declared first name that
                # is also an ordinary word, first in its sentence, needs a cue.
                continue
        out.append((s, e, "declared", 10.0))
    return out


def _followed_by_person_cue(toks: list[_Tok], i: int, text: str) -> bool:
    t = toks[i]
    after = text[t.end:t.end + 3]
    if after[:1] in (":", "(", ",") or after.startswith(" ("):
        return True
    if i + 1 < len(toks):
        n = toks[i + 1]
        nk = n.text.lower()
        if nk in _STRONG_VERBS or nk in _WEAK_VERBS:
            return True
        if nk in ("en", "&") and i + 2 < len(toks) and toks[i + 2].cap and _is_name_flag(toks[i + 2].flags):
            return True
        if nk == "van" and i + 2 < len(toks) and (toks[i + 2].upper or toks[i + 2].text in ("de", "het")):
            return True
    return False


# ---------------------------------------------------------------------------
# Rule-based chunks
# ---------------------------------------------------------------------------


def _chunks(toks: list[_Tok], text: str) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by spaces only, with lower-case
    particles allowed inside ("Liesbeth Van de Velde", "Jan van Dijk")."""
    out = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if not t.cap or t.text == "&":
            i += 1
            continue
        j = i
        while j + 1 < n:
            nxt = toks[j + 1]
            gap = text[toks[j].poss_end:nxt.start]
            if toks[j].poss_end != toks[j].end or gap not in (" ", "\u00a0") or nxt.initial:
                break
            if nxt.cap:
                j += 1
                continue
            # lower-case particle(s) followed by a capitalised word
            k = j + 1
            while k < n and not toks[k].cap and _key(toks[k].text) in _PARTICLES \
                    and text[toks[k - 1].end:toks[k].start] == " ":
                k += 1
            if k < n and k > j + 1 and toks[k].cap and text[toks[k - 1].end:toks[k].start] == " " \
                    and _particle_join_ok(toks, j, k):
                j = k
                continue
            break
        out.append((i, j))
        i = j + 1
    return out


def _particle_join_ok(toks: list[_Tok], j: int, k: int) -> bool:
    """Join "X van Y" only when Y reads as a surname, not as an organisation or
    place: "Jan van Dijk" yes, "Jelle van Kind en Gezin" and "Anouk van het CAW" no."""
    _, _, multi = _name_lists()
    y = toks[k]
    particles = " ".join(_key(t.text) for t in toks[j + 1:k])
    if particles in ("het", "te", "'t"):
        return False
    if f"{particles} {_key(y.text)}" in multi:
        return True
    f = y.flags
    prev = toks[j].flags
    if y.upper or f & (_F_ORG | _F_NAT | _F_NONPERS):
        return False
    if prev & _F_PART:
        # "Van der Veken", "Van de Velde": a capitalised particle continues
        # with lower-case ones; the word after it is a surname even when it
        # is also an ordinary word or a place ("Velde", "Van den Bossche").
        return True
    if f & (_F_PLACE | _F_ROLE) or _is_common(f):
        return False
    return bool(prev & _F_FIRST) and not _is_common(prev)


def _score_chunk(toks: list[_Tok], a: int, b: int, text: str, ctx: dict) -> tuple[float, int, int, str]:
    """Score the chunk toks[a..b].  Returns (score, first token, last token, source);
    the token range may be narrower than a..b (a title or a sentence-initial
    ordinary word in front is cut off)."""
    # Leading title: "Mevrouw Benali", "dhr. Janssens" (title outside span).
    title = False
    prev_i = a - 1
    if prev_i >= 0 and toks[prev_i].flags & _F_TITLE and not toks[prev_i].cap and \
            text[toks[prev_i].end:toks[a].start].strip(". ") == "":
        title = True
    while a <= b and toks[a].flags & _F_TITLE and a < b:
        title = True
        a += 1
    # A sentence-initial ordinary word is just capitalised because it comes
    # first: "Volgens Van der Veken", "Kinderen Eerst".
    while a <= b and toks[a].initial and (_is_common(toks[a].flags) or toks[a].flags & _F_STOP) \
            and not toks[a].flags & _F_PART and not toks[a].upper:
        a += 1
    if a > b:
        return -99.0, a, b, "rule"
    sel = toks[a:b + 1]
    name_toks = [t for t in sel if not (t.flags & _F_PART and t is not sel[-1])]
    all_caps = all(t.upper or len(t.text) == 1 for t in sel)

    # -- vetoes --------------------------------------------------------------
    for idx, t in enumerate(sel):
        f = t.flags
        after_particle = idx > 0 and sel[idx - 1].flags & _F_PART
        if t.upper and not all_caps and not _is_name_flag(f):
            return -99.0, a, b, "rule"  # acronym: OCMW, VDAB, "CAW Oost-Vlaanderen"
        if all_caps and t.upper and len(t.text) <= 5 and not _is_name_flag(f) and not f & _F_PART \
                and not _is_common(f):
            return -99.0, a, b, "rule"  # acronym in an all-caps line
        if f & (_F_NAT | _F_NONPERS | _F_ORG):
            return -99.0, a, b, "rule"  # "Marokkaanse", "Overpoortstraat", "Unia"
        if f & _F_ROLE and not after_particle:
            return -99.0, a, b, "rule"  # "Frontlijnwerker" (but "De Meester" is a surname)
        if f & _F_PLACE and not _is_name_flag(f) and not after_particle:
            return -99.0, a, b, "rule"
        if _key(t.text) in _COMPASS and idx > 0:
            return -99.0, a, b, "rule"  # "Buurtpunt Noord", "Gent Zuid"
        if not all_caps and any(c.isupper() for c in t.text[1:]) and "-" not in t.text \
                and "'" not in t.text and "’" not in t.text and not t.text[1:].isupper():
            return -99.0, a, b, "rule"  # camel case: PowerPoint, WhatsApp
    pk = _key(toks[a - 1].text) if a > 0 and text[toks[a - 1].end:toks[a].start].strip() == "" else ""
    if pk in _NONPERSON_TRIGGERS:
        return -99.0, a, b, "rule"  # "het project Samen Sterk"
    if len(sel) == 2 and _key(sel[0].text) in ("de", "het") and _is_common(sel[1].flags) \
            and f"de {_key(sel[1].text)}" not in _name_lists()[2]:
        # "De Lijn", "De Tafel", "De Brug": the article and an ordinary noun
        # name a thing; a surname "De X" would be in the surname list.
        return -99.0, a, b, "rule"

    # -- evidence ------------------------------------------------------------
    score = 0.0
    source = "rule"
    first_t = sel[0]
    f0 = first_t.flags
    initial = first_t.initial
    n_name = len(name_toks)
    has_particle = any(t.flags & _F_PART for t in sel[:-1]) and len(sel) > 1
    if not name_toks:
        return -99.0, a, b, "rule"

    # (1) Capitalised where Dutch would not capitalise an ordinary word: not
    #     first in its sentence, or a second capitalised word after the first.
    if (not initial or len(sel) >= 2) and not all_caps:
        score += 1.0
    # (2) First-name list.
    lead = name_toks[0]
    if lead.flags & _F_FIRST and not (has_particle and lead is sel[0] and lead.flags & _F_PART):
        score += 1.0 if _is_ambiguous(lead.flags) else 2.0
        source = "list"
    # (3) Surname list for the last word of a multi-word chunk, or a lone surname.
    last = sel[-1]
    if n_name >= 2 or has_particle:
        if last.flags & _F_SURN:
            score += 1.0 if _is_ambiguous(last.flags) else 2.0
            source = "list"
    elif not lead.flags & _F_FIRST and lead.flags & _F_SURN:
        score += 1.0 if _is_ambiguous(lead.flags) else 1.5
        source = "list"
    # (4) Particle structure: "Van der Veken", "El Idrissi", "De Bruyne".
    if has_particle:
        score += 1.0
    # (5) Ordinary words inside the chunk point to an organisation or project
    #     name ("Sociaal Huis", "Team Diversiteit", "Brown Eyes Blue Eyes"),
    #     except right after a particle ("De Vos", "Van Hoof").
    #     Dutch surnames are often ordinary words ("Bakker", "Buurman",
    #     "De Smet"), so after a listed first name the penalty is small.
    for idx, t in enumerate(sel):
        if t.flags & _F_PART and idx < len(sel) - 1:
            continue
        after_particle = idx > 0 and sel[idx - 1].flags & _F_PART
        after_first = idx > 0 and sel[0].flags & _F_FIRST and not _is_common(sel[0].flags)
        if _is_common(t.flags):
            score -= 0.5 if after_first else (1.0 if after_particle else 2.0)
    # (6) Two or more name-like words, none of them ordinary words.
    if n_name >= 2 and not any(_is_common(t.flags) for t in name_toks):
        score += 1.0
    # (7) A capitalised word no lexicon knows is more likely a name than
    #     anything else (places, organisations and compounds were vetoed above).
    if n_name == 1 and not lead.flags & (_F_NL | _F_EN | _F_FIRST | _F_SURN):
        score += 1.0
    # (8) Context before the chunk.
    if title:
        score += 3.0
    if pk in _PERSON_PREPS:
        score += 0.5
    if pk in _PLACE_PREPS:
        score -= 1.0
    if pk in _DETERMINERS and a > 0 and not toks[a - 1].cap:
        # Dutch puts no article before a person's name, except the colloquial
        # Flemish "de Sofie" before an unambiguous first name.
        score -= 0.5 if (f0 & _F_FIRST and not _is_ambiguous(f0)) else 2.0
    # (9) Context after the chunk.
    nxt_i = b + 1
    after = text[sel[-1].poss_end:sel[-1].poss_end + 3]
    if sel[-1].poss_end != sel[-1].end or (nxt_i < len(toks) and after[:2] == "s " and
                                            toks[nxt_i].start == sel[-1].end + 2):
        score += 0.5  # genitive "Sofie's", "Ahmeds collega"
    if after[:1] == "(" or after[:2] == " (":
        score += 1.0  # "Sofie Vermeulen (OCMW)"
    if after[:1] == "," and nxt_i < len(toks) and toks[nxt_i].text.lower() in ("jij", "je", "u", "jullie", "wat", "hoe"):
        score += 1.5  # vocative: "Dries, jij had een voorbeeld?"
    inverted = nxt_i + 1 < len(toks) and toks[nxt_i + 1].text.lower() in _SUBJECT_PRONOUNS
    if nxt_i < len(toks) and text[sel[-1].end:toks[nxt_i].start].strip() == "":
        nk = toks[nxt_i].text.lower()
        if inverted and nk in _STRONG_VERBS | _WEAK_VERBS:
            pass  # "Achteraf kreeg ik ...": verb then subject, so the chunk is no subject
        elif nk in _STRONG_VERBS:
            score += 1.5
        elif nk in _WEAK_VERBS:
            # "Goedele werkt als ...": an unknown word as subject is a name;
            # "Hoop is ...": an ordinary word as subject is ordinary Dutch.
            score += 0.5 if any(t.flags & _F_NLSTRONG for t in name_toks) else 1.0
        elif nk == "van" and nxt_i + 1 < len(toks):
            n2 = toks[nxt_i + 1]
            if n2.upper or n2.text in ("de", "het") or n2.flags & (_F_ORG | _F_PLACE):
                score += 1.0  # "Anouk van het CAW", "Dieter van KDG"
        elif nk == "uit" and nxt_i + 1 < len(toks) and toks[nxt_i + 1].flags & _F_PLACE:
            score += 0.5  # "Shirin Ahmadi uit Afghanistan"
    # (10) Speaker label or attendance list.
    if ctx.get("label") and first_t.line_start and text[sel[-1].end:sel[-1].end + 1] == ":":
        score += 2.5
    elif ctx.get("list_line"):
        score += 1.5
    # (11) All-caps headings: lists only; a lone ambiguous word is not enough.
    if all_caps:
        if not (lead.flags & _F_FIRST and n_name >= 2) and not (n_name >= 2 and last.flags & _F_SURN):
            score = min(score, THRESHOLD - 0.5)
    return score, a, b, source


# Function words that cannot follow a genitive (which is followed by its noun).
_NOT_AFTER_GENITIVE = frozenset("""
en of & van de het een die dat met in op aan voor door bij uit naar over om te als maar dan
""".split())


def _mark_genitives(toks: list[_Tok], text: str) -> None:
    """"Ahmeds collega", "Jans voorstel": Dutch writes the genitive of a name
    as name + s (no apostrophe after most consonants).  A capitalised word
    that is not itself a first name, whose stem is one, and that is followed
    by a lower-case word that is not a verb, is read as that genitive: the
    name ends before the s."""
    for i, t in enumerate(toks[:-1]):
        w = t.text
        if not t.cap or t.upper or len(w) < 4 or not w.endswith("s") or t.poss_end != t.end:
            continue
        if t.flags & _F_FIRST:
            continue  # "Claes", "Thomas" are first names themselves
        # A surname ending in s ("Jans", "Peeters") followed by a noun is read
        # as the genitive of the first name when the stem is one ("Jans
        # voorstel"); for "Peeters collega" that gives "Peeter" + "s", which
        # still pseudonymises the whole name.
        stem_f = _flags(w[:-1])
        if not stem_f & _F_FIRST or stem_f & _F_NLSTRONG:
            continue
        nxt = toks[i + 1]
        if nxt.cap or text[t.end:nxt.start] != " ":
            continue
        nk = nxt.text.lower()
        if nk in _STRONG_VERBS or nk in _WEAK_VERBS or nk in _NOT_AFTER_GENITIVE:
            continue
        t.text = w[:-1]
        t.poss_end = t.end - 1
        t.end = t.end - 1
        t.flags = stem_f


def _label_lines(text: str) -> dict[int, str]:
    """Start offsets of lines and their kind: "label" for "Name: ..." speaker
    turns whose label may be a person, "list" for attendance lines."""
    kinds: dict[int, str] = {}
    for m in _LABEL_RE.finditer(text):
        label = m.group(1).strip()
        words = label.split()
        if not words or len(words) > 5:
            continue
        if _key(words[0]) in _LIST_HEADERS or _key(label) in ("opgemaakt door", "nagelezen door"):
            kinds[m.start(1)] = "list"
        else:
            kinds[m.start(1)] = "label"
    return kinds


def _line_of(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def find_persons(text: str, declared: Iterable[str] = ()) -> list[PersonSpan]:
    """Person-name mentions in ``text``, sorted, non-overlapping, with character
    offsets into ``text``.  ``declared`` are names a manifest lists
    (participants, facilitators); they and their unambiguous parts are always
    found where capitalised.  See the module docstring for the rules."""
    if not text:
        return []
    declared_t = tuple(sorted({" ".join(d.split()) for d in declared if d and d.strip()}))
    toks = _tokenize(text)
    for t in toks:
        t.flags = _flags(t.text)
    _mark_genitives(toks, text)
    folded = _fold(text)
    tok_at = {t.start: i for i, t in enumerate(toks)}
    cands: list[tuple[int, int, str, float]] = []
    if declared_t:
        cands.extend(_declared_spans(text, folded, tok_at, toks, declared_t))

    # Lines that are speaker labels or attendance lists.
    line_kinds = _label_lines(text)
    list_lines = {}
    for pos, kind in line_kinds.items():
        list_lines[_line_of(text, pos)] = kind

    scored = []
    for a, b in _chunks(toks, text):
        ls = _line_of(text, toks[a].start)
        kind = list_lines.get(ls)
        ctx = {}
        if kind == "label":
            ctx["label"] = True
        elif kind == "list":
            # the header itself is not a name; what follows it on the line is
            colon = text.find(":", ls)
            if colon != -1 and toks[a].start > colon:
                ctx["list_line"] = True
        sc, a2, b2, src = _score_chunk(toks, a, b, text, ctx)
        scored.append([sc, a2, b2, src])

    # Coordination: "Aziz en Zeynep", "Emilie Le Roi & Khalid Benhaddou",
    # "Kristel, Abdelkader en ...": a neighbour of an accepted name gets +1.
    accepted = [s[0] >= THRESHOLD for s in scored]
    for i, s in enumerate(scored):
        if accepted[i] or s[0] <= -50:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(scored) and accepted[j]:
                lo, hi = (scored[j], s) if j < i else (s, scored[j])
                gap = text[toks[lo[2]].poss_end:toks[hi[1]].start]
                if gap.strip() in ("en", "&", ",", "of") :
                    s[0] += 1.0
                    break
    for sc, a2, b2, src in scored:
        if sc >= THRESHOLD and a2 <= b2:
            s_off = toks[a2].start
            e_off = toks[b2].poss_end
            # Strip a trailing particle ("Jan De" cut by punctuation).
            while b2 > a2 and toks[b2].flags & _F_PART:
                b2 -= 1
                e_off = toks[b2].poss_end
            cands.append((s_off, e_off, src, sc))
    return _resolve(text, cands)


def _resolve(text: str, cands: list[tuple[int, int, str, float]]) -> list[PersonSpan]:
    """Non-overlapping selection: declared matches first, then longer spans."""
    cands.sort(key=lambda c: (c[2] != "declared", -(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, src, _ in cands:
        if e <= s:
            continue
        if any(s < te and ts < e for ts, te, _ in taken):
            # A rule span that strictly contains a declared one extends it
            # ("Sofie Vermeulen" when only "Sofie Peeters" was declared is
            # another person; but "Jan De Smet" around declared "De Smet" is
            # the same mention, so keep the longer one).
            for k, (ts, te, tsrc) in enumerate(taken):
                if tsrc == "declared" and s <= ts and te <= e and (s, e) != (ts, te) \
                        and not any(s < xe and xs < e for xi, (xs, xe, _) in enumerate(taken) if xi != k):
                    taken[k] = (s, e, "declared")
                    break
            continue
        taken.append((s, e, src))
    taken.sort()
    return [PersonSpan(s, e, text[s:e], src) for s, e, src in taken]


TITLES = _TITLES
PARTICLES = _PARTICLES


def is_place(name: str) -> bool:
    """A municipality, district, province or country in the gazetteer (one to three words, the
    words between them Dutch link words such as "de", "van")."""
    words = name.split()
    links = {"de", "het", "van", "op", "met", "aan", "als", "in", "voor", "en", "&", "der", "den", "'t"}
    return _key(name) in _places() or (len(words) <= 3 and all(_key(w) in _places() or w.lower() in links for w in words))
