"""Sentence and list-item helpers shared by the field extractors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from pipeline.vocab import load_data

__all__ = ["first_sentence", "holds_any", "item_phrase", "sentence_end", "strip_quotes"]

# A sentence ends at . ! ? (or …) followed by space and an upper-case letter, digit or
# opening quote, or at the end of the block.
_CANDIDATE_END = re.compile(
    # The mark comes first, so the regex engine skips other characters in C.
    r"[.!?…](?:(?=\s+[\"„“(]?[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ0-9])"
    # Text dumps lose the space between sentences ("asistence.Služby"): a word of three
    # lower-case letters, a period, then a capitalised word.
    r"|(?<=[a-záčďéěíňóřšťúůýž]{3}\.)(?=[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][a-záčďéěíňóřšťúůýž]))"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_ELABORATION = re.compile(r"\s+[–—-]\s+")
_CODE_PREFIX = re.compile(r"^\s*(?:[A-ZČ]{1,4}\s*)?(?:č\.\s*)?\d{1,2}[a-z]?\.?\s*$|^\s*(?:aktivita|KA)\s*(?:č\.\s*)?(?:\d{1,2}|[IVX]{1,4})\.?\s*$", re.IGNORECASE)
_QUOTES = "\"'„“”‚‘’»«"


@cache
def _abbreviations() -> frozenset[str]:
    """Folded abbreviations after which a period does not end a sentence."""
    return frozenset(a.casefold() for a in load_data("abbreviations.json")["abbreviations"])


def sentence_end(text: str, start: int = 0) -> int:
    """Offset just past the first sentence of ``text[start:]`` (period excluded).

    >>> t = "Cílem je podpora soc. integrace v ČR. Další věta."
    >>> t[:sentence_end(t)]
    'Cílem je podpora soc. integrace v ČR'
    """
    for match in _CANDIDATE_END.finditer(text, start):
        # Only the word right before the period matters: a bounded look-back keeps the
        # scan linear on paragraphs of thousands of dates or numbers.
        before = _WORD_BEFORE.search(text, max(start, match.start() - 64), match.start())
        word = before.group(1).casefold() if before else ""
        if match.group(0) == "." and (word in _abbreviations() or word.replace(".", "").isdigit()):
            continue
        # A name's initial ("ulice K. H. Borovského") is one capital letter: no sentence
        # ends on one.
        if match.group(0) == "." and before is not None and len(before.group(1)) == 1 and before.group(1).isupper():
            continue
        return match.start()
    end = len(text.rstrip())
    while end > start and text[end - 1] in ".!?;…":
        end -= 1
    return end


def holds_any(text: str, words: Sequence[str]) -> bool:
    """Whether ``text`` holds one of ``words``.

    A plain loop, not ``any()`` over a generator: the generator costs about as much as
    the look-ups it makes (a few thousand instructions on every page).

    >>> holds_any("Projekt „Motejlci“", ("„", '"')), holds_any("Projekt", ("„", '"'))
    (True, False)
    """
    for word in words:
        if word in text:
            return True
    return False


def first_sentence(text: str) -> str:
    """The first sentence of a text, without its final period."""
    return text[: sentence_end(text)].strip()


def item_phrase(text: str) -> str:
    """The heading phrase of a list item: first sentence, no elaboration after a dash.

    >>> item_phrase("Systémový audit - vyhodnocení systému řízení. Další text.")
    'Systémový audit'
    """
    phrase = first_sentence(text)
    parts = _ELABORATION.split(phrase, maxsplit=1)
    if len(parts) == 2 and _CODE_PREFIX.match(parts[0]):
        # "KA č. 2 – Řízení projektu – …": the code is not the name.
        phrase = _ELABORATION.split(parts[1], maxsplit=1)[0]
    elif len(parts[0]) >= 3:
        phrase = parts[0]
    return phrase.strip().rstrip(",;:.").strip()


def strip_quotes(text: str) -> str:
    """Remove quotation marks around and inside a name.

    >>> strip_quotes("Dětská skupina „Motejlci“")
    'Dětská skupina Motejlci'
    """
    # ``str.replace`` per quote present, not ``str.translate``: translating a non-Latin-1
    # string looks every character up in a dict, and most names hold no quote at all.
    for quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, "")
    return " ".join(text.split())
