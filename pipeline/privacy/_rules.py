"""The hand-written word lists of the person finder: general knowledge of Dutch and of names in
Flanders, nothing taken from the benchmark sentences. Plain data, no imports: `_lexicon` keys and
combines them with the lists from installed packages; `_tokens`, `_declared` and `_persons` read
the context words (titles, verbs, prepositions, headers).

`TITLES` and `PARTICLES` are the one source of those two lists for the whole pipeline (exported
from `pipeline.privacy`).
"""

from __future__ import annotations

# Frequent first names of communities in Belgium that Faker's locales cover
# thinly, in the French-influenced Latin spellings used in Flanders.
EXTRA_FIRST = """
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
EXTRA_SURN = [s.strip() for s in """
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
PARTICLES = frozenset("""
van de der den ter ten vande vanden vander vd le la les du des da di dos do del della von
zu el al ben bin ibn bou abou abu ait ould o mac mc d l d'
""".split())  # "d'" for the rare "D' Hondt" written apart; "D'Hondt" is one word
# Particles that can stand first in a surname written alone at the start of
# a sentence ("De Bruyne zegt ...", "Van Hoof vraagt ...", "El Idrissi ...").
LEADING_PARTICLES = frozenset("van vande vanden vander de der den ter ten le la du da di el al ben bou ait".split())

# Titles and forms of address: the capitalised chunk after them is a person;
# the title itself stays outside the span.
TITLES = frozenset("""
mevrouw meneer mijnheer mevr mvr mw mevrouwe dhr hr heer mr mrs ms miss madame mme monsieur juf juffrouw
meester dokter dr prof professor imam pastoor pater dominee rabbijn zuster broeder inspecteur
hoofdinspecteur commissaris agent schepen burgemeester minister staatssecretaris kamerlid senator
gouverneur voorzitter directeur directrice mama papa oma opa tante nonkel oom collega
president premier eersteminister vice-eersteminister ambassadeur prins prinses paus
""".split())
# Plural titles before a list of surnames: "de commissarissen Bulc en Thyssen", "de heren De Roover en
# Dewinter", "de volksvertegenwoordigers Jadin en Grovonius" (parliamentary text names people so); only
# the finder reads them as titles, so the themes' list of forms of address (TITLES) stays singular.
PLURAL_TITLES = frozenset("""
heren dames ministers staatssecretarissen commissarissen kamerleden volksvertegenwoordigers senatoren
presidenten premiers burgemeesters schepenen gouverneurs ambassadeurs voorzitters directeurs professoren
""".split())
# Forms of address: what follows is a person's name even when it looks like a word, a place or
# a thing ("mevrouw De Knop", "de heer Bergers"); function titles ("directeur Welzijn") are not so sure.
ADDRESS_FORMS = frozenset("""
mevrouw meneer mijnheer mevr mvr mw mevrouwe dhr hr heer mr mrs ms miss madame mme monsieur
""".split())
# Titles that are abbreviations, so the full stop after them is not a
# sentence end ("dhr. Janssens", "Mevr. Van Damme").
ABBREVIATIONS = frozenset("dhr mevr mvr mw hr mr dr prof st bv mme nr ir ing drs".split())

# Roles used as speaker labels or in attendance lists.  Also matched as the
# end of a compound ("Frontlijnwerker", "Brugfiguur").
ROLE_WORDS = frozenset("""
facilitator facilitatoren moderator voorzitter verslaggever notulist deelnemer deelnemers spreker
interviewer respondent directeur directrice diensthoofd medewerker medewerkers werker brugfiguur
buurtwerker wijkagent agent schepen burgemeester leerkracht juf meester ouder ouders moeder vader
tolk vrijwilliger stagiair jurist coördinator coordinator consulent begeleider bemiddelaar coach
expert onderzoeker secretaris teamleider verantwoordelijke ambtenaar allen iedereen groep
""".split())
ROLE_SUFFIXES = ("werker", "werkster", "figuur", "agent", "hoofd", "directeur", "coördinator",
                  "coordinator", "consulent", "begeleider", "bemiddelaar", "coach", "leider",
                  "deskundige", "tolk", "vrijwilliger", "ambtenaar", "medewerker", "assistent",
                  "onderzoeker", "voorzitter", "secretaris", "kundige", "kracht", "verantwoordelijke")

