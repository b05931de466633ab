"""A migration's description: the tool's own note (sqitch's plan), else the comment atop
its file, with its lines kept apart where they are sentences of their own; never the tool's
bookkeeping lines (``%project=...``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.dialects.sqlite.split import file_header
from erdgen.layouts.base import Folder
from erdgen.layouts.plans import collect_sqitch, plan_note
from erdgen.render.markdown import md_cell, md_text
from erdgen.rules.check import run_check
from erdgen.site.build import render_site

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def corpus(name: str) -> Path:
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"no corpus folder {folder}")
    return folder


# --- sqitch: the plan's note is the change's description ---------------------------------


def test_registrys_plan_notes_describe_its_changes() -> None:
    folder = corpus("registry-postgres")
    migrations = {m.id: m for m in collect_sqitch(Folder(folder, folder.parent)).migrations}
    auth = migrations["auth-notification-types"]
    assert auth.purpose == "Add auth notification types to notification_type enum"
    assert migrations["workflows"].purpose == (
        "add workflows\n\nWorkflows define a sequence of steps to be executed. We process "
        "each step and record the outcome in a workflow run."
    )
    reorder = migrations["fix-waitlist-reorder"]
    assert "%" not in reorder.description  # "-- %project=Registry", "-- %requires: ..."
    assert reorder.description == (
        "Fix reorder_waitlist_positions function to avoid constraint violations"
    )


def test_a_sqitch_note_is_the_migration_pages_description(tmp_path: Path) -> None:
    plan = (
        "%syntax-version=1.0.0\n%project=demo\n\n"
        "users 2024-01-01T00:00:00Z Ann <a@x> # Add users\\nwith a second line\n"
        "posts [users] 2024-01-02T00:00:00Z Ann <a@x>\n"
    )
    folder = tmp_path / "migrations"
    (folder / "deploy").mkdir(parents=True)
    (folder / "sqitch.plan").write_text(plan, encoding="utf-8")
    (folder / "deploy" / "users.sql").write_text(
        "-- Deploy demo:users to sqlite\n-- %project=demo\n-- %requires: appschema\n\n"
        "CREATE TABLE users (id INT);\n",
        encoding="utf-8",
    )
    (folder / "deploy" / "posts.sql").write_text(
        "-- Posts of a user\nCREATE TABLE posts (id INT);\n", encoding="utf-8"
    )
    site = render_site(Config(project_dir=tmp_path, verify=False, jobs=1))
    users = site.text("migrations/users.en.md")
    assert "Add users<br>\nwith a second line *(untranslated)*" in users
    assert "(from the migration tool's own description of the change)" in users  # not SQL
    told = users.split("\n## ", 1)[0]  # above the changes and the SQL source
    assert "%project" not in told and "%requires" not in told
    posts = site.text("migrations/posts.en.md")
    assert 'Posts of a user *(untranslated)* <small class="erdgen-source">(from an SQL' in posts


_SPACE = st.sampled_from([" ", "  ", "\t"])


@given(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\x85"),
        max_size=40,
    ).map(str.strip),
    _SPACE,
)
def test_a_plan_note_reads_back_as_sqitch_wrote_it(note: str, space: str) -> None:
    # App::Sqitch::Plan::Line: backslashes and newlines escaped, the note after " # "
    escaped = note.replace("\\", "\\\\").replace("\n", "\\n")
    line = f"change [dep] 2024-01-01T00:00:00Z Ann Example{space}<a@x.org>{space}# {escaped}"
    assert plan_note(line) == note.strip()


# --- comment headers: one line per sentence is kept --------------------------------------


def test_filbeams_header_keeps_one_sentence_per_line() -> None:
    text = (corpus("filbeam-d1") / "0004_add_indexer.sql").read_text(encoding="utf-8")
    assert file_header(text) == (
        "NOTE:\n"
        "PDPVerifier and Pandora Service contracts use uint256 as ID type\n"
        "SQLite does not support big integer data types like uint256\n"
        'We are storing the IDs as TEXT using the "natural" base10 encoding\n'
        'E.g. the value 0x0...01 is stored as "1"'
    )
    reset = (corpus("filbeam-d1") / "0023_reset_usage_reports.sql").read_text(encoding="utf-8")
    assert file_header(reset) == (
        "Reset existing usage reports due to migration from FilBeamOperator v1.0.1 to v1.0.2\n"
        "We are not able to settle usage reported to the FilBeamOperator v1.0.1 so we should "
        "re-report full usage"
    )


def test_filbeams_migration_page_breaks_the_lines(tmp_path: Path) -> None:
    folder = corpus("filbeam-d1")
    # the corpus is read-only: the project (and its cache) is a temporary folder
    config = Config(project_dir=tmp_path, migrations_dir=str(folder), verify=False, jobs=1)
    site = render_site(config)
    page = site.text("migrations/0004.en.md")
    assert "use uint256 as ID type<br>\nSQLite does not support" in page
    timeline = site.text("timeline.en.md")
    assert "as ID type<br>SQLite does not support" in timeline


_WORD = st.text("abcxyz", min_size=1, max_size=6)
_LINE = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)
_ENDING = st.sampled_from(["", ".", ":", "!", "?", ";", ","])


@given(st.lists(st.tuples(st.booleans(), _LINE, _ENDING), min_size=1, max_size=6))
def test_header_lines_join_only_within_a_sentence(lines: list[tuple[bool, str, str]]) -> None:
    written = [(line.capitalize() if capital else line) + end for capital, line, end in lines]
    header = file_header("".join(f"-- {line}\n" for line in written) + "SELECT 1;\n")
    # every word kept, in order
    assert header.split() == " ".join(written).split()
    # a line goes on the line before it exactly when it neither follows a sentence's end
    # nor begins with a capital
    expected = written[0]
    for before, (capital, _, _), line in zip(written, lines[1:], written[1:], strict=False):
        expected += ("\n" if capital or before[-1] in ".:!?" else " ") + line
    assert header == expected


@given(st.lists(st.text("ab. ", min_size=1, max_size=8).map(str.strip), min_size=1, max_size=5))
def test_a_line_break_shows_on_a_page_and_in_a_cell(lines: list[str]) -> None:
    text = "\n".join(line for line in lines if line)
    shown = md_text(text)
    assert "<br><br>" not in md_cell(shown)
    kept = [line for line in lines if line]
    assert md_cell(shown) == "<br>".join(md_text(line) for line in kept)
    assert re.sub(r"<br>\n", "\n", shown) == "\n".join(md_text(line) for line in kept)


@pytest.mark.parametrize("note", ["Drop the legacy users table", "Tidy up"])
def test_a_sqitch_note_of_a_drop_is_a_destructive_note(tmp_path: Path, note: str) -> None:
    plan = (
        "%syntax-version=1.0.0\n%project=demo\n\n"
        "users 2024-01-01T00:00:00Z Ann <a@x> # Users\n"
        f"drop-users [users] 2024-01-02T00:00:00Z Ann <a@x> # {note}\n"
    )
    folder = tmp_path / "migrations"
    (folder / "deploy").mkdir(parents=True)
    (folder / "sqitch.plan").write_text(plan, encoding="utf-8")
    (folder / "deploy" / "users.sql").write_text("CREATE TABLE users (id INT);\n", "utf-8")
    (folder / "deploy" / "drop-users.sql").write_text("DROP TABLE users;\n", "utf-8")
    report = run_check(Config(project_dir=tmp_path, verify=False, jobs=1))
    flagged = [f for f in report.findings if f.rule == "destructive-change-without-note"]
    # The tool's note says what the change does, as a header comment would.
    assert bool(flagged) == (note == "Tidy up")
