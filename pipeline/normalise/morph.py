"""Czech morphology for names: the nominative of a place or organisation printed in another case.

Pages name places and organisations inside sentences ("V Jihlavě a Třebíči", "realizovaný
Oblastní charitou …", "na stránkách Kraje …") while records want the nominative. Two
sources, both conservative: the Czech lemma table of ``spacy-lookups-data`` (a word list
with inflected forms of common words and of some proper names), and the regular suffix
rules in ``pipeline/data/morphology.json``. When neither is sure, the answer is ``None``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

from pipeline.vocab import load_data

__all__ = [
    "declining_heads",
    "is_common_word",
    "lemma",
    "municipality_nominative",
    "not_places",
    "organisation_heads",
    "organisation_nominative",
    "place_followers",
    "place_nominative",
]


@cache
def _table() -> Mapping[str, str]:
    """The Czech lemma look-up table of spacy-lookups-data, read once per process."""
    raw = resources.files("spacy_lookups_data").joinpath("data", "cs_lemma_lookup.json.gz").read_bytes()
    table: dict[str, str] = json.loads(gzip.decompress(raw))
    return table


@cache
def _common_words() -> frozenset[str]:
    """Lower-case words the table knows as common words, inflected forms and lemmas alike."""
    words = {key for key in _table() if key.islower()}
    words.update(value for value in _table().values() if value.islower())
    return frozenset(words)


@cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    """Locative endings of place names with their nominative endings, longest first."""
    pairs = load_data("morphology.json")["place_locative_suffixes"]
    return tuple(sorted(((str(a), str(b)) for a, b in pairs), key=lambda p: -len(p[0])))


@cache
def _word_set(key: str) -> frozenset[str]:
    """One word list of morphology.json."""
    return frozenset(str(word) for word in load_data("morphology.json")[key])


def not_places() -> frozenset[str]:
    """Countries and larger areas a page names without placing the project there."""
    return _word_set("not_places")


def place_followers() -> frozenset[str]:
    """Nouns after which a capitalised locative word is not a town ("v Masarykově ulici")."""
    return _word_set("place_followers")


def declining_heads() -> frozenset[str]:
    """Municipal nouns whose names decline in the genitive ("města Kadaně")."""
    return _word_set("declining_heads")


def organisation_heads() -> frozenset[str]:
    """Nouns that name an organisation (kraj, ministerstvo, škola, spolek, …)."""
    return _word_set("organisation_heads")


def _with_case_of(model: str, word: str) -> str:
    """``word`` capitalised the way ``model`` is (first letter only)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def lemma(word: str) -> str | None:
    """The table's lemma of ``word``, capitalised like it; ``None`` when the table lacks it."""
    found = _table().get(word)
    if found is None and not word.islower():
        found = _table().get(word.lower())
    return None if found is None else _with_case_of(word, found)


def is_common_word(word: str) -> bool:
    """True when ``word`` (any case) is an inflected form or lemma of a common Czech word."""
    return word.lower() in _common_words()


def _place_noun(word: str) -> str | None:
    """The nominative of a locative place noun, from the table's proper names or a suffix rule."""
    proper = _table().get(word)
    if proper is not None:
        # A capitalised entry is a proper name ("Jihlavě" -> "Jihlava"), unless it is a
        # possessive or other adjective ("Masarykově" -> "Masarykův").
        if not proper[:1].isupper() or proper.endswith(("ův", "ová", "in", "ský", "cký")):
            return None
        return proper
    return None if is_common_word(word) else _by_suffix(word)


def _by_suffix(word: str) -> str | None:
    """The nominative a place-name suffix rule gives, or None when no rule applies."""
    for ending, nominative in _suffixes():
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + nominative
    return None


def _agree(adjective_stem: str, noun: str) -> str:
    """A hard adjective's nominative agreeing with a noun's nominative ending."""
    if noun.endswith("a"):
        return adjective_stem + "á"
    if noun.endswith(("o", "ě", "e", "í")):
        return adjective_stem + "é"
    return adjective_stem + "ý"


def place_nominative(words: Sequence[str]) -> str | None:
    """The nominative of a place after 'v'/'ve' ("Jihlavě", "Uherském Hradišti"); None if unsure."""
    if len(words) == 1:
        name = _place_noun(words[0])
    elif len(words) == 2 and words[0].endswith(("ém", "é")):
        adjective, noun = words
        head = _place_noun(noun)
        if head is None and not is_common_word(adjective):
            # "Uherském Hradišti": a proper adjective makes a common noun part of a name.
            head = _place_noun_any(noun)
        if head is None:
            return None
        stem = adjective[:-2] if adjective.endswith("ém") else adjective[:-1]
        if adjective.endswith("é") and not head.endswith("a"):
            return None  # "-é" before a non-feminine noun is not a locative adjective
        name = f"{_agree(stem, head)} {head}"
    else:
        return None
    if name is None or name in not_places():
        return None
    return name


