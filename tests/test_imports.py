"""The package's import graph: no cycle, late imports only where they buy something, no library → CLI.

The graph is read from the source with ``ast`` (nothing is imported): every ``import``
and ``from … import`` statement, at module level or inside a function, and every
``importlib.import_module("…")`` call, which is an import the statements would not show.
An edge goes to the most specific module an import names: ``from pipeline.extract
import nlp`` is an edge to ``pipeline.extract.nlp``, ``from pipeline.extract import
extract_record`` one to ``pipeline.extract``. Imports under ``if TYPE_CHECKING:`` never
run and make no edge.

Offenders are reported per stage package (``pipeline.run``, ``pipeline.output``, …), so
a failure names the package, the module, the line and the import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import pipeline

PACKAGE = Path(pipeline.__file__).parent

# Modules imported inside a function anywhere in the library, and why that import is
# late. Anything else imported inside a function is an error: a late import that only
# hides a cycle hides a design problem, and costs a dictionary lookup on every call.
LAZY_MODULES: dict[str, str] = {
    "psycopg": "optional extra [postgres]; only a postgresql:// database needs it",
    "pyarrow": "optional extra [parquet]; only a Parquet export needs it",
    "pipeline.run.dask_engine": "imports dask, an optional extra [dask]; only --engine dask needs it",
    "tqdm": "a progress bar is drawn only on a terminal; a quiet or piped run skips its import",
    "pipeline.core": "the page stages (spaCy and every rule, over a second) load in a run's "
    "workers only: the parent stays light, so fork starts each worker in milliseconds",
    "charset_normalizer": "only a page with no usable declared charset is guessed at; "
    "worker start-up skips its import",
}

# Functions that may import anything late, and why.
LAZY_FUNCTIONS: dict[tuple[str, str], str] = {
    ("pipeline", "__getattr__"): "``import pipeline`` must take no time (python -m pipeline imports it "
    "before it can catch a Ctrl-C): public names are imported on first use",
}
# Modules all of whose functions may import any pipeline module late, and why.
LAZY_IMPORTERS: dict[str, str] = {
    "pipeline.cli": "each command imports only its own stage: `--help`, `schema` or `diff` "
    "start without loading spaCy (about a second)",
}

# The command line and its entry point; the library never imports them.
CLI_MODULES = frozenset({"pipeline.cli", "pipeline.__main__"})


@dataclass(frozen=True)
class Import:
    """One import in the source: who imports what, where, and whether inside a function."""

    importer: str
    target: str
    line: int
    function: str | None

    def __str__(self) -> str:
        """Where the import is, for failure messages."""
        where = f" in {self.function}()" if self.function else ""
        return f"{self.importer}:{self.line}{where} imports {self.target}"


def _module_name(path: Path) -> str:
    """The dotted module name of a file of the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _area(module: str) -> str:
    """The stage package a module belongs to (``pipeline`` for top-level modules)."""
    parts = module.split(".")
    if len(parts) > 1 and ".".join(parts[:2]) in MODULES and MODULES[".".join(parts[:2])].name == "__init__.py":
        return ".".join(parts[:2])
    return "pipeline"


AREAS = sorted({_area(m) for m in MODULES})


def _resolve(name: str) -> str:
    """The pipeline module ``name`` lives in, or ``name`` itself when it is not ours."""
    probe = name
    while probe:
        if probe in MODULES:
            return probe
        probe = probe.rpartition(".")[0]
    return name


def _is_type_checking(test: ast.expr) -> bool:
    """Whether an ``if`` test is ``TYPE_CHECKING`` (or ``typing.TYPE_CHECKING``)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.AST, module: str) -> list[str]:
    """The modules an import statement or ``import_module`` call brings in."""
    if isinstance(node, ast.Import):
        return [_resolve(alias.name) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        return [_resolve(f"{base}.{alias.name}") if f"{base}.{alias.name}" in MODULES else _resolve(base)
                for alias in node.names]
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("import_module", "__import__"):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return [_resolve(first.value)]
            return ["<computed name>"]
    return []


def _walk(node: ast.AST, module: str, function: str | None) -> Iterator[Import]:
    """Every import under ``node``, with the function it sits in."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _walk(other, module, function)
            continue
        inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        if isinstance(child, ast.Lambda):
            inner = function or "<lambda>"
        for target in dict.fromkeys(_targets(child, module)):  # once per module, not per name
            yield Import(module, target, child.lineno if hasattr(child, "lineno") else 0, function)
        yield from _walk(child, module, inner)


def _imports() -> list[Import]:
    """Every import of every module of the package."""
    found: list[Import] = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found.extend(_walk(tree, module, None))
    return found


IMPORTS = _imports()


