"""Renames as SQLite performs them: every reference follows the renamed table or column.

Since SQLite 3.26 ``ALTER TABLE ... RENAME`` rewrites foreign keys of other tables,
indexes, views and triggers. The model does the same, rewriting SQL text token by
token (names in string literals are left alone, as SQLite leaves them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from sqlglot import TokenType
from sqlglot.errors import TokenError

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite.names import fold, same_name
from erdgen.dialects.sqlite.tokens import tokenize, unquote
from erdgen.model import (
    Check,
    Column,
    Index,
    IndexColumn,
    Table,
    Trigger,
    View,
)

_LITERALS = frozenset({TokenType.STRING, TokenType.NUMBER, TokenType.HEX_STRING})
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


# How a renamed name is written where it replaces ``old`` (SQLite's alter.c, renameEditSql):
# "always" quoted (what SQLite does on RENAME TO, and on RENAME COLUMN when the new name
# was quoted in the statement); "as-before": quoted where the old name was quoted, else
# bare (RENAME COLUMN with a bare new name); "readable": like "as-before", but quoted
# where the new name needs it (erdgen's text for a renamed table's own CREATE statements).
Quoting = Literal["always", "as-before", "readable"]


def rewrite_identifier(sql: str, old: str, new: str, quoting: Quoting = "readable") -> str:
    """Replace every identifier token ``old`` (any case, any quoting) with ``new``."""
    if fold(old) not in fold(sql):
        return sql
    try:
        tokens = tokenize(sql)
    except TokenError:
        return sql
    pieces: list[str] = []
    cursor = 0
    for token in tokens:
        if token.token_type in _LITERALS:
            continue
        source = sql[token.start : token.end + 1]
        if fold(unquote(source)) != fold(old):
            continue
        pieces.append(sql[cursor : token.start])
        pieces.append(_written(source, new, quoting))
        cursor = token.end + 1
    pieces.append(sql[cursor:])
    return "".join(pieces)


def mentions(sql: str, name: str) -> bool:
    """Whether ``name`` occurs in ``sql`` as an identifier (not inside a string literal)."""
    return rewrite_identifier(sql, name, "\x00") != sql


def _written(original: str, name: str, quoting: Quoting) -> str:
    quoted = quoting == "always" or original[0] in "\"`['"
    if quoted or (quoting == "readable" and not _PLAIN_NAME.match(name)):
        return '"' + name.replace('"', '""') + '"'
    return name


# --- tables ------------------------------------------------------------------------------


def rename_table(
    work: Workspace, old: str, new: str, *, legacy: bool = False, foreign_keys: bool = False
) -> None:
    """``ALTER TABLE old RENAME TO new``: the table and every reference to it.

    Only the objects that name ``old`` are rewritten; finding them is one cheap pass
    over the foreign keys and the texts (thousands of renames at hundreds of tables).
    With ``PRAGMA legacy_alter_table=ON`` (``legacy``) SQLite renames only the table, its
    indexes and the ON clause of its triggers; foreign keys follow only with
    ``PRAGMA foreign_keys=ON``, and views and trigger bodies keep the old name
    (lang_altertable.html, "ALTER TABLE RENAME" and its compatibility note).
    """
    lowered = fold(old)
    table = work.tables[lowered]
    if legacy:
        _rename_table_legacy(work, table, new, foreign_keys)
        return
    work.rename_table(table.name, _renamed_table(table, old, new))
    for key in work.referring(lowered):
        work.put_table(_retargeted(work.tables[key], old, new))
    for view in [v for v in work.views.values() if lowered in fold(v.sql)]:
        work.put_view(_with_sql(view, rewrite_identifier(view.sql, old, new, "always")))
    triggers = [
        t for t in work.triggers.values() if lowered in fold(t.sql) or same_name(t.table, old)
    ]
    for trigger in triggers:
        work.put_trigger(_trigger_after_table_rename(trigger, old, new))


def _rename_table_legacy(work: Workspace, table: Table, new: str, foreign_keys: bool) -> None:
    old = table.name
    indexes = tuple(_legacy_index(index, old, new) for index in table.indexes)
    sql = _rewrite_first_after(table.sql, "TABLE", old, new)
    shadows = tuple(new + s[len(old) :] for s in table.shadow_tables)
    renamed = replace(table, name=new, sql=sql, indexes=indexes, shadow_tables=shadows)
    work.rename_table(old, renamed)
    if foreign_keys:
        for key in work.referring(old):
            work.put_table(_retargeted(work.tables[key], old, new))
    for trigger in [t for t in work.triggers.values() if same_name(t.table, old)]:
        sql = _rewrite_first_after(trigger.sql, "ON", old, new)
        work.put_trigger(replace(trigger, table=new, sql=sql))


def _legacy_index(index: Index, old: str, new: str) -> Index:
    renamed = _index_of_renamed_table(replace(index, sql=None), old, new)
    sql = _rewrite_first_after(index.sql, "ON", old, new) if index.sql else None
    return replace(renamed, sql=sql)


def _rewrite_first_after(sql: str, keyword: str, old: str, new: str) -> str:
    """``sql`` with the first name ``old`` after the first bare ``keyword`` replaced."""
    try:
        tokens = tokenize(sql)
    except TokenError:
        return sql
    seen = False
    for token in tokens:
        source = sql[token.start : token.end + 1]
        if not seen:
            seen = fold(source) == fold(keyword)
        elif token.token_type not in _LITERALS and fold(unquote(source)) == fold(old):
            quoted = '"' + new.replace('"', '""') + '"'  # SQLite quotes what it renames
            return sql[: token.start] + quoted + sql[token.end + 1 :]
    return sql


T = TypeVar("T", View, Trigger)


def _with_sql(item: T, sql: str) -> T:
    """The item with its SQL text, the same object when the text did not change (renames
    touch few items, and snapshots share the untouched ones)."""
    return item if sql is item.sql else replace(item, sql=sql)


def _trigger_after_table_rename(trigger: Trigger, old: str, new: str) -> Trigger:
    table = new if same_name(trigger.table, old) else trigger.table
    sql = rewrite_identifier(trigger.sql, old, new, "always")
    if table is trigger.table and sql is trigger.sql:
        return trigger
    return replace(trigger, table=table, sql=sql)


def _renamed_table(table: Table, old: str, new: str) -> Table:
    return replace(
        table,
        name=new,
        sql=rewrite_identifier(table.sql, old, new),
        indexes=tuple(_index_of_renamed_table(index, table.name, new) for index in table.indexes),
        shadow_tables=tuple(new + s[len(table.name) :] for s in table.shadow_tables),
    )


def _index_of_renamed_table(index: Index, old: str, new: str) -> Index:
    prefix = f"sqlite_autoindex_{old}_"
    name = index.name
    if index.origin != "c" and name.startswith(prefix):
        name = f"sqlite_autoindex_{new}_{name[len(prefix) :]}"
    sql = rewrite_identifier(index.sql, old, new) if index.sql else None
    return replace(index, name=name, table=new, sql=sql)


def _retargeted(table: Table, old: str, new: str) -> Table:
    """The table with its foreign keys to ``old`` pointing at ``new``."""
    keys = tuple(
        replace(key, ref_table=new) if same_name(key.ref_table, old) else key
        for key in table.foreign_keys
    )
    return replace(table, foreign_keys=keys)


# --- columns -----------------------------------------------------------------------------


def rename_column(
    work: Workspace, table_name: str, old: str, new: str, *, quoted: bool = False
) -> None:
    """``ALTER TABLE table RENAME old TO new``: the column and every reference to it;
    ``quoted``: the new name was quoted in the statement, so SQLite quotes it everywhere."""
    quoting: Quoting = "always" if quoted else "as-before"
    lowered = fold(table_name)
    work.put_table(_with_renamed_column(work.tables[lowered], old, new, quoting))
    for key in work.referring(lowered):
        work.put_table(_with_renamed_ref_column(work.tables[key], table_name, old, new))
    column = fold(old)
    for view in [v for v in work.views.values() if column in fold(v.sql)]:
        sql = rewrite_column_reference(view.sql, table_name, old, new, None, quoting)
        work.put_view(_with_sql(view, sql))
    for trigger in [t for t in work.triggers.values() if column in fold(t.sql)]:
        sql = rewrite_column_reference(trigger.sql, table_name, old, new, trigger.table, quoting)
        trigger = _with_sql(trigger, sql)
        if same_name(trigger.table, table_name):
            trigger = _with_renamed_event(trigger, old, new)
        work.put_trigger(trigger)


def _with_renamed_event(trigger: Trigger, old: str, new: str) -> Trigger:
    """``UPDATE OF old`` names a column of the trigger's table: it follows the rename."""
    head, of, names = trigger.event.partition(" OF ")
    if not of:
        return trigger
    renamed = [new if same_name(name, old) else name for name in names.split(", ")]
    event = f"{head}{of}{', '.join(renamed)}"
    return trigger if event == trigger.event else replace(trigger, event=event)


