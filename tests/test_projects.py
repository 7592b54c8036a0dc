"""Pages that describe several projects: detection, split and one record per project.

Example pages are invented, in the shapes real sites use (ids say which): a school's list
of templates as text, a town's accordion of projects with label tables, cards with
"Název projektu" labels and no numbers; and pages that stay one project although they
name other numbers (a predecessor in prose, a footer repeating the number, a list of links).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from pipeline.clean.segment import segment
from pipeline.core import clean_bytes, extract_bytes, extract_bytes_records
from pipeline.errors import GoldFormatError
from pipeline.evaluate import GoldPage, evaluate_records, load_gold, pair_records
from pipeline.extract.projects import find_projects, project_document

SCHOOL_TEMPLATES_TEXT = """Projekty EU
Naše škola realizuje tyto projekty spolufinancované Evropskou unií.
Cesta k porozumění
Registrační číslo projektu: CZ.02.3.68/0.0/0.0/16_010/0000111
Žadatel projektu: Spolek Modrý most, z. s.
Datum zahájení projektu: 1. 10. 2016
Datum ukončení projektu: 30. 9. 2020
ANOTACE PROJEKTU:
Projekt je zaměřen na spolupráci škol v kraji.
ŠABLONY I. „Společné učení“
Registrační číslo projektu: CZ.02.3.68/0.0/0.0/16_022/0000222
Datum zahájení projektu: 1. 1. 2017
Datum ukončení projektu: 31. 12. 2018
Částka schválené podpory: 1 100 000 Kč
ŠABLONY II. „Společné učení II“
Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0000333
Částka schválené podpory: 2 000 000 Kč
Realizace: 1. 1. 2019 – 31. 12. 2020
"""

TOWN_ACCORDION_HTML = """<html><head><title>Projekty | Obec Lipová</title></head><body>
<h1>Projekty spolufinancované z fondů EU</h1>
<div class="accordion"><h3>Oprava hasičské zbrojnice</h3><div class="panel"><table>
<tr><th>Název projektu</th><td>Oprava hasičské zbrojnice v Lipové</td></tr>
<tr><th>Registrační číslo</th><td>CZ.06.1.20/0.0/0.0/19_000/0011111</td></tr>
<tr><th>Doba realizace</th><td>1. 3. 2020 – 30. 11. 2020</td></tr>
<tr><th>Výše dotace</th><td>1 250 000 Kč</td></tr></table></div>
<h3>Chodník k nádraží</h3><div class="panel"><table>
<tr><th>Název projektu</th><td>Bezpečný chodník k nádraží</td></tr>
<tr><th>Registrační číslo</th><td>CZ.06.1.20/0.0/0.0/19_000/0022222</td></tr>
<tr><th>Doba realizace</th><td>1. 4. 2021 – 31. 10. 2021</td></tr>
<tr><th>Výše dotace</th><td>2 480 000 Kč</td></tr></table></div></div>
<p>Další projekty: <a href="/x">Projekt CZ.06.1.20/0.0/0.0/19_000/0033333</a></p>
</body></html>"""

CARDS_WITHOUT_NUMBERS_TEXT = """Realizované projekty
Název projektu: Zelená zahrada
Doba realizace: 2018 – 2019
Výše dotace: 300 000 Kč
Název projektu: Bezbariérová škola
Doba realizace: 2020 – 2021
Výše dotace: 950 000 Kč
Projekty jsou spolufinancovány Evropskou unií.
"""

ONE_PROJECT_WITH_PREDECESSOR = """Název projektu: Krok za krokem II
Registrační číslo projektu: CZ.03.2.60/0.0/0.0/16_052/0004444
Doba realizace: 1. 1. 2019 – 31. 12. 2020
Projekt navazuje na úspěšný projekt Krok za krokem (CZ.03.2.60/0.0/0.0/15_005/0001111), který spolek realizoval v letech 2016 až 2018 a jehož výsledky chceme dále rozvíjet.
Projekt je spolufinancován Evropskou unií.
"""

ONE_PROJECT_NUMBER_IN_FOOTER = """Název projektu: Čtenářská dílna
Registrační číslo projektu: CZ.02.3.68/0.0/0.0/18_063/0005555
Doba realizace: 1. 9. 2019 – 31. 8. 2021
Výše podpory: 900 000 Kč
Projekt Čtenářská dílna, reg. č. CZ.02.3.68/0.0/0.0/18_063/0005555, je spolufinancován Evropskou unií.
"""

LIST_OF_LINKS = """Projekty
Projekt Zahrada: CZ.06.1.20/0.0/0.0/19_000/0066666
Projekt Hřiště: CZ.06.1.20/0.0/0.0/19_000/0077777
Projekt Knihovna: CZ.06.1.20/0.0/0.0/19_000/0088888
Projekty jsou spolufinancovány Evropskou unií.
"""

# A town's investment in stages: coded header lines, each with its own goal, and the
# dates stated once after the last stage, for both.
CODED_STAGES_TEXT = """NOVÁ KNIHOVNA LHOTKA
Tento projekt je spolufinancován Evropskou unií z Integrovaného regionálního operačního programu.

