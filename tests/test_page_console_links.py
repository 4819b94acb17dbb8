"""AppTest: the review console's Links part and what joins it to the other pages — a
suggestion sent with a personal link is marked "from the venue" in the list; links are
issued and downloaded for chosen venues, listed without their tokens and revoked;
Planning's "ask these first" and the members' overview hand their venues over to the
console only for a signed-in coordinator, who also sees the usage counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mapping import accounts, clock, i18n, links, outreach
from mapping import submissions as sub
from mapping.io import load_dataset
from mapping.store import DB_ENV_VAR
from pages._console_links import CONSOLE_PAGE
from tests.conftest import REPO_DATA, open_app_page
from tests.test_page_console import PAGE, PASSWORD, VENUE, open_console, sign_in


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "members.sqlite"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    accounts.add(path, "ana", PASSWORD, now=clock.utc_now())
    return path


assert CONSOLE_PAGE == PAGE  # the page a hand-over opens is the console


def links_part(monkeypatch: pytest.MonkeyPatch, folder: Path, lang: str):
    at = sign_in(open_console(monkeypatch, folder, lang))
    at.segmented_control(key="console_part").set_value("links").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["me", "en"])
def test_a_suggestion_sent_with_a_link_is_marked_from_the_venue(monkeypatch, mini_copy, db, lang):
    data = load_dataset(mini_copy, enrich=False)
    anonymous = sub.submit(data, sub.UPDATE, {"venue_id": VENUE, "phone": "+382 32 111 221"}, db=db)
    owned = sub.submit(data, sub.UPDATE, {"venue_id": VENUE, "phone": "+382 32 111 222"}, db=db)
    links.attach(db, owned, links.issue(db, VENUE, now=clock.utc_now(), days=30))
    at = sign_in(open_console(monkeypatch, mini_copy, lang))
    labels = {c.label.split(" · ")[0]: c.label for c in at.checkbox}
    mark = i18n.t("console.from_venue", lang)
    assert mark in labels[f"#{owned}"]
    assert mark not in labels[f"#{anonymous}"]


@pytest.mark.parametrize("lang", ["me", "en"])
def test_links_are_issued_listed_without_tokens_and_revoked(monkeypatch, mini_copy, db, lang):
    at = links_part(monkeypatch, mini_copy, lang)
    assert [i.value for i in at.info][-1:] == [i18n.t("console.no_links", lang)]
    at.button(key="console_take_weakest").click().run()
    data = load_dataset(mini_copy)
    weakest = outreach.weakest_ids(data, clock.now(data.city.timezone).date(), lang)
    assert weakest and at.multiselect(key="console_outreach_pick").value == weakest
    at.text_input(key="console_base_url").input("https://map.example/").run()
    at.button(key="outreach_issue").click().run()
    assert not at.exception, at.exception
    issued = links.listed(db)
    assert sorted(x.venue_id for x in issued) == sorted(weakest)
    table = at.dataframe[0].value  # the links, before the overview
    assert len(table) == len(weakest)
    assert set(table[i18n.t("console.col_state", lang)]) == {i18n.t("console.link_valid", lang)}
    assert all(len(label) == 8 for label in table[i18n.t("console.col_link", lang)])  # no token
    at.selectbox(key="console_revoke_venue").set_value(weakest[0]).run()
    at.button(key="console_revoke").click().run()
    assert [s.value for s in at.success][-1] == i18n.t("console.revoked", lang, count=1)
    assert [x.venue_id for x in links.listed(db) if x.revoked is not None] == [weakest[0]]


def test_planning_hands_its_asks_to_the_console_only_when_signed_in(monkeypatch, tmp_path, db):
    kotor = tmp_path / "kotor"  # the test folders have no venue to ask first
    shutil.copytree(REPO_DATA, kotor)
    # in ME: Planning's month box formats its options outside the run, in the default
    planning = open_app_page(monkeypatch, "pages/planning_page.py", kotor, "me")
    assert "ask_hand_over" not in [b.key for b in planning.button]
    at = sign_in(open_console(monkeypatch, kotor, "me"))
    at.switch_page("pages/planning_page.py").run()
    assert not at.exception, at.exception
    at.button(key="ask_hand_over").click().run()
    assert not at.exception, at.exception
    asks = outreach.ask_first_ids(load_dataset(kotor))
    assert asks and at.multiselect(key="console_outreach_pick").value == asks
    assert at.segmented_control(key="console_part").value == "links"


def test_usage_counts_show_for_the_coordinator_only(monkeypatch, mini_copy, db):
    public = open_app_page(monkeypatch, "pages/members_page.py", mini_copy, "en", part="overview")
    shown = i18n.t("mpage.col_shown_count", "en")
    assert shown not in public.dataframe[0].value.columns
    assert "overview_hand_over" not in [b.key for b in public.button]
    at = sign_in(open_console(monkeypatch, mini_copy, "en"))
    at.query_params["part"] = "overview"
    at.switch_page("pages/members_page.py").run()
    assert not at.exception, at.exception
    assert shown in at.dataframe[0].value.columns
    at.button(key="overview_hand_over").click().run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="console_part").value == "links"
    assert at.multiselect(key="console_outreach_pick").value  # the weakest, chosen
