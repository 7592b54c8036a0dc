"""Beneficiary rules read from running text: who the sentences say carries out the project.

Czech pages name their beneficiary in a few phrasing families, whatever the site:

- a predicate-first role sentence: "Realizátorem projektu je statutární město Kolín",
  "Příjemcem dotace se stala obec Lhota";
- a verb of carrying out a project with the organisation as its subject, before the verb
  ("Slezská diakonie realizuje projekt …", "Na jaře město Dobřany dokončilo realizaci
  akce …") or after it ("Projekt … realizuje Středočeský kraj");
- a card line whose label runs into the value ("Příjemce podpory Vodovody a kanalizace X");
- a school named in the project's own name ("Šablony pro ZŠ Lipová", "MŠ Lipová Šablony I").

Every rule takes a name only when it reads as an organisation's name in the nominative: a
head noun of an organisation kind after at most three adjectives, a school abbreviation,
or a legal form; a town or village ("obec", "město", "městys") is confirmed by the list of
Czech municipalities. The words of the rules are in ``data/beneficiary.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice

from pipeline.extract.context import Context, Found, evidence
from pipeline.normalise.morph import lemma, municipality_nominative
from pipeline.normalise.scan import Scan
from pipeline.records import Beneficiary
from pipeline.vocab import fold_label, label_key, label_table, load_data

__all__ = [
    "card_line_beneficiary",
    "label_value_name",
    "lead_partner_item",
    "lower_case_name",
    "municipalities",
    "organisation_span",
    "realised_by_town",
    "role_apposition_beneficiary",
    "role_predicate_beneficiary",
    "role_subject_beneficiary",
    "school_in_name",
    "site_owner_town",
    "town_in_genitive",
    "verb_subject_beneficiary",
]


@dataclass(frozen=True, slots=True)
class _Words:
    """The rule words of data/beneficiary.json, loaded once."""

    role_nouns: tuple[str, ...]
    copulas: tuple[str, ...]
    verbs: frozenset[str]
    objects: frozenset[str]
    topics: tuple[str, ...]
    openers: frozenset[str]
    breakers: frozenset[str]
    heads: frozenset[str]
    complement_heads: frozenset[str]
    municipal_heads: frozenset[str]
    adjectives: frozenset[str]
    schools: frozenset[str]
    legal_forms: tuple[str, ...]
    title_stops: frozenset[str]
    relatives: frozenset[str]
    expansions: dict[str, str]
    template_words: tuple[str, ...]
    adjective_named: frozenset[str]
    other_roles: tuple[str, ...]
    kind_nouns: frozenset[str]


@cache
def _words() -> _Words:
    """The rule words, parsed once."""
    data = load_data("beneficiary.json")

    def words(key: str) -> tuple[str, ...]:
        return tuple(str(word) for word in data[key])

    return _Words(
        role_nouns=words("role_nouns"),
        copulas=words("copulas"),
        verbs=frozenset(words("project_verbs")),
        objects=frozenset(words("project_objects")),
        topics=words("topic_words"),
        openers=frozenset(words("opening_adverbials")),
        breakers=frozenset(words("name_breakers")),
        heads=frozenset(words("organisation_heads")),
        complement_heads=frozenset(words("complement_heads")),
        municipal_heads=frozenset(words("municipal_heads")),
        adjectives=frozenset(words("name_adjectives")),
        schools=frozenset(words("school_abbreviations")),
        # Longest first, compared without spaces: "spol. s r.o." before "s.r.o.".
        legal_forms=tuple(sorted((f.replace(" ", "").casefold() for f in words("legal_forms")), key=len, reverse=True)),
        title_stops=frozenset(words("title_stop_words")),
        relatives=frozenset(words("relative_words")),
        template_words=words("template_words"),
        adjective_named=frozenset(words("adjective_named_heads")),
        expansions={str(k): str(v) for k, v in data["school_expansions"].items()},
        other_roles=words("other_roles"),
        kind_nouns=frozenset(words("kind_nouns")),
    )


@cache
def municipalities() -> frozenset[str]:
    """Names of Czech municipalities (data/municipalities.json), in the nominative."""
    return frozenset(str(name) for name in load_data("municipalities.json")["names"])


@cache
def _longest_municipality_words() -> int:
    """The most words a municipality's name has."""
    return max(len(name.split()) for name in municipalities())


# A word of running text with its offsets; punctuation after it stays attached.
_TOKEN = re.compile(r"[^\s]+")
_TRAILING_PUNCT = ",.;:!?)\"“”"
_ADJECTIVE_ENDINGS = ("ý", "á", "é", "í", "ova", "ův", "ovo", "ina", "in")
_ROMAN = re.compile(r"^[IVX]{1,4}\.?$")


