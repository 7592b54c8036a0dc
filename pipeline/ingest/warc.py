"""Web archives as inputs: the HTML response records of WARC (.warc, .warc.gz) and WACZ files.

Crawlers (``wget --warc-file``, Heritrix, Browsertrix) write WARC files, and Browsertrix
packs them into WACZ (a zip holding ``archive/*.warc.gz``). Each HTTP response record
with status 200 and an HTML content type is a page: discovery lists them from the
archive (``list_pages``) and a worker reads one back by its offset (``read_page``), so
pages of an archive go through the same workers, manifest and record files as page
files. Reading is warcio's (a maintained WARC library), never a hand-written parser.

A page's ``source.path`` is ``<archive>#<offset>`` (``<archive>#<member>#<offset>`` in a
WACZ), its ``source.url`` the record's WARC-Target-URI, and the HTTP ``charset`` is
passed to decoding (it outranks a ``<meta charset>``, as in browsers; a byte-order mark
outranks both).
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, BinaryIO

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from pipeline.errors import PageTooLargeError, UnreadablePageError

__all__ = [
    "ArchivePage",
    "ArchiveSkip",
    "PageRecord",
    "is_archive",
    "list_pages",
    "read_page",
    "split_archive_path",
]

_ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")
_WACZ_MEMBER_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_archive(name: str) -> bool:
    """Whether a file name is a web archive's.

    >>> is_archive("crawl.warc.gz"), is_archive("site.WACZ"), is_archive("page.html")
    (True, True, False)
    """
    return name.lower().endswith(_ARCHIVE_SUFFIXES)


def split_archive_path(path: str) -> tuple[str, str | None, int] | None:
    """The archive, WACZ member and offset a page's ``source.path`` names, or None.

    >>> split_archive_path("crawl.warc.gz#4817"), split_archive_path("a/site.wacz#archive/d.warc#0")
    (('crawl.warc.gz', None, 4817), ('a/site.wacz', 'archive/d.warc', 0))
    >>> split_archive_path("raw/page#2.html") is None
    True
    """
    head, sep, tail = path.rpartition("#")
    if not sep or not tail.isdigit():
        return None
    at = head.lower().rfind(".wacz#")
    if at >= 0:
        return head[: at + 5], head[at + 6 :], int(tail)
    return (head, None, int(tail)) if is_archive(head) else None


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """An HTML response record of an archive, as discovery lists it."""

    member: str | None
    offset: int
    url: str | None
    sha256: str
    size: int

    @property
    def suffix(self) -> str:
        """What follows the archive's path in ``source.path``: ``#offset`` or ``#member#offset``."""
        return f"#{self.offset}" if self.member is None else f"#{self.member}#{self.offset}"


@dataclass(frozen=True, slots=True)
class ArchiveSkip:
    """A response record that is not a page (or an archive that cannot be read), and why."""

    suffix: str
    reason: str


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page read back from an archive: its payload, address and declared charset."""

    data: bytes
    url: str | None
    charset: str | None


def _content_type(record: object) -> tuple[str, str | None]:
    """The HTTP media type (lower case) and charset parameter of a response record."""
    headers = getattr(record, "http_headers", None)
    value = headers.get_header("Content-Type") if headers is not None else None
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for part in parts[1:]:
        name, _, val = part.partition("=")
        if name.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return parts[0].lower(), charset


def _status(record: object) -> str:
    """The HTTP status code of a response record ("" when it has none)."""
    headers = getattr(record, "http_headers", None)
    code = headers.get_statuscode() if headers is not None else None
    return str(code or "")


@contextmanager
def _streams(path: str) -> Iterator[list[tuple[str | None, IO[bytes]]]]:
    """The WARC streams of an archive: the file itself, or each WARC member of a WACZ."""
    if not path.lower().endswith(".wacz"):
        with open(path, "rb") as handle:
            yield [(None, handle)]
        return
    with zipfile.ZipFile(path) as archive:
        members = sorted(n for n in archive.namelist()
                         if n.startswith("archive/") and n.lower().endswith(_WACZ_MEMBER_SUFFIXES))
        opened: list[tuple[str | None, IO[bytes]]] = [(name, archive.open(name)) for name in members]
        try:
            yield opened
        finally:
            for _, stream in opened:
                stream.close()


def list_pages(path: str) -> Iterator[ArchivePage | ArchiveSkip]:
    """Every response record of an archive: a page (with its payload's sha256), or a skip.

    Request, metadata and other records are not inputs and are not listed. An archive
    that stops being readable ends with a skip naming the error.
    """
    try:
        with _streams(path) as streams:
            for member, stream in streams:
                yield from _list_stream(member, stream)
    except (OSError, zipfile.BadZipFile, ArchiveLoadFailed, ValueError, EOFError) as exc:
        yield ArchiveSkip("", f"web archive cannot be read: {exc}")


def _list_stream(member: str | None, stream: IO[bytes]) -> Iterator[ArchivePage | ArchiveSkip]:
    """The response records of one WARC stream."""
    records = ArchiveIterator(stream)
    for record in records:
        if record.rec_type != "response":
            continue
        status = _status(record)
        media, _ = _content_type(record)
        page = status == "200" and media in _HTML_TYPES
        # The payload is read anyway to reach the next record: its digest costs little
        # more, and lets a rerun settle an unchanged page without a worker. (warcio's
        # offset is known only once the record has been read to its end.)
        digest, size = hashlib.sha256(), 0
        if page:
            content = record.content_stream()
            while chunk := content.read(1 << 16):
                size += len(chunk)
                digest.update(chunk)
        offset = int(records.get_record_offset())
        suffix = f"#{offset}" if member is None else f"#{member}#{offset}"
        if status != "200":
            yield ArchiveSkip(suffix, f"web archive record: HTTP status {status or 'missing'}")
        elif not page:
            yield ArchiveSkip(suffix, "web archive record: not HTML")
        else:
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield ArchivePage(member, offset, url, digest.hexdigest(), size)


def read_page(path: str, member: str | None, offset: int, max_bytes: int) -> PageRecord:
    """The payload of the response record at ``offset`` (in ``member`` of a WACZ)."""
    where = f"{path}#{offset}" if member is None else f"{path}#{member}#{offset}"
    try:
        if member is None:
            with open(path, "rb") as handle:
                return _read_at(handle, offset, max_bytes, where)
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            return _read_at(stream, offset, max_bytes, where)
    except (OSError, zipfile.BadZipFile, KeyError, ArchiveLoadFailed, ValueError, EOFError) as exc:
        raise UnreadablePageError(f"cannot read the web archive record: {exc}", where) from exc


def _read_at(stream: BinaryIO | IO[bytes], offset: int, max_bytes: int, where: str) -> PageRecord:
    """Seek to a record and read its HTTP payload (decoded from transfer and content encoding)."""
    stream.seek(offset)
    for record in ArchiveIterator(stream):
        content = record.content_stream()
        data = content.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise PageTooLargeError(f"the record's page is larger than {max_bytes:,} bytes", where)
        _, charset = _content_type(record)
        return PageRecord(data, record.rec_headers.get_header("WARC-Target-URI"), charset)
    raise UnreadablePageError("no web archive record at this offset", where)
