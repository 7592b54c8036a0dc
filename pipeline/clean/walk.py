"""The HTML walk: a parsed page to pending blocks, in document order.

The tree is walked once with an explicit stack (never Python recursion: hostile pages
nest 10,000 deep). Text is gathered inline; each element goes to the handler its tag
names (``_BLOCK_HANDLERS``, ``_INLINE_HANDLERS``), which may push an end marker that
``_END_HANDLERS`` closes once the element's children are walked. Block-level elements cut
the text into blocks; table rows, definition lists and ``<b>Label:</b> value``
paragraphs become label/value pairs. Furniture candidates (furniture.py) are dropped
unless a guard keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from pipeline.clean.build import MAX_INFERRED_HEADING, MAX_LABEL, Pending, pending_text
from pipeline.clean.document import BlockKind
from pipeline.clean.furniture import (
    BY_TOKEN,
    GUARD,
    HEAD_TAGS,
    HEADINGS,
    HIDDEN,
    HREF,
    MAX_GUARD_SCANS,
    MIN_MAIN_TEXT,
    NEVER_DROP,
    NOT_CANDIDATES,
    NOT_FURNITURE,
    SKIP_TAGS,
    STRONG,
    FurnitureCheck,
    LabelCheck,
    content_probe,
)
from pipeline.vocab import label_key

__all__ = ["Walker"]

# Elements that start and end a block; anything else is inline.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "details", "dialog",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
        "hr", "html", "main", "nav", "p", "pre", "section", "summary", "table", "caption",
        "thead", "tbody", "tfoot", "legend", "head", "noframes", "listing", "plaintext",
        "xmp", "li", "dt", "dd", "tr", "td", "th", "ul", "ol", "dir", "menu",
        "h1", "h2", "h3", "h4", "h5", "h6",
    }
)
# More blocks than this in one table cell means the table lays out the page.
_MAX_SIMPLE_CELL_BLOCKS = 3

# An end marker on the walk's stack: the name of its ``_END_HANDLERS`` entry, then what
# that handler needs ("block": which kind; "restore": the suppression depth to restore).
_Marker = tuple[Any, ...]


class Walker:
    """One walk over a parsed page, emitting pending blocks in document order."""

    def __init__(
        self,
        soup: BeautifulSoup,
        total_text: int | None = None,
        probe: str | None = None,
        dropped: int = 0,
        *,
        furniture: bool = True,
    ) -> None:
        """Set up the walk; ``total_text``, ``probe`` and ``dropped`` come from the lxml pre-pass.

        ``furniture=False`` keeps every element (the fallback cleaning).
        """
        self.soup = soup
        self.furniture = furniture
        self.probe = probe
        self.dropped = dropped  # furniture elements dropped, by the pre-pass and the walk
        self.is_candidate = FurnitureCheck()
        self.is_label = LabelCheck()
        self.guard_scans = 0
        self.title: str | None = None
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.total_text = 0
        self.median_path: set[int] = set()
        self.text_path: set[int] = set()
        self.h1_path: set[int] = set()
        self.heading_path: set[int] = set()
        # A pruned tree carries the full page's guards as marks (see prune.py); otherwise it
        # is surveyed on the first furniture candidate: pages without any skip the walk.
        self.marked = total_text is not None
        self.surveyed = self.marked
        if total_text is not None:
            self.total_text = total_text
        # The walk's state: the stack of nodes and end markers, the inline text since the
        # last block boundary (with a bold flag per piece), where blocks go (a cell, a term
        # or definition gathers its own), and the open blocks' kinds and levels.
        self.stack: list[Any] = []
        self.pieces: list[str] = []
        self.bold_flags: list[bool] = []
        self.sinks: list[list[Pending]] = [[]]
        self.contexts: list[tuple[BlockKind, int]] = [("paragraph", 0)]
        self.rows: list[list[list[Pending]]] = []
        self.definitions: list[list[list[Pending] | None]] = []
        self.bold = 0
        self.heading_depth = 0
        self.list_depth = 0
        self.pre_depth = 0
        self.suppress = 0

    def _survey(self) -> None:
        """Measure the visible text and mark ancestors of headings and of the median text."""
        self.surveyed = True
        strings: list[tuple[int, Any]] = []
        total = 0
        paragraphs: dict[int, list[Any]] = {}
        node: Any
        for node in self.soup.descendants:
            kind = type(node)
            if kind is NavigableString:
                size = len(node.strip())
                if size:
                    total += size
                    strings.append((total, node))
            elif kind is Tag:
                if node.name in HEADINGS:
                    self._mark_ancestors(node, self.heading_path)
                    if node.name == "h1":
                        self._mark_ancestors(node, self.h1_path)
                elif (
                    node.name == "p"
                    and node.parent is not None
                    and not any(parent.name in SKIP_TAGS for parent in node.parents)
                ):
                    size = sum(
                        len(string.strip())
                        for string in node.descendants
                        if type(string) is NavigableString
                    )
                    entry = paragraphs.setdefault(id(node.parent), [node.parent, 0, 0])
                    entry[1] += size
                    entry[2] += 1
        self.total_text = total
        # The article body, as prune._main_text_block finds it in the pre-pass.
        blocks = sorted(
            (entry for entry in paragraphs.values() if entry[2] >= 2 and entry[1] >= MIN_MAIN_TEXT),
            key=lambda entry: -entry[1],
        )
        how = self.is_candidate.how
        probed: Tag | None = None
        body: Tag | None = None
        for entry in blocks:
            element = entry[0]
            kinds = {how(tag.attrs, tag.name) for tag in (element, *element.parents) if tag.name not in NOT_CANDIDATES}
            kinds.discard(NOT_FURNITURE)
            if STRONG in kinds or (HIDDEN in kinds and BY_TOKEN in kinds):
                continue
            if not kinds:  # under no furniture: the article body, and nothing to guard
                probed = body = element
                break
            probed = probed or element
            if HIDDEN not in kinds:
                body = body or element
        if probed is not None:
            self.probe = content_probe(
                (string for string in child.descendants if type(string) is NavigableString)
                for child in probed.children
                if type(child) is Tag and child.name == "p"
            )
        if body is not None:
            self.text_path.add(id(body))
            self._mark_ancestors(body, self.text_path)
        # An element holding more than half the text must contain its middle character.
        half = total / 2
        for cumulative, string in strings:
            if cumulative >= half:
                self._mark_ancestors(string, self.median_path)
                break

    @staticmethod
    def _mark_ancestors(node: Any, marked: set[int]) -> None:
        """Add the ids of a node's ancestors, stopping where an earlier walk stopped."""
        parent = node.parent
        while parent is not None and id(parent) not in marked:
            marked.add(id(parent))
            parent = parent.parent

    def _guards(self, tag: Tag) -> list[str]:
        """The guard tokens the pre-pass marked on an element."""
        value = tag.attrs.get(GUARD)
        return value.split() if isinstance(value, str) else []

    def _on_h1_path(self, tag: Tag) -> bool:
        """True when the element contains an h1."""
        if self.marked:
            return "h1" in self._guards(tag)
        return id(tag) in self.h1_path

    def _holds_majority(self, tag: Tag) -> bool:
        """True when the element holds more than half of the page's visible text."""
        median: str | None = None
        if self.marked:
            median = next((t for t in self._guards(tag) if t.startswith("median=")), None)
            if median is None:
                return False
        elif id(tag) not in self.median_path:
            return False
        self.guard_scans += 1
        if self.guard_scans > MAX_GUARD_SCANS:
            return True
        if median is not None:
            return int(median.removeprefix("median=")) * 2 > self.total_text
        size = 0
        for node in tag.descendants:
            if type(node) is NavigableString:
                size += len(node.strip())
        return size * 2 > self.total_text

    def _droppable(self, tag: Tag) -> bool:
        """Guards on a furniture candidate: a header with a heading, or most of the text, stays."""
        if not self.surveyed:
            self._survey()
        if tag.name == "header" and (
            "heading" in self._guards(tag) if self.marked else id(tag) in self.heading_path
        ):
            return False
        if "text" in self._guards(tag) if self.marked else id(tag) in self.text_path:
            return False
        return not self._holds_majority(tag)

    def _read_head_tag(self, tag: Tag, name: str) -> None:
        """Record <title>, <link rel=canonical> and og:url."""
        if name == "title":
            if self.title is None:
                title = " ".join(tag.get_text().split())
                self.title = title or None
        elif name == "link":
            rel: Any = tag.get("rel") or []
            rels = rel if isinstance(rel, list) else str(rel).split()
            # The pre-pass keeps the href as written (lxml's serialiser escapes it).
            href = tag.get(HREF) if self.marked else tag.get("href")
            if (
                self.canonical is None
                and isinstance(href, str)
                and href.strip()
                and any(value.casefold() == "canonical" for value in rels)
            ):
                self.canonical = href.strip()
        elif name == "meta":
            content = tag.get("content")
            if self.og_url is None and tag.get("property") == "og:url" and isinstance(content, str):
                self.og_url = content.strip() or None

    def run(self) -> tuple[list[Pending], str | None, str | None]:
        """Walk the tree once and return (blocks, page title, url).

        Text is gathered here; an element that is read goes to its tag's handler, an end
        marker to its end handler (the tables below the class).
        """
        # Locals for what every node reads (the loop is the hot path of an HTML page).
        stack = self.stack
        pieces = self.pieces
        bold_flags = self.bold_flags
        furniture = self.furniture
        is_candidate = self.is_candidate
        end_handlers = _END_HANDLERS
        inline_handlers = _INLINE_HANDLERS
        block_handlers = _BLOCK_HANDLERS
        open_block = Walker._open_block
        stack.append(self.soup)
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is NavigableString:
                if self.suppress:
                    continue
                if self.pre_depth and "\n" in node:
                    for index, line in enumerate(node.split("\n")):
                        if index and pieces:
                            self._flush()
                        pieces.append(line)
                        bold_flags.append(self.bold > 0)
                else:
                    pieces.append(node)
                    bold_flags.append(self.bold > 0)
                continue
            if kind is tuple:
                end_handlers[node[0]](self, node)
                continue
            if kind is not Tag and kind is not BeautifulSoup:
                continue  # comments, doctype, script and style strings
            name = node.name
            if name in SKIP_TAGS:
                continue
            if name in HEAD_TAGS:
                self._read_head_tag(node, name)
                continue
            if (
                name not in NEVER_DROP
                and furniture
                and is_candidate(node.attrs, name)
                and self._droppable(node)
            ):
                self._drop(node)
                continue
            if self.suppress:
                self._enter_suppressed(node, name)
                continue
            if name not in _BLOCKS or (self.heading_depth and name not in HEADINGS):
                handler = inline_handlers.get(name)
            else:
                if pieces:
                    self._flush()
                handler = block_handlers.get(name, open_block)
            if handler is None or handler(self, node):
                stack.extend(reversed(node.contents))
        if pieces:
            self._flush()
        sinks = self.sinks
        while len(sinks) > 1:  # unbalanced only if the walk was cut short
            sinks[-2].extend(sinks.pop())
        return sinks[0], self.title, self.canonical or self.og_url

    def _flush(self) -> None:
        """Turn the inline text gathered since the last block boundary into a block."""
        pieces = self.pieces
        if not pieces:
            return
        if BOUNDARY in pieces:
            _resolve_boundaries(pieces)
        raw = "".join(pieces)
        flags = self.bold_flags[:]
        parts = pieces[:]
        pieces.clear()
        self.bold_flags.clear()
        text = " ".join(raw.split())
        if not text:
            return
        kind, level = self.contexts[-1]
        sink = self.sinks[-1]
        if kind != "heading" and any(flags):
            block = _bold_block(parts, flags, kind)
            if block is not None:
                sink.append(block)
                return
        sink.append((kind, text, level, None))

    # ------------------------------------------------------------------ dropped elements

    def _drop(self, tag: Tag) -> None:
        """Drop a furniture element; a menu holding the page's h1 is walked for the h1 alone."""
        self.dropped += 1
        if self._on_h1_path(tag):
            if self.pieces:
                self._flush()
            self.suppress += 1
            self.stack.append(("suppress",))
            self.stack.extend(reversed(tag.contents))

    def _enter_suppressed(self, tag: Tag, name: str) -> None:
        """Inside dropped furniture: read only the h1 (and enter the elements that lead to it)."""
        if name == "h1":
            self.stack.append(("restore", self.suppress))
            self.suppress = 0
            self.stack.append(("block", "heading"))
            self.contexts.append(("heading", 1))
            self.heading_depth += 1
            self.stack.extend(reversed(tag.contents))
        elif self._on_h1_path(tag):
            self.stack.extend(reversed(tag.contents))

    # ------------------------------------------------------------------ inline elements
    # Each returns whether the walk enters the element's children.

    def _mark_boundary(self) -> None:
        """Note where an inline element starts right after text, with no space between.

        Sites set label and value apart by style alone (``<span>Termín realizace</span>
        <span>1. 9. 2019</span>`` with no white space between the tags); ``_flush`` decides
        what the boundary reads as (see ``_joined``).
        """
        pieces = self.pieces
        # Nested elements ("<a><span>…") open at one place: one marker is enough.
        if pieces and pieces[-1][-1:] not in _SPACE_OR_EMPTY and pieces[-1] is not BOUNDARY:
            pieces.append(BOUNDARY)
            self.bold_flags.append(self.bold > 0)

    def _open_bold(self, _tag: Tag) -> bool:
        """<b>, <strong>: text inside may be a label."""
        self._mark_boundary()
        self.bold += 1
        self.stack.append(("bold",))
        return True

    def _open_span(self, tag: Tag) -> bool:
        """<span class="label"> marks a label as <b> does."""
        if self.is_label(tag.attrs):
            return self._open_bold(tag)
        self._mark_boundary()
        return True

    def _open_inline(self, _tag: Tag) -> bool:
        """<a>, <em>, <time>, <label> …: entered; a boundary before it is noted."""
        self._mark_boundary()
        return True

    def _line_break(self, _tag: Tag) -> bool:
        """<br>: a space inside a heading, else the end of a block."""
        if self.heading_depth:
            self.pieces.append(" ")
            self.bold_flags.append(False)
        elif self.pieces:
            self._flush()
        return False

    def _ignore(self, _tag: Tag) -> bool:
        """<img>, <wbr>, <hr>: nothing to read."""
        return False

    # ------------------------------------------------------------------ block elements

    def _open_heading(self, tag: Tag) -> bool:
        """<h1>-<h6>: a heading block of its level."""
        self.contexts.append(("heading", HEADINGS[tag.name]))
        self.heading_depth += 1
        self.stack.append(("block", "heading"))
        return True

    def _open_item(self, _tag: Tag) -> bool:
        """<li>: an item block at the current list depth."""
        self.contexts.append(("item", max(1, self.list_depth)))
        self.stack.append(("block", "li"))
        return True

    def _open_list(self, _tag: Tag) -> bool:
        """<ul>, <ol>, <dir>: one list level deeper."""
        self.list_depth += 1
        self.stack.append(("list",))
        return True

    def _open_row(self, _tag: Tag) -> bool:
        """<tr>: gather its cells."""
        self.rows.append([])
        self.stack.append(("row",))
        return True

    def _open_cell(self, _tag: Tag) -> bool:
        """<td>, <th>: the cell's blocks go to a sink of their own."""
        self.sinks.append([])
        self.contexts.append(("paragraph", 0))
        self.stack.append(("cell",))
        return True

    def _open_definitions(self, _tag: Tag) -> bool:
        """<dl>: terms wait for their definitions."""
        self.definitions.append([None])
        self.stack.append(("dl",))
        return True

    def _open_term(self, tag: Tag) -> bool:
        """<dt>, <dd>: a term's or a definition's blocks go to a sink of their own."""
        self.sinks.append([])
        self.contexts.append(("paragraph", 0))
        self.stack.append((tag.name,))
        return True

    def _open_pre(self, _tag: Tag) -> bool:
        """<pre> and the like: its line breaks end blocks."""
        self._open_context()
        self.pre_depth += 1
        self.stack.append(("block", "pre"))
        return True

    def _open_block(self, _tag: Tag) -> bool:
        """Any other block element (<p>, <div> …)."""
        self._open_context()
        self.stack.append(("block", "other"))
        return True

    def _open_context(self) -> None:
        """A paragraph context; inside a list item it stays an item (<li><p>…</p></li>)."""
        top = self.contexts[-1]
        self.contexts.append(top if top[0] == "item" else ("paragraph", 0))

    # ------------------------------------------------------------------ end markers

    def _end_bold(self, _marker: _Marker) -> None:
        """The end of <b>, <strong> or a label span."""
        self.bold -= 1

    def _end_suppress(self, _marker: _Marker) -> None:
        """The end of a dropped element walked for its h1."""
        self.suppress -= 1

    def _end_restore(self, marker: _Marker) -> None:
        """The end of the h1 inside dropped furniture: suppress again what follows."""
        if self.pieces:
            self._flush()
        self.suppress = marker[1]

    def _end_block(self, marker: _Marker) -> None:
        """The end of a heading, item, pre or other block."""
        if self.pieces:
            self._flush()
        self.contexts.pop()
        if marker[1] == "heading":
            self.heading_depth -= 1
        elif marker[1] == "pre":
            self.pre_depth -= 1

    def _end_list(self, _marker: _Marker) -> None:
        """The end of a list."""
        if self.pieces:
            self._flush()
        self.list_depth -= 1

    def _end_row(self, _marker: _Marker) -> None:
        """The end of a table row: emit it."""
        if self.pieces:
            self._flush()
        _emit_row(self.rows.pop(), self.sinks[-1])

    def _end_cell(self, _marker: _Marker) -> None:
        """The end of a table cell: it joins its row (or its blocks, outside any row)."""
        if self.pieces:
            self._flush()
        self.contexts.pop()
        cell = self.sinks.pop()
        if self.rows:
            self.rows[-1].append(cell)
        else:
            self.sinks[-1].extend(cell)

    def _end_term(self, _marker: _Marker) -> None:
        """The end of a <dt>: it waits for its definition (a term before it had none)."""
        if self.pieces:
            self._flush()
        self.contexts.pop()
        term = self.sinks.pop()
        definitions = self.definitions
        if definitions:
            pending = definitions[-1][0]
            if pending:
                self.sinks[-1].extend(_as_heading(pending))
            definitions[-1][0] = term
        else:
            self.sinks[-1].extend(_as_heading(term))

    def _end_definition(self, _marker: _Marker) -> None:
        """The end of a <dd>: a pair with its term, or its blocks."""
        if self.pieces:
            self._flush()
        self.contexts.pop()
        value = self.sinks.pop()
        definitions = self.definitions
        label_blocks = definitions[-1][0] if definitions else None
        if definitions:
            definitions[-1][0] = None
        if label_blocks:
            _emit_labelled(label_blocks, value, self.sinks[-1])
        else:
            self.sinks[-1].extend(value)

    def _end_definitions(self, _marker: _Marker) -> None:
        """The end of a <dl>: a last term without a definition becomes a heading."""
        if self.pieces:
            self._flush()
        pending = self.definitions.pop()[0]
        if pending:
            self.sinks[-1].extend(_as_heading(pending))


