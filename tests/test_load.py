"""Tests of pipeline.ingest.load: reading files, refusing non-text, choosing the encoding."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.errors import BinaryPageError, EmptyPageError, PageTooLargeError, UnreadablePageError
from pipeline.ingest.load import decode_page, detect_format, read_bytes
from pipeline.settings import Settings

SETTINGS = Settings()

# Synthetic Czech project-page text with every letter that tells the codecs apart.
CZECH = (
    "Příjemce: Město Šťáhlavy, projekt „Žluťoučký kůň“ – úpravy ďábelské zeleně, ř ň ě ů ť Ť Ž Š."
)
CZECH_8BIT = CZECH.replace("„", '"').replace("“", '"').replace("–", "-")  # iso-8859-2 has no „“–


def _html(body: str, meta: str = "") -> str:
    """A minimal page in the shape of a municipal project page."""
    return f"<html><head>{meta}<title>Projekt</title></head><body><p>{body}</p></body></html>"


@dataclass(frozen=True)
class EncodingCase:
    """Bytes, the codec the loader must report, text it must contain, an expected warning."""

    id: str
    data: bytes
    path: str
    encoding: str
    contains: str
    warning: str | None = None


META_1250 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">'
META_88592 = '<meta charset="iso-8859-2">'
META_LATIN1 = '<meta charset="iso-8859-1">'
META_UTF8 = '<meta charset="utf-8">'

ENCODING_EXAMPLES = [
    EncodingCase("utf-8 html", _html(CZECH).encode(), "a.html", "utf-8", CZECH),
    EncodingCase("utf-8 text dump", CZECH.encode(), "a.txt", "utf-8", CZECH),
    EncodingCase(
        "cp1250 without meta", _html(CZECH).encode("cp1250"), "a.html", "windows-1250", CZECH
    ),
    EncodingCase("cp1250 text dump", CZECH.encode("cp1250"), "a.txt", "windows-1250", CZECH),
    EncodingCase(
        "iso-8859-2 without meta",
        _html(CZECH_8BIT).encode("iso-8859-2"),
        "a.html",
        "iso-8859-2",
        CZECH_8BIT,
    ),
    EncodingCase(
        "iso-8859-2 text dump", CZECH_8BIT.encode("iso-8859-2"), "a.txt", "iso-8859-2", CZECH_8BIT
    ),
    EncodingCase(
        "cp1250 with its meta",
        _html(CZECH, META_1250).encode("cp1250"),
        "a.html",
        "windows-1250",
        CZECH,
    ),
    EncodingCase(
        "iso-8859-2 with its meta",
        _html(CZECH_8BIT, META_88592).encode("iso-8859-2"),
        "a.html",
        "iso-8859-2",
        CZECH_8BIT,
    ),
    EncodingCase(
        "meta says latin-1, bytes are cp1250",
        _html(CZECH, META_LATIN1).encode("cp1250"),
        "a.html",
        "windows-1250",
        CZECH,
        "meta charset lied: said iso-8859-1, used windows-1250",
    ),
    EncodingCase(
        "meta says utf-8, bytes are cp1250",
        _html(CZECH, META_UTF8).encode("cp1250"),
        "a.html",
        "windows-1250",
        CZECH,
        "meta charset lied: said utf-8, used windows-1250",
    ),
    EncodingCase(
        "meta says windows-1250, bytes are iso-8859-2",
        _html(CZECH_8BIT, META_1250).encode("iso-8859-2"),
        "a.html",
        "iso-8859-2",
        CZECH_8BIT,
        "meta charset lied: said windows-1250, used iso-8859-2",
    ),
    EncodingCase(
        "meta says windows-1250, bytes are utf-8",
        _html(CZECH, META_1250).encode(),
        "a.html",
        "utf-8",
        CZECH,
        "meta charset lied: said windows-1250, used utf-8",
    ),
    EncodingCase("utf-8 with BOM", codecs.BOM_UTF8 + CZECH.encode(), "a.txt", "utf-8-sig", CZECH),
    EncodingCase("utf-16 LE with BOM", CZECH.encode("utf-16"), "a.txt", "utf-16", CZECH),
    EncodingCase(
        "utf-16 BE with BOM",
        codecs.BOM_UTF16_BE + CZECH.encode("utf-16-be"),
        "a.txt",
        "utf-16",
        CZECH,
    ),
    EncodingCase(
        "utf-16 LE without BOM", _html(CZECH).encode("utf-16-le"), "a.html", "utf-16-le", CZECH
    ),
    EncodingCase("utf-32 with BOM", CZECH.encode("utf-32"), "a.txt", "utf-32", CZECH),
    EncodingCase(
        "mojibake: utf-8 read as cp1250 and saved as utf-8",
        "Zvýšení kvality škol – Příjemce: Město Hořice".encode().decode("cp1250").encode(),
        "a.txt",
        "utf-8",
        "Zvýšení kvality škol – Příjemce: Město Hořice",
        "mojibake repaired",
    ),
    EncodingCase(
        "mojibake: utf-8 read as latin-1 and saved as utf-8",
        "Zvýšení kvality škol, Příjemce: Město Říčany".encode()
        .decode("cp1252", errors="replace")
        .encode(),
        "a.txt",
        "utf-8",
        "Zvýšení kvality škol",
        "mojibake repaired",
    ),
    EncodingCase(
        "mixed: utf-8 lines and cp1250 lines",
        "Název: Úprava návsi\n".encode()
        + "Příjemce: Obec Želešice\n".encode("cp1250")
        + "Doba realizace: září – říjen\n".encode(),
        "a.txt",
        "windows-1250",
        "Název: Úprava návsi\nPříjemce: Obec Želešice\nDoba realizace: září – říjen",
        "mixed encodings",
    ),
]


@pytest.mark.parametrize("case", ENCODING_EXAMPLES, ids=lambda case: case.id)
def test_encoding_is_detected_and_text_decoded(case: EncodingCase) -> None:
    """Each page decodes to the expected text with the expected codec and warning."""
    page = decode_page(case.data, case.path, SETTINGS)
    assert page.encoding == case.encoding
    assert case.contains in page.text
    if case.warning is None:
        assert not any("lied" in warning or "mojibake" in warning for warning in page.warnings)
    else:
        assert any(case.warning in warning for warning in page.warnings), page.warnings


def test_mojibake_repair_leaves_correct_czech_alone() -> None:
    """Real Czech text (no mojibake) is not 'repaired' into something else."""
    page = decode_page(CZECH.encode(), "a.txt", SETTINGS)
    assert page.text == CZECH
    assert page.warnings == ()


@dataclass(frozen=True)
class BinaryCase:
    """Bytes of a non-text file and a phrase its error message must name."""

    id: str
    data: bytes
    says: str


BINARY_EXAMPLES = [
    BinaryCase("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF document"),
    BinaryCase("pdf after blank line", b"\n%PDF-1.4\n", "PDF document"),
    BinaryCase("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    BinaryCase("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    BinaryCase("gif", b"GIF89a\x01\x00\x01\x00", "GIF image"),
    BinaryCase("zip / docx", b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
    BinaryCase("gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip archive"),
    BinaryCase("bzip2", b"BZh91AY&SY\x00\x01", "bzip2 archive"),
    BinaryCase("7z", b"7z\xbc\xaf\x27\x1c\x00\x04", "7z archive"),
    BinaryCase("rar", b"Rar!\x1a\x07\x01\x00", "RAR archive"),
    BinaryCase("elf", b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
    BinaryCase("ole2 doc/xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE2"),
    BinaryCase("control-byte soup", bytes(range(32)) * 40 + b"abc", "control bytes"),
]


@pytest.mark.parametrize("case", BINARY_EXAMPLES, ids=lambda case: case.id)
def test_binary_files_are_refused(case: BinaryCase) -> None:
    """Known binary formats and control-byte soup raise BinaryPageError naming the kind."""
    with pytest.raises(BinaryPageError) as caught:
        decode_page(case.data, "download.html", SETTINGS)
    assert case.says in str(caught.value)
    assert "download.html" in str(caught.value)
    assert caught.value.reason == "binary"


EMPTY_EXAMPLES = [
    pytest.param(b"", id="no bytes"),
    pytest.param(b" \n\t\r\n  ", id="white space"),
    pytest.param(codecs.BOM_UTF8 + b"  \n", id="BOM and white space"),
    pytest.param("   \n".encode("utf-16"), id="utf-16 white space"),
]


@pytest.mark.parametrize("data", EMPTY_EXAMPLES)
def test_empty_pages_are_refused(data: bytes) -> None:
    """Empty and white-space-only pages raise EmptyPageError."""
    with pytest.raises(EmptyPageError):
        decode_page(data, "empty.txt", SETTINGS)


def test_isolated_nul_bytes_are_removed_with_a_warning() -> None:
    """A stray NUL or control byte in a text page is dropped, not fatal."""
    page = decode_page("Název projektu:\x00 Oprava\x01 školy\n".encode(), "a.txt", SETTINGS)
    assert page.text == "Název projektu: Oprava školy\n"
    assert any("control character" in warning for warning in page.warnings)


def test_newlines_are_normalised() -> None:
    """CRLF, CR and form feeds become a single \\n."""
    page = decode_page(b"a\r\nb\rc\x0cd", "a.txt", SETTINGS)
    assert page.text == "a\nb\nc\nd"


def test_sha256_is_of_the_raw_bytes() -> None:
    """The hash identifies the file as stored, before decoding."""
    data = CZECH.encode("cp1250")
    page = decode_page(data, "a.txt", SETTINGS)
    assert page.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert page.path == "a.txt"


def test_too_large_bytes_are_refused() -> None:
    """decode_page enforces the size limit too (bytes may come from elsewhere than a file)."""
    with pytest.raises(PageTooLargeError):
        decode_page(b"x" * 101, "big.html", Settings(max_page_bytes=100))


FORMAT_EXAMPLES = [
    pytest.param("a.html", "Just text", "html", id="html extension wins"),
    pytest.param("a.PHP", "<p>x</p>", "html", id="php extension, case-insensitive"),
    pytest.param(
        "a.txt", "<p>a paragraph tag in a dump</p>", "text", id="txt with a stray tag stays text"
    ),
    pytest.param("a.txt", "<!DOCTYPE html><html><body>x", "html", id="txt that is clearly html"),
    pytest.param("a.md", "# Nadpis\n\ntext", "text", id="markdown is text"),
    pytest.param("download", "  <html><body>x", "html", id="no extension, starts with <"),
    pytest.param(
        "page.cgi", "---\ntitle: x\n---\n<p>x</p>", "html", id="unknown extension, p tag early"
    ),
    pytest.param("noext", "Název projektu: x", "text", id="no extension, plain text"),
]


@pytest.mark.parametrize(("path", "text", "expected"), FORMAT_EXAMPLES)
def test_format_is_detected(path: str, text: str, expected: str) -> None:
    """Extension first, content sniffing for unknown extensions and disguised HTML."""
    assert detect_format(path, text) == expected


def test_read_bytes_reads_a_file(tmp_path: Path) -> None:
    """A readable file comes back byte for byte."""
    page = tmp_path / "p.html"
    page.write_bytes(b"<p>ok</p>")
    assert read_bytes(page, SETTINGS) == b"<p>ok</p>"


def test_read_bytes_refuses_too_large_before_reading(tmp_path: Path) -> None:
    """A file over the limit raises PageTooLargeError (checked on its size)."""
    page = tmp_path / "big.html"
    page.write_bytes(b"x" * 2000)
    with pytest.raises(PageTooLargeError) as caught:
        read_bytes(page, Settings(max_page_bytes=1000))
    assert "2000 bytes" in str(caught.value)


@pytest.mark.parametrize(
    ("grown_to", "limit", "refused"),
    [
        pytest.param(150, 1000, False, id="grew after stat, still under the limit: read whole"),
        pytest.param(1500, 1000, True, id="grew after stat past the limit: refused"),
        pytest.param(100, 100, False, id="did not grow, exactly at the limit"),
    ],
)
def test_read_bytes_reads_a_file_that_grew_after_its_stat(
    tmp_path: Path, grown_to: int, limit: int, refused: bool
) -> None:
    """The stat given (taken before the file grew) sets only how much is read at once."""
    page = tmp_path / "growing.txt"
    page.write_bytes(b"x" * 100)
    info = os.stat(page)
    page.write_bytes(b"x" * grown_to)
    if refused:
        with pytest.raises(PageTooLargeError):
            read_bytes(page, Settings(max_page_bytes=limit), info)
    else:
        assert read_bytes(str(page), Settings(max_page_bytes=limit), info) == b"x" * grown_to


def _symlink_loop(tmp_path: Path) -> Path:
    """Two symlinks pointing at each other."""
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    first.symlink_to(second)
    second.symlink_to(first)
    return first


def _fifo(tmp_path: Path) -> Path:
    """A named pipe, which would block a plain open()."""
    pipe = tmp_path / "pipe.html"
    os.mkfifo(pipe)
    return pipe


UNREADABLE_EXAMPLES = [
    pytest.param(lambda tmp: tmp / "missing.html", "no such file", id="missing"),
    pytest.param(lambda tmp: tmp, "is a directory", id="directory"),
    pytest.param(_symlink_loop, "symlink loop", id="symlink loop"),
    pytest.param(_fifo, "not a regular file", id="named pipe"),
]


@pytest.mark.parametrize(("make", "reason"), UNREADABLE_EXAMPLES)
def test_unreadable_files_name_the_reason(make, reason: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Missing files, directories and symlink loops raise UnreadablePageError with a reason."""
    with pytest.raises(UnreadablePageError) as caught:
        read_bytes(make(tmp_path), SETTINGS)
    assert reason in str(caught.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    """A file without read permission raises UnreadablePageError naming permissions."""
    page = tmp_path / "secret.html"
    page.write_bytes(b"<p>x</p>")
    page.chmod(0)
    try:
        with pytest.raises(UnreadablePageError) as caught:
            read_bytes(page, SETTINGS)
        assert "permission denied" in str(caught.value)
    finally:
        page.chmod(0o600)


def test_binary_control_count_is_the_byte_by_byte_count() -> None:
    """The translate-based count of control bytes equals the plain per-byte count."""
    from pipeline.ingest.load import _ALLOWED_CONTROLS, _NOT_BINARY_CONTROL_BYTES

    samples = [bytes(range(256)), os.urandom(4096), b"\x00\x01\t\n\r\x0b\x0c\x1b text \x1f"]
    for sample in samples:
        expected = sum(1 for byte in sample if byte < 0x20 and byte not in _ALLOWED_CONTROLS)
        assert len(sample.translate(None, _NOT_BINARY_CONTROL_BYTES)) == expected
