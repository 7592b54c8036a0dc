"""When: the implementation period from labels, or from prose that states a start or end."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from functools import cache

from pipeline.clean.document import Block
from pipeline.clean.segment import Section
from pipeline.extract.context import Context, Found, evidence
from pipeline.extract.funding import is_share_sentence, section_values
from pipeline.normalise.dates import DateMatch, PeriodMatch, find_periods, parse_date, parse_period
from pipeline.normalise.textutil import holds_any, sentence_end
from pipeline.records import Period
from pipeline.vocab import label_key, load_data

__all__ = ["extract_period"]

_FROM = re.compile(r"(?:\b[Oo]d|\b[Oo]de\s+dne|\b[Dd]ne|\b[Zz]ačátkem|\b[Ss]\s+účinností\s+od)\s*$")
_UNTIL = re.compile(r"\b(?:do|until)\s*$")
_PROJECT = re.compile(r"projekt|realiz", re.IGNORECASE)
# "zajistí klubík do konce roku 2022": an end stated as a year's end.
_END_OF_YEAR = re.compile(r"\bdo\s+konce\s+roku\s+((?:19|20)\d{2})\b")
_RANGE_GAP = re.compile(r"\s+(?:do|až\s+do|až)\s+(?:konce\s+|začátku\s+)?")
_YEARS_ONLY = re.compile(r"[^\d]*\d{4}[^\d]+\d{4}[^\d]*")


# A start verb after its date ("Dne 1. 11. 2015 byla zahájena realizace") or before it
# with a few words between ("zahájil svou činnost 1. ledna 2023") stays this close.
_VERB_REACH = 30


@cache
def _noun_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """'(Předpokládané) ukončení projektu je' right before a date: end, and the start
    twin (timing.json)."""
    data = load_data("timing.json")

    def words(key: str) -> str:
        return "(?:" + "|".join(re.escape(w) for w in data[key]) + ")"

    tail = rf"(?:\s+{words('of_what')}){{0,2}}(?:\s+{words('copulas')}){{0,2}}\s*[:–-]?\s*"
    start = re.compile(
        rf"\b{words('start_nouns')}{tail}(?:{words('start_prepositions')}\s+)?$", re.IGNORECASE
    )
    end = re.compile(rf"\b{words('end_nouns')}{tail}(?:{words('end_prepositions')}\s+)?$", re.IGNORECASE)
    return start, end


def _any_between(sorted_offsets: list[int], start: int, end: int) -> bool:
    """Whether a sorted list holds an offset in ``[start, end)``."""
    index = bisect.bisect_left(sorted_offsets, start)
    return index < len(sorted_offsets) and sorted_offsets[index] < end


def _refines(known: dt.date, found: DateMatch) -> bool:
    """A day-precise date inside the month a month-precise label gave ("07/2012" then
    "ukončen 30. 7. 2012") states the same end more exactly."""
    month_edge = known.day == 1 or (known + dt.timedelta(days=1)).day == 1
    return (
        found.precision == "day"
        and month_edge
        and (found.first.year, found.first.month) == (known.year, known.month)
    )


_Dates = tuple[dt.date | None, dt.date | None, tuple[int, int] | None, tuple[int, int] | None]
_LabelledDates = tuple[dt.date | None, dt.date | None, tuple[int, int] | None, tuple[int, int] | None, str]


# "rok 2014", "v roce 2014", "2014": a period label's value that is one year and nothing else.
_YEAR_ALONE = re.compile(r"\s*(?:(?:v\s+)?(?:rok|roce|roku)\s+)?(?:19|20)\d{2}\s*\.?\s*", re.IGNORECASE)

# "Realizace od: 1. 9. 2019": a period label that says its one date is the start.
_LABEL_FROM = re.compile(r"\b(?:[Oo]d|[Ff]rom)\s*:?\s*$")
# "Délka trvání: 24 měsíců, od 1. 9. 2019": the value itself says its one date is the start.
_VALUE_FROM = re.compile(r"(?:^|[\s,;(])(?:[Oo]d|[Oo]de\s+dne|[Ff]rom)\s*$")


def _label_text(ctx: Context, section: Section) -> str:
    """The text of a section's label (a pair's label part)."""
    label = ctx.document.label(section.label) if section.is_pair else None
    return label if label is not None else ctx.document.slice(section.label)


def _labelled(ctx: Context) -> _LabelledDates:
    """Start and end from period, start and end labels, with their spans.

    One date alone under a period label ("Termín realizace: 1. 9. 2019") gives no start
    unless the label says so ("Realizace od:"): on unseen pages it was not the project's
    start in four cases of four (an event's day, a part of the work), and the prose found
    the right one. A value that is one year and nothing else ("rok 2014") is that whole
    year, as the corpus README settles it.
    """
    start = end = None
    start_span = end_span = None
    method = "label"
    for section in ctx.sections_for("period"):
        for block in section_values(ctx, section)[:3]:
            value = ctx.document.slice(block)
            stages = _whole_stages(value)
            found = stages or parse_period(value)
            if stages is not None:
                method = "label-stages"
            if found is None or found.last is None:
                nouned = _nouned_dates(ctx, block)
                if nouned is not None:
                    # "Doba realizace" over "Zahájení: 1. 9. 2019" and "Ukončení: 31. 8.
                    # 2021" on lines of their own: each side from its own value block.
                    if start is None and nouned[0] is not None:
                        start, start_span = nouned[0], nouned[2]
                    if end is None and nouned[1] is not None:
                        end, end_span = nouned[1], nouned[3]
                    method = "label-nouns"
                    if start is not None and end is not None:
                        break
                    continue
            if found is not None and (found.first or found.last):
                span = (block.start + found.start, block.start + found.end)
                if found.first is not None and found.last is None and _YEAR_ALONE.fullmatch(ctx.document.slice(block)):
                    # "Termín realizace: rok 2014": the whole year (corpus README: a year
                    # alone is 1 January / 31 December).
                    year = found.first.year
                    return dt.date(year, 1, 1), dt.date(year, 12, 31), span, span, "label-year"
                said_from = _LABEL_FROM.search(_label_text(ctx, section)) or _VALUE_FROM.search(value, 0, found.start)
                if start is None and found.first and (found.last or said_from):
                    start, start_span = found.first, span
                if end is None and found.last:
                    end, end_span = found.last, span
                if (start is None) != (end is None):
                    # "od 1. 9. 2019" over "do 31. 8. 2021": the other side may follow.
                    continue
                break
        if start or end:
            break
    for key in ("period_start", "period_end"):
        for section in ctx.sections_for(key):
            for block in section_values(ctx, section)[:2]:
                value = ctx.document.slice(block)
                found_date = parse_date(value)
                if found_date is None:
                    continue
                both = _range_under_side_label(value)
                if both is not None and start is None and end is None:
                    # "Datum zahájení a ukončení projektu: 1. 9. 2019 – 31. 8. 2021": one
                    # label over both sides; its end noun stands before the start date.
                    span = (block.start + both.start, block.start + both.end)
                    return both.first, both.last, span, span, "label-both-sides"
                span = (block.start + found_date.start, block.start + found_date.end)
                if key == "period_start" and (start is None or _refines(start, found_date)):
                    start, start_span = found_date.first, span
                elif key == "period_end" and (end is None or _refines(end, found_date)):
                    end, end_span = found_date.last, span
                # "Zahájení realizace: 1. 9. 2019, ukončení realizace: 31. 8. 2021": the
                # other side's label inside this label's value.
                nouned = _nouned_dates(ctx, block)
                if nouned is not None:
                    if key == "period_start" and end is None and nouned[1] is not None:
                        end, end_span, method = nouned[1], nouned[3], "label-nouns"
                    elif key == "period_end" and start is None and nouned[0] is not None:
                        start, start_span, method = nouned[0], nouned[2], "label-nouns"
                break
    return start, end, start_span, end_span, method


def _range_under_side_label(value: str) -> PeriodMatch | None:
    """A range as the first date of a start or end label's value ("Zahájení – ukončení:
    09/2019 – 08/2021"): the label names both sides of it."""
    periods = find_periods(value)
    if not periods or periods[0].first is None or periods[0].last is None:
        return None
    first_date = parse_date(value)
    if first_date is None or first_date.start < periods[0].start:
        return None
    return periods[0]


def _whole_stages(value: str) -> PeriodMatch | None:
    """Several ranges in one period value, each after the one before ("1. etapa 03/2020 –
    06/2020, 2. etapa 07/2020 – 12/2021"): the stages together, first start to last end.

    A value that also speaks of something other than the work (a sustainability period:
    timing.json other_endings) gives None, and the first range stands as before.
    """
    periods = find_periods(value)
    if len(periods) < 2 or holds_any(value.casefold(), _other_endings()):
        return None
    for before, after in itertools.pairwise(periods):
        if before.first is None or before.last is None or after.first is None or after.last is None:
            return None
        if after.first < before.first or after.last < before.last:
            return None
    return PeriodMatch(periods[0].start, periods[-1].end, periods[0].first, periods[-1].last)


_CELL_SEPARATOR = " | "
_PERIOD_KEYS = frozenset({"period", "period_start", "period_end"})


def _cells(ctx: Context, block: Block) -> list[tuple[int, int]]:
    """The spans of a table row's cells; a two-cell row the cleaner made a pair gives its
    label and value."""
    if block.kind == "pair" and block.label_end is not None and block.value_start is not None:
        return [(block.start, block.label_end), (block.value_start, block.end)]
    if block.kind != "row":
        return []
    spans: list[tuple[int, int]] = []
    at = block.start
    for cell in ctx.document.slice(block).split(_CELL_SEPARATOR):
        spans.append((at, at + len(cell)))
        at += len(cell) + len(_CELL_SEPARATOR)
    return spans


def _column_table(ctx: Context) -> _LabelledDates | None:
    """Start and end from a table whose header row names them and whose next row gives
    their dates in the same columns ("Datum zahájení | Datum ukončení", then "1. 9. 2019 |
    31. 8. 2021"): the cleaner keeps such rows apart, so no label has its value beside it.
    A first data row is the page's first project (corpus README)."""
    blocks = ctx.document.blocks
    for header, row in itertools.pairwise(blocks):
        if header.kind not in ("row", "pair") or row.kind not in ("row", "pair"):
            continue
        head_cells = _cells(ctx, header)
        keys = [label_key(ctx.text[a:b]) for a, b in head_cells]
        if not _PERIOD_KEYS.intersection(k for k in keys if k is not None):
            continue
        value_cells = _cells(ctx, row)
        if len(value_cells) != len(head_cells):
            continue
        start = end = None
        start_span = end_span = None
        for key, (a, b) in zip(keys, value_cells, strict=True):
            cell = ctx.text[a:b]
            if key == "period":
                found = parse_period(cell)
                if found is not None and found.first is not None and found.last is not None:
                    start, end = found.first, found.last
                    start_span = end_span = (a + found.start, a + found.end)
            elif key in ("period_start", "period_end"):
                date = parse_date(cell)
                if date is None:
                    continue
                if key == "period_start":
                    start, start_span = date.first, (a + date.start, a + date.end)
                else:
                    end, end_span = date.last, (a + date.start, a + date.end)
        if start is not None or end is not None:
            return start, end, start_span, end_span, "column-table"
    return None


# A project runs for months; a range of a few days on a line of its own is an event's.
_LONE_RANGE_MIN_DAYS = 60


def _lone_range_line(ctx: Context) -> _Dates | None:
    """A block that is one date range and nothing else ("31. 12. 2016 – 30. 10. 2017"
    under a portal card's title), the only such block on the page and in no other
    field's section: the card's period, shown without its label.

    Year ranges are left out (a programme's span, a copyright), and so are ranges shorter
    than two months (an event) and pages with two such lines (a list of dates).
    """
    found: PeriodMatch | None = None
    for period in ctx.entities.periods:
        if period.first is None or period.last is None:
            continue
        block = ctx.block_at(period.start)
        if block is None or block.kind == "pair":
            continue
        if ctx.text[block.start : block.end].strip(" .;\t") != ctx.text[period.start : period.end]:
            continue
        if _YEARS_ONLY.fullmatch(ctx.text[period.start : period.end]):
            continue
        if found is not None:
            return None
        found = period
    if found is None or found.first is None or found.last is None:
        return None
    if (found.last - found.first).days < _LONE_RANGE_MIN_DAYS:
        return None
    section = ctx.section_at(found.start)
    if section is not None and section.key is not None and section.key not in _PERIOD_KEYS:
        return None
    span = (found.start, found.end)
    return found.first, found.last, span, span


@cache
def _service_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Stems of a service and of funding or providing it (timing.json service_nouns,
    service_verbs)."""
    data = load_data("timing.json")
    return tuple(data["service_nouns"]), tuple(data["service_verbs"])


def _service_period(ctx: Context) -> _Dates | None:
    """The range of a sentence that funds or provides a service ("Od 1. 1. 2020 do 30. 6.
    2022 jsou sociální služby … podpořené krajem", "zavázalo se poskytovat službu od … do
    …"): on a page about a service funded by a regional project, the service's funded
    period is the project's, when the page gives no other date of it."""
    nouns, verbs = _service_words()
    text = ctx.text
    for period in ctx.entities.periods:
        if period.first is None or period.last is None or ctx.block_at(period.start) is None:
            continue
        if _YEARS_ONLY.fullmatch(text[period.start : period.end]) or is_share_sentence(ctx, period.start):
            continue
        s, e = ctx.sentence_span(period.start)
        folded = text[s:e].casefold()
        if holds_any(folded, nouns) and holds_any(folded, verbs) and not holds_any(folded, _other_endings()):
            span = (period.start, period.end)
            return period.first, period.last, span, span
    return None


def _nouned_dates(ctx: Context, block: Block) -> _LabelledDates | None:
    """Start and end named by their nouns inside a period label's value ("Harmonogram:
    zahájení 03/2019, ukončení 02/2020"): the label says the dates are the project's."""
    start_noun, end_noun = _noun_patterns()
    start = end = None
    start_span = end_span = None
    for date in ctx.entities.dates:
        if date.start < block.start or date.end > block.end or date.precision == "year":
            continue
        before = ctx.text[max(block.start, date.start - 40) : date.start]
        if start is None and start_noun.search(before):
            start, start_span = date.first, (date.start, date.end)
        elif end is None and end_noun.search(before):
            end, end_span = date.last, (date.start, date.end)
    if start is None and end is None:
        return None
    return start, end, start_span, end_span, "label-nouns"


def _prose(ctx: Context) -> tuple[_Dates, str]:
    """Start and end stated in sentences about the project ('Od 1. 9. 2021 je realizován'),
    and the evidence method of the rule that found them (a newer rule's name wins)."""
    text = ctx.text
    starts = {s for s, _, _ in ctx.cues("START")}
    start_ends = {e for _, e, _ in ctx.cues("START")}
    ends = {s for s, _, _ in ctx.cues("END")}
    end_verb_ends = {e for _, e, _ in ctx.cues("END_VERB")}
    all_cues = sorted(starts | ends)
    for period in ctx.entities.periods:
        block = ctx.block_at(period.start)
        if block is None or period.first is None or period.last is None:
            continue
        # (Month names hold no digits: "únor 2017 – červenec 2019" is no bare year range.)
        whole_years = (period.first.month, period.first.day, period.last.month, period.last.day) == (1, 1, 12, 31)
        if whole_years and _YEARS_ONLY.fullmatch(text[period.start : period.end]):
            # "V letech 2015 – 2017" in prose is a programme span more often than the
            # project's, unless a verb of carrying it out stands right before it.
            if _realised_years(ctx, period):
                span = (period.start, period.end)
                return (period.first, period.last, span, span), "realised-years"
            continue
        s, e = ctx.sentence_span(period.start)
        if _PROJECT.search(text[s:e]) and _any_between(all_cues, s, e) and not is_share_sentence(ctx, period.start):
            return (period.first, period.last, (period.start, period.end), (period.start, period.end)), "prose"
    # "od září 2018 do konce srpna 2021" in a sentence about the project.
    dates = ctx.entities.dates
    for first, second in itertools.pairwise(dates):
        if not _RANGE_GAP.fullmatch(text[first.end : second.start]):
            continue
        block = ctx.block_at(first.start)
        if block is None or block.end < second.end or first.precision == "year":
            continue
        s, e = ctx.sentence_span(first.start)
        before = text[max(block.start, first.start - 20) : first.start]
        if (
            _FROM.search(before)
            and _PROJECT.search(text[s:e])
            and first.first <= second.last
            and not is_share_sentence(ctx, first.start)
        ):
            return (first.first, second.last, (first.start, second.end), (first.start, second.end)), "prose"
    start = end = None
    start_span = end_span = None
    how = "prose"
    # The pattern tries every character of the page; most pages lack its one fixed word.
    for m in _END_OF_YEAR.finditer(text) if "konce" in text else ():
        block = ctx.block_at(m.start())
        if block is None:
            continue
        s, e = ctx.sentence_span(m.start())
        if _PROJECT.search(text[s:e]):
            end, end_span = dt.date(int(m.group(1)), 12, 31), (m.start(), m.end())
            break
    # Sorted offsets, so that each date is checked in logarithmic time: a paragraph of
    # thousands of dates must stay linear.
    period_starts = [p.start for p in ctx.entities.periods]
    start_cues, end_cues = sorted(starts), sorted(ends)
    start_verbs = sorted(ctx.cues("START_VERB"))
    end_verb_list = sorted(end_verb_ends)
    end_verb_starts = sorted(s for s, _, _ in ctx.cues("END_VERB"))
    start_verb_ends = sorted(e for _, e, _ in start_verbs)
    start_noun, end_noun = _noun_patterns()
    # Sentences (by start offset) in which a start noun dates the start.
    noun_started: set[int] = set()
    for date in ctx.entities.dates:
        index = bisect.bisect_right(period_starts, date.start) - 1
        if index >= 0 and date.start < ctx.entities.periods[index].end:
            continue
        block = ctx.block_at(date.start)
        if block is None:
            continue
        s, e = ctx.sentence_span(date.start)
        has_start = _any_between(start_cues, s, e)
        has_end = _any_between(end_cues, s, e)
        before = text[max(block.start, date.start - 20) : date.start]
        # "zahájila 1.7. 2010": the start verb right before the date.
        # ("Termín realizace: 15. 5. 2019" is a label's lone date, no start: see _labelled.)
        started = any(date.start - gap in start_ends for gap in (0, 1, 2)) and ":" not in before[-3:]
        # "byl ukončen 31.8. 2012": an end verb right before the date (only verbs that
        # always mean ending; "realizován" before a date starts the project).
        ended = any(date.start - gap in end_verb_ends for gap in (0, 1, 2)) and _ends_project(ctx, s, e)
        # "Projekt bude ukončen k 31. 12. 2022": a preposition between the verb and its date.
        if not ended and date.precision != "year":
            verb_index = bisect.bisect_right(end_verb_list, date.start) - 1
            ended = (
                verb_index >= 0
                and _end_verb_gap().fullmatch(text[end_verb_list[verb_index] : date.start]) is not None
                and _ends_project(ctx, s, e)
            )
            end_how = "end-verb-preposition" if ended else "prose"
        else:
            end_how = "prose"
        # A date after "od" / "do" in a sentence with a start or end word is the
        # project's only where the sentence speaks of the project.
        about_project = _PROJECT.search(text[s:e]) is not None
        started = started or _FROM.search(before) is not None and has_start and about_project
        # ("Udržitelnost projektu trvá do 31. 8. 2026": the end of something else.)
        ended = ended or (
            _UNTIL.search(before) is not None
            and has_end
            and about_project
            and not holds_any(text[s:e].casefold(), _other_endings())
        )
        start_how = "prose"
        if date.precision != "year" and (start is None or end is None) and not is_share_sentence(ctx, date.start):
            near = text[max(block.start, date.start - 60) : date.start]
            if start_noun.search(near) is not None:
                noun_started.add(s)
            # "Předpokládané ukončení projektu je 30. 6. 2022", "zahájení projektu: 1. 9. 2019".
            if not ended and end_noun.search(near) is not None:
                if _ends_project(ctx, s, e):
                    ended, end_how = True, "date-noun"
                elif s in noun_started and about_project and not holds_any(text[s:e].casefold(), _other_endings()):
                    # "Aktivity jsou realizovány s datem zahájení 1. 2. 2010 a datem ukončení
                    # 31. 7. 2012": both nouns dated in one sentence about carrying it out.
                    ended, end_how = True, "date-noun-pair"
            if not ended and _end_verb_after(text, end_verb_starts, date, block.start) and _ends_project(ctx, s, e):
                # "K 31. 8. 2021 byl projekt ukončen": the end verb after its date.
                ended, end_how = True, "date-end-verb"
            if not started and about_project:
                if start_noun.search(near) is not None:
                    started, start_how = True, "date-noun"
                elif _start_verb_near(text, start_verbs, date):
                    started, start_how = True, "date-verb"
        if date.precision == "year" and not is_share_sentence(ctx, date.start):
            # "Projekt byl zahájen v roce 2019 a ukončen v roce 2021": a year right after a
            # verb that always means starting or ending is that year's first or last day.
            gap = _year_gap()
            if start is None and about_project and _verb_right_before(text, start_verb_ends, date.start, gap):
                start, start_span = date.first, (date.start, date.end)
                how = how if how != "prose" else "verb-year"
            elif end is None and _verb_right_before(text, end_verb_list, date.start, gap) and _ends_project(ctx, s, e):
                end, end_span = date.last, (date.start, date.end)
                how = how if how != "prose" else "verb-year"
        if start is None and started and date.precision != "year":
            start, start_span = date.first, (date.start, date.end)
            how = how if how != "prose" else start_how
        elif end is None and ended and date.precision != "year":
            end, end_span = date.last, (date.start, date.end)
            how = how if how != "prose" else end_how
    if start is None and end is None:
        whole = _realised_in_year(ctx)
        if whole is not None:
            return whole, "realised-year"
        years = _years_then_verb(ctx)
        if years is not None:
            return years, "realised-years"
        lone = _lone_range_line(ctx)
        if lone is not None:
            return lone, "lone-range-line"
        service = _service_period(ctx)
        if service is not None:
            return service, "service-period"
    return (start, end, start_span, end_span), how


@cache
def _realised_verb_year() -> re.Pattern[str]:
    """A verb of carrying out followed by a year alone ('byla realizována v roce 2020';
    timing.json realised_verbs, year_prepositions)."""
    data = load_data("timing.json")
    verbs = "|".join(re.escape(w) for w in data["realised_verbs"])
    gaps = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data["year_prepositions"])
    return re.compile(rf"\b(?:{verbs})\s+(?:{gaps})\s+((?:19|20)\d{{2}})\b(?!\s*[–-]\s*\d)", re.IGNORECASE)


@cache
def _earlier_project_stems() -> tuple[str, ...]:
    """Stems that mark a sentence about an earlier project (programme_mentions.json)."""
    return tuple(load_data("programme_mentions.json")["earlier_project_stems"])


@cache
def _realised_verb_before_years() -> re.Pattern[str]:
    """A verb of carrying out right before a bare year range, with 'v letech' or 'od'
    between ('byl realizován v letech 2019–2021', 'probíhá od 2020 do 2022'; timing.json
    realised_verbs, running_verbs, years_range_openers)."""
    data = load_data("timing.json")
    verbs = "|".join(re.escape(w) for w in sorted({*data["realised_verbs"], *data["running_verbs"]}, key=len, reverse=True))
    openers = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data["years_range_openers"])
    return re.compile(rf"\b(?:{verbs})\s+(?:(?:{openers})\s+)?$", re.IGNORECASE)