# The boundary marker: one string object, told apart by identity (``is``), never by value.
BOUNDARY = "\u2063"
# Raw characters before a boundary beyond which the text is no label: a label holds at
# most MAX_LABEL characters once its white space is folded.
_LABEL_REACH = 8 * MAX_LABEL
_SPACE_OR_EMPTY = frozenset(("", " ", "\t", "\n", "\r", "\u00a0"))
# Inline elements that a site's style may set apart from their neighbours (not <sup>,
# <sub>: "m<sup>2</sup>" is one word).
_SETTABLE_INLINE = ("a", "em", "i", "u", "label", "time", "font", "small", "abbr", "cite", "mark", "data")

# Handlers by tag name. An inline element not listed is entered; a block element not
# listed opens a paragraph (``Walker._open_block``).
_Handler = Callable[[Walker, Tag], bool]
_INLINE_HANDLERS: dict[str, _Handler] = {
    "b": Walker._open_bold,
    "strong": Walker._open_bold,
    "span": Walker._open_span,
    **dict.fromkeys(_SETTABLE_INLINE, Walker._open_inline),
    "br": Walker._line_break,
    "img": Walker._ignore,
    "wbr": Walker._ignore,
}
_BLOCK_HANDLERS: dict[str, _Handler] = {
    **dict.fromkeys(HEADINGS, Walker._open_heading),
    "li": Walker._open_item,
    **dict.fromkeys(("ul", "ol", "dir"), Walker._open_list),
    "tr": Walker._open_row,
    "td": Walker._open_cell,
    "th": Walker._open_cell,
    "dl": Walker._open_definitions,
    "dt": Walker._open_term,
    "dd": Walker._open_term,
    "hr": Walker._ignore,
    **dict.fromkeys(("pre", "listing", "xmp", "plaintext"), Walker._open_pre),
}
# End markers by name (see ``_Marker``).
_END_HANDLERS: dict[str, Callable[[Walker, _Marker], None]] = {
    "bold": Walker._end_bold,
    "suppress": Walker._end_suppress,
    "restore": Walker._end_restore,
    "block": Walker._end_block,
    "list": Walker._end_list,
    "row": Walker._end_row,
    "cell": Walker._end_cell,
    "dt": Walker._end_term,
    "dd": Walker._end_definition,
    "dl": Walker._end_definitions,
}


