"""AppTest: the Explore page in both languages, its filters and its URL state."""

from __future__ import annotations

import json
import re
from datetime import date, time

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

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
    for block in at.main.markdown:  # above the map, out of the phone's drawer
        match = COUNT.search(block.value)
        if match:
            return int(match.group(1))
    raise AssertionError("no venue count above the map")


def popover(at: AppTest, key: str) -> Block:
    """The popover keyed ``key`` (the filters above the map: ``pages.shared.filters_popover``)."""
    todo = [at.main]
    while todo:
        node = todo.pop()
        if node.type == "popover" and node.proto.id.endswith(f"-{key}"):
            return node
        todo.extend(c for c in getattr(node, "children", {}).values() if isinstance(c, Block))
    raise AssertionError(f"no popover {key!r} in the main area")


def filters_label(at: AppTest, key: str = "explore-filters") -> str:
    return popover(at, key).proto.popover.label


def near_data(at: AppTest) -> dict | None:
    """The data the nearest-first list component got (AppTest cannot look inside it)."""
    for element in at.get("bidi_component"):
        if element.proto.component_name == "kcm_near_list":
            return json.loads(element.proto.json)
    return None


def near_names(at: AppTest) -> list[str]:
    data = near_data(at)
    return [] if data is None else [e["name"] for e in data["entries"]]


def entry(at: AppTest, venue_id: str) -> dict:
    data = near_data(at)
    assert data is not None, "no near list"
    return next(e for e in data["entries"] if e["id"] == venue_id)


@pytest.mark.parametrize(
    ("lang", "title"), [("me", "Kreativna mapa: Testtown"), ("en", "Testtown Creative Map")]
)
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
    assert near_names(at) == [
        "Maritime Museum",
        "Đurković Gallery",
        "Atelje Sezona",
        "Atelje Perast",
    ]  # Perast: settlement-level, last
    assert entry(at, "museum-sea")["distance"] == "1 min walk"
    assert entry(at, "atelier-seasonal")["distance"].startswith("≈ ")
    assert entry(at, "atelier-perast")["distance"] == "exact place unknown"
    data = near_data(at)
    assert (data["total"], data["shown"], data["selected"]) == (4, "Shown: 4 of 4", "")


def test_list_entries_show_category_icon_colour_and_state(monkeypatch):
    at = make_app(monkeypatch, lang="en", when="at", date="2026-01-10", time="11:00")
    gallery = entry(at, "gal-durkovic")
    assert (gallery["category"], gallery["icon"], gallery["colour"]) == (
        "Galleries",
        "palette",
        "#332288",
    )
    assert (gallery["state"], gallery["hours"]) == ("open", "09:00–15:00")


