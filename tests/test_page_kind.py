"""``page_kind`` through the CLI: on the record, counted in the summary, a load/export column."""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import main


@dataclass(frozen=True)
class KindCase:
    """An invented page and the page_kind its record must carry."""

    id: str
    text: str
    kind: str


EXAMPLES = [
    KindCase(
        "project page",
        "Modernizace učeben ZŠ Lipová\n"
        "Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0014027\n"
        "Projekt je spolufinancován Evropskou unií.\n",
        "project",
    ),
    KindCase(
        "project page with nothing to extract",
        "Projekt\nTento projekt je spolufinancován Evropskou unií.\n",
        "project",
    ),
    KindCase(
        "news page",
        "Obecní zpravodaj\nV sobotu se konal tradiční hasičský bál. Děkujeme všem za účast.\n",
        "not-project",
    ),
]


def test_each_record_says_what_kind_of_page_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record, the summary, the database and the CSV export all carry the page kind."""
    pages = tmp_path / "in"
    pages.mkdir()
    for number, case in enumerate(EXAMPLES):
        (pages / f"page{number}.txt").write_text(case.text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(pages), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert "page kinds: project 2, not-project 1" in capsys.readouterr().err
    kinds = {}
    for file in out.glob("*.json"):
        record = json.loads(file.read_text(encoding="utf-8"))
        kinds[Path(record["source"]["path"]).name] = record["page_kind"]
    assert kinds == {f"page{n}.txt": case.kind for n, case in enumerate(EXAMPLES)}

    assert main(["load", str(out)]) == 0
    db = sqlite3.connect(out / "records.sqlite")
    try:
        loaded = dict(db.execute("SELECT source_path, page_kind FROM projects"))
    finally:
        db.close()
    assert {Path(p).name: k for p, k in loaded.items()} == kinds

    export = tmp_path / "projects.csv"
    assert main(["export", str(out), "--format", "csv", "--out", str(export)]) == 0
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {Path(r["source_path"]).name: r["page_kind"] for r in rows} == kinds

    capsys.readouterr()
    assert main(["extract", str(pages), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert "page kinds: project 2, not-project 1" in capsys.readouterr().err  # unchanged pages too
