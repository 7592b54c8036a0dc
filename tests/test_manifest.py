"""The run manifest: its contract columns, upserts, seen set and stale marking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.run import manifest as manifest_module
from pipeline.run.manifest import COMMIT_ROWS, MANIFEST_NAME, Manifest, is_under

SHA = "a" * 64
OTHER_SHA = "b" * 64

# Another engineer's database loader reads these columns by name.
CONTRACT_COLUMNS = ["path", "sha256", "extractor_version", "status", "output", "reason", "message"]


def _ok(manifest: Manifest, path: str, sha: str = SHA) -> None:
    """Record an ok page."""
    manifest.record_ok(path, sha256=sha, extractor_version="v1", output="x.json",
                       size=10, mtime_ns=5, fields=("title", "subsidy"))


def test_pages_table_keeps_the_contract_columns(tmp_path: Path) -> None:
    """The first seven columns are exactly the ones other tools read."""
    Manifest(tmp_path).close()
    db = sqlite3.connect(tmp_path / MANIFEST_NAME)
    columns = [row[1] for row in db.execute("PRAGMA table_info(pages)")]
    assert columns[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"


def test_a_version_1_manifest_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    """Rows of a version-1 manifest (keyed by path) are kept, under root 0 with the path as key."""
    db = sqlite3.connect(tmp_path / MANIFEST_NAME)
    db.executescript(
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
           INSERT INTO meta VALUES ('schema_version', '1');
           CREATE TABLE pages (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL,
             extractor_version TEXT NOT NULL, status TEXT NOT NULL, output TEXT, reason TEXT,
             message TEXT, size INTEGER, mtime_ns INTEGER, fields TEXT, real TEXT,
             updated_at TEXT);
           CREATE INDEX pages_real ON pages (real);"""
    )
    db.execute("INSERT INTO pages VALUES ('raw/a.html', ?, 'v1', 'ok', 'a-1.json', NULL, NULL,"
               " 3, 4, 'title', '/data/raw/a.html', 'now')", (SHA,))
    db.commit()
    db.close()
    with Manifest(tmp_path) as manifest:
        row = manifest.get("raw/a.html")
        assert row is not None and (row.output, row.ident) == ("a-1.json", (0, "raw/a.html"))
        adopted, stale = manifest.adopt("/data/raw/a.html", "/data/raw/a.html", (1, "a.html"))
        assert adopted is not None and adopted.output == "a-1.json" and stale == []
        assert [(r.path, r.ident) for r in manifest.all_rows()] == [("/data/raw/a.html", (1, "a.html"))]
    db = sqlite3.connect(tmp_path / MANIFEST_NAME)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"


def test_status_is_constrained(tmp_path: Path) -> None:
    """Only ok, failed and stale are accepted as a status."""
    Manifest(tmp_path).close()
    db = sqlite3.connect(tmp_path / MANIFEST_NAME)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO pages (path, sha256, extractor_version, status, key) "
                   "VALUES ('p', 's', 'v', 'done', 'p')")


def test_ok_then_failed_then_ok_upserts_one_row(tmp_path: Path) -> None:
    """A page has one row whose status follows its last extraction."""
    with Manifest(tmp_path) as manifest:
        _ok(manifest, "a.html")
        row = manifest.get("a.html")
        assert row is not None and row.status == "ok" and row.field_names == ("title", "subsidy")
        manifest.record_failed("a.html", sha256=OTHER_SHA, extractor_version="v1",
                               reason="binary", message="a PDF", size=3, mtime_ns=9)
        row = manifest.get("a.html")
        assert row is not None
        assert (row.status, row.reason, row.message, row.sha256) == ("failed", "binary", "a PDF", OTHER_SHA)
        assert row.output == "x.json"  # the earlier record file is still named
        _ok(manifest, "a.html")
        assert [r.status for r in manifest.all_rows()] == ["ok"]


