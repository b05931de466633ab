"""Where a migration copies data: the ``INSERT INTO ... SELECT ... FROM`` of a rebuild or a
copy, read column by column, so that a column whose values move to another one is not
called destroyed, by the pages, the lint and the export alike.

``trace_copies`` runs once when the history is built (``core.history``): it sets
``Step.copies`` and, on each change that removes columns, ``Change.copied_to``. It reads
the statement text the model keeps (``Change.statement``) with a small scanner of its own,
the same for every dialect. What it does not understand (a join, a UNION, a sub-select as
the source) it leaves out, so a column is only ever called copied when the statement says
so plainly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from erdgen.model import Action, Change, ColumnCopy, IdentifierRule, Schema, Step

_NAME = r'(?:"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][\w$]*)'
_INSERT = re.compile(
    rf"^\s*(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+(?:{_NAME}\s*\.\s*)?(?P<target>{_NAME})"
    rf"\s*(?:\((?P<columns>[^()]*)\))?\s*SELECT\s+(?:DISTINCT\s+|ALL\s+)?(?P<select>.*?)"
    rf"\s+FROM\s+(?:{_NAME}\s*\.\s*)?(?P<source>{_NAME})\s*(?:(?:AS\s+)?{_NAME}\s*)?"
    r"(?P<rest>(?:WHERE|GROUP|ORDER|LIMIT|;|$).*)$",
    re.IGNORECASE | re.DOTALL,
)
_CREATE = re.compile(rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>{_NAME})", re.I)
# A rebuild of form B keeps the old rows under another name: ALTER TABLE x RENAME TO x_old.
_RENAMED = re.compile(
    rf"ALTER\s+TABLE\s+(?:{_NAME}\s*\.\s*)?{_NAME}\s+RENAME\s+TO\s+(?P<name>{_NAME})", re.I
)
_NESTED = re.compile(r"\bSELECT\b", re.IGNORECASE)
_IDENTIFIER = re.compile(rf"(?:{_NAME}\s*\.\s*)?({_NAME})")
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
        per_change = [_statement_copies(change, step, before) for change in step.changes]
        copies = tuple(copy for found in per_change for copy in found)
        if copies:
            changes, earlier = [], 0
            for change, found in zip(step.changes, per_change, strict=True):
                usable = copies if change.action is Action.REBUILD_TABLE else copies[:earlier]
                changes.append(_with_copies(change, usable, step.schema.names))
                earlier += len(found)
            step = replace(step, changes=tuple(changes), copies=copies)
        traced.append(step)
        before = step.schema
    return traced


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


def _statement_copies(change: Change, step: Step, before: Schema) -> tuple[ColumnCopy, ...]:
    if change.action is not Action.DATA:
        return ()
    match = _INSERT.match(change.statement)
    if match is None or _NESTED.search(match["select"]):
        return ()  # a sub-select's FROM is not the source: say nothing rather than guess
    names, helpers = step.schema.names, _helper_names(step)
    source, target = unquote(match["source"]), unquote(match["target"])
    source = helpers.get(names.key(source), source)  # form B reads the renamed old rows
    target = helpers.get(names.key(target), target)
    shape = step.schema.table(target)
    source_shape = before.table(source)
    if source_shape is None:
        return ()
    if match["columns"] is not None:
        into = [unquote(c.strip()) for c in split_top_level(match["columns"])]
    else:
        into = [c.name for c in shape.columns] if shape else []
    expressions = split_top_level(match["select"])
    if [e.strip() for e in expressions] == ["*"]:
        expressions = [c.name for c in source_shape.columns]
        into = into or expressions
    known = {names.key(c.name) for c in source_shape.columns}
    return tuple(
        copy
        for expression, column in zip(expressions, into, strict=False)
        for copy in _copies_of(expression, column, source, target, names, known)
    )


def _copies_of(
    expression: str, into: str, source: str, target: str, names: IdentifierRule, known: set[str]
) -> Iterator[ColumnCopy]:
    text = _STRING.sub(" ", expression).strip()
    text = re.sub(r"\s+AS\s+" + _NAME + r"\s*$", "", text, flags=re.IGNORECASE)
    plain = _IDENTIFIER.fullmatch(text)
    if plain is not None and names.key(unquote(plain.group(1))) in known:
        yield ColumnCopy(source, unquote(plain.group(1)), target, into, as_is=True)
        return
    used = dict.fromkeys(
        unquote(m.group(1))
        for m in _IDENTIFIER.finditer(text)
        if not _KEYWORD.fullmatch(m.group(1))
    )
    for column in used:
        if names.key(column) in known:
            yield ColumnCopy(source, column, target, into, as_is=False)


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
