"""Bytes to text: read a page file, refuse non-text, pick the encoding, repair mojibake.

Czech pages are often windows-1250 or iso-8859-2 with a missing or wrong ``<meta
charset>``, which generic detectors confuse (š read as ą, ž as ľ). So candidate
decodings are compared by how Czech they look, and a meta tag that contradicts the
bytes is overridden with a warning.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.errors import BinaryPageError, EmptyPageError, PageTooLargeError, UnreadablePageError
from pipeline.settings import Settings
from pipeline.vocab import load_data

__all__ = [
    "PAGE_ENCODINGS",
    "LoadedPage",
    "decode_page",
    "detect_format",
    "escape_controls",
    "read_bytes",
    "remove_unsafe_characters",
]


@dataclass(frozen=True, slots=True)
class LoadedPage:
    """A page decoded to text, with what was learned while decoding it."""

    path: str
    sha256: str
    format: Literal["html", "text"]
    encoding: str
    text: str
    warnings: tuple[str, ...] = ()


# Signatures of formats people save next to web pages; checked on the first bytes only.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or an Office/OpenDocument file)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office (OLE2) document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media file"),
    (b"fLaC", "FLAC audio file"),
    (b"ID3", "MP3 audio file"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)
# All signatures at once: one C call rules out every magic on a text page.
_MAGIC_PREFIXES = tuple(magic for magic, _what in _MAGIC)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio file", b"AVI ": "AVI video"}

# Order matters: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
_BOM_PREFIXES = tuple(bom for bom, _codec, _name in _BOMS)

_TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown"})
_HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".shtml", ".jsp"})

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,600}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")
_HTML_START = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_HTML_EARLY = re.compile(r"<(?:html|body|p|div|head|table|h[1-6])[\s>/]", re.IGNORECASE)

_CZECH_LETTERS = re.compile("[áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]")
# What Czech text looks like when decoded with the wrong 8-bit codec: iso-8859-2 read
# as cp1250 gives ą/ľ/»/©, cp1250 read as iso-8859-2 gives C1 controls, either read as
# windows-1252 gives è/ø/ì/ù/ò/ï.
# Letters in both Czech 8-bit codecs but in no Western one: evidence the page is Czech.
_CZECH_ONLY = re.compile("[čďěňřťůČĎĚŇŘŤŮ]")
_MIN_CZECH_EVIDENCE = 3
_IMPLAUSIBLE = re.compile("[ąľśźĺŕţşĄĽŚŹĹŔŢŞèøìùòïðõþãåæ¹¾»«¦µ\x80-\x9f\ufffd]")
_MOJIBAKE_RUN = re.compile("[\x80-\xff\u0100-\u017f\u02c6-\u02dd\u2013-\u203a\u20ac\u2122]{2,}")
_CONTINUATION = "[\x80-\xbf\u0100-\u017f\u02c6-\u02dd\u2013-\u203a\u20ac\u2122]"
# UTF-8 lead bytes C2-C5 (Czech letters, NBSP) and E2 (dashes, quotes) as cp1250/latin-1
# show them; none of these pairs occurs in real Czech text.
_MOJIBAKE_MARKER = re.compile(f"[ÂÃÄÅĂĹ]{_CONTINUATION}|â{_CONTINUATION}{{2}}")
# What must never reach a record, whatever path brought it in (a byte, a decoder, an HTML
# entity): C0 and C1 controls but tab and newline (terminal escapes, NUL that PostgreSQL
# refuses), lone surrogates (no UTF-8 encoder writes them) and the bidi embeddings,
# overrides and isolates that make a value display as something else.
_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# The codecs a page may be decoded with (pipeline/data/encodings.json says why).
PAGE_ENCODINGS: frozenset[str] = frozenset(load_data("encodings.json")["encodings"])
_RARE_NEWLINES = ("\x0b", "\x0c", "\x85", "\u2028", "\u2029")
# bytes.translate deletes these, leaving only control bytes: a fast "any controls?" test.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 0x20 or b == 0x7F) or b in b"\t\n\r")
_MOJIBAKE_LEADS = "ÂÃÄÅĂĹâ"

_SNIFF_BYTES = 8192
_META_WINDOW = 4096
_BINARY_CONTROL_RATIO = 0.10
_DETECT_BYTES = 200_000
# A stray NUL or two inside a long page is noise; this many control bytes per byte
# in the sniff window means the file is not text.
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\x0c\x0b\x1b")
# bytes.translate deletes these, leaving the control bytes that count against a page.
_NOT_BINARY_CONTROL_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in _ALLOWED_CONTROLS)
# WHATWG: pages labelled latin-1/ascii are decoded as windows-1252.
_LABEL_ALIASES = {"iso-8859-1": "windows-1252", "ascii": "windows-1252"}


def read_bytes(
    path: Path | str, settings: Settings, info: os.stat_result | None = None
) -> bytes:
    """Read one page file; refuse it before reading when it is too large.

    ``info`` is the file's stat when the caller already has it (one system call less).
    """
    name = str(path)
    if info is None:
        try:
            info = os.stat(path)
        except OSError as exc:
            raise UnreadablePageError(_os_reason(exc), name) from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnreadablePageError("is a directory, not a page file", name)
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO or device would block or read forever.
        raise UnreadablePageError("is not a regular file (pipe, socket or device)", name)
    if info.st_size > settings.max_page_bytes:
        raise PageTooLargeError(_too_large(info.st_size, settings), name)
    try:
        with open(path, "rb") as handle:
            # One byte more than stat said, so a file that grew after stat() is seen:
            # asking for the whole limit at once would allocate it (60 MB) every time.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(settings.max_page_bytes + 1 - len(data))
    except OSError as exc:
        raise UnreadablePageError(_os_reason(exc), name) from exc
    if len(data) > settings.max_page_bytes:
        raise PageTooLargeError(_too_large(len(data), settings), name)
    return data


def decode_page(
    data: bytes, path: str, settings: Settings, *, charset: str | None = None
) -> LoadedPage:
    """Decode raw page bytes to text; raises EmptyPageError, BinaryPageError, PageTooLargeError.

    ``charset`` is the one an HTTP header declared (a web archive's response): it is
    taken as the page's own declaration, before any ``<meta charset>``.
    """
    if len(data) > settings.max_page_bytes:
        raise PageTooLargeError(_too_large(len(data), settings), path)
    if not data or data.isspace():
        raise EmptyPageError("the file is empty or only white space", path)
    # Both the binary check and the decoder ask for these; each is a scan of the head.
    bom = _bom(data)
    utf16 = None if bom is not None else _utf16_without_bom(data)
    _refuse_binary(data, path, unicode_marked=bom is not None or utf16 is not None)
    warnings: list[str] = []
    digest = hashlib.sha256(data).hexdigest()
    full_size = len(data)
    # Only the part of a huge page that is read is decoded: a worker holding a 60 MB
    # page and its decoded copies (and the decoder's) would pass its memory budget.
    data = _bound_bytes(data, settings.max_text_chars, wide=bom is not None or utf16 is not None)
    text, encoding = _decode(data, warnings, bom, utf16, charset)
    text = _normalise_newlines(text)
    # ASCII text holds only what its bytes held; other text may hold what a decoder made.
    if data.translate(None, _NOT_CONTROL_BYTES) or not text.isascii():
        text, removed = remove_unsafe_characters(text)
        if removed:
            warnings.append(f"removed {removed} control character(s)")
    text, repaired = repair_mojibake(text)
    if repaired:
        warnings.append("mojibake repaired")
    if not text or text.isspace():
        raise EmptyPageError("the file has no text after decoding", path)
    fmt = detect_format(path, text)
    if len(text) > settings.max_text_chars or len(data) < full_size:
        # Project facts sit near the top of a page; reading a 50 MB page whole would only
        # make it a timeout. Cut at a line or tag boundary so the markup stays parseable.
        cut = max(text.rfind("\n", 0, settings.max_text_chars), text.rfind(">", 0, settings.max_text_chars))
        text = text[: cut + 1 if cut > 0 else settings.max_text_chars]
        warnings.append(f"page truncated: only the first {len(text):,} characters are read")
    text = _bound_parts(text, fmt, settings.max_page_parts, warnings)
    return LoadedPage(path, digest, fmt, encoding, text, tuple(warnings))


def _bound_bytes(data: bytes, max_chars: int, *, wide: bool) -> bytes:
    """The bytes that can hold the first ``max_chars`` characters, cut where no character
    is split (after a newline or ``>``); all of ``data`` when it is that short.

    ``wide``: UTF-16/32 (four bytes cover any character; cut on a four-byte boundary).
    """
    if wide:
        limit = 4 * max_chars
        return data if len(data) <= limit else data[:limit]
    # A character takes at least one byte in the 8-bit codecs and UTF-8, so this many
    # bytes always hold ``max_chars`` characters or more.
    if len(data) <= max_chars:
        return data
    cut = max(data.rfind(b"\n", 0, max_chars), data.rfind(b">", 0, max_chars))
    return data[: cut + 1 if cut > 0 else max_chars]


def _bound_parts(text: str, fmt: str, limit: int, warnings: list[str]) -> str:
    """The page up to its ``limit``-th tag (HTML) or line (text): what a worker builds
    (tree nodes, blocks) grows with those, and must stay within its memory."""
    mark = "<" if fmt == "html" else "\n"
    # str.count is one C pass: normal pages pay nothing else.
    if limit <= 0 or text.count(mark) <= limit:
        return text
    cut = -1
    for _ in range(limit):
        cut = text.find(mark, cut + 1)
    # Cut before the next tag (the markup stays parseable) or after the last line kept.
    end = cut + 1 if mark == "\n" else text.find(mark, cut + 1)
    kept = "tags" if mark == "<" else "lines"
    warnings.append(f"page truncated: only the first {limit:,} {kept} are read")
    return text[:end]


def remove_unsafe_characters(text: str) -> tuple[str, int]:
    """Text without controls, lone surrogates and bidi overrides; and how many went.

    >>> remove_unsafe_characters("Projekt\\x00 Lipnice\\u202e\\x1b[31m")
    ('Projekt Lipnice[31m', 3)
    """
    found = _UNSAFE_CHARACTERS.findall(text)
    if not found:
        return text, 0
    return _UNSAFE_CHARACTERS.sub("", text), len(found)


_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """Text safe to print on a terminal on one line: controls and bidi marks as escapes.

    >>> escape_controls("esc/\\x1b]0;title\\x07a\\nb.html")
    'esc/\\\\x1b]0;title\\\\x07a\\\\nb.html'
    """
    if not _TERMINAL_UNSAFE.search(text):
        return text
    return _TERMINAL_UNSAFE.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    """``\\n``, ``\\x1b`` or ``\\u202e`` for one unsafe character."""
    char = match.group(0)
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def detect_format(path: str, text: str) -> Literal["html", "text"]:
    """HTML or plain text, by extension, corrected by what the content starts with."""
    suffix = os.path.splitext(path)[1].casefold()
    head = text[:2048]
    if suffix in _HTML_EXTENSIONS:
        return "html"
    if suffix in _TEXT_EXTENSIONS:
        return "html" if _HTML_START.match(head) else "text"
    if head.lstrip().startswith("<") or _HTML_EARLY.search(head):
        return "html"
    return "text"


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 that was read as cp1250/latin-1 and saved again ("Å¡" → "š")."""
    # Plain substring tests are much faster than the regex on clean pages.
    if not any(lead in text for lead in _MOJIBAKE_LEADS) or not _MOJIBAKE_MARKER.search(text):
        return text, False
    repaired = False

    def fix(match: re.Match[str]) -> str:
        """Re-decode one run of suspicious characters when that yields valid UTF-8."""
        nonlocal repaired
        run = match.group(0)
        if not _MOJIBAKE_MARKER.search(run):
            return run
        for codec in ("cp1250", "cp1252", "latin-1"):
            try:
                fixed = run.encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            if len(_MOJIBAKE_MARKER.findall(fixed)) < len(_MOJIBAKE_MARKER.findall(run)):
                repaired = True
                return fixed
        # The run mixes real letters with mojibake: repair sequence by sequence.
        return _MOJIBAKE_MARKER.sub(fix_sequence, run)

    def fix_sequence(match: re.Match[str]) -> str:
        """Re-decode one UTF-8 sequence shown as two or three 8-bit characters."""
        nonlocal repaired
        for codec in ("cp1250", "cp1252", "latin-1"):
            try:
                fixed = match.group(0).encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            repaired = True
            return fixed
        return match.group(0)

    return _MOJIBAKE_RUN.sub(fix, text), repaired


def _normalise_newlines(text: str) -> str:
    """CRLF, CR, form feed, vertical tab, NEL and Unicode separators to ``\\n``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for mark in _RARE_NEWLINES:
        if mark in text:
            text = text.replace(mark, "\n")
    return text


def czech_score(text: str) -> int:
    """How plausible a decoding is as Czech: Czech letters minus misdecoding symptoms."""
    return len(_CZECH_LETTERS.findall(text)) - 3 * len(_IMPLAUSIBLE.findall(text))


def _refuse_binary(data: bytes, path: str, unicode_marked: bool) -> None:
    """Raise BinaryPageError for known binary formats and control-byte soup.

    ``unicode_marked``: the data has a BOM or reads as UTF-16 without one (its NULs are text).
    """
    head = data[:1024].lstrip()
    if head.startswith(_MAGIC_PREFIXES):
        for magic, what in _MAGIC:
            if head.startswith(magic):
                raise BinaryPageError(f"looks like a {what}, not a text or HTML page", path)
    if _BZIP2.match(head):
        raise BinaryPageError("looks like a bzip2 archive, not a text or HTML page", path)
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        kind = _RIFF_KINDS[head[8:12]]
        raise BinaryPageError(f"looks like a {kind}, not a text or HTML page", path)
    if head[4:8] == b"ftyp":
        raise BinaryPageError(
            "looks like an MP4/QuickTime media file, not a text or HTML page", path
        )
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        raise BinaryPageError("looks like a Windows executable, not a text or HTML page", path)
    if unicode_marked:
        return
    sample = data[:_SNIFF_BYTES]
    # Counted in C (translate), not byte by byte in Python.
    controls = len(sample.translate(None, _NOT_BINARY_CONTROL_BYTES))
    if controls > _BINARY_CONTROL_RATIO * len(sample):
        share = round(100 * controls / len(sample))
        raise BinaryPageError(
            f"looks like binary data ({share}% control bytes), not a text or HTML page", path
        )


def _bom(data: bytes) -> tuple[int, str] | None:
    """The BOM length and the codec that consumes it, or None."""
    if not data.startswith(_BOM_PREFIXES):
        return None
    for bom, codec, _name in _BOMS:
        if data.startswith(bom):
            return len(bom), codec
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one byte parity, as in ASCII-range UTF-16."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decode(
    data: bytes, warnings: list[str], bom: tuple[int, str] | None, utf16: str | None,
    header_charset: str | None = None,
) -> tuple[str, str]:
    """Pick the codec (BOM, HTTP header, meta tag, UTF-8, Czech-aware comparison) and decode.

    ``bom`` and ``utf16`` are ``_bom(data)`` and ``_utf16_without_bom(data)``.
    """
    if bom is not None:
        return data.decode(bom[1], errors="replace"), bom[1]
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    said = _header_charset(header_charset) or _declared_charset(data)
    if said is not None and said not in PAGE_ENCODINGS:
        # unicode_escape, idna, rot13…: codecs, but not ways of writing a page.
        warnings.append(f"declared charset {said} is not a page encoding: ignored")
        said = None
    declared = _LABEL_ALIASES.get(said, said) if said else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.isascii():
            return text, declared if declared and _ascii_compatible(declared) else "utf-8"
        if said and said != "utf-8":
            warnings.append(f"meta charset lied: said {said}, used utf-8")
        return text, "utf-8"
    codec8 = _best_8bit(data, declared)
    if said and declared != codec8:
        warnings.append(f"meta charset lied: said {said}, used {codec8}")
    mixed = _decode_mixed(data, codec8)
    if mixed is not None:
        warnings.append(f"mixed encodings: lines decoded as utf-8 or {codec8}")
        return mixed, codec8
    return data.decode(codec8, errors="replace"), codec8


def _header_charset(label: str | None) -> str | None:
    """The normalised codec of an HTTP charset parameter (None when unknown or UTF-16/32)."""
    if not label:
        return None
    name = normalise_codec(label)
    if name is None or name.startswith(("utf-16", "utf-32")):
        return None
    return name


def _declared_charset(data: bytes) -> str | None:
    """The normalised codec named by a meta tag or XML declaration in the first 4 KB."""
    window = data[:_META_WINDOW]
    match = _META_CHARSET.search(window) or _XML_ENCODING.search(window)
    if match is None:
        return None
    name = normalise_codec(match.group(1).decode("ascii", errors="replace"))
    if name is None or name.startswith(("utf-16", "utf-32")):
        # A utf-16 label on bytes without a BOM or NULs is always a lie (WHATWG).
        return None
    return name


def normalise_codec(label: str) -> str | None:
    """The canonical name of a codec label ('cp1250' → 'windows-1250'), None if unknown."""
    try:
        name = codecs.lookup(label.strip().casefold()).name
    except LookupError:
        return None
    if name.startswith("cp12"):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-8859-" + name.removeprefix("iso8859-")
    if name == "latin-1":
        return "iso-8859-1"
    return name


def _ascii_compatible(codec: str) -> bool:
    """True for codecs that read ASCII bytes as ASCII."""
    try:
        return b"<a>".decode(codec) == "<a>"
    except (LookupError, UnicodeError):
        return False


def _best_8bit(data: bytes, declared: str | None) -> str:
    """The 8-bit codec whose decoding looks most like Czech; ties keep the earlier candidate."""
    candidates: list[str] = []
    if declared and declared != "utf-8" and _ascii_compatible(declared):
        candidates.append(declared)
    candidates += ["windows-1250", "iso-8859-2"]
    detected = _detected_codec(data)
    if detected:
        candidates.append(detected)
    best, best_score, best_text = candidates[0], None, ""
    seen: set[str] = set()
    for codec in candidates:
        if codec in seen:
            continue
        seen.add(codec)
        text = data.decode(codec, errors="replace")
        score = czech_score(text)
        if best_score is None or score > best_score:
            best, best_score, best_text = codec, score, text
    if len(_CZECH_ONLY.findall(best_text)) < _MIN_CZECH_EVIDENCE:
        # Not Czech enough to judge (German, English, symbols only): the declared codec,
        # else windows-1250, which reads » © ä ö ü like the Western codecs do.
        return candidates[0]
    return best


def _detected_codec(data: bytes) -> str | None:
    """charset-normalizer's guess, normalised; None when it has none or it is not 8-bit."""
    from charset_normalizer import from_bytes

    match = from_bytes(data[:_DETECT_BYTES]).best()
    if match is None:
        return None
    name = normalise_codec(match.encoding)
    if name is None or name not in PAGE_ENCODINGS or name == "utf-8" or not _ascii_compatible(name):
        return None
    return name


def _decode_mixed(data: bytes, codec8: str) -> str | None:
    """Per-line decoding when some lines are real UTF-8 and others are 8-bit; else None."""
    lines = data.split(b"\n")
    utf8_multibyte = 0
    utf8_lines = 0
    decoded: list[str] = []
    for line in lines:
        if line.isascii():
            decoded.append(line.decode("ascii"))
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            decoded.append(line.decode(codec8, errors="replace"))
        else:
            utf8_lines += 1
            utf8_multibyte += len(line) - len(text)
            decoded.append(text)
    # One short line can be valid UTF-8 by accident in cp1250 text ("ČŠ" is C8 8A).
    if utf8_lines >= 2 or utf8_multibyte >= 3:
        return "\n".join(decoded)
    return None


def _os_reason(exc: OSError) -> str:
    """A person-readable reason for a failed read."""
    if isinstance(exc, FileNotFoundError):
        return "no such file (missing or vanished)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a page file"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return f"cannot be read: {exc.strerror or exc}"


def _too_large(size: int, settings: Settings) -> str:
    """The message for a page over the size limit."""
    return f"page is {size} bytes, over the limit of {settings.max_page_bytes} bytes"
