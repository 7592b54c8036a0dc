"""Names of EU-funding programmes in Czech text, in any grammatical case, and code tables.

The vocabulary (official nominative names, abbreviations, written variants and the
programme codes per programming period) lives in ``pipeline/data/programmes.json``;
this module turns it, once, into one inflection-tolerant matcher.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from pipeline.vocab import load_data

__all__ = [
    "ProgrammeMatch",
    "abbreviation_for",
    "canonical_programme",
    "find_programme_mentions",
    "find_programmes",
    "named_as_printed",
    "programme_for_code",
]


@dataclass(frozen=True, slots=True)
class ProgrammeMatch:
    """A programme named in text: ``text[start:end]`` names the programme ``name``."""

    start: int
    end: int
    name: str
    abbreviation: str | None


# Spaces inside a name: ordinary, no-break, narrow no-break and thin spaces, never a
# newline (blocks of the cleaned text are separated by newlines). The patterns name the
# first three only: ``_matches`` reads the other two as no-break spaces (same length, so
# offsets hold). A class with characters beyond Latin-1 costs the regex compiler a
# 64K-entry table per occurrence, and the name patterns hold hundreds: it was three
# quarters of building the matchers at a worker's start.
_WS = r"[ \t\u00a0]{1,3}"
_WS0 = r"[ \t\u00a0]{0,3}"
_DASH = "-–—‐"
_DASH_CLASS = r"\-–—‐"
_TOKEN = re.compile(rf"[{_DASH_CLASS}]|[^\s{_DASH_CLASS}]+")
# Inflected forms of the words that head a programme name (genitive "Operačního
# programu", dative "Operačnímu programu", instrumental "Operačním programem" ...).
_INFLECTION: Any = load_data("programmes.json")["name_inflection"]
_NOUN_FORMS: dict[str, str] = {
    noun: re.escape(noun) + "(?:" + "|".join(map(re.escape, endings)) + ")?"
    for noun, endings in _INFLECTION["head_nouns"].items()
}
# An adjective's nominative ending and the regex of every case form that replaces it.
_ADJECTIVE_FORMS: dict[str, str] = {
    ending: "(?:" + "|".join(map(re.escape, forms)) + ")" for ending, forms in _INFLECTION["adjective_endings"].items()
}
_HEAD_NOUNS = frozenset(_NOUN_FORMS)
_BEFORE = r"(?<![\w+./@#&-])"
_AFTER = r"(?![\w+@]|[-./]\w)"


def _first_letter_free(word: str) -> str:
    """Regex for a word whose first letter may be either case ("Operační", "operační")."""
    first, rest = word[0], word[1:]
    if first.lower() != first.upper():
        head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]"
    else:
        head = re.escape(first)
    return head + re.escape(rest)


def _inflect(word: str) -> str:
    """Regex for a heading word in any case (adjectives in -í/-ý, the head nouns)."""
    lower = word.lower()
    if lower in _NOUN_FORMS:
        return _first_letter_free(word[0]) + _NOUN_FORMS[lower][1:]
    for ending, forms in _ADJECTIVE_FORMS.items():
        if len(word) > 3 and lower.endswith(ending):
            return _first_letter_free(word[: -len(ending)]) + forms
    return _first_letter_free(word)


def _literal_word(word: str) -> str:
    """Regex for a word of the proper part of a name: as written, comma optional."""
    comma = word.endswith(",")
    core = word.rstrip(",")
    if not core:
        return ",?"
    # Acronyms and numerals (ČR, NUTS, II, V-A) keep their case; words may start either way.
    body = re.escape(core) if core.isupper() or core[0].isdigit() else _first_letter_free(core)
    return body + (",?" if comma else "")


def _join(parts: list[tuple[str, bool]]) -> str:
    """Join word regexes; a dash token becomes an optional dash with tolerant spacing."""
    out: list[str] = []
    previous_dash = True
    for regex, is_dash in parts:
        if is_dash:
            out.append(f"(?:{_WS0}[{_DASH_CLASS}]{_WS0}|{_WS})")
        else:
            if not previous_dash:
                out.append(_WS)
            out.append(regex)
        previous_dash = is_dash
    return "".join(out)


# A name pattern split as (head, rest): ``head + rest`` is the pattern. The head is the
# inflected heading words and the space after them ("Operačního programu "), shared by
# many names; it is "" when the name has none to share. Whatever the rest matches starts
# with a character that is no space, so a head matches a text one way at most before a
# rest can match: its word endings and space runs are fixed by the space or letter that
# follows each of them. Factoring the head out of an alternation therefore gives the same
# match as trying each whole alternative in turn.
Pieces = tuple[str, str]


def _opens_with_text(token: str) -> bool:
    """Whether a word's regex can only match from a character that is no space."""
    return bool(token.rstrip(","))


