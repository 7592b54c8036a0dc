"""The project's title on pages shaped like real ones: what is a name and what only stands where one could.

Rows in invented Czech, named by where the case came from. ``NOT_A_NAME`` are lines that
stand where a title stands (image texts, label lines, the funding statement, a call's
name, prose) and must not be taken for one; ``PAGES``, ``PROSE`` and ``HTML_PAGES`` are whole pages and the title they must give.
"""

from __future__ import annotations

import pytest
from helpers import Case, value_of

from pipeline.core import clean_bytes, extract_bytes
from pipeline.extract import identity, looks_like_project_page

NOT_A_NAME = [
    # validation pages: logo alt texts and photo captions above the text
    ("logo-alt-text", "Logo OP Zaměstnanost"),
    ("logos-alt-text", "Loga programu a EU"),
    ("photo-caption", "Úvodní fotografie"),
    ("title-picture", "Titulní obrázek"),
    # validation pages: labels, English labels and label lines
    ("english-label", "Project title"),
    ("fund-label-line", "Fond: IROP"),
    ("share-label-line", "Míra podpory z rozpočtu: 85 %"),
    ("applicant-label-and-name", "Žadatel Krajská správa silnic Lhotecka"),
    # validation and corpus pages: the funding statement
    ("funding-statement", "Projekt financovaný z Evropského sociálního fondu, Operačního programu Zaměstnanost"),
    ("funding-statement-this", "Tento projekt je spolufinancován Evropskou unií"),
    # validation pages: the call's name
    ("call-name-templates", "Šablony II"),
    ("call-name-money-for-schools", "EU – Peníze školám"),
    # corpus pages: a dumped line of prose that introduces the name
    ("prose-introducing-name", "Ve Spolku Lípa nyní realizujeme projekt Kulturní mosty"),
    # corpus pages: headings of sections about the project
    ("section-heading-history", "Historie projektu"),
    ("section-heading-summary", "Popis projektového záměru"),
    ("section-heading-basic-data", "Základní údaje o projektu"),
    # corpus and validation pages: the publishing organisation or the funder
    ("owner-charity", "Charita Lhotka"),
    ("owner-municipality", "Obec Lhotka nad Vodou"),
    ("owner-school", "Základní škola Lhotka, příspěvková organizace"),
    ("owner-legal-form", "Lípa pro všechny, z. s."),
    ("funder", "Evropský sociální fond"),
]

# Lines a page heading or lead line must not be (quoted and labelled names are not tested).
NOT_A_HEADING_NAME = [
    # corpus-in-sites pages: news headlines
    ("headline-got-a-subsidy", "Obec získala dotaci na nové herní prvky"),
    ("headline-is-in-progress", "Projekt MAPu je ve fázi realizace"),
    # corpus-in-sites and validation pages: breadcrumb trails
    ("breadcrumb-unspaced", "Úvodní stránka>Aktuality>Nový chodník 2018"),
    ("breadcrumb-slashes", "Úvod / Projekty / Nový chodník"),
]


@pytest.mark.parametrize(("id_", "line"), NOT_A_HEADING_NAME, ids=[r[0] for r in NOT_A_HEADING_NAME])
def test_lines_that_are_no_heading_name(id_: str, line: str) -> None:
    """Headlines and breadcrumbs are no page heading or lead line to take."""
    assert not identity._title_like(line)

STILL_NAMES = [
    ("school-template-title", "Šablony pro ZŠ Hájenka II"),
    ("title-with-colon", "Zelená stezka: obnova cest v lese"),
    ("photovoltaic-is-no-photo", "Fotovoltaická elektrárna na střeše školy"),
    ("plain-name", "Dluhová poradna v Lhotce"),
    ("school-in-a-template-name", "MŠ Lhotka Šablony I"),
    ("service-name-with-place", "Dětská skupina Sluníčko Lhotka"),
    ("centre-name", "Komunitní centrum Lhotka"),
]


