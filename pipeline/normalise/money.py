"""Amounts of money in Czech text: ``3 783 392,50 Kč``, ``1.234.567,- Kč``, ``2,5 mil. Kč``.

Values are ``Decimal`` with the decimals as printed. A number without a currency marker
is not money. Currency markers and scale words come from ``pipeline/data/money.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pipeline.normalise.anchored import case_variants, finditer_at, lines_holding, lowered
from pipeline.normalise.textutil import holds_any
from pipeline.vocab import load_data

__all__ = ["Currency", "MoneyMatch", "czk_unit", "find_amounts", "parse_amount"]

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
    """Case-insensitive regex alternation of literal forms, longest first.

    What ``(?i:form|form…)`` matches, written as one branch per first letter that opens
    with a case-sensitive class: the engine skips a branch whose class fails in one step,
    where every (?i:) form was tried in turn (most of the cost of trying the amount
    pattern at a number without a currency). Forms of different first letters never
    match at the same place, so the first form that matches is the same.

    >>> print(_alternation(["tis.", "mil", "tisíc"]))
    (?:[Tt](?i:isíc|is\\.)|[Mm](?i:il))
    """
    by_initial: dict[str, list[str]] = {}
    for form in sorted(forms, key=len, reverse=True):
        by_initial.setdefault(form[0].lower(), []).append(form[1:])
    branches = (
        "[" + "".join(re.escape(c) for c in case_variants(initial)) + "]"
        + ("(?i:" + "|".join(re.escape(rest) for rest in rests) + ")" if any(rests) else "")
        for initial, rests in by_initial.items()
    )
    return "(?:" + "|".join(branches) + ")"


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
# Prefixes that count only before a number printed as money (see money.json).
_GROUPED_PREFIXES = frozenset(form.lower() for form in load_data("money.json")["prefix_needs_grouping"])
# "950 000 z 1 057 673 korun": a grouped number, a linking word, then the amount whose
# currency both share (the pattern runs on the few characters before that amount).
_SHARED_CURRENCY = re.compile(
    rf"(?<![\d.,])(?P<int>\d{{1,3}}(?:[{_GROUP_SPACE}]\d{{3}}){{1,4}}|\d{{1,3}}(?:\.\d{{3}}){{1,4}})"
    rf"(?:,(?P<dec>\d{{1,2}}))?[{_GROUP_SPACE}](?i:"
    + "|".join(re.escape(w) for w in sorted(load_data("money.json")["shared_currency_links"], key=len, reverse=True))
    + rf")[{_GROUP_SPACE}]$"
)

# Thousands groups are exactly three digits after a first group of one to three, joined
# by one space-like character or a dot; every repetition is bounded so the scan stays
# linear on hostile input (a 5 MB line of "1 000 000 …"). The first group is taken whole
# (``+``): only the full digit run can be followed by a separator, so giving digits back
# never helped, and each way of grouping then costs one step to refuse.
_NUMBER = (
    rf"(?P<int>\d{{1,3}}+(?:(?:[{_GROUP_SPACE}]\d{{3}}){{1,5}}+|(?:\.\d{{3}}){{1,5}}+)"
    r"|\d{1,15}+)"
    r"(?:,(?P<dec>\d{1,2}(?!\d))|,-{1,2}|\.-{1,2}"
    # "3 151 121, 01 Kč", "37, 7 mil. Kč": a stray space after the decimal comma, taken
    # only where a scale word or a currency marker follows at once (``_stray_decimals_hold``
    # then asks more); read without it, the decimals became the amount ("01 Kč").
    rf"|,[{_GROUP_SPACE}](?P<sdec>\d{{1,2}})(?=[{_GROUP_SPACE}]?(?:{_SCALE_RE}|{_SUFFIX_RE})(?!\w))"
    # "1 234 567.50 Kč", "2.5 mil. Kč": a decimal point, taken only with one or two
    # digits and a scale word or a currency marker at once (three digits after a dot
    # are a thousands group; a dot-grouped number keeps its comma decimals).
    rf"|\.(?P<ddec>\d{{1,2}})(?=[{_GROUP_SPACE}]?(?:{_SCALE_RE}|{_SUFFIX_RE})(?!\w)))?"
    # "12,345" or "1,000.00" is not a Czech amount: refuse rather than misread it.
    r"(?![.,]\d)"
)
# A scale word ends the word: "mil. Kč", and "2 mil.Kč" where the dot ends it.
_SCALE = rf"(?:[{_GROUP_SPACE}]?(?P<scale>{_SCALE_RE})(?:(?<=\.)|(?!\w)))?"
_AMOUNT = re.compile(
    rf"(?:(?<!\w)(?P<pre>{_PREFIX_RE})[{_GROUP_SPACE}]?(?=\d))?"
    rf"(?<![\d.,])(?P<number>{_NUMBER}){_SCALE}"
    rf"(?:[{_GROUP_SPACE}]?(?P<cur>{_SUFFIX_RE})(?!\w)(?:,-{{1,2}})?)?"
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
_GROUPING = re.compile(rf"[{_GROUP_SPACE}.]")


def _start_pattern() -> re.Pattern[str]:
    """The scan for where an amount can start: a digit after no digit, dot or comma, or
    the first letter of a prefix marker after no word character, the marker following.
    """
    tails: dict[str, set[str]] = {}
    for form in _PREFIX:
        tails.setdefault(form[0], set()).add(form[1:])
    initials = sorted({c for letter in tails for c in case_variants(letter)})
    prefixes = "|".join(
        f"(?<={re.escape(letter)})"
        + ("" if "" in rests else "(?=" + "|".join(re.escape(r) for r in sorted(rests)) + ")")
        for letter, rests in sorted(tails.items())
    )
    return re.compile(
        "[\\d" + "".join(re.escape(c) for c in initials) + "]"
        "(?:(?<=\\d)(?<![\\d.,]\\d)|(?<!\\w.)(?i:" + prefixes + "))"
    )


# Where an amount match can start, found by a scan that begins with a character class
# (skipped through in C): trying the whole pattern near every digit in Python cost more
# than the rest of the money rules together. Each hit is one character, so ``finditer``
# reports every such place.
_AMOUNT_START = _start_pattern()


def _amount_matches(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The matches ``_AMOUNT.finditer(text)`` gives that start in ``text[start:end]``, for
    ``start`` at the start of a line and ``end`` at the end of one (no match holds a newline).

    >>> [m.group() for m in _amount_matches("cena EUR 12, tj. 300 Kč")]
    ['EUR 12', '300 Kč']
    """
    stop = len(text) if end is None else end
    return finditer_at(_AMOUNT, text, (m.start() for m in _AMOUNT_START.finditer(text, start, stop)))


