"""Interpretation of statements into the schema model, checked against SQLite's own answer.

Each test builds the same SQL in an in-memory SQLite database and reads what SQLite
reports (``PRAGMA table_xinfo`` / ``foreign_key_list`` / ``index_list`` / ``index_xinfo``,
``sqlite_master``); the model must say the same.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from folders import history_of

from erdgen.core.compare import compare
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.errors import Severity
from erdgen.model import Action, Hidden, History, Schema, Table

# --- helpers ---------------------------------------------------------------------------------


def database(*files: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for sql in files:
        conn.executescript(sql)
    return conn


def agrees(*files: str) -> Schema:
    """The model after the files; asserts that SQLite reports the same schema."""
    model = history_of(*files).schema
    conn = database(*files)
    try:
        differences = compare(model, read_schema(conn))
    finally:
        conn.close()
    assert [str(d) for d in differences] == []
    return model


def table_of(sql: str, name: str = "t") -> Table:
    table = agrees(sql).table(name)
    assert table is not None
    return table


def pragma(sql: str, query: str, *args: str) -> list[tuple[Any, ...]]:
    conn = database(sql)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def xinfo(sql: str, table: str = "t") -> list[tuple[Any, ...]]:
    """(name, type, notnull, dflt_value, pk, hidden) per column, as SQLite reports them."""
    return pragma(
        sql,
        'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)',
        table,
    )


def model_xinfo(table: Table) -> list[tuple[Any, ...]]:
    hidden = {Hidden.NORMAL: 0, Hidden.VIRTUAL: 2, Hidden.STORED: 3}
    return [
        (c.name, c.type, int(c.not_null), c.default, c.primary_key, hidden[c.hidden])
        for c in table.columns
    ]


def index_list(sql: str, table: str = "t") -> list[tuple[str, int, str]]:
    """(name, unique, origin) per index, in SQLite's order."""
    return pragma(sql, 'SELECT name, "unique", origin FROM pragma_index_list(?)', table)


def model_index_list(table: Table) -> set[tuple[str, int, str]]:
    return {(i.name, int(i.unique), i.origin) for i in table.indexes}


def changes(history: History) -> list[tuple[str, str]]:
    return [(c.action.value, c.object) for step in history.steps for c in step.changes]


# --- declared types, defaults, constraints ---------------------------------------------------

COLUMN_DEFINITIONS = [
    "a INT8",
    "a UNSIGNED BIG INT",
    "a VARCHAR( 255 )",
    "a varchar(10)",
    "a DOUBLE PRECISION",
    "a NUMERIC",
    "a DECIMAL(10, 5)",
    'a "my type"',
    "a [odd type]",
    "a text",
    "a integer",
    "a Blob",
    "a",
    "a NATIVE CHARACTER(70)",
    "a BOOLEAN",
    "a DATETIME",
    "a TEXT DEFAULT 'x''y'",
    "a INTEGER DEFAULT -1",
    "a REAL DEFAULT +1.5",
    "a TEXT DEFAULT (datetime('now'))",
    "a TEXT DEFAULT ( lower('X') )",
    "a TEXT DEFAULT CURRENT_TIMESTAMP",
    "a BLOB DEFAULT x'00'",
    "a BOOLEAN DEFAULT TRUE",
    "a INTEGER DEFAULT NULL",
    "a TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'n'",
    "a TEXT UNIQUE ON CONFLICT IGNORE",
    "a TEXT NULL",
    "a TEXT COLLATE NOCASE NOT NULL",
    "a TEXT CONSTRAINT nn NOT NULL CONSTRAINT chk CHECK (length(a) > 1)",
]


@pytest.mark.parametrize("definition", COLUMN_DEFINITIONS)
def test_column_as_sqlite_reports_it(definition: str) -> None:
    sql = f"CREATE TABLE t (id INTEGER PRIMARY KEY, {definition});"
    assert model_xinfo(table_of(sql)) == xinfo(sql)


