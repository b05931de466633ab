"""ER diagrams as DOT and SVG: what the model implies must be what Graphviz draws.

DOT is read back through Graphviz itself (``dot -Tjson``), SVG through ElementTree, and
the bundled migrations' markers are compared with SQLite's own PRAGMA answers.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.model import Column, ForeignKey, History, Index, IndexColumn, Schema, Table
from erdgen.render.diagrams import (
    Diagram,
    legend_items,
    migration_diagram,
    overview_diagrams,
    render_svgs,
)
from erdgen.render.diagrams import table_diagram as neighbourhood_diagram
from erdgen.render.dot import dot_string, node_id
from erdgen.render.graphviz import embeddable_svg, run_dot

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
GOLDEN = Path(__file__).parent / "golden" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
CONFIG = Config(project_dir=ROOT, jobs=2)


def link(name: str) -> str:
    return f"../tables/{name}/"


def laid_out(dot: str) -> dict[str, Any]:
    """Graphviz's own reading of the DOT: nodes and edges with their attributes."""
    data: dict[str, Any] = json.loads(graphviz.pipe("dot", "json", dot.encode()))
    return data


def nodes_by_class(layout: dict[str, Any], css_class: str) -> dict[str, dict[str, Any]]:
    return {
        obj["name"]: obj
        for obj in layout.get("objects", [])
        if css_class in obj.get("class", "").split()
    }


def edges_of(layout: dict[str, Any]) -> list[dict[str, Any]]:
    names = [obj["name"] for obj in layout.get("objects", [])]
    edges = []
    for edge in layout.get("edges", []):
        edges.append({**edge, "tail_name": names[edge["tail"]], "head_name": names[edge["head"]]})
    return edges


def svg_of(diagram: Diagram) -> ET.Element:
    return ET.fromstring(render_svgs([diagram], CONFIG, None)[diagram.key])


def node_groups(svg: ET.Element) -> dict[str, ET.Element]:
    """Table nodes by their accessible title (the table name, then the description)."""
    groups = {}
    for group in svg.iter(f"{SVG}g"):
        if "erd-table" in group.get("class", "").split():
            title = group.findtext(f"{SVG}title") or ""
            groups[title.split(": ", 1)[0]] = group
    return groups


def texts(element: ET.Element) -> list[str]:
    return [text.text or "" for text in element.iter(f"{SVG}text")]


def rows_of(node: ET.Element) -> dict[str, tuple[str, str]]:
    """Column name -> (type, markers) read from a table node: names start each row at the
    left edge, markers are the 9 pt texts, anything else is the type."""
    shown = list(node.iter(f"{SVG}text"))[1:]  # the header first
    left = shown[0].get("x") if shown else None
    rows: dict[str, tuple[str, str]] = {}
    name = ""
    for text in shown:
        value = text.text or ""
        if text.get("x") == left and text.get("font-size") != "9.00":
            name = value
            rows[name] = ("", "")
        elif text.get("font-size") == "9.00":
            rows[name] = (rows[name][0], value)
        else:
            rows[name] = (value, rows[name][1])
    return rows


# -- a hand-built schema with every cardinality ----------------------------------------


