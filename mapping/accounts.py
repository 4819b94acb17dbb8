"""Coordinator accounts for the review console: passwords, slowed logins, sessions.

Kept in the members' database (:mod:`mapping.store`), in tables of their own:

- ``accounts``: a name and its password's Argon2id hash (``argon2-cffi``: a hash made
  to be slow and memory-hard, with its own salt and parameters in the stored text);
- ``login_failures``: per account name and per client, the consecutive failed logins
  and the moment of the last one; both keys are HMACs under the database's secret
  (:func:`mapping.submissions.ledger.client_hash`), so no address or guessed name is
  kept in clear;
- ``console_sessions``: the SHA-256 of each session token, its account and expiry.

Decisions:

- **Slowed, not locked.** Each checked attempt counts as a failure *before* its
  password is verified (so attempts sent in parallel wait too), and a success clears
  the count. After ``n`` failures in a row (of that account name, or from that client)
  the next attempt is refused without being checked until
  ``min(2 ** (n - 1), 900)`` seconds after the last failure (1, 2, 4 … s, at most
  15 min), compared with :mod:`mapping.clock`'s "now" — the server never sleeps. The
  refusal says how long to wait. A quiet day forgets the counts.
- **No enumeration.** An unknown name and a wrong password take the same path: a
  dummy hash is verified for an unknown name, both count a failure, both are refused
  with the same answer.
- **Nothing in clear.** The database holds hashes only: of passwords (Argon2id), of
  session tokens (SHA-256 — a token is 256 random bits, nothing to guess), of names
  and clients that failed. The token lives in the browser session's state, never in
  the URL.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import re
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mapping import store
from mapping.settings import declared_default
from mapping.submissions import history, ledger

MIN_PASSWORD = 12
"""Characters a password needs at least: the console reaches the data files."""
MAX_PASSWORD = 1024  # Argon2 takes any length; a megabyte would only cost the server
DEFAULT_SESSION_MINUTES: int = declared_default("console", "session_minutes")
MAX_DELAY_S = 15 * 60
"""The longest wait after failed logins (15 min)."""
FORGET_AFTER = timedelta(days=1)
"""Failures older than this are forgotten: the next one waits 1 s again."""
_NAME = re.compile(r"^[\w][\w .@+-]{0,59}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    who TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS console_sessions (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS console_sessions_name ON console_sessions (name);
"""

_HASHER = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106's low-memory profile
_DUMMY = _HASHER.hash("not a password: verified for a name that has no account")


class AccountError(ValueError):
    """A name or password that cannot be used, or an account that does not exist."""


@dataclass(frozen=True)
class Session:
    """A signed-in coordinator: ``token`` goes in the browser session's state only."""

    name: str
    token: str
    expires: datetime


@dataclass(frozen=True)
class Refusal:
    """A login refused. ``too_soon``: not checked, an earlier failure is too recent;
    else the name or password was wrong. Either way no attempt is checked for
    ``wait_s`` seconds."""

    too_soon: bool
    wait_s: int


def delay_s(failures: int) -> int:
    """Seconds the next attempt waits after ``failures`` in a row: 1, 2, 4 … 900."""
    return 0 if failures <= 0 else min(2 ** min(failures - 1, 20), MAX_DELAY_S)


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def check_name(name: str) -> str:
    """``name`` stripped, if it can name an account (and a git author); else
    :class:`AccountError`."""
    text = name.strip()
    if not _NAME.match(text):
        msg = (
            f"an account name is 1-60 letters, digits, spaces or . _ @ + -, "
            f"starting with a letter or digit; got {name!r}"
        )
        raise AccountError(msg)
    history.author_of(text)
    return text


def check_password(password: str) -> None:
    """:class:`AccountError` for a password shorter than :data:`MIN_PASSWORD`."""
    if len(password) < MIN_PASSWORD:
        msg = f"a password needs at least {MIN_PASSWORD} characters"
        raise AccountError(msg)
    if len(password) > MAX_PASSWORD:
        msg = f"a password has at most {MAX_PASSWORD} characters"
        raise AccountError(msg)


