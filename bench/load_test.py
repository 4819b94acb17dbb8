"""Load test: N concurrent visitors on one app server, through Streamlit's own protocol.

Usage::

    .venv/bin/python bench/load_test.py [DATA] [--sessions 60] [--duration 60]
        [--think 5] [--baseline c8e62b1 | --no-baseline] [--seed 1]

It starts the app itself (``scripts/serve.py``, the launcher the browser tests use, on a
free local port, data folder ``DATA``, default ``data/``) and runs ``--sessions``
simulated visitors for ``--duration`` seconds. Each visitor is a websocket client of
``/_stcore/stream`` that speaks what the browser speaks: protobuf ``BackMsg`` with
``rerun_script`` (the query string, the page, the widget states of the widgets the last
run drew, the hashes of the cached elements it holds) and reads ``ForwardMsg`` until
``script_finished``. It follows the URL the server writes (``page_info_changed``) and
keeps Streamlit's message cache (``ref_hash``) as the browser does, so the bytes it
counts are the bytes a browser would get. Widget ids come from the deltas (``$$ID-…-key``).
The visitor is :class:`bench.load_visitor.Visitor`.

What a visitor does, in random order, with a think time between steps (uniform between
half and one and a half times ``--think`` seconds): opens Explore (a new session), ticks
and unticks filters (``members``, ``access``, ``orgs``, ``when``, categories), picks a
start point (the ``start`` select box), opens a venue's card (the nearest-first list's
``pick`` trigger, the same message the list sends when a marker is clicked), switches to
What's on and changes its range or filters, switches language (``lang``), goes back to
Explore. Visitors arrive spread over the first ``--ramp`` seconds.

Reported per build: interactions and errors (a traceback element, an error alert, a
script compile error, "page not found", a dropped connection or no ``script_finished``
within 60 s), p50 / p95 / max seconds from sending an interaction to its
``script_finished`` (a run that ends early for a rerun — ``st.rerun`` — is followed to
the run that settles), script runs per second, kB received per interaction, the server's
peak resident memory (``VmHWM`` of its process) and memory per extra session
(resident memory with all sessions connected minus with one, divided by N - 1).

The baseline build (``--baseline``, a git revision, default ``c8e62b1``) is checked out
with ``git worktree add --detach`` into a temporary folder, served from there with this
``.venv``, measured with the same scenario and seed, and the worktree removed again.

Not part of the default test run; ``tests/test_load.py`` runs a short version (5
sessions) that asserts 0 errors. The machine's cores are shared with the load
generator, so absolute figures are noisy; compare builds within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script

from bench.load_visitor import Results, RunError, Visitor  # noqa: E402
from mapping.store import DB_ENV_VAR  # noqa: E402
from tests.browser.harness import StreamlitServer  # noqa: E402

BASELINE = "c8e62b1"


async def _visit(
    url: str,
    seed: int,
    results: Results,
    delay: float,
    end: float,
    think: float,
    connected: list[Visitor],
) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    visitor = Visitor(url, rng, results)
    try:
        await visitor.connect()
        connected.append(visitor)
        await visitor.open_explore()
        while time.monotonic() < end:
            await asyncio.sleep(
                min(rng.uniform(0.5 * think, 1.5 * think), max(0.0, end - time.monotonic()))
            )
            if time.monotonic() >= end:
                break
            await visitor.step()
    except RunError as exc:
        results.errors.append(str(exc))
    except (OSError, websockets.exceptions.WebSocketException) as exc:
        results.errors.append(f"connection: {type(exc).__name__}: {exc}")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kb(pid: int, field_name: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


async def _load(
    url: str, pid: int, sessions: int, duration: float, think: float, ramp: float, seed: int
) -> Results:
    results = Results(sessions=sessions)
    warm = Results()
    one = Visitor(url, random.Random(seed), warm)  # warms the caches; memory with 1 session
    await one.connect()
    await one.open_explore()
    await one.whats_on()
    await one.open_explore()
    results.rss_one_kb = _rss_kb(pid)
    await one.close()
    start = time.monotonic()
    cpu_start = _cpu_s(pid)
    end = start + duration
    connected: list[Visitor] = []
    tasks = [
        asyncio.create_task(
            _visit(url, seed * 1000 + i, results, ramp * i / sessions, end, think, connected)
        )
        for i in range(sessions)
    ]
    await asyncio.gather(*tasks)
    results.window_s = time.monotonic() - start
    results.cpu_s = _cpu_s(pid) - cpu_start
    results.rss_all_kb = _rss_kb(pid)
    for visitor in connected:
        await visitor.close()
    results.peak_kb = _rss_kb(pid, "VmHWM")
    return results


def measure(
    root: Path, data: Path, *, sessions: int, duration: float, think: float, ramp: float, seed: int
) -> Results:
    """Serve ``root``'s app on ``data`` and run the visitors against it."""
    with StreamlitServer(data, root=root) as server:
        assert server.process is not None
        pid = server.process.pid
        out: list[Results] = []
        failed: list[BaseException] = []

        def run() -> None:  # a thread of its own: the caller may be inside an event loop
            try:  # (pytest with Playwright's sync API running)
                out.append(
                    asyncio.run(_load(server.url, pid, sessions, duration, think, ramp, seed))
                )
            except BaseException as exc:  # handed to the caller below
                failed.append(exc)

        worker = threading.Thread(target=run, name="load-test-visitors")
        worker.start()
        worker.join()
        if failed:
            raise failed[0]
        return out[0]


