"""Data lineage (erdgen.core.lineage): which old column's values an INSERT ... SELECT copies
where, read once in the history and used by the pages, the lint and the JSON export.

The property compares erdgen's reading with what SQLite holds after replaying the
migrations: a row with a distinct value in every column goes in before the rebuild, and
the row that comes out says which new column holds (a form of) which old value.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.core.table_diff import diff_tables
from erdgen.descriptions import Descriptions
from erdgen.formats.json import export_data
from erdgen.model import Action
from erdgen.render.pages import render_pages
from erdgen.rules.lint import lint

ROOT = Path(__file__).resolve().parent.parent

# Not SQL words: erdgen's scanner must tell a column from a keyword (tests below).
NAMES = ["id", "name", "Note", "input_params", "output_url", "owner_ref", "x1", "total_2"]
# Expressions that keep the old value inside the new one ({} is the column reference).
EXPRESSIONS = ["{}", "{} || '-'", "'<' || {} || '>'", "coalesce({}, 'z')", "ifnull({}, 'z')",
               "trim({})", "substr({}, 1)", "CAST({} AS TEXT)"]  # fmt: skip
CONSTANTS = ["NULL", "'k'", "42", "CURRENT_TIMESTAMP"]
# A second table the copy may join, with one row: its columns' values are traced too.
JOINED = ["extra_u", "other_u"]
JOINS = ["LEFT JOIN u ON 1 = 1", "CROSS JOIN u", ", u", "JOIN u AS j ON j.extra_u IS NOT NULL",
         "LEFT OUTER JOIN u j ON 1 = 1"]  # fmt: skip


@dataclass(frozen=True)
class Case:
    old: list[str]
    new: list[tuple[str, str, tuple[str, ...]]]  # (new column, SELECT expression, old columns)
    with_column_list: bool
    # "rebuild" (create t_new, copy, drop t, rename t_new to t), "rebuild_b" (rename t to
    # t_old, create t, copy, drop t_old) or "archive" (copy into another table, drop columns)
    form: str
    join: str = ""  # what follows FROM t: a join of u, or nothing

    def value(self, column: str) -> str:
        if column in JOINED:
            return f"U{JOINED.index(column):02d}Q"
        return f"V{self.old.index(column):02d}Q"  # equal length: none holds another


def reference(draw: st.DrawFn, column: str) -> str:
    spelled = draw(st.sampled_from([column, column.upper(), column.lower()]))
    return draw(st.sampled_from([spelled, f'"{spelled}"', f"`{spelled}`", f"[{spelled}]",
                                 f"t.{spelled}"]))  # fmt: skip


@st.composite
def cases(draw: st.DrawFn) -> Case:
    old = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=5, unique=True))
    count = draw(st.integers(1, 5))
    new_names = [f"n{i}" for i in range(count)]
    if draw(st.booleans()):  # keep some old names: those columns are not removed
        new_names[: len(old) // 2] = old[: min(count, len(old) // 2)]
    join = draw(st.sampled_from(["", "", *JOINS]))
    joined_as = "j" if re.search(r"\bj\b", join) else "u"
    new = []
    for name in new_names:
        kinds = ["plain", "expression", "two", "constant", *(["joined"] if join else [])]
        kind = draw(st.sampled_from(kinds))
        if kind == "constant":
            new.append((name, draw(st.sampled_from(CONSTANTS)), ()))
            continue
        if kind == "joined":
            column = draw(st.sampled_from(JOINED))
            spelled = draw(st.sampled_from([column, f"{joined_as}.{column}",
                                            f'"{joined_as}"."{column}"']))  # fmt: skip
            shape = draw(st.sampled_from(EXPRESSIONS))
            new.append((name, shape.format(spelled), (column,)))
            continue
        first = draw(st.sampled_from(old))
        if kind == "two":
            second = draw(st.sampled_from([c for c in old if c != first]))
            expression = f"{reference(draw, first)} || '+' || {reference(draw, second)}"
            new.append((name, expression, (first, second)))
            continue
        shape = "{}" if kind == "plain" else draw(st.sampled_from(EXPRESSIONS[1:]))
        new.append((name, shape.format(reference(draw, first)), (first,)))
    form = draw(st.sampled_from(["rebuild", "rebuild_b", "archive"]))
    return Case(old, new, draw(st.booleans()), form, join)


def folder_of(case: Case, folder: Path) -> Path:
    migrations = folder / "migrations"
    shutil.rmtree(folder, ignore_errors=True)
    migrations.mkdir(parents=True)
    columns = ", ".join(f'"{c}" TEXT' for c in case.old)
    values = ", ".join(f"'{case.value(c)}'" for c in case.old)
    (migrations / "0001_create.sql").write_text(
        f"CREATE TABLE t ({columns});\nINSERT INTO t VALUES ({values});\n"
        "CREATE TABLE u (extra_u TEXT, other_u TEXT);\nINSERT INTO u VALUES ('U00Q', 'U01Q');\n"
    )
    target = {"rebuild": "t_new", "rebuild_b": "t", "archive": "archive"}[case.form]
    source = "t_old" if case.form == "rebuild_b" else "t"
    create = ", ".join(f'"{name}"' for name, _, _ in case.new)
    listed = f" ({create})" if case.with_column_list else ""
    select = ", ".join(re.sub(r"(?<![\w\"`\[])t\.", f"{source}.", e) for _, e, _ in case.new)
    copy = f"INSERT INTO {target}{listed} SELECT {select} FROM {source} {case.join};"
    statements = [f"CREATE TABLE {target} ({create});", copy]
    if case.form == "rebuild":
        statements += ["DROP TABLE t;", "ALTER TABLE t_new RENAME TO t;"]
    elif case.form == "rebuild_b":
        statements = ["ALTER TABLE t RENAME TO t_old;", *statements, "DROP TABLE t_old;"]
    else:
        statements += [f'ALTER TABLE t DROP COLUMN "{c}";' for c in case.old[1:]]
    (migrations / "0002_move.sql").write_text("\n".join(statements) + "\n")
    return migrations


def held_by_sqlite(case: Case, migrations: Path) -> set[tuple[str, str]]:
    """(old column, new column) for every new column whose value holds the old value."""
    connection = sqlite3.connect(":memory:")
    for path in sorted(migrations.glob("*.sql")):
        connection.executescript(path.read_text())
    table = "archive" if case.form == "archive" else "t"
    cursor = connection.execute(f"SELECT * FROM {table}")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    return {
        (old, new)
        for old in (*case.old, *(JOINED if case.join else ()))
        for new, value in row.items()
        if isinstance(value, str) and case.value(old) in value
    }


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_lineage_is_what_sqlite_holds_after_the_copy(
    tmp_path_factory: pytest.TempPathFactory, case: Case
) -> None:
    folder = tmp_path_factory.mktemp("lineage")
    migrations = folder_of(case, folder)
    history = load_history(migrations, folder)
    held = held_by_sqlite(case, migrations)
    step = history.steps[-1]
    target = "archive" if case.form == "archive" else "t"

    # a join that needs a partner row may leave rows behind: its copies carry only some
    # rows (erdgen.core.row_loss; tests/test_row_loss.py counts the rows in SQLite)
    lossy = bool(case.join) and not case.join.startswith("LEFT")
    read = {(c.column.lower(), c.into) for c in step.copies if c.target == target}
    assert read == {(old.lower(), new) for old, new in held}
    as_is = {(c.column.lower(), c.into) for c in step.copies if c.as_is}
    bare = {(olds[0].lower(), name) for name, text, olds in case.new if _bare(text, olds)}
    assert as_is == bare

    holders = {old.lower() for old, _ in held if old in case.old}  # u loses nothing
    removing = [change for change in step.changes if change.removed_columns]
    assert removing, "the rebuild or the DROP COLUMN removes columns"
    for change in removing:
        if change.action is Action.REBUILD_TABLE:  # the model's reading is the pages' diff
            assert change.before is not None and change.after is not None
            diff = diff_tables(change.before, change.after)
            assert change.removed_columns == tuple(c.name for c in diff.dropped)
        removed = {c.lower() for c in change.removed_columns}
        assert {c.column.lower() for c in change.copied_to} == removed & holders
        assert {c.lower() for c in change.lost_columns} == removed - holders
        # the rows left behind are lost by the rebuild whose copy it is, or by the drop of
        # a column that copy carried
        lossy_copy = lossy and (change.action is Action.REBUILD_TABLE or bool(removed & holders))
        assert all(bool(c.rows_lost) == lossy for c in change.copied_to)
        assert bool(change.rows_lost) == lossy_copy
        assert change.destructive == (bool(removed - holders) or lossy_copy)


def _bare(expression: str, olds: tuple[str, ...]) -> bool:
    """The expression is the column itself, however it is quoted or qualified."""
    text = re.sub(r'^"?\w+"?\.', "", expression).strip('"`[]')
    return len(olds) == 1 and text.lower() == olds[0].lower()


# --- the bundled project: 0009 moves input_params and output_url -----------------------------


def test_the_bundled_0009_copies_two_columns_and_loses_two() -> None:
    history = load_history(ROOT / "migrations", ROOT)
    step = history.step("0009")
    assert step is not None
    rebuild = next(c for c in step.changes if c.action is Action.REBUILD_TABLE)
    moved = {(c.column, c.into) for c in rebuild.copied_to}
    assert moved == {("input_params", "params_json"), ("output_url", "output_r2_key")}
    assert rebuild.lost_columns == ("type", "completed_at")

    timeline = {entry["migration"]: entry for entry in export_data(history)["timeline"]}
    (exported,) = [c for c in timeline[step.migration.id]["changes"] if "copied_to" in c]
    assert exported["lost_columns"] == ["type", "completed_at"]
    assert exported["columns_dropped"] == ["type", "input_params", "output_url", "completed_at"]
    assert exported["columns_changed"] == ["user_id"]
    assert {(c["column"], c["table"], c["into"]) for c in exported["copied_to"]} == {
        ("input_params", "ai_jobs", "params_json"),
        ("output_url", "ai_jobs", "output_r2_key"),
    }


def test_lint_names_only_the_columns_0009_does_not_copy(tmp_path: Path) -> None:
    """Without its header note, 0009 is flagged for the two columns it really drops."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "migrations", project / "migrations")
    path = project / "migrations" / "0009_update_ai_jobs_guest_ownership.sql"
    body = path.read_text().split("\n\n", 1)[1]  # the header comment block goes
    path.write_text(body)
    history = load_history(project / "migrations", project)
    findings = lint(history)
    messages = [
        f.message
        for f in findings
        if f.rule == "destructive-change-without-note" and "0009" in f.location.path
    ]
    assert len(messages) == 1
    assert "without column(s) type, completed_at" in messages[0]
    assert "input_params" not in messages[0] and "output_url" not in messages[0]


