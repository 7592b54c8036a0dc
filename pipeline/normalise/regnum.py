"""Registration numbers of EU-funded projects (``CZ.03.2.60/0.0/0.0/16_052/0009098``).

A loose, linear-time candidate pattern finds anything shaped like a number (``CZ``, digits,
slash-separated segments, stray spaces after slashes); each candidate is then checked
against the exact format of each programming period. Malformed numbers that are clearly
registration numbers are kept as printed with ``valid=False``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from pipeline.normalise.anchored import Anchor, anchored_finditer
from pipeline.normalise.programmes import programme_for_code
from pipeline.vocab import label_table

__all__ = [
    "RegNumMatch",
    "find_labelled_numbers",
    "find_registration_numbers",
    "find_scheme_numbers",
    "parse_registration_number",
]


@dataclass(frozen=True, slots=True)
class RegNumMatch:
    """A registration number at ``text[start:end]``; ``value`` has all white space removed."""

    start: int
    end: int
    value: str
    valid: bool
    programming_period: str | None
    programme_code: str | None
    call: str | None
    programme: str | None
    abbreviation: str | None


_SPACE = "\u0020\u00a0\u202f\u2009\u2007\t"
# A segment holds at least one digit (lookahead), so that a slash followed by a word
# ("… /0009098 / OPZ") does not extend the number. Possessive quantifiers and bounded
# repetition keep the scan linear on hostile input (thousands of look-alikes, one 5 MB line).
# An all-letter part ("MV" in National Recovery Plan numbers of ministries) counts only
# between two slashes and before a digit.
_SEGMENT = (
    rf"(?:(?=[0-9A-Z_.]{{0,23}}[0-9])[0-9A-Z_.]{{1,24}}+|[A-Z]{{2,4}}(?=/[{_SPACE}]{{0,3}}[0-9]))"
)
_CZ_ANCHOR: tuple[Anchor, ...] = (("CZ", 0),)
_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9])CZ(?:\.[{_SPACE}]?|[{_SPACE}]{{1,2}}\.?)(?=[0-9])"
    rf"{_SEGMENT}(?:[{_SPACE}]?/[{_SPACE}\n]{{0,3}}{_SEGMENT}){{1,6}}+"
)

# Exact formats on the value (white space removed). Group names feed RegNumMatch fields.
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2014-2020 (MS2014+) and the National Recovery Plan, which reuses its shape:
    # CZ.03.2.60/0.0/0.0/16_052/0009098, placeholders X/XX as printed on real pages.
    (
        "2014-2020",
        re.compile(
            r"CZ\.(?P<code>\d{2})\.(?:\d{1,2}|X{1,2})\.(?:\d{1,3}|X{1,3})"
            r"/0\.0/0\.0/(?P<call>\d{2}_\d{3})/\d{7}"
        ),
    ),
    # National Recovery Plan numbers of ministries: CZ.31.1.01/MV/23_62/0000062.
    (
        "NPO",
        re.compile(r"CZ\.(?P<code>31)\.\d{1,2}\.\d{1,2}/[A-Z]{2,4}/(?P<call>\d{2}_\d{2,3})/\d{7}"),
    ),
    # 2021-2027 (MS2021+): CZ.03.02.01/00/22_024/0001284, CZ.02.02.XX/00/23_017/0008432.
    (
        "2021-2027",
        re.compile(
            r"CZ\.(?P<code>\d{2})\.(?:\d{2}|XX)\.(?:\d{2}|XX)/\d{2}/(?P<call>\d{2}_\d{3})/\d{7}"
        ),
    ),
    # 2007-2013 (Benefit7 / Monit7+): CZ.1.04/3.2.00/B4.00007 (cíl.program/osa.oblast.
    # grantové schéma/výzva.pořadí) and the Prague programmes' CZ.2.17/3.1.00/36061.
    (
        "2007-2013",
        re.compile(
            r"CZ\.(?P<code>[123]\.\d{2})/\d{1,2}\.\d{1,2}\.\d{2}/(?P<call>[0-9A-Z]{1,3})\.\d{4,5}"
        ),
    ),
    ("2007-2013", re.compile(r"CZ\.(?P<code>2\.1[67])/\d{1,2}\.\d{1,2}\.\d{2}/\d{5}")),
    # 2004-2006: CZ.04.1.03/2.1.01.2/0123, CZ.04.3.07/4.2.01.1/0035.
    (
        "2004-2006",
        re.compile(r"CZ\.04\.(?P<code>\d\.\d{2})/\d{1,2}(?:\.\d{1,3}){1,4}/\d{3,5}"),
    ),
)
_NPO_CODE = "31"

# Shapes that identify the period of a malformed number from its prefix alone.
_PARTIAL: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "2014-2020",
        re.compile(r"CZ\.?(?P<code>\d{2})\.[0-9X.]*/0\.0/(?:0\.0/)?(?P<call>\d{2}_\d{3})/"),
    ),
    (
        "2021-2027",
        re.compile(
            r"CZ\.?(?P<code>\d{2})\.(?:\d{2}|XX)\.(?:\d{2}|XX)/\d{2}/(?P<call>\d{2}_\d{3})/"
        ),
    ),
    ("2021-2027", re.compile(r"CZ\.?(?P<code>\d{2})\.(?:\d{2}|XX)\.(?:\d{2}|XX)/")),
    (
        "2007-2013",
        re.compile(
            r"CZ\.?(?P<code>[123]\.\d{2})/\d{1,2}\.\d{1,2}\.\d{2}/(?:(?P<call>[0-9A-Z]{1,3})\.)?"
        ),
    ),
)
# A malformed candidate counts only when it is clearly a registration number: at least
# three slash-separated parts and a final serial of four or more digits.
_PLAUSIBLE = re.compile(r"CZ\.?\d[^/]*(?:/[^/]+){2,}")
_SERIAL = re.compile(r"(?:[0-9A-Z]{1,3}\.)?\d{4,7}")
# Numbers printed by non-CZ schemes (Erasmus+, Norway Grants, OPZ decisions) as a whole
# label value: one token with several digits, e.g. "LP-HROVA3-001", "OPZ/2.1/052/0008940".
_OTHER_ID = re.compile(r"[A-Z0-9][A-Za-z0-9./_-]{4,59}")
_TRAILING = "._"
# Invisible characters a CMS or a copy-paste leaves inside a number: format characters
# (soft hyphen, zero-width space and joiners, word joiner, BOM, direction marks) anywhere,
# and the no-break space a CMS puts after the programme code ("CZ.02.&nbsp;3.68", a plain
# space once the page is cleaned). They are taken out before matching; the evidence still
# spans the number as printed.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]"
    "|(?:(?<=CZ\\.[0-9]{2}\\.)|(?<=CZ\\.[0-9]\\.))[ \u00a0\u202f\u2007\u2009](?=[0-9])"
)


def _is_other_id(value: str) -> bool:
    """True for one identifier token with several digits that is not a date or a decimal."""
    if _OTHER_ID.fullmatch(value) is None or sum(ch.isdigit() for ch in value) < 3:
        return False
    if value.isdigit():
        return len(value) >= 6
    # Digits and dots only ("1.4.2019", "3.5") are dates or decimals, not identifiers.
    return any(ch.isalpha() or ch in "/-_" for ch in value)


def _compact(text: str, start: int, end: int) -> tuple[str, Sequence[int]]:
    """The characters of ``text[start:end]`` without white space, with their offsets."""
    span = text[start:end]
    if len("".join(span.split())) == len(span):
        return span, range(start, end)  # the common case: no space to take out
    chars: list[str] = []
    offsets: list[int] = []
    for i in range(start, end):
        if not text[i].isspace():
            chars.append(text[i])
            offsets.append(i)
    return "".join(chars), offsets


def _describe(value: str) -> tuple[bool, str | None, str | None, str | None, int]:
    """(valid, period, code, call, length of the valid prefix) for a compacted candidate."""
    for period, pattern in _FORMATS:
        match = pattern.match(value)
        if match is None:
            continue
        rest = value[match.end() :]
        # A valid number followed by more slash-parts is a number plus something else.
        if rest == "" or rest.startswith("/"):
            code = match.group("code")
            call = match.groupdict().get("call")
            if period == "2014-2020" and code == _NPO_CODE:
                period = "NPO"
            return True, period, code, call, match.end()
    for period, pattern in _PARTIAL:
        match = pattern.match(value)
        if match is not None:
            code = match.group("code")
            call = match.groupdict().get("call")
            if code == _NPO_CODE:
                period = "NPO"
            return False, period, code, call, len(value)
    if value.startswith(f"CZ.{_NPO_CODE}."):
        return False, "NPO", _NPO_CODE, None, len(value)
    return False, None, None, None, len(value)


def _build(
    start: int,
    end: int,
    value: str,
    valid: bool,
    period: str | None,
    code: str | None,
    call: str | None,
    scheme: str | None = None,
) -> RegNumMatch:
    """Attach the programme named by the code table (None for unknown codes) or by the
    number's scheme (``scheme``: a programme whose numbers have a format of their own)."""
    programme = programme_for_code(period, code) if period and code else None
    if programme is None and scheme is not None:
        programme = (scheme, None)
    return RegNumMatch(
        start=start,
        end=end,
        value=value,
        valid=valid,
        programming_period=period,
        programme_code=code,
        call=call,
        programme=programme[0] if programme else None,
        abbreviation=programme[1] if programme else None,
    )


