"""Properties of the normalisers: never raise, results well-formed, round trips."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.dates import find_dates, find_periods, parse_date, parse_period
from pipeline.normalise.money import find_amounts, parse_amount
from pipeline.normalise.programmes import canonical_programme, find_programmes, programme_for_code
from pipeline.normalise.regnum import find_registration_numbers, parse_registration_number
from pipeline.vocab import load_data

FAST = settings(max_examples=150, deadline=None)

# Text that looks like the pages: Czech letters, digits, the separators the patterns use.
_ALPHABET = st.sampled_from(
    list("CZOPXcz0123456789./_-–,: \u00a0\u202f\nKčEURmiltsdoaž€+()Ššěíáý")
    + ["CZ.", "OPZ", "OP ", " Kč", "ledna ", "mil. ", "/0.0", "_0", "2019", "1. 4. "]
)
page_like = st.lists(_ALPHABET, max_size=80).map("".join)
any_text = st.one_of(st.text(max_size=200), page_like)


@FAST
@given(any_text)
def test_regnum_never_raises_and_is_well_formed(text: str) -> None:
    for m in find_registration_numbers(text):
        assert 0 <= m.start < m.end <= len(text)
        assert m.value == "".join(text[m.start : m.end].split())
        assert m.value.startswith("CZ")
        assert m.programme is None or m.programme_code is not None
    parsed = parse_registration_number(text)
    assert parsed is None or 0 <= parsed.start < parsed.end <= len(text)


@FAST
@given(any_text)
def test_programmes_never_raise(text: str) -> None:
    names = {p["name"] for p in load_data("programmes.json")["programmes"]}
    for m in find_programmes(text):
        assert 0 <= m.start < m.end <= len(text)
        assert m.name in names
    assert canonical_programme(text) in names | {None}
    assert programme_for_code(text, text) is None or text in load_data("programmes.json")["codes"]


@FAST
@given(any_text)
def test_dates_never_raise_and_are_ordered(text: str) -> None:
    for d in find_dates(text):
        assert 0 <= d.start < d.end <= len(text)
        assert d.first <= d.last
    for p in find_periods(text):
        assert 0 <= p.start < p.end <= len(text)
        assert p.first is not None and p.last is not None and p.first <= p.last
    parsed = parse_period(text)
    if parsed is not None:
        assert parsed.first is not None or parsed.last is not None
    parse_date(text)


@FAST
@given(any_text)
def test_money_never_raises_and_is_decimal(text: str) -> None:
    for m in find_amounts(text):
        assert 0 <= m.start < m.end <= len(text)
        assert isinstance(m.amount, Decimal) and m.amount >= 0
        assert m.currency in ("CZK", "EUR")
    parse_amount(text)


years = st.integers(min_value=1990, max_value=2040)
months = st.integers(min_value=1, max_value=12)


@st.composite
def days(draw: st.DrawFn) -> date:
    """A calendar day in the accepted year range."""
    year, month = draw(years), draw(months)
    return date(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))


@FAST
@given(
    days(),
    st.sampled_from(["{d}. {m}. {y}", "{d}.{m}.{y}", "{d:02d}.{m:02d}.{y}", "{y}-{m:02d}-{d:02d}"]),
)
def test_date_round_trip(day: date, template: str) -> None:
    text = template.format(d=day.day, m=day.month, y=day.year)
    parsed = parse_date(f"Zahájení: {text}.")
    assert parsed is not None and parsed.first == parsed.last == day


@FAST
@given(days(), days())
def test_period_round_trip(a: date, b: date) -> None:
    first, last = min(a, b), max(a, b)
    text = f"od {first.day}. {first.month}. {first.year} do {last.day}. {last.month}. {last.year}"
    p = parse_period(text)
    assert p is not None and (p.first, p.last) == (first, last)


@FAST
@given(st.integers(min_value=0, max_value=10**12), st.one_of(st.none(), st.integers(0, 99)))
def test_amount_round_trip(whole: int, cents: int | None) -> None:
    grouped = f"{whole:,}".replace(",", "\u00a0")
    text = f"Výše dotace: {grouped}" + (f",{cents:02d}" if cents is not None else ",-") + " Kč"
    expected = Decimal(f"{whole}.{cents:02d}") if cents is not None else Decimal(whole)
    m = parse_amount(text)
    assert m is not None and m.amount == expected and str(m.amount) == str(expected)


@st.composite
def registration_numbers(draw: st.DrawFn) -> str:
    """Well-formed 2014-2020 and 2021-2027 numbers with random parts."""
    code = draw(st.integers(1, 31))
    call = f"{draw(st.integers(14, 27))}_{draw(st.integers(0, 999)):03d}"
    serial = f"{draw(st.integers(0, 9_999_999)):07d}"
    if draw(st.booleans()):
        return f"CZ.{code:02d}.{draw(st.integers(1, 9))}.{draw(st.integers(1, 130))}/0.0/0.0/{call}/{serial}"
    return f"CZ.{code:02d}.{draw(st.integers(1, 9)):02d}.{draw(st.integers(1, 9)):02d}/00/{call}/{serial}"


@FAST
@given(registration_numbers(), st.sampled_from(["reg. č. {}.", "({})", "{}, který", "{}\n"]))
def test_registration_number_round_trip(number: str, template: str) -> None:
    found = find_registration_numbers(template.format(number))
    assert [m.value for m in found] == [number]
    assert found[0].valid
    parsed = parse_registration_number(number)
    assert parsed is not None and parsed.value == number
