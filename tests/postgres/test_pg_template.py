"""The cluster template: initdb once, a copy per cluster, never a damaged one, and the
cross-check's answer (as ``build`` runs it) the same as on a cluster of its own initdb.

A cluster copied from a template carries the template's system identifier (initdb draws
it from the clock and its pid, ``pg_control_system()`` shows it): equal identifiers say
that no initdb ran, a new one that initdb ran.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_order import CORPUS, EXPECTED

from erdgen.core.compare import VerifyReport, verify_final
from erdgen.core.history import load_history
from erdgen.dialects.postgres.server import Cluster, ServerUnavailableError, connect
from erdgen.dialects.postgres.template import CACHE_ENV


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of this test's; its templates are in ``postgres/``."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "postgres"


def start(use_template: bool = True) -> Cluster:
    try:
        return Cluster.start(use_template=use_template)
    except ServerUnavailableError as error:
        pytest.skip(error.message)


def system_identifier(cluster: Cluster) -> int:
    with connect(cluster.conninfo("postgres")) as connection:
        row = connection.execute("SELECT system_identifier FROM pg_control_system()").fetchone()
    assert row is not None
    return int(row[0])


def the_template(cache: Path) -> Path:
    found = [entry for entry in cache.iterdir() if not entry.name.startswith(".")]
    assert len(found) == 1, found
    return found[0]


def test_the_first_cluster_makes_the_template_and_the_next_copy_it(cache: Path) -> None:
    with start() as first:
        made = system_identifier(first)
    template = the_template(cache)
    stamp = (template.stat().st_ino, template.stat().st_mtime_ns)
    with start() as second, start() as third:
        assert system_identifier(second) == system_identifier(third) == made
        assert second.data.stat().st_mode & 0o777 == 0o700  # PostgreSQL refuses more
        assert second.data.stat().st_uid == template.stat().st_uid
    assert (template.stat().st_ino, template.stat().st_mtime_ns) == stamp
    assert not first.root.exists() and not second.root.exists()
    assert [entry.name for entry in cache.iterdir()] == [template.name]  # no staging left


def test_a_cluster_without_the_template_runs_initdb(cache: Path) -> None:
    with start() as first, start(use_template=False) as own:
        assert system_identifier(own) != system_identifier(first)


@pytest.mark.parametrize("damage", ["PG_VERSION", "global/pg_control"])
def test_a_damaged_template_is_replaced_not_used(cache: Path, damage: str) -> None:
    with start() as first:
        damaged = system_identifier(first)
    (the_template(cache) / damage).unlink()
    with start() as second:
        made = system_identifier(second)
        assert made != damaged
    assert (the_template(cache) / damage).is_file()
    with start() as third:
        assert system_identifier(third) == made


def test_an_unwritable_cache_falls_back_to_initdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache path below a file cannot be made, even by root: each cluster runs initdb."""
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "a-file" / "cache"))
    with start() as first, start() as second:
        assert system_identifier(first) != system_identifier(second)
        with second.database() as conninfo, connect(conninfo) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)


def test_clusters_started_at_once_leave_one_complete_template(cache: Path) -> None:
    clusters: list[Cluster] = []
    starters = [threading.Thread(target=lambda: clusters.append(start())) for _ in range(3)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join()
    try:
        assert len(clusters) == 3
        made = {system_identifier(cluster) for cluster in clusters}
    finally:
        for cluster in clusters:
            cluster.stop()
    template = the_template(cache)
    assert [entry.name for entry in cache.iterdir()] == [template.name]
    with start() as later:  # a copy of the one that was published first
        assert system_identifier(later) in made


@pytest.fixture(scope="module")
def two_clusters() -> Iterator[tuple[Cluster, Cluster]]:
    """A cluster copied from the session's template and one of its own initdb."""
    with start() as first, start(use_template=False) as own, start() as copied:
        assert system_identifier(first) == system_identifier(copied)
        assert system_identifier(own) != system_identifier(copied)
        yield copied, own


def verify_on(cluster: Cluster, name: str, monkeypatch: pytest.MonkeyPatch) -> VerifyReport:
    monkeypatch.setenv("ERDGEN_PG_URL", cluster.conninfo("postgres"))
    return verify_final(load_history(CORPUS / name, CORPUS / name))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_cross_check_on_a_template_copy_equals_the_one_after_initdb(
    name: str, two_clusters: tuple[Cluster, Cluster], monkeypatch: pytest.MonkeyPatch
) -> None:
    copied, own = two_clusters
    on_copy, on_own = verify_on(copied, name, monkeypatch), verify_on(own, name, monkeypatch)
    assert on_copy.schema == on_own.schema  # PostgreSQL's catalog after the last migration
    assert list(on_copy.lines()) == list(on_own.lines())
    assert on_copy.summary() == on_own.summary()
