"""Loading: formats, CRS handling, normalisation, atomic writes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import orjson
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from mapping import hours
from mapping.errors import DataError
from mapping.files import atomic_write, venues_csv_bytes, venues_geojson_bytes
from mapping.geodata import read_geodata
from mapping.io import load_dataset
from tests.conftest import BROKEN, MINI, YEAR
from tests.damage import DAMAGED, make

SEA_GATE = (18.7702, 42.4247)
GEOD = Geod(ellps="WGS84")


def metres_from_sea_gate(point: shapely.Point) -> float:
    return GEOD.inv(SEA_GATE[0], SEA_GATE[1], point.x, point.y)[2]


def test_mini_folder_loads_with_every_column(mini):
    venues = mini.venues
    assert len(venues) == 4
    assert venues.crs.to_epsg() == 4326
    assert venues["cluster"].tolist().count("prospective") == 2
    assert str(venues["cluster_year"].dtype) == "Int64"  # 2018, never 2018.0
    assert venues.loc[venues["id"] == "museum-sea", "address"].item() == ""
    assert {"lon", "lat", "x", "y", "search", "m01", "h12"} <= set(venues.columns)


@pytest.mark.parametrize("name", ["crs_3857.geojson", "crs_3908.geojson"])
def test_projected_files_land_within_a_metre(name):
    """The 3908 fixture was made with the same PROJ pipeline (MGI 1901 to WGS 84 (1))."""
    frame = read_geodata(BROKEN / name)
    assert frame.crs.to_epsg() == 4326
    assert metres_from_sea_gate(frame.geometry.iloc[0]) < 1.0


def test_csv_with_xy_needs_a_named_crs():
    with pytest.raises(DataError, match=r"no_crs.csv:-:crs: .*name one"):
        read_geodata(BROKEN / "no_crs.csv")
    frame = read_geodata(BROKEN / "no_crs.csv", crs="EPSG:3908")
    assert metres_from_sea_gate(frame.geometry.iloc[0]) < 1.0


def test_csv_with_lon_lat_is_wgs84(tmp_path: Path):
    path = tmp_path / "v.csv"
    path.write_text("id,name,lon,lat\na,A,18.7702,42.4247\n", encoding="utf-8")
    frame = read_geodata(path)
    assert frame.geometry.iloc[0].equals(shapely.Point(*SEA_GATE))


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_geopackage_without_crs_is_an_error_unless_named(tmp_path: Path):
    path = tmp_path / "v.gpkg"
    gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(2089489.106, 5224811.28)]).to_file(path)
    with pytest.raises(DataError, match=r"v.gpkg:-:crs: file has no CRS"):
        read_geodata(path)
    frame = read_geodata(path, crs="EPSG:3857")
    assert metres_from_sea_gate(frame.geometry.iloc[0]) < 1.0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.geojson", r"malformed.geojson:-:-: malformed JSON"),
        ("empty.geojson", r"empty.geojson:-:-: file is empty"),
    ],
)
def test_unreadable_files_name_the_file(name, message):
    with pytest.raises(DataError, match=message):
        read_geodata(BROKEN / name)


def test_html_in_a_name_stays_verbatim_as_data(broken_folder):
    folder = broken_folder("html_name.geojson", "venues.geojson")
    venues = load_dataset(folder, year=YEAR).venues
    name = venues.loc[venues["id"] == "gal-durkovic", "name"].item()
    assert name == "<img src=x onerror=alert(1)> ${alert(2)} `tick` back\\slash"


def test_search_folds_diacritics(mini):
    search = mini.venues.set_index("id")["search"]
    assert "durkovic" in search["gal-durkovic"]
    assert "djurkovic" in search["gal-durkovic"]


def test_atomic_write_leaves_target_untouched_on_failure(tmp_path: Path):
    target = tmp_path / "out.geojson"
    target.write_text("old", encoding="utf-8")

    def write_then_fail() -> None:
        with atomic_write(target) as fh:
            fh.write(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_then_fail()
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_replaces_target(tmp_path: Path):
    target = tmp_path / "out.csv"
    with atomic_write(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"


def test_events_are_local_time(mini):
    start = mini.events.set_index("id").loc["winter-show", "start"]
    assert isinstance(start, pd.Timestamp)
    assert str(start.tz) == "Europe/Podgorica"
    assert (start.hour, start.minute) == (10, 0)


def test_walk_coordinates_are_metric(mini):
    row = mini.venues.set_index("id").loc["gal-durkovic"]
    assert math.isclose(row["lon"], 18.7712) and math.isclose(row["lat"], 42.425)
    assert 250_000 < row["x"] < 400_000  # UTM 34N easting: Kotor is near the zone's west edge


def test_mini_matches_its_source_file():
    raw = read_geodata(MINI / "venues.geojson")
    assert list(raw["id"]) == ["gal-durkovic", "atelier-seasonal", "museum-sea", "atelier-perast"]


def test_monthly_hours_describe_the_year_asked_for(mini):
    # gal-durkovic: Mo-Sa 09:00-15:00, 6 h a day. January 2026 starts on a Thursday:
    # 27 days Mon-Sat; January 2027 starts on a Friday: 26 days Mon-Sat.
    def january(venues: pd.DataFrame) -> float:
        return float(venues.set_index("id").loc["gal-durkovic", "h01"])

    assert january(mini.venues) == pytest.approx(27 * 6 / 31 * 7)
    assert january(load_dataset(MINI, year=2027).venues) == pytest.approx(26 * 6 / 31 * 7)


def test_exports_leave_out_every_derived_column(mini):
    derived = {"x", "y", "search", *hours.DERIVED_COLUMNS}
    doc = orjson.loads(venues_geojson_bytes(mini.venues))
    assert not derived & set(doc["features"][0]["properties"])
    header = venues_csv_bytes(mini.venues).decode("utf-8").splitlines()[0].split(",")
    assert not derived & set(header)
    assert {"id", "opening_hours", "lon", "lat"} <= set(header)


def test_exports_write_the_cluster_year_as_a_whole_number(mini):
    import csv
    import io as _io

    doc = orjson.loads(venues_geojson_bytes(mini.venues))
    years = {f["properties"]["id"]: f["properties"]["cluster_year"] for f in doc["features"]}
    assert sorted(y for y in years.values() if y is not None) == [2018, 2018]
    assert all(y is None or type(y) is int for y in years.values())  # never 2018.0
    assert b"2018.0" not in venues_geojson_bytes(mini.venues)
    rows = list(csv.DictReader(_io.StringIO(venues_csv_bytes(mini.venues).decode("utf-8"))))
    assert sorted(r["cluster_year"] for r in rows) == ["", "", "2018", "2018"]
    assert {r["cluster"] for r in rows} == {"prospective", ""}


# --------------------------------------------------------------------------- issue 13: refusals


def _load_problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(folder, year=2026)
    return [str(p) for p in info.value.problems]


def _edit_features(folder: Path, name: str, index: int, **changes: object) -> None:
    path = folder / name
    doc = json.loads(path.read_text(encoding="utf-8"))
    feature = doc["features"][index]
    for key, value in changes.items():
        if key == "geometry":
            feature["geometry"] = value
        else:
            feature["properties"][key] = value
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_loader_refuses_a_folder_where_a_file_should_be(mini_copy: Path):
    (mini_copy / "categories.csv").unlink()
    (mini_copy / "categories.csv").mkdir()
    assert "categories.csv:-:-: is a folder; expected a file" in _load_problems(mini_copy)


def test_loader_refuses_a_data_folder_that_is_a_file(tmp_path: Path):
    (tmp_path / "data").write_text("x", encoding="utf-8")
    assert _load_problems(tmp_path / "data")[0].endswith(
        "is not a folder; expected the data folder"
    )


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {
            "type": "Polygon",
            "coordinates": [[[18.7, 42.4], [18.71, 42.4], [18.7, 42.41], [18.7, 42.4]]],
        },
        {"type": "Point", "coordinates": []},
    ],
)
def test_loader_refuses_what_is_not_a_point(mini_copy: Path, geometry):
    _edit_features(mini_copy, "venues.geojson", 1, geometry=geometry)
    assert (
        "venues.geojson:atelier-seasonal:geometry: expected a Point with [longitude, latitude]"
    ) in _load_problems(mini_copy)


def test_loader_refuses_duplicate_and_missing_ids(mini_copy: Path):
    _edit_features(mini_copy, "venues.geojson", 1, id="gal-durkovic")
    _edit_features(mini_copy, "venues.geojson", 2, id="")
    _edit_features(mini_copy, "places.geojson", 1, id="gate")
    found = _load_problems(mini_copy)
    assert "venues.geojson:gal-durkovic:id: duplicate id; every record needs its own" in found
    assert "venues.geojson:row 3:id: missing id; expected a text id" in found
    assert "places.geojson:gate:id: duplicate id; every record needs its own" in found


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("categories.csv", "colour"),
        ("categories.csv", "label_en"),
        ("event_categories.csv", "id"),
        ("event_categories.csv", "label_me"),
    ],
)
def test_loader_refuses_a_table_missing_a_column(mini_copy: Path, file, column):
    frame = pd.read_csv(mini_copy / file, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(mini_copy / file, index=False)
    assert f"{file}:header:{column}: missing column; expected it in the header row" in (
        _load_problems(mini_copy)
    )


def test_loader_refuses_a_language_without_catalogue(mini_copy: Path):
    path = mini_copy / "city.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('["me", "en"]', '["me", "xx"]'), encoding="utf-8"
    )
    assert any(
        p.startswith("city.toml:city:languages: no catalogue for 'xx'")
        for p in _load_problems(mini_copy)
    )


def test_loader_refuses_files_over_the_size_limit(mini_copy: Path):
    path = mini_copy / "city.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[limits]\nmax_file_mb = 1\n", encoding="utf-8"
    )
    (mini_copy / "events.csv").write_bytes(b"x" * (1024 * 1024 + 1))
    assert any(
        p.startswith("events.csv:-:-: file is 1.0 MB; expected at most 1 MB")
        for p in _load_problems(mini_copy)
    )


def test_loader_refuses_more_venues_than_it_serves(mini_copy: Path):
    path = mini_copy / "city.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[limits]\nmax_venues = 3\n", encoding="utf-8"
    )
    assert (
        "venues.geojson:-:-: 4 venues; the app serves at most 3 ([limits] max_venues in city.toml)"
    ) in _load_problems(mini_copy)


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_loader_raises_data_error_or_loads_never_anything_else(tmp_path: Path, name: str):
    folder = make(MINI, tmp_path / "data", DAMAGED[name][0])
    problems: list = []
    try:
        load_dataset(folder, year=2026)
    except DataError as exc:
        problems = exc.problems
    assert all(p.file and p.record and p.field for p in problems)


def test_loader_without_events_file_has_no_events(mini_copy: Path):
    (mini_copy / "events.csv").unlink()
    dataset = load_dataset(mini_copy, year=2026)
    assert dataset.events.empty
    assert dataset.problems == ()  # optional (issue 24): validate warns, the loader is quiet
