"""Each lint rule: a migration that triggers it and one that does not.

Every migration here is first run through SQLite, so the rules are tested on SQL that a
real database accepts (several of the problems are ones SQLite accepts silently).
"""

from __future__ import annotations

import sqlite3
import string
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from erdgen.core.history import load_history
from erdgen.descriptions import Descriptions, parse_descriptions
from erdgen.rules.lint import lint
from erdgen.rules.registry import Finding, Texts
from erdgen.rules.schema_rules import type_affinity

DOCS = Path(__file__).parents[1] / "docs" / "erdgen" / "rules"


def write_migrations(root: Path, files: dict[str, str]) -> Path:
    folder = root / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(":memory:")
    for name, sql in sorted(files.items()):
        text = dedent(sql).lstrip("\n")
        conn.executescript(text)  # SQLite accepts it: the rules judge real SQL
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_lint(tmp_path: Path, files: dict[str, str], sidecar: str = "") -> list[Finding]:
    folder = write_migrations(tmp_path, files)
    history = load_history(folder, tmp_path)
    descriptions = parse_descriptions(sidecar) if sidecar else Descriptions()
    return lint(history, Texts(descriptions))


def of_rule(findings: list[Finding], rule: str) -> list[str]:
    """The findings of one rule as ``path:line: message`` lines."""
    return [f"{f.location.path}:{f.location.line}: {f.message}" for f in findings if f.rule == rule]


def test_every_rule_has_a_page_in_both_languages() -> None:
    from erdgen.rules.check import ALL_RULES

    for rule in ALL_RULES:
        for language in ("de", "en"):
            page = DOCS.parents[2] / rule.docs(language)  # the page the registry names
            assert page.is_file(), page
            text = page.read_text(encoding="utf-8")
            assert f"`{rule.id}`" in text, f"{page} does not name its rule id"
            assert (f"-- erdgen: ignore[{rule.id}] " in text) == rule.silenceable, page
            assert f"        {rule.id}: " in text, f"{page} shows no mkdocs.yml setting"


# --- table-without-primary-key ------------------------------------------------------------


def test_table_without_primary_key(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {"0001_log.sql": "-- a log\n\nCREATE TABLE log (at TEXT, message TEXT);\n"},
    )
    assert of_rule(findings, "table-without-primary-key") == [
        "migrations/0001_log.sql:3: table log has no primary key "
        "(rows can only be told apart by rowid)"
    ]


def test_table_with_primary_key_or_rowid_alias_passes(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);
                CREATE TABLE b (x TEXT, y TEXT, PRIMARY KEY (x, y)) WITHOUT ROWID;
            """
        },
    )
    assert of_rule(findings, "table-without-primary-key") == []


# --- foreign-key-target-missing -----------------------------------------------------------


def test_foreign_key_to_missing_table_and_column(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id TEXT PRIMARY KEY);
                CREATE TABLE posts (
                  id TEXT PRIMARY KEY,
                  author TEXT REFERENCES user(id),
                  editor TEXT REFERENCES users(uid)
                );
            """
        },
    )
    assert of_rule(findings, "foreign-key-target-missing") == [
        "migrations/0001_a.sql:2: foreign key posts(author) references table user, "
        "which does not exist",
        "migrations/0001_a.sql:2: foreign key posts(editor) references column users.uid, "
        "which does not exist",
    ]


def test_foreign_key_target_dropped_later_points_at_the_drop(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id TEXT PRIMARY KEY);
                CREATE TABLE posts (id TEXT PRIMARY KEY, author TEXT REFERENCES users(id));
                CREATE INDEX posts_author ON posts (author);
            """,
            "0002_b.sql": "-- Drops users.\nDROP TABLE users;\n",
        },
    )
    # the problem appeared in 0002; there it belongs to no change of posts: the first change
    assert of_rule(findings, "foreign-key-target-missing") == [
        "migrations/0002_b.sql:2: foreign key posts(author) references table users, "
        "which does not exist"
    ]


def test_foreign_keys_to_existing_targets_pass(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id TEXT PRIMARY KEY);
                CREATE TABLE posts (
                  id TEXT PRIMARY KEY,
                  author TEXT REFERENCES users(id),
                  editor TEXT REFERENCES users
                );
            """
        },
    )
    assert of_rule(findings, "foreign-key-target-missing") == []


