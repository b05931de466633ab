"""Bad input on the command line: exit code 2, ``path:line:column: error:``, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from erdgen.cli import main

ROOT = Path(__file__).resolve().parent.parent


def project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    return tmp_path


def export(
    tmp_path: Path, files: dict[str, str | bytes], monkeypatch: pytest.MonkeyPatch
) -> Result:
    monkeypatch.chdir(project(tmp_path, files))
    return CliRunner().invoke(main, ["export", "--format", "json", "migrations"])


def assert_reported(result: Result, prefix: str, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(prefix), result.stderr
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


def test_syntax_error_exact_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sql = "CREATE TABLE t (a INT);\n\nCREATE TABLE u (\n  b INT,\n  c TEXT NOT NULL DEFALT 1\n);\n"
    result = export(tmp_path, {"0001_x.sql": sql}, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr == (
        'migrations/0001_x.sql:5:19: error: SQLite rejects this statement: near "DEFALT": '
        "syntax error\n"
        "    CREATE TABLE u (\n"
        "      b INT,\n"
        "      c TEXT NOT NULL DEFALT 1\n"
        "    );\n"
    )


def test_dropping_an_indexed_column_exact_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = (
        "CREATE TABLE t (a INT, b INT);\n"
        "CREATE INDEX ix_b ON t (b);\n"
        "  ALTER TABLE t DROP COLUMN b;\n"
    )
    result = export(tmp_path, {"0001_first.sql": "SELECT 1;\n", "0002_x.sql": sql}, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr == (
        "migrations/0002_x.sql:3:3: error: SQLite rejects this statement: "
        "error in index ix_b after drop column: no such column: b\n"
        "    ALTER TABLE t DROP COLUMN b;\n"
    )


def test_duplicate_version_exact_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # golang-migrate ignores leading zeros: 1 and 001 are one version (source/migration.go)
    sql = "CREATE TABLE t (a INT);\n"
    result = export(tmp_path, {"001_x.up.sql": sql, "1_y.up.sql": sql}, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr == (
        "migrations/1_y.up.sql:1:1: error: duplicate migration version 1: 001_x.up.sql and "
        "1_y.up.sql\n"
    )


@pytest.mark.parametrize(
    ("sql", "prefix", "what"),
    [
        (
            "CREATE TABLE t (a INT);\n  INSERT INTO nope VALUES (1);\n",
            "migrations/0001_x.sql:2:3: error:",
            "no such table: nope",
        ),
        (
            "CREATE TABLE t (a INT);\nCREATE INDEX ix ON t (zz);\n",
            "migrations/0001_x.sql:2:1: error:",
            "no such column: zz",
        ),
        (
            "CREATE TABLE t (a INT);\nALTER TABLE nope ADD COLUMN b INT;\n",
            "migrations/0001_x.sql:2:1: error:",
            "no such table: nope",
        ),
        (
            "CREATE TABLE t (a INT, b INT);\nALTER TABLE t RENAME COLUMN zz TO y;\n",
            "migrations/0001_x.sql:2:1: error:",
            "zz",
        ),
        (
            "CREATE TABLE t (a INT);\nDROP TABLE missing;\n",
            "migrations/0001_x.sql:2:1: error:",
            "no such table: missing",
        ),
        (
            "CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\n"
            "ALTER TABLE t ADD COLUMN b INT NOT NULL;\n",
            "migrations/0001_x.sql:3:1: error:",
            "Cannot add a NOT NULL column with default value NULL",
        ),
        (
            "CREATE TABLE t (a INT);\nCREATE TABLE t (b INT);\n",
            "migrations/0001_x.sql:2:1: error:",
            "table t already exists",
        ),
    ],
)
def test_missing_objects_and_refused_alters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sql: str, prefix: str, what: str
) -> None:
    result = export(tmp_path, {"0001_x.sql": sql}, monkeypatch)
    statement = sql.strip().splitlines()[-1].strip()
    assert_reported(result, prefix, what, statement)


def test_unterminated_string_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = export(
        tmp_path, {"0001_x.sql": "CREATE TABLE t (a INT);\nINSERT INTO t VALUES ('oops);\n"},
        monkeypatch,
    )  # fmt: skip
    assert_reported(result, "migrations/0001_x.sql:2:", "INSERT INTO t")


def test_file_without_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = export(tmp_path, {"0001_x.sql": "SELECT 1;", "seed.sql": "SELECT 1;"}, monkeypatch)
    assert_reported(result, "migrations/seed.sql:1:1: error:", "no version")


def test_non_utf8_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = export(tmp_path, {"0001_x.sql": b"-- caf\xe9\nSELECT 1;\n"}, monkeypatch)
    assert_reported(result, "migrations/0001_x.sql:1:7: error:", "UTF-8")


def test_missing_migrations_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.output


def test_build_without_mkdocs_yml_says_how_to_set_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder erdgen was never set up in: the error names `erdgen init` and the option."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "0001_t.sql").write_text("CREATE TABLE t (a INT);\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: migrations folder not found: migrations\n"
        "hint: this folder has no mkdocs.yml: `erdgen init` sets up a docs site and finds the "
        "migrations folder, or name the folder: `erdgen build --migrations-dir PATH`\n"
    )
    built = CliRunner().invoke(main, ["build", "--migrations-dir", "db"])
    assert built.exit_code == 0, built.output
    assert built.output.endswith("(1 table, 1 migration)\n")


def erdgen_process(
    folder: Path, *arguments: str, **environment: str
) -> subprocess.CompletedProcess[str]:
    """``python -m erdgen.cli ARGUMENTS`` in a process of its own, in ``folder``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **environment}
    return subprocess.run(
        [sys.executable, "-m", "erdgen.cli", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not only click's runner: stderr has the message only."""
    project(tmp_path, {"0001_x.sql": "CREATE TABLE t (a INT);\nCREATE INDEX i ON nope (a);\n"})
    completed = erdgen_process(tmp_path, "export", "--format", "json", "migrations")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith("migrations/0001_x.sql:2:1: error: ")
    assert "no such table" in completed.stderr
    assert "CREATE INDEX i ON nope (a);" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_build_without_graphviz_says_how_to_install_it(tmp_path: Path) -> None:
    """``dot -V`` runs beside the hashing of the inputs: its failure still ends the build
    with the message, exit code 2 and no traceback (a process of its own: the version is
    cached per process)."""
    project(tmp_path, {"0001_x.sql": "CREATE TABLE t (a INT);\n"})
    no_dot = tmp_path / "bin"
    no_dot.mkdir()
    completed = erdgen_process(
        tmp_path, "build", "--migrations-dir", "migrations", PATH=str(no_dot)
    )
    assert completed.returncode == 2
    assert "Graphviz is not installed" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "docs").exists()  # nothing written
