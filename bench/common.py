"""What every benchmark section shares: where the data is, the synthetic sizes, timing."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol, cast

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SIZES = (1_000, 10_000, 50_000)
YEAR = 2026
"""The year of the synthetic events and of the dates the sections ask about: fixed, so a
run next year measures the same work (the wall clock only dates the printed header)."""
DAY = date(YEAR, 7, 15)
"""The day the members' figures are computed for (a summer weekday of :data:`YEAR`)."""


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``fn`` in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    """Seconds as right-aligned milliseconds, the unit every table prints."""
    return f"{seconds * 1000:9.1f} ms"


class _Remembered(Protocol):
    """A function wrapped by ``memo.per_dataset``: it also has ``cache_clear`` (which the
    wrapper's declared type, the function's own signature, does not show)."""

    def cache_clear(self) -> None: ...


def forget(fn: Callable[..., object]) -> None:
    """Drop every answer ``fn`` (a ``memo.per_dataset`` function) remembers: a cold timing."""
    cast("_Remembered", fn).cache_clear()
