"""Hand-edited vocabularies under ``pipeline/data``, loaded once and read-only."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = ["fold_label", "label_first_words", "label_key", "label_table", "load_data", "starts_like_label"]


@cache
def load_data(name: str) -> Any:
    """Parse ``pipeline/data/<name>`` once (JSON, or JSONL into a list)."""
    raw = resources.files("pipeline.data").joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return tuple(json.loads(line) for line in raw.splitlines() if line.strip())
    return json.loads(raw)


_NUMBERING = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|[ivx]+\.)\s+")
_TRAILING = re.compile(r"[\s:;./\-–—]+$")


def fold_label(text: str) -> str:
    """Fold a heading or label for lookup: case, white space, numbering, colon, spaces around a slash.

    >>> fold_label("  1. Registrační  číslo projektu: ")
    'registrační číslo projektu'
    >>> fold_label("Žadatel / příjemce")
    'žadatel/příjemce'
    """
    text = " ".join(text.split()).casefold()
    # "Žadatel / příjemce" and "Žadatel/příjemce" are one label, printed either way.
    text = text.replace(" /", "/").replace("/ ", "/")
    text = _NUMBERING.sub("", text)
    return _TRAILING.sub("", text)


@cache
def label_table() -> Mapping[str, str]:
    """Map each folded label synonym to the field key it introduces."""
    table: dict[str, str] = {}
    for key, synonyms in load_data("labels.json").items():
        if key.startswith("_"):
            continue
        for synonym in synonyms:
            table.setdefault(fold_label(synonym), key)
    # "Předpokládaný termín realizace", "Planned end date": a word of planned or actual
    # before a period label leaves its meaning (label_modalities.json).
    modal = load_data("label_modalities.json")
    words = tuple(modal["words"])
    for key in modal["keys"]:
        for synonym in load_data("labels.json")[key]:
            folded = fold_label(synonym)
            if folded.split(" ", 1)[0] not in words:
                for word in words:
                    table.setdefault(f"{word} {folded}", key)
    return MappingProxyType(table)


@cache
def label_first_words() -> frozenset[str]:
    """The folded first word of every label: a cheap test before any label look-up.

    A first word that ends in a period ("reg.", "ev.") is also kept as ``fold_label``
    leaves it when it stands alone ("reg"): the test folds the line's first word so.
    """
    firsts = {label.split(" ", 1)[0] for label in label_table()}
    return frozenset(firsts | {fold_label(first) for first in firsts})


def starts_like_label(text: str) -> bool:
    """Whether the first word of a line is the first word of some label.

    >>> starts_like_label("Registrační číslo: CZ.1.04/3.2.00/B4.00007"), starts_like_label("Včera pršelo.")
    (True, False)
    """
    # ``split`` finds no word exactly when ``strip`` leaves nothing: one call, not two.
    words = text.split(None, 1)
    return _first_word_of_label(words[0] if words else "")


@lru_cache(maxsize=16384)
def _first_word_of_label(first: str) -> bool:
    """Whether one word (colon and all) is the first word of some label.

    Cached: the same few hundred words open most lines, and folding them twice per line
    was a measurable share of segmenting a page.
    """
    return fold_label(first) in label_first_words() or fold_label(first.split(":")[0]) in label_first_words()


@lru_cache(maxsize=16384)
def label_key(text: str) -> str | None:
    """The field key a heading or label introduces, or None when it is not a known label.

    >>> label_key("Cílové skupiny:")
    'target_groups'
    >>> label_key("Naše cesta v našich rukou") is None
    True
    """
    if len(text) > 80:
        return None
    folded = fold_label(text)
    table = label_table()
    key = table.get(folded)
    if key is None and folded.endswith((" projektu", " projektů")):
        # "Harmonogram realizace projektu" is "Harmonogram realizace" of this project.
        key = table.get(folded.rsplit(" ", 1)[0])
    return key
