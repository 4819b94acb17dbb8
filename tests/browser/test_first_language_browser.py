"""A first visit opens in the browser's language (issue 21 item 5), in Chromium: the
context's locale sets both ``Accept-Language`` and ``navigator.language`` (Playwright's
``extra_http_headers`` do not reach the websocket whose headers Streamlit reads, so the
quality values are checked in ``tests/test_first_language.py``). The link's ``?lang=``
wins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import wait_idle

SELECTED = '[class*="st-key-lang"] [data-variant="segmented_control"][data-selected="true"]'


def _page(browser: Browser, **options: object) -> Iterator[Page]:
    context = browser.new_context(**options)  # type: ignore[arg-type]  # Playwright's options
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def german(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, locale="de-DE")


@pytest.fixture
def austrian(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, locale="de-AT")


def _shown_language(page: Page) -> str:
    page.wait_for_selector(SELECTED)
    return page.locator(SELECTED).inner_text().strip()


def test_a_german_browser_opens_in_german(german, kotor_server):
    german.goto(kotor_server.url)
    wait_idle(german)
    assert _shown_language(german) == "DE"
    german.wait_for_function("() => document.documentElement.lang === 'de'")
    assert german.get_by_text("Veranstaltungen").count() >= 1  # the page menu, in German


def test_an_austrian_browser_reads_german_on_any_page(austrian, kotor_server):
    austrian.goto(kotor_server.url + "whats-on")
    wait_idle(austrian)
    assert _shown_language(austrian) == "DE"


def test_the_link_language_wins_over_the_browser(german, kotor_server):
    german.goto(kotor_server.url + "?lang=en")
    wait_idle(german)
    assert _shown_language(german) == "EN"
