"""The Czech words of the content rules are data: a word added to a data file is found.

The target-group, focus and place rules build their patterns as scans of word lists under
``pipeline/data`` (``pipeline/normalise/scan.py`` derives each scan's anchors and gate from
its words). A rule whose phrasings need several word lists tries several scans as one
alternation (``first_matches``). These tests add an invented word to a copy of a
vocabulary and show the extractor finds it end to end, and pin each family of scans to
the alternation of their patterns.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.vocab
from pipeline.core import extract_bytes
from pipeline.extract import content
from pipeline.normalise.anchored import first_matches
from pipeline.normalise.scan import Scan, registered_scans

FUNDED = "Projekt je spolufinancován z Evropského sociálního fondu.\n"

# Each row: the data file and list a word is added to, the word, a page in invented words
# that uses it, the field, and the value the record holds once the word is listed.
ADDED_WORDS = [
    ("village-noun", "locations.json", "municipal_nouns", "vesnici",
     "Hřiště vzniklo ve vesnici Lhota.", "locations", ["Lhota"]),
    ("focus-verb", "target_groups.json", "focus_verbs", "orientuje",
     "Projekt se orientuje na seniory a osoby se zdravotním postižením.",
     "target_groups", ["seniory a osoby se zdravotním postižením"]),
    ("group-verb", "target_groups.json", "group_verbs", "zahrnuje",
     "Cílová skupina zahrnuje rodiče samoživitele.", "target_groups", ["rodiče samoživitele"]),
]


def _value(page: str, field: str) -> Any:
    """The field of the record of a small text page."""
    return getattr(extract_bytes((FUNDED + page + "\n").encode(), "stranka.txt"), field)


@pytest.fixture
def vocabulary_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str, str], None]]:
    """Rebuild the content rules from data files with one word added to one list; the
    rules are rebuilt from the real files afterwards."""
    real = pipeline.vocab.load_data

    def add(file: str, key: str, word: str) -> None:
        def load_data(name: str) -> Any:
            data = real(name)
            return {**data, key: [*data[key], word]} if name == file else data

        monkeypatch.setattr(pipeline.vocab, "load_data", load_data)
        importlib.reload(content)

    yield add
    monkeypatch.undo()
    importlib.reload(content)


@pytest.mark.parametrize(("file", "key", "word", "page", "field", "expected"),
                         [row[1:] for row in ADDED_WORDS], ids=[row[0] for row in ADDED_WORDS])
def test_a_word_added_to_a_data_file_is_found(
    vocabulary_with: Callable[[str, str, str], None], file: str, key: str, word: str, page: str, field: str, expected: Any
) -> None:
    assert _value(page, field) != expected  # not found before the word is listed
    vocabulary_with(file, key, word)
    assert _value(page, field) == expected


@pytest.mark.parametrize("label", pipeline.vocab.load_data("lists.json")["activity_name_labels"])
@pytest.mark.parametrize("case", [str.capitalize, str.upper], ids=["capitalised", "upper-case"])
def test_every_listed_activity_label_is_read(label: str, case: Callable[[str], str]) -> None:
    """The quick test that skips pages without such a label comes from the same list: a
    page that names its activities only by a label it lists is read ('Název šablony')."""
    page = f"Šablony pro ZŠ Lhotka\n{case(label)}: Školní asistent\n{case(label)}: Doučování žáků"
    assert _value(page, "activities") == ["Školní asistent", "Doučování žáků"]


# The scans each rule tries as one alternation, in its order.
FAMILIES = [
    ("content:group-sentence", "content:group-list"),
    ("content:focused", "content:self-focused", "content:intended"),
    ("content:municipality", "content:municipality-lower-case"),
    ("content:district-abbreviation", "content:district"),
]


def _alternation_matches(scans: list[Scan], text: str) -> list[tuple[int, tuple[int, int]]]:
    """(branch, span) of each match of one alternation of the scans' patterns."""
    joined = re.compile("|".join(f"(?:{scan.pattern.pattern})" for scan in scans))
    found = []
    for m in joined.finditer(text):
        branch = next(i for i, scan in enumerate(scans) if scan.pattern.match(text, m.start()))
        found.append((branch, m.span()))
    return found


def _pieces(scans: list[Scan]) -> st.SearchStrategy[str]:
    """The scans' words and invented pieces of the sentences they read."""
    words = {word for scan in scans for word in scan.words}
    return st.sampled_from(sorted(words | {
        " ", "\n", ", ", ": ", ".", "15 ", "Lhota", "Nové Město", "Kraj ", "skupinou ", "skupina ",
        "cílové skupiny", "jsou ", "projektu ", "primárně ", "zaměřen ", "zaměřena ", "na ", "určen ",
        "pro ", "se ", "s rozšířenou působností ", "obce ", "seniory", "osob",
    }))


@pytest.mark.parametrize("names", FAMILIES, ids=[names[0] for names in FAMILIES])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_family_of_scans_finds_what_one_alternation_finds(names: tuple[str, ...], data: st.DataObject) -> None:
    scans = [registered_scans()[name] for name in names]
    text = data.draw(st.lists(_pieces(scans), max_size=30).map("".join), label="text")
    found = [(branch, m.span()) for branch, m in first_matches([scan.finditer(text) for scan in scans])]
    assert found == _alternation_matches(scans, text)


def test_every_family_is_registered() -> None:
    assert {name for names in FAMILIES for name in names} <= set(registered_scans())
