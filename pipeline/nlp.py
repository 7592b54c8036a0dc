"""The spaCy pipeline: a blank Czech tokenizer with rule components, built once per process.

Components:
- ``span_ruler`` with the cue patterns of ``data/patterns.jsonl`` (goal, subsidy,
  start/end, beneficiary and no-partner cues) into ``doc.spans["cues"]``;
- ``eu_entities``, which runs the normalisers (registration numbers, programmes, dates,
  periods, amounts) over the text and keeps their matches on ``doc._.eu`` with the
  aligned spans in ``doc.spans[label]``.
No statistical model is loaded: the Czech models available did not beat these rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.dates import DateMatch, PeriodMatch, find_dates, find_periods
from pipeline.extract.money import MoneyMatch, find_amounts
from pipeline.extract.programmes import ProgrammeMatch, find_programmes
from pipeline.extract.regnum import RegNumMatch, find_registration_numbers
from pipeline.vocab import load_data

__all__ = ["EntityMatches", "get_nlp"]


@dataclass(frozen=True, slots=True)
class EntityMatches:
    """What the normalisers found in one text, with character offsets."""

    regnums: tuple[RegNumMatch, ...]
    programmes: tuple[ProgrammeMatch, ...]
    dates: tuple[DateMatch, ...]
    periods: tuple[PeriodMatch, ...]
    amounts: tuple[MoneyMatch, ...]


if not Doc.has_extension("eu"):
    Doc.set_extension("eu", default=None)


@Language.component("eu_entities")
def eu_entities(doc: Doc) -> Doc:
    """Run the normalisers over the text and attach their matches and spans."""
    text = doc.text
    found = EntityMatches(
        tuple(find_registration_numbers(text)),
        tuple(find_programmes(text)),
        tuple(find_dates(text)),
        tuple(find_periods(text)),
        tuple(find_amounts(text)),
    )
    doc._.eu = found
    for key, matches in (
        ("REGNUM", found.regnums),
        ("PROGRAMME", found.programmes),
        ("PERIOD", found.periods),
        ("MONEY", found.amounts),
    ):
        spans = [doc.char_span(m.start, m.end, label=key, alignment_mode="expand") for m in matches]
        doc.spans[key] = [s for s in spans if s is not None]
    return doc


@cache
def get_nlp() -> Language:
    """Build the pipeline once per process (workers call this at start-up)."""
    nlp = spacy.blank("cs")
    ruler: Any = nlp.add_pipe(
        "span_ruler", config={"spans_key": "cues", "validate": True, "overwrite": False}
    )
    ruler.add_patterns([dict(p) for p in load_data("patterns.jsonl")])
    nlp.add_pipe("eu_entities")
    return nlp
