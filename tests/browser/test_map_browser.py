"""End-to-end: the venue map itself — every card opens and fits, the map stays mounted,
its events and texts — in real headless Chromium, offline but for tiles."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Frame, Page

from mapping import i18n
from mapping.io import load_dataset
from tests.browser.harness import (
    StreamlitServer,
    click_widget,
    map_settled,
    open_filters,
    open_map,
    show_venue,
    wait_idle,
)
from tests.conftest import REPO_DATA

# Where the open card is (the panel inside the map: a bottom sheet on a narrow map, a
# side panel on a wide one), and whether a map control (legend, zoom, layers, scale,
# attribution) covers part of it; null when no card is open.
CARD_BOX = """() => {
  const box = kcmVenueMap.map.getContainer().getBoundingClientRect();
  const panel = document.querySelector('.kcm-card:not([hidden])');
  if (!panel) { return null; }
  const r = panel.getBoundingClientRect();
  const covering = [...document.querySelectorAll('.leaflet-control')].filter(c => {
    const q = c.getBoundingClientRect();
    return q.width > 0 && !(q.right <= r.left || q.left >= r.right ||
                            q.bottom <= r.top || q.top >= r.bottom);
  }).map(c => c.className);
  return {
    id: panel.querySelector('.venue-card').dataset.venueId,
    inside: r.width > 0 && r.height > 0 &&
            r.left >= box.left - 0.5 && r.top >= box.top - 0.5 &&
            r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5,
    covering: covering,
  };
}"""


def venue_ids() -> list[str]:
    return sorted(load_dataset(REPO_DATA, enrich=False).venues["id"])


def card_box(frame: Frame) -> dict | None:
    return frame.evaluate(CARD_BOX)


def select(frame: Frame, venue_id: str) -> dict | None:
    frame.evaluate("(id) => kcmVenueMap.selectVenue(id)", venue_id)
    return card_box(frame)


@pytest.mark.parametrize("viewport", ["watched", "phone"])
def test_every_venue_card_opens_wholly_visible(request, kotor_server, viewport):
    page: Page = request.getfixturevalue(viewport).page
    frame = open_map(page, kotor_server, "?lang=EN")
    ids = venue_ids()
    assert sorted(frame.evaluate("() => kcmVenueMap.venueIds()")) == ids
    for venue_id in ids:
        box = select(frame, venue_id)
        assert box is not None, f"{venue_id}: no card opened"
        assert box["id"] == venue_id
        assert box["inside"], f"{venue_id}: card not wholly inside the map ({viewport})"
        assert box["covering"] == [], f"{venue_id}: covered by {box['covering']} ({viewport})"


@pytest.mark.parametrize(
    "venue_id", ["expeditio", "pomorski-muzej", "pjaca-od-brasna", "dom-kulture-skaljari"]
)
def test_a_link_opens_the_card_of_venues_that_once_stayed_shut(watched, kotor_server, venue_id):
    frame = open_map(watched.page, kotor_server, f"?lang=EN&venue={venue_id}")
    box = card_box(frame)
    assert box is not None and box["id"] == venue_id and box["inside"]


def test_a_filter_change_updates_the_mounted_map_without_reloading_it(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    frame.evaluate("() => { window.kcmProbe = 'still here'; }")
    drawn = frame.evaluate("() => kcmVenueMap.updates()")
    total = frame.evaluate("() => kcmVenueMap.markerCount()")
    members = i18n.t("filters.members", "en")
    click_widget(page, open_filters(page).get_by_text(members))
    frame.wait_for_function("(n) => kcmVenueMap.updates() > n", arg=drawn)
    map_settled(frame)
    assert frame.evaluate("() => window.kcmProbe") == "still here"  # same document
    listed = (
        load_dataset(REPO_DATA, enrich=False)
        .venues["cluster"]
        .isin(["member", "prospective"])
        .sum()
    )
    assert frame.evaluate("() => kcmVenueMap.markerCount()") == listed < total


def test_marker_click_tells_the_page_and_the_list_highlights_a_marker(watched, kotor_server):
    page = watched.page
    frame = open_map(page, kotor_server, "?lang=EN")
    page.evaluate("""() => { window.kcmOpened = [];
        window.addEventListener('kcm:venue-open', e => window.kcmOpened.push(e.detail.id)); }""")
    marker = show_venue(frame, "cats-museum", 19)
    marker.click()
    page.wait_for_function("() => window.kcmOpened.length > 0")
    assert page.evaluate("() => window.kcmOpened") == ["cats-museum"]
    # the near list relays it: the card's venue is in the URL, to be shared
    page.wait_for_url(re.compile(r"[?&]venue=cats-museum\b"))
    wait_idle(page)
    map_settled(frame)
    assert (card_box(frame) or {}).get("id") == "cats-museum"  # still open after the rerun
    frame.locator(".kcm-card-close").click()
    page.wait_for_url(lambda url: "venue=" not in url)

    page.evaluate("""() => window.dispatchEvent(
        new CustomEvent('kcm:highlight', {detail: {id: 'cats-museum'}}))""")
    assert "is-highlighted" in (marker.get_attribute("class") or "")
    page.evaluate("""() => window.dispatchEvent(
        new CustomEvent('kcm:highlight', {detail: {id: ''}}))""")
    assert "is-highlighted" not in (marker.get_attribute("class") or "")


def test_map_controls_speak_montenegrin_and_metric(watched, kotor_server: StreamlitServer):
    frame = open_map(watched.page, kotor_server, "?lang=ME")
    assert frame.locator(".leaflet-control-zoom-in").get_attribute("title") == i18n.t(
        "map.zoom_in", "me"
    )
    assert frame.locator(".leaflet-control-zoom-out").get_attribute("title") == i18n.t(
        "map.zoom_out", "me"
    )
    assert frame.locator(".leaflet-control-layers-toggle").get_attribute("title") == i18n.t(
        "map.categories", "me"
    )
    scale = frame.locator(".leaflet-control-scale").inner_text()
    assert "m" in scale and "ft" not in scale and "mi" not in scale
