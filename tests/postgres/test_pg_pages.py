"""The pages of a PostgreSQL project: its types and functions pages, enum links, schema
groups and COMMENT ON as the source of a description, in both languages; labels and
names from SQL render as the text they are (Python-Markdown with the site's extensions).

The model comes from the text alone (``verify=False``): the export tests compare it
with PostgreSQL's catalog.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import tempfile
from pathlib import Path

import markdown
import pytest
from corpus_exports import FOLDERS, POSTGRES, corpus_export, needs_corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from pg_strategies import migrations as pg_migrations

from erdgen.config import Config
from erdgen.core.history import load_history, project_history
from erdgen.descriptions import Descriptions
from erdgen.dialects.postgres.server import Cluster, Server
from erdgen.model import Domain
from erdgen.namespaces import type_name
from erdgen.render.markdown import code
from erdgen.render.pages import render_pages
from erdgen.render.postgres_links import composite_anchor, domain_anchor, enum_anchor
from erdgen.render.siteplan import FUNCTIONS, TYPES, SitePlan
from erdgen.site.build import render_site

EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.details", "toc",
              "pymdownx.superfences"]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
PROJECT = """\
CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE billing."Plan" AS ENUM ('free', 'pro|plus', '`tick`');
COMMENT ON TYPE mood IS 'How a person feels';
CREATE TABLE person (id serial PRIMARY KEY, feeling mood, moods mood[],
  n bigint GENERATED ALWAYS AS IDENTITY);
CREATE INDEX person_moods ON person USING gin (moods);
CREATE INDEX CONCURRENTLY person_feeling ON person (feeling) INCLUDE (n);
COMMENT ON TABLE person IS 'Everyone we know';
CREATE TABLE billing.account (id integer PRIMARY KEY, owner integer REFERENCES person,
  plan billing."Plan" NOT NULL DEFAULT 'free');
ALTER TABLE billing.account ADD CONSTRAINT positive CHECK (id > 0) NOT VALID;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION plus(a integer) RETURNS integer LANGUAGE sql RETURN a + 1;
CREATE FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE sql RETURN a + b;
COMMENT ON FUNCTION plus(integer, integer) IS 'Adds two numbers';
CREATE FUNCTION gone() RETURNS integer LANGUAGE sql RETURN 1;
CREATE PROCEDURE billing.close(id integer) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER person_touch BEFORE UPDATE ON person FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER person_touch AFTER INSERT ON billing.account EXECUTE FUNCTION touch();
CREATE MATERIALIZED VIEW billing.plans AS SELECT plan, count(*) AS n FROM billing.account
  GROUP BY plan;