# --- foreign-key-without-index ------------------------------------------------------------


def test_foreign_key_without_index(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id TEXT PRIMARY KEY);
                CREATE TABLE jobs (
                  id TEXT PRIMARY KEY,
                  user_id TEXT REFERENCES users(id),
                  created_at TEXT
                );
                CREATE INDEX jobs_created_user ON jobs (created_at, user_id);
            """
        },
    )
    assert of_rule(findings, "foreign-key-without-index") == [
        "migrations/0001_a.sql:2: foreign key jobs(user_id) -> users has no index starting "
        "with (user_id): deleting or updating a users row scans all of jobs"
    ]


def test_dropping_the_index_of_a_foreign_key_points_at_the_drop(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id TEXT PRIMARY KEY);
                CREATE TABLE jobs (id TEXT PRIMARY KEY, user_id TEXT REFERENCES users(id));
                CREATE INDEX jobs_user ON jobs (user_id);
            """,
            "0002_b.sql": "-- Index no longer needed?\n\nDROP INDEX jobs_user;\n",
        },
    )
    assert [line.split(": ")[0] for line in of_rule(findings, "foreign-key-without-index")] == [
        "migrations/0002_b.sql:3"
    ]


def test_foreign_key_covered_by_a_leading_index_or_primary_key_passes(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id INTEGER PRIMARY KEY);
                CREATE TABLE jobs (
                  id TEXT PRIMARY KEY,
                  user_id INTEGER REFERENCES users(id),
                  created_at TEXT
                );
                CREATE INDEX jobs_user_created ON jobs (user_id, created_at);
                CREATE TABLE profiles (user_id INTEGER PRIMARY KEY REFERENCES users(id));
                CREATE TABLE members (
                  user_id INTEGER REFERENCES users(id),
                  team TEXT,
                  PRIMARY KEY (user_id, team)
                );
            """
        },
    )
    assert of_rule(findings, "foreign-key-without-index") == []


def test_partial_index_does_not_cover_a_foreign_key(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE users (id TEXT PRIMARY KEY);
                CREATE TABLE jobs (id TEXT PRIMARY KEY, user_id TEXT REFERENCES users(id), d INT);
                CREATE INDEX jobs_open ON jobs (user_id) WHERE d = 0;
            """
        },
    )
    assert len(of_rule(findings, "foreign-key-without-index")) == 1


# --- redundant-index ----------------------------------------------------------------------


def test_duplicate_and_prefix_indexes(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT);
                CREATE INDEX t_a_b ON t (a, b);
                CREATE INDEX t_a ON t (a);
            """,
            "0002_b.sql": "CREATE INDEX t_a_b_again ON t (a, b);\n",
        },
    )
    assert of_rule(findings, "redundant-index") == [
        "migrations/0001_a.sql:3: index t_a on t(a) is a prefix of index t_a_b (a, b): drop it",
        "migrations/0002_b.sql:1: index t_a_b_again on t(a, b) duplicates index t_a_b (a, b): "
        "drop it",
    ]


def test_indexes_that_differ_in_uniqueness_condition_or_order_pass(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, done INT);
                CREATE INDEX t_a_b ON t (a, b);
                CREATE UNIQUE INDEX t_a ON t (a);
                CREATE INDEX t_a_open ON t (a) WHERE done = 0;
                CREATE INDEX t_b_a ON t (b, a);
                CREATE INDEX t_a_desc_b ON t (a DESC, b);
            """
        },
    )
    assert of_rule(findings, "redundant-index") == []


