"""Programme and registration number on whole pages, in invented words (issue 16).

Each row restates, in the shape of a real page, a way unseen pages name their programme or
number: programmes outside the operational programmes, several programmes on one page,
label and value set as two headings, numbers of schemes without a CZ format, the call's
number beside the project's. ``None``: the field must stay null.
"""

from __future__ import annotations

import pytest
from test_extract import Case, value_of

from pipeline.core import extract_bytes
from pipeline.normalise.regnum import find_labelled_numbers, find_scheme_numbers

ROP_SV = "Regionální operační program NUTS II Severovýchod"
LZZ = "Operační program Lidské zdroje a zaměstnanost"

PROGRAMMES = [
    Case(
        "interreg-printed-as-on-the-page",
        "Cyklostezka přes hřeben\n\nProjekt Cyklostezka přes hřeben byl spolufinancován z Evropského "
        "fondu pro regionální rozvoj v rámci programu INTERREG Česko – Polsko 2021–2027.",
        "programme.name",
        "INTERREG Česko – Polsko 2021–2027",
    ),
    Case(
        "interreg-v-a-in-capitals",
        "Projekt Společné trasy je realizován v rámci programu INTERREG V-A Česká republika – Polsko "
        "spolufinancovaného z prostředků Evropského fondu pro regionální rozvoj.",
        "programme.name",
        "Program Interreg V-A Česká republika – Polsko",
    ),
    Case(
        "rural-development-via-mas",
        "Obec Horní Lhotka získala dotaci na projekt Oprava hasičské zbrojnice z Programu rozvoje "
        "venkova prostřednictvím MAS Podhůří.",
        "programme.name",
        "Program rozvoje venkova",
    ),
    Case(
        "site-footer-programme-set-aside",
        "Centrum pro seniory Lipová\n\nProjekt byl podpořen z ROP NUTS II Severovýchod.\n\n"
        "Provoz těchto webových stránek je hrazen z Operačního programu Technická pomoc.",
        "programme.name",
        ROP_SV,
    ),
    Case(
        "named-most-of-two",
        "Dílna pro všechny\n\nProjekt Dílna pro všechny byl financován z Operačního programu Lidské "
        "zdroje a zaměstnanost. Díky Operačnímu programu Lidské zdroje a zaměstnanost vznikla tři "
        "nová místa. Kurzy se konaly v budově, kterou spolek opravil ze Společného regionálního "
        "operačního programu.",
        "programme.name",
        LZZ,
    ),
    Case(
        "two-programmes-once-each-stay-null",
        "Veřejně prospěšné práce\n\nMísta vznikají v rámci projektu v Operačním programu Lidské "
        "zdroje a zaměstnanost, příp. v Operačním programu Zaměstnanost.",
        "programme",
        None,
    ),
    Case(
        "ambiguous-abbreviation-confirms-full-name",
        "Dům s pečovatelskou službou\n\nVýše podpory z ROP SV: 2 000 000 Kč\n\nProjekt byl podán do "
        "3. výzvy ROP NUTS II Severovýchod. Technické poradenství zajistil Operační program "
        "Technická pomoc.",
        "programme.name",
        ROP_SV,
    ),
    Case(
        "label-and-value-as-two-headings",
        "<html><body><h1>Oprava kapličky</h1><p>Projekt byl podpořen z dotace Evropské unie.</p>"
        "<h3>Dotační program</h3><h3>Fond mikroprojektů Euroregionu Podhůří</h3>"
        "<h3>Rozpočet</h3><p>Celkem 300 000 Kč</p></body></html>",
        "programme.name",
        "Fond mikroprojektů Euroregionu Podhůří",
        "page.html",
    ),
    Case(
        "operational-programme-label-holds-the-head",
        "Sociální šatník\n\nNázev projektu: Sociální šatník\nOperační program: Zaměstnanost\n"
        "Projekt je spolufinancován Evropskou unií.",
        "programme.name",
        "Operační program Zaměstnanost",
    ),
    Case(
        "an-eu-fund-is-no-programme",
        "Sociální šatník\n\nNázev projektu: Sociální šatník\nZdroj financování: Evropský sociální fond\n"
        "Projekt je spolufinancován Evropskou unií.",
        "programme",
        None,
    ),
]

