"""The docs-drift rule: generated pages and diagrams that differ from what erdgen would
generate now (``erdgen build --check`` as a finding of ``erdgen check``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from erdgen.config import Config
from erdgen.errors import Location, Severity
from erdgen.rules.registry import Report, Subject, project_rule


@project_rule(
    "docs-stale", Severity.ERROR, "generated pages or diagrams are out of date",
    silenceable=False,
)  # fmt: skip
def docs_stale(subject: Subject) -> Iterator[Report]:
    """One finding per generated file that differs from what erdgen would generate now."""
    config = subject.config
    if config is None:
        return
    from erdgen.site.build import check_stale  # renders diagrams: import only when needed

    output = PurePosixPath(config.docs_dir, config.output_dir)
    for path in sorted((output / path).as_posix() for path in check_stale(config)):
        yield Report(
            Location(path, 1),
            f"{path} is {_staleness(config, path)}: run `erdgen build` and commit the result",
        )


def _staleness(config: Config, path: str) -> str:
    if not (config.project_dir / path).exists():
        return "missing"
    return "out of date with the migrations"
