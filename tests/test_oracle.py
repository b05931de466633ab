"""The oracle: what SQLite reports about a schema, how differences are named, replay errors."""

from __future__ import annotations

import sqlite3

import pytest
from msgspec.structs import replace

from erdgen.core.compare import Difference, compare, verify
from erdgen.dialects.sqlite.engine import replay, split_statements
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.dialects.sqlite.sqltext import definition, index_parts, normalise_sql
from erdgen.errors import Location, MigrationError
from erdgen.model import (
    Column,
    ForeignKey,
    Hidden,
    History,
    Index,
    IndexColumn,
    Migration,
    Schema,
    Step,
    Table,
)


def schema_of(sql: str) -> Schema:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(sql)
    try:
        return read_schema(conn)
    finally:
        conn.close()


def table_of(sql: str, name: str) -> Table:
    table = schema_of(sql).table(name)
    assert table is not None
    return table


def migration(number: int, name: str, sql: str) -> Migration:
    version = f"{number:04d}"
    path = f"migrations/{version}_{name}.sql"
    return Migration(f"{version}_{name}.sql", (number,), name, (path,), "", sql, label=version)


# --- read_schema: SQLite's PRAGMA semantics ---------------------------------------------------


def test_foreign_keys_come_in_declaration_order_although_sqlite_numbers_them_backwards() -> None:
    child = table_of(
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY, x TEXT UNIQUE, y TEXT, UNIQUE (x, y));
        CREATE TABLE child (
            a INTEGER REFERENCES parent,
            b TEXT,
            c TEXT,
            d INTEGER REFERENCES Parent (id) ON UPDATE SET NULL,
            FOREIGN KEY (b, c) REFERENCES parent (x, y) ON DELETE CASCADE MATCH FULL
        );
        """,
        "child",
    )
    assert child.foreign_keys == (
        ForeignKey(columns=("a",), ref_table="parent", ref_columns=()),
        ForeignKey(columns=("d",), ref_table="Parent", ref_columns=("id",), on_update="SET NULL"),
        ForeignKey(
            columns=("b", "c"),
            ref_table="parent",
            ref_columns=("x", "y"),
            on_delete="CASCADE",
            match="NONE",  # SQLite parses MATCH but ignores it, and reports NONE
        ),
    )


def test_constraint_indexes_are_numbered_autoindexes_in_declaration_order() -> None:
    table = table_of(
        "CREATE TABLE t (a UNIQUE, b, c, PRIMARY KEY (b), UNIQUE (c, a));"
        "CREATE INDEX t_c ON t (c);",
        "t",
    )
    assert [(i.name, i.column_names, i.origin, i.unique) for i in table.indexes] == [
        ("sqlite_autoindex_t_1", ("a",), "u", True),
        ("sqlite_autoindex_t_2", ("b",), "pk", True),
        ("sqlite_autoindex_t_3", ("c", "a"), "u", True),
        ("t_c", ("c",), "c", False),
    ]
    assert table.index("t_c") == Index(
        name="t_c",
        table="t",
        columns=(IndexColumn("c", collation="BINARY"),),
        sql="CREATE INDEX t_c ON t (c)",
    )


def test_integer_primary_key_has_no_index_but_a_primary_key_position() -> None:
    table = table_of("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);", "t")
    assert table.indexes == ()
    assert [(c.name, c.type, c.primary_key) for c in table.columns] == [
        ("id", "INTEGER", 1),
        ("name", "TEXT", 0),
    ]


def test_expression_partial_and_descending_index_keys() -> None:
    table = table_of(
        "CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT);"
        "CREATE UNIQUE INDEX t_x ON t (lower(b) DESC, a, b COLLATE rtrim)\n"
        "  WHERE  a IS NOT NULL -- only named rows\n;",
        "t",
    )
    index = table.index("t_x")
    assert index is not None
    assert index.columns == (
        IndexColumn(None, expression="lower(b)", descending=True, collation="BINARY"),
        IndexColumn("a", collation="NOCASE"),
        IndexColumn("b", collation="rtrim"),
    )
    assert (index.unique, index.origin, index.where) == (True, "c", "a IS NOT NULL")


def test_without_rowid_strict_and_generated_columns() -> None:
    schema = schema_of(
        "CREATE TABLE w (a TEXT, b TEXT, PRIMARY KEY (b, a)) WITHOUT ROWID;"
        "CREATE TABLE s (a INTEGER PRIMARY KEY, b ANY NOT NULL DEFAULT -1,"
        " g INT GENERATED ALWAYS AS (a * 2) STORED, v TEXT AS (b || 'x')) STRICT;"
    )
    w, s = schema.tables
    assert (w.without_rowid, w.strict, s.without_rowid, s.strict) == (True, False, False, True)
    assert w.primary_key == ("b", "a")
    assert [(i.name, i.origin) for i in w.indexes] == [("sqlite_autoindex_w_1", "pk")]
    assert s.columns == (
        Column("a", "INTEGER", primary_key=1),
        Column("b", "ANY", not_null=True, default="-1"),
        Column("g", "INT", hidden=Hidden.STORED),
        Column("v", "TEXT", hidden=Hidden.VIRTUAL),
    )


def test_declared_types_and_defaults_are_kept_as_written() -> None:
    table = table_of(
        "CREATE TABLE t (a UNSIGNED BIG INT, b INT8, c VARCHAR(255), d DOUBLE PRECISION, e,"
        " f TEXT DEFAULT CURRENT_TIMESTAMP, g TEXT DEFAULT 'x''y', h REAL DEFAULT (1.5 * 2));",
        "t",
    )
    assert [(c.type, c.default) for c in table.columns] == [
        ("UNSIGNED BIG INT", None),
        ("INT8", None),
        ("VARCHAR(255)", None),
        ("DOUBLE PRECISION", None),
        ("", None),
        ("TEXT", "CURRENT_TIMESTAMP"),
        ("TEXT", "'x''y'"),
        ("REAL", "1.5 * 2"),
    ]


def test_internal_and_shadow_tables_are_left_out_and_objects_keep_creation_order() -> None:
    schema = schema_of(
        "CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT);"
        "CREATE VIRTUAL TABLE docs USING fts5(title, body);"
        "CREATE TABLE a (x);"
        "CREATE VIEW v2 AS SELECT * FROM a;"
        "CREATE VIEW v1 AS SELECT * FROM b;"
        "CREATE TRIGGER t1 AFTER INSERT ON a BEGIN INSERT INTO b VALUES (NULL); DELETE FROM b; END;"
    )
    assert [t.name for t in schema.tables] == ["b", "docs", "a"]
    docs = schema.table("docs")
    assert docs is not None and [c.name for c in docs.columns] == ["title", "body"]
    assert [v.name for v in schema.views] == ["v2", "v1"]
    (trigger,) = schema.triggers
    assert (trigger.name, trigger.table) == ("t1", "a")
    assert trigger.sql.endswith("DELETE FROM b; END")


# --- SQL text ---------------------------------------------------------------------------------


def test_normalise_sql_ignores_layout_and_comments_but_not_strings() -> None:
    assert normalise_sql("SELECT  a ,\n b -- x\nFROM ( t ) ;") == "SELECT a,b FROM(t)"
    assert normalise_sql("SELECT 'a  b'") != normalise_sql("SELECT 'a b'")


def test_definition_matches_what_sqlite_stores_for_views_and_triggers() -> None:
    written = "create view if not exists v as\n  select 1 -- one\n;"
    (view,) = schema_of(written).views
    assert view.sql == "CREATE VIEW v as\n  select 1 -- one"
    assert definition(written) == definition(view.sql) == "CREATE VIEW v as select 1"


def test_index_parts_strip_collation_and_order_from_keys() -> None:
    parts = index_parts('CREATE INDEX i ON t ("a b" COLLATE "nocase" ASC, (x+1)DESC) WHERE x>0')
    assert parts.keys == ('"a b"', "(x+1)")
    assert parts.where == "x>0"


def test_split_statements_keeps_trigger_bodies_and_finds_each_start() -> None:
    sql = (
        "-- header; with a semicolon\n"
        "CREATE TABLE t (a TEXT DEFAULT ';');\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
        "  UPDATE t SET a = 'x;';\n"
        "  DELETE FROM t;\n"
        "END;  ;\n"
        "  INSERT INTO t VALUES ('last')"
    )
    statements = list(split_statements(migration(1, "m", sql)))
    assert [s.location.line for s in statements] == [2, 3, 7]
    assert statements[1].sql.endswith("DELETE FROM t;\nEND;")
    assert statements[2].sql == "INSERT INTO t VALUES ('last')"
    assert statements[2].location == Location("migrations/0001_m.sql", 7, 3)


# --- compare: every kind of difference is named ---------------------------------------------

BASE_SQL = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT COLLATE NOCASE);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    title TEXT DEFAULT 'untitled'
);
CREATE INDEX posts_user ON posts (user_id, title DESC) WHERE title IS NOT NULL;
CREATE INDEX users_name ON users (name);
CREATE VIEW titles AS SELECT title FROM posts;
CREATE TRIGGER posts_touch AFTER UPDATE ON posts BEGIN SELECT 1; END;
"""


