"""Lexical structure of a migration file: statements, their positions, and comments.

Statements are split the way SQLite itself splits a script: grow the text up to the
next ``;`` until ``sqlite3.complete_statement`` accepts it. That keeps a trigger's
``BEGIN ... END`` body whole and handles ``;`` inside strings and comments, which
sqlglot's own splitting does not (see ../shared/STACK.md).
"""

from __future__ import annotations

import bisect
import re
import sqlite3
from functools import lru_cache
from itertools import pairwise

from msgspec import Struct

from erdgen.dialects.sqlite.lexer import HIDING, LEADING
from erdgen.dialects.sqlite.tool_comments import is_generated_line, is_prisma_warnings


class Comment(Struct, frozen=True):
    """A ``--`` or ``/* */`` comment outside strings and quoted names, with its offsets in the
    file and its words (a block comment's lines trimmed of a leading ``*``)."""

    start: int  # offset of "--" or "/*"
    end: int  # offset just after the comment (before the newline of a line comment)
    text: str  # the comment's words, markers stripped


class RawStatement(Struct, frozen=True):
    """One statement's text and where it starts in its file."""

    text: str  # from the first token up to and including the ";" (if any)
    start: int  # offset in the file
    line: int  # 1-based
    column: int  # 1-based


class ScannedFile(Struct, frozen=True):
    """``scan``'s result: the text, its statements as SQLite splits them, its comments in file
    order, and the blocks of comments that stand alone on consecutive lines."""

    text: str
    statements: tuple[RawStatement, ...]
    comments: tuple[Comment, ...]
    blocks: tuple[tuple[int, int, str], ...]  # comment blocks: (start, end, text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column


def scan(text: str) -> ScannedFile:
    """Find comments and top-level semicolons, then split into statements."""
    comments, semicolons = _scan_tokens(text)
    statements = _split(text, semicolons, {c.start: c.end for c in comments})
    return ScannedFile(text, statements, comments, comment_blocks(text, comments))


def _scan_tokens(text: str) -> tuple[tuple[Comment, ...], tuple[int, ...]]:
    comments: list[Comment] = []
    semicolons: list[int] = []
    for match in HIDING.finditer(text):
        found = match[0]
        if found == ";":
            semicolons.append(match.start())
        elif found.startswith("--"):
            comments.append(Comment(match.start(), match.end(), found[2:].strip()))
        elif found.startswith("/*"):
            body = found[2:-2] if found.endswith("*/") else found[2:]
            words = _block_comment_text(body)
            words = "" if is_prisma_warnings(words) else words  # the tool's, not a description
            comments.append(Comment(match.start(), match.end(), words))
    return tuple(comments), tuple(semicolons)


def _block_comment_text(body: str) -> str:
    lines = [line.strip().lstrip("*").strip() for line in body.splitlines()]
    return "\n".join(line for line in lines if line)


def _split(
    text: str, semicolons: tuple[int, ...], comment_ends: dict[int, int]
) -> tuple[RawStatement, ...]:
    statements: list[RawStatement] = []
    start = _skip_space_and_comments(text, 0, comment_ends)
    for semicolon in semicolons:
        if semicolon < start:
            continue
        candidate = text[start : semicolon + 1]
        if not sqlite3.complete_statement(candidate):
            continue  # a ";" inside a trigger body: keep growing
        if candidate.strip() != ";":
            statements.append(_raw(text, start, semicolon + 1))
        start = _skip_space_and_comments(text, semicolon + 1, comment_ends)
    if start < len(text):
        statements.append(_raw(text, start, len(text)))  # a last statement without ";"
    return tuple(statements)


def _raw(text: str, start: int, end: int) -> RawStatement:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return RawStatement(text[start:end].rstrip(), start, line, column)


def _skip_space_and_comments(text: str, position: int, comment_ends: dict[int, int]) -> int:
    starts = comment_ends
    length = len(text)
    while position < length:
        if text[position].isspace():
            position += 1
        elif position in starts:
            position = starts[position]
        else:
            break
    return position


