"""Months as 1-12 and seasons across the year end (mapping.months)."""

from __future__ import annotations

import pytest

from mapping import months


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ((10, 11, 12, 1, 2, 3, 4), ((10, 4),)),  # Kotor's off-season: one run over New Year
        ((1, 2, 4, 10, 11, 12), ((4, 4), (10, 2))),
        ((6, 7, 12), ((6, 7), (12, 12))),
        ((3,), ((3, 3),)),
        ((5, 5, 6), ((5, 6),)),  # repeats do not make a run longer
        (tuple(range(1, 13)), ((1, 12),)),  # all year: one run, January first
        ((), ()),
    ],
)
def test_month_runs_cross_the_year_end(chosen: tuple[int, ...], expected: tuple) -> None:
    assert months.month_runs(chosen) == expected


def test_month_runs_cover_each_month_once_in_season_order() -> None:
    chosen = (12, 1, 5, 6, 7, 9)
    runs = months.month_runs(iter(chosen))  # any iterable, read once
    spelled = tuple(m for run in runs for m in months.month_run(*run))
    assert spelled == months.season_order(chosen)
