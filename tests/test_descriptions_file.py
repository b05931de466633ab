"""docs/schema.yml without silent gaps: a text in one language shows on the other language's
pages marked untranslated, and `erdgen check` (rule descriptions-file) reports keys that name
nothing, language keys that are no language of the site and texts in one language only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen.cli import main
from erdgen.config import Config
from erdgen.rules.check import run_check
from erdgen.site.build import render_site

MIGRATION = (  # no comments: only the sidecar describes
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);\n"
)
SIDECAR = """\
migrations:
  "0001":
    de: Erste Migration
tables:
  users:
    de: Konten.
    en: ""
    columns:
      email:
        en: Mail address
      emial:
        de: Tippfehler
  usres:
    de: Benutzer
  posts:
    de: Beiträge
    eng: Posts
"""


def write_project(root: Path, sidecar: str) -> Path:
    (root / "migrations").mkdir(exist_ok=True)
    (root / "migrations" / "0001_init.sql").write_text(MIGRATION, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "schema.yml").write_text(sidecar, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    write_project(tmp_path, SIDECAR)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)


def test_check_reports_each_gap_at_its_key(project: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--rule", "docs-stale=off"])
    found = [line for line in result.output.splitlines() if ": descriptions-file: " in line]
    assert found == [
        "docs/schema.yml:2: descriptions-file: migration `0001` has a text in de only: "
        "the en pages show it marked untranslated [warning]",
        "docs/schema.yml:5: descriptions-file: table `users` has a text in de only: "
        "the en pages show it marked untranslated [warning]",
        "docs/schema.yml:9: descriptions-file: column `users.email` has a text in en only: "
        "the de pages show it marked untranslated [warning]",
        "docs/schema.yml:11: descriptions-file: `emial` names no column of table `users` "
        "(did you mean `email`?): its text is never shown [warning]",
        "docs/schema.yml:13: descriptions-file: `usres` names no table "
        "(did you mean `users`?): its text is never shown [warning]",
        "docs/schema.yml:15: descriptions-file: table `posts` has a text in de only: "
        "the en pages show it marked untranslated [warning]",
        "docs/schema.yml:17: descriptions-file: table `posts`: `eng` is not a language of "
        "the site (de, en): its text is never shown [warning]",
    ]


def test_describe_says_texts_are_in_one_language_only(project: Path) -> None:
    result = CliRunner().invoke(main, ["describe"])
    assert result.output.splitlines()[-1] == (
        "docs/schema.yml: 6 texts in one language only (`erdgen check` lists them: "
        "descriptions-file)"
    )


def test_the_other_languages_text_shows_marked_untranslated(project: Path) -> None:
    site = render_site(Config(project_dir=project, verify=False, jobs=1))
    users_en = site.text("tables/users.en.md")
    assert "\nKonten. *(untranslated)*" in users_en
    assert "| Mail address <small" not in users_en  # its own language: not marked
    assert "| Mail address *(untranslated)*" not in users_en
    users_de = site.text("tables/users.md")
    assert "\nKonten. <small" in users_de
    email_row = next(line for line in users_de.splitlines() if 'id="c-email"' in line)
    assert "Mail address *(nicht übersetzt)*" in email_row
    assert "Erste Migration *(untranslated)*" in site.text("migrations/0001.en.md")
    assert "Beiträge *(untranslated)*" in site.text("index.en.md")


def test_an_sql_comment_comes_before_the_other_languages_text(tmp_path: Path) -> None:
    # the other language's text fills a gap only: an SQL comment is there already
    write_project(tmp_path, "tables:\n  users:\n    de: Konten.\n")
    sql = "-- The first migration.\n\n-- Accounts.\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n"
    (tmp_path / "migrations" / "0001_init.sql").write_text(sql, encoding="utf-8")
    config = Config(project_dir=tmp_path, verify=False, jobs=1, comments_language="en")
    page = render_site(config).text("tables/users.en.md")
    assert "\nAccounts. <small" in page and "Konten." not in page


LANGUAGES = ("de", "en")
_PRESENT = st.sampled_from([(), ("de",), ("en",), ("de", "en")])


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=_PRESENT, column=_PRESENT, empty=st.booleans())
def test_every_text_reaches_every_language(
    tmp_path: Path, table: tuple[str, ...], column: tuple[str, ...], empty: bool
) -> None:
    def texts(written: tuple[str, ...], what: str, indent: str) -> str:
        other = (
            ""
            if not empty
            else "".join(f'{indent}{lang}: ""\n' for lang in LANGUAGES if lang not in written)
        )
        return "".join(f"{indent}{lang}: {what} {lang}\n" for lang in written) + other

    sidecar = (
        "tables:\n  users:\n"
        + texts(table, "table", "    ")
        + "    columns:\n      email:\n"
        + texts(column, "column", "        ")
    )
    write_project(tmp_path, sidecar)
    config = Config(project_dir=tmp_path, verify=False, jobs=1)
    report = run_check(config)
    gaps = [f.message for f in report.findings if f.rule == "descriptions-file"]
    assert len(gaps) == (len(table) == 1) + (len(column) == 1)
    site = render_site(config)
    for lang, page in (("de", "tables/users.md"), ("en", "tables/users.en.md")):
        text = site.text(page)
        row = next(line for line in text.splitlines() if 'id="c-email"' in line)
        for written, what, where in ((table, "table", text), (column, "column", row)):
            if lang in written:
                assert f"{what} {lang}" in where
            elif written:
                assert f"{what} {written[0]} *(" in where  # marked untranslated
