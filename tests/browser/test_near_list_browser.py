"""End-to-end: the nearest-first list and "Near me" in headless Chromium (tiles blocked).

The list is a custom component in the page itself (no iframe): its entries are real
buttons (``.kcm-near-entry``). Every interaction that makes the app run goes through
:func:`tests.browser.harness.app_run`, which waits for that run to end; nothing waits on
a clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from mapping import explore
from mapping.io import load_dataset
from tests.browser.conftest import TOWN_BROWSER_LOCALE, Watched
from tests.browser.harness import app_run, open_map, wait_idle
from tests.conftest import REPO_DATA

ENTRY = ".kcm-near-entry"
MORE = ".kcm-near-more"
INSIDE = (42.42500, 18.76900)  # in the Old Town, inside city.toml's bbox
OUTSIDE = (44.81250, 20.46120)  # Belgrade
DEFAULT_START = "Sea Gate (Main Gate of the Old Town)"  # city.toml's default_start, in EN


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def entry_ids(page: Page) -> list[str]:
    return page.locator(ENTRY).evaluate_all("bs => bs.map(b => b.dataset.venueId)")


def focused_id(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement?.dataset?.venueId ?? null")


def record_highlights(page: Page) -> None:
    page.evaluate("""() => { window.__kcmHighlights = [];
        window.top.addEventListener("kcm:highlight",
            e => window.__kcmHighlights.push(e.detail.id)); }""")


def test_list_is_keyboard_usable_and_a_choice_goes_to_the_url(watched, kotor_server):
    page = watched.page
    open_map(page, kotor_server, "?lang=EN")
    entries = page.locator(ENTRY)
    expect(entries).to_have_count(explore.NEAR_LIMIT)
    ids = entry_ids(page)
    record_highlights(page)
    entries.first.focus()
    assert focused_id(page) == ids[0]
    page.keyboard.press("Tab")  # the next entry is the next stop of the tab order
    assert focused_id(page) == ids[1]
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # a visible focus style
    with app_run(page):
        page.keyboard.press("Enter")
    assert query(page)["venue"] == [ids[1]]
    chosen = page.locator(f'{ENTRY}[data-venue-id="{ids[1]}"]')
    expect(chosen).to_have_attribute("aria-current", "true")
    expect(page.locator(f'{ENTRY}[aria-current="true"]')).to_have_count(1)
    assert focused_id(page) == ids[1]  # the rerun kept the keyboard where it was
    highlights = page.evaluate("() => window.__kcmHighlights")
    assert highlights[:3] == [ids[0], "", ids[1]]  # focus, blur, focus
    only_local_or_tiles(watched)


def test_show_more_reaches_every_match(watched, kotor_server):
    page = watched.page
    open_map(page, kotor_server, "?lang=EN&orgs=true")
    total = len(load_dataset(REPO_DATA, enrich=False).venues)
    more = page.locator(MORE)
    pages = 0
    while more.is_visible():
        on_screen = page.locator(ENTRY).count()
        more.focus()
        with app_run(page):
            page.keyboard.press("Enter")
        expect(page.locator(ENTRY)).to_have_count(min(total, on_screen + explore.NEAR_LIMIT))
        assert focused_id(page) == entry_ids(page)[on_screen]  # first new entry
        pages += 1
        assert pages < total, "show more never ends"
    ids = entry_ids(page)
    assert sorted(ids) == sorted(load_dataset(REPO_DATA, enrich=False).venues["id"])
    expect(page.locator(".kcm-near-count")).to_have_text(f"Shown: {total} of {total}")


def test_entries_show_names_as_text(watched, mini_server):
    page = watched.page
    open_map(page, mini_server, "?lang=ME")
    name = page.locator(f'{ENTRY}[data-venue-id="gal-durkovic"] .kcm-near-name')
    expect(name).to_have_text("<img src=x onerror=alert(1)> ${alert(2)} `tick` back\\slash")
    assert page.locator(".kcm-near img").count() == 0
    assert watched.dialogs == []


def test_map_events_select_and_clear_the_venue(watched, kotor_server):
    page = watched.page
    sent: list[object] = []  # messages from the browser to the app's server

    def on_frame(frame: object) -> None:  # Playwright wraps handlers: a plain function
        sent.append(frame)

    page.on("websocket", lambda ws: ws.on("framesent", on_frame))
    open_map(page, kotor_server, "?lang=EN&orgs=true")
    venue_id = entry_ids(page)[-1]  # on the first page, scrolled out of the list's box
    with app_run(page):
        page.evaluate(
            "id => window.top.dispatchEvent(new CustomEvent('kcm:venue-open', {detail: {id}}))",
            venue_id,
        )
    assert query(page)["venue"] == [venue_id]
    entry = page.locator(f'{ENTRY}[data-venue-id="{venue_id}"]')
    expect(entry).to_have_attribute("aria-current", "true")
    expect(entry).to_be_in_viewport()
    # The map saying again what is already selected sends nothing (no rerun loop); the
    # close that follows is one message, so exactly one frame goes out after the open.
    wait_idle(page)
    sent.clear()
    with app_run(page):
        page.evaluate(
            """id => {
            window.top.dispatchEvent(new CustomEvent('kcm:venue-open', {detail: {id}}));
            window.top.dispatchEvent(new CustomEvent('kcm:venue-close', {detail: {id}}));
        }""",
            venue_id,
        )
    assert len(sent) == 1, sent
    assert "venue" not in query(page)
    expect(page.locator(f'{ENTRY}[aria-current="true"]')).to_have_count(0)


@pytest.fixture
def located(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Watched]:
    """A desktop page whose browser has granted the geolocation ``request.param``."""
    lat, lon = request.param
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        geolocation={"latitude": lat, "longitude": lon},
        permissions=["geolocation"],
        locale=TOWN_BROWSER_LOCALE,
    )
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


def press_near_me(page: Page) -> None:
    with app_run(page):
        page.locator(".kcm-locate-button").click()


@pytest.mark.parametrize("located", [INSIDE], indirect=True)
def test_near_me_inside_the_area_starts_there(located, kotor_server):
    page = located.page
    open_map(page, kotor_server, "?lang=EN")
    press_near_me(page)
    params = query(page)
    assert params["start"] == ["click"]
    assert params["pt"] == [f"{INSIDE[0]:.5f},{INSIDE[1]:.5f}"]
    expect(page.get_by_role("heading", name="Near Your location")).to_be_visible()
    expect(page.get_by_text("Starting from your location.")).to_be_visible()
    only_local_or_tiles(located)


@pytest.mark.parametrize("located", [OUTSIDE], indirect=True)
def test_near_me_outside_the_area_says_so_and_keeps_the_default(located, kotor_server):
    page = located.page
    open_map(page, kotor_server, "?lang=EN&start=bus-station")
    press_near_me(page)
    expect(
        page.get_by_text(
            "Your location is outside the area this map covers, so the "
            f"start point is {DEFAULT_START}."
        )
    ).to_be_visible()
    assert "start" not in query(page)  # the default start leaves the URL clean
    expect(page.get_by_role("heading", name=f"Near {DEFAULT_START}")).to_be_visible()


def only_local_or_tiles(watched: Watched) -> None:
    outside = watched.outside_requests()
    assert all(urlparse(u).hostname.endswith("tile.openstreetmap.org") for u in outside), outside
