"""Small helpers shared by several test modules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from re import Match
from typing import Any

import spacy
from spacy.language import Language

from pipeline.extract.nlp import cue_patterns, word_tokenizer
from pipeline.records import Record
from pipeline.run.manifest import MANIFEST_NAME


def manifest_ok_rows(out: Path) -> int:
    """Pages the manifest records as ok (0 before it exists or while it is busy)."""
    if not (out / MANIFEST_NAME).exists():
        return 0
    try:
        db = sqlite3.connect(out / MANIFEST_NAME, timeout=5)
        try:
            return int(db.execute("SELECT count(*) FROM pages WHERE status = 'ok'").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def spans(matches: Iterable[Match[str]]) -> list[tuple[int, int]]:
    """Spans of regex matches, to compare a fast scan with ``finditer``."""
    return [m.span() for m in matches]


def reference_span_ruler() -> Language:
    """spaCy's own span_ruler over the cue patterns: what the cue ruler must agree with."""
    nlp = spacy.blank("cs")
    nlp.tokenizer = word_tokenizer(nlp.vocab)
    ruler = nlp.add_pipe("span_ruler", config={
        "spans_key": "cues", "validate": True, "overwrite": False, "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(cue_patterns())  # type: ignore[attr-defined]
    return nlp


@dataclass(frozen=True)
class Case:
    """One page and what one field of its record must be."""

    id: str
    page: str
    field: str
    expected: Any
    name: str = "page.txt"


def value_of(record: Record, field: str) -> Any:
    """A field in the simple form the tables use (dotted paths into nested models)."""
    value: Any = record
    for part in field.split("."):
        value = None if value is None else getattr(value, part)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and type(value).__name__ == "Decimal":
        return format(value, "f")
    return value
