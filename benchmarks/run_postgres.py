"""Measure erdgen on the synthetic PostgreSQL folders (``generate_postgres.py``).

    python benchmarks/run.py --dialect postgres [--sizes small,medium,large] [--runs 3]

For each size, run after run in this process (medians of ``--runs``):

a. PostgreSQL replays the folder: one ``psql -f`` of all migrations, each in its own
   ``BEGIN``/``COMMIT`` as diesel runs them (none where ``metadata.toml`` says
   ``run_in_transaction = false``), into a new database of erdgen's running throwaway
   cluster. The floor: PostgreSQL's own time, no catalog read.
b. erdgen's parse and model (``load_history``), wall and CPU time; statements per second.
c. the cross-check as ``erdgen build`` and ``export`` run it (``verify_final``): every
   migration replayed into a new database of the same cluster, one catalog read, the
   comparison; (a) and (c) run in turn (a c, c a, ...). Starting the cluster (initdb and
   start) is timed once, apart. CPU time of (a) and (c) counts psql or erdgen and, apart,
   the cluster's processes (Linux ``/proc``).
d. and e. what the issue asks: a cold ``erdgen build`` (a new process, a fresh copy of the
   project: no pages, no cache) with the cross-check (d: its own cluster started, the
   replay on a thread beside parsing and rendering, the comparison) and without it (e:
   ``verify = false``), run after run in turn (d e, e d, ...). The cross-check's cost in a
   build is d - e (the median of the runs' differences), set against (a). CPU time here
   is the build's and its children's (cp or initdb, and the server, which the build starts
   as its own child and waits for: its backends' CPU is counted too). ``ERDGEN_PG_URL``
   is left out of the builds' environment, as a user's build without it starts its own
   cluster.

The machine may be shared: the load average is recorded before and after, CPU times
beside wall times, and the profile of (b) shows where the time goes. The results go into
their own section of ``results.md``; the SQLite measurements keep theirs.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import generate_postgres

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Cluster

HERE = Path(__file__).resolve().parent
MARKER = "<!-- PostgreSQL: written by benchmarks/run.py --dialect postgres -->"


@dataclass
class Size:
    name: str
    migrations: int
    statements: int
    tables: int
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    server: dict[str, list[float]] = field(default_factory=dict)  # the cluster's CPU s
    notes: list[str] = field(default_factory=list)

    def median(self, step: str, cpu: bool = False) -> float:
        return statistics.median((self.cpu if cpu else self.wall)[step])

    def total_cpu(self, step: str) -> float:
        """The median of a step's CPU: this process, its children and the server."""
        runs = zip(self.cpu[step], self.server[step], strict=True)
        return statistics.median(own + server for own, server in runs)


def load() -> str:
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def timed(
    size: Size, step: str, action: Callable[[], object], cluster: Cluster | None = None
) -> object:
    """Run ``action``: its wall time, CPU time (this process and its children: psql) and,
    given ``cluster``, the CPU time of the cluster's processes."""
    server = server_cpu(cluster) if cluster else 0.0
    wall, cpu = time.perf_counter(), time.process_time() + children_cpu()
    result = action()
    size.wall.setdefault(step, []).append(time.perf_counter() - wall)
    size.cpu.setdefault(step, []).append(time.process_time() + children_cpu() - cpu)
    if cluster:
        time.sleep(0.05)  # the backend that served the step exits and is counted
        size.server.setdefault(step, []).append(server_cpu(cluster) - server)
    return result


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def server_cpu(cluster: Cluster) -> float:
    """CPU s the cluster's processes have used so far: the postmaster with the children it
    has reaped (backends that ended) and its live children (Linux ``/proc``; else 0)."""
    try:
        postmaster = (cluster.data / "postmaster.pid").read_text().split()[0]
    except OSError:
        return 0.0
    ticks = 0
    for entry in os.scandir("/proc"):
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name == postmaster:  # utime, stime, cutime, cstime
            ticks += sum(int(value) for value in fields[11:15])
        elif fields[1] == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def replay_script(folder: Path) -> str:
    """All migrations as one psql script, each as diesel runs it."""
    parts = []
    for migration in sorted(p for p in folder.iterdir() if (p / "up.sql").is_file()):
        text = (migration / "up.sql").read_text(encoding="utf-8")
        metadata = migration / "metadata.toml"
        outside = metadata.is_file() and "run_in_transaction = false" in metadata.read_text()
        parts.append(text if outside else f"BEGIN;\n{text}\nCOMMIT;\n")
    return "\n".join(parts)


