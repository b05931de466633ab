"""A MySQL folder is refused with the place that shows it is MySQL, never an empty model or
SQLite's word on its first line (erdgen has no MySQL dialect yet)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from erdgen.cli import main
from erdgen.dialects.mysql_detect import mysql_evidence

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("folder", FOLDERS)
def test_only_the_mysql_corpus_folder_shows_mysql(folder: str) -> None:
    assert (mysql_evidence(CORPUS / folder) is not None) == folder.endswith("-mysql")


def test_export_of_a_mysql_folder_says_it_is_mysql(tmp_path: Path) -> None:
    (tmp_path / "V1__init.sql").write_text(
        "-- a comment with ENGINE=x is no evidence\n"
        "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n"
    )
    result = CliRunner().invoke(main, ["export", "--no-verify", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{tmp_path}/V1__init.sql:2:33: error: this folder holds MySQL (AUTO_INCREMENT); "
        "erdgen reads SQLite, libSQL and PostgreSQL migrations; MySQL is not supported yet"
    )
    assert result.stdout == ""
