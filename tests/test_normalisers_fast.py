"""The faster normalisers find exactly what the patterns they replace found.

Each property pits a rewritten piece against a reference built here the way the code
built it before: the money pattern with plain ``(?i:...)`` alternations, the month-name
scan by character class, the programme matchers with every space class spelled out and
both forms of an "Operační program" name in each of its groups.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pytest
from helpers import spans
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise import money
from pipeline.normalise import programmes as prog
from pipeline.normalise.anchored import case_variants, lowered
from pipeline.normalise.dates import (
    _NAME_START,
    _NAME_STEMS,
    _TOKEN,
    _days_in_month,
    _name_starts,
    _token_matches,
)
from pipeline.normalise.regnum import _compact
from pipeline.vocab import load_data

PROPERTY = settings(max_examples=400, deadline=None)

# Characters (?i:) reads as another letter, spaces of every kind, dashes.
_ODD = ["\u212a", "\u212b", "\u017f", "\u0131", "\u0130", "\u00df", "\u00a0", "\u202f", "\u2009", "\t"]



# --------------------------------------------------------------------------- money


def _old_alternation(forms: list[str]) -> str:
    """The alternation money.py used before: literal forms, longest first."""
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def _old_amount() -> re.Pattern[str]:
    """The amount pattern as money.py wrote it before."""
    data: Any = load_data("money.json")
    space = money._GROUP_SPACE
    suffix = _old_alternation(list(data["currencies"]["CZK"]) + list(data["currencies"]["EUR"]))
    prefix = _old_alternation([f for forms in data["prefix_currencies"].values() for f in forms])
    scale = _old_alternation([f for forms in data["scales"].values() for f in forms])
    number = (
        rf"(?P<int>\d{{1,3}}(?:[{space}]\d{{3}}){{1,5}}+"
        r"|\d{1,3}(?:\.\d{3}){1,5}+"
        r"|\d{1,15}+)"
        r"(?:,(?P<dec>\d{1,2}(?!\d))|,-{1,2}|\.-{1,2}"
        # The stray space after a decimal comma ("3 151 121, 01 Kč"), as money.py reads it.
        rf"|,[{space}](?P<sdec>\d{{1,2}})(?=[{space}]?(?i:{scale}|{suffix})(?!\w)))?"
        r"(?![.,]\d)"
    )
    return re.compile(
        rf"(?:(?<!\w)(?P<pre>(?i:{prefix}))[{space}]?(?=\d))?"
        rf"(?<![\d.,])(?P<number>{number})(?:[{space}]?(?P<scale>(?i:{scale}))(?!\w))?"
        rf"(?:[{space}]?(?P<cur>(?i:{suffix}))(?!\w)(?:,-{{1,2}})?)?"
    )


_OLD_AMOUNT = _old_amount()
_MONEY = st.lists(
    st.sampled_from(
        list("0123456789 .,-–:;(x\n") + _ODD
        + ["Kč", "KČ", "kč", "CZK", "czk", "CzK", "EUR", "eUr", "€", "euro", "EURA", "korun",
           "KORUNÁCH", "korunami", "mil.", "MIL", "mld.", "tis.", "TISÍC", "milionů", "milión",
           "1 000", "12 345 678", "1.234.567", "234 567 890 123 456 789", ",-", ",--", ".-",
           ",50", "2,5", "Kčs", "eurem", "cena", "celkem", ", 5", ", 01", "Kc"]
    ),
    max_size=40,
).map("".join)


def _amount_found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    """Span and groups of every match of ``pattern.finditer``."""
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@PROPERTY
@given(st.one_of(_MONEY, st.text(max_size=80)))
def test_amount_pattern_matches_the_old_one(text: str) -> None:
    assert _amount_found(money._AMOUNT, text) == _amount_found(_OLD_AMOUNT, text)
    assert spans(money._amount_matches(text)) == spans(_OLD_AMOUNT.finditer(text))


@pytest.mark.parametrize(
    "text",
    ["EUR 12, tj. 300 Kč", "1 234 567 890 123 456 789 Kč", "1.234 567 Kč", "2,5 mil. Kč",
     "\u212a\u010d 5", "5 \u212a\u010d", "CZK\u00a01 000,-", "eur12", "x€ 5", "12,345 Kč",
     "3 783 392,50 Kč", "1234 Kč", "12 3456 Kč", "5 MLD. EUR", "5 tisících korunách"],
)
def test_amount_pattern_on_examples(text: str) -> None:
    assert _amount_found(money._AMOUNT, text) == _amount_found(_OLD_AMOUNT, text)
    assert spans(money._amount_matches(text)) == spans(_OLD_AMOUNT.finditer(text))


@PROPERTY
@given(st.one_of(_MONEY, st.text(max_size=80)))
def test_amounts_of_the_marked_lines_are_the_amounts_of_the_text(text: str) -> None:
    assert money.find_amounts(text) == list(money._amounts(text, _OLD_AMOUNT.finditer(text)))


@pytest.mark.parametrize(
    "text",
    ["rok 2019\n300 Kč\n5", "EUR\n12 a 12\nKč", "1 000\n000 Kč", "İ 300 Kč\n5 €", "\u017f 5 EUR",
     "cena 12 345\n678 Kč", "x\n\n€ 5\n", "KORUN 5 korun"],
)
def test_amounts_of_the_marked_lines_on_examples(text: str) -> None:
    expected = list(money._amounts(text, _OLD_AMOUNT.finditer(text)))
    assert money.find_amounts(text) == expected


# --------------------------------------------------------------------------- dates


_MONTH_FORMS = sorted(form for forms in load_data("months.json")["months"].values() for form in forms)
_DATES = st.lists(
    st.one_of(
        st.sampled_from(list("0123456789 ./-–,x\n") + _ODD + ["1. ", "2019", "od ", "do "]),
        st.sampled_from(_MONTH_FORMS).flatmap(
            lambda form: st.sampled_from([form, form.upper(), form.title(), form.swapcase(),
                                          form.replace("s", "\u017f"), form.replace("i", "\u0131"),
                                          form.upper().replace("I", "\u0130"),
                                          form.replace("k", "\u212a")])
        ),
    ),
    max_size=30,
).map("".join)


@PROPERTY
@given(st.one_of(_DATES, st.text(max_size=80)))
def test_month_name_starts_hold_every_scan_hit(text: str) -> None:
    assert {m.start() for m in _NAME_START.finditer(text)} <= set(_name_starts(text))
    assert spans(_token_matches(text)) == spans(_TOKEN.finditer(text))


# Per alternative of the token pattern: its first group (what the old reader tested, in
# this order) and its last group (what the reader now dispatches on).
_KINDS = [("iso_y", "iso_d"), ("num_y", "num_y"), ("rom_y", "rom_y"), ("nam_y", "nam_y"),
          ("mon_y", "mon_y"), ("sl_y", "sl_y"), ("dot_y", "dot_y"), ("year", "year"),
          ("pnum_d", "pnum_m"), ("pnam_d", "pnam_m"), ("pmon_m", "pmon_m")]


@PROPERTY
@given(st.one_of(_DATES, st.text(max_size=80)))
def test_token_kind_is_the_alternative_that_matched(text: str) -> None:
    for match in _TOKEN.finditer(text):
        first = next(last for group, last in _KINDS if match.group(group))
        assert match.lastgroup == first


def test_token_kinds_cover_the_pattern() -> None:
    groups = {name for pair in _KINDS for name in pair}
    assert groups <= set(_TOKEN.groupindex)
    assert len({first for first, _ in _KINDS}) == len(_KINDS) == len(_TOKEN.pattern.split("\n      | "))


def test_days_in_month_are_the_calendar_s() -> None:
    """The day count the token reader uses is calendar.monthrange's, for every year a
    token may hold (and a few beyond) and every month."""
    low, high = load_data("months.json")["year_range"]
    for year in range(int(low) - 5, int(high) + 5):
        for month in range(1, 13):
            assert _days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


def test_month_stems_open_every_form() -> None:
    assert all(any(form.startswith(stem) for stem in _NAME_STEMS) for form in _MONTH_FORMS)


def test_lowered_finds_every_case_insensitive_letter() -> None:
    """Every character (?i:) reads as a letter of the month names or the money markers
    lowers to that letter, except those ``lowered`` refuses texts for."""
    letters = {c for form in [*_MONTH_FORMS, *money._PREFIX, *money._MARKER_FORMS] for c in form}
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    refused = {c for c in everything if lowered(c) is None}
    assert refused >= {"\u0130", "\u017f", "\u0131"}
    for letter in letters:
        for char in re.findall(f"(?i:{re.escape(letter)})", everything):
            assert char.lower() == letter or char in refused, (letter, unicodedata.name(char))


def test_case_variants_are_what_ignorecase_matches() -> None:
    assert case_variants("k") == ["K", "k", "\u212a"]
    assert case_variants("i") == ["I", "i", "\u0130", "\u0131"]
    assert case_variants("€") == ["€"]


# --------------------------------------------------------------------------- regnum


def _old_compact(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """regnum._compact as it was: character by character."""
    kept = [(text[i], i) for i in range(start, end) if not text[i].isspace()]
    return "".join(c for c, _ in kept), [i for _, i in kept]


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list("CZ.03/0_9 \u00a0\u2009\t\n\u3000x")), max_size=40),
       st.integers(0, 40), st.integers(0, 40))
def test_compact_keeps_what_it_kept(text: str, start: int, end: int) -> None:
    start, end = min(start, len(text)), min(end, len(text))  # a candidate's span
    value, offsets = _compact(text, start, end)
    assert (value, list(offsets)) == _old_compact(text, start, end)


# --------------------------------------------------------------------------- programmes

_WIDE_SPACE = "[ \\t\\u00a0\\u202f\\u2009]"


def _old_matcher(matcher: prog._Matcher, alternatives: list[prog.Alternative]) -> tuple[
    Mapping[str, tuple[re.Pattern[str], ...]], Mapping[str, str]
]:
    """Patterns per opening as programmes.py built them before, for ``matcher``'s anchor."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    group_names: dict[str, str] = {}
    ordered = sorted(alternatives, key=lambda a: (-len(a[0]), a[0]))
    for index, (source, name, is_abbreviation) in enumerate(ordered):
        group = f"p{index}"
        group_names[group] = name
        if is_abbreviation:
            regex = prog._abbreviation_pattern(source)
        else:
            full, short = prog._name_patterns(source)
            regex = full if short is None else f"(?:{full}|{short})"
        regex = regex.replace("[ \\t\\u00a0]", _WIDE_SPACE)
        for opening in prog._openings(source, is_abbreviation):
            grouped.setdefault(prog._key(opening), []).append((group, regex))
    compiled = {
        key: re.compile(
            prog._BEFORE + "(?:" + "|".join(f"(?P<{g}>{r})" for g, r in parts) + ")" + prog._AFTER
        )
        for key, parts in grouped.items()
    }
    by_opening = {
        key: tuple(compiled[o] for o in sorted(compiled, key=len, reverse=True) if key.startswith(o))
        for key in compiled
    }
    return by_opening, group_names


