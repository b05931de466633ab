"""The output columns of a view's query, named as PostgreSQL names them.

sqlglot (``read="postgres"``) parses the query; the names follow ``FigureColname``
(parse_target.c): an alias, else a column's own name, else a function's name; ``*`` and
``t.*`` expand to the columns of the tables and views read. Where PostgreSQL's name is not
certain from the text (a literal's ``?column?``, functions sqlglot renames such as
``now()``), no columns are given and the judge's comparison skips them.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

# sqlglot's function classes whose PostgreSQL name is their SQL name in lower case
_NAMED_AGGREGATES = (exp.Count, exp.Sum, exp.Min, exp.Max, exp.Avg, exp.Coalesce, exp.Lower,
                     exp.Upper)  # fmt: skip

Expand = Callable[[str | None, str], list[str] | None]  # (schema, relation) -> its columns


class _Uncertain(Exception):  # noqa: N818 - control flow only, never leaves this module
    pass


def output_names(query: str, expand: Expand) -> tuple[str, ...]:
    """The column names of ``query`` (a SELECT), or () when they are not certain."""
    try:
        tree = sqlglot.parse_one(query, read="postgres")
    except (ParseError, TokenError, ValueError):
        return ()
    while isinstance(tree, exp.SetOperation):
        tree = tree.this
    if not isinstance(tree, exp.Select):
        return ()
    try:
        return tuple(_names(tree, expand))
    except _Uncertain:
        return ()


def _names(select: exp.Select, expand: Expand) -> list[str]:
    names: list[str] = []
    relations = _relations(select)
    for projection in select.selects:
        if isinstance(projection, exp.Star):
            for schema, name, _ in relations:
                names += _expanded(expand, schema, name)
        elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            found = [r for r in relations if projection.table in (r[2], r[1])]
            if len(found) != 1:
                raise _Uncertain
            names += _expanded(expand, found[0][0], found[0][1])
        else:
            names.append(_figure(projection))
    return names


def _relations(select: exp.Select) -> list[tuple[str | None, str, str]]:
    """(schema, name, alias) of the tables in FROM and JOIN, in order."""
    sources = [select.args.get("from") or select.args.get("from_"), *select.args.get("joins", [])]
    found = []
    for source in sources:
        table = source.this if source is not None else None
        if isinstance(table, exp.Table):
            found.append((table.db or None, table.name, table.alias_or_name))
        elif source is not None:
            found.append((None, "", ""))  # a subquery or function: its columns are not known
    return found


def _expanded(expand: Expand, schema: str | None, name: str) -> list[str]:
    columns = expand(schema, name) if name else None
    if columns is None:
        raise _Uncertain
    return columns


def _figure(projection: object) -> str:
    if isinstance(projection, exp.Alias):
        return projection.alias
    if isinstance(projection, exp.Window):  # f(...) OVER (...) is named after f
        return _figure(projection.this)
    if isinstance(projection, exp.Column):
        return projection.name
    if isinstance(projection, exp.Cast) and isinstance(projection.this, exp.Column):
        return projection.this.name
    if isinstance(projection, exp.Anonymous):
        return str(projection.this).lower()
    if isinstance(projection, _NAMED_AGGREGATES):
        return projection.sql_name().lower()
    if isinstance(projection, exp.Case):
        return "case"
    raise _Uncertain


def used_columns(query: str, expand: Expand) -> set[tuple[str, str]] | None:
    """(relation name, column) pairs the query uses, ``*`` expanded; None when unknown.

    A view depends on exactly these columns (``DROP COLUMN ... CASCADE`` drops it)."""
    try:
        tree = sqlglot.parse_one(query, read="postgres")
    except (ParseError, TokenError, ValueError):
        return None
    used: set[tuple[str, str]] = set()
    for select in tree.find_all(exp.Select):
        relations = _relations(select)
        by_alias = {alias: (schema, name) for schema, name, alias in relations if name}
        known = {
            name: _expanded_or_empty(expand, schema, name) for schema, name, _ in relations if name
        }
        for projection in select.selects:
            if isinstance(projection, exp.Star):
                used |= {(name, column) for name, columns in known.items() for column in columns}
        for column in select.find_all(exp.Column):
            if isinstance(column.this, exp.Star):
                relation = by_alias.get(column.table)
                if relation is not None:
                    used |= {(relation[1], c) for c in known.get(relation[1], [])}
            elif column.table:
                relation = by_alias.get(column.table)
                used.add((relation[1] if relation else column.table, column.name))
            else:
                owners = [name for name, columns in known.items() if column.name in columns]
                used |= {(name, column.name) for name in owners}
    return used


def _expanded_or_empty(expand: Expand, schema: str | None, name: str) -> list[str]:
    return expand(schema, name) or []