@pytest.fixture(scope="module")
def base() -> Schema:
    return schema_of(BASE_SQL)


def with_table(schema: Schema, name: str, **changes: object) -> Schema:
    table = schema.table(name)
    assert table is not None
    return schema.with_table(replace(table, **changes))  # type: ignore[arg-type]


def with_column(schema: Schema, table_name: str, column_name: str, **changes: object) -> Schema:
    table = schema.table(table_name)
    assert table is not None
    columns = tuple(
        replace(c, **changes) if c.name == column_name else c  # type: ignore[arg-type]
        for c in table.columns
    )
    return schema.with_table(replace(table, columns=columns))


def with_index(schema: Schema, table_name: str, index_name: str, **changes: object) -> Schema:
    table = schema.table(table_name)
    assert table is not None
    indexes = tuple(
        replace(i, **changes) if i.name == index_name else i  # type: ignore[arg-type]
        for i in table.indexes
    )
    return schema.with_table(replace(table, indexes=indexes))


def differences(model: Schema, actual: Schema) -> list[str]:
    return [str(d) for d in compare(model, actual)]


def test_a_schema_agrees_with_itself(base: Schema) -> None:
    assert compare(base, base) == ()


def test_column_differences_are_named(base: Schema) -> None:
    model = with_column(base, "users", "email", not_null=False, type="VARCHAR")
    model = with_column(model, "posts", "title", default="'Untitled'", primary_key=2)
    assert differences(model, base) == [
        "table users: column email: type: model 'VARCHAR', SQLite 'TEXT'",
        "table users: column email: not_null: model False, SQLite True",
        "table posts: column title: default: model \"'Untitled'\", SQLite \"'untitled'\"",
        "table posts: column title: primary_key: model 2, SQLite 0",
    ]
    hidden = with_column(base, "users", "name", hidden=Hidden.STORED)
    assert differences(hidden, base) == [
        "table users: column name: hidden: model 'stored', SQLite 'normal'"
    ]


