"""Load test: N concurrent visitors on one app server, through Streamlit's own protocol.

Usage::

    .venv/bin/python bench/load_test.py [DATA] [--sessions 60] [--duration 60]
        [--think 5] [--mode direct|proxy|replicas ...] [--baseline c8e62b1 | --no-baseline]
        [--seed 1]

It starts the app itself (``scripts/serve.py``, the launcher the browser tests use, on a
free local port, data folder ``DATA``, default ``data/``) and runs ``--sessions``
simulated visitors for ``--duration`` seconds. ``--mode`` (repeatable; default
``direct``) says what the visitors reach:

- ``direct``: the one app server, as before;
- ``proxy``: Debian's nginx with the deployment's configuration in front of it
  (``tests/proxy.py``, the proxy the tests run), the members' database a SQLite file;
- ``replicas``: two app servers sharing one PostgreSQL database (a throw-away server,
  ``tests/postgres.py``) behind that nginx, sticky by the client's address (``ip_hash``),
  as ``deploy/compose.yaml`` runs them with its second replica switched on.

Every visitor connects from a loopback address of its own (``127.0.<n>.1``), so through
the proxy each is one client, as visitors are: the proxy's per-client limits (40
connections, 10 requests per second with bursts of 50) apply to each as they would to a
real visitor and need no raising, and ``ip_hash`` (which hashes the first three octets
of an IPv4 address) spreads them over the replicas; the report says how many sessions
each replica served. Each visitor is a websocket client of
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
``.venv``, measured with the same scenario and seed (``direct`` only), and the worktree
removed again. With two replicas, CPU and memory are the sums over both processes.

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
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script

from bench.load_visitor import Results, RunError, Visitor  # noqa: E402
from mapping.store import DB_ENV_VAR  # noqa: E402
from mapping.submissions.clients import TRUSTED_PROXY_ENV  # noqa: E402
from tests.browser.harness import StreamlitServer  # noqa: E402
from tests.postgres import running_server  # noqa: E402
from tests.proxy import NginxProxy  # noqa: E402

BASELINE = "c8e62b1"
MODES = ("direct", "proxy", "replicas")
STREAM = "/_stcore/stream"


def source_address(number: int) -> str:
    """Visitor ``number``'s own loopback address, ``127.0.<number + 1>.1``: a client of
    its own for the proxy, and a /24 of its own for ``ip_hash``."""
    n = number + 1
    return f"127.{n // 256}.{n % 256}.1"


async def _visit(
    url: str,
    seed: int,
    results: Results,
    delay: float,
    end: float,
    think: float,
    connected: list[Visitor],
    source: str | None = None,
) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    visitor = Visitor(url, rng, results, source)
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
    url: str,
    pids: list[int],
    warm_urls: list[str],
    sessions: int,
    duration: float,
    think: float,
    ramp: float,
    seed: int,
) -> Results:
    results = Results(sessions=sessions)
    warm = Results()
    for warm_url in warm_urls:  # warms each server's caches; memory with 1 session each
        one = Visitor(warm_url, random.Random(seed), warm)
        await one.connect()
        await one.open_explore()
        await one.whats_on()
        await one.open_explore()
        await one.close()
    results.rss_one_kb = sum(_rss_kb(pid) for pid in pids)
    start = time.monotonic()
    cpu_start = sum(_cpu_s(pid) for pid in pids)
    end = start + duration
    connected: list[Visitor] = []
    tasks = [
        asyncio.create_task(
            _visit(
                url,
                seed * 1000 + i,
                results,
                ramp * i / sessions,
                end,
                think,
                connected,
                source_address(i),
            )
        )
        for i in range(sessions)
    ]
    await asyncio.gather(*tasks)
    results.window_s = time.monotonic() - start
    results.cpu_s = sum(_cpu_s(pid) for pid in pids) - cpu_start
    results.rss_all_kb = sum(_rss_kb(pid) for pid in pids)
    for visitor in connected:
        await visitor.close()
    results.peak_kb = sum(_rss_kb(pid, "VmHWM") for pid in pids)
    return results


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set (what a server started inside inherits)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _serve(
    stack: ExitStack, root: Path, data: Path, mode: str
) -> tuple[list[StreamlitServer], NginxProxy | None]:
    """The servers of ``mode`` (:data:`MODES`), stopped when ``stack`` closes."""
    env: dict[str, str] = {}
    if mode != "direct":
        env[TRUSTED_PROXY_ENV] = "1"  # as deploy/compose.yaml runs the app behind nginx
    if mode == "replicas":
        env[DB_ENV_VAR] = stack.enter_context(running_server()).new_database()
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = "one-secret-for-every-replica"
    with _environment(env):
        servers = [
            stack.enter_context(StreamlitServer(data, root=root))
            for _ in range(2 if mode == "replicas" else 1)
        ]
    if mode == "direct":
        return servers, None
    proxy = NginxProxy([f"127.0.0.1:{server.port}" for server in servers])
    return servers, stack.enter_context(proxy)


def _sessions_per_replica(proxy: NginxProxy, expected: int) -> dict[str, int]:
    """How many websocket sessions nginx sent to each replica. nginx logs a websocket
    when it closes: wait (bounded) until the closed visitors' lines are all there."""
    deadline = time.monotonic() + 10
    while True:
        rows = [upstream for _c, upstream, request in proxy.served_by() if STREAM in request]
        if len(rows) >= expected or time.monotonic() > deadline:
            return _count(rows)
        time.sleep(0.1)  # nginx finishing the log lines of sockets just closed


