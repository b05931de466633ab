"""The names PostgreSQL chooses for what a migration leaves unnamed.

Rules from ``src/backend/commands/indexcmds.c`` (``makeObjectName``,
``ChooseRelationName``, ``ChooseIndexName``, ``ChooseIndexNameAddition``) and
``src/backend/catalog/pg_constraint.c`` (``ChooseConstraintName``), PostgreSQL 15:

- ``<table>_<columns>_<label>`` where the columns are joined by ``_`` and the label
  is ``pkey``, ``key`` (unique), ``excl``, ``idx`` (CREATE INDEX), ``fkey``, ``check``
  or ``seq``;
- at most 63 bytes (NAMEDATALEN - 1): while too long, the longer of the table part and
  the column part loses its last character (whole UTF-8 characters only);
- if the name is taken, ``1``, ``2``, ... is appended to the label (``t_pkey1``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

NAMEDATALEN = 64
MAX_NAME_BYTES = NAMEDATALEN - 1


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _clip(text: str, limit: int) -> str:
    """The longest prefix of ``text`` of at most ``limit`` bytes (pg_mbcliplen)."""
    while _bytes(text) > limit:
        text = text[:-1]
    return text


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """``makeObjectName``: name1[_name2][_label], clipped to 63 bytes as PostgreSQL does."""
    name1_bytes = _bytes(name1)
    name2_bytes = _bytes(name2) if name2 else 0
    overhead = (name2_bytes and 1) + (_bytes(label) + 1 if label else 0)
    available = MAX_NAME_BYTES - overhead
    while name1_bytes + name2_bytes > available:
        if name1_bytes > name2_bytes:
            name1_bytes -= 1
        else:
            name2_bytes -= 1
    parts = [_clip(name1, name1_bytes)]
    if name2:
        parts.append(_clip(name2, name2_bytes))
    if label:
        parts.append(label)
    return "_".join(parts)


def choose_name(name1: str, name2: str | None, label: str, taken: Callable[[str], bool]) -> str:
    """``ChooseRelationName`` / ``ChooseConstraintName``: the first free candidate."""
    candidate = make_object_name(name1, name2, label)
    suffix = 0
    while taken(candidate):
        suffix += 1
        candidate = make_object_name(name1, name2, f"{label}{suffix}")
    return candidate


def column_addition(columns: Iterable[str]) -> str:
    """``ChooseIndexNameAddition``: column names joined by ``_``, stopping once the text
    reaches NAMEDATALEN bytes (the later names cannot survive the clipping anyway)."""
    text = ""
    for column in columns:
        if text:
            text += "_"
        text += _clip(column, MAX_NAME_BYTES)
        if _bytes(text) >= NAMEDATALEN:
            break
    return text