def test_missing_extra_and_reordered_columns(base: Schema) -> None:
    users = base.table("users")
    assert users is not None
    id_, email, name = users.columns
    model = with_table(base, "users", columns=(id_, name, email, Column("age", "INTEGER")))
    assert differences(model, base) == [
        "table users: columns: model (id, name, email, age), SQLite (id, email, name)"
    ]


def test_missing_and_extra_tables_and_name_spelling(base: Schema) -> None:
    posts = base.table("posts")
    assert posts is not None
    model = replace(base, tables=(Table("Users", base.tables[0].columns), Table("ghost", ())))
    model = model.with_table(replace(base.tables[0], name="Users"))
    assert differences(model, base) == [
        "table ghost: only in the model",
        "table users: name: model 'Users', SQLite 'users'",
        "table posts: only in SQLite, not in the model",
    ]


def test_table_options_differences(base: Schema) -> None:
    model = with_table(base, "posts", without_rowid=True, strict=True)
    assert differences(model, base) == [
        "table posts: without_rowid: model True, SQLite False",
        "table posts: strict: model True, SQLite False",
    ]


def test_foreign_key_differences(base: Schema) -> None:
    key = ForeignKey(("user_id",), "USERS", ("ID",), on_delete="CASCADE")
    assert differences(with_table(base, "posts", foreign_keys=(key,)), base) == []
    wrong = replace(key, on_delete="SET NULL", ref_columns=("email",), match="FULL")
    assert differences(with_table(base, "posts", foreign_keys=(wrong,)), base) == [
        "table posts: foreign key (user_id) -> users: ref_columns: model (email), SQLite (id)",
        "table posts: foreign key (user_id) -> users: on_delete: model 'SET NULL', "
        "SQLite 'CASCADE'",
        "table posts: foreign key (user_id) -> users: match: model 'FULL', SQLite 'NONE'",
    ]
    assert differences(with_table(base, "posts", foreign_keys=()), base) == [
        "table posts: foreign keys: model (), SQLite ((user_id) -> users)"
    ]


