"""How much: the subsidy and the total cost, from labels, label-led lines and prose.

Every amount a label or a cue calls a subsidy or a total cost is a candidate; labels beat
prose, a label that says it is the total ("Celková výše dotace", "Celkem") beats the parts
beside it, and several different amounts each called a subsidy with none of them the
total leave the subsidy null (the page gives parts, and a sum would be computed).
Label words come from ``pipeline/data/labels.json`` and ``pipeline/data/funding.json``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from pipeline.clean.document import Block
from pipeline.clean.segment import Section
from pipeline.extract.context import Context, Found, evidence
from pipeline.normalise.money import MoneyMatch, czk_unit, find_amounts
from pipeline.normalise.textutil import holds_any, sentence_end
from pipeline.records import Amount
from pipeline.vocab import fold_label, label_table, load_data, starts_like_label

__all__ = ["extract_funding", "is_share_sentence", "money_label", "section_values"]


# "více než 15 milionů korun" is not the amount the page states (funding.json).
_APPROXIMATE = re.compile(
    "(" + "|".join(re.escape(w) for w in load_data("funding.json")["approximate_words"]) + r")\s*$", re.IGNORECASE
)


_LEADING_KEYS = frozenset({"subsidy", "total_cost", "stop"})
_LABEL_WORD = re.compile(r"[^\W\d][\w.]*")
# Labels are at most this many words ("celkové způsobilé výdaje na projekt").
_MAX_LABEL_WORDS = 7
# The amount of a label-led line starts within this many characters of the line.
_LABEL_REACH = 160
# What may stand between a label phrase and its amount: marks, a share in per cent
# ("dotace EU 85 % 5.664.527,00 Kč") and a currency note ("(CZK)", "v Kč").
_LABEL_TAIL = re.compile(r"(?:[\s:;\-–—=(),/]|\d{1,3}(?:,\d+)?\s?%|\b(?:v\s)?(?:Kč|CZK|EUR)\b)*$")
# A total-cost phrase in prose is looked for this far before an amount, and the amount
# follows it within a few words ("… činí", "… dosahují částky", "… ve výši"): an amount
# further on in the sentence was another's (on unseen pages, two in seven).
_PROSE_REACH = 120
_PROSE_GAP = 30


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """The money-label words of funding.json, folded."""

    subsidy: frozenset[str]
    cost: frozenset[str]
    amount: frozenset[str]
    total: frozenset[str]
    project: frozenset[str]
    own_share: frozenset[str]
    own_share_roles: frozenset[str]
    part: frozenset[str]
    max_words: int
    total_cost_cue: re.Pattern[str]
    share_markers: tuple[str, ...]
    restated: re.Pattern[str]
    eligible: frozenset[str]
    ineligible: frozenset[str]
    allocation: tuple[str, ...]


@cache
def _vocabulary() -> _Vocabulary:
    """funding.json, parsed once."""
    data: Any = load_data("funding.json")
    prose = data["total_cost_prose"]

    def stems(key: str) -> str:
        return "(?:" + "|".join(re.escape(s) for s in prose[key]) + r")\w*"

    # "celkové náklady", "celkových způsobilých výdajů", "náklady na projekt",
    # "rozpočtem projektu": a total word before a cost word, or a cost word before a
    # project word, with at most one word between; or a project word joined to a cost
    # word by a preposition ("projekt s rozpočtem", "akce v hodnotě").
    links = "(?:" + "|".join(re.escape(w) for w in prose["project_cost_links"]) + ")"
    cue = re.compile(
        rf"\b(?:{stems('total_stems')}\s+(?:\w+\s+)?{stems('cost_stems')}"
        rf"|{stems('cost_stems')}\s+(?:\w+\s+)?{stems('project_stems')}"
        rf"|{stems('project_stems')}\s+{links}\s+{stems('cost_stems')})",
        re.IGNORECASE,
    )
    return _Vocabulary(
        subsidy=frozenset(w.casefold() for w in data["subsidy_heads"]),
        cost=frozenset(w.casefold() for w in data["cost_heads"]),
        amount=frozenset(w.casefold() for w in data["amount_heads"]),
        total=frozenset(w.casefold() for w in data["total_words"]),
        project=frozenset(w.casefold() for w in data["project_words"]),
        own_share=frozenset(w.casefold() for w in data["own_share_words"]),
        own_share_roles=frozenset(w.casefold() for w in data["own_share_roles"]),
        part=frozenset(w.casefold() for w in data["part_words"]),
        max_words=int(data["label_max_words"]),
        total_cost_cue=cue,
        share_markers=tuple(s.casefold() for s in data["share_markers"]),
        # A percentage, then within a few words a restating word right before the amount.
        restated=re.compile(
            r"\d\s?%[^%\d]{0,80}?(?<!\w)(?:"
            + "|".join(re.escape(w) for w in sorted(data["restatement_words"], key=len, reverse=True))
            + r")\s*$",
            re.IGNORECASE,
        ),
        eligible=frozenset(w.casefold() for w in data["eligible_words"]),
        ineligible=frozenset(w.casefold() for w in data["ineligible_words"]),
        allocation=tuple(s.casefold() for s in data["allocation_stems"]),
    )


def money_label(phrase: str) -> tuple[str, bool] | None:
    """What a label phrase calls its amount, ('subsidy' | 'total_cost', says total), or None.

    The first head noun decides; amount nouns wait for a head after them.

    >>> money_label("Celková výše přiznané dotace")
    ('subsidy', True)
    >>> money_label("Celkem poskytnutá dotace")
    ('subsidy', True)
    >>> money_label("Příspěvek EU")
    ('subsidy', False)
    >>> money_label("Celková částka")
    ('total_cost', True)
    >>> money_label("Státní rozpočet") is None, money_label("Výdaje, ze kterých je stanovena dotace") is None
    (True, True)
    >>> money_label("Příspěvek ze zdrojů příjemce") is None
    True
    >>> money_label("Celkové náklady aktivity") is None
    True
    """
    vocabulary = _vocabulary()
    words = [w.casefold().rstrip(".") for w in _LABEL_WORD.findall(phrase)]
    if not words or len(words) > vocabulary.max_words:
        return None
    if any(w in vocabulary.own_share or w in vocabulary.ineligible for w in words):
        return None
    # "Celkové náklady aktivity": the cost of one activity in a list of them, not the project's.
    if any(w in vocabulary.part for w in words) and not any(w in vocabulary.project for w in words):
        return None
    total = any(w in vocabulary.total for w in words)
    for index, word in enumerate(words):
        if word in vocabulary.subsidy:
            return "subsidy", total
        if word in vocabulary.cost:
            after = words[index + 1 :]
            if total or any(w in vocabulary.project for w in after):
                return "total_cost", total
            return None
    if total and any(w in vocabulary.amount for w in words):
        return "total_cost", True
    return None


def _leading_label(text: str) -> str | None:
    """'subsidy', 'total_cost' or 'stop' when a line starts with such a label (longest wins).

    >>> _leading_label("Dotace z Evropského sociálního fondu plus 7 657 539,12 Kč")
    'subsidy'
    >>> _leading_label("Celkové způsobilé výdaje projektu dosahují výše 3.385.943,40 Kč")
    'total_cost'
    """
    if not starts_like_label(text):
        return None
    words = _LABEL_WORD.findall(text[:120])[:_MAX_LABEL_WORDS]
    for n in range(len(words), 0, -1):
        key = _label_key(" ".join(words[:n]))
        if key in _LEADING_KEYS:
            return key
    return None


@lru_cache(maxsize=16384)
def _label_key(words: str) -> str | None:
    """The field key of a run of words taken as a label (cached: lines open alike)."""
    return label_table().get(fold_label(words))


def _phrase_before(text: str, amount_offset: int) -> str | None:
    """The label phrase that runs from a line's start to its amount, or None when the
    text before the amount is more than a label (a sentence, other numbers)."""
    head = text[:amount_offset]
    tail = _LABEL_TAIL.search(head)
    phrase = head[: tail.start()] if tail else head
    if not phrase or any(c.isdigit() for c in phrase) or sentence_end(phrase) < len(phrase.rstrip(" .")):
        return None
    return phrase


def _line_label(text: str, amount_offset: int | None) -> tuple[str | None, bool, str]:
    """What a line's label calls the amount at ``amount_offset`` in it (None: no amount
    in the line, the whole line is the label): its key, whether it says total, and the
    evidence method ("label-phrase" where the phrase decided against the label table).

    A phrase of money words decides first ("Celkem poskytnutá dotace" is a subsidy though
    "Celkem" alone labels a total cost); else the longest known label at the line's start.
    """
    lead = _leading_label(text[:120])
    phrase = text if amount_offset is None else _phrase_before(text, amount_offset)
    if phrase is not None and len(phrase) <= 120:
        head = phrase.split(":", 1)[0]
        # "Dotace partnera", "Příspěvek ze zdrojů příjemce": someone else's money, though
        # the line opens with a subsidy label.
        if {w.casefold() for w in _LABEL_WORD.findall(head)} & (_vocabulary().own_share | _vocabulary().ineligible):
            return "stop", False, "label"
        found = money_label(head)
        if found is not None:
            return found[0], found[1], "label" if lead == found[0] else "label-phrase"
    if lead is None:
        return None, False, "label"
    words = {w.casefold() for w in _LABEL_WORD.findall(text[:60])}
    return lead, bool(words & _vocabulary().total), "label"


@dataclass(frozen=True, slots=True)
class _Candidate:
    """An amount some label or cue calls a subsidy or a total cost."""

    key: str
    match: MoneyMatch
    method: str
    ev_start: int
    total: bool
    share: bool = False
    eligible: bool = False


def _amount(m: MoneyMatch) -> Amount:
    """The record model of a money match."""
    return Amount(amount=m.amount, currency=m.currency)


def _amounts_in(ctx: Context, start: int, end: int) -> list[MoneyMatch]:
    """Money matches inside a range (bisected: a page of a big price table has thousands)."""
    starts = ctx.amount_starts
    if starts is None:
        return [m for m in ctx.entities.amounts if start <= m.start < end]
    return list(ctx.entities.amounts[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)])


def _in_czk(ctx: Context, m: MoneyMatch) -> MoneyMatch:
    """The amount itself, or the CZK amount a EUR amount is given with right after it
    ("25 000 EUR (652 500 Kč)"): the record keeps the CZK figure where the page has one."""
    if m.currency == "CZK":
        return m
    for other in _amounts_in(ctx, m.end, m.end + 4):
        if other.currency == "CZK":
            return other
    return m


def _cue_before(ctx: Context, cue_label: str, amount: MoneyMatch, window: int = 160) -> int | None:
    """Offset of the nearest cue of a label before an amount within the same block."""
    block = ctx.block_at(amount.start)
    lo = max(block.start if block else 0, amount.start - window)
    best = None
    for start, end, _ in ctx.cues(cue_label):
        if lo <= start and end <= amount.start:
            best = start if best is None or start > best else best
    return best


def is_share_sentence(ctx: Context, offset: int) -> bool:
    """Whether the sentence at ``offset`` speaks of an employer's share of a larger
    project (jobs of a public-works scheme), not of a project's own money or time."""
    s, e = ctx.sentence_span(offset)
    return holds_any(ctx.text[s:e].casefold(), _vocabulary().share_markers)


