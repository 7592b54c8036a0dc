"""Tests of the evaluator: scoring rules, gold validation, page resolution and the CLI.

Scoring tests build Record objects directly and never run the extractor; only the CLI
tests at the end extract the synthetic pages in tests/fixtures/eval.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import GoldFormatError, PageError, UsageError
from pipeline.evaluate import (
    CORE_FIELDS,
    FIELDS,
    EvaluationReport,
    FieldScore,
    GoldPage,
    evaluate_folder,
    evaluate_records,
    format_errors,
    format_table,
    load_gold,
    pair_items,
    predictions_from_record,
    resolve_page,
    token_f1,
    tokens,
    values_match,
)
from pipeline.records import (
    Amount,
    Beneficiary,
    Evidence,
    Goals,
    Period,
    Programme,
    Record,
    RegistrationNumber,
    Source,
)
from pipeline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "eval"

HAS_CANONICAL_PROGRAMME = importlib.util.find_spec("pipeline.normalise.programmes") is not None
needs_canonical = pytest.mark.skipif(
    not HAS_CANONICAL_PROGRAMME,
    reason="pipeline.normalise.programmes.canonical_programme is not written yet",
)


def make_record(**fields: Any) -> Record:
    """A minimal valid record with the given fields set."""
    source = Source(path="page.html", sha256="0" * 64, format="html", encoding="utf-8")
    return Record(extractor_version="test", source=source, **fields)


def gold_page(**values: Any) -> GoldPage:
    """A GoldPage annotating exactly the given fields."""
    return GoldPage(path=Path("gold/page.json"), file="raw/page.html", values=values)


def counts(report: EvaluationReport, name: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of one field."""
    score = report.fields[name]
    return score.tp, score.fp, score.fn


# --------------------------------------------------------------------------- token F1


@dataclass(frozen=True)
class TokenF1Case:
    """Two texts and their token F1."""

    id: str
    predicted: str
    gold: str
    expected: float


TOKEN_F1_EXAMPLES = [
    TokenF1Case("identical", "Žáci základní školy", "Žáci základní školy", 1.0),
    TokenF1Case("case and punctuation ignored", "ŽÁCI, základní školy!", "žáci základní školy", 1.0),
    TokenF1Case("quotes are not tokens", "„Zahrada, která učí“", "Zahrada, která učí", 1.0),
    # 3 shared of 3 predicted and 4 gold: P 1, R 0.75 -> 6/7.
    TokenF1Case("prediction is a prefix", "Žáci základní školy", "Žáci základní školy Lhota", 6 / 7),
    TokenF1Case("nothing shared", "Projekty EU", "Zahrada, která učí", 0.0),
    TokenF1Case("diacritics matter", "zaci zakladni skoly", "žáci základní školy", 0.0),
    TokenF1Case("no tokens at all", "–", "–", 0.0),
    # Multisets: "a a b" vs "a b": overlap 2, P 2/3, R 1 -> 0.8.
    TokenF1Case("repeated words count", "den den noc", "den noc", 0.8),
]


@pytest.mark.parametrize("case", TOKEN_F1_EXAMPLES, ids=lambda c: c.id)
def test_token_f1(case: TokenF1Case) -> None:
    """Token F1 over casefolded \\w+ tokens, as the module docstring defines it."""
    assert token_f1(case.predicted, case.gold) == pytest.approx(case.expected)


def test_tokens_are_casefolded_word_runs() -> None:
    """Tokens keep digits and diacritics and drop punctuation."""
    assert tokens("CZ.03.2.65 – Výše dotace: 1 486") == ["cz", "03", "2", "65", "výše", "dotace", "1", "486"]


# --------------------------------------------------------------------------- scalar matching


@dataclass(frozen=True)
class MatchCase:
    """A predicted and a gold scalar of one field and whether they match."""

    id: str
    field: str
    predicted: str
    gold: str
    expected: bool


