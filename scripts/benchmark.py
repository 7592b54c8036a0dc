"""Benchmark the extract batch: throughput, memory, time per page against two baselines.

Usage (from the repository root; about six minutes on two cores)::

    .venv/bin/python scripts/benchmark.py

By default it reads the real HTML pages of ``../shared/web/pages`` and the plain-text
pages (``*.txt``) of ``../shared/corpus/raw``, and prints, from that one run:

* HTML, per page (timed in this process, the three interleaved page by page, each page
  ``--repeats`` times): the whole pipeline (read, hash, decode, clean, spaCy, rules,
  JSON, record file written) against ``BeautifulSoup(html, "lxml")`` plus ``get_text()``
  alone and against ``trafilatura.extract()`` with default settings, and the ratios,
  both for each page's first run (what a batch meets) and for its median run; plus the
  wall-clock time per page of a one-worker batch over those pages;
* text pages replicated (distinct bytes) to each of ``--copies`` page counts (default
  1,000 and 10,000): pages/s with one worker and with ``--workers`` workers, the
  speed-up, the peak resident memory of a worker, and the time of an incremental rerun
  over the unchanged pages as a share of the full run.

Pages/s are given over the whole run (worker start-up included) and "steady" (from the
first page done to the last). At each page count, ``--runs`` pairs of runs (default 3)
are made, one worker and ``--workers`` workers back to back, the order alternating: the
machine's speed drifts over minutes, and a pair meets the same drift. The table shows
the median run and the median speed-up over the pairs; the median and range of every
rate follow it. The load average is printed before and after: other
processes on the machine slow the figures down. Other options: ``--html DIR``,
``--text DIR`` (folders of pages instead of the defaults), ``--scratch DIR`` (where copies
and outputs go: the disk records are written to, by default the system's temporary
folder), ``--skip-html``, ``--skip-text``. Figures only: nothing passes or fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.run.batch import BatchSummary, run_extract
from pipeline.run.task import PageOutcome
from pipeline.settings import Settings

SHARED = REPO.parent / "shared"


def pages_per_second(pages: int, seconds: float) -> float:
    """Inputs handled per wall-clock second, start-up included."""
    return pages / seconds if seconds else 0.0


def steady_pages_per_second(pages: int, steady_seconds: float) -> float:
    """Pages per second from the first page done to the last (start-up excluded)."""
    return (pages - 1) / steady_seconds if steady_seconds > 0 else 0.0


@dataclass(frozen=True)
class RunFigures:
    """What one batch run measured."""

    workers: int
    pages: int
    seconds: float
    steady_seconds: float
    peak_rss_kb: int
    worker_seconds: float
    # CPU seconds per page of the workers together and of the parent (user + system).
    worker_cpu: float
    parent_cpu: float
    summary: BatchSummary

    @property
    def pages_per_second(self) -> float:
        """Inputs handled per wall-clock second, start-up included."""
        return pages_per_second(self.pages, self.seconds)

    @property
    def steady_pages_per_second(self) -> float:
        """Pages per second from the first page done to the last (start-up excluded)."""
        return steady_pages_per_second(self.pages, self.steady_seconds)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` shows them."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def html_pages(folder: Path | None) -> list[Path]:
    """The HTML pages to time (default: the shared non-project web pages)."""
    folder = folder or SHARED / "web" / "pages"
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def text_pages(folder: Path | None) -> list[Path]:
    """The text pages to replicate (default: the .txt pages of the shared corpus)."""
    if folder is not None:
        return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return sorted((SHARED / "corpus" / "raw").glob("*.txt"))


def replicate(pages: list[Path], count: int, target: Path) -> int:
    """Write ``count`` pages cycling through ``pages``, each copy with distinct bytes."""
    target.mkdir(parents=True)
    originals = [(page.name, page.read_bytes()) for page in pages]
    for n in range(count):
        name, data = originals[n % len(originals)]
        copy = n // len(originals)
        # A trailing line makes every copy hash differently, so the manifest and reruns
        # treat them as distinct pages, as a real crawl's would be.
        (target / f"{n:06d}-{name}").write_bytes(data + f"\n\n(kopie {copy})\n".encode("ascii"))
    return count


def timed_run(pages: Path, out: Path, workers: int) -> RunFigures:
    """One batch run over ``pages`` into a new folder ``out``; times the run and its pages."""
    done: list[float] = []
    peak = [0]
    in_worker = [0.0]

    def observe(outcome: PageOutcome) -> None:
        """Note when each page finished, its worker's peak memory and its time in the worker."""
        done.append(time.perf_counter())
        peak[0] = max(peak[0], outcome.peak_rss_kb)
        in_worker[0] += outcome.seconds

    self_before, children_before = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    summary = run_extract([pages], out, Settings(workers=workers, quiet=True), observer=observe)
    seconds = time.perf_counter() - started
    steady = done[-1] - done[0] if len(done) > 1 else 0.0
    count = max(1, summary.inputs)
    return RunFigures(workers, summary.inputs, seconds, steady, peak[0],
                      in_worker[0] / max(1, len(done)),
                      (_cpu(resource.RUSAGE_CHILDREN) - children_before) / count,
                      (_cpu(resource.RUSAGE_SELF) - self_before) / count, summary)