@pytest.mark.parametrize(
    ("definition", "declared"),
    [
        ("a INT8", "INT8"),
        ("a UNSIGNED BIG INT", "UNSIGNED BIG INT"),
        ("a VARCHAR( 255 )", "VARCHAR( 255 )"),
        ("a DOUBLE PRECISION", "DOUBLE PRECISION"),
        ("a text", "TEXT"),
        ('a "my type"', "my type"),
        ("a", ""),
    ],
)
def test_declared_type_is_kept_not_translated(definition: str, declared: str) -> None:
    """sqlglot would say TINYINT / BIGINT / VARCHAR(255); SQLite keeps the text."""
    column = table_of(f"CREATE TABLE t ({definition});").column("a")
    assert column is not None
    assert column.type == declared


@pytest.mark.parametrize(
    ("definition", "default"),
    [
        ("a TEXT DEFAULT 'x''y'", "'x''y'"),
        ("a INTEGER DEFAULT -1", "-1"),
        ("a TEXT DEFAULT (datetime('now'))", "datetime('now')"),
        ("a TEXT DEFAULT CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("a BLOB DEFAULT x'00'", "x'00'"),
        ("a BOOLEAN DEFAULT TRUE", "TRUE"),
    ],
)
def test_default_is_reported_as_written(definition: str, default: str) -> None:
    column = table_of(f"CREATE TABLE t ({definition});").column("a")
    assert column is not None
    assert column.default == default


TABLES = {
    "composite primary key": "CREATE TABLE t (a TEXT, b INTEGER, c TEXT, PRIMARY KEY (b, a));",
    "integer primary key": "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);",
    "integer primary key desc": "CREATE TABLE t (id INTEGER PRIMARY KEY DESC, x TEXT);",
    "int primary key": "CREATE TABLE t (id INT PRIMARY KEY, x TEXT);",
    "autoincrement": "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT);",
    "text primary key": "CREATE TABLE t (code TEXT PRIMARY KEY, x TEXT);",
    "table-level integer key": "CREATE TABLE t (id INTEGER, x TEXT, PRIMARY KEY (id));",
    "without rowid": "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;",
    "without rowid integer key": "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;",
    "without rowid strict": (
        "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, w ANY) WITHOUT ROWID, STRICT;"
    ),
    "strict": "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, b blob) STRICT;",
    "generated": (
        "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL,"
        " c TEXT AS (upper(a)) STORED, d INT AS (a + 1));"
    ),
    "collate": "CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT COLLATE RTRIM UNIQUE);",
    "unique column and table": (
        "CREATE TABLE t (a TEXT UNIQUE, b TEXT, c TEXT, UNIQUE (b, c), UNIQUE (c));"
    ),
    "duplicate unique": (
        "CREATE TABLE t (a TEXT UNIQUE, b TEXT, UNIQUE (a), UNIQUE (a, b), UNIQUE (A, B));"
    ),
    "duplicate unique desc": "CREATE TABLE t (a, b, UNIQUE (a DESC), UNIQUE (a));",
    "duplicate unique same collation": (
        "CREATE TABLE t (a TEXT COLLATE NOCASE UNIQUE, UNIQUE (a), UNIQUE (a COLLATE nocase));"
    ),
    "unique and primary key same columns": (
        "CREATE TABLE t (a TEXT, b TEXT, UNIQUE (a, b), PRIMARY KEY (a, b));"
    ),
    "primary key then unique": "CREATE TABLE t (a TEXT PRIMARY KEY, b TEXT UNIQUE);",
    "checks": "CREATE TABLE t (a INT CHECK (a > 0), b INT, CONSTRAINT pos CHECK (b >= a));",
    "quoted names": (
        'CREATE TABLE t ("first name" TEXT, `last name` TEXT, [e-mail] TEXT, "x""y" INT);'
    ),
    "conflict clauses": (
        "CREATE TABLE t (a INT PRIMARY KEY ON CONFLICT ROLLBACK, b TEXT UNIQUE ON CONFLICT"
        " FAIL, c TEXT NOT NULL ON CONFLICT ABORT, UNIQUE (b, c) ON CONFLICT REPLACE);"
    ),
    "comments inside": (
        "CREATE TABLE t (\n  -- the key\n  id INTEGER PRIMARY KEY, -- trailing\n"
        "  /* block */ name TEXT /* inner */ NOT NULL\n);"
    ),
}


@pytest.mark.parametrize("sql", TABLES.values(), ids=TABLES.keys())
def test_create_table_agrees_with_sqlite(sql: str) -> None:
    table = table_of(sql)
    assert model_xinfo(table) == xinfo(sql)
    assert model_index_list(table) == set(index_list(sql))


def test_composite_primary_key_positions() -> None:
    table = table_of("CREATE TABLE t (a TEXT, b INTEGER, c TEXT, PRIMARY KEY (b, a));")
    assert [(c.name, c.primary_key) for c in table.columns] == [("a", 2), ("b", 1), ("c", 0)]
    assert table.primary_key == ("b", "a")


def test_integer_primary_key_is_the_rowid_but_desc_has_an_autoindex() -> None:
    alias = table_of("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);")
    assert alias.indexes == ()
    assert alias.rowid_alias == "id"
    desc = table_of("CREATE TABLE t (id INTEGER PRIMARY KEY DESC, x TEXT);")
    assert [(i.name, i.origin) for i in desc.indexes] == [("sqlite_autoindex_t_1", "pk")]
    assert desc.rowid_alias is None


def test_unique_autoindexes_are_numbered_like_sqlite() -> None:
    sql = "CREATE TABLE t (a TEXT UNIQUE, b TEXT, c TEXT, UNIQUE (b, c), UNIQUE (c));"
    table = table_of(sql)
    assert [(i.name, i.column_names) for i in table.indexes] == [
        ("sqlite_autoindex_t_1", ("a",)),
        ("sqlite_autoindex_t_2", ("b", "c")),
        ("sqlite_autoindex_t_3", ("c",)),
    ]
    assert table.column("a").unique  # type: ignore[union-attr]


def test_duplicate_unique_constraints_share_one_index() -> None:
    sql = "CREATE TABLE t (a TEXT UNIQUE, b TEXT, UNIQUE (a), UNIQUE (a, b), UNIQUE (A, B));"
    table = table_of(sql)
    assert [i.name for i in table.indexes] == [n for n, _, _ in index_list(sql)][::-1]
    assert len(table.indexes) == 2


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t (a, b, UNIQUE (a COLLATE NOCASE), UNIQUE (a));",
        "CREATE TABLE t (a TEXT COLLATE NOCASE UNIQUE, UNIQUE (a COLLATE BINARY));",
        "CREATE TABLE t (a TEXT, b INT, PRIMARY KEY (a COLLATE NOCASE), UNIQUE (a));",
    ],
)
def test_unique_constraints_with_different_collations_are_separate_indexes(sql: str) -> None:
    assert model_index_list(table_of(sql)) == set(index_list(sql))


