"""Programme names in any case, abbreviations, canonical names and code tables."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.normalise.programmes import (
    canonical_programme,
    find_programme_mentions,
    find_programmes,
    named_as_printed,
    programme_for_code,
)
from pipeline.vocab import load_data

SHARED = Path(__file__).resolve().parents[2] / "shared"
OPZ = "Operační program Zaměstnanost"
OPZ_PLUS = "Operační program Zaměstnanost plus"
VVV = "Operační program Výzkum, vývoj a vzdělávání"
IROP = "Integrovaný regionální operační program"


class Case(NamedTuple):
    id: str
    text: str
    names: list[str]
    matched: list[str]


EXAMPLES = [
    Case(
        "genitive",
        "financován z Operačního programu Zaměstnanost.",
        [OPZ],
        ["Operačního programu Zaměstnanost"],
    ),
    Case(
        "plus wins over shorter",
        "z Operačního programu Zaměstnanost plus",
        [OPZ_PLUS],
        ["Operačního programu Zaměstnanost plus"],
    ),
    Case(
        "comma name, v rámci",
        "v rámci Operačního programu Výzkum, vývoj a vzdělávání",
        [VVV],
        ["Operačního programu Výzkum, vývoj a vzdělávání"],
    ),
    Case("OP short form", "z OP Zaměstnanost", [OPZ], ["OP Zaměstnanost"]),
    Case(
        "abbreviations",
        "OP VVV, OPZ+, OPZ a IROP",
        [VVV, OPZ_PLUS, OPZ, IROP],
        ["OP VVV", "OPZ+", "OPZ", "IROP"],
    ),
    Case(
        "IROP genitive",
        "z Integrovaného regionálního operačního programu",
        [IROP],
        ["Integrovaného regionálního operačního programu"],
    ),
    Case(
        "OP JAK",
        "výzva OP JAK „Akční plánování“",
        ["Operační program Jan Amos Komenský"],
        ["OP JAK"],
    ),
    Case(
        "JAK inflected",
        "z Operačního programu Jana Amose Komenského",
        ["Operační program Jan Amos Komenský"],
        ["Operačního programu Jana Amose Komenského"],
    ),
    Case(
        "OP LZZ lower case head",
        "v operačním programu Lidské zdroje a zaměstnanost",
        ["Operační program Lidské zdroje a zaměstnanost"],
        ["operačním programu Lidské zdroje a zaměstnanost"],
    ),
    Case("OPVK", "projekt OPVK", ["Operační program Vzdělávání pro konkurenceschopnost"], ["OPVK"]),
    Case(
        "NPO spelled out",
        "z Národního plánu obnovy",
        ["Národní plán obnovy"],
        ["Národního plánu obnovy"],
    ),
    Case(
        "Prague with hyphen",
        "Operační program Praha - pól růstu ČR",
        ["Operační program Praha – pól růstu ČR"],
        ["Operační program Praha - pól růstu ČR"],
    ),
    Case(
        "ROP abbreviation",
        "v rámci 5. výzvy ROP NUTS II Jihozápad",
        ["Regionální operační program NUTS II Jihozápad"],
        ["ROP NUTS II Jihozápad"],
    ),
    Case(
        "PIK inflected noun",
        "z Operačního programu Podnikání a inovace pro konkurenceschopnost",
        ["Operační program Podnikání a inovace pro konkurenceschopnost"],
        ["Operačního programu Podnikání a inovace pro konkurenceschopnost"],
    ),
]

NOT_PROGRAMMES = [
    ("lower-case abbreviation", "opz a irop"),
    ("inside a word", "OPZX IROPS"),
    ("domain", "www.opvvv.cz"),
    ("non-profit in English", "an NPO based in Prague"),
    ("forum slang", "OP D said thanks"),
    ("national programme word", "Program obnovy venkova"),
    ("generic", "operační programy EU"),
]

# Programmes outside the operational programmes and spellings seen on unseen pages
# (issue 16), restated in invented sentences.
BEYOND_THE_OPS = [
    Case(
        "rural development genitive",
        "Obec získala dotaci z Programu rozvoje venkova na opravu návsi.",
        ["Program rozvoje venkova"],
        ["Programu rozvoje venkova"],
    ),
    Case("rural development abbreviation", "v rámci PRV přes MAS Podhůří", ["Program rozvoje venkova"], ["PRV"]),
    Case(
        "Interreg 2021-2027 in capitals with years",
        "v rámci programu INTERREG Česko-Polsko 2021-2027 z Fondu malých projektů",
        ["Interreg Česko – Polsko"],
        ["INTERREG Česko-Polsko 2021-2027"],
    ),
    Case(
        "Interreg V-A in capitals",
        "v rámci programu INTERREG V-A Česká republika – Polsko spolufinancovaného z EFRR",
        ["Program Interreg V-A Česká republika – Polsko"],
        ["INTERREG V-A Česká republika – Polsko"],
    ),
    Case(
        "Interreg Austria",
        "z programu Interreg V-A Rakousko – Česká republika",
        ["Interreg V-A Rakousko – Česká republika"],
        ["Interreg V-A Rakousko – Česká republika"],
    ),
    Case(
        "Interreg Slovakia short",
        "podpořeno z programu Interreg SK-CZ",
        ["Interreg Slovensko – Česko"],
        ["Interreg SK-CZ"],
    ),
    Case(
        "JAK with long A",
        "nově prostřednictvím Operačního programu Jan Ámos Komenský",
        ["Operační program Jan Amos Komenský"],
        ["Operačního programu Jan Ámos Komenský"],
    ),
    Case(
        "VVV with commas only",
        "v rámci Operačního programu Výzkum, vývoj, vzdělávání",
        [VVV],
        ["Operačního programu Výzkum, vývoj, vzdělávání"],
    ),
    Case(
        "EEA fund for NGOs genitive",
        "z grantu Fondu pro nestátní neziskové organizace",
        ["Fond pro nestátní neziskové organizace"],
        ["Fondu pro nestátní neziskové organizace"],
    ),
    Case(
        "ROP with an Arabic NUTS numeral",
        "podpořeno z ROP NUTS 2 Střední Morava",
        ["Regionální operační program NUTS II Střední Morava"],
        ["ROP NUTS 2 Střední Morava"],
    ),
    Case(
        "Interreg V-A with Česko",
        "z Programu Interreg V-A Česko – Polsko",
        ["Program Interreg V-A Česká republika – Polsko"],
        ["Interreg V-A Česko – Polsko"],
    ),
    Case("Erasmus plus sign", "díky programu Erasmus+ vyjedou žáci do Irska", ["Erasmus+"], ["Erasmus+"]),
    Case("AMIF abbreviation", "projekt hrazený z AMIF", ["Azylový, migrační a integrační fond"], ["AMIF"]),
]

BUGS_CAUGHT_IN_THE_WILD = [
    Case(
        "programming period after the name",
        "Operační program Technická pomoc 2014–2020",
        ["Operační program Technická pomoc"],
        ["Operační program Technická pomoc"],
    ),
    Case(
        "two programmes in one sentence",
        "v Operačním programu Lidské zdroje a zaměstnanost, příp. v Operačním programu Zaměstnanost",
        ["Operační program Lidské zdroje a zaměstnanost", OPZ],
        ["Operačním programu Lidské zdroje a zaměstnanost", "Operačním programu Zaměstnanost"],
    ),
]


@pytest.mark.parametrize("case", EXAMPLES + BEYOND_THE_OPS + BUGS_CAUGHT_IN_THE_WILD, ids=lambda c: c.id)
def test_find_programmes(case: Case) -> None:
    found = find_programmes(case.text)
    assert [m.name for m in found] == case.names
    assert [case.text[m.start : m.end] for m in found] == case.matched


@pytest.mark.parametrize(("name", "text"), NOT_PROGRAMMES, ids=[n for n, _ in NOT_PROGRAMMES])
def test_not_programmes(name: str, text: str) -> None:
    assert find_programmes(text) == []


CANONICAL = [
    ("Operačního programu Zaměstnanost", OPZ),
    ("OPZ", OPZ),
    ("OP Z", OPZ),
    ("OPZ+", OPZ_PLUS),
    ("Operační program Zaměstnanost plus (OPZ+)", OPZ_PLUS),
    ("NPO", "Národní plán obnovy"),
    (
        "Program Interreg V-A Česká republika-Polsko",
        "Program Interreg V-A Česká republika – Polsko",
    ),
    ("„IROP“", IROP),
    ("Lidská práva", None),
    ("OPZ a IROP", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "name"), CANONICAL, ids=[c[0] or "empty" for c in CANONICAL])
def test_canonical_programme(text: str, name: str | None) -> None:
    assert canonical_programme(text) == name


CODES = [
    ("2014-2020", "03", (OPZ, "OPZ")),
    ("2014-2020", "06", (IROP, "IROP")),
    ("2021-2027", "03", (OPZ_PLUS, "OPZ+")),
    ("2021-2027", "10", ("Operační program Spravedlivá transformace", "OPST")),
    ("2007-2013", "1.04", ("Operační program Lidské zdroje a zaměstnanost", "OP LZZ")),
    ("2004-2006", "1.03", ("Operační program Rozvoj lidských zdrojů", "OP RLZ")),
    ("NPO", "31", ("Národní plán obnovy", "NPO")),
    ("2007-2013", "1.13", ("Regionální operační program NUTS II Severovýchod", "ROP Severovýchod")),
    ("2007-2013", "1.09", None),
    ("2014-2020", "99", None),
    ("1999-2000", "03", None),
]


@pytest.mark.parametrize(
    ("period", "code", "expected"), CODES, ids=[f"{p}:{c}" for p, c, _ in CODES]
)
def test_programme_for_code(period: str, code: str, expected: tuple[str, str] | None) -> None:
    assert programme_for_code(period, code) == expected


PRINTED = [
    ("Interreg Česko – Polsko", True),
    ("Erasmus+", True),
    ("Program Interreg V-A Česká republika – Polsko", False),
    (OPZ, False),
    ("Fond pro nestátní neziskové organizace", False),
]


@pytest.mark.parametrize(("name", "printed"), PRINTED, ids=[n for n, _ in PRINTED])
def test_named_as_printed(name: str, printed: bool) -> None:
    assert named_as_printed(name) is printed


def test_printed_names_have_no_declining_head() -> None:
    # A name the record takes as printed must read the same in every case: no head noun.
    for entry in load_data("programmes.json")["programmes"]:
        if entry.get("printed"):
            first = entry["name"].split()[0].lower()
            assert first not in {"program", "operační", "fond", "plán"}, entry["name"]


def test_mentions_include_ambiguous_abbreviations() -> None:
    text = "Výše podpory z ROP JV: 1 Kč. Podáno do výzvy ROP NUTS II Jihovýchod."
    assert [m.name for m in find_programmes(text)] == ["Regionální operační program NUTS II Jihovýchod"]
    assert [text[m.start : m.end] for m in find_programme_mentions(text)] == ["ROP JV", "ROP NUTS II Jihovýchod"]


def test_code_table_names_are_known_programmes() -> None:
    data = load_data("programmes.json")
    names = {p["name"] for p in data["programmes"]}
    for period, table in data["codes"].items():
        for code, name in table.items():
            assert name in names, (period, code)
            # Every official name is recognised by its own matcher.
            assert canonical_programme(name) == name


def test_hostile_input_is_handled() -> None:
    assert find_programmes("OP " * 50_000) == []
    assert len(find_programmes("OPZ+ OPZ " * 5_000)) == 10_000


def _page_text(path: Path) -> str:
    """Loosely decoded page text with scripts, styles and tags removed."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


@pytest.mark.shared
def test_no_programmes_on_non_project_pages() -> None:
    pages = SHARED / "web" / "pages"
    if not pages.is_dir():
        pytest.skip("../shared/web/pages is not available")
    found = {p.name: find_programmes(_page_text(p)) for p in sorted(pages.iterdir())}
    assert {name: hits for name, hits in found.items() if hits} == {}
