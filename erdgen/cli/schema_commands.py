"""Commands that read the migrations into the model: export, verify, diagram."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from erdgen.cli.base import (
    EXIT_FINDINGS,
    dialect_option,
    format_choice,
    format_help,
    keep_going_option,
    layout_option,
    load,
    main,
    print_diagnostics,
    project_config,
    project_migrations_argument,
    reports_errors,
    verbose_option,
)


@main.command()
@project_migrations_argument
@click.option("--format", "output_format", type=format_choice("schema"), default="json",
              show_default=True, help=format_help("schema"))  # fmt: skip
@click.option("--at", "at", metavar="MIGRATION_ID", help="The schema after this migration.")
@click.option("--language", metavar="LANG",
              help="Which language of the descriptions file notes take (default: the "
              "project's default_language).")  # fmt: skip
@click.option(
    "--no-verify",
    is_flag=True,
    help="Skip the cross-check against the engine (SQLite, libSQL, PostgreSQL).",
)
@layout_option
@verbose_option
@keep_going_option
@dialect_option
@reports_errors
def export(
    migrations_dir: Path | None, output_format: str, at: str | None, language: str | None,
    no_verify: bool, layout: str | None, verbose: bool, keep_going: bool | None,
    dialect: str | None,
) -> None:  # fmt: skip
    """Print the whole schema: erdgen's JSON model, DBML or tbls' schema.json.

    Reads the project's options (mkdocs.yml, pyproject.toml) like `erdgen build`.
    """
    from erdgen.core.queries import history_until
    from erdgen.descriptions import load_descriptions
    from erdgen.formats import SchemaExport, get_format

    config = project_config(migrations_dir, layout=layout, keep_going=keep_going, dialect=dialect)
    writer = get_format(output_format, "schema").write
    folder = Path(config.migrations_dir)  # paths as given
    found, history = load(folder, config.project_dir, config.layout, verbose, config)
    if at is not None:
        history = history_until(history, at)
    print_diagnostics(history.diagnostics)
    if not no_verify and config.verify:
        _warn_where_the_engine_disagrees(history)
    descriptions = load_descriptions(config.descriptions_path)
    chosen = language or config.default_language
    export = SchemaExport(
        history, descriptions, chosen, config.site_title, found.layout, tuple(found.evidence)
    )
    click.echo(writer(export).decode(), nl=False)


@main.command()
@project_migrations_argument
@layout_option
@verbose_option
@keep_going_option
@dialect_option
@reports_errors
def verify(
    migrations_dir: Path | None, layout: str | None, verbose: bool, keep_going: bool | None,
    dialect: str | None,
) -> None:  # fmt: skip
    """Replay the migrations in the engine (SQLite, libSQL, PostgreSQL) and compare its
    schema with the model after each one.

    Reads the project's options (mkdocs.yml, pyproject.toml) like `erdgen build`.
    """
    from erdgen.core.compare import verify as verify_history
    from erdgen.rules.snapshots import check_snapshots

    config = project_config(migrations_dir, layout=layout, keep_going=keep_going, dialect=dialect)
    folder = Path(config.migrations_dir)  # paths as given
    found, history = load(folder, config.project_dir, config.layout, verbose, config)
    print_diagnostics(history.diagnostics)
    report = verify_history(history)
    for line in report.lines():
        click.echo(line)
    for note in report.notes():
        click.echo(note)
    snapshots = check_snapshots(history, found.snapshots)
    for check in snapshots:
        click.echo("\n".join(check.lines()))
    click.echo(report.summary())
    if not report.agrees or any(check.differences for check in snapshots):
        sys.exit(EXIT_FINDINGS)


@main.command()
@project_migrations_argument
@click.option("--table", metavar="TABLE", help="The table and its neighbours.")
@click.option("--at", "at", metavar="MIGRATION_ID", help="The schema after this migration.")
@click.option("--migration", metavar="MIGRATION_ID", help="What this migration changed.")
@click.option("--format", "output_format", type=format_choice("diagram"), default="svg",
              show_default=True, help=format_help("diagram"))  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of stdout (required for png).")  # fmt: skip
@reports_errors
def diagram(
    migrations_dir: Path | None,
    table: str | None,
    at: str | None,
    migration: str | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Draw one ER diagram: the overview, a table's neighbourhood, or a migration.

    Reads the project's options (mkdocs.yml, pyproject.toml: split_threshold, groups,
    neighbour_depth, ...) like `erdgen build`, so it draws what the pages show.
    """
    from erdgen.core.history import load_history
    from erdgen.formats import get_format
    from erdgen.render.diagrams import diagram_output

    if get_format(output_format, "diagram").binary and output is None:
        raise click.UsageError(f"--format {output_format} needs -o FILE")
    config = project_config(migrations_dir)
    history = load_history(  # paths as given
        Path(config.migrations_dir),
        config.project_dir,
        dialect=config.dialect or None,
        layout=config.layout,
        keep_going=config.keep_going,
    )
    print_diagnostics(history.diagnostics)
    data = diagram_output(history, config, output_format, table=table, at=at, migration=migration)
    if output is None:
        click.echo(data.decode(), nl=False)
    else:
        output.write_bytes(data)


def _warn_where_the_engine_disagrees(history: Any) -> None:
    from erdgen.core.compare import engine_name, verify_final
    from erdgen.dialects import get
    from erdgen.errors import EngineUnavailableError

    engine = engine_name(get(history.dialect))
    try:  # the final schema only; `erdgen verify` checks each step
        report = verify_final(history)
    except EngineUnavailableError as error:  # no judge: say so once, never fail for that
        click.echo(f"warning: not cross-checked with {engine}: {error.message}", err=True)
        return
    for line in report.lines():
        click.echo(f"warning: the model and {engine} differ: {line}", err=True)
