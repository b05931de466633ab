"""Type names read from tokens and printed as PostgreSQL's ``format_type`` prints them.

The names and spellings follow ``src/backend/utils/adt/format_type.c`` and the type
grammar (``SimpleTypename`` in gram.y): ``int`` is ``integer``, ``varchar(20)`` is
``character varying(20)``, ``timestamptz`` is ``timestamp with time zone``, any number
of array brackets is one ``[]``, a user type outside the search path is qualified.
``serial`` types are ``integer``/``bigint``/``smallint`` with a sequence (``Serial``).
"""

from __future__ import annotations

from msgspec import Struct

from erdgen.dialects.postgres.tokens import Token
from erdgen.namespaces import quote_ident

# Alias -> the name format_type prints (types without a modifier).
_SIMPLE = {
    "int": "integer", "int4": "integer", "integer": "integer",
    "int2": "smallint", "smallint": "smallint",
    "int8": "bigint", "bigint": "bigint",
    "float4": "real", "real": "real", "float8": "double precision",
    "bool": "boolean", "boolean": "boolean",
    "timestamptz": "timestamp with time zone", "timetz": "time with time zone",
    "varbit": "bit varying", "decimal": "numeric",
}  # fmt: skip
SERIALS = {
    "serial": "integer", "serial4": "integer", "bigserial": "bigint", "serial8": "bigint",
    "smallserial": "smallint", "serial2": "smallint",
}  # fmt: skip
_TYPMOD_AFTER = {"timestamp", "time"}  # "timestamp(3) with time zone"


class ParsedType(Struct, frozen=True):
    """A type read by ``read_type``: its name as PostgreSQL's ``format_type`` prints it (one
    ``[]`` for any number of array brackets), whether it is a serial, and where it ends."""

    name: str  # as format_type prints it
    serial: bool = False  # serial, bigserial, smallserial: a sequence and a default
    end: int = 0  # index of the first token after the type


class TypeSyntaxError(ValueError):
    def __init__(self, message: str, token: Token | None) -> None:
        super().__init__(message)
        self.token = token


def read_type(tokens: list[Token], at: int, resolve: TypeResolver | None = None) -> ParsedType:
    """The type starting at ``tokens[at]``."""
    reader = _TypeReader(tokens, at)
    name, serial = reader.base(resolve)
    arrays = reader.arrays()
    return ParsedType(name + "[]" * bool(arrays), serial, reader.at)


class TypeResolver:
    """Finds which schema a user type (an enum, a domain) lives in, for qualification."""

    def qualify(self, schema: str | None, name: str) -> str:
        return name if schema in (None, "public", "pg_catalog") else f"{schema}.{name}"


class _TypeReader:
    def __init__(self, tokens: list[Token], at: int) -> None:
        self.tokens = tokens
        self.at = at

    def peek(self, offset: int = 0) -> Token | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def word(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.is_(*words):
            self.at += 1
            return True
        return False

    def base(self, resolve: TypeResolver | None) -> tuple[str, bool]:
        token = self.peek()
        if token is None or token.kind not in ("word", "quoted"):
            raise TypeSyntaxError("a type name was expected", token)
        self.at += 1
        if token.kind == "quoted" or self._qualified_next():
            return self._user_type(token, resolve), False
        name = token.value
        if name in SERIALS:
            return SERIALS[name], True
        if name == "double" and self.word("precision"):
            return "double precision", False
        if name in ("character", "char", "varchar", "national", "nchar", "bit"):
            return self._characters(name), False
        if name in _TYPMOD_AFTER:
            return self._datetime(name), False
        if name in ("timestamptz", "timetz"):
            return self._with_modifier(_SIMPLE[name], name[:-2]), False
        if name == "float":
            return self._float(), False
        if name in ("numeric", "decimal"):
            return self._numeric(), False
        if name == "interval":
            return self._interval(), False
        modifiers = self.modifiers()
        printed = _SIMPLE.get(name) or (resolve or TypeResolver()).qualify(None, name)
        return (f"{printed}({modifiers})" if modifiers else printed), False

    def _qualified_next(self) -> bool:
        following = self.peek()
        return following is not None and following.text == "."

    def _user_type(self, first: Token, resolve: TypeResolver | None) -> str:
        schema, name = None, first.value
        if self._qualified_next():
            self.at += 1
            token = self.peek()
            if token is None:
                raise TypeSyntaxError("a type name was expected after the schema", first)
            schema, name = name, token.value
            self.at += 1
            if schema == "pg_catalog":
                return _SIMPLE.get(name, name)
        modifiers = self.modifiers()
        printed = quote_ident(name) + (f"({modifiers})" if modifiers else "")
        return (resolve or TypeResolver()).qualify(schema, printed)

    def modifiers(self) -> str:
        """``(10, 2)`` as "10,2"; "" when there is none."""
        token = self.peek()
        if token is None or token.text != "(":
            return ""
        values: list[str] = []
        self.at += 1
        while (token := self.peek()) is not None and token.text != ")":
            if token.text != ",":
                values.append(token.text)
            self.at += 1
        self.at += 1
        return ",".join(values)

    def _characters(self, name: str) -> str:
        if name in ("national", "nchar"):
            self.word("character", "char")
        varying = name == "varchar" or self.word("varying")
        modifiers = self.modifiers()
        if name == "bit":
            base = "bit varying" if varying else "bit"
            return f"{base}({modifiers})" if modifiers else (base if varying else "bit(1)")
        if varying:
            return f"character varying({modifiers})" if modifiers else "character varying"
        return f"character({modifiers or '1'})"

    def _datetime(self, name: str) -> str:
        modifiers = self.modifiers()
        zone = "without time zone"
        if self.word("with"):
            self.word("time") and self.word("zone")
            zone = "with time zone"
        elif self.word("without"):
            self.word("time") and self.word("zone")
        return f"{name}({modifiers}) {zone}" if modifiers else f"{name} {zone}"

    def _with_modifier(self, printed: str, base: str) -> str:
        modifiers = self.modifiers()
        return f"{base}({modifiers}) with time zone" if modifiers else printed

    def _float(self) -> str:
        modifiers = self.modifiers()
        if modifiers and int(modifiers) <= 24:
            return "real"
        return "double precision"

    def _numeric(self) -> str:
        modifiers = self.modifiers()
        if modifiers and "," not in modifiers:
            modifiers += ",0"
        return f"numeric({modifiers})" if modifiers else "numeric"

    def _interval(self) -> str:
        fields: list[str] = []
        while self.word("year", "month", "day", "hour", "minute", "second", "to"):
            fields.append(self.tokens[self.at - 1].value)
        modifiers = self.modifiers()
        text = " ".join(["interval", *fields])
        return f"{text}({modifiers})" if modifiers else text

    def arrays(self) -> int:
        count = 0
        while True:
            token = self.peek()
            if token is not None and token.text == "[":
                while (token := self.peek()) is not None and token.text != "]":
                    self.at += 1
                self.at += 1
                count += 1
            elif token is not None and token.is_("array"):
                self.at += 1
                next_token = self.peek()
                if next_token is not None and next_token.text == "[":
                    continue
                count += 1
            else:
                return count
