"""Score extraction against gold annotations (the format and rules of corpus/README.md).

A gold file is one JSON object per page: ``file`` names the page, every other key is a
field. A key that is missing was not annotated and is not scored; ``null`` means the page
does not state the value, so anything extracted for it is a false positive.

Counting, per field over all pages:

- scalars: a prediction equal to the gold value (after normalisation) is a true
  positive; a prediction that differs is a false positive and, when the gold value is
  not null, also a false negative; a gold value with no prediction is a false negative.
- lists: items are paired one to one, greedily by best similarity; unpaired predicted
  items are false positives, unpaired gold items false negatives. ``null`` and ``[]``
  both hold no items, so neither costs anything against the other.

Precision is ``tp / (tp + fp)`` and recall ``tp / (tp + fn)``; each is 1.0 when its
denominator is 0 (no predictions: nothing wrong was said; nothing to find: nothing was
missed). F1 is their harmonic mean (0.0 when both are 0). "core" is the micro-average
(summed counts) over :data:`CORE_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal

from pipeline.core import extract_file_records
from pipeline.errors import GoldFormatError, PageError, UsageError
from pipeline.normalise.programmes import canonical_programme
from pipeline.records import Amount, Record
from pipeline.settings import Settings

__all__ = [
    "CORE_FIELDS",
    "EVIDENCE_KEYS",
    "FIELDS",
    "LIST_FIELDS",
    "EvaluationReport",
    "FieldScore",
    "GoldPage",
    "Mismatch",
    "PageExtractor",
    "PageFailure",
    "confidence_band",
    "evaluate_folder",
    "evaluate_records",
    "format_errors",
    "format_methods",
    "format_table",
    "load_gold",
    "load_gold_folder",
    "pair_items",
    "pair_records",
    "predictions_from_record",
    "resolve_page",
    "text_similarity",
    "token_f1",
    "tokens",
    "values_match",
]

GoldValue = str | list[str] | None

TEXT_FIELDS: tuple[str, ...] = ("title", "programme", "beneficiary", "main_goal")
DATE_FIELDS: tuple[str, ...] = ("period_start", "period_end")
AMOUNT_FIELDS: tuple[str, ...] = ("subsidy_czk", "total_cost_czk")
LIST_FIELDS: tuple[str, ...] = ("target_groups", "activities", "locations", "partners")

# Order of the README's gold format; reports list fields in this order.
FIELDS: tuple[str, ...] = (
    "title",
    "registration_number",
    "programme",
    "beneficiary",
    "period_start",
    "period_end",
    "subsidy_czk",
    "total_cost_czk",
    "target_groups",
    "activities",
    "main_goal",
    "locations",
    "partners",
)

CORE_FIELDS: tuple[str, ...] = (
    "title",
    "registration_number",
    "programme",
    "beneficiary",
    "period_start",
    "period_end",
    "subsidy_czk",
    "target_groups",
    "activities",
    "main_goal",
)

# The record's evidence key for each gold field.
EVIDENCE_KEYS: dict[str, str] = {
    "title": "title",
    "registration_number": "registration_number",
    "programme": "programme",
    "beneficiary": "beneficiary",
    "period_start": "period",
    "period_end": "period",
    "subsidy_czk": "subsidy",
    "total_cost_czk": "total_cost",
    "target_groups": "target_groups",
    "activities": "activities",
    "main_goal": "goals",
    "locations": "locations",
    "partners": "partners",
}

# Thresholds from corpus/README.md "Scoring".
TEXT_THRESHOLD = 0.8
MAIN_GOAL_THRESHOLD = 0.6
ITEM_THRESHOLD = 0.7
LOCATION_THRESHOLD = 0.5

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")
_WORD = re.compile(r"\w+")
_WHITESPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldPage:
    """One validated gold annotation: the page it names and its annotated fields."""

    path: Path
    file: str
    values: dict[str, GoldValue]
    # A page annotated with every project it describes ("projects": [...]): one value
    # table per project, in page order; ``values`` is then the first project's.
    projects: tuple[dict[str, GoldValue], ...] | None = None
    # In a pair made by ``pair_records``: which gold project of the page (0 the first; -1 a
    # record the page's gold has no project for). Pages are counted by their project 0.
    project: int = 0

    @property
    def annotated(self) -> tuple[str, ...]:
        """The fields this page annotates, in report order."""
        return tuple(name for name in FIELDS if name in self.values)


def _type_name(value: Any) -> str:
    """JSON type name of a parsed value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """object_pairs_hook: a key given twice is an error, not a silent overwrite."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"{key}: duplicate key")
        result[key] = value
    return result


def _check_value(name: str, value: Any) -> str | None:
    """Why a gold value is malformed for its field, or None when it is fine."""
    if name in LIST_FIELDS:
        if value is None:
            return None
        if not isinstance(value, list):
            return f"expected an array of strings or null, got {_type_name(value)}"
        for index, item in enumerate(value):
            if not isinstance(item, str):
                return f"item {index} is {_type_name(item)}, expected a string"
            if not item.strip():
                return f"item {index} is an empty string"
        return None
    if value is None:
        return None
    if not isinstance(value, str):
        return f"expected a string or null, got {_type_name(value)}"
    if not value.strip():
        return "empty string (use null when the page does not state it)"
    if name in DATE_FIELDS:
        if not _ISO_DATE.match(value):
            return f"{value!r} is not an ISO date YYYY-MM-DD"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not an ISO date YYYY-MM-DD"
    if name in AMOUNT_FIELDS and not _DECIMAL.match(value):
        return f"{value!r} is not a decimal string like '3783392.50'"
    return None


def load_gold(path: Path) -> GoldPage:
    """Read and validate one gold file; raises GoldFormatError naming file, key and fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise GoldFormatError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:  # raised by _reject_duplicates
        raise GoldFormatError(f"{path}: {exc}") from None
    except RecursionError:
        # json's decoder recurses once per level; no gold file nests more than three.
        raise GoldFormatError(f"{path}: invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise GoldFormatError(f"{path}: expected a JSON object, got {_type_name(data)}")
    if "file" not in data:
        raise GoldFormatError(f"{path}: file: required key is missing")
    file = data["file"]
    if not isinstance(file, str) or not file.strip():
        got = "an empty string" if isinstance(file, str) else _type_name(file)
        raise GoldFormatError(f"{path}: file: expected the page's file name, got {got}")
    if "projects" in data:
        extra = sorted(set(data) - {"file", "projects"})
        if extra:
            raise GoldFormatError(f"{path}: {extra[0]}: not allowed beside 'projects' (annotate it in each project)")
        projects = data["projects"]
        if not isinstance(projects, list) or not projects:
            raise GoldFormatError(f"{path}: projects: expected a non-empty array of objects, got {_type_name(projects)}")
        tables = []
        for index, project in enumerate(projects):
            if not isinstance(project, dict):
                raise GoldFormatError(f"{path}: projects[{index}]: expected an object, got {_type_name(project)}")
            tables.append(_gold_values(path, project, f"projects[{index}].", ()))
        return GoldPage(path=path, file=file, values=tables[0], projects=tuple(tables))
    return GoldPage(path=path, file=file, values=_gold_values(path, data, "", ("file",)))


def _gold_values(path: Path, data: dict[str, Any], where: str, skip: tuple[str, ...]) -> dict[str, GoldValue]:
    """The validated field values of one annotated project; ``where`` prefixes error keys."""
    values: dict[str, GoldValue] = {}
    for key, value in data.items():
        if key in skip:
            continue
        if key not in FIELDS:
            raise GoldFormatError(f"{path}: {where}{key}: unknown key (known: file, {', '.join(FIELDS)})")
        problem = _check_value(key, value)
        if problem:
            raise GoldFormatError(f"{path}: {where}{key}: {problem}")
        values[key] = value
    return values


def load_gold_folder(gold_dir: Path) -> list[GoldPage]:
    """Every ``*.json`` in a folder as a GoldPage, sorted by file name."""
    if not gold_dir.is_dir():
        raise UsageError(f"{gold_dir}: gold folder does not exist or is not a folder")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise UsageError(f"{gold_dir}: no gold files (*.json) in the folder")
    return [load_gold(path) for path in paths]


def _basename(file: str) -> str:
    """Last component of a gold ``file`` written with / or \\ separators."""
    return PureWindowsPath(PurePosixPath(file).name).name


def resolve_page(gold: GoldPage, pages_dir: Path | None) -> Path | None:
    """The page a gold file names, or None when it cannot be found.

    With ``pages_dir`` the page is ``pages_dir/<basename of file>``. Without it, ``file``
    is tried relative to the gold folder's parent (``raw/017.html`` for ``corpus/gold``,
    a bare name for ``seeds/gold``), then relative to the gold folder itself, then by
    basename in the gold folder's parent.
    """
    if pages_dir is not None:
        candidates = [pages_dir / _basename(gold.file)]
    else:
        gold_dir = gold.path.parent
        candidates = [
            gold_dir.parent / gold.file,
            gold_dir / gold.file,
            gold_dir.parent / _basename(gold.file),
        ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------- predictions


def predictions_from_record(record: Record | None) -> dict[str, GoldValue]:
    """The record's values in gold terms (strings, lists of strings, None); all None without a record."""
    if record is None:
        return dict.fromkeys(FIELDS)
    period = record.period

    def czk(amount: Amount | None) -> str | None:
        """A CZK amount as a decimal string; other currencies are not CZK."""
        if amount is None or amount.currency != "CZK":
            return None
        return format(amount.amount, "f")

    def date(value: dt.date | None) -> str | None:
        """A date as ISO text."""
        return value.isoformat() if value else None

    return {
        "title": record.title,
        "registration_number": record.registration_number.value
        if record.registration_number
        else None,
        "programme": record.programme.name if record.programme else None,
        "beneficiary": record.beneficiary.name if record.beneficiary else None,
        "period_start": date(period.start) if period else None,
        "period_end": date(period.end) if period else None,
        "subsidy_czk": czk(record.subsidy),
        "total_cost_czk": czk(record.total_cost),
        "target_groups": list(record.target_groups) if record.target_groups is not None else None,
        "activities": list(record.activities) if record.activities is not None else None,
        "main_goal": record.goals.main if record.goals else None,
        "locations": list(record.locations) if record.locations is not None else None,
        "partners": list(record.partners) if record.partners is not None else None,
    }


# --------------------------------------------------------------------------- matching


def _fold(text: str) -> str:
    """Case and white-space folding: casefold, collapse runs of white space, strip."""
    return _WHITESPACE.sub(" ", text).strip().casefold()


def tokens(text: str) -> list[str]:
    """Tokens for token F1: the casefolded text's maximal runs of word characters (``\\w+``).

    Punctuation, quotes and dashes are not tokens; diacritics are kept (``š`` ≠ ``s``);
    repeated words count as often as they occur.

    >>> tokens("Dětská skupina „Motejlci“ – 2. etapa")
    ['dětská', 'skupina', 'motejlci', '2', 'etapa']
    """
    return _WORD.findall(text.casefold())


def token_f1(predicted: str, gold: str) -> float:
    """Harmonic mean of token precision and recall over token multisets; 0.0 if either has none.

    >>> token_f1("Zelená škola", "Projekt Zelená škola")
    0.8
    """
    pred, ref = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def text_similarity(predicted: str, gold: str) -> float:
    """1.0 when equal after case and white-space folding, else token F1."""
    if _fold(predicted) == _fold(gold):
        return 1.0
    return token_f1(predicted, gold)


def _same_programme(predicted: str, gold: str) -> bool:
    """Same programme: canonical names agree, else folded names (canonical where known) agree."""
    left = canonical_programme(predicted) or predicted
    right = canonical_programme(gold) or gold
    return _fold(left) == _fold(right)


def _same_amount(predicted: str, gold: str) -> bool:
    """Decimal value equality ("7691350" == "7691350.00")."""
    try:
        return Decimal(predicted) == Decimal(gold)
    except InvalidOperation:
        return False


def values_match(name: str, predicted: str, gold: str) -> bool:
    """Whether a predicted scalar counts as the gold value of field ``name``."""
    if name == "registration_number":
        return _WHITESPACE.sub("", predicted) == _WHITESPACE.sub("", gold)
    if name in DATE_FIELDS:
        return predicted.strip() == gold.strip()
    if name in AMOUNT_FIELDS:
        return _same_amount(predicted, gold)
    if name == "programme":
        return _same_programme(predicted, gold)
    threshold = MAIN_GOAL_THRESHOLD if name == "main_goal" else TEXT_THRESHOLD
    return text_similarity(predicted, gold) >= threshold


def pair_items(
    predicted: Sequence[str], gold: Sequence[str], threshold: float
) -> list[tuple[int, int]]:
    """Pair predicted with gold items one to one, greedily by best similarity ≥ threshold.

    Returns (predicted index, gold index) pairs; ties go to the earlier items.
    """
    candidates = []
    for i, item in enumerate(predicted):
        for j, ref in enumerate(gold):
            score = text_similarity(item, ref)
            if score >= threshold:
                candidates.append((-score, i, j))
    candidates.sort()
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in used_pred or j in used_gold:
            continue
        used_pred.add(i)
        used_gold.add(j)
        pairs.append((i, j))
    return sorted(pairs)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class FieldScore:
    """Counts of one field (or the core micro-average) and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: FieldScore) -> FieldScore:
        """Summed counts (micro-averaging)."""
        return FieldScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, float | int]:
        """Counts and scores (rounded to 4 places) as a JSON-ready dict."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


MismatchKind = Literal["wrong", "missing", "extra"]


@dataclass(frozen=True)
class Mismatch:
    """One disagreement on one page and field.

    For scalars ``extracted``/``gold`` are the two values. For lists they are the
    unpaired items only (what was extracted and not in gold, what gold has and was not
    extracted). ``kind``: "wrong" (both sides present), "missing" (only gold),
    "extra" (only extracted).
    """

    page: str
    field: str
    kind: MismatchKind
    extracted: GoldValue
    gold: GoldValue
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "page": self.page,
            "field": self.field,
            "kind": self.kind,
            "extracted": self.extracted,
            "gold": self.gold,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class PageFailure:
    """A gold page that could not be extracted: its page is missing or raised a PageError."""

    gold: str
    page: str
    reason: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready dict."""
        return {
            "gold": self.gold,
            "page": self.page,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True)
class EvaluationReport:
    """Scores per field and core, the pages scored, failures and every mismatch."""

    fields: dict[str, FieldScore]
    pages_evaluated: int
    failures: list[PageFailure] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    # Counts per (scored field, evidence method) and per (scored field, confidence band):
    # tp and fp only, since a missed value has no method.
    methods: dict[tuple[str, str], FieldScore] = field(default_factory=dict)
    bands: dict[str, FieldScore] = field(default_factory=dict)

    @property
    def core(self) -> FieldScore:
        """Micro-average (summed counts) over CORE_FIELDS."""
        total = FieldScore()
        for name in CORE_FIELDS:
            total = total + self.fields[name]
        return total

    def to_json(self) -> str:
        """Deterministic JSON: sorted keys, fields in a fixed order, pages in gold order."""
        data = {
            "fields": {name: self.fields[name].to_dict() for name in FIELDS},
            "core": self.core.to_dict(),
            "core_fields": list(CORE_FIELDS),
            "pages_evaluated": self.pages_evaluated,
            "failures": [failure.to_dict() for failure in self.failures],
            "mismatches": [mismatch.to_dict() for mismatch in self.mismatches],
            "methods": [
                {"field": name, "method": method, **score.to_dict()}
                for (name, method), score in sorted(self.methods.items())
            ],
            "confidence_bands": {band: score.to_dict() for band, score in sorted(self.bands.items())},
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass
class _Tally:
    """Mutable counts while scoring one evaluation run (local to evaluate_records)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0


# Confidence bands of the per-band precision table: lower bounds, highest first.
CONFIDENCE_BANDS: tuple[float, ...] = (0.95, 0.9, 0.8, 0.6, 0.0)


def confidence_band(confidence: float | None) -> str:
    """The band label of a confidence ("0.90–0.95"; "none" for records without one).

    >>> confidence_band(0.93)
    '0.90-0.95'
    """
    if confidence is None:
        return "none"
    upper = 1.0
    for lower in CONFIDENCE_BANDS:
        if confidence >= lower:
            return f"{lower:.2f}-{upper:.2f}"
        upper = lower
    return "none"


def _tally_method(
    report_methods: dict[tuple[str, str], _Tally],
    bands: dict[str, _Tally],
    record: Record | None,
    name: str,
    tp: int,
    fp: int,
) -> None:
    """Add a field's true and false positives to its method's and confidence band's counts."""
    if record is None or tp + fp == 0:
        return
    evidence = record.evidence.get(EVIDENCE_KEYS[name])
    if evidence is None:
        return
    for tally in (
        report_methods.setdefault((name, evidence.method), _Tally()),
        bands.setdefault(confidence_band(evidence.confidence), _Tally()),
    ):
        tally.tp += tp
        tally.fp += fp


def _evidence_text(record: Record | None, name: str) -> str | None:
    """The record's evidence text for a gold field, if any."""
    if record is None:
        return None
    evidence = record.evidence.get(EVIDENCE_KEYS[name])
    return evidence.text if evidence else None


def _score_scalar(
    name: str, predicted: GoldValue, gold: GoldValue, tally: _Tally
) -> MismatchKind | None:
    """Count one scalar comparison; returns the mismatch kind, or None when nothing is wrong."""
    assert not isinstance(predicted, list) and not isinstance(gold, list)
    if predicted is None and gold is None:
        return None
    if predicted is None:
        tally.fn += 1
        return "missing"
    if gold is None:
        tally.fp += 1
        return "extra"
    if values_match(name, predicted, gold):
        tally.tp += 1
        return None
    tally.fp += 1
    tally.fn += 1
    return "wrong"


def _score_list(
    name: str, predicted: GoldValue, gold: GoldValue, tally: _Tally
) -> tuple[list[str], list[str]]:
    """Count one list comparison; returns the unpaired predicted and gold items."""
    pred_items = list(predicted) if isinstance(predicted, list) else []
    gold_items = list(gold) if isinstance(gold, list) else []
    threshold = LOCATION_THRESHOLD if name == "locations" else ITEM_THRESHOLD
    pairs = pair_items(pred_items, gold_items, threshold)
    paired_pred = {i for i, _ in pairs}
    paired_gold = {j for _, j in pairs}
    extra = [item for i, item in enumerate(pred_items) if i not in paired_pred]
    missing = [item for j, item in enumerate(gold_items) if j not in paired_gold]
    tally.tp += len(pairs)
    tally.fp += len(extra)
    tally.fn += len(missing)
    return extra, missing


def evaluate_records(
    pages: Iterable[tuple[GoldPage, Record | None]],
    failures: Sequence[PageFailure] = (),
) -> EvaluationReport:
    """Score (gold, record) pairs; a None record predicts nothing (all fields null)."""
    tallies = {name: _Tally() for name in FIELDS}
    methods: dict[tuple[str, str], _Tally] = {}
    bands: dict[str, _Tally] = {}
    mismatches: list[Mismatch] = []
    count = 0
    for gold, record in pages:
        count += gold.project == 0
        predictions = predictions_from_record(record)
        for name in gold.annotated:
            predicted, expected = predictions[name], gold.values[name]
            before = (tallies[name].tp, tallies[name].fp)
            if name in LIST_FIELDS:
                extra, missing = _score_list(name, predicted, expected, tallies[name])
                _tally_method(methods, bands, record, name, tallies[name].tp - before[0], tallies[name].fp - before[1])
                if not extra and not missing:
                    continue
                kind: MismatchKind = (
                    "wrong" if extra and missing else ("extra" if extra else "missing")
                )
                mismatches.append(
                    Mismatch(
                        gold.file,
                        name,
                        kind,
                        extra or None,
                        missing or None,
                        _evidence_text(record, name),
                    )
                )
                continue
            scalar_kind = _score_scalar(name, predicted, expected, tallies[name])
            _tally_method(methods, bands, record, name, tallies[name].tp - before[0], tallies[name].fp - before[1])
            if scalar_kind:
                mismatches.append(
                    Mismatch(
                        gold.file,
                        name,
                        scalar_kind,
                        predicted,
                        expected,
                        _evidence_text(record, name),
                    )
                )
    scores = {name: FieldScore(t.tp, t.fp, t.fn) for name, t in tallies.items()}
    return EvaluationReport(
        scores,
        count,
        list(failures),
        mismatches,
        {key: FieldScore(t.tp, t.fp) for key, t in sorted(methods.items())},
        {band: FieldScore(t.tp, t.fp) for band, t in sorted(bands.items())},
    )


PageExtractor = Callable[[Path, Settings], "Record | list[Record]"]

# A record and a gold project fit when they share the registration number (2.0), else by
# the token F1 of their titles; below this they are not paired (the shared scorer's rule).
_PAIRING_THRESHOLD = 0.5


def _affinity(record: Record, values: dict[str, GoldValue]) -> float:
    """How well a record fits one gold project: same registration number, else title similarity."""
    predicted = predictions_from_record(record)
    gold_number, number = values.get("registration_number"), predicted["registration_number"]
    if isinstance(gold_number, str) and isinstance(number, str) and values_match("registration_number", number, gold_number):
        return 2.0
    gold_title, title = values.get("title"), predicted["title"]
    if isinstance(gold_title, str) and isinstance(title, str):
        return token_f1(title, gold_title)
    return 0.0


def pair_records(records: Sequence[Record], gold: GoldPage) -> list[tuple[GoldPage, Record | None]]:
    """The (gold project, record) pairs a page is scored on.

    Records are paired with gold projects greedily by registration number, else title; a
    gold project left over takes a left-over record in page order. With several gold
    projects every record counts (one paired with none scores its values as false
    positives); a plain gold file annotates one project, so only its best record counts.
    """
    tables = list(gold.projects) if gold.projects is not None else [gold.values]
    candidates = sorted(
        ((_affinity(r, t), -i, -j) for i, r in enumerate(records) for j, t in enumerate(tables)), reverse=True
    )
    paired: dict[int, int] = {}
    used: set[int] = set()
    for affinity, neg_i, neg_j in candidates:
        i, j = -neg_i, -neg_j
        if affinity < _PAIRING_THRESHOLD or i in used or j in paired:
            continue
        paired[j] = i
        used.add(i)
    rest = [i for i in range(len(records)) if i not in used]
    for j in range(len(tables)):
        if j not in paired and rest:
            paired[j] = rest.pop(0)
    pairs: list[tuple[GoldPage, Record | None]] = [
        (GoldPage(gold.path, gold.file, tables[j], project=j), records[paired[j]] if j in paired else None)
        for j in range(len(tables))
    ]
    if gold.projects is not None:
        nothing = dict.fromkeys(FIELDS)
        pairs += [(GoldPage(gold.path, gold.file, nothing, project=-1), records[i]) for i in rest]
    return pairs


def evaluate_folder(
    gold_dir: Path,
    pages_dir: Path | None,
    settings: Settings | None = None,
    extract: PageExtractor | None = None,
) -> EvaluationReport:
    """Extract every page a gold folder names and score it; missing or failing pages are listed.

    ``extract`` is the per-page function, ``pipeline.core.extract_file_records`` by default
    (one record per project a page describes; a function giving one Record works too). The
    whole gold folder is validated before any page is extracted. A page that cannot be
    found is not scored (nothing was extracted or missed: the gold is out of step with
    the pages). A page that raises a PageError is scored with every prediction null, so
    its gold values count as misses.
    """
    settings = settings or Settings()
    if pages_dir is not None and not pages_dir.is_dir():
        raise UsageError(f"{pages_dir}: pages folder does not exist or is not a folder")
    golds = load_gold_folder(gold_dir)
    if extract is None:
        extract = extract_file_records
    scored: list[tuple[GoldPage, Record | None]] = []
    failures: list[PageFailure] = []
    for gold in golds:
        page = resolve_page(gold, pages_dir)
        if page is None:
            where = pages_dir if pages_dir is not None else gold.path.parent.parent
            failures.append(
                PageFailure(
                    gold.path.name,
                    gold.file,
                    "missing",
                    f"page {gold.file!r} not found (looked in {where})",
                )
            )
            continue
        records: list[Record]
        try:
            found = extract(page, settings)
            records = found if isinstance(found, list) else [found]
        except PageError as exc:
            failures.append(PageFailure(gold.path.name, gold.file, exc.reason, str(exc)))
            records = []
        scored.extend(pair_records(records, gold))
    return evaluate_records(scored, failures)


# --------------------------------------------------------------------------- formatting


def format_table(report: EvaluationReport) -> str:
    """Aligned table ``field tp fp fn precision recall f1``, a core line and a pages line."""
    header = ("field", "tp", "fp", "fn", "precision", "recall", "f1")
    rows = [(name, report.fields[name]) for name in FIELDS]
    rows.append(("core", report.core))
    width = max(len(name) for name, _ in rows)
    head = (
        f"{header[0]:<{width}}  {header[1]:>4}  {header[2]:>4}  {header[3]:>4}  "
        f"{header[4]:>9}  {header[5]:>6}  {header[6]:>5}"
    )
    lines = [head]
    # With no page evaluated every ratio is 0/0: "n/a", never a perfect-looking 1.000.
    nothing = report.pages_evaluated == 0
    for index, (name, score) in enumerate(rows):
        if index == len(rows) - 1:
            lines.append("-" * len(lines[0]))
        ratios = (
            f"{'n/a':>9}  {'n/a':>6}  {'n/a':>5}" if nothing
            else f"{score.precision:>9.3f}  {score.recall:>6.3f}  {score.f1:>5.3f}"
        )
        lines.append(f"{name:<{width}}  {score.tp:>4}  {score.fp:>4}  {score.fn:>4}  {ratios}")
    lines.append(f"pages: {report.pages_evaluated} evaluated, {len(report.failures)} failed")
    for failure in report.failures:
        lines.append(f"  failed {failure.page} ({failure.reason}): {failure.message}")
    return "\n".join(lines) + "\n"


def format_methods(report: EvaluationReport) -> str:
    """Precision per (field, evidence method) and per confidence band: which rules to trust."""
    lines = [f"{'field':<22}  {'method':<20}  {'tp':>4}  {'fp':>4}  precision"]
    for (name, method), score in sorted(report.methods.items()):
        lines.append(f"{name:<22}  {method:<20}  {score.tp:>4}  {score.fp:>4}  {score.precision:>9.3f}")
    lines.append("")
    lines.append(f"{'confidence':<22}  {'':<20}  {'tp':>4}  {'fp':>4}  precision")
    for band, score in sorted(report.bands.items(), reverse=True):
        lines.append(f"{band:<22}  {'':<20}  {score.tp:>4}  {score.fp:>4}  {score.precision:>9.3f}")
    return "\n".join(lines) + "\n"


def _show(value: GoldValue) -> str:
    """A value as one readable line: JSON for strings and lists, ``null`` for None."""
    return json.dumps(value, ensure_ascii=False)


def format_errors(report: EvaluationReport) -> str:
    """One block per mismatch: page, field and kind, then extracted, gold and evidence."""
    blocks = []
    for mismatch in report.mismatches:
        lines = [
            f"{mismatch.page}  {mismatch.field}  ({mismatch.kind})",
            f"  extracted: {_show(mismatch.extracted)}",
            f"  gold:      {_show(mismatch.gold)}",
        ]
        if mismatch.evidence is not None:
            lines.append(f"  evidence:  {_show(mismatch.evidence)}")
        blocks.append("\n".join(lines))
    if not blocks:
        return "\nno mismatches\n"
    return "\n" + "\n\n".join(blocks) + "\n"
