"""Orchestration: migrations -> history -> diagrams -> pages -> the site on disk.

``render_site`` is pure except for Graphviz (through ``diagrams.render_svgs`` and its
cache); ``build`` writes the result; ``check_stale`` says what a build would change.

An input stamp (a hash of everything the pages are made from) is kept in the output's
manifest: when it matches and every generated file is intact, ``build`` and
``check_stale`` return at once without loading the migrations.
"""

from __future__ import annotations

import hashlib
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from msgspec import Struct

from erdgen import dialects
from erdgen.config import Config
from erdgen.core.compare import final_report
from erdgen.core.fresh import explain
from erdgen.core.history import build_history, project_history
from erdgen.descriptions import add_missing_keys, load_descriptions, skeleton
from erdgen.errors import Diagnostic, Location, MigrationError, Severity
from erdgen.layouts import discover
from erdgen.model import History, Migration, Schema, SkippedStatement
from erdgen.render import diagrams, pages
from erdgen.render.graphviz import graphviz_version
from erdgen.site import drawing
from erdgen.site.cache import Entries, option_texts, package_digest, sqlglot_version, sweep
from erdgen.site.git_dates import commit_dates
from erdgen.site.write import (
    Site,
    WriteResult,
    intact_files,
    read_build_info,
    stale_files,
    write_site,
)

if TYPE_CHECKING:
    from erdgen.dialects.base import Dialect

CACHE_DIR = ".erdgen-cache"  # below the project; git-ignored
T = TypeVar("T")


class BuildResult(Struct, frozen=True):
    """What ``build`` did: files written, deleted and unchanged (paths relative to
    ``output_dir``), the diagnostics, and the number of tables and migrations."""

    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    output_dir: Path
    tables: int
    migrations: int


# What a long build is doing: (step, done, total), total 0 when unknown. The steps are
# "migrations" (parse and model), "diagrams" (Graphviz), "pages" and "sqlite" (waiting for
# SQLite's replay, the cross-check).
BuildProgress = Callable[[str, int, int], None]


def _no_progress(_step: str, _done: int, _total: int) -> None:
    pass


def render_site(
    config: Config, history: History | None = None, progress: BuildProgress | None = None
) -> Site:
    """Every generated file (pages in every language) by path below ``config.output_path``."""
    progress = progress or _no_progress
    if history is None:
        progress("migrations", 0, 0)
        history = project_history(config)
    descriptions = load_descriptions(config.descriptions_path)
    plan = pages.SitePlan.of(history)
    with Entries(config.project_dir / CACHE_DIR) as cache:  # saved when all went well
        progress("diagrams", 0, 0)  # drawing them, before Graphviz counts them
        wanted = drawing.wanted_diagrams(plan, config, cache)
        # Graphviz lays the diagrams out in processes of its own while the pages are
        # rendered around placeholders: a tenth of a second off a cold build of the
        # bundled project.
        diagrams_wanted = [diagram for _, diagram in wanted]
        with diagrams.Layouts(
            diagrams_wanted, config, cache, partial(progress, "diagrams")
        ) as laid:
            progress("pages", 0, 0)
            dates = commit_dates(config.project_dir, history.migrations) if config.git_dates else {}
            files = pages.render_pages(
                history, descriptions, config, drawing.embeds(wanted), plan, cache, dates
            )
            svgs = laid.result()
    diagram_files = drawing.diagram_files(drawing.embeds(wanted, svgs), config)
    return Site({**drawing.fill_diagrams(files, svgs), **diagram_files, **_assets()})


def _assets() -> dict[str, bytes]:
    """The diagram stylesheet (mkdocs.yml lists ``<output_dir>/assets/erdgen.css``)."""
    folder = resources.files("erdgen.render").joinpath("assets")
    return {f"assets/{item.name}": item.read_bytes() for item in folder.iterdir() if item.is_file()}


