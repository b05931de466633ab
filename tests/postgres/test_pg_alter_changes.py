"""PostgreSQL's ALTER TABLE in the history: a column's new type, NOT NULL, default or
identity is an ``alter_column`` change, and new, dropped, renamed or validated keys and
constraints are an ``alter_table`` change; the pages say what changed in both languages.
Generated folders: every table whose shape a migration changed has a change of it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from msgspec.structs import replace
from pg_findings import PG_SETTINGS
from pg_strategies import migrations as pg_migrations

from erdgen import dialects
from erdgen.config import Config
from erdgen.core.history import build_history
from erdgen.descriptions import Descriptions
from erdgen.model import Action, History, Table
from erdgen.render.catalog import load_catalog
from erdgen.render.pages import render_pages

from folders import migrations  # isort: skip

POSTGRES = dialects.get("postgres")

FIRST = (
    "CREATE TABLE a (id int PRIMARY KEY, n varchar(10), d int);\n"
    "CREATE TABLE b (id int, a_id int);\n"
)
SECOND = (
    "ALTER TABLE a ALTER COLUMN n TYPE text;\n"
    "ALTER TABLE a ALTER COLUMN d SET NOT NULL, ALTER COLUMN d SET DEFAULT 3;\n"
    "ALTER TABLE b ADD CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id) NOT VALID;\n"
)
THIRD = "ALTER TABLE b VALIDATE CONSTRAINT b_a;\nCOMMENT ON COLUMN a.n IS 'name';\n"


def _changes(history: History, position: int) -> list[tuple[str, str, int]]:
    step = history.steps[position]
    return [(c.action.value, c.object, c.location.line) for c in step.changes]


def test_column_and_constraint_changes_are_in_the_history() -> None:
    history = build_history(migrations(FIRST, SECOND, THIRD), POSTGRES)
    assert _changes(history, 1) == [
        ("alter_column", "a.n", 1),
        ("alter_column", "a.d", 2),
        ("alter_table", "b", 3),
    ]
    assert _changes(history, 2) == [("alter_table", "b", 1)]  # a description is no change


def test_the_migration_page_says_what_changed(tmp_path: Path) -> None:
    history = build_history(migrations(FIRST, SECOND, THIRD), POSTGRES)
    pages = render_pages(history, Descriptions(), Config(project_dir=tmp_path))
    for language, suffix in (("de", ".md"), ("en", ".en.md")):
        words = load_catalog(language)
        second = pages[f"migrations/0001{suffix}"].decode()
        third = pages[f"migrations/0002{suffix}"].decode()
        assert words.t("change.column_changed", column="`d`") in second
        assert words.t("change.column_not_null", column="`d`") in second
        assert words.t("change.column_type", column="`n`", before="`character varying(10)`",
                       after="`text`") in second  # fmt: skip
        assert words.t("change.table_altered") in second
        assert words.t("change.table_altered") in third
        assert words.t("change.constraint_validated", constraint="`b_a`") in third


@PG_SETTINGS
@given(files=pg_migrations())
def test_every_table_a_migration_changed_has_a_change(files: list[str]) -> None:
    history = build_history(migrations(*files), POSTGRES)
    before: dict[str, Table] = {}
    for step in history.steps:
        after = {t.name: t for t in step.schema.tables}
        touched = {c.table or c.object for c in step.changes} | {
            c.object.split(".", 1)[0] for c in step.changes if c.action is Action.RENAME_TABLE
        }
        for name, table in after.items():
            old = before.get(name)
            if old is not None and _shape(old) != _shape(table):
                assert name in touched, (step.migration.name, name)
        before = after


def _shape(table: Table) -> object:
    columns = tuple(replace(c, description="") for c in table.columns)
    constraints = tuple(replace(c, description="") for c in table.constraints)
    indexes = tuple(i for i in table.indexes if i.origin != "c")  # CREATE INDEX: own changes
    return (columns, constraints, indexes, table.partition_key, table.inherits)


def test_renames_are_renames_not_drops() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE a (id int PRIMARY KEY, n text);\n",
            "ALTER TABLE a RENAME n TO name;\nALTER TABLE a RENAME TO b;\n"
            "ALTER TABLE b RENAME COLUMN name TO title;\n"
            "ALTER TABLE b ALTER COLUMN title TYPE varchar(20);\n",
        ),
        POSTGRES,
    )
    step = history.steps[1]
    assert [(c.action.value, c.object, c.old_name) for c in step.changes] == [
        ("rename_column", "b.title", "b.n"),
        ("rename_table", "b", "a"),
        ("alter_column", "b.title", None),
    ]
    # at the statements that made them: the column's rename began on line 1
    assert [c.location.line for c in step.changes[:2]] == [1, 2]
    assert not any(c.destructive for c in step.changes)


@PG_SETTINGS
@given(files=pg_migrations())
def test_a_migration_without_drop_destroys_nothing(files: list[str]) -> None:
    """Renames (of tables and columns, also chained within one migration) never read as a
    drop: only a DROP statement loses data."""
    history = build_history(migrations(*files), POSTGRES)
    for text, step in zip(files, history.steps, strict=True):
        if "drop" not in text.lower():
            assert not [c for c in step.changes if c.destructive], text


def test_a_column_may_take_the_old_name_of_another() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE pet (id int PRIMARY KEY, a bool, m int);\n",
            "ALTER TABLE pet RENAME a TO x;\nALTER TABLE pet RENAME id TO a;\n"
            "ALTER TABLE pet RENAME m TO id;\nALTER TABLE pet ADD COLUMN m text;\n",
        ),
        POSTGRES,
    )
    assert sorted((c.action.value, c.object, c.old_name) for c in history.steps[1].changes) == [
        ("add_column", "pet.m", None),
        ("rename_column", "pet.a", "pet.id"),
        ("rename_column", "pet.id", "pet.m"),
        ("rename_column", "pet.x", "pet.a"),
    ]


def test_a_table_may_take_the_old_name_of_another() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE t (id int PRIMARY KEY);\n",
            "ALTER TABLE t RENAME TO pet;\nCREATE TABLE t (b int);\n",
        ),
        POSTGRES,
    )
    changes = [(c.action.value, c.object, c.old_name) for c in history.steps[1].changes]
    assert changes == [("rename_table", "pet", "t"), ("create_table", "t", None)]


def test_a_renamed_tables_triggers_go_with_it() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE a (id int);\nCREATE TRIGGER x AFTER INSERT ON a FOR EACH ROW\n"
            "  EXECUTE FUNCTION suppress_redundant_updates_trigger();\n",
            "ALTER TABLE a RENAME TO b;\n",
        ),
        POSTGRES,
    )
    assert [(c.action.value, c.object) for c in history.steps[1].changes] == [("rename_table", "b")]
    assert [(t.table, t.name) for t in history.schema.triggers] == [("b", "x")]
