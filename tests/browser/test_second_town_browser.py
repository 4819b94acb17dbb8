"""The Explore page of the fictional second town in real Chromium (closed network):
Cyrillic title, legend and a card, with nothing about Kotor in code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.harness import StreamlitServer, open_map, show_venue
from tests.conftest import SECOND_TOWN


@pytest.fixture(scope="module")
def second_server() -> Iterator[StreamlitServer]:
    with StreamlitServer(SECOND_TOWN) as server:
        yield server


def test_explore_runs_for_the_second_town(watched, second_server):
    page = watched.page
    frame = open_map(page, second_server, "")
    expect(page.get_by_role("heading", name="Креативна мапа: Ново Измишљено")).to_be_visible()
    assert frame.evaluate("() => kcmVenueMap.markerCount()") == 5
    expect(frame.locator(".map-legend")).to_contain_text("Галерије")
    show_venue(frame, "galerija-zora", 18).click()
    card = frame.locator('.venue-card[data-venue-id="galerija-zora"]')
    expect(card).to_contain_text("Галерија „Зора“")
    assert watched.outside_requests() == [] or all("tile" in u for u in watched.outside_requests())