def _bare(word: str) -> str:
    """A word without the punctuation printed after it."""
    return word.rstrip(_TRAILING_PUNCT)


def _capitalised(word: str) -> bool:
    """Whether a word starts with a capital letter (a name's word)."""
    return word[:1].isupper()


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` on its first line, as (start, end, word)."""
    newline = text.find("\n", start, end)
    stop = end if newline < 0 else newline
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, stop)]


def _legal_form_after(text: str, end: int) -> int | None:
    """Where a legal form printed right after a name ends (", z. s.", " s.r.o."), if one is."""
    rest = text[end : end + 40]
    stripped = rest.lstrip(", ")
    skipped = len(rest) - len(stripped)
    if skipped > 3 or "\n" in rest[:skipped]:
        return None
    folded = stripped.casefold()
    for form in _words().legal_forms:
        # Walk the printed text, skipping spaces, until the form's characters are matched.
        position, matched = 0, 0
        while matched < len(form) and position < len(folded):
            if folded[position] == " ":
                position += 1
                continue
            if folded[position] != form[matched]:
                break
            position, matched = position + 1, matched + 1
        after = folded[position : position + 1]
        if matched == len(form) and not (after.isalnum()):
            return end + skipped + position
    return None


def organisation_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The organisation name in the nominative that starts at ``start`` (read up to ``end``).

    ``None`` unless the words read as an organisation: a head noun of an organisation
    kind after at most three adjectives ("Slezská diakonie", "statutární město Kolín"),
    a school abbreviation ("ZŠ Lipová"), or a name closed by a legal form.

    >>> t = "Obec Lhota realizuje projekt."
    >>> t[slice(*organisation_span(t, 0, len(t)))]
    'Obec Lhota'
    """
    words = _words()
    tokens = _tokens(text, start, end)
    if not tokens:
        return None
    index = 0
    head: str | None = None
    first = _bare(tokens[0][2])
    if first in words.schools:
        head = "škola"
        index = 1
        # "ZŠ a MŠ Lipová": two school kinds joined.
        if len(tokens) > 2 and tokens[1][2] == "a" and _bare(tokens[2][2]) in words.schools:
            index = 3
    else:
        while index < min(len(tokens), 4):
            word = tokens[index][2]
            bare = _bare(word)
            lower = bare.casefold()
            if lower in words.heads and (_capitalised(bare) or lower in words.municipal_heads or index > 0):
                head = lower
                index += 1
                break
            if bare != word or not lower.endswith(_ADJECTIVE_ENDINGS):
                break
            # The first word is capitalised, or a common adjective of names printed in
            # lower case ("statutární město"); later adjectives may be lower case.
            if index == 0 and not (_capitalised(bare) or lower in words.adjectives):
                break
            index += 1
    if head is not None:
        index = _joined_kind(tokens, index, words)
    if head is None:
        # "se stala společnost Lipa CZ a.s.": a kind noun in lower case before a name
        # that a legal form closes; the name is what follows the noun.
        if len(tokens) > 1 and tokens[0][2] in words.kind_nouns:
            return _legal_form_name(text, tokens[1:])
        return _legal_form_name(text, tokens)
    # A proper adjective makes a name of a few heads ("Slezská diakonie", "Středočeský
    # kraj"); other heads need a name after them ("Oblastní charita Lipník", not
    # "Dětská skupina", which is a kind of service).
    proper = head in words.adjective_named and any(
        _bare(t[2]).casefold() not in words.adjectives for t in tokens[: index - 1]
    )
    head_token = tokens[index - 1]
    if _bare(head_token[2]) != head_token[2]:
        if not proper:
            return None
        return _with_legal_form(text, head_token[0] + len(_bare(head_token[2])), start)
    if head in words.municipal_heads:
        return _municipality_name(text, tokens, index, start)
    # "Spolek rodičů Lipník, z. s.": lower-case words inside a name that a legal form closes.
    return _named_after_head(text, tokens, index, head, start, proper) or _legal_form_name(text, tokens)


def _joined_kind(tokens: list[tuple[int, int, str]], index: int, words: _Words) -> int:
    """Past a second kind joined by "a" ("Základní škola a mateřská škola Lipová"): where the name starts."""
    if index >= len(tokens) or tokens[index][2] != "a" or _bare(tokens[index - 1][2]) != tokens[index - 1][2]:
        return index
    for position in range(index + 1, min(len(tokens), index + 4)):
        word = tokens[position][2]
        lower = word.casefold()
        if lower in words.heads and word == _bare(word):
            return position + 1
        if not lower.endswith(_ADJECTIVE_ENDINGS) or word != _bare(word):
            break
    return index


def _with_legal_form(text: str, end: int, start: int) -> tuple[int, int]:
    """The span from ``start`` to ``end``, extended over a legal form printed after it."""
    form_end = _legal_form_after(text, end)
    return start, form_end if form_end is not None else end


def _legal_form_name(text: str, tokens: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """A capitalised name of up to six words closed by a legal form ("Modrá síť, z. s.")."""
    if not _capitalised(tokens[0][2]):
        return None
    breakers = _words().breakers
    for index, (_, word_end, word) in enumerate(tokens[:6]):
        bare = _bare(word)
        if index > 0 and bare.casefold() in breakers:
            return None
        form_end = _legal_form_after(text, word_end - (len(word) - len(bare)))
        if form_end is not None:
            return tokens[0][0], form_end
        if bare != word and not word.endswith(","):
            return None
    return None


def _municipality_name(text: str, tokens: list[tuple[int, int, str]], index: int, start: int) -> tuple[int, int] | None:
    """"Obec Lhota", "město Mnichovo Hradiště": the head and the longest municipality name after it."""
    names = municipalities()
    best: int | None = None
    limit = min(len(tokens), index + _longest_municipality_words())
    for last in range(index, limit):
        words = [tokens[i][2] for i in range(index, last + 1)]
        words[-1] = _bare(words[-1])
        if " ".join(words) in names:
            best = last
        if _bare(tokens[last][2]) != tokens[last][2]:
            break
    if best is None:
        best = _capitalised_run(tokens, index)
    if best is None:
        return None
    end = tokens[best][0] + len(_bare(tokens[best][2]))
    return start, end


def _capitalised_run(tokens: list[tuple[int, int, str]], index: int) -> int | None:
    """The last token of a town's name not in the list ("Pietrowice Wielkie"): up to three capitalised words."""
    last = None
    for position in range(index, min(len(tokens), index + 3)):
        word = tokens[position][2]
        bare = _bare(word)
        if not bare or not _capitalised(bare) or not bare[0].isalpha():
            break
        last = position
        if bare != word:
            break
    return last


def _named_after_head(
    text: str, tokens: list[tuple[int, int, str]], index: int, head: str, start: int, proper: bool
) -> tuple[int, int] | None:
    """The head's name: capitalised words, or for a ministry or office its genitive complement."""
    words = _words()
    end = tokens[index - 1][1]
    # "Ministerstvo práce a sociálních věcí": a head that opens the name takes a genitive
    # complement; after adjectives ("Partnerská organizace zajišťuje …") lower case ends it.
    complement = head in words.complement_heads and index == 1
    before_and = end
    for position in range(index, min(len(tokens), index + 9)):
        word = tokens[position][2]
        bare = _bare(word)
        lower = bare.casefold()
        if not bare or lower in words.breakers or lower in words.verbs or _ROMAN.match(bare) or not bare[0].isalnum():
            break
        if position + 1 < len(tokens) and f"{lower} {_bare(tokens[position + 1][2]).casefold()}" in words.breakers:
            break
        if lower == "a":
            if not complement:
                break  # "Základní škola a mateřská škola …": two kinds, no sure name
            before_and = end  # "Úřad práce a …": a name does not end on "a"
        elif not (_capitalised(bare) or bare.isdigit() or (complement and not _verb_like(lower))):
            break
        end = tokens[position][0] + len(bare)
        if bare != word:
            break
    if text[end - 1 : end] == "a" and text[end - 2 : end - 1].isspace():
        end = before_and
    if end == tokens[index - 1][1] and not proper:
        return None  # a kind without a name ("Základní škola realizuje …")
    return _with_legal_form(text, end, start)


def _verb_like(word: str) -> bool:
    """Whether the lemma table reads a lower-case word as a form of a verb (its lemma an infinitive)."""
    found = lemma(word)
    return found is not None and found != word and found.endswith(("t", "ti", "ci"))


def _other_role(text: str, start: int, end: int) -> bool:
    """Whether a name or the words just before it name another party (a partner, a supplier)."""
    around = text[max(0, start) : end].casefold()
    return any(role in around for role in _words().other_roles)


def _takes_project_object(text: str, verb_end: int, sentence_end_at: int) -> bool:
    """Whether a verb's direct object within eight words is the project, its realisation or subsidy."""
    words = [_bare(word).casefold() for word in text[verb_end : min(sentence_end_at, verb_end + 200)].split()[:8]]
    objects, breakers = _words().objects, _words().breakers
    # After a preposition ("ocenění za projekt") the word is no direct object.
    return any(word in objects and (index == 0 or words[index - 1] not in breakers) for index, word in enumerate(words))


def _about_project(sentence: str) -> bool:
    """Whether a sentence opens with the project as its topic ("Projekt … realizuje …")."""
    return sentence.lstrip(" „\"").casefold().startswith(_words().topics)


@cache
def _verb_pattern() -> re.Pattern[str]:
    """Any verb of carrying out a project, as a whole word."""
    verbs = sorted(_words().verbs, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, verbs)) + r")(?![\w-])", re.IGNORECASE)


def _subject_starts(tokens: list[tuple[int, int, str]]) -> Iterator[int]:
    """Token indexes where a sentence's subject may start: first, or after an opening adverbial."""
    yield 0
    openers = _words().openers
    if not tokens or _bare(tokens[0][2]).casefold() not in openers:
        return
    # "Na jaře roku 2023 město …", "V roce 2019 obec …": a short phrase of time or place.
    yield from range(1, min(len(tokens), 7))


def _found(ctx: Context, span: tuple[int, int], method: str, look_back: int = 40) -> Found[Beneficiary] | None:
    """The beneficiary record of a name's span; None when the name is another party's."""
    start, end = span
    if _other_role(ctx.text, start - look_back, end):
        return None
    return Found(Beneficiary(name=ctx.text[start:end]), evidence(ctx.document, start, end, method))


_SUBJECT_REACH = 600
# A page states its beneficiary early; a page with thousands of matches of a rule (hostile
# or generated text) is read only up to this many of them.
_MAX_MATCHES = 200


def verb_subject_beneficiary(ctx: Context) -> Found[Beneficiary] | None:
    """The subject of a verb of carrying out a project ("Obec Lhota realizuje projekt …")."""
    text = ctx.text
    for verb in islice(_verb_pattern().finditer(text), _MAX_MATCHES):
        sentence_start, sentence_end = ctx.sentence_span(verb.start())
        takes_object = _takes_project_object(text, verb.end(), sentence_end)
        # A subject, its opening phrase and the words before the verb fit in a few hundred
        # characters; a longer run before the verb is not read (pages are untrusted).
        before = _tokens(text, sentence_start, verb.start()) if verb.start() - sentence_start <= _SUBJECT_REACH else None
        span = _subject_before(text, before, verb.start()) if takes_object and before is not None else None
        # Another party's role named in the sentence before the name ("partner projektu X").
        found = _found(ctx, span, "verb-subject", span[0] - sentence_start) if span is not None else None
        if found is not None:
            return found
        if span is not None:
            continue
        # "Projekt … realizuje Středočeský kraj": the subject after its verb, when
        # nothing before the verb could be one.
        topic = _about_project(text[sentence_start : min(verb.start(), sentence_start + 40)])
        if not (topic or (takes_object and before is not None and not any(_capitalised(t[2]) for t in before[1:]))):
            continue
        span = organisation_span(text, verb.end() + 1, min(sentence_end, verb.end() + 200))
        if span is not None and text[verb.end() : span[0]].strip() == "":
            found = _found(ctx, span, "verb-subject", span[0] - sentence_start)
            if found is not None:
                return found
    return None


def _subject_before(text: str, before: list[tuple[int, int, str]], verb_start: int) -> tuple[int, int] | None:
    """The organisation that opens the sentence before a verb, if one does."""
    for index in _subject_starts(before):
        if index >= len(before):
            break
        if index > 0 and any(ch in "„\"“(),;" for ch in before[index - 1][2]):
            break
        span = organisation_span(text, before[index][0], verb_start)
        if span is None:
            continue
        between = text[span[1] : verb_start]
        # What stands between the name and its verb: a few words of time, place or manner,
        # never the end of a clause nor a relative clause ("tým, který realizuje …").
        words = [_bare(w).casefold() for w in between.split()]
        if len(words) > 10 or any(mark in between for mark in ";:„\"“") or _words().relatives.intersection(words):
            return None
        return span
    return None


@cache
def _role_pattern() -> re.Pattern[str]:
    """A predicate-first role sentence up to its copula."""
    words = _words()
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(words.role_nouns, key=len, reverse=True))
    copulas = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(words.copulas, key=len, reverse=True))
    return re.compile(
        # At most six words between the role noun and its copula, none a clause's end or
        # "a" ("příjemcem dotace a partnerem je …" names a partner).
        r"(?<![\w-])(?:" + nouns + r")(?:\s+(?!a\s)[^\s.,;:!?]+){0,6}?\s+(?:" + copulas + r")\s+", re.IGNORECASE
    )


def role_predicate_beneficiary(ctx: Context) -> Found[Beneficiary] | None:
    """"Realizátorem projektu je statutární město Kolín": the organisation after the copula."""
    text = ctx.text
    for m in islice(_role_pattern().finditer(text), _MAX_MATCHES):
        # "Obec je realizátorem, …" is the subject-first family (identity's role-sentence).
        previous = text[max(0, m.start() - 8) : m.start()].split()[-1:]
        if previous and previous[0].casefold() in _words().copulas:
            continue
        span = organisation_span(text, m.end(), min(len(text), m.end() + 200))
        # The role noun itself may be "vedoucím partnerem": only the name is checked.
        found = _found(ctx, span, "role-predicate", look_back=0) if span is not None else None
        if found is not None:
            return found
    return None


@cache
def _line_labels() -> tuple[str, ...]:
    """Beneficiary labels of two words or more, folded, longest first."""
    labels = [label for label, key in label_table().items() if key == "beneficiary" and " " in label]
    return tuple(sorted(labels, key=len, reverse=True))


def card_line_beneficiary(ctx: Context) -> Found[Beneficiary] | None:
    """A card line whose label runs into the value without a colon ("Příjemce podpory Obec Lhota")."""
    for block in ctx.document.blocks:
        line = ctx.document.slice(block)
        if len(line) > 160 or "\n" in line.strip():
            continue
        folded = fold_label(line[:60])
        for label in _line_labels():
            if not folded.startswith(label + " "):
                continue
            tokens = _tokens(line, 0, len(line))
            count = len(label.split())
            if len(tokens) <= count:
                break
            value = line[tokens[count][0] : tokens[-1][1]]
            # A name, not a sentence: short, capitalised, no sentence's end.
            if not _capitalised(value) or len(tokens) - count > 10:
                break
            if value.endswith(".") and not _ends_in_legal_form(value):
                break
            offset = block.start + tokens[count][0]
            return _found(ctx, (offset, offset + len(value)), "label-line")
    return None


def _ends_in_legal_form(name: str) -> bool:
    """Whether a name ends with a legal form ("… spol. s r.o.")."""
    folded = name.replace(" ", "").casefold()
    return folded.endswith(_words().legal_forms)


# "Šablony pro ZŠ Lipová": a template project's name, wherever it stands.
_TEMPLATE_OPENING = Scan.from_data(
    "beneficiary:template-opening", load_data("beneficiary.json")["template_nouns"], r"\b{words}\b", either_case=True
)
# "projekt s názvem „Šablony pro ZŠ Lipová“": where a project's name is introduced (the
# forms of one noun; as a word-list scan, the optional "s" would be an anchor at every "s").
_NAME_INTRO = re.compile(r"\b(?:s\s+)?(?:názvem|název)\s+[„\"“]?", re.IGNORECASE)


def school_in_name(ctx: Context, title: str | None) -> Found[Beneficiary] | None:
    """The one school the project's own name names ("Šablony pro ZŠ Lipová", "MŠ Lipová Šablony I")."""
    text = ctx.text
    places: list[int] = []
    if title:
        found = text.find(title)
        if found >= 0:
            places.append(found)
    places.extend(m.end() for m in islice(_NAME_INTRO.finditer(text), _MAX_MATCHES))
    # "Šablony pro ZŠ Lipová", "Šablony II – MŠ Lipová": a template name wherever it stands.
    reach = {place: 160 for place in places}
    for m in islice(_TEMPLATE_OPENING.finditer(text), _MAX_MATCHES):
        reach.setdefault(m.start(), 30)
    spans = {}
    for place, chars in reach.items():
        # Pages are untrusted: every look stays within a bounded window.
        line_end = text.find("\n", place, place + chars)
        span = _school_after(text, place, place + chars if line_end < 0 else line_end)
        if span is not None:
            spans[text[span[0] : span[1]]] = span
    if len(spans) != 1:
        return None
    span = next(iter(spans.values()))
    return _found(ctx, _full_school_name(text, span) or span, "name-school")


def _template_name(name: str) -> bool:
    """Whether a project's name is that of a school template call ("Šablony II", "výzva 80")."""
    folded = name.casefold()
    return any(word in folded for word in _words().template_words)


def _full_school_name(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The school's full name where the page spells it ("Základní škola Lipová" for "ZŠ Lipová")."""
    expansions = _words().expansions
    abbreviation, _, place = text[span[0] : span[1]].partition(" ")
    if " a " in f" {place} ":
        return None  # "ZŠ a MŠ Lipová": the joined full name is printed too many ways
    full = expansions.get(abbreviation)
    if full is None or not place:
        return None
    folded = text.casefold()
    position = folded.find(full)
    while position >= 0:
        line_end = text.find("\n", position, position + 200)
        line_end = min(len(text), position + 200) if line_end < 0 else line_end
        # The place words right after the kind, or after one more name word ("Všehrdova").
        after = text.find(place, position + len(full), min(line_end, position + len(full) + 40))
        gap = text[position + len(full) : after] if after >= 0 else ""
        if after >= 0 and len(gap.split()) <= 1 and not any(mark in gap for mark in ",.;:"):
            return _with_legal_form(text, after + len(place), position)
        position = folded.find(full, position + 1)
    return None


def _school_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first school abbreviation and its place name within a project's name."""
    words = _words()
    tokens = _tokens(text, start, end)
    for index, (token_start, _, word) in enumerate(tokens[:12]):
        if _bare(word).strip("„\"“") not in words.schools:
            continue
        last = index
        if index + 2 < len(tokens) and tokens[index + 1][2] == "a" and _bare(tokens[index + 2][2]) in words.schools:
            last = index + 2
        name_end = None
        for position in range(last + 1, min(len(tokens), last + 5)):
            bare = _bare(tokens[position][2]).strip("„\"“”")
            if not bare or not _capitalised(bare) or bare.casefold() in words.title_stops or _ROMAN.match(bare):
                break
            name_end = tokens[position][0] + len(bare)
            if bare != tokens[position][2]:
                break
        if name_end is None:
            return None
        # A template project's name ("Šablony pro ZŠ …", "ZŠ Lipová výzva 80") names the
        # school that applied; "Rekonstrukce učeben ZŠ Lipová" is often its founder's project.
        if not _template_name(text[start:end]):
            return None
        return token_start + (1 if text[token_start] in "„\"“" else 0), name_end
    return None



@cache
def _instrumental_heads() -> dict[str, str]:
    """Municipal nouns in the instrumental with their nominative (data/beneficiary.json)."""
    data = load_data("beneficiary.json")["instrumental_municipal_heads"]
    return {str(k): str(v) for k, v in data.items()}


# A passive 'realizován' followed by a town's or village's noun in the instrumental.
_REALISED_BY_TOWN = Scan.from_data(
    "beneficiary:realised-by-town",
    load_data("beneficiary.json")["realised_by_noun_participles"],
    r"\b{words}\s+(" + "|".join(map(re.escape, sorted(_instrumental_heads(), key=len, reverse=True))) + r")\s+",
    re.IGNORECASE,
)


def realised_by_town(ctx: Context) -> Found[Beneficiary] | None:
    """"Projekt je realizován obcí Lhota": the town or village, its name confirmed by the list."""
    text = ctx.text
    for m in islice(_REALISED_BY_TOWN.finditer(text), _MAX_MATCHES):
        tokens = _tokens(text, m.end(), min(len(text), m.end() + 80))
        words = []
        for token in tokens[:4]:
            words.append(_bare(token[2]))
            if words[-1] != token[2]:
                break
        found = municipality_nominative(words, municipalities())
        if found is None:
            continue
        town, count = found
        end = tokens[count - 1][0] + len(words[count - 1])
        head = _instrumental_heads()[" ".join(m.group(1).casefold().split())]
        name = f"{head} {town}"
        return Found(Beneficiary(name=name), evidence(ctx.document, m.start(1), end, "realised-by-town"))
    return None


# A passive 'realizován' followed by an organisation's kind noun in the instrumental.
_REALISED_BY_KIND = Scan.from_data(
    "beneficiary:realised-by-kind",
    load_data("beneficiary.json")["realised_by_noun_participles"],
    r"\b{words}\s+(?:"
    + "|".join(map(re.escape, sorted(load_data("beneficiary.json")["instrumental_kind_nouns"], key=len, reverse=True)))
    + r")\s+",
    re.IGNORECASE,
)


def realised_by_company(ctx: Context) -> Found[Beneficiary] | None:
    """"Projekt je realizován společností Lipa s.r.o.": the name after the kind noun, closed by a legal form."""
    text = ctx.text
    for m in islice(_REALISED_BY_KIND.finditer(text), _MAX_MATCHES):
        # "Stavba byla realizována společností Kovák s.r.o." names the contractor: only
        # the project itself is realised by its beneficiary.
        sentence_start, _ = ctx.sentence_span(m.start())
        if "projekt" not in text[sentence_start : m.start()].casefold():
            continue
        tokens = _tokens(text, m.end(), min(len(text), m.end() + 120))
        span = _legal_form_name(text, tokens) if tokens else None
        found = _found(ctx, span, "realised-by-company", look_back=0) if span is not None else None
        if found is not None:
            return found
    return None


def town_in_genitive(words: str) -> tuple[str, str] | None:
    """"města Kadaně …" as ("Město Kadaň", the printed words it covers); None unless the list confirms it."""
    heads = load_data("beneficiary.json")["genitive_municipal_heads"]
    tokens = words.split()
    for size in (2, 1):
        head = " ".join(tokens[:size]).casefold()
        if head not in heads or len(tokens) <= size:
            continue
        rest = []
        for token in tokens[size : size + 4]:
            rest.append(_bare(token))
            if rest[-1] != token:
                break
        found = municipality_nominative(rest, municipalities())
        if found is None:
            return None
        town, count = found
        nominative = str(heads[head])
        name = f"{nominative[:1].upper()}{nominative[1:]} {town}"
        last = tokens[size + count - 1]
        printed_end = words.index(last, len(" ".join(tokens[: size + count - 1]))) + len(_bare(last))
        return name, words[:printed_end]
    return None


# "Nacházíte se na stránkách města Kadaně": the site's owner, a town in the genitive.
_ON_PAGES_OF = Scan.from_data(
    "beneficiary:on-pages-of",
    load_data("beneficiary.json")["site_visitor_phrases"],
    r"\b{words}\s+na\s+(?:[a-zá-ž]+\s+){0,3}stránkách\s+(?=[a-zá-ž])",
    either_case=True,
)


def site_owner_town(ctx: Context) -> Found[Beneficiary] | None:
    """The town or village whose pages these are, named in the genitive after 'na stránkách'."""
    text = ctx.text
    for m in islice(_ON_PAGES_OF.finditer(text), _MAX_MATCHES):
        line_end = text.find("\n", m.end(), m.end() + 80)
        words = text[m.end() : m.end() + 80 if line_end < 0 else line_end]
        found = town_in_genitive(words)
        if found is not None:
            name, printed = found
            return Found(Beneficiary(name=name), evidence(ctx.document, m.end(), m.end() + len(printed), "site-owner"))
    return None


# A Czech postcode ("123 45", "12345") in a comma-separated part: the address after a name.
_POSTCODE = re.compile(r"(?<!\d)\d{3}\s?\d{2}(?!\d)")


def label_value_name(name: str) -> str | None:
    """A labelled beneficiary as a name: no postal address after it; None for a person or a column label.

    >>> label_value_name("Obec Lhota, Náměstí 5, 123 45 Lhota")
    'Obec Lhota'
    """
    parts = name.split(",")
    # The address is the part with the postcode and the street part before it.
    for index, part in enumerate(parts[1:], start=1):
        if _POSTCODE.search(part):
            cut = index - 1 if index > 1 and any(ch.isdigit() for ch in parts[index - 1]) else index
            name = ",".join(parts[:cut]).strip(" ,")
            break
    if not name or label_key(name) is not None:
        return None  # a table's next column label ("Sídlo", "IČO"), not a value
    if any(word.casefold() in _person_titles() for word in name.split()[:3]):
        return None  # a contact person, not the organisation
    if _not_a_name(name):
        return None
    return name


@cache
def _value_words() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """Openings of labelled values that name no beneficiary, functions of a contact person, department words."""
    data = load_data("beneficiary.json")
    openings = tuple(sorted((fold_label(str(w)) for w in data["not_beneficiary_values"]), key=len, reverse=True))
    functions = frozenset(fold_label(str(w)) for w in data["person_functions"])
    return openings, functions, frozenset(str(w) for w in data["department_words"])


# A street and house number closing a part ("Dlouhá 15", "Náměstí Míru 1/5a").
_HOUSE_NUMBER = re.compile(r"\s\d{1,5}[a-z]?(?:/\d{1,5}[a-z]?)?$")
_ONLY_NUMBER = re.compile(r"^[\d\s.,/–-]+(?:Kč|CZK|EUR|€|%)?\.?$")
_NAME_WORD = re.compile(r"^[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][a-zá-ž]+$")


def _not_a_name(name: str) -> bool:
    """Whether a labelled value is something else than an organisation's name.

    A funder or managing authority, a contact line or an answer; a sentence (the
    paragraph under a heading-label); a department without its organisation; a person
    with a function after the name; an amount, a bare kind, a street address.

    >>> [_not_a_name(v) for v in ("Odbor školství", "Dlouhá 15, Lhota", "Jan Novák, starosta", "Obec Lhota")]
    [True, True, True, False]
    """
    openings, functions, departments = _value_words()
    folded = fold_label(name)
    if any(folded == w or folded.startswith(w + " ") for w in openings):
        return True
    tokens = [_bare(word).casefold() for word in name.split()]
    if tokens and tokens[0] in departments and not any(_capitalised(w) for w in name.split()[1:]):
        return True  # a department without the organisation it belongs to
    words = _words()
    # A sentence, not a name: the value of a heading-label is its section's paragraph.
    if any(t in words.verbs or t in words.copulas for t in tokens) or (tokens and tokens[0] in words.topics):
        return True
    parts = [part.strip() for part in name.split(",")]
    if any(fold_label(part) in functions for part in parts[1:]):
        return True  # "Jan Novák, starosta": the contact person
    first = parts[0]
    if organisation_span(first, 0, len(first)) is not None:
        return False
    if _ONLY_NUMBER.match(first) or fold_label(first) in words.heads:
        return True  # an amount, or an organisation's kind without its name ("Obec")
    return _HOUSE_NUMBER.search(first) is not None  # a street address, not a name


@cache
def _person_titles() -> frozenset[str]:
    """Academic titles before or after a person's name."""
    return frozenset(str(title) for title in load_data("beneficiary.json")["person_titles"])


@cache
def _apposition_pattern() -> re.Pattern[str]:
    """A role noun in the nominative, maybe with its complement, before a name."""
    data = load_data("beneficiary.json")
    nouns = sorted((str(n) for n in data["role_nouns_nominative"]), key=len, reverse=True)
    complements = "|".join(re.escape(str(c)) for c in data["role_complements"])
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in nouns) + r")"
        r"(?:\s+(?:" + complements + r"))?,?[ \t\u00a0]+(?=[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽa-zá-ž])",
        re.IGNORECASE,
    )


def role_apposition_beneficiary(ctx: Context) -> Found[Beneficiary] | None:
    """"Žadatel Kancelář X hradí …": a role noun in the nominative before an organisation's name."""
    text = ctx.text
    for m in islice(_apposition_pattern().finditer(text), _MAX_MATCHES):
        span = organisation_span(text, m.end(), min(len(text), m.end() + 200))
        if span is None:
            continue
        # A name in a sentence that goes on: the label-like cards are the label rules' part.
        rest = text[span[1] : span[1] + 40].lstrip(" ,")
        if not rest or not rest[0].islower():
            continue
        found = _found(ctx, span, "role-apposition", look_back=0)
        if found is not None:
            return found
    return None


def lower_case_name(text: str) -> str | None:
    """A labelled value printed in lower case that reads as an organisation ("statutární město Opava")."""
    if not text[:1].islower():
        return None
    span = organisation_span(text, 0, min(len(text), 200))
    return text[span[0] : span[1]] if span is not None else None


@cache
def _copula_role_pattern() -> re.Pattern[str]:
    """A copula and a role noun in the instrumental ("… je příjemcem", "… se stala realizátorem")."""
    words = _words()
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(words.role_nouns, key=len, reverse=True))
    copulas = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(words.copulas, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + copulas + r")\s+(?:" + nouns + r")(?![\w-])", re.IGNORECASE)


def role_subject_beneficiary(ctx: Context) -> Found[Beneficiary] | None:
    """"V roce 2019 se statutární město Kolín stalo příjemcem …": the organisation before a copula and role."""
    text = ctx.text
    for m in islice(_copula_role_pattern().finditer(text), _MAX_MATCHES):
        sentence_start, _ = ctx.sentence_span(m.start())
        if m.start() - sentence_start > _SUBJECT_REACH:
            continue
        before = _tokens(text, sentence_start, m.start())
        # "se" of "se stala" may stand before the subject ("V roce 2019 se obec Lhota stala …").
        span = _subject_before(text, [t for t in before if t[2] != "se"], m.start())
        found = _found(ctx, span, "role-subject", span[0] - sentence_start) if span is not None else None
        if found is not None:
            return found
    return None


@cache
def _lead_partner_pattern() -> re.Pattern[str]:
    """A list line that ends in a lead partner's role ("Obec Lhota – vedoucí partner", "Město X (Lead Partner)")."""
    roles = sorted((str(r) for r in load_data("beneficiary.json")["lead_partner_roles"]), key=len, reverse=True)
    role = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in roles)
    return re.compile(
        r"^[\s•*·▪◦-]*(?P<org>[^\W\d_][^\n]{1,150}?)\s*(?:[–—-]\s*(?:" + role + r")|\(\s*(?:" + role + r")\s*\))\s*[,;.]?\s*$",
        re.IGNORECASE,
    )


def lead_partner_item(ctx: Context) -> Found[Beneficiary] | None:
    """The partner a list of partners marks as the lead one: in Interreg projects, the beneficiary."""
    text = ctx.text
    if "partner" not in text.casefold() and "příjemce" not in text.casefold():
        return None
    pattern = _lead_partner_pattern()
    for block in ctx.document.blocks:
        line = ctx.document.slice(block)
        if len(line) > 200:
            continue
        m = pattern.match(line)
        if m is None:
            continue
        name = m.group("org").strip()
        if not _capitalised(name) or len(name.split()) > 12 or label_value_name(name) != name:
            continue
        start = block.start + m.start("org")
        return Found(Beneficiary(name=name), evidence(ctx.document, start, start + len(name), "lead-partner-item"))
    return None
