"""``CREATE TABLE t (LIKE source [INCLUDING | EXCLUDING option ...])``.

Follows ``transformTableLikeClause`` (parse_utilcmd.c): the source's columns come with
their types, NOT NULL and collation always; defaults, generated expressions, identity,
CHECK constraints (with their names), comments and indexes only as the options say.
Copied indexes and key constraints get new names, chosen as for unnamed ones.
"""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.create import PendingConstraint, serial_column
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError
from erdgen.dialects.postgres.names import column_addition
from erdgen.dialects.postgres.state import PgState, TableState
from erdgen.dialects.postgres.tokens import tokenize
from erdgen.model import Hidden, Index


def name_clones(state: PgState, table: TableState, clones: list[Index]) -> None:
    """Add the copied plain indexes under names PostgreSQL chooses for the new table."""
    for index in clones:
        keys = (c.name or _figure_name(c.expression or "") for c in index.columns)
        name = state.choose_relation_name(table, column_addition(keys), "idx")
        table.indexes.append(
            replace(index, name=qualified(table.namespace, name), table=table.qualified, sql=None)
        )


def read_like(
    state: PgState, table: TableState, cursor: Cursor, pending: list[PendingConstraint]
) -> list[Index]:
    """``LIKE source [INCLUDING | EXCLUDING option ...]`` (transformTableLikeClause): the
    source's columns with types, NOT NULL and collation; defaults, generated and identity
    columns, CHECKs, comments and indexes as the options say. Index names are chosen anew."""
    source = state.find_table(*cursor.qualified())
    if source is None:
        raise DdlSyntaxError("the table after LIKE is not known", cursor.peek(-1))
    included: set[str] = set()
    while (
        word := "including"
        if cursor.accept("including")
        else "excluding"
        if cursor.accept("excluding")
        else ""
    ):
        option = cursor.identifier()
        options = _LIKE_OPTIONS if option == "all" else {option}
        included = included | options if word == "including" else included - options
    for column in source.columns:
        copied = replace(column, default=None, generated=None, identity=None, description="",
                         hidden=Hidden.NORMAL)  # fmt: skip
        if "defaults" in included:
            copied = replace(copied, default=column.default)
        if "generated" in included and column.generated:
            copied = replace(copied, generated=column.generated, hidden=column.hidden)
        if "comments" in included:
            copied = replace(copied, description=column.description)
        if "identity" in included and column.identity:
            copied = replace(
                serial_column(state, table, copied, identity=True), identity=column.identity
            )
        table.columns.append(copied)
    if "constraints" in included:
        for constraint in (c for c in source.constraints if c.kind == "c"):
            pending.append(
                PendingConstraint("c", [], constraint.name, check=tokenize(constraint.check))
            )
    if "indexes" not in included:
        return []
    for constraint in (c for c in source.constraints if c.kind in ("p", "u")):
        pending.append(PendingConstraint(constraint.kind, list(constraint.columns)))
    return [index for index in source.indexes if index.origin == "c"]


_LIKE_OPTIONS = frozenset(
    {"comments", "compression", "constraints", "defaults", "generated", "identity", "indexes",
     "statistics", "storage"}
)  # fmt: skip


def _figure_name(expression: str) -> str:
    text = expression.lstrip("(")
    name = text.split("(", 1)[0].strip()
    return name.lower() if "(" in text and name.replace("_", "a").isalnum() else "expr"
