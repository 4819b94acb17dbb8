"""The table of suggestions in the members' database: store, list, decide — never delete.

Every suggestion keeps its row for good: an applied or rejected one keeps its outcome
(status, when, the reviewer's reason, the record written), so the table is the audit
trail of what members asked and what the reviewer did with it.

The hourly limits (per client, per venue) are counted and the new row inserted in one
write transaction (:func:`mapping.store.transaction`: ``BEGIN IMMEDIATE`` on SQLite, the
advisory write lock on PostgreSQL): two form posts at the same moment, on one replica or
two, cannot both slip under a limit. The total of all clients never refuses: past
``[members] unusual_per_hour`` it is logged for the coordinator (:func:`unusual` finds
such hours again for ``submissions list`` and the members' overview). The SQL is written
once, in SQLite's syntax; the store translates it (:mod:`mapping.store`).

Who sent a row is kept only as ``client``: an HMAC-SHA256 of the client key
(:func:`mapping.submissions.clients.client_key`) under a random secret made once per
database (table ``secrets``), and only for the hour the limits look at; later inserts
erase it. No address is ever stored. (The secret sits in the same database: whoever
holds a copy could test guessed addresses against the hashes of the last hour, which is
why they do not outlive it.)
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from mapping import clock, store
from mapping.settings import CityProfile
from mapping.submissions.clients import LOCAL, client_key
from mapping.submissions.refusals import FieldProblem, Refused, TooMany

PENDING, APPLIED, REJECTED = "pending", "applied", "rejected"
STATUSES: tuple[str, ...] = (PENDING, APPLIED, REJECTED)

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('update', 'event', 'venue')),
    venue_id TEXT,
    fields TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'applied', 'rejected')),
    decided TEXT,
    reason TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS submissions_created ON submissions (created);
CREATE INDEX IF NOT EXISTS submissions_venue ON submissions (venue_id, created);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
"""``venue_id``: the venue an update or event concerns (``NULL`` for a new venue);
``fields``: the JSON object of the filled fields; ``created``/``decided``: UTC,
``YYYY-MM-DDTHH:MM:SSZ`` (text order is time order); ``record``: the venue or event id
that ``apply`` wrote; ``client`` (added by :func:`opened` to older tables): the salted
hash of the sender's client key during the hour the limits count it, then ``NULL``."""

CLIENT_COLUMN = """
ALTER TABLE submissions ADD COLUMN client TEXT;
CREATE INDEX IF NOT EXISTS submissions_client ON submissions (client, created);
"""
SALT = "client_salt"
"""The row of ``secrets`` holding the database's own key for :func:`client_hash`."""

_LOG = logging.getLogger(__name__)
_STAMP = "%Y-%m-%dT%H:%M:%SZ"
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Submission:
    """One stored suggestion and its outcome."""

    id: int
    kind: str
    venue_id: str
    fields: dict[str, Any]
    created: datetime
    status: str
    decided: datetime | None
    reason: str
    record: str

    @property
    def reference(self) -> str:
        """The number a member is shown, e.g. ``#12``."""
        return reference(self.id)


def reference(number: int) -> str:
    """``#12``: how a suggestion's number is shown to a member and a reviewer."""
    return f"#{number}"


def utc_now() -> datetime:
    """The current time in UTC (from :mod:`mapping.clock`; tests may pass their own ``now``)."""
    return clock.utc_now()


def stamp(moment: datetime) -> str:
    """``moment`` in UTC as the table stores it."""
    return moment.astimezone(UTC).strftime(_STAMP)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, _STAMP).replace(tzinfo=UTC)


@contextmanager
def opened(path: store.Where) -> Iterator[store.Connection]:
    """A connection to the database at ``path`` with the table in place."""
    with closing(store.connect(path)) as conn:
        conn.create(SCHEMA)
        if "client" not in conn.columns("submissions"):
            with store.transaction(conn):
                if "client" not in conn.columns("submissions"):  # another was quicker
                    for statement in CLIENT_COLUMN.strip().split(";\n"):
                        conn.execute(statement)
        yield conn


