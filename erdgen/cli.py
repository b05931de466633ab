"""The command line: options -> Config -> library call -> printed result. Nothing more."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from erdgen import __version__
from erdgen.errors import Diagnostic, ErdgenError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDINGS = 1  # the check found something (differences, stale files, lint errors)
EXIT_BAD_INPUT = 2  # erdgen could not do its job: broken migration, bad config


def reports_errors(command: F) -> F:
    """Turn ErdgenError into a message on stderr and exit code 2, without a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ErdgenError as error:
            click.echo(error.format(), err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


migrations_argument = click.argument(
    "migrations_dir", required=False, default="migrations",
    type=click.Path(file_okay=False, path_type=Path),
)  # fmt: skip


@click.group()
@click.version_option(__version__, prog_name="erdgen")
def main() -> None:
    """Schema documentation from a folder of SQLite migrations."""


@main.command()
@migrations_argument
@click.option("--format", "output_format", type=click.Choice(["json"]), default="json",
              show_default=True, help="Output format.")  # fmt: skip
@click.option("--at", "at", metavar="MIGRATION_ID", help="The schema after this migration.")
@click.option("--no-verify", is_flag=True, help="Skip the cross-check against SQLite.")
@reports_errors
def export(migrations_dir: Path, output_format: str, at: str | None, no_verify: bool) -> None:
    """Print the schema model (tables, history, timeline) as JSON."""
    from erdgen.export import export_json
    from erdgen.history import load_history

    history = load_history(migrations_dir, Path.cwd())
    if at is not None:
        history = _until(history, at)
    print_diagnostics(history.diagnostics)
    if not no_verify:
        _warn_where_sqlite_disagrees(history)
    click.echo(export_json(history), nl=False)


@main.command()
@migrations_argument
@reports_errors
def verify(migrations_dir: Path) -> None:
    """Replay the migrations in SQLite and compare its schema with the model after each one."""
    from erdgen.history import load_history
    from erdgen.oracle import verify as verify_history

    history = load_history(migrations_dir, Path.cwd())
    print_diagnostics(history.diagnostics)
    report = verify_history(history)
    for line in report.lines():
        click.echo(line)
    click.echo(report.summary())
    if not report.agrees:
        sys.exit(EXIT_FINDINGS)


@main.command()
@migrations_argument
@click.option("--table", metavar="TABLE", help="The table and its neighbours.")
@click.option("--at", "at", metavar="MIGRATION_ID", help="The schema after this migration.")
@click.option("--migration", metavar="MIGRATION_ID", help="What this migration changed.")
@click.option("--format", "output_format", type=click.Choice(["svg", "dot", "png", "mermaid"]),
              default="svg", show_default=True, help="Output format.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of stdout (required for png).")  # fmt: skip
@reports_errors
def diagram(
    migrations_dir: Path,
    table: str | None,
    at: str | None,
    migration: str | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Draw one ER diagram: the overview, a table's neighbourhood, or a migration."""
    from erdgen.config import Config
    from erdgen.diagrams import diagram_output
    from erdgen.history import load_history

    if output_format == "png" and output is None:
        raise click.UsageError("--format png needs -o FILE")
    history = load_history(migrations_dir, Path.cwd())
    print_diagnostics(history.diagnostics)
    data = diagram_output(
        history, Config(), output_format,  # type: ignore[arg-type]
        table=table, at=at, migration=migration,
    )  # fmt: skip
    if output is None:
        click.echo(data.decode(), nl=False)
    else:
        output.write_bytes(data)


def _until(history: Any, migration_id: str) -> Any:
    from erdgen.errors import ConfigError

    try:
        return history.until(migration_id)
    except KeyError:
        known = ", ".join(m.id for m in history.migrations)
        raise ConfigError(f"no migration {migration_id!r} (known: {known})") from None


def _warn_where_sqlite_disagrees(history: Any) -> None:
    from erdgen.oracle import verify

    report = verify(history)
    for line in report.lines():
        click.echo(f"warning: the model and SQLite differ: {line}", err=True)


@main.command()
@click.argument("project_dir", required=False, default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))  # fmt: skip
@click.option("--migrations-dir", metavar="PATH",
              help="Migrations folder, relative to PROJECT_DIR (default: looked for).")  # fmt: skip
@reports_errors
def init(project_dir: Path, migrations_dir: str | None) -> None:
    """Set up a docs site for the schema in PROJECT_DIR; never overwrites an existing file."""
    from erdgen.init import init_project

    result = init_project(project_dir, migrations_dir)
    click.echo(f"migrations: {result.migrations_dir}")
    for path in result.created:
        click.echo(f"created  {path}")
    for path in result.kept:
        click.echo(f"kept     {path} (exists, left as it is)")
    for hint in result.hints:
        click.echo(f"note: {hint}")
    click.echo(f"next: cd {project_dir} && mkdocs serve")
    click.echo(f"      and describe tables and columns in {result.descriptions_file}")


if __name__ == "__main__":
    main()
