"""End-to-end: a member's suggestion followed from the page, through review, to the map.

The server runs on a writable copy of the small fixture folder with its own database;
the coordinator's review is the real command line (``mapping.cli.main``), run between
the browser steps exactly as a coordinator would run it in a shell.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from mapping.cli import main as cli
from mapping.store import DB_ENV_VAR
from tests.browser.harness import StreamlitServer, app_run, map_settled, open_map, wait_idle
from tests.conftest import MINI

VENUE = "gal-durkovic"
REFERENCE = re.compile(r"#(\d+)")


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A server on a copy of the fixture folder that ``submissions apply`` may change."""
    folder = tmp_path_factory.mktemp("members") / "data"
    shutil.copytree(MINI, folder)
    database = folder.parent / "members.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(database))
        with StreamlitServer(folder) as server:
            yield server


def typed(page: Page, label: str, text: str) -> None:
    """Type into a text box and confirm with Enter (Streamlit reruns on Enter)."""
    box = page.get_by_label(label, exact=True)
    expect(box).to_be_editable()
    box.fill(text)
    with app_run(page):
        box.press("Enter")


def sent_reference(page: Page) -> int:
    """Press "Send suggestion"; the number the page answers with."""
    with app_run(page):
        page.get_by_role("button", name="Send suggestion").click()
    answer = page.locator('[data-testid="stAlertContentSuccess"]', has_text="Thank you")
    expect(answer).to_be_visible()
    found = REFERENCE.search(answer.inner_text())
    assert found, answer.inner_text()
    return int(found.group(1))


def review(server: StreamlitServer, number: int, capsys: pytest.CaptureFixture[str]) -> None:
    """The coordinator applies the suggestion from the command line."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(server.data_folder.parent / "members.sqlite"))
        code = cli(["submissions", "apply", str(number), str(server.data_folder)])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err


def test_suggested_hours_reach_the_explore_card(watched, writable_server, capsys):
    page = watched.page
    page.goto(writable_server.url + f"members?lang=EN&part=update&venue={VENUE}")
    wait_idle(page)
    typed(page, "Opening hours (OpenStreetMap syntax)", "Mo-Sa 10:00-18:00")
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text(
        "Mon–Sat 10–18"
    )  # read back in plain words before it is sent
    number = sent_reference(page)

    review(writable_server, number, capsys)

    frame = open_map(page, writable_server, f"?lang=EN&venue={VENUE}")
    map_settled(frame)
    card = frame.locator(f'.venue-card[data-venue-id="{VENUE}"]')
    expect(card).to_be_visible()
    print(card.inner_text())
    expect(card).to_contain_text("Mon–Sat 10–18")
    expect(card).not_to_contain_text("Hours unknown")


def test_suggested_event_reaches_whats_on(watched, writable_server, capsys):
    page = watched.page
    page.goto(writable_server.url + f"members?lang=EN&part=event&venue={VENUE}")
    wait_idle(page)
    typed(page, "Title (EN)", "Lantern <b>night</b> ${x}")
    with app_run(page):
        page.get_by_label("Category").click()
        page.get_by_role("option", name="Concerts").click()
    page.get_by_label("Start date", exact=True).click()  # the calendar opens at the month
    with app_run(page):  # of "now" (the suite's clock: December 2026)
        page.get_by_role("gridcell").get_by_text("12", exact=True).click()
    number = sent_reference(page)

    review(writable_server, number, capsys)

    page.goto(writable_server.url + "whats-on?lang=EN&range=2026-12-12&range=2026-12-12")
    wait_idle(page)
    expect(page.get_by_text("Lantern <b>night</b> ${x}")).to_be_visible()  # text, not markup


def test_hostile_text_in_every_field_is_shown_inert(watched, writable_server):
    page = watched.page
    venues = writable_server.data_folder / "venues.geojson"
    before = venues.read_bytes()
    page.goto(writable_server.url + "members?lang=EN&part=new")
    wait_idle(page)
    hostile = '<img src=x onerror="window.__pwned=1">${7*7}{{7*7}}'
    typed(page, "Name", hostile)
    page.get_by_label("Anything else the editors should know", exact=True).fill(hostile)
    with app_run(page):
        page.get_by_role("button", name="Send suggestion").click()
    # no location and no category: refused, naming the fields; nothing ran
    # by their labels, never the column names
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text("Category")
    assert page.evaluate("() => window.__pwned") is None
    assert venues.read_bytes() == before
