"""Evidence methods and confidence: every value says which rule found it and how far to trust it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.core import extract_bytes
from pipeline.evaluate import GoldPage, confidence_band, evaluate_records, format_methods
from pipeline.extract.confidence import confidence_of
from pipeline.records import EVIDENCE_METHODS, Evidence, Record, Source
from pipeline.settings import Settings

# Invented pages in the shapes the rules read: a label card and a prose page.
LABEL_CARD = (
    "Název projektu: Zahrada pro všechny\n"
    "Registrační číslo projektu: CZ.03.2.60/0.0/0.0/16_052/0001234\n"
    "Příjemce: Spolek Lipová, z. s.\n"
    "Doba realizace: 1. 1. 2019 – 31. 12. 2020\n"
    "Projekt je spolufinancován Evropskou unií.\n"
)


def test_every_method_in_the_registry_is_described() -> None:
    """data/methods.json gives each method a description, and the model accepts exactly those."""
    table = json.loads(resources.files("pipeline.data").joinpath("methods.json").read_text(encoding="utf-8"))
    assert set(table["methods"]) == EVIDENCE_METHODS
    assert all(isinstance(text, str) and text for text in table["methods"].values())


def test_an_unknown_method_is_refused() -> None:
    """A method that is not in the registry cannot reach a record."""
    with pytest.raises(ValidationError, match="unknown evidence method"):
        Evidence(text="x", start=0, end=1, method="guesswork")


def test_calibrated_methods_are_registered() -> None:
    """Every method the confidence table names is a registered method."""
    table = json.loads(resources.files("pipeline.data").joinpath("confidence.json").read_text(encoding="utf-8"))
    for methods in table["fields"].values():
        assert set(methods) - {"_field"} <= EVIDENCE_METHODS
        assert all(0.0 <= value <= 1.0 for value in methods.values())


def test_every_value_carries_its_confidence() -> None:
    """Each evidence entry of an extracted record has the confidence of its (field, method)."""
    record = extract_bytes(LABEL_CARD.encode(), "card.txt")
    assert record.title == "Zahrada pro všechny"
    assert record.evidence
    for name, evidence in record.evidence.items():
        assert evidence.confidence == confidence_of(name, evidence.method)


def test_min_confidence_leaves_weak_values_null() -> None:
    """Values below --min-confidence stay null; their evidence goes with them."""
    everything = extract_bytes(LABEL_CARD.encode(), "card.txt", Settings(min_confidence=0.0))
    nothing = extract_bytes(LABEL_CARD.encode(), "card.txt", Settings(min_confidence=1.01))
    assert everything.evidence and not nothing.evidence
    assert nothing.title is None and nothing.registration_number is None


@pytest.mark.parametrize(
    ("confidence", "band"),
    [(None, "none"), (0.99, "0.95-1.00"), (0.95, "0.95-1.00"), (0.91, "0.90-0.95"), (0.7, "0.60-0.80"), (0.1, "0.00-0.60")],
)
def test_confidence_bands(confidence: float | None, band: str) -> None:
    """Band labels cover 0–1 without gaps."""
    assert confidence_band(confidence) == band


def test_evaluate_counts_precision_per_method_and_band() -> None:
    """A right title and a wrong subsidy are counted under their own methods and bands."""
    record = Record(
        extractor_version="test",
        source=Source(path="page.html", sha256="0" * 64, format="html", encoding="utf-8"),
        title="Dílna řemesel",
        evidence={"title": Evidence(text="Dílna řemesel", start=0, end=13, method="quoted-name", confidence=0.97)},
    )
    gold = GoldPage(path=Path("gold/page.json"), file="raw/page.html", values={"title": "Dílna řemesel"})
    report = evaluate_records([(gold, record)])
    assert report.methods[("title", "quoted-name")].tp == 1
    assert report.methods[("title", "quoted-name")].fp == 0
    assert report.bands["0.95-1.00"].tp == 1
    assert "quoted-name" in format_methods(report)
