"""The review report rendered by headless Chromium: highlights sit on the evidence, page
scripts never run. Install the browser with ``scripts/ci_chromium.sh``.

Chromium is driven from the command line (``--dump-dom``, ``--screenshot``), so no Python
browser driver is needed.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from pipeline.clean.document import Document, DocumentBuilder
from pipeline.output.report import write_report
from pipeline.records import Evidence, Record, RegistrationNumber, Source

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is missing; run scripts/ci_chromium.sh to install it",
    ),
]


def _fallback_clean(data: bytes, path: str) -> Document:
    """One block per text line: a stand-in while pipeline.core cannot be imported."""
    builder = DocumentBuilder()
    for line in data.decode("utf-8").splitlines():
        builder.add("paragraph", line)
    return builder.build("text", "utf-8")


def _real_or_fallback_clean() -> Callable[[bytes, str], Document]:
    """``pipeline.core.clean_bytes``, or the stand-in while its modules are being written."""
    try:
        from pipeline.core import clean_bytes
    except ImportError:
        return _fallback_clean
    return clean_bytes


CLEAN = _real_or_fallback_clean()


@dataclass(frozen=True)
class BrowserPage:
    """A synthetic page and the substrings its record highlights."""

    id: str
    body: str
    title: str
    registration: str
    beneficiary: str
    targets: tuple[str, ...]


PAYLOAD = "<script>window.__pwned=1;document.title='PWNED'</script>"
IMG_PAYLOAD = (
    "<img src=x onerror=\"document.body.appendChild(document.createElement('div')).id='pwned'\">"
)

PAGES = [
    BrowserPage(
        "klubovna",
        "Obnova klubovny pro seniory v obci Dubová\n"
        "Registrační číslo projektu: CZ.06.2.56/0.0/0.0/16_072/0004567\n"
        "Příjemce: Obec Dubová\n"
        "Projekt je spolufinancován Evropskou unií z Integrovaného regionálního operačního programu.\n"
        "Cílové skupiny: senioři, osoby se zdravotním postižením, pečující osoby\n"
        "Cílem projektu je zlepšit dostupnost sociálních služeb pro seniory v obci a okolí.\n",
        "Obnova klubovny pro seniory v obci Dubová",
        "CZ.06.2.56/0.0/0.0/16_072/0004567",
        "Obec Dubová",
        ("senioři", "osoby se zdravotním postižením", "pečující osoby"),
    ),
    BrowserPage(
        "hostile",
        f"Projekt Bezpečný web {PAYLOAD}\n"
        "Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0098765\n"
        f"Příjemce: Spolek Hacker {IMG_PAYLOAD}\n"
        "Cílové skupiny: správci webů\n",
        f"Projekt Bezpečný web {PAYLOAD}",
        "CZ.02.3.68/0.0/0.0/18_063/0098765",
        f"Spolek Hacker {IMG_PAYLOAD}",
        ("správci webů",),
    ),
]


def _span(text: str, value: str, start: int = 0) -> tuple[int, int]:
    """Offsets of the first occurrence of value at or after start."""
    at = text.index(value, start)
    return at, at + len(value)


def _record(page: BrowserPage, path: Path) -> Record:
    """A record whose evidence offsets index the cleaned text of the page."""
    data = path.read_bytes()
    text = CLEAN(data, str(path)).text
    evidence = {}
    for name, value, method in [
        ("title", page.title, "title"),
        ("registration_number", page.registration, "pattern"),
        ("beneficiary", page.beneficiary, "label"),
    ]:
        start, end = _span(text, value)
        evidence[name] = Evidence(text=text[start:end], start=start, end=end, method=method)  # type: ignore[arg-type]
    items, cursor = [], text.index("Cílové skupiny")
    for item in page.targets:
        items.append(_span(text, item, cursor))
        cursor = items[-1][1]
    evidence["target_groups"] = Evidence(
        text=text[items[0][0] : items[-1][1]],
        start=items[0][0],
        end=items[-1][1],
        method="label",
        items=items,
    )
    source = Source(
        path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="text", encoding="utf-8"
    )
    return Record(
        extractor_version="test",
        source=source,
        title=page.title,
        registration_number=RegistrationNumber(value=page.registration, valid=True),
        beneficiary={"name": page.beneficiary},  # type: ignore[arg-type]
        target_groups=list(page.targets),
        evidence=evidence,
    )


@pytest.fixture(scope="module")
def report(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, Record], dict[str, str]]:
    """The report of the fixture pages, their records and cleaned texts."""
    root = tmp_path_factory.mktemp("report")
    (root / "raw").mkdir()
    structured = root / "structured"
    structured.mkdir()
    records, texts = {}, {}
    for page in PAGES:
        path = root / "raw" / f"{page.id}.txt"
        path.write_text(page.body, encoding="utf-8")
        records[page.id] = _record(page, path)
        texts[page.id] = CLEAN(path.read_bytes(), str(path)).text
        (structured / f"{page.id}.json").write_text(records[page.id].to_json(), encoding="utf-8")
    out = root / "report.html"
    write_report(structured, out, clean=CLEAN)
    return out, records, texts


def _chromium(url: str, profile: Path, *extra: str) -> str:
    """Run headless Chromium on a URL; returns its stdout (the DOM with --dump-dom)."""
    command = [
        str(CHROMIUM),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        *extra,
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _dom(report_path: Path, page_id: str, tmp_path: Path) -> BeautifulSoup:
    """The rendered DOM of the detail view of one record."""
    html = _chromium(f"{report_path.as_uri()}#page={page_id}", tmp_path / "profile", "--dump-dom")
    return BeautifulSoup(html, "lxml")


def _highlighted(soup: BeautifulSoup, field: str) -> str:
    """The concatenated text of every highlight that covers a field."""
    marks = soup.select("pre.text mark.hl")
    return "".join(m.get_text() for m in marks if field in str(m.get("data-fields", "")).split())


FIELDS_SHOWN = [
    pytest.param("klubovna", "registration_number", id="registration-number"),
    pytest.param("klubovna", "beneficiary", id="beneficiary"),
    pytest.param("klubovna", "target_groups", id="list-items"),
    pytest.param("hostile", "title", id="title-with-script-payload"),
]


@pytest.mark.parametrize(("page_id", "field"), FIELDS_SHOWN)
def test_highlight_text_is_the_text_at_the_evidence_offsets(
    report: tuple[Path, dict[str, Record], dict[str, str]], tmp_path: Path, page_id: str, field: str
) -> None:
    out, records, texts = report
    evidence = records[page_id].evidence[field]
    spans = evidence.items or [(evidence.start, evidence.end)]
    expected = "".join(texts[page_id][start:end] for start, end in spans)
    soup = _dom(out, page_id, tmp_path)
    assert _highlighted(soup, field) == expected
    mark = next(
        m for m in soup.select("pre.text mark.hl") if field in str(m["data-fields"]).split()
    )
    assert field in str(mark["title"]) and field in str(mark["data-label"])
    assert soup.find(id=f"field-{field}") is not None


def test_registration_number_highlight_is_exactly_the_number(
    report: tuple[Path, dict[str, Record], dict[str, str]], tmp_path: Path
) -> None:
    out, records, _ = report
    soup = _dom(out, "klubovna", tmp_path)
    (mark,) = [
        m for m in soup.select("pre.text mark.hl") if m["data-fields"] == "registration_number"
    ]
    assert mark.get_text() == records["klubovna"].registration_number.value  # type: ignore[union-attr]


def test_page_scripts_do_not_run_and_show_as_text(
    report: tuple[Path, dict[str, Record], dict[str, str]], tmp_path: Path
) -> None:
    out, _, texts = report
    soup = _dom(out, "hostile", tmp_path)
    assert soup.title is not None and soup.title.get_text() == "Extraction review report"
    assert soup.find(id="pwned") is None
    assert soup.find("img") is None
    # The report's own three scripts only; none of the page's markup became elements.
    assert len(soup.find_all("script")) == 3
    pre = soup.select_one("pre.text")
    assert isinstance(pre, Tag)
    assert pre.get_text() == texts["hostile"]
    assert PAYLOAD in pre.get_text() and IMG_PAYLOAD in pre.get_text()
    assert not pre.find_all(["script", "img", "b"])


def test_screenshot_of_the_detail_view(
    report: tuple[Path, dict[str, Record], dict[str, str]], tmp_path: Path
) -> None:
    out, _, _ = report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    _chromium(
        f"{out.as_uri()}#page=klubovna",
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1400,900",
        f"--screenshot={shot}",
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a blank page compresses to far less


def test_page_list_is_paginated_and_filtered_by_missing_field(tmp_path: Path) -> None:
    structured = tmp_path / "structured"
    structured.mkdir()
    for i in range(250):
        # No page on disk: the list needs only the records (each shows "no source text").
        source = Source(
            path=f"chybi/{i:03d}.html", sha256="0" * 64, format="html", encoding="utf-8"
        )
        record = Record(
            extractor_version="test",
            source=source,
            title=f"Projekt {i}",
            summary=None if i % 2 else f"Shrnutí projektu {i}",
        )
        (structured / f"p{i:03d}.json").write_text(record.to_json(), encoding="utf-8")
    out = tmp_path / "report.html"
    write_report(structured, out, clean=CLEAN)
    html = _chromium(
        f"{out.as_uri()}#list=1&missing=summary&p=2", tmp_path / "profile", "--dump-dom"
    )
    soup = BeautifulSoup(html, "lxml")
    rows = soup.select("table.pages tbody tr")
    # 125 records lack a summary: page 2 holds rows 101-125.
    assert len(rows) == 25
    assert rows[0].select_one("td.path a").get_text() == "chybi/201.html"  # type: ignore[union-attr]
    assert "page 2 of 2" in soup.select_one("nav.pager").get_text()  # type: ignore[union-attr]
    assert all("no source text" in row.get_text() for row in rows)
