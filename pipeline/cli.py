"""Thin command line over the library: parse arguments, call one function, map errors.

Exit codes: 0 all pages went through, 1 some pages failed, 2 usage errors (and errors
that stop a whole command, such as a locked output folder or a malformed gold file).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import NoRecordsError, PipelineError, UsageError
from pipeline.ingest.load import escape_controls
from pipeline.settings import Settings

if TYPE_CHECKING:  # the run's modules load spaCy: imported by the commands that run it
    from pipeline.run.batch import BatchSummary

__all__ = ["format_summary", "main"]

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    """Build the one Settings object from parsed arguments."""
    kwargs = {}
    for name in ("workers", "force", "quiet", "page_timeout", "min_confidence", "retry_failed",
                 "follow_links"):
        value = getattr(args, name, None)
        if value is not None:
            kwargs[name] = value
    return Settings(**kwargs)


def _cmd_extract(args: argparse.Namespace) -> int:
    """Extract records from pages into the output folder; the summary goes to stderr."""
    from pipeline.ingest.inputs import InputSelection
    from pipeline.run.batch import run_extract
    from pipeline.run.progress import StreamProgress

    settings = _settings(args)
    summary = run_extract(
        [Path(p) for p in args.paths],
        Path(args.out),
        settings,
        jsonl=Path(args.jsonl) if args.jsonl else None,
        db=args.db,
        engine=args.engine,
        scheduler=args.scheduler,
        progress=StreamProgress.for_terminal(sys.stderr, quiet=settings.quiet),
        selection=InputSelection.from_globs(args.include or (), args.exclude or ()),
    )
    sys.stderr.write(format_summary(summary))
    return EXIT_OK if summary.failed == 0 else EXIT_SOME_FAILED


def format_summary(summary: BatchSummary) -> str:
    """The closing summary of an extract run, for people."""
    from pipeline.records import FIELD_NAMES, PAGE_KINDS
    from pipeline.run.batch import FAILURES_NAME

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


def _cmd_show(args: argparse.Namespace) -> int:
    """Print the cleaned text of a page with its blocks and sections."""
    from pipeline.show import render_page

    sys.stdout.write(render_page(Path(args.page), _settings(args)))
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    """Score extraction against a folder of gold annotations."""
    from pipeline.evaluate import evaluate_folder, format_errors, format_methods, format_table

    report = evaluate_folder(Path(args.gold), Path(args.pages) if args.pages else None, _settings(args))
    if args.json:
        sys.stdout.write(report.to_json())
    else:
        sys.stdout.write(format_table(report))
        if args.by_method:
            sys.stdout.write("\n" + format_methods(report))
        if args.errors:
            sys.stdout.write(format_errors(report))
    if report.pages_evaluated == 0:
        where = f"under {args.pages}" if args.pages else "where the gold files' 'file' keys point"
        print(f"error: nothing was evaluated: no gold file's page was found {where}"
              " (is --pages the folder of the pages?)", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if report.failures else EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    """Report per field which records changed between two output folders."""
    from pipeline.output.diff import diff_folders, format_diff

    sys.stdout.write(format_diff(diff_folders(Path(args.old), Path(args.new))))
    return EXIT_OK


def _cmd_load(args: argparse.Namespace) -> int:
    """Load a folder of records into a database."""
    from pipeline.output.db import load_folder

    result = load_folder(Path(args.structured), args.db)
    for error in result.errors:
        print(escape_controls(f"{error.file}: {error.reason}"), file=sys.stderr)
    print(result.summary_line())
    if result.read == 0 and not result.errors:
        print(f"warning: {args.structured} holds no record files: nothing was loaded",
              file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if result.errors else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of a record."""
    from pipeline.schema import record_json_schema_text

    sys.stdout.write(record_json_schema_text())
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    """Export records as one flat row per project."""
    from pipeline.output.export import export_folder

    if args.excel and args.format != "csv":
        raise UsageError("--excel applies to --format csv only")
    try:
        out = export_folder(Path(args.structured), args.format,
                            Path(args.out) if args.out else None, excel=args.excel)
    except NoRecordsError as exc:
        print(f"warning: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"wrote {out}", file=sys.stderr)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    """Write the self-contained HTML review report."""
    from pipeline.output.report import write_report

    counts = write_report(Path(args.structured), Path(args.out),
                          gold=Path(args.gold) if args.gold else None)
    print(f"wrote {args.out}", file=sys.stderr)
    if counts.records and counts.without_text == counts.records:
        # Every page missing usually means the wrong folder, not that every page changed.
        print(f"warning: none of the {counts.records} records' pages was found: their"
              f" source paths were read relative to {Path.cwd()}, and the output folder's"
              " manifest names no folder holding them; run report from the folder the"
              " pages' paths are relative to", file=sys.stderr)
        return EXIT_SOME_FAILED
    if counts.without_text:
        print(f"note: {counts.without_text} of {counts.records} records' pages were not"
              f" found (looked relative to {Path.cwd()} and where the manifest says)",
              file=sys.stderr)
    return EXIT_OK


def _add_min_confidence(p: argparse.ArgumentParser) -> None:
    """The --min-confidence option of extract and evaluate."""
    p.add_argument(
        "--min-confidence",
        type=float,
        dest="min_confidence",
        metavar="C",
        help=f"leave null every value whose evidence confidence is below C, 0-1 (default: {Settings().min_confidence})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn raw Czech pages about EU-funded projects into structured records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    defaults = Settings()
    p = add("extract", _cmd_extract, "extract records from pages (files or folders, recursively)")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="page files, folders of pages (walked recursively) or web archives"
                        " (.warc, .warc.gz, .wacz)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder for the JSON records (created if missing)")
    p.add_argument("--workers", type=int, metavar="N",
                   help=f"most worker processes (default: one per core, here {defaults.workers};"
                        " a small batch starts fewer)")
    p.add_argument("--force", action="store_true", default=None,
                   help="redo every page, not only new and changed ones (default: off)")
    p.add_argument("--quiet", action="store_true", default=None,
                   help="no progress bar (default: a bar on a terminal)")
    p.add_argument("--page-timeout", type=float, dest="page_timeout", metavar="S",
                   help="seconds per page before it is listed as failed"
                        f" (default: {defaults.page_timeout:g}; 0: no limit)")
    p.add_argument("--retry-failed", action="store_true", default=None, dest="retry_failed",
                   help="redo every page that failed, even an unchanged one that timed out on"
                        " two runs (default: off)")
    p.add_argument("--follow-links", action="store_true", default=None, dest="follow_links",
                   help="follow links to files outside the input folders (default: skipped)")
    p.add_argument("--jsonl", metavar="FILE",
                   help="also write all records as one JSON Lines file (default: none)")
    p.add_argument("--db", metavar="URL",
                   help="also load records into this database, sqlite:///… or postgresql://…"
                        " (checked before the run; default: none)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where pages are processed (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (default: a local cluster)")
    _add_min_confidence(p)
    p.add_argument("--include", action="append", metavar="GLOB",
                   help="in folders, take only files whose name or path under the folder matches"
                        " (repeatable; default: page files, by name and content)")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="in folders, skip files whose name or path under the folder matches"
                        " (repeatable; default: none)")

    p = add("show", _cmd_show, "print the cleaned text of a page with its blocks and sections")
    p.add_argument("page", metavar="PAGE", help="the page file")

    p = add("evaluate", _cmd_evaluate, "score extraction against gold annotations")
    p.add_argument("gold", metavar="GOLD_DIR", help="folder of gold annotation files (*.json)")
    p.add_argument("--pages", metavar="RAW_DIR",
                   help="folder of the pages (default: resolve each gold file's 'file' key)")
    p.add_argument("--errors", action="store_true", help="list every mismatch (default: off)")
    p.add_argument("--json", action="store_true",
                   help="machine-readable output (default: a table)")
    p.add_argument("--by-method", action="store_true", dest="by_method",
                   help="precision per evidence method and confidence band (default: off)")
    _add_min_confidence(p)

    p = add("diff", _cmd_diff, "report per field which records changed between two runs")
    p.add_argument("old", metavar="OLD_DIR", help="output folder of the earlier run")
    p.add_argument("new", metavar="NEW_DIR", help="output folder of the later run")

    p = add("load", _cmd_load, "load records into a database (default: SQLite in the folder)")
    p.add_argument("structured", metavar="STRUCTURED_DIR", help="output folder of an extract run")
    p.add_argument("--db", metavar="URL",
                   help="sqlite:///… or postgresql://… (default: sqlite:///STRUCTURED_DIR/records.sqlite)")

    add("schema", _cmd_schema, "print the JSON Schema of a record")

    p = add("export", _cmd_export, "export one flat row per project")
    p.add_argument("structured", metavar="STRUCTURED_DIR", help="output folder of an extract run")
    p.add_argument("--format", choices=("csv", "parquet", "jsonl"), required=True,
                   help="file format (required)")
    p.add_argument("--out", metavar="FILE",
                   help="file to write (default: STRUCTURED_DIR/export.FORMAT)")
    p.add_argument("--excel", action="store_true",
                   help="CSV for spreadsheets: UTF-8 byte-order mark, ';' between cells, CRLF"
                        " (default: plain UTF-8 CSV with ',')")

    p = add("report", _cmd_report, "write a self-contained HTML review report")
    p.add_argument("structured", metavar="STRUCTURED_DIR", help="output folder of an extract run")
    p.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--gold", metavar="DIR",
                   help="gold annotations to score and mark mismatches (default: none)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        parser = build_parser()  # Ctrl-C while the parser is built: a word, not a traceback
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return int(exc.code or 0)
        return int(args.func(args))
    except PipelineError as exc:  # UsageError included
        print(escape_controls(f"error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
