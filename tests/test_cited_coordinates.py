"""Cited coordinates as two numbers (issue 23): they survive a plain GIS round trip, the
old array form (and what GIS tools make of it) is still read, and every writer writes
the new form (:mod:`mapping.cited`)."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from mapping import cited
from mapping import submissions as sub
from mapping.cli import main
from mapping.imports import import_venues
from mapping.io import load_dataset
from mapping.validate import validate_folder
from tests.conftest import REPO_DATA

MINI = Path(__file__).parent / "fixtures" / "mini"


def _doc(folder: Path) -> dict:
    return json.loads((folder / "venues.geojson").read_text(encoding="utf-8"))


def _write(folder: Path, doc: dict) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    (folder / "venues.geojson").write_text(text, encoding="utf-8")


def _cited_by_id(folder: Path) -> dict[str, tuple[float, float]]:
    """Each venue's cited ``(lon, lat)`` as the loader reads it (either form on disk)."""
    venues = load_dataset(folder, enrich=False).venues
    has = venues[cited.LAT].notna()
    return {
        str(i): (float(lon), float(lat))
        for i, lon, lat in zip(
            venues.loc[has, "id"],
            venues.loc[has, cited.LON],
            venues.loc[has, cited.LAT],
            strict=True,
        )
    }


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """A copy of the shipped data with its venues in the new form."""
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    doc = _doc(folder)
    cited.convert_document(doc)
    _write(folder, doc)
    return folder