@contextmanager
def opened(where: store.Where) -> Iterator[store.Connection]:
    """A connection with the ledger's tables (its secret) and these tables in place."""
    with ledger.opened(where) as conn:
        conn.create(SCHEMA)
        yield conn


# --------------------------------------------------------------------------- accounts


def add(where: store.Where, name: str, password: str, *, now: datetime) -> str:
    """Create account ``name``; its checked name. :class:`AccountError` when it exists
    or the name or password cannot be used."""
    text = check_name(name)
    check_password(password)
    hashed = _HASHER.hash(password)
    with opened(where) as conn, store.transaction(conn):
        if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (text,)).fetchone():
            msg = f"account {text!r} exists already; remove it first to set a new password"
            raise AccountError(msg)
        conn.execute(
            "INSERT INTO accounts (name, hash, created) VALUES (?, ?, ?)",
            (text, hashed, ledger.stamp(now)),
        )
    return text


def remove(where: store.Where, name: str) -> None:
    """Delete account ``name`` and end its sessions; :class:`AccountError` if none."""
    with opened(where) as conn, store.transaction(conn):
        if not conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
            msg = f"no account {name!r}"
            raise AccountError(msg)
        conn.execute("DELETE FROM accounts WHERE name = ?", (name,))
        conn.execute("DELETE FROM console_sessions WHERE name = ?", (name,))


def names(where: store.Where) -> list[tuple[str, str]]:
    """Every account as (name, created ``YYYY-MM-DDTHH:MM:SSZ``), by name."""
    with opened(where) as conn:
        rows = conn.execute("SELECT name, created FROM accounts ORDER BY name").fetchall()
    return [(str(n), str(c)) for n, c in rows]


# --------------------------------------------------------------------------- signing in


def sign_in(
    where: store.Where,
    name: str,
    password: str,
    *,
    client: str,
    now: datetime,
    session_minutes: int = DEFAULT_SESSION_MINUTES,
) -> Session | Refusal:
    """A new session for ``name`` when ``password`` is its password and no recent
    failure (of this name or from ``client``, a :func:`~mapping.submissions.clients.
    client_key`) asks to wait; else a :class:`Refusal` (see the module docstring).
    The session lasts ``session_minutes`` (the town's ``[console] session_minutes``)."""
    with opened(where) as conn:
        with store.transaction(conn):
            keys = _failure_keys(conn, name, client)
            wait = _wait_s(conn, keys, now)
            if wait > 0:
                return Refusal(too_soon=True, wait_s=wait)
            # Counted as a failure before the (slow) check: attempts sent in parallel see
            # it and wait; a success clears it below.
            wait_after = _failed(conn, keys, now)
            stored = conn.execute("SELECT hash FROM accounts WHERE name = ?", (name,)).fetchone()
        good = _verified(str(stored[0]) if stored else _DUMMY, password) and stored is not None
        if not good:
            return Refusal(too_soon=False, wait_s=wait_after)
        with store.transaction(conn):
            conn.execute("DELETE FROM login_failures WHERE who IN (?, ?)", keys)
            conn.execute("DELETE FROM console_sessions WHERE expires <= ?", (ledger.stamp(now),))
            token = secrets.token_urlsafe(32)
            expires = (now + timedelta(minutes=session_minutes)).replace(microsecond=0)
            conn.execute(
                "INSERT INTO console_sessions (token_hash, name, expires) VALUES (?, ?, ?)",
                (token_hash(token), name, ledger.stamp(expires)),
            )
    return Session(name, token, expires)


def session_name(where: store.Where, token: str, *, now: datetime) -> str | None:
    """The account a session ``token`` belongs to while it has not expired (and the
    account still exists), else ``None``."""
    if not token:
        return None
    with opened(where) as conn:
        row = conn.execute(
            "SELECT s.name FROM console_sessions s JOIN accounts a ON a.name = s.name "
            "WHERE s.token_hash = ? AND s.expires > ?",
            (token_hash(token), ledger.stamp(now)),
        ).fetchone()
    return None if row is None else str(row[0])


