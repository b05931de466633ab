"""Dependencies flow one way: each third-party library is used by the layer that needs it,
and the renderers and output formats read the model without loading a parser."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "erdgen"

# library -> the modules (dotted, below erdgen) or packages (ending in ".") that may import it
ALLOWED = {
    "sqlglot": {"dialects."},
    "jinja2": {"render.pages", "render.precompiled", "render.compiled."},
    "click": {"cli."},
    "mkdocs": {"site.mkdocs_plugin"},
    "material": {"site.mkdocs_plugin"},
    "graphviz": {"render.graphviz"},
    "psycopg": {"dialects.postgres."},
}
# the model, the errors and what keys imply are plain data: standard library and msgspec's
# records only
PLAIN = (
    "errors.py",
    "keys.py",
    "model/__init__.py",
    "model/names.py",
    "model/schema.py",
    "model/history.py",
)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def permitted(module: str, allowed: set[str]) -> bool:
    return any(module == a or (a.endswith(".") and module.startswith(a)) for a in allowed)


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_libraries_are_imported_only_where_they_belong(path: Path) -> None:
    module = dotted(path)
    for library, allowed in ALLOWED.items():
        if library in imports(path):
            assert permitted(module, allowed), f"{module} imports {library}; only {allowed} may"


@pytest.mark.parametrize("name", PLAIN)
def test_the_model_is_plain_data(name: str) -> None:
    found = imports(PACKAGE / name) - {"__future__", "erdgen"}
    # msgspec: the records (Struct), plain data with no behaviour of their own
    standard = {"collections", "dataclasses", "enum", "msgspec", "typing"}
    assert found <= standard, f"{name} imports {sorted(found - standard)}"


def test_every_model_module_is_checked_for_plain_data() -> None:
    checked = {name for name in PLAIN if name.startswith("model/")}
    assert {f"model/{p.name}" for p in (PACKAGE / "model").glob("*.py")} == checked


# What must stay unloaded when a renderer or a format is imported: the parser, and the
# interpreter that drives it (a renderer reads a finished model only).
PARSING = ("sqlglot", "erdgen.dialects.sqlite.handlers", "erdgen.core.history")
READERS_OF_THE_MODEL = [
    "erdgen.render.pages",
    "erdgen.render.diagrams",
    "erdgen.render.dot",
    "erdgen.keys",
    "erdgen.formats",
    *sorted(f"erdgen.formats.{p.stem}" for p in (PACKAGE / "formats").glob("[!_]*.py")),
]


@pytest.mark.parametrize("module", READERS_OF_THE_MODEL)
def test_importing_a_renderer_or_format_loads_no_parser(module: str) -> None:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not [m for m in loaded if m.startswith(PARSING)], f"{module} loads a parser"


def test_the_dialect_registry_loads_no_parser() -> None:
    code = (
        "import json, sys, erdgen.dialects, erdgen.dialects.base; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not [m for m in loaded if m.startswith(("sqlglot", "erdgen.dialects.sqlite"))]


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name)
def test_the_core_reaches_a_dialect_only_through_the_registry(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    reaching = sorted(m for m in named if m.startswith("erdgen.dialects."))
    assert reaching in ([], ["erdgen.dialects.base"]), f"{path.name} imports {reaching}"
