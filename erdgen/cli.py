"""The command line: options -> Config -> library call -> printed result. Nothing more."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

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


# What the progress bar says while ``build`` is at each of its steps.
BUILD_STEPS = {
    "migrations": "Reading migrations",
    "diagrams": "Laying out diagrams",
    "pages": "Writing pages",
    "sqlite": "Cross-checking with SQLite",
}


@contextmanager
def _build_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar for long builds, on a terminal only (not in CI, not quiet)."""
    if not enabled or os.environ.get("CI") or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task(BUILD_STEPS["migrations"], total=None)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=BUILD_STEPS[step], completed=done, total=total or None)

        yield advance


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


migrations_argument = click.argument(
    "migrations_dir", required=False, default="migrations",
    type=click.Path(file_okay=False, path_type=Path),
)  # fmt: skip


project_migrations_argument = click.argument(
    "migrations_dir", required=False, default=None,
    type=click.Path(file_okay=False, path_type=Path),
)  # fmt: skip


def _dialect_choice() -> click.Choice[str]:
    from erdgen.dialects import names

    return click.Choice(names())


keep_going_option = click.option(
    "--keep-going", is_flag=True, default=None,
    help="Document what a fresh database builds: skip (and list) the statements the engine "
    "refuses instead of stopping at the first (option keep_going).",
)  # fmt: skip
dialect_option = click.option(
    "--dialect", type=_dialect_choice(), default=None,
    help="The SQL dialect and its engine (default: from the folder's files; option dialect).",
)  # fmt: skip


def _project_config(
    migrations_dir: Path | None,
    rules: tuple[str, ...] = (),
    layout: str | None = None,
    **flags: Any,
) -> Any:
    """The current folder's Config: mkdocs.yml / pyproject options, then these flags."""
    from erdgen.config import config_from_options, parse_rules, project_options

    options = project_options(Path.cwd())
    options.update({name: value for name, value in flags.items() if value is not None})
    if migrations_dir is not None:
        options["migrations_dir"] = str(migrations_dir)
    if layout is not None:
        options["layout"] = layout
    if rules:
        options["rules"] = {**parse_rules(options.get("rules") or {}), **parse_rules(rules)}
    return config_from_options(Path.cwd(), options)


layout_option = click.option(
    "--layout", metavar="TOOL", default=None,
    help="The migration tool whose layout the folder follows (default: detected).",
)  # fmt: skip
verbose_option = click.option(
    "--verbose", "-v", is_flag=True, help="Say which layout was detected and from what evidence."
)


def _load(
    migrations_dir: Path, project_dir: Path, layout: str | None, verbose: bool, config: Any = None
) -> Any:
    """Discovery and the history built from it; with ``verbose`` the layout's evidence.

    ``config`` gives the dialect (else the folder's) and ``keep_going``."""
    from erdgen import dialects
    from erdgen.core.history import history_from
    from erdgen.layouts import discover

    found = discover(migrations_dir, project_dir, layout)
    dialect = (config.dialect if config else "") or dialects.detect(
        migrations_dir, project_dir, found.dialect
    )
    if verbose:
        click.echo(f"layout: {found.layout}", err=True)
        for evidence in found.evidence:
            click.echo(f"  evidence: {evidence}", err=True)
        click.echo(f"  {len(found.migrations)} migrations", err=True)
        click.echo(f"dialect: {dialect}", err=True)
    keep_going = bool(config and config.keep_going)
    return found, history_from(found, dialects.get(dialect), keep_going)


@click.group()
@click.version_option(__version__, prog_name="erdgen")
def main() -> None:
    """Schema documentation from a folder of SQLite migrations."""


def _format_choice(kind: Literal["schema", "diagram"]) -> click.Choice[str]:
    """The registered formats of a kind (erdgen.formats): a new format module is a new choice."""
    from erdgen.formats import names

    return click.Choice(names(kind))


def _format_help(kind: Literal["schema", "diagram"]) -> str:
    from erdgen.formats import formats

    return "Output format: " + "; ".join(f"{f.name}: {f.summary}" for f in formats(kind)) + "."


@main.command()
@project_migrations_argument
@click.option("--format", "output_format", type=_format_choice("schema"), default="json",
              show_default=True, help=_format_help("schema"))  # fmt: skip
