"""The library API: one page to a record, many pages to records, in the caller's process.

``extract_page`` is what ``trafilatura.extract(html)`` is to trafilatura: give it the
page, get the record. ``iter_records`` walks files and folders the way ``extract`` does
(page files only, sorted) without an output folder, a manifest or worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pipeline.core import DEFAULT_SETTINGS, extract_bytes, extract_bytes_records
from pipeline.errors import PageError, UsageError
from pipeline.ingest.load import read_bytes
from pipeline.ingest.warc import read_page
from pipeline.records import Record
from pipeline.run.discover import Discovered, discover_inputs
from pipeline.settings import Settings

__all__ = ["extract_page", "iter_records"]

# ``source.path`` of a page given as bytes or text with no ``path``.
IN_MEMORY_PATH = "<memory>"


def extract_page(
    page: bytes | str | os.PathLike[str],
    *,
    url: str | None = None,
    path: str | None = None,
    settings: Settings | None = None,
) -> Record:
    """The record of one page: raw bytes, its text (HTML or plain) or a file path.

    A ``str`` is the page's content, never a file name: pass a ``pathlib.Path`` to read a
    file. ``url`` is where the page was found (``source.url``, unless the page names its
    canonical address); ``path`` sets ``source.path`` for bytes and text (default
    ``"<memory>"``; its extension, if any, helps tell HTML from text). Raises a
    ``PageError`` subclass when the page cannot become a record.

    >>> extract_page("Název projektu: Zahrada pro všechny\\nProjekt je spolufinancován EU.").title
    'Zahrada pro všechny'
    """
    chosen = settings if settings is not None else DEFAULT_SETTINGS
    if isinstance(page, os.PathLike):
        name = os.fspath(page)
        record = extract_bytes(read_bytes(name, chosen), path if path is not None else name, chosen)
    elif isinstance(page, bytes):
        record = extract_bytes(page, path if path is not None else IN_MEMORY_PATH, chosen)
    elif isinstance(page, str):
        record = extract_bytes(page.encode("utf-8"), path if path is not None else IN_MEMORY_PATH,
                               chosen)
    else:
        raise UsageError(f"extract_page takes bytes, str or a path, not {type(page).__name__}")
    if url is not None and record.source.url is None:
        record = record.model_copy(update={"source": record.source.model_copy(update={"url": url})})
    return record


def iter_records(
    paths: Iterable[str | os.PathLike[str]],
    *,
    settings: Settings | None = None,
    on_error: Callable[[PageError], None] | None = None,
) -> Iterator[Record]:
    """Records of the pages under ``paths`` (files, folders walked for page files, web archives).

    One record per page, or one per project of a page that describes several (as
    ``extract`` writes them); ``extract_page`` gives one record for the whole page.

    A page that cannot become a record raises its ``PageError``, unless ``on_error`` is
    given: it is then called with the error and the walk goes on.
    """
    chosen = settings if settings is not None else DEFAULT_SETTINGS
    given = [Path(p) for p in paths]
    for missing in (p for p in given if not os.path.lexists(p)):
        raise UsageError(f"input not found: {missing}")
    for item in discover_inputs(given, None, follow_links=chosen.follow_links):
        if not isinstance(item, Discovered):
            continue
        try:
            if item.archive is not None:
                found = read_page(*item.archive, chosen.max_page_bytes)
                yield from extract_bytes_records(found.data, item.path, chosen,
                                                 charset=found.charset, url=found.url)
            else:
                yield from extract_bytes_records(read_bytes(item.path, chosen), item.path, chosen)
        except PageError as exc:
            if on_error is None:
                raise
            on_error(exc)
