"""Section ``map`` (issue 3): Python -> the map's HTML, against naive folium and two floors."""

from __future__ import annotations

import tempfile
from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import folium
import geopandas as gpd
import orjson
import pandas as pd

from bench.common import DATA, SIZES, YEAR, median_time, ms
from mapping import render, synthetic
from mapping.io import load_dataset
from mapping.settings import CityProfile

CARD_FIELDS = [
    "id",
    "name",
    "name_en",
    "name_de",
    "category",
    "cluster",
    "location_precision",
    "description_me",
    "description_en",
    "description_de",
    "opening_hours",
    "address",
    "website",
    "phone",
    "email",
    "wheelchair",
]


def naive_map(venues: pd.DataFrame, categories: pd.DataFrame, city: CityProfile) -> str:
    """Baseline: one folium.Marker with a Popup per venue, per-category FeatureGroups."""
    m = folium.Map(location=city.map_center, zoom_start=city.map_zoom, tiles=None)
    groups = {}
    for cat in categories["id"]:
        groups[cat] = folium.FeatureGroup(name=cat).add_to(m)
    for lat, lon, name, category in zip(
        venues["lat"], venues["lon"], venues["name"], venues["category"], strict=True
    ):
        folium.Marker([float(lat), float(lon)], popup=folium.Popup(str(name))).add_to(
            groups[category]
        )
    folium.LayerControl().add_to(m)
    return str(m.get_root().render())


def feature_collection(venues: pd.DataFrame) -> dict[str, object]:
    """The same venues, with the fields a card shows, as a GeoJSON FeatureCollection."""
    props = venues[[c for c in CARD_FIELDS if c in venues.columns]]
    features = [
        {"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [x, y]}}
        for p, x, y in zip(props.to_dict("records"), venues["lon"], venues["lat"], strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def floor_payload(collection: dict[str, object]) -> bytes:
    """Floor: ``orjson.dumps`` of the already-built FeatureCollection (nothing else)."""
    return orjson.dumps(collection)


def built_floor_payload(venues: pd.DataFrame) -> bytes:
    """Floor including the frame -> FeatureCollection step."""
    return floor_payload(feature_collection(venues))


def bench_map() -> None:
    print("\n== Map build: Python -> HTML the page sends (render.build_map + render.map_html)")
    print("   input as the page gets it: synthetic folders read by load_dataset (enriched)")
    kotor = load_dataset(DATA)
    city, categories = kotor.city, kotor.categories
    when = datetime(YEAR, 7, 15, 11, 0, tzinfo=ZoneInfo(city.timezone))
    start = (42.4247, 18.7702, "Sea Gate")
    print(
        "   floor = orjson.dumps of a prebuilt FeatureCollection with the card's fields;"
        " floor+build also builds it from the frame"
    )
    print(
        f"{'venues':>8} {'ours':>10} {'naive folium':>13} {'floor':>10} {'floor+build':>12} "
        f"{'naive/ours':>11} {'ours/floor':>11} {'bytes/venue':>12}"
    )
    frames = [("kotor", kotor.venues)]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (100, *SIZES):
            folder = synthetic.write_folder(Path(tmp) / f"syn{n}", DATA, n)
            frames.append((str(n), load_dataset(folder).venues))
    for label, venues in frames:

        def ours(venues: gpd.GeoDataFrame = venues) -> str:
            return render.map_html(
                render.build_map(
                    venues, categories, city, "en", render.MapOptions(now=when, start=start)
                )
            )

        html = ours()
        ours_s = median_time(ours, 3 if len(venues) >= 10_000 else 5)
        naive_repeat = 1 if len(venues) >= 10_000 else 3
        naive_s = median_time(partial(naive_map, venues, categories, city), naive_repeat)
        floor_s = median_time(partial(floor_payload, feature_collection(venues)), 5)
        built_s = median_time(partial(built_floor_payload, venues), 3)
        per_venue = len(html.encode()) / len(venues)
        print(
            f"{label:>8} {ms(ours_s):>10} {ms(naive_s):>13} {ms(floor_s):>10} "
            f"{ms(built_s):>12} {naive_s / ours_s:>10.1f}x {ours_s / floor_s:>10.2f}x "
            f"{per_venue:>12.0f}"
        )
