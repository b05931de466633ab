"""Measure erdgen at several sizes and write benchmarks/results.md.

    python benchmarks/run.py [--sizes small,medium,large] [--runs 5] [--out benchmarks/results.md]

For each size, in this process and run after run (medians of ``--runs``):

a. SQLite replays the files into memory (``executescript`` per file): the floor.
b. erdgen's parse-and-model step, ``erdgen.core.history.load_history``.
c. a full ``erdgen.site.build.build(config)`` into a fresh project (cold caches).
d. the same build again with nothing changed.
e. a build after one new migration (it is removed again, untimed, between runs).
f. ``mkdocs build`` of the project (a subprocess; the erdgen plugin runs inside it).

Time in Graphviz is measured without touching erdgen's code paths: ``DotRun`` is wrapped,
each ``dot``'s wall interval from its start to its result is recorded (the union of the
intervals is the wall time during which at least one ``dot`` ran), and the CPU time of
finished child processes comes from ``getrusage(RUSAGE_CHILDREN)``.

Peak memory: the Python heap of (b) and (c) from ``tracemalloc`` in one extra, untimed
run each (tracemalloc slows Python down, so it never runs during a timed run); the peak
RSS of a whole fresh ``build`` process and of ``mkdocs build`` from ``os.wait4``.

(b) is also run with and without sqlglot's compiled modules (sqlglotc), each in a fresh
subprocess. sqlglotc ships no module of its own: it drops compiled ``.so`` files next to
sqlglot's ``.py`` files, and Python prefers extension modules. The "pure" subprocess puts
a path hook in front that makes the sqlglot package's folder load ``.py`` sources only
(``--pure-sqlglot``); nothing is uninstalled, and the worker checks which one it got.

A step whose module is not there yet is reported as n/a.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import importlib.machinery
import importlib.util
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the sibling module, found through sys.path)
import run_postgres  # noqa: E402

T = TypeVar("T")
ALL_SIZES = ("small", "medium", "large")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


# -- sqlglot with or without its compiled modules ------------------------------------------


def use_pure_sqlglot() -> None:
    """Make the sqlglot package load its ``.py`` sources even where sqlglotc put a ``.so``.

    Must run before anything imports sqlglot.
    """
    spec = importlib.util.find_spec("sqlglot")
    assert spec is not None and spec.origin is not None, "sqlglot is not installed"
    root = str(Path(spec.origin).parent)

    def sources_only(path: str) -> importlib.machinery.FileFinder:
        if path != root and not path.startswith(root + os.sep):
            raise ImportError(path)  # not sqlglot: let the normal path hooks handle it
        return importlib.machinery.FileFinder(
            path,
            (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES),
            (importlib.machinery.SourcelessFileLoader, importlib.machinery.BYTECODE_SUFFIXES),
        )

    sys.path_hooks.insert(0, sources_only)
    sys.path_importer_cache.clear()


def sqlglot_compiled() -> bool:
    from sqlglot import tokenizer_core

    return not str(getattr(tokenizer_core, "__file__", "x.py")).endswith(".py")


# -- results ---------------------------------------------------------------------------------


@dataclass
class Timing:
    """One step of one size: wall seconds per run, or why there are none."""

    runs: list[float] = field(default_factory=list)
    missing: str = ""  # "n/a" reason
    extra: dict[str, float] = field(default_factory=dict)  # medians of side measurements

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None


@dataclass
class SizeResult:
    name: str
    migrations: int
    statements: int
    tables: int
    steps: dict[str, Timing] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)  # MiB
    notes: list[str] = field(default_factory=list)


def missing(reason: str) -> Timing:
    return Timing(missing=reason)


# -- measuring helpers -----------------------------------------------------------------------


class DotClock:
    """Records the wall interval of every ``dot`` erdgen runs: from its start
    (``DotRun.__init__``) to its result."""

    def __init__(self) -> None:
        self.intervals: list[tuple[float, float]] = []
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        try:
            graphviz = importlib.import_module("erdgen.render.graphviz")
        except ImportError:
            yield
            return
        run = graphviz.DotRun
        start, result = run.__init__, run.result
        began: dict[int, float] = {}

        def timed_start(process: Any, *args: Any, **kwargs: Any) -> None:
            began[id(process)] = time.perf_counter()
            start(process, *args, **kwargs)

        def timed_result(process: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return result(process, *args, **kwargs)
            finally:
                with self.lock:
                    self.intervals.append((began.pop(id(process)), time.perf_counter()))

        run.__init__, run.result = timed_start, timed_result
        try:
            yield
        finally:
            run.__init__, run.result = start, result

    def reset(self) -> None:
        self.intervals = []

    def calls(self) -> int:
        return len(self.intervals)

    def busy(self) -> float:
        """Wall time during which at least one dot was running."""
        total, end = 0.0, float("-inf")
        for start, stop in sorted(self.intervals):
            if stop <= end:
                continue
            total += stop - max(start, end)
            end = stop
        return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tracemalloc_peak(action: Callable[[], T]) -> tuple[float, T]:
    """Peak Python heap in MiB while ``action`` runs (untimed), and its result."""
    tracemalloc.start()
    try:
        value = action()
        return tracemalloc.get_traced_memory()[1] / 2**20, value
    finally:
        tracemalloc.stop()


def run_child(
    command: list[str], cwd: Path | None = None, timeout: float | None = None
) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB (from os.wait4; Linux counts KiB) and stdout of a child.

    Output goes through temporary files so that waiting with os.wait4 cannot deadlock. A
    child still running after ``timeout`` seconds is killed (TimeoutError).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=err)
        killer = threading.Timer(timeout or 0, process.kill)
        if timeout:
            killer.start()
        _, status, usage = os.wait4(process.pid, 0)
        killer.cancel()
        elapsed = time.perf_counter() - start
        if timeout and elapsed >= timeout:
            raise TimeoutError(f"{' '.join(command[:5])} did not finish within {timeout:g} s")
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:5])} failed:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, stdout


# -- the folders -----------------------------------------------------------------------------


def make_folder(size: str, work: Path, seed: int) -> Path:
    folder = work / size / "migrations"
    if folder.exists():
        shutil.rmtree(folder)
    if size == "small":
        shutil.copytree(REPO / "migrations", folder)
    else:
        generate.generate(folder, *generate.SIZES[size], seed=seed)
    return folder


def count_statements(folder: Path) -> int:
    return sum(
        generate.count_statements(p.read_text(encoding="utf-8")) for p in folder.glob("*.sql")
    )


def make_template_project(folder: Path) -> Path | str:
    """A project with the migrations and what ``erdgen init`` writes; or why not."""
    project = folder.parent / "template"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir()
    shutil.copytree(folder, project / "migrations")
    try:
        from erdgen.site.init import init_project
    except ImportError as error:
        return f"n/a (erdgen.site.init: {error})"
    init_project(project, "migrations")
    mkdocs_yml = project / "mkdocs.yml"
    if OVERRIDES and mkdocs_yml.exists():  # the plugin in step (f) gets the same options
        text = mkdocs_yml.read_text(encoding="utf-8")
        block = "".join(f"\n      {k}: {json.dumps(v)}" for k, v in OVERRIDES.items())
        mkdocs_yml.write_text(text.replace("  - erdgen:", "  - erdgen:" + block, 1), "utf-8")
    return project


def fresh_project(template: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    return target


# -- the steps -------------------------------------------------------------------------------


def replay_in_sqlite(folder: Path) -> None:
    connection = sqlite3.connect(":memory:")
    try:
        for path in sorted(folder.glob("*.sql")):
            connection.executescript(path.read_text(encoding="utf-8"))
    finally:
        connection.close()


def timed(action: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def load_build() -> Callable[[Any], Any] | str:
    try:
        module = importlib.import_module("erdgen.site.build")
    except ImportError as error:
        return f"n/a (erdgen.site.build: {error})"
    function = getattr(module, "build", None)
    return function if callable(function) else "n/a (erdgen.site.build has no build())"


OVERRIDES: dict[str, Any] = {}  # --set NAME=VALUE, applied to every build's Config
SKIPPED: set[str] = set()  # --skip: optional measurements left out
OPTIONAL = ("variants", "heap", "fresh", "mkdocs", "profile", "identical")
MKDOCS_TIMEOUT = [1800.0]  # --mkdocs-timeout


def config_for(project: Path) -> Any:
    from erdgen.config import Config

    return Config(project_dir=project, migrations_dir="migrations", quiet=True, **OVERRIDES)


def parse_override(text: str) -> tuple[str, Any]:
    """``verify=false`` -> ("verify", False), typed like the Config field's default."""
    from erdgen.config import Config

    name, _, raw = text.partition("=")
    default = getattr(Config(), name)
    if isinstance(default, bool):
        return name, raw.lower() in ("1", "true", "yes", "on")
    return name, type(default)(raw)