MATCH_EXAMPLES = [
    MatchCase("reg. number equal", "registration_number", "CZ.03.2.65/0.0/0.0/16_047/0011234", "CZ.03.2.65/0.0/0.0/16_047/0011234", True),
    MatchCase("reg. number white space ignored", "registration_number", "CZ.03.2.65/0.0/0.0/ 16_047/0011234", "CZ.03.2.65/0.0/0.0/16_047/0011234", True),
    MatchCase("reg. number is case-sensitive", "registration_number", "cz.03.2.65/0.0/0.0/16_047/0011234", "CZ.03.2.65/0.0/0.0/16_047/0011234", False),
    MatchCase("reg. number other digits", "registration_number", "CZ.03.2.65/0.0/0.0/16_047/0011235", "CZ.03.2.65/0.0/0.0/16_047/0011234", False),
    MatchCase("date equal", "period_start", "2019-01-01", "2019-01-01", True),
    MatchCase("date differs by a day", "period_end", "2021-06-29", "2021-06-30", False),
    MatchCase("amount integer vs two decimals", "subsidy_czk", "7691350", "7691350.00", True),
    MatchCase("amount one vs two decimals", "total_cost_czk", "3783392.5", "3783392.50", True),
    MatchCase("amount differs", "subsidy_czk", "7691351", "7691350.00", False),
    MatchCase("title case and white space folded", "title", "ZAHRADA,  která\nučí", "Zahrada, která učí", True),
    # 4 of 4 predicted tokens in 5 gold: P 1, R 0.8 -> F1 0.889 >= 0.8.
    MatchCase("title one word short", "title", "Dílna řemesel Nová Ves", "Dílna řemesel Nová Ves 2", True),
    # 2 of 2 predicted in 4 gold: R 0.5 -> F1 0.667 < 0.8.
    MatchCase("title half missing", "title", "Dílna řemesel", "Dílna řemesel pro Novou", False),
    MatchCase("generic heading is not the title", "title", "Projekty EU", "Zahrada, která učí", False),
    # "z. s." is two tokens: 3 of 5 gold tokens -> F1 0.75 < 0.8; the legal form counts.
    MatchCase("beneficiary without legal form", "beneficiary", "Spolek Řemeslný dvůr", "Spolek Řemeslný dvůr, z. s.", False),
    MatchCase("beneficiary without comma", "beneficiary", "Spolek Řemeslný dvůr z.s.", "Spolek Řemeslný dvůr, z. s.", True),
    # 4 of 4 predicted in 8 gold: R 0.5 -> F1 0.667: enough for main_goal (0.6) only.
    MatchCase("main goal two thirds", "main_goal", "zlepšit vzdělávání žáků prostřednictvím", "zlepšit přírodovědné vzdělávání žáků prostřednictvím školní zahrady učebny", True),
    MatchCase("title two thirds is not enough", "title", "zlepšit vzdělávání žáků prostřednictvím", "zlepšit přírodovědné vzdělávání žáků prostřednictvím školní zahrady učebny", False),
    MatchCase("programme folded equal", "programme", "operační program  ZAMĚSTNANOST", "Operační program Zaměstnanost", True),
    MatchCase("programme different", "programme", "Operační program Zaměstnanost", "Operační program Výzkum, vývoj a vzdělávání", False),
]

PROGRAMME_EQUIVALENCE = [
    pytest.param("OPZ", "Operační program Zaměstnanost", True, id="abbreviation", marks=needs_canonical),
    pytest.param("Operačního programu Zaměstnanost", "Operační program Zaměstnanost", True, id="genitive", marks=needs_canonical),
    pytest.param("OP VVV", "Operační program Zaměstnanost", False, id="other abbreviation", marks=needs_canonical),
]


@pytest.mark.parametrize("case", MATCH_EXAMPLES, ids=lambda c: c.id)
def test_values_match(case: MatchCase) -> None:
    """Scalar normalisation and thresholds of the README's scoring rules."""
    assert values_match(case.field, case.predicted, case.gold) is case.expected


@pytest.mark.parametrize(("predicted", "gold", "expected"), PROGRAMME_EQUIVALENCE)
def test_programme_equivalence(predicted: str, gold: str, expected: bool) -> None:
    """Abbreviations and inflected forms of a programme name the same programme."""
    assert values_match("programme", predicted, gold) is expected


# --------------------------------------------------------------------------- list pairing


@dataclass(frozen=True)
class PairingCase:
    """Predicted and gold items, a threshold and the expected (pred, gold) index pairs."""

    id: str
    predicted: list[str]
    gold: list[str]
    threshold: float
    expected: list[tuple[int, int]]