def replay_with_psql(cluster: Cluster, script: Path) -> None:
    """``psql`` into a new database of ``cluster`` (erdgen's throwaway cluster)."""
    psql = str(cluster.bindir / "psql")
    with cluster.database() as conninfo:
        command = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-f", str(script)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"PostgreSQL rejected the generated folder:\n{done.stderr}")


def measure(name: str, runs: int, work: Path, seed: int) -> Size:
    from erdgen.core.compare import verify_final
    from erdgen.core.history import load_history
    from erdgen.dialects.postgres.server import Cluster, process_server

    root = work / f"postgres-{name}"
    shutil.rmtree(root, ignore_errors=True)
    made = generate_postgres.generate(root, *generate_postgres.SIZES[name], seed=seed)
    size = Size(name, made.migrations, made.statements, made.tables)
    script = root / "replay.sql"
    script.write_text(replay_script(made.path), encoding="utf-8")
    started = time.perf_counter()
    Cluster.start().stop()  # what a cold build pays (the process's cluster may be running)
    size.wall["cluster start"] = [time.perf_counter() - started]
    cluster = process_server()  # the cluster verify_final replays into
    assert isinstance(cluster, Cluster), "ERDGEN_PG_URL is unset in main()"
    size.notes.append(f"PostgreSQL {cluster.version}")
    history = load_history(made.path, root, dialect="postgres")  # warm: imports, caches
    for _ in range(runs):
        timed(size, "b", lambda: load_history(made.path, root, dialect="postgres"))
    size.notes.append(f"{len(history.diagnostics)} diagnostics from the reader")
    report = None
    for run in range(runs):  # a and c in turn, on the same cluster
        for step in "ac" if run % 2 == 0 else "ca":
            if step == "a":
                timed(size, "a", lambda: replay_with_psql(cluster, script), cluster)
            else:
                report = timed(size, "c", lambda: verify_final(history), cluster)
    agrees = getattr(report, "agrees", False)
    size.notes.append(f"the cross-check {'agrees' if agrees else 'DISAGREES'} with PostgreSQL")
    measure_builds(size, made.path, runs, root)
    return size


def measure_builds(size: Size, migrations: Path, runs: int, root: Path) -> None:
    """Steps (d) and (e): cold builds with and without the cross-check, in turn."""
    template = root / "project"
    shutil.copytree(migrations, template / "migrations")
    for run in range(runs):
        for verify in (True, False) if run % 2 == 0 else (False, True):
            wall, cpu, said = cold_build(template, root / "build", verify)
            step = "d" if verify else "e"
            if said and run == 0:
                size.notes.append(f"build ({step}) warned: {said.splitlines()[0]} (and more)")
            size.wall.setdefault(step, []).append(wall)
            size.cpu.setdefault(step, []).append(cpu)


