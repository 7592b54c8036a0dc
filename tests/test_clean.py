"""Tests of pipeline.clean (html, walk, furniture, text): pages become blocks, furniture goes, offsets stay exact."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import furniture
from pipeline.clean.document import Document, DocumentBuilder
from pipeline.clean.furniture import furniture_markers, has_word, spells_out
from pipeline.clean.html import clean_page, split_front_matter
from pipeline.errors import PageError
from pipeline.ingest.load import LoadedPage, decode_page
from pipeline.settings import Settings
from pipeline.vocab import load_data

SETTINGS = Settings()
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def clean(source: str, path: str = "page.html") -> Document:
    """Decode and clean a synthetic page."""
    return clean_page(decode_page(source.encode("utf-8"), path, SETTINGS))


def blocks(document: Document) -> list[tuple[str, int, str]]:
    """(kind, level, text) of every block; pairs as 'label => value'."""
    out = []
    for block in document.blocks:
        if block.kind == "pair":
            out.append(("pair", 0, f"{document.label(block)} => {document.value(block)}"))
        else:
            out.append((block.kind, block.level, document.slice(block)))
    return out


def assert_offsets(document: Document) -> None:
    """Blocks tile the text in order, one line each, joined by single newlines."""
    previous_end = -1
    for block in document.blocks:
        text = document.text[block.start : block.end]
        assert text and "\n" not in text and text == text.strip()
        assert block.start > previous_end
        if previous_end >= 0:
            assert document.text[previous_end : block.start] == "\n"
        previous_end = block.end
        if block.kind == "pair":
            assert block.label_end is not None and block.value_start is not None
            assert block.start < block.label_end <= block.value_start <= block.end
    assert previous_end in (-1, len(document.text))


@dataclass(frozen=True)
class HtmlCase:
    """A synthetic page fragment and the blocks it must produce (in this order)."""

    id: str
    html: str
    expected: list[tuple[str, int, str]]
    absent: list[str] = field(default_factory=list)


HTML_EXAMPLES = [
    HtmlCase(
        "headings keep their level",
        "<h1>Revitalizace parku</h1><h3>Cíle projektu</h3><p>Obnova zeleně.</p>",
        [
            ("heading", 1, "Revitalizace parku"),
            ("heading", 3, "Cíle projektu"),
            ("paragraph", 0, "Obnova zeleně."),
        ],
    ),
    HtmlCase(
        "th/td row is a pair",
        "<table><tr><th>Registrační číslo</th><td>CZ.03.2.60/0.0/0.0/16_052/0009098</td></tr></table>",
        [("pair", 0, "Registrační číslo => CZ.03.2.60/0.0/0.0/16_052/0009098")],
    ),
    HtmlCase(
        "td/td row is a pair, wider rows are rows",
        "<table><tr><td>Příjemce:</td><td>Obec Lhota</td></tr>"
        "<tr><td>Rok</td><td>Dotace</td><td>Kč</td></tr></table>",
        [("pair", 0, "Příjemce: => Obec Lhota"), ("row", 0, "Rok | Dotace | Kč")],
    ),
    HtmlCase(
        "label cell over a list cell becomes heading + items",
        "<table><tr><td>Partneři</td><td><ul><li>Spolek A</li><li>Spolek B</li></ul></td></tr></table>",
        [("heading", 0, "Partneři"), ("item", 1, "Spolek A"), ("item", 1, "Spolek B")],
    ),
    HtmlCase(
        "layout table keeps the page structure",
        "<table><tr><td><h1>Projekt</h1><p>a</p><p>b</p><p>c</p><p>d</p></td></tr></table>",
        [("heading", 1, "Projekt"), ("paragraph", 0, "a"), ("paragraph", 0, "b")],
    ),
    HtmlCase(
        "dt/dd is a pair",
        "<dl><dt>Doba realizace</dt><dd>1. 1. 2019 – 31. 12. 2019</dd><dt>Bez hodnoty</dt></dl>",
        [("pair", 0, "Doba realizace => 1. 1. 2019 – 31. 12. 2019"), ("heading", 0, "Bez hodnoty")],
    ),
    HtmlCase(
        "strong label with colon is a pair",
        "<p><strong>Výše dotace:</strong> 3 783 392,50 Kč</p>",
        [("pair", 0, "Výše dotace: => 3 783 392,50 Kč")],
    ),
    HtmlCase(
        "bold label followed by a colon is a pair",
        "<p><b>Příjemce</b>: Diakonie Vsetín</p>",
        [("pair", 0, "Příjemce => Diakonie Vsetín")],
    ),
    HtmlCase(
        "br splits a paragraph into lines, each may be a pair",
        "<p><b>Reg. č.:</b> CZ.1<br><b>Termín:</b> 2020<br>Volný text řádku.</p>",
        [
            ("pair", 0, "Reg. č.: => CZ.1"),
            ("pair", 0, "Termín: => 2020"),
            ("paragraph", 0, "Volný text řádku."),
        ],
    ),
    HtmlCase(
        "all-bold short line is an inferred heading, a bold sentence is not",
        "<p><strong>Cílové skupiny</strong></p><p><b>Toto je důležitá věta.</b></p>",
        [("heading", 0, "Cílové skupiny"), ("paragraph", 0, "Toto je důležitá věta.")],
    ),
    HtmlCase(
        "nested lists give levels",
        "<ul><li>Senioři<ul><li>nad 65 let</li></ul></li><li><p>Rodiny</p></li></ul><ol><li>Jedna</li></ol>",
        [
            ("item", 1, "Senioři"),
            ("item", 2, "nad 65 let"),
            ("item", 1, "Rodiny"),
            ("item", 1, "Jedna"),
        ],
    ),
    HtmlCase(
        "inline elements join, white space and NBSP fold",
        "<p>Cílem <a href='#'>projektu</a> je&nbsp;<em>zvýšit</em>\n   <span>kvalitu</span>.</p>",
        [("paragraph", 0, "Cílem projektu je zvýšit kvalitu.")],
    ),
    HtmlCase(
        "div text and nested blocks split",
        "<div>Úvodní text<div>Vnitřní blok</div>Koncový text</div>",
        [
            ("paragraph", 0, "Úvodní text"),
            ("paragraph", 0, "Vnitřní blok"),
            ("paragraph", 0, "Koncový text"),
        ],
    ),
    HtmlCase(
        "pre keeps its lines",
        "<pre>řádek 1\nřádek 2</pre>",
        [("paragraph", 0, "řádek 1"), ("paragraph", 0, "řádek 2")],
    ),
    HtmlCase(
        "truncated, unclosed markup still yields its text",
        "<html><body><h1>Projekt<p><b>Příjemce:</b> Obec<table><tr><td>A<td>B<td>C",
        [("heading", 1, "Projekt"), ("pair", 0, "Příjemce: => Obec"), ("row", 0, "A | B | C")],
    ),
]


@pytest.mark.parametrize("case", HTML_EXAMPLES, ids=lambda case: case.id)
def test_html_blocks(case: HtmlCase) -> None:
    """HTML structure becomes the expected blocks, in order."""
    document = clean(f"<html><body>{case.html}</body></html>")
    produced = blocks(document)
    assert produced[: len(case.expected)] == case.expected
    assert_offsets(document)


# Furniture around a project page, in the shapes Czech municipal CMS templates use.
FURNITURE_PAGE = """<!DOCTYPE html><html><head><title>Oprava školy | Obec Lhota</title>
<link rel="canonical" href="https://www.example.cz/projekty/oprava-skoly">
<meta property="og:url" content="https://www.example.cz/og"></head>
<body>
<a class="skip-link" href="#main">Přeskočit na obsah</a>
<div id="cookieBar">Tento web používá soubory cookies k analýze návštěvnosti. <button>Souhlasím</button></div>
<header class="site-header"><a href="/">Obec Lhota</a>
  <nav><ul class="menu"><li><a href="/">Úvod</a></li><li><a href="/obec">Obec</a></li></ul></nav></header>