@contextmanager
def checkout(revision: str) -> Iterator[Path]:
    """A detached worktree of ``revision`` in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kcm-load-") as tmp:
        path = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), revision],
            check=True,
        )
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False
            )


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(name: str, r: Results) -> list[str]:
    """The figures of one build, one line each."""
    lat = r.all_latencies()
    per_session = (r.rss_all_kb - r.rss_one_kb) / max(1, r.sessions - 1) / 1024
    lines = [
        f"{name}: {r.sessions} sessions, {r.interactions} interactions in {r.window_s:.0f} s, "
        f"errors {len(r.errors)}",
        f"  interaction -> script_finished  p50 {_pct(lat, 50):.2f} s  p95 {_pct(lat, 95):.2f} s"
        f"  max {max(lat, default=float('nan')):.2f} s",
        f"  script runs/s {r.runs / r.window_s if r.window_s else 0:.1f}   received per "
        f"interaction {r.bytes_received / max(1, r.interactions) / 1024:.1f} kB   server CPU "
        f"{r.cpu_s / r.window_s if r.window_s else 0:.2f} cores, "
        f"{1000 * r.cpu_s / max(1, r.runs):.0f} ms per run",
        f"  server memory: peak {r.peak_kb / 1024:.0f} MB, 1 session {r.rss_one_kb / 1024:.0f} MB,"
        f" {r.sessions} sessions {r.rss_all_kb / 1024:.0f} MB, per extra session "
        f"{per_session:.2f} MB",
    ]
    for action, unsorted in sorted(r.latencies.items()):
        values = sorted(unsorted)
        lines.append(
            f"    {action:<17} n {len(values):>4}  p50 {_pct(values, 50):.2f}  "
            f"p95 {_pct(values, 95):.2f}  max {values[-1]:.2f}"
        )
    for error, count in sorted(_count(r.errors).items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"    error x{count}: {error}")
    return lines


def _count(items: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    # Synthetic visits are never visitors' usage: every server started here records its
    # impressions into a throw-away database, not the town's (mapping.store).
    os.environ[DB_ENV_VAR] = str(Path(tempfile.mkdtemp(prefix="kcm-bench-")) / "usage.sqlite")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT / "data")
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean think time between a visitor's steps, seconds",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=None,
        help="seconds over which visitors arrive (default: duration / 4)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    args.data = args.data.resolve()  # the baseline is served from another folder
    ramp = args.duration / 4 if args.ramp is None else args.ramp
    on_build = partial(
        measure,
        data=args.data,
        sessions=args.sessions,
        duration=args.duration,
        think=args.think,
        ramp=ramp,
        seed=args.seed,
    )
    print(
        f"load test: {args.sessions} sessions x {args.duration:.0f} s, think "
        f"{args.think / 2:.1f}-{args.think * 1.5:.1f} s, arrivals over {ramp:.0f} s, "
        f"data {args.data}, seed {args.seed}",
        flush=True,
    )
    current = on_build(ROOT)
    lines = report("this build (" + _describe(ROOT) + ")", current)
    if not args.no_baseline:
        with checkout(args.baseline) as tree:
            base = on_build(tree)
        lines += report(f"baseline ({_describe(ROOT, args.baseline)})", base)
    print("\n".join(lines))
    return 1 if current.errors else 0


def _describe(root: Path, revision: str = "HEAD") -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%h", revision],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = (
        revision == "HEAD"
        and subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    return (out or revision) + (" + uncommitted changes" if dirty else "")


if __name__ == "__main__":
    threading.current_thread().name = "load-test"
    sys.exit(main())
