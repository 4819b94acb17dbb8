"""Damaged data folders, and what "every command works" means for a folder.

Each damage is a function that edits a copy of a valid folder (``tests/fixtures/mini``)
in place. :data:`DAMAGED` break the folder: ``validate`` must exit 1 and name file,
record and field. :data:`EDGE_VALID` are unusual but fine: ``validate`` accepts them,
so :func:`exercise` (the loader, the CLI commands and the map) must run on them.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

from mapping import cli, explore
from mapping.distance import walk_model
from mapping.io import load_dataset
from mapping.render import MapOptions, build_map, build_payload, landmark_points, map_html

Damage = Callable[[Path], None]


# --------------------------------------------------------------------------- editing helpers


def _toml(folder: Path, old: str, new: str) -> None:
    path = folder / "city.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _geojson(folder: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    path = folder / name
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _venue(index: int, **props: Any) -> Damage:
    def damage(folder: Path) -> None:
        _geojson(
            folder, "venues.geojson", lambda doc: doc["features"][index]["properties"].update(props)
        )

    return damage


def _venue_geometry(index: int, geometry: Any) -> Damage:
    def damage(folder: Path) -> None:
        def edit(doc: dict[str, Any]) -> None:
            doc["features"][index]["geometry"] = geometry

        _geojson(folder, "venues.geojson", edit)

    return damage


def _event_cell(row: int, column: str, value: str) -> Damage:
    """Replace one cell of events.csv (``row`` counts data rows from 0)."""

    def damage(folder: Path) -> None:
        import csv

        path = folder / "events.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        rows[row + 1][rows[0].index(column)] = value
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)

    return damage


def _setting(old: str, new: str) -> Damage:
    return lambda folder: _toml(folder, old, new)


def _replace_file(name: str, content: bytes) -> Damage:
    return lambda folder: (folder / name).write_bytes(content)


def _directory(name: str) -> Damage:
    def damage(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return damage


def _drop_column(name: str, column: str) -> Damage:
    def damage(folder: Path) -> None:
        import csv

        path = folder / name
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        at = rows[0].index(column)
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([r[:at] + r[at + 1 :] for r in rows])

    return damage


def _place(index: int, **props: Any) -> Damage:
    def damage(folder: Path) -> None:
        _geojson(
            folder, "places.geojson", lambda doc: doc["features"][index]["properties"].update(props)
        )

    return damage


def _big_name(folder: Path) -> None:
    _venue(0, name="N" * 100_000)(folder)


# --------------------------------------------------------------------------- the corpus

DAMAGED: dict[str, tuple[Damage, str]] = {
    # name: (damage, the "file:record:field" prefix validate must print)
    # events.csv: dates outside pandas' range and other unreadable times
    "event year 1": (_event_cell(0, "start", "0001-01-01T10:00"), "events.csv:winter-show:start"),
    "event year 1677": (_event_cell(0, "start", "1677-01-01"), "events.csv:winter-show:start"),
    "event year 2262": (_event_cell(0, "end", "2262-06-01T10:00"), "events.csv:winter-show:end"),
    "event year 9999": (_event_cell(1, "start", "9999-12-31"), "events.csv:summer-fest:start"),
    "event month 13": (_event_cell(0, "start", "2026-13-01T10:00"), "events.csv:winter-show:start"),
    "event duplicate id": (_event_cell(1, "id", "winter-show"), "events.csv:winter-show:id"),
    "events missing column": (_drop_column("events.csv", "venue_id"), "events.csv:header:venue_id"),
    "events not utf-8": (_replace_file("events.csv", b"id,title\n\xff\xfe,x\n"), "events.csv:-:-"),
    "events is a folder": (_directory("events.csv"), "events.csv:-:-"),
    # city.toml: types and values
    "unknown timezone": (
        _setting('"Europe/Podgorica"', '"Mars/Olympus"'),
        "city.toml:city:timezone",
    ),
    "timezone not text": (_setting('"Europe/Podgorica"', "5"), "city.toml:city:timezone"),
    "bbox three numbers": (
        _setting("bbox = [18.50, 42.25, 18.90, 42.58]", "bbox = [18.50, 42.25, 18.90]"),
        "city.toml:city:bbox",
    ),
    "bbox text": (
        _setting("bbox = [18.50, 42.25, 18.90, 42.58]", 'bbox = "kotor"'),
        "city.toml:city:bbox",
    ),
    "bbox strings": (
        _setting("bbox = [18.50, 42.25, 18.90, 42.58]", 'bbox = ["a", "b", "c", "d"]'),
        "city.toml:city:bbox",
    ),
    "bbox nan": (
        _setting("bbox = [18.50, 42.25, 18.90, 42.58]", "bbox = [nan, 42.25, 18.90, 42.58]"),
        "city.toml:city:bbox",
    ),
    "zoom text": (_setting("zoom = 14", 'zoom = "14"'), "city.toml:map:zoom"),
    "zoom float": (_setting("zoom = 14", "zoom = 14.5"), "city.toml:map:zoom"),
    "short centre": (
        _setting("center = [42.4247, 18.7712]", "center = [42.4247]"),
        "city.toml:map:center",
    ),
    "centre outside area": (
        _setting("center = [42.4247, 18.7712]", "center = [10.0, 10.0]"),
        "city.toml:map:center",
    ),
    "city.toml not utf-8": (
        _replace_file("city.toml", b'[city]\nname = "\xff"\n'),
        "city.toml:-:-",
    ),
    "city.toml is a folder": (_directory("city.toml"), "city.toml:-:-"),
    "walking speed nan": (
        _setting("speed_kmh = 4.5", "speed_kmh = nan"),
        "city.toml:walking:speed_kmh",
    ),
    "walking speed inf": (
        _setting("speed_kmh = 4.5", "speed_kmh = inf"),
        "city.toml:walking:speed_kmh",
    ),
    "walking speed zero": (
        _setting("speed_kmh = 4.5", "speed_kmh = 0"),
        "city.toml:walking:speed_kmh",
    ),
    "detour below one": (
        _setting("detour_factor = 1.3", "detour_factor = 0.5"),
        "city.toml:walking:detour_factor",
    ),
    "unknown metric crs": (_setting('"EPSG:32634"', '"EPSG:999999"'), "city.toml:city:metric_crs"),
    "geographic metric crs": (_setting('"EPSG:32634"', '"EPSG:4326"'), "city.toml:city:metric_crs"),
    "language without catalogue": (
        _setting('["me", "en"]', '["me", "en", "xx"]'),
        "city.toml:city:languages",
    ),
    "default language not listed": (
        _setting('default_language = "me"', 'default_language = "en-x"'),
        "city.toml:city:default_language",
    ),
    "default start unknown": (
        _setting('default_start = "gate"', 'default_start = "nowhere"'),
        "city.toml:city:default_start",
    ),
    "default start is a settlement": (
        _setting('default_start = "gate"', 'default_start = "oldtown"'),
        "city.toml:city:default_start",
    ),
    "no landmark left": (
        lambda f: (_place(0, kind="settlement")(f), _place(1, kind="settlement")(f)),
        "city.toml:city:default_start",
    ),
    "tile url http": (
        _setting(
            '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"',
            '"http://tile.example.org/{z}/{x}/{y}.png"',
        ),
        "city.toml:tiles:url",
    ),
    "tile url javascript": (
        _setting(
            '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"', '"javascript:alert(1)//{z}{x}{y}"'
        ),
        "city.toml:tiles:url",
    ),
    "tile url no y": (
        _setting(
            '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"',
            '"https://tile.openstreetmap.org/{z}/{x}.png"',
        ),
        "city.toml:tiles:url",
    ),
    "tile url quote": (
        _setting(
            '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"',
            "'https://tile.example.org/{z}/{x}/{y}.png\" onerror=\"x'",
        ),
        "city.toml:tiles:url",
    ),
    "attribution onerror": (
        _setting('"&copy; OpenStreetMap contributors"', "'<img src=x onerror=alert(1)>'"),
        "city.toml:tiles:attribution",
    ),
    "attribution javascript link": (
        _setting(
            '"&copy; OpenStreetMap contributors"', "'<a href=\"javascript:alert(1)\">OSM</a>'"
        ),
        "city.toml:tiles:attribution",
    ),
    "attribution script": (
        _setting('"&copy; OpenStreetMap contributors"', "'<script>alert(1)</script>'"),
        "city.toml:tiles:attribution",
    ),
    "attribution link with handler": (
        _setting(
            '"&copy; OpenStreetMap contributors"',
            '\'<a href="https://osm.org" onmouseover="alert(1)">OSM</a>\'',
        ),
        "city.toml:tiles:attribution",
    ),
    # venues.geojson
    "venues is a folder": (_directory("venues.geojson"), "venues.geojson:-:-"),
    "venues not utf-8": (
        _replace_file("venues.geojson", b'{"type": "\xff"}'),
        "venues.geojson:-:-",
    ),
    "venues not a collection": (_replace_file("venues.geojson", b"[]"), "venues.geojson:-:type"),
    "venue null geometry": (_venue_geometry(1, None), "venues.geojson:atelier-seasonal:geometry"),
    "venue latitude 1e302": (
        _venue_geometry(1, {"type": "Point", "coordinates": [18.7, 1.8e302]}),
        "venues.geojson:atelier-seasonal:geometry",
    ),
    "venue longitude 200": (
        _venue_geometry(1, {"type": "Point", "coordinates": [200, 42.4]}),
        "venues.geojson:atelier-seasonal:geometry",
    ),
    "venue polygon": (
        _venue_geometry(
            1,
            {
                "type": "Polygon",
                "coordinates": [[[18.7, 42.4], [18.71, 42.4], [18.71, 42.41], [18.7, 42.4]]],
            },
        ),
        "venues.geojson:atelier-seasonal:geometry",
    ),
    "venue string coordinates": (
        _venue_geometry(1, {"type": "Point", "coordinates": ["18.7", "42.4"]}),
        "venues.geojson:atelier-seasonal:geometry",
    ),
    "venue duplicate id": (_venue(1, id="gal-durkovic"), "venues.geojson:gal-durkovic:id"),
    "venue id a number": (_venue(1, id=7), "venues.geojson:row 2:id"),
    "venue name a list": (_venue(1, name=["a", "b"]), "venues.geojson:atelier-seasonal:name"),
    "venue name an object": (_venue(1, name={"a": 1}), "venues.geojson:atelier-seasonal:name"),
    "venue name too long": (_big_name, "venues.geojson:gal-durkovic:name"),
    "venue description too long": (
        _venue(0, description_en="d" * 30_000),
        "venues.geojson:gal-durkovic:description_en",
    ),
    "venue hours a number": (
        _venue(1, opening_hours=9),
        "venues.geojson:atelier-seasonal:opening_hours",
    ),
    # places.geojson
    "places is a folder": (_directory("places.geojson"), "places.geojson:-:-"),
    "place null geometry": (
        lambda f: _geojson(
            f, "places.geojson", lambda d: d["features"][0].__setitem__("geometry", None)
        ),
        "places.geojson:gate:geometry",
    ),
    "place duplicate id": (_place(1, id="gate"), "places.geojson:gate:id"),
    # issue 25: live edits the loader accepted while validate refused them
    "places without features": (
        lambda f: _geojson(f, "places.geojson", lambda d: d.__setitem__("features", [])),
        "city.toml:city:default_start",
    ),
    "default start removed from places": (
        lambda f: _geojson(
            f, "places.geojson", lambda d: d.__setitem__("features", d["features"][1:])
        ),
        "city.toml:city:default_start",
    ),
    "venue unknown category": (
        _venue(0, category="nowhere"),
        "venues.geojson:gal-durkovic:category",
    ),
    "venue bad hours": (
        _venue(0, opening_hours="Mo-Fr 25:00-26:00"),
        "venues.geojson:gal-durkovic:opening_hours",
    ),
    "event unknown venue": (_event_cell(0, "venue_id", "nowhere"), "events.csv:winter-show:"),
    "event end before start": (
        _event_cell(0, "end", "2026-11-01T10:00"),
        "events.csv:winter-show:end",
    ),
    # tables
    "categories missing colour": (_drop_column("categories.csv", "colour"), "categories.csv:"),
    "categories missing id": (_drop_column("categories.csv", "id"), "categories.csv:header:id"),
    "categories not utf-8": (
        _replace_file("categories.csv", b"id,label_me\n\xff,x\n"),
        "categories.csv:-:-",
    ),
    "categories is a folder": (_directory("categories.csv"), "categories.csv:-:-"),
    "categories empty": (_replace_file("categories.csv", b""), "categories.csv:-:-"),
    "event categories missing id": (
        _drop_column("event_categories.csv", "id"),
        "event_categories.csv:",
    ),
    "event categories is a folder": (
        _directory("event_categories.csv"),
        "event_categories.csv:-:-",
    ),
}


def _every_venue(**props: Any) -> Damage:
    def damage(folder: Path) -> None:
        _geojson(
            folder,
            "venues.geojson",
            lambda doc: [f["properties"].update(props) for f in doc["features"]],
        )

    return damage


EDGE_VALID: dict[str, Damage] = {
    "unchanged": lambda folder: None,
    "no venue has a website, phone, email or check date": _every_venue(
        website=None, phone=None, email=None, checked=None
    ),
    "no events": _replace_file(
        "events.csv",
        (
            b"id,title,category,venue_id,start,end,dates_confirmed,recurrence,price,free,url,"
            b"organiser,source\n"
        ),
    ),
    "event year 1678": _event_cell(0, "start", "1900-01-01T10:00"),
    "event year 2199": _event_cell(0, "end", "2199-12-31T23:59"),
    "tile url localhost": _setting(
        '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"',
        '"http://localhost:8080/{z}/{x}/{y}.png"',
    ),
    "tile url 127.0.0.1": _setting(
        '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"',
        '"http://127.0.0.1/tiles/{z}/{x}/{y}.png?s={s}"',
    ),
    "attribution with link": _setting(
        '"&copy; OpenStreetMap contributors"',
        "'&copy; <a href=\"https://www.openstreetmap.org/copyright\">OSM</a> & co'",
    ),
    "control characters in text": _venue(
        1, name="Muzej\x1b[31m mora\x07", description_en="tab\there"
    ),
    "name with markup": _venue(1, name="<img src=x onerror=alert(1)> ${x} `"),
    "long but allowed name": _venue(0, name="N" * 200),
    "other metric crs": _setting('"EPSG:32634"', '"EPSG:3857"'),
    "walking slow": _setting("speed_kmh = 4.5", "speed_kmh = 0.5"),
    "zoom 0": _setting("zoom = 14", "zoom = 0"),
    "default start second landmark": _setting(
        'default_start = "gate"', 'default_start = "perast-shore"'
    ),
    "unicode everywhere": _venue(0, name="Ђурковић 🎨 \u202ertl", address="Stari grad 1 \u200b"),
}


def make(base: Path, target: Path, damage: Damage) -> Path:
    """A copy of ``base`` at ``target`` with ``damage`` applied."""
    shutil.copytree(base, target)
    damage(target)
    return target


# --------------------------------------------------------------------------- every command


PROBLEM_LINE = re.compile(r"^[^:\s]+:[^:]*:[^:]*: .+")


def run_cli(*argv: str) -> tuple[int, str]:
    out = StringIO()
    with redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


def exercise(folder: Path, tmp: Path) -> None:
    """Everything a visitor or the maintainer can do on ``folder``; raises on any fault."""
    for fmt in ("csv", "geojson"):
        code, _ = run_cli("export", str(folder), "--format", fmt, "--out", str(tmp / f"v.{fmt}"))
        assert code == 0, fmt
    for fmt in ("table", "ics", "csv"):
        code, _ = run_cli(
            "events",
            str(folder),
            "--from",
            "1900-01-01",
            "--to",
            "2200-12-31",
            "--format",
            fmt,
            "--out",
            str(tmp / f"e.{fmt}"),
        )
        assert code == 0, fmt
    dataset = load_dataset(folder)
    city = dataset.city
    for lang in city.languages:
        code, _ = run_cli("info", str(folder), "--lang", lang)
        assert code == 0, lang
        marks = explore.landmarks(dataset.places, lang, city.languages)
        assert city.default_start in marks.index
        start = explore.start_point(city.default_start, "", marks, "")
        minutes = walk_model(dataset).minutes((start[0], start[1]), dataset.venues)
        assert bool(minutes.notna().all())
        options = MapOptions(
            now=datetime(2026, 7, 1, 10, tzinfo=UTC),
            start=start,
            landmarks=landmark_points(dataset.places, lang, city.languages),
        )
        build_payload(dataset.venues, dataset.categories, city, lang, options)
        map_html(build_map(dataset.venues, dataset.categories, city, lang, options))