def test_index_on_the_primary_key_is_redundant(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                CREATE TABLE t (code TEXT PRIMARY KEY, a TEXT);
                CREATE INDEX t_code ON t (code);
            """
        },
    )
    assert of_rule(findings, "redundant-index") == [
        "migrations/0001_a.sql:2: index t_code on t(code) duplicates index "
        "sqlite_autoindex_t_1 (code): drop it"
    ]


# --- misspelled-column-type / unknown-column-type -----------------------------------------


def test_misspelled_type(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path, {"0001_a.sql": "CREATE TABLE t (id INTERGER PRIMARY KEY, name VARCHR(20));\n"}
    )
    assert of_rule(findings, "misspelled-column-type") == [
        "migrations/0001_a.sql:1: column t.id has type INTERGER, which SQLite accepts silently "
        "with INTEGER affinity: did you mean INTEGER?",
        "migrations/0001_a.sql:1: column t.name has type VARCHR(20), which SQLite accepts "
        "silently with NUMERIC affinity: did you mean VARCHAR?",
    ]


def test_unknown_type_with_numeric_affinity(tmp_path: Path) -> None:
    findings = run_lint(tmp_path, {"0001_a.sql": "CREATE TABLE t (id TEXT PRIMARY KEY, s STRING);"})
    assert of_rule(findings, "unknown-column-type") == [
        "migrations/0001_a.sql:1: column t.s has type STRING, which is not a SQLite type name "
        "and gets NUMERIC affinity (text that looks like a number is stored as a number)"
    ]
    conn = sqlite3.connect(":memory:")  # what the message warns about, as SQLite does it
    conn.execute("CREATE TABLE t (s STRING)")
    conn.execute("INSERT INTO t VALUES ('007')")
    assert conn.execute("SELECT s, typeof(s) FROM t").fetchone() == (7, "integer")


def test_documented_types_pass(tmp_path: Path) -> None:
    columns = [
        "INT", "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "UNSIGNED BIG INT",
        "INT2", "INT8", "CHARACTER(20)", "VARCHAR(255)", "VARYING CHARACTER(255)", "NCHAR(55)",
        "NATIVE CHARACTER(70)", "NVARCHAR(100)", "TEXT", "CLOB", "BLOB", "REAL", "DOUBLE",
        "DOUBLE PRECISION", "FLOAT", "NUMERIC", "DECIMAL(10,5)", "BOOLEAN", "DATE", "DATETIME",
        "", "varchar(10)", "INT4",
    ]  # fmt: skip
    body = ", ".join(f"c{n} {t}" for n, t in enumerate(columns))
    findings = run_lint(tmp_path, {"0001_a.sql": f"CREATE TABLE t (id TEXT PRIMARY KEY, {body});"})
    assert of_rule(findings, "misspelled-column-type") == []
    assert of_rule(findings, "unknown-column-type") == []


def _sqlite_storage(declared: str) -> str:
    """How SQLite stores '1' and 1 in a column of this type: a fingerprint of its affinity."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f'CREATE TABLE t ("c" {declared})')
    except sqlite3.OperationalError:
        assume(False)  # a keyword such as NOT: not a type name
    assume(conn.execute("SELECT type FROM pragma_table_info('t')").fetchone()[0] == declared)
    conn.execute("INSERT INTO t VALUES ('1'), (1)")
    return ",".join(row[0] for row in conn.execute("SELECT typeof(c) FROM t"))


_FINGERPRINT = {
    "INTEGER": "integer,integer",
    "NUMERIC": "integer,integer",
    "REAL": "real,real",
    "TEXT": "text,text",
    "BLOB": "text,integer",
}


@given(
    st.lists(
        st.sampled_from(["INT", "CHAR", "CLOB", "TEXT", "BLOB", "REAL", "FLOA", "DOUB", "X"])
        | st.text(alphabet=string.ascii_letters, min_size=1, max_size=4),
        max_size=3,
    ).map("".join)
)
def test_type_affinity_agrees_with_sqlite(declared: str) -> None:
    assert _FINGERPRINT[type_affinity(declared)] == _sqlite_storage(declared)


# --- destructive-change-without-note ------------------------------------------------------


BASE = {
    "0001_a.sql": """
        -- Users and their notes.
        CREATE TABLE users (id TEXT PRIMARY KEY, legacy TEXT);
        CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT);
    """
}


def test_drop_without_note(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            **BASE,
            "0002_cleanup.sql": """
                -- Migration 0002: tidy up the schema.

                DROP TABLE notes;
                ALTER TABLE users DROP COLUMN legacy;
            """,
        },
    )
    assert of_rule(findings, "destructive-change-without-note") == [
        "migrations/0002_cleanup.sql:3: drops table notes, but the header comment of "
        "0002_cleanup.sql does not say so (mention the drop, or add `-- erdgen: destructive`)",
        "migrations/0002_cleanup.sql:4: drops column users.legacy, but the header comment of "
        "0002_cleanup.sql does not say so (mention the drop, or add `-- erdgen: destructive`)",
    ]


