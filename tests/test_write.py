"""Output file names, atomic writes and the output-folder lock."""

from __future__ import annotations

import errno
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.errors import OutputError, OutputLockedError
from pipeline.output.write import (
    LOCK_NAME,
    TEMP_PREFIX,
    lock_output,
    output_name,
    output_path,
    remove_temp_files,
    write_atomic,
    write_record,
)

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{10}\.json$")


@dataclass(frozen=True)
class NameCase:
    """An input path and the readable part its record file name should start with."""

    id: str
    path: str
    stem: str


EXAMPLES = [
    NameCase("plain html", "pages/projekt-12.html", "projekt-12"),
    NameCase("czech diacritics folded", "raw/Žďár nad Sázavou – škola.htm", "Zdar_nad_Sazavou_skola"),
    NameCase("spaces", "a b/c d e.txt", "c_d_e"),
    NameCase("parent escape", "../../etc/passwd", "passwd"),
    NameCase("absolute", "/etc/cron.d/job.md", "job"),
    NameCase("newline in name", "x/evil\nname.html", "evil_name"),
    NameCase("only an extension", "x/.html", "page"),
    NameCase("dots only", "x/...", "page"),
    NameCase("leading dots and dashes", "x/--..secret.txt", "secret"),
    NameCase("no extension", "x/README", "README"),
    NameCase("long name truncated", "x/" + "a" * 300 + ".html", "a" * 60),
]


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda c: c.id)
def test_output_name_is_readable_and_safe(case: NameCase) -> None:
    """Names keep a folded readable stem, use a safe alphabet and end with a hash."""
    name = output_name(case.path)
    assert SAFE_NAME.match(name), name
    assert name.rsplit("-", 1)[0] == case.stem


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda c: c.id)
def test_output_path_stays_inside_the_output_folder(case: NameCase, tmp_path: Path) -> None:
    """Whatever the input path, the record file lands directly in the output folder."""
    target = output_path(tmp_path, case.path)
    assert target.resolve().parent == tmp_path.resolve()


COLLIDING_INPUTS = [
    ("same basename, other folders", "a/index.html", "b/index.html"),
    ("same stem, other extension", "a/page.html", "a/page.txt"),
    ("folding makes stems equal", "a/škola.html", "a/skola.html"),
    ("space versus underscore", "a/x y.html", "a/x_y.html"),
]


@pytest.mark.parametrize(("first", "second"), [c[1:] for c in COLLIDING_INPUTS],
                         ids=[c[0] for c in COLLIDING_INPUTS])
def test_distinct_inputs_never_collide(first: str, second: str) -> None:
    """Two different input paths give two different file names."""
    assert output_name(first) != output_name(second)


def test_equivalent_spellings_share_a_name() -> None:
    """Redundant separators and ./ do not make a new record file on a rerun."""
    assert output_name("pages//a/./b.html") == output_name("pages/a/b.html")


def test_output_name_is_stable() -> None:
    """The name depends on the path alone (reruns overwrite the same file)."""
    assert output_name("pages/a/index.html") == "index-995b941095.json"


def test_write_record_writes_the_exact_text(tmp_path: Path) -> None:
    """The record file holds the JSON text as given, UTF-8, no temp files left."""
    target = write_record(tmp_path, "pages/škola.html", '{"title": "Škola"}\n')
    assert target.read_text(encoding="utf-8") == '{"title": "Škola"}\n'
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_records_skip_fsync_other_files_do_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A per-record fsync cost more than a page's extraction; kill -9 safety needs only the rename."""
    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        """Count the fsyncs, then do them."""
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    write_record(tmp_path, "pages/a.html", "{}\n")
    assert synced == []
    write_atomic(tmp_path / "failures.jsonl", "")
    assert len(synced) == 1


def test_failed_replace_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway leaves the previous version intact."""
    target = tmp_path / "r.json"
    write_atomic(target, "old\n")

    def full_disk(src: str, dst: str) -> None:
        """Simulate a full disk at the rename."""
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OutputError, match=r"cannot write .*r\.json: the disk is full"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_permission_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unwritable folder gives a clear OutputError naming the file."""

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        """Simulate a read-only folder."""
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("pipeline.output.write._create_temp", denied)
    with pytest.raises(OutputError, match=r"cannot write .*x\.json: permission denied"):
        write_atomic(tmp_path / "x.json", "{}")


