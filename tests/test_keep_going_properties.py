"""Property: with ``--keep-going`` the model is SQLite's statement-by-statement replay.

Random folders that SQLite applies cleanly (``strategies.folders``) get failing
statements injected: statements on tables that never exist, the D1 pattern (a
``CREATE TABLE IF NOT EXISTS`` that keeps an older shape, then an index on a new column),
a table used before the migration that creates it, duplicates and syntax errors. The
model after every migration must equal SQLite's schema after the same statements run
one by one in autocommit, and both must skip exactly the same statements.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import Folder, folders
from test_properties import write

from erdgen.core.compare import verify
from erdgen.core.history import load_history
from erdgen.dialects.sqlite.engine import replay
from erdgen.layouts import discover_migrations as discover
from erdgen.model import SkippedStatement

Draw = st.DrawFn


def always_failing(n: int) -> list[str]:
    """Statements that fail on a fresh database whatever the generated folder holds."""
    return [
        f"INSERT INTO never_{n} (a) VALUES (1)",
        f"CREATE INDEX ix_never_{n} ON never_{n}(a)",
        f"ALTER TABLE never_{n} ADD COLUMN b TEXT",
        f"DROP TABLE never_{n}",
        f"UPDATE never_{n} SET a = 2",
        "SELEC 1",
    ]


@st.composite
def failing_folders(draw: Draw) -> tuple[Folder, list[Failing]]:
    """A clean folder with failing statements put at the start or end of its files; also
    the statements that must fail wherever they are, each with what it fails after."""
    folder = draw(folders(max_files=4, max_groups=4))
    files = list(folder.files)
    must_fail: list[Failing] = []
    for n in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(files) - 1))
        kind = draw(st.sampled_from(["never", "d1", "later", "duplicate"]))
        if kind == "never":
            statement = draw(st.sampled_from(always_failing(n)))
            must_fail.append((statement, ()))
            injected = [statement]
        elif kind == "d1":
            legacy = f"CREATE TABLE legacy_{n} (id INTEGER PRIMARY KEY, body TEXT)"
            index_on_new = f"CREATE INDEX ix_legacy_{n} ON legacy_{n}(entity)"
            injected = [
                legacy,
                f"CREATE TABLE IF NOT EXISTS legacy_{n} (id INTEGER PRIMARY KEY, entity TEXT)",
                index_on_new,
            ]
            must_fail.append((index_on_new, (legacy,)))
        elif kind == "later":
            files[-1] += f"\nCREATE TABLE later_{n} (a INT);\n"
            injected = [f"INSERT INTO later_{n} (a) VALUES ({n})"] if index < len(files) - 1 else []
            must_fail += [(statement, ()) for statement in injected]
        else:
            injected = [f"CREATE TABLE dup_{n} (a INT)", f"CREATE TABLE dup_{n} (b INT)"]
            must_fail.append((injected[-1], injected[:1]))
        text = "".join(f"{statement};\n" for statement in injected)
        at_end = draw(st.booleans())
        files[index] = files[index] + "\n" + text if at_end else text + files[index]
    return Folder(tuple(files), ()), must_fail


Failing = tuple[str, tuple[str, ...]]  # a statement, and the statements it fails after


def sqlite_says(statement: str, before: tuple[str, ...]) -> str:
    """SQLite's own message for ``statement`` after ``before``, on a fresh database."""
    conn = sqlite3.connect(":memory:")
    try:
        for earlier in before:
            conn.execute(earlier)
        conn.execute(statement)
    except sqlite3.Error as error:
        return str(error)
    finally:
        conn.close()
    raise AssertionError(f"SQLite accepts {statement}")


@given(failing_folders())
def test_keep_going_is_sqlites_statement_by_statement_replay(
    drawn: tuple[Folder, list[Failing]],
) -> None:
    folder, must_fail = drawn
    with tempfile.TemporaryDirectory() as tmp:
        migrations = write(folder, Path(tmp))
        history = load_history(migrations, Path(tmp), keep_going=True)
        files = discover(migrations, Path(tmp))
    listing = "\n".join(f"--- {m.path}\n{m.sql}" for m in files)
    report = verify(history)  # statement by statement, skipping; also compares the skips
    assert report.agrees, "\n".join([*report.lines(), listing])
    replayed: list[SkippedStatement] = []
    for _ in replay(files, replayed):
        pass
    mine = [(s.location, s.statement, s.reason) for s in history.skipped]
    assert mine == [(s.location, s.statement, s.reason) for s in replayed], listing
    reasons = {skip.statement.rstrip(";"): skip.reason for skip in replayed}
    for statement, before in must_fail:
        assert reasons.get(statement) == sqlite_says(statement, before), listing


@settings(max_examples=25, deadline=None)
@given(failing_folders())
def test_keep_going_with_libsql_is_libsqls_statement_by_statement_replay(
    drawn: tuple[Folder, list[Failing]],
) -> None:
    pytest.importorskip("libsql", reason="the libsql extra: pip install -e '.[libsql]'")
    folder, _ = drawn
    with tempfile.TemporaryDirectory() as tmp:
        migrations = write(folder, Path(tmp))
        history = load_history(migrations, Path(tmp), dialect="libsql", keep_going=True)
    report = verify(history)  # libSQL replays statement by statement and skips the same
    assert report.agrees, "\n".join(report.lines())