def _resolve_boundaries(pieces: list[str]) -> None:
    """Replace each boundary marker by what the text on its two sides needs (in place).

    One pass over the pieces: the text before a marker is kept as its length and last
    character, and joined for the label test only while it is short enough to be one (a
    line of thousands of glued links stays linear).
    """
    count = len(pieces)
    length = 0
    last = ""
    for index, piece in enumerate(pieces):
        if piece is BOUNDARY:
            following = index + 1
            while following < count and (not pieces[following] or pieces[following] is BOUNDARY):
                following += 1
            first = pieces[following][:1] if following < count else ""
            label = " ".join("".join(pieces[:index]).split()) if length <= _LABEL_REACH else None
            piece = pieces[index] = _separator(last, first, label)
        if piece:
            length += len(piece)
            last = piece[-1]


def _joined(before: str, after: str) -> str:
    """What separates the text of two inline elements printed with no space between.

    A known label before a value reads as a pair ("Termín realizace" + "1. 9. 2019");
    a word before a number, a number before a word, a lower-case letter before a capital
    and a colon before anything are two words that style alone kept apart; anything else
    (a word split by markup, "<b>P</b>rojekt") is joined as printed.

    >>> _joined("Termín realizace", "1. 9. 2019"), _joined("Obec", "Lhota"), _joined("Pro", "jekt")
    (': ', ' ', '')
    >>> _joined("1 234 567", "Kč"), _joined("Lhota", "Dlouhá 5")
    (' ', ' ')
    """
    label = " ".join(before.split()) if len(before) <= _LABEL_REACH else None
    return _separator(before[-1:], after[:1], label)