def rewrite_column_reference(
    sql: str,
    table: str,
    old: str,
    new: str,
    trigger_table: str | None,
    quoting: Quoting = "readable",
) -> str:
    """Rename references to ``table.old`` in a view's or trigger's SQL.

    SQLite resolves each name; this follows the cases migrations use: ``NEW.x`` /
    ``OLD.x`` belong to the trigger's table, ``t.x`` and ``alias.x`` to ``t``; the columns
    of ``UPDATE OF``, of ``INSERT INTO t (...)`` and those ``UPDATE t SET`` assigns belong
    to their table; any other unqualified ``x`` belongs to the tables its own query block
    reads (``FROM`` / ``JOIN`` / ``UPDATE`` / ``DELETE FROM``; a subquery, each part of a
    compound select and each statement of a trigger's body is a block of its own).
    """
    if not _may_reference(sql, table, old, trigger_table):
        return sql
    try:
        tokens = tokenize(sql)
    except TokenError:
        return sql
    sources = [sql[t.start : t.end + 1] for t in tokens]
    names = [fold(unquote(source)) for source in sources]
    renamed, column = fold(table), fold(old)
    owners = {renamed} | _aliases(names, renamed)
    if trigger_table is not None and same_name(trigger_table, table):
        owners |= {"new", "old"}
    blocks, reads = _query_blocks(sources, names, trigger_table is not None)
    owned = _owned_columns(sources, names, trigger_table)
    pieces: list[str] = []
    cursor = 0
    for index, token in enumerate(tokens):
        if token.token_type in _LITERALS or names[index] != column:
            continue
        if index >= 2 and sources[index - 1] == ".":
            ours = names[index - 2] in owners
        elif index in owned:
            ours = owned[index] == renamed
        else:
            ours = renamed in reads.get(blocks[index], ())
        if ours:
            pieces.append(sql[cursor : token.start])
            pieces.append(_written(sources[index], new, quoting))
            cursor = token.end + 1
    pieces.append(sql[cursor:])
    return "".join(pieces)


