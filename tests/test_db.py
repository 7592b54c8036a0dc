"""Loading records into SQLite: tables derived from the models, idempotence, upsert, stale, groups."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from contextlib import redirect_stdout
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.errors import UsageError
from pipeline.output.db import (
    SQLITE,
    generate_ddl,
    join_list,
    load_folder,
    record_id,
    record_layout,
    split_list,
)
from pipeline.records import (
    Amount,
    Beneficiary,
    Evidence,
    Goals,
    Period,
    PriorityAxis,
    Programme,
    Record,
    RegistrationNumber,
    Result,
    Source,
)
from pipeline.schema import record_json_schema

INJECTION = "'); DROP TABLE projects; --"
CHILD_TABLES = (
    "partners",
    "goals_specific",
    "target_groups",
    "activities",
    "locations",
    "results",
    "evidence",
)


# --- synthetic records (shaped like real Czech project pages, written for these tests) ---


def make_record(path: str, **changes: Any) -> Record:
    """A fully populated synthetic record; keyword arguments replace top-level fields."""
    title = "Podpora sousedské pomoci v obci Dolní Lhota"
    fields: dict[str, Any] = {
        "extractor_version": "test-1",
        "source": Source(
            path=path,
            sha256="ab" * 32,
            format="html",
            encoding="utf-8",
            url=f"https://example.invalid/{path}",
            page_title=title,
        ),
        "title": title,
        "registration_number": RegistrationNumber(
            value="CZ.03.2.60/0.0/0.0/16_052/0001234",
            programme_code="03",
            programming_period="2014-2020",
            call="16_052",
            valid=True,
        ),
        "programme": Programme(name="Operační program Zaměstnanost", abbreviation="OPZ"),
        "priority_axis": PriorityAxis(number="2", name="Sociální začleňování"),
        "beneficiary": Beneficiary(name="Spolek Dolní Lhota, z. s.", ico="12345678"),
        "partners": ["Obec Dolní Lhota"],
        "period": Period(start=dt.date(2019, 1, 1), end=dt.date(2020, 6, 30)),
        "subsidy": Amount(amount=Decimal("3783392.50"), currency="CZK"),
        "total_cost": Amount(amount=Decimal("4000000.00"), currency="CZK"),
        "goals": Goals(
            main="Zlepšit dostupnost pomoci", specific=["Vyškolit dobrovolníky", "Otevřít poradnu"]
        ),
        "target_groups": ["Senioři", "Osoby pečující o blízkou osobu"],
        "activities": ["Poradenství", "Vzdělávání dobrovolníků"],
        "locations": ["Dolní Lhota"],
        "results": [
            Result(value=Decimal(350), unit="podpořených osob"),
            Result(value=Decimal("2.5"), unit="úvazku"),
        ],
        "summary": "Projekt rozvíjí sousedskou pomoc.",
        "evidence": {
            "title": Evidence(text=title, start=0, end=len(title), method="title"),
            "activities": Evidence(
                text="Poradenství; Vzdělávání",
                start=50,
                end=74,
                method="label",
                items=[(50, 61), (63, 74)],
            ),
        },
    }
    fields.update(changes)
    return Record(**fields)


def file_name(rec: Record) -> str:
    """A record file name derived from its source path (like the batch writer does)."""
    return rec.source.path.replace("/", "_") + ".json"


def write_records(folder: Path, *records: Record) -> Path:
    """Write records as JSON files into a folder; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for rec in records:
        (folder / file_name(rec)).write_text(rec.to_json(), encoding="utf-8")
    return folder