@pytest.mark.parametrize(("id_", "line"), NOT_A_NAME, ids=[r[0] for r in NOT_A_NAME])
def test_lines_that_name_no_project(id_: str, line: str) -> None:
    """Captions, label lines, funding statements, call names and prose are no title."""
    assert identity._is_generic(line)


@pytest.mark.parametrize(("id_", "line"), STILL_NAMES, ids=[r[0] for r in STILL_NAMES])
def test_names_stay_names(id_: str, line: str) -> None:
    """The filters leave ordinary project names alone."""
    assert not identity._is_generic(line)


CLEANED = [
    ("regnum-after-dash", "Zelená škola – projekt CZ.1.07/1.1.00/14.0001", "Zelená škola"),
    ("regnum-after-comma", "Lepší start, reg. č. CZ.06.2.56/0.0/0.0/17_071/0004123", "Lepší start"),
    ("regnum-in-parentheses", "Lepší start (CZ.03.2.60/0.0/0.0/16_052/0009111)", "Lepší start"),
    ("no-regnum", "Lepší start pro děti", "Lepší start pro děti"),
    # corpus pages: the municipality that carries the project out, after a dash
    ("municipality-after-dash", "Oprava knihovny – Obec Lhotka pod Horou", "Oprava knihovny"),
    ("office-after-dash-stays", "Zlepšení řízení - Městský úřad Lhotka II", "Zlepšení řízení - Městský úřad Lhotka II"),
    # corpus pages: the word 'Projekt' before the name
    ("projekt-before-the-name", "Projekt Zelená škola", "Zelená škola"),
    ("projekt-with-colon", "Projekt: Lesní koutek", "Lesní koutek"),
    # English pages: the English word before the name
    ("english-project-with-colon", "Project: Lesní koutek", "Lesní koutek"),
    # school pages listing their template projects: the call's name, then the project's quoted
    ("call-then-quoted-name", "ŠABLONY II. „Čtenáři z Lhotky“", "Čtenáři z Lhotky"),
    ("call-for-schools-then-quoted-name", "Šablony pro ZŠ: „Společně v Lhotce“", "Společně v Lhotce"),
    ("quoted-part-of-a-name-stays", "Oprava domu „U Lípy“", "Oprava domu U Lípy"),
    # multi pages: a part of a larger plan's code before its name
    ("dotted-code-before-the-name", "3.2b - Nová učebna Lhotka", "Nová učebna Lhotka"),
    ("year-range-stays", "2019 - 2021 Lepší start", "2019 - 2021 Lepší start"),
]


@pytest.mark.parametrize(("id_", "raw", "expected"), CLEANED, ids=[r[0] for r in CLEANED])
def test_what_is_cut_from_a_title(id_: str, raw: str, expected: str) -> None:
    """A registration number, the municipality after a dash, the word 'Projekt' are no part of the name."""
    assert identity._clean_title(raw) == expected


