"""Laying diagrams out with Graphviz: cached, in batches that share one ``dot`` process,
several at a time, while the caller renders pages."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from erdgen import __version__
from erdgen.config import Config
from erdgen.render.fk_graph import Diagram
from erdgen.render.graphviz import (
    PROCESSING_VERSION,
    DotBatch,
    embeddable_svg,
    graphviz_version,
)
from erdgen.site.cache import Entries

Progress = Callable[[int, int], None]  # (diagrams done, diagrams in all)


# Diagrams share one ``dot`` process (``DotBatch``) up to this much DOT text. A
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
    cache: Entries | None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Key -> embeddable SVG: ``Layouts(...).result()``; new entries are put in ``cache``
    (its owner saves them)."""
    with Layouts(diagrams, config, cache, progress) as layouts:
        return layouts.result()


class Layouts:
    """Diagrams being laid out by Graphviz while the caller does other work.

    The cache is read and the first ``config.jobs`` batches of the rest are handed to
    ``dot`` on the caller's thread, at once; ``config.jobs`` threads start the other
    batches as those finish. ``result`` waits and returns key -> embeddable SVG; the
    Graphviz output is processed and cached there, on the caller's thread (threads that
    touch the file system while another renders pages would wait for the GIL at every
    call). With a cache, an unchanged diagram costs one read of it: the cache holds the
    processed SVG, so neither Graphviz nor the post-processing runs again. ``progress``
    hears how many diagrams are done after the cache was read and after every batch.
    Used as a context manager, leaving waits for every ``dot`` started.
    """

    def __init__(
        self,
        diagrams: Sequence[Diagram],
        config: Config,
        cache: Entries | None,
        progress: Progress | None = None,
    ) -> None:
        self.diagrams, self.cache, self.progress = tuple(diagrams), cache, progress
        self.svgs = [processed_from_cache(diagram, cache) for diagram in diagrams]
        missing = [n for n, svg in enumerate(self.svgs) if svg is None]
        self.done = len(diagrams) - len(missing)
        if progress is not None and self.done:
            progress(self.done, len(diagrams))
        timeout, jobs = config.layout_timeout, max(1, config.jobs)
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="erdgen-dot")
        self._batches: dict[Future[list[Laid]], list[int]] = {}
        for number, batch in enumerate(layout_batches(diagrams, missing, jobs)):
            wanted = [self.diagrams[n] for n in batch]
            started = start_batch(wanted, cache) if number < jobs else None
            future = self._pool.submit(finish_batch, wanted, started, timeout, cache)
            self._batches[future] = batch

    def result(self) -> dict[str, str]:
        for future in as_completed(self._batches):
            batch = self._batches[future]
            for n, laid in zip(batch, future.result(), strict=True):
                self.svgs[n] = self._processed(self.diagrams[n], *laid)
            self.done += len(batch)
            if self.progress is not None:
                self.progress(self.done, len(self.diagrams))
        self._batches = {}
        pairs = zip(self.diagrams, self.svgs, strict=True)
        return {diagram.key: svg or "" for diagram, svg in pairs}

    def _processed(self, diagram: Diagram, raw: bytes, fresh: bool) -> str:
        """The embeddable SVG of Graphviz's output, both kept in the cache."""
        if fresh and self.cache is not None:
            self.cache.put(cache_key(diagram.dot), raw)
        svg = embeddable_svg(raw, diagram.key, diagram.title)
        if self.cache is not None:
            self.cache.put(embeddable_cache_key(diagram), svg.encode())
        return svg

    def __enter__(self) -> Layouts:
        return self

    def __exit__(self, *_exception: object) -> None:
        self._pool.shutdown(wait=True)


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


# A batch being laid out: Graphviz's output of each diagram that the raw cache holds, and
# the ``dot`` laying out the others.
Started = tuple[list[bytes | None], DotBatch | None]
# Graphviz's output of a diagram, and whether it is new (not from the cache).
Laid = tuple[bytes, bool]


def start_batch(batch: Sequence[Diagram], cache: Entries | None) -> Started:
    """Starts ``dot`` for the diagrams of ``batch`` whose Graphviz output is not cached."""
    cached = [raw_from_cache(diagram, cache) for diagram in batch]
    missing = [diagram for diagram, raw in zip(batch, cached, strict=True) if raw is None]
    if not missing:
        return cached, None
    return cached, DotBatch([d.dot for d in missing], [d.key for d in missing])


def finish_batch(
    batch: Sequence[Diagram], started: Started | None, timeout: float, cache: Entries | None
) -> list[Laid]:
    """Graphviz's output of each diagram of ``batch``, from the cache or from ``dot``."""
    cached, run = started if started is not None else start_batch(batch, cache)
    fresh = iter(run.result(timeout) if run is not None else [])
    return [(next(fresh), True) if raw is None else (raw, False) for raw in cached]


def cache_key(dot: str) -> str:
    """Key of Graphviz's raw output for a DOT text."""
    material = "\0".join((dot, graphviz_version(), __version__))
    return "svg/" + hashlib.sha256(material.encode()).hexdigest()


def embeddable_cache_key(diagram: Diagram) -> str:
    """Key of the processed SVG: it also depends on the diagram's key (id prefixes), its
    title and the post-processing code."""
    parts = (diagram.dot, diagram.key, diagram.title)
    material = "\0".join((*parts, graphviz_version(), __version__, PROCESSING_VERSION))
    return "embeddable-svg/" + hashlib.sha256(material.encode()).hexdigest()


def processed_from_cache(diagram: Diagram, cache: Entries | None) -> str | None:
    """The embeddable SVG of a diagram processed before, if the cache has it."""
    data = None if cache is None else cache.get(embeddable_cache_key(diagram))
    return None if data is None else data.decode("utf-8")


def raw_from_cache(diagram: Diagram, cache: Entries | None) -> bytes | None:
    """Graphviz's SVG of the same DOT laid out before (a diagram that only changed its key
    or title is not laid out again)."""
    return None if cache is None else cache.get(cache_key(diagram.dot))
