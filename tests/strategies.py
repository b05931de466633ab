"""Hypothesis strategies: random migration folders that SQLite accepts.

A folder is built statement group by statement group. Each group is tried at once in a
scratch SQLite database (inside a savepoint) and kept only when SQLite accepts it, so the
shadow state the next group is drawn from is SQLite's own schema (``read_schema``), never a
guess. Groups are drawn to be valid most of the time; the few SQLite refuses (dropping an
indexed column, a UNIQUE index over duplicates, ...) are simply left out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from hypothesis import strategies as st

from erdgen.dialects.sqlite.lexer import tokens
from erdgen.dialects.sqlite.readback import read_schema
from erdgen.model import Schema, Table, ascii_fold

Draw = st.DrawFn

# Names SQLite folds (ASCII A-Z) and does not fold (Ä and ä are two letters to SQLite), and
# names with characters Python calls space that SQLite reads as part of a bare name.
TABLE_NAMES = (
    "users", "Posts", "tags", "audit_log", "Items", "order lines", "Äpfel", "äpfel",
    "a\u00a0b", "Straße",
)  # fmt: skip
COLUMN_NAMES = (
    "id", "name", "email", "created_at", "score", "owner_id", "Note", "flag", "kind", "Größe",
    "größe", "x\u2003y",
)  # fmt: skip
VIRTUAL_NAMES = ("search", "Docs_FTS", "boxes")
RENAMED_COLUMNS = ("title", "Amount", "updated_at", "full name")
INDEX_NAMES = ("idx_a", "idx_b", "Idx_C", "idx d")
VIEW_NAMES = ("v_recent", "V_Summary")
TRIGGER_NAMES = ("trg_touch", "Trg_Audit")

# Declared types from SQLite's documentation (section 3.1 of "Datatypes In SQLite"), some with
# unusual spacing or case: SQLite keeps the text as written.
TYPES = (
    "INTEGER",
    "INT",
    "TINYINT",
    "BIGINT",
    "UNSIGNED BIG INT",
    "INT2",
    "INT8",
    "CHARACTER(20)",
    "VARCHAR(255)",
    "VARYING CHARACTER(255)",
    "NCHAR(55)",
    "NATIVE CHARACTER(70)",
    "NVARCHAR(100)",
    "TEXT",
    "CLOB",
    "BLOB",
    "REAL",
    "DOUBLE",
    "DOUBLE PRECISION",
    "FLOAT",
    "NUMERIC",
    "DECIMAL(10,5)",
    "decimal(10, 5)",
    "BOOLEAN",
    "DATE",
    "DATETIME",
    "varchar (32)",
    "",
)
STRICT_TYPES = ("INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY")
DEFAULTS = (
    "0",
    "-1",
    "+3",
    "1.5",
    "-2.5",
    "-0.5e3",
    "'text'",
    "'it''s'",
    "'a;b'",
    "NULL",
    "TRUE",
    "FALSE",
    "CURRENT_TIMESTAMP",
    "CURRENT_DATE",
    "x'00ff'",
    "(1 + 2)",
    "(-1)",
    "(datetime('now'))",
    "(lower('X'))",
)
ACTIONS = ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION")
COLLATIONS = ("NOCASE", "RTRIM", "BINARY", "nocase")


def ascii_upper(name: str) -> str:
    return "".join(c.upper() if c.isascii() else c for c in name)


def quote(draw: Draw, name: str, *, vary_case: bool = False) -> str:
    """An identifier in one of SQLite's quoting styles; references may change its case
    (ASCII letters: the same name to SQLite; now and then every letter: maybe another)."""
    if vary_case:
        cases = (name, ascii_upper(name), ascii_fold(name), name, name.upper())
        name = draw(st.sampled_from(cases))
    plain = all(c.isalnum() or c in "_$" or ord(c) >= 0x80 for c in name)
    plain = plain and not name[0].isdigit()
    styles = ("bare", '"', "`", "[") if plain else ('"', "`", "[")
    style = draw(st.sampled_from(styles))
    if style == '"':
        return '"' + name.replace('"', '""') + '"'
    if style == "`":
        return "`" + name.replace("`", "``") + "`"
    if style == "[":
        return f"[{name}]"
    return name


def ref(draw: Draw, name: str) -> str:
    """A reference to an existing object: any quoting style, any case."""
    return quote(draw, name, vary_case=True)


@dataclass(frozen=True, slots=True)
class Group:
    """Statements that only make sense together (a rebuild), and what a rebuild rebuilt."""

    statements: tuple[str, ...]
    rebuilt: str | None = None  # the table
    temporary: str | None = None  # the table's other name during the rebuild
    undone: str | None = None  # "BEGIN" or "SAVEPOINT": the statements are rolled back

    def emitted(self) -> tuple[str, ...]:
        """The statements as written in the file (an undone group inside its transaction)."""
        if self.undone == "BEGIN":
            return ("BEGIN", *self.statements, "ROLLBACK")
        if self.undone == "SAVEPOINT":
            inner = ("SAVEPOINT before_try", *self.statements, "ROLLBACK TO before_try")
            return (*inner, "RELEASE before_try")
        return self.statements


@dataclass(frozen=True, slots=True)
class Rebuild:
    file_index: int
    table: str  # its name after the rebuild
    temporary: str  # x_new or x_old


@dataclass(frozen=True, slots=True)
class Folder:
    """A generated migrations folder: file texts in order, and the rebuilds per file."""

    files: tuple[str, ...]
    rebuilds: tuple[Rebuild, ...]

    def file_names(self) -> tuple[str, ...]:
        return tuple(f"{n + 1:04d}_step_{n + 1}.sql" for n in range(len(self.files)))


class Sandbox:
    """A scratch SQLite database that keeps a group only when SQLite accepts all of it."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", isolation_level=None)

    def accepts(self, group: Group) -> bool:
        """Keep the group when SQLite accepts all of it (an undone group leaves nothing)."""
        self.conn.execute("SAVEPOINT candidate")
        try:
            for statement in group.statements:
                self.conn.execute(statement)
        except sqlite3.Error:
            self.conn.execute("ROLLBACK TO candidate")
            self.conn.execute("RELEASE candidate")
            self.conn.execute("PRAGMA legacy_alter_table = OFF")  # not undone by a rollback
            return False
        if group.undone:
            self.conn.execute("ROLLBACK TO candidate")
        self.conn.execute("RELEASE candidate")
        return True

    def schema(self) -> Schema:
        return read_schema(self.conn)

    def close(self) -> None:
        self.conn.close()