2.1a - Nová knihovna Lhotka
Cílem projektu je přestavba bývalé sýpky na knihovnu s čítárnou.

2.1b - Nová knihovna Lhotka
Cílem tohoto projektu je vybavení knihovny nábytkem a počítači pro čtenáře.

Zahájení projektu - 1. březen 2019
Ukončení projektu - 30. červen 2020
"""

# Numbered chapters of one project's description: coded lines without a fact of their own.
CODED_CHAPTERS_TEXT = """Projekt Zelená zahrada
Tento projekt je spolufinancován Evropskou unií.
1.1 - Výchozí stav
Zahrada školy je zanedbaná a děti ji nemohou využívat.
1.2 - Plánované úpravy
Vysadíme stromy a postavíme altán.
Cílem projektu je proměnit zahradu v učebnu v přírodě.
Doba realizace: 2019 – 2020
"""

# One coded line with its goal: one project of a larger plan, not several.
ONE_CODED_PART_TEXT = """3.2 - Bezbariérová škola Lhotka
Cílem projektu je vybudování výtahu a bezbariérových toalet.
Doba realizace: 2020 – 2021
Projekt je spolufinancován Evropskou unií.
"""

SEVERAL = [
    pytest.param(SCHOOL_TEMPLATES_TEXT, "txt", 3, id="school-templates-text"),
    pytest.param(TOWN_ACCORDION_HTML, "html", 2, id="town-accordion-tables"),
    pytest.param(CARDS_WITHOUT_NUMBERS_TEXT, "txt", 2, id="cards-named-without-numbers"),
    pytest.param(CODED_STAGES_TEXT, "txt", 2, id="coded-stages-with-own-goals"),
]
ONE = [
    pytest.param(ONE_PROJECT_WITH_PREDECESSOR, "txt", id="predecessor-in-prose"),
    pytest.param(ONE_PROJECT_NUMBER_IN_FOOTER, "txt", id="number-repeated-in-footer"),
    pytest.param(LIST_OF_LINKS, "txt", id="list-of-numbers-without-facts"),
    pytest.param(CODED_CHAPTERS_TEXT, "txt", id="coded-chapters-without-own-facts"),
    pytest.param(ONE_CODED_PART_TEXT, "txt", id="one-coded-part"),
]


def _parts(page: str, suffix: str) -> int:
    """How many projects the splitter finds on a page (0: it stays one)."""
    document = clean_bytes(page.encode("utf-8"), f"page.{suffix}")
    return len(find_projects(document, segment(document)))


@pytest.mark.parametrize(("page", "suffix", "count"), SEVERAL)
def test_pages_of_several_projects_are_split(page: str, suffix: str, count: int) -> None:
    """Each project with facts of its own is found."""
    assert _parts(page, suffix) == count


@pytest.mark.parametrize(("page", "suffix"), ONE)
def test_pages_of_one_project_stay_whole(page: str, suffix: str) -> None:
    """Numbers named in passing make no projects."""
    assert _parts(page, suffix) == 0


@pytest.mark.parametrize(("page", "suffix"), ONE)
def test_one_project_page_gives_the_same_record_as_before(page: str, suffix: str) -> None:
    """A page of one project is extracted exactly as by the one-record call."""
    data = page.encode("utf-8")
    assert extract_bytes_records(data, f"page.{suffix}") == [extract_bytes(data, f"page.{suffix}")]


def test_each_project_gets_its_own_values() -> None:
    """Numbers, periods and amounts stay with their project; the page's intro is shared."""
    records = extract_bytes_records(SCHOOL_TEMPLATES_TEXT.encode("utf-8"), "projekty.txt")
    assert [r.source.project_index for r in records] == [1, 2, 3]
    assert {r.source.projects_on_page for r in records} == {3}
    numbers = [r.registration_number.value if r.registration_number else None for r in records]
    assert numbers == [
        "CZ.02.3.68/0.0/0.0/16_010/0000111",
        "CZ.02.3.68/0.0/0.0/16_022/0000222",
        "CZ.02.3.68/0.0/0.0/18_063/0000333",
    ]
    starts = [r.period.start.isoformat() if r.period and r.period.start else None for r in records]
    assert starts == ["2016-10-01", "2017-01-01", "2019-01-01"]
    amounts = [str(r.subsidy.amount) if r.subsidy else None for r in records]
    assert amounts == [None, "1100000", "2000000"]
    # The first project's applicant is not the templates' beneficiary.
    assert records[0].beneficiary is not None and records[1].beneficiary is None


