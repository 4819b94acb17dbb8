"""Section ``rerun`` (issue 3): Explore's rerun after a filter change, through AppTest."""

from __future__ import annotations

import statistics
import time

from bench.common import ROOT, ms


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
    print(
        f"   first run excluded; median of {len(toggles) - 1} reruns: "
        f"{ms(statistics.median(toggles[1:]))}  (min {ms(min(toggles[1:]))}, "
        f"max {ms(max(toggles[1:]))})"
    )