def _name_pieces(name: str) -> tuple[Pieces, Pieces | None]:
    """Head and rest of the patterns ``_name_patterns`` gives for one name."""
    tokens = _TOKEN.findall(name)
    words = [t for t in tokens if t not in _DASH]
    head_len = 0
    for i, word in enumerate(words[:4]):
        if word.lower() in _HEAD_NOUNS:
            head_len = i + 1
            break
    parts: list[tuple[str, bool]] = []
    seen_words = 0
    for token in tokens:
        if token in _DASH:
            parts.append(("", True))
            continue
        regex = _inflect(token) if seen_words < head_len else _literal_word(token)
        parts.append((regex, False))
        seen_words += 1
    full: Pieces = ("", _join(parts))
    if (
        head_len
        and len(tokens) > head_len
        and not any(t in _DASH for t in tokens[: head_len + 1])
        and _opens_with_text(tokens[head_len])
    ):
        full = (_join(parts[:head_len]) + _WS, _join(parts[head_len:]))
    # "OP Zaměstnanost" is as common as "Operační program Zaměstnanost".
    if (
        head_len == 2
        and words[0].lower() == "operační"
        and len(words) > 2
        and tokens[2] not in _DASH
    ):
        rest = _join(parts[2:])
        short = (f"OP{_WS}", rest) if _opens_with_text(tokens[2]) else ("", f"OP{_WS}{rest}")
        return full, short
    return full, None


def _name_patterns(name: str) -> tuple[str, str | None]:
    """Inflection-tolerant regexes for one nominative programme name: as written, and
    its "OP …" form for an Operační program name (else None)."""
    full, short = _name_pieces(name)
    return "".join(full), None if short is None else "".join(short)


def _abbreviation_pattern(abbreviation: str) -> str:
    """Case-sensitive regex for an abbreviation as a whole token ("OP VVV", "OPZ+")."""
    return "".join(_abbreviation_pieces(abbreviation))


def _abbreviation_pieces(abbreviation: str) -> Pieces:
    """Head (first word and the space after it, "" for one word) and rest of an
    abbreviation's pattern."""
    words = abbreviation.split()
    if len(words) == 1:
        return "", re.escape(words[0])
    return re.escape(words[0]) + _WS, _WS.join(re.escape(w) for w in words[1:])


def _alternation(parts: Mapping[str, Pieces]) -> str:
    """Named alternatives, in order, with a head that neighbours share matched once.

    "Operačního programu " starts some sixty names; matched again for each of them, it
    was most of the time spent in the largest pattern.
    """
    runs: list[tuple[str, list[str]]] = []
    for group, (head, rest) in parts.items():
        if not runs or runs[-1][0] != head:
            runs.append((head, []))
        runs[-1][1].append(f"(?P<{group}>{rest})")
    return "|".join(
        head + "(?:" + "|".join(named) + ")" if head else "|".join(named) for head, named in runs
    )


def _key(opening: str) -> str:
    """Lookup key of a name opening: its first letter may be written in either case."""
    return opening[:1].lower() + opening[1:]


def _openings(source: str, is_abbreviation: bool) -> set[str]:
    """Where an alternative can start: its first word (at most five characters)."""
    openings = {source.split()[0][:5]}
    if not is_abbreviation and source.split()[0].lower() == "operační":
        openings.add("OP")  # the "OP Zaměstnanost" form of the same name
    return openings


@dataclass(frozen=True, slots=True)
class _Matcher:
    """Programme names grouped by opening, with a cheap anchor pattern over all openings.

    Trying every inflected form (hundreds) at every word is ~100x slower than finding a
    possible opening first and trying only the forms that start with it.
    """

    anchor: re.Pattern[str]
    # Plain strings, each with its offsets from the anchor's start, whose occurrences
    # include every place the anchor can match: found by ``str.find``, far faster than
    # trying the anchor pattern at every character of a page.
    literals: tuple[tuple[str, tuple[int, ...]], ...]
    # Sources of the patterns to try per opening, compiled on first use (``_compiled``).
    by_opening: Mapping[str, tuple[str, ...]]
    group_names: Mapping[str, str]


# An alternative: source text, official name, whether the source is an abbreviation.
Alternative = tuple[str, str, bool]


@cache
def _compiled(source: str) -> re.Pattern[str]:
    """One opening's pattern, compiled when a text first shows that opening.

    A page names few programmes, and most openings never occur: compiling all of them
    cost a worker a third of a second at start. The two matchers share the patterns of
    the openings whose alternatives they share (same group names, same source).
    """
    return re.compile(source)


