"""The ``CREATE TABLE`` a PostgreSQL table's page shows (``render/postgres_definition.py``)
is judged by PostgreSQL: in the database the migrations built, each table in turn is
dropped and made again from erdgen's text (inside a transaction that is rolled back), and
the catalog's table then must equal the model's, as ``erdgen verify`` compares them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from corpus_order import CORPUS, EXPECTED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from pg_findings import PG_SETTINGS
from pg_strategies import migrations as pg_migrations
from test_pg_benchmark_generator import generator

from erdgen import dialects
from erdgen.config import Config
from erdgen.core.history import build_history, load_history
from erdgen.descriptions import Descriptions
from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.compare import disagreements
from erdgen.dialects.postgres.dialect import statements
from erdgen.dialects.postgres.replay import replay, start_session
from erdgen.dialects.postgres.server import connect
from erdgen.model import History, Schema, Table
from erdgen.namespaces import QUOTED_KEYWORDS, quote_ident
from erdgen.render.pages import render_pages
from erdgen.render.postgres_definition import table_definition

from folders import migrations  # isort: skip

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection, Server

POSTGRES = dialects.get("postgres")


def test_the_quoted_key_words_are_the_servers(pg: Connection) -> None:
    rows = pg.execute("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'").fetchall()
    assert {row[0] for row in rows} == QUOTED_KEYWORDS


@pytest.mark.parametrize("name", ["users", "user", "Users", "a b", 'say "hi"', "_x1", "1x", "ü"])
def test_quote_ident_is_postgresqls(pg: Connection, name: str) -> None:
    row = pg.execute("SELECT quote_ident(%s)", (name,)).fetchone()
    assert row is not None and quote_ident(name) == row[0]


def _replayed(history: History, conninfo: str) -> Connection:
    connection = connect(conninfo)
    for migration in history.migrations:
        start_session(connection, migration)
        assert replay(connection, statements(migration), migration.transaction) is None
    return connection


def _remade(connection: Connection, table: Table, model: Schema) -> Table:
    """The catalog's table after dropping it and running erdgen's definition instead."""
    owned = [s for s in model.sequences if not s.identity and (s.owned_by or "").startswith(
        f"{table.name}.")]  # fmt: skip
    connection.execute("BEGIN")
    try:
        # serial columns' sequences outlive the drop, as their defaults name them
        for sequence in owned:
            connection.execute(f"ALTER SEQUENCE {_sql_name(sequence.name)} OWNED BY NONE")
        connection.execute(f"DROP TABLE {_sql_name(table.name)} CASCADE")
        connection.execute(table_definition(table, model))
        remade = read_schema(connection)
    finally:
        connection.execute("ROLLBACK")
    return next(t for t in remade.tables if t.name == table.name)


def _sql_name(name: str) -> str:
    return ".".join(quote_ident(part) for part in name.split(".", 1))


def _comparable(table: Table) -> Table:
    # COMMENT ON is not part of CREATE TABLE; the column descriptions go with it
    columns = tuple(replace(c, description="") for c in table.columns)
    constraints = tuple(replace(c, description="") for c in table.constraints)
    return replace(table, description="", columns=columns, constraints=constraints)


def _judge(history: History, server: Server) -> list[str]:
    """Every way a table made from its definition differs from the model's table."""
    model = history.schema
    wrong = []
    with server.database() as conninfo, _replayed(history, conninfo) as connection:
        for table in model.tables:
            remade = _remade(connection, table, model)
            found = disagreements(
                replace(model, tables=(_comparable(table),), views=(), triggers=()),
                replace(model, tables=(_comparable(remade),), views=(), triggers=()),
            )
            wrong += [f"{table.name}: {d}" for d in found]
    return wrong


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_tables_definition_makes_the_same_table(name: str, pg_server: Server) -> None:
    assert _judge(load_history(CORPUS / name, CORPUS / name), pg_server) == []


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10_000))
def test_the_benchmark_folders_definitions_make_the_same_tables(
    tmp_path_factory: pytest.TempPathFactory, pg_server: Server, seed: int
) -> None:
    """The synthetic diesel folder: identity, serial and uuid keys, enums, gin, INCLUDE,
    partial and expression indexes, NOT VALID foreign keys, schemas."""
    root = tmp_path_factory.mktemp("pg")
    generator.generate(root, 40, 14, seed=seed)
    history = load_history(root / "migrations", root, dialect="postgres")
    assert _judge(history, pg_server) == []


@PG_SETTINGS
@given(files=pg_migrations())
def test_generated_folders_definitions_make_the_same_tables(
    pg_server: Server, files: list[str]
) -> None:
    history = build_history(migrations(*files), POSTGRES)
    assert _judge(history, pg_server) == []


def test_a_table_page_ends_with_its_printed_definition_in_both_languages(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_init.sql").write_text(
        'CREATE TABLE "Order" (id serial PRIMARY KEY, "user" text NOT NULL);\n'
        'CREATE INDEX ON "Order" (lower("user") text_pattern_ops);\n',
        encoding="utf-8",
    )
    history = load_history(folder, tmp_path, dialect="postgres")
    pages = render_pages(history, Descriptions(), Config(project_dir=tmp_path))
    labels = {
        "de": "CREATE TABLE (aktuelle Form, von erdgen aus dem Modell geschrieben)",
        "en": "CREATE TABLE (current shape, printed by erdgen from the model)",
    }
    printed = table_definition(history.schema.tables[0], history.schema)
    assert printed == (
        'CREATE TABLE "Order" (\n'
        "    id integer DEFAULT nextval('\"Order_id_seq\"'::regclass) NOT NULL,\n"
        '    "user" text NOT NULL,\n'
        '    CONSTRAINT "Order_pkey" PRIMARY KEY (id)\n'
        ");\n"
        'CREATE INDEX "Order_lower_idx" ON "Order" ((lower("user")) text_pattern_ops);'
    )
    for language, label in labels.items():
        english = language == "en"
        page = next(
            text.decode()
            for path, text in pages.items()
            if path.startswith("tables/order-") and path.endswith(".en.md") == english
        )
        fold = page.split("## Definition", 1)[1]
        assert f'??? note "{label}"' in fold
        assert "\n".join("    " + line for line in printed.splitlines()) in fold
