"""PostgreSQL's data statements in the history, and where each change is placed.

INSERT, UPDATE, DELETE, MERGE, COPY ... FROM, TRUNCATE (also in a ``DO`` body) are
``Action.DATA`` changes with their verb and table, as SQLite's are; a change is placed
at the statement that made it, never at an earlier one that only mentions its column.
Generated migrations mix DDL, data statements and drops over several lines, with
comments that name columns; PostgreSQL runs each (so each is valid), and the expected
``file:line:column`` of every statement is counted while the text is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from folders import migrations
from hypothesis import given
from hypothesis import strategies as st
from pg_findings import PG_SETTINGS
from pg_strategies import migrations as pg_migrations

from erdgen import dialects
from erdgen.config import Config
from erdgen.core.history import build_history, load_history
from erdgen.descriptions import Descriptions
from erdgen.formats.json import export_data
from erdgen.model import Action, History
from erdgen.render.pages import render_pages

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

POSTGRES = dialects.get("postgres")
CORPUS = Path("/work/shared/corpus")
TABLES = ["t", "pet", "Person", "order"]  # "order": a key word, always quoted
COLUMNS = ["a", "b", "hostname", "Mixed", "share_id"]


def _name(draw: st.DrawFn, name: str) -> str:
    """As written: quoted or not (when PostgreSQL folds it to itself), perhaps qualified."""
    plain = name.islower() and name != "order"
    written = name if plain and draw(st.booleans()) else f'"{name}"'
    return f"public.{written}" if draw(st.integers(0, 3)) == 0 else written


def _column(draw: st.DrawFn, name: str) -> str:
    return name if name.islower() and draw(st.booleans()) else f'"{name}"'


@dataclass
class _Expected:
    """What the history must show: (line, column, verb, table) of each data statement,
    (line, object) of each drop."""

    data: list[tuple[int, int, str, str]] = field(default_factory=list)
    drops: list[tuple[int, str, str]] = field(default_factory=list)  # line, action, object


@dataclass
class _Writer:
    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> tuple[int, int]:
        """Append a statement's text (lines); the line and column where it starts."""
        self.lines.extend(text.split("\n"))
        return len(self.lines) - text.count("\n"), 1


@st.composite
def migration_folders(draw: st.DrawFn) -> tuple[list[str], list[_Expected]]:
    tables: dict[str, list[str]] = {}
    files, expected = [], []
    for _ in range(draw(st.integers(1, 3))):
        writer, found = _Writer(), _Expected()
        start = {name: list(columns) for name, columns in tables.items()}
        dropped: list[tuple[int, str, str, str]] = []  # line, action, table, column
        # (table, column) -> its name at the start ("" for a column the migration added)
        origin: dict[tuple[str, str], str] = {}
        for _ in range(draw(st.integers(1, 8))):
            if draw(st.booleans()):  # a comment naming a column, or a blank line
                writer.add(
                    f"-- {draw(st.sampled_from(COLUMNS))} moves" if draw(st.booleans()) else ""
                )
            _statement(draw, tables, writer, found, dropped, origin)
        for line, action, table, column in dropped:
            if action == "drop_table" and table in start and table not in tables:
                found.drops.append((line, action, table))
            elif action == "drop_column" and column in start.get(table, []):
                # dropped for good, even where a new column took its name again
                alive = {origin.get((table, c), c) for c in tables.get(table, [column])}
                if column not in alive:
                    found.drops.append((line, action, f"{table}.{column}"))
        files.append("\n".join(writer.lines) + "\n")
        expected.append(found)
    return files, expected