def small_schema() -> Schema:
    users = Table(
        "users",
        (
            Column("id", "INTEGER", primary_key=1),
            Column("email", "TEXT", not_null=True, unique=True),
            Column("name", "TEXT"),
        ),
        indexes=(Index("sqlite_autoindex_users_1", "users", (IndexColumn("email"),), True, "u"),),
    )
    profiles = Table(  # one-to-one: the key is also the primary key
        "profiles",
        (Column("user_id", "TEXT", not_null=True, primary_key=1), Column("bio", "TEXT")),
        foreign_keys=(ForeignKey(("user_id",), "users", ("id",)),),
        indexes=(
            Index("sqlite_autoindex_profiles_1", "profiles", (IndexColumn("user_id"),), True, "pk"),
        ),
    )
    posts = Table(
        "posts",
        (
            Column("id", "INTEGER", primary_key=1),
            Column("author_id", "INTEGER", not_null=True),
            Column("editor_id", "INTEGER"),
            Column("tenant", "TEXT", not_null=True),
            Column("tag", "TEXT", not_null=True),
        ),
        foreign_keys=(
            ForeignKey(("author_id",), "users", ("id",)),
            ForeignKey(("editor_id",), "Users", ()),  # other case, parent's primary key
            ForeignKey(("tenant", "tag"), "tags", ("tenant", "name")),  # composite
            ForeignKey(("tenant",), "ghosts", ("id",)),  # table that does not exist
        ),
    )
    tags = Table(
        "tags",
        (Column("tenant", "TEXT", primary_key=1), Column("name", "TEXT", primary_key=2)),
        without_rowid=True,
    )
    return Schema((users, profiles, posts, tags))


def test_every_table_is_a_linked_node_and_every_key_one_edge() -> None:
    (overview,) = overview_diagrams(small_schema(), CONFIG, link)
    layout = laid_out(overview.dot)
    tables = nodes_by_class(layout, "erd-table")
    assert sorted(tables) == ["t_posts", "t_profiles", "t_tags", "t_users"]
    assert {obj["href"] for obj in tables.values()} == {
        link(n) for n in ("users", "profiles", "posts", "tags")
    }
    edges = {
        (e["tail_name"], e.get("tailport"), e["head_name"], e.get("headport"))
        for e in edges_of(layout)
    }
    assert edges == {
        ("t_profiles", "c1e", "t_users", "c1w"),
        ("t_posts", "c2e", "t_users", "c1w"),
        ("t_posts", "c3e", "t_users", "c1w"),  # REFERENCES Users: the primary key
        ("t_posts", "c4e", "t_tags", "c1w"),  # the composite key: one edge
        ("t_posts", "c4e", "m_ghosts", None),
    }


def test_missing_parent_is_a_dashed_placeholder() -> None:
    (overview,) = overview_diagrams(small_schema(), CONFIG, link)
    missing = nodes_by_class(laid_out(overview.dot), "erd-missing")
    assert list(missing) == ["m_ghosts"]
    assert "dashed" in missing["m_ghosts"]["style"]
    assert "href" not in missing["m_ghosts"]


def test_arrowheads_follow_nullability_and_uniqueness() -> None:
    (overview,) = overview_diagrams(small_schema(), CONFIG, link)
    ends = {
        (e["tail_name"], e["tailport"], e["head_name"]): (e["arrowtail"], e["arrowhead"])
        for e in edges_of(laid_out(overview.dot))
    }
    many, one, zero_or_one = "crowodot", "teetee", "teeodot"
    assert ends[("t_posts", "c2e", "t_users")] == (many, one)  # NOT NULL: exactly one parent
    assert ends[("t_posts", "c3e", "t_users")] == (many, zero_or_one)  # nullable
    assert ends[("t_profiles", "c1e", "t_users")] == (zero_or_one, one)  # unique: one-to-one
    assert ends[("t_posts", "c4e", "t_tags")] == (many, one)


def test_column_rows_carry_text_markers_explained_by_the_legend_items() -> None:
    (overview,) = overview_diagrams(small_schema(), CONFIG, link)
    svg = svg_of(overview)
    nodes = node_groups(svg)
    assert rows_of(nodes["users"]) == {  # INTEGER PRIMARY KEY: the rowid, never NULL
        "id": ("INTEGER", "PK NN"),
        "email": ("TEXT", "UQ NN"),
        "name": ("TEXT", ""),
    }
    assert rows_of(nodes["tags"]) == {  # WITHOUT ROWID: key columns are NOT NULL
        "tenant": ("TEXT", "PK1 NN"),
        "name": ("TEXT", "PK2 NN"),
    }
    assert rows_of(nodes["posts"])["tag"] == ("TEXT", "FK NN")
    assert rows_of(nodes["posts"])["editor_id"] == ("INTEGER", "FK")
    # No legend inside the SVG (it would be in one language); the page explains every
    # marker the SVG shows with the symbols legend_items lists.
    assert not [g for g in svg.iter(f"{SVG}g") if "legend" in g.get("class", "")]
    shown = {marker for text in texts(svg) for marker in text.split()}
    symbols = {item.symbol for item in legend_items("schema")}
    assert {"PK", "FK", "UQ", "NN", "PK1", "PK2"} & shown - symbols == {"PK1", "PK2"}


