"""Czech dates and periods."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest

from pipeline.normalise.dates import find_dates, find_periods, parse_date, parse_period


class DateCase(NamedTuple):
    id: str
    text: str
    first: str
    last: str
    precision: str
    matched: str


EXAMPLES = [
    DateCase("spaced", "1. 4. 2014", "2014-04-01", "2014-04-01", "day", "1. 4. 2014"),
    DateCase("zero padded", "01.10.2022", "2022-10-01", "2022-10-01", "day", "01.10.2022"),
    DateCase("compact", "dne 1.4.2014.", "2014-04-01", "2014-04-01", "day", "1.4.2014"),
    DateCase("mixed spacing", "od 1.7. 2010", "2010-07-01", "2010-07-01", "day", "1.7. 2010"),
    DateCase("genitive month", "1. dubna 2016", "2016-04-01", "2016-04-01", "day", "1. dubna 2016"),
    DateCase("capitalised month", "Září 2019", "2019-09-01", "2019-09-30", "month", "Září 2019"),
    DateCase("nominative month", "leden 2019", "2019-01-01", "2019-01-31", "month", "leden 2019"),
    DateCase(
        "červenec not červen", "července 2020", "2020-07-01", "2020-07-31", "month", "července 2020"
    ),
    DateCase("slash month", "11/2021", "2021-11-01", "2021-11-30", "month", "11/2021"),
    DateCase("slash leap February", "02/2024", "2024-02-01", "2024-02-29", "month", "02/2024"),
    DateCase("year", "v roce 2019", "2019-01-01", "2019-12-31", "year", "2019"),
    DateCase("ISO", "2019-01-01", "2019-01-01", "2019-01-01", "day", "2019-01-01"),
    DateCase("Roman month", "1. IV. 2014", "2014-04-01", "2014-04-01", "day", "1. IV. 2014"),
    DateCase(
        "NBSP", "1.\u00a04.\u00a02014", "2014-04-01", "2014-04-01", "day", "1.\u00a04.\u00a02014"
    ),
    # Unseen pages (issue 16): "roku" between the month and the year.
    DateCase("month of the year", "v březnu roku 2011", "2011-03-01", "2011-03-31", "month", "březnu roku 2011"),
    DateCase("day of the year", "1. května roku 2020", "2020-05-01", "2020-05-01", "day", "1. května roku 2020"),
]

NOT_DATES = [
    ("impossible day", "31. 2. 2020"),
    ("year out of range", "1. 1. 1850"),
    ("opening hours", "8.00–17.00"),
    ("phone", "+420 777 123 456"),
    ("version", "verze 1.4.2014b"),
    ("money", "1.234.567,- Kč"),
    ("duration", "14 měsíců"),
    ("law number", "zákon č. 5/2023 Sb."),
    ("file number", "č. j. 11/2021"),
    ("thousands group", "12 019 000 Kč"),
]


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda c: c.id)
def test_find_dates(case: DateCase) -> None:
    found = find_dates(case.text)
    assert len(found) == 1
    d = found[0]
    assert (d.first.isoformat(), d.last.isoformat(), d.precision) == (
        case.first,
        case.last,
        case.precision,
    )
    assert case.text[d.start : d.end] == case.matched


@pytest.mark.parametrize(("name", "text"), NOT_DATES, ids=[n for n, _ in NOT_DATES])
def test_not_dates(name: str, text: str) -> None:
    assert find_dates(text) == []


class PeriodCase(NamedTuple):
    id: str
    text: str
    first: str
    last: str
    matched: str


PERIODS = [
    PeriodCase(
        "years with až",
        "v letech 2023 až 2025",
        "2023-01-01",
        "2025-12-31",
        "v letech 2023 až 2025",
    ),
    PeriodCase("years with dash", "2023–2025", "2023-01-01", "2025-12-31", "2023–2025"),
    PeriodCase(
        "months",
        "leden 2019 – prosinec 2019",
        "2019-01-01",
        "2019-12-31",
        "leden 2019 – prosinec 2019",
    ),
    PeriodCase(
        "days", "1. 4. 2014 – 31. 10. 2015", "2014-04-01", "2015-10-31", "1. 4. 2014 – 31. 10. 2015"
    ),
    PeriodCase(
        "slash months", "11/2021 – 04/2024", "2021-11-01", "2024-04-30", "11/2021 – 04/2024"
    ),
    PeriodCase(
        "od do",
        "od 1. 1. 2020 do 31. 12. 2021",
        "2020-01-01",
        "2021-12-31",
        "od 1. 1. 2020 do 31. 12. 2021",
    ),
    PeriodCase(
        "borrowed year", "1. 4. – 31. 12. 2019", "2019-04-01", "2019-12-31", "1. 4. – 31. 12. 2019"
    ),
    PeriodCase(
        "od do month names",
        "od července 2019 do června 2020",
        "2019-07-01",
        "2020-06-30",
        "od července 2019 do června 2020",
    ),
    PeriodCase(
        "hyphen, single-digit month",
        "10/2011 - 8/2015.",
        "2011-10-01",
        "2015-08-31",
        "10/2011 - 8/2015",
    ),
]

NOT_PERIODS = [
    ("end before start", "2025 – 2023"),
    ("programming period", "OP Zaměstnanost 2014–2020"),
    ("times", "8.00–17.00"),
    ("duration", "Doba realizace projektu je 14 měsíců."),
    ("single date", "1. 6. 2026"),
]

BUGS_CAUGHT_IN_THE_WILD = [
    PeriodCase(
        "label glued by colon",
        "Termín realizace:02/2010 – 07/2012",
        "2010-02-01",
        "2012-07-31",
        "02/2010 – 07/2012",
    ),
]
NOT_PERIODS_IN_THE_WILD = [
    ("copyright with owner", "© Firma s.r.o. 1999-2021. Všechna práva vyhrazena."),
    ("rights reserved", "Some rights reserved 2017-2023 by Example"),
]


@pytest.mark.parametrize("case", PERIODS + BUGS_CAUGHT_IN_THE_WILD, ids=lambda c: c.id)
def test_find_periods(case: PeriodCase) -> None:
    found = find_periods(case.text)
    assert len(found) == 1
    p = found[0]
    assert p.first is not None and p.last is not None
    assert (p.first.isoformat(), p.last.isoformat()) == (case.first, case.last)
    assert case.text[p.start : p.end] == case.matched


@pytest.mark.parametrize(
    ("name", "text"),
    NOT_PERIODS + NOT_PERIODS_IN_THE_WILD,
    ids=[n for n, _ in NOT_PERIODS + NOT_PERIODS_IN_THE_WILD],
)
def test_not_periods(name: str, text: str) -> None:
    assert find_periods(text) == []


PARSE_PERIOD = [
    ("range", "1. 12. 2023 – 31. 12. 2025.", date(2023, 12, 1), date(2025, 12, 31)),
    ("od do", "od 01.02.2021 do 31.01.2023", date(2021, 2, 1), date(2023, 1, 31)),
    ("single date is the start", "1. 6. 2026", date(2026, 6, 1), None),
    ("do date is the end", "do 30. 6. 2015", None, date(2015, 6, 30)),
    ("month alone", "září 2019", date(2019, 9, 1), None),
]


@pytest.mark.parametrize(
    ("name", "text", "first", "last"), PARSE_PERIOD, ids=[p[0] for p in PARSE_PERIOD]
)
def test_parse_period(name: str, text: str, first: date | None, last: date | None) -> None:
    p = parse_period(text)
    assert p is not None and (p.first, p.last) == (first, last)


@pytest.mark.parametrize("text", ["14 měsíců", "", "zahájení 1.4.2019, ukončení 31.3.2022"])
def test_parse_period_gives_none(text: str) -> None:
    assert parse_period(text) is None


def test_parse_date_takes_the_first() -> None:
    d = parse_date("zahájení 01.10.2022, konec 2024")
    assert d is not None and d.first == date(2022, 10, 1)
    assert parse_date("bez data") is None


def test_hostile_input_is_handled() -> None:
    assert find_periods("1. 4. " * 20_000) == []
    assert len(find_periods("2019-2020 " * 2_000)) == 2_000
    assert find_dates("ledna " * 20_000) == []
