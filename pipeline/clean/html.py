"""Text to a Document of blocks: drop page furniture, keep the structure that carries facts.

HTML is first parsed by lxml alone, which removes what the walk drops for sure (scripts,
comments, menus and footers the guards let go); BeautifulSoup(lxml) parses the rest and it
is walked once with an explicit stack (never Python recursion: hostile pages nest 10,000
deep). Block-level elements cut the text into blocks; table rows, definition lists and
``<b>Label:</b> value`` paragraphs become label/value pairs. Text dumps are read line by
line.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal
from warnings import catch_warnings, simplefilter

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, Tag
from lxml import etree  # type: ignore[import-untyped]

from pipeline.clean.document import BlockKind, Cleaning, Document, DocumentBuilder
from pipeline.clean.segment import leading_label
from pipeline.ingest.load import LoadedPage, remove_unsafe_characters
from pipeline.vocab import label_key, load_data

__all__ = ["clean_html", "clean_page", "clean_text", "split_front_matter"]

# One pending block: kind, text (the value for pairs), level, label (pairs only).
_Pending = tuple[BlockKind, str, int, "str | None"]


def _names(names: str) -> frozenset[str]:
    """A set of tag names from a space-separated string (keeps long tables compact)."""
    return frozenset(names.split())


_SKIP_TAGS = _names(
    "script style noscript template svg canvas iframe object embed select button "
    "input textarea map audio video math option datalist applet frame frameset base "
    "source track"
)
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "dialog", "menu"})
_NEVER_DROP = frozenset({"[document]", "html", "body", "main", "article"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = frozenset({"ul", "ol", "dir"})
_CELLS = frozenset({"td", "th"})
_BOLD = frozenset({"b", "strong"})
# Elements that start and end a block; anything else is inline.
_BLOCKS = _names(
    "address article aside blockquote body center details dialog div dl fieldset "
    "figcaption figure footer form header hgroup hr html main nav p pre section "
    "summary table caption thead tbody tfoot legend head noframes listing plaintext "
    "xmp li dt dd tr td th ul ol dir menu h1 h2 h3 h4 h5 h6"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CLASS_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_HAS_WORD = re.compile(r"\w")

# A label cell or bold label is short; a bold line longer than this is emphasis, not a heading.
_MAX_LABEL = 80
_MAX_INFERRED_HEADING = 120
# Furniture lines are short; the longest are cookie notices.
_MAX_BOILERPLATE_LINE = 700
# Checking whether an element holds most of the page text scans its subtree; a page
# with more nested candidates than this keeps the rest (precision over a quadratic walk).
_MAX_GUARD_SCANS = 16
# The article body is at least this long (characters of its paragraphs); calibrated on
# ../shared/web/pages, where the shortest article bodies hold about 300.
_MIN_MAIN_TEXT = 200
# A cleaning that keeps under a fifth of the page's visible text and none of its largest
# paragraph block lost the content (see _lost_content); the probe is that block's longest
# paragraph's last characters.
_MIN_KEPT_SHARE = 5
_PROBE_CHARS = 60
# More blocks than this in one table cell means the table lays out the page.
_MAX_SIMPLE_CELL_BLOCKS = 3

# The lxml pre-pass (see _prune) marks what the walk needs to know about the full tree on
# the elements it keeps; the page's own attributes of these names are removed first.
_GUARD = "data-pipeline-guard"
_HREF = "data-pipeline-href"
_TEXT = etree.XPath("//text()", smart_strings=False)
_SUBTREE_TEXT = etree.XPath(".//text()", smart_strings=False)
_NTH_TEXT = etree.XPath("(//text())[$n]")
# lxml's serialiser escapes the raw text of these, which a second parse reads differently.
_RAW_TEXT_TAGS = ("xmp", "plaintext", "noembed", "noframes")
# Ruby text is not a NavigableString in bs4 but stays in the tree; rare, so not handled.
_UNSUPPORTED_TAGS = (*_RAW_TEXT_TAGS, "rt", "rp")
_HEAD_TAGS = frozenset({"title", "link", "meta"})
# Elements the walk never drops as furniture: it skips, reads or always enters them first.
_NOT_CANDIDATES = _SKIP_TAGS | _HEAD_TAGS | _NEVER_DROP
_CANDIDATE_TAGS = _FURNITURE_TAGS | {"header"}
# libxml2 builds trees at most 256 deep and drops what lies deeper (bs4's event-built tree
# keeps it): a page reaching near that depth is parsed whole.
_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * 253 + ")")
# bs4 sees a DOCTYPE inside the page as a node that splits the text around it; lxml's tree
# drops it, so such pages skip the pre-pass. A leading one (after comments) is harmless.
_DOCTYPE = re.compile(r"<!doctype", re.IGNORECASE)
_HTML_SPACE = " \t\n\r\f"

_FRONT_MATTER = re.compile(r"\A\ufeff?[ \t]*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_WINDOW = 20_000
_YAML_TITLE = re.compile(r"title\s*:\s*(.*)")
_YAML_BLOCK_SCALAR = frozenset({"", "|", ">", "|-", ">-", "|+", ">+"})

_BULLET = re.compile(
    r"([ \t]*)(?:[•·▪►✓✔□○◦■➢➤‣⁃*\-–—]|(?:\d{1,2}|[a-zA-Z])\)|\d{1,2}\.(?![ \t]*\d))[ \t]+(?=\S)"
)
_MD_HEADING = re.compile(r"(#{1,6})[ \t]+(\S.*)")
# Inner classes exclude the opening bracket/marker so a line of "[[[[" stays linear.
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\s]{0,2000}(?:[ \t]+\"[^\"\n]{0,200}\")?\)")
_MD_BOLD = re.compile(r"\*\*(?=[^\s*])([^*\n]{1,500}?)\*\*|__(?=[^\s_])([^_\n]{1,500}?)__")
_MD_WHOLE_BOLD = re.compile(r"(?:\*\*|__)([^*_\n]{1,500})(?:\*\*|__)")
# The first characters of a line that is a Markdown image, heading or all bold ("" too).
_MARKDOWN_OPENERS = "!#*_"

_FALLBACK_DROP = re.compile(
    r"<(script|style|noscript|template)\b[^>]{0,2000}>.*?</\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_FALLBACK_BREAK = re.compile(
    r"<(?:br|/?(?:p|div|li|tr|h[1-6]|table|ul|ol|section|article|dd|dt|blockquote))\b[^>]{0,2000}>",
    re.IGNORECASE,
)
_FALLBACK_TAG = re.compile(r"<[^>]{0,2000}>")


@dataclass(frozen=True, slots=True)
class _Furniture:
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
            and _has_word(text, _LINE_GATE, self.gate)
            and self.gated_line.fullmatch(text) is not None
        )


def _has_word(text: str, word: str, pattern: re.Pattern[str]) -> bool:
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
    return any(char in text for char in _FOLDS_TO_ASCII) and pattern.search(text) is not None


# The non-ASCII characters a case-insensitive pattern matches to an ASCII letter.
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


# Cookie notices are the costly line patterns; only lines that say "cookie" can be one.
_LINE_GATE = "cookie"


@cache
def _furniture() -> _Furniture:
    """Load and compile the boilerplate markers once."""
    data = load_data("boilerplate.json")
    patterns = [str(pattern) for pattern in data["line_patterns"]]
    gated = [pattern for pattern in patterns if _spells_out(pattern, _LINE_GATE)]
    rest = [pattern for pattern in patterns if pattern not in gated]
    return _Furniture(
        frozenset(token.casefold() for token in data["class_tokens"]),
        frozenset(name.casefold() for name in data["class_names"]),
        frozenset(role.casefold() for role in data["roles"]),
        frozenset(prefix.casefold() for prefix in data["state_prefixes"]),
        frozenset(token.casefold() for token in data["disclosure_tokens"]),
        frozenset(role.casefold() for role in data["disclosure_roles"]),
        _alternation(rest) if rest else re.compile(r"(?!)"),
        _alternation(gated) if gated else None,
        re.compile(re.escape(_LINE_GATE), re.IGNORECASE),
    )


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching what any of ``patterns`` matches."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def _spells_out(pattern: str, word: str) -> bool:
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


def clean_page(page: LoadedPage) -> Document:
    """Clean a decoded page into a Document, by its format."""
    if page.format == "html":
        return clean_html(page)
    return clean_text(page)


# --------------------------------------------------------------------------- front matter


def split_front_matter(text: str) -> tuple[str, str | None]:
    """Remove a leading YAML front matter block; return the rest and its ``title:``."""
    match = _FRONT_MATTER.match(text[:_FRONT_MATTER_WINDOW])
    if match is None:
        return text, None
    return text[match.end() :], _front_matter_title(match.group(1))


def _front_matter_title(yaml_text: str) -> str | None:
    """The ``title:`` value of a YAML block, continuation lines folded in."""
    lines = yaml_text.split("\n")
    for index, line in enumerate(lines):
        match = _YAML_TITLE.fullmatch(line.rstrip())
        if match is None:
            continue
        value = match.group(1).strip()
        parts = [] if value in _YAML_BLOCK_SCALAR else [value]
        for following in lines[index + 1 :]:
            if not following[:1].isspace():
                break
            parts.append(following.strip())
        title = " ".join(part for part in parts if part)
        if len(title) >= 2 and title[0] == title[-1] and title[0] in "'\"":
            title = title[1:-1].strip()
        return title or None
    return None


# --------------------------------------------------------------------------- HTML


def clean_html(page: LoadedPage) -> Document:
    """Clean an HTML page: an lxml pre-pass, one BeautifulSoup parse, one iterative walk."""
    warnings = list(page.warnings)
    text, fm_title = split_front_matter(page.text)
    page_title: str | None = None
    url: str | None = None
    cleaning: Cleaning = "full"
    try:
        with catch_warnings():
            # bs4 warns on stderr about XHTML and URL-like pages; the library never prints.
            simplefilter("ignore", XMLParsedAsHTMLWarning)
            simplefilter("ignore", MarkupResemblesLocatorWarning)
            pruned = _prune(text)
            # Attribute values stay plain strings: splitting class/rel lists for every tag
            # costs a tenth of the parse, and only a few tags' classes are ever read.
            if pruned is None:
                walker = _Walker(BeautifulSoup(text, "lxml", multi_valued_attributes=None))
            else:
                soup = BeautifulSoup(pruned[0], "lxml", multi_valued_attributes=None)
                walker = _Walker(soup, *pruned[1:])
            blocks, page_title, url = walker.run()
            if _lost_content(blocks, walker):
                # The furniture rules took the page's content: clean again without them.
                soup = BeautifulSoup(text, "lxml", multi_valued_attributes=None)
                blocks, page_title, url = _Walker(soup, furniture=False).run()
                cleaning = "fallback"
                warnings.append("cleaning would have lost the page's content; furniture kept")
    except (RecursionError, ValueError) as exc:  # ValueError: lxml refuses e.g. lone surrogates
        warnings.append(f"HTML parse failed ({type(exc).__name__}); fell back to tag stripping")
        blocks = _strip_tags(text)
        cleaning = "fallback"
    if fm_title:
        blocks.insert(0, ("heading", fm_title, 1, None))
        page_title = fm_title
    return _build(blocks, page, page_title, url, warnings, cleaning=cleaning)


def _lost_content(blocks: list[_Pending], walker: _Walker) -> bool:
    """Whether the full cleaning lost the page's content.

    It did when it dropped furniture and kept under ``1 / _MIN_KEPT_SHARE`` of the
    visible text (no block at all included) without the page's largest paragraph block
    outside menus and footers (they outweigh many good pages' content: size alone says
    little). That block is lost when hidden wholesale or under a wrong guard.
    """
    probe = walker.probe
    if not walker.dropped or probe is None:
        return False
    kept = sum(len(_pending_text(block)) for block in blocks)
    if kept * _MIN_KEPT_SHARE >= walker.total_text:
        return False
    return not any(probe in _pending_text(block) for block in blocks)


# --------------------------------------------------------------------------- lxml pre-pass
#
# Building the BeautifulSoup tree (in Python) is most of the time of a page, and half of a
# typical page is menus, footers, scripts and icons that the walk drops unread. lxml (C)
# parses the same text the same way bs4's lxml builder does; the pre-pass surveys that full
# tree for the walk's guards, removes what the walk would certainly drop, and hands the
# serialised rest to BeautifulSoup. The walk then reads the guards from marks on the kept
# elements instead of surveying its (smaller) tree, so every decision is the one it would
# take on the whole page.


def _prune(text: str) -> tuple[str, int, str | None, int] | None:
    """The page without the subtrees the walk drops for sure, its visible text size, its
    probe and whether it dropped furniture the walk would meet (1) or not (0).

    The probe is the end of the longest paragraph of the page's largest paragraph block
    outside menus, footers and other furniture by tag or role (see _lost_content); None
    when there is no such block or no furniture candidate.

    None when the page must be parsed whole: lxml refuses it, or it holds a construct the
    trip through lxml's tree and serialiser would change (a DOCTYPE inside the page,
    raw-text elements such as <xmp>, ruby text, nesting past libxml2's depth limit).
    """
    if text[:1] == "\ufeff":
        text = text[1:]  # bs4 drops a leading BOM before handing text to lxml
    if not _doctype_in_prolog(text):
        return None
    try:
        # The options bs4's lxml builder uses (recover, no huge_tree, no encoding).
        parser = etree.HTMLParser(recover=True, huge_tree=False)
        parser.feed(text)
        root = parser.close()
        if root is None or next(root.iter(*_UNSUPPORTED_TAGS), None) is not None:
            return None
        if _TOO_DEEP(root):
            return None  # lxml's tree lost what lies deeper; bs4's event-built tree has not
        surveyed = _mark_guards(root)
        if surveyed is None:
            return None
        total, probe, dropped = surveyed
        etree.strip_elements(
            root, etree.Comment, etree.ProcessingInstruction, *_SKIP_TAGS, with_tail=False
        )
        for item in root.iter("li"):
            if item.text is None and not len(item):
                # The serialiser leaves out an empty item's end tag; a second parse would
                # then put the text and elements after it inside it.
                item.text = ""
        for link in root.iter("link"):
            # The serialiser percent-escapes href values; the walk reads a link's href as given.
            href = link.get("href")
            if href is not None:
                link.set(_HREF, href)
        return etree.tostring(root, method="html", encoding="unicode"), total, probe, dropped
    except (ValueError, etree.LxmlError):
        return None


def _doctype_in_prolog(text: str) -> bool:
    """True when the page has no DOCTYPE, or one only after leading comments and blanks."""
    first = _DOCTYPE.search(text)
    if first is None:
        return True
    if _DOCTYPE.search(text, first.end()) is not None:
        return False
    prolog = text[: first.start()].lstrip(_HTML_SPACE)
    while prolog:
        # Only plain comments: "<!-->" and "--!>" end a comment early, so any ">" inside
        # one makes the prolog uncertain.
        if prolog.startswith("<!--"):
            end = prolog.find("-->", 4)
            if end < 0 or ">" in prolog[4:end]:
                return False
            prolog = prolog[end + 3 :].lstrip(_HTML_SPACE)
        elif prolog.startswith("<?"):
            end = prolog.find(">")
            if end < 0:
                return False
            prolog = prolog[end + 1 :].lstrip(_HTML_SPACE)
        else:
            return False
    return True


def _mark_guards(root: Any) -> tuple[int, str | None, int] | None:
    """Survey the full tree as _Walker._survey does, mark the guards, drop sure furniture.

    Returns the visible text size, the content probe and the count of dropped elements
    (see _prune), None when bs4 would read an attribute name differently.
    """
    check = _FurnitureCheck()
    attribute_names = check.attribute_names
    candidates: list[Any] = []
    strong: set[Any] = set()  # candidates by tag, role, or hiding and a token (see _main_text_block)
    hidden: set[Any] = set()  # candidates only by hiding
    tokened: set[Any] = set()  # candidates only by a class/id token
    own_marks: list[Any] = []
    for element in root.iter():
        name = element.tag
        candidate = name in _CANDIDATE_TAGS
        items = element.items()
        if items:
            marked = 0
            only_class: str | None = None
            for key, value in items:
                if key in attribute_names:
                    marked += 1
                    if key == "class":
                        only_class = value
                elif key[0] == "{":
                    return None  # bs4 reads an attribute "{x}class" as "class", fails on "{x"
                elif key == _GUARD or key == _HREF:
                    own_marks.append(element)
            if marked and not candidate and name not in _NOT_CANDIDATES:
                if marked == 1 and only_class is not None:
                    # Most elements carry a class and no other such attribute: the cache answers.
                    how = _BY_TOKEN if check.class_hit(only_class)[0] else _NOT_FURNITURE
                else:
                    how = check.by_attributes(items)
                candidate = how != _NOT_FURNITURE
                if how == _STRONG:
                    strong.add(element)
                elif how == _HIDDEN:
                    hidden.add(element)
                elif how == _BY_TOKEN:
                    tokened.add(element)
        if candidate:
            candidates.append(element)
            if name in _CANDIDATE_TAGS:
                strong.add(element)
    for element in own_marks:
        element.attrib.pop(_GUARD, None)  # the page's own, not ours
        element.attrib.pop(_HREF, None)
    # Headings count wherever they are (as in the survey), so look before any text goes.
    headed = [
        element
        for element in candidates
        if element.tag == "header" and next(element.iter(*_HEADINGS), None) is not None
    ]
    h1_path: set[int] = set()
    keep: list[Any] = []  # holds the proxies, so the ids below stay those of live elements
    if candidates:
        for heading in root.iter("h1"):
            parent = heading.getparent()
            while parent is not None and id(parent) not in h1_path:
                keep.append(parent)
                h1_path.add(id(parent))
                _add_guard(parent, "h1")
                parent = parent.getparent()
    # Strings in these are Script, Stylesheet or TemplateString in bs4, which the survey
    # skips; all of them go with the skip tags below, so blank them for the text count.
    for container in root.iter("script", "style", "template"):
        for element in container.iter():
            element.text = None
            if element is not container:
                element.tail = None
    sizes = [len(value.strip()) for value in _TEXT(root)]
    total = sum(sizes)
    if not candidates:
        # Nothing is furniture: the walk drops nothing and never needs the text size.
        return total, None, 0
    median: set[int] = set()
    blocks = _paragraph_blocks(root)
    # The probe may lie in a hidden element: content hidden wholesale is what it detects.
    every = set(candidates)
    probed = _main_text_block(blocks, strong, every, (hidden, tokened))
    probe = None if probed is None else _probe([_SUBTREE_TEXT(child) for child in probed.iterchildren("p")])
    body = _main_text_block(blocks, strong | hidden, every)
    while body is not None:
        keep.append(body)
        median.add(id(body))
        _add_guard(body, "text")
        body = body.getparent()
    if total:
        # An element holding more than half the text must contain its middle character.
        half = total / 2
        cumulative = 0
        for index, size in enumerate(sizes):
            cumulative += size
            if cumulative >= half:
                string = _NTH_TEXT(root, n=index + 1)[0]
                owner = string.getparent()
                if string.is_tail:
                    owner = owner.getparent()
                while owner is not None:
                    keep.append(owner)
                    median.add(id(owner))
                    owner = owner.getparent()
                break
    headed_ids = {id(element) for element in headed}
    doomed: list[Any] = []
    for element in candidates:
        key = id(element)
        if key in headed_ids:
            _add_guard(element, "heading")
        elif key not in median and key not in h1_path:
            doomed.append(element)
            continue
        if key in median and "text" not in (element.get(_GUARD) or "").split():
            size = sum(len(value.strip()) for value in _SUBTREE_TEXT(element))
            _add_guard(element, f"median={size}")
    # Whether the walk would drop any: it never meets furniture inside <noscript> and the
    # like. Only "none or some" matters (see _lost_content), so the first one settles it.
    dropped = int(any(next(element.iterancestors(*_SKIP_TAGS), None) is None for element in doomed))
    for element in doomed:
        _remove_keeping_tail(element)
    return total, probe, dropped


def _probe(paragraphs: Iterable[Iterable[str]]) -> str | None:
    """The folded end of the longest string in the paragraphs (given as their strings): a content probe.

    A string, not a paragraph: the walk may cut a paragraph into blocks (at a <br>, a
    bold label), never a string.
    """
    folded = (" ".join(string.split()) for strings in paragraphs for string in strings)
    return max(folded, key=len, default="")[-_PROBE_CHARS:] or None


def _main_text_block(
    blocks: list[tuple[int, Any]],
    strong: set[Any],
    candidates: set[Any],
    pair: tuple[set[Any], set[Any]] | None = None,
) -> Any | None:
    """The page's article body: the largest paragraph block under no furniture candidate,
    else the largest one outside furniture by tag, role or hiding.

    Only class/id tokens can mark an article body furniture by mistake ("entry share",
    a theme's wrapper classes), and only when they cover every paragraph block of the
    page is the largest one taken for content; a block inside an element in ``strong``
    (a menu, a footer, a hidden dialog) is never, nor one inside elements of both sets
    of ``pair`` (a hidden box inside a cookie bar).
    """
    fallback = None
    for _size, element in blocks:
        path = [element, *element.iterancestors()]
        if candidates.isdisjoint(path):
            return element
        if fallback is not None or not strong.isdisjoint(path):
            continue
        if pair is not None and not pair[0].isdisjoint(path) and not pair[1].isdisjoint(path):
            continue
        fallback = element
    return fallback


def _paragraph_blocks(root: Any) -> list[tuple[int, Any]]:
    """Elements holding two or more paragraphs of ``_MIN_MAIN_TEXT`` characters in all, largest first."""
    sizes: dict[Any, list[int]] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is None or next(paragraph.iterancestors(*_SKIP_TAGS), None) is not None:
            continue  # the walk never reads text inside <noscript> and the like
        size = sum(len(value.strip()) for value in _SUBTREE_TEXT(paragraph))
        entry = sizes.get(parent)
        if entry is None:
            sizes[parent] = [size, 1]
        else:
            entry[0] += size
            entry[1] += 1
    return sorted(
        ((size, element) for element, (size, count) in sizes.items() if count >= 2 and size >= _MIN_MAIN_TEXT),
        key=lambda item: -item[0],
    )


def _add_guard(element: Any, token: str) -> None:
    """Add one guard token to an element's mark."""
    marks = element.get(_GUARD)
    element.set(_GUARD, f"{marks} {token}" if marks else token)


def _remove_keeping_tail(element: Any) -> None:
    """Detach an lxml element; the text after it stays where it was."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _tokens_hit(value: str, markers: frozenset[str]) -> bool:
    """True when a whole id/class token (split on - _ space and camelCase) is a marker."""
    return any(token.casefold() in markers for token in _CLASS_TOKEN.findall(value))


# How an element is furniture: not at all, only by a class/id token (the weakest sign,
# which the article body overrides), only by hiding, or by its role or hiding and a token.
_NOT_FURNITURE, _BY_TOKEN, _HIDDEN, _STRONG = 0, 1, 2, 3


class _FurnitureCheck:
    """Which elements are furniture candidates by name and attributes (before the guards)."""

    def __init__(self) -> None:
        """Start with empty caches: class and id values repeat a lot within a page."""
        self.furniture = _furniture()
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
        if name in _CANDIDATE_TAGS:
            return True
        return self.by_attributes(attrs.items()) != _NOT_FURNITURE

    def how(self, attrs: Mapping[str, str], name: str) -> int:
        """How an element is furniture (furniture by tag counts as ``_STRONG``)."""
        return _STRONG if name in _CANDIDATE_TAGS else self.by_attributes(attrs.items())

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
                        return _STRONG
                    if isinstance(value, str):
                        disclosure = disclosure or value.casefold() in self.furniture.disclosure_roles
                else:
                    token = token or check(value)
                continue
            hide = self.hiding.get(key)
            if hide is not None and not hidden:
                hidden = hide(value)
        if hidden and not disclosure:
            return _STRONG if token else _HIDDEN
        return _BY_TOKEN if token else _NOT_FURNITURE

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
    furniture = _furniture()
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


class _LabelCheck:
    """Whether an inline element's class names it a label (``<span class="label">``)."""

    def __init__(self) -> None:
        """Start with an empty cache: a page repeats its label classes."""
        self.tokens = frozenset(token.casefold() for token in load_data("boilerplate.json")["label_tokens"])
        self.cache: dict[str, bool] = {}

    def __call__(self, attrs: Mapping[str, str]) -> bool:
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


class _Walker:
    """One walk over a parsed page, emitting pending blocks in document order."""

    def __init__(
        self,
        soup: BeautifulSoup,
        total_text: int | None = None,
        probe: str | None = None,
        dropped: int = 0,
        *,
        furniture: bool = True,
    ) -> None:
        """Set up the walk; ``total_text``, ``probe`` and ``dropped`` come from the lxml pre-pass.

        ``furniture=False`` keeps every element (the fallback cleaning).
        """
        self.soup = soup
        self.furniture = furniture
        self.probe = probe
        self.dropped = dropped  # furniture elements dropped, by the pre-pass and the walk
        self.is_candidate = _FurnitureCheck()
        self.is_label = _LabelCheck()
        self.guard_scans = 0
        self.title: str | None = None
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.total_text = 0
        self.median_path: set[int] = set()
        self.text_path: set[int] = set()
        self.h1_path: set[int] = set()
        self.heading_path: set[int] = set()
        # A pruned tree carries the full page's guards as marks (see _prune); otherwise it
        # is surveyed on the first furniture candidate: pages without any skip the walk.
        self.marked = total_text is not None
        self.surveyed = self.marked
        if total_text is not None:
            self.total_text = total_text

    def _survey(self) -> None:
        """Measure the visible text and mark ancestors of headings and of the median text."""
        self.surveyed = True
        strings: list[tuple[int, Any]] = []
        total = 0
        paragraphs: dict[int, list[Any]] = {}
        node: Any
        for node in self.soup.descendants:
            kind = type(node)
            if kind is NavigableString:
                size = len(node.strip())
                if size:
                    total += size
                    strings.append((total, node))
            elif kind is Tag:
                if node.name in _HEADINGS:
                    self._mark_ancestors(node, self.heading_path)
                    if node.name == "h1":
                        self._mark_ancestors(node, self.h1_path)
                elif (
                    node.name == "p"
                    and node.parent is not None
                    and not any(parent.name in _SKIP_TAGS for parent in node.parents)
                ):
                    size = sum(
                        len(string.strip())
                        for string in node.descendants
                        if type(string) is NavigableString
                    )
                    entry = paragraphs.setdefault(id(node.parent), [node.parent, 0, 0])
                    entry[1] += size
                    entry[2] += 1
        self.total_text = total
        # The article body, as _main_text_block finds it in the pre-pass.
        blocks = sorted(
            (entry for entry in paragraphs.values() if entry[2] >= 2 and entry[1] >= _MIN_MAIN_TEXT),
            key=lambda entry: -entry[1],
        )
        how = self.is_candidate.how
        probed: Tag | None = None
        body: Tag | None = None
        for entry in blocks:
            element = entry[0]
            kinds = {how(tag.attrs, tag.name) for tag in (element, *element.parents) if tag.name not in _NOT_CANDIDATES}
            kinds.discard(_NOT_FURNITURE)
            if _STRONG in kinds or (_HIDDEN in kinds and _BY_TOKEN in kinds):
                continue
            if not kinds:  # under no furniture: the article body, and nothing to guard
                probed = body = element
                break
            probed = probed or element
            if _HIDDEN not in kinds:
                body = body or element
        if probed is not None:
            self.probe = _probe(
                (string for string in child.descendants if type(string) is NavigableString)
                for child in probed.children
                if type(child) is Tag and child.name == "p"
            )
        if body is not None:
            self.text_path.add(id(body))
            self._mark_ancestors(body, self.text_path)
        # An element holding more than half the text must contain its middle character.
        half = total / 2
        for cumulative, string in strings:
            if cumulative >= half:
                self._mark_ancestors(string, self.median_path)
                break

    @staticmethod
    def _mark_ancestors(node: Any, marked: set[int]) -> None:
        """Add the ids of a node's ancestors, stopping where an earlier walk stopped."""
        parent = node.parent
        while parent is not None and id(parent) not in marked:
            marked.add(id(parent))
            parent = parent.parent

    def _guards(self, tag: Tag) -> list[str]:
        """The guard tokens the pre-pass marked on an element."""
        value = tag.attrs.get(_GUARD)
        return value.split() if isinstance(value, str) else []

    def _on_h1_path(self, tag: Tag) -> bool:
        """True when the element contains an h1."""
        if self.marked:
            return "h1" in self._guards(tag)
        return id(tag) in self.h1_path

    def _holds_majority(self, tag: Tag) -> bool:
        """True when the element holds more than half of the page's visible text."""
        median: str | None = None
        if self.marked:
            median = next((t for t in self._guards(tag) if t.startswith("median=")), None)
            if median is None:
                return False
        elif id(tag) not in self.median_path:
            return False
        self.guard_scans += 1
        if self.guard_scans > _MAX_GUARD_SCANS:
            return True
        if median is not None:
            return int(median.removeprefix("median=")) * 2 > self.total_text
        size = 0
        for node in tag.descendants:
            if type(node) is NavigableString:
                size += len(node.strip())
        return size * 2 > self.total_text

    def _droppable(self, tag: Tag) -> bool:
        """Guards on a furniture candidate: a header with a heading, or most of the text, stays."""
        if not self.surveyed:
            self._survey()
        if tag.name == "header" and (
            "heading" in self._guards(tag) if self.marked else id(tag) in self.heading_path
        ):
            return False
        if "text" in self._guards(tag) if self.marked else id(tag) in self.text_path:
            return False
        return not self._holds_majority(tag)

    def _read_head_tag(self, tag: Tag, name: str) -> None:
        """Record <title>, <link rel=canonical> and og:url."""
        if name == "title":
            if self.title is None:
                title = " ".join(tag.get_text().split())
                self.title = title or None
        elif name == "link":
            rel: Any = tag.get("rel") or []
            rels = rel if isinstance(rel, list) else str(rel).split()
            # The pre-pass keeps the href as written (lxml's serialiser escapes it).
            href = tag.get(_HREF) if self.marked else tag.get("href")
            if (
                self.canonical is None
                and isinstance(href, str)
                and href.strip()
                and any(value.casefold() == "canonical" for value in rels)
            ):
                self.canonical = href.strip()
        elif name == "meta":
            content = tag.get("content")
            if self.og_url is None and tag.get("property") == "og:url" and isinstance(content, str):
                self.og_url = content.strip() or None

    def run(self) -> tuple[list[_Pending], str | None, str | None]:
        """Walk the tree once and return (blocks, page title, url)."""
        root_sink: list[_Pending] = []
        sinks: list[list[_Pending]] = [root_sink]
        contexts: list[tuple[BlockKind, int]] = [("paragraph", 0)]
        rows: list[list[list[_Pending]]] = []
        definitions: list[list[list[_Pending] | None]] = []
        pieces: list[str] = []
        bold_flags: list[bool] = []
        bold = 0
        heading_depth = 0
        list_depth = 0
        pre_depth = 0
        suppress = 0

        def flush() -> None:
            """Turn the inline text gathered since the last block boundary into a block."""
            if not pieces:
                return
            raw = "".join(pieces)
            flags = bold_flags[:]
            parts = pieces[:]
            pieces.clear()
            bold_flags.clear()
            text = " ".join(raw.split())
            if not text:
                return
            kind, level = contexts[-1]
            sink = sinks[-1]
            if kind != "heading" and any(flags):
                block = _bold_block(parts, flags, kind)
                if block is not None:
                    sink.append(block)
                    return
            sink.append((kind, text, level, None))

        stack: list[Any] = [self.soup]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is NavigableString:
                if suppress:
                    continue
                if pre_depth and "\n" in node:
                    for index, line in enumerate(node.split("\n")):
                        if index and pieces:
                            flush()
                        pieces.append(line)
                        bold_flags.append(bold > 0)
                else:
                    pieces.append(node)
                    bold_flags.append(bold > 0)
                continue
            if kind is tuple:
                action = node[0]
                if action == "bold":
                    bold -= 1
                elif action == "suppress":
                    suppress -= 1
                elif action == "restore":
                    if pieces:
                        flush()
                    suppress = node[1]
                elif action == "block":
                    if pieces:
                        flush()
                    contexts.pop()
                    if node[1] == "heading":
                        heading_depth -= 1
                    elif node[1] == "pre":
                        pre_depth -= 1
                elif action == "list":
                    if pieces:
                        flush()
                    list_depth -= 1
                elif action == "row":
                    if pieces:
                        flush()
                    _emit_row(rows.pop(), sinks[-1])
                elif action == "cell":
                    if pieces:
                        flush()
                    contexts.pop()
                    cell = sinks.pop()
                    if rows:
                        rows[-1].append(cell)
                    else:
                        sinks[-1].extend(cell)
                elif action == "dt":
                    if pieces:
                        flush()
                    contexts.pop()
                    term = sinks.pop()
                    if definitions:
                        pending = definitions[-1][0]
                        if pending:
                            sinks[-1].extend(_as_heading(pending))
                        definitions[-1][0] = term
                    else:
                        sinks[-1].extend(_as_heading(term))
                elif action == "dd":
                    if pieces:
                        flush()
                    contexts.pop()
                    value = sinks.pop()
                    label_blocks = definitions[-1][0] if definitions else None
                    if definitions:
                        definitions[-1][0] = None
                    if label_blocks:
                        _emit_labelled(label_blocks, value, sinks[-1])
                    else:
                        sinks[-1].extend(value)
                elif action == "dl":
                    if pieces:
                        flush()
                    pending = definitions.pop()[0]
                    if pending:
                        sinks[-1].extend(_as_heading(pending))
                continue
            if kind is not Tag and kind is not BeautifulSoup:
                continue  # comments, doctype, script and style strings
            name = node.name
            if name in _SKIP_TAGS:
                continue
            if name in ("title", "link", "meta"):
                self._read_head_tag(node, name)
                continue
            if (
                name not in _NEVER_DROP
                and self.furniture
                and self.is_candidate(node.attrs, name)
                and self._droppable(node)
            ):
                self.dropped += 1
                if self._on_h1_path(node):
                    # Drop the menu but keep the page's h1 inside it.
                    if pieces:
                        flush()
                    suppress += 1
                    stack.append(("suppress",))
                    stack.extend(reversed(node.contents))
                continue
            if suppress:
                if name == "h1":
                    stack.append(("restore", suppress))
                    suppress = 0
                    stack.append(("block", "heading"))
                    contexts.append(("heading", 1))
                    heading_depth += 1
                    stack.extend(reversed(node.contents))
                elif self._on_h1_path(node):
                    stack.extend(reversed(node.contents))
                continue
            if name not in _BLOCKS or (heading_depth and name not in _HEADINGS):
                if name in _BOLD or (name == "span" and self.is_label(node.attrs)):
                    # <span class="label"> marks a label as <b> does.
                    bold += 1
                    stack.append(("bold",))
                elif name == "br":
                    if heading_depth:
                        pieces.append(" ")
                        bold_flags.append(False)
                    else:
                        if pieces:
                            flush()
                    continue
                elif name == "img" or name == "wbr":
                    continue
                stack.extend(reversed(node.contents))
                continue
            if pieces:
                flush()
            level = _HEADINGS.get(name)
            if level is not None:
                contexts.append(("heading", level))
                heading_depth += 1
                stack.append(("block", "heading"))
            elif name == "li":
                contexts.append(("item", max(1, list_depth)))
                stack.append(("block", "li"))
            elif name in _LISTS:
                list_depth += 1
                stack.append(("list",))
            elif name == "tr":
                rows.append([])
                stack.append(("row",))
            elif name in _CELLS:
                sinks.append([])
                contexts.append(("paragraph", 0))
                stack.append(("cell",))
            elif name == "dl":
                definitions.append([None])
                stack.append(("dl",))
            elif name == "dt" or name == "dd":
                sinks.append([])
                contexts.append(("paragraph", 0))
                stack.append((name,))
            elif name == "hr":
                continue
            else:
                top = contexts[-1]
                # <li><p>…</p></li> is still a list item.
                contexts.append(top if top[0] == "item" else ("paragraph", 0))
                if name in ("pre", "listing", "xmp", "plaintext"):
                    pre_depth += 1
                    stack.append(("block", "pre"))
                else:
                    stack.append(("block", "other"))
            stack.extend(reversed(node.contents))
        if pieces:
            flush()
        while len(sinks) > 1:  # unbalanced only if the walk was cut short
            sinks[-2].extend(sinks.pop())
        return root_sink, self.title, self.canonical or self.og_url


def _bold_block(parts: list[str], flags: list[bool], kind: BlockKind) -> _Pending | None:
    """A pair from ``<b>Label:</b> value`` or an inferred heading from an all-bold line."""
    count = len(parts)
    start = 0
    while start < count and not flags[start] and not parts[start].strip():
        start += 1
    end = start
    while end < count and flags[end]:
        end += 1
    if end == start:
        return None
    label = " ".join("".join(parts[start:end]).split())
    rest = " ".join("".join(parts[end:]).split())
    if not label:
        return None
    if not rest:
        if kind == "paragraph" and len(label) <= _MAX_INFERRED_HEADING and not label.endswith("."):
            return ("heading", label, 0, None)
        return None
    if len(label) > _MAX_LABEL:
        return None
    if label.endswith(":"):
        return ("pair", rest, 0, label)
    if rest.startswith(":"):
        return ("pair", rest[1:].strip(), 0, label)
    # "<b>Příjemce</b> Obec Lhota": a known label needs no colon when the markup sets it
    # apart, unless the line goes on as a sentence ("<b>Cíl projektu</b> je …").
    if not rest[:1].islower() and label_key(label) is not None:
        return ("pair", rest, 0, label)
    return None


def _cell_text(cell: list[_Pending]) -> str:
    """The text of a simple table cell (its blocks joined by spaces)."""
    return " ".join(_pending_text(block) for block in cell)


def _pending_text(block: _Pending) -> str:
    """A pending block's text as it will be rendered."""
    kind, text, _level, label = block
    if kind == "pair" and label is not None:
        return f"{label} {text}" if label.endswith(":") else f"{label}: {text}"
    return text


def _is_structural(cell: list[_Pending]) -> bool:
    """True when a cell holds page structure (lists, pairs, nested rows, real headings)."""
    if len(cell) > _MAX_SIMPLE_CELL_BLOCKS:
        return True
    return any(
        kind in ("pair", "row", "item") or (kind == "heading" and level > 0)
        for kind, _text, level, _label in cell
    )


def _is_label_cell(cell: list[_Pending]) -> bool:
    """A one-line cell short enough to be the label of the next cell."""
    if len(cell) != 1:
        return False
    kind, text, level, _label = cell[0]
    return kind in ("paragraph", "heading") and level == 0 and len(text) <= _MAX_LABEL


def _as_heading(blocks: list[_Pending]) -> list[_Pending]:
    """A definition term without a value: one line becomes an inferred heading."""
    if _is_label_cell(blocks):
        return [("heading", blocks[0][1], 0, None)]
    return blocks


def _emit_labelled(label: list[_Pending], value: list[_Pending], sink: list[_Pending]) -> None:
    """Emit a label cell and its value cell: a pair, or a heading over the value's blocks."""
    if _is_label_cell(label):
        text = label[0][1]
        if len(value) == 1 and value[0][0] in ("paragraph", "heading"):
            sink.append(("pair", value[0][1], 0, text))
            return
        sink.append(("heading", text, 0, None))
        sink.extend(value)
        return
    sink.extend(label)
    sink.extend(value)


def _emit_row(cells: list[list[_Pending]], sink: list[_Pending]) -> None:
    """Turn one table row into a pair, a ``a | b | c`` row, or (layout tables) its blocks."""
    cells = [cell for cell in cells if cell]
    if not cells:
        return
    if len(cells) == 2 and _is_label_cell(cells[0]):
        _emit_labelled(cells[0], cells[1], sink)
        return
    if len(cells) == 1 or any(_is_structural(cell) for cell in cells):
        for cell in cells:
            sink.extend(cell)
        return
    sink.append(("row", " | ".join(_cell_text(cell) for cell in cells), 0, None))


def _strip_tags(text: str) -> list[_Pending]:
    """Last resort when the parse fails: strip tags with regexes, one block per line."""
    text = _FALLBACK_DROP.sub(" ", text)
    text = _FALLBACK_BREAK.sub("\n", text)
    text = html_lib.unescape(_FALLBACK_TAG.sub("", text))
    return [("paragraph", line, 0, None) for line in text.split("\n") if line.strip()]


# --------------------------------------------------------------------------- text dumps


def clean_text(page: LoadedPage) -> Document:
    """Clean a text dump (or Markdown): one block per non-empty line."""
    text, fm_title = split_front_matter(page.text)
    # Only Markdown markup removes characters from inside a line; every other step keeps
    # a line's characters or cuts at its ends. So on a page without markup, a block can
    # say "cookie" only if the page does, and inline markup need not be looked for.
    # Each two-character search is gated by one for its first character: str.find of a
    # single character is an order of magnitude faster, and "]" and "*" are rare.
    raw = page.text
    markup = ("]" in raw and "](" in raw) or ("*" in raw and "**" in raw) or ("_" in raw and "__" in raw)
    gated = markup or _has_word(raw, _LINE_GATE, _furniture().gate)
    # Lines are stripped, so on a page whose only white space is spaces and newlines, a
    # line without a double space is already folded. Every other white space character is
    # unprintable (a test holds it), and one C scan for unprintables costs a third of a
    # regex search for white space; a rare unprintable (soft hyphen) only folds in vain.
    odd_space = not text.replace("\n", " ").isprintable()
    blocks = _rejoin_wrapped(_text_blocks(text, fm_title, markup))
    return _build(blocks, page, fm_title, None, list(page.warnings), gated=gated, odd_space=odd_space)


def _text_blocks(text: str, fm_title: str | None, markup: bool) -> Iterator[_Pending]:
    """The blocks of a text dump's lines, after its front-matter title (if any).

    A blank line yields ``_PARAGRAPH_BREAK``, for ``_rejoin_wrapped`` to read and drop.
    """
    if fm_title:
        # Folded here: clean_text's page-wide white-space check covers the lines only.
        yield ("heading", " ".join(fm_title.split()), 1, None)
    # Indents of the open list levels; a line that is not a list item closes them all.
    indents: list[int] = []
    for line in text.split("\n"):
        if not line.strip():
            # A blank line ends a paragraph: no wrapped sentence runs across it.
            yield _PARAGRAPH_BREAK
            continue
        # Most lines open with two letters, which no list marker is (nor "a)", "1.").
        bullet = None if line[:2].isalpha() else _BULLET.match(line)
        if bullet is None:
            indents.clear()
        else:
            indent = len(bullet.group(1).expandtabs(4))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
        block = _text_line_block(line, bullet, len(indents) or 1, markup)
        if block is not None:
            yield block


# A dump wrapped at a fixed width breaks sentences into lines of 60-100 characters; a
# shorter line without a full stop is a caption, a menu entry or an amount on its own.
_MIN_WRAPPED_LINE = 40
# A line ending in these ends a sentence or introduces what follows; one ending in a
# hyphen or dash may be a word split in two, which a space would not mend.
_NOT_WRAPPED_ENDS = ".!?:;-–—…"
_SENTENCE_ENDS = ".!?)"
# What ``_text_blocks`` yields for a blank line; ``_rejoin_wrapped`` drops it.
_PARAGRAPH_BREAK: _Pending = ("paragraph", "", 0, None)


def _rejoin_wrapped(blocks: Iterable[_Pending]) -> Iterator[_Pending]:
    """Paragraph lines of a wrapped dump joined back into their sentence.

    A paragraph line of ``_MIN_WRAPPED_LINE`` characters or more that does not end a
    sentence, followed by a paragraph line that opens in lower case and is as long or ends
    the sentence, is one sentence the dump broke ("Aktivity projektu" / "zahrnují kurzy …").
    Label lines, pairs, headings and list items are never joined, nor lines a blank line
    parts. The joined block has one space where the line break was, so the cleaned text
    keeps its length and every later block its offsets.
    """
    held: _Pending | None = None
    for block in blocks:
        if block is _PARAGRAPH_BREAK:
            if held is not None:
                yield held
            held = None
            continue
        if held is not None and _continues(held[1], block):
            held = ("paragraph", f"{held[1]} {block[1]}", 0, None)
            continue
        if held is not None:
            yield held
        held = block if block[0] == "paragraph" else None
        if held is None:
            yield block
    if held is not None:
        yield held


def _continues(previous: str, block: _Pending) -> bool:
    """Whether ``block`` carries on the wrapped paragraph line ``previous``."""
    kind, text, _, _ = block
    if kind != "paragraph" or not (text[:1].isalpha() and text[:1].islower()):
        return False
    if len(previous) < _MIN_WRAPPED_LINE or previous[-1:] in _NOT_WRAPPED_ENDS:
        return False
    # A wrapped line is full, or it is a paragraph's last and ends it; a short line
    # without a full stop after a long one is an image's alt text or a caption.
    if len(text) < _MIN_WRAPPED_LINE and text[-1:] not in _SENTENCE_ENDS:
        return False
    # "Celkové výdaje projektu 120 000 Kč" / "z toho dotace …": a label line stands alone.
    return leading_label(previous) is None and leading_label(text) is None


def _text_line_block(
    line: str, bullet: re.Match[str] | None, level: int, markup: bool = True
) -> _Pending | None:
    """Classify one line of a text dump (``bullet`` is its list marker match, if any).

    ``markup=False`` when the page holds no inline Markdown (no ``](``, ``**`` or ``__``).
    """
    body = line[bullet.end() :] if bullet else line
    body = body.strip()
    whole_bold = None
    # Most lines start with a letter: one test rules out an image, a heading and bold.
    if body[:1] in _MARKDOWN_OPENERS:
        if body.startswith("![") and _MD_IMAGE.fullmatch(body):
            return None
        heading = _MD_HEADING.fullmatch(body) if body.startswith("#") else None
        if heading is not None:
            title = _markdown_inline(heading.group(2).rstrip("# \t"))
            return ("heading", title, len(heading.group(1)), None) if title else None
        if body.startswith(("*", "_")):
            whole_bold = _MD_WHOLE_BOLD.fullmatch(body)
    if markup:
        body = _markdown_inline(body)
    if body.startswith("|") or body.endswith("|"):
        body = body.strip("|").strip()
    if not body:
        return None
    if label_key(body) is not None:
        return ("heading", body, 0, None)
    pair = _text_pair(body)
    if pair is not None:
        return pair
    if bullet is not None:
        return ("item", body, level, None)
    if whole_bold is not None and len(body) <= _MAX_INFERRED_HEADING and not body.endswith("."):
        return ("heading", body, 0, None)
    if " | " in body:
        return ("row", body, 0, None)
    return ("paragraph", body, 0, None)


def _text_pair(body: str) -> _Pending | None:
    """``Label: value`` (or a dumped table row ``Label: | value``) with a known label."""
    if " | " in body:
        cells = [cell.strip() for cell in body.split(" | ") if cell.strip()]
        if (
            len(cells) == 2
            and len(cells[0]) <= _MAX_LABEL
            and (cells[0].endswith(":") or label_key(cells[0]) is not None)
        ):
            return ("pair", cells[1], 0, cells[0])
        return None
    colon = body.find(":", 0, _MAX_LABEL + 1)
    if colon <= 0:
        return None
    label = body[:colon]
    value = body[colon + 1 :].strip()
    if not value or label_key(label) is None:
        return None
    return ("pair", value, 0, label + ":")


def _markdown_inline(text: str) -> str:
    """Drop inline images, keep link text, strip bold markers."""
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_BOLD.sub(lambda match: match.group(1) or match.group(2) or "", text)
    return text.strip()


# --------------------------------------------------------------------------- shared


def _is_boilerplate(text: str, furniture: _Furniture, gated: bool = True) -> bool:
    """A furniture line (counter, skip link, cookie notice…) or one with no letter or digit."""
    # A first character that is a letter or digit is a word character (a test holds
    # ``str.isalnum`` to ``\w``); nearly every line opens with one.
    if not (text[:1].isalnum() or _HAS_WORD.search(text)):
        return True
    return len(text) <= _MAX_BOILERPLATE_LINE and furniture.line_matches(text.strip(), gated)


def _build(
    blocks: Iterable[_Pending],
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
    blocks: Iterable[_Pending],
    page: LoadedPage,
    page_title: str | None,
    url: str | None,
    warnings: list[str],
    gated: bool,
    odd_space: bool,
    cleaning: Cleaning | None,
) -> Document:
    """``_build`` without the final check for unsafe characters."""
    furniture = _furniture()
    builder = DocumentBuilder()
    for kind, text, level, label in blocks:
        if kind == "pair" and label is not None:
            if _is_boilerplate(f"{label} {text}", furniture, gated):
                continue
            builder.add_pair(label, text)
        else:
            folded = " ".join(text.split()) if odd_space or "  " in text else text
            if not folded or _is_boilerplate(folded, furniture, gated):
                continue
            builder.add_folded(kind, folded, level)
    fmt: Literal["html", "text"] = page.format
    return builder.build(fmt, page.encoding, page_title, url, tuple(warnings), cleaning)
