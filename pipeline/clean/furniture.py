"""Page furniture: which elements and lines are menus, footers, cookie bars, hidden text.

An element is a furniture candidate by its tag (``<nav>``, ``<footer>`` …), its ARIA role,
a boilerplate token in its id or class, or hiding (``hidden``, ``display: none``) unless it
is a disclosure panel (an accordion or tab whose content is hidden until clicked). A line
is furniture when it matches one of the line patterns (visit counters, skip links, cookie
notices …). The markers are data: ``pipeline/data/boilerplate.json``. The guards that keep
a candidate holding the page's content (an h1, a heading in a header, the article body,
most of the text) are applied by the lxml pre-pass (prune.py) and the walk (walk.py);
the tag tables and limits they share are here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.vocab import load_data

__all__ = [
    "BY_TOKEN",
    "CANDIDATE_TAGS",
    "FOLDS_TO_ASCII",
    "GUARD",
    "HEADINGS",
    "HEAD_TAGS",
    "HIDDEN",
    "HREF",
    "LINE_GATE",
    "MAX_GUARD_SCANS",
    "MIN_MAIN_TEXT",
    "NEVER_DROP",
    "NOT_CANDIDATES",
    "NOT_FURNITURE",
    "SKIP_TAGS",
    "STRONG",
    "Furniture",
    "FurnitureCheck",
    "LabelCheck",
    "content_probe",
    "furniture_markers",
    "has_word",
    "is_boilerplate",
    "spells_out",
]

# Elements never read: their text is code, media or form controls.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
        "embed", "select", "button", "input", "textarea", "map", "audio", "video", "math",
        "option", "datalist", "applet", "frame", "frameset", "base", "source", "track",
    }
)
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "dialog", "menu"})
NEVER_DROP = frozenset({"[document]", "html", "body", "main", "article"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
HEAD_TAGS = frozenset({"title", "link", "meta"})
# Elements the walk never drops as furniture: it skips, reads or always enters them first.
NOT_CANDIDATES = SKIP_TAGS | HEAD_TAGS | NEVER_DROP
# Furniture by tag alone (a <header> stays when it holds a heading: see the guards).
CANDIDATE_TAGS = _FURNITURE_TAGS | {"header"}

# The lxml pre-pass (see prune.py) marks what the walk needs to know about the full tree on
# the elements it keeps; the page's own attributes of these names are removed first.
GUARD = "data-pipeline-guard"
HREF = "data-pipeline-href"

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CLASS_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_HAS_WORD = re.compile(r"\w")

# Furniture lines are short; the longest are cookie notices.
_MAX_BOILERPLATE_LINE = 700
# Checking whether an element holds most of the page text scans its subtree; a page
# with more nested candidates than this keeps the rest (precision over a quadratic walk).
MAX_GUARD_SCANS = 16
# The article body is at least this long (characters of its paragraphs); calibrated on
# ../shared/web/pages, where the shortest article bodies hold about 300.
MIN_MAIN_TEXT = 200
# The content probe (see _lost_content in html.py) is the last characters of the longest
# paragraph of the page's largest paragraph block.
_PROBE_CHARS = 60


@dataclass(frozen=True, slots=True)
class Furniture:
    """The boilerplate markers of pipeline/data/boilerplate.json, compiled."""

    class_tokens: frozenset[str]
    class_names: frozenset[str]
    roles: frozenset[str]
    state_prefixes: frozenset[str]
    disclosure_tokens: frozenset[str]
    disclosure_roles: frozenset[str]
    # The line patterns in two alternations: those every match of which spells out
    # ``gate`` (cookie notices, which scan a long line many times over) and the rest.
    line: re.Pattern[str]
    gated_line: re.Pattern[str] | None
    gate: re.Pattern[str]

    def line_matches(self, text: str, gated: bool = True) -> bool:
        """Whether ``text`` as a whole is a furniture line (one of the line patterns).

        ``gated=False`` when the caller knows ``text`` does not say the gate word.
        """
        if self.line.fullmatch(text) is not None:
            return True
        return (
            gated
            and self.gated_line is not None
            and has_word(text, LINE_GATE, self.gate)
            and self.gated_line.fullmatch(text) is not None
        )


def has_word(text: str, word: str, pattern: re.Pattern[str]) -> bool:
    """``pattern.search(text)`` for ``pattern`` the lower-case ASCII ``word`` ignoring case,
    mostly without the regex.

    ASCII case folding of the UTF-8 bytes (several times cheaper than ``str.lower`` on
    non-ASCII text; no byte of a non-ASCII character is an ASCII letter) finds the word
    wherever the case-insensitive pattern does, except where the pattern folds a
    non-ASCII letter onto an ASCII one (İ and ı onto "i", ſ onto "s", the Kelvin sign
    onto "k"; a test finds them all): only a line holding one goes through the pattern.
    """
    if word.encode() in text.encode("utf-8", "surrogatepass").lower():
        return True
    return any(char in text for char in FOLDS_TO_ASCII) and pattern.search(text) is not None


# The non-ASCII characters a case-insensitive pattern matches to an ASCII letter.
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


# Cookie notices are the costly line patterns; only lines that say "cookie" can be one.
LINE_GATE = "cookie"


@cache
def furniture_markers() -> Furniture:
    """Load and compile the boilerplate markers once."""
    data = load_data("boilerplate.json")
    patterns = [str(pattern) for pattern in data["line_patterns"]]
    gated = [pattern for pattern in patterns if spells_out(pattern, LINE_GATE)]
    rest = [pattern for pattern in patterns if pattern not in gated]
    return Furniture(
        frozenset(token.casefold() for token in data["class_tokens"]),
        frozenset(name.casefold() for name in data["class_names"]),
        frozenset(role.casefold() for role in data["roles"]),
        frozenset(prefix.casefold() for prefix in data["state_prefixes"]),
        frozenset(token.casefold() for token in data["disclosure_tokens"]),
        frozenset(role.casefold() for role in data["disclosure_roles"]),
        _alternation(rest) if rest else re.compile(r"(?!)"),
        _alternation(gated) if gated else None,
        re.compile(re.escape(LINE_GATE), re.IGNORECASE),
    )


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching what any of ``patterns`` matches."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def spells_out(pattern: str, word: str) -> bool:
    """Whether every match of ``pattern`` contains ``word`` (letters, any case).

    True only when the word stands at the pattern's top level, outside any group,
    class or escape, in a pattern with no top-level alternative, and no quantifier
    follows it: "(?:a|b).*cookies?" qualifies, "(?:cookies|menu)" does not.
    """
    top: list[str] = []  # the pattern's top level, everything nested or escaped as NUL
    depth = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            top.append("\0" if depth == 0 else "")
            top.append("\0" if depth == 0 else "")
            index += 2
            continue
        if char == "[":
            end = index + 1
            end += pattern[end : end + 1] == "^"
            end += pattern[end : end + 1] == "]"
            while end < len(pattern) and pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            top.append("\0" if depth == 0 else "")
            index = end + 1
            continue
        if char == "(":
            depth += 1
            top.append("\0" if depth == 1 else "")
        elif char == ")":
            depth -= 1
        elif depth == 0:
            top.append(char)
        index += 1
    skeleton = "".join(top)
    if depth != 0 or "|" in skeleton:
        return False
    at = skeleton.find(word)
    while at >= 0:
        if skeleton[at + len(word) : at + len(word) + 1] not in ("?", "*", "{", "+"):
            return True
        at = skeleton.find(word, at + 1)
    return False


def _tokens_hit(value: str, markers: frozenset[str]) -> bool:
    """True when a whole id/class token (split on - _ space and camelCase) is a marker."""
    return any(token.casefold() in markers for token in _CLASS_TOKEN.findall(value))


# How an element is furniture: not at all, only by a class/id token (the weakest sign,
# which the article body overrides), only by hiding, or by its role or hiding and a token.
NOT_FURNITURE, BY_TOKEN, HIDDEN, STRONG = 0, 1, 2, 3


class FurnitureCheck:
    """Which elements are furniture candidates by name and attributes (before the guards)."""

    def __init__(self) -> None:
        """Start with empty caches: class and id values repeat a lot within a page."""
        self.furniture = furniture_markers()
        self.class_cache: dict[str, tuple[bool, bool]] = {}
        self.id_cache: dict[str, bool] = {}
        # The attributes that can make an element furniture, each with its test.
        self.checks: dict[str, Callable[[str], bool]] = {
            "id": self._id_hit,
            "role": self._furniture_role,
        }
        # Attributes that hide an element: furniture unless it is a disclosure panel.
        self.hiding: dict[str, Callable[[str], bool]] = {
            "hidden": _always,
            "aria-hidden": _says_true,
            "style": self._hides,
        }
        self.attribute_names = frozenset({"class", *self.checks, *self.hiding})

    def __call__(self, attrs: Mapping[str, str], name: str) -> bool:
        """Navigation, footer, hidden or boilerplate-classed element (a bs4 attribute dict)."""
        if name in CANDIDATE_TAGS:
            return True
        return self.by_attributes(attrs.items()) != NOT_FURNITURE

    def how(self, attrs: Mapping[str, str], name: str) -> int:
        """How an element is furniture (furniture by tag counts as ``STRONG``)."""
        return STRONG if name in CANDIDATE_TAGS else self.by_attributes(attrs.items())

    def by_attributes(self, items: Iterable[tuple[str, str]]) -> int:
        """Furniture by its role or hiding (a disclosure panel is not), or only by a class/id token."""
        hidden = False
        disclosure = False
        token = False
        for key, value in items:
            if key == "class":
                hit, panel = self.class_hit(value)
                token = token or hit
                disclosure = disclosure or panel
                continue
            check = self.checks.get(key)
            if check is not None:
                if key == "role":
                    if check(value):
                        return STRONG
                    if isinstance(value, str):
                        disclosure = disclosure or value.casefold() in self.furniture.disclosure_roles
                else:
                    token = token or check(value)
                continue
            hide = self.hiding.get(key)
            if hide is not None and not hidden:
                hidden = hide(value)
        if hidden and not disclosure:
            return STRONG if token else HIDDEN
        return BY_TOKEN if token else NOT_FURNITURE

    def class_hit(self, classes: str) -> tuple[bool, bool]:
        """Whether a class value marks furniture, and whether it marks a disclosure panel (cached).

        A class names furniture when it is a hiding helper or carries a boilerplate token,
        unless its first token says a state ("no-share", "has-sidebar").
        """
        hit = self.class_cache.get(classes)
        if hit is None:
            flags = 0
            for value in str(classes).split():
                flags |= _class_name_flags(value)
            hit = (bool(flags & _FURNITURE_FLAG), bool(flags & _PANEL_FLAG))
            self.class_cache[classes] = hit
        return hit

    def _id_hit(self, ident: str) -> bool:
        """An id value carrying a boilerplate token (cached)."""
        hit = self.id_cache.get(ident)
        if hit is None:
            hit = isinstance(ident, str) and _tokens_hit(ident, self.furniture.class_tokens)
            self.id_cache[ident] = hit
        return hit

    def _hides(self, style: str) -> bool:
        """An inline style that hides the element."""
        return isinstance(style, str) and _HIDDEN_STYLE.search(style) is not None

    def _furniture_role(self, role: str) -> bool:
        """An ARIA landmark role of furniture."""
        return isinstance(role, str) and role.casefold() in self.furniture.roles


_FURNITURE_FLAG, _PANEL_FLAG = 1, 2


@lru_cache(maxsize=8192)
def _class_name_flags(value: str) -> int:
    """What one class name marks: furniture (``_FURNITURE_FLAG``), a disclosure panel (``_PANEL_FLAG``).

    Cached across pages: themes repeat their class names on every page they serve.
    """
    furniture = furniture_markers()
    words = [word.casefold() for word in _CLASS_TOKEN.findall(value)]
    flags = 0
    hiding_helper = value.casefold() in furniture.class_names
    # A first word that says a state or a topic ("no-share") makes the name no furniture.
    named = bool(words) and words[0] not in furniture.state_prefixes
    if hiding_helper or (named and not furniture.class_tokens.isdisjoint(words)):
        flags |= _FURNITURE_FLAG
    if not furniture.disclosure_tokens.isdisjoint(words):
        flags |= _PANEL_FLAG
    return flags


class LabelCheck:
    """Whether an inline element's class names it a label (``<span class="label">``)."""

    def __init__(self) -> None:
        """Start with an empty cache: a page repeats its label classes."""
        self.tokens = frozenset(token.casefold() for token in load_data("boilerplate.json")["label_tokens"])
        self.cache: dict[str, bool] = {}

    def __call__(self, attrs: Mapping[str, object]) -> bool:
        """True when one class token is a label token."""
        classes = attrs.get("class")
        if not isinstance(classes, str):
            return False
        hit = self.cache.get(classes)
        if hit is None:
            hit = _tokens_hit(classes, self.tokens)
            self.cache[classes] = hit
        return hit


def _always(_value: str) -> bool:
    """The attribute's presence is enough (``hidden``)."""
    return True


def _says_true(value: str) -> bool:
    """``aria-hidden="true"``, in any case."""
    return str(value).casefold() == "true"


def is_boilerplate(text: str, furniture: Furniture, gated: bool = True) -> bool:
    """A furniture line (counter, skip link, cookie notice…) or one with no letter or digit."""
    # A first character that is a letter or digit is a word character (a test holds
    # ``str.isalnum`` to ``\w``); nearly every line opens with one.
    if not (text[:1].isalnum() or _HAS_WORD.search(text)):
        return True
    return len(text) <= _MAX_BOILERPLATE_LINE and furniture.line_matches(text.strip(), gated)


def content_probe(paragraphs: Iterable[Iterable[str]]) -> str | None:
    """The folded end of the longest string in the paragraphs (given as their strings): a content probe.

    A string, not a paragraph: the walk may cut a paragraph into blocks (at a <br>, a
    bold label), never a string.
    """
    folded = (" ".join(string.split()) for strings in paragraphs for string in strings)
    return max(folded, key=len, default="")[-_PROBE_CHARS:] or None

