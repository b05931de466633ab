"""``erdgen init``: set up a documentation site in a repository that has a migrations folder.

Creates ``mkdocs.yml`` (Material, German and English, the erdgen plugin), a start page in
both languages and the descriptions file with an empty entry for every migration, table
and column. A file that exists is never touched: it is reported as kept. Everything is
prepared before the first write, so a failure leaves the repository as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from msgspec import Struct

from erdgen.config import Config
from erdgen.core.history import load_history
from erdgen.descriptions import add_missing_keys, skeleton
from erdgen.errors import ConfigError
from erdgen.layouts import discover
from erdgen.layouts.configs import configs_in
from erdgen.layouts.registry import holds_migrations
from erdgen.layouts.search import nested_migration_folders

# Where repositories keep their migrations, most common first (tools' defaults included:
# Prisma, drizzle-kit, Flyway's Maven/Gradle location).
MIGRATION_FOLDERS = (
    "migrations",
    "migrations/sqlite",
    "db/migrations",
    "db/migrations/sqlite",
    "prisma/migrations",
    "drizzle",
    "database/migrations",
    "sql/migrations",
    "src/migrations",
    "src/main/resources/db/migration",
)
NESTED_SHOWN = 5  # folders named in the error when several are found further down


class InitResult(Struct, frozen=True):
    """What ``init_project`` set up: the migrations folder and layout it found, and why; the
    descriptions file; the files created and kept; what is left to do by hand."""

    migrations_dir: str  # relative to the project folder, POSIX style
    layout: str  # the migration tool's layout found there (erdgen.layouts)
    evidence: tuple[str, ...]  # what decided the folder and the layout
    descriptions_file: str
    created: tuple[str, ...]  # files written, relative to the project folder
    kept: tuple[str, ...]  # files that existed and were left alone
    hints: tuple[str, ...]  # what the user still has to do by hand


def init_project(
    project_dir: Path, migrations_dir: str | None = None, comments_language: str | None = None
) -> InitResult:
    """Create the files erdgen needs in ``project_dir``; never overwrite one that exists.

    ``comments_language`` is the language of the SQL comments (``erdgen init --language``).
    """
    folder, why = (migrations_dir, ()) if migrations_dir else find_migrations(project_dir)
    if not (project_dir / folder).is_dir():
        raise ConfigError(f"migrations folder not found: {project_dir / folder}")
    found = discover(project_dir / folder, project_dir)
    evidence = (*why, *found.evidence)
    config = Config(
        project_dir=project_dir,
        migrations_dir=folder,
        layout=found.layout,
        comments_language=comments_language or "",
    )
    planned = _planned_files(config, evidence)
    created = tuple(path for path in planned if not (project_dir / path).exists())
    kept = tuple(path for path in planned if path not in created)
    for path in created:
        target = project_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(planned[path], encoding="utf-8")
    hints = _hints(project_dir, kept)
    ignored = _ignore_generated(project_dir)
    if ignored:
        hints = (*hints, f"added {', '.join(ignored)} to .gitignore")
    return InitResult(
        folder, found.layout, evidence, config.descriptions_file, created, kept, hints
    )


# What a build leaves that does not belong in the repository: erdgen's cache, MkDocs' site.
IGNORED = (".erdgen-cache/", "site/")


def _ignore_generated(project_dir: Path) -> tuple[str, ...]:
    """Add the entries of ``IGNORED`` that .gitignore lacks (appended; nothing else changes)."""
    path = project_dir / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = tuple(
        entry for entry in IGNORED if entry not in present and f"/{entry}" not in present
    )
    if missing:
        separator = "" if not text or text.endswith("\n") else "\n"
        path.write_text(text + separator + "".join(f"{e}\n" for e in missing), encoding="utf-8")
    return missing


def setup_hint(project_dir: Path) -> tuple[str, ...]:
    """What to do when a command finds no migrations in a project erdgen was never set up in
    (no mkdocs.yml): the note printed below the error."""
    if (project_dir / "mkdocs.yml").is_file():
        return ()
    return (
        f"hint: {_shown_dir(project_dir)} has no mkdocs.yml: `erdgen init` sets up a docs site "
        "and finds the migrations folder, or name the folder: "
        "`erdgen build --migrations-dir PATH`",
    )


def _shown_dir(project_dir: Path) -> str:
    try:
        relative = project_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return project_dir.as_posix()
    return "this folder" if relative == "." else relative


def find_migrations_dir(project_dir: Path) -> str:
    """The project's migrations folder, relative to it (see ``find_migrations``)."""
    return find_migrations(project_dir)[0]


