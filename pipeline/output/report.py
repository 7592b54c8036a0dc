"""Self-contained HTML review report: every extracted value shown where it was read.

``write_report`` reads a folder of records, re-derives the cleaned text of each page
from its source file (``clean_bytes``, the same text the evidence offsets index) and
writes one HTML file with everything inline: an overview (field coverage, failures,
optional gold scores), a paginated page list and a detail view that highlights each
value at its evidence offsets.

Page content is untrusted. It only ever reaches the HTML as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped, and the script renders it with DOM text APIs. A Content-Security-Policy that
allows only the hashes of the report's own script and style backs this up.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline import evaluate
from pipeline.clean.document import Document
from pipeline.core import clean_bytes
from pipeline.errors import PageError, UnreadablePageError, UsageError
from pipeline.ingest.load import read_bytes
from pipeline.ingest.warc import read_page, split_archive_path
from pipeline.output.write import page_file_name, read_lock, write_atomic
from pipeline.records import (
    FIELD_NAMES,
    PAGE_KINDS,
    Amount,
    Beneficiary,
    Goals,
    Period,
    PriorityAxis,
    Programme,
    Record,
    RegistrationNumber,
    Result,
)
from pipeline.run.manifest import read_identities
from pipeline.settings import Settings

__all__ = [
    "Cleaner",
    "FieldCheck",
    "FieldScore",
    "GoldComparison",
    "GoldScorer",
    "ReportCounts",
    "build_report_html",
    "compare_with_gold",
    "page_locations",
    "script_json",
    "write_report",
]

Cleaner = Callable[[bytes, str], Document]
# The limits ``extract`` applies to a page; the report re-reads pages under the same ones.
_SETTINGS = Settings()
"""Turns raw page bytes and the page path into the cleaned Document (``clean_bytes``)."""

FAILURES_FILE = "failures.jsonl"
SOURCE_NOTE = "source page changed or missing"

_TEMPLATE_SLOT = re.compile(r"\{\{(csp|style|script|data|texts)\}\}")
# Characters that must not appear raw inside an HTML <script> data block: '<' could
# close it ("</script>"), '>' and '&' are escaped for parity with HTML-safe JSON, and
# U+2028/U+2029 break JavaScript string literals in older engines.
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


@dataclass(frozen=True, slots=True)
class FieldScore:
    """Precision, recall and F1 of one field against gold (None when undefined)."""

    field: str
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True, slots=True)
class FieldCheck:
    """One gold value compared with the record's value of the record field it scores."""

    field: str
    gold: str
    match: bool


@dataclass(frozen=True, slots=True)
class GoldComparison:
    """Per-field scores, per record ``source.path`` the checked fields, gold files left over."""

    scores: tuple[FieldScore, ...]
    checks: Mapping[str, tuple[FieldCheck, ...]]
    unmatched: tuple[str, ...] = ()


GoldScorer = Callable[[Sequence[Record], Path], GoldComparison]
"""Scores records against a gold folder (default: ``pipeline.evaluate``)."""


@dataclass(frozen=True, slots=True)
class ReportCounts:
    """What a written report holds: records, and how many of them show no page text."""

    records: int
    without_text: int


@dataclass(frozen=True, slots=True)
class _Loaded:
    """One record file that parsed, with the name it is shown under."""

    id: str
    file: str
    record: Record


def write_report(
    structured: Path,
    out: Path,
    gold: Path | None = None,
    *,
    clean: Cleaner | None = None,
    score_gold: GoldScorer | None = None,
) -> ReportCounts:
    """Write the self-contained HTML review report of a folder of records to ``out``."""
    html, data = _build(structured, gold, clean=clean, score_gold=score_gold)
    write_atomic(out, html, parents=True)
    return ReportCounts(data["summary"]["records"], data["summary"]["withoutText"])


