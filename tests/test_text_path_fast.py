"""The text path on examples, and the premises its cheap checks rest on.

``clean_text``, ``segment``, ``leading_label`` and ``classify_label`` on tables of
invented lines and pages; properties that they answer on any page-like text; and the
facts about Unicode and the rule data that let ``clean_text`` and ``segment`` skip work
(a check made once per page instead of once per line, look-ups that cannot succeed).
"""

from __future__ import annotations

import re
import sys
from itertools import islice
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean.document import Block, DocumentBuilder
from pipeline.clean.furniture import FOLDS_TO_ASCII, furniture_markers, has_word
from pipeline.clean.segment import (
    _MAX_LABEL_WORDS,
    _TRAILING_MARKS,
    _WORD,
    _first_words,
    _label_last_words,
    classify_label,
    leading_label,
    segment,
)
from pipeline.clean.text import _BULLET, clean_text
from pipeline.ingest.load import LoadedPage
from pipeline.vocab import fold_label, label_key, label_table

PROPERTY = settings(max_examples=400, deadline=None)

# ----------------------------------------------------------------- inputs


def _labels() -> list[str]:
    """A spread of label synonyms as pages print them."""
    return sorted(label_table())[::7]


_WORDS = [
    "Výše dotace (Kč)", "Dotace v Kč", "[Kč]", "(CZK)", "Projekt", "projektu", "Název projektu", "Cíl projektu", "Registrační číslo projektu",
    "Termín realizace projektu", "Dotace", "Celkové způsobilé výdaje", "Příjemce", "Partneři",
    "Kontakt", "Cílové skupiny", "Aktivity", "Klíčové aktivity", "Výsledky", "nabízíme",
    "1.", "a)", "I.", "projektuCentrum", "NázevCentrum", "čísloABC", "CZ.02.3.68/0.0/0.0/18_063/0014027",
    "10/2011 - 8/2015", "1 112 457 Kč", "Menu", "Tisk", "Zpět", "Hledat", "Počet návštěv: 1 234",
    "Jste zde: Úvod", "Tento web používá cookies", "souhlasíte", "cookie", "COOKIE", "coo", "kie",
    "Cookies", "\u0130", "\u0131", "\u017f", "\u212a", "(OP VVV)", "EU", "OPZ", "–", "—", ".", "x",
]
_PIECES = st.sampled_from(
    [*_WORDS, *_labels()]
    + [" ", " ", " ", "  ", "\t", "\u00a0", "\u2009", ":", ": ", " : ", " | ", "|", "\n", "\n", "\n\n"]
    + ["- ", "  - ", "    * ", "• ", "1) ", "a) ", "2. ", "# ", "## ", "### x ##", "**", "__",
       "![obr](a.png)", "[odkaz](http://a.cz)", "[x](y \"t\")", "](", "#", "*", "_", "!["]
)
page_text = st.lists(_PIECES, max_size=50).map("".join)
front_matter = st.sampled_from(["", "---\ntitle: Šablony pro ZŠ\n---\n", "---\ntitle: |\n  Menu\n---\n"])
any_line = st.one_of(st.lists(_PIECES, max_size=14).map("".join), st.text(max_size=80))
_KINDS = st.sampled_from(["heading", "paragraph", "item", "row", "pair"])


def _page(text: str, warnings: tuple[str, ...] = ()) -> LoadedPage:
    """A decoded text page."""
    return LoadedPage("page.txt", "0" * 64, "text", "utf-8", text, warnings)


# ----------------------------------------------------------------- clean_text and segment