def measure(
    root: Path,
    data: Path,
    *,
    sessions: int,
    duration: float,
    think: float,
    ramp: float,
    seed: int,
    mode: str = "direct",
) -> Results:
    """Serve ``root``'s app on ``data`` as ``mode`` says and run the visitors against it."""
    with ExitStack() as stack:
        servers, proxy = _serve(stack, root, data, mode)
        pids = [server.process.pid for server in servers if server.process is not None]
        url = servers[0].url if proxy is None else proxy.url
        warm_urls = [server.url for server in servers]
        out: list[Results] = []
        failed: list[BaseException] = []

        def run() -> None:  # a thread of its own: the caller may be inside an event loop
            try:  # (pytest with Playwright's sync API running)
                out.append(
                    asyncio.run(_load(url, pids, warm_urls, sessions, duration, think, ramp, seed))
                )
            except BaseException as exc:  # handed to the caller below
                failed.append(exc)

        worker = threading.Thread(target=run, name="load-test-visitors")
        worker.start()
        worker.join()
        if failed:
            raise failed[0]
        if proxy is not None:
            out[0].per_replica = _sessions_per_replica(proxy, sessions)
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
    if r.per_replica:
        lines.append(
            "  sessions per app server behind the proxy: "
            + ", ".join(f"{upstream} {n}" for upstream, n in sorted(r.per_replica.items()))
        )
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
    parser.add_argument(
        "data",
        nargs="?",
        type=Path,
        default=None,
        help="data folder (default: each build's own data/, so an older baseline reads "
        "the data its code was written for)",
    )
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
    parser.add_argument(
        "--mode",
        action="append",
        choices=MODES,
        help="what the visitors reach: one app server (direct, the default), nginx in front "
        "of it (proxy), two replicas on PostgreSQL behind nginx (replicas); repeat to run "
        "several in a row",
    )
    parser.add_argument(
        "--baseline", default=BASELINE, help="git revision to compare with (direct only)"
    )
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    args.data = args.data and args.data.resolve()  # the baseline is served elsewhere
    ramp = args.duration / 4 if args.ramp is None else args.ramp
    on_build = partial(
        measure,
        sessions=args.sessions,
        duration=args.duration,
        think=args.think,
        ramp=ramp,
        seed=args.seed,
    )
    print(
        f"load test: {args.sessions} sessions x {args.duration:.0f} s, think "
        f"{args.think / 2:.1f}-{args.think * 1.5:.1f} s, arrivals over {ramp:.0f} s, "
        f"data {args.data or 'each build’s own data/'}, seed {args.seed}",
        flush=True,
    )
    modes = args.mode or ["direct"]
    errors = 0
    for mode in modes:  # each printed as soon as it is measured
        current = on_build(ROOT, data=args.data or ROOT / "data", mode=mode)
        errors += len(current.errors)
        print("\n".join(report(f"this build ({_describe(ROOT)}), {mode}", current)), flush=True)
    if "direct" in modes and not args.no_baseline:
        with checkout(args.baseline) as tree:
            base = on_build(tree, data=args.data or tree / "data")
        print("\n".join(report(f"baseline ({_describe(ROOT, args.baseline)}), direct", base)))
    return 1 if errors else 0


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
