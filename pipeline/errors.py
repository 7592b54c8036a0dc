"""Exceptions raised by the pipeline library.

The tree::

    PipelineError                 base of everything the library raises on purpose
    ├── PageError                 one page cannot become a record (the batch goes on)
    │   ├── EmptyPageError        the file has no bytes or only white space
    │   ├── BinaryPageError       the bytes are a PDF, image, archive or other non-text
    │   ├── PageTooLargeError     the file is larger than Settings.max_page_bytes
    │   ├── PageTimeoutError      extraction took longer than Settings.page_timeout
    │   └── UnreadablePageError   the file cannot be read (permissions, vanished, loop)
    ├── OutputError               the output folder cannot be written (disk full, bad path)
    │   └── OutputLockedError     another run holds the output folder
    ├── GoldFormatError           a gold annotation file is malformed
    ├── NoRecordsError            a folder to export holds no record files
    └── UsageError                the caller asked for something impossible

Every error carries a message a person can act on; page errors also name the file.
The library never prints: the CLI turns these into messages and exit codes.
"""

from __future__ import annotations

__all__ = [
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
    "UnreadablePageError",
    "UsageError",
]


class PipelineError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class PageError(PipelineError):
    """One page cannot be turned into a record; ``reason`` is a short machine tag."""

    reason = "page-error"

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class EmptyPageError(PageError):
    """The input has no content."""

    reason = "empty"


class BinaryPageError(PageError):
    """The input is not text (PDF, image, archive, ...)."""

    reason = "binary"


class PageTooLargeError(PageError):
    """The input exceeds the configured size limit."""

    reason = "too-large"


class PageTimeoutError(PageError):
    """Extraction of the page exceeded the per-page time limit."""

    reason = "timeout"


class UnreadablePageError(PageError):
    """The input file could not be read from disk."""

    reason = "unreadable"


class OutputError(PipelineError):
    """The output folder or a file in it cannot be written."""


class OutputLockedError(OutputError):
    """Another run is using the same output folder."""


class GoldFormatError(PipelineError):
    """A gold annotation file does not follow the documented format."""


class NoRecordsError(PipelineError):
    """A folder holds no record files: an export of it would be empty."""


class UsageError(PipelineError):
    """The caller asked for something the pipeline cannot do."""
