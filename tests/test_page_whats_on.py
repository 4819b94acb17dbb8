"""AppTest: the What's on page in both languages, filters, empty ranges."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import MINI, REPO_DATA

APP = str(REPO_DATA.parent / "app.py")
PAGE = "pages/whats_on_page.py"


def open_page(monkeypatch, folder=MINI, lang="en", **params) -> AppTest:
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lang": lang.upper(), **params})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def event_titles(at: AppTest) -> list[str]:
    return [m.value.split("**")[1] for m in at.markdown if m.value.startswith("**")
            and "·" in m.value]


@pytest.mark.parametrize(("lang", "heading"), [("me", "Šta se dešava"), ("en", "What's on")])
def test_runs_in_both_languages(monkeypatch, lang, heading):
    at = open_page(monkeypatch, lang=lang)
    assert at.title[0].value == heading


def test_winter_range_lists_the_exhibition(monkeypatch):
    at = open_page(monkeypatch)
    at.sidebar.date_input(key="range").set_value((date(2026, 12, 5), date(2026, 12, 7))).run()
    titles = event_titles(at)
    assert titles.count("Winter show") == 3  # listed on each day it runs
    assert [s.value for s in at.subheader][:3] == ["Sat 5 Dec 2026", "Sun 6 Dec 2026",
                                                   "Mon 7 Dec 2026"]


def test_unconfirmed_festival_shows_only_its_month(monkeypatch):
    at = open_page(monkeypatch)
    at.sidebar.date_input(key="range").set_value((date(2027, 7, 1), date(2027, 7, 31))).run()
    assert "Dates to be confirmed" in [s.value for s in at.subheader]
    text = " ".join(m.value for m in at.markdown)
    assert "July 2027 · dates to be confirmed" in text
    assert "Summer festival" in text


def test_category_filter_changes_the_list(monkeypatch):
    at = open_page(monkeypatch)
    at.sidebar.date_input(key="range").set_value((date(2026, 12, 5), date(2026, 12, 5))).run()
    assert event_titles(at) == ["Winter show"]
    at.sidebar.multiselect(key="ecat").set_value(["concert"]).run()
    assert event_titles(at) == []
    assert at.info[0].value == "No events in this range."


def test_empty_range_says_so_in_each_language(monkeypatch):
    at = open_page(monkeypatch, lang="me")
    at.sidebar.date_input(key="range").set_value((date(2026, 3, 1), date(2026, 3, 2))).run()
    assert at.info[0].value == "Nema događaja u ovom periodu."


def test_text_search(monkeypatch):
    at = open_page(monkeypatch)
    at.sidebar.date_input(key="range").set_value((date(2026, 12, 5), date(2026, 12, 5))).run()
    at.sidebar.text_input(key="eq").input("zimska").run()
    assert event_titles(at) == ["Winter show"]
    at.sidebar.text_input(key="eq").input("nothing like it").run()
    assert event_titles(at) == []


def test_downloads_offered(monkeypatch):
    at = open_page(monkeypatch)
    at.sidebar.date_input(key="range").set_value((date(2026, 12, 5), date(2026, 12, 5))).run()
    keys = [el.key for el in at.get("download_button")]
    assert "ics-all" in keys
    assert any(k.startswith("ics-20261205-winter-show") for k in keys)


def test_kotor_data_over_a_year(monkeypatch):
    at = open_page(monkeypatch, folder=REPO_DATA)
    at.sidebar.date_input(key="range").set_value((date(2026, 12, 1), date(2027, 11, 30))).run()
    assert not at.exception
    assert len(event_titles(at)) >= 15


def test_unconfirmed_month_heading_and_calendar_counts(monkeypatch):
    at = open_page(monkeypatch)
    at.sidebar.date_input(key="range").set_value((date(2026, 12, 1), date(2027, 7, 31))).run()
    assert "**July 2027**" in [m.value for m in at.markdown]
    buttons = {el.key: el for el in at.get("download_button")}
    assert buttons["ics-all"].proto.label == "Add all 1 listed events to your calendar (.ics)"
    assert ("1 event(s) with unconfirmed dates are not in the calendar file."
            in [c.value for c in at.caption])


def test_category_choices_are_labelled_in_the_language(monkeypatch):
    at = open_page(monkeypatch, lang="me")
    assert at.sidebar.multiselect(key="ecat").options == ["Koncerti", "Izložbe"]
