"""The output folder: record file names, atomic writes and the run lock.

Every file the pipeline writes (records, the run's summary files, exports, reports) goes
through ``write_atomic``: a temporary file in the same folder, then ``os.replace``, so
that a run killed at any moment (kill -9 included) leaves either the old file or the new
one, never a partial file. Only power loss can undo a rename whose data was not yet on
disk; record files are therefore written without a per-file fsync (it cost more than
extracting a text page), every other file with one, and ``sync_folder`` makes the
renames durable once per run.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import OutputError, OutputLockedError

__all__ = [
    "LOCK_NAME",
    "TEMP_PREFIX",
    "candidate_names",
    "lock_output",
    "normalise_input_path",
    "output_name",
    "output_path",
    "page_file_name",
    "project_file_name",
    "project_files",
    "read_lock",
    "record_files",
    "refuse_links",
    "remove_temp_files",
    "sync_folder",
    "write_atomic",
    "write_record",
    "write_records",
]

LOCK_NAME = ".lock"
# Temporary files are hidden and do not end in ".json", so a reader globbing "*.json"
# never sees a half-written record.
TEMP_PREFIX = ".tmp-"
# Long enough to stay readable, short enough that name + hash stays far below the 255
# byte limit of common file systems.
_MAX_STEM = 60
_HASH_HEX = 10
# Hash lengths tried when a shorter name is taken by another page.
_LONGER_HEX = (16, 32, 64)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LEADING = re.compile(r"^[._-]+")
_TRAILING = re.compile(r"[._-]+$")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def normalise_input_path(path: str) -> str:
    """The canonical spelling of an input path: the manifest key and ``source.path``.

    >>> normalise_input_path("pages//a/./b.html")
    'pages/a/b.html'
    """
    return os.path.normpath(path)


def _readable_stem(path: str) -> str:
    """ASCII-folded, filesystem-safe stem of the input's file name.

    >>> _readable_stem("raw/Projekt Žďár nad Sázavou.html")
    'Projekt_Zdar_nad_Sazavou'
    """
    name = os.path.basename(normalise_input_path(path))
    name = _EXTENSION.sub("", name)
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = _UNSAFE.sub("_", folded)[:_MAX_STEM]
    # No leading dot (hidden file, "..") and no trailing separator before the hash.
    safe = _TRAILING.sub("", _LEADING.sub("", safe))
    return safe or "page"


def output_name(path: str) -> str:
    """The record file name for an input path; distinct inputs give distinct names.

    The readable stem is for people; the hash of the whole normalised path is what keeps
    ``a/index.html`` and ``b/index.html`` apart.

    >>> output_name("pages/a/index.html")
    'index-995b941095.json'
    """
    digest = hashlib.sha256(os.fsencode(normalise_input_path(path))).hexdigest()[:_HASH_HEX]
    return f"{_readable_stem(path)}-{digest}.json"


def candidate_names(path: str, identity: str) -> Iterator[str]:
    """Record file names for an input, in order of preference; the run takes the first free.

    The first is ``output_name(path)``; when another page already holds it (two paths
    whose hashes share their first 40 bits, or one spelling of a path reused from another
    folder), longer hashes of the page's identity follow, then numbered names, so two
    pages never share a record file.

    >>> names = candidate_names("pages/a/index.html", "/data/pages/a/index.html")
    >>> [next(names) for _ in range(2)]
    ['index-995b941095.json', 'index-0b69ae0df4ebd7a8.json']
    """
    yield output_name(path)
    stem = _readable_stem(path)
    digest = hashlib.sha256(os.fsencode(identity)).hexdigest()
    for length in _LONGER_HEX:
        yield f"{stem}-{digest[:length]}.json"
    for number in itertools.count(2):
        yield f"{stem}-{digest}-{number}.json"


def output_path(out: Path, path: str, name: str | None = None) -> Path:
    """Where the record of ``path`` (named ``name`` when given) goes inside ``out``; never outside it."""
    name = name if name is not None else output_name(path)
    # The name is built from a safe alphabet, but check anyway: this is the one place a
    # bug would let an input write anywhere on disk. A plain name with no separator and
    # no leading dot can only be a file directly inside ``out`` (checked on the string:
    # resolving both paths cost two realpath walks per page).
    if not _PLAIN_NAME.fullmatch(name):
        raise OutputError(f"refusing to write {out / name}: it is not a plain file name")
    return out / name


# Temporary names: this process's id and a counter. Unique among live processes without
# the random names (and the extra fchmod) of ``tempfile.mkstemp``; O_EXCL still guards
# against a leftover of a killed run that had the same process id.
_TEMP_COUNTER = itertools.count()
_TEMP_ATTEMPTS = 100
# Size of the writes an iterable's pieces are gathered into.
_WRITE_BLOCK = 1 << 20
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create_temp(folder: Path, mode: int) -> tuple[int, str]:
    """Create a new empty temporary file in ``folder``; returns its descriptor and path."""
    for _ in range(_TEMP_ATTEMPTS):
        name = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMP_COUNTER)}.tmp")
        try:
            # Mode 0666 minus the umask by default, as open() gives: records are for sharing.
            return os.open(name, _CREATE_FLAGS, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def write_atomic(
    target: Path,
    data: str | bytes | Iterable[str] | Iterable[bytes],
    *,
    durable: bool = True,
    parents: bool = False,
    mode: int = 0o666,
) -> None:
    """Write ``data`` to ``target`` so that readers see the old or the new file, never a part.

    ``data`` is text (written as UTF-8), bytes, or an iterable of either, written piece by
    piece so that a large file (the run's JSON Lines) is never held whole in memory. Any
    error, in the OS or in the iterable, removes the temporary file and leaves ``target``
    as it was. The temporary file is created with O_EXCL, so a link planted under its name
    is never written through; ``os.replace`` replaces a link at ``target`` itself, never
    the file it points to. The file gets ``mode`` minus the umask (0644 usually), as
    ``open()`` gives. ``durable=False`` skips the fsync: still safe against a killed
    process, not against power loss before the next ``sync_folder``. ``parents`` creates
    missing parent folders first.
    """
    tmp_name: str | None = None
    try:
        if parents:
            target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _create_temp(target.parent, mode)
        try:
            if isinstance(data, (str, bytes)):
                _write_all(fd, data)
            else:
                # Pieces are gathered into large writes: one system call per JSON line
                # would cost more than the lines themselves.
                buffer = bytearray()
                for chunk in data:
                    buffer += chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                    if len(buffer) >= _WRITE_BLOCK:
                        _write_all(fd, buffer)
                        buffer.clear()
                _write_all(fd, buffer)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise OutputError(_output_message(target, exc)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass  # the temporary file is removed at the start of the next run


def _write_all(fd: int, chunk: str | bytes | bytearray) -> None:
    """Write all of ``chunk`` (text as UTF-8) to ``fd``; ``os.write`` may write only a part."""
    view = memoryview(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    while view:
        view = view[os.write(fd, view):]


def _output_message(target: Path, exc: OSError) -> str:
    """A message naming the file and what to do about the OS error."""
    if exc.errno == errno.ENOSPC:
        return f"cannot write {target}: the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {target}: permission denied (is the output folder writable?)"
    return f"cannot write {target}: {exc.strerror or exc}"


def write_record(out: Path, path: str, json_text: str, *, name: str | None = None) -> Path:
    """Write one record's JSON for input ``path`` atomically (no fsync); returns the file."""
    target = output_path(out, path, name)
    write_atomic(target, json_text, durable=False)
    return target


def project_file_name(name: str, index: int) -> str:
    """The record file of the ``index``-th project of a page whose record file is ``name``.

    Page record names end in ``-<hex>.json``, so a project file never takes another page's name.

    >>> project_file_name("projekty-1a2b3c4d5e.json", 2)
    'projekty-1a2b3c4d5e.p2.json'
    """
    return f"{name.removesuffix('.json')}.p{index}.json"


_PROJECT_SUFFIX = re.compile(r"\.p([1-9][0-9]*)\.json$")


def page_file_name(name: str) -> str:
    """The page's record file name a project file name comes from (other names as they are).

    >>> page_file_name("projekty-1a2b3c4d5e.p2.json")
    'projekty-1a2b3c4d5e.json'
    >>> page_file_name("projekty-1a2b3c4d5e.json")
    'projekty-1a2b3c4d5e.json'
    """
    m = _PROJECT_SUFFIX.search(name)
    return name[: m.start()] + ".json" if m else name


def project_files(out: Path, name: str) -> list[Path]:
    """The project record files of the page whose record file is ``name``, in project order."""
    stem = name.removesuffix(".json")
    found: list[tuple[int, Path]] = []
    for entry in os.scandir(out):
        if entry.name.startswith(stem + ".p"):
            m = _PROJECT_SUFFIX.search(entry.name)
            if m and entry.name[: m.start()] == stem:
                found.append((int(m.group(1)), Path(entry.path)))
    return [path for _, path in sorted(found)]


def record_files(out: Path, name: str, several: bool) -> list[Path]:
    """The record files a page holds: its one file, or one per project when it has several."""
    return project_files(out, name) if several else [out / name]


def write_records(
    out: Path, path: str, json_texts: Sequence[str], *, name: str | None = None, several_before: bool = False
) -> Path:
    """Write a page's records atomically; returns the page's record file name's path.

    One record goes to the page's file as always. Several (a page that describes several
    projects) go to one file per project, ``<name>.p1.json`` …; files of projects the page
    no longer describes, and the file of the other layout, are removed: the page is their
    only source. ``several_before`` says the page had several projects on the last run,
    so that a page of one project is never made to scan the folder.
    """
    if len(json_texts) == 1:
        target = write_record(out, path, json_texts[0], name=name)
        for old in project_files(out, target.name) if several_before else ():
            _unlink(old)
        return target
    target = output_path(out, path, name)
    written = set()
    for index, text in enumerate(json_texts, 1):
        file = target.with_name(project_file_name(target.name, index))
        write_atomic(file, text, durable=False)
        written.add(file.name)
    for old in project_files(out, target.name):
        if old.name not in written:
            _unlink(old)
    _unlink(target)
    return target


def _unlink(path: Path) -> None:
    """Remove a record file that no longer stands for a project; gone already is fine."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputError(_output_message(path, exc)) from exc


def remove_temp_files(out: Path) -> int:
    """Delete temporary files left by a killed run; returns how many were removed."""
    removed = 0
    for entry in os.scandir(out):
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def sync_folder(out: Path) -> None:
    """Make the renames in ``out`` durable (one directory fsync per run, not per page)."""
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not support fsync on a directory
    finally:
        os.close(fd)


def refuse_links(folder: Path, names: Iterable[str]) -> None:
    """Raise OutputError when a file the pipeline keeps in ``folder`` is a symbolic link.

    A link planted as ``.lock`` or ``.manifest.sqlite`` would make the run truncate or
    rewrite the file it points to, anywhere on disk.
    """
    for name in names:
        path = folder / name
        if os.path.islink(path):
            raise OutputError(
                f"{path} is a symbolic link; the pipeline writes only real files in its "
                "output folder: remove the link"
            )


@contextmanager
def lock_output(out: Path) -> Iterator[int]:
    """Hold ``<out>/.lock`` exclusively for the block; yields the lock's file descriptor.

    The descriptor is yielded so that worker processes forked during the run can close
    their inherited copy: otherwise a killed run's orphans would keep the folder locked.
    """
    lock_path = out / LOCK_NAME
    try:
        # No-follow: a link planted as the lock would have its target truncated.
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            refuse_links(out, [LOCK_NAME])
        raise OutputError(_output_message(lock_path, exc)) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise OutputLockedError(
                f"output folder {out} is in use by another run (pid {holder})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield fd
        finally:
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def read_lock(folder: Path) -> Iterator[None]:
    """Hold ``<folder>/.lock`` shared for the block: no ``extract`` writes the folder
    meanwhile; raises OutputLockedError at once when one is writing it.

    A folder without a lock file was never written by ``extract``: nothing to hold.
    """
    lock_path = folder / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        yield
        return
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            refuse_links(folder, [LOCK_NAME])
        raise OutputError(f"cannot open {lock_path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise OutputLockedError(
                f"{folder} is being written by a run (pid {holder}); try again when it has "
                "finished"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
