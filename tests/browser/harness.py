"""Start the real app with ``streamlit run`` on 127.0.0.1 and drive Debian's Chromium.

Used by the browser tests and the benchmark. The server is polled on its health
endpoint until ready (bounded), and always stopped on exit.

One helper per interaction (:func:`open_map`, :func:`open_filters`, :func:`click_widget`,
:func:`click_map_at`, :func:`toggle_layer`, :func:`show_venue`, :func:`show_all`), each
returning once the app and the map are done with it. No interaction waits on a clock
(only the server's start-up polls its health endpoint):

- The app: an interaction counts as done once a run of the app that *started after
  it* has ended. :func:`app_run` installs a recorder in the page (:data:`_RECORDER`)
  that reads Streamlit's own websocket messages: a ``rerun_script`` request the page
  sends, the ``new_session`` that opens the next run and the ``script_finished`` that
  ends it. Streamlit's ``data-test-script-state`` attribute (which
  ``e2e_playwright/conftest.py::wait_for_app_run`` polls, with fixed delays) is not
  enough on its own: when the messages of a short run reach a busy page together,
  React renders ``running`` and ``notRunning`` in one commit and the attribute never
  changes, so a wait on its change misses the run (issue 19: the five browser tests
  that were retried all failed that way, the run finished on the wire each time).
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
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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


def _field(message: type, name: str) -> int:
    """The protobuf field number of ``name`` in Streamlit's message ``message``."""
    return int(message.DESCRIPTOR.fields_by_name[name].number)


# The page's side of app_run. It wraps WebSocket.prototype.send, so it sees every
# message the app's frontend sends, and adds a message listener to the app's socket at
# its first send after installation (after Streamlit's own listener, so each message
# has been dispatched to the frontend when the recorder reads it). Of each binary
# message it reads only the top-level protobuf field numbers (no decoding):
#   sent rerun_script            -> a run is awaited (``pending``)
#   received new_session         -> that run has started (``running``)
#   received script_finished(s)  -> it ended; s == FINISHED_EARLY_FOR_RERUN means
#                                   another run follows at once (pending again)
# ``requested`` counts the rerun requests sent, so app_run can tell that its
# interaction sent one.
_RECORDER = f"""() => {{
  if (window.__kcmRuns) {{ return; }}
  const runs = {{requested: 0, pending: false, running: false, finished: 0,
                 listened: new WeakSet()}};
  window.__kcmRuns = runs;
  const varint = (bytes, at) => {{
    let value = 0, shift = 0, byte;
    do {{ byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; }}
    while (byte & 0x80);
    return [value, at];
  }};
  // (field number, varint value or null) of each top-level field of a protobuf message
  const fields = (data) => {{
    const bytes = new Uint8Array(data), found = [];
    let at = 0, key, value;
    while (at < bytes.length) {{
      [key, at] = varint(bytes, at);
      const type = key & 7;
      value = null;
      if (type === 0) {{ [value, at] = varint(bytes, at); }}
      else if (type === 2) {{ [value, at] = varint(bytes, at); at += value; value = null; }}
      else if (type === 1) {{ at += 8; }}
      else if (type === 5) {{ at += 4; }}
      else {{ break; }}
      found.push([Math.floor(key / 8), value]);
    }}
    return found;
  }};
  const received = (event) => {{
    if (!(event.data instanceof ArrayBuffer)) {{ return; }}
    for (const [field, value] of fields(event.data)) {{
      if (field === {_field(ForwardMsg, "new_session")}) {{
        runs.pending = false; runs.running = true;
      }} else if (field === {_field(ForwardMsg, "script_finished")}) {{
        runs.running = false;
        if (value === {ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN}) {{
          runs.pending = true;
        }} else {{ runs.finished += 1; }}
      }}
    }}
  }};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {{
    if (!runs.listened.has(this)) {{
      runs.listened.add(this);
      this.addEventListener("message", received);
    }}
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {{
      const bytes = data instanceof ArrayBuffer ? data : data.buffer.slice(
        data.byteOffset, data.byteOffset + data.byteLength);
      if (fields(bytes).some(([field]) => field === {_field(BackMsg, "rerun_script")})) {{
        runs.requested += 1; runs.pending = true;
      }}
    }}
    return send.call(this, data);
  }};
}}"""
# The recorder's state as app_run last armed it: the number of requests sent so far.
_ARM = "() => window.__kcmRuns.requested"
# A run requested after arming has started and ended, and no other is awaited.
_RUN_DONE = """(armed) => { const runs = window.__kcmRuns;
    return !!runs && runs.requested > armed && !runs.pending && !runs.running; }"""