_HEADER = -1  # a trigger's header up to WHEN or BEGIN: its names are the trigger table's
_CLAUSES = frozenset(
    {"select", "from", "join", "where", "group", "having", "order", "limit", "window", "set",
     "values", "on", "using", "returning"}
)  # fmt: skip
_COMPOUND = frozenset({"union", "intersect", "except"})


def _query_blocks(
    sources: list[str], names: list[str], is_trigger: bool
) -> tuple[list[int], dict[int, set[str]]]:
    """The query block of each token, and the tables (lower-case) each block reads."""
    words = [fold(source) for source in sources]  # bare keywords; a quoted name differs
    blocks: list[int] = []
    reads: dict[int, set[str]] = {}
    clause: dict[int, str] = {}
    outer: list[int] = []  # per open parenthesis: the block around it
    current, count = (_HEADER if is_trigger else 0), 0
    for index, word in enumerate(words):
        if current == _HEADER:
            blocks.append(current)
            if word in ("when", "begin"):  # WHEN's subqueries read tables of their own
                current = count = count + 1
            continue
        if word == "(":
            outer.append(current)
            if index + 1 < len(words) and words[index + 1] in ("select", "with"):
                current = count = count + 1
        elif word == ")" and outer:
            current = outer.pop()
        elif word == ";" or word in _COMPOUND or (is_trigger and word == "begin" and not outer):
            current = count = count + 1
        blocks.append(current)
        if word in _CLAUSES:
            clause[current] = word
        elif _reads_from(words, index, clause.get(current, "")):
            qualified = index + 2 < len(words) and words[index + 1] == "."
            reads.setdefault(current, set()).add(names[index + 2] if qualified else names[index])
    return blocks, reads


