"""Read a live PostgreSQL database back into the model: what the judge compares with.

Everything comes from the system catalogs (``pg_class``, ``pg_attribute``,
``pg_constraint``, ``pg_index``, ``pg_enum``, ``pg_sequence``, ``pg_proc``,
``pg_trigger``, ``pg_description``) and PostgreSQL's own printers (``format_type``,
``pg_get_expr``, ``pg_get_constraintdef``, ``pg_get_indexdef``, ``pg_get_triggerdef``),
so values are exactly as PostgreSQL prints them. Objects that belong to an extension
are left out, and so are the system schemas. A name outside ``public`` is qualified:
``registry.users``. Objects come in creation order (by OID, which a fresh cluster hands
out in order).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Literal, cast

from msgspec.structs import replace

from erdgen.dialects.postgres import catalog_queries as q
from erdgen.model import (
    EXACT,
    Check,
    Column,
    CompositeType,
    Constraint,
    ConstraintKind,
    Domain,
    EnumType,
    ForeignKey,
    Function,
    Hidden,
    Index,
    IndexColumn,
    IndexOrigin,
    Schema,
    Sequence,
    Table,
    Trigger,
    View,
)

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

Row = dict[str, Any]
# pg_constraint.confupdtype / confdeltype and confmatchtype, spelled as in CREATE TABLE
ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
MATCHES = {"s": "SIMPLE", "f": "FULL", "p": "PARTIAL"}
ROUTINE_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}


def qualified(namespace: str, name: str) -> str:
    """``name`` in ``public``, ``namespace.name`` elsewhere."""
    return name if namespace == "public" else f"{namespace}.{name}"


def read_schema(connection: Connection) -> Schema:
    """The whole schema of the connected database; the session's search path is left as
    it was (the next migration may rely on a path an earlier one SET)."""
    row = connection.execute("SELECT current_setting('search_path')").fetchone()
    try:
        return _read_schema(connection)
    finally:
        connection.execute("SELECT set_config('search_path', %s, false)", (row[0] if row else "",))


def _read_schema(connection: Connection) -> Schema:
    rows = _Rows(connection)
    columns = _columns(rows.fetch(q.COLUMNS))
    constraints = _by_table(rows.fetch(q.CONSTRAINTS))
    indexes = _indexes(rows.fetch(q.INDEXES))
    tables, views = [], []
    for relation in rows.fetch(q.RELATIONS):
        name = qualified(relation["nspname"], relation["relname"])
        if relation["relkind"] in ("v", "m"):
            views.append(_view(name, relation, columns[relation["oid"]]))
            continue
        table_constraints = constraints.get(relation["oid"], [])
        table_columns = _keyed(columns[relation["oid"]], table_constraints)
        tables.append(_table(name, relation, table_columns, table_constraints, indexes))
    return Schema(
        names=EXACT,
        tables=tuple(tables),
        views=tuple(views),
        triggers=tuple(_trigger(row) for row in rows.fetch(q.TRIGGERS)),
        enums=_enums(rows.fetch(q.ENUMS)),
        domains=tuple(_domain(row) for row in rows.fetch(q.DOMAINS)),
        composites=tuple(_composite(row) for row in rows.fetch(q.COMPOSITES)),
        sequences=tuple(_sequence(row) for row in rows.fetch(q.SEQUENCES)),
        functions=tuple(_function(row) for row in rows.fetch(q.FUNCTIONS)),
        namespaces=tuple(row["nspname"] for row in rows.fetch(q.NAMESPACES)),
        extensions=tuple(row["extname"] for row in rows.fetch(q.EXTENSIONS)),
    )


class _Rows:
    """Catalog queries as lists of dicts, run with a fixed search_path."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        # format_type and pg_get_expr qualify names outside the search_path
        connection.execute("SET search_path TO public")
        # JIT-compiling the index query took 0.4-0.6 s of a 0.7 s read of 500 tables
        connection.execute("SET jit = off")

    def fetch(self, query: str) -> list[Row]:
        cursor = self.connection.execute(query)
        names = [d.name for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _by_table(rows: list[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["table_oid"]].append(row)
    return grouped


def _columns(rows: list[Row]) -> dict[int, list[Column]]:
    grouped: dict[int, list[Column]] = defaultdict(list)
    for row in rows:
        generated = row["attgenerated"] == "s"
        identity = {"a": "ALWAYS", "d": "BY DEFAULT"}.get(row["attidentity"])
        grouped[row["table_oid"]].append(
            Column(
                name=row["attname"],
                type=row["type"],
                not_null=row["attnotnull"],
                default=None if generated else row["default"],
                hidden=Hidden.STORED if generated else Hidden.NORMAL,
                generated=row["default"] if generated else None,
                collation=row["collation"],
                description=row["description"] or "",
                identity=cast(Literal["ALWAYS", "BY DEFAULT"] | None, identity),
            )
        )
    return grouped


def _keyed(columns: list[Column], constraints: list[Row]) -> tuple[Column, ...]:
    """Columns with their primary-key position and single-column UNIQUE marked."""
    positions: dict[str, int] = {}
    unique: set[str] = set()
    for row in constraints:
        if row["contype"] == "p":
            positions = {name: n for n, name in enumerate(row["columns"], start=1)}
        elif row["contype"] == "u" and len(row["columns"]) == 1:
            unique.add(row["columns"][0])
    return tuple(
        _with(column, primary_key=positions.get(column.name, 0), unique=column.name in unique)
        for column in columns
    )


def _with(column: Column, **changes: Any) -> Column:
    return replace(column, **changes)


def _table(
    name: str,
    relation: Row,
    columns: tuple[Column, ...],
    constraints: list[Row],
    indexes: dict[int, list[Index]],
) -> Table:
    primary = next((row for row in constraints if row["contype"] == "p"), None)
    return Table(
        names=EXACT,
        name=name,
        columns=columns,
        foreign_keys=tuple(_foreign_key(row) for row in constraints if row["contype"] == "f"),
        indexes=tuple(
            Index(**{**_fields(index), "table": name}) for index in indexes[relation["oid"]]
        ),
        checks=tuple(_check(row) for row in constraints if row["contype"] == "c"),
        primary_key_name=primary["conname"] if primary else None,
        description=relation["description"] or "",
        constraints=tuple(_constraint(row) for row in constraints),
        inherits=tuple(relation["inherits"] or ()),
        partition_key=relation["partition_key"],
        partition_bound=relation["partition_bound"],
    )


def _fields(index: Index) -> dict[str, Any]:
    return {name: getattr(index, name) for name in Index.__struct_fields__}


def _domain(row: Row) -> Domain:
    return Domain(
        name=qualified(row["nspname"], row["typname"]),
        base_type=row["base_type"],
        not_null=row["typnotnull"],
        default=row["default"],
        checks=tuple(row["checks"]),
        description=row["description"] or "",
    )


def _composite(row: Row) -> CompositeType:
    return CompositeType(
        name=qualified(row["nspname"], row["typname"]),
        attributes=tuple(zip(row["names"], row["types"], strict=True)),
        description=row["description"] or "",
    )


def _constraint(row: Row) -> Constraint:
    return Constraint(
        name=row["conname"],
        kind=cast(ConstraintKind, row["contype"]),
        columns=tuple(row["columns"]),
        definition=row["definition"],
        validated=row["convalidated"],
        description=row["description"],
    )


def _foreign_key(row: Row) -> ForeignKey:
    deferrable = None
    if row["condeferrable"]:
        when = "DEFERRED" if row["condeferred"] else "IMMEDIATE"
        deferrable = f"DEFERRABLE INITIALLY {when}"
    return ForeignKey(
        columns=tuple(row["columns"]),
        ref_table=qualified(row["ref_namespace"], row["ref_table"]),
        ref_columns=tuple(row["ref_columns"]),
        on_delete=ACTIONS[row["confdeltype"]],
        on_update=ACTIONS[row["confupdtype"]],
        match=MATCHES[row["confmatchtype"]],
        name=row["conname"],
        deferrable=deferrable,
        validated=row["convalidated"],
    )


def _check(row: Row) -> Check:
    """The condition inside ``CHECK (...)``, as pg_get_constraintdef prints it."""
    definition: str = row["definition"].removesuffix(" NOT VALID").removesuffix(" NO INHERIT")
    expression = definition.removeprefix("CHECK (").removesuffix(")")
    # the catalog does not keep whether a CHECK was written beside a column
    return Check(expression=expression, name=row["conname"])


def _indexes(rows: list[Row]) -> dict[int, list[Index]]:
    grouped: dict[int, list[Index]] = defaultdict(list)
    for row in rows:
        keys = row["keys"][: row["key_count"]]
        # an operator class other than the default of the key's type (pg_get_indexdef
        # prints the same ones): "gin_trgm_ops", "text_pattern_ops"
        columns = tuple(
            IndexColumn(
                name=key if is_column else None,
                expression=None if is_column else key,
                descending=bool(option & 1),
                opclass=opclass,
            )
            for key, is_column, option, opclass in zip(
                keys, row["key_is_column"], row["options"], row["opclasses"], strict=False
            )
        )
        origin: IndexOrigin = {"p": "pk", "u": "u"}.get(row["constraint_kind"] or "", "c")  # type: ignore[assignment]
        grouped[row["table_oid"]].append(
            Index(
                name=qualified(row["nspname"], row["relname"]),
                table="",
                columns=columns,
                unique=row["indisunique"],
                origin=origin,
                where=row["predicate"],
                sql=row["definition"] if origin == "c" else None,
                method=row["method"],
                include=tuple(row["keys"][row["key_count"] :]),
            )
        )
    return grouped


def _view(name: str, relation: Row, columns: list[Column]) -> View:
    materialized = relation["relkind"] == "m"
    kind = "MATERIALIZED VIEW" if materialized else "VIEW"
    return View(
        name=name,
        sql=f"CREATE {kind} {name} AS\n{relation['view_definition']}",
        description=relation["description"] or "",
        columns=tuple(columns),
        materialized=materialized,
    )


def _trigger(row: Row) -> Trigger:
    return Trigger(
        name=row["tgname"],
        table=qualified(row["nspname"], row["relname"]),
        sql=row["definition"],
        timing=row["timing"],
        event=row["events"],
        description=row["description"] or "",
        function=qualified(row["function_namespace"], row["function_name"]),
        level=row["level"],
    )


def _enums(rows: list[Row]) -> tuple[EnumType, ...]:
    return tuple(
        EnumType(
            qualified(row["nspname"], row["typname"]),
            tuple(row["labels"]),
            row["description"] or "",
        )
        for row in rows
    )


def _sequence(row: Row) -> Sequence:
    owner = row["owner_table"]
    owned_by = (
        f"{qualified(row['owner_namespace'], owner)}.{row['owner_column']}" if owner else None
    )
    return Sequence(
        name=qualified(row["nspname"], row["relname"]),
        type=row["type"],
        start=row["seqstart"],
        increment=row["seqincrement"],
        owned_by=owned_by,
        identity=row["deptype"] == "i",
    )


def _function(row: Row) -> Function:
    kind = ROUTINE_KINDS[row["prokind"]]
    return Function(
        name=qualified(row["nspname"], row["proname"]),
        arguments=row["arguments"],
        returns=row["returns"] or "",
        language=row["lanname"],
        kind=cast(Literal["function", "procedure", "aggregate", "window"], kind),
        description=row["description"] or "",
    )
