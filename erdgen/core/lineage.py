"""Where a migration copies data: the ``INSERT INTO ... SELECT ... FROM`` of a rebuild or a
copy, read column by column, so that a column whose values move to another one is not
called destroyed, by the pages, the lint and the export alike.

``trace_copies`` runs once when the history is built (``core.history``): it sets
``Step.copies`` and, on each change that removes columns, ``Change.copied_to``. It reads
the statement text the model keeps (``Change.statement``) with a small scanner of its own,
the same for every dialect. Joined and listed tables are followed (a qualified column by
its table or alias, an unqualified one by the only table that has it); what it does not
understand (a UNION, a sub-select or table function, a parenthesised join) it leaves out,
so a column is only ever called copied when the statement says so plainly. A copy that
may leave rows behind (a ``WHERE``, an inner join, ``DISTINCT``, ``GROUP BY``, ``LIMIT``,
``OR IGNORE``...: ``core.row_loss``) copies its columns only partly
(``ColumnCopy.rows_lost``): the change that then loses the rows left behind (the rebuild
whose own copy it is, the drop after it) carries them in ``Change.rows_lost`` and stays
destructive, so pages, lint and export read one judgement; so does a ``DELETE`` or
``TRUNCATE`` (``core.row_loss.deleted_rows``), which loses the rows it deletes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from msgspec import Struct
from msgspec.structs import replace

from erdgen.core import update_lineage  # UPDATE's copies, names as the model has them
from erdgen.core.row_cover import covers_all
from erdgen.core.row_loss import deleted_rows, row_losses
from erdgen.core.sql_names import NAME
from erdgen.model import Action, Change, ColumnCopy, IdentifierRule, RowLoss, Schema, Step

_INSERT = re.compile(
    rf"^\s*(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+(?:{NAME}\s*\.\s*)?(?P<target>{NAME})"
    rf"\s*(?:\((?P<columns>[^()]*)\))?\s*SELECT\s+(?:DISTINCT\s+|ALL\s+)?(?P<select>.*?)"
    r"\s+FROM\s+(?P<sources>.*?)\s*(?P<rest>(?:\bWHERE\b|\bGROUP\b|\bORDER\b|\bLIMIT\b|;|$).*)$",
    re.IGNORECASE | re.DOTALL,
)
# The FROM clause: tables, each perhaps with an alias, joined (JOIN ... ON / USING) or listed.
_JOIN_OR_COMMA = re.compile(r"\bJOIN\b|,", re.IGNORECASE)
_JOIN_WORDS = re.compile(r"(?:\s+(?:NATURAL|LEFT|RIGHT|FULL|INNER|CROSS|OUTER))+\s*$", re.I)
_CONDITION = re.compile(r"\s(?:ON|USING)\b.*$", re.IGNORECASE | re.DOTALL)
_USING = re.compile(r"\bUSING\s*\([^()]*\)", re.IGNORECASE)
_FROM_ITEM = re.compile(
    rf"(?:{NAME}\s*\.\s*)?(?P<table>{NAME})(?:\s+(?:AS\s+)?(?P<alias>{NAME}))?", re.I
)
_CREATE = re.compile(rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>{NAME})", re.I)
# A rebuild of form B keeps the old rows under another name: ALTER TABLE x RENAME TO x_old.
_RENAMED = re.compile(
    rf"ALTER\s+TABLE\s+(?:{NAME}\s*\.\s*)?{NAME}\s+RENAME\s+TO\s+(?P<name>{NAME})", re.I
)
_NESTED = re.compile(r"\bSELECT\b", re.IGNORECASE)
_IDENTIFIER = re.compile(rf"(?:(?P<qualifier>{NAME})\s*\.\s*)?(?P<column>{NAME})")
_STRING = re.compile(r"'(?:[^']|'')*'")
# Words of an expression that are SQL, not column names.
_KEYWORD = re.compile(
    r"null|as|case|when|then|else|end|and|or|not|is|in|cast|coalesce|ifnull|like|glob|"
    r"current_timestamp|current_date|current_time|true|false|integer|text|real|blob|numeric",
    re.IGNORECASE,
)


def trace_copies(steps: Sequence[Step], start: Schema | None = None) -> list[Step]:
    """The steps with their copies read: ``Step.copies`` and, on every change that removes
    columns, ``Change.copied_to``: the copies of those columns into another column or
    table (for a drop: by statements before it; for a rebuild: by its own INSERT, which
    follows the rebuild's collapsed change)."""
    traced, before = [], start or Schema()
    for step in steps:
        per_change = [
            update_lineage.data_copies(c, step, before, _statement_copies) for c in step.changes
        ]
        copies = tuple(copy for found in per_change for copy in found)
        changes, earlier = [], 0
        for position, (change, found) in enumerate(zip(step.changes, per_change, strict=True)):
            usable = copies if change.action is Action.REBUILD_TABLE else copies[:earlier]
            change = _split_copies_whole(_with_copies(change, usable, step.schema.names),
                                         step.schema.names)  # fmt: skip
            lost = _rows_lost(change, step, step.changes[:position])
            changes.append(replace(change, rows_lost=lost) if lost else change)
            earlier += len(found)
        if copies or changes != list(step.changes):
            step = replace(step, changes=tuple(changes), copies=copies)
        traced.append(step)
        before = step.schema
    return traced


_DELETING = frozenset({"DELETE", "TRUNCATE"})  # verbs as the model keeps them
_LOSING_ROWS = frozenset({Action.REBUILD_TABLE, Action.DROP_TABLE})


def _rows_lost(change: Change, step: Step, earlier: Sequence[Change]) -> tuple[RowLoss, ...]:
    """The rows a change loses because the copy that kept its data left them behind: a
    rebuild's own filtered copies (into the rebuilt table, from its old rows: the table or,
    in form B, the name they were renamed to), the filtered copies of a dropped column or
    table (for a table no copy of which lineage reads: filtered ``INSERT ... SELECT`` from
    it), unless the copies of one source into one target together carried every row (a
    copy without a filter, or complementary filters: ``core.row_cover``)."""
    names = step.schema.names
    if change.action is Action.DATA:  # a DELETE or TRUNCATE loses the rows it deletes,
        if change.verb not in _DELETING:
            return ()
        made = any(  # unless its table is a scratch table of this migration (no old rows)
            c.action is Action.CREATE_TABLE and names.same(c.object, change.table or "")
            for c in earlier
        )
        return () if made else deleted_rows(change.statement, change.verb)
    if not change.copied_to and change.action not in _LOSING_ROWS:
        return ()  # most changes: nothing of theirs was copied, no rows to lose
    found: list[RowLoss] = []
    if change.action is Action.REBUILD_TABLE:
        helpers = _helper_names(step)
        old = [change.object, *(h for h, t in helpers.items() if names.same(t, change.object))]
        own = [
            losses
            for other in step.changes
            if other.action is Action.DATA
            and names.same(other.table or "", change.object)
            and any(reads_from(other.statement, name) for name in old)
            for losses in [row_losses(other.statement)]
            if losses is not None
        ]
        if not covers_all(own, change.before):
            found.extend(loss for losses in own for loss in losses)
    whole = {
        (names.key(c.source), names.key(c.column)) for c in change.copied_to if not c.rows_lost
    }
    for copy in change.copied_to:
        if (names.key(copy.source), names.key(copy.column)) not in whole:
            found.extend(copy.rows_lost)
    if change.action is Action.DROP_TABLE and not change.copied_to:
        targets: dict[str, list[tuple[RowLoss, ...]]] = {}
        for other in earlier:
            losses = row_losses(other.statement) if other.verb == "INSERT" else None
            if losses is not None and reads_from(other.statement, change.object):
                targets.setdefault(names.key(other.table or ""), []).append(losses)
        if not any(covers_all(group, change.before) for group in targets.values()):
            found.extend(loss for group in targets.values() for losses in group for loss in losses)
    return tuple(dict.fromkeys(found))


def _split_copies_whole(change: Change, names: IdentifierRule) -> Change:
    """``copied_to`` with the copies of one column into one target that together carried
    every row (complementary filters, ``core.row_cover``) marked whole: the page then says
    the column was copied, the export ``all_rows``, and no rows are lost."""
    if len(change.copied_to) < 2:
        return change
    groups: dict[tuple[str, str, str, str], list[ColumnCopy]] = {}
    for copy in change.copied_to:
        at = tuple(names.key(n) for n in (copy.source, copy.column, copy.target, copy.into))
        groups.setdefault((at[0], at[1], at[2], at[3]), []).append(copy)
    whole = {
        id(copy)
        for group in groups.values()
        if len(group) > 1 and covers_all([c.rows_lost for c in group], change.before)
        for copy in group
    }
    if not whole:
        return change
    copied = tuple(replace(c, rows_lost=()) if id(c) in whole else c for c in change.copied_to)
    return replace(change, copied_to=copied)


def reads_from(statement: str, table: str) -> bool:
    """Whether a statement names ``table`` right after a ``FROM`` (SQLite folds ASCII
    letters only): a copy of its rows that lineage may not read column by column."""
    reads = re.compile(rf"\bFROM\s+[\"`\[]?{re.escape(table)}\b", re.IGNORECASE | re.ASCII)
    return reads.search(statement) is not None


def _with_copies(change: Change, copies: tuple[ColumnCopy, ...], names: IdentifierRule) -> Change:
    removed = change.removed_columns
    if not removed or not copies:
        return change
    table = change.table or change.object
    moved = tuple(copy for column in removed for copy in copied_into(copies, table, column, names))
    return replace(change, copied_to=moved) if moved else change


def step_copies(step: Step, before: Schema) -> tuple[ColumnCopy, ...]:
    """Every column copy of the step's INSERT ... SELECT statements; a rebuild's helper
    table (``CREATE TABLE x_new``) is reported under the rebuilt table's name."""
    return tuple(
        copy for change in step.changes for copy in _statement_copies(change, step, before)
    )


class _Source(Struct, frozen=True):
    """A table of the FROM clause: its name (a rebuild's helper named as the rebuilt
    table), what the statement calls it, and its columns' keys before the migration."""

    table: str
    called: frozenset[str]  # keys of the table's name and alias
    columns: tuple[str, ...]
    known: frozenset[str]


def _statement_copies(change: Change, step: Step, before: Schema) -> tuple[ColumnCopy, ...]:
    if change.action is not Action.DATA:
        return ()
    match = _INSERT.match(change.statement)
    if match is None or _NESTED.search(match["select"]):
        return ()  # a sub-select's FROM is not the source: say nothing rather than guess
    lost = row_losses(change.statement) or ()  # a filtered copy carries some rows only
    names, helpers = step.schema.names, _helper_names(step)
    sources = _sources(match["sources"], before, helpers, names)
    if not sources:
        return ()
    target = unquote(match["target"])
    target = helpers.get(names.key(target), target)
    shape = step.schema.table(target)
    if match["columns"] is not None:
        into = [unquote(c.strip()) for c in split_top_level(match["columns"])]
    else:
        into = [c.name for c in shape.columns] if shape else []
    expressions = split_top_level(match["select"])
    if [e.strip() for e in expressions] == ["*"] and len(sources) == 1:
        expressions = list(sources[0].columns)
        into = into or expressions
    return tuple(
        replace(copy, rows_lost=lost) if lost else copy
        for expression, column in zip(expressions, into, strict=False)
        for copy in _copies_of(expression, column, target, names, sources)
    )


def _sources(
    clause: str, before: Schema, helpers: dict[str, str], names: IdentifierRule
) -> tuple[_Source, ...]:
    """The tables of a FROM clause; none when it holds what this reader does not follow
    (a sub-select, a table function, a parenthesised join or condition)."""
    clause = _USING.sub(" ", clause)
    if "(" in clause:
        return ()
    found = []
    for item in _JOIN_OR_COMMA.split(clause):
        item = _JOIN_WORDS.sub("", _CONDITION.sub("", f" {item}")).strip()
        named = _FROM_ITEM.fullmatch(item)
        if named is None:
            return ()
        written = unquote(named["table"])
        table = helpers.get(names.key(written), written)  # form B reads the renamed old rows
        shape = before.table(table)
        if shape is None:
            return ()  # a table made in this migration holds no old data to trace
        called = {names.key(written)}
        if named["alias"]:
            called.add(names.key(unquote(named["alias"])))
        columns = tuple(c.name for c in shape.columns)
        known = frozenset(names.key(c) for c in columns)
        found.append(_Source(table, frozenset(called), columns, known))
    return tuple(found)


def _copies_of(
    expression: str, into: str, target: str, names: IdentifierRule, sources: tuple[_Source, ...]
) -> Iterator[ColumnCopy]:
    text = _STRING.sub(" ", expression).strip()
    text = re.sub(r"\s+AS\s+" + NAME + r"\s*$", "", text, flags=re.IGNORECASE)
    plain = _IDENTIFIER.fullmatch(text)
    if plain is not None:
        found = _source_of(plain, names, sources)
        if found is not None:
            yield ColumnCopy(found.table, unquote(plain["column"]), target, into, as_is=True)
            return
    used: dict[tuple[str, str], None] = {}
    for reference in _IDENTIFIER.finditer(text):
        if reference["qualifier"] is None and _KEYWORD.fullmatch(reference["column"]):
            continue
        found = _source_of(reference, names, sources)
        if found is not None:
            used[(found.table, unquote(reference["column"]))] = None
    for table, column in used:
        yield ColumnCopy(table, column, target, into, as_is=False)


def _source_of(
    reference: re.Match[str], names: IdentifierRule, sources: tuple[_Source, ...]
) -> _Source | None:
    """The table a column reference reads: by its qualifier, or the one table of the FROM
    clause with that column (none when several have it: SQLite would refuse it anyway)."""
    column = names.key(unquote(reference["column"]))
    if reference["qualifier"] is not None:
        qualifier = names.key(unquote(reference["qualifier"]))
        named = [s for s in sources if qualifier in s.called and column in s.known]
    else:
        named = [s for s in sources if column in s.known]
    return named[0] if len(named) == 1 else None


def _helper_names(step: Step) -> dict[str, str]:
    """Helper table key -> rebuilt table: the new table of a rebuild's ``CREATE TABLE x_new``
    (form A) or the old rows' name of its ``ALTER TABLE x RENAME TO x_old`` (form B)."""
    helpers = {}
    for change in step.changes:
        if change.action is Action.REBUILD_TABLE:
            helper = _RENAMED.search(change.statement) or _CREATE.search(change.statement)
            if helper is not None:
                helpers[step.schema.names.key(unquote(helper["name"]))] = change.object
    return helpers


def split_top_level(text: str) -> list[str]:
    """``text`` split at the commas outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for position, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == "[":
            quote = "]"
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] + name[-1] in ('""', "``", "[]"):
        inner = name[1:-1]
        return inner.replace('""', '"') if name[0] == '"' else inner
    return name


def copied_into(
    copies: Sequence[ColumnCopy], table: str, column: str, names: IdentifierRule
) -> tuple[ColumnCopy, ...]:
    """The copies that carry ``table.column``'s values somewhere else."""
    return tuple(
        c
        for c in copies
        if names.same(c.source, table)
        and names.same(c.column, column)
        and not (names.same(c.target, table) and names.same(c.into, column))
    )
