"""Loading into PostgreSQL, and the same answers as SQLite for the same records.

Needs a server: set PIPELINE_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres; ``scripts/ci_postgres.sh`` sets one up on a
test machine). Every test works in its own fresh schema, dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_db import INJECTION, make_record, query, three_records, write_records

from pipeline.errors import UsageError
from pipeline.output import db as db_module
from pipeline.output.db import LoadResult, load_folder, record_id
from pipeline.records import Amount, Programme, Record

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get(
    "PIPELINE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TABLES = (
    "projects",
    "partners",
    "goals_specific",
    "target_groups",
    "activities",
    "locations",
    "results",
    "evidence",
)

Query = Callable[..., list[tuple[Any, ...]]]


@pytest.fixture
def pg() -> Iterator[tuple[str, Query]]:
    """A URL whose search_path is a fresh schema, and a query helper; the schema is dropped after."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg (the postgres extra) is not installed")
    try:
        admin = psycopg.connect(PG_URL, connect_timeout=3, autocommit=True)
    except psycopg.Error as exc:
        pytest.skip(
            f"no PostgreSQL reachable at {PG_URL} ({type(exc).__name__}); "
            "run scripts/ci_postgres.sh or set PIPELINE_TEST_POSTGRES_URL"
        )
    schema = f"pipeline_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"

    def run(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query inside the test schema."""
        with psycopg.connect(url, autocommit=True) as con:
            cur = con.execute(sql, params or None)
            return list(cur.fetchall()) if cur.description else []

    try:
        yield url, run
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def _snapshot(run: Query) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: to see exactly what a load touched."""
    return {t: sorted(run(f'SELECT * FROM "{t}"'), key=repr) for t in TABLES}


def _counts(result: LoadResult) -> tuple[int, ...]:
    """The numbers of a load result."""
    return (
        result.read,
        result.inserted,
        result.updated,
        result.unchanged,
        result.stale,
        result.duplicates,
    )


def test_load_twice_changes_nothing(tmp_path: Path, pg: tuple[str, Query]) -> None:
    """The second load of the same records touches no row."""
    url, run = pg
    write_records(tmp_path, *three_records())
    assert _counts(load_folder(tmp_path, url)) == (3, 3, 0, 0, 0, 1)
    before = _snapshot(run)
    assert _counts(load_folder(tmp_path, url)) == (3, 0, 0, 3, 0, 1)
    assert _snapshot(run) == before


def test_changed_record_changes_only_its_rows(tmp_path: Path, pg: tuple[str, Query]) -> None:
    """Upsert on record_id; child rows replaced for that record only."""
    url, run = pg
    write_records(tmp_path, *three_records())
    load_folder(tmp_path, url)
    before = _snapshot(run)
    changed = make_record(
        "raw/a.html", subsidy=Amount(amount=Decimal("10.05"), currency="EUR"), locations=[]
    )
    write_records(tmp_path, changed)
    assert _counts(load_folder(tmp_path, url))[1:4] == (0, 1, 2)
    after = _snapshot(run)
    rid = record_id("raw/a.html")
    for table in TABLES:
        assert [r for r in after[table] if r[0] != rid] == [
            r for r in before[table] if r[0] != rid
        ], table
    assert run(
        "SELECT subsidy_amount, subsidy_currency FROM projects WHERE record_id = %s", (rid,)
    ) == [(Decimal("10.05"), "EUR")]
    assert run("SELECT COUNT(*) FROM locations WHERE record_id = %s", (rid,)) == [(0,)]
    assert (
        Record.model_validate(
            run("SELECT record_json FROM projects WHERE record_id = %s", (rid,))[0][0]
        )
        == changed
    )


def test_injection_text_is_stored_verbatim(tmp_path: Path, pg: tuple[str, Query]) -> None:
    """Page text only travels as bound parameters."""
    url, run = pg
    rec = make_record(
        f"raw/{INJECTION}.html", title=INJECTION, activities=[INJECTION, "100 % | více"]
    )
    load_folder(write_records(tmp_path, rec), url)
    assert run("SELECT title, source_path FROM projects") == [(INJECTION, f"raw/{INJECTION}.html")]
    assert run("SELECT value FROM activities ORDER BY position") == [
        (INJECTION,),
        ("100 % | více",),
    ]


def test_schema_migrations(tmp_path: Path, pg: tuple[str, Query]) -> None:
    """Missing columns are added and filled; a newer schema_version is refused."""
    url, run = pg
    load_folder(write_records(tmp_path, make_record("raw/a.html")), url)
    run("ALTER TABLE projects DROP COLUMN summary CASCADE")
    run("UPDATE schema_meta SET ddl_hash = 'older'")
    load_folder(tmp_path, url)
    assert run("SELECT summary FROM projects") == [("Projekt rozvíjí sousedskou pomoc.",)]
    assert run("SELECT record_count FROM project_groups") == [(1,)]
    run("UPDATE schema_meta SET schema_version = '2'")
    with pytest.raises(UsageError, match="newer"):
        load_folder(tmp_path, url)


# --- the same answers from both databases ---------------------------------------------------


def _parity_records() -> list[Record]:
    """Records covering two programmes, a shared registration number, nulls and Czech text."""
    a, b, c = three_records()
    d = make_record(
        "raw/ž/d.html",
        programme=Programme(name="Integrovaný regionální operační program"),
        subsidy=Amount(amount=Decimal("0.01"), currency="EUR"),
        period=None,
        results=[],
    )
    e = make_record("raw/e.html", subsidy=None, registration_number=None, title="Řízení | správa")
    return [a, b, c, d, e]


def _norm(value: Any) -> Any:
    """One representation for both drivers: decimals, dates and booleans as text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# Questions a downstream user asks; each SQL text runs unchanged on both databases.
PARITY_QUERIES = [
    (
        "projects per programme",
        "SELECT programme_name, COUNT(*) FROM projects GROUP BY programme_name",
    ),
    (
        "subsidies per currency (exact, summed in Python)",
        "SELECT subsidy_currency, subsidy_amount FROM projects WHERE subsidy_amount IS NOT NULL",
    ),
    ("group view", "SELECT * FROM project_groups"),
    ("duplicate marks", "SELECT source_path, duplicate_of, stale FROM projects"),
    (
        "child rows per table",
        " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in TABLES),
    ),
    ("results", "SELECT record_id, position, value, unit FROM results"),
    ("evidence", 'SELECT record_id, field, text, start, "end", method FROM evidence'),
    ("dates", "SELECT source_path, period_start, period_end FROM projects"),
]


def _answers(rows: list[tuple[Any, ...]], name: str) -> Any:
    """Normalised, order-independent answer; amounts summed exactly per currency."""
    normal = sorted((tuple(_norm(v) for v in row) for row in rows), key=repr)
    if name.startswith("subsidies"):
        sums: dict[str, Decimal] = {}
        for currency, amount in normal:
            sums[currency] = sums.get(currency, Decimal(0)) + Decimal(amount)
        return {k: format(v.normalize(), "f") for k, v in sums.items()}
    return normal


def test_sqlite_and_postgres_give_the_same_answers(tmp_path: Path, pg: tuple[str, Query]) -> None:
    """Same records, same answers, whichever database was chosen."""
    url, run = pg
    folder = write_records(tmp_path, *_parity_records())
    assert _counts(load_folder(folder, None)) == _counts(load_folder(folder, url))
    for name, sql in PARITY_QUERIES:
        assert _answers(query(folder, sql), name) == _answers(run(sql), name), name
    total = run("SELECT SUM(subsidy_amount) FROM projects WHERE subsidy_currency = 'CZK'")
    assert total == [(Decimal("11350177.50"),)]


# --- one bad record (issue 19; the SQLite cases are in test_hostile_two.py) -------------


def test_postgresql_load_leaves_out_one_bad_record(tmp_path: Path, pg: tuple[str, Query]) -> None:
    """PostgreSQL: the record with a NUL is reported, every other record is loaded."""
    url, run = pg
    good = make_record("stranky/a.html")
    bad = make_record("stranky/b.html", title="Projekt\x00Lipnice")
    folder = write_records(tmp_path / "out", good, bad)
    result = load_folder(folder, url)
    assert [e.file for e in result.errors] == ["stranky_b.html.json"]
    assert run("SELECT source_path FROM projects") == [("stranky/a.html",)]


def test_postgresql_value_refused_by_the_server_undoes_that_record_only(
    tmp_path: Path, pg: tuple[str, Query], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server-side refusal (a failed statement aborts the transaction) costs one record."""
    url, run = pg
    folder = write_records(tmp_path / "out", *(make_record(f"stranky/{n}.html") for n in "abc"))
    real_write = db_module._write_record

    def refused(conn: Any, file: str, rec: Record, *args: Any) -> None:
        """Page b's values make the server fail a statement after its projects row."""
        real_write(conn, file, rec, *args)
        if rec.source.path == "stranky/b.html":
            conn.execute("SELECT 1 / 0")

    monkeypatch.setattr(db_module, "_write_record", refused)
    result = load_folder(folder, url)
    assert [e.file for e in result.errors] == ["stranky_b.html.json"]
    assert run("SELECT source_path FROM projects ORDER BY 1") == [
        ("stranky/a.html",), ("stranky/c.html",)]
