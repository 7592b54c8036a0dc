"""Hostile and broken input, end to end through the real batch and the CLI.

Every input ends as a record, a failure row (``failures.jsonl`` and the manifest, with a
reason tag, the file's path and a message) or a reported skip; the counts add up;
nothing is written outside ``--out``; the exit code is 1 when any page failed.

All fixtures are generated here (small synthetic pages in the shape of Czech project
pages). The unit-level cases (decoding tables, cleaning tables, normaliser properties,
batch mechanics with a fake page function) live in test_load, test_clean,
test_normaliser_properties and test_batch; this file runs the real per-page function.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import gzip
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import manifest_ok_rows

from pipeline.cli import main
from pipeline.ingest.load import escape_controls
from pipeline.output.write import LOCK_NAME, TEMP_PREFIX
from pipeline.records import Record
from pipeline.run.batch import FAILURES_NAME, BatchSummary, run_extract
from pipeline.run.manifest import MANIFEST_NAME
from pipeline.run.progress import StreamProgress
from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
ONE_WORKER = Settings(workers=1, quiet=True)
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# ---------------------------------------------------------------------------- fixtures

TITLE = "Modernizace učebny přírodních věd ve Žďáru"
# iso-8859-2 has no typographic dash; both Czech 8-bit codecs have every letter here.
PAGE = """<!doctype html><html lang="cs"><head>{meta}<title>{title}</title></head><body>
<nav><a href="/">Úvod</a> | <a href="/projekty">Projekty</a></nav>
<h1>{title}</h1>
<p>Registrační číslo projektu: CZ.02.3.68/0.0/0.0/16_010/0004321</p>
<p>Příjemce: Základní škola Žďár nad Sázavou, příspěvková organizace</p>
<p>Doba realizace: 1. 9. 2017 - 31. 8. 2019</p>
<p>Výše podpory: 1 250 000,00 Kč</p>
<p>Cílem projektu je zlepšit výuku přírodních věd a techniky na škole.</p>
<p>Projekt je spolufinancován Evropskou unií.</p>
</body></html>
"""


def page(meta: str = '<meta charset="utf-8">', title: str = TITLE, body: str = "") -> str:
    """A synthetic Czech project page; ``body`` is appended before ``</body>``."""
    text = PAGE.format(meta=meta, title=title)
    return text.replace("</body>", body + "</body>") if body else text


def _zip() -> bytes:
    """A real ZIP archive holding an HTML page."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", page())
    return buffer.getvalue()