def sign_out(where: store.Where, token: str) -> None:
    """End the session ``token`` (nothing when there is none)."""
    with opened(where) as conn, store.transaction(conn):
        conn.execute("DELETE FROM console_sessions WHERE token_hash = ?", (token_hash(token),))


def _verified(hashed: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(hashed, password[:MAX_PASSWORD]))
    except (VerificationError, InvalidHashError):
        return False


def _failure_keys(conn: store.Connection, name: str, client: str) -> tuple[str, str]:
    return (
        ledger.client_hash(conn, "account:" + name),
        ledger.client_hash(conn, "client:" + client),
    )


def _wait_s(conn: store.Connection, keys: tuple[str, str], now: datetime) -> int:
    """Seconds still to wait before an attempt is checked (0: go ahead); forgets
    failures older than :data:`FORGET_AFTER`."""
    conn.execute("DELETE FROM login_failures WHERE last < ?", (ledger.stamp(now - FORGET_AFTER),))
    wait = 0.0
    for failures, last in conn.execute(
        "SELECT failures, last FROM login_failures WHERE who IN (?, ?)", keys
    ).fetchall():
        moment = datetime.strptime(str(last), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        until = moment + timedelta(seconds=delay_s(int(failures)))
        wait = max(wait, (until - now).total_seconds())
    return int(-(-wait // 1)) if wait > 0 else 0


def _failed(conn: store.Connection, keys: tuple[str, str], now: datetime) -> int:
    """Count one failure for both keys; the seconds the next attempt waits."""
    for key in keys:
        conn.execute(
            "INSERT INTO login_failures (who, failures, last) VALUES (?, 1, ?) "
            "ON CONFLICT (who) DO UPDATE SET failures = login_failures.failures + 1, "
            "last = excluded.last",
            (key, ledger.stamp(now)),
        )
    rows = conn.execute(
        "SELECT max(failures) FROM login_failures WHERE who IN (?, ?)", keys
    ).fetchone()
    return delay_s(int(rows[0] or 1))


# --------------------------------------------------------------------------- command line

COMMAND = "accounts"


def add_parsers(sub: Any, folder_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``accounts add|remove|list`` on the CLI's subparsers."""
    parser = sub.add_parser(COMMAND, help="the review console's coordinator accounts")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    adding = actions.add_parser("add", help="create an account (asks for its password)")
    adding.add_argument("name", metavar="NAME")
    adding.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (scripts)",
    )
    folder_arg(adding)
    removing = actions.add_parser("remove", help="delete an account and end its sessions")
    removing.add_argument("name", metavar="NAME")
    folder_arg(removing)
    folder_arg(actions.add_parser("list", help="the accounts, by name"))


def run(args: argparse.Namespace, say: Callable[..., None]) -> int:
    """Run one action; 0 done, 1 refused (the reason on standard error)."""
    folder: str | Path | None = args.folder
    where = store.database_of(folder)
    try:
        if args.action == "list":
            found = names(where)
            for name, created in found:
                say(f"{name}  created {created}")
            say(f"{len(found)} account(s) in {where}")
        elif args.action == "remove":
            remove(where, args.name)
            say(f"account {args.name!r} removed; its sessions ended")
        else:
            password = _read_password(args.password_stdin)
            name = add(where, args.name, password, now=ledger.utc_now())
            say(f"account {name!r} added to {where}")
    except AccountError as exc:
        say(f"error: {exc}", sys.stderr)
        return 1
    except store.Error as exc:
        say(f"error: members' database {where}: {exc}", sys.stderr)
        return 1
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    check_password(first)  # say so before asking again
    if getpass.getpass("again: ") != first:
        msg = "the two passwords differ; nothing was stored"
        raise AccountError(msg)
    return first
