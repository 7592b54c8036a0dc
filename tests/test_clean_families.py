"""Pages as real sites serve them: the markup families of Czech project pages keep their content.

Each example is a small page in the shape one family of sites gives it (WordPress page
builders and block themes, accordions and tabs, deep ``div`` builds, Czech municipal CMSs,
label/value markup), with invented Czech text. The cleaned text must hold what the page
says and lose the furniture around it; the label/value shapes must reach the record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from pipeline.clean.document import Document
from pipeline.core import clean_bytes, extract_bytes

NAV = "<nav class='main-navigation'><ul><li><a href='/'>Úvod</a></li><li><a href='/obec'>Obec</a></li></ul></nav>"
BODY = (
    "<p>Obec Borovnice zrekonstruovala budovu mateřské školy a rozšířila její kapacitu o dvacet míst.</p>"
    "<p>Projekt Rekonstrukce mateřské školy Borovnice je spolufinancován Evropskou unií "
    "z Integrovaného regionálního operačního programu.</p>"
)
# A menu that holds less than half of a page's text (one that holds more is kept: see
# the majority guard in pipeline.clean.walk).
MENU = "".join(f"<li><a href='/s{n}'>Stránka číslo {n}</a></li>" for n in range(8))
BIG_MENU = "".join(f"<li><a href='/s{n}'>Stránka číslo {n}</a></li>" for n in range(60))


def page(body: str, html_attrs: str = "", head: str = "") -> bytes:
    """A UTF-8 page around ``body``."""
    return (
        f"<!DOCTYPE html><html {html_attrs}><head><meta charset='utf-8'>{head}"
        f"<title>Obec Borovnice</title></head><body>{body}</body></html>"
    ).encode()


@dataclass(frozen=True)
class FamilyCase:
    """A page of one markup family, what its cleaned text must hold and must not."""

    id: str
    html: bytes
    present: list[str]
    absent: list[str] = field(default_factory=list)
    cleaning: str = "full"


FAMILIES = [
    FamilyCase(
        "wordpress theme with cookie-consent classes on <html> and <body>",
        page(
            f"<div class='cmplz-cookiebanner'>Používáme cookies. Souhlasím</div>{NAV}"
            "<div class='site-branding'><p class='site-title'>Borovnice</p><p class='site-description'>Obec pod lesem</p></div>"
            f"<div class='site-content'><h1>Rekonstrukce mateřské školy</h1>{BODY}</div>",
            html_attrs="class='cookie-consent-active cmplz-cookiebanner-open'",
        ),
        ["Rekonstrukce mateřské školy", "zrekonstruovala budovu", "Integrovaného regionálního"],
        ["Používáme cookies", "Stránka číslo", "Obec pod lesem"],
    ),
    FamilyCase(
        "elementor wrappers around the content, its menu in a widget",
        page(
            "<div data-elementor-type='header' class='elementor elementor-location-header'>"
            "<div class='elementor-widget elementor-widget-nav-menu'><div class='elementor-widget-container'>"
            f"<nav class='elementor-nav-menu--main'><ul>{MENU}</ul></nav></div></div></div>"
            "<div data-elementor-type='wp-post' class='elementor elementor-1234'>"
            "<section class='elementor-section elementor-top-section'><div class='elementor-container'>"
            "<div class='elementor-column'><div class='elementor-widget-wrap'>"
            "<div class='elementor-widget elementor-widget-heading'><div class='elementor-widget-container'>"
            "<h1 class='elementor-heading-title'>Rekonstrukce mateřské školy</h1></div></div>"
            "<div class='elementor-widget elementor-widget-text-editor'><div class='elementor-widget-container'>"
            f"{BODY}</div></div></div></div></div></section></div>"
        ),
        ["Rekonstrukce mateřské školy", "zrekonstruovala budovu"],
        ["Stránka číslo"],
    ),
    FamilyCase(
        "article body under a theme class that names sharing",
        page(
            f"<div class='menu-wrap'><ul>{MENU}</ul></div>"
            f"<div class='entry themeform share'><div class='entry-inner'>{BODY}</div></div>"
            f"<div class='sidebar'><p>{'Úřední deska obce a vyhlášky. ' * 5}</p></div>"
        ),
        ["zrekonstruovala budovu", "Integrovaného regionálního"],
        ["Úřední deska", "Stránka číslo"],
    ),
    FamilyCase(
        "post classes that name a state or a topic",
        page(
            f"<div class='no-share post category-social-projects tag-search'>{BODY}</div>"
            f"<div class='related-posts'><p>Další článek</p></div>"
        ),
        ["zrekonstruovala budovu"],
        ["Další článek"],
    ),
    FamilyCase(
        "enfold and divi toggles hidden until clicked",
        page(
            "<h1>Projekty školy</h1><div class='togglecontainer av-toggle'>"
            "<p class='toggler'>Nová učebna</p>"
            "<div class='toggle_wrap'><div class='toggle_content' style='display: none'>"
            "<p>Výše dotace: 845 120 Kč</p></div></div></div>"
            "<div class='et_pb_toggle et_pb_toggle_close'><h5 class='et_pb_toggle_title'>Zahrada</h5>"
            "<div class='et_pb_toggle_content clearfix' style='display:none'><p>Doba realizace: 2021–2022</p></div></div>"
        ),
        ["Výše dotace: 845 120 Kč", "Doba realizace: 2021–2022"],
    ),
    FamilyCase(
        "aria tabs and block-theme details",
        page(
            "<main class='wp-block-group'><h1>Projekty</h1>"
            "<div role='tablist'><button role='tab'>Cíle</button></div>"
            "<div role='tabpanel' hidden><p>Cílem projektu je snížit energetickou náročnost školy.</p></div>"
            "<details class='wp-block-details'><summary>Partneři</summary><p>Spolek Lípa Borovnice</p></details>"
            "</main>"
        ),
        ["Cílem projektu je snížit", "Partneři", "Spolek Lípa Borovnice"],
    ),
    FamilyCase(
        "static build: content in deep divs with generated classes",
        page(
            "<div id='___gatsby'><div id='gatsby-focus-wrapper'>"
            + "".join(f"<div class='css-{n}x9a'>" for n in range(25))
            + f"<div class='css-h1x'>Rekonstrukce mateřské školy</div>{BODY}"
            + "</div>" * 25
            + "<footer class='css-foot'><p>© 2024 Obec Borovnice</p></footer></div></div>"
        ),
        ["Rekonstrukce mateřské školy", "zrekonstruovala budovu"],
        ["© 2024"],
    ),
    FamilyCase(
        "czech municipal cms: counter, board sidebar, breadcrumbs",
        page(
            f"<div id='drobecky'>Úvod » Obec » Projekty</div><div id='obsah'><h1>Projekty EU</h1>{BODY}"
            "<p>Počet návštěv: 12 345</p></div>"
            "<div id='sidebar'><h2>Úřední deska</h2><ul><li>Vyhláška o místních poplatcích</li></ul></div>"
        ),
        ["Projekty EU", "zrekonstruovala budovu"],
        ["Počet návštěv", "Úřední deska", "Vyhláška", "Úvod » Obec"],
    ),
    FamilyCase(
        "content hidden wholesale falls back to cleaning without furniture",
        page(
            f"<nav><ul>{BIG_MENU}</ul></nav>"
            f"<div class='obsah' style='display:none'>{BODY}</div><p>Načítání…</p>"
            f"<footer><ul>{BIG_MENU}</ul></footer>"
        ),
        ["zrekonstruovala budovu"],
        cleaning="fallback",
    ),
]


def cleaned(html: bytes) -> Document:
    """The cleaned document of an HTML page."""
    return clean_bytes(html, "page.html")


@pytest.mark.parametrize("case", FAMILIES, ids=lambda case: case.id)
def test_family_keeps_content_and_drops_furniture(case: FamilyCase) -> None:
    """The content of each family's page stays, its furniture goes, the cleaning is recorded."""
    document = cleaned(case.html)
    for text in case.present:
        assert text in document.text
    for text in case.absent:
        assert text not in document.text
    assert document.cleaning == case.cleaning


