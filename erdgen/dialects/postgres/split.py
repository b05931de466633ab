"""Split a migration file into statements the way PostgreSQL's psql reads it.

The rules are psql's lexer (``src/fe_utils/psqlscan.l``) and the server's
(``src/backend/parser/scan.l``): a ``;`` ends a statement only outside comments
(``--`` and nested ``/* */``), strings (``'...'`` with ``''``; ``E'...'`` also with
backslash escapes), quoted identifiers (``"..."``), dollar quotes (``$$ ... $$``,
``$tag$ ... $tag$``), parentheses, and the ``BEGIN [ATOMIC] ... END`` body of a
``CREATE [OR REPLACE] FUNCTION|PROCEDURE`` (psql's heuristic, which also counts ``CASE``
inside such a body). ``\\;`` puts a ``;`` into the statement without ending it. A
backslash elsewhere starts a psql meta-command (``\\i``, ``\\set``, ...) that runs to the
end of its line: it is no SQL and is reported with its location. A variable set with
``\\set`` is substituted where the file uses it (``:name``, ``:'name'``, ``:"name"``),
except that a value from a shell command (a backquoted one) is never run and is empty.
psql sends what is left at the end of a file as a last statement.
"""

from __future__ import annotations

import bisect
import re

from msgspec import Struct

from erdgen.errors import Location


class Statement(Struct, frozen=True):
    """One statement: its text from its first token up to and including the ``;``."""

    text: str
    start: int  # offset in the file
    location: Location

    def at(self, offset: int) -> Location:
        """The location of ``offset`` (0-based, in characters) within the text."""
        before = self.text[:offset]
        lines = before.count("\n")
        start = self.location
        if lines == 0:
            return Location(start.path, start.line, start.column + offset)
        return Location(start.path, start.line + lines, offset - before.rfind("\n"))


class MetaCommand(Struct, frozen=True):
    """A psql meta-command such as ``\\i other.sql``: psql runs it, the server never sees it."""

    text: str  # the whole command up to the end of its line, e.g. "\\set ON_ERROR_STOP on"
    location: Location

    @property
    def name(self) -> str:
        return self.text.split(maxsplit=1)[0]


class Comment(Struct, frozen=True):
    """A ``--`` or ``/* */`` comment (a nested one as a whole): its offsets and its text."""

    start: int  # offset of "--" or "/*"
    end: int  # offset just after the comment
    text: str  # the comment as written, markers included


class Unterminated(Struct, frozen=True):
    """A string, quoted identifier, dollar quote or comment still open at the end of the file."""

    what: str  # "quoted string", "quoted identifier", "dollar-quoted string $tag$", "comment"
    location: Location


class SplitFile(Struct, frozen=True):
    """``split``'s result: the text, its statements, psql meta-commands and comments in file
    order, and the first string, quoted name or comment left open at the end (None: none)."""

    text: str
    statements: tuple[Statement, ...]
    meta_commands: tuple[MetaCommand, ...]
    comments: tuple[Comment, ...]
    unterminated: Unterminated | None = None


