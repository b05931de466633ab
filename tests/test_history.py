"""The fold over migrations: rebuilds, per-object history, IF NOT EXISTS warnings, rejections."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from folders import history_of

from erdgen.core.compare import compare
from erdgen.core.history import load_history
from erdgen.core.queries import object_history
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.errors import MigrationError, Severity
from erdgen.model import Action, History, Schema

ROOT = Path(__file__).resolve().parent.parent


def sqlite_schema(*files: str) -> Schema:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for sql in files:
            conn.executescript(sql)
        return read_schema(conn)
    finally:
        conn.close()


def assert_agrees(history: History, *files: str) -> None:
    assert [str(d) for d in compare(history.schema, sqlite_schema(*files))] == []


def entries(history: History, kind: str, name: str) -> list[tuple[str, str]]:
    found = object_history(history, kind, name)  # type: ignore[arg-type]
    return [(e.migration.shown, e.change.action.value) for e in found]


def actions(history: History, migration_id: str) -> list[tuple[str, str]]:
    step = history.step(migration_id)
    assert step is not None
    return [(c.action.value, c.object) for c in step.changes]


@pytest.fixture(scope="module")
def bundled() -> History:
    return load_history(ROOT / "migrations", ROOT)


# --- the table-rebuild pattern ---------------------------------------------------------------

CREATE_JOBS = """
CREATE TABLE users (id TEXT PRIMARY KEY);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  done_at TEXT
);
CREATE INDEX idx_jobs_user ON jobs (user_id);
"""

REBUILD_NEW_COPY_DROP_RENAME = """
PRAGMA foreign_keys = OFF;
CREATE TABLE jobs_new (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users (id),
  owner TEXT NOT NULL DEFAULT 'user',
  kind TEXT NOT NULL
);
INSERT INTO jobs_new (id, user_id, kind) SELECT id, user_id, kind FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX idx_jobs_user ON jobs (user_id);
PRAGMA foreign_keys = ON;
"""

REBUILD_RENAME_CREATE_COPY_DROP = """
ALTER TABLE jobs RENAME TO jobs_old;
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users (id),
  owner TEXT NOT NULL DEFAULT 'user',
  kind TEXT NOT NULL
);
INSERT INTO jobs (id, user_id, kind) SELECT id, user_id, kind FROM jobs_old;
DROP TABLE jobs_old;
CREATE INDEX idx_jobs_user ON jobs (user_id);
"""

REBUILDS = {"new-copy-drop-rename": REBUILD_NEW_COPY_DROP_RENAME}
REBUILDS["rename-create-copy-drop"] = REBUILD_RENAME_CREATE_COPY_DROP


@pytest.mark.parametrize("rebuild", REBUILDS.values(), ids=REBUILDS.keys())
def test_rebuild_is_one_change_of_the_table(rebuild: str) -> None:
    history = history_of(CREATE_JOBS, rebuild)
    rebuilds = [c for c in history.steps[1].changes if c.action == Action.REBUILD_TABLE]
    assert len(rebuilds) == 1
    assert actions(history, "0001") == [
        ("rebuild_table", "jobs"),
        ("data", "jobs"),
        ("create_index", "idx_jobs_user"),
    ]
    assert_agrees(history, CREATE_JOBS, rebuild)


@pytest.mark.parametrize("rebuild", REBUILDS.values(), ids=REBUILDS.keys())
def test_rebuild_change_carries_the_shape_before_and_after(rebuild: str) -> None:
    history = history_of(CREATE_JOBS, rebuild)
    change = history.steps[1].changes[0]
    assert change.before is not None and change.after is not None
    assert change.before.name == change.after.name == "jobs"
    before = {c.name: c for c in change.before.columns}
    after = {c.name: c for c in change.after.columns}
    assert set(before) - set(after) == {"done_at"}
    assert set(after) - set(before) == {"owner"}
    assert before["user_id"].not_null and not after["user_id"].not_null
    assert change.location.path == "migrations/0001_m1.sql"


@pytest.mark.parametrize("rebuild", REBUILDS.values(), ids=REBUILDS.keys())
def test_scratch_table_never_shows(rebuild: str) -> None:
    history = history_of(CREATE_JOBS, rebuild)
    names = [t.name for t in history.schema.tables]
    assert names == ["users", "jobs"]
    for kind, name in [("table", "jobs"), ("column", "jobs.kind"), ("index", "idx_jobs_user")]:
        for entry in object_history(history, kind, name):  # type: ignore[arg-type]
            assert "_new" not in entry.change.object
            assert "_old" not in entry.change.object
            assert entry.change.table in (None, "jobs")
    for step in history.steps:
        for change in step.changes:
            assert change.object not in ("jobs_new", "jobs_old")


@pytest.mark.parametrize("rebuild", REBUILDS.values(), ids=REBUILDS.keys())
def test_history_of_a_rebuilt_table_is_continuous(rebuild: str) -> None:
    history = history_of(CREATE_JOBS, rebuild, "DROP TABLE jobs;")
    assert entries(history, "table", "jobs") == [
        ("0000", "create_table"),
        ("0000", "create_index"),
        ("0001", "rebuild_table"),
        ("0001", "data"),
        ("0001", "create_index"),
        ("0002", "drop_table"),
    ]
    assert entries(history, "column", "jobs.kind") == [
        ("0000", "create_table"),
        ("0001", "rebuild_table"),
        ("0002", "drop_table"),
    ]
    assert entries(history, "column", "jobs.owner") == [
        ("0001", "rebuild_table"),
        ("0002", "drop_table"),
    ]


def test_indexes_created_on_the_scratch_table_belong_to_the_table() -> None:
    rebuild = (
        "CREATE TABLE jobs_new (id TEXT PRIMARY KEY, user_id TEXT, kind TEXT);\n"
        "CREATE INDEX idx_new_kind ON jobs_new (kind);\n"
        "INSERT INTO jobs_new SELECT id, user_id, kind FROM jobs;\n"
        "DROP TABLE jobs;\n"
        "ALTER TABLE jobs_new RENAME TO jobs;\n"
    )
    history = history_of(CREATE_JOBS, rebuild)
    assert actions(history, "0001") == [
        ("rebuild_table", "jobs"),
        ("create_index", "idx_new_kind"),
        ("data", "jobs"),
    ]
    index = history.schema.index("idx_new_kind")
    assert index is not None and index.table == "jobs"
    assert_agrees(history, CREATE_JOBS, rebuild)


def test_rename_then_drop_old_leaves_other_tables_keys_where_sqlite_leaves_them() -> None:
    """With legacy_alter_table off, SQLite points other tables' keys at the renamed table."""
    first = CREATE_JOBS + "CREATE TABLE runs (job_id TEXT REFERENCES jobs (id));"
    history = history_of(first, REBUILD_RENAME_CREATE_COPY_DROP)
    assert_agrees(history, first, REBUILD_RENAME_CREATE_COPY_DROP)


