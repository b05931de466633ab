"""The schema as DBML, the language of dbdiagram.io and dbdocs (``erdgen export --format dbml``).

Rules from the DBML docs (https://dbml.dbdiagram.io/docs) and the reference parser
``@dbml/core`` (v6, ``dbmlv2``), checked by ``tests/test_dbml.py``:

- Every name is written double-quoted; ``\\``, ``"`` and line breaks are escaped.
- Notes are single-quoted strings with ``\\``, ``'`` and line breaks escaped.
- Expressions (defaults, index keys, checks) sit between backticks, which allow no escape:
  one that contains a backtick is written as a note instead.
- A ``Ref`` names existing columns with their exact spelling (DBML is case-sensitive,
  SQLite is not), and two refs between the same column sets are an error. A foreign key DBML
  cannot hold (missing table or column, no referenced key, a repeat) and a table or
  column with an empty name become ``//`` comments, so nothing disappears silently.
- Relation: ``>`` many-to-one, ``-`` one-to-one (a unique foreign key), from ``erdgen.keys``.
- PostgreSQL enums are ``Enum`` blocks, values double-quoted in their sort order; a column
  of an enum type names the enum (``"ns"."enum"``) so that dbdiagram links the two. An enum
  takes no Note in @dbml/core v6: its description is a ``//`` comment above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from erdgen.formats.registry import SchemaExport, schema_format
from erdgen.keys import Cardinality, cardinality, referenced_columns
from erdgen.model import Column, EnumType, ForeignKey, Index, Schema, Table
from erdgen.namespaces import enum_of
from erdgen.plural import counted

RELATION = {
    Cardinality.MANY_TO_ONE: ">",
    Cardinality.MANY_TO_ZERO_OR_ONE: ">",
    Cardinality.ONE_TO_ONE: "-",
    Cardinality.ONE_TO_ZERO_OR_ONE: "-",
}
# PRAGMA foreign_key_list spelling -> DBML's ref setting value ("NO ACTION" is the default)
ACTIONS = {"CASCADE": "cascade", "SET NULL": "set null", "SET DEFAULT": "set default",
           "RESTRICT": "restrict"}  # fmt: skip

# erdgen's dialect -> DBML's database_type (the names dbdiagram.io offers)
DATABASE_TYPES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
_PLAIN_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")  # what a JS number holds exactly
_KEYWORD = re.compile(r"(?i:(null)|(true)|(false))")  # -> DBML's null, true, false


@schema_format("dbml", ".dbml", "DBML for dbdiagram.io and dbdocs")
def write_dbml(export: SchemaExport) -> bytes:
    return dbml(export).encode()


def dbml(export: SchemaExport) -> str:
    """The schema after the last migration as DBML text, ending with a newline."""
    schema = export.history.schema
    blocks = [
        _project_block(export),
        *(_enum_block(schema, enum) for enum in schema.enums),
        *(_table_block(export, table) for table in schema.tables),
    ]
    refs = list(_ref_lines(schema))
    return "\n\n".join(block for block in [*blocks, "\n".join(refs)] if block) + "\n"


# -- escaping ---------------------------------------------------------------------------


def name(text: str) -> str:
    """A double-quoted DBML identifier."""
    return '"' + _escaped(text).replace('"', '\\"') + '"'


def table_name(schema: Schema, table: str) -> str:
    """A table as DBML names it: ``"ns"."table"`` when the model's name is qualified by one
    of the schema's namespaces (PostgreSQL's ``CREATE SCHEMA``), else one quoted name."""
    namespace, dot, rest = table.partition(".")
    if dot and rest and namespace in schema.namespaces:
        return f"{name(namespace)}.{name(rest)}"
    return name(table)


def string(text: str) -> str:
    """A single-quoted DBML string (notes, string defaults)."""
    return "'" + _escaped(text).replace("'", "\\'") + "'"


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def expression(sql: str) -> str | None:
    """SQL text between backticks; None when it holds a backtick (DBML has no escape)."""
    return None if "`" in sql else f"`{sql}`"


def comment(text: str) -> str:
    """A ``//`` comment line: line breaks inside would end it."""
    return "// " + " ".join(text.split())


def column_type(schema: Schema, declared: str) -> str:
    """The type as written, quoted unless a plain word; an enum (not an array of one) as
    the name of its ``Enum`` block."""
    enum = enum_of(schema, declared)
    if enum is not None and not declared.endswith("]"):
        return table_name(schema, enum.name)
    return declared if _PLAIN_TYPE.fullmatch(declared) else name(declared)