_RECORDER_STATE = """() => { const r = window.__kcmRuns;
    return r ? {requested: r.requested, pending: r.pending, running: r.running,
                finished: r.finished} : null; }"""
# One task later: React commits what the last message dispatched (Streamlit's updates
# are default-priority renders, done in one scheduler task queued before this one).
_NEXT_TASK = "() => new Promise(resolve => setTimeout(resolve, 0))"

# The element under a container point of the map, if it is the map itself (no marker,
# cluster, popup or control over it): what a click there would hit.
_BARE_MAP_AT = """([x, y]) => {
    const box = kcmVenueMap.map.getContainer(), r = box.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + x, r.top + y);
    return !!hit && box.contains(hit) && !hit.closest(
        ".leaflet-marker-pane, .leaflet-popup-pane, .leaflet-control-container, .kcm-card");
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` against a data folder, on a free local port.

    ``root`` is the source tree whose ``scripts/serve.py`` and ``app.py`` run (and the
    working directory): this checkout unless told otherwise, e.g. an older build that the
    benchmark measures beside this one. ``base_path`` serves the app under a path, as a
    deployment with several towns does (``server.baseUrlPath``, e.g. ``kotor``).
    """

    def __init__(
        self,
        data_folder: Path,
        startup_timeout_s: float = 60,
        *,
        root: Path = ROOT,
        base_path: str = "",
    ) -> None:
        self.data_folder = Path(data_folder)
        self.root = Path(root)
        self.port = _free_port()
        self.base_path = base_path.strip("/")
        prefix = f"{self.base_path}/" if self.base_path else ""
        self.url = f"http://127.0.0.1:{self.port}/{prefix}"
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
                *(["--server.baseUrlPath", self.base_path] if self.base_path else []),
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
    """Until the app is connected and its script is not running.

    Enough after loading a page (the state starts as ``initial``, so only the end of the
    first run makes it ``notRunning``); after an interaction use :func:`app_run`, since
    the state alone cannot tell whether the interaction's run has happened yet.
    """
    page.wait_for_selector(IDLE, state="attached", timeout=timeout_s * 1000)


@contextmanager
def app_run(page: Page, timeout_s: float = 60) -> Iterator[None]:
    """Around an interaction that makes the app run: returns once that run has ended.

    The app is first waited idle, then the page's run recorder (:data:`_RECORDER`) is
    installed and armed, then the interaction happens; the wait is for a rerun request
    sent after arming, a run started after it and ended (and none awaited), then for
    the frontend to have rendered it and be idle. A timeout says which of these never
    came: no request (the interaction sent nothing), or a run that never started or
    never ended.
    """
    wait_idle(page, timeout_s)
    page.evaluate(_RECORDER)
    armed = page.evaluate(_ARM)
    yield
    try:
        page.wait_for_function(_RUN_DONE, arg=armed, timeout=timeout_s * 1000)
    except PlaywrightTimeoutError as exc:
        state = page.evaluate(_RECORDER_STATE)
        msg = f"no app run ended after the interaction (armed at {armed}): {state}"
        raise AssertionError(msg) from exc
    page.evaluate(_NEXT_TASK)
    wait_idle(page, timeout_s)


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


def open_filters(page: Page, key: str = "explore-filters") -> Locator:
    """Open a page's filters popover, in the bar above the map (``pages._chrome``:
    ``explore-filters``, ``whats-on-filters``); its body, once its widgets are drawn.
    Opening it starts no app run."""
    page.locator(f'[class*="st-key-{key}"] button').first.click()
    body = page.locator('[data-testid="stPopoverBody"]')
    body.locator('[data-testid="stCheckbox"]').first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return body


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