def test_a_plain_rename_is_not_a_rebuild() -> None:
    history = history_of(CREATE_JOBS, "ALTER TABLE jobs RENAME TO tasks;")
    assert actions(history, "0001") == [("rename_table", "tasks")]
    assert entries(history, "table", "tasks") == [
        ("0000", "create_table"),
        ("0000", "create_index"),
        ("0001", "rename_table"),
    ]


def test_column_history_follows_a_column_rename() -> None:
    history = history_of(
        CREATE_JOBS,
        "ALTER TABLE jobs RENAME COLUMN kind TO type;",
        "ALTER TABLE jobs ADD COLUMN note TEXT;",
        "ALTER TABLE jobs DROP COLUMN type;",
    )
    found = entries(history, "column", "jobs.type")
    assert found[-2:] == [("0001", "rename_column"), ("0003", "drop_column")]
    assert "0002" not in [mid for mid, _ in found]  # another column's change


def test_column_history_after_a_rename_is_stable_for_any_names() -> None:
    """Sixteen renames: the bug shows on about half of them, whatever PYTHONHASHSEED is."""
    lost = []
    for n in range(16):
        old, new = f"kind_{n}", f"type_{n}"
        history = history_of(
            f"CREATE TABLE t (id INTEGER PRIMARY KEY, {old} TEXT);",
            f"ALTER TABLE t RENAME COLUMN {old} TO {new};",
        )
        if entries(history, "column", f"t.{new}")[:1] != [("0000", "create_table")]:
            lost.append(new)
    assert lost == []


def test_column_history_follows_table_and_column_renames() -> None:
    history = history_of(
        CREATE_JOBS,
        "ALTER TABLE jobs RENAME COLUMN kind TO type;",
        "ALTER TABLE jobs RENAME TO tasks;\nALTER TABLE tasks DROP COLUMN type;",
    )
    assert entries(history, "column", "tasks.type") == [
        ("0000", "create_table"),
        ("0001", "rename_column"),
        ("0002", "rename_table"),
        ("0002", "drop_column"),
    ]


# --- the bundled migrations ---------------------------------------------------------------------


def test_bundled_ai_jobs_created_in_0008_rebuilt_in_0009(bundled: History) -> None:
    table_changes = [
        (mid, action)
        for mid, action in entries(bundled, "table", "ai_jobs")
        if action.endswith("_table")
    ]
    assert table_changes == [("0008", "create_table"), ("0009", "rebuild_table")]
    assert [a for a, _ in actions(bundled, "0009")].count("rebuild_table") == 1
    assert all(not t.name.endswith("_new") for t in bundled.schema.tables)


