"""Finding a tool's migration files and putting them in the order it applies them."""

from __future__ import annotations

from pathlib import Path

from erdgen.layouts.base import Discovery
from erdgen.layouts.registry import LAYOUTS, discover
from erdgen.model import Migration


def discover_migrations(
    folder: Path, project_dir: Path | None = None, layout: str | None = None
) -> tuple[Migration, ...]:
    """Only the migrations of ``discover``, in the tool's order."""
    return discover(folder, project_dir, layout).migrations


__all__ = ["LAYOUTS", "Discovery", "discover", "discover_migrations"]
