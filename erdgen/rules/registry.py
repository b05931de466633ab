"""The registry of rules that ``erdgen check`` runs: each rule is one decorated function.

``@schema_rule(id, severity, summary)`` registers a check of one schema state; it yields
``Problem``s (a message and the objects it is about) and ``erdgen.rules.lint`` places each
at the migration that introduced it. ``@project_rule(...)`` registers a check of the whole
project (migration files, lock file, generated docs); it yields ``Report``s that already
have a place. The rule id and default severity are written once, in the decorator; every
rule has a page per language, ``docs/erdgen/rules/<id>.md`` and ``<id>.en.md``
(tests/test_lint.py checks), and ``erdgen check --list-rules`` prints the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from msgspec import Struct

from erdgen.descriptions import Descriptions
from erdgen.errors import Location, Severity
from erdgen.model import Column, History, Schema, Table

if TYPE_CHECKING:
    from erdgen.config import Config

DOCS = "docs/erdgen/rules"  # <id>.md (German), <id>.en.md (English)


class Finding(Struct, frozen=True, order=True):
    """A rule's finding at its place; ``rule`` is the rule's id. Ordered by location, then
    rule id and message."""

    location: Location
    rule: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self, column: bool = False) -> str:
        """``file:line: rule-id: message [severity]``; ``file:line:column: ...`` with
        ``column`` (PostgreSQL folders, whose findings sit at their statement)."""
        place = str(self.location) if column else f"{self.location.path}:{self.location.line}"
        return f"{place}: {self.rule}: {self.message} [{self.severity}]"


class Problem(Struct, frozen=True):
    """What a schema rule found, before it has a place: ``objects`` name what it is about."""

    message: str
    objects: tuple[str, ...]  # most specific first: "users.email", "users"


class Report(Struct, frozen=True):
    """What a project rule found, at its place."""

    location: Location
    message: str


class Texts(Struct, frozen=True):
    """The sidecar descriptions and the languages a description may be in."""

    descriptions: Descriptions = msgspec.field(default_factory=Descriptions)
    languages: tuple[str, ...] = ("de", "en")

    def table(self, table: Table) -> bool:
        return bool(table.description) or any(
            self.descriptions.table(table.name, language).strip() for language in self.languages
        )

    def column(self, table: Table, column: Column) -> bool:
        return bool(column.description) or any(
            self.descriptions.column(table.name, column.name, language).strip()
            for language in self.languages
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """What the rules read: the history, the descriptions and, for ``erdgen check``, the
    project (its lock file and generated docs; None for a plain ``lint``)."""

    history: History
    texts: Texts = field(default_factory=Texts)
    config: Config | None = None
    memo: dict[str, Any] = field(default_factory=dict, compare=False)  # shared by rules


SchemaCheck = Callable[[Schema, Texts], Iterable[Problem]]
ProjectCheck = Callable[[Subject], Iterable[Report]]
S = TypeVar("S", bound=SchemaCheck)
P = TypeVar("P", bound=ProjectCheck)


class Rule(Struct, frozen=True):
    """A registered rule: exactly one of ``schema_check`` (``@schema_rule``) and
    ``project_check`` (``@project_rule``) is set."""

    id: str  # kebab-case, the name in findings, ignore comments and configuration
    severity: Severity  # the default; `rules:` in the configuration changes it
    summary: str  # one line, for `erdgen check --list-rules`
    silenceable: bool  # an `-- erdgen: ignore[id] reason` comment silences a finding
    schema_check: SchemaCheck | None = None
    project_check: ProjectCheck | None = None
    dialects: frozenset[str] = frozenset()  # the dialects it applies to; empty: every one

    def applies_to(self, dialect: str) -> bool:
        return not self.dialects or dialect in self.dialects

    def docs(self, language: str) -> str:
        """The rule's page, relative to the project: German ``<id>.md``, else ``<id>.<lang>.md``."""
        return f"{DOCS}/{self.id}.md" if language == "de" else f"{DOCS}/{self.id}.{language}.md"


_RULES: dict[str, Rule] = {}
_IDS: dict[Callable[..., Any], str] = {}


def _register(entry: Rule, check: Callable[..., Any]) -> None:
    if entry.id in _RULES:
        raise ValueError(f"rule {entry.id!r} is registered twice")
    _RULES[entry.id] = entry
    _IDS[check] = entry.id


def schema_rule(
    rule_id: str, severity: Severity, summary: str, *, dialects: tuple[str, ...] = ()
) -> Callable[[S], S]:
    """Register a check of one schema state (silenceable by an ignore comment); ``dialects``
    names the dialects it applies to (``("sqlite", "libsql")``), empty for every one.

    A problem's last object is the table it is about, and whether it is found depends only
    on that table, its parents and the tables it references: ``erdgen.rules.lint`` re-checks
    a problem on those tables alone when it looks for the statement that made it."""

    def register(check: S) -> S:
        rule = Rule(
            rule_id, severity, summary, True, schema_check=check, dialects=frozenset(dialects)
        )
        _register(rule, check)
        return check

    return register


def project_rule(
    rule_id: str,
    severity: Severity,
    summary: str,
    *,
    silenceable: bool = True,
    dialects: tuple[str, ...] = (),
) -> Callable[[P], P]:
    """Register a check of the whole project; ``silenceable`` False for findings that sit
    outside a migration's statements (the lock file, generated pages, an ignore itself);
    ``dialects`` as for ``schema_rule``."""

    def register(check: P) -> P:
        rule = Rule(
            rule_id, severity, summary, silenceable,
            project_check=check, dialects=frozenset(dialects),
        )  # fmt: skip
        _register(rule, check)
        return check

    return register


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, in registration order (``erdgen.rules`` imports them all)."""
    return tuple(_RULES.values())


def get_rule(rule_id: str) -> Rule:
    return _RULES[rule_id]


def id_of(check: Callable[..., Any]) -> str:
    """The id a rule function was registered under (so code need not spell it again)."""
    return _IDS[check]
