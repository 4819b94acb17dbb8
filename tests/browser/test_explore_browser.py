"""End-to-end: the Explore page in real headless Chromium, offline but for tiles.

Every interaction goes through a helper of :mod:`tests.browser.harness` that returns
once the app's run and the map's animations are over; the map is asked through its
test hook (``window.kcmVenueMap``), never through Leaflet's private fields.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Frame, expect

from mapping import explore
from mapping.distance import walk_model
from mapping.io import load_dataset
from mapping.query import nearest, visitable
from tests.browser.conftest import TOWN_BROWSER_LOCALE
from tests.browser.harness import (
    MAP_IFRAME,
    app_run,
    click_widget,
    open_filters,
    open_map,
    show_all,
    show_venue,
    toggle_layer,
)
from tests.conftest import REPO_DATA

TILE_HOST = "tile.openstreetmap.org"
LIST_BUTTONS = ".kcm-near-entry"  # the nearest-first list (mapping/components/near_list.js)
# An empty spot south-east of the Old Town, in the default view (Sea Gate, zoom 14):
# no venue within 700 m, clear of the legend and the controls.
EMPTY_SPOT = (42.4150, 18.7800)


def marker_total(frame: Frame) -> int:
    """Venues on the map's shown layers (markercluster keeps off-screen ones out of the DOM)."""
    return frame.evaluate("() => kcmVenueMap.markerCount()")


def near_list(page) -> list[str]:
    return page.locator(f"{LIST_BUTTONS} .kcm-near-name").all_inner_texts()


def only_tiles_went_out(watched) -> None:
    outside = watched.outside_requests()
    assert all(urlparse(u).hostname.endswith(TILE_HOST) for u in outside), outside


def test_map_draws_every_kotor_venue_offline(watched, kotor_server):
    frame = open_map(watched.page, kotor_server, "?lang=EN")
    total = len(load_dataset(REPO_DATA, enrich=False).venues)
    expect(frame.locator(".map-legend")).to_be_visible()
    assert marker_total(frame) == total
    show_all(frame)  # whole municipality in view: markercluster draws only what is in view
    assert frame.evaluate("() => kcmVenueMap.drawnCount()") == total
    only_tiles_went_out(watched)


def test_hiding_a_layer_hides_its_markers(watched, kotor_server):
    frame = open_map(watched.page, kotor_server, "?lang=EN")
    before = marker_total(frame)
    data = load_dataset(REPO_DATA, enrich=False)
    label = data.categories.set_index("id").loc["museum", "label_en"]
    museums = int((data.venues["category"] == "museum").sum())
    toggle_layer(frame, label, shown=False)
    assert marker_total(frame) == before - museums
    toggle_layer(frame, label, shown=True)
    assert marker_total(frame) == before


def test_language_switch_changes_ui_text(watched, kotor_server):
    page = watched.page
    open_map(page, kotor_server, "?lang=EN")
    expect(page.get_by_role("heading", name="Kotor Creative Map")).to_be_visible()
    filters = open_filters(page)
    expect(filters.get_by_text("Cluster members and prospective members only")).to_be_visible()
    page.keyboard.press("Escape")
    click_widget(page, page.locator('[class*="st-key-lang"]').get_by_text("ME", exact=True))
    expect(page.get_by_role("heading", name="Kreativna mapa: Kotor")).to_be_visible()
    filters = open_filters(page)
    expect(filters.get_by_text("Samo članovi i potencijalni članovi klastera")).to_be_visible()
    assert "lang=EN" not in page.url


