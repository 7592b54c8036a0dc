"""Small helpers shared by several test modules."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipeline.manifest import MANIFEST_NAME


def manifest_ok_rows(out: Path) -> int:
    """Pages the manifest records as ok (0 before it exists or while it is busy)."""
    if not (out / MANIFEST_NAME).exists():
        return 0
    try:
        db = sqlite3.connect(out / MANIFEST_NAME, timeout=5)
        try:
            return int(db.execute("SELECT count(*) FROM pages WHERE status = 'ok'").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0
