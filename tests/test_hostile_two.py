"""Hostile input, round two (issue 19): each finding of the second red-team pass, as a test.

Every test here failed before its fix. Pages are invented Czech project pages built by
``test_hostile.page``; the runs go through the real CLI or the real batch, as there.
"""

from __future__ import annotations

import codecs
import contextlib
import encodings
import encodings.aliases
import io
import json
import os
import pkgutil
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_db import make_record, query, write_records
from test_hostile import REPO, page, read_run

from pipeline.cli import main
from pipeline.core import clean_bytes, extract_bytes
from pipeline.errors import EmptyPageError, PageError
from pipeline.ingest.load import PAGE_ENCODINGS, decode_page
from pipeline.output import db as db_module
from pipeline.output.db import load_folder
from pipeline.output.export import export_folder
from pipeline.output.write import LOCK_NAME, lock_output
from pipeline.records import Record, Source
from pipeline.run.batch import FAILURES_NAME, run_extract
from pipeline.run.manifest import MANIFEST_NAME
from pipeline.run.progress import StreamProgress
from pipeline.settings import EXTRACTOR_VERSION, Settings

ONE_WORKER = Settings(workers=1, quiet=True)
# What no record may hold: C0/C1 controls but tab and newline, lone surrogates, bidi
# embeddings, overrides and isolates (written out here, not taken from the library).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def cli(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in this process; exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def extract(root: Path, out: Path, *extra: str) -> tuple[int, str]:
    """``extract ROOT --out OUT --quiet --workers 1 EXTRA...``: exit code and stderr."""
    code, _out, err = cli(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1",
                           *extra])
    return code, err


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def assert_clean(record: Record) -> None:
    """No string of the record holds a control, lone surrogate or bidi override."""
    for text in strings_in(json.loads(record.to_json())):
        assert not UNSAFE.search(text), repr(text)


# ------------------------------------------------------------ encodings and control characters

# The red team's page: escapes that a unicode_escape decoding turns into NUL, a
# right-to-left override, a terminal escape and a lone surrogate.
ESCAPES = "Projekt\\x00Lipnice\\u202e\\x1b[31m\\ud800"


def declared(label: str, title: str = ESCAPES) -> bytes:
    """The synthetic page with ``<meta charset=LABEL>`` and ``title``, in windows-1250."""
    return page(meta=f'<meta charset="{label}">', title=title).encode("cp1250")


CODEC_LABELS = ["unicode_escape", "raw_unicode_escape", "idna", "punycode", "rot13", "base64",
                "hex", "uu", "zlib", "utf-7", "hz", "cp037", "cp500", "utf-16", "utf-32",
                "mbcs", "palmos", "undefined"]


@pytest.mark.parametrize("label", CODEC_LABELS)
def test_a_codec_that_is_not_a_page_encoding_is_ignored(label: str) -> None:
    """Any declared codec outside the allow-list: a record, decoded as a real encoding."""
    record = extract_bytes(declared(label), "stranka.html")
    assert record.source.encoding in PAGE_ENCODINGS
    assert record.source.page_title == ESCAPES  # the escapes stay text, never controls
    assert_clean(record)


def test_the_red_team_unicode_escape_page_reads_its_escapes_as_text() -> None:
    """Their page: one Czech letter, so the declared unicode_escape used to win and decode."""
    data = b'<meta charset="unicode_escape">\nN\xe1zev projektu: ' + ESCAPES.encode() + b"\n"
    document = clean_bytes(data, "a.txt")
    assert document.encoding in PAGE_ENCODINGS
    assert "Název projektu: " + ESCAPES in document.text
    assert not UNSAFE.search(document.text)
    assert_clean(extract_bytes(data, "a.txt"))


