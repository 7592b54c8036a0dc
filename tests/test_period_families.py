"""Period phrasings of issue 16, round three: label shapes and table layouts the corpus lacks.

Each row is invented Czech text in one phrasing family; ``PERIOD_FAMILIES`` must give the
stated date, ``MUST_STAY_NULL`` must give none for the side it names.
"""

from __future__ import annotations

import pytest
from helpers import Case, value_of

from pipeline.core import extract_bytes

HEAD = "Projekt Zelený dvůr je spolufinancován Evropskou unií z IROP.\nRegistrační číslo: CZ.06.2.56/0.0/0.0/16_043/0007788\n"
HTML = "<html><body><h1>Zelený dvůr</h1><p>Projekt je spolufinancován z IROP.</p>"

BOTH_SIDES_LABEL = HEAD + "Datum zahájení a ukončení projektu: 2. 3. 2020 – 30. 6. 2022"
DASHED_SIDES_LABEL = HEAD + "Zahájení – ukončení projektu: 04/2020 – 10/2021"
STAGES = HEAD + "Harmonogram: 1. etapa 02/2021 – 07/2021, 2. etapa 08/2021 – 05/2022"
COLUMN_TABLE = (
    HTML + "<table><tr><th>Registrační číslo</th><th>Datum zahájení</th><th>Datum ukončení</th></tr>"
    "<tr><td>CZ.06.2.56/0.0/0.0/16_043/0007788</td><td>1.10.2020</td><td>31.3.2022</td></tr></table></body></html>"
)
TWO_COLUMN_TABLE = (
    HTML + "<table><tr><th>Zahájení projektu</th><th>Ukončení projektu</th></tr>"
    "<tr><td>1.10.2020</td><td>31.3.2022</td></tr></table></body></html>"
)
PLANNED_LABELS = HEAD + "Zahájení projektu: 1. 2. 2021\nOčekávané ukončení projektu: 31. 1. 2023"
ENGLISH_PLANNED = HEAD + "Planned start date: 1. 2. 2021\nActual end date: 31. 1. 2023"

