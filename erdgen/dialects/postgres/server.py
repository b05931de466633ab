"""A PostgreSQL server to replay migrations into: a throwaway cluster, or one given by a URL.

The throwaway cluster follows what PostgreSQL's own test harness does (``pg_regress
--temp-instance``): ``initdb --no-sync`` into a temporary directory, started with
``listen_addresses=''`` so it listens on a Unix socket in that directory only, stopped
as ``pg_ctl -m immediate`` stops it (SIGQUIT) and removed afterwards. initdb's result is
kept as a template and copied on later uses (``template.py``: about 0.1 s instead of
0.6-1.7 s). initdb refuses to run as root ("cannot be run as root",
src/bin/initdb/initdb.c), so as root the cluster runs as the ``postgres`` system user (or
``nobody``) and its directory belongs to that user.

Each use gets a database of its own (``CREATE DATABASE`` from ``template0``, about
0.02-0.3 s), dropped when it is done. Every failure to get a server is a
``ServerUnavailableError`` whose message says how to get one; callers that only cross-check
report it once and go on.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from erdgen.dialects.postgres.template import copy_template, keep_as_template, template_path
from erdgen.errors import EngineUnavailableError

if TYPE_CHECKING:
    from psycopg import Connection as _Connection
    from psycopg.rows import TupleRow

    Connection = _Connection[TupleRow]

HOW_TO_GET_ONE = (
    "install PostgreSQL (Debian: apt-get install postgresql; ./dev does this) and the driver "
    "(pip install 'erdgen[postgres]'), or name a server with a postgresql:// URL"
)
# The user a cluster runs as when erdgen runs as root: initdb and postgres refuse root.
UNPRIVILEGED_USERS = ("postgres", "nobody")
START_TIMEOUT_S = 60
# A cluster's directory goes to memory when this much is free there (a fresh cluster is
# 39 MB, its WAL grows with the replay; Docker's default /dev/shm of 64 MB is too small).
RAM_DIRECTORY = Path("/dev/shm")
RAM_DIRECTORY_ROOM = 1 << 30
STOP_TIMEOUT_S = 60
INITDB_ARGUMENTS = ("--no-sync", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale", "C")
# What initdb reads from the environment (locale, time zone), fixed so that every cluster
# made with these arguments is the same and one template serves them all.
INITDB_ENVIRONMENT = {"LC_ALL": "C", "TZ": "UTC"}
# A throwaway server: no TCP, nothing made durable (its data is thrown away), no JIT.
SERVER_SETTINGS = (
    "listen_addresses=", "fsync=off", "full_page_writes=off", "synchronous_commit=off",
    "TimeZone=UTC", "jit=off",
)  # fmt: skip


class ServerUnavailableError(EngineUnavailableError):
    """No PostgreSQL server could be found or started; the message says why and how."""


class Server(Protocol):
    """Somewhere to create throwaway databases."""

    @property
    def version(self) -> str:
        """The server's version as ``SHOW server_version`` prints it, e.g. "15.18"."""
        ...

    def database(self) -> contextlib.AbstractContextManager[str]:
        """A new empty database for one use; yields its libpq connection string."""
        ...


def driver() -> None:
    """Check that psycopg 3 is importable (an optional dependency)."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise ServerUnavailableError(
            f"the PostgreSQL driver psycopg is missing; {HOW_TO_GET_ONE}"
        ) from error


def connect(conninfo: str, autocommit: bool = True) -> Connection:
    """A connection to ``conninfo``; ``ServerUnavailableError`` when it cannot be made."""
    driver()
    import psycopg

    try:
        return psycopg.connect(conninfo, autocommit=autocommit)
    except psycopg.OperationalError as error:
        raise ServerUnavailableError(f"cannot connect to PostgreSQL: {error}".strip()) from error


def find_bindir(bindir: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Looked for in this order: ``bindir`` when given (and then nowhere else), the
    directory of ``pg_ctl`` on PATH (symlinks resolved), ``pg_config --bindir``, and
    Debian's ``/usr/lib/postgresql/<major>/bin`` (the newest major first).
    """
    if bindir is not None:
        if _is_bindir(Path(bindir)):
            return Path(bindir)
        raise ServerUnavailableError(
            f"{bindir} holds no initdb, pg_ctl and postgres; {HOW_TO_GET_ONE}"
        )
    for candidate in _candidates():
        if _is_bindir(candidate):
            return candidate
    raise ServerUnavailableError(f"no PostgreSQL server programs found; {HOW_TO_GET_ONE}")


