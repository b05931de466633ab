"""The SQL dialects erdgen reads, by name.

Importing this package loads no parser: a dialect's implementation (with sqlglot) is
imported when the dialect is first asked for. A dialect registers the module and the
attribute that make it (``register``); ``get`` returns the one instance per name.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from erdgen.errors import ConfigError

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect

DEFAULT = "sqlite"

# name -> "module:attribute" of a Dialect instance
_REGISTERED: dict[str, str] = {
    "sqlite": "erdgen.dialects.sqlite.dialect:SQLITE",
    "postgres": "erdgen.dialects.postgres.dialect:POSTGRES",
    "libsql": "erdgen.dialects.libsql.dialect:LIBSQL",
}
_LOADED: dict[str, Dialect] = {}


def register(name: str, target: str) -> None:
    """Make ``name`` available; ``target`` is ``"package.module:ATTRIBUTE"``, loaded on use."""
    _REGISTERED[name] = target
    _LOADED.pop(name, None)


def names() -> tuple[str, ...]:
    """The registered dialects, sorted."""
    return tuple(sorted(_REGISTERED))


def get(name: str = DEFAULT) -> Dialect:
    """The dialect called ``name``. Raises ``KeyError`` naming the known dialects."""
    loaded = _LOADED.get(name)
    if loaded is not None:
        return loaded
    target = _REGISTERED.get(name)
    if target is None:
        raise KeyError(f"unknown dialect {name!r}; known: {', '.join(names())}")
    module, attribute = target.split(":")
    dialect: Dialect = getattr(importlib.import_module(module), attribute)
    _LOADED[name] = dialect
    return dialect


# What a migration tool's files call a dialect (drizzle's journal "dialect", Prisma's
# provider) -> the registered dialect that reads it.
_TOOL_NAMES = {
    "turso": "libsql", "libsql": "libsql", "sqlite": "sqlite",
    "postgresql": "postgres", "postgres": "postgres",  # Prisma's provider, drizzle's dialect
}  # fmt: skip


def detect(migrations_dir: Path, project_dir: Path | None = None, hint: str = "") -> str:
    """The dialect a folder's own files name, else ``DEFAULT``: ``hint`` is what the layout
    read (``Discovery.dialect``); libSQL also where drizzle-kit's config or snapshots say
    "turso" (``erdgen.dialects.libsql.detect``); PostgreSQL where the SQL uses syntax only
    PostgreSQL has (``erdgen.dialects.postgres.detect``)."""
    from erdgen.dialects.libsql.detect import turso_evidence
    from erdgen.dialects.postgres.detect import postgres_evidence

    _refuse_mysql(migrations_dir, hint)
    named = _TOOL_NAMES.get(hint.lower())
    if named is not None and named != DEFAULT:
        return named
    if turso_evidence(migrations_dir, project_dir):
        return "libsql"
    return "postgres" if postgres_evidence(migrations_dir) else DEFAULT


def _refuse_mysql(migrations_dir: Path, hint: str) -> None:
    """A MySQL folder is an error that says so (exit 2), not SQLite's word on line 1."""
    from erdgen.dialects.mysql_detect import mysql_evidence

    if hint.lower() in ("mysql", "mariadb"):
        raise ConfigError(f"{migrations_dir}: the migration tool's files say {hint}; {_NO_MYSQL}")
    found = mysql_evidence(migrations_dir)
    if found is not None:
        location, words = found
        raise ConfigError(f"this folder holds MySQL ({words}); {_NO_MYSQL}", location)


_NO_MYSQL = (
    "erdgen reads SQLite, libSQL and PostgreSQL migrations; MySQL is not supported yet "
    "(choose another dialect with --dialect only if the folder really is one)"
)


__all__ = ["DEFAULT", "detect", "get", "names", "register"]
