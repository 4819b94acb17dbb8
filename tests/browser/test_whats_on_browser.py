"""End-to-end: the What's on page in headless Chromium, offline but for tiles."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.harness import StreamlitServer, app_run, map_settled, open_map
from tests.conftest import MINI

RANGE = "range=2026-12-01&range=2026-12-31"


def test_map_draws_offline_with_event_venues(watched, kotor_server):
    frame = open_map(watched.page, kotor_server, f"whats-on?lang=EN&{RANGE}")
    expect(watched.page.get_by_role("heading", name="What's on")).to_be_visible()
    assert frame.evaluate("() => kcmVenueMap.markerCount()") >= 1
    outside = [u for u in watched.outside_requests() if "tile.openstreetmap.org" not in u]
    assert outside == []


def test_venue_link_opens_explore_with_the_venue_selected(watched, mini_server):
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-05")
    with app_run(page):  # a page switch: Explore runs
        page.get_by_role("link", name="at Đurković Gallery").first.click()
    assert parse_qs(urlparse(page.url).query)["venue"] == ["gal-durkovic"]
    frame = mini_server.map_frame(page)
    map_settled(frame)
    card = frame.locator('.venue-card[data-venue-id="gal-durkovic"]')
    expect(card).to_be_visible()
    expect(page.get_by_role("heading", name="Kotor Creative Map")).to_be_visible()


def test_download_button_delivers_an_ics(watched, mini_server, tmp_path):
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
    with page.expect_download() as info:
        page.locator('[class*="st-key-ics-all"] button').click()
    download = info.value
    assert download.suggested_filename == "kotor-whats-on.ics"
    path = tmp_path / "all.ics"
    download.save_as(path)
    calendar = Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1  # the winter show runs over both days: one occurrence
    assert str(events[0]["SUMMARY"]) == "Winter show"
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Podgorica"


def test_deep_link_on_a_fresh_server_opens_the_page(watched):
    """The first session of a server may open a deep link without a "Page not found"."""
    with StreamlitServer(MINI) as server:
        open_map(watched.page, server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
        expect(watched.page.get_by_role("heading", name="What's on")).to_be_visible()
        expect(watched.page.get_by_text("Page not found")).to_have_count(0)