PERIOD_FAMILIES = [
    Case("one-label-for-both-sides-start", BOTH_SIDES_LABEL, "period.start", "2020-03-02"),
    Case("one-label-for-both-sides-end", BOTH_SIDES_LABEL, "period.end", "2022-06-30"),
    Case("dashed-side-labels-end", DASHED_SIDES_LABEL, "period.end", "2021-10-31"),
    Case("stages-first-start", STAGES, "period.start", "2021-02-01"),
    Case("stages-last-end", STAGES, "period.end", "2022-05-31"),
    Case("column-table-start", COLUMN_TABLE, "period.start", "2020-10-01"),
    Case("column-table-end", COLUMN_TABLE, "period.end", "2022-03-31"),
    Case("two-column-table-end", TWO_COLUMN_TABLE, "period.end", "2022-03-31"),
    Case("expected-end-label", PLANNED_LABELS, "period.end", "2023-01-31"),
    Case("english-planned-start", ENGLISH_PLANNED, "period.start", "2021-02-01"),
    Case("english-actual-end", ENGLISH_PLANNED, "period.end", "2023-01-31"),
    Case(
        "planned-period-label-years",
        HEAD + "Předpokládaný termín realizace: 2020 - 2022",
        "period.end",
        "2022-12-31",
    ),
    Case(
        "od-inside-duration-value",
        HEAD + "Délka trvání projektu: 18 měsíců, od 1. 4. 2021",
        "period.start",
        "2021-04-01",
    ),
    Case(
        "school-joined-the-project-from",
        "Projekt Čtenářský klub je spolufinancován z OP VVV. Od 1. října 2020 je naše mateřská škola "
        "zapojena do projektu Čtenářský klub. Projekt potrvá do 30. září 2022.",
        "period.start",
        "2020-10-01",
    ),
    Case(
        "project-extended-until",
        "Projekt Čtenářský klub je spolufinancován z OP VVV. Projekt byl prodloužen do 31. 12. 2022.",
        "period.end",
        "2022-12-31",
    ),
    Case(
        "dated-start-and-end-nouns-in-one-sentence",
        "Projekt Čtenářský klub je spolufinancován z ESF. Činnosti jsou realizovány v rámci osy 3, "
        "s datem zahájení 1. 3. 2011 a datem ukončení 28. 2. 2013 v celkové délce 24 měsíců.",
        "period.end",
        "2013-02-28",
    ),
    Case(
        "end-in-next-sentence-verb-first",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl zahájen 1. března 2021. Ukončen bude 28. února 2023.",
        "period.end",
        "2023-02-28",
    ),
    Case(
        "end-in-next-sentence-pronoun",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl zahájen 1. března 2021. "
        "Jeho ukončení je plánováno na 28. února 2023.",
        "period.end",
        "2023-02-28",
    ),
    Case(
        "lone-range-line-on-a-card-start",
        "Přeshraniční setkání knihoven\nProjekt je spolufinancován z Fondu malých projektů Interreg.\n"
        "1. 6. 2021 - 30. 4. 2022\nŽadatel\nSpolek Přátelé knih, z.s.",
        "period.start",
        "2021-06-01",
    ),
    Case(
        "lone-range-line-on-a-card-end",
        "Přeshraniční setkání knihoven\nProjekt je spolufinancován z Fondu malých projektů Interreg.\n"
        "1. 6. 2021 - 30. 4. 2022\nŽadatel\nSpolek Přátelé knih, z.s.",
        "period.end",
        "2022-04-30",
    ),
    Case(
        "realised-in-a-year-range-start",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl realizován v letech 2018–2020.",
        "period.start",
        "2018-01-01",
    ),
    Case(
        "running-in-a-year-range-end",
        "Projekt Čtenářský klub je spolufinancován z ESF. Obec realizuje v období 2021 - 2023 projekt Čtenářský klub.",
        "period.end",
        "2023-12-31",
    ),
    Case(
        "period-heading-over-from-and-until-lines",
        HEAD + "Doba realizace:\nod 1. 2. 2021\ndo 31. 1. 2023",
        "period.end",
        "2023-01-31",
    ),
    Case(
        "period-heading-over-start-and-end-pairs",
        HTML + "<h2>Doba realizace</h2><p>Zahájení: 1. 2. 2021</p><p>Ukončení: 31. 1. 2023</p></body></html>",
        "period.end",
        "2023-01-31",
    ),
    Case("minus-sign-between-dates", HEAD + "Doba realizace: 1. 2. 2021 \u2212 31. 1. 2023", "period.end", "2023-01-31"),
    Case("year-of-realisation-label", HEAD + "Rok realizace: 2022", "period.end", "2022-12-31"),
    Case("duration-label-alone", HEAD + "Trvání: 1. 2. 2021 – 31. 1. 2023", "period.start", "2021-02-01"),
    Case(
        "start-noun-with-dojde",
        "Projekt Čtenářský klub je spolufinancován z ESF. K zahájení projektu došlo 1. 2. 2021, ukončen bude 31. 1. 2023.",
        "period.start",
        "2021-02-01",
    ),
    Case(
        "end-verb-after-its-date",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl zahájen 1. 2. 2021. K 31. 1. 2023 byl projekt ukončen.",
        "period.end",
        "2023-01-31",
    ),
    Case(
        "end-verb-after-month",
        "Projekt Čtenářský klub je spolufinancován z ESF. V lednu 2023 byl projekt úspěšně ukončen.",
        "period.end",
        "2023-01-31",
    ),
    Case(
        "end-verb-at-month-end",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl ukončen koncem ledna 2023.",
        "period.end",
        "2023-01-31",
    ),
    Case(
        "activities-ended-plural",
        "Projekt Čtenářský klub je spolufinancován z ESF. Aktivity projektu skončily 31. 1. 2023.",
        "period.end",
        "2023-01-31",
    ),
    Case(
        "school-joined-in-a-month",
        "Projekt Čtenářský klub je spolufinancován z OP VVV. Naše škola se do projektu zapojila v únoru 2021.",
        "period.start",
        "2021-02-01",
    ),
    Case(
        "start-noun-set-for-a-date",
        "Projekt Čtenářský klub je spolufinancován z ESF. Začátek realizace projektu byl stanoven na 1. 2. 2021.",
        "period.start",
        "2021-02-01",
    ),
    Case(
        "english-month-names",
        HEAD + "Project duration: 1 February 2021 – 31 January 2023",
        "period.end",
        "2023-01-31",
    ),
    Case("english-month-first", HEAD + "Start date: February 1, 2021\nEnd date: January 31, 2023", "period.start", "2021-02-01"),
    Case("day-first-slashes", HEAD + "Project duration: 01/02/2021 – 31/01/2023", "period.end", "2023-01-31"),
    Case(
        "lone-range-heading-on-a-card",
        "<html><body><h1>Setkání knihoven</h1><h2>O projektu</h2><p>Projekt je spolufinancován z Fondu malých "
        "projektů Interreg. Knihovny si vyměnily zkušenosti.</p><h2>1.6.2021 - 30.4.2022</h2><h2>Žadatel</h2>"
        "<p>Spolek Přátelé knih, z.s.</p></body></html>",
        "period.end",
        "2022-04-30",
    ),
    Case(
        "funded-service-range-start",
        "Podpora služeb sociální prevence v kraji\nProjekt je spolufinancován z OPZ.\n"
        "Od 1. 7. 2021 do 31. 12. 2023 je služba Domov na půl cesty, kterou provozuje spolek Most, podpořena krajem.",
        "period.start",
        "2021-07-01",
    ),
    Case(
        "provided-service-range-end",
        "Podpora služeb sociální prevence v kraji\nProjekt je spolufinancován z OPZ.\n"
        "Spolek Most se zavázal poskytovat sociální službu od 1. 7. 2021 do 31. 12. 2023.",
        "period.end",
        "2023-12-31",
    ),
    Case(
        "years-listed-before-the-verb-start",
        "Projekt Čtenářský klub je spolufinancován z ESF. Obec Lipník v roce 2021, 2022 realizuje projekt Čtenářský klub.",
        "period.start",
        "2021-01-01",
    ),
    Case(
        "years-joined-by-a-before-the-verb-end",
        "Projekt Čtenářský klub je spolufinancován z ESF. V letech 2021 a 2022 obec realizovala projekt.",
        "period.end",
        "2022-12-31",
    ),
    Case(
        "time-frame-label",
        HEAD + "Časový rámec projektu: 1. 4. 2021 – 30. 9. 2022",
        "period.start",
        "2021-04-01",
    ),
]

