"""Where a migration copies data: the ``INSERT INTO ... SELECT ... FROM`` of a rebuild or a
copy, read column by column, so that a column whose values move to another one is not
called destroyed.

Reads the statement text the model keeps (``Change.statement``) with a small scanner of
its own: renderers load no SQL parser. What it does not understand (a join, a UNION, a
sub-select as the source) it leaves out, so a column is only ever called copied when the
statement says so plainly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from erdgen.model import Action, IdentifierRule, Schema, Step

_NAME = r'(?:"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][\w$]*)'
_INSERT = re.compile(
    rf"^\s*(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+(?:{_NAME}\s*\.\s*)?(?P<target>{_NAME})"
    rf"\s*(?:\((?P<columns>[^()]*)\))?\s*SELECT\s+(?:DISTINCT\s+|ALL\s+)?(?P<select>.*?)"
    rf"\s+FROM\s+(?:{_NAME}\s*\.\s*)?(?P<source>{_NAME})\s*(?:(?:AS\s+)?{_NAME}\s*)?"
    r"(?P<rest>(?:WHERE|GROUP|ORDER|LIMIT|;|$).*)$",
    re.IGNORECASE | re.DOTALL,
)
_CREATE = re.compile(rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>{_NAME})", re.I)
_NESTED = re.compile(r"\bSELECT\b", re.IGNORECASE)
_IDENTIFIER = re.compile(rf"(?:{_NAME}\s*\.\s*)?({_NAME})")
_STRING = re.compile(r"'(?:[^']|'')*'")
# Words of an expression that are SQL, not column names.
_KEYWORD = re.compile(
    r"null|as|case|when|then|else|end|and|or|not|is|in|cast|coalesce|ifnull|like|glob|"
    r"current_timestamp|current_date|current_time|true|false|integer|text|real|blob|numeric",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Copy:
    """Values of ``source.column`` written into ``target.into`` by one statement."""

    source: str
    column: str
    target: str
    into: str
    as_is: bool  # the plain column, not an expression of it


def step_copies(step: Step, before: Schema) -> tuple[Copy, ...]:
    """Every column copy of the step's INSERT ... SELECT statements; a rebuild's helper
    table (``CREATE TABLE x_new``) is reported under the rebuilt table's name."""
    helpers = _helper_names(step)
    names = step.schema.names
    copies: list[Copy] = []
    for change in step.changes:
        if change.action is not Action.DATA:
            continue
        match = _INSERT.match(change.statement)
        if match is None or _NESTED.search(match["select"]):
            continue  # a sub-select's FROM is not the source: say nothing rather than guess
        source, target = unquote(match["source"]), unquote(match["target"])
        target = helpers.get(names.key(target), target)
        shape = step.schema.table(target)
        source_shape = before.table(source)
        if source_shape is None:
            continue
        if match["columns"] is not None:
            into = [unquote(c.strip()) for c in split_top_level(match["columns"])]
        else:
            into = [c.name for c in shape.columns] if shape else []
        expressions = split_top_level(match["select"])
        if [e.strip() for e in expressions] == ["*"]:
            expressions = [c.name for c in source_shape.columns]
            into = into or expressions
        known = {names.key(c.name) for c in source_shape.columns}
        for expression, column in zip(expressions, into, strict=False):
            copies.extend(_copies_of(expression, column, source, target, names, known))
    return tuple(copies)


def _copies_of(
    expression: str, into: str, source: str, target: str, names: IdentifierRule, known: set[str]
) -> Iterator[Copy]:
    text = _STRING.sub(" ", expression).strip()
    text = re.sub(r"\s+AS\s+" + _NAME + r"\s*$", "", text, flags=re.IGNORECASE)
    plain = _IDENTIFIER.fullmatch(text)
    if plain is not None and names.key(unquote(plain.group(1))) in known:
        yield Copy(source, unquote(plain.group(1)), target, into, as_is=True)
        return
    used = dict.fromkeys(
        unquote(m.group(1))
        for m in _IDENTIFIER.finditer(text)
        if not _KEYWORD.fullmatch(m.group(1))
    )
    for column in used:
        if names.key(column) in known:
            yield Copy(source, column, target, into, as_is=False)


def _helper_names(step: Step) -> dict[str, str]:
    """Helper table key -> rebuilt table, from the rebuilds' CREATE TABLE statements."""
    helpers = {}
    for change in step.changes:
        if change.action is Action.REBUILD_TABLE:
            created = _CREATE.search(change.statement)
            if created is not None:
                helpers[step.schema.names.key(unquote(created["name"]))] = change.object
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
    copies: Sequence[Copy], table: str, column: str, names: IdentifierRule
) -> tuple[Copy, ...]:
    """The copies that carry ``table.column``'s values somewhere else."""
    return tuple(
        c
        for c in copies
        if names.same(c.source, table)
        and names.same(c.column, column)
        and not (names.same(c.target, table) and names.same(c.into, column))
    )
