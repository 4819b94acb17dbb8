"""End-to-end: no request from our pages answers 4xx/5xx (issue 9, "deep link noise").

Streamlit's frontend guesses the server's base URL from the page's path: on a deep link
such as ``/whats-on`` it first probes ``/whats-on/_stcore/health`` and ``…/host-config``
(404s) before it falls back to ``/`` (streamlit/streamlit#7074). ``scripts/serve.py``
tells it the base instead (``scripts/page_base.py``). Every response of the page and its
frames is recorded, on a first load, a reload and the in-app page switches; the
websocket must still connect at the server root.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Response, WebSocket, expect

from tests.browser.harness import StreamlitServer, app_run, open_map, wait_idle

RANGE = "range=2026-12-01&range=2026-12-31"
NAV = '[data-testid="stSidebarNav"]'
# The path each page shows: Streamlit shows the default page (Explore) at the root.
SHOWN_AT = {"explore": "/", "whats-on": "/whats-on"}


class Recorded:
    """Every response (status, URL) and websocket URL a page sees, its frames included."""

    def __init__(self, page: Page) -> None:
        self.responses: list[tuple[int, str]] = []
        self.websockets: list[str] = []
        page.on("response", self._response)
        page.on("websocket", self._websocket)

    def _response(self, response: Response) -> None:
        self.responses.append((response.status, response.url))

    def _websocket(self, websocket: WebSocket) -> None:
        self.websockets.append(websocket.url)

    def failures(self) -> list[tuple[int, str]]:
        return [(status, url) for status, url in self.responses if status >= 400]

    def page_probes(self) -> list[str]:
        """Requests for a Streamlit endpoint under a page path (``/<page>/_stcore/…``)."""
        return [
            url
            for _, url in self.responses
            if "/_stcore/" in urlparse(url).path and not urlparse(url).path.startswith("/_stcore/")
        ]


@pytest.fixture
def recorded(watched) -> Recorded:
    return Recorded(watched.page)


def _assert_clean(recorded: Recorded, server: StreamlitServer) -> None:
    assert recorded.responses, "no response was recorded"
    assert recorded.failures() == []
    assert recorded.page_probes() == []
    root = f"ws://127.0.0.1:{server.port}/_stcore/stream"
    assert recorded.websockets and set(recorded.websockets) == {root}


@pytest.mark.parametrize("path", [f"whats-on?lang=en&{RANGE}", "explore?lang=en"])
def test_a_deep_link_and_its_reload_answer_no_error(watched, recorded, kotor_server, path):
    page = watched.page
    open_map(page, kotor_server, path)
    page.reload()
    wait_idle(page)
    kotor_server.map_frame(page)
    _assert_clean(recorded, kotor_server)
    assert urlparse(page.url).path == SHOWN_AT[path.split("?")[0]]
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_page_switches_keep_their_url_and_answer_no_error(watched, recorded, kotor_server):
    page = watched.page
    open_map(page, kotor_server, f"whats-on?lang=EN&{RANGE}")
    expect(page.get_by_role("heading", name="What's on")).to_be_visible()
    with app_run(page):
        page.locator(NAV).get_by_role("link", name="Explore").click()
    assert urlparse(page.url).path == SHOWN_AT["explore"]
    kotor_server.map_frame(page)
    expect(page.get_by_role("heading", name="Kotor Creative Map")).to_be_visible()
    with app_run(page):
        page.locator(NAV).get_by_role("link", name="What's on").click()
    assert urlparse(page.url).path == SHOWN_AT["whats-on"]
    kotor_server.map_frame(page)
    expect(page.get_by_role("heading", name="What's on")).to_be_visible()
    _assert_clean(recorded, kotor_server)
