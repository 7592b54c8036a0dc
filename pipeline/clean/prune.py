"""The lxml pre-pass: drop what the walk drops for sure before BeautifulSoup builds its tree.

Building the BeautifulSoup tree (in Python) is most of the time of a page, and half of a
typical page is menus, footers, scripts and icons that the walk drops unread. lxml (C)
parses the same text the same way bs4's lxml builder does; the pre-pass surveys that full
tree for the walk's guards, removes what the walk would certainly drop, and hands the
serialised rest to BeautifulSoup. The walk then reads the guards from marks on the kept
elements instead of surveying its (smaller) tree, so every decision is the one it would
take on the whole page.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from pipeline.clean.furniture import (
    BY_TOKEN,
    CANDIDATE_TAGS,
    GUARD,
    HEADINGS,
    HIDDEN,
    HREF,
    MIN_MAIN_TEXT,
    NOT_CANDIDATES,
    NOT_FURNITURE,
    SKIP_TAGS,
    STRONG,
    FurnitureCheck,
    content_probe,
)

__all__ = ["prune"]

_TEXT = etree.XPath("//text()", smart_strings=False)
_SUBTREE_TEXT = etree.XPath(".//text()", smart_strings=False)
_NTH_TEXT = etree.XPath("(//text())[$n]")
# lxml's serialiser escapes the raw text of these, which a second parse reads differently.
_RAW_TEXT_TAGS = ("xmp", "plaintext", "noembed", "noframes")
# Ruby text is not a NavigableString in bs4 but stays in the tree; rare, so not handled.
_UNSUPPORTED_TAGS = (*_RAW_TEXT_TAGS, "rt", "rp")
# libxml2 builds trees at most 256 deep and drops what lies deeper (bs4's event-built tree
# keeps it): a page reaching near that depth is parsed whole.
_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * 253 + ")")
# bs4 sees a DOCTYPE inside the page as a node that splits the text around it; lxml's tree
# drops it, so such pages skip the pre-pass. A leading one (after comments) is harmless.
_DOCTYPE = re.compile(r"<!doctype", re.IGNORECASE)
_HTML_SPACE = " \t\n\r\f"


def prune(text: str) -> tuple[str, int, str | None, int] | None:
    """The page without the subtrees the walk drops for sure, its visible text size, its
    probe and whether it dropped furniture the walk would meet (1) or not (0).

    The probe is the end of the longest paragraph of the page's largest paragraph block
    outside menus, footers and other furniture by tag or role (see _lost_content in html.py); None
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
            root, etree.Comment, etree.ProcessingInstruction, *SKIP_TAGS, with_tail=False
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
                link.set(HREF, href)
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
    """Survey the full tree as Walker._survey does, mark the guards, drop sure furniture.

    Returns the visible text size, the content probe and the count of dropped elements
    (see prune), None when bs4 would read an attribute name differently.
    """
    check = FurnitureCheck()
    attribute_names = check.attribute_names
    candidates: list[Any] = []
    strong: set[Any] = set()  # candidates by tag, role, or hiding and a token (see _main_text_block)
    hidden: set[Any] = set()  # candidates only by hiding
    tokened: set[Any] = set()  # candidates only by a class/id token
    own_marks: list[Any] = []
    for element in root.iter():
        name = element.tag
        candidate = name in CANDIDATE_TAGS
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
                elif key == GUARD or key == HREF:
                    own_marks.append(element)
            if marked and not candidate and name not in NOT_CANDIDATES:
                if marked == 1 and only_class is not None:
                    # Most elements carry a class and no other such attribute: the cache answers.
                    how = BY_TOKEN if check.class_hit(only_class)[0] else NOT_FURNITURE
                else:
                    how = check.by_attributes(items)
                candidate = how != NOT_FURNITURE
                if how == STRONG:
                    strong.add(element)
                elif how == HIDDEN:
                    hidden.add(element)
                elif how == BY_TOKEN:
                    tokened.add(element)
        if candidate:
            candidates.append(element)
            if name in CANDIDATE_TAGS:
                strong.add(element)
    for element in own_marks:
        element.attrib.pop(GUARD, None)  # the page's own, not ours
        element.attrib.pop(HREF, None)
    # Headings count wherever they are (as in the survey), so look before any text goes.
    headed = [
        element
        for element in candidates
        if element.tag == "header" and next(element.iter(*HEADINGS), None) is not None
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
    probe = None if probed is None else content_probe([_SUBTREE_TEXT(child) for child in probed.iterchildren("p")])
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
        if key in median and "text" not in (element.get(GUARD) or "").split():
            size = sum(len(value.strip()) for value in _SUBTREE_TEXT(element))
            _add_guard(element, f"median={size}")
    # Whether the walk would drop any: it never meets furniture inside <noscript> and the
    # like. Only "none or some" matters (see _lost_content in html.py): the first one settles it.
    dropped = int(any(next(element.iterancestors(*SKIP_TAGS), None) is None for element in doomed))
    for element in doomed:
        _remove_keeping_tail(element)
    return total, probe, dropped


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
    """Elements holding two or more paragraphs of ``MIN_MAIN_TEXT`` characters in all, largest first."""
    sizes: dict[Any, list[int]] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is None or next(paragraph.iterancestors(*SKIP_TAGS), None) is not None:
            continue  # the walk never reads text inside <noscript> and the like
        size = sum(len(value.strip()) for value in _SUBTREE_TEXT(paragraph))
        entry = sizes.get(parent)
        if entry is None:
            sizes[parent] = [size, 1]
        else:
            entry[0] += size
            entry[1] += 1
    return sorted(
        ((size, element) for element, (size, count) in sizes.items() if count >= 2 and size >= MIN_MAIN_TEXT),
        key=lambda item: -item[0],
    )


def _add_guard(element: Any, token: str) -> None:
    """Add one guard token to an element's mark."""
    marks = element.get(GUARD)
    element.set(GUARD, f"{marks} {token}" if marks else token)


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
