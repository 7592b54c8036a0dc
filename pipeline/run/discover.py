"""Discovery: which inputs a run takes, walked in sorted order without loading a page.

``discover_inputs`` walks the given files, folders and web archives and yields each file
to process (``Discovered``, with what the walk learned about it for free: its resolved
path, size, mtime and its identity under its input root) or each input it skips
(``Skipped``, with the reason). It is a generator, so a run streams however many pages
there are; ``pipeline.api.iter_records`` walks the same way.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.inputs import InputSelection
from pipeline.ingest.warc import ArchiveSkip, is_archive, list_pages
from pipeline.output.write import normalise_input_path

__all__ = ["ALL_PAGES", "Discovered", "Skipped", "discover_inputs", "inside", "resolved"]


@dataclass(frozen=True, slots=True)
class Discovered:
    """An input file found by discovery, with what discovery learned about it for free."""

    path: str
    real: str | None = field(default=None, compare=False)
    size: int | None = field(default=None, compare=False)
    mtime_ns: int | None = field(default=None, compare=False)
    # The resolved location of the input root it was found under, and its path there.
    root_real: str | None = field(default=None, compare=False)
    key: str | None = field(default=None, compare=False)
    # A web archive's page: the payload's sha256 (known from the listing), and where
    # the record is (archive file, WACZ member, offset).
    sha256: str | None = field(default=None, compare=False)
    archive: tuple[str, str | None, int] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input discovery did not process, and why (always reported)."""

    path: str
    reason: str



# The default selection: page files by name and content.
ALL_PAGES = InputSelection()


def resolved(path: str) -> str:
    """Resolved absolute path for identity checks (symlinks followed)."""
    return os.path.realpath(path)


def inside(real: str, folder_real: str | None) -> bool:
    """Whether resolved ``real`` is ``folder_real`` or below it (never when there is none)."""
    if folder_real is None:
        return False
    return real == folder_real or real.startswith(folder_real.rstrip(os.sep) + os.sep)


def _valid_name(path: str) -> bool:
    """File names that are not valid UTF-8 cannot be stored in records or the manifest."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def discover_inputs(
    paths: Iterable[Path],
    out: Path | None,
    exclude: Iterable[Path] = (),
    selection: InputSelection = ALL_PAGES,
    *,
    follow_links: bool = False,
) -> Iterator[Discovered | Skipped]:
    """Walk the inputs in sorted order, yielding files to process and reported skips.

    Folders are walked recursively without following symbolic links to folders (so
    link loops cannot trap the walk); hidden files and folders, the output folder and
    anything inside it, ``exclude`` files, and files found in a folder that ``selection``
    says are not pages are skipped, each with a reason. Files given by name are taken.
    A link to a file outside every given folder is skipped unless ``follow_links`` (a
    planted link would otherwise put ``/etc/passwd`` into a record).
    """
    out_real = resolved(str(out)) if out is not None else None
    excluded = {resolved(str(p)) for p in exclude}
    roots = [normalise_input_path(str(given)) for given in paths]
    within = None if follow_links else [resolved(root) for root in roots if os.path.isdir(root)]
    for root in roots:
        yield from _discover_one(root, out_real, excluded, selection, within)


def _file_verdict(
    path: str, real: str, out_real: str | None, excluded: set[str], explicit: bool,
    root_real: str, key: str, selection: InputSelection | None = None,
) -> Skipped | Discovered:
    """Why a file found (or given) is skipped, or the file to process."""
    if not _valid_name(path):
        return Skipped(path, "the file name is not valid UTF-8")
    name = os.path.basename(path)
    if not explicit and name.startswith("."):
        return Skipped(path, "hidden file")
    if inside(real, out_real):
        return Skipped(path, "inside the output folder")
    if real in excluded:
        return Skipped(path, "an output of this run")
    try:
        st = os.stat(path)
    except OSError:
        # The worker reports it as unreadable, with the OS reason.
        return Discovered(path, real, root_real=root_real, key=key)
    if not stat.S_ISREG(st.st_mode):
        return Skipped(path, "not a regular file")
    if selection is not None:
        reason = selection.skip_reason(path, key)
        if reason is not None:
            return Skipped(path, reason)
    return Discovered(path, real, st.st_size, st.st_mtime_ns, root_real, key)


def _pages_of_file(
    path: str, real: str, out_real: str | None, excluded: set[str], explicit: bool,
    root_real: str, key: str, selection: InputSelection | None,
) -> Iterator[Discovered | Skipped]:
    """The file as one input, or a web archive's response records as one input each."""
    if not is_archive(path):
        yield _file_verdict(path, real, out_real, excluded, explicit, root_real, key, selection)
        return
    # Archives are taken by name; --include/--exclude globs still apply to them.
    globs = selection if selection is not None and (selection.include or selection.exclude) else None
    verdict = _file_verdict(path, real, out_real, excluded, explicit, root_real, key, globs)
    if isinstance(verdict, Skipped) or verdict.size is None:
        yield verdict  # skipped, or a file the worker will report as unreadable
        return
    for page in list_pages(path):
        if isinstance(page, ArchiveSkip):
            yield Skipped(path + page.suffix, page.reason)
            continue
        yield Discovered(path + page.suffix, real + page.suffix, page.size, None, root_real,
                         key + page.suffix, page.sha256, (path, page.member, page.offset))