# "dotace EU 85 % 5.664.527,00 Kč": a percentage before the amount in its line.
_SHARE = re.compile(r"\d\s?%")


def _label_candidate(
    ctx: Context, key: str, m: MoneyMatch, ev_start: int, total: bool, method: str = "label"
) -> _Candidate:
    """A labelled candidate; an amount given with its percentage share is marked a share."""
    block = ctx.block_at(m.start)
    line_start = block.start if block is not None else m.start
    share = _SHARE.search(ctx.text, line_start, m.start) is not None
    return _Candidate(key, m, method, ev_start, total, share, _names_eligible(ctx, ev_start, m.start))


def _names_eligible(ctx: Context, start: int, end: int) -> bool:
    """Whether the label line at ``start`` (up to the amount at ``end``) names eligible costs."""
    line_end = ctx.text.find("\n", start, end)
    label = ctx.text[start : end if line_end < 0 else line_end]
    return any(w.casefold() in _vocabulary().eligible for w in _LABEL_WORD.findall(label))


# A value styled like its label (both headings of one level: "Datum zahájení",
# "22.6.2017") is a short line right after a label whose section came out empty.
_LONE_VALUE_CHARS = 40


def section_values(ctx: Context, section: Section) -> tuple[Block, ...]:
    """The blocks holding a section's value: its body, or for a section whose body is
    empty (or a pair's value without a number) the short next block, when it holds a
    number and opens no label."""
    if section.body and (not section.is_pair or any(c.isdigit() for c in ctx.document.slice(section.body[0]))):
        return section.body
    # (A pair whose value holds no number, "Částka (CZK)", has its value on the next line.)
    blocks = ctx.document.blocks
    index = bisect.bisect_right([b.start for b in blocks], section.label.start)
    if index >= len(blocks):
        return ()
    following = blocks[index]
    text = ctx.document.slice(following).strip()
    if len(text) > _LONE_VALUE_CHARS or not any(c.isdigit() for c in text) or starts_like_label(text):
        return ()
    return (following,)


