"""The members' database: usage counts and suggested updates, in SQLite or PostgreSQL.

Why SQLite by default: it is embedded (nothing to run beside the app), one file the
coordinator can copy or back up, and safe for several writers (the Streamlit server's
threads, the CLI) with WAL mode and a busy timeout. Why PostgreSQL as well: two or more
app replicas behind one proxy must share one database, which a file on one host cannot
be. Visitor data never goes here: no IP address, no cookie, no session id — only
per-venue counts per day (:mod:`mapping.usage`) and what members typed into the
suggestion forms (:mod:`mapping.submissions`), with a salted hash of the sender's client
key kept for the hour the limits count it.

Where the database is (:func:`database_path`), first match wins:

1. the environment variable :data:`DB_ENV_VAR` (``CREATIVE_MAP_DB``);
2. ``[members] database`` in ``city.toml`` (a relative path: to the data folder);
3. ``var/<town>.sqlite`` beside the repository's ``data/`` — outside the data folder,
   so the reviewed data files never mix with what the app collects.

A value starting with ``postgresql://`` or ``postgres://`` is a PostgreSQL connection URL
(libpq's syntax), anything else a SQLite file. The password never goes into the URL of
``city.toml``: libpq reads it from ``PGPASSWORD`` or the password file ``PGPASSFILE``
(``~/.pgpass``), and every URL this module prints has its password masked.

This module is the one home of the dialect differences; :mod:`mapping.usage` and
:mod:`mapping.submissions.ledger` write their SQL once, in SQLite's syntax with ``?``
placeholders, through :class:`Connection`:

- placeholders: ``?`` (SQLite) / ``%s`` (PostgreSQL), translated by :class:`Connection`;
- a new row's id: ``INTEGER PRIMARY KEY AUTOINCREMENT`` / an identity column (:func:`ddl`);
- the write transaction: ``BEGIN IMMEDIATE`` / ``BEGIN`` and one advisory lock
  (:func:`transaction`);
- waiting for a lock: the busy timeout / ``lock_timeout``, both :data:`BUSY_TIMEOUT_S`;
- creating tables: ``executescript`` / inside a write transaction (no catalogue race);
- errors: :class:`sqlite3.Error` / :class:`ServerError`, a subclass of it (:data:`Error`).

Each module creates its own tables with ``CREATE TABLE IF NOT EXISTS`` on first use
(:meth:`Connection.create`), and writes inside :func:`transaction`, the one way a write
transaction is opened here.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from mapping.settings import REPO_DATA_DIR, CityProfile, data_dir, load_city
from mapping.text import slug

DB_ENV_VAR = "CREATIVE_MAP_DB"
DEFAULT_DIR = REPO_DATA_DIR.parent / "var"
BUSY_TIMEOUT_S = 5.0
"""The longest a writer waits for another one's lock, on either back-end."""
CONNECT_TIMEOUT_S = 3
"""The longest a connection to a PostgreSQL server may take (libpq's minimum is 2 s): a
server that is down must not hold a page."""
URL_SCHEMES = ("postgresql://", "postgres://")
WRITE_LOCK_KEY = 0x4B434D
"""The PostgreSQL advisory lock every write transaction takes ("KCM"): one writer at a
time, as SQLite's ``BEGIN IMMEDIATE`` gives, so a count-then-insert cannot be raced."""
SQLITE, POSTGRESQL = "sqlite", "postgresql"

Error = sqlite3.Error
"""Every error of the members' database, on either back-end (:class:`ServerError` is
one): what a caller catches when the store is unusable."""


class ServerError(sqlite3.OperationalError):
    """PostgreSQL refused, dropped or timed out: raised as the embedded back-end's error
    family, so every caller (a page that must not fail, the CLI) handles both alike."""


@dataclass(frozen=True)
class Server:
    """A PostgreSQL database, by its libpq connection URL."""

    url: str

    def __str__(self) -> str:
        """The URL with any password masked: safe for logs and messages."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


Location = Path | Server
"""Where a members' database is: a SQLite file or a PostgreSQL server's database."""
Where = str | os.PathLike[str] | Server
"""What callers may pass: a :data:`Location`, a path or a URL as text."""


def locate(where: Where) -> Location:
    """A :data:`Location` from a path, a URL or a location."""
    if isinstance(where, Server):
        return where
    text = os.fspath(where)
    return Server(text) if text.startswith(URL_SCHEMES) else Path(text)


def database_path(
    city: CityProfile, folder: str | os.PathLike[str], db: Where | None = None
) -> Location:
    """This town's members' database (see the module docstring for the order); ``db``
    when given (a caller's own, e.g. a test's)."""
    if db is not None:
        return locate(db)
    configured = os.environ.get(DB_ENV_VAR) or city.members_database
    if configured:
        if configured.startswith(URL_SCHEMES):
            return Server(configured)
        path = Path(configured).expanduser()
        return path if path.is_absolute() else Path(folder) / path
    return DEFAULT_DIR / f"{slug(city.name, 'town')}.sqlite"


def database_of(folder: str | os.PathLike[str] | None, db: Where | None = None) -> Location:
    """``db`` when given, else the members' database of the data folder ``folder`` (its
    ``city.toml`` may name it): what the CLI's commands open."""
    root = data_dir(folder)
    return database_path(load_city(root / "city.toml"), root, db)


def key_of(where: Where) -> str:
    """One text per database (a SQLite file's absolute path, a server's URL)."""
    found = locate(where)
    return found.url if isinstance(found, Server) else os.path.abspath(found)