# --- column and table definitions ----------------------------------------------------------


def column_definition(
    draw: Draw,
    name: str,
    schema: Schema,
    *,
    strict: bool,
    table_level: bool = True,
    earlier: Sequence[str] = (),
) -> str:
    """``name type constraints``; ``table_level`` False keeps to what ADD COLUMN allows."""
    types = STRICT_TYPES if strict else TYPES
    type_ = draw(st.sampled_from(types))
    parts = [quote(draw, name)] + ([type_] if type_ else [])
    if earlier and draw(st.integers(0, 9)) == 0:
        source = ref(draw, draw(st.sampled_from(earlier)))
        stored = " STORED" if table_level and draw(st.booleans()) else ""
        prefix = "GENERATED ALWAYS " if draw(st.booleans()) else ""
        return " ".join(parts) + f" {prefix}AS (length({source})){stored}"
    constraints: list[str] = []
    if draw(st.integers(0, 3)) == 0:
        constraints.append("NOT NULL")
    if draw(st.integers(0, 2)) == 0:
        constraints.append("DEFAULT " + draw(st.sampled_from(DEFAULTS)))
    if table_level and draw(st.integers(0, 5)) == 0:
        constraints.append("UNIQUE")
    if draw(st.integers(0, 6)) == 0:
        constraints.append(f"CHECK ({quote(draw, name)} IS NOT 'bad;value')")
    if draw(st.integers(0, 5)) == 0:
        constraints.append("COLLATE " + draw(st.sampled_from(COLLATIONS)))
    if schema.tables and draw(st.integers(0, 3)) == 0:
        constraints.append(references(draw, schema))
    return " ".join(parts + draw(st.permutations(constraints)))