def _cpu(who: int) -> float:
    """User plus system CPU seconds of this process or of its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def rerun_seconds(pages: Path, out: Path, workers: int) -> tuple[float, BatchSummary]:
    """Time an incremental rerun over ``out`` (every page unchanged)."""
    started = time.perf_counter()
    summary = run_extract([pages], out, Settings(workers=workers, quiet=True))
    return time.perf_counter() - started, summary


def _median_run(runs: list[RunFigures]) -> RunFigures:
    """The run with the median overall throughput (start-up included)."""
    return sorted(runs, key=lambda r: r.pages_per_second)[len(runs) // 2]


def _paired_runs(folder: Path, tmp: Path, workers: int,
                 runs: int) -> tuple[list[RunFigures], list[RunFigures]]:
    """``runs`` one-worker and ``runs`` N-worker runs, interleaved in pairs.

    The machine's speed drifts over minutes (other tenants of the host): a one-worker run
    and an N-worker run made back to back meet the same drift, so their ratio is what the
    workers gave. The order inside a pair alternates, so neither always runs second. Each
    run writes into a folder of its own: on this VM's disk a file created just after
    another was deleted costs 0.01-0.02 ms, a file created afresh 0.2-0.45 ms, so a run
    writing where the last run's records were just removed would measure the former.
    """
    single: list[RunFigures] = []
    multi: list[RunFigures] = []
    for index in range(runs):
        order = (("single", single, 1), ("multi", multi, workers))
        for name, group, count in order if index % 2 == 0 else order[::-1]:
            group.append(timed_run(folder, tmp / f"out-{name}-{index}", count))
    return single, multi


def _ratios(multi: list[RunFigures], single: list[RunFigures],
            rate: Callable[[RunFigures], float]) -> list[float]:
    """Per pair, the N-worker rate over the one-worker rate."""
    return [rate(m) / rate(s) if rate(s) else 0.0 for m, s in zip(multi, single, strict=True)]


def _spread(values: list[float], digits: int) -> str:
    """Median and range of some figures, as "median (min–max)"."""
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f})")


def text_section(pages: list[Path], counts: list[int], workers: int, runs: int,
                 tmp: Path) -> list[str]:
    """Throughput, speed-up, memory and rerun share on replicated text pages."""
    lines = [
        "",
        (f"TEXT PAGES ({len(pages)} distinct .txt pages, replicated with distinct bytes; "
         f"{runs} pairs of runs per page count, 1 and {workers} workers interleaved)"),
        (f"  {'pages':>6} {'workers':>7} {'seconds':>8} {'pages/s':>8} {'steady':>8} "
         f"{'speed-up':>9} {'in-worker ms':>12} {'CPU ms: workers':>15} {'parent':>6} "
         f"{'peak RSS/worker':>16}"),
    ]
    spreads: list[str] = []
    reruns: list[str] = []
    for count in counts:
        folder = tmp / f"text-{count}"
        replicate(pages, count, folder)
        singles, multis = _paired_runs(folder, tmp, workers, runs)
        single, multi = _median_run(singles), _median_run(multis)
        overall = _ratios(multis, singles, lambda r: r.pages_per_second)
        steady = _ratios(multis, singles, lambda r: r.steady_pages_per_second)
        for run in (single, multi):
            speed = ""
            if run is multi:
                speed = f"{statistics.median(overall):4.2f}/{statistics.median(steady):4.2f}"
            lines.append(
                f"  {run.pages:>6} {run.workers:>7} {run.seconds:>8.2f} "
                f"{run.pages_per_second:>8.1f} {run.steady_pages_per_second:>8.1f} {speed:>9} "
                f"{1000 * run.worker_seconds:>12.2f} {1000 * run.worker_cpu:>15.2f} "
                f"{1000 * run.parent_cpu:>6.2f} {run.peak_rss_kb / 1024:>12.1f} MiB")
        for label, group in (("1 worker: ", singles), (f"{workers} workers:", multis)):
            spreads.append(
                f"  {count:>6} pages, {label} pages/s "
                f"{_spread([r.pages_per_second for r in group], 1)}, "
                f"steady {_spread([r.steady_pages_per_second for r in group], 1)}")
        spreads.append(f"  {count:>6} pages, speed-up per pair: overall {_spread(overall, 2)}, "
                       f"steady {_spread(steady, 2)}")
        last = tmp / f"out-multi-{runs - 1}"
        samples = sorted(rerun_seconds(folder, last, workers)[0] for _ in range(3))
        again = samples[1]
        reruns.append(
            f"  {count:>6} pages: {again:.3f} s = {100 * again / multi.seconds:.2f} % of the full "
            f"{workers}-worker run, {100 * again / single.seconds:.2f} % of the 1-worker run")
        shutil.rmtree(folder, ignore_errors=True)
        for out in tmp.glob("out-*"):
            shutil.rmtree(out, ignore_errors=True)
    lines.append("  (rows: the run with the (upper) median pages/s; speed-up: median over the pairs of")
    lines.append("   overall/steady pages/s against the paired 1-worker run; in-worker ms: mean")
    lines.append("   wall time per page inside a worker, record file written included; CPU ms:")
    lines.append("   per page, all workers together, start-up included, and the parent process)")
    lines += ["", "MEDIAN (RANGE) OVER THE PAIRS", *spreads]
    lines += ["", "INCREMENTAL RERUN over unchanged pages (median of 3)", *reruns]
    return lines


def _timer(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def html_section(pages: list[Path], repeats: int, tmp: Path) -> list[str]:
    """Time per HTML page: the pipeline against BeautifulSoup+get_text and trafilatura."""
    # The batch first: imports below would otherwise be inherited by its worker.
    batch = timed_run(tmp / "html-in", tmp / "out-html", 1) if (tmp / "html-in").is_dir() else None

    from bs4 import BeautifulSoup

    from pipeline.core import warm_up
    from pipeline.output.write import write_record
    from pipeline.run.task import PageTask, process_path

    trafilatura: Any = None
    try:
        import trafilatura
    except ImportError:
        pass  # its row then shows a dash

    warm_up()
    settings = Settings(workers=1, quiet=True)
    out = tmp / "out-html-inproc"
    out.mkdir(exist_ok=True)

    def pipeline_once(path: Path) -> None:
        """The whole per-page path of a worker: extract, then write the record file."""
        outcome = process_path(PageTask(str(path)), settings)
        if outcome.record_json is not None:
            write_record(out, str(path), outcome.record_json)

    keys = ("pipeline", "bs4", "trafilatura")
    # "first": each page's first timing, as a batch sees every page once (spaCy's vocabulary
    # then meets the page's words for the first time); "repeated": the median of all runs.
    first: dict[str, list[float]] = {key: [] for key in keys}
    repeated: dict[str, list[float]] = {key: [] for key in keys}
    for path in pages:
        data = path.read_bytes()
        calls: dict[str, Callable[[], object]] = {
            "pipeline": lambda path=path: pipeline_once(path),  # type: ignore[misc]
            "bs4": lambda data=data: BeautifulSoup(data, "lxml").get_text(),  # type: ignore[misc]
        }
        if trafilatura is not None:
            calls["trafilatura"] = lambda data=data: trafilatura.extract(data)  # type: ignore[misc]
        samples: dict[str, list[float]] = {key: [] for key in calls}
        for _ in range(repeats):
            for key, call in calls.items():  # interleaved: a burst of load hits all alike
                samples[key].append(_timer(call))
        for key, values in samples.items():
            first[key].append(values[0])
            repeated[key].append(statistics.median(values))

    def row(label: str, key: str) -> str:
        """One line of the table: median and mean milliseconds per page, both ways."""
        cells = []
        for table in (first, repeated):
            values = table[key]
            cells += ([f"{1000 * statistics.median(values):9.2f}",
                       f"{1000 * statistics.mean(values):9.2f}"] if values else [f"{'-':>9}"] * 2)
        return f"  {label:<44} " + " ".join(cells)

    lines = [
        "",
        f"HTML PAGES ({len(pages)} pages, each timed {repeats} times, the three interleaved)",
        f"  {'milliseconds per page':<44} {'first run':^19} {f'median of {repeats}':^19}",
        f"  {'':<44} {'median':>9} {'mean':>9} {'median':>9} {'mean':>9}",
        row("whole pipeline (read ... record file)", "pipeline"),
        row('BeautifulSoup(html, "lxml") + get_text()', "bs4"),
        row("trafilatura.extract(html), defaults", "trafilatura"),
    ]
    for key, label, target in (("bs4", "BeautifulSoup+get_text", "<= 1.30"),
                               ("trafilatura", "trafilatura", "< 1.00")):
        for how, table in (("first run", first), (f"median of {repeats}", repeated)):
            pipe, base = table["pipeline"], table[key]
            if not base:
                continue
            ratios = [p / b for p, b in zip(pipe, base, strict=True) if b > 0]
            lines.append(
                f"  pipeline / {label:<22} {how:<12} median "
                f"{statistics.median(pipe) / statistics.median(base):5.2f}, mean "
                f"{statistics.mean(pipe) / statistics.mean(base):5.2f}, per-page median "
                f"{statistics.median(ratios):5.2f}  (target {target})")
    if batch is not None:
        steady = 1000 / batch.steady_pages_per_second if batch.steady_pages_per_second else 0.0
        lines.append(
            f"  one-worker batch over these pages: {1000 * batch.seconds / max(1, batch.pages):.2f}"
            f" ms/page wall clock ({steady:.2f} steady; {1000 * batch.worker_seconds:.2f} in the"
            f" worker), peak RSS {batch.peak_rss_kb / 1024:.1f} MiB")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table of figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--html", type=Path, metavar="DIR",
                        help="folder of HTML pages (default: ../shared/web/pages)")
    parser.add_argument("--text", type=Path, metavar="DIR",
                        help="folder of text pages (default: ../shared/corpus/raw/*.txt)")
    parser.add_argument("--copies", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="replicate the text pages to N pages (default: 1000 10000)")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="workers of the parallel runs (default 2)")
    parser.add_argument("--runs", type=int, default=3, metavar="R",
                        help="pairs of one-worker and N-worker runs per page count "
                             "(default 3)")
    parser.add_argument("--repeats", type=int, default=3, metavar="R",
                        help="time each HTML page R times (default 3)")
    parser.add_argument("--scratch", type=Path, metavar="DIR",
                        help="folder for the page copies and outputs (default: the system's "
                             "temporary folder); a temporary folder inside it is removed after")
    parser.add_argument("--skip-html", action="store_true", help="no HTML section")
    parser.add_argument("--skip-text", action="store_true", help="no text-page section")
    args = parser.parse_args(argv)

    html = [] if args.skip_html else html_pages(args.html)
    text = [] if args.skip_text else text_pages(args.text)
    if not html and not text:
        print("no pages found (is ../shared there? or give --html / --text)", file=sys.stderr)
        return 2
    if args.scratch is not None:
        args.scratch.mkdir(parents=True, exist_ok=True)
    scratch = args.scratch or Path(tempfile.gettempdir())
    lines = [f"benchmark of the extract batch; scratch folder {scratch}; before: {load_average()}",
             # Builds of one Python version differ by a fifth in speed (optimised or not).
             (f"Python {platform.python_version()} ({platform.python_implementation()}, "
              f"{sys.executable}, built {' '.join(platform.python_build()[1:])})")]
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-", dir=scratch) as tmp_name:
        tmp = Path(tmp_name)
        # Text runs first: the HTML section loads spaCy in this process, and workers
        # forked after that would inherit it (faster start, different memory figures).
        if text:
            lines += text_section(text, sorted(args.copies), args.workers, max(1, args.runs), tmp)
        if html:
            (tmp / "html-in").mkdir()
            for index, page in enumerate(html):
                shutil.copyfile(page, tmp / "html-in" / f"{index:04d}-{page.name}")
            lines += html_section(html, max(1, args.repeats), tmp)
    lines += ["", f"after: {load_average()}"]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
