"""Backups of the members' database: ``python -m mapping backup [DIR] --out FILE`` and
``python -m mapping restore FILE [DIR] [--force]``.

What is backed up: the whole members' database of the town in ``DIR`` (the one
:func:`mapping.store.database_path` names): usage counts and suggestions with their
outcomes (the audit trail). Not the data folder: its files are reviewed text, kept in
git (each applied suggestion is a commit there when the folder is a repository).

- **SQLite**: SQLite's online backup API (:meth:`sqlite3.Connection.backup`) copies a
  consistent snapshot while the app keeps writing; the file is a plain SQLite database
  (rollback-journal format: it opens anywhere, ``sqlite3 FILE`` reads it).
- **PostgreSQL**: ``pg_dump --format=custom`` (a consistent snapshot too); ``pg_dump``
  must be at least the server's version, and reads the password as libpq does
  (``PGPASSWORD``, ``PGPASSFILE``).

Either is written atomically (:func:`mapping.files.atomic_write`): an interrupted backup
never leaves a half file under the name.

``restore`` checks the file first — a SQLite backup must pass ``PRAGMA integrity_check``
and be as long as its header says, a dump must be listed by ``pg_restore --list`` — and
refuses a file of the other back-end, a damaged file, and a target database that holds
any row (unless ``--force``). SQLite is restored through the backup API into the live
file (readers see the old or the new database, never a mix); PostgreSQL with
``pg_restore --clean --if-exists --single-transaction``. Stop the app while restoring:
counts it writes meanwhile would be lost or mixed in.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from mapping import store
from mapping.files import atomic_write

COMMANDS = ("backup", "restore")
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
TOOL_TIMEOUT_S = 600
RESTORE_OPTIONS = ("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction")

Say = Callable[..., None]


class BackupError(ValueError):
    """A backup cannot be made or restored; the message says why and what to do."""


# --------------------------------------------------------------------------- backup


def snapshot(where: store.Location) -> bytes:
    """A consistent copy of the database at ``where``, as the bytes of a backup file."""
    if isinstance(where, store.Server):
        return _tool(["pg_dump", "--format=custom", f"--dbname={where.url}"], where)
    if not where.is_file():
        msg = f"no members' database at {where}: nothing to back up"
        raise BackupError(msg)
    with (
        closing(store.connect(where, create=False)) as source,
        closing(sqlite3.connect(":memory:")) as copy,
    ):
        raw = source.raw
        assert isinstance(raw, sqlite3.Connection)
        raw.backup(copy)
        image = bytearray(copy.serialize())
    image[18:20] = b"\x01\x01"  # rollback-journal format: readable without its -wal file
    return bytes(image)


def write_backup(where: store.Location, out: Path) -> int:
    """Write a snapshot of ``where`` to ``out`` atomically; the bytes written."""
    image = snapshot(where)
    with atomic_write(out) as fh:
        fh.write(image)
    return len(image)


# --------------------------------------------------------------------------- restore


def kind_of(image: bytes) -> str:
    """:data:`mapping.store.SQLITE` or ``POSTGRESQL``: the back-end a backup is for."""
    if image.startswith(SQLITE_MAGIC):
        return store.SQLITE
    if image.startswith(PG_DUMP_MAGIC):
        return store.POSTGRESQL
    msg = (
        "not a backup made by `python -m mapping backup`: neither a SQLite database nor "
        "a pg_dump custom-format archive"
    )
    raise BackupError(msg)


def _checked_sqlite(image: bytes) -> sqlite3.Connection:
    """The backup opened in memory, after its checks; :class:`BackupError` if damaged."""
    page_size = int.from_bytes(image[16:18], "big") if len(image) >= 100 else 0
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(image[28:32], "big") if len(image) >= 100 else 0
    if not page_size or pages * page_size != len(image):
        msg = f"damaged backup: {len(image)} bytes, but its header describes {pages * page_size}"
        raise BackupError(msg)
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(image)
        verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.Error as exc:
        conn.close()
        msg = f"damaged backup: {exc}"
        raise BackupError(msg) from exc
    if verdict != ["ok"]:
        conn.close()
        msg = f"damaged backup: {verdict[0]}"
        raise BackupError(msg)
    return conn


def holds_rows(where: store.Location) -> bool:
    """Whether the database at ``where`` exists and any of its tables has a row."""
    if isinstance(where, Path) and not where.exists():
        return False
    with closing(store.connect(where, create=False)) as conn:
        return any(
            conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is not None
            for name in conn.tables()
            if not name.startswith("sqlite_")
        )


def restore(backup_file: Path, where: store.Location, *, force: bool = False) -> str:
    """Put the backup in ``backup_file`` into the database at ``where``; what was done.

    Raises :class:`BackupError` (a file that is not a backup, damaged, for the other
    back-end, or a target with data and no ``force``); nothing is changed then.
    """
    image = backup_file.read_bytes()
    kind = kind_of(image)
    wanted = store.POSTGRESQL if isinstance(where, store.Server) else store.SQLITE
    if kind != wanted:
        msg = (
            f"{backup_file} is a {kind} backup and the members' database {where} is "
            f"{wanted}: restore it into a database of its own kind"
        )
        raise BackupError(msg)
    if isinstance(where, store.Server):
        _tool(["pg_restore", "--list", str(backup_file)], where)  # damaged: refused here
        _refuse_rows(where, force)
        _tool(
            [*RESTORE_OPTIONS, f"--dbname={where.url}", str(backup_file)],
            where,
        )
        return f"restored {backup_file} into {where} (pg_restore)"
    with closing(_checked_sqlite(image)) as source:
        _refuse_rows(where, force)
        with closing(store.connect(where)) as target:
            raw = target.raw
            assert isinstance(raw, sqlite3.Connection)
            source.backup(raw)
    return f"restored {backup_file} into {where}"


def _refuse_rows(where: store.Location, force: bool) -> None:
    if not force and holds_rows(where):
        msg = (
            f"the members' database {where} is not empty: restoring would replace what it "
            "holds; give --force to replace it"
        )
        raise BackupError(msg)


def _tool(command: list[str], where: store.Location) -> bytes:
    """Run a PostgreSQL client tool; its output, or :class:`BackupError` with its words."""
    if shutil.which(command[0]) is None:
        msg = f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        raise BackupError(msg)
    done = subprocess.run(command, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False)
    if done.returncode != 0:
        words = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = words[0] if words else f"exit code {done.returncode}"
        if isinstance(where, store.Server):  # never print a password
            reason = reason.replace(where.url, str(where))
        msg = f"{command[0]} failed for {where}: {reason}"
        raise BackupError(msg)
    return done.stdout


# --------------------------------------------------------------------------- command line


def add_parsers(sub: Any, folder_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``backup`` and ``restore`` on the CLI's subparsers."""
    made = sub.add_parser("backup", help="copy the members' database into one file")
    folder_arg(made)
    made.add_argument("--out", type=Path, required=True, metavar="FILE", help="the backup file")
    back = sub.add_parser("restore", help="put a backup back into the members' database")
    back.add_argument("file", type=Path, metavar="FILE", help="a file made by backup")
    folder_arg(back)
    back.add_argument("--force", action="store_true", help="replace a database that holds data")


def run(args: argparse.Namespace, say: Say) -> int:
    """Run ``backup`` or ``restore``: 0 done, 1 refused or failed (one line says why)."""
    try:
        where = store.database_of(args.folder)
        if args.command == "backup":
            size = write_backup(where, args.out)
            say(f"backed up {where} to {args.out} ({size} bytes)")
        else:
            say(restore(args.file, where, force=args.force))
    except (BackupError, store.Error) as exc:
        say(f"error: {exc}", sys.stderr)
        return 1
    return 0
