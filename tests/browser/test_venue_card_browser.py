"""End-to-end: a venue's card comes into view wherever it is chosen from, and stays put.

Issue 21: a marker, a list entry or a link opens the card inside the map and on the
screen, at the desktop (1280 x 900) and phone (390 x 844, touch) sizes; the page never
scrolls away from it; closing a card (its button, Escape, a click on the map) changes
neither the start point nor the list; "Start here" (on a card, or a long press / right
click on the map) is the one way the map sets the start point; Escape returns the focus
to what opened the card. Every interaction waits on the app's run or the map's
``settled()`` (tests/browser/harness.py), never on a clock.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Frame, Page, expect

from mapping.io import load_dataset
from tests.browser.harness import (
    MAP_IFRAME,
    app_run,
    click_map_at,
    map_settled,
    open_map,
    show_venue,
)
from tests.conftest import REPO_DATA

ENTRY = ".kcm-near-entry"
CARD = ".kcm-card:not([hidden])"
EMPTY_SPOT = (42.4150, 18.7800)  # no venue within 700 m, in the default view
VIEWPORTS = ["watched", "phone"]

# The open card's box in the map frame, whether it lies wholly inside the map, and
# which map controls overlap it (none may).
CARD_IN_MAP = """() => {
  const box = kcmVenueMap.map.getContainer().getBoundingClientRect();
  const panel = document.querySelector('.kcm-card:not([hidden])');
  if (!panel) { return null; }
  const r = panel.getBoundingClientRect();
  const covering = [...document.querySelectorAll('.leaflet-control')].filter(c => {
    const q = c.getBoundingClientRect();
    return q.width > 0 && !(q.right <= r.left || q.left >= r.right ||
                            q.bottom <= r.top || q.top >= r.bottom);
  }).map(c => c.className);
  return {id: panel.querySelector('.venue-card').dataset.venueId,
          top: r.top, bottom: r.bottom, left: r.left, right: r.right,
          inside: r.width > 0 && r.height > 0 && r.left >= box.left - 0.5 &&
                  r.top >= box.top - 0.5 && r.right <= box.right + 0.5 &&
                  r.bottom <= box.bottom + 0.5,
          covering: covering};
}"""


def card(frame: Frame) -> dict | None:
    return frame.evaluate(CARD_IN_MAP)


def map_top(page: Page) -> float:
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    return box["y"]


def card_on_screen(page: Page, frame: Frame) -> bool:
    """The open card lies wholly inside the browser's viewport (the page's coordinates)."""
    found = card(frame)
    box = page.locator(MAP_IFRAME).bounding_box()
    assert found is not None and box is not None
    size = page.viewport_size
    assert size is not None
    return (
        box["y"] + found["top"] >= -0.5
        and box["y"] + found["bottom"] <= size["height"] + 0.5
        and box["x"] + found["left"] >= -0.5
        and box["x"] + found["right"] <= size["width"] + 0.5
    )


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def entry_ids(page: Page) -> list[str]:
    return page.locator(ENTRY).evaluate_all("bs => bs.map(b => b.dataset.venueId)")


# A position of the map, in its upper part (clear of a bottom sheet), that no marker,
# cluster, card or control covers: where a click lands on the bare map.
BARE_SPOT = """() => {
  const map = kcmVenueMap.map, box = map.getContainer(), r = box.getBoundingClientRect();
  for (let y = 90; y < r.height / 2; y += 17) {
    for (let x = 60; x < r.width - 60; x += 23) {
      const hit = document.elementFromPoint(r.left + x, r.top + y);
      if (hit && box.contains(hit) && !hit.closest('.leaflet-marker-pane, .leaflet-popup-pane,' +
          ' .leaflet-control-container, .kcm-card')) {
        const ll = map.containerPointToLatLng([x, y]);
        return [ll.lat, ll.lng];
      }
    }
  }
  return null;
}"""


def bare_spot(frame: Frame) -> tuple[float, float]:
    spot = frame.evaluate(BARE_SPOT)
    assert spot is not None, "no bare spot on the map"
    return spot[0], spot[1]


def bring_map_on_screen(page: Page) -> None:
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()


def _cards_outside(page: Page, server: str, ids: list[str], viewport: str) -> list[str]:
    """Open each venue from its link; the cards that did not lie wholly inside the map."""
    outside: list[str] = []
    for venue_id in ids:
        frame = open_map(page, server, f"?lang=EN&venue={venue_id}")
        found = card(frame)
        assert found is not None, f"{venue_id}: no card opened from its link ({viewport})"
        assert found["id"] == venue_id
        if not found["inside"] or found["covering"]:
            outside.append(f"{venue_id}: {found}")
    return outside


def edge_venues() -> list[str]:
    """The venues where a card is likeliest to leave the map: the farthest north, south,
    east and west (the map pans least room there) and two sharing the busiest point."""
    venues = load_dataset(REPO_DATA, enrich=False).venues
    lat, lon = venues.geometry.y, venues.geometry.x
    picks = [venues.loc[i, "id"] for i in (lat.idxmax(), lat.idxmin(), lon.idxmax(), lon.idxmin())]
    point = venues.geometry.apply(lambda g: (round(g.x, 6), round(g.y, 6)))
    busiest = point.value_counts().index[0]
    picks += list(venues.loc[point == busiest, "id"].head(2))
    return list(dict.fromkeys(str(p) for p in picks))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_edge_venue_links_open_their_cards_inside_the_map(request, kotor_server, viewport):
    """The default run's sample of the sweep below (the sweep takes minutes)."""
    page: Page = request.getfixturevalue(viewport).page
    ids = edge_venues()
    outside = _cards_outside(page, kotor_server, ids, viewport)
    assert outside == [], f"{len(outside)} of {len(ids)} cards not wholly inside ({viewport})"


