"""The library API: ``extract_page`` and ``iter_records``, called as a user's code would."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline import EmptyPageError, PageError, Record, UsageError, extract_page, iter_records

PAGE_TEXT = (
    "Název projektu: Zahrada pro všechny\n"
    "Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0014027\n"
    "Projekt je spolufinancován Evropskou unií.\n"
)
PAGE_HTML = (
    "<html><head><meta charset='windows-1250'><title>Zahrada</title></head><body>"
    "<h1>Zahrada pro všechny</h1><p>Registrační číslo projektu: "
    "CZ.02.3.68/0.0/0.0/18_063/0014027</p><p>Projekt je spolufinancován Evropskou unií.</p>"
    "</body></html>"
)


def test_text_bytes_and_path_give_the_same_values(tmp_path: Path) -> None:
    """One page as text, as bytes and as a file: the same fields."""
    page = tmp_path / "zahrada.txt"
    page.write_text(PAGE_TEXT, encoding="utf-8")
    records = [extract_page(PAGE_TEXT), extract_page(PAGE_TEXT.encode("utf-8")), extract_page(page)]
    assert all(isinstance(r, Record) for r in records)
    assert {r.title for r in records} == {"Zahrada pro všechny"}
    assert {r.registration_number.value for r in records if r.registration_number} == {
        "CZ.02.3.68/0.0/0.0/18_063/0014027"}
    assert [r.source.path for r in records] == ["<memory>", "<memory>", str(page)]
    assert {r.page_kind for r in records} == {"project"}


def test_html_bytes_in_their_declared_encoding() -> None:
    """Raw bytes are decoded as the page says (windows-1250 here)."""
    record = extract_page(PAGE_HTML.encode("cp1250"), url="https://obec.example/zahrada",
                          path="zahrada.html")
    assert (record.source.format, record.source.encoding) == ("html", "windows-1250")
    assert record.source.url == "https://obec.example/zahrada"
    assert record.source.path == "zahrada.html"
    assert record.registration_number is not None


def test_a_str_is_content_never_a_file_name(tmp_path: Path) -> None:
    """A string naming a file is read as a (non-project) page, not opened."""
    page = tmp_path / "zahrada.txt"
    page.write_text(PAGE_TEXT, encoding="utf-8")
    record = extract_page(str(page))
    assert record.title is None and record.page_kind == "not-project"


def test_bad_pages_and_bad_arguments_raise_named_errors() -> None:
    """An empty page raises EmptyPageError; a wrong type is a usage error."""
    with pytest.raises(EmptyPageError):
        extract_page(b"   ")
    with pytest.raises(UsageError, match="not int"):
        extract_page(42)  # type: ignore[arg-type]


def test_iter_records_walks_folders_for_pages(tmp_path: Path) -> None:
    """Page files only, in the order extract finds them; a failing page raises unless on_error is given."""
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(PAGE_TEXT, encoding="utf-8")
    (tmp_path / "b" / "c.html").write_text(PAGE_HTML, encoding="utf-8")
    (tmp_path / "b" / "styl.css").write_text("body { color: red }", encoding="utf-8")
    (tmp_path / "prazdna.txt").write_text("", encoding="utf-8")
    failed: list[PageError] = []
    records = list(iter_records([tmp_path], on_error=failed.append))
    assert [Path(r.source.path).name for r in records] == ["a.txt", "c.html"]
    assert [Path(e.path or "").name for e in failed] == ["prazdna.txt"]
    with pytest.raises(EmptyPageError):
        list(iter_records([tmp_path]))
    with pytest.raises(UsageError, match="input not found"):
        list(iter_records([tmp_path / "nic"]))


def test_the_api_is_small() -> None:
    """Only the documented calls, the record and settings types, versions and errors."""
    functions = sorted(n for n in pipeline.__all__ if callable(getattr(pipeline, n))
                       and not isinstance(getattr(pipeline, n), type))
    assert functions == ["extract_page", "iter_records"]