@dataclass(frozen=True)
class PairCase:
    """Label/value markup and the record fields it must give."""

    id: str
    body: str
    expected: dict[str, object]


LABELLED = (
    "<h1>Modernizace učebny fyziky</h1>{pairs}"
    "<p>Projekt je spolufinancován z Operačního programu Výzkum, vývoj a vzdělávání.</p>"
)
PAIRS = [
    PairCase(
        "table rows",
        "<table><tr><th>Příjemce</th><td>Základní škola Javorová</td></tr>"
        "<tr><th>Výše dotace</th><td>1&nbsp;234&nbsp;567,00 Kč</td></tr></table>",
        {"beneficiary": "Základní škola Javorová", "subsidy": "1234567.00"},
    ),
    PairCase(
        "definition list",
        "<dl class='project-meta'><dt>Příjemce</dt><dd>Základní škola Javorová</dd>"
        "<dt>Termín realizace</dt><dd>1. 9. 2018 – 31. 8. 2020</dd></dl>",
        {"beneficiary": "Základní škola Javorová", "start": "2018-09-01", "end": "2020-08-31"},
    ),
    PairCase(
        "strong label without a colon",
        "<p><strong>Příjemce</strong> Základní škola Javorová</p>"
        "<p><strong>Celkové výdaje</strong> 2&#160;500&#160;000 Kč</p>",
        {"beneficiary": "Základní škola Javorová", "total_cost": "2500000"},
    ),
    PairCase(
        "span.label and span.value with no space between",
        "<ul class='info'><li><span class='label'>Příjemce</span><span class='value'>Základní škola Javorová</span></li>"
        "<li><span class='field-label'>Termín realizace</span><span class='field-item'>1. 9. 2018 – 31. 8. 2020</span></li></ul>",
        {"beneficiary": "Základní škola Javorová", "start": "2018-09-01", "end": "2020-08-31"},
    ),
    PairCase(
        "plain spans with no space between, set apart by style alone",
        "<ul class='info'><li><span>Příjemce</span><span>Základní škola Javorová</span></li>"
        "<li><span>Termín realizace</span><span>1. 9. 2018 – 31. 8. 2020</span></li>"
        "<li><span>Výše dotace</span><span>1 234 567</span><span>Kč</span></li></ul>",
        {"beneficiary": "Základní škola Javorová", "start": "2018-09-01", "end": "2020-08-31", "subsidy": "1234567"},
    ),
    PairCase(
        "bold label and a plain span with no space between",
        "<p><b>Příjemce</b><span>Základní škola Javorová</span></p>"
        "<p><strong>Datum zahájení</strong><time datetime='2018-09-01'>1. 9. 2018</time></p>",
        {"beneficiary": "Základní škola Javorová", "start": "2018-09-01"},
    ),
    PairCase(
        "two-column div grid",
        "<div class='project-detail'>"
        "<div class='row'><div class='col-4'>Příjemce</div><div class='col-8'>Základní škola Javorová</div></div>"
        "<div class='row'><div class='col-4'>Výše dotace</div><div class='col-8'>1\u202f234\u202f567 Kč</div></div></div>",
        {"beneficiary": "Základní škola Javorová", "subsidy": "1234567"},
    ),
]


