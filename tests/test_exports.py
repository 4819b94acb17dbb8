"""Exports stay exact and safe: hostile text (CR, NUL, ESC, bidi marks, surrounding
whitespace…) through the venue CSV/GeoJSON, the events CSV, the .ics and the terminal.

What each output promises (README "Exports"):

- the loader trims surrounding whitespace from text fields (the one normalisation);
- CSV and GeoJSON then carry every value byte-exact (CSV: RFC 4180, CRLF);
- iCalendar removes control characters and turns line breaks into spaces (one-line
  fields) or ``\\n`` (DESCRIPTION) — :func:`mapping.calendar.ics_text`;
- terminal text shows control characters as escapes (:func:`mapping.text.terminal_text`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import warnings
from pathlib import Path

import geopandas as gpd
import icalendar
import ics
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapping import cited
from mapping.calendar import ics_text
from mapping.cli import main
from mapping.errors import DataError
from mapping.geodata import read_geodata
from mapping.imports import import_venues
from mapping.io import load_dataset
from mapping.text import terminal_text
from mapping.validate import validate_folder

HOSTILE = [
    "Bare\rCR",
    "Line\nfeed and CR\r\nLF",
    "NUL\x00byte",
    "ESC\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "BEL\x07 DEL\x7f C1-CSI\x9b2J",
    "bidi \u202eevil\u202c \u200fRLM\u200e \u2066iso\u2069",
    "  surrounding spaces\t ",
    'quote " and , comma; semicolon\\backslash',
    "Đurković — 日本 🎭 \u2028LS\u2029PS",
    '=HYPERLINK("x")',
]
"""Names and titles that broke or dirtied an output; the loader strips only their ends."""

CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile(mini_copy: Path) -> Path:
    """The mini folder with one venue and one event per hostile text."""
    doc = json.loads((mini_copy / "venues.geojson").read_text(encoding="utf-8"))
    template = doc["features"][0]
    features = []
    for k, text in enumerate(HOSTILE):
        feature = json.loads(json.dumps(template))
        props = feature["properties"]
        props.update(id=f"v{k}", name=text, name_en=text, description_en=text, address=text)
        features.append(feature)
    doc["features"] = features
    (mini_copy / "venues.geojson").write_text(json.dumps(doc), encoding="utf-8")
    header = [
        "id",
        "title",
        "title_en",
        "description_en",
        "category",
        "venue_id",
        "start",
        "end",
        "dates_confirmed",
        "organiser",
        "source",
    ]
    with (mini_copy / "events.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for k, text in enumerate(HOSTILE):
            writer.writerow(
                [
                    f"e{k}",
                    text,
                    text,
                    text,
                    "exhibition",
                    f"v{k}",
                    f"2026-12-{k + 1:02d}T18:00",
                    f"2026-12-{k + 1:02d}T20:00",
                    "true",
                    text,
                    "test",
                ]
            )
    return mini_copy


def _loaded(text: str) -> str:
    return text.strip()


def test_loader_keeps_text_but_for_surrounding_whitespace(hostile: Path):
    dataset = load_dataset(hostile, year=2026)
    assert list(dataset.venues["name"]) == [_loaded(t) for t in HOSTILE]
    assert list(dataset.events["title"]) == [_loaded(t) for t in HOSTILE]  # CR stays CR


def _spreadsheet_safe(text: str) -> str:
    """What a CSV export shows a spreadsheet: formula-leading text behind an apostrophe."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r", "\0")) else text


def test_venue_csv_round_trips_exactly(hostile: Path, tmp_path: Path):
    out = tmp_path / "venues.csv"
    assert main(["export", str(hostile), "--format", "csv", "--raw-csv", "--out", str(out)]) == 0
    data = out.read_bytes()
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = [_loaded(t) for t in HOSTILE]
    assert [r["name"] for r in rows] == expected
    assert [r["address"] for r in rows] == expected
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["name"]) == expected and list(frame["description_en"]) == expected
    # written again from what was read: the same bytes
    again = io.StringIO(newline="")
    writer = csv.writer(again, lineterminator="\r\n")
    writer.writerow(rows[0].keys())
    writer.writerows(r.values() for r in rows)
    assert again.getvalue().encode("utf-8") == data


