"""The reviewers' audit trail: who decided what about a suggestion, when, on which bytes.

One row per decision in the table ``review_log`` of the members' database, written by
:mod:`mapping.submissions.review` inside the very transaction that marks the
suggestion applied or rejected (and, for ``apply``, writes the data file): a decision
without its row, or a row without its decision, cannot happen.

``reviewer``: the signed-in coordinator (the review console) or ``--reviewer`` (the
command line, default the OS user). ``corrected``: JSON ``{field: [suggested,
written]}`` of the fields the reviewer changed before applying. ``file``,
``before_sha256``, ``after_sha256``: the data file an ``apply`` replaced and the SHA-256
of its bytes before and after the write, so each file version on disk (or in git) can
be traced to the decision that made it. A rejection changes no file: those stay empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from mapping import store
from mapping.submissions import ledger
from mapping.submissions.ledger import APPLIED, REJECTED, Submission, stamp

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission INTEGER NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('applied', 'rejected')),
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    corrected TEXT NOT NULL DEFAULT '{}',
    reason TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL DEFAULT '',
    file TEXT NOT NULL DEFAULT '',
    before_sha256 TEXT NOT NULL DEFAULT '',
    after_sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS review_log_submission ON review_log (submission);
"""

_COLUMNS = (
    "id, submission, decision, reviewer, at, corrected, reason, record, file, "
    "before_sha256, after_sha256"
)


@dataclass(frozen=True)
class Decision:
    """One row of the audit trail."""

    id: int
    submission: int
    decision: str
    reviewer: str
    at: datetime
    corrected: dict[str, list[Any]]
    reason: str
    record: str
    file: str
    before_sha256: str
    after_sha256: str


@contextmanager
def opened(where: store.Where) -> Iterator[store.Connection]:
    """:func:`mapping.submissions.ledger.opened`, with this table in place too."""
    with ledger.opened(where) as conn:
        conn.create(SCHEMA)
        yield conn


def sha256(payload: bytes) -> str:
    """The hex SHA-256 of a file's bytes, as the trail keeps it."""
    return hashlib.sha256(payload).hexdigest()


def corrections_of(
    item: Submission, corrections: Mapping[str, object] | None
) -> dict[str, list[Any]]:
    """``{field: [suggested, written]}`` for each correction that changes a value."""
    return {
        name: [item.fields.get(name, ""), value]
        for name, value in (corrections or {}).items()
        if str(value) != str(item.fields.get(name, ""))
    }


def applied(
    conn: store.Connection,
    item: Submission,
    reviewer: str,
    now: datetime,
    *,
    record: str,
    file: str,
    before: bytes,
    after: bytes,
    corrections: Mapping[str, object] | None = None,
) -> None:
    """Log an applied suggestion (inside the caller's transaction; the table made by
    :func:`opened` before it)."""
    _insert(
        conn,
        (item.id, APPLIED, reviewer, stamp(now)),
        orjson.dumps(corrections_of(item, corrections)).decode(),
        ("", record, file, sha256(before), sha256(after)),
    )


def rejected(
    conn: store.Connection, item: Submission, reviewer: str, now: datetime, reason: str
) -> None:
    """Log a rejected suggestion (inside the caller's transaction)."""
    _insert(conn, (item.id, REJECTED, reviewer, stamp(now)), "{}", (reason, "", "", "", ""))


def _insert(
    conn: store.Connection, head: tuple[Any, ...], corrected: str, tail: tuple[str, ...]
) -> None:
    conn.execute(
        f"INSERT INTO review_log ({_COLUMNS.removeprefix('id, ')}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*head, corrected, *tail),
    )


def decisions(conn: store.Connection, submission: int | None = None) -> list[Decision]:
    """The trail, newest first; only ``submission``'s decisions when given."""
    if submission is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM review_log ORDER BY id DESC").fetchall()
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM review_log WHERE submission = ? ORDER BY id DESC",
            (submission,),
        ).fetchall()
    return [_decision(row) for row in rows]


def _decision(row: tuple[Any, ...]) -> Decision:
    number, submission, decision, reviewer, at, corrected, *rest = row
    return Decision(
        int(number),
        int(submission),
        str(decision),
        str(reviewer),
        datetime.strptime(str(at), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
        orjson.loads(corrected),
        *(str(v) for v in rest),
    )
