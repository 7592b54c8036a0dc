"""Properties of the whole per-page function on generated HTML and bytes.

For any bytes, ``extract_bytes`` either raises a PageError subclass (with a reason tag
and the path in its text) or returns a Record that survives a JSON round trip and whose
evidence offsets index the cleaned text that ``clean_bytes`` gives for the same bytes.

The generated pages mix the labels and values of Czech project pages with random
markup, random text, entities and control characters, in every encoding the loader
handles. The example counts are kept small so the suite stays fast; ``scripts/fuzz.py``
runs the same properties with many more examples.
"""

from __future__ import annotations

import hashlib
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core import clean_bytes, extract_bytes
from pipeline.errors import PageError
from pipeline.records import Record

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of real-looking project pages (written for these tests, not copied from pages).
FRAGMENTS = [
    "Registrační číslo projektu:", "CZ.02.1.01/0.0/0.0/16_013/0001234", "CZ.1.07/1.1.00/14.0143",
    "CZ.03.2.63/0.0/0.0/15_007/0002510", "CZ.", "CZ.0", "/0.0/0.0/", "Příjemce:",
    "Základní škola Lhota, příspěvková organizace", "Doba realizace:", "1. 9. 2017 – 31. 8. 2019",
    "od 1. ledna 2020 do 30. června 2021", "2016 – 2018", "31.12.2022", "Výše podpory:",
    "1 250 000,00 Kč", "3,5 mil. Kč", "12 000 EUR", "Celkové náklady:", "Operační program",
    "OP Zaměstnanost", "OP VVV", "IROP", "Prioritní osa 2", "Cílem projektu je",
    "zlepšit podmínky pro vzdělávání.", "Cílové skupiny:", "Klíčové aktivity:", "Partneři:",
    "Místo realizace:", "Výsledky projektu:", "350 podpořených osob",
    "Projekt je spolufinancován Evropskou unií.", "Evropský sociální fond", "projekt", "…",
    "&amp;", "&nbsp;", "&#xD800;", "&#0;", "&lt;b&gt;", "<!-- komentář -->", "<![CDATA[x]]>",
    "\x00", "\x0b", "\r\n", "\u2028", "\ufeff", "Ã¡", "Å¾", " ", "\n", ":",
]
TAGS = [
    "p", "div", "span", "b", "strong", "i", "table", "tr", "td", "th", "ul", "ol", "li", "dl",
    "dt", "dd", "h1", "h2", "h3", "h4", "nav", "footer", "aside", "main", "article", "section",
    "script", "style", "pre", "br", "a", "form", "title", "head", "body", "html", "noscript",
]
ATTRIBUTES = [
    "", ' class="menu"', ' class="content"', ' id="cookie-bar"', ' style="display:none"',
    ' role="navigation"', ' hidden', " class='x", ' href="https://example.cz/projekt"',
]

open_tag = st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES))
close_tag = st.sampled_from(TAGS).map(lambda t: f"</{t}>")
piece = st.one_of(
    st.sampled_from(FRAGMENTS), open_tag, close_tag, st.text(max_size=20),
    st.sampled_from(["<", ">", "</", "<!", "<?xml", '"', "'", "=", "&", ";"]),
)
markup = st.lists(piece, max_size=60).map("".join)


LABELS = [
    "Registrační číslo projektu:", "Číslo projektu", "Příjemce:", "Žadatel", "Doba realizace:",
    "Zahájení projektu:", "Ukončení projektu:", "Výše podpory:", "Dotace", "Celkové náklady:",
    "Operační program:", "Prioritní osa:", "Partneři:", "Cílové skupiny", "Klíčové aktivity",
    "Místo realizace:", "Cíl projektu", "Výsledky", "Anotace projektu",
]
VALUES = [
    "CZ.02.1.01/0.0/0.0/16_013/0001234", "CZ.1.07/1.1.00/14.0143", "CZ.06.2.56/0.0/0.0/16_043/1",
    "Obec Dolní Lhota", "Spolek Klubík, z. s.", "1. 9. 2017 – 31. 8. 2019", "1.1.2020", "06/2018",
    "od 1. ledna 2020 do 30. června 2021", "2016 – 2018", "1 250 000,00 Kč", "3,5 mil. Kč",
    "12 000 EUR", "0 Kč", "OP Zaměstnanost", "Integrovaný regionální operační program", "2",
    "2 Rozvoj vzdělávání", "děti a mládež; senioři", "Praha, Brno", "350 podpořených osob",
    "Cílem projektu je zlepšit podmínky pro vzdělávání dětí.", "", "…", "-", "neuvedeno",
]
LAYOUTS = [
    "<p><b>{l}</b> {v}</p>", "<p>{l} {v}</p>", "<table><tr><td>{l}</td><td>{v}</td></tr></table>",
    "<dl><dt>{l}</dt><dd>{v}</dd></dl>", "<h2>{l}</h2><p>{v}</p>", "<h3>{l}</h3><ul><li>{v}</li><li>{v}</li></ul>",
    "<div class=\"row\"><span>{l}</span> <strong>{v}</strong></div>", "{l}\n{v}\n", "<li>{v}</li>",
]
pair = st.builds(lambda lay, l, v: lay.format(l=l, v=v), st.sampled_from(LAYOUTS),
                 st.sampled_from(LABELS), st.sampled_from(VALUES))


