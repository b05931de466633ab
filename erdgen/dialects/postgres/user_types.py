"""Domains, composite types and sequence ownership, as PostgreSQL keeps them.

``CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [[CONSTRAINT n] NOT NULL | NULL |
CHECK (e)]...`` (typnotnull, typdefaultbin, pg_constraint with ``contypid``); an unnamed
CHECK is named ``<domain>_check`` by ``ChooseConstraintName``, which counts every
constraint of the namespace (``domainAddConstraint`` in src/backend/commands/typecmds.c).
``CREATE TYPE name AS (attribute type, ...)``. ``ALTER SEQUENCE ... OWNED BY t.c | NONE``.
"""

from __future__ import annotations

from msgspec.structs import replace

from erdgen.dialects.postgres.catalog import qualified
from erdgen.dialects.postgres.create import Resolver
from erdgen.dialects.postgres.cursor import Cursor, DdlSyntaxError, split_on_commas
from erdgen.dialects.postgres.defaults import print_default
from erdgen.dialects.postgres.names import choose_name
from erdgen.dialects.postgres.state import PgState
from erdgen.dialects.postgres.types import read_type
from erdgen.model import CompositeType, Domain
from erdgen.namespaces import quote_ident

_DOMAIN_STOPS = ("constraint", "not", "null", "check", "default", "collate")


def create_domain(state: PgState, cursor: Cursor) -> None:
    namespace, name = cursor.qualified()
    key = qualified(state.creation_namespace(namespace), name)
    if key in state.domains or key in state.enums or key in state.composites:
        raise DdlSyntaxError(f'type "{name}" already exists', cursor.peek(-1))
    cursor.accept("as")
    parsed = read_type(cursor.tokens, cursor.at, Resolver(state))
    cursor.at = parsed.end
    domain = Domain(key, parsed.name)
    while not cursor.done:
        domain = _domain_clause(state, cursor, domain)
    state.domains[key] = domain


def _domain_clause(state: PgState, cursor: Cursor, domain: Domain) -> Domain:
    named = cursor.identifier() if cursor.accept("constraint") else None
    if cursor.accept("not", "null"):
        return replace(domain, not_null=True)
    if cursor.accept("null"):
        return replace(domain, not_null=False)
    if cursor.accept("default"):
        tokens = cursor.until(*_DOMAIN_STOPS, stops=())
        default = None if len(tokens) == 1 and tokens[0].is_("null") else tokens
        printed = print_default(default, domain.base_type) if default else None
        return replace(domain, default=printed)
    if cursor.accept("collate"):
        cursor.qualified()
        return domain
    if cursor.accept("check"):
        cursor.group()
        cursor.accept("not", "valid")
        return _with_check(state, domain, named)
    raise DdlSyntaxError("a domain constraint was expected", cursor.peek())


def _with_check(state: PgState, domain: Domain, named: str | None) -> Domain:
    namespace, _, name = domain.name.rpartition(".")
    namespace = namespace or "public"
    taken = _constraint_names(state, namespace) | set(domain.checks)
    chosen = named or choose_name(name, None, "check", lambda n: n in taken)
    return replace(domain, checks=tuple(sorted((*domain.checks, chosen))))


def _constraint_names(state: PgState, namespace: str) -> set[str]:
    names = {c.name for t in state.tables.values() if t.namespace == namespace
             for c in t.constraints}  # fmt: skip
    for key, domain in state.domains.items():
        if (key.rpartition(".")[0] or "public") == namespace:
            names.update(domain.checks)
    return names


def alter_domain(state: PgState, cursor: Cursor) -> bool:
    """``ALTER DOMAIN name`` SET/DROP DEFAULT, SET/DROP NOT NULL, ADD/DROP/RENAME/VALIDATE
    CONSTRAINT, RENAME TO; False for the forms that change nothing kept (OWNER TO)."""
    key = state.find(state.domains, *cursor.qualified())
    if key is None:
        raise DdlSyntaxError("the domain is not known", cursor.peek(-1))
    domain = state.domains[key]
    if cursor.accept("set", "default"):
        domain = replace(domain, default=print_default(cursor.rest(), domain.base_type))
    elif cursor.accept("drop", "default"):
        domain = replace(domain, default=None)
    elif cursor.accept("set", "not", "null") or cursor.accept("drop", "not", "null"):
        domain = replace(domain, not_null=cursor.tokens[cursor.at - 3].is_("set"))
    elif cursor.accept("add"):
        domain = _domain_clause(state, cursor, domain)
    elif cursor.accept("drop", "constraint"):
        if_exists = cursor.accept("if", "exists")
        name = cursor.identifier()
        if name not in domain.checks and not if_exists:
            raise DdlSyntaxError(f'constraint "{name}" does not exist', cursor.peek(-1))
        domain = replace(domain, checks=tuple(c for c in domain.checks if c != name))
    elif cursor.accept("rename", "constraint"):
        old = cursor.identifier()
        cursor.expect("to")
        new = cursor.identifier()
        domain = replace(
            domain, checks=tuple(sorted(new if c == old else c for c in domain.checks))
        )
    elif cursor.accept("rename", "to"):
        new_key = qualified(key.rpartition(".")[0] or "public", cursor.identifier())
        del state.domains[key]
        retype_columns(state, key, new_key)
        key, domain = new_key, replace(domain, name=new_key)
    elif not cursor.accept("validate", "constraint"):
        return False
    state.domains[key] = domain
    return True


