"""Comparing two output folders record by record, field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UsageError
from pipeline.output.diff import diff_folders, format_diff

SHA = "0" * 64


def _record(path: str, **fields: Any) -> dict[str, Any]:
    """A minimal record dict in the contract's shape."""
    return {
        "schema_version": "1",
        "extractor_version": fields.pop("extractor_version", "v1"),
        "source": {"path": path, "sha256": SHA, "format": "html", "encoding": "utf-8",
                   "url": None, "page_title": None},
        "title": None, "registration_number": None, "programme": None, "priority_axis": None,
        "beneficiary": None, "partners": None, "period": None, "subsidy": None,
        "total_cost": None, "goals": None, "target_groups": None, "activities": None,
        "locations": None, "results": None, "summary": None, "evidence": {},
        **fields,
    }


def _folder(folder: Path, records: list[dict[str, Any]]) -> Path:
    """Write records as files named after their position (names do not matter)."""
    folder.mkdir()
    for i, record in enumerate(records):
        (folder / f"r{i}-{i:010d}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def _ev(start: int) -> dict[str, Any]:
    """An evidence entry starting at ``start``."""
    return {"text": "x", "start": start, "end": start + 1, "method": "label", "items": None}


def test_value_evidence_added_and_removed_changes(tmp_path: Path) -> None:
    """Each kind of difference lands in its own place of the report."""
    old = _folder(tmp_path / "old", [
        _record("a.html", title="Stará škola", evidence={"title": _ev(0)}),
        _record("b.html", title="Beta", evidence={"title": _ev(0)}),
        _record("gone.html"),
        _record("same.html", title="Same"),
    ])
    new = _folder(tmp_path / "new", [
        _record("same.html", title="Same", extractor_version="v2"),  # version alone: no change
        _record("a.html", title="Nová škola", evidence={"title": _ev(0)}),
        _record("b.html", title="Beta", evidence={"title": _ev(7)}),
        _record("added.html", subsidy={"amount": "10.00", "currency": "CZK"}),
    ])
    report = diff_folders(old, new)
    assert (report.added, report.removed) == (("added.html",), ("gone.html",))
    assert (report.compared, report.changed_records, report.evidence_only_records) == (3, 1, 1)
    assert [(c.path, c.old, c.new) for c in report.changes["title"]] == [
        ("a.html", "Stará škola", "Nová škola")]
    assert report.evidence_only == {"title": ("b.html",)}
    text = format_diff(report)
    assert "added 1, removed 1, compared 3: 1 changed, 1 with evidence-only changes" in text
    assert '  a.html\n    - "Stará škola"\n    + "Nová škola"' in text


def test_identical_folders(tmp_path: Path) -> None:
    """No differences are said plainly."""
    records = [_record("a.html", title="A")]
    report = diff_folders(_folder(tmp_path / "o", records), _folder(tmp_path / "n", records))
    assert report.identical
    assert format_diff(report).endswith("no differences\n")


def test_non_record_files_are_reported_not_fatal(tmp_path: Path) -> None:
    """A stray JSON file is listed as a problem; hidden files and manifests are ignored."""
    old = _folder(tmp_path / "old", [_record("a.html")])
    (old / "notes.json").write_text('["not a record"]')
    (old / ".manifest.sqlite").write_bytes(b"SQLite")
    new = _folder(tmp_path / "new", [_record("a.html")])
    report = diff_folders(old, new)
    assert report.problems == (f"{old / 'notes.json'}: not a record file, ignored",)


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    """Both arguments must be folders."""
    with pytest.raises(UsageError, match="not a folder"):
        diff_folders(tmp_path / "nope", tmp_path)