def new_migration_sql(table: str) -> str:
    return (
        "-- Migration: benchmark change.\n-- One new nullable column and an index on it.\n\n"
        f'ALTER TABLE "{table}" ADD COLUMN bench_note TEXT; -- added by the benchmark\n\n'
        f'CREATE INDEX IF NOT EXISTS idx_bench_note ON "{table}" (bench_note);\n'
    )


def new_migration_name(folder: Path) -> str:
    last = sorted(p.name for p in folder.glob("*.sql"))[-1]
    width = len(last.split("_", 1)[0])
    return f"{int(last.split('_', 1)[0]) + 1:0{width}d}_bench_change.sql"


def measure_builds(result: SizeResult, template: Path, runs: int, work: Path, table: str) -> None:
    build = load_build()
    if isinstance(build, str):
        for step in ("c", "d", "e"):
            result.steps[step] = missing(build)
        return
    clock = DotClock()
    full, unchanged, one_new = Timing(), Timing(), Timing()
    dot_busy, dot_cpu, dot_calls, changed_calls = [], [], [], []
    changed_files: list[int] = []
    all_files: list[int] = []
    with clock.installed():
        for _ in range(runs):
            project = fresh_project(template, work / "project")
            config = config_for(project)
            clock.reset()
            cpu_before = children_cpu()
            full.runs.append(timed(build, config))
            dot_cpu.append(children_cpu() - cpu_before)
            dot_busy.append(clock.busy())
            dot_calls.append(clock.calls())
            unchanged.runs.append(timed(build, config))
            migrations = project / "migrations"
            extra = migrations / new_migration_name(migrations)
            extra.write_text(new_migration_sql(table), encoding="utf-8")
            clock.reset()
            start = time.perf_counter()
            changed = build(config)
            one_new.runs.append(time.perf_counter() - start)
            changed_calls.append(clock.calls())
            changed_files.append(len(changed.written) + len(changed.deleted))
            all_files.append(len(changed.written) + len(changed.unchanged))
            if len(one_new.runs) == 1 and "identical" not in SKIPPED:
                result.notes.append(same_as_clean_build(project, work, build))
            extra.unlink()
            build(config)  # back to the state before, untimed
    full.extra = {
        "dot_busy": statistics.median(dot_busy),
        "dot_cpu": statistics.median(dot_cpu),
        "dot_calls": statistics.median(dot_calls),
    }
    one_new.extra = {
        "dot_calls": statistics.median(changed_calls),
        "files_changed": statistics.median(changed_files),
        "files": statistics.median(all_files),
    }
    result.steps.update(c=full, d=unchanged, e=one_new)
    if "heap" not in SKIPPED:
        project = fresh_project(template, work / "project")
        heap = tracemalloc_peak(lambda: build(config_for(project)))[0]
        result.memory["c heap (tracemalloc)"] = heap
    if "fresh" in SKIPPED:
        return
    project = fresh_project(template, work / "project")
    try:
        sets = [f"--set={name}={value}" for name, value in OVERRIDES.items()]
        command = [sys.executable, __file__, "--worker", "build", str(project), *sets]
        _, rss, _ = run_child(command)
        result.memory["c process peak RSS (fresh build process)"] = rss
    except RuntimeError as error:
        result.notes.append(f"fresh build process failed: {error}")


