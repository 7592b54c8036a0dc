"""Word-list patterns whose anchors and gate come from the words themselves.

A rule such as "a classifier noun, then a capitalised name" is a regex template with
one ``{words}`` slot and a list of Czech words kept as data under ``pipeline/data/``.
``Scan.from_data`` inserts the words' alternation into the slot and derives, from the
same words, the two speed-ups the rule used to list by hand: the anchors (a literal
every match holds at a fixed distance from its start, see ``anchored``) and the gate
(literals one of which every match holds). Adding a word to the data file therefore
changes the pattern, the anchors and the gate together; nothing else has to be edited.

A word is literal text: a space in it stands for ``\\s+`` (any run of white space), and
with ``either_case=True`` its first letter matches in either case ("projekt" matches
"Projekt"). The template may put endings after the slot (``{words}(?:u|em)?``) and
zero-width tests before it (``\\b``, look-behinds); anything that consumes text before
the slot leaves the scan unanchored (the gate still holds, the whole text is scanned).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pipeline.normalise.anchored import (
    Anchor,
    anchor_starts,
    anchored_finditer,
    finditer_at,
    lowered,
)

__all__ = ["Scan", "registered_scans"]

SLOT = "{words}"

# Every Scan built, by name: a test checks each one's fast scan against its plain pattern.
# Building a scan again under the same name (a module reload) replaces the older one.
_REGISTRY: dict[str, Scan] = {}


def registered_scans() -> Mapping[str, Scan]:
    """Every Scan built so far, by name (read-only view)."""
    return MappingProxyType(_REGISTRY)


def _word_regex(word: str, either_case: bool) -> str:
    """The regex of one literal word: spaces as ``\\s+``, the first letter in either case.

    >>> print(_word_regex("obecně prospěšná", True))
    [Oo]becně\\s+prospěšná
    """
    pieces = [re.escape(piece) for piece in word.split()]
    if either_case and word[0].isalpha():
        first = word[0]
        variants = sorted({first.lower(), first.upper()} - {""})
        pieces[0] = "[" + "".join(variants) + "]" + re.escape(word.split()[0][1:])
    return r"\s+".join(pieces)


def _word_anchors(word: str, either_case: bool, folded: bool) -> list[Anchor]:
    """Literals a match of ``word`` holds at a fixed distance from where it starts.

    >>> _word_anchors("projekt", True, False), _word_anchors("s", True, False)
    ([('rojekt', 1)], [('S', 0), ('s', 0)])
    """
    first_piece = word.split()[0]
    if folded:
        return [(first_piece.lower(), 0)]
    if not (either_case and first_piece[0].isalpha()):
        return [(first_piece, 0)]
    if len(first_piece) > 1:
        return [(first_piece[1:], 1)]
    # A one-letter word in either case: each case of the letter is a literal of its own.
    return [(variant, 0) for variant in sorted({first_piece.lower(), first_piece.upper()})]


# Pieces of a template's text before the slot that consume nothing.
_ZERO_WIDTH_TOKENS = ("\\b", "\\B", "\\A", "^", "(?:", "|", ")")
_LOOKAROUNDS = ("(?<!", "(?<=", "(?!", "(?=")


def _skip_group(text: str, start: int) -> int:
    """The index just past the group opening at ``text[start]`` ("("), or -1 if unclosed."""
    depth = 0
    i = start
    in_class = False
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if text.startswith("]", i + 1) or text.startswith("^]", i + 1):
                i += 2 if text[i + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _consumes_nothing(prefix: str) -> bool:
    """Whether a regex fragment can only match the empty string (judged by its tokens:
    look-arounds, ``\\b``, ``^`` and groups of them; anything else counts as consuming).

    >>> _consumes_nothing(r"(?<![\\w-])\\b"), _consumes_nothing(r"(?:^|(?<=\\n))"), _consumes_nothing(r"\\s+")
    (True, True, False)
    """
    i = 0
    opened = 0
    while i < len(prefix):
        if prefix.startswith(_LOOKAROUNDS, i):
            end = _skip_group(prefix, i)
            if end < 0:
                return False
            i = end
            continue
        token = next((t for t in _ZERO_WIDTH_TOKENS if prefix.startswith(t, i)), None)
        if token is None:
            return False
        opened += {"(?:": 1, ")": -1}.get(token, 0)
        if opened < 0:
            return False
        i += len(token)
    return opened == 0


def _minimal(literals: Iterable[str]) -> tuple[str, ...]:
    """The literals that hold no shorter one of them (a text holding the longer one
    holds the shorter), sorted.

    >>> _minimal(["spolek", "spolkem", "spol", "organizac"])
    ('organizac', 'spol')
    """
    unique = set(literals)
    return tuple(sorted(w for w in unique if not any(o != w and o in w for o in unique)))


@dataclass(frozen=True, slots=True)
class Scan:
    """A pattern built from a template and a word list, with derived anchors and gate."""

    name: str
    words: tuple[str, ...]
    template: str
    pattern: re.Pattern[str]
    # Literals at fixed offsets from a match's start; empty when the template consumes
    # text before the words (then every place is tried).
    anchors: tuple[Anchor, ...]
    # Every match holds one of these (lower-cased when ``folded``).
    gate: tuple[str, ...]
    # The pattern ignores case: anchors and gate are looked for in the lower-cased text.
    folded: bool

    @classmethod
    def from_data(cls, name: str, words: Iterable[str], template: str = SLOT, flags: int = 0, *, either_case: bool = False) -> Scan:
        """Build, register and return the scan of ``words`` put into ``template``'s slot."""
        listed = tuple(words)
        if not listed or any(not isinstance(w, str) or not w.strip() for w in listed):
            raise ValueError(f"scan {name!r}: the word list must hold non-empty strings, got {listed!r}")
        if template.count(SLOT) != 1:
            raise ValueError(f"scan {name!r}: the template must hold {SLOT} exactly once: {template!r}")
        if len(set(listed)) < len(listed):
            raise ValueError(f"scan {name!r}: a word is listed twice: {listed!r}")
        folded = bool(flags & re.IGNORECASE)
        # Longest first: where two words match at one place, the longer one wins, as a
        # greedy optional ending ("společnost(?:í)?") did in the hand-written patterns.
        ordered = sorted(listed, key=len, reverse=True)
        alternation = "(?:" + "|".join(_word_regex(w, either_case and not folded) for w in ordered) + ")"
        before, after = template.split(SLOT)
        pattern = re.compile(before + alternation + after, flags)
        literals = [a for w in listed for a in _word_anchors(w, either_case, folded)]
        anchors = tuple(sorted(set(literals))) if _consumes_nothing(before) else ()
        gate = _minimal(literal for literal, _ in literals)
        scan = cls(name, listed, template, pattern, anchors, gate, folded)
        _REGISTRY[name] = scan
        return scan

    def could_match(self, text: str) -> bool:
        """Whether ``text`` holds one of the literals every match holds (cheap)."""
        if self.folded:
            low = lowered(text)
            if low is None:
                return True  # case folding shifts offsets or hides letters: cannot tell
            text = low
        return any(literal in text for literal in self.gate)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``self.pattern.finditer(text)`` gives, tried only where a match can start."""
        if not self.could_match(text):
            return iter(())
        if not self.anchors:
            return self.pattern.finditer(text)
        if self.folded:
            low = lowered(text)
            if low is None:
                return self.pattern.finditer(text)
            # lowered() keeps every offset: a start found in it is a start in the text.
            return finditer_at(self.pattern, text, anchor_starts(low, self.anchors))
        return anchored_finditer(self.pattern, text, self.anchors)

    def search(self, text: str) -> re.Match[str] | None:
        """What ``self.pattern.search(text)`` gives."""
        return next(self.finditer(text), None)

