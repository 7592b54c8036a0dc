"""Confidence of an extracted value: the measured precision of the rule that found it.

The table (``data/confidence.json``) holds, per record field and evidence method, the
precision that method reached on annotated pages, smoothed towards the field's precision
so that a rule seen a few times is not trusted blindly. ``scripts/calibrate.py`` writes it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pipeline.vocab import load_data

__all__ = ["confidence_of"]


@cache
def _table() -> tuple[float, dict[str, dict[str, float]]]:
    """The default confidence and the per-field tables, parsed once."""
    data: dict[str, Any] = load_data("confidence.json")
    return float(data["default"]), {k: dict(v) for k, v in data["fields"].items()}


def confidence_of(field: str, method: str) -> float:
    """How far a value of ``field`` found by ``method`` can be trusted, 0.0–1.0.

    >>> 0.0 <= confidence_of("title", "label") <= 1.0
    True
    """
    default, fields = _table()
    by_method = fields.get(field)
    if by_method is None:
        return default
    return by_method.get(method, by_method.get("_field", default))
