"""A throw-away PostgreSQL server for the store's tests: Debian's ``postgresql`` package,
started once per session on loopback with its socket in a temp folder.

PostgreSQL refuses to run as root; when the suite runs as root (as CI does), ``initdb``
and ``pg_ctl`` run as the ``postgres`` user the Debian package creates (``runuser``),
in a folder handed to that user. The server trusts loopback connections of its one
role (``initdb -U kcm --auth=trust``), and is tuned for tests only (no fsync).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import psycopg

ROLE = "kcm"
SHARED = "tests"
"""The database that holds the tests' schemas (:meth:`PgServer.new_schema`)."""
SERVER_USER = "postgres"
"""Who runs the server when the suite runs as root (Debian's package creates it)."""
_NUMBERS = count(1)
INITDB_OPTIONS = ("--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N")


def binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` with ``initdb``, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class PgServer:
    """A running server: its port and its folder (data, socket, log)."""

    port: int
    folder: Path
    bin: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database of its own; its URL. About 8 MB of files: for the
        tests that need a whole database (backups, the catalogue race)."""
        name = f"t{os.getpid()}_{next(_NUMBERS)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def new_schema(self) -> str:
        """A fresh empty schema in the shared database :data:`SHARED`, as a URL whose
        ``search_path`` is that schema: what the store sees as an empty database, at the
        cost of a catalogue row instead of a database's files."""
        name = f"t{os.getpid()}_{next(_NUMBERS)}"
        with psycopg.connect(self.url(SHARED), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return f"{self.url(SHARED)}?options=-csearch_path%3D{name}"


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running_server() -> Iterator[PgServer]:
    """Start a server (initdb + pg_ctl start) and stop and remove it afterwards."""
    bin_dir = binaries()
    if bin_dir is None:
        msg = "PostgreSQL is not installed: apt-get install postgresql (scripts/test.sh does)"
        raise RuntimeError(msg)
    folder = Path(tempfile.mkdtemp(prefix="kcm-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        os.chown(folder, user.pw_uid, user.pw_gid)
    data, port = folder / "data", _free_port()
    run = _as_server_user
    subprocess.run(
        run([str(bin_dir / "initdb"), "-D", str(data), "-U", ROLE, *INITDB_OPTIONS]),
        check=True,
        capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        server = PgServer(port, folder, bin_dir)
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {SHARED}")
        yield server
    finally:
        subprocess.run(
            run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def nobody_listening() -> str:
    """The URL of a server that is down: a loopback port nothing listens on."""
    return f"postgresql://{ROLE}@127.0.0.1:{_free_port()}/kotor"
