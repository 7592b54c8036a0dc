"""What a new user runs into, through the CLI: early errors, spreadsheet CSV, help texts, pool size."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest
from test_cli_extract import fake_page
from test_db import make_record

from pipeline import core
from pipeline.cli import build_parser, main
from pipeline.run import pool


@pytest.fixture(autouse=True)
def _fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked, so patching the parent's pipeline.core reaches them (they import the page stages from it)."""
    monkeypatch.setattr(core, "extract_bytes_records",
                        lambda data, path, settings, sha256=None: [fake_page(data, path, settings)])
    monkeypatch.setattr(core, "warm_up", lambda: None)


def _closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _records(folder: Path, *paths: str) -> Path:
    """Write synthetic records into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(paths):
        (folder / f"r{number}.json").write_text(make_record(path).to_json(), encoding="utf-8")
    return folder


# --- fail early, never silently ---------------------------------------------------------


def test_unreachable_database_stops_extract_before_any_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--db to a server that is not there: exit 2 at once, no page extracted."""
    pytest.importorskip("psycopg")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text("Projekt A", encoding="utf-8")
    url = f"postgresql://nobody@127.0.0.1:{_closed_port()}/nothing"
    code = main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet",
                 "--db", url])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot connect to {url}")
    assert not list((tmp_path / "out").glob("*.json"))


def test_sqlite_database_in_a_missing_folder_stops_extract_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A SQLite file whose folder does not exist is a usage error before the run."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text("Projekt A", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'nowhere' / 'db.sqlite'}"
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet",
                 "--db", url]) == 2
    assert f"the folder {tmp_path / 'nowhere'} does not exist" in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("*.json"))


def test_load_of_a_folder_without_records_warns_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No records: exit 1 with a warning, and no records.sqlite left behind."""
    (tmp_path / "empty").mkdir()
    assert main(["load", str(tmp_path / "empty")]) == 1
    assert f"warning: {tmp_path / 'empty'} holds no record files" in capsys.readouterr().err
    assert not (tmp_path / "empty" / "records.sqlite").exists()


def test_export_of_a_folder_without_records_warns_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No records: exit 1 with a warning, no header-only CSV."""
    (tmp_path / "empty").mkdir()
    assert main(["export", str(tmp_path / "empty"), "--format", "csv"]) == 1
    assert "holds no record files: nothing was exported" in capsys.readouterr().err
    assert not (tmp_path / "empty" / "export.csv").exists()


def test_evaluate_with_the_wrong_pages_folder_prints_na_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing evaluated: no 1.000 scores, a message naming the folder, exit 1."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(json.dumps({"file": "raw/a.txt", "title": "Projekt A"}),
                                 encoding="utf-8")
    (tmp_path / "wrong").mkdir()
    assert main(["evaluate", str(gold), "--pages", str(tmp_path / "wrong")]) == 1
    captured = capsys.readouterr()
    assert "1.000" not in captured.out
    core = next(line for line in captured.out.splitlines() if line.startswith("core"))
    assert core.split()[-3:] == ["n/a", "n/a", "n/a"]
    assert f"nothing was evaluated: no gold file's page was found under {tmp_path / 'wrong'}" in (
        captured.err)


# --- spreadsheets and permissions -------------------------------------------------------


def test_excel_csv_has_a_bom_semicolons_and_crlf(tmp_path: Path) -> None:
    """--excel: Czech text opens right by double-click in a spreadsheet."""
    folder = _records(tmp_path / "s", "raw/žluťoučký kůň.html")
    out = tmp_path / "projekty.csv"
    assert main(["export", str(folder), "--format", "csv", "--excel", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    header, row = data.decode("utf-8-sig").split("\r\n")[:2]
    assert header.startswith("record_id;schema_version;")
    assert "raw/žluťoučký kůň.html" in row.split(";")


def test_excel_applies_to_csv_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--excel with another format is a usage error."""
    folder = _records(tmp_path / "s", "raw/a.html")
    assert main(["export", str(folder), "--format", "jsonl", "--excel"]) == 2
    assert "--excel applies to --format csv only" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_files_get_the_permissions_of_record_files(tmp_path: Path, fmt: str) -> None:
    """0666 minus the umask (0644 under the usual 022), not mkstemp's 0600."""
    folder = _records(tmp_path / "s", "raw/a.html")
    old = os.umask(0o022)
    try:
        assert main(["export", str(folder), "--format", fmt]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / f"export.{fmt}").stat().st_mode) == 0o644


# --- help -------------------------------------------------------------------------------


def _actions() -> list[tuple[str, str, bool, str]]:
    """(command, option, required, help) of every argument of every subcommand."""
    parser = build_parser()
    found = []
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():  # type: ignore[union-attr]
            for arg in sub._actions:
                if arg.dest == "help":
                    continue
                found.append((name, "/".join(arg.option_strings) or str(arg.metavar or arg.dest),
                              bool(arg.required), arg.help or ""))
    return found


@pytest.mark.parametrize(("command", "option", "required", "text"), _actions(),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "")
def test_every_option_has_a_help_text(command: str, option: str, required: bool, text: str) -> None:
    """Every argument says what it is; every option that is not required says its default."""
    assert text, f"{command} {option} has no help text"
    if option.startswith("--") and not required:
        assert "default" in text, f"{command} {option} does not say its default"


def test_help_shows_the_defaults_a_user_asks_about(capsys: pytest.CaptureFixture[str]) -> None:
    """PATH, load --db, export --out and --page-timeout say what they default to."""
    assert main(["extract", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--page-timeout S seconds per page before it is listed as failed (default: 30" in text
    assert "PATH page files, folders of pages" in text
    assert main(["load", "--help"]) == 0
    assert "default: sqlite:///STRUCTURED_DIR/records.sqlite" in " ".join(
        capsys.readouterr().out.split())
    assert main(["export", "--help"]) == 0
    assert "default: STRUCTURED_DIR/export.FORMAT" in " ".join(capsys.readouterr().out.split())


# --- a small batch starts fewer workers -------------------------------------------------


@pytest.mark.parametrize(("pages", "workers"), [(3, 1), (pool.PAGES_PER_WORKER + 1, 2)])
def test_small_batches_start_one_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int, workers: int
) -> None:
    """A worker per few hundred pages, up to --workers."""
    started: list[int] = []
    real_start = pool.LocalPool._start

    def counting(self: pool.LocalPool) -> object:
        """Count worker starts."""
        started.append(1)
        return real_start(self)

    monkeypatch.setattr(pool.LocalPool, "_start", counting)
    root = tmp_path / "in"
    root.mkdir()
    for number in range(pages):
        (root / f"p{number:04d}.txt").write_text(f"Projekt {number}", encoding="utf-8")
    assert main(["extract", str(root), "--out", str(tmp_path / "out"), "--quiet",
                 "--workers", "2"]) == 0
    assert len(started) == workers
