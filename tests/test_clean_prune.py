"""Tests of the lxml pre-pass (pipeline.clean.prune): pruning never changes the Document.

Every page is cleaned twice, through the pre-pass and with it switched off (the whole page
parsed by BeautifulSoup), and the two Documents must be equal field for field.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import html as clean_module
from pipeline.clean.document import Document
from pipeline.clean.html import clean_page
from pipeline.clean.prune import prune
from pipeline.ingest.load import LoadedPage

Key = tuple[str, list[tuple[str, int, str]], str | None, str | None, tuple[str, ...], str | None]


def page(html: str) -> LoadedPage:
    """A decoded synthetic HTML page."""
    return LoadedPage("page.html", "0" * 64, "html", "utf-8", html, ())


def key(document: Document) -> Key:
    """Everything of a Document that records and evidence offsets depend on."""
    blocks: list[tuple[str, int, str]] = [
        (block.kind, block.level, document.slice(block)) for block in document.blocks
    ]
    return document.text, blocks, document.page_title, document.url, document.warnings, document.cleaning


def both(html: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Key, Key]:
    """The Document through the pre-pass and the one from parsing the whole page."""
    pruned = key(clean_page(page(html)))
    with monkeypatch.context() as patch:
        patch.setattr(clean_module, "prune", lambda text: None)
        whole = key(clean_page(page(html)))
    return pruned, whole


NAV = "<nav><ul><li><a href='/'>Úvod</a></li><li><a href='/o-nas'>O nás</a></li></ul></nav>"
LONG = "Projekt podpořil vzdělávání pedagogů základní školy. " * 4

# Pages the pre-pass handles: (id, html).
PRUNED = [
    (
        "tail-text-after-removed",
        f"<p>Před{NAV}po navigaci <b>tučně</b><script>x()</script> a dál</p>",
    ),
    ("comment-splits-strings", f"<div>{LONG}<!-- c --> konec <!--x--></div><p>Text</p>"),
    (
        "entities-and-nbsp",
        "<p>A &amp; B &lt;C&gt; &nbsp;š&#x161;&quot;</p><p>Cena:&nbsp;1&nbsp;000 Kč</p>",
    ),
    (
        "canonical-href-as-written",
        (
            "<head><link rel='canonical' href=' https://obec.cz/projekt á b?x=1&amp;y=2 '>"
            "<title>Projekt &amp; obec</title></head><body><p>Text</p></body>"
        ),
    ),
    ("og-url", "<meta property='og:url' content=' https://x.cz/p '><p>Text</p>"),
    ("meta-charset-8bit", "<meta charset='windows-1250'><p>Žluťoučký kůň úpěl</p>"),
    ("bold-label-around-script", "<p><b>Příjemce:<script>1</script></b> Obec Lhota</p>"),
    ("pre-lines", f"<pre>\n\nŘádek 1\n<span>Řádek 2</span>\n</pre>{NAV}<pre>a<!--c-->\nb</pre>"),
    ("h1-inside-menu", f"<div class='menu'><ul><li>x</li></ul><h1>Název projektu</h1></div>{LONG}"),
    (
        "header-with-heading-stays",
        f"<header><h2>Projekt</h2><p>Podnadpis</p></header>{NAV}<p>{LONG}</p>",
    ),
    ("header-without-heading-goes", f"<header><p>Logo</p></header><p>{LONG}</p>"),
    (
        "sidebar-with-most-text-stays",
        f"{NAV}<div class='sidebar'><p>{LONG}</p>{NAV}</div><p>Krátce</p>",
    ),
    (
        "majority-guard-counts-hidden-skip-text",
        (
            f"<div class='nav'><p>{LONG}</p><noscript>{LONG}</noscript></div>"
            f"<p>{LONG}</p><button>{LONG}</button>"
        ),
    ),
    (
        "template-heading-and-text",
        f"<template><h1>T</h1>{LONG}</template><nav><h1>Menu</h1></nav><p>Text</p>",
    ),
    (
        "many-nested-guards",
        "".join(f"<div class='menu{n}'>" for n in range(30)) + f"<p>{LONG}</p>" + "</div>" * 30,
    ),
    (
        "hidden-attributes",
        (
            f"<div hidden>Skryté</div>"
            f"<div aria-hidden='True'>x</div><p style='display: none'>y</p><p>{LONG}</p>"
        ),
    ),
    (
        "roles-and-classes",
        (
            f"<div role='navigation'>n</div>"
            f"<div class='sr-only'>s</div><div id='cookieBar'>c</div><p>{LONG}</p>"
        ),
    ),
    (
        "own-marks-ignored",
        (
            f"<p data-pipeline-guard='median=99999 h1 heading'>{LONG}</p>"
            f"<nav data-pipeline-guard='h1'>n</nav>"
        ),
    ),
    ("empty-list-item", f"<ul><li></li>po položce<li>{NAV}</li><p>odstavec</p></ul>"),
    (
        "table-pairs",
        f"<table><tr><td>Příjemce</td><td>Obec</td></tr><tr><td>{NAV}</td><td>x</td></tr></table>",
    ),
    ("definition-list", f"<dl><dt>Výše dotace</dt><dd>1 000 Kč{NAV}</dd><dt>Osamělý</dt></dl>"),
    (
        "svg-and-iframe",
        (
            f"<p>Logo<svg><title>t</title><text>svg</text></svg> firmy</p>"
            f"<iframe>if</iframe><p>{LONG}</p>"
        ),
    ),
    ("bom", f"\ufeff<p>{LONG}</p>{NAV}"),
    (
        "leading-comments-then-doctype",
        f"<?xml version='1.0'?>\n<!-- saved -->\n<!DOCTYPE html><p>{LONG}</p>",
    ),
    (
        "article-body-under-a-share-class",
        f"{NAV * 6}<div class='entry share'><p>{LONG}</p><p>{LONG}</p></div><div class='sidebar'><p>{LONG * 3}</p></div>",
    ),
    (
        "article-body-in-a-menu-is-no-body",
        f"<nav><div><p>{LONG}</p><p>{LONG}</p></div></nav><p>Krátký text stránky.</p>{NAV}",
    ),
    (
        "state-and-topic-classes",
        f"<div class='no-share post category-social-issues'><p>{LONG}</p></div>{NAV * 20}<p>{LONG}</p>",
    ),
    (
        "hidden-disclosure-panels",
        (
            f"<div class='accordion-item'><div class='panel' hidden><p>Výše dotace: 1 000 Kč</p></div></div>"
            f"<div class='toggle_content' style='display:none'>Skryté</div>"
            f"<div role='tabpanel' aria-hidden='true'>Záložka</div><p>{LONG}</p>"
        ),
    ),
    (
        "content-hidden-wholesale-falls-back",
        f"{NAV * 100}<div style='display:none'><p>{LONG}</p><p>{LONG}</p></div><p>Krátce</p>",
    ),
    (
        "noscript-paragraphs-are-no-body",
        f"{NAV * 30}<noscript><p>{LONG}</p><p>{LONG}</p></noscript><p>Krátce</p>",
    ),
    (
        "span-label-and-value",
        "<p><span class='field-label'>Příjemce</span><span class='value'>Obec Lhota</span></p>",
    ),
    ("text-only", "jen text bez značek"),
    ("broken-markup", f"<p>a<div>b</p></span><td>c<li>d</table>{NAV}<b><i>e</b>f</i>"),
]

# Pages the pre-pass leaves to a whole parse: (id, html).
WHOLE = [
    ("doctype-inside-page", f"<!DOCTYPE html><p>a <!DOCTYPE svg> b</p>{NAV}"),
    ("raw-text-element", f"<xmp>a &amp; <b></xmp>{NAV}"),
    ("ruby-text", f"<ruby>漢<rt>kan</rt></ruby>{NAV}"),
    ("namespaced-attribute", f"<div {{x}}class='menu'>m</div><p>{LONG}</p>"),
    ("broken-namespaced-attribute", f"<div {{x='1'>m</div><p>{LONG}</p>"),
    ("deep-nesting", "<div>" * 300 + f"<p>{LONG}</p>" + "</div>" * 300),
    ("comment-only", "<!-- nic -->"),
    ("lone-surrogate", "<p>Projekt \ud800</p>"),
]


@pytest.mark.parametrize(("html"), [html for _id, html in PRUNED], ids=[i for i, _h in PRUNED])
def test_pruned_page_cleans_like_the_whole_page(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-pass runs and the Document is the one of the whole page."""
    assert prune(html) is not None
    pruned, whole = both(html, monkeypatch)
    assert pruned == whole


