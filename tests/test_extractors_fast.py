"""The field extractors' faster paths give exactly what the plain code they replace gave.

Scans narrowed to the lines, sentences or anchors where a match can be, tests reordered
so that the cheap one comes first, and one pass in place of many: each property pins
the new path to the old one (kept here as the reference) on page-like text.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from helpers import spans
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean.document import Document
from pipeline.extract import _FOREIGN_LETTERS, _LANGUAGE_WINDOW, _reads_czech, content, identity
from pipeline.extract.context import Context
from pipeline.normalise.anchored import anchored_finditer, finditer_at
from pipeline.normalise.textutil import holds_any, strip_quotes
from pipeline.vocab import label_key

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
def test_subject_scans_match_finditer(text: str) -> None:
    role = identity._scan_near_words(identity._SUBJECT_ROLE, text, identity._ROLE_WORDS, 1)
    assert spans(role) == spans(identity._SUBJECT_ROLE.finditer(text))
    started = identity._scan_near_words(
        identity._SUBJECT_STARTED, text, identity._STARTED_WORDS, identity._STARTED_REACH
    )
    assert spans(started) == spans(identity._SUBJECT_STARTED.finditer(text))


def test_subject_scan_examples() -> None:
    examples = [
        "Úvod: text. Mezi námi, o.p.s. je realizátorem projektu. Další: věc!",
        "Město Vítkov (dále jen „Město“) podalo v roce 2019 žádost na projekt.",
        "ENERGIE o.p.s. zahájila 1.7. 2010 projekt; Obec Lhota je příjemcem",
        "Obec Lhota je realizátoremX projektu.",
    ]
    for text in examples:
        role = identity._scan_near_words(identity._SUBJECT_ROLE, text, identity._ROLE_WORDS, 1)
        assert spans(role) == spans(identity._SUBJECT_ROLE.finditer(text))
        started = identity._scan_near_words(
            identity._SUBJECT_STARTED, text, identity._STARTED_WORDS, identity._STARTED_REACH
        )
        assert spans(started) == spans(identity._SUBJECT_STARTED.finditer(text))
    assert spans(identity._SUBJECT_ROLE.finditer(examples[0])) != []


@PROPERTY
@given(any_text)
def test_region_scan_in_lines_matches_finditer(text: str) -> None:
    lines = content._finditer_in_lines(content._REGION, text, " kraj")
    assert spans(lines) == spans(content._REGION.finditer(text))


@PROPERTY
@given(any_text)
def test_anchored_list_patterns_match_finditer(text: str) -> None:
    tg = anchored_finditer(content._TG_PROSE, text, content._TG_PROSE_ANCHORS)
    assert spans(tg) == spans(content._TG_PROSE.finditer(text))
    focus = anchored_finditer(content._FOCUS, text, content._FOCUS_ANCHORS)
    assert spans(focus) == spans(content._FOCUS.finditer(text))


def _old_strip_quotes(text: str) -> str:
    """strip_quotes as it was: one translate."""
    return " ".join(text.translate(str.maketrans("", "", "\"'„“”‚‘’»«")).split())


@PROPERTY
@given(any_text)
def test_strip_quotes_matches_translate(text: str) -> None:
    assert strip_quotes(text) == _old_strip_quotes(text)


def _old_reads_czech(text: str) -> bool:
    """_reads_czech as it was: a count per foreign letter."""
    window = text[:_LANGUAGE_WINDOW]
    foreign = sum(window.count(letter) for letter in _FOREIGN_LETTERS)
    if foreign < 3:
        return True
    letters = sum(1 for char in window if char.isalpha())
    czech = sum(window.count(letter) for letter in "ěřůčšžýáíéúťďňĚŘŮČŠŽÝÁÍÉÚŤĎŇ")
    return foreign * 150 < letters or foreign <= czech


@PROPERTY
@given(any_text)
def test_reads_czech_matches_letter_counts(text: str) -> None:
    assert _reads_czech(text) == _old_reads_czech(text)


def _old_leading_stop(text: str) -> bool:
    """_leading_stop as it was: the whole line split."""
    words = text.split()
    return any(label_key(" ".join(words[:n])) == "stop" for n in range(2, min(len(words), 6) + 1))


def _old_english_line(text: str) -> bool:
    """_english_line as it was: words counted before the Czech letters were looked for."""
    words = re.findall(r"\w+", text.casefold())
    english = sum(w in identity._phrases()["english_words"] for w in words)
    return english >= 2 and not re.search(r"[áčďéěíňóřšťúůýž]", text.casefold())


@PROPERTY
@given(any_text)
def test_title_line_tests_match_old(text: str) -> None:
    assert identity._leading_stop(text) == _old_leading_stop(text)
    assert identity._english_line(text) == _old_english_line(text)


def test_title_line_test_examples() -> None:
    assert identity._leading_stop("Vlastní financování 997 920 Kč a další slova zde")
    assert identity._english_line("Please select your page")
    assert not identity._english_line("Please select your stránku")
    assert not identity._title_like("Slovo " * 60)


# Second round: shared scans in the title, micro-regions from their endings, cues unsorted.
_TITLE_PIECES = st.sampled_from(
    list(" \n.,;:()„“\"") + [
        "celým názvem ", "plným názvem „", "úplným ", "oficiálním", "názvem", "Rovnost žen a mužů",
        "Projekt ", "projektu ", "projekt", "rojekt", "Projektem „Naše škola“", "(CP NRP)", "(reg",
        "je realizován projekt ", "zahájila projekt ", "spuštěn", "Místní akční plán", "Centrum podpory",
    ]
)
title_like_text = st.one_of(st.lists(_TITLE_PIECES, max_size=30).map("".join), st.text(max_size=60))


@PROPERTY
@given(title_like_text)
def test_title_patterns_on_shared_starts_match_finditer(text: str) -> None:
    starts = identity._projekt_starts(text)
    for pattern in (identity._NAME_WITH_ACRONYM, identity._QUOTED_NAME):
        assert spans(finditer_at(pattern, text, starts)) == spans(pattern.finditer(text))
    if not starts:
        assert identity._STARTED_PROJECT.search(text) is None
    if "názvem" not in text:
        assert identity._FULL_NAME.search(text) is None


_MICRO_PIECES = st.sampled_from(
    list(" \n.,-_2ö") + ["na ", "Javornicku", "Bečovsko", "Ostravskem", "Zlínsku2", "sko", "cka", "skem",
                         "Šumavsko", "území ", "Vsko", "Abcsku", "ku", "Evropsk", "a"]
)


@PROPERTY
@given(st.one_of(st.lists(_MICRO_PIECES, max_size=30).map("".join), st.text(max_size=60)))
def test_microregions_match_finditer(text: str) -> None:
    assert spans(content._microregions(text)) == spans(content._MICROREGION.finditer(text))


def _old_addresses_reader(text: str) -> bool:
    """_addresses_reader as it was: one search per phrase."""
    folded = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w)}", folded) for w in content._phrase_set("reader_address"))


@PROPERTY
@given(st.one_of(st.lists(st.sampled_from([" ", "x", "Zde", "zde", "více info", "www.", "odkazy", "nodkaz", "Klikněte"]),
                          max_size=12).map("".join), st.text(max_size=40)))
def test_addresses_reader_matches_phrase_searches(text: str) -> None:
    assert content._addresses_reader(text) == _old_addresses_reader(text)


def _old_cues(raw: list[tuple[str, int, int, str]]) -> dict[str, list[tuple[int, int, str]]]:
    """Context._cues as it was: reduced, then sorted by start."""
    longest: dict[tuple[str, int], tuple[int, int, str]] = {}
    for label, start, end, id_ in raw:
        key = (label, start)
        if key not in longest or end > longest[key][1]:
            longest[key] = (start, end, id_)
    by_label: dict[str, list[tuple[int, int, str]]] = {}
    for (label, _), cue in sorted(longest.items(), key=lambda item: item[1][0]):
        by_label.setdefault(label, []).append(cue)
    return by_label


_CUE = st.tuples(
    st.sampled_from(["START", "END", "MAIN_GOAL"]), st.integers(0, 30), st.integers(0, 5), st.sampled_from(["a", "b", ""])
).map(lambda c: (c[0], c[1], c[1] + c[2], c[3]))


@PROPERTY
@given(st.lists(_CUE, max_size=25), st.randoms())
def test_cues_by_label_match_sorted_reduction(cues: list[tuple[str, int, int, str]], rnd: object) -> None:
    # doc._.cues comes ordered by start; within one start any order.
    rnd.shuffle(cues)  # type: ignore[attr-defined]
    cues.sort(key=lambda cue: cue[1])
    doc = SimpleNamespace(_=SimpleNamespace(cues=tuple(cues)))
    ctx = Context(Document(text="", blocks=(), format="text", encoding="utf-8"), (), doc)  # type: ignore[arg-type]
    assert ctx._cues == _old_cues(cues)
    for label in ("START", "END", "MAIN_GOAL", "NONE"):
        assert list(ctx.cues(label)) == _old_cues(cues).get(label, [])


def test_second_round_examples() -> None:
    text = "Na Javornicku, ve Zlínsku2 a v Bečovskem; Abcsku_x."
    assert [m.group() for m in content._microregions(text)] == ["Javornicku", "Bečovskem"]
    assert spans(content._microregions(text)) == spans(content._MICROREGION.finditer(text))
    assert content._addresses_reader("Více info najdete ZDE") and not content._addresses_reader("nodkaz")
    quoted = "Úvod. Projektem „Naše škola“ a projekt Centrum podpory (CP NRP) je"
    starts = identity._projekt_starts(quoted)
    assert len(starts) == 2
    assert spans(finditer_at(identity._QUOTED_NAME, quoted, starts)) == spans(identity._QUOTED_NAME.finditer(quoted)) != []


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
