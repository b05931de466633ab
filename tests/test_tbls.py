"""``erdgen export --format tbls``: valid against tbls' own JSON Schema, and meaning the model.

The JSON Schema is tbls' ``spec/tbls.schema.json_schema.json`` (``../shared/specs``,
or ``$ERDGEN_SPECS``), checked with ``jsonschema``'s Draft 2020-12 validator. Meaning: every
foreign key is a constraint, and a relation when its parent exists; the cardinalities
follow the nullability and the unique column sets the same document states. Checked for
the bundled migrations, generated hostile ones and the real folders of ``../shared/corpus``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus_exports import FOLDERS, corpus_export, needs_corpus
from hostile import hostile_exports
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from erdgen.cli import main
from erdgen.config import config_from_options, project_options
from erdgen.core.history import load_history
from erdgen.descriptions import load_descriptions
from erdgen.formats.registry import SchemaExport
from erdgen.formats.tbls import tbls_data, tbls_json
from erdgen.model import ascii_fold

ROOT = Path(__file__).resolve().parents[1]
SPECS = Path(os.environ.get("ERDGEN_SPECS", ROOT.parent / "shared" / "specs"))
SPEC = SPECS / "tbls.schema.json_schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    if not SPEC.is_file():
        pytest.fail(f"tbls' JSON Schema is missing: {SPEC} (set ERDGEN_SPECS)")
    schema = json.loads(SPEC.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def assert_valid(validator: Draft202012Validator, data: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def unique_sets(table: dict[str, Any]) -> list[frozenset[str]]:
    """Column sets (SQLite's name keys) the document says are unique: PRIMARY KEY and
    UNIQUE constraints, and unique indexes without a condition."""
    found = [
        frozenset(ascii_fold(c) for c in constraint["columns"])
        for constraint in table["constraints"]
        if constraint["type"] in ("PRIMARY KEY", "UNIQUE")
    ]
    for index in table["indexes"]:
        definition = " ".join(index["def"].upper().split())
        if definition.startswith("CREATE UNIQUE INDEX") and " WHERE " not in definition:
            found.append(frozenset(ascii_fold(c) for c in index["columns"]))
    return found


def take_relation(
    relations: list[dict[str, Any]], table: str, columns: tuple[str, ...], parent: str
) -> dict[str, Any] | None:
    for position, relation in enumerate(relations):
        if (relation["table"], tuple(relation["columns"]), relation["parent_table"]) == (
            table, columns, parent,
        ):  # fmt: skip
            return relations.pop(position)
    return None


def assert_means_the_model(export: SchemaExport, data: dict[str, Any]) -> None:
    schema = export.history.schema
    tables = {t["name"]: t for t in data["tables"] if t["type"] == "table"}
    assert list(tables) == [table.name for table in schema.tables]
    views = [t["name"] for t in data["tables"] if t["type"] == "view"]
    assert views == [view.name for view in schema.views]
    enums = [(e["name"], e["values"]) for e in data.get("enums", [])]
    assert enums == [(e.name, list(e.values)) for e in schema.enums]
    functions = [(f["name"], f["arguments"], f["type"]) for f in data.get("functions", [])]
    assert functions == [(f.name, f.arguments, f.kind.upper()) for f in schema.functions]
    relations = list(data["relations"])  # a key may be declared twice: a list, not a set
    for table in schema.tables:
        read = tables[table.name]
        assert [c["name"] for c in read["columns"]] == [c.name for c in table.columns]
        assert read.get("comment", "") == export.table_note(table)
        for column, model in zip(read["columns"], table.columns, strict=True):
            assert column.get("comment", "") == export.column_note(table, model)
            assert column["default"] == model.default
        assert [t["name"] for t in read["triggers"]] == [
            t.name for t in schema.triggers_on(table.name)
        ]
        keys = [c for c in read["constraints"] if c["type"] == "FOREIGN KEY"]
        assert len(keys) == len(table.foreign_keys)
        nullable = {ascii_fold(c["name"]) for c in read["columns"] if c["nullable"]}
        for key in table.foreign_keys:
            parent = schema.table(key.ref_table)
            columns = tuple(table.column(c).name for c in key.columns)  # type: ignore[union-attr]
            relation = take_relation(relations, table.name, columns, parent.name if parent else "")
            has_key = parent is not None and (key.ref_columns or parent.primary_key)
            assert (relation is not None) == bool(has_key), key
            if relation is None:
                continue
            lowered = frozenset(ascii_fold(c) for c in columns)
            unique = any(s <= lowered for s in unique_sets(read))
            assert relation["cardinality"] == ("zero_or_one" if unique else "zero_or_more")
            optional = bool(lowered & nullable)
            assert relation["parent_cardinality"] == ("zero_or_one" if optional else "exactly_one")
    assert relations == []  # nothing but the foreign keys


def test_bundled_migrations_are_valid_tbls_json(
    validator: Draft202012Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["export", "--format", "tbls"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert_valid(validator, data)
    config = config_from_options(ROOT, project_options(ROOT))
    history = load_history(ROOT / "migrations", ROOT)
    descriptions = load_descriptions(config.descriptions_path)
    export = SchemaExport(history, descriptions, config.default_language, config.site_title)
    assert result.stdout == tbls_json(export)
    assert data["name"] == config.site_title
    assert len(data["relations"]) == sum(len(t.foreign_keys) for t in history.schema.tables)
    assert_means_the_model(export, data)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(export=hostile_exports())
def test_generated_hostile_schemas_are_valid_and_mean_the_model(
    validator: Draft202012Validator, export: SchemaExport
) -> None:
    data = tbls_data(export)
    assert_valid(validator, data)
    assert json.loads(tbls_json(export)) == data
    assert_means_the_model(export, data)


@needs_corpus
@pytest.mark.parametrize("name", FOLDERS)
def test_real_folders_are_valid_and_mean_the_model(
    validator: Draft202012Validator, name: str
) -> None:
    export = corpus_export(name)
    data = tbls_data(export)
    assert_valid(validator, data)
    assert_means_the_model(export, data)