@pytest.mark.parametrize(
    "header",
    [
        "-- Migration 0002: drops the notes table and users.legacy.",
        "-- DESTRUCTIVE: notes go away.",
        "-- Entfernt die Tabelle notes und die Spalte users.legacy.",
        "-- Tidy up.\n-- erdgen: destructive",
    ],
)
def test_drop_with_note_passes(tmp_path: Path, header: str) -> None:
    sql = f"{header}\n\nDROP TABLE notes;\nALTER TABLE users DROP COLUMN legacy;\n"
    findings = run_lint(tmp_path, {**BASE, "0002_cleanup.sql": sql})
    assert of_rule(findings, "destructive-change-without-note") == []


def test_rebuild_that_loses_a_column_is_destructive(tmp_path: Path) -> None:
    rebuild = """
        -- Migration 0002: make users.id an integer.
        CREATE TABLE users_new (id INTEGER PRIMARY KEY);
        INSERT INTO users_new (id) SELECT id FROM users;
        DROP TABLE users;
        ALTER TABLE users_new RENAME TO users;
    """
    findings = run_lint(tmp_path, {**BASE, "0002_rebuild.sql": rebuild})
    assert of_rule(findings, "destructive-change-without-note") == [
        "migrations/0002_rebuild.sql:2: rebuilds table users without column(s) legacy, but the "
        "header comment of 0002_rebuild.sql does not say so (mention the drop, or add "
        "`-- erdgen: destructive`)"
    ]


# --- missing-description ------------------------------------------------------------------


def test_missing_descriptions(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                -- Migration 0001 (the header describes the migration, not the table).

                -- Users: people who sign in.
                CREATE TABLE users (
                  id TEXT PRIMARY KEY, -- user id
                  email TEXT
                );
                CREATE TABLE notes (id TEXT PRIMARY KEY); -- no comment above
            """,
            "0002_b.sql": "ALTER TABLE users ADD COLUMN nick TEXT;\n",
        },
    )
    assert of_rule(findings, "missing-description") == [
        "migrations/0001_a.sql:4: column users.email has no description (SQL comment or sidecar)",
        "migrations/0001_a.sql:8: column notes.id has no description (SQL comment or sidecar)",
        "migrations/0001_a.sql:8: table notes has no description (SQL comment or sidecar)",
        "migrations/0002_b.sql:1: column users.nick has no description (SQL comment or sidecar)",
    ]


def test_sidecar_descriptions_in_either_language_count(tmp_path: Path) -> None:
    sidecar = """
tables:
  users:
    en: People who sign in.
    columns:
      id: {de: Kennung}
      email: {en: Login address}
"""
    sql = "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT);\n"
    findings = run_lint(tmp_path, {"0001_a.sql": sql}, sidecar)
    assert of_rule(findings, "missing-description") == []


# --- migration-numbering-gap --------------------------------------------------------------


def test_numbering_gap(tmp_path: Path) -> None:
    files = dict.fromkeys(("0000_a.sql", "0001_b.sql", "0004_c.sql"), "SELECT 1;\n")
    files["0006_d.sql"] = "-- d\n\nSELECT 1;\n"
    findings = run_lint(tmp_path, files)
    assert of_rule(findings, "migration-numbering-gap") == [
        "migrations/0004_c.sql:1: migration 0004 follows 0001: numbers 0002..0003 are missing",
        "migrations/0006_d.sql:3: migration 0006 follows 0004: number 0005 is missing",
    ]


def test_sequential_and_timestamp_numbers_pass(tmp_path: Path) -> None:
    sequential = {f"{n:04d}_m.sql": "SELECT 1;\n" for n in range(3)}
    assert of_rule(run_lint(tmp_path / "s", sequential), "migration-numbering-gap") == []
    stamps = {"20220505083406_a.sql": "SELECT 1;", "20230101000000_b.sql": "SELECT 1;"}
    assert of_rule(run_lint(tmp_path / "t", stamps), "migration-numbering-gap") == []


def test_shared_numbers_are_no_gap_and_versions_or_names_are_never_checked(
    tmp_path: Path,
) -> None:
    shared = dict.fromkeys(("0001_a.sql", "0002_b.sql", "0002_c.sql", "0004_d.sql"), "SELECT 1;\n")
    assert of_rule(run_lint(tmp_path / "w", shared), "migration-numbering-gap") == [
        "migrations/0004_d.sql:1: migration 0004 follows 0002_c: number 0003 is missing"
    ]
    flyway = dict.fromkeys(("V1__a.sql", "V1_1__b.sql", "V3__c.sql"), "SELECT 1;\n")
    assert of_rule(run_lint(tmp_path / "f", flyway), "migration-numbering-gap") == []


# --- statement-not-understood -------------------------------------------------------------


def test_statement_not_understood(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE a (id TEXT PRIMARY KEY);\n"
            "ATTACH DATABASE ':memory:' AS aux;\n"
        },
    )
    assert of_rule(findings, "statement-not-understood") == [
        "migrations/0001_a.sql:2: statement not understood; the model ignores it [not-understood]"
    ]


def test_understood_statements_pass(tmp_path: Path) -> None:
    findings = run_lint(tmp_path, {"0001_a.sql": "CREATE TABLE a (id TEXT PRIMARY KEY);\n"})
    assert of_rule(findings, "statement-not-understood") == []


# --- inline ignores -----------------------------------------------------------------------


def test_ignore_with_reason_silences_only_its_rule_and_statement(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                -- erdgen: ignore[table-without-primary-key] append-only log, never updated
                CREATE TABLE log (at TEXT);
                CREATE TABLE other (at TEXT); -- erdgen: ignore[missing-description] scratch
            """
        },
    )
    assert of_rule(findings, "table-without-primary-key") == [
        "migrations/0001_a.sql:3: table other has no primary key "
        "(rows can only be told apart by rowid)"
    ]
    assert "migrations/0001_a.sql:3" not in {
        line.split(": ")[0] for line in of_rule(findings, "missing-description")
    }
    assert of_rule(findings, "invalid-ignore") == []