# (invented page text, its blocks as (kind, text, level), its sections as (key, label, body)).
TEXT_PAGES = [
    pytest.param(
        "coo**kie** souhlas\nTento web používá coo[kie](x) souhlasíte\nCíl projektu: podpora",
        [("pair", "Cíl projektu: podpora", 0)],
        [("main_goal", "Cíl projektu: podpora", ["podpora"])],
        id="cookie-notice-split-by-markup-dropped",
    ),
    pytest.param(
        "Menu\n\n  Tisk  \n- Zpět\nCíl projektu:  podpora\tvzdělávání",
        [("pair", "Cíl projektu: podpora vzdělávání", 0)],
        [("main_goal", "Cíl projektu: podpora vzdělávání", ["podpora vzdělávání"])],
        id="navigation-dropped-white-space-folded",
    ),
    pytest.param(
        "Název projektu:\u00a0Centrum\nPartneři | Obec\n| a | b |",
        [("pair", "Název projektu: Centrum", 0), ("pair", "Partneři: Obec", 0), ("row", "a | b", 0)],
        [("title", "Název projektu: Centrum", ["Centrum"]), ("partners", "Partneři: Obec", ["Obec"])],
        id="label-pairs-and-table-row",
    ),
    pytest.param(
        "---\ntitle: Zelená zahrada\n---\nText o projektu.",
        [("heading", "Zelená zahrada", 1), ("paragraph", "Text o projektu.", 0)],
        [(None, "Zelená zahrada", ["Text o projektu."])],
        id="front-matter-title-is-a-heading",
    ),
    pytest.param(
        "# Nadpis stránky\n\n![obr](a.png)\n**Tučný nadpis**\n- první\n  - vnořená\nObyčejný odstavec.",
        [("heading", "Nadpis stránky", 1), ("heading", "Tučný nadpis", 0), ("item", "první", 1),
         ("item", "vnořená", 2), ("paragraph", "Obyčejný odstavec.", 0)],
        [(None, "Nadpis stránky", ["Tučný nadpis", "první", "vnořená", "Obyčejný odstavec."])],
        id="markdown-heading-image-bold-nested-list",
    ),
    pytest.param(
        "\u212aontakt: x",
        [("pair", "\u212aontakt: x", 0)],
        [("stop", "\u212aontakt: x", ["x"])],
        id="label-with-kelvin-sign-for-k-still-read",
    ),
]


@pytest.mark.parametrize(("text", "blocks", "sections"), TEXT_PAGES)
def test_clean_text_and_segment_on_examples(
    text: str, blocks: list[tuple[str, str, int]], sections: list[tuple[str | None, str, list[str]]]
) -> None:
    document = clean_text(_page(text))
    assert [(b.kind, document.slice(b), b.level) for b in document.blocks] == blocks
    assert [
        (s.key, document.slice(s.label), [document.slice(b) for b in s.body]) for s in segment(document)
    ] == sections


@PROPERTY
@given(front_matter, page_text)
def test_clean_text_and_segment_keep_within_the_document(head: str, text: str) -> None:
    """On any page-like text both answer, and every block and section lies inside the text."""
    document = clean_text(_page(head + text, ("a warning",)))
    assert "a warning" in document.warnings
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(document.text)
        assert document.slice(block).strip()
    for section in segment(document):
        assert all(0 <= b.start <= b.end <= len(document.text) for b in (section.label, *section.body))


@PROPERTY
@given(st.lists(st.tuples(_KINDS, st.integers(0, 3), any_line, any_line), max_size=12))
def test_segment_takes_any_blocks(specs: list[tuple[str, int, str, str]]) -> None:
    """Built blocks of every kind and level, in any order, segment without an error."""
    builder = DocumentBuilder()
    for kind, level, text, value in specs:
        if kind == "pair":
            builder.add_pair(text, value)
        else:
            builder.add(kind, text, level)  # type: ignore[arg-type]
    document = builder.build("html", "utf-8")
    for section in segment(document):
        assert all(0 <= b.start <= b.end <= len(document.text) for b in (section.label, *section.body))


# (line, its leading label as (key, label end, value start), or None).
LEADING_LABELS = [
    ("Název projektu: Zelená zahrada", ("title", 14, 16)),
    ("Název: x", ("title", 5, 7)),
    ("Příjemce: Obec Lhota", ("beneficiary", 8, 10)),
    ("Registrační číslo projektu: CZ.1", ("registration_number", 26, 28)),
    ("Termín realizace 10/2011 - 8/2015", ("period", 16, 17)),  # a typed value needs no colon
    ("Název projektuCentrum pro rozvoj", ("title", 14, 14)),  # label fused to its value
    ("Dotace 1 112 457 Kč", None),
    ("1. Cíl projektu: x", None),
    ("Zelená zahrada je projekt", None),
    ("Cíl:", None),
]


@pytest.mark.parametrize(("text", "expected"), LEADING_LABELS)
def test_leading_label_on_examples(text: str, expected: tuple[str, int, int] | None) -> None:
    assert leading_label(text) == expected


@PROPERTY
@given(any_line)
def test_a_leading_label_is_a_label_before_its_value(text: str) -> None:
    found = leading_label(text)
    if found is not None:
        key, label_end, value_start = found
        assert key != "stop"
        assert 0 < label_end <= value_start <= len(text)


# (label line, its section key, or None).
LABELS = [
    ("Název projektu", "title"),
    ("Název projektu:", "title"),
    ("Cíl projektu (hlavní)", "main_goal"),
    ("Cíle projektu:", "main_goal"),
    ("Partneři projektu:", "partners"),
    ("Co nabízíme", "activities"),
    ("Výsledky", "results"),
    ("Kontakt", "stop"),
    ("Nějaký text", None),
    ("Název projektu " + "x" * 300, None),  # too long to be a label
]


