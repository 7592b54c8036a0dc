"""What the project does: goals, target groups, key activities, places, results, summary."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from itertools import islice, takewhile

from pipeline.clean.document import Block
from pipeline.clean.segment import Section
from pipeline.extract.beneficiary import municipalities
from pipeline.extract.context import Context, Found, evidence
from pipeline.normalise.anchored import finditer_at, first_matches, lines_holding, lowered
from pipeline.normalise.morph import (
    municipality_nominative,
    not_places,
    place_followers,
    place_nominative,
)
from pipeline.normalise.scan import Scan, alternation
from pipeline.normalise.textutil import first_sentence, item_phrase, sentence_end
from pipeline.records import Goals, Result
from pipeline.vocab import fold_label, label_key, load_data

__all__ = ["extract_goals", "extract_list", "extract_locations", "extract_results", "extract_summary"]

# Pages are untrusted: a rule tries at most this many places (a page repeating a cue
# thousands of times costs no more than a page with a few), and reads at most this much
# text after a cue (a sentence stating a goal or a group is far shorter).
_MAX_TRIES = 20
_MAX_SENTENCE_CHARS = 2000
# A list item is a phrase, not a paragraph; longer blocks end a run of plain-line items.
_MAX_ITEM_CHARS = 300
_MAX_ITEMS = 40


def _alternation(file: str, key: str) -> str:
    """A word list of a data file as a regex alternation in its order; a space in a
    phrase stands for any run of white space.

    >>> _alternation("goals.json", "aside_copulas")
    'je|bylo|bude|byl|byla'
    """
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in load_data(file)[key])


_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_TG_WORDS = load_data("target_groups.json")
# "Cílovou skupinou [projektu] jsou …", and "… tyto cílové skupiny: …" (the groups after
# the colon): two scans, tried as one alternation of the two in this order.
_GROUP_SENTENCE, _GROUP_LIST = range(2)
_TG_PROSE = (
    Scan.from_data(
        "content:group-sentence",
        _TG_WORDS["group_adjectives"],
        r"\b{words}\s+skupin(?:ou|u|y|a)\s+"
        rf"(?:(?:{_alternation('target_groups.json', 'group_qualifiers')})\s+)?"
        rf"(?:{_alternation('target_groups.json', 'group_verbs')})\s+",
        either_case=True,
    ),
    Scan.from_data("content:group-list", _TG_WORDS["group_list_openers"], r"\b{words}\s+cílové\s+skupiny\s*:\s*"),
)
_RESULT = re.compile(r"^\s*(\d[\d\s]{0,9}(?:,\d+)?)\s+([^\W\d][^0-9–\-:;,.()]{2,60}?)\s*(?:[-–:(,]|$)")


@cache
def _folded(file: str, key: str) -> frozenset[str]:
    """A word or phrase list of a data file, folded as labels are (``fold_label``)."""
    return frozenset(fold_label(x) for x in load_data(file)[key])


def _prepositions() -> frozenset[str]:
    """Czech prepositions, folded (prepositions.json)."""
    return _folded("prepositions.json", "prepositions")


@cache
def _reader_address() -> re.Pattern[str]:
    """Any reader-address phrase at a word start: one scan instead of one per phrase."""
    phrases = "|".join(re.escape(w) for w in sorted(_folded("lists.json", "reader_address")))
    return re.compile(rf"(?<!\w)(?:{phrases})")


def _addresses_reader(text: str) -> bool:
    """Lines pointing the reader elsewhere ('si můžete přečíst zde') are not items."""
    return _reader_address().search(text.casefold()) is not None


_SEMICOLON = re.compile(r"\s*;\s*")
# The comma and the space before a capital; the split keeps the capital.
_COMMA_CAPITAL = re.compile(r",\s+(?=[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])")


def _split_inline(text: str) -> list[tuple[int, str]]:
    """Split one value into items on semicolons, or on commas before capitals."""
    if ";" in text:
        parts = _SEMICOLON.split(text)
    elif _COMMA_CAPITAL.search(text) and len(text) < 250 and "." not in text:
        parts = _COMMA_CAPITAL.split(text)
    else:
        parts = [text]
    out, pos = [], 0
    for part in parts:
        idx = text.find(part, pos)
        out.append((idx, part))
        pos = idx + len(part)
    return out


# A line that groups the items after it ("Za subjekt školní družina") is short.
_MAX_SUB_HEADING_CHARS = 60


def _sub_heading(ctx: Context, block: Block, following: list[Block]) -> bool:
    """Whether a short line between list items heads the next group of the same list."""
    text = ctx.document.slice(block).strip()
    return (
        bool(following) and following[0].kind == "item"
        and 0 < len(text) <= _MAX_SUB_HEADING_CHARS and not text.endswith(".")
    )


def _items_of(ctx: Context, section: Section) -> list[tuple[int, int, str]]:
    """The items a list section holds: list items, sub-headings, or short lines."""
    body = [b for b in section.body if ctx.document.slice(b).strip()]
    items: list[tuple[int, int, str]] = []

    def add(start: int, text: str) -> None:
        phrase = _TRAILING_PAREN.sub("", item_phrase(text)).strip(" ,;:")
        if phrase and len(phrase) >= 3:
            s = start + max(0, text.find(phrase[:20]))
            items.append((s, s + len(phrase), phrase))

    list_items = [b for b in body if b.kind == "item"]
    if list_items:
        top = min(b.level for b in list_items)
        started = False
        for n, block in enumerate(body):
            if block.kind == "item":
                started = True
                if block.level == top:
                    add(block.start, ctx.document.slice(block))
            elif started and not _sub_heading(ctx, block, body[n + 1 : n + 2]):
                break
        return items[:_MAX_ITEMS]
    sub_headings = [b for b in body if b.kind == "heading"]
    if sub_headings and not section.is_pair:
        for block in sub_headings:
            add(block.start, ctx.document.slice(block))
        return items[:_MAX_ITEMS]
    if section.is_pair or len(body) == 1:
        if not body:
            return []
        text = ctx.document.slice(body[0])
        block = body[0]
        if len(text) > _MAX_ITEM_CHARS and not section.is_pair:
            return []
        for offset, part in _split_inline(text):
            add(block.start + offset, part)
        return items[:_MAX_ITEMS]
    for block in body:
        text = ctx.document.slice(block)
        if len(text) > _MAX_ITEM_CHARS or _addresses_reader(text) or label_key(text) is not None:
            break
        add(block.start, text)
    return items[:_MAX_ITEMS]


def _found_list(ctx: Context, items: list[tuple[int, int, str]], method: str) -> Found[list[str]]:
    """A list value with one evidence span per item."""
    return Found(
        [text for _, _, text in items],
        evidence(ctx.document, items[0][0], items[-1][1], method, [(s, e) for s, e, _ in items]),
    )


def _people_list(ctx: Context, section: Section) -> list[tuple[int, int, str]]:
    """Items of a section when every one starts with a target-group head noun."""
    items = _items_of(ctx, section)
    heads = _folded("target_groups.json", "list_heads")
    if items and all(text.split()[0].casefold() in heads for _, _, text in items):
        return items
    return []


# Adjectives in the genitive, dative or instrumental: "osobního, rodinného a pracovního
# života" coordinates words inside one item, not items.
_ADJECTIVE = re.compile(rf"\w+(?:{_alternation('lists.json', 'adjective_endings')})")
_AND = re.compile(r" a (?=\S)")


def _enumeration(text: str) -> list[tuple[int, str]]:
    """Split 'A, B, C a D' into items with offsets; a part opening with a preposition
    ('…ve zdravotnictví, v sociální oblasti a ve státní správě') continues the previous one,
    and so does one opening with an adjective after an adjective ('slaďování osobního,
    rodinného a pracovního života'). The last part is split at its one 'a' between items.

    >>> [t for _, t in _enumeration("vybudování, provozování zařízení a spolupráci s MPSV")]
    ['vybudování', 'provozování zařízení', 'spolupráci s MPSV']
    >>> [t for _, t in _enumeration("audit, výzkum osobního, rodinného a pracovního života")]
    ['audit', 'výzkum osobního, rodinného a pracovního života']
    """
    prepositions = _prepositions()
    cuts = [0]
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0 and ch == "," and text[i + 1 : i + 2] == " ":
            cuts.append(i)
    parts: list[tuple[int, str]] = []
    for n, cut in enumerate(cuts):
        end = cuts[n + 1] if n + 1 < len(cuts) else len(text)
        start = cut + 2 if n else 0
        piece = text[start:end]
        first = piece.split(" ", 1)[0]
        previous_last = parts[-1][1].rsplit(" ", 1)[-1] if parts else ""
        continues = first.casefold() in prepositions or (
            _ADJECTIVE.fullmatch(first) is not None and _ADJECTIVE.fullmatch(previous_last) is not None
        )
        if parts and continues:
            prev_start, _ = parts[-1]
            parts[-1] = (prev_start, text[prev_start:end])
        else:
            parts.append((start, piece))
    if len(parts) > 1:
        last_start, last = parts[-1]
        # The "a" of a coordination of adjectives ("rodinného a pracovního") joins words.
        ands = [
            m for m in _AND.finditer(last)
            if not (_ADJECTIVE.fullmatch(last[: m.start()].rsplit(" ", 1)[-1]) and _ADJECTIVE.match(last, m.end()))
        ]
        # With two candidate "a"s the rules cannot tell which one separates items.
        m = ands[0] if len(ands) == 1 else None
        if m and last[m.end() :].split(" ", 1)[0].casefold() not in prepositions and "(" not in last[: m.start()]:
            parts[-1] = (last_start, last[: m.start()])
            parts.append((last_start + m.end(), last[m.end() :]))
    return [(o, p.strip()) for o, p in parts if p.strip()]


# An elaboration after a dash that runs on over commas to "apod." or "atd." ("adaptace
# klubovny – stavební úpravy, nábytek, hry apod. a péče o děti"): no items of its own.
_DASH = re.compile(r"\s[–—-]\s")


@cache
def _etc_marker() -> re.Pattern[str]:
    """Any marker of lists.json that closes an elaboration ('apod.', 'atd.')."""
    markers = "|".join(re.escape(w) for w in load_data("lists.json")["etc_markers"])
    return re.compile(rf"(?<!\w)(?:{markers})(?!\w)")


def _blank_elaborations(text: str) -> str:
    """The text with each dash elaboration that ends in 'apod.'/'atd.' replaced by a comma
    and spaces (same length, so offsets still index the text).

    >>> _blank_elaborations("A – b, c apod. a D").replace("  ", "")
    'A, a D'
    """
    for dash in list(_DASH.finditer(text)):
        etc = _etc_marker().search(text, dash.end())
        if etc is not None and "." not in text[dash.end() : etc.start()]:
            text = text[: dash.start()] + "," + " " * (etc.end() - dash.start() - 1) + text[etc.end() :]
    return text


_CLAUSE = re.compile(rf",\s+(?:{_alternation('lists.json', 'clause_openers')})\b")


def _prose_activities(ctx: Context) -> list[tuple[int, int, str]]:
    """Activities enumerated after 'Klíčovými aktivitami projektu byly', 'zahrnuje aktivity'."""
    for _, end, _ in islice(ctx.cues("ACTIVITY_LIST"), _MAX_TRIES):
        block = ctx.block_at(end)
        if block is None:
            continue
        rest = ctx.text[end : min(_wrapped_end(ctx, block), end + _MAX_SENTENCE_CHARS)]
        lead = len(rest) - len(rest.lstrip(" :"))
        sentence = first_sentence(rest[lead:])
        sentence = _CLAUSE.split(sentence, maxsplit=1)[0]  # ", aby se zvýšilo …" is not an item
        if not 3 <= len(sentence) <= 400:
            continue
        base = end + lead
        return [(base + o, base + o + len(t), " ".join(t.split())) for o, t in _enumeration(_blank_elaborations(sentence))]
    return []


# "V rámci programové oblasti …", "v rámci výzvy …": what the list belongs to.
_WITHIN = re.compile(r"\b[Vv]\s+rámci\s+((?:\w+\s+){0,2}\w+)")


def _belongs_elsewhere(ctx: Context, section: Section) -> bool:
    """Whether a list section's label or its lead line gives the list to a call or a
    programme ('V rámci programové oblasti budou podpořeny tyto aktivity:'), not the project."""
    lead = [section.label] + [b for b in section.body[:1] if b.kind == "paragraph"]
    for block in lead:
        within = _WITHIN.search(ctx.document.slice(block))
        if within is not None and _owner_tier(within.group(1)) is None:
            return True
    return False


@cache
def _activity_name_labels() -> frozenset[str]:
    """Labels of a line that names one activity (lists.json 'activity_name_labels')."""
    return frozenset(fold_label(x) for x in load_data("lists.json")["activity_name_labels"])


@cache
def _activity_label_ends() -> tuple[str, ...]:
    """The last word of each activity-name label ('aktivity', 'šablony'), lower-cased."""
    return tuple(sorted({label.rsplit(" ", 1)[-1] for label in _activity_name_labels()}))


def _may_name_activities(text: str) -> bool:
    """Whether a page can hold an activity-name label: most pages hold none of their words.

    >>> _may_name_activities("NÁZEV ŠABLONY: Školní asistent"), _may_name_activities("Klub pro žáky")
    (True, False)
    """
    low = lowered(text)
    return low is None or any(end in low for end in _activity_label_ends())


def _named_activities(ctx: Context) -> list[tuple[int, int, str]]:
    """The values of 'Název aktivity: X' lines: each names one activity of the project."""
    labels = _activity_name_labels()
    items: list[tuple[int, int, str]] = []
    for block in ctx.document.blocks:
        text = ctx.document.slice(block)
        label, colon, value = text.partition(":")
        if not colon or len(label) > 40 or fold_label(label) not in labels:
            continue
        # "Školní asistent – personální podpora ZŠ": the name, not the template's kind after a dash.
        phrase = _TRAILING_PAREN.sub("", item_phrase(value)).strip(" ,;:")
        start = text.find(phrase, len(label) + 1) if len(phrase) >= 3 else -1
        if start >= 0:
            items.append((block.start + start, block.start + start + len(phrase), phrase))
    return items[:_MAX_ITEMS]


def extract_list(ctx: Context, key: str) -> Found[list[str]] | None:
    """Target groups or activities from their sections ('Cílové skupiny', 'Klíčové aktivity')."""
    if key == "activities" and _may_name_activities(ctx.text):
        named = _named_activities(ctx)
        if named:
            return _found_list(ctx, named, "label")
    for section in ctx.sections_for(key):
        if _belongs_elsewhere(ctx, section):
            continue
        items = _items_of(ctx, section)
        if items:
            return _found_list(ctx, items, "label" if section.is_pair else "heading")
    if key == "activities":
        prose = _prose_activities(ctx)
        if prose:
            return _found_list(ctx, prose, "prose")
    if key == "target_groups":
        # Public project details list the groups a project reaches under its impact heading.
        for section in ctx.sections_for("results"):
            items = _people_list(ctx, section)
            if items:
                return _found_list(ctx, items, "impact-list")
        mentions = first_matches([scan.finditer(ctx.text) for scan in _TG_PROSE])
        for branch, m in islice(mentions, _MAX_TRIES):
            block = ctx.block_at(m.end())
            before = _word_before(ctx, m.start())
            # "s touto cílovou skupinou jsou aktivity …": the group named in passing.
            if block is None or before in _group_words("not_before_group") or before in _prepositions():
                continue
            rest = ctx.text[m.end() : min(block.end, m.end() + _MAX_SENTENCE_CHARS)]
            sentence = first_sentence(rest)
            items = []
            if branch == _GROUP_LIST:  # the groups after the colon, separated by commas
                parts = re.split(r"\s*,\s*", sentence)
            else:
                parts = [_leading_adverb().sub("", p) for p in _ALSO_GROUPS.split(sentence)]
            if len(parts) > 1 and any(len(p) > 80 for p in parts):
                parts = [sentence]
            pos = m.end()
            for part in parts:
                phrase = _TRAILING_PAREN.sub("", part).strip(" ,;:")
                start = ctx.text.find(phrase, pos) if phrase else -1
                if 3 <= len(phrase) <= 250 and start >= 0:
                    items.append((start, start + len(phrase), phrase))
                    pos = start + len(phrase)
            if items:
                return _found_list(ctx, items, "target-groups-prose")
        focus = _focus_groups(ctx)
        if focus:
            return _found_list(ctx, focus, "focus-groups")
        named = _named_group(ctx)
        if named:
            return _found_list(ctx, named, "group-genitive")
    return None


# "podpořit cílovou skupinu (CS) nezaměstnaných osob starších 50 let v uplatnění …",
# "osob z cílové skupiny lidí s mentálním postižením": the people named after the noun.
_GROUP_NOUN = Scan.from_data(
    "content:group-noun", _TG_WORDS["group_adjectives"], r"\b{words}\s+skupin(?:u|y|a|ou)\s+(?:\([^()]{1,12}\)\s+)?", either_case=True
)


@cache
def _group_stop() -> re.Pattern[str]:
    """Where a group named after 'cílovou skupinu' stops: a comma, or a word of
    target_groups.json 'group_stops' (a preposition or clause saying what is done for it)."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_group_words("group_stops")))
    return re.compile(rf",|\s(?:{words})\s")


def _named_group(ctx: Context) -> list[tuple[int, int, str]]:
    """The people named in the genitive right after 'cílovou skupinu' / 'cílové skupiny'."""
    for m in islice(_GROUP_NOUN.finditer(ctx.text), _MAX_TRIES):
        block = ctx.block_at(m.end())
        if block is None or not _has_people(ctx.text[m.end() : m.end() + _MAX_SENTENCE_CHARS], 2):
            continue
        sentence = first_sentence(ctx.text[m.end() : min(_wrapped_end(ctx, block), m.end() + _MAX_SENTENCE_CHARS)])
        # The stop must leave the people noun in: "lidí s postižením v péči" stops at "v".
        stop = _group_stop().search(sentence, len(sentence.split(" ", 1)[0]))
        phrase = " ".join(sentence[: stop.start() if stop else len(sentence)].split())
        if 2 <= len(phrase.split()) <= 12:
            return [(m.end(), m.end() + (stop.start() if stop else len(sentence)), phrase)]
    return []


# After a goal cue comes the verb: "Hlavním cílem [projektu|MAP] je", "Cílem projektu bylo".
# Between them may stand whose goal it is, up to six words ("Cílem projektu MAP Telčsko
# III je", "Cílem komunitního centra je") or an aside between commas ("Cílem projektu,
# podpořeného z fondů EEA, je"): _owner_tier then decides whether that is the project.
_GOAL_VERB = rf"(?:{_alternation('goals.json', 'goal_copulas')})\b\s*:?"
_GOAL_OWNER = r"(?P<owner>\s*,\s*[^.;:!?\n]{3,120}?,|(?:\s+[^\s,.;:!?]+){0,6}?)"
_COPULA = {
    "strong": re.compile(_GOAL_OWNER + r"\s+" + _GOAL_VERB + r"|\s*(?:projektu\s*)?:"),
    "plain": re.compile(_GOAL_OWNER + r"\s+" + _GOAL_VERB + r"|\s*:"),
    "aside": re.compile(_GOAL_OWNER + rf"\s+(?:{_alternation('goals.json', 'aside_copulas')})\b\s*:?"),
    "lead": re.compile(r""),
    "english": re.compile(rf"\s+(?:{_alternation('goals.json', 'english_copulas')})\b\s*:?"),
}


_FOCUS_ADVERB = rf"(?:(?:{_alternation('target_groups.json', 'focus_adverbs')})\s+)?"
# What a project is aimed at or meant for, tried as one alternation of these scans in
# this order: "je zaměřen na", "se soustředí na", and "je určen pro rodiny s dětmi",
# "byl určen zaměstnavatelům" (the dative).
_FOCUSED, _SELF_FOCUSED, _INTENDED = range(3)
_FOCUS = (
    Scan.from_data("content:focused", _TG_WORDS["focus_copulas"], r"\b{words}\s+" + _FOCUS_ADVERB + r"zaměřen[aýoi]?\s+na\s+"),
    # "se" is the same as "\bse", written to open with a literal: the regex engine finds
    # such a pattern's starts by a fast scan for the literal (the scan, opening with the
    # "se" before its words, has no anchors to start from).
    Scan.from_data("content:self-focused", _TG_WORDS["focus_verbs"], r"se(?<!\wse)\s+" + _FOCUS_ADVERB + r"{words}\s+na\s+"),
    Scan.from_data(
        "content:intended", _TG_WORDS["intended_copulas"], r"\b{words}\s+" + _FOCUS_ADVERB + r"určen[aoyi]?(?:\s+pro)?\s+"
    ),
)
# ", na kterou má žadatel vazby", ", kterým projekt poskytne …": a relative clause
# elaborates the group, it is not one; but one in the subject case right after a single
# group ("rodiče žáků, kteří nenavštěvují družinu") says which people: it stays.
_RELATIVE = re.compile(
    rf",\s+(?:(?:{_alternation('target_groups.json', 'relative_prepositions')})\s+)?"
    rf"(?:{_alternation('target_groups.json', 'relative_pronouns')})\w*\b.*$"
)
_SUBJECT_RELATIVE = re.compile(rf"^[^,]+,\s+(?:{_alternation('target_groups.json', 'subject_relatives')})\b")
_ALSO = re.compile(r",?\s+ale\s+(?:také|i)\s+na\s+|\s+a\s+také\s+na\s+")
_FOR_PEOPLE = re.compile(r"\bpro\s+")
# "zejména klienti v péči, ale i hospitalizovaní pacienti": two groups, the adverbs aside.
_ALSO_GROUPS = re.compile(r",?\s+(?:ale|a)\s+(?:také|i|rovněž)\s+")


@cache
def _group_words(name: str) -> frozenset[str]:
    """A folded word list of target_groups.json."""
    return frozenset(w.casefold() for w in load_data("target_groups.json")[name])


@cache
def _leading_adverb() -> re.Pattern[str]:
    """An adverb that opens a group sentence ('zejména klienti …'), with its space."""
    adverbs = "|".join(re.escape(w) for w in sorted(_group_words("leading_adverbs")))
    return re.compile(rf"^(?:{adverbs})\s+", re.IGNORECASE)


_WORDS = re.compile(r"\w+")


@cache
def _people_word() -> re.Pattern[str]:
    """A whole word that is a people noun in any case: a stem of target_groups.json and
    one of its endings ('rodin' + 'ám', 'mladistv' + 'ým')."""
    data = load_data("target_groups.json")
    stems = "|".join(re.escape(w) for w in sorted(data["people_stems"], key=len, reverse=True))
    endings = "|".join(re.escape(w) for w in sorted(data["endings"], key=len, reverse=True))
    return re.compile(rf"(?:{stems})(?:{endings})")


@cache
def _people_words() -> frozenset[str]:
    """Whole people words of target_groups.json, folded."""
    return frozenset(w.casefold() for w in load_data("target_groups.json")["people_words"])


def _has_people(text: str, within: int = 6) -> bool:
    """Whether a phrase names people: one of its first words is a target-group word."""
    words = _folded("target_groups.json", "people_forms")
    more = _people_words()
    people = _people_word()
    for n, word in enumerate(_WORDS.findall(text)[:within]):
        folded = word.casefold()
        # Stems only near the start: "(ne)rovnost žen a mužů" is about people, not them.
        if folded in words or folded in more or (n < 2 and people.fullmatch(folded)):
            return True
    return False


def _focus_groups(ctx: Context) -> list[tuple[int, int, str]]:
    """Groups a project 'je zaměřen na' when the phrase names people."""
    focus = first_matches([scan.finditer(ctx.text) for scan in _FOCUS])
    for branch, m in islice(focus, _MAX_TRIES):
        block = ctx.block_at(m.end())
        if block is None:
            continue
        sentence = first_sentence(ctx.text[m.end() : min(block.end, m.end() + _MAX_SENTENCE_CHARS)])
        # "se soustředí na" also introduces things ("na obnovu památek a podporu
        # seniorů"): after those verbs the people must come first.
        # "je určen pro" also introduces places and things ("pro obnovu návsi").
        people_first = branch != _FOCUSED
        # "je zaměřen na zlepšení služeb pro rodiče žáků, kteří …": when a thing comes
        # first, the people it is for are the group.
        benefit = None
        if branch == _FOCUSED and not _has_people(sentence, 2):
            benefit = next((b for b in _FOR_PEOPLE.finditer(sentence) if _has_people(sentence[b.end() :], 2)), None)
        if benefit is not None:
            sentence = sentence[benefit.end() :]
        elif not _has_people(sentence, 3 if people_first else 6):
            continue
        parts = [p if _SUBJECT_RELATIVE.match(p) else _RELATIVE.sub("", p) for p in _ALSO.split(sentence)]
        pieces: list[str] = []
        for part in parts:
            commas = re.split(r",\s+", part)
            if len(commas) > 1 and all(_has_people(c) for c in commas):
                # "osoby bez přístřeší a rodiny s dětmi, etnické menšiny": "a" joins
                # two groups when both halves name people.
                for comma in commas:
                    halves = re.split(r"\s+a\s+", comma, maxsplit=1)
                    pieces.extend(halves if len(halves) == 2 and all(_has_people(h) for h in halves) else [comma])
            else:
                pieces.append(part)
        items: list[tuple[int, int, str]] = []
        pos = m.end()
        for piece in pieces:
            phrase = re.sub(r"^skupin[uy]\s+", "", piece.strip(" ,;:"))
            start = ctx.text.find(phrase, pos)
            if phrase and start >= 0:
                items.append((start, start + len(phrase), phrase))
                pos = start + len(phrase)
        if items:
            return items
    return []


@cache
def _goal_words(name: str) -> tuple[str, ...]:
    """A folded word or phrase list from goals.json, as a tuple for ``str.startswith``."""
    return tuple(w.casefold() for w in load_data("goals.json")[name])


# Tiers of whose goal a cue states: 0 the project named, 1 another owner (_owner_tier),
# _BARE nobody named. Their weight in the ranking: a named project first, a bare "Cílem
# je" next, another owner's goal only when the page states no other.
_BARE = 2
_TIER_WEIGHT = {0: 0, _BARE: 1, 1: 3}


def _owner_tier(words: str) -> int | None:
    """Whose goal the words before the verb name: 0 the project (or nobody), 1 someone
    else the page is about (an organisation, a centre), None a call, programme or fund.

    >>> _owner_tier(""), _owner_tier("projektu MAP Lipovsko"), _owner_tier("komunitního centra")
    (0, 0, 1)
    >>> _owner_tier("operačního programu") is None
    True
    """
    folded = [w.casefold() for w in _WORDS.findall(words)]
    if not folded or any(w.startswith(_goal_words("project_words")) for w in folded):
        return 0
    if any(w.startswith(_goal_words("other_owners")) for w in folded):
        return None
    return 1


def _word_before(ctx: Context, offset: int) -> str:
    """The folded word right before an offset, within its line."""
    m = re.search(r"(\w+)[ \t\u00a0]+$", ctx.text[max(0, offset - 30) : offset])
    return m.group(1).casefold() if m else ""


_LOWER_START = re.compile(r"[a-záčďéěíňóřšťúůýž(]")


def _wrapped_end(ctx: Context, block: Block) -> int:
    """Where a paragraph ends when a text dump wrapped it over lines: a line that stops
    without a full stop, colon or semicolon goes on in a next line that opens lower-case."""
    end = block.end
    index = ctx.document.blocks.index(block)
    for following in ctx.document.blocks[index + 1 : index + 8]:
        if (
            block.kind != "paragraph" or following.kind != "paragraph"
            or ctx.text[end - 1 : end] in (".", "!", "?", ":", ";")
            or not _LOWER_START.match(ctx.text, following.start)
            or ctx.text[end:following.start].count("\n") > 1
        ):
            break
        end = following.end
    return end


def _goal_after(ctx: Context, cue_start: int, cue_end: int, strength: str = "lead") -> tuple[int, tuple[int, int, str]] | None:
    """The goal stated after a cue and its verb (the rest of the sentence, or the list that
    follows) with the tier of whose goal it is (see _owner_tier); None when there is none."""
    block = ctx.block_at(cue_end)
    if block is None:
        return None
    # "s cílem zvýšit …", "za účelem …": after a preposition the noun opens an adverbial,
    # not the statement of a goal.
    before = _word_before(ctx, cue_start)
    if before in _prepositions():
        return None
    # "Specifickým cílem projektu je …", "Dalším cílem je …": a goal, not the main one.
    if before.startswith(_goal_words("minor_qualifiers")):
        return None
    # A text dump may wrap the line between the cue and its verb ("Cílem\nprojektu je").
    block_end = _wrapped_end(ctx, block)
    copula = _COPULA.get(strength, _COPULA["plain"]).match(ctx.text, cue_end, block_end)
    if copula is None:
        return None
    cue_text = ctx.text[cue_start:cue_end]
    if strength == "lead" or before in _goal_words("relative_owners"):
        # "Výzva si klade za cíl …", "… fáze programu, jehož cílem je …": the words
        # before the cue say whose goal it is.
        sentence_start, _ = ctx.sentence_span(cue_start)
        tier = _owner_tier(ctx.text[sentence_start:cue_end])
    elif "projekt" in cue_text.casefold():
        tier = 0  # "Cílem projektu X je": X is the project's name
    else:
        owner = copula.groupdict().get("owner") or ""
        tier = _owner_tier(owner)
        if tier == 0 and not _WORDS.search(owner):
            tier = _BARE  # "Cílem je …": nobody named, weaker than the project named
    if tier is None:
        return None
    cue_end = copula.end()
    rest = ctx.text[cue_end : min(block_end, cue_end + _MAX_SENTENCE_CHARS)]
    lead = len(rest) - len(rest.lstrip(" :–-"))
    rest = rest[lead:]
    start = cue_end + lead
    if len(rest.strip()) < 3:
        # "Hlavním cílem projektu je:" followed by a list: the top-level items, joined.
        index = ctx.document.blocks.index(block)
        following = [b for b in ctx.document.blocks[index + 1 : index + 12]]
        items = []
        for b in following:
            if b.kind != "item":
                break
            items.append(b)
        if not items:
            # "Cílem projektu je:" on a line of its own, the goal in the next paragraph.
            nxt = following[0] if following else None
            if nxt is None or nxt.kind != "paragraph":
                return None
            text = ctx.document.slice(nxt)
            goal = " ".join(text[: sentence_end(text)].split())
            if len(goal.split()) < 3:
                return None
            return tier, (nxt.start, nxt.start + sentence_end(text), goal)
        top = min(b.level for b in items)
        phrases: list[str] = []
        last = items[0]
        for b in items:
            if b.level != top:
                continue
            text = ctx.document.slice(b)
            last = b
            # "…; a to za účelem" / "…:" introduces the items after it: they say why,
            # they are not more goals.
            opener = _LIST_OPENER.search(text)
            phrases.append(item_phrase(text[: opener.start()] if opener else text))
            if opener:
                break
        return tier, (items[0].start, last.end, "; ".join(p for p in phrases if p))
    end = sentence_end(rest)
    goal = " ".join(rest[:end].split())
    if len(goal.split()) < 2:
        return None
    return tier, (start, start + end, goal)


_LIST_OPENER = re.compile(r"(?:[;,]?\s*(?:a\s+to\s+)?(?:za\s+účelem|s\s+cílem|tak,?\s+aby)\s*:?|\s*:)\s*$")


def _aim_of_subject(ctx: Context) -> tuple[int, int, str] | None:
    """The aim added with 's cílem …' to a sentence that says what the project is or does
    ('Předmětem projektu je rekonstrukce X s cílem zřídit Y'): Y is the project's goal."""
    openers = _goal_words("subject_openers")
    # A marker is matched as printed: most pages hold none, and are done at once.
    for marker in (marker for marker in _goal_words("aim_markers") if marker in ctx.text):
        for m in islice(re.finditer(rf"(?<!\w){re.escape(marker)}\s+", ctx.text), _MAX_TRIES):
            block = ctx.block_at(m.start())
            if block is None or block.kind == "item":
                continue
            sentence_start, sentence_stop = ctx.sentence_span(m.start())
            opening = " ".join(ctx.text[sentence_start : m.start()].split()).casefold()
            if not opening.startswith(openers):
                continue
            goal = ctx.text[m.end() : sentence_stop].strip().rstrip(".")
            if len(goal.split()) >= 2:
                return m.end(), m.end() + len(goal), goal
    return None


def extract_goals(ctx: Context) -> Found[Goals] | None:
    """Main goal (the best-supported cue sentence, preferring the goal section) and specific goals."""
    goal_ranges = [(b.start, b.end) for s in ctx.sections_for("main_goal") for b in s.body]
    best: tuple[tuple[int, int, int], tuple[int, int, str], int] | None = None
    for start, end, pattern_id in islice(ctx.cues("MAIN_GOAL"), _MAX_TRIES):
        found = _goal_after(ctx, start, end, pattern_id)
        if found is None:
            continue
        tier, stated = found
        in_section = any(s <= start < e for s, e in goal_ranges)
        # Goal statements of the project first; of other owners (an organisation's
        # mission) only when the page states no other.
        strength = {"strong": 0, "plain": 1, "lead": 1, "english": 1}.get(pattern_id, 2) + _TIER_WEIGHT[tier]
        rank = (0 if in_section else 1, strength, start)
        if best is None or rank < best[0]:
            best = (rank, stated, tier)
    main: tuple[int, int, str] | None = best[1] if best else None
    # A goal whose owner the cue names and is not the project keeps a method of its own,
    # so that its precision is measured (and its confidence calibrated) apart.
    method = "owner-goal" if best and best[2] == 1 else "prose"
    if main is None:
        for section in ctx.sections_for("main_goal"):
            body = [b for b in section.body if ctx.document.slice(b).strip()]
            if not body:
                continue
            text = ctx.document.slice(body[0])
            goal = first_sentence(text)
            if len(goal.split()) >= 3:
                main, method = (body[0].start, body[0].start + len(goal), goal), "heading"
                break
    if main is None:
        main = _aim_of_subject(ctx)
        method = "subject-aim" if main else method
    specific: list[tuple[int, int, str]] = []
    for section in ctx.sections_for("specific_goals"):
        specific = _items_of(ctx, section)
        if specific:
            break
    if main is None and not specific:
        return None
    spans = ([main[:2]] if main else []) + [(s, e) for s, e, _ in specific]
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    goals = Goals(main=main[2] if main else None, specific=[t for _, _, t in specific] or None)
    return Found(goals, evidence(ctx.document, lo, hi, method, [(s, e) for s, e in spans]))


def extract_locations(ctx: Context) -> Found[list[str]] | None:
    """Places from a 'Místo realizace' label, split into one place per item."""
    for section in ctx.sections_for("locations"):
        block = section.body[0] if section.body else None
        if block is None:
            continue
        text = ctx.document.slice(block)
        if len(text) > 400:
            continue
        items = []
        for offset, part in _split_inline(text):
            # "ORP X, tj. obce …": what follows "tj." elaborates, it is not another place.
            part = _ELABORATION.split(part, maxsplit=1)[0]
            for sub_offset, piece in _split_and(part):
                piece = piece.strip(" .")
                if piece.startswith("území "):
                    sub_offset, piece = sub_offset + 6, piece[6:]
                micro = _MICROREGION.fullmatch(piece)
                name = f"{micro.group(1)}{micro.group(2)}ko" if micro else piece
                if name and name[0].isupper() and len(name) <= 80:
                    s = block.start + offset + sub_offset
                    items.append((s, s + len(piece), name))
        if items:
            return _found_list(ctx, items, "label")
    items = _prose_locations(ctx)
    if items:
        return _found_list(ctx, items, "prose")
    return None


# Names never cross a line: blocks are separated by newlines.
_UPPER = "A-ZÁČĎÉÍŇÓŘŠŤÚŽŁŚŻŹĆŃ"
_LOWER = "a-záčďéěíňóřšťúůýžłśżźćńąę"
_NAME = rf"[{_UPPER}][{_LOWER}]+(?:(?: (?:{_alternation('locations.json', 'name_joiners')}) | |-)[{_UPPER}][{_LOWER}]+)*"
_PLACE_WORDS = load_data("locations.json")
# Municipal nouns before a name keep the name in the nominative: "ve městě Vsetín",
# "obce Hazlov", "lokality Poschla a lokality Jiráskova 409" (locations.json says which
# forms). The number is taken whole: "Praha 15 %" is no "Praha 1" before "5 %".
_MUNICIPAL_NAME = r"\b{words} (" + _NAME + rf"(?: \d{{1,4}}(?!\d)(?! *(?:{_alternation('locations.json', 'not_district_numbers')})))?)"
# Tried as one alternation of the two scans.
_MUNICIPALITY = (
    Scan.from_data("content:municipality", _PLACE_WORDS["municipal_nouns"], _MUNICIPAL_NAME, either_case=True),
    Scan.from_data("content:municipality-lower-case", _PLACE_WORDS["municipal_nouns_lower_case"], _MUNICIPAL_NAME),
)
_MUNICIPALITY_AND = re.compile(r" a (?:lokality |obci )?(" + _NAME + r"(?: \d{1,4})?)")
# Regions: "v Jihomoravském kraji" -> "Jihomoravský kraj"; "v Kraji Vysočina".
# Only forms that place the project in the region ("v Jihomoravském kraji", "na území
# Karlovarského kraje", "Zlínský kraj"), not any mention ("na úrovni Olomouckého kraje").
# Both branches hold " kraj" as printed (no case folding), and neither crosses a line: the
# words of a preposition are joined by one space, as the rest of the pattern's words are.
_REGION_PREPOSITION = alternation(load_data("locations.json")["region_prepositions"], either_case=True).replace(r"\s+", " ")
_REGION = re.compile(
    r"(?:\b" + _REGION_PREPOSITION + r" ([A-ZČŘŠŽÚ][a-záčďéěíňóřšťúůýž]+)(s|c)k(?:ém|ého) kraj(?:i|e)\b"
    r"|\b([A-ZČŘŠŽÚ][a-záčďéěíňóřšťúůýž]+)(s|c)ký kraj\b)"
)
_VYSOCINA = re.compile(r"\b[Kk]raj(?:i|e|em)?\s+Vysočina\b")
# Micro-regions in -sko/-cko: "na Javornicku", "území Bečovska" -> "Javornicko", "Bečovsko".
# Their ending without its "s" or "c": a pattern opening with a literal is scanned for
# fast, where one opening with [sc] is tried at every "s" and "c" of the page.
_MICRO_ENDINGS = _alternation("locations.json", "microregion_endings")
_MICRO_ENDING = re.compile(rf"k(?:{_MICRO_ENDINGS})\b")
_MICROREGION = re.compile(rf"\b([A-ZČŘŠŽÚ][a-záčďéěíňóřšťúůýž]{{3,}})(s|c)k(?:{_MICRO_ENDINGS})\b")
_WORD_CHAR = re.compile(r"\w")
# "v území ORP Plzeň", "obce s rozšířenou působností Kroměříž": an administrative district,
# its name in the nominative after the noun; recorded as "ORP <name>" either way.
# "15 ORP Kraje …", "všechny ORP Zlínského kraje" count the districts of a region: no
# district name follows.
_DISTRICT_NAME = r"\s+(?!Kraj|\w+(?:ského|ckého)\s+kraj)(" + _NAME + ")"
# Tried as one alternation of the two scans.
_ORP = (
    Scan.from_data("content:district-abbreviation", _PLACE_WORDS["district_abbreviations"], r"(?<!\d\s)\b{words}" + _DISTRICT_NAME),
    Scan.from_data(
        "content:district",
        _PLACE_WORDS["district_nouns"],
        r"(?<!\d\s)\b{words}\s+s\s+rozšířenou\s+působností" + _DISTRICT_NAME,
        either_case=True,
    ),
)
_ELABORATION = re.compile(rf",?\s+(?:{_alternation('locations.json', 'elaboration_markers')})\.(?:\s|$)")
# A town in the locative after "v"/"ve", one or two words, and more joined by "a":
# "V Jihlavě a Třebíči", "v Českém Krumlově"; pipeline.normalise.morph decides the nominative.
_WORD = rf"[{_UPPER}][{_LOWER}]+"
_IN_PLACE = re.compile(rf"(?<![\w-])[Vv]e? ({_WORD})(?: ({_WORD}))?(?![\w-])")
# "v ", "ve " (either case) and a capital open every match: the scan tries the pattern
# only there. One scan per case: a pattern opening with a literal is scanned for fast,
# where one opening with [Vv] is tried at every character (a match consumes one
# character, so no start is skipped).
_IN_PLACE_STARTS = (re.compile(rf"v(?=e? [{_UPPER}])"), re.compile(rf"V(?=e? [{_UPPER}])"))
_AND_PLACE = re.compile(rf" a (?:ve? )?({_WORD})(?: ({_WORD}))?(?![\w-])")


_AND_NAME = re.compile(r"(.+?) a ([A-ZÁČĎÉÍŇÓŘŠŤÚŽ].*)")


def _split_and(text: str) -> list[tuple[int, str]]:
    """Split 'A a B' into places when both sides are capitalised names."""
    m = _AND_NAME.fullmatch(text)
    if m is None:
        return [(0, text)]
    return [(0, m.group(1)), (m.start(2), m.group(2))]


def _finditer_in_lines(pattern: re.Pattern[str], text: str, literal: str) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` gives, for a pattern whose every match holds
    ``literal`` and never crosses a newline: only the lines holding the literal are scanned.

    A line's end is a newline or the text's end, so ``\\b`` at the scan's end reads as it
    does in the whole text; look-behinds see the text before the line.

    >>> [m.group() for m in _finditer_in_lines(re.compile(r"\\bk\\w+"), "kos\\nmy kot\\nkul", "ot")]
    ['kot']
    """
    for start, end in lines_holding(text, (literal,)):
        yield from pattern.finditer(text, start, end)


def _microregions(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_MICROREGION.finditer(text)`` gives, tried only at the words that end
    like one ("-sko", "-cku", …): a match is a whole word, so it starts where that word does.

    >>> [m.group() for m in _microregions("na Javornicku a Bečovsku, ve Zlínsku2")]
    ['Javornicku', 'Bečovsku']
    """
    starts = []
    # A word ending "-sko", "-cku", ...: an _MICRO_ENDING match after an "s" or "c".
    for ending in _MICRO_ENDING.finditer(text):
        start = ending.start() - 1
        if start < 0 or text[start] not in "sc":
            continue
        while start > 0 and _WORD_CHAR.match(text, start - 1):
            start -= 1
        starts.append(start)
    return finditer_at(_MICROREGION, text, starts)


def _in_place_starts(text: str) -> list[int]:
    """Where an ``_IN_PLACE`` match can start, in order: a "v" or "V" before "e? " and a capital.

    >>> _in_place_starts("Ve Zlíně, v Brně a V Opavě; v obci")
    [0, 10, 19]
    """
    return sorted(m.start() for pattern in _IN_PLACE_STARTS for m in pattern.finditer(text))


def _prose_locations(ctx: Context) -> list[tuple[int, int, str]]:
    """Places named in prose in forms whose nominative is certain."""
    found: list[tuple[int, int, str]] = []
    text = ctx.text
    # Each pattern runs only when its trigger word occurs at all (most pages name none),
    # or only where its fixed letters are. The patterns are case-sensitive, so the
    # trigger words are looked for as printed.
    for _, m in first_matches([scan.finditer(text) for scan in _MUNICIPALITY]):
        # "lokalita X" names a place as such (a town's part, a street); after "obec",
        # "město", "středisko" the name must be a municipality ("středisko Západní Čechy"
        # is an organisation's branch, "hlavní město Prahu" no nominative).
        locality = m.group().startswith(("lokalit", "Lokalit"))
        spans = [(m.start(1), m.end(1))]
        while (more := _MUNICIPALITY_AND.match(text, spans[-1][1])) is not None:
            spans.append((more.start(1), more.end(1)))
        for start, end in spans:
            known = text[start:end] if locality else _known_municipality(text[start:end])
            if known is not None:
                found.append((start, end, known))
    for m in _finditer_in_lines(_GENITIVE_HEAD_OBEC, text, "bce") if "bce" in text else ():
        found.extend(_genitive_municipality(text, m.end()))
    for m in _finditer_in_lines(_REGION, text, " kraj"):
        stem, consonant = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.append((m.start(), m.end(), f"{stem}{consonant}ký kraj"))
    for m in _VYSOCINA.finditer(text) if "Vysočina" in text else ():
        found.append((m.start(), m.end(), "Kraj Vysočina"))
    for m in _microregions(text):
        region = f"{m.group(1)}{m.group(2)}ko"
        # "v Německu" is no micro-region; nor "Středisko" or "Lichtenštejnsko": a
        # micro-region is named after a town in it ("Telčsko", "Frýdlantsko", "Javornicko").
        if region in not_places() or not _named_after_town(m.group(1)):
            continue
        # "Orlicko-Lipensko" is one name the rule cannot read whole; "MAS Lipensko" an organisation.
        if text[m.start() - 1 : m.start()] == "-" or _word_before(ctx, m.start()) in _region_organisations():
            continue
        found.append((m.start(), m.end(), region))
    for _, m in first_matches([scan.finditer(text) for scan in _ORP]):
        found.append((m.start(), m.end(1), f"ORP {m.group(1)}"))
    for m in finditer_at(_IN_PLACE, text, _in_place_starts(text)):
        place = _locative_place(m, text)
        while place is not None:
            # Only a known municipality: a locative capital word may be a person, a
            # building or a foreign town as well.
            if _known_municipality(place[2]) is not None and not _after_seat_word(ctx, m.start()):
                found.append(place)
            more = _AND_PLACE.match(text, place[1])
            place = _locative_place(more, text) if more is not None else None
    found.sort()
    seen: set[str] = set()
    unique = []
    for start, end, name in found:
        folded = name.casefold()
        # "Jiráskova" after "Jiráskova 409" is the same place named shorter.
        if not any(s == folded or s.startswith(folded + " ") for s in seen):
            seen.add(folded)
            unique.append((start, end, name))
    return unique[:_MAX_ITEMS]


@cache
def _seat_words() -> tuple[str, ...]:
    """Beginnings of the words that give an organisation's seat before 'v' and a town."""
    return tuple(str(word) for word in load_data("locations.json")["seat_words"])


@cache
def _region_organisations() -> frozenset[str]:
    """Words that make a micro-region's name an organisation's ('MAS Lipensko')."""
    return frozenset(str(word).casefold() for word in load_data("locations.json")["region_organisations"])


def _after_seat_word(ctx: Context, at: int) -> bool:
    """Whether the locative at ``at`` ('v Brně') follows a seat word ('se sídlem v Brně')."""
    return _word_before(ctx, at).startswith(_seat_words())


# "obce Lhoty", "knihovna obce Lhota": a village's noun in the genitive, the name after
# it in any case, read back only against the municipality list. "města Vsetína" is left
# out: on unseen pages it named the site's town ("na stránkách města …", "občané města …")
# more often than the project's place (validation 0 tp, 4 fp).
_GENITIVE_HEAD_OBEC = re.compile(rf"\b[Oo]bce (?=[{_UPPER}])")
# Up to four words of a name on one line: "Mnichovo Hradiště", "Ústí nad Labem".
_NAME_WORDS = re.compile(r"[\w-]+(?:[ \t\u00a0][\w-]+){0,3}")


def _genitive_municipality(text: str, at: int) -> list[tuple[int, int, str]]:
    """The municipality named at ``at`` in any case, as one (start, end, nominative) item, or none.

    >>> _genitive_municipality("obce Lhoty, které", 5)
    [(5, 10, 'Lhota')]
    """
    m = _NAME_WORDS.match(text, at)
    if m is None:
        return []
    spans = [(w.start(), w.end()) for w in _A_WORD.finditer(text, m.start(), m.end())]
    found = municipality_nominative([text[s:e] for s, e in spans], municipalities())
    if found is None:
        return []
    name, count = found
    return [(at, spans[count - 1][1], name)]


_A_WORD = re.compile(r"[\w-]+")


# A district of Prague as printed: "Praha 14", "Praha 7".
_PRAGUE_DISTRICT = re.compile(r"Praha \d{1,2}")


def _known_municipality(name: str) -> str | None:
    """The municipality ``name`` names, in the nominative; None when it is none.

    >>> _known_municipality("Lhoty"), _known_municipality("Praha 4"), _known_municipality("Lomnov")
    ('Lhota', 'Praha 4', None)
    """
    names = municipalities()
    if name in names or _PRAGUE_DISTRICT.fullmatch(name):
        return name
    words = name.split()
    found = municipality_nominative(words, names)
    return found[0] if found is not None and found[1] == len(words) else None


@cache
def _one_word_towns() -> tuple[str, ...]:
    """One-word municipality names without diacritics, sorted (for prefix look-ups)."""
    return tuple(sorted(_plain(name) for name in municipalities() if " " not in name))


def _plain(word: str) -> str:
    """The word without diacritics: a micro-region's stem may shorten the town's vowel."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _named_after_town(stem: str) -> bool:
    """Whether a micro-region's stem ("Telč" of "Telčsko", "Javorni" of "Javornicko") is a town's.

    A micro-region is named after its town by the town's name up to its last letters
    ("Podbořan|y", "Pardubi|ce", "Javorní|k"), so a town must open with the stem and
    have at most two letters more.

    >>> _named_after_town("Telč"), _named_after_town("Javorni"), _named_after_town("Středi")
    (True, True, False)
    """
    towns = _one_word_towns()
    plain = _plain(stem)
    opening = takewhile(lambda town: town.startswith(plain), islice(towns, bisect.bisect_left(towns, plain), None))
    return any(len(town) <= len(plain) + 2 for town in opening)


# After a town's name: "pod Radhoštěm", "nad Nisou" continue a name the rules cannot
# decline; a second capitalised word ("Hradci Králové") too.
_NAME_GOES_ON = re.compile(
    rf"[ \t\u00a0]+(?:(?:{_alternation('locations.json', 'name_continuers')})[ \t\u00a0]+)?[{_UPPER}]"
)
_NEXT_WORD = re.compile(r"[ \t\u00a0]+(\w+)")  # on the same line: blocks end at newlines


def _locative_place(m: re.Match[str], text: str) -> tuple[int, int, str] | None:
    """The place a locative match names, two words before one; None when unsure."""
    if m.group(2):
        name = place_nominative([m.group(1), m.group(2)])
        if name is not None and not _NAME_GOES_ON.match(text, m.end(2)):
            return (m.start(1), m.end(2), name)
        return None  # a second capitalised word the two-word rules could not read
    if _NAME_GOES_ON.match(text, m.end(1)):
        return None
    following = _NEXT_WORD.match(text, m.end(1))
    if following is not None and following.group(1) in place_followers():
        return None  # "v Masarykově ulici", "V Praze dne …": a street, a building, a dateline
    name = place_nominative([m.group(1)])
    return None if name is None else (m.start(1), m.end(1), name)


def extract_results(ctx: Context) -> Found[list[Result]] | None:
    """Quantified results ('350 podpořených osob') from results sections."""
    for section in ctx.sections_for("results"):
        results: list[tuple[int, int, Result]] = []
        for block in section.body[:20]:
            text = ctx.document.slice(block)
            m = _RESULT.match(text)
            if not m:
                continue
            number = m.group(1).replace(" ", "").replace(",", ".")
            results.append((block.start + m.start(1), block.start + m.end(2), Result(value=Decimal(number), unit=m.group(2).strip())))
        if results:
            return Found(
                [r for _, _, r in results],
                evidence(ctx.document, results[0][0], results[-1][1], "heading", [(s, e) for s, e, _ in results]),
            )
    return None


def extract_summary(ctx: Context) -> Found[str] | None:
    """The project's description under a summary heading (first paragraphs, bounded)."""
    for section in ctx.sections_for("summary"):
        blocks: list[Block] = []
        length = 0
        for block in section.body:
            if block.kind not in ("paragraph",) or length > 1500:
                break
            blocks.append(block)
            length += block.end - block.start
        if blocks:
            text = " ".join(ctx.document.slice(b) for b in blocks)
            return Found(text, evidence(ctx.document, blocks[0].start, blocks[-1].end, "heading"))
    return None
