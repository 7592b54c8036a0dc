"""The per-page step both engines share: a page task in, a page outcome out.

``process_path(task, settings)`` reads, hashes and extracts one page under a time limit
and serialises its records; it is picklable, touches no shared state and writes nothing,
so it runs as it is in a local worker process (``pipeline.run.pool``) and in a Dask task
(``pipeline.run.dask_engine``). Every failure becomes a failed ``PageOutcome``.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.errors import PageError, PageTimeoutError
from pipeline.ingest.load import read_bytes
from pipeline.ingest.warc import read_page
from pipeline.records import FIELD_NAMES, Record
from pipeline.settings import Settings

__all__ = ["PageFunction", "PageOutcome", "PageTask", "process_path"]

# A replacement for the per-page extraction (tests): page bytes, path, settings -> records.
PageFunction = Callable[[bytes, str, Settings], "Record | list[Record]"]


@dataclass(frozen=True, slots=True)
class PageTask:
    """One input page to process; ``skip_if_sha256`` lets the worker skip unchanged bytes."""

    path: str
    previous_sha256: str | None = None
    skip_if_sha256: str | None = None
    # The resolved path (found cheaply during discovery); the parent stores it.
    real: str | None = None
    # The record file name the parent gave the page (None: derived from the path).
    output: str | None = None
    # The page's identity in the manifest: its input root's number and its key.
    root: int = 0
    key: str | None = None
    # A page inside a web archive: the archive file, the WACZ member and the offset.
    archive: str | None = None
    member: str | None = None
    offset: int = -1
    # The page described several projects on the last run (its records are one file each).
    several_before: bool = False

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as constructor arguments (the dataclass default costs more per page)."""
        return (PageTask, (self.path, self.previous_sha256, self.skip_if_sha256, self.real,
                           self.output, self.root, self.key, self.archive, self.member,
                           self.offset, self.several_before))

    @property
    def ident(self) -> tuple[int, str]:
        """The page's identity in the manifest (its path as given when it has none)."""
        return (self.root, self.key if self.key is not None else self.path)


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What a worker made of one page: a record, a failure, or "bytes unchanged"."""

    task: PageTask
    # "output-error": the local worker could not write the record file (``message``
    # says why); the run stops with an OutputError as if the parent had failed to write.
    status: Literal["ok", "failed", "unchanged", "output-error"]
    sha256: str = ""
    size: int | None = None
    mtime_ns: int | None = None
    record_json: str | None = None
    fields: tuple[str, ...] = ()
    reason: str | None = None
    message: str | None = None
    seconds: float = 0.0
    peak_rss_kb: int = 0
    # The record file name when the worker has already written it (local engine).
    output: str | None = None
    # The record's page_kind (counted in the summary).
    page_kind: str | None = None
    # The records of the second and later projects of a page that describes several.
    more_json: tuple[str, ...] = ()
    # How many records the page gave (one per project).
    projects: int = 1

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as constructor arguments (the dataclass default costs more per page)."""
        return (PageOutcome, (self.task, self.status, self.sha256, self.size, self.mtime_ns,
                              self.record_json, self.fields, self.reason, self.message,
                              self.seconds, self.peak_rss_kb, self.output, self.page_kind,
                              self.more_json, self.projects))

    @property
    def path(self) -> str:
        """The page's normalised input path."""
        return self.task.path