def _statement(
    draw: st.DrawFn,
    tables: dict[str, list[str]],
    writer: _Writer,
    found: _Expected,
    dropped: list[tuple[int, str, str, str]],
    origin: dict[tuple[str, str], str],
) -> None:
    gone = {table for _, action, table, _ in dropped if action == "drop_table"}
    free = [t for t in TABLES if t not in tables and t not in gone]  # made anew: "changed"
    kinds = (
        ["create"]
        if not tables
        else [
            "insert",
            "copy_in",
            "update",
            "update_from",
            "delete",
            "with",
            "do",
            "truncate",
            "add",
            "drop_column",
            "drop_table",
            "index",
            "rename",
        ]
    )
    kinds += ["create"] if free else []  # fmt: skip
    kind = draw(st.sampled_from(kinds))
    if kind == "create":
        name = draw(st.sampled_from(free))
        columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=3, unique=True))
        tables[name] = columns
        body = ",\n  ".join(f"{_column(draw, c)} text" for c in columns)
        writer.add(f"CREATE TABLE {_name(draw, name)} (\n  {body}\n);")
        return
    name = draw(st.sampled_from(sorted(tables)))
    columns = tables[name]
    column = draw(st.sampled_from(columns))
    other = draw(st.sampled_from(sorted(tables)))
    source = draw(st.sampled_from(tables[other]))
    target, col, src = _name(draw, name), _column(draw, column), _column(draw, source)
    data = {
        "insert": ("INSERT", f"INSERT INTO {target} ({col})\nVALUES ('x'), (NULL);"),
        "copy_in": ("INSERT", f"INSERT INTO {target} ({col})\nSELECT {src}\n"
                    f"FROM {_name(draw, other)} WHERE {src} IS NOT NULL;"),
        "update": ("UPDATE", f"UPDATE {target}\nSET {col} = 'y'\nWHERE {col} IS NULL;"),
        "update_from": ("UPDATE", f"UPDATE {target} AS w\nSET {col} = s.{src}\n"
                        f"FROM {_name(draw, other)} s\nWHERE s.{src} = w.{col};"),
        "delete": ("DELETE", f"DELETE FROM {target} WHERE {col} = 'gone';"),
        "truncate": ("TRUNCATE", f"TRUNCATE {target};"),
    }  # fmt: skip
    if kind in data:
        verb, text = data[kind]
        line, at = writer.add(text)
        found.data.append((line, at, verb, name))
    elif kind == "with":
        line, at = writer.add(
            f"WITH gone AS (\n  DELETE FROM {target} WHERE {col} = 'z' RETURNING {col}\n)\n"
            f"INSERT INTO {_name(draw, other)} ({src}) SELECT {col} FROM gone;"
        )
        found.data.append((line, at, "INSERT", other))
    elif kind == "do":
        line, _ = writer.add(f"DO $$\nBEGIN\n  UPDATE {target} SET {col} = 'd';\nEND\n$$;")
        found.data.append((line + 2, 3, "UPDATE", name))
    elif kind == "add":
        new = draw(st.sampled_from(COLUMNS))
        if new not in columns:
            columns.append(new)
            origin[(name, new)] = ""  # a new column, also where it takes a dropped one's name
            writer.add(f"ALTER TABLE {target}\n  ADD COLUMN {_column(draw, new)} text;")
    elif kind == "index":
        writer.add(f"CREATE INDEX ON {target} ({col});")
    elif kind == "drop_column" and len(columns) > 1:
        columns.remove(column)
        line, _ = writer.add(f"ALTER TABLE {target}\n  DROP COLUMN {col};")
        dropped.append((line, "drop_column", name, origin.pop((name, column), column)))
    elif kind == "rename" and f"{column}_{len(origin)}" not in columns:
        # then dropped: the drop is at its DROP, not at the RENAME
        new = f"{column}_{len(origin)}"
        columns[columns.index(column)] = new
        origin[(name, new)] = origin.pop((name, column), column)
        writer.add(f"ALTER TABLE {target} RENAME COLUMN {col} TO {_column(draw, new)};")
    elif kind == "drop_table":
        del tables[name]
        line, _ = writer.add(f"DROP TABLE {target};")
        dropped.append((line, "drop_table", name, ""))


@PG_SETTINGS
@given(folder=migration_folders())
def test_every_data_statement_and_drop_is_a_change_at_its_line(
    pg: Connection, folder: tuple[list[str], list[_Expected]]
) -> None:
    files, expected = folder
    pg.execute("BEGIN")
    try:
        for text in files:  # PostgreSQL runs them: the generated SQL is valid
            pg.execute(text.encode())
    finally:
        pg.execute("ROLLBACK")
    history = build_history(migrations(*files), POSTGRES)
    for step, wanted in zip(history.steps, expected, strict=True):
        data = [
            (c.location.line, c.location.column, c.verb, c.table)
            for c in step.changes
            if c.action is Action.DATA
        ]
        assert data == wanted.data, step.migration.sql
        drops = [
            (c.location.line, c.action.value, c.object)
            for c in step.changes
            if c.action in (Action.DROP_TABLE, Action.DROP_COLUMN)
        ]
        assert sorted(drops) == sorted(wanted.drops), step.migration.sql
        lines = [c.location.line for c in step.changes]
        assert lines == sorted(lines)  # in the order of the text


