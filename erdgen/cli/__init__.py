"""erdgen's command line (click): ``erdgen.cli:main`` is the console script.

Importing the command modules registers their commands on the ``main`` group.
"""

from erdgen.cli import ci_commands, schema_commands, site_commands
from erdgen.cli.base import main

__all__ = ["ci_commands", "main", "schema_commands", "site_commands"]