def test_category_filter(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.multiselect(key="cat").set_value(["atelier"]).run()
    assert shown_count(at) == 2
    assert set(near_names(at)) == {"Atelje Sezona", "Atelje Perast"}


def test_members_filter(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.checkbox(key="members").check().run()
    assert shown_count(at) == 2


def test_wheelchair_filter(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.checkbox(key="access").check().run()
    assert shown_count(at) == 2


def test_text_search_ignores_diacritics(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.text_input(key="q").input("durkovic").run()
    assert near_names(at) == ["Đurković Gallery"]


@pytest.mark.now("2026-12-07T10:00")  # January 2026: inside the 2-year date window
def test_open_on_date_and_time(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.radio(key="when").set_value("at").run()
    at.date_input(key="date").set_value(date(2026, 1, 10)).run()  # a Saturday
    at.time_input(key="time").set_value(time(11, 0)).run()
    assert shown_count(at) == 2  # unknown hours are not shown as open; Perast closed in winter
    assert "Matching venues with unknown hours: 1" in [c.value for c in at.caption]
    at.date_input(key="date").set_value(date(2026, 1, 11)).run()  # Sunday
    assert shown_count(at) == 0
    assert near_names(at) == []  # the list stays mounted, empty (it carries "Start here")


@pytest.mark.now("2026-12-07T10:00")  # January 2026: inside the 2-year date window
def test_empty_because_of_unknown_hours_offers_them(monkeypatch):
    at = make_app(monkeypatch, lang="en", when="at", date="2026-01-11", time="11:00")
    assert shown_count(at) == 0
    message = at.info[0].value
    assert "unknown hours: 1" in message
    assert "fewer categories" not in message
    at.button(key="include-unknown").click().run()
    assert at.checkbox(key="unknown").value is True
    assert shown_count(at) == 1
    museum = entry(at, "museum-sea")
    assert museum["state_text"] == "hours unknown — check before you go"


def test_empty_for_other_reasons_says_try_fewer_categories(monkeypatch):
    at = make_app(monkeypatch, lang="en", q="no such venue anywhere")
    assert "Try fewer categories" in at.info[0].value


def test_start_point_reorders_the_list(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    at.selectbox(key="start").set_value("perast-shore").run()
    assert near_names(at) == [
        "Atelje Sezona",
        "Đurković Gallery",
        "Maritime Museum",
        "Atelje Perast",
    ]  # placed ones by minutes, then the unplaced
    assert at.subheader[0].value == "Near Perast waterfront"


def test_clicked_point_from_url(monkeypatch):
    at = make_app(monkeypatch, lang="en", start="click", pt="42.4866,18.6986")
    assert near_names(at)[0] == "Atelje Sezona"
    assert at.subheader[0].value == "Near Point chosen on the map"


def test_url_restores_the_view(monkeypatch):
    at = make_app(
        monkeypatch,
        lang="en",
        cat=["atelier", "gallery"],
        members="true",
        q="atelje",
        venue="atelier-perast",
    )
    assert at.multiselect(key="cat").value == ["atelier", "gallery"]
    assert at.checkbox(key="members").value is True
    assert at.text_input(key="q").value == "atelje"
    assert near_names(at) == ["Atelje Perast"]
    assert near_data(at)["selected"] == "atelier-perast"
    assert at.session_state["venue"] == "atelier-perast"


def test_language_switch_changes_labels(monkeypatch):
    at = make_app(monkeypatch, lang="en")
    assert at.checkbox(key="members").label == ("Cluster members and prospective members only")
    at.button_group(key="lang").set_value("me").run()
    assert at.checkbox(key="members").label == ("Samo članovi i potencijalni članovi klastera")
    assert near_names(at)[0] == "Pomorski muzej"
    assert entry(at, "atelier-perast")["distance"] == "tačna lokacija nepoznata"


def test_unreadable_data_folder_shows_the_problems(monkeypatch, broken_folder):
    folder = broken_folder("malformed.geojson", "venues.geojson")
    at = make_app(monkeypatch, folder=folder)
    assert not at.exception
    assert at.error[0].value.startswith("Mapa trenutno ne može")  # short, for visitors
    assert "ima greške" in at.expander[0].markdown[0].value  # the maintainer's details
    assert "venues.geojson:-:-: malformed JSON" in at.code[0].value


def test_kotor_list_leaves_out_organisations_without_a_place(monkeypatch, kotor):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en")
    closed_doors = set(kotor.venues.loc[kotor.venues["visit"] == "no", "id"])
    data = near_data(at)
    assert data["total"] == len(kotor.venues) - len(closed_doors)
    assert f"left out of this list: {len(closed_doors)}" in " ".join(c.value for c in at.caption)
    at.checkbox(key="orgs").check().run()
    assert near_data(at)["total"] == len(kotor.venues)


def test_kotor_search_hit_lists_an_organisation(monkeypatch):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en", q="expeditio")
    assert "expeditio" in [e["id"] for e in near_data(at)["entries"]]


def test_kotor_list_pages_reach_every_match(monkeypatch, kotor):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en", orgs="true")
    data = near_data(at)
    assert len(data["entries"]) == 30 and data["total"] == len(kotor.venues)
    assert data["shown"] == f"Shown: 30 of {len(kotor.venues)}"
    at.session_state["_near_shown"] = 60  # what "show more" (30 on screen) asks for
    at.run()
    at.session_state["_near_shown"] = 90
    at.run()
    ids = [e["id"] for e in near_data(at)["entries"]]
    assert sorted(ids) == sorted(kotor.venues["id"])


def test_kotor_selected_venue_far_down_widens_the_list(monkeypatch):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en", venue="vida-matjan-lastva", orgs="true")
    data = near_data(at)
    assert data["selected"] == "vida-matjan-lastva"
    assert "vida-matjan-lastva" in [e["id"] for e in data["entries"]]
    assert len(data["entries"]) > 30


def test_kotor_islet_is_by_boat(monkeypatch):
    at = make_app(monkeypatch, folder=REPO_DATA, lang="en", start="perast-waterfront")
    islet = entry(at, "gospa-od-skrpjela")
    assert islet["distance"] == "by boat from Perast waterfront"
    reaches = [e["reach"] for e in near_data(at)["entries"]]
    assert reaches.index("boat") > max(i for i, r in enumerate(reaches) if r == "walk")


def test_kotor_open_at_keeps_organisations_out_and_counts_unknown(monkeypatch, kotor):
    at = make_app(
        monkeypatch, folder=REPO_DATA, lang="en", when="at", date="2026-12-01", time="11:00"
    )
    filters = popover(at, "explore-filters")
    unknown = [c.value for c in filters.caption if c.value.startswith("Matching")]
    visitable_unknown = int(
        ((kotor.venues["opening_hours"] == "") & (kotor.venues["visit"] != "no")).sum()
    )
    assert unknown == [f"Matching venues with unknown hours: {visitable_unknown}"]
    at.checkbox(key="unknown").check().run()
    ids = {e["id"] for e in near_data(at)["entries"]}
    assert "expeditio" not in ids
    assert all(
        e["state_text"] == "hours unknown — check before you go"
        for e in near_data(at)["entries"]
        if e["state"] == "unknown"
    )


def test_filters_sit_in_a_popover_above_the_map_labelled_with_their_count(monkeypatch):
    """Issue 21: on every width the filters are in the bar above the map, not the sidebar,
    and the button says how many are on; a link's filters count from the first run."""
    at = make_app(monkeypatch, lang="en")
    assert filters_label(at) == "Filters"
    for kind in ("multiselect", "text_input", "radio", "checkbox", "selectbox"):
        assert not at.sidebar.get(kind), f"a {kind} left in the sidebar"
    filters = popover(at, "explore-filters")
    assert {w.key for w in filters.checkbox} == {"members", "access", "orgs"}
    assert [w.key for w in filters.selectbox] == ["start"]
    at.checkbox(key="members").check().run()
    assert filters_label(at) == "Filters · 1"
    at.text_input(key="q").input("atelje").run()
    assert filters_label(at) == "Filters · 2"
    at.text_input(key="q").input("").run()
    at.selectbox(key="start").set_value("perast-shore").run()  # orders, does not filter
    assert filters_label(at) == "Filters · 1"


@pytest.mark.now("2026-12-07T10:00")
def test_a_links_filters_are_counted_on_its_first_run(monkeypatch):
    at = make_app(
        monkeypatch,
        lang="en",
        cat=["atelier"],
        q="atelje",
        members="true",
        when="at",
        date="2026-12-10",
        time="11:00",
        unknown="TRUE",
    )
    assert filters_label(at) == "Filters · 5"
    assert at.checkbox(key="unknown").value is True
    unread = make_app(monkeypatch, lang="en", members="maybe", cat="nonsense", q="   ")
    assert filters_label(unread) == "Filters"