# A value that is one number and nothing more (a share in brackets may follow).
_BARE_NUMBER = re.compile(r"\s*(\d{1,3}(?:[ \u00a0.]\d{3})+|\d{1,12})(,\d{1,2}|,-{1,2})?\s*(?:\(|$)")


def _bare_czk(ctx: Context, section: Section, block: Block) -> MoneyMatch | None:
    """The amount of a value without a currency marker under a label that names CZK
    ("Výše dotace (Kč): 1 250 000"): the page makes CZK clear, so the number is money."""
    if block.start < section.label.end:
        label = ctx.document.label(section.label) if section.is_pair else None
    else:
        label = ctx.document.slice(section.label)
    unit = None if label is None else czk_unit(label)
    if unit is None:
        return None
    number = _BARE_NUMBER.match(ctx.document.slice(block))
    return None if number is None else _number_as_czk(block.start, number, unit)


def _number_as_czk(offset: int, number: re.Match[str], unit: int = 1) -> MoneyMatch | None:
    """A ``_BARE_NUMBER`` match read as CZK in the label's unit (the money rules read the
    number; "Výše dotace (tis. Kč): 1 234" is 1 234 000 Kč, not 1 234 Kč)."""
    parsed = find_amounts(number.group(1) + (number.group(2) or "") + " Kč")
    if len(parsed) != 1:
        return None
    end = number.end(2) if number.group(2) else number.end(1)
    amount = parsed[0].amount * unit
    if unit != 1 and amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    return MoneyMatch(offset + number.start(1), offset + end, amount, "CZK")