def find_migrations(project_dir: Path) -> tuple[str, tuple[str, ...]]:
    """The folder a tool's config in the project names (wrangler, diesel.toml, drizzle
    config read as text, prisma/schema.prisma, sqlx.toml, flyway.conf, atlas.hcl,
    sqitch.conf, dbmate options), else the first usual folder that holds migrations, else
    the one migrations folder further down (a monorepo's package,
    ``erdgen.layouts.search``); with the evidence for it. Raises ``ConfigError`` when none
    is found or several further down (naming them)."""
    for config in configs_in(project_dir):
        if config.folder.is_dir() and holds_migrations(config.folder):
            relative = Path(os.path.relpath(config.folder, project_dir)).as_posix()
            return relative, (f"{config.config.name}: {config.says} names {relative}/",)
    for candidate in MIGRATION_FOLDERS:
        folder = project_dir / candidate
        if folder.is_dir() and holds_migrations(folder):
            return candidate, (f"{candidate}/ holds migrations",)
    nested = nested_migration_folders(project_dir, MIGRATION_FOLDERS)
    if len(nested) == 1:  # a monorepo's one package with migrations
        ((folder_found, why),) = nested
        return folder_found, (f"{why} (the only migrations folder in the project)",)
    if nested:
        shown = ", ".join(f"{path}/" for path, _ in nested[:NESTED_SHOWN])
        more = f" and {len(nested) - NESTED_SHOWN} more" if len(nested) > NESTED_SHOWN else ""
        raise ConfigError(
            f"{len(nested)} migrations folders in {_shown_dir(project_dir)}: {shown}{more}; "
            "name the one to document with --migrations-dir"
        )
    tried = ", ".join(f"{c}/" for c in MIGRATION_FOLDERS)
    raise ConfigError(
        f"no migrations folder with .sql files in {project_dir} (looked in {tried}, "
        "also further down); name yours with --migrations-dir"
    )


def _planned_files(config: Config, evidence: Sequence[str] = ()) -> dict[str, str]:
    """Every file init would create, by path relative to the project folder."""
    history = load_history(
        config.migrations_path,
        config.project_dir,
        dialect=config.dialect or None,
        layout=config.layout,
    )
    wanted = skeleton(history.migrations, history.schema.tables, config.languages)
    docs = config.docs_dir
    return {
        "mkdocs.yml": mkdocs_yml(config, evidence, postgres=history.dialect == "postgres"),
        f"{docs}/index.md": _start_page(config, "de"),
        f"{docs}/index.en.md": _start_page(config, "en"),
        config.descriptions_file: add_missing_keys("", wanted),
    }


def mkdocs_yml(config: Config, evidence: Sequence[str] = (), postgres: bool = False) -> str:
    """A complete mkdocs.yml for a bilingual site with erdgen's pages; the layout erdgen
    found is written down with the evidence for it. A PostgreSQL project's navigation
    also lists its types and functions pages."""
    why = "".join(f"      # {line}\n" for line in evidence)
    layout = f"{why}      layout: {_yaml_string(config.layout)}\n" if config.layout else ""
    return _MKDOCS_YML.format(
        site_name=_yaml_string(config.site_title),
        docs_dir=_yaml_string(config.docs_dir),
        migrations_dir=_yaml_string(config.migrations_dir),
        layout=layout,
        output_dir=config.output_dir,
        exclude_docs=_exclude_docs(config),
        descriptions_file=_yaml_string(config.descriptions_file),
        postgres_pages="".join(
            f"      - {config.output_dir}/{page}\n"
            for page in (("types.md", "functions.md") if postgres else ())
        ),
        comments_language=(
            f"      comments_language: {config.comments_language}\n"
            if config.comments_language
            else ""
        ),
    )