def test_idna_charset_is_a_record_not_an_internal_error(tmp_path: Path) -> None:
    """``charset="idna"`` used to fail the page with internal-error."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "idna.html").write_bytes(declared("idna", title="Projekt Lipnice"))
    code, err = extract(root, tmp_path / "out")
    assert code == 0, err
    assert summary_records(err) == 1


def summary_records(err: str) -> int:
    """Records in the closing summary."""
    match = re.search(r"^\d+ inputs: (\d+) records", err, re.MULTILINE)
    assert match is not None, err
    return int(match.group(1))


# Characters that reach the text without any control byte in the page: from UTF-8
# multi-byte sequences, or from HTML character references.
UNSAFE_BY_PATH = [
    pytest.param("stranka.txt", "Název projektu: Projekt\u202eLipnice\u2066\n".encode(),
                 id="utf8-bidi-in-text"),
    pytest.param("stranka.txt", "Název projektu: Projekt\u0085\u009bLipnice\n".encode(),
                 id="utf8-c1-controls-in-text"),
    pytest.param("stranka.html", page(title="Projekt &#x202e;Lipnice&#27;[31m&#1;").encode(),
                 id="entities-in-title"),
    pytest.param("stranka.html", page(body="<h2>Cíl &#x2066;projektu&#x7f;&#x1b;]0;x&#7;</h2>"
                                           "<p>Cílem projektu je&#x202d; zlepšit výuku.</p>").encode(),
                 id="entities-in-body"),
    pytest.param("stranka.html", page(title="Projekt\u202eLipnice").encode("utf-16"),
                 id="utf16-bidi"),
]


@pytest.mark.parametrize(("name", "data"), UNSAFE_BY_PATH)
def test_unsafe_characters_are_removed_whatever_the_path(name: str, data: bytes) -> None:
    """Decoding or HTML parsing: neither record nor cleaned text holds unsafe characters."""
    record = extract_bytes(data, name)
    assert_clean(record)
    document = clean_bytes(data, name)
    assert not UNSAFE.search(document.text), repr(document.text)
    assert not UNSAFE.search(document.page_title or "")


def test_show_prints_a_page_whose_declared_codec_makes_surrogates(tmp_path: Path) -> None:
    """``show`` used to stop with a UnicodeEncodeError traceback on ``\\ud800``."""
    path = tmp_path / "nahradni.txt"
    path.write_bytes(b'<meta charset="unicode_escape">\nN\xe1zev projektu: Projekt\\ud800Lipnice\n')
    code, out, err = cli(["show", str(path)])
    assert code == 0, err
    out.encode("utf-8")  # no lone surrogate left to print
    assert "Projekt\\ud800Lipnice" in out


def _all_codec_labels() -> list[str]:
    """Every codec name and alias Python knows (the red team's 1,784 labels, give or take)."""
    names = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
    names |= {module.name for module in pkgutil.iter_modules(encodings.__path__)}
    labels = set()
    for name in names:
        with contextlib.suppress(LookupError):
            codecs.lookup(name)
            labels |= {name, name.replace("_", "-")}
    return sorted(labels)


ALL_CODEC_LABELS = _all_codec_labels()


def test_every_python_codec_label_gives_clean_text_or_a_page_error() -> None:
    """In process, every label Python has: a page error or text without unsafe characters."""
    assert len(ALL_CODEC_LABELS) > 300
    for label in ALL_CODEC_LABELS:
        data = declared(label)
        try:
            document = clean_bytes(data, "stranka.html")
        except PageError:
            continue
        assert document.encoding in PAGE_ENCODINGS, label
        assert not UNSAFE.search(document.text), label
        assert not UNSAFE.search(document.page_title or ""), label


@st.composite
def declared_charset_pages(draw: st.DrawFn) -> bytes:
    """A page declaring any codec Python has, with escapes and raw bytes in its text."""
    label = draw(st.sampled_from(ALL_CODEC_LABELS))
    filler = draw(st.text(st.characters(max_codepoint=0x2FFF), max_size=40))
    raw = draw(st.binary(max_size=40))
    head = f'<meta charset="{label}"><title>{ESCAPES}{filler}</title>'.encode("utf-8", "replace")
    return head + b"\n<p>" + raw + b"</p>"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(declared_charset_pages())
def test_declared_charsets_from_the_whole_codec_list(data: bytes) -> None:
    """Generated pages declaring any Python codec: a PageError or a clean record."""
    try:
        record = extract_bytes(data, "gen.html")
    except PageError:
        return
    assert record.source.encoding in PAGE_ENCODINGS
    assert_clean(record)


# ------------------------------------------------------------ database loads


def test_one_record_with_a_nul_is_left_out_and_the_rest_loads(tmp_path: Path) -> None:
    """A NUL (PostgreSQL refuses it) in one record file: that file is reported, not the folder."""
    good = make_record("stranky/a.html")
    bad = make_record("stranky/b.html", title="Projekt\x00Lipnice")
    folder = write_records(tmp_path / "out", good, bad)
    code, out, err = cli(["load", str(folder)])
    assert code == 1
    assert "stranky_b.html.json: title holds control characters" in err
    assert "1 records read, 1 new" in out
    assert query(folder, "SELECT source_path FROM projects") == [("stranky/a.html",)]


def test_a_record_the_database_refuses_is_undone_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value refused halfway through a record's rows: its rows are undone, others kept."""
    records = [make_record(f"stranky/{name}.html") for name in "abc"]
    folder = write_records(tmp_path / "out", *records)
    real_child_rows = db_module.child_rows

    def refusing(record: Record, table: Any) -> list[tuple[Any, ...]]:
        """The database refuses a value of page b (after its projects row was written)."""
        if record.source.path == "stranky/b.html" and table.name == "activities":
            raise ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return real_child_rows(record, table)

    monkeypatch.setattr(db_module, "child_rows", refusing)
    result = load_folder(folder, None)
    assert [e.file for e in result.errors] == ["stranky_b.html.json"]
    assert "not loaded: ValueError: PostgreSQL text fields" in result.errors[0].reason
    assert result.inserted == 2
    assert query(folder, "SELECT source_path FROM projects ORDER BY 1") == [
        ("stranky/a.html",), ("stranky/c.html",)]
    # No half-loaded rows of page b in any child table.
    rid = db_module.record_id("stranky/b.html")
    for table in ("partners", "goals_specific", "target_groups", "evidence"):
        assert query(folder, f'SELECT COUNT(*) FROM "{table}" WHERE record_id = ?', (rid,)) == [(0,)]


# The PostgreSQL cases of the two tests above are in test_postgres.py, beside its server fixture.


# ------------------------------------------------------------ CSV formula injection


def test_csv_cells_that_start_a_formula_are_neutralised(tmp_path: Path) -> None:
    """=, +, -, @ at the start of a text cell get an apostrophe; JSON Lines keeps them."""
    record = make_record(
        "stranky/a.html", title='=HYPERLINK("http://zlo.invalid","Klikni")',
        activities=["+420 vzdělávání", "-1+1", "@SUM(A1)", "Poradenství"],
        summary="\tskryto",
    )
    folder = write_records(tmp_path / "out", record)
    export_folder(folder, "csv", tmp_path / "flat.csv")
    import csv

    with open(tmp_path / "flat.csv", encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["title"] == '\'=HYPERLINK("http://zlo.invalid","Klikni")'
    assert row["activities"] == "'+420 vzdělávání | -1+1 | @SUM(A1) | Poradenství"
    assert row["summary"] == "'\tskryto"
    assert row["subsidy_amount"] == "3783392.50"  # amounts are not text cells
    export_folder(folder, "jsonl", tmp_path / "flat.jsonl")
    line = json.loads((tmp_path / "flat.jsonl").read_text(encoding="utf-8"))
    assert line["title"] == '=HYPERLINK("http://zlo.invalid","Klikni")'


# ------------------------------------------------------------ report reads only regular pages


def _run_report(folder: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``python -m pipeline report`` in a subprocess with 3 GiB of address space and 120 s."""

    def limit() -> None:
        """Reading /dev/zero whole ends in a MemoryError, not in swapping the machine."""
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run(
        [sys.executable, "-m", "pipeline", "report", str(folder), "--out", str(out)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120, preexec_fn=limit, check=False,
    )


def test_report_reads_only_regular_files_within_the_size_limit(tmp_path: Path) -> None:
    """A FIFO, a link to /dev/zero and a page over the limit as source.path: noted, not read."""
    fifo = tmp_path / "roura.html"
    os.mkfifo(fifo)
    zero = tmp_path / "nuly.html"
    zero.symlink_to("/dev/zero")
    records = [make_record(str(fifo)), make_record(str(zero))]
    folder = write_records(tmp_path / "out", *records)
    os.mkfifo(folder / "roura-zaznam.json")  # a record "file" that is a FIFO
    done = _run_report(folder, tmp_path / "report.html")
    # 1: no record's page could be shown (the report says so), which is the point here.
    assert done.returncode == 1, done.stderr
    assert "none of the 2 records' pages was found" in done.stderr
    assert "Traceback" not in done.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "roura-zaznam.json" in html and "unreadable-record" in html


# ------------------------------------------------------------ links planted in --out


def _one_page_root(tmp_path: Path) -> Path:
    """An input folder with one project page."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.html").write_bytes(page().encode())
    return root


def test_a_lock_planted_as_a_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    """``ln -s ../victim out/.lock`` used to truncate the victim."""
    root = _one_page_root(tmp_path)
    victim = tmp_path / "obet.txt"
    victim.write_text("důležitá data\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).symlink_to(victim)
    code, err = extract(root, out)
    assert code == 2
    assert f"{out / LOCK_NAME} is a symbolic link" in err
    assert victim.read_text(encoding="utf-8") == "důležitá data\n"


@pytest.mark.parametrize("name", [MANIFEST_NAME, MANIFEST_NAME + "-wal", MANIFEST_NAME + "-journal"])
def test_a_manifest_planted_as_a_link_is_refused(tmp_path: Path, name: str) -> None:
    """A ``.manifest.sqlite`` link used to make the run change another SQLite file."""
    root = _one_page_root(tmp_path)
    other = tmp_path / "jina.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(other)
    code, err = extract(root, out)
    assert code == 2
    assert f"{out / name} is a symbolic link" in err
    assert other.read_bytes() == before


def test_load_refuses_a_default_database_planted_as_a_link(tmp_path: Path) -> None:
    """``load`` writes records.sqlite in the folder: not through a planted link."""
    folder = write_records(tmp_path / "out", make_record("stranky/a.html"))
    other = tmp_path / "jina.sqlite"
    other.write_bytes(b"")
    (folder / "records.sqlite").symlink_to(other)
    code, _out, err = cli(["load", str(folder)])
    assert code == 2
    assert "records.sqlite is a symbolic link" in err
    assert other.read_bytes() == b""


# ------------------------------------------------------------ --jsonl and --out places


@pytest.mark.parametrize("where", ["the-input-file", "inside-the-inputs", "manifest", "failures",
                                   "a-record"])
def test_jsonl_may_not_overwrite_inputs_or_the_output_folders_files(tmp_path: Path, where: str) -> None:
    """``--jsonl`` naming an input, a file in the inputs or the folder's own file: exit 2."""
    root = _one_page_root(tmp_path)
    out = tmp_path / "out"
    code, err = extract(root, out)
    assert code == 0, err
    record = next(out.glob("*.json"))
    target = {
        "the-input-file": root / "a.html",
        "inside-the-inputs": root / "vse.jsonl",
        "manifest": out / MANIFEST_NAME,
        "failures": out / FAILURES_NAME,
        "a-record": record,
    }[where]
    before = {p: p.read_bytes() for p in (root / "a.html", out / MANIFEST_NAME, record)}
    code, err = extract(root, out, "--jsonl", str(target))
    assert code == 2
    assert f"error: --jsonl {target}" in err
    assert {p: p.read_bytes() for p in before} == before


def test_jsonl_beside_the_records_is_still_allowed(tmp_path: Path) -> None:
    """A plain name in the output folder is not one of its own files."""
    root = _one_page_root(tmp_path)
    code, err = extract(root, tmp_path / "out", "--jsonl", str(tmp_path / "out" / "vse.jsonl"))
    assert code == 0, err
    assert len((tmp_path / "out" / "vse.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_out_equal_to_the_input_folder_is_refused(tmp_path: Path) -> None:
    """``--out`` = the input folder: exit 2, and nothing written among the pages."""
    root = _one_page_root(tmp_path)
    code, err = extract(root, root)
    assert code == 2
    assert f"the output folder {root} is or contains the input {root}" in err
    assert sorted(p.name for p in root.iterdir()) == ["a.html"]


# ------------------------------------------------------------ big pages and timeouts


def test_a_page_of_many_tags_is_cut_at_the_tag_limit() -> None:
    """100,000 list items: the page is read up to the limit, with a warning, at a tag."""
    data = page(body="<ul>" + "<li>Bod</li>" * 100_000 + "</ul>").encode()
    loaded = decode_page(data, "seznam.html", Settings(max_page_parts=5_000))
    assert loaded.text.count("<") == 5_000
    assert loaded.text.endswith("</li>") or loaded.text.endswith("<li>Bod")
    assert "only the first 5,000 tags are read" in loaded.warnings[-1]


def test_a_page_of_many_lines_is_cut_at_the_line_limit() -> None:
    """Text pages: the limit counts lines."""
    data = ("Název projektu: Lhota\n" + "- bod\n" * 100_000).encode()
    loaded = decode_page(data, "seznam.txt", Settings(max_page_parts=1_000))
    assert loaded.text.count("\n") == 1_000
    assert "only the first 1,000 lines are read" in loaded.warnings[-1]


def test_a_huge_page_decodes_only_what_is_read() -> None:
    """Bytes beyond the character limit are not decoded (their copies cost the memory)."""
    data = page(body="<p>Projekt obce Lhota.</p>\n" * 200_000).encode()  # 5 MB
    tracemalloc.start()
    try:
        loaded = decode_page(data, "velka.html", Settings(max_text_chars=100_000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(loaded.text) <= 100_000
    assert "page truncated" in loaded.warnings[0]
    assert loaded.text.startswith("<!doctype html>") and loaded.text.endswith((">", "\n"))
    assert peak < 1_000_000, f"decoding took {peak / 1e6:.1f} MB for a 0.1 MB read"


MEMORY_PROBE = """
import resource, sys
from pipeline.run.task import PageTask, process_path
from pipeline.core import warm_up
from pipeline.settings import Settings
warm_up()
outcome = process_path(PageTask(sys.argv[1]), Settings(page_timeout=120))
# VmHWM, not ru_maxrss: the latter keeps the forking test process's peak across exec.
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) * 1024
print(outcome.status, outcome.reason, peak)
"""


@pytest.mark.slow
@pytest.mark.parametrize(("unit", "count"), [
    pytest.param("<li>x</li>", 5_900_000, id="59-MB-of-li"),
    pytest.param("<h2>Nadpis</h2>", 240_000, id="3.6-MB-of-h2"),
])
def test_a_worker_stays_within_250_mb_on_a_huge_page(tmp_path: Path, unit: str, count: int) -> None:
    """The red team's pages: a record within the time limit, peak memory under 250 MB."""
    path = tmp_path / "obri.html"
    path.write_text(page(body=unit * count), encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(path)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300,
                          check=True)
    status, _reason, peak = done.stdout.split()
    assert status == "ok", done.stdout
    assert int(peak) < 250 * 1000 * 1000, f"peak {int(peak) / 1e6:.0f} MB"
    assert time.monotonic() - started < 60


def slow_page(data: bytes, path: str, settings: Settings) -> Record:
    """A page function that overruns any short time limit on pages saying SLOW."""
    text = data.decode("utf-8")
    if "SLOW" in text:
        time.sleep(30)
    if not text.strip():
        raise EmptyPageError("the file has no text", path)
    return Record(extractor_version=EXTRACTOR_VERSION,
                  source=Source(path=path, sha256="0" * 64, format="text", encoding="utf-8"),
                  title=text.strip())


def test_a_page_that_timed_out_twice_is_not_retried_unless_asked(tmp_path: Path) -> None:
    """Two runs time out on the unchanged page; the third does not try it; --retry-failed does."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "pomala.txt").write_text("SLOW", encoding="utf-8")
    (root / "rychla.txt").write_text("Projekt Lhota", encoding="utf-8")
    out = tmp_path / "out"
    quick = Settings(workers=1, quiet=True, page_timeout=0.3)

    def run(settings: Settings) -> tuple[list[str], str]:
        """One run; the pages a worker was given, and stderr."""
        tried: list[str] = []
        err = io.StringIO()
        run_extract([root], out, settings, progress=StreamProgress(err), page_fn=slow_page,
                    observer=lambda outcome: tried.append(Path(outcome.path).name))
        return tried, err.getvalue()

    tried, _ = run(quick)
    assert sorted(tried) == ["pomala.txt", "rychla.txt"]
    tried, _ = run(quick)
    assert tried == ["pomala.txt"]  # timed out once: tried again
    tried, err = run(quick)
    assert tried == []  # twice: settled from the manifest
    assert "(unchanged since an earlier run; --retry-failed tries it again)" in err
    tried, _ = run(Settings(workers=1, quiet=True, page_timeout=0.3, retry_failed=True))
    assert tried == ["pomala.txt"]
    (root / "pomala.txt").write_text("SLOW, but changed", encoding="utf-8")
    tried, _ = run(quick)
    assert tried == ["pomala.txt"]  # changed bytes: tried again


# ------------------------------------------------------------ evaluate, registration numbers


def test_evaluate_on_deeply_nested_gold_is_a_malformed_gold_message(tmp_path: Path) -> None:
    """100,000 levels of nesting: the malformed-gold message and exit 2, no traceback."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "hluboka.json").write_text('{"file": "a.html", "title": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, _out, err = cli(["evaluate", str(gold), "--pages", str(tmp_path)])
    assert code == 2
    assert f"error: {gold / 'hluboka.json'}: invalid JSON: nested too deeply" in err


NUMBER = "CZ.02.3.68/0.0/0.0/16_010/0004321"
HIDDEN_IN_NUMBERS = {
    "soft-hyphen": "CZ.02.3.68/0.0/0.0/16_\u00ad010/0004321",
    "zero-width-space": "CZ.02.3.68/0.0/\u200b0.0/16_010/0004321",
    "zero-width-joiner": "CZ.02.3.\u200d68/0.0/0.0/16_010/0004321",
    "word-joiner": "CZ.02.3.68/0.0/0.0/16_010/000\u20604321",
    "bom": "CZ.02.3.68\ufeff/0.0/0.0/16_010/0004321",
    "left-to-right-mark": "CZ.02.3.68/0.0/0.0/16_010\u200e/0004321",
    "bidi-override": "CZ.02.3.68/0.0/0.0/\u202d16_010/0004321\u202c",
    "no-break-space": "CZ.02.\u00a03.68/0.0/0.0/16_010/0004321",
}


@pytest.mark.parametrize("fmt", ["txt", "html"])
@pytest.mark.parametrize("printed", HIDDEN_IN_NUMBERS.values(), ids=HIDDEN_IN_NUMBERS.keys())
def test_invisible_characters_inside_a_registration_number(printed: str, fmt: str) -> None:
    """Format characters and a no-break space inside the number: the whole number, valid."""
    line = f"Registrační číslo projektu: {printed}"
    text = (f"<html><body><h1>Projekt Lhota</h1><p>{line}</p></body></html>" if fmt == "html"
            else f"Projekt Lhota\n{line}\n")
    record = extract_bytes(text.encode(), f"cislo.{fmt}")
    assert record.registration_number is not None
    assert (record.registration_number.value, record.registration_number.valid) == (NUMBER, True)
    evidence = record.evidence["registration_number"]
    assert evidence.text.startswith("CZ.02.") and evidence.text.endswith("4321")


# ------------------------------------------------------------ links in the input tree


def test_links_out_of_the_input_folder_are_followed_only_when_asked(tmp_path: Path) -> None:
    """A link to a file outside the input folders is skipped; --follow-links reads it."""
    root = _one_page_root(tmp_path)
    secret = tmp_path / "mimo" / "tajne.html"
    secret.parent.mkdir()
    secret.write_bytes(page(title="Tajný projekt").encode())
    (root / "ven.html").symlink_to(secret)
    hidden = root / ".skryte" / "b.html"  # not walked itself: only reached by the link
    hidden.parent.mkdir()
    hidden.write_bytes(page(title="Jiný projekt").encode())
    (root / "uvnitr.html").symlink_to(hidden)
    code, err = extract(root, tmp_path / "out")
    assert code == 0, err
    assert (f"SKIPPED {root / 'ven.html'}: symbolic link to a file outside the input folders"
            in err)
    result = read_run(tmp_path / "out", code, err)
    assert set(result.records) == {str(root / "a.html"), str(root / "uvnitr.html")}
    code, err = extract(root, tmp_path / "out2", "--follow-links")
    assert code == 0, err
    assert str(root / "ven.html") in read_run(tmp_path / "out2", code, err).records


# ------------------------------------------------------------ terminal escapes in names


def test_terminal_escapes_in_file_names_are_printed_escaped(tmp_path: Path) -> None:
    """``FAILED esc/in/^[]0;…`` used to reach the terminal raw."""
    root = tmp_path / "in"
    root.mkdir()
    name = "zlo\x1b]0;titulek\x07\x1b[2J\u202e.html"
    (root / name).write_bytes(b"")
    code, err = extract(root, tmp_path / "out")
    assert code == 1
    assert f"FAILED {root}/zlo\\x1b]0;titulek\\x07\\x1b[2J\\u202e.html: " in err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err


# ------------------------------------------------------------ Ctrl-C


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    """``python -m pipeline ARGS`` in a subprocess."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args],
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# Runs ``python -m pipeline`` as -m does, with a Ctrl-C after ARGV[1] seconds counted
# from when the interpreter is up (its own start-up is Python's to handle, not ours).
CTRL_C_LATER = """
import os, runpy, signal, sys, threading
delay = float(sys.argv[1])
sys.argv = ["pipeline", *sys.argv[2:]]
timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
timer.daemon = True  # a run that ends first exits without waiting for the signal
timer.start()
runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5, 1.0, 2.0])
def test_ctrl_c_while_starting_prints_no_traceback(tmp_path: Path, delay: float) -> None:
    """SIGINT at any moment of the start: "interrupted" and 130, never a traceback."""
    root = _one_page_root(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_LATER, str(delay), "extract", str(root), "--out",
         str(tmp_path / "out"), "--quiet", "--workers", "1"],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode != 0:  # a run that ended before the signal exits 0
        assert (done.returncode, done.stderr.splitlines()[-1]) == (130, "interrupted")


@pytest.mark.slow
def test_failures_list_is_written_after_an_interrupt(tmp_path: Path) -> None:
    """Ctrl-C mid-run: failures.jsonl lists the failures the manifest already holds."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "a-prazdna.html").write_bytes(b"")
    # Enough pages that the run is still going when the failure has been committed.
    for i in range(600):
        (root / f"b-{i:03d}.html").write_bytes(page(title=f"Projekt číslo {i}").encode())
    out = tmp_path / "out"
    proc = _start(["extract", str(root), "--out", str(out), "--quiet", "--workers", "1"])

    def failed_rows() -> int:
        """Failed rows committed to the manifest so far."""
        try:
            con = sqlite3.connect(f"file:{out / MANIFEST_NAME}?mode=ro", uri=True)
            try:
                return int(con.execute("SELECT COUNT(*) FROM pages WHERE status = 'failed'")
                           .fetchone()[0])
            finally:
                con.close()
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + 120
    while failed_rows() == 0:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    listed = [json.loads(line)["path"] for line in
              (out / FAILURES_NAME).read_text(encoding="utf-8").splitlines()]
    assert listed == [str(root / "a-prazdna.html")]


# ------------------------------------------------------------ reading a folder being written


@pytest.mark.parametrize("command", ["load", "report"])
def test_load_and_report_say_the_folder_is_being_written(tmp_path: Path, command: str) -> None:
    """While an extract holds the folder, load and report stop at once naming it (exit 2)."""
    folder = write_records(tmp_path / "out", make_record("stranky/a.html"))
    argv = [command, str(folder)] + (["--out", str(tmp_path / "r.html")] if command == "report" else [])
    with lock_output(folder):
        code, _out, err = cli(argv)
    assert code == 2
    assert f"error: {folder} is being written by a run (pid {os.getpid()})" in err
    assert not (folder / "records.sqlite").exists() and not (tmp_path / "r.html").exists()
    code, _out, err = cli(argv)
    # Once the folder is free both run (the report exits 1: the record's page is not here).
    assert code == (0 if command == "load" else 1), err
    assert "being written" not in err
