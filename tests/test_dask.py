"""The Dask engine: same records, same bookkeeping and no lost page when a worker dies.

One two-worker ``LocalCluster`` (worker processes, so that a page can kill its worker)
serves the whole module; the runs connect to it by address, as they would to a real
scheduler. The pages are small synthetic Czech pages written for these tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from pipeline.errors import EmptyPageError, UsageError
from pipeline.records import Record, Source
from pipeline.run.batch import FAILURES_NAME, BatchSummary, run_extract
from pipeline.run.manifest import MANIFEST_NAME
from pipeline.run.progress import StreamProgress
from pipeline.run.task import PageTask
from pipeline.settings import EXTRACTOR_VERSION, Settings

dask_engine = pytest.importorskip("pipeline.run.dask_engine")

SETTINGS = Settings(workers=2, quiet=True, page_timeout=10.0)


@dataclass(frozen=True)
class Page:
    """One input file of a test run."""

    name: str
    data: bytes


# Written for these tests in the shape of Czech project pages: an HTML project page, a
# plain-text one, a school's page of two projects, a page without project facts, and two
# pages that must fail.
SYNTHETIC_PAGES = [
    Page("skola/modernizace-dilen.html", """<!doctype html><html lang="cs"><head>
<meta charset="utf-8"><title>Modernizace dílen | Střední škola Dolní Lhota</title></head>
<body><nav><a href="/">Úvod</a> | <a href="/projekty">Projekty</a></nav>
<h1>Modernizace odborných dílen</h1>
<p>Registrační číslo projektu: CZ.02.1.01/0.0/0.0/16_013/0001234</p>
<p>Příjemce: Střední průmyslová škola Dolní Lhota, příspěvková organizace</p>
<p>Doba realizace: 1. 9. 2017 – 31. 8. 2019</p>
<h2>Cíl projektu</h2><p>Cílem projektu je vybavit dílny novými obráběcími stroji.</p>
<p>Celkové způsobilé výdaje: 4 500 000,00 Kč</p>
<footer>© 2019 SPŠ Dolní Lhota</footer></body></html>""".encode()),
    Page("obec/zamestnanost.txt", """Podpora zaměstnanosti v regionu Horní Ves
Operační program Zaměstnanost
Registrační číslo: CZ.03.1.48/0.0/0.0/15_121/0004567
Výše podpory: 1 250 000,00 Kč
Projekt probíhá od 1. 1. 2018 do 31. 12. 2020.
""".encode()),
    Page("obec/cesta.html", """<html><head><meta charset="windows-1250">
<title>Oprava polní cesty</title></head><body><h1>Oprava polní cesty v katastru obce</h1>
<p>Projekt je spolufinancován Evropskou unií z Programu rozvoje venkova.</p>
<p>Dotace: 812 300 Kč</p></body></html>""".encode("cp1250")),
    Page("skola/projekty.txt", """Projekty EU
Škola realizuje tyto projekty spolufinancované Evropskou unií.
Šablony I. „Společné čtení“
Registrační číslo projektu: CZ.02.3.68/0.0/0.0/16_022/0001111
Datum zahájení projektu: 1. 1. 2017
Částka schválené podpory: 900 000 Kč
Šablony II. „Společné psaní“
Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0002222
Datum zahájení projektu: 1. 1. 2019
Částka schválené podpory: 1 200 000 Kč
""".encode()),
    Page("kontakt.html", """<html><head><meta charset="utf-8"><title>Kontakty</title></head>
<body><h1>Kontakty</h1><p>Obecní úřad, Náměstí 1, tel. 123 456 789</p></body></html>""".encode()),
    Page("prazdna.txt", b"   \n"),
    Page("sken.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
]


def _write(folder: Path, pages: list[Page]) -> Path:
    """Write the pages under ``folder``."""
    for page in pages:
        target = folder / page.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.data)
    return folder


def _files(out: Path) -> dict[str, bytes]:
    """Every record file of an output folder, by name."""
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}


def _manifest_rows(out: Path) -> list[tuple[Any, ...]]:
    """The manifest's rows without columns that hold times of day."""
    import sqlite3

    with sqlite3.connect(out / MANIFEST_NAME) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM pages ORDER BY path").fetchall()
    return [tuple(v for k, v in zip(r.keys(), tuple(r)) if not k.endswith("_at")) for r in rows]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Address of a two-worker local cluster shared by the module."""
    with dask_engine.local_cluster(2, processes=True) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def real_pipeline() -> None:
    """Skip when the real per-page function cannot be imported yet."""
    try:
        import pipeline.core  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - extraction modules are written concurrently
        pytest.skip(f"pipeline.core is not importable yet: {exc}")


def _extract(root: Path, out: Path, **kwargs: Any) -> tuple[BatchSummary, str]:
    """One batch run; returns the summary and what it reported."""
    err = io.StringIO()
    summary = run_extract([root], out, SETTINGS, progress=StreamProgress(err), **kwargs)
    return summary, err.getvalue()


# ---------------------------------------------------------------------------- real pages


def test_records_identical_to_local_engine(
    tmp_path: Path, scheduler: str, real_pipeline: None
) -> None:
    """Record files, manifest and failure listing match the local engine's, byte for byte."""
    root = _write(tmp_path / "in", SYNTHETIC_PAGES)
    local, _ = _extract(root, tmp_path / "local")
    on_dask, _ = _extract(root, tmp_path / "dask", engine="dask", scheduler=scheduler)

    assert local.records == on_dask.records == 5
    assert local.failed == on_dask.failed == 2
    assert _files(tmp_path / "local") == _files(tmp_path / "dask")
    # The page of two projects gives one record file per project on either engine.
    assert sorted(n.rsplit(".", 2)[1] for n in _files(tmp_path / "dask") if n.startswith("projekty-")) == [
        "p1", "p2"]
    assert (tmp_path / "local" / FAILURES_NAME).read_bytes() == (
        tmp_path / "dask" / FAILURES_NAME).read_bytes()
    assert _manifest_rows(tmp_path / "local") == _manifest_rows(tmp_path / "dask")
    assert local.field_counts == on_dask.field_counts


