"""Section ``rerun`` (issues 3 and 25): Explore's rerun after a filter change, through
AppTest: a filter asked before (its answers remembered) and a new one each time (the
categories chosen differ on every rerun, so nothing of it is remembered yet: the step
the load test's "filter" interactions mostly are)."""

from __future__ import annotations

import itertools
import statistics
import time

from bench.common import ROOT, ms


def _line(label: str, times: list[float]) -> str:
    return (
        f"   {label}: median of {len(times)} reruns {ms(statistics.median(times))}  "
        f"(min {ms(min(times))}, max {ms(max(times))})"
    )


def bench_rerun() -> None:
    from streamlit.testing.v1 import AppTest

    print("\n== Explore rerun after a filter change (AppTest, Kotor data)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    toggles = []
    for i in range(21):
        box = at.sidebar.checkbox(key="members")
        start = time.perf_counter()
        box.set_value(i % 2 == 0).run()
        toggles.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    print(_line("a filter asked before (members on/off), first run excluded", toggles[1:]))
    at.sidebar.checkbox(key="members").set_value(False).run()
    options = list(at.sidebar.multiselect(key="cat").options)
    combos = itertools.islice(itertools.combinations(range(len(options)), 3), 0, 40, 2)
    fresh = []
    for combo in combos:
        chosen = [at.sidebar.multiselect(key="cat").options[i] for i in combo]
        choice = at.sidebar.multiselect(key="cat")
        start = time.perf_counter()
        choice.set_value(chosen).run()
        fresh.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    print(_line("a new choice of categories each time", fresh))
