"""The model against an engine's own schema: every difference, by object and field.

Dialect-neutral: the dialect supplies its engine's schema (read back as a model
``Schema``), its identifier rule and its normalisation of SQL text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from msgspec import Struct
from msgspec.structs import replace

from erdgen import dialects
from erdgen.core.compare_tables import table_differences
from erdgen.core.fresh import explain
from erdgen.dialects.base import Value
from erdgen.errors import Diagnostic, Location, MigrationError, Severity
from erdgen.model import (
    History,
    Migration,
    Schema,
    SkippedStatement,
    Step,
    Trigger,
    View,
)
from erdgen.plural import counted

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect


ObjectKind = Literal["table", "view", "trigger", "statement"]


class Difference(Struct, frozen=True):
    """One way in which the model and the engine disagree about one object."""

    kind: str  # an ObjectKind; a dialect's own comparison adds its kinds ("enum", ...)
    name: str
    field: str  # e.g. "column email: not_null", "index idx_a: where", "exists"
    model: Value
    actual: Value  # the engine's value
    engine: str = "SQLite"  # how the text names the engine

    def __str__(self) -> str:
        if self.field.endswith("exists"):
            where = (
                f"only in {self.engine}, not in the model" if self.actual else "only in the model"
            )
            return f"{self.kind} {self.name}: {self.field[: -len('exists')]}{where}"
        return (
            f"{self.kind} {self.name}: {self.field}: "
            f"model {_show(self.model)}, {self.engine} {_show(self.actual)}"
        )


def _show(value: Value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(value) + ")"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def compare(
    model: Schema, actual: Schema, dialect: Dialect | None = None
) -> tuple[Difference, ...]:
    """Every difference between the model and the engine's schema (empty when they agree).

    A dialect with a comparison of its own (``Dialect.compare``: PostgreSQL matches
    triggers by table and name) compares; else, as for SQLite: tables as
    ``compare_tables`` compares them; views and triggers by name (SQLite's trigger names
    are the database's, not a table's) and their SQL, normalised by the dialect (default:
    SQLite) for layout and comments.
    """
    rules = dialect or dialects.get()
    own = rules.compare(model, actual)
    if own is not None:
        return tuple(Difference(*found, engine=rules.engine_name) for found in own)
    tables = table_differences(model, actual, rules)
    generic = (
        *(Difference("table", *found) for found in tables),
        *_compare_views(model, actual, rules),
        *_compare_triggers(model, actual, rules),
    )
    if rules.engine_name == "SQLite":
        return generic
    return tuple(replace(found, engine=rules.engine_name) for found in generic)


def _compare_views(model: Schema, actual: Schema, rules: Dialect) -> Iterator[Difference]:
    def fields(mine: View, real: View) -> _Fields:
        sql = rules.definition(mine.sql), rules.definition(real.sql)
        return (("name", mine.name, real.name), ("sql", *sql))

    return _compare_named("view", model.views, actual.views, model.view, fields, rules)


def _compare_triggers(model: Schema, actual: Schema, rules: Dialect) -> Iterator[Difference]:
    def fields(mine: Trigger, real: Trigger) -> _Fields:
        key = rules.identifiers.key
        return (
            ("name", mine.name, real.name),
            ("table", key(mine.table), key(real.table)),
            ("sql", rules.definition(mine.sql), rules.definition(real.sql)),
        )

    return _compare_named("trigger", model.triggers, actual.triggers, model.trigger, fields, rules)


_Named = TypeVar("_Named", View, Trigger)
_Fields = tuple[tuple[str, Value, Value], ...]  # (field, the model's value, SQLite's)


def _compare_named(
    kind: Literal["view", "trigger"],
    model: Sequence[_Named],
    actual: Sequence[_Named],
    lookup: Callable[[str], _Named | None],
    fields: Callable[[_Named, _Named], _Fields],
    rules: Dialect,
) -> Iterator[Difference]:
    """Views and triggers: which exist on one side only, and which fields differ."""
    for name in _only_in(model, actual, rules.identifiers.key):
        yield Difference(kind, name, "exists", True, False)
    for real in actual:
        mine = lookup(real.name)
        if mine is None:
            yield Difference(kind, real.name, "exists", False, True)
            continue
        for field, mine_value, real_value in fields(mine, real):
            if mine_value != real_value:
                yield Difference(kind, real.name, field, mine_value, real_value)


def _only_in(
    model: Sequence[View | Trigger], actual: Sequence[View | Trigger], key: Callable[[str], str]
) -> Iterator[str]:
    names = {key(item.name) for item in actual}
    return (item.name for item in model if key(item.name) not in names)


# --- verify: the model against the engine after every migration -------------------------------


class MigrationCheck(Struct, frozen=True):
    """The differences found after one migration (empty when model and engine agree)."""

    migration: Migration
    differences: tuple[Difference, ...]

    def lines(self) -> Iterator[str]:
        for difference in self.differences:
            yield f"{self.migration.shown} {self.migration.name}: {difference}"


def _count(number: int, one: str, many: str) -> str:
    return counted(number, one, many)


class VerifyReport(Struct, frozen=True):
    """What ``verify`` or ``verify_final`` found: a ``MigrationCheck`` per migration in order (only
    the last one for ``verify_final``) and the engine's schema after the last migration."""

    checks: tuple[MigrationCheck, ...]
    schema: Schema  # the engine's schema after the last migration
    engine: str = "SQLite"  # the judge, as the summary names it ("libSQL" for libsql)
    # the steps whose state was in part read from the engine's catalog (Step.from_engine)
    from_engine: tuple[Step, ...] = ()

    @property
    def agrees(self) -> bool:
        return not any(check.differences for check in self.checks)

    def lines(self) -> Iterator[str]:
        """Each difference as ``0009 update_ai_jobs: table ai_jobs: ...``."""
        for check in self.checks:
            yield from check.lines()

    def summary(self) -> str:
        migrations = _count(len(self.checks), "migration", "migrations")
        tables = _count(len(self.schema.tables), "table", "tables")
        found = sum(len(check.differences) for check in self.checks)
        taken = ""
        if self.from_engine:
            taken = (
                f" ({len(self.from_engine)} of them in part read from {self.engine}'s catalog,"
                " where the text cannot show what their DDL did)"
            )
        if not found:
            return f"{migrations}{taken}, {tables}: the model agrees with {self.engine}"
        noun = "difference" if found == 1 else "differences"
        return f"{migrations}{taken}, {tables}: {found} {noun} with {self.engine}"

    def notes(self) -> Iterator[str]:
        """Each step whose state was in part read from the engine's catalog, with what."""
        for step in self.from_engine:
            objects = ", ".join(step.from_engine)
            yield (
                f"{step.migration.shown} {step.migration.name}: read from {self.engine}'s "
                f"catalog: {objects}"
            )

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The differences as warnings at their migration, for ``build`` and ``export``."""
        return tuple(
            Diagnostic(
                location=Location(check.migration.path),
                code="model-differs-from-sqlite",
                message=f"the model differs from {self.engine}: {difference}",
                severity=Severity.WARNING,
            )
            for check in self.checks
            for difference in check.differences
        )


def verify(history: History, dialect: Dialect | None = None) -> VerifyReport:
    """Replay the history's migrations in the engine and compare the model after each one.

    The engine is the history's own dialect's unless ``dialect`` is given. A history read
    with ``--keep-going`` is replayed statement by statement, skipping what the engine
    refuses; the statements skipped in each migration must be the model's."""
    rules = dialect or dialects.get(history.dialect)
    checks: list[MigrationCheck] = []
    final = Schema()
    skipped: list[SkippedStatement] | None = [] if history.keep_going else None
    replayed = explained(rules.replay(history.migrations, skipped), history, rules)
    for step, (migration, actual) in zip(history.steps, replayed, strict=True):
        differences = compare(step.schema, actual, rules)
        if skipped is not None:
            differences += tuple(_skip_differences(step.skipped, skipped, migration))
        checks.append(MigrationCheck(migration, differences))
        final = actual
    taken = tuple(step for step in history.steps if step.from_engine)
    return VerifyReport(tuple(checks), final, engine_name(rules), taken)