def build_report_html(
    structured: Path,
    gold: Path | None = None,
    *,
    clean: Cleaner | None = None,
    score_gold: GoldScorer | None = None,
) -> str:
    """The report as one HTML string; same inputs, same string."""
    return _build(structured, gold, clean=clean, score_gold=score_gold)[0]


def _build(
    structured: Path,
    gold: Path | None,
    *,
    clean: Cleaner | None,
    score_gold: GoldScorer | None,
) -> tuple[str, dict[str, Any]]:
    """The report's HTML and the data it shows."""
    if not structured.is_dir():
        raise UsageError(f"{structured}: not a folder of records")
    if gold is not None and not gold.is_dir():
        raise UsageError(f"{gold}: not a folder of gold annotations")
    cleaner = clean if clean is not None else clean_bytes
    with read_lock(structured):
        loaded, failures = _read_structured(structured)
        locations = page_locations(structured)
    comparison: GoldComparison | None = None
    if gold is not None:
        scorer = score_gold if score_gold is not None else compare_with_gold
        comparison = scorer([item.record for item in loaded], gold)
    data, texts = _payload(loaded, failures, cleaner, comparison, locations)
    return _render(data, texts), data


def page_locations(structured: Path) -> dict[str, str]:
    """Record file name to the page's absolute location, from the folder's manifest."""
    return {output: os.path.join(real, key)
            for output, (key, real) in read_identities(structured).items() if real is not None}


def compare_with_gold(records: Sequence[Record], gold_dir: Path) -> GoldComparison:
    """Score the records that gold files name with ``pipeline.evaluate``; others are left out.

    A gold file's page (``evaluate.resolve_page``) is matched to the record whose
    ``source.path`` resolves to the same file, else to the one record with the same file
    name. Gold pages without a record are not scored (the folder may hold a partial run)
    and are listed in ``unmatched``.
    """
    golds = evaluate.load_gold_folder(gold_dir)
    by_path: dict[Path, list[Record]] = {}
    by_name: dict[str, list[Record]] = {}
    for rec in records:
        by_path.setdefault(Path(rec.source.path).resolve(), []).append(rec)
        by_name.setdefault(Path(rec.source.path).name, []).append(rec)
    pairs: list[tuple[evaluate.GoldPage, Record | None]] = []
    unmatched: list[str] = []
    checks: dict[str, tuple[FieldCheck, ...]] = {}
    for gold in golds:
        page = evaluate.resolve_page(gold, None)
        found = by_path.get(page.resolve(), []) if page is not None else []
        if not found:
            named = by_name.get(Path(gold.file.replace("\\", "/")).name, [])
            found = named if len({r.source.path for r in named}) == 1 else []
        if not found:
            unmatched.append(gold.path.name)
            continue
        # One record per project: each is scored against the gold project it fits.
        for project, record in evaluate.pair_records(found, gold):
            pairs.append((project, record))
            if record is None:
                continue
            wrong = {m.field for m in evaluate.evaluate_records([(project, record)]).mismatches}
            checks[record.source.record_key] = checks.get(record.source.record_key, ()) + tuple(
                FieldCheck(
                    field=evaluate.EVIDENCE_KEYS[name],
                    gold=_gold_text(name, project.values[name]),
                    match=name not in wrong,
                )
                for name in project.annotated
            )
    report = evaluate.evaluate_records(pairs)
    rows = [(name, report.fields[name]) for name in evaluate.FIELDS] + [("core", report.core)]
    scores = tuple(
        FieldScore(name, s.tp, s.fp, s.fn, s.precision, s.recall, s.f1) for name, s in rows
    )
    return GoldComparison(scores, checks, tuple(unmatched))


def _gold_text(name: str, value: Any) -> str:
    """A gold value as one line, prefixed by its gold key when that differs from the field."""
    shown = "null" if value is None else value if isinstance(value, str) else " | ".join(value)
    if isinstance(value, list) and not value:
        shown = "[]"
    return shown if evaluate.EVIDENCE_KEYS.get(name) == name else f"{name}: {shown}"