# White space goes with the token after it (one match per token, not two); at the end of
# the text only white space matches, and no group. Words come first, as most tokens are
# words (the engine tries the alternatives in order): the look-ahead leaves the letters
# that begin a string or quoted name (E'', B'', U&"") to those alternatives.
_IDENTIFIER = r"[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9$\x80-\U0010ffff]*"
_WORD = rf"(?![eEbBxXnN]'|[uU]&['\"]){_IDENTIFIER}"
_DOLLAR = r"\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*)?\$"
_TOKEN = re.compile(
    r"\s*(?:"
    rf"(?P<word>{_WORD})"
    r"|(?P<line>--[^\n]*)"
    r"|(?P<block>/\*)"
    r"|(?P<escape>[eE]')"
    r"|(?P<string>(?:[uU]&|[bBxXnN])?')"
    r"|(?P<quoted>(?:[uU]&)?\")"
    rf"|(?P<dollar>{_DOLLAR})"
    r"|(?P<semicolon>;)"
    r"|(?P<open>\()"
    r"|(?P<close>\))"
    r"|(?P<backslash>\\)"
    r"|(?P<cast>::)"
    r"|(?P<variable>:'[A-Za-z_][A-Za-z0-9_]*'|:\"[A-Za-z_][A-Za-z0-9_]*\"|:[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<other>[0-9$]+|[^\s;:()\\'\"A-Za-z_$0-9\-/\x80-\U0010ffff]+|.))?",
    re.DOTALL,
)
# A run of the tokens that change nothing once a statement's first four words are noted
# (outside a routine's BEGIN ... END): words, "::", numbers and operators, each exactly as
# _TOKEN reads it. Skipped in one match: most tokens of most statements.
_QUIET = re.compile(
    rf"(?:\s*(?:{_WORD}|::|(?!{_DOLLAR})[0-9$]+|[^\s;:()\\'\"A-Za-z_$0-9\-/\x80-\U0010ffff]+))*"
)
_STRING_END = re.compile(r"(?:[^']|'')*'", re.DOTALL)
_ESCAPE_STRING_END = re.compile(r"(?:[^'\\]|\\.|'')*'", re.DOTALL)
_QUOTED_END = re.compile(r'(?:[^"]|"")*"', re.DOTALL)
_COMMENT_MARK = re.compile(r"/\*|\*/")
_NEWLINE = re.compile("\n")
# Words psql notes to recognise CREATE [OR REPLACE] FUNCTION|PROCEDURE (psqlscan.l).
_NOTED = frozenset({"create", "function", "procedure", "or", "replace"})
_SENDS_BUFFER = frozenset({"\\g", "\\gx", "\\gset", "\\gexec"})


class _Statement:
    """psql's state for the statement being read."""

    def __init__(self) -> None:
        self.start: int | None = None
        self.parens = 0
        self.begins = 0
        self.words: list[str] = []  # first letters of the first 4 words, psql's "identifiers"
        self.routine = False  # those words begin CREATE [OR REPLACE] FUNCTION | PROCEDURE
        # spans psql replaces in the statement: meta-commands (by ""), "\\;" (by ";"),
        # variables (by their value)
        self.cuts: list[tuple[int, int, str]] = []

    def note_word(self, word: str) -> None:
        if len(self.words) < 4:  # only the first four words decide (psqlscan.l)
            lowered = word.lower()
            if lowered in _NOTED:
                self.words.append(lowered[0])
                self.routine = self._defines_routine()
            else:
                self.words.append("")  # never makes a routine of the words before
        if not self.routine or self.parens:
            return  # most words of most statements: lower-cased only when they count
        lowered = word.lower()
        if lowered == "begin" or (lowered == "case" and self.begins):
            self.begins += 1
        elif lowered == "end" and self.begins:
            self.begins -= 1

    def _defines_routine(self) -> bool:
        """CREATE [OR REPLACE] FUNCTION | PROCEDURE, by the first letters of the words."""
        w = self.words
        if len(w) < 2 or w[0] != "c":
            return False
        if w[1] in ("f", "p"):
            return True
        return len(w) == 4 and w[1] == "o" and w[2] == "r" and w[3] in ("f", "p")


def split(text: str, path: str = "<sql>") -> SplitFile:
    """Statements, meta-commands and comments of ``text``, each located in ``path``."""
    return _Splitter(text, path).run()


