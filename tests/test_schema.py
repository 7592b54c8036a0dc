"""The published JSON Schema: generated from the models, committed copy kept in sync."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from importlib import resources
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.records import SCHEMA_VERSION
from pipeline.schema import SCHEMA_FILE, record_json_schema, record_json_schema_text

REGENERATE = "python -m pipeline schema > pipeline/data/record.schema.json"


def test_committed_schema_matches_the_models() -> None:
    """The committed copy drifts from the models: regenerate it."""
    committed = resources.files("pipeline.data").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == record_json_schema_text(), (
        f"pipeline/data/{SCHEMA_FILE} is out of date with pipeline/records.py; regenerate: {REGENERATE}"
    )


def _prop(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    """A property of the schema by path, following $ref and nullable anyOf."""
    node = schema
    for name in path:
        node = node["properties"][name]
        options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
        node = options[0]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node


SCHEMA_FACTS = [
    ("amounts serialise as strings", ("subsidy", "amount"), "type", "string"),
    ("results are an array of Result", ("results",), "type", "array"),
    ("dates are ISO strings", ("period", "start"), "format", "date"),
    ("schema_version is pinned", ("schema_version",), "const", SCHEMA_VERSION),
    ("format is html or text", ("source", "format"), "enum", ["html", "text"]),
]


@pytest.mark.parametrize(
    ("path", "key", "expected"), [f[1:] for f in SCHEMA_FACTS], ids=[f[0] for f in SCHEMA_FACTS]
)
def test_schema_describes_the_serialised_shape(
    path: tuple[str, ...], key: str, expected: Any
) -> None:
    """Serialization mode: the schema says what the JSON files contain."""
    assert _prop(record_json_schema(), *path)[key] == expected


def test_schema_header_and_strictness() -> None:
    """$schema, $id and title are set; unknown keys are rejected like the models do."""
    schema = record_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert SCHEMA_VERSION in schema["$id"] and SCHEMA_VERSION in schema["title"]
    assert schema["additionalProperties"] is False
    assert _prop(schema, "results")["items"]["$ref"].endswith("/Result")
    assert schema["$defs"]["Result"]["properties"]["value"]["type"] == "string"


def test_schema_text_is_deterministic() -> None:
    """Sorted keys, real UTF-8, trailing newline: same models, same bytes."""
    text = record_json_schema_text()
    assert text.endswith("}\n")
    assert json.loads(text) == record_json_schema()
    assert text == record_json_schema_text()
    assert "\\u" not in text


def test_cli_schema_prints_the_text() -> None:
    """`python -m pipeline schema` prints exactly the committed text."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["schema"]) == 0
    assert out.getvalue() == record_json_schema_text()