def test_stages_keep_their_goals_and_share_the_dates_after_them() -> None:
    """Each coded stage has its own goal and name; dates stated once after the last are both's."""
    records = extract_bytes_records(CODED_STAGES_TEXT.encode("utf-8"), "knihovna.txt")
    assert [r.title for r in records] == ["Nová knihovna Lhotka", "Nová knihovna Lhotka"]
    goals = [r.goals.main if r.goals else None for r in records]
    assert goals == [
        "přestavba bývalé sýpky na knihovnu s čítárnou",
        "vybavení knihovny nábytkem a počítači pro čtenáře",
    ]
    periods = [(r.period.start, r.period.end) if r.period else None for r in records]
    assert periods == [(date(2019, 3, 1), date(2020, 6, 30))] * 2


@pytest.mark.parametrize(("page", "suffix"), [(TOWN_ACCORDION_HTML, "html"), (CODED_STAGES_TEXT, "txt")])
def test_evidence_offsets_index_the_page_text(page: str, suffix: str) -> None:
    """Every evidence span of every project record reads the same text in the whole page."""
    data = page.encode("utf-8")
    document = clean_bytes(data, f"p.{suffix}")
    for record in extract_bytes_records(data, f"p.{suffix}"):
        for evidence in record.evidence.values():
            assert document.text[evidence.start : evidence.end].startswith(evidence.text.rstrip("…"))


def test_a_project_view_keeps_offsets() -> None:
    """The view of one project has the page's length and the page's text in its blocks."""
    document = clean_bytes(SCHOOL_TEMPLATES_TEXT.encode("utf-8"), "p.txt")
    for part in find_projects(document, segment(document)):
        view = project_document(document, part)
        assert len(view.text) == len(document.text)
        assert all(view.slice(b) == document.slice(b) for b in view.blocks)


def test_evaluation_pairs_records_with_gold_projects() -> None:
    """Multi-project gold: records pair by number; an extra record's values are false positives."""
    data = SCHOOL_TEMPLATES_TEXT.encode("utf-8")
    records = extract_bytes_records(data, "projekty.txt")
    gold = GoldPage(
        path=Path("gold/projekty.json"),
        file="raw/projekty.txt",
        values={"registration_number": "CZ.02.3.68/0.0/0.0/18_063/0000333"},
        projects=(
            {"registration_number": "CZ.02.3.68/0.0/0.0/18_063/0000333"},
            {"registration_number": "CZ.02.3.68/0.0/0.0/16_022/0000222"},
        ),
    )
    pairs = pair_records(records, gold)
    assert len(pairs) == 3  # two gold projects and one record left over
    report = evaluate_records(pairs)
    score = report.fields["registration_number"]
    assert (score.tp, score.fp, score.fn) == (2, 1, 0)
    assert report.pages_evaluated == 1
    digest = hashlib.sha256(data).hexdigest()
    assert all(r.source.sha256 == digest for r in records)


def test_multi_project_gold_files_load(tmp_path: Path) -> None:
    """A gold file with "projects" gives one value table per project; a bad one names the key."""
    good = tmp_path / "p.json"
    good.write_text('{"file": "raw/p.txt", "projects": [{"title": "A"}, {"title": "B", "partners": null}]}', encoding="utf-8")
    page = load_gold(good)
    assert page.projects == ({"title": "A"}, {"title": "B", "partners": None})
    bad = tmp_path / "q.json"
    bad.write_text('{"file": "raw/q.txt", "projects": [{"title": 5}]}', encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"projects\[0\]\.title"):
        load_gold(bad)


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.shared
@pytest.mark.parametrize("folder", ["corpus/raw", "corpus-in-sites/raw", "web/pages", "seeds"])
def test_no_single_project_page_is_split(folder: str) -> None:
    """None of the shared one-project pages (nor the non-project pages) is split."""
    root = SHARED / folder
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    split = []
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.suffix in (".html", ".txt", ".htm")):
        data = path.read_bytes()
        if not data:
            continue
        document = clean_bytes(data, str(path))
        if find_projects(document, segment(document)):
            split.append(path.name)
    assert split == []