def test_incremental_rerun_on_dask(tmp_path: Path, scheduler: str, real_pipeline: None) -> None:
    """A rerun redoes only the changed page and keeps listing the failed ones."""
    root = _write(tmp_path / "in", SYNTHETIC_PAGES)
    out = tmp_path / "out"
    first, _ = _extract(root, out, engine="dask", scheduler=scheduler)
    assert (first.new, first.failed) == (5, 2)

    changed = root / "obec" / "zamestnanost.txt"
    changed.write_bytes(changed.read_bytes() + "Příjemce: Obec Horní Ves\n".encode())
    second, report = _extract(root, out, engine="dask", scheduler=scheduler)
    assert (second.new, second.changed, second.unchanged) == (0, 1, 4)
    assert (second.failed, second.failed_earlier) == (2, 2)
    listed = [json.loads(line)["path"] for line in
              (out / FAILURES_NAME).read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(p).name for p in listed) == ["prazdna.txt", "sken.html"]
    assert "unchanged since an earlier run" in report


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    """A wrong address stops the run with a message naming it."""
    tasks = iter([PageTask(str(tmp_path / "page.txt"))])
    with pytest.raises(UsageError, match="tcp://127.0.0.1:9"):
        next(dask_engine.run_pages(tasks, SETTINGS, scheduler="tcp://127.0.0.1:9",
                                   connect_seconds=1.0))


def test_workers_of_another_version_are_refused(
    tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records carry the worker's version and the manifest the client's: they must agree."""
    monkeypatch.setattr(dask_engine, "EXTRACTOR_VERSION", "0000.00.00-0")
    tasks = iter([PageTask(str(tmp_path / "page.txt"))])
    with pytest.raises(UsageError, match=f"run extractor version {EXTRACTOR_VERSION}"):
        next(dask_engine.run_pages(tasks, SETTINGS, scheduler=scheduler))


# ---------------------------------------------------------------------------- dying workers


def stand_in_page(data: bytes, path: str, settings: Settings) -> Record:
    """A stand-in for extract_bytes whose pages can kill their worker.

    ``KILL-ONCE <marker>`` kills the worker unless the marker file exists (and creates
    it first); ``KILL-ALWAYS`` kills every worker that tries the page.
    """
    text = data.decode("utf-8")
    if not text.strip():
        raise EmptyPageError("the file has no text", path)
    first = text.splitlines()[0].strip()
    if first.startswith("KILL-ONCE "):
        marker = Path(first.removeprefix("KILL-ONCE "))
        if not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
    if first == "KILL-ALWAYS":
        os.kill(os.getpid(), signal.SIGKILL)
    return Record(
        extractor_version=EXTRACTOR_VERSION,
        source=Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="text",
                      encoding="utf-8"),
        title=first,
    )


def _numbered(folder: Path, count: int) -> list[Path]:
    """``count`` harmless pages."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"projekt-{i:02d}.txt"
        path.write_text(f"Projekt číslo {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_page_that_kills_its_worker_once_is_retried(tmp_path: Path, scheduler: str) -> None:
    """The pages of a batch lost with its worker all come back, the culprit included."""
    paths = _numbered(tmp_path / "in", 6)
    killer = tmp_path / "in" / "zabijak.txt"
    killer.write_text(f"KILL-ONCE {tmp_path / 'killed.marker'}\n", encoding="utf-8")
    paths.insert(3, killer)

    outcomes = list(dask_engine.run_pages(
        (PageTask(str(p)) for p in paths), SETTINGS, scheduler=scheduler,
        page_fn=stand_in_page, batch_pages=4,
    ))

    assert (tmp_path / "killed.marker").exists()  # the worker really died once
    assert sorted(o.path for o in outcomes) == sorted(str(p) for p in paths)
    assert {o.status for o in outcomes} == {"ok"}


def test_page_that_always_kills_is_failed_alone(tmp_path: Path, scheduler: str) -> None:
    """Through the whole batch: the culprit is listed as failed, its neighbours written."""
    root = tmp_path / "in"
    _numbered(root, 5)
    (root / "jed.txt").write_text("KILL-ALWAYS\n", encoding="utf-8")
    summary, report = _extract(
        root, tmp_path / "out", engine="dask", scheduler=scheduler, page_fn=stand_in_page
    )

    failures = [json.loads(line) for line in
                (tmp_path / "out" / FAILURES_NAME).read_text(encoding="utf-8").splitlines()]
    assert [(Path(f["path"]).name, f["reason"], f["message"]) for f in failures] == [
        ("jed.txt", "worker-crashed", failures[0]["message"])]
    assert (summary.records, summary.failed) == (5, 1)
    assert "2 times" in failures[0]["message"]
    assert "FAILED" in report and "jed.txt" in report