def _money_sections(ctx: Context, key: str) -> list[tuple[Section, str]]:
    """Sections a money label opens, with the method: those of the label table, and
    headings the table does not know that read as a money phrase ("Celková výše
    přiznané dotace", "Schválený příspěvek z fondů EU")."""
    found = [(section, "label") for section in ctx.sections_for(key)]
    for section in ctx.sections:
        if section.key is not None or section.is_pair:
            continue
        text = ctx.document.slice(section.label)
        if len(text) > 80 or any(c.isdigit() for c in text):
            continue
        phrase = money_label(text.rstrip(" :"))
        if phrase is not None and phrase[0] == key:
            found.append((section, "label-phrase"))
    return found


def _labelled(ctx: Context) -> list[_Candidate]:
    """Candidates from labelled sections and label-led lines, in page order of finding."""
    found: list[_Candidate] = []
    # 1. Labelled sections: the first amount of the value. A body line with a label of
    #    its own ("z toho dotace EU …") says what its amount is; a body line that is only
    #    a label ("Schválený příspěvek z fondů EU") says what the next amount is.
    for key in ("subsidy", "total_cost"):
        for section, section_how in _money_sections(ctx, key):
            label_words = {w.casefold() for w in _LABEL_WORD.findall(ctx.document.slice(section.label))[:_MAX_LABEL_WORDS]}
            if label_words & _vocabulary().ineligible:
                continue  # "Celkové nezpůsobilé výdaje": costs outside the eligible ones
            section_total = bool(label_words & _vocabulary().total)
            pending: tuple[str, bool, int, str] | None = None
            body = section_values(ctx, section)
            for block in body[:4]:
                amounts = _amounts_in(ctx, block.start, block.end)
                if not amounts and block is body[0]:
                    bare = _bare_czk(ctx, section, block)
                    amounts = [bare] if bare is not None else []
                text = ctx.document.slice(block)
                if not amounts:
                    if not section.is_pair and len(text) <= 80:
                        line_key, total, how = _line_label(text, None)
                        pending = (line_key, total, block.start, how) if line_key else None
                    continue
                m = amounts[0]
                line_key, line_total, line_how = (
                    (None, False, "label") if section.is_pair else _line_label(text, m.start - block.start)
                )
                if line_key == "stop":
                    pending = None
                    continue
                if line_key in ("subsidy", "total_cost") and block is not body[0]:
                    found.append(_label_candidate(ctx, line_key, m, block.start, line_total, line_how))
                    pending = None
                    continue
                if pending is not None and pending[0] in ("subsidy", "total_cost"):
                    found.append(_label_candidate(ctx, pending[0], m, pending[2], pending[1], pending[3]))
                    pending = None
                    continue
                if pending is not None:
                    pending = None
                    continue
                if key == "total_cost" and block is not body[0] and _cue_before(ctx, "SUBSIDY", m):
                    found.append(_label_candidate(ctx, "subsidy", m, block.start, False))
                    continue
                found.append(_label_candidate(ctx, key, m, section.label.start, section_total or line_total, section_how))
                if section.is_pair:
                    break
    # 2. Lines led by a label without a colon ("Dotace z ESF plus 7 657 539,12 Kč").
    # Only a line with an amount close after its start can give one: that test, a
    # bisection, goes before the label look-up, which would otherwise read every line.
    amount_starts = [m.start for m in ctx.entities.amounts]
    for block in ctx.document.blocks:
        if block.kind not in ("paragraph", "item", "row"):
            continue
        index = bisect.bisect_left(amount_starts, block.start)
        if index == len(amount_starts) or amount_starts[index] >= block.start + _LABEL_REACH:
            continue
        # The amount must follow the label closely ("… dosahují výše 3.385.943,40 Kč"),
        # in the same line: the next line's amount is another label's.
        amounts = _amounts_in(ctx, block.start, min(block.end, block.start + _LABEL_REACH))
        if not amounts:
            continue
        m = amounts[0]
        text = ctx.document.slice(block)
        lead, total, how = _line_label(text, m.start - block.start)
        if lead in ("subsidy", "total_cost"):
            found.append(_label_candidate(ctx, lead, m, block.start, total, how))
    # 3. "Výše dotace (Kč): 1 250 000": a label line naming the currency, a bare number.
    for block in ctx.document.blocks:
        text = ctx.document.slice(block)
        colon = text.find(":", 0, 80)
        if colon < 0:
            continue
        unit = czk_unit(text[:colon])
        if unit is None or _amounts_in(ctx, block.start, block.end):
            continue
        lead, total, how = _line_label(text[:colon], None)
        number = _BARE_NUMBER.match(text, colon + 1)
        if lead in ("subsidy", "total_cost") and number is not None:
            bare = _number_as_czk(block.start, number, unit)
            if bare is not None:
                found.append(_label_candidate(ctx, lead, bare, block.start, total, how))
    # 4. A table whose header names the unit ("Částka v Kč", "tis. Kč") and whose rows
    #    give a money label and a bare number in that column.
    found.extend(_table_unit_candidates(ctx))
    return found