PAIRING_EXAMPLES = [
    PairingCase("same order", ["Tréninková dílna", "Poradenství"], ["Tréninková dílna", "Poradenství"], 0.7, [(0, 0), (1, 1)]),
    PairingCase("other order", ["Poradenství", "Tréninková dílna"], ["Tréninková dílna", "Poradenství"], 0.7, [(0, 1), (1, 0)]),
    PairingCase("one to one: a duplicate prediction pairs once", ["Poradenství", "poradenství"], ["Poradenství"], 0.7, [(0, 0)]),
    # The exact match (1.0) wins over the earlier, weaker candidate (0.8).
    PairingCase("best score first", ["den den noc", "den noc"], ["den noc"], 0.7, [(1, 0)]),
    PairingCase("below threshold", ["Vybudování venkovní učebny a jezírka u školy"], ["Vybudování učebny"], 0.7, []),
    # "Nová Ves" vs "Nová Ves u Lesa": P 1, R 0.5 -> 0.667: a location, not an activity.
    PairingCase("location threshold", ["Nová Ves"], ["Nová Ves u Lesa"], 0.5, [(0, 0)]),
    PairingCase("item threshold", ["Nová Ves"], ["Nová Ves u Lesa"], 0.7, []),
    PairingCase("no predictions", [], ["Poradenství"], 0.7, []),
]


@pytest.mark.parametrize("case", PAIRING_EXAMPLES, ids=lambda c: c.id)
def test_pair_items(case: PairingCase) -> None:
    """Items pair one to one, greedily by best similarity, above the threshold."""
    assert pair_items(case.predicted, case.gold, case.threshold) == case.expected


# --------------------------------------------------------------------------- counting


@dataclass(frozen=True)
class ScoringCase:
    """Record fields, one gold field's value and the expected (tp, fp, fn) for it."""

    id: str
    record: dict[str, Any]
    field: str
    gold: Any
    expected: tuple[int, int, int]


REG = "CZ.03.2.65/0.0/0.0/16_047/0011234"

SCORING_EXAMPLES = [
    ScoringCase("scalar right", {"title": "Dílna řemesel"}, "title", "Dílna řemesel", (1, 0, 0)),
    ScoringCase("scalar wrong: fp and fn", {"title": "Projekty EU"}, "title", "Dílna řemesel", (0, 1, 1)),
    ScoringCase("scalar missing: fn", {}, "title", "Dílna řemesel", (0, 0, 1)),
    ScoringCase("scalar where gold is null: fp", {"title": "Projekty EU"}, "title", None, (0, 1, 0)),
    ScoringCase("both null: nothing", {}, "title", None, (0, 0, 0)),
    ScoringCase(
        "reg. number value",
        {"registration_number": RegistrationNumber(value=REG, valid=True)},
        "registration_number",
        REG,
        (1, 0, 0),
    ),
    ScoringCase("programme name", {"programme": Programme(name="Operační program Zaměstnanost")}, "programme", "Operační program Zaměstnanost", (1, 0, 0)),
    ScoringCase("beneficiary name", {"beneficiary": Beneficiary(name="Spolek Řemeslný dvůr, z. s.")}, "beneficiary", "Spolek Řemeslný dvůr, z. s.", (1, 0, 0)),
    ScoringCase("period start", {"period": Period(start=dt.date(2019, 1, 1))}, "period_start", "2019-01-01", (1, 0, 0)),
    ScoringCase("period end missing", {"period": Period(start=dt.date(2019, 1, 1))}, "period_end", "2021-06-30", (0, 0, 1)),
    ScoringCase("subsidy CZK", {"subsidy": Amount(amount=Decimal(4037500), currency="CZK")}, "subsidy_czk", "4037500.00", (1, 0, 0)),
    ScoringCase("subsidy in EUR is no CZK prediction", {"subsidy": Amount(amount=Decimal(150000), currency="EUR")}, "subsidy_czk", "3750000", (0, 0, 1)),
    ScoringCase("total cost CZK where gold is null", {"total_cost": Amount(amount=Decimal(1), currency="CZK")}, "total_cost_czk", None, (0, 1, 0)),
    ScoringCase("main goal", {"goals": Goals(main="podpořit uplatnění osob na trhu práce")}, "main_goal", "podpořit uplatnění osob na trhu práce", (1, 0, 0)),
    ScoringCase("list all paired", {"activities": ["Tréninková dílna", "Poradenství"]}, "activities", ["Poradenství", "Tréninková dílna"], (2, 0, 0)),
    ScoringCase("list one missing", {"activities": ["Tréninková dílna"]}, "activities", ["Tréninková dílna", "Poradenství"], (1, 0, 1)),
    ScoringCase("list one extra", {"target_groups": ["Senioři", "Rodiče"]}, "target_groups", ["Senioři"], (1, 1, 0)),
    ScoringCase("gold [] and prediction []", {"partners": []}, "partners", [], (0, 0, 0)),
    ScoringCase("gold null and prediction []", {"partners": []}, "partners", None, (0, 0, 0)),
    ScoringCase("gold [] and prediction null", {}, "partners", [], (0, 0, 0)),
    ScoringCase("gold [] and predicted items: each fp", {"partners": ["Obec Nová Ves"]}, "partners", [], (0, 1, 0)),
    ScoringCase("gold null and predicted items: each fp", {"locations": ["Praha", "Brno"]}, "locations", None, (0, 2, 0)),
    ScoringCase("gold items and prediction null: each fn", {}, "target_groups", ["Senioři", "Rodiče"], (0, 0, 2)),
    ScoringCase("location at the looser threshold", {"locations": ["Nová Ves"]}, "locations", ["Nová Ves u Lesa"], (1, 0, 0)),
]


