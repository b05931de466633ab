"""erdgen's command line (click): ``erdgen.cli:main`` is the console script.

The command modules register their commands on the ``main`` group; ``main`` imports a
command's module when the command is asked for (``base.COMMAND_MODULES``), so that a
command loads only what it uses.
"""

from erdgen.cli.base import main

__all__ = ["main"]