# Cells of a table row as the cleaner joins them.
_CELL_SEPARATOR = " | "
# A unit header governs the rows right under it, at most this many (a card's table of
# sources is a handful of rows; a long table further on is another's).
_TABLE_ROWS = 12


def _cells(ctx: Context, block: Block) -> list[tuple[int, str]]:
    """The cells of a row or pair block with their offsets: (label, value) for a pair."""
    if block.kind == "pair" and block.label_end is not None and block.value_start is not None:
        return [(block.start, ctx.text[block.start : block.label_end]), (block.value_start, ctx.text[block.value_start : block.end])]
    cells: list[tuple[int, str]] = []
    offset = block.start
    for cell in ctx.document.slice(block).split(_CELL_SEPARATOR):
        cells.append((offset, cell))
        offset += len(cell) + len(_CELL_SEPARATOR)
    return cells


def _header_unit(cells: list[tuple[int, str]]) -> tuple[int, int] | None:
    """(column, unit factor) of a header row whose one column names CZK ("Částka v Kč"),
    else None: a header holds no digits, and the first column is the rows' labels."""
    if any(c.isdigit() for _, cell in cells for c in cell):
        return None
    units = [(index, czk_unit(cell)) for index, (_, cell) in enumerate(cells) if index > 0]
    named = [(index, unit) for index, unit in units if unit is not None]
    return named[0] if len(named) == 1 else None


