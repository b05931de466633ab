"""Where a change of a PostgreSQL migration was made: the statement that made it.

The changes are the difference of the schema before and after a migration
(``changes.py``); the reader notes, per statement, which tables it changed and their
shape after it (``Touches``). A column dropped or renamed, an index dropped, a table
dropped is placed at the statement after which the table no longer holds it (a ``DROP
COLUMN``, also after ``ALTER ... TYPE`` or ``RENAME`` of it; a ``DROP TABLE ... CASCADE``);
a new table at the statement that made it (not a later rename). Other changes to a table
go to the first statement that changed that table and names the object. An ``UPDATE``
that mentions the column, or an ``ALTER TABLE`` of another table that has a column of
that name, changes no table: neither is where a column was dropped. Views are placed
among the statements that made or dropped one, triggers among the DDL statements, by
name. Where none of that finds a statement (DDL PostgreSQL's catalog showed, a ``DO``
block's ``EXECUTE``), the first statement naming the object, else the file's start.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Mapping, Sequence

from erdgen.dialects.base import SourceStatement
from erdgen.dialects.postgres.state import PgState
from erdgen.errors import Location
from erdgen.model import Table

_FROZEN = operator.attrgetter("_frozen")


# per statement: the tables it changed, by key before or after it, with the table after it
# (a dropped one: None; a renamed one: its new shape under the old key too), and the views
# it made or dropped (None: a view's shape is not needed)
Shapes = dict[str, Table | None]


class Touches:
    """The tables each statement of a migration changed (``Shapes``); None for a
    statement that changes no schema (data, session)."""

    def __init__(self, state: PgState) -> None:
        self.state = state
        self.per_statement: list[Shapes | None] = []
        self._born: dict[int, int] = {}  # id of a table made in the migration -> statement
        self._ids: dict[str, int] = {}  # key -> id of the table (TableState) under it
        self._marker = (0, 0)  # the dict of tables and its size when _ids was taken
        self._views: set[str] = set()
        self.begin(fresh=True)

    def begin(self, fresh: bool = False) -> None:
        """A new migration. The tables' keys and identities are kept from the last one
        (taking them again from hundreds of tables per migration cost a tenth of the
        reading); ``fresh`` takes them again: PostgreSQL's catalog replaced tables."""
        self.per_statement, self._born = [], {}
        tables = self.state.tables
        if fresh or (id(tables), len(tables)) != self._marker:
            self._ids = {key: id(table) for key, table in tables.items()}
            self._marker = (id(tables), len(tables))
            self._views = set(self.state.views)

    def made(self) -> dict[str, int]:
        """The tables made in the migration (by their keys now) and the statement that
        made each (a table made and then renamed: its CREATE, not the rename)."""
        if not self._born:
            return {}
        return {k: self._born[id(t)] for k, t in self.state.tables.items() if id(t) in self._born}

    def skip(self) -> None:
        """A statement that changed nothing (data, session, or one PostgreSQL refused)."""
        self.per_statement.append(None)

    def after_statement(self) -> None:
        """Note the tables the statement just applied changed: those whose frozen table a
        change dropped (frozen again here, which the migration's end does anyway), and
        those that appeared or went away. C-level ``compress`` over the tables: most
        statements change one of hundreds."""
        tables = self.state.tables
        values = tables.values()
        dirty = list(itertools.compress(tables, map(operator.not_, map(_FROZEN, values))))
        shapes: Shapes = {key: tables[key].freeze() for key in dirty}
        marker = (id(tables), len(tables))  # a rename makes the dict anew, a drop shrinks it
        if marker != self._marker:
            ids = {id(table): key for key, table in tables.items()}
            for key, table in self._ids.items():
                if key not in tables:  # dropped, or renamed: the same table under a new key
                    now = ids.get(table)
                    shapes[key] = None if now is None else tables[now].freeze()
            known = set(self._ids.values())
            for key in tables.keys() - self._ids.keys():
                shapes[key] = tables[key].freeze()
                if id(tables[key]) not in known:
                    self._born[id(tables[key])] = len(self.per_statement)
            self._ids = {key: id(table) for key, table in tables.items()}
            self._marker = marker
        if len(self.state.views) != len(self._views):  # CREATE / DROP VIEW, DROP ... CASCADE
            views = set(self.state.views)
            shapes.update(dict.fromkeys(views ^ self._views))
            self._views = views
        self.per_statement.append(shapes)


