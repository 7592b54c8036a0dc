"""The ``extract`` run: discover pages, have an engine extract them, keep the output folder.

``run_extract`` plans and applies; the stages it drives live beside it:

* ``pipeline.run.discover`` walks the inputs (a generator: pages stream through);
* ``pipeline.run.task`` is the per-page step both engines run (read, hash, extract,
  serialise), ``pipeline.run.pool`` the local engine (worker processes that also write
  the record files) and ``pipeline.run.dask_engine`` the Dask one (the parent writes);
* ``pipeline.run.manifest`` remembers every page, so a rerun redoes only what changed;
* ``pipeline.run.progress`` is what the run reports to (the caller chooses where).

The parent alone writes the manifest, and a page's row only after its record file is in
place, so a run killed at any moment resumes cleanly. The set of this run's inputs lives
in a temporary SQLite table, so memory stays flat however many pages there are.

Costs that were measured and removed (profile of 1,000 text pages): an fsync per record
file (longer than extracting the page), one SQLite transaction per page and five
``realpath`` walks per page in the parent.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import OutputError, PageError, PageTimeoutError, UsageError
from pipeline.ingest.inputs import InputSelection
from pipeline.ingest.load import read_bytes
from pipeline.output.db import check_database, load_folder
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
from pipeline.records import SEVERAL_PROJECTS
from pipeline.run.discover import ALL_PAGES, Discovered, Skipped, discover_inputs, inside, resolved
from pipeline.run.manifest import Manifest, ManifestRow
from pipeline.run.pool import LocalPool
from pipeline.run.progress import Progress, Silent
from pipeline.run.task import PageFunction, PageOutcome, PageTask
from pipeline.settings import EXTRACTOR_VERSION, Settings

__all__ = ["FAILURES_NAME", "BatchSummary", "run_extract"]

FAILURES_NAME = "failures.jsonl"

# Failures that say more about the machine at the time than about the page: an
# unchanged page that failed this way is tried again on the next run.
_TRANSIENT_REASONS = frozenset({"timeout", "worker-crashed", "unreadable"})
# Except a page that timed out on this many runs in a row, unchanged, on the same
# extractor version: it would only tie up a worker again (``--retry-failed`` retries it).
_TIMEOUT_RUNS = 2
# Skip reasons only counted in the summary, not listed page by page.
_QUIET_SKIPS = frozenset({"hidden file", "hidden folder", "excluded by --exclude",
                          "not matched by --include"})
# A first run keeps the record file names it gave out in memory up to this many (a set
# lookup per page), then in the manifest's temporary table, so memory stays flat.
_NAMES_IN_MEMORY = 100_000


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


class _Run:
    """The parent's bookkeeping for one run: plan tasks, apply outcomes."""

    def __init__(
        self,
        out: Path,
        manifest: Manifest,
        settings: Settings,
        reporter: Progress,
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
            real, key = resolved(given), None
        else:
            real, key = resolved(os.path.dirname(given) or "."), os.path.basename(given)
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
    out_real = resolved(str(out))
    for root in roots:
        if inside(resolved(root), out_real):
            raise UsageError(
                f"the output folder {out} is or contains the input {root}: its records, "
                f"manifest and {FAILURES_NAME} would be mixed with the pages; choose an "
                "output folder outside the inputs"
            )
    if jsonl is None:
        return
    target = resolved(str(jsonl))
    for root in roots:
        if inside(target, resolved(root)):
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
        return LocalPool(settings, page_fn, keep_closed, out).run(tasks)
    try:
        # Imported only for --engine dask: Dask is an optional dependency, slow to import.
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


def run_extract(
    paths: list[Path],
    out: Path,
    settings: Settings,
    *,
    jsonl: Path | None = None,
    db: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    page_fn: PageFunction | None = None,
    observer: Callable[[PageOutcome], None] | None = None,
    selection: InputSelection = ALL_PAGES,
) -> BatchSummary:
    """Extract every input page into ``out``; incremental, resumable, parallel.

    Raises UsageError for bad arguments, OutputLockedError when another run holds the
    folder and OutputError when the folder cannot be written; single pages that fail
    are counted in the returned summary, listed in ``failures.jsonl`` and reported to
    ``progress`` (default: to nobody; the library prints nothing).
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
        check_database(db)
    exclude = [jsonl] if jsonl is not None else []
    summary = BatchSummary(out=out)
    follow = settings.follow_links
    with lock_output(out) as lock_fd, Manifest(out) as manifest:
        remove_temp_files(out)
        reporter = progress if progress is not None else Silent()
        reporter.start(_count_inputs(paths, out, exclude, selection, follow)
                       if reporter.wants_total else None)
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
        result = load_folder(out, db)
        line = getattr(result, "summary_line", None)
        summary.db_summary = line() if callable(line) else str(result)
    summary.seconds = time.perf_counter() - started
    return summary

