"""``python -m mapping import``: OpenStreetMap and GIS files merged into a data folder."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely

from mapping import checked_write
from mapping.cli import main
from mapping.errors import DataError
from mapping.imports import import_venues
from mapping.imports.osm import TAG_TABLE, category_for
from mapping.io import load_dataset
from mapping.validate import validate_folder
from tests.conftest import MINI, SECOND_TOWN, YEAR, writable_copy

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
OVERPASS = FIXTURES / "overpass.geojson"
OSM_XML = FIXTURES / "second-town.osm"
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """The small folder with the full category catalogue, writable."""
    return writable_copy(MINI, tmp_path / "town", "categories.csv")


@pytest.fixture
def second(tmp_path: Path) -> Path:
    return writable_copy(SECOND_TOWN, tmp_path / "second")


def venues(folder: Path) -> dict[str, dict]:
    doc = json.loads((folder / "venues.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f for f in doc["features"]}


def by_osm(folder: Path, ref: str) -> dict:
    return next(f for f in venues(folder).values() if f["properties"].get("osm_id") == ref)


def rows(report) -> dict[str, tuple[str, str]]:
    return {r.source: (r.status, r.detail) for r in report.rows}


def test_every_mapped_tag_lands_in_its_category(town):
    report = import_venues(OVERPASS, town)
    assert report.written
    expected = {
        "node/1": "museum",
        "node/2": "gallery",
        "node/3": "heritage-stage",
        "node/4": "cultural-centre",
        "node/5": "theatre",
        "node/6": "cinema",
        "node/7": "cultural-centre",
        "node/8": "library",
        "node/9": "atelier",
        "node/10": "gallery",
        "node/11": "atelier",
        "node/13": "heritage-stage",
        "way/20": "theatre",
        "way/21": "cinema",
        "relation/30": "library",
    }
    for ref, category in expected.items():
        assert by_osm(town, ref)["properties"]["category"] == category, ref
    assert validate_folder(town) == []


def test_tag_table_covers_the_issue_list():
    for key, value in [
        ("tourism", "museum"),
        ("tourism", "gallery"),
        ("tourism", "artwork"),
        ("amenity", "arts_centre"),
        ("amenity", "theatre"),
        ("amenity", "cinema"),
        ("amenity", "community_centre"),
        ("amenity", "library"),
        ("craft", "glassblower"),
        ("shop", "art"),
        ("shop", "craft"),
    ]:
        assert category_for({key: value})[0] is not None, (key, value)
    assert category_for({"historic": "castle"})[0] is None
    assert category_for({"historic": "castle", "heritage": "2"})[0] == "heritage-stage"
    assert category_for({"amenity": "place_of_worship"})[0] is None
    assert len(TAG_TABLE) >= 11


def test_skipped_features_say_why(town):
    found = rows(import_venues(OVERPASS, town))
    assert found["node/12"][0] == "skipped" and "historic=memorial" in found["node/12"][1]
    assert found["node/14"] == ("skipped", "no mapped tag (amenity=restaurant)")
    assert found["node/15"][0] == "skipped" and "outside the study area" in found["node/15"][1]
    assert found["node/16"] == ("skipped", "no name")
    assert found["node/18"][0] == "skipped" and "duplicate" in found["node/18"][1]


def test_fields_names_and_source(town):
    import_venues(OVERPASS, town)
    cats = by_osm(town, "node/1")["properties"]
    assert cats["name"] == "Muzej mačaka" and cats["name_en"] == "Cats Museum"
    assert "name_de" not in cats  # German is not a language of this town
    assert cats["opening_hours"] == "Mo-Su 10:00-18:00"
    assert cats["wheelchair"] == "limited"
    assert cats["website"] == "https://example.org/cats"
    assert cats["phone"] == "+382 32 000 001"
    assert cats["email"] == "cats@example.org"
    assert cats["address"] == "Stari grad 1, Kotor"
    assert cats["source"] == "OpenStreetMap node/1 (https://www.openstreetmap.org/node/1)"
    assert cats["location_precision"] == "exact"
    assert by_osm(town, "node/8")["properties"]["website"] == "https://example.org/lib"


def test_bad_values_are_dropped_with_a_warning(town):
    found = rows(import_venues(OVERPASS, town))
    assert found["node/2"][0] == "new" and "opening_hours 'sometimes" in found["node/2"][1]
    assert "opening_hours" not in by_osm(town, "node/2")["properties"]
    assert "wheelchair 'maybe' dropped" in found["node/5"][1]


def test_polygons_and_centre_points(town):
    import_venues(OVERPASS, town)
    lon, lat = by_osm(town, "way/20")["geometry"]["coordinates"]
    assert lon == pytest.approx(18.7705) and lat == pytest.approx(42.4265)
    assert by_osm(town, "way/21")["geometry"]["coordinates"] == [18.7725, 42.4265]
    lon, lat = by_osm(town, "relation/30")["geometry"]["coordinates"]
    assert lon == pytest.approx(18.7735) and lat == pytest.approx(42.4275)


def test_reimport_changes_nothing(town):
    import_venues(OVERPASS, town)
    before = (town / "venues.geojson").read_bytes()
    again = import_venues(OVERPASS, town)
    assert again.counts()["new"] == 0 and again.counts()["updated"] == 0
    assert not again.written
    assert (town / "venues.geojson").read_bytes() == before


def test_name_match_merges_and_keeps_hand_edits(town):
    found = rows(import_venues(OVERPASS, town))
    status, detail = found["node/17"]
    assert status == "updated"
    gallery = venues(town)["gal-durkovic"]["properties"]
    assert gallery["osm_id"] == "node/17"
    assert gallery["phone"] == "+382 32 000 017"  # was empty: filled
    assert gallery["opening_hours"] == "Mo-Sa 09:00-15:00"  # typed by hand: kept
    assert gallery["name"] == "Galerija Đurković"
    assert "kept hand-edited" in detail and "opening_hours" in detail
    assert (
        len([v for v in venues(town).values() if v["properties"].get("osm_id") == "node/17"]) == 1
    )


def edited_source(tmp_path: Path, **changes: str) -> Path:
    doc = json.loads(OVERPASS.read_text(encoding="utf-8"))
    props = next(f["properties"] for f in doc["features"] if f["id"] == "node/1")
    props.update(changes)
    path = tmp_path / "changed.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_osm_change_updates_an_untouched_field(town, tmp_path):
    import_venues(OVERPASS, town)
    report = import_venues(edited_source(tmp_path, opening_hours="Mo-Su 09:00-17:00"), town)
    assert rows(report)["node/1"] == ("updated", "changed: opening_hours")
    assert by_osm(town, "node/1")["properties"]["opening_hours"] == "Mo-Su 09:00-17:00"


def test_hand_edit_is_kept_unless_overwrite(town, tmp_path):
    import_venues(OVERPASS, town)
    path = town / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"].get("osm_id") == "node/1":
            feature["properties"]["opening_hours"] = "Tu-Su 10:00-16:00"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    source = edited_source(tmp_path, opening_hours="Mo-Su 09:00-17:00")
    status, detail = rows(import_venues(source, town))["node/1"]
    assert status == "unchanged" and "kept hand-edited: opening_hours" in detail
    assert by_osm(town, "node/1")["properties"]["opening_hours"] == "Tu-Su 10:00-16:00"
    report = import_venues(source, town, overwrite=["opening_hours"])
    assert rows(report)["node/1"][0] == "updated"
    assert by_osm(town, "node/1")["properties"]["opening_hours"] == "Mo-Su 09:00-17:00"


def test_dry_run_writes_nothing(town, tmp_path):
    before = {p.name: p.read_bytes() for p in town.iterdir()}
    report_csv = tmp_path / "report.csv"
    assert (
        main(
            ["import", str(OVERPASS), "--into", str(town), "--dry-run", "--report", str(report_csv)]
        )
        == 0
    )
    assert {p.name: p.read_bytes() for p in town.iterdir()} == before
    with report_csv.open(newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert {r["status"] for r in table} == {"new", "updated", "skipped"}
    assert next(r for r in table if r["source"] == "node/14")["detail"].startswith("no mapped")


def test_cli_prints_the_table_and_summary(town, capsys):
    assert main(["import", str(OVERPASS), "--into", str(town)]) == 0
    out = capsys.readouterr().out
    assert "overpass.geojson: 15 new, 1 updated, 0 unchanged, 5 skipped" in out
    assert "wrote" in out


def test_result_that_would_not_validate_writes_nothing(town, tmp_path):
    doc = json.loads(OVERPASS.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["phone"] = "call the mayor"  # validate refuses it
    source = tmp_path / "bad-phone.geojson"
    source.write_text(json.dumps(doc), encoding="utf-8")
    before = (town / "venues.geojson").read_bytes()
    with pytest.raises(DataError) as caught:
        import_venues(source, town)
    assert any(p.field == "phone" for p in caught.value.problems)
    assert (town / "venues.geojson").read_bytes() == before
    assert main(["import", str(source), "--into", str(town)]) == 1


def test_an_over_long_name_skips_that_feature_named_by_its_osm_id(town, tmp_path):
    doc = json.loads(OVERPASS.read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    ref = props.get("@id") or doc["features"][0]["id"]
    props["name"] = "x" * 300  # over [limits] name_max_chars (200)
    source = tmp_path / "long.geojson"
    source.write_text(json.dumps(doc), encoding="utf-8")
    report = import_venues(source, town)
    status, detail = rows(report)[ref]
    assert status == "skipped"
    assert "name is 300 characters; expected at most 200" in detail
    assert "[limits] name_max_chars" in detail
    assert report.written and report.counts()["new"] > 0  # the rest of the file is imported
    assert validate_folder(town) == []


def test_a_hand_edit_saved_during_the_check_is_not_overwritten(town, monkeypatch, capsys):
    path = town / "venues.geojson"
    edited = path.read_bytes().replace(b'"wheelchair": "no"', b'"wheelchair": "limited"')
    assert edited != path.read_bytes()
    check = checked_write.new_problems

    def edit_meanwhile(folder: Path, replacements: dict[str, bytes]) -> list[object]:
        found = check(folder, replacements)
        path.write_bytes(edited)  # the maintainer saves a hand edit while the copy is checked
        return found

    monkeypatch.setattr(checked_write, "new_problems", edit_meanwhile)
    with pytest.raises(checked_write.ChangedMeanwhileError, match="run the command again"):
        import_venues(OVERPASS, town)
    assert path.read_bytes() == edited
    path.write_bytes(edited.replace(b'"limited"', b'"no"', 1))
    assert main(["import", str(OVERPASS), "--into", str(town)]) == 1
    printed = capsys.readouterr()
    assert "venues.geojson:-:-: changed while the change" in printed.out + printed.err


def test_osm_xml_with_way_relation_and_cyrillic(second):
    report = import_venues(OSM_XML, second)
    found = rows(report)
    assert found["relation/3002"][0] == "skipped" and "type=site" in found["relation/3002"][1]
    assert found["node/1003"][0] == "skipped"
    assert "outside the study area" in found["node/1004"][1]
    assert "opening_hours 'понедељак 9-17' dropped" in found["node/1002"][1]
    gallery = by_osm(second, "node/1001")["properties"]
    assert gallery["name"] == "Галерија „Сунце“"  # Cyrillic stays Cyrillic
    assert gallery["name_sr"] == "Галерија „Сунце“" and gallery["name_en"] == "Sunce Gallery"
    theatre = by_osm(second, "way/2001")
    assert theatre["properties"]["wheelchair"] == "yes"
    assert theatre["geometry"]["coordinates"] == pytest.approx([21.5585, 43.7494])
    museum = by_osm(second, "relation/3001")
    assert museum["geometry"]["coordinates"] == pytest.approx([21.5625, 43.7524])
    assert museum["properties"]["address"] == "Главна 5"
    assert validate_folder(second) == []
    again = import_venues(OSM_XML, second)
    assert again.counts()["new"] == 0 and again.counts()["updated"] == 0


EXPECTED_WGS84 = [(18.7702, 42.4247), (18.6983, 42.4863)]
"""The Sea Gate (as ``tests/broken/crs_3908.geojson``) and Perast's waterfront."""


