"""The local engine: worker processes fed small chunks of pages, surviving crashes and hangs.

Pages go to each worker in small chunks (about ``_CHUNK_SECONDS`` of work each, at most
two chunks queued per worker). A worker runs the shared per-page step
(``pipeline.run.task.process_path``), writes the page's record file itself (atomically:
temporary file, then rename) and sends its outcomes a chunk at a time; the parent alone
writes the manifest. A worker keeps in shared memory how many pages it has finished and
when its current page began: from those the parent enforces the per-page deadline and,
when a worker dies or hangs, blames only the page it was on (pages it finished without
reporting are done again, unblamed).

Costs that were measured and removed (profile of 1,000 text pages): a page or two per
round trip to a worker, record JSON pickled back to the parent only for the parent to
write it, and a message (a parent wake-up) per page: the parent's CPU per page fell from
0.16 to 0.05 ms, which on two cores is CPU the workers get.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import select
import selectors
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError, PageTimeoutError
from pipeline.output.write import write_records
from pipeline.run.task import PageFunction, PageOutcome, PageTask, process_path
from pipeline.settings import Settings

__all__ = ["MAX_CHUNK", "PAGES_PER_WORKER", "LocalPool"]

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
MAX_CHUNK = 32
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
# Pages of a batch per worker started: below this, another worker's start-up (about a
# second) costs more than it saves (a text page takes about 2 ms, an HTML page 5-10 ms).
PAGES_PER_WORKER = 250


# ---------------------------------------------------------------------------- worker side


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
        # Late on purpose: only a worker loads the page stages (see task._page_stages).
        from pipeline.core import warm_up

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


class LocalPool:
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
        return max(1, min(MAX_CHUNK, int(_CHUNK_SECONDS / self._page_seconds)))

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
        ahead = list(itertools.islice(tasks, PAGES_PER_WORKER * (wanted - 1) + 1))
        if len(ahead) <= PAGES_PER_WORKER * (wanted - 1):
            self._max_workers = max(1, -(-len(ahead) // PAGES_PER_WORKER))
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

