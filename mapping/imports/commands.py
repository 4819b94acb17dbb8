"""``python -m mapping import`` and ``import-events``: their arguments and their run.

Kept out of :mod:`mapping.cli` so that module only registers them. Exit codes as for
every command: 0 done (skipped records are reported, not errors), 1 the source or the
merged folder has problems (nothing written), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from mapping.files import atomic_write, check_target
from mapping.imports.event_source import DAYS_BACK, HORIZON_DAYS, MAX_OCCURRENCES, Window
from mapping.imports.events import import_events
from mapping.imports.report import ImportReport, report_target_problem
from mapping.imports.venues import import_venues
from mapping.settings import load_city

COMMANDS = ("import", "import-events")

Say = Callable[..., None]


def add_parsers(sub: Any) -> None:
    """Register both commands on the CLI's subparsers."""
    imp = _source(
        sub.add_parser(
            "import",
            help="merge venues from OSM, CSV, GeoPackage, Shapefile or GeoJSON into a data folder",
        )
    )
    imp.add_argument(
        "--source-crs",
        default=None,
        metavar="EPSG:…",
        help="CRS of a file that carries none (CSV x/y, Shapefile without .prj)",
    )
    imp.add_argument(
        "--overwrite",
        nargs="+",
        default=[],
        metavar="FIELD",
        help="replace these fields even where edited by hand",
    )
    _common(imp)
    events = _source(
        sub.add_parser(
            "import-events",
            help="merge events from an .ics file or the municipal calendar CSV into a data folder",
        )
    )
    events.add_argument(
        "--venue",
        default=None,
        metavar="ID",
        help="venue id for every event (else LOCATION is matched)",
    )
    events.add_argument(
        "--category",
        default=None,
        metavar="ID",
        help="event category when the source names none we know",
    )
    events.add_argument(
        "--matches",
        type=Path,
        default=None,
        metavar="FILE",
        help="manual location,venue_id table (default DIR/location_matches.csv)",
    )
    events.add_argument(
        "--feed",
        default=None,
        metavar="NAME",
        help="the feed's name in source (default: X-WR-CALNAME, the feed already "
        "holding its UIDs, else the file's stem)",
    )
    events.add_argument(
        "--days-back",
        type=_count,
        default=DAYS_BACK,
        metavar="N",
        help=f"import from N days before today (default {DAYS_BACK})",
    )
    events.add_argument(
        "--horizon-days",
        type=_count,
        default=HORIZON_DAYS,
        metavar="N",
        help=f"import up to N days after today (default {HORIZON_DAYS})",
    )
    events.add_argument(
        "--max-occurrences",
        type=_count,
        default=MAX_OCCURRENCES,
        metavar="N",
        help=f"at most N rows per recurring event (default {MAX_OCCURRENCES})",
    )
    _common(events)


def _count(text: str) -> int:
    """A whole number of 0 or more, for argparse."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100_000:
        msg = f"expected a whole number from 0 to 100000, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _source(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--into", type=Path, required=True, metavar="DIR", help="data folder")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    parser.add_argument(
        "--report", default=None, metavar="FILE", help="also write the report as CSV (- for stdout)"
    )


def run(args: argparse.Namespace, say: Say) -> int:
    """Run ``import`` or ``import-events``; :class:`DataError` goes to the caller."""
    if not (args.into / "city.toml").is_file():
        say(
            f"error: --into {args.into}: not a data folder (no city.toml there); give the "
            "folder of the town to import into, e.g. --into data",
            sys.stderr,
        )
        return 2
    if args.report not in (None, "-"):
        refused = report_target_problem(Path(args.report), args.into, args.file)
        if refused:
            say(refused, sys.stderr)
            return 2
        check_target(Path(args.report))
    if args.command == "import":
        report = import_venues(
            args.file,
            args.into,
            source_crs=args.source_crs,
            dry_run=args.dry_run,
            overwrite=args.overwrite,
        )
    else:
        report = import_events(
            args.file,
            args.into,
            venue=args.venue,
            category=args.category,
            matches=args.matches,
            dry_run=args.dry_run,
            feed=args.feed,
            window=Window.around_today(
                load_city(args.into / "city.toml").timezone,
                args.days_back,
                args.horizon_days,
                args.max_occurrences,
            ),
        )
    _print(report, args, say)
    return 0


def _print(report: ImportReport, args: argparse.Namespace, say: Say) -> None:
    out: TextIO = sys.stdout
    say(report.table(), out)  # the notes are in the table (and in the report's CSV)
    if args.report == "-":
        out.flush()
        out.buffer.write(report.csv_bytes())
        out.buffer.flush()
    elif args.report is not None:
        with atomic_write(Path(args.report)) as fh:
            fh.write(report.csv_bytes())
        say(f"wrote the report to {args.report}", out)
    if args.dry_run:
        say("dry run: nothing written", out)
    elif not report.written:
        say("nothing to write: no new or updated records", out)
    else:
        target = "venues.geojson" if args.command == "import" else "events.csv"
        say(f"wrote {args.into / target}", out)