def test_index_differences(base: Schema) -> None:
    model = with_index(
        base,
        "posts",
        "posts_user",
        unique=True,
        where="title  IS NULL",
        columns=(IndexColumn("user_id"), IndexColumn("title")),
    )
    assert differences(model, base) == [
        "table posts: index posts_user: descending: model (ASC, ASC), SQLite (ASC, DESC)",
        "table posts: index posts_user: unique: model True, SQLite False",
        "table posts: index posts_user: where: model 'title IS NULL', SQLite 'title IS NOT NULL'",
    ]
    other_columns = with_index(base, "posts", "posts_user", columns=(IndexColumn("title"),))
    assert differences(other_columns, base) == [
        "table posts: index posts_user: columns: model (title), SQLite (user_id, title)",
        "table posts: index posts_user: descending: model (ASC), SQLite (ASC, DESC)",
    ]
    origin = with_index(base, "users", "sqlite_autoindex_users_1", origin="pk")
    assert differences(origin, base) == [
        "table users: index sqlite_autoindex_users_1: origin: model 'pk', SQLite 'u'"
    ]


def test_missing_and_extra_indexes(base: Schema) -> None:
    posts = base.table("posts")
    assert posts is not None
    extra = Index("posts_title", "posts", (IndexColumn("title"),))
    model = with_table(base, "posts", indexes=(extra,))
    assert differences(model, base) == [
        "table posts: index posts_title: only in the model",
        "table posts: index posts_user: only in SQLite, not in the model",
    ]


def test_index_collation_follows_the_column_unless_the_index_says_otherwise(
    base: Schema,
) -> None:
    # users.name is declared COLLATE NOCASE; the index names no collation of its own.
    plain = with_index(base, "users", "users_name", columns=(IndexColumn("name"),))
    assert differences(plain, base) == [
        "table users: index users_name: key 1 (name): collation: model 'BINARY', SQLite 'NOCASE'"
    ]
    with_column_collation = with_column(plain, "users", "name", collation="nocase")
    assert differences(with_column_collation, base) == []
    explicit = with_index(
        with_column_collation,
        "users",
        "users_name",
        columns=(IndexColumn("name", collation="RTRIM"),),
    )
    assert differences(explicit, base) == [
        "table users: index users_name: key 1 (name): collation: model 'RTRIM', SQLite 'NOCASE'"
    ]