def references(draw: Draw, schema: Schema) -> str:
    target: Table = draw(st.sampled_from(schema.tables))
    clause = "REFERENCES " + ref(draw, target.name)
    if draw(st.booleans()):
        column = draw(st.sampled_from(target.columns))
        clause += f" ({ref(draw, column.name)})"
    for event in ("DELETE", "UPDATE"):
        if draw(st.integers(0, 2)) == 0:
            clause += f" ON {event} " + draw(st.sampled_from(ACTIONS))
    return clause


def table_body(
    draw: Draw, schema: Schema, columns: Sequence[str], *, strict: bool, without_rowid: bool
) -> str:
    """The parenthesised part of CREATE TABLE: columns, a primary key, table constraints."""
    definitions = [
        column_definition(draw, name, schema, strict=strict, earlier=columns[:position])
        for position, name in enumerate(columns)
    ]
    key_kind = draw(st.sampled_from(("column", "integer", "composite", "none")))
    if without_rowid and key_kind == "none":
        key_kind = "column"
    if key_kind == "integer" and not strict and not without_rowid:
        autoincrement = " AUTOINCREMENT" if draw(st.booleans()) else ""
        definitions[0] = f"{quote(draw, columns[0])} INTEGER PRIMARY KEY{autoincrement}"
    elif key_kind in ("column", "integer"):
        order = " DESC" if draw(st.integers(0, 4)) == 0 else ""
        definitions[0] += f" PRIMARY KEY{order}"
    constraints: list[str] = []
    if key_kind == "composite" and len(columns) >= 2:
        named = "CONSTRAINT pk_x " if draw(st.booleans()) else ""
        keys = draw(st.permutations(columns[:2]))
        constraints.append(named + f"PRIMARY KEY ({', '.join(quote(draw, k) for k in keys)})")
    elif key_kind == "composite":
        definitions[0] += " PRIMARY KEY"
    if len(columns) >= 2 and draw(st.integers(0, 3)) == 0:
        constraints.append(f"UNIQUE ({quote(draw, columns[1])}, {quote(draw, columns[0])})")
    if draw(st.integers(0, 4)) == 0:
        constraints.append(f"CONSTRAINT chk CHECK (length({quote(draw, columns[-1])}) < 100)")
    if schema.tables and draw(st.integers(0, 3)) == 0:
        constraints.append(f"FOREIGN KEY ({quote(draw, columns[-1])}) " + references(draw, schema))
    if len(constraints) > 1 and draw(st.integers(0, 3)) == 0:
        # SQLite's grammar lets whitespace alone separate table constraints
        constraints = ["\n  ".join(constraints)]
    lines = [*definitions, *constraints]
    if draw(st.integers(0, 3)) == 0:
        lines = [f"{line}, -- note; {n}" for n, line in enumerate(lines[:-1])] + lines[-1:]
        return "(\n  " + "\n  ".join(lines) + "\n)"
    return "(\n  " + ",\n  ".join(lines) + "\n)"


def table_options(draw: Draw) -> tuple[bool, bool]:
    """(strict, without_rowid), each now and then."""
    return draw(st.integers(0, 5)) == 0, draw(st.integers(0, 5)) == 0


def options_text(strict: bool, without_rowid: bool) -> str:
    options = [word for word, on in (("WITHOUT ROWID", without_rowid), ("STRICT", strict)) if on]
    return (" " + ", ".join(options)) if options else ""


def column_names(draw: Draw) -> list[str]:
    return draw(
        st.lists(st.sampled_from(COLUMN_NAMES), min_size=1, max_size=5, unique_by=ascii_fold)
    )


# --- statement groups -----------------------------------------------------------------------


def create_table(draw: Draw, schema: Schema) -> Group:
    name = draw(st.sampled_from(TABLE_NAMES))
    strict, without_rowid = table_options(draw)
    body = table_body(draw, schema, column_names(draw), strict=strict, without_rowid=without_rowid)
    exists = "IF NOT EXISTS " if draw(st.integers(0, 3)) == 0 else ""
    sql = f"CREATE TABLE {exists}{quote(draw, name)} {body}{options_text(strict, without_rowid)}"
    return Group((sql,))


