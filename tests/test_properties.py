"""Properties: for random migration folders SQLite accepts, the model is SQLite's schema.

The Hypothesis profiles (``HYPOTHESIS_PROFILE=thorough`` runs many more examples; ``CI``
set makes every property run derandomised) are in ``tests/conftest.py``.
Below the properties: the minimal folders of the core bugs they found.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from strategies import Folder, folders

from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.sqlite.names import same_name
from erdgen.model import Action, History, ascii_fold

TABLE_ACTIONS = frozenset({Action.CREATE_TABLE, Action.DROP_TABLE, Action.RENAME_TABLE})


def write(folder: Folder, project: Path) -> Path:
    migrations = project / "migrations"
    migrations.mkdir()
    for name, text in zip(folder.file_names(), folder.files, strict=True):
        (migrations / name).write_text(text, encoding="utf-8")
    return migrations


def listing(folder: Folder) -> str:
    """The generated files, for the failure message (hypothesis prints the shrunk folder)."""
    return "\n".join(
        f"--- {n}\n{t}" for n, t in zip(folder.file_names(), folder.files, strict=True)
    )


@given(folders())
def test_the_model_is_sqlites_schema_after_every_migration(folder: Folder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        history = load_history(write(folder, Path(tmp)), Path(tmp))
    report = verify(history)
    assert report.agrees, "\n".join([*report.lines(), listing(folder)])


@given(folders())
def test_a_rebuild_is_one_rebuild_change_of_that_table(folder: Folder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        history = load_history(write(folder, Path(tmp)), Path(tmp))
    for rebuild in folder.rebuilds:
        step = history.steps[rebuild.file_index]
        changes = [(c.action, c.object) for c in step.changes]
        rebuilt = [
            o for a, o in changes if a is Action.REBUILD_TABLE and same_name(o, rebuild.table)
        ]
        expected = [
            r
            for r in folder.rebuilds
            if r.file_index == rebuild.file_index and same_name(r.table, rebuild.table)
        ]
        temporary = [
            (a, o) for a, o in changes if a in TABLE_ACTIONS and same_name(o, rebuild.temporary)
        ]
        explanation = f"{step.migration.path}: {changes}\n{listing(folder)}"
        assert len(rebuilt) == len(expected), explanation
        assert temporary == [], explanation


@given(folders())
def test_every_trigger_that_disappears_has_its_drop_change(folder: Folder) -> None:
    """A trigger goes with DROP TRIGGER or with its table (DROP TABLE, a rebuild): either
    way the migration says so, and rolled-back ones are never there at all."""
    with tempfile.TemporaryDirectory() as tmp:
        history = load_history(write(folder, Path(tmp)), Path(tmp))
    before: set[str] = set()
    for step in history.steps:
        after = {ascii_fold(t.name) for t in step.schema.triggers}
        dropped = {ascii_fold(c.object) for c in step.changes if c.action is Action.DROP_TRIGGER}
        assert before - after <= dropped, f"{step.migration.path}\n{listing(folder)}"
        before = after


# --- core bugs the properties found, as minimal folders ---------------------------------


def history_of(*files: str) -> History:
    with tempfile.TemporaryDirectory() as tmp:
        migrations = Path(tmp) / "migrations"
        migrations.mkdir()
        for number, text in enumerate(files, start=1):
            (migrations / f"{number:04d}_m.sql").write_text(text, encoding="utf-8")
        return load_history(migrations, Path(tmp))


REGRESSIONS = {
    "strict-primary-key-is-not-null": (
        "CREATE TABLE a (id INT PRIMARY KEY) STRICT;\n"
        "CREATE TABLE b (id INTEGER PRIMARY KEY) STRICT;",  # the rowid alias may hold NULL
    ),
    "not-null-after-references": ("CREATE TABLE t (a INTEGER REFERENCES t NOT NULL);",),
    "add-column-without-type": ("CREATE TABLE t (a);\nALTER TABLE t ADD b;",),
}
FOUND_LATER = {  # bugs the properties found after the first regressions: fixed since
    "rename-column-rewrites-other-tables-triggers": (
        "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x INTEGER);\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = x WHERE 0; END;",
        "ALTER TABLE b RENAME x TO y;",
    ),
    "rename-column-rewrites-new-of-the-triggers-table": (
        "CREATE TABLE a (x);\nCREATE TABLE b (x);\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = NEW.x WHERE 0; END;",
        "ALTER TABLE b RENAME x TO y;",  # SQLite: SET "y" = NEW.x
    ),
    "drop-column-keeps-its-foreign-key": (
        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (a, b REFERENCES p);",
        "ALTER TABLE c DROP COLUMN b;",
    ),
    "add-column-foreign-key-goes-before-table-constraints": (
        "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE t (a, b, FOREIGN KEY (b) REFERENCES p);",
        "ALTER TABLE t ADD COLUMN c REFERENCES p;",  # SQLite: a, b, c, FOREIGN KEY (b)
    ),
    "rename-column-to-its-own-name-rewrites-index": (
        "CREATE TABLE a (x);\nCREATE INDEX i ON a (lower(X));",
        "ALTER TABLE a RENAME x TO x;",  # SQLite rewrites the key to lower("x")
    ),
}


@pytest.mark.parametrize("files", REGRESSIONS.values(), ids=REGRESSIONS.keys())
def test_fixed_core_bugs_stay_fixed(files: tuple[str, ...]) -> None:
    report = verify(history_of(*files))
    assert report.agrees, "\n".join(report.lines())


@pytest.mark.parametrize("files", FOUND_LATER.values(), ids=FOUND_LATER.keys())
def test_bugs_found_by_the_properties_stay_fixed(files: tuple[str, ...]) -> None:
    report = verify(history_of(*files))
    assert report.agrees, "\n".join(report.lines())


def test_two_rebuilds_of_one_table_in_one_migration_are_two_rebuilds() -> None:
    rebuild = (
        "CREATE TABLE t_new (a, b{extra});\nINSERT INTO t_new (a) SELECT a FROM t;\n"
        "DROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n"
    )
    history = history_of(
        "CREATE TABLE t (a);", rebuild.format(extra="") + rebuild.format(extra=", c")
    )
    actions = [c.action for c in history.steps[1].changes if c.action is not Action.DATA]
    assert actions == [Action.REBUILD_TABLE, Action.REBUILD_TABLE]


def test_renaming_a_column_to_its_own_name_is_understood() -> None:
    history = history_of("CREATE TABLE t (a);\nALTER TABLE t RENAME COLUMN a TO a;")
    assert [d.format() for d in history.diagnostics] == []