<div class="breadcrumbs">Úvod &gt; Projekty &gt; Oprava školy</div>
<form class="search-form"><input name="q"><button>Hledat</button></form>
<main>
  <h1>Oprava školy</h1>
  <p><strong>Registrační číslo projektu:</strong> CZ.06.2.67/0.0/0.0/16_063/0004417</p>
  <p>Cílem projektu je rekonstrukce budovy základní školy.</p>
  <div class="share-buttons"><a>Sdílet na Facebooku</a></div>
  <div style="display: none">Skrytý text šablony</div>
  <div aria-hidden="true">Ikona</div>
  <p>Počet návštěv: 1234</p>
</main>
<aside class="sidebar"><h2>Aktuality</h2><p>Pozvánka na hody</p></aside>
<div class="mod-counter">Návštěvnost: 999</div>
<footer>© 2024 Obec Lhota, všechna práva vyhrazena</footer>
<script>var tracking = "Oprava školy";</script>
</body></html>"""


def test_furniture_is_dropped_and_content_kept() -> None:
    """Nav, cookie bar, breadcrumbs, search, share, hidden, counter, aside, footer go; content stays."""
    document = clean(FURNITURE_PAGE)
    assert blocks(document) == [
        ("heading", 1, "Oprava školy"),
        ("pair", 0, "Registrační číslo projektu: => CZ.06.2.67/0.0/0.0/16_063/0004417"),
        ("paragraph", 0, "Cílem projektu je rekonstrukce budovy základní školy."),
    ]
    assert document.page_title == "Oprava školy | Obec Lhota"
    assert document.url == "https://www.example.cz/projekty/oprava-skoly"
    assert document.format == "html" and document.encoding == "utf-8"
    assert_offsets(document)


GUARD_EXAMPLES = [
    pytest.param(
        "<body><form id='aspnetForm'><h1>Projekt</h1><p>"
        + "obsah projektu " * 30
        + "</p></form></body>",
        ["Projekt", ("obsah projektu " * 30).strip()],
        id="ASP.NET form wrapping the whole page is kept",
    ),
    pytest.param(
        "<body><div class='page has-sidebar'><p>" + "popis projektu " * 30 + "</p>"
        "<div class='sidebar'>Odkazy</div></div></body>",
        [("popis projektu " * 30).strip()],
        id="wrapper whose class mentions sidebar keeps content, the real sidebar goes",
    ),
    pytest.param(
        "<body><header><nav>Úvod Obec</nav><h1>Název projektu</h1></header><p>Text.</p></body>",
        ["Název projektu", "Text."],
        id="header with the h1 keeps the h1, drops its nav",
    ),
    pytest.param(
        "<body><div class='navbar'><h1>Projekt v menu</h1><a>Úvod</a></div><p>"
        + "Text. " * 20
        + "</p></body>",
        ["Projekt v menu", ("Text. " * 20).strip()],
        id="h1 inside a menu is rescued",
    ),
    pytest.param(
        "<body><div class='elementor-widget elementor-widget-text-editor'><p>Cíl projektu.</p></div></body>",
        ["Cíl projektu."],
        id="page-builder widget class is not furniture",
    ),
    pytest.param(
        "<body><div class='navigator-results'><p>Obsah.</p></div><div class='snav'>x</div></body>",
        ["Obsah.", "x"],
        id="tokens match whole, never substrings",
    ),
]


@pytest.mark.parametrize(("html", "expected"), GUARD_EXAMPLES)
def test_furniture_guards(html: str, expected: list[str]) -> None:
    """Drop rules never take the page's main text or its h1, and match whole tokens."""
    document = clean(html)
    assert [document.slice(block) for block in document.blocks] == expected


