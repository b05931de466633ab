"""DROP ... [CASCADE] and COMMENT ON: what goes with a dropped object, where a comment lands.

``DROP TABLE ... CASCADE`` takes the foreign keys pointing at the table, the views that
read it and its triggers and owned sequences (PostgreSQL's dependency walk,
``performDeletion``, for the objects erdgen models). ``COMMENT ON ... IS NULL`` removes
the description.
"""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.dialects.postgres.alter import drop_constraint
from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.routines import comment_routine, drop_routines
from erdgen.dialects.postgres.state import PgState
from erdgen.model import EnumType, Trigger


def drop(state: PgState, cursor: Cursor) -> bool:
    """``DROP kind [IF EXISTS] names [CASCADE]``; False for kinds erdgen does not keep."""
    materialized = cursor.accept("materialized")
    kind = cursor.next().value
    cursor.accept("concurrently")
    if_exists = cursor.accept("if", "exists")
    body = cursor.rest()
    cascade = bool(body) and body[-1].is_("cascade")
    body = [t for t in body if not t.is_("cascade", "restrict")]
    if kind == "trigger":
        return _drop_trigger(state, Cursor(body), if_exists)
    if kind in ("function", "procedure"):
        drop_routines(state, Cursor(body), kind, if_exists)
        return True
    for part in split_on_commas(body):
        part_cursor = Cursor(part)
        namespace, name = part_cursor.qualified()
        dropped = _drop_one(state, kind, materialized, namespace, name, cascade)
        if dropped is None:
            return False
        if not dropped and not if_exists:
            raise DdlSyntaxError(f'{kind} "{name}" does not exist', part[0])
    return True


def _drop_one(
    state: PgState, kind: str, materialized: bool, namespace: str | None, name: str, cascade: bool
) -> bool | None:
    if kind == "table":
        table = state.find_table(namespace, name)
        if table is not None:
            drop_table(state, table.qualified, cascade)
        return table is not None
    if kind == "view":
        key = state.find(state.views, namespace, name)
        if key is not None:
            _drop_view(state, key, cascade)
        return key is not None
    if kind == "index":
        return _drop_index(state, namespace, name)
    if kind in ("type", "domain"):
        return _drop_type(state, namespace, name, cascade)
    if kind == "sequence":
        key = state.find(state.sequences, namespace, name)
        state.sequences.pop(key or "", None)
        return key is not None
    if kind == "schema":
        return _drop_schema(state, name)
    if kind == "extension":
        present = name in state.extensions
        state.extensions = [e for e in state.extensions if e != name]
        return present
    return None


def drop_table(state: PgState, key: str, cascade: bool) -> None:
    del state.tables[key]
    state.renamed.append(("drop_table", "", key, ""))
    for table in state.referencing(key):
        for constraint in list(table.constraints):
            if constraint.foreign_key is not None and constraint.foreign_key.ref_table == key:
                drop_constraint(table, constraint.name)
    state.triggers = {k: t for k, t in state.triggers.items() if k[0] != key}
    prefix = key + "."
    state.sequences = {
        k: s for k, s in state.sequences.items() if not (s.owned_by or "").startswith(prefix)
    }
    for view_key in [k for k, v in state.views.items() if key in v.reads]:
        if view_key in state.views:
            _drop_view(state, view_key, cascade)


def _drop_view(state: PgState, key: str, cascade: bool) -> None:
    drop_view(state, key)


def drop_view(state: PgState, key: str) -> None:
    """The view and the views that read it."""
    state.views.pop(key, None)
    for other in [k for k, v in state.views.items() if key in v.reads]:
        drop_view(state, other)


def _drop_index(state: PgState, namespace: str | None, name: str) -> bool:
    for table in state.tables.values():
        if namespace not in (None, table.namespace):
            continue
        key = qualified(table.namespace, name)
        if any(i.name == key and i.origin == "c" for i in table.indexes):
            table.indexes = [i for i in table.indexes if i.name != key]
            return True
    return False


def _drop_trigger(state: PgState, cursor: Cursor, if_exists: bool) -> bool:
    name = cursor.identifier()
    cursor.expect("on")
    table = state.find_table(*cursor.qualified())
    found = table is not None and (table.qualified, name) in state.triggers
    if table is not None:
        state.triggers.pop((table.qualified, name), None)
    if not found and not if_exists:
        raise DdlSyntaxError(f'trigger "{name}" does not exist', cursor.peek(-1))
    return True


