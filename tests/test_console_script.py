"""The console script (``erdgen.cli.run``) in a process of its own: what it prints gets
out although it skips Python's finalization, and its cycle collector waits for
``YOUNG_OBJECTS`` new objects (start-up makes long-lived ones only)."""

from __future__ import annotations

import subprocess
import sys

from erdgen.cli import YOUNG_OBJECTS

SCRIPT = """
import gc, sys
import erdgen.cli as cli
def main():
    print(gc.get_threshold()[0], end="")
    sys.stderr.write("to stderr")
    raise SystemExit(3)
cli.main = main
cli.run()
"""


def test_the_console_script_flushes_its_output_and_keeps_the_exit_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3
    assert done.stdout == str(YOUNG_OBJECTS)  # no newline: flushed by ``run``, not by print
    assert done.stderr == "to stderr"
