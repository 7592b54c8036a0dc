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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Every name is imported on first use: spaCy, lxml and Pydantic take a second or two to
# load, and ``python -m pipeline`` imports this package before its ``__main__`` can catch
# a Ctrl-C. Importing the package itself must take no time worth interrupting.
_HOME = {
    "extract_page": "pipeline.api",
    "iter_records": "pipeline.api",
    "SCHEMA_VERSION": "pipeline.records",
    "Record": "pipeline.records",
    "EXTRACTOR_VERSION": "pipeline.settings",
    "Settings": "pipeline.settings",
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first asked for."""
    if name not in __all__:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_HOME.get(name, "pipeline.errors")), name)
    globals()[name] = value
    return value
