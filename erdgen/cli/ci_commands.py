"""Checks for CI: check, lock, diff (the logic is in ``erdgen.rules``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from erdgen.cli.base import (
    EXIT_FINDINGS,
    dialect_option,
    keep_going_option,
    layout_option,
    load,
    main,
    project_config,
    project_migrations_argument,
    reports_errors,
)


@main.command()
@project_migrations_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="Output format.")  # fmt: skip
@click.option("--rule", "rules", multiple=True, metavar="ID=LEVEL",
              help="Set a rule to error, warning or off (repeatable).")  # fmt: skip
@click.option("--list-rules", is_flag=True,
              help="List every rule, its level here and its summary; check nothing.")  # fmt: skip
@keep_going_option
@dialect_option
@reports_errors
def check(
    migrations_dir: Path | None, output_format: str, rules: tuple[str, ...], list_rules: bool,
    keep_going: bool | None, dialect: str | None,
) -> None:  # fmt: skip
    """Check for CI: stale generated docs, edited locked migrations, lint rules.

    Exits 1 when a finding of severity error remains, 0 otherwise.
    """
    from erdgen.rules.check import format_report, list_rules_text, run_check

    config = project_config(migrations_dir, rules, keep_going=keep_going, dialect=dialect)
    if list_rules:
        click.echo(list_rules_text(config), nl=False)
        return
    report = run_check(config)
    click.echo(format_report(report, output_format), nl=False)  # type: ignore[arg-type]
    sys.exit(EXIT_FINDINGS if report.failed else 0)


@main.command()
@project_migrations_argument
@layout_option
@reports_errors
def lock(migrations_dir: Path | None, layout: str | None) -> None:
    """Write erdgen.lock into the migrations folder: a checksum of every migration."""
    from erdgen.layouts import discover_migrations
    from erdgen.rules.lock import (
        LOCK_FILE_NAME,
        lock_findings,
        locked_migration_changed,
        read_lock,
        write_lock,
    )
    from erdgen.rules.registry import id_of

    config = project_config(migrations_dir, layout=layout)
    migrations = discover_migrations(config.migrations_path, config.project_dir, config.layout)
    previous = read_lock(config.migrations_path, config.project_dir)
    for finding in lock_findings(migrations, previous) if previous else ():
        if finding.rule == id_of(locked_migration_changed):  # the user accepts it now
            click.echo(f"re-locked: {finding.format()}", err=True)
    written = write_lock(config.migrations_path, migrations)
    state = "wrote" if written else "up to date:"
    path = Path(config.migrations_dir) / LOCK_FILE_NAME
    from erdgen.plural import counted

    click.echo(f"{state} {path.as_posix()} ({counted(len(migrations), 'migration')})")


@main.command()
@click.option("--db", "databases", multiple=True, required=True, metavar="PATH",
              type=click.Path(dir_okay=False, path_type=Path),
              help="A SQLite file, e.g. wrangler's local D1 file (repeatable).")  # fmt: skip
@project_migrations_argument
@layout_option
@reports_errors
def diff(databases: tuple[Path, ...], migrations_dir: Path | None, layout: str | None) -> None:
    """Compare real SQLite databases with the migrations: applied, pending, differences.

    Exits 1 when a database differs from the model or has pending migrations.
    """
    from erdgen.rules.livediff import diff_database, format_database_report

    config = project_config(migrations_dir, layout=layout)
    found, history = load(config.migrations_path, config.project_dir, config.layout, False, config)
    reports = [diff_database(db, history, found.layout, found.table) for db in databases]
    click.echo("\n".join(format_database_report(r, len(history.steps)) for r in reports), nl=False)
    sys.exit(EXIT_FINDINGS if any(report.differs for report in reports) else 0)
