"""A decoded page to a Document: ``clean_page`` by format, ``clean_html`` for HTML pages.

HTML is first parsed by lxml alone, which removes what the walk drops for sure (scripts,
comments, menus and footers the guards let go: prune.py); BeautifulSoup(lxml) parses the
rest and it is walked once (walk.py), dropping page furniture (furniture.py). When that
cleaning would have lost the page's content, the page is cleaned again keeping its
furniture. Text dumps are read line by line (text.py). Either way the pending blocks
become a Document in build.py.
"""

from __future__ import annotations

import html as html_lib
import re
from warnings import catch_warnings, simplefilter

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from pipeline.clean.build import Pending, build_document, pending_text
from pipeline.clean.document import Cleaning, Document
from pipeline.clean.prune import prune
from pipeline.clean.text import clean_text, split_front_matter
from pipeline.clean.walk import Walker
from pipeline.ingest.load import LoadedPage

__all__ = ["clean_html", "clean_page", "clean_text", "split_front_matter"]

# A cleaning that keeps under a fifth of the page's visible text and none of its largest
# paragraph block lost the content (see _lost_content); the probe is that block's longest
# paragraph's last characters (furniture.content_probe).
_MIN_KEPT_SHARE = 5

_FALLBACK_DROP = re.compile(
    r"<(script|style|noscript|template)\b[^>]{0,2000}>.*?</\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_FALLBACK_BREAK = re.compile(
    r"<(?:br|/?(?:p|div|li|tr|h[1-6]|table|ul|ol|section|article|dd|dt|blockquote))\b[^>]{0,2000}>",
    re.IGNORECASE,
)
_FALLBACK_TAG = re.compile(r"<[^>]{0,2000}>")


def clean_page(page: LoadedPage) -> Document:
    """Clean a decoded page into a Document, by its format."""
    if page.format == "html":
        return clean_html(page)
    return clean_text(page)


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
            pruned = prune(text)
            # Attribute values stay plain strings: splitting class/rel lists for every tag
            # costs a tenth of the parse, and only a few tags' classes are ever read.
            if pruned is None:
                walker = Walker(BeautifulSoup(text, "lxml", multi_valued_attributes=None))
            else:
                soup = BeautifulSoup(pruned[0], "lxml", multi_valued_attributes=None)
                walker = Walker(soup, *pruned[1:])
            blocks, page_title, url = walker.run()
            if _lost_content(blocks, walker):
                # The furniture rules took the page's content: clean again without them.
                soup = BeautifulSoup(text, "lxml", multi_valued_attributes=None)
                blocks, page_title, url = Walker(soup, furniture=False).run()
                cleaning = "fallback"
                warnings.append("cleaning would have lost the page's content; furniture kept")
    except (RecursionError, ValueError) as exc:  # ValueError: lxml refuses e.g. lone surrogates
        warnings.append(f"HTML parse failed ({type(exc).__name__}); fell back to tag stripping")
        blocks = _strip_tags(text)
        cleaning = "fallback"
    if fm_title:
        blocks.insert(0, ("heading", fm_title, 1, None))
        page_title = fm_title
    return build_document(blocks, page, page_title, url, warnings, cleaning=cleaning)


def _lost_content(blocks: list[Pending], walker: Walker) -> bool:
    """Whether the full cleaning lost the page's content.

    It did when it dropped furniture and kept under ``1 / _MIN_KEPT_SHARE`` of the
    visible text (no block at all included) without the page's largest paragraph block
    outside menus and footers (they outweigh many good pages' content: size alone says
    little). That block is lost when hidden wholesale or under a wrong guard.
    """
    probe = walker.probe
    if not walker.dropped or probe is None:
        return False
    kept = sum(len(pending_text(block)) for block in blocks)
    if kept * _MIN_KEPT_SHARE >= walker.total_text:
        return False
    return not any(probe in pending_text(block) for block in blocks)


def _strip_tags(text: str) -> list[Pending]:
    """Last resort when the parse fails: strip tags with regexes, one block per line."""
    text = _FALLBACK_DROP.sub(" ", text)
    text = _FALLBACK_BREAK.sub("\n", text)
    text = html_lib.unescape(_FALLBACK_TAG.sub("", text))
    return [("paragraph", line, 0, None) for line in text.split("\n") if line.strip()]

