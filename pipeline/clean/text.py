"""Text dumps (and Markdown) to a Document, and the YAML front matter of any page.

A text dump is read line by line: list markers make items, Markdown headings and
all-bold lines headings, ``Label: value`` lines with a known label pairs, ``a | b``
lines rows; lines a fixed-width dump wrapped are joined back into their sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pipeline.clean.build import MAX_INFERRED_HEADING, MAX_LABEL, Pending, build_document
from pipeline.clean.document import Document
from pipeline.clean.furniture import LINE_GATE, furniture_markers, has_word
from pipeline.clean.segment import leading_label
from pipeline.ingest.load import LoadedPage
from pipeline.vocab import label_key

__all__ = ["clean_text", "split_front_matter"]

_FRONT_MATTER = re.compile(r"\A\ufeff?[ \t]*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_WINDOW = 20_000
_YAML_TITLE = re.compile(r"title\s*:\s*(.*)")
_YAML_BLOCK_SCALAR = frozenset({"", "|", ">", "|-", ">-", "|+", ">+"})

_BULLET = re.compile(
    r"([ \t]*)(?:[•·▪►✓✔□○◦■➢➤‣⁃*\-–—]|(?:\d{1,2}|[a-zA-Z])\)|\d{1,2}\.(?![ \t]*\d))[ \t]+(?=\S)"
)
_MD_HEADING = re.compile(r"(#{1,6})[ \t]+(\S.*)")
# Inner classes exclude the opening bracket/marker so a line of "[[[[" stays linear.
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\s]{0,2000}(?:[ \t]+\"[^\"\n]{0,200}\")?\)")
_MD_BOLD = re.compile(r"\*\*(?=[^\s*])([^*\n]{1,500}?)\*\*|__(?=[^\s_])([^_\n]{1,500}?)__")
_MD_WHOLE_BOLD = re.compile(r"(?:\*\*|__)([^*_\n]{1,500})(?:\*\*|__)")
# The first characters of a line that is a Markdown image, heading or all bold ("" too).
_MARKDOWN_OPENERS = "!#*_"


# --------------------------------------------------------------------------- front matter


def split_front_matter(text: str) -> tuple[str, str | None]:
    """Remove a leading YAML front matter block; return the rest and its ``title:``."""
    match = _FRONT_MATTER.match(text[:_FRONT_MATTER_WINDOW])
    if match is None:
        return text, None
    return text[match.end() :], _front_matter_title(match.group(1))


def _front_matter_title(yaml_text: str) -> str | None:
    """The ``title:`` value of a YAML block, continuation lines folded in."""
    lines = yaml_text.split("\n")
    for index, line in enumerate(lines):
        match = _YAML_TITLE.fullmatch(line.rstrip())
        if match is None:
            continue
        value = match.group(1).strip()
        parts = [] if value in _YAML_BLOCK_SCALAR else [value]
        for following in lines[index + 1 :]:
            if not following[:1].isspace():
                break
            parts.append(following.strip())
        title = " ".join(part for part in parts if part)
        if len(title) >= 2 and title[0] == title[-1] and title[0] in "'\"":
            title = title[1:-1].strip()
        return title or None
    return None


# --------------------------------------------------------------------------- text dumps


def clean_text(page: LoadedPage) -> Document:
    """Clean a text dump (or Markdown): one block per non-empty line."""
    text, fm_title = split_front_matter(page.text)
    # Only Markdown markup removes characters from inside a line; every other step keeps
    # a line's characters or cuts at its ends. So on a page without markup, a block can
    # say "cookie" only if the page does, and inline markup need not be looked for.
    # Each two-character search is gated by one for its first character: str.find of a
    # single character is an order of magnitude faster, and "]" and "*" are rare.
    raw = page.text
    markup = ("]" in raw and "](" in raw) or ("*" in raw and "**" in raw) or ("_" in raw and "__" in raw)
    gated = markup or has_word(raw, LINE_GATE, furniture_markers().gate)
    # Lines are stripped, so on a page whose only white space is spaces and newlines, a
    # line without a double space is already folded. Every other white space character is
    # unprintable (a test holds it), and one C scan for unprintables costs a third of a
    # regex search for white space; a rare unprintable (soft hyphen) only folds in vain.
    odd_space = not text.replace("\n", " ").isprintable()
    blocks = _rejoin_wrapped(_text_blocks(text, fm_title, markup))
    return build_document(blocks, page, fm_title, None, list(page.warnings), gated=gated, odd_space=odd_space)


def _text_blocks(text: str, fm_title: str | None, markup: bool) -> Iterator[Pending]:
    """The blocks of a text dump's lines, after its front-matter title (if any).

    A blank line yields ``_PARAGRAPH_BREAK``, for ``_rejoin_wrapped`` to read and drop.
    """
    if fm_title:
        # Folded here: clean_text's page-wide white-space check covers the lines only.
        yield ("heading", " ".join(fm_title.split()), 1, None)
    # Indents of the open list levels; a line that is not a list item closes them all.
    indents: list[int] = []
    for line in text.split("\n"):
        if not line.strip():
            # A blank line ends a paragraph: no wrapped sentence runs across it.
            yield _PARAGRAPH_BREAK
            continue
        # Most lines open with two letters, which no list marker is (nor "a)", "1.").
        bullet = None if line[:2].isalpha() else _BULLET.match(line)
        if bullet is None:
            indents.clear()
        else:
            indent = len(bullet.group(1).expandtabs(4))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
        block = _text_line_block(line, bullet, len(indents) or 1, markup)
        if block is not None:
            yield block


# A dump wrapped at a fixed width breaks sentences into lines of 60-100 characters; a
# shorter line without a full stop is a caption, a menu entry or an amount on its own.
_MIN_WRAPPED_LINE = 40
# A line ending in these ends a sentence or introduces what follows; one ending in a
# hyphen or dash may be a word split in two, which a space would not mend.
_NOT_WRAPPED_ENDS = ".!?:;-–—…"
_SENTENCE_ENDS = ".!?)"
# What ``_text_blocks`` yields for a blank line; ``_rejoin_wrapped`` drops it.
_PARAGRAPH_BREAK: Pending = ("paragraph", "", 0, None)


def _rejoin_wrapped(blocks: Iterable[Pending]) -> Iterator[Pending]:
    """Paragraph lines of a wrapped dump joined back into their sentence.

    A paragraph line of ``_MIN_WRAPPED_LINE`` characters or more that does not end a
    sentence, followed by a paragraph line that opens in lower case and is as long or ends
    the sentence, is one sentence the dump broke ("Aktivity projektu" / "zahrnují kurzy …").
    Label lines, pairs, headings and list items are never joined, nor lines a blank line
    parts. The joined block has one space where the line break was, so the cleaned text
    keeps its length and every later block its offsets.
    """
    held: Pending | None = None
    for block in blocks:
        if block is _PARAGRAPH_BREAK:
            if held is not None:
                yield held
            held = None
            continue
        if held is not None and _continues(held[1], block):
            held = ("paragraph", f"{held[1]} {block[1]}", 0, None)
            continue
        if held is not None:
            yield held
        held = block if block[0] == "paragraph" else None
        if held is None:
            yield block
    if held is not None:
        yield held


def _continues(previous: str, block: Pending) -> bool:
    """Whether ``block`` carries on the wrapped paragraph line ``previous``."""
    kind, text, _, _ = block
    if kind != "paragraph" or not (text[:1].isalpha() and text[:1].islower()):
        return False
    if len(previous) < _MIN_WRAPPED_LINE or previous[-1:] in _NOT_WRAPPED_ENDS:
        return False
    # A wrapped line is full, or it is a paragraph's last and ends it; a short line
    # without a full stop after a long one is an image's alt text or a caption.
    if len(text) < _MIN_WRAPPED_LINE and text[-1:] not in _SENTENCE_ENDS:
        return False
    # "Celkové výdaje projektu 120 000 Kč" / "z toho dotace …": a label line stands alone.
    return leading_label(previous) is None and leading_label(text) is None


def _text_line_block(
    line: str, bullet: re.Match[str] | None, level: int, markup: bool = True
) -> Pending | None:
    """Classify one line of a text dump (``bullet`` is its list marker match, if any).

    ``markup=False`` when the page holds no inline Markdown (no ``](``, ``**`` or ``__``).
    """
    body = line[bullet.end() :] if bullet else line
    body = body.strip()
    whole_bold = None
    # Most lines start with a letter: one test rules out an image, a heading and bold.
    if body[:1] in _MARKDOWN_OPENERS:
        if body.startswith("![") and _MD_IMAGE.fullmatch(body):
            return None
        heading = _MD_HEADING.fullmatch(body) if body.startswith("#") else None
        if heading is not None:
            title = _markdown_inline(heading.group(2).rstrip("# \t"))
            return ("heading", title, len(heading.group(1)), None) if title else None
        if body.startswith(("*", "_")):
            whole_bold = _MD_WHOLE_BOLD.fullmatch(body)
    if markup:
        body = _markdown_inline(body)
    if body.startswith("|") or body.endswith("|"):
        body = body.strip("|").strip()
    if not body:
        return None
    if label_key(body) is not None:
        return ("heading", body, 0, None)
    pair = _text_pair(body)
    if pair is not None:
        return pair
    if bullet is not None:
        return ("item", body, level, None)
    if whole_bold is not None and len(body) <= MAX_INFERRED_HEADING and not body.endswith("."):
        return ("heading", body, 0, None)
    if " | " in body:
        return ("row", body, 0, None)
    return ("paragraph", body, 0, None)


def _text_pair(body: str) -> Pending | None:
    """``Label: value`` (or a dumped table row ``Label: | value``) with a known label."""
    if " | " in body:
        cells = [cell.strip() for cell in body.split(" | ") if cell.strip()]
        if (
            len(cells) == 2
            and len(cells[0]) <= MAX_LABEL
            and (cells[0].endswith(":") or label_key(cells[0]) is not None)
        ):
            return ("pair", cells[1], 0, cells[0])
        return None
    colon = body.find(":", 0, MAX_LABEL + 1)
    if colon <= 0:
        return None
    label = body[:colon]
    value = body[colon + 1 :].strip()
    if not value or label_key(label) is None:
        return None
    return ("pair", value, 0, label + ":")


def _markdown_inline(text: str) -> str:
    """Drop inline images, keep link text, strip bold markers."""
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_BOLD.sub(lambda match: match.group(1) or match.group(2) or "", text)
    return text.strip()


