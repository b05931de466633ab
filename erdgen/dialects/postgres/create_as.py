"""``CREATE TABLE name [(columns)] AS query [WITH [NO] DATA]``: the columns of the query.

PostgreSQL makes a column per output column of the query, named as a view's are
(``view_columns.output_names``), typed with the expression's type, without NOT NULL,
defaults or constraints (``intorel_startup`` in src/backend/commands/createas.c). A plain
column reference keeps its column's type with its modifier, a cast or a literal has its
type; the types of other expressions are not read from the text: PostgreSQL as the judge
gives them.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from erdgen.dialects.postgres.create import Resolver
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError
from erdgen.dialects.postgres.state import PgState, TableState
from erdgen.dialects.postgres.tokens import TokenizeError, tokenize
from erdgen.dialects.postgres.types import TypeSyntaxError, read_type
from erdgen.dialects.postgres.view_columns import output_names
from erdgen.model import Column

_WITH_DATA = re.compile(r"\s+with\s+(?:no\s+)?data\s*;?\s*$", re.IGNORECASE)


def create_table_as(state: PgState, cursor: Cursor, sql: str) -> list[str] | None:
    """Add the table; the names of the columns whose types were not read (empty when all
    were), or None when the query's columns are not certain (then no table is added)."""
    if_not_exists = cursor.accept("if", "not", "exists")
    namespace, name = cursor.qualified()
    table = TableState(state.creation_namespace(namespace), name)
    if table.qualified in state.tables:
        if if_not_exists:
            return []
        raise DdlSyntaxError(f'relation "{name}" already exists', cursor.peek(-1))
    given = cursor.names() if cursor.next_is("(") else []
    while not cursor.done and not cursor.accept("as"):
        cursor.next()
    body = cursor.rest()
    if not body:
        return None
    query = _WITH_DATA.sub("", sql[body[0].start :].rstrip().rstrip(";"))
    names = list(output_names(query, lambda schema, n: _names_of(state, schema, n)))
    types = _types(state, query)
    if not names or len(types) != len(names) or len(given) > len(names):
        return None
    names[: len(given)] = given
    table.columns = [Column(n, t or "") for n, t in zip(names, types, strict=True)]
    state.tables[table.qualified] = table
    return [n for n, t in zip(names, types, strict=True) if t is None]


def _names_of(state: PgState, schema: str | None, name: str) -> list[str] | None:
    table = state.find_table(schema, name)
    return [c.name for c in table.columns] if table is not None else None


def _types(state: PgState, query: str) -> list[str | None]:
    """The type of each output column where it is a column's own; None where not read."""
    try:
        tree = sqlglot.parse_one(query, read="postgres")
    except (ParseError, TokenError, ValueError):
        return []
    if not isinstance(tree, exp.Select):
        return []
    relations = []
    for source in [tree.args.get("from") or tree.args.get("from_"), *tree.args.get("joins", [])]:
        found = source.this if source is not None else None
        if not isinstance(found, exp.Table):
            return []
        table = state.find_table(found.db or None, found.name)
        if table is None:
            return []
        relations.append((found.alias_or_name, table))
    types: list[str | None] = []
    for projection in tree.selects:
        types += _projection_types(state, projection, relations)
    return types


def _projection_types(
    state: PgState, projection: exp.Expr, relations: list[tuple[str, TableState]]
) -> list[str | None]:
    if isinstance(projection, exp.Alias):
        projection = projection.this
    if isinstance(projection, exp.Star):
        return [c.type for _, table in relations for c in table.columns]
    if not isinstance(projection, exp.Column):
        return [_expression_type(state, projection)]
    owners = [t for alias, t in relations if projection.table in ("", alias)]
    if isinstance(projection.this, exp.Star):
        return [c.type for table in owners[:1] for c in table.columns]
    found = [c.type for table in owners for c in table.columns if c.name == projection.name]
    return [found[0] if len(found) == 1 else None]


def _expression_type(state: PgState, expression: exp.Expr) -> str | None:
    """A literal's or a cast's type as format_type prints it (an untyped string literal is
    ``text`` in CREATE TABLE ... AS); None for any other expression."""
    if isinstance(expression, exp.Cast):
        try:
            tokens = tokenize(expression.args["to"].sql(dialect="postgres"))
            return read_type(tokens, 0, Resolver(state)).name
        except (TokenizeError, TypeSyntaxError, IndexError):
            return None
    if isinstance(expression, exp.Boolean):
        return "boolean"
    if isinstance(expression, exp.CurrentTimestamp):
        return "timestamp with time zone"
    if not isinstance(expression, exp.Literal):
        return None
    if expression.is_string:
        return "text"
    if expression.is_int:
        return "integer" if abs(int(expression.this)) < 2**31 else "bigint"
    return "numeric"
