"""Laying diagrams out with Graphviz: cached, in batches that share one ``dot`` process,
on several threads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from erdgen import __version__
from erdgen.config import Config
from erdgen.render.fk_graph import Diagram
from erdgen.render.graphviz import (
    PROCESSING_VERSION,
    embeddable_svg,
    graphviz_version,
    run_dot_batch,
)
from erdgen.site.cache import read_entry, write_atomically

Progress = Callable[[int, int], None]  # (diagrams done, diagrams in all)


# Diagrams share one ``dot`` process (``run_dot_batch``) up to this much DOT text. A
# migration diagram's DOT is about 30 kB and takes ~5 ms to lay out, a third of ``dot``'s
# start-up: sharing pays up to a few hundred kB.
BATCH_DOT_CHARS = 400_000
# Batches per thread at least, so that the threads finish at about the same time.
BATCHES_PER_JOB = 4
# ... but not smaller than this, unless one batch per thread is smaller: ``dot`` starts in
# about 15 ms CPU, the layout of 70 kB of DOT. The bundled project (23 diagrams, 250 kB)
# took 0.25 s CPU in Graphviz as 10 batches of 31 kB and 0.09 s as two.
MIN_BATCH_DOT_CHARS = 200_000


def render_svgs(
    diagrams: Sequence[Diagram],
    config: Config,
    cache_dir: Path | None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Key -> embeddable SVG, laid out on ``config.jobs`` threads (each runs a ``dot``).

    With a cache, an unchanged diagram costs one file read: the cache holds the
    processed SVG, so neither Graphviz nor the post-processing runs again. The others
    are laid out in batches. ``progress`` hears how many diagrams are done after the cache
    was read and after every batch (the long part of a large build).
    """
    svgs = [processed_from_cache(diagram, cache_dir) for diagram in diagrams]
    missing = [n for n, svg in enumerate(svgs) if svg is None]
    done = len(diagrams) - len(missing)
    if progress is not None and done:
        progress(done, len(diagrams))
    with ThreadPoolExecutor(max_workers=max(1, config.jobs)) as pool:
        futures = {
            pool.submit(
                render_batch, [diagrams[n] for n in batch], config.layout_timeout, cache_dir
            ): batch
            for batch in layout_batches(diagrams, missing, config.jobs)
        }
        for future in as_completed(futures):
            for n, svg in zip(futures[future], future.result(), strict=True):
                svgs[n] = svg
            done += len(futures[future])
            if progress is not None:
                progress(done, len(diagrams))
    return {diagram.key: svg or "" for diagram, svg in zip(diagrams, svgs, strict=True)}


def layout_batches(
    diagrams: Sequence[Diagram], wanted: Sequence[int], jobs: int
) -> list[list[int]]:
    """``wanted`` (indexes into ``diagrams``) in runs of consecutive small diagrams.

    Batches stay small enough that every thread gets several, so none waits idle at
    the end while another still works through a long batch, and large enough that
    starting ``dot`` does not cost more than the layouts (``MIN_BATCH_DOT_CHARS``).
    """
    total, jobs = sum(len(diagrams[n].dot) for n in wanted), max(1, jobs)
    per_thread = -(-total // jobs)
    limit = max(total // (jobs * BATCHES_PER_JOB), min(per_thread, MIN_BATCH_DOT_CHARS))
    limit = max(1, min(BATCH_DOT_CHARS, limit))
    batches: list[list[int]] = []
    size = limit
    for n in wanted:
        length = len(diagrams[n].dot)
        # a batch is full once it holds its share; it never grows past BATCH_DOT_CHARS
        if size >= limit or size + length > BATCH_DOT_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(n)
        size += length
    return batches


def render_batch(batch: Sequence[Diagram], timeout: float, cache_dir: Path | None) -> list[str]:
    """Embeddable SVGs of diagrams missing from the processed cache, written to it."""
    svgs = []
    for diagram, raw in zip(batch, laid_out(batch, timeout, cache_dir), strict=True):
        svg = embeddable_svg(raw, diagram.key, diagram.title)
        if cache_dir is not None:
            path = cache_dir / f"{embeddable_cache_key(diagram)}.svg.html"
            write_atomically(path, svg.encode())
        svgs.append(svg)
    return svgs


def laid_out(batch: Sequence[Diagram], timeout: float, cache_dir: Path | None) -> list[bytes]:
    """Graphviz's SVG of each diagram: from the cache, or from one ``dot`` for the rest."""
    cached = [raw_from_cache(diagram, cache_dir) for diagram in batch]
    missing = [diagram for diagram, svg in zip(batch, cached, strict=True) if svg is None]
    fresh = iter(
        run_dot_batch([d.dot for d in missing], timeout, [d.key for d in missing])
        if missing
        else []
    )
    svgs = []
    for diagram, svg in zip(batch, cached, strict=True):
        if svg is None:
            svg = next(fresh)
            if cache_dir is not None:
                write_atomically(cache_dir / f"{cache_key(diagram.dot)}.svg", svg)
        svgs.append(svg)
    return svgs


def cache_key(dot: str) -> str:
    """Key of Graphviz's raw output for a DOT text."""
    material = "\0".join((dot, graphviz_version(), __version__))
    return hashlib.sha256(material.encode()).hexdigest()


def embeddable_cache_key(diagram: Diagram) -> str:
    """Key of the processed SVG: it also depends on the diagram's key (id prefixes), its
    title and the post-processing code."""
    parts = (diagram.dot, diagram.key, diagram.title)
    material = "\0".join((*parts, graphviz_version(), __version__, PROCESSING_VERSION))
    return hashlib.sha256(material.encode()).hexdigest()


def processed_from_cache(diagram: Diagram, cache_dir: Path | None) -> str | None:
    """The embeddable SVG of a diagram processed before, if the cache has it."""
    if cache_dir is None:
        return None
    path = cache_dir / f"{embeddable_cache_key(diagram)}.svg.html"
    data = read_entry(path)
    return None if data is None else data.decode("utf-8")


def raw_from_cache(diagram: Diagram, cache_dir: Path | None) -> bytes | None:
    """Graphviz's SVG of the same DOT laid out before (a diagram that only changed its key
    or title is not laid out again)."""
    if cache_dir is None:
        return None
    path = cache_dir / f"{cache_key(diagram.dot)}.svg"
    return read_entry(path)
