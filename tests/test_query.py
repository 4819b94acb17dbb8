"""Queries over the venues: filters and nearest-first walking times."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from pyproj import Transformer

from mapping.distance import StraightLineWalk, walk_model
from mapping.query import VenueFilter, apply_filter, nearest, unknown_hours_count, visitable
from mapping.schema import WHEELCHAIR_ACCESSIBLE

TZ = "Europe/Podgorica"
SEA_GATE = (42.4247, 18.7702)  # lat, lon


def ids(frame) -> set[str]:
    return set(frame["id"])


def test_no_filter_keeps_everything(mini):
    assert len(apply_filter(mini.venues, VenueFilter(), TZ)) == 4


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (VenueFilter(categories=("atelier",)), {"atelier-seasonal", "atelier-perast"}),
        (VenueFilter(members_only=True), {"gal-durkovic", "atelier-perast"}),
        (VenueFilter(wheelchair=True), {"gal-durkovic", "atelier-seasonal"}),
        (VenueFilter(text="durkovic"), {"gal-durkovic"}),
        (VenueFilter(text="DJURKOVIĆ gallery"), {"gal-durkovic"}),
        (VenueFilter(text="pomorski"), {"museum-sea"}),
        (VenueFilter(month=1), {"gal-durkovic", "atelier-seasonal"}),
        (VenueFilter(month=7), {"gal-durkovic", "atelier-seasonal", "atelier-perast"}),
    ],
)
def test_filters(mini, f, expected):
    assert ids(apply_filter(mini.venues, f, TZ)) == expected


def test_wheelchair_filter_keeps_the_accessible_values(mini):
    shown = apply_filter(mini.venues, VenueFilter(wheelchair=True), TZ)
    assert set(shown["wheelchair"]) == set(WHEELCHAIR_ACCESSIBLE) == {"yes", "limited"}


def test_open_at_a_winter_saturday(mini):
    when = datetime(2026, 1, 10, 11, 0, tzinfo=ZoneInfo(TZ))  # Saturday
    shown = ids(apply_filter(mini.venues, VenueFilter(open_at=when), TZ))
    # unknown hours (museum-sea) are not shown as open; Perast atelier closed in winter
    assert shown == {"gal-durkovic", "atelier-seasonal"}


def test_open_on_a_winter_sunday(mini):
    shown = ids(apply_filter(mini.venues, VenueFilter(open_on=date(2026, 1, 11)), TZ))
    assert shown == set()


def test_nearest_sorts_by_walking_minutes(mini):
    ranked = nearest(mini.venues, SEA_GATE, walk_model(mini))
    assert list(ranked["id"])[0] == "museum-sea"
    placed = ranked[ranked["reach"] == "walk"]
    assert list(placed["id"]) == ["museum-sea", "gal-durkovic", "atelier-seasonal"]
    assert placed["walk_min"].is_monotonic_increasing
    assert (
        list(nearest(mini.venues, SEA_GATE, walk_model(mini), limit=2)["id"])
        == list(ranked["id"])[:2]
    )


def _around_sea_gate() -> pd.DataFrame:
    """Venues at known distances from the Sea Gate, in EPSG:32634 metres."""
    x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32634", always_xy=True).transform(
        SEA_GATE[1], SEA_GATE[0]
    )
    return pd.DataFrame(
        {
            "x": [x0, x0 + 1000, x0 + 600, x0],
            "y": [y0, y0, y0 - 800, y0 + 2000],  # 0 m, 1000 m, 1000 m (3-4-5), 2000 m
        },
        index=["here", "east", "south-east", "north"],
    )


def test_walking_minutes_by_hand(mini):
    # mini's city.toml: speed 4.5 km/h = 4500 m / 60 min = 75 m/min; detour 1.3.
    # 1000 m straight -> 1300 m walked -> 1300 / 75 = 17.333 min; 2000 m -> 34.667 min.
    minutes = walk_model(mini).minutes(SEA_GATE, _around_sea_gate())
    assert list(minutes.index) == ["here", "east", "south-east", "north"]
    assert minutes.tolist() == pytest.approx([0.0, 17.3333, 17.3333, 34.6667], abs=1e-3)


def test_straight_line_walk_uses_its_speed_and_detour():
    # 6 km/h = 100 m/min, no detour: 1000 m -> 10 min, 2000 m -> 20 min.
    plain = StraightLineWalk("EPSG:32634", speed_kmh=6.0, detour_factor=1.0)
    minutes = plain.minutes(SEA_GATE, _around_sea_gate())
    assert minutes.tolist() == pytest.approx([0.0, 10.0, 10.0, 20.0], abs=1e-3)


def test_walk_model_describes_itself_in_the_language(mini):
    model = walk_model(mini)
    assert model.describe("en") == (
        "Approximate walking time: straight line × 1.3 at 4.5 km/h. "
        "Across the bay a real walk may be longer."
    )
    assert "× 1.3 pri 4.5 km/h" in model.describe("me")


def test_settlement_level_venue_gets_no_minutes_and_sorts_last(mini):
    # atelier-perast is known only to its settlement: even from Perast, where its
    # placeholder point is 0 m away, it has no minutes and comes after the placed ones.
    perast = (42.4866, 18.6986)
    ranked = nearest(mini.venues, perast, walk_model(mini))
    assert list(ranked["id"])[-1] == "atelier-perast"
    last = ranked.iloc[-1]
    assert last["reach"] == "settlement"
    assert pd.isna(last["walk_min"])
    assert ranked["walk_min"].iloc[:-1].notna().all()


def test_boat_only_is_out_of_the_walking_rank(kotor):
    perast_waterfront = (42.4867, 18.6976)
    ranked = nearest(kotor.venues, perast_waterfront, walk_model(kotor))
    islet = ranked[ranked["id"] == "gospa-od-skrpjela"].iloc[0]
    assert islet["reach"] == "boat"
    assert pd.isna(islet["walk_min"])
    kinds = ranked["reach"].tolist()
    # every venue reached on foot first, then boat-only, then settlement-level ones
    assert kinds == sorted(kinds, key=["walk", "boat", "settlement"].index)
    walked = ranked[ranked["reach"] == "walk"]
    assert walked["walk_min"].notna().all() and walked["walk_min"].is_monotonic_increasing


def test_visitable_keeps_all_but_an_explicit_no():
    venues = pd.DataFrame({"visit": ["yes", "appointment", "no", "", None, " No "]})
    assert visitable(venues).tolist() == [True, True, False, True, True, False]
    assert visitable(pd.DataFrame({"id": ["a"]})).tolist() == [True]  # no column: unknown


def test_visitable_only_filter_drops_organisations_without_a_place(kotor):
    everyone = apply_filter(kotor.venues, VenueFilter(), TZ)
    places = apply_filter(kotor.venues, VenueFilter(visitable_only=True), TZ)
    assert "expeditio" in set(everyone["id"])  # an NGO's office: visit = no
    assert "expeditio" not in set(places["id"])
    assert set(everyone["id"]) - set(places["id"]) == set(
        kotor.venues.loc[kotor.venues["visit"] == "no", "id"]
    )


def test_unknown_hours_are_counted_and_can_be_included(mini):
    when = datetime(2026, 1, 10, 11, 0, tzinfo=ZoneInfo(TZ))  # Saturday
    strict = VenueFilter(open_at=when)
    assert unknown_hours_count(mini.venues, strict, TZ) == 1  # museum-sea: hours unknown
    loose = VenueFilter(open_at=when, unknown_hours=True)
    assert ids(apply_filter(mini.venues, loose, TZ)) == {
        "gal-durkovic",
        "atelier-seasonal",
        "museum-sea",
    }  # Perast still closed in winter
    # the count follows the other filters, and is 0 without a time filter
    assert (
        unknown_hours_count(mini.venues, VenueFilter(open_at=when, categories=("atelier",)), TZ)
        == 0
    )
    assert unknown_hours_count(mini.venues, VenueFilter(), TZ) == 0
    day = VenueFilter(open_on=date(2026, 1, 11))
    assert unknown_hours_count(mini.venues, day, TZ) == 1


def test_unknown_hours_count_leaves_out_non_visitable(kotor):
    when = datetime(2026, 12, 1, 11, 0, tzinfo=ZoneInfo(TZ))
    every = unknown_hours_count(kotor.venues, VenueFilter(open_at=when), TZ)
    places = unknown_hours_count(kotor.venues, VenueFilter(open_at=when, visitable_only=True), TZ)
    unknown_and_no = int(
        ((kotor.venues["opening_hours"] == "") & (kotor.venues["visit"] == "no")).sum()
    )
    assert unknown_and_no > 0
    assert every - places == unknown_and_no
