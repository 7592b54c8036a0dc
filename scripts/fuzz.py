"""Longer fuzzing run of the per-page function and the normalisers (for rule changers).

The test suite runs these properties with a few dozen examples each; after changing a
rule, a pattern or a data table, run them with many more::

    .venv/bin/python scripts/fuzz.py                       # 2,000 examples per property
    .venv/bin/python scripts/fuzz.py --examples 20000      # a long run (tens of minutes)
    .venv/bin/python scripts/fuzz.py --only page           # just the page function
    .venv/bin/python scripts/fuzz.py --atheris -- -max_total_time=600   # coverage-guided

Properties: ``extract_bytes`` raises only PageError subclasses and returns records that
round-trip and whose evidence indexes the cleaned text (tests/test_page_properties.py);
pages declaring any charset label from Python's whole codec list are decoded with a real
page encoding into records free of controls, lone surrogates and bidi overrides
(tests/test_hostile_two.py);
the normalisers never raise and return well-formed results or None, with round trips
(tests/test_normaliser_properties.py). A failing example is printed as Hypothesis
shrinks it; add it to the BUGS_CAUGHT_BY_FUZZING table of the test file it came from.
``--atheris`` needs ``pip install atheris`` (it does not build everywhere); it feeds
raw bytes to the page function and to the normalisers.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the test modules import each other by name

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_hostile_two as hostile_props
from tests import test_normaliser_properties as normaliser_props
from tests import test_page_properties as page_props


def _properties(examples: int) -> dict[str, list[tuple[str, Callable[[], None]]]]:
    """Every property to fuzz, by group, each a no-argument callable."""
    config = settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        print_blob=True,
    )
    text = normaliser_props.any_text

    def wrap(strategies: tuple[Any, ...], test: Any) -> Callable[[], None]:
        """Re-apply ``given`` with more examples to the undecorated test body."""
        return config(given(*strategies)(test.hypothesis.inner_test))  # type: ignore[no-any-return, no-untyped-call, unused-ignore]

    page = [
        ("page: generated html", wrap((page_props.page_bytes(), page_props.any_path),
                                      page_props.test_generated_html_gives_a_page_error_or_a_consistent_record)),
        ("page: arbitrary bytes", wrap((st.binary(max_size=20_000), page_props.any_path),
                                       page_props.test_arbitrary_bytes_give_a_page_error_or_a_consistent_record)),
        # Labels from encodings.aliases and every codec module Python ships.
        ("page: declared charsets", wrap((hostile_props.declared_charset_pages(),),
                                         hostile_props.test_declared_charsets_from_the_whole_codec_list)),
    ]
    normalisers = [
        (f"normaliser: {name}", wrap((text,), getattr(normaliser_props, name)))
        for name in (
            "test_regnum_never_raises_and_is_well_formed",
            "test_programmes_never_raise",
            "test_dates_never_raise_and_are_ordered",
            "test_money_never_raises_and_is_decimal",
        )
    ]
    return {"page": page, "normalisers": normalisers}


def run_hypothesis(examples: int, only: str | None) -> int:
    """Run every property with ``examples`` examples; returns the number that failed."""
    failed = 0
    for group, properties in _properties(examples).items():
        if only and only != group:
            continue
        for name, prop in properties:
            started = time.perf_counter()
            try:
                prop()
            except Exception as exc:  # noqa: BLE001 - report every property, then fail
                failed += 1
                print(f"FAILED {name}: {type(exc).__name__}: {exc}", flush=True)
            else:
                print(f"ok     {name}: {examples} examples in "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
    return failed


def run_atheris(argv: list[str]) -> None:
    """Coverage-guided fuzzing of raw bytes with atheris (runs until stopped or limited)."""
    import atheris  # type: ignore[import-not-found, import-untyped, unused-ignore]

    with atheris.instrument_imports():
        from pipeline.normalise.dates import find_dates, find_periods
        from pipeline.normalise.money import find_amounts
        from pipeline.normalise.regnum import find_registration_numbers

    def one_input(data: bytes) -> None:
        """Page function on the bytes, normalisers on their text."""
        page_props.check_page(data, "fuzz.html")
        text = data.decode("utf-8", "replace")
        for find in (find_registration_numbers, find_dates, find_periods, find_amounts):
            for match in find(text):
                assert 0 <= match.start < match.end <= len(text)

    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()


def main() -> int:
    """Parse the options and fuzz."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property")
    parser.add_argument("--only", choices=("page", "normalisers"), help="fuzz one group only")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided run with atheris")
    parser.add_argument("rest", nargs="*", help="arguments for libFuzzer (after --)")
    args = parser.parse_args()
    if args.atheris:
        run_atheris(args.rest)
        return 0
    return 1 if run_hypothesis(args.examples, args.only) else 0


if __name__ == "__main__":
    sys.exit(main())
