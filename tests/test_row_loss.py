"""Copies that keep only some rows (erdgen.core.row_loss): a rebuild or an archive copy with a
WHERE, a join, DISTINCT, GROUP BY, LIMIT, OR IGNORE / OR REPLACE.

The property replays each generated migration into SQLite for several inputs and counts
the rows that came through: a page may say "all rows" only when SQLite kept every row for
every input, and where SQLite lost rows the page names the clause that lost them, calls the
copied columns copied only partly, and the lint and the JSON export (the model's
``destructive``) call the migration destructive.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.core.row_loss import RowLoss, mask_sql, row_losses, without_comments
from erdgen.descriptions import Descriptions
from erdgen.formats.json import export_data
from erdgen.render.markdown import code
from erdgen.render.pages import render_pages
from erdgen.rules.lint import lint

Row = tuple[str | None, int | None, str | None]
HOSTILE = "|`x`|"  # a value, and a condition, with Markdown's table and code characters

# (modifier, whether every row is kept, the SQL a page must show): the modifier is a
# verb modifier (OR ...), a SELECT modifier (DISTINCT) or what follows FROM t.
MODIFIERS: tuple[tuple[str, bool, str], ...] = (
    ("", True, ""),
    ("ORDER BY a", True, ""),
    ("LEFT JOIN u ON u.k = b", True, ""),
    ("WHERE b > 1", False, "b > 1"),
    (f"WHERE a IS NOT '{HOSTILE}'", False, f"a IS NOT '{HOSTILE}'"),
    ("LEFT JOIN u ON u.k = b WHERE u.k IS NULL", False, "u.k IS NULL"),
    ("JOIN u ON u.k = b", False, "JOIN u ON u.k = b"),
    ("CROSS JOIN u", False, "CROSS JOIN u"),
    (", u", False, ", u"),
    ("LIMIT 2", False, "2"),
    ("GROUP BY a", False, "a"),
    ("DISTINCT", False, ""),
    ("OR IGNORE", False, ""),
    ("OR REPLACE", False, ""),
)
# Fixed inputs besides the drawn one: NULLs, a duplicate row, a hostile value, u empty or not.
BASE_ROWS: list[Row] = [("x", 1, "p"), ("x", 2, "q"), (None, 3, None), (HOSTILE, 0, "r")]
INPUTS: list[tuple[list[Row], list[tuple[int, str]]]] = [
    ([*BASE_ROWS, ("x", 1, "p")], []),
    ([*BASE_ROWS, ("x", 1, "p")], [(1, "m"), (2, "n"), (2, "o")]),
    ([("y", 5, "s")], [(5, "m")]),
    ([], []),
]
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["x", "y", HOSTILE, None]),
        st.sampled_from([0, 1, 2, 3, None]),
        st.sampled_from(["p", "q", None]),
    ),
    max_size=5,
)


@dataclass(frozen=True)
class Copy:
    form: str  # rebuild, rebuild_b, archive_table (then DROP TABLE), archive_column
    modifier: str
    keeps_all: bool
    shown: str

    def sql(self) -> str:
        verb, distinct, tail = "INSERT", "", self.modifier
        if self.modifier.startswith("OR "):
            verb, tail = f"INSERT {self.modifier}", ""
        elif self.modifier == "DISTINCT":
            distinct, tail = "DISTINCT ", ""
        column = self.form == "archive_column"
        grouped = tail.startswith("GROUP BY")
        select = ("max(c)" if grouped else "c") if column else (
            "a, max(b), max(c)" if grouped else "a, b, c")  # fmt: skip
        unique = " UNIQUE" if verb != "INSERT" else ""
        source = "t_old" if self.form == "rebuild_b" else "t"
        copy = f"{verb} INTO {{target}} SELECT {distinct}{select} FROM {source} {tail};"
        shape = f"(n_a TEXT{unique}, n_b INTEGER, n_c TEXT)"
        statements = {
            "rebuild": [f"CREATE TABLE t_new {shape};", copy.format(target="t_new"),
                        "DROP TABLE t;", "ALTER TABLE t_new RENAME TO t;"],
            "rebuild_b": ["ALTER TABLE t RENAME TO t_old;", f"CREATE TABLE t {shape};",
                          copy.format(target="t"), "DROP TABLE t_old;"],
            "archive_table": [f"CREATE TABLE archive (a TEXT{unique}, b INTEGER, c TEXT);",
                              copy.format(target="archive"), "DROP TABLE t;"],
            "archive_column": [f"CREATE TABLE archive (old_c TEXT{unique});",
                               copy.format(target="archive"), "ALTER TABLE t DROP COLUMN c;"],
        }  # fmt: skip
        return "\n".join(statements[self.form])

    def copied_column(self) -> str:
        """How a page names a column the copy carried (none for a whole dropped table)."""
        return {"rebuild": "`a` → `n_a`", "rebuild_b": "`a` → `n_a`",
                "archive_column": "`c` → `archive.old_c`"}.get(self.form, "")  # fmt: skip

    def target(self) -> tuple[str, str]:
        """The table the rows end in and the SELECT that reads them in the source's order."""
        if self.form.startswith("rebuild"):
            return "t", "SELECT n_a, n_b, n_c FROM t"
        if self.form == "archive_table":
            return "archive", "SELECT a, b, c FROM archive"
        return "archive", "SELECT old_c FROM archive"


