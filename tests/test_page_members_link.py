"""AppTest: the For members page opened with a personal link (``?key=``) in ME and EN —
the owner's venue, suggestions and usage counts; a refused key shows nothing of any
venue; one owner's link shows nothing of another venue; a send with the link is marked
"from the venue" and counted as its own client."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import clock, i18n, links, store, submissions
from mapping.store import DB_ENV_VAR
from mapping.submissions import ledger
from pages import _members_link
from tests.test_page_members import FIXTURE, database, open_members, texts

__all__ = ["database"]  # the fixture, imported for this file's tests


def issued(where: Path, venue: str = "gal-a", days: int = 30) -> str:
    return links.issue(where, venue, now=clock.utc_now(), days=days)


def headings(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def test_the_page_reads_the_key_the_library_names():
    assert _members_link.KEY_PARAM == links.PARAM


@pytest.mark.parametrize("lang", ["me", "en"])
def test_a_valid_link_shows_the_owners_venue_suggestions_and_usage(monkeypatch, database, lang):
    token = issued(database)
    at = open_members(monkeypatch, lang, key=token)
    assert not at.selectbox  # no venue choice: the link fixes it
    shown = texts(at)
    assert "Galerija A" in shown
    assert i18n.t("mlink.suggestions", lang) in headings(at)
    assert i18n.t("mpage.usage", lang) in headings(at)
    assert i18n.t("mlink.suggestions_none", lang) in shown


@pytest.mark.parametrize("lang", ["me", "en"])
@pytest.mark.parametrize("how", ["unknown", "revoked", "expired"])
def test_a_refused_link_says_so_and_shows_no_venue(monkeypatch, database, lang, how):
    token = issued(database, days=1)
    if how == "unknown":
        token = ("y" if token[0] == "x" else "x") + token[1:]  # always a different token
    elif how == "revoked":
        links.revoke(database, "gal-a", now=clock.utc_now())
    else:
        before = clock.utc_now() - timedelta(days=2)
        token = links.issue(database, "gal-a", now=before, days=1)
    at = open_members(monkeypatch, lang, key=token, venue="gal-a")
    assert [e.value for e in at.error] == [i18n.t("mlink.refused", lang)]
    shown = texts(at)
    assert "Galerija" not in shown and not at.selectbox and headings(at) == []
    assert not at.metric and not at.table


def test_one_owners_link_shows_nothing_of_another_venue(monkeypatch, database):
    mine = issued(database, "gal-a")
    theirs = issued(database, "gal-b")
    with ledger.opened(database) as conn:
        number = ledger.insert(
            conn, "update", "gal-b", {"phone": "+382 1"}, clock.utc_now(), ledger.Limits(9, 9, 99)
        )
    links.attach(database, number, theirs)
    at = open_members(monkeypatch, "en", key=mine, venue="gal-b")
    shown = texts(at)
    assert "Galerija A" in shown and "Galerija B" not in shown
    assert f"#{number}" not in shown and not at.table[0].value.index.str.contains("#").any()
    assert "venue" not in at.query_params  # ?venue= of another venue is dropped


def test_without_a_key_no_usage_counts(monkeypatch, database):
    at = open_members(monkeypatch, "en", venue="gal-a")
    assert "How often visitors saw you" not in headings(at)
    assert "Your suggestions" not in headings(at)


@pytest.mark.parametrize("lang", ["me", "en"])
def test_a_send_with_the_link_is_from_the_venue_and_listed_with_its_status(
    monkeypatch, database, lang
):
    token = issued(database)
    at = open_members(monkeypatch, lang, key=token, part="update")
    at.text_input(key="upd_website").input("https://example.me/").run()
    at.button(key="upd_send").click().run()
    assert not at.exception and not at.error
    [sent] = submissions.listed(FIXTURE, db=database)
    assert links.from_venue(database, [sent.id]) == {sent.id}
    assert sent.venue_id == "gal-a"
    with ledger.opened(database) as conn, store.transaction(conn):
        ledger.decide(conn, sent.id, ledger.REJECTED, clock.utc_now(), reason="Not our website")
    at = open_members(monkeypatch, lang, key=token)
    table = at.table[0].value
    assert list(table.index) == [sent.reference]
    row = table.iloc[0].tolist()
    assert i18n.t("mlink.status_rejected", lang) in row and "Not our website" in row


def test_a_send_without_the_link_is_not_from_the_venue(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="update", venue="gal-a")
    at.text_input(key="upd_website").input("https://example.me/").run()
    at.button(key="upd_send").click().run()
    [sent] = submissions.listed(FIXTURE, db=database)
    assert links.from_venue(database, [sent.id]) == set()


def test_the_link_is_a_client_of_its_own(monkeypatch, database, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    with (folder / "city.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[members]\nmax_pending_per_client_per_hour = 1\n")
    at = open_members(monkeypatch, "en", folder=folder, part="update", venue="gal-b")
    at.text_input(key="upd_website").input("https://b.example/").run()
    at.button(key="upd_send").click().run()
    assert not at.error  # the address's one suggestion
    token = issued(database)
    owner = open_members(monkeypatch, "en", folder=folder, part="update", key=token)
    owner.text_input(key="upd_website").input("https://a.example/").run()
    owner.button(key="upd_send").click().run()
    assert not owner.error  # same address, but the link counts on its own
    owner.text_input(key="upd_website").input("https://a2.example/").run()
    owner.button(key="upd_send").click().run()
    assert "You have sent 1" in " ".join(e.value for e in owner.error)
    assert len(submissions.listed(folder, db=database)) == 2


def test_the_public_overview_shows_no_usage_counts(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="overview")
    columns = list(at.dataframe[0].value.columns)
    assert "Completeness" in columns
    assert not {"Shown in a list", "Card opened"} & set(columns)


def coordinator_overview() -> None:
    """The overview as the coordinator's console shows it (with usage counts)."""
    from pages._members_common import members_run
    from pages._members_overview import overview_part
    from pages.shared import current_language, dataset

    overview_part(members_run(dataset(), current_language()), show_usage=True)


def test_the_coordinators_overview_shows_the_usage_counts(monkeypatch, database):
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(FIXTURE))
    at = AppTest.from_function(coordinator_overview, default_timeout=60)
    at.query_params["lang"] = "EN"
    at.run()
    assert not at.exception, at.exception
    assert {"Shown in a list", "Card opened"} <= set(at.dataframe[0].value.columns)


def test_the_token_never_reaches_the_log(monkeypatch, database, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    token = issued(database)
    at = open_members(monkeypatch, "en", key=token, part="update")
    at.text_input(key="upd_website").input("https://example.me/").run()
    at.button(key="upd_send").click().run()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(DB_ENV_VAR, str(blocker / "members.sqlite"))
    at = open_members(monkeypatch, "en", key=token)
    assert [e.value for e in at.error] == [
        "Your personal link cannot be checked just now. Please try again later."
    ]
    assert "personal link not checked" in caplog.text
    assert token not in caplog.text


@pytest.mark.parametrize("key", ["a" * 5000, "<script>", "%00", " "])
def test_a_crafted_key_is_refused_without_an_error(monkeypatch, database, key):
    issued(database)
    at = open_members(monkeypatch, "en", key=key)
    if key.strip():
        assert [e.value for e in at.error] == [i18n.t("mlink.refused", "en")]
    else:  # an empty key is no key: the public page
        assert not at.error and "Your suggestions" not in headings(at)
