"""Start the real app with ``streamlit run`` on 127.0.0.1 and drive Debian's Chromium.

Used by the browser tests and the benchmark. The server is polled on its health
endpoint until ready (bounded), and always stopped on exit.
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

from playwright.sync_api import Browser, Frame, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` against a data folder, on a free local port."""

    def __init__(self, data_folder: Path, startup_timeout_s: float = 60) -> None:
        self.data_folder = Path(data_folder)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> StreamlitServer:
        env = {**os.environ, "CREATIVE_MAP_DATA": str(self.data_folder)}
        # A file, not a pipe: a chatty server can never block on a full pipe.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "serve.py"), str(ROOT / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
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

        After a page switch the old iframe can still be found for a moment and then be
        detached; such a frame is skipped and the new one awaited (bounded by timeout).
        """
        deadline = time.monotonic() + timeout_s
        while True:
            left_ms = max(1.0, (deadline - time.monotonic()) * 1000)
            handle = page.wait_for_selector(MAP_IFRAME, timeout=left_ms)
            frame = handle.content_frame() if handle else None
            try:
                if frame is not None:
                    frame.wait_for_selector(".leaflet-container", timeout=left_ms)
                    return frame
            except PlaywrightError:
                if time.monotonic() >= deadline:
                    raise
            if time.monotonic() >= deadline:
                msg = f"no live map frame within {timeout_s} s"
                raise TimeoutError(msg)
            page.wait_for_timeout(100)  # a detached frame: the new one is on its way


def wait_idle(page: Page, timeout_s: float = 60) -> None:
    """Until the app's script is not running (Streamlit marks its root element)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=timeout_s * 1000)


@contextmanager
def launch_browser() -> Iterator[Browser]:
    """Headless Debian Chromium through Playwright (no downloaded browser build)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
