"""Dependencies flow one way: each third-party library is used by the layer that needs it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "erdgen"

# library -> the modules that may import it
ALLOWED = {
    "sqlglot": {"parse", "interpret", "rename"},
    "jinja2": {"pages"},
    "click": {"cli"},
    "mkdocs": {"mkdocs_plugin"},
    "material": {"mkdocs_plugin"},
    "graphviz": {"graphviz"},
}
# the model and the errors are plain data: standard library only
PLAIN = {"model", "errors"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_libraries_are_imported_only_where_they_belong(path: Path) -> None:
    module = path.stem
    for library, allowed in ALLOWED.items():
        if library in imports(path):
            assert module in allowed, f"{module} imports {library}; only {sorted(allowed)} may"


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_the_model_is_plain_data(name: str) -> None:
    found = imports(PACKAGE / f"{name}.py") - {"__future__", "erdgen"}
    standard = {"collections", "dataclasses", "enum", "typing"}
    assert found <= standard, f"{name} imports {sorted(found - standard)}"
