"""Regression tests over the shipped Kotor data, from the November 2026 data audit.

They read the data files as stored (JSON and CSV), so they check what a maintainer
reviews in a diff, not what the loader makes of it.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from mapping.validate import validate_folder
from tests.conftest import REPO_DATA

# The six organisations the 2018 seed article names as *potential* cluster members.
SEED_PROSPECTIVE = {
    "kc-nikola-durkovic",
    "lidamard",
    "expeditio",
    "fondacija-kfpd",
    "abeceda",
    "see-side-montenegro",
}


CENSUS_YEARS = {2003, 2011, 2023}
"""Montenegro's censuses a stored population may come from."""


def _features(name: str) -> list[dict]:
    with (REPO_DATA / name).open(encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _venues() -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in _features("venues.geojson")}


def test_cluster_status_is_what_the_seed_says() -> None:
    venues = _venues()
    listed = {vid for vid, f in venues.items() if f["properties"].get("cluster")}
    assert listed == SEED_PROSPECTIVE
    for vid in SEED_PROSPECTIVE:
        props = venues[vid]["properties"]
        assert props["cluster"] == "prospective", vid
        assert props["cluster_year"] == 2018, vid
        assert props["cluster_source"].strip(), vid
    # The KC's units are not named in the seed: no status of their own.
    units = [vid for vid in venues if vid.startswith("kc-") and vid != "kc-nikola-durkovic"]
    assert units
    assert all(not venues[vid]["properties"].get("cluster") for vid in units)


@pytest.mark.parametrize("lang_field", ["description_me", "description_en"])
def test_no_description_states_membership_as_fact(lang_field: str) -> None:
    stated = [
        vid
        for vid, f in _venues().items()
        if "member of the creative industries cluster"
        in str(f["properties"].get(lang_field, "")).lower()
        or "član klastera" in str(f["properties"].get(lang_field, "")).lower()
    ]
    assert stated == []


def test_shipped_points_lie_within_their_precision_of_the_cited_coordinates() -> None:
    problems = [
        p
        for p in validate_folder(REPO_DATA)
        if p.field in ("geometry", "cited_lat", "cited_lon", "cited_coordinates")
    ]
    assert problems == []
    cited = [f for f in _venues().values() if f["properties"].get("cited_lat") is not None]
    assert {f["properties"]["id"] for f in cited} >= {
        "gospa-od-skrpjela",
        "bogorodicin-hram-prcanj",
    }


def test_validate_names_a_point_too_far_from_its_cited_coordinates(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    path = folder / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["id"] == "gospa-od-skrpjela":
            props = feature["properties"]
            lon, lat = props["cited_lon"], props["cited_lat"]
            # where the audit found it: about 205 m off, in open water (0.00185° of
            # latitude is about 205 m)
            feature["geometry"]["coordinates"] = [lon, lat + 0.00185]
            feature["properties"]["location_precision"] = "approximate"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems = [str(p) for p in validate_folder(folder)]
    assert len(problems) == 1
    assert problems[0].startswith("venues.geojson:gospa-od-skrpjela:geometry: point is 20")
    assert "at most 100 m" in problems[0]


def test_every_settlement_a_venue_uses_has_a_population_or_a_reason() -> None:
    settlements = {
        f["properties"]["id"]: f["properties"]
        for f in _features("places.geojson")
        if f["properties"].get("kind") == "settlement"
    }
    used = {f["properties"].get("settlement") for f in _venues().values()} - {"", None}
    assert used <= set(settlements)
    for sid in used:
        props = settlements[sid]
        if props.get("population") is None:
            assert str(props.get("population_note", "")).strip(), sid
        else:
            assert props.get("population_year") in CENSUS_YEARS, sid  # its census, stated
            assert str(props.get("population_source", "")).strip(), sid


def test_every_confirmed_event_date_has_a_source() -> None:
    with (REPO_DATA / "events.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    confirmed = [r for r in rows if r["dates_confirmed"].strip().lower() in ("", "true")]
    assert confirmed
    assert [r["id"] for r in confirmed if not r["source"].strip()] == []


def test_corrected_facts_stay_corrected() -> None:
    with (REPO_DATA / "events.csv").open(encoding="utf-8") as fh:
        events = {r["id"]: r for r in csv.DictReader(fh)}
    uhvati = [r for r in events.values() if "uhvati film" in r["title"].lower()]
    assert uhvati
    assert all(r["start"][5:7] == "09" for r in uhvati)  # a September festival


def test_cluster_filter_keeps_the_seed_organisations_and_not_the_kc_units(kotor) -> None:
    from mapping.query import VenueFilter, apply_filter

    kept = set(
        apply_filter(kotor.venues, VenueFilter(members_only=True), kotor.city.timezone)["id"]
    )
    assert kept == SEED_PROSPECTIVE


def test_every_settlement_has_a_census_population_or_a_reason_and_a_placed_point() -> None:
    # Every figure states its census year (issue 23: the newest figure per settlement);
    # a null always says why; every point says where it comes from (a cited page or an
    # explicit note).
    settlements = [
        f["properties"]
        for f in _features("places.geojson")
        if f["properties"].get("kind") == "settlement"
    ]
    assert settlements
    for props in settlements:
        sid = props["id"]
        if props.get("population") is None:
            assert props.get("population_year") is None, sid
            assert str(props.get("population_note", "")).strip(), sid
        else:
            assert isinstance(props["population"], int) and props["population"] > 0, sid
            assert props.get("population_year") in CENSUS_YEARS, sid
            assert str(props.get("population_source", "")).strip(), sid
        assert (
            str(props.get("location_source", "")).strip()
            or str(props.get("location_note", "")).strip()
        ), sid


def test_unconfirmed_events_carry_no_time_and_annual_ones_say_so() -> None:
    with (REPO_DATA / "events.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    unconfirmed = [r for r in rows if r["dates_confirmed"].strip().lower() == "false"]
    assert unconfirmed  # the festivals whose dates are announced late
    for row in unconfirmed:
        assert "T" not in row["start"] and "T" not in row["end"], row["id"]
        assert row["source"].strip(), row["id"]
