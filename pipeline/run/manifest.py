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

A page's identity is ``(root, key)``: ``root`` numbers a row of the ``roots`` table (the
resolved location of an input root, stored once) and ``key`` is the page's path under that
root. ``path`` is the spelling last given (the record's ``source.path``), so the same pages
given by an absolute and by a relative path, or from another folder, keep one row and one
record file. Rows of a version-1 manifest, and rows written without an identity, have
root 0 and their path as key.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Self

from pipeline.errors import OutputError
from pipeline.output.write import refuse_links

__all__ = [
    "COMMIT_ROWS",
    "COMMIT_SECONDS",
    "LEGACY_ROOT",
    "MANIFEST_NAME",
    "MANIFEST_SCHEMA_VERSION",
    "Manifest",
    "ManifestRow",
    "PageId",
    "is_under",
    "read_identities",
]

MANIFEST_NAME = ".manifest.sqlite"
MANIFEST_SCHEMA_VERSION = "2"
# The root of rows keyed by their path as given (version-1 manifests, tests).
LEGACY_ROOT = 0
# One transaction per page cost more than extracting a text page; these bounds keep what
# a killed run has to redo small (a few hundred pages at most).
COMMIT_ROWS = 200
COMMIT_SECONDS = 0.5

_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS roots (
    id INTEGER PRIMARY KEY,
    real TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT NOT NULL,
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
    updated_at TEXT,
    root INTEGER NOT NULL DEFAULT 0,
    key TEXT NOT NULL,
    page_kind TEXT,
    timeouts INTEGER,
    PRIMARY KEY (root, key)
);
CREATE INDEX IF NOT EXISTS pages_real ON pages (real);
CREATE INDEX IF NOT EXISTS pages_output ON pages (output);
"""

# Version 1 keyed pages by ``path``; its rows keep their path as key, under root 0.
_MIGRATE_FROM_1 = """
ALTER TABLE pages RENAME TO pages_v1;
DROP INDEX IF EXISTS pages_real;
DROP INDEX IF EXISTS pages_output;
""" + _SCHEMA + """
INSERT INTO pages (path, sha256, extractor_version, status, output, reason, message, size,
                   mtime_ns, fields, real, updated_at, root, key)
    SELECT path, sha256, extractor_version, status, output, reason, message, size,
           mtime_ns, fields, real, updated_at, 0, path FROM pages_v1;
DROP TABLE pages_v1;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
"""

_COLUMNS = ("path, sha256, extractor_version, status, output, reason, message, size, mtime_ns,"
            " fields, root, key, page_kind, timeouts")

# A page's identity: the number of its input root and its path under that root.
PageId = tuple[int, str]


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
    root: int = LEGACY_ROOT
    key: str = ""
    page_kind: str | None = None
    # How many runs in a row this page, unchanged, timed out on this extractor version.
    timeouts: int | None = None

    @property
    def ident(self) -> PageId:
        """The page's identity: its root's number and its path under that root."""
        return (self.root, self.key)

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


def read_identities(out: Path) -> dict[str, tuple[str, str | None]]:
    """Record file name to (key, resolved root location) from ``out``'s manifest, read-only.

    Empty when the folder has no manifest or it cannot be read: callers then fall back
    on ``source.path``. Root location is None for rows keyed by their path as given.
    """
    manifest = out / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    try:
        db = sqlite3.connect(f"{manifest.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute(
                """SELECT p.output, p.key, r.real FROM pages AS p
                   LEFT JOIN roots AS r ON r.id = p.root AND p.root != 0
                   WHERE p.output IS NOT NULL"""
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return {}  # a version-1 or damaged manifest
    return {str(output): (str(key), None if real is None else str(real))
            for output, key, real in rows}


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
        # SQLite follows links: a planted one would make the run rewrite another database.
        refuse_links(out, [MANIFEST_NAME + suffix for suffix in ("", "-wal", "-shm", "-journal")])
        try:
            # Autocommit mode: transactions are opened and committed here, explicitly.
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives a killed process; only power loss can drop the
            # last commits, and the next run then simply redoes those pages.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.execute(_META)
            self._check_version()
            self._add_missing_columns()
            # A manifest empty at the start can only hold rows of this run, which the
            # run's seen set already tells apart: a first run skips two lookups per page.
            self.started_empty = self._db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None
            self._db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS seen (root INTEGER, key TEXT, location TEXT UNIQUE,"
                " PRIMARY KEY (root, key))")
            self._db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS gone (root INTEGER, key TEXT, PRIMARY KEY (root, key))")
            # Record file names given out in this run (their rows come only after the file).
            self._db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS names (output TEXT PRIMARY KEY, root INTEGER, key TEXT)")
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open the manifest {self.path}: {exc}") from exc

    def _add_missing_columns(self) -> None:
        """Columns added since a manifest was created (NULL in its old rows)."""
        present = {row[1] for row in self._db.execute("PRAGMA table_info(pages)")}
        if "timeouts" not in present:
            self._db.execute("ALTER TABLE pages ADD COLUMN timeouts INTEGER")

    def _check_version(self) -> None:
        """Stamp a new manifest; refuse one written by an incompatible pipeline."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                (MANIFEST_SCHEMA_VERSION,),
            )
        elif row[0] == "1":
            # One transaction: a run killed mid-migration leaves the version-1 manifest.
            self._db.executescript(f"BEGIN;\n{_MIGRATE_FROM_1}\nCOMMIT;")
        elif row[0] == MANIFEST_SCHEMA_VERSION:
            self._db.executescript(_SCHEMA)
        else:
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

    def root_id(self, real: str) -> int:
        """The number of the input root at resolved location ``real`` (added when new)."""
        try:
            self._begin()
            self._db.execute("INSERT OR IGNORE INTO roots (real) VALUES (?)", (real,))
            row = self._db.execute("SELECT id FROM roots WHERE real = ?", (real,)).fetchone()
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc
        return int(row[0])

    def root_locations(self) -> dict[int, str]:
        """Every input root's number and resolved location."""
        return {int(i): str(r) for i, r in self._db.execute("SELECT id, real FROM roots")}

    def get(self, path: str, ident: PageId | None = None) -> ManifestRow | None:
        """The row of the page ``ident`` (default: keyed by ``path``), or None if never seen."""
        root, key = ident if ident is not None else (LEGACY_ROOT, path)
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM pages WHERE root = ? AND key = ?", (root, key)
        ).fetchone()
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
        ident: PageId | None = None,
        page_kind: str | None = None,
    ) -> None:
        """The page's record file is in place: mark it ok (the run's last step per page)."""
        root, key = ident if ident is not None else (LEGACY_ROOT, path)
        self._write(
            """INSERT INTO pages (path, sha256, extractor_version, status, output, reason,
                                  message, size, mtime_ns, fields, real, updated_at, root, key,
                                  page_kind)
               VALUES (?, ?, ?, 'ok', ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(root, key) DO UPDATE SET
                 path = excluded.path,
                 sha256 = excluded.sha256, extractor_version = excluded.extractor_version,
                 status = 'ok', output = excluded.output, reason = NULL, message = NULL,
                 size = excluded.size, mtime_ns = excluded.mtime_ns,
                 fields = excluded.fields, real = excluded.real,
                 updated_at = excluded.updated_at, page_kind = excluded.page_kind""",
            (path, sha256, extractor_version, output, size, mtime_ns, ",".join(fields), real,
             _now(), root, key, page_kind),
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
        ident: PageId | None = None,
        output: str | None = None,
    ) -> None:
        """The page could not become a record; an earlier record file (if any) is kept.

        ``output`` is the name reserved for the page's record: kept so that no other
        page is given it while this one fails.

        A timeout adds one to the page's count of timeouts when the page timed out before
        on the same bytes and extractor version; anything else starts the count again.
        """
        first = 1 if reason == "timeout" else 0
        root, key = ident if ident is not None else (LEGACY_ROOT, path)
        self._write(
            """INSERT INTO pages (path, sha256, extractor_version, status, output, reason,
                                  message, size, mtime_ns, fields, real, updated_at, root, key,
                                  timeouts)
               VALUES (?, ?, ?, 'failed', ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)
               ON CONFLICT(root, key) DO UPDATE SET
                 timeouts = CASE
                   WHEN excluded.reason != 'timeout' THEN 0
                   WHEN pages.status = 'failed' AND pages.reason = 'timeout'
                        AND pages.sha256 = excluded.sha256
                        AND pages.extractor_version = excluded.extractor_version
                     THEN COALESCE(pages.timeouts, 0) + 1
                   ELSE 1 END,
                 path = excluded.path,
                 sha256 = excluded.sha256, extractor_version = excluded.extractor_version,
                 status = 'failed', reason = excluded.reason, message = excluded.message,
                 output = coalesce(pages.output, excluded.output),
                 size = excluded.size, mtime_ns = excluded.mtime_ns, fields = NULL,
                 page_kind = NULL, real = excluded.real, updated_at = excluded.updated_at""",
            (path, sha256, extractor_version, output, reason, message, size, mtime_ns, real,
             _now(), root, key, first),
        )

    def adopt(
        self, real: str, path: str, ident: PageId
    ) -> tuple[ManifestRow | None, list[ManifestRow]]:
        """Move the row of the same file under another identity to ``ident``.

        Returns the row moved (None if there was none) and the further rows of the same
        file, now marked stale.

        Giving ``pages/a.html`` one day and ``/data/pages/a.html`` the next must not
        leave two records of one page: the page keeps its row and its record file. Such
        a row comes from a version-1 manifest or from another root over the same files.
        Rows seen in this run are kept: two symbolic links to one file are two inputs
        given on purpose. Further rows of the same file are marked stale.
        """
        rows = list(self._select_params(
            f"""SELECT {_COLUMNS} FROM pages
                WHERE real = ? AND NOT (root = ? AND key = ?)
                  AND NOT EXISTS (SELECT 1 FROM temp.seen AS s
                                  WHERE s.root = pages.root AND s.key = pages.key)
                ORDER BY status = 'stale', status != 'ok', path""",
            (real, *ident),
        ))
        if not rows:
            return None, []
        first, rest = rows[0], [row for row in rows[1:] if row.status != "stale"]
        self._write(
            "UPDATE pages SET root = ?, key = ?, path = ? WHERE root = ? AND key = ?",
            (*ident, path, *first.ident),
        )
        for row in rest:
            self._write(
                """UPDATE pages SET status = 'stale', reason = 'moved', message = ?,
                     updated_at = ? WHERE root = ? AND key = ?""",
                (f"the same file is now read as {path}", _now(), *row.ident),
            )
        return replace(first, path=path, root=ident[0], key=ident[1]), rest

    def name_taken(self, name: str, ident: PageId) -> bool:
        """Whether record file ``name`` belongs to another page (in the manifest or this run)."""
        root, key = ident
        found = self._db.execute(
            """SELECT 1 FROM pages WHERE output = ? AND NOT (root = ? AND key = ?)
               UNION ALL
               SELECT 1 FROM temp.names WHERE output = ? AND NOT (root = ? AND key = ?)
               LIMIT 1""",
            (name, root, key, name, root, key),
        ).fetchone()
        return found is not None

    def claim_name(self, name: str, ident: PageId) -> None:
        """Reserve record file ``name`` for ``ident`` for the rest of this run."""
        try:
            self._begin()
            self._db.execute(
                "INSERT OR REPLACE INTO temp.names (output, root, key) VALUES (?, ?, ?)",
                (name, *ident),
            )
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc

    def update_stat(self, path: str, size: int, mtime_ns: int, ident: PageId | None = None) -> None:
        """Same bytes, new stat (touched or copied): remember the stat, keep the rest."""
        root, key = ident if ident is not None else (LEGACY_ROOT, path)
        self._write(
            "UPDATE pages SET size = ?, mtime_ns = ? WHERE root = ? AND key = ?",
            (size, mtime_ns, root, key),
        )

    def mark_seen(
        self, path: str, ident: PageId | None = None, location: str | None = None
    ) -> bool:
        """Note that the page is an input of this run; False if it was already noted.

        ``location`` (default: ``path``) is the page's root location joined with its key:
        one file found under two overlapping roots has two identities but one location.
        The set lives in a temporary table (on disk), not in memory.
        """
        root, key = ident if ident is not None else (LEGACY_ROOT, path)
        try:
            self._begin()
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO temp.seen (root, key, location) VALUES (?, ?, ?)",
                (root, key, location if location is not None else path))
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc
        return cursor.rowcount == 1

    def mark_gone_stale(
        self, roots: Iterable[str], scopes: Iterable[tuple[int, str | None]] = ()
    ) -> Iterator[ManifestRow]:
        """Mark pages of this run's inputs not seen in this run as stale; yields each one.

        A page is in scope when its path as given is under one of ``roots`` (the inputs
        as given), or when it belongs to a scope ``(root, key)`` of this run: a whole
        input folder (``key`` None) or one input file.
        """
        root_list = list(roots)
        folders = {r for r, k in scopes if k is None}
        files = {(r, k) for r, k in scopes if k is not None}

        def in_scope(path: str, root: int, key: str) -> bool:
            """Whether the row belongs to this run's inputs."""
            # A web archive given by itself covers its records ("crawl.warc.gz#123").
            return (root in folders or (root, key) in files
                    or (root, key.split("#", 1)[0]) in files
                    or any(is_under(path, r) for r in root_list))

        self._db.create_function("in_scope", 3, in_scope, deterministic=True)
        try:
            self._begin()
            self._db.execute("DELETE FROM temp.gone")
            self._db.execute(
                """INSERT INTO temp.gone (root, key)
                   SELECT root, key FROM pages
                   WHERE status != 'stale' AND in_scope(path, root, key)
                     AND NOT EXISTS (SELECT 1 FROM temp.seen AS s
                                     WHERE s.root = pages.root AND s.key = pages.key)"""
            )
            self._db.execute(
                """UPDATE pages SET status = 'stale', reason = 'gone',
                     message = 'the input is no longer found',
                     updated_at = ?
                   WHERE (root, key) IN (SELECT root, key FROM temp.gone)""",
                (_now(),),
            )
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update the manifest {self.path}: {exc}") from exc
        yield from self._select(
            f"""SELECT {_COLUMNS} FROM pages WHERE (root, key) IN (SELECT root, key FROM temp.gone)
                ORDER BY path"""
        )

    def failed_rows(self) -> Iterator[ManifestRow]:
        """Every page currently failed, in path order."""
        return self._select(f"SELECT {_COLUMNS} FROM pages WHERE status = 'failed' ORDER BY path")

    def seen_ok_rows(self) -> Iterator[ManifestRow]:
        """The ok pages among this run's inputs, in path order."""
        return self._select(
            f"""SELECT {_COLUMNS} FROM pages
                WHERE status = 'ok' AND EXISTS (SELECT 1 FROM temp.seen AS s
                                                WHERE s.root = pages.root AND s.key = pages.key)
                ORDER BY path"""
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