def engine_name(dialect: Dialect) -> str:
    """How messages name the dialect's engine."""
    return dialect.engine_name


def _skip_differences(
    model: Sequence[SkippedStatement],
    replay: Sequence[SkippedStatement],
    migration: Migration | None = None,
) -> Iterator[Difference]:
    """Statements skipped by one side only (in ``migration``, or in any)."""
    mine = {str(skip.location) for skip in model}
    theirs = {
        str(s.location) for s in replay if migration is None or s.location.path == migration.path
    }
    for place in sorted(mine ^ theirs):
        yield Difference("statement", place, "skipped", place in mine, place in theirs)


def verify_final(
    history: History, snapshots: Path | None = None, dialect: Dialect | None = None
) -> VerifyReport:
    """Compare only the final model with SQLite's schema after one replay of every migration.

    Much cheaper than ``verify`` on long histories (one schema read instead of one per
    migration); ``build`` and ``export`` use it, ``erdgen verify`` checks every step.
    The differences are reported at the last migration.
    """
    rules = dialect or dialects.get(history.dialect)
    skipped: list[SkippedStatement] | None = [] if history.keep_going else None
    try:
        actual = rules.replay_final(history.migrations, snapshots, skipped)
    except MigrationError as error:
        raise explain(error, history.migrations, rules) from None
    return final_report(history, actual, rules, skipped)


T = TypeVar("T")


def explained(replay: Iterator[T], history: History, dialect: Dialect) -> Iterator[T]:
    """The engine's replay, its refusal of a statement explained (``fresh.explain``)."""
    try:
        yield from replay
    except MigrationError as error:
        raise explain(error, history.migrations, dialect) from None


def final_report(
    history: History,
    actual: Schema,
    dialect: Dialect | None = None,
    skipped: Sequence[SkippedStatement] | None = None,
) -> VerifyReport:
    """``verify_final``'s report, for a replay of ``history.migrations`` made elsewhere
    (``skipped``: what that replay skipped, with ``--keep-going``)."""
    rules = dialect or dialects.get(history.dialect)
    if not history.migrations:
        return VerifyReport((), actual, engine_name(rules))
    last = history.migrations[-1]
    differences = compare(history.schema, actual, rules)
    if skipped is not None:
        differences += tuple(_skip_differences(history.skipped, skipped))
    return VerifyReport((MigrationCheck(last, differences),), actual, engine_name(rules))
