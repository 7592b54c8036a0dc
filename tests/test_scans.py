"""Every word-list scan finds exactly what its plain pattern finds; its words alone define it.

A ``Scan`` tries its pattern only where a derived anchor stands and skips a text without
a derived gate literal. These properties pin each registered scan to the plain
``pattern.finditer`` on sentences built around each of its words and on Hypothesis text
made of its words' own letters, and show that adding a word to a copy of a vocabulary is
enough for the extractor to find it.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers import spans
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline
from pipeline import vocab
from pipeline.core import extract_bytes
from pipeline.extract import beneficiary, identity
from pipeline.normalise.anchored import case_variants
from pipeline.normalise.scan import Scan, registered_scans

PROPERTY = settings(max_examples=150, deadline=None)

# Scans of invented words, one per shape the class supports, so the properties below
# also cover shapes no production rule uses yet.
EXAMPLE_SCANS = (
    Scan.from_data("example:either-case-endings", ["stavba", "akce"], r"\b{words}(?:y|u|ou)?\s+[A-ZČŠŽ]\w+", either_case=True),
    Scan.from_data("example:phrase", ["obecně prospěšná", "zapsaný spolek", "spolek"], r"(?<![\w-]){words}\s+(?P<org>[A-ZČŠŽ]\w+)"),
    Scan.from_data("example:one-letter", ["s", "se"], r"(?:^|(?<=[.!?]\s)){words}\s+\w+", either_case=True),
    Scan.from_data("example:folded", ["vesnic", "obc"], r"\b{words}\w*", re.IGNORECASE),
    Scan.from_data("example:unanchored", ["příjemcem", "nositelem"], r"[A-ZČŠŽ]\w+\s+je\s+{words}\b"),
    Scan.from_data("example:shared-start", ["realizuje", "realizoval", "zahájil", "spolek", "spolkem"], r"\b{words}\w*\s+projekt\s+(\w+)"),
)


def _load_every_module() -> None:
    """Import every pipeline module, so every scan they build registers itself."""
    for module in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if module.name.endswith(("__main__", "dask_engine", ".db")):
            continue  # optional heavy dependencies; they build no scans
        importlib.import_module(module.name)


_load_every_module()
SCANS = dict(registered_scans())


def _cases(word: str) -> list[str]:
    """The forms of ``word`` a sentence may hold: as listed, capitalised, upper case."""
    return sorted({word, word[0].upper() + word[1:], word.upper()})


# Endings Czech words take, and invented text that may follow a rule's word.
_ENDINGS = ("", "u", "em", "y", "e", "í", "ou", "ě", "ách", "ého", "ým", "ami")
_TAILS = (
    " Lhota u Lesa.", " „Nová hřiště pro Lhotu“ je spolufinancován", ": Spolek Modrý most, z. s.",
    " Základní škola Lhotka.", " projekt Oprava návsi.", " se na stránkách Obce Lhotka", "\n",
)
_HEADS = ("", "Obec Lhota je ", "Na jaře. ", "(", "„", "Spolek Modrý most, z. s. se stal ", "xx")


def _sentences(word: str) -> list[str]:
    """Invented sentences holding ``word``: at the start, after punctuation, in each case,
    with each ending, before each tail."""
    return [
        head + form + ending + tail
        for form in _cases(word)
        for ending in _ENDINGS
        for head in _HEADS
        for tail in _TAILS
    ]


def test_registry_holds_the_examples_and_names_are_unique() -> None:
    names = [scan.name for scan in SCANS.values()]
    assert len(names) == len(set(names))
    assert {scan.name for scan in EXAMPLE_SCANS} <= set(SCANS)


@pytest.mark.parametrize("name", sorted(SCANS))
def test_scan_finds_what_the_pattern_finds_around_each_word(name: str) -> None:
    scan = SCANS[name]
    for word in scan.words:
        for text in _sentences(word):
            assert spans(scan.finditer(text)) == spans(scan.pattern.finditer(text)), text
            expected = scan.pattern.search(text)
            found = scan.search(text)
            assert (found and found.span()) == (expected and expected.span()), text
            if expected is not None:
                assert scan.could_match(text), text


def _alphabet(scan: Scan) -> st.SearchStrategy[str]:
    """Pieces of text derived from the scan's words: their letters in every case (and the
    characters (?i:) folds onto them), the words and their pieces, Czech punctuation."""
    letters = {c for word in scan.words for letter in word for c in case_variants(letter)}
    pieces = {piece for word in scan.words for piece in (word, *word.split())}
    pieces |= {word[:n] for word in scan.words for n in range(1, len(word))}
    punctuation = set(" \n\t\u00a0.,;:!?()„“\"-–") | {"Lhota", "ČR", "Ž", "é", "ů"}
    return st.sampled_from(sorted(letters | pieces | punctuation))


@pytest.mark.parametrize("name", sorted(SCANS))
@PROPERTY
@given(data=st.data())
def test_scan_finds_what_the_pattern_finds_on_text_of_its_letters(name: str, data: st.DataObject) -> None:
    scan = SCANS[name]
    text = data.draw(st.lists(_alphabet(scan), max_size=40).map("".join), label="text")
    assert spans(scan.finditer(text)) == spans(scan.pattern.finditer(text))
    if scan.pattern.search(text) is not None:
        assert scan.could_match(text)


# The derivations, on the example scans: what the anchors and gate come out as.
# Words sharing five first letters are found by what they share ("realiz"); "spol" is
# too short a share (it opens "spolupráce"). A word of the template after the slot that
# every match holds ("projekt") is looked for first.
DERIVED = [
    ("example:either-case-endings", (("kce", 1), ("tavba", 1)), ("kce", "tavba"), ""),
    ("example:phrase", (("obecně", 0), ("spolek", 0), ("zapsaný", 0)), ("obecně", "spolek", "zapsaný"), ""),
    ("example:one-letter", (("S", 0), ("e", 1), ("s", 0)), ("S", "e", "s"), ""),
    ("example:folded", (("obc", 0), ("vesnic", 0)), ("obc", "vesnic"), ""),
    ("example:unanchored", (), ("nositelem", "příjemcem"), "je"),
    ("example:shared-start", (("realiz", 0), ("spolek", 0), ("spolkem", 0), ("zahájil", 0)), ("realiz", "spolek", "spolkem", "zahájil"), "projekt"),
]


@pytest.mark.parametrize(("name", "anchors", "gate", "required"), DERIVED, ids=[row[0] for row in DERIVED])
def test_anchors_and_gate_are_derived_from_the_words(
    name: str, anchors: tuple[tuple[str, int], ...], gate: tuple[str, ...], required: str
) -> None:
    scan = SCANS[name]
    assert scan.anchors == anchors
    assert scan.gate == gate
    assert scan.required == required


def test_a_folded_scan_finds_words_in_any_case() -> None:
    scan = SCANS["example:folded"]
    text = "Ve VESNICI Lhota a v obci Lhotka; ſvesnice."
    assert [m.group() for m in scan.finditer(text)] == ["VESNICI", "obci"]
    assert [m.group() for m in scan.finditer(text)] == [m.group() for m in scan.pattern.finditer(text)]


BAD_DEFINITIONS = [
    ("no words", [], "{words}", "non-empty strings"),
    ("blank word", ["obec", " "], "{words}", "non-empty strings"),
    ("no slot", ["obec"], r"\bobec", "exactly once"),
    ("two slots", ["obec"], "{words} {words}", "exactly once"),
    ("listed twice", ["obec", "obec"], "{words}", "listed twice"),
    ("optional words", ["obec"], r"(?:{words}\s+)?Lhota", "every match must hold"),
    ("words beside an alternative", ["obec"], r"(?:město|{words})\s+Lhota", "every match must hold"),
]


@pytest.mark.parametrize(("name", "words", "template", "message"), BAD_DEFINITIONS, ids=[row[0] for row in BAD_DEFINITIONS])
def test_a_bad_definition_is_refused_with_a_clear_error(name: str, words: list[str], template: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scan.from_data(f"bad:{name}", words, template)
    assert f"bad:{name}" not in registered_scans()


# The extractor modules that build scans from the data files, in the order they import
# each other (identity reads beneficiary's rules).
_RULE_MODULES = (beneficiary, identity)
AddWord = Callable[[str, str, str], None]


@pytest.fixture
def vocabulary_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[AddWord]:
    """Rebuild the rules with one word added to a copy of a data file; rebuild them as
    shipped afterwards."""

    def add(file: str, key: str, word: str) -> None:
        data: Any = copy.deepcopy(vocab.load_data(file))
        assert word not in data[key]
        data[key] = [*data[key], word]
        shipped = vocab.load_data
        monkeypatch.setattr(vocab, "load_data", lambda name: data if name == file else shipped(name))
        for module in _RULE_MODULES:
            importlib.reload(module)

    try:
        yield add
    finally:
        monkeypatch.undo()
        for module in _RULE_MODULES:
            importlib.reload(module)


# Invented pages whose project is named or carried out in words a data file lacks; a
# word added to the file is all the rules need to read them.
NEW_WORDS = [
    (
        "title",
        "titles.json",
        "full_name_adjectives",
        "kompletním",
        ("<p>Obec Lhotka získala dotaci na projekt s kompletním názvem Oprava návsi v Lhotce.</p>"
         "<p>Projekt je spolufinancován Evropskou unií z Integrovaného regionálního operačního programu.</p>"),
        "Oprava návsi v Lhotce",
    ),
    (
        "beneficiary",
        "beneficiary.json",
        "subject_role_nouns",
        "koordinátorem",
        ("<p>Na jaře začala stavba. Spolek Modrý most je koordinátorem projektu Zelená zahrada.</p>"
         "<p>Projekt je spolufinancován Evropskou unií z Operačního programu Zaměstnanost.</p>"),
        "Spolek Modrý most",
    ),
    (
        "partners",
        "partners.json",
        "prose_cues",
        "spolupartnerem",
        ("<p>Na jaře začala stavba. Spolupartnerem projektu je Spolek Modrý most.</p>"
         "<p>Projekt je spolufinancován Evropskou unií z Operačního programu Zaměstnanost.</p>"),
        ["Spolek Modrý most"],
    ),
    (
        # A new project noun reaches every pattern that opens with one: they share its anchors.
        "title",
        "titles.json",
        "project_nouns",
        "záměr",
        ("<p>Obec Lhotka dokončila záměr „Oprava návsi v Lhotce“.</p>"
         "<p>Záměr je spolufinancován Evropskou unií z Integrovaného regionálního operačního programu.</p>"),
        "Oprava návsi v Lhotce",
    ),
]


def _page(body: str) -> bytes:
    """An invented page: a generic heading, the body, a registration number."""
    return (
        "<html><head><title>Aktuality</title></head><body><h1>Aktuality</h1>" + body
        + "<p>Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_040/0001234</p></body></html>"
    ).encode("utf-8")


@pytest.mark.parametrize(("field", "file", "key", "word", "body", "expected"), NEW_WORDS, ids=[row[3] for row in NEW_WORDS])
def test_a_word_added_to_the_data_file_is_found_end_to_end(
    vocabulary_with: AddWord, field: str, file: str, key: str, word: str, body: str, expected: Any
) -> None:
    assert _value(extract_bytes(_page(body), "page.html"), field) != expected
    vocabulary_with(file, key, word)
    assert _value(extract_bytes(_page(body), "page.html"), field) == expected
    assert any(word in scan.words for scan in registered_scans().values())


def _value(record: Any, field: str) -> Any:
    """A field's value; an organisation by its name."""
    value = getattr(record, field)
    return getattr(value, "name", value)


@pytest.mark.parametrize(("field", "file", "key", "word", "body", "expected"), NEW_WORDS, ids=[row[3] for row in NEW_WORDS])
def test_the_rules_read_as_shipped_again_after_a_word_was_added(field: str, file: str, key: str, word: str, body: str, expected: Any) -> None:
    assert _value(extract_bytes(_page(body), "page.html"), field) != expected
    assert not any(word in scan.words for scan in registered_scans().values())
