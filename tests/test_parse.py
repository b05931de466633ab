"""Splitting migration files into statements, with locations and comments (lexer + parse)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from erdgen.dialects.sqlite.split import comment_above, header_comment, scan
from erdgen.dialects.sqlite.tokens import Statement, parse_migration
from erdgen.errors import Location
from erdgen.layouts import discover_migrations as discover
from erdgen.model import Migration

TRIGGER = """CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT, n INTEGER);
CREATE TRIGGER t_touch AFTER UPDATE ON t
BEGIN
  UPDATE t SET note = 'semi;colon' WHERE id = new.id;
  INSERT INTO t (note) VALUES ('a;b'' ; c');
  UPDATE t SET n = n + 1;
END;
INSERT INTO t (note) VALUES ('x');
"""


def migration(sql: str, path: str = "migrations/0001_x.sql") -> Migration:
    return Migration(
        id="0001_x.sql", sort_key=(1,), name="x", paths=(path,), sha256="", sql=sql, label="0001"
    )


def statements(sql: str) -> list[Statement]:
    return parse_migration(migration(sql))


def texts(sql: str) -> list[str]:
    return [s.text for s in statements(sql)]


def test_trigger_body_with_semicolons_stays_one_statement() -> None:
    found = texts(TRIGGER)
    assert len(found) == 3
    assert found[1].startswith("CREATE TRIGGER t_touch")
    assert found[1].endswith("END;")
    assert "'a;b'' ; c'" in found[1]


def test_every_statement_is_complete_for_sqlite_and_runs() -> None:
    conn = sqlite3.connect(":memory:")
    for text in texts(TRIGGER):
        assert sqlite3.complete_statement(text)
        conn.execute(text)
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == [
        ("t_touch",)
    ]


def test_semicolon_inside_strings_identifiers_and_comments() -> None:
    sql = (
        "INSERT INTO \"we;ird\" VALUES ('it''s; fine');\n"
        "-- a comment; with a semicolon\n"
        "/* block; comment */ SELECT [a;b] FROM `c;d`;\n"
    )
    found = texts(sql)
    assert found == [
        "INSERT INTO \"we;ird\" VALUES ('it''s; fine');",
        "SELECT [a;b] FROM `c;d`;",
    ]


def test_statement_locations_are_line_and_column_of_the_first_token() -> None:
    sql = "-- header\n\nCREATE TABLE a (x);   CREATE TABLE b (y);\n\n  DROP TABLE a;\n"
    found = statements(sql)
    path = "migrations/0001_x.sql"
    assert [s.location for s in found] == [
        Location(path, 3, 1),
        Location(path, 3, 23),
        Location(path, 5, 3),
    ]


def test_location_of_an_offset_inside_a_statement() -> None:
    sql = "\nCREATE TABLE a (\n  x INTEGER,\n  y TEXT\n);\n"
    (statement,) = statements(sql)
    offset = statement.text.index("y TEXT")
    assert statement.location_of(offset) == Location("migrations/0001_x.sql", 4, 3)


def test_comments_between_statements_are_not_statements() -> None:
    sql = (
        "CREATE TABLE a (x);\n"
        "-- between\n"
        "/* multi\n   line */\n"
        "CREATE TABLE b (y);\n"
        "-- trailing comment at the end of the file\n"
    )
    assert texts(sql) == ["CREATE TABLE a (x);", "CREATE TABLE b (y);"]


def test_final_statement_without_semicolon_is_kept() -> None:
    sql = "CREATE TABLE a (x);\nCREATE TABLE b (y)\n"
    found = statements(sql)
    assert [s.text for s in found] == ["CREATE TABLE a (x);", "CREATE TABLE b (y)"]
    assert found[1].location.line == 2


def test_empty_statements_and_empty_files() -> None:
    assert texts("") == []
    assert texts("-- only a comment\n") == []
    assert texts(";;\n ; CREATE TABLE a (x);;") == ["CREATE TABLE a (x);"]


def test_crlf_files_split_and_locate_like_lf_files(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_crlf.sql").write_bytes(
        b"-- Creates a.\r\n\r\nCREATE TABLE a (\r\n  x INTEGER -- the x\r\n);\r\n"
        b"CREATE INDEX a_x ON a (x);\r\n"
    )
    (loaded,) = discover(migrations, tmp_path)
    found = parse_migration(loaded)
    assert [s.location.line for s in found] == [3, 6]
    assert [s.location.column for s in found] == [1, 1]
    assert all("\r" not in s.text for s in found)
    assert loaded.description == "Creates a."


def test_words_keep_source_text_and_unquote_names() -> None:
    (statement,) = statements('CREATE TABLE "my ""t""" ([a b] INT8, `c` TEXT);')
    names = [w.name for w in statement.words]
    assert 'my "t"' in names
    assert "a b" in names
    assert "c" in names
    assert "INT8" in [w.source for w in statement.words]


def test_sqlglot_tree_is_parsed_on_demand_and_none_when_it_cannot() -> None:
    insert, trigger = statements(
        "INSERT INTO t (a) VALUES (1);\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;"
    )
    tree = insert.tree()
    assert tree is not None
    assert tree.key == "insert"
    # A trigger body is not something sqlglot models; erdgen reads it from tokens.
    assert trigger.keywords[:2] == ("CREATE", "TRIGGER")


def test_header_comment_and_comment_above_a_statement() -> None:
    sql = (
        "-- Migration header.\n"
        "-- Second line.\n"
        "\n"
        "-- The accounts.\n"
        "-- One per person.\n"
        "CREATE TABLE accounts (id INTEGER);\n"
        "\n"
        "CREATE TABLE plain (id INTEGER);\n"
    )
    scanned = scan(sql)
    assert header_comment(scanned) == "Migration header.\nSecond line."  # two sentences
    first, second = scanned.statements
    assert comment_above(scanned, first.start) == "The accounts.\nOne per person."
    assert comment_above(scanned, second.start) == ""


def test_header_comment_directly_above_the_first_statement_is_not_its_description() -> None:
    sql = "-- Migration header.\nCREATE TABLE a (id INTEGER);\n"
    scanned = scan(sql)
    assert header_comment(scanned) == "Migration header."
    assert comment_above(scanned, scanned.statements[0].start) == ""
