"""Migration folders made in memory for tests: one SQL text per migration."""

from __future__ import annotations

from erdgen.core.history import build_history
from erdgen.model import History, Migration


def migrations(*files: str) -> list[Migration]:
    return [
        Migration(
            id=f"{n:04d}_m{n}.sql",
            sort_key=(n,),
            label=f"{n:04d}",
            name=f"m{n}",
            paths=(f"migrations/{n:04d}_m{n}.sql",),
            sha256="",
            sql=sql,
        )
        for n, sql in enumerate(files)
    ]


def history_of(*files: str) -> History:
    return build_history(migrations(*files))
