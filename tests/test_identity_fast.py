"""The identity extractors' literal gates and anchors give exactly what the plain scans gave.

Each gate skips a regex when the page lacks a piece every match holds; each anchor set
lists where a match can start. The properties pin them to the full ``finditer`` scans on
text built from the patterns' own words, letters and punctuation.
"""

from __future__ import annotations

import re

import pytest
from helpers import spans
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import identity
from pipeline.normalise.anchored import Anchor, anchored_finditer

PROPERTY = settings(max_examples=400, deadline=None)

_PIECES = st.sampled_from(
    list(" \n\t\u00a0.,;:!?()„“”\"'-–") + [
        # Title patterns: "projekt", acronyms, quotes, the verbs that start a project.
        "Projekt ", "projekt ", "projektu ", "projektem ", "rojekt", "s názvem ", "pod názvem ",
        "(CP NRP)", "(ČR)", "(Ab)", "(OPZ", "(", "CP", "ŠŘ", "Centrum podpory ", "Místní akční plán",
        "realizován ", "realizuje ", "realizace ", "zahájen ", "zahájila ", "spuštěn ", "Čáp", "x",
        # Classified organisations and their legal forms.
        "nezisková organizace ", "neziskovou organizací ", "obecně prospěšná společnost ", "zapsaný ",
        "spolek ", "spolkem ", "spolupráce ", "společně ", "spol", "Český západ", "Modrý kruh",
        "o.p.s.", "o. p. s.", "z. s.", "z.s.", "z. ú.", "o.s.", "o.", "z.", "s.", "p.", "ú.",
        "Mezi námi", ", ", "plánujeme ", "chceme ",
    ]
)
page_like = st.lists(_PIECES, max_size=40).map("".join)
any_text = st.one_of(page_like, st.text(max_size=80))


@PROPERTY
@given(any_text)
def test_title_gates_hold_for_every_match(text: str) -> None:
    if identity._NAME_WITH_ACRONYM.search(text):
        assert identity._ACRONYM_OPENING.search(text)
    if identity._STARTED_PROJECT.search(text):
        assert identity._PROJEKT_AND_NAME.search(text)
    if identity._QUOTED_NAME.search(text):
        assert any(quote in text for quote in identity._OPENING_QUOTES)


@pytest.mark.parametrize(
    ("pattern", "anchors"),
    [
        (identity._CLASSIFIED_ORG, identity._CLASSIFIED_ORG_ANCHORS),
        (identity._NGO_FORM_ALONE, identity._NGO_FORM_ANCHORS),
    ],
    ids=["classified-organisation", "legal-form"],
)
@PROPERTY
@given(text=any_text)
def test_anchors_match_finditer(pattern: re.Pattern[str], anchors: tuple[Anchor, ...], text: str) -> None:
    assert spans(anchored_finditer(pattern, text, anchors)) == spans(pattern.finditer(text))


@PROPERTY
@given(any_text)
def test_scans_behind_the_anchors_match_the_plain_ones(text: str) -> None:
    if identity._CLASSIFIED_ORG.search(text):
        assert any(noun in text for noun in identity._CLASSIFIED_ORG_NOUNS)
    assert spans(identity._ngo_form_matches(text)) == spans(identity._NGO_FORM.finditer(text))


def test_gates_pass_the_matches_they_guard() -> None:
    title = "Projekt Centrum podpory náhradní péče (CP NRP) je v běhu."
    assert identity._NAME_WITH_ACRONYM.search(title) and identity._ACRONYM_OPENING.search(title)
    started = "Obec realizuje projekt Místní akční plán Lhota."
    assert identity._STARTED_PROJECT.search(started) and identity._PROJEKT_AND_NAME.search(started)
    assert [m.group("org") for m in anchored_finditer(
        identity._CLASSIFIED_ORG, "Jsme spolek Modrý kruh, pomáháme.", identity._CLASSIFIED_ORG_ANCHORS
    )] == ["Modrý kruh"]
    assert spans(identity._ngo_form_matches("Mezi námi, o. p. s. a Kruh z.s.")) == [(9, 19), (26, 31)]
