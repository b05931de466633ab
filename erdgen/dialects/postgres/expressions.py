"""Default expressions beyond a single constant, printed as ``pg_get_expr`` prints them.

A small precedence parser (gram.y's ``a_expr`` for the operators defaults use) and a
printer following ``ruleutils.c``: every operator expression in parentheses
(``(now() + '90 days'::interval)``), an explicit cast of anything but a string literal as
``(x)::type``, a typed literal (``interval '90 day'``) as the constant PostgreSQL makes of
it, string arguments of functions and operators labelled ``::text``, ``AT TIME ZONE`` and
``EXTRACT`` in upper case. Anything else raises ``UnprintableError``; the caller then keeps
the text as written and the judge shows the difference.
"""

from __future__ import annotations

import re

from erdgen.dialects.postgres.tokens import Token
from erdgen.dialects.postgres.types import read_type

# Binding power of the binary operators defaults use (gram.y precedence, low to high).
_BINARY = {
    "or": 1, "and": 2, "=": 4, "<>": 4, "!=": 4, "<": 4, ">": 4, "<=": 4, ">=": 4,
    "||": 6, "->": 6, "->>": 6, "#>": 6, "#>>": 6, "+": 7, "-": 7, "*": 8, "/": 8, "%": 8,
}  # fmt: skip
_SQL_VALUE = {"current_timestamp", "current_date", "current_time", "localtimestamp",
              "localtime", "current_user", "session_user", "current_role"}  # fmt: skip
_INTERVAL_UNITS = {
    "year": ("year", 1), "years": ("year", 1), "mon": ("month", 1), "mons": ("month", 1),
    "month": ("month", 1), "months": ("month", 1), "week": ("day", 7), "weeks": ("day", 7),
    "day": ("day", 1), "days": ("day", 1), "hour": ("second", 3600), "hours": ("second", 3600),
    "minute": ("second", 60), "minutes": ("second", 60), "min": ("second", 60),
    "mins": ("second", 60), "second": ("second", 1), "seconds": ("second", 1),
    "sec": ("second", 1), "secs": ("second", 1),
}  # fmt: skip


class UnprintableError(ValueError):
    pass