def test_ignore_without_reason_or_with_unknown_rule_is_a_finding(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": """
                -- erdgen: ignore[table-without-primary-key]
                CREATE TABLE log (at TEXT);
                -- erdgen: ignore[no-such-rule] because
                CREATE TABLE other (id TEXT PRIMARY KEY);
            """
        },
    )
    assert of_rule(findings, "invalid-ignore") == [
        "migrations/0001_a.sql:1: erdgen: ignore needs a reason after the ] "
        "(it silences nothing without one)",
        "migrations/0001_a.sql:3: erdgen: ignore names unknown rule(s) no-such-rule",
    ]
    assert len(of_rule(findings, "table-without-primary-key")) == 1  # not silenced


def test_ignore_separated_by_a_blank_line_does_not_apply(tmp_path: Path) -> None:
    findings = run_lint(
        tmp_path,
        {
            "0001_a.sql": "-- erdgen: ignore[table-without-primary-key] log\n\n"
            "CREATE TABLE log (at TEXT);"
        },
    )
    assert len(of_rule(findings, "table-without-primary-key")) == 1


def test_bundled_migrations_have_no_error_findings() -> None:
    root = Path(__file__).parents[1]
    history = load_history(root / "migrations", root)
    from erdgen.descriptions import load_descriptions

    findings = lint(history, Texts(load_descriptions(root / "docs" / "schema.yml")))
    assert [f.format() for f in findings if f.severity == "error"] == []


def test_drops_of_scratch_and_copied_tables_keep_their_data(tmp_path: Path) -> None:
    backup_rebuild = """
        -- Migration 0002: make notes.body NOT NULL.
        CREATE TABLE _bkp_notes (id TEXT PRIMARY KEY, body TEXT);
        INSERT INTO _bkp_notes (id, body) SELECT id, body FROM notes;
        DROP TABLE notes;
        CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL DEFAULT '');
        INSERT INTO notes (id, body) SELECT id, coalesce(body, '') FROM _bkp_notes;
        DROP TABLE _bkp_notes;
    """
    findings = run_lint(tmp_path, {**BASE, "0002_notes.sql": backup_rebuild})
    assert of_rule(findings, "destructive-change-without-note") == []
