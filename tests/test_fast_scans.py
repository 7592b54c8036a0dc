"""The fast scans give exactly what the plain pattern scans they replace would give.

Each normaliser used to run its pattern over the whole text (``finditer``/``search``),
which tries the pattern at every character; it now tries it only where a match can
start. These properties pin the two to the same matches, on page-like text and on the
case-folding corner cases of ``(?i:...)``; ``sentence_end`` is pinned by examples.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from helpers import reference_span_ruler, spans
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import (
    _FUNDING_HINT,
    _REGNUM_HINT,
    _has_funding_hint,
    _has_regnum_hint,
    content,
)
from pipeline.extract.nlp import cue_patterns, get_nlp
from pipeline.normalise.dates import _TOKEN, _token_matches
from pipeline.normalise.money import _AMOUNT, _PREFIX, _SUFFIX, _amount_matches, _has_marker
from pipeline.normalise.programmes import _matches, _table
from pipeline.normalise.regnum import _CANDIDATE, _from_candidate, find_registration_numbers
from pipeline.normalise.textutil import first_sentence, sentence_end

PROPERTY = settings(max_examples=300, deadline=None)

# Characters that (?i:) folds onto Latin letters besides their own cases (Kelvin sign,
# long s, dotless and dotted i) and the pieces the patterns look for.
_ALPHABET = st.sampled_from(
    list("0123456789./-–,:;( )\u00a0\n\u212a\u017f\u0131\u0130KkčČeEsSiIpP")
    + ["CZ", "CZ.", "CZ ", "03.2.60/0.0/0.0/16_052/0009098", "Kč", "KČ", "EUR", "€", "eur",
       "korun", "mil.", "tis.", " ", "ledna", "Května", "LISTOPADU", "prosinec", "1. 4. ",
       "2019", "05/", "OP", "OPZ", "OPZ+", "IROP", "Operačního programu", "Zaměstnanost",
       "Interreg", "INTERREG", "Evropsk", "dotace", "EU", "projekt", "cílem"]
)
page_like = st.lists(_ALPHABET, max_size=60).map("".join)
any_text = st.one_of(page_like, st.text(max_size=120))



@PROPERTY
@given(any_text)
def test_amount_scan_matches_finditer(text: str) -> None:
    assert spans(_amount_matches(text)) == spans(_AMOUNT.finditer(text))


@PROPERTY
@given(any_text)
def test_currency_marker_test_matches_the_alternation(text: str) -> None:
    forms = sorted({*_SUFFIX, *_PREFIX}, key=len, reverse=True)
    alternation = re.compile("(?i:" + "|".join(re.escape(f) for f in forms) + ")")
    assert _has_marker(text) == (alternation.search(text) is not None)


@PROPERTY
@given(any_text)
def test_date_token_scan_matches_finditer(text: str) -> None:
    assert spans(_token_matches(text)) == spans(_TOKEN.finditer(text))


@pytest.mark.parametrize(
    "text",
    ["\u212avětna 2019", "ſrpna 2019", "lıstopadu 2020", "LİSTOPADU 2020", "x1. 4. 2019",
     ",2019", "1. 4. – 31. 12. 2019", "05.2019.", "od ledna do března 2014"],
)
def test_date_token_scan_on_case_folding_corners(text: str) -> None:
    assert spans(_token_matches(text)) == spans(_TOKEN.finditer(text))


@PROPERTY
@given(any_text)
def test_programme_scan_matches_the_anchor_search(text: str) -> None:
    for matcher in (_table().in_text, _table().everything):
        assert matcher.literals  # the fast path is the one under test
        plain = dataclasses.replace(matcher, literals=())
        assert _matches(text, matcher) == _matches(text, plain)


@PROPERTY
@given(any_text)
def test_registration_number_scan_matches_finditer(text: str) -> None:
    expected = [m for c in _CANDIDATE.finditer(text)
                if (m := _from_candidate(text, c.start(), c.end())) is not None]
    assert find_registration_numbers(text) == expected


@PROPERTY
@given(any_text)
def test_page_gate_hints_match_their_patterns(text: str) -> None:
    assert _has_regnum_hint(text) == (_REGNUM_HINT.search(text) is not None)
    assert _has_funding_hint(text) == (_FUNDING_HINT.search(text) is not None)


def test_cue_ruler_gives_what_the_span_ruler_gives() -> None:
    """Labels, offsets, pattern ids and order equal spaCy's span_ruler on the same patterns."""
    reference = reference_span_ruler()
    phrases = [p["pattern"] for p in cue_patterns()]
    texts = [
        " ".join(phrases[(i * 7 + j * 13) % len(phrases)] for j in range(i % 9 + 1))
        + (", " if i % 2 else "\n") + phrases[i % len(phrases)].upper() + "."
        for i in range(300)
    ]
    nlp = get_nlp()
    cues = 0
    for text in texts:
        expected_doc = reference(text)
        expected = [(s.label_, s.start_char, s.end_char, s.id_) for s in expected_doc.spans["cues"]]
        doc = nlp.make_doc(text)
        for _, component in nlp.pipeline:
            doc = component(doc)
        assert list(doc._.cues) == expected
        cues += len(expected)
    assert cues > 300


