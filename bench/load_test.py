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
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mapping.store import DB_ENV_VAR  # noqa: E402
from tests.browser.harness import StreamlitServer  # noqa: E402

BASELINE = "c8e62b1"
RUN_TIMEOUT_S = 60.0
INTERNAL = "$$STREAMLIT_INTERNAL_KEY"  # bidi component trigger ids: f"{INTERNAL}_{id}__events"
SETTLED = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
ERROR_ALERT = 1  # Alert.Format.ERROR


class RunError(Exception):
    """The app answered an interaction with an error (or did not answer)."""


@dataclass
class Results:
    """What all visitors of one server measured."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    runs: int = 0  # script runs that ended (incl. runs ended early for a rerun)
    bytes_received: int = 0
    interactions: int = 0
    window_s: float = 0.0
    rss_one_kb: int = 0
    rss_all_kb: int = 0
    peak_kb: int = 0
    sessions: int = 0
    cpu_s: float = 0.0  # the server process's CPU time (user + system) during the window

    def all_latencies(self) -> list[float]:
        return sorted(x for values in self.latencies.values() for x in values)


def _key(widget_id: str) -> str:
    """``$$ID-<hash>-members`` -> ``members`` (the widget's user key; "" without one)."""
    parts = widget_id.split("-", 2)
    return parts[2] if widget_id.startswith("$$ID-") and len(parts) == 3 else ""


class Visitor:
    """One browser tab, as the server sees it: a websocket session of the app."""

    def __init__(self, url: str, rng: random.Random, results: Results) -> None:
        self.ws_url = url.replace("http://", "ws://") + "_stcore/stream"
        self.origin = url.rstrip("/")
        self.rng = rng
        self.results = results
        self.ws: Any = None
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> script hash
        self.elements: dict[str, tuple[str, Any]] = {}  # user key -> (type, proto) of last run
        self.values: dict[str, WidgetState] = {}  # widget id -> state we set
        self.changed: list[WidgetState] = []  # set since the last interaction
        self.cached: set[str] = set()

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            ping_interval=None,
            origin=self.origin,
            open_timeout=RUN_TIMEOUT_S,
        )

    async def close(self) -> None:
        if self.ws is not None:
            with suppress(Exception):
                await self.ws.close()

    async def rerun(
        self, action: str, triggers: list[WidgetState] | None = None, page: str | None = None
    ) -> None:
        """Send one interaction and wait until the app has settled; record it."""
        if page is not None and self.pages.get(page, page) != self.page_hash:
            self.page_hash = self.pages.get(page, "")
            self.query = ""  # a page switch starts with a clean URL, as in the browser
            self.elements, self.values, self.changed = {}, {}, []
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        # The widgets this interaction changed. The browser sends every mounted widget's
        # state; the server keeps the last value of a widget not sent, so this is the same
        # to the app, and never resends a label that a language switch made stale.
        state.widget_states.widgets.extend([*self.changed, *(triggers or [])])
        self.changed = []
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.timezone = "Europe/Podgorica"
        state.context_info.locale = "en-US"
        start = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self._until_settled(), RUN_TIMEOUT_S)
        except TimeoutError as exc:
            raise RunError(f"{action}: no script_finished within {RUN_TIMEOUT_S:.0f} s") from exc
        self.results.latencies.setdefault(action, []).append(time.monotonic() - start)
        self.results.interactions += 1

    async def _until_settled(self) -> None:
        elements: dict[str, tuple[str, Any]] = {}
        problems: list[str] = []
        while True:
            data = await self.ws.recv()
            self.results.bytes_received += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if fm.metadata.cacheable and fm.hash:
                self.cached.add(fm.hash)
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                etype = el.WhichOneof("type")
                proto = getattr(el, etype)
                if etype == "exception":
                    problems.append(f"exception {proto.type}: {proto.message[:120]}")
                elif etype == "alert" and proto.format == ERROR_ALERT:
                    problems.append(f"error alert: {proto.body[:120]}")
                wid = getattr(proto, "id", "") if etype != "alert" else ""
                if isinstance(wid, str) and _key(wid):
                    elements[_key(wid)] = (etype, proto)
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
                if not self.page_hash:
                    self.page_hash = self.pages.get("", "")
            elif kind == "page_not_found":
                problems.append("page not found")
            elif (
                kind == "session_event"
                and fm.session_event.WhichOneof("type") == "script_compilation_exception"
            ):
                problems.append("script compilation exception")
            elif kind == "script_finished":
                self.results.runs += 1
                if fm.script_finished in SETTLED:
                    if fm.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        problems.append("script compile error")
                    break
        self.elements = elements
        if problems:
            raise RunError("; ".join(sorted(set(problems))))

    # -- what visitors do ----------------------------------------------------------------

    def _set(self, key: str, **value: Any) -> bool:
        """Give the widget with user key ``key`` a new value; False if it is not shown."""
        found = self.elements.get(key)
        if found is None:
            return False
        state = WidgetState(id=found[1].id)
        for name, val in value.items():
            if name.endswith("array_value"):
                getattr(state, name).data.extend(val)
            else:
                setattr(state, name, val)
        self.values[state.id] = state
        self.changed.append(state)
        self._bind_url(found[1], state)
        return True

    def _bind_url(self, proto: Any, state: WidgetState) -> None:
        """A widget bound to the URL (``bind="query-params"``): the browser writes its
        value into the address (the server only reads it on a session's first run)."""
        param = getattr(proto, "query_param_key", "")
        if not param:
            return
        query = [(k, v) for k, v in parse_qsl(self.query, keep_blank_values=True) if k != param]
        kind = state.WhichOneof("value")
        if kind == "bool_value":
            query += [(param, "true")] if state.bool_value else []
        elif kind == "string_array_value":
            query += [(param, v) for v in state.string_array_value.data]
        elif kind == "string_value":
            query += [(param, state.string_value)]
        self.query = urlencode(query)

    def _flip(self, key: str) -> bool:
        found = self.elements.get(key)
        if found is None:
            return False
        old = self.values.get(found[1].id)
        current = old.bool_value if old is not None else bool(found[1].default)
        return self._set(key, bool_value=not current)

    def _choose(self, key: str, *, skip_last: bool = False) -> bool:
        found = self.elements.get(key)
        if found is None:
            return False
        options = list(found[1].options)[:-1] if skip_last else list(found[1].options)
        return bool(options) and self._set(key, string_value=self.rng.choice(options))

    def _some(self, key: str) -> bool:
        found = self.elements.get(key)
        if found is None or not found[1].options:
            return False
        options = list(found[1].options)
        picked = self.rng.sample(options, self.rng.randint(1, len(options)))
        return self._set(key, string_array_value=picked)

    async def open_explore(self) -> None:
        await self.rerun("open Explore", page="")

    async def filter(self) -> None:
        pick = self.rng.choice(["members", "access", "orgs", "when", "cat"])
        done = {"when": lambda: self._choose("when"), "cat": lambda: self._some("cat")}.get(
            pick, lambda: self._flip(pick)
        )()
        if done or self._flip("members"):
            await self.rerun("filter")

    async def start_point(self) -> None:
        if self._choose("start", skip_last=True):  # the last option is "a map click"
            await self.rerun("start point")

    async def open_card(self) -> None:
        found = self.elements.get("near-list")
        if found is not None:
            entries = json.loads(found[1].json).get("entries", [])
            if entries:
                venue = self.rng.choice(entries)["id"]
                trigger = WidgetState(
                    id=f"{INTERNAL}_{found[1].id}__events",
                    json_trigger_value=json.dumps([{"event": "pick", "value": venue}]),
                )
                await self.rerun("open card", triggers=[trigger])
                return
        buttons = [
            proto
            for key, (etype, proto) in self.elements.items()
            if etype == "button" and key.startswith("pick-")
        ]
        if buttons:  # builds before the nearest-first list component: one button a venue
            trigger = WidgetState(id=self.rng.choice(buttons).id, trigger_value=True)
            await self.rerun("open card", triggers=[trigger])
        elif self._choose("venue"):
            await self.rerun("open card")

    async def whats_on(self) -> None:
        await self.rerun("What's on", page="whats-on")

    async def whats_on_filter(self) -> None:
        pick = self.rng.choice(["period", "emembers", "ecat"])
        done = {
            "period": lambda: self._choose("period", skip_last=True),
            "ecat": lambda: self._some("ecat"),
        }.get(pick, lambda: self._flip(pick))()
        if done or self._flip("emembers"):
            await self.rerun("What's on filter")

    async def language(self) -> None:
        found = self.elements.get("lang")
        if found is None:
            return
        options = [o.content for o in found[1].options]
        old = self.values.get(found[1].id)
        current = old.string_array_value.data[0] if old is not None else options[0]
        others = [o for o in options if o != current]
        if others:
            self._set("lang", string_array_value=[self.rng.choice(others)])
            await self.rerun("language")

    async def step(self) -> None:
        """One interaction, chosen as a visitor on the current page might."""
        steps: list[tuple[Callable[[], Any], int]]
        if self.page_hash and self.page_hash == self.pages.get("whats-on"):
            steps = [(self.whats_on_filter, 4), (self.language, 1), (self.open_explore, 3)]
        else:
            steps = [
                (self.filter, 4),
                (self.start_point, 2),
                (self.open_card, 3),
                (self.language, 1),
                (self.whats_on, 2),
            ]
        actions, weights = zip(*steps, strict=True)
        await self.rng.choices(actions, weights)[0]()


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
def checkout(revision: str):
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
    settings: dict[str, Any] = {
        "sessions": args.sessions,
        "duration": args.duration,
        "think": args.think,
        "ramp": ramp,
        "seed": args.seed,
    }
    print(
        f"load test: {args.sessions} sessions x {args.duration:.0f} s, think "
        f"{args.think / 2:.1f}-{args.think * 1.5:.1f} s, arrivals over {ramp:.0f} s, "
        f"data {args.data}, seed {args.seed}",
        flush=True,
    )
    current = measure(ROOT, args.data, **settings)
    lines = report("this build (" + _describe(ROOT) + ")", current)
    if not args.no_baseline:
        with checkout(args.baseline) as tree:
            base = measure(tree, args.data, **settings)
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
