"""A cluster template: one ``initdb`` per machine, user and PostgreSQL version, copied per use.

``initdb`` is most of the cost of a throwaway cluster (0.6-1.7 s, mostly CPU, against
0.06-0.1 s to copy its 39 MB result). A throwaway cluster is therefore a copy of a data
directory that ``initdb`` made once and that is kept in the user's cache directory:
``$ERDGEN_CACHE_DIR/postgres/<key>`` when that variable is set, else
``platformdirs.user_cache_dir("erdgen")/postgres/<key>`` (Linux: ``~/.cache/erdgen``).

The key is a digest of everything that makes two ``initdb`` results differ: the real path
of the ``initdb`` program and what its ``--version`` prints, the arguments and environment
erdgen gives it (locale and encoding are explicit), and the user ids that own and use the
files. A new PostgreSQL version or another user gets a template of its own.

A template is published atomically: the fresh data directory is copied into a temporary
sibling and renamed into place; a concurrent process that loses the race removes its
copy. A template without ``PG_VERSION`` or ``global/pg_control`` (a damaged one) is moved
aside and replaced, never copied. Every failure here (a cache that cannot be written, a
copy that fails) leaves the caller to run ``initdb`` itself: the cache only saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

CACHE_ENV = "ERDGEN_CACHE_DIR"
# Bumped when erdgen changes what it keeps in a template, so old ones are not reused.
TEMPLATE_FORMAT = "1"


def templates_dir() -> Path:
    """Where templates are kept: ``$ERDGEN_CACHE_DIR/postgres``, else the user cache's."""
    root = os.environ.get(CACHE_ENV)
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("erdgen")
    return Path(root) / "postgres"


def template_path(
    initdb: Path, arguments: Sequence[str], environment: Mapping[str, str], owner: int
) -> Path | None:
    """The template for running ``initdb arguments`` with ``environment`` (files owned by
    uid ``owner``); None when ``initdb --version`` cannot be run."""
    try:
        version = subprocess.run(
            [str(initdb), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    digest = hashlib.sha256()
    parts = [TEMPLATE_FORMAT, str(initdb.resolve()), version.strip(), *arguments]
    parts += [f"{name}={value}" for name, value in sorted(environment.items())]
    parts += [f"owner={owner}", f"user={os.geteuid()}"]
    for part in parts:
        digest.update(part.encode() + b"\0")
    number = re.search(r"\d+(?:\.\d+)*", version)  # "initdb (PostgreSQL) 15.18 (Debian ...)"
    return templates_dir() / f"{number[0] if number else 'pg'}-{digest.hexdigest()[:16]}"


def is_complete(data: Path) -> bool:
    """Whether ``data`` looks like a data directory initdb finished."""
    return (data / "PG_VERSION").is_file() and (data / "global" / "pg_control").is_file()


def copy_template(template: Path, data: Path) -> bool:
    """Copy a complete ``template`` to ``data`` (which must not exist), keeping modes and
    owners; False, with nothing left at ``data``, when there is none or the copy fails."""
    if not is_complete(template):
        return False
    if _copy(template, data):
        return True
    shutil.rmtree(data, ignore_errors=True)
    return False


def keep_as_template(data: Path, template: Path) -> None:
    """Publish a copy of the freshly made ``data`` as ``template`` (before a server has run
    in it), replacing a damaged one; does nothing when the cache cannot be written."""
    with contextlib.suppress(OSError):
        template.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{template.name}-", dir=template.parent))
        try:
            if template.exists() and not is_complete(template):
                _move_aside(template, staging)
            copy = staging / "data"
            if _copy(data, copy) and is_complete(copy):
                # Fails when another process published first: then ours goes with staging.
                with contextlib.suppress(OSError):
                    copy.rename(template)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _move_aside(damaged: Path, staging: Path) -> None:
    with contextlib.suppress(OSError):  # gone already: another process replaced it
        damaged.rename(staging / "damaged")


def _copy(source: Path, target: Path) -> bool:
    """``cp -R -p``: modes (PostgreSQL requires 0700), owners (as root) and times kept,
    outside the GIL (the copy runs beside rendering)."""
    try:
        done = subprocess.run(["cp", "-R", "-p", str(source), str(target)], capture_output=True)
    except OSError:
        return False
    return done.returncode == 0