def _committed(tmp_path: Path) -> list[str]:
    """The paths another connection sees (committed rows only)."""
    reader = sqlite3.connect(tmp_path / MANIFEST_NAME)
    try:
        return [path for (path,) in reader.execute("SELECT path FROM pages ORDER BY path")]
    finally:
        reader.close()


def test_rows_are_committed_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows gather in one transaction until enough of them are due, then commit together."""
    monkeypatch.setattr(manifest_module, "COMMIT_SECONDS", 3600.0)  # count-based only here
    manifest = Manifest(tmp_path)
    paths = [f"p{i:04d}.html" for i in range(COMMIT_ROWS)]
    for path in paths[:-1]:
        _ok(manifest, path)
        manifest.commit_if_due()
    assert _committed(tmp_path) == []  # a kill now loses them: the rerun redoes those pages
    assert manifest.get(paths[0]) is not None  # the run itself sees its own rows
    _ok(manifest, paths[-1])
    manifest.commit_if_due()
    assert _committed(tmp_path) == paths
    manifest.close()


def test_commit_and_close_keep_every_row(tmp_path: Path) -> None:
    """An explicit commit, and closing, make the pending rows visible to other readers."""
    manifest = Manifest(tmp_path)
    _ok(manifest, "a.html")
    manifest.commit()
    assert _committed(tmp_path) == ["a.html"]
    _ok(manifest, "b.html")
    manifest.close()
    assert _committed(tmp_path) == ["a.html", "b.html"]


def test_rows_are_committed_when_the_run_stops_on_an_error(tmp_path: Path) -> None:
    """Leaving the block with an error still commits: every row names a record in place."""
    with pytest.raises(OutputError), Manifest(tmp_path) as manifest:
        _ok(manifest, "a.html")
        raise OutputError("the disk is full")
    assert _committed(tmp_path) == ["a.html"]


def test_mark_seen_reports_duplicates(tmp_path: Path) -> None:
    """A path noted twice in one run is reported as listed twice."""
    with Manifest(tmp_path) as manifest:
        assert manifest.mark_seen("a.html") is True
        assert manifest.mark_seen("a.html") is False


def test_unseen_pages_under_the_roots_become_stale(tmp_path: Path) -> None:
    """Only pages under this run's roots that were not seen turn stale, once."""
    with Manifest(tmp_path) as manifest:
        for path in ("pages/a.html", "pages/sub/b.html", "pages2/c.html", "other/d.html"):
            _ok(manifest, path)
        manifest.mark_seen("pages/a.html")
        stale = [row.path for row in manifest.mark_gone_stale(["pages"])]
        assert stale == ["pages/sub/b.html"]
        assert {r.path: r.status for r in manifest.all_rows()} == {
            "pages/a.html": "ok", "pages/sub/b.html": "stale",
            "pages2/c.html": "ok", "other/d.html": "ok",
        }
    with Manifest(tmp_path) as manifest:
        assert list(manifest.mark_gone_stale(["pages"])) != []  # new run: a.html unseen now
        assert [r.path for r in manifest.mark_gone_stale(["pages"])] == []


UNDER = [
    ("inside", "pages/a/b.html", "pages", True),
    ("the root itself", "pages/a.html", "pages/a.html", True),
    ("sibling with same prefix", "pages2/a.html", "pages", False),
    ("cwd root, relative path", "a.html", ".", True),
    ("cwd root, parent path", "../a.html", ".", False),
    ("cwd root, absolute path", "/x/a.html", ".", False),
    ("absolute root", "/data/p/a.html", "/data/p", True),
    ("filesystem root", "/a.html", "/", True),
]


@pytest.mark.parametrize(("path", "root", "expected"), [c[1:] for c in UNDER],
                         ids=[c[0] for c in UNDER])
def test_is_under(path: str, root: str, expected: bool) -> None:
    """Root matching works on normalised path strings."""
    assert is_under(path, root) is expected


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    """A manifest from an incompatible pipeline is not silently reused."""
    Manifest(tmp_path).close()
    db = sqlite3.connect(tmp_path / MANIFEST_NAME)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(OutputError, match="schema version 99"):
        Manifest(tmp_path)
