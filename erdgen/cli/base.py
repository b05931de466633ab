"""The command line's shared parts: the ``erdgen`` group, its options and how errors,
diagnostics and progress are printed. The commands live beside this module, by stage:
``schema_commands`` (export, verify, diagram), ``site_commands`` (init, build,
describe), ``ci_commands`` (check, lock, diff). Each is options -> Config -> library
call -> printed result; nothing more."""

from __future__ import annotations

import functools
import importlib
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
    "sqlite": "Cross-checking with the engine",  # SQLite, libSQL or PostgreSQL
}


@contextmanager
def build_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
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


def project_config(
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


def load(
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
        from erdgen.plural import counted

        click.echo(f"  {counted(len(found.migrations), 'migration')}", err=True)
        click.echo(f"dialect: {dialect}", err=True)
    keep_going = bool(config and config.keep_going)
    return found, history_from(found, dialects.get(dialect), keep_going)


# The module of each command (below erdgen.cli): ``erdgen build`` loads the site commands
# only, not the export formats or the lint rules the other commands need.
COMMAND_MODULES = {
    "export": "schema_commands", "verify": "schema_commands", "diagram": "schema_commands",
    "init": "site_commands", "build": "site_commands", "describe": "site_commands",
    "check": "ci_commands", "lock": "ci_commands", "diff": "ci_commands",
}  # fmt: skip


class _CommandsOnDemand(click.Group):
    """A group that imports a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"erdgen.cli.{module}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=_CommandsOnDemand)
@click.version_option(__version__, prog_name="erdgen")
def main() -> None:
    """Schema documentation from a folder of SQL migrations (SQLite, libSQL, PostgreSQL)."""


def format_choice(kind: Literal["schema", "diagram"]) -> click.Choice[str]:
    """The registered formats of a kind (erdgen.formats): a new format module is a new choice."""
    from erdgen.formats import names

    return click.Choice(names(kind))


def format_help(kind: Literal["schema", "diagram"]) -> str:
    from erdgen.formats import formats

    return "Output format: " + "; ".join(f"{f.name}: {f.summary}" for f in formats(kind)) + "."