def _reads_from(words: list[str], index: int, clause: str) -> bool:
    """Whether the name at ``index`` is a table a query reads: after FROM, JOIN or a comma
    in a FROM list, after UPDATE [OR x], or after DELETE FROM."""
    before = words[index - 1] if index else ""
    if before in ("from", "join") or (before == "," and clause == "from"):
        return words[index] not in ("(", "select")
    if before == "update" or (
        before and index >= 3 and words[index - 3] == "update" and words[index - 2] == "or"
    ):
        return words[index] not in ("of", "or")
    return False


def _owned_columns(
    sources: list[str], names: list[str], trigger_table: str | None
) -> dict[int, str]:
    """Column names whose table the grammar fixes: token index -> table (lower-case)."""
    words = [fold(source) for source in sources]  # bare keywords; a quoted name differs
    owned: dict[int, str] = {}
    for index, word in enumerate(words):
        if word == "of" and index > 0 and words[index - 1] == "update" and trigger_table:
            owned.update(dict.fromkeys(_names_until(words, index + 1, "on"), fold(trigger_table)))
        elif word == "into" and index + 2 < len(words):
            target = index + 3 if words[index + 2] == "." else index + 1
            if target + 1 < len(words) and words[target + 1] == "(":
                columns = _names_until(words, target + 2, ")")
                owned.update(dict.fromkeys(columns, names[target]))
        elif word == "set" and (updated := _update_target(words, index)) is not None:
            owned.update(dict.fromkeys(_assigned(words, index + 1), names[updated]))
    return owned


def _names_until(words: list[str], start: int, stop: str) -> list[int]:
    """Indexes of the names in a comma-separated list from ``start`` up to ``stop``."""
    found = []
    for index in range(start, len(words)):
        if words[index] == stop:
            break
        if words[index] != ",":
            found.append(index)
    return found


def _update_target(words: list[str], set_index: int) -> int | None:
    """The index of the table name in ``UPDATE [OR x] [schema.]table SET``, if that is how
    the statement before ``set_index`` reads."""
    target = set_index - 1
    start = target - 2 if target >= 2 and words[target - 1] == "." else target
    before = words[start - 1] if start >= 1 else ""
    after_or = words[start - 3] if start >= 3 and words[start - 2] == "or" else ""
    return target if "update" in (before, after_or) else None


def _assigned(words: list[str], start: int) -> list[int]:
    """The columns ``SET a = ..., b = ...`` assigns: a name at depth 0 followed by ``=``."""
    assigned, depth, expecting = [], 0, True
    for index in range(start, len(words) - 1):
        word = words[index]
        if word in ("(", ")"):
            depth += 1 if word == "(" else -1
        elif depth == 0 and word in ("where", "from", "returning", ";", "end"):
            break
        elif depth == 0 and word == ",":
            expecting = True
            continue
        if expecting and depth == 0 and words[index + 1] == "=":
            assigned.append(index)
        expecting = False
    return assigned


