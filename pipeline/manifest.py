"""The run manifest: one SQLite row per input page at ``<out>/.manifest.sqlite``.

The manifest is what makes reruns incremental and resumable: a page's row is written
last, after its record file is in place, so a killed run never claims a record it did
not write. Rows are committed in batches (``commit_if_due``: every ``COMMIT_ROWS`` rows
or ``COMMIT_SECONDS``), not one transaction per page: a killed run loses at most the
last uncommitted rows, and the next run simply redoes those pages. Other tools read the ``pages`` table (the database loader marks stale
records from it), so its column names are a contract:

    pages(path, sha256, extractor_version, status, output, reason, message, ...)

``status`` is ``ok`` (``output`` names the record file in the output folder),
``failed`` (``reason`` is the PageError tag, ``message`` says why) or ``stale`` (the
input is gone; its record file is kept). ``output`` is a file name relative to the
output folder. ``size``/``mtime_ns`` let a rerun skip unchanged files without reading
them; ``fields`` lists the record fields that have a value (for the run summary); ``real``
is the resolved file path, which tells when one file is given under a new spelling.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Self

from pipeline.errors import OutputError

__all__ = [
    "COMMIT_ROWS",
    "COMMIT_SECONDS",
    "MANIFEST_NAME",
    "MANIFEST_SCHEMA_VERSION",
    "Manifest",
    "ManifestRow",
    "is_under",
]

MANIFEST_NAME = ".manifest.sqlite"
MANIFEST_SCHEMA_VERSION = "1"
# One transaction per page cost more than extracting a text page; these bounds keep what
# a killed run has to redo small (a few hundred pages at most).
COMMIT_ROWS = 200
COMMIT_SECONDS = 0.5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK(status IN ('ok', 'failed', 'stale')),
    output TEXT,
    reason TEXT,
    message TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    fields TEXT,
    real TEXT,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS pages_real ON pages (real);
"""

_COLUMNS = "path, sha256, extractor_version, status, output, reason, message, size, mtime_ns, fields"


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One page as the manifest last saw it."""

    path: str
    sha256: str
    extractor_version: str
    status: str
    output: str | None
    reason: str | None
    message: str | None
    size: int | None
    mtime_ns: int | None
    fields: str | None

    @property
    def field_names(self) -> tuple[str, ...]:
        """The record fields that had a value when the page was last extracted."""
        return tuple(f for f in (self.fields or "").split(",") if f)


def is_under(path: str, root: str) -> bool:
    """Whether normalised ``path`` is ``root`` itself or inside it (both as strings).

    >>> is_under("pages/a/b.html", "pages"), is_under("pages2/b.html", "pages")
    (True, False)
    >>> is_under("b.html", "."), is_under("../b.html", ".")
    (True, False)
    """
    if path == root:
        return True
    if root == ".":
        return not os.path.isabs(path) and path != ".." and not path.startswith("../")
    prefix = root if root.endswith("/") else root + "/"
    return path.startswith(prefix)


def _now() -> str:
    """UTC timestamp for the ``updated_at`` column (never written into records)."""
    return _timestamp(int(time.time()))


@lru_cache(maxsize=1)
def _timestamp(second: int) -> str:
    """One second's ``updated_at`` text, formatted once for the many rows of that second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))


