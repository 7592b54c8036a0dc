"""Pattern scans tried only where a fixed word of the pattern occurs.

``pattern.finditer(text)`` tries the pattern at every character; a pattern that opens
with a look-behind or ``\\b`` gets none of the regex engine's prefix speed-ups. When every
match holds one of a few literals at a fixed distance from its start ("rojekt" one
character after the start of ``\\b[Pp]rojekt…``), ``str.find`` of the literals gives the
only places a match can start, and the pattern is matched there alone. ``pattern.match``
at a position still sees the text before it, so look-behinds and ``\\b`` behave as in the
full scan. The same holds for any other superset of the places a match can start
(``finditer_at``), such as the hits of a cheap character-class-first scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

__all__ = [
    "Anchor",
    "anchor_starts",
    "anchored_finditer",
    "anchored_search",
    "case_variants",
    "finditer_at",
    "first_matches",
    "lines_holding",
    "lowered",
]

# A literal every match contains and its distance from the match's start.
Anchor = tuple[str, int]


def anchor_starts(text: str, anchors: Sequence[Anchor]) -> Iterator[int]:
    """Every place a match can start, in order (one anchor: found lazily)."""
    if len(anchors) == 1:
        literal, offset = anchors[0]
        found = text.find(literal, offset)
        while found >= 0:
            yield found - offset
            found = text.find(literal, found + 1)
        return
    starts: set[int] = set()
    for literal, offset in anchors:
        found = text.find(literal, offset)
        while found >= 0:
            starts.add(found - offset)
            found = text.find(literal, found + 1)
    yield from sorted(starts)


def finditer_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` gives, for a pattern that never matches the
    empty string, given ``starts``: in order, every place where ``pattern.match`` succeeds
    (other places may be among them).

    >>> [m.group() for m in finditer_at(re.compile(r"\\d+"), "a12 345", [1, 2, 3, 4])]
    ['12', '345']
    """
    position = 0
    for start in starts:
        if start < position:
            continue  # inside the previous match, where finditer does not look
        match = pattern.match(text, start)
        if match is not None:
            yield match
            position = match.end()


def lines_holding(text: str, literals: Iterable[str]) -> list[tuple[int, int]]:
    """The lines of ``text`` holding one of ``literals``, as (start, end) in order; a line
    ends before its newline or at the text's end.

    >>> lines_holding("rok 2019\\ncelkem 300 Kč\\n5 €", ["Kč", "€"])
    [(9, 22), (23, 26)]
    """
    lines: set[tuple[int, int]] = set()
    for literal in literals:
        found = text.find(literal)
        while found >= 0:
            start = text.rfind("\n", 0, found) + 1
            end = text.find("\n", found)
            if end < 0:
                end = len(text)
            lines.add((start, end))
            found = text.find(literal, end)
    return sorted(lines)


def anchored_finditer(pattern: re.Pattern[str], text: str, anchors: Sequence[Anchor]) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` gives, for a pattern that never matches the
    empty string and whose every match holds one of ``anchors``.

    >>> [m.group() for m in anchored_finditer(re.compile(r"\\bab+"), "ab xab abb", [("a", 0)])]
    ['ab', 'abb']
    """
    return finditer_at(pattern, text, anchor_starts(text, anchors))


def first_matches(streams: Sequence[Iterable[re.Match[str]]]) -> Iterator[tuple[int, re.Match[str]]]:
    """The matches one alternation of several patterns would give, from each pattern's own
    matches (``streams``, each in text order), as (index of the stream, match): in text
    order, the earlier stream first where two start at one place, and none that starts
    inside the match before it. Exact for patterns that never match the empty string and
    whose matches never overlap their own.

    >>> [(i, m.group()) for i, m in first_matches([re.finditer(r"ab+", "abb ab"), re.finditer(r"b ?a", "abb ab")])]
    [(0, 'abb'), (0, 'ab')]
    """
    # Streams are few and most are empty: a sort of their heads beats heapq.merge's set-up.
    heads = []
    for index, stream in enumerate(streams):
        iterator = iter(stream)
        match = next(iterator, None)
        if match is not None:
            heads.append((match.start(), index, match, iterator))
    end = 0
    while heads:
        heads.sort(key=lambda head: head[:2])
        start, index, match, iterator = heads[0]
        if start >= end:
            yield index, match
            end = match.end()
        following = next(iterator, None)
        if following is None:
            heads.pop(0)
        else:
            heads[0] = (following.start(), index, following, iterator)


def anchored_search(pattern: re.Pattern[str], text: str, anchors: Sequence[Anchor]) -> re.Match[str] | None:
    """What ``pattern.search(text)`` gives, under the conditions of ``anchored_finditer``."""
    return next(anchored_finditer(pattern, text, anchors), None)


# Characters that (?i:) matches to a letter besides its upper and lower case (Kelvin
# sign, Ångström sign, long s, dotless and dotted i).
_FOLDING_EXTRAS = "\u212a\u212b\u017f\u0131\u0130"


def case_variants(letter: str) -> list[str]:
    """Every character ``(?i:letter)`` matches, sorted.

    >>> [hex(ord(c)) for c in case_variants("k")]
    ['0x4b', '0x6b', '0x212a']
    """
    pattern = re.compile(f"(?i:{re.escape(letter)})")
    candidates = {letter, letter.lower(), letter.upper(), *_FOLDING_EXTRAS}
    return sorted(c for c in candidates if len(c) == 1 and pattern.fullmatch(c))


@lru_cache(maxsize=2)
def lowered(text: str) -> str | None:
    """``text.lower()`` when ``str.find`` in it finds every place where ``(?i:word)``
    matches a lower-case word of Latin letters, at the same offset; else None.

    ``str.lower`` turns "İ" into two characters (offsets shift) and leaves the long s and
    the dotless i, which (?i:) reads as "s" and "i", as they are; every other character
    (?i:) reads as a Latin letter lowers to it. Cached: the normalisers of one page ask
    for the same text.

    >>> lowered("Březen"), lowered("İ"), lowered("ſrpen")
    ('březen', None, None)
    """
    folded = text.lower()
    if len(folded) != len(text) or "\u017f" in folded or "\u0131" in folded:
        return None
    return folded

