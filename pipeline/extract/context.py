"""What every field extractor reads: the document, its sections and the spaCy matches."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

from spacy.tokens import Doc

from pipeline.clean.document import Block, Document
from pipeline.clean.segment import Section
from pipeline.extract.nlp import EntityMatches
from pipeline.normalise.textutil import sentence_end
from pipeline.records import Evidence, EvidenceMethod

__all__ = ["Context", "Found", "evidence"]

T = TypeVar("T")

# Longest evidence text kept in a record; offsets still cover the whole span.
_MAX_EVIDENCE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """An extracted value with the evidence it was read from."""

    value: T
    evidence: Evidence


def evidence(
    document: Document, start: int, end: int, method: EvidenceMethod,
    items: list[tuple[int, int]] | None = None,
) -> Evidence:
    """Evidence for ``document.text[start:end]``."""
    text = document.text[start:end]
    if len(text) > _MAX_EVIDENCE_CHARS:
        text = text[:_MAX_EVIDENCE_CHARS] + "…"
    return Evidence(text=text, start=start, end=end, method=method, items=items)


@dataclass
class Context:
    """One page under extraction."""

    document: Document
    sections: tuple[Section, ...]
    doc: Doc
    _by_key: dict[str, list[Section]] = field(default_factory=dict)
    _sentence_ends: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for section in self.sections:
            if section.key is not None:
                self._by_key.setdefault(section.key, []).append(section)

    @property
    def text(self) -> str:
        """The cleaned text."""
        return self.document.text

    @cached_property
    def entities(self) -> EntityMatches:
        """Normaliser matches over the whole text (``doc._`` builds an object per access)."""
        found: EntityMatches = self.doc._.eu
        return found

    @cached_property
    def amount_starts(self) -> list[int] | None:
        """Start offsets of the amounts, for bisection; None if they are not in order."""
        starts = [m.start for m in self.entities.amounts]
        return starts if starts == sorted(starts) else None

    def sections_for(self, key: str) -> list[Section]:
        """Sections introduced by a label of this field, in page order."""
        return self._by_key.get(key, [])

    def cues(self, label: str) -> Iterator[tuple[int, int, str]]:
        """Cue spans of a label as (start, end, pattern id); of cues starting together, the longest."""
        return iter(self._cues.get(label, ()))

    @cached_property
    def _cues(self) -> dict[str, list[tuple[int, int, str]]]:
        """Cue-ruler matches by label, overlapping ones at one start reduced to the longest."""
        longest: dict[tuple[str, int], tuple[int, int, str]] = {}
        for label, start, end, id_ in self.doc._.cues:
            key = (label, start)
            kept = longest.get(key)
            if kept is None or end > kept[1]:
                longest[key] = (start, end, id_)
        # ``doc._.cues`` is ordered by start, so the keys were first inserted in start
        # order (a replaced value keeps its key's place): no sort is needed.
        by_label: dict[str, list[tuple[int, int, str]]] = {}
        for (label, _), cue in longest.items():
            by_label.setdefault(label, []).append(cue)
        return by_label

    def block_at(self, offset: int) -> Block | None:
        """The block containing a character offset."""
        lo, hi = 0, len(self.document.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            block = self.document.blocks[mid]
            if block.end < offset:
                lo = mid + 1
            elif block.start > offset:
                hi = mid
            else:
                return block
        return None

    @cached_property
    def field_label_starts(self) -> frozenset[int]:
        """Start offsets of blocks that label a known field (not unknown or stop labels)."""
        return frozenset(
            s.label.start for s in self.sections if s.key is not None and s.key != "stop"
        )

    def sentence_span(self, offset: int) -> tuple[int, int]:
        """Start and end of the sentence around an offset, within its block."""
        block = self.block_at(offset)
        if block is None:
            return offset, offset
        ends = self._sentence_ends.get(block.start)
        if ends is None:
            ends = []
            text = self.text[block.start : block.end]
            position = 0
            while position < len(text):
                end = sentence_end(text, position)
                ends.append(block.start + end)
                position = max(end + 1, position + 1)
            self._sentence_ends[block.start] = ends
        index = bisect.bisect_left(ends, offset)
        start = block.start if index == 0 else ends[index - 1] + 1
        end = ends[index] if index < len(ends) else block.end
        return start, max(end, offset)

    def section_at(self, offset: int) -> Section | None:
        """The innermost keyed section whose body contains an offset."""
        for section in self._section_spans:
            start, end, sec = section
            if start <= offset < end:
                return sec
        return None

    @cached_property
    def _section_spans(self) -> list[tuple[int, int, Section]]:
        """Body ranges of sections, for section_at."""
        spans = []
        for sec in self.sections:
            if sec.body:
                spans.append((sec.body[0].start, sec.body[-1].end, sec))
        return spans

    def words_before(self, offset: int, chars: int = 80) -> str:
        """Folded text of the same block before an offset (at most ``chars``)."""
        block = self.block_at(offset)
        start = max(block.start if block else 0, offset - chars)
        return self.text[start:offset].casefold()


WORD = re.compile(r"\w+")
