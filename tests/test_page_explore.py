"""AppTest: the Explore page in both languages, its filters and its URL state."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import MINI, REPO_DATA

APP = str(REPO_DATA.parent / "app.py")
COUNT = re.compile(r"(\d+) (?:of|od) (\d+)")


def make_app(monkeypatch, folder=MINI, **params: str | list[str]) -> AppTest:
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    if "lang" in params:
        params["lang"] = str(params["lang"]).upper()  # the switch shows and binds ME / EN
    at.query_params.update(params)
    return at.run()


def shown_count(at: AppTest) -> int:
    for block in at.sidebar.markdown:
        match = COUNT.search(block.value)
        if match:
            return int(match.group(1))
    raise AssertionError("no venue count in the sidebar")


def near_names(at: AppTest) -> list[str]:
    return [b.label.split(" · ")[0] for b in at.button if b.key.startswith("pick-")]


@pytest.mark.parametrize(("lang", "title"), [("me", "Kreativna mapa Kotora"),
                                              ("en", "Kotor Creative Map")])
def test_runs_in_both_languages(monkeypatch, lang, title):
    at = make_app(monkeypatch, lang=lang)
    assert not at.exception
    assert at.title[0].value == title


def test_kotor_data_runs(monkeypatch):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en")
    assert not at.exception
    assert shown_count(at) >= 40


def test_default_shows_all_sorted_by_walk(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    assert shown_count(at) == 4
    assert near_names(at)[0] == "Maritime Museum"
    assert near_names(at)[-1] == "Atelje Perast"


def test_category_filter(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.sidebar.multiselect(key="cat").set_value(["atelier"]).run()
    assert shown_count(at) == 2
    assert set(near_names(at)) == {"Atelje Sezona", "Atelje Perast"}


def test_members_filter(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.sidebar.checkbox(key="members").check().run()
    assert shown_count(at) == 2


def test_wheelchair_filter(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.sidebar.checkbox(key="access").check().run()
    assert shown_count(at) == 2


def test_text_search_ignores_diacritics(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.sidebar.text_input(key="q").input("durkovic").run()
    assert near_names(at) == ["Đurković Gallery"]


def test_open_on_date_and_time(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.sidebar.radio(key="when").set_value("at").run()
    at.sidebar.date_input(key="date").set_value(date(2026, 1, 10)).run()  # a Saturday
    at.sidebar.time_input(key="time").set_value(time(11, 0)).run()
    assert shown_count(at) == 2  # unknown hours are not shown as open; Perast closed in winter
    at.sidebar.date_input(key="date").set_value(date(2026, 1, 11)).run()  # Sunday
    assert shown_count(at) == 0
    assert any("No venue matches" in i.value for i in at.info)


def test_start_point_reorders_the_list(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.sidebar.selectbox(key="start").set_value("perast-shore").run()
    assert near_names(at)[0] == "Atelje Perast"
    assert at.subheader[0].value == "Near Perast waterfront"


def test_clicked_point_from_url(monkeypatch):
    at = make_app(monkeypatch, lang="en", start="click", pt="42.4866,18.6986")
    assert near_names(at)[0] == "Atelje Perast"


def test_url_restores_the_view(monkeypatch):
    at = make_app(monkeypatch, lang="en", cat=["atelier", "gallery"], members="true",
                  q="atelje", venue="atelier-perast")
    assert at.sidebar.multiselect(key="cat").value == ["atelier", "gallery"]
    assert at.sidebar.checkbox(key="members").value is True
    assert at.sidebar.text_input(key="q").value == "atelje"
    assert near_names(at) == ["Atelje Perast"]
    assert at.selectbox(key="venue").value == "atelier-perast"


def test_language_switch_changes_labels(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    assert at.sidebar.checkbox(key="members").label == (
        "Cluster members and prospective members only")
    at.sidebar.button_group(key="lang").set_value("me").run()
    assert at.sidebar.checkbox(key="members").label == (
        "Samo članovi i potencijalni članovi klastera")
    assert near_names(at)[0] == "Pomorski muzej"


def test_unreadable_data_folder_shows_the_problems(monkeypatch, broken_folder):
    folder = broken_folder("malformed.geojson", "venues.geojson")
    at = make_app(monkeypatch, folder=folder)
    assert not at.exception
    assert "has problems" in at.error[0].value or "ima greške" in at.error[0].value
    assert "venues.geojson:-:-: malformed JSON" in at.code[0].value