def print_expression(tokens: list[Token]) -> str:
    parser = _Parser(tokens)
    printed = parser.expression(0)
    if parser.at != len(tokens):
        raise UnprintableError("tokens left over")
    return printed


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise UnprintableError("the expression ends too early")
        self.at += 1
        return token

    def expression(self, power: int) -> str:
        left = self.postfix(self.operand())
        while (token := self.peek()) is not None:
            operator = token.value if token.kind in ("op", "word") else token.text
            if token.is_("at") and power < 5:
                self.at += 1
                if not (self.take().is_("time") and self.take().is_("zone")):
                    raise UnprintableError("AT TIME ZONE expected")
                zone = self.postfix(self.operand(string_label="text"))
                left = f"({left} AT TIME ZONE {zone})"
                continue
            strength = _BINARY.get(operator)
            if strength is None or strength <= power:
                break
            self.at += 1
            right = self.expression(strength)
            name = operator.upper() if token.kind == "word" else operator
            left = f"({_label_text(left)} {name} {_label_text(right)})"
        return left

    def postfix(self, printed: str) -> str:
        while (token := self.peek()) is not None and token.text == "::":
            self.at += 1
            parsed = read_type(self.tokens, self.at)
            self.at = parsed.end
            printed = _cast(printed, parsed.name)
        return printed

    def operand(self, string_label: str = "") -> str:
        token = self.take()
        if token.text == "(":
            inner = self.expression(0)
            if self.take().text != ")":
                raise UnprintableError("')' expected")
            return inner
        if token.text == "-" and (number := self.peek()) is not None and number.kind == "number":
            self.at += 1
            return f"'-{number.text}'::{'integer' if number.text.isdigit() else 'numeric'}"
        if token.kind == "number":
            return token.text
        if token.kind == "string":
            return _literal(token.value) + (f"::{string_label}" if string_label else "")
        if token.kind in ("word", "quoted"):
            return self.word(token)
        raise UnprintableError(f"unexpected {token.text!r}")

    def word(self, token: Token) -> str:
        following = self.peek()
        if token.is_("array") and following is not None and following.text == "[":
            return self.array()
        if token.kind == "word" and following is not None and following.kind == "string":
            return self.typed_literal(token)
        if following is not None and following.text == "(":
            return self.call(token.value)
        if token.is_("true", "false", "null"):
            return token.value.upper() if token.value == "null" else token.value
        if token.is_(*_SQL_VALUE):
            return token.value.upper()
        return token.value if token.kind == "word" else f'"{token.value}"'

    def array(self) -> str:
        self.at += 1  # "["
        elements: list[str] = []
        while (token := self.peek()) is not None and token.text != "]":
            elements.append(self.expression(0))
            if self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
                self.at += 1
        self.take()
        return f"ARRAY[{', '.join(elements)}]"

    def typed_literal(self, type_word: Token) -> str:
        parsed = read_type(self.tokens, self.at - 1)
        value = self.take().value
        if parsed.name.startswith("interval"):
            value = interval_output(value)
        return f"{_literal(value)}::{parsed.name}"

    def call(self, name: str) -> str:
        self.at += 1  # "("
        if name == "extract":
            field = self.take().value
            if not self.take().is_("from"):
                raise UnprintableError("FROM expected")
            source = self.expression(0)
            self.take()
            return f"EXTRACT({field} FROM {source})"
        arguments: list[str] = []
        while (token := self.peek()) is not None and token.text != ")":
            arguments.append(self.expression(0))
            if self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
                self.at += 1
        self.take()
        arguments = [_label_text(a) for a in arguments]
        if name in _SQL_VALUE:
            return f"{name.upper()}({', '.join(arguments)})"
        if name == "coalesce":
            return f"COALESCE({', '.join(arguments)})"
        if name == "nextval" and len(arguments) == 1:
            return arguments[0].replace("::text", "::regclass")
        return f"{name}({', '.join(arguments)})"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _label_text(printed: str) -> str:
    """A bare string literal next to an operator or in a call resolves to text."""
    return printed + "::text" if re.fullmatch(r"'(?:[^']|'')*'", printed) else printed


def _cast(printed: str, type_name: str) -> str:
    if re.fullmatch(r"'(?:[^']|'')*'", printed):
        return f"{printed}::{type_name}"
    if re.fullmatch(r"\d+", printed) and type_name == "integer":
        return printed
    if printed == "ARRAY[]":  # an empty array takes its type from the cast
        return f"{printed}::{type_name}"
    return f"({printed})::{type_name}"


def interval_output(text: str) -> str:
    """``'90 day'`` as PostgreSQL prints the interval: ``'90 days'``, ``'01:00:00'``."""
    parts = text.lower().replace("@", " ").split()
    totals = {"year": 0, "month": 0, "day": 0, "second": 0}
    if len(parts) % 2:
        raise UnprintableError("an interval erdgen cannot normalise")
    for amount, unit in zip(parts[::2], parts[1::2], strict=True):
        if unit not in _INTERVAL_UNITS or not re.fullmatch(r"-?\d+", amount):
            raise UnprintableError("an interval erdgen cannot normalise")
        field, factor = _INTERVAL_UNITS[unit]
        totals[field] += int(amount) * factor
    printed = [
        f"{totals[field]} {name}{'' if abs(totals[field]) == 1 else 's'}"
        for field, name in (("year", "year"), ("month", "mon"), ("day", "day"))
        if totals[field]
    ]
    seconds = totals["second"]
    if seconds or not printed:
        hours, rest = divmod(abs(seconds), 3600)
        sign = "-" if seconds < 0 else ""
        printed.append(f"{sign}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}")
    return " ".join(printed)