@pytest.mark.parametrize("command", ["export", "events"])
def test_csv_without_raw_is_safe_to_open_in_a_spreadsheet(
    hostile: Path, tmp_path: Path, command: str
):
    """OWASP's CSV injection: no cell of a default CSV starts a formula; the apostrophe
    is the only change, and text that starts harmlessly is untouched."""
    out = tmp_path / "out.csv"
    span = ["--from", "2026-12-01", "--to", "2026-12-31"] if command == "events" else []
    assert main([command, str(hostile), *span, "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    field = "name" if command == "export" else "title"
    assert [r[field] for r in rows] == [_spreadsheet_safe(_loaded(t)) for t in HOSTILE]
    assert '\'=HYPERLINK("x")' in [r[field] for r in rows]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_venue_geojson_round_trips_exactly(hostile: Path, tmp_path: Path):
    out = tmp_path / "venues.geojson"
    assert main(["export", str(hostile), "--format", "geojson", "--out", str(out)]) == 0
    doc = json.loads(out.read_bytes())
    assert [f["properties"]["name"] for f in doc["features"]] == [_loaded(t) for t in HOSTILE]
    reloaded = load_dataset(hostile, year=2026)  # and the export loads as a venue file
    (hostile / "venues.geojson").write_bytes(out.read_bytes())
    assert list(load_dataset(hostile, year=2026).venues["name"]) == list(reloaded.venues["name"])


def test_events_csv_round_trips_exactly(hostile: Path, tmp_path: Path):
    out = tmp_path / "events.csv"
    assert (
        main(
            [
                "events",
                str(hostile),
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "--format",
                "csv",
                "--raw-csv",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = [_loaded(t) for t in HOSTILE]
    assert [r["title"] for r in rows] == expected
    assert [r["organiser"] for r in rows] == expected
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["title"]) == expected and list(frame["description"]) == expected


def _ics(hostile: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "events.ics"
    assert (
        main(
            [
                "events",
                str(hostile),
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "--format",
                "ics",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out.read_bytes()


def test_ics_has_no_control_characters(hostile: Path, tmp_path: Path):
    text = _ics(hostile, tmp_path).decode("utf-8")
    assert text.endswith("\r\n")
    assert not CONTROLS.search(text.replace("\r\n", "")), "RFC 5545 forbids CONTROL in TEXT"


def test_ics_parses_with_two_parsers_and_keeps_the_text(hostile: Path, tmp_path: Path):
    data = _ics(hostile, tmp_path)
    summaries = [ics_text(_loaded(t)) for t in HOSTILE]
    cal = icalendar.Calendar.from_ical(data)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == summaries
    assert [str(e["location"]) for e in events] == [f"{s}, {s}" for s in summaries]
    assert all(
        str(e["description"]).startswith(ics_text(_loaded(t), multiline=True))
        for e, t in zip(events, HOSTILE, strict=True)
    )
    second = sorted(ics.Calendar(data.decode("utf-8")).events, key=lambda e: e.begin)
    assert [e.name for e in second] == summaries
    assert [e.location for e in second] == [f"{s}, {s}" for s in summaries]


def test_ics_text_rules():
    assert ics_text("a\rb\r\nc\nd\x0be\u2028f") == "a b c d e f"
    assert ics_text("a\rb\r\nc", multiline=True) == "a\nb\nc"
    assert ics_text("x\x00\x07\x1b[2J\x7f\x9b\ty") == "x[2J\ty"
    assert ics_text("\u202eRLO \u200f \u2066") == "\u202eRLO \u200f \u2066"  # bidi stays
    assert ics_text("lone \ud800 surrogate") == "lone  surrogate"


def test_terminal_text_shows_controls():
    assert terminal_text("a\x1b[31mb\x07\x00\x9b\r") == "a\\x1b[31mb\\x07\\x00\\x9b\\r"
    assert terminal_text("line\nnext") == "line\nnext"
    assert terminal_text("cell\nnext", keep_newlines=False) == "cell\\nnext"
    assert terminal_text("\u202eevil\u2066 \u2028") == "\\u202eevil\\u2066 \\u2028"
    assert terminal_text("Đurković 日本 🎭\tx") == "Đurković 日本 🎭\\tx"


def test_events_table_shows_control_characters(hostile: Path, capsys):
    assert (
        main(["events", str(hostile), "--from", "2026-12-01", "--to", "2026-12-31", "--lang", "en"])
        == 0
    )
    out = capsys.readouterr().out
    assert not CONTROLS.search(out.replace("\n", ""))
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", out)
    assert "ESC\\x1b[31mred" in out and "Bare\\rCR" in out and "NUL\\x00byte" in out
    lines = [line for line in out.splitlines() if line]
    assert len(lines) == 2 + len(HOSTILE)  # header, rule, one row each: no split rows


def test_info_and_problems_show_control_characters(hostile: Path, capsys):
    categories = hostile / "categories.csv"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace("Galleries", "Gal\x1b[2Jleries"),
        encoding="utf-8",
    )
    assert main(["info", str(hostile), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Gal\\x1b[2Jleries" in out


# --------------------------------------------------------------------------- GIS round trips
# export → GeoJSON / CSV / GeoPackage / Shapefile (written by geopandas from the export) →
# import into an empty town gives back every field of the data model (issue 24 item 6).

GIS_FORMATS = ("geojson", "csv", "gpkg", "shp")
DATA = Path(__file__).resolve().parents[1] / "data"
MINI = Path(__file__).parent / "fixtures" / "mini"


def _exported(folder: Path, fmt: str, out: Path) -> Path:
    """The folder's venues exported, then written by geopandas in ``fmt``."""
    out.mkdir(exist_ok=True)
    geojson = out / "export.geojson"
    assert main(["export", str(folder), "--format", "geojson", "--out", str(geojson)]) == 0
    if fmt == "geojson":
        return geojson
    if fmt == "csv":
        target = out / "export.csv"
        assert main(["export", str(folder), "--format", "csv", "--out", str(target)]) == 0
        return target
    target = out / f"export.{fmt}"
    with warnings.catch_warnings():  # GDAL warns when a Shapefile cuts names and values
        warnings.simplefilter("ignore")
        gpd.read_file(geojson).to_file(target)
    return target


def _empty_town(source: Path, target: Path) -> Path:
    """``source`` without venues and events: a town before its first import."""
    shutil.copytree(source, target)
    (target / "venues.geojson").write_text('{"type": "FeatureCollection", "features": []}\n')
    header = (source / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    (target / "events.csv").write_text(header + "\n", encoding="utf-8")
    return target


def _records(folder: Path) -> dict[str, tuple[dict[str, object], list[float]]]:
    """Each venue's non-empty properties (``imported`` aside: the import recomputes it)
    and its point; an old-form ``cited_coordinates`` as the two numbers it is read as."""
    doc = json.loads((folder / "venues.geojson").read_text(encoding="utf-8"))
    cited.convert_document(doc)
    return {
        f["properties"]["id"]: (
            {k: v for k, v in f["properties"].items() if v not in ("", None) and k != "imported"},
            f["geometry"]["coordinates"],
        )
        for f in doc["features"]
    }


def _round_trip(folder: Path, fmt: str, tmp: Path) -> Path:
    source = _exported(folder, fmt, tmp / "out")
    town = _empty_town(folder, tmp / f"town-{fmt}")
    report = import_venues(source, town)
    assert report.counts()["skipped"] == 0, report.table()
    assert validate_folder(town) == []
    return town


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_the_towns_venues_survive_export_gis_file_and_import(tmp_path, fmt):
    town = _round_trip(DATA, fmt, tmp_path)
    assert _records(town) == _records(DATA)


def test_a_shapefile_that_cut_ambiguous_names_is_refused_with_the_reason(tmp_path, capsys):
    source = _exported(DATA, "shp", tmp_path / "out")
    town = _empty_town(DATA, tmp_path / "town")
    before = (town / "venues.geojson").read_bytes()
    assert main(["import", str(source), "--into", str(town)]) == 1
    err = capsys.readouterr().err
    assert (
        "export.shp:-:descriptio: Shapefile column 'descriptio' could be description_me or "
        "description_en or description_de (a Shapefile cuts names to 10 characters)"
    ) in err
    assert "export as GeoPackage, GeoJSON or CSV" in err
    assert "value(s) of 254 bytes, the most a Shapefile text field holds" in err  # cut text
    assert (town / "venues.geojson").read_bytes() == before


def test_a_shapefile_s_cut_names_are_mapped_back(tmp_path):
    """Without descriptions nothing is ambiguous: location_p, opening_ho, cluster_so,
    cited_coor, hours_chec… come back as their fields."""
    folder = _empty_town(MINI, tmp_path / "source")
    record = {
        "id": "atelje-jedan",
        "name": "Atelje Jedan",
        "name_en": "Studio One",
        "category": "atelier",
        "source": "https://example.org/atelje",
        "location_precision": "approximate",
        "opening_hours": "Mo-Fr 09:00-17:00",
        "visit": "appointment",
        "boat_only": True,
        "cluster": "prospective",
        "cluster_source": "https://example.org/cluster",
        "cluster_year": 2018,
        "org_type": "artist",
        "cited_coordinates": [18.7702, 42.4247],
        "cited_source": "https://example.org/map",
        "hours_source": "https://example.org/hours",
        "hours_checked": "2026-05-01",
        "checked": "2026-05-02",
        "tags": "ceramics;workshop",
        "osm_id": "node/42",
    }
    feature = {
        "type": "Feature",
        "properties": record,
        "geometry": {"type": "Point", "coordinates": [18.7703, 42.4247]},
    }
    (folder / "venues.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8"
    )
    source = _exported(folder, "shp", tmp_path / "out")
    town = _empty_town(MINI, tmp_path / "town")
    report = import_venues(source, town)
    assert any("'descriptio'" in note and "is empty: ignored" in note for note in report.notes)
    assert _records(town) == _records(folder)


def test_a_column_the_import_cannot_place_is_named_in_the_report(tmp_path, capsys):
    source = tmp_path / "extra.csv"
    source.write_text(
        "id,name,category,source,location_precision,lon,lat,name_fr,colour_of_door\n"
        "a-one,A one,atelier,fixture,exact,18.7702,42.4247,Un,blue\n",
        encoding="utf-8",
    )
    town = _empty_town(MINI, tmp_path / "town")
    assert main(["import", str(source), "--into", str(town), "--report", "-"]) == 0
    out = capsys.readouterr().out
    assert "note: column(s) name_fr, colour_of_door not imported: not a venue field" in out
    assert 'note,extra.csv,,,"column(s) name_fr, colour_of_door not imported' in out


_TEXT = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_OPTIONAL = st.one_of(st.just(""), _TEXT)
_ANY_BUT_NUL = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


@st.composite
def _venue(draw: st.DrawFn, number: int) -> dict[str, object]:
    """One valid venue with a random choice of every data-model field."""
    # > 150 m apart; 6 decimals, as the import keeps points to 1e-7 degree
    lon = round(18.55 + number * 0.01 + draw(st.integers(0, 999)) / 1e6, 6)
    lat = round(42.30 + draw(st.integers(0, 99_999)) / 1e6, 6)
    cluster = draw(st.sampled_from(["", "member", "prospective"]))
    props: dict[str, object] = {
        "id": f"v-{number}",
        "name": draw(_TEXT),
        "name_en": draw(_OPTIONAL),
        "category": draw(st.sampled_from(["atelier", "gallery", "museum"])),
        "source": draw(_TEXT),
        "location_precision": draw(st.sampled_from(["exact", "approximate"])),
        # any text, surrounding whitespace trimmed (the loader's one normalisation); no NUL,
        # which GDAL (GeoPackage, Shapefile) cannot store: it ends a C string
        "description_me": draw(st.text(_ANY_BUT_NUL, max_size=300).map(str.strip)),
        "description_en": draw(_OPTIONAL),
        "opening_hours": draw(st.sampled_from(["", "Mo-Fr 09:00-17:00", "24/7"])),
        "address": draw(_OPTIONAL),
        "wheelchair": draw(st.sampled_from(["", "yes", "limited", "no"])),
        "org_type": draw(st.sampled_from(["", "company", "ngo", "artist"])),
        "visit": draw(st.sampled_from(["", "yes", "appointment", "no"])),
        "boat_only": draw(st.booleans()),
        "cluster": cluster,
        "cluster_source": draw(_TEXT) if cluster else "",
        "cluster_year": draw(st.integers(1901, 2199)) if cluster else None,
        "cited_coordinates": draw(st.sampled_from([None, [lon, lat]])),
        "cited_source": draw(_OPTIONAL),
        "hours_source": draw(_OPTIONAL),
        "hours_checked": draw(st.sampled_from(["", "2026-01-31"])),
        "checked": draw(st.sampled_from(["", "2025-12-01"])),
        "tags": draw(st.sampled_from(["", "a", "a;b-c"])),
        "languages": draw(st.sampled_from(["", "me;en"])),
    }
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    features=st.integers(1, 3).flatmap(lambda n: st.tuples(*(_venue(i) for i in range(n)))),
    fmt=st.sampled_from(GIS_FORMATS),
)
def test_any_dataset_survives_every_gis_round_trip(tmp_path_factory, features, fmt):
    tmp = tmp_path_factory.mktemp("round")
    folder = _empty_town(MINI, tmp / "source")
    doc = {"type": "FeatureCollection", "features": list(features)}
    (folder / "venues.geojson").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert validate_folder(folder) == []
    source = _exported(folder, fmt, tmp / "out")
    town = _empty_town(MINI, tmp / "town")
    cut = fmt == "shp" and any(
        f["properties"]["description_me"] or f["properties"]["description_en"] for f in features
    )
    long_value = any(
        len(str(v).encode("utf-8")) >= 254 for f in features for v in f["properties"].values()
    )
    if fmt == "shp" and (cut or long_value):  # only a Shapefile, only for what it cut
        with pytest.raises(DataError) as refused:
            import_venues(source, town)
        assert all("Shapefile" in p.message for p in refused.value.problems)
        return
    import_venues(source, town)
    assert _records(town) == _records(folder)


def test_a_default_csv_export_reads_back_as_stored(hostile: Path, tmp_path: Path):
    """The apostrophe guard is undone when our CSV is read for an import."""
    out = tmp_path / "venues.csv"
    assert main(["export", str(hostile), "--format", "csv", "--out", str(out)]) == 0
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8")
    frame = read_geodata(out)
    assert list(frame["name"]) == [_loaded(t) for t in HOSTILE]