def test_parse_failure_falls_back_to_tag_stripping() -> None:
    """Text lxml refuses (a lone surrogate) still yields blocks, with a warning (and
    without the surrogate, which no record may hold)."""
    page = LoadedPage(
        "page.html",
        "0" * 64,
        "html",
        "utf-8",
        "<h1>Projekt</h1><script>x()</script><p>Příjemce: Obec &amp; spolek\ud800</p>",
    )
    document = clean_page(page)
    assert [document.slice(block) for block in document.blocks] == [
        "Projekt",
        "Příjemce: Obec & spolek",
    ]
    assert any("fell back to tag stripping" in warning for warning in document.warnings)


def test_ten_thousand_deep_nesting() -> None:
    """Hostile nesting parses and walks without RecursionError."""
    html = (
        "<html><body>"
        + "<div>" * 10_000
        + "<h1>Hluboko</h1><p>Text</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    document = clean(html)
    assert blocks(document) == [("heading", 1, "Hluboko"), ("paragraph", 0, "Text")]
    unclosed = clean("<body>" + "<span><div>" * 10_000 + "Konec")
    assert [unclosed.slice(block) for block in unclosed.blocks] == ["Konec"]


def test_deep_nested_menus_around_the_content_are_kept() -> None:
    """Thousands of nested furniture-classed wrappers around the text do not lose it."""
    html = "<body>" + "<div class='menu'>" * 3000 + "<p>" + "obsah " * 50 + "</p>" + "</div>" * 3000
    document = clean(html)
    assert [document.slice(block) for block in document.blocks] == [("obsah " * 50).strip()]


def test_large_table_and_long_line() -> None:
    """Many table rows and one huge line come through whole."""
    rows = "".join(f"<tr><td>Položka {index}</td><td>{index} Kč</td></tr>" for index in range(5000))
    document = clean(f"<table>{rows}</table><p>{'slovo ' * 200_000}</p>")
    assert len(document.blocks) == 5001
    assert document.value(document.blocks[4999]) == "4999 Kč"
    assert len(document.slice(document.blocks[-1])) == len("slovo " * 200_000) - 1
    assert_offsets(document)


FRONT_MATTER_HTML = """---
title: Vybudování monitorovacího mechanismu
  na hranicích
ongoing: true
---
<p>Projekt je spolufinancován Evropskou unií.</p>"""


def test_front_matter_title_in_html() -> None:
    """Hugo/Jekyll front matter: its title becomes the page title and a level-1 heading."""
    document = clean(FRONT_MATTER_HTML)
    title = "Vybudování monitorovacího mechanismu na hranicích"
    assert document.page_title == title
    assert blocks(document) == [
        ("heading", 1, title),
        ("paragraph", 0, "Projekt je spolufinancován Evropskou unií."),
    ]


FRONT_MATTER_EXAMPLES = [
    pytest.param("---\ntitle: 'V uvozovkách'\n---\ntext", "V uvozovkách", "text", id="quoted"),
    pytest.param(
        "---\ntitle: >\n  Složený\n  název\n---\ntext", "Složený název", "text", id="folded block"
    ),
    pytest.param("---\ndraft: true\n---\ntext", None, "text", id="no title"),
    pytest.param(
        "text\n---\ntitle: x\n---\n", None, "text\n---\ntitle: x\n---\n", id="not at the top"
    ),
]


@pytest.mark.parametrize(("text", "title", "rest"), FRONT_MATTER_EXAMPLES)
def test_split_front_matter(text: str, title: str | None, rest: str) -> None:
    """Only a leading front matter block is taken; its title is unquoted and unfolded."""
    assert split_front_matter(text) == (rest, title)


TEXT_DUMP = """---
title: Senioři bez hranic
---
Přeskočit na obsah
Menu
Cesta: Úvod > Projekty > Senioři bez hranic
Senioři bez hranic

Registrační číslo projektu: CZ.03.2.63/0.0/0.0/15_007/0001234
Doba realizace: 1. 1. 2018 – 31. 12. 2019
Cílové skupiny
  • senioři nad 65 let
      ◦ osamělí senioři
  • pečující osoby
1. 12. 2023 proběhlo setkání.
1) první aktivita
a) druhá aktivita
Stav projektu: | Ukončen |
□
Počet návštěv: 4521
Sdílet na Facebooku
Tento web používá soubory cookies. Používáním webu souhlasíte s jejich ukládáním.
Nahoru
"""


def test_text_dump_blocks() -> None:
    """Labels become headings, known 'Label: value' lines pairs, bullets items; furniture goes."""
    document = clean(TEXT_DUMP, "page.txt")
    assert document.format == "text"
    assert document.page_title == "Senioři bez hranic"
    assert blocks(document) == [
        ("heading", 1, "Senioři bez hranic"),
        ("paragraph", 0, "Senioři bez hranic"),
        ("pair", 0, "Registrační číslo projektu: => CZ.03.2.63/0.0/0.0/15_007/0001234"),
        ("pair", 0, "Doba realizace: => 1. 1. 2018 – 31. 12. 2019"),
        ("heading", 0, "Cílové skupiny"),
        ("item", 1, "senioři nad 65 let"),
        ("item", 2, "osamělí senioři"),
        ("item", 1, "pečující osoby"),
        ("paragraph", 0, "1. 12. 2023 proběhlo setkání."),
        ("item", 1, "první aktivita"),
        ("item", 1, "druhá aktivita"),
        ("pair", 0, "Stav projektu: => Ukončen"),
    ]
    assert_offsets(document)


# (text dump, its paragraph and item texts): a sentence a dump wrapped at a fixed width is
# one block again; label lines, list items, short lines and a blank line keep it apart.
WRAPPED_LINES = [
    pytest.param(
        "Spolek Lípa nabízí v Lipníku dětem i dospělým řadu volnočasových\n"
        "aktivit. Aktivity projektu zahrnují kurzy keramiky, výlety do přírody\n"
        "a setkání rodičů s dětmi.\n",
        [("Spolek Lípa nabízí v Lipníku dětem i dospělým řadu volnočasových aktivit. Aktivity "
         "projektu zahrnují kurzy keramiky, výlety do přírody a setkání rodičů s dětmi.")],
        id="sentence-over-three-lines",
    ),
    pytest.param(
        "Projekt Zelená zahrada v Lipníku, registrační číslo CZ.06.2.56/0.0/0.0/16_075/0001234\n"
        "je spolufinancován Evropskou unií.\n",
        [("Projekt Zelená zahrada v Lipníku, registrační číslo CZ.06.2.56/0.0/0.0/16_075/0001234 "
         "je spolufinancován Evropskou unií.")],
        id="short-last-line-ending-the-sentence",
    ),
    pytest.param(
        "Obnova hřiště a zahrady u mateřské školy v Lipníku\n\nnová lavička\n",
        ["Obnova hřiště a zahrady u mateřské školy v Lipníku", "nová lavička"],
        id="blank-line-parts-them",
    ),
    pytest.param(
        "Obnova hřiště a zahrady u mateřské školy v Lipníku\nlogo-mas-lipnik 2\n",
        ["Obnova hřiště a zahrady u mateřské školy v Lipníku", "logo-mas-lipnik 2"],
        id="short-line-without-a-full-stop-is-a-caption",
    ),
    pytest.param(
        "Ve školním roce proběhlo mnoho akcí pro žáky i jejich rodiče.\nvýlet na hrad.\n",
        ["Ve školním roce proběhlo mnoho akcí pro žáky i jejich rodiče.", "výlet na hrad."],
        id="full-stop-ends-the-line",
    ),
    pytest.param(
        "Celkové způsobilé výdaje projektu 1 250 000,00 Kč za celé období\n"
        "z toho dotace z Evropské unie činí 85 % a zbytek hradí obec.\n",
        ["Celkové způsobilé výdaje projektu 1 250 000,00 Kč za celé období",
         "z toho dotace z Evropské unie činí 85 % a zbytek hradí obec."],
        id="label-line-stands-alone",
    ),
    pytest.param(
        "- Kurzy keramiky a malování pro děti ze základních škol v Lipníku\n"
        "- výlety do přírody s rodiči a prarodiči v letních měsících roku\n",
        ["Kurzy keramiky a malování pro děti ze základních škol v Lipníku",
         "výlety do přírody s rodiči a prarodiči v letních měsících roku"],
        id="list-items-stay-items",
    ),
]


@pytest.mark.parametrize(("text", "expected"), WRAPPED_LINES)
def test_wrapped_lines_are_rejoined(text: str, expected: list[str]) -> None:
    """A wrapped sentence is one block, with a space where the line break was."""
    document = clean(text, "page.txt")
    assert [text for kind, _, text in blocks(document) if kind in ("paragraph", "item")] == expected
    assert document.text == "\n".join(expected)
    assert_offsets(document)


MARKDOWN_EXAMPLES = [
    pytest.param("## Klíčové aktivity ##", [("heading", 2, "Klíčové aktivity")], id="atx heading"),
    pytest.param("![logo EU](/img/eu.png)", [], id="image line dropped"),
    pytest.param(
        'Více na [webu projektu](https://example.cz/p "titulek").',
        [("paragraph", 0, "Více na webu projektu.")],
        id="link keeps its text",
    ),
    pytest.param(
        "**Harmonogram projektu**",
        [("heading", 0, "Harmonogram projektu")],
        id="bold line is a heading",
    ),
    pytest.param(
        "Projekt je **spolufinancován** EU.",
        [("paragraph", 0, "Projekt je spolufinancován EU.")],
        id="bold markers stripped",
    ),
    pytest.param("- položka", [("item", 1, "položka")], id="dash bullet"),
    pytest.param(
        "[[[(" * 10_000 + "slovo **",
        [("paragraph", 0, "[[[(" * 10_000 + "slovo **")],
        id="hostile brackets",
    ),
]


@pytest.mark.parametrize(("line", "expected"), MARKDOWN_EXAMPLES)
def test_markdown_lines(line: str, expected: list[tuple[str, int, str]]) -> None:
    """Markdown headings, images, links and bold in text dumps."""
    assert blocks(clean(line + "\n", "page.md")) == expected


BOILERPLATE_LINES_IN_THE_WILD = [
    "Počet návštěv: 1 234",
    "Přeskočit na obsah",
    "Přeskočit nabídku",
    "Nacházíte se: Úvod > Projekty",
    "Zobrazit vyhledávací formulář",
    "Tento web používá k poskytování služeb a analýze návštěvnosti soubory cookies.",
    "Sdílet na Facebooku",
    "Menu",
    "Vytisknout",
    "Nahoru",
    "Odběr novinek",
    "česky English Deutsch",
    "»",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINES_IN_THE_WILD)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    """Furniture lines of Czech CMS pages vanish from text dumps and HTML alike."""
    assert clean(f"Cíl projektu.\n{line}\n", "page.txt").text == "Cíl projektu."
    assert clean(f"<p>Cíl projektu.</p><p>{line}</p>").text == "Cíl projektu."


CONTENT_THAT_LOOKS_LIKE_FURNITURE = [
    "Menu zdravého stravování pro seniory bylo součástí projektu.",
    "Projekt podpořil 120 návštěv u klientů.",
    "Cesta k zaměstnání",
    "Hledáme nové cesty pro rodiny s dětmi.",
]


@pytest.mark.parametrize("line", CONTENT_THAT_LOOKS_LIKE_FURNITURE)
def test_boilerplate_patterns_are_whole_line(line: str) -> None:
    """Patterns match whole lines only: content mentioning the same words stays."""
    assert clean(line + "\n", "page.txt").text == line


def test_page_warnings_carry_into_the_document() -> None:
    """Loader warnings (a lying meta tag) are in Document.warnings."""
    data = '<html><head><meta charset="utf-8"></head><body><p>Příjemce: Obec Žďár</p></body></html>'
    document = clean_page(decode_page(data.encode("cp1250"), "page.html", SETTINGS))
    assert document.encoding == "windows-1250"
    assert any("meta charset lied" in warning for warning in document.warnings)
    assert document.text == "Příjemce: Obec Žďár"


def test_shared_pages_clean_without_error() -> None:
    """Every real page in ../shared decodes and cleans (or is refused with a PageError)."""
    folders = [SHARED / "corpus" / "raw", SHARED / "web" / "pages", SHARED / "seeds"]
    paths = [path for folder in folders if folder.is_dir() for path in sorted(folder.iterdir())]
    if not paths:
        pytest.skip("../shared is absent")
    cleaned = 0
    for path in paths:
        if not path.is_file():
            continue
        try:
            document = clean_page(decode_page(path.read_bytes(), str(path), SETTINGS))
        except PageError:
            continue
        assert_offsets(document)
        cleaned += 1
    assert cleaned > 0


# --------------------------------------------------------------------------- furniture line gate




_FURNITURE_PIECES = st.sampled_from(
    list(" .:|»>x\u0130\u0131\u017f\u212a") + [
        "cookie", "cookies", "COOKIES", "coo\u212aie", "cook\u0130e", "cook\u0131e", "Tento web ",
        "používá ", "využíváme ", "ukládá ", "soubory ", "souhlas", "souhlasíte", "zpracováním",
        "s jejich používáním", "Přijmout vše", "Nastavení cookies", "menu", "Hledat", "Zpět",
        "Počet návštěv: ", "1 234", "Jste zde: ", "Úvod", "Projekt ", "sdílet", "Facebook",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_FURNITURE_PIECES, max_size=30).map("".join), st.text(max_size=80)))
