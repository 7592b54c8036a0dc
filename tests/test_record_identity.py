"""Record identity through the CLI: one page, one record file, whatever the spelling or folder.

A page's identity is its path under the input root it was found in (with the root's
resolved location in the manifest): absolute and relative spellings, runs from another
folder and copies of the pages elsewhere must pair up, and two pages never share a file.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from test_cli_extract import fake_page

from pipeline import core
from pipeline.cli import main
from pipeline.output import write
from pipeline.run.manifest import MANIFEST_NAME


@pytest.fixture(autouse=True)
def _fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked, so patching the parent's pipeline.core reaches them (they import the page stages from it)."""
    monkeypatch.setattr(core, "extract_bytes_records",
                        lambda data, path, settings, sha256=None: [fake_page(data, path, settings)])
    monkeypatch.setattr(core, "warm_up", lambda: None)


def _pages(root: Path, pages: dict[str, str]) -> Path:
    """Write invented pages under ``root``."""
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _records(out: Path) -> dict[str, str]:
    """Record file name -> source.path."""
    return {p.name: json.loads(p.read_text(encoding="utf-8"))["source"]["path"]
            for p in sorted(out.glob("*.json"))}


def _statuses(out: Path) -> list[str]:
    """Every manifest row's status."""
    db = sqlite3.connect(out / MANIFEST_NAME)
    try:
        return sorted(s for (s,) in db.execute("SELECT status FROM pages"))
    finally:
        db.close()


def _extract(*args: str) -> int:
    """Run ``extract`` quietly with one worker."""
    return main(["extract", *args, "--quiet", "--workers", "1"])


PAGES = {"a.html": "Projekt A", "sub/b.txt": "Projekt B", "sub/index.html": "Projekt C"}


def test_absolute_then_relative_paths_give_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No new, no stale, no twin: each page keeps its file; source.path follows the spelling."""
    root = _pages(tmp_path / "in", PAGES)
    out = tmp_path / "out"
    assert _extract(str(root), "--out", str(out)) == 0
    first = _records(out)
    assert main(["load", str(out)]) == 0
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert _extract("in", "--out", "out") == 0
    err = capsys.readouterr().err
    assert "new 0, changed 0, re-extracted 3, unchanged 0" in err and "stale 0" in err
    second = _records(out)
    assert list(second) == list(first)
    assert sorted(second.values()) == ["in/a.html", "in/sub/b.txt", "in/sub/index.html"]
    assert _statuses(out) == ["ok"] * 3
    assert main(["load", "out"]) == 0
    db = sqlite3.connect(out / "records.sqlite")
    try:
        assert db.execute("SELECT count(*), count(duplicate_of) FROM projects").fetchone() == (3, 0)
        assert sorted(p for (p,) in db.execute("SELECT source_path FROM projects")) == sorted(
            second.values())
    finally:
        db.close()
    capsys.readouterr()
    assert _extract("in", "--out", "out") == 0  # the same spelling again: nothing to do
    assert "unchanged 3" in capsys.readouterr().err


def test_two_roots_holding_the_same_names_keep_two_records(tmp_path: Path) -> None:
    """``a/index.html`` and ``b/index.html`` given as two roots: two records, two files."""
    a = _pages(tmp_path / "a", {"index.html": "Projekt A"})
    b = _pages(tmp_path / "b", {"index.html": "Projekt B"})
    assert _extract(str(a), str(b), "--out", str(tmp_path / "out")) == 0
    assert sorted(_records(tmp_path / "out").values()) == [str(a / "index.html"),
                                                           str(b / "index.html")]


def test_colliding_record_names_are_lengthened_never_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two inputs whose short names collide get two files; reruns and load see both."""
    monkeypatch.setattr(write, "output_name", lambda path: "index-0000000000.json")
    root = _pages(tmp_path / "in", {"d1/index.html": "Projekt A", "d2/index.html": "Projekt B"})
    out = tmp_path / "out"
    assert _extract(str(root), "--out", str(out)) == 0
    records = _records(out)
    assert len(records) == 2 and "index-0000000000.json" in records
    assert sorted(records.values()) == [str(root / "d1/index.html"), str(root / "d2/index.html")]
    _pages(root, {"d3/index.html": "Projekt C"})  # a later page may not take either name
    capsys.readouterr()
    assert _extract(str(root), "--out", str(out)) == 0
    assert "new 1, changed 0, re-extracted 0, unchanged 2" in capsys.readouterr().err
    assert len(_records(out)) == 3
    assert main(["load", str(out)]) == 0
    assert "3 records read" in capsys.readouterr().out


def test_diff_pairs_runs_over_copies_in_two_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same pages copied elsewhere: compared, not added and removed."""
    one = _pages(tmp_path / "one", PAGES)
    two = tmp_path / "elsewhere" / "two"
    shutil.copytree(one, two)
    (two / "a.html").write_text("Projekt A2", encoding="utf-8")
    assert _extract(str(one), "--out", str(tmp_path / "old")) == 0
    assert _extract(str(two), "--out", str(tmp_path / "new")) == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    report = capsys.readouterr().out
    assert "added 0, removed 0, compared 3: 1 changed" in report
    assert '    - "Projekt A"\n    + "Projekt A2"' in report


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder other than the one the pages' paths are relative to."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_report_finds_pages_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elsewhere: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Relative source paths, report run elsewhere: the manifest says where the pages are."""
    _pages(tmp_path / "in", PAGES)
    monkeypatch.chdir(tmp_path)
    assert _extract("in", "--out", "out") == 0
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["report", str(tmp_path / "out"), "--out", "report.html"]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err and "not found" not in err
    html = (elsewhere / "report.html").read_text(encoding="utf-8")
    assert '"withoutText":0' in html.replace(" ", "")


def test_report_says_where_it_looked_when_no_page_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elsewhere: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pages gone: a warning naming the folder looked in, and exit code 1."""
    _pages(tmp_path / "in", PAGES)
    monkeypatch.chdir(tmp_path)
    assert _extract("in", "--out", "out") == 0
    shutil.rmtree(tmp_path / "in")
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["report", str(tmp_path / "out"), "--out", "report.html"]) == 1
    err = capsys.readouterr().err
    assert "none of the 3 records' pages was found" in err
    assert f"relative to {elsewhere}" in err
