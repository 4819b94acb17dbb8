"""In Chromium, on a phone (390×844) and a laptop (1366×900): the members' forms keep
their location map (the venue's marker shown, the map never remounted blank when the
hours preview appears or after a send), dates are picked in the date inputs, and the
same suggestion sent twice is stored once (issue 20 items 2-4)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from mapping import clock, submissions
from mapping.io import load_dataset
from mapping.store import DB_ENV_VAR
from tests.browser.harness import (
    TIMEOUT_MS,
    StreamlitServer,
    app_run,
    click_map_at,
    map_settled,
    wait_idle,
)
from tests.conftest import MINI

VENUE = "gal-durkovic"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1366, "height": 900}},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("forms") / "data"
    shutil.copytree(MINI, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(folder.parent / "members.sqlite"))
        with StreamlitServer(folder) as running:
            yield running


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", **VIEWPORTS[request.param])
    try:
        yield context.new_page()
    finally:
        context.close()


def stored(server: StreamlitServer) -> list[submissions.Submission]:
    return submissions.listed(server.data_folder, db=server.data_folder.parent / "members.sqlite")


def picker(page: Page, prefix: str) -> Frame:
    """The location picker's map frame, once settled."""
    handle = page.wait_for_selector(f".st-key-{prefix}-map iframe", timeout=TIMEOUT_MS)
    frame = handle.content_frame() if handle else None
    assert frame is not None
    frame.wait_for_selector(".leaflet-container", timeout=TIMEOUT_MS)
    map_settled(frame)
    return frame


def typed(page: Page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    expect(box).to_be_editable()
    box.fill(text)
    with app_run(page):
        box.press("Enter")


def send(page: Page) -> None:
    with app_run(page):
        page.get_by_role("button", name="Send suggestion").click()


def shot(page: Page, artifacts: Path, name: str, part: str) -> None:
    """A picture of one part of the form (``.st-key-<part>``), to look at."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    box = page.locator(f".st-key-{part}")
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(artifacts / f"member-forms-{name}-{width}.png"))


def test_the_picker_keeps_the_venue_marker_and_a_double_send_is_stored_once(
    page, server, artifacts
):
    page.goto(server.url + f"members?lang=EN&part=update&venue={VENUE}")
    wait_idle(page)
    frame = picker(page, "upd")
    marker = frame.locator(f'.venue-marker[data-venue-id="{VENUE}"]')
    expect(marker).to_be_visible()
    frame.evaluate("() => { window.__kcmSameMap = true; }")  # gone if the map remounts
    venue = load_dataset(server.data_folder).venues.set_index("id").loc[VENUE].geometry
    click_map_at(page, frame, venue.y + 0.0006, venue.x)  # a click first: then the old
    clicked = float(page.get_by_label("Latitude", exact=True).input_value() or "nan")
    assert abs(clicked - (venue.y + 0.0006)) < 0.00005  # a pixel's rounding
    frame = picker(page, "upd")  # page's map went blank when the preview came
    expect(frame.locator(".leaflet-marker-icon")).to_have_count(2)  # the venue and the pin

    wide = bool(page.viewport_size and page.viewport_size["width"] > 500)
    # each viewport its own content: the same one twice would be "already received"
    typed(page, "Opening hours (OpenStreetMap syntax)", f"Mo-Sa 10:00-{18 if wide else 17}:00")
    reading = page.locator('[data-testid="stAlertContentSuccess"]', has_text="That reads")
    expect(reading).to_be_visible()  # the hours' reading came, above the picker
    frame = picker(page, "upd")
    assert frame.evaluate("() => window.__kcmSameMap === true"), "the picker was remounted"
    expect(frame.locator(f'.venue-marker[data-venue-id="{VENUE}"]')).to_be_visible()
    expect(frame.locator(".leaflet-marker-icon")).to_have_count(2)
    shot(page, artifacts, "preview", "upd-location")

    send(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("Thank you")
    expect(page.get_by_label("Opening hours (OpenStreetMap syntax)", exact=True)).to_have_value("")
    expect(reading).to_have_count(0)  # and it went
    frame = picker(page, "upd")
    assert frame.evaluate("() => window.__kcmSameMap === true"), "remounted after the send"
    expect(frame.locator(f'.venue-marker[data-venue-id="{VENUE}"]')).to_be_visible()
    shot(page, artifacts, "sent", "upd-location")

    before = len(stored(server))
    for _ in range(2):
        typed(page, "Website", f"https://example.me/durkovic-{int(wide)}")
        send(page)
    expect(page.locator('[data-testid="stAlertContentInfo"]')).to_contain_text(
        "already received as #"
    )
    assert len(stored(server)) == before + 1
    expect(page.get_by_label("Website", exact=True)).to_have_value("")


def test_a_pasted_link_moves_the_pin_and_dates_come_from_the_date_inputs(page, server, artifacts):
    page.goto(server.url + "members?lang=EN&part=new")
    wait_idle(page)
    frame = picker(page, "new")
    typed(page, "Or paste a location", "https://www.openstreetmap.org/#map=18/42.42470/18.77120")
    expect(page.get_by_label("Latitude", exact=True)).to_have_value("42.424700")
    frame = picker(page, "new")
    expect(frame.locator(".start-marker, .leaflet-marker-icon").first).to_be_visible()
    shot(page, artifacts, "pasted", "new-location")

    page.goto(server.url + f"members?lang=EN&part=event&venue={VENUE}")
    wait_idle(page)
    wide = bool(page.viewport_size and page.viewport_size["width"] > 500)
    typed(page, "Title (EN)", f"Night of lanterns {int(wide)}")
    category = page.get_by_label("Category")  # typed into, as a phone's keyboard does
    category.click()
    category.press_sequentially("Concerts")
    with app_run(page):
        category.press("Enter")
    day = clock.now(load_dataset(server.data_folder).city.timezone).date() + timedelta(days=1)
    page.get_by_label("Start date", exact=True).click()
    with app_run(page):  # the calendar's own day button
        page.locator(f'[role="gridcell"] [aria-label*=", {day.day} {day:%B} {day.year}"]').click()
    picked = page.get_by_label("Start date", exact=True)  # a group of day, month, year
    expect(picked).to_contain_text(f"{day:%d}")
    expect(picked).to_contain_text(f"{day.year}")
    shot(page, artifacts, "event", "evt-when")
    before = len(stored(server))
    send(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("Thank you")
    latest = stored(server)[-1]
    assert len(stored(server)) == before + 1
    assert latest.fields["start"] == day.isoformat()
    expect(page.get_by_label("Start date", exact=True)).to_contain_text("yyyy")  # emptied