def _realised_years(ctx: Context, period: PeriodMatch) -> bool:
    """Whether a bare year range follows a verb of carrying out the project, in a
    sentence that names the project and is not an employer's share of a larger one."""
    text = ctx.text
    block = ctx.block_at(period.start)
    if block is None or is_share_sentence(ctx, period.start):
        return False
    digit = next((i for i in range(period.start, period.end) if text[i].isdigit()), period.start)
    if _realised_verb_before_years().search(text, max(block.start, digit - 60), digit) is None:
        return False
    s, e = ctx.sentence_span(period.start)
    return _THE_PROJECT.search(text[s:e]) is not None and not holds_any(text[s:e].casefold(), _earlier_project_stems())


@cache
def _years_before_verb() -> re.Pattern[str]:
    """'V roce 2019, 2020 realizuje', 'v letech 2019 a 2020 realizovala': years listed
    after 'v roce' / 'v letech', then a verb of carrying out (timing.json realised_verbs,
    running_verbs)."""
    data = load_data("timing.json")
    verbs = "|".join(re.escape(w) for w in sorted({*data["realised_verbs"], *data["running_verbs"]}, key=len, reverse=True))
    year = r"(?:19|20)\d{2}"
    return re.compile(
        rf"\b[Vv]\s+(?:roce|rocích|letech)\s+({year}(?:\s*(?:,|a|[–-])\s*{year})+)\s+(?:\w+\s+){{0,2}}?(?:{verbs})\b"
    )