@click.option("--at", "at", metavar="MIGRATION_ID", help="The schema after this migration.")
@click.option("--language", metavar="LANG",
              help="Which language of the descriptions file notes take (default: the "
              "project's default_language).")  # fmt: skip
@click.option("--no-verify", is_flag=True, help="Skip the cross-check against SQLite.")
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

    config = _project_config(migrations_dir, layout=layout, keep_going=keep_going, dialect=dialect)
    writer = get_format(output_format, "schema").write
    folder = Path(config.migrations_dir)  # paths as given
    found, history = _load(folder, config.project_dir, config.layout, verbose, config)
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
@migrations_argument
@layout_option
@verbose_option
@keep_going_option
@dialect_option
@reports_errors
def verify(
    migrations_dir: Path, layout: str | None, verbose: bool, keep_going: bool | None,
    dialect: str | None,
) -> None:  # fmt: skip
    """Replay the migrations in SQLite and compare its schema with the model after each one."""
    from erdgen.core.compare import verify as verify_history
    from erdgen.rules.snapshots import check_snapshots

    config = _project_config(None, keep_going=keep_going, dialect=dialect)
    found, history = _load(migrations_dir, Path.cwd(), layout, verbose, config)
    print_diagnostics(history.diagnostics)
    report = verify_history(history)
    for line in report.lines():
        click.echo(line)
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
@click.option("--format", "output_format", type=_format_choice("diagram"), default="svg",
              show_default=True, help=_format_help("diagram"))  # fmt: skip
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
    config = _project_config(migrations_dir)
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
    click.echo(f"next: cd {project_dir} && mkdocs serve")
    click.echo(f"      and describe tables and columns in {result.descriptions_file}")


# --- checks for CI: check, lock, diff (logic in erdgen.rules)


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

    config = _project_config(migrations_dir, rules, keep_going=keep_going, dialect=dialect)
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

    config = _project_config(migrations_dir, layout=layout)
    migrations = discover_migrations(config.migrations_path, config.project_dir, config.layout)
    previous = read_lock(config.migrations_path, config.project_dir)
    for finding in lock_findings(migrations, previous) if previous else ():
        if finding.rule == id_of(locked_migration_changed):  # the user accepts it now
            click.echo(f"re-locked: {finding.format()}", err=True)
    written = write_lock(config.migrations_path, migrations)
    state = "wrote" if written else "up to date:"
    path = Path(config.migrations_dir) / LOCK_FILE_NAME
    click.echo(f"{state} {path.as_posix()} ({len(migrations)} migrations)")


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

    config = _project_config(migrations_dir, layout=layout)
    found, history = _load(config.migrations_path, config.project_dir, config.layout, False, config)
    reports = [diff_database(db, history, found.layout, found.table) for db in databases]
    click.echo("\n".join(format_database_report(r, len(history.steps)) for r in reports), nl=False)
    sys.exit(EXIT_FINDINGS if any(report.differs for report in reports) else 0)


# --- the generated pages (logic in erdgen.site.build) ---------------------------------------

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
    from erdgen.site.build import build as build_site
    from erdgen.site.build import check_stale

    config = _config_in(
        project_dir, migrations_dir=migrations_dir, docs_dir=docs_dir, keep_going=keep_going,
        dialect=dialect,
    )  # fmt: skip
    shown = config.output_path.relative_to(config.project_dir).as_posix()
    if check_only:
        stale = check_stale(config)
        for path in stale:
            click.echo(f"stale: {shown}/{path}")
        if not quiet and not stale:
            click.echo(f"{shown}: up to date")
        sys.exit(EXIT_FINDINGS if stale else 0)
    with _build_progress(enabled=not quiet) as progress:
        result = build_site(config, progress=progress)
    print_diagnostics(result.diagnostics)
    if not quiet:
        click.echo(
            f"{shown}: {len(result.written)} written, {len(result.deleted)} deleted, "
            f"{len(result.unchanged)} unchanged ({result.tables} tables, "
            f"{result.migrations} migrations)"
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
        return
    for line in result.added:
        click.echo(f"+ {line}")
    verb = "added" if result.written else "missing (run with --write to add them)"
    click.echo(f"{shown}: {len(result.added)} lines {verb}")


if __name__ == "__main__":
    main()
