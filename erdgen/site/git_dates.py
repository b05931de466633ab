"""When each migration entered the project: the date of the git commit that added its file
(the ``git_dates`` option; off by default, so a build never depends on git).

One ``git log`` for the whole folder, not one per file: ``--diff-filter=A`` lists the
commits that added each path, ``--reverse`` puts the first of them first, ``--relative``
gives paths relative to the project (git-log(1)). The committer date (``%cs``) is the
date the file landed on the branch, not the date its author first wrote it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from erdgen.model import Migration

_DATE_MARK = "\x01"  # starts a commit's line in the log; no path starts with it


def commit_dates(project_dir: Path, migrations: Sequence[Migration]) -> dict[str, str]:
    """Migration id -> ``YYYY-MM-DD`` of the commit that added its first file.

    A migration not yet committed has no entry; outside a git work tree, or without git,
    the result is empty (the timeline then shows no dates)."""
    log = _added_paths_log(project_dir)
    if log is None:
        return {}
    added: dict[str, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith(_DATE_MARK):
            date = line[len(_DATE_MARK) :]
        elif line:
            added.setdefault(line, date)
    return {m.id: added[m.paths[0]] for m in migrations if m.paths and m.paths[0] in added}


def _added_paths_log(project_dir: Path) -> str | None:
    command = [
        "git", "-C", str(project_dir), "-c", "core.quotepath=off", "log", "--reverse",
        "--diff-filter=A", f"--format={_DATE_MARK}%cs", "--name-only", "--relative",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:  # no git on this machine
        return None
    return result.stdout if result.returncode == 0 else None
