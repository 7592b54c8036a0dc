"""Czech dates and date ranges: ``1. 4. 2014``, ``1. dubna 2016``, ``leden 2019``, ``11/2021``.

A month alone stands for its first to last day, a year alone for 1 January to
31 December. Month names in every case come from ``pipeline/data/months.json``.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

from pipeline.normalise.anchored import case_variants, finditer_at, lowered
from pipeline.vocab import load_data

__all__ = [
    "DateMatch",
    "PeriodMatch",
    "Precision",
    "find_dates",
    "find_periods",
    "parse_date",
    "parse_period",
]

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date at ``text[start:end]`` covering the days ``first`` to ``last``."""

    start: int
    end: int
    first: date
    last: date
    precision: Precision


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    """A period at ``text[start:end]``: from the start of its first date to the end of its last."""

    start: int
    end: int
    first: date | None
    last: date | None


class _Token(NamedTuple):
    """One date-like token; ``partial`` tokens lack a year and only serve in ranges.

    A named tuple, not a frozen dataclass: a page's tokens are built afresh for every
    label value and page, and a frozen dataclass took three times as long to create.
    """

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None


_SP = r"[ \u00a0\u202f\u2009]"
_SP0 = rf"{_SP}{{0,2}}"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MON = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"\d{4}"


def _month_table() -> tuple[dict[str, int], dict[str, int], tuple[int, int], dict[str, int]]:
    """Month name forms (Czech and English), Roman numerals and the English names alone
    from months.json, folded to lower case."""
    data: Any = load_data("months.json")
    english = {
        form.lower(): int(number) for number, forms in data["english"].items() for form in forms
    }
    names = {
        form.lower(): int(number) for number, forms in data["months"].items() for form in forms
    } | english
    roman = {numeral: int(number) for numeral, number in data["roman"].items()}
    low, high = data["year_range"]
    return names, roman, (int(low), int(high)), english


_NAMES, _ROMAN, _YEARS, _ENGLISH = _month_table()
# English names only: a day before them needs no dot ("1 September 2019"), and a day may
# follow them with a comma ("September 1, 2019").
_ENGLISH_RE = "(?i:" + "|".join(re.escape(n) for n in sorted(_ENGLISH, key=len, reverse=True)) + ")"
# Longest first, so "července" is not read as "červen" + "ce".
_NAME_RE = "(?i:" + "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True)) + ")"
# Cheap guard tried before the alternation: a digit or the opening of a month name.
_OPENING_RE = "(?=\\d|(?i:" + "|".join(sorted({re.escape(n[:3]) for n in _NAMES})) + "))"
# Where a token can start, found by two scans that begin with a character class (the
# engine then skips other characters in C; trying the token pattern at every character
# was most of the cost of a page's dates):
# - a run of digits after no word character, dot, comma or slash that is four long (a
#   year) or one or two long and followed by "." or "/" (a day or a month);
#   a day before an English month name ("1 September 2019") is one or two digits and a
#   space before a Latin letter.
_DIGIT_START = re.compile(r"\d(?<![\w.,/]\d)(?:\d{3}(?!\d)|\d?[./]|\d?[ \u00a0](?=[A-Za-z]))")


def _name_start_pattern() -> re.Pattern[str]:
    """The scan for month names: first letter as a class, the rest by first letter."""
    by_initial: dict[str, list[str]] = {}
    for name in sorted(_NAMES, key=len, reverse=True):
        by_initial.setdefault(name[0], []).append(name[1:])
    initials = sorted({c for letter in by_initial for c in case_variants(letter)})
    rests = "|".join(
        f"(?<={re.escape(letter)})(?:" + "|".join(re.escape(rest) for rest in tails) + ")"
        for letter, tails in sorted(by_initial.items())
    )
    return re.compile(
        "[" + "".join(re.escape(c) for c in initials) + "](?<![\\w.,/].)(?i:" + rests + ")(?!\\w)"
    )


def _name_stems() -> tuple[str, ...]:
    """Per three-letter opening of the month names, the longest start its forms share."""
    by_opening: dict[str, list[str]] = {}
    for name in _NAMES:
        by_opening.setdefault(name[:3], []).append(name)
    return tuple(sorted(os.path.commonprefix(forms) for forms in by_opening.values()))


