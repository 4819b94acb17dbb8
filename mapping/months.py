"""Months of the year as numbers 1-12, and seasons that run across the year end.

The one home of "a season from October to April": every page, the planners' figures
and the members' sample moments read a run of months through :func:`month_run` and put
a season in its running order with :func:`season_order`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def month_run(first: int, last: int) -> tuple[int, ...]:
    """Months from ``first`` to ``last`` inclusive, across the year end (10→4: Oct..Apr)."""
    for month in (first, last):
        if not 1 <= month <= 12:
            msg = f"month must be 1-12, got {month!r}"
            raise ValueError(msg)
    return tuple((first - 1 + step) % 12 + 1 for step in range((last - first) % 12 + 1))


def season_order(months: Sequence[int]) -> tuple[int, ...]:
    """Months of a season in the order it runs: the one after the longest break first.

    ``(1, 2, 3, 4, 10, 11, 12)`` → ``(10, 11, 12, 1, 2, 3, 4)``: the coming off-season
    runs across the year end.
    """
    chosen = sorted(set(months))
    if len(chosen) in (0, 12):
        return tuple(chosen)
    start = next(m for m in chosen if (m - 2) % 12 + 1 not in chosen)
    return tuple(m for m in month_run(start, (start - 2) % 12 + 1) if m in chosen)


def next_month(year: int, month: int) -> tuple[int, int]:
    """The (year, month) after ``month`` of ``year``: December runs into the next January."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_runs(months: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Runs ``(first, last)`` of consecutive months, across the year end, in season order.

    ``(1, 2, 4, 10, 11, 12)`` → ``((4, 4), (10, 2))``: December runs into January. All
    twelve months are one run, ``(1, 12)``; no months, no runs.
    """
    runs: list[tuple[int, int]] = []
    for month in season_order(tuple(months)):
        if runs and month == runs[-1][1] % 12 + 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return tuple(runs)
