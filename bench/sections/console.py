"""Section ``console`` (issue 20): the review console's list of 1,000 pending
suggestions (target <= 300 ms), against the command line's ``listed`` in the same run.

The suggestions are synthetic (made here by code, of the three kinds, for the town's
venues) and stored in a throw-away SQLite members' database through the ledger's own
insert, as the members' form stores them.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import DATA, YEAR, ms
from mapping import console, store
from mapping.io import load_dataset
from mapping.submissions import ledger, review

COUNT = 1_000
REPEAT = 50
START = datetime(YEAR, 11, 1, 8, 0, tzinfo=UTC)


def _fill(path: Path, venue_ids: list[str]) -> None:
    """``COUNT`` pending suggestions, ten minutes apart, of every kind."""
    limits = ledger.Limits(per_client=COUNT + 1, per_venue=COUNT + 1, unusual=COUNT + 1)
    with ledger.opened(path) as conn:
        for i in range(COUNT):
            venue = venue_ids[i % len(venue_ids)]
            moment = START + timedelta(minutes=10 * i)
            if i % 10 == 9:
                kind, fields = (
                    "venue",
                    {
                        "name": f"Atelier {i}",
                        "category": "atelier",
                        "lat": 42.42,
                        "lon": 18.77,
                        "note": "new",
                    },
                )
            elif i % 10 == 8:
                kind, fields = (
                    "event",
                    {
                        "title_en": f"Evening {i}",
                        "category": "concert",
                        "venue_id": venue,
                        "timing": "dated",
                        "start": f"{YEAR + 1}-03-21T19:30",
                    },
                )
            else:
                kind, fields = (
                    "update",
                    {
                        "venue_id": venue,
                        "opening_hours": "Mo-Sa 10:00-18:00",
                        "website": f"https://example.org/{i}",
                        "description_en": "A studio " * 20,
                    },
                )
            venue_id = None if kind == "venue" else venue
            ledger.insert(
                conn, kind, venue_id, fields, moment, limits, f"ip:10.0.{i // 250}.{i % 250}"
            )


def _times(fn: Callable[[], object]) -> list[float]:
    fn()  # warm: the connection's first open, imports
    found = []
    for _ in range(REPEAT):
        gc.collect()
        start = time.perf_counter()
        fn()
        found.append(time.perf_counter() - start)
    return found


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def bench_console() -> None:
    print(f"\n== Review console: listing {COUNT:,} pending suggestions (SQLite, median and p95")
    print(f"   of {REPEAT} runs). console.pending = the page's query and frame: the first page")
    print("   (25, with the total) or every row; baseline = the CLI's review.listed (every row")
    print("   as a Submission, no frame). Target: <= 300 ms.")
    data = load_dataset(DATA, enrich=False)
    venue_ids = [str(v) for v in data.venues["id"]]
    now = START + timedelta(days=30)
    with tempfile.TemporaryDirectory(prefix="kcm-console-") as tmp:
        path = Path(tmp) / "members.sqlite"
        _fill(path, venue_ids)
        where = store.locate(path)
        rows: list[tuple[str, list[float], int]] = []
        first = console.pending(where, now=now)
        rows.append(
            (
                "console, first page",
                _times(lambda: console.pending(where, now=now)),
                len(first.frame),
            )
        )
        every = console.pending(where, now=now, per_page=None)
        rows.append(
            (
                "console, all rows",
                _times(lambda: console.pending(where, now=now, per_page=None)),
                len(every.frame),
            )
        )
        old = console.pending(where, now=now, per_page=None, min_age_days=7, kind="update")
        rows.append(
            (
                "console, filtered",
                _times(
                    lambda: console.pending(
                        where, now=now, per_page=None, min_age_days=7, kind="update"
                    )
                ),
                len(old.frame),
            )
        )
        listed = review.listed(data.folder, db=where)
        rows.append(
            (
                "baseline: review.listed",
                _times(lambda: review.listed(data.folder, db=where)),
                len(listed),
            )
        )
    assert first.total == COUNT == len(every.frame) == len(listed)
    print(f"{'':>26} {'rows':>6} {'median':>12} {'p95':>12}")
    for label, times, count in rows:
        print(f"{label:>26} {count:>6} {ms(statistics.median(times)):>12} {ms(_p95(times)):>12}")