# - a whole month name after no word character, dot, comma or slash (the scan for texts
#   ``lowered`` refuses; others are searched for the names' stems, see _name_starts).
_NAME_START = _name_start_pattern()
# "červ" for červen and červenec, "prosin" for prosinec: few places to try in a page.
_NAME_STEMS = _name_stems()
_ROMAN_RE = "(?:" + "|".join(sorted(_ROMAN, key=len, reverse=True)) + ")"
# Before the alternatives that open with a month name: the name's first letter, in one
# class. Without it, every digit start of a page entered each of their (?i:) alternations.
_NAME_FIRST = (
    "(?=["
    + "".join(re.escape(c) for c in sorted({c for n in _NAMES for c in case_variants(n[0])}))
    + "])"
)

# "v říjnu roku 2008", "1. září roku 2019": the word for "of the year" between month and year.
_ROKU = rf"(?:[Rr]oku{_SP}{{1,2}})?"

# One alternation, most specific form first; every alternative is bounded, so the scan is
# linear. A number glued to a letter, dot, comma or slash on the left is not a date start
# (versions "v1.4.2014", amounts "1.234.567", file numbers "108/2006").
_TOKEN = re.compile(
    rf"""
    (?<![\w.,/])
    {_OPENING_RE}
    (?:
        (?P<iso_y>{_YEAR})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})(?![\w-])
      | (?P<num_d>{_DAY})\.{_SP0}(?P<num_m>{_MON})\.{_SP0}(?P<num_y>{_YEAR})(?!\w|[.,]\d)
      | (?P<rom_d>{_DAY})\.{_SP0}(?P<rom_m>{_ROMAN_RE})\.{_SP0}(?P<rom_y>{_YEAR})(?!\w|[.,]\d)
      | (?P<nam_d>{_DAY})\.{_SP0}(?P<nam_m>{_NAME_RE}){_SP}{{1,2}}{_ROKU}(?P<nam_y>{_YEAR})(?!\w|[.,]\d)
      | (?P<en_d>{_DAY}){_SP}{{1,2}}(?P<en_m>{_ENGLISH_RE}),?{_SP}{{1,2}}(?P<en_y>{_YEAR})(?!\w|[.,]\d)
      | {_NAME_FIRST}(?P<us_m>{_ENGLISH_RE}){_SP}{{1,2}}(?P<us_d>{_DAY}),{_SP}{{1,2}}(?P<us_y>{_YEAR})(?!\w|[.,]\d)
      | {_NAME_FIRST}(?P<mon_m>{_NAME_RE}){_SP}{{1,2}}{_ROKU}(?P<mon_y>{_YEAR})(?!\w|[.,]\d)
      | (?P<sd_d>{_DAY})/(?P<sd_m>{_MON})/(?P<sd_y>{_YEAR})(?![\w/]|[.,]\d)
      | (?P<sl_m>{_MON})/(?P<sl_y>{_YEAR})(?![\w/]|[.,]\d)
      | (?P<dot_m>0[1-9]|1[0-2])\.(?P<dot_y>{_YEAR})(?!\w|[.,]\d)
      | (?P<year>{_YEAR})(?!\w|[.,]\d)
      | (?P<pnum_d>{_DAY})\.{_SP0}(?P<pnum_m>{_MON})\.(?!{_SP0}\d)
      | (?P<pnam_d>{_DAY})\.{_SP0}(?P<pnam_m>{_NAME_RE})(?!\w)
      | {_NAME_FIRST}(?P<pmon_m>{_NAME_RE})(?!\w)
    )
    """,
    re.VERBOSE,
)
# "č. 5/2023 Sb." is a law, "č. j. 11/2021" a file number: not months.
_FILE_NUMBER_BEFORE = re.compile(r"(?:č\.?|č\.\s?j\.?|čj\.?|číslo|No\.?)\s*$", re.IGNORECASE)
_LAW_AFTER = re.compile(r"\s*Sb\b")
# The token kinds (last group of their alternative) a file or law number can look like.
_FILE_NUMBER_KINDS = frozenset({"sd_y", "sl_y", "year"})
_COPYRIGHT_BEFORE = re.compile(
    r"(?:©|\(c\)|copyright|rights reserved|všechna práva)[^\n]{0,30}$", re.IGNORECASE
)
# Dashes: hyphen, en, em, Unicode hyphen, and the minus, non-breaking hyphen, figure dash
# and horizontal bar some editors put between two dates.
_RANGE_SEP = re.compile(
    rf"{_SP0}[-–—‐\u2212\u2011\u2012\u2015]{{1,2}}{_SP0}|{_SP}{{1,3}}(?:až|do){_SP}{{1,3}}|{_SP0}/{_SP0}(?=\d\d?\.)"
)
_RANGE_PREFIX = re.compile(
    rf"(?:\b[Oo]d|\b[Vv]{_SP}{{1,2}}letech|\b[Vv]{_SP}{{1,2}}období){_SP}{{1,3}}$"
)
_UNTIL_BEFORE = re.compile(
    rf"(?:^|\W)(?:[Dd]o|[Kk]|[Uu]končení|[Kk]onec){_SP}{{0,3}}:?{_SP}{{0,3}}$"
)


