"""End-to-end: the What's on page in headless Chromium, offline but for tiles."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.harness import StreamlitServer, app_run, map_settled, open_map
from tests.conftest import MINI

RANGE = "range=2026-12-01&range=2026-12-31"
NAV = '[data-testid="stSidebarNav"]'
ENTRY = ".kcm-near-entry"  # an entry of Explore's nearest-first list


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
    expect(page.get_by_role("heading", name="Testtown Creative Map")).to_be_visible()


def test_download_button_delivers_an_ics(watched, mini_server, tmp_path):
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
    with page.expect_download() as info:
        page.locator('[class*="st-key-ics-all"] button').click()
    download = info.value
    assert download.suggested_filename == "testtown-whats-on.ics"  # named after the town
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


STRIP = '[data-testid="stVegaLiteChart"]'


def test_month_strip_click_selects_that_month(watched, mini_server):
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
    july = page.locator(f'{STRIP} [aria-label^="July 2027:"]')
    july.hover()
    expect(page.locator("#vg-tooltip-element")).to_have_text(
        "July 2027: 0 confirmed, 1 to be confirmed"
    )
    with app_run(page):
        july.click()
    assert parse_qs(urlparse(page.url).query)["range"] == ["2027-07-01", "2027-07-31"]
    expect(page.get_by_text("Expected in July 2027 — dates to be confirmed")).to_be_visible()
    # The chart starts afresh for the new range: another month can be clicked next.
    with app_run(page):
        page.locator(f'{STRIP} [aria-label^="December 2026:"]').click()
    assert parse_qs(urlparse(page.url).query)["range"] == ["2026-12-01", "2026-12-31"]


def test_month_strip_speaks_montenegrin(watched, mini_server):
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=ME&range=2026-12-05&range=2026-12-06")
    december = page.locator(f'{STRIP} [aria-label^="decembar 2026.:"]')
    december.hover()
    expect(page.locator("#vg-tooltip-element")).to_have_text(
        "decembar 2026.: 1 potvrđen, 0 čeka potvrdu datuma"
    )
    chart_text = page.locator(STRIP).inner_text()
    for english in ("Month", "Events", "Dates confirmed", "value", "color"):
        assert english not in chart_text
    assert "Mjesec" in chart_text


def test_back_after_a_venue_link_returns_to_the_same_range(watched, mini_server):
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
    with app_run(page):
        page.get_by_role("link", name="at Đurković Gallery").first.click()
    assert "range" not in parse_qs(urlparse(page.url).query)  # on Explore now
    with app_run(page):
        page.go_back()
    assert parse_qs(urlparse(page.url).query)["range"] == ["2026-12-05", "2026-12-06"]
    expect(page.get_by_role("heading", name="Sat 5 Dec 2026 – Sun 6 Dec 2026")).to_be_visible()
    expect(page.get_by_text("Winter show").first).to_be_visible()


def card_shown(page, server, venue_id: str) -> None:
    """The map shows ``venue_id``'s card, and no other."""
    frame = server.map_frame(page)
    map_settled(frame)
    expect(frame.locator(f'.venue-card[data-venue-id="{venue_id}"]')).to_be_visible()
    expect(frame.locator(".venue-card")).to_have_count(1)


def test_a_venue_link_within_a_session_wins_over_what_the_session_remembers(watched, mini_server):
    """Explore, then What's on, then "at <venue>": Explore opens that venue's card (the
    session already holds a selection, none, from its first visit to Explore)."""
    page = watched.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
    with app_run(page):
        page.locator(NAV).get_by_role("link", name="Explore").click()
    expect(page.get_by_role("heading", name="Testtown Creative Map")).to_be_visible()
    with app_run(page):  # back on What's on with its range, in the same session
        page.go_back()
    with app_run(page):
        page.get_by_role("link", name="at Đurković Gallery").first.click()
    expect(page).to_have_url(re.compile(r"[?&]venue=gal-durkovic(&|$)"))
    card_shown(page, mini_server, "gal-durkovic")


def test_back_and_forward_between_venues_restore_each_card(watched, mini_server):
    """A venue picked in the list, then Back and Forward: each step shows the card its
    URL names (the URL wins over the selection the session holds)."""
    page = watched.page
    open_map(page, mini_server, "?lang=EN&venue=gal-durkovic")
    card_shown(page, mini_server, "gal-durkovic")
    other = page.locator(f'{ENTRY}:not([data-venue-id="gal-durkovic"])').first
    other_id = other.get_attribute("data-venue-id")
    with app_run(page):
        other.click()
    expect(page).to_have_url(re.compile(rf"[?&]venue={other_id}(&|$)"))
    card_shown(page, mini_server, other_id)
    with app_run(page):
        page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]venue=gal-durkovic(&|$)"))
    card_shown(page, mini_server, "gal-durkovic")
    with app_run(page):
        page.go_forward()
    expect(page).to_have_url(re.compile(rf"[?&]venue={other_id}(&|$)"))
    card_shown(page, mini_server, other_id)


def test_phone_shows_the_events_before_the_chart_and_the_map(phone, mini_server):
    page = phone.page
    open_map(page, mini_server, "whats-on?lang=EN&range=2026-12-05&range=2026-12-06")
    event = page.locator('[class*="st-key-event-"]').first.bounding_box()
    chart = page.locator(STRIP).bounding_box()
    board = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert event is not None and chart is not None and board is not None
    assert event["y"] + event["height"] <= chart["y"] < board["y"]
