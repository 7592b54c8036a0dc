"""Benchmark the Dask engine against the local engine: pages per second per worker.

Usage (from the repository root; a couple of minutes on two cores)::

    .venv/bin/python scripts/benchmark_dask.py [--text DIR] [--pages N] [--workers N]
        [--batch-pages N] [--scheduler ADDRESS]

The text pages (default: the ``*.txt`` pages of ``../shared/corpus/raw``) are replicated
to ``--pages`` pages with distinct bytes by scripts/benchmark.py's helper. Each engine
then runs over them with one worker and with ``--workers`` workers; a Dask run uses a
local cluster started beforehand (or the given scheduler), so cluster start-up is not
counted, while each worker's warm-up still is. Pages/s are given over the whole run and
"steady" (from the first page done to the last), and divided by the number of workers.
It also checks that the engines wrote the same record files, byte for byte. Figures
only: nothing passes or fails.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from benchmark import (
    load_average,
    pages_per_second,
    replicate,
    steady_pages_per_second,
    text_pages,
)

from pipeline.run import dask_engine
from pipeline.run.batch import run_extract
from pipeline.run.task import PageOutcome
from pipeline.settings import Settings


@dataclass(frozen=True)
class EngineRun:
    """What one batch run measured."""

    label: str
    workers: int
    pages: int
    failed: int
    seconds: float
    steady_seconds: float

    @property
    def pages_per_second(self) -> float:
        """Inputs handled per wall-clock second, worker warm-up included."""
        return pages_per_second(self.pages, self.seconds)

    @property
    def steady_pages_per_second(self) -> float:
        """Pages per second from the first page done to the last."""
        return steady_pages_per_second(self.pages, self.steady_seconds)


def timed_run(
    label: str, pages: Path, out: Path, workers: int, *, scheduler: str | None = None,
    batch_pages: int = dask_engine.BATCH_PAGES,
) -> EngineRun:
    """One batch run into a fresh ``out``: the local engine, or Dask when given a scheduler."""
    shutil.rmtree(out, ignore_errors=True)
    done: list[float] = []

    def observe(outcome: PageOutcome) -> None:
        """Note when each page finished."""
        done.append(time.perf_counter())

    # run_extract calls the engine's hook without a batch size: bind this run's here.
    original = dask_engine.run_pages
    dask_engine.run_pages = functools.partial(original, batch_pages=batch_pages)  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        summary = run_extract(
            [pages], out, Settings(workers=workers, quiet=True),
            observer=observe, engine="local" if scheduler is None else "dask",
            scheduler=scheduler,
        )
        seconds = time.perf_counter() - started
    finally:
        dask_engine.run_pages = original
    steady = done[-1] - done[0] if len(done) > 1 else 0.0
    return EngineRun(label, workers, summary.inputs, summary.failed, seconds, steady)


def same_records(left: Path, right: Path) -> tuple[int, int]:
    """How many record files two output folders share byte for byte, of how many."""
    names = sorted({p.name for p in left.glob("*.json")} | {p.name for p in right.glob("*.json")})
    same = sum(1 for name in names if (left / name).is_file() and (right / name).is_file()
               and (left / name).read_bytes() == (right / name).read_bytes())
    return same, len(names)


@contextmanager
def cluster_address(scheduler: str | None, workers: int) -> Iterator[tuple[str, int]]:
    """The scheduler to use and its worker threads: the given one, or a new local cluster."""
    if scheduler is None:
        with dask_engine.local_cluster(workers) as cluster:
            yield str(cluster.scheduler_address), workers
        return
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:
        yield scheduler, sum(client.nthreads().values())


def main(argv: list[str] | None = None) -> int:
    """Run both engines over the same pages and print pages/s per worker."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text", type=Path, metavar="DIR",
                        help="folder of pages (default: the .txt pages of the shared corpus)")
    parser.add_argument("--pages", type=int, default=1000, metavar="N",
                        help="pages to replicate them to (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="workers of the parallel runs (default: cores)")
    parser.add_argument("--batch-pages", type=int, default=dask_engine.BATCH_PAGES, metavar="N",
                        help=f"pages per Dask task (default {dask_engine.BATCH_PAGES})")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the Dask passes on this scheduler (default: local clusters)")
    args = parser.parse_args(argv)

    originals = text_pages(args.text)
    if not originals:
        print("no pages found (give --text DIR)", file=sys.stderr)
        return 2
    lines = [(f"{args.pages} pages from {len(originals)} distinct ones, "
              f"{args.batch_pages} pages per Dask task; before: {load_average()}"), ""]
    runs: list[EngineRun] = []
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-dask-") as tmp_name:
        tmp = Path(tmp_name)
        replicate(originals, args.pages, tmp / "pages")
        counts = [args.workers] if args.scheduler else sorted({1, args.workers})
        identical: list[str] = []
        for workers in counts:
            local = timed_run(f"local, {workers} workers", tmp / "pages", tmp / "out-local",
                              workers)
            with cluster_address(args.scheduler, workers) as (address, threads):
                on_dask = timed_run(f"dask, {threads} workers", tmp / "pages", tmp / "out-dask",
                                    threads, scheduler=address, batch_pages=args.batch_pages)
            runs += [local, on_dask]
            same, of = same_records(tmp / "out-local", tmp / "out-dask")
            identical.append(f"{same} of {of} ({workers} workers)")

    lines.append(f"{'run':<20} {'pages':>6} {'failed':>6} {'seconds':>8} {'pages/s':>8} "
                 f"{'steady':>8} {'pages/s/worker':>15} {'steady/worker':>14}")
    for run in runs:
        lines.append(
            f"{run.label:<20} {run.pages:>6} {run.failed:>6} {run.seconds:>8.2f} "
            f"{run.pages_per_second:>8.1f} {run.steady_pages_per_second:>8.1f} "
            f"{run.pages_per_second / run.workers:>15.1f} "
            f"{run.steady_pages_per_second / run.workers:>14.1f}")
    lines += ["", f"record files identical between the engines: {', '.join(identical)}",
              f"after: {load_average()}"]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