def _separator(last: str, first: str, label: str | None) -> str:
    """The separator between a text ending in ``last`` and one starting with ``first``
    (``label``: the text before, white space folded, when it is short enough to be a label)."""
    if not last or not first or first.isspace():
        return ""
    if label is not None and len(label) <= MAX_LABEL and not label.endswith(":") and label_key(label) is not None:
        return ": "
    if (
        last == ":"
        or (last.isalpha() and first.isdigit())
        or (last.isdigit() and first.isalpha())
        or (last.islower() and first.isupper())
    ):
        return " "
    return ""


def _bold_block(parts: list[str], flags: list[bool], kind: BlockKind) -> Pending | None:
    """A pair from ``<b>Label:</b> value`` or an inferred heading from an all-bold line."""
    count = len(parts)
    start = 0
    while start < count and not flags[start] and not parts[start].strip():
        start += 1
    end = start
    while end < count and flags[end]:
        end += 1
    if end == start:
        return None
    label = " ".join("".join(parts[start:end]).split())
    rest = " ".join("".join(parts[end:]).split())
    if not label:
        return None
    if not rest:
        if kind == "paragraph" and len(label) <= MAX_INFERRED_HEADING and not label.endswith("."):
            return ("heading", label, 0, None)
        return None
    if len(label) > MAX_LABEL:
        return None
    if label.endswith(":"):
        return ("pair", rest, 0, label)
    if rest.startswith(":"):
        return ("pair", rest[1:].strip(), 0, label)
    # "<b>Příjemce</b> Obec Lhota": a known label needs no colon when the markup sets it
    # apart, unless the line goes on as a sentence ("<b>Cíl projektu</b> je …").
    if not rest[:1].islower() and label_key(label) is not None:
        return ("pair", rest, 0, label)
    return None


