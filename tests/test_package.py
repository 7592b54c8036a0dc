"""The package surface: public API, documented commands, doctests, data files."""

from __future__ import annotations

import doctest
import importlib
import json
import pkgutil
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]

PUBLIC_API = [
    "BinaryPageError",
    "EXTRACTOR_VERSION",
    "EmptyPageError",
    "GoldFormatError",
    "NoRecordsError",
    "OutputError",
    "OutputLockedError",
    "PageError",
    "PageTimeoutError",
    "PageTooLargeError",
    "PipelineError",
    "Record",
    "SCHEMA_VERSION",
    "Settings",
    "UnreadablePageError",
    "UsageError",
    "extract_page",
    "iter_records",
]

# Every module of the package, found by walking it: a new module's examples run without
# anyone remembering to list it.
DOCTEST_MODULES = sorted(
    info.name for info in pkgutil.walk_packages(pipeline.__path__, "pipeline.") if info.name != "pipeline.__main__"
)


def test_public_api_is_pinned() -> None:
    """``pipeline.__all__`` changes only on purpose."""
    assert sorted(pipeline.__all__) == sorted(PUBLIC_API)
    for name in PUBLIC_API:
        assert hasattr(pipeline, name), name


def _subcommands() -> list[str]:
    """Names of the CLI's subcommands."""
    parser = build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    choices = actions[0].choices
    assert choices is not None
    return sorted(choices)


@pytest.mark.parametrize("command", _subcommands())
def test_every_command_is_documented(command: str) -> None:
    """Each subcommand appears in the README's command table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{command}" in readme


@pytest.mark.parametrize("module", DOCTEST_MODULES)
def test_doctests(module: str) -> None:
    """The examples in docstrings hold."""
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def test_doctests_are_collected() -> None:
    """The walk finds the package's modules, those with examples among them."""
    assert {"pipeline.vocab", "pipeline.normalise.dates", "pipeline.evaluate"} <= set(DOCTEST_MODULES)


@pytest.mark.parametrize("path", sorted((ROOT / "pipeline" / "data").glob("*.json")), ids=lambda p: p.name)
def test_data_files_say_where_they_come_from(path: Path) -> None:
    """Every hand-edited data table carries an _about note (generated schemas excepted)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if path.name.endswith("schema.json"):
        return
    assert isinstance(data, dict) and data.get("_about"), path.name


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        pytest.param([], 2, id="no-command"),
        pytest.param(["extract"], 2, id="extract-without-paths"),
        pytest.param(["frobnicate"], 2, id="unknown-command"),
        pytest.param(["--help"], 0, id="help"),
    ],
)
def test_usage_exit_codes(argv: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    """Usage errors exit 2 with a message; --help exits 0."""
    assert main(argv) == code
    if code:
        assert "usage:" in capsys.readouterr().err


def test_show_prints_blocks_and_sections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`show` prints the cleaned text with offsets, kinds and section keys."""
    page = tmp_path / "p.txt"
    page.write_text("Projekt Zahrada\n\nRegistrační číslo projektu\nCZ.03.1.51/0.0/0.0/19_101/0012345\n", encoding="utf-8")
    assert main(["show", str(page)]) == 0
    out = capsys.readouterr().out
    assert "[registration_number]" in out
    assert "CZ.03.1.51/0.0/0.0/19_101/0012345" in out
    assert "format=text" in out


def test_show_names_the_file_on_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page that cannot be shown gives exit 2 and names the file and the reason."""
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    assert main(["show", str(page)]) == 2
    err = capsys.readouterr().err
    assert "empty.html" in err
