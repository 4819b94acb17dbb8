"""End-to-end through the deployment's proxy: Chromium -> nginx (``deploy/nginx/``) -> app.

The app runs under ``/kotor/`` (``server.baseUrlPath``, as in ``deploy/compose.yaml``)
on a writable copy of the small fixture folder with its own members' database, behind
Debian's nginx with the deployment's configuration (:mod:`tests.proxy`). Every frame of
the page reports Content-Security-Policy violations to the console, so a policy that
blocks anything Streamlit, the map or the near list needs fails here. Headers and
closed endpoints without a browser: ``tests/test_proxy.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import ConsoleMessage, Frame, Page, WebSocket, expect

from mapping.cli import main as cli
from mapping.store import DB_ENV_VAR
from tests.browser.conftest import Watched
from tests.browser.harness import StreamlitServer, open_map, wait_idle
from tests.browser.test_members_browser import sent_reference, typed
from tests.conftest import MINI
from tests.proxy import NginxProxy, nginx_available

pytestmark = [
    pytest.mark.proxy,
    pytest.mark.skipif(not nginx_available(), reason="Debian's nginx is not installed"),
]

TOWN = "kotor"
VENUE = "gal-durkovic"
# Run in every frame (the page, the map's and the near list's component frames) before
# their own scripts: a blocked script, style, image, font, frame or eval is reported.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI}`
                + ` in ${location.href}`));"""


@dataclass
class Proxied:
    """The app as visitors reach it: the proxy's address of the town (what
    :func:`open_map` needs of a server), with the server and the proxy behind it."""

    app: StreamlitServer
    proxy: NginxProxy
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"{self.proxy.url}{TOWN}/"

    map_frame = staticmethod(StreamlitServer.map_frame)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    folder = tmp_path_factory.mktemp("proxied") / "data"
    shutil.copytree(MINI, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(folder.parent / "members.sqlite"))
        with (
            StreamlitServer(folder, base_path=TOWN) as app,
            NginxProxy(f"127.0.0.1:{app.port}") as proxy,
        ):
            yield Proxied(app, proxy)


@dataclass
class Console:
    """Console errors and websockets of one page."""

    errors: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return [
            text
            for text in self.errors
            if "CSP violation" in text or "Content Security Policy" in text
        ]


@pytest.fixture
def console(watched: Watched) -> Console:
    seen = Console()
    page: Page = watched.page
    page.context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def on_socket(socket: WebSocket) -> None:
        seen.sockets.append(socket.url)

    page.on("console", on_console)
    page.on("websocket", on_socket)
    return seen


def markers(frame: Frame) -> int:
    """Venue markers the map holds (clustered or not)."""
    count: int = frame.evaluate("() => kcmVenueMap.markerCount()")
    return count


def test_explore_renders_its_map_through_the_proxy(watched, console, proxied):
    page = watched.page
    frame = open_map(page, proxied, "?lang=EN")  # type: ignore[arg-type]  # a server's url and map_frame
    assert markers(frame) > 0
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # the websocket ran through the proxy, under the town's path
    assert console.sockets
    assert all(
        url == f"ws://127.0.0.1:{proxied.proxy.port}/{TOWN}/_stcore/stream"
        for url in console.sockets
    ), console.sockets
    # a second page over the same socket, then the map again: the socket keeps working
    page.goto(proxied.url + "whats-on?lang=EN")
    wait_idle(page)
    frame = open_map(page, proxied, "?lang=EN&cat=gallery")  # type: ignore[arg-type]
    assert markers(frame) > 0
    assert console.violations() == []
    # only tiles were asked from outside: the policy allows them (the closed test network
    # then blocks them)
    assert all("tile.openstreetmap.org" in url for url in watched.outside_requests())


def test_a_suggestion_sent_through_the_proxy_is_stored(watched, console, proxied, capsys):
    page = watched.page
    page.goto(proxied.url + f"members?lang=EN&part=update&venue={VENUE}")
    wait_idle(page)
    typed(page, "Opening hours (OpenStreetMap syntax)", "Mo-Sa 10:00-18:00")
    number = sent_reference(page)
    assert console.violations() == []

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(proxied.app.data_folder.parent / "members.sqlite"))
        code = cli(["submissions", "show", str(number), str(proxied.app.data_folder)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Mo-Sa 10:00-18:00" in out
    assert VENUE in out
