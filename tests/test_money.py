"""Amounts of money with a currency marker."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import pytest

from pipeline.normalise.money import find_amounts, parse_amount


class Case(NamedTuple):
    id: str
    text: str
    amount: str
    currency: str
    matched: str


EXAMPLES = [
    Case("spaces and decimals", "3 783 392,50 Kč", "3783392.50", "CZK", "3 783 392,50 Kč"),
    Case(
        "NBSP and narrow NBSP", "1\u00a0234\u202f567 Kč", "1234567", "CZK", "1\u00a0234\u202f567 Kč"
    ),
    Case("thin space", "12\u2009500 Kč", "12500", "CZK", "12\u2009500 Kč"),
    Case("dots and ,-", "1.234.567,- Kč", "1234567", "CZK", "1.234.567,- Kč"),
    Case(",--", "500,-- Kč", "500", "CZK", "500,-- Kč"),
    Case("Kč,-", "1 000 Kč,-", "1000", "CZK", "1 000 Kč,-"),
    Case("CZK", "100 CZK", "100", "CZK", "100 CZK"),
    Case("korun", "250 korun", "250", "CZK", "250 korun"),
    Case("tis.", "300 tis. Kč", "300000", "CZK", "300 tis. Kč"),
    Case("mil. with decimals", "2,5 mil. Kč", "2500000", "CZK", "2,5 mil. Kč"),
    Case("mld.", "1,2 mld. Kč", "1200000000", "CZK", "1,2 mld. Kč"),
    Case("EUR suffix", "1 000 EUR", "1000", "EUR", "1 000 EUR"),
    Case("euro sign prefix", "€ 1 500", "1500", "EUR", "€ 1 500"),
    Case("euro sign suffix", "1 500 €", "1500", "EUR", "1 500 €"),
    Case("percentage after", "8 118 597 Kč (100 %)", "8118597", "CZK", "8 118 597 Kč"),
    Case("year before amount", "2019 3 000 Kč", "3000", "CZK", "3 000 Kč"),
    Case("zero", "0,- Kč", "0", "CZK", "0,- Kč"),
    Case("Kč before a grouped number", "Kč 1 234 567", "1234567", "CZK", "Kč 1 234 567"),
    Case("Kč before ,-", "Kč 640.000,-", "640000", "CZK", "Kč 640.000,-"),
    Case("scale dot touching Kč", "2 mil.Kč", "2000000", "CZK", "2 mil.Kč"),
    Case("decimal point before Kč", "1 234 567.50 Kč", "1234567.50", "CZK", "1 234 567.50 Kč"),
    Case("decimal point before a scale", "2.5 mil. Kč", "2500000", "CZK", "2.5 mil. Kč"),
    Case("millions and thousands", "12 milionů 500 tisíc Kč", "12500000", "CZK", "12 milionů 500 tisíc Kč"),
    Case("mil. and tis.", "1 mil. 200 tis. Kč", "1200000", "CZK", "1 mil. 200 tis. Kč"),
]

NOT_MONEY = [
    ("no currency", "celkem 3 000 osob"),
    ("Kč before a year", "v Kč 2019"),
    ("dots grouping and a decimal point", "1.234.56 Kč"),
    ("decimal point without a group or a scale", "položka 5.3 Kč"),
    ("Kč after a scale word", "v tis. Kč 1 250"),
    ("year", "v roce 2019"),
    ("phone", "+420 777 123 456"),
    ("percent", "80,86 %"),
    ("scale without currency", "5 mil."),
    ("three decimals", "12,345 Kč"),
    ("English format", "€1,000.00"),
    ("currency before in Czech", "Kč 500"),
    # A year, a comma and an amount: "2019, 50" is not 2019.50, and "50 Kč" alone would
    # be a guess at where the number starts.
    ("year then amount after a comma", "v roce 2019, 50 Kč"),
    ("one stray decimal before a currency", "celkem 3 151 121, 5 Kč"),
]

BUGS_CAUGHT_IN_THE_WILD = [
    Case("one dot group", "činí 225.000 Kč.", "225000", "CZK", "225.000 Kč"),
    Case(
        "dot groups with decimals", "výše 3.385.943,40 Kč", "3385943.40", "CZK", "3.385.943,40 Kč"
    ),
    Case(
        "spelled-out millions", "více než 15 milionů korun", "15000000", "CZK", "15 milionů korun"
    ),
    Case("including VAT after", "14 979 800,- Kč včetně DPH", "14979800", "CZK", "14 979 800,- Kč"),
    # Unseen pages (issue 16): a space typed after the decimal comma made the decimals
    # the amount ("01 Kč", "7 mil. Kč").
    Case("space after decimal comma", "činí 4 262 518, 07 Kč", "4262518.07", "CZK", "4 262 518, 07 Kč"),
    Case("space after decimal comma, scale", "částkou 21, 6 mil. Kč", "21600000", "CZK", "21, 6 mil. Kč"),
    Case("Kč without háček", "Výše dotace: 815 240 Kc", "815240", "CZK", "815 240 Kc"),
]


@pytest.mark.parametrize("case", EXAMPLES + BUGS_CAUGHT_IN_THE_WILD, ids=lambda c: c.id)
def test_find_amounts(case: Case) -> None:
    found = find_amounts(case.text)
    assert len(found) == 1
    m = found[0]
    assert isinstance(m.amount, Decimal)
    # Decimals as printed: "…,50" keeps two places.
    assert (str(m.amount), m.currency) == (case.amount, case.currency)
    assert case.text[m.start : m.end] == case.matched


@pytest.mark.parametrize(("name", "text"), NOT_MONEY, ids=[n for n, _ in NOT_MONEY])
def test_not_money(name: str, text: str) -> None:
    assert find_amounts(text) == []


def test_a_part_shares_the_currency_of_its_whole() -> None:
    """ "640 000 z 800 000 korun": both numbers are CZK amounts, the part first."""
    text = "tedy 640 000 z 800 000 korun"
    found = [(str(m.amount), text[m.start : m.end]) for m in find_amounts(text)]
    assert found == [("640000", "640 000"), ("800000", "800 000 korun")]


def test_parse_amount_takes_the_first() -> None:
    m = parse_amount("Dotace EU: 4 627 779,17 Kč, vlastní zdroje 100 000 Kč")
    assert m is not None and m.amount == Decimal("4627779.17")
    assert parse_amount("neuvedeno") is None


def test_a_long_number_is_not_split() -> None:
    """Seven groups exceed the bounded pattern: refuse rather than read a tail as an amount."""
    assert find_amounts("1 000 000 000 000 000 000 Kč") == []


def test_hostile_input_is_handled() -> None:
    assert find_amounts("1 000 " * 30_000) == []
    assert len(find_amounts("1 000 Kč " * 5_000)) == 5_000