def _png() -> bytes:
    """The start of a PNG image."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02" + bytes(200)


def _pdf() -> bytes:
    """A minimal PDF document."""
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) + b"%%EOF\n"


def _mojibake() -> bytes:
    """UTF-8 that was read as windows-1250 and saved again as UTF-8 (no Á/Ř: undefined bytes)."""
    return page().encode("utf-8").decode("cp1250", errors="replace").encode("utf-8")


def _mixed() -> bytes:
    """Head and title in windows-1250, body lines in UTF-8, as pasted-together templates do."""
    head, rest = page(meta="").split("<body>", 1)
    return head.encode("cp1250") + b"<body>" + rest.encode("utf-8")


def _meta_lies_utf8() -> bytes:
    """A windows-1250 page whose meta tag claims UTF-8."""
    return page().encode("cp1250")


def _meta_lies_8bit() -> bytes:
    """A UTF-8 page whose meta tag claims iso-8859-2."""
    return page(meta='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">').encode()


def _controls() -> bytes:
    """NUL bytes and control characters sprinkled through a page."""
    text = page().replace("<p>Příjemce", "\x00<p>\x01Příjemce\x07").replace("Cílem", "Cí\x1blem\x00")
    return text.encode("utf-8").replace(b"<h1>", b"<h1>\x00\x00\x08")


def _invalid_utf8() -> bytes:
    """A UTF-8 page with truncated sequences and stray continuation bytes."""
    return page().encode("utf-8").replace(b"Projekt je", b"Projekt \xc5\x80\x80\xff\xfe je") + b"\xe2\x82"


def _truncated() -> bytes:
    """A page cut off mid-tag (an interrupted download)."""
    data = page().encode("utf-8")
    return data[: data.index("<p>Cílem".encode()) + 5]


def _unclosed() -> bytes:
    """Tags that are never closed, mis-nested and stray closing tags."""
    body = "<div><p><b>Partner: <i>Obec Lhota <table><tr><td>Kč</div></span></p></p><li><ul>"
    return page(body=body).replace("</p>", "").encode("utf-8")


def _deep(depth: int) -> bytes:
    """Ten thousand nested elements around the content (recursion limits)."""
    return page(body="<div><span>" * depth + "<p>Projekt hluboko.</p>" + "</span></div>" * depth).encode()


def _deep_unclosed(depth: int) -> bytes:
    """Ten thousand nested elements never closed."""
    return page(body="<div><b><table><tr><td>" * depth + "Konec stránky").encode()


def _regnum_lookalikes(count: int) -> bytes:
    """Thousands of strings that almost parse as registration numbers (back-tracking bait)."""
    parts = []
    for i in range(count):
        parts.append(f"CZ.{i % 10}.{i % 7}.{i % 100:02d}/0.0/0.{i % 3}/1{i % 10}_0{i % 100:02d}/")
        parts.append("CZ." + "0." * (i % 40) + "/" * (i % 5))
        parts.append(f"CZ.1.{i % 9}/{i % 13}.{i}.00/" + "0" * (i % 30))
    return page(body="<p>" + " ".join(parts) + "</p>").encode()


def _date_lookalikes(count: int) -> bytes:
    """Hundreds of dates in one sentence about a project page with no period label."""
    return (
        f"<html><head><title>{TITLE}</title></head><body><h1>Projekt EU</h1>"
        "<p>Projekt spolufinancovaný EU byl realizován " + "1. 1. 2019. " * count + "</p>"
    ).encode()


def page_bytes() -> bytes:
    """The plain UTF-8 page (for the file-name cases)."""
    return page().encode()


def _utf16_no_bom() -> bytes:
    """UTF-16 LE without a byte order mark."""
    return page(meta="").encode("utf-16-le")


# ---------------------------------------------------------------------------- the table


Check = Callable[[Record], None]


def title_is(expected: str) -> Check:
    """The page title was decoded to exactly ``expected``."""

    def check(record: Record) -> None:
        """Compare the decoded page title."""
        assert record.source.page_title == expected

    return check


def clean_czech(record: Record) -> None:
    """No replacement characters or mojibake in anything the record says."""
    text = record.to_json()
    assert "\\ufffd" not in text and "\ufffd" not in text
    assert not re.search("Ă[­ˇ©ş˝]|Ĺ[ľˇ™Ż]|Ä[ŤŹ›]", text), text


def title_and_clean(expected: str) -> Check:
    """Both checks above."""

    def check(record: Record) -> None:
        """Decoded title and no mojibake."""
        title_is(expected)(record)
        clean_czech(record)

    return check


@dataclass(frozen=True)
class Hostile:
    """One generated hostile input: file name, bytes, and what must become of it.

    ``expect`` is "record", a PageError reason tag, or "skipped".
    """

    id: str
    name: str
    make: Callable[[], bytes]
    expect: str
    check: Check | None = None


GENERATED_HOSTILE_INPUTS = [
    # Broken and non-text bytes.
    Hostile("empty", "prazdna.html", lambda: b"", "empty"),
    Hostile("white-space-only", "mezery.html", lambda: b" \n\t\r\n  \xc2\xa0\n", "empty"),
    Hostile("pdf-named-html", "vyrocni-zprava.html", _pdf, "binary"),
    Hostile("png-named-html", "logo.html", _png, "binary"),
    Hostile("zip-named-html", "archiv.html", _zip, "binary"),
    Hostile("gzip-named-html", "komprimovana.html", lambda: gzip.compress(page().encode()), "binary"),
    Hostile("all-nul", "nuly.html", lambda: bytes(5000), "binary"),
    Hostile("random-control-bytes", "sum.html", lambda: bytes(i % 32 for i in range(4000)), "binary"),
    Hostile("nul-and-controls-in-page", "ridici-znaky.html", _controls, "record", title_and_clean(TITLE)),
    Hostile("invalid-utf8", "vadne-utf8.html", _invalid_utf8, "record", title_is(TITLE)),
    # Encodings.
    Hostile("cp1250-with-meta", "cp1250-meta.html",
            lambda: page(meta='<meta charset="windows-1250">').encode("cp1250"),
            "record", title_and_clean(TITLE)),
    Hostile("cp1250-without-meta", "cp1250.html", lambda: page(meta="").encode("cp1250"),
            "record", title_and_clean(TITLE)),
    Hostile("iso-8859-2-with-meta", "latin2-meta.html",
            lambda: page(meta='<meta charset="iso-8859-2">').encode("iso-8859-2"),
            "record", title_and_clean(TITLE)),
    Hostile("iso-8859-2-without-meta", "latin2.html", lambda: page(meta="").encode("iso-8859-2"),
            "record", title_and_clean(TITLE)),
    Hostile("meta-says-utf8-bytes-cp1250", "lzi-utf8.html", _meta_lies_utf8, "record",
            title_and_clean(TITLE)),
    Hostile("meta-says-latin2-bytes-utf8", "lzi-latin2.html", _meta_lies_8bit, "record",
            title_and_clean(TITLE)),
    Hostile("utf8-bom", "bom.html", lambda: codecs.BOM_UTF8 + page().encode(), "record",
            title_and_clean(TITLE)),
    Hostile("utf16-le-bom", "utf16.html", lambda: page(meta="").encode("utf-16"), "record",
            title_and_clean(TITLE)),
    Hostile("utf16-be-bom", "utf16be.html",
            lambda: codecs.BOM_UTF16_BE + page(meta="").encode("utf-16-be"), "record",
            title_and_clean(TITLE)),
    Hostile("utf16-without-bom", "utf16-bez-bom.html", _utf16_no_bom, "record",
            title_and_clean(TITLE)),
    Hostile("mixed-cp1250-and-utf8", "smisene.html", _mixed, "record", title_and_clean(TITLE)),
    Hostile("mojibake-utf8-read-as-cp1250", "mojibake.html", _mojibake, "record",
            title_and_clean(TITLE)),
    # Structure.
    Hostile("truncated-mid-tag", "useknuta.html", _truncated, "record", title_is(TITLE)),
    Hostile("unclosed-and-misnested-tags", "neuzavrene.html", _unclosed, "record", title_is(TITLE)),
    Hostile("10000-deep-nesting", "hluboka.html", lambda: _deep(10_000), "record", title_is(TITLE)),
    Hostile("10000-deep-unclosed", "hluboka-neuzavrena.html", lambda: _deep_unclosed(10_000),
            "record", title_is(TITLE)),
    Hostile("no-html-at-all", "jen-text.html", lambda: b"Projekt bez znacek", "record"),
    Hostile("only-tags-no-text", "jen-znacky.html", lambda: b"<div><span></span></div>" * 50,
            "record"),
    Hostile("script-only", "skript.html",
            lambda: b"<script>" + b"var x = '</p>';" * 2000 + b"</script>", "record"),
    Hostile("lone-surrogate-entities", "nahradni.html",
            lambda: page(body="<p>&#xD800; &#55296; &#x110000; &#0;</p>").encode(), "record",
            title_is(TITLE)),
    Hostile("3000-regnum-lookalikes", "lookalikes.html", lambda: _regnum_lookalikes(3000),
            "record", title_is(TITLE)),
    # Names (file system).
    Hostile("name-with-spaces", "projekt s mezerami .html", page_bytes, "record",
            title_is(TITLE)),
    Hostile("name-with-diacritics", "Žluťoučký kůň úpěl ďábelské ódy.html", page_bytes, "record"),
    Hostile("name-with-newline", "radek\nnovy.html", page_bytes, "record"),
    Hostile("name-with-traversal-look", "x..%2F..%2Fetc%2Fpasswd.html", page_bytes, "record"),
    Hostile("name-with-backslashes", "x..\\..\\unik.html", page_bytes, "record"),
    Hostile("name-with-dashes", "-rf --out=x.html", page_bytes, "record"),
    Hostile("name-only-dots", "...", page_bytes, "skipped"),
    Hostile("name-200-bytes", "ž" * 100 + ".html", page_bytes, "record"),
    Hostile("name-with-quotes-and-shell", "a'b\"c;$(rm)|`x`.html", page_bytes, "record"),
    Hostile("hidden-file", ".skryty.html", page_bytes, "skipped"),
]


def _build_inputs(root: Path) -> dict[str, Path]:
    """Write every generated input and the file-system oddities; id -> input path."""
    root.mkdir(parents=True)
    paths: dict[str, Path] = {}
    for case in GENERATED_HOSTILE_INPUTS:
        target = root / case.name
        target.write_bytes(case.make())
        paths[case.id] = target
    for oddity, path in _file_system_oddities(root).items():
        paths[oddity] = path
    return paths


# File-system oddities: id -> what must become of it (a reason tag or "skipped").
FILE_SYSTEM_ODDITIES = {
    "symlink-loop": "unreadable",
    "dangling-symlink": "unreadable",
    "unreadable-file": "unreadable",
    "symlink-to-folder": "skipped",
    "name-not-utf8": "skipped",
}


def _file_system_oddities(root: Path) -> dict[str, Path]:
    """Symlink loops, dangling links, an unreadable file, a link to a folder, a non-UTF-8 name."""
    loop_a, loop_b = root / "smycka-a.html", root / "smycka-b.html"
    os.symlink(loop_b.name, loop_a)
    os.symlink(loop_a.name, loop_b)
    dangling = root / "zmizela.html"
    os.symlink("neexistuje.html", dangling)
    unreadable = root / "necitelna.html"
    if IS_ROOT:
        # root reads any file whatever its mode; /proc/self/mem is a regular file
        # whose first page cannot be read (EIO).
        os.symlink("/proc/self/mem", unreadable)
    else:
        unreadable.write_bytes(page().encode())
        unreadable.chmod(0)
    folder_link = root / "odkaz-na-slozku"
    os.symlink(".", folder_link)
    bad_name = Path(os.fsdecode(os.path.join(os.fsencode(root), b"spatne-\xff\xfe.html")))
    bad_name.write_bytes(page().encode())
    return {
        "symlink-loop": loop_a,
        "symlink-loop-2": loop_b,
        "dangling-symlink": dangling,
        "unreadable-file": unreadable,
        "symlink-to-folder": folder_link,
        "name-not-utf8": bad_name,
    }


# ---------------------------------------------------------------------------- helpers


def snapshot(folder: Path, exclude: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under ``folder`` but ``exclude``: relative path -> (mode, size, mtime_ns)."""
    found: dict[str, tuple[int, int, int]] = {}
    for current, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = [d for d in dirnames if Path(current, d) != exclude]
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(current, name))
            rel = os.path.relpath(os.path.join(current, name), folder)
            found[rel] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return found


