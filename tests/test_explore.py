"""What the Explore page shows, computed without Streamlit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd

from mapping import explore
from mapping.components import locate
from mapping.distance import walk_model
from mapping.io import load_dataset
from mapping.query import VenueFilter
from tests.conftest import TESTS

TZ = ZoneInfo("Europe/Podgorica")


def test_landmarks_are_labelled_in_the_language(mini):
    en = explore.landmarks(mini.places, "en", mini.city.languages)
    me = explore.landmarks(mini.places, "me", mini.city.languages)
    assert list(en.index) == ["gate", "perast-shore"]
    assert en.loc["gate", "label"] == "Sea Gate"
    assert me.loc["gate", "label"] == "Morska vrata"


def test_start_point_from_landmark_click_or_fallback(mini):
    marks = explore.landmarks(mini.places, "en", mini.city.languages)
    assert explore.start_point("gate", "", marks, "clicked") == (42.4247, 18.7702, "Sea Gate")
    assert explore.start_point("click", "42.5,18.7", marks, "clicked") == (42.5, 18.7, "clicked")
    assert explore.start_point("click", "nonsense", marks, "clicked")[2] == "Sea Gate"


def test_moment_now_is_truncated_and_at_is_local():
    now = datetime(2026, 1, 10, 11, 7, 42, tzinfo=TZ)
    assert explore.moment("now", now, date(2026, 1, 1), time(9), "Europe/Podgorica") == datetime(
        2026, 1, 10, 11, 7, tzinfo=TZ
    )
    assert explore.moment("at", now, date(2026, 7, 1), time(9), "Europe/Podgorica") == datetime(
        2026, 7, 1, 9, 0, tzinfo=TZ
    )


def test_filtered_adds_display_names(mini):
    shown = explore.filtered(mini, VenueFilter(), "en")
    names = dict(zip(shown["id"], shown["display_name"], strict=True))
    assert names["gal-durkovic"] == "Đurković Gallery"
    assert names["atelier-seasonal"] == "Atelje Sezona"  # no English name: the original


def test_upcoming_lines_list_the_next_events_in_the_language(mini):
    now = datetime(2026, 11, 28, 12, 0, tzinfo=TZ)
    lines = explore.upcoming_lines(mini, {"gal-durkovic", "museum-sea"}, "en", now)
    assert lines["gal-durkovic"] == ["Tue 1 Dec, 10:00 – Sun 20 Dec, 18:00 — Winter show"]
    assert lines["museum-sea"][0].endswith("dates to be confirmed — Summer festival")
    assert explore.upcoming_lines(mini, {"atelier-perast"}, "en", now) == {}


class ByNameWalk:
    """A stand-in for another walking model (say, a street network): minutes by id."""

    def minutes(self, origin: tuple[float, float], venues: pd.DataFrame) -> pd.Series:
        by_id = {
            "atelier-perast": 1.0,
            "museum-sea": 50.0,
            "gal-durkovic": 7.0,
            "atelier-seasonal": 20.0,
        }
        return venues["id"].map(by_id).astype(float)

    def describe(self, lang: str) -> str:
        return f"by name ({lang})"


def test_near_asks_the_model_it_is_given(mini):
    shown = explore.filtered(mini, VenueFilter(), "en")
    by_name = explore.near(shown, (42.4247, 18.7702, "x"), ByNameWalk())
    # atelier-perast is known only to its settlement: last, with no minutes
    assert list(by_name["id"]) == [
        "gal-durkovic",
        "atelier-seasonal",
        "museum-sea",
        "atelier-perast",
    ]
    assert by_name["walk_min"].tolist()[:3] == [7.0, 20.0, 50.0]
    assert pd.isna(by_name["walk_min"].iloc[3])
    straight = explore.near(shown, (42.4247, 18.7702, "x"), walk_model(mini))
    assert list(straight["id"])[0] == "museum-sea"  # 50 m from the Sea Gate


NOON = datetime(2026, 1, 10, 11, tzinfo=TZ)  # a winter Saturday


def _entries(data, start, *, hide=True, lang="en", when=NOON, check_hours=False):
    shown = explore.filtered(data, VenueFilter(), lang)
    listed, _ = explore.ranked(shown, start, walk_model(data), hide_unvisitable=hide)
    return {
        e["id"]: e for e in explore.list_entries(listed, data, lang, when, check_hours=check_hours)
    }


def test_entries_say_minutes_with_the_precision_they_have(mini):
    entries = _entries(mini, (42.4247, 18.7702, "Sea Gate"))
    assert entries["museum-sea"]["distance"] == "1 min walk"  # exact: no ≈
    assert entries["atelier-seasonal"]["distance"].startswith("≈ ")  # approximate
    assert entries["atelier-perast"]["distance"] == "exact place unknown"  # no settlement id
    assert entries["atelier-perast"]["reach"] == "settlement"


def test_entries_carry_category_icon_colour_and_state(mini):
    entries = _entries(mini, (42.4247, 18.7702, "Sea Gate"))
    gallery = entries["gal-durkovic"]
    row = mini.categories.set_index("id").loc["gallery"]
    assert (gallery["category"], gallery["icon"], gallery["colour"]) == (
        row["label_en"],
        row["icon"],
        row["colour"],
    )
    assert (gallery["state"], gallery["state_text"], gallery["hours"]) == (
        "open",
        "open",
        "09:00–15:00",
    )
    assert entries["atelier-perast"]["state"] == "closed"  # Jun-Sep only
    museum = entries["museum-sea"]
    assert (museum["state"], museum["state_text"], museum["hours"]) == (
        "unknown",
        "hours unknown",
        "",
    )
    checked = _entries(mini, (42.4247, 18.7702, "x"), check_hours=True)["museum-sea"]
    assert checked["state_text"] == "hours unknown — check before you go"


def test_entries_in_montenegrin(mini):
    entries = _entries(mini, (42.4247, 18.7702, "x"), lang="me")
    assert entries["museum-sea"]["name"] == "Pomorski muzej"
    assert entries["museum-sea"]["state_text"] == "radno vrijeme nepoznato"
    assert entries["atelier-seasonal"]["distance"].endswith("min hoda")


def test_kotor_settlement_and_boat_entries_are_honest(kotor):
    entries = _entries(kotor, (42.4863, 18.6983, "Perast waterfront"))
    assert entries["gospa-od-skrpjela"]["distance"] == "by boat from Perast waterfront"
    unplaced = [e for e in entries.values() if e["reach"] == "settlement"]
    assert unplaced and all(e["distance"].endswith("— exact place unknown") for e in unplaced)
    assert "min" not in " ".join(e["distance"] for e in unplaced)
    order = [e["reach"] for e in entries.values()]
    assert order == sorted(order, key=["walk", "boat", "settlement"].index)


def test_non_visitable_left_out_of_the_near_ranking_by_default(kotor):
    shown = explore.filtered(kotor, VenueFilter(), "en")
    start = (42.4247, 18.7702, "Sea Gate")
    listed, left_out = explore.ranked(shown, start, walk_model(kotor), hide_unvisitable=True)
    closed_doors = set(kotor.venues.loc[kotor.venues["visit"] == "no", "id"])
    assert "expeditio" in closed_doors
    assert not closed_doors & set(listed["id"])
    assert left_out == len(closed_doors)
    everyone, none_left = explore.ranked(shown, start, walk_model(kotor), hide_unvisitable=False)
    assert closed_doors <= set(everyone["id"]) and none_left == 0


def test_appointment_is_said(kotor):
    data = replace(
        kotor,
        venues=kotor.venues.assign(
            visit=kotor.venues["visit"].where(kotor.venues["id"] != "cats-museum", "appointment")
        ),
    )
    entries = _entries(data, (42.4247, 18.7702, "x"))
    assert entries["cats-museum"]["note"] == "by appointment"
    open_doors = kotor.venues.loc[kotor.venues["visit"] == "yes", "id"]
    assert {entries[v]["note"] for v in open_doors} == {""}


def test_unknown_hours_count_for_the_page(mini):
    when = datetime(2026, 1, 10, 11, tzinfo=TZ)
    assert explore.unknown_hours(mini, VenueFilter(open_at=when)) == 1
    assert explore.unknown_hours(mini, VenueFilter()) == 0


def test_page_limit_grows_by_pages_to_the_selected_venue():
    ids = pd.Series([f"v{i}" for i in range(100)])
    page = explore.NEAR_LIMIT
    assert explore.page_limit(page, ids, None) == page
    assert explore.page_limit(page, ids, "v3") == page
    assert explore.page_limit(page, ids, f"v{page}") == 2 * page
    assert explore.page_limit(page, ids, "v99") == 4 * page
    assert explore.page_limit(2 * page, ids, "v5") == 2 * page
    assert explore.page_limit(page, ids, "elsewhere") == page


def test_near_me_answers_are_read_safely():
    assert locate.position({"lat": 42.42, "lon": 18.77}) == (42.42, 18.77)
    assert locate.position({"error": "denied"}) == "denied"
    assert locate.position({"error": "timeout"}) == "unavailable"
    assert locate.position({"lat": "42", "lon": None}) == "unavailable"
    assert locate.position("nonsense") == "unavailable"


def test_warm_default_view_builds_what_the_landing_page_asks_for(monkeypatch):
    """After the launcher's warm-up, Explore's default view in any language is a memo hit
    (the page's own default filter: every category, nothing else)."""
    data = load_dataset(TESTS / "fixtures" / "members")
    now = datetime(2026, 12, 2, 11, 0, 30, tzinfo=ZoneInfo(data.city.timezone))
    explore.warm_default_view(data, now)
    built = []
    monkeypatch.setattr(explore.render, "build_payload", lambda *a, **k: built.append(a) or None)
    page_filter = explore.sidebar_filter(data)
    minute = explore.moment("any", now, now.date(), time(10, 0), data.city.timezone)
    for lang in data.city.languages:
        assert explore.map_payload(data, page_filter, lang, minute, minute) is not None
    assert built == []  # every language's landing map was built by the warm-up


def test_nearest_first_is_the_order_of_its_filter(kotor):
    """Cut from every venue's order (issue 25), the list is exactly what ranking the
    filtered venues alone gives: same rows, same order, same minutes."""
    marks = explore.start_points(kotor, "en")
    cats = list(kotor.categories["id"])
    for start_id in list(marks.index)[:3]:
        start = explore.start_point(start_id, "", marks, "x")
        for chosen, hide in (
            (cats, True),
            (cats, False),
            (cats[:2], True),
            (cats[1:5], False),
            (cats[-1:], True),
        ):
            venue_filter = explore.sidebar_filter(
                kotor,
                chosen,
                text="",
                members_only=False,
                wheelchair=False,
                open_at=None,
                include_orgs=not hide,
            )
            shown = explore.filtered(kotor, venue_filter, "en")
            expected, left = explore.ranked(shown, start, walk_model(kotor), hide_unvisitable=hide)
            got, got_left = explore.nearest_first(kotor, venue_filter, "en", start, hide)
            pd.testing.assert_frame_equal(got, expected)
            assert got_left == left