MUST_STAY_NULL = [
    Case(
        "sustainability-lasts-until",
        "Projekt Zelený dvůr je spolufinancován z IROP. Projekt byl zahájen 1. 4. 2021. "
        "Doba udržitelnosti projektu trvá do 31. 3. 2028.",
        "period.end",
        None,
    ),
    Case(
        "stages-and-sustainability",
        HEAD + "Harmonogram: realizace 02/2021 – 07/2021, udržitelnost 08/2021 – 07/2026",
        "period.end",
        "2021-07-31",
    ),
    Case(
        "next-sentence-ends-something-else",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl zahájen 1. března 2021. "
        "Ukončena bude 30. 6. 2021 výzva k podávání žádostí.",
        "period.end",
        None,
    ),
    Case(
        "next-sentence-after-other-subject",
        "Projekt Čtenářský klub je spolufinancován z ESF. Výzva byla vyhlášena 1. března 2021. Ukončena byla 30. 6. 2021.",
        "period",
        None,
    ),
    Case(
        "lone-short-range-is-an-event",
        "Přeshraniční setkání knihoven\nProjekt je spolufinancován z Fondu malých projektů Interreg.\n"
        "12. 5. 2021 - 14. 5. 2021",
        "period",
        None,
    ),
    Case(
        "two-lone-ranges-are-a-list",
        "Přeshraniční setkání knihoven\nProjekt je spolufinancován z Fondu malých projektů Interreg.\n"
        "1. 6. 2021 - 30. 4. 2022\n1. 6. 2022 - 30. 4. 2023",
        "period",
        None,
    ),
    Case(
        "bare-year-range-of-a-stage",
        "Projekt Čtenářský klub je spolufinancován z ESF. V letech 2015 – 2017 byla realizována první etapa.",
        "period",
        None,
    ),
    Case(
        "bare-year-range-of-an-earlier-project",
        "Projekt Čtenářský klub je spolufinancován z ESF. Navazuje na projekt realizovaný v letech 2015 – 2017.",
        "period",
        None,
    ),
    Case(
        "works-completed-after-the-date",
        "Projekt Čtenářský klub je spolufinancován z ESF. Projekt byl zahájen 1. 2. 2021. Stavba byla 30. 6. 2022 dokončena.",
        "period.end",
        None,
    ),
    Case(
        "call-ended-after-the-date",
        "Projekt Čtenářský klub je spolufinancován z ESF. Dne 30. 6. 2020 byla výzva ukončena.",
        "period",
        None,
    ),
    Case(
        "file-number-with-slashes",
        "Projekt Čtenářský klub je spolufinancován z ESF. Rozhodnutí č. j. 12/05/2021 nabylo právní moci.",
        "period",
        None,
    ),
    Case(
        "service-hours-are-no-period",
        "Podpora služeb sociální prevence v kraji\nProjekt je spolufinancován z OPZ.\n"
        "Služba je poskytována od 1. 7. 2021 v pracovní dny.",
        "period",
        None,
    ),
    Case(
        "programme-years-before-many-projects",
        "Projekt Čtenářský klub je spolufinancován z ESF. V letech 2014 - 2020 realizovala obec řadu projektů.",
        "period",
        None,
    ),
    Case(
        "lone-date-under-duration-label",
        HEAD + "Délka trvání projektu: 18 měsíců, 1. 4. 2021",
        "period",
        None,
    ),
]


def _check(case: Case) -> None:
    """Extract the page and compare one field."""
    record = extract_bytes(case.page.encode("utf-8"), "page.html" if case.page.startswith("<") else "page.txt")
    assert value_of(record, case.field) == case.expected


@pytest.mark.parametrize("case", PERIOD_FAMILIES, ids=lambda c: c.id)
def test_period_families(case: Case) -> None:
    """Each phrasing family gives the stated start or end."""
    _check(case)


@pytest.mark.parametrize("case", MUST_STAY_NULL, ids=lambda c: c.id)
def test_must_stay_null(case: Case) -> None:
    """The end of something else, and a lone date without 'od', give no (other) date."""
    _check(case)