def test_without_rowid_and_strict_flags() -> None:
    table = table_of("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;")
    assert table.without_rowid
    assert table.strict
    assert table.column("k").not_null  # type: ignore[union-attr]


def test_generated_columns() -> None:
    table = table_of(
        "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL,"
        " c TEXT AS (upper(a)) STORED);"
    )
    b, c = table.column("b"), table.column("c")
    assert b is not None and c is not None
    assert (b.hidden, b.generated) == (Hidden.VIRTUAL, "a * 2")
    assert (c.hidden, c.generated) == (Hidden.STORED, "upper(a)")


def test_collation_is_kept() -> None:
    table = table_of("CREATE TABLE t (a TEXT COLLATE NOCASE);")
    assert table.column("a").collation == "NOCASE"  # type: ignore[union-attr]


FOREIGN_KEYS = {
    "column reference": (
        "CREATE TABLE p (id INTEGER PRIMARY KEY);"
        "CREATE TABLE t (p_id INTEGER REFERENCES p(id) ON DELETE CASCADE);"
    ),
    "no columns named": (
        "CREATE TABLE p (id INTEGER PRIMARY KEY);CREATE TABLE t (p_id INTEGER REFERENCES p);"
    ),
    "all actions": (
        "CREATE TABLE p (a INT, b INT, PRIMARY KEY (a, b));"
        "CREATE TABLE t (x INT, y INT, z INT REFERENCES p (a) ON UPDATE SET DEFAULT,"
        " FOREIGN KEY (x, y) REFERENCES p (a, b) ON DELETE SET NULL ON UPDATE RESTRICT"
        " DEFERRABLE INITIALLY DEFERRED,"
        " CONSTRAINT fk_n FOREIGN KEY (y) REFERENCES p (b) ON DELETE NO ACTION"
        " NOT DEFERRABLE);"
    ),
    "quoted and mixed case": (
        'CREATE TABLE "Parent Table" ([Id] INTEGER PRIMARY KEY);'
        'CREATE TABLE t (`pid` INTEGER REFERENCES "parent table" ("ID") ON DELETE CASCADE);'
    ),
}