def pick_table(draw: Draw, schema: Schema) -> Table:
    return draw(st.sampled_from(schema.tables))


def add_column(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    name = draw(st.sampled_from(COLUMN_NAMES + RENAMED_COLUMNS))
    existing = [c.name for c in table.columns]
    column = column_definition(
        draw, name, schema, strict=table.strict, table_level=False, earlier=existing
    )
    keyword = "ADD COLUMN" if draw(st.booleans()) else "ADD"
    return Group((f"ALTER TABLE {ref(draw, table.name)} {keyword} {column}",))


def drop_column(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    column = draw(st.sampled_from(table.columns))
    return Group((f"ALTER TABLE {ref(draw, table.name)} DROP COLUMN {ref(draw, column.name)}",))


def rename_column(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    column = draw(st.sampled_from(table.columns))
    new = quote(draw, draw(st.sampled_from(RENAMED_COLUMNS + COLUMN_NAMES)))
    keyword = "RENAME COLUMN" if draw(st.booleans()) else "RENAME"
    return Group(
        (f"ALTER TABLE {ref(draw, table.name)} {keyword} {ref(draw, column.name)} TO {new}",)
    )


def rename_table(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    new = quote(draw, draw(st.sampled_from(TABLE_NAMES)))
    return Group((f"ALTER TABLE {ref(draw, table.name)} RENAME TO {new}",))


def drop_table(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    exists = "IF EXISTS " if draw(st.booleans()) else ""
    return Group((f"DROP TABLE {exists}{ref(draw, table.name)}",))


def rebuild_table(draw: Draw, schema: Schema) -> Group:
    """SQLite's twelve-step rebuild, in the two forms real folders use."""
    table = pick_table(draw, schema)
    kept = [c.name for c in table.columns if c.hidden == "normal"]
    kept = list(draw(st.lists(st.sampled_from(kept), min_size=1, unique=True))) if kept else []
    if not kept:
        return Group(())
    extra = [n for n in column_names(draw) if all(ascii_fold(n) != ascii_fold(k) for k in kept)]
    columns = [str(k) for k in kept] + extra[:1]
    strict, without_rowid = table_options(draw)
    others = Schema(tuple(t for t in schema.tables if t.name != table.name))
    body = table_body(draw, others, columns, strict=strict, without_rowid=without_rowid)
    options = options_text(strict, without_rowid)
    copied = ", ".join(quote(draw, str(k)) for k in kept)
    name = table.name
    if draw(st.booleans()):
        temp = f"{name}_new"
        statements = (
            f"CREATE TABLE {quote(draw, temp)} {body}{options}",
            f"INSERT INTO {quote(draw, temp)} ({copied}) SELECT {copied} FROM {ref(draw, name)}",
            f"DROP TABLE {ref(draw, name)}",
            f"ALTER TABLE {ref(draw, temp)} RENAME TO {quote(draw, name)}",
        )
    else:
        temp = f"{name}_old"
        statements = (
            f"ALTER TABLE {ref(draw, name)} RENAME TO {quote(draw, temp)}",
            f"CREATE TABLE {quote(draw, name)} {body}{options}",
            f"INSERT INTO {ref(draw, name)} ({copied}) SELECT {copied} FROM {ref(draw, temp)}",
            f"DROP TABLE {ref(draw, temp)}",
        )
    return Group(statements, rebuilt=name, temporary=temp)


def create_index(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    names = [c.name for c in table.columns]
    keys = []
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        column = ref(draw, str(name))
        typo = '"' + name.replace('"', '""') + '_typo"'  # names no column: SQLite's string
        key = draw(st.sampled_from((column, column, f"lower({column})", f"({column} + 1)", typo)))
        if draw(st.integers(0, 3)) == 0:
            key += " COLLATE NOCASE"
        key += draw(st.sampled_from(("", "", " ASC", " DESC")))
        keys.append(key)
    unique = "UNIQUE " if draw(st.integers(0, 3)) == 0 else ""
    exists = "IF NOT EXISTS " if draw(st.integers(0, 3)) == 0 else ""
    name = quote(draw, draw(st.sampled_from(INDEX_NAMES)))
    where = ""
    if draw(st.integers(0, 3)) == 0:
        where = f"\n  WHERE {ref(draw, draw(st.sampled_from(names)))} IS NOT NULL"
    sql = (
        f"CREATE {unique}INDEX {exists}{name} ON {ref(draw, table.name)} ({', '.join(keys)}){where}"
    )
    return Group((sql,))


def drop_index(draw: Draw, schema: Schema) -> Group:
    indexes = [i.name for t in schema.tables for i in t.indexes if i.origin == "c"]
    if not indexes:
        return Group(())
    exists = "IF EXISTS " if draw(st.booleans()) else ""
    return Group((f"DROP INDEX {exists}{ref(draw, draw(st.sampled_from(indexes)))}",))


def create_view(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    columns = draw(
        st.lists(st.sampled_from([c.name for c in table.columns]), min_size=1, unique=True)
    )
    selected = ", ".join(ref(draw, str(c)) for c in columns)
    exists = "IF NOT EXISTS " if draw(st.integers(0, 3)) == 0 else ""
    name = quote(draw, draw(st.sampled_from(VIEW_NAMES)))
    source = ref(draw, table.name)
    sql = f"CREATE VIEW {exists}{name} AS\n  SELECT {selected} -- shown\n  FROM {source}"
    return Group((sql,))


def create_trigger(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    other = pick_table(draw, schema)
    column = ref(draw, draw(st.sampled_from([c.name for c in table.columns])))
    event = draw(st.sampled_from(("INSERT", "UPDATE", f"UPDATE OF {column}", "DELETE")))
    row = "OLD" if event == "DELETE" else "NEW"
    target = ref(draw, other.name)
    other_column = ref(draw, other.columns[0].name)
    body = draw(
        st.lists(
            st.sampled_from(
                (
                    f"UPDATE {target} SET {other_column} = {other_column} WHERE 0;",
                    f"DELETE FROM {target} WHERE {other_column} = ';';",
                    f"SELECT RAISE(ABORT, 'no; way') WHERE {row}.{column} IS NULL AND 0;",
                    f"INSERT INTO {target} ({other_column}) SELECT {row}.{column} WHERE 0;",
                )
            ),
            min_size=1,
            max_size=3,
        )
    )
    timing = draw(st.sampled_from(("AFTER", "BEFORE", "")))
    name = quote(draw, draw(st.sampled_from(TRIGGER_NAMES)))
    head = f"CREATE TRIGGER {name} {timing} {event} ON {ref(draw, table.name)}".replace("  ", " ")
    sql = head + " FOR EACH ROW\nBEGIN\n  " + "\n  ".join(str(s) for s in body) + "\nEND"
    return Group((sql,))


def drop_view_or_trigger(draw: Draw, schema: Schema) -> Group:
    objects = [("VIEW", v.name) for v in schema.views] + [
        ("TRIGGER", t.name) for t in schema.triggers
    ]
    if not objects:
        return Group(())
    kind, name = draw(st.sampled_from(objects))
    exists = "IF EXISTS " if draw(st.booleans()) else ""
    return Group((f"DROP {kind} {exists}{ref(draw, name)}",))


def data(draw: Draw, schema: Schema) -> Group:
    table = pick_table(draw, schema)
    column = table.columns[0]
    target, name = ref(draw, table.name), ref(draw, column.name)
    value = draw(st.sampled_from(("1", "'x'", "NULL", "-2")))
    statements = (
        f"INSERT INTO {target} ({name}) VALUES ({value})",
        f"INSERT OR IGNORE INTO {target} ({name}) VALUES ({value})",
        f"REPLACE INTO {target} ({name}) VALUES ({value})",
        f"UPDATE {target} SET {name} = {value} WHERE {name} IS NULL",
        f"DELETE FROM {target} WHERE {name} = {value}",
    )
    return Group((draw(st.sampled_from(statements)),))


def legacy_rebuild(draw: Draw, schema: Schema) -> Group:
    """The rebuild of a tool that sets ``PRAGMA legacy_alter_table=ON`` first: renaming the
    table away leaves views (and, without foreign_keys=ON, foreign keys) on the old name."""
    table = pick_table(draw, schema)
    kept = [c.name for c in table.columns if c.hidden == "normal"]
    if not kept or table.shadow_tables:
        return Group(())
    others = Schema(tuple(t for t in schema.tables if t.name != table.name))
    body = table_body(draw, others, kept, strict=False, without_rowid=False)
    name, temp = table.name, f"{table.name}_old"
    copied = ", ".join(quote(draw, str(k)) for k in kept)
    keys_on = draw(st.booleans())
    statements = (
        *(("PRAGMA foreign_keys = ON",) if keys_on else ()),
        "PRAGMA legacy_alter_table = ON",
        f"ALTER TABLE {ref(draw, name)} RENAME TO {quote(draw, temp)}",
        *(("PRAGMA foreign_keys = OFF",) if keys_on else ()),
        f"CREATE TABLE {quote(draw, name)} {body}",
        f"INSERT INTO {ref(draw, name)} ({copied}) SELECT {copied} FROM {ref(draw, temp)}",
        f"DROP TABLE {ref(draw, temp)}",
        "PRAGMA legacy_alter_table = OFF",
    )
    return Group(statements, rebuilt=name, temporary=temp)


def create_virtual_table(draw: Draw, schema: Schema) -> Group:
    """FTS5 (also with external content), FTS4 and R*Tree tables, as search tables are."""
    name = quote(draw, draw(st.sampled_from(VIRTUAL_NAMES)))
    module = draw(st.sampled_from(("fts5", "fts5", "fts4", "rtree")))
    if module == "rtree":
        arguments = ["id", "min_x", "max_x", *draw(st.sampled_from(([], ["+label"])))]
    else:
        columns = [quote(draw, c) for c in column_names(draw)]
        if module == "fts5" and draw(st.booleans()):
            columns[-1] += " UNINDEXED"
        options = ["tokenize = 'porter unicode61'", "prefix = '2 3'"]
        if schema.tables and module == "fts5":
            options.append(f"content = {ref(draw, pick_table(draw, schema).name)}")
        arguments = columns + draw(st.lists(st.sampled_from(options), max_size=2, unique=True))
    exists = "IF NOT EXISTS " if draw(st.integers(0, 3)) == 0 else ""
    return Group((f"CREATE VIRTUAL TABLE {exists}{name} USING {module}({', '.join(arguments)})",))


def create_table_as(draw: Draw, schema: Schema) -> Group:
    """CREATE TABLE ... AS SELECT / VALUES: columns named and typed from the result."""
    name = quote(draw, draw(st.sampled_from(TABLE_NAMES)))
    if draw(st.integers(0, 3)) == 0:
        return Group((f"CREATE TABLE {name} AS VALUES (1, 2.5, 'x', NULL)",))
    table = pick_table(draw, schema)
    columns = [ref(draw, c.name) for c in table.columns]
    choices = [*columns, *(f"{c} + 1" for c in columns), "1.5 AS r", "'text' AS s"]
    choices += [f"CAST({c} AS TEXT) AS c{n}" for n, c in enumerate(columns)]
    picked = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=4))
    return Group(
        (f"CREATE TABLE {name} AS SELECT {', '.join(picked)} FROM {ref(draw, table.name)}",)
    )


def scratch_table(draw: Draw, schema: Schema) -> Group:
    """A table for a data move, created and dropped in the same migration."""
    table = pick_table(draw, schema)
    column = ref(draw, table.columns[0].name)
    return Group(
        (
            "CREATE TABLE scratch (x)",
            f"INSERT INTO scratch SELECT {column} FROM {ref(draw, table.name)}",
            "DROP TABLE scratch",
        )
    )


def temporary_objects(draw: Draw, schema: Schema) -> Group:
    """Objects of the temp schema: notices, never part of the model."""
    return Group(
        (
            "CREATE TEMP TABLE IF NOT EXISTS tmp_rows (a, b)",
            "CREATE INDEX IF NOT EXISTS temp.tmp_rows_a ON tmp_rows (a)",
            "CREATE TEMP VIEW IF NOT EXISTS tmp_view AS SELECT a FROM tmp_rows",
        )
    )


def undone(draw: Draw, schema: Schema) -> Group:
    """Statements undone by ROLLBACK (to a savepoint): the model must lose them again."""
    maker = draw(st.sampled_from(UNDOABLE))
    inner = maker(draw, schema)
    return Group(inner.statements, undone=draw(st.sampled_from(("BEGIN", "SAVEPOINT"))))


_SPACES = (" ", " ", " ", "\t", "\n", "\f", "\r", "  \f ")  # SQLite's whitespace only


def respaced(draw: Draw, sql: str) -> str:
    """``sql`` with some single spaces between tokens replaced by other SQLite whitespace
    (never the newline that ends a -- comment, never inside a quoted name or string)."""
    if draw(st.integers(0, 2)):
        return sql
    parts = []
    for token in tokens(sql):
        text = token.text
        if token.kind == "space" and text == " ":
            text = draw(st.sampled_from(_SPACES))
        parts.append(text)
    return "".join(parts)


GroupMaker = Callable[[Draw, Schema], Group]
MAKERS: tuple[tuple[GroupMaker, int], ...] = (
    (create_table, 6),
    (add_column, 3),
    (drop_column, 2),
    (rename_column, 2),
    (rename_table, 1),
    (drop_table, 1),
    (rebuild_table, 3),
    (create_index, 3),
    (drop_index, 1),
    (create_view, 1),
    (create_trigger, 2),
    (drop_view_or_trigger, 1),
    (data, 2),
    (legacy_rebuild, 2),
    (create_virtual_table, 1),
    (create_table_as, 1),
    (scratch_table, 1),
    (temporary_objects, 1),
    (undone, 2),
)
UNDOABLE: tuple[GroupMaker, ...] = (
    create_table, add_column, drop_column, rename_column, rename_table, drop_table, rebuild_table,
    create_index, create_view, create_trigger, create_virtual_table, legacy_rebuild,
)  # fmt: skip
WEIGHTED = tuple(maker for maker, weight in MAKERS for _ in range(weight))


def next_group(draw: Draw, schema: Schema) -> Group:
    maker = create_table if not schema.tables else draw(st.sampled_from(WEIGHTED))
    return maker(draw, schema)


def file_text(draw: Draw, number: int, statements: Sequence[str]) -> str:
    header = f"-- Migration {number}: generated; a header comment with a ';'\n\n"
    body = "\n\n".join(f"{statement};" for statement in statements)
    if "BEGIN" not in statements and draw(st.integers(0, 5)) == 0:
        body = f"BEGIN TRANSACTION;\n{body}\nCOMMIT;"
    return header + body + "\n"


@st.composite
def folders(draw: Draw, max_files: int = 4, max_groups: int = 5) -> Folder:
    """A folder of migrations SQLite applies cleanly, with the rebuilds it contains."""
    sandbox = Sandbox()
    files: list[str] = []
    rebuilds: list[Rebuild] = []
    try:
        for _ in range(draw(st.integers(1, max_files))):
            statements: list[str] = []
            for _ in range(draw(st.integers(1, max_groups))):
                group = next_group(draw, sandbox.schema())
                group = replace(
                    group, statements=tuple(respaced(draw, s) for s in group.statements)
                )
                if group.statements and sandbox.accepts(group):
                    statements.extend(group.emitted())
                    if group.rebuilt is not None:
                        final = sandbox.schema().table(group.rebuilt)
                        name = final.name if final else group.rebuilt
                        rebuilds.append(Rebuild(len(files), name, group.temporary or ""))
            if statements:
                files.append(file_text(draw, len(files) + 1, statements))
    finally:
        sandbox.close()
    if not files:  # every group was refused: a folder has one migration at least
        files.append(file_text(draw, 1, ["CREATE TABLE fallback (a)"]))
    return Folder(tuple(files), tuple(rebuilds))