def same_as_clean_build(project: Path, work: Path, build: Callable[[Any], Any]) -> str:
    """Whether the incremental build (e) wrote the same files as a clean build of its input."""
    clean = work / "clean" / project.name  # same folder name: the site title comes from it
    shutil.rmtree(clean.parent, ignore_errors=True)
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns(".erdgen-cache"))
    config = config_for(clean)
    shutil.rmtree(config.output_path)  # only the generated folder: init's pages stay
    build(config)
    incremental, fresh = tree_bytes(project / "docs"), tree_bytes(clean / "docs")
    shutil.rmtree(clean.parent)
    if incremental == fresh:
        return f"(e) output is byte-identical to a clean build ({len(fresh)} files)"
    differing = sorted(p for p in {*incremental, *fresh} if incremental.get(p) != fresh.get(p))
    return f"(e) output DIFFERS from a clean build in {len(differing)} files: {differing[:5]}"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def measure_mkdocs(result: SizeResult, template: Path, runs: int, work: Path) -> None:
    build = load_build()
    if "mkdocs" in SKIPPED:
        result.steps["f"] = missing("skipped (--skip mkdocs)")
        return
    if isinstance(build, str) or not (template / "mkdocs.yml").exists():
        result.steps["f"] = missing(build if isinstance(build, str) else "n/a (no mkdocs.yml)")
        return
    project = fresh_project(template, work / "project")
    build(config_for(project))  # the generated pages exist, as after `erdgen build`
    timing, peaks = Timing(), []
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]
    for _ in range(runs):
        site = work / "site"
        shutil.rmtree(site, ignore_errors=True)
        try:
            elapsed, rss, _ = run_child([*mkdocs, "-d", str(site)], project, MKDOCS_TIMEOUT[0])
        except TimeoutError:
            limit = MKDOCS_TIMEOUT[0]
            result.steps["f"] = missing(f"n/a (killed: no result within {limit:g} s)")
            return
        except RuntimeError as error:
            result.steps["f"] = missing(f"n/a (mkdocs build failed: {str(error)[-300:]})")
            return
        timing.runs.append(elapsed)
        peaks.append(rss)
    result.steps["f"] = timing
    result.memory["f mkdocs build peak RSS"] = max(peaks)


