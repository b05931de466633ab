"""A build with nothing changed returns at once; any changed input still rebuilds (issue 6).

And the cheap SQLite cross-check of ``build``: one replay, each file as one script.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import erdgen.site.build
from erdgen.config import Config
from erdgen.core.compare import verify, verify_final
from erdgen.core.history import build_history, load_history, project_history
from erdgen.dialects.sqlite.engine import replay, replay_final
from erdgen.errors import MigrationError, OutputError
from erdgen.layouts import discover_migrations as discover
from erdgen.model import History, Migration
from erdgen.site.build import BuildResult, build, check_stale, input_stamp

REPO = Path(__file__).resolve().parent.parent


def project(tmp_path: Path) -> Config:
    shutil.copytree(REPO / "migrations", tmp_path / "migrations")
    (tmp_path / "docs").mkdir()
    return Config(project_dir=tmp_path, jobs=2)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every time build reads the migrations into a history (the real code runs)."""
    calls: list[Path] = []

    def counted_load(config: Config) -> History:
        calls.append(config.migrations_path)
        return project_history(config)

    def counted_build(migrations: tuple[Migration, ...], *args: Any, **options: Any) -> History:
        calls.append(Path(migrations[0].path).parent if migrations else Path())
        return build_history(migrations, *args, **options)

    monkeypatch.setattr(erdgen.site.build, "project_history", counted_load)
    monkeypatch.setattr(erdgen.site.build, "build_history", counted_build)
    return calls


Edit = Callable[[Config], None]


