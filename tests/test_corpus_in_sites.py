"""Every gold value of a corpus page stays findable when the page's text sits inside real sites' markup.

``../shared/corpus-in-sites`` holds corpus texts inside the HTML of real sites (menus,
cookie bars, page builders, sidebars kept); its gold is the gold of the text page. A value
the cleaned text page shows must also be in the cleaned HTML page: cleaning the site's
markup may not lose it. Values that no page spells out (a programme named by its
abbreviation, a period given as years) are checked the same way, by the renderings below.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core import clean_bytes
from pipeline.vocab import load_data

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
IN_SITES = SHARED / "corpus-in-sites"

# Fields whose gold value is free text (a list field: each item).
_TEXT_FIELDS = (
    "title", "registration_number", "beneficiary", "main_goal",
    "target_groups", "activities", "locations", "partners",
)
_DATE_FIELDS = ("period_start", "period_end")
_AMOUNT_FIELDS = ("subsidy_czk", "total_cost_czk")
# Digit-group separators inside a number: spaces of every width and dots.
_GROUP_SEPARATOR = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009.](?=\d{3}(?!\d))")


def _fold(text: str) -> str:
    """Case and white space folded (no-break and thin spaces too)."""
    return " ".join(text.casefold().split())


def _months() -> dict[int, list[str]]:
    """Czech month names in every case, by month number."""
    months = load_data("months.json")["months"]
    return {int(number): [str(form) for form in forms] for number, forms in months.items() if number.isdigit()}


def _date_renderings(iso: str) -> Iterator[re.Pattern[str]]:
    """Ways a page writes a date: 1. 7. 2013, 01.07.2013, 7/2013, červenec 2013, the year alone."""
    year, month, day = (int(part) for part in iso.split("-"))
    yield re.compile(rf"(?<!\d)0?{day}\s*\.\s*0?{month}\s*\.\s*{year}(?!\d)")
    yield re.compile(rf"(?<![\d.])0?{month}\s*[/.]\s*{year}(?!\d)")
    names = "|".join(re.escape(name) for name in _months().get(month, []))
    if names:
        yield re.compile(rf"(?:{names})\w*\s+{year}(?!\d)", re.IGNORECASE)
    yield re.compile(rf"(?<!\d){year}(?!\d)")


def _amount_renderings(amount: str) -> Iterator[re.Pattern[str]]:
    """Ways a page writes an amount: 1 234 567,50 (any grouping), or in millions."""
    whole, _, cents = amount.partition(".")
    cents_part = rf",{cents}0?" if cents else r"(?:,-|,00)?"
    yield re.compile(rf"(?<!\d){whole}{cents_part}(?![\d])")
    millions = int(whole) / 1_000_000
    if millions >= 1:
        figure = f"{millions:.3f}".rstrip("0").rstrip(".").replace(".", ",")
        yield re.compile(rf"(?<![\d,]){re.escape(figure)}\s*(?:mil|milion)", re.IGNORECASE)


def _unaccented(text: str) -> str:
    """Text without diacritics (pages write "Ámos" and "Amos")."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _programme_found(name: str, text: str) -> bool:
    """A programme's name in any case form: each word's first five letters open a word."""
    plain = _unaccented(text)
    stems = [word[:5] for word in _unaccented(_fold(name)).split()]
    return all(re.search(rf"(?<!\w){re.escape(stem)}", plain) for stem in stems)


def findable(field: str, value: str, text: str) -> bool:
    """Whether the cleaned ``text`` (folded, digit groups joined) shows one gold value."""
    if field == "programme":
        return _programme_found(value, text)
    if field in _TEXT_FIELDS:
        return _fold(value) in text
    if field in _DATE_FIELDS:
        return any(pattern.search(text) for pattern in _date_renderings(value))
    if field in _AMOUNT_FIELDS:
        return any(pattern.search(text) for pattern in _amount_renderings(value))
    raise ValueError(f"no rendering for field {field!r}")


def gold_values(gold: dict[str, object]) -> Iterator[tuple[str, str]]:
    """(field, value) for every scored value of a gold record."""
    for field in ("programme", *_TEXT_FIELDS, *_DATE_FIELDS, *_AMOUNT_FIELDS):
        value = gold.get(field)
        if isinstance(value, list):
            yield from ((field, str(item)) for item in value)
        elif value is not None:
            yield field, str(value)


def searchable(path: Path) -> str:
    """A page's cleaned text, folded, with digit groups joined (1 234 567 -> 1234567)."""
    text = _fold(clean_bytes(path.read_bytes(), str(path)).text)
    return _GROUP_SEPARATOR.sub("", text)


def _sources() -> list[dict[str, str]]:
    """The lines of corpus-in-sites/sources.jsonl."""
    lines = (IN_SITES / "sources.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _cases() -> list[dict[str, str]]:
    """One case per page of corpus-in-sites (none when the folder is absent)."""
    return _sources() if (IN_SITES / "sources.jsonl").is_file() else []


@pytest.mark.shared
@pytest.mark.skipif(not IN_SITES.is_dir(), reason="../shared/corpus-in-sites is absent")
@pytest.mark.parametrize("source", _cases(), ids=lambda source: Path(source["file"]).stem)
def test_gold_values_survive_site_markup(source: dict[str, str]) -> None:
    """Every gold value the text page shows is also in the cleaned HTML page."""
    html_page = IN_SITES / source["file"]
    text_page = (IN_SITES / source["text_from"]).resolve()
    gold = json.loads((IN_SITES / "gold" / f"{html_page.stem}.json").read_text(encoding="utf-8"))
    html_text = searchable(html_page)
    text_text = searchable(text_page)
    shown = [(field, value) for field, value in gold_values(gold) if findable(field, value, text_text)]
    lost = [(field, value) for field, value in shown if not findable(field, value, html_text)]
    assert shown, "the text page shows no gold value: the renderings above miss its style"
    assert lost == []


@pytest.mark.parametrize(
    ("field", "value", "text", "expected"),
    [
        ("title", "Zelená  Louka", "projekt zelená louka obce", True),
        ("programme", "Operační program Jan Amos Komenský", "z operačního programu jan ámos komenský", True),
        ("programme", "Operační program Zaměstnanost", "z operačního programu výzkum", False),
        ("period_start", "2013-07-01", "od 1. 7. 2013 do", True),
        ("period_start", "2013-07-01", "od 01.07.2013", True),
        ("period_end", "2015-11-30", "do listopadu 2015", True),
        ("period_end", "2015-11-30", "do 11/2015", True),
        ("period_end", "2015-11-30", "v roce 2016", False),
        ("subsidy_czk", "900000000", "dotace 900000000 kč", True),
        ("subsidy_czk", "3783392.50", "dotace 3783392,50 kč", True),
        ("subsidy_czk", "3783392.50", "dotace 3783392 kč", False),
        ("subsidy_czk", "12400000", "dotace 12,4 mil. kč", True),
    ],
)
def test_findable(field: str, value: str, text: str, expected: bool) -> None:
    """The renderings find a gold value the way pages write it (text already folded)."""
    assert findable(field, value, text) is expected


def test_digit_groups_are_joined() -> None:
    """Grouped thousands, with any space or a dot, read as one number."""
    assert _GROUP_SEPARATOR.sub("", "1 234\u00a0567.890,50 a 12 3") == "1234567890,50 a 12 3"
