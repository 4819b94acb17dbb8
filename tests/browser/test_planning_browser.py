"""Planning in Chromium: the printable report offline and printed; a map click adds a venue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from mapping import cli, i18n
from mapping import coverage as cov
from tests.browser.harness import app_run, wait_idle
from tests.conftest import REPO_DATA

KNOWN = "Residents covered (known)"


def known_share(page: Page) -> int:
    metric = page.locator('[data-testid="stMetric"]', has_text=KNOWN)
    match = re.search(r"(\d+)\s?%", metric.inner_text())  # "51%" in en, "51 %" in de
    assert match, metric.inner_text()
    return int(match.group(1))


def test_click_adds_a_hypothetical_venue_as_a_scenario_apart(watched, kotor_server, kotor):
    page = watched.page
    page.goto(kotor_server.url + "planning?lang=EN")
    wait_idle(page)
    frame = kotor_server.map_frame(page)
    frame.wait_for_function("() => window.kcmVenueMap !== undefined", timeout=30000)
    # the map opens on every settlement, even though its frame had no size when drawn
    places = cov.build_plan(kotor).settlements
    frame.wait_for_function(
        """([s, w, n, e]) => {
          const b = kcmVenueMap.map.getBounds();
          return b.getSouth() < s && b.getWest() < w && b.getNorth() > n && b.getEast() > e;
        }""",
        arg=[
            float(places["lat"].min()),
            float(places["lon"].min()),
            float(places["lat"].max()),
            float(places["lon"].max()),
        ],
        timeout=30000,
    )
    before = known_share(page)
    assert before < 100  # Risan (2,048 residents) has nothing known open in the off-season
    # The planning map draws no venue payload, so the harness's map_settled() (which
    # waits for one) is not used: the view is set without animation instead.
    frame.evaluate("() => kcmVenueMap.map.setView([42.5152, 18.695], 15, {animate: false})")
    point = frame.evaluate("([a, b]) => kcmVenueMap.containerPoint(a, b)", [42.5185, 18.6995])
    with app_run(page):  # a few hundred metres from Risan, off every drawn shape
        frame.locator(".leaflet-container").click(position=point)
    with app_run(page):
        page.get_by_role("button", name="Add the hypothetical venue").click()
    page.wait_for_function(
        "() => document.body.innerText.includes('Scenario with 1 proposed venue')", timeout=30000
    )
    assert "Hypothetical venues: 1" in page.inner_text("body")
    assert known_share(page) == before  # the headline stays today's (issue 22)
    assert "pv=" in page.url
    assert [u for u in watched.outside_requests() if "tile.openstreetmap.org" not in u] == []


SECTIONS = (
    "planning.method",
    "planning.headline",
    "planning.summary_table",
    "planning.map",
    "planning.seasonality",
    "planning.ask_first",
    "planning.annex",
)
"""The report's headings, each of which must be in the printed page."""
MAX_PAGES = 6
"""A4 pages a council gets at most (the issue's report had 12, 10 of them raw rows)."""


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium printed (its page objects are written uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize("lang", ["me", "en", "de"])
def test_report_opens_offline_and_prints_to_a_few_a4_pages(browser: Browser, tmp_path, lang):
    out = tmp_path / "report.html"
    assert cli.main(["report", str(REPO_DATA), "--out", str(out), "--lang", lang]) == 0
    outside: list[str] = []
    context = browser.new_context()
    page = context.new_page()

    def route(r) -> None:  # the file itself and tiles may be asked for; tiles are refused too
        url = r.request.url
        if url.startswith(("file://", "data:")):
            r.continue_()
            return
        if "tile.openstreetmap.org" not in url:
            outside.append(url)
        r.abort()

    context.route("**/*", route)
    page.goto(out.as_uri())
    page.wait_for_function("window.reportReady === true", timeout=20000)
    assert page.locator(".leaflet-interactive").count() > 0
    assert page.locator("svg.chart rect").count() == 12
    # every settlement is named on the map and inside it (the map is as wide as the
    # printed page, so what fits on screen fits on paper), the legend below the map
    names = page.locator(".settlement-name")
    count = names.count()
    assert count >= 10
    box = page.locator(".folium-map").bounding_box()
    assert box is not None and box["width"] <= 181 / 25.4 * 96
    for i in range(count):
        label = names.nth(i).bounding_box()
        assert label is not None
        assert box["x"] <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"]
        assert box["y"] <= label["y"] and label["y"] + label["height"] <= box["y"] + box["height"]
    key = page.locator(".map-key").bounding_box()
    assert key is not None and key["y"] >= box["y"] + box["height"]
    text = page.inner_text("body")
    for section in SECTIONS:
        assert i18n.t(section, lang) in text, section
    assert i18n.t("planning.legend.title", lang) in text
    pdf = page.pdf(format="A4")
    context.close()
    assert pdf.startswith(b"%PDF")
    assert 2 <= pdf_pages(pdf) <= MAX_PAGES
    assert outside == []