@st.composite
def project_markup(draw: st.DrawFn) -> str:
    """A project-like page: a heading, labelled facts in mixed layouts, noise between."""
    parts = [f"<h1>{draw(st.sampled_from(FRAGMENTS))} projekt</h1>"]
    for _ in range(draw(st.integers(1, 12))):
        parts.append(draw(pair))
        if draw(st.integers(0, 3)) == 0:
            parts.append(draw(piece))
    if draw(st.booleans()):
        parts.append("<p>Projekt je spolufinancován Evropskou unií.</p>")
    return "".join(parts)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Generated markup, sometimes inside a full document with head and title."""
    body = draw(st.one_of(markup, project_markup()))
    if draw(st.booleans()):
        title = draw(st.sampled_from(FRAGMENTS + [""]))
        meta = draw(st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="windows-1250">',
                                     '<meta charset="iso-8859-2">', '<meta charset="utf-16">',
                                     '<meta charset="nonsense">']))
        return f"<!doctype html><html><head>{meta}<title>{title}</title></head><body>{body}</body></html>"
    return body


@st.composite
def page_bytes(draw: st.DrawFn) -> bytes:
    """A generated page in one of the encodings seen on Czech sites, maybe cut short."""
    text = draw(html_pages())
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1250", "iso-8859-2", "utf-16",
                                  "utf-16-le", "mojibake"]))
    if codec == "mojibake":
        data = text.encode("utf-8", "surrogatepass").decode("cp1250", "replace").encode("utf-8", "surrogatepass")
    else:
        data = text.encode(codec, "replace" if codec.startswith(("cp", "iso")) else "surrogatepass")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


any_bytes = st.one_of(page_bytes(), st.binary(max_size=3000))
any_path = st.sampled_from(["gen.html", "gen.txt", "gen", "gen.md", "stránka s mezerou.htm"])


def check_page(data: bytes, path: str) -> None:
    """The per-page contract: a PageError naming the file, or a consistent Record."""
    try:
        record = extract_bytes(data, path)
    except PageError as exc:
        assert exc.reason and exc.reason != PageError.reason, exc
        assert exc.path == path and str(exc).startswith(path + ": ") and exc.message.strip()
        return
    assert Record.model_validate_json(record.to_json()) == record
    assert record.source.path == path
    assert record.source.sha256 == hashlib.sha256(data).hexdigest()
    document = clean_bytes(data, path)
    text = document.text
    for name, evidence in record.evidence.items():
        assert getattr(record, name) is not None
        assert 0 <= evidence.start <= evidence.end <= len(text), (name, evidence)
        quoted = evidence.text.removesuffix("…")
        assert text[evidence.start : evidence.end].startswith(quoted), (name, evidence)
        for start, end in evidence.items or ():
            assert 0 <= start <= end <= len(text), (name, evidence)


@FAST
@given(page_bytes(), any_path)
def test_generated_html_gives_a_page_error_or_a_consistent_record(data: bytes, path: str) -> None:
    """Generated pages in any encoding never raise anything but PageError."""
    check_page(data, path)


@FAST
@given(st.binary(max_size=3000), any_path)
def test_arbitrary_bytes_give_a_page_error_or_a_consistent_record(data: bytes, path: str) -> None:
    """Random bytes are refused with a reason or read as (mostly empty) pages."""
    check_page(data, path)


# Found by the generators above or by scripts/fuzz.py; kept as fixed examples.
BUGS_CAUGHT_BY_FUZZING = [
    # bs4 printed an XMLParsedAsHTMLWarning on stderr for every XHTML page (fixed in clean).
    ("xml-declaration-warned-on-stderr",
     b'<?xml version="1.0" encoding="utf-8"?><projekt><p>Projekt</p></projekt>', "gen.html"),
    # ...and a MarkupResemblesLocatorWarning for a page that is only a URL or a file name.
    ("url-only-page-warned-on-stderr", b"https://www.example.cz/projekt", "gen.html"),
    ("file-name-only-page-warned-on-stderr", b"projekt.html", "gen.html"),
]


@pytest.mark.parametrize(("data", "path"), [case[1:] for case in BUGS_CAUGHT_BY_FUZZING],
                         ids=[case[0] for case in BUGS_CAUGHT_BY_FUZZING])
def test_bugs_caught_by_fuzzing(data: bytes, path: str) -> None:
    """Fixed examples hold the contract and emit no warnings (a warning prints on stderr)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_page(data, path)
    assert [str(w.message)[:80] for w in caught] == []