def measure_parse_variants(result: SizeResult, folder: Path, runs: int) -> None:
    if "variants" in SKIPPED:
        return
    for label, flags in (("b sqlglotc", []), ("b pure sqlglot", ["--pure-sqlglot"])):
        command = [sys.executable, __file__, "--worker", "parse", str(folder), "--runs", str(runs)]
        try:
            _, _, stdout = run_child([*command, *flags])
        except RuntimeError as error:
            result.steps[label] = missing(f"n/a ({str(error)[-300:]})")
            continue
        report = json.loads(stdout)
        timing = Timing(runs=report["runs"])
        if report["compiled"] != (label == "b sqlglotc"):
            timing.missing = "n/a (sqlglotc is not installed)" if not report["compiled"] else ""
            timing.runs = [] if timing.missing else timing.runs
        result.steps[label] = timing


def measure_size(size: str, runs: int, work: Path, seed: int) -> SizeResult:
    folder = make_folder(size, work, seed)
    statements = count_statements(folder)
    migrations = len(list(folder.glob("*.sql")))
    tables = generate.SIZES[size][1] if size in generate.SIZES else 0
    result = SizeResult(size, migrations, statements, tables)
    log(f"{size}: {migrations} migrations, {statements} statements")

    result.steps["a"] = Timing([timed(lambda: replay_in_sqlite(folder)) for _ in range(runs)])
    log(f"  a done {result.steps['a'].median:.2f}s")
    table = ""
    try:
        from erdgen.core.history import load_history
    except ImportError as error:
        result.steps["b"] = missing(f"n/a (erdgen.core.history: {error})")
    else:
        histories = [timed(lambda: load_history(folder, folder.parent)) for _ in range(runs)]
        result.steps["b"] = Timing(histories)
        if "heap" in SKIPPED:
            history = load_history(folder, folder.parent)
        else:
            peak, history = tracemalloc_peak(lambda: load_history(folder, folder.parent))
            result.memory["b heap (tracemalloc)"] = peak
        result.tables = result.tables or len(history.schema.tables)
        # The one new migration of step (e) alters the table created last.
        table = history.schema.tables[-1].name if history.schema.tables else ""
        log(f"  b done {result.steps['b'].median:.2f}s")
    measure_parse_variants(result, folder, runs)
    log(f"  b with / without sqlglotc: {shown(result, 'b sqlglotc', 'b pure sqlglot')}")
    template = make_template_project(folder)
    if isinstance(template, str):
        for step in ("c", "d", "e", "f"):
            result.steps[step] = missing(template)
        return result
    if not table:
        for step in ("c", "d", "e", "f"):
            result.steps[step] = missing("n/a (no model: step b failed)")
        return result
    measure_builds(result, template, runs, work, table)
    log(f"  c, d, e: {shown(result, 'c', 'd', 'e')}")
    measure_mkdocs(result, template, runs, work)
    log(f"  f: {shown(result, 'f')}")
    return result


def shown(result: SizeResult, *keys: str) -> str:
    timings = [result.steps.get(key) for key in keys]
    return ", ".join(seconds(t.median) if t else "-" for t in timings)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- workers (run in a fresh interpreter) ------------------------------------------------------


