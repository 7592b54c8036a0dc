r"""Export a folder of records as one flat row per project: CSV, Parquet or JSON Lines.

Columns are ``record_id`` followed by the scalar columns of the ``projects`` table (the same
model-derived flattening as ``pipeline.output.db``: ``registration_number_value``,
``subsidy_amount``...) and then one column per list field (``partners``,
``goals_specific``, ``target_groups``, ``activities``, ``locations``, ``results``).

- List fields are joined with ``" | "``. Inside an item a backslash is written ``\\`` and a
  ``|`` is written ``\|``, so splitting on unescaped ``" | "`` gives the items back
  (``pipeline.output.db.split_list``). A result item is ``"<value> <unit>"``. A null list (the
  page does not say) is an empty cell in CSV and null in Parquet/JSON Lines; an empty list
  (the page says there are none) is an empty string.
- Amounts are exact decimal strings in CSV and JSON Lines, ``decimal128`` in Parquet (scale
  = the largest scale in the column); dates are ISO; booleans ``true``/``false`` in CSV.
- Rows are ordered by source path, so the same records give the same bytes.
- Evidence is not exported (it belongs to the database's evidence table).
- CSV only: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading ``'``, as OWASP advises for spreadsheet-bound CSV, so that
  a page's ``=HYPERLINK(…)`` is shown as text, never run as a formula. Amounts and dates
  are left alone (they are not page text); JSON Lines and Parquet keep every value as is.

An invalid record file stops the export with an error naming every bad file: a flat export
that silently lacks projects would be worse than none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pipeline.errors import NoRecordsError, UsageError
from pipeline.output.db import (
    child_rows,
    join_list,
    project_row,
    read_record_files,
    record_id,
    record_layout,
)
from pipeline.output.write import write_atomic
from pipeline.records import Record

__all__ = ["ExportFormat", "csv_safe", "export_columns", "export_folder", "export_rows"]

ExportFormat = Literal["csv", "parquet", "jsonl"]
_FORMATS = ("csv", "parquet", "jsonl")


def export_columns() -> list[str]:
    """Column names of the flat export in order."""
    layout = record_layout()
    return (
        ["record_id"]
        + [c.name for c in layout.model_columns]
        + [t.name for t in layout.children if t.key.name == "position"]
    )


def _item_text(values: tuple[Any, ...]) -> str:
    """One list item as text: model items are their column values joined by a space."""
    return " ".join(
        format(v, "f") if isinstance(v, Decimal) else str(v) for v in values if v is not None
    )


def _flat(record: Record) -> dict[str, Any]:
    """One flat row: typed scalars plus joined list cells."""
    row: dict[str, Any] = {"record_id": record_id(record.source.record_key), **project_row(record)}
    for table in record_layout().children:
        if table.key.name != "position":
            continue
        rows = child_rows(record, table)
        missing = not rows and _is_null_list(record, table.path)
        row[table.name] = None if missing else join_list(_item_text(r[1:]) for r in rows)
    return row


def _is_null_list(record: Record, path: tuple[str, ...]) -> bool:
    """Whether a list field is null (the page does not say) rather than empty."""
    obj: Any = record
    for name in path:
        if obj is None:
            return True
        obj = getattr(obj, name)
    return obj is None


def export_rows(structured: Path) -> list[dict[str, Any]]:
    """The flat rows of every record in a folder, ordered by source path."""
    records, errors = read_record_files(structured)
    if errors:
        listed = "; ".join(f"{e.file}: {e.reason}" for e in errors)
        raise UsageError(f"{structured}: {len(errors)} record files cannot be exported: {listed}")
    rows = [_flat(rec) for _, rec in records]
    rows.sort(key=lambda r: (r["source_path"], r["record_id"]))
    return rows


def _text(value: Any) -> Any:
    """A value for CSV/JSON text: exact decimals, ISO dates."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# Spreadsheets read a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """A text cell a spreadsheet shows as text: formula starts get a leading apostrophe.

    >>> csv_safe("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> csv_safe("Obec Lhota")
    'Obec Lhota'
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _csv_bytes(rows: list[dict[str, Any]], columns: list[str], *, excel: bool = False) -> bytes:
    """CSV with a header; empty cell for null, true/false for booleans.

    ``excel``: what a spreadsheet opened by double-click reads right in a Czech (and most
    continental) locale: a UTF-8 byte-order mark (else the text is read as windows-1250),
    ``;`` between cells (the list separator where the decimal mark is a comma) and CRLF.
    """
    buf = io.StringIO()
    if excel:
        buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=";" if excel else ",",
                        lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for name in columns:
            v = row[name]
            if isinstance(v, str):
                cells.append(csv_safe(v))
                continue
            cells.append(
                "" if v is None else ("true" if v is True else "false" if v is False else _text(v))
            )
        writer.writerow(cells)
    return buf.getvalue().encode("utf-8")


def _jsonl_bytes(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """One JSON object per line, keys in column order."""
    lines = [json.dumps({c: _text(row[c]) for c in columns}, ensure_ascii=False) for row in rows]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def _parquet_bytes(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """Parquet with typed columns (decimal128, date32, bool, string)."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - pyarrow is an optional extra
        raise UsageError(
            "Parquet export needs pyarrow: pip install 'eu-project-pipeline[parquet]'"
        ) from exc
    types = {c.name: c.type for c in record_layout().model_columns}
    fields, arrays = [], []
    for name in columns:
        values = [row[name] for row in rows]
        kind = types.get(name, "text")
        if kind == "numeric":
            scale = max([max(-v.as_tuple().exponent, 0) for v in values if v is not None] or [2])
            pa_type = pa.decimal128(38, scale)
        elif kind == "date":
            pa_type = pa.date32()
        elif kind == "boolean":
            pa_type = pa.bool_()
        elif kind == "integer":
            pa_type = pa.int64()
        else:
            pa_type = pa.string()
        fields.append(pa.field(name, pa_type))
        arrays.append(pa.array(values, type=pa_type))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def export_folder(
    structured: Path, fmt: ExportFormat, out: Path | None, *, excel: bool = False
) -> Path:
    """Write the flat export of a folder; default ``<structured>/export.<fmt>``; returns the path.

    Raises NoRecordsError when the folder holds no record files (an empty export would
    look like a successful one); ``excel`` writes CSV for spreadsheets (see ``_csv_bytes``).
    """
    if fmt not in _FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(_FORMATS)}")
    out = out or structured / f"export.{fmt}"
    rows = export_rows(structured)
    if not rows:
        raise NoRecordsError(f"{structured} holds no record files: nothing was exported")
    columns = export_columns()
    if fmt == "csv":
        data = _csv_bytes(rows, columns, excel=excel)
    else:
        data = {"jsonl": _jsonl_bytes, "parquet": _parquet_bytes}[fmt](rows, columns)
    # Through the one atomic writer: readers never see half an export, and it gets the
    # record files' permissions (0666 minus the umask), not mkstemp's 0600.
    write_atomic(out, data, parents=True)
    return out
