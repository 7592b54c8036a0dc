"""The ``extract`` batch: discover pages, extract them in worker processes, write records.

Work is split so that both engines share the per-page step:

* ``process_path(task, settings)`` is the picklable per-page function (read, hash,
  extract, serialise) that runs in a worker process or on a Dask worker; it returns a
  ``PageOutcome`` and never touches the output folder.
* Local workers then write the page's record file themselves (atomically: temporary
  file, then rename) and report its name; the Dask engine returns the JSON and the
  parent writes it. Either way the parent alone writes the manifest, and a page's row
  only after its record file is in place, so a run killed at any moment resumes cleanly.

Pages stream through: discovery is a generator, pages go to each worker in small chunks
(about ``_CHUNK_SECONDS`` of work each, at most two chunks queued per worker), and the
set of this run's inputs lives in a temporary SQLite table, so memory stays flat however
many pages there are. A worker sends its outcomes a chunk at a time, and keeps in shared
memory how many pages it has finished and when its current page began: from those the
parent enforces the per-page deadline and, when a worker dies or hangs, blames only the
page it was on (pages it finished without reporting are done again, unblamed).

Costs that were measured and removed (profile of 1,000 text pages): an fsync per record
file (longer than extracting the page), one SQLite transaction per page, a page or two
per round trip to a worker, five ``realpath`` walks per page in the parent, record JSON
pickled back to the parent only for the parent to write it, and a message (a parent
wake-up) per page: the parent's CPU per page fell from 0.16 to 0.05 ms, which on two
cores is CPU the workers get.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import importlib
import itertools
import json
import multiprocessing
import os
import resource
import select
import selectors
import signal
import stat
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal, TextIO

from pipeline.core import extract_bytes_records, warm_up
from pipeline.errors import (
    OutputError,
    PageError,
    PageTimeoutError,
    UsageError,
)
from pipeline.ingest.inputs import InputSelection
from pipeline.ingest.load import escape_controls, read_bytes
from pipeline.ingest.warc import ArchiveSkip, is_archive, list_pages
from pipeline.output.write import (
    candidate_names,
    lock_output,
    normalise_input_path,
    project_file_name,
    record_files,
    remove_temp_files,
    sync_folder,
    write_atomic,
    write_records,
)
from pipeline.records import FIELD_NAMES, PAGE_KINDS, SEVERAL_PROJECTS, Record
from pipeline.run.manifest import Manifest, ManifestRow
from pipeline.settings import EXTRACTOR_VERSION, Settings

__all__ = [
    "FAILURES_NAME",
    "BatchSummary",
    "Discovered",
    "PageFunction",
    "PageOutcome",
    "PageTask",
    "Skipped",
    "discover_inputs",
    "format_summary",
    "process_path",
    "run_extract",
]

FAILURES_NAME = "failures.jsonl"

PageFunction = Callable[[bytes, str, Settings], "Record | list[Record]"]

# Failures that say more about the machine at the time than about the page: an
# unchanged page that failed this way is tried again on the next run.
_TRANSIENT_REASONS = frozenset({"timeout", "worker-crashed", "unreadable"})
# Except a page that timed out on this many runs in a row, unchanged, on the same
# extractor version: it would only tie up a worker again (``--retry-failed`` retries it).
_TIMEOUT_RUNS = 2
# A page whose worker died is tried once more on a fresh worker before it is failed:
# the death may have been another process's memory pressure, not this page.
_CRASH_RETRIES = 1
# The parent kills a worker that overruns its page's time limit by this much: the
# in-worker alarm cannot interrupt long-running C code (a regex, the HTML parser).
_HARD_TIMEOUT_GRACE = 5.0
# Pages go to a worker in chunks of about this much work (from the recent time per
# page): one round trip per chunk instead of per page, while the last chunks of a run
# stay short enough that no worker idles long waiting for another to finish.
_CHUNK_SECONDS = 0.02
# Bounds of a chunk; a worker holds at most two chunks, so pages in flight stay bounded.
_MAX_CHUNK = 32
# Workers poll for a vanished parent this often (seconds) so a killed run leaves no orphans.
_ORPHAN_POLL = 1.0
# What a worker sends once its language pipeline is loaded: page deadlines start then.
_READY = "ready"
# A worker sends the outcomes of its finished pages together, at the end of each chunk
# or once the oldest unsent one is this old: one message per chunk instead of one per
# page, because each message costs the parent a wake-up, two reads and an unpickling on
# the same cores the workers need. What a worker has done shows in its shared progress.
_SEND_AFTER_SECONDS = 0.1
# Slots of a worker's shared progress array (written by the worker, read by the parent):
# pages finished (outcome final, maybe not yet sent) and when the page in progress began
# (time.monotonic, one clock for all processes). They tell the parent which page was in
# progress when a worker died or hung, though its last outcomes were never sent.
_DONE, _STARTED = 0, 1
# How long a worker may take to load the language pipeline before its first page's
# deadline starts anyway (a hung start-up must not hang the run).
_WARM_UP_SECONDS = 120.0
# Skip reasons only counted in the summary, not listed page by page.
_QUIET_SKIPS = frozenset({"hidden file", "hidden folder", "excluded by --exclude",
                          "not matched by --include"})
# Pages of a batch per worker started: below this, another worker's start-up (about a
# second) costs more than it saves (a text page takes about 2 ms, an HTML page 5-10 ms).
_PAGES_PER_WORKER = 250
# A first run keeps the record file names it gave out in memory up to this many (a set
# lookup per page), then in the manifest's temporary table, so memory stays flat.
_NAMES_IN_MEMORY = 100_000


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


@dataclass(frozen=True, slots=True)
class Discovered:
    """An input file found by discovery, with what discovery learned about it for free."""

    path: str
    real: str | None = field(default=None, compare=False)
    size: int | None = field(default=None, compare=False)
    mtime_ns: int | None = field(default=None, compare=False)
    # The resolved location of the input root it was found under, and its path there.
    root_real: str | None = field(default=None, compare=False)
    key: str | None = field(default=None, compare=False)
    # A web archive's page: the payload's sha256 (known from the listing), and where
    # the record is (archive file, WACZ member, offset).
    sha256: str | None = field(default=None, compare=False)
    archive: tuple[str, str | None, int] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input discovery did not process, and why (always reported)."""

    path: str
    reason: str


