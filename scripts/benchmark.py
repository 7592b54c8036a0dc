"""Benchmark the extract batch: throughput, memory, time per page against two baselines.

Usage::

    .venv/bin/python scripts/benchmark.py [--pages DIR ...] [--copies N] [--workers N]

From one invocation over the same pages it prints: pages/s with 1 worker and with N
workers, the peak resident memory of a worker, the median time per page of the whole
pipeline against BeautifulSoup(html, "lxml").get_text() alone and trafilatura.extract()
with defaults, and the time of an incremental rerun over unchanged pages. Figures only:
nothing passes or fails.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.batch import BatchSummary, PageOutcome, run_extract
from pipeline.settings import Settings

SHARED = REPO.parent / "shared"
BS4_LABEL = 'BeautifulSoup(html, "lxml").get_text()'


@dataclass
class RunFigures:
    """What one batch run measured."""

    label: str
    workers: int
    seconds: float
    summary: BatchSummary
    page_seconds: list[float] = field(default_factory=list)
    first_page: float = 0.0

    @property
    def pages_per_second(self) -> float:
        """Inputs handled per wall-clock second."""
        return self.summary.inputs / self.seconds if self.seconds else 0.0

    @property
    def steady_pages_per_second(self) -> float:
        """Pages per second once the workers have started (language model loaded)."""
        rest = self.seconds - self.first_page
        return (self.summary.inputs - 1) / rest if rest > 0 else 0.0


def default_sources() -> list[Path]:
    """The non-project web pages and the plain-text corpus pages, when present."""
    sources: list[Path] = []
    if (SHARED / "web" / "pages").is_dir():
        sources += sorted((SHARED / "web" / "pages").iterdir())
    if (SHARED / "corpus" / "raw").is_dir():
        sources += sorted((SHARED / "corpus" / "raw").glob("*.txt"))
    return [p for p in sources if p.is_file()]


def collect(folders: list[Path]) -> list[Path]:
    """Every regular, non-hidden file under the given folders, sorted."""
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
            continue
        for base, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [Path(base) / f for f in sorted(files) if not f.startswith(".")]
    return found


def replicate(pages: list[Path], copies: int, target: Path) -> int:
    """Copy the pages ``copies`` times, each copy with distinct bytes; returns the count."""
    count = 0
    for n in range(copies):
        folder = target / f"copy{n:05d}"
        folder.mkdir(parents=True)
        for i, page in enumerate(pages):
            data = page.read_bytes()
            # A trailing comment or line makes every copy hash differently, so reruns and
            # the manifest treat them as distinct pages, as real crawls would be; blank
            # pages get blanks only, so that they still fail as blank.
            if not data.strip():
                marker = " " * (n + 1)
            elif page.suffix.lower() in (".html", ".htm"):
                marker = f"\n<!-- copy {n} -->\n"
            else:
                marker = f"\n\n(kopie {n})\n"
            (folder / f"{i:05d}-{page.name}").write_bytes(data + marker.encode("ascii"))
            count += 1
    return count


def timed_run(label: str, pages: Path, out: Path, settings: Settings) -> RunFigures:
    """One batch run over ``pages`` into ``out``, timing it and every page."""
    page_seconds: list[float] = []
    first: list[float] = []
    started = time.perf_counter()

    def observe(outcome: PageOutcome) -> None:
        """Keep the worker-side time of each extracted page, and when the first came."""
        if not first:
            first.append(time.perf_counter() - started)
        if outcome.status == "ok":
            page_seconds.append(outcome.seconds)

    summary = run_extract([pages], out, settings, err=io.StringIO(), observer=observe)
    seconds = time.perf_counter() - started
    return RunFigures(label, settings.workers, seconds, summary, page_seconds,
                      first[0] if first else 0.0)


def baseline_times(pages: list[Path]) -> dict[str, list[float]]:
    """Median-ready per-page times of the two baselines on the original pages."""
    from bs4 import BeautifulSoup

    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    times: dict[str, list[float]] = {"bs4": [], "trafilatura": []}
    for page in pages:
        data = page.read_bytes()
        started = time.perf_counter()
        BeautifulSoup(data, "lxml").get_text()
        times["bs4"].append(time.perf_counter() - started)
        if trafilatura is not None:
            started = time.perf_counter()
            trafilatura.extract(data)
            times["trafilatura"].append(time.perf_counter() - started)
    return times


def _ms(values: list[float]) -> str:
    """Median in milliseconds, or a dash."""
    return f"{1000 * statistics.median(values):8.1f} ms" if values else "       –   "


def _mb(kib: int) -> str:
    """KiB as MiB."""
    return f"{kib / 1024:8.1f} MiB" if kib else "       –    "


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table of figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", action="append", type=Path, metavar="DIR",
                        help="folder of pages (repeatable; default: shared web pages and "
                             "the .txt corpus pages)")
    parser.add_argument("--copies", type=int, default=1, metavar="N",
                        help="replicate the pages N times with distinct bytes (default 1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="workers of the parallel run (default: cores)")
    args = parser.parse_args(argv)

    originals = collect(args.pages) if args.pages else default_sources()
    if not originals:
        print("no pages found (give --pages DIR)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp_name:
        tmp = Path(tmp_name)
        total = replicate(originals, max(1, args.copies), tmp / "pages")
        print(f"{total} pages ({len(originals)} distinct × {args.copies} copies), "
              f"{args.workers} workers, {os.cpu_count()} cores", file=sys.stderr)

        single = timed_run("1 worker", tmp / "pages", tmp / "out-1", Settings(workers=1, quiet=True))
        shutil.rmtree(tmp / "out-1", ignore_errors=True)
        parallel = timed_run(f"{args.workers} workers", tmp / "pages", tmp / "out-n",
                             Settings(workers=args.workers, quiet=True))
        started = time.perf_counter()
        rerun = run_extract([tmp / "pages"], tmp / "out-n",
                            Settings(workers=args.workers, quiet=True), err=io.StringIO())
        rerun_seconds = time.perf_counter() - started
        baselines = baseline_times(originals)

    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    lines = [
        "",
        (f"{'run':<22} {'pages':>7} {'failed':>7} {'seconds':>9} {'pages/s':>9} "
        f"{'start-up':>9} {'pages/s after':>14} {'peak RSS/worker':>16}"),
    ]
    for run in (single, parallel):
        lines.append(f"{run.label:<22} {run.summary.inputs:>7} {run.summary.failed:>7} "
                     f"{run.seconds:>9.2f} {run.pages_per_second:>9.1f} "
                     f"{run.first_page:>8.2f}s {run.steady_pages_per_second:>14.1f} "
                     f"{_mb(run.summary.peak_worker_rss_kb):>16}")
    share = 100 * rerun_seconds / parallel.seconds if parallel.seconds else 0.0
    lines.append(f"{'incremental rerun':<22} {rerun.inputs:>7} {rerun.failed:>7} "
                 f"{rerun_seconds:>9.2f} {rerun.inputs / rerun_seconds:>9.1f}   "
                 f"({share:.1f} % of the full run; {rerun.unchanged} unchanged)")
    lines += [
        "",
        "median time per page",
        f"  {'whole pipeline (1 worker, in the worker)':<42} {_ms(single.page_seconds)}",
        (f"  {'whole pipeline (wall clock / pages)':<42} "
        f"{1000 * single.seconds / max(1, single.summary.inputs):8.1f} ms"),
        f"  {BS4_LABEL:<42} {_ms(baselines['bs4'])}",
        f"  {'trafilatura.extract(html)':<42} {_ms(baselines['trafilatura'])}",
        "",
        f"parent process peak RSS: {_mb(parent_rss).strip()}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