COPIES = st.builds(
    lambda form, modifier: Copy(form, *modifier),
    st.sampled_from(["rebuild", "rebuild_b", "archive_table", "archive_column"]),
    st.sampled_from(MODIFIERS),
)
CREATE = (
    "-- Tables.\n\nCREATE TABLE t (a TEXT, b INTEGER, c TEXT);\n"
    "CREATE TABLE u (k INTEGER, v TEXT);\n"
)


def folder_of(copy: Copy, folder: Path) -> Path:
    migrations = folder / "migrations"
    shutil.rmtree(folder, ignore_errors=True)
    migrations.mkdir(parents=True)
    (migrations / "0001_create.sql").write_text(CREATE)
    (migrations / "0002_move.sql").write_text(f"-- Move.\n\n{copy.sql()}\n")
    return migrations


def kept_by_sqlite(copy: Copy, rows: list[Row], partners: list[tuple[int, str]]) -> bool:
    """SQLite's own answer: every source row (with repeats) is among the rows copied."""
    connection = sqlite3.connect(":memory:")
    connection.executescript(CREATE)
    connection.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    connection.executemany("INSERT INTO u VALUES (?, ?)", partners)
    connection.executescript(copy.sql())
    _table, select = copy.target()
    copied = Counter(connection.execute(select).fetchall())
    source = Counter((r[2],) if copy.form == "archive_column" else r for r in rows)
    return not source - copied


@settings(max_examples=60, deadline=None)
@given(copy=COPIES, rows=ROWS)
def test_a_page_says_all_rows_only_when_sqlite_kept_every_row(
    tmp_path_factory: pytest.TempPathFactory, copy: Copy, rows: list[Row]
) -> None:
    folder = tmp_path_factory.mktemp("rows")
    migrations = folder_of(copy, folder)
    inputs = [*INPUTS, (rows, [(1, "m")])]
    kept_always = all(kept_by_sqlite(copy, r, p) for r, p in inputs)
    assert kept_always == copy.keeps_all  # the cases are what they claim to be

    history = load_history(migrations, folder)
    config = Config(project_dir=folder, languages=("en",))
    page = render_pages(history, Descriptions(), config)["migrations/0002.en.md"].decode()
    claims_all = "all rows" in page or "all its rows" in page
    assert claims_all == kept_always, page
    flagged = [f for f in lint(history) if f.rule == "destructive-change-without-note"]
    assert bool(flagged) == (not kept_always)
    # the model says it: the export's step and the one change that removes t's data
    entry = export_data(history)["timeline"][-1]  # 0002
    assert entry["destructive"] == (not kept_always)
    assert [c["destructive"] for c in entry["changes"] if "destructive" in c] == [not kept_always]
    column = copy.copied_column()
    if kept_always:
        assert not column or f"{column} (data copied" in page, page
        return
    assert "⚠️" in page
    if copy.shown:  # the clause itself, escaped as inline code
        assert code(copy.shown) in page, page
    if not column:
        assert "table dropped; only some of its rows were copied to `archive` first" in page
    elif copy.modifier.startswith(("WHERE", "LEFT JOIN")):  # the one WHERE, said in the line
        where = f", data copied only where {code(copy.shown)} holds (other rows lost)"
        assert f"{column}{where} — ⚠️ **destructive**" in page, page
    else:  # GROUP BY copies max(c): an expression of the column, so "converted"
        how = "copied and converted" if copy.modifier.startswith("GROUP BY") and (
            copy.form == "archive_column") else "copied"  # fmt: skip
        assert f"{column}, data {how} from only some rows (other rows lost)" in page, page


