"""Section ``browser`` (issues 9 and 21): a map that stays put and a card that comes into
view, in headless Chromium, against the build before issue 21 (``BASELINE``) served from
a temporary worktree in the same run.

Issue 21 adds: marker tap -> card visible and settled (desktop and phone), list pick ->
card visible, and the phone's first visit -> map and first list entry visible. A card is
``.venue-card`` in the map frame: a Leaflet popup in the baseline, the card panel now.

``BENCH_BROWSER_DATA=kotor`` (or ``10k``) runs one dataset only; ``BENCH_TIMEOUT_S`` sets
how long one change may take (a series that times out prints as "> N s").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import pandas as pd

from bench.common import DATA, ROOT
from bench.sections import browser_cards as cards
from mapping import clock, files, i18n, synthetic
from mapping.io import load_dataset

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

    from tests.browser.harness import StreamlitServer

BASELINE = "39a5a84"  # main before issue 21: popups on the marker, the map under the list
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
FILTER_TOGGLES, START_CHANGES, ROUND_TRIPS, WARM_VISITS = 5, 4, 3, 4
BROWSER_TIMEOUT_S = cards.BROWSER_TIMEOUT_S  # one setting for both modules

# Mark the map drawn now (a property on its kcmVenueMap object) and say what it shows.
_MARK_MAP = """(token) => {
    const m = window.kcmVenueMap;
    m.__kcmBench = token;
    return {updates: typeof m.updates === "function" ? m.updates() : -1,
            markers: m.markerCount()};
}"""
# The map drew a state after the mark: a new map (the iframe was remounted, as the
# baseline does, or another page's map) or one more payload drawn by the mounted map (the
# new build); for a filter change also a different number of venues.
_MAP_CHANGED = """([token, before, countChanges]) => {
    const m = window.kcmVenueMap;
    if (!m) { return false; }
    const redrawn = m.__kcmBench !== token ||
        (typeof m.updates === "function" && m.updates() > before.updates);
    return redrawn && (!countChanges || m.markerCount() !== before.markers);
}"""

MapMark = dict[str, int]
"""What ``_MARK_MAP`` returns: the map's ``updates`` count and its number of markers."""


def _events_csv(folder: Path, year: int) -> None:
    """One synthetic event per venue over ``year``, so What's on has a map at 10k too."""
    doc = orjson.loads((folder / "venues.geojson").read_bytes())
    ids = pd.Series([f["properties"]["id"] for f in doc["features"]])
    frame = synthetic.events(ids, 1, year).drop(columns="all_day")
    for col in ("start", "end"):
        frame[col] = frame[col].dt.strftime("%Y-%m-%dT%H:%M")
    frame["dates_confirmed"] = frame["dates_confirmed"].map({True: "true", False: "false"})
    frame["free"] = ""
    (folder / "events.csv").write_bytes(files.csv_frame_bytes(frame, raw=True))


