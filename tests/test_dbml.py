"""``erdgen export --format dbml`` read back by DBML's reference parser, ``@dbml/core``.

``dbml2sql`` (from ``@dbml/cli``, installed into tests/node by ``./dev test``) must turn
erdgen's DBML into SQL without an error, and what the parser reports (tables, columns,
indexes, refs: tests/node/dbml_report.js) must be the model's, for the bundled migrations,
for generated migrations full of hostile names, and for the real SQLite and PostgreSQL
folders of ``../shared/corpus``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus_exports import FOLDERS, corpus_export, needs_corpus
from hostile import hostile_exports
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen.cli import main
from erdgen.config import config_from_options, project_options
from erdgen.core.history import load_history
from erdgen.descriptions import load_descriptions
from erdgen.formats.dbml import DATABASE_TYPES, dbml
from erdgen.formats.registry import SchemaExport
from erdgen.keys import Cardinality, cardinality, referenced_columns
from erdgen.model import Column, Index, Schema, Table
from erdgen.namespaces import enum_of

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "tests" / "node"
DBML2SQL = NODE / "node_modules" / ".bin" / "dbml2sql"
ONE_TO_ONE = (Cardinality.ONE_TO_ONE, Cardinality.ONE_TO_ZERO_OR_ONE)


@pytest.fixture(scope="module")
def node_tools() -> None:
    if not DBML2SQL.exists():
        pytest.fail("the DBML reference parser is missing: run ./dev test (npm ci in tests/node)")


def dbml2sql(files: list[Path], cwd: Path) -> str:
    """dbml2sql's SQL. It exits 0 even on a syntax error: its error message (which points
    to a log file) and a non-empty ``dbml-error.log`` in the working folder count as failure."""
    result = subprocess.run(
        [str(DBML2SQL), *map(str, files)], cwd=cwd, capture_output=True, text=True, check=False
    )
    log = cwd / "dbml-error.log"  # created empty by every run
    logged = log.read_text(encoding="utf-8") if log.exists() else ""
    failed = "A complete log can be found in" in result.stdout + result.stderr
    assert result.returncode == 0 and not failed and not logged, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def parser(node_tools: None) -> Iterator[subprocess.Popen[str]]:
    """One node process running @dbml/core for many inputs (starting one takes ~3 s)."""
    process = subprocess.Popen(
        ["node", str(NODE / "dbml_report.js"), "--lines"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=30)


def parse(process: subprocess.Popen[str], text: str) -> dict[str, Any]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(text) + "\n")
    process.stdin.flush()
    report: dict[str, Any] = json.loads(process.stdout.readline())
    assert report["errors"] == [], f"{report['errors']}\n{text}"
    return report


# -- what the parser must report, read from the model --------------------------------------


def column_facts(schema: Schema, table: Table, column: Column) -> dict[str, Any]:
    enum = enum_of(schema, column.type)
    return {
        "name": column.name,
        # a column of an enum type names the Enum block (an array of one: its type text)
        "type": enum.name if enum and not column.type.endswith("]") else column.type,
        "pk": bool(column.primary_key) and len(table.primary_key) == 1,
        "not_null": column.not_null,
        "unique": column.unique,
        "increment": column.autoincrement,
    }


def index_facts(table: Table) -> list[tuple[str, bool, bool, list[tuple[str, str]]]]:
    """Every index as (name, unique, pk, keys); keys sorted, as @dbml/core lists expression
    keys before column keys."""
    found = []
    if len(table.primary_key) > 1:
        found.append(("", False, True, sorted(("column", c) for c in table.primary_key)))
    for index in table.indexes:
        single = len(index.columns) == 1 and index.columns[0].name is not None
        column = table.column(index.columns[0].name or "") if single else None
        if index.origin == "pk" or (index.origin == "u" and column is not None and column.unique):
            continue
        if has_backtick_expression(index):
            continue  # DBML has no form for it: a comment
        keys = sorted(
            ("column", table.column(k.name).name) if k.name and table.column(k.name)  # type: ignore[union-attr]
            else ("expression", k.label)
            for k in index.columns
        )  # fmt: skip
        found.append((index.name if index.origin == "c" else "", index.unique, False, keys))
    return sorted(found)


def has_backtick_expression(index: Index) -> bool:
    return any(k.name is None and "`" in k.label for k in index.columns)


def ref_facts(schema: Schema) -> tuple[list[list[Any]], int]:
    """Every foreign key DBML can hold as [child, columns, relation, parent, columns], and
    how many it cannot (a missing table or column): those must be comments."""
    refs, left_out = [], 0
    seen: list[set[tuple[str, frozenset[str]]]] = []
    for table in schema.tables:
        for key in table.foreign_keys:
            parent = schema.table(key.ref_table)
            targets = referenced_columns(schema, key)
            if parent is None or len(targets) != len(key.columns) or not targets:
                left_out += 1
                continue
            child_columns = [table.column(c).name for c in key.columns]  # type: ignore[union-attr]
            parent_columns = [parent.column(c).name for c in targets]  # type: ignore[union-attr]
            relation = "1" if cardinality(table, key) in ONE_TO_ONE else "*"
            ref = [table.name, child_columns, relation, parent.name, parent_columns]
            ends = {
                (table.name, frozenset(child_columns)),
                (parent.name, frozenset(parent_columns)),
            }
            if ends in seen:  # DBML allows one ref between two column sets
                left_out += 1
            else:
                seen.append(ends)
                refs.append(ref)
    return sorted(refs), left_out


def reported_refs(report: dict[str, Any]) -> list[list[Any]]:
    """The parser's refs in ref_facts' shape (endpoints come in written order: child first)."""
    found = []
    for ref in report["refs"]:
        child, parent = ref["endpoints"]
        found.append(
            [child["table"], child["fields"], child["relation"], parent["table"], parent["fields"]]
        )
    return sorted(found)


def default_matches(sql: str, reported: dict[str, Any] | None) -> bool:
    """A reported default means the same as SQLite's dflt_value text."""
    if reported is None:
        return "`" in sql  # only an expression with a backtick has no DBML form
    kind, value = reported["type"], reported["value"]
    if kind == "string":
        return sql == "'" + str(value).replace("'", "''") + "'"
    if kind == "number":
        return float(sql) == value
    if kind == "boolean":
        return sql.lower() == str(value).lower()
    return bool(sql == value)


