"""``python -m erdgen.cli``: the same as the ``erdgen`` console script."""

from erdgen.cli import run

run()