@dataclass
class BatchSummary:
    """Counts of one run; ``inputs == records + failed + skipped`` always holds."""

    out: Path
    inputs: int = 0
    new: int = 0
    changed: int = 0
    redone: int = 0
    unchanged: int = 0
    failed: int = 0
    failed_earlier: int = 0
    stale: int = 0
    skipped: int = 0
    skipped_reasons: Counter[str] = field(default_factory=Counter)
    field_counts: Counter[str] = field(default_factory=Counter)
    # Records per page_kind ("unknown": records written before page_kind existed).
    page_kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    peak_worker_rss_kb: int = 0
    jsonl: Path | None = None
    db_summary: str | None = None

    @property
    def records(self) -> int:
        """Inputs that have a current record."""
        return self.new + self.changed + self.redone + self.unchanged


# ---------------------------------------------------------------------------- worker side


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
                from pipeline.ingest.warc import read_page

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
                records = extract_bytes_records(data, task.path, settings, sha256=sha256,
                                                charset=charset, url=url)
            elif page_fn is None:
                # The hash is taken once (a large HTML page costs a millisecond a hash).
                records = extract_bytes_records(data, task.path, settings, sha256=sha256)
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


def _write_in_worker(outcome: PageOutcome, out: Path) -> PageOutcome:
    """Write an ok page's record file in the worker; the outcome then names the file."""
    if outcome.status != "ok" or outcome.record_json is None:
        return outcome
    started = time.perf_counter()
    try:
        target = write_records(out, outcome.path, (outcome.record_json, *outcome.more_json),
                               name=outcome.task.output, several_before=outcome.task.several_before)
    except OutputError as exc:
        return replace(outcome, status="output-error", record_json=None, more_json=(), message=str(exc))
    return replace(outcome, record_json=None, more_json=(), output=target.name,
                   seconds=outcome.seconds + time.perf_counter() - started)


def _worker_main(
    conn: Connection,
    settings: Settings,
    page_fn: PageFunction | None,
    out: Path | None,
    inherited_fds: tuple[int, ...],
    parent_pid: int,
    progress: Any,
) -> None:
    """Worker process loop: receive a chunk of tasks, send their outcomes, until told to stop."""
    for fd in inherited_fds:
        # Forked copies of the run lock and of other workers' pipes would keep the lock
        # held and hide the parent's death from the other workers.
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if page_fn is None:
        try:
            warm_up()
        except Exception:  # noqa: BLE001, S110 - each page then fails naming the same error
            pass
    # What is loaded now (spaCy, the tables) lives as long as the worker: frozen, it is
    # left out of every later collection, which would otherwise walk its ~90,000 objects
    # again and again (the cyclic collector took 0.025 ms per page, 0.001 after).
    gc.freeze()
    try:
        conn.send(_READY)
    except OSError:
        return
    while True:
        if not conn.poll(_ORPHAN_POLL):
            if os.getppid() != parent_pid:
                return
            continue
        try:
            chunk: list[PageTask] | None = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        unsent: list[PageOutcome] = []
        oldest = 0.0
        for task in chunk:
            progress[_STARTED] = time.monotonic()
            outcome = process_path(task, settings, page_fn)
            if out is not None:
                # A run killed meanwhile must not see its folder written by an orphan
                # after a new run took the lock.
                if os.getppid() != parent_pid:
                    return
                outcome = _write_in_worker(outcome, out)
            unsent.append(outcome)
            progress[_DONE] += 1
            if len(unsent) == 1:
                oldest = time.monotonic()
            elif time.monotonic() - oldest >= _SEND_AFTER_SECONDS:
                if not _send(conn, unsent):
                    return
                unsent = []
        if unsent and not _send(conn, unsent):
            return


def _send(conn: Connection, outcomes: list[PageOutcome]) -> bool:
    """Send finished pages' outcomes to the parent; False when the parent is gone."""
    try:
        conn.send(outcomes)
    except (BrokenPipeError, OSError):
        return False
    return True


# ---------------------------------------------------------------------------- parent side


@dataclass
class _Worker:
    """One worker process and the pages sent to it, oldest (in progress) first."""

    process: Any
    conn: Connection
    # Shared with the worker: see ``_DONE`` and ``_STARTED``.
    progress: Any
    queue: deque[tuple[PageTask, int]] = field(default_factory=deque)
    # Outcomes received from this worker so far.
    reported: int = 0
    # No page of the queue started before this (dispatch to an idle worker, its start).
    armed_at: float = 0.0
    ready: bool = False
    # Tells whether another message is waiting without blocking (Connection.poll builds
    # a selector per call, a measurable cost per page).
    pending: Any = None


