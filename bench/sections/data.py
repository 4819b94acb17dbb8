"""Section ``data`` (issue 2): load + validate + enrich, a typical query, peak memory."""

from __future__ import annotations

import multiprocessing as mp
import resource
import tempfile
import time
from datetime import datetime
from multiprocessing.queues import Queue
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import DATA, SIZES, YEAR, median_time, ms
from mapping import synthetic
from mapping.distance import walk_model
from mapping.io import load_dataset
from mapping.query import VenueFilter, apply_filter, nearest
from mapping.validate import validate_folder

DataFigures = tuple[int, int, float, float, float, float]
"""Venues, problems, load seconds, query seconds, RSS after imports and peak RSS (MiB)."""


def _data_run(folder: str, queue: Queue[DataFigures]) -> None:
    """In a fresh process: load+validate+enrich time, a typical query, peak memory."""
    base_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # after imports
    start = time.perf_counter()
    problems = validate_folder(folder)
    data = load_dataset(folder)
    load_s = time.perf_counter() - start
    tz = data.city.timezone
    when = datetime(YEAR, 1, 10, 11, 0, tzinfo=ZoneInfo(tz))
    cats = tuple(data.categories["id"][:4])
    model = walk_model(data)

    def query() -> None:
        shown = apply_filter(
            data.venues,
            VenueFilter(categories=cats, text="gal", open_at=when),
            tz,
            data.city.country,
        )
        nearest(shown, (42.4247, 18.7702), model)

    query_s = median_time(query, 7)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((len(data.venues), len(problems), load_s, query_s, base_mib, peak_mib))


def bench_data() -> None:
    print("== Data: load + validate + enrich, typical query, peak memory (fresh process each)")
    print("   query = 4 categories + text 'gal' + open on a winter Saturday 11:00 + sort by walk")
    print("   peak RSS: whole process; 'of which imports' is the RSS before any data is read")
    print(
        f"{'venues':>8} {'problems':>8} {'load+validate+enrich':>22} {'query':>12} "
        f"{'peak RSS':>10} {'of which imports':>17}"
    )
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        folders = [str(DATA)]
        for n in SIZES:
            folders.append(str(synthetic.write_folder(Path(tmp) / f"syn{n}", DATA, n)))
        for folder in folders:
            queue: Queue[DataFigures] = ctx.Queue()
            proc = ctx.Process(target=_data_run, args=(folder, queue))
            proc.start()
            n, problems, load_s, query_s, base, peak = queue.get()
            proc.join()
            print(
                f"{n:>8} {problems:>8} {ms(load_s):>22} {ms(query_s):>12} {peak:>7.0f} MiB "
                f"{base:>13.0f} MiB"
            )