# Heads of Dutch compounds that name places, organisations, events and
# projects ("Overpoortstraat", "Koning Boudewijnstichting", "Taalcafé").
NONPERSON_SUFFIXES = ("straat", "laan", "plein", "steenweg", "dreef", "kaai", "markt", "singel",
                       "gracht", "stichting", "school", "hogeschool", "universiteit", "ziekenhuis",
                       "vereniging", "federatie", "centrum", "dienst", "werking", "opbouw",
                       "schakels", "kerk", "moskee", "café", "cafe", "klas", "loket", "station",
                       "project", "platform", "netwerk", "bibliotheek", "schouwburg", "feesten",
                       "beleid", "regering", "agentschap", "kantoor", "fonds", "forum", "comité",
                       "raad", "huis", "punt", "vrouwendag", "week", "festival", "wijk", "park",
                       # buildings and works ("Jan Bogaertsbrug", "Paul-Henri Spaakgebouw", "Naamsepoort")
                       "brug", "gebouw", "poort", "tunnel",
                       # suffixes of abstract nouns that no name has ("Interoperabiliteit", "Nabijheid")
                       "iteit", "heid", "schap", "isme")

# Nouns that announce a name that is not a person: "het project Samen
# Sterk", "Taalcafé De Brug", "de vzw De Link", "de stad Boma".
NONPERSON_TRIGGERS = frozenset("""
project projecten projectje initiatief campagne vzw organisatie vereniging platform werking
taalcafé taalcafe huiswerkklas buurtpunt buurthuis buurtcentrum school basisschool wijk straat
café stichting programma actie traject methodiek workshop vorming slogan thema motto label
stad gemeente deelgemeente dorp provincie regio land hoofdstad afdeling departement directie
netwerk team dienst zaal gebouw site app website krant tijdschrift boek film reeks festival
bedrijf firma fabrikant merk dossier koor groep
""".split())
# Heads of compound nouns that announce an organisation's name: "sectororganisatie Agoria",
# "vervoersmaatschappij De Lijn", "beroepsfederatie Febelfin", "koepelvereniging X".
ORGANISATION_HEADS = ("organisatie", "vereniging", "maatschappij", "federatie", "bedrijf", "firma", "fabrikant",
                      "stichting", "instelling", "vennootschap", "koepel", "instituut", "agentschap")