def query(folder: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query against the default database of a folder."""
    con = sqlite3.connect(folder / "records.sqlite")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def table_counts(folder: Path) -> dict[str, int]:
    """Row count of projects and every child table."""
    return {
        t: query(folder, f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in ("projects", *CHILD_TABLES)
    }


def three_records() -> tuple[Record, Record, Record]:
    """Two pages of one project (different titles) and one other project."""
    a = make_record("raw/a.html")
    b = make_record(
        "raw/b.html",
        title="Sousedská pomoc Dolní Lhota",
        subsidy=Amount(amount=Decimal("3783392.5"), currency="CZK"),
    )
    c = make_record(
        "raw/c.html",
        title="Jiný projekt",
        registration_number=RegistrationNumber(
            value="CZ.02.1.01/0.0/0.0/17_048/0007777", valid=True
        ),
        partners=[],
        results=None,
    )
    return a, b, c


# --- schema derived from the models --------------------------------------------------------


def _schema_scalar_paths(
    schema: dict[str, Any], node: dict[str, Any], prefix: str
) -> tuple[set[str], set[str]]:
    """Walk the JSON Schema (an independent view of the models): scalar columns and list fields."""
    scalars: set[str] = set()
    lists: set[str] = set()
    for name, prop in node.get("properties", {}).items():
        options = prop.get("anyOf", [prop])
        options = [o for o in options if o.get("type") != "null"]
        target = options[0]
        if "$ref" in target:
            target = schema["$defs"][target["$ref"].split("/")[-1]]
        if target.get("type") == "object" and "properties" in target:
            sub_scalars, sub_lists = _schema_scalar_paths(schema, target, f"{prefix}{name}_")
            scalars |= sub_scalars
            lists |= sub_lists
        elif target.get("type") in ("array", "object"):
            lists.add(f"{prefix}{name}")
        else:
            scalars.add(f"{prefix}{name}")
    return scalars, lists


def test_every_scalar_field_of_record_has_a_column(tmp_path: Path) -> None:
    """A field added to the models without a column fails here."""
    load_folder(write_records(tmp_path, make_record("raw/a.html")), None)
    columns = {r[0] for r in query(tmp_path, "SELECT name FROM pragma_table_info('projects')")}
    tables = {r[0] for r in query(tmp_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    schema = record_json_schema()
    scalars, lists = _schema_scalar_paths(schema, schema, "")
    assert scalars <= columns, f"no column for {sorted(scalars - columns)}"
    assert lists <= tables, f"no child table for {sorted(lists - tables)}"


PROJECT_META_COLUMNS = {
    "record_id",
    "record_file",
    "record_hash",
    "loaded_at",
    "stale",
    "duplicate_of",
    "record_json",
}

EXPECTED_COLUMN_TYPES = [
    ("registration_number_value", "TEXT"),
    ("registration_number_valid", "INTEGER"),
    ("programme_name", "TEXT"),
    ("period_start", "TEXT"),
    ("subsidy_amount", "TEXT"),  # exact decimal string: SQLite has no exact NUMERIC
    ("subsidy_currency", "TEXT"),
    ("stale", "INTEGER"),
]


@pytest.mark.parametrize(
    ("column", "sql_type"), EXPECTED_COLUMN_TYPES, ids=[c for c, _ in EXPECTED_COLUMN_TYPES]
)
def test_sqlite_column_types(column: str, sql_type: str) -> None:
    """Types map from the annotations through the SQLite dialect."""
    projects = generate_ddl(SQLITE)[1]
    assert f'"{column}" {sql_type}' in projects


def test_projects_columns_are_meta_plus_model() -> None:
    """Nothing inferred: the projects columns are the loader's plus the model-derived ones."""
    layout = record_layout()
    assert {c.name for c in layout.meta_columns + layout.tail_columns} == PROJECT_META_COLUMNS
    assert "source_path" in {c.name for c in layout.model_columns}
    results = next(t for t in layout.children if t.name == "results")
    assert [(c.name, c.type) for c in results.columns] == [("value", "numeric"), ("unit", "text")]


# --- loading -------------------------------------------------------------------------------


def test_load_twice_changes_nothing(tmp_path: Path) -> None:
    """The second load of the same records touches no row."""
    write_records(tmp_path, *three_records())
    first = load_folder(tmp_path, None)
    before = (table_counts(tmp_path), query(tmp_path, "SELECT * FROM projects ORDER BY record_id"))
    second = load_folder(tmp_path, None)
    after = (table_counts(tmp_path), query(tmp_path, "SELECT * FROM projects ORDER BY record_id"))
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert before == after
    assert after[0] == {
        "projects": 3,
        "partners": 2,
        "goals_specific": 6,
        "target_groups": 6,
        "activities": 6,
        "locations": 3,
        "results": 4,
        "evidence": 6,
    }


def test_reextracted_page_updates_only_its_rows(tmp_path: Path) -> None:
    """Same source path, new content: its row and child rows are replaced; others untouched."""
    a, b, c = three_records()
    write_records(tmp_path, a, b, c)
    load_folder(tmp_path, None)
    before = dict(query(tmp_path, "SELECT record_id, loaded_at FROM projects"))
    others_before = query(
        tmp_path,
        "SELECT * FROM activities WHERE record_id != ? ORDER BY 1, 2",
        (record_id(a.source.path),),
    )
    # Make loaded_at distinguishable: the old rows get an old timestamp.
    con = sqlite3.connect(tmp_path / "records.sqlite")
    con.execute("UPDATE projects SET loaded_at = '2000-01-01T00:00:00+00:00'")
    con.commit()
    con.close()
    write_records(
        tmp_path, make_record("raw/a.html", title="Nový název", activities=["Jen jedna aktivita"])
    )
    result = load_folder(tmp_path, None)
    rid = record_id(a.source.path)
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 2)
    assert query(tmp_path, "SELECT title FROM projects WHERE record_id = ?", (rid,)) == [
        ("Nový název",)
    ]
    assert query(
        tmp_path, "SELECT position, value FROM activities WHERE record_id = ?", (rid,)
    ) == [(0, "Jen jedna aktivita")]
    assert (
        query(tmp_path, "SELECT * FROM activities WHERE record_id != ? ORDER BY 1, 2", (rid,))
        == others_before
    )
    stamps = dict(query(tmp_path, "SELECT record_id, loaded_at FROM projects"))
    assert stamps[rid] != "2000-01-01T00:00:00+00:00"
    assert {k for k, v in stamps.items() if v == "2000-01-01T00:00:00+00:00"} == set(before) - {rid}