def comment_blocks(text: str, comments: tuple[Comment, ...]) -> tuple[tuple[int, int, str], ...]:
    """Group comments on consecutive lines (nothing else between them) into blocks.

    Returns (start, end, text) per block; the text joins the comments' lines.
    """
    blocks: list[tuple[int, int, str]] = []
    for comment in comments:
        if not _alone_on_line(text, comment):
            continue
        if blocks and _only_one_newline_between(text, blocks[-1][1], comment.start):
            start, _, words = blocks[-1]
            blocks[-1] = (start, comment.end, f"{words}\n{comment.text}".strip())
        else:
            blocks.append((comment.start, comment.end, comment.text))
    return tuple(blocks)


def _alone_on_line(text: str, comment: Comment) -> bool:
    line_start = text.rfind("\n", 0, comment.start) + 1
    return text[line_start : comment.start].strip() == ""


def _only_one_newline_between(text: str, end: int, start: int) -> bool:
    between = text[end:start]
    return between.strip() == "" and between.count("\n") == 1


def header_comment(scanned: ScannedFile) -> str:
    """The file's leading comment block: the migration's description."""
    blocks = scanned.blocks
    if not blocks:
        return ""
    start, _, words = blocks[0]
    if scanned.text[:start].strip():
        return ""  # the first comment comes after a statement
    return _as_paragraph(words)


def file_header(text: str) -> str:
    """``header_comment`` of a whole file, reading only what comes before its first
    statement: no comment further down can join the header block."""
    leading = LEADING.match(text)
    return header_comment(scan(text[: leading.end() if leading else 0]))


def comment_above(scanned: ScannedFile, offset: int) -> str:
    """The comment block that ends on the line just above ``offset`` (not the file header)."""
    blocks = scanned.blocks
    position = bisect.bisect_right(blocks, offset, key=lambda block: block[1]) - 1
    if position >= 0:
        start, end, words = blocks[position]
        if _only_one_newline_between(scanned.text, end, offset):
            is_header = position == 0 and not scanned.text[:start].strip()
            return "" if is_header else _as_paragraph(words)
    return ""


def trailing_comment(scanned: ScannedFile, start: int, end: int) -> str:
    """A comment after ``end`` on the same line, or a comment inside [start, end)."""
    line_end = scanned.text.find("\n", end)
    line_end = len(scanned.text) if line_end < 0 else line_end
    first = bisect.bisect_left(scanned.comments, end, key=lambda comment: comment.start)
    for comment in scanned.comments[first:]:
        if comment.start >= line_end:
            break
        if scanned.text[end : comment.start].strip() in ("", ","):
            return _as_paragraph(comment.text)
    return ""


# Cached: a folder repeats its comment blocks (a tool's header in every file, the same
# column comment in every rebuild), and reading one costs a few regular expressions a line.
@lru_cache(maxsize=4096)
def _as_paragraph(words: str) -> str:
    """Join comment lines into text; a blank comment line keeps a paragraph break.

    Lines that start with ``erdgen:`` are directives for erdgen, and a migration tool's
    template lines (``tool_comments``) are the tool's, not a description; Prisma's warnings
    are left out when scanned.
    """
    words = "\n".join(
        line
        for line in words.split("\n")
        if not line.startswith("erdgen:") and not is_generated_line(line)
    )
    paragraphs = [_joined(part) for part in words.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p).strip()


# A line that ends a sentence ("type.", "NOTE:"), or one before a line that begins one (a
# capital, a digit, a list item): comment headers often put one sentence on each line
# without a full stop ("... use uint256 as ID type" / "SQLite does not support ...").
_ENDS_SENTENCE = re.compile(r"[.!?:][)\"'\u201d]*$")


def _begins_sentence(line: str) -> bool:
    return line[0].isupper() or line[0].isdigit() or line[:2] in ("- ", "* ", "\u2022 ")


def _joined(paragraph: str) -> str:
    """A paragraph's lines: a wrapped sentence joined with spaces, a line that ends one or
    comes before one kept as a line of its own."""
    lines = [" ".join(line.split()) for line in paragraph.split("\n")]
    lines = [line for line in lines if line]
    text = lines[0] if lines else ""
    for before, line in pairwise(lines):
        ends = _ENDS_SENTENCE.search(before) is not None
        text += ("\n" if ends or _begins_sentence(line) else " ") + line
    return text
