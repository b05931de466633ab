"""Statements are split as psql reads them; PostgreSQL accepts each piece on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from corpus_order import ORDERS, migrations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erdgen.dialects.postgres.replay import execute, replay
from erdgen.dialects.postgres.split import split
from erdgen.errors import Location

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


def texts(sql: str) -> list[str]:
    return [statement.text for statement in split(sql).statements]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1; SELECT 2", ["SELECT 1;", "SELECT 2"]),
        ("SELECT ';', E'\\';', 'it''s;';", ["SELECT ';', E'\\';', 'it''s;';"]),
        ("SELECT $$;$$, $a$ $$; $a$;", ["SELECT $$;$$, $a$ $$; $a$;"]),
        ('CREATE TABLE "a;""b" (x int);', ['CREATE TABLE "a;""b" (x int);']),
        ("/* a /* ; */ ; */ SELECT 1;", ["SELECT 1;"]),
        ("SELECT 1 -- ;\n;", ["SELECT 1 -- ;\n;"]),
        ("SELECT foo$bar$; SELECT $1;", ["SELECT foo$bar$;", "SELECT $1;"]),
        (
            "CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC SELECT CASE WHEN 1 = 1 THEN 1 END;"
            " SELECT 2; END; SELECT 3;",
            [
                "CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC SELECT CASE WHEN 1 = 1 THEN 1 END;"
                " SELECT 2; END;",
                "SELECT 3;",
            ],
        ),
        ("BEGIN; SELECT 1; END;", ["BEGIN;", "SELECT 1;", "END;"]),
        ("SELECT (1;2); SELECT 3;", ["SELECT (1;2);", "SELECT 3;"]),
        ("SELECT 1 \\; SELECT 2;", ["SELECT 1 ; SELECT 2;"]),
    ],
)
def test_a_semicolon_ends_a_statement_only_where_psql_says(sql: str, expected: list[str]) -> None:
    assert texts(sql) == expected


def test_each_statement_knows_its_line_and_column() -> None:
    found = split("-- head\n  SELECT 1; SELECT\n2;\n", "m/001.sql").statements
    assert [s.location for s in found] == [
        Location("m/001.sql", 2, 3),
        Location("m/001.sql", 2, 13),
    ]


def test_psql_variables_set_in_the_file_are_substituted() -> None:
    sql = "\\set n 'it''s'\nSELECT :'n', :\"n\", :n::text, :unknown;"
    assert texts(sql) == ["SELECT 'it''s', \"it's\", it's::text, :unknown;"]


def test_psql_meta_commands_are_reported_with_their_location_and_kept_out() -> None:
    found = split("\\set ON_ERROR_STOP on\nSELECT 1;\n  \\i other.sql\n", "a.sql")
    assert [(m.name, str(m.location)) for m in found.meta_commands] == [
        ("\\set", "a.sql:1:1"),
        ("\\i", "a.sql:3:3"),
    ]
    assert [s.text for s in found.statements] == ["SELECT 1;"]


@pytest.mark.parametrize(
    ("sql", "what", "column"),
    [
        ("SELECT 'x;", "quoted string", 8),
        ("SELECT $f$ x;", "dollar-quoted string $f$", 8),
        ("SELECT 1; /* /* */", "comment", 11),
        ('SELECT "x', "quoted identifier", 8),
    ],
)
def test_what_is_still_open_at_the_end_is_said(sql: str, what: str, column: int) -> None:
    found = split(sql, "a.sql").unterminated
    assert found is not None
    assert (found.what, found.location) == (what, Location("a.sql", 1, column))


# Statements built from the lexical pieces that hide a ";" from a naive splitter.
_name = st.text("abcxyz;\"' $", min_size=1, max_size=6)
_words = st.text("ab ;'\\$/*-", max_size=8)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _escape(text: str) -> str:
    return "E'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@st.composite
def statement(draw: st.DrawFn, n: int) -> str:
    words = draw(_words)
    kind = draw(st.sampled_from(["table", "function", "atomic", "do", "comment", "select"]))
    if kind == "table":
        column = _ident(draw(_name))
        return f"CREATE TABLE t{n} ({column} text DEFAULT {_literal(words)} /* ; /* ; */ */)"
    if kind == "function":
        tag = draw(st.sampled_from(["", "body", "x1"]))  # never a part of ``words``
        tag = "fn" if not tag and "$$" in words else tag
        return (
            f"CREATE FUNCTION f{n}() RETURNS text LANGUAGE plpgsql AS ${tag}$"
            f" BEGIN RETURN {_escape(words)}; END; ${tag}$"
        )
    if kind == "atomic":
        return (
            f"CREATE OR REPLACE FUNCTION g{n}(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
            f" SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END; SELECT length({_literal(words)}); END"
        )
    if kind == "do":
        return f"DO $do$ BEGIN PERFORM {_literal(words)}; END $do$"
    if kind == "comment":
        return f"COMMENT ON SCHEMA public IS {_escape(words)}"
    return f"SELECT {_literal(words)} AS {_ident(draw(_name))} -- ; {words.replace(chr(10), '')}\n"


_separators = st.sampled_from([";\n", ";", "; -- ;\n", ";/* ; */\n", "  ;\n\n"])


@st.composite
def scripts(draw: st.DrawFn) -> list[tuple[str, str]]:
    size = draw(st.integers(1, 6))
    return [(draw(statement(n)), draw(_separators)) for n in range(size)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scripts())
def test_the_split_gives_the_server_one_statement_at_a_time(
    pg: Connection, script: list[tuple[str, str]]
) -> None:
    sql = "".join(statement + separator for statement, separator in script)
    found = split(sql, "gen.sql").statements
    assert [s.text.rstrip(";").rstrip() for s in found] == [s.rstrip() for s, _ in script]
    rejection = replay(pg, found)
    assert rejection is None, rejection.format()
    execute(pg, "DROP SCHEMA public CASCADE")
    execute(pg, "CREATE SCHEMA public")


@pytest.mark.slow
@pytest.mark.parametrize("folder", sorted(ORDERS))
def test_every_corpus_file_replays_statement_by_statement(pg: Connection, folder: str) -> None:
    if folder == "crates-io-postgres":
        execute(pg, "CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for migration in migrations(folder):
        found = split(migration.path.read_text(encoding="utf-8"), migration.label)
        assert found.unterminated is None
        assert all(command.name == "\\set" for command in found.meta_commands)
        rejection = replay(pg, found.statements, migration.transaction)
        assert rejection is None, rejection.format()