# the words of the statement that may make each kind of change (pg_strategies' forms)
_MADE_BY = {
    Action.DROP_TABLE: r"\bDROP\b",
    Action.DROP_COLUMN: r"\bDROP\b",
    Action.DROP_INDEX: r"\bDROP\b|\bRENAME\b",
    Action.DROP_VIEW: r"\bDROP\b",
    Action.CREATE_TABLE: r"\bCREATE\b",
    Action.RENAME_COLUMN: r"\bRENAME\b",
    Action.ADD_COLUMN: r"\bADD\b|\bCREATE\b|\bRENAME\b|\bATTRIBUTE\b",
}


@PG_SETTINGS
@given(files=pg_migrations())
def test_generated_ddl_changes_are_at_statements_that_can_make_them(files: list[str]) -> None:
    """pg_strategies' folders (one statement a line): every drop is at a DROP (an index
    also at its RENAME), every new table at a CREATE, every rename at a RENAME."""
    history = build_history(migrations(*files), POSTGRES)
    for step in history.steps:
        lines = step.migration.sql.split("\n")
        for change in step.changes:
            made_by = _MADE_BY.get(change.action)
            if made_by is not None:
                text = lines[change.location.line - 1]
                assert re.search(made_by, text, re.IGNORECASE), (change.object, text)


def test_a_column_renamed_then_dropped_is_dropped_at_its_drop() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE t (a int, c int);\n",
            "ALTER TABLE t ALTER a TYPE bigint;\nALTER TABLE t RENAME a TO b;\n"
            "UPDATE t SET c = b;\nALTER TABLE t DROP COLUMN b;\n",
        ),
        POSTGRES,
    )
    assert [(c.action.value, c.object, c.location.line) for c in history.steps[1].changes] == [
        ("data", "t", 3),
        ("drop_column", "t.a", 4),
    ]


def test_each_change_is_at_the_statement_that_made_it() -> None:
    history = build_history(
        migrations(
            "CREATE TABLE a (id int, n int);\nCREATE TABLE old (id int);\n"
            "CREATE INDEX a_n ON a (n);\nCREATE VIEW v AS SELECT id FROM a;\n"
            "CREATE TABLE k (id int);\n",
            "ALTER TABLE a ALTER n TYPE bigint;\n"  # 1
            "CREATE TABLE made (id int);\nALTER TABLE made RENAME TO kept;\n"  # 2, 3
            "ALTER TABLE old RENAME TO older;\nDROP TABLE older;\n"  # 4, 5
            "ALTER TABLE a RENAME n TO m;\nDROP TABLE a CASCADE;\n"  # 6, 7: index and view
            "CREATE TABLE a (id int);\n"  # 8: a again, without m
            "ALTER TABLE k RENAME id TO was;\nALTER TABLE k ADD id int;\n",  # 9, 10
        ),
        POSTGRES,
    )
    lines = {(c.action.value, c.object): c.location.line for c in history.steps[1].changes}
    assert lines == {
        ("create_table", "kept"): 2,
        ("drop_table", "old"): 5,
        # a dropped with its rows, and a new a made: not one table that lost n
        ("drop_table", "a"): 7,
        ("create_table", "a"): 8,
        ("drop_index", "a_n"): 7,
        ("drop_view", "v"): 7,
        ("rename_column", "k.was"): 9,
        ("add_column", "k.id"): 10,  # not at the RENAME of the old id away
    }