PAGES = [
    # validation pages: a logo's alt text above the name and the labels
    Case(
        "logo-above-the-name",
        "Logo IROP\n\nKomunitní dílna Lhotka\n\nLogo IROP\n\nRegistrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0001234\n\n"
        "Cílem projektu je vybudovat dílnu pro klienty.",
        "title",
        "Komunitní dílna Lhotka",
    ),
    # corpus pages: the funding statement below the name
    Case(
        "funding-statement-below-the-name",
        "Prevence zadlužení ve Lhotce\n\nProjekt financovaný z Evropského sociálního fondu, Operačního programu Zaměstnanost\n\n"
        "CZ.03.2.60/0.0/0.0/15_005/0001234\n\nRealizace projektu 1. 4. 2016 – 31. 3. 2019",
        "title",
        "Prevence zadlužení ve Lhotce",
    ),
    # corpus pages: an English label before the name and the number
    Case(
        "english-label-before-the-name",
        "Integration Centre Lhotka\n\nProject name\n\nCentrum pro cizince Lhotka, CZ.03.2.65/0.0/0.0/16_047/0012345\n\n"
        "Amount provided (CZK)\n\n1 000 000 Kč",
        "title",
        "Centrum pro cizince Lhotka",
    ),
    # corpus pages: a text dump's first line above a paragraph about the project
    Case(
        "name-above-project-prose",
        "Dětský klub při ZŠ Lhotka\n\nProjekt je zaměřen na sladění rodinného a pracovního života rodičů.\n\n"
        "Projekt byl podpořen z Evropského sociálního fondu.",
        "title",
        "Dětský klub při ZŠ Lhotka",
    ),
    # corpus pages: the same with a logo's alt text between them
    Case(
        "name-above-caption-and-project-prose",
        "Komunitní práce v Lhotce\n\nLogo OPZ barevné\n\nProjekt usiluje o posílení schopností lidí v obci.\n\n"
        "Projekt je spolufinancován Evropskou unií.",
        "title",
        "Komunitní práce v Lhotce",
    ),
    # caught in review: a line above prose that does not speak of the project stays unconfirmed
    Case(
        "name-above-other-prose",
        "Nové hřiště v Lhotce\n\nDěti si hrají na novém hřišti.\n\nProjekt je spolufinancován Evropskou unií.",
        "title",
        None,
    ),
    # validation pages: only a photo caption where the name would stand
    Case(
        "only-a-caption",
        "Úvodní fotografie\n\nRegistrační číslo projektu: CZ.03.2.60/0.0/0.0/16_052/0009999\n\nCílem projektu je pomoci rodinám.",
        "title",
        None,
    ),
    # corpus pages: below the article, a line of the name and its registration number
    Case(
        "name-and-number-line-below-the-text",
        "Plán rozvoje škol v Lhotce je dvouletý projekt, který začal v lednu 2023. "
        "Navazuje na dřívější plánování.\n\nCílem projektu je podpořit spolupráci škol.\n\n"
        "Plán rozvoje škol v Lhotce II, CZ.02.3.68/0.0/0.0/20_082/0012345.",
        "title",
        "Plán rozvoje škol v Lhotce II",
    ),
    # publicity boxes: the name, a dash and 'reg. č.' with the number
    Case(
        "name-dash-reg-number-line",
        "Aktuality\n\nV září začaly práce v nové učebně.\n\nModernizace učebny fyziky – reg. č. CZ.06.2.67/0.0/0.0/16_063/0012345\n\n"
        "Projekt je spolufinancován Evropskou unií.",
        "title",
        "Modernizace učebny fyziky",
    ),
    # publicity boxes and English pages: 'Projekt:' and the name on a line of its own
    Case(
        "project-colon-line",
        "Aktuality\n\nŠkola dokončila stavbu nové dílny.\n\nProjekt: Dílna pro praktické vyučování v Lhotce\n\n"
        "Registrační číslo: CZ.06.2.67/0.0/0.0/16_063/0012345",
        "title",
        "Dílna pro praktické vyučování v Lhotce",
    ),
    Case(
        "english-project-colon-line",
        "News\n\nŠkola dokončila stavbu nové dílny.\n\nProject: Dílna pro praktické vyučování v Lhotce\n\n"
        "Registrační číslo: CZ.06.2.67/0.0/0.0/16_063/0012345",
        "title",
        "Dílna pro praktické vyučování v Lhotce",
    ),
    # caught in review: only the number's label, a programme or a sentence before the number
    Case(
        "programme-and-number-line",
        "Aktuality\n\nŠkola dokončila stavbu nové dílny.\n\nOperační program Zaměstnanost, CZ.03.2.60/0.0/0.0/16_052/0009999",
        "title",
        None,
    ),
    Case(
        "sentence-before-number",
        "Aktuality\n\nŠkola dokončila stavbu nové dílny.\n\nProjekt je spolufinancován Evropskou unií, CZ.03.2.60/0.0/0.0/16_052/0009999",
        "title",
        None,
    ),
    Case(
        "project-colon-sentence",
        "Aktuality\n\nŠkola dokončila stavbu nové dílny.\n\nProjekt: Škola získala dotaci na dílnu.\n\n"
        "Registrační číslo: CZ.06.2.67/0.0/0.0/16_063/0012345",
        "title",
        None,
    ),
]


