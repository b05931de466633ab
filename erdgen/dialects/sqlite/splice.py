"""The CREATE TABLE text as ADD COLUMN and DROP COLUMN leave it: SQLite edits the stored
text in place (alter.c, sqlite3AlterFinishAddColumn and renameDropColumn), so erdgen
finds the body's elements by position and splices."""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace

from erdgen.dialects.sqlite.lexer import NOT_SPACE, unquote
from erdgen.dialects.sqlite.names import fold

_TABLE_CONSTRAINTS = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})


class _Element(Struct, frozen=True):
    """One element of a CREATE TABLE body: a column definition or a table constraint."""

    first_word: str  # unquoted
    start: int  # offset just after the "(" or "," before it
    end: int  # offset of the "," or ")" after it
    quoted: bool
    references: bool  # has a REFERENCES clause
    text_end: int  # offset just after its last token (comments after it excluded)

    @property
    def is_column(self) -> bool:
        keyword = self.first_word.upper().split()[0] if self.first_word else ""
        return self.quoted or keyword not in _TABLE_CONSTRAINTS


def _body_elements(sql: str) -> list[_Element]:
    """Column definitions and table constraints of a CREATE TABLE text, by position.

    SQLite's lexical rules (lexer.py) are enough here (the text is SQL that SQLite
    accepted) and much cheaper than sqlglot's tokens of the growing text on every ADD
    COLUMN.
    """
    elements: list[_Element] = []
    depth, start, first, quoted, references, text_end = 0, -1, "", False, False, -1
    for match in NOT_SPACE.finditer(sql):
        if match.lastgroup == "comment":
            continue
        text = match[0]
        if depth == 1 and text in (",", ")"):
            elements.append(_Element(first, start, match.start(), quoted, references, text_end))
            if text == ")":
                break
            start, first, quoted, references = match.end(), "", False, False
            continue
        if depth == 1 and not first:
            first, quoted = unquote(text), text[0] in '"`['
        references = references or (depth >= 1 and text.upper() == "REFERENCES")
        depth += {"(": 1, ")": -1}.get(text, 0)
        text_end = match.end()
        if depth == 1 and start < 0:
            start = match.end()
    return elements


def without_column_sql(sql: str, column: str) -> str:
    """The CREATE TABLE text without one column's definition, as DROP COLUMN leaves it."""
    elements = _body_elements(sql)
    for position, element in enumerate(elements):
        if not element.is_column or fold(element.first_word) != fold(column):
            continue
        if position > 0:  # drop from the comma before it
            return sql[: elements[position - 1].end] + sql[element.end :]
        if len(elements) > 1:
            return sql[: element.start] + sql[elements[1].start :].lstrip()
    return sql


def with_column_sql(sql: str, definition: str) -> tuple[str, int]:
    """The CREATE TABLE text with a column added, as ADD COLUMN leaves it (SQLite splices
    the definition in after the last column, before the table constraints), and how many
    column definitions carried a REFERENCES clause before it: the added column's foreign
    key follows theirs in SQLite's list, ahead of FOREIGN KEY table constraints."""
    elements = _SPLICED.get(sql) or tuple(_body_elements(sql))
    columns = [position for position, e in enumerate(elements) if e.is_column]
    if not columns:
        return sql, 0
    end = elements[columns[-1]].text_end
    references = sum(1 for position in columns if elements[position].references)
    result = f"{sql[:end]}, {definition}{sql[end:]}"
    _remember_splice(result, elements, columns[-1], definition)
    return result, references


# The body elements of the texts with_column_sql wrote, worked out from the elements it
# started from: a table's next ADD COLUMN (most follow one) need not scan its text again.
_SPLICED: dict[str, tuple[_Element, ...]] = {}
_SPLICES_KEPT = 1024


def _remember_splice(
    result: str, elements: tuple[_Element, ...], after: int, definition: str
) -> None:
    """Elements of ``result``: the definition went in after ``elements[after]`` with ", "."""
    added = _body_elements(f"({definition})")  # offsets one more than in the definition
    if len(added) != 1:
        return
    last = elements[after]
    comma, shift = last.text_end, 2 + len(definition)
    column = replace(
        added[0], start=comma + 1, end=last.end + shift, text_end=added[0].text_end + comma + 1
    )
    moved = (
        replace(e, start=e.start + shift, end=e.end + shift, text_end=e.text_end + shift)
        for e in elements[after + 1 :]
    )
    if len(_SPLICED) >= _SPLICES_KEPT:
        _SPLICED.pop(next(iter(_SPLICED)), None)
    _SPLICED[result] = (*elements[:after], replace(last, end=comma), column, *moved)