def retype_columns(state: PgState, old: str, new: str) -> None:
    """A renamed type: the columns of that type (or arrays of it) print the new name."""
    for table in state.tables.values():
        for column in table.columns:
            if column.type.removesuffix("[]").removesuffix("[]") == old:
                table.replace_column(column.name, type=column.type.replace(old, new, 1))


def create_composite(state: PgState, cursor: Cursor, namespace: str | None, name: str) -> None:
    """``CREATE TYPE name AS (attribute type [COLLATE c], ...)``; the cursor stands at ``(``."""
    key = qualified(state.creation_namespace(namespace), name)
    if key in state.domains or key in state.enums or key in state.composites:
        raise DdlSyntaxError(f'type "{name}" already exists', cursor.peek(-1))
    attributes = []
    for part in split_on_commas(cursor.group()):
        inner = Cursor(part)
        attribute = inner.identifier()
        attributes.append((attribute, read_type(part, inner.at, Resolver(state)).name))
    state.composites[key] = CompositeType(key, tuple(attributes))


def alter_composite(state: PgState, cursor: Cursor, key: str) -> bool:
    """``ALTER TYPE c`` ADD / DROP [IF EXISTS] / ALTER [SET DATA] TYPE ATTRIBUTE (a list),
    ``RENAME ATTRIBUTE a TO b``, ``RENAME TO n``; False for the forms not kept."""
    composite = state.composites[key]
    attributes = list(composite.attributes)
    following = cursor.peek()
    if cursor.accept("rename", "attribute"):
        old = cursor.identifier()
        cursor.expect("to")
        new = cursor.identifier()
        attributes = [(new if a == old else a, t) for a, t in attributes]
    elif cursor.accept("rename", "to"):
        new_key = qualified(key.rpartition(".")[0] or "public", cursor.identifier())
        del state.composites[key]
        retype_columns(state, key, new_key)
        state.composites[new_key] = replace(composite, name=new_key)
        return True
    elif following is not None and following.is_("add", "drop", "alter"):
        for action in split_on_commas(cursor.rest()):
            attributes = _attribute_action(state, Cursor(action), attributes)
    else:
        return False
    state.composites[key] = replace(composite, attributes=tuple(attributes))
    return True


def _attribute_action(
    state: PgState, cursor: Cursor, attributes: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    if cursor.accept("add", "attribute"):
        name = cursor.identifier()
        return [*attributes, (name, read_type(cursor.tokens, cursor.at, Resolver(state)).name)]
    if cursor.accept("drop", "attribute"):
        cursor.accept("if", "exists")
        name = cursor.identifier()
        return [(a, t) for a, t in attributes if a != name]
    if cursor.accept("alter", "attribute"):
        name = cursor.identifier()
        cursor.accept("set", "data")
        cursor.expect("type")
        printed = read_type(cursor.tokens, cursor.at, Resolver(state)).name
        return [(a, printed if a == name else t) for a, t in attributes]
    raise DdlSyntaxError("ADD, DROP or ALTER ATTRIBUTE was expected", cursor.peek())


def alter_sequence_owner(state: PgState, cursor: Cursor) -> bool:
    """``ALTER SEQUENCE [IF EXISTS] name ... OWNED BY t.c | NONE``: the owner; False when
    the statement does not set one (its other options are not kept)."""
    if_exists = cursor.accept("if", "exists")
    key = state.find(state.sequences, *cursor.qualified())
    rest = cursor.rest()
    owned = next(
        (i for i, t in enumerate(rest[:-1]) if t.is_("owned") and rest[i + 1].is_("by")), None
    )
    if key is not None and len(rest) == 3 and rest[0].is_("rename") and rest[1].is_("to"):
        _rename_sequence(state, key, rest[2].value)
        return True
    if owned is None:
        return not any(t.is_("rename", "schema") for t in rest)
    if key is None:
        if if_exists:
            return True
        raise DdlSyntaxError("the sequence is not known", rest[owned])
    target = [t.value for t in rest[owned + 2 :] if t.kind in ("word", "quoted")]
    owner = None
    if target != ["none"]:
        table = state.find_table(
            *((target[-3], target[-2]) if len(target) > 2 else (None, target[0]))
        )
        if table is None or table.column(target[-1]) is None:
            raise DdlSyntaxError("the owning column is not known", rest[owned])
        owner = f"{table.qualified}.{target[-1]}"
    state.sequences[key] = replace(state.sequences[key], owned_by=owner)
    return True


def _rename_sequence(state: PgState, key: str, new: str) -> None:
    """The sequence under its new name; defaults that call it print that name (regclass
    is kept by OID and printed by name)."""
    namespace = key.rpartition(".")[0] or "public"
    new_key = qualified(namespace, new)
    state.sequences = {
        (new_key if k == key else k): (replace(s, name=new_key) if k == key else s)
        for k, s in state.sequences.items()
    }
    old_call, new_call = _nextval(namespace, key.rpartition(".")[2]), _nextval(namespace, new)
    for table in state.tables.values():
        for column in table.columns:
            if column.default is not None and old_call in column.default:
                table.replace_column(
                    column.name, default=column.default.replace(old_call, new_call)
                )


def _nextval(namespace: str, name: str) -> str:
    parts = [namespace] * (namespace != "public") + [name]
    return f"nextval('{'.'.join(quote_ident(part) for part in parts)}'::regclass)"
