"""A position in a statement's words, with the small moves SQLite's grammar needs."""

from __future__ import annotations

from erdgen.dialects.sqlite.tokens import Statement, Word
from erdgen.errors import MigrationError


class Cursor:
    """A position in a statement's words, with the small moves SQLite's grammar needs."""

    def __init__(self, statement: Statement, start: int = 0, end: int | None = None) -> None:
        self.statement = statement
        self.words = statement.words
        self.position = start
        self.end = len(self.words) if end is None else end

    def at_end(self) -> bool:
        return self.position >= self.end

    def peek(self, ahead: int = 0) -> str:
        index = self.position + ahead
        return self.words[index].upper if index < self.end else ""

    def word(self) -> Word:
        if self.at_end():
            raise self.error("unexpected end of statement")
        return self.words[self.position]

    def take(self) -> Word:
        word = self.word()
        self.position += 1
        return word

    def accept(self, *keywords: str) -> bool:
        """Consume the keywords if they come next (a multi-word token counts as its words)."""
        position, remaining = self.position, keywords
        while remaining:
            if position >= self.end:
                return False
            upper = self.words[position].upper
            if upper == remaining[0]:  # the usual case: one word, one keyword
                remaining = remaining[1:]
            else:
                parts = tuple(upper.split())
                if parts != remaining[: len(parts)]:
                    return False
                remaining = remaining[len(parts) :]
            position += 1
        self.position = position
        return True

    def expect(self, *keywords: str) -> None:
        if not self.accept(*keywords):
            found = self.peek() or "end of statement"
            raise self.error(f"expected {' '.join(keywords)}, found {found}")

    def name(self) -> str:
        """An object name, possibly qualified (``main.users``): the last part."""
        name = self.take().name
        while self.peek() == "." and self.position + 1 < self.end:
            self.position += 1
            name = self.take().name
        return name

    def qualified_name(self) -> tuple[str | None, str]:
        """``schema.name`` or ``name``: (the schema or None, the name)."""
        name = self.take().name
        if self.peek() == "." and self.position + 1 < self.end:
            self.position += 1
            return name, self.take().name
        return None, name

    def closing_paren(self) -> int:
        """Index of the ``)`` that closes the ``(`` at the current position."""
        depth = 0
        for index in range(self.position, self.end):
            source = self.words[index].source
            if source == "(":
                depth += 1
            elif source == ")":
                depth -= 1
                if depth == 0:
                    return index
        raise self.error("unbalanced parentheses")

    def parenthesised(self) -> tuple[int, int]:
        """Consume ``( ... )``; return the word range inside."""
        if self.peek() != "(":
            raise self.error(f"expected (, found {self.peek() or 'end of statement'}")
        close = self.closing_paren()
        inside = (self.position + 1, close)
        self.position = close + 1
        return inside

    def text(self, first: int, last: int) -> str:
        """Source text of words[first:last]."""
        if first >= last:
            return ""
        return self.statement.text[self.words[first].start : self.words[last - 1].end]

    def error(self, message: str) -> MigrationError:
        offset = self.words[min(self.position, len(self.words) - 1)].start if self.words else 0
        return MigrationError(message, self.statement.location_of(offset), self.statement.text)


def split_commas(cursor: Cursor, first: int, last: int) -> list[tuple[int, int]]:
    """Split words[first:last] at commas outside parentheses."""
    parts: list[tuple[int, int]] = []
    depth, start = 0, first
    for index in range(first, last):
        source = cursor.words[index].source
        if source == "(":
            depth += 1
        elif source == ")":
            depth -= 1
        elif source == "," and depth == 0:
            parts.append((start, index))
            start = index + 1
    if start < last:
        parts.append((start, last))
    return parts
