"""Which diagrams exist: groups of a large schema, neighbourhoods, migrations; rendering
with a layout timeout and a cache; the ``erdgen diagram`` command; Mermaid."""

from __future__ import annotations

import json
import random
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import graphviz
import pytest
from cache_entries import overwrite, stored
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from erdgen.cli import main
from erdgen.config import Config, GroupSpec
from erdgen.core.history import load_history
from erdgen.errors import ErdgenError
from erdgen.formats.mermaid import mermaid_er
from erdgen.model import Column, ForeignKey, History, Schema, Table
from erdgen.render import graphviz as graphviz_module
from erdgen.render import svgs as svgs_module
from erdgen.render.diagrams import (
    Diagram,
    Layouts,
    cache_key,
    embeddable_cache_key,
    fk_graph,
    group_tables,
    legend_items,
    migration_diagram,
    overview_diagrams,
    render_svgs,
    table_diagram,
    within_hops,
)
from erdgen.render.graphviz import run_dot, run_dot_batch
from erdgen.site.cache import Entries

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
SVG = "{http://www.w3.org/2000/svg}"
CONFIG = Config(project_dir=ROOT, jobs=2)


def link(name: str) -> str:
    return f"../{name}/"


def layout(dot: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(graphviz.pipe("dot", "json", dot.encode()))
    return data


def classed(data: dict[str, Any], css_class: str) -> list[dict[str, Any]]:
    return [o for o in data.get("objects", []) if css_class in o.get("class", "").split()]


def table_names(dot: str) -> set[str]:
    """Table nodes of a diagram, by their link (the link callback gets the table name)."""
    return {o["href"].strip("./") for o in classed(layout(dot), "erd-table")}


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(MIGRATIONS, ROOT)


# -- large schemas ----------------------------------------------------------------------


def generated_schema(count: int, name: Any, seed: int = 7) -> Schema:
    """``count`` tables, each but the first referencing an earlier one in its family."""
    rng = random.Random(seed)
    tables = []
    for i in range(count):
        columns: tuple[Column, ...] = (
            Column("id", "INTEGER", primary_key=1),
            Column("label", "TEXT", not_null=True),
        )
        keys: tuple[ForeignKey, ...] = ()
        if i % 10:
            parent = i - 1 - rng.randrange(i % 10)
            columns += (Column("parent_id", "INTEGER"),)
            keys = (ForeignKey(("parent_id",), name(parent), ("id",)),)
        tables.append(Table(name(i), columns, keys))
    return Schema(tuple(tables))


def by_prefix(i: int) -> str:
    return f"{['billing', 'crm', 'hr', 'shop', 'wiki'][i // 100]}_table_{i:03d}"


def plain(i: int) -> str:
    return f"t{i:03d}"


@pytest.mark.parametrize("name", [by_prefix, plain], ids=["prefixes", "components"])
def test_500_tables_split_into_bounded_groups(name: Any) -> None:
    schema = generated_schema(500, name)
    groups = group_tables(schema, CONFIG)
    placed = [table for group in groups for table in group.tables]
    assert sorted(placed) == sorted(t.name for t in schema.tables)  # each exactly once
    assert all(0 < len(group.tables) <= CONFIG.split_threshold for group in groups)
    assert len({group.key for group in groups}) == len(groups)
    if name is by_prefix:
        assert all(g.name.startswith(t.split("_")[0]) for g in groups for t in g.tables)


def test_500_tables_give_a_group_overview_and_bounded_diagrams() -> None:
    schema = generated_schema(500, by_prefix)
    diagrams = overview_diagrams(schema, CONFIG, link, group_link=lambda key: f"{key}/")
    overview, *groups = diagrams
    assert overview.key == "overview" and [d.key for d in groups] == [
        g.key for g in group_tables(schema, CONFIG)
    ]
    data = layout(overview.dot)
    assert {o["name"] for o in classed(data, "erd-group")} == {d.key for d in groups}
    assert all(o["href"] == f"{o['name']}/" for o in classed(data, "erd-group"))
    for diagram in groups:
        assert len(table_names(diagram.dot)) <= CONFIG.split_threshold
    # Drawn, two of them: a group diagram lays out, with its tables as links.
    svgs = render_svgs(diagrams[:3], CONFIG, None)
    assert set(svgs) == {d.key for d in diagrams[:3]}


def test_group_overview_edges_count_foreign_keys_between_groups() -> None:
    schema = Schema(
        (
            Table("a_one", (Column("id", primary_key=1),)),
            Table("a_two", (Column("id", primary_key=1),)),
            *(
                Table(f"b_{n}", (Column("x"),), (ForeignKey(("x",), "a_one", ("id",)),))
                for n in range(3)
            ),
        )
    )
    config = Config(project_dir=ROOT, split_threshold=2)
    overview = overview_diagrams(schema, config, link)[0]
    edges = layout(overview.dot)["edges"]
    assert sorted(e["label"] for e in edges) == ["1", "2"]  # b (1/2) -> a: 2, b (2/2) -> a: 1


def test_explicit_groups_come_first() -> None:
    schema = generated_schema(60, plain)
    spec = (GroupSpec("chosen", tables=("t005", "T007"), prefixes=("t01",)),)
    config = Config(project_dir=ROOT, groups=spec)
    groups = group_tables(schema, config)
    chosen = next(g for g in groups if g.name == "chosen")
    assert chosen.tables == ("t005", "t007", *(f"t01{n}" for n in range(10)))
    assert sum(len(g.tables) for g in groups) == 60


# -- neighbourhoods ---------------------------------------------------------------------


def chain() -> Schema:
    """a -> b -> c -> d, and e on its own."""

    def table(name: str, parent: str | None) -> Table:
        keys = (ForeignKey(("p",), parent, ("id",)),) if parent else ()
        return Table(name, (Column("id", "INTEGER", primary_key=1), Column("p")), keys)

    return Schema(
        (table("a", "b"), table("b", "c"), table("c", "d"), table("d", None), table("e", None))
    )


@pytest.mark.parametrize(
    ("depth", "expected"), [(1, {"a", "b", "c"}), (2, {"a", "b", "c", "d"}), (0, {"b"})]
)
def test_neighbourhood_follows_keys_both_ways(depth: int, expected: set[str]) -> None:
    diagram = table_diagram(chain(), "B", Config(project_dir=ROOT, neighbour_depth=depth), link)
    assert diagram.key == "table-b"
    assert table_names(diagram.dot) == expected
    focus = classed(layout(diagram.dot), "erd-focus")
    assert [o["href"] for o in focus] == ["../b/"]


def test_neighbourhood_of_a_hub_is_bounded(history: History) -> None:
    config = Config(project_dir=ROOT, split_threshold=4)
    diagram = table_diagram(history.schema, "users", config, link)
    assert len(table_names(diagram.dot)) == 4
    notes = classed(layout(diagram.dot), "erd-note")
    related = within_hops(fk_graph(history.schema), ["users"], config.neighbour_depth)
    hidden = len(related) - 4
    assert len(notes) == 1 and f"\u2026 +{hidden}" in notes[0]["label"]


def test_unknown_table_is_an_error(history: History) -> None:
    with pytest.raises(ErdgenError, match="no table named 'nope'"):
        table_diagram(history.schema, "nope", CONFIG, link)


def test_a_table_name_written_another_way_gets_a_hint(history: History) -> None:
    with pytest.raises(ErdgenError) as raised:
        table_diagram(history.schema, "user", CONFIG, link)
    assert raised.value.message == "no table named 'user' in the schema (did you mean 'users'?)"


def test_every_bundled_table_has_a_neighbourhood_diagram(history: History) -> None:
    diagrams = [table_diagram(history.schema, t.name, CONFIG, link) for t in history.schema.tables]
    svgs = render_svgs(diagrams, CONFIG, None)
    assert len(svgs) == len(history.schema.tables)


# -- migrations -------------------------------------------------------------------------


def rows(svg: ET.Element, table: str) -> list[ET.Element]:
    node = next(
        g
        for g in svg.iter(f"{SVG}g")
        if "erd-table" in g.get("class", "") and (g.findtext(f"{SVG}title") or "").startswith(table)
    )
    return list(node.iter(f"{SVG}text"))


def svg(diagram: Diagram) -> ET.Element:
    return ET.fromstring(render_svgs([diagram], CONFIG, None)[diagram.key])


def struck(texts: list[ET.Element]) -> list[str]:
    return [t.text or "" for t in texts if t.get("text-decoration") == "line-through"]


def test_migration_0009_marks_the_rebuilt_table(history: History) -> None:
    diagram = migration_diagram(history, "0009", CONFIG, link)
    assert diagram.key == "migration-0009"
    data = layout(diagram.dot)
    assert [o["href"] for o in classed(data, "erd-change")] == ["../ai_jobs/"]
    assert not [o for o in data["objects"] if "legend" in o.get("class", "")]
    texts = rows(svg(diagram), "ai_jobs")
    shown = [t.text or "" for t in texts]
    old = history.steps[8].schema.table("ai_jobs")
    new = history.steps[9].schema.table("ai_jobs")
    assert old is not None and new is not None
    added = [c.name for c in new.columns if old.column(c.name) is None]
    dropped = [c.name for c in old.columns if new.column(c.name) is None]
    assert added and dropped
    for name in added:
        assert f"+ {name}" in shown
    assert "~ user_id" in shown  # NOT NULL -> nullable
    assert set(dropped) <= set(struck(texts))  # dropped columns still shown, struck through
    assert any("idx_ai_jobs_user_id" in s for s in struck(texts))  # the dropped index
    assert any("+ INDEX idx_ai_jobs_owner_created_at" in s for s in shown)
    notes = classed(data, "erd-note")  # the backfill, in SQL words only
    assert len(notes) == 1 and "INSERT ai_jobs" in notes[0]["label"]
    # tables the migration did not touch are drawn, unmarked
    assert "~ users" not in [t.text for t in rows(svg(diagram), "users")]


def test_migration_0010_keeps_dropped_things_struck_through(history: History) -> None:
    diagram = migration_diagram(history, "0010", CONFIG, link)
    data = layout(diagram.dot)
    dropped = classed(data, "erd-drop")
    assert [o["href"] for o in dropped] == ["../password_reset_tokens/"]
    image = svg(diagram)
    assert "password_reset_tokens" in struck(rows(image, "password_reset_tokens"))
    assert "password_hash" in struck(rows(image, "users"))
    dashed = [e for e in data["edges"] if e.get("style") == "dashed"]
    assert len(dashed) == 1  # the dropped table's key, drawn dashed


def test_every_bundled_migration_has_a_diagram(history: History) -> None:
    diagrams = [migration_diagram(history, m.id, CONFIG, link) for m in history.migrations]
    assert [d.key for d in diagrams] == [f"migration-{m.shown}" for m in history.migrations]
    first = layout(diagrams[0].dot)
    assert len(classed(first, "erd-add")) == len(history.steps[0].schema.tables)


def test_large_schema_migration_shows_touched_tables_and_neighbours() -> None:
    schema = generated_schema(100, plain)
    before = generated_schema(99, plain)
    from erdgen.model import Action, Change, Migration, Step

    migration = Migration("0002_add.sql", (2,), "add", ("m/0002_add.sql",), "", "", label="0002")
    from erdgen.errors import Location

    change = Change(Action.CREATE_TABLE, "t099", Location("m/0002_add.sql"), table="t099")
    history = History(
        (
            Step(
                Migration(
                    "0001_init.sql", (1,), "init", ("m/0001_init.sql",), "", "", label="0001"
                ),
                (),
                before,
            ),
            Step(migration, (change,), schema),
        )
    )
    diagram = migration_diagram(history, "2", CONFIG, link)
    parent = schema.tables[99].foreign_keys[0].ref_table
    assert table_names(diagram.dot) == {"t099", parent}


# -- rendering: timeout, cache, determinism ---------------------------------------------


def test_layout_timeout_names_the_diagram() -> None:
    big = generated_schema(300, plain)
    (diagram,) = overview_diagrams(big, Config(project_dir=ROOT, split_threshold=1000), link)
    config = Config(project_dir=ROOT, layout_timeout=0.001, jobs=1)
    with pytest.raises(ErdgenError, match="diagram 'overview': Graphviz did not finish"):
        render_svgs([diagram], config, None)


def test_batched_layout_is_byte_identical_to_one_dot_each(history: History) -> None:
    """Small diagrams share a ``dot`` process; the SVGs must not show it."""
    wanted = [
        *(migration_diagram(history, m.id, CONFIG, link) for m in history.migrations),
        *(table_diagram(history.schema, t.name, CONFIG, link) for t in history.schema.tables),
    ]
    batched = run_dot_batch([d.dot for d in wanted], 60, [d.key for d in wanted])
    alone = [run_dot(d.dot, "svg", 60, d.key) for d in wanted]
    assert batched == alone
    assert all(svg.count(b"<svg") == 1 and b'id="graph0"' in svg for svg in batched)


def test_a_broken_diagram_in_a_batch_is_named() -> None:
    dots = ['digraph "a" { a }', 'digraph "b" { b -> }', 'digraph "c" { c }']
    with pytest.raises(ErdgenError, match="diagram 'b': Graphviz failed"):
        run_dot_batch(dots, 60, ["a", "b", "c"])
    good = [dots[0], dots[2]]
    assert run_dot_batch(good, 60, ["a", "c"]) == [run_dot(d, "svg", 60, "x") for d in good]


def test_graphviz_starts_on_the_callers_thread_while_it_works_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``Layouts`` hands the first ``jobs`` batches to ``dot`` before it returns (so that
    Graphviz runs while the caller renders pages, with no thread waiting for the GIL to
    feed it), the threads start the rest; the SVGs are those of a ``dot`` of their own."""
    started: list[str] = []
    original = graphviz_module.DotRun.__init__

    def recorded(self: graphviz_module.DotRun, *args: Any) -> None:
        started.append(threading.current_thread().name)
        original(self, *args)

    monkeypatch.setattr(graphviz_module.DotRun, "__init__", recorded)
    monkeypatch.setattr(svgs_module, "MIN_BATCH_DOT_CHARS", 1)  # a batch per diagram
    diagrams = [Diagram(f"d{n}", f"d{n}", f'digraph {{ "t{n}" -> "u{n}" }}') for n in range(5)]
    with Layouts(diagrams, Config(jobs=2), None) as laid:
        assert started == [threading.current_thread().name] * 2
        svgs = laid.result()
    assert len(started) == 5 and all(name.startswith("erdgen-dot") for name in started[2:])
    monkeypatch.undo()
    assert svgs == {d.key: render_svgs([d], CONFIG, None)[d.key] for d in diagrams}


def test_a_missing_graphviz_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on it
    diagram = Diagram("d", "d", "digraph { a }")
    with pytest.raises(ErdgenError, match=r"Graphviz is not installed.*apt-get install graphviz"):
        render_svgs([diagram], CONFIG, None)


def test_cache_serves_the_same_dot_without_graphviz(tmp_path: Path, history: History) -> None:
    diagram = table_diagram(history.schema, "sessions", CONFIG, link)
    cache = Entries(tmp_path)
    first = render_svgs([diagram], CONFIG, cache)
    cache.save()
    raw, processed = cache_key(diagram.dot), embeddable_cache_key(diagram)
    entries = stored(tmp_path)
    assert sorted(entries) == sorted([raw, processed])
    assert entries[processed].decode("utf-8") == first[diagram.key]
    assert render_svgs([diagram], CONFIG, Entries(tmp_path)) == first
    # A hit is read, neither laid out nor post-processed again: a marked entry shows through.
    overwrite(tmp_path, processed, first[diagram.key].replace("sessions", "cached!!").encode())
    assert "cached!!" in render_svgs([diagram], CONFIG, Entries(tmp_path))[diagram.key]
    # Another key or title reuses Graphviz's layout but is processed anew.
    overwrite(tmp_path, raw, entries[raw].replace(b"sessions", b"layout!!"))
    renamed = Diagram("other-key", diagram.title, diagram.dot)
    again = render_svgs([renamed], CONFIG, Entries(tmp_path))["other-key"]
    assert "layout!!" in again and 'id="other-key-title"' in again
    changed = Diagram(diagram.key, diagram.title, diagram.dot.replace("LR", "TB"))
    assert cache_key(changed.dot) != cache_key(diagram.dot)
    assert embeddable_cache_key(changed) != embeddable_cache_key(diagram)
    retitled = Diagram(diagram.key, "x", diagram.dot)
    assert embeddable_cache_key(retitled) != embeddable_cache_key(diagram)


# -- no natural language inside the SVGs ------------------------------------------------

# Words the diagrams used to show before they became language-neutral.
ENGLISH = re.compile(
    r"\b(more|columns|neighbours|many|zero|one|legend|added|changed|dropped)\b", re.IGNORECASE
)


def visible_strings(svg_text: str) -> list[str]:
    """Text nodes (titles included) and attribute values of an SVG."""
    root = ET.fromstring(svg_text)
    strings: list[str] = []
    for element in root.iter():
        strings.extend(filter(None, (element.text, element.tail)))
        strings.extend(element.attrib.values())
    return strings


def test_bundled_svgs_hold_no_english_words(history: History) -> None:
    config = Config(project_dir=ROOT, jobs=2, split_threshold=6, neighbour_depth=1)
    wanted = [
        *overview_diagrams(history.schema, CONFIG, link),
        *overview_diagrams(history.schema, config, link, lambda key: f"../{key}/"),
        *(table_diagram(history.schema, t.name, config, link) for t in history.schema.tables),
        *(migration_diagram(history, m.id, CONFIG, link) for m in history.migrations),
        *(migration_diagram(history, m.id, config, link) for m in history.migrations),
    ]
    unique = list({d.key + d.dot: d for d in wanted}.values())
    svgs = render_svgs(unique, config, None)
    assert len(svgs) == len({d.key for d in unique})
    for key, svg_text in svgs.items():
        strings = visible_strings(svg_text)
        found = sorted({m.group(0) for s in strings for m in ENGLISH.finditer(s)})
        assert not found, (key, found)
    # The SQL stays: names, types, keywords, and the symbols the page legend explains.
    everything = "\n".join(visible_strings(svgs["migration-0009"]))
    for code in ("ai_jobs", "owner_type", "TEXT", "INSERT ai_jobs", "ON DELETE CASCADE", "N:0..1"):
        assert code in everything, code
    for item in legend_items("migration"):
        if item.key in ("pk", "fk", "nn", "added", "changed", "dropped"):
            assert item.symbol in everything, item


def test_legend_items_name_every_symbol_once() -> None:
    schema = legend_items("schema")
    migration = legend_items("migration")
    assert [i.key for i in schema] == ["pk", "fk", "uq", "nn", "one", "zero_or_one", "many"]
    assert [i.key for i in migration] == [*(i.key for i in schema), "added", "changed", "dropped"]
    assert len({i.symbol for i in migration}) == len(migration)
    assert all(i.symbol and not ENGLISH.search(i.symbol) for i in migration)


def test_parallel_rendering_matches_serial(history: History) -> None:
    diagrams = [migration_diagram(history, m.id, CONFIG, link) for m in history.migrations[:4]]
    serial = render_svgs(diagrams, Config(project_dir=ROOT, jobs=1), None)
    parallel = render_svgs(diagrams, Config(project_dir=ROOT, jobs=4), None)
    assert serial == parallel and list(parallel) == [d.key for d in diagrams]


# -- erdgen diagram ---------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["diagram", str(MIGRATIONS), *args])


def test_cli_writes_each_format(tmp_path: Path, history: History) -> None:
    dot = run("--format", "dot")
    assert (
        dot.exit_code == 0
        and dot.output == overview_diagrams(history.schema, CONFIG, lambda _: None)[0].dot
    )
    svg_out = run("--table", "ai_jobs")
    assert svg_out.exit_code == 0
    assert ET.fromstring(svg_out.output).findtext(f"{SVG}title") == "ai_jobs"
    png = tmp_path / "m.png"
    assert run("--migration", "0009", "--format", "png", "-o", str(png)).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    mermaid = run("--format", "mermaid", "--at", "0003")
    assert mermaid.exit_code == 0 and "password_reset_tokens {" in mermaid.output
    assert "ai_jobs" not in mermaid.output


def test_cli_reports_bad_requests() -> None:
    png = run("--format", "png")
    assert png.exit_code == 2 and "--format png needs -o FILE" in png.output
    unknown = run("--at", "9999")
    assert unknown.exit_code == 2 and "no migration '9999'" in unknown.output


# -- Mermaid ----------------------------------------------------------------------------


def test_mermaid_relations_follow_cardinality(history: History) -> None:
    text = mermaid_er(history.schema)
    assert text.startswith("erDiagram\n") and text.endswith("\n")
    assert '    users |o--o{ ai_jobs : "user_id = id"' in text.splitlines()
    assert '    users ||--o{ sessions : "user_id = id"' in text.splitlines()
    relations = [line for line in text.splitlines() if "--" in line]
    assert len(relations) == sum(len(t.foreign_keys) for t in history.schema.tables)


def test_mermaid_escapes_odd_names() -> None:
    schema = Schema(
        (
            Table('we"ird <t>', (Column('c"1', "VARCHAR(10)", description='say "hi" #1'),)),
            Table("kid", (Column("x", "INT"),), (ForeignKey(("x",), 'we"ird <t>', ('c"1',)),)),
        )
    )
    text = mermaid_er(schema)
    assert '["we#quot;ird <t>"]' in text
    assert "VARCHAR(10)" in text and "#quot;hi#quot; #35;1" in text
    assert text.count('"') % 2 == 0


def test_a_renamed_column_is_marked_changed_not_dropped_and_added() -> None:
    """The migration diagram reads the same table diff as the page's change lines."""
    from folders import history_of

    from erdgen.render.dot import Mark
    from erdgen.render.migration_diagram import migration_deltas, step_and_schema_before

    history = history_of("CREATE TABLE t (a TEXT, b TEXT);", "ALTER TABLE t RENAME COLUMN a TO c;")
    step, before = step_and_schema_before(history, history.steps[1].migration.id)
    delta = migration_deltas(step, before)["t"]
    assert dict(delta.column_marks) == {"c": Mark.CHANGED}
    assert delta.dropped_columns == ()


def test_groups_keep_singular_and_plural_and_join_tables_together_and_the_map_links_them(
    tmp_path: Path,
) -> None:
    """Issue 13 item 5: users and user_groups form one group; a table whose word no other
    table shares joins the group it has foreign keys with; each box of the map links to
    the heading above its group's diagram on the overview page."""
    from folders import history_of

    from erdgen.site.build import render_site

    history = history_of(
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE user_groups (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE user_sessions (id INTEGER PRIMARY KEY, u INTEGER REFERENCES users);\n"
        "CREATE TABLE oidc_clients (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE oidc_codes (id INTEGER PRIMARY KEY, c INTEGER REFERENCES oidc_clients);\n"
        "CREATE TABLE memberships (u INTEGER REFERENCES users, g INTEGER REFERENCES user_groups);\n"
        "CREATE TABLE kv (k TEXT PRIMARY KEY);\n"
    )
    config = Config(project_dir=tmp_path, split_threshold=6, languages=("en",),
                    default_language="en")  # fmt: skip
    groups = {g.name: set(g.tables) for g in group_tables(history.schema, config)}
    assert groups == {
        "user": {"users", "user_groups", "user_sessions", "memberships"},
        "oidc": {"oidc_clients", "oidc_codes"},
        "*": {"kv"},
    }
    site = render_site(config, history)
    index = site.files["index.md"].decode()
    for key in re.findall(r'href="\./#(group-[\w-]+)"', index):
        assert f"{{ #{key} }}" in index
    assert 'href="./#group-oidc"' in index


@given(
    st.lists(st.from_regex(r"[a-z]{1,6}(_[a-z]{1,6}){0,3}", fullmatch=True), min_size=1),
    st.sampled_from(["two_factor", "oidc_device", "audit"]),
)
def test_a_prefix_group_is_named_by_the_words_its_own_tables_share(
    tails: list[str], common: str
) -> None:
    """ "two_factor" for two_factor_codes and two_factor_devices, not "two": the label is
    the longest run of whole words the group's own tables begin with, never cut inside
    a word, and never shorter than the singular first word that formed the group."""
    from erdgen.render.overview import _label

    tables = sorted({f"{common}_{tail}" for tail in tails} | {common})
    label = _label(common.split("_")[0], tables)
    assert all(t == label or t.startswith(label + "_") for t in tables)
    assert label.split("_")[0] == common.split("_")[0]
    if len(tables) >= 2:
        assert len(label) >= len(common)
    assert _label("user", ["user_groups", "users"]) == "user"