def test_gated_furniture_lines_match_the_one_alternation(text: str) -> None:
    """Splitting the cookie patterns off behind their word changes no line's verdict."""
    patterns = load_data("boilerplate.json")["line_patterns"]
    whole = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    assert furniture_markers().line_matches(text) == (whole.fullmatch(text) is not None)
    gate = re.compile("cookie", re.IGNORECASE)
    assert has_word(text, "cookie", gate) == (gate.search(text) is not None)


def test_cookie_patterns_are_gated_and_others_not() -> None:
    furniture = furniture_markers()
    assert furniture.gated_line is not None and "cookie" in furniture.gated_line.pattern
    assert furniture.line_matches("Tento web používá soubory cookies. Souhlasím.")
    assert not furniture.line_matches("Projekt byl spolufinancován Evropskou unií.")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r".{0,9}\bcookies?\b.*", True),
        (r"(?:a|b)x cookie", True),
        (r"(?:cookies|menu)", False),  # only in one alternative
        (r"menu|cookie", False),  # a top-level alternative
        (r"cookie?", False),  # the last letter is optional
        (r"cookie{0,1}", False),
        (r"[cookie]+", False),  # a class, not the word
        (r"[]cookie]x", False),
        (r"\cookie", False),  # an escape eats the first letter
        (r"(cookie)", False),  # inside a group: not looked into
    ],
)
def test_spells_out(pattern: str, expected: bool) -> None:
    assert spells_out(pattern, "cookie") is expected