_EU = "\n\nProjekt je spolufinancován Evropskou unií."

# The name in running text: quoted or unquoted after the words that introduce it.
PROSE = [
    # unseen pages' style: the publicity sentence with the number between name and verb,
    # a feminine subject, and 'realizován za podpory'
    Case(
        "publicity-sentence-with-number-before-the-verb",
        "Aktuality\n\nProjekt Oprava návsi v Lhotce, reg. č. CZ.06.2.56/0.0/0.0/16_051/0001234, je spolufinancován Evropskou unií.",
        "title",
        "Oprava návsi v Lhotce",
    ),
    Case(
        "publicity-sentence-realised-with-support",
        "Aktuality\n\nProjekt Oprava návsi v Lhotce byl realizován za finanční podpory Evropské unie.",
        "title",
        "Oprava návsi v Lhotce",
    ),
    Case(
        "publicity-sentence-of-an-action",
        "Aktuality\n\nAkce Oprava návsi v Lhotce byla spolufinancována z rozpočtu Evropské unie.\n\n"
        "Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0001234",
        "title",
        "Oprava návsi v Lhotce",
    ),
    Case(
        "publicity-sentence-of-a-building",
        "Aktuality\n\nStavba Přístavba mateřské školy Lhotka je spolufinancována Evropskou unií.\n\n"
        "Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0001234",
        "title",
        "Přístavba mateřské školy Lhotka",
    ),
    # caught in review: the name after 'realizuje projekt' does not run on into a relative clause
    Case(
        "started-project-before-a-relative-clause",
        "Aktuality\n\nObec Lhotka realizuje projekt Oprava návsi v Lhotce, který je spolufinancován Evropskou unií.",
        "title",
        "Oprava návsi v Lhotce",
    ),
    # caught in review: 'Tato akce byla spolufinancována' names nothing
    Case(
        "this-action-was-cofunded-names-nothing",
        "Aktuality\n\nTato akce byla spolufinancována z rozpočtu Evropské unie.\n\n"
        "Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0001234",
        "title",
        None,
    ),
    # corpus-in-sites pages: 's názvem' without quotes, ended by the programme
    Case(
        "named-unquoted-before-programme",
        "Naše mateřská škola je příjemcem dotace z projektu s názvem MŠ Lhotka Šablony I v programu "
        "Operační program Jan Amos Komenský." + _EU,
        "title",
        "MŠ Lhotka Šablony I",
    ),
    # corpus pages: 'má název' and the registration number in one sentence
    Case(
        "has-the-name-and-a-number",
        "Projekt má název ZŠ Lhotka výzva 80 a registrační číslo CZ.02.3.X/0.0/0.0/20_080/0012345." + _EU,
        "title",
        "ZŠ Lhotka výzva 80",
    ),
    # corpus pages: a municipality's 'akce' in quotes
    Case(
        "quoted-action-of-a-town",
        "Na jaře město Lhotka dokončilo realizaci akce „Chodník podél silnice do Zálesí“. Cílem projektu "
        "bylo zvýšit bezpečnost chodců." + _EU,
        "title",
        "Chodník podél silnice do Zálesí",
    ),
    # corpus pages: 'nazvaném' before the quotes
    Case(
        "quoted-after-nazvany",
        "Škola se zapojila do výzvy. V projektu nazvaném „Dílna pro malé truhláře“ žáci vyrábějí hračky." + _EU,
        "title",
        "Dílna pro malé truhláře",
    ),
    # corpus-in-sites pages: a colon and spaces inside odd quotes
    Case(
        "colon-and-spaced-quotes",
        "Domov Lhotka je zahrnutý do projektu:“ Proměna pobytových služeb v kraji “ .Tento projekt je "
        "financovaný z Operačního programu Zaměstnanost.",
        "title",
        "Proměna pobytových služeb v kraji",
    ),
    # corpus pages: the short name given with 'zkráceně'
    Case(
        "name-with-short-name",
        "Projekt Místní akční plán rozvoje vzdělávání Lhotecka III (zkráceně „MAP Lhotecko III“) s reg. č. "
        "CZ.02.3.68/0.0/0.0/20_082/0012345 je financován z Evropské unie.",
        "title",
        "Místní akční plán rozvoje vzdělávání Lhotecka III",
    ),
    # caught in review: 'dále jen' abbreviates the organisation, and the quoted name follows
    Case(
        "dale-jen-abbreviates-the-organisation",
        "Projekt Úřadu města Lhotky (dále jen „ÚML“) „Úřad bez bariér“ pomáhá zaměstnancům." + _EU,
        "title",
        None,
    ),
    # caught in review: a call's name in quotes first, the project's own name next
    Case(
        "quoted-call-then-quoted-name",
        "Škola se zapojila do projektu „Šablony II“. Náš projekt „Čtenářské kluby Lhotka“ začal v září." + _EU,
        "title",
        "Čtenářské kluby Lhotka",
    ),
    # corpus pages: the publicity sentence in one line, with the realiser after a comma
    Case(
        "publicity-sentence",
        "Projekt Dům pro lidi bez domova, realizovaný Charitou Lhotka v ulici Polní, je spolufinancován "
        "Evropskou unií.",
        "title",
        "Dům pro lidi bez domova",
    ),
    # corpus and corpus-in-sites pages: the publicity poster broken into lines, the name in capitals
    Case(
        "publicity-poster-lines",
        "Projekt\n\nOPRAVA TĚLOCVIČNY ZŠ LHOTKA\n\nje spolufinancován Evropskou unií.\n\n"
        "Registrační číslo projektu: CZ.06.2.67/0.0/0.0/16_063/0001234",
        "title",
        "OPRAVA TĚLOCVIČNY ZŠ LHOTKA",
    ),
    # validation pages: the earlier project the present one follows is named first
    Case(
        "earlier-project-named-first",
        "Letošní aktivity navazují na předchozí projekt „Stará cesta“. Projekt „Nová cesta“ začal v září." + _EU,
        "title",
        "Nová cesta",
    ),
    Case(
        "only-the-earlier-project-named",
        "Škola navazuje na předchozí projekt s názvem Zelená stezka. Cílem projektu je podpořit čtení." + _EU,
        "title",
        None,
    ),
    # caught in review: the publicity pattern must not run across a sentence's end
    Case(
        "publicity-sentence-stops-at-a-sentence-end",
        "Projekt Lepší škola řeší opravu učeben. Projekt je spolufinancován Evropskou unií.",
        "title",
        None,
    ),
    # caught in review: 's názvem' of something that is not the project
    Case(
        "named-conference-is-not-the-project",
        "V rámci projektu se konala konference s názvem Škola budoucnosti v Lhotce." + _EU,
        "title",
        None,
    ),
]