def _value(match: re.Match[str]) -> Decimal | None:
    """The amount a match states, scaled and with the printed decimals."""
    digits = _GROUPING.sub("", match.group("int"))
    decimals = match.group("dec") or match.group("sdec") or match.group("ddec")
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
    return holds_any(text.lower(), _MARKER_FORMS)


def _marked_lines(text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` that hold a currency marker in any case, as (start, end).

    No amount holds a newline, and ``finditer`` enters each line with nothing of the
    previous one's matches: a page's amounts are those of its marked lines, and the
    numbers of every other line (dates, phone numbers, counts) need no look.

    >>> _marked_lines("rok 2019\\ncelkem 300 KČ\\n5 €")
    [(9, 22), (23, 26)]
    """
    folded = lowered(text)
    if folded is None:
        # str.lower shifted offsets or cannot stand for (?i:): search the whole text.
        return [(0, len(text))] if _has_marker(text) else []
    return lines_holding(folded, _MARKER_FORMS)


def find_amounts(text: str) -> list[MoneyMatch]:
    """Every amount with a currency marker in ``text``, in order.

    >>> [(str(m.amount), m.currency) for m in find_amounts("dotace 3 783 392,50 Kč, tj. 2,5 mil. Kč")]
    [('3783392.50', 'CZK'), ('2500000', 'CZK')]
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[MoneyMatch] = []
    for start, end in _marked_lines(text):
        found.extend(_amounts(text, _amount_matches(text, start, end)))
    return found


def _stray_decimals_hold(match: re.Match[str]) -> bool:
    """Whether decimals after a comma and a space are the amount's own.

    Before a scale word any one or two digits are ("37, 7 mil. Kč"); before a currency
    only two after a grouped number ("3 151 121, 01 Kč"), since "v roce 2019, 50 Kč" is
    a year and an amount.
    """
    if match.group("scale"):
        return True
    return len(match.group("sdec")) == 2 and _GROUPING.search(match.group("int")) is not None


# A scale word right before a prefix marker: "v tis. Kč 1 250" gives thousands.
_SCALE_BEFORE = re.compile(rf"(?<!\w){_SCALE_RE}[{_GROUP_SPACE}]?$")


def _printed_as_money(text: str, match: re.Match[str]) -> bool:
    """Whether a number after a prefix like "Kč" is printed as an amount: grouped in
    thousands or with ",-" / decimals ("Kč 1 234 567", "Kč 640.000,-"), and with no
    scale word before the prefix ("v tis. Kč 1 250" is a table header's unit).

    >>> [str(m.amount) for m in find_amounts("Kč 1 234 567; Kč 2019; Kč 5000,-; tis. Kč 1 250")]
    ['1234567', '5000']
    """
    number = match.group("number")
    grouped = _GROUPING.search(match.group("int")) is not None or "," in number or number.endswith(".-")
    return grouped and not _SCALE_BEFORE.search(text, max(0, match.start() - 8), match.start())


def _amounts(text: str, matches: Iterable[re.Match[str]]) -> Iterator[MoneyMatch]:
    """The amounts that amount-pattern matches in ``text`` state (those with a marker)."""
    for match in matches:
        pre, cur = match.group("pre"), match.group("cur")
        if not pre and not cur:
            continue
        start = match.start("number") if not pre else match.start()
        if not pre and _CONTINUATION.search(text, max(0, start - 5), start):
            continue
        if pre and not cur and pre.lower() in _GROUPED_PREFIXES and not _printed_as_money(text, match):
            continue
        if match.group("sdec") and not _stray_decimals_hold(match):
            continue
        if match.group("ddec") and ("." in match.group("int") or not (match.group("scale") or _GROUPING.search(match.group("int")))):
            # "1.234.56 Kč": dots both group and part, no reading is sure; "5.3 Kč" with
            # no thousands group and no scale word reads as well as an item number.
            continue
        amount = _value(match)
        if amount is None:
            continue
        currency = _PREFIX[pre.lower()] if pre else _SUFFIX[cur.lower()]
        if pre and cur and _SUFFIX[cur.lower()] != currency:
            continue
        if not pre:
            start, amount = _with_leading_part(text, match, start, amount)
        if not pre and not match.group("scale"):
            shared = _SHARED_CURRENCY.search(text, max(0, start - 40), start)
            if shared is not None:
                yield MoneyMatch(shared.start(), shared.end("dec") if shared.group("dec") else shared.end("int"),
                                 _shared_value(shared), currency)
        yield MoneyMatch(start, match.end(), amount, currency)


# "12 milionů 500 tisíc Kč", "1 mil. 200 tis. Kč": a number with a larger scale word
# right before a scaled amount is the amount's leading part.
_LEADING_PART = re.compile(
    rf"(?<![\d.,])(?P<int>\d{{1,3}})(?:,(?P<dec>\d{{1,2}}))?[{_GROUP_SPACE}]?(?P<scale>{_SCALE_RE})"
    rf"(?:(?<=\.)|(?!\w))[{_GROUP_SPACE}]$"
)


def _with_leading_part(text: str, match: re.Match[str], start: int, amount: Decimal) -> tuple[int, Decimal]:
    """The start and amount of a scaled amount with the larger part printed before it.

    >>> [str(m.amount) for m in find_amounts("dotace 12 milionů 500 tisíc Kč, tj. 1 mil. 200 tis. Kč")]
    ['12500000', '1200000']
    """
    scale = match.group("scale")
    if not scale:
        return start, amount
    lead = _LEADING_PART.search(text, max(0, start - 20), start)
    if lead is None or _SCALES[lead.group("scale").lower()] <= _SCALES[scale.lower()]:
        return start, amount
    digits = lead.group("int") + ("." + lead.group("dec") if lead.group("dec") else "")
    total = Decimal(digits) * _SCALES[lead.group("scale").lower()] + amount
    return lead.start(), total.quantize(Decimal(1)) if total == total.to_integral_value() else total


def _shared_value(shared: re.Match[str]) -> Decimal:
    """The amount of a number that shares the next amount's currency.

    >>> [str(m.amount) for m in find_amounts("tedy 950 000 z 1 057 673 korun")]
    ['950000', '1057673']
    """
    digits = _GROUPING.sub("", shared.group("int"))
    return Decimal(f"{digits}.{shared.group('dec')}" if shared.group("dec") else digits)


def parse_amount(text: str) -> MoneyMatch | None:
    """The first amount in a label's value, else None.

    >>> str(parse_amount("8 118 597 Kč (100 %)").amount)
    '8118597'
    """
    amounts = find_amounts(text)
    return amounts[0] if amounts else None


# "(Kč)", "v Kč", "[CZK]", "v tis. Kč", "(mil. Kč)": the unit a label or a table header
# gives its numbers. Only the CZK marks that cannot be a word of a sentence ("koruny" can).
_CZK_UNIT = re.compile(
    rf"(?<!\w)(?:(?P<scale>{_SCALE_RE})[{_GROUP_SPACE}]?)?(?:Kč|CZK)(?!\w)"
)


def czk_unit(label: str) -> int | None:
    """The factor of the CZK unit a label names for the numbers under it, else None.

    >>> czk_unit("Výše dotace (Kč)"), czk_unit("Celkové výdaje v tis. Kč"), czk_unit("Dotace")
    (1, 1000, None)
    """
    found = _CZK_UNIT.search(label)
    if found is None:
        return None
    scale = found.group("scale")
    return _SCALES[scale.lower()] if scale else 1