def _settled_after_change(
    page: Page, server: StreamlitServer, token: str, before: MapMark, *, count_changes: bool
) -> None:
    """After the app run ended: until the map (its iframe possibly new) shows a state
    drawn after ``token`` was set, and has settled."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + BROWSER_TIMEOUT_S
    while True:
        frame = server.map_frame(page, BROWSER_TIMEOUT_S)
        try:
            frame.wait_for_function(
                _MAP_CHANGED, arg=[token, before, count_changes], timeout=BROWSER_TIMEOUT_S * 1000
            )
            frame.evaluate("() => kcmVenueMap.settled()")
            return
        except PlaywrightError:
            if frame.is_detached() and time.monotonic() < deadline:
                continue  # an iframe replaced while we waited on it: take the new one
            raise


class _Session:
    """One browser page on one server; each measure returns seconds."""

    def __init__(self, page: Page, server: StreamlitServer) -> None:
        self.page, self.server, self.marks = page, server, 0

    def change(
        self,
        act: Callable[[], object],
        *,
        prepare: Callable[[], object] | None = None,
        count_changes: bool = False,
    ) -> float:
        """Seconds from ``act`` (which makes the app run) to run ended + map redrawn, settled."""
        from tests.browser.harness import app_run, map_settled, wait_idle

        page, server = self.page, self.server
        wait_idle(page, BROWSER_TIMEOUT_S)
        frame = server.map_frame(page, BROWSER_TIMEOUT_S)
        map_settled(frame)
        self.marks += 1
        token = f"mark-{self.marks}"
        before: MapMark = frame.evaluate(_MARK_MAP, token)
        if prepare is not None:
            prepare()
        with app_run(page, BROWSER_TIMEOUT_S):
            start = time.perf_counter()
            act()
        _settled_after_change(page, server, token, before, count_changes=count_changes)
        return time.perf_counter() - start


_FILTERS_BUTTON = '[class*="st-key-explore-filters"] button'
"""The new build's filters button, in the bar above the map (the baseline has none: its
filters are in the sidebar)."""


def _filters_open(page: Page, *, shown: bool) -> None:
    """Open (``shown``) or close the new build's filters popover, if it is not so already;
    nothing in the baseline, whose filters are always in the sidebar."""
    button = page.locator(_FILTERS_BUTTON)
    if not button.count() or (button.first.get_attribute("aria-expanded") == "true") == shown:
        return
    if shown:
        button.first.click()
        body = page.locator('[data-testid="stPopoverBody"] [data-testid="stCheckbox"]')
        body.first.wait_for(state="visible", timeout=BROWSER_TIMEOUT_S * 1000)
    else:
        page.keyboard.press("Escape")
        page.locator('[data-testid="stPopoverBody"]').wait_for(
            state="hidden", timeout=BROWSER_TIMEOUT_S * 1000
        )


def _landing(browser: Browser, server: StreamlitServer) -> tuple[float, Page, str]:
    """Seconds from navigation to Explore's map drawn and settled and the run ended; the
    page (left open) and the type of ``kcmVenueMap.updates``."""
    from tests.browser.harness import map_settled, wait_idle

    page = browser.new_page(viewport=VIEWPORT)
    start = time.perf_counter()
    page.goto(server.url + "?lang=EN")
    frame = server.map_frame(page, BROWSER_TIMEOUT_S)
    map_settled(frame)
    wait_idle(page, BROWSER_TIMEOUT_S)
    elapsed = time.perf_counter() - start
    return elapsed, page, str(frame.evaluate("() => typeof kcmVenueMap.updates"))


TIMED_OUT = float("inf")
"""A sample that did not settle within BROWSER_TIMEOUT_S (printed as "> 180s")."""


def _until_timeout(measure: Callable[[int], float], count: int) -> list[float]:
    """``count`` samples of ``measure(i)``; a timeout is recorded as :data:`TIMED_OUT` and
    ends the series (the page is then in an unknown state)."""
    from playwright.sync_api import Error as PlaywrightError

    samples: list[float] = []
    for i in range(count):
        try:
            samples.append(measure(i))
        except PlaywrightError:
            samples.append(TIMED_OUT)
            break
    return samples


def _median_text(samples: list[float]) -> str:
    """The median, or "> Ns" when it is a timeout; "-" without samples."""
    if not samples:
        return "-"
    median = statistics.median(samples)
    return f"> {BROWSER_TIMEOUT_S}s" if median == TIMED_OUT else f"{median:.2f}s"


def _measure_build(
    browser: Browser, root: Path, folder: Path, starts: tuple[str, str]
) -> tuple[dict[str, list[float]], str]:
    """Every measure's samples (seconds) for the build in ``root`` on ``folder``, and the
    type of its map's ``kcmVenueMap.updates`` (which build was really served)."""
    from tests.browser.harness import StreamlitServer

    samples: dict[str, list[float]] = {}
    with StreamlitServer(folder, startup_timeout_s=BROWSER_TIMEOUT_S, root=root) as server:
        seconds, page, hook = _landing(browser, server)
        visits = [seconds]
        for _ in range(WARM_VISITS):
            page.close()  # the previous visit's; the last one stays for the changes
            seconds, page, hook = _landing(browser, server)
            visits.append(seconds)
        samples["cold"], samples["warm"] = visits[:1], visits[1:]
        run = _Session(page, server)
        # the sidebar's (baseline) or the popover's (new build): one exists per build
        members = page.get_by_text(i18n.t("filters.members", "en"))
        combo = page.locator('[class*="st-key-start"]').get_by_role("combobox")

        def start_change(i: int) -> float:
            option = page.get_by_role("option", name=starts[(i + 1) % 2], exact=True)

            def open_list() -> None:
                _filters_open(page, shown=True)
                # in view first: a click that scrolls the sidebar leaves the list shut
                combo.scroll_into_view_if_needed()
                combo.click()
                option.wait_for(state="visible", timeout=BROWSER_TIMEOUT_S * 1000)

            return run.change(option.click, prepare=open_list)

        nav = page.locator('[data-testid="stSidebarNav"]')
        to_events = nav.locator("a", has_text=i18n.t("nav.whats_on", "en"))
        to_explore = nav.locator("a", has_text=i18n.t("nav.explore", "en"))
        samples["filter"] = _until_timeout(
            lambda _: run.change(
                members.click, prepare=lambda: _filters_open(page, shown=True), count_changes=True
            ),
            FILTER_TOGGLES,
        )
        if len(samples["filter"]) % 2 and TIMED_OUT not in samples["filter"]:
            # "members only" is still on: the taps below open venues it leaves out
            run.change(members.click, prepare=lambda: _filters_open(page, shown=True))
        samples["start"] = _until_timeout(start_change, START_CHANGES)
        _filters_open(page, shown=False)  # the popover would cover the map and the list
        samples["to_events"], samples["to_explore"] = [], []
        for _ in range(ROUND_TRIPS):
            there = _until_timeout(lambda _: run.change(to_events.click), 1)
            samples["to_events"] += there
            if there[-1] == TIMED_OUT:
                break
            back = _until_timeout(lambda _: run.change(to_explore.click), 1)
            samples["to_explore"] += back
            if back[-1] == TIMED_OUT:
                break
        samples["tap_desktop"] = _until_timeout(
            lambda _: statistics.median(cards.marker_taps(page, server, touch=False)), 1
        )
        samples["pick"] = _until_timeout(
            lambda _: statistics.median(cards.list_picks(page, server)), 1
        )
        page.close()
        samples["phone_first"] = _until_timeout(
            lambda _: cards.phone_first_visit(browser, server), WARM_VISITS
        )
        phone = cards.phone_page(browser)
        from tests.browser.harness import open_map

        open_map(phone, server, "?lang=EN")
        samples["tap_phone"] = _until_timeout(
            lambda _: statistics.median(cards.marker_taps(phone, server, touch=True)), 1
        )
        phone.context.close()
    return samples, hook


