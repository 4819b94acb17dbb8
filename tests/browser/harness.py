"""Start the real app with ``streamlit run`` on 127.0.0.1 and drive Debian's Chromium.

Used by the browser tests and the benchmark. The server is polled on its health
endpoint until ready (bounded), and always stopped on exit.

One helper per interaction (:func:`open_map`, :func:`click_widget`, :func:`click_map_at`,
:func:`toggle_layer`, :func:`show_venue`, :func:`show_all`), each returning once the
app and the map are done with it. No interaction waits on a clock (only the server's
start-up polls its health endpoint):

- The app: Streamlit marks its root element with ``data-test-script-state``
  (``running`` → ``notRunning`` on every run), as its own
  ``e2e_playwright/conftest.py::wait_for_app_run`` waits for. We copy the state wait,
  not their fixed delays: :func:`app_run` arms a ``MutationObserver`` on that
  attribute *before* the interaction, so the run it starts cannot be missed, then waits
  until that run has ended and the app is idle.
- The map: ``window.kcmVenueMap`` from ``mapping/templates/venue_map.js`` (documented
  there): ``settled()`` resolves once markers are drawn and no pan, zoom or cluster
  animation runs; ``containerPoint(lat, lon)`` turns a position into the pixel to click.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Frame, Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
APP = '[data-testid="stApp"]'
IDLE = f'{APP}[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 60_000

# Counts the app's runs that end from now on (a run ends when the state leaves "running").
_ARM_RUN_COUNTER = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (window.__kcmRuns) { window.__kcmRuns.observer.disconnect(); }
    const runs = {ended: 0, observer: new MutationObserver(records => {
        for (const r of records) { if (r.oldValue === "running") { runs.ended += 1; } }
    })};
    runs.observer.observe(app, {attributes: true, attributeOldValue: true,
                                attributeFilter: ["data-test-script-state"]});
    window.__kcmRuns = runs;
}"""
_RUN_ENDED = """() => window.__kcmRuns.ended > 0 && document.querySelector(
    '[data-testid="stApp"]').getAttribute("data-test-script-state") === "notRunning"
"""
# The element under a container point of the map, if it is the map itself (no marker,
# cluster, popup or control over it): what a click there would hit.
_BARE_MAP_AT = """([x, y]) => {
    const box = kcmVenueMap.map.getContainer(), r = box.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + x, r.top + y);
    return !!hit && box.contains(hit) && !hit.closest(
        ".leaflet-marker-pane, .leaflet-popup-pane, .leaflet-control-container");
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` against a data folder, on a free local port.

    ``root`` is the source tree whose ``scripts/serve.py`` and ``app.py`` run (and the
    working directory): this checkout unless told otherwise, e.g. an older build that the
    benchmark measures beside this one.
    """

    def __init__(
        self, data_folder: Path, startup_timeout_s: float = 60, *, root: Path = ROOT
    ) -> None:
        self.data_folder = Path(data_folder)
        self.root = Path(root)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> StreamlitServer:
        env = {**os.environ, "CREATIVE_MAP_DATA": str(self.data_folder)}
        # A file, not a pipe: a chatty server can never block on a full pipe.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(self.root / "scripts" / "serve.py"),
                str(self.root / "app.py"),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=self.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                err = self.log.read().decode(errors="replace")
                self.log.close()
                msg = f"streamlit exited with {self.process.returncode}: {err[-2000:]}"
                raise RuntimeError(msg)
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)  # polling a local health endpoint, bounded by the deadline
        self.__exit__(None, None, None)
        msg = f"streamlit did not become healthy within {self.startup_timeout_s} s"
        raise RuntimeError(msg)

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()

    @staticmethod
    def map_frame(page: Page, timeout_s: float = 60) -> Frame:
        """The st_folium component's frame, once its map container exists.

        Call it on a freshly loaded page or with the app idle (:func:`wait_idle`): while
        a page switch runs, the previous page's iframe may still be there.
        """
        handle = page.wait_for_selector(MAP_IFRAME, timeout=timeout_s * 1000)
        frame = handle.content_frame() if handle else None
        if frame is None:
            msg = f"the map iframe {MAP_IFRAME} has no frame"
            raise RuntimeError(msg)
        frame.wait_for_selector(".leaflet-container", timeout=timeout_s * 1000)
        return frame


def wait_idle(page: Page, timeout_s: float = 60) -> None:
    """Until the app is connected and its script is not running."""
    page.wait_for_selector(IDLE, state="attached", timeout=timeout_s * 1000)


@contextmanager
def app_run(page: Page, timeout_s: float = 60) -> Iterator[None]:
    """Around an interaction that makes the app run: returns once that run has ended.

    The app is first waited idle, then a counter of ended runs is armed, then the
    interaction happens; the wait is for at least one ended run and an idle app.
    """
    wait_idle(page, timeout_s)
    page.evaluate(_ARM_RUN_COUNTER)
    yield
    page.wait_for_function(_RUN_ENDED, timeout=timeout_s * 1000)


def map_settled(frame: Frame) -> None:
    """Until the venue map's markers are drawn and no pan, zoom or cluster animation runs."""
    frame.wait_for_function("() => window.kcmVenueMap !== undefined", timeout=TIMEOUT_MS)
    frame.evaluate("() => kcmVenueMap.settled()")


def open_map(page: Page, server: StreamlitServer, path: str = "") -> Frame:
    """Go to ``path`` (page and query) and return the map's frame once app and map settle."""
    page.goto(server.url + path)
    wait_idle(page)
    frame = server.map_frame(page)
    map_settled(frame)
    return frame


def click_widget(page: Page, widget: Locator) -> None:
    """Click a Streamlit widget (button, checkbox, switch) and wait for the run it starts."""
    with app_run(page):
        widget.click()


def click_map_at(page: Page, frame: Frame, lat: float, lon: float) -> None:
    """Click the bare map at ``(lat, lon)`` (a click in the view, on no marker or control)
    and wait for the app run it starts."""
    map_settled(frame)
    point = frame.evaluate("([lat, lon]) => kcmVenueMap.containerPoint(lat, lon)", [lat, lon])
    size = frame.locator(".leaflet-container").bounding_box()
    assert size is not None, "the map container is not laid out"
    assert 0 <= point["x"] < size["width"] and 0 <= point["y"] < size["height"], (
        f"({lat}, {lon}) is outside the map view: container point {point}"
    )
    assert frame.evaluate(_BARE_MAP_AT, [point["x"], point["y"]]), (
        f"({lat}, {lon}) is covered by a marker or control at {point}"
    )
    with app_run(page):
        frame.locator(".leaflet-container").click(position=point)


def show_all(frame: Frame) -> None:
    """Fit every venue of the shown layers in view, without animation, and let it settle."""
    frame.evaluate("() => kcmVenueMap.showAll()")


def show_venue(frame: Frame, venue_id: str, zoom: int) -> Locator:
    """Centre the map on a venue at ``zoom``, let it settle; the venue's marker."""
    frame.evaluate("([id, zoom]) => kcmVenueMap.showVenue(id, zoom)", [venue_id, zoom])
    return frame.locator(f'.venue-marker[data-venue-id="{venue_id}"]')


def toggle_layer(frame: Frame, label: str, *, shown: bool) -> None:
    """Show or hide a category layer with the layer control, and let the map settle."""
    frame.locator(".leaflet-control-layers").hover()
    box = frame.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input")
    box.set_checked(shown)
    map_settled(frame)


@contextmanager
def launch_browser() -> Iterator[Browser]:
    """Headless Debian Chromium through Playwright (no downloaded browser build)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
