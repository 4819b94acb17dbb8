"""Section ``rerun`` (issues 3 and 25): Explore's rerun after a filter change, through
AppTest: a filter asked before (its answers remembered) and a new one each time (the
categories chosen differ on every rerun, so nothing of it is remembered yet: the step
the load test's "filter" interactions mostly are).

Wall time and the process's CPU time are both printed: on a shared machine the wall
time waits for other work, while the CPU time is what the rerun itself cost. AppTest
compiles the page scripts again on every run (a new script cache per run), which the
server does not: about 15 ms of each figure here is that.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable

from bench.common import ROOT, ms


def _timed(run: Callable[[], object], wall: list[float], cpu: list[float]) -> None:
    start, start_cpu = time.perf_counter(), time.process_time()
    run()
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)


def _line(label: str, wall: list[float], cpu: list[float]) -> str:
    return (
        f"   {label}: median of {len(wall)} reruns {ms(statistics.median(wall))} wall "
        f"(min {ms(min(wall))}, max {ms(max(wall))}), {ms(statistics.median(cpu))} CPU"
    )


def bench_rerun() -> None:
    from streamlit.testing.v1 import AppTest

    print("\n== Explore rerun after a filter change (AppTest, Kotor data)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    wall: list[float] = []
    cpu: list[float] = []
    for i in range(21):
        box = at.checkbox(key="members")
        _timed(box.set_value(i % 2 == 0).run, wall, cpu)
    assert not at.exception, at.exception
    print(_line("a filter asked before (members on/off)", wall[1:], cpu[1:]))
    at.checkbox(key="members").set_value(False).run()
    options = list(at.multiselect(key="cat").options)
    wall, cpu = [], []
    for combo in itertools.islice(itertools.combinations(range(len(options)), 3), 0, 60, 2):
        choice = at.multiselect(key="cat")
        chosen = [choice.options[i] for i in combo]
        _timed(choice.set_value(chosen).run, wall, cpu)
    assert not at.exception, at.exception
    print(_line("a new choice of categories each time", wall, cpu))