def build(
    config: Config, history: History | None = None, progress: BuildProgress | None = None
) -> BuildResult:
    """Render the site and write what changed; diagnostics from the model and SQLite.

    Without ``history`` the migrations are loaded only when an input changed since the
    last build or a generated file is missing or was edited.
    """
    started, stamp, progress = time.time(), None, progress or _no_progress
    if history is None:
        stamp = input_stamp(config)
        previous = _unchanged_build(config, stamp)
        if previous is not None:
            return previous
        found = discover(config.migrations_path, config.project_dir, config.layout)
        files = found.migrations
        dialect = dialects.get(
            config.dialect
            or dialects.detect(config.migrations_path, config.project_dir, found.dialect)
        )
        replay = _start_replay(config, files, dialect)  # the engine replays while erdgen parses
        progress("migrations", 0, 0)
        history = build_history(files, dialect, keep_going=config.keep_going)
    else:
        dialect = dialects.get(history.dialect)
        replay = _start_replay(config, history.migrations, dialect)
    site = render_site(config, history, progress)
    differences: tuple[Diagnostic, ...] = ()
    if replay is not None:
        progress("sqlite", 0, 0)
        try:
            actual, skipped = replay.result()
        except MigrationError as error:
            raise explain(error, history.migrations, dialect) from None
        differences = final_report(history, actual, dialect, skipped).diagnostics()
    diagnostics = (*_at_configured_levels(history.diagnostics, config), *differences)
    tables, migrations = len(history.schema.tables), len(history.steps)
    info = None if stamp is None else _build_info(stamp, diagnostics, tables, migrations)
    result: WriteResult = write_site(site, config.output_path, info)
    sweep(config.project_dir / CACHE_DIR, started)
    return BuildResult(
        written=result.written,
        deleted=result.deleted,
        unchanged=result.unchanged,
        diagnostics=diagnostics,
        output_dir=config.output_path,
        tables=tables,
        migrations=migrations,
    )


def check_stale(config: Config) -> list[str]:
    """Generated files that differ from what a build would write now (nothing is written)."""
    if _unchanged_build(config, input_stamp(config)) is not None:
        return []
    return stale_files(render_site(config), config.output_path)


Replayed = tuple[Schema, list[SkippedStatement] | None]


def _start_replay(
    config: Config, migrations: tuple[Migration, ...], dialect: Dialect
) -> Future[Replayed] | None:
    """The engine's schema after the migrations, replayed at once on a thread of its own
    (with ``keep_going``: statement by statement, with what it skipped).

    SQLite releases the GIL while it replays (tens of seconds for thousands of
    migrations), so the replay runs beside parsing and rendering instead of after them.
    The thread is a daemon: a build that fails does not wait for it before exiting.
    """
    if not config.verify:
        return None
    snapshots = config.project_dir / CACHE_DIR / dialect.name
    skipped: list[SkippedStatement] | None = [] if config.keep_going else None

    def replay() -> Replayed:
        return dialect.replay_final(migrations, snapshots, skipped), skipped

    return _on_a_thread(replay, "erdgen-verify")


def _on_a_thread(work: Callable[[], T], name: str) -> Future[T]:
    """``work()`` started on a daemon thread of its own (a build that fails does not wait
    for it); its result, or the error it raised, from the future's ``result()``."""
    future: Future[T] = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(work())
            except BaseException as error:  # handed to the caller by ``result()``
                future.set_exception(error)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


# --- the input stamp: skipping a build when nothing changed ------------------------------


def input_stamp(config: Config) -> str:
    """SHA-256 over everything the generated files are made from.

    The migration files' names and bytes, the descriptions file, the options, erdgen's
    version and package files (code, templates, locales, assets) and the versions of
    sqlglot and Graphviz. The project's absolute path is left out, so that a clone
    elsewhere keeps the same manifest.
    """
    # ``dot -V`` is a process of its own (about 7 ms): it runs while the files are hashed
    graphviz = _on_a_thread(graphviz_version, "erdgen-dot-version")
    digest = hashlib.sha256()
    for label, content in _stamp_parts(config):
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)
    version = graphviz.result().encode()
    digest.update(f"graphviz\0{len(version)}\0".encode() + version)
    return digest.hexdigest()