def bench_browser() -> None:
    from mapping import explore
    from tests.browser.harness import launch_browser

    print(
        "\n== Browser: a map that stays put (issue 9), headless Chromium "
        f"{VIEWPORT['width']}x{VIEWPORT['height']}, ?lang=EN"
    )
    print(
        f"   baseline = {BASELINE} (remounts the map on each change), new = this tree; "
        "both served in this run from the same .venv"
    )
    print(
        "   settled = the app run ended, the map drew the new state and kcmVenueMap.settled()"
        " resolved"
    )
    print(
        f"   medians of {FILTER_TOGGLES} filter toggles ('members only'), "
        f"{START_CHANGES} start changes, {ROUND_TRIPS} switches each way, "
        f"1 cold + {WARM_VISITS} warm landings per build and dataset"
    )
    print(
        "   cold = first visit after the server starts; warm = later visits (new browser "
        "context each)"
    )
    kotor = load_dataset(DATA, enrich=False)
    marks = explore.landmarks(kotor.places, "en", kotor.city.languages)
    default = kotor.city.default_start
    other = next(i for i in marks.index if i != default)
    starts = (str(marks.loc[default, "label"]), str(marks.loc[other, "label"]))
    rows = [
        ("filter change -> settled", "filter"),
        ("start change -> settled", "start"),
        ("page switch -> What's on", "to_events"),
        ("page switch -> Explore", "to_explore"),
        ("cold landing", "cold"),
        ("warm landing", "warm"),
        ("marker tap -> card (desk)", "tap_desktop"),
        ("marker tap -> card (phone)", "tap_phone"),
        ("list pick -> card", "pick"),
        ("phone first visit", "phone_first"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        big = synthetic.write_folder(Path(tmp) / "syn10k", DATA, 10_000)
        # The served app's What's on starts at its own clock's today (mapping.clock, the
        # same clock here): the events fall in that year, so its page has a map to draw.
        _events_csv(big, clock.now(kotor.city.timezone).year)
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), BASELINE],
            check=True,
            capture_output=True,
        )
        try:
            # the baseline's 10k folder grows from its own data/ (same generator and
            # events): today's city.toml has sections its older code refuses
            big_base = synthetic.write_folder(Path(tmp) / "syn10k-base", tree / "data", 10_000)
            _events_csv(big_base, clock.now(kotor.city.timezone).year)
            with launch_browser() as browser:
                datasets = {
                    "kotor": (f"kotor ({len(kotor.venues)} venues)", DATA, 0.3),
                    "10k": ("10,000 synthetic venues (+1 event each)", big, 1.0),
                }
                chosen = os.environ.get("BENCH_BROWSER_DATA", "kotor,10k").split(",")
                for label, folder, change_target in (datasets[c] for c in chosen):
                    # the baseline reads its own data/ (and a 10k folder grown from it):
                    # today's city.toml has settings and fields its older code refuses
                    # (it would show the error box, no map)
                    base_folder = tree / "data" if folder == DATA else big_base
                    base, base_hook = _measure_build(browser, tree, base_folder, starts)
                    new, new_hook = _measure_build(browser, ROOT, folder, starts)
                    if base_hook != "function" or new_hook != "function":
                        msg = (
                            f"kcmVenueMap.updates is {base_hook} in the baseline and "
                            f"{new_hook} in the new build: not the builds meant"
                        )
                        raise RuntimeError(msg)
                    targets = {
                        "tap_desktop": 0.3,
                        "tap_phone": 0.3,
                        "pick": 0.3,
                        "phone_first": 2.5,
                        "filter": change_target,
                        "start": change_target,
                        "to_events": 1.5,
                        "to_explore": 1.5,
                        "cold": 2.5,
                    }
                    print(f"\n{label}; both builds' maps have updates() (stay mounted)")
                    print(f"{'measure':<26} {'baseline':>9} {'new':>9} {'target':>9}")
                    for name, key in rows:
                        target = f"<= {targets[key]:.2f}s" if key in targets else "-"
                        print(
                            f"{name:<26} {_median_text(base.get(key, [])):>9} "
                            f"{_median_text(new.get(key, [])):>9} {target:>9}"
                        )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )
