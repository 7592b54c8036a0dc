"""Subsidy, total cost and period on page shapes met on unseen pages (issue 16).

Each row restates, in invented words, a shape on which the money or period rules failed
on real pages they had never seen: ``FROM_UNSEEN_PAGES`` are the failure classes the
issue lists, ``FROM_THE_CORPUS`` shapes found in the shared corpus's errors, and
``MUST_STAY_NULL`` shapes where the right answer is no value.
"""

from __future__ import annotations

import pytest
from helpers import Case, value_of

from pipeline.core import clean_bytes, extract_bytes

HEADINGS_AS_VALUES = """<html><body><h1>Oprava mostu v Lipníku</h1>
<p>Projekt je spolufinancován Evropskou unií. Registrační číslo projektu CZ.04.1.41/0.0/0.0/16_012/0004321</p>
<h3>Datum zahájení</h3><h3>3.4.2018</h3>
<h3>Datum ukončení</h3><h3>30.11.2019</h3>
<h3>Schválený příspěvek z fondů EU</h3><h3>21 400 000,00 Kč</h3>
</body></html>"""

UNKNOWN_MONEY_HEADINGS = """<html><body><h1>Nová učebna fyziky</h1>
<p>Projekt je spolufinancován Evropskou unií z IROP.</p>
<h4>Celkové výdaje projektu</h4><p>1 250 000,00 Kč</p>
<h4>Výdaje, ze kterých je stanovena dotace</h4><p>1 200 000,00 Kč</p>
<h4>Celková výše přiznané dotace</h4><p>960 000,00 Kč (80%)</p>
<p>Z toho příspěvek společenství (EU): 816 000,00 Kč (68%), příspěvek z národních zdrojů 144 000,00 Kč (12%)</p>
</body></html>"""

FUNDING_TABLE = """Revitalizace parku U Mlýna
Registrační číslo projektu: CZ.06.4.59/0.0/0.0/16_075/0009876
Celkové výdaje projektu: 1 204 500,00 Kč
Výdaje, ze kterých je stanovena dotace: 1 180 000,00 Kč
Celková výše přiznané dotace: 944 000,00 Kč (80 %)
Z toho příspěvek EU: 802 400,00 Kč, příspěvek ze státního rozpočtu 141 600,00 Kč
"""

SHARES_ONLY = """Zateplení hasičské zbrojnice Dolní Lhota
Projekt je spolufinancován Evropskou unií.
Rozpočet projektu 3.400.000,00 Kč
dotace EU 85% 2.890.000,00 Kč
dotace ČR 5% 170.000,00 Kč
vlastní zdroje 10% 340.000,00 Kč
"""

SOURCES_THEN_TOTAL = """Modernizace učeben ZŠ Habrová
Projekt je spolufinancován Evropskou unií z IROP.
Evropský fond pro regionální rozvoj 85 % - 4.250.000 Kč
Státní rozpočet 5 % - 250.000 Kč
Celkem poskytnutá dotace 4.500.000 Kč
"""

OWN_SHARE_LINE = """Projekt Krok za krokem
Registrační číslo: CZ.03.2.63/0.0/0.0/15_007/0004321
Celkové způsobilé výdaje: 2 400 000,00 Kč
Dotace EU: 2 040 000,00 Kč
Příspěvek ze zdrojů příjemce podpory: 360 000,00 Kč
"""

SUBLABEL_IN_COST_SECTION = """<html><body><h1>Rekonstrukce zastávky Horní Ves</h1>
<p>Registrační číslo projektu CZ.04.1.41/0.0/0.0/16_012/0001234</p>
<h3>Celkové náklady projektu</h3><p>52 300 000,00 Kč</p>
<p>Schválený příspěvek z fondů EU</p><p>36 100 000,00 Kč</p>
<h3>Celkové způsobilé výdaje</h3><p>43 000 000,00 Kč</p>
</body></html>"""

TITLE_LINE_BEFORE_AMOUNTS = """Podpora rodinných center v Lipové
Projekt je spolufinancován Evropskou unií.
Celkové způsobilé náklady 3 500 000,00 Kč
Dotace z Evropského sociálního fondu plus 2 975 000,00 Kč
Prostředky ze státního rozpočtu 350 000,00 Kč
"""