def test_the_clauses_that_lose_rows_are_read_as_written() -> None:
    assert row_losses("INSERT INTO t_new SELECT a, b FROM t;") == ()
    assert row_losses("INSERT INTO x VALUES (1)") is None
    assert row_losses("UPDATE t SET a = 1 WHERE b") is None
    assert row_losses(
        "INSERT OR IGNORE INTO n SELECT DISTINCT a FROM t LEFT JOIN u ON 1 = 1 "
        "JOIN v ON v.x = t.a, w GROUP BY a HAVING count(*) > 1 ORDER BY a LIMIT 10"
    ) == (
        RowLoss("or_ignore"), RowLoss("distinct"), RowLoss("join", "JOIN v ON v.x = t.a"),
        RowLoss("join", ", w"), RowLoss("group_by", "a"), RowLoss("having", "count(*) > 1"),
        RowLoss("limit", "10"),
    )  # fmt: skip
    # strings, quoted names and comments hide their words; sub-selects keep their own WHERE
    assert row_losses(
        "INSERT INTO n SELECT a, (SELECT v FROM u WHERE u.k = t.b) FROM t -- WHERE no\n"
        " WHERE \"where\" = 'WHERE;'"
    ) == (RowLoss("where", "\"where\" = 'WHERE;'"),)
    # a clause is shown without its comments (a comment is space to SQL)
    assert row_losses(
        "INSERT INTO n SELECT a FROM t JOIN u /* partner */ ON u.k = t.a -- needed\n"
        " WHERE a > '/* kept */' -- old rows\n LIMIT 5 /* at most */"
    ) == (
        RowLoss("join", "JOIN u ON u.k = t.a"), RowLoss("where", "a > '/* kept */'"),
        RowLoss("limit", "5"),
    )  # fmt: skip
    assert row_losses("INSERT INTO n SELECT max(a, b), count(*) OVER () FROM t") == ()
    assert row_losses("INSERT INTO n SELECT count(*) FROM t") == (RowLoss("aggregate"),)
    assert row_losses("INSERT INTO n SELECT * FROM t UNION ALL SELECT * FROM u") == ()
    assert row_losses("REPLACE INTO n SELECT * FROM t UNION SELECT * FROM u") == (
        RowLoss("or_replace"), RowLoss("compound", "UNION"),
    )  # fmt: skip
    unread = (RowLoss("unread"),)
    assert row_losses("WITH c AS (SELECT * FROM t WHERE a) INSERT INTO n SELECT * FROM c") == (
        unread
    )
    assert row_losses("INSERT INTO n SELECT * FROM (SELECT * FROM t WHERE a)") == unread


