"""Compare two output folders: which records changed, per field, between two runs.

Records are matched by their identity: the page's path under the input root it was
found in, as the folder's manifest records it, so that two runs over the same pages
given under other spellings, or over copies of them in another folder, pair up. When
either folder has no manifest that says (none, or one written before identities), records
are matched by ``source.path``. A field whose value differs is a value change;
a field whose value is the same but whose ``evidence`` entry moved (other offsets,
other text, other method) is counted separately as an evidence-only change, since that
usually means the cleaning changed rather than the extraction.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.output.write import page_file_name
from pipeline.records import FIELD_NAMES
from pipeline.run.manifest import read_identities

__all__ = ["DiffReport", "FieldChange", "diff_folders", "format_diff"]

# Keys that describe the run rather than the page: a version bump alone is no change.
_IGNORED_KEYS = frozenset({"schema_version", "extractor_version", "evidence"})
_SHOWN_CHARS = 100


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One record's value of one field, before and after."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class DiffReport:
    """What differs between the records of two folders."""

    old: Path
    new: Path
    old_count: int
    new_count: int
    added: tuple[str, ...]
    removed: tuple[str, ...]
    compared: int
    changed_records: int
    evidence_only_records: int
    changes: Mapping[str, tuple[FieldChange, ...]] = field(default_factory=dict)
    evidence_only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        """True when no record was added, removed or changed in any way."""
        return not (self.added or self.removed or self.changed_records
                    or self.evidence_only_records)


def _record_files(folder: Path) -> Iterator[Path]:
    """The record files of an output folder, in name order (hidden files excluded)."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".json") and not entry.name.startswith(".") and entry.is_file():
            yield Path(entry.path)


def _load(file: Path) -> dict[str, Any] | None:
    """A record as plain JSON, or None if the file is not a record."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None  # RecursionError: JSON nested deeper than the decoder recurses
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        return None
    if not isinstance(data["source"].get("path"), str):
        return None
    return data


def _identities(folder: Path) -> dict[str, str]:
    """Record file name to the page's identity, from the folder's manifest (if any).

    The identity is the page's path under its input root; where one run had two roots
    holding the same path, the root's location is put in front to tell them apart.
    """
    rows = read_identities(folder)
    keys = Counter(key for key, _ in rows.values())
    return {
        output: key if keys[key] == 1 or real is None else os.path.join(real, key)
        for output, (key, real) in rows.items()
    }


def _index(folder: Path, identities: Mapping[str, str], problems: list[str]) -> dict[str, Path]:
    """Map each page's identity to the record file holding it (records are read again later)."""
    index: dict[str, Path] = {}
    for file in _record_files(folder):
        data = _load(file)
        if data is None:
            problems.append(f"{file}: not a record file, ignored")
            continue
        key = _identity(file.name, data, identities)
        if key in index:
            problems.append(f"{file}: same page as {index[key].name}, ignored")
            continue
        index[key] = file
    return index


def _identity(name: str, data: dict[str, Any], identities: Mapping[str, str]) -> str:
    """The identity of the record in file ``name``: its page's, plus its project's place on the page."""
    index = data["source"].get("project_index")
    key = identities.get(page_file_name(name), data["source"]["path"])
    return key if index is None else f"{key}#project-{index}"


def _without_path(source: Any) -> Any:
    """A record's ``source`` without the input path as given."""
    if isinstance(source, dict):
        return {k: v for k, v in source.items() if k != "path"}
    return source


def _field_order(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Contract fields first, then any other top-level keys (e.g. ``source``)."""
    extra = sorted((set(old) | set(new)) - set(FIELD_NAMES) - _IGNORED_KEYS)
    return [*FIELD_NAMES, *extra]


def diff_folders(old: Path, new: Path) -> DiffReport:
    """Compare the records of two output folders, matched by page identity."""
    problems: list[str] = []
    for folder in (old, new):
        if not folder.is_dir():
            raise UsageError(f"not a folder: {folder}")
    old_ids, new_ids = _identities(old), _identities(new)
    if not (old_ids and new_ids):
        # One folder has no manifest to say (or an older one): both pair by source.path.
        old_ids, new_ids = {}, {}
    old_index, new_index = _index(old, old_ids, problems), _index(new, new_ids, problems)
    added = tuple(sorted(set(new_index) - set(old_index)))
    removed = tuple(sorted(set(old_index) - set(new_index)))
    changes: dict[str, list[FieldChange]] = {}
    evidence_only: dict[str, list[str]] = {}
    compared = changed_records = evidence_records = 0
    for key in sorted(set(old_index) & set(new_index)):
        before, after = _load(old_index[key]), _load(new_index[key])
        if before is None or after is None:
            continue  # the file changed under us; reported as a problem by the index
        path = after["source"]["path"]
        compared += 1
        value_changed = evidence_changed = False
        old_evidence = before.get("evidence") or {}
        new_evidence = after.get("evidence") or {}
        for name in _field_order(before, after):
            if name == "source":
                # The same page given under another spelling is no change of the page.
                same = _without_path(before.get(name)) == _without_path(after.get(name))
            else:
                same = before.get(name) == after.get(name)
            if not same:
                changes.setdefault(name, []).append(
                    FieldChange(path, before.get(name), after.get(name)))
                value_changed = True
            elif old_evidence.get(name) != new_evidence.get(name):
                evidence_only.setdefault(name, []).append(path)
                evidence_changed = True
        changed_records += value_changed
        evidence_records += evidence_changed and not value_changed
    return DiffReport(
        old=old, new=new, old_count=len(old_index), new_count=len(new_index),
        added=added, removed=removed, compared=compared, changed_records=changed_records,
        evidence_only_records=evidence_records,
        changes={k: tuple(v) for k, v in changes.items()},
        evidence_only={k: tuple(v) for k, v in evidence_only.items()},
        problems=tuple(problems),
    )


def _show(value: Any) -> str:
    """A value as compact JSON, cut to a readable length."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def format_diff(report: DiffReport) -> str:
    """The report for people: a per-field table, then every change."""
    r = report
    lines = [
        f"old: {r.old} ({r.old_count} records)",
        f"new: {r.new} ({r.new_count} records)",
        (f"added {len(r.added)}, removed {len(r.removed)}, compared {r.compared}: "
         f"{r.changed_records} changed, {r.evidence_only_records} with evidence-only changes"),
    ]
    names = [n for n in _field_order(r.changes, r.evidence_only)
             if n in r.changes or n in r.evidence_only]
    if names:
        width = max(len("field"), *(len(n) for n in names))
        lines += ["", f"{'field':<{width}}  {'changed':>7}  {'evidence only':>13}"]
        for name in names:
            lines.append(f"{name:<{width}}  {len(r.changes.get(name, ())):>7}  "
                         f"{len(r.evidence_only.get(name, ())):>13}")
    if r.added:
        lines += ["", "added:", *(f"  + {p}" for p in r.added)]
    if r.removed:
        lines += ["", "removed:", *(f"  - {p}" for p in r.removed)]
    for name in names:
        if name in r.changes:
            lines += ["", f"{name} ({len(r.changes[name])} changed):"]
            for change in r.changes[name]:
                lines += [f"  {change.path}", f"    - {_show(change.old)}", f"    + {_show(change.new)}"]
        if name in r.evidence_only:
            lines += ["", f"{name} ({len(r.evidence_only[name])} evidence only):"]
            lines += [f"  {p}" for p in r.evidence_only[name]]
    if r.problems:
        lines += ["", "problems:", *(f"  {p}" for p in r.problems)]
    if r.identical:
        lines += ["", "no differences"]
    return "\n".join(lines) + "\n"
