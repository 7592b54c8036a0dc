"""Flat export of a folder of records: CSV, Parquet, JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from test_db import INJECTION, make_record, query, write_records

from pipeline.errors import UsageError
from pipeline.output.db import load_folder, record_id, record_layout, split_list
from pipeline.output.export import export_columns, export_folder


def _folder(tmp_path: Path) -> Path:
    """Three synthetic records written out of source-path order, one with tricky lists."""
    return write_records(
        tmp_path,
        make_record("raw/z.html", subsidy=None),
        make_record("raw/a.html", activities=["Kurzy | semináře", "Poradna C:\\x"], partners=[]),
        make_record("raw/m.html", title=INJECTION, partners=None, results=None),
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV export."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_columns_are_the_projects_scalar_columns_plus_lists(tmp_path: Path) -> None:
    """Same flattening as the database: the model columns of projects, then list fields."""
    folder = _folder(tmp_path)
    load_folder(folder, None)
    db_columns = [r[0] for r in query(folder, "SELECT name FROM pragma_table_info('projects')")]
    model = [c.name for c in record_layout().model_columns]
    assert export_columns()[1 : 1 + len(model)] == model
    assert set(model) <= set(db_columns)
    assert export_columns()[1 + len(model) :] == [
        "partners",
        "goals_specific",
        "target_groups",
        "activities",
        "locations",
        "results",
    ]


def test_csv_rows_are_ordered_exact_and_escaped(tmp_path: Path) -> None:
    """Rows by source path, exact decimal strings, " | " joined lists with escapes."""
    out = export_folder(_folder(tmp_path), "csv", None)
    assert out == tmp_path / "export.csv"
    rows = _csv_rows(out)
    assert [r["source_path"] for r in rows] == ["raw/a.html", "raw/m.html", "raw/z.html"]
    first, middle, last = rows
    assert first["record_id"] == record_id("raw/a.html")
    assert first["subsidy_amount"] == "3783392.50" and last["subsidy_amount"] == ""
    assert first["period_start"] == "2019-01-01" and first["registration_number_valid"] == "true"
    assert first["activities"] == "Kurzy \\| semináře | Poradna C:\\\\x"
    assert split_list(first["activities"]) == ["Kurzy | semináře", "Poradna C:\\x"]
    assert first["results"] == "350 podpořených osob | 2.5 úvazku"
    assert middle["title"] == INJECTION


def test_null_and_empty_lists_differ_where_the_format_can_say_so(tmp_path: Path) -> None:
    """null (page does not say) vs [] (page says none): null vs "" in JSON Lines."""
    out = export_folder(_folder(tmp_path), "jsonl", tmp_path / "out" / "flat.jsonl")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["partners"] for r in rows] == ["", None, "Obec Dolní Lhota"]
    assert rows[0]["subsidy_amount"] == "3783392.50"
    assert list(rows[0]) == export_columns()


def test_parquet_keeps_decimals_exact(tmp_path: Path) -> None:
    """Amounts are decimal128 with every digit; dates and booleans typed."""
    pq = pytest.importorskip(
        "pyarrow.parquet", reason="pyarrow (the parquet extra) is not installed"
    )
    out = export_folder(_folder(tmp_path), "parquet", None)
    table = pq.read_table(out)
    assert str(table.schema.field("subsidy_amount").type) == "decimal128(38, 2)"
    assert str(table.schema.field("period_start").type) == "date32[day]"
    assert table.column("subsidy_amount").to_pylist() == [
        Decimal("3783392.50"),
        Decimal("3783392.50"),
        None,
    ]
    assert table.column("source_path").to_pylist() == ["raw/a.html", "raw/m.html", "raw/z.html"]
    assert table.column_names == export_columns()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_is_deterministic(tmp_path: Path, fmt: str) -> None:
    """Same records, same bytes."""
    folder = _folder(tmp_path)
    first = export_folder(folder, fmt, tmp_path / f"1.{fmt}").read_bytes()  # type: ignore[arg-type]
    second = export_folder(folder, fmt, tmp_path / f"2.{fmt}").read_bytes()  # type: ignore[arg-type]
    assert first == second


def test_invalid_record_stops_the_export_naming_the_file(tmp_path: Path) -> None:
    """A flat file silently missing projects would be worse than an error."""
    folder = _folder(tmp_path)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(UsageError, match="broken.json"):
        export_folder(folder, "csv", None)