def _drop_schema(state: PgState, name: str) -> bool:
    present = name in state.namespaces
    state.namespaces = [n for n in state.namespaces if n != name]
    prefix = name + "."
    for key in [k for k in state.tables if k.startswith(prefix)]:
        drop_table(state, key, cascade=True)
    state.views = {k: v for k, v in state.views.items() if not k.startswith(prefix)}
    state.enums = {k: e for k, e in state.enums.items() if not k.startswith(prefix)}
    state.sequences = {k: s for k, s in state.sequences.items() if not k.startswith(prefix)}
    state.functions = {k: f for k, f in state.functions.items() if not k.startswith(prefix)}
    return present


def comment_on(state: PgState, cursor: Cursor) -> bool:
    """``COMMENT ON kind name IS 'text' | NULL``; False for kinds erdgen does not keep."""
    materialized = cursor.accept("materialized")
    kind = cursor.next().value
    target = cursor.until("is", "on", stops=())
    trigger_table = cursor.until("is", stops=()) if cursor.accept("on") else []
    cursor.expect("is")
    value = cursor.next()
    text = "" if value.is_("null") else value.value
    names = [t.value for t in target if t.kind in ("word", "quoted")]
    if kind == "table":
        table = state.find_table(*_split(names))
        if table is None:
            raise DdlSyntaxError("the commented table is not known", target[0])
        table.description = text
    elif kind == "column":
        table = state.find_table(*_split(names[:-1]))
        if table is None or table.column(names[-1]) is None:
            raise DdlSyntaxError("the commented column is not known", target[0])
        table.replace_column(names[-1], description=text)
    elif kind == "view" or materialized:
        key = state.find(state.views, *_split(names))
        if key is not None:
            view = state.views[key]
            state.views[key] = replace(view, view=replace(view.view, description=text))
    elif kind in ("type", "domain"):
        _comment_type(state, names, text)
    elif kind in ("function", "procedure"):
        comment_routine(state, target, kind, text)
    elif kind == "trigger":
        _comment_trigger(state, names[0], trigger_table, text)
    elif kind == "constraint":
        return _comment_constraint(state, names[0], trigger_table, text)
    return kind in (
        "table", "column", "view", "type", "domain", "function", "procedure", "trigger"
    )  # fmt: skip


def _drop_type(state: PgState, namespace: str | None, name: str, cascade: bool) -> bool:
    """An enum, domain or composite type; CASCADE drops the columns of that type."""
    for kind in (state.enums, state.domains, state.composites):
        key = state.find(kind, namespace, name)
        if key is not None:
            del kind[key]
            if cascade:
                for table in state.tables.values():
                    table.columns = [c for c in table.columns if c.type.removesuffix("[]") != key]
            return True
    return False


def _split(names: list[str]) -> tuple[str | None, str]:
    return (names[-2], names[-1]) if len(names) >= 2 else (None, names[-1])


def _comment_type(state: PgState, names: list[str], text: str) -> None:
    key = state.find(state.enums, *_split(names))
    if key is not None:
        enum = state.enums[key]
        state.enums[key] = EnumType(enum.name, enum.values, text)
    key = state.find(state.domains, *_split(names))
    if key is not None:
        state.domains[key] = replace(state.domains[key], description=text)
    key = state.find(state.composites, *_split(names))
    if key is not None:
        state.composites[key] = replace(state.composites[key], description=text)


def _comment_constraint(state: PgState, name: str, table_tokens: list, text: str) -> bool:  # type: ignore[type-arg]
    """``COMMENT ON CONSTRAINT c ON t``; False for ``ON DOMAIN d`` (not kept)."""
    names = [t.value for t in table_tokens if t.kind in ("word", "quoted")]
    if not names or names[0] == "domain":
        return False
    table = state.find_table(*_split(names))
    constraint = table.constraint(name) if table is not None else None
    if constraint is None:
        raise DdlSyntaxError("the commented constraint is not known", table_tokens[0])
    constraint.description = text
    return True


def _comment_trigger(state: PgState, name: str, table_tokens: list, text: str) -> None:  # type: ignore[type-arg]
    names = [t.value for t in table_tokens if t.kind in ("word", "quoted")]
    table = state.find_table(*_split(names)) if names else None
    if table is not None and (table.qualified, name) in state.triggers:
        trigger: Trigger = state.triggers[(table.qualified, name)]
        state.triggers[(table.qualified, name)] = replace(trigger, description=text)