@cache
def _programming_periods() -> frozenset[tuple[int, int]]:
    """Year pairs that name EU programming periods ("2014–2020"), not project periods."""
    periods = load_data("programmes.json")["programming_periods"]
    return frozenset((int(p[:4]), int(p[5:])) for p in periods)


# Days per month in a common year; February gains one in a leap year (_days_in_month).
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]`` without its weekday, for a month 1-12."""
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]


def _month_name(text: str) -> int:
    """Month number for a Czech month name in any case."""
    return _NAMES[text.lower()]


def _token(match: re.Match[str]) -> _Token | None:
    """Read the fields of one token match; None when it names no real date."""
    # The last group of the alternative that matched says which one it was (cheaper
    # than reading every group of the pattern).
    kind = match.lastgroup
    g = match.group
    year = month = day = None
    if kind == "iso_d":
        year, month, day = int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))
    elif kind == "num_y":
        year, month, day = int(g("num_y")), int(g("num_m")), int(g("num_d"))
    elif kind == "rom_y":
        year, month, day = int(g("rom_y")), _ROMAN[g("rom_m")], int(g("rom_d"))
    elif kind == "nam_y":
        year, month, day = int(g("nam_y")), _month_name(g("nam_m")), int(g("nam_d"))
    elif kind == "en_y":
        year, month, day = int(g("en_y")), _month_name(g("en_m")), int(g("en_d"))
    elif kind == "us_y":
        year, month, day = int(g("us_y")), _month_name(g("us_m")), int(g("us_d"))
    elif kind == "mon_y":
        year, month = int(g("mon_y")), _month_name(g("mon_m"))
    elif kind == "sd_y":
        # Day first, as Czech and European pages write it ("01/09/2019").
        year, month, day = int(g("sd_y")), int(g("sd_m")), int(g("sd_d"))
    elif kind == "sl_y":
        year, month = int(g("sl_y")), int(g("sl_m"))
    elif kind == "dot_y":
        year, month = int(g("dot_y")), int(g("dot_m"))
    elif kind == "year":
        year = int(g("year"))
    elif kind == "pnum_m":
        month, day = int(g("pnum_m")), int(g("pnum_d"))
    elif kind == "pnam_m":
        month, day = _month_name(g("pnam_m")), int(g("pnam_d"))
    elif kind == "pmon_m":
        month = _month_name(g("pmon_m"))
    if year is not None and not _YEARS[0] <= year <= _YEARS[1]:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    # Impossible days (31. 2.) are not dates; a year-less day is checked in a leap year.
    if (
        day is not None
        and month is not None
        and day > _days_in_month(year if year is not None else 2024, month)
    ):
        return None
    return _Token(match.start(), match.end(), year, month, day)


def _name_starts(text: str) -> list[int]:
    """Every place a month name can start (and some where it cannot), unordered.

    ``str.find`` of the stems in the lower-cased page is several times cheaper than the
    class-first ``_NAME_START`` scan, which stops at every "l", "s", "p"... of the text.
    """
    folded = lowered(text)
    if folded is None:
        return [m.start() for m in _NAME_START.finditer(text)]
    starts: list[int] = []
    for stem in _NAME_STEMS:
        found = folded.find(stem)
        while found >= 0:
            starts.append(found)
            found = folded.find(stem, found + 1)
    return starts


def _token_starts(text: str) -> list[int]:
    """Every place a token can start (``_DIGIT_START``, ``_name_starts``), in order."""
    starts = [m.start() for m in _DIGIT_START.finditer(text)]
    names = _name_starts(text)
    return sorted(starts + names) if names else starts


def _token_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_TOKEN.finditer(text)`` gives, tried only where a token can start.

    >>> [m.group() for m in _token_matches("od 1. 4. 2014 do března 2015")]
    ['1. 4. 2014', 'března 2015']
    """
    return finditer_at(_TOKEN, text, _token_starts(text))


