"""Real migration folders nobody on this project wrote: the model must be SQLite's schema.

The folders live beside the project (``../shared/corpus``, see its README); the bundled
``migrations/`` are checked the same way, and through the ``erdgen verify`` command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from msgspec.structs import replace

import erdgen.core.history
from erdgen.cli import main
from erdgen.core.compare import verify
from erdgen.core.history import load_history

REPO = Path(__file__).parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
# The SQLite folders of the corpus (its README lists layout and dialect of each); the
# PostgreSQL and MySQL folders are read by their own dialects. Each is read as it sits, with
# no option: detection picks its tool's layout, and the replay follows that tool's order
# and transaction rules (drizzle: one transaction around all files).
SQLITE_FOLDERS = (
    "atuin-client",
    "authelia-sqlite",
    "conductor-sqlite",
    "filbeam-d1",
    "gophish-sqlite",
    "homarr-sqlite",
    "ncps-goose-atlas-sqlite",
    "ncps-sqlite",
    "pingvin-share-sqlite",
    "plume-sqlite",
    "pocket-id-sqlite",
)
FOLDERS = [pytest.param(CORPUS / name, id=name) for name in SQLITE_FOLDERS]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus of real migration folders at {CORPUS}")
@pytest.mark.parametrize("folder", FOLDERS)
def test_real_folder_agrees_with_sqlite_after_every_migration(folder: Path) -> None:
    history = load_history(folder, CORPUS)
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())
    assert len(report.checks) == len(history.steps) > 0
    assert report.schema.tables, "every corpus folder creates tables"


def test_bundled_migrations_agree_with_sqlite() -> None:
    history = load_history(REPO / "migrations", REPO)
    report = verify(history)
    assert report.agrees, "\n".join(report.lines())
    assert report.summary() == "11 migrations, 10 tables: the model agrees with SQLite"


def run_verify(project: Path, *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = CliRunner().invoke(main, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def test_verify_command_agrees_on_the_bundled_migrations() -> None:
    code, out, _ = run_verify(REPO)
    assert (code, out) == (0, "11 migrations, 10 tables: the model agrees with SQLite\n")


def test_verify_command_names_each_difference_and_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A model that is wrong in one place: user_id of the rebuilt ai_jobs made NOT NULL.
    history = load_history(REPO / "migrations", REPO)
    step = history.steps[9]
    jobs = step.schema.table("ai_jobs")
    assert jobs is not None
    columns = tuple(replace(c, not_null=c.name == "user_id" or c.not_null) for c in jobs.columns)
    wrong = replace(step, schema=step.schema.with_table(replace(jobs, columns=columns)))
    steps = (*history.steps[:9], wrong, *history.steps[10:])
    monkeypatch.setattr(
        erdgen.core.history, "history_from", lambda *_: replace(history, steps=steps)
    )
    code, out, _ = run_verify(REPO)
    assert (code, out) == (
        1,
        "0009 update_ai_jobs_guest_ownership: table ai_jobs: column user_id: not_null: "
        "model True, SQLite False\n"
        "11 migrations, 10 tables: 1 difference with SQLite\n",
    )


def test_verify_command_reports_sql_sqlite_rejects_with_its_place(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_create.sql").write_text("CREATE TABLE t (a);\nINSERT INTO t VALUES (1);\n")
    (migrations / "0002_add.sql").write_text("-- b\nALTER TABLE t\n  ADD COLUMN b TEXT NOT NULL;\n")
    code, out, err = run_verify(tmp_path)
    assert (code, out) == (2, "")
    assert err.endswith(
        "migrations/0002_add.sql:2:1: error: SQLite rejects this statement: "
        "Cannot add a NOT NULL column with default value NULL\n"
        "    ALTER TABLE t\n"
        "      ADD COLUMN b TEXT NOT NULL;\n"
    )
