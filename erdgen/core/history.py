"""Fold the migrations over the schema: a snapshot after every migration.

erdgen reads each statement itself; the engine is asked only when erdgen doubts one
(``Judge``): a statement the engine refuses is then reported with its location exactly
as the engine words it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from erdgen.core.rebuilds import collapse_rebuilds
from erdgen.dialects.sqlite.handlers import State, interpret
from erdgen.dialects.sqlite.judge import Judge
from erdgen.dialects.sqlite.tokens import Statement, parse_migration
from erdgen.errors import Diagnostic, Location, MigrationError, Severity
from erdgen.layouts import Discovery, discover
from erdgen.model import (
    History,
    Migration,
    Step,
    Transaction,
)


def load_history(
    migrations_dir: Path, project_dir: Path | None = None, layout: str | None = None
) -> History:
    """The whole pipeline: discover, parse, judge with SQLite, interpret, fold.

    ``layout`` forces a tool's layout instead of detecting it; what discovery warns
    about comes first among the history's diagnostics.
    """
    return history_from(discover(migrations_dir, project_dir, layout))


def history_from(found: Discovery) -> History:
    """The history of what discovery found; its warnings come first among the diagnostics."""
    history = build_history(found.migrations)
    if not found.warnings:
        return history
    return replace(history, diagnostics=(*found.warnings, *history.diagnostics))


def build_history(migrations: Sequence[Migration]) -> History:
    judge = Judge()
    state = State()
    state.confirm = lambda table: judge.probe(state.work.schema, table)
    steps: list[Step] = []
    with _cycle_collection_paused():
        try:
            previous: Migration | None = None
            for migration in migrations:
                state.changes = []
                if _opens_shared_transaction(previous, migration):
                    judge.seen.append(("BEGIN", Location(migration.path)))  # as the tool does
                previous = migration
                for statement in parse_migration(migration):
                    judge.see(statement)
                    _interpret_or_judge(statement, state, judge)
                changes = collapse_rebuilds(state.changes, state.work.schema)
                steps.append(Step(migration, changes, state.work.schema))
        finally:
            judge.close()
    return History(tuple(steps), tuple(state.diagnostics))


def _opens_shared_transaction(previous: Migration | None, migration: Migration) -> bool:
    """drizzle runs all pending files in one transaction, which a file may commit and
    reopen itself: SQLite's replay of them must start inside it too."""
    shared = migration.transaction is Transaction.SHARED
    return shared and (previous is None or previous.transaction is not Transaction.SHARED)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """The fold allocates millions of small objects without cycles (every snapshot's
    tables, every change), which set off full collections of the growing heap that find
    nothing: a fifth of the load at 2,000 migrations. Reference counting frees them; the
    few cycles (sqlglot's trees) are collected once the fold is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _interpret_or_judge(statement: Statement, state: State, judge: Judge) -> None:
    """Interpret a statement; when erdgen cannot, let SQLite judge who is wrong.

    Replaying costs as much as SQLite needs for the whole folder, so it happens only
    on failure: if SQLite rejects the statement (or an earlier one), that is the
    user's error, worded by SQLite; if SQLite accepts it, erdgen warns that it could
    not read it and the cross-check will show where the model differs.
    """
    known = len(state.diagnostics)
    try:
        interpret(statement, state)
    except MigrationError as error:
        judge.catch_up()  # raises the SQLite error of the first statement it rejects
        state.diagnostics.append(
            Diagnostic(
                error.location or statement.location,
                "not-understood",
                f"erdgen could not read this statement ({error.message}), although SQLite "
                "accepts it; the model may differ from SQLite here",
                Severity.WARNING,
                statement.text,
            )
        )
        return
    if len(state.diagnostics) > known:
        judge.catch_up()  # not understood: is it SQL at all?


__all__ = ["build_history", "history_from", "load_history"]