def test_the_german_pages_say_which_rows_were_copied(tmp_path: Path) -> None:
    def pages(form: str, modifier: str) -> dict[str, str]:
        folder = tmp_path / form
        migrations = folder_of(Copy(form, modifier, False, ""), folder)
        history = load_history(migrations, folder)
        config = Config(project_dir=folder, languages=("de",))
        return {k: v.decode() for k, v in render_pages(history, Descriptions(), config).items()}

    column = pages("archive_column", "WHERE b > 1")
    for page in (column["migrations/0002.md"], column["tables/t.md"]):
        assert (
            "`c` → `archive.old_c`, Daten nur übernommen, wo `b > 1` gilt (übrige Zeilen "
            "verloren) — ⚠️ **destruktiv**"
        ) in page
        assert "alle Zeilen" not in page and "samt Daten" not in page
    assert "übernommen in `archive.old_c`, nur ein Teil der Zeilen" in column["dropped.md"]
    assert "`c`\u00a0→ `archive.old_c` (nur ein Teil der Zeilen)" in column["timeline.md"]
    assert "destruktiv" in column["timeline.md"]

    table = pages("archive_table", "LIMIT 2")["migrations/0002.md"]
    assert (
        "Tabelle gelöscht; nur ein Teil ihrer Zeilen wurde vorher nach `archive` kopiert" in table
    )
    assert "höchstens `2` Zeilen übernommen (LIMIT): die übrigen Zeilen gehen verloren" in table
    rebuilt = pages("rebuild", "DISTINCT")["migrations/0002.md"]
    assert (
        "`a` → `n_a`, Daten nur aus einem Teil der Zeilen übernommen (übrige Zeilen verloren)"
        in rebuilt
    )
    assert "SELECT DISTINCT: gleiche Zeilen wurden einmal übernommen — ⚠️ **destruktiv**" in rebuilt


def test_the_lint_names_the_change_that_loses_the_rows(tmp_path: Path) -> None:
    """The report sits on the rebuild or the drop (the model's ``rows_lost``), not the copy."""
    cases = {
        "rebuild": "0002_move.sql:3:1: rebuilds table t but copies only some of its rows "
        "(WHERE b > 1)",
        "archive_table": "0002_move.sql:5:1: drops table t; only some of its rows were copied "
        "(WHERE b > 1)",
        "archive_column": "0002_move.sql:5:1: drops column t.c; only some rows were copied "
        "(WHERE b > 1)",
    }
    for form, expected in cases.items():
        folder = tmp_path / form
        history = load_history(folder_of(Copy(form, "WHERE b > 1", False, ""), folder), folder)
        (found,) = [f for f in lint(history) if f.rule == "destructive-change-without-note"]
        assert f"{found.location}: {found.message}".endswith(
            f"{expected}, but the header comment of 0002_move.sql does not say so (mention the "
            "drop, or add `-- erdgen: destructive`)"
        ), found


# Pieces of a condition: plain SQL, then strings, quoted names and comments whose insides
# hold what looks like SQL (parentheses, quotes, comment marks). What mask_sql must read:
# the insides blanked, the rest as written; without_comments: each comment one space.
_INSIDES = st.text(alphabet="ab ()'\"-/*$;\n", max_size=8)
_PLAIN = st.sampled_from(["x = 1", "AND", "(y > 2)", "OR", "f(z)", "$1", "a$b", "a$b$"])


@st.composite
def _pieces(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """(kind, text, what mask_sql makes of it) for each piece."""
    pieces: list[tuple[str, str, str]] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["plain", "string", "dollar", "line", "block"]))
        if kind == "plain":
            text = draw(_PLAIN)
            pieces.append((kind, text, text))
            continue
        inside = draw(_INSIDES)
        if kind == "string":
            inside = inside.replace("'", "")
            opening = closing = "'"
        elif kind == "dollar":
            tag = draw(st.sampled_from(["", "q", "body_1"]))
            opening = closing = f"${tag}$"
            inside = inside.replace("$", "")
        elif kind == "line":
            opening, closing, inside = "--", "\n", inside.replace("\n", "")
        else:
            opening, closing, inside = "/*", "*/", inside.replace("*/", "").rstrip("*")
        text = opening + inside + closing
        if kind in ("line", "block"):  # a line comment's newline with it
            masked = " " * len(text)
        else:
            masked = opening + " " * len(inside) + closing
        pieces.append((kind, text, masked))
    return pieces


@settings(max_examples=300, deadline=None)
@given(pieces=_pieces())
def test_strings_dollar_quotes_and_comments_are_read_whole(
    pieces: list[tuple[str, str, str]],
) -> None:
    # pieces apart, as SQL writes tokens (PostgreSQL reads a$b$ as one name)
    text = " ".join(piece for _, piece, _ in pieces)
    masked, depth = mask_sql(text)
    assert len(masked) == len(depth) == len(text)
    assert masked == " ".join(expected for _, _, expected in pieces), text
    uncommented = " ".join(" " if kind in ("line", "block") else p for kind, p, _ in pieces)
    assert without_comments(text) == uncommented, text
