"""Turn raw Czech web pages about EU-funded projects into validated, structured records.

The library API (the command line in ``pipeline.cli`` is a thin layer over it)::

    from pathlib import Path
    from pipeline import extract_page, iter_records

    record = extract_page(html_bytes, url="https://example.cz/projekt")
    record = extract_page(Path("raw/page.html"))
    for record in iter_records(["raw/"]):
        print(record.title)

Everything not in ``__all__`` is private and may change without notice.
"""

from pipeline.api import extract_page, iter_records
from pipeline.errors import (
    BinaryPageError,
    EmptyPageError,
    GoldFormatError,
    NoRecordsError,
    OutputError,
    OutputLockedError,
    PageError,
    PageTimeoutError,
    PageTooLargeError,
    PipelineError,
    UnreadablePageError,
    UsageError,
)
from pipeline.records import SCHEMA_VERSION, Record
from pipeline.settings import EXTRACTOR_VERSION, Settings

__all__ = [
    "EXTRACTOR_VERSION",
    "SCHEMA_VERSION",
    "BinaryPageError",
    "EmptyPageError",
    "GoldFormatError",
    "NoRecordsError",
    "OutputError",
    "OutputLockedError",
    "PageError",
    "PageTimeoutError",
    "PageTooLargeError",
    "PipelineError",
    "Record",
    "Settings",
    "UnreadablePageError",
    "UsageError",
    "extract_page",
    "iter_records",
]
__version__ = "0.1.0"