# -- the bundled migrations against SQLite ---------------------------------------------


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(MIGRATIONS, ROOT)


@pytest.fixture(scope="module")
def sqlite_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for path in sorted(MIGRATIONS.glob("*.sql")):
        db.executescript(path.read_text())
    return db


def sqlite_markers(db: sqlite3.Connection, table: str) -> dict[str, str]:
    """The markers SQLite's PRAGMAs imply for every column of a table."""
    info = db.execute(
        'select name, type, "notnull", pk from pragma_table_info(?)', (table,)
    ).fetchall()
    fk_columns = {
        row[0] for row in db.execute('select "from" from pragma_foreign_key_list(?)', (table,))
    }
    unique_alone = set()
    for name, unique, partial in db.execute(
        'select name, "unique", partial from pragma_index_list(?)', (table,)
    ):
        columns = [row[0] for row in db.execute("select name from pragma_index_info(?)", (name,))]
        if unique and not partial and len(columns) == 1:
            unique_alone.add(columns[0])
    markers = {}
    for name, _type, notnull, pk in info:
        parts = ["PK"] if pk else []
        parts += ["FK"] if name in fk_columns else []
        parts += ["UQ"] if name in unique_alone and not pk else []
        parts += ["NN"] if notnull else []
        markers[name] = " ".join(parts)
    return markers


def test_bundled_overview_markers_match_sqlite(
    history: History, sqlite_db: sqlite3.Connection
) -> None:
    (overview,) = overview_diagrams(history.schema, CONFIG, link)
    groups = node_groups(svg_of(overview))
    tables = [
        row[0]
        for row in sqlite_db.execute(
            "select name from sqlite_schema where type = 'table' order by name"
        )
    ]
    assert sorted(groups) == tables
    for table in tables:
        expected = sqlite_markers(sqlite_db, table)
        shown = {name: markers for name, (_type, markers) in rows_of(groups[table]).items()}
        assert shown == expected, table


def test_bundled_edges_match_sqlite_foreign_keys(
    history: History, sqlite_db: sqlite3.Connection
) -> None:
    (overview,) = overview_diagrams(history.schema, CONFIG, link)
    drawn = sorted(
        (e["tail_name"][2:], e["head_name"][2:], e["arrowhead"])
        for e in edges_of(laid_out(overview.dot))
    )
    expected = []
    for (table,) in sqlite_db.execute("select name from sqlite_schema where type = 'table'"):
        for parent, column in sqlite_db.execute(
            'select "table", "from" from pragma_foreign_key_list(?)', (table,)
        ):
            notnull = sqlite_db.execute(
                'select "notnull" from pragma_table_info(?) where name = ?', (table, column)
            ).fetchone()[0]
            expected.append((table, parent, "teetee" if notnull else "teeodot"))
    assert drawn == sorted(expected)


