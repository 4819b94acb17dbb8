"""End-to-end: crafted links and a missing data folder in headless Chromium (tiles
blocked): the page shows its defaults or a short message, never a traceback (issue 13,
item 1). The AppTest corpus (``tests/test_crafted_urls.py``) covers every class; this
checks what a real browser gets from a real server, ``.streamlit/config.toml`` included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watched
from tests.browser.harness import StreamlitServer, wait_idle

TRACES = ("Traceback", 'File "', ".py")
LINKS = [
    "explore?lang=EN&start=click&pt=NaN,NaN",
    "explore?lang=EN&start=click&pt=inf,inf",
    "explore?lang=EN&start=click&pt=1e308,1e308",
    "explore?lang=EN&start=click&pt=91,181",
    "explore?lang=EN&venue=%3Cscript%3E&cat=zzz&when=at&date=0001-01-01&time=25:99",
    "explore?lang=EN&q=" + "x" * 20_000 + "&start=nowhere&start=gate&members=maybe",
    "whats-on?lang=EN&range=9999-12-31&range=0001-01-01&ecat=zzz&eq=%00%1b",
]


def settled_text(page: Page, heading: str) -> str:
    """The page's visible text once the run that shows ``heading`` has ended."""
    expect(page.get_by_text(heading, exact=True).first).to_be_visible(timeout=60_000)
    wait_idle(page)
    return page.locator("body").inner_text()


def assert_no_trace(page: Page, text: str) -> None:
    for trace in TRACES:
        assert trace not in text, f"{trace!r} on the page"
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("link", LINKS)
def test_crafted_link_shows_no_traceback(
    watched: Watched, kotor_server: StreamlitServer, link: str
):
    page = watched.page
    page.goto(kotor_server.url + link)
    heading = "What's on" if link.startswith("whats-on") else "Kotor Creative Map"
    text = settled_text(page, heading)
    assert_no_trace(page, text)
    assert "could not" in text  # the page says what it reset
    assert watched.dialogs == []


@pytest.fixture(scope="module")
def missing_data_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder: Path = tmp_path_factory.mktemp("gone") / "no-such-folder"
    with StreamlitServer(folder) as server:
        yield server


def test_missing_data_folder_shows_a_short_message(
    watched: Watched, missing_data_server: StreamlitServer
):
    page = watched.page
    page.goto(missing_data_server.url + "?lang=EN")
    text = settled_text(page, "The map cannot be shown right now. Please try again later.")
    assert_no_trace(page, text)
