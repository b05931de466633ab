"""The timeline's commit dates (option git_dates): read from a real git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.site.build import input_stamp, render_site
from erdgen.site.git_dates import commit_dates

FIRST = "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
SECOND = "ALTER TABLE users ADD COLUMN email TEXT;\n"


def git(project: Path, *args: str, date: str = "2024-01-01T12:00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "c",
        "GIT_COMMITTER_EMAIL": "c@example.org",
        "GIT_AUTHOR_DATE": "2020-01-01T00:00:00",  # the committer's date is the one shown
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", "-C", str(project), *args], check=True, env=env, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    git(tmp_path, "init", "-q")
    (folder / "0001_users.sql").write_text(FIRST)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "one", date="2024-03-05T10:00:00")
    (folder / "0002_email.sql").write_text(SECOND)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "two", date="2025-11-30T23:59:00")
    (folder / "0002_email.sql").write_text(SECOND + "-- edited later\n")
    git(tmp_path, "commit", "-q", "-am", "edit", date="2026-01-01T00:00:00")
    return tmp_path


def test_each_migration_has_the_date_of_the_commit_that_added_it(project: Path) -> None:
    history = load_history(project / "migrations", project)
    dates = commit_dates(project, history.migrations)
    assert dates == {"0001_users.sql": "2024-03-05", "0002_email.sql": "2025-11-30"}


def test_an_uncommitted_migration_has_no_date_and_no_repository_gives_none(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (project / "migrations" / "0003_new.sql").write_text("CREATE TABLE t (x);\n")
    history = load_history(project / "migrations", project)
    assert "0003_new.sql" not in commit_dates(project, history.migrations)
    elsewhere = tmp_path_factory.mktemp("plain")
    assert commit_dates(elsewhere, history.migrations) == {}


def test_the_timeline_shows_the_dates_only_with_the_option(project: Path) -> None:
    on = render_site(Config(project_dir=project, git_dates=True, verify=False)).files
    off = render_site(Config(project_dir=project, verify=False)).files
    assert "committed 2025-11-30" in on["timeline.en.md"].decode()
    assert "eingecheckt am 2024-03-05" in on["timeline.md"].decode()
    assert "2024-03-05" not in off["timeline.en.md"].decode()


def test_a_new_commit_changes_the_input_stamp_only_with_the_option(project: Path) -> None:
    stamps = [input_stamp(Config(project_dir=project, git_dates=g)) for g in (True, False)]
    git(project, "commit", "-q", "--allow-empty", "-m", "three", date="2026-02-02T00:00:00")
    after = [input_stamp(Config(project_dir=project, git_dates=g)) for g in (True, False)]
    assert stamps[0] != after[0] and stamps[1] == after[1]