@given(st.lists(st.sampled_from(["a", "b  c", " ", "\t", "\u00a0", "Projekt"]), max_size=8).map("".join))
def test_add_folded_equals_add_of_folded_text(text: str) -> None:
    folded = " ".join(text.split())
    plain, fast = DocumentBuilder(), DocumentBuilder()
    for builder, add in ((plain, plain.add), (fast, fast.add_folded)):
        add("paragraph", folded, 0)
        add("item", folded, 2)
        builder.add_pair("Název:", "x")
    assert plain.build("text", "utf-8") == fast.build("text", "utf-8")


# A word added to boilerplate.json is all it takes: (id, key, word, page, blocks without
# the word, blocks with it). The words are invented for the test; none is in the file.
_CONTENT = "<h1>Oprava hřiště</h1><p>Obec Vranov opravila dětské hřiště u školy a vysadila stromy.</p>"
DATA_WORD_EXAMPLES = [
    (
        "class token",
        "class_tokens",
        "reklamka",
        f"{_CONTENT}<div class='reklamka-horni'>Koupit levné boty</div>",
        ["Koupit levné boty"],
        [],
    ),
    (
        "line pattern",
        "line_patterns",
        r"sledujte nás na [a-z]+",
        f"{_CONTENT}<p>Sledujte nás na Mastodonu</p>",
        ["Sledujte nás na Mastodonu"],
        [],
    ),
    (
        "disclosure token",
        "disclosure_tokens",
        "rozklikavaci",
        f"{_CONTENT}<div class='rozklikavaci' hidden>Harmonogram prací po etapách</div>",
        [],
        ["Harmonogram prací po etapách"],
    ),
    (
        "label token",
        "label_tokens",
        "nadpisek",
        f"{_CONTENT}<p><span class='nadpisek'>Příjemce</span> Obec Vranov</p>",
        ["Příjemce Obec Vranov"],
        ["Příjemce => Obec Vranov"],
    ),
]