def cold_build(template: Path, project: Path, verify: bool) -> tuple[float, float, str]:
    """``erdgen build`` of a fresh copy of ``template``: wall s, CPU s (with children), and
    what it printed on stderr (warnings)."""
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(template, project)
    options = f'[tool.erdgen]\ndialect = "postgres"\nverify = {str(verify).lower()}\n'
    (project / "pyproject.toml").write_text(options, encoding="utf-8")
    command = [sys.executable, "-m", "erdgen.cli", "build", "--quiet", "--project-dir"]
    env = {name: value for name, value in os.environ.items() if name != "ERDGEN_PG_URL"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*command, str(project)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"erdgen build (verify={verify}) said:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr.strip()


def build_cost(size: Size, cpu: bool = False) -> float:
    """The median of the runs' differences d - e: each pair ran back to back."""
    times = size.cpu if cpu else size.wall
    return statistics.median(d - e for d, e in zip(times["d"], times["e"], strict=True))


def profile(folder: Path, top: int = 25) -> str:
    from erdgen.core.history import load_history

    profiler = cProfile.Profile()
    profiler.enable()
    load_history(folder, folder.parent, dialect="postgres")
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    text = stream.getvalue()
    return text[text.find("   ncalls") :].rstrip().replace(str(Path.home()), "~")


STEPS = {
    "a": "a. PostgreSQL replays the folder (psql -f, a transaction per migration)",
    "b": "b. erdgen parse and model (load_history)",
    "c": "c. erdgen's cross-check as build runs it (verify_final: replay, catalog read, compare)",
    "d": "d. cold `erdgen build` with the cross-check (new process, its own cluster)",
    "e": "e. cold `erdgen build` without it (`verify = false`)",
}


def section(sizes: list[Size], runs: int, seed: int, commit: str, loads: tuple[str, str]) -> str:
    lines = [MARKER, "", "# PostgreSQL: the synthetic diesel folder", ""]
    lines += [
        f"- Commit: {commit}; runs per step: {runs} (medians); generator seed: {seed}",
        f"- Load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]} "
        f"(2 cores, shared: CPU seconds are the steadier figure)",
    ]
    for size in sizes:
        lines += ["", f"## {size.name}: {size.migrations} migrations, "
                  f"{size.statements} statements, {size.tables} tables", ""]  # fmt: skip
        lines += [*table(size), "", *(f"- {finding}" for finding in findings(size))]
    return "\n".join(lines) + "\n"


def table(size: Size) -> list[str]:
    lines = [
        "| step | median wall s | median CPU s | median server CPU s | runs, wall (s) |",
        "|---|---:|---:|---:|---|",
    ]
    for step, label in STEPS.items():
        server = f"{statistics.median(size.server[step]):.3f}" if step in size.server else "-"
        runs_text = ", ".join(f"{v:.2f}" for v in size.wall[step])
        lines.append(
            f"| {label} | {size.median(step):.3f} | {size.median(step, True):.3f} | {server} "
            f"| {runs_text} |"
        )
    return lines


def findings(size: Size) -> list[str]:
    b_wall, b_cpu, best = size.median("b"), size.median("b", True), min(size.cpu["b"])
    a = size.median("a")
    return [
        f"(b) statements per second: {size.statements / b_wall:,.0f} by wall time, "
        f"{size.statements / b_cpu:,.0f} by CPU time, {size.statements / best:,.0f} by the "
        f"best run's CPU time (target at the large size: >= 5,000)",
        f"c/a (cross-check vs PostgreSQL's own replay): {size.median('c') / a:.2f} by wall "
        f"time, {size.total_cpu('c') / size.total_cpu('a'):.2f} by CPU time (the client's "
        f"and the server's); starting and stopping a cluster took "
        f"{size.wall['cluster start'][0]:.2f} s",
        f"what the cross-check adds to a cold `erdgen build`, (d - e)/a: "
        f"{build_cost(size) / a:.2f} (target: <= 2; d - e = {build_cost(size):.2f} s, the "
        f"median of the runs' differences; by CPU {build_cost(size, cpu=True):.2f} s, the "
        f"server's included)",
        *size.notes,
    ]


def merged(existing: str, postgres: str) -> str:
    """``existing`` results with its PostgreSQL section replaced by ``postgres``."""
    kept = existing.split(MARKER)[0].rstrip()
    return f"{kept}\n\n{postgres}" if kept else postgres


def keep_postgres_section(existing: str, sqlite: str) -> str:
    """The SQLite report ``sqlite`` followed by the PostgreSQL section of ``existing``."""
    if MARKER not in existing:
        return sqlite
    return f"{sqlite.rstrip()}\n\n{MARKER}{existing.split(MARKER, 1)[1]}"


def main(sizes: list[str], runs: int, out: Path, seed: int, work: Path | None) -> None:
    os.environ.pop("ERDGEN_PG_URL", None)  # a throwaway cluster, whose CPU can be read
    before = load()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as temporary:
        place = work or Path(temporary)
        results = [measure(name, runs, place, seed) for name in sizes]
        text = section(results, runs, seed, commit or "?", (before, load()))
        text += f"\n## Profile of (b) on the {sizes[-1]} size (cProfile, by own time)\n\n```\n"
        text += profile(place / f"postgres-{sizes[-1]}" / "migrations") + "\n```\n"
    existing = out.read_text(encoding="utf-8") if out.is_file() else ""
    out.write_text(merged(existing, text), encoding="utf-8")
    print(f"wrote {out}")