def _from_candidate(text: str, start: int, end: int) -> RegNumMatch | None:
    """Check one candidate span; None when it is not a registration number."""
    value, offsets = _compact(text, start, end)
    while value and value[-1] in _TRAILING:
        value, offsets = value[:-1], offsets[:-1]
    if not value:
        return None
    valid, period, code, call, length = _describe(value)
    if valid:
        value, offsets = value[:length], offsets[:length]
    else:
        parts = value.split("/")
        if not _PLAUSIBLE.fullmatch(value) or not _SERIAL.fullmatch(parts[-1]):
            return None
    return _build(offsets[0], offsets[-1] + 1, value, valid, period, code, call)


def find_registration_numbers(text: str) -> list[RegNumMatch]:
    """Every registration number in ``text``, in order, with offsets into ``text``.

    >>> [m.value for m in find_registration_numbers("reg. č. CZ.03.2.60/0.0/0.0/16_052/0009098.")]
    ['CZ.03.2.60/0.0/0.0/16_052/0009098']
    >>> find_registration_numbers("CZ 1.04/ 3.3.00/61.00003")[0].value
    'CZ1.04/3.3.00/61.00003'
    """
    if not isinstance(text, str) or "CZ" not in text:
        return []
    if _INVISIBLE.search(text) is None:
        return _scan(text)
    return _scan_without_invisible(text)