def test_record_files_honour_the_umask(tmp_path: Path) -> None:
    """Records are created 0666 minus the umask, as open() would create them."""
    previous = os.umask(0o027)
    try:
        target = write_record(tmp_path, "pages/a.html", "{}\n")
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_leftover_temp_file_is_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A temporary file left by a killed run under the same name is never written into."""
    monkeypatch.setattr("pipeline.output.write._TEMP_COUNTER", itertools.count())
    for n in range(5):
        (tmp_path / f"{TEMP_PREFIX}{os.getpid()}-{n}.tmp").write_text("left over")
    target = tmp_path / "r.json"
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(leftovers) == 5
    assert {p.read_text() for p in leftovers} == {"left over"}


@dataclass(frozen=True)
class WriteCase:
    """Data given to the atomic writer and the bytes the file must then hold."""

    id: str
    data: str | bytes | list[str] | list[bytes]
    expected: bytes


WRITES = [
    WriteCase("text as UTF-8", "Škola ř\n", "Škola ř\n".encode()),
    WriteCase("bytes as given", b"\xef\xbb\xbfa;b\r\n", b"\xef\xbb\xbfa;b\r\n"),
    WriteCase("text pieces joined", ['{"a": 1}\n', '{"b": "č"}\n'], '{"a": 1}\n{"b": "č"}\n'.encode()),
    WriteCase("byte pieces joined", [b"PAR1", b"", b"PAR1"], b"PAR1PAR1"),
    WriteCase("no pieces gives an empty file", [], b""),
    WriteCase("empty text", "", b""),
]


@pytest.mark.parametrize("case", WRITES, ids=lambda c: c.id)
def test_write_atomic_writes_exactly_the_data(case: WriteCase, tmp_path: Path) -> None:
    """Text, bytes and pieces of either end up in the file byte for byte, no temp left."""
    target = tmp_path / "out.bin"
    write_atomic(target, case.data)
    assert target.read_bytes() == case.expected
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_pieces_larger_than_one_write_block_all_arrive(tmp_path: Path) -> None:
    """Many pieces (a run's JSON Lines) are written whole, whatever the block size."""
    lines = [f'{{"n": {n}, "t": "ř"}}\n' for n in range(50_000)]
    target = tmp_path / "all.jsonl"
    write_atomic(target, iter(lines))
    assert target.read_text(encoding="utf-8") == "".join(lines)


def test_an_error_in_the_pieces_keeps_the_old_file(tmp_path: Path) -> None:
    """A failure while producing the data (an unreadable record) leaves the old file and no temp."""
    target = tmp_path / "all.jsonl"
    write_atomic(target, "old\n")

    def failing() -> Iterator[str]:
        """Yield one line, then fail as a broken record file would."""
        yield "new\n"
        raise ValueError("broken record")

    with pytest.raises(ValueError, match="broken record"):
        write_atomic(target, failing())
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["all.jsonl"]


def test_an_os_error_in_the_pieces_is_an_output_error(tmp_path: Path) -> None:
    """An OSError raised while the pieces are read names the file being written."""

    def unreadable() -> Iterator[bytes]:
        """Fail as a record file that vanished would."""
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")
        yield b""

    with pytest.raises(OutputError, match=r"cannot write .*x\.jsonl: No such file"):
        write_atomic(tmp_path / "x.jsonl", unreadable())
    assert list(tmp_path.iterdir()) == []


def test_a_link_at_the_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    """A symbolic link planted under the target's name never makes the writer change its target."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "export.csv").symlink_to(elsewhere)
    write_atomic(out / "export.csv", "a;b\n")
    assert elsewhere.read_text() == "keep"
    assert not (out / "export.csv").is_symlink()
    assert (out / "export.csv").read_text() == "a;b\n"


def test_a_link_at_a_temporary_name_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link planted under the next temporary name is skipped, not followed."""
    monkeypatch.setattr("pipeline.output.write._TEMP_COUNTER", itertools.count())
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{TEMP_PREFIX}{os.getpid()}-0.tmp").symlink_to(elsewhere)
    write_atomic(out / "report.html", "<p>x</p>")
    assert elsewhere.read_text() == "keep"
    assert (out / "report.html").read_text() == "<p>x</p>"


def test_parents_are_made_only_when_asked(tmp_path: Path) -> None:
    """A missing folder is an OutputError unless ``parents`` asks for it to be made."""
    target = tmp_path / "a" / "b" / "export.jsonl"
    with pytest.raises(OutputError, match=r"cannot write .*export\.jsonl"):
        write_atomic(target, "x")
    write_atomic(target, "x", parents=True)
    assert target.read_text() == "x"


@pytest.mark.parametrize(("mode", "umask", "expected"), [
    (0o666, 0o022, 0o644),
    (0o666, 0o027, 0o640),
    (0o600, 0o022, 0o600),
])
def test_files_get_the_mode_minus_the_umask(tmp_path: Path, mode: int, umask: int, expected: int) -> None:
    """Files are for sharing by default (0666 minus the umask, as open() gives), never mkstemp's 0600."""
    previous = os.umask(umask)
    try:
        write_atomic(tmp_path / "f", "x", mode=mode)
    finally:
        os.umask(previous)
    assert (tmp_path / "f").stat().st_mode & 0o777 == expected


def test_remove_temp_files_only_removes_temp_files(tmp_path: Path) -> None:
    """Leftovers of a killed run go; records stay."""
    (tmp_path / ".tmp-abc.tmp").write_text("partial")
    (tmp_path / "keep-0123456789.json").write_text("{}")
    assert remove_temp_files(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep-0123456789.json"]


def test_second_lock_fails_with_the_holder_pid(tmp_path: Path) -> None:
    """A second run on the same folder stops at once and says which process holds it."""
    with lock_output(tmp_path), pytest.raises(OutputLockedError) as caught, lock_output(tmp_path):
        pass  # pragma: no cover - never reached
    assert str(caught.value) == f"output folder {tmp_path} is in use by another run (pid {os.getpid()})"


def test_lock_is_released_after_the_run(tmp_path: Path) -> None:
    """The lock file stays but is free again once the block ends."""
    with lock_output(tmp_path):
        pass
    with lock_output(tmp_path) as fd:
        assert fd >= 0
    assert (tmp_path / LOCK_NAME).exists()