@dataclass(frozen=True)
class RunResult:
    """What one run left behind, read back from the output folder and stderr."""

    code: int
    err: str
    failures: dict[str, dict[str, str]]
    manifest: dict[str, tuple[str, str | None, str | None, str | None]]
    records: dict[str, Record]


def read_run(out: Path, code: int, err: str) -> RunResult:
    """Read failures.jsonl, the manifest and every record file of a finished run."""
    failures: dict[str, dict[str, str]] = {}
    for line in (out / FAILURES_NAME).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert row["path"] not in failures, f"listed twice: {row['path']}"
        failures[row["path"]] = row
    db = sqlite3.connect(out / MANIFEST_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        manifest = {
            path: (status, reason, message, output)
            for path, status, reason, message, output in db.execute(
                "SELECT path, status, reason, message, output FROM pages"
            )
        }
    finally:
        db.close()
    records: dict[str, Record] = {}
    for file in sorted(out.glob("*.json")):
        record = Record.model_validate_json(file.read_text(encoding="utf-8"))
        assert record.source.path not in records, f"two records for {record.source.path}"
        records[record.source.path] = record
    return RunResult(code, err, failures, manifest, records)


SUMMARY_LINE = re.compile(r"^(\d+) inputs: (\d+) records, (\d+) failed, (\d+) skipped", re.MULTILINE)


def summary_counts(err: str) -> tuple[int, int, int, int]:
    """inputs, records, failed, skipped from the CLI's closing summary."""
    match = SUMMARY_LINE.search(err)
    assert match is not None, err
    inputs, records, failed, skipped = (int(g) for g in match.groups())
    return inputs, records, failed, skipped


def shown(path: Path | str) -> str:
    """A path as the batch prints it on one line (newlines and other controls escaped)."""
    return escape_controls(str(path))


def cli(argv: list[str]) -> tuple[int, str]:
    """Run the CLI in this process; returns the exit code and what it wrote to stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def assert_outcome(result: RunResult, path: Path, expect: str) -> None:
    """The input ended exactly as expected, and its failure names the file and the reason."""
    key = str(path)
    if expect == "record":
        assert key not in result.failures, result.failures.get(key)
        assert key in result.records, f"{key!r} has no record; stderr:\n{result.err}"
        status, _reason, _message, output = result.manifest[key]
        assert status == "ok" and output is not None
        return
    if expect == "skipped":
        assert key not in result.records and key not in result.failures
        assert key not in result.manifest
        assert f"SKIPPED {shown(key)}: " in result.err or path.name.startswith(".")
        return
    assert key not in result.records
    row = result.failures.get(key)
    assert row is not None, f"{key!r} is not listed in {FAILURES_NAME}; stderr:\n{result.err}"
    assert row["reason"] == expect, row
    assert row["message"].strip(), row
    status, reason, message, _output = result.manifest[key]
    assert (status, reason, message) == ("failed", expect, row["message"])
    # The person reading the run sees the file and the reason on one line.
    assert f"FAILED {shown(key)}: {row['message']}" in result.err


# ---------------------------------------------------------------------------- the big run


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunResult, dict[str, Path], Path]]:
    """One CLI run over every generated hostile input, with a snapshot of the rest."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "in"
    paths = _build_inputs(root)
    out = base / "out"
    before = snapshot(base, exclude=out)
    # --follow-links: as root the unreadable file is a link to /proc/self/mem, outside the
    # input folder (links out of it are skipped by default: test_hostile_two).
    code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "2",
                     "--follow-links"])
    result = read_run(out, code, err)
    assert snapshot(base, exclude=out) == before, "the run wrote outside --out"
    yield result, paths, out
    # Let pytest remove the folder even where a file was made unreadable.
    for path in root.iterdir():
        if not path.is_symlink():
            path.chmod(0o644)


