"""A cold ``erdgen build`` of the bundled project against eralchemy drawing its one diagram.

    python benchmarks/cold_build.py [--runs 9] [--eralchemy PATH] [--erdgen PATH ...]

Each erdgen run builds a fresh clone of this repository with ``docs/schema`` removed and no
``.erdgen-cache`` (every page and diagram is made), in a new process. eralchemy (installed in
a venv of its own: ``pip install eralchemy graphviz``) draws the same schema, replayed into a
SQLite file, as one SVG. Runs alternate between the programs, so that a machine whose load
changes meanwhile weighs on each alike; the medians of wall time and of CPU time (the
process and its children: ``dot``) are printed as a Markdown table.

Each erdgen's package is compiled to bytecode first, as pip does for a regular install
(and as eralchemy's is): an editable install where ``PYTHONDONTWRITEBYTECODE`` is set
would otherwise compile every module in every run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def fresh_clone(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True)
    shutil.rmtree(folder / "docs" / "schema")
    return folder


def replayed_database(folder: Path) -> Path:
    database = folder / "bundled.db"
    connection = sqlite3.connect(database)
    for path in sorted((ROOT / "migrations").glob("*.sql")):
        connection.executescript(path.read_text(encoding="utf-8"))
    connection.close()
    return database


def compile_package(program: Path) -> None:
    """Write the bytecode of the erdgen package that ``program`` runs."""
    python = str(program.parent / "python")
    where = subprocess.run(
        [python, "-c", "import erdgen, os; print(os.path.dirname(erdgen.__file__))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run([python, "-m", "compileall", "-q", where], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--eralchemy", type=Path, help="the eralchemy program")
    parser.add_argument(
        "--erdgen", type=Path, action="append", help="erdgen programs (default: .venv's)"
    )
    options = parser.parse_args()
    programs = options.erdgen or [ROOT / ".venv" / "bin" / "erdgen"]
    for program in programs:
        compile_package(program)
    scratch = Path(tempfile.mkdtemp(prefix="erdgen-cold-"))
    database = replayed_database(scratch)
    times: dict[str, list[tuple[float, float]]] = {}
    for _ in range(options.runs):
        for program in programs:
            clone = fresh_clone(scratch / "clone")
            times.setdefault(str(program), []).append(
                timed([str(program), "build", "--quiet"], clone)
            )
        if options.eralchemy:
            command = [str(options.eralchemy), "-i", f"sqlite:///{database}",
                       "-o", str(scratch / "eralchemy.svg")]  # fmt: skip
            times.setdefault("eralchemy", []).append(timed(command, scratch))
    shutil.rmtree(scratch)
    print(f"{options.runs} runs each\n")
    print("| program | wall median s | wall min s | CPU median s | CPU min s |")
    print("|---|---:|---:|---:|---:|")
    for name, runs in times.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} "
              f"| {statistics.median(cpus):.2f} | {min(cpus):.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