def test_data_statements_of_every_kind() -> None:
    history = build_history(
        migrations(
            "CREATE SCHEMA s;\nCREATE TABLE s.t (a int);\nCREATE TABLE u (a int);\n",
            "MERGE INTO s.t USING u ON t.a = u.a WHEN NOT MATCHED THEN INSERT VALUES (u.a);\n"
            "COPY u (a) FROM stdin;\nCOPY u TO stdout;\nTRUNCATE ONLY u, s.t;\n"
            "WITH x AS (SELECT 1) SELECT * FROM x;\nSELECT 1;\n"
            "INSERT INTO temp_elsewhere VALUES (1);\n",
        ),
        POSTGRES,
    )
    assert [(c.verb, c.table, c.location.line) for c in history.steps[1].changes] == [
        ("MERGE", "s.t", 1),
        ("COPY", "u", 2),
        ("TRUNCATE", "u", 4),
        ("TRUNCATE", "s.t", 4),
        ("INSERT", "temp_elsewhere", 7),  # not in the model: named as written
    ]


def test_the_repro_drop_is_at_its_alter_table_and_the_update_is_a_data_change(
    tmp_path: Path,
) -> None:
    history = build_history(
        migrations(
            'CREATE TABLE "session" ("id" UUID PRIMARY KEY, "hostname" VARCHAR(100));\n'
            'CREATE TABLE "event" ("id" UUID PRIMARY KEY, "session_id" UUID NOT NULL);\n',
            "-- Move hostname from session to event.\n"
            'ALTER TABLE "event" ADD COLUMN "host" VARCHAR(100);\n\n'
            'UPDATE "event" e SET host = s.hostname FROM "session" s WHERE s.id = e.session_id;\n\n'
            'DELETE FROM "session" WHERE "hostname" IS NULL;\n\n'
            'ALTER TABLE "session" DROP COLUMN "hostname";\n',
        ),
        POSTGRES,
    )
    step = history.steps[1]
    assert [(c.action.value, c.object, c.verb, c.location.line) for c in step.changes] == [
        ("add_column", "event.host", "", 2),
        ("data", "event", "UPDATE", 4),
        ("data", "session", "DELETE", 6),
        ("drop_column", "session.hostname", "", 8),
    ]
    pages = render_pages(history, Descriptions(), Config(project_dir=tmp_path))
    page = pages["migrations/0001.en.md"].decode()
    changes = page[page.index("## Changes") :]
    # the add before the drop, which knows that the UPDATE ... FROM copied the column first
    dropped = "`hostname` → `event.host`, data copied only where `s.id = e.session_id` holds"
    assert changes.index("new column `host`") < changes.index(dropped)
    assert "data changed: `UPDATE`" in changes and "`DELETE` on [`session`]" in page


def _umami() -> History:
    return load_history(CORPUS / "umami-postgres", CORPUS / "umami-postgres")


def test_umami_drops_are_at_their_statements_and_the_copied_share_id_is_not_lost() -> None:
    history = _umami()
    steps = {s.migration.id[:2]: s for s in history.steps}
    drop = next(c for c in steps["09"].changes if c.object == "session.hostname")
    assert (drop.action, drop.location.line) == (Action.DROP_COLUMN, 18)
    assert [(c.verb, c.table, c.location.line) for c in steps["09"].changes if c.verb] == [
        ("UPDATE", "website_event", 5)
    ]
    share = next(c for c in steps["15"].changes if c.object == "website.share_id")
    assert share.location.line == 40
    assert [(c.source, c.column, c.target, c.into) for c in share.copied_to] == [
        ("website", "share_id", "share", "slug")
    ]
    assert share.lost_columns == ()  # copied where share_id is not null, not "cannot be recovered"
    assert not share.destructive  # the rows left behind had no share_id
    assert [c.verb for c in steps["04"].changes if c.verb] == ["UPDATE"]
    assert [c.verb for c in steps["05"].changes if c.verb] == ["UPDATE"]


def test_umami_export_has_the_data_changes() -> None:
    exported = export_data(_umami())
    nine = next(m for m in exported["timeline"] if m["migration"].startswith("09"))
    assert [c["location"].rsplit(":", 2)[-2] for c in nine["changes"]] == sorted(
        (c["location"].rsplit(":", 2)[-2] for c in nine["changes"]), key=int
    )
    assert {"action": "data", "object": "website_event", "verb": "UPDATE"}.items() <= next(
        c for c in nine["changes"] if c["action"] == "data"
    ).items()