FROM_UNSEEN_PAGES = [
    Case(
        "stray-space-after-decimal-comma",
        "Projekt Dětský klub Sova. Dotace MPSV – OPZ činí 2 415 300, 50 Kč",
        "subsidy.amount",
        "2415300.50",
    ),
    Case(
        "stray-space-before-million",
        "Projekt Bezpečná obec byl podpořen z Evropského sociálního fondu částkou 12, 4 mil. Kč.",
        "subsidy.amount",
        "12400000",
    ),
    Case(
        "celkova-castka-is-the-total-cost",
        "Projekt Nová klubovna\nRegistrační číslo: CZ.06.2.56/0.0/0.0/16_072/0001234\nCelková částka: 1 820 000 Kč",
        "total_cost.amount",
        "1820000",
    ),
    Case(
        "total-cost-in-prose",
        "Projekt Teplá škola je spolufinancován Evropskou unií. Předpokládané náklady projektu dosahují částky 6 mil. Kč.",
        "total_cost.amount",
        "6000000",
    ),
    Case(
        "inflected-total-cost-in-prose",
        "Obec dokončila projekt Chodník ke škole s celkovými náklady 2 350 000 Kč, podpořený z IROP.",
        "total_cost.amount",
        "2350000",
    ),
    Case("total-subsidy-beats-its-parts", FUNDING_TABLE, "subsidy.amount", "944000.00"),
    Case("total-costs-of-the-card", FUNDING_TABLE, "total_cost.amount", "1204500.00"),
    Case(
        "currency-named-by-the-label",
        "Projekt Nová hala\nRegistrační číslo projektu: CZ.01.1.02/0.0/0.0/15_019/0001234\nVýše dotace (Kč): 1 250 000,50",
        "subsidy.amount",
        "1250000.50",
    ),
    Case(
        "currency-named-by-the-label-total",
        "Projekt Nová hala\nRegistrační číslo projektu: CZ.01.1.02/0.0/0.0/15_019/0001234\nCelkové výdaje v CZK: 2 000 000",
        "total_cost.amount",
        "2000000",
    ),
    Case(
        "english-card-value-on-next-line",
        "Project name\nCentrum pro rodiny, CZ.03.2.63/0.0/0.0/15_007/0012345\nAmount provided / requested (CZK)\n"
        "12 310 500,00 Kč/12 310 500,00 Kč\nName of the EU financial source\nOperační program Zaměstnanost",
        "subsidy.amount",
        "12310500.00",
    ),
    Case(
        "eur-amount-is-not-czk",
        "Projekt Most přátelství z programu Interreg. Výše dotace: 42 500 EUR",
        "subsidy.currency",
        "EUR",
    ),
    Case(
        "czk-beside-eur",
        "Projekt Most přátelství z programu Interreg. Výše dotace: 42 500 EUR (1 062 500 Kč)",
        "subsidy.amount",
        "1062500",
    ),
]

