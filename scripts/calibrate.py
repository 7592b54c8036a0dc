"""Calibrate evidence confidence: the measured precision of each (field, method) on annotated pages.

usage: python scripts/calibrate.py [--write] [GOLD_DIR:PAGES_DIR ...]

By default the annotated folders beside the checkout are used (../shared/corpus and
../shared/corpus-in-sites). A method's confidence is its precision smoothed towards its
field's precision with PRIOR_WEIGHT pseudo-observations, so that a rule seen twice is not
trusted as if it were seen a hundred times. --write stores pipeline/data/confidence.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.evaluate import EVIDENCE_KEYS, evaluate_folder
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TABLE = ROOT / "pipeline" / "data" / "confidence.json"
DEFAULT_SETS = (
    (SHARED / "corpus" / "gold", SHARED / "corpus" / "raw"),
    (SHARED / "corpus-in-sites" / "gold", SHARED / "corpus-in-sites" / "raw"),
)
# Pseudo-observations at the field's precision; 4 keeps a method with 2 right of 2 below a
# method with 40 right of 40.
PRIOR_WEIGHT = 4.0
# Fields nobody annotates (priority axis, results, summary) get this confidence.
DEFAULT_CONFIDENCE = 0.5


def main() -> int:
    """Score the annotated sets, print the per-method precision and the confidence it gives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write pipeline/data/confidence.json")
    parser.add_argument("sets", nargs="*", metavar="GOLD_DIR:PAGES_DIR")
    args = parser.parse_args()
    sets = [tuple(Path(p) for p in s.split(":", 1)) for s in args.sets] or list(DEFAULT_SETS)
    counts: dict[str, dict[str, list[int]]] = {}
    settings = Settings(min_confidence=0.0)
    for gold_dir, pages_dir in sets:
        if not gold_dir.is_dir():
            continue
        report = evaluate_folder(gold_dir, pages_dir, settings)
        for (name, method), score in report.methods.items():
            tally = counts.setdefault(EVIDENCE_KEYS[name], {}).setdefault(method, [0, 0])
            tally[0] += score.tp
            tally[1] += score.fp
    fields: dict[str, dict[str, float]] = {}
    for key in sorted(counts):
        tp = sum(t for t, _ in counts[key].values())
        fp = sum(f for _, f in counts[key].values())
        prior = (tp + 1) / (tp + fp + 2)
        table = {"_field": round(prior, 3)}
        for method in sorted(counts[key]):
            m_tp, m_fp = counts[key][method]
            table[method] = round((m_tp + PRIOR_WEIGHT * prior) / (m_tp + m_fp + PRIOR_WEIGHT), 3)
            print(f"{key:20} {method:20} tp {m_tp:4} fp {m_fp:4}  confidence {table[method]:.3f}")
        fields[key] = table
    if args.write:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
        data["default"] = DEFAULT_CONFIDENCE
        data["fields"] = fields
        TABLE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
