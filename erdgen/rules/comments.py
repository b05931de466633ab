"""The comments of a migration, found as the folder's dialect splits its text."""

from __future__ import annotations

from collections.abc import Iterator

from erdgen.dialects.sqlite.split import scan


def comments_of(sql: str, dialect: str) -> Iterator[tuple[int, str]]:
    """Each comment's start and words (markers stripped), found as the dialect's splitter
    finds them: PostgreSQL's dollar quotes and nested block comments hide what SQLite's
    rules would take for a comment, and the other way round."""
    if dialect != "postgres":
        yield from ((c.start, c.text) for c in scan(sql).comments)
        return
    from erdgen.dialects.postgres.split import split

    for comment in split(sql, "").comments:
        text = comment.text
        words = text[2:] if text.startswith("--") else text[2:].removesuffix("*/")
        yield comment.start, " ".join(words.split()) if "\n" in words else words.strip()