def _scan_without_invisible(text: str) -> list[RegNumMatch]:
    """``_scan`` of the text without invisible characters, offsets mapped back to ``text``.

    >>> [(m.value, m.start, m.end) for m in _scan_without_invisible("č. CZ.02.\u00ad3.68/0.0/0.0/16_010/0004321")]
    [('CZ.02.3.68/0.0/0.0/16_010/0004321', 3, 37)]
    """
    removed = [match.start() for match in _INVISIBLE.finditer(text)]
    # A character at view offset v was at v + (how many removed characters precede it).
    keys = [position - rank for rank, position in enumerate(removed)]

    def original(offset: int) -> int:
        """The offset in ``text`` of the character at ``offset`` in the view."""
        return offset + bisect_right(keys, offset)

    found = []
    for match in _scan(_INVISIBLE.sub("", text)):
        found.append(replace(match, start=original(match.start), end=original(match.end - 1) + 1))
    return found


def _scan(text: str) -> list[RegNumMatch]:
    """Every registration number in ``text`` (no invisible characters taken out)."""
    found: list[RegNumMatch] = []
    # Every candidate starts with "CZ": the pattern is tried only there.
    for candidate in anchored_finditer(_CANDIDATE, text, _CZ_ANCHOR):
        match = _from_candidate(text, candidate.start(), candidate.end())
        if match is not None:
            found.append(match)
    return found


def parse_registration_number(text: str) -> RegNumMatch | None:
    """The registration number that a whole label value is (white space tolerant), else None.

    A CZ-scheme number is described by its format; a single other identifier (numbers of
    Erasmus+, Norway Grants or decision numbers written where the registration number
    belongs) is returned as printed with ``valid=False`` and no programme.

    >>> parse_registration_number(" CZ.1.07/1.1.00/14.0143 ").programme
    'Operační program Vzdělávání pro konkurenceschopnost'
    >>> parse_registration_number("LP-HROVA3-001").valid
    False
    >>> parse_registration_number("viz níže") is None
    True
    """
    if not isinstance(text, str):
        return None
    stripped = text.strip().rstrip(".,;)")
    if not stripped:
        return None
    offset = text.index(stripped[0])
    schemes = find_scheme_numbers(stripped)
    if schemes and schemes[0].value == stripped:
        scheme = schemes[0]
        return _build(offset, offset + len(stripped), stripped, True, None, None, None, scheme.programme)
    if "CZ" in stripped:
        for match in find_registration_numbers(text):
            before = text[offset : match.start]
            after = text[match.end :].strip().rstrip(".,;)")
            if not before.strip() and not after:
                return match
        return None
    value = stripped
    if _is_other_id(value):
        return _build(offset, offset + len(stripped), value, False, None, None, None)
    return None


