"""End-to-end: the coordinator signs in to the review console, sees the card of a pending
update before and after, applies it and sees it leave the list; after signing out, a
wrong password is refused and the next attempt slowed (the server's clock stands still,
so the wait never passes during the test).

The server runs on a writable copy of the small fixture folder with its own database;
the account and the suggestion are made with the library, as the CLI and the members'
form would.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Frame, Page, expect

from mapping import accounts, clock
from mapping import submissions as sub
from mapping.io import load_dataset
from mapping.store import DB_ENV_VAR
from tests.browser.harness import StreamlitServer, app_run, map_settled, wait_idle
from tests.conftest import MINI

VENUE = "gal-durkovic"
PASSWORD = "correct horse battery staple"
HOURS = "Mo-Sa 10:00-18:00"
HOSTILE = '<img src=x onerror="window.__pwned=1"> **bold** \u202eevil'


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A server on a copy of the fixture folder that the console may change, with one
    account, a pending update (#1) and a new venue of hostile text (#2)."""
    folder = tmp_path_factory.mktemp("console") / "data"
    shutil.copytree(MINI, folder)
    database = folder.parent / "members.sqlite"
    accounts.add(database, "ana", PASSWORD, now=clock.utc_now())
    data = load_dataset(folder, enrich=False)
    sub.submit(data, sub.UPDATE, {"venue_id": VENUE, "opening_hours": HOURS}, db=database)
    hostile = {"name": HOSTILE, "category": "gallery", "lat": 42.4247, "lon": 18.7712}
    sub.submit(data, sub.VENUE, {**hostile, "note": HOSTILE}, db=database)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(database))
        with StreamlitServer(folder) as server:
            yield server


def sign_in(page: Page, password: str) -> None:
    page.get_by_label("Account name", exact=True).fill("ana")
    page.get_by_label("Password", exact=True).fill(password)
    with app_run(page):
        page.get_by_role("button", name="Sign in").click()


def card(page: Page, which: str) -> Frame:
    """The map frame of the ``before`` or ``after`` card, settled, its card open."""
    handle = page.wait_for_selector(f".st-key-console-card-{which} iframe")
    frame = handle.content_frame() if handle else None
    assert frame is not None
    map_settled(frame)
    return frame


def test_sign_in_review_and_apply_then_a_wrong_password_is_slowed(watched, console_server):
    page = watched.page
    page.goto(console_server.url + "review?lang=EN")
    wait_idle(page)
    expect(page.get_by_role("checkbox")).to_have_count(0)  # the login form only
    sign_in(page, PASSWORD)
    expect(page.get_by_text("Signed in as ana.")).to_be_visible()
    listed = page.get_by_role("checkbox")
    expect(listed).to_have_count(2)
    shown = page.locator('[data-testid="stCheckbox"]')
    expect(shown.last).to_have_text(  # shown as text: nothing ran, nothing hid
        '#2 · New venue · new venue: <img src=x onerror="window.__pwned=1"> **bold** '
        "\\u202eevil · 0 d · Name, Category, Location (click the map)"
    )
    expect(shown.first).to_have_text("#1 · Update · Đurković Gallery · 0 d · Opening hours")

    before = card(page, "before").locator(f'.venue-card[data-venue-id="{VENUE}"]')
    after = card(page, "after").locator(f'.venue-card[data-venue-id="{VENUE}"]')
    expect(before).to_be_visible()
    expect(after).to_be_visible()
    expect(before).to_contain_text("9–15")
    expect(after).to_contain_text("Mon–Sat 10–18")
    expect(after).not_to_contain_text("9–15")

    with app_run(page):
        page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("applied")
    expect(page.get_by_role("checkbox")).to_have_count(1)  # #1 gone, #2 still waiting
    expect(shown.first).to_contain_text(re.compile(r"^#2 · "))
    assert HOURS in (console_server.data_folder / "venues.geojson").read_text("utf-8")

    with app_run(page):
        page.get_by_role("button", name="Sign out").click()
    sign_in(page, "not the password at all")
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_have_text("Wrong name or password. The next attempt is possible in 1 s.")
    sign_in(page, PASSWORD)  # the right one, too soon: not checked
    expect(error).to_have_text("Too many failed attempts: try again in 1 s.")
    expect(page.get_by_text("Signed in as ana.")).to_have_count(0)
    assert not watched.dialogs and page.evaluate("() => window.__pwned") is None
    console_server.log.seek(0)  # the server's log (stderr) and its database: no password
    logged = console_server.log.read()
    assert PASSWORD.encode() not in logged and b"not the password at all" not in logged
    stored = b"".join(p.read_bytes() for p in console_server.data_folder.parent.glob("*.sqlite*"))
    assert PASSWORD.encode() not in stored and b"not the password at all" not in stored
