"""missing-description on PostgreSQL folders: at the CREATE TABLE that gives the current
table, at the statement that added a later column (PostgreSQL's changes are found per
migration; the statement walk tells which ALTER TABLE it was)."""

from __future__ import annotations

from pg_findings import findings

RULE = "missing-description"


def places(*files: str) -> list[str]:
    return sorted(
        f"{f.location.path}:{f.location.line}: {f.message.split(' has ')[0]}"
        for f in findings(*files, rule=RULE)
    )


def test_a_table_dropped_and_created_again_is_pointed_at_the_last_create() -> None:
    assert places(
        "CREATE TABLE t (id integer PRIMARY KEY);\n",
        "DROP TABLE t;\nCREATE TABLE t (id integer PRIMARY KEY, b text);\n",
    ) == [
        "migrations/0001_m1.sql:2: column t.b",
        "migrations/0001_m1.sql:2: column t.id",
        "migrations/0001_m1.sql:2: table t",
    ]


def test_a_column_added_after_the_create_is_pointed_at_its_alter_table() -> None:
    assert places(
        "CREATE TABLE t (id integer PRIMARY KEY);\n\nALTER TABLE t ADD COLUMN b text;\n",
        "ALTER TABLE t ADD COLUMN c text;\n",
    ) == [
        "migrations/0000_m0.sql:1: column t.id",
        "migrations/0000_m0.sql:1: table t",
        "migrations/0000_m0.sql:3: column t.b",
        "migrations/0001_m1.sql:1: column t.c",
    ]


def test_comment_on_describes() -> None:
    assert (
        places(
            "CREATE TABLE t (id integer PRIMARY KEY);\nCOMMENT ON TABLE t IS 'things';\n"
            "COMMENT ON COLUMN t.id IS 'the key';\n"
        )
        == []
    )
