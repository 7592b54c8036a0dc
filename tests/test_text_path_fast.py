"""The faster text path gives exactly what the plain one it replaced gives.

``clean_text`` now makes some checks once per page instead of once per line (cookie
notices, inline Markdown, white space to fold); ``segment`` and ``leading_label`` skip
look-ups that cannot succeed; ``decode_page`` asks the binary sniffers once. The
reference implementations below are the code as it was before (commit b2d241c), and
these properties pin the new code to them on page-like text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean.document import Block, Document, DocumentBuilder
from pipeline.clean.html import (
    _BULLET,
    _FOLDS_TO_ASCII,
    _MAX_INFERRED_HEADING,
    _MD_HEADING,
    _MD_IMAGE,
    _MD_WHOLE_BOLD,
    _PARAGRAPH_BREAK,
    _build,
    _furniture,
    _has_word,
    _markdown_inline,
    _Pending,
    _rejoin_wrapped,
    _text_pair,
    clean_text,
    split_front_matter,
)
from pipeline.clean.segment import (
    _CZK_UNIT,
    _FUSED,
    _LINE_LEVEL,
    _MAX_BODY_BLOCKS,
    _MAX_LABEL_CHARS,
    _MAX_LABEL_WORDS,
    _PARENTHESES,
    _TRAILING_MARKS,
    _TYPED_KEYS,
    _WORD,
    Section,
    _keyword_rules,
    _label_last_words,
    leading_label,
    segment,
)
from pipeline.errors import BinaryPageError
from pipeline.ingest import load
from pipeline.ingest.load import LoadedPage
from pipeline.vocab import fold_label, label_key, label_table, starts_like_label

PROPERTY = settings(max_examples=400, deadline=None)

# ----------------------------------------------------------------- reference: clean_text


def old_clean_text(page: LoadedPage) -> Document:
    """``clean_text`` before: every line classified, then ``_build``.

    Wrapped lines are joined back by ``_rejoin_wrapped`` since (a change of behaviour, not
    of speed), so the reference marks blank lines and joins its blocks the same way.
    """
    text, fm_title = split_front_matter(page.text)
    blocks: list[_Pending] = []
    if fm_title:
        blocks.append(("heading", fm_title, 1, None))
    indents: list[int] = []
    for line in text.split("\n"):
        if not line.strip():
            blocks.append(_PARAGRAPH_BREAK)
            continue
        bullet = _BULLET.match(line)
        if bullet is None:
            indents.clear()
        else:
            indent = len(bullet.group(1).expandtabs(4))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
        block = _old_text_line_block(line, bullet, max(1, len(indents)))
        if block is not None:
            blocks.append(block)
    return _build(_rejoin_wrapped(blocks), page, fm_title, None, list(page.warnings))


def _old_text_line_block(line: str, bullet: re.Match[str] | None, level: int) -> _Pending | None:
    """``_text_line_block`` before."""
    body = line[bullet.end() :] if bullet else line
    body = body.strip()
    if body.startswith("![") and _MD_IMAGE.fullmatch(body):
        return None
    heading = _MD_HEADING.fullmatch(body) if body.startswith("#") else None
    if heading is not None:
        title = _markdown_inline(heading.group(2).rstrip("# \t"))
        return ("heading", title, len(heading.group(1)), None) if title else None
    whole_bold = _MD_WHOLE_BOLD.fullmatch(body) if body.startswith(("*", "_")) else None
    body = _markdown_inline(body)
    if body.startswith("|") or body.endswith("|"):
        body = body.strip("|").strip()
    if not body:
        return None
    if label_key(body) is not None:
        return ("heading", body, 0, None)
    pair = _text_pair(body)
    if pair is not None:
        return pair
    if bullet is not None:
        return ("item", body, level, None)
    if whole_bold is not None and len(body) <= _MAX_INFERRED_HEADING and not body.endswith("."):
        return ("heading", body, 0, None)
    if " | " in body:
        return ("row", body, 0, None)
    return ("paragraph", body, 0, None)


# ----------------------------------------------------------------- reference: segment


def old_classify_label(text: str) -> str | None:
    """``classify_label`` before."""
    if len(text) > _MAX_LABEL_CHARS:
        return None
    key = label_key(text)
    if key is not None:
        return key
    bare = _PARENTHESES.sub("", text)
    key = label_key(bare)
    if key is not None:
        return key
    folded = fold_label(text)
    ends_with_colon = text.rstrip().endswith(":")
    for pattern, rule_key in _keyword_rules():
        if pattern.search(folded if ends_with_colon else fold_label(bare)):
            return rule_key
    return None


def old_leading_label(text: str) -> tuple[str, int, int] | None:
    """``leading_label`` before."""
    if not starts_like_label(text) and not _FUSED.search(text[:40]):
        return None
    words = [m for _, m in zip(range(_MAX_LABEL_WORDS + 1), _WORD.finditer(text))]
    for n, word in enumerate(words[:_MAX_LABEL_WORDS], start=1):
        fused = _FUSED.search(word.group())
        if fused is None:
            continue
        cut = word.start() + fused.start() + 1
        key = label_key(text[:cut])
        if key is not None and key != "stop" and n >= 2:
            return key, cut, cut
        break
    for n in range(min(len(words) - 1, _MAX_LABEL_WORDS), 0, -1):
        last = words[n - 1]
        has_colon = last.group().endswith(":")
        if n == 1 and not has_colon:
            continue
        key = label_key(text[: last.end()])
        if key is None or (not has_colon and key not in _TYPED_KEYS):
            continue
        value_start = words[n].start()
        return key, last.end() - (1 if has_colon else 0), value_start
    return None


def _old_opening(document: Document, block: Block, next_block: Block | None) -> tuple[str | None, int] | None:
    """``_opening`` before."""
    text = document.slice(block)
    if block.kind == "heading":
        level = block.level if block.level > 0 else _LINE_LEVEL
        return old_classify_label(text), level
    if block.kind in ("paragraph", "item") and len(text) <= _MAX_LABEL_CHARS:
        key = label_key(text)
        # Since: a label line with its CZK unit ("Výše dotace (Kč)") opens its section.
        unit = _CZK_UNIT.search(text) if key is None and block.kind == "paragraph" else None
        if unit is not None:
            key = label_key(text[: unit.start()])
        if key is not None and block.kind == "paragraph":
            return key, _LINE_LEVEL
        intro = next_block is not None and next_block.kind == "item" and block.kind == "paragraph"
        if text.endswith(":") or intro:
            key = old_classify_label(text if text.endswith(":") else text + ":")
            if key is not None or text.endswith(":"):
                return key, _LINE_LEVEL
    return None


def _old_inline_pair(document: Document, block: Block) -> Section | None:
    """``_inline_pair`` before."""
    if block.kind not in ("paragraph", "item", "heading"):
        return None
    found = old_leading_label(document.slice(block))
    if found is None:
        return None
    key, label_end, value_start = found
    value = Block("paragraph", block.start + value_start, block.end)
    label = Block("pair", block.start, block.end, 0, block.start + label_end, block.start + value_start)
    return Section(key, label, (value,), _LINE_LEVEL)


def old_segment(document: Document) -> tuple[Section, ...]:
    """``segment`` before."""
    sections: list[Section] = []
    current: tuple[str | None, Block, int] | None = None
    body: list[Block] = []

    def close() -> None:
        if current is not None:
            key, label, level = current
            sections.append(Section(key, label, tuple(body[:_MAX_BODY_BLOCKS]), level))

    blocks = document.blocks
    for index, block in enumerate(blocks):
        if block.kind == "pair":
            label = document.label(block) or ""
            value = Block("paragraph", block.value_span.start, block.end)
            sections.append(Section(old_classify_label(label), block, (value,), _LINE_LEVEL))
            continue
        next_block = blocks[index + 1] if index + 1 < len(blocks) else None
        opening = _old_opening(document, block, next_block)
        if opening is None:
            inline = _old_inline_pair(document, block)
            if inline is not None:
                if current is not None and current[2] >= _LINE_LEVEL:
                    close()
                    current, body = None, []
                elif current is not None:
                    body.append(block)
                sections.append(inline)
                continue
        if opening is not None:
            key, level = opening
            if current is None or level <= current[2] or key is not None:
                close()
                current, body = (key, block, level), []
                continue
        if current is not None:
            body.append(block)
    close()
    return tuple(sections)


# ----------------------------------------------------------------- reference: load


def _old_bom(data: bytes) -> tuple[int, str] | None:
    """``_bom`` before."""
    for bom, codec, _name in load._BOMS:
        if data.startswith(bom):
            return len(bom), codec
    return None


def _old_utf16_without_bom(data: bytes) -> str | None:
    """``_utf16_without_bom`` before."""
    sample = data[: load._SNIFF_BYTES]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _old_refuse_binary(data: bytes, path: str) -> None:
    """``_refuse_binary`` before."""
    head = data[:1024].lstrip()
    for magic, what in load._MAGIC:
        if head.startswith(magic):
            raise BinaryPageError(f"looks like a {what}, not a text or HTML page", path)
    if load._BZIP2.match(head):
        raise BinaryPageError("looks like a bzip2 archive, not a text or HTML page", path)
    if head.startswith(b"RIFF") and head[8:12] in load._RIFF_KINDS:
        kind = load._RIFF_KINDS[head[8:12]]
        raise BinaryPageError(f"looks like a {kind}, not a text or HTML page", path)
    if head[4:8] == b"ftyp":
        raise BinaryPageError("looks like an MP4/QuickTime media file, not a text or HTML page", path)
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        raise BinaryPageError("looks like a Windows executable, not a text or HTML page", path)
    if _old_bom(data) is not None or _old_utf16_without_bom(data) is not None:
        return
    sample = data[: load._SNIFF_BYTES]
    controls = len(sample.translate(None, load._NOT_BINARY_CONTROL_BYTES))
    if controls > load._BINARY_CONTROL_RATIO * len(sample):
        share = round(100 * controls / len(sample))
        raise BinaryPageError(f"looks like binary data ({share}% control bytes), not a text or HTML page", path)


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


def _page(text: str, warnings: tuple[str, ...] = ()) -> LoadedPage:
    """A decoded text page."""
    return LoadedPage("page.txt", "0" * 64, "text", "utf-8", text, warnings)


def _sections(sections: tuple[Section, ...]) -> list[tuple[object, ...]]:
    """Sections as plain tuples (the reference builds the same class; this keeps diffs readable)."""
    return [(s.key, s.label, s.body, s.level) for s in sections]


# ----------------------------------------------------------------- properties


@PROPERTY
@given(front_matter, page_text)
def test_clean_text_gives_the_old_document(head: str, text: str) -> None:
    page = _page(head + text, ("a warning",))
    assert clean_text(page) == old_clean_text(page)


@pytest.mark.parametrize(
    "text",
    [
        "coo**kie** souhlas\nTento web používá coo[kie](x) souhlasíte",  # markup joins "cookie"
        "Tento web používá co![a](b)okies.\n",
        "Menu\n\n  Tisk  \n- Zpět\nCíl projektu:  podpora\tvzdělávání",
        "Název projektu:\u00a0Centrum\nPartneři | Obec\n| a | b |",
        "---\ntitle: Menu\n---\nText",
        "Tento web používá cooK\u0130es",
        "\u212aontakt: x",
    ],
)
def test_clean_text_on_examples(text: str) -> None:
    page = _page(text)
    assert clean_text(page) == old_clean_text(page)


@PROPERTY
@given(any_line)
def test_leading_label_gives_the_old_answer(text: str) -> None:
    assert leading_label(text) == old_leading_label(text)


@pytest.mark.parametrize("label", sorted(label_table()))
def test_leading_label_on_every_label(label: str) -> None:
    for text in (
        f"{label}: hodnota projektu",
        f"{label} 10/2011 - 8/2015",
        f"{label} projektu: x",
        f"1. {label}: x",
        f"{label.capitalize()}Centrum pro rozvoj",
        f"{label}.: x y",
    ):
        assert leading_label(text) == old_leading_label(text), text
    for text in (label, f"{label} projektu", f"{label} projektů", f"{label}:", f"{label} –"):
        if label_key(text) is not None:
            assert fold_label(text.split()[-1]) in {"", *_label_last_words()}, text


@PROPERTY
@given(front_matter, page_text)
def test_segment_gives_the_old_sections(head: str, text: str) -> None:
    document = clean_text(_page(head + text))
    assert _sections(segment(document)) == _sections(old_segment(document))


_KINDS = st.sampled_from(["heading", "paragraph", "item", "row", "pair"])


@PROPERTY
@given(st.lists(st.tuples(_KINDS, st.integers(0, 3), any_line, any_line), max_size=12))
def test_segment_gives_the_old_sections_on_any_blocks(specs: list[tuple[str, int, str, str]]) -> None:
    builder = DocumentBuilder()
    for kind, level, text, value in specs:
        if kind == "pair":
            builder.add_pair(text, value)
        else:
            builder.add(kind, text, level)  # type: ignore[arg-type]
    document = builder.build("html", "utf-8")
    assert _sections(segment(document)) == _sections(old_segment(document))


@PROPERTY
@given(any_line)
def test_classify_label_gives_the_old_key(text: str) -> None:
    from pipeline.clean.segment import classify_label

    assert classify_label(text) == old_classify_label(text)
    assert classify_label(text + ":") == old_classify_label(text + ":")


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
    """``_has_word``'s byte search misses only words spelt with these characters."""
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    folded = {chr(code) for code in range(128, sys.maxunicode + 1) if ascii_letter.fullmatch(chr(code))}
    assert folded == set(_FOLDS_TO_ASCII)


