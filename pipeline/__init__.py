"""Turn raw Czech web pages about EU-funded projects into validated, structured records.

The library API (the command line in ``pipeline.cli`` is a thin layer over it)::

    from pipeline import extract_file, Settings
    record = extract_file("raw/page.html", Settings())
    print(record.to_json())
"""

from pipeline.core import clean_bytes, extract_bytes, extract_file
from pipeline.errors import (
    BinaryPageError,
    EmptyPageError,
    GoldFormatError,
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
    "clean_bytes",
    "extract_bytes",
    "extract_file",
]
__version__ = "0.1.0"
