"""The rules that read one schema state: keys, indexes, column types, descriptions.

Each is one ``@schema_rule`` function yielding ``Problem``s; ``erdgen.rules.lint`` places
a problem at the statement that introduced it (the first migration from which it stays
until the end); ``missing-description`` places its findings itself, at the definition a
comment would describe. Type names and affinity: SQLite's "Datatypes In SQLite"
(datatype3.html).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from erdgen.errors import Severity
from erdgen.keys import is_required
from erdgen.model import EXACT, Column, IdentifierRule, Index, Schema, Table
from erdgen.rules.definitions import Definitions
from erdgen.rules.registry import Problem, Report, Subject, Texts, project_rule, schema_rule

W, E = Severity.WARNING, Severity.ERROR
SQLITE = ("sqlite", "libsql")  # rules about SQLite's type names, affinity and quoting


@schema_rule("table-without-primary-key", W, "a table has no primary key")
def table_without_primary_key(schema: Schema, _: Texts) -> Iterator[Problem]:
    """PostgreSQL: a table is keyed by a PRIMARY KEY constraint (``pg_constraint`` contype
    ``p``), its own or, for a partition, its partitioned parent's; a partitioned parent
    holds no rows. Without one, rows are told apart only by ``ctid``, which changes when a
    row is updated, and logical replication cannot replicate UPDATE and DELETE on the table
    (REPLICA IDENTITY DEFAULT uses the primary key: "Logical Replication", Publication)."""
    for table in schema.tables:
        if table.primary_key or _keyed_by_parent(schema, table):
            continue
        if table.partition_key is not None:
            continue  # the parent holds no rows; its partitions are checked one by one
        if schema.names is EXACT:  # PostgreSQL's rule for names: a PostgreSQL schema
            why = "rows can only be told apart by ctid, which changes on UPDATE"
        else:
            why = "rows can only be told apart by rowid"
        yield Problem(f"table {table.name} has no primary key ({why})", (table.name,))


def _keyed_by_parent(schema: Schema, table: Table) -> bool:
    """A partition gets the primary key of its partitioned parent (CREATE TABLE, PARTITION
    OF: "the partition inherits the parent's primary key")."""
    if table.partition_bound is None:
        return False
    return any(
        parent is not None and parent.primary_key
        for parent in (schema.table(name) for name in table.inherits)
    )


@schema_rule("foreign-key-target-missing", E, "a foreign key points at a missing table or column")
def foreign_key_target_missing(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        for key in table.foreign_keys:
            source = f"{table.name}({', '.join(key.columns)})"
            target = schema.table(key.ref_table)
            if target is None:
                yield Problem(
                    f"foreign key {source} references table {key.ref_table}, which does not exist",
                    (table.name,),
                )
                continue
            for column in key.ref_columns:
                if target.column(column) is None:
                    yield Problem(
                        f"foreign key {source} references column {key.ref_table}.{column}, "
                        "which does not exist",
                        (table.name,),
                    )
            if not key.ref_columns and not target.primary_key:
                yield Problem(
                    f"foreign key {source} references {key.ref_table} without naming columns, "
                    f"and {key.ref_table} has no primary key",
                    (table.name,),
                )


@schema_rule("foreign-key-without-index", W, "no index starts with a foreign key's columns")
def foreign_key_without_index(schema: Schema, _: Texts) -> Iterator[Problem]:
    """Neither SQLite nor PostgreSQL indexes the referencing side of a foreign key (SQLite:
    foreignkeys.html, section 3; PostgreSQL: "Constraints", 5.4.5: "a declaration of a
    foreign key constraint does not automatically create an index on the referencing
    columns"); each delete or key update on the referenced table then scans this one."""
    postgres = schema.names is EXACT
    for table in schema.tables:
        parent = _partitioned_parent(schema, table)
        for key in table.foreign_keys:
            if parent is not None and key in parent.foreign_keys:
                continue  # a partition's clone of its parent's key: reported at the parent
            if _is_indexed(table, key.columns, parent):
                continue
            columns = ", ".join(key.columns)
            message = (
                f"foreign key {table.name}({columns}) -> {key.ref_table} has no index "
                f"starting with ({columns}): deleting or updating a {key.ref_table} row "
                f"scans all of {table.name}"
            )
            if postgres:
                message += " (PostgreSQL indexes the referenced key, not the referencing columns)"
            yield Problem(message, (*(f"{table.name}.{c}" for c in key.columns), table.name))


def _partitioned_parent(schema: Schema, table: Table) -> Table | None:
    if table.partition_bound is None or not table.inherits:
        return None
    return schema.table(table.inherits[0])


# Index methods that find equal keys without reading whole block ranges (BRIN does not).
_LOOKUP_METHODS = frozenset({"", "btree", "hash", "gist", "gin", "spgist"})


def _is_indexed(table: Table, columns: tuple[str, ...], parent: Table | None = None) -> bool:
    """An index whose leading key columns are ``columns`` in any order (a B-tree finds rows
    by any equality on its leading columns), or a unique one on some of them (it finds
    the one row there can be): a plain, unique or primary key index; not a partial one
    (it lacks rows), not an expression key. A partition also has the indexes of its
    partitioned parent (PostgreSQL creates them on every partition)."""
    wanted = {table.names.key(c) for c in columns}
    if table.rowid_alias is not None and wanted == {table.names.key(table.rowid_alias)}:
        return True
    indexes = [
        index
        for index in (*table.indexes, *(parent.indexes if parent is not None else ()))
        if not index.partial and index.method in _LOOKUP_METHODS
    ]
    keys: list[tuple[str, ...]] = [
        tuple(c.name if c.name is not None else "\0" for c in index.columns) for index in indexes
    ]
    if table.primary_key and table.without_rowid:
        keys.append(table.primary_key)
    if any({table.names.key(c) for c in key[: len(wanted)]} == wanted for key in keys):
        return True
    # a unique index on some of the key's columns finds the one row that can match
    unique = [key for index, key in zip(indexes, keys, strict=False) if index.unique]
    return any({table.names.key(c) for c in key} <= wanted for key in unique)


@schema_rule("redundant-index", W, "an index duplicates another or is a prefix of another")
def redundant_index(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table in schema.tables:
        for index in table.indexes:
            other = _covering_index(table, index)
            if other is None:
                continue
            same = _index_key(other, table.names) == _index_key(index, table.names)
            what = "duplicates" if same else "is a prefix of"
            yield Problem(
                f"index {index.name} on {table.name}({', '.join(index.column_names)}) {what} "
                f"index {other.name} ({', '.join(other.column_names)}): drop it",
                (index.name, other.name, table.name),
            )


@schema_rule(
    "index-key-is-a-string",
    W,
    'an index key "x" names no column: SQLite indexes the string',
    dialects=SQLITE,
)
def index_key_is_a_string(schema: Schema, _: Texts) -> Iterator[Problem]:
    """SQLite reads a double-quoted key that names no column as a string (its DQS rule):
    the index then holds one constant value for every row, almost always a typo."""
    for table in schema.tables:
        for index in table.indexes:
            for key in index.columns:
                text = key.expression or ""
                if key.name is None and len(text) > 1 and text[0] == text[-1] == '"':
                    yield Problem(
                        f"index {index.name} on {table.name}: {text} names no column, so "
                        f"SQLite indexes the string {text[1:-1]!r}; name a column",
                        (index.name, table.name),
                    )


@schema_rule(
    "primary-key-allows-null",
    W,
    "a primary-key column takes NULL: it is not declared NOT NULL",
    dialects=SQLITE,
)
def primary_key_allows_null(schema: Schema, _: Texts) -> Iterator[Problem]:
    """SQLite enforces NOT NULL on a PRIMARY KEY column only when it is declared, the column
    is the INTEGER PRIMARY KEY that names the rowid, or the table is WITHOUT ROWID or STRICT
    (lang_createtable.html, "the PRIMARY KEY": kept for compatibility with a bug of early
    versions). NULLs count as distinct, so any number of rows can have a NULL key, and no
    foreign key can reference them. The rule of which columns take NULL is
    ``erdgen.keys.is_required``, the one the pages and diagrams show."""
    for table in schema.tables:
        for column in table.columns:
            if column.primary_key and not is_required(table, column):
                yield Problem(
                    f"primary-key column {table.name}.{column.name} takes NULL, any number of "
                    "times: SQLite enforces NOT NULL on a primary key only where it is declared",
                    (f"{table.name}.{column.name}", table.name),
                )


def _covering_index(table: Table, index: Index) -> Index | None:
    """Another index that makes ``index`` unnecessary (of two duplicates, the earlier one)."""
    if index.origin != "c":
        return None  # constraint indexes cannot be dropped on their own
    key, own = _index_key(index, table.names), table.indexes.index(index)
    for position, other in enumerate(table.indexes):
        other_key = _index_key(other, table.names)
        if other is index or other_key[: len(key)] != key or not _same_condition(index, other):
            continue
        if not _same_access(index, other):
            continue
        earlier = other.origin != "c" or position < own
        if index.unique:  # it enforces something: only an identical unique index replaces it
            if other.unique and other_key == key and earlier:
                return other
        elif other_key != key or other.unique or earlier:
            return other
    return None


def _index_key(index: Index, names: IdentifierRule) -> tuple[tuple[str, bool, str], ...]:
    return tuple(
        (names.key(c.label), c.descending, names.key(c.collation or "")) for c in index.columns
    )


# An operator class other than a type's default, named in PostgreSQL index SQL
# ("gin_trgm_ops", "text_pattern_ops"); defaults are one word before "_ops" ("text_ops").
_OPERATOR_CLASS = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+_ops\b", re.IGNORECASE)


def _same_access(a: Index, b: Index) -> bool:
    """Both indexes answer the same searches: the same method (a GIN trigram index and a
    B-tree on the same column serve different queries) and the same operator classes."""
    if (a.method or "btree") != (b.method or "btree"):
        return False
    return _OPERATOR_CLASS.findall(a.sql or "") == _OPERATOR_CLASS.findall(b.sql or "")


def _same_condition(a: Index, b: Index) -> bool:
    return " ".join((a.where or "").split()).lower() == " ".join((b.where or "").split()).lower()


# Type names from SQLite's "Datatypes In SQLite" (section 3.1.1), without sizes.
KNOWN_TYPES = (
    "INT", "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "UNSIGNED BIG INT",
    "INT2", "INT8", "CHARACTER", "CHAR", "VARCHAR", "VARYING CHARACTER", "NCHAR",
    "NATIVE CHARACTER", "NVARCHAR", "TEXT", "CLOB", "BLOB", "REAL", "DOUBLE",
    "DOUBLE PRECISION", "FLOAT", "NUMERIC", "DECIMAL", "BOOLEAN", "DATE", "DATETIME",
)  # fmt: skip
_TYPO_CUTOFF = 0.85  # difflib ratio above which an unknown name counts as a misspelling
_SUGGEST_CUTOFF = 0.6


def type_affinity(declared: str) -> str:
    """SQLite's affinity rules, in their order (datatype3.html, section 3.1)."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(part in upper for part in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper.strip():
        return "BLOB"
    if any(part in upper for part in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def base_type_name(declared: str) -> str:
    """``varchar( 255 )`` -> ``VARCHAR``; ``unsigned  big int`` -> ``UNSIGNED BIG INT``."""
    return " ".join(declared.split("(", 1)[0].upper().split())


def is_known_type(name: str) -> bool:
    """A documented name, or one followed by a width in digits (``INT4``, ``VARCHAR2``)."""
    return name == "" or name in KNOWN_TYPES or name.rstrip("0123456789") in KNOWN_TYPES


@schema_rule(
    "misspelled-column-type",
    E,
    "a declared column type looks like a typo of a known type",
    dialects=SQLITE,
)
def misspelled_column_type(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table, column, name in _unknown_types(schema):
        typo = difflib.get_close_matches(name, KNOWN_TYPES, n=1, cutoff=_TYPO_CUTOFF)
        if typo:
            yield Problem(
                f"column {table.name}.{column.name} has type {column.type}, which SQLite "
                f"accepts silently with {type_affinity(column.type)} affinity: did you mean "
                f"{typo[0]}?",
                (f"{table.name}.{column.name}", table.name),
            )


@schema_rule(
    "unknown-column-type",
    W,
    "a declared column type is unknown and gets NUMERIC affinity",
    dialects=SQLITE,
)
def unknown_column_type(schema: Schema, _: Texts) -> Iterator[Problem]:
    for table, column, name in _unknown_types(schema):
        if difflib.get_close_matches(name, KNOWN_TYPES, n=1, cutoff=_TYPO_CUTOFF):
            continue  # a misspelling: the rule above
        if type_affinity(column.type) != "NUMERIC":
            continue
        close = difflib.get_close_matches(name, KNOWN_TYPES, n=1, cutoff=_SUGGEST_CUTOFF)
        hint = f" (closest known type: {close[0]})" if close else ""
        yield Problem(
            f"column {table.name}.{column.name} has type {column.type}, which is not a SQLite "
            "type name and gets NUMERIC affinity (text that looks like a number is stored as "
            f"a number){hint}",
            (f"{table.name}.{column.name}", table.name),
        )


def _unknown_types(schema: Schema) -> Iterator[tuple[Table, Column, str]]:
    """Columns whose declared type is no SQLite type name, with that name (upper case)."""
    for table in schema.tables:
        if table.strict:
            continue  # SQLite itself rejects unknown types in STRICT tables
        for column in table.columns:
            name = base_type_name(column.type)
            if not is_known_type(name):
                yield table, column, name


@project_rule("missing-description", W, "a table or column has no description in either language")
def missing_description(subject: Subject) -> Iterator[Report]:
    """Placed where a comment gives the description (``erdgen.rules.definitions``): at the
    CREATE TABLE that gives the current table (after a drop and re-creation or a rebuild,
    the last one), at the ADD COLUMN of a column added later. Not a ``@schema_rule``:
    placing by the first schema that lacks the description walks back through a
    re-creation to a CREATE TABLE whose comments went with its table."""
    history, texts = subject.history, subject.texts
    places = Definitions(subject)
    for table in history.schema.tables:
        if not texts.table(table):
            message = f"table {table.name} has no description (SQL comment or sidecar)"
            yield Report(places.table(table), message)
        for column in table.columns:
            if not texts.column(table, column):
                message = (
                    f"column {table.name}.{column.name} has no description (SQL comment or sidecar)"
                )
                yield Report(places.column(table, column), message)