def _cell_text(cell: list[Pending]) -> str:
    """The text of a simple table cell (its blocks joined by spaces)."""
    return " ".join(pending_text(block) for block in cell)


def _is_structural(cell: list[Pending]) -> bool:
    """True when a cell holds page structure (lists, pairs, nested rows, real headings)."""
    if len(cell) > _MAX_SIMPLE_CELL_BLOCKS:
        return True
    return any(
        kind in ("pair", "row", "item") or (kind == "heading" and level > 0)
        for kind, _text, level, _label in cell
    )


def _is_label_cell(cell: list[Pending]) -> bool:
    """A one-line cell short enough to be the label of the next cell."""
    if len(cell) != 1:
        return False
    kind, text, level, _label = cell[0]
    return kind in ("paragraph", "heading") and level == 0 and len(text) <= MAX_LABEL


def _as_heading(blocks: list[Pending]) -> list[Pending]:
    """A definition term without a value: one line becomes an inferred heading."""
    if _is_label_cell(blocks):
        return [("heading", blocks[0][1], 0, None)]
    return blocks


def _emit_labelled(label: list[Pending], value: list[Pending], sink: list[Pending]) -> None:
    """Emit a label cell and its value cell: a pair, or a heading over the value's blocks."""
    if _is_label_cell(label):
        text = label[0][1]
        if len(value) == 1 and value[0][0] in ("paragraph", "heading"):
            sink.append(("pair", value[0][1], 0, text))
            return
        sink.append(("heading", text, 0, None))
        sink.extend(value)
        return
    sink.extend(label)
    sink.extend(value)


def _emit_row(cells: list[list[Pending]], sink: list[Pending]) -> None:
    """Turn one table row into a pair, a ``a | b | c`` row, or (layout tables) its blocks."""
    cells = [cell for cell in cells if cell]
    if not cells:
        return
    if len(cells) == 2 and _is_label_cell(cells[0]):
        _emit_labelled(cells[0], cells[1], sink)
        return
    if len(cells) == 1 or any(_is_structural(cell) for cell in cells):
        for cell in cells:
            sink.extend(cell)
        return
    sink.append(("row", " | ".join(_cell_text(cell) for cell in cells), 0, None))