@pytest.mark.parametrize("sql", FOREIGN_KEYS.values(), ids=FOREIGN_KEYS.keys())
def test_foreign_keys_agree_with_sqlite(sql: str) -> None:
    table = table_of(sql)
    reported = pragma(
        sql,
        'SELECT "from", "table", "to", on_update, on_delete, match '
        "FROM pragma_foreign_key_list('t') ORDER BY id DESC, seq",
    )
    mine = [
        (column, key.ref_table, ref, key.on_update, key.on_delete, key.match)
        for key in table.foreign_keys
        for column, ref in zip(
            key.columns, key.ref_columns or (None,) * len(key.columns), strict=True
        )
    ]
    assert mine == reported


def test_foreign_key_deferrable_and_name_as_written() -> None:
    table = table_of(FOREIGN_KEYS["all actions"])
    keys = {key.columns: key for key in table.foreign_keys}
    assert keys[("x", "y")].deferrable == "DEFERRABLE INITIALLY DEFERRED"
    assert keys[("y",)].deferrable == "NOT DEFERRABLE"
    assert keys[("y",)].name == "fk_n"
    assert (keys[("x", "y")].on_delete, keys[("x", "y")].on_update) == ("SET NULL", "RESTRICT")


def test_foreign_key_match_is_reported_as_sqlite_does() -> None:
    sql = (
        "CREATE TABLE p (a INT, b INT, PRIMARY KEY (a, b));"
        "CREATE TABLE t (x INT, y INT, FOREIGN KEY (x, y) REFERENCES p (a, b) MATCH FULL);"
    )
    assert [key.match for key in table_of(sql).foreign_keys] == ["NONE"]


# --- ALTER TABLE ------------------------------------------------------------------------------

BASE = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  title TEXT
);
CREATE INDEX idx_posts_user ON posts (user_id);
CREATE INDEX idx_users_name ON users (name);
CREATE VIEW v_posts AS SELECT p.title, u.email FROM posts p JOIN users u ON u.id = p.user_id;
CREATE TRIGGER trg_users AFTER UPDATE OF email ON users
BEGIN
  UPDATE posts SET title = new.email WHERE user_id = new.id;
