"""Group blocks into sections keyed by the record field their heading or label introduces.

A section is a label (heading, ``Label: value`` pair, label line, or a line ending with a
colon that introduces a list) and the blocks that belong to it. Pairs are sections of
their own; other sections run until a heading at the same or a higher level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import islice

from pipeline.clean.document import Block, Document
from pipeline.vocab import fold_label, label_key, label_table, load_data, starts_like_label

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
    subject = fold_label(text if text.rstrip().endswith(":") else bare)
    for pattern, rule_key in _keyword_rules():
        if pattern.search(subject):
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


# What ``fold_label`` strips from the end of a label besides white space.
_TRAILING_MARKS = ":;./-–—"


@cache
def _label_last_words() -> frozenset[str]:
    """The last word of every folded label, and the words ``label_key`` may drop after one."""
    return frozenset(label.rsplit(" ", 1)[-1] for label in label_table()) | {"projektu", "projektů"}


def leading_label(text: str) -> tuple[str, int, int] | None:
    """A known label that starts a line, as (key, label end, value start).

    One-word labels count only with a colon ("Dotace: …"), so that prose starting with
    "Projekt …" or "Program …" is not read as a label.

    >>> leading_label("Termín realizace projektu 10/2011 - 8/2015.")
    ('period', 25, 26)
    >>> leading_label("Projekt byl podpořen z OPZ.") is None
    True
    """
    # A fused pair needs a capital after the first character: a line whose first 40
    # characters have none (``islower``) cannot hold one, and is not searched.
    if not starts_like_label(text) and (text[1:40].islower() or not _FUSED.search(text, 0, 40)):
        return None
    # The first words as strings (the last item is the rest of the line when there are
    # more); their offsets, which cost more, are found only for a likely label.
    head = text.split(None, _MAX_LABEL_WORDS)
    if not head:
        return None
    words: list[re.Match[str]] = []
    # A table dumped without separators fuses label and value: "Název projektuCentrum …".
    # The search stops at the first words (a fused pair is two letters, never in spaces).
    limit = len(text) - len(head[-1]) if len(head) > _MAX_LABEL_WORDS else len(text)
    fused = None if text[1:limit].islower() else _FUSED.search(text, 0, limit)
    if fused is not None:
        words = _first_words(text)
        # In the first word it is no label: a fused label has at least two words.
        if fused.start() >= words[0].end():
            cut = fused.start() + 1
            key = label_key(text[:cut])
            if key is not None and key != "stop":
                return key, cut, cut
    last_words = _label_last_words()
    for n in range(min(len(head) - 1, _MAX_LABEL_WORDS), 0, -1):
        word = head[n - 1]
        has_colon = word.endswith(":")
        if n == 1 and not has_colon:
            continue
        # The folded label ends with this word, less its trailing marks, unless the word
        # is only marks: a word that ends no label rules out the look-up.
        tail = word.casefold().rstrip(_TRAILING_MARKS)
        if tail and tail not in last_words:
            continue
        words = words or _first_words(text)
        last = words[n - 1]
        key = label_key(text[: last.end()])
        if key is None or (not has_colon and key not in _TYPED_KEYS):
            continue
        value_start = words[n].start()
        return key, last.end() - (1 if has_colon else 0), value_start
    return None


def _first_words(text: str) -> list[re.Match[str]]:
    """The first ``_MAX_LABEL_WORDS + 1`` words of ``text``, with their offsets."""
    return list(islice(_WORD.finditer(text), _MAX_LABEL_WORDS + 1))


# "Výše dotace (Kč)" / "Celkové výdaje v Kč" above its number: the label with the unit
# its value is printed in. Only CZK: the money rules read a bare number under it as CZK.
_CZK_UNIT = re.compile(r"\s*(?:\((?:v\s+)?(?:Kč|CZK)\)|\[(?:v\s+)?(?:Kč|CZK)\]|\s+v\s+(?:Kč|CZK))$")
_UNIT_LAST_CHARS = (")", "]", "č", "K")


def _opening(text: str, block: Block, next_block: Block | None) -> tuple[str | None, int] | None:
    """If the block (its text is ``text``) opens a section, its key and level; None when it is body text."""
    kind = block.kind
    if kind == "heading":
        level = block.level if block.level > 0 else _LINE_LEVEL
        return classify_label(text), level
    if (kind == "paragraph" or kind == "item") and len(text) <= _MAX_LABEL_CHARS:
        key = label_key(text)
        if key is None and kind == "paragraph" and text.endswith(_UNIT_LAST_CHARS):
            unit = _CZK_UNIT.search(text)
            key = None if unit is None else label_key(text[: unit.start()])
        if key is not None and kind == "paragraph":
            return key, _LINE_LEVEL
        colon = text.endswith(":")
        intro = next_block is not None and next_block.kind == "item" and kind == "paragraph"
        if colon or intro:
            key = classify_label(text if colon else text + ":")
            if key is not None or colon:
                return key, _LINE_LEVEL
    return None


def _inline_pair(text: str, block: Block) -> Section | None:
    """A paragraph or item (its text is ``text``) that starts with a known label: a pair section of its own."""
    if block.kind not in ("paragraph", "item", "heading"):
        return None
    found = leading_label(text)
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

    text = document.text
    blocks = document.blocks
    count = len(blocks)
    for index, block in enumerate(blocks):
        if block.kind == "pair":
            # Document.label and Block.value_span, without their throw-away Spans.
            label = "" if block.label_end is None else text[block.start : block.label_end]
            value_start = block.start if block.value_start is None else block.value_start
            value = Block("paragraph", value_start, block.end)
            sections.append(Section(classify_label(label), block, (value,), _LINE_LEVEL))
            continue
        block_text = text[block.start : block.end]
        next_block = blocks[index + 1] if index + 1 < count else None
        opening = _opening(block_text, block, next_block)
        if opening is None:
            inline = _inline_pair(block_text, block)
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