def _alternatives() -> tuple[list[prog.Alternative], list[prog.Alternative]]:
    """The running-text and complete alternatives, as programmes._table lists them."""
    running: list[prog.Alternative] = []
    complete: list[prog.Alternative] = []
    for entry in load_data("programmes.json")["programmes"]:
        name = entry["name"]
        for form in [name, *entry["variants"]]:
            running.append((form, name, False))
            complete.append((form, name, False))
        for abbreviation in entry["abbreviations"]:
            complete.append((abbreviation, name, True))
            if abbreviation not in entry["ambiguous"]:
                running.append((abbreviation, name, True))
    return running, complete


@pytest.fixture(scope="module")
def old_matchers() -> list[tuple[prog._Matcher, Any, Any]]:
    """(new matcher, old patterns per opening, old group names) for both matchers."""
    running, complete = _alternatives()
    table = prog._table()
    return [
        (table.in_text, *_old_matcher(table.in_text, running)),
        (table.everything, *_old_matcher(table.everything, complete)),
    ]


def _old_matches(text: str, matcher: prog._Matcher, by_opening: Any, group_names: Any) -> list[prog.ProgrammeMatch]:
    """What programmes._matches gave before: anchor search, every group of the opening."""
    abbreviations = prog._table().abbreviations
    found: list[prog.ProgrammeMatch] = []
    position = 0
    while (hint := matcher.anchor.search(text, position)) is not None:
        best: re.Match[str] | None = None
        for pattern in by_opening.get(prog._key(hint.group()), ()):
            match = pattern.match(text, hint.start())
            if match is not None and (best is None or match.end() > best.end()):
                best = match
        if best is None or best.lastgroup is None:
            position = hint.start() + 1
            continue
        name = group_names[best.lastgroup]
        found.append(prog.ProgrammeMatch(best.start(), best.end(), name, abbreviations[name]))
        position = max(best.end(), hint.start() + 1)
    return found


