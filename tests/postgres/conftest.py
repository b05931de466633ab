"""One throwaway PostgreSQL cluster per test session, one database per test.

``ERDGEN_PG_URL`` names an existing server instead (only throwaway databases are made
there); ``ERDGEN_PG_BINDIR`` names the server programs. Without any server the tests
that need one are skipped with one reason saying how to get one. The cluster is made as
erdgen makes its own (``Cluster.start``: a copy of the cluster template, here in the test
session's cache directory, see ``tests/conftest.py``), so the tests run that code path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from erdgen.dialects.postgres.server import Server, ServerUnavailableError, connect, server

if TYPE_CHECKING:
    from erdgen.dialects.postgres.server import Connection


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    try:
        found = server(os.environ.get("ERDGEN_PG_URL"), os.environ.get("ERDGEN_PG_BINDIR"))
    except ServerUnavailableError as error:
        pytest.skip(f"no PostgreSQL to test against: {error.message}")
    try:
        yield found
    finally:
        stop = getattr(found, "stop", None)
        if stop is not None:
            stop()


@pytest.fixture
def pg_conninfo(pg_server: Server) -> Iterator[str]:
    """The connection string of a new empty database, dropped after the test."""
    with pg_server.database() as conninfo:
        yield conninfo


@pytest.fixture
def pg(pg_conninfo: str) -> Iterator[Connection]:
    """An autocommit connection to a new empty database."""
    with connect(pg_conninfo) as connection:
        yield connection