@pytest.mark.sweep
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_venue_link_opens_its_card_inside_the_map(request, kotor_server, viewport):
    page: Page = request.getfixturevalue(viewport).page
    ids = sorted(load_dataset(REPO_DATA, enrich=False).venues["id"])
    outside = _cards_outside(page, kotor_server, ids, viewport)
    assert outside == [], f"{len(outside)} of {len(ids)} cards not wholly inside ({viewport})"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_marker_tap_shows_its_card_and_the_page_stays(request, kotor_server, viewport):
    page: Page = request.getfixturevalue(viewport).page
    frame = open_map(page, kotor_server, "?lang=EN")
    bring_map_on_screen(page)
    marker = show_venue(frame, "cats-museum", 18)
    before = map_top(page)
    with app_run(page):
        marker.tap() if viewport == "phone" else marker.click()
    map_settled(frame)
    assert query(page)["venue"] == ["cats-museum"]
    assert map_top(page) == pytest.approx(before, abs=1)  # the page did not scroll
    found = card(frame)
    assert found is not None and found["id"] == "cats-museum" and found["inside"]
    assert card_on_screen(page, frame)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_list_pick_shows_its_card_on_screen(request, kotor_server, viewport, artifacts):
    page: Page = request.getfixturevalue(viewport).page
    frame = open_map(page, kotor_server, "?lang=EN")
    venue_id = entry_ids(page)[4]
    entry = page.locator(f'{ENTRY}[data-venue-id="{venue_id}"]')
    entry.scroll_into_view_if_needed()
    with app_run(page):
        entry.click()
    map_settled(frame)
    assert query(page)["venue"] == [venue_id]
    found = card(frame)
    assert found is not None and found["id"] == venue_id and found["inside"]
    assert card_on_screen(page, frame)
    page.screenshot(path=str(artifacts / f"explore-list-pick-{viewport}.png"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_closing_a_card_on_the_map_keeps_the_start_and_the_list(request, kotor_server, viewport):
    page: Page = request.getfixturevalue(viewport).page
    frame = open_map(page, kotor_server, "?lang=EN&venue=cats-museum")
    heading = page.get_by_role("heading", name=re.compile("^Near "))
    start_heading = heading.inner_text()
    order = entry_ids(page)
    assert card(frame) is not None
    map_settled(frame)
    click_map_at(page, frame, *bare_spot(frame))  # closes the card: the app hears "closed"
    expect(frame.locator(CARD)).to_have_count(0)
    params = query(page)
    assert "venue" not in params and "start" not in params and "pt" not in params
    expect(heading).to_have_text(start_heading)
    assert entry_ids(page) == order


def test_start_here_on_a_card_starts_from_the_venue(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN&venue=cats-museum")
    button = frame.locator(f"{CARD} .vc-start")
    expect(button).to_have_text("Start here")
    with app_run(page):
        button.click()
    params = query(page)
    assert params["start"] == ["click"]
    venue = load_dataset(REPO_DATA, enrich=False).venues.set_index("id").loc["cats-museum"]
    lat, lon = (float(v) for v in params["pt"][0].split(","))
    assert (lat, lon) == (
        pytest.approx(venue.geometry.y, abs=1e-5),
        pytest.approx(venue.geometry.x, abs=1e-5),
    )
    expect(page.get_by_role("heading", name="Near Point chosen on the map")).to_be_visible()


def test_a_right_click_offers_start_here_at_that_point(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    point = frame.evaluate("([a, b]) => kcmVenueMap.containerPoint(a, b)", list(EMPTY_SPOT))
    frame.locator(".leaflet-container").click(position=point, button="right")
    with app_run(page):
        frame.locator(".kcm-start-popup .vc-start").click()
    lat, lon = (float(v) for v in query(page)["pt"][0].split(","))
    assert (lat, lon) == (
        pytest.approx(EMPTY_SPOT[0], abs=2e-4),
        pytest.approx(EMPTY_SPOT[1], abs=2e-4),
    )
    expect(page.get_by_role("heading", name="Near Point chosen on the map")).to_be_visible()


def test_escape_closes_a_card_and_the_focus_returns_to_its_marker(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    marker = show_venue(frame, "cats-museum", 18)
    marker.focus()
    with app_run(page):
        page.keyboard.press("Enter")
    map_settled(frame)
    expect(frame.locator(CARD)).to_have_attribute("aria-label", "Cats Museum")
    assert frame.evaluate("() => document.activeElement.classList.contains('kcm-card')")
    with app_run(page):
        page.keyboard.press("Escape")
    expect(frame.locator(CARD)).to_have_count(0)
    assert "venue" not in query(page)
    focused = frame.evaluate("() => document.activeElement.dataset.venueId || null")
    assert focused == "cats-museum"


def test_escape_in_the_list_closes_the_card_it_opened(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    venue_id = entry_ids(page)[1]
    entry = page.locator(f'{ENTRY}[data-venue-id="{venue_id}"]')
    entry.focus()
    with app_run(page):
        page.keyboard.press("Enter")
    map_settled(frame)
    assert (card(frame) or {}).get("id") == venue_id
    with app_run(page):
        page.keyboard.press("Escape")
    expect(frame.locator(CARD)).to_have_count(0)
    assert "venue" not in query(page)
    assert page.evaluate("() => document.activeElement?.dataset?.venueId ?? null") == venue_id


def test_markers_and_clusters_have_accessible_names(watched, kotor_server):
    frame = open_map(watched.page, kotor_server, "?lang=EN")
    names = load_dataset(REPO_DATA, enrich=False).venues.set_index("id")
    frame.evaluate("() => kcmVenueMap.showAll()")
    unnamed = frame.evaluate("""() => [...document.querySelectorAll(
        '.venue-marker, .venue-cluster')].filter(el => !el.getAttribute('aria-label'))
        .map(el => el.className)""")
    assert unnamed == []
    marker = show_venue(frame, "cats-museum", 18)
    row = names.loc["cats-museum"]
    expect(marker).to_have_attribute("aria-label", row["name_en"] or row["name"])
    expect(marker).to_have_attribute("role", "button")
    marker.focus()
    outline = frame.evaluate(
        "() => getComputedStyle(document.activeElement.querySelector('.vm-pin')).outlineStyle"
    )
    assert outline not in ("", "none")  # a visible focus style


def test_each_venue_sharing_a_point_is_one_button_away(watched, kotor_server):
    venues = load_dataset(REPO_DATA, enrich=False).venues
    venues = venues.assign(lat=venues.geometry.y.round(5), lon=venues.geometry.x.round(5))
    shared = venues[venues.duplicated(["lat", "lon"], keep=False)]
    if shared.empty:
        pytest.skip("no two venues share a point in the shipped data")
    point = shared.groupby(["lat", "lon"])["id"].apply(list).iloc[0]
    page = watched.page
    frame = open_map(page, kotor_server, f"?lang=EN&venue={point[0]}")
    buttons = frame.locator(f"{CARD} .vc-here-venue")
    expect(buttons).to_have_count(len(point) - 1)
    with app_run(page):
        buttons.first.click()
    map_settled(frame)
    opened = (card(frame) or {}).get("id")
    assert opened in point[1:] and query(page)["venue"] == [opened]


def test_map_and_list_sit_side_by_side_and_light_each_other(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    entry = page.locator(f'{ENTRY}[data-venue-id="cats-museum"]')
    map_box = page.locator(MAP_IFRAME).bounding_box()
    entry_box = entry.bounding_box()
    assert map_box is not None and entry_box is not None
    assert entry_box["x"] >= map_box["x"] + map_box["width"]  # the list is beside the map
    expect(page.locator(MAP_IFRAME)).to_be_in_viewport(ratio=1)
    marker = show_venue(frame, "cats-museum", 18)
    marker.hover()  # marker -> list
    expect(entry).to_have_class(re.compile(r"\bkcm-near-lit\b"))
    page.mouse.move(0, 0)
    expect(entry).not_to_have_class(re.compile(r"\bkcm-near-lit\b"))
    entry.hover()  # list -> marker
    expect(marker).to_have_class(re.compile(r"\bis-highlighted\b"))
