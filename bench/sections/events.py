"""Section ``events`` (issue 4): What's on's filter + expand occurrences + group by day."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from bench.common import DATA, YEAR, median_time, ms
from mapping import events as ev
from mapping import synthetic
from mapping.io import load_dataset


def bench_events() -> None:
    print("\n== What's on: filter + expand occurrences + group by day (30-day range)")
    kotor = load_dataset(DATA)
    tz = kotor.city.timezone
    first = date(YEAR, 12, 1)
    last = first + timedelta(days=29)

    def run(events: pd.DataFrame, member_ids: set[str]) -> int:
        occ = ev.occurrences(events, first, last, tz)
        occ = ev.filter_occurrences(occ, categories=None, venue_ids=member_ids, text="", lang="en")
        return len(ev.group_by_day(occ, tz))

    kotor_ids = set(kotor.venues["id"])
    print(f"{'events':>8} {'time':>12}")
    print(f"{len(kotor.events):>8} {ms(median_time(lambda: run(kotor.events, kotor_ids), 7)):>12}")
    venue_ids = pd.Series([f"syn-{i}" for i in range(10_000)])
    synth = synthetic.events(venue_ids, 20, YEAR)
    for col in ("start", "end"):
        synth[col] = synth[col].dt.tz_localize(tz)
    ids = set(venue_ids)
    print(f"{len(synth):>8} {ms(median_time(lambda: run(synth, ids), 5)):>12}")