def _graph() -> dict[str, set[str]]:
    """Pipeline module → the pipeline modules it imports (anywhere in it)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        if imp.target in MODULES and imp.target != imp.importer:
            graph[imp.importer].add(imp.target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _late_import_allowed(imp: Import) -> bool:
    """Whether an import inside a function is one of the allowed late imports."""
    if imp.importer in LAZY_IMPORTERS and imp.target in MODULES:
        return True
    if (imp.importer, imp.function or "") in LAZY_FUNCTIONS:
        return True
    return any(imp.target == name or imp.target.startswith(name + ".") for name in LAZY_MODULES)


# Offenders in packages other engineers are reworking at the same time (area -> why);
# strict, so that the mark must go once their fix is merged. The offenders themselves:
# ``pytest --runxfail tests/test_imports.py``.
OWNED_ELSEWHERE: dict[str, str] = {}


def _by_area(area: str) -> pytest.MarkDecorator | tuple[()]:
    """The expected-failure mark of an area reworked elsewhere (none for the others)."""
    if area in OWNED_ELSEWHERE:
        return pytest.mark.xfail(strict=True, reason=OWNED_ELSEWHERE[area])
    return ()


AREA_PARAMS = [pytest.param(area, id=area, marks=_by_area(area)) for area in AREAS]


@pytest.mark.parametrize("area", AREA_PARAMS)
def test_no_import_cycle(area: str) -> None:
    """No module of the area is on an import cycle, late imports included."""
    graph = _graph()
    cycles = [c for c in _cycles(graph) if any(_area(m) == area for m in c)]
    detail = [
        " -> ".join(c) + "\n    " + "\n    ".join(
            str(imp) for imp in IMPORTS if imp.importer in c and imp.target in c and imp.target != imp.importer
        )
        for c in cycles
    ]
    if cycles:
        pytest.fail("import cycles:\n" + "\n".join(detail), pytrace=False)


@pytest.mark.parametrize("area", AREA_PARAMS)
def test_late_imports_are_of_heavy_or_optional_modules(area: str) -> None:
    """Every import inside a function is one listed above, with its reason."""
    offenders = [str(imp) for imp in IMPORTS
                 if imp.function is not None and _area(imp.importer) == area and not _late_import_allowed(imp)]
    if offenders:
        pytest.fail("late imports of modules not listed in LAZY_MODULES:\n" + "\n".join(offenders), pytrace=False)


def test_every_listed_late_import_is_still_made() -> None:
    """An allowance nobody uses any more goes, so that the lists stay the truth."""
    late = [imp for imp in IMPORTS if imp.function is not None]
    unused = [name for name in LAZY_MODULES
              if not any(imp.target == name or imp.target.startswith(name + ".") for imp in late)]
    unused += [f"{m}.{f}" for m, f in LAZY_FUNCTIONS if not any((i.importer, i.function) == (m, f) for i in late)]
    unused += [m for m in LAZY_IMPORTERS if not any(i.importer == m for i in late)]
    assert unused == []


def test_the_library_never_imports_the_cli() -> None:
    """The CLI turns library errors into messages; the library must not depend on it."""
    offenders = [str(imp) for imp in IMPORTS if imp.importer not in CLI_MODULES and imp.target in CLI_MODULES]
    assert offenders == []


# The reader itself, on invented modules: the graph is only as good as what it sees.
@dataclass(frozen=True)
class SourceCase:
    """A module's source and the imports the reader must find in it."""

    id: str
    module: str
    source: str
    expected: list[tuple[str, str | None]]


SOURCES = [
    SourceCase("module level", "pipeline.core", "import json\nfrom pipeline.records import Record\n",
               [("json", None), ("pipeline.records", None)]),
    SourceCase("a submodule named in from-import", "pipeline.core", "from pipeline.extract import nlp\n",
               [("pipeline.extract.nlp", None)]),
    SourceCase("a name of a package", "pipeline.core", "from pipeline.extract import extract_record\n",
               [("pipeline.extract", None)]),
    SourceCase("relative import", "pipeline.output.report", "from .write import write_atomic\n",
               [("pipeline.output.write", None)]),
    SourceCase("relative import of a sibling module", "pipeline.output.report", "from . import db\n",
               [("pipeline.output.db", None)]),
    SourceCase("inside a function", "pipeline.core", "def f():\n    import psycopg\n",
               [("psycopg", "f")]),
    SourceCase("inside a method", "pipeline.core", "class A:\n    def m(self):\n        from tqdm import tqdm\n",
               [("tqdm", "m")]),
    SourceCase("import_module with a literal", "pipeline.core",
               "import importlib\ndef f():\n    importlib.import_module('pipeline.core')\n",
               [("importlib", None), ("pipeline.core", "f")]),
    SourceCase("import_module with a computed name", "pipeline.core",
               "from importlib import import_module\ndef f(n):\n    import_module(n)\n",
               [("importlib", None), ("<computed name>", "f")]),
    SourceCase("typing-only imports make no edge", "pipeline.core",
               "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pipeline.cli import main\n",
               [("typing", None)]),
]


@pytest.mark.parametrize("case", SOURCES, ids=lambda c: c.id)
def test_the_reader_finds_every_import(case: SourceCase) -> None:
    """Module-level, late, relative and ``import_module`` imports are all seen."""
    found = [(imp.target, imp.function) for imp in _walk(ast.parse(case.source), case.module, None)]
    assert found == case.expected


def test_a_cycle_is_found_through_a_late_import() -> None:
    """A cycle closed by an import inside a function is still a cycle."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