class _Splitter:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = [m.start() for m in _NEWLINE.finditer(text)]  # not a loop per character
        self.statements: list[Statement] = []
        self.meta: list[MetaCommand] = []
        self.comments: list[Comment] = []
        self.unterminated: Unterminated | None = None
        self.current = _Statement()
        self.variables: dict[str, str] = {}

    def location(self, offset: int) -> Location:
        line = bisect.bisect_left(self.lines, offset)
        line_start = self.lines[line - 1] + 1 if line else 0
        return Location(self.path, line + 1, offset - line_start + 1)

    def run(self) -> SplitFile:
        position, text = 0, self.text
        while position < len(text):
            current = self.current  # words count only in a routine's body, outside parentheses
            if len(current.words) == 4 and (not current.routine or current.parens):
                position = _QUIET.match(text, position).end()  # type: ignore[union-attr]
            match = _TOKEN.match(text, position)
            assert match is not None  # the pattern matches the empty string too
            position = self._token(match) if match.lastgroup else match.end()
        self._finish(len(text))
        return SplitFile(
            text, tuple(self.statements), tuple(self.meta), tuple(self.comments), self.unterminated
        )

    def _token(self, match: re.Match[str]) -> int:
        kind = match.lastgroup or ""
        start, end = match.span(kind)
        if kind == "word":  # most tokens
            self._begin(start)
            self.current.note_word(match[kind])
            return end
        if kind == "line":
            self.comments.append(Comment(start, end, match[kind]))
            return end
        if kind == "block":
            return self._block_comment(start)
        if kind == "backslash":
            return self._backslash(start)
        if kind == "semicolon" and self.current.start is None:
            return end  # an empty statement: psql sends nothing
        self._begin(start)
        if kind == "escape":
            return self._closed(_ESCAPE_STRING_END, end, start, "quoted string")
        if kind == "string":
            return self._closed(_STRING_END, end, start, "quoted string")
        if kind == "quoted":
            return self._closed(_QUOTED_END, end, start, "quoted identifier")
        if kind == "dollar":
            return self._dollar(match[kind], start, end)
        if kind == "open":
            self.current.parens += 1
        elif kind == "close" and self.current.parens:
            self.current.parens -= 1
        elif kind == "variable":
            self._variable(match[kind], start, end)
        elif kind == "semicolon" and not self.current.parens and not self.current.begins:
            self._finish(end)
        return end

    def _begin(self, offset: int) -> None:
        if self.current.start is None:
            self.current.start = offset

    def _finish(self, end: int) -> None:
        start = self.current.start
        if start is not None:
            text = self._without_cuts(start, end).rstrip()
            self.statements.append(Statement(text, start, self.location(start)))
        self.current = _Statement()

    def _without_cuts(self, start: int, end: int) -> str:
        """The statement as psql sends it: no meta-commands, ``\\;`` as ``;``."""
        if not self.current.cuts:
            return self.text[start:end]
        parts, position = [], start
        for cut_start, cut_end, replacement in self.current.cuts:
            parts += [self.text[position:cut_start], replacement]
            position = cut_end
        parts.append(self.text[position:end])
        return "".join(parts).rstrip()

    def _closed(self, closing: re.Pattern[str], body: int, start: int, what: str) -> int:
        match = closing.match(self.text, body)
        if match is None:
            return self._open_at_end(start, what)
        return match.end()

    def _dollar(self, tag: str, start: int, body: int) -> int:
        close = self.text.find(tag, body)
        if close < 0:
            return self._open_at_end(start, f"dollar-quoted string {tag}")
        return close + len(tag)

    def _block_comment(self, start: int) -> int:
        depth, position = 0, start
        for mark in _COMMENT_MARK.finditer(self.text, start):
            depth += 1 if mark[0] == "/*" else -1
            position = mark.end()
            if depth == 0:
                self.comments.append(Comment(start, position, self.text[start:position]))
                return position
        return self._open_at_end(start, "comment")

    def _backslash(self, start: int) -> int:
        if self.text.startswith(("\\;", "\\:"), start):  # psql: a literal ";" or ":"
            self._begin(start)
            self.current.cuts.append((start, start + 2, self.text[start + 1]))
            return start + 2
        line_end = self.text.find("\n", start)
        end = len(self.text) if line_end < 0 else line_end
        command = MetaCommand(self.text[start:end].rstrip(), self.location(start))
        self.meta.append(command)
        if command.name in _SENDS_BUFFER:
            self._finish(start)
        elif self.current.start is not None:
            self.current.cuts.append((start, end, ""))
        self._note_variable(command)
        return end

    def _note_variable(self, command: MetaCommand) -> None:
        """``\\set name value``: psql substitutes ``:name``, ``:'name'``, ``:"name"`` later."""
        parts = command.text.split(maxsplit=2)
        if command.name != "\\set" or len(parts) < 2:
            return
        value = parts[2] if len(parts) == 3 else ""
        if value.startswith("`"):
            value = ""  # a shell command: erdgen never runs one; the caller reports it
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        self.variables[parts[1]] = value

    def _variable(self, reference: str, start: int, end: int) -> None:
        name = reference.strip(":'\"")
        value = self.variables.get(name)
        if value is None:
            return  # psql leaves an unknown variable as written
        if reference[1] == "'":
            value = "'" + value.replace("'", "''") + "'"
        elif reference[1] == '"':
            value = '"' + value.replace('"', '""') + '"'
        self.current.cuts.append((start, end, value))

    def _open_at_end(self, start: int, what: str) -> int:
        self._begin(start)
        if self.unterminated is None:
            self.unterminated = Unterminated(what, self.location(start))
        return len(self.text)