def test_values_are_exact_and_round_trip(tmp_path: Path) -> None:
    """Amounts keep every digit; record_json gives the record back."""
    rec = make_record("raw/a.html")
    load_folder(write_records(tmp_path, rec), None)
    ((amount, start, valid, text),) = query(
        tmp_path,
        "SELECT subsidy_amount, period_start, registration_number_valid, record_json FROM projects",
    )
    assert (amount, start, valid) == ("3783392.50", "2019-01-01", 1)
    assert Record.model_validate_json(text) == rec
    assert query(tmp_path, "SELECT value, unit FROM results ORDER BY position") == [
        ("350", "podpořených osob"),
        ("2.5", "úvazku"),
    ]
    assert query(
        tmp_path, 'SELECT "end", items FROM evidence WHERE field = ?', ("activities",)
    ) == [(74, "[[50, 61], [63, 74]]")]


def test_injection_text_is_stored_verbatim(tmp_path: Path) -> None:
    """Page text only travels as bound parameters."""
    rec = make_record(
        f"raw/{INJECTION}.html", title=INJECTION, activities=[INJECTION, "a | b \\ c"]
    )
    load_folder(write_records(tmp_path, rec), None)
    assert query(tmp_path, "SELECT title, source_path FROM projects") == [
        (INJECTION, f"raw/{INJECTION}.html")
    ]
    assert [v for (v,) in query(tmp_path, "SELECT value FROM activities ORDER BY position")] == [
        INJECTION,
        "a | b \\ c",
    ]
    assert query(tmp_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'projects'") == [(1,)]


@dataclass(frozen=True)
class BadFile:
    """A broken record file and a word its reported reason must contain."""

    name: str
    content: str
    reason_word: str


BAD_FILES = [
    BadFile("truncated.json", '{"schema_version": "1", "source": {', "invalid"),
    BadFile("negative-amount.json", "", "subsidy"),
    BadFile("not-a-record.json", '{"hello": "world"}', "invalid"),
]


def test_invalid_files_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    """Invalid files are listed with file and reason, never silently skipped, never fatal."""
    good = make_record("raw/a.html")
    write_records(tmp_path, good)
    bad_amount = json.loads(good.to_json())
    bad_amount["subsidy"]["amount"] = "-5"
    for bad in BAD_FILES:
        content = bad.content or json.dumps(bad_amount)
        (tmp_path / bad.name).write_text(content, encoding="utf-8")
    (tmp_path / ".hidden.json").write_text("not json", encoding="utf-8")
    (tmp_path / "failures.jsonl").write_text("{}\n", encoding="utf-8")
    result = load_folder(tmp_path, None)
    reasons = {e.file: e.reason for e in result.errors}
    assert set(reasons) == {b.name for b in BAD_FILES}
    for bad in BAD_FILES:
        assert bad.reason_word in reasons[bad.name], reasons[bad.name]
    assert result.inserted == 1
    assert "3 invalid files" in result.summary_line()


def _write_manifest(folder: Path, rows: list[tuple[str, str, str | None]]) -> None:
    """A synthetic batch manifest: (path, status, output) rows in the documented table."""
    con = sqlite3.connect(folder / ".manifest.sqlite")
    con.execute("DROP TABLE IF EXISTS pages")
    con.execute("""CREATE TABLE pages (path TEXT PRIMARY KEY, sha256 TEXT, extractor_version TEXT,
                   status TEXT CHECK(status IN ('ok', 'failed', 'stale')), output TEXT, reason TEXT,
                   message TEXT)""")
    con.executemany(
        "INSERT INTO pages (path, sha256, extractor_version, status, output) VALUES (?, '', '', ?, ?)",
        rows,
    )
    con.commit()
    con.close()


def test_stale_pages_are_marked_never_deleted(tmp_path: Path) -> None:
    """Stale by source path or by output file name; back to fresh when the manifest says ok."""
    a, b, c = three_records()
    write_records(tmp_path, a, b, c)
    _write_manifest(
        tmp_path,
        [
            ("raw/a.html", "stale", file_name(a)),
            ("elsewhere/b.html", "stale", file_name(b)),
            ("raw/c.html", "ok", file_name(c)),
        ],
    )
    result = load_folder(tmp_path, None)
    stale = dict(query(tmp_path, "SELECT source_path, stale FROM projects"))
    assert stale == {"raw/a.html": 1, "raw/b.html": 1, "raw/c.html": 0}
    assert result.stale == 2
    _write_manifest(tmp_path, [("raw/a.html", "ok", file_name(a))])
    load_folder(tmp_path, None)
    assert dict(query(tmp_path, "SELECT source_path, stale FROM projects")) == {
        "raw/a.html": 0,
        "raw/b.html": 0,
        "raw/c.html": 0,
    }


def test_unreadable_manifest_is_reported(tmp_path: Path) -> None:
    """A manifest without the pages table is an error in the result, the load goes on."""
    write_records(tmp_path, make_record("raw/a.html"))
    sqlite3.connect(tmp_path / ".manifest.sqlite").close()
    result = load_folder(tmp_path, None)
    assert [e.file for e in result.errors] == [".manifest.sqlite"]
    assert result.inserted == 1


def test_group_view_and_duplicate_marks(tmp_path: Path) -> None:
    """Pages of one project are grouped and marked, never dropped."""
    a, b, c = three_records()
    load_folder(write_records(tmp_path, a, b, c), None)
    groups = query(tmp_path, "SELECT * FROM project_groups ORDER BY registration_number_value")
    ra, rb = record_id("raw/a.html"), record_id("raw/b.html")
    assert groups == [
        ("CZ.02.1.01/0.0/0.0/17_048/0007777", 1, record_id("raw/c.html"), "raw/c.html", 0, 0, 0),
        (
            "CZ.03.2.60/0.0/0.0/16_052/0001234",
            2,
            f"{ra} | {rb}",
            "raw/a.html | raw/b.html",
            1,
            0,
            0,
        ),
    ]
    marks = dict(query(tmp_path, "SELECT source_path, duplicate_of FROM projects"))
    assert marks == {"raw/a.html": None, "raw/b.html": ra, "raw/c.html": None}
    assert query(tmp_path, "SELECT COUNT(*) FROM projects") == [(3,)]


# --- migrations ----------------------------------------------------------------------------


def _sql(folder: Path, *statements: str) -> None:
    """Run statements against the folder's database (to simulate older schemas)."""
    con = sqlite3.connect(folder / "records.sqlite")
    for stmt in statements:
        con.execute(stmt)
    con.commit()
    con.close()


def test_older_schema_version_is_migrated(tmp_path: Path) -> None:
    """An older schema_version runs the migration steps, it does not crash."""
    load_folder(write_records(tmp_path, make_record("raw/a.html")), None)
    _sql(tmp_path, "UPDATE schema_meta SET schema_version = '0'", "DROP VIEW project_groups")
    load_folder(tmp_path, None)
    assert query(tmp_path, "SELECT schema_version FROM schema_meta") == [("1",)]
    assert query(tmp_path, "SELECT record_count FROM project_groups") == [(1,)]


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    """A database written by a newer pipeline is a clear usage error."""
    load_folder(write_records(tmp_path, make_record("raw/a.html")), None)
    _sql(tmp_path, "UPDATE schema_meta SET schema_version = '2'")
    with pytest.raises(UsageError, match="newer"):
        load_folder(tmp_path, None)


def test_missing_column_is_added_and_filled(tmp_path: Path) -> None:
    """A table from before a model gained a field gets the column, filled from record_json."""
    load_folder(write_records(tmp_path, make_record("raw/a.html")), None)
    _sql(
        tmp_path,
        "DROP VIEW project_groups",
        "DROP INDEX projects_registration_number",
        "ALTER TABLE projects DROP COLUMN summary",
        "ALTER TABLE projects DROP COLUMN period_end",
        "DROP TABLE locations",
        "UPDATE schema_meta SET ddl_hash = 'older'",
    )
    result = load_folder(tmp_path, None)
    assert result.unchanged == 1
    assert query(tmp_path, "SELECT summary, period_end FROM projects") == [
        ("Projekt rozvíjí sousedskou pomoc.", "2020-06-30")
    ]
    assert query(tmp_path, "SELECT COUNT(*) FROM locations") == [(0,)]
    assert query(tmp_path, "SELECT ddl_hash != 'older' FROM schema_meta") == [(1,)]


# --- URLs and the command line -------------------------------------------------------------

BAD_URLS = [
    ("mysql://localhost/db", "mysql"),
    ("records.sqlite", "records.sqlite"),
    ("sqlite://x", "sqlite"),
]


@pytest.mark.parametrize(("url", "named"), BAD_URLS, ids=[u for u, _ in BAD_URLS])
def test_unsupported_url_is_a_usage_error(tmp_path: Path, url: str, named: str) -> None:
    """Anything but sqlite:/// and postgresql:// names the problem."""
    write_records(tmp_path, make_record("raw/a.html"))
    with pytest.raises(UsageError, match=named):
        load_folder(tmp_path, url)


def test_explicit_sqlite_url(tmp_path: Path) -> None:
    """sqlite:///path loads into that file."""
    target = tmp_path / "elsewhere.sqlite"
    result = load_folder(
        write_records(tmp_path / "s", make_record("raw/a.html")), f"sqlite:///{target}"
    )
    assert result.inserted == 1
    assert sqlite3.connect(target).execute("SELECT COUNT(*) FROM projects").fetchone() == (1,)


def test_cli_load_prints_the_summary(tmp_path: Path) -> None:
    """`python -m pipeline load DIR` loads and prints one line."""
    write_records(tmp_path, make_record("raw/a.html"))
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["load", str(tmp_path)])
    assert code == 0
    assert "1 new" in out.getvalue()


LIST_CELLS = [
    ("plain", ["Senioři", "Děti"], "Senioři | Děti"),
    ("pipe inside an item", ["a | b", "c"], "a \\| b | c"),
    ("backslash inside an item", ["C:\\data", "x"], "C:\\\\data | x"),
    ("empty list", [], ""),
]


@pytest.mark.parametrize(
    ("items", "cell"), [c[1:] for c in LIST_CELLS], ids=[c[0] for c in LIST_CELLS]
)
def test_list_cells_round_trip(items: list[str], cell: str) -> None:
    """join_list escapes so that split_list gives the items back."""
    assert join_list(items) == cell
    assert split_list(cell) == items
