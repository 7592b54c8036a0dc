"""Pending blocks to a Document: the last step of cleaning, shared by HTML pages and text dumps.

The HTML walk (walk.py) and the text-dump reader (text.py) both produce pending blocks
(kind, text, level, label); here furniture lines are dropped, white space folded, and
the rest handed to a DocumentBuilder, which lays out the cleaned text and its offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pipeline.clean.document import BlockKind, Cleaning, Document, DocumentBuilder
from pipeline.clean.furniture import furniture_markers, is_boilerplate
from pipeline.ingest.load import LoadedPage, remove_unsafe_characters

__all__ = ["MAX_INFERRED_HEADING", "MAX_LABEL", "Pending", "build_document", "pending_text"]

# One pending block: kind, text (the value for pairs), level, label (pairs only).
Pending = tuple[BlockKind, str, int, "str | None"]

# A label cell or bold label is short; a bold line longer than this is emphasis, not a heading.
MAX_LABEL = 80
MAX_INFERRED_HEADING = 120


def pending_text(block: Pending) -> str:
    """A pending block's text as it will be rendered."""
    kind, text, _level, label = block
    if kind == "pair" and label is not None:
        return f"{label} {text}" if label.endswith(":") else f"{label}: {text}"
    return text


def build_document(
    blocks: Iterable[Pending],
    page: LoadedPage,
    page_title: str | None,
    url: str | None,
    warnings: list[str],
    *,
    gated: bool = True,
    odd_space: bool = True,
    cleaning: Cleaning | None = None,
) -> Document:
    """Drop furniture lines and feed the blocks to a DocumentBuilder.

    What a caller knows of the whole page spares per-block work: ``gated=False`` when no
    block can say the furniture gate word, ``odd_space=False`` when the blocks hold no
    white space but single spaces (a block without a double space is then folded).
    """
    pending = list(blocks)
    document = _build_once(pending, page, page_title, url, warnings, gated, odd_space, cleaning)
    if page.format == "text" or not any(
        remove_unsafe_characters(part)[1] for part in (document.text, page_title or "", url or "")
    ):
        return document
    # HTML entities (&#x202e;, &#27;) bring in what decoding removed from the bytes: an
    # HTML page is built again from cleaned block texts (rare: one scan on the others).
    cleaned = [
        (kind, remove_unsafe_characters(text)[0], level,
         None if label is None else remove_unsafe_characters(label)[0])
        for kind, text, level, label in pending
    ]
    title = None if page_title is None else remove_unsafe_characters(page_title)[0] or None
    safe_url = None if url is None else remove_unsafe_characters(url)[0] or None
    return _build_once(cleaned, page, title, safe_url, warnings, gated, odd_space, cleaning)


def _build_once(
    blocks: Iterable[Pending],
    page: LoadedPage,
    page_title: str | None,
    url: str | None,
    warnings: list[str],
    gated: bool,
    odd_space: bool,
    cleaning: Cleaning | None,
) -> Document:
    """``build_document`` without the final check for unsafe characters."""
    furniture = furniture_markers()
    builder = DocumentBuilder()
    for kind, text, level, label in blocks:
        if kind == "pair" and label is not None:
            if is_boilerplate(f"{label} {text}", furniture, gated):
                continue
            builder.add_pair(label, text)
        else:
            folded = " ".join(text.split()) if odd_space or "  " in text else text
            if not folded or is_boilerplate(folded, furniture, gated):
                continue
            builder.add_folded(kind, folded, level)
    fmt: Literal["html", "text"] = page.format
    return builder.build(fmt, page.encoding, page_title, url, tuple(warnings), cleaning)
