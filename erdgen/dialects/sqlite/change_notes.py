"""Comments that narrate a migration step are not column descriptions.

A column's description is the comment on its definition: its line in a CREATE TABLE, or
its ``ALTER TABLE ... ADD COLUMN`` statement. A migration that drops a table (or renames
it away) and creates it again under its name in the same migration, by hand or by a
tool's rebuild, repeats the table's columns; a comment on such a line mostly says what the
step changes ("-- DROP NOT NULL constraint", "-- changed from TEXT", "-- Add column"), and
so may one on ADD COLUMN ("-- Add the verified flag"). Such a change note gives way to the
description the column had before (none for a new column); any other comment there is a
description, as on a first CREATE TABLE, where every comment counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msgspec.structs import replace

from erdgen.dialects.sqlite.split import comment_above, trailing_comment
from erdgen.dialects.sqlite.tokens import Statement
from erdgen.model import Action, Change, Column, IdentifierRule, Table

# A note that starts with what the step does to the column, not with what the column holds.
_CHANGE_NOTE = re.compile(
    r"(?:adds?|added|remov(?:e|es|ed)|drop(?:s|ped)?|chang(?:e|es|ed)|renam(?:e|es|ed)"
    r"|mov(?:e|es|ed)|now|was|were|previously|formerly|no longer|new column)(?=[\s:.,]|$)",
    re.IGNORECASE,
)


def is_change_note(text: str) -> bool:
    """Whether a comment narrates a change ("Remove NOT NULL constraint", "was TEXT")."""
    return _CHANGE_NOTE.match(text.strip()) is not None


def earlier_table(changes: Sequence[Change], name: str, names: IdentifierRule) -> Table | None:
    """The table called ``name`` that this migration (``changes`` so far) dropped or
    renamed away, the latest one; None if there is none."""
    for change in reversed(changes):
        if change.action is Action.DROP_TABLE and names.same(change.object, name):
            return change.before
        if change.action is Action.RENAME_TABLE and names.same(change.old_name or "", name):
            return change.before
    return None


def without_change_notes(table: Table, earlier: Table | None) -> Table:
    """``table`` as a re-creation of ``earlier``: a column's change note gives way to the
    description the column had in ``earlier``, "" for a new column."""
    if earlier is None or not any(is_change_note(c.description) for c in table.columns):
        return table
    columns = tuple(_settled(c, earlier.column(c.name)) for c in table.columns)
    return replace(table, columns=columns)


def added_column(column: Column, statement: Statement) -> Column:
    """A column of ``ALTER TABLE ... ADD COLUMN``: the comment in its definition, else the
    one after the statement on its last line or the block just above the statement (the
    statement is the column's definition); none if that is a change note."""
    if not column.description:
        raw, scanned = statement.raw, statement.scanned
        end = raw.start + len(raw.text)
        text = trailing_comment(scanned, end, end) or comment_above(scanned, raw.start)
        column = replace(column, description=text)
    return _settled(column, None)


def _settled(column: Column, earlier: Column | None) -> Column:
    if not is_change_note(column.description):
        return column
    return replace(column, description=earlier.description if earlier is not None else "")