def _peak_rss_kb() -> int:
    """This process's peak resident memory in KiB (one syscall, cheap enough per page)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes there, KiB on Linux


class _Interrupted(BaseException):
    """Raised asynchronously in a worker thread whose page ran out of time."""


@contextmanager
def _thread_time_limit(seconds: float, path: str) -> Iterator[None]:
    """Raise PageTimeoutError in the block after ``seconds``, in a thread that is not main.

    Dask runs tasks in worker threads, where SIGALRM cannot reach: a timer thread raises
    an exception in the page's thread instead (delivered at its next Python bytecode).
    """
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        """Interrupt the page, unless it has just finished."""
        with lock:
            if state["done"]:
                return
            state["fired"] = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread_id), ctypes.py_object(_Interrupted)
            )

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    message = f"extraction took longer than {seconds:g} s"
    try:
        try:
            yield
        finally:
            with lock:
                state["done"] = True
            timer.cancel()
            if state["fired"]:
                # Withdraw an interruption not yet delivered, and report the timeout here.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
    except _Interrupted:
        raise PageTimeoutError(message, path) from None
    if state["fired"]:
        raise PageTimeoutError(message, path)


@contextmanager
def _time_limit(seconds: float, path: str) -> Iterator[None]:
    """Raise PageTimeoutError in the block after ``seconds`` (SIGALRM in the main thread,
    an asynchronous exception in other threads)."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_time_limit(seconds, path):
            yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        """Interrupt the page in progress."""
        raise PageTimeoutError(f"extraction took longer than {seconds:g} s", path)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _page_stages() -> Callable[..., list[Record]]:
    """The page stages' entry point (``pipeline.core.extract_bytes_records``), loaded on first use."""
    # Late on purpose: the page stages load spaCy and every rule (over a second). A run's
    # parent imports this module for its task types only and must stay light, so that
    # fork starts each worker in milliseconds and no worker copies a heap it never uses.
    from pipeline.core import extract_bytes_records

    return extract_bytes_records


def process_path(
    task: PageTask, settings: Settings, page_fn: PageFunction | None = None
) -> PageOutcome:
    """Read, hash and extract one page; every failure becomes a failed outcome.

    This is the per-page step of both engines: it is picklable, touches no shared state
    and writes nothing.
    """
    started = time.perf_counter()
    sha256, size, mtime_ns = "", None, None
    charset = url = None
    try:
        with _time_limit(settings.page_timeout, task.path):
            if task.archive is not None:
                found = read_page(task.archive, task.member, task.offset, settings.max_page_bytes)
                data, charset, url, size = found.data, found.charset, found.url, len(found.data)
            else:
                info = None
                try:
                    info = os.stat(task.path)
                    size, mtime_ns = info.st_size, info.st_mtime_ns
                except OSError:
                    pass  # the reader reports why the file cannot be read
                data = read_bytes(task.path, settings, info)
            sha256 = hashlib.sha256(data).hexdigest()
            if task.skip_if_sha256 is not None and sha256 == task.skip_if_sha256:
                return PageOutcome(task, "unchanged", sha256, size, mtime_ns,
                                   seconds=time.perf_counter() - started,
                                   peak_rss_kb=_peak_rss_kb())
            records: list[Record]
            if page_fn is None and task.archive is not None:
                records = _page_stages()(data, task.path, settings, sha256=sha256,
                                                charset=charset, url=url)
            elif page_fn is None:
                # The hash is taken once (a large HTML page costs a millisecond a hash).
                records = _page_stages()(data, task.path, settings, sha256=sha256)
            else:
                given = page_fn(data, task.path, settings)
                records = given if isinstance(given, list) else [given]
            texts = [record.to_json() for record in records]
            record = records[0]
            fields = tuple(name for name in FIELD_NAMES if any(getattr(r, name) is not None for r in records))
    except PageError as exc:
        return PageOutcome(task, "failed", sha256, size, mtime_ns, reason=exc.reason,
                           message=exc.message, seconds=time.perf_counter() - started,
                           peak_rss_kb=_peak_rss_kb())
    except Exception as exc:  # noqa: BLE001 - a bug on one page must not stop the batch
        return PageOutcome(task, "failed", sha256, size, mtime_ns, reason="internal-error",
                           message=f"{type(exc).__name__}: {exc}",
                           seconds=time.perf_counter() - started, peak_rss_kb=_peak_rss_kb())
    return PageOutcome(task, "ok", sha256, size, mtime_ns, record_json=texts[0], fields=fields,
                       seconds=time.perf_counter() - started, peak_rss_kb=_peak_rss_kb(),
                       page_kind=record.page_kind, more_json=tuple(texts[1:]), projects=len(texts))

