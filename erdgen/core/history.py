"""Fold the migrations over the schema: a snapshot after every migration.

The dialect (``erdgen.dialects``, SQLite by default) reads each statement itself; its
engine is asked only when the dialect doubts one: a statement the engine refuses is
then reported with its location exactly as the engine words it, with the places that
explain it (``fresh.explain``). With ``keep_going`` the engine judges every statement
as it comes, and the ones it refuses are skipped and recorded on their step: the model is
then what a statement-by-statement replay into the engine builds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec.structs import replace

from erdgen import dialects
from erdgen.core.fresh import causes, explain
from erdgen.core.lineage import trace_copies
from erdgen.core.rebuilds import collapse_rebuilds
from erdgen.errors import Diagnostic, MigrationError, Severity
from erdgen.layouts import Discovery, discover
from erdgen.model import History, Migration, SkippedStatement, Step

if TYPE_CHECKING:
    from erdgen.config import Config
    from erdgen.dialects.base import Dialect


def load_history(
    migrations_dir: Path,
    project_dir: Path | None = None,
    dialect: str | None = None,
    layout: str | None = None,
    keep_going: bool = False,
) -> History:
    """The whole pipeline: discover (in ``layout``, else the detected one), read each
    statement in the dialect (None: the one the folder's files name), fold."""
    found = discover(migrations_dir, project_dir, layout)
    chosen = dialect or dialects.detect(migrations_dir, project_dir, found.dialect)
    return history_from(found, dialects.get(chosen), keep_going)


def project_history(config: Config) -> History:
    """The history of a project's migrations, read with its options (folder, layout,
    dialect, ``keep_going``): what ``build``, ``check`` and ``describe`` document."""
    return load_history(
        config.migrations_path,
        config.project_dir,
        dialect=config.dialect or None,
        layout=config.layout,
        keep_going=config.keep_going,
    )


def history_from(
    found: Discovery, dialect: Dialect | None = None, keep_going: bool = False
) -> History:
    """The history of what discovery found; its warnings come first among the diagnostics."""
    history = replace(build_history(found.migrations, dialect, keep_going), layout=found.layout)
    if not found.warnings:
        return history
    return replace(history, diagnostics=(*found.warnings, *history.diagnostics))


def build_history(
    migrations: Sequence[Migration], dialect: Dialect | None = None, keep_going: bool = False
) -> History:
    """The schema after every migration, read by ``dialect`` (default: SQLite).

    Raises ``MigrationError`` at the first statement the dialect's engine refuses, with
    notes that explain it (``fresh.explain``); with ``keep_going`` such statements are
    skipped and recorded on their step (``Step.skipped``) and as ``skipped`` warnings."""
    dialect = dialect or dialects.get()
    reader = dialect.reader(keep_going=keep_going)
    steps: list[Step] = []
    with _cycle_collection_paused():
        try:
            for migration in migrations:
                known = len(reader.skipped)
                try:
                    changes = reader.read(migration)
                except MigrationError as error:
                    raise explain(error, migrations, dialect) from None
                schema, skipped = reader.schema, tuple(reader.skipped[known:])
                done = collapse_rebuilds(changes, schema)
                steps.append(Step(migration, done, schema, skipped, from_engine=reader.from_engine))
        finally:
            reader.close()
    if reader.skipped:
        steps = _explained_skips(steps, migrations, dialect)
    steps = trace_copies(steps)  # where INSERT ... SELECT moved data: read once, for everyone
    skips = tuple(_as_warning(skip) for step in steps for skip in step.skipped)
    return History(
        tuple(steps),
        (*reader.diagnostics, *skips),
        names=dialect.identifiers,
        dialect=dialect.name,
        keep_going=keep_going,
    )


def _explained_skips(
    steps: list[Step], migrations: Sequence[Migration], dialect: Dialect
) -> list[Step]:
    """Each skipped statement with the places that explain it (``fresh.causes``)."""
    skipped = [skip for step in steps for skip in step.skipped]
    explained = iter(
        replace(skip, causes=found)
        for skip, found in zip(skipped, causes(skipped, migrations, dialect), strict=True)
    )
    return [replace(step, skipped=tuple(next(explained) for _ in step.skipped)) for step in steps]


def _as_warning(skip: SkippedStatement) -> Diagnostic:
    return Diagnostic(
        skip.location,
        "skipped",
        "; ".join((f"skipped (--keep-going): {skip.reason}", *skip.causes)),
        Severity.WARNING,
        skip.statement,
    )


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """The fold allocates millions of small objects without cycles (every snapshot's
    tables, every change), which set off full collections of the growing heap that find
    nothing: a fifth of the load at 2,000 migrations. Reference counting frees them.
    When the fold is done, what it made goes to the oldest generation without a
    collection (``gc.freeze`` then ``unfreeze``): the history lives as long as the build,
    and the youngest generation's collection of it (every snapshot's tuple of tables)
    was 6 % of the load. The few cycles (sqlglot's trees) go with the next full one."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


__all__ = ["build_history", "history_from", "load_history", "project_history"]
