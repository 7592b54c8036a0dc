"""The cleaned page: one text string and the structural blocks that tile it.

Every offset the pipeline reports (evidence, sections) indexes ``Document.text``, which
``python -m pipeline show PAGE`` prints. Blocks are separated by one newline; a block
never contains a newline itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

__all__ = ["Block", "BlockKind", "Cleaning", "Document", "DocumentBuilder", "Span"]

BlockKind = Literal["heading", "paragraph", "item", "row", "pair"]
# How an HTML page was cleaned: "full", or "fallback" when the full cleaning would have
# lost the page's content and the page was cleaned again keeping its furniture.
Cleaning = Literal["full", "fallback"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` in ``Document.text``."""

    start: int
    end: int


class Block(NamedTuple):
    """One structural unit of the page: heading, paragraph, list item, table row or pair.

    For ``pair`` blocks (label/value read from the DOM or a ``Label: value`` line) the
    label is ``text[start:label_end]`` and the value ``text[value_start:end]``.
    ``level`` is the heading level (1-6 from HTML, 0 when inferred from a text line) or
    the list nesting depth for items.

    A named tuple rather than a frozen dataclass: pages build a dozen or more blocks each,
    and a frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) costs
    more than twice as much. Fields, immutability, equality, hash and repr are the same.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    label_end: int | None = None
    value_start: int | None = None

    @property
    def value_span(self) -> Span:
        """The value of a pair, or the whole block for other kinds."""
        if self.value_start is None:
            return Span(self.start, self.end)
        return Span(self.value_start, self.end)

    @property
    def label_span(self) -> Span | None:
        """The label of a pair, else None."""
        if self.label_end is None:
            return None
        return Span(self.start, self.label_end)


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned page: the text, its blocks, and what the loader learned about it."""

    text: str
    blocks: tuple[Block, ...]
    format: Literal["html", "text"]
    encoding: str
    page_title: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()
    cleaning: Cleaning | None = None  # None for text pages

    def slice(self, span: Span | Block) -> str:
        """The text of a span or block."""
        return self.text[span.start : span.end]

    def label(self, block: Block) -> str | None:
        """The label text of a pair block."""
        span = block.label_span
        return None if span is None else self.text[span.start : span.end]

    def value(self, block: Block) -> str:
        """The value text of a pair block (the whole text for other kinds)."""
        return self.slice(block.value_span)


@dataclass
class DocumentBuilder:
    """Accumulates blocks and their text, keeping offsets exact."""

    _parts: list[str] = field(default_factory=list)
    _blocks: list[Block] = field(default_factory=list)
    _length: int = 0

    def _append(self, text: str) -> int:
        """Append one block's text (after a newline separator) and return its start."""
        if self._parts:
            self._parts.append("\n")
            self._length += 1
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        return start

    def add(self, kind: BlockKind, text: str, level: int = 0) -> Block | None:
        """Add a heading, paragraph, item or row; empty text adds nothing."""
        return self.add_folded(kind, _one_line(text), level)

    def add_folded(self, kind: BlockKind, text: str, level: int = 0) -> Block | None:
        """``add`` for text already folded to one line (``" ".join(text.split())``)."""
        if not text:
            return None
        # ``_append`` inlined: this runs once per block of every page.
        parts = self._parts
        if parts:
            parts.append("\n")
            self._length += 1
        start = self._length
        parts.append(text)
        self._length = end = start + len(text)
        block = Block(kind, start, end, level)
        self._blocks.append(block)
        return block

    def add_pair(self, label: str, value: str) -> Block | None:
        """Add a label/value pair rendered as ``label: value`` (no colon doubled)."""
        label = _one_line(label).rstrip()
        value = _one_line(value)
        if not label:
            return self.add("paragraph", value)
        if not value:
            return self.add("heading", label)
        sep = " " if label.endswith(":") else ": "
        start = self._append(label + sep + value)
        label_end = start + len(label)
        value_start = label_end + len(sep)
        block = Block("pair", start, value_start + len(value), 0, label_end, value_start)
        self._blocks.append(block)
        return block

    def build(
        self,
        format: Literal["html", "text"],
        encoding: str,
        page_title: str | None = None,
        url: str | None = None,
        warnings: tuple[str, ...] = (),
        cleaning: Cleaning | None = None,
    ) -> Document:
        """Freeze the accumulated blocks into a Document."""
        return Document(
            "".join(self._parts), tuple(self._blocks), format, encoding, page_title, url, warnings, cleaning
        )


def _one_line(text: str) -> str:
    """Fold all white space (newlines, NBSP kept as space) into single spaces."""
    return " ".join(text.split())
