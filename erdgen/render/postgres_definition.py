"""A PostgreSQL table's current shape as SQL, printed from the model for its page.

PostgreSQL keeps no ``CREATE TABLE`` text (SQLite does: its table pages show that), so
erdgen prints one from the table as it stands after the migrations: columns with their
``format_type``, identity or ``DEFAULT`` and ``NOT NULL``; the named constraints in
creation order; ``INHERITS`` / ``PARTITION BY``; then the constraints added ``NOT VALID``
and the indexes made by ``CREATE INDEX``, as statements of their own. Names are quoted as
PostgreSQL's ``quote_ident`` quotes them. ``tests/postgres/test_pg_definition.py`` runs
the text in PostgreSQL in place of the table and compares the catalog with the model.

What the model does not keep is left out and said in a comment: an exclusion
constraint's operators (only its name and columns are kept).
"""

from __future__ import annotations

from erdgen.model import Column, Constraint, ForeignKey, Index, IndexColumn, Schema, Table
from erdgen.namespaces import PUBLIC, quote_ident, split_name

_INDENT = "    "


def qualified_name(schema: Schema, name: str) -> str:
    """The model's ``schema.name`` (or ``name`` in public) as SQL: each part quoted."""
    namespace, bare = split_name(schema, name)
    if namespace == PUBLIC:
        return quote_ident(bare)
    return f"{quote_ident(namespace)}.{quote_ident(bare)}"


def table_definition(table: Table, schema: Schema) -> str:
    """``CREATE TABLE`` with its columns and constraints, then the statements for the
    constraints it cannot hold (below) and for the table's ``CREATE INDEX`` indexes."""
    name = qualified_name(schema, table.name)
    inline, apart = _placed(table.constraints)
    statements = [_create_table(table, schema, name, inline)]
    statements += [
        f"ALTER TABLE {name} ADD {_constraint(table, schema, c)}"
        + ("" if c.validated else " NOT VALID")
        + ";"
        for c in apart
    ]
    statements += [
        _create_index(index, schema, name) for index in table.indexes if index.origin == "c"
    ]
    return "\n".join(statements)


def _placed(constraints: tuple[Constraint, ...]) -> tuple[list[Constraint], list[Constraint]]:
    """The constraints ``CREATE TABLE`` can hold, and those added after it: one added
    ``NOT VALID`` (only ALTER TABLE takes that), and a primary key or unique constraint
    on the same columns as an earlier one, which CREATE TABLE would fold into the earlier
    one (``transformIndexConstraints`` in src/backend/parser/parse_utilcmd.c)."""
    inline: list[Constraint] = []
    apart: list[Constraint] = []
    keys: set[tuple[str, ...]] = set()
    for constraint in constraints:
        folded = constraint.kind in ("p", "u") and constraint.columns in keys
        if folded or not constraint.validated:
            apart.append(constraint)
        else:
            inline.append(constraint)
            if constraint.kind in ("p", "u"):
                keys.add(constraint.columns)
    return inline, apart


def _create_table(table: Table, schema: Schema, name: str, constraints: list[Constraint]) -> str:
    lines = [_constraint(table, schema, c) for c in constraints]
    if table.partition_bound is not None and table.inherits:
        parent = qualified_name(schema, table.inherits[0])
        body = _body(lines) if lines else ""
        return f"CREATE TABLE {name} PARTITION OF {parent}{body}\n{table.partition_bound};"
    lines = [_column(column, schema, table) for column in table.columns] + lines
    tail = ""
    if table.inherits:
        tail += f"\nINHERITS ({', '.join(qualified_name(schema, p) for p in table.inherits)})"
    if table.partition_key is not None:
        tail += f"\nPARTITION BY {table.partition_key}"
    return f"CREATE TABLE {name}{_body(lines)}{tail};"


def _body(lines: list[str]) -> str:
    return " (\n" + ",\n".join(_INDENT + line for line in lines) + "\n)"


