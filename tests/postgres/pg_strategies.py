"""Hypothesis strategies: PostgreSQL migration folders that PostgreSQL accepts.

A small model of what exists (tables, columns and their types, constraints, indexes,
enums) keeps each generated statement valid on empty tables, so that every example can
be replayed and the model read from the text compared with the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

# type -> a default valid for it
TYPES = {
    "integer": "0", "bigint": "-1", "smallint": "7", "text": "'x'", "varchar(20)": "'y'",
    "numeric(10,2)": "1.5", "boolean": "true", "timestamptz": "now()",
    "timestamp(3)": "CURRENT_TIMESTAMP", "date": "'2020-01-01'", "jsonb": "'{}'",
    "uuid": "gen_random_uuid()", "text[]": "'{}'", "double precision": "0.5",
    "char(3)": "'abc'", "interval": "interval '1 day'", "bytea": "NULL",
}  # fmt: skip
# safe type changes on an empty table
WIDER = {"integer": "bigint", "smallint": "integer", "varchar(20)": "text", "text": "varchar(200)"}
NAMES = ["id", "name", "a", "b", "owner", "Mixed", "x" * 40, "grüße", "order"]
TABLES = ["person", "pet", "t", "Orders", "y" * 58]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class _Table:
    columns: dict[str, str] = field(default_factory=dict)
    primary: str | None = None
    constraints: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    viewed: bool = False  # a view reads it: PostgreSQL refuses to change its column types
    pkey_renamed: bool = False  # the primary key is no longer named <table>_pkey


@dataclass
class _World:
    tables: dict[str, _Table] = field(default_factory=dict)
    enums: dict[str, list[str]] = field(default_factory=dict)
    counter: int = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


@st.composite
def migrations(draw: st.DrawFn) -> list[str]:
    """Up to 4 migrations of up to 5 statements each."""
    world = _World()
    files = []
    for _ in range(draw(st.integers(1, 4))):
        statements = [draw(_statement(world)) for _ in range(draw(st.integers(1, 5)))]
        files.append("\n".join(s + ";" for s in statements if s))
    return files


@st.composite
def _statement(draw: st.DrawFn, world: _World) -> str:
    if not world.tables:
        return draw(_create_table(world))
    kind = draw(st.sampled_from(
        ["create", "add", "drop", "rename", "type", "null", "default", "unique", "check",
         "fk", "index", "drop_constraint", "drop_index", "enum", "comment", "rename_table",
         "drop_table", "rename_constraint", "rename_index", "view", "schema", "domain",
         "composite", "table_as", "owned_by", "constraint_comment"]
    ))  # fmt: skip
    table_name = draw(st.sampled_from(sorted(world.tables)))
    table = world.tables[table_name]
    maker = _MAKERS.get(kind)
    return draw(_create_table(world)) if maker is None else maker(draw, world, table_name, table)


@st.composite
def _create_table(draw: st.DrawFn, world: _World) -> str:
    free = [t for t in TABLES if t not in world.tables]
    if not free:
        return ""
    name = draw(st.sampled_from(free))
    table = _Table()
    parts = []
    for column in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True)):
        type_name = draw(st.sampled_from([*sorted(TYPES), "serial", "bigserial"]))
        text = f"{quoted(column)} {type_name}"
        if type_name not in ("serial", "bigserial") and draw(st.booleans()):
            text += f" DEFAULT {TYPES[type_name]}"
        if draw(st.booleans()):
            text += " NOT NULL"
        if table.primary is None and draw(st.booleans()):
            text += " PRIMARY KEY"
            table.primary = column
        elif draw(st.integers(0, 4)) == 0:
            text += " UNIQUE"
        table.columns[column] = {"serial": "integer", "bigserial": "bigint"}.get(
            type_name, type_name
        )
        parts.append(text)
    world.tables[name] = table
    return f"CREATE TABLE {quoted(name)} ({', '.join(parts)})"


def _add(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    column = draw(st.sampled_from([n for n in NAMES if n not in table.columns] or ["zz"]))
    if column in table.columns:
        return ""
    type_name = draw(st.sampled_from(sorted(TYPES)))
    table.columns[column] = type_name
    word = draw(st.sampled_from(["ADD COLUMN", "ADD"]))
    return (
        f"ALTER TABLE {quoted(name)} {word} {quoted(column)} {type_name} DEFAULT {TYPES[type_name]}"
    )


def _drop(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if len(table.columns) < 2:
        return ""
    column = draw(st.sampled_from(sorted(table.columns)))
    del table.columns[column]
    if table.primary == column:
        table.primary = None
    table.constraints.clear()  # constraints on it go with it; keep the world simple
    table.indexes.clear()
    return f"ALTER TABLE {quoted(name)} DROP COLUMN {quoted(column)} CASCADE"


def _rename(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    old = draw(st.sampled_from(sorted(table.columns)))
    new = draw(st.sampled_from([n for n in NAMES if n not in table.columns] or ["zz"]))
    if new in table.columns:
        return ""
    table.columns[new] = table.columns.pop(old)
    if table.primary == old:
        table.primary = new
    word = draw(st.sampled_from(["RENAME COLUMN", "RENAME"]))
    return f"ALTER TABLE {quoted(name)} {word} {quoted(old)} TO {quoted(new)}"


def _type(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    candidates = sorted(c for c, t in table.columns.items() if t in WIDER)
    if not candidates or table.viewed:
        return ""
    column = draw(st.sampled_from(candidates))
    table.columns[column] = WIDER[table.columns[column]]
    return f"ALTER TABLE {quoted(name)} ALTER COLUMN {quoted(column)} TYPE {table.columns[column]}"


def _null(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    column = draw(st.sampled_from(sorted(table.columns)))
    action = "DROP NOT NULL" if column != table.primary and draw(st.booleans()) else "SET NOT NULL"
    return f"ALTER TABLE {quoted(name)} ALTER {quoted(column)} {action}"


def _default(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    column = draw(st.sampled_from(sorted(table.columns)))
    type_name = table.columns[column]
    if draw(st.booleans()) or type_name not in TYPES:
        return f"ALTER TABLE {quoted(name)} ALTER COLUMN {quoted(column)} DROP DEFAULT"
    return (
        f"ALTER TABLE {quoted(name)} ALTER COLUMN {quoted(column)} SET DEFAULT {TYPES[type_name]}"
    )


def _unique(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    columns = draw(
        st.lists(st.sampled_from(sorted(table.columns)), min_size=1, max_size=2, unique=True)
    )
    named = draw(st.booleans())
    constraint = world.fresh("uq") if named else None
    prefix = f"CONSTRAINT {constraint} " if constraint else ""
    return f"ALTER TABLE {quoted(name)} ADD {prefix}UNIQUE ({', '.join(map(quoted, columns))})"


def _check(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    numeric = sorted(c for c, t in table.columns.items() if t in ("integer", "bigint", "smallint"))
    if not numeric:
        return ""
    column = draw(st.sampled_from(numeric))
    valid = draw(st.sampled_from(["", " NOT VALID"]))
    return f"ALTER TABLE {quoted(name)} ADD CHECK ({quoted(column)} >= 0){valid}"


def _fk(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    targets = sorted(
        t for t, other in world.tables.items()
        if other.primary and other.columns[other.primary] == "integer"
    )  # fmt: skip
    if not targets:
        return ""
    target = draw(st.sampled_from(targets))
    column = world.fresh("ref_")
    table.columns[column] = "integer"
    actions = ["", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON UPDATE RESTRICT"]
    action = draw(st.sampled_from(actions))
    references = f"REFERENCES {quoted(target)}{action}"
    return f"ALTER TABLE {quoted(name)} ADD COLUMN {column} integer {references}"


def _index(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    column = draw(st.sampled_from(sorted(table.columns)))
    if table.columns[column] in ("jsonb", "text[]", "bytea"):
        return ""
    unique = draw(st.sampled_from(["", "UNIQUE "]))
    index = world.fresh("ix") if draw(st.booleans()) else ""
    if index:
        table.indexes.append(index)
    where = draw(st.sampled_from(["", f" WHERE {quoted(column)} IS NOT NULL"]))
    order = draw(st.sampled_from(["", " DESC"]))
    return f"CREATE {unique}INDEX {index} ON {quoted(name)} ({quoted(column)}{order}){where}"


def _drop_index(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if not table.indexes:
        return ""
    return f"DROP INDEX {table.indexes.pop()}"


def _drop_constraint(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if table.primary is None or table.pkey_renamed:
        return ""
    table.primary = None
    return f"ALTER TABLE {quoted(name)} DROP CONSTRAINT IF EXISTS {quoted(name + '_pkey')} CASCADE"


def _enum(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if len(world.enums) > 0 and draw(st.booleans()):
        enum = draw(st.sampled_from(sorted(world.enums)))
        value = world.fresh("v")
        where = draw(st.sampled_from(["", f" BEFORE '{world.enums[enum][0]}'"]))
        world.enums[enum].append(value)
        return f"ALTER TYPE {enum} ADD VALUE '{value}'{where}"
    enum = world.fresh("mood")
    world.enums[enum] = ["sad", "ok"]
    column = world.fresh("m")
    table.columns[column] = enum
    return (
        f"CREATE TYPE {enum} AS ENUM ('sad', 'ok');\n"
        f"ALTER TABLE {quoted(name)} ADD {column} {enum} DEFAULT 'ok'"
    )


def _comment(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    text = draw(st.sampled_from(["'Hello'", "'it''s'", "NULL", "E'a\\nb'"]))
    if draw(st.booleans()):
        return f"COMMENT ON TABLE {quoted(name)} IS {text}"
    column = draw(st.sampled_from(sorted(table.columns)))
    return f"COMMENT ON COLUMN {quoted(name)}.{quoted(column)} IS {text}"


def _rename_table(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    free = [t for t in TABLES if t not in world.tables]
    if not free:
        return ""
    new = draw(st.sampled_from(free))
    world.tables[new] = world.tables.pop(name)
    world.tables[new].pkey_renamed = True  # the key keeps its old name
    return f"ALTER TABLE {quoted(name)} RENAME TO {quoted(new)}"


def _drop_table(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    del world.tables[name]
    return f"DROP TABLE {quoted(name)} CASCADE"


def _rename_constraint(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if table.primary is None:
        return ""
    new = world.fresh("pk")
    if table.pkey_renamed:
        return ""
    table.pkey_renamed = True
    return f"ALTER TABLE {quoted(name)} RENAME CONSTRAINT {quoted(name + '_pkey')} TO {new}"


def _rename_index(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if not table.indexes:
        return ""
    old, new = table.indexes.pop(), world.fresh("ix")
    table.indexes.append(new)
    return f"ALTER INDEX {old} RENAME TO {new}"


def _view(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    columns = sorted(table.columns)
    table.viewed = True
    chosen = draw(st.sampled_from(["*", quoted(columns[0]), f"{quoted(columns[0])} AS alias"]))
    return f"CREATE VIEW {world.fresh('v')} AS SELECT {chosen} FROM {quoted(name)}"


def _schema(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    schema = world.fresh("s")
    return (
        f"CREATE SCHEMA {schema};\n"
        f"CREATE TABLE {schema}.{quoted(name)} (id serial PRIMARY KEY, up integer"
        f" REFERENCES {schema}.{quoted(name)} ON DELETE SET NULL);\n"
        f"CREATE INDEX ON {schema}.{quoted(name)} (up)"
    )


def _domain(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    domain = world.fresh("dom")
    base = draw(st.sampled_from(["integer", "text", "varchar(20)", "numeric(10,2)"]))
    clauses = draw(st.lists(st.sampled_from(
        [f"DEFAULT {TYPES[base]}", "NOT NULL", "CHECK (VALUE IS NOT NULL)",
         f"CONSTRAINT {world.fresh('c')} CHECK (VALUE IS DISTINCT FROM NULL)"]
    ), max_size=3, unique=True))  # fmt: skip
    column = world.fresh("d")
    table.columns[column] = domain
    later = draw(st.sampled_from(
        ["", "SET NOT NULL", "DROP NOT NULL", "DROP DEFAULT", f"SET DEFAULT {TYPES[base]}",
         "ADD CHECK (VALUE IS NOT NULL)", f"RENAME TO {domain}x"]
    ))  # fmt: skip
    if later.startswith("RENAME"):
        table.columns[column] = f"{domain}x"
    return (
        f"CREATE DOMAIN {domain} AS {base} {' '.join(clauses)};\n"
        f"ALTER TABLE {quoted(name)} ADD {column} {domain}"
        + (f";\nALTER DOMAIN {domain} {later}" if later else "")
    )


def _composite(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    composite = world.fresh("pair")
    attributes = draw(st.lists(st.sampled_from(sorted(TYPES)), min_size=1, max_size=3))
    column = world.fresh("p")
    table.columns[column] = composite
    listed = ", ".join(f"f{n} {type_name}" for n, type_name in enumerate(attributes))
    array = draw(st.sampled_from(["", "[]"]))
    later = draw(st.sampled_from(
        ["", f"ADD ATTRIBUTE g {draw(st.sampled_from(sorted(TYPES)))} CASCADE",
         "RENAME ATTRIBUTE f0 TO h CASCADE", "DROP ATTRIBUTE f0 CASCADE",
         f"RENAME TO {composite}x"]
    ))  # fmt: skip
    if later.startswith("RENAME TO"):
        table.columns[column] = f"{composite}x"
    return (
        f"CREATE TYPE {composite} AS ({listed});\n"
        f"ALTER TABLE {quoted(name)} ADD {column} {composite}{array}"
        + (f";\nALTER TYPE {composite} {later}" if later else "")
    )


def _table_as(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    free = [t for t in TABLES if t not in world.tables]
    if not free:
        return ""
    new = draw(st.sampled_from(free))
    columns = draw(st.lists(st.sampled_from(sorted(table.columns)), max_size=3, unique=True))
    world.tables[new] = _Table({c: table.columns[c] for c in columns or sorted(table.columns)})
    if not columns:
        world.tables[new].columns = dict(table.columns)
    picked = ", ".join(quoted(c) for c in columns) or "*"
    data = draw(st.sampled_from(["", " WITH NO DATA", " WITH DATA"]))
    return f"CREATE TABLE {quoted(new)} AS SELECT {picked} FROM {quoted(name)}{data}"


def _owned_by(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    sequence = world.fresh("seq")
    column = draw(st.sampled_from(sorted(table.columns)))
    owner = draw(st.sampled_from([f"{quoted(name)}.{quoted(column)}", "NONE"]))
    return f"CREATE SEQUENCE {sequence};\nALTER SEQUENCE {sequence} OWNED BY {owner}"


def _constraint_comment(draw: st.DrawFn, world: _World, name: str, table: _Table) -> str:
    if table.primary is None or table.pkey_renamed:
        return ""
    text = draw(st.sampled_from(["'The key'", "NULL", "'it''s'"]))
    return f"COMMENT ON CONSTRAINT {quoted(name + '_pkey')} ON {quoted(name)} IS {text}"


_MAKERS = {
    "domain": _domain, "composite": _composite, "table_as": _table_as, "owned_by": _owned_by,
    "constraint_comment": _constraint_comment,
    "rename_constraint": _rename_constraint, "rename_index": _rename_index, "view": _view,
    "schema": _schema,
    "add": _add, "drop": _drop, "rename": _rename, "type": _type, "null": _null,
    "default": _default, "unique": _unique, "check": _check, "fk": _fk, "index": _index,
    "drop_index": _drop_index, "drop_constraint": _drop_constraint, "enum": _enum,
    "comment": _comment, "rename_table": _rename_table, "drop_table": _drop_table,
}  # fmt: skip