def _heading_unit(text: str) -> tuple[int, int] | None:
    """(value column, unit factor) of a short heading without digits that names CZK."""
    if len(text) > 80 or any(c.isdigit() for c in text):
        return None
    factor = czk_unit(text)
    return None if factor is None else (1, factor)


def _table_unit_candidates(ctx: Context) -> list[_Candidate]:
    """Candidates from the rows under a unit header: the row's first cell read as a money
    label, the number in the unit's column read as CZK in that unit."""
    found: list[_Candidate] = []
    blocks = ctx.document.blocks
    for index, header in enumerate(blocks):
        if header.kind in ("row", "pair"):
            unit = _header_unit(_cells(ctx, header))
            rows = header.kind
        elif header.kind == "heading":
            # "Financování projektu (v Kč)": a heading naming the unit of the pairs under it.
            unit = _heading_unit(ctx.document.slice(header))
            rows = "pair"
        else:
            continue
        if unit is None:
            continue
        column, factor = unit
        for block in blocks[index + 1 : index + 1 + _TABLE_ROWS]:
            if block.kind != rows:
                break  # the table ended
            cells = _cells(ctx, block)
            if len(cells) <= column or _amounts_in(ctx, block.start, block.end):
                continue
            offset, cell = cells[column]
            number = _BARE_NUMBER.fullmatch(cell)
            if number is None:
                continue
            key, total, _ = _line_label(cells[0][1].strip(" :"), None)
            if key not in ("subsidy", "total_cost"):
                continue
            bare = _number_as_czk(offset, number, factor)
            if bare is not None:
                found.append(_label_candidate(ctx, key, bare, block.start, total, "table-unit"))
    return found


def _vetoed(ctx: Context, cue: int, m: MoneyMatch) -> bool:
    """Whether a word between a subsidy cue and its amount makes the amount a cost, a
    share or an estimate. A total word counts only before a cost word: "podpora …
    celkem 19 312 701 Kč" and "dotace v celkové výši …" are the whole subsidy."""
    vocabulary = _vocabulary()
    # "dotace ve výši 85 % celkových způsobilých výdajů, tj. 640 000 Kč": the amount
    # restates the percentage, and the cost words after it say what it is a share of.
    restated = vocabulary.restated.search(ctx.text, cue, m.start)
    until = restated.start() if restated else m.start
    for start, end, _ in ctx.cues("NOT_SUBSIDY"):
        if not cue < start < until:
            continue
        if ctx.text[start:end].casefold() in vocabulary.total and not vocabulary.total_cost_cue.match(ctx.text, start):
            continue
        return True
    return False