def _enum_block(schema: Schema, enum: EnumType) -> str:
    if not enum.values:
        return comment(f"enum {enum.name} has no values: a DBML Enum needs one")
    lines = [comment(enum.description)] if enum.description.strip() else []
    lines.append(f"Enum {table_name(schema, enum.name)} {{")
    lines.extend(f"  {name(value)}" for value in enum.values)
    lines.append("}")
    return "\n".join(lines)


# -- tables -----------------------------------------------------------------------------


def _project_block(export: SchemaExport) -> str:
    """dbdocs names the project after it (``dbdocs build`` needs a name)."""
    if not export.title:
        return ""
    kind = DATABASE_TYPES.get(export.history.dialect)
    setting = f"\n  database_type: {string(kind)}" if kind else ""
    return f"Project {name(export.title)} {{{setting}\n}}"


def _table_block(export: SchemaExport, table: Table) -> str:
    if not table.name:
        return comment(
            f"a table with an empty name ({counted(len(table.columns), 'column')}): DBML has none"
        )
    lines = [f"Table {table_name(export.history.schema, table.name)} {{"]
    lines.extend(
        f"  {line}" for column in table.columns for line in _column_lines(export, table, column)
    )
    index_lines = list(_index_lines(table))
    if index_lines:
        lines.extend(["", "  indexes {", *(f"    {line}" for line in index_lines), "  }"])
    check_lines = list(_check_lines(table))
    if check_lines:
        lines.extend(["", "  checks {", *(f"    {line}" for line in check_lines), "  }"])
    note = _table_note(export, table)
    if note:
        lines.extend(["", f"  Note: {string(note)}"])
    lines.append("}")
    return "\n".join(lines)


def _table_note(export: SchemaExport, table: Table) -> str:
    parts = [export.table_note(table)]
    if table.without_rowid:
        parts.append("WITHOUT ROWID")
    if table.strict:
        parts.append("STRICT")
    return "\n\n".join(part for part in parts if part)


def _column_lines(export: SchemaExport, table: Table, column: Column) -> list[str]:
    if not column.name:
        return [comment(f"a column with an empty name, type {column.type}: DBML has none")]
    settings, notes = _column_settings(table, column)
    described = export.column_note(table, column)
    note = "\n\n".join(part for part in (described, *notes) if part)
    if note:
        settings.append(f"note: {string(note)}")
    suffix = f" [{', '.join(settings)}]" if settings else ""
    column_text = column_type(export.history.schema, column.type)
    return [f"{name(column.name)} {column_text}{suffix}"]


def _column_settings(table: Table, column: Column) -> tuple[list[str], list[str]]:
    """DBML settings of a column, and what DBML cannot say as settings (for the note)."""
    settings: list[str] = []
    notes: list[str] = []
    if column.primary_key and len(table.primary_key) == 1:
        settings.append("pk")
    if column.autoincrement:
        settings.append("increment")
    if column.not_null:
        settings.append("not null")
    if column.unique:
        settings.append("unique")
    if column.default is not None:
        default = default_value(column.default)
        if default is None:
            notes.append(f"DEFAULT {column.default}")
        else:
            settings.append(f"default: {default}")
    if column.generated is not None:
        notes.append(f"GENERATED ALWAYS AS ({column.generated}) {column.hidden.name}")
    if column.collation:
        notes.append(f"COLLATE {column.collation}")
    return settings, notes


def default_value(sql: str) -> str | None:
    """A default as SQLite reports it (``'a''b'``, ``-1``, ``NULL``, ``(datetime('now'))``)
    as a DBML default: string, number, keyword or expression; None if DBML cannot hold it."""
    text = sql.strip()
    if _STRING.fullmatch(text):
        return string(text[1:-1].replace("''", "'"))
    if _NUMBER.fullmatch(text):
        return text
    keyword = _KEYWORD.fullmatch(text)
    if keyword is not None:
        return ("null", "true", "false")[(keyword.lastindex or 1) - 1]  # the group that matched
    return expression(text)


# -- indexes and checks -----------------------------------------------------------------


def _index_lines(table: Table) -> Iterator[str]:
    if len(table.primary_key) > 1:
        keys = ", ".join(name(_spelling(table, column)) for column in table.primary_key)
        yield f"({keys}) [pk]"
    for index in table.indexes:
        if index.origin == "pk" or _is_column_unique(table, index):
            continue  # written as the pk / unique setting
        yield _index_line(table, index)


