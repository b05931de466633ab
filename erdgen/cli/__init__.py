"""erdgen's command line (click): ``erdgen.cli:run`` is the console script.

The command modules register their commands on the ``main`` group; ``main`` imports a
command's module when the command is asked for (``base.COMMAND_MODULES``), so that a
command loads only what it uses.
"""

import atexit
import gc
import os
import sys
import threading

from erdgen.cli.base import main

__all__ = ["main", "run"]

YOUNG_OBJECTS = 100_000  # new objects between collections of the youngest generation


def run() -> None:
    """The console script: ``main``, then the process ends without Python's finalization.

    Finalization frees every object of the run one at a time: about 60 ms after a cold
    build of the bundled project, a tenth of the build. When ``main`` is done, erdgen has
    written and closed its files; so the ``atexit`` handlers run (a throwaway PostgreSQL
    cluster is stopped there), the standard streams are flushed and the process exits
    with ``main``'s code, as mypy's command line does (``mypy.util.hard_exit``). While a
    thread that is not a daemon still runs, or the code is not a number, Python exits as
    usual.

    The cycle collector's youngest generation waits for 100,000 new objects instead of
    700, as mypy's build does (``gc.set_threshold(200 * 1000, 30, 30)``): start-up makes
    long-lived objects (modules, classes, sqlglot's tables), and walking them again and
    again cost a tenth of a cold build of the bundled project (about 50 ms in 164
    collections, which found 3,400 objects in cycles); a large build still collects its
    cycles, 100,000 objects apart.
    """
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    try:
        main()
    except SystemExit as done:
        code = 0 if done.code is None else done.code
        if not isinstance(code, int) or _threads_still_running():
            raise
    else:
        code = 0
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (``erdgen ... | head``)
        code = code or 1
    os._exit(code)


def _threads_still_running() -> bool:
    main_thread = threading.main_thread()
    return any(
        t.is_alive() and not t.daemon and t is not main_thread for t in threading.enumerate()
    )