PERIOD_FROM_UNSEEN_PAGES = [
    Case(
        "separate-start-and-end-labels",
        "Projekt Dílna pro všechny\nRegistrační číslo: CZ.03.2.65/0.0/0.0/16_047/0012345\n"
        "Datum zahájení: 1. 3. 2021\nDatum ukončení: 28. 2. 2023",
        "period.end",
        "2023-02-28",
    ),
    Case(
        "planned-end-label",
        "Projekt Dílna pro všechny\nRegistrační číslo: CZ.03.2.65/0.0/0.0/16_047/0012345\n"
        "Zahájení realizace: 1. 3. 2021\nPředpokládané ukončení: 30. 6. 2024",
        "period.end",
        "2024-06-30",
    ),
    Case(
        "english-start-and-end-date",
        "Project Zelený most\nRegistrační číslo: CZ.11.3.119/0.0/0.0/16_012/0001234\n"
        "Start date: 01.09.2022\nEnd date: 31.08.2024",
        "period.start",
        "2022-09-01",
    ),
    Case(
        "english-implementation-label",
        "Projekt Centrum pro cizince\nRegistrační číslo: CZ.03.3.X/0.0/0.0/15_018/0012345\n"
        "Project implementation: 01. 04. 2021 – 31. 3. 2024",
        "period.end",
        "2024-03-31",
    ),
    Case(
        "portal-card-physical-realisation",
        "Projekt Nová hala\nRegistrační číslo projektu: CZ.01.1.02/0.0/0.0/15_019/0001234\n"
        "Předpokládané datum zahájení fyzické realizace projektu: 1. 2. 2017\n"
        "Skutečné datum ukončení fyzické realizace projektu: 30. 9. 2018",
        "period.end",
        "2018-09-30",
    ),
    Case(
        "from-and-until-labels-start",
        "Projekt Klubík\nRegistrační číslo: CZ.03.1.51/0.0/0.0/17_077/0001234\nRealizace od: 1. 9. 2019\nRealizace do: 30. 6. 2021",
        "period.start",
        "2019-09-01",
    ),
    Case(
        "from-and-until-labels-end",
        "Projekt Klubík\nRegistrační číslo: CZ.03.1.51/0.0/0.0/17_077/0001234\nRealizace od: 1. 9. 2019\nRealizace do: 30. 6. 2021",
        "period.end",
        "2021-06-30",
    ),
    Case(
        "month-slash-range",
        "Projekt Škola hrou\nRegistrační číslo: CZ.02.3.68/0.0/0.0/18_063/0012345\nTermín realizace: 11/2022 – 05/2023",
        "period.end",
        "2023-05-31",
    ),
    Case(
        "range-inside-prose",
        "Spolek Luční realizoval od 1. 2. 2010 do 31. 7. 2012 projekt Zahrada, spolufinancovaný z ESF.",
        "period.start",
        "2010-02-01",
    ),
    Case(
        "end-noun-before-date",
        "Projekt Klub Sova je spolufinancován EU. Projekt byl zahájen 1. 9. 2020 a předpokládané "
        "ukončení projektu je 31. 8. 2023.",
        "period.end",
        "2023-08-31",
    ),
    Case(
        "start-verb-after-date",
        "Projekt z ESF. Dne 1. března 2016 byla zahájena realizace projektu „Cesta ven“.",
        "period.start",
        "2016-03-01",
    ),
    Case(
        "start-verb-words-before-date",
        "Projekt Místní akční plán II je spolufinancován EU. Projekt zahájil svou činnost 1. dubna 2022.",
        "period.start",
        "2022-04-01",
    ),
    Case(
        "month-names-range-in-prose",
        "Obec Horní Lhota realizovala v období od dubna do října 2024 projekt Spolu na kole, "
        "spolufinancovaný z programu Interreg.",
        "period.start",
        "2024-04-01",
    ),
    Case(
        "month-name-range-in-brackets",
        "Projekt je spolufinancován EU. Projekt bude realizován po dobu 24 měsíců (březen 2018 – únor 2020).",
        "period.end",
        "2020-02-29",
    ),
    Case(
        "planned-date-labels",
        "Projekt Tichá knihovna\nRegistrační číslo: CZ.06.2.56/0.0/0.0/16_043/0004567\n"
        "Plánované datum zahájení: 1. 3. 2021\nPlánované datum ukončení: 28. 2. 2023",
        "period.end",
        "2023-02-28",
    ),
    Case(
        "actual-end-label",
        "Projekt Tichá knihovna\nRegistrační číslo: CZ.06.2.56/0.0/0.0/16_043/0004567\n"
        "Skutečné zahájení: 1. 3. 2021\nSkutečný termín ukončení: 31. 1. 2023",
        "period.end",
        "2023-01-31",
    ),
    Case(
        "start-label-end-in-prose-start",
        "Projekt Tichá knihovna je spolufinancován z IROP.\nPlánované zahájení: 1. 3. 2021\n"
        "Projekt bude ukončen k 28. 2. 2023.",
        "period.start",
        "2021-03-01",
    ),
    Case(
        "start-label-end-in-prose-end",
        "Projekt Tichá knihovna je spolufinancován z IROP.\nPlánované zahájení: 1. 3. 2021\n"
        "Projekt bude ukončen k 28. 2. 2023.",
        "period.end",
        "2023-02-28",
    ),
    Case(
        "end-verb-preposition",
        "Projekt Pestrá louka je spolufinancován z OP ŽP. Projekt bude ukončen k 31. 12. 2022.",
        "period.end",
        "2022-12-31",
    ),
    Case(
        "end-verb-ke-dni",
        "Projekt Pestrá louka je spolufinancován z OP ŽP. Realizace projektu byla ukončena ke dni 30. 9. 2021.",
        "period.end",
        "2021-09-30",
    ),
    Case(
        "completed-verb-month",
        "Obec Nová Lhota realizovala projekt Chodník ke škole z IROP. Projekt byl dokončen v srpnu 2021.",
        "period.end",
        "2021-08-31",
    ),
    Case(
        "completed-verb-day",
        "Projekt Dětská skupina Sluníčko je spolufinancován z OPZ. Realizace projektu byla dokončena 30. 6. 2020.",
        "period.end",
        "2020-06-30",
    ),
    Case(
        "nouns-inside-period-label-start",
        "Projekt Bezpečná cesta\nRegistrační číslo: CZ.06.1.17/0.0/0.0/16_041/0007654\n"
        "Harmonogram: zahájení 04/2018, ukončení 11/2019",
        "period.start",
        "2018-04-01",
    ),
    Case(
        "nouns-inside-period-label-end",
        "Projekt Bezpečná cesta\nRegistrační číslo: CZ.06.1.17/0.0/0.0/16_041/0007654\n"
        "Harmonogram: zahájení 04/2018, ukončení 11/2019",
        "period.end",
        "2019-11-30",
    ),
    Case(
        "end-label-inside-start-value",
        "Projekt Bezpečná cesta\nRegistrační číslo: CZ.06.1.17/0.0/0.0/16_041/0007654\n"
        "Zahájení realizace: 1. 4. 2018, ukončení realizace: 30. 11. 2019",
        "period.end",
        "2019-11-30",
    ),
    Case(
        "start-verb-begins",
        "Projekt Klub mladých je spolufinancován z OPZ. Projekt začíná 1. 10. 2020 a končí 30. 9. 2022.",
        "period.start",
        "2020-10-01",
    ),
    Case(
        "start-verb-future",
        "Projekt Klub mladých je spolufinancován z OPZ. Realizace projektu započne 1. 10. 2020.",
        "period.start",
        "2020-10-01",
    ),
    Case(
        "start-and-end-verbs-with-years-start",
        "Projekt Čistá řeka je spolufinancován z OP ŽP. Projekt byl zahájen v roce 2017 a ukončen v roce 2019.",
        "period.start",
        "2017-01-01",
    ),
    Case(
        "start-and-end-verbs-with-years-end",
        "Projekt Čistá řeka je spolufinancován z OP ŽP. Projekt byl zahájen v roce 2017 a ukončen v roce 2019.",
        "period.end",
        "2019-12-31",
    ),
    Case(
        "realised-in-a-year-start",
        "Projekt Chodník u školy je spolufinancován z IROP. Akce byla realizována v roce 2020 za finanční podpory EU.",
        "period.start",
        "2020-01-01",
    ),
    Case(
        "realised-in-a-year-end",
        "Projekt Chodník u školy je spolufinancován z IROP. Projekt byl uskutečněn v roce 2020.",
        "period.end",
        "2020-12-31",
    ),
    Case(
        "year-alone-under-period-label-start",
        "Projekt Letní škola je spolufinancován z ESF.\nTermín realizace: rok 2016",
        "period.start",
        "2016-01-01",
    ),
    Case(
        "year-alone-under-period-label-end",
        "Projekt Letní škola je spolufinancován z ESF.\nTermín realizace: rok 2016",
        "period.end",
        "2016-12-31",
    ),
    Case(
        "year-alone-in-roce-start",
        "Projekt Letní škola je spolufinancován z ESF.\nObdobí realizace: v roce 2018",
        "period.start",
        "2018-01-01",
    ),
    Case(
        "year-alone-in-roce-end",
        "Projekt Letní škola je spolufinancován z ESF.\nObdobí realizace: v roce 2018",
        "period.end",
        "2018-12-31",
    ),
]