def _is_column_unique(table: Table, index: Index) -> bool:
    if index.origin != "u" or len(index.columns) != 1 or index.columns[0].name is None:
        return False
    column = table.column(index.columns[0].name)
    return column is not None and column.unique


def _index_line(table: Table, index: Index) -> str:
    keys: list[str] = []
    for key in index.columns:
        if key.name is not None:
            keys.append(name(_spelling(table, key.name)))
            continue
        written = expression(key.expression or "")
        if written is None:
            return comment(f"index {index.name}: an expression key holds a backtick")
        keys.append(written)
    settings = []
    if index.unique:
        settings.append("unique")
    if index.origin == "c":  # constraint indexes carry SQLite's internal autoindex names
        settings.append(f"name: {name(index.name)}")
    note = _index_note(index)
    if note:
        settings.append(f"note: {string(note)}")
    written_keys = keys[0] if len(keys) == 1 else f"({', '.join(keys)})"
    return written_keys + (f" [{', '.join(settings)}]" if settings else "")


def _index_note(index: Index) -> str:
    """What DBML's index syntax has no place for: order, collation, a partial condition."""
    parts = [
        " ".join(filter(None, (key.label, key.collation and f"COLLATE {key.collation}",
                               "DESC" if key.descending else "")))
        for key in index.columns
        if key.descending or key.collation
    ]  # fmt: skip
    if index.where is not None:
        parts.append(f"WHERE {index.where}")
    return ", ".join(parts)


def _check_lines(table: Table) -> Iterator[str]:
    for check in table.checks:
        written = expression(check.expression)
        if written is None:
            yield comment(f"CHECK ({check.expression})")
            continue
        yield written + (f" [name: {name(check.name)}]" if check.name else "")


def _spelling(table: Table, column: str) -> str:
    """The column's name as the table declares it (DBML compares names case-sensitively)."""
    found = table.column(column)
    return found.name if found is not None else column


# -- refs -------------------------------------------------------------------------------


def _ref_lines(schema: Schema) -> Iterator[str]:
    seen: set[Endpoints] = set()
    for table in schema.tables:
        for key in table.foreign_keys:
            line, endpoints = _ref(schema, table, key)
            if endpoints in seen:
                line = comment(f"repeated foreign key: {line}")
            elif endpoints:
                seen.add(endpoints)
            yield line


# @dbml/core rejects two refs between the same column sets, whatever their order or pairing
Endpoints = frozenset[tuple[str, frozenset[str]]]


def _ref(schema: Schema, table: Table, key: ForeignKey) -> tuple[str, Endpoints]:
    """The ``Ref:`` line of a key and its endpoints, or a comment and no endpoints."""
    shown = f"{table.name}({', '.join(key.columns)}) -> {key.ref_table}"
    parent = schema.table(key.ref_table)
    if parent is None:
        return comment(f"foreign key {shown}: table {key.ref_table} does not exist"), frozenset()
    targets = referenced_columns(schema, key)
    parent_columns = [parent.column(c) for c in targets]
    child_columns = [table.column(c) for c in key.columns]
    if not targets or len(targets) != len(key.columns):
        return comment(f"foreign key {shown}: no matching referenced key"), frozenset()
    if None in parent_columns or None in child_columns or not table.name or not parent.name:
        return comment(f"foreign key {shown}({', '.join(targets)}): no such column"), frozenset()
    child = tuple(c.name for c in child_columns if c is not None)
    parent_key = tuple(c.name for c in parent_columns if c is not None)
    relation = RELATION[cardinality(table, key)]
    child_end = _endpoint(table_name(schema, table.name), child)
    line = f"Ref: {child_end} {relation} {_endpoint(table_name(schema, parent.name), parent_key)}"
    settings = [
        f"{what}: {ACTIONS[action]}"
        for what, action in (("delete", key.on_delete), ("update", key.on_update))
        if action in ACTIONS
    ]
    if settings:
        line += f" [{', '.join(settings)}]"
    return line, frozenset({(table.name, frozenset(child)), (parent.name, frozenset(parent_key))})


def _endpoint(table: str, columns: tuple[str, ...]) -> str:
    if len(columns) == 1:
        return f"{table}.{name(columns[0])}"
    return f"{table}.({', '.join(name(c) for c in columns)})"