def _place_noun_any(word: str) -> str | None:
    """Like _place_noun, but also for a common noun that is part of a name."""
    by_suffix = _by_suffix(word)
    if by_suffix is not None:
        return by_suffix
    found = lemma(word)
    return found if found is not None and found != word else None


def organisation_nominative(words: Sequence[str], case: str) -> str | None:
    """The nominative of an organisation name printed in the genitive or instrumental.

    Only the leading adjectives and the head noun decline ("Oblastní charitou Uherské
    Hradiště" -> "Oblastní charita Uherské Hradiště"); what follows the head is a genitive
    complement or a name that stays as printed.
    """
    stop = _word_set("org_stop_words")
    adjectives: list[tuple[str, str]] = []  # (word, nominative ending or "" if unchanged)
    index = 0
    head: str | None = None
    while index < len(words) and index < 4:
        word = words[index]
        lower = word.lower()
        if lower in stop or (word.isupper() and len(word) > 1):
            return None  # an acronym ("MAP") is no declined word, whatever the table says
        found = _table().get(lower)
        if found is not None and found.endswith("ý") and found != lower:
            adjectives.append((word, found[:-1]))
        elif found is None and lower.endswith("í") and index + 1 < len(words):
            adjectives.append((word, ""))  # a soft adjective: the same in every case used here
        elif found is not None and found != lower and not found.endswith(("ý", "í")):
            head = _with_case_of(word, found)
            index += 1
            break
        else:
            return None
        index += 1
    if head is None or head.lower() not in organisation_heads():
        return None  # "Projektu Zdravá škola", "Evropským fondem": no organisation named
    names = []
    for word, stem in adjectives:
        if not stem:
            names.append(word)
            continue
        lower = word.lower()
        feminine = lower.endswith("ou") if case == "instrumental" else lower.endswith("é")
        ending = "á" if feminine else ("é" if head.endswith(("o", "í", "um", "e")) else "ý")
        names.append(_with_case_of(word, stem + ending))
    names.append(head)
    for position in range(index, min(len(words), index + 8)):
        word = words[position]
        lower = word.lower()
        if lower in stop:
            break
        if lower == "a" and (position + 1 >= len(words) or words[position + 1][:1].isupper()):
            # "Základní školou a Mateřskou školou Lhota" is one name, "Městem Lhota a
            # Krajem" two parties: the words cannot tell, so neither is taken.
            return None
        names.append(word)
    if names and names[-1].lower() == "a":
        names.pop()
    return " ".join(names)


@cache
def _municipality_endings() -> tuple[tuple[str, str], ...]:
    """Genitive and instrumental endings of town names with their nominative endings."""
    pairs = load_data("morphology.json")["municipality_case_endings"]
    return tuple((str(a), str(b)) for a, b in pairs)


def _readings(word: str) -> set[str]:
    """The nominatives a town name's word may be a genitive or instrumental of, itself included."""
    readings = {word}
    for ending, nominative in _municipality_endings():
        if word.endswith(ending) and len(word) > len(ending) + 1:
            readings.add(word[: -len(ending)] + nominative)
    return readings


def municipality_nominative(words: Sequence[str], names: frozenset[str]) -> tuple[str, int] | None:
    """The municipality in ``names`` that the first words name in any case, with how many words.

    The longest name wins; when its words read as two different municipalities
    ("Lhotou" could only be "Lhota", but a short form may fit two), the answer is None.

    >>> municipality_nominative(["Kolínem", "v"], frozenset({"Kolín"}))
    ('Kolín', 1)
    """
    if not words or not words[0][:1].isupper():
        return None  # a town's name opens with a capital
    for count in range(min(len(words), 4), 0, -1):
        if not words[count - 1][:1].isupper():
            continue  # nor does it end on a small word ("Lhota u")
        found: set[str] = {""}
        for word in words[:count]:
            found = {f"{head} {reading}".strip() for head in found for reading in _readings(word)}
            if len(found) > 256:
                return None  # no name has so many readings; the words are no name
        matches = found & names
        if len(matches) == 1:
            return next(iter(matches)), count
        if len(matches) > 1:
            return None
    return None
