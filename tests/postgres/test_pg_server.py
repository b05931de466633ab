"""The throwaway server: found, started unprivileged on a socket only, removed after."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from erdgen.dialects.postgres.server import (
    Cluster,
    Server,
    ServerUnavailableError,
    _major,
    cluster_parent,
    connect,
    find_bindir,
)

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


def test_a_database_per_test_is_new_and_empty(pg: Connection) -> None:
    tables = pg.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert tables == (0,)
    pg.execute("CREATE TABLE t (id integer)")


def test_databases_of_one_server_do_not_share_tables(pg_server: Server) -> None:
    with pg_server.database() as first, pg_server.database() as second:
        assert first != second
        with connect(first) as a, connect(second) as b:
            a.execute("CREATE TABLE only_here (id integer)")
            found = b.execute("SELECT to_regclass('only_here') IS NULL").fetchone()
    assert found == (True,)


def test_a_throwaway_database_is_dropped_after_use(pg_server: Server) -> None:
    with pg_server.database() as conninfo:
        name = conninfo.split("dbname=")[1].split()[0]
    with pg_server.database() as other, connect(other) as connection:
        left = connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        assert left.fetchone() == (0,)


def test_the_cluster_listens_on_a_unix_socket_only(
    pg: Connection,
) -> None:
    assert pg.execute("SHOW listen_addresses").fetchone() == ("",)
    assert pg.info.host.startswith("/")


def test_the_cluster_runs_unprivileged(pg: Connection) -> None:
    row = pg.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    owner = Path(f"/proc/{row[0]}").stat().st_uid
    assert owner != 0 or os.geteuid() != 0


@pytest.mark.slow
def test_a_cluster_is_removed_after_it_stops() -> None:
    try:
        started = time.perf_counter()
        cluster = Cluster.start()
    except ServerUnavailableError as error:
        pytest.skip(error.message)
    with cluster:
        assert (cluster.data / "PG_VERSION").exists()
        elapsed = time.perf_counter() - started
        assert cluster.version[:2].isdigit()
    assert not cluster.root.exists()
    assert elapsed < 30


def test_a_cluster_lives_in_memory_when_there_is_room_and_no_tmpdir_was_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMPDIR", raising=False)
    assert cluster_parent(tmp_path) == tmp_path
    assert cluster_parent(tmp_path / "missing") is None
    monkeypatch.setattr("erdgen.dialects.postgres.server.RAM_DIRECTORY_ROOM", 1 << 62)
    assert cluster_parent(tmp_path) is None  # too little room: the disk's temporary folder


def test_a_tmpdir_the_user_set_wins_over_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = Path(tempfile.mkdtemp(prefix="erdgen-test-tmpdir-"))
    chosen.chmod(0o755)  # as root the cluster runs as another user, who must reach it
    try:
        monkeypatch.setenv("TMPDIR", str(chosen))
        assert cluster_parent(chosen / "elsewhere") is None
        monkeypatch.setattr("tempfile.tempdir", None)  # tempfile caches its first choice
        try:
            cluster = Cluster.start()
        except ServerUnavailableError as error:
            pytest.skip(error.message)
        with cluster:
            assert cluster.root.parent == chosen
    finally:
        shutil.rmtree(chosen)


def test_a_named_directory_without_server_programs_says_so(tmp_path: Path) -> None:
    with pytest.raises(ServerUnavailableError, match="holds no initdb, pg_ctl and postgres"):
        find_bindir(tmp_path)


def test_a_cluster_that_cannot_start_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "tmp"
    chosen.mkdir()
    monkeypatch.setenv("TMPDIR", str(chosen))  # where the cluster's folder would go
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    with pytest.raises(ServerUnavailableError, match="holds no initdb"):
        Cluster.start(tmp_path)  # no server programs there
    assert list(chosen.iterdir()) == []


def test_a_server_that_cannot_be_reached_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(ServerUnavailableError, match="cannot connect to PostgreSQL"):
        connect(f"host={tmp_path} dbname=postgres user=postgres connect_timeout=2")


def test_debians_server_folders_are_tried_newest_first(tmp_path: Path) -> None:
    """Debian puts each major version's programs in /usr/lib/postgresql/<major>/bin, and a
    machine may hold several; no pg_ctl on PATH is needed to find them."""
    folders = [tmp_path / major / "bin" for major in ("9", "15", "13", "x")]
    assert sorted(folders, key=_major, reverse=True)[:3] == [folders[1], folders[2], folders[0]]