def test_csv_in_epsg_3908_lands_within_a_metre(town, tmp_path):
    source = tmp_path / "mgi.csv"
    source.write_text(
        "id,name,category,x,y\n"
        "mgi-one,Atelje Jedan,atelier,6563790.050,4698132.916\n"
        "mgi-two,Atelje Dva,atelier,6557814.078,4704923.348\n",
        encoding="utf-8",
    )
    assert main(["import", str(source), "--into", str(town), "--source-crs", "EPSG:3908"]) == 0
    found = venues(town)
    for vid, (lon, lat) in zip(("mgi-one", "mgi-two"), EXPECTED_WGS84, strict=True):
        got = found[vid]["geometry"]["coordinates"]
        assert GEOD.inv(lon, lat, got[0], got[1])[2] < 1.0, vid
    assert found["mgi-one"]["properties"]["source"] == "mgi.csv (mgi-one)"
    data = load_dataset(town, year=YEAR)
    assert {"mgi-one", "mgi-two"} <= set(data.venues["id"])


def test_csv_x_y_without_crs_names_the_flag(town, tmp_path, capsys):
    source = tmp_path / "xy.csv"
    source.write_text("name,category,x,y\nA,atelier,1,2\n", encoding="utf-8")
    assert main(["import", str(source), "--into", str(town)]) == 1
    assert "xy.csv" in capsys.readouterr().err