def test_bundled_overview_matches_golden(history: History) -> None:
    diagrams = {
        "overview": overview_diagrams(history.schema, CONFIG, link)[0],
        "table-ai_jobs": neighbourhood_diagram(history.schema, "ai_jobs", CONFIG, link),
        "migration-0009": migration_diagram(history, "0009", CONFIG, link),
    }
    for key, diagram in diagrams.items():
        assert diagram.key == key
        path = GOLDEN / f"{key}.dot"
        if os.environ.get("UPDATE_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(diagram.dot, encoding="utf-8")
        assert diagram.dot == path.read_text(encoding="utf-8"), (
            f"{path} differs (UPDATE_GOLDEN=1 regenerates)"
        )
    # The golden overview means something: every table, every foreign key.
    layout = laid_out(diagrams["overview"].dot)
    assert len(nodes_by_class(layout, "erd-table")) == len(history.schema.tables)
    assert len(edges_of(layout)) == sum(len(t.foreign_keys) for t in history.schema.tables)


# -- escaping ---------------------------------------------------------------------------

NASTY = [
    "<b>",
    '"x"',
    "a&b",
    "{}",
    "|",
    "back\\slash",
    "trailing\\",
    "\\N",
    "]]>",
    "&amp;",
    "é 漢字",
]


def nasty_schema(names: list[str]) -> Schema:
    columns = tuple(Column(name, name, description="<script>alert(1)</script>") for name in names)
    first = Table(names[0], (Column("id", "INTEGER", primary_key=1), *columns),
                  description="<script>alert('x')</script> & \"quotes\"")  # fmt: skip
    second = Table(
        names[-1] + "2",
        (Column(names[1], "INTEGER"),),
        foreign_keys=(ForeignKey((names[1],), names[0], ("id",)),),
    )
    return Schema((first, second))


def test_identifiers_types_and_comments_show_literally() -> None:
    schema = nasty_schema(NASTY)
    (overview,) = overview_diagrams(schema, CONFIG, lambda name: f"t/{name}.html")
    svg = svg_of(overview)  # parses: the SVG is well-formed
    assert not list(svg.iter(f"{SVG}script")) and not list(svg.iter(f"{SVG}b"))
    shown = texts(svg)
    for name in NASTY:
        assert shown.count(name) >= 2, name  # as column name and as type
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "<b>" in titles  # a node's title is its name, the comment is not in the SVG
    assert not any("alert" in (title or "") for title in titles)
    hrefs = {a.get(f"{XLINK}href") for a in svg.iter(f"{SVG}a")}
    assert "t/%3Cb%3E.html" in hrefs
    edges = edges_of(laid_out(overview.dot))
    assert len(edges) == 1 and edges[0]["headport"] == "c1w" and edges[0]["tailport"] == "c1e"


PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


@settings(max_examples=int(os.environ.get("ERDGEN_EXAMPLES", "25")), deadline=None)
@given(st.lists(st.text(PRINTABLE, min_size=1, max_size=8), min_size=2, max_size=4,
                unique_by=str.lower))  # fmt: skip
def test_any_names_render_to_valid_svg(names: list[str]) -> None:
    (overview,) = overview_diagrams(nasty_schema(names), CONFIG, link)
    shown = {text.strip() for text in texts(svg_of(overview))}  # parses: well-formed SVG
    for name in names:
        assert not name.strip() or name.strip() in shown, name


def test_dot_strings_and_ids_are_quoted() -> None:
    assert dot_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert node_id("users") == '"t_users"'
    assert node_id("Users") != node_id("users")  # PostgreSQL keeps them apart; ids come from tables
    weird = node_id('a"\\')
    assert weird.startswith('"t_a_') and "\\" not in weird and weird.count('"') == 2
    assert node_id("a b") != node_id("a_b")


# -- embeddable SVG ---------------------------------------------------------------------


def test_svgs_are_embeddable_side_by_side(history: History) -> None:
    diagrams = [
        overview_diagrams(history.schema, CONFIG, link)[0],
        neighbourhood_diagram(history.schema, "users", CONFIG, link),
    ]
    svgs = render_svgs(diagrams, CONFIG, None)
    assert list(svgs) == ["overview", "table-users"]
    ids: list[str] = []
    for key, markup in svgs.items():
        assert not markup.startswith("<?xml") and "<!DOCTYPE" not in markup and "<!--" not in markup
        root = ET.fromstring(markup)
        # Natural size from Graphviz (pt), shrinking no further than the readable scale.
        width = float(root.attrib["width"].removesuffix("pt"))
        assert root.attrib["viewBox"].split()[2:] and root.attrib["height"].endswith("pt")
        smallest = float(root.attrib["style"].removeprefix("min-width:").removesuffix("pt"))
        assert smallest == pytest.approx(width * 0.75, abs=0.01)
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") == next(d.title for d in diagrams if d.key == key)
        element_ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert all(i.startswith(f"{key}-") for i in element_ids if i)
        ids.extend(i for i in element_ids if i)
        backgrounds = {p.get("fill") for p in root.iter(f"{SVG}polygon")}
        assert "white" not in backgrounds and "#ffffff" not in backgrounds  # dark theme
    assert len(ids) == len(set(ids))


def expected_embedding(svg: bytes, key: str, title: str) -> ET.Element:
    """What ``embeddable_svg`` promises, done on an XML reading of Graphviz's SVG."""
    root = ET.fromstring(svg)
    for element in root.iter():
        if "id" in element.attrib:
            element.set("id", f"{key}-{element.attrib['id']}")
    # Graphviz's natural size stays; CSS may shrink it to three quarters at most.
    smallest = float(root.attrib["width"].removesuffix("pt")) * 0.75
    root.attrib.update({"class": "erdgen-svg", "role": "img", "aria-labelledby": f"{key}-title"})
    root.set("style", f"min-width:{smallest:.2f}pt")
    heading = ET.Element(f"{SVG}title", {"id": f"{key}-title"})
    heading.text = title
    root.insert(0, heading)
    graph = root.find(f"{SVG}g")
    assert graph is not None
    graph_title = graph.find(f"{SVG}title")
    assert graph_title is not None
    graph_title.text = title
    for group in root.iter(f"{SVG}g"):
        shape_title, link = group.find(f"{SVG}title"), group.find(f".//{SVG}a")
        tooltip = link.get(f"{XLINK}title") if link is not None else None
        if group is not graph and shape_title is not None and tooltip:
            shape_title.text = tooltip
    return root


def meaning(element: ET.Element) -> tuple[object, ...]:
    children = tuple(meaning(child) for child in element)
    text, tail = (element.text or "").strip(), (element.tail or "").strip()
    return element.tag, sorted(element.attrib.items()), text, tail, children


def test_embedding_rewrites_graphvizs_text_as_an_xml_reading_would(history: History) -> None:
    """``embeddable_svg`` edits Graphviz's text with patterns; an XML parser is the judge."""
    (nasty,) = overview_diagrams(nasty_schema(NASTY), CONFIG, link)
    schema = history.schema
    diagrams = [
        nasty,
        *overview_diagrams(schema, CONFIG, link),
        *(neighbourhood_diagram(schema, t.name, CONFIG, link) for t in schema.tables),
        *(migration_diagram(history, m.id, CONFIG, link) for m in history.migrations),
    ]
    for diagram in diagrams:
        svg = run_dot(diagram.dot, "svg", 60, diagram.key)
        for title in (diagram.title, '<b>"x" & y</b>'):
            markup = embeddable_svg(svg, diagram.key, title)
            assert "<!--" not in markup and markup.startswith("<svg ") and markup.endswith(">\n")
            assert not re.search(r"\n\s*\n", markup)  # Markdown would end the HTML block
            expected = expected_embedding(svg, diagram.key, title)
            assert meaning(ET.fromstring(markup)) == meaning(expected), diagram.key


def test_rendering_is_byte_identical(history: History) -> None:
    first = overview_diagrams(history.schema, CONFIG, link)[0]
    second = overview_diagrams(load_history(MIGRATIONS, ROOT).schema, CONFIG, link)[0]
    assert first.dot == second.dot
    assert render_svgs([first], CONFIG, None) == render_svgs([second], CONFIG, None)


def test_dark_theme_css_maps_every_colour() -> None:
    from erdgen.render.dot import Palette

    css = (ROOT / "erdgen" / "render" / "assets" / "erdgen.css").read_text()
    for colour in Palette:
        if colour is not Palette.EDGE:
            assert f'="{colour.value}"]' in css, colour
