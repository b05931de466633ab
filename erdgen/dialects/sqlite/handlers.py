"""Statements -> changes to the schema, one handler per kind of statement.

A handler reads the statement against the model; where the statement cannot be right
(a missing table, a duplicate name) it raises ``MigrationError``, and SQLite is then
asked (``SQLiteReader`` in dialect.py) whether the statement or erdgen is wrong.
"""

from __future__ import annotations

from sqlglot import TokenType, exp

from erdgen.dialects.sqlite import transactions
from erdgen.dialects.sqlite.objects import (
    create_index,
    create_trigger,
    create_view,
    create_virtual_table,
    drop_index,
    drop_view_or_trigger,
)
from erdgen.dialects.sqlite.state import Handler, State
from erdgen.dialects.sqlite.tables import alter_table, create_table, drop_table
from erdgen.dialects.sqlite.tokens import Statement
from erdgen.model import (
    Action,
)

# Statements that leave the schema as it is, handled on purpose.
_NO_SCHEMA_EFFECT = frozenset({"ANALYZE", "VACUUM", "REINDEX", "SELECT", "EXPLAIN", "VALUES"})
# Statements known by their first word alone.
_BY_FIRST_WORD: dict[str, Handler] = {
    "BEGIN": transactions.begin,
    "COMMIT": transactions.commit,
    "END": transactions.commit,
    "ROLLBACK": transactions.rollback,
    "SAVEPOINT": transactions.savepoint,
    "RELEASE": transactions.release,
    "PRAGMA": transactions.pragma,
}
_DATA_VERBS = frozenset({"INSERT", "REPLACE", "UPDATE", "DELETE", "WITH"})


def interpret(statement: Statement, state: State) -> None:
    """Apply one statement to the state: new schema, changes, diagnostics."""
    keywords = statement.keywords
    first = keywords[0] if keywords else ""
    if first in _NO_SCHEMA_EFFECT:
        return
    by_first_word = _BY_FIRST_WORD.get(first)
    if by_first_word is not None:
        by_first_word(statement, state)
        return
    if first in _DATA_VERBS:
        _data(statement, state)
        return
    handler = _handler(keywords)
    if handler is None:
        state.warn(statement, "not-understood", "statement not understood; the model ignores it")
        return
    handler(statement, state)


def _handler(keywords: tuple[str, ...]) -> Handler | None:
    words = [w for w in keywords[:4] if w not in ("TEMP", "TEMPORARY", "UNIQUE")]
    head = " ".join(words[:2])
    return _HANDLERS.get(head) or _HANDLERS.get(" ".join(words[:3]))


# --- data ------------------------------------------------------------------------------


def _data(statement: Statement, state: State) -> None:
    """INSERT / UPDATE / DELETE: recorded as a data change on its target table."""
    target, verb = _data_target(statement)
    table = state.work.table(target) if target else None
    name = table.name if table else (target or "")
    state.record(statement, Action.DATA, name, table=name or None, verb=verb)


def _data_target(statement: Statement) -> tuple[str | None, str]:
    plain = _plain_data_target(statement)
    if plain is not None:
        return plain
    tree = statement.tree()
    verbs = {exp.Insert: "INSERT", exp.Update: "UPDATE", exp.Delete: "DELETE"}
    if tree is not None:
        for kind, verb in verbs.items():
            if isinstance(tree, kind):
                table = tree.find(exp.Table)
                if isinstance(tree, exp.Insert) and "REPLACE" in statement.keywords[:3]:
                    verb = "REPLACE"
                return (table.name if table is not None else None), verb
    return _data_target_from_words(statement)


# The verbs of the plain forms, with the word before the target and the target's position.
_PLAIN_DATA_FORMS = {"INSERT": ("INTO", 2), "DELETE": ("FROM", 2), "UPDATE": ("UPDATE", 1)}


def _plain_data_target(statement: Statement) -> tuple[str, str] | None:
    """The target of ``INSERT INTO t``, ``DELETE FROM t`` or ``UPDATE t SET`` with an
    unquoted, unqualified name, read from the words: for these forms sqlglot's tree (its
    first table) says the same, and parsing costs a tenth of a large folder's load."""
    keywords = statement.keywords
    form = _PLAIN_DATA_FORMS.get(keywords[0])
    if form is None:
        return None
    anchor, position = form
    if len(keywords) <= position or keywords[position - 1] != anchor:
        return None
    after = keywords[position + 1] if len(keywords) > position + 1 else ""
    if after == "." or (keywords[0] == "UPDATE" and after != "SET"):
        return None
    target = statement.words[position]
    return (target.name, keywords[0]) if target.kind is TokenType.VAR else None


def _data_target_from_words(statement: Statement) -> tuple[str | None, str]:
    keywords = statement.keywords
    verb = next((k for k in keywords if k in ("INSERT", "REPLACE", "UPDATE", "DELETE")), "")
    anchor = {"INSERT": "INTO", "REPLACE": "INTO", "DELETE": "FROM", "UPDATE": "UPDATE"}.get(verb)
    if anchor is None or anchor not in keywords:
        return None, verb
    index = keywords.index(anchor) + 1
    while index < len(keywords) and keywords[index] in (
        "OR",
        "ROLLBACK",
        "ABORT",
        "REPLACE",
        "FAIL",
        "IGNORE",
    ):
        index += 1
    return (statement.words[index].name if index < len(statement.words) else None), verb


_HANDLERS: dict[str, Handler] = {
    "CREATE TABLE": create_table,
    "CREATE VIRTUAL TABLE": create_virtual_table,
    "CREATE INDEX": create_index,
    "CREATE VIEW": create_view,
    "CREATE TRIGGER": create_trigger,
    "DROP TABLE": drop_table,
    "DROP INDEX": drop_index,
    "DROP VIEW": drop_view_or_trigger,
    "DROP TRIGGER": drop_view_or_trigger,
    "ALTER TABLE": alter_table,
}