def _name_words() -> list[str]:
    """Every word of the programme names, variants and abbreviations."""
    words: set[str] = set()
    for entry in load_data("programmes.json")["programmes"]:
        for form in [entry["name"], *entry["variants"], *entry["abbreviations"]]:
            words.update(form.split())
    return sorted(words)


_SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009", "\t", "  ", " \u2009", "", " – ", "-", "\n"])
_PROGRAMMES = st.lists(
    st.one_of(
        st.sampled_from(_name_words() + ["Operačního", "Operačnímu", "programu", "programem",
                                         "OP", "OPZ+", "IROP", "Regionálního", "Integrovaného"]),
        _SPACES,
    ),
    max_size=30,
).map("".join)
_WHOLE_NAMES = st.tuples(
    st.sampled_from(sorted({a[0] for a in _alternatives()[1]})), _SPACES, st.sampled_from(["", ".", " a", "x"])
).map(lambda t: t[0].replace(" ", t[1] or " ") + t[2])


@PROPERTY
@given(text=st.one_of(_PROGRAMMES, _WHOLE_NAMES, st.text(max_size=60)))
def test_programme_matchers_find_what_the_old_ones_found(text: str, old_matchers: Any) -> None:
    for matcher, by_opening, group_names in old_matchers:
        assert prog._matches(text, matcher) == _old_matches(text, matcher, by_opening, group_names)


