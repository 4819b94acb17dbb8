"""Section ``usage`` (issue 10): impressions written per second through the pages'
batching, against one UPSERT transaction per record; the cost of one ``shown()`` call."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import YEAR, median_time, ms
from mapping import store, usage


def _one_transaction_per_record(path: Path, records: list[tuple[str, str]]) -> None:
    """Baseline: each record its own ``BEGIN IMMEDIATE`` + UPSERT + ``COMMIT``."""
    conn = store.connect(path)
    try:
        conn.execute(usage.SCHEMA)
        for venue_id, day in records:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(usage.UPSERT, (venue_id, day, 1, 0))
            conn.execute("COMMIT")
    finally:
        conn.close()


def bench_usage() -> None:
    print("\n== Usage store: impressions written per second (one record = one venue shown once)")
    print("   batched = the pages' way: recorder.shown(30 ids) in memory, then one flush;")
    print("   baseline = one INSERT ... ON CONFLICT DO UPDATE transaction per record")
    day = date(YEAR, 12, 5)
    ids = [f"venue-{i}" for i in range(300)]
    lists = [ids[(i % 10) * 30 : (i % 10 + 1) * 30] for i in range(3_000)]  # 90,000 records
    baseline_records = [(venue_id, day.isoformat()) for venue_id in ids] * 10  # 3,000
    with tempfile.TemporaryDirectory() as tmp:
        rec = usage.UsageRecorder(Path(tmp) / "batched.sqlite")
        start = time.perf_counter()
        for shown in lists:
            rec.shown(shown, day)
        record_s = time.perf_counter() - start
        rec.flush()
        batched_s = time.perf_counter() - start
        batched_n = sum(len(shown) for shown in lists)
        start = time.perf_counter()
        _one_transaction_per_record(Path(tmp) / "single.sqlite", baseline_records)
        single_s = time.perf_counter() - start
        stored = (
            int(usage.totals(Path(tmp) / "batched.sqlite")["impressions"].sum()),
            int(usage.totals(Path(tmp) / "single.sqlite")["impressions"].sum()),
        )
    batched_rate, single_rate = batched_n / batched_s, len(baseline_records) / single_s
    print(f"{'':>26} {'records':>8} {'time':>12} {'records/s':>12}")
    print(
        f"{'batched (shown + flush)':>26} {batched_n:>8} {ms(batched_s):>12} "
        f"{batched_rate:>12,.0f}   (of which shown(): {ms(record_s).strip()})"
    )
    print(
        f"{'one transaction/record':>26} {len(baseline_records):>8} {ms(single_s):>12} "
        f"{single_rate:>12,.0f}"
    )
    print(
        f"   batched / baseline: {batched_rate / single_rate:.0f}x; all counts stored: "
        f"{'yes' if stored == (batched_n, len(baseline_records)) else 'NO'}"
    )
    calls = 2_000
    with tempfile.TemporaryDirectory() as tmp:
        rec = usage.UsageRecorder(Path(tmp) / "calls.sqlite")
        thirty = ids[:30]

        def many() -> None:
            for _ in range(calls):
                rec.shown(thirty, day)

        per_call = median_time(many, 5) / calls
        rec.flush()
    print(
        f"   one shown() call of 30 venue ids: {per_call * 1e6:.1f} µs "
        f"(median of 5 × {calls:,} calls; memory only, no I/O)"
    )
