"""The HTML review report: escaping, data for the list filters, missing sources, scale.

Records are built here directly, with evidence offsets found in the cleaned text of
synthetic fixture pages, so the tests do not depend on the extractor.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from pipeline.clean.document import Document, DocumentBuilder
from pipeline.output.report import (
    SOURCE_NOTE,
    FieldCheck,
    FieldScore,
    GoldComparison,
    build_report_html,
    script_json,
    write_report,
)
from pipeline.records import FIELD_NAMES, Evidence, Record, RegistrationNumber, Source

Cleaner = Callable[[bytes, str], Document]


def _fallback_clean(data: bytes, path: str) -> Document:
    """One block per text line: a stand-in while pipeline.core cannot be imported."""
    builder = DocumentBuilder()
    for line in data.decode("utf-8").splitlines():
        builder.add("paragraph", line)
    return builder.build("text", "utf-8")


def _real_clean() -> Cleaner | None:
    """``pipeline.core.clean_bytes`` when the cleaning modules are importable."""
    try:
        from pipeline.core import clean_bytes
    except ImportError:
        return None
    return clean_bytes


REAL_CLEAN = _real_clean()
# The report only needs some deterministic Document; the real cleaner is preferred.
CLEAN: Cleaner = REAL_CLEAN or _fallback_clean


@dataclass(frozen=True)
class FixturePage:
    """A synthetic page and the values a record of it holds (found in its cleaned text)."""

    name: str
    body: str
    title: str | None
    registration: str | None
    locations: tuple[str, ...] = ()


PAGES = [
    FixturePage(
        "lipova.txt",
        "Komunitní centrum Lipová\n"
        "Registrační číslo projektu: CZ.03.2.63/0.0/0.0/19_107/0012345\n"
        "Příjemce: Spolek Lipová, z. s.\n"
        "Místo realizace: Lipová, Horní Lipová\n",
        "Komunitní centrum Lipová",
        "CZ.03.2.63/0.0/0.0/19_107/0012345",
        ("Lipová", "Horní Lipová"),
    ),
    FixturePage(
        "hostile.txt",
        "Projekt <script>alert(1)</script> a </script><b>tučně</b>\n"
        "Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0098765\n"
        "Popis: oddělovač \u2028 řádku & <img src=x onerror=alert(2)>\n",
        "Projekt <script>alert(1)</script> a </script><b>tučně</b>",
        "CZ.02.3.68/0.0/0.0/18_063/0098765",
    ),
    FixturePage("empty-ish.txt", "Stránka bez údajů o projektu\n", None, None),
]


def _evidence(text: str, value: str, method: str = "pattern") -> Evidence:
    """Evidence for the first occurrence of ``value`` in the cleaned text."""
    start = text.index(value)
    return Evidence(text=value, start=start, end=start + len(value), method=method, confidence=0.9)


def make_record(page: FixturePage, path: Path, clean: Cleaner = CLEAN) -> Record:
    """A record of a fixture page with evidence offsets into its cleaned text."""
    data = path.read_bytes()
    text = clean(data, str(path)).text
    values: dict[str, Any] = {}
    evidence: dict[str, Evidence] = {}
    if page.title:
        values["title"] = page.title
        evidence["title"] = _evidence(text, page.title, "title")
    if page.registration:
        values["registration_number"] = RegistrationNumber(value=page.registration, valid=True)
        evidence["registration_number"] = _evidence(text, page.registration)
    if page.locations:
        values["locations"] = list(page.locations)
        whole = _evidence(text, ", ".join(page.locations), "label")
        spans, cursor = [], whole.start
        for item in page.locations:
            cursor = text.index(item, cursor)
            spans.append((cursor, cursor + len(item)))
            cursor += len(item)
        evidence["locations"] = whole.model_copy(update={"items": spans})
    source = Source(
        path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="text", encoding="utf-8"
    )
    return Record(extractor_version="test", source=source, evidence=evidence, **values)


def build_structured(root: Path, pages: list[FixturePage] = PAGES) -> Path:
    """Write the fixture pages and their records; returns the structured folder."""
    raw, structured = root / "raw", root / "structured"
    raw.mkdir(exist_ok=True)
    structured.mkdir(exist_ok=True)
    for page in pages:
        path = raw / page.name
        path.write_text(page.body, encoding="utf-8")
        record = make_record(page, path)
        (structured / f"{Path(page.name).stem}.json").write_text(record.to_json(), encoding="utf-8")
    return structured


def element_text(soup: BeautifulSoup, name: str, **attrs: Any) -> str:
    """The text inside the one element a report must contain."""
    tag = soup.find(name, attrs=attrs)
    assert isinstance(tag, Tag) and tag.string is not None, f"no <{name} {attrs}> in the report"
    return str(tag.string)


def data_blocks(html: str) -> tuple[dict[str, Any], list[str]]:
    """The parsed index and texts JSON embedded in a report."""
    soup = BeautifulSoup(html, "lxml")
    data = json.loads(element_text(soup, "script", id="data"))
    texts = json.loads(element_text(soup, "script", id="texts"))
    return data, texts


def page_by_id(data: dict[str, Any], page_id: str) -> dict[str, Any]:
    """The list entry of one record."""
    return next(page for page in data["pages"] if page["id"] == page_id)


# --- escaping ------------------------------------------------------------------------

HOSTILE_STRINGS = [
    pytest.param("</script><script>alert(1)</script>", id="closing-script-tag"),
    pytest.param("<!--<script>", id="comment-opener"),
    pytest.param("a & b > c", id="ampersand-and-gt"),
    pytest.param("line\u2028separator\u2029paragraph", id="js-line-separators"),
    pytest.param("{{script}}{{data}}", id="template-slot-lookalike"),
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_script_json_has_no_markup_characters_and_round_trips(value: str) -> None:
    encoded = script_json({"v": value})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"v": value}


def test_page_content_never_appears_as_markup(tmp_path: Path) -> None:
    html = build_report_html(build_structured(tmp_path), clean=CLEAN)
    # Only the report's own three <script> elements: data, texts and the program.
    assert html.lower().count("<script") == 3
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "{{" not in html.split('id="data">', 1)[0]
    for block in re.findall(r'type="application/json" id="\w+">(.*?)</script>', html, re.DOTALL):
        assert "</script" not in block.lower() and "<" not in block
    data, texts = data_blocks(html)
    hostile = page_by_id(data, "hostile")
    assert hostile["title"] == PAGES[1].title
    assert "<img src=x onerror=alert(2)>" in texts[hostile["text"]]


def test_csp_allows_exactly_the_inline_script_and_style(tmp_path: Path) -> None:
    html = build_report_html(build_structured(tmp_path), clean=CLEAN)
    soup = BeautifulSoup(html, "lxml")
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(meta, Tag)
    csp = str(meta["content"])
    script = element_text(soup, "script", type=None)
    style = element_text(soup, "style")

    def expr(source: str) -> str:
        digest = hashlib.sha256(source.encode("utf-8")).digest()
        return "'sha256-" + base64.b64encode(digest).decode() + "'"

    assert "default-src 'none'" in csp
    assert f"script-src {expr(script)};" in csp
    assert f"style-src {expr(style)};" in csp
    assert "unsafe-inline" not in csp and "http" not in csp


# --- data for the views --------------------------------------------------------------


def test_list_filter_data_marks_missing_fields_and_counts(tmp_path: Path) -> None:
    data, _ = data_blocks(build_report_html(build_structured(tmp_path), clean=CLEAN))
    fields = data["fields"]
    assert fields == list(FIELD_NAMES)
    bit = {name: 1 << i for i, name in enumerate(fields)}
    lipova, empty = page_by_id(data, "lipova"), page_by_id(data, "empty-ish")
    assert not lipova["missing"] & bit["registration_number"]
    assert lipova["missing"] & bit["beneficiary"]
    assert empty["missing"] == (1 << len(fields)) - 1
    counts = data["summary"]["fieldCounts"]
    assert counts["registration_number"] == 2 and counts["locations"] == 1
    assert data["summary"] | {"fieldCounts": None} == {
        "pages": 3,
        "records": 3,
        "failures": 0,
        "withoutText": 0,
        "fieldCounts": None,
        "pageKindCounts": {"unknown": 3},
        "gold": False,
        "goldUnmatched": [],
    }


def test_page_kind_is_listed_counted_and_offered_as_a_filter(tmp_path: Path) -> None:
    """Each list entry carries its page_kind; older records without one count as unknown."""
    structured = build_structured(tmp_path)
    for name, kind in (("lipova.json", "project"), ("empty-ish.json", "not-project")):
        record = json.loads((structured / name).read_text(encoding="utf-8"))
        record["page_kind"] = kind
        (structured / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    data, _ = data_blocks(build_report_html(structured, clean=CLEAN))
    assert page_by_id(data, "lipova")["kind"] == "project"
    assert page_by_id(data, "empty-ish")["kind"] == "not-project"
    assert data["pageKinds"] == ["project", "not-project", "unknown"]
    assert data["summary"]["pageKindCounts"] == {"not-project": 1, "project": 1, "unknown": 1}


def test_highlight_spans_index_the_embedded_text(tmp_path: Path) -> None:
    data, texts = data_blocks(build_report_html(build_structured(tmp_path), clean=CLEAN))
    lipova = page_by_id(data, "lipova")
    text = texts[lipova["text"]]
    fields = {field["name"]: field for field in lipova["fields"]}
    ((start, end),) = fields["registration_number"]["spans"]
    assert text[start:end] == PAGES[0].registration
    assert [text[s:e] for s, e in fields["locations"]["spans"]] == list(PAGES[0].locations)
    assert fields["locations"]["itemSpans"] is True
    assert all(field.get("problem") is None for field in lipova["fields"])
    # Users of the report see how each value was found and how far to trust it.
    assert (fields["registration_number"]["method"], fields["registration_number"]["confidence"]) == ("pattern", 0.9)


def test_failures_list_invalid_records_and_skipped_dot_files(tmp_path: Path) -> None:
    structured = build_structured(tmp_path, PAGES[:1])
    (structured / "broken.json").write_text('{"schema_version": "1", "title": ', encoding="utf-8")
    (structured / ".manifest.json").write_text("{}", encoding="utf-8")
    (structured / "failures.jsonl").write_text(
        json.dumps({"path": "raw/scan.pdf", "reason": "binary", "message": "a PDF, not a page"})
        + "\nnot json\n",
        encoding="utf-8",
    )
    data, _ = data_blocks(build_report_html(structured, clean=CLEAN))
    reasons = [(Path(f["path"]).name, f["reason"]) for f in data["failures"]]
    assert reasons == [
        ("broken.json", "invalid-record"),
        ("scan.pdf", "binary"),
        ("failures.jsonl:2", "invalid-failure-line"),
    ]
    assert data["summary"]["pages"] == 4 and data["summary"]["records"] == 1


SOURCE_PROBLEMS = [
    pytest.param(lambda path: path.unlink(), id="page-deleted"),
    pytest.param(lambda path: path.write_text("Jiný obsah\n", encoding="utf-8"), id="page-edited"),
]


@pytest.mark.parametrize("damage", SOURCE_PROBLEMS)
def test_changed_or_missing_source_shows_values_without_text(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    structured = build_structured(tmp_path, PAGES[:1])
    damage(tmp_path / "raw" / PAGES[0].name)
    data, texts = data_blocks(build_report_html(structured, clean=CLEAN))
    page = page_by_id(data, "lipova")
    assert page["text"] is None and page["note"] == SOURCE_NOTE
    assert texts == []
    fields = {field["name"]: field for field in page["fields"]}
    assert fields["registration_number"]["items"] == [PAGES[0].registration]
    assert fields["registration_number"]["evidence"] == PAGES[0].registration
    assert data["summary"]["withoutText"] == 1


def test_relative_source_paths_resolve_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    structured = build_structured(tmp_path, PAGES[:1])
    record_file = structured / "lipova.json"
    record = Record.model_validate_json(record_file.read_text(encoding="utf-8"))
    relative = record.source.model_copy(update={"path": f"raw/{PAGES[0].name}"})
    record_file.write_text(
        record.model_copy(update={"source": relative}).to_json(), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    data, texts = data_blocks(build_report_html(Path("structured"), clean=CLEAN))
    assert page_by_id(data, "lipova")["note"] is None and len(texts) == 1


def test_output_is_deterministic(tmp_path: Path) -> None:
    structured = build_structured(tmp_path)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_report(structured, first, clean=CLEAN)
    write_report(structured, second, clean=CLEAN)
    assert first.read_bytes() == second.read_bytes()


# --- gold ----------------------------------------------------------------------------


def test_injected_gold_scorer_marks_mismatches(tmp_path: Path) -> None:
    structured = build_structured(tmp_path)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    lipova_path = str(tmp_path / "raw" / PAGES[0].name)

    def scorer(records: Any, gold: Path) -> GoldComparison:
        assert gold == gold_dir and len(records) == 3
        return GoldComparison(
            scores=(FieldScore("title", 1, 0, 1, 1.0, 0.5, 2 / 3),),
            checks={
                lipova_path: (
                    FieldCheck("title", "Komunitní centrum Lipová", True),
                    FieldCheck("beneficiary", "Spolek <Lipová>", False),
                )
            },
        )

    data, _ = data_blocks(build_report_html(structured, gold_dir, clean=CLEAN, score_gold=scorer))
    assert data["scores"][0]["field"] == "title" and data["summary"]["gold"] is True
    lipova = page_by_id(data, "lipova")
    fields = {field["name"]: field for field in lipova["fields"]}
    assert fields["beneficiary"]["missing"] is True
    assert fields["beneficiary"]["gold"] == {"value": "Spolek <Lipová>", "match": False}
    assert fields["title"]["gold"]["match"] is True
    assert lipova["mismatches"] == 1


def test_gold_scores_come_from_the_evaluation_library(tmp_path: Path) -> None:
    structured = build_structured(tmp_path, PAGES[:1])
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    gold = {
        "file": f"raw/{PAGES[0].name}",
        "title": PAGES[0].title,
        "registration_number": "CZ.03.2.63/0.0/0.0/19_107/0099999",
        "locations": list(PAGES[0].locations),
    }
    (gold_dir / "lipova.json").write_text(json.dumps(gold), encoding="utf-8")
    data, _ = data_blocks(build_report_html(structured, gold_dir, clean=CLEAN))
    scores = {row["field"]: row for row in data["scores"]}
    assert (scores["title"]["tp"], scores["title"]["fp"]) == (1, 0)
    assert (scores["registration_number"]["fp"], scores["registration_number"]["fn"]) == (1, 1)
    assert scores["locations"]["tp"] == 2
    fields = {field["name"]: field for field in page_by_id(data, "lipova")["fields"]}
    assert fields["registration_number"]["gold"]["match"] is False
    assert fields["title"]["gold"]["match"] is True


# --- scale ---------------------------------------------------------------------------

SCALE_PAGES = 10_000


def test_ten_thousand_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw, structured = tmp_path / "raw", tmp_path / "structured"
    raw.mkdir()
    structured.mkdir()
    for i in range(SCALE_PAGES):
        number = f"CZ.03.2.63/0.0/0.0/19_107/{i:07d}"
        body = f"Projekt číslo {i}\nRegistrační číslo projektu: {number}\nPříjemce: Obec {i}\n"
        path = raw / f"p{i:05d}.txt"
        path.write_text(body, encoding="utf-8")
        page = FixturePage(path.name, body, f"Projekt číslo {i}", number if i % 3 else None)
        record = make_record(page, path, _fallback_clean)
        (structured / f"p{i:05d}.json").write_text(record.to_json(), encoding="utf-8")
    out = tmp_path / "report.html"
    started = time.perf_counter()
    write_report(structured, out, clean=_fallback_clean)
    seconds = time.perf_counter() - started
    data, texts = data_blocks(out.read_text(encoding="utf-8"))
    with capsys.disabled():
        print(f"\n10,000 records: {out.stat().st_size / 1e6:.1f} MB report in {seconds:.1f} s")
    assert len(data["pages"]) == SCALE_PAGES and len(texts) == SCALE_PAGES
    assert data["summary"]["fieldCounts"]["registration_number"] == SCALE_PAGES - 3334


@pytest.mark.skipif(
    REAL_CLEAN is None, reason="pipeline.core (clean/load modules) not importable yet"
)
def test_cli_report_uses_the_real_cleaner(tmp_path: Path) -> None:
    from pipeline.cli import main

    structured = build_structured(tmp_path)
    out = tmp_path / "out" / "report.html"
    assert main(["report", str(structured), "--out", str(out)]) == 0
    data, texts = data_blocks(out.read_text(encoding="utf-8"))
    assert all(page["note"] is None for page in data["pages"]) and len(texts) == 3
