"""The field extractors' cheap paths, and the behaviour they keep, on examples.

Scans narrowed to the lines or anchors where a match can be give what the full scans
give (properties on page-like text); the rules whose code was made cheaper (quotes
stripped, a page's language, English lines, lines that address the reader, cues grouped
by label) are pinned by example tables through public functions and ``extract_page``.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from helpers import spans
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.api import extract_page
from pipeline.clean.document import Document
from pipeline.extract import content, looks_like_project_page
from pipeline.extract.context import Context
from pipeline.normalise.anchored import finditer_at
from pipeline.normalise.textutil import holds_any, strip_quotes

PROPERTY = settings(max_examples=300, deadline=None)

_PIECES = st.sampled_from(
    list(" \n\t.,;:!?()„“\"'»«‚‘’-–") + [
        # Subjects of the beneficiary sentences, their verbs and barriers.
        "Město Lhota", "Mezi námi, o.p.s.", "ENERGIE o. p. s.", "Dne 1. 7. 2010 ", "V roce 2010 ",
        " je ", " byla ", " se stal ", "realizátorem", "příjemcem", "žadatelem", "realizátoremX",
        " zahájila ", " podalo ", " podal", "zahájil", " žádost", "(dále jen „Příjemce“) ", "(dále",
        " projekt", "projektu", "Projekt ",
        # Regions and micro-regions.
        "Zlínský kraj", "v Jihomoravském kraji", "Na území ", "Karlovarského kraje", " kraj", "kraji",
        "ve Zlínském", " Kraj", "Vysočina",
        # Target groups and focus.
        "Cílové skupiny jsou ", "cílovou skupinou je ", "na tyto cílové skupiny: ", "následující ",
        "cílové skupiny:", "Cílovou skupinou projektu jsou ", "ílov", "tyto", "na ",
        " je zaměřen na ", "se zaměřuje na ", "byly primárně zaměřeny na ", " se soustředí na ",
        "jsou", "bude", "je", "se", "seniory", "rodiny s dětmi",
        # Foreign and Czech letters, funding words, English.
        "ä", "ö", "ü", "ß", "ł", "ś", "ě", "ř", "č", "Müller", "Großschönau", "dotace", "Dotace",
        "EVROPSK", "fond", "Please", "select", "your", "page", "Home", "Vlastní financování",
        "1.", "a)", "Kč", "Ostravsko", "Javornicku",
    ]
)
page_like = st.lists(_PIECES, max_size=40).map("".join)
any_text = st.one_of(page_like, st.text(max_size=80))



@PROPERTY
@given(any_text)
def test_region_scan_in_lines_matches_finditer(text: str) -> None:
    lines = content._finditer_in_lines(content._REGION, text, " kraj")
    assert spans(lines) == spans(content._REGION.finditer(text))


# (text, the same text without quotes and with its white space folded).
UNQUOTED = [
    ("„Zelená zahrada“", "Zelená zahrada"),
    ("»Naše  škola«\n ", "Naše škola"),
    ("projekt 'Lípa' a \"Dub\"", "projekt Lípa a Dub"),
    ("‚Malá‘ ’x’", "Malá x"),
    ("bez uvozovek", "bez uvozovek"),
    ("„“", ""),
]


@pytest.mark.parametrize(("text", "expected"), UNQUOTED)
def test_strip_quotes_on_examples(text: str, expected: str) -> None:
    assert strip_quotes(text) == expected


@PROPERTY
@given(any_text)
def test_strip_quotes_leaves_no_quote_and_single_spaces(text: str) -> None:
    unquoted = strip_quotes(text)
    assert not set(unquoted) & set("\"'„“”‚‘’»«")
    assert unquoted == " ".join(unquoted.split())
    assert strip_quotes(unquoted) == unquoted


_FUNDED = "Projekt je spolufinancován z dotace Evropské unie."
# (page text, whether it may describe a funded project): a page in another language is
# not one, however many funding words it holds; a Czech page may name foreign places.
PAGE_LANGUAGES = [
    pytest.param("Das Projekt wird aus dem Europäischen Fonds gefördert. Müller und Söhne bauen eine "
                 "Brücke über die Straße. Dotace EU für das Projekt. " * 3, False, id="german"),
    pytest.param("Partneři Müller a Großschönau přijedou. " + _FUNDED, True, id="czech-naming-german-places"),
    pytest.param("Žluťoučký kůň úpěl ďábelské ódy. " + _FUNDED, True, id="czech"),
]


@pytest.mark.parametrize(("text", "expected"), PAGE_LANGUAGES)
def test_a_page_in_another_language_is_no_project_page(text: str, expected: bool) -> None:
    assert looks_like_project_page(text) is expected


def test_an_english_line_is_not_the_title() -> None:
    record = extract_page("Please select your page\nZelená zahrada pro školu\n\n"
                          "Projekt Zelená zahrada pro školu je spolufinancován Evropskou unií.")
    assert record.title == "Zelená zahrada pro školu"


# Micro-regions read from their endings, cues grouped without a sort.
_MICRO_PIECES = st.sampled_from(
    list(" \n.,-_2ö") + ["na ", "Javornicku", "Bečovsko", "Ostravskem", "Zlínsku2", "sko", "cka", "skem",
                         "Šumavsko", "území ", "Vsko", "Abcsku", "ku", "Evropsk", "a"]
)


@PROPERTY
@given(st.one_of(st.lists(_MICRO_PIECES, max_size=30).map("".join), st.text(max_size=60)))
def test_microregions_match_finditer(text: str) -> None:
    assert spans(content._microregions(text)) == spans(content._MICROREGION.finditer(text))


_GROUPS_PAGE = "Název projektu: Zelená zahrada\n{}\n\n## Cílové skupiny\n\nsenioři\n\nrodiny s dětmi\n\n{}\n\nmládež"


@pytest.mark.parametrize(
    ("line", "groups"),
    [
        ("Více informací najdete ZDE.", ["senioři", "rodiny s dětmi"]),
        ("Klikněte na odkazy", ["senioři", "rodiny s dětmi"]),
        ("nodkaz", ["senioři", "rodiny s dětmi", "nodkaz", "mládež"]),
    ],
    ids=["more-here", "click", "word-holding-a-phrase"],
)
def test_a_line_addressing_the_reader_ends_a_list(line: str, groups: list[str]) -> None:
    assert extract_page(_GROUPS_PAGE.format(_FUNDED, line)).target_groups == groups


def _context(cues: list[tuple[str, int, int, str]]) -> Context:
    """A context over an empty document whose spaCy doc holds ``cues``, as the cue ruler orders them."""
    doc = SimpleNamespace(_=SimpleNamespace(cues=tuple(cues)))
    return Context(Document(text="", blocks=(), format="text", encoding="utf-8"), (), doc)  # type: ignore[arg-type]


# (cues as the ruler gives them: label, start, end, id), label, (start, end, id) per cue).
CUES = [
    pytest.param([("START", 0, 3, "a"), ("START", 0, 5, "b"), ("END", 2, 4, "")], "START", [(0, 5, "b")],
                 id="longest-at-a-start"),
    pytest.param([("START", 0, 5, "b"), ("START", 0, 3, "a")], "START", [(0, 5, "b")], id="longest-listed-first"),
    pytest.param([("START", 0, 3, "a"), ("START", 0, 3, "b")], "START", [(0, 3, "a")], id="tie-keeps-the-first"),
    pytest.param([("END", 1, 2, ""), ("START", 3, 4, ""), ("END", 5, 9, "x")], "END", [(1, 2, ""), (5, 9, "x")],
                 id="by-label-in-order"),
    pytest.param([("END", 1, 2, "")], "MAIN_GOAL", [], id="absent-label"),
]


@pytest.mark.parametrize(("cues", "label", "expected"), CUES)
def test_cues_by_label_on_examples(cues: list[tuple[str, int, int, str]], label: str,
                                   expected: list[tuple[int, int, str]]) -> None:
    assert list(_context(cues).cues(label)) == expected


_CUE = st.tuples(
    st.sampled_from(["START", "END", "MAIN_GOAL"]), st.integers(0, 30), st.integers(0, 5), st.sampled_from(["a", "b", ""])
).map(lambda c: (c[0], c[1], c[1] + c[2], c[3]))


@PROPERTY
@given(st.lists(_CUE, max_size=25), st.randoms())
def test_cues_by_label_are_the_longest_per_start_in_order(cues: list[tuple[str, int, int, str]], rnd: object) -> None:
    # doc._.cues comes ordered by start; within one start any order.
    rnd.shuffle(cues)  # type: ignore[attr-defined]
    cues.sort(key=lambda cue: cue[1])
    ctx = _context(cues)
    for label in ("START", "END", "MAIN_GOAL"):
        found = list(ctx.cues(label))
        starts = [start for start, _, _ in found]
        assert starts == sorted(set(starts))
        for start, end, _ in found:
            assert end == max(e for lab, s, e, _ in cues if lab == label and s == start)
        assert set(starts) == {s for lab, s, _, _ in cues if lab == label}


def test_microregion_examples() -> None:
    text = "Na Javornicku, ve Zlínsku2 a v Bečovskem; Abcsku_x."
    assert [m.group() for m in content._microregions(text)] == ["Javornicku", "Bečovskem"]
    assert spans(content._microregions(text)) == spans(content._MICROREGION.finditer(text))


_PLACE_PIECES = st.sampled_from(
    list(" \n.,-") + ["V ", "v ", "ve ", "Ve ", "nov ", "-v ", "vVe ", "Jihlavě", "Třebíči", "Českém Krumlově", "a ",
                      "Brně", "ŁódźX", "praze", "v  Praze"]
)


@PROPERTY
@given(st.one_of(st.lists(_PLACE_PIECES, max_size=30).map("".join), st.text(max_size=60)))
def test_in_place_scan_from_capital_starts_matches_finditer(text: str) -> None:
    starts = content._in_place_starts(text)
    assert starts == [m.start() for m in re.finditer(rf"[Vv](?=e? [{content._UPPER}])", text)]
    assert spans(finditer_at(content._IN_PLACE, text, starts)) == spans(content._IN_PLACE.finditer(text))


def test_in_place_scan_example() -> None:
    text = "V Jihlavě a ve Třebíči, nov Brně, -v Praze, vVe Kolíně"
    starts = content._in_place_starts(text)
    expected = spans(content._IN_PLACE.finditer(text))
    assert len(expected) == 2 and spans(finditer_at(content._IN_PLACE, text, starts)) == expected


@PROPERTY
@given(st.text(alphabet="ab„“\"oz", max_size=30), st.lists(st.text(alphabet="ab„“\"oz", max_size=3), max_size=4))
def test_holds_any_matches_any_over_words(text: str, words: list[str]) -> None:
    """The loop that replaced ``any()`` over a generator answers alike."""
    assert holds_any(text, words) == any(word in text for word in words)