class Finder:
    """Finds the statement of a change (see the module's docstring)."""

    def __init__(
        self,
        statements: Sequence[SourceStatement],
        path: str,
        touched: Sequence[Shapes | None] | None = None,
        made: Mapping[str, int] | None = None,
    ) -> None:
        self.statements = statements
        self.path = path
        self.made = made or {}
        self.touched = list(touched) if touched is not None else [{}] * len(statements)
        self._words: list[frozenset[str]] | None = None

    def __call__(
        self,
        name: str,
        *words: str,
        on: Sequence[str] = (),
        last: bool = False,
        also: Sequence[str] = (),
    ) -> tuple[Location, str]:
        """The statement naming ``name`` (or a name it had ``also`` in the migration: a
        column renamed, then dropped), else all ``words`` (an index PostgreSQL named:
        "INDEX" and its table): among those that changed a table ``on`` (then, naming
        neither, the first or ``last`` of those), else among the DDL statements, else
        among all."""
        if on:
            keys = set(on)
            among = [
                p for p, t in enumerate(self.touched) if t is not None and not keys.isdisjoint(t)
            ]
        else:
            among = [p for p, t in enumerate(self.touched) if t is not None]
        if among:
            ordered = among[::-1] if last else among
            found = self._naming(ordered, name, words)
            for other in also:
                more = self._naming(ordered, other, ())
                if more is not None and (found is None or (more > found) is last):
                    found = more
            if found is None and on:
                found = among[-1] if last else among[0]
            if found is not None:
                return self.statements[found].location, self.statements[found].text
        found = self._naming(range(len(self.statements)), name, words)
        if found is None:
            return Location(self.path), ""
        return self.statements[found].location, self.statements[found].text

    def made_at(self, table: str) -> tuple[Location, str] | None:
        """The statement that made ``table`` (its key after the migration), if it did."""
        found = self.made.get(table)
        if found is None:
            return None
        return self.statements[found].location, self.statements[found].text

    def dropped_at(
        self,
        on: Sequence[str],
        holds: Callable[[Table], bool],
        absent: bool = False,
        first: bool = False,
    ) -> tuple[Location, str] | None:
        """The last statement after which the table (``on``: its keys) no longer ``holds``
        something (a column under one of the names it had in the migration, an index)
        while it did before: a ``DROP COLUMN``, a ``DROP TABLE`` of a table made again, a
        ``DROP TYPE ... CASCADE``, a ``RENAME`` of a column; None when the shapes do not
        say. ``absent``: whether a dropped table ``holds`` it (a lack of a
        column: it does). ``first``: the first such statement instead, for what the
        migration dropped and then made again under its name (the drop that lost it)."""
        had, found = True, None
        for position, shapes in enumerate(self.touched):
            tables = [shapes[key] for key in on if key in shapes] if shapes else []
            if not tables:
                continue
            has = any(absent if table is None else holds(table) for table in tables)
            if had and not has:
                found = position
                if first:
                    break
            had = has
        if found is None:
            return None
        return self.statements[found].location, self.statements[found].text

    def _naming(self, positions: Sequence[int], name: str, words: Sequence[str]) -> int | None:
        for terms in ([name], list(words)):
            bare = [term.split(".")[-1] for term in terms if term]
            if not bare:
                continue
            if all(map(_PLAIN.fullmatch, bare)):  # most names: one subset test each
                wanted = {word.lower() for word in bare}
                sets = self._word_sets()
                found = next((p for p in positions if wanted <= sets[p]), None)
            else:
                found = next(
                    (p for p in positions if all(self._names(p, word) for word in bare)), None
                )
            if found is not None:
                return found
        return None

    def _word_sets(self) -> list[frozenset[str]]:
        if self._words is None:
            self._words = [frozenset(_WORD.findall(s.text.lower())) for s in self.statements]
        return self._words

    def _names(self, position: int, word: str) -> bool:
        """Whether ``word`` stands in the statement on its own (not inside a longer name),
        in any case: a set lookup for plain ASCII names, which a compiled pattern per name
        (hundreds per migration, each compiled once) made the dearest part of the diff."""
        if not _PLAIN.fullmatch(word):
            text = self.statements[position].text
            return (
                re.search(rf"(?<![\w$]){re.escape(word)}(?![\w$])", text, re.IGNORECASE) is not None
            )
        return word.lower() in self._word_sets()[position]


_PLAIN = re.compile(r"[A-Za-z0-9_$]+")
_WORD = re.compile(r"[\w$]+")
