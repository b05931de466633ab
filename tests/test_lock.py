"""The lock file: edits, removals, renumbering and new migrations in a copy of a project."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from erdgen.errors import ConfigError
from erdgen.layouts import discover_migrations as discover
from erdgen.rules.lock import lock_findings, lock_path, lock_text, read_lock, write_lock

BUNDLED = Path(__file__).parents[1] / "migrations"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled migrations, locked."""
    shutil.copytree(BUNDLED, tmp_path / "migrations")
    lock_path(tmp_path / "migrations").unlink(missing_ok=True)
    assert write_lock(tmp_path / "migrations", discover(tmp_path / "migrations", tmp_path))
    return tmp_path


def findings(project: Path) -> list[str]:
    folder = project / "migrations"
    found = lock_findings(discover(folder, project), read_lock(folder, project))
    return [f.format() for f in found]


def test_a_fresh_lock_has_no_findings_and_is_stable(project: Path) -> None:
    assert findings(project) == []
    before = lock_path(project / "migrations").read_bytes()
    assert not write_lock(project / "migrations", discover(project / "migrations", project))
    assert lock_path(project / "migrations").read_bytes() == before
    assert before.endswith(b"\n") and b"\r" not in before


def test_lock_lines_are_the_files_sha256(project: Path) -> None:
    text = lock_path(project / "migrations").read_text()
    for path in sorted((project / "migrations").glob("*.sql")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"{digest} {path.name.split('_')[0]} {path.name}\n" in text
    assert not any(m.path.endswith(".lock") for m in discover(project / "migrations", project))


def test_edited_migration_is_an_error(project: Path) -> None:
    path = project / "migrations" / "0003_add_password_reset_tokens_table.sql"
    path.write_text(path.read_text().replace("expires_at INTEGER", "expires_at TEXT"))
    assert findings(project) == [
        "migrations/0003_add_password_reset_tokens_table.sql:1: locked-migration-changed: "
        "0003_add_password_reset_tokens_table.sql was edited after it was locked: a deployed "
        "migration must not change (revert it and add a new migration) [error]"
    ]


def test_removed_migration_points_at_the_lock_line(project: Path) -> None:
    (project / "migrations" / "0010_drop_password_artifacts.sql").unlink()
    assert findings(project) == [
        "migrations/erdgen.lock:14: locked-migration-changed: 0010_drop_password_artifacts.sql "
        "is locked but no longer in the migrations folder [error]"
    ]


def test_renumbered_migration_is_an_error(project: Path) -> None:
    folder = project / "migrations"
    (folder / "0010_drop_password_artifacts.sql").rename(folder / "0011_drop_password.sql")
    assert findings(project) == [
        "migrations/0011_drop_password.sql:1: locked-migration-changed: 0011_drop_password.sql "
        "is the locked migration 0010_drop_password_artifacts.sql under a new name or number: "
        "databases that applied it would apply it again [error]"
    ]


def test_new_migration_is_a_warning_until_locked(project: Path) -> None:
    new = project / "migrations" / "0011_add_tags.sql"
    new.write_text("CREATE TABLE tags (id TEXT PRIMARY KEY);\n")
    assert findings(project) == [
        "migrations/0011_add_tags.sql:1: migration-not-locked: 0011_add_tags.sql is not locked "
        "yet: run `erdgen lock` once it is final [warning]"
    ]
    write_lock(project / "migrations", discover(project / "migrations", project))
    assert findings(project) == []


def test_new_migration_numbered_below_a_locked_one_is_out_of_order(project: Path) -> None:
    folder = project / "migrations"
    (folder / "0010_drop_password_artifacts.sql").rename(folder / "0012_drop.sql")
    write_lock(folder, discover(folder, project))
    (folder / "0011_late.sql").write_text("SELECT 1;\n")
    assert [line.split(": ")[1] for line in findings(project)] == [
        "migration-not-locked",
        "migration-out-of-order",
    ]


def test_missing_lock_file_is_one_warning(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "migrations")
    lock_path(tmp_path / "migrations").unlink()
    assert findings(tmp_path) == [
        "migrations/0000_initial_schema.sql:1: migration-not-locked: no erdgen.lock yet: run "
        "`erdgen lock` to lock 11 migrations against later edits [warning]"
    ]


def test_hand_edited_lock_file_is_bad_input(project: Path) -> None:
    path = lock_path(project / "migrations")
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))  # a line removed by hand: the total no longer fits
    with pytest.raises(ConfigError, match="the total does not match the lines"):
        read_lock(project / "migrations", project)


def test_the_bundled_lock_file_is_current() -> None:
    root = BUNDLED.parent
    assert lock_path(BUNDLED).read_text() == lock_text(discover(BUNDLED, root))