# --------------------------------------------------------------------------- limits


def client_hash(conn: store.Connection, key: str) -> str:
    """``key`` hashed with this database's secret (made on first use; inside the
    caller's transaction): what the table keeps instead of an address."""
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        (SALT, secrets.token_hex(32)),
    )
    salt = conn.execute("SELECT value FROM secrets WHERE name = ?", (SALT,)).fetchone()[0]
    return hmac.new(bytes.fromhex(salt), key.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Limits:
    """Suggestions per hour: refused past ``per_client`` from one client or
    ``per_venue`` for one venue; ``unusual`` from everyone only warns."""

    per_client: int
    per_venue: int
    unusual: int

    @classmethod
    def of(cls, city: CityProfile) -> Limits:
        """The town's limits (``[members]`` in ``city.toml``)."""
        return cls(
            city.max_pending_per_client_per_hour,
            city.max_pending_per_venue_per_hour,
            city.unusual_per_hour,
        )


def _too_many(field: str, key: str, count: int) -> TooMany:
    return TooMany([FieldProblem(field, key, {"count": count})])


class AlreadyPending(Refused):  # a refusal the page words as a receipt
    """The same suggestion is already pending as ``number``: nothing new was stored.

    Same kind, same venue, same fields once runs of white space are one space (a double
    click, a reload that sends the form again, a member who did not see the receipt).
    """

    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(
            [FieldProblem("", "submissions.already_received", {"reference": reference(number)})]
        )


def _normalised(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in fields.items()}


def pending_twin(
    conn: store.Connection, kind: str, venue_id: str | None, fields: Mapping[str, Any]
) -> int | None:
    """The number of a pending suggestion with the same kind, venue and fields (white
    space aside), or ``None``."""
    where, args = ("venue_id IS NULL", ()) if venue_id is None else ("venue_id = ?", (venue_id,))
    wanted = _normalised(fields)
    for number, stored in conn.execute(
        f"SELECT id, fields FROM submissions WHERE status = ? AND kind = ? AND {where} ORDER BY id",
        (PENDING, kind, *args),
    ):
        if _normalised(orjson.loads(stored)) == wanted:
            return int(number)
    return None


def insert(
    conn: store.Connection,
    kind: str,
    venue_id: str | None,
    fields: Mapping[str, Any],
    now: datetime,
    limits: Limits,
    client: str = "",
) -> int:
    """Store a checked suggestion as pending and return its number.

    ``client`` is the sender's key (:func:`mapping.submissions.clients.client_key`;
    empty: the local client). Raises :class:`AlreadyPending` when :func:`pending_twin`
    finds the same suggestion, and :class:`~mapping.submissions.refusals.TooMany`
    (storing nothing) when the last hour already holds ``limits.per_client``
    suggestions of this client, or ``limits.per_venue`` for ``venue_id``. The total of
    all clients is only logged, at each multiple of ``limits.unusual``.
    """
    since = stamp(now - HOUR)
    with store.transaction(conn):
        twin = pending_twin(conn, kind, venue_id, fields)
        if twin is not None:
            raise AlreadyPending(twin)
        sender = client_hash(conn, client or client_key(LOCAL))
        conn.execute(  # a sender's hash is kept only for the hour the limits count it
            "UPDATE submissions SET client = NULL WHERE client IS NOT NULL AND created <= ?",
            (since,),
        )
        mine = conn.execute(
            "SELECT count(*) FROM submissions WHERE client = ? AND created > ?", (sender, since)
        ).fetchone()[0]
        if mine >= limits.per_client:
            raise _too_many("", "submissions.refused.too_many_client", limits.per_client)
        if venue_id is not None:
            theirs = conn.execute(
                "SELECT count(*) FROM submissions WHERE venue_id = ? AND created > ?",
                (venue_id, since),
            ).fetchone()[0]
            if theirs >= limits.per_venue:
                raise _too_many("venue_id", "submissions.refused.too_many_venue", limits.per_venue)
        total = conn.execute(
            "SELECT count(*) FROM submissions WHERE created > ?", (since,)
        ).fetchone()[0]
        cursor = conn.execute(
            "INSERT INTO submissions (kind, venue_id, fields, created, client) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (kind, venue_id, orjson.dumps(dict(fields)).decode(), stamp(now), sender),
        )
        number = int(cursor.fetchone()[0])
    if (total + 1) % limits.unusual == 0:
        _LOG.warning(
            "unusual volume of suggestions: %d in the hour before %s ([members] "
            "unusual_per_hour = %d); none was refused for it, see submissions list",
            total + 1,
            stamp(now),
            limits.unusual,
        )
    return number


@dataclass(frozen=True)
class Burst:
    """An unusual volume: ``count`` suggestions within the hour ending at ``last``."""

    first: datetime
    last: datetime
    count: int


def unusual(conn: store.Connection, threshold: int, since: datetime) -> list[Burst]:
    """The hours since ``since`` that received at least ``threshold`` suggestions: for
    each run of overlapping such hours, its first and last suggestion and the most in
    any one hour, oldest first (every status counts: a rejected flood was a flood)."""
    moments = [
        _moment(row[0]) or since
        for row in conn.execute(
            "SELECT created FROM submissions WHERE created > ? ORDER BY created",
            (stamp(since),),
        )
    ]
    bursts: list[Burst] = []
    left = 0
    for right, moment in enumerate(moments):
        while moments[left] <= moment - HOUR:
            left += 1
        count = right - left + 1
        if count < threshold:
            continue
        if bursts and moments[left] <= bursts[-1].last:
            last = bursts[-1]
            bursts[-1] = Burst(last.first, moment, max(last.count, count))
        else:
            bursts.append(Burst(moments[left], moment, count))
    return bursts


_COLUMNS = "id, kind, venue_id, fields, created, status, decided, reason, record"


def _row(row: tuple[Any, ...]) -> Submission:
    number, kind, venue_id, fields, created, status, decided, reason, record = row
    return Submission(
        int(number),
        kind,
        venue_id or "",
        orjson.loads(fields),
        _moment(created) or datetime.min.replace(tzinfo=UTC),
        status,
        _moment(decided),
        reason,
        record,
    )


def get(conn: store.Connection, number: int) -> Submission | None:
    """Suggestion ``number``, or ``None`` when there is none."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (number,)).fetchone()
    return None if row is None else _row(row)


def listed(conn: store.Connection, status: str | None = PENDING) -> list[Submission]:
    """Suggestions with ``status`` (``None``: all), oldest first."""
    if status is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM submissions ORDER BY id")
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM submissions WHERE status = ? ORDER BY id", (status,)
        )
    return [_row(row) for row in rows]


def page(
    conn: store.Connection,
    status: str = PENDING,
    *,
    venue_id: str | None = None,
    kind: str | None = None,
    received_by: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[Submission], int]:
    """One page of the suggestions with ``status``, oldest first, and how many match in
    all: only ``venue_id``'s, of ``kind``, or received at or before ``received_by`` when
    given (the filters and the page are the database's work, not Python's)."""
    where, params = ["status = ?"], [status]
    for clause, value in (
        ("venue_id = ?", venue_id),
        ("kind = ?", kind),
        ("created <= ?", None if received_by is None else stamp(received_by)),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    condition = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM submissions WHERE {condition}", params)
    count = int(total.fetchone()[0])
    sql = f"SELECT {_COLUMNS} FROM submissions WHERE {condition} ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [_row(row) for row in conn.execute(sql, params)], count


def decide(
    conn: store.Connection,
    number: int,
    status: str,
    now: datetime,
    *,
    reason: str = "",
    record: str = "",
) -> None:
    """Record the outcome of a pending suggestion (inside the caller's transaction)."""
    conn.execute(
        "UPDATE submissions SET status = ?, decided = ?, reason = ?, record = ? "
        "WHERE id = ? AND status = ?",
        (status, stamp(now), reason, record, number, PENDING),
    )