def _prose_subsidy(ctx: Context) -> _Candidate | None:
    """'byl podpořen ... ve výši 2 341 262,50 Kč': a subsidy cue before the amount in the
    same sentence and nothing that makes it a cost or an estimate."""
    for m in ctx.entities.amounts:
        cue = _cue_before(ctx, "SUBSIDY", m)
        if cue is None:
            continue
        if _vetoed(ctx, cue, m):
            continue
        # "z vlastních finančních prostředků ve výši …" is the beneficiary's own money,
        # "dotace partnera: …" a partner's share.
        near = {w.casefold() for w in _LABEL_WORD.findall(ctx.text[max(0, cue - 25) : m.start])}
        if near & (_vocabulary().own_share - _vocabulary().own_share_roles):
            continue
        between = ctx.text[cue : m.start]
        if sentence_end(between) < len(between.rstrip(" .")):
            continue  # the cue belongs to an earlier sentence
        sentence_start, _ = ctx.sentence_span(m.start)
        if holds_any(ctx.text[sentence_start : m.start].casefold(), _vocabulary().allocation):
            continue  # the call's allocation and its limits, not this project's subsidy
        return _Candidate("subsidy", m, "prose", cue, False)
    return _earmarked(ctx)


_EARMARK_REACH = 200


def _earmarked(ctx: Context) -> _Candidate | None:
    """'Na realizaci projektu byla z OP Z vyčleněna částka 900 000 Kč': money set aside for
    the project in one sentence that names the project and no call, cost or own money."""
    data: Any = load_data("funding.json")
    verbs = frozenset(v.casefold() for v in data["earmark"]["verbs"])
    calls = tuple(c.casefold() for c in data["earmark"]["call_stems"])
    projects = tuple(p.casefold() for p in data["total_cost_prose"]["project_stems"])
    vocabulary = _vocabulary()
    for m in ctx.entities.amounts:
        sentence_start, _ = ctx.sentence_span(m.start)
        lo = max(sentence_start, m.start - _EARMARK_REACH)
        words = [w.casefold() for w in _LABEL_WORD.findall(ctx.text[lo : m.start])]
        if not verbs & set(words) or not any(w.startswith(projects) for w in words):
            continue
        if holds_any(ctx.text[lo : m.start].casefold(), calls):
            continue
        if set(words) & vocabulary.own_share or any(lo <= s < m.start for s, _, _ in ctx.cues("NOT_SUBSIDY")):
            continue
        return _Candidate("subsidy", m, "earmarked", lo, False)
    return None


def _of_a_part(words: str) -> bool:
    """Whether the words after a cost cue name a part of the project, not the project ('aktivity')."""
    vocabulary = _vocabulary()
    first = [w.casefold() for w in _LABEL_WORD.findall(words)[:1]]
    return bool(first) and first[0] in vocabulary.part


def _prose_total_cost(ctx: Context) -> _Candidate | None:
    """'Celkové náklady projektu dosahují částky 16 mil. Kč': a total-cost phrase before
    the amount in the same sentence, no subsidy cue right before it or between; of the
    total eligible costs and the total costs in one paragraph, the total costs."""
    first: _Candidate | None = None
    for found in _prose_total_costs(ctx):
        if first is None:
            first = found
        elif ctx.block_at(found.match.start) != ctx.block_at(first.match.start):
            break
        if not found.eligible:
            return found
    return first


@cache
def _part_links() -> frozenset[str]:
    """The words between a part and its whole that share one currency (money.json)."""
    return frozenset(w.casefold() for w in load_data("money.json")["shared_currency_links"])


def _whole_of_part(ctx: Context, m: MoneyMatch) -> bool:
    """Whether an amount is the whole in "950 000 z 1 057 673 korun" (a part, then it):
    after "85 % celkových nákladů, tedy …" the whole restates the total costs."""
    before = [a for a in _amounts_in(ctx, max(0, m.start - 40), m.start) if a.end <= m.start]
    return bool(before) and ctx.text[before[-1].end : m.start].strip().casefold() in _part_links()


