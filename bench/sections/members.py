"""Section ``members`` (issue 10): what the members' page computes for one venue, cold,
for another venue and warm; the completeness table against a per-venue loop; the overview.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

from bench.common import DATA, DAY, forget, median_time, ms
from mapping import explore, members, synthetic
from mapping.io import Dataset, enrich_dataset, load_dataset

MEMBER_MEMOS: tuple[Callable[..., object], ...] = (
    explore.filtered,
    explore.nearest_first,
    explore.start_points,
)
"""Explore's remembered answers the members' page uses (its own: members.forget_remembered)."""


def _forget_members() -> None:
    """Forget every remembered answer the members' page uses: a cold measurement."""
    members.forget_remembered()
    for fn in MEMBER_MEMOS:
        forget(fn)


def members_page(data: Dataset, venue_id: str, today: date, lang: str) -> None:
    """What the members' page computes for one venue."""
    members.completeness(data, venue_id, today)
    members.findability(data, venue_id, today, lang)
    members.monthly_reach(data, venue_id)
    members.proximity(data, venue_id, lang)  # entry-point minutes, ranks and neighbours


def bench_members() -> None:
    print("\n== Members' page: one venue (completeness, findability, reach, proximity with")
    print("   neighbours) and the overview of members; cold = every remembered answer")
    print("   (memo.per_dataset) forgotten first, as after a data reload; 'other venue' =")
    print("   the dataset-level answers (near lists, medians) remembered, the venue's not;")
    print("   warm = the same venue again. Naive = completeness venue by venue, the scalar")
    print(f"   function in a loop (timed on 500 venues, scaled to all). Day: {DAY:%Y-%m-%d}.")
    kotor = load_dataset(DATA)
    syn = replace(kotor, venues=synthetic.venues(10_000, kotor.city, list(kotor.categories["id"])))
    syn = enrich_dataset(syn)
    syn = replace(syn, events=synthetic.events(syn.venues["id"].iloc[::3], 1, DAY.year))
    today = DAY
    lang = kotor.city.default_language
    print(
        f"{'data':>10} {'venues':>7} {'cold':>10} {'other venue':>12} {'warm':>10} "
        f"{'table':>10} {'naive table':>12} {'naive/ours':>11} {'overview':>10} {'members':>8}"
    )
    for label, data in (("kotor", kotor), ("synthetic", syn)):
        ids = [str(v) for v in data.venues["id"]]
        picks = iter(ids[::7])

        def cold(data: Dataset = data, picks: Iterator[str] = picks) -> None:
            _forget_members()
            members_page(data, next(picks), today, lang)

        def other(data: Dataset = data, picks: Iterator[str] = picks) -> None:
            members_page(data, next(picks), today, lang)

        def warm(data: Dataset = data, first: str = ids[0]) -> None:
            members_page(data, first, today, lang)

        def table(data: Dataset = data) -> None:
            forget(members.completeness_table)
            members.completeness_table(data, today)

        def overview(data: Dataset = data) -> None:
            members.forget_remembered()  # the table and the overview rows built again
            members.overview(data, None, today, lang)

        cold_s = median_time(cold, 5)
        members_page(data, ids[0], today, lang)
        other_s = median_time(other, 5)
        warm_s = median_time(warm, 5)
        table_s = median_time(table, 5)
        sample = ids[:500]
        forget(members.completeness)
        start = time.perf_counter()
        naive = {v: members.completeness(data, v, today).score for v in sample}
        naive_s = (time.perf_counter() - start) * len(ids) / len(sample)
        ours = members.completeness_table(data, today).set_index("id")["score"]
        assert all(ours[v] == score for v, score in naive.items()), "naive and table disagree"
        overview_s = median_time(overview, 5)
        rows = len(members.overview(data, None, today, lang))
        print(
            f"{label:>10} {len(ids):>7} {ms(cold_s):>10} {ms(other_s):>12} {ms(warm_s):>10} "
            f"{ms(table_s):>10} {ms(naive_s):>12} {naive_s / table_s:>10.0f}x "
            f"{ms(overview_s):>10} {rows:>8}"
        )
