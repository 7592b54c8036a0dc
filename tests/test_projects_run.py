"""A page of several projects through the whole run: files, reruns, load, export, diff, report.

The page is invented: a school's list of its projects, which grows and shrinks between runs.
Real workers run (one), as users run them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.cli import main

HEAD = "Projekty EU\nNaše škola realizuje tyto projekty spolufinancované Evropskou unií.\n"


def _project(n: int) -> str:
    """The lines of the n-th invented project (distinct number, period and amount)."""
    return (
        f"Šablony {n}. „Společné učení {n}“\n"
        f"Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/000{n:04d}\n"
        f"Datum zahájení projektu: 1. 1. {2016 + n}\n"
        f"Datum ukončení projektu: 31. 12. {2017 + n}\n"
        f"Částka schválené podpory: {n} 100 000 Kč\n"
    )


def _page(folder: Path, count: int) -> Path:
    """Write the page listing ``count`` projects."""
    folder.mkdir(exist_ok=True)
    page = folder / "projekty.txt"
    page.write_text(HEAD + "".join(_project(n) for n in range(1, count + 1)), encoding="utf-8")
    return page


def _records(out: Path) -> list[dict[str, object]]:
    """The record files of a folder, in name order."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]


def _extract(pages: Path, out: Path) -> int:
    """Run the CLI's extract with one worker, quietly."""
    return main(["extract", str(pages), "--out", str(out), "--quiet", "--workers", "1"])


def test_each_project_gets_its_own_file(tmp_path: Path) -> None:
    """Three projects, three record files named by the page and the project's place."""
    _page(tmp_path / "in", 3)
    assert _extract(tmp_path / "in", tmp_path / "out") == 0
    names = sorted(p.name for p in (tmp_path / "out").glob("*.json"))
    assert len(names) == 3 and all(n.startswith("projekty-") for n in names)
    assert [n.rsplit(".", 2)[1] for n in names] == ["p1", "p2", "p3"]
    records = _records(tmp_path / "out")
    assert [r["source"]["project_index"] for r in records] == [1, 2, 3]  # type: ignore[index]
    assert {r["page_kind"] for r in records} == {"several-projects"}


def test_a_page_that_gains_and_loses_projects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reruns follow the page: a fourth project is added, lost ones' files go, load marks them stale."""
    pages, out = tmp_path / "in", tmp_path / "out"
    _page(pages, 3)
    assert _extract(pages, out) == 0
    assert main(["load", str(out)]) == 0
    assert _extract(pages, out) == 0  # unchanged: nothing rewritten
    assert "unchanged 1" in capsys.readouterr().err
    _page(pages, 4)
    assert _extract(pages, out) == 0
    assert len(_records(out)) == 4
    _page(pages, 2)
    assert _extract(pages, out) == 0
    numbers = [r["registration_number"]["value"] for r in _records(out)]  # type: ignore[index]
    assert numbers == ["CZ.02.3.68/0.0/0.0/18_063/0000001", "CZ.02.3.68/0.0/0.0/18_063/0000002"]
    assert main(["load", str(out)]) == 0
    with sqlite3.connect(out / "records.sqlite") as db:
        rows = db.execute("SELECT registration_number_value, stale FROM projects ORDER BY 1").fetchall()
    # The fourth project was never loaded; the third was, and is stale now.
    assert rows == [
        ("CZ.02.3.68/0.0/0.0/18_063/0000001", 0),
        ("CZ.02.3.68/0.0/0.0/18_063/0000002", 0),
        ("CZ.02.3.68/0.0/0.0/18_063/0000003", 1),
    ]


def test_from_several_projects_to_one_and_back(tmp_path: Path) -> None:
    """A page that shrinks to one project gets its one file again, and the project files go."""
    pages, out = tmp_path / "in", tmp_path / "out"
    _page(pages, 2)
    assert _extract(pages, out) == 0
    page = pages / "projekty.txt"
    page.write_text(HEAD + _project(1), encoding="utf-8")
    assert _extract(pages, out) == 0
    names = [p.name for p in out.glob("*.json")]
    assert len(names) == 1 and ".p" not in names[0]
    _page(pages, 2)
    assert _extract(pages, out) == 0
    assert sorted(p.name.rsplit(".", 2)[1] for p in out.glob("*.json")) == ["p1", "p2"]


def test_jsonl_export_and_diff_carry_every_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """JSON Lines and CSV hold one row per project; diff pairs projects by their place."""
    pages = tmp_path / "in"
    _page(pages, 3)
    jsonl = tmp_path / "all.jsonl"
    assert main(["extract", str(pages), "--out", str(tmp_path / "a"), "--quiet", "--workers", "1",
                 "--jsonl", str(jsonl)]) == 0
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 3
    csv = tmp_path / "rows.csv"
    assert main(["export", str(tmp_path / "a"), "--format", "csv", "--out", str(csv)]) == 0
    assert len(csv.read_text(encoding="utf-8").splitlines()) == 4  # header and three projects
    _page(pages, 4)
    assert _extract(pages, tmp_path / "b") == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "added 1" in out and "removed 0" in out


def test_report_shows_each_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report lists every project of the page, each over the page's one text."""
    _page(tmp_path / "in", 2)
    monkeypatch.chdir(tmp_path)
    assert main(["extract", "in", "--out", "out", "--quiet", "--workers", "1"]) == 0
    assert main(["report", "out", "--out", "report.html"]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "0000001" in html and "0000002" in html
