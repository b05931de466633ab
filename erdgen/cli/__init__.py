"""erdgen's command line (click): ``erdgen.cli:run`` is the console script.

The command modules register their commands on the ``main`` group; ``main`` imports a
command's module when the command is asked for (``base.COMMAND_MODULES``), so that a
command loads only what it uses.
"""

import atexit
import os
import sys
import threading

from erdgen.cli.base import main

__all__ = ["main", "run"]


def run() -> None:
    """The console script: ``main``, then the process ends without Python's finalization.

    Finalization frees every object of the run one at a time: about 60 ms after a cold
    build of the bundled project, a tenth of the build. When ``main`` is done, erdgen has
    written and closed its files; so the ``atexit`` handlers run (a throwaway PostgreSQL
    cluster is stopped there), the standard streams are flushed and the process exits
    with ``main``'s code, as mypy's command line does (``mypy.util.hard_exit``). While a
    thread that is not a daemon still runs, or the code is not a number, Python exits as
    usual.
    """
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
