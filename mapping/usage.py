"""Usage counts: how often each venue was shown in a result list and opened as a card.

What is stored, and nothing else: one row per venue per day in the table ``usage``
of the members' database (:mod:`mapping.store`)::

    usage(venue_id TEXT, day TEXT 'YYYY-MM-DD', impressions INTEGER, opens INTEGER,
          PRIMARY KEY (venue_id, day))

*impressions* counts the times the venue was on screen in a result list (Explore's
nearest-first list, What's on's event list), *opens* the times its card was opened.
No IP address, cookie, session id, user agent, time of day or anything else about the
visitor is stored, and the counts of different visitors are added together before they
reach the file, so a row cannot be traced to a person. The day is the town's local day.
The pages pass only venue ids that exist in the data (a ``?venue=`` link is checked
first), so a crafted link cannot write arbitrary text into the file.

Why batched: a page view must not wait for the disk. :meth:`UsageRecorder.shown` and
:meth:`UsageRecorder.opened` only add to an in-memory counter under a lock (a few
microseconds); a daemon thread writes the counter every :data:`FLUSH_INTERVAL_S`
seconds, sooner when :data:`BATCH_LIMIT` distinct (venue, day) pairs wait, and once
more at interpreter exit (``atexit``). Each flush is one transaction of UPSERTs that
add to the stored counts, so several recorders, threads, processes and app replicas can
write the same database (SQLite's WAL mode and busy timeout, or PostgreSQL's
``INSERT … ON CONFLICT`` under the store's write lock, serialise them). Counts appear in
:func:`monthly` and :func:`totals` after the next flush.

Why it never fails a page: when the database cannot be written (a missing or
unwritable folder, a read-only or corrupt file, a lock held past the busy timeout, a
PostgreSQL server that is down or refuses the connection) the
record calls still only touch memory and the flush catches the error. The counts of a
failed flush are kept for **one** retry at the next flush and then dropped, so a brief
lock loses nothing while a broken store cannot grow memory without bound. Each
**outage** is logged twice, at warning level: when a flush first fails (the path and the
error) and when a flush succeeds again (how long it lasted and how many counts were
lost); the failed flushes in between log at debug level only. The readers
:func:`monthly` and :func:`totals` return an empty frame for a missing or unreadable
database and never create the file.

To reset the counts, stop the app and delete the database file (with its ``-wal`` and
``-shm`` companions), or run ``DELETE FROM usage`` on it with ``sqlite3`` (``psql`` for
PostgreSQL); the table is created again on the next flush.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from mapping import store

FLUSH_INTERVAL_S = 2.0
"""Seconds between background flushes: short enough that the counts are current, long
enough that a busy server writes a few transactions a second at most."""
BATCH_LIMIT = 5_000
"""Distinct (venue, day) pairs waiting that wake the flusher before its interval."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS usage (
    venue_id TEXT NOT NULL,
    day TEXT NOT NULL,
    impressions INTEGER NOT NULL DEFAULT 0,
    opens INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (venue_id, day)
) WITHOUT ROWID
"""
UPSERT = """
INSERT INTO usage (venue_id, day, impressions, opens) VALUES (?, ?, ?, ?)
ON CONFLICT (venue_id, day) DO UPDATE SET
    impressions = usage.impressions + excluded.impressions,
    opens = usage.opens + excluded.opens
"""
"""The stored columns are named with their table: PostgreSQL finds a bare name ambiguous
beside ``excluded``'s."""

Key = tuple[str, str]  # (venue_id, day 'YYYY-MM-DD')
Counts = dict[Key, list[int]]  # key -> [impressions, opens]

_LOG = logging.getLogger(__name__)


def _merge(into: Counts, other: Mapping[Key, list[int]]) -> Counts:
    """Add ``other``'s counts to ``into`` (in place) and return it."""
    for key, (impressions, opens) in other.items():
        slot = into.setdefault(key, [0, 0])
        slot[0] += impressions
        slot[1] += opens
    return into


def write_counts(conn: store.Connection, counts: Mapping[Key, list[int]]) -> int:
    """Add ``counts`` to the table in one transaction (created if missing); rows written.

    Public so the benchmark can time the same statement one record at a time.
    """
    conn.create(SCHEMA)
    with store.transaction(conn):
        conn.executemany(UPSERT, [(v, d, i, o) for (v, d), (i, o) in counts.items()])
    return len(counts)


