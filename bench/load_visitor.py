"""One simulated visitor of the load test: a websocket client of ``/_stcore/stream`` that
speaks what the browser speaks (see ``bench/load_test.py`` for the scenario and figures).

It sends protobuf ``BackMsg`` with ``rerun_script`` (the query string, the page, the
widget states it changed, the hashes of the cached elements it holds) and reads
``ForwardMsg`` until ``script_finished``, following the URL the server writes
(``page_info_changed``) and keeping Streamlit's message cache (``ref_hash``) as the
browser does. Widget ids come from the deltas (``$$ID-…-key``).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.typing import Origin, Subprotocol

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

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
    cpu_s: float = 0.0  # the server processes' CPU time (user + system) during the window
    per_replica: dict[str, int] = field(default_factory=dict)  # sessions each replica served

    def all_latencies(self) -> list[float]:
        return sorted(x for values in self.latencies.values() for x in values)


def _key(widget_id: str) -> str:
    """``$$ID-<hash>-members`` -> ``members`` (the widget's user key; "" without one)."""
    parts = widget_id.split("-", 2)
    return parts[2] if widget_id.startswith("$$ID-") and len(parts) == 3 else ""


class Visitor:
    """One browser tab, as the server sees it: a websocket session of the app."""

    def __init__(
        self, url: str, rng: random.Random, results: Results, source: str | None = None
    ) -> None:
        self.source = source  # the local address to connect from (None: the system's)
        self.ws_url = url.replace("http://", "ws://") + "_stcore/stream"
        self.origin = Origin(url.rstrip("/"))
        self.rng = rng
        self.results = results
        self.ws: ClientConnection | None = None
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> script hash
        self.elements: dict[str, tuple[str, Any]] = {}  # user key -> (type, proto) of last run
        self.values: dict[str, WidgetState] = {}  # widget id -> state we set
        self.changed: list[WidgetState] = []  # set since the last interaction
        self.cached: set[str] = set()

    async def connect(self) -> None:
        source: dict[str, Any] = {"local_addr": (self.source, 0)} if self.source else {}
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,
            ping_interval=None,
            origin=self.origin,
            open_timeout=RUN_TIMEOUT_S,
            **source,  # handed to the event loop's create_connection
        )

    def _socket(self) -> ClientConnection:
        """The open connection (:meth:`connect` comes first)."""
        if self.ws is None:
            raise RunError("not connected")
        return self.ws

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
        await self._socket().send(msg.SerializeToString())
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
            received = await self._socket().recv()
            data = received if isinstance(received, bytes) else received.encode()  # binary frames
            self.results.bytes_received += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if fm.metadata.cacheable and fm.hash:
                self.cached.add(fm.hash)
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                etype = el.WhichOneof("type")
                if etype is None:  # an element without content: nothing to read
                    continue
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
        steps: list[tuple[Callable[[], Awaitable[None]], int]]
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