@pytest.mark.parametrize(("html"), [html for _id, html in WHOLE], ids=[i for i, _h in WHOLE])
def test_unsupported_page_is_parsed_whole(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Constructs the lxml round trip would change skip the pre-pass, with the same result."""
    assert prune(html) is None
    pruned, whole = both(html, monkeypatch)
    assert pruned == whole


def test_pre_pass_drops_furniture_and_keeps_text() -> None:
    """What BeautifulSoup gets lacks scripts, comments and menus, not the text around them."""
    pruned = prune(f"<p>Před<!-- c -->{NAV}<script>x()</script>po</p><p>{LONG}</p>")
    assert pruned is not None
    markup, total, _probe, dropped = pruned
    assert "Úvod" not in markup and "x()" not in markup and "<!--" not in markup
    assert "Předpo" in markup
    assert total == len("Před") + len("Úvod") + len("O nás") + len("po") + len(LONG.strip())
    assert dropped == 1


def test_canonical_url_keeps_spaces_and_accents() -> None:
    """lxml's serialiser escapes href values; the url comes out as the page wrote it."""
    html = "<link rel='canonical' href=' https://obec.cz/projekt á b '><p>Text</p>"
    assert prune(html) is not None
    assert clean_page(page(html)).url == "https://obec.cz/projekt á b"


FRAGMENTS = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<nav>",
    "</nav>",
    "<header>",
    "</header>",
    "<h1>",
    "</h1>",
    "<h2>",
    "</h2>",
    "<div class='menu'>",
    "<div id='footer'>",
    "<span hidden>",
    "</span>",
    "<div style='display:none'>",
    "<ul>",
    "<li>",
    "</li>",
    "</ul>",
    "<li></li>",
    "<script>var a = '<p>x</p>';</script>",
    "<style>p{}</style>",
    "<!-- c -->",
    "<!-->",
    "<?php x ?>",
    "<noscript>ns text</noscript>",
    "<template><h1>T</h1>tt</template>",
    "<svg><title>s</title><text>svg text</text></svg>",
    "<b>Label:</b>",
    " value ",
    "Text ",
    "&amp;",
    "&nbsp;",
    "š",
    "<br>",
    "</br>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    "<dl>",
    "<dt>",
    "<dd>",
    "</dl>",
    "<pre>\n a\n b</pre>",
    "<main>",
    "</main>",
    "<article class='sidebar'>",
    "</article>",
    "<aside>",
    "</aside>",
    "<form>",
    "</form>",
    "<button>btn</button>",
    "<select><option>o</option></select>",
    "<title>T &amp; t</title>",
    "<link rel='canonical' href=' http://x.cz/á b '>",
    "<meta property='og:url' content='u'>",
    "<iframe>if</iframe>",
    "<textarea>ta</textarea>",
    "<div role='navigation'>",
    "\n",
    "  ",
    "<div aria-hidden='TRUE'>",
    "<footer>",
    "</footer>",
    "<p data-pipeline-guard='median=9'>",
    "<a href='x y'>odkaz</a>",
    "<a>a<a>b</a>",
    "<html>",
    "<body>",
    "</body>",
    "<head>",
    "</head>",
    "<p class='sr-only'>",
    "<img alt=x>",
    "<o:p>x</o:p>",
    "<wbr>",
    "<hr>",
    "<section class='share-box'>",
    "<nav><h1>V menu</h1>x</nav>",
    "dlouhý text " * 20,
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60))
def test_random_markup_cleans_like_the_whole_page(fragments: list[str]) -> None:
    """Any soup of these fragments gives the same Document with and without the pre-pass."""
    html = "".join(fragments)
    with pytest.MonkeyPatch.context() as patch:
        pruned, whole = both(html, patch)
    assert pruned == whole
