"""CREATE INDEX, TYPE, SEQUENCE, SCHEMA, EXTENSION, FUNCTION, PROCEDURE, TRIGGER and VIEW.

Each function reads one statement from a cursor standing after the words that chose
it (gram.y's ``IndexStmt``, ``DefineStmt``, ``CreateSeqStmt``, ``CreateSchemaStmt``,
``CreateExtensionStmt``, ``CreateFunctionStmt``, ``CreateTrigStmt``, ``ViewStmt``).
"""

from __future__ import annotations

import re

from msgspec.structs import replace

from erdgen.dialects.postgres import routines, user_types
from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.create import Resolver
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.names import column_addition
from erdgen.dialects.postgres.state import PgState, TableState, ViewState
from erdgen.dialects.postgres.tokens import Token, source_text, tokenize
from erdgen.dialects.postgres.types import read_type
from erdgen.dialects.postgres.view_columns import output_names, used_columns
from erdgen.model import Column, EnumType, Function, Index, IndexColumn, Sequence, Trigger, View


def create_index(state: PgState, cursor: Cursor, unique: bool, sql: str) -> None:
    """``CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] t ...``."""
    concurrently = cursor.accept("concurrently")
    if_not_exists = cursor.accept("if", "not", "exists")
    name = None if cursor.peek() is not None and cursor.peek().is_("on") else cursor.identifier()  # type: ignore[union-attr]
    cursor.expect("on")
    cursor.accept("only")
    namespace, relation = cursor.qualified()
    table = state.find_table(namespace, relation)
    if table is None and state.find(state.views, namespace, relation):
        return  # an index on a materialized view: views carry no indexes in the model
    if table is None:
        raise DdlSyntaxError("the indexed table is not known", cursor.peek(-1))
    method = cursor.identifier() if cursor.accept("using") else "btree"
    keys = [plain_key(table, _index_key(part)) for part in split_on_commas(cursor.group())]
    include = cursor.names() if cursor.accept("include") else []
    if cursor.accept("nulls"):
        cursor.accept("not")
        cursor.expect("distinct")
    if cursor.accept("with"):
        cursor.group()
    if cursor.accept("tablespace"):
        cursor.identifier()
    where = cursor.rest() if cursor.accept("where") else None
    chosen = name or state.choose_relation_name(
        table, column_addition(k.name or _expression_name(k) for k in keys), "idx"
    )
    key = qualified(table.namespace, chosen)
    if name is not None and state.relation_taken(table.namespace, chosen):
        if if_not_exists:
            return
        raise DdlSyntaxError(f'relation "{chosen}" already exists', None)
    table.indexes.append(
        Index(
            key, table.qualified, tuple(keys), unique=unique, origin="c",
            where=source_text(where) if where else None, sql=sql, method=method,
            include=tuple(include), concurrently=concurrently,
        )
    )  # fmt: skip


def _index_key(tokens: list[Token]) -> IndexColumn:
    descending = bool(tokens) and any(t.is_("desc") for t in tokens[-3:])
    core = [t for t in tokens if not t.is_("asc", "desc", "nulls", "first", "last")]
    collation = None
    at = next((i for i, t in enumerate(core) if t.is_("collate")), None)
    if at is not None:  # key COLLATE name [opclass]
        core, after = core[:at], core[at + 1 :]
        collation = after[0].value if after else None
        core += after[1:]
    opclass = None
    if len(core) >= 2 and core[-1].kind == "word" and core[-2].text == ")":
        core, opclass = core[:-1], core[-1].value  # (expression) opclass
    if (
        len(core) >= 1
        and core[0].kind in ("word", "quoted")
        and (len(core) == 1 or core[1].kind == "word")
    ):
        opclass = core[1].value if len(core) > 1 else opclass  # a column and its opclass
        return IndexColumn(core[0].value, None, descending, collation, opclass)
    return IndexColumn(None, source_text(core), descending, collation, opclass)


def plain_key(table: TableState, key: IndexColumn) -> IndexColumn:
    """``date(day)`` on a date column is the column itself: a call named after a type is a
    cast (func_get_detail's FUNCDETAIL_COERCION), and a cast to the same type vanishes."""
    match = re.fullmatch(r"(\w+)\s*\(\s*(\w+)\s*\)", key.expression or "")
    column = table.column(match[2]) if match else None
    if match is None or column is None:
        return key
    try:
        same = read_type(tokenize(match[1]), 0).name == column.type
    except ValueError:
        same = False
    return replace(key, name=column.name, expression=None) if same else key