@pytest.mark.parametrize(("text", "key"), LABELS)
def test_classify_label_on_examples(text: str, key: str | None) -> None:
    assert classify_label(text) == key


@pytest.mark.parametrize("label", sorted(label_table()))
def test_a_label_and_its_endings_end_with_a_known_last_word(label: str) -> None:
    for text in (label, f"{label} projektu", f"{label} projektů", f"{label}:", f"{label} –"):
        if label_key(text) is not None:
            assert fold_label(text.split()[-1]) in {"", *_label_last_words()}, text


@PROPERTY
@given(any_line)
def test_a_line_opening_with_two_letters_has_no_list_marker(line: str) -> None:
    if line[:2].isalpha():
        assert _BULLET.match(line) is None


def test_no_list_marker_character_is_a_letter() -> None:
    markers = re.search(r"\(\?:\[([^]]*)\]", _BULLET.pattern)
    assert markers is not None and "•" in markers.group(1)
    assert not any(char.isalpha() for char in markers.group(1).replace("\\-", "-"))


def test_the_white_space_split_folds_but_space_and_newline_is_unprintable() -> None:
    """The premise of clean_text's page-wide ``isprintable`` check for odd white space."""
    odd = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()} - {" ", "\n"}
    assert len(odd) > 20
    assert [char for char in odd if char.isprintable()] == []


def test_the_letters_folded_onto_ascii_are_the_ones_listed() -> None:
    """``has_word``'s byte search misses only words spelt with these characters."""
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    folded = {chr(code) for code in range(128, sys.maxunicode + 1) if ascii_letter.fullmatch(chr(code))}
    assert folded == set(FOLDS_TO_ASCII)


_WORD_PIECES = st.sampled_from(
    ["cookie", "COOKIE", "CooKie", "coo\u212aie", "cook\u0130e", "cook\u0131e", "cooki", "ookie",
     "coo", "kie", "č", "ř", "\ud800", "\udfff", "\u212a", " ", "Ž", "e"]
)


@PROPERTY
@given(st.one_of(st.lists(_WORD_PIECES, max_size=12).map("".join), st.text(max_size=40)))
def test_has_word_is_the_case_insensitive_search(text: str) -> None:
    gate = furniture_markers().gate
    assert has_word(text, "cookie", gate) == (gate.search(text) is not None)


@PROPERTY
@given(any_line)
def test_a_folded_word_is_its_case_fold_less_trailing_marks(text: str) -> None:
    for word in text.split():
        assert fold_label(word) == word.casefold().rstrip(_TRAILING_MARKS)


@PROPERTY
@given(any_line)
def test_a_label_ends_with_a_known_last_word(text: str) -> None:
    """The premise of the look-up filter in ``leading_label``."""
    words = text.split()
    if words and label_key(text) is not None:
        tail = fold_label(words[-1])
        assert not tail or tail in _label_last_words()


def test_first_words_of_a_line() -> None:
    text = "  Název\u00a0projektu:  Centrum a b c d e f g h"
    assert [m.group() for m in _first_words(text)] == [
        m.group() for m in islice(_WORD.finditer(text), _MAX_LABEL_WORDS + 1)
    ]


@PROPERTY
@given(st.binary(max_size=12), st.sampled_from([" ", "\t\n", "\x0b\x0c\r", "\x1c", "\u00a0", "\u3000"]))
def test_empty_page_tests_match_strip(data: bytes, spaces: str) -> None:
    assert (not data or data.isspace()) == (not data.strip())
    text = spaces * 3
    assert (not text or text.isspace()) == (not text.strip())


# ----------------------------------------------------------------- Block


_block_args = st.tuples(
    _KINDS,
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 6),
    st.none() | st.integers(0, 500),
    st.none() | st.integers(0, 500),
)
_BLOCK_FIELDS = ("kind", "start", "end", "level", "label_end", "value_start")


@PROPERTY
@given(_block_args, _block_args)
def test_a_block_is_an_immutable_value(first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
    """Blocks with the same fields are equal and hash alike; a block cannot be changed."""
    block = Block(*first)
    assert [getattr(block, name) for name in _BLOCK_FIELDS] == list(first)
    assert repr(block).startswith("Block(kind=")
    assert block == Block(*first) and hash(block) == hash(Block(*first))
    assert (block == Block(*second)) == (first == second)
    with pytest.raises(AttributeError):
        block.start = 1  # type: ignore[misc]
