"""``scripts/origin_guard.py``: another site's websocket is refused before Streamlit,
whose own refusal looks up the server's external address (an HTTP request) each time."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture(scope="module")
def guard() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))  # origin_guard imports page_base, as serve.py runs it
    try:
        spec = importlib.util.spec_from_file_location(
            "kcm_origin_guard", SCRIPTS / "origin_guard.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


def connect(guard: ModuleType, headers: dict[str, str], hosts: Any) -> list[dict[str, Any]]:
    """Open a websocket through the guard; what reached the app ("app") or was sent."""
    events: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        events.append({"type": "app"})

    async def send(message: dict[str, Any]) -> None:
        events.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    scope = {
        "type": "websocket",
        "path": "/_stcore/stream",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    run_alone(guard.OriginGuard(app, hosts=lambda: hosts)(scope, receive, send))
    return events


def run_alone(coroutine: Any) -> None:
    """Run ``coroutine`` on a new event loop in its own thread: in a whole-suite run the
    browser tests' Playwright keeps a loop running in this thread, where ``asyncio.run``
    refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "map.example.org"})
APP = [{"type": "app"}]
REFUSED = [{"type": "websocket.close", "code": 1008}]


@pytest.mark.parametrize(
    ("headers", "hosts", "expected"),
    [
        ({"host": "map.example.org"}, HOSTS, APP),  # no Origin: not a browser
        ({"host": "10.0.0.5:8501", "origin": "http://10.0.0.5:8501"}, HOSTS, APP),  # same page
        ({"host": "10.0.0.5:8501", "origin": "https://map.example.org"}, HOSTS, APP),
        ({"host": "10.0.0.5:8501", "origin": "http://localhost:3000"}, HOSTS, APP),
        ({"host": "10.0.0.5:8501", "origin": "https://elsewhere.example"}, HOSTS, REFUSED),
        ({"host": "10.0.0.5:8501", "origin": "null"}, HOSTS, REFUSED),  # a sandboxed frame
        ({"host": "10.0.0.5:8501", "origin": "http://10.0.0.5:9999"}, HOSTS, REFUSED),
        ({"host": "10.0.0.5:8501", "origin": "https://elsewhere.example"}, None, APP),  # CORS off
    ],
)
def test_only_other_sites_websockets_are_refused(guard, headers, hosts, expected):
    assert connect(guard, headers, hosts) == expected


def test_http_requests_pass(guard):
    events: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        events.append(scope["type"])

    async def nothing(*args: Any) -> Any:
        return None

    scope = {"type": "http", "headers": [(b"origin", b"https://elsewhere.example")]}
    run_alone(guard.OriginGuard(app, hosts=lambda: HOSTS)(scope, nothing, nothing))
    assert events == ["http"]


def test_allowed_hosts_come_from_streamlits_settings(guard):
    hosts = guard.allowed_hosts("map.example.org", ["https://partner.example:8443", ""])
    assert hosts == {"localhost", "127.0.0.1", "0.0.0.0", "map.example.org", "partner.example"}
    assert guard.host_of("https://A.example:8443/x") == "a.example"
    assert guard.host_of("http://[::1") == ""
