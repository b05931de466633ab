"""Why a fresh database cannot build a folder: the explanation added to the engine's error.

Real folders (Cloudflare D1 projects above all) were applied to a database that already
had tables, so from an empty database one statement fails. Two causes are common and
are named with their places:

- an earlier ``CREATE TABLE IF NOT EXISTS x (...)`` did nothing because ``x`` already
  existed with another shape (SQLite: "If the table already exists, the IF NOT EXISTS
  clause makes the statement a no-op", lang_createtable.html); the failing statement
  expects the new shape;
- the statement needs a table that a *later* migration creates.

The statements are read as the dialect splits them; table names are found with
SQLite's grammar for ``CREATE/DROP/ALTER TABLE`` (also PostgreSQL's and libSQL's),
compared with the dialect's identifier rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct

from erdgen.errors import Location, MigrationError
from erdgen.model import IdentifierRule, Migration, SkippedStatement

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect

_NAME = r'(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s(),;."`\[\]]+)'
_QUALIFIED = rf"(?:{_NAME}\s*\.\s*)?(?P<name>{_NAME})"
_CREATE = re.compile(
    rf"CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?P<if>IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}",
    re.IGNORECASE,
)
_CREATE_OBJECT = re.compile(  # what "no such table" may be missing: a table or a view
    rf"CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?(?P<kind>TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"{_QUALIFIED}",
    re.IGNORECASE,
)
_DROP = re.compile(rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}", re.IGNORECASE)
_RENAME = re.compile(
    rf"ALTER\s+TABLE\s+{_QUALIFIED}\s+RENAME\s+TO\s+(?P<new>{_NAME})", re.IGNORECASE
)
_NO_SUCH_TABLE = re.compile(r"no such table: (?:\w+\.)?(?P<name>.+)$")
_NO_SUCH_COLUMN = re.compile(r"(?:no such column: |has no column named )(?P<name>\S+)$")
# Refusals that depend on what earlier statements built (a syntax error fails anywhere).
_STATE_DEPENDENT = re.compile(
    r"rejects this statement: (?:no such (?:table|column|index|view|trigger): "
    r"|\S+ \S+ already exists|table \S+ has no column named |duplicate column name: )"
)
_IF_NOT_EXISTS = re.compile(r"\bIF\s+NOT\s+EXISTS\b", re.IGNORECASE)

KEEP_GOING_HINT = (
    "note: a fresh database cannot build this folder; `--keep-going` (option keep_going) "
    "documents what it builds statement by statement, skipping and listing what fails"
)


class _Placed(Struct, frozen=True):
    """A statement of the folder, where it is, and in which migration."""

    migration: Migration
    location: Location
    text: str


def explain(
    error: MigrationError, migrations: Sequence[Migration], dialect: Dialect
) -> MigrationError:
    """``error`` with notes that name the places behind it and, where the refusal depends
    on what earlier statements built, the ``--keep-going`` hint.

    ``error`` is the engine's refusal of one statement of ``migrations``; the result is a
    new ``MigrationError`` with the same message, location and statement."""
    placed = list(_placed(migrations, dialect))
    failing = _failing_position(error.location, placed)
    notes: list[str] = []
    if failing is not None:
        found = _explanations(error.message, placed, failing, dialect.identifiers)
        notes += (f"{cause.location}: note: {cause.text}" for cause in found)
    if notes or _STATE_DEPENDENT.search(error.message):
        notes.append(KEEP_GOING_HINT)
    return MigrationError(error.message, error.location, error.statement, tuple(notes))


def causes(
    skipped: Sequence[SkippedStatement], migrations: Sequence[Migration], dialect: Dialect
) -> list[tuple[str, ...]]:
    """For each statement ``--keep-going`` skipped, the places that explain the refusal
    (``explain``'s notes, each as ``path:line:column: text``)."""
    placed = list(_placed(migrations, dialect)) if skipped else []
    found: list[tuple[str, ...]] = []
    for skip in skipped:
        failing = _failing_position(skip.location, placed)
        reasons = (
            _explanations(skip.reason, placed, failing, dialect.identifiers)
            if failing is not None
            else ()
        )
        found.append(tuple(f"{cause.location}: {cause.text}" for cause in reasons))
    return found


class _Cause(Struct, frozen=True):
    """A place that explains a refusal: the statement's location and what it did, in words."""

    location: Location
    text: str


def _placed(migrations: Sequence[Migration], dialect: Dialect) -> Iterator[_Placed]:
    for migration in migrations:
        try:
            statements = dialect.statements(migration)
        except MigrationError:
            continue  # a file that cannot be split explains nothing
        for statement in statements:
            yield _Placed(migration, statement.location, statement.text)


def _failing_position(location: Location | None, placed: list[_Placed]) -> int | None:
    """The failing statement: the last one of its file that starts at or before the error
    (the engine may place the error at a token inside the statement)."""
    if location is None:
        return None
    found = None
    for position, item in enumerate(placed):
        if item.location.path == location.path and item.location <= location:
            found = position
    return found


def _explanations(
    message: str, placed: list[_Placed], failing: int, names: IdentifierRule
) -> Iterator[_Cause]:
    missing_table = _NO_SUCH_TABLE.search(message)
    if missing_table is not None:
        yield from _created_later(_unquote(missing_table["name"]), placed, failing, names)
        return
    missing_column = _NO_SUCH_COLUMN.search(message)
    column = _unquote(missing_column["name"]) if missing_column else None
    yield from _kept_shapes(placed, failing, names, column)


def _created_later(
    table: str, placed: list[_Placed], failing: int, names: IdentifierRule
) -> Iterator[_Cause]:
    here = placed[failing].migration
    for item in placed[failing + 1 :]:
        match = _CREATE_OBJECT.match(item.text)
        if match and names.same(_unquote(match["name"]), table):
            when = "later in the same migration" if item.migration == here else "later"
            kind = "view" if match["kind"][0] in "Vv" else "table"
            yield _Cause(
                item.location,
                f"{kind} {table} is created only {when}, by migration {item.migration.id}, "
                "which runs after this one",
            )
            return


class _NoOp(Struct, frozen=True):
    """A ``CREATE TABLE IF NOT EXISTS`` that did nothing: the table existed already."""

    table: str
    statement: _Placed
    creator: _Placed


def _kept_shapes(
    placed: list[_Placed], failing: int, names: IdentifierRule, column: str | None
) -> Iterator[_Cause]:
    failing_text = placed[failing].text
    for no_op in _no_ops(placed[:failing], names):
        if not _mentions(failing_text, no_op.table, names):
            continue
        if column is not None and not _mentions(no_op.statement.text, column, names):
            continue
        yield _Cause(
            no_op.statement.location,
            f"this CREATE TABLE IF NOT EXISTS {no_op.table} did nothing: table {no_op.table} "
            f"already existed with another definition, created at {no_op.creator.location}, "
            "and the database kept that one",
        )


def _no_ops(placed: list[_Placed], names: IdentifierRule) -> Iterator[_NoOp]:
    """The IF NOT EXISTS creations that differ from the table that existed then."""
    existing: dict[str, _Placed] = {}
    for item in placed:
        if created := _CREATE.match(item.text):
            table, key = _unquote(created["name"]), names.key(_unquote(created["name"]))
            creator = existing.get(key)
            if creator is None:
                existing[key] = item
            elif created["if"] and _differs(creator.text, item.text):
                yield _NoOp(table, item, creator)
        elif dropped := _DROP.match(item.text):
            existing.pop(names.key(_unquote(dropped["name"])), None)
        elif renamed := _RENAME.match(item.text):
            creator = existing.pop(names.key(_unquote(renamed["name"])), None)
            if creator is not None:
                existing[names.key(_unquote(renamed["new"]))] = creator


def _differs(a: str, b: str) -> bool:
    def shape(sql: str) -> str:
        return " ".join(_IF_NOT_EXISTS.sub("", sql).rstrip().rstrip(";").split())

    return shape(a) != shape(b)


def _mentions(sql: str, name: str, names: IdentifierRule) -> bool:
    words = re.findall(_NAME, sql)
    return any(names.same(_unquote(word), name) for word in words)


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in '"`':
        return name[1:-1].replace(name[0] * 2, name[0])
    if name.startswith("[") and name.endswith("]"):
        return name[1:-1]
    return name


__all__ = ["KEEP_GOING_HINT", "causes", "explain"]