def _fields(record: dict[str, object]) -> dict[str, object]:
    """The fields the label/value examples set, flattened."""
    beneficiary = record["beneficiary"]
    period = record["period"]
    subsidy = record["subsidy"]
    total = record["total_cost"]
    return {
        "beneficiary": beneficiary["name"] if isinstance(beneficiary, dict) else None,
        "start": period["start"] if isinstance(period, dict) else None,
        "end": period["end"] if isinstance(period, dict) else None,
        "subsidy": subsidy["amount"] if isinstance(subsidy, dict) else None,
        "total_cost": total["amount"] if isinstance(total, dict) else None,
    }


@pytest.mark.parametrize("case", PAIRS, ids=lambda case: case.id)
def test_label_value_markup_reaches_the_record(case: PairCase) -> None:
    """Each label/value shape gives its values to the record."""
    html = page(LABELLED.format(pairs=case.body))
    record = json.loads(extract_bytes(html, "page.html").to_json())
    fields = _fields(record)
    for name, value in case.expected.items():
        assert fields[name] == value, name
    assert record["source"]["cleaning"] == "full"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p><b>P</b>rojekt <a href='/a'>Zele</a><a href='/b'>ná</a> stezka</p>", "Projekt Zelená stezka"),  # a word split by markup
        ("<p>Obec<a href='/l'>Lhota</a> opravila náves.</p>", "Obec Lhota opravila náves."),
        ("<p>Plocha 150 m<sup>2</sup></p>", "Plocha 150 m2"),
        ("<p><span>Kontakt:</span><span>Obecní úřad</span></p>", "Kontakt: Obecní úřad"),
    ],
)
def test_glued_inline_elements_read_as_printed_words(markup: str, text: str) -> None:
    """Inline elements with no space between are joined as their text reads, split where words meet."""
    assert cleaned(page(markup)).text == text