def append_comment(config: Config) -> None:
    first = sorted(config.migrations_path.glob("*.sql"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "-- reviewed\n", encoding="utf-8")


def describe_users(config: Config) -> None:
    config.descriptions_path.write_text("tables:\n  users:\n    de: Die Nutzer\n")


def test_second_build_writes_nothing_and_does_not_load_the_migrations(
    tmp_path: Path, loads: list[Path]
) -> None:
    config = project(tmp_path)
    first = build(config)
    before = files(config.output_path)

    again = build(config)

    assert len(loads) == 1
    assert (again.written, again.deleted) == ((), ())
    assert again.unchanged == tuple(sorted((*first.written, *first.unchanged)))
    assert again.diagnostics == first.diagnostics
    assert (again.tables, again.migrations) == (first.tables, first.migrations)
    assert files(config.output_path) == before
    assert check_stale(config) == [] and len(loads) == 1


def test_remembered_diagnostics_are_the_same_as_a_real_build(
    tmp_path: Path, loads: list[Path]
) -> None:
    config = project(tmp_path)
    scratch = config.migrations_path / "0099_scratch.sql"
    scratch.write_text("CREATE TEMP TABLE scratch (a INT);\n")  # warned about, not modelled
    first = build(config)
    again = build(config)
    assert len(loads) == 1
    assert [d.code for d in first.diagnostics] == ["temporary"]
    assert again.diagnostics == first.diagnostics
    assert [d.format() for d in again.diagnostics] == [d.format() for d in first.diagnostics]


@pytest.mark.parametrize("edit", [append_comment, describe_users], ids=lambda e: e.__name__)
def test_a_changed_input_rebuilds_and_matches_a_clean_build(
    tmp_path: Path, loads: list[Path], edit: Edit
) -> None:
    config = project(tmp_path / "incremental" / "shop")
    build(config)
    edit(config)

    rebuilt = build(config)

    assert len(loads) == 2
    clean = project(tmp_path / "clean" / "shop")  # the title is the folder's name
    edit(clean)
    build(clean)
    assert files(config.output_path) == files(clean.output_path)
    if edit is describe_users:
        assert "tables/users.md" in rebuilt.written


def test_same_inputs_same_stamp_in_another_folder(tmp_path: Path) -> None:
    one, two = project(tmp_path / "one" / "shop"), project(tmp_path / "two" / "shop")
    assert input_stamp(one) == input_stamp(two)
    append_comment(two)
    assert input_stamp(one) != input_stamp(two)
    changed_option = Config(project_dir=one.project_dir, neighbour_depth=2)
    assert input_stamp(changed_option) != input_stamp(one)


def test_a_hand_edited_generated_file_is_still_refused(tmp_path: Path, loads: list[Path]) -> None:
    config = project(tmp_path)
    build(config)
    index = config.output_path / "index.md"
    index.write_text("edited by hand\n", encoding="utf-8")

    with pytest.raises(OutputError, match="edited since erdgen generated it"):
        build(config)
    assert len(loads) == 2
    assert "index.md" in check_stale(config)


def test_a_deleted_generated_file_is_written_again(tmp_path: Path, loads: list[Path]) -> None:
    config = project(tmp_path)
    build(config)
    before = files(config.output_path)
    (config.output_path / "index.md").unlink()

    again: BuildResult = build(config)

    assert again.written == ("index.md",)
    assert files(config.output_path) == before


# --- the cross-check build uses --------------------------------------------------------------


def test_final_replay_is_the_last_schema_of_the_step_by_step_replay() -> None:
    migrations = discover(REPO / "migrations", REPO)
    *_, (_, last) = replay(migrations)
    assert replay_final(migrations) == last
    history = load_history(REPO / "migrations", REPO)
    assert verify_final(history).agrees and verify(history).agrees
    assert verify_final(history).schema == verify(history).schema


def migration_folder(tmp_path: Path, *sqls: str) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    for number, sql in enumerate(sqls, start=1):
        (folder / f"{number:04d}_m.sql").write_text(sql, encoding="utf-8")
    return folder


def final_tables(tmp_path: Path, *sqls: str) -> list[str]:
    folder = migration_folder(tmp_path, *sqls)
    return [table.name for table in replay_final(discover(folder, tmp_path)).tables]


def test_files_that_steer_transactions_or_end_in_an_open_comment_replay(tmp_path: Path) -> None:
    assert final_tables(
        tmp_path,
        "BEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\n",
        "PRAGMA foreign_keys = ON;\nCREATE TABLE b (x REFERENCES a);\n",
        "CREATE TABLE c (x); /* left open",
        "CREATE TABLE d (x) -- no final semicolon",
    ) == ["a", "b", "c", "d"]


def test_a_failing_file_is_rolled_back_and_named_at_its_statement(tmp_path: Path) -> None:
    folder = migration_folder(
        tmp_path, "CREATE TABLE t (a);\n", "CREATE TABLE u (b);\nUPDATE t SET c = 1;\n"
    )
    with pytest.raises(MigrationError) as caught:
        replay_final(discover(folder, tmp_path))
    assert caught.value.location is not None
    assert caught.value.location.line == 2
    assert caught.value.message.endswith("no such column: c")


def test_functions_the_application_registers_get_a_stand_in(tmp_path: Path) -> None:
    assert final_tables(
        tmp_path,
        "CREATE TABLE t (a BLOB);\nINSERT INTO t VALUES (x'01');\nUPDATE t SET a = B64(a);\n",
    ) == ["t"]


# --- kept SQLite states: one new migration replays one file ------------------------------


def test_a_kept_state_is_continued_and_gives_the_same_schema(tmp_path: Path) -> None:
    migrations = discover(REPO / "migrations", REPO)
    snapshots = tmp_path / "sqlite"
    replay_final(migrations[:-1], snapshots)
    (kept,) = snapshots.iterdir()

    assert replay_final(migrations, snapshots) == replay_final(migrations)
    assert len(list(snapshots.iterdir())) == 2  # the state after the new migration too

    marked = sqlite3.connect(":memory:")  # proves the replay starts from the kept state
    marked.deserialize(kept.read_bytes())
    marked.execute("CREATE TABLE kept_marker (x)")
    kept.write_bytes(marked.serialize())
    names = [table.name for table in replay_final(migrations, snapshots).tables]
    assert "kept_marker" not in names  # the longest prefix (all files) was kept: used as is
    assert "kept_marker" in [t.name for t in replay_final((*migrations[:-1],), snapshots).tables]


def test_a_damaged_state_is_replayed_from_scratch(tmp_path: Path) -> None:
    migrations = discover(REPO / "migrations", REPO)
    snapshots = tmp_path / "sqlite"
    replay_final(migrations, snapshots)
    (kept,) = snapshots.iterdir()
    kept.write_bytes(b"not a database")
    assert replay_final(migrations, snapshots) == replay_final(migrations)


def test_no_state_is_kept_after_a_migration_that_changes_the_connection(tmp_path: Path) -> None:
    folder = migration_folder(tmp_path, "PRAGMA foreign_keys = ON;\nCREATE TABLE a (x);\n")
    snapshots = tmp_path / "sqlite"
    replay_final(discover(folder, tmp_path), snapshots)
    assert not snapshots.exists()
    other = migration_folder(
        tmp_path / "d", "PRAGMA defer_foreign_keys = on;\nCREATE TABLE a (x);\n"
    )
    replay_final(discover(other, tmp_path / "d"), snapshots)
    assert len(list(snapshots.iterdir())) == 1
