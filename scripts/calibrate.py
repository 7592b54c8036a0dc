"""Calibrate evidence confidence: the measured precision of each (field, method) on annotated pages.

usage: python scripts/calibrate.py [--write] [--no-unseen] [GOLD_DIR:PAGES_DIR ...]

By default the annotated folders beside the checkout are used (../shared/corpus and
../shared/corpus-in-sites). The rules were written on those pages, so their precision
there is optimistic: a method's confidence is its precision there smoothed, with
PRIOR_WEIGHT pseudo-observations, towards its field's precision on pages the rules have
never seen (the per-field figures of ../shared/validation/validate, which shows scores
only). A rule proven on many pages keeps close to its own record; a rule seen a few times
is trusted about as much as its field is on unseen pages. --write stores
pipeline/data/confidence.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
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
# Pseudo-observations at the field's precision on unseen pages: 20 puts a method proven on
# 100 corpus pages a sixth of the way from its own precision to the unseen-page figure,
# and a method seen on 3 pages close to the unseen-page figure.
PRIOR_WEIGHT = 20.0
VALIDATE = SHARED / "validation" / "validate"
# The validation table's field names for each record field.
UNSEEN_FIELDS = {
    "title": ("title",), "registration_number": ("registration_number",), "programme": ("programme",),
    "beneficiary": ("beneficiary",), "period": ("period_start", "period_end"), "subsidy": ("subsidy_czk",),
    "total_cost": ("total_cost_czk",), "goals": ("main_goal",), "target_groups": ("target_groups",),
    "activities": ("activities",), "locations": ("locations",), "partners": ("partners",),
}


def unseen_precision() -> dict[str, float]:
    """Per record field, (tp + 1) / (tp + fp + 2) on the validation pages; empty without them."""
    if not VALIDATE.exists():
        return {}
    run = subprocess.run([str(VALIDATE), sys.executable], capture_output=True, text=True, cwd=ROOT, check=False)
    counts: dict[str, tuple[int, int]] = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[1].isdigit():
            counts[parts[0]] = (int(parts[1]), int(parts[2]))
    found: dict[str, float] = {}
    for key, names in UNSEEN_FIELDS.items():
        if all(name in counts for name in names):
            tp = sum(counts[n][0] for n in names)
            fp = sum(counts[n][1] for n in names)
            found[key] = (tp + 1) / (tp + fp + 2)
    return found
# Fields nobody annotates (priority axis, results, summary) get this confidence.
DEFAULT_CONFIDENCE = 0.5


def main() -> int:
    """Score the annotated sets, print the per-method precision and the confidence it gives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write pipeline/data/confidence.json")
    parser.add_argument("--no-unseen", action="store_true", help="smooth towards the corpus field precision only")
    parser.add_argument("sets", nargs="*", metavar="GOLD_DIR:PAGES_DIR")
    args = parser.parse_args()
    unseen = {} if args.no_unseen else unseen_precision()
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
        prior = unseen.get(key, (tp + 1) / (tp + fp + 2))
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