def _expression_name(key: IndexColumn) -> str:
    """``FigureIndexColname``: a function call is named after the function, else "expr"."""
    text = (key.expression or "").lstrip("(")
    name = text.split("(", 1)[0].strip()
    return name.lower() if "(" in text and name.replace("_", "a").isalnum() else "expr"


def create_type(state: PgState, cursor: Cursor) -> bool:
    """``CREATE TYPE name AS ENUM (...)`` or ``AS (attributes)``; False for the kinds
    erdgen does not keep yet (base and range types)."""
    namespace, name = cursor.qualified()
    if cursor.accept("as") and cursor.next_is("("):
        user_types.create_composite(state, cursor, namespace, name)
        return True
    if not cursor.accept("enum"):
        return False
    labels = [t.value for t in cursor.group() if t.kind == "string"]
    key = qualified(state.creation_namespace(namespace), name)
    if key in state.enums:
        raise DdlSyntaxError(f'type "{name}" already exists', None)
    state.enums[key] = EnumType(key, tuple(labels))
    return True


def create_sequence(state: PgState, cursor: Cursor) -> None:
    if_not_exists = cursor.accept("if", "not", "exists")
    namespace, name = cursor.qualified()
    key = qualified(state.creation_namespace(namespace), name)
    if if_not_exists and key in state.sequences:
        return
    sequence = Sequence(key)
    words = cursor.rest()
    start: int | None = None
    for position, token in enumerate(words):
        following = words[position + 1 :]
        if token.is_("as") and following:
            sequence = replace(sequence, type=read_type(words, position + 1).name)
        elif token.is_("start") and following:
            start = _signed_number(following)
        elif token.is_("increment") and following:
            sequence = replace(sequence, increment=_signed_number(following))
    # CREATE SEQUENCE: a descending sequence starts at its maxvalue, -1 by default
    default_start = 1 if sequence.increment > 0 else -1
    state.sequences[key] = replace(sequence, start=default_start if start is None else start)


def _signed_number(words: list[Token]) -> int:
    """The first number in ``words``, negative when a "-" stands right before it."""
    position, value = next((i, t) for i, t in enumerate(words) if t.kind == "number")
    negative = position > 0 and words[position - 1].text == "-"
    return -int(value.text) if negative else int(value.text)


def create_schema(state: PgState, cursor: Cursor) -> None:
    if_not_exists = cursor.accept("if", "not", "exists")
    cursor.accept("authorization")  # CREATE SCHEMA AUTHORIZATION role names it after the role
    name = cursor.identifier()
    if name not in state.namespaces and name != "public":
        state.namespaces.append(name)
    elif not if_not_exists and name != "public":
        raise DdlSyntaxError(f'schema "{name}" already exists', cursor.peek(-1))


def create_extension(state: PgState, cursor: Cursor) -> None:
    cursor.accept("if", "not", "exists")
    name = cursor.identifier()
    if name not in state.extensions and name != "plpgsql":
        state.extensions.append(name)


# a body that runs DDL, written out or built for EXECUTE
_RUNS_DDL = re.compile(
    r"\b(?:create|alter|drop)\s+(?:table|index|view|type|schema|sequence|trigger|function)\b"
    r"|\bexecute\s+(?!function|procedure)",
    re.IGNORECASE,
)


def create_function(state: PgState, cursor: Cursor, procedure: bool) -> None:
    """``CREATE [OR REPLACE] FUNCTION|PROCEDURE name (args) [RETURNS ...] ... ``."""
    namespace, name = cursor.qualified()
    arguments = _arguments(state, cursor.group(), procedure)
    returns = ""
    if cursor.accept("returns"):
        returns = _returns(state, cursor)
    language = ""
    rest = cursor.rest()
    for position, token in enumerate(rest[:-1]):
        if token.is_("language"):
            language = rest[position + 1].value.lower()
        elif token.is_("begin") and rest[position + 1].is_("atomic"):
            language = language or "sql"
    key = qualified(state.creation_namespace(namespace), name)
    function = Function(key, arguments, returns, language, "procedure" if procedure else "function")
    state.functions[function.signature] = function
    if any(token.kind == "string" and _RUNS_DDL.search(token.value) for token in rest):
        state.ddl_functions.add(name)


def _arguments(state: PgState, tokens: list[Token], procedure: bool) -> str:
    printed = []
    for mode, name, type_name in routines.arguments(state, tokens, procedure):
        prefix = (
            "IN " if procedure and mode == "in" else (f"{mode.upper()} " if mode != "in" else "")
        )
        printed.append(f"{prefix}{name + ' ' if name else ''}{type_name}")
    return ", ".join(printed)