# --- reading -------------------------------------------------------------------------


def _read_structured(folder: Path) -> tuple[list[_Loaded], list[dict[str, str]]]:
    """Parse every record file (sorted by name) and the failures list of a folder."""
    loaded: list[_Loaded] = []
    failures: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
        try:
            record = Record.model_validate_json(read_bytes(path, _SETTINGS))
        except PageError as exc:
            failures.append(_failure(str(path), "unreadable-record", exc.message))
            continue
        except OSError as exc:
            failures.append(_failure(str(path), "unreadable-record", exc.strerror or str(exc)))
            continue
        except ValidationError as exc:
            failures.append(_failure(str(path), "invalid-record", _validation_summary(exc)))
            continue
        loaded.append(_Loaded(path.stem, path.name, record))
    failures.extend(_read_failures(folder / FAILURES_FILE))
    return loaded, failures


def _read_failures(path: Path) -> list[dict[str, str]]:
    """The failures list (JSON Lines of path, reason, message); bad lines become entries."""
    if not path.is_file():
        return []
    entries: list[dict[str, str]] = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            entries.append(_failure(f"{path}:{number}", "invalid-failure-line", exc.msg))
            continue
        if not isinstance(item, dict):
            entries.append(_failure(f"{path}:{number}", "invalid-failure-line", "not an object"))
            continue
        entries.append(
            _failure(
                str(item.get("path", "")), str(item.get("reason", "")), str(item.get("message", ""))
            )
        )
    return entries


def _failure(path: str, reason: str, message: str) -> dict[str, str]:
    """One row of the failures list."""
    return {"path": path, "reason": reason, "message": message}


def _validation_summary(exc: ValidationError) -> str:
    """The first validation problem, in one line, plus how many more there are."""
    errors = exc.errors(include_url=False)
    first = errors[0] if errors else {"loc": (), "msg": str(exc)}
    where = ".".join(str(part) for part in first.get("loc", ())) or "record"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', '')}{more}"


def _source_text(
    record: Record, cleaner: Cleaner, located: str | None = None
) -> tuple[str | None, str | None]:
    """The cleaned text of the record's page, or None and the reason it is not shown.

    The page is looked for at ``source.path`` (relative to the current folder), then at
    ``located``, where the output folder's manifest says the page was found.
    """
    path = record.source.path
    data: bytes | None = None
    charset: str | None = None
    for candidate in (path, located):
        if candidate is None:
            continue
        try:
            found, said = _read_source(candidate)
        except (OSError, PageError):
            continue
        if hashlib.sha256(found).hexdigest() == record.source.sha256:
            data, charset = found, said
            break
    if data is None:
        return None, SOURCE_NOTE
    try:
        if charset is not None and cleaner is clean_bytes:
            # A web archive's page was decoded with its HTTP charset: so is its text here.
            return clean_bytes(data, path, charset=charset).text, None
        return cleaner(data, path).text, None
    except PageError as exc:
        return None, f"{SOURCE_NOTE}: the page cannot be cleaned ({exc.reason})"


def _read_source(candidate: str) -> tuple[bytes, str | None]:
    """A page's bytes (and HTTP charset, for a web archive's page) at a source path."""
    archived = split_archive_path(candidate)
    # The extractor's reader: regular files only (a FIFO would hang the report, a link to
    # /dev/zero fill memory) and the same size limit as ``extract``.
    if archived is None:
        return read_bytes(candidate, _SETTINGS), None
    if not stat.S_ISREG(os.stat(archived[0]).st_mode):
        raise UnreadablePageError("is not a regular file (pipe, socket or device)", candidate)
    page = read_page(*archived, _SETTINGS.max_page_bytes)
    return page.data, page.charset


# --- payload -------------------------------------------------------------------------


