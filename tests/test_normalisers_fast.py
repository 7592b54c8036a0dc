"""The normalisers on examples, and the premises of their cheap scans.

Money, registration numbers and programmes on tables of invented text through their
public functions, with properties over page-like text; for dates, the facts the token
reader relies on (month-name starts, the alternative that matched, day counts) and the
case-folding corners of ``(?i:...)`` that ``anchored.lowered`` refuses.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

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
from pipeline.normalise.regnum import find_registration_numbers
from pipeline.vocab import load_data

PROPERTY = settings(max_examples=400, deadline=None)

# Characters (?i:) reads as another letter, spaces of every kind, dashes.
_ODD = ["\u212a", "\u212b", "\u017f", "\u0131", "\u0130", "\u00df", "\u00a0", "\u202f", "\u2009", "\t"]



# --------------------------------------------------------------------------- money


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


# (invented text, every amount found as (text matched, amount, currency)).
AMOUNTS = [
    pytest.param("EUR 12, tj. 300 Kč", [("EUR 12", "12", "EUR"), ("300 Kč", "300", "CZK")], id="prefix-and-suffix"),
    pytest.param("5 \u212a\u010d", [("5 \u212a\u010d", "5", "CZK")], id="kelvin-sign-for-k"),
    pytest.param("CZK\u00a01 000,-", [("CZK\u00a01 000,-", "1000", "CZK")], id="prefix-no-break-space"),
    pytest.param("5 MLD. EUR", [("5 MLD. EUR", "5000000000", "EUR")], id="scale-in-capitals"),
    pytest.param("5 tisících korunách", [("5 tisících korunách", "5000", "CZK")], id="declined-scale-and-currency"),
    pytest.param("İ 300 Kč\n5 €", [("300 Kč", "300", "CZK"), ("5 €", "5", "EUR")], id="dotted-capital-i-on-page"),
    pytest.param("\u017f 5 EUR", [("5 EUR", "5", "EUR")], id="long-s-on-page"),
    pytest.param("rok 2019\n300 Kč\n5", [("300 Kč", "300", "CZK")], id="only-the-marked-line"),
    pytest.param("cena 12 345\n678 Kč", [("678 Kč", "678", "CZK")], id="no-number-across-lines"),
    pytest.param("x\n\n€ 5\n", [("€ 5", "5", "EUR")], id="euro-sign-alone-on-line"),
    pytest.param("KORUN 5 korun", [("5 korun", "5", "CZK")], id="currency-word-before-is-not-a-prefix"),
    pytest.param("1 234 567 890 123 456 789 Kč", [], id="too-many-groups"),
    pytest.param("12 3456 Kč", [], id="bad-grouping"),
    pytest.param("x€ 5", [], id="euro-sign-inside-a-word"),
    pytest.param("EUR\n12 a 12\nKč", [], id="currency-on-another-line"),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_find_amounts_on_examples(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = [(text[m.start : m.end], str(m.amount), m.currency) for m in money.find_amounts(text)]
    assert found == expected


@PROPERTY
@given(st.one_of(_MONEY, st.text(max_size=80)))
def test_an_amount_found_in_a_text_reads_the_same_alone(text: str) -> None:
    """Amounts come in order without overlap, and each reads alone as it read in the text."""
    end = 0
    for match in money.find_amounts(text):
        assert end <= match.start < match.end <= len(text)
        end = match.end
        alone = money.parse_amount(text[match.start : match.end])
        assert alone is not None and (alone.amount, alone.currency) == (match.amount, match.currency)


# --------------------------------------------------------------------------- dates


_MONTH_FORMS = sorted(
    form
    for table in ("months", "english")
    for forms in load_data("months.json")[table].values()
    for form in forms
)
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
          ("en_y", "en_y"), ("us_y", "us_y"), ("mon_y", "mon_y"), ("sd_y", "sd_y"), ("sl_y", "sl_y"),
          ("dot_y", "dot_y"), ("year", "year"), ("pnum_d", "pnum_m"), ("pnam_d", "pnam_m"), ("pmon_m", "pmon_m")]


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


# (invented text, every registration number found as (text matched, value)).
REGISTRATION_NUMBERS = [
    ("CZ.03.2.60/0.0/0.0/16_052/0001234", [("CZ.03.2.60/0.0/0.0/16_052/0001234",) * 2]),
    ("CZ.03.2.60/0.0/0.0/ 16_052/0001234",
     [("CZ.03.2.60/0.0/0.0/ 16_052/0001234", "CZ.03.2.60/0.0/0.0/16_052/0001234")]),
    ("CZ.\u00a003.2.60/0.0/0.0/16_052/0001234",
     [("CZ.\u00a003.2.60/0.0/0.0/16_052/0001234", "CZ.03.2.60/0.0/0.0/16_052/0001234")]),
    ("reg. č. CZ.1.07/1.1.00/14.0143\t.", [("CZ.1.07/1.1.00/14.0143",) * 2]),
]


@pytest.mark.parametrize(("text", "expected"), REGISTRATION_NUMBERS)
def test_registration_numbers_drop_the_spaces_inside(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[m.start : m.end], m.value) for m in find_registration_numbers(text)] == expected


# --------------------------------------------------------------------------- programmes

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


_NAMES = frozenset(entry["name"] for entry in load_data("programmes.json")["programmes"])


@PROPERTY
@given(text=st.one_of(_PROGRAMMES, _WHOLE_NAMES, st.text(max_size=60)))
def test_programmes_found_are_known_and_apart(text: str) -> None:
    for find in (prog.find_programmes, prog.find_programme_mentions):
        end = 0
        for match in find(text):
            assert end <= match.start < match.end <= len(text)
            assert match.name in _NAMES
            end = match.end


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"], ids=["space", "nbsp", "narrow-nbsp", "thin"])
def test_every_programme_form_is_found_with_any_space(space: str) -> None:
    """Each name, variant and abbreviation of programmes.json, spaced with ``space``."""
    for form, name, _ in _alternatives()[1]:
        text = "v rámci " + form.replace(" ", space) + " a dále"
        assert name in [m.name for m in prog.find_programme_mentions(text)], text


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


# (invented text, every programme found as (text matched, programme)).
PROGRAMMES = [
    ("podpořeno z Operačního\u2009programu\u202fZaměstnanost plus",
     [("Operačního\u2009programu\u202fZaměstnanost plus", "Operační program Zaměstnanost plus")]),
    ("v rámci OP\u2009Zaměstnanost", [("OP\u2009Zaměstnanost", "Operační program Zaměstnanost")]),
    ("OP\u202fVVV a IROP", [("OP\u202fVVV", "Operační program Výzkum, vývoj a vzdělávání"),
                           ("IROP", "Integrovaný regionální operační program")]),
    ("OPZ+ a OPZ", [("OPZ+", "Operační program Zaměstnanost plus"), ("OPZ", "Operační program Zaměstnanost")]),
    ("Operačním\u00a0\u00a0\u00a0programem Doprava",
     [("Operačním\u00a0\u00a0\u00a0programem Doprava", "Operační program Doprava")]),
    ("Operačnímu programu Zaměstnanost+ a Zaměstnanost",
     [("Operačnímu programu Zaměstnanost+", "Operační program Zaměstnanost plus")]),
    ("Operační programy Doprava", [("Operační programy Doprava", "Operační program Doprava")]),
    ("OP\u00a0 Rybářství, OP Z plus", [("OP\u00a0 Rybářství", "Operační program Rybářství"),
                                      ("OP Z plus", "Operační program Zaměstnanost plus")]),
]


@pytest.mark.parametrize(("text", "expected"), PROGRAMMES)
def test_find_programmes_on_examples(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[m.start : m.end], m.name) for m in prog.find_programmes(text)] == expected
