"""The command line: ``python -m mapping validate|info|export|events [DIR] …``.

Exit codes: 0 success, 1 the data has problems (one line each,
``file:record:field: message``), 2 bad arguments (argparse prints the usage).
No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from mapping import events as ev
from mapping._errors import DataError
from mapping.calendar import to_ics
from mapping.hours import MONTH_STATE_COLUMNS
from mapping.i18n import localized_column, month_name
from mapping.io import Dataset, atomic_write, load_dataset, venues_csv_bytes, venues_geojson_bytes
from mapping.schema import in_cluster
from mapping.settings import data_dir
from mapping.validate import validate_folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mapping",
        description="Kotor Creative Map data tools. DIR defaults to $CREATIVE_MAP_DATA or data/.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def folder_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("folder", nargs="?", metavar="DIR", help="data folder")

    folder_arg(sub.add_parser("validate", help="list every problem in a data folder"))
    info = sub.add_parser("info", help="counts by category and open venues per month")
    folder_arg(info)
    info.add_argument("--lang", default=None, help="language code (default: the town's)")
    export = sub.add_parser("export", help="write venues as GeoJSON or CSV (atomically)")
    folder_arg(export)
    export.add_argument("--format", choices=("geojson", "csv"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    events = sub.add_parser("events", help="events in a date range as a table, .ics or CSV")
    folder_arg(events)
    events.add_argument("--from", dest="start", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")
    events.add_argument("--to", dest="end", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")
    events.add_argument("--format", choices=("table", "ics", "csv"), default="table")
    events.add_argument("--lang", default=None, help="language code (default: the town's)")
    events.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.folder)
        dataset = load_dataset(args.folder)
        if args.command == "info":
            print(info_text(dataset, args.lang))
            return 0
        if args.command == "export":
            return _export(dataset, args.format, args.out)
        if args.end < args.start:
            parser.error("--to must not be before --from")
        return _events(dataset, args)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _validate(folder: str | None) -> int:
    problems = validate_folder(folder)
    root = data_dir(folder)
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    dataset = load_dataset(folder, enrich=False)
    print(f"ok: {root}: {len(dataset.venues)} venues, {len(dataset.categories)} categories, "
          f"{len(dataset.events)} events, {len(dataset.places)} places; no problems")
    return 0


def info_text(dataset: Dataset, lang: str | None = None) -> str:
    """Counts by category, members, and venues open/closed/unknown in each month.

    Category labels and month names are in ``lang`` (default: the town's language).
    """
    venues = dataset.venues
    city = dataset.city
    lang = lang or city.default_language
    listed = int(in_cluster(venues["cluster"]).sum())
    lines = [f"{city.name}: {len(venues)} venues, {listed} listed in the cluster "
             "(members or prospective members)"]
    counts = venues["category"].value_counts()
    categories = dataset.categories
    labels = dict(zip(categories["id"],
                      localized_column(categories, "label", lang, city.languages), strict=True))
    lines.append("by category:")
    lines += [f"  {cat:<18} {labels.get(cat, '?'):<28} {n:>6}" for cat, n in counts.items()]
    lines.append("by month:      open  closed  unknown")
    for month, column in enumerate(MONTH_STATE_COLUMNS, start=1):
        states = venues[column].value_counts()
        lines.append(f"  {month_name(month, lang):<10} {states.get('open', 0):>6} "
                     f"{states.get('closed', 0):>7} {states.get('unknown', 0):>8}")
    return "\n".join(lines)


def _export(dataset: Dataset, fmt: str, out: Path) -> int:
    payload = (venues_geojson_bytes(dataset.venues) if fmt == "geojson"
               else venues_csv_bytes(dataset.venues))
    with atomic_write(out) as fh:
        fh.write(payload)
    print(f"wrote {len(dataset.venues)} venues to {out}")
    return 0


def _events(dataset: Dataset, args: argparse.Namespace) -> int:
    city = dataset.city
    lang = args.lang or city.default_language
    if lang not in city.languages:
        print(f"error: --lang {lang!r}: expected one of {', '.join(city.languages)}",
              file=sys.stderr)
        return 2
    occ = ev.occurrences(dataset.events, args.start, args.end, city.timezone)
    if args.format == "table":
        payload = ev.events_table(occ, lang, city.languages).encode("utf-8") + b"\n"
    elif args.format == "csv":
        payload = ev.to_csv_bytes(occ, lang, city.languages)
    else:
        venues = pd.DataFrame(dataset.venues)
        payload = to_ics(occ, venues, lang, city.languages, city.timezone,
                         categories=dataset.event_categories).data
    if args.out is None:
        sys.stdout.buffer.write(payload)
        return 0
    with atomic_write(args.out) as fh:
        fh.write(payload)
    print(f"wrote {len(occ)} occurrences to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
