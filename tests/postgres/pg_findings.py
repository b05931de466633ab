"""Helpers for the tests of the PostgreSQL rules: findings of in-memory folders, folders
written to disk, the hypothesis settings of tests that use the per-test database."""

from __future__ import annotations

from pathlib import Path

from folders import migrations
from hypothesis import HealthCheck, settings

from erdgen import dialects
from erdgen.core.history import build_history
from erdgen.model import History
from erdgen.rules.lint import lint
from erdgen.rules.postgres_rules import (
    column_type_change_rewrites_table,
    index_without_concurrently,
    not_null_column_without_default,
)
from erdgen.rules.registry import Finding, id_of
from erdgen.rules.schema_rules import foreign_key_without_index, table_without_primary_key

REWRITE = id_of(column_type_change_rewrites_table)
NOT_NULL = id_of(not_null_column_without_default)
CONCURRENTLY = id_of(index_without_concurrently)
FK_INDEX = id_of(foreign_key_without_index)
NO_PK = id_of(table_without_primary_key)
PG_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def history_of_pg(*files: str) -> History:
    return build_history(migrations(*files), dialects.get("postgres"))


def findings(*files: str, rule: str) -> list[Finding]:
    return [finding for finding in lint(history_of_pg(*files)) if finding.rule == rule]


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
