"""End-to-end: a member opens their personal link (``/members?key=<token>``) in Chromium.

The link is issued with the command line, as the coordinator would; the owner sends a
suggestion through the link's page, sees it pending, the coordinator rejects it with a
reason (command line), and the owner's page then says so. A revoked link shows the
refusal and nothing of any venue. The server answers with ``Referrer-Policy:
no-referrer`` (``scripts/no_referrer.py``), so the token never leaves as a Referer.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from mapping.cli import main as cli
from mapping.io import load_dataset
from mapping.store import DB_ENV_VAR
from tests.browser.harness import StreamlitServer, wait_idle
from tests.browser.test_members_browser import sent_reference, typed
from tests.conftest import MINI

VENUE = "gal-durkovic"


@pytest.fixture(scope="module")
def linked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A server on a copy of the fixture folder with a database of its own."""
    folder = tmp_path_factory.mktemp("links") / "data"
    shutil.copytree(MINI, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(folder.parent / "members.sqlite"))
        with StreamlitServer(folder) as server:
            yield server


def coordinator(server: StreamlitServer, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """One ``python -m mapping`` command against the server's folder and database."""
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV_VAR, str(server.data_folder.parent / "members.sqlite"))
        code = cli([*args])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    return out.out


def issue(server: StreamlitServer, capsys: pytest.CaptureFixture[str], venue: str) -> str:
    base = server.url.rstrip("/")
    link = coordinator(
        server, capsys, "links", "issue", venue, str(server.data_folder), "--base-url", base
    )
    return link.strip().removeprefix(base + "/")


def status_table(page: Page):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stTable"]').first


def test_the_owner_follows_a_suggestion_sent_with_the_link(
    watched, linked_server, capsys, artifacts
):
    page = watched.page
    path = issue(linked_server, capsys, VENUE)
    answer = page.goto(linked_server.url + path + "&lang=EN&part=update")
    assert answer is not None and answer.headers.get("referrer-policy") == "no-referrer"
    wait_idle(page)
    expect(page.get_by_text("Your venue: Đurković Gallery")).to_be_visible()
    expect(page.get_by_label("Your venue", exact=True)).to_have_count(0)  # no venue choice
    typed(page, "Website", "https://galerija.example.me/")
    number = sent_reference(page)

    page.goto(linked_server.url + path + "&lang=EN")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Your suggestions")).to_be_visible()
    expect(status_table(page)).to_contain_text(f"#{number}")
    expect(status_table(page)).to_contain_text("pending")
    expect(page.get_by_role("heading", name="How often visitors saw you")).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=artifacts / "personal-link-1366.png")

    coordinator(
        linked_server,
        capsys,
        "submissions",
        "reject",
        str(number),
        str(linked_server.data_folder),
        "--reason",
        "Please send the gallery's own site",
    )
    page.goto(linked_server.url + path + "&lang=ME")
    wait_idle(page)
    expect(status_table(page)).to_contain_text("odbijeno")
    expect(status_table(page)).to_contain_text("Please send the gallery's own site")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts / "personal-link-390.png", full_page=True)
    token = path.split("key=", 1)[1]
    server_log = os.pread(linked_server.log.fileno(), 50_000_000, 0)  # keeps the file offset
    assert token.encode() not in server_log
    carried = sorted({u.split("?")[0] for u in watched.requests if token in u})
    print("requests carrying the token:", carried)
    assert all(u.startswith(linked_server.url) for u in carried)  # never another site


def test_a_revoked_link_shows_the_refusal_and_no_venue(watched, linked_server, capsys):
    page = watched.page
    path = issue(linked_server, capsys, "museum-sea")
    coordinator(
        linked_server, capsys, "links", "revoke", "museum-sea", str(linked_server.data_folder)
    )
    page.goto(linked_server.url + path + "&lang=EN&venue=museum-sea")
    wait_idle(page)
    expect(page.get_by_text("This personal link cannot be used")).to_be_visible()
    main = page.locator('[data-testid="stMain"]').inner_text()
    venues = load_dataset(linked_server.data_folder).venues
    names = {str(n) for column in ("name", "name_en") for n in venues[column].dropna() if n}
    assert sorted(name for name in names if name in main) == []
    expect(page.get_by_role("heading", name="Your suggestions")).to_have_count(0)