"""
LATER = """-- More moods, one function less.
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
DROP FUNCTION gone();
CREATE EXTENSION citext;
"""


def html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def broken_links(pages: dict[str, str]) -> list[str]:
    """Every relative link of a Markdown page whose page or anchor was not generated."""
    anchors = {
        path: {a or b for a, b in re.findall(r'\{ #([\w-]+) \}|<a id="([\w-]+)">', text)}
        for path, text in pages.items()
    }
    broken = []
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            page, _, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), page))
            if resolved not in pages or (anchor and anchor not in anchors[resolved]):
                broken.append(f"{path}: {target}")
    return broken


def _site_of(project: Path, first: str, later: str) -> dict[str, str]:
    """Every page of a two-migration PostgreSQL project, as text."""
    (project / "migrations").mkdir()
    (project / "migrations" / "0001_init.sql").write_text(first, encoding="utf-8")
    (project / "migrations" / "0002_later.sql").write_text(later, encoding="utf-8")
    site = render_site(Config(project_dir=project, verify=False, dialect="postgres"))
    return {path: site.text(path) for path in site}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _site_of(tmp_path_factory.mktemp("pg-pages"), PROJECT, LATER)


def test_every_link_points_at_a_generated_page_and_anchor(pages: dict[str, str]) -> None:
    assert broken_links(pages) == []


@needs_corpus
@pytest.mark.parametrize("name", [f for f in FOLDERS if f.values[0] in POSTGRES])
def test_real_folders_render_with_every_link_resolved(name: str) -> None:
    history = corpus_export(name).history
    rendered = render_pages(history, Descriptions(), Config(project_dir=ROOT))
    pages = {path: text.decode() for path, text in rendered.items()}
    assert broken_links(pages) == []
    schema = history.schema
    types = pages["types.en.md"]
    assert all(f"### `{e.name}`" in types for e in schema.enums if "`" not in e.name)
    functions = pages["functions.en.md"]
    assert all(f.signature in functions for f in schema.functions if "`" not in f.signature)


@pytest.mark.parametrize("suffix", [".md", ".en.md"])
def test_types_page_lists_each_enum_with_its_values_and_columns(
    pages: dict[str, str], suffix: str
) -> None:
    page = html(pages["types" + suffix])
    lists = [
        [html_lib.unescape(item) for item in re.findall(r"<li><code>(.*?)</code></li>", block)]
        for block in re.findall(r"<ol>(.*?)</ol>", page, re.S)
    ]
    assert lists == [["sad", "meh", "ok", "happy"], ["free", "pro|plus", "`tick`"]]
    assert "person.feeling" in page and "person.moods" in page  # mood[] holds moods too
    assert "billing.account.plan" in page
    assert ("How a person feels" in page) and ("COMMENT ON" in page)


def test_a_column_of_an_enum_type_links_to_its_values(pages: dict[str, str]) -> None:
    person = pages["tables/person.en.md"]
    assert re.search(r"\[`mood`\]\(\.\./types\.md#e-mood\)", person)
    assert re.search(r"\[`mood\[\]`\]\(\.\./types\.md#e-mood\)", person)
    account = next(text for path, text in pages.items() if "billing-account" in path)
    assert '[`billing."Plan"`](../types.md#e-' in account


def test_functions_page_shows_overloads_procedures_and_the_triggers(
    pages: dict[str, str],
) -> None:
    page = html(pages["functions.en.md"])
    headings = [html_lib.unescape(h) for h in re.findall(r"<h2[^>]*><code>(.*?)</code>", page)]
    assert headings == ["touch()", "plus(a integer)", "plus(a integer, b integer)",
                        "billing.close(IN id integer)"]  # fmt: skip
    assert "Procedure" in page and "Adds two numbers" in page
    assert "person_touch" in page
    assert "Prozedur" in html(pages["functions.md"])


def test_overview_groups_tables_by_schema_and_names_comment_on(pages: dict[str, str]) -> None:
    for suffix, source in ((".md", "aus COMMENT ON"), (".en.md", "from COMMENT ON")):
        page = pages["index" + suffix]
        assert re.findall(r"^### Schema (.*)$", page, re.M) == ["`public`", "`billing`"]
        assert "Everyone we know" in page and source in page
        assert 'id="group-public"' in html(page) or "{ #group-public }" in page
    person = pages["tables/person.en.md"]
    assert "Everyone we know" in person and "from COMMENT ON in the migrations" in person


def test_triggers_and_materialized_views_on_the_objects_page(pages: dict[str, str]) -> None:
    page = pages["objects.en.md"]
    assert "Runs [`touch`](functions.md#f-" in page and "for each row" in page
    assert "Materialized view" in page
    assert "Columns: `plan`, `n`" in page


def test_table_pages_list_every_constraint_by_name_and_kind(pages: dict[str, str]) -> None:
    account = next(
        text
        for path, text in pages.items()
        if path.endswith("billing-account.en.md")
        or ("billing-account" in path and path.endswith(".en.md"))
    )
    block = account.split("## Constraints", 1)[1].split("## ", 1)[0]
    assert "- PRIMARY KEY `account_pkey`: `id`" in block
    assert "- FOREIGN KEY `account_owner_fkey`: `owner` → [`person.id`](person.md#c-id)" in block
    assert "- CHECK `positive`: `id > 0` · NOT VALID" in block


def test_migration_pages_say_what_happened_to_types_and_functions(
    pages: dict[str, str],
) -> None:
    first = pages["migrations/0001.en.md"]
    objects = first.split("## Types, functions and other objects", 1)[1].split("## ", 1)[0]
    assert "- schema `billing` created" in objects
    assert "- enum [`mood`](../types.md#e-mood) created with the values `sad`, `ok`, `happy`" in (
        objects
    )
    assert "- function `gone()` created" in objects  # dropped later: no link
    assert "- procedure [`billing.close(IN id integer)`](../functions.md#f-" in objects
    later = pages["migrations/0002.md"]
    assert "- Enum [`mood`](../types.md#e-mood): neue Werte `meh`" in later
    assert "- Funktion `gone()` gelöscht" in later
    assert "- Erweiterung `citext` angelegt" in later
    assert "3 Typen, Funktionen oder andere Objekte geändert" in later
    # a migration's description is the comment atop its file, not COMMENT ON
    assert "More moods, one function less." in later and "COMMENT ON" not in later
    types = pages["types.en.md"]
    assert re.search(r"Created in \[0001\].* · last changed in \[0002\]", types)


def test_the_timeline_names_indexes_triggers_and_views_and_counts_the_other_objects(
    pages: dict[str, str],
) -> None:
    rows = [line for line in pages["timeline.en.md"].splitlines() if line.startswith("| <a")]
    nb = "\N{NO-BREAK SPACE}"
    assert (
        f"| +{nb}[`person`](tables/person.md): +{nb}index{nb}`person_moods`, "
        f"+{nb}index{nb}`person_feeling`, +{nb}trigger{nb}`person_touch`<br>"
    ) in rows[0]
    assert (
        f"<br>+{nb}view{nb}`billing.plans`<br>8 types, functions or other objects changed |"
        in (rows[0])
    )
    # no table, view or trigger changed: the count alone, as before
    assert "| 3 types, functions or other objects changed |" in rows[1]


def test_identity_columns_and_index_methods_on_the_table_page(pages: dict[str, str]) -> None:
    person = pages["tables/person.en.md"]
    assert "`GENERATED ALWAYS AS IDENTITY`" in person
    serial = (
        "[<code>nextval(<wbr>'person\\_<wbr>id\\_<wbr>seq'<wbr>::regclass)</code>]"
        "(../types.md#s-person_id_seq)"
    )
    assert serial in person
    # index names of up to 24 characters never wrap (longer ones after "_", <wbr>)
    assert "| <code>person\\_moods</code> | `moods` · `USING gin` |" in person
    feeling = "| <code>person\\_feeling</code> | `feeling` · `INCLUDE (n)` · `CONCURRENTLY` |"
    assert feeling in person


def test_triggers_of_one_name_on_two_tables_have_an_entry_each(pages: dict[str, str]) -> None:
    """PostgreSQL names triggers per table; each entry has its own anchor and history."""
    objects = pages["objects.en.md"]
    anchors = re.findall(r"^### `person_touch` \{ #(tr-[\w-]+) \}$", objects, re.M)
    assert len(anchors) == len(set(anchors)) == 2
    entries = objects.split("### `person_touch`")[1:]
    assert "BEFORE UPDATE" in entries[0] and "for each row" in entries[0]
    assert "AFTER INSERT" in entries[1] and "once per statement" in entries[1]
    assert all(entry.count("trigger [`person_touch`]") == 1 for entry in entries)
    account = next(
        text for path, text in pages.items() if "billing-account" in path and ".en." in path
    )
    assert f"objects.md#{anchors[1]}" in account


def test_dropped_functions_are_on_the_dropped_page(pages: dict[str, str]) -> None:
    dropped = pages["dropped.en.md"]
    row = "| Function | `gone()` | [0002](migrations/0002.md) `later` |  |"
    assert row in dropped.splitlines(), dropped


def test_a_sqlite_project_has_neither_page() -> None:
    plan = SitePlan.of(load_history(ROOT / "migrations", ROOT))
    assert TYPES not in plan.pages() and FUNCTIONS not in plan.pages()


def test_a_sqlite_table_with_a_dot_in_its_name_is_in_no_schema(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001.sql").write_text(
        'CREATE TABLE "app.users" (id INTEGER PRIMARY KEY);\nCREATE TABLE t (id INTEGER);\n',
        encoding="utf-8",
    )
    history = load_history(tmp_path / "migrations", tmp_path)
    index = render_pages(history, Descriptions(), Config(project_dir=tmp_path))["index.md"]
    assert b"### Schema" not in index and b"PostgreSQL" not in index


@settings(max_examples=30, deadline=None)
@given(files=pg_migrations())
def test_generated_folders_render_with_every_link_resolved(files: list[str]) -> None:
    """Generated PostgreSQL folders (renames, drops, enums, views, schemas): every link
    and anchor of every page in both languages resolves."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "migrations"
        folder.mkdir()
        for number, text in enumerate(files, start=1):
            (folder / f"{number:04d}_step.sql").write_text(text, encoding="utf-8")
        history = load_history(folder, Path(scratch), dialect="postgres")
    rendered = render_pages(history, Descriptions(), Config(project_dir=ROOT))
    pages = {path: text.decode() for path, text in rendered.items()}
    assert broken_links(pages) == []
    types = html(pages["types.en.md"])
    for enum in history.schema.enums:
        values = re.search(
            rf'id="{re.escape(enum_anchor(enum.name, history.names))}".*?<ol>(.*?)</ol>',
            types,
            re.S,
        )
        assert values is not None, enum.name
        assert re.findall(r"<li><code>(.*?)</code></li>", values.group(1)) == list(enum.values)
    anchors = entry_anchors(pages["types.en.md"])
    rule = history.names
    for item in (*history.schema.domains, *history.schema.composites):
        anchor = (domain_anchor if isinstance(item, Domain) else composite_anchor)(item.name, rule)
        assert anchors[code(item.name)] == anchor
        columns = [c for t in history.schema.tables for c in t.columns]
        if any(type_name(c.type) == item.name for c in columns):  # a column of it links to it
            tables = [text for path, text in pages.items() if path.startswith("tables/")]
            assert any(f"types.md#{anchor})" in text for text in tables), item.name


