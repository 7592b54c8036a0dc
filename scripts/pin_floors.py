"""Print or write the accuracy floors from the current scores on ../shared/corpus.

usage: python scripts/pin_floors.py [--write] [--rebase]

Without --rebase a floor only rises (max of the pinned floor and the score rounded down to
two decimals); --rebase pins every floor to today's score, for when the corpus itself changed.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from pipeline.evaluate import evaluate_folder
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "tests" / "accuracy_floors.json"
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> int:
    """Score the corpus and print (or write) the floors it supports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write tests/accuracy_floors.json")
    parser.add_argument("--rebase", action="store_true", help="pin to today's scores, also downwards")
    args = parser.parse_args()
    old = json.loads(FLOORS.read_text(encoding="utf-8"))
    report = evaluate_folder(CORPUS / "gold", CORPUS / "raw", Settings())
    new = {"_about": old["_about"]}
    for name in sorted(k for k in old if not k.startswith("_")):
        score = report.core if name == "core" else report.fields[name]
        floor = math.floor(score.f1 * 100 + 1e-9) / 100
        new[name] = floor if args.rebase else max(floor, old[name])
        print(f"{name:22} f1 {score.f1:.3f}  floor {old[name]:.2f} -> {new[name]:.2f}")
    if args.write:
        FLOORS.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