def test_bundled_ai_jobs_user_id_becomes_nullable(bundled: History) -> None:
    step_8, step_9 = bundled.step("0008"), bundled.step("0009")
    assert step_8 is not None and step_9 is not None
    before = step_8.schema.table("ai_jobs").column("user_id")  # type: ignore[union-attr]
    after = step_9.schema.table("ai_jobs").column("user_id")  # type: ignore[union-attr]
    assert before is not None and before.not_null
    assert after is not None and not after.not_null


def test_bundled_password_artifacts(bundled: History) -> None:
    assert [
        (mid, action)
        for mid, action in entries(bundled, "table", "password_reset_tokens")
        if action.endswith("_table")
    ] == [("0003", "create_table"), ("0010", "drop_table")]
    assert entries(bundled, "column", "users.password_hash") == [
        ("0002", "add_column"),
        ("0010", "drop_column"),
    ]
    assert bundled.schema.table("password_reset_tokens") is None
    assert bundled.schema.table("users").column("password_hash") is None  # type: ignore[union-attr]


def test_bundled_has_no_diagnostics_and_agrees_with_sqlite(bundled: History) -> None:
    assert bundled.diagnostics == ()
    files = [m.sql for m in bundled.migrations]
    assert_agrees(bundled, *files)


def test_bundled_0007_backfill_is_a_data_change_on_users(bundled: History) -> None:
    step = bundled.step("0007")
    assert step is not None
    data = [c for c in step.changes if c.action == Action.DATA]
    assert [(c.object, c.verb) for c in data] == [("users", "UPDATE")]


def test_step_and_until_accept_id_or_number(bundled: History) -> None:
    assert bundled.step("7") is bundled.step("0007")
    cut = bundled.until("0008")
    assert [m.shown for m in cut.migrations][-1] == "0008"
    assert cut.schema.table("password_reset_tokens") is not None
    with pytest.raises(KeyError):
        bundled.until("0099")


# --- CREATE ... IF NOT EXISTS ---------------------------------------------------------------


def test_if_not_exists_with_a_different_definition_warns_naming_both_places() -> None:
    history = history_of(
        "-- first\nCREATE TABLE t (a INTEGER);",
        "\n\nCREATE TABLE IF NOT EXISTS t (a INTEGER, b TEXT);",
    )
    (warning,) = history.diagnostics
    assert warning.severity == Severity.WARNING
    assert str(warning.location) == "migrations/0001_m1.sql:3:1"
    assert "migrations/0000_m0.sql:2:1" in warning.message
    assert "t" in warning.message
    assert warning.statement.startswith("CREATE TABLE IF NOT EXISTS t")
    assert [c for c in history.schema.table("t").columns if c.name == "b"] == []  # type: ignore[union-attr]


def test_if_not_exists_with_the_same_definition_is_quiet() -> None:
    history = history_of(
        "-- The t.\nCREATE TABLE t (a INTEGER, -- the a\n  b TEXT UNIQUE REFERENCES t (a));",
        "-- again\nCREATE TABLE IF NOT EXISTS t (\n"
        "  a INTEGER,\n  b TEXT UNIQUE REFERENCES t (a)\n);",
    )
    assert history.diagnostics == ()
    assert actions(history, "0001") == []


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE VIEW {}v AS SELECT a FROM t;",
        "CREATE TRIGGER {}tr AFTER INSERT ON t BEGIN SELECT 1; END;",
    ],
)
def test_if_not_exists_of_the_same_view_or_trigger_is_quiet(sql: str) -> None:
    history = history_of("CREATE TABLE t (a INT);\n" + sql.format(""), sql.format("IF NOT EXISTS "))
    assert history.diagnostics == ()


def test_if_not_exists_ignores_indexes_created_separately() -> None:
    history = history_of(
        "CREATE TABLE t (a INTEGER, b TEXT);\nCREATE INDEX ix ON t (a);",
        "CREATE TABLE IF NOT EXISTS t (a INTEGER, b TEXT);\n"
        "CREATE INDEX IF NOT EXISTS ix ON t (a);",
    )
    assert history.diagnostics == ()


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("CREATE INDEX ix ON t (a);", "CREATE INDEX IF NOT EXISTS ix ON t (b);"),
        ("CREATE VIEW v AS SELECT a FROM t;", "CREATE VIEW IF NOT EXISTS v AS SELECT b FROM t;"),
        (
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;",
            "CREATE TRIGGER IF NOT EXISTS tr AFTER DELETE ON t BEGIN SELECT 1; END;",
        ),
    ],
)
def test_if_not_exists_differs_for_indexes_views_triggers(first: str, again: str) -> None:
    history = history_of(f"CREATE TABLE t (a INT, b INT);\n{first}", again)
    (warning,) = history.diagnostics
    assert "migrations/0000_m0.sql:2:1" in warning.message
    assert warning.location.path == "migrations/0001_m1.sql"