@pytest.mark.parametrize("case", GENERATED_HOSTILE_INPUTS, ids=lambda c: c.id)
def test_generated_hostile_input_ends_as_expected(
    case: Hostile, hostile_run: tuple[RunResult, dict[str, Path], Path]
) -> None:
    """Each generated input is a record (checked) or a failure naming file and reason."""
    result, paths, _out = hostile_run
    assert_outcome(result, paths[case.id], case.expect)
    if case.expect == "record" and case.check is not None:
        case.check(result.records[str(paths[case.id])])


@pytest.mark.parametrize("oddity", sorted(FILE_SYSTEM_ODDITIES))
def test_file_system_oddity_ends_as_expected(
    oddity: str, hostile_run: tuple[RunResult, dict[str, Path], Path]
) -> None:
    """Loops, dangling links, unreadable files, links to folders and bad names are reported."""
    result, paths, _out = hostile_run
    assert_outcome(result, paths[oddity], FILE_SYSTEM_ODDITIES[oddity])


def test_failure_messages_say_why_in_words(hostile_run: tuple[RunResult, dict[str, Path], Path]) -> None:
    """Messages a person understands: the loop and the missing target are named as such."""
    result, paths, _out = hostile_run
    assert "symlink loop" in result.failures[str(paths["symlink-loop"])]["message"]
    assert "no such file" in result.failures[str(paths["dangling-symlink"])]["message"]
    assert "PDF" in result.failures[str(paths["pdf-named-html"])]["message"]
    assert "gzip" in result.failures[str(paths["gzip-named-html"])]["message"]
    assert "empty" in result.failures[str(paths["empty"])]["message"]