def test_german_works_in_the_browser(watched, kotor_server):
    """German came as catalogues and data columns only; the page, legend and card use it."""
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=DE")
    expect(page.get_by_role("heading", name="Kreativkarte Kotor")).to_be_visible()
    filters = open_filters(page)
    expect(filters.get_by_text("Nur Cluster-Mitglieder und mögliche Mitglieder")).to_be_visible()
    page.keyboard.press("Escape")
    legend = frame.locator(".map-legend")
    expect(legend).to_contain_text("Legende")
    expect(legend).to_contain_text("Galerien")
    venue_id = "cats-museum"
    show_venue(frame, venue_id, 18).click()
    card = frame.locator(f'.venue-card[data-venue-id="{venue_id}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("Museen")  # the category label in German


def test_clicking_a_marker_opens_its_card(watched, kotor_server):
    frame = open_map(watched.page, kotor_server, "?lang=EN")
    venue_id = "cats-museum"  # the one venue with a source-given exact point
    show_venue(frame, venue_id, 18).click()
    card = frame.locator(f'.venue-card[data-venue-id="{venue_id}"]')
    expect(card).to_be_visible()
    name = load_dataset(REPO_DATA, enrich=False).venues.set_index("id").loc[venue_id]
    expect(card).to_contain_text(name["name_en"] or name["name"])


def test_start_here_on_the_map_moves_start_and_reorders_list(watched, kotor_server):
    """A right click (a long press on a phone) offers "Start here"; a plain click does not
    move the start (tests/browser/test_venue_card_browser.py)."""
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    before = near_list(page)
    point = frame.evaluate("([a, b]) => kcmVenueMap.containerPoint(a, b)", list(EMPTY_SPOT))
    frame.locator(".leaflet-container").click(position=point, button="right")
    with app_run(page):
        frame.locator(".kcm-start-popup .vc-start").click()
    expect(page.get_by_role("heading", name=re.compile("Near Point chosen"))).to_be_visible()
    lat, lon = (float(v) for v in parse_qs(urlparse(page.url).query)["pt"][0].split(","))
    # the start is where the click was aimed (one pixel is ~7 m at zoom 14)
    assert (lat, lon) == (
        pytest.approx(EMPTY_SPOT[0], abs=2e-4),
        pytest.approx(EMPTY_SPOT[1], abs=2e-4),
    )
    data = load_dataset(REPO_DATA)
    ranked = nearest(data.venues, (lat, lon), walk_model(data))
    ranked = ranked[visitable(ranked)]  # organisations without a place to visit: not listed
    names = list(ranked["name_en"].where(ranked["name_en"] != "", ranked["name"]))
    shown = min(len(names), explore.NEAR_LIMIT)
    expect(page.locator(f"{LIST_BUTTONS} .kcm-near-name")).to_have_text(names[:shown])
    assert near_list(page) != before


def test_payload_names_render_as_text(watched, mini_server):
    frame = open_map(watched.page, mini_server, "?lang=ME&venue=gal-durkovic")  # original name
    card = frame.locator('.venue-card[data-venue-id="gal-durkovic"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("<img src=x onerror=alert(1)> ${alert(2)} `tick` back\\slash")
    assert frame.locator(".venue-card img").count() == 0
    assert watched.dialogs == []


def test_phone_viewport(phone, kotor_server, artifacts):
    page = phone.page
    open_map(page, kotor_server, "?lang=EN")
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert box is not None and 300 < box["width"] <= 390
    page.screenshot(path=str(artifacts / "explore-390x844.png"))
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).not_to_be_in_viewport()  # the page menu folded away on a phone
    total = len(load_dataset(REPO_DATA, enrich=False).venues)
    # the language switch, the filters, "Near me" and the count: on screen, no drawer
    main = page.locator('[data-testid="stMain"]')
    count = main.locator("strong", has_text="venues shown")
    filters = page.locator('[class*="st-key-explore-filters"] button').first
    for reachable in (page.locator('[class*="st-key-lang"]'), filters, count):
        expect(reachable).to_be_in_viewport(ratio=1)
    expect(page.locator(".kcm-locate-button")).to_be_in_viewport(ratio=1)
    expect(count).to_have_text(f"{total} of {total} venues shown")
    expect(filters).to_have_accessible_name("Filters")
    # a filter works by touch, the popover stays open and counts it
    body = open_filters(page)
    page.screenshot(path=str(artifacts / "explore-390x844-filters.png"))
    click_widget(page, body.get_by_text("Cluster members and prospective members only"))
    expect(count).to_have_text(re.compile(rf"^\d+ of {total} venues shown$"))
    expect(count).not_to_have_text(f"{total} of {total} venues shown")
    expect(filters).to_have_accessible_name("Filters · 1")
    expect(body.get_by_role("checkbox", name="Cluster members")).to_be_checked()
    assert "members=true" in page.url
    only_tiles_went_out(phone)


@pytest.mark.parametrize("lang", ["EN", "ME", "DE"])
def test_phone_first_screen_shows_map_and_first_entry(browser, kotor_server, artifacts, lang):
    """Issue 21: on a 390 x 844 touch phone at device scale 3 the first screen holds the
    map and the list's first entry, without scrolling, and nothing is cut off sideways."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
        locale=TOWN_BROWSER_LOCALE,
    )
    page = context.new_page()
    open_map(page, kotor_server, f"?lang={lang}")
    expect(page.locator(LIST_BUTTONS).first).to_be_visible()
    page.screenshot(path=str(artifacts / f"explore-390x844-first-{lang}.png"))
    height, width, scroll_y, scroll_width = page.evaluate(
        "() => [innerHeight, innerWidth, scrollY, document.scrollingElement.scrollWidth]"
    )
    assert (height, width, scroll_y) == (844, 390, 0)
    assert scroll_width <= width, f"{scroll_width - width} px cut off sideways"
    for part in (page.locator(MAP_IFRAME), page.locator(LIST_BUTTONS).first):
        box = part.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (lang, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (lang, box)
    context.close()
