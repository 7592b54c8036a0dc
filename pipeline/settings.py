"""The one settings object passed through the pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["EXTRACTOR_VERSION", "Settings"]

# Bump whenever a rule, table or code change can change what is extracted: the manifest
# compares it to decide which pages a rerun must redo.
EXTRACTOR_VERSION = "2026.12.07-3"


def _default_workers() -> int:
    """Number of worker processes: one per core."""
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable limits and switches; one instance is built by the CLI or the caller."""

    # 60 MB: the largest real pages seen are < 1 MB; a 50 MB page must still pass.
    max_page_bytes: int = 60 * 1024 * 1024
    # Seconds per page before it is listed as a timeout. The slowest real page (800 KB)
    # takes well under a second; 30 s leaves room for a loaded machine.
    page_timeout: float = 30.0
    workers: int = field(default_factory=_default_workers)
    force: bool = False
    quiet: bool = False
    # Decoded pages longer than this are read only up to here (the record says so in
    # source warnings of `show`); 8 M characters clean in about 4 s, so a 50 MB page ends
    # as a record within the page time limit instead of a timeout.
    max_text_chars: int = 8_000_000
    # Values whose rule's measured precision (evidence confidence) is below this stay null.
    # 0.0 keeps every value.
    min_confidence: float = 0.0
    # A decoded page is read only up to its 50,000th tag ("<", HTML) or line (text). What a
    # worker builds grows with tags and lines, not characters: 100,000 list items took
    # 190 MB and 4 s, 25,000 (50,000 "<") 45 MB and 1 s, within the 250 MB a worker may
    # use. The largest real pages seen have 7,140 "<" and 9,659 lines.
    max_page_parts: int = 50_000
    # Redo every page that failed, even an unchanged page that timed out twice.
    retry_failed: bool = False
    # Follow links to files outside the given input folders.
    follow_links: bool = False