# Enum labels: any text PostgreSQL takes (1 to 63 bytes, no NUL).
LABELS = st.lists(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1)
    .filter(lambda s: len(s.encode()) <= 63 and s.strip() == s and "\n" not in s and "\r" not in s),
    min_size=1, max_size=4, unique=True,
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(labels=LABELS)
def test_any_enum_label_shows_as_written(labels: list[str]) -> None:
    literals = ", ".join("'" + label.replace("'", "''") + "'" for label in labels)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "migrations"
        folder.mkdir()
        (folder / "0001.sql").write_text(
            f"CREATE TYPE kind AS ENUM ({literals});\nCREATE TABLE t (k kind);\n", "utf-8"
        )
        history = load_history(folder, Path(scratch), dialect="postgres")
    config = Config(project_dir=ROOT, languages=("en",), default_language="en")
    page = render_pages(history, Descriptions(), config)["types.md"].decode()
    shown = [
        html_lib.unescape(item) for item in re.findall(r"<li><code>(.*?)</code></li>", html(page))
    ]
    assert shown == labels


# Domains and composite types; names with "|" and backticks are data to escape.
TYPED = """\
CREATE SCHEMA shop;
CREATE DOMAIN email AS character varying(200) NOT NULL DEFAULT 'x' CHECK (VALUE LIKE '%@%');
CREATE DOMAIN "Pipe|Name" AS text CONSTRAINT "`tick`" CHECK (length(VALUE) > 0);
CREATE DOMAIN gone AS integer;
CREATE TYPE shop.pair AS (amount numeric(12,2), mail email);
CREATE TABLE shop.item (id int PRIMARY KEY, mail email, price shop.pair, prices shop.pair[],
  odd "Pipe|Name");
"""
TYPED_LATER = """\
ALTER DOMAIN email DROP DEFAULT;
ALTER TYPE shop.pair ADD ATTRIBUTE note text;
DROP DOMAIN gone;
COMMENT ON DOMAIN email IS 'An address';
"""


