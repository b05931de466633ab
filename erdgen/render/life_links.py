"""The links between the pages of one name's tables (``lives``): a table dropped and
created again under its name is two tables, each with its page, each pointing at the other."""

from __future__ import annotations

from msgspec import Struct

from erdgen.render.lives import TableLife, drop_migration
from erdgen.render.markdown import code
from erdgen.render.siteplan import Linker, SitePlan, relative_link


class OtherLife(Struct, frozen=True):
    """Another table of the same name: ``earlier`` (dropped before this one was created) or
    later, with Markdown links to its page and to the migrations that began and ended it."""

    earlier: bool
    link: str
    created_in: str  # "" when unknown
    dropped_in: str  # "" while it exists


def latest(life: TableLife) -> bool:
    """The name's own page (``tables/<slug>.md``): the current table or the last dropped."""
    return "--" not in life.slug


def other_lives(plan: SitePlan, life: TableLife, linker: Linker) -> tuple[OtherLife, ...]:
    """The other tables that had this table's last name, earlier ones first."""
    same = plan.namesakes(life.name)
    if len(same) < 2:
        return ()
    last = len(plan.history.steps)
    same.sort(key=lambda other: last if other.dropped_in is None else other.dropped_in)
    position = same.index(life)
    return tuple(
        _other_life(plan, other, linker, number < position)
        for number, other in enumerate(same)
        if other is not life
    )


def _other_life(plan: SitePlan, other: TableLife, linker: Linker, earlier: bool) -> OtherLife:
    steps = plan.history.steps
    link = f"[{code(other.name)}]({relative_link(linker.page, other.path)})"
    created = linker.migration(steps[other.steps[0]].migration) if other.steps else ""
    dropped = drop_migration(plan.history, other)
    return OtherLife(earlier, link, created, linker.migration(dropped) if dropped else "")
