"""Section ``imports`` (issue 12): a 50,000-feature Overpass GeoJSON through our importer
and through plain ``geopandas.read_file``; the standalone HTML export."""

from __future__ import annotations

import multiprocessing as mp
import resource
import shutil
import tempfile
import time
from multiprocessing.queues import Queue
from pathlib import Path

import numpy as np
import orjson

from bench.common import DATA, median_time, ms
from mapping import synthetic
from mapping.io import Dataset, load_dataset

_OSM_TAGS = (
    ("tourism", "museum"),
    ("tourism", "gallery"),
    ("amenity", "theatre"),
    ("amenity", "arts_centre"),
    ("craft", "pottery"),
    ("shop", "art"),
    ("amenity", "library"),
    ("amenity", "cinema"),
    ("amenity", "restaurant"),
)

ImportFigures = tuple[float, float, str]
"""Seconds, peak RSS above the process after imports (MiB), and what was read."""


def overpass_geojson(n: int, bbox: tuple[float, float, float, float], seed: int = 3) -> bytes:
    """An Overpass-turbo-style GeoJSON of ``n`` elements (80 % nodes, 20 % way polygons),
    about 1 in 9 with an unmapped tag and 1 in 50 with unparsable opening_hours."""
    rng = np.random.default_rng(seed)
    west, south, east, north = bbox
    hours = synthetic.opening_hours_strings(rng, n)
    features = []
    for i in range(n):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        key, value = _OSM_TAGS[i % len(_OSM_TAGS)]
        kind = "way" if i % 5 == 0 else "node"
        props = {
            "@id": f"{kind}/{i + 1}",
            key: value,
            "name": f"Mjesto {i}",
            "name:en": f"Place {i}",
            "opening_hours": "call first" if i % 50 == 0 else str(hours[i]),
        }
        geometry: dict[str, object]
        if kind == "way":
            d = 0.0002
            geometry = {
                "type": "Polygon",
                "coordinates": [
                    [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
                ],
            }
        else:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        features.append(
            {"type": "Feature", "id": props["@id"], "properties": props, "geometry": geometry}
        )
    return orjson.dumps(
        {"type": "FeatureCollection", "generator": "overpass-turbo", "features": features}
    )


def _import_run(kind: str, source: str, folder: str, queue: Queue[ImportFigures]) -> None:
    """In a fresh process: one import (ours, or plain geopandas.read_file) and its peak."""
    import geopandas as gpd

    from mapping.imports import import_venues

    base_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if kind == "ours":
        report = import_venues(Path(source), Path(folder))
        detail = report.summary().split(": ", 1)[1]
    else:
        detail = f"{len(gpd.read_file(source))} rows read"
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base_mib
    queue.put((took, peak, detail))


def bench_imports() -> None:
    from mapping.exporting import export_bytes
    from mapping.settings import load_city

    print(
        "\n== Imports: 50,000-feature Overpass GeoJSON (fresh process each; peak RSS "
        "above the process after imports)"
    )
    city = load_city(DATA / "city.toml")
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "overpass.geojson"
        source.write_bytes(overpass_geojson(50_000, city.bbox))
        print(f"source: {source.stat().st_size / 1e6:.1f} MB")
        print(f"{'reader':<28} {'time':>12} {'peak':>10}  result")
        for kind, label in (("plain", "geopandas.read_file"), ("ours", "mapping import")):
            folder = Path(tmp) / f"town-{kind}"
            shutil.copytree(DATA, folder)
            queue: Queue[ImportFigures] = ctx.Queue()
            proc = ctx.Process(target=_import_run, args=(kind, str(source), str(folder), queue))
            proc.start()
            took, peak, detail = queue.get()
            proc.join()
            print(f"{label:<28} {ms(took):>12} {peak:>7.0f} MiB  {detail}")
        print("\n== Standalone HTML export (export --format html)")
        print(f"{'venues':>8} {'time':>12} {'size':>10}")
        for n in (len(load_dataset(DATA).venues), 10_000):
            folder = DATA if n < 1_000 else synthetic.write_folder(Path(tmp) / f"syn-{n}", DATA, n)
            data = load_dataset(folder)
            sizes: list[int] = []

            def export(data: Dataset = data, sizes: list[int] = sizes) -> None:
                sizes.append(len(export_bytes(data, "html", lang="en")[0]))

            took = median_time(export, 3)
            print(f"{len(data.venues):>8} {ms(took):>12} {sizes[-1] / 1e6:>7.2f} MB")