@pytest.fixture(scope="module")
def typed_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _site_of(tmp_path_factory.mktemp("pg-typed"), TYPED, TYPED_LATER)


def test_typed_project_links_and_anchors_resolve(
    typed_pages: dict[str, str], pages: dict[str, str]
) -> None:
    assert broken_links(typed_pages) == []
    assert "0 enums · 2 domains · 1 composite type · 0 functions" in typed_pages["index.en.md"]
    assert "2 Domänen · 1 zusammengesetzter Typ" in typed_pages["index.md"]
    assert "domain" not in pages["index.en.md"]  # none: not counted


def entry_anchors(types_page: str) -> dict[str, str]:
    """Heading text -> anchor of each entry of the types page."""
    return dict(re.findall(r"^### (.*?) \{ #([\w-]+) \}$", types_page, re.M))


def test_a_column_of_a_domain_or_composite_type_links_to_its_entry(
    typed_pages: dict[str, str],
) -> None:
    item = next(t for p, t in typed_pages.items() if "shop-item" in p and p.endswith(".en.md"))
    cells = dict(re.findall(r'<a id="c-(\w+)"></a><code>\w+</code> \| (.*?) \|', item))
    anchors = entry_anchors(typed_pages["types.en.md"])
    assert anchors["`email`"].startswith("d-") and anchors["`shop.pair`"].startswith("c-")
    assert cells["mail"] == f"[`email`](../types.md#{anchors['`email`']})"
    assert cells["price"] == f"[`shop.pair`](../types.md#{anchors['`shop.pair`']})"
    assert cells["prices"] == f"[`shop.pair[]`](../types.md#{anchors['`shop.pair`']})"
    assert cells["odd"] == f'[`"Pipe|Name"`](../types.md#{anchors["`Pipe|Name`"]})'
    row = html(item).split('id="c-odd"', 1)[1].split("</tr>", 1)[0]
    assert row.count("</td>") == 5  # the "|" of the name split no cell