class Connection:
    """One connection to either back-end, taking SQL in SQLite's syntax (``?``).

    One connection per thread and per task: opened, used and closed, never shared. The
    SQL holds no literal ``?`` (every ``?`` is a placeholder; values are parameters).
    """

    def __init__(self, raw: sqlite3.Connection | psycopg.Connection[Any]) -> None:
        self.raw = raw
        self.dialect = SQLITE if isinstance(raw, sqlite3.Connection) else POSTGRESQL

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == SQLITE else sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; the cursor (``fetchone``, ``fetchall``, iteration)."""
        with _translated():
            if isinstance(self.raw, sqlite3.Connection):
                return self.raw.execute(sql, tuple(params))
            if not params:  # no placeholders: sent as written (several statements allowed)
                return self.raw.execute(sql)
            return self.raw.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""
        with _translated():
            if isinstance(self.raw, sqlite3.Connection):
                self.raw.executemany(sql, rows)
            else:
                with self.raw.cursor() as cursor:
                    cursor.executemany(self._sql(sql), rows)

    def create(self, script: str) -> None:
        """Run a ``CREATE … IF NOT EXISTS`` script (SQLite's syntax, ``;``-separated).

        On PostgreSQL inside a write transaction: two sessions creating one table at the
        same moment would otherwise collide in the catalogue ("duplicate key").
        """
        if isinstance(self.raw, sqlite3.Connection):
            with _translated():
                self.raw.executescript(script)
            return
        with transaction(self):
            self.execute(ddl(script, POSTGRESQL))

    def tables(self) -> list[str]:
        """The names of the tables the database holds (the current schema's)."""
        if self.dialect == SQLITE:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        else:
            sql = (
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY table_name"
            )
        return [str(row[0]) for row in self.execute(sql).fetchall()]

    def columns(self, table: str) -> set[str]:
        """The column names of ``table`` (empty when it does not exist)."""
        if self.dialect == SQLITE:
            return {str(row[1]) for row in self.execute(f"PRAGMA table_info({table})")}
        sql = (
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?"
        )
        return {str(row[0]) for row in self.execute(sql, (table,)).fetchall()}

    def close(self) -> None:
        """Close the connection (a server connection's open transaction is rolled back)."""
        self.raw.close()


_DDL = {
    POSTGRESQL: (
        ("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
        (") WITHOUT ROWID", ")"),
    )
}


def ddl(script: str, dialect: str) -> str:
    """A ``CREATE`` script written for SQLite, in ``dialect``."""
    for sqlite_text, other in _DDL.get(dialect, ()):
        script = script.replace(sqlite_text, other)
    return script


@contextmanager
def _translated() -> Iterator[None]:
    """psycopg's errors as :class:`ServerError` (with the server's first line)."""
    try:
        yield
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ServerError(first) from exc


def connect(where: Where, *, create: bool = True) -> Connection:
    """A connection to the database at ``where``.

    SQLite: WAL mode and a busy timeout; creates the folder and file when ``create`` (a
    reader passes ``False`` and gets :class:`sqlite3.OperationalError` for a missing
    file instead of an empty new one). PostgreSQL: autocommit (transactions are
    explicit, :func:`transaction`), ``lock_timeout`` of :data:`BUSY_TIMEOUT_S`, and a
    connect timeout; ``create`` does not apply (the database is the server's).
    """
    found = locate(where)
    if isinstance(found, Server):
        return Connection(_connect_server(found))
    return Connection(_connect_file(found, create=create))


def _connect_server(server: Server) -> psycopg.Connection[Any]:
    with _translated():
        conn = psycopg.connect(server.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        try:
            conn.execute(f"SET lock_timeout = {round(BUSY_TIMEOUT_S * 1000)}")
        except BaseException:
            conn.close()
            raise
    return conn


def _connect_file(path: Path, *, create: bool) -> sqlite3.Connection:
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        target = str(path)
        uri = False
    else:
        target = f"{path.resolve().as_uri()}?mode=rw"
        uri = True
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, uri=uri, isolation_level=None)
    try:
        _use_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


_WAL_SWITCH = threading.Lock()


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (a property of the file, kept once set).

    Switching a file's journal mode needs its exclusive lock, and SQLite answers that
    request with "database is locked" at once when another connection holds a lock,
    without calling the busy handler (it would deadlock otherwise). That happens only
    while a new file is first opened by several threads or processes at once (seen as
    1 in 200 runs of 12 threads on a fresh file). So: skip the switch when the file is
    already in WAL mode, switch one thread of this process at a time, and try again for
    up to :data:`BUSY_TIMEOUT_S`, the wait every other lock of ours gets.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    with _WAL_SWITCH:
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.01)


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """A write transaction; ``ROLLBACK`` on any exception (Ctrl-C included).

    SQLite: ``BEGIN IMMEDIATE`` takes the write lock at the start, so a transaction that
    reads and then writes (the hourly limits, the usage UPSERTs) never has to upgrade a
    read lock, two writers cannot deadlock, and what it counted cannot change before it
    writes. PostgreSQL: ``BEGIN`` and the advisory lock :data:`WRITE_LOCK_KEY`, held to
    the end of the transaction: the same one-writer-at-a-time rule across every replica,
    waiting at most ``lock_timeout``.
    """
    if conn.dialect == SQLITE:
        conn.execute("BEGIN IMMEDIATE")
    else:
        conn.execute("BEGIN")
    try:
        if conn.dialect == POSTGRESQL:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
        yield conn
    except BaseException:
        _rollback(conn)
        raise
    conn.execute("COMMIT")


def _rollback(conn: Connection) -> None:
    """Roll back; a connection the server already dropped has nothing to roll back."""
    try:
        conn.execute("ROLLBACK")
    except Error:
        if conn.dialect == SQLITE:
            raise