@lru_cache(maxsize=4)
def _tokens(text: str) -> tuple[_Token, ...]:
    """All date-like tokens of ``text`` in order, file and law numbers left out.

    Cached for the last few texts: find_dates and find_periods run over the same page.
    """
    tokens: list[_Token] = []
    for match in _token_matches(text):
        token = _token(match)
        if token is None:
            continue
        if match.lastgroup in _FILE_NUMBER_KINDS:
            before = text[max(0, match.start() - 12) : match.start()]
            if _FILE_NUMBER_BEFORE.search(before) or _LAW_AFTER.match(text, match.end()):
                continue
        tokens.append(token)
    return tuple(tokens)


def _bounds(token: _Token, year: int | None = None) -> tuple[date, date, Precision] | None:
    """First and last day a token covers (``year`` fills in a missing one)."""
    y = token.year if token.year is not None else year
    if y is None:
        return None
    try:
        if token.month is None:
            return date(y, 1, 1), date(y, 12, 31), "year"
        if token.day is None:
            last_day = _days_in_month(y, token.month)
            return date(y, token.month, 1), date(y, token.month, last_day), "month"
        day = date(y, token.month, token.day)
    except ValueError:
        return None
    return day, day, "day"


def find_dates(text: str) -> list[DateMatch]:
    """Every complete date in ``text`` (day, month or year precision), in order.

    >>> [(m.first.isoformat(), m.precision) for m in find_dates("od 1. dubna 2016, leden 2019")]
    [('2016-04-01', 'day'), ('2019-01-01', 'month')]
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[DateMatch] = []
    for token in _tokens(text):
        bounds = _bounds(token)
        if bounds is not None:
            found.append(DateMatch(token.start, token.end, *bounds))
    return found


def _range(text: str, left: _Token, right: _Token) -> PeriodMatch | None:
    """The period two adjacent tokens form, or None when they do not form one."""
    if _RANGE_SEP.fullmatch(text, left.end, right.start) is None:
        return None
    if right.year is None:
        return None
    right_bounds = _bounds(right)
    # A year-less start ("1. 4. – 31. 12. 2019") borrows the year of the end.
    left_bounds = _bounds(left, right.year)
    if left_bounds is None or right_bounds is None:
        return None
    first, last = left_bounds[0], right_bounds[1]
    if first > last:
        return None
    if left.year is not None and left.month is None and right.month is None:
        # "2014–2020" after a programme name is the programming period, and "© 2010–2024"
        # a copyright line: neither is a project's period.
        if (left.year, right.year) in _programming_periods():
            return None
        if _COPYRIGHT_BEFORE.search(text, max(0, left.start - 48), left.start):
            return None
    start = left.start
    prefix = _RANGE_PREFIX.search(text, max(0, start - 16), start)
    if prefix is not None:
        start = prefix.start()
    return PeriodMatch(start, right.end, first, last)


def find_periods(text: str) -> list[PeriodMatch]:
    """Every date range in ``text`` ("1. 4. 2014 – 31. 10. 2015", "od X do Y", "2023–2025").

    >>> [(p.first.isoformat(), p.last.isoformat()) for p in find_periods("11/2021 – 04/2024")]
    [('2021-11-01', '2024-04-30')]
    """
    if not isinstance(text, str) or not text:
        return []
    tokens = _tokens(text)
    found: list[PeriodMatch] = []
    i = 0
    while i + 1 < len(tokens):
        period = _range(text, tokens[i], tokens[i + 1])
        if period is not None:
            found.append(period)
            i += 2
        else:
            i += 1
    return found


def parse_date(text: str) -> DateMatch | None:
    """The first complete date in a label's value, else None.

    >>> parse_date("zahájení 01.10.2022").first.isoformat()
    '2022-10-01'
    """
    dates = find_dates(text)
    return dates[0] if dates else None


def parse_period(text: str) -> PeriodMatch | None:
    """The period a "Doba realizace" value states: a range, or one date as start (or end).

    A single date is the start, unless it follows "do" ("do 30. 6. 2015"), then the end.
    A duration alone ("14 měsíců") or several unrelated dates give None.

    >>> p = parse_period("od 1. 1. 2020 do 31. 12. 2021")
    >>> (p.first.isoformat(), p.last.isoformat())
    ('2020-01-01', '2021-12-31')
    >>> parse_period("1. 6. 2026").last is None
    True
    """
    if not isinstance(text, str) or not text:
        return None
    periods = find_periods(text)
    if periods:
        return periods[0]
    dates = find_dates(text)
    if len(dates) != 1:
        return None
    only = dates[0]
    if _UNTIL_BEFORE.search(text, 0, only.start):
        return PeriodMatch(only.start, only.end, None, only.last)
    return PeriodMatch(only.start, only.end, only.first, None)