def _may_reference(sql: str, table: str, column: str, trigger_table: str | None) -> bool:
    """A cheap test before tokenizing: a reference needs the column's name in the text and,
    outside a trigger of the table (``NEW.x``), the table's name too (plain, or as a
    qualifier, or to give an alias). A name with quote characters in it may be written
    with doubled quotes, so it is not looked for as written."""
    lowered = fold(sql)
    if fold(column) not in lowered:
        return False
    if trigger_table is not None and same_name(trigger_table, table):
        return True
    return fold(table) in lowered or any(quote in table for quote in "\"'`")


def _aliases(names: list[str], table: str) -> set[str]:
    """Aliases given to ``table`` in FROM / JOIN clauses: ``users u``, ``users AS u``."""
    aliases: set[str] = set()
    for index, name in enumerate(names[:-1]):
        if name != table:
            continue
        following = names[index + 1]
        if following == "as" and index + 2 < len(names):
            following = names[index + 2]
        if following.isidentifier() and following not in _CLAUSE_WORDS:
            aliases.add(following)
    return aliases


_CLAUSE_WORDS = frozenset(
    {"where", "join", "left", "inner", "cross", "on", "using", "group", "order", "limit",
     "set", "values", "select", "union", "natural", "outer", "having", "window", "as",
     "begin", "end", "for", "when", "default"}
)  # fmt: skip


def _with_renamed_column(table: Table, old: str, new: str, quoting: Quoting) -> Table:
    def rename(name: str) -> str:
        return new if same_name(name, old) else name

    def text(sql: str | None) -> str | None:
        return rewrite_identifier(sql, old, new, quoting) if sql is not None else None

    columns = tuple(_renamed_column(c, old, new, quoting) for c in table.columns)
    keys = tuple(
        replace(k, columns=tuple(rename(c) for c in k.columns)) for k in table.foreign_keys
    )
    checks = tuple(
        Check(str(text(c.expression)), c.name, c.column and rename(c.column)) for c in table.checks
    )
    indexes = tuple(
        replace(
            index,
            columns=tuple(_renamed_index_column(c, old, new, quoting) for c in index.columns),
            where=text(index.where),
            sql=text(index.sql),
        )
        for index in table.indexes
    )
    return replace(
        table,
        columns=columns,
        foreign_keys=keys,
        checks=checks,
        indexes=indexes,
        sql=rewrite_identifier(table.sql, old, new, quoting),
    )


def _renamed_column(column: Column, old: str, new: str, quoting: Quoting) -> Column:
    generated = column.generated and rewrite_identifier(column.generated, old, new, quoting)
    name = new if same_name(column.name, old) else column.name
    return replace(column, name=name, generated=generated)


def _renamed_index_column(column: IndexColumn, old: str, new: str, quoting: Quoting) -> IndexColumn:
    if column.name is not None and same_name(column.name, old):
        return replace(column, name=new)
    if column.expression is not None:
        expression = rewrite_identifier(column.expression, old, new, quoting)
        return replace(column, expression=expression)
    return column


def _with_renamed_ref_column(table: Table, referenced: str, old: str, new: str) -> Table:
    """The table with its foreign keys to ``referenced.old`` naming ``new`` instead."""
    keys = tuple(
        replace(key, ref_columns=tuple(new if same_name(c, old) else c for c in key.ref_columns))
        if same_name(key.ref_table, referenced)
        else key
        for key in table.foreign_keys
    )
    return replace(table, foreign_keys=keys)


_TABLE_CONSTRAINTS = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})


@dataclass(frozen=True, slots=True)
class _Element:
    """One element of a CREATE TABLE body: a column definition or a table constraint."""

    first_word: str  # unquoted
    start: int  # offset just after the "(" or "," before it
    end: int  # offset of the "," or ")" after it
    quoted: bool
    references: bool  # has a REFERENCES clause
    text_end: int  # offset just after its last token (comments after it excluded)

    @property
    def is_column(self) -> bool:
        keyword = self.first_word.upper().split()[0] if self.first_word else ""
        return self.quoted or keyword not in _TABLE_CONSTRAINTS