def _prose_total_costs(ctx: Context) -> Iterator[_Candidate]:
    """Every amount a total-cost phrase in prose states, in page order."""
    cue_re = _vocabulary().total_cost_cue
    subsidy_cues = sorted(start for start, _, _ in ctx.cues("SUBSIDY"))
    for m in ctx.entities.amounts:
        block = ctx.block_at(m.start)
        lo = max(block.start if block else 0, m.start - _PROSE_REACH)
        cues = list(cue_re.finditer(ctx.text, lo, m.start))
        if not cues:
            continue
        cue = cues[-1]
        if m.start - cue.end() > _PROSE_GAP:
            continue
        if {w.casefold() for w in _LABEL_WORD.findall(cue.group())} & _vocabulary().ineligible:
            continue  # "celkové nezpůsobilé výdaje činí …"
        if _SHARE.search(ctx.text, max(lo, cue.start() - 12), cue.start()) and not _whole_of_part(ctx, m):
            continue  # "85 % celkových způsobilých výdajů": a share of the total
        between = ctx.text[cue.start() : m.start]
        if sentence_end(between) < len(between.rstrip(" .")):
            continue
        if _of_a_part(ctx.text[cue.end() : m.start]):
            continue  # "Celkové náklady aktivity: 420 240 Kč": one activity's cost
        # "dotaci v celkové částce …" and "náklady …, z toho dotace …" name a subsidy.
        sentence_start, _ = ctx.sentence_span(m.start)
        index = bisect.bisect_left(subsidy_cues, max(lo, sentence_start, cue.start() - 30))
        if index < len(subsidy_cues) and subsidy_cues[index] < m.start:
            # ... unless the subsidy phrase had its own amount before the cost phrase:
            # "Dotace činila 680 000 Kč, celkové náklady 800 000 Kč".
            last = subsidy_cues[bisect.bisect_left(subsidy_cues, m.start) - 1]
            if not (last < cue.start() and _amounts_in(ctx, last, cue.start())):
                continue
        eligible = _names_eligible(ctx, cue.start(), cue.end())
        yield _Candidate("total_cost", m, "prose", cue.start(), True, eligible=eligible)


def _choose(candidates: list[_Candidate], key: str) -> _Candidate | None:
    """The candidate a page supports best for one key, or None when it is torn.

    A total beats parts (and the total costs the total eligible costs); then the first
    amount not given as a percentage share; several different shares and nothing else
    are parts of an amount the page does not state.
    """
    mine = [c for c in candidates if c.key == key]
    if not mine:
        return None
    # With the total eligible costs and the total costs both stated, the total costs.
    totals = sorted((c for c in mine if c.total), key=lambda c: c.eligible)
    if totals:
        return totals[0]
    whole = [c for c in mine if not c.share]
    if whole:
        return whole[0]
    # Only shares ("dotace EU 85 % …", "dotace ČR 10 % …"): one alone is the subsidy
    # the page gives, several different ones are parts of it.
    if len({(c.match.amount, c.match.currency) for c in mine}) > 1:
        return None
    return mine[0]


def extract_funding(ctx: Context) -> tuple[Found[Amount] | None, Found[Amount] | None]:
    """Subsidy and total cost; an amount the page does not call either stays out."""

    def usable(c: _Candidate) -> bool:
        # An estimate ("cca 2 mil. Kč") or an employer's share of a larger project is
        # not the amount of this project.
        text = ctx.text[max(0, c.match.start - 25) : c.match.start]
        return not _APPROXIMATE.search(text) and not is_share_sentence(ctx, c.match.start)

    labelled = [c for c in _labelled(ctx) if usable(c)]
    chosen: dict[str, _Candidate | None] = {
        "subsidy": _choose(labelled, "subsidy"),
        "total_cost": _choose(labelled, "total_cost"),
    }
    if not any(c.key == "subsidy" for c in labelled):
        prose = _prose_subsidy(ctx)
        chosen["subsidy"] = prose if prose is not None and usable(prose) else None
    if not any(c.key == "total_cost" for c in labelled):
        prose = _prose_total_cost(ctx)
        chosen["total_cost"] = prose if prose is not None and usable(prose) else None

    def found(c: _Candidate | None) -> Found[Amount] | None:
        if c is None:
            return None
        m = _in_czk(ctx, c.match)
        return Found(_amount(m), evidence(ctx.document, c.ev_start, m.end, c.method))

    return found(chosen["subsidy"]), found(chosen["total_cost"])