class _LocalPool:
    """Worker processes fed small chunks of pages; survives crashes and hung pages."""

    def __init__(
        self,
        settings: Settings,
        page_fn: PageFunction | None,
        keep_closed: tuple[int, ...],
        out: Path | None = None,
    ) -> None:
        """Prepare (but do not start) up to ``settings.workers`` workers writing into ``out``."""
        self._settings = settings
        self._page_fn = page_fn
        self._keep_closed = keep_closed
        self._out = out
        methods = multiprocessing.get_all_start_methods()
        # fork starts a worker in milliseconds from a parent that has loaded nothing
        # heavy; spawn is the fallback where fork does not exist.
        self._ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._workers: list[_Worker] = []
        self._retries: deque[tuple[PageTask, int]] = deque()
        # One selector for the whole run (multiprocessing's wait() builds one per call).
        self._selector = selectors.DefaultSelector()
        # Recent seconds per page (moving average), which sets the chunk size.
        self._page_seconds = 0.0
        # Workers to start at most: ``settings.workers``, fewer for a small batch.
        self._max_workers = max(1, settings.workers)

    def _start(self) -> _Worker:
        """Start one worker process."""
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        fork = self._ctx.get_start_method() == "fork"
        inherited = (
            (*self._keep_closed, parent_end.fileno(), *(w.conn.fileno() for w in self._workers))
            if fork
            else ()
        )
        progress = self._ctx.RawArray("d", 2)
        process = self._ctx.Process(
            target=_worker_main,
            args=(child_end, self._settings, self._page_fn, self._out, inherited, os.getpid(),
                  progress),
            daemon=True,
            name="pipeline-extract-worker",
        )
        process.start()
        child_end.close()
        poller = select.poll()
        poller.register(parent_end.fileno(), select.POLLIN)
        worker = _Worker(process, parent_end, progress, armed_at=time.monotonic(), pending=poller)
        self._workers.append(worker)
        self._selector.register(parent_end, selectors.EVENT_READ, worker)
        self._selector.register(process.sentinel, selectors.EVENT_READ, worker)
        return worker

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        """End a worker: politely, or at once."""
        for watched in (worker.conn, worker.process.sentinel):
            try:
                self._selector.unregister(watched)
            except (KeyError, ValueError):
                pass
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def _discard(self, worker: _Worker) -> None:
        """Kill a dead or hung worker; a new one is started when there is work."""
        self._stop(worker, kill=True)
        self._workers.remove(worker)

    def _chunk_size(self) -> int:
        """Pages per chunk: about ``_CHUNK_SECONDS`` of work, one page until timed."""
        if self._page_seconds <= 0:
            return 1
        return max(1, min(_MAX_CHUNK, int(_CHUNK_SECONDS / self._page_seconds)))

    def _target(self, size: int) -> _Worker | None:
        """The worker to give the next chunk to, or None when all have enough queued."""
        idle = next((w for w in self._workers if not w.queue), None)
        if idle is not None:
            if not idle.process.is_alive():
                self._discard(idle)
                return self._start()
            return idle
        if len(self._workers) < self._max_workers:
            return self._start()
        # Refill a worker before it runs dry: once it works through its last chunk (its
        # outcomes arrive a chunk at a time).
        return min((w for w in self._workers if len(w.queue) <= size),
                   key=lambda w: len(w.queue), default=None)

    def _take(self, tasks: Iterator[PageTask], size: int) -> list[tuple[PageTask, int]]:
        """Up to ``size`` tasks: pages to retry first, then new ones from the stream."""
        chunk: list[tuple[PageTask, int]] = []
        while len(chunk) < size and self._retries:
            chunk.append(self._retries.popleft())
        while len(chunk) < size:
            task = next(tasks, None)
            if task is None:
                break
            chunk.append((task, 0))
        return chunk

    def _size_pool(self, tasks: Iterator[PageTask]) -> Iterator[PageTask]:
        """Read ahead enough tasks to tell a small batch, and start fewer workers for it.

        A worker costs about a second to start (spaCy and the tables) before its first
        page; a batch of a few hundred text pages is done sooner by one worker than by
        two (the 56-page corpus: 2.5 s on one, 4-8 s on two).
        """
        wanted = self._max_workers
        if wanted <= 1:
            return tasks
        ahead = list(itertools.islice(tasks, _PAGES_PER_WORKER * (wanted - 1) + 1))
        if len(ahead) <= _PAGES_PER_WORKER * (wanted - 1):
            self._max_workers = max(1, -(-len(ahead) // _PAGES_PER_WORKER))
        return itertools.chain(ahead, tasks)

    def run(self, tasks: Iterator[PageTask]) -> Iterator[PageOutcome]:
        """Yield one outcome per task (in completion order), a bounded number in flight."""
        tasks = self._size_pool(tasks)
        exhausted = False
        pending: list[tuple[PageTask, int]] = []
        try:
            while True:
                while True:
                    # Take the tasks before a worker: no worker is started without work.
                    size = self._chunk_size()
                    if not pending and (self._retries or not exhausted):
                        pending = self._take(tasks, size)
                        exhausted = exhausted or (len(pending) < size and not self._retries)
                    if not pending:
                        break
                    worker = self._target(size)
                    if worker is None:
                        break
                    self._dispatch(worker, pending)
                    pending = []
                busy = [w for w in self._workers if w.queue]
                if not busy:
                    return
                nearest = min(self._deadline(w) for w in busy)
                timeout = None if nearest == float("inf") else max(0.0, nearest - time.monotonic())
                ready = {key.fileobj for key, _ in self._selector.select(timeout)}
                for worker in list(self._workers):
                    if worker.queue:
                        yield from self._collect(worker, ready)
                    elif worker.process.sentinel in ready:
                        self._discard(worker)  # died idle: nothing lost, restarted on demand
        finally:
            for worker in self._workers:
                try:
                    if not worker.queue and worker.process.is_alive():
                        worker.conn.send(None)
                except OSError:
                    pass
            for worker in self._workers:
                self._stop(worker, kill=bool(worker.queue))
            self._workers.clear()
            self._selector.close()

    def _deadline(self, worker: _Worker) -> float:
        """When the parent stops the worker: its page in progress overran the time limit."""
        limit = self._settings.page_timeout
        if not worker.queue or limit <= 0:
            return float("inf")
        started = max(worker.progress[_STARTED], worker.armed_at)
        deadline: float = started + limit + max(_HARD_TIMEOUT_GRACE, limit * 0.5)
        if not worker.ready:
            deadline += _WARM_UP_SECONDS
        return deadline

    def _dispatch(self, worker: _Worker, chunk: list[tuple[PageTask, int]]) -> None:
        """Send a chunk of tasks to a worker; an idle worker's next page starts now."""
        if not worker.queue:
            worker.armed_at = time.monotonic()
        worker.queue.extend(chunk)
        try:
            worker.conn.send([task for task, _ in chunk])
        except OSError:
            pass  # the worker died; its sentinel reports it on the next wait

    def _collect(self, worker: _Worker, ready: set[Any]) -> Iterator[PageOutcome]:
        """Outcomes a worker has sent; handles its death and an overrun page."""
        if worker.conn in ready or worker.process.sentinel in ready:
            try:
                while worker.queue and worker.pending.poll(0):
                    message: list[PageOutcome] | str = worker.conn.recv()
                    if isinstance(message, str):  # _READY: its first page starts now
                        worker.ready = True
                        worker.armed_at = time.monotonic()
                        continue
                    for outcome in message:
                        worker.queue.popleft()
                        worker.reported += 1
                        if outcome.status in ("ok", "unchanged"):
                            # Failures are often instant (empty page) or very long
                            # (timeout): they say little about the next pages' time.
                            seconds = outcome.seconds
                            self._page_seconds = (
                                seconds if self._page_seconds <= 0
                                else 0.8 * self._page_seconds + 0.2 * seconds)
                        yield outcome
            except (EOFError, OSError):
                pass
            if not worker.queue or (worker.process.is_alive()
                                    and worker.process.sentinel not in ready):
                return
            worker.process.join(timeout=1)
            code = worker.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            yield from self._requeue(worker, "worker-crashed",
                                     f"the worker process died ({how}) while extracting this page")
            return
        if time.monotonic() >= self._deadline(worker):
            yield from self._requeue(
                worker, PageTimeoutError.reason,
                f"extraction took longer than {self._settings.page_timeout:g} s "
                "(the worker was stopped)", retry=False)

    def _requeue(
        self, worker: _Worker, reason: str, message: str, *, retry: bool = True
    ) -> Iterator[PageOutcome]:
        """Drop a worker; its page in progress is retried once or failed, the rest requeued."""
        # Stopped first, so that its shared counters no longer move while they are read.
        self._discard(worker)
        queued = list(worker.queue)
        worker.queue.clear()
        # Pages the worker finished but whose outcomes it never sent come first in its
        # queue: they are done again, unblamed (their record files are rewritten as is).
        finished = max(0, int(worker.progress[_DONE]) - worker.reported)
        began = max(worker.progress[_STARTED], worker.armed_at)
        if not retry and time.monotonic() - began < self._settings.page_timeout:
            # Stopped for an overrun, but the page that overran ended just before and the
            # one in progress has only begun: no page is to blame.
            self._retries.extend(queued)
            return
        if finished >= len(queued):
            # It died after its last page (while sending): no page can be blamed, so
            # each is tried once more and fails if this happens again.
            for task, attempt in queued:
                if attempt < _CRASH_RETRIES:
                    self._retries.append((task, attempt + 1))
                else:
                    yield PageOutcome(task, "failed", reason=reason,
                                      message=f"{message}, {attempt + 1} times")
            return
        (task, attempt), waiting = queued[finished], queued[:finished] + queued[finished + 1 :]
        # Pages queued behind the culprit never started: they go back unblamed.
        self._retries.extend(waiting)
        if retry and attempt < _CRASH_RETRIES:
            self._retries.append((task, attempt + 1))
            return
        if retry:
            message += f", {attempt + 1} times"
        yield PageOutcome(task, "failed", reason=reason, message=message)


# ---------------------------------------------------------------------------- discovery

# The default selection: page files by name and content.
_ALL_PAGES = InputSelection()


def _real(path: str) -> str:
    """Resolved absolute path for identity checks (symlinks followed)."""
    return os.path.realpath(path)


def _inside(real: str, folder_real: str | None) -> bool:
    """Whether resolved ``real`` is ``folder_real`` or below it (never when there is none)."""
    if folder_real is None:
        return False
    return real == folder_real or real.startswith(folder_real.rstrip(os.sep) + os.sep)


def _valid_name(path: str) -> bool:
    """File names that are not valid UTF-8 cannot be stored in records or the manifest."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def discover_inputs(
    paths: Iterable[Path],
    out: Path | None,
    exclude: Iterable[Path] = (),
    selection: InputSelection = _ALL_PAGES,
    *,
    follow_links: bool = False,
) -> Iterator[Discovered | Skipped]:
    """Walk the inputs in sorted order, yielding files to process and reported skips.

    Folders are walked recursively without following symbolic links to folders (so
    link loops cannot trap the walk); hidden files and folders, the output folder and
    anything inside it, ``exclude`` files, and files found in a folder that ``selection``
    says are not pages are skipped, each with a reason. Files given by name are taken.
    A link to a file outside every given folder is skipped unless ``follow_links`` (a
    planted link would otherwise put ``/etc/passwd`` into a record).
    """
    out_real = _real(str(out)) if out is not None else None
    excluded = {_real(str(p)) for p in exclude}
    roots = [normalise_input_path(str(given)) for given in paths]
    within = None if follow_links else [_real(root) for root in roots if os.path.isdir(root)]
    for root in roots:
        yield from _discover_one(root, out_real, excluded, selection, within)


def _file_verdict(
    path: str, real: str, out_real: str | None, excluded: set[str], explicit: bool,
    root_real: str, key: str, selection: InputSelection | None = None,
) -> Skipped | Discovered:
    """Why a file found (or given) is skipped, or the file to process."""
    if not _valid_name(path):
        return Skipped(path, "the file name is not valid UTF-8")
    name = os.path.basename(path)
    if not explicit and name.startswith("."):
        return Skipped(path, "hidden file")
    if _inside(real, out_real):
        return Skipped(path, "inside the output folder")
    if real in excluded:
        return Skipped(path, "an output of this run")
    try:
        st = os.stat(path)
    except OSError:
        # The worker reports it as unreadable, with the OS reason.
        return Discovered(path, real, root_real=root_real, key=key)
    if not stat.S_ISREG(st.st_mode):
        return Skipped(path, "not a regular file")
    if selection is not None:
        reason = selection.skip_reason(path, key)
        if reason is not None:
            return Skipped(path, reason)
    return Discovered(path, real, st.st_size, st.st_mtime_ns, root_real, key)


def _pages_of_file(
    path: str, real: str, out_real: str | None, excluded: set[str], explicit: bool,
    root_real: str, key: str, selection: InputSelection | None,
) -> Iterator[Discovered | Skipped]:
    """The file as one input, or a web archive's response records as one input each."""
    if not is_archive(path):
        yield _file_verdict(path, real, out_real, excluded, explicit, root_real, key, selection)
        return
    # Archives are taken by name; --include/--exclude globs still apply to them.
    globs = selection if selection is not None and (selection.include or selection.exclude) else None
    verdict = _file_verdict(path, real, out_real, excluded, explicit, root_real, key, globs)
    if isinstance(verdict, Skipped) or verdict.size is None:
        yield verdict  # skipped, or a file the worker will report as unreadable
        return
    for page in list_pages(path):
        if isinstance(page, ArchiveSkip):
            yield Skipped(path + page.suffix, page.reason)
            continue
        yield Discovered(path + page.suffix, real + page.suffix, page.size, None, root_real,
                         key + page.suffix, page.sha256, (path, page.member, page.offset))


def _sorted_entries(folder: str) -> list[os.DirEntry[str]]:
    """A folder's entries by name; an unreadable folder has none (as with os.walk)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder (or a link to one), as os.walk decides."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _discover_one(
    root: str,
    out_real: str | None,
    excluded: set[str],
    selection: InputSelection,
    within: list[str] | None = None,
) -> Iterator[Discovered | Skipped]:
    """Discovery under one given path: folders before files, top-down, sorted by name.

    ``within``: the resolved input folders a linked file must lie in (None: any).
    """
    if not os.path.isdir(root):
        # A file given by itself is found under its folder: its identity is its name
        # there, whatever spelling of the folder was given.
        yield from _pages_of_file(root, _real(root), out_real, excluded, True,
                                  _real(os.path.dirname(root) or "."), os.path.basename(root),
                                  None)
        return
    root_real = _real(root)
    if _inside(root_real, out_real):
        yield Skipped(root, "the output folder")
        return
    # Folders walked are never links, so a child's resolved path is its parent's plus its
    # name: one realpath per given root, not one per file (only links are resolved).
    # The third item is the folder's path under the root (the pages' keys start with it).
    stack: list[tuple[str, str, str]] = [(root, root_real, "")]
    while stack:
        folder, folder_real, folder_key = stack.pop()
        entries = _sorted_entries(folder)
        kept: list[tuple[str, str, str]] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            if not _is_dir(entry):
                files.append(entry)
                continue
            sub = os.path.join(folder, entry.name)
            if entry.name.startswith("."):
                yield Skipped(sub, "hidden folder")
            elif entry.is_symlink():
                yield Skipped(sub, "symbolic link to a folder (not followed)")
            else:
                sub_real = os.path.join(folder_real, entry.name)
                if _inside(sub_real, out_real):
                    yield Skipped(sub, "the output folder")
                else:
                    kept.append((sub, sub_real, folder_key + entry.name + "/"))
        for entry in files:
            path = normalise_input_path(os.path.join(folder, entry.name))
            if not entry.is_symlink():
                real = os.path.join(folder_real, entry.name)
            else:
                real = _real(path)
                if within is not None and not any(_inside(real, top) for top in within):
                    yield Skipped(path, "symbolic link to a file outside the input folders "
                                        "(not followed; --follow-links follows it)")
                    continue
            yield from _pages_of_file(path, real, out_real, excluded, False,
                                      root_real, folder_key + entry.name, selection)
        stack.extend(reversed(kept))


# ---------------------------------------------------------------------------- the run


class _Reporter:
    """Progress bar and per-page lines on ``err`` (the CLI's stderr)."""

    def __init__(self, err: TextIO, total: int | None) -> None:
        """Show a bar only on a terminal and when not quiet."""
        self._err = err
        self._bar: Any = None
        if total is not None:
            from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

            self._bar = tqdm(total=total, file=err, unit="page", dynamic_ncols=True,
                             desc="extract", smoothing=0.1)
        self._failed = 0

    def line(self, text: str) -> None:
        """One message line that does not break the bar."""
        # File names and messages come from pages and folders: a terminal escape in one
        # must be shown, not obeyed.
        safe = escape_controls(text)
        if self._bar is not None:
            self._bar.write(safe, file=self._err)
        else:
            self._err.write(safe + "\n")

    def advance(self, failed: bool = False) -> None:
        """One input done."""
        if failed:
            self._failed += 1
        if self._bar is not None:
            if failed:
                self._bar.set_postfix(failed=self._failed, refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()


def _wants_bar(err: TextIO, settings: Settings) -> bool:
    """A progress bar only for a person watching a terminal."""
    if settings.quiet:
        return False
    isatty = getattr(err, "isatty", None)
    return bool(isatty and isatty())


class _Run:
    """The parent's bookkeeping for one run: plan tasks, apply outcomes."""

    def __init__(
        self,
        out: Path,
        manifest: Manifest,
        settings: Settings,
        reporter: _Reporter,
        summary: BatchSummary,
        observer: Callable[[PageOutcome], None] | None,
    ) -> None:
        """Hold what planning and applying share."""
        self.out = out
        # The folder as a string: joining strings costs a fraction of a Path join, and a
        # rerun over unchanged pages does one per page.
        self._out_prefix = os.path.join(out, "")
        self.manifest = manifest
        self.settings = settings
        self.reporter = reporter
        self.summary = summary
        self.observer = observer
        # Input roots' resolved locations and their numbers in the manifest.
        self._roots: dict[str, int] = {}
        # Record file names given out in a first run (no manifest rows to check against).
        self._fresh_names: set[str] | None = set()
        # What this run's inputs cover, for marking pages that are gone: whole roots
        # (key None) and single files.
        self.scopes: set[tuple[int, str | None]] = set()

    def _ident(self, item: Discovered) -> tuple[int, str] | None:
        """The page's identity: its input root's number and its path under that root."""
        if item.root_real is None or item.key is None:
            return None
        root = self._roots.get(item.root_real)
        if root is None:
            root = self._roots[item.root_real] = self.manifest.root_id(item.root_real)
        return (root, item.key)

    def note_root(self, given: str) -> None:
        """Record what an input as given covers (a folder's every page, or one file)."""
        if os.path.isdir(given):
            real, key = _real(given), None
        else:
            real, key = _real(os.path.dirname(given) or "."), os.path.basename(given)
        root = self._roots.get(real)
        if root is None:
            root = self._roots[real] = self.manifest.root_id(real)
        self.scopes.add((root, key))

    def plan(self, found: Iterator[Discovered | Skipped]) -> Iterator[PageTask]:
        """Yield the pages that need a worker; settle skips and unchanged pages here."""
        for item in found:
            self.summary.inputs += 1
            if isinstance(item, Skipped):
                self._skip(item)
                continue
            location = (os.path.join(item.root_real, item.key)
                        if item.root_real is not None and item.key is not None else None)
            if not self.manifest.mark_seen(item.path, self._ident(item), location):
                self._skip(Skipped(item.path, "listed twice"))
                continue
            task = self._task_for(item)
            self.manifest.commit_if_due()
            if task is not None:
                yield task

    def _skip(self, item: Skipped) -> None:
        """Count and report a skipped input."""
        self.summary.skipped += 1
        self.summary.skipped_reasons[item.reason] += 1
        # Hidden files and files that are not pages are only counted: a saved site holds
        # thousands of them, and the summary lists the reasons.
        if item.reason not in _QUIET_SKIPS and not item.reason.startswith(
                ("not a page file", "web archive record:")):
            self.reporter.line(f"SKIPPED {item.path}: {item.reason}")
        self.reporter.advance()

    def _task_for(self, item: Discovered) -> PageTask | None:
        """Decide from the manifest whether the page needs work; None if settled here.

        An unchanged page costs one manifest lookup and one stat of its record file: its
        stat came with discovery, and its bytes are hashed only if size or mtime moved.
        """
        path = item.path
        real = item.real if item.real is not None else os.path.realpath(path)
        ident = self._ident(item)
        found = ident if ident is not None else (0, path)
        row = None if self.manifest.started_empty else self.manifest.get(path, found)
        if row is None and not self.manifest.started_empty:
            # The same file under another identity (an older manifest, another root over
            # the same files): the page keeps its row and its record file.
            row, moved = self.manifest.adopt(real, path, found)
            for old in moved:
                self.summary.stale += 1
                kept = f"; its record {old.output} is kept" if old.output else ""
                self.reporter.line(f"STALE {old.path}: the same file is now read as {path}{kept}")
        base = PageTask(path, real=real, root=found[0], key=found[1])
        if item.archive is not None:
            base = replace(base, archive=item.archive[0], member=item.archive[1],
                           offset=item.archive[2])
        if row is None:
            return replace(base, output=self._name_for(path, item, found, None))
        redo = replace(base, previous_sha256=row.sha256,
                       output=self._name_for(path, item, found, row.output),
                       several_before=row.page_kind == SEVERAL_PROJECTS)
        if self.settings.force or row.extractor_version != EXTRACTOR_VERSION:
            return redo
        if row.path != path:
            return redo  # given under a new spelling: the record's source.path follows it
        if row.status == "ok":
            first = row.output
            if first and row.page_kind == SEVERAL_PROJECTS:
                first = project_file_name(first, 1)
            if not first or not self._record_present(first):
                return redo  # record file lost (or emptied by a power cut)
        elif row.status == "failed":
            if self.settings.retry_failed or (
                row.reason in _TRANSIENT_REASONS and not _gave_up(row)
            ):
                return redo
        else:  # stale: the page is back
            return redo
        if item.sha256 is not None:
            # A web archive's page: the listing hashed its payload already.
            if item.sha256 == row.sha256:
                self._settle_unchanged(row)
                return None
            return redo
        if item.size is None or item.mtime_ns is None:
            return redo  # discovery could not stat it: the worker reports why
        if item.size == row.size and item.mtime_ns == row.mtime_ns:
            self._settle_unchanged(row)
            return None
        return replace(redo, skip_if_sha256=row.sha256)

    def _name_for(
        self, path: str, item: Discovered, ident: tuple[int, str], current: str | None
    ) -> str:
        """The page's record file name: the one it has, else the first no other page holds."""
        if current is not None:
            return current
        identity = os.path.join(item.root_real or "", ident[1]) if item.root_real else path
        for name in candidate_names(path, identity):
            if self.manifest.started_empty and self._fresh_names is not None:
                # A first run: only this run's names can be taken (kept in memory up to
                # a bound, then in the manifest's temporary table).
                if name in self._fresh_names:
                    continue
                self._fresh_names.add(name)
                if len(self._fresh_names) > _NAMES_IN_MEMORY:
                    for held in self._fresh_names:
                        self.manifest.claim_name(held, (-1, held))
                    self._fresh_names = None
                return name
            if not self.manifest.name_taken(name, ident):
                self.manifest.claim_name(name, ident)
                return name
        raise AssertionError("unreachable: candidate names never run out")

    def _identified(self, outcome: PageOutcome) -> PageOutcome:
        """A failure the parent declared (a stopped or dead worker), with the page's hash
        and stat: the next run then knows whether the page changed since."""
        try:
            info = os.stat(outcome.path)
            data = read_bytes(outcome.path, self.settings, info)
        except (OSError, PageError):
            return outcome
        return replace(outcome, sha256=hashlib.sha256(data).hexdigest(), size=info.st_size,
                       mtime_ns=info.st_mtime_ns)

    def _record_present(self, name: str) -> bool:
        """Whether the record file exists and is not empty."""
        try:
            return os.stat(self._out_prefix + name).st_size > 0
        except OSError:
            return False

    def _settle_unchanged(self, row: ManifestRow) -> None:
        """Count a page whose bytes did not change since its last extraction."""
        if row.status == "ok":
            self.summary.unchanged += 1
            self.summary.field_counts.update(row.field_names)
            self.summary.page_kinds[row.page_kind or "unknown"] += 1
            self.reporter.advance()
        else:
            self.summary.failed += 1
            self.summary.failed_earlier += 1
            again = "; --retry-failed tries it again" if _gave_up(row) else ""
            self.reporter.line(
                f"FAILED {row.path}: {row.message} (unchanged since an earlier run{again})")
            self.reporter.advance(failed=True)

    def apply(self, outcome: PageOutcome) -> None:
        """Write the record file, then the manifest row (always last)."""
        if self.observer is not None:
            self.observer(outcome)
        self.summary.peak_worker_rss_kb = max(self.summary.peak_worker_rss_kb, outcome.peak_rss_kb)
        path = outcome.path
        real = outcome.task.real if outcome.task.real is not None else os.path.realpath(path)
        if outcome.status == "output-error":
            raise OutputError(outcome.message or f"cannot write the record of {path}")
        ident = outcome.task.ident
        if outcome.status == "unchanged":
            if outcome.size is not None and outcome.mtime_ns is not None:
                self.manifest.update_stat(path, outcome.size, outcome.mtime_ns, ident)
            row = self.manifest.get(path, ident)
            assert row is not None
            self._settle_unchanged(row)
            self.manifest.commit_if_due()
            return
        if outcome.status == "failed":
            if not outcome.sha256:
                outcome = self._identified(outcome)
            self.manifest.record_failed(
                path, sha256=outcome.sha256, extractor_version=EXTRACTOR_VERSION,
                reason=outcome.reason or "page-error", message=outcome.message or "",
                size=outcome.size, mtime_ns=outcome.mtime_ns, real=real, ident=ident,
                output=outcome.task.output,
            )
            self.manifest.commit_if_due()
            self.summary.failed += 1
            self.reporter.line(f"FAILED {path}: {outcome.message}")
            self.reporter.advance(failed=True)
            return
        if outcome.output is not None:
            name = outcome.output  # the worker has written it
        else:
            assert outcome.record_json is not None
            name = write_records(self.out, path, (outcome.record_json, *outcome.more_json),
                                 name=outcome.task.output,
                                 several_before=outcome.task.several_before).name
        # The row comes after the file is in place, in the batch the next commit closes.
        self.manifest.record_ok(
            path, sha256=outcome.sha256, extractor_version=EXTRACTOR_VERSION,
            output=name, size=outcome.size, mtime_ns=outcome.mtime_ns,
            fields=outcome.fields, real=real, ident=ident, page_kind=outcome.page_kind,
        )
        self.manifest.commit_if_due()
        previous = outcome.task.previous_sha256
        if previous is None:
            self.summary.new += 1
        elif previous != outcome.sha256:
            self.summary.changed += 1
        else:
            self.summary.redone += 1
        self.summary.field_counts.update(outcome.fields)
        self.summary.page_kinds[outcome.page_kind or "unknown"] += 1
        self.reporter.advance()


def _gave_up(row: ManifestRow) -> bool:
    """Whether an unchanged failed page is not tried again by default (timed out twice)."""
    return row.reason == PageTimeoutError.reason and (row.timeouts or 0) >= _TIMEOUT_RUNS


def _check_inputs(paths: list[Path]) -> list[str]:
    """Normalised input roots; every given path must exist."""
    if not paths:
        raise UsageError("no input paths given")
    roots = []
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"input not found: {path}")
        roots.append(normalise_input_path(str(path)))
    return roots


def _prepare_out(out: Path) -> None:
    """Create the output folder (or explain why it cannot be used)."""
    from pipeline.errors import OutputError

    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from exc


def _count_inputs(
    paths: list[Path], out: Path, exclude: list[Path], selection: InputSelection,
    follow_links: bool,
) -> int:
    """How many inputs discovery will yield (a cheap extra walk, for the bar's ETA)."""
    return sum(1 for _ in discover_inputs(paths, out, exclude, selection,
                                          follow_links=follow_links))


# Files the pipeline keeps in an output folder besides the records (``*.json``).
_OWN_NAMES = frozenset({FAILURES_NAME, "records.sqlite", "export.csv", "export.jsonl",
                        "export.parquet"})


def _check_places(roots: list[str], out: Path, jsonl: Path | None) -> None:
    """Refuse an output folder that is (or holds) an input, and a --jsonl file that would
    overwrite an input or a file of the output folder's own."""
    out_real = _real(str(out))
    for root in roots:
        if _inside(_real(root), out_real):
            raise UsageError(
                f"the output folder {out} is or contains the input {root}: its records, "
                f"manifest and {FAILURES_NAME} would be mixed with the pages; choose an "
                "output folder outside the inputs"
            )
    if jsonl is None:
        return
    target = _real(str(jsonl))
    for root in roots:
        if _inside(target, _real(root)):
            raise UsageError(f"--jsonl {jsonl} is an input or inside the input {root}: "
                             "choose a file outside the inputs")
    name = os.path.basename(target)
    if os.path.dirname(target) == out_real and (
        name.startswith(".") or name.endswith(".json") or name in _OWN_NAMES
    ):
        raise UsageError(f"--jsonl {jsonl} is a file the output folder {out} keeps for "
                         "itself: choose another name")


def _engine_outcomes(
    engine: str,
    tasks: Iterator[PageTask],
    settings: Settings,
    *,
    scheduler: str | None,
    page_fn: PageFunction | None,
    keep_closed: tuple[int, ...],
    out: Path | None = None,
) -> Iterator[PageOutcome]:
    """Outcomes from the chosen engine, in completion order (local workers write into ``out``)."""
    if engine == "local":
        return _LocalPool(settings, page_fn, keep_closed, out).run(tasks)
    try:
        dask_engine = importlib.import_module("pipeline.run.dask_engine")
    except ImportError as exc:
        raise UsageError("the dask engine needs: pip install '.[dask]'") from exc
    outcomes: Iterator[PageOutcome] = dask_engine.run_pages(
        tasks, settings, scheduler=scheduler, page_fn=page_fn
    )
    return outcomes


def _close(outcomes: Iterator[PageOutcome]) -> None:
    """Stop an engine's outcome stream (its workers) if it can be stopped."""
    close = getattr(outcomes, "close", None)
    if close is not None:
        close()


def _write_failures(out: Path, manifest: Manifest) -> None:
    """Rewrite ``failures.jsonl`` with every page currently failed."""
    lines = (
        json.dumps({"path": row.path, "reason": row.reason, "message": row.message},
                   ensure_ascii=False) + "\n"
        for row in manifest.failed_rows()
    )
    write_atomic(out / FAILURES_NAME, "".join(lines))


def _write_jsonl(target: Path, out: Path, manifest: Manifest) -> None:
    """All current records of this run's inputs as JSON Lines, in path order, atomically."""
    write_atomic(target, _jsonl_lines(out, manifest))


def _jsonl_lines(out: Path, manifest: Manifest) -> Iterator[str]:
    """One compact JSON line per current record, read back from the record files."""
    for row in manifest.seen_ok_rows():
        assert row.output is not None
        for file in record_files(out, row.output, row.page_kind == SEVERAL_PROJECTS):
            record = json.loads(file.read_text(encoding="utf-8"))
            yield json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def format_summary(summary: BatchSummary) -> str:
    """The closing summary of a run, for people."""
    s = summary
    skipped = ""
    if s.skipped:
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(s.skipped_reasons.items()))
        skipped = f" ({why})"
    lines = [
        (f"{s.inputs} inputs: {s.records} records, {s.failed} failed, {s.skipped} skipped"
         f" in {s.seconds:.1f} s"),
        (f"  new {s.new}, changed {s.changed}, re-extracted {s.redone}, unchanged {s.unchanged},"
         f" failed {s.failed} ({s.failed_earlier} unchanged since an earlier run),"
         f" stale {s.stale}, skipped {s.skipped}{skipped}"),
    ]
    if s.records:
        kinds = ", ".join(f"{kind} {s.page_kinds[kind]}"
                          for kind in (*PAGE_KINDS, "unknown") if s.page_kinds.get(kind))
        lines.append(f"  page kinds: {kinds}")
        width = max(len(name) for name in FIELD_NAMES)
        lines.append(f"  fields with a value, of {s.records} records:")
        for name in FIELD_NAMES:
            count = s.field_counts.get(name, 0)
            lines.append(f"    {name:<{width}} {count:>7} {100 * count / s.records:5.1f} %")
    if s.failed:
        lines.append(f"  failures are listed in {s.out / FAILURES_NAME}")
    if s.jsonl is not None:
        lines.append(f"  JSON Lines written to {s.jsonl}")
    if s.db_summary:
        lines.append(f"  database: {s.db_summary}")
    return "\n".join(lines) + "\n"


def run_extract(
    paths: list[Path],
    out: Path,
    settings: Settings,
    *,
    jsonl: Path | None = None,
    db: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    err: TextIO = sys.stderr,
    page_fn: PageFunction | None = None,
    observer: Callable[[PageOutcome], None] | None = None,
    selection: InputSelection = _ALL_PAGES,
) -> BatchSummary:
    """Extract every input page into ``out``; incremental, resumable, parallel.

    Raises UsageError for bad arguments, OutputLockedError when another run holds the
    folder and OutputError when the folder cannot be written; single pages that fail
    are counted, listed in ``failures.jsonl`` and reported on ``err``.
    ``page_fn`` replaces the per-page function (tests); ``observer`` sees each outcome;
    ``selection`` says which files found in folders are pages.
    """
    started = time.perf_counter()
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r} (choose local or dask)")
    if settings.workers < 1:
        raise UsageError(f"workers must be at least 1, not {settings.workers}")
    roots = _check_inputs(paths)
    _check_places(roots, out, jsonl)
    _prepare_out(out)
    if db is not None:
        # A database that cannot be reached must stop the run before it starts, not after.
        from pipeline.output.db import check_database

        check_database(db)
    exclude = [jsonl] if jsonl is not None else []
    summary = BatchSummary(out=out)
    follow = settings.follow_links
    with lock_output(out) as lock_fd, Manifest(out) as manifest:
        remove_temp_files(out)
        total = (_count_inputs(paths, out, exclude, selection, follow)
                 if _wants_bar(err, settings) else None)
        reporter = _Reporter(err, total)
        try:
            run = _Run(out, manifest, settings, reporter, summary, observer)
            for root in roots:
                run.note_root(root)
            tasks = run.plan(discover_inputs(paths, out, exclude, selection, follow_links=follow))
            outcomes = _engine_outcomes(
                engine, tasks, settings, scheduler=scheduler, page_fn=page_fn,
                keep_closed=(lock_fd,), out=out,
            )
            try:
                for outcome in outcomes:
                    run.apply(outcome)
            except BaseException:
                _close(outcomes)
                # Workers stopped mid-write leave temporary files: remove them now (the
                # next run would anyway).
                with suppress(OSError):
                    remove_temp_files(out)
                raise
            _close(outcomes)
            manifest.commit()
            for row in manifest.mark_gone_stale(roots, run.scopes):
                summary.stale += 1
                kept = f"; its record {row.output} is kept" if row.output else ""
                reporter.line(f"STALE {row.path}: the input is no longer found{kept}")
        except KeyboardInterrupt:
            # The manifest keeps the failures found before Ctrl-C; the list says the same.
            with suppress(OutputError):
                manifest.commit()
                _write_failures(out, manifest)
            raise
        finally:
            reporter.close()
        _write_failures(out, manifest)
        if jsonl is not None:
            _write_jsonl(jsonl, out, manifest)
            summary.jsonl = jsonl
        sync_folder(out)
    if db is not None:
        from pipeline.output.db import load_folder

        result = load_folder(out, db)
        line = getattr(result, "summary_line", None)
        summary.db_summary = line() if callable(line) else str(result)
    summary.seconds = time.perf_counter() - started
    err.write(format_summary(summary))
    return summary

