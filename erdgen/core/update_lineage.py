"""Copies made by ``UPDATE``: ``UPDATE t SET a = s.b FROM s WHERE ...`` (PostgreSQL, and
SQLite since 3.33) carries ``s.b`` into ``t.a``, and ``UPDATE t SET a = b * 100`` carries
``t.b`` into ``t.a``, so a column dropped after it is not called destroyed.

``data_copies`` is ``core.lineage``'s hook for every data change: it reads a change as
its dialect resolved its names (``Change.lineage_sql``), an ``UPDATE`` here and every
other statement (an ``INSERT ... SELECT``) with lineage's own reader. An ``UPDATE`` is
read with lineage's scanner too: the updated table and the ``FROM`` list are its sources,
each ``column = expression`` a copy of the columns the expression reads. What it does
not follow (a sub-select, ``(a, b) = (...)``, a ``FROM`` lineage does not read) it
leaves out. An ``UPDATE`` writes only the rows its ``WHERE`` (or, with ``FROM``, a
matching row) selects: the other rows' values were not carried, so the copy is partial
(``ColumnCopy.rows_lost``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from msgspec.structs import replace

from erdgen.core import lineage  # lineage imports this module: its names are read late
from erdgen.core.row_loss import mask_sql
from erdgen.core.sql_names import NAME
from erdgen.model import Action, Change, ColumnCopy, IdentifierRule, RowLoss, Schema, Step

_UPDATE = re.compile(
    rf"^\s*UPDATE\s+(?:OR\s+\w+\s+)?(?:ONLY\s+)?(?:{NAME}\s*\.\s*)?(?P<target>{NAME})"
    rf"(?:\s+(?:AS\s+)?(?!SET\b)(?P<alias>{NAME}))?\s+SET\s+(?P<sets>.*?)"
    r"(?:\s+FROM\s+(?P<sources>.*?))?"
    r"\s*(?:\bWHERE\b(?P<where>.*?))?\s*(?:\bRETURNING\b.*)?;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_NESTED = re.compile(r"\bSELECT\b", re.IGNORECASE)
_NOT_NULL = re.compile(
    rf"\(?\s*(?:{NAME}\s*\.\s*)?(?P<column>{NAME})\s*\)?\s+(?:IS\s+NOT\s+NULL|NOTNULL)",
    re.IGNORECASE,
)

InsertCopies = Callable[[Change, Step, Schema], tuple[ColumnCopy, ...]]


def data_copies(
    change: Change, step: Step, before: Schema, insert_copies: InsertCopies
) -> tuple[ColumnCopy, ...]:
    """The column copies of one change: an ``UPDATE``'s here, others' by
    ``insert_copies`` (lineage's ``INSERT ... SELECT`` reader); each read on the
    statement with the names the model has (``Change.lineage_sql``) where the dialect
    gave one."""
    if change.action is not Action.DATA:
        return ()
    readable = replace(change, statement=change.lineage_sql) if change.lineage_sql else change
    if change.verb == "UPDATE":  # verbs are upper case in the model, as SQL keywords
        copies = update_copies(readable, step, before)
    else:
        copies = insert_copies(readable, step, before)
    return tuple(_without_own_nulls(copy, step.schema.names) for copy in copies)


def _without_own_nulls(copy: ColumnCopy, names: IdentifierRule) -> ColumnCopy:
    """A copy filtered by ``WHERE c IS NOT NULL`` on its own column ``c`` leaves only rows
    where ``c`` held nothing: no value of ``c`` is lost (umami's ``share_id`` into
    ``share.slug``). Its other columns' copies keep the loss: those rows are left behind."""
    kept = tuple(
        loss
        for loss in copy.rows_lost
        if not (
            loss.kind == "where"
            and (found := _NOT_NULL.fullmatch(loss.sql)) is not None
            and names.same(lineage.unquote(found["column"]), copy.column)
        )
    )
    return copy if kept == copy.rows_lost else replace(copy, rows_lost=kept)


def update_copies(change: Change, step: Step, before: Schema) -> tuple[ColumnCopy, ...]:
    """The copies an ``UPDATE ... SET`` makes (see the module's docstring)."""
    match = _UPDATE.match(change.statement)
    if match is None or _NESTED.search(match["sets"]) or not _balanced(match["sets"]):
        return ()
    names, helpers = step.schema.names, lineage._helper_names(step)
    written = lineage.unquote(match["target"])
    target = helpers.get(names.key(written), written)
    sources = lineage._sources(match["sources"], before, helpers, names) if match["sources"] else ()
    if match["sources"] and not sources:
        return ()  # a FROM lineage does not follow: say nothing rather than guess
    own = before.table(target)
    if own is not None:  # the updated table's own old values
        called = {names.key(written)}
        if match["alias"]:
            called.add(names.key(lineage.unquote(match["alias"])))
        columns = tuple(c.name for c in own.columns)
        known = frozenset(names.key(c) for c in columns)
        sources = (lineage._Source(target, frozenset(called), columns, known), *sources)
    lost = _losses(match)
    copies = []
    for assignment in lineage.split_top_level(match["sets"]):
        column, equals, expression = assignment.partition("=")
        if not equals or "(" in column:
            continue  # (a, b) = (x, y) is not read
        into = lineage.unquote(column.strip())
        for copy in lineage._copies_of(expression, into, target, names, sources):
            if names.same(copy.source, target) and names.same(copy.column, into):
                continue  # SET n = n + 1: the values stay where they were
            copies.append(replace(copy, rows_lost=lost) if lost else copy)
    return tuple(copies)


def _losses(match: re.Match[str]) -> tuple[RowLoss, ...]:
    """The rows the UPDATE leaves as they were: those its WHERE does not select; with a
    FROM and no WHERE, those without a row to join."""
    where = " ".join((match["where"] or "").split())
    if where:
        return (RowLoss("where", where),)
    if match["sources"]:
        return (RowLoss("join", "FROM " + " ".join(match["sources"].split())),)
    return ()


def _balanced(text: str) -> bool:
    """No FROM or WHERE inside parentheses cut the SET list (``substring(x FROM 2)``); a
    parenthesis in a string, a quoted name or a comment does not count (``a || ')'``)."""
    depth = 0
    for char in mask_sql(text)[0]:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False
    return depth == 0