def worker(kind: str, path: Path, runs: int) -> None:
    if kind == "parse":
        from erdgen.core.history import load_history

        times = [timed(lambda: load_history(path, path.parent)) for _ in range(runs)]
        print(json.dumps({"runs": times, "compiled": sqlglot_compiled()}))
    elif kind == "build":
        build = load_build()
        assert not isinstance(build, str), build
        build(config_for(path))


# -- profile -------------------------------------------------------------------------------------


def profile_parse(folder: Path, top: int = 20) -> str:
    import cProfile
    import io
    import pstats

    from erdgen.core.history import load_history

    profiler = cProfile.Profile()
    profiler.enable()
    load_history(folder, folder.parent)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(top)
    text = stream.getvalue()
    return text[text.find("   ncalls") :].rstrip().replace(str(Path.home()), "~")


# -- report --------------------------------------------------------------------------------------


STEP_NAMES = {
    "a": "a. SQLite replay (executescript per file, in memory)",
    "b": "b. erdgen parse and model (load_history)",
    "b sqlglotc": "b in a fresh process, with sqlglotc",
    "b pure sqlglot": "b in a fresh process, pure-Python sqlglot",
    "c": "c. erdgen full build (cold)",
    "d": "d. rebuild, nothing changed",
    "e": "e. rebuild after one new migration",
    "f": "f. mkdocs build (subprocess, plugin included)",
}