def _sorted_entries(folder: str) -> list[os.DirEntry[str]]:
    """A folder's entries by name; an unreadable folder has none (as with os.walk)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder (or a link to one), as os.walk decides."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _discover_one(
    root: str,
    out_real: str | None,
    excluded: set[str],
    selection: InputSelection,
    within: list[str] | None = None,
) -> Iterator[Discovered | Skipped]:
    """Discovery under one given path: folders before files, top-down, sorted by name.

    ``within``: the resolved input folders a linked file must lie in (None: any).
    """
    if not os.path.isdir(root):
        # A file given by itself is found under its folder: its identity is its name
        # there, whatever spelling of the folder was given.
        yield from _pages_of_file(root, resolved(root), out_real, excluded, True,
                                  resolved(os.path.dirname(root) or "."), os.path.basename(root),
                                  None)
        return
    root_real = resolved(root)
    if inside(root_real, out_real):
        yield Skipped(root, "the output folder")
        return
    # Folders walked are never links, so a child's resolved path is its parent's plus its
    # name: one realpath per given root, not one per file (only links are resolved).
    # The third item is the folder's path under the root (the pages' keys start with it).
    stack: list[tuple[str, str, str]] = [(root, root_real, "")]
    while stack:
        folder, folder_real, folder_key = stack.pop()
        entries = _sorted_entries(folder)
        kept: list[tuple[str, str, str]] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            if not _is_dir(entry):
                files.append(entry)
                continue
            sub = os.path.join(folder, entry.name)
            if entry.name.startswith("."):
                yield Skipped(sub, "hidden folder")
            elif entry.is_symlink():
                yield Skipped(sub, "symbolic link to a folder (not followed)")
            else:
                sub_real = os.path.join(folder_real, entry.name)
                if inside(sub_real, out_real):
                    yield Skipped(sub, "the output folder")
                else:
                    kept.append((sub, sub_real, folder_key + entry.name + "/"))
        for entry in files:
            path = normalise_input_path(os.path.join(folder, entry.name))
            if not entry.is_symlink():
                real = os.path.join(folder_real, entry.name)
            else:
                real = resolved(path)
                if within is not None and not any(inside(real, top) for top in within):
                    yield Skipped(path, "symbolic link to a file outside the input folders "
                                        "(not followed; --follow-links follows it)")
                    continue
            yield from _pages_of_file(path, real, out_real, excluded, False,
                                      root_real, folder_key + entry.name, selection)
        stack.extend(reversed(kept))

