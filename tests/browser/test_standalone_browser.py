"""The exported standalone HTML map, opened from ``file://`` with every request blocked
(tiles too): markers, legend, layer control and a card appear, on its own and inside an
``<iframe>`` of another page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Frame, Page

from mapping.exporting import export_bytes
from mapping.io import load_dataset
from tests.conftest import MINI, YEAR

NOW = datetime(YEAR, 5, 6, 11, 0, tzinfo=ZoneInfo("Europe/Podgorica"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standalone")
    payload, _ = export_bytes(load_dataset(MINI, year=YEAR), "html", lang="en", now=NOW)
    target = folder / "map.html"
    target.write_bytes(payload)
    (folder / "host.html").write_text(
        "<!doctype html><html><body><h1>Partner site</h1>"
        '<iframe src="map.html" width="800" height="600" title="Creative map"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    return target


@pytest.fixture
def offline(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page whose every request but the local files is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("file://", "data:", "about:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    try:
        yield context.new_page(), blocked
    finally:
        context.close()


def check_map(frame: Frame) -> None:
    frame.wait_for_function("() => window.kcmVenueMap && kcmVenueMap.updates() > 0")
    frame.evaluate("() => kcmVenueMap.showAll()")
    assert frame.evaluate("() => kcmVenueMap.markerCount()") == 4
    assert frame.locator(".venue-marker, .venue-cluster").count() > 0
    assert frame.locator(".leaflet-control-layers .kcm-layer").count() > 0
    legend = frame.locator("details summary")
    assert legend.count() == 1
    first = frame.evaluate("() => kcmVenueMap.venueIds()[0]")
    frame.evaluate("(id) => kcmVenueMap.openCard(id)", first)
    card = frame.locator(f'.venue-card[data-venue-id="{first}"]')
    card.wait_for(state="visible")
    # the icon font is inside the page: a Font Awesome glyph has its font
    family = frame.evaluate("""() => getComputedStyle(
        document.querySelector('.vm-pin i, .fa-solid'), '::before').fontFamily""")
    assert "Font Awesome" in family
    assert frame.evaluate("() => document.fonts.check('900 16px \"Font Awesome 6 Free\"')")


def test_standalone_map_from_disk_offline(offline, exported):
    page, blocked = offline
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(exported.as_uri())
    check_map(page.main_frame)
    assert errors == []
    assert all("tile" in u for u in blocked), blocked  # only tiles want the network


def test_standalone_map_inside_an_iframe(offline, exported):
    page, blocked = offline
    page.goto((exported.parent / "host.html").as_uri())
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    check_map(frame)
    assert all("tile" in u for u in blocked), blocked
