"""Pages that describe several projects: which blocks belong to which project.

Schools, towns and charities often list all their EU projects on one page, each with its
own name, registration number, period and amount. Such a page is split into one part per
project; the blocks before the first project (the page heading, "the school carries out
these projects") belong to every part. A page that names other projects only in passing
("navazuje na projekt …", a list of links) stays one project.

A project is anchored by its registration number printed as a fact of its own (a labelled
value, or a short line), or, on pages without numbers, by repeated "Název projektu" labels.
Each anchored part must state at least one more fact of its own (a period, an amount, a
beneficiary, a goal, activities): a bare list of numbers is not several project pages.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.clean.document import Block, Document
from pipeline.clean.segment import Section
from pipeline.normalise.regnum import find_registration_numbers
from pipeline.vocab import load_data

__all__ = ["ProjectPart", "find_projects", "project_document"]

_RULES = load_data("projects.json")
# Section keys that state a fact of one project (the anchor's own key aside).
_FACT_KEYS: frozenset[str] = frozenset(_RULES["fact_keys"])
# A registration number in a block this short is a fact of its own, not a mention in prose.
_SHORT_BLOCK: int = _RULES["short_block_chars"]
# How far before its anchor a project's heading or name line may stand.
_HEADER_REACH: int = _RULES["header_reach_blocks"]
# A header line (a project's name above its number) is no longer than this.
_HEADER_CHARS: int = _RULES["header_chars"]


# How a paragraph opens that states one project's goal ("Cílem projektu je …").
_GOAL_OPENINGS: tuple[str, ...] = tuple(w.casefold() for w in _RULES["goal_openings"])
# "5.1a - Úsporná škola", "2.3 – Nová učebna": a dotted code, a dash and a name on a line
# of its own. The code's shape (less its own digits) must repeat for the lines to be parts.
_CODED_HEADER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)([a-z]?)\s+[-–]\s+\S")


# "Label: value" on one line: up to six words, a colon, then the value.
_LABEL_LINE = re.compile(r"^\w[\w.()/-]*(?: [\w.()/-]+){0,5}:\s*\S")


@dataclass(frozen=True, slots=True)
class ProjectPart:
    """One project of a page: its blocks ``[first, end)``; blocks before ``shared_end`` are the whole page's."""

    first: int
    end: int
    shared_end: int
    # Blocks from here to the page's end are the whole page's too (facts stated once after
    # the last project); the page's length when there are none.
    shared_tail: int | None = None


def _section_keys(sections: Sequence[Section]) -> dict[int, str]:
    """The field key of each block that opens a section, by block start."""
    return {s.label.start: s.key for s in sections if s.key is not None}


def _block_index(blocks: Sequence[Block], offset: int) -> int | None:
    """Index of the block holding ``offset``."""
    starts = [b.start for b in blocks]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and blocks[index].start <= offset < blocks[index].end:
        return index
    return None


def _regnum_anchors(document: Document, keys: dict[int, str]) -> list[int]:
    """Blocks that state a registration number as a fact, first block per distinct number.

    Labelled numbers win: where two or more are labelled, a number on a short line of its
    own ("Další projekty: CZ…") is a mention.
    """
    blocks = document.blocks
    anchors: list[int] = []
    labelled_anchors: list[int] = []
    seen: set[str] = set()
    for match in find_registration_numbers(document.text):
        index = _block_index(blocks, match.start)
        if index is None:
            continue
        block = blocks[index]
        labelled = keys.get(block.start) == "registration_number" or (
            index > 0 and keys.get(blocks[index - 1].start) == "registration_number"
        )
        if not labelled and block.end - block.start > _SHORT_BLOCK:
            continue  # a number inside prose: a mention, not a project of this page
        value = match.value.upper()
        if value in seen:
            continue
        seen.add(value)
        if not anchors or anchors[-1] != index:
            anchors.append(index)
            if labelled:
                labelled_anchors.append(index)
    return labelled_anchors if len(labelled_anchors) >= 2 else anchors


def _title_anchors(document: Document, sections: Sequence[Section]) -> list[int]:
    """Blocks that label a project's name ("Název projektu: …"), one per distinct name."""
    anchors: list[int] = []
    names: set[str] = set()
    starts = {b.start: i for i, b in enumerate(document.blocks)}
    for section in sections:
        if section.key != "title" or not section.body:
            continue
        name = " ".join(document.slice(section.body[0]).split()).casefold()
        index = starts.get(section.label.start)
        if index is None or not name or name in names:
            continue
        names.add(name)
        anchors.append(index)
    return anchors


def _is_header(document: Document, block: Block, keys: dict[int, str], labels: frozenset[int]) -> bool:
    """Whether a block can be a project's heading or name line standing above its facts."""
    if block.start in labels:
        return keys.get(block.start) == "title"  # a label line of another field is a fact
    if block.kind == "heading":
        return True
    text = document.slice(block).rstrip()
    if _LABEL_LINE.match(text):
        return False  # "Částka podpory: 1 100 000 Kč": a fact under a label the tables do not know
    return block.kind in ("paragraph", "item") and len(text) <= _HEADER_CHARS and not text.endswith(".")