_WORD_PIECES = st.sampled_from(
    ["cookie", "COOKIE", "CooKie", "coo\u212aie", "cook\u0130e", "cook\u0131e", "cooki", "ookie",
     "coo", "kie", "č", "ř", "\ud800", "\udfff", "\u212a", " ", "Ž", "e"]
)


@PROPERTY
@given(st.one_of(st.lists(_WORD_PIECES, max_size=12).map("".join), st.text(max_size=40)))
def test_has_word_is_the_case_insensitive_search(text: str) -> None:
    gate = _furniture().gate
    assert _has_word(text, "cookie", gate) == (gate.search(text) is not None)


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
    from pipeline.clean.segment import _first_words

    text = "  Název\u00a0projektu:  Centrum a b c d e f g h"
    assert [m.group() for m in _first_words(text)] == [
        m.group() for m in islice(_WORD.finditer(text), _MAX_LABEL_WORDS + 1)
    ]


@PROPERTY
@given(
    st.one_of(
        st.binary(max_size=64),
        st.sampled_from([magic for magic, _what in load._MAGIC] + [b"\xef\xbb\xbf", b"\xff\xfe", b"RIFF"]).flatmap(
            lambda magic: st.binary(max_size=40).map(lambda tail: magic + tail)
        ),
        st.text(max_size=30).map(lambda text: text.encode("utf-16-le")),
    )
)
def test_binary_sniffing_gives_the_old_verdict(data: bytes) -> None:
    bom = load._bom(data)
    utf16 = None if bom is not None else load._utf16_without_bom(data)
    assert bom == _old_bom(data)
    if bom is None:
        assert utf16 == _old_utf16_without_bom(data)
    verdicts: list[str | None] = []
    marked = bom is not None or utf16 is not None
    refusers: tuple[Callable[[], None], ...] = (
        lambda: load._refuse_binary(data, "p", unicode_marked=marked),
        lambda: _old_refuse_binary(data, "p"),
    )
    for refuse in refusers:
        try:
            refuse()
            verdicts.append(None)
        except BinaryPageError as exc:
            verdicts.append(str(exc))
    assert verdicts[0] == verdicts[1]


