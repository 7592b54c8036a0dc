"""The published JSON Schema of a record, generated from the Pydantic models.

The committed copy is ``pipeline/data/record.schema.json``; regenerate it after changing
``pipeline/records.py`` with::

    python -m pipeline schema > pipeline/data/record.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.records import SCHEMA_VERSION, Record

__all__ = ["SCHEMA_FILE", "SCHEMA_ID", "record_json_schema", "record_json_schema_text"]

SCHEMA_FILE = "record.schema.json"
SCHEMA_ID = f"https://eu-project-pipeline.invalid/schema/record/v{SCHEMA_VERSION}.json"


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of a record as serialised (amounts are strings, dates ISO)."""
    schema = Record.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"EU project record (schema_version {SCHEMA_VERSION})",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def record_json_schema_text() -> str:
    """The schema as deterministic JSON text with a trailing newline."""
    return json.dumps(record_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
