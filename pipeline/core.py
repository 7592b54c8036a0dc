"""Orchestration: one page (path or bytes) to one validated record.

``extract_bytes`` is the per-page function every engine (local processes, Dask) calls.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.clean.document import Document
from pipeline.clean.html import clean_page
from pipeline.errors import PageError
from pipeline.extract import extract_record, extract_records
from pipeline.extract.nlp import get_nlp
from pipeline.ingest.load import decode_page, read_bytes
from pipeline.records import Record
from pipeline.settings import Settings
from pipeline.vocab import load_data

__all__ = ["clean_bytes", "extract_bytes", "extract_bytes_records", "extract_file", "extract_file_records", "warm_up"]

DEFAULT_SETTINGS = Settings()


def clean_bytes(
    data: bytes, path: str, settings: Settings = DEFAULT_SETTINGS, *, charset: str | None = None
) -> Document:
    """Decode and clean raw page bytes into the Document that evidence offsets index.

    ``charset``: one an HTTP header declared (a web archive's page), as for extraction.
    """
    return clean_page(decode_page(data, path, settings, charset=charset))


def extract_bytes(
    data: bytes,
    path: str,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    sha256: str | None = None,
    charset: str | None = None,
    url: str | None = None,
) -> Record:
    """Turn the raw bytes of one page into one record; raises PageError subclasses.

    ``sha256`` is the hex digest of ``data`` when the caller has already taken it;
    ``charset`` one an HTTP header declared; ``url`` the address the page was fetched
    from (a web archive record's), which ``source.url`` then holds. A page that describes
    several projects gives one record for the whole page here; ``extract_bytes_records``
    gives one per project.
    """
    return _records(data, path, settings, sha256, charset, url, split=False)[0]


def extract_file(path: Path | str, settings: Settings = DEFAULT_SETTINGS) -> Record:
    """Read one file and extract its record; ``source.path`` is the path as given."""
    return extract_bytes(read_bytes(path, settings), str(path), settings)


def extract_bytes_records(
    data: bytes,
    path: str,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    sha256: str | None = None,
    charset: str | None = None,
    url: str | None = None,
) -> list[Record]:
    """One record per project the page describes (most pages: one); as ``extract_bytes`` otherwise."""
    return _records(data, path, settings, sha256, charset, url, split=True)


def _records(
    data: bytes,
    path: str,
    settings: Settings,
    sha256: str | None,
    charset: str | None,
    url: str | None,
    *,
    split: bool,
) -> list[Record]:
    """Decode, clean and extract a page: its record, or with ``split`` one per project."""
    document = clean_page(decode_page(data, path, settings, charset=charset))
    digest = sha256 if sha256 is not None else hashlib.sha256(data).hexdigest()
    if split:
        records = extract_records(document, path=path, sha256=digest, min_confidence=settings.min_confidence)
    else:
        records = [extract_record(document, path=path, sha256=digest, min_confidence=settings.min_confidence)]
    if url is not None:
        records = [r.model_copy(update={"source": r.source.model_copy(update={"url": url})}) for r in records]
    return records


def extract_file_records(path: Path | str, settings: Settings = DEFAULT_SETTINGS) -> list[Record]:
    """Read one file and extract one record per project it describes."""
    return extract_bytes_records(read_bytes(path, settings), str(path), settings)


def warm_up() -> None:
    """Load the spaCy pipeline and every data table once (worker start-up).

    The tables are built lazily, on first use: one extraction of a small page that
    walks the rules builds them here, not during a worker's first real page (half a
    second, counted against that page's time limit).
    """
    get_nlp()
    try:
        extract_bytes(_warm_up_page().encode("utf-8"), "warm-up.txt")
    except PageError:
        pass  # a page the rules refuse still built the tables it reached


def _warm_up_page() -> str:
    """A page made of every field label, a programme, a registration number, dates, money."""
    labels = [synonyms[0] for key, synonyms in load_data("labels.json").items()
              if not key.startswith("_") and synonyms]
    programme = load_data("programmes.json")["programmes"][0]["name"]
    lines = [f"{label}: projekt {programme}, 1. 1. 2020 – 31. 12. 2021, 1 000 Kč" for label in labels]
    return "\n".join(["Projekt", *lines, "CZ.03.2.60/0.0/0.0/16_052/0009098"])