# A project listed by its years runs a few of them.
_MAX_LISTED_YEARS = 6


def _years_then_verb(ctx: Context) -> _Dates | None:
    """The whole years listed before a verb of carrying out the project ('Obec v roce
    2019, 2020 realizuje projekt'), each year after the one before."""
    text = ctx.text
    for m in _years_before_verb().finditer(text) if "roce" in text or "letech" in text else ():
        if ctx.block_at(m.start()) is None or is_share_sentence(ctx, m.start()):
            continue
        years = [int(y) for y in re.findall(r"\d{4}", m.group(1))]
        if any(b <= a for a, b in itertools.pairwise(years)) or years[-1] - years[0] >= _MAX_LISTED_YEARS:
            continue
        s, e = ctx.sentence_span(m.start())
        if _THE_PROJECT.search(text[s:e]) is None or holds_any(text[s:e].casefold(), _earlier_project_stems()):
            continue
        span = (m.start(1), m.end(1))
        return dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31), span, span
    return None


def _realised_in_year(ctx: Context) -> _Dates | None:
    """The whole year in which a sentence says the project was carried out, when the page
    gives no other date of it ('Projekt byl realizován v roce 2020')."""
    text = ctx.text
    for m in _realised_verb_year().finditer(text) if "roce" in text or "roku" in text else ():
        if ctx.block_at(m.start()) is None or is_share_sentence(ctx, m.start()):
            continue
        s, e = ctx.sentence_span(m.start())
        folded = text[s:e].casefold()
        if _THE_PROJECT.search(text[s:e]) is None and "akce" not in folded:
            continue
        if holds_any(folded, _earlier_project_stems()):
            continue  # "navazuje na projekt realizovaný v roce 2016": an earlier project's year
        year = int(m.group(1))
        span = (m.start(1), m.end(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31), span, span
    return None


@cache
def _end_verb_gap() -> re.Pattern[str]:
    """What may stand between an end verb and its date: a space and one preposition
    ('ukončen k', 'ukončena ke dni', 'skončí dnem'; timing.json)."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in load_data("timing.json")["end_verb_prepositions"])
    return re.compile(rf"\s+(?:(?:{words})\s+)?", re.IGNORECASE)


@cache
def _year_gap() -> re.Pattern[str]:
    """What stands between a start or end verb and a year it dates ('zahájen v roce',
    'ukončen během roku'; timing.json year_prepositions)."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in load_data("timing.json")["year_prepositions"])
    return re.compile(rf"\s+(?:{words})\s+", re.IGNORECASE)


def _verb_right_before(text: str, verb_ends: list[int], offset: int, gap: re.Pattern[str]) -> bool:
    """Whether a verb (by its sorted end offsets) stands right before ``offset``, only
    ``gap`` between them."""
    index = bisect.bisect_right(verb_ends, offset) - 1
    return index >= 0 and gap.fullmatch(text[verb_ends[index] : offset]) is not None


@cache
def _date_to_end_verb() -> re.Pattern[str]:
    """What may stand between a date and the end verb after it: auxiliaries and the
    project's own nouns ('K 31. 8. 2021 byl projekt ukončen'; timing.json
    date_to_end_verb_words)."""
    words = "|".join(re.escape(w) for w in load_data("timing.json")["date_to_end_verb_words"])
    return re.compile(rf"\s+(?:(?:{words})\s+){{0,4}}", re.IGNORECASE)


# "Projekt byl k 31. 8. 2021 ukončen": the project named this close before the date, or
# between it and the verb, in the same clause.
_END_VERB_SUBJECT_REACH = 25
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\w")


def _end_verb_after(text: str, end_verb_starts: list[int], date: DateMatch, block_start: int) -> bool:
    """Whether an end verb (by its sorted start offsets) follows the date with only
    auxiliaries and the project's nouns between them, the project named right there."""
    index = bisect.bisect_left(end_verb_starts, date.end)
    if index >= len(end_verb_starts):
        return False
    verb_start = end_verb_starts[index]
    if _date_to_end_verb().fullmatch(text, date.end, verb_start) is None:
        return False
    lead = text[max(block_start, date.start - _END_VERB_SUBJECT_REACH) : date.start]
    # The sentence splitter keeps "2019. Stavba" together (a date's dot): cut at it here.
    breaks = list(_SENTENCE_BREAK.finditer(lead))
    if breaks:
        lead = lead[breaks[-1].end() - 1 :]
    return _THE_PROJECT.search(lead + text[date.end : verb_start]) is not None


def _start_verb_near(text: str, start_verbs: list[tuple[int, int, str]], date: DateMatch) -> bool:
    """A verb that always means starting within a few words of a date, in its sentence:
    after it ("1. února 2010 zahájilo gymnázium …") or before it ("zahájil svou činnost
    1. ledna 2023")."""
    index = bisect.bisect_left(start_verbs, (date.end, 0, ""))
    if index < len(start_verbs):
        verb_start = start_verbs[index][0]
        gap = text[date.end : verb_start]
        if verb_start - date.end <= _VERB_REACH and sentence_end(gap) >= len(gap.rstrip(" .")) and not any(c.isdigit() for c in gap):
            return True
    if index > 0:
        verb_end = start_verbs[index - 1][1]
        gap = text[verb_end : date.start]
        if 0 <= date.start - verb_end <= _VERB_REACH and sentence_end(gap) >= len(gap.rstrip(" .")) and not any(c.isdigit() for c in gap):
            return True
    return False


# "Projekt byl ukončen …", not "Výzva k předkládání projektů byla ukončena …".
_THE_PROJECT = re.compile(r"\b[Pp]rojekt(?:u|em)?\b")


@cache
def _other_endings() -> tuple[str, ...]:
    """Stems of things other than the project that end on a date (timing.json)."""
    return tuple(load_data("timing.json")["other_endings"])


@cache
def _end_opening() -> re.Pattern[str]:
    """A sentence that opens with an end verb or noun, or 'jeho' / 'její' and one
    ('Ukončen bude 31. 8. 2021.', 'Jeho ukončení je plánováno na 31. 8. 2021.'): its
    subject is the one of the sentence before (cues.json END_VERB, timing.json end_nouns,
    continuation_pronouns)."""
    verbs = next(c["sequences"][0] for c in load_data("cues.json")["cues"] if c["label"] == "END_VERB")
    timing = load_data("timing.json")
    words = "|".join(re.escape(w) for w in sorted({*verbs, *timing["end_nouns"]}, key=len, reverse=True))
    pronouns = "|".join(re.escape(w) for w in timing["continuation_pronouns"])
    return re.compile(rf"\s*(?:(?:{pronouns})\s+)?(?:{words})\b", re.IGNORECASE)


def _ends_project(ctx: Context, s: int, e: int) -> bool:
    """Whether the sentence ``text[s:e]`` speaks of the project's own end, itself or as
    the next sentence after one about the project that opens with its end ("Projekt byl
    zahájen 1. 9. 2019. Ukončen bude 31. 8. 2021.")."""
    sentence = ctx.text[s:e]
    if _project_ends(sentence):
        return True
    block = ctx.block_at(s)
    if block is None or s - 1 <= block.start or _end_opening().match(sentence) is None:
        return False
    if holds_any(sentence.casefold(), _other_endings()):
        return False
    before_start, before_end = ctx.sentence_span(s - 1)
    return before_start >= block.start and before_end <= s and _project_ends(ctx.text[before_start:before_end])


def _project_ends(sentence: str) -> bool:
    """Whether a sentence with an end verb speaks of the project's own end."""
    folded = sentence.casefold()
    return _THE_PROJECT.search(sentence) is not None and not holds_any(folded, _other_endings())


def extract_period(ctx: Context) -> Found[Period] | None:
    """The implementation period; labelled values win over prose."""
    column = _column_table(ctx)
    start, end, start_span, end_span, method = column if column is not None else _labelled(ctx)
    if start is None and end is None:
        (start, end, start_span, end_span), method = _prose(ctx)
    elif start is None or end is None:
        # A card that labels one side only ("Plánované zahájení: 1. 3. 2020") may state
        # the other in a sentence ("Projekt bude ukončen k 28. 2. 2022").
        (p_start, p_end, p_start_span, p_end_span), _ = _prose(ctx)
        if start is None and p_start is not None and end is not None and p_start <= end:
            start, start_span, method = p_start, p_start_span, "label-and-prose"
        elif end is None and p_end is not None and start is not None and start <= p_end:
            end, end_span, method = p_end, p_end_span, "label-and-prose"
    if start is None and end is None:
        return None
    if start and end and start > end:
        return None
    spans = [s for s in (start_span, end_span) if s is not None]
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    return Found(Period(start=start, end=end), evidence(ctx.document, lo, hi, method))
