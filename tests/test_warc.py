"""Web archives through the CLI: WARC, gzipped WARC and WACZ files the tests write with warcio."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import iter_records
from pipeline.cli import main

# Invented pages; the first is windows-1250 with its charset only in the HTTP header.
LIPOVA = ("<html><head><title>Lipová</title></head><body><h1>Modernizace učeben ZŠ Lipová</h1>"
          "<p>Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0014027</p>"
          "<p>Projekt je spolufinancován Evropskou unií.</p></body></html>")
HABROVA = ("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
           "<h1>Obecní zpravodaj</h1><p>V sobotu se konal hasičský bál.</p></body></html>")


def _warc(gzip: bool) -> bytes:
    """A small crawl: two HTML pages, a 404, an image, and a request record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)

    def response(url: str, status: str, content_type: str, body: bytes) -> None:
        """Append one response record."""
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))

    writer.write_record(writer.create_warc_record(
        "https://obec.example/lipova", "request", payload=io.BytesIO(b"GET /lipova HTTP/1.1\r\n\r\n")))
    response("https://obec.example/lipova", "200 OK", "text/html; charset=windows-1250",
             LIPOVA.encode("cp1250"))
    response("https://obec.example/habrova", "200 OK", "text/html", HABROVA.encode("utf-8"))
    response("https://obec.example/chybi", "404 Not Found", "text/html", b"<html>nic</html>")
    response("https://obec.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
    return buffer.getvalue()


def _records(out: Path) -> dict[str, dict[str, object]]:
    """Records by source.url."""
    found = {}
    for file in out.glob("*.json"):
        record = json.loads(file.read_text(encoding="utf-8"))
        found[record["source"]["url"]] = record
    return found


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_html_responses_of_a_warc_become_records(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """One record per HTML 200 response; the others are counted; reruns skip unchanged ones."""
    archive = tmp_path / name
    archive.write_bytes(_warc(gzip=name.endswith(".gz")))
    out = tmp_path / "out"
    assert main(["extract", str(archive), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "4 inputs: 2 records, 0 failed, 2 skipped" in err
    assert "web archive record: HTTP status 404 1, web archive record: not HTML 1" in err
    records = _records(out)
    assert sorted(records) == ["https://obec.example/habrova", "https://obec.example/lipova"]
    lipova = records["https://obec.example/lipova"]
    source = lipova["source"]
    assert isinstance(source, dict)
    assert source["encoding"] == "windows-1250"  # the HTTP header's charset
    assert source["path"].startswith(f"{archive}#") and source["path"][len(str(archive)) + 1:].isdigit()
    assert lipova["title"] == "Modernizace učeben ZŠ Lipová"
    assert lipova["page_kind"] == "project"
    assert records["https://obec.example/habrova"]["page_kind"] == "not-project"

    assert main(["extract", str(archive), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert "new 0, changed 0, re-extracted 0, unchanged 2" in capsys.readouterr().err


def test_a_wacz_and_an_archive_found_in_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """WACZ members under archive/ are read; archives inside input folders too."""
    crawl = tmp_path / "in"
    crawl.mkdir()
    with zipfile.ZipFile(crawl / "site.wacz", "w") as wacz:
        wacz.writestr(zipfile.ZipInfo("archive/data.warc.gz"), _warc(gzip=True))
        wacz.writestr("datapackage.json", "{}")
    out = tmp_path / "out"
    assert main(["extract", str(crawl), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    paths = sorted(str(r["source"]["path"]) for r in _records(out).values())  # type: ignore[index]
    assert len(paths) == 2
    assert all(p.startswith(f"{crawl / 'site.wacz'}#archive/data.warc.gz#") for p in paths)


def test_an_unreadable_archive_is_reported_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes that are no WARC: one skip naming the problem, the run goes on."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.warc.gz").write_bytes(b"\x1f\x8b not really gzip")
    (tmp_path / "in" / "a.txt").write_text("Projekt A", encoding="utf-8")
    code = main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet",
                 "--workers", "1"])
    assert code == 0
    err = capsys.readouterr().err
    assert "1 records, 0 failed, 1 skipped" in err
    assert "web archive cannot be read" in err


def test_a_changed_archive_redoes_only_changed_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records are keyed on the archive and offset; unchanged payloads are not redone."""
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(_warc(gzip=True))
    out = tmp_path / "out"
    assert main(["extract", str(archive), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    capsys.readouterr()
    with archive.open("ab") as handle:  # a later crawl appended one more page
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://obec.example/nova", "response", payload=io.BytesIO(b"<html>Projekt</html>"),
            http_headers=headers))
        handle.write(buffer.getvalue())
    assert main(["extract", str(archive), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert "new 1, changed 0, re-extracted 0, unchanged 2" in capsys.readouterr().err


def test_globs_apply_to_archives_and_the_library_reads_them(tmp_path: Path) -> None:
    """--exclude skips an archive found in a folder; iter_records reads its pages."""
    crawl = tmp_path / "in"
    crawl.mkdir()
    (crawl / "crawl.warc.gz").write_bytes(_warc(gzip=True))
    (crawl / "a.txt").write_text("Projekt A", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(crawl), "--out", str(out), "--quiet", "--workers", "1",
                 "--exclude", "*.warc.gz"]) == 0
    assert len(list(out.glob("*.json"))) == 1
    urls = sorted(str(r.source.url) for r in iter_records([crawl]) if r.source.url)
    assert urls == ["https://obec.example/habrova", "https://obec.example/lipova"]


def test_report_shows_the_text_of_archived_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report reads a record's page back out of its archive, from any folder."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "crawl.warc.gz").write_bytes(_warc(gzip=True))
    monkeypatch.chdir(tmp_path)
    assert main(["extract", "in", "--out", "out", "--quiet", "--workers", "1"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["report", str(tmp_path / "out"), "--out", "report.html"]) == 0
    assert "not found" not in capsys.readouterr().err
    html = (elsewhere / "report.html").read_text(encoding="utf-8")
    assert '"withoutText":0' in html.replace(" ", "")
    assert "Modernizace učeben ZŠ Lipová" in html