@pytest.fixture
def boilerplate_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Make the clean stage read a copy of boilerplate.json with one word added."""

    def add(key: str, word: str) -> None:
        data = copy.deepcopy(load_data("boilerplate.json"))
        assert word not in data[key]
        data[key].append(word)
        monkeypatch.setattr(furniture, "load_data", lambda name: data if name == "boilerplate.json" else load_data(name))
        _forget_markers()

    yield add
    _forget_markers()  # the next test compiles the real file's markers again


def _forget_markers() -> None:
    """Drop the compiled markers (they are read once per process)."""
    furniture.furniture_markers.cache_clear()
    furniture._class_name_flags.cache_clear()


def _texts(document: Document) -> list[str]:
    """The blocks after the page's two content blocks, as text (pairs as 'label => value')."""
    return [text for _kind, _level, text in blocks(document)[2:]]


@pytest.mark.parametrize(
    ("key", "word", "html", "before", "after"),
    [case[1:] for case in DATA_WORD_EXAMPLES],
    ids=[case[0] for case in DATA_WORD_EXAMPLES],
)
def test_a_word_added_to_the_data_file_is_enough(
    boilerplate_with: Callable[[str, str], None],
    key: str,
    word: str,
    html: str,
    before: list[str],
    after: list[str],
) -> None:
    assert _texts(clean(html)) == before
    boilerplate_with(key, word)
    assert _texts(clean(html)) == after
