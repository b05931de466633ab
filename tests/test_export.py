"""``erdgen export --format json``: the fields issue 2 lists, with SQLite's own values."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from erdgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted((ROOT / "migrations").glob("*.sql"))
# wrangler D1 records a migration by its file name: that is its id (LAYOUTS.md §2.1)
FILE = {path.name[:4]: path.name for path in MIGRATIONS}
ACTIONS = {
    "create_table", "drop_table", "rename_table", "rebuild_table", "add_column", "drop_column",
    "rename_column", "create_index", "drop_index", "create_view", "drop_view", "create_trigger",
    "drop_trigger", "data",
}  # fmt: skip


def run_export(*args: str) -> Result:
    return CliRunner().invoke(main, ["export", "--format", "json", *args])


def export(*args: str) -> dict[str, Any]:
    result = run_export(*args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(autouse=True)
def in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return export("migrations")


def database(paths: list[Path]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for path in paths:
        conn.executescript(path.read_text(encoding="utf-8"))
    return conn


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Each table's columns, foreign keys and indexes in the export's shape, from PRAGMAs."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
    ]
    return {name: sqlite_table(conn, name) for name in names}


def sqlite_table(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    columns = [
        {"name": n, "type": t, "not_null": bool(nn), "default": d, "primary_key": pk}
        for n, t, nn, d, pk in conn.execute(
            'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?)', (table,)
        )
    ]
    keys: dict[int, dict[str, Any]] = {}
    for key_id, ref, col, to, upd, dele in conn.execute(
        'SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) '
        "ORDER BY id, seq",
        (table,),
    ):
        key = keys.setdefault(
            key_id,
            {"columns": [], "ref_table": ref, "ref_columns": [], "on_delete": dele,
             "on_update": upd},
        )  # fmt: skip
        key["columns"].append(col)
        if to is not None:
            key["ref_columns"].append(to)
    indexes = {}
    for name, unique, partial in conn.execute(
        'SELECT name, "unique", partial FROM pragma_index_list(?)', (table,)
    ):
        key_columns = [
            column
            for (column,) in conn.execute(
                "SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", (name,)
            )
        ]
        indexes[name] = {"columns": key_columns, "unique": bool(unique), "partial": bool(partial)}
    return {"columns": columns, "foreign_keys": list(keys.values()), "indexes": indexes}


def exported_shape(table: dict[str, Any]) -> dict[str, Any]:
    fields = ("name", "type", "not_null", "default", "primary_key")
    keys = ("columns", "ref_table", "ref_columns", "on_delete", "on_update")
    return {
        "columns": [{f: c[f] for f in fields} for c in table["columns"]],
        # SQLite numbers foreign keys from the last declared one
        "foreign_keys": [{k: fk[k] for k in keys} for fk in reversed(table["foreign_keys"])],
        "indexes": {
            i["name"]: {"columns": i["columns"], "unique": i["unique"], "partial": bool(i["where"])}
            for i in table["indexes"]
        },
    }


# --- the fields and their values -----------------------------------------------------------------


def test_migrations_have_id_name_path_sha256(bundled: dict[str, Any]) -> None:
    migrations = bundled["migrations"]
    assert [m["id"] for m in migrations] == list(FILE.values())
    for entry, path in zip(migrations, MIGRATIONS, strict=True):
        assert entry["path"] == f"migrations/{path.name}"
        assert entry["name"] == path.stem.split("_", 1)[1]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_tables_equal_sqlite_pragmas(bundled: dict[str, Any]) -> None:
    conn = database(MIGRATIONS)
    expected = sqlite_tables(conn)
    conn.close()
    exported = {t["name"]: exported_shape(t) for t in bundled["tables"]}
    assert list(exported) == list(expected)
    for name, table in expected.items():
        assert exported[name] == table, name


def test_table_and_column_fields(bundled: dict[str, Any]) -> None:
    for table in bundled["tables"]:
        assert {"name", "description", "columns", "foreign_keys", "indexes", "history"} <= set(
            table
        )
        assert table["description"], f"{table['name']} has its SQL comment as description"
        for column in table["columns"]:
            assert {"name", "type", "not_null", "default", "primary_key", "description"} <= set(
                column
            )
        for key in table["foreign_keys"]:
            assert {"columns", "ref_table", "ref_columns", "on_delete", "on_update"} <= set(key)
        for index in table["indexes"]:
            assert {"name", "columns", "unique", "where"} <= set(index)
        for entry in table["history"]:
            assert set(entry) >= {"migration", "action"}
            assert entry["action"] in ACTIONS


def test_partial_index_where_is_the_condition(bundled: dict[str, Any]) -> None:
    conn = database(MIGRATIONS)
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'"
    partial: dict[str, str] = dict(conn.execute(query).fetchall())
    assert partial, "the bundled migrations have a partial index"
    conn.close()
    exported = {i["name"]: i["where"] for t in bundled["tables"] for i in t["indexes"]}
    for name, sql in partial.items():
        assert exported[name] is not None
        assert " ".join(exported[name].split()) in " ".join(sql.split())
    assert all(where is None for name, where in exported.items() if name not in partial)


def test_default_as_written(bundled: dict[str, Any]) -> None:
    tables = {t["name"]: t for t in bundled["tables"]}
    created_at = next(c for c in tables["users"]["columns"] if c["name"] == "created_at")
    assert created_at["default"] == "CURRENT_TIMESTAMP"
    status = next(c for c in tables["ai_jobs"]["columns"] if c["name"] == "status")
    assert status["default"] == "'queued'"


def test_table_history(bundled: dict[str, Any]) -> None:
    tables = {t["name"]: t for t in bundled["tables"]}
    table_actions = [
        (h["migration"], h["action"])
        for h in tables["ai_jobs"]["history"]
        if "_table" in h["action"]
    ]
    assert table_actions == [(FILE["0008"], "create_table"), (FILE["0009"], "rebuild_table")]
    users = [(h["migration"], h["action"]) for h in tables["users"]["history"]]
    assert users[0] == (FILE["0000"], "create_table")
    assert (FILE["0002"], "add_column") in users
    assert (FILE["0010"], "drop_column") in users
    assert (FILE["0007"], "data") in users


def test_timeline_actions_and_objects(bundled: dict[str, Any]) -> None:
    timeline = bundled["timeline"]
    assert [step["migration"] for step in timeline] == list(FILE.values())
    for step in timeline:
        for change in step["changes"]:
            assert change["action"] in ACTIONS
            assert change["object"]
    by_id = {step["migration"]: step["changes"] for step in timeline}
    assert [(c["action"], c["object"]) for c in by_id[FILE["0010"]]] == [
        ("drop_table", "password_reset_tokens"),
        ("drop_column", "users.password_hash"),
    ]
    assert ("add_column", "users.email_verified") in [
        (c["action"], c["object"]) for c in by_id[FILE["0007"]]
    ]
    assert [c["action"] for c in by_id[FILE["0009"]]].count("rebuild_table") == 1
    assert "ai_jobs_new" not in json.dumps(bundled["timeline"])


def test_at_0008_shows_ai_jobs_as_created() -> None:
    data = export("--at", "0008", "migrations")
    assert [m["id"] for m in data["migrations"]][-1] == FILE["0008"]
    assert [s["migration"] for s in data["timeline"]][-1] == FILE["0008"]
    tables = {t["name"]: t for t in data["tables"]}
    assert "password_reset_tokens" in tables
    ai_jobs = tables["ai_jobs"]
    user_id = next(c for c in ai_jobs["columns"] if c["name"] == "user_id")
    assert user_id["not_null"] is True
    assert "owner_type" not in [c["name"] for c in ai_jobs["columns"]]
    assert {(h["migration"], h["action"]) for h in ai_jobs["history"]} == {
        (FILE["0008"], "create_table"),
        (FILE["0008"], "create_index"),
    }
    conn = database(MIGRATIONS[:9])
    expected = sqlite_tables(conn)
    conn.close()
    assert {name: exported_shape(t) for name, t in tables.items()} == expected


def test_at_accepts_the_number_without_zeros() -> None:
    assert export("--at", "8", "migrations") == export("--at", "0008", "migrations")


def test_at_accepts_the_id_wrangler_records() -> None:
    by_id = export("--at", "0008_create_ai_jobs_table.sql", "migrations")
    assert by_id == export("--at", "0008", "migrations")


def test_at_unknown_migration_is_an_error() -> None:
    result = run_export("--at", "0042", "migrations")
    assert result.exit_code == 2
    assert "0042" in result.stderr
    assert "Traceback" not in result.output


def test_output_is_deterministic_with_a_final_newline() -> None:
    first, second = run_export("migrations"), run_export("migrations")
    assert first.stdout == second.stdout
    assert first.stdout.endswith("}\n")
    assert "\r" not in first.stdout
    assert first.stderr == ""  # the bundled migrations raise no warnings


# --- views and triggers ------------------------------------------------------------------------


def test_views_and_triggers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_base.sql").write_text(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT);\n"
        "-- Big rows.\n"
        "CREATE VIEW big AS SELECT id FROM t WHERE n > 10;\n"
        "CREATE TRIGGER t_touch AFTER UPDATE OF n ON t\n"
        "BEGIN\n  UPDATE t SET n = n WHERE id = new.id;\nEND;\n",
        encoding="utf-8",
    )
    (folder / "0002_more.sql").write_text("DROP VIEW big;\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = export("--at", "0001", "migrations")
    (view,) = data["views"]
    assert view["name"] == "big"
    assert view["sql"] == "CREATE VIEW big AS SELECT id FROM t WHERE n > 10"
    assert [(h["migration"], h["action"]) for h in view["history"]] == [
        ("0001_base.sql", "create_view")
    ]
    (trigger,) = data["triggers"]
    assert (trigger["name"], trigger["table"]) == ("t_touch", "t")
    assert trigger["sql"].startswith("CREATE TRIGGER t_touch AFTER UPDATE OF n ON t")
    assert trigger["sql"].endswith("END")
    assert [(h["migration"], h["action"]) for h in trigger["history"]] == [
        ("0001_base.sql", "create_trigger")
    ]
    final = export("migrations")
    assert final["views"] == []
    assert [(c["action"], c["object"]) for c in final["timeline"][-1]["changes"]] == [
        ("drop_view", "big")
    ]
