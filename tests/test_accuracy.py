"""Accuracy gates on the shared real pages (skipped when ../shared is absent).

- the corpus: every field's F1 stays at or above its floor in accuracy_floors.json;
- the seed pages: every annotated field of every seed page is right;
- the non-project web pages: none yields any field (precision first: such a page states
  no project, so a title or partner read from it would be an invention).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import PageError
from pipeline.evaluate import (
    FIELDS,
    EvaluationReport,
    evaluate_folder,
    evaluate_records,
    format_errors,
    load_gold,
    resolve_page,
)
from pipeline.records import Record
from pipeline.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
WEB_PAGES = SHARED / "web" / "pages"
FLOORS_PATH = Path(__file__).parent / "accuracy_floors.json"
FLOORS: dict[str, float] = {
    key: value
    for key, value in json.loads(FLOORS_PATH.read_text(encoding="utf-8")).items()
    if not key.startswith("_")
}

pytestmark = pytest.mark.shared


def _require(path: Path) -> None:
    """Skip the test when a shared folder is not beside the checkout."""
    if not path.is_dir():
        pytest.skip(f"{path} is absent (shared material lives beside the checkout)")


def _extract(path: Path) -> Record:
    """The real per-page function, imported late so collection works without it."""
    from pipeline.core import extract_file

    return extract_file(path, Settings())


# --------------------------------------------------------------------------- floors


def test_floors_cover_every_field() -> None:
    """The floors file names every scored field and core, each a score in [0, 1]."""
    assert set(FLOORS) == {*FIELDS, "core"}
    assert all(0.0 <= floor <= 1.0 for floor in FLOORS.values())


@pytest.fixture(scope="module")
def corpus_report() -> EvaluationReport:
    """`evaluate shared/corpus/gold --pages shared/corpus/raw`, run once for the module."""
    _require(CORPUS / "gold")
    _require(CORPUS / "raw")
    return evaluate_folder(CORPUS / "gold", CORPUS / "raw", Settings())


def test_corpus_pages_all_extract(corpus_report: EvaluationReport) -> None:
    """Every corpus page is found and extracted without a page error."""
    assert corpus_report.failures == [], [f"{f.page}: {f.message}" for f in corpus_report.failures]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_f1_at_or_above_floor(corpus_report: EvaluationReport, name: str) -> None:
    """A field's F1 on the corpus never drops below its pinned floor."""
    score = corpus_report.core if name == "core" else corpus_report.fields[name]
    assert score.f1 >= FLOORS[name], (
        f"{name}: F1 {score.f1:.3f} < floor {FLOORS[name]:.3f} "
        f"(tp {score.tp}, fp {score.fp}, fn {score.fn})"
    )


# --------------------------------------------------------------------------- seeds


def _seed_gold_files() -> list[Path]:
    """The seed gold files, or none when shared is absent."""
    folder = SEEDS / "gold"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


# Seed fields the rules do not get right yet, as (seed stem, field). Strict xfail: when a
# rule change fixes one, its row fails until it is removed from this table.
KNOWN_SEED_GAPS: frozenset[tuple[str, str]] = frozenset()
"""Seed fields the extractor is known to miss (strict xfail); none since the morphology rules."""


def _seed_cases() -> list[object]:
    """One case per (seed page, annotated field), known gaps marked strict xfail."""
    folder = SEEDS / "gold"
    if not folder.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{SEEDS} is absent"))]
    cases: list[object] = []
    for path in sorted(folder.glob("*.json")):
        for name in load_gold(path).annotated:
            marks = []
            if (path.stem, name) in KNOWN_SEED_GAPS:
                marks.append(pytest.mark.xfail(strict=True, reason="known seed gap"))
            cases.append(pytest.param(path, name, marks=marks, id=f"{path.stem[:3]}-{name}"))
    return cases


@pytest.fixture(scope="module")
def seed_reports() -> dict[Path, EvaluationReport]:
    """Each seed page extracted once and scored against its gold."""
    reports: dict[Path, EvaluationReport] = {}
    for path in sorted((SEEDS / "gold").glob("*.json")):
        gold = load_gold(path)
        page = resolve_page(gold, None)
        assert page is not None, f"{path.name}: page {gold.file!r} not found beside {path.parent}"
        try:
            record = _extract(page)
        except PageError as exc:
            pytest.fail(f"{gold.file}: page error: {exc}")
        reports[path] = evaluate_records([(gold, record)])
    return reports


@pytest.mark.parametrize(("gold_path", "field"), _seed_cases())
def test_seed_field_right(seed_reports: dict[Path, EvaluationReport], gold_path: Path, field: str) -> None:
    """Every annotated field of a seed page is extracted as the gold says."""
    report = seed_reports[gold_path]
    score = report.fields[field]
    assert score.fp == 0 and score.fn == 0, f"{gold_path.name}: {field}\n{format_errors(report)}"


# --------------------------------------------------------------------------- web pages


def test_web_pages_yield_no_project_facts() -> None:
    """Non-project pages (news, shops, German and English pages) yield no field, and say so."""
    _require(WEB_PAGES)
    pages = sorted(path for path in WEB_PAGES.iterdir() if path.is_file())
    assert pages, f"{WEB_PAGES} has no pages"
    offenders: list[str] = []
    for path in pages:
        try:
            record = _extract(path)
        except PageError:
            continue  # nothing extracted at all
        facts = record.model_dump(mode="json", exclude={"schema_version", "extractor_version", "source",
                                                         "evidence", "page_kind"})
        offenders.extend(f"{path.name}: {name} = {value!r}" for name, value in facts.items() if value is not None)
        if record.page_kind != "not-project":
            offenders.append(f"{path.name}: page_kind = {record.page_kind!r}")
    assert not offenders, f"{len(offenders)} project facts on non-project pages:\n" + "\n".join(offenders)
