"""What the fold carries from statement to statement while reading SQLite migrations."""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct, field

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite.tokens import Statement
from erdgen.errors import Diagnostic, Location, Severity
from erdgen.model import (
    Action,
    Change,
    Table,
)


class State(Struct):
    """What the fold carries from statement to statement."""

    work: Workspace = field(default_factory=Workspace)
    origins: dict[str, Location] = field(default_factory=dict)  # "table:x" -> where created
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Asks SQLite to judge the current statement, which alters the table named; raises
    # MigrationError if SQLite refuses it.
    confirm: Callable[[str], None] = lambda table: None
    # The connection's settings that change what a statement does (PRAGMA), kept from
    # migration to migration as one connection keeps them.
    legacy_alter_table: bool = False
    foreign_keys: bool = False
    # An index was made with a double-quoted string (SQLite's DQS rule): RENAME and DROP
    # COLUMN must then look at every index (quotefix.py); most folders never do.
    string_in_index: bool = False
    # Open transaction (BEGIN, or the outermost SAVEPOINT) and savepoints, outermost first.
    savepoints: list[Savepoint] = field(default_factory=list)
    # The views and triggers the current migration dropped ("view:<folded name>" -> their
    # SQL), for a CREATE that makes one again to say whether it made it as it was.
    dropped: dict[str, str] = field(default_factory=dict)

    def record(self, statement: Statement, action: Action, obj: str, **details: object) -> None:
        change = Change(action, obj, statement.location, statement=statement.text, **details)  # type: ignore[arg-type]
        self.changes.append(change)

    def change_table(
        self, statement: Statement, action: Action, obj: str, before: Table, after: Table
    ) -> None:
        """Put the changed table in place and record the change with both shapes."""
        self.work.put_table(after)
        self.record(statement, action, obj, table=before.name, before=before, after=after)

    def warn(
        self, statement: Statement, code: str, message: str, severity: Severity = Severity.WARNING
    ) -> None:
        self.diagnostics.append(
            Diagnostic(statement.location, code, message, severity, statement.text)
        )

    def open_savepoint(self, name: str | None) -> None:
        """BEGIN (``name`` None) or SAVEPOINT name: remember what a rollback returns to."""
        copy = Savepoint(name, self.work.copy(), dict(self.origins), self.changes)
        copy.recorded = len(self.changes)
        self.savepoints.append(copy)

    def roll_back_to(self, position: int) -> None:
        """Undo everything since the savepoint at ``position``, which stays open."""
        savepoint = self.savepoints[position]
        del self.savepoints[position + 1 :]
        self.work = savepoint.work.copy()
        self.origins = dict(savepoint.origins)
        if savepoint.changes is self.changes:
            del self.changes[savepoint.recorded :]
        else:  # opened in an earlier migration: its changes there are already recorded
            self.changes.clear()


class Savepoint(Struct):
    """What ``ROLLBACK [TO name]`` returns to (SQLite's lang_savepoint.html)."""

    name: str | None  # None for BEGIN
    work: Workspace
    origins: dict[str, Location]
    changes: list[Change]  # the list the changes were recorded in, and how many
    recorded: int = 0


Handler = Callable[[Statement, State], None]