FROM_THE_CORPUS = [
    Case("value-styled-as-heading-start", HEADINGS_AS_VALUES, "period.start", "2018-04-03"),
    Case("value-styled-as-heading-end", HEADINGS_AS_VALUES, "period.end", "2019-11-30"),
    Case("value-styled-as-heading-subsidy", HEADINGS_AS_VALUES, "subsidy.amount", "21400000.00"),
    Case("unknown-money-heading-read-by-its-noun", UNKNOWN_MONEY_HEADINGS, "subsidy.amount", "960000.00"),
    Case("unknown-money-heading-total-cost", UNKNOWN_MONEY_HEADINGS, "total_cost.amount", "1250000.00"),
    Case("celkem-led-subsidy-line", SOURCES_THEN_TOTAL, "subsidy.amount", "4500000"),
    Case("celkem-led-subsidy-line-is-no-total-cost", SOURCES_THEN_TOTAL, "total_cost", None),
    Case("subsidy-sublabel-in-cost-section", SUBLABEL_IN_COST_SECTION, "subsidy.amount", "36100000.00"),
    Case("cost-section-keeps-first-total", SUBLABEL_IN_COST_SECTION, "total_cost.amount", "52300000.00"),
    Case("recipient-share-is-no-subsidy", OWN_SHARE_LINE, "subsidy.amount", "2040000.00"),
    Case("title-line-is-no-label-of-next-line", TITLE_LINE_BEFORE_AMOUNTS, "subsidy.amount", "2975000.00"),
    Case(
        "kc-without-hacek",
        "Obec získala dotaci na projekt výsadby aleje\nRegistrační číslo: 18/004/16220/453/021/001234\nVýše dotace: 215 400 Kc",
        "subsidy.amount",
        "215400",
    ),
    Case(
        "template-school-funds-in-total",
        "Od 1. 9. 2022 naše škola čerpá finanční prostředky z Evropských strukturálních fondů v rámci projektu "
        "Šablony pro ZŠ Lipová.\nZ finančních prostředků v celkové výši 512 640,- Kč hradíme tyto aktivity:",
        "subsidy.amount",
        "512640",
    ),
    Case(
        "recipient-named-before-prose-subsidy",
        "Projekt Zelená zahrada z OPŽP. Příjemce dotace obdržel dotaci ve výši 742 100 Kč.",
        "subsidy.amount",
        "742100",
    ),
    Case(
        "podpora-celkem-is-the-subsidy",
        "Projekt Bezpečný úřad. Na projekt bude poskytnuta finanční podpora z EU v programu IROP celkem 8 412 300,- Kč.",
        "subsidy.amount",
        "8412300",
    ),
]

