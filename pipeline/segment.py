"""Group blocks into sections keyed by the record field their heading or label introduces.

A section is a label (heading, ``Label: value`` pair, label line, or a line ending with a
colon that introduces a list) and the blocks that belong to it. Pairs are sections of
their own; other sections run until a heading at the same or a higher level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.document import Block, Document
from pipeline.vocab import fold_label, label_key, load_data, starts_like_label

__all__ = ["Section", "classify_label", "segment"]

# Level given to labels that are not HTML headings (text-dump label lines, pairs, colon
# lines): deeper than any h1-h6, so an HTML heading's section keeps its bold sub-headings.
_LINE_LEVEL = 7
# A real label or list intro is short; longer lines ending with a colon are prose.
_MAX_LABEL_CHARS = 120
# Sections longer than this are page furniture, not a field's value.
_MAX_BODY_BLOCKS = 80

_PARENTHESES = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Section:
    """A label and its body; ``key`` is the field it introduces (None: unknown or stop)."""

    key: str | None
    label: Block
    body: tuple[Block, ...]
    level: int

    @property
    def is_pair(self) -> bool:
        """True when the section is one ``Label: value`` block."""
        return self.label.kind == "pair"


@cache
def _keyword_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled keyword rules from heading_keywords.json, in order."""
    rules = load_data("heading_keywords.json")["rules"]
    return tuple((re.compile(pattern), key) for pattern, key in rules)


def classify_label(text: str) -> str | None:
    """The field key of a heading or label: exact synonym first, then keyword rules.

    >>> classify_label("Cíl projektu (záměr):")
    'main_goal'
    >>> classify_label("V projektu bylo vytyčeno a splněno 6 klíčových aktivit:")
    'activities'
    >>> classify_label("Kontakt")
    'stop'
    """
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


_WORD = re.compile(r"\S+")
_FUSED = re.compile(r"[a-záčďéěíňóřšťúůýž][A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]")
# Fields whose value is a number, date, amount or name: their label may run straight into
# the value without a colon ("Termín realizace projektu 10/2011 - 8/2015"). Text fields
# need a colon, or prose that opens with "Účel projektu …" would become a label.
_TYPED_KEYS = frozenset(
    {"registration_number", "period", "period_start", "period_end", "subsidy", "total_cost", "priority_axis"}
)
# Labels are at most this many words ("datum ukončení fyzické realizace projektu").
_MAX_LABEL_WORDS = 7


def leading_label(text: str) -> tuple[str, int, int] | None:
    """A known label that starts a line, as (key, label end, value start).

    One-word labels count only with a colon ("Dotace: …"), so that prose starting with
    "Projekt …" or "Program …" is not read as a label.

    >>> leading_label("Termín realizace projektu 10/2011 - 8/2015.")
    ('period', 25, 26)
    >>> leading_label("Projekt byl podpořen z OPZ.") is None
    True
    """
    if not starts_like_label(text) and not _FUSED.search(text[:40]):
        return None
    words = [m for _, m in zip(range(_MAX_LABEL_WORDS + 1), _WORD.finditer(text))]
    # A table dumped without separators fuses label and value: "Název projektuCentrum …".
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


def _opening(document: Document, block: Block, next_block: Block | None) -> tuple[str | None, int] | None:
    """If the block opens a section, its key and level; None when it is body text."""
    text = document.slice(block)
    if block.kind == "heading":
        level = block.level if block.level > 0 else _LINE_LEVEL
        return classify_label(text), level
    if block.kind in ("paragraph", "item") and len(text) <= _MAX_LABEL_CHARS:
        key = label_key(text)
        if key is not None and block.kind == "paragraph":
            return key, _LINE_LEVEL
        intro = next_block is not None and next_block.kind == "item" and block.kind == "paragraph"
        if text.endswith(":") or intro:
            key = classify_label(text if text.endswith(":") else text + ":")
            if key is not None or text.endswith(":"):
                return key, _LINE_LEVEL
    return None


def _inline_pair(document: Document, block: Block) -> Section | None:
    """A paragraph or item that starts with a known label: a pair section of its own."""
    if block.kind not in ("paragraph", "item", "heading"):
        return None
    found = leading_label(document.slice(block))
    if found is None:
        return None
    key, label_end, value_start = found
    value = Block("paragraph", block.start + value_start, block.end)
    label = Block("pair", block.start, block.end, 0, block.start + label_end, block.start + value_start)
    return Section(key, label, (value,), _LINE_LEVEL)


def segment(document: Document) -> tuple[Section, ...]:
    """Split a document into sections; blocks before the first label belong to none."""
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
            sections.append(Section(classify_label(label), block, (value,), _LINE_LEVEL))
            continue
        next_block = blocks[index + 1] if index + 1 < len(blocks) else None
        opening = _opening(document, block, next_block)
        if opening is None:
            inline = _inline_pair(document, block)
            if inline is not None:
                if current is not None and current[2] >= _LINE_LEVEL:
                    close()  # a new label line ends a text-dump section
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