def _stamp_parts(config: Config) -> Iterator[tuple[str, bytes]]:
    """Every input but Graphviz's version, with a label each."""
    yield "sqlglot", sqlglot_version().encode()
    yield "title", config.site_title.encode()
    for text in option_texts(config):
        yield "option", text.encode()
    yield from _folder_files("migrations", config.migrations_path)
    descriptions = config.descriptions_path
    yield "descriptions", descriptions.read_bytes() if descriptions.is_file() else b"\0absent"
    yield "package", package_digest().encode()
    if config.git_dates:  # a commit changes the dates without changing any file read above
        yield "git", _git_head(config.project_dir).encode()


def _folder_files(label: str, folder: Path) -> Iterator[tuple[str, bytes]]:
    if not folder.is_dir():
        yield label, b"\0absent"
        return
    paths = (p for p in folder.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    for path in sorted(paths, key=lambda p: p.relative_to(folder).as_posix()):
        yield f"{label}/{path.relative_to(folder).as_posix()}", path.read_bytes()


def _unchanged_build(config: Config, stamp: str) -> BuildResult | None:
    """The last build's result when it was made from the same inputs and is intact."""
    info = read_build_info(config.output_path)
    if info is None or info.get("stamp") != stamp:
        return None
    intact = intact_files(config.output_path)
    if intact is None:
        return None
    try:
        diagnostics = tuple(_diagnostic(item) for item in info["diagnostics"])
        tables, migrations = int(info["tables"]), int(info["migrations"])
    except (KeyError, TypeError, ValueError):
        return None  # an older or damaged manifest: build again
    return BuildResult((), (), intact, diagnostics, config.output_path, tables, migrations)


def _at_configured_levels(
    diagnostics: tuple[Diagnostic, ...], config: Config
) -> tuple[Diagnostic, ...]:
    if not config.rules:
        return diagnostics  # the rules are loaded only where a project sets levels
    from erdgen.rules.migration_rules import at_configured_levels

    return at_configured_levels(diagnostics, config.rules)


def _build_info(
    stamp: str, diagnostics: tuple[Diagnostic, ...], tables: int, migrations: int
) -> dict[str, Any]:
    return {
        "stamp": stamp,
        "tables": tables,
        "migrations": migrations,
        "diagnostics": [_diagnostic_data(d) for d in diagnostics],
    }


def _diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any]:
    where = diagnostic.location
    return {
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "severity": str(diagnostic.severity),
        "statement": diagnostic.statement,
    }


def _diagnostic(data: Mapping[str, Any]) -> Diagnostic:
    location = Location(str(data["path"]), int(data["line"]), int(data["column"]))
    return Diagnostic(
        location,
        str(data["code"]),
        str(data["message"]),
        Severity(data["severity"]),
        str(data["statement"]),
    )


class DescribeResult(Struct, frozen=True):
    """What ``describe`` did to the descriptions file: its new text, the lines added and
    whether it was written."""

    path: Path
    text: str  # the file's text with the missing keys added
    added: tuple[str, ...]  # the added lines, for a preview
    written: bool


def describe(config: Config, write: bool, history: History | None = None) -> DescribeResult:
    """Add every missing migration, table and column key to the descriptions file.

    Existing text is kept byte for byte; with ``write`` false nothing is written.
    """
    if history is None:
        history = project_history(config)
    path = config.descriptions_path
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    shapes = [life.shape for life in pages.SitePlan.of(history).lives]
    wanted = skeleton(history.migrations, shapes, config.languages)
    updated = add_missing_keys(text, wanted, str(path))
    added = _added_lines(text, updated)
    if write and updated != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(updated, encoding="utf-8")
    return DescribeResult(path, updated, added, write and updated != text)


def _added_lines(before: str, after: str) -> tuple[str, ...]:
    kept = before.splitlines()
    added: list[str] = []
    position = 0
    for line in after.splitlines():
        if position < len(kept) and kept[position] == line:
            position += 1
        else:
            added.append(line)
    return tuple(added)


def _git_head(project_dir: Path) -> str:
    """The commit checked out (with ``git_dates`` it is an input of the timeline)."""
    command = ["git", "-C", str(project_dir), "rev-parse", "HEAD"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return result.stdout.strip()