def _returns(state: PgState, cursor: Cursor) -> str:
    if cursor.accept("table"):
        columns = []
        for part in split_on_commas(cursor.group()):
            column_type = routines.without_typmod(read_type(part, 1, Resolver(state)).name)
            columns.append(f"{part[0].value} {column_type}")
        return f"TABLE({', '.join(columns)})"
    setof = cursor.accept("setof")
    parsed = read_type(cursor.tokens, cursor.at, Resolver(state))
    cursor.at = parsed.end
    name = routines.without_typmod(parsed.name)
    return f"SETOF {name}" if setof else name


_EVENTS = ("insert", "update", "delete", "truncate")


def create_trigger(state: PgState, cursor: Cursor, sql: str) -> None:
    name = cursor.identifier()
    timing = "INSTEAD OF" if cursor.accept("instead", "of") else cursor.identifier().upper()
    events: set[str] = set()
    while (token := cursor.peek()) is not None and not token.is_("on"):
        if token.is_(*_EVENTS):
            events.add(token.value)
        cursor.next()
    cursor.expect("on")
    table = state.find_table(*cursor.qualified())
    if table is None:
        raise DdlSyntaxError("the trigger's table is not known", cursor.peek(-1))
    rest = cursor.rest()
    level = "ROW" if any(t.is_("row") for t in rest) else "STATEMENT"
    at = next(
        i
        for i, t in enumerate(rest)
        if t.is_("function", "procedure") and i and rest[i - 1].is_("execute")
    )
    function_cursor = Cursor(rest, at + 1)
    function_namespace, function_name = function_cursor.qualified()
    function = (
        function_name
        if function_namespace in (None, "public")
        else f"{function_namespace}.{function_name}"
    )
    trigger = Trigger(
        name, table.qualified, sql, timing, " OR ".join(e.upper() for e in _EVENTS if e in events),
        function=_resolved_function(state, function_namespace, function_name) or function,
        level=level,
    )  # fmt: skip
    state.triggers[(table.qualified, name)] = trigger


def _resolved_function(state: PgState, namespace: str | None, name: str) -> str | None:
    for candidate in [namespace] if namespace else state.search_path:
        key = qualified(candidate, name)
        if any(f.name == key for f in state.functions.values()):
            return key
    return None


def _columns_of(state: PgState, namespace: str | None, name: str) -> list[str] | None:
    table = state.find_table(namespace, name)
    if table is not None:
        return [c.name for c in table.columns]
    key = state.find(state.views, namespace, name)
    view = state.views[key].view if key else None
    return [c.name for c in view.columns] if view and view.columns else None


def create_view(state: PgState, cursor: Cursor, materialized: bool, sql: str) -> None:
    cursor.accept("if", "not", "exists")
    namespace, name = cursor.qualified()
    names = cursor.names() if cursor.next_is("(") else []
    while not cursor.accept("as"):
        cursor.next()
    body = cursor.rest()
    key = qualified(state.creation_namespace(namespace), name)
    if not names and body:
        query = sql[body[0].start :].rstrip().rstrip(";")
        names = list(output_names(query, lambda schema, name: _columns_of(state, schema, name)))
    columns = tuple(Column(n) for n in names)
    view = View(key, sql, columns=columns, materialized=materialized)
    state.views[key] = view_state(state, view, body, sql)


def view_state(state: PgState, view: View, body: list[Token], sql: str) -> ViewState:
    """A view with the relations it reads and the columns it uses (``body``: its query's
    tokens in ``sql``), for DROP ... CASCADE."""
    reads = {
        key
        for token in body
        if token.kind in ("word", "quoted")
        for key in [
            state.find(state.tables, None, token.value)
            or state.find(state.views, None, token.value)
        ]
        if key
    }
    return ViewState(view, reads, _used_columns(state, body, sql, reads))


def _used_columns(state: PgState, body: list[Token], sql: str, reads: set[str]) -> frozenset[str]:
    """The columns a view uses, as "relation.column" (DROP COLUMN ... CASCADE drops it); "*"
    as expanded now, since PostgreSQL expands it when the view is made."""
    query = sql[body[0].start :].rstrip().rstrip(";") if body else ""
    used = used_columns(query, lambda schema, name: _columns_of(state, schema, name))
    if used is None:  # unknown: every name in the query counts, for every relation it reads
        named = {t.value for t in body if t.kind in ("word", "quoted")}
        used = {(relation.split(".")[-1], n) for relation in reads for n in named}
    return frozenset(f"{relation}.{column}" for relation, column in used)
