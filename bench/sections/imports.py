"""Section ``imports`` (issue 12): a 50,000-feature Overpass GeoJSON through our importer
and through plain ``geopandas.read_file``; the standalone HTML export. Issue 24: the peak
memory of an hourly and a minutely RRULE without end, and re-syncing a 5,000-event
feed with 10 % changed."""

from __future__ import annotations

import multiprocessing as mp
import resource
import shutil
import tempfile
import time
from datetime import timedelta
from multiprocessing.queues import Queue
from pathlib import Path

import numpy as np
import orjson

from bench.common import DATA, median_time, ms
from mapping import clock, synthetic
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

FEED_EVENTS = 5_000
"""Events in the re-sync feed; a tenth of them change between the two imports."""

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

    bench_event_feeds()


def _ics(events: list[str]) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n{e}END:VEVENT\r\n" for e in events)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//feed//EN\r\n"
    return (head + body + "END:VCALENDAR\r\n").encode("utf-8")


def _rule_run(freq: str, folder: str, queue: Queue[ImportFigures]) -> None:
    """In a fresh process: one import of an endless ``freq`` rule begun in 2020; its
    time, tracemalloc peak (MiB) and the report's notes."""
    import tracemalloc

    from mapping.imports import import_events

    source = Path(folder) / f"{freq.lower()}.ics"
    source.write_bytes(
        _ics(
            [
                f"UID:{freq}@bench\r\nSUMMARY:{freq}\r\nDTSTART:20200101T000000Z\r\n"
                f"DTEND:20200101T000000Z\r\nRRULE:FREQ={freq}\r\n"
            ]
        )
    )
    venue = str(load_dataset(Path(folder)).venues["id"].iloc[0])
    tracemalloc.start()
    start = time.perf_counter()
    report = import_events(source, Path(folder), venue=venue, category="workshop", dry_run=True)
    took = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    queue.put((took, peak, report.summary().split(": ", 1)[1] + "; " + report.notes[-1]))


def _feed(n: int, changed: int) -> bytes:
    """``n`` single events from tomorrow on; the first ``changed`` retitled, the next
    ``changed`` moved a day, the next ``changed // 2`` left out (removed)."""
    first = clock.today("Europe/Podgorica")
    events = []
    for i in range(n):
        if changed and 2 * changed <= i < 2 * changed + changed // 2:
            continue
        moved = 1 if changed <= i < 2 * changed else 0
        day = first + timedelta(days=1 + i % 600 + moved)
        title = f"Event {i}" + (" (new title)" if i < changed else "")
        events.append(
            f"UID:e{i}@bench\r\nSUMMARY:{title}\r\nDTSTART:{day:%Y%m%d}T190000\r\n"
            f"DTEND:{day:%Y%m%d}T210000\r\n"
        )
    return _ics(events)


def bench_event_feeds() -> None:
    """Issue 24: endless fast rules stay within the window; re-syncing a large feed."""
    from mapping.imports import import_events

    print(
        "\n== Event feeds (issue 24): endless RRULE since 2020, dry run in a fresh process; "
        "tracemalloc peak (target: <= 50 MiB)"
    )
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'rule':<28} {'time':>12} {'peak':>10}  result")
        for freq in ("HOURLY", "MINUTELY"):
            folder = Path(tmp) / f"town-{freq}"
            shutil.copytree(DATA, folder)
            queue: Queue[ImportFigures] = ctx.Queue()
            proc = ctx.Process(target=_rule_run, args=(freq, str(folder), queue))
            proc.start()
            took, peak, detail = queue.get()
            proc.join()
            print(f"{'FREQ=' + freq:<28} {ms(took):>12} {peak:>7.1f} MiB  {detail}")
        folder = Path(tmp) / "town-feed"
        shutil.copytree(DATA, folder)
        venue = str(load_dataset(folder).venues["id"].iloc[0])
        source = Path(tmp) / "feed.ics"
        changed = FEED_EVENTS // 25  # retitled + moved + removed/2 = 10 % of the feed
        source.write_bytes(_feed(FEED_EVENTS, 0))
        start = time.perf_counter()
        first = import_events(source, folder, venue=venue, category="workshop")
        took_first = time.perf_counter() - start
        source.write_bytes(_feed(FEED_EVENTS, changed))
        start = time.perf_counter()
        again = import_events(source, folder, venue=venue, category="workshop")
        took = time.perf_counter() - start
        print(f"\n{'feed of 5,000 events':<28} {'time':>12}  result")
        print(f"{'first import':<28} {ms(took_first):>12}  {first.summary().split(': ', 1)[1]}")
        print(f"{'re-sync, 10 % changed':<28} {ms(took):>12}  {again.summary().split(': ', 1)[1]}")
