"""How much: the subsidy and the total cost, from labels, label-led lines and prose."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from pipeline.extract.context import Context, Found, evidence
from pipeline.extract.money import MoneyMatch
from pipeline.extract.textutil import sentence_end
from pipeline.records import Amount
from pipeline.vocab import fold_label, label_table, starts_like_label

__all__ = ["extract_funding"]


# "více než 15 milionů korun" is not the amount the page states.
_APPROXIMATE = re.compile(r"(více než|přes|cca|přibližně|téměř|zhruba|kolem|asi|až|min\.|minimálně|maximálně|max\.)\s*$", re.IGNORECASE)


_LEADING_KEYS = frozenset({"subsidy", "total_cost", "stop"})
_LABEL_WORD = re.compile(r"[^\W\d][\w.]*")
# Labels are at most this many words ("celkové způsobilé výdaje na projekt").
_MAX_LABEL_WORDS = 7
# The amount of a label-led line starts within this many characters of the line.
_LABEL_REACH = 160


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


def _amount(m: MoneyMatch) -> Amount:
    """The record model of a money match."""
    return Amount(amount=m.amount, currency=m.currency)


def _amounts_in(ctx: Context, start: int, end: int) -> list[MoneyMatch]:
    """Money matches inside a range."""
    return [m for m in ctx.entities.amounts if start <= m.start < end]


def _cue_before(ctx: Context, cue_label: str, amount: MoneyMatch, window: int = 160) -> int | None:
    """Offset of the nearest cue of a label before an amount within the same block."""
    block = ctx.block_at(amount.start)
    lo = max(block.start if block else 0, amount.start - window)
    best = None
    for start, end, _ in ctx.cues(cue_label):
        if lo <= start and end <= amount.start:
            best = start if best is None or start > best else best
    return best


def extract_funding(ctx: Context) -> tuple[Found[Amount] | None, Found[Amount] | None]:
    """Subsidy and total cost; an amount the page does not call either stays out."""
    found: dict[str, Found[Amount]] = {}

    def take(key: str, m: MoneyMatch, method: str, ev_start: int | None = None) -> None:
        if _APPROXIMATE.search(ctx.text[max(0, m.start - 25) : m.start]):
            return
        if key not in found:
            start = m.start if ev_start is None else ev_start
            found[key] = Found(_amount(m), evidence(ctx.document, start, m.end, method))

    # 1. Labelled sections: the first amount of the value; in a total-cost section a
    #    following line that names a subsidy ("z toho dotace EU ...") is the subsidy.
    for key in ("subsidy", "total_cost"):
        for section in ctx.sections_for(key):
            for block in section.body[:4]:
                amounts = _amounts_in(ctx, block.start, block.end)
                if not amounts:
                    continue
                line_key = _leading_label(ctx.document.slice(block)) if not section.is_pair else None
                if line_key == "stop":
                    continue
                if line_key in ("subsidy", "total_cost") and block is not section.body[0]:
                    take(line_key, amounts[0], "label", block.start)
                    continue
                if key == "total_cost" and block is not section.body[0] and _cue_before(ctx, "SUBSIDY", amounts[0]):
                    take("subsidy", amounts[0], "label", block.start)
                    continue
                take(key, amounts[0], "label", section.label.start)
                if section.is_pair:
                    break
    # 2. Lines led by a label without a colon ("Dotace z ESF plus 7 657 539,12 Kč").
    # Only a line with an amount close after its start can give one: that test, a
    # bisection, goes before the label look-up, which would otherwise read every line.
    amount_starts = sorted(m.start for m in ctx.entities.amounts)
    for block in ctx.document.blocks:
        if block.kind not in ("paragraph", "item", "row"):
            continue
        index = bisect.bisect_left(amount_starts, block.start)
        if index == len(amount_starts) or amount_starts[index] >= block.start + _LABEL_REACH:
            continue
        text = ctx.document.slice(block)
        lead = _leading_label(text[:120])
        if lead in ("subsidy", "total_cost"):
            # The amount must follow the label closely ("… dosahují výše 3.385.943,40 Kč").
            amounts = _amounts_in(ctx, block.start, block.start + _LABEL_REACH)
            if amounts:
                take(lead, amounts[0], "label", block.start)
    # 3. Prose: "byl podpořen ... ve výši 2 341 262,50 Kč" — a subsidy cue before the
    #    amount in the same sentence and nothing that makes it a cost or an estimate.
    if "subsidy" not in found:
        for m in ctx.entities.amounts:
            cue = _cue_before(ctx, "SUBSIDY", m)
            if cue is None:
                continue
            veto = _cue_before(ctx, "NOT_SUBSIDY", m)
            if veto is not None and veto > cue:
                continue
            between = ctx.text[cue : m.start]
            if sentence_end(between) < len(between.rstrip(" .")):
                continue  # the cue belongs to an earlier sentence
            take("subsidy", m, "prose", cue)
            break
    return found.get("subsidy"), found.get("total_cost")
