"""The documentation site: init, build, describe (the logic is in ``erdgen.site``)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click

from erdgen.cli.base import (
    EXIT_FINDINGS,
    build_progress,
    dialect_option,
    keep_going_option,
    main,
    print_diagnostics,
    reports_errors,
)


@main.command()
@click.argument("project_dir", required=False, default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))  # fmt: skip
@click.option("--migrations-dir", metavar="PATH",
              help="Migrations folder, relative to PROJECT_DIR (default: looked for).")  # fmt: skip
@click.option("--language", type=click.Choice(["de", "en"]), default=None,
              help="The language the SQL comments are written in: shown as written on its "
              "pages, marked for translation on the other's.")  # fmt: skip
@reports_errors
def init(project_dir: Path, migrations_dir: str | None, language: str | None) -> None:
    """Set up a docs site for the schema in PROJECT_DIR; never overwrites an existing file."""
    from erdgen.site.init import init_project

    result = init_project(project_dir, migrations_dir, language)
    click.echo(f"migrations: {result.migrations_dir} (layout: {result.layout})")
    for evidence in result.evidence:
        click.echo(f"  evidence: {evidence}")
    for path in result.created:
        click.echo(f"created  {path}")
    for path in result.kept:
        click.echo(f"kept     {path} (exists, left as it is)")
    for hint in result.hints:
        click.echo(f"note: {hint}")
    here = project_dir.resolve() == Path.cwd().resolve()
    click.echo(f"next: {'' if here else f'cd {shlex.quote(str(project_dir))} && '}mkdocs serve")
    click.echo(f"      and describe tables and columns in {result.descriptions_file}")


project_dir_option = click.option(
    "--project-dir", default=".", show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The project: mkdocs.yml / pyproject.toml options are read from here.",
)  # fmt: skip


def _config_in(project_dir: Path, **flags: Any) -> Any:
    """The project's Config (mkdocs.yml / pyproject options) with these flags over it."""
    from erdgen.config import config_from_options, project_options

    options = project_options(project_dir)
    options.update({name: value for name, value in flags.items() if value is not None})
    return config_from_options(project_dir, options)


@main.command()
@project_dir_option
@click.option("--migrations-dir", metavar="PATH", help="Relative to the project.")
@click.option("--docs-dir", metavar="PATH", help="Relative to the project (default: docs).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if a generated file is out of date.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="Print warnings only.")
@keep_going_option
@dialect_option
@reports_errors
def build(
    project_dir: Path, migrations_dir: str | None, docs_dir: str | None, check_only: bool,
    quiet: bool, keep_going: bool | None, dialect: str | None,
) -> None:  # fmt: skip
    """Write the schema pages (every language) into DOCS_DIR/schema/.

    Only changed files are written; files erdgen did not generate are never touched.
    """
    from erdgen.errors import DiscoveryError
    from erdgen.site.build import build as build_site
    from erdgen.site.build import check_stale
    from erdgen.site.init import setup_hint

    config = _config_in(
        project_dir, migrations_dir=migrations_dir, docs_dir=docs_dir, keep_going=keep_going,
        dialect=dialect,
    )  # fmt: skip
    if not migrations_dir and not config.migrations_path.is_dir():  # a project not set up
        error = DiscoveryError(f"migrations folder not found: {config.migrations_path}")
        error.notes = setup_hint(config.project_dir)
        raise error
    shown = config.output_path.relative_to(config.project_dir).as_posix()
    if check_only:
        from erdgen.site.write import foreign_file, read_manifest

        stale = check_stale(config)
        owned = read_manifest(config.output_path)
        for path in stale:  # an edited file: the advice of the build that would refuse it
            refused = foreign_file(config.output_path, path, owned, config.descriptions_file)
            click.echo(f"stale: {refused or f'{shown}/{path}'}")
        if not quiet and not stale:
            click.echo(f"{shown}: up to date")
        sys.exit(EXIT_FINDINGS if stale else 0)
    with build_progress(enabled=not quiet) as progress:
        result = build_site(config, progress=progress)
    print_diagnostics(result.diagnostics)
    if not quiet:
        from erdgen.plural import counted

        click.echo(
            f"{shown}: {len(result.written)} written, {len(result.deleted)} deleted, "
            f"{len(result.unchanged)} unchanged ({counted(result.tables, 'table')}, "
            f"{counted(result.migrations, 'migration')})"
        )


@main.command()
@project_dir_option
@click.option("--migrations-dir", metavar="PATH", help="Relative to the project.")
@click.option("--write", is_flag=True, help="Write the file (default: only show what is missing).")
@reports_errors
def describe(project_dir: Path, migrations_dir: str | None, write: bool) -> None:
    """Add the missing keys (every migration, table, column) to the descriptions file.

    Existing text stays exactly as it is; new keys get empty values to fill in.
    """
    from erdgen.site.build import describe as describe_keys

    config = _config_in(project_dir, migrations_dir=migrations_dir)
    result = describe_keys(config, write)
    shown = result.path.relative_to(config.project_dir).as_posix()
    if not result.added:
        click.echo(f"{shown}: no key missing")
        _one_language(config, shown)
        return
    for line in result.added:
        click.echo(f"+ {line}")
    verb = "added" if result.written else "missing (run with --write to add them)"
    click.echo(f"{shown}: {len(result.added)} lines {verb}")
    _one_language(config, shown)


def _one_language(config: Any, shown: str) -> None:
    """Keys present but a text in one language only: not missing, yet a gap on the pages."""
    from erdgen.descriptions import sidecar_entries
    from erdgen.plural import counted
    from erdgen.rules.descriptions_file import one_language

    path = config.descriptions_path
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    gaps = [e for e in sidecar_entries(text, shown) if all(one_language(e, config.languages))]
    if gaps:
        click.echo(
            f"{shown}: {counted(len(gaps), 'text')} in one language only "
            "(`erdgen check` lists them: descriptions-file)"
        )


if __name__ == "__main__":
    main()