END;
"""


def test_add_column_agrees_with_sqlite() -> None:
    schema = agrees(
        BASE,
        "ALTER TABLE users ADD COLUMN age INTEGER NOT NULL DEFAULT 0;\n"
        "ALTER TABLE Users ADD bio TEXT COLLATE NOCASE;\n"
        "ALTER TABLE posts ADD COLUMN editor_id INTEGER REFERENCES users (id);",
    )
    users = schema.table("users")
    assert users is not None
    assert [c.name for c in users.columns][-2:] == ["age", "bio"]


def test_drop_column_agrees_with_sqlite() -> None:
    first = "CREATE TABLE t (a INT, b TEXT, c TEXT CHECK (c <> ''), d INT);"
    later = "ALTER TABLE t DROP COLUMN c;\nALTER TABLE T DROP d;"
    table = agrees(first, later).table("t")
    assert table is not None
    assert [c.name for c in table.columns] == ["a", "b"]
    assert table.checks == ()
    assert changes(history_of(first, later))[-2:] == [
        ("drop_column", "t.c"),
        ("drop_column", "t.d"),
    ]


def test_rename_column_follows_into_keys_indexes_views_and_triggers() -> None:
    later = "ALTER TABLE users RENAME COLUMN id TO user_key;\nALTER TABLE users RENAME name TO nm;"
    schema = agrees(BASE, later)
    posts = schema.table("posts")
    assert posts is not None
    assert posts.foreign_keys[0].ref_columns == ("user_key",)
    assert schema.index("idx_users_name").column_names == ("nm",)  # type: ignore[union-attr]
    assert "u.user_key" in schema.view("v_posts").sql  # type: ignore[union-attr]
    assert "new.user_key" in schema.trigger("trg_users").sql  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "trigger",
    [
        # UPDATE OF lists the columns of the trigger's table, not of the renamed one.
        "CREATE TRIGGER t AFTER UPDATE OF kind ON other BEGIN UPDATE a SET kind = 1; END;",
        "CREATE TRIGGER t AFTER UPDATE OF x, kind ON a BEGIN SELECT 1; END;",
        # A body statement that does not name the table keeps its columns.
        "CREATE TRIGGER t AFTER UPDATE OF kind ON a BEGIN UPDATE other SET kind = kind; END;",
        # INSERT INTO t (...) and UPDATE t SET name t's columns.
        "CREATE TRIGGER t AFTER INSERT ON other BEGIN\n"
        "  INSERT INTO other (kind) SELECT kind FROM a;\n"
        "  INSERT INTO a (x, kind) VALUES (new.kind, 1);\nEND;",
        "CREATE TRIGGER t AFTER INSERT ON a WHEN new.kind > 0 BEGIN\n"
        "  UPDATE a SET x = kind, kind = x + (kind) WHERE kind > 0;\nEND;",
        # A name belongs to the tables its own query block reads.
        "CREATE TRIGGER t AFTER DELETE ON other BEGIN\n"
        "  UPDATE other SET kind = (SELECT kind FROM a) WHERE kind = 1;\n"
        "  INSERT INTO a (x, kind) SELECT kind, kind FROM other;\n"
        "  DELETE FROM a WHERE kind = old.kind;\nEND;",
        "CREATE TRIGGER t AFTER INSERT ON other WHEN (SELECT max(kind) FROM a) > new.kind\n"
        "BEGIN SELECT 1; END;",
        "CREATE VIEW v AS SELECT kind FROM a UNION SELECT kind FROM other;",
        "CREATE VIEW v AS SELECT kind, (SELECT max(kind) FROM other) AS m FROM a;",
    ],
)
def test_rename_column_in_triggers_and_views_follows_sqlites_scopes(trigger: str) -> None:
    tables = "CREATE TABLE a (kind INT, x INT);\nCREATE TABLE other (kind INT);\n"
    agrees(tables + trigger, "ALTER TABLE a RENAME COLUMN kind TO title;")


def test_rename_table_follows_into_keys_indexes_views_and_triggers() -> None:
    schema = history_of(BASE, "ALTER TABLE users RENAME TO accounts;").schema
    assert schema.table("users") is None
    accounts = schema.table("accounts")
    assert accounts is not None
    assert schema.table("posts").foreign_keys[0].ref_table == "accounts"  # type: ignore[union-attr]
    assert schema.index("idx_users_name").table == "accounts"  # type: ignore[union-attr]
    assert schema.trigger("trg_users").table == "accounts"  # type: ignore[union-attr]
    assert "accounts" in schema.view("v_posts").sql  # type: ignore[union-attr]


def test_rename_table_view_and_trigger_sql_as_sqlite_writes_it() -> None:
    agrees(BASE, "ALTER TABLE users RENAME TO accounts;")


def test_rename_records_old_and_new_name() -> None:
    history = history_of(BASE, "ALTER TABLE users RENAME TO accounts;")
    (change,) = history.steps[-1].changes
    assert (change.action, change.object, change.old_name) == (
        Action.RENAME_TABLE,
        "accounts",
        "users",
    )


def test_mixed_case_and_quoted_lookups() -> None:
    schema = agrees(
        'CREATE TABLE "Users" ("Id" INTEGER PRIMARY KEY, [E Mail] TEXT);',
        "CREATE INDEX ix ON USERS ([e mail]);\n"
        'ALTER TABLE `users` ADD COLUMN "Age" INT;\n'
        'ALTER TABLE users RENAME COLUMN "E MAIL" TO mail;',
    )
    users = schema.table("users")
    assert users is not None
    assert users.name == "Users"
    assert [c.name for c in users.columns] == ["Id", "mail", "Age"]


# --- indexes ------------------------------------------------------------------------------------


INDEXES = {
    "plain": "CREATE INDEX ix ON t (a);",
    "unique": "CREATE UNIQUE INDEX ix ON t (a, b);",
    "desc": "CREATE INDEX ix ON t (a DESC, b ASC);",
    "partial": "CREATE INDEX ix ON t (a) WHERE b IS NOT NULL AND a > 0;",
    "expression": "CREATE INDEX ix ON t (lower(a), b + 1 DESC);",
    "collate": "CREATE INDEX ix ON t (a COLLATE NOCASE);",
    "if not exists": "CREATE INDEX IF NOT EXISTS ix ON t (b);",
    "quoted": 'CREATE INDEX "my index" ON "t" ([a]);',
}


@pytest.mark.parametrize("sql", INDEXES.values(), ids=INDEXES.keys())
def test_indexes_agree_with_sqlite(sql: str) -> None:
    table = agrees("CREATE TABLE t (a TEXT, b INTEGER);", sql).table("t")
    assert table is not None
    (index,) = table.indexes
    full = "CREATE TABLE t (a TEXT, b INTEGER);" + sql
    keys = pragma(full, 'SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1', index.name)
    assert [(k.name, int(k.descending)) for k in index.columns] == keys


def test_partial_and_expression_index_details() -> None:
    table = agrees(
        "CREATE TABLE t (a TEXT, b INTEGER);",
        "CREATE INDEX p ON t (a) WHERE b IS NOT NULL;\nCREATE INDEX e ON t (lower(a) DESC);",
    ).table("t")
    assert table is not None
    partial, expression = table.indexes
    assert partial.where == "b IS NOT NULL"
    assert expression.columns[0].expression == "lower(a)"
    assert expression.columns[0].descending


def test_drop_index_and_drop_if_exists_of_missing_objects() -> None:
    history = history_of(
        "CREATE TABLE t (a TEXT);\nCREATE INDEX ix ON t (a);",
        "DROP INDEX ix;\nDROP INDEX IF EXISTS ix;\nDROP TABLE IF EXISTS nope;\n"
        "DROP VIEW IF EXISTS nope;\nDROP TRIGGER IF EXISTS nope;",
    )
    assert [(c.action.value, c.object) for c in history.steps[1].changes] == [("drop_index", "ix")]
    assert history.schema.table("t").indexes == ()  # type: ignore[union-attr]
    assert history.diagnostics == ()


# --- views, triggers ---------------------------------------------------------------------------


def test_views_and_triggers_agree_with_sqlite() -> None:
    schema = agrees(BASE)
    assert [v.name for v in schema.views] == ["v_posts"]
    (trigger,) = schema.triggers
    assert (trigger.name, trigger.table, trigger.timing, trigger.event) == (
        "trg_users",
        "users",
        "AFTER",
        "UPDATE OF email",  # a name keeps its spelling
    )


@pytest.mark.parametrize(
    ("header", "timing", "event"),
    [
        ("CREATE TRIGGER tr BEFORE INSERT ON t", "BEFORE", "INSERT"),
        ("CREATE TRIGGER tr AFTER DELETE ON t FOR EACH ROW", "AFTER", "DELETE"),
        ("CREATE TRIGGER IF NOT EXISTS tr UPDATE ON t", "BEFORE", "UPDATE"),
        ("CREATE TRIGGER tr INSTEAD OF INSERT ON v", "INSTEAD OF", "INSERT"),
    ],
)
def test_trigger_table_timing_event(header: str, timing: str, event: str) -> None:
    sql = (
        "CREATE TABLE t (a INT);\nCREATE VIEW v AS SELECT a FROM t;\n"
        f"{header} BEGIN SELECT 1; INSERT INTO t VALUES (1); END;"
    )
    schema = agrees(sql)
    (trigger,) = schema.triggers
    assert (trigger.timing, trigger.event) == (timing, event)
    assert trigger.table == ("v" if "INSTEAD" in header else "t")


def test_drop_view_and_trigger_and_drop_table_drops_its_triggers() -> None:
    history = history_of(BASE, "DROP VIEW v_posts;\nDROP TABLE posts;\nDROP TRIGGER trg_users;")
    assert changes(history)[-3:] == [
        ("drop_view", "v_posts"),
        ("drop_table", "posts"),
        ("drop_trigger", "trg_users"),
    ]
    agrees(BASE, "DROP VIEW v_posts;\nDROP TABLE posts;\nDROP TRIGGER trg_users;")
    agrees(BASE, "DROP TABLE users;")  # its trigger goes with it


# --- data and statements without schema effect ---------------------------------------------


def test_data_statements_are_recorded_on_their_table() -> None:
    history = history_of(
        BASE,
        "INSERT INTO users (email) VALUES ('a@b');\n"
        "UPDATE Users SET name = 'x';\n"
        "DELETE FROM posts WHERE id = 1;\n"
        "INSERT OR REPLACE INTO users (id, email) VALUES (1, 'c@d');\n"
        "INSERT OR IGNORE INTO [posts] (title) VALUES ('t');\n"
        "INSERT INTO posts (title) SELECT email FROM users;\n"
        "WITH x AS (SELECT 1) UPDATE posts SET title = 'y' WHERE id IN (SELECT * FROM x);",
    )
    data = [(c.action, c.object, c.table, c.verb) for c in history.steps[-1].changes]
    assert data == [
        (Action.DATA, "users", "users", "INSERT"),
        (Action.DATA, "users", "users", "UPDATE"),
        (Action.DATA, "posts", "posts", "DELETE"),
        (Action.DATA, "users", "users", "REPLACE"),
        (Action.DATA, "posts", "posts", "INSERT"),
        (Action.DATA, "posts", "posts", "INSERT"),
        (Action.DATA, "posts", "posts", "UPDATE"),
    ]
    assert history.diagnostics == ()


def test_replace_into_is_a_data_change_of_its_table() -> None:
    history = history_of(BASE, "REPLACE INTO users (id, email) VALUES (1, 'c@d');")
    (change,) = history.steps[-1].changes
    assert (change.action, change.object, change.table, change.verb) == (
        Action.DATA,
        "users",
        "users",
        "REPLACE",
    )


def test_data_change_keeps_its_statement_and_location() -> None:
    history = history_of("CREATE TABLE t (a INT);\n\nINSERT INTO t VALUES (1);")
    change = history.steps[0].changes[-1]
    assert change.statement == "INSERT INTO t VALUES (1);"
    assert (change.location.line, change.location.column) == (3, 1)


def test_pragma_and_transactions_are_ignored_without_diagnostics() -> None:
    history = history_of(
        "PRAGMA foreign_keys = ON;\nBEGIN TRANSACTION;\nCREATE TABLE t (a INT);\n"
        "COMMIT;\nPRAGMA defer_foreign_keys = true;\nSELECT 1;\nSAVEPOINT s;\nRELEASE s;"
    )
    assert changes(history) == [("create_table", "t")]
    assert history.diagnostics == ()


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TEMP TABLE scratch (a INT);",
        "ANALYZE;\nCREATE TEMP VIEW v AS SELECT 1;",
    ],
)
def test_statements_erdgen_does_not_model_are_warnings_with_location(sql: str) -> None:
    history = history_of("-- header\n" + sql)
    assert history.diagnostics, "a statement erdgen ignores must be reported"
    (diagnostic,) = history.diagnostics
    assert diagnostic.severity == Severity.WARNING
    assert diagnostic.location.path == "migrations/0000_m0.sql"
    assert diagnostic.location.line == sql.count("\n", 0, sql.index("CREATE")) + 2
    assert diagnostic.statement.startswith("CREATE")


def test_view_sql_is_the_statement_and_comment_is_its_description() -> None:
    schema = agrees(
        "CREATE TABLE t (a INT);\n\n"
        "-- Recent rows.\n"
        "CREATE VIEW IF NOT EXISTS v AS SELECT a FROM t;"
    )
    (view,) = schema.views
    assert view.sql == "CREATE VIEW v AS SELECT a FROM t"  # as SQLite stores it
    assert view.description == "Recent rows."


def test_table_and_trailing_column_descriptions_from_comments() -> None:
    sql = (
        "-- file header\n\n"
        "-- People who can log in.\n"
        "CREATE TABLE users (\n"
        "  id INTEGER PRIMARY KEY, -- the key\n"
        "  email TEXT NOT NULL, -- their address\n"
        "  name TEXT -- display name\n"
        ");\n"
    )
    users = agrees(sql).table("users")
    assert users is not None
    assert users.description == "People who can log in."
    assert [c.description for c in users.columns] == ["the key", "their address", "display name"]


def test_comment_above_a_column_is_its_description() -> None:
    sql = (
        "CREATE TABLE users (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  -- Their address.\n"
        "  email TEXT NOT NULL\n"
        ");\n"
    )
    users = agrees(sql).table("users")
    assert users is not None
    assert [c.description for c in users.columns] == ["", "Their address."]