def test_if_not_exists_of_a_renamed_table_names_where_it_was_created() -> None:
    history = history_of(
        "CREATE TABLE a (x INT);\nALTER TABLE a RENAME TO b;",
        "CREATE TABLE IF NOT EXISTS b (y INT);",
    )
    (warning,) = history.diagnostics
    assert "migrations/0000_m0.sql:1:1" in warning.message


# --- what SQLite refuses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "line", "column", "words"),
    [
        ("CREATE TABLE t (a INT);\nCREAT TABLE u (b INT);", 2, 1, 'near "CREAT": syntax error'),
        ("CREATE TABLE t (a INT);\n\nCREATE INDEX ix ON nope (a);", 3, 1, "no such table"),
        ("CREATE TABLE t (a INT);\nCREATE INDEX ix ON t (zz);", 2, 1, "no such column: zz"),
        (
            "CREATE TABLE t (a INT, b INT);\nCREATE INDEX ix ON t (b);\n"
            "ALTER TABLE t DROP COLUMN b;",
            3,
            1,
            "error in index ix after drop column: no such column: b",
        ),
        ("CREATE TABLE t (a INT);\nCREATE TABLE t (b INT);", 2, 1, "already exists"),
        ("CREATE TABLE t (a INT);\nALTER TABLE t ADD COLUMN b INT PRIMARY KEY;", 2, 1, "PRIMARY"),
    ],
)
def test_statement_sqlite_rejects_is_an_error_with_location(
    sql: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(MigrationError) as raised:
        history_of(sql)
    error = raised.value
    assert error.location is not None
    assert (error.location.path, error.location.line, error.location.column) == (
        "migrations/0000_m0.sql",
        line,
        column,
    )
    assert words in error.message
    assert error.statement == sql.splitlines()[-1]


def test_error_in_a_later_migration_names_that_file() -> None:
    with pytest.raises(MigrationError) as raised:
        history_of("CREATE TABLE t (a INT);", "-- two\nALTER TABLE t RENAME COLUMN nope TO x;")
    assert str(raised.value.location) == "migrations/0001_m1.sql:2:1"
    assert "nope" in raised.value.message


def test_functions_the_application_registers_do_not_stop_the_fold() -> None:
    history = history_of("CREATE TABLE t (a TEXT DEFAULT (my_uuid()));\nSELECT my_uuid();")
    assert history.schema.table("t").column("a").default == "my_uuid()"  # type: ignore[union-attr]


def test_a_view_reading_through_an_index_survives_a_drop_column_elsewhere() -> None:
    """SQLite's verdict on the DROP COLUMN is asked on a copy of the schema; a view that
    names an index (INDEXED BY) needs that index in the copy, or SQLite would refuse."""
    files = (
        "CREATE TABLE u (id INTEGER PRIMARY KEY, a TEXT, k TEXT);\n"
        "CREATE INDEX iu ON u (k);\n"
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
        "CREATE VIEW v AS SELECT u.a FROM u INDEXED BY iu JOIN t ON t.id = u.id;\n",
        "ALTER TABLE t DROP COLUMN a;\n",
    )
    history = history_of(*files)
    assert [c.name for c in history.schema.table("t").columns] == ["id", "b"]  # type: ignore[union-attr]
    assert_agrees(history, *files)


def test_the_registry_names_its_dialects_and_refuses_unknown_ones() -> None:
    from erdgen import dialects

    assert "sqlite" in dialects.names()
    assert dialects.get().name == "sqlite"
    with pytest.raises(KeyError, match=r"unknown dialect 'nope'; known: .*sqlite"):
        dialects.get("nope")


def test_the_fold_hands_its_objects_to_the_oldest_generation_uncollected() -> None:
    """What the fold made goes to the oldest generation with no collection walking it
    (it lives as long as the history); the collector runs again afterwards, and a
    caller's own ``gc.disable()`` stays in force."""
    import gc

    from erdgen.core.history import _cycle_collection_paused

    collections: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        collections.append(info["generation"])

    gc.callbacks.append(note)
    try:
        with _cycle_collection_paused():
            made = [[n] for n in range(20_000)]  # far past the youngest generation's threshold
        after = [[n] for n in range(100)]
    finally:
        gc.callbacks.remove(note)
    assert collections == []
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(2)}
    assert all(id(item) in oldest for item in made[::1000])
    assert all(map(gc.is_tracked, made[::1000]))  # still collectable, had they cycles
    assert after
    gc.disable()
    try:
        load_history(ROOT / "migrations", ROOT)
        assert not gc.isenabled()
    finally:
        gc.enable()
