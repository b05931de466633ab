"""Schema model -> Mermaid ``erDiagram`` text (renders on GitHub without Graphviz).

Mermaid's grammar is narrower than SQLite's names: entity and attribute names must be
word-like, so other names get a word-like alias and show their real name as the entity
label (``alias["real name"]``); quotes inside labels become ``#quot;``. A foreign key to a
table the schema does not have is drawn to an empty entity labelled ``name ?``, as the
Graphviz diagrams draw a dashed stub.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from erdgen.formats.registry import DiagramRequest, diagram_format
from erdgen.keys import Cardinality, cardinality, column_markers, referenced_columns
from erdgen.model import Column, IdentifierRule, Schema, Table, ascii_fold

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_()\[\],-]*")

# Mermaid cardinality: left end (parent side) and right end (child side).
MERMAID_ENDS = {
    Cardinality.MANY_TO_ONE: ("||", "o{"),
    Cardinality.MANY_TO_ZERO_OR_ONE: ("|o", "o{"),
    Cardinality.ONE_TO_ONE: ("||", "o|"),
    Cardinality.ONE_TO_ZERO_OR_ONE: ("|o", "o|"),
}


def entity_name(name: str) -> str:
    """A Mermaid-safe entity id derived from a table name."""
    if _WORD.fullmatch(name):
        return name
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "table"
    digest = hashlib.sha256(ascii_fold(name).encode()).hexdigest()[:6]
    prefix = "" if cleaned[0].isalpha() or cleaned[0] == "_" else "t_"
    return f"{prefix}{cleaned}_{digest}"


def label(text: str) -> str:
    """Text inside a Mermaid double-quoted string."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    return text.replace("#", "#35;").replace('"', "#quot;")


@diagram_format("mermaid", ".mmd", "Mermaid erDiagram text (renders on GitHub, no Graphviz)")
def write_mermaid(request: DiagramRequest) -> bytes:
    return mermaid_er(request.schema, request.tables).encode()


def mermaid_er(schema: Schema, tables: Sequence[str] | None = None) -> str:
    """An ``erDiagram`` of the given tables (all when None) and the keys between them;
    keys to a missing table end at a ``name ?`` entity."""
    shown = [
        t
        for t in schema.tables
        if tables is None or schema.names.key(t.name) in _keys(tables, schema.names)
    ]
    names = {schema.names.key(t.name) for t in shown}
    lines = ["erDiagram"]
    for table in shown:
        lines.extend(entity_lines(table))
    missing = missing_parents(schema, shown)
    lines.extend(missing_entity_lines(missing.values()))
    for table in shown:
        for key in table.foreign_keys:
            parent = schema.table(key.ref_table)
            if parent is not None and schema.names.key(parent.name) not in names:
                continue  # a table outside this diagram
            parent_end, child_end = MERMAID_ENDS[cardinality(table, key)]
            pairs = zip(key.columns, referenced_columns(schema, key), strict=False)
            text = ", ".join(f"{c} = {p}" for c, p in pairs) or ", ".join(key.columns)
            parent_name = (
                missing[schema.names.key(key.ref_table)] if parent is None else parent.name
            )
            lines.append(
                f"    {entity_name(parent_name)} {parent_end}--{child_end} "
                f'{entity_name(table.name)} : "{label(text)}"'
            )
    return "\n".join(lines) + "\n"


def missing_parents(schema: Schema, tables: Sequence[Table]) -> dict[str, str]:
    """Tables that keys of ``tables`` reference but the schema lacks: the name's key under
    the schema's identifier rule -> the first spelling, sorted."""
    missing: dict[str, str] = {}
    for table in tables:
        for key in table.foreign_keys:
            if schema.table(key.ref_table) is None:
                missing.setdefault(schema.names.key(key.ref_table), key.ref_table)
    return {name: missing[name] for name in sorted(missing)}


def missing_entity_lines(names: Iterable[str]) -> list[str]:
    lines: list[str] = []
    for name in names:
        lines.extend((f'    {entity_name(name)}["{label(name)} ?"] {{', "    }"))
    return lines


def _keys(tables: Sequence[str], names: IdentifierRule) -> set[str]:
    return {names.key(name) for name in tables}


def entity_lines(table: Table) -> list[str]:
    alias = entity_name(table.name)
    head = alias if alias == table.name else f'{alias}["{label(table.name)}"]'
    lines = [f"    {head} {{"]
    lines.extend(attribute_line(table, column) for column in table.columns)
    lines.append("    }")
    return lines


def attribute_line(table: Table, column: Column) -> str:
    type_text = re.sub(r"\s+", "_", column.type.strip())
    type_text = type_text if _TYPE.fullmatch(type_text) else "ANY"
    name = column.name if _WORD.fullmatch(column.name) else entity_name(column.name)
    keys = [marker for marker in column_markers(table, column) if marker in ("PK", "FK", "UQ")]
    keys = ["UK" if marker == "UQ" else marker for marker in keys]
    if any(m.startswith("PK") for m in column_markers(table, column)) and "PK" not in keys:
        keys.insert(0, "PK")
    comment = column.description
    if name != column.name:  # the alias needs the real name beside it
        comment = column.name + (f": {comment}" if comment else "")
    parts = [type_text, name]
    if keys:
        parts.append(", ".join(keys))
    if comment:
        parts.append(f'"{label(comment)}"')
    return "        " + " ".join(parts)