def test_hostile_run_counts_add_up_and_exit_code_is_1(
    hostile_run: tuple[RunResult, dict[str, Path], Path],
) -> None:
    """inputs = records + failed + skipped; every file is accounted for once; exit code 1."""
    result, paths, out = hostile_run
    inputs, records, failed, skipped = summary_counts(result.err)
    assert result.code == 1
    assert inputs == records + failed + skipped
    assert records == len(result.records) == len(list(out.glob("*.json")))
    assert failed == len(result.failures)
    # Every input we made is accounted for, none twice (the two loop links are two inputs;
    # the hidden file is an input too, skipped).
    assert inputs == len(paths)
    accounted = set(result.records) | set(result.failures)
    assert accounted.isdisjoint(set(result.records) & set(result.failures))
    assert {str(p) for p in paths.values()} >= accounted
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_record_file_names_stay_inside_out(hostile_run: tuple[RunResult, dict[str, Path], Path]) -> None:
    """Whatever the input names, record files are plain safe names directly in --out."""
    result, _paths, out = hostile_run
    for _status, _reason, _message, output in result.manifest.values():
        if output is not None:
            assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.json", output), output
            assert (out / output).resolve().parent == out.resolve()


# ---------------------------------------------------------------------------- big pages


def _one_page_run(
    tmp_path: Path, name: str, data: bytes, settings: Settings = ONE_WORKER
) -> tuple[BatchSummary, RunResult, Path]:
    """Run the real batch on one page (run_extract, not the CLI)."""
    root = tmp_path / "in"
    root.mkdir()
    (root / name).write_bytes(data)
    out = tmp_path / "out"
    err = io.StringIO()
    summary = run_extract([root], out, settings, progress=StreamProgress(err))
    result = read_run(out, 1 if summary.failed else 0, err.getvalue())
    assert summary.inputs == summary.records + summary.failed + summary.skipped == 1
    return summary, result, root / name


