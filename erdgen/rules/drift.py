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
    from erdgen.site.write import foreign_file, read_manifest

    output = PurePosixPath(config.docs_dir, config.output_dir)
    owned = read_manifest(config.output_path)
    for stale in sorted(check_stale(config)):
        path = (output / stale).as_posix()
        # a file edited by hand: `erdgen build` refuses it, so say what it says
        refused = foreign_file(config.output_path, stale, owned, config.descriptions_file)
        yield Report(
            Location(path, 1),
            refused
            or f"{path} is {_staleness(config, path)}: run `erdgen build` and commit the result",
        )


def _staleness(config: Config, path: str) -> str:
    if not (config.project_dir / path).exists():
        return "missing"
    return "out of date with the migrations"
