"""erdgen verify and export with --dialect postgres."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.dialects.postgres.server import Server

MIGRATION = (
    "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
    "CREATE TABLE person (id serial PRIMARY KEY, m mood DEFAULT 'ok', name varchar(20));\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_init.sql").write_text(MIGRATION, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_verify_with_postgresql_as_the_judge(project: Path, pg_server: Server) -> None:
    result = CliRunner().invoke(main, ["verify", "--dialect", "postgres", "migrations"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("1 migration, 1 table: the model agrees")


def test_export_without_a_server_says_so_once_and_goes_on(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERDGEN_PG_BINDIR", str(project))
    monkeypatch.delenv("ERDGEN_PG_URL", raising=False)
    result = CliRunner().invoke(main, ["export", "--dialect", "postgres", "migrations"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "not cross-checked with PostgreSQL" in warnings[0]
    assert '"type": "character varying(20)"' in result.stdout


def test_help_names_every_engine_as_the_judge() -> None:
    export = CliRunner().invoke(main, ["export", "--help"], terminal_width=200)
    assert "Skip the cross-check against the engine (SQLite, libSQL, PostgreSQL)." in (
        export.output
    )


def test_the_console_script_stops_the_cluster_it_started(project: Path, pg_server: Server) -> None:
    """``erdgen`` ends without Python's finalization (``erdgen.cli.run``), but only after
    the exit handlers: the throwaway cluster it started for the judge is stopped and
    removed, and what it printed arrives whole."""
    if os.environ.get("ERDGEN_PG_URL"):
        pytest.skip("a server given by URL: erdgen starts no cluster")
    scratch = Path(tempfile.mkdtemp(prefix="erdgen-test-tmpdir-"))
    scratch.chmod(0o755)  # as root the cluster runs as another user, who must reach it
    try:
        done = subprocess.run(
            [sys.executable, "-m", "erdgen.cli", "verify", "--dialect", "postgres", "migrations"],
            cwd=project,
            env={**os.environ, "TMPDIR": str(scratch)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1].startswith("1 migration, 1 table: the model agrees")
        assert [path.name for path in scratch.iterdir()] == []
    finally:
        shutil.rmtree(scratch)
