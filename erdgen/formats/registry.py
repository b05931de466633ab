"""The registry of output formats: a name, a file suffix, a kind and a writer.

A *schema* format writes the whole schema after the last migration (``erdgen export
--format``); a *diagram* format writes the one diagram ``erdgen diagram`` chose (the
overview, a table's neighbourhood or a migration). Each format module registers its writer
with ``@schema_format`` or ``@diagram_format``; the commands take their choices from
``names(kind)``, so a new module is a new choice.

Imports stay light (no parser, no Graphviz): the CLI builds its options from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from msgspec import Struct

from erdgen.errors import ConfigError
from erdgen.model import Column, History, Schema, Table

if TYPE_CHECKING:
    from erdgen.config import Config
    from erdgen.descriptions import Descriptions
    from erdgen.render.diagrams import Diagram

Kind = Literal["schema", "diagram"]
T = TypeVar("T")


class SchemaExport(Struct, frozen=True):
    """What a schema format reads: the history (its ``schema`` is the state after the last
    migration) and the sidecar texts that become notes and comments."""

    history: History
    descriptions: Descriptions | None = None
    language: str = "en"  # which sidecar text a note takes
    title: str = ""  # the project's name, for formats that carry one
    layout: str = ""  # how the folder was read (erdgen.layouts), "" when not known
    evidence: tuple[str, ...] = ()  # what decided the layout, one line each

    def table_note(self, table: Table) -> str:
        """The sidecar description in ``language``, else the SQL comment, else ""."""
        sidecar = self.descriptions.table(table.name, self.language) if self.descriptions else ""
        return sidecar.strip() or table.description.strip()

    def column_note(self, table: Table, column: Column) -> str:
        sidecar = (
            self.descriptions.column(table.name, column.name, self.language)
            if self.descriptions
            else ""
        )
        return sidecar.strip() or column.description.strip()


class DiagramRequest(Struct, frozen=True):
    """What a diagram format reads: the diagram as DOT, and the schema and tables it shows
    (``tables`` None: every table), for formats that draw from the model themselves."""

    diagram: Diagram
    schema: Schema
    tables: tuple[str, ...] | None
    config: Config  # layout timeout, cache


@dataclass(frozen=True, slots=True)
class Format(Generic[T]):
    """A registered output format: its ``--format`` name, file suffix, kind and writer; ``T`` is
    what the writer reads (``SchemaExport`` or ``DiagramRequest``)."""

    name: str  # the value of --format
    suffix: str  # file suffix with its dot, e.g. ".dbml"
    kind: Kind
    summary: str  # one line for --help and the docs
    write: Callable[[T], bytes]
    binary: bool = False  # not text: written to a file (-o), never to the terminal


_FORMATS: dict[str, Format[Any]] = {}


def _register(entry: Format[Any]) -> None:
    if entry.name in _FORMATS:
        raise ValueError(f"output format {entry.name!r} is registered twice")
    _FORMATS[entry.name] = entry


def schema_format(
    name: str, suffix: str, summary: str
) -> Callable[[Callable[[SchemaExport], bytes]], Callable[[SchemaExport], bytes]]:
    """Register a writer of the whole schema under ``name``."""

    def register(write: Callable[[SchemaExport], bytes]) -> Callable[[SchemaExport], bytes]:
        _register(Format(name, suffix, "schema", summary, write))
        return write

    return register


def diagram_format(
    name: str, suffix: str, summary: str, *, binary: bool = False
) -> Callable[[Callable[[DiagramRequest], bytes]], Callable[[DiagramRequest], bytes]]:
    """Register a writer of one diagram under ``name``."""

    def register(write: Callable[[DiagramRequest], bytes]) -> Callable[[DiagramRequest], bytes]:
        _register(Format(name, suffix, "diagram", summary, write, binary))
        return write

    return register


def names(kind: Kind) -> tuple[str, ...]:
    """The registered formats of a kind, in registration order (the first is the default)."""
    return tuple(name for name, entry in _FORMATS.items() if entry.kind == kind)


def formats(kind: Kind) -> tuple[Format[Any], ...]:
    return tuple(entry for entry in _FORMATS.values() if entry.kind == kind)


def get_format(name: str, kind: Kind) -> Format[Any]:
    """The format called ``name``; ConfigError (exit 2) for an unknown name or another kind."""
    entry = _FORMATS.get(name)
    if entry is None or entry.kind != kind:
        known = ", ".join(names(kind))
        raise ConfigError(f"unknown {kind} format {name!r} (known: {known})")
    return entry