def _candidates() -> Iterator[Path]:
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        yield Path(pg_ctl).resolve().parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            yield Path(result.stdout.strip())
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    yield from sorted(debian, key=_major, reverse=True)


def _major(path: Path) -> int:
    match = re.fullmatch(r"\d+", path.parent.name)
    return int(match[0]) if match else 0


def _is_bindir(path: Path) -> bool:
    return all(os.access(path / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def _run_as() -> str | None:
    """The user to run the cluster as: None for the current one unless that is root."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_USERS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ServerUnavailableError(
        "running as root and no unprivileged user (postgres, nobody) exists"
    )


def cluster_parent(shm: Path = RAM_DIRECTORY) -> Path | None:
    """Where a throwaway cluster's directory goes: ``shm`` (``/dev/shm``, memory) when
    ``TMPDIR`` is not set and ``shm`` is a writable directory with ``RAM_DIRECTORY_ROOM``
    bytes free, else None (``tempfile``'s choice: ``TMPDIR``, then ``/tmp``).

    Why: the cluster is about 1,000 files that are written once and thrown away. On a
    disk file system their creation is slow after the previous build removed as many
    (ext4 skips inodes freed in the last 30 s); on tmpfs the small folder's cross-check
    took 0.08 s instead of 0.98 s (``benchmarks/results.md``). PostgreSQL's own test
    instances are commonly put on tmpfs for the same reason. A ``TMPDIR`` the user set
    is their choice and wins.
    """
    if os.environ.get("TMPDIR"):
        return None
    try:
        roomy = shutil.disk_usage(shm).free >= RAM_DIRECTORY_ROOM
    except OSError:
        return None
    return shm if roomy and os.access(shm, os.W_OK | os.X_OK) else None


@dataclass
class Cluster:
    """A throwaway cluster in a temporary directory, on a Unix socket only.

    Use as a context manager: ``with Cluster.start() as cluster: ...``; the cluster is
    stopped and its directory removed on exit, also after an error.
    """

    bindir: Path
    root: Path  # the temporary directory: data/, the socket, the log
    user: str | None  # the system user the server runs as (None: the current user)
    version: str = ""
    postmaster: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls, bindir: str | os.PathLike[str] | None = None, *, use_template: bool = True
    ) -> Cluster:
        """Make and start a new cluster, from the cached template unless ``use_template`` is
        False; ``ServerUnavailableError`` with the log on failure."""
        found, user = find_bindir(bindir), _run_as()  # either may refuse: no folder made yet
        root = Path(tempfile.mkdtemp(prefix="erdgen-pg-", dir=cluster_parent()))
        cluster = cls(found, root, user)
        try:
            cluster._make_data(use_template)
            cluster._start_postmaster()
            with connect(cluster.conninfo("postgres")) as connection:
                cluster.version = str(_one(connection, "SHOW server_version")).split()[0]
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def data(self) -> Path:
        return self.root / "data"

    def conninfo(self, dbname: str) -> str:
        return f"host={self.root} dbname={dbname} user=postgres"

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        with throwaway_database(self.conninfo("postgres")) as name:
            yield self.conninfo(name)

    def _make_data(self, use_template: bool) -> None:
        """The data directory: a copy of the template, else initdb's (then kept as one)."""
        if self.user is not None:
            shutil.chown(self.root, self.user)
        initdb = self.bindir / "initdb"
        owner = pwd.getpwnam(self.user).pw_uid if self.user is not None else os.geteuid()
        template = None
        if use_template:
            template = template_path(initdb, INITDB_ARGUMENTS, INITDB_ENVIRONMENT, owner)
        if template is not None and copy_template(template, self.data):
            return
        self._run([str(initdb), *INITDB_ARGUMENTS, "-D", str(self.data)], "initdb")
        if template is not None:
            keep_as_template(self.data, template)

    def _start_postmaster(self) -> None:
        """Start the server and wait until it accepts connections, as ``pg_ctl -w start``
        does: until ``postmaster.pid``'s status line says "ready" (polled every 5 ms where
        pg_ctl polls every 100 ms). pg_ctl's own start adds nothing else a throwaway cluster
        needs: a shell that runs postgres detached, its output appended to the log."""
        settings = [f"unix_socket_directories={self.root}", *SERVER_SETTINGS]
        command = [str(self.bindir / "postgres"), "-D", str(self.data)]
        command += [argument for setting in settings for argument in ("-c", setting)]
        with self.log.open("ab") as log:
            self.postmaster = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                user=self.user, cwd=self.root, env=self._environment(), start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._ready():
            if self.postmaster.poll() is not None or time.monotonic() > deadline:
                raise ServerUnavailableError(
                    f"postgres did not start ({self.bindir})\n{self._log()}"
                )
            time.sleep(0.005)

    def _ready(self) -> bool:
        try:
            lines = (self.data / "postmaster.pid").read_text().splitlines()
        except OSError:
            return False
        # src/include/utils/pidfile.h: line 1 the pid, line 8 the status (PM_STATUS_READY)
        started = self.postmaster is not None and lines[:1] == [str(self.postmaster.pid)]
        return started and len(lines) >= 8 and lines[7].strip() == "ready"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def _run(self, command: list[str], what: str) -> None:
        result = subprocess.run(
            command, capture_output=True, text=True, user=self.user, cwd=self.root,
            env=self._environment(),
        )  # fmt: skip
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()
            raise ServerUnavailableError(f"{what} failed ({self.bindir}): {detail}\n{self._log()}")

    def _environment(self) -> dict[str, str]:
        return {**os.environ, **INITDB_ENVIRONMENT}

    def _log(self) -> str:
        """The end of the server's log, for an error message."""
        return self.log.read_text(errors="replace")[-2000:].strip() if self.log.exists() else ""

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and remove the directory.

        As ``pg_ctl -m immediate -w stop`` does: SIGQUIT to the postmaster, then wait for it
        to exit (its last act removes ``postmaster.pid``), so that nothing writes into the
        directory while it is removed.
        """
        if self.postmaster is not None and self.postmaster.poll() is None:
            self.postmaster.send_signal(signal.SIGQUIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.postmaster.wait(STOP_TIMEOUT_S)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class ExistingServer:
    """A server given by a libpq URL or connection string; only throwaway databases are made."""

    url: str
    version: str = ""

    def __post_init__(self) -> None:
        with connect(self.url) as connection:
            self.version = str(_one(connection, "SHOW server_version")).split()[0]

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        import psycopg.conninfo

        with throwaway_database(self.url) as name:
            yield psycopg.conninfo.make_conninfo(self.url, dbname=name)


@contextlib.contextmanager
def throwaway_database(admin_conninfo: str) -> Iterator[str]:
    """Create ``erdgen_<random>`` from template0 (UTF8, C collation), drop it afterwards."""
    name = f"erdgen_{secrets.token_hex(6)}"
    with connect(admin_conninfo) as admin:
        admin.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    try:
        yield name
    finally:
        with connect(admin_conninfo) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server(url: str | None = None, bindir: str | os.PathLike[str] | None = None) -> Server:
    """The server named by ``url``, or else a new throwaway cluster (stop it when done)."""
    return ExistingServer(url) if url else Cluster.start(bindir)


_STARTED: dict[tuple[str | None, str | None], Server] = {}


def process_server() -> Server:
    """The server erdgen uses in this process: the one ``ERDGEN_PG_URL`` names, else a
    throwaway cluster (programs from ``ERDGEN_PG_BINDIR`` or found) started at first use
    and stopped when the process exits. The reader's judge and the cross-check share it,
    a database each (a cluster takes seconds to start, a database a fraction of one)."""
    url, bindir = os.environ.get("ERDGEN_PG_URL"), os.environ.get("ERDGEN_PG_BINDIR")
    found = _STARTED.get((url, bindir))
    if found is None:
        found = server(url, bindir)
        stop = getattr(found, "stop", None)
        if stop is not None:
            atexit.register(stop)
        _STARTED[(url, bindir)] = found
    return found


def _one(connection: Connection, query: str) -> object:
    row = connection.execute(query).fetchone()
    assert row is not None
    return row[0]