@pytest.mark.parametrize("case", SCORING_EXAMPLES, ids=lambda c: c.id)
def test_scoring_counts(case: ScoringCase) -> None:
    """Per field tp/fp/fn as corpus/README.md 'Scoring' defines them."""
    report = evaluate_records([(gold_page(**{case.field: case.gold}), make_record(**case.record))])
    assert counts(report, case.field) == case.expected


def test_unannotated_field_is_not_scored() -> None:
    """A key missing from the gold file costs nothing, whatever was extracted."""
    report = evaluate_records([(gold_page(title="Dílna řemesel"), make_record(title="Dílna řemesel", locations=["Praha"]))])
    assert counts(report, "locations") == (0, 0, 0)
    assert counts(report, "title") == (1, 0, 0)


def test_failed_page_predicts_nothing() -> None:
    """A page without a record (PageError) counts its gold values as misses."""
    report = evaluate_records([(gold_page(title="Dílna řemesel", partners=None, activities=["A", "B"]), None)])
    assert counts(report, "title") == (0, 0, 1)
    assert counts(report, "activities") == (0, 0, 2)
    assert counts(report, "partners") == (0, 0, 0)


def test_counts_sum_over_pages_and_core_is_micro_average() -> None:
    """Counts add up over pages; core sums tp/fp/fn over the core fields only."""
    pages = [
        (gold_page(title="A b c", total_cost_czk="5"), make_record(title="A b c")),
        (gold_page(title="D e f", subsidy_czk="10"), make_record(title="X y z", subsidy=Amount(amount=Decimal(10), currency="CZK"))),
    ]
    report = evaluate_records(pages)
    assert counts(report, "title") == (1, 1, 1)
    assert counts(report, "total_cost_czk") == (0, 0, 1)  # not a core field
    core = report.core
    assert (core.tp, core.fp, core.fn) == (2, 1, 1)
    assert report.pages_evaluated == 2
    assert "total_cost_czk" not in CORE_FIELDS


@dataclass(frozen=True)
class FieldScoreCase:
    """Counts and the precision, recall and F1 they give."""

    id: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