@pytest.mark.parametrize(("suffix", "driver"), [("gpkg", "GPKG"), ("shp", "ESRI Shapefile")])
def test_geopackage_and_shapefile_in_a_metric_crs(town, tmp_path, suffix, driver):
    frame = gpd.GeoDataFrame(
        {"name": ["Galerija Projekcija"], "category": ["gallery"]},
        geometry=[shapely.Point(EXPECTED_WGS84[0])],
        crs="EPSG:4326",
    ).to_crs("EPSG:32634")
    source = tmp_path / f"venues.{suffix}"
    frame.to_file(source, driver=driver)
    report = import_venues(source, town)
    assert report.counts()["new"] == 1
    got = venues(town)["galerija-projekcija"]["geometry"]["coordinates"]
    assert GEOD.inv(*EXPECTED_WGS84[0], got[0], got[1])[2] < 1.0


def test_geojson_with_a_legacy_crs_member(town, tmp_path):
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Merkator", "category": "creative-hub"},
                "geometry": {"type": "Point", "coordinates": [2089489.106, 5224811.28]},
            }
        ],
    }
    source = tmp_path / "mercator.geojson"
    source.write_text(json.dumps(doc), encoding="utf-8")
    import_venues(source, town)
    got = venues(town)["merkator"]["geometry"]["coordinates"]
    assert GEOD.inv(*EXPECTED_WGS84[0], got[0], got[1])[2] < 1.0


def test_unknown_overwrite_field_is_refused(town, capsys):
    assert main(["import", str(OVERPASS), "--into", str(town), "--overwrite", "colour"]) == 1
    assert "--overwrite" in capsys.readouterr().err


def test_overpass_out_center_xml(town):
    """Overpass XML with <center> (which libosmium refuses) is read too."""
    report = import_venues(FIXTURES / "overpass-center.osm", town)
    assert report.counts()["new"] == 3
    assert by_osm(town, "way/10")["geometry"]["coordinates"] == [18.7715, 42.4215]
    assert by_osm(town, "relation/20")["properties"]["category"] == "library"


def test_report_to_stdout(town, capsys):
    assert main(["import", str(OVERPASS), "--into", str(town), "--dry-run", "--report", "-"]) == 0
    out = capsys.readouterr().out
    assert "status,source,id,name,detail\r\n" in out


def test_ids_of_cyrillic_names_use_the_english_name_or_transliterate(second, tmp_path):
    import_venues(OSM_XML, second)
    assert by_osm(second, "node/1001")["properties"]["id"] == "sunce-gallery"  # name:en
    assert by_osm(second, "node/1002")["properties"]["id"] == "biblioteka"  # transliterated
    source = tmp_path / "mk.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"@id": f"node/{90 + i}", "amenity": "library", **tags},
            "geometry": {"type": "Point", "coordinates": [21.55 + i / 1000, 43.75]},
        }
        for i, tags in enumerate(
            [{"name": "Ѓорче Петров II"}, {"name": "ООУ 86", "name:en": "Primary School 86"}]
        )
    ]
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    import_venues(source, second)
    assert by_osm(second, "node/90")["properties"]["id"] == "gorche-petrov-ii"
    assert by_osm(second, "node/91")["properties"]["id"] == "primary-school-86"
    assert "name_en" not in by_osm(second, "node/90")["properties"]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_report_never_writes_over_a_file_of_the_data_folder(town, capsys, dry_run):
    before = {p.name: p.read_bytes() for p in town.iterdir()}
    for target in (town / "venues.geojson", town / "." / "categories.csv", OVERPASS):
        args = ["import", str(OVERPASS), "--into", str(town), "--report", str(target)]
        assert main(args + (["--dry-run"] if dry_run else [])) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"refusing --report {target}: it is ")
        assert "name " in err
    assert {p.name: p.read_bytes() for p in town.iterdir()} == before