def test_programme_names_hold_no_thin_spaces() -> None:
    """The patterns read thin and narrow no-break spaces as no-break spaces: no name
    may contain one (they would then stand for themselves)."""
    assert not any(set(word) & {"\u202f", "\u2009"} for word in _name_words())


def test_in_text_patterns_are_compiled_at_build() -> None:
    """A page's first programme compiles nothing: the running-text patterns are ready."""
    table = prog._table()
    misses = prog._compiled.cache_info().misses
    for sources in table.in_text.by_opening.values():
        for source in sources:
            assert prog._compiled(source).pattern == source
    assert prog._compiled.cache_info().misses == misses


@pytest.mark.parametrize(
    "text",
    ["podpořeno z Operačního\u2009programu\u202fZaměstnanost plus", "v rámci OP\u2009Zaměstnanost",
     "OP\u202fVVV a IROP", "Operační program Výzkum,\u2009vývoj a vzdělávání", "OPZ+ a OPZ",
     "Integrovaného\u00a0regionálního operačního programu", "Interreg V-A Česká republika\u2009–\u2009Polsko", "OP Praha\u202f–pól růstu",
     # The shared head of a name group ("Operačního programu "), matched once per group:
     # every ending and space run of it, and the names after it in the old order.
     "Operačním\u00a0\u00a0\u00a0programem Doprava", "Operačního programu    Doprava a OP Doprava",
     "Operačnímu programu Zaměstnanost+ a Zaměstnanost", "Regionálního operačního programu NUTS II Jihovýchod",
     "Operační programy Doprava", "OP\u00a0 Rybářství, OP Z plus", "Jednotného programového dokumentu pro Cíl 2 regionu NUTS 2 hl. m. Praha"],
)
def test_programme_matchers_on_examples(text: str, old_matchers: Any) -> None:
    for matcher, by_opening, group_names in old_matchers:
        expected = _old_matches(text, matcher, by_opening, group_names)
        assert expected  # every example names a programme
        assert prog._matches(text, matcher) == expected