def _payload(
    loaded: Sequence[_Loaded],
    failures: list[dict[str, str]],
    cleaner: Cleaner,
    comparison: GoldComparison | None,
    locations: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The two JSON documents the page script reads: the index and the cleaned texts.

    ``locations`` maps record file names to where the manifest says their page was found.
    """
    locations = locations or {}
    texts: list[str] = []
    text_index: dict[str, int] = {}  # source sha256 -> position in texts
    pages: list[dict[str, Any]] = []
    counts = dict.fromkeys(FIELD_NAMES, 0)
    for item in loaded:
        record = item.record
        sha = record.source.sha256
        index: int | None = text_index.get(sha)
        text: str | None = None if index is None else texts[index]
        note: str | None = None
        if index is None:
            text, note = _source_text(record, cleaner, locations.get(page_file_name(item.file)))
            index = None
            if text is not None:
                index = len(texts)
                text_index[sha] = index
                texts.append(text)
        checks = comparison.checks.get(record.source.record_key, ()) if comparison else ()
        for name in FIELD_NAMES:
            if getattr(record, name) is not None:
                counts[name] += 1
        pages.append(_page_entry(item, text, index, note, checks))
    kinds = Counter(page["kind"] for page in pages)
    data: dict[str, Any] = {
        "fields": list(FIELD_NAMES),
        "pageKinds": [k for k in (*PAGE_KINDS, "unknown") if kinds.get(k)],
        "summary": {
            "pages": len(loaded) + len(failures),
            "records": len(loaded),
            "failures": len(failures),
            "withoutText": sum(1 for page in pages if page["text"] is None),
            "fieldCounts": counts,
            "pageKindCounts": dict(sorted(kinds.items())),
            "gold": comparison is not None,
            "goldUnmatched": list(comparison.unmatched) if comparison else [],
        },
        "scores": [_score_entry(score) for score in comparison.scores] if comparison else None,
        "pages": pages,
        "failures": failures,
    }
    return data, texts


def _page_entry(
    item: _Loaded,
    text: str | None,
    text_index: int | None,
    note: str | None,
    checks: Sequence[FieldCheck],
) -> dict[str, Any]:
    """Everything the list and the detail view show about one record."""
    record = item.record
    by_field: dict[str, list[FieldCheck]] = {}
    for check in checks:
        by_field.setdefault(check.field, []).append(check)
    fields: list[dict[str, Any]] = []
    missing = 0
    for bit, name in enumerate(FIELD_NAMES):
        value = getattr(record, name)
        if value is None:
            missing |= 1 << bit
        field_checks = by_field.get(name, [])
        # A null the gold agrees with is only listed under "missing", not as a box.
        if value is None and all(check.match for check in field_checks):
            continue
        entry = _field_entry(name, value, record, text)
        if field_checks:
            entry["gold"] = {
                "value": "; ".join(check.gold for check in field_checks),
                "match": all(check.match for check in field_checks),
            }
        fields.append(entry)
    return {
        "id": item.id,
        "file": item.file,
        "path": record.source.path,
        # "unknown": a record written before page_kind existed.
        "kind": record.page_kind or "unknown",
        "title": record.title,
        "url": record.source.url,
        "format": record.source.format,
        "encoding": record.source.encoding,
        "extractor": record.extractor_version,
        "text": text_index,
        "note": note,
        "missing": missing,
        "mismatches": sum(1 for entry in fields if "gold" in entry and not entry["gold"]["match"]),
        "fields": fields,
    }


def _field_entry(name: str, value: Any, record: Record, text: str | None) -> dict[str, Any]:
    """One field of the detail view: display items, highlight spans and their health."""
    entry: dict[str, Any] = {"name": name, "missing": value is None}
    if value is not None:
        entry["items"] = _display_items(value)
        entry["empty"] = isinstance(value, list) and not value
        detail = _detail(value)
        if detail:
            entry["detail"] = detail
    evidence = record.evidence.get(name)
    if evidence is None:
        entry["spans"] = []
        return entry
    spans = (
        [list(span) for span in evidence.items]
        if evidence.items
        else [[evidence.start, evidence.end]]
    )
    entry["spans"] = spans
    entry["itemSpans"] = len(evidence.items or ()) == len(entry.get("items", ())) > 0
    entry["method"] = evidence.method
    if evidence.confidence is not None:
        entry["confidence"] = round(evidence.confidence, 2)
    entry["evidence"] = evidence.text
    if text is not None:
        entry["problem"] = _span_problem(text, evidence.start, evidence.end, evidence.text, spans)
    return entry


def _span_problem(
    text: str, start: int, end: int, quoted: str, spans: list[list[int]]
) -> str | None:
    """Why the evidence offsets do not fit the cleaned text, or None when they do."""
    if any(not 0 <= s <= e <= len(text) for s, e in [[start, end], *spans]):
        return f"offsets outside the text ({len(text)} characters)"
    if text[start:end] != quoted:
        return "evidence text differs from the text at its offsets"
    return None


def _display_items(value: Any) -> list[str]:
    """The value as the lines a reviewer reads (one per list item)."""
    if isinstance(value, list):
        return [_display_one(item) for item in value]
    if isinstance(value, Goals):
        return ([value.main] if value.main else []) + list(value.specific or [])
    return [_display_one(value)]


def _display_one(value: Any) -> str:
    """One value in words."""
    if isinstance(value, str):
        return value
    if isinstance(value, RegistrationNumber):
        return value.value
    if isinstance(value, Programme):
        return f"{value.name} ({value.abbreviation})" if value.abbreviation else value.name
    if isinstance(value, PriorityAxis):
        return " – ".join(part for part in (value.number, value.name) if part)
    if isinstance(value, Beneficiary):
        return f"{value.name} (IČO {value.ico})" if value.ico else value.name
    if isinstance(value, Period):
        return f"{value.start or '?'} – {value.end or '?'}"
    if isinstance(value, Amount):
        return f"{_decimal(value.amount)} {value.currency}"
    if isinstance(value, Result):
        return f"{_decimal(value.value)} {value.unit}"
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return str(value)


def _detail(value: Any) -> str | None:
    """What a value's code says, for values that carry more than their text."""
    if isinstance(value, RegistrationNumber):
        parts = [
            f"programme code {value.programme_code}" if value.programme_code else None,
            value.programming_period,
            f"call {value.call}" if value.call else None,
            "valid" if value.valid else "INVALID",
        ]
        return " · ".join(part for part in parts if part)
    if isinstance(value, Goals) and value.main and value.specific:
        return f"main goal first, then {len(value.specific)} specific"
    return None


def _decimal(value: Decimal) -> str:
    """A decimal as plain digits, never in exponent form."""
    return format(value, "f")


def _score_entry(score: FieldScore) -> dict[str, Any]:
    """One row of the gold score table."""
    return {
        "field": score.field,
        "tp": score.tp,
        "fp": score.fp,
        "fn": score.fn,
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
    }


# --- rendering -----------------------------------------------------------------------


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` data block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_ESCAPES)


@cache
def _asset(name: str) -> str:
    """The text of a packaged report asset (template, script, style)."""
    return resources.files("pipeline.data").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _render(data: dict[str, Any], texts: list[str]) -> str:
    """Fill the template; the page data never passes through the template substitution."""
    script = _asset("report.js")
    style = _asset("report.css")
    if "</script" in script.lower() or "</style" in style.lower():
        raise UsageError("report assets must not close their own element")
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(script)}; "
        f"style-src {_csp_hash(style)}; "
        "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    slots = {
        "csp": csp,
        "style": style,
        "script": script,
        "data": script_json(data),
        "texts": script_json(texts),
    }
    return _TEMPLATE_SLOT.sub(lambda match: slots[match.group(1)], _asset("report.html"))