class UsageRecorder:
    """Counts for one members' database, kept in memory and written in batches.

    Thread-safe. Use :func:`recorder` for the process-wide one of a path; a separate
    instance (tests, benchmarks) writes the same file through its own connections.
    """

    def __init__(self, path: store.Where) -> None:
        self.path = store.locate(path)
        self._pending: Counts = {}
        self._retry: Counts = {}  # a failed flush's counts, tried once more
        self._lock = threading.Lock()  # guards _pending
        self._flush_lock = threading.Lock()  # one flush at a time; guards _retry
        self._start_lock = threading.Lock()  # never held during I/O: pages may wait on it
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._outage: tuple[float, int] | None = None  # (monotonic start, dropped then)
        self.dropped = 0
        """Counts (impressions + opens) lost to failed flushes since this recorder began."""
        atexit.register(self.flush)

    def shown(self, venue_ids: Iterable[str], day: date) -> None:
        """One impression for each of ``venue_ids`` on ``day`` (memory only)."""
        stamp = day.isoformat()
        with self._lock:
            pending = self._pending
            for venue_id in venue_ids:
                slot = pending.get((venue_id, stamp))
                if slot is None:
                    pending[(venue_id, stamp)] = [1, 0]
                else:
                    slot[0] += 1
            size = len(pending)
        self._after_record(size)

    def opened(self, venue_id: str, day: date) -> None:
        """One card open of ``venue_id`` on ``day`` (memory only)."""
        with self._lock:
            self._pending.setdefault((venue_id, day.isoformat()), [0, 0])[1] += 1
            size = len(self._pending)
        self._after_record(size)

    def pending(self) -> int:
        """Distinct (venue, day) pairs waiting for the next flush."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write what is waiting in one transaction; rows written (0 when it failed).

        Never raises for an unavailable database: see the module docstring.
        """
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, {}
            retry, self._retry = self._retry, {}
            if not batch and not retry:
                return 0
            counts = _merge(_merge({}, retry), batch)
            try:
                conn = store.connect(self.path)
                try:
                    written = write_counts(conn, counts)
                finally:
                    conn.close()
            except (store.Error, OSError) as exc:
                self._retry = batch
                self.dropped += sum(i + o for i, o in retry.values())
                self._failed(exc)
                return 0
            self._recovered()
            return written

    def _failed(self, exc: Exception) -> None:
        """An outage's first failure is a warning; the next ones, debug lines only."""
        if self._outage is not None:
            _LOG.debug("usage counts not written to %s: %s", self.path, exc)
            return
        self._outage = (time.monotonic(), self.dropped)
        _LOG.warning(
            "usage store outage: counts cannot be written to %s (%s: %s); the pages "
            "keep working, a failed batch is retried once and then dropped, and the "
            "end of the outage is logged with the counts lost",
            self.path,
            type(exc).__name__,
            exc,
        )

    def _recovered(self) -> None:
        """A flush succeeded: end the outage, if any, with what it cost."""
        if self._outage is None:
            return
        started, dropped_before = self._outage
        self._outage = None
        _LOG.warning(
            "usage store outage over: counts are written to %s again after %.0f s; "
            "%d counts (impressions + opens) were lost during the outage",
            self.path,
            time.monotonic() - started,
            self.dropped - dropped_before,
        )

    def _after_record(self, size: int) -> None:
        """Start the flusher on first use; wake it early when the batch is large."""
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name=f"usage-flush-{_name(self.path)}", daemon=True
                    )
                    self._thread.start()
        if size >= BATCH_LIMIT:
            self._wake.set()

    def _run(self) -> None:
        """The background flusher: every interval, or when woken by a large batch."""
        while True:
            self._wake.wait(FLUSH_INTERVAL_S)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # never let the flusher die: the next run may succeed
                _LOG.exception("usage flush to %s failed", self.path)


def _name(where: store.Location) -> str:
    """A short name for the flusher thread: the file's, or the server database's."""
    return where.name if isinstance(where, Path) else where.url.rsplit("/", 1)[-1]


_recorders: dict[str, UsageRecorder] = {}
_recorders_lock = threading.Lock()


def recorder(path: store.Where) -> UsageRecorder:
    """The process-wide recorder of the database at ``path`` (one per absolute path or
    server URL)."""
    key = store.key_of(path)
    with _recorders_lock:
        found = _recorders.get(key)
        if found is None:
            found = _recorders[key] = UsageRecorder(key)
        return found


def to_count(previous: tuple[str, ...], current: tuple[str, ...]) -> tuple[str, ...]:
    """The venue ids of ``current`` that a page should count as new impressions.

    A rerun that shows the same list counts nothing; a list that grew at its end ("show
    more", a selection far down) counts only the added entries, which were not on screen
    before; any other change of the ids or their order (a filter, a start point) is a new
    list and counts all of it. A change that keeps the ids (the language) counts nothing.
    """
    if current == previous:
        return ()
    if current[: len(previous)] == previous:
        return current[len(previous) :]
    return current


def _read(
    path: store.Where, sql: str, args: tuple[str, ...], columns: list[str]
) -> pd.DataFrame | None:
    """Rows of ``sql`` as a frame, or None when the database cannot be read."""
    try:
        conn = store.connect(path, create=False)
    except (store.Error, OSError):
        return None
    try:
        rows = conn.execute(sql, args).fetchall()
    except store.Error:  # no table yet, a corrupt file, the server gone meanwhile
        return None
    finally:
        conn.close()
    return pd.DataFrame(rows, columns=columns) if rows else None


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def monthly(path: store.Where, venue_id: str) -> pd.DataFrame:
    """One venue's counts by month: columns ``month`` ('YYYY-MM'), ``impressions``,
    ``opens``, oldest first. Empty when nothing was recorded or the database is missing
    or unreadable (the file is never created here)."""
    columns = {"month": "str", "impressions": "int64", "opens": "int64"}
    frame = _read(
        path,
        "SELECT substr(day, 1, 7) AS month, SUM(impressions), SUM(opens) "
        "FROM usage WHERE venue_id = ? GROUP BY month ORDER BY month",
        (venue_id,),
        list(columns),
    )
    return _empty(columns) if frame is None else frame.astype(columns)


def totals(path: store.Where, since: date | None = None) -> pd.DataFrame:
    """Every venue's counts summed over the days from ``since`` (all days if None):
    index ``venue_id``, columns ``impressions``, ``opens``, most shown first. Empty
    when nothing was recorded or the database is missing or unreadable."""
    columns = {"venue_id": "str", "impressions": "int64", "opens": "int64"}
    frame = _read(
        path,
        "SELECT venue_id, SUM(impressions) AS shown, SUM(opens) FROM usage "
        "WHERE day >= ? GROUP BY venue_id ORDER BY shown DESC, venue_id",
        ((since or date.min).isoformat(),),
        list(columns),
    )
    return (_empty(columns) if frame is None else frame.astype(columns)).set_index("venue_id")
