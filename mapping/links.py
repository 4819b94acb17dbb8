"""Members' personal links: one random token per link, kept only as its SHA-256 hash.

The coordinator issues a link per venue (``python -m mapping links issue VENUE_ID``, or
the outreach downloads, :mod:`mapping.outreach`); its holder opens the For members page
as that venue's owner (``/members?key=<token>``): the status of the suggestions sent
through the venue's links, and the venue's usage counts, which are not public.

What is stored, in the members' database (:mod:`mapping.store`)::

    links(hash TEXT PRIMARY KEY, venue_id, created, expires, revoked)
    link_submissions(submission_id INTEGER PRIMARY KEY, link_hash)

``hash`` is the hex SHA-256 of the token, never the token itself: whoever copies the
database cannot open anyone's page. A token is :func:`secrets.token_urlsafe` of 32 bytes
(256 random bits), so a fast hash is enough — a slow password hash (argon2, bcrypt)
protects *guessable* secrets, and nobody can guess or brute-force 2**256 tokens. A token
is looked up by its hash through the table's index, so the comparison never runs over
the token's characters one by one: no timing tells an attacker how much of a guess was
right. Times are UTC, ``YYYY-MM-DDTHH:MM:SSZ`` (as the suggestions' ledger writes them).

``link_submissions`` marks the suggestions sent with a valid link ("from the venue",
:func:`from_venue`), kept apart from the ledger's own table.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from mapping import store
from mapping.submissions import ledger
from mapping.submissions.ledger import Submission, stamp

TOKEN_BYTES = 32
"""Random bytes per token (256 bits; about 43 URL-safe characters)."""
MAX_TOKEN = 100
"""Longest text taken as a token: a real one is 43 characters; more is refused unread."""
PAGE_PATH = "/members"
"""The For members page's path (``app.py``'s ``url_path``)."""
PARAM = "key"
"""The URL parameter that carries the token."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    hash TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    revoked TEXT
);
CREATE INDEX IF NOT EXISTS links_venue ON links (venue_id);
CREATE TABLE IF NOT EXISTS link_submissions (
    submission_id INTEGER PRIMARY KEY,
    link_hash TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Link:
    """One issued link as the coordinator sees it (never its token): ``label`` is the
    first 8 hex digits of its hash, to tell a venue's links apart."""

    label: str
    venue_id: str
    created: datetime
    expires: datetime
    revoked: datetime | None

    def valid(self, now: datetime) -> bool:
        """Whether the link opens its venue's page at ``now``."""
        return self.revoked is None and now < self.expires


def token_hash(token: str) -> str:
    """The hex SHA-256 of ``token``: what the tables keep instead of it."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def url(base_url: str, token: str) -> str:
    """The link to hand over: ``<base_url>/members?key=<token>``."""
    return f"{base_url.rstrip('/')}{PAGE_PATH}?{PARAM}={quote(token, safe='')}"


@contextmanager
def opened(where: store.Where) -> Iterator[store.Connection]:
    """A connection to the members' database with this module's tables in place."""
    with closing(store.connect(where)) as conn:
        conn.create(SCHEMA)
        yield conn


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def issue(
    where: store.Where, venue_id: str, *, now: datetime, days: int, replace: bool = False
) -> str:
    """A new link's token for ``venue_id``, valid ``days`` days from ``now``.

    The token is returned once and stored only as its hash. Older links of the venue
    stay valid unless ``replace`` (then they are revoked in the same transaction).
    """
    if days < 1:
        msg = f"a link must be valid for at least 1 day, not {days}"
        raise ValueError(msg)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with opened(where) as conn, store.transaction(conn):
        if replace:
            _revoke(conn, venue_id, now)
        conn.execute(
            "INSERT INTO links (hash, venue_id, created, expires) VALUES (?, ?, ?, ?)",
            (token_hash(token), venue_id, stamp(now), stamp(now + timedelta(days=days))),
        )
    return token


def _revoke(conn: store.Connection, venue_id: str, now: datetime) -> int:
    cursor = conn.execute(
        "UPDATE links SET revoked = ? WHERE venue_id = ? AND revoked IS NULL",
        (stamp(now), venue_id),
    )
    return int(cursor.rowcount)


def revoke(where: store.Where, venue_id: str, *, now: datetime) -> int:
    """Revoke every link of ``venue_id`` (kept, marked revoked); how many were valid."""
    with opened(where) as conn, store.transaction(conn):
        return _revoke(conn, venue_id, now)


def venue_for(where: store.Where, token: str, *, now: datetime) -> str | None:
    """The venue ``token`` opens at ``now``; ``None`` for an unknown, revoked or expired
    token (or an overlong text, never looked up)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    with opened(where) as conn:
        row = conn.execute(
            "SELECT venue_id FROM links WHERE hash = ? AND revoked IS NULL AND expires > ?",
            (token_hash(token), stamp(now)),
        ).fetchone()
    return None if row is None else str(row[0])


def listed(where: store.Where) -> list[Link]:
    """Every issued link, by venue then newest first (never a token)."""
    with opened(where) as conn:
        rows = conn.execute(
            "SELECT hash, venue_id, created, expires, revoked FROM links "
            "ORDER BY venue_id, created DESC, hash"
        ).fetchall()
    return [
        Link(
            str(h)[:8],
            str(v),
            _moment(c) or datetime.min.replace(tzinfo=UTC),
            _moment(e) or datetime.min.replace(tzinfo=UTC),
            _moment(r),
        )
        for h, v, c, e, r in rows
    ]


def attach(where: store.Where, submission_id: int, token: str) -> None:
    """Mark suggestion ``submission_id`` as sent through the link ``token`` (the caller
    checked the token with :func:`venue_for` first)."""
    with opened(where) as conn, store.transaction(conn):
        conn.execute(
            "INSERT INTO link_submissions (submission_id, link_hash) VALUES (?, ?) "
            "ON CONFLICT (submission_id) DO NOTHING",
            (submission_id, token_hash(token)),
        )


def from_venue(where: store.Where, submission_ids: Iterable[int]) -> set[int]:
    """Which of ``submission_ids`` were sent through a personal link: the reviewer's
    "from the venue" mark."""
    wanted = sorted({int(n) for n in submission_ids})
    if not wanted:
        return set()
    found: set[int] = set()
    with opened(where) as conn:
        for start in range(0, len(wanted), 500):  # stay under any placeholder limit
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT submission_id FROM link_submissions WHERE submission_id IN ({marks})",
                chunk,
            ).fetchall()
            found.update(int(row[0]) for row in rows)
    return found


def sent_through(where: store.Where, venue_id: str) -> list[Submission]:
    """The suggestions sent through any link of ``venue_id``, newest first, with their
    status and reason: what the owner's page lists."""
    with opened(where) as conn:
        rows = conn.execute(
            "SELECT ls.submission_id FROM link_submissions ls "
            "JOIN links l ON l.hash = ls.link_hash WHERE l.venue_id = ? "
            "ORDER BY ls.submission_id DESC",
            (venue_id,),
        ).fetchall()
    if not rows:
        return []
    with ledger.opened(where) as conn:
        found = [ledger.get(conn, int(row[0])) for row in rows]
    return [item for item in found if item is not None]
