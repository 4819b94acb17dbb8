"""End-to-end: the Explore page in real headless Chromium, offline but for tiles."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Frame, expect

from mapping import explore
from mapping.distance import walk_model
from mapping.io import load_dataset
from mapping.query import nearest
from tests.browser.harness import StreamlitServer
from tests.conftest import REPO_DATA

TILE_HOST = "tile.openstreetmap.org"


def marker_total(frame: Frame) -> int:
    """Venues on the map's shown layers (markercluster keeps off-screen ones out of the DOM)."""
    return frame.evaluate("() => window.kcmVenueMap.count()")


# Venues drawn in the current view: single markers plus the counts on clusters.
DRAWN_IN_VIEW_JS = """() => {
    const singles = document.querySelectorAll('.venue-marker').length;
    let clustered = 0;
    document.querySelectorAll('.marker-cluster span').forEach(s => clustered += +s.textContent);
    return singles + clustered;
}"""


def open_map(watched, server: StreamlitServer, query: str = "") -> Frame:
    watched.page.goto(server.url + query)
    frame = server.map_frame(watched.page)
    frame.wait_for_selector(".venue-marker, .marker-cluster")
    return frame


LIST_BUTTONS = '[class*="st-key-pick-"] button'


def near_list(page) -> list[str]:
    buttons = page.locator(LIST_BUTTONS)
    return [text.split(" · ")[0] for text in buttons.all_inner_texts()]


def test_map_draws_every_kotor_venue_offline(watched, kotor_server):
    frame = open_map(watched, kotor_server, "?lang=EN")
    total = len(load_dataset(REPO_DATA, enrich=False).venues)
    expect(frame.locator(".map-legend")).to_be_visible()
    assert marker_total(frame) == total
    # whole municipality in view: markercluster draws only what is in view
    frame.evaluate("() => creativeMap.fitBounds(kcmVenueMap.cluster.getBounds(), "
                   "{animate: false})")
    # once the zoom has settled
    frame.wait_for_function(f"() => ({DRAWN_IN_VIEW_JS})() === {total}")
    outside = watched.outside_requests()
    assert all(urlparse(u).hostname.endswith(TILE_HOST) for u in outside), outside


def test_hiding_a_layer_hides_its_markers(watched, kotor_server):
    frame = open_map(watched, kotor_server, "?lang=EN")
    before = marker_total(frame)
    data = load_dataset(REPO_DATA, enrich=False)
    label = data.categories.set_index("id").loc["museum", "label_en"]
    expected_gone = int((data.venues["category"] == "museum").sum())
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-overlays label", has_text=label) \
        .locator("input").uncheck()
    assert marker_total(frame) == before - expected_gone


def test_language_switch_changes_ui_text(watched, kotor_server):
    page = watched.page
    open_map(watched, kotor_server, "?lang=EN")
    expect(page.get_by_role("heading", name="Kotor Creative Map")).to_be_visible()
    page.get_by_text("Cluster members only").wait_for()
    page.locator('[class*="st-key-lang"]').get_by_text("ME", exact=True).click()
    expect(page.get_by_role("heading", name="Kreativna mapa Kotora")).to_be_visible()
    expect(page.get_by_text("Samo članice klastera")).to_be_visible()
    assert "lang=EN" not in page.url


def test_clicking_a_marker_opens_its_card(watched, kotor_server):
    frame = open_map(watched, kotor_server, "?lang=EN")
    venue_id = "cats-museum"  # the one venue with a source-given exact point
    frame.evaluate(f"() => creativeMap.setView(kcmVenueMap.byId['{venue_id}'].getLatLng(), 18, "
                   "{animate: false})")
    selector = f'.venue-marker[data-venue-id="{venue_id}"]'
    # markercluster re-draws after a view change: click once it has settled
    frame.wait_for_function(f"() => document.querySelector('{selector}') && "
                            "!kcmVenueMap.cluster._inZoomAnimation")
    frame.locator(selector).click()
    card = frame.locator(f'.venue-card[data-venue-id="{venue_id}"]')
    expect(card).to_be_visible()
    name = load_dataset(REPO_DATA, enrich=False).venues.set_index("id").loc[venue_id]
    expect(card).to_contain_text(name["name_en"] or name["name"])


def test_clicking_the_map_moves_start_and_reorders_list(watched, kotor_server):
    page = watched.page
    frame = open_map(watched, kotor_server, "?lang=EN")
    before = near_list(page)
    box = frame.locator(".leaflet-container").bounding_box()
    frame.locator(".leaflet-container").click(position={"x": 40, "y": box["height"] - 40})
    page.wait_for_url(re.compile(r"[?&]pt="))
    expect(page.get_by_role("heading", name=re.compile("Near Point clicked"))).to_be_visible()
    lat, lon = (float(v) for v in parse_qs(urlparse(page.url).query)["pt"][0].split(","))
    data = load_dataset(REPO_DATA)
    ranked = nearest(data.venues, lat, lon, walk_model(data.city))
    names = list(ranked["name_en"].where(ranked["name_en"] != "", ranked["name"]))
    shown = min(len(names), explore.NEAR_LIMIT)
    # the list re-renders after the heading: wait until it is the expected order
    expect(page.locator(LIST_BUTTONS)).to_have_text(
        [re.compile("^" + re.escape(name) + " · ") for name in names[:shown]])
    assert near_list(page) != before


def test_payload_names_render_as_text(watched, mini_server):
    frame = open_map(watched, mini_server, "?lang=ME&venue=gal-durkovic")  # original name
    card = frame.locator('.venue-card[data-venue-id="gal-durkovic"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("<img src=x onerror=alert(1)> ${alert(2)} `tick` back\\slash")
    assert frame.locator(".venue-card img").count() == 0
    assert watched.dialogs == []


def test_phone_viewport(browser, kotor_server, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(kotor_server.url + "?lang=EN")
    frame = kotor_server.map_frame(page)
    frame.wait_for_selector(".venue-marker, .marker-cluster")
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert box["width"] <= 390 and box["width"] > 300
    page.screenshot(path=str(artifacts / "explore-390x844.png"))
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).not_to_be_in_viewport()  # filters folded away on a phone
    expand = '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"]'
    page.locator(expand).first.click()
    expect(sidebar).to_be_in_viewport()
    total = len(load_dataset(REPO_DATA, enrich=False).venues)
    count = sidebar.locator("strong", has_text="venues shown")
    expect(count).to_have_text(f"{total} of {total} venues shown")
    sidebar.get_by_text("Cluster members only").click()  # a filter works by touch too
    expect(count).to_have_text(re.compile(rf"^\d+ of {total} venues shown$"))
    expect(count).not_to_have_text(f"{total} of {total} venues shown")
    page.screenshot(path=str(artifacts / "explore-390x844-filters.png"))
    context.close()