MUST_STAY_NULL = [
    Case(
        "partner-share-is-no-subsidy",
        "Projekt Most přátelství\nRegistrační číslo: CZ.11.4.120/0.0/0.0/16_013/0001234\nDotace partnera: 640 000 Kč",
        "subsidy",
        None,
    ),
    Case(
        "own-funds-are-no-subsidy",
        "Projekt Nová klubovna je spolufinancován EU. Obec hradí z vlastních finančních prostředků "
        "ve výši 240 000 Kč nezpůsobilé výdaje.",
        "subsidy",
        None,
    ),
    Case(
        "number-without-currency",
        "Projekt Nová hala\nRegistrační číslo projektu: CZ.01.1.02/0.0/0.0/15_019/0001234\nVýše dotace: 1 250 000",
        "subsidy",
        None,
    ),
    Case("only-shares-of-the-subsidy", SHARES_ONLY, "subsidy", None),
    Case(
        "public-works-placement-is-a-share",
        "V období od 1. 4. 2019 do 31. 10. 2019 byla v obci Lhotka v rámci projektu Operačního "
        "programu Zaměstnanost podpořena 3 pracovní místa na VPP částkou 215 400 Kč.",
        "subsidy",
        None,
    ),
    Case(
        "public-works-placement-period-is-a-share",
        "V období od 1. 4. 2019 do 31. 10. 2019 byla v obci Lhotka v rámci projektu Operačního "
        "programu Zaměstnanost podpořena 3 pracovní místa na VPP částkou 215 400 Kč.",
        "period",
        None,
    ),
    Case(
        "share-of-total-costs-is-no-total",
        "Projekt Nová dílna je podpořen z OPZ. Dotace pokrývá 90 % celkových způsobilých výdajů, tj. 900 000 Kč.",
        "total_cost",
        None,
    ),
    Case(
        "subsidy-in-total-phrase-is-no-total-cost",
        "Projekt Nová dílna. Obec obdržela dotaci v celkové částce 640 000 Kč z Operačního programu Zaměstnanost.",
        "total_cost",
        None,
    ),
    Case(
        "estimated-total-is-null",
        "Projekt Zelená střecha z OPŽP. Celkové náklady projektu činí bezmála 3 mil. Kč.",
        "total_cost",
        None,
    ),
]


