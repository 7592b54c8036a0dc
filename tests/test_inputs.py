"""Which files of a folder are pages: by name, by content, by --include/--exclude (through the CLI)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_cli_extract import fake_page

from pipeline import core
from pipeline.cli import main
from pipeline.ingest.inputs import InputSelection, looks_like_html


@pytest.fixture(autouse=True)
def _fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked, so patching the parent's pipeline.core reaches them (they import the page stages from it)."""
    monkeypatch.setattr(core, "extract_bytes_records",
                        lambda data, path, settings, sha256=None: [fake_page(data, path, settings)])
    monkeypatch.setattr(core, "warm_up", lambda: None)


# A saved site: pages beside what a crawl also stores.
SITE = {
    "index.html": "<html><body>Projekt Lipová</body></html>",
    "projekt.txt": "Projekt Habrová",
    "sub/detail.php": "<html><body>Projekt Dubová</body></html>",
    "sub/stranka": "<!DOCTYPE html><html><body>Projekt Jedlová</body></html>",
    "sub/stranka.html.1": "<html><body>Projekt Buková</body></html>",
    "gold/projekt.json": '{"title": "Projekt Habrová"}',
    "css/styl.css": "body { color: black }",
    "js/app.js": "console.log('ahoj')",
    "robots.txt": "User-agent: *\nDisallow:",
    "POZNAMKY": "poznámky k webu",
    "sitemap.xml": "<?xml version='1.0'?><urlset></urlset>",
}


def _site(root: Path) -> Path:
    """Write the invented site under ``root``."""
    for name, text in SITE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _sources(out: Path) -> list[str]:
    """The records' source paths relative to the site, sorted."""
    paths = [json.loads(p.read_text(encoding="utf-8"))["source"]["path"] for p in out.glob("*.json")]
    return sorted(Path(p).relative_to(out.parent / "site").as_posix() for p in paths)


def test_only_page_files_become_records_and_the_rest_is_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pages by name or by content; every skipped file is counted with its reason."""
    site = _site(tmp_path / "site")
    assert main(["extract", str(site), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert _sources(tmp_path / "out") == [
        "index.html", "projekt.txt", "sub/detail.php", "sub/stranka", "sub/stranka.html.1"]
    err = capsys.readouterr().err
    assert "11 inputs: 5 records, 0 failed, 6 skipped" in err
    assert ("not a page file (.css) 1, not a page file (.js) 1, not a page file (.json) 1,"
            " not a page file (.xml) 1, not a page file (by name) 1,"
            " not a page file (no page extension, content not HTML) 1") in err
    assert "SKIPPED" not in err  # counted, not listed one by one


def test_a_file_given_by_name_is_always_taken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Naming a file is asking for it: ``POZNAMKY`` given alone is read."""
    site = _site(tmp_path / "site")
    assert main(["extract", str(site / "POZNAMKY"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert _sources(tmp_path / "out") == ["POZNAMKY"]


@dataclass(frozen=True)
class GlobCase:
    """Globs given and the files that become records."""

    id: str
    args: tuple[str, ...]
    records: tuple[str, ...]


GLOBS = [
    GlobCase("include replaces the page rule", ("--include", "*.json"), ("gold/projekt.json",)),
    GlobCase("include on the path under the folder", ("--include", "sub/*"),
             ("sub/detail.php", "sub/stranka", "sub/stranka.html.1")),
    GlobCase("exclude on top of the page rule", ("--exclude", "sub/*"), ("index.html", "projekt.txt")),
    GlobCase("both, repeated", ("--include", "*.html", "--include", "*.txt", "--exclude", "projekt*"),
             ("index.html", "robots.txt")),
]


@pytest.mark.parametrize("case", GLOBS, ids=lambda c: c.id)
def test_include_and_exclude_globs(case: GlobCase, tmp_path: Path) -> None:
    """--include takes only what it matches; --exclude skips what it matches."""
    site = _site(tmp_path / "site")
    assert main(["extract", str(site), "--out", str(tmp_path / "out"), "--quiet", *case.args]) == 0
    assert _sources(tmp_path / "out") == list(case.records)


SNIFF = [
    (b"<!DOCTYPE html><html>", True),
    (b"\xef\xbb\xbf\n  <html lang='cs'>", True),
    ("\ufeff<html>".encode("utf-16-le"), True),
    (b"<HEAD><TITLE>x</TITLE>", True),
    (b"<?xml version='1.0'?><rss>", False),
    (b"{\"title\": \"x\"}", False),
    (b"%PDF-1.4", False),
    (b"", False),
]


@pytest.mark.parametrize(("head", "html"), SNIFF)
def test_content_sniffing(head: bytes, html: bool) -> None:
    """The first bytes decide for files whose name does not."""
    assert looks_like_html(head) is html


def test_selection_reasons_name_the_rule(tmp_path: Path) -> None:
    """Each skip says which rule made it."""
    selection = InputSelection.from_globs(exclude=["*.tmp"])
    (tmp_path / "a.tmp").write_text("<html>", encoding="utf-8")
    assert selection.skip_reason(str(tmp_path / "a.tmp"), "a.tmp") == "excluded by --exclude"
    assert InputSelection.from_globs(include=["*.htm"]).skip_reason("x/a.html", "a.html") == (
        "not matched by --include")