# Known organisations and other capitalised non-persons that look like names.
ORG_WORDS = frozenset("""
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
NATIONALITY_STEMS = """
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
DEMONYMS = """
Belg Belgen Vlaming Vlamingen Waal Walen Brusselaar Brusselaars Nederlander Nederlanders
Marokkaan Marokkanen Turk Turken Koerd Koerden Syriër Syriërs Afghaan Afghanen Irakees Irakezen
Congolees Congolezen Somaliër Somaliërs Eritreeër Eritreeërs Pool Polen Roemeen Roemenen
Bulgaar Bulgaren Roma Afrikaan Afrikanen Europeaan Europeanen Arabier Arabieren Berber Berbers
Gentenaar Gentenaars Antwerpenaar Antwerpenaars Limburger Limburgers Moslim Moslims Moslima
Christen Christenen Jood Joden Oekraïner Oekraïners Rus Russen Albanees Albanezen
""".split()

# Speech, cognition and action verbs that follow a person subject.  Strong:
# verbs that in meeting notes almost only take a person as subject.
STRONG_VERBS = frozenset("""
zegt zei zeggen zeiden vertelt vertelde vertellen vertelden vindt vond vinden vonden merkt merkte
merken stelt stelde vraagt vroeg vragen vroegen wijst wees legt legde geeft gaf antwoordt
antwoordde bevestigt bevestigde benadrukt benadrukte erkent erkende denkt dacht meent meende
getuigt getuigde beaamt beaamde reageert reageerde verwijst verwees vult vulde noemt noemde pleit
pleitte waarschuwt waarschuwde wil wou wilde herinnert ziet zag weet wist kent kende begeleidt
begeleidde coördineert coördineerde belde sprak spreekt schreef vertaalt vertaalde leidt
""".split())
# Weak: frequent verbs that also take organisations or things as subject.
WEAK_VERBS = frozenset("""
is was heeft had hebben hadden zijn waren werkt werkte werken kwam komt gaat ging helpt hielp
doet deed maakt maakte organiseert organiseerde volgt volgde woont woonde krijgt kreeg draait
runt opende presenteerde presenteert bracht brengt gaf geeft nam neemt zit zat kan kon moet
moest zal zou
""".split()) - frozenset(["doet", "deed"])  # "Hoop doet leven": too idiomatic to count

# After "X verb", one of these means inversion (X is an adverb or object,
# not the subject): "Achteraf kreeg ik een brief".
SUBJECT_PRONOUNS = frozenset("ik je jij we wij ze zij hij men u jullie".split())

# Words before a name that make a person more likely ("samen met Jan",
# "volgens Van der Veken", "door Els").
PERSON_PREPS = frozenset("met door volgens aan zoals collega collega's vriend vriendin dochter zoon "
                          "broer zus vrouw man moeder vader buurvrouw buurman ook en".split())
# Words before a chunk that make it a place ("in Gent", "naar Antwerpen").
PLACE_PREPS = frozenset("in naar uit te richting vanuit nabij rond binnen buiten".split()
                        + ["bij"])  # "bij Infrabel", "bij VDAB": where one works, mostly an organisation
# Determiners before a chunk: Dutch does not put them before a person's name
# (except colloquially before first names, "de Sofie", handled below).
DETERMINERS = frozenset("de het een deze die dit dat onze ons hun haar zijn mijn uw elke iedere".split()
                        + ["des"])  # the old genitive article of fixed phrases: "procureur des Konings"

# Headers whose line continues with names ("Aanwezig: Sofie Vermeulen, ...").
LIST_HEADERS = frozenset("""
aanwezig aanwezigen afwezig verontschuldigd deelnemers contactpersoon contactpersonen notulen
notulist verslaggever opgemaakt nagelezen auteur auteurs
""".split())

# Interjections and adverbs that open sentences in notes: function words, like spaCy's stop words.
SENTENCE_OPENERS = """ja nee neen oké ok okay goh tja allez awel enfin achteraf daarvoor daarna daarom
daardoor daarmee daarbij daarnaast daarentegen vervolgens uiteindelijk eigenlijk gelukkig
helaas trouwens bovendien ondertussen intussen tenslotte natuurlijk inderdaad uiteraard
misschien ook zeker vooral soms vaak nu toen straks meteen dus want maar""".split()

COMPASS = frozenset("noord zuid oost west centrum noordoost noordwest zuidoost zuidwest".split())
# "Saint" in the Romance and German languages: before a capitalised word it names a place, a church or a
# saint ("San Francisco", "Santo Domingo", "Saint-Louis"), as Dutch "Sint" does ("Sint-Niklaas").
SAINT_WORDS = frozenset("san santo santa sao saint sainte sankt".split())

# The months, in order: several are also first names (April, Mei, Juni, Juli), but beside a day or
# a year ("in Juli 2014", "op 3 Mei") such a word is a date. The outputs write dates with them.
MONTHS = tuple("januari februari maart april mei juni juli augustus september oktober november december".split())


# Places the Faker gazetteer lacks: regions, countries people come from, districts of the cities.
EXTRA_PLACES = """
Vlaanderen Wallonië Brussel Europa Afrika Azië Amerika Oceanië Midden-Oosten Maghreb Rif
Marokko Turkije Syrië Irak Iran Afghanistan Eritrea Somalië Congo Guinee Senegal Ghana
Nigeria Kameroen Rwanda Burundi Ethiopië Soedan Algerije Tunesië Libië Egypte Palestina
Oekraïne Rusland Polen Roemenië Bulgarije Albanië Kosovo Servië Bosnië Tsjetsjenië
Nederland België Frankrijk Duitsland Spanje Italië Portugal Griekenland Engeland
Oost-Vlaanderen West-Vlaanderen Vlaams-Brabant Waals-Brabant Limburg Antwerpen Henegouwen
Kempen Westhoek Meetjesland Waasland Pajottenland Haspengouw Borgerhout Deurne Merksem
Hoboken Wilrijk Berchem Ekeren Molenbeek Schaerbeek Anderlecht Sint-Gillis Ledeberg
Gentbrugge Oostakker Mariakerke Sint-Amandsberg Wondelgem Drongen Zwijnaarde Kessel-Lo
Heverlee Wijgmaal Waterschei Winterslag Zwartberg
""".split()
# Dutch link words inside a place name of up to three words ("Heist op den Berg").
PLACE_LINKS = frozenset(["de", "het", "van", "op", "met", "aan", "als", "in", "voor", "en", "&", "der", "den", "'t"])

# Prefixes of Flemish surnames built on particles ("Vandenberghe", "Verhoeven"): such a word is
# no compound of two dictionary words.
NAME_PREFIXES = ("van", "ver", "de", "der", "den", "ter", "ten", "el", "ben", "bou", "abd")

# Function words that cannot follow a genitive (which is followed by its noun).
NOT_AFTER_GENITIVE = frozenset("""
en of & van de het een die dat met in op aan voor door bij uit naar over om te als maar dan
""".split())