@PROPERTY
@given(st.binary(max_size=12), st.sampled_from([" ", "\t\n", "\x0b\x0c\r", "\x1c", "\u00a0", "\u3000"]))
def test_empty_page_tests_match_strip(data: bytes, spaces: str) -> None:
    assert (not data or data.isspace()) == (not data.strip())
    text = spaces * 3
    assert (not text or text.isspace()) == (not text.strip())


# ----------------------------------------------------------------- reference: Block


@dataclass(frozen=True, slots=True)
class _OldBlock:
    """``document.Block`` as it was: a frozen slotted dataclass."""

    kind: str
    start: int
    end: int
    level: int = 0
    label_end: int | None = None
    value_start: int | None = None


_block_args = st.tuples(
    _KINDS,
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 6),
    st.none() | st.integers(0, 500),
    st.none() | st.integers(0, 500),
)


@PROPERTY
@given(_block_args, _block_args)
def test_block_behaves_as_the_old_dataclass(first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
    """The named-tuple Block has the old fields, repr, hash and equality."""
    new, old = Block(*first), _OldBlock(*first)
    assert repr(new) == repr(old).replace("_OldBlock", "Block")
    assert hash(new) == hash(old)
    assert (new == Block(*second)) == (old == _OldBlock(*second))
    assert [getattr(new, name) for name in _OldBlock.__slots__] == list(first)
    with pytest.raises(AttributeError):
        new.start = 1  # type: ignore[misc]
