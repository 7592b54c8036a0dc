"""Amounts of money in Czech text: ``3 783 392,50 Kč``, ``1.234.567,- Kč``, ``2,5 mil. Kč``.

Values are ``Decimal`` with the decimals as printed. A number without a currency marker
is not money. Currency markers and scale words come from ``pipeline/data/money.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pipeline.vocab import load_data

__all__ = ["Currency", "MoneyMatch", "find_amounts", "parse_amount"]

Currency = Literal["CZK", "EUR"]


@dataclass(frozen=True, slots=True)
class MoneyMatch:
    """An amount at ``text[start:end]``."""

    start: int
    end: int
    amount: Decimal
    currency: Currency


_GROUP_SPACE = "\u0020\u00a0\u202f\u2009\u2007"


def _alternation(forms: list[str]) -> str:
    """Regex alternation of literal forms, longest first."""
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def _tables() -> tuple[dict[str, Currency], dict[str, Currency], dict[str, int], str, str, str]:
    """Marker lookups and the alternations built from money.json."""
    data: Any = load_data("money.json")
    suffix: dict[str, Currency] = {}
    for currency, forms in data["currencies"].items():
        for form in forms:
            suffix[form.lower()] = currency
    prefix: dict[str, Currency] = {}
    for currency, forms in data["prefix_currencies"].items():
        for form in forms:
            prefix[form.lower()] = currency
    scales: dict[str, int] = {}
    for factor, forms in data["scales"].items():
        for form in forms:
            scales[form.lower()] = int(factor)
    return (
        suffix,
        prefix,
        scales,
        _alternation(list(data["currencies"]["CZK"]) + list(data["currencies"]["EUR"])),
        _alternation([f for forms in data["prefix_currencies"].values() for f in forms]),
        _alternation([f for forms in data["scales"].values() for f in forms]),
    )


_SUFFIX, _PREFIX, _SCALES, _SUFFIX_RE, _PREFIX_RE, _SCALE_RE = _tables()

# Thousands groups are exactly three digits after a first group of one to three, joined
# by one space-like character or a dot; every repetition is bounded so the scan stays
# linear on hostile input (a 5 MB line of "1 000 000 …").
_NUMBER = (
    rf"(?P<int>\d{{1,3}}(?:[{_GROUP_SPACE}]\d{{3}}){{1,5}}+"
    r"|\d{1,3}(?:\.\d{3}){1,5}+"
    r"|\d{1,15}+)"
    r"(?:,(?P<dec>\d{1,2}(?!\d))|,-{1,2}|\.-{1,2})?"
    # "12,345" or "1,000.00" is not a Czech amount: refuse rather than misread it.
    r"(?![.,]\d)"
)
_SCALE = rf"(?:[{_GROUP_SPACE}]?(?P<scale>(?i:{_SCALE_RE}))(?!\w))?"
_AMOUNT = re.compile(
    rf"(?:(?<!\w)(?P<pre>(?i:{_PREFIX_RE}))[{_GROUP_SPACE}]?(?=\d))?"
    rf"(?<![\d.,])(?P<number>{_NUMBER}){_SCALE}"
    rf"(?:[{_GROUP_SPACE}]?(?P<cur>(?i:{_SUFFIX_RE}))(?!\w)(?:,-{{1,2}})?)?"
)
# Pages without any currency marker have no amount: skip the number-by-number scan.
# The test is on lower-cased substrings (a case-insensitive alternation took longer than
# the scan itself); forms containing a shorter form ("koruny") add nothing.
_MARKER_FORMS = tuple(sorted(
    form for form in {*_SUFFIX, *_PREFIX}
    if not any(other != form and other in form for other in {*_SUFFIX, *_PREFIX})
))
# A number whose left neighbour is a short digit group ("12 345 678" read from "345")
# is the tail of a longer number, not an amount of its own.
_CONTINUATION = re.compile(rf"(?:^|[^\d.,])\d{{1,3}}[{_GROUP_SPACE}.]$")
# An amount match starts at a digit or at a prefix marker at most this far before one
# (marker, one space): the scan jumps from digit to digit instead of trying the whole
# pattern at every character, which cost more than the rest of the money rules together.
_DIGIT = re.compile(r"\d")
_GROUPING = re.compile(rf"[{_GROUP_SPACE}.]")
_PREFIX_REACH = max(len(form) for form in _PREFIX) + 1
_PREFIX_INITIALS = frozenset(form[0].lower() for form in _PREFIX)


def _amount_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_AMOUNT.finditer(text)`` gives, found by trying only near digits.

    >>> [m.group() for m in _amount_matches("cena EUR 12, tj. 300 Kč")]
    ['EUR 12', '300 Kč']
    """
    position = 0
    while (digit := _DIGIT.search(text, position)) is not None:
        first = digit.start()
        for start in range(max(position, first - _PREFIX_REACH), first + 1):
            if start < first and text[start].lower() not in _PREFIX_INITIALS:
                continue
            match = _AMOUNT.match(text, start)
            if match is not None:
                yield match
                position = match.end()
                break
        else:
            position = first + 1


def _value(match: re.Match[str]) -> Decimal | None:
    """The amount a match states, scaled and with the printed decimals."""
    digits = _GROUPING.sub("", match.group("int"))
    decimals = match.group("dec")
    try:
        amount = Decimal(f"{digits}.{decimals}" if decimals else digits)
    except InvalidOperation:
        return None
    scale = match.group("scale")
    if scale:
        amount = amount * _SCALES[scale.lower()]
        # "2,5 mil." is 2500000, not 2500000.0.
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
    return amount


def _has_marker(text: str) -> bool:
    """Whether ``text`` holds a currency marker in any case (amounts need one).

    >>> _has_marker("celkem 300 KČ"), _has_marker("celkem 300")
    (True, False)
    """
    folded = text.lower()
    return any(form in folded for form in _MARKER_FORMS)


def find_amounts(text: str) -> list[MoneyMatch]:
    """Every amount with a currency marker in ``text``, in order.

    >>> [(str(m.amount), m.currency) for m in find_amounts("dotace 3 783 392,50 Kč, tj. 2,5 mil. Kč")]
    [('3783392.50', 'CZK'), ('2500000', 'CZK')]
    """
    if not isinstance(text, str) or not text or not _has_marker(text):
        return []
    found: list[MoneyMatch] = []
    for match in _amount_matches(text):
        pre, cur = match.group("pre"), match.group("cur")
        if not pre and not cur:
            continue
        start = match.start("number") if not pre else match.start()
        if not pre and _CONTINUATION.search(text, max(0, start - 5), start):
            continue
        amount = _value(match)
        if amount is None:
            continue
        currency = _PREFIX[pre.lower()] if pre else _SUFFIX[cur.lower()]
        if pre and cur and _SUFFIX[cur.lower()] != currency:
            continue
        found.append(MoneyMatch(start, match.end(), amount, currency))
    return found


def parse_amount(text: str) -> MoneyMatch | None:
    """The first amount in a label's value, else None.

    >>> str(parse_amount("8 118 597 Kč (100 %)").amount)
    '8118597'
    """
    amounts = find_amounts(text)
    return amounts[0] if amounts else None