# The lexical pieces of a CREATE TABLE text, comments included so they can be skipped.
_PIECES = re.compile(
    r"(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))"
    r"|'(?:[^']|'')*'?"
    r'|"(?:[^"]|"")*"?'
    r"|`(?:[^`]|``)*`?"
    r"|\[[^\]]*\]?"
    r"|[(),]"
    r"|[^\s(),'\"`\[\-/]+"
    r"|[-/]",
    re.DOTALL,
)


def _body_elements(sql: str) -> list[_Element]:
    """Column definitions and table constraints of a CREATE TABLE text, by position.

    A regular expression is enough here (the text is SQL that SQLite accepted) and is
    much cheaper than tokenizing the growing text on every ADD COLUMN.
    """
    elements: list[_Element] = []
    depth, start, first, quoted, references, text_end = 0, -1, "", False, False, -1
    for match in _PIECES.finditer(sql):
        if match.lastgroup == "comment":
            continue
        text = match[0]
        if depth == 1 and text in (",", ")"):
            elements.append(_Element(first, start, match.start(), quoted, references, text_end))
            if text == ")":
                break
            start, first, quoted, references = match.end(), "", False, False
            continue
        if depth == 1 and not first:
            first, quoted = unquote(text), text[0] in '"`['
        references = references or (depth >= 1 and text.upper() == "REFERENCES")
        depth += {"(": 1, ")": -1}.get(text, 0)
        text_end = match.end()
        if depth == 1 and start < 0:
            start = match.end()
    return elements


def without_column_sql(sql: str, column: str) -> str:
    """The CREATE TABLE text without one column's definition, as DROP COLUMN leaves it."""
    elements = _body_elements(sql)
    for position, element in enumerate(elements):
        if not element.is_column or fold(element.first_word) != fold(column):
            continue
        if position > 0:  # drop from the comma before it
            return sql[: elements[position - 1].end] + sql[element.end :]
        if len(elements) > 1:
            return sql[: element.start] + sql[elements[1].start :].lstrip()
    return sql


def with_column_sql(sql: str, definition: str) -> tuple[str, int]:
    """The CREATE TABLE text with a column added, as ADD COLUMN leaves it (SQLite splices
    the definition in after the last column, before the table constraints), and how many
    column definitions carried a REFERENCES clause before it: the added column's foreign
    key follows theirs in SQLite's list, ahead of FOREIGN KEY table constraints."""
    elements = _SPLICED.get(sql) or tuple(_body_elements(sql))
    columns = [position for position, e in enumerate(elements) if e.is_column]
    if not columns:
        return sql, 0
    end = elements[columns[-1]].text_end
    references = sum(1 for position in columns if elements[position].references)
    result = f"{sql[:end]}, {definition}{sql[end:]}"
    _remember_splice(result, elements, columns[-1], definition)
    return result, references


# The body elements of the texts with_column_sql wrote, worked out from the elements it
# started from: a table's next ADD COLUMN (most follow one) need not scan its text again.
_SPLICED: dict[str, tuple[_Element, ...]] = {}
_SPLICES_KEPT = 1024


def _remember_splice(
    result: str, elements: tuple[_Element, ...], after: int, definition: str
) -> None:
    """Elements of ``result``: the definition went in after ``elements[after]`` with ", "."""
    added = _body_elements(f"({definition})")  # offsets one more than in the definition
    if len(added) != 1:
        return
    last = elements[after]
    comma, shift = last.text_end, 2 + len(definition)
    column = replace(
        added[0], start=comma + 1, end=last.end + shift, text_end=added[0].text_end + comma + 1
    )
    moved = (
        replace(e, start=e.start + shift, end=e.end + shift, text_end=e.text_end + shift)
        for e in elements[after + 1 :]
    )
    if len(_SPLICED) >= _SPLICES_KEPT:
        _SPLICED.pop(next(iter(_SPLICED)), None)
    _SPLICED[result] = (*elements[:after], replace(last, end=comma), column, *moved)
