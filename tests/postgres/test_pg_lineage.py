"""Where a dropped column's data went, in PostgreSQL folders: an ``INSERT ... SELECT`` or an
``UPDATE ... SET ... FROM`` that copied it first, with names spelled as PostgreSQL reads
them (quoted, unquoted capitals it folds, qualified by a schema, found by the search
path). PostgreSQL runs each generated folder, and the copied values are read back from
it before erdgen's lineage is compared."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from folders import migrations
from hypothesis import given
from hypothesis import strategies as st
from pg_findings import PG_SETTINGS

from erdgen import dialects
from erdgen.core.history import build_history, load_history
from erdgen.model import Action

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection

POSTGRES = dialects.get("postgres")
CORPUS = Path("/work/shared/corpus")
NAMES = ["plain", "Mixed", "with space", "host_name"]


def _spelled(draw: st.DrawFn, name: str) -> str:
    """How a migration may write the name: quoted, or unquoted in any case where
    PostgreSQL folds that to the name."""
    if name.islower() and " " not in name:
        return draw(st.sampled_from([name, name.upper(), f'"{name}"']))
    return f'"{name}"'


@st.composite
def copies(draw: st.DrawFn) -> tuple[str, str, tuple[str, str, str, str]]:
    """(first migration, second migration, (source, column, target, into) as the model
    names them); the second copies the column, then drops it."""
    source, target = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True))
    column, into = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
    schema = {t: draw(st.sampled_from(["public", "app"])) for t in (source, target)}
    search = draw(st.booleans())  # SET search_path TO app, public

    def table(name: str) -> str:
        bare = _spelled(draw, name)
        if schema[name] == "app":
            return bare if search and draw(st.booleans()) else f"app.{bare}"
        return f"public.{bare}" if draw(st.integers(0, 3)) == 0 else bare

    first = (
        "CREATE SCHEMA app;\n"
        f'CREATE TABLE {schema[source]}."{source}" (id int, "{column}" text);\n'
        f'CREATE TABLE {schema[target]}."{target}" (id int, "{into}" text);\n'
        f"INSERT INTO {schema[source]}.\"{source}\" VALUES (1, 'one'), (2, 'two');\n"
        f'INSERT INTO {schema[target]}."{target}" (id) VALUES (1), (2);\n'
    )
    second = "SET search_path TO app, public;\n" if search else ""
    col, dst = _spelled(draw, column), _spelled(draw, into)
    if draw(st.booleans()):
        second += f"DELETE FROM {table(target)};\n"
        second += (
            f"INSERT INTO {table(target)} (id, {dst}) SELECT id, {col} FROM {table(source)};\n"
        )
    else:
        alias = draw(st.sampled_from(["", " s", " AS s"]))
        qualifier = "s" if alias else _spelled(draw, source)  # FROM app.x: x.c names it
        second += (
            f"UPDATE {table(target)} AS t\nSET {dst} = {qualifier}.{col}\n"
            f"FROM {table(source)}{alias}\nWHERE {qualifier}.id = t.id;\n"
        )
    second += f"ALTER TABLE {table(source)} DROP COLUMN {col};\n"

    def model(name: str) -> str:
        return name if schema[name] == "public" else f"app.{name}"

    return first, second, (model(source), column, model(target), into)


@PG_SETTINGS
@given(folder=copies())
def test_a_column_copied_before_its_drop_is_not_lost(
    pg: Connection, folder: tuple[str, str, tuple[str, str, str, str]]
) -> None:
    first, second, (source, column, target, into) = folder
    pg.execute("BEGIN")
    try:
        pg.execute(first.encode())
        pg.execute(second.encode())
        table = ".".join(f'"{part}"' for part in target.split("."))
        rows = pg.execute(f'SELECT "{into}" FROM {table} ORDER BY id'.encode()).fetchall()
    finally:
        pg.execute("ROLLBACK")
    assert [row[0] for row in rows] == ["one", "two"]  # PostgreSQL: the values went there
    history = build_history(migrations(first, second), POSTGRES)
    drop = next(c for c in history.steps[1].changes if c.action is Action.DROP_COLUMN)
    assert drop.object == f"{source}.{column}"
    assert [(c.source, c.column, c.target, c.into) for c in drop.copied_to] == [
        (source, column, target, into)
    ], second
    assert drop.lost_columns == ()


def test_registry_converts_amount_into_cents_before_dropping_it() -> None:
    root = CORPUS / "registry-postgres"
    history = load_history(root, root)
    step = next(s for s in history.steps if s.migration.id == "pricing-plans-amount-cents")
    update = next(c for c in step.changes if c.action is Action.DATA)
    assert (update.verb, update.table, update.location.line) == (
        "UPDATE",
        "registry.pricing_plans",
        29,
    )
    drop = next(c for c in step.changes if c.action is Action.DROP_COLUMN)
    assert (drop.object, drop.location.line) == ("registry.pricing_plans.amount", 35)
    assert [(c.column, c.into, c.as_is, c.rows_lost) for c in drop.copied_to] == [
        ("amount", "amount_cents", False, ())
    ]
    assert not drop.destructive
