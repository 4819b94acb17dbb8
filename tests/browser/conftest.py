"""Browser fixtures: one app server per data folder, one Chromium, network watched."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import StreamlitServer, launch_browser
from tests.conftest import BROKEN, MINI, REPO_DATA

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# A browser that prefers the town's default language (Montenegrin): a page opened without
# ?lang= shows that language, as the tests expect, and not the language of the machine's
# locale (a first visit follows the browser: tests/browser/test_first_language_browser.py).
TOWN_BROWSER_LOCALE = "sr-Latn-ME"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="session")
def kotor_server() -> Iterator[StreamlitServer]:
    with StreamlitServer(REPO_DATA) as server:
        yield server


@pytest.fixture(scope="session")
def mini_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The small fixture folder, with the HTML/JS payload venue name."""
    folder = tmp_path_factory.mktemp("mini") / "data"
    shutil.copytree(MINI, folder)
    shutil.copyfile(BROKEN / "html_name.geojson", folder / "venues.geojson")
    with StreamlitServer(folder) as server:
        yield server


class Watched:
    """A page with every request's URL and every dialog recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)
        page.context.route("**/*", self._route)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        host = urlparse(url).hostname
        if host in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            route.abort()  # closed network: nothing else may load, and nothing else does

    def outside_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).hostname not in LOCAL_HOSTS
            and not u.startswith(("data:", "blob:", "about:"))
        ]


def _watched_context(browser: Browser, **options: object) -> Iterator[Watched]:
    """A fresh browser context on the closed network; closed however the test ends."""
    options.setdefault("locale", TOWN_BROWSER_LOCALE)
    context = browser.new_context(**options)  # type: ignore[arg-type]  # Playwright's options
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    """A desktop-sized page."""
    yield from _watched_context(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser: Browser) -> Iterator[Watched]:
    """A phone-sized touch page (390 x 844 CSS pixels, like an iPhone 12-15)."""
    yield from _watched_context(
        browser,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