def machine() -> list[str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        import sqlglot

        sqlglot_version = str(getattr(sqlglot, "__version__", "?"))
    except ImportError:
        sqlglot_version = "not installed"
    compiled = importlib.util.find_spec("sqlglot.tokenizer_core")
    compiled_text = "yes" if compiled and not str(compiled.origin).endswith(".py") else "no"
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
        dot_version = dot.stderr.strip() or dot.stdout.strip()
    except OSError:
        dot_version = "not installed"
    return [
        f"- Date: {datetime.date.today().isoformat()}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- sqlglot {sqlglot_version}, sqlglotc compiled modules installed: {compiled_text}",
        f"- Graphviz: {dot_version}",
    ]


def seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def ratio(top: float | None, bottom: float | None) -> str:
    return "n/a" if top is None or not bottom else f"{top / bottom:.2f}"


def report(results: list[SizeResult], runs: int, seed: int, profile: str) -> str:
    lines = ["# erdgen benchmark results", "", "Written by `python benchmarks/run.py`.", ""]
    lines += [*machine(), f"- Runs per step: {runs} (medians); generator seed: {seed}"]
    settings = ", ".join(f"{k}={v}" for k, v in OVERRIDES.items()) or "defaults"
    lines += [f"- Build configuration: {settings}; skipped: {', '.join(sorted(SKIPPED)) or '-'}"]
    lines.append(f"- Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    lines.append("")
    for result in results:
        lines += size_section(result)
    lines += targets(results)
    if profile:
        name = results[-1].name
        lines += [f"## Profile of (b) on the {name} size (cProfile, by own time)", ""]
        lines += ["```", profile, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def size_section(result: SizeResult) -> list[str]:
    lines = [
        f"## {result.name}: {result.migrations} migrations, {result.statements} statements, "
        f"{result.tables} tables",
        "",
        "| step | median s | runs (s) |",
        "|---|---:|---|",
    ]
    for key, label in STEP_NAMES.items():
        timing = result.steps.get(key)
        if timing is None:
            continue
        shown = timing.missing or ", ".join(f"{r:.2f}" for r in timing.runs)
        lines.append(f"| {label} | {seconds(timing.median)} | {shown} |")
    lines += ["", *derived(result), ""]
    if result.memory:
        lines += ["Peak memory:", ""]
        lines += [f"- {name}: {value:.1f} MiB" for name, value in result.memory.items()]
        lines.append("")
    lines += [f"- Note: {note}" for note in result.notes]
    return [*lines, ""] if result.notes else lines


def derived(result: SizeResult) -> list[str]:
    steps = result.steps
    a, b, c = (steps[k].median if k in steps else None for k in "abc")
    full = steps.get("c")
    lines = [
        f"- (b) statements per second: {ratio(float(result.statements), b)}",
        f"- b/a (erdgen model vs SQLite replay): {ratio(b, a)}",
    ]
    pure, fast = steps.get("b pure sqlglot"), steps.get("b sqlglotc")
    if pure and fast:
        lines.append(f"- (b) pure sqlglot / sqlglotc: {ratio(pure.median, fast.median)}")
    if full and full.runs:
        busy = full.extra["dot_busy"]
        lines += [
            f"- c/(wall time with a `dot` running): {ratio(c, busy)}; dot ran "
            f"{seconds(busy)} s wall, {seconds(full.extra['dot_cpu'])} s CPU "
            f"(RUSAGE_CHILDREN), {full.extra['dot_calls']:.0f} calls",
            f"- time outside Graphviz: {seconds((c or 0) - busy)} s = "
            f"{100 * ((c or 0) - busy) / (c or 1):.0f} % of (c)",
        ]
    one_new = steps.get("e")
    if one_new and one_new.runs:
        lines.append(
            f"- (e) after one new migration: {one_new.extra['dot_calls']:.0f} dot calls, "
            f"{one_new.extra['files_changed']:.0f} of {one_new.extra['files']:.0f} "
            "generated files written or deleted"
        )
    return lines


def targets(results: list[SizeResult]) -> list[str]:
    large = next((r for r in results if r.name == "large"), None)
    if large is None:
        return []
    s = large.steps
    b, c, d = (s[k].median if k in s else None for k in "bcd")
    rate = large.statements / b if b else None
    full = s.get("c")
    outside = (c - full.extra["dot_busy"]) / c if c and full and full.runs else None
    rss = large.memory.get("c process peak RSS (fresh build process)")
    rows = [
        ("parse and model >= 5,000 statements/s", rate, rate is not None and rate >= 5000),
        ("full build <= 60 s", c, c is not None and c <= 60),
        ("full build <= 1 GB (fresh process RSS, MiB)", rss, rss is not None and rss <= 1024),
        ("time outside Graphviz <= 50 %", outside, outside is not None and outside <= 0.5),
        ("no-change rebuild <= 2 s", d, d is not None and d <= 2),
    ]
    lines = ["## Targets of issue 6 (large size; measured, not asserted)", ""]
    lines += ["| target | measured | met |", "|---|---:|---|"]
    for name, value, met in rows:
        shown = "n/a" if value is None else f"{value:.2f}"
        lines.append(f"| {name} | {shown} | {'yes' if met else 'no'} |")
    return [*lines, ""]


# -- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="erdgen benchmark")
    parser.add_argument("--sizes", default=",".join(ALL_SIZES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="keep the generated projects here")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Config option for every build, e.g. verify=false (recorded in the results)",
    )
    parser.add_argument("--mkdocs-timeout", type=float, default=MKDOCS_TIMEOUT[0])
    parser.add_argument(
        "--skip",
        default="",
        metavar="LIST",
        help=f"leave out optional measurements: {','.join(OPTIONAL)}",
    )
    parser.add_argument(
        "--dialect",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="postgres: the synthetic diesel folder, see run_postgres.py",
    )
    parser.add_argument("--worker", choices=("parse", "build"), help=argparse.SUPPRESS)
    parser.add_argument("--pure-sqlglot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pure_sqlglot:
        use_pure_sqlglot()
    OVERRIDES.update(parse_override(item) for item in args.set)
    MKDOCS_TIMEOUT[0] = args.mkdocs_timeout
    SKIPPED.update(s.strip() for s in args.skip.split(",") if s.strip())
    if args.worker:
        worker(args.worker, args.path, args.runs)
        return
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = sorted(set(sizes) - set(ALL_SIZES))
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}")
    if args.dialect == "postgres":
        run_postgres.main(sizes, args.runs, args.out, args.seed, args.work)
        return
    with contextlib.ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        results = []
        for size in sizes:  # the file is rewritten after each size: long runs keep partial results
            results.append(measure_size(size, args.runs, work, args.seed))
            write_report(args.out, report(results, args.runs, args.seed, ""))
        profile = ""
        if "profile" not in SKIPPED and "b" in results[-1].steps and results[-1].steps["b"].runs:
            profile = profile_parse(work / sizes[-1] / "migrations")
    write_report(args.out, report(results, args.runs, args.seed, profile))
    log(f"wrote {args.out}")


def write_report(out: Path, text: str) -> None:
    """Write the SQLite report; the PostgreSQL section already in ``out`` stays."""
    existing = out.read_text(encoding="utf-8") if out.is_file() else ""
    out.write_text(run_postgres.keep_postgres_section(existing, text), encoding="utf-8")


if __name__ == "__main__":
    main()
