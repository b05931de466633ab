"""The model against PostgreSQL's catalog: per-table names (triggers, constraints) are
matched by (table, name), views are named by the search path, and the search path of one
migration carries over to the next exactly where the tool runs them on one connection."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from pg_findings import PG_SETTINGS, write

from erdgen import dialects
from erdgen.core.compare import compare, verify, verify_final
from erdgen.core.history import build_history, load_history
from erdgen.dialects.postgres.catalog import read_schema
from erdgen.dialects.postgres.server import Server
from erdgen.model import History, Migration, Session, Transaction

from folders import migrations  # isort: skip

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

POSTGRES = dialects.get("postgres")

# diesel's updated_at helper: the same trigger name on every table
TOUCH = (
    "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN NEW.updated_at := now(); RETURN NEW; END; $$;\n"
)


def _table(name: str) -> str:
    return (
        f"CREATE TABLE {name} (id int PRIMARY KEY, updated_at timestamptz,\n"
        f"  CONSTRAINT positive CHECK (id > 0));\n"
        f"CREATE TRIGGER set_updated_at BEFORE UPDATE ON {name}\n"
        f"  FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"
    )


def _agrees_everywhere(history: History) -> None:
    report = verify(history, POSTGRES)
    assert report.agrees, "\n".join(report.lines())
    final = verify_final(history, None, POSTGRES)
    assert final.agrees, "\n".join(final.lines())


def test_one_trigger_name_on_many_tables_is_one_trigger_per_table(pg_server: Server) -> None:
    tables = ("users", "posts", "comments")
    history = build_history(migrations(TOUCH, *map(_table, tables)), POSTGRES)
    triggers = sorted((t.table, t.name) for t in history.schema.triggers)
    assert triggers == sorted((table, "set_updated_at") for table in tables)
    created = [
        (c.table, c.object)
        for s in history.steps
        for c in s.changes
        if c.action.name == "CREATE_TRIGGER"
    ]
    assert created == [(table, "set_updated_at") for table in tables]  # each in the history
    _agrees_everywhere(history)


def test_a_trigger_dropped_from_one_table_stays_on_the_others(pg_server: Server) -> None:
    files = (TOUCH, _table("users"), _table("posts"), "DROP TRIGGER set_updated_at ON users;\n")
    history = build_history(migrations(*files), POSTGRES)
    assert [(t.table, t.name) for t in history.schema.triggers] == [("posts", "set_updated_at")]
    dropped = [(c.action.name, c.table) for c in history.steps[-1].changes]
    assert dropped == [("DROP_TRIGGER", "users")]
    _agrees_everywhere(history)


def test_a_trigger_missing_on_one_table_is_a_difference_of_that_table(pg: Connection) -> None:
    for sql in (TOUCH, _table("users"), _table("posts")):
        pg.execute(sql)
    catalog = read_schema(pg)
    history = build_history(migrations(TOUCH, _table("users"), _table("posts")), POSTGRES)
    model = history.schema
    fewer = replace(model, triggers=model.triggers[:1])
    found = [str(d) for d in compare(fewer, catalog, POSTGRES)]
    missing = next(t for t in model.triggers[1:])
    assert found == [
        f"trigger {missing.table}.{missing.name}: only in PostgreSQL, not in the model"
    ]


@pytest.mark.parametrize("materialized", ["", "MATERIALIZED "])
def test_a_view_made_under_a_search_path_is_named_by_it(
    pg_server: Server, materialized: str
) -> None:
    history = build_history(
        migrations(
            "CREATE SCHEMA s;\nSET search_path TO s;\nCREATE TABLE t (id int PRIMARY KEY);\n"
            f"CREATE {materialized}VIEW v AS SELECT id FROM t;\n",
            "SET search_path TO s;\nCREATE VIEW w AS SELECT * FROM v;\n",
        ),
        POSTGRES,
    )
    assert [v.name for v in history.schema.views] == ["s.v", "s.w"]
    _agrees_everywhere(history)
    catalog = verify_final(history, None, POSTGRES).schema
    for mine, theirs in zip(history.schema.views, catalog.views, strict=True):
        # the text names it "v", the catalog "s.v": only the kind is compared as text
        assert POSTGRES.definition(mine.sql) == POSTGRES.definition(theirs.sql)


# --- the search path across migrations, as each tool runs them ------------------------------

SET_PATH = "CREATE SCHEMA app;\nSET search_path TO app, public;\n"
LATER = "CREATE TABLE later (id int PRIMARY KEY);\n"

# each layout's two migrations: the first SETs search_path, the second creates a table
# unqualified; the session column says whether the tool's connection carries it over
LAYOUTS: dict[str, tuple[dict[str, str], Session]] = {
    "diesel": (
        {"2024-01-01-000000_a/up.sql": SET_PATH, "2024-01-02-000000_b/up.sql": LATER},
        Session.SHARED,
    ),
    "golang-migrate": ({"1_a.up.sql": SET_PATH, "2_b.up.sql": LATER}, Session.SHARED),
    "goose": (
        {"1_a.sql": "-- +goose Up\n" + SET_PATH, "2_b.sql": "-- +goose Up\n" + LATER},
        Session.SHARED,
    ),
    "sqlx": ({"1_a.sql": SET_PATH, "2_b.sql": LATER}, Session.SHARED),
    "dbmate": (
        {
            "1_a.sql": "-- migrate:up\n" + SET_PATH + "-- migrate:down\n",
            "2_b.sql": "-- migrate:up\n" + LATER + "-- migrate:down\n",
        },
        Session.SHARED,
    ),
    "prisma": (
        {
            "migration_lock.toml": 'provider = "postgresql"\n',
            "20240101000000_a/migration.sql": SET_PATH,
            "20240102000000_b/migration.sql": LATER,
        },
        Session.SHARED,
    ),
    "flyway": ({"V1__a.sql": SET_PATH, "V2__b.sql": LATER}, Session.OWN),
    "sqitch": (
        {
            "sqitch.plan": "%project=p\n\na 2024-01-01T00:00:00Z me <me@x> # a\n"
            "b 2024-01-02T00:00:00Z me <me@x> # b\n",
            "deploy/a.sql": SET_PATH,
            "deploy/b.sql": LATER,
        },
        Session.OWN,
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_set_search_path_carries_over_where_the_tool_keeps_its_connection(
    tmp_path: Path, pg_server: Server, layout: str
) -> None:
    files, session = LAYOUTS[layout]
    folder = write(tmp_path / "migrations", files)
    history = load_history(folder, tmp_path, dialect="postgres", layout=layout)
    assert {m.session for m in history.migrations} == {session}
    expected = "app.later" if session is Session.SHARED else "later"
    assert [t.name for t in history.schema.tables] == [expected]
    _agrees_everywhere(history)  # PostgreSQL, replayed as the tool runs it, decides


@pytest.mark.parametrize("local", [True, False])
def test_set_local_ends_with_the_migrations_transaction(pg_server: Server, local: bool) -> None:
    scope = "LOCAL " if local else ""
    history = build_history(
        migrations(f"CREATE SCHEMA app;\nSET {scope}search_path TO app;\n", LATER), POSTGRES
    )
    assert [t.name for t in history.schema.tables] == ["later" if local else "app.later"]
    _agrees_everywhere(history)


# --- the property: any mix of SET, SET LOCAL and unqualified CREATE, as PostgreSQL runs it ----

_PATHS = ("a", "b", "a, b", "public", "b, public", "DEFAULT")


@st.composite
def _folder(draw: st.DrawFn) -> list[Migration]:
    """Migrations of one tool (one session kind) that SET the search path, with or without
    LOCAL, open or end transaction blocks of their own and create tables and views
    unqualified; each with a drawn transaction mode."""
    session = draw(st.sampled_from(Session))
    texts = ["CREATE SCHEMA a;\nCREATE SCHEMA b;\n"]
    modes = [Transaction.FILE]
    for n in range(draw(st.integers(1, 4))):
        lines = []
        for m in range(draw(st.integers(1, 3))):
            lines += draw(st.sampled_from(([], [], ["BEGIN;"], ["COMMIT;"])))
            if draw(st.booleans()):
                local = "LOCAL " if draw(st.booleans()) else ""
                lines.append(f"SET {local}search_path TO {draw(st.sampled_from(_PATHS))};")
            lines.append(f"CREATE TABLE t{n}_{m} (id int);")
            if draw(st.booleans()):
                lines.append(f"CREATE VIEW v{n}_{m} AS SELECT id FROM t{n}_{m};")
        texts.append("\n".join(lines) + "\n")
        modes.append(draw(st.sampled_from(Transaction)))
    return [
        replace(migration, session=session, transaction=mode)
        for migration, mode in zip(migrations(*texts), modes, strict=True)
    ]


@settings(PG_SETTINGS, max_examples=30)
@given(folder=_folder())
def test_where_unqualified_objects_land_is_where_postgresql_puts_them(
    pg_server: Server, folder: list[Migration]
) -> None:
    _agrees_everywhere(build_history(folder, POSTGRES))


@pytest.mark.parametrize(
    ("sql", "kind", "changed"),
    [
        ("CREATE DOMAIN code AS varchar(20) NOT NULL DEFAULT 'x'", "domains", "not_null"),
        ("CREATE DOMAIN code AS varchar(20) DEFAULT 'x'", "domains", "default"),
        ("CREATE TYPE pair AS (a integer, b text)", "composites", "attributes"),
    ],
)
def test_a_domain_or_composite_type_that_differs_is_a_difference_of_its_field(
    pg: Connection, sql: str, kind: str, changed: str
) -> None:
    pg.execute(sql)
    catalog = read_schema(pg)
    model = build_history(migrations(sql), POSTGRES).schema
    assert not compare(model, catalog, POSTGRES)
    (item,) = getattr(model, kind)
    wrong = replace(item, **{changed: _other(getattr(item, changed))})
    found = [str(d) for d in compare(replace(model, **{kind: (wrong,)}), catalog, POSTGRES)]
    assert len(found) == 1 and changed in found[0], found


def _other(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, tuple):
        return value[:-1]
    return None if value else "'y'::character varying"
