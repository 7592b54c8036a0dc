"""The spaCy pipeline: a blank Czech tokenizer with rule components, built once per process.

Components:
- ``span_ruler`` with the cue phrases of ``data/cues.json`` (goal, subsidy, start/end,
  beneficiary and no-partner cues), matched on lower-cased tokens by a PhraseMatcher,
  into ``doc.spans["cues"]``;
- ``eu_entities``, which runs the normalisers (registration numbers, programmes, dates,
  periods, amounts) over the text and keeps their matches on ``doc._.eu`` with the
  aligned spans in ``doc.spans[label]``.
No statistical model is loaded: the Czech models available did not beat these rules.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]
from spacy.tokens import Doc
from spacy.vocab import Vocab

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
    # Doc.text re-joins every token; the caller hands the original string over instead.
    text = doc.user_data.get("text") or doc.text
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


# Leading and trailing punctuation split off words, nothing else: all the cue phrases
# look at. spaCy's full Czech rule set gives the same tokens for them at 13x the cost.
_PREFIX = re.compile(r"""^[\[\("'„“‚«»]""")
_SUFFIX = re.compile(r"""[\]\)"'“”‘’.,:;!?…»«]$""")


def word_tokenizer(vocab: Vocab) -> Tokenizer:
    """spaCy's tokenizer with only punctuation prefixes and suffixes (no exceptions)."""
    return Tokenizer(vocab, prefix_search=_PREFIX.search, suffix_search=_SUFFIX.search)


def cue_patterns() -> list[dict[str, str]]:
    """Phrase patterns for the span ruler: every slot combination of each cue in cues.json."""
    patterns: dict[tuple[str, str, str], None] = {}
    for cue in load_data("cues.json")["cues"]:
        for combo in itertools.product(*cue["sequences"]):
            phrase = " ".join(part for part in combo if part)
            patterns[(cue["label"], cue["id"], phrase)] = None
    return [{"label": label, "id": id_, "pattern": phrase} for label, id_, phrase in patterns]


@cache
def get_nlp() -> Language:
    """Build the pipeline once per process (workers call this at start-up)."""
    nlp = spacy.blank("cs")
    nlp.tokenizer = word_tokenizer(nlp.vocab)
    ruler: Any = nlp.add_pipe(
        "span_ruler",
        # Single words are phrase patterns (hash look-ups on the lower-cased text); only
        # the multi-token cues run through the slower token Matcher.
        config={"spans_key": "cues", "validate": True, "overwrite": False, "phrase_matcher_attr": "LOWER"},
    )
    ruler.add_patterns(cue_patterns())
    nlp.add_pipe("eu_entities")
    return nlp
