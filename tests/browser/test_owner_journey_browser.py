"""End-to-end, issue 20's whole journey, in ME and EN: an owner on a phone opens their
personal link, fills the week editor, then types ``pon-pet 10-18h`` the way people do,
takes the proposal and sends; their page says "pending". The coordinator, on a desktop,
signs in to the review console, sees the card before and after, applies without
correcting; the owner's page then says "applied", and Explore's card shows the hours and
"open now" (the suite's clock: Monday 2026-12-07 10:00, town time).

The account and the link are made with the library, as ``accounts add`` and
``links issue`` would. Each language has its own venue with unknown hours, so the two
runs share the server and nothing else.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Frame, Page, expect

from mapping import accounts, clock, i18n, links
from mapping.store import DB_ENV_VAR
from tests.browser.conftest import Watched
from tests.browser.harness import StreamlitServer, app_run, map_settled, open_map, wait_idle
from tests.conftest import MINI

PASSWORD = "correct horse battery staple"
TYPED = "pon-pet 10-18h"
PROPOSED = "Mo-Fr 10:00-18:00"
VENUES = {"me": "atelier-perast", "en": "museum-sea"}  # hours unknown in the off-season
REFERENCE = re.compile(r"#(\d+)")


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A server on a writable copy of the fixture folder, with one coordinator account."""
    folder = tmp_path_factory.mktemp("journey") / "data"
    shutil.copytree(MINI, folder)
    database = folder.parent / "members.sqlite"
    accounts.add(database, "ana", PASSWORD, now=clock.utc_now())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(database))
        with StreamlitServer(folder) as server:
            yield server


def click(page: Page, name: str) -> None:
    with app_run(page):
        page.get_by_role("button", name=name, exact=True).click()


def status_table(page: Page):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stTable"]').first


def owner_sends_hours(page: Page, url: str, lang: str) -> int:
    """The week editor written as it opens, then typed hours, the proposal taken, sent:
    the reference the receipt gives."""
    page.goto(url + "&part=update")
    wait_idle(page)
    box = page.get_by_label(i18n.t("mpage.hours", lang), exact=True)
    page.get_by_text(i18n.t("hours_edit.title", lang)).click()
    click(page, i18n.t("hours_edit.write", lang))  # the grid as it opens: a week of hours
    expect(box).to_have_value(re.compile(r"\d\d:\d\d-\d\d:\d\d"))
    reads = i18n.t("hours_fix.reads", lang, hours="").strip()
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text(reads)

    box.fill(TYPED)
    with app_run(page):
        box.press("Enter")
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(
        i18n.t("hours_fix.problem.times", lang, example="")[:12]
    )  # what to change, in the member's language
    asked = i18n.t("hours_fix.did_you_mean", lang, proposal=PROPOSED).replace("`", "")
    expect(page.get_by_text(asked.split(PROPOSED)[0].strip())).to_contain_text(PROPOSED)
    click(page, i18n.t("hours_fix.use", lang))
    expect(box).to_have_value(PROPOSED)
    click(page, i18n.t("mpage.send", lang))
    receipt = page.locator('[data-testid="stAlertContentSuccess"]', has_text="#")
    expect(receipt).to_be_visible()
    expect(box).to_have_value("")  # the form empties after a send
    found = REFERENCE.search(receipt.inner_text())
    assert found, receipt.inner_text()
    return int(found.group(1))


def owner_sees(page: Page, url: str, lang: str, number: int, status: str) -> None:
    page.goto(url)
    wait_idle(page)
    expect(status_table(page)).to_contain_text(f"#{number}")
    expect(status_table(page)).to_contain_text(i18n.t(f"mlink.status_{status}", lang))


def coordinator_applies(page: Page, server: StreamlitServer, lang: str, venue: str) -> None:
    page.goto(server.url + f"review?lang={lang.upper()}")
    wait_idle(page)
    page.get_by_label(i18n.t("console.name", lang), exact=True).fill("ana")
    page.get_by_label(i18n.t("console.password", lang), exact=True).fill(PASSWORD)
    click(page, i18n.t("console.sign_in", lang))
    mark = i18n.t("console.from_venue", lang)
    expect(page.locator('[data-testid="stCheckbox"]').first).to_contain_text(mark)
    after = card(page, "after").locator(f'.venue-card[data-venue-id="{venue}"]')
    expect(after).to_contain_text(re.compile(r"10[:.]?0?0?–18"))
    expect(card(page, "before").locator(f'.venue-card[data-venue-id="{venue}"]')).to_be_visible()
    click(page, i18n.t("console.apply", lang))
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_be_visible()


def card(page: Page, which: str) -> Frame:
    handle = page.wait_for_selector(f".st-key-console-card-{which} iframe")
    frame = handle.content_frame() if handle else None
    assert frame is not None
    map_settled(frame)
    return frame


@pytest.mark.parametrize("lang", ["me", "en"])
def test_an_owner_sends_hours_the_coordinator_applies_and_the_map_shows_them(
    phone: Watched, watched: Watched, journey_server: StreamlitServer, lang: str, artifacts
):
    venue = VENUES[lang]
    token = links.issue(
        journey_server.data_folder.parent / "members.sqlite", venue, now=clock.utc_now(), days=30
    )
    owner_url = journey_server.url + f"members?key={token}&lang={lang.upper()}"
    owner = phone.page

    number = owner_sends_hours(owner, owner_url, lang)
    owner_sees(owner, owner_url, lang, number, "pending")

    coordinator_applies(watched.page, journey_server, lang, venue)
    watched.page.screenshot(path=str(artifacts / f"journey-console-{lang}.png"))
    assert PROPOSED in (journey_server.data_folder / "venues.geojson").read_text("utf-8")

    owner_sees(owner, owner_url, lang, number, "applied")
    frame = open_map(owner, journey_server, f"?lang={lang.upper()}&venue={venue}")
    shown = frame.locator(f'.venue-card[data-venue-id="{venue}"]')
    expect(shown).to_be_visible()
    expect(owner.get_by_text("Page not found")).to_have_count(0)  # Streamlit's own notice
    expect(shown).to_contain_text(i18n.t("map.open_now", lang))
    expect(shown).to_contain_text(re.compile(r"10[:.]?0?0?–18"))
    owner.screenshot(path=str(artifacts / f"journey-explore-{lang}.png"))
    assert not phone.dialogs and not watched.dialogs