# --- one reading for the pages, the lint and the export ---------------------------------------


def test_pages_lint_and_export_agree_on_copies_before_drops(tmp_path: Path) -> None:
    """A column copied into an archive table before DROP COLUMN, a table copied into a
    backup before DROP TABLE: no page, lint finding or export calls either destroyed."""
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_create.sql").write_text("CREATE TABLE t (a TEXT, b TEXT);\n")
    (migrations / "0002_archive.sql").write_text(
        "CREATE TABLE archive (old_b TEXT);\n"
        "INSERT INTO archive (old_b) SELECT b FROM t;\n"
        "ALTER TABLE t DROP COLUMN b;\n"
    )
    (migrations / "0003_backup.sql").write_text(
        "CREATE TABLE backup (a TEXT);\nINSERT INTO backup (a) SELECT a FROM t;\nDROP TABLE t;\n"
    )
    history = load_history(migrations, tmp_path)
    config = Config(project_dir=tmp_path, languages=("en",))
    pages = render_pages(history, Descriptions(), config)

    assert (
        "`b` \u2192 `archive.old_b` (data copied, all rows)"
        in pages["migrations/0002.en.md"].decode()
    )
    assert "all its rows were copied to `backup` first" in pages["migrations/0003.en.md"].decode()
    timeline = pages["timeline.en.md"].decode()
    assert "destructive" not in timeline and "`b`\u00a0\u2192 `archive.old_b` |" in timeline
    assert "\u2212\u00a0[`t`](tables/t.md)\u00a0\u2192 `backup` |" in timeline
    assert [f for f in lint(history) if f.rule == "destructive-change-without-note"] == []
    exported = export_data(history)["timeline"]
    assert [entry["destructive"] for entry in exported] == [False, False, False]


def test_a_backup_of_some_columns_leaves_the_others_lost(tmp_path: Path) -> None:
    """The lint reads the copy column by column where lineage can: b is lost."""
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_create.sql").write_text("CREATE TABLE t (a TEXT, b TEXT);\n")
    (migrations / "0002_backup.sql").write_text(
        "CREATE TABLE backup (a TEXT);\nINSERT INTO backup (a) SELECT a FROM t;\nDROP TABLE t;\n"
    )
    history = load_history(migrations, tmp_path)
    findings = [f for f in lint(history) if f.rule == "destructive-change-without-note"]
    assert [f.message.split(", but")[0] for f in findings] == [
        "drops table t; column(s) b are copied nowhere"
    ]
    assert export_data(history)["timeline"][1]["destructive"] is True
