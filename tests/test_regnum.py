"""Registration numbers: formats per programming period, malformed ones, precision."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.normalise.regnum import find_registration_numbers, parse_registration_number

SHARED = Path(__file__).resolve().parents[2] / "shared"


class Case(NamedTuple):
    id: str
    text: str
    value: str
    valid: bool
    period: str | None
    code: str | None
    call: str | None
    programme: str | None


# Synthetic serials in the real formats of each period (shapes from the issue).
EXAMPLES = [
    Case(
        "2004-06 OP RLZ",
        "CZ.04.1.03/2.1.01.2/0123",
        "CZ.04.1.03/2.1.01.2/0123",
        True,
        "2004-2006",
        "1.03",
        None,
        "Operační program Rozvoj lidských zdrojů",
    ),
    Case(
        "2004-06 JPD3",
        "CZ.04.3.07/4.2.01.1/0035",
        "CZ.04.3.07/4.2.01.1/0035",
        True,
        "2004-2006",
        "3.07",
        None,
        "Jednotný programový dokument pro Cíl 3 regionu NUTS 2 hl. m. Praha",
    ),
    Case(
        "2007-13 OP LZZ letter call",
        "CZ.1.04/3.2.00/B4.00007",
        "CZ.1.04/3.2.00/B4.00007",
        True,
        "2007-2013",
        "1.04",
        "B4",
        "Operační program Lidské zdroje a zaměstnanost",
    ),
    Case(
        "2007-13 OP VK four-digit serial",
        "CZ.1.07/1.1.00/14.0143",
        "CZ.1.07/1.1.00/14.0143",
        True,
        "2007-2013",
        "1.07",
        "14",
        "Operační program Vzdělávání pro konkurenceschopnost",
    ),
    Case(
        "2007-13 OPPA",
        "CZ.2.17/3.1.00/36061",
        "CZ.2.17/3.1.00/36061",
        True,
        "2007-2013",
        "2.17",
        None,
        "Operační program Praha – Adaptabilita",
    ),
    Case(
        "2014-20 OPZ",
        "reg. č. CZ.03.2.60/0.0/0.0/16_052/0001234.",
        "CZ.03.2.60/0.0/0.0/16_052/0001234",
        True,
        "2014-2020",
        "03",
        "16_052",
        "Operační program Zaměstnanost",
    ),
    Case(
        "2014-20 X placeholder",
        "CZ.02.3.X/0.0/0.0/20_080/0012345",
        "CZ.02.3.X/0.0/0.0/20_080/0012345",
        True,
        "2014-2020",
        "02",
        "20_080",
        "Operační program Výzkum, vývoj a vzdělávání",
    ),
    Case(
        "2014-20 IROP",
        "(CZ.06.2.56/0.0/0.0/16_043/0001234)",
        "CZ.06.2.56/0.0/0.0/16_043/0001234",
        True,
        "2014-2020",
        "06",
        "16_043",
        "Integrovaný regionální operační program",
    ),
    Case(
        "2021-27 OPZ+",
        "CZ.03.02.01/00/22_024/0001284",
        "CZ.03.02.01/00/22_024/0001284",
        True,
        "2021-2027",
        "03",
        "22_024",
        "Operační program Zaměstnanost plus",
    ),
    Case(
        "2021-27 XX placeholder",
        "CZ.02.02.XX/00/23_017/0004321",
        "CZ.02.02.XX/00/23_017/0004321",
        True,
        "2021-2027",
        "02",
        "23_017",
        "Operační program Jan Amos Komenský",
    ),
    Case(
        "2021-27 BMVI",
        "CZ.14.01.01/00/26_017/0000018",
        "CZ.14.01.01/00/26_017/0000018",
        True,
        "2021-2027",
        "14",
        "26_017",
        "Operační program Nástroje pro finanční podporu správy hranic a vízové politiky",
    ),
    Case(
        "NPO",
        "Reg. č. CZ.31.3.0/0.0/0.0/22_001/0001111",
        "CZ.31.3.0/0.0/0.0/22_001/0001111",
        True,
        "NPO",
        "31",
        "22_001",
        "Národní plán obnovy",
    ),
    Case(
        "unknown 2014-20 code",
        "CZ.99.1.1/0.0/0.0/16_001/0000001",
        "CZ.99.1.1/0.0/0.0/16_001/0000001",
        True,
        "2014-2020",
        "99",
        "16_001",
        None,
    ),
    Case(
        "NBSP after CZ",
        "CZ\u00a0.03.1.51/0.0/0.0/19_101/0011111",
        "CZ.03.1.51/0.0/0.0/19_101/0011111",
        True,
        "2014-2020",
        "03",
        "19_101",
        "Operační program Zaměstnanost",
    ),
]

# Printed wrongly on real pages; found and kept as printed (white space removed).
MALFORMED = [
    Case(
        "space for dot, axis merged",
        "CZ 03.260/0.0/15_005/0001897",
        "CZ03.260/0.0/15_005/0001897",
        False,
        "2014-2020",
        "03",
        "15_005",
        "Operační program Zaměstnanost",
    ),
    Case(
        "space after CZ and slash",
        "CZ 1.04/ 3.3.00/61.00003",
        "CZ1.04/3.3.00/61.00003",
        False,
        "2007-2013",
        "1.04",
        "61",
        "Operační program Lidské zdroje a zaměstnanost",
    ),
    Case(
        "split by spaces after slashes",
        "CZ.1.07/ 1.1.00/ 14.0143 a dále",
        "CZ.1.07/1.1.00/14.0143",
        True,
        "2007-2013",
        "1.07",
        "14",
        "Operační program Vzdělávání pro konkurenceschopnost",
    ),
    Case(
        "serial one digit short",
        "číslo CZ.03.02.01/00/22_003/000017, který",
        "CZ.03.02.01/00/22_003/000017",
        False,
        "2021-2027",
        "03",
        "22_003",
        "Operační program Zaměstnanost plus",
    ),
]

BUGS_CAUGHT_IN_THE_WILD = [
    Case(
        "slash and a word after the number",
        "CZ.03.1.51/0.0/0.0/19_101/0012345/OPZ",
        "CZ.03.1.51/0.0/0.0/19_101/0012345",
        True,
        "2014-2020",
        "03",
        "19_101",
        "Operační program Zaměstnanost",
    ),
    Case(
        "spaced slash and abbreviation",
        "CZ.03.1.51/0.0/0.0/19_101/0012345 / OPZ",
        "CZ.03.1.51/0.0/0.0/19_101/0012345",
        True,
        "2014-2020",
        "03",
        "19_101",
        "Operační program Zaměstnanost",
    ),
    Case(
        "NPO ministry letters",
        "reg.č.: CZ.31.1.01/MV/23_62/0000099.",
        "CZ.31.1.01/MV/23_62/0000099",
        True,
        "NPO",
        "31",
        "23_62",
        "Národní plán obnovy",
    ),
]

NOT_NUMBERS = [
    ("school year", "CZ 2019/2020"),
    ("lower-case domain", "id q38sm375289vcz.31.2011.06.05.20.36.09"),
    ("country code only", "Praha, CZ 110 00"),
    ("seismic stream ids", "NZ.JCZ.10.HHZ NZ.FOZ.11.HHZ"),
    ("licence plate like", "CZ.1A/2B"),
    ("words", "Registrační číslo bude doplněno."),
]


@pytest.mark.parametrize("case", EXAMPLES + MALFORMED + BUGS_CAUGHT_IN_THE_WILD, ids=lambda c: c.id)
def test_found_and_described(case: Case) -> None:
    matches = find_registration_numbers(case.text)
    assert len(matches) == 1
    m = matches[0]
    assert (m.value, m.valid, m.programming_period, m.programme_code, m.call, m.programme) == (
        case.value,
        case.valid,
        case.period,
        case.code,
        case.call,
        case.programme,
    )
    # Offsets cover exactly the printed number.
    assert "".join(case.text[m.start : m.end].split()) == m.value


@pytest.mark.parametrize(("name", "text"), NOT_NUMBERS, ids=[n for n, _ in NOT_NUMBERS])
def test_not_a_number(name: str, text: str) -> None:
    assert find_registration_numbers(text) == []


def test_abbreviation_comes_from_the_code_table() -> None:
    m = find_registration_numbers("CZ.06.2.56/0.0/0.0/16_043/0001234")[0]
    assert m.abbreviation == "IROP"


PARSE = [
    ("padded", "  CZ.1.07/1.1.00/14.0143  ", "CZ.1.07/1.1.00/14.0143", True),
    (
        "trailing full stop",
        "CZ.03.2.60/0.0/0.0/16_052/0001234.",
        "CZ.03.2.60/0.0/0.0/16_052/0001234",
        True,
    ),
    ("EU programme number", "101234567", "101234567", False),
    ("grants code", "AB-CDEF1-001", "AB-CDEF1-001", False),
    ("decision number", "OPZ/2.1/052/0001234", "OPZ/2.1/052/0001234", False),
]


@pytest.mark.parametrize(("name", "text", "value", "valid"), PARSE, ids=[p[0] for p in PARSE])
def test_parse_whole_value(name: str, text: str, value: str, valid: bool) -> None:
    m = parse_registration_number(text)
    assert m is not None and (m.value, m.valid) == (value, valid)
    assert text[m.start : m.end].replace(" ", "") == value


@pytest.mark.parametrize(
    "text", ["viz níže", "1.4.2019", "2019", "CZ.03.2.60/0.0/0.0/16_052/0001234 a další", ""]
)
def test_parse_rejects_other_values(text: str) -> None:
    assert parse_registration_number(text) is None


def test_hostile_input_is_handled() -> None:
    """Look-alikes by the thousand (bounded size; the regexes are linear by construction)."""
    assert find_registration_numbers("CZ." + "1." * 100_000) == []
    assert find_registration_numbers("CZ.1" + "/1" * 100_000) == []
    many = "CZ.03.2.60/0.0/0.0/16_052/0001234 " * 2_000
    assert len(find_registration_numbers(many)) == 2_000


def _page_text(path: Path) -> str:
    """Loosely decoded page text with scripts, styles and tags removed."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


@pytest.mark.shared
def test_no_numbers_on_non_project_pages() -> None:
    pages = SHARED / "web" / "pages"
    if not pages.is_dir():
        pytest.skip("../shared/web/pages is not available")
    found = {p.name: find_registration_numbers(_page_text(p)) for p in sorted(pages.iterdir())}
    assert {name: hits for name, hits in found.items() if hits} == {}