def test_view_and_trigger_differences(base: Schema) -> None:
    (view,) = base.views
    (trigger,) = base.triggers
    same = replace(
        base,
        views=(
            replace(view, sql="CREATE VIEW IF NOT EXISTS titles AS\n  SELECT title FROM posts;"),
        ),
    )
    assert differences(same, base) == []
    model = replace(
        base,
        views=(replace(view, sql="CREATE VIEW titles AS SELECT title, id FROM posts"),),
        triggers=(replace(trigger, table="users"),),
    )
    assert differences(model, base) == [
        "view titles: sql: model 'CREATE VIEW titles AS SELECT title,id FROM posts', "
        "SQLite 'CREATE VIEW titles AS SELECT title FROM posts'",
        "trigger posts_touch: table: model 'users', SQLite 'posts'",
    ]
    assert differences(replace(base, views=(), triggers=()), base) == [
        "view titles: only in SQLite, not in the model",
        "trigger posts_touch: only in SQLite, not in the model",
    ]


def test_difference_keeps_its_parts_for_tools() -> None:
    difference = Difference("table", "users", "column email: not_null", False, True)
    assert str(difference) == "table users: column email: not_null: model False, SQLite True"


# --- replay -----------------------------------------------------------------------------------


def test_replay_yields_sqlites_schema_after_each_migration() -> None:
    migrations = (
        migration(1, "create", "CREATE TABLE t (a);"),
        migration(2, "add", "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT '';"),
        migration(3, "rename", "ALTER TABLE t RENAME TO u;"),
    )
    seen = [(m.shown, [(t.name, len(t.columns)) for t in s.tables]) for m, s in replay(migrations)]
    assert seen == [("0001", [("t", 1)]), ("0002", [("t", 2)]), ("0003", [("u", 2)])]


def test_replay_names_the_statement_sqlite_rejects_with_its_place() -> None:
    migrations = (
        migration(1, "create", "CREATE TABLE t (a);\n"),
        migration(
            2, "broken", "-- adds b\nALTER TABLE t ADD COLUMN b;\n\n  UPDATE t\n  SET c = 1;\n"
        ),
    )
    with pytest.raises(MigrationError) as caught:
        list(replay(migrations))
    assert caught.value.format() == (
        "migrations/0002_broken.sql:4:3: error: SQLite rejects this statement: no such column: c\n"
        "    UPDATE t\n"
        "      SET c = 1;"
    )


def test_replay_survives_functions_the_application_registers() -> None:
    sql = (
        "CREATE TABLE t (a BLOB);\n"
        "INSERT INTO t VALUES (x'01');\n"
        "UPDATE t SET a = BIN2B64(a);\n"
        "CREATE TABLE copy AS SELECT B64DECODE(a, 'std') AS a FROM t;\n"
    )
    ((_, schema),) = replay((migration(1, "uses_functions", sql),))
    assert [t.name for t in schema.tables] == ["t", "copy"]


def test_replay_keeps_explicit_transactions_working() -> None:
    sql = "BEGIN;\nCREATE TABLE t (a);\nCREATE TABLE u (b);\nCOMMIT;\n"
    ((_, schema),) = replay((migration(1, "tx", sql),))
    assert [t.name for t in schema.tables] == ["t", "u"]


# --- verify -----------------------------------------------------------------------------------


def test_verify_names_the_migration_of_each_difference() -> None:
    migrations = (
        migration(1, "create", "CREATE TABLE t (a TEXT);"),
        migration(2, "tighten", "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'x';"),
    )
    truth = [schema for _, schema in replay(migrations)]
    agreeing = History(steps=tuple(Step(m, (), s) for m, s in zip(migrations, truth, strict=True)))
    report = verify(agreeing)
    assert report.agrees
    assert report.summary() == "2 migrations, 1 table: the model agrees with SQLite"
    wrong = with_column(truth[1], "t", "b", not_null=False)
    disagreeing = replace(agreeing, steps=(agreeing.steps[0], Step(migrations[1], (), wrong)))
    report = verify(disagreeing)
    assert not report.agrees
    assert list(report.lines()) == [
        "0002 tighten: table t: column b: not_null: model False, SQLite True"
    ]
    (diagnostic,) = report.diagnostics()
    assert diagnostic.location == Location("migrations/0002_tighten.sql")