def assert_reports_the_model(export: SchemaExport, report: dict[str, Any]) -> None:
    schema = export.history.schema
    assert report["project"] == export.title
    kind = DATABASE_TYPES[export.history.dialect] if export.title else ""
    assert report["database_type"] == kind
    assert sorted((e["name"], e["values"]) for e in report["enums"]) == sorted(
        (e.name, list(e.values)) for e in schema.enums
    )
    by_name = {t["name"]: t for t in report["tables"]}
    # the parser groups tables by DBML schema (PostgreSQL namespace): compare without order
    assert sorted(by_name) == sorted(t.name for t in schema.tables)
    assert len(by_name) == len(report["tables"])
    for table in schema.tables:
        read = by_name[table.name]
        assert [
            {k: c[k] for k in column_facts(schema, table, col)}
            for c, col in zip(read["columns"], table.columns, strict=True)
        ] == [column_facts(schema, table, col) for col in table.columns]
        assert read["note"].startswith(export.table_note(table))
        for read_column, column in zip(read["columns"], table.columns, strict=True):
            assert read_column["note"].startswith(export.column_note(table, column))
            if column.default is not None:
                assert default_matches(column.default, read_column["default"]), column
        indexes = sorted(
            (i["name"], i["unique"], i["pk"], sorted((k["type"], k["value"]) for k in i["columns"]))
            for i in read["indexes"]
        )
        assert indexes == index_facts(table)
        checks = [c.expression for c in table.checks]
        assert [c["expression"] for c in read["checks"]] == [c for c in checks if "`" not in c]
    refs, left_out = ref_facts(schema)
    assert reported_refs(report) == refs
    comments = [line.strip() for line in dbml(export).splitlines() if line.strip().startswith("//")]
    assert sum("foreign key" in line for line in comments) == left_out
    unwritten = [
        *(i for t in schema.tables for i in t.indexes if has_backtick_expression(i)),
        *(c for t in schema.tables for c in t.checks if "`" in c.expression),
    ]
    assert sum(line.startswith(("// index", "// CHECK")) for line in comments) == len(unwritten)


# -- the tests -------------------------------------------------------------------------------


def test_bundled_migrations_pass_dbml2sql_and_read_back_as_the_model(
    parser: subprocess.Popen[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["export", "--format", "dbml", "--language", "en"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "schema.dbml"
    path.write_text(result.stdout, encoding="utf-8")
    history = load_history(ROOT / "migrations", ROOT)
    config = config_from_options(ROOT, project_options(ROOT))
    descriptions = load_descriptions(config.descriptions_path)
    export = SchemaExport(history, descriptions, "en", config.site_title)
    assert result.stdout == dbml(export)
    sql = dbml2sql([path], tmp_path)
    assert sql.count("CREATE TABLE") == len(history.schema.tables)
    assert_reports_the_model(export, parse(parser, result.stdout))


def test_generated_hostile_schemas_read_back_as_the_model(
    parser: subprocess.Popen[str], tmp_path: Path
) -> None:
    written: list[Path] = []

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hostile_exports())
    def check(export: SchemaExport) -> None:
        text = dbml(export)
        assert_reports_the_model(export, parse(parser, text))
        path = tmp_path / f"{len(written)}.dbml"
        path.write_text(text, encoding="utf-8")
        written.append(path)

    check()
    work = tmp_path / "dbml2sql"
    work.mkdir()
    for batch in (written[i : i + 20] for i in range(0, len(written), 20)):
        dbml2sql(batch, work)  # the command line reads them too
    shutil.rmtree(work)


@needs_corpus
@pytest.mark.parametrize("name", FOLDERS)
def test_real_folders_read_back_as_the_model(parser: subprocess.Popen[str], name: str) -> None:
    export = corpus_export(name)
    assert_reports_the_model(export, parse(parser, dbml(export)))


# PostgreSQL enum labels: any text of 1 to 63 bytes (quotes, backslashes, line breaks too)
LABELS = st.lists(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1)
    .filter(lambda s: len(s.encode()) <= 63),
    max_size=4, unique=True,
)  # fmt: skip


def test_generated_enums_read_back_with_their_values_in_order(
    parser: subprocess.Popen[str],
) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(labels=LABELS, qualified=st.booleans())
    def check(labels: list[str], qualified: bool) -> None:
        literals = ", ".join("'" + label.replace("'", "''") + "'" for label in labels)
        kind = "ns.kind" if qualified else "kind"
        sql = (f"CREATE SCHEMA ns;\nCREATE TYPE {kind} AS ENUM ({literals});\n"
               f"CREATE TABLE ns.t (k {kind}, ks {kind}[]);\n")  # fmt: skip
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "migrations"
            folder.mkdir()
            (folder / "0001.sql").write_text(sql, encoding="utf-8")
            history = load_history(folder, Path(scratch), dialect="postgres")
        export = SchemaExport(history, None, "en", "enums")
        text = dbml(export)
        if not labels:  # DBML has no empty Enum: a comment says so, the rest still parses
            assert "// enum" in text
            assert parse(parser, text)["enums"] == []
            return
        assert_reports_the_model(export, parse(parser, text))

    check()
