"""``python -m pipeline extract`` (and ``diff``) in-process: exit codes and messages."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import core
from pipeline.cli import main
from pipeline.errors import EmptyPageError
from pipeline.output.write import lock_output
from pipeline.records import Record, Source
from pipeline.settings import EXTRACTOR_VERSION, Settings


def fake_page(data: bytes, path: str, settings: Settings) -> Record:
    """A stand-in for extract_bytes: the first line is the title; blank pages fail."""
    text = data.decode("utf-8")
    if not text.strip():
        raise EmptyPageError("the file has no text", path)
    return Record(
        extractor_version=EXTRACTOR_VERSION,
        source=Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="text",
                      encoding="utf-8"),
        title=text.splitlines()[0].strip(),
    )


@pytest.fixture(autouse=True)
def _fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked, so patching the parent's pipeline.core reaches them (they import the page stages from it)."""
    monkeypatch.setattr(core, "extract_bytes_records",
                        lambda data, path, settings, sha256=None: [fake_page(data, path, settings)])
    monkeypatch.setattr(core, "warm_up", lambda: None)


@dataclass(frozen=True)
class CliCase:
    """Pages to extract and the exit code the CLI must return."""

    id: str
    pages: dict[str, str]
    exit_code: int
    stderr_has: str


EXAMPLES = [
    CliCase("all pages ok", {"a.html": "Projekt A", "b.txt": "Projekt B"}, 0,
            "2 inputs: 2 records, 0 failed, 0 skipped"),
    CliCase("one page failed", {"a.html": "Projekt A", "empty.html": " "}, 1,
            "empty.html: the file has no text"),
    CliCase("only skipped inputs", {".hidden.html": "x"}, 0, "1 skipped"),
]


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda c: c.id)
def test_extract_exit_codes(case: CliCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 when every page went through, 1 when some failed."""
    root = tmp_path / "in"
    root.mkdir()
    for name, text in case.pages.items():
        (root / name).write_text(text, encoding="utf-8")
    code = main(["extract", str(root), "--out", str(tmp_path / "out"), "--workers", "2", "--quiet"])
    assert code == case.exit_code
    assert case.stderr_has in capsys.readouterr().err


def test_locked_output_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second run on a folder in use stops at once with exit code 2."""
    (tmp_path / "a.html").write_text("A")
    out = tmp_path / "out"
    out.mkdir()
    with lock_output(out):
        code = main(["extract", str(tmp_path / "a.html"), "--out", str(out), "--quiet"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"error: output folder {out} is in use by another run (pid {os.getpid()})\n")


def test_missing_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist is a usage error."""
    code = main(["extract", str(tmp_path / "nope.html"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert f"input not found: {tmp_path / 'nope.html'}" in capsys.readouterr().err


def test_dask_engine_without_its_module_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--engine dask explains what to install when the engine cannot be imported."""
    import sys

    monkeypatch.setitem(sys.modules, "pipeline.run.dask_engine", None)  # import fails
    (tmp_path / "a.html").write_text("A")
    code = main(["extract", str(tmp_path / "a.html"), "--out", str(tmp_path / "out"),
                 "--engine", "dask", "--quiet"])
    assert code == 2
    assert "the dask engine needs: pip install '.[dask]'" in capsys.readouterr().err


def test_jsonl_option_and_rerun(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--jsonl writes every record; a rerun reports the pages as unchanged."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text("Projekt A")
    args = ["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet",
            "--jsonl", str(tmp_path / "all.jsonl")]
    assert main(args) == 0
    assert main(args) == 0
    assert "unchanged 1" in capsys.readouterr().err
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["Projekt A"]


def test_diff_command_reports_changed_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs over edited pages differ in the title field."""
    (tmp_path / "in").mkdir()
    page = tmp_path / "in" / "a.html"
    page.write_text("Projekt A")
    assert main(["extract", str(page), "--out", str(tmp_path / "old"), "--quiet"]) == 0
    page.write_text("Projekt A2")
    assert main(["extract", str(page), "--out", str(tmp_path / "new"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert "compared 1: 1 changed" in out
    assert '    - "Projekt A"\n    + "Projekt A2"' in out
