"""Accessibility, measured (issue 21): axe-core on every page, in every language, at the
desktop (1366 x 900) and phone (390 x 844, touch) sizes: no violation of impact
"serious" or "critical". ``<html lang>`` names the page's language.

axe-core comes from the ``axe-playwright-python`` package (its bundled ``axe.min.js``,
never a CDN: the browser tests run on a closed network). It is injected into the page
and into each same-origin frame (the map, the components), so ``axe.run`` checks them
too. One server serves every language: a copy of Kotor's data with Serbian added (its
category labels copied from the Montenegrin ones), since Kotor's own languages are me,
en and de.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from mapping import i18n
from tests.browser.harness import (
    MAP_IFRAME,
    StreamlitServer,
    map_settled,
    open_filters,
    wait_idle,
)
from tests.conftest import REPO_DATA

PAGES = ("explore", "whats-on", "members", "planning", "review")  # review: its login form
LANGUAGES = ("me", "en", "de", "sr")
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
}
SERIOUS = {"serious", "critical"}
VENUE_MAP_PAGES = ("explore", "whats-on")  # the map runtime of mapping/templates/venue_map.js
AXE_SOURCE = Axe().axe_script
# Known violations inside Explore's map and card code (mapping/render, templates,
# components), left to that code's owner: (page, rule id) -> reason. Nothing else.
KNOWN: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def every_language_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("axe") / "data"
    shutil.copytree(REPO_DATA, folder, ignore=shutil.ignore_patterns("*.sqlite*"))
    city = folder / "city.toml"
    text = city.read_text(encoding="utf-8")
    city.write_text(
        text.replace('languages = ["me", "en", "de"]', 'languages = ["me", "en", "de", "sr"]'),
        encoding="utf-8",
    )
    for name in ("categories.csv", "event_categories.csv"):  # labels: the Montenegrin ones
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, [*rows[0], "label_sr"])
            writer.writeheader()
            writer.writerows({**row, "label_sr": row["label_me"]} for row in rows)
    with StreamlitServer(Path(folder)) as server:
        yield server


@pytest.fixture(scope="module", params=list(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**SIZES[request.param])  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


def _settled(page: Page, path: str) -> None:
    """The app idle and, where the page has a map, the map drawn (and on the pages of the
    venue map, whose runtime says so, still)."""
    wait_idle(page)
    if page.locator(MAP_IFRAME).count():
        frame = StreamlitServer.map_frame(page)  # waits for the map's container
        if path in VENUE_MAP_PAGES:
            map_settled(frame)


def url_path(path: str) -> str:
    """Explore is the default page, served at the root: ``/explore`` would show
    Streamlit's "Page not found" over it, whose modal makes the page behind it inert
    (and axe then checks little of it)."""
    return "" if path == "explore" else path


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page and in its frames, one line
    per rule: "rule (impact): target, target … — help"."""
    for frame in page.frames:
        try:
            frame.evaluate(AXE_SOURCE)
        except Exception:  # a cross-origin or closing frame: axe skips it
            continue
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations'], iframes: true,"
        " frameWaitTime: 10000})"
    )
    found = []
    for violation in results["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" > ".join(map(str, n["target"])) for n in violation["nodes"]][:5]
            found.append(
                f"{violation['id']} ({violation['impact']}): {', '.join(targets)}"
                f" — {violation['help']}"
            )
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(sized_page, every_language_server, path, lang):
    page = sized_page
    page.goto(f"{every_language_server.url}{url_path(path)}?lang={lang.upper()}")
    expected_lang = str(i18n.locale(lang)).replace("_", "-")
    # the page's chrome (app.py's page_style) sets <html lang> and the caption colour
    page.wait_for_function("(tag) => document.documentElement.lang === tag", arg=expected_lang)
    _settled(page, path)
    found = serious_violations(page)
    known = [f for f in found if (path, f.split(" ")[0]) in KNOWN]
    assert [f for f in found if f not in known] == [], f"{path} in {lang}:\n" + "\n".join(found)
    if known:
        pytest.xfail("; ".join(KNOWN[(path, f.split(" ")[0])] for f in known))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", VENUE_MAP_PAGES)
def test_no_serious_violations_with_the_filters_open(sized_page, every_language_server, path, lang):
    """The filters popover of the bar above the map (``pages._chrome``), open."""
    page = sized_page
    page.goto(f"{every_language_server.url}{url_path(path)}?lang={lang.upper()}")
    _settled(page, path)
    body = open_filters(page, f"{path}-filters")
    found = serious_violations(page)
    assert body.is_visible(), "the popover closed while axe ran"
    assert found == [], f"{path} in {lang}, filters open:\n" + "\n".join(found)
    page.keyboard.press("Escape")