@pytest.mark.parametrize(("driver", "suffix"), [("GeoJSON", "geojson"), ("GPKG", "gpkg")])
@pytest.mark.parametrize("form", ["new", "old"])
def test_a_plain_geopandas_round_trip_keeps_the_cited_points_and_validates(
    tmp_path: Path, driver: str, suffix: str, form: str
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    if form == "new":
        doc = _doc(folder)
        cited.convert_document(doc)
        _write(folder, doc)
    before = _cited_by_id(folder)
    assert len(before) >= 3  # the shipped data cites coordinates for several venues
    other = tmp_path / f"venues.{suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpd.read_file(folder / "venues.geojson").to_file(other, driver=driver)
        (folder / "venues.geojson").unlink()
        gpd.read_file(other).to_file(folder / "venues.geojson", driver="GeoJSON")
    assert validate_folder(folder) == []
    assert _cited_by_id(folder) == before
    if form == "new":  # the new form is kept as numbers, not flattened
        doc = _doc(folder)
        values = [f["properties"][cited.LAT] for f in doc["features"]]
        assert all(v is None or isinstance(v, float) for v in values)


@pytest.mark.parametrize(
    "value",
    [
        [18.770232, 42.425004],
        (18.770232, 42.425004),
        np.array([18.770232, 42.425004]),
        "[18.770232, 42.425004]",
        "[18.770232 42.425004]",  # NumPy's text, as geopandas writes a list
        "(2:18.770232,42.425004)",  # OGR's text of a RealList
    ],
)
def test_the_old_form_is_read_in_every_shape_a_gis_tool_leaves(value: object) -> None:
    assert cited.legacy_point(value) == (18.770232, 42.425004)


@pytest.mark.parametrize("value", ["", None, "[18.77]", "[a, b]", [True, 42.0], "18.77;42.42;0"])
def test_what_is_not_two_numbers_is_no_old_form_point(value: object) -> None:
    assert cited.legacy_point(value) is None


def test_conversion_keeps_key_order_and_is_idempotent() -> None:
    props = {"id": "a", "cited_coordinates": [18.77, 42.42], "cited_source": "x"}
    assert cited.convert_properties(props)
    assert list(props.items()) == [
        ("id", "a"),
        ("cited_lat", 42.42),
        ("cited_lon", 18.77),
        ("cited_source", "x"),
    ]
    again = dict(props)
    assert not cited.convert_properties(again)
    assert again == props
    empty = {"id": "b", "cited_coordinates": None}
    assert cited.convert_properties(empty)
    assert empty == {"id": "b", "cited_lat": None, "cited_lon": None}
    broken = {"id": "c", "cited_coordinates": "north"}
    assert not cited.convert_properties(broken)  # left for validate to name


def test_converting_the_shipped_file_changes_only_the_cited_lines() -> None:
    raw = (REPO_DATA / "venues.geojson").read_text(encoding="utf-8")
    doc = json.loads(raw)
    cited.convert_document(doc)
    after = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    gone = set(raw.splitlines()) - set(after.splitlines())
    assert all(
        "cited_coordinates" in line or line.strip() in "],[" or _number(line) for line in gone
    )
    doc2 = json.loads(after)
    assert cited.convert_document(doc2) == 0  # idempotent
    for feature in doc2["features"]:
        assert cited.LEGACY not in feature["properties"]


def _number(line: str) -> bool:
    try:
        float(line.strip().rstrip(","))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"cited_lat": 42.42}, "venues.geojson:v:cited_lon: missing; cited_lat is given"),
        ({"cited_lat": "north", "cited_lon": 18.77}, "venues.geojson:v:cited_lat: expected a"),
        ({"cited_lat": 18.77, "cited_lon": 242.42}, "venues.geojson:v:cited_lon: expected a"),
        ({"cited_lat": True, "cited_lon": 18.77}, "venues.geojson:v:cited_lat: expected a"),
        ({"cited_coordinates": "north"}, "venues.geojson:v:cited_coordinates: expected [lon"),
    ],
)
def test_validate_names_a_wrong_cited_point(tmp_path: Path, props: dict, expected: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    doc = _doc(folder)
    feature = doc["features"][0]
    feature["properties"].update({"id": "v", **props})
    _write(folder, doc)
    problems = [str(p) for p in validate_folder(folder)]
    expected = expected.replace("[lon", "[longitude")
    assert any(p.startswith(expected) for p in problems), problems


def test_validate_measures_the_new_form_like_the_old(town: Path) -> None:
    doc = _doc(town)
    for feature in doc["features"]:
        if feature["properties"]["id"] == "gospa-od-skrpjela":
            feature["geometry"]["coordinates"][1] += 0.00185  # about 205 m north
            feature["properties"]["location_precision"] = "approximate"
    _write(town, doc)
    problems = [str(p) for p in validate_folder(town)]
    assert len(problems) == 1
    assert problems[0].startswith("venues.geojson:gospa-od-skrpjela:geometry: point is 20")


def test_the_loader_gives_numbers_whatever_the_form(town: Path) -> None:
    new = load_dataset(town, enrich=False).venues
    old = load_dataset(REPO_DATA, enrich=False).venues
    for frame in (new, old):
        assert cited.LEGACY not in frame.columns
        assert frame[cited.LAT].dtype == float and frame[cited.LON].dtype == float
    assert _cited_by_id(town) == _cited_by_id(REPO_DATA)


def test_an_import_writes_the_new_form(tmp_path: Path) -> None:
    town = tmp_path / "town"
    shutil.copytree(REPO_DATA, town)  # still in the old form on disk
    table = tmp_path / "new.csv"
    pd.DataFrame(
        [
            {
                "id": "atelje-novo",
                "name": "Atelje Novo",
                "category": "atelier",
                "source": "https://example.org/a",
                "location_precision": "approximate",
                "lon": 18.7701,
                "lat": 42.4246,
                "cited_coordinates": "[18.7702, 42.4247]",  # an old-form column
            }
        ]
    ).to_csv(table, index=False)
    report = import_venues(table, town)
    assert report.written
    doc = _doc(town)
    assert not any(cited.LEGACY in f["properties"] for f in doc["features"])
    new = next(f for f in doc["features"] if f["properties"]["id"] == "atelje-novo")
    assert (new["properties"][cited.LAT], new["properties"][cited.LON]) == (42.4247, 18.7702)
    assert validate_folder(town) == []


def test_the_export_writes_the_new_form(tmp_path: Path) -> None:
    out = tmp_path / "export.geojson"
    assert main(["export", str(REPO_DATA), "--format", "geojson", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    props = [f["properties"] for f in doc["features"]]
    assert all(cited.LEGACY not in p and cited.LAT in p and cited.LON in p for p in props)
    assert sum(p[cited.LAT] is not None for p in props) >= 3


def test_applying_a_suggestion_writes_the_new_form_of_that_record_only(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREATIVE_MAP_DB", str(tmp_path / "members.sqlite"))
    path = mini_copy / "venues.geojson"
    doc = _doc(mini_copy)
    for feature in doc["features"][:2]:  # the updated record and one other, both old form
        feature["properties"]["cited_coordinates"] = None
    target = doc["features"][0]["properties"]["id"]
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    data = load_dataset(mini_copy, enrich=False)
    number = sub.submit(data, sub.UPDATE, {"venue_id": target, "phone": "+382 32 304 720"})
    sub.apply(mini_copy, number)
    after = {f["properties"]["id"]: f["properties"] for f in _doc(mini_copy)["features"]}
    assert cited.LEGACY not in after[target] and after[target][cited.LAT] is None
    other = doc["features"][1]["properties"]["id"]
    assert cited.LEGACY in after[other]  # only the record concerned changes