def test_span_label_makes_a_pair_block() -> None:
    """A label span and its value span become one pair, not glued words."""
    document = cleaned(page("<p><span class='label'>Příjemce</span><span class='value'>Obec Borovnice</span></p>"))
    [block] = document.blocks
    assert block.kind == "pair"
    assert document.label(block) == "Příjemce"
    assert document.value(block) == "Obec Borovnice"


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        ("<p><b>Cíl projektu</b> je zlepšit výuku.</p>", "paragraph"),  # a sentence goes on
        ("<p><b>Nový chodník</b> Obec Borovnice</p>", "paragraph"),  # not a known label
        ("<p><b>Příjemce</b> Obec Borovnice</p>", "pair"),
    ],
)
def test_colon_less_bold_label_needs_a_known_label(markup: str, kind: str) -> None:
    """Bold text before a value is a label only when it is a known one and no sentence follows."""
    [block] = cleaned(page(markup)).blocks
    assert block.kind == kind


def test_text_pages_record_no_cleaning() -> None:
    """A text page has no HTML cleaning to report."""
    document = clean_bytes("Projekt Nová učebna\nPříjemce: Obec Borovnice\n".encode(), "page.txt")
    assert document.cleaning is None


@pytest.mark.parametrize(
    "meta",
    [
        "",  # no charset at all: the bytes decide
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>",
        "<meta charset='iso-8859-1'>",
    ],
)
def test_czech_bytes_under_a_western_or_no_charset(meta: str) -> None:
    """windows-1250 bytes read as Czech whatever a Western or missing charset says."""
    html = (
        f"<html><head>{meta}<title>Projekt</title></head><body>"
        "<p>Příjemce: Obec Žďárec nad Úhlavou</p><p>Výše dotace: 1&nbsp;250&#160;000 Kč</p></body></html>"
    ).encode("cp1250")
    document = clean_bytes(html, "page.html")
    assert document.encoding == "windows-1250"
    assert "Obec Žďárec nad Úhlavou" in document.text
    assert "1 250 000 Kč" in document.text


@pytest.mark.parametrize(
    "line",
    ["Back to top", "Nach oben", "arrow_back Zpět na všechny články", "Zpět na seznam projektů", "Pin It on Pinterest"],
)
def test_site_furniture_lines_go(line: str) -> None:
    """Back-to-top, back-to-list and share links of real sites are furniture lines."""
    document = cleaned(page(f"<h1>Nová učebna</h1><p>{line}</p><p>Projekt podpořila Evropská unie.</p>"))
    assert line not in document.text
    assert "Projekt podpořila Evropská unie." in document.text