# Registration-number labels that also introduce a number inside a sentence ("… pod
# reg. č. LP-PDP2-004 …"): those that name the project or are the "reg." abbreviation.
# Others ("identifikační číslo") as often introduce an organisation's IČO in prose.
_PROSE_LABEL_WORDS = ("projekt", "project", "reg")
_PROSE_VALUE = r"\s*(?::\s*|[–-]\s+)?(?P<value>[A-Z0-9][A-Za-z0-9./_-]{3,59})"


@cache
def _labelled_number_pattern() -> re.Pattern[str]:
    """A registration-number label (labels.json) and the one token after it."""
    labels = sorted(
        (
            label
            for label, key in label_table().items()
            if key == "registration_number" and any(word in label for word in _PROSE_LABEL_WORDS)
        ),
        key=len,
        reverse=True,
    )
    alternatives = []
    for label in labels:
        words = label.split()
        regex = re.escape(words[0])
        for previous, word in pairwise(words):
            # "reg.č." and "reg. č." are both printed: no space is needed after a period.
            regex += (r"\s*" if previous.endswith(".") else r"\s+") + re.escape(word)
        alternatives.append(regex)
    # Folded labels lose a final period ("reg. č."): it may follow any of them.
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")\.?" + _PROSE_VALUE, re.IGNORECASE)


def find_labelled_numbers(text: str) -> list[RegNumMatch]:
    """Numbers of schemes without a CZ format that a registration-number label introduces.

    Interreg small projects, EU programmes, EEA grants and the Rural Development
    Programme print numbers of their own; only a label tells them from other numbers.

    >>> [m.value for m in find_labelled_numbers("Projekt reg. č. LP-PDP2-004 začal v květnu.")]
    ['LP-PDP2-004']
    >>> find_labelled_numbers("Číslo projektu: 1. 4. 2019")
    []
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[RegNumMatch] = []
    for match in _labelled_number_pattern().finditer(text):
        value = match.group("value").rstrip("._-/")
        if find_registration_numbers(value) or not _is_other_id(value):
            continue  # CZ numbers have formats of their own (find_registration_numbers)
        start = match.start("value")
        found.append(_build(start, start + len(value), value, False, None, None, None))
    return found


# Project numbers of EU programmes whose format names the programme without a label:
# Erasmus+ (year-round-national agency-key action[-sector]-serial[_partner]):
# 2019-1-CZ01-KA101-061234, 2018-1-CZ01-KA229-048134_1, 2022-1-CZ01-KA122-SCH-000081234.
_SCHEME_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Erasmus+",
        re.compile(
            r"(?<![\w-])20[12]\d-[1-3]-[A-Z]{2}0[1-3]-KA\d{3}(?:-[A-Z]{3})?-\d{6,9}(?:_\d{1,2})?(?![\w-])"
        ),
    ),
)
# Every match of a scheme format holds this: a page without it is not scanned.
_SCHEME_MARK = "-KA"


def find_scheme_numbers(text: str) -> list[RegNumMatch]:
    """Project numbers in the formats of EU programmes (Erasmus+), in page order.

    >>> [(m.value, m.programme) for m in find_scheme_numbers("Projekt 2022-1-CZ01-KA122-SCH-000081234.")]
    [('2022-1-CZ01-KA122-SCH-000081234', 'Erasmus+')]
    >>> find_scheme_numbers("tel. 2022-1-22")
    []
    """
    if not isinstance(text, str) or _SCHEME_MARK not in text:
        return []
    found: list[RegNumMatch] = []
    for programme, pattern in _SCHEME_FORMATS:
        for match in pattern.finditer(text):
            found.append(_build(match.start(), match.end(), match.group(), True, None, None, None, programme))
    return sorted(found, key=lambda m: m.start)