class Manifest:
    """The open manifest of one output folder; used by the parent process only."""

    def __init__(self, out: Path) -> None:
        """Open (or create) ``<out>/.manifest.sqlite`` in WAL mode."""
        self.path = out / MANIFEST_NAME
        self._in_transaction = False
        self._pending = 0
        self._opened_at = 0.0
        try:
            # Autocommit mode: transactions are opened and committed here, explicitly.
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives a killed process; only power loss can drop the
            # last commits, and the next run then simply redoes those pages.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)
            self._check_version()
            # A manifest empty at the start can only hold rows of this run, which the
            # run's seen set already tells apart: a first run skips two lookups per page.
            self.started_empty = self._db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS seen (path TEXT PRIMARY KEY)")
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS gone (path TEXT PRIMARY KEY)")
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open the manifest {self.path}: {exc}") from exc

    def _check_version(self) -> None:
        """Stamp a new manifest; refuse one written by an incompatible pipeline."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                (MANIFEST_SCHEMA_VERSION,),
            )
        elif row[0] != MANIFEST_SCHEMA_VERSION:
            raise OutputError(
                f"the manifest {self.path} has schema version {row[0]}; this pipeline "
                f"reads version {MANIFEST_SCHEMA_VERSION} (use a new output folder)"
            )

    def close(self) -> None:
        """Commit what is pending and close (the WAL is checkpointed by SQLite)."""
        try:
            self.commit()
        finally:
            self._db.close()

    def commit(self) -> None:
        """Commit the rows written since the last commit (their record files are in place)."""
        if not self._in_transaction:
            return
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc
        self._in_transaction = False
        self._pending = 0

    def commit_if_due(self) -> None:
        """Commit when enough rows or enough time have gathered since the last commit."""
        if self._in_transaction and (
            self._pending >= COMMIT_ROWS or time.monotonic() - self._opened_at >= COMMIT_SECONDS
        ):
            self.commit()

    def _begin(self) -> None:
        """Open the batch transaction the next writes join."""
        if not self._in_transaction:
            self._db.execute("BEGIN")
            self._in_transaction = True
            self._opened_at = time.monotonic()

    def __enter__(self) -> Self:
        """Context manager entry."""
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        """Context manager exit: commit what is pending and close.

        Rows are committed even when the run stops on an error: each names a record file
        already in place. If that commit fails too, the first error is the one reported.
        """
        if exc_type is None:
            self.close()
            return
        try:
            self.close()
        except OutputError:
            pass

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        """Run one statement in the batch transaction; database failures become OutputError."""
        try:
            self._begin()
            self._db.execute(sql, params)
            self._pending += 1
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc

    def get(self, path: str) -> ManifestRow | None:
        """The row of ``path``, or None if the page was never seen."""
        row = self._db.execute(f"SELECT {_COLUMNS} FROM pages WHERE path = ?", (path,)).fetchone()
        return ManifestRow(*row) if row else None

    def record_ok(
        self,
        path: str,
        *,
        sha256: str,
        extractor_version: str,
        output: str,
        size: int | None,
        mtime_ns: int | None,
        fields: Iterable[str],
        real: str | None = None,
    ) -> None:
        """The page's record file is in place: mark it ok (the run's last step per page)."""
        self._write(
            """INSERT INTO pages (path, sha256, extractor_version, status, output, reason,
                                  message, size, mtime_ns, fields, real, updated_at)
               VALUES (?, ?, ?, 'ok', ?, NULL, NULL, ?, ?, ?, ?, ?)
               ON CONFLICT(path) DO UPDATE SET
                 sha256 = excluded.sha256, extractor_version = excluded.extractor_version,
                 status = 'ok', output = excluded.output, reason = NULL, message = NULL,
                 size = excluded.size, mtime_ns = excluded.mtime_ns,
                 fields = excluded.fields, real = excluded.real,
                 updated_at = excluded.updated_at""",
            (path, sha256, extractor_version, output, size, mtime_ns, ",".join(fields), real,
             _now()),
        )

    def record_failed(
        self,
        path: str,
        *,
        sha256: str,
        extractor_version: str,
        reason: str,
        message: str,
        size: int | None,
        mtime_ns: int | None,
        real: str | None = None,
    ) -> None:
        """The page could not become a record; an earlier record file (if any) is kept."""
        self._write(
            """INSERT INTO pages (path, sha256, extractor_version, status, output, reason,
                                  message, size, mtime_ns, fields, real, updated_at)
               VALUES (?, ?, ?, 'failed', NULL, ?, ?, ?, ?, NULL, ?, ?)
               ON CONFLICT(path) DO UPDATE SET
                 sha256 = excluded.sha256, extractor_version = excluded.extractor_version,
                 status = 'failed', reason = excluded.reason, message = excluded.message,
                 size = excluded.size, mtime_ns = excluded.mtime_ns, fields = NULL,
                 real = excluded.real, updated_at = excluded.updated_at""",
            (path, sha256, extractor_version, reason, message, size, mtime_ns, real, _now()),
        )

    def supersede(self, real: str, path: str) -> list[ManifestRow]:
        """Mark rows of the same file under another spelling stale; returns them.

        Giving ``pages/a.html`` one day and ``/data/pages/a.html`` the next must not
        leave two current records of one page. Rows seen in this run are kept: two
        symbolic links to one file are two inputs given on purpose.
        """
        rows = list(self._select_params(
            f"""SELECT {_COLUMNS} FROM pages
                WHERE real = ? AND path != ? AND status != 'stale'
                  AND path NOT IN (SELECT path FROM temp.seen) ORDER BY path""",
            (real, path),
        ))
        for row in rows:
            self._write(
                """UPDATE pages SET status = 'stale', reason = 'moved', message = ?,
                     updated_at = ? WHERE path = ?""",
                (f"the same file is now read as {path}", _now(), row.path),
            )
        return rows

    def update_stat(self, path: str, size: int, mtime_ns: int) -> None:
        """Same bytes, new stat (touched or copied): remember the stat, keep the rest."""
        self._write(
            "UPDATE pages SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path)
        )

    def mark_seen(self, path: str) -> bool:
        """Note that ``path`` is an input of this run; False if it was already noted.

        The set lives in a temporary table (on disk), not in memory.
        """
        try:
            self._begin()
            cursor = self._db.execute("INSERT OR IGNORE INTO temp.seen (path) VALUES (?)", (path,))
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc
        return cursor.rowcount == 1

    def mark_gone_stale(self, roots: Iterable[str]) -> Iterator[ManifestRow]:
        """Mark pages under ``roots`` not seen in this run as stale; yields each one."""
        root_list = list(roots)
        self._db.create_function(
            "under_roots", 1, lambda p: any(is_under(p, r) for r in root_list), deterministic=True
        )
        try:
            self._begin()
            self._db.execute("DELETE FROM temp.gone")
            self._db.execute(
                """INSERT INTO temp.gone (path)
                   SELECT path FROM pages
                   WHERE status != 'stale' AND under_roots(path)
                     AND path NOT IN (SELECT path FROM temp.seen)"""
            )
            self._db.execute(
                """UPDATE pages SET status = 'stale', reason = 'gone',
                     message = 'the input is no longer found',
                     updated_at = ?
                   WHERE path IN (SELECT path FROM temp.gone)""",
                (_now(),),
            )
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc
        yield from self._select(
            f"SELECT {_COLUMNS} FROM pages WHERE path IN (SELECT path FROM temp.gone) ORDER BY path"
        )

    def failed_rows(self) -> Iterator[ManifestRow]:
        """Every page currently failed, in path order."""
        return self._select(f"SELECT {_COLUMNS} FROM pages WHERE status = 'failed' ORDER BY path")

    def seen_ok_rows(self) -> Iterator[ManifestRow]:
        """The ok pages among this run's inputs, in path order."""
        return self._select(
            f"""SELECT {_COLUMNS} FROM pages
                WHERE status = 'ok' AND path IN (SELECT path FROM temp.seen) ORDER BY path"""
        )

    def all_rows(self) -> Iterator[ManifestRow]:
        """Every row, in path order."""
        return self._select(f"SELECT {_COLUMNS} FROM pages ORDER BY path")

    def _select(self, sql: str) -> Iterator[ManifestRow]:
        """Stream rows of a query in chunks, so memory stays flat."""
        return self._select_params(sql, ())

    def _select_params(self, sql: str, params: tuple[object, ...]) -> Iterator[ManifestRow]:
        """Stream rows of a parameterised query in chunks."""
        cursor = self._db.execute(sql, params)
        while chunk := cursor.fetchmany(500):
            for row in chunk:
                yield ManifestRow(*row)