# Real sites' HTML: the first-level heading is a candidate, taken only when the page backs it.
HTML_PAGES = [
    # real sites' templates: the <title> holds the name and the site's, the text repeats the name
    Case(
        "page-title-repeated-in-the-text",
        "<html><head><title>Bezpečná cesta do školy v Lhotce | Obec Lhotka</title></head><body><h1>Aktuality</h1>"
        "<p>Obec Lhotka dokončila Bezpečná cesta do školy v Lhotce podle plánu.</p>"
        "<p>Registrační číslo projektu: CZ.06.1.21/0.0/0.0/16_060/0001234</p></body></html>",
        "title",
        "Bezpečná cesta do školy v Lhotce",
        "page.html",
    ),
    Case(
        "page-title-with-a-dash-inside-the-name",
        "<html><head><title>Zámky - brány k regionům · Portál</title></head><body><h1>Aktuality</h1>"
        "<p>Společný projekt Zámky - brány k regionům spojil dvě obce.</p>"
        "<p>Registrační číslo projektu: CZ.11.4.120/0.0/0.0/16_026/0001234</p></body></html>",
        "title",
        "Zámky - brány k regionům",
        "page.html",
    ),
    # real sites' templates: the <h1> and the <title> give the same name
    Case(
        "heading-backed-by-the-page-title",
        "<html><head><title>Zámecký park pro všechny | Obec Lhotka</title></head><body><h1>Zámecký park pro všechny</h1>"
        "<p>V parku přibyly lavičky, nové cesty a dětský koutek.</p>"
        "<p>Projekt je spolufinancován Evropskou unií.</p></body></html>",
        "title",
        "Zámecký park pro všechny",
        "page.html",
    ),
    # real sites: the site's section in <h1> and <title> alike is no name
    Case(
        "section-heading-in-the-page-title-too",
        "<html><head><title>Dotační tituly | Obec Lhotka</title></head><body><h1>Dotační tituly</h1>"
        "<p>V parku přibyly lavičky, nové cesty a dětský koutek.</p>"
        "<p>Projekt je spolufinancován Evropskou unií.</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # municipal pages: a second-level heading or a bold line right above the number's line
    Case(
        "subheading-above-the-number",
        "<html><body><h1>Dotace</h1><p>Obec Lhotka získává dotace z mnoha zdrojů, letos například na opravy cest "
        "a veřejné osvětlení.</p><h2>Oprava návsi v Lhotce</h2>"
        "<p>Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0001234</p>"
        "<p>Cílem projektu je oprava návsi.</p></body></html>",
        "title",
        "Oprava návsi v Lhotce",
        "page.html",
    ),
    Case(
        "bold-line-above-the-number",
        "<html><body><h1>Dotace</h1><p>Obec Lhotka získává dotace z mnoha zdrojů, letos například na opravy cest "
        "a veřejné osvětlení.</p><p><strong>Oprava návsi v Lhotce</strong></p>"
        "<p>Registrační číslo: CZ.06.2.56/0.0/0.0/16_051/0001234</p>"
        "<p>Cílem projektu je oprava návsi.</p></body></html>",
        "title",
        "Oprava návsi v Lhotce",
        "page.html",
    ),
    # caught in review: two names above two numbers name two projects, neither is the page's
    Case(
        "two-names-above-two-numbers",
        "<html><body><h1>Dotace</h1><p>Obec Lhotka získává dotace z mnoha zdrojů, letos například na opravy cest "
        "a veřejné osvětlení.</p><h2>Oprava návsi v Lhotce</h2>"
        "<p>Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0001234</p>"
        "<h2>Nové osvětlení obce Lhotka</h2>"
        "<p>Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_051/0005678</p>"
        "<p>Cílem projektu je oprava návsi.</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # issue 16: a stale or site-wide <title> the text does not repeat is no name
    Case(
        "stale-page-title-unrepeated",
        "<html><head><title>Oprava hřbitovní zdi | Obec Lhotka</title></head><body><h1>Aktuality</h1>"
        "<p>Obec dokončila úpravy parku. Projekt byl podpořen z IROP.</p>"
        "<p>Registrační číslo projektu: CZ.06.1.21/0.0/0.0/16_060/0001234</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    Case(
        "headline-page-title-is-no-name",
        "<html><head><title>Obec dokončila opravu hřbitovní zdi | Obec Lhotka</title></head><body><h1>Aktuality</h1>"
        "<p>Obec dokončila opravu hřbitovní zdi v září. Projekt byl podpořen z IROP.</p>"
        "<p>Registrační číslo projektu: CZ.06.1.21/0.0/0.0/16_060/0001234</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # corpus-in-sites and validation pages: the site's section name in <h1>, the project in prose
    Case(
        "site-section-heading-unbacked",
        "<html><body><h1>Dotační tituly</h1><p>Obec Lhotka letos opravila náves a zasadila nové stromy "
        "za pomoci dotace z rozpočtu kraje.</p><p>Cílem projektu bylo zpříjemnit náves.</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # corpus-in-sites pages: a news headline in <h1> above the story
    Case(
        "news-headline-unbacked",
        "<html><body><h1>Nový chodník je hotový</h1><p>Dělníci dokončili práce v ulici Polní.</p>"
        "<p>Cílem projektu bylo zvýšit bezpečnost chodců.</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # corpus pages: the name in <h1> backed by the labels right below it
    Case(
        "heading-backed-by-labels",
        "<html><body><h1>Rekonstrukce hasičské zbrojnice Lhotka</h1>"
        "<p>Registrační číslo projektu: CZ.06.1.21/0.0/0.0/16_060/0001234</p>"
        "<p>Cílem projektu je zlepšit připravenost jednotky.</p></body></html>",
        "title",
        "Rekonstrukce hasičské zbrojnice Lhotka",
        "page.html",
    ),
    # corpus-in-sites pages: the name in <h1> backed by a mention in the text
    Case(
        "heading-backed-by-a-mention",
        "<html><body><h1>Rodinné centrum Sluníčko</h1><p>Obec Lhotka dokončila projekt Rodinné centrum "
        "Sluníčko, který podpořila Evropská unie.</p></body></html>",
        "title",
        "Rodinné centrum Sluníčko",
        "page.html",
    ),
    # corpus-in-sites pages: a heading holding the title label and the name
    Case(
        "heading-with-title-label",
        "<html><body><h1>Název projektu: Vybavení knihovny v Lhotce</h1><p>Projekt byl podpořen z Programu "
        "rozvoje venkova.</p><p>Cílem projektu je obnovit vybavení knihovny.</p></body></html>",
        "title",
        "Vybavení knihovny v Lhotce",
        "page.html",
    ),
    # corpus-in-sites pages: label and value set as two headings
    Case(
        "label-and-value-as-two-headings",
        "<html><body><h3>Název projektu</h3><h3>Oprava mostu v Lhotce</h3><h3>Registrační číslo</h3>"
        "<h3>CZ.06.1.21/0.0/0.0/16_060/0001234</h3><p>Cílem projektu je bezpečný most.</p></body></html>",
        "title",
        "Oprava mostu v Lhotce",
        "page.html",
    ),
    # corpus-in-sites pages: a short heading and the full name in the heading below it
    Case(
        "fuller-heading-below",
        "<html><body><h1>Centrum výuky</h1><h2>Centrum výuky ZŠ Lhotka</h2><p>Projekt Centrum výuky řeší "
        "opravu učeben. Projekt je spolufinancován z Regionálního operačního programu.</p></body></html>",
        "title",
        "Centrum výuky ZŠ Lhotka",
        "page.html",
    ),
    # corpus-in-sites pages: a programme's abbreviation before a shortened name
    Case(
        "programme-before-a-short-name",
        "<html><body><h1>OPPA: Zdravé svačiny</h1><p>OPPA: Zdravé svačiny</p><p>Škola zahájila projekt "
        "v rámci Operačního programu Praha – Adaptabilita. Cílem projektu je zdravé stravování.</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # corpus-in-sites pages: a category glued to a date
    Case(
        "category-and-date",
        "<html><body><p>Nezařazené12. 3. 2022</p><p>Registrační číslo: CZ.2.17/3.1.00/31234</p>"
        "<p>Cílem projektu je zdravé stravování.</p></body></html>",
        "title",
        None,
        "page.html",
    ),
    # corpus-in-sites pages: a menu line repeated in the footer is not backed by its repetition
    Case(
        "menu-line-repeated",
        "<html><body><p>Naše témata</p><p>Cílem projektu je pomoci seniorům v Lhotce.</p>"
        "<p>Naše témata</p></body></html>",
        "title",
        None,
        "page.html",
    ),
]


@pytest.mark.parametrize("case", PAGES + PROSE + HTML_PAGES, ids=lambda c: c.id)
def test_title_on_pages(case: Case) -> None:
    """The title a whole page yields (on a page the project-page gate lets through)."""
    assert looks_like_project_page(clean_bytes(case.page.encode("utf-8"), case.name).text)
    record = extract_bytes(case.page.encode("utf-8"), case.name)
    assert value_of(record, case.field) == case.expected