def _exclude_docs(config: Config) -> str:
    """Keep the descriptions file out of the published site when it sits in docs/."""
    inside = Path(os.path.relpath(config.descriptions_path, config.docs_path))
    if inside.parts and inside.parts[0] == "..":
        return ""
    return f"exclude_docs: |\n  /{inside.as_posix()}\n"


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _start_page(config: Config, language: str) -> str:
    title = config.site_title.replace("\\", "\\\\").replace("`", "\\`")
    schema = f"{config.output_dir}/index.md"
    timeline = f"{config.output_dir}/timeline.md"
    text = _START_PAGE[language]
    return text.format(title=title, schema=schema, timeline=timeline)


def _hints(project_dir: Path, kept: Sequence[str]) -> tuple[str, ...]:
    mkdocs = project_dir / "mkdocs.yml"
    if "mkdocs.yml" in kept and "erdgen" not in mkdocs.read_text(encoding="utf-8"):
        return ("mkdocs.yml exists and was kept: add `- erdgen` under `plugins:` yourself",)
    return ()


_MKDOCS_YML = """\
# Written by `erdgen init`. erdgen generates the pages under docs/schema/ from the
# migrations; edit everything else as you like.
site_name: {site_name}
docs_dir: {docs_dir}
{exclude_docs}
# One page per migration, reached from the timeline: listed in the navigation, thousands
# of them would be repeated in every page's HTML.
not_in_nav: |
  /{output_dir}/migrations/

theme:
  name: material
  language: de
  font: false
  features:
    - navigation.indexes
    # Only the open section's pages in each page's navigation: with hundreds of tables
    # the full list would make every page large and the build slow.
    - navigation.prune
    - navigation.top
    - search.highlight
    - content.code.copy
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: Dunkles Farbschema
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: Helles Farbschema

extra_css:
  - {output_dir}/assets/erdgen.css

# Pan and zoom for diagrams wider than the text column.
extra_javascript:
  - {output_dir}/assets/erdgen.js

markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.inlinehilite

plugins:
  - search
  - i18n:
      docs_structure: suffix
      # erdgen gives each language its own search index; the plugin's own clean-up of
      # the shared one would drop English entries that read like German ones, and it
      # grows with the square of the pages.
      reconfigure_search: false
      languages:
        - locale: de
          default: true
          name: Deutsch
          build: true
          nav_translations:
            Tables: Tabellen
            Views: Sichten
            Triggers: Trigger
        - locale: en
          name: English
          build: true
          theme:
            palette:
              - toggle:
                  name: Dark colour scheme
              - toggle:
                  name: Light colour scheme
  - erdgen:
      migrations_dir: {migrations_dir}
{layout}      output_dir: {output_dir}
      descriptions_file: {descriptions_file}
      languages: [de, en]
      default_language: de
{comments_language}
# The schema section in reading order: overview, timeline, the tables (erdgen lists the
# pages of the folder entry), views and triggers, dropped objects.
nav:
  - index.md
  - Schema:
      - {output_dir}/index.md
      - {output_dir}/timeline.md
      - Tables: {output_dir}/tables/
      - {output_dir}/objects.md
{postgres_pages}      - {output_dir}/dropped.md
"""

_START_PAGE = {
    "de": """\
# {title}

Diese Dokumentation beschreibt das Datenbankschema, wie es aus den Migrationen entsteht.

- [Schema-Übersicht]({schema}): alle Tabellen mit ER-Diagramm
- [Verlauf der Migrationen]({timeline}): was jede Migration geändert hat

Die Seiten unter „Schema“ erzeugt erdgen bei jedem Build neu. Beschreibungen von Tabellen,
Spalten und Migrationen gehören in die Beschreibungsdatei.
""",
    "en": """\
# {title}

This documentation describes the database schema as the migrations build it.

- [Schema overview]({schema}): every table with an ER diagram
- [Migration timeline]({timeline}): what each migration changed

erdgen regenerates the pages under "Schema" on every build. Descriptions of tables,
columns and migrations belong in the descriptions file.
""",
}
