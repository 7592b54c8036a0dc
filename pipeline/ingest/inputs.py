"""Which files found in an input folder are pages: by name, by their first bytes, by globs.

A folder of a saved or crawled site holds style sheets, scripts, images, sitemaps and
``robots.txt`` beside its pages; made into records they are all-null noise. Discovery
asks ``InputSelection.skip_reason`` about every file it finds in a folder (files given
by name are always taken): page extensions are taken, other extensions and the
well-known non-page files are skipped by name, and a file with no or an unknown
extension is taken only when its first bytes look like HTML. ``--include`` globs replace
the name rule, ``--exclude`` globs skip what they match. The word lists are data
(``pipeline/data/inputs.json``).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pipeline.vocab import load_data

__all__ = ["InputSelection", "looks_like_html"]


@dataclass(frozen=True, slots=True)
class _Rules:
    """The name and content rules of ``pipeline/data/inputs.json``."""

    page_extensions: frozenset[str]
    not_page_extensions: frozenset[str]
    not_page_names: frozenset[str]
    html_markers: tuple[bytes, ...]
    sniff_bytes: int


@cache
def _rules() -> _Rules:
    """The rules, loaded once."""
    data = load_data("inputs.json")
    return _Rules(
        frozenset(data["page_extensions"]), frozenset(data["not_page_extensions"]),
        frozenset(data["not_page_names"]),
        tuple(m.encode("ascii") for m in data["html_markers"]), int(data["sniff_bytes"]),
    )


def looks_like_html(head: bytes) -> bool:
    """Whether a file's first bytes start like an HTML page (after a BOM and white space).

    >>> looks_like_html(b"\\xef\\xbb\\xbf  <!DOCTYPE html><html>"), looks_like_html(b"body { color: red }")
    (True, False)
    """
    markers = _rules().html_markers
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            if bom != b"\xef\xbb\xbf":
                head = head.replace(b"\x00", b"")  # UTF-16: ASCII markers are every other byte
            break
    return head.lstrip().lower().startswith(markers)


def _sniff(path: str) -> bytes:
    """The first bytes of a file (empty when it cannot be read: the worker says why)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(_rules().sniff_bytes)
    except OSError:
        return b""


@dataclass(frozen=True, slots=True)
class InputSelection:
    """The rule deciding which files found in a folder are pages."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @classmethod
    def from_globs(cls, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> InputSelection:
        """A selection from ``--include``/``--exclude`` globs (matched on name or path under the root)."""
        return cls(tuple(include), tuple(exclude))

    def skip_reason(self, path: str, key: str) -> str | None:
        """Why the file found at ``path`` (``key`` under its root) is not a page; None to take it."""
        name = os.path.basename(path)
        if _matches(self.exclude, name, key):
            return "excluded by --exclude"
        if self.include:
            return None if _matches(self.include, name, key) else "not matched by --include"
        rules = _rules()
        lowered = name.lower()
        if lowered in rules.not_page_names:
            return "not a page file (by name)"
        extension = os.path.splitext(lowered)[1]
        if extension in rules.page_extensions:
            return None
        if extension in rules.not_page_extensions:
            return f"not a page file ({extension})"
        # No extension, a numbered copy ("index.html.1"), an unknown one: the content decides.
        if looks_like_html(_sniff(path)):
            return None
        return "not a page file (no page extension, content not HTML)"


def _matches(globs: Sequence[str], name: str, key: str) -> bool:
    """Whether a glob matches the file name or its path under the root."""
    return any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(key, g) for g in globs)
