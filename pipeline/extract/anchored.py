"""Pattern scans tried only where a fixed word of the pattern occurs.

``pattern.finditer(text)`` tries the pattern at every character; a pattern that opens
with a look-behind or ``\\b`` gets none of the regex engine's prefix speed-ups. When every
match holds one of a few literals at a fixed distance from its start ("rojekt" one
character after the start of ``\\b[Pp]rojekt…``), ``str.find`` of the literals gives the
only places a match can start, and the pattern is matched there alone. ``pattern.match``
at a position still sees the text before it, so look-behinds and ``\\b`` behave as in the
full scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

__all__ = ["Anchor", "anchored_finditer", "anchored_search"]

# A literal every match contains and its distance from the match's start.
Anchor = tuple[str, int]


def _starts(text: str, anchors: Sequence[Anchor]) -> Iterator[int]:
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


def anchored_finditer(pattern: re.Pattern[str], text: str, anchors: Sequence[Anchor]) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` gives, for a pattern that never matches the
    empty string and whose every match holds one of ``anchors``.

    >>> [m.group() for m in anchored_finditer(re.compile(r"\\bab+"), "ab xab abb", [("a", 0)])]
    ['ab', 'abb']
    """
    position = 0
    for start in _starts(text, anchors):
        if start < position:
            continue  # inside the previous match, where finditer does not look
        match = pattern.match(text, start)
        if match is not None:
            yield match
            position = match.end()


def anchored_search(pattern: re.Pattern[str], text: str, anchors: Sequence[Anchor]) -> re.Match[str] | None:
    """What ``pattern.search(text)`` gives, under the conditions of ``anchored_finditer``."""
    return next(anchored_finditer(pattern, text, anchors), None)
