"""Section ``hours`` (issue 20): the proposal for one typed hours string
(:func:`mapping.hours_tolerant.propose`, target at most 5 ms), against the strict check of
the same strings in the same run (what the form already paid on every keystroke)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from mapping import hours, hours_tolerant

STRINGS = (
    "pon-pet 10-18h",
    "Mon–Sat 10am-6pm",
    "Mo – Fr: 9 – 12 Uhr und Mo, Di, Do: 15 – 18 Uhr",
)
RUNS = 2_000


def _times(fn: Callable[[str], object], value: str) -> list[float]:
    """``RUNS`` timings of ``fn(value)`` in milliseconds (one call each, no cache)."""
    out = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(value)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _row(name: str, timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=20)[-1]
    return f"{name:>34} {statistics.median(timings):>9.3f} {p95:>9.3f}"


def bench_hours() -> None:
    print("\n== Hours: the proposal for one typed string (target <= 5 ms), ms per call")
    print(f"   {RUNS} uncached calls each; baseline = the strict check in the same run")
    propose = hours_tolerant.propose.__wrapped__  # the lru_cache would time a dict lookup
    print(f"{'':>34} {'median':>9} {'p95':>9}")
    for value in STRINGS:
        proposal = propose(value)
        print(f"   {value!r} -> {proposal!r}")
        print(_row("proposal (propose)", _times(propose, value)))
        print(_row("baseline: strict check (typed)", _times(hours.check, value)))
        print(_row("baseline: strict check (proposal)", _times(hours.check, proposal or "")))