def _paragraphs(size: int) -> bytes:
    """A project page padded with ordinary Czech paragraphs to about ``size`` bytes."""
    para = "<p>Projekt podpořil vzdělávání pedagogů v regionu a modernizaci učeben.</p>\n"
    count = size // len(para.encode())
    return page(body=para * count).encode()


def _big_table(cells: int, columns: int = 10) -> bytes:
    """A page with one table of ``cells`` cells."""
    rows = "".join(
        "<tr>" + "".join(f"<td>Položka {r}.{c} Kč</td>" for c in range(columns)) + "</tr>"
        for r in range(cells // columns)
    )
    return page(body=f"<table>{rows}</table>").encode()


def _long_line(size: int) -> bytes:
    """A page whose body is one line of about ``size`` bytes with no block breaks."""
    unit = "Projekt obce Lhota slovo "
    return page(body="<p>" + unit * (size // len(unit)) + "</p>").replace("\n", " ").encode()


BIG_PAGES = [
    pytest.param("tabulka.html", lambda: _big_table(100_000), id="100000-cell-table"),
    pytest.param("radek.html", lambda: _long_line(5 * 1024 * 1024), id="5-MB-single-line"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "make"), BIG_PAGES)
def test_big_pages_become_records(tmp_path: Path, name: str, make: Callable[[], bytes]) -> None:
    """Big pages go through with the default limits (size and time) as full records."""
    summary, result, path = _one_page_run(tmp_path, name, make())
    assert_outcome(result, path, "record")
    assert summary.failed == 0
    assert result.records[str(path)].source.page_title == TITLE


@pytest.mark.slow
def test_50_mb_page_ends_as_a_record_or_a_listed_timeout(tmp_path: Path) -> None:
    """A 50 MB page passes the size limit and ends within the page time limit, listed."""
    root = tmp_path / "in"
    root.mkdir()
    path = root / "50mb.html"
    path.write_bytes(_paragraphs(50 * 1024 * 1024))
    out = tmp_path / "out"
    err = io.StringIO()
    summary = run_extract([root], out, Settings(workers=1, quiet=True, page_timeout=5.0), progress=StreamProgress(err))
    result = read_run(out, 1 if summary.failed else 0, err.getvalue())
    assert summary.inputs == summary.records + summary.failed == 1
    assert_outcome(result, path, "record" if summary.records else "timeout")


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("PIPELINE_HUGE_TESTS") != "1",
                    reason="takes over a minute; set PIPELINE_HUGE_TESTS=1 to run")
def test_50_mb_page_becomes_a_record_with_the_default_limits(tmp_path: Path) -> None:
    """Settings says a 50 MB page must pass: with the default limits it is a record."""
    _summary, result, path = _one_page_run(tmp_path, "50mb.html", _paragraphs(50 * 1024 * 1024))
    assert_outcome(result, path, "record")


@pytest.mark.slow
def test_thousands_of_dates_in_one_paragraph_stay_linear(tmp_path: Path) -> None:
    """400 dates in one sentence (5 KB) is a record within a time limit 10x a linear run's."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "data.html").write_bytes(_date_lookalikes(400))
    err = io.StringIO()
    summary = run_extract([root], tmp_path / "out", Settings(workers=1, quiet=True,
                                                               page_timeout=10.0), progress=StreamProgress(err))
    assert summary.failed == 0, err.getvalue()


# ---------------------------------------------------------------------------- folders


def test_input_folder_inside_the_output_folder_is_refused(tmp_path: Path) -> None:
    """Pages under --out would be mixed with its records: exit 2 naming both, nothing written."""
    out = tmp_path / "out"
    inner = out / "stranky"
    inner.mkdir(parents=True)
    (inner / "a.html").write_bytes(page().encode())
    code, err = cli(["extract", str(inner), "--out", str(out), "--quiet", "--workers", "1"])
    assert code == 2
    assert f"error: the output folder {out} is or contains the input {inner}" in err
    assert sorted(p.name for p in out.iterdir()) == ["stranky"]


def test_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    """A rerun does not treat its own records as pages."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.html").write_bytes(page().encode())
    out = root / "out"
    for _ in range(2):
        code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])
        assert code == 0, err
        inputs, records, failed, skipped = summary_counts(err)
        assert (records, failed) == (1, 0) and inputs == records + skipped
    assert len(list(out.glob("*.json"))) == 1


