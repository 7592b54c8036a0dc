"""Pydantic models of a project record; they serialise exactly to the record contract.

``schema_version`` "1" is the shape in ``shared/CONTRACT.md``: null means the page does
not say, ``[]`` means the page says there are none, amounts are decimal strings and
dates ISO. Every extracted value has an ``evidence`` entry under the same key.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from pipeline.vocab import load_data

__all__ = [
    "EVIDENCE_METHODS",
    "PAGE_KINDS",
    "SCHEMA_VERSION",
    "SEVERAL_PROJECTS",
    "Amount",
    "Beneficiary",
    "Evidence",
    "EvidenceMethod",
    "Goals",
    "PageKind",
    "Period",
    "PriorityAxis",
    "Programme",
    "Record",
    "RegistrationNumber",
    "Result",
    "Source",
]

SCHEMA_VERSION: Final = "1"

# Decimals serialise as plain strings ("3783392.50"), never as floats or exponents.
DecimalStr = Annotated[Decimal, PlainSerializer(lambda d: format(d, "f"), return_type=str)]
NonEmptyStr = Annotated[str, Field(min_length=1)]

# How a value was found: one name per rule, listed with what it means in data/methods.json.
EvidenceMethod = str
EVIDENCE_METHODS: Final[frozenset[str]] = frozenset(load_data("methods.json")["methods"])
# Whether the page describes a project at all ("several-projects" is reserved for pages
# listing more than one; records of one page then say which they are).
PageKind = Literal["project", "not-project", "several-projects"]
# The page_kind of each record of a page that describes several projects.
SEVERAL_PROJECTS: Final = "several-projects"
PAGE_KINDS: Final[tuple[str, ...]] = ("project", "not-project", "several-projects")


class _Model(BaseModel):
    """Strict base: unknown keys are an error, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _unset(value: object) -> bool:
    """Whether an optional addition is unset (and so left out of the JSON)."""
    return value is None


class Source(_Model):
    """Where the record came from."""

    path: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    format: Literal["html", "text"]
    encoding: str
    url: str | None = None
    page_title: str | None = None
    # "full", or "fallback" when the full cleaning would have lost the HTML page's
    # content; None for text pages.
    cleaning: Literal["full", "fallback"] | None = None
    # For a record of one of several projects on one page: its place (1-based, page
    # order) and how many the page describes. Left out of records of one-project pages,
    # which stay byte-identical to those written before these keys existed.
    project_index: Annotated[int | None, Field(ge=1, exclude_if=_unset)] = None
    projects_on_page: Annotated[int | None, Field(ge=2, exclude_if=_unset)] = None

    @property
    def record_key(self) -> str:
        """What tells this record apart: the page's path, plus the project's place on a page of several."""
        if self.project_index is None:
            return self.path
        return f"{self.path}#project-{self.project_index}"

    @model_validator(mode="after")
    def _index_within_count(self) -> Source:
        """Both keys or neither, and the index within the count."""
        if (self.project_index is None) != (self.projects_on_page is None):
            raise ValueError("project_index and projects_on_page go together")
        if self.project_index is not None and self.projects_on_page is not None \
                and self.project_index > self.projects_on_page:
            raise ValueError("project_index is beyond projects_on_page")
        return self


class RegistrationNumber(_Model):
    """A project registration number as printed, with what its code says."""

    value: NonEmptyStr
    programme_code: str | None = None
    programming_period: str | None = None
    call: str | None = None
    valid: bool

    @field_validator("value")
    @classmethod
    def _no_whitespace(cls, v: str) -> str:
        """Registration numbers are stored without white space."""
        if re.search(r"\s", v):
            raise ValueError("registration number must not contain white space")
        return v


class Programme(_Model):
    """The operational programme funding the project."""

    name: NonEmptyStr
    abbreviation: str | None = None


class PriorityAxis(_Model):
    """Priority axis (prioritní osa) of the programme."""

    number: str | None = None
    name: str | None = None


class Beneficiary(_Model):
    """The organisation carrying out the project."""

    name: NonEmptyStr
    ico: Annotated[str, Field(pattern=r"^\d{8}$")] | None = None


class Period(_Model):
    """Implementation period; either end may be unknown."""

    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        """Start must not be after end."""
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"period start {self.start} is after end {self.end}")
        return self


class Amount(_Model):
    """A money amount as an exact decimal with its currency."""

    amount: DecimalStr
    currency: Literal["CZK", "EUR"]

    @field_validator("amount")
    @classmethod
    def _non_negative(cls, v: Decimal) -> Decimal:
        """Amounts are never negative."""
        if v < 0:
            raise ValueError("amount must not be negative")
        return v


class Goals(_Model):
    """Main goal and specific goals."""

    main: str | None = None
    specific: list[NonEmptyStr] | None = None


class Result(_Model):
    """A quantified result, e.g. 350 podpořených osob."""

    value: DecimalStr
    unit: NonEmptyStr


class Evidence(_Model):
    """Where a value was read: the text and its offsets in the cleaned text."""

    text: str
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    method: Annotated[EvidenceMethod, Field(json_schema_extra={"enum": sorted(EVIDENCE_METHODS)})]
    # For list fields: one span per item, in the order of the items.
    items: list[tuple[int, int]] | None = None
    # The measured precision of this (field, method) on annotated pages (data/confidence.json).
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        """Only the method names listed in data/methods.json."""
        if value not in EVIDENCE_METHODS:
            raise ValueError(f"unknown evidence method {value!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        """Offsets must form a range."""
        if self.start > self.end:
            raise ValueError("evidence start is after end")
        return self


class Record(_Model):
    """One project page turned into data."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    extractor_version: str
    source: Source
    # Optional within schema_version "1": absent or null in records written before it.
    page_kind: PageKind | None = None
    title: NonEmptyStr | None = None
    registration_number: RegistrationNumber | None = None
    programme: Programme | None = None
    priority_axis: PriorityAxis | None = None
    beneficiary: Beneficiary | None = None
    partners: list[NonEmptyStr] | None = None
    period: Period | None = None
    subsidy: Amount | None = None
    total_cost: Amount | None = None
    goals: Goals | None = None
    target_groups: list[NonEmptyStr] | None = None
    activities: list[NonEmptyStr] | None = None
    locations: list[NonEmptyStr] | None = None
    results: list[Result] | None = None
    summary: NonEmptyStr | None = None
    evidence: dict[str, Evidence] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _evidence_for_values(self) -> Record:
        """Every evidence key names a field of the record that has a value."""
        for key in self.evidence:
            if key not in FIELD_NAMES:
                raise ValueError(f"evidence for unknown field {key!r}")
            if getattr(self, key) is None:
                raise ValueError(f"evidence for {key!r} but the field is null")
        return self

    def to_json(self) -> str:
        """Serialise deterministically: same record, same bytes."""
        return self.model_dump_json(indent=2) + "\n"


FIELD_NAMES: tuple[str, ...] = (
    "title",
    "registration_number",
    "programme",
    "priority_axis",
    "beneficiary",
    "partners",
    "period",
    "subsidy",
    "total_cost",
    "goals",
    "target_groups",
    "activities",
    "locations",
    "results",
    "summary",
)
