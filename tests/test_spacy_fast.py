"""The cheaper spaCy stage gives what spaCy's own span ruler gives; month names still read.

The pipeline's vocabulary computes LOWER and LANG alone for a new word, and the cue
ruler reads fewer Token objects; the reference is a blank Czech pipeline with every
lexical attribute and spaCy's own ``span_ruler`` on the same patterns. The date token
pattern checks a month name's first letter before its name alternations: every month
form, in every case, must still read as its month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import spacy
from helpers import reference_span_ruler
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from pipeline.extract.nlp import cue_patterns, get_nlp
from pipeline.normalise.dates import parse_date
from pipeline.vocab import load_data

PROPERTY = settings(max_examples=300, deadline=None)

_PHRASES = [p["pattern"] for p in cue_patterns()]
# Pieces of page-like text: cue phrases in several cases, words (new ones too), the
# punctuation the tokenizer splits off, white space of every kind and case-folding oddities.
_PIECES = st.one_of(
    st.sampled_from(_PHRASES).flatmap(
        lambda p: st.sampled_from([p, p.upper(), p.title(), p.replace("i", "\u0130"), p.replace("k", "\u212a")])
    ),
    st.sampled_from(list(" \n\t\u00a0,.:;!?()[]\"'„“‚«»…") + ["  ", " \n ", "\n\n"]),
    st.text(alphabet=st.sampled_from(list("abcčřžáíKkSsĚ0123456789-/\u017f\u0131")), min_size=1, max_size=8),
)
_PROSE = st.lists(_PIECES, max_size=40).map(" ".join)


@pytest.fixture(scope="module")
def reference() -> Language:
    """The pipeline as it was: every lexical attribute, spaCy's span ruler."""
    return reference_span_ruler()


def _cues(nlp: Language, text: str) -> tuple[Any, ...]:
    """``doc._.cues`` of the pipeline on ``text``, as the extractors run it."""
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return tuple(doc._.cues)


@PROPERTY
@given(text=_PROSE)
def test_tokens_and_cues_are_the_old_ones(text: str, reference: Language) -> None:
    expected_doc = reference(text)
    doc = get_nlp().make_doc(text)
    assert [(t.text, t.idx, t.lower_) for t in doc] == [(t.text, t.idx, t.lower_) for t in expected_doc]
    expected = tuple((s.label_, s.start_char, s.end_char, s.id_) for s in expected_doc.spans["cues"])
    assert _cues(get_nlp(), text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "CÍL PROJEKTU: nové slovo xq17zz. Cíl projektu, cíl\nprojektu",
        "  \n\t(cíl projektu)  „Cíl  projektu“ …",
        "",
    ],
)
def test_cues_on_examples(text: str, reference: Language) -> None:
    expected_doc = reference(text)
    expected = tuple((s.label_, s.start_char, s.end_char, s.id_) for s in expected_doc.spans["cues"])
    assert _cues(get_nlp(), text) == expected


def test_config_names_the_word_tokenizer() -> None:
    # Built from its config, the pipeline never compiles the Czech rule set's tokenizer,
    # and a copy built from the same config tokenizes alike.
    config = get_nlp().config
    assert config["nlp"]["tokenizer"] == {"@tokenizers": "pipeline.word_tokenizer"}
    again = spacy.blank("cs", config={"nlp": {"tokenizer": config["nlp"]["tokenizer"]}})
    text = "„Cíl projektu“: (OPZ), 1. 4. 2019."
    assert [t.text for t in again(text)] == [t.text for t in get_nlp().make_doc(text)]


def test_new_words_get_the_lower_case_form_only() -> None:
    lexeme = get_nlp().vocab["NeviděnéSlovoXQ"]
    assert lexeme.lower_ == "neviděnéslovoxq"
    assert get_nlp().vocab.lang == "cs"


# --------------------------------------------------------------------------- dates


_MONTHS = sorted(
    (int(month), form)
    for table in ("months", "english")
    for month, forms in load_data("months.json")[table].items()
    for form in forms
)


@pytest.mark.parametrize(("month", "form"), _MONTHS)
def test_every_month_form_reads_as_its_month(month: int, form: str) -> None:
    """The cheap check on a month name's first letter lets every form and case through."""
    for text in (f"{form} 2019", f"{form.upper()} 2019", f"{form.title()}\u00a02019"):
        found = parse_date(text)
        assert found is not None, text
        assert (found.start, found.end) == (0, len(text))
        assert (found.first, found.last.month, found.precision) == (date(2019, month, 1), month, "month")
