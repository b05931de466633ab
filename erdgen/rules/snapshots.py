"""Whole-schema files beside the migrations, checked against the history (LAYOUTS.md §3.5).

A snapshot is not a step: Flyway's ``B<version>__`` baseline stands for every version up
to its own, an application's top-level schema file for the whole folder. Each is built on
its own in the engine and compared with the model at the point it stands for.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from erdgen import dialects
from erdgen.core.compare import Difference, compare
from erdgen.model import History, Migration, Schema
from erdgen.plural import counted


class SnapshotCheck(Struct, frozen=True):
    """A snapshot file, built alone by the engine, against the model at the point it stands for
    (after ``after``)."""

    snapshot: Migration
    after: Migration | None  # the model is taken after this migration (None: empty schema)
    differences: tuple[Difference, ...]

    def lines(self) -> Iterator[str]:
        after = f"{self.after.shown} {self.after.name}".rstrip() if self.after else "no migration"
        if not self.differences:
            yield f"snapshot {self.snapshot.path}: matches the model after {after}"
            return
        count = counted(len(self.differences), "difference")
        yield f"snapshot {self.snapshot.path}: {count} from the model after {after}"
        yield from (f"  {difference}" for difference in self.differences)


def check_snapshots(history: History, snapshots: tuple[Migration, ...]) -> list[SnapshotCheck]:
    """Each snapshot's schema, built alone by the engine, against the model at its point:
    the last migration whose sort key is not above the snapshot's (all, for a file whose
    key sorts first, like a top-level schema file)."""
    engine = dialects.get(history.dialect)
    checks = []
    for snapshot in snapshots:
        steps = [s for s in history.steps if not _after(s.migration, snapshot)]
        step = steps[-1] if steps else None
        actual = engine.replay_final((snapshot,), None)
        model = step.schema if step else Schema()  # before every migration: nothing
        checks.append(SnapshotCheck(snapshot, step.migration if step else None,
                                    compare(model, actual, engine)))  # fmt: skip
    return checks


def _after(migration: Migration, snapshot: Migration) -> bool:
    """Whether ``migration`` comes after what ``snapshot`` stands for; a snapshot keyed
    ``(0,)`` (a schema file) stands for the whole folder."""
    if snapshot.sort_key == (0,):
        return False
    return migration.sort_key > snapshot.sort_key