NUMBERS = [
    Case(
        "evidence-number-label",
        "Kolem rybníků\n\nNázev projektu: Kolem rybníků\nEv. číslo projektu: S.021.03.0112\n"
        "Projekt byl spolufinancován z Evropské unie.",
        "registration_number.value",
        "S.021.03.0112",
    ),
    Case(
        "reg-c-inside-a-sentence",
        "Lidská práva v praxi\n\nProjekt reg. č. LP-PDP2-004 podpořily Fondy EHP a Norska částkou "
        "1 200 000 Kč.",
        "registration_number.value",
        "LP-PDP2-004",
    ),
    Case(
        "english-label-eu-grant-number",
        "Mladí v Evropě\n\nProject number: 101087654\nProjekt je financován Evropskou unií.",
        "registration_number.value",
        "101087654",
    ),
    Case(
        "call-number-is-not-the-projects",
        "Oprava chodníku\n\nProjekt byl podpořen z dotace Programu rozvoje venkova.\n"
        "Registrační číslo výzvy: 17/000/00000/780/000123/V007",
        "registration_number",
        None,
    ),
    Case(
        "call-number-heading-is-not-the-projects",
        "<html><body><h1>Oprava chodníku</h1><p>Projekt byl podpořen z dotace Evropské unie.</p>"
        "<h4>Registrační číslo výzvy</h4><p>17/000/00000/780/000123/V007</p></body></html>",
        "registration_number",
        None,
        "page.html",
    ),
    Case(
        "space-before-a-slash",
        "Dílna\n\nRegistrační číslo: CZ.03.2.60 /0.0/0.0/16_052/0001234\nProjekt je podpořen z ESF.",
        "registration_number.value",
        "CZ.03.2.60/0.0/0.0/16_052/0001234",
    ),
    Case(
        "two-labelled-numbers-stay-null",
        "Dvě školy\n\nProjekt reg. č. LP-ABC-001 navázal na projekt reg. č. LP-ABC-002, oba z Fondů EHP.",
        "registration_number",
        None,
    ),
    Case(
        "earlier-projects-number-is-not-taken",
        "Klub pro rodiče\n\nProjekt Klub pro rodiče je podpořen z Evropského sociálního fondu. "
        "Navazuje na předchozí projekt CZ.03.1.51/0.0/0.0/16_069/0001234, který skončil loni.",
        "registration_number",
        None,
    ),
    Case(
        "own-number-before-words-of-continuation-is-kept",
        "Klub pro rodiče\n\nProjekt CZ.03.1.51/0.0/0.0/19_101/0005678 je podpořen z Evropského "
        "sociálního fondu a navazuje na předchozí projekt.",
        "registration_number.value",
        "CZ.03.1.51/0.0/0.0/19_101/0005678",
    ),
    Case(
        "erasmus-number-by-its-format",
        "Učíme se v Evropě\n\nNaše škola získala grant na projekt 2022-1-CZ01-KA122-SCH-000081234, "
        "díky kterému vyjedou učitelé na stáže do Finska.",
        "registration_number.value",
        "2022-1-CZ01-KA122-SCH-000081234",
    ),
    Case(
        "erasmus-number-names-its-programme",
        "Učíme se v Evropě\n\nNaše škola získala grant na projekt 2022-1-CZ01-KA122-SCH-000081234, "
        "díky kterému vyjedou učitelé na stáže do Finska.",
        "programme.name",
        "Erasmus+",
    ),
    Case(
        "two-erasmus-numbers-stay-null",
        "Učíme se v Evropě\n\nProjekty 2019-1-CZ01-KA101-061234 a 2020-1-CZ01-KA101-078123 podpořila EU.",
        "registration_number",
        None,
    ),
    Case(
        "number-label-and-value-as-two-headings",
        "<html><body><h1>Kolem rybníků</h1><p>Projekt byl spolufinancován z Evropské unie.</p>"
        "<h4>Registrační číslo projektu</h4><h4>S.011.02.0456</h4></body></html>",
        "registration_number.value",
        "S.011.02.0456",
        "page.html",
    ),
]


@pytest.mark.parametrize("case", PROGRAMMES + NUMBERS, ids=lambda c: c.id)
def test_pages(case: Case) -> None:
    record = extract_bytes(case.page.encode("utf-8"), case.name)
    assert value_of(record, case.field) == case.expected


LABELLED = [
    ("reg. č. in prose", "Projekt reg. č. LP-PDP2-004 začal v květnu.", ["LP-PDP2-004"]),
    ("no space after periods", "reg.č.CZ/FMP/17A/03 – mikroprojekt", ["CZ/FMP/17A/03"]),
    ("project number label", "Číslo projektu: 18/001/19210/120/099/001234.", ["18/001/19210/120/099/001234"]),
    ("a date is no number", "Číslo projektu: 1. 4. 2019", []),
    ("a CZ number is left to its formats", "reg. č. CZ.03.2.60/0.0/0.0/16_052/0001234", []),
    ("an organisation's id", "identifikační číslo 12345678", []),
    ("a word", "registrační číslo projektu uvádíme níže", []),
]


@pytest.mark.parametrize(("name", "text", "values"), LABELLED, ids=[n for n, _, _ in LABELLED])
def test_find_labelled_numbers(name: str, text: str, values: list[str]) -> None:
    found = find_labelled_numbers(text)
    assert [m.value for m in found] == values
    assert all(text[m.start : m.end] == m.value and not m.valid for m in found)


SCHEMES = [
    ("2014-2020 mobility", "projekt 2019-1-CZ01-KA101-061234 skončil", ["2019-1-CZ01-KA101-061234"]),
    ("partner suffix", "č. 2018-1-CZ01-KA229-048134_1.", ["2018-1-CZ01-KA229-048134_1"]),
    ("2021-2027 with sector", "2023-1-CZ01-KA220-SCH-000151234", ["2023-1-CZ01-KA220-SCH-000151234"]),
    ("a date range is no number", "2019-1-12 až 2020-3-4", []),
    ("longer token", "X2019-1-CZ01-KA101-061234-7", []),
]


@pytest.mark.parametrize(("name", "text", "values"), SCHEMES, ids=[n for n, _, _ in SCHEMES])
def test_find_scheme_numbers(name: str, text: str, values: list[str]) -> None:
    found = find_scheme_numbers(text)
    assert [m.value for m in found] == values
    assert all(m.programme == "Erasmus+" and text[m.start : m.end] == m.value for m in found)
