"""Errors and diagnostics: data with a location. Only the edges (CLI, plugin) format them."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct


class Location(Struct, frozen=True, order=True):
    """A place in a migration file; line and column are 1-based."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Diagnostic(Struct, frozen=True):
    """Something erdgen wants the user to know about one place in the input."""

    location: Location
    code: str
    message: str
    severity: Severity = Severity.WARNING
    statement: str = ""

    def format(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message} [{self.code}]"
        if self.statement:
            text += "\n" + indent_statement(self.statement)
        return text


# What discovery warns about (erdgen.layouts): the folder, not a statement.
LAYOUT_CODES = frozenset({"layout", "atlas-sum"})


def is_about_the_folder(diagnostic: Diagnostic) -> bool:
    """A discovery warning (rule ``layout-warning`` in ``erdgen check``)."""
    return diagnostic.code in LAYOUT_CODES


def is_about_a_statement(diagnostic: Diagnostic) -> bool:
    """A statement erdgen could not read (rule ``statement-not-understood``); notes and
    skipped statements (``fails-on-fresh-database``) are not."""
    skip = diagnostic.severity == Severity.INFO or diagnostic.code == "skipped"
    return not skip and not is_about_the_folder(diagnostic)


def indent_statement(statement: str, limit: int = 12) -> str:
    """The statement as a short indented excerpt for an error message."""
    lines = statement.strip().splitlines()
    if len(lines) > limit:
        lines = [*lines[: limit - 1], "..."]
    return "\n".join("    " + line for line in lines)


class ErdgenError(Exception):
    """Base class for every error erdgen reports to the user (exit code 2)."""

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        statement: str = "",
        notes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.statement = statement
        self.notes = notes  # explanations, each printed on its own lines after the error

    def format(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        text = f"{prefix}error: {self.message}"
        if self.statement:
            text += "\n" + indent_statement(self.statement)
        return "\n".join((text, *self.notes))


class DiscoveryError(ErdgenError):
    """The migrations folder cannot be read or ordered."""


class MigrationError(ErdgenError):
    """A migration statement is invalid or cannot be applied to the schema."""


class ConfigError(ErdgenError):
    """The configuration (CLI flags, mkdocs.yml, schema.yml) is invalid."""


class OutputError(ErdgenError):
    """erdgen refuses to write its output (e.g. it would overwrite a file it did not generate)."""


class EngineUnavailableError(ErdgenError):
    """The engine that judges a dialect (a PostgreSQL server, the libSQL package) cannot be
    had here; the message says why and how to get it. A build warns once and goes on."""
