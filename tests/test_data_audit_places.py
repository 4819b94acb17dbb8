"""Regression tests for the places findings of the December 2026 data audit (issue 23):
populations with their census year, conflicts treated alike, settlements outside the
municipality flagged, and settlement points that cite their source.

They read ``places.geojson`` as stored, so they check what a maintainer reviews.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pyproj import Geod

from mapping.io import load_dataset
from mapping.schema import PLACE_OUTSIDE
from mapping.validate import validate_folder
from tests.conftest import REPO_DATA

CENSUS_YEARS = {2003, 2011, 2023}
_GEOD = Geod(ellps="WGS84")

# What the audit (section 8) found, each now stored with its census year.
AUDIT_FIGURES = {
    "dobrota": (7345, 2023),
    "kotor": (5341, 2003),
    "skaljari": (4002, 2003),
    "muo": (677, 2003),
    "risan": (2048, 2011),
}
# GeoNames points the audit matched (section 5, ledger 150-152).
GEONAMES = {
    "lipci": (18.65806, 42.49722),
    "budva": (18.84, 42.28639),
    "prcanj": (18.74222, 42.4575),
}


def _places() -> dict[str, dict]:
    doc = json.loads((REPO_DATA / "places.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f for f in doc["features"]}


def _settlements() -> dict[str, dict]:
    return {
        k: f["properties"] for k, f in _places().items() if f["properties"]["kind"] == "settlement"
    }


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(_GEOD.inv(a[0], a[1], b[0], b[1])[2])


@pytest.mark.parametrize(("pid", "figure"), sorted(AUDIT_FIGURES.items()))
def test_the_audits_figures_are_stored_with_their_census_year(pid: str, figure: tuple) -> None:
    props = _settlements()[pid]
    assert (props["population"], props["population_year"]) == figure
    assert props["population_source"].strip()


def test_every_population_has_its_census_year_and_source_and_nothing_else_is_guessed() -> None:
    for pid, props in _settlements().items():
        if props["population"] is None:
            assert props["population_year"] is None, pid
            assert props["population_source"] == "", pid
            assert props["population_note"].strip(), pid  # says why
        else:
            assert isinstance(props["population"], int) and props["population"] > 0, pid
            assert props["population_year"] in CENSUS_YEARS, pid
            assert props["population_source"].strip(), pid


def test_a_census_whose_sources_disagree_is_never_the_stored_figure() -> None:
    # Perast (274 vs 269) and Prčanj (1,228 vs 1,128), both 2011: one rule for both.
    disputed = {}
    for pid, props in _settlements().items():
        found = re.search(
            r"Sources disagree on the (\d{4}) census figure", props["population_note"]
        )
        if found:
            disputed[pid] = int(found.group(1))
            assert props["population_year"] != disputed[pid], pid
            assert "data/README.md" in props["population_note"], pid  # the rule is named
    assert disputed == {"perast": 2011, "prcanj": 2011}
    notes = {pid: _settlements()[pid]["population_note"] for pid in disputed}
    assert "274" in notes["perast"] and "269" in notes["perast"]
    assert "1,228" in notes["prcanj"] and "1,128" in notes["prcanj"]


def test_only_budva_is_outside_the_municipality_and_every_record_says_so() -> None:
    places = _places()
    for pid, feature in places.items():
        assert isinstance(feature["properties"].get(PLACE_OUTSIDE), bool), pid
    assert {pid for pid, f in places.items() if f["properties"][PLACE_OUTSIDE]} == {"budva"}


@pytest.mark.parametrize("pid", sorted(GEONAMES))
def test_points_that_match_geonames_cite_it(pid: str) -> None:
    feature = _places()[pid]
    point = tuple(feature["geometry"]["coordinates"])
    assert _metres(point, GEONAMES[pid]) < 5
    props = feature["properties"]
    assert "GeoNames" in props["location_source"]
    assert "general knowledge" not in props["source"]


def test_the_prcanj_point_is_near_its_church_not_300_m_off() -> None:
    venues = load_dataset(REPO_DATA, enrich=False).venues.set_index("id")
    church = venues.loc["bogorodicin-hram-prcanj"]
    point = tuple(_places()["prcanj"]["geometry"]["coordinates"])
    assert _metres(point, (church["cited_lon"], church["cited_lat"])) < 100


@pytest.mark.parametrize("value", ["true", "yes", 1, 0.0, [True]])
def test_validate_refuses_an_outside_flag_that_is_not_a_boolean(
    tmp_path: Path, value: object
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    path = folder / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["id"] == "budva":
            feature["properties"][PLACE_OUTSIDE] = value
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    problems = [str(p) for p in validate_folder(folder)]
    assert len(problems) == 1
    assert problems[0].startswith(
        "places.geojson:budva:outside_municipality: expected true or false (a JSON boolean)"
    )


def test_a_town_without_the_flag_still_validates(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    path = folder / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        del feature["properties"][PLACE_OUTSIDE]
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    assert validate_folder(folder) == []
