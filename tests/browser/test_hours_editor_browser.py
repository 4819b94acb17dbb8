"""End-to-end: the members' hours field in Chromium, in Montenegrin.

An owner types hours the way people do (``pon-pet 10-18h``), reads what to change in
their language, takes the proposal with one click and sees it in plain words; then fills
the week editor and sees the value it writes. Nothing is sent: the form's sending is
tested in test_members_browser.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from mapping import i18n
from mapping.store import DB_ENV_VAR
from tests.browser.conftest import Watched
from tests.browser.harness import StreamlitServer, app_run, wait_idle
from tests.browser.test_axe_browser import serious_violations
from tests.conftest import MINI

VENUE = "gal-durkovic"  # open Mo-Sa 09:00-15:00 in the fixture: the week grid can hold it
BOX = i18n.t("mpage.hours", "me")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("hours") / "data"
    shutil.copytree(MINI, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(folder.parent / "members.sqlite"))
        with StreamlitServer(folder) as running:
            yield running


def click(page: Page, name: str) -> None:
    with app_run(page):
        page.get_by_role("button", name=name, exact=True).click()


def test_typed_hours_are_proposed_taken_and_read_back(watched: Watched, server, artifacts):
    page = watched.page
    page.goto(server.url + f"members?lang=ME&part=update&venue={VENUE}")
    wait_idle(page)
    box = page.get_by_label(BOX, exact=True)
    box.fill("pon-pet 10-18h")
    with app_run(page):
        box.press("Enter")
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(
        "Vrijeme pišite kao 10:00-18:00"
    )  # a sentence in the member's language, no parser tokens
    expect(page.get_by_text("Da li ste mislili")).to_contain_text("Mo-Fr 10:00-18:00")
    expect(page.locator('[data-testid="stAlertContentInfo"]')).to_contain_text("To znači")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name=i18n.t("hours_fix.use", "me")).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "hours-proposal-1366.png"))

    click(page, i18n.t("hours_fix.use", "me"))
    expect(box).to_have_value("Mo-Fr 10:00-18:00")
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("To znači")
    page.set_viewport_size({"width": 390, "height": 844})
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "hours-taken-390.png"))


def test_the_week_editor_writes_the_value(watched: Watched, server, artifacts):
    page = watched.page
    page.goto(server.url + f"members?lang=ME&part=update&venue={VENUE}")
    wait_idle(page)
    page.get_by_text(i18n.t("hours_edit.title", "me")).click()
    click(page, i18n.t("hours_edit.same_as_monday", "me"))  # Monday is 09:00-15:00
    click(page, i18n.t("hours_edit.write", "me"))
    box = page.get_by_label(BOX, exact=True)
    expect(box).to_have_value("Mo-Su 09:00-15:00")
    sunday = page.locator(".st-key-upd_opening_hours__w0_6_closed input[type=checkbox]")
    expect(sunday).not_to_be_checked()  # the grid shows what it wrote
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("To znači")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role(
        "button", name=i18n.t("hours_edit.same_as_monday", "me")
    ).first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "hours-week-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_text(i18n.t("hours_edit.title", "me")).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "hours-week-390.png"))


def test_the_field_has_no_serious_accessibility_violation(watched: Watched, server):
    """axe-core on the update form with the week editor open and a proposal shown."""
    page = watched.page
    page.goto(server.url + f"members?lang=EN&part=update&venue={VENUE}")
    wait_idle(page)
    box = page.get_by_label(i18n.t("mpage.hours", "en"), exact=True)
    box.fill("Mon-Fri 10-18h")
    with app_run(page):
        box.press("Enter")
    page.get_by_text(i18n.t("hours_edit.title", "en")).click()
    expect(page.get_by_role("button", name=i18n.t("hours_fix.use", "en"))).to_be_visible()
    found = [f for f in serious_violations(page) if "opening_hours" in f]  # this part's
    assert found == [], "\n".join(found)