def _matcher(alternatives: list[Alternative], groups: Mapping[Alternative, str]) -> _Matcher:
    """Build a _Matcher of (source, name, is_abbreviation) alternatives named by ``groups``."""
    grouped: dict[str, dict[str, Pieces]] = {}
    group_names: dict[str, str] = {}
    anchors: set[str] = set()
    literals: set[tuple[str, int]] = set()
    # Longest first, so that "... Zaměstnanost plus" wins over "... Zaměstnanost" and
    # "OPZ+" over "OPZ" at the same position. A repeated alternative adds nothing: the
    # first copy matches wherever the second would.
    ordered = sorted(dict.fromkeys(alternatives), key=lambda a: (-len(a[0]), a[0]))
    for alternative in ordered:
        source, name, is_abbreviation = alternative
        group = groups[alternative]
        group_names[group] = name
        if is_abbreviation:
            full, short = _abbreviation_pieces(source), None
        else:
            full, short = _name_pieces(source)
        for opening in _openings(source, is_abbreviation):
            # A group is tried only where the text starts with its opening: the full
            # name's group holds the form that starts with the name's first word, the
            # "OP" group the short form ("[Oo]perační" cannot match at "OP", nor "OP" at
            # "Opera"), which halves the largest patterns.
            regex = full if opening == source.split()[0][:5] else short
            if regex is not None:
                grouped.setdefault(_key(opening), {})[group] = regex
            exact = is_abbreviation or opening == "OP"
            anchors.add(re.escape(opening) if exact else _first_letter_free(opening))
            free = not exact and opening[0].lower() != opening[0].upper()
            literals.add((opening[1:], 1) if free else (opening, 0))
    sources = {
        key: _BEFORE + "(?:" + _alternation(parts) + ")" + _AFTER
        for key, parts in grouped.items()
    }
    # An opening also needs the groups of the shorter openings it starts with ("OPZ" text
    # may still be "OP Z…" for a shorter anchor), tried together, longest hit kept.
    by_opening = {
        key: tuple(
            sources[other]
            for other in sorted(sources, key=len, reverse=True)
            if key.startswith(other)
        )
        for key in sources
    }
    anchor = re.compile(_BEFORE + "(?:" + "|".join(sorted(anchors, key=len, reverse=True)) + ")")
    # A string that starts with another at the same offset is found through that one.
    kept = tuple(sorted(
        (text, offset) for text, offset in literals
        if not any(o == offset and other != text and text.startswith(other) for other, o in literals)
    ))
    if any(not text for text, _ in kept):
        kept = ()  # an opening of one letter: scan with the anchor pattern instead
    # A string that holds another ("IROP", "ROP" and "SROP" hold "OP") is found through
    # it at a further offset: each search is a pass over the whole page.
    inner = [text for text, _ in kept if not any(o != text and o in text for o, _ in kept)]
    offsets: dict[str, set[int]] = {}
    for text, offset in kept:
        needle = min((i for i in inner if i in text), key=len)
        offsets.setdefault(needle, set()).add(offset + text.index(needle))
    literals_by_needle = tuple(sorted((needle, tuple(sorted(o))) for needle, o in offsets.items()))
    return _Matcher(
        anchor, literals_by_needle, MappingProxyType(by_opening), MappingProxyType(group_names)
    )


def _anchor_starts(text: str, matcher: _Matcher) -> list[int] | None:
    """Every place the matcher's anchor may match, in order (None: no literals to use)."""
    if not matcher.literals:
        return None
    starts: set[int] = set()
    for literal, offsets in matcher.literals:
        found = text.find(literal)
        while found >= 0:
            starts.update(found - offset for offset in offsets if offset <= found)
            found = text.find(literal, found + 1)
    return sorted(starts)


@dataclass(frozen=True, slots=True)
class _Table:
    """The compiled matchers and the lookups derived from programmes.json."""

    in_text: _Matcher
    everything: _Matcher
    abbreviations: Mapping[str, str | None]
    codes: Mapping[str, Mapping[str, str]]
    printed: frozenset[str]


@cache
def _table() -> _Table:
    """Build the matchers and lookups once."""
    data: Any = load_data("programmes.json")
    running: list[Alternative] = []
    complete: list[Alternative] = []
    abbreviations: dict[str, str | None] = {}
    printed: set[str] = set()
    for entry in data["programmes"]:
        name = entry["name"]
        abbreviations[name] = entry["abbreviation"]
        if entry.get("printed", False):
            printed.add(name)
        ambiguous = set(entry["ambiguous"])
        for form in [name, *entry["variants"]]:
            running.append((form, name, False))
            complete.append((form, name, False))
        for abbreviation in entry["abbreviations"]:
            complete.append((abbreviation, name, True))
            if abbreviation not in ambiguous:
                running.append((abbreviation, name, True))
    codes = {
        period: MappingProxyType(dict(table))
        for period, table in data["codes"].items()
        if not period.startswith("_")
    }
    # Every alternative of ``running`` is one of ``complete``: one name per alternative.
    groups = {alternative: f"p{index}" for index, alternative in enumerate(dict.fromkeys(complete))}
    in_text = _matcher(running, groups)
    # Every page is searched with ``in_text``: its patterns (~40 ms) are compiled here, at
    # a worker's start, not during the first page that names a programme. Those only the
    # other matcher has (abbreviations too ambiguous for running text, needed for label
    # values alone; ~1 ms each, 12 ms for its "OP" group) wait for their first use.
    for sources in in_text.by_opening.values():
        for source in sources:
            _compiled(source)
    return _Table(
        in_text=in_text,
        everything=_matcher(complete, groups),
        abbreviations=MappingProxyType(abbreviations),
        codes=MappingProxyType(codes),
        printed=frozenset(printed),
    )


