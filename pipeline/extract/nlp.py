"""The spaCy pipeline: a blank Czech tokenizer with rule components, built once per process.

Components:
- ``cue_ruler`` with the cue phrases of ``data/cues.json`` (goal, subsidy, start/end,
  beneficiary and no-partner cues), matched on lower-cased tokens by a PhraseMatcher,
  into ``doc._.cues`` as ``(label, start_char, end_char, pattern id)`` tuples: what
  spaCy's ``span_ruler`` would put into ``doc.spans``, in its order, without building
  Span objects (building them, then reading them back, cost more than the matching);
- ``eu_entities``, which runs the normalisers (registration numbers, programmes, dates,
  periods, amounts) over the text and keeps their matches, with character offsets, on
  ``doc._.eu``.
No statistical model is loaded: the Czech models available did not beat these rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.attrs import LANG, LOWER  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from pipeline.normalise.dates import DateMatch, PeriodMatch, find_dates, find_periods
from pipeline.normalise.money import MoneyMatch, find_amounts
from pipeline.normalise.programmes import ProgrammeMatch, find_programmes
from pipeline.normalise.regnum import RegNumMatch, find_registration_numbers
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


# A cue: label, start and end character offsets, pattern id.
Cue = tuple[str, int, int, str]

if not Doc.has_extension("eu"):
    Doc.set_extension("eu", default=None)
if not Doc.has_extension("cues"):
    Doc.set_extension("cues", default=())


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
    return doc


# Leading and trailing punctuation split off words, nothing else: all the cue phrases
# look at. spaCy's full Czech rule set gives the same tokens for them at 13x the cost.
_PREFIX = re.compile(r"""^[\[\("'„“‚«»]""")
_SUFFIX = re.compile(r"""[\]\)"'“”‘’.,:;!?…»«]$""")


def word_tokenizer(vocab: Vocab) -> Tokenizer:
    """spaCy's tokenizer with only punctuation prefixes and suffixes (no exceptions)."""
    return Tokenizer(vocab, prefix_search=_PREFIX.search, suffix_search=_SUFFIX.search)


_TOKENIZER = "pipeline.word_tokenizer"


def make_word_tokenizer() -> Callable[[Language], Tokenizer]:
    """``word_tokenizer`` as a registered tokenizer, for the config ``get_nlp`` builds from."""

    def create(nlp: Language) -> Tokenizer:
        return word_tokenizer(nlp.vocab)

    return create


registry.tokenizers.register(_TOKENIZER, func=make_word_tokenizer)


def cue_patterns() -> list[dict[str, str]]:
    """Phrase patterns for the span ruler: every slot combination of each cue in cues.json."""
    patterns: dict[tuple[str, str, str], None] = {}
    for cue in load_data("cues.json")["cues"]:
        for combo in itertools.product(*cue["sequences"]):
            phrase = " ".join(part for part in combo if part)
            patterns[(cue["label"], cue["id"], phrase)] = None
    return [{"label": label, "id": id_, "pattern": phrase} for label, id_, phrase in patterns]


class CueRuler:
    """spaCy's ``span_ruler`` for phrase patterns on LOWER, giving tuples instead of Spans."""

    def __init__(self, nlp: Language, patterns: list[dict[str, str]]) -> None:
        """Tokenise the phrase patterns as the span ruler does and add them to a PhraseMatcher."""
        strings = nlp.vocab.strings
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER", validate=True)
        # Per match id: label, pattern id and the hashes a Span sorts by.
        self._labels: dict[int, tuple[str, str, int, int]] = {}
        for entry in patterns:
            label, id_ = entry["label"], entry.get("id", "")
            key = repr((label, id_))
            self._labels[strings.add(key)] = (label, id_, strings.add(label), strings.add(id_))
            self._matcher.add(key, [nlp.make_doc(entry["pattern"])])

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.cues``: the matches, deduplicated and ordered as Spans would be."""
        labels = self._labels
        found: dict[tuple[int, int, int, int], Cue] = {}
        for match_id, start, end in self._matcher(doc):
            if start == end:
                continue
            label, id_, label_hash, id_hash = labels[match_id]
            last = doc[end - 1]
            last_start = last.idx
            # Most cues are one word: its first token is its last (a Token costs a call).
            start_char = last_start if end - start == 1 else doc[start].idx
            end_char = last_start + len(last)
            # The span ruler's Spans sort by (start_char, end_char, label, kb_id, id).
            found[(start_char, end_char, label_hash, id_hash)] = (label, start_char, end_char, id_)
        doc._.cues = tuple([found[key] for key in sorted(found)]) if found else ()
        return doc


@Language.factory("cue_ruler")
def make_cue_ruler(nlp: Language, name: str) -> CueRuler:
    """The cue ruler with the patterns of cues.json (spaCy component factory)."""
    return CueRuler(nlp, cue_patterns())


@cache
def get_nlp() -> Language:
    """Build the pipeline once per process (workers call this at start-up)."""
    # Named in the config, the word tokenizer is the only one built: replacing it after
    # ``spacy.blank`` first compiled the Czech rule set's regexes: half of this function's
    # time, 0.05 s of every worker's start-up.
    nlp = spacy.blank("cs", config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER}}})
    # A word the vocabulary has not seen gets a lexeme with every attribute of the
    # language computed (23 Python getters, several strings stored; most of the cost of a
    # new word); the cue matcher reads LOWER alone, and LANG keeps ``vocab.lang``.
    vocab: Any = nlp.vocab  # the stubs leave lex_attr_getters out
    getters = vocab.lex_attr_getters
    vocab.lex_attr_getters = {attr: getters[attr] for attr in (LOWER, LANG)}
    nlp.add_pipe("cue_ruler")
    nlp.add_pipe("eu_entities")
    return nlp
