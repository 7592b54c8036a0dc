"""Word-list patterns whose anchors and gate come from the words themselves.

A rule such as "a classifier noun, then a capitalised name" is a regex template with
one ``{words}`` slot and a list of Czech words kept as data under ``pipeline/data/``.
``Scan.from_data`` inserts the words' alternation into the slot and derives, from the
same words, the two speed-ups the rule used to list by hand: the anchors (a literal
every match holds at a fixed distance from its start, see ``anchored``) and the gate
(literals one of which every match holds). Adding a word to the data file therefore
changes the pattern, the anchors and the gate together; nothing else has to be edited.

A word is literal text: a space in it stands for ``\\s+`` (any run of white space; after
a period, for one space or none, as abbreviations are printed either way), and
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

__all__ = ["Scan", "alternation", "registered_scans"]

SLOT = "{words}"

# Every Scan built, by name: a test checks each one's fast scan against its plain pattern.
# Building a scan again under the same name (a module reload) replaces the older one.
_REGISTRY: dict[str, Scan] = {}


def registered_scans() -> Mapping[str, Scan]:
    """Every Scan built so far, by name (read-only view)."""
    return MappingProxyType(_REGISTRY)


def _word_regex(word: str, either_case: bool) -> str:
    """The regex of one literal word: spaces as ``\\s+`` (after a period, one space or
    none: "o. p. s." is also printed "o.p.s."), the first letter in either case.

    >>> print(_word_regex("obecně prospěšná", True))
    [Oo]becně\\s+prospěšná
    >>> print(_word_regex("z. ú.", False))
    z\\.\\s?ú\\.
    """
    words = word.split()
    pieces = [re.escape(piece) for piece in words]
    if either_case and word[0].isalpha():
        first = word[0]
        variants = sorted({first.lower(), first.upper()} - {""})
        pieces[0] = "[" + "".join(variants) + "]" + re.escape(words[0][1:])
    regex = pieces[0]
    for previous, piece in zip(words, pieces[1:]):
        regex += (r"\s?" if previous.endswith(".") else r"\s+") + piece
    return regex


def alternation(words: Iterable[str], either_case: bool = False) -> str:
    """The regex of a word list put where no scan's slot is (a look-ahead, a second list
    in one template): literal words, spaces as ``\\s+``, longest first, as one group;
    with ``either_case``, each word's first letter in either case.

    >>> print(alternation(["v", "ve", "na"]))
    (?:ve|na|v)
    >>> print(alternation(["v", "na území"], either_case=True))
    (?:[Nn]a\\s+území|[Vv])
    """
    return "(?:" + "|".join(_word_regex(w, either_case) for w in sorted(words, key=len, reverse=True)) + ")"


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


def _pieces(fragment: str) -> list[str]:
    r"""A regex fragment cut into pieces: an escape, a whole group or class, or one character.

    >>> _pieces(r"ab(?:c|(d))[)e]\s+")
    ['a', 'b', '(?:c|(d))', '[)e]', '\\s', '+']
    """
    pieces: list[str] = []
    i = 0
    while i < len(fragment):
        end = _piece_end(fragment, i)
        pieces.append(fragment[i:end])
        i = end
    return pieces


def _piece_end(fragment: str, start: int) -> int:
    """Where the piece starting at ``fragment[start]`` ends (the text's end if unclosed)."""
    char = fragment[start]
    if char == "\\":
        return min(start + 2, len(fragment))
    if char == "[":
        i = start + 1
        i += fragment.startswith("^", i)
        i += fragment.startswith("]", i)  # a "]" first in a class is a literal
        while i < len(fragment) and fragment[i] != "]":
            i += 2 if fragment[i] == "\\" else 1
        return min(i + 1, len(fragment))
    if char == "(":
        depth = 0
        i = start
        while i < len(fragment):
            if fragment[i] in "\\[":
                i = _piece_end(fragment, i)
                continue
            depth += {"(": 1, ")": -1}.get(fragment[i], 0)
            i += 1
            if depth == 0:
                return i
        return len(fragment)
    return start + 1


# Pieces that consume nothing: look-arounds, word and text boundaries.
_LOOKAROUNDS = ("(?<!", "(?<=", "(?!", "(?=")
_BOUNDARIES = ("\\b", "\\B", "\\A", "^")


def _consumes_nothing(prefix: str) -> bool:
    r"""Whether a regex fragment can only match the empty string (judged by its pieces:
    look-arounds, ``\\b``, ``^``, and non-capturing groups of alternatives of them).

    >>> _consumes_nothing(r"(?<![\w-])\b"), _consumes_nothing(r"(?:^|(?<=\n))"), _consumes_nothing(r"\s+")
    (True, True, False)
    """
    for piece in _pieces(prefix):
        if piece.startswith(_LOOKAROUNDS) or piece in _BOUNDARIES:
            continue
        if not (piece.startswith("(?:") and piece.endswith(")")):
            return False
        inner = _pieces(piece[3:-1])
        # Alternatives of pieces that consume nothing: "(?:^|(?<=[.!?]\s))".
        if not all(p == "|" or p.startswith(_LOOKAROUNDS) or p in _BOUNDARIES or _consumes_nothing(p) and p.startswith("(?:") for p in inner):
            return False
    return True


def _minimal(literals: Iterable[str]) -> tuple[str, ...]:
    """The literals that hold no shorter one of them (a text holding the longer one
    holds the shorter), sorted.

    >>> _minimal(["spolek", "spolkem", "spol", "organizac"])
    ('organizac', 'spol')
    """
    unique = set(literals)
    return tuple(sorted(w for w in unique if not any(o != w and o in w for o in unique)))


_QUANTIFIERS = ("?", "*", "+", "{")


def _slot_in_every_match(template: str) -> bool:
    r"""Whether every match of ``template`` goes through its slot: no alternation beside
    it, no group around it that may be skipped.

    >>> _slot_in_every_match(r"^({words})\b"), _slot_in_every_match(r"(?:x|{words})"), _slot_in_every_match(r"(?:{words}\s)?a")
    (True, False, False)
    """
    # Each open group: whether it holds the slot, and whether it has an alternation.
    frames = [[False, False]]
    i = 0
    while i < len(template):
        if template.startswith(SLOT, i):
            for frame in frames:
                frame[0] = True
            i += len(SLOT)
            continue
        char = template[i]
        if char in "\\[":
            i = _piece_end(template, i)
            continue
        if char == "(":
            frames.append([False, False])
        elif char == "|":
            frames[-1][1] = True
        elif char == ")" and len(frames) > 1:
            holds, alternates = frames.pop()
            optional = template.startswith(("?", "*", "{0"), i + 1)
            if holds and (alternates or optional):
                return False
        i += 1
    holds, alternates = frames[0]
    return holds and not alternates



def _required_literal(fragment: str, flags: int) -> str:
    r"""The longest run of letters every match of ``fragment`` holds as printed: outside
    any group, class or escape, with no quantifier on its last letter; "" if none.

    >>> _required_literal(r"\s+názvem\s+[„\"“]?([^\n]{4,9})", 0), _required_literal(r"\s+(?:a|b)\s+os[ay]?", 0)
    ('názvem', 'os')
    """
    pieces = _pieces(fragment)
    if flags & re.VERBOSE or "|" in pieces or any(p.startswith("(?") and p[2:3] in "aiLmsux-" for p in pieces):
        return ""  # an alternation at the top, or inline flags: nothing is sure
    runs = [""]
    for piece, following in zip(pieces, [*pieces[1:], ""]):
        if len(piece) == 1 and piece.isalpha() and not following.startswith(_QUANTIFIERS):
            runs[-1] += piece
        else:
            runs.append("")
    longest = max(runs, key=len)
    return longest.lower() if flags & re.IGNORECASE else longest


# Words sharing at least this many first letters are looked for by that shared start:
# one str.find instead of one per word ("realizován", "realizuje" by "realiz"). A shorter
# start ("spol" of "spolek" and "spolkem") stands in common unrelated words
# ("spolupráce", "společně") and would be tried at every one of them.
_SHARED_START = 5


def _merged(anchors: Iterable[Anchor]) -> tuple[Anchor, ...]:
    """Anchors at one offset that share their first ``_SHARED_START`` letters, as one
    anchor on what they share; sorted.

    >>> _merged([("realizuje", 0), ("realizován", 0), ("spolek", 0), ("spolkem", 0), ("kce", 1)])
    (('kce', 1), ('realiz', 0), ('spolek', 0), ('spolkem', 0))
    """
    merged: list[Anchor] = []
    for literal, offset in sorted(set(anchors), key=lambda a: (a[1], a[0])):
        if merged and merged[-1][1] == offset:
            last = merged[-1][0]
            shared = 0
            while shared < min(len(last), len(literal)) and last[shared] == literal[shared]:
                shared += 1
            if shared >= _SHARED_START:
                merged[-1] = (last[:shared], offset)
                continue
        merged.append((literal, offset))
    return tuple(sorted(merged))


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
    # A word of the template outside the slot that every match holds ("" if none): one
    # look for it spares the look for each word on a text without it.
    required: str
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
        if not _slot_in_every_match(template):
            # The anchors and the gate come from the words: a match without them would be missed.
            raise ValueError(f"scan {name!r}: every match must hold one of the words (no alternative or optional group around {SLOT}): {template!r}")
        if len(set(listed)) < len(listed):
            raise ValueError(f"scan {name!r}: a word is listed twice: {listed!r}")
        folded = bool(flags & re.IGNORECASE)
        # Longest first: where two words match at one place, the longer one wins, as a
        # greedy optional ending ("společnost(?:í)?") did in the hand-written patterns.
        ordered = sorted(listed, key=len, reverse=True)
        listed_regex = "(?:" + "|".join(_word_regex(w, either_case and not folded) for w in ordered) + ")"
        before, after = template.split(SLOT)
        pattern = re.compile(before + listed_regex + after, flags)
        literals = _merged(a for w in listed for a in _word_anchors(w, either_case, folded))
        anchors = literals if _consumes_nothing(before) else ()
        gate = _minimal(literal for literal, _ in literals)
        required = max(_required_literal(before, flags), _required_literal(after, flags), key=len)
        scan = cls(name, listed, template, pattern, anchors, gate, required, folded)
        _REGISTRY[name] = scan
        return scan

    def could_match(self, text: str) -> bool:
        """Whether ``text`` holds one of the literals every match holds (cheap)."""
        if self.folded:
            low = lowered(text)
            if low is None:
                return True  # case folding shifts offsets or hides letters: cannot tell
            text = low
        return self.required in text and any(literal in text for literal in self.gate)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``self.pattern.finditer(text)`` gives, tried only where a match can start."""
        if not self.anchors:
            return self.pattern.finditer(text) if self.could_match(text) else iter(())
        if self.folded:
            low = lowered(text)
            if low is None:
                return self.pattern.finditer(text)
            if self.required not in low:
                return iter(())
            # lowered() keeps every offset: a start found in it is a start in the text.
            return finditer_at(self.pattern, text, anchor_starts(low, self.anchors))
        if self.required not in text:
            return iter(())
        return anchored_finditer(self.pattern, text, self.anchors)

    def search(self, text: str) -> re.Match[str] | None:
        """What ``self.pattern.search(text)`` gives."""
        return next(self.finditer(text), None)

