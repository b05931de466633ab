"""Renames as SQLite performs them: every reference follows the renamed table or column.

Since SQLite 3.26 ``ALTER TABLE ... RENAME`` rewrites foreign keys of other tables,
indexes, views and triggers. The model does the same, rewriting SQL text token by
token (names in string literals are left alone, as SQLite leaves them).
"""

from __future__ import annotations

import re
from typing import Literal, TypeVar

from msgspec.structs import replace
from sqlglot import TokenType
from sqlglot.errors import TokenError

from erdgen.core.workspace import Workspace
from erdgen.dialects.sqlite.lexer import unquote
from erdgen.dialects.sqlite.names import fold, same_name
from erdgen.dialects.sqlite.tokens import tokenize
from erdgen.model import (
    Index,
    Table,
    Trigger,
    View,
)

LITERALS = frozenset({TokenType.STRING, TokenType.NUMBER, TokenType.HEX_STRING})
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


# How a renamed name is written where it replaces ``old`` (SQLite's alter.c, renameEditSql):
# "always" quoted (what SQLite does on RENAME TO, and on RENAME COLUMN when the new name
# was quoted in the statement); "as-before": quoted where the old name was quoted, else
# bare (RENAME COLUMN with a bare new name); "readable": like "as-before", but quoted
# where the new name needs it (erdgen's text for a renamed table's own CREATE statements).
Quoting = Literal["always", "as-before", "readable"]


def rewrite_identifier(sql: str, old: str, new: str, quoting: Quoting = "readable") -> str:
    """Replace every identifier token ``old`` (any case, any quoting) with ``new``."""
    target = fold(old)
    if target not in fold(sql):
        return sql
    try:
        tokens = tokenize(sql)
    except TokenError:
        return sql
    pieces: list[str] = []
    cursor = 0
    for token in tokens:
        if token.token_type in LITERALS:
            continue
        source = sql[token.start : token.end + 1]
        if fold(unquote(source)) != target:
            continue
        pieces.append(sql[cursor : token.start])
        pieces.append(written(source, new, quoting))
        cursor = token.end + 1
    pieces.append(sql[cursor:])
    return "".join(pieces)


def mentions(sql: str, name: str) -> bool:
    """Whether ``name`` occurs in ``sql`` as an identifier (not inside a string literal)."""
    return rewrite_identifier(sql, name, "\x00") != sql


def written(original: str, name: str, quoting: Quoting) -> str:
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
        work.put_view(with_sql(view, rewrite_identifier(view.sql, old, new, "always")))
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
        elif token.token_type not in LITERALS and fold(unquote(source)) == fold(old):
            quoted = '"' + new.replace('"', '""') + '"'  # SQLite quotes what it renames
            return sql[: token.start] + quoted + sql[token.end + 1 :]
    return sql


T = TypeVar("T", View, Trigger)


def with_sql(item: T, sql: str) -> T:
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
