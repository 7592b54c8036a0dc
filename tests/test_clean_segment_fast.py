"""The cheap checks in front of clean's and segment's per-line work decide as the full ones do."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean.furniture import _HAS_WORD
from pipeline.vocab import _first_word_of_label, starts_like_label


def test_a_letter_or_digit_is_a_word_character() -> None:
    """``str.isalnum`` on one character implies the regex ``\\w`` (the fast path's premise)."""
    word = re.compile(r"\w")
    misses = [
        code
        for code in range(sys.maxunicode + 1)
        if chr(code).isalnum() and word.match(chr(code)) is None
    ]
    assert misses == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\u00a0\u3000_-.:a1Čž")), max_size=12))
def test_word_check_matches_the_regex(text: str) -> None:
    """The boilerplate word check (first character, then the regex) is the regex's verdict."""
    fast = text[:1].isalnum() or _HAS_WORD.search(text) is not None
    assert fast == (_HAS_WORD.search(text) is not None)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Registrační", "číslo", "Název:", " ", "\u00a0", "\t", "\n", "Včera", ":", "x"]),
        max_size=8,
    ).map("".join)
)
def test_starts_like_label_matches_the_strip_and_split_form(text: str) -> None:
    """One ``split`` gives the first word ``strip`` then ``split`` gave, blank lines too."""
    first = text.split(None, 1)[0] if text.strip() else ""
    assert starts_like_label(text) == _first_word_of_label(first)
