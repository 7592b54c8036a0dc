"""Render a page's cleaned text with its blocks and sections, as evidence offsets see it."""

from __future__ import annotations

from pathlib import Path

from pipeline.clean.segment import segment
from pipeline.core import clean_bytes
from pipeline.ingest.load import read_bytes
from pipeline.settings import Settings

__all__ = ["render_page"]


def render_page(path: Path, settings: Settings) -> str:
    """One line per block: offsets, kind, section key, text (the cleaned text itself)."""
    document = clean_bytes(read_bytes(path, settings), str(path), settings)
    section_of: dict[int, str] = {}
    for section in segment(document):
        key = section.key or "-"
        section_of[section.label.start] = f"[{key}]"
        for block in section.body:
            section_of.setdefault(block.start, f" {key}")
    lines = [
        f"# {path}",
        (
            f"# format={document.format} encoding={document.encoding}"
            f" chars={len(document.text)} blocks={len(document.blocks)}"
        ),
    ]
    if document.page_title:
        lines.append(f"# page title: {document.page_title}")
    for warning in document.warnings:
        lines.append(f"# warning: {warning}")
    lines.append("# start-end kind[level] section | text")
    for block in document.blocks:
        kind = block.kind + (str(block.level) if block.level else "")
        tag = section_of.get(block.start, "")
        lines.append(f"{block.start:>6}-{block.end:<6} {kind:<10} {tag:<22} | {document.slice(block)}")
    return "\n".join(lines) + "\n"