def test_output_never_escapes_with_relative_and_dotted_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inputs given as ``../x`` or ``a/../../x`` still write only into --out."""
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    (tmp_path / "deep" / "nahore.html").write_bytes(page().encode())
    (tmp_path / "vysoko.html").write_bytes(page().encode())
    (work / "out").mkdir()
    monkeypatch.chdir(work)
    before = snapshot(tmp_path, exclude=work / "out")
    code, err = cli(["extract", "../nahore.html", "../../vysoko.html", "--out", "out",
                     "--quiet", "--workers", "1"])
    assert code == 0, err
    result = read_run(work / "out", code, err)
    assert set(result.records) == {"../nahore.html", "../../vysoko.html"}
    assert snapshot(tmp_path, exclude=work / "out") == before


# ---------------------------------------------------------------------------- full disk


def test_full_disk_in_process_gives_a_clear_error_and_an_intact_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while writing: exit 2 with 'disk is full', manifest intact, rerun completes."""
    root = tmp_path / "in"
    root.mkdir()
    for i in range(4):
        (root / f"p{i}.html").write_bytes(page(title=f"Projekt číslo {i}").encode())
    out = tmp_path / "out"
    code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])
    assert code == 0, err
    (root / "novy.html").write_bytes(page(title="Nový projekt").encode())
    real_replace = os.replace

    def full(src: str | Path, dst: str | Path) -> None:
        """The disk is full when a written file is renamed into place."""
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])
    monkeypatch.setattr(os, "replace", real_replace)
    assert code == 2
    assert re.search(rf"error: cannot write {re.escape(str(out))}/\S+: the disk is full", err), err
    result = read_run(out, code, "")
    # The manifest is intact and claims no record that is not on disk.
    assert {row[0] for row in result.manifest.values()} == {"ok"}
    assert set(result.records) == set(result.manifest)
    assert str(root / "novy.html") not in result.manifest
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])
    assert code == 0, err
    assert summary_counts(err) == (5, 5, 0, 0)


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs mounted under tmp_path (root only; skips elsewhere)."""
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    mountpoint = tmp_path / "maly-disk"
    mountpoint.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mountpoint)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, check=False)


def _fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    filler = folder / "vypln.bin"
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with filler.open("wb") as handle, contextlib.suppress(OSError):
        handle.write(bytes(max(0, free - leave)))
    return filler


def test_really_full_disk_gives_a_clear_error_and_an_intact_manifest(
    tmp_path: Path, tiny_filesystem: Path
) -> None:
    """On a real 1 MB tmpfs that fills up: exit 2 naming the full disk; then resume."""
    root = tmp_path / "in"
    root.mkdir()
    for i in range(60):
        (root / f"p{i:02d}.html").write_bytes(page(title=f"Projekt číslo {i}").encode())
    out = tiny_filesystem / "out"
    argv = ["extract", str(root), "--out", str(out), "--quiet", "--workers", "2"]
    code, err = cli(argv[:1] + [str(root / "p00.html")] + argv[2:])
    assert code == 0, err  # the manifest exists before the disk fills
    filler = _fill(tiny_filesystem, leave=48 * 1024)
    code, err = cli(argv)
    assert code == 2, err
    assert "disk is full" in err or "database or disk is full" in err, err
    assert str(out) in err, err
    # The manifest still opens, passes its integrity check and claims only records on disk.
    filler.unlink()
    result = read_run(out, code, "")
    for status, _reason, _message, output in result.manifest.values():
        assert status == "ok" and output is not None and (out / output).is_file()
    code, err = cli(argv)
    assert code == 0, err
    assert summary_counts(err) == (60, 60, 0, 0)
    assert len(read_run(out, code, err).records) == 60


# ---------------------------------------------------------------------------- processes


def _start_cli(root: Path, out: Path) -> subprocess.Popen[bytes]:
    """Start ``python -m pipeline extract`` in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", str(root), "--out", str(out), "--quiet",
         "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


