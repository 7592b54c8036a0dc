"""The Dask engine of the extract batch: the local engine's per-page step, on a Dask cluster.

``run_pages`` is the hook ``pipeline.run.batch`` calls for ``--engine dask`` (importing this
module only then: Dask is an optional dependency). It takes the
planned ``PageTask`` stream and yields one ``PageOutcome`` per task, exactly as the local
process pool does, so the parent keeps all bookkeeping (record files, manifest, failure
listing) and writes byte-identical records. What runs on the workers is
``pipeline.run.task.process_path``, the same function the local engine runs:

* pages travel as paths (inputs and outputs live on storage every machine mounts at the
  same path) in batches of up to ``BATCH_PAGES`` per Dask task, so task overhead stays
  small next to extraction time;
* the spaCy pipeline and the data tables are loaded once per worker by
  ``WarmUpPlugin`` (a WorkerPlugin calling ``pipeline.core.warm_up``), never shipped with
  tasks;
* a batch whose worker died is split and each of its pages retried once on its own, so
  one page that kills workers is isolated and failed with reason ``worker-crashed``
  while its neighbours go through.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from pipeline.core import warm_up
from pipeline.errors import UsageError
from pipeline.run.task import PageFunction, PageOutcome, PageTask, process_path
from pipeline.settings import EXTRACTOR_VERSION, Settings

__all__ = [
    "BATCH_PAGES",
    "CONNECT_SECONDS",
    "WarmUpPlugin",
    "local_cluster",
    "process_batch",
    "run_pages",
    "worker_version",
]

# Pages per Dask task. A page takes ~10 ms (text) to tens of ms (HTML) and a task costs
# a scheduler round trip of a few ms, so 32 pages amortise it; more would only lengthen
# the tail of a run and the work redone when a worker dies.
BATCH_PAGES = 32
# Tasks in flight per worker thread: the second keeps a thread busy while the parent
# writes the first one's records; more would only hold pages hostage on a dying worker.
_TASKS_PER_THREAD = 2
# A page whose worker died is tried once more, alone, before it is failed (as in the
# local engine: the death may have been another page's doing or memory pressure).
_CRASH_RETRIES = 1
# How long to wait for the scheduler to answer and for a first worker to join.
CONNECT_SECONDS = 30.0
_PLUGIN_NAME = "pipeline-warm-up"
_LOST_WORKER_TIMEOUT = "1h"


class WarmUpPlugin(WorkerPlugin):
    """Loads the language pipeline and tables once when a worker starts (or restarts)."""

    # Registering again from a later run against the same scheduler is then a no-op.
    idempotent = True

    def setup(self, worker: Any) -> None:
        """Warm the worker up; a failure surfaces on every page, as in the local engine."""
        try:
            warm_up()
        except Exception:  # noqa: BLE001, S110 - each page then fails naming the same error
            pass


def process_batch(
    tasks: tuple[PageTask, ...], settings: Settings, page_fn: PageFunction | None = None
) -> list[PageOutcome]:
    """Run the shared per-page step over one batch of pages (the body of a Dask task)."""
    return [process_path(task, settings, page_fn) for task in tasks]


def worker_version() -> str:
    """The extractor version a worker runs (checked against the client's before a run)."""
    return EXTRACTOR_VERSION


@contextmanager
def local_cluster(workers: int, *, processes: bool = True) -> Iterator[LocalCluster]:
    """A cluster on this machine, one single-threaded worker per requested worker, closed after.

    One thread per worker because extraction is pure Python under the GIL. A worker death
    fails its task at once (allowed_failures=0) so that this engine, not the scheduler,
    decides on retries, the same way for every page.
    """
    # The nanny already restarts a dead worker; the cluster's own lost-worker timer would
    # otherwise close a nanny whose worker happens to be restarting 15 s after an earlier
    # death, killing the page it then runs. Scoped to the cluster's lifetime.
    with dask.config.set({"distributed.deploy.lost-worker-timeout": _LOST_WORKER_TIMEOUT}):
        cluster = LocalCluster(  # type: ignore[no-untyped-call]  # distributed is partly typed
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            scheduler_kwargs={"allowed_failures": 0},
        )
        try:
            yield cluster
        finally:
            cluster.close()


@contextmanager
def _connect(scheduler: str | None, settings: Settings, seconds: float) -> Iterator[Client]:
    """A client of the given scheduler, or of a local cluster started (and stopped) here."""
    if scheduler is None:
        with local_cluster(settings.workers) as cluster, Client(  # type: ignore[no-untyped-call]
            cluster, set_as_default=False
        ) as client:
            yield client
        return
    try:
        client = Client(  # type: ignore[no-untyped-call]
            scheduler, timeout=seconds, set_as_default=False
        )
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def _prepare_workers(
    client: Client, scheduler: str | None, page_fn: PageFunction | None, seconds: float
) -> None:
    """Wait for a worker, check every worker runs this extractor version, warm them up."""
    where = scheduler or "the local cluster"
    try:
        client.wait_for_workers(1, timeout=seconds)
    except TimeoutError as exc:
        raise UsageError(
            f"no Dask worker joined the scheduler at {where} within {seconds:g} s"
        ) from exc
    try:
        versions: dict[str, str] = client.run(worker_version)
    except Exception as exc:
        raise UsageError(
            f"the Dask workers of {where} cannot run the pipeline"
            f" (is the package installed there?): {type(exc).__name__}: {exc}"
        ) from exc
    # Records carry the worker's version and the manifest the client's: they must agree.
    wrong = sorted(addr for addr, version in versions.items() if version != EXTRACTOR_VERSION)
    if wrong:
        raise UsageError(
            f"the Dask workers {', '.join(wrong)} run extractor version"
            f" {versions[wrong[0]]}, not {EXTRACTOR_VERSION}: install the same version there"
        )
    if page_fn is None:
        client.register_plugin(WarmUpPlugin(), name=_PLUGIN_NAME)


@dataclass(frozen=True, slots=True)
class _Batch:
    """Pages sent in one Dask task; ``attempt`` counts earlier worker deaths."""

    tasks: tuple[PageTask, ...]
    attempt: int = 0


class _Feeder:
    """Keeps a bounded number of batches in flight and turns their results into outcomes."""

    def __init__(
        self, client: Client, settings: Settings, page_fn: PageFunction | None, batch_pages: int
    ) -> None:
        """Hold what submitting and settling share."""
        self._client: Any = client  # distributed's Client methods are untyped
        self._settings = settings
        self._page_fn = page_fn
        self._batch_pages = max(1, batch_pages)
        self._pending: dict[Any, _Batch] = {}
        self._retries: deque[_Batch] = deque()
        self._exhausted = False
        # Not distributed.wait: that looks for a process-wide default client, and this
        # engine never installs one (the caller may have its own).
        self._done: Any = as_completed(  # type: ignore[no-untyped-call]
            loop=client.loop, raise_errors=False
        )

    def run(self, tasks: Iterator[PageTask]) -> Iterator[PageOutcome]:
        """Yield one outcome per task, in completion order, with memory bounded by the slots."""
        try:
            while True:
                self._fill(tasks)
                if not self._pending:
                    return
                future = next(self._done)
                yield from self._settle(future, self._pending.pop(future))
        finally:
            if self._pending:
                self._client.cancel(list(self._pending))
                self._pending.clear()

    def _slots(self) -> int:
        """How many tasks may be in flight: a couple per worker thread now connected."""
        threads: int = sum(self._client.nthreads().values())
        return max(1, _TASKS_PER_THREAD * threads)

    def _submit(self, batch: _Batch) -> None:
        """Send one batch to the cluster."""
        future = self._client.submit(
            process_batch, batch.tasks, self._settings, self._page_fn,
            key=f"extract-pages-{uuid.uuid4().hex}", pure=False,
        )
        self._pending[future] = batch
        self._done.add(future)

    def _fill(self, tasks: Iterator[PageTask]) -> None:
        """Top up the free slots with new pages, or run pending retries in isolation."""
        if self._retries:
            self._fill_retries()
            return
        free = self._slots() - len(self._pending)
        if free <= 0 or self._exhausted:
            return
        taken: list[PageTask] = []
        for task in tasks:
            taken.append(task)
            if len(taken) >= free * self._batch_pages:
                break
        else:
            self._exhausted = True
        if not taken:
            return
        # Spread what there is over the free slots, so that a short run (or the tail of a
        # long one) keeps every worker busy instead of filling one full batch.
        count = min(free, len(taken))
        size = -(-len(taken) // count)
        for start in range(0, len(taken), size):
            self._submit(_Batch(tuple(taken[start:start + size])))

    def _fill_retries(self) -> None:
        """Once nothing else is in flight, send the next retry, alone on the cluster.

        A worker death fails every task the worker held, running or queued, and the
        scheduler may queue a second task on a worker that is still starting up; only a
        retry with nothing else in flight that dies is certainly the page that kills
        workers. Retries are rare and single pages, so doing them one by one costs little.
        """
        if not self._pending:
            self._submit(self._retries.popleft())

    def _settle(self, future: Any, batch: _Batch) -> Iterator[PageOutcome]:
        """Outcomes of a finished batch; a batch lost with its worker is split and retried."""
        if future.status == "finished":
            outcomes: list[PageOutcome] = future.result()
            yield from outcomes
            return
        if future.status == "cancelled":
            error: BaseException | None = None
        else:
            error = future.exception()
        if error is not None and not isinstance(error, KilledWorker):
            # process_path turns every page error into an outcome, so this is the
            # infrastructure failing (e.g. the task could not be unpickled).
            message = f"the Dask task failed: {type(error).__name__}: {error}"
            for task in batch.tasks:
                yield PageOutcome(task, "failed", reason="internal-error", message=message)
            return
        if batch.attempt < _CRASH_RETRIES:
            # Alone on the retry, a page that kills workers takes only itself down.
            self._retries.extend(_Batch((task,), batch.attempt + 1) for task in batch.tasks)
            return
        how = "died" if error is not None else "was lost (task cancelled)"
        message = (f"the Dask worker running this page {how} while extracting it,"
                   f" {batch.attempt + 1} times")
        for task in batch.tasks:
            yield PageOutcome(task, "failed", reason="worker-crashed", message=message)


def run_pages(
    tasks: Iterable[PageTask],
    settings: Settings,
    *,
    scheduler: str | None = None,
    page_fn: PageFunction | None = None,
    batch_pages: int = BATCH_PAGES,
    connect_seconds: float = CONNECT_SECONDS,
) -> Iterator[PageOutcome]:
    """Yield one outcome per task, computed on a Dask cluster, in completion order.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without
    it a local cluster of ``settings.workers`` worker processes is started for the run.
    Raises UsageError when the scheduler cannot be reached, no worker joins, or the
    workers cannot run this version of the pipeline. ``page_fn`` replaces the per-page
    function (tests); it must be importable on the workers. ``batch_pages`` caps the
    pages per Dask task; ``connect_seconds`` bounds the wait for the scheduler and for a
    first worker.
    """
    with _connect(scheduler, settings, connect_seconds) as client:
        _prepare_workers(client, scheduler, page_fn, connect_seconds)
        yield from _Feeder(client, settings, page_fn, batch_pages).run(iter(tasks))