def _matches(text: str, matcher: _Matcher) -> list[ProgrammeMatch]:
    """Every programme the matcher finds in ``text``, longest hit at each start."""
    if "\u202f" in text or "\u2009" in text:
        # The patterns' spaces name the no-break space for these two (see _WS).
        text = text.replace("\u202f", "\u00a0").replace("\u2009", "\u00a0")
    abbreviations = _table().abbreviations
    found: list[ProgrammeMatch] = []
    position = 0
    starts = _anchor_starts(text, matcher)
    index = 0
    while True:
        if starts is None:
            hint = matcher.anchor.search(text, position)
        else:
            hint = None
            while index < len(starts):
                if starts[index] >= position:
                    hint = matcher.anchor.match(text, starts[index])
                    if hint is not None:
                        break
                index += 1
        if hint is None:
            break
        best: re.Match[str] | None = None
        for source in matcher.by_opening.get(_key(hint.group()), ()):
            match = _compiled(source).match(text, hint.start())
            if match is not None and (best is None or match.end() > best.end()):
                best = match
        if best is None or best.lastgroup is None:
            position = hint.start() + 1
            continue
        name = matcher.group_names[best.lastgroup]
        found.append(ProgrammeMatch(best.start(), best.end(), name, abbreviations[name]))
        position = max(best.end(), hint.start() + 1)
    return found


def find_programmes(text: str) -> list[ProgrammeMatch]:
    """Programmes named in running text, mapped to their official nominative names.

    >>> [m.name for m in find_programmes("podpořeno z Operačního programu Zaměstnanost plus")]
    ['Operační program Zaměstnanost plus']
    >>> [m.abbreviation for m in find_programmes("v rámci OP VVV a IROP")]
    ['OP VVV', 'IROP']
    """
    if not isinstance(text, str) or not text:
        return []
    return _matches(text, _table().in_text)


def find_programme_mentions(text: str) -> list[ProgrammeMatch]:
    """Every programme named in ``text``, the ambiguous abbreviations ("OP Z", "NPO") too.

    Those abbreviations also mean other things in running text: a caller counts them
    only for a programme the page names in full as well.

    >>> [m.abbreviation for m in find_programme_mentions("z OP Z")]
    ['OPZ']
    """
    if not isinstance(text, str) or not text:
        return []
    return _matches(text, _table().everything)


_EDGE_JUNK = re.compile(r"^[\s\"'„“”‚‘’»«(\[:;,.–—-]+|[\s\"'„“”‚‘’»«)\]:;,.–—-]+$")


def canonical_programme(text: str) -> str | None:
    """The official name for one programme name, abbreviation or inflected form, else None.

    >>> canonical_programme("Operačního programu Výzkum, vývoj a vzdělávání")
    'Operační program Výzkum, vývoj a vzdělávání'
    >>> canonical_programme("NPO")
    'Národní plán obnovy'
    >>> canonical_programme("Naše cesta") is None
    True
    """
    if not isinstance(text, str):
        return None
    value = _EDGE_JUNK.sub("", " ".join(text.split()))
    if not value or len(value) > 300:
        return None
    names = {m.name for m in _matches(value, _table().everything)}
    if len(names) == 1:
        return names.pop()
    return None


def programme_for_code(period: str, code: str) -> tuple[str, str | None] | None:
    """Official name and abbreviation of the programme a registration number's code names.

    >>> programme_for_code("2014-2020", "03")
    ('Operační program Zaměstnanost', 'OPZ')
    >>> programme_for_code("2014-2020", "99") is None
    True
    """
    table = _table()
    name = table.codes.get(period, {}).get(code)
    if name is None:
        return None
    return name, table.abbreviations.get(name)


def named_as_printed(name: str) -> bool:
    """Whether records name this programme as the page prints it (no one official spelling).

    >>> named_as_printed("Interreg Česko – Polsko"), named_as_printed("Operační program Zaměstnanost")
    (True, False)
    """
    return name in _table().printed


def abbreviation_for(name: str) -> str | None:
    """The usual abbreviation of an official programme name (None when it has none)."""
    return _table().abbreviations.get(name)