_SENTENCES = st.lists(
    st.sampled_from(list("abcčř. !?…\n\"„(ÁČ0") + ["asistence.Služby", "soc. ", "Věta. Další", "1. 2."]),
    max_size=40,
).map("".join)

# (text, its first sentence): the candidate ends the class-first pattern finds, less
# abbreviations, numbers and initials.
FIRST_SENTENCES = [
    ("Věta jedna. Další věta.", "Věta jedna"),
    ("poskytuje asistence.Služby jsou", "poskytuje asistence"),
    ("Nabízí soc. služby. Další", "Nabízí soc. služby"),
    ("Dne 1. 2. 2019 začal. Pak", "Dne 1. 2. 2019 začal"),
    ("Konec? „Nová", "Konec"),
    ("Tři tečky… Další", "Tři tečky"),
    ("Je to tak!(Ano)", "Je to tak!(Ano)"),
    ("Bez konce", "Bez konce"),
]


@pytest.mark.parametrize(("text", "sentence"), FIRST_SENTENCES)
def test_first_sentence_on_examples(text: str, sentence: str) -> None:
    assert first_sentence(text) == sentence
    assert text[: sentence_end(text)] == sentence


@PROPERTY
@given(_SENTENCES, st.integers(0, 40))
def test_a_sentence_ends_between_its_start_and_the_text_end(text: str, start: int) -> None:
    start = min(start, len(text))
    # (From a start in trailing white space it answers the end of the stripped text, before start.)
    if text[start:].strip():
        assert start <= sentence_end(text, start) <= len(text)


# --------------------------------------------------------------------------- prose rules
# The content patterns run only where their gate word occurs; the word-list patterns
# (identity's, content's) are scans, pinned by the registry test (tests/test_scans.py).


_PROSE_ALPHABET = st.sampled_from(
    list(" \n\u00a0,.;:()-–\"„“”xaAŽž\u0130\u0131") + [
        "projekt", "Projekt", "projektu", "Projektem", "rojekt", "s názvem ", "pod názvem ",
        "celým názvem ", "úplným ", "plným ", "oficiálním názvem ", "Centrum podpory", " (CP NRP)",
        "(CZ", "(reg", "realizován ", "realizuje ", "zahájila ", "spuštěn ", "realizovaný ",
        "Partnerem ", "Partnerskou organizací ", "partnerem projektu je ", "je ", "bude ",
        "v ", "V ", "ve ", "Ve ", "Jihlavě", "Českém Krumlově", "Brno", "Praha", "Hradišti",
        "městě ", "Město ", "obci ", "Obec ", "lokality ", "Lokalitách ", "středisko ", "pobočka ",
        "Městys ", "o.p.s.", "o. p. s.", "z. s.", "z.ú.", "o. s.", "spolek ", "zapsaný spolek ",
        "nezisková organizace ", "neziskovou organizací ", "obecně prospěšná společnost ",
        "Prioritní osa ", "prioritní osy ", "1.2 ", "OPZ ", "Nacházíte se na ", "Jste na ",
        "webových ", "stránkách ", "Ministerstvem ", "Oblastní charitou ", "Jste", "jste",
        "je zaměřen na ", "se soustředí na ", "Cílovou skupinou jsou ", "tyto cílové skupiny: ",
        "v Jihomoravském kraji", "Zlínský kraj", "Kraji", "seniory", "Kraj Vysočina", "kraje ",
        "Javornicku", "Bečovska", "sko", "ORP ", "obce s rozšířenou působností ", "15 ", "Plzeň",
    ]
)
prose_like = st.lists(_PROSE_ALPHABET, max_size=50).map("".join)
any_prose = st.one_of(prose_like, st.text(max_size=120))

@PROPERTY
@given(any_prose)
def test_prose_gates_hold_for_every_match(text: str) -> None:
    """A pattern run only when its gate word occurs never matches a text without it."""
    gates: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
        (content._REGION, (" kraj",)),
        (content._VYSOCINA, ("Vysočina",)),
    ]
    for pattern, words in gates:
        if pattern.search(text) is not None:
            assert any(word in text for word in words)