PERIOD_MUST_STAY_NULL = [
    Case(
        "one-date-under-period-label",
        "Projekt Den zdraví je spolufinancován z ESF.\nTermín realizace: 15. 5. 2019",
        "period",
        None,
    ),
    Case(
        "works-end-without-project",
        "Projekt Nová hala je spolufinancován z IROP.\nStavba začala na jaře. Stavební práce skončí do 10. 7. 2018.",
        "period",
        None,
    ),
    Case(
        "call-ended-with-preposition",
        "Projekt Nová hala je spolufinancován z IROP.\nVýzva k podávání projektů byla ukončena k 30. 6. 2017.",
        "period",
        None,
    ),
    Case(
        "works-milestone-inside-period-label",
        "Projekt Nová hala je spolufinancován z IROP.\nTermín realizace: zahájení stavby 1. 4. 2019",
        "period",
        None,
    ),
    Case(
        "season-after-start-verb",
        "Projekt Čistá řeka je spolufinancován z OP ŽP. Projekt byl zahájen na jaře 2017.",
        "period",
        None,
    ),
    Case(
        "year-after-start-verb-not-of-project",
        "Projekt Čistá řeka je spolufinancován z OP ŽP.\nProvoz čistírny byl zahájen v roce 1998.",
        "period",
        None,
    ),
    Case(
        "earlier-project-realised-in-a-year",
        "Projekt Čistá řeka je spolufinancován z OP ŽP. Navazuje na předchozí projekt, který byl realizován v roce 2016.",
        "period",
        None,
    ),
    Case(
        "realised-in-a-year-range",
        "Projekt Čistá řeka je spolufinancován z OP ŽP. Projekt byl realizován v roce 2016–2017 v několika etapách.",
        "period",
        None,
    ),
    Case(
        "year-with-more-under-period-label",
        "Projekt Den zdraví je spolufinancován z ESF.\nTermín realizace: 2019, první etapa",
        "period",
        None,
    ),
    Case(
        "prose-end-before-labelled-start",
        "Projekt Tichá knihovna je spolufinancován z IROP.\nPlánované zahájení: 1. 3. 2021\n"
        "Projekt byl ukončen k 31. 12. 2019.",
        "period.end",
        None,
    ),
]


def _check(case: Case) -> None:
    """Extract the page and compare one field."""
    record = extract_bytes(case.page.encode("utf-8"), "page.html" if case.page.startswith("<") else "page.txt")
    assert value_of(record, case.field) == case.expected


@pytest.mark.parametrize("case", FROM_UNSEEN_PAGES, ids=lambda c: c.id)
def test_from_unseen_pages(case: Case) -> None:
    """The failure classes of unseen pages give the stated value."""
    _check(case)


@pytest.mark.parametrize("case", PERIOD_FROM_UNSEEN_PAGES, ids=lambda c: c.id)
def test_period_from_unseen_pages(case: Case) -> None:
    """Period labels and phrasings of unseen pages give the stated date."""
    _check(case)


@pytest.mark.parametrize("case", PERIOD_MUST_STAY_NULL, ids=lambda c: c.id)
def test_period_must_stay_null(case: Case) -> None:
    """A lone date under a period label and a date of other work give no period."""
    _check(case)


@pytest.mark.parametrize("case", FROM_THE_CORPUS, ids=lambda c: c.id)
def test_from_the_corpus(case: Case) -> None:
    """Shapes from the corpus's errors give the stated value."""
    _check(case)


@pytest.mark.parametrize("case", MUST_STAY_NULL, ids=lambda c: c.id)
def test_must_stay_null(case: Case) -> None:
    """Parts, shares and estimates are not the project's amount or period."""
    _check(case)


@pytest.mark.parametrize("case", FROM_UNSEEN_PAGES + PERIOD_FROM_UNSEEN_PAGES + FROM_THE_CORPUS, ids=lambda c: c.id)
def test_evidence_quotes_the_cleaned_text(case: Case) -> None:
    """Every evidence span indexes the cleaned text and quotes it."""
    name = "page.html" if case.page.startswith("<") else "page.txt"
    data = case.page.encode("utf-8")
    record = extract_bytes(data, name)
    text = clean_bytes(data, name).text
    for field, evidence in record.evidence.items():
        assert 0 <= evidence.start <= evidence.end <= len(text), field
        assert text[evidence.start : evidence.end].startswith(evidence.text.rstrip("…")), field
