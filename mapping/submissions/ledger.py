"""The table of suggestions in the members' database: store, list, decide — never delete.

Every suggestion keeps its row for good: an applied or rejected one keeps its outcome
(status, when, the reviewer's reason, the record written), so the table is the audit
trail of what members asked and what the reviewer did with it.

The hourly limits are counted and the new row inserted in one write transaction
(:func:`mapping.store.transaction`: ``BEGIN IMMEDIATE`` on SQLite, the advisory write
lock on PostgreSQL): two form posts at the same moment, on one replica or two, cannot
both slip under the limit. The SQL is written once, in SQLite's syntax; the store
translates it (:mod:`mapping.store`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from mapping import clock, store
from mapping.submissions.forms import FieldProblem, TooMany

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
"""
"""``venue_id``: the venue an update or event concerns (``NULL`` for a new venue);
``fields``: the JSON object of the filled fields; ``created``/``decided``: UTC,
``YYYY-MM-DDTHH:MM:SSZ`` (text order is time order); ``record``: the venue or event id
that ``apply`` wrote."""

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
        yield conn


def insert(
    conn: store.Connection,
    kind: str,
    venue_id: str | None,
    fields: Mapping[str, Any],
    now: datetime,
    *,
    per_hour: int,
    per_venue_per_hour: int,
) -> int:
    """Store a checked suggestion as pending and return its number.

    Raises :class:`~mapping.submissions.forms.TooMany` (storing nothing) when the last
    hour already holds ``per_hour`` suggestions, or ``per_venue_per_hour`` for
    ``venue_id``.
    """
    since = stamp(now - HOUR)
    with store.transaction(conn):
        total = conn.execute(
            "SELECT count(*) FROM submissions WHERE created > ?", (since,)
        ).fetchone()[0]
        if total >= per_hour:
            raise TooMany([FieldProblem("", "submissions.refused.too_many", {"count": per_hour})])
        if venue_id is not None:
            mine = conn.execute(
                "SELECT count(*) FROM submissions WHERE venue_id = ? AND created > ?",
                (venue_id, since),
            ).fetchone()[0]
            if mine >= per_venue_per_hour:
                raise TooMany(
                    [
                        FieldProblem(
                            "venue_id",
                            "submissions.refused.too_many_venue",
                            {"count": per_venue_per_hour},
                        )
                    ]
                )
        cursor = conn.execute(
            "INSERT INTO submissions (kind, venue_id, fields, created) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (kind, venue_id, orjson.dumps(dict(fields)).decode(), stamp(now)),
        )
        return int(cursor.fetchone()[0])


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