def _starts(document: Document, anchors: list[int], keys: dict[int, str], labels: frozenset[int]) -> list[int]:
    """Where each anchored project begins: its anchor, or the header lines just above it."""
    blocks = document.blocks
    starts: list[int] = []
    for number, anchor in enumerate(anchors):
        floor = anchors[number - 1] + 1 if number else 0
        start = anchor
        while start > floor and anchor - start < _HEADER_REACH and _is_header(document, blocks[start - 1], keys, labels):
            start -= 1
        starts.append(start)
    return starts


def _states_facts(document: Document, first: int, end: int, anchor: int, keys: dict[int, str]) -> bool:
    """Whether blocks ``[first, end)`` state a project fact besides the anchor itself."""
    for index in range(first, end):
        key = keys.get(document.blocks[index].start)
        if index != anchor and key in _FACT_KEYS:
            return True
    return False


def find_projects(document: Document, sections: Sequence[Section]) -> tuple[ProjectPart, ...]:
    """The parts of a page that describes two or more projects; () for a page of one (or none)."""
    keys = _section_keys(sections)
    anchors = _regnum_anchors(document, keys)
    titles = _title_anchors(document, sections)
    # Name labels open each project where they pair up with the numbers (a card lists the
    # name first and the number after the period); without numbers they are the anchors.
    if len(titles) >= 2 and (len(anchors) < 2 or len(titles) == len(anchors)):
        anchors = titles
    labels = frozenset(s.label.start for s in sections)
    if len(anchors) < 2 and len(titles) < 2:
        coded = _coded_parts(document, keys)
        if coded:
            return coded
    # A part that states nothing but its number is a mention: it joins the part before it.
    while len(anchors) >= 2:
        starts = _starts(document, anchors, keys, labels)
        ends = [*starts[1:], len(document.blocks)]
        bare = [n for n, (first, end, anchor) in enumerate(zip(starts, ends, anchors))
                if not _states_facts(document, first, end, anchor, keys)]
        if not bare:
            return tuple(ProjectPart(first, end, starts[0]) for first, end in zip(starts, ends))
        if bare[0] == 0:
            return ()  # the first "project" has no facts: a list of numbers, not of projects
        del anchors[bare[0]]
    return ()


def _opens_with_goal(text: str) -> bool:
    """Whether a paragraph opens by stating a project's goal ("Cílem projektu je …")."""
    return text.lstrip()[:60].casefold().startswith(_GOAL_OPENINGS)


def _own_fact(document: Document, index: int, keys: dict[int, str]) -> str | None:
    """The fact block ``index`` states (a fact label's key, or 'main_goal' for a goal sentence)."""
    key = keys.get(document.blocks[index].start)
    if key in _FACT_KEYS:
        return key
    return "main_goal" if _opens_with_goal(document.slice(document.blocks[index])) else None


def _coded_parts(document: Document, keys: dict[int, str]) -> tuple[ProjectPart, ...]:
    """Projects without numbers or name labels: two or more coded header lines of one shape
    ("5.1a - Úsporná škola"), each with a fact of its own right below it. Facts after the
    last project's own ones that no earlier project states itself are the whole page's."""
    blocks = document.blocks
    headers: list[int] = []
    shapes: set[tuple[int, bool]] = set()
    codes: set[str] = set()
    for index, block in enumerate(blocks[:-1]):
        text = document.slice(block).strip()
        m = _CODED_HEADER.match(text)
        if m is None or block.kind not in ("paragraph", "heading") or len(text) > _HEADER_CHARS or text.endswith("."):
            continue
        if _own_fact(document, index + 1, keys) is None:
            continue
        shapes.add((m.group(1).count("."), bool(m.group(2))))
        codes.add(m.group(1) + m.group(2))
        headers.append(index)
    if len(headers) < 2 or len(shapes) != 1 or len(codes) != len(headers):
        return ()
    ends = [*headers[1:], len(blocks)]
    stated = {
        key for first, end in zip(headers[:-1], ends) for i in range(first + 1, end) if (key := _own_fact(document, i, keys))
    }
    # The last project's own blocks run to its last fact of a kind the others state too.
    last = headers[-1]
    tail = last + 2
    for index in range(last + 1, len(blocks)):
        if _own_fact(document, index, keys) in stated:
            tail = index + 1
    return tuple(ProjectPart(first, min(end, tail), headers[0], tail) for first, end in zip(headers, ends))


def project_document(document: Document, part: ProjectPart) -> Document:
    """The page as one project's reader sees it: other projects' blocks blanked out.

    The text keeps its length, so every offset (evidence, sections) still indexes the
    page's cleaned text; blanked blocks are dropped from the block list.
    """
    shared_tail = len(document.blocks) if part.shared_tail is None else part.shared_tail
    kept = [
        b
        for i, b in enumerate(document.blocks)
        if i < part.shared_end or part.first <= i < part.end or i >= shared_tail
    ]
    pieces: list[str] = []
    position = 0
    for block in kept:
        gap = document.text[position : block.start]
        pieces.append("".join("\n" if char == "\n" else " " for char in gap))
        pieces.append(document.text[block.start : block.end])
        position = block.end
    tail = document.text[position:]
    pieces.append("".join("\n" if char == "\n" else " " for char in tail))
    text = "".join(pieces)
    return Document(
        text, tuple(kept), document.format, document.encoding, document.page_title, document.url, document.warnings
    )