def _column(column: Column, schema: Schema, table: Table) -> str:
    parts = [quote_ident(column.name), column.type]
    if column.collation:
        parts.append(f"COLLATE {quote_ident(column.collation)}")
    if column.identity is not None:
        parts.append(
            f"GENERATED {column.identity} AS IDENTITY{_identity_options(column, table, schema)}"
        )
    elif column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({column.generated}) STORED")
    elif column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def _identity_options(column: Column, table: Table, schema: Schema) -> str:
    owner = f"{table.name}.{column.name}"
    sequence = next((s for s in schema.sequences if s.identity and s.owned_by == owner), None)
    if sequence is None:
        return ""
    options = [f"START WITH {sequence.start}"] if sequence.start != 1 else []
    options += [f"INCREMENT BY {sequence.increment}"] if sequence.increment != 1 else []
    return f" ({' '.join(options)})" if options else ""


def _constraint(table: Table, schema: Schema, constraint: Constraint) -> str:
    head = f"CONSTRAINT {quote_ident(constraint.name)} "
    definition = constraint_definition(table, schema, constraint)
    if constraint.kind == "x" or definition.startswith("EXCLUDE"):
        # an exclusion constraint: the model keeps its name and columns, not its operators
        return f"-- {head}{definition}: operators not kept"
    return head + definition


def constraint_definition(table: Table, schema: Schema, constraint: Constraint) -> str:
    """A constraint as ``ADD CONSTRAINT name ...`` writes it, without the name:
    ``PRIMARY KEY (a, b)``, ``CHECK (n > 0)``, ``FOREIGN KEY (a) REFERENCES t (id)``; an
    exclusion constraint as ``EXCLUDE (columns)`` (its operators are not kept)."""
    columns = ", ".join(quote_ident(c) for c in constraint.columns)
    if constraint.kind == "p":
        return f"PRIMARY KEY ({columns})"
    if constraint.kind == "u":
        return f"UNIQUE ({columns})"
    if constraint.kind == "c":
        check = next((c for c in table.checks if c.name == constraint.name), None)
        return f"CHECK ({check.expression if check else constraint.definition})"
    if constraint.kind == "f":
        key = next((k for k in table.foreign_keys if k.name == constraint.name), None)
        if key is not None:
            return _references(key, schema, table)
    return f"EXCLUDE ({columns})"


def _references(key: ForeignKey, schema: Schema, table: Table) -> str:
    columns = ", ".join(quote_ident(c) for c in key.columns)
    text = f"FOREIGN KEY ({columns}) REFERENCES {qualified_name(schema, key.ref_table)}"
    if key.ref_columns:
        text += f" ({', '.join(quote_ident(c) for c in key.ref_columns)})"
    if key.match in ("FULL", "PARTIAL"):
        text += f" MATCH {key.match}"
    if key.on_update != "NO ACTION":
        text += f" ON UPDATE {key.on_update}"
    if key.on_delete != "NO ACTION":
        text += f" ON DELETE {key.on_delete}"
    if key.deferrable:
        text += f" {key.deferrable}"
    return text


def _create_index(index: Index, schema: Schema, table: str) -> str:
    keys = ", ".join(_index_key(key) for key in index.columns)
    _, bare = split_name(schema, index.name)  # an index lives in its table's schema
    text = f"CREATE {'UNIQUE ' if index.unique else ''}INDEX {quote_ident(bare)}"
    text += f" ON {table}"
    if index.method and index.method != "btree":
        text += f" USING {index.method}"
    text += f" ({keys})"
    if index.include:
        text += f" INCLUDE ({', '.join(quote_ident(c) for c in index.include)})"
    if index.where is not None:
        text += f" WHERE ({index.where})"
    return text + ";"


def _index_key(key: IndexColumn) -> str:
    text = quote_ident(key.name) if key.name is not None else f"({key.expression or ''})"
    if key.collation:
        text += f" COLLATE {quote_ident(key.collation)}"
    if key.opclass:
        text += f" {key.opclass}"
    return text + (" DESC" if key.descending else "")
