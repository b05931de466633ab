"""Where a change of a PostgreSQL migration was made: the statement that made it.

The changes are the difference of the schema before and after a migration
(``changes.py``); the reader notes, per statement, which tables it changed
(``Touches``). A change to a table (a column added, altered, renamed or dropped, the table
made, renamed or dropped) is placed at a statement that changed that table and names
the object: the first such one, the last for a drop (after ``ALTER TABLE t ALTER c
TYPE ...; ALTER TABLE t DROP c`` nothing changes ``t`` naming ``c`` again). An ``UPDATE``
that mentions the column, or an ``ALTER TABLE`` of another table that has a column of
that name, changes no table: neither is where a column was dropped. Other objects
(indexes, views, triggers) are placed among the DDL statements by name. Where none of
that finds a statement (DDL PostgreSQL's catalog showed, a ``DO`` block's ``EXECUTE``),
the first statement naming the object, else the file's start.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Sequence

from erdgen.dialects.base import SourceStatement
from erdgen.dialects.postgres.state import PgState
from erdgen.errors import Location

_FROZEN = operator.attrgetter("_frozen")


class Touches:
    """The tables each statement of a migration changed, as keys before or after it
    (a rename: both); None for a statement that changes no schema (data, session)."""

    def __init__(self, state: PgState) -> None:
        self.state = state
        self.per_statement: list[frozenset[str] | None] = []
        self._keys = set(state.tables)
        self._marker = (id(state.tables), len(state.tables))

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
        for key in dirty:
            tables[key].freeze()
        marker = (id(tables), len(tables))  # a rename makes the dict anew, a drop shrinks it
        if marker == self._marker:
            self.per_statement.append(frozenset(dirty))
            return
        keys = set(tables)
        self.per_statement.append(frozenset(dirty).union(keys ^ self._keys))
        self._keys, self._marker = keys, marker


class Finder:
    """Finds the statement of a change (see the module's docstring)."""

    def __init__(
        self,
        statements: Sequence[SourceStatement],
        path: str,
        touched: Sequence[frozenset[str] | None] | None = None,
    ) -> None:
        self.statements = statements
        self.path = path
        self.touched = list(touched) if touched is not None else [frozenset()] * len(statements)
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
