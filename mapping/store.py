"""The members' database: one SQLite file for usage counts and suggested updates.

Why SQLite: it is embedded (nothing to run beside the app), one file the coordinator
can copy or back up, and safe for several writers (the Streamlit server's threads, the
CLI) with WAL mode and a busy timeout. Visitor data never goes here: no IP address, no
cookie, no session id — only per-venue counts per day (:mod:`mapping.usage`) and what
members typed into the suggestion forms (:mod:`mapping.submissions`), with a salted hash
of the sender's client key kept for the hour the limits count it.

Where the file lives (:func:`database_path`), first match wins:

1. the environment variable :data:`DB_ENV_VAR` (``CREATIVE_MAP_DB``);
2. ``[members] database`` in ``city.toml`` (relative: to the data folder);
3. ``var/<town>.sqlite`` beside the repository's ``data/`` — outside the data folder,
   so the reviewed data files never mix with what the app collects.

Each module creates its own tables with ``CREATE TABLE IF NOT EXISTS`` on first use,
and writes inside :func:`transaction`, the one way a write transaction is opened here.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mapping.settings import REPO_DATA_DIR, CityProfile
from mapping.text import slug

DB_ENV_VAR = "CREATIVE_MAP_DB"
DEFAULT_DIR = REPO_DATA_DIR.parent / "var"
BUSY_TIMEOUT_S = 5.0


def database_path(city: CityProfile, folder: str | os.PathLike[str]) -> Path:
    """The SQLite file for this town (see the module docstring for the order)."""
    configured = os.environ.get(DB_ENV_VAR) or city.members_database
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else Path(folder) / path
    return DEFAULT_DIR / f"{slug(city.name, 'town')}.sqlite"


def connect(path: str | os.PathLike[str], *, create: bool = True) -> sqlite3.Connection:
    """A connection in WAL mode with a busy timeout; creates the folder and file when
    ``create`` (a reader passes ``False`` and gets :class:`sqlite3.OperationalError`
    for a missing file instead of an empty new one).

    One connection per thread: SQLite connections are not shared between threads here.
    """
    path = Path(path)
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
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; ``ROLLBACK`` on any exception (Ctrl-C included).

    ``IMMEDIATE`` takes the write lock at the start: a transaction that reads and then
    writes (the hourly limits, the usage UPSERTs) never has to upgrade a read lock, so two
    writers cannot deadlock, and what it counted cannot change before it writes.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