_ok_rows = manifest_ok_rows


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    """Poll until ``condition`` holds; fail if the process ends first (or after 120 s)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert proc.poll() is None, "the run ended before the moment the test waits for"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)


def _project_pages(root: Path, count: int, slow_name: str) -> None:
    """``count`` small project pages, two broken ones and one that takes seconds."""
    root.mkdir()
    (root / slow_name).write_bytes(_big_table(100_000))
    for i in range(count):
        (root / f"projekt-{i:03d}.html").write_bytes(page(title=f"Projekt číslo {i}").encode())
    (root / "prazdna.html").write_bytes(b"")
    (root / "obrazek.html").write_bytes(_png())


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_loses_nothing(tmp_path: Path) -> None:
    """The real pipeline killed with SIGKILL leaves only whole files; the rerun finishes."""
    root, out = tmp_path / "in", tmp_path / "out"
    _project_pages(root, 60, slow_name="zz-tabulka.html")
    proc = _start_cli(root, out)
    try:
        _wait_for(lambda: _ok_rows(out) >= 10, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    for file in out.glob("*.json"):  # every record present is whole and valid
        Record.model_validate_json(file.read_text(encoding="utf-8"))
    code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "2"])
    assert code == 1, err  # the two broken pages
    assert summary_counts(err) == (63, 61, 2, 0)
    result = read_run(out, code, err)
    expected = {str(root / f"projekt-{i:03d}.html") for i in range(60)} | {str(root / "zz-tabulka.html")}
    assert set(result.records) == expected
    assert {row["reason"] for row in result.failures.values()} == {"empty", "binary"}
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.slow
def test_two_runs_on_one_output_folder(tmp_path: Path) -> None:
    """A second run while the first holds the folder exits 2 naming it; afterwards it reruns."""
    root, out = tmp_path / "in", tmp_path / "out"
    _project_pages(root, 40, slow_name="a-tabulka.html")
    proc = _start_cli(root, out)
    lock = out / LOCK_NAME
    try:
        # The first run holds the lock (its pid is in it) and is busy with the big table.
        _wait_for(lambda: lock.exists() and lock.read_text().strip() == str(proc.pid), proc)
        code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])
        assert code == 2
        assert f"output folder {out} is in use by another run (pid {proc.pid})" in err
        _, first_err = proc.communicate(timeout=300)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == 1, first_err.decode()
    assert (out / LOCK_NAME).read_text() == ""  # released
    code, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])
    assert code == 1
    assert summary_counts(err) == (43, 41, 2, 0)
    assert "new 0, changed 0, re-extracted 0, unchanged 41" in err
