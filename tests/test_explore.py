"""What the Explore page shows, computed without Streamlit."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd

from mapping import explore
from mapping.distance import walk_model
from mapping.query import VenueFilter

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
    assert explore.moment("now", now, date(2026, 1, 1), time(9), "Europe/Podgorica") == \
        datetime(2026, 1, 10, 11, 7, tzinfo=TZ)
    assert explore.moment("at", now, date(2026, 7, 1), time(9), "Europe/Podgorica") == \
        datetime(2026, 7, 1, 9, 0, tzinfo=TZ)


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
        by_id = {"atelier-perast": 1.0, "museum-sea": 50.0, "gal-durkovic": 7.0,
                 "atelier-seasonal": 20.0}
        return venues["id"].map(by_id).astype(float)

    def describe(self, lang: str) -> str:
        return f"by name ({lang})"


def test_near_asks_the_model_it_is_given(mini):
    shown = explore.filtered(mini, VenueFilter(), "en")
    by_name = explore.near(shown, (42.4247, 18.7702, "x"), ByNameWalk())
    assert list(by_name["id"]) == ["atelier-perast", "gal-durkovic", "atelier-seasonal",
                                   "museum-sea"]
    assert by_name["walk_min"].tolist() == [1.0, 7.0, 20.0, 50.0]
    straight = explore.near(shown, (42.4247, 18.7702, "x"), walk_model(mini))
    assert list(straight["id"])[0] == "museum-sea"  # 50 m from the Sea Gate


def test_list_labels_keep_markdown_inert(mini):
    near = explore.near(explore.filtered(mini, VenueFilter(), "en"), (42.4247, 18.7702, "x"),
                        walk_model(mini))
    near = near.assign(display_name=["[link](http://evil)", *near["display_name"][1:]])
    labels = explore.list_labels(near, mini.categories.set_index("id")["label_en"],
                                 datetime(2026, 1, 10, 11, tzinfo=TZ), mini.city, "en")
    assert labels[0].startswith(r"\[link\]\(http\://evil\)")
    assert "min walk" in labels[0]
