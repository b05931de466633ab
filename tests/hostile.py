"""Hypothesis: one migration that SQLite accepts, full of names and notes that break naive
writers (quotes of every kind, backslashes, line breaks, non-ASCII letters, emoji, SQL and
DBML keywords), read by erdgen into the model the export formats write.

Views and triggers have such names too. Tables reference earlier tables (single and
composite keys, unique and nullable ones, one to a table that does not exist); indexes are
plain, unique, partial or on expressions; descriptions come from SQL comments and from a
sidecar whose texts span lines. Names are told apart as SQLite does (A-Z fold only: "Ä"
and "ä" are two names).
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from erdgen.core.history import load_history
from erdgen.descriptions import Descriptions, TableTexts
from erdgen.formats.registry import SchemaExport
from erdgen.model import History, ascii_fold

Draw = st.DrawFn

KEYWORDS = ("select", "Table", "Note", "Ref", "indexes", "order", "null", "pk", "default", "enum")
CHARACTERS = "aZq_9 \"'\\`[]().,:;{}<>-äÄßé中😀\n\t"
TYPES = ("INTEGER", "TEXT", "VARCHAR(10)", "UNSIGNED BIG INT", "", "DECIMAL(10, 2)", "BLOB")
DEFAULTS = ("'it''s'", "'back\\slash'", "-1", "1.5", "NULL", "CURRENT_TIMESTAMP",
            "(lower('X'))", "TRUE", "x'00ff'")  # fmt: skip
NOTES = ("", "plain", 'it\'s "quoted" \\ with\na second line', "'''", "ünïcödé 😀 `tick`")
ACTIONS = ("CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT")


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def names() -> st.SearchStrategy[str]:
    text = st.text(alphabet=CHARACTERS, min_size=1, max_size=6)
    return st.one_of(st.sampled_from(KEYWORDS), text).filter(
        lambda name: not ascii_fold(name).startswith("sqlite_")
    )


def distinct_names(draw: Draw, count: int, taken: set[str] | None = None) -> list[str]:
    """Names SQLite tells apart (it folds A-Z only)."""
    seen = set() if taken is None else taken
    found: list[str] = []
    while len(found) < count:
        name = draw(names())
        if ascii_fold(name) not in seen:
            seen.add(ascii_fold(name))
            found.append(name)
    return found


@dataclass
class Drawn:
    name: str
    columns: list[str]
    key: list[str]  # primary key columns


def column_sql(draw: Draw, name: str, single_key: bool) -> str:
    declared = draw(st.sampled_from(TYPES))
    parts = [quoted(name)] + ([declared] if declared else [])
    if single_key:
        integer = declared == "INTEGER"
        parts.append(
            "PRIMARY KEY AUTOINCREMENT" if integer and draw(st.booleans()) else "PRIMARY KEY"
        )
    if draw(st.booleans()):
        parts.append("NOT NULL")
    if not single_key and draw(st.integers(0, 3)) == 0:
        parts.append("UNIQUE")
    if draw(st.booleans()):
        parts.append(f"DEFAULT {draw(st.sampled_from(DEFAULTS))}")
    note = draw(st.sampled_from(NOTES)).replace("\n", " ")
    return "  " + " ".join(parts) + "," + (f" -- {note}" if note else "")


def table_sql(draw: Draw, table: Drawn, earlier: list[Drawn], missing: str) -> list[str]:
    shape = draw(st.sampled_from(("none", "single", "composite")))
    if shape == "composite" and len(table.columns) < 2:
        shape = "single"
    table.key = {"none": [], "single": table.columns[:1], "composite": table.columns[:2]}[shape]
    lines = [f"CREATE TABLE {quoted(table.name)} ("]
    lines += [
        column_sql(draw, c, shape == "single" and c == table.columns[0]) for c in table.columns
    ]
    if shape == "composite":
        lines.append(f"  PRIMARY KEY ({', '.join(quoted(c) for c in table.key)}),")
    lines += foreign_keys(draw, table, earlier, missing)
    check = quoted(table.columns[-1])
    name = draw(st.sampled_from(("", *distinct_names(draw, 1))))
    constraint = f"CONSTRAINT {quoted(name)} " if name else ""
    lines.append(f"  {constraint}CHECK ({check} IS NULL OR {check} IS NOT NULL)")
    return [*lines, ");"]


def foreign_keys(draw: Draw, table: Drawn, earlier: list[Drawn], missing: str) -> list[str]:
    lines = []
    for parent in draw(st.lists(st.sampled_from(earlier), max_size=2)) if earlier else []:
        if not parent.key or len(parent.key) > len(table.columns):
            continue
        own = draw(st.permutations(table.columns))[: len(parent.key)]
        action = draw(st.sampled_from(ACTIONS))
        written = ", ".join(quoted(c) for c in parent.key) if draw(st.booleans()) else ""
        target = f"{quoted(parent.name)}({written})" if written else quoted(parent.name)
        lines.append(
            f"  FOREIGN KEY ({', '.join(quoted(c) for c in own)}) REFERENCES {target} "
            f"ON DELETE {action},"
        )
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"  FOREIGN KEY ({quoted(table.columns[0])}) REFERENCES {quoted(missing)},")
    return lines


def index_sql(draw: Draw, table: Drawn, name: str) -> str:
    unique = "UNIQUE " if draw(st.booleans()) else ""
    picked = draw(st.lists(st.sampled_from(table.columns), min_size=1, max_size=3, unique=True))
    keys = [quoted(c) + draw(st.sampled_from(("", " DESC", " COLLATE NOCASE"))) for c in picked]
    if draw(st.integers(0, 3)) == 0:
        keys.append(f"lower({quoted(picked[0])})")
    where = f" WHERE {quoted(picked[0])} IS NOT NULL" if draw(st.integers(0, 3)) == 0 else ""
    return (
        f"CREATE {unique}INDEX {quoted(name)} ON {quoted(table.name)} ({', '.join(keys)}){where};"
    )


def view_or_trigger_sql(draw: Draw, table: Drawn, name: str) -> str:
    if draw(st.booleans()):
        return f"CREATE VIEW {quoted(name)} AS SELECT * FROM {quoted(table.name)};"
    timing = draw(st.sampled_from(("BEFORE", "AFTER")))
    event = draw(st.sampled_from(("INSERT", "DELETE", f"UPDATE OF {quoted(table.columns[0])}")))
    return (
        f"CREATE TRIGGER {quoted(name)} {timing} {event} ON {quoted(table.name)} "
        "BEGIN SELECT 1; END;"
    )


@st.composite
def hostile_exports(draw: Draw) -> SchemaExport:
    """A SchemaExport of a model erdgen read from one hostile migration."""
    taken: set[str] = set()
    tables = [Drawn(name, [], []) for name in distinct_names(draw, draw(st.integers(1, 4)), taken)]
    missing = distinct_names(draw, 1, taken)[0]
    lines: list[str] = []
    for position, table in enumerate(tables):
        table.columns = distinct_names(draw, draw(st.integers(1, 4)))
        lines += table_sql(draw, table, tables[:position], missing)
    index_names = distinct_names(draw, draw(st.integers(0, 3)), taken)
    lines += [index_sql(draw, draw(st.sampled_from(tables)), name) for name in index_names]
    for name in distinct_names(draw, draw(st.integers(0, 2)), taken):
        lines.append(view_or_trigger_sql(draw, draw(st.sampled_from(tables)), name))
    descriptions = sidecar(draw, tables)
    title = draw(names())  # the project's name: dbdocs' Project, tbls' schema name
    return SchemaExport(history_of("\n".join(lines) + "\n"), descriptions, "en", title)


def sidecar(draw: Draw, tables: list[Drawn]) -> Descriptions:
    texts = {}
    for table in tables:
        columns = {ascii_fold(c): {"en": draw(st.sampled_from(NOTES))} for c in table.columns}
        texts[ascii_fold(table.name)] = TableTexts({"en": draw(st.sampled_from(NOTES))}, columns)
    return Descriptions(tables=texts)


def history_of(sql: str) -> History:
    """erdgen's model of the migration, after SQLite accepted it."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(sql)  # a test bug, not a finding, if SQLite refuses
    finally:
        connection.close()
    with tempfile.TemporaryDirectory() as folder:
        migrations = Path(folder) / "migrations"
        migrations.mkdir()
        (migrations / "0001_hostile.sql").write_text("-- hostile names\n" + sql, encoding="utf-8")
        history = load_history(migrations, Path(folder))
    assert not history.diagnostics, [d.format() for d in history.diagnostics]
    return history
