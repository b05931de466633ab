"""The table-rebuild pattern (create a copy, move the rows, drop, rename) as one change."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec.structs import replace

from erdgen.model import Action, Change, IdentifierRule, Schema


def collapse_rebuilds(changes: Sequence[Change], schema_after: Schema) -> tuple[Change, ...]:
    """Turn SQLite's table-rebuild pattern into one REBUILD_TABLE change of the table.

    Form A: create ``x_new``, copy, drop ``x``, rename ``x_new`` to ``x``.
    Form B: rename ``x`` to ``x_old``, create ``x``, copy, drop ``x_old``.
    """
    result = list(changes)
    while (found := _find_rebuild(result, schema_after.names)) is not None:
        result = _collapse(result, *found, schema_after)
    return tuple(result)


def _find_rebuild(
    changes: list[Change], names: IdentifierRule
) -> tuple[str, str, list[int]] | None:
    for i, change in enumerate(changes):
        if change.action != Action.RENAME_TABLE or change.old_name is None:
            continue
        old, new = change.old_name, change.object
        form_a = (
            _index_of(changes, Action.CREATE_TABLE, old, names, before=i),
            _index_of(changes, Action.DROP_TABLE, new, names, before=i),
        )
        if None not in form_a:
            return new, old, [form_a[0], form_a[1], i]  # type: ignore[list-item]
        form_b = (
            _index_of(changes, Action.CREATE_TABLE, old, names, after=i),
            _index_of(changes, Action.DROP_TABLE, new, names, after=i),
        )
        if None not in form_b:
            return old, new, [i, form_b[0], form_b[1]]  # type: ignore[list-item]
    return None


def _index_of(
    changes: list[Change],
    action: Action,
    name: str,
    names: IdentifierRule,
    *,
    before: int | None = None,
    after: int = -1,
) -> int | None:
    end = len(changes) if before is None else before
    for index in range(after + 1, end):
        if changes[index].action == action and names.same(changes[index].object, name):
            return index
    return None


def _collapse(
    changes: list[Change], table: str, scratch: str, members: list[int], schema_after: Schema
) -> list[Change]:
    """Replace the pattern's changes by one rebuild; the scratch table's changes move to it."""
    first, same = min(members), schema_after.names.same
    befores = (changes[i].before for i in members)
    before = next(t for t in befores if t is not None and same(t.name, table))
    final = schema_after.table(table) or next(
        (c.after for c in reversed(changes) if c.after is not None and same(c.after.name, table)),
        None,
    )
    rebuild = Change(
        Action.REBUILD_TABLE,
        table,
        changes[first].location,
        table=table,
        before=before,
        after=final,
        statement=changes[first].statement,
    )
    result: list[Change] = []
    for index, change in enumerate(changes):
        if index == first:
            result.append(rebuild)
        elif index in members:
            continue
        elif first < index < max(members) and same(change.table or "", scratch):
            moved = _moved(change.object, scratch, table, schema_after.names)
            result.append(replace(change, table=table, object=moved))
        else:
            result.append(change)
    return result


def _moved(obj: str, scratch: str, table: str, names: IdentifierRule) -> str:
    if names.same(obj, scratch):
        return table
    prefix = f"{scratch}."
    return table + obj[len(scratch) :] if names.same(obj[: len(prefix)], prefix) else obj