FIELD_SCORE_EXAMPLES = [
    FieldScoreCase("perfect", 3, 0, 0, 1.0, 1.0, 1.0),
    FieldScoreCase("nothing predicted, nothing to find", 0, 0, 0, 1.0, 1.0, 1.0),
    FieldScoreCase("nothing predicted, something to find", 0, 0, 4, 1.0, 0.0, 0.0),
    FieldScoreCase("everything wrong", 0, 2, 2, 0.0, 0.0, 0.0),
    FieldScoreCase("mixed", 3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
]


@pytest.mark.parametrize("case", FIELD_SCORE_EXAMPLES, ids=lambda c: c.id)
def test_field_score(case: FieldScoreCase) -> None:
    """Precision and recall are 1.0 on an empty denominator; F1 is their harmonic mean."""
    score = FieldScore(case.tp, case.fp, case.fn)
    assert (score.precision, score.recall, score.f1) == pytest.approx((case.precision, case.recall, case.f1))


def test_predictions_from_record_maps_every_field() -> None:
    """The Record → gold field mapping of the brief."""
    record = make_record(
        title="Dílna řemesel",
        registration_number=RegistrationNumber(value=REG, valid=True),
        programme=Programme(name="Operační program Zaměstnanost", abbreviation="OPZ"),
        beneficiary=Beneficiary(name="Spolek"),
        period=Period(start=dt.date(2019, 1, 1), end=dt.date(2021, 6, 30)),
        subsidy=Amount(amount=Decimal("4037500.00"), currency="CZK"),
        total_cost=Amount(amount=Decimal(4250000), currency="CZK"),
        target_groups=["Senioři"],
        activities=["Dílna"],
        goals=Goals(main="podpořit"),
        locations=["Nová Ves"],
        partners=[],
    )
    assert predictions_from_record(record) == {
        "title": "Dílna řemesel",
        "registration_number": REG,
        "programme": "Operační program Zaměstnanost",
        "beneficiary": "Spolek",
        "period_start": "2019-01-01",
        "period_end": "2021-06-30",
        "subsidy_czk": "4037500.00",
        "total_cost_czk": "4250000",
        "target_groups": ["Senioři"],
        "activities": ["Dílna"],
        "main_goal": "podpořit",
        "locations": ["Nová Ves"],
        "partners": [],
    }
    assert predictions_from_record(None) == dict.fromkeys(FIELDS)


# --------------------------------------------------------------------------- mismatches and output


def mixed_report() -> EvaluationReport:
    """A report with a wrong title (with evidence), a missing date and list errors."""
    record = make_record(
        title="Projekty EU",
        activities=["Tréninková dílna", "Exkurze"],
        evidence={"title": Evidence(text="Projekty EU", start=0, end=11, method="heading")},
    )
    gold = gold_page(title="Dílna řemesel", period_start="2019-01-01", activities=["Tréninková dílna", "Poradenství"])
    return evaluate_records([(gold, record)])


def test_mismatches_name_page_field_values_and_evidence() -> None:
    """Each disagreement is listed with both values and the record's evidence text."""
    mismatches = {m.field: m for m in mixed_report().mismatches}
    assert set(mismatches) == {"title", "period_start", "activities"}
    title = mismatches["title"]
    assert (title.page, title.kind, title.extracted, title.gold, title.evidence) == (
        "raw/page.html",
        "wrong",
        "Projekty EU",
        "Dílna řemesel",
        "Projekty EU",
    )
    assert (mismatches["period_start"].kind, mismatches["period_start"].extracted) == ("missing", None)
    # Lists show only the unpaired items of each side.
    assert (mismatches["activities"].extracted, mismatches["activities"].gold) == (["Exkurze"], ["Poradenství"])


def test_to_json_is_deterministic_and_complete() -> None:
    """Same report, same bytes; every field, core, pages, failures and mismatches."""
    report = mixed_report()
    text = report.to_json()
    assert text == mixed_report().to_json()
    data = json.loads(text)
    assert set(data) == {
        "core", "core_fields", "failures", "fields", "mismatches", "pages_evaluated", "methods", "confidence_bands"
    }
    assert set(data["fields"]) == set(FIELDS)
    assert data["fields"]["title"] == {"tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert data["core"]["tp"] == 1 and data["core"]["fp"] == 2 and data["core"]["fn"] == 3
    assert data["pages_evaluated"] == 1
    assert len(data["mismatches"]) == 3


def test_format_table_is_aligned() -> None:
    """One header, one row per field, a rule, a core row and the pages line."""
    lines = format_table(mixed_report()).splitlines()
    assert lines[0].split() == ["field", "tp", "fp", "fn", "precision", "recall", "f1"]
    rows = lines[1 : 1 + len(FIELDS)]
    assert [row.split()[0] for row in rows] == list(FIELDS)
    assert len({len(row) for row in [lines[0], *rows]}) == 1  # all columns aligned
    assert set(lines[1 + len(FIELDS)]) == {"-"}
    assert lines[2 + len(FIELDS)].split() == ["core", "1", "2", "3", "0.333", "0.250", "0.286"]
    assert lines[-1] == "pages: 1 evaluated, 0 failed"


def test_format_errors_has_one_block_per_mismatch() -> None:
    """Blocks give page, field and kind, then extracted, gold and evidence."""
    text = format_errors(mixed_report())
    blocks = text.strip().split("\n\n")
    assert len(blocks) == 3
    assert blocks[0].splitlines() == [
        "raw/page.html  title  (wrong)",
        '  extracted: "Projekty EU"',
        '  gold:      "Dílna řemesel"',
        '  evidence:  "Projekty EU"',
    ]


# --------------------------------------------------------------------------- gold validation


@dataclass(frozen=True)
class GoldErrorCase:
    """Content of a gold file and the message after '<path>: '."""

    id: str
    content: str
    message: str


GOLD_FORMAT_ERRORS = [
    GoldErrorCase("bad month", '{"file": "raw/017.html", "period_start": "2019-13-01"}', "period_start: '2019-13-01' is not an ISO date YYYY-MM-DD"),
    GoldErrorCase("Czech date", '{"file": "raw/017.html", "period_end": "31. 12. 2019"}', "period_end: '31. 12. 2019' is not an ISO date YYYY-MM-DD"),
    GoldErrorCase("30 February", '{"file": "a.html", "period_end": "2019-02-30"}', "period_end: '2019-02-30' is not an ISO date YYYY-MM-DD"),
    GoldErrorCase("amount with comma", '{"file": "a.html", "subsidy_czk": "3 783 392,50"}', "subsidy_czk: '3 783 392,50' is not a decimal string like '3783392.50'"),
    GoldErrorCase("amount as number", '{"file": "a.html", "total_cost_czk": 1000}', "total_cost_czk: expected a string or null, got number"),
    GoldErrorCase("unknown key", '{"file": "a.html", "titel": "x"}', "titel: unknown key (known: file, " + ", ".join(FIELDS) + ")"),
    GoldErrorCase("file missing", '{"title": "x"}', "file: required key is missing"),
    GoldErrorCase("file not a string", '{"file": 17}', "file: expected the page's file name, got number"),
    GoldErrorCase("file empty", '{"file": ""}', "file: expected the page's file name, got an empty string"),
    GoldErrorCase("not an object", '["a.html"]', "expected a JSON object, got array"),
    GoldErrorCase("list as string", '{"file": "a.html", "activities": "Dílna"}', "activities: expected an array of strings or null, got string"),
    GoldErrorCase("list item null", '{"file": "a.html", "partners": ["Obec", null]}', "partners: item 1 is null, expected a string"),
    GoldErrorCase("list item empty", '{"file": "a.html", "locations": [" "]}', "locations: item 0 is an empty string"),
    GoldErrorCase("string as list", '{"file": "a.html", "title": ["x"]}', "title: expected a string or null, got array"),
    GoldErrorCase("empty string", '{"file": "a.html", "beneficiary": ""}', "beneficiary: empty string (use null when the page does not state it)"),
    GoldErrorCase("duplicate key", '{"file": "a.html", "title": "x", "title": "y"}', "title: duplicate key"),
    GoldErrorCase("invalid JSON", '{"file": "a.html",\n "title": "x",,\n}', "invalid JSON at line 2, column 15: Expecting property name enclosed in double quotes"),
]


@pytest.mark.parametrize("case", GOLD_FORMAT_ERRORS, ids=lambda c: c.id)
def test_gold_format_errors(case: GoldErrorCase, tmp_path: Path) -> None:
    """Malformed gold files fail with a message naming the file, the key and the fault."""
    path = tmp_path / "017.json"
    path.write_text(case.content, encoding="utf-8")
    with pytest.raises(GoldFormatError) as excinfo:
        load_gold(path)
    assert str(excinfo.value) == f"{path}: {case.message}"


def test_gold_not_utf8(tmp_path: Path) -> None:
    """A gold file in another encoding is named as such."""
    path = tmp_path / "017.json"
    path.write_bytes('{"file": "a.html", "title": "Dílna"}'.encode("cp1250"))
    with pytest.raises(GoldFormatError, match="017.json: not UTF-8 text$"):
        load_gold(path)


def test_load_gold_keeps_only_annotated_fields(tmp_path: Path) -> None:
    """Missing keys are not annotated; null and [] are kept as annotations."""
    path = tmp_path / "p.json"
    path.write_text('{"file": "raw/p.html", "title": null, "partners": [], "subsidy_czk": "12.50"}', encoding="utf-8")
    gold = load_gold(path)
    assert gold.file == "raw/p.html"
    assert gold.values == {"title": None, "partners": [], "subsidy_czk": "12.50"}
    assert gold.annotated == ("title", "subsidy_czk", "partners")


def test_fixture_gold_files_are_valid() -> None:
    """The synthetic gold files of the CLI tests follow the format."""
    for path in sorted((FIXTURES / "gold").glob("*.json")):
        assert load_gold(path).file.endswith((".html", ".txt"))


# --------------------------------------------------------------------------- page resolution


@dataclass(frozen=True)
class ResolveCase:
    """A gold 'file', where pages are laid out, and which relative path is expected."""

    id: str
    file: str
    page_at: str
    use_pages_dir: bool
    expected: str | None


RESOLVE_EXAMPLES = [
    ResolveCase("corpus: raw/ beside gold/", "raw/017.html", "raw/017.html", False, "raw/017.html"),
    ResolveCase("seeds: bare name beside gold/", "017.txt", "017.txt", False, "017.txt"),
    ResolveCase("bare name inside gold/", "017.txt", "gold/017.txt", False, "gold/017.txt"),
    ResolveCase("--pages takes the basename", "raw/017.html", "pages/017.html", True, "pages/017.html"),
    ResolveCase("--pages with a bare name", "017.html", "pages/017.html", True, "pages/017.html"),
    ResolveCase("--pages with Windows separators", "raw\\017.html", "pages/017.html", True, "pages/017.html"),
    ResolveCase("missing page", "raw/018.html", "raw/017.html", False, None),
    ResolveCase("--pages does not fall back to the gold layout", "raw/017.html", "raw/017.html", True, None),
]


@pytest.mark.parametrize("case", RESOLVE_EXAMPLES, ids=lambda c: c.id)
def test_resolve_page(case: ResolveCase, tmp_path: Path) -> None:
    """Gold 'file' resolution with and without --pages."""
    (tmp_path / "gold").mkdir()
    (tmp_path / "pages").mkdir()
    page = tmp_path / case.page_at
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("x", encoding="utf-8")
    gold = GoldPage(path=tmp_path / "gold" / "017.json", file=case.file, values={})
    found = resolve_page(gold, tmp_path / "pages" if case.use_pages_dir else None)
    assert found == (tmp_path / case.expected if case.expected else None)


# --------------------------------------------------------------------------- evaluate_folder


def write_gold(folder: Path, name: str, data: dict[str, Any]) -> None:
    """Write one gold file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def stub_extract(path: Path, settings: Settings) -> Record:
    """A stand-in extractor: the title is the page's text, an empty page fails."""
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise PageError("the page is empty", str(path))
    return make_record(title=text)


def test_evaluate_folder_lists_missing_and_failed_pages(tmp_path: Path) -> None:
    """A missing page is listed and not scored; a failing page is listed and scored as null."""
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("Dílna řemesel", encoding="utf-8")
    (tmp_path / "raw" / "b.txt").write_text("  ", encoding="utf-8")
    write_gold(tmp_path / "gold", "a.json", {"file": "raw/a.txt", "title": "Dílna řemesel"})
    write_gold(tmp_path / "gold", "b.json", {"file": "raw/b.txt", "title": "Zahrada"})
    write_gold(tmp_path / "gold", "c.json", {"file": "raw/c.txt", "title": "Chybí"})
    report = evaluate_folder(tmp_path / "gold", None, Settings(), extract=stub_extract)
    assert report.pages_evaluated == 2
    assert counts(report, "title") == (1, 0, 1)
    assert [(f.gold, f.page, f.reason) for f in report.failures] == [
        ("b.json", "raw/b.txt", "page-error"),
        ("c.json", "raw/c.txt", "missing"),
    ]
    assert report.failures[1].message == f"page 'raw/c.txt' not found (looked in {tmp_path})"
    assert format_table(report).splitlines()[-3] == "pages: 2 evaluated, 2 failed"


def test_evaluate_folder_checks_every_gold_file_first(tmp_path: Path) -> None:
    """A malformed gold file stops the run before any page is extracted."""
    write_gold(tmp_path / "gold", "a.json", {"file": "a.txt", "period_start": "2019-1-1"})

    def must_not_run(path: Path, settings: Settings) -> Record:
        """Fails the test if called."""
        raise AssertionError("extracted before the gold folder was validated")

    with pytest.raises(GoldFormatError, match=r"a\.json: period_start: '2019-1-1' is not an ISO date"):
        evaluate_folder(tmp_path / "gold", None, Settings(), extract=must_not_run)


def test_evaluate_folder_usage_errors(tmp_path: Path) -> None:
    """An empty gold folder or a missing pages folder is a usage error."""
    (tmp_path / "gold").mkdir()
    with pytest.raises(UsageError, match="no gold files"):
        evaluate_folder(tmp_path / "gold", None, Settings(), extract=stub_extract)
    with pytest.raises(UsageError, match="pages folder does not exist"):
        evaluate_folder(tmp_path / "gold", tmp_path / "nope", Settings(), extract=stub_extract)


# --------------------------------------------------------------------------- CLI


def test_cli_malformed_gold_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI turns a GoldFormatError into one message and exit code 2."""
    from pipeline.cli import main

    write_gold(tmp_path / "gold", "017.json", {"file": "raw/017.html", "period_start": "2019-13-01"})
    assert main(["evaluate", str(tmp_path / "gold")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {tmp_path / 'gold' / '017.json'}: period_start: '2019-13-01' is not an ISO date YYYY-MM-DD\n"


def test_cli_with_a_stub_extractor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The evaluate handler prints the table, then the errors; exit 1 when a page failed."""
    from pipeline.cli import main

    # The default extractor of evaluate_folder, which the command uses.
    monkeypatch.setattr("pipeline.evaluate.extract_file_records", stub_extract)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("Projekty EU", encoding="utf-8")
    write_gold(tmp_path / "gold", "a.json", {"file": "raw/a.txt", "title": "Dílna řemesel"})
    write_gold(tmp_path / "gold", "b.json", {"file": "raw/b.txt", "title": "Zahrada"})
    code = main(["evaluate", str(tmp_path / "gold"), "--pages", str(tmp_path / "raw"), "--errors"])
    out = capsys.readouterr().out
    assert code == 1
    table, errors = out.split("\n\n", 1)
    assert table.splitlines()[-2:] == [
        "pages: 1 evaluated, 1 failed",
        f"  failed raw/b.txt (missing): page 'raw/b.txt' not found (looked in {tmp_path / 'raw'})",
    ]
    assert errors.splitlines() == [
        "raw/a.txt  title  (wrong)",
        '  extracted: "Projekty EU"',
        '  gold:      "Dílna řemesel"',
    ]


# The tests below extract the synthetic pages with the real pipeline.


def test_cli_table_on_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluate GOLD --pages RAW` prints the table; the stated registration numbers are tps."""
    from pipeline.cli import main

    code = main(["evaluate", str(FIXTURES / "gold"), "--pages", str(FIXTURES / "raw"), "--errors"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["field", "tp", "fp", "fn", "precision", "recall", "f1"]
    assert "pages: 2 evaluated, 0 failed" in lines
    reg_row = next(line for line in lines if line.startswith("registration_number "))
    assert reg_row.split()[1:4] == ["2", "0", "0"]


def test_cli_json_on_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints the machine-readable report."""
    from pipeline.cli import main

    code = main(["evaluate", str(FIXTURES / "gold"), "--pages", str(FIXTURES / "raw"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["pages_evaluated"] == 2 and data["failures"] == []
    assert data["fields"]["registration_number"]["tp"] == 2
    assert data["fields"]["registration_number"]["fp"] == 0


def test_cli_without_pages_resolves_relative_to_gold(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --pages, 'raw/x.html' resolves beside gold/ and a bare name that is not there fails."""
    from pipeline.cli import main

    code = main(["evaluate", str(FIXTURES / "gold"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1  # some pages failed
    assert [(f["page"], f["reason"]) for f in data["failures"]] == [("dilna-remesel.txt", "missing")]
    assert data["pages_evaluated"] == 1
    assert data["fields"]["registration_number"]["tp"] == 1