@pytest.mark.parametrize(
    ("suffix", "base", "checks", "attribute"),
    [
        (".en.md", "Base type:", "CHECK constraints:", "Attribute"),
        (".md", "Basistyp:", "CHECK-Constraints:", "Attribut"),
    ],
)
def test_types_page_shows_domains_and_composite_types(
    typed_pages: dict[str, str], suffix: str, base: str, checks: str, attribute: str
) -> None:
    page = typed_pages["types" + suffix]
    email = page.split("### `email` { #d-email }", 1)[1].split("### ", 1)[0]
    assert f"- {base} `character varying(200)` · NOT NULL" in email
    assert f"- {checks} `email_check`" in email
    assert "An address" in email and "DEFAULT" not in email  # dropped in 0002
    assert "[`shop.item.mail`](tables/shop-item" in email
    odd = page.split("### `Pipe|Name`", 1)[1].split("### ", 1)[0]
    assert f"- {checks} `` `tick` ``" in odd
    rendered = html(page)
    anchor = entry_anchors(page)["`shop.pair`"]
    pair = rendered.split(f'id="{anchor}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>\s*<td><code>(.*?)</code></td>\s*<td>(.*?)</td>", pair)
    assert rows == [
        ("amount", "<code>numeric(12,2)</code>"),
        ("mail", '<a href="types.md#d-email"><code>email</code></a>'),  # of a domain
        ("note", "<code>text</code>"),
    ]
    assert f"<th>{attribute}</th>" in pair
    assert "gone" not in page  # dropped


def test_migration_pages_say_what_happened_to_domains_and_composites(
    typed_pages: dict[str, str],
) -> None:
    first = typed_pages["migrations/0001.en.md"]
    objects = first.split("## Types, functions and other objects", 1)[1].split("## ", 1)[0]
    assert (
        "- domain [`email`](../types.md#d-email) created: `character varying(200)` NOT NULL"
        " DEFAULT `'x'::character varying` CHECK `email_check`"
    ) in objects
    assert "- domain `gone` created: `integer`" in objects  # dropped later: no link
    assert "- composite type [`shop.pair`](../types.md#c-shop-pair" in objects
    later = typed_pages["migrations/0002.md"]
    assert "- Domäne `gone` gelöscht" in later
    assert "- Domäne [`email`](../types.md#d-email) geändert: jetzt `character varying(200)`" in (
        later
    )
    assert "- Zusammengesetzter Typ [`shop.pair`](../types.md#c-shop-pair" in later
    assert "`note` `text`" in later
    types = typed_pages["types.en.md"]
    pair = types.split("### `shop.pair`", 1)[1]
    assert re.match(
        r" \{ #c-shop-pair[\w-]* \}\n\nCreated in \[0001\].* · last changed in \[0002\]", pair
    )
    dropped = typed_pages["dropped.en.md"]
    assert "| Domain | `gone` | [0002](migrations/0002.md) `later` |  |" in dropped.splitlines()


DYNAMIC = {
    "0001_init.sql": 'CREATE SCHEMA a; CREATE TABLE a."ev|ents" (id int);'
    " CREATE TABLE plain (id int);",
    "0002_loop.sql": "DO $$ BEGIN EXECUTE 'ALTER TABLE a.\"ev|ents\" ADD COLUMN kind text';"
    " END $$;",
    "0003_plain.sql": "ALTER TABLE plain ADD COLUMN n int;",
}


def test_a_migration_read_from_the_catalog_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: Server
) -> None:
    """The objects PostgreSQL's catalog gave (Step.from_engine) are listed on the
    migration's page in both languages, linked, and flagged on the timeline."""
    if isinstance(pg_server, Cluster):
        monkeypatch.setenv("ERDGEN_PG_URL", pg_server.conninfo("postgres"))
    (tmp_path / "migrations").mkdir()
    for name, text in DYNAMIC.items():
        (tmp_path / "migrations" / name).write_text(text + "\n", encoding="utf-8")
    config = Config(project_dir=tmp_path, dialect="postgres")
    history = project_history(config)
    assert [step.from_engine for step in history.steps] == [(), ("table a.ev|ents",), ()]
    site = render_site(config, history)
    pages = {path: site.text(path) for path in site}
    assert broken_links(pages) == []
    for suffix, title, kind in (
        (".en.md", "Read from PostgreSQL's catalog", "Table"),
        (".md", "Aus dem Katalog von PostgreSQL gelesen", "Tabelle"),
    ):
        page = pages["migrations/0002" + suffix]
        note = page.split(f'!!! note "{title}"', 1)[1].split("\n\n##", 1)[0]
        assert "EXECUTE" in note
        assert re.search(rf"^    - {kind} \[`a\.ev\|ents`\]\(\.\./tables/[\w-]+\.md\)$", note, re.M)
        assert title not in pages["migrations/0003" + suffix]
    flagged = [line for line in pages["timeline.en.md"].splitlines() if "from the catalog" in line]
    assert len(flagged) == 1 and "1 object read from the catalog" in flagged[0]
    assert "migrations/0002.md" in flagged[0]


def test_no_table_page_shows_an_empty_definition(
    pages: dict[str, str], typed_pages: dict[str, str]
) -> None:
    """The PostgreSQL model keeps no CREATE TABLE text: no empty SQL block stands there."""
    tables = [t for p, t in {**pages, **typed_pages}.items() if p.startswith("tables/")]
    assert tables and not any(re.search(r"```sql\n\s*```", text) for text in tables)
