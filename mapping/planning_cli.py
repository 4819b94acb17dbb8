"""The ``gaps`` and ``report`` commands, over :func:`mapping.planning.figures`.

The command bodies live here, not in :mod:`mapping.cli`, which only registers them and
hands in its writer, its printer and its terminal-text filter (so this module never
imports the CLI back). ``report`` writes two files: the printable report and, beside
it, the full gap list as its CSV annex (``<name>-gaps.csv``), which the report names.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from mapping import coverage as cov
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.io import Dataset
from mapping.planning import (
    OFF_SEASON,
    Selection,
    basis_line,
    figures,
    gaps_table,
    off_season,
    scope_text,
    scope_values,
)
from mapping.planning_report import report_html

COMMANDS = ("gaps", "report")


def annex_path(report: Path) -> Path:
    """Where ``report`` puts its CSV annex: beside the report, ``<stem>-gaps.csv``."""
    return report.with_name(f"{report.stem}-gaps.csv")


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    folder_arg: Callable[[argparse.ArgumentParser], None],
    out_path: Callable[[str], Path | None],
) -> None:
    """Register ``gaps`` and ``report`` on :mod:`mapping.cli`'s subparsers."""
    gaps = sub.add_parser("gaps", help="settlement × month × category group with nothing open")
    folder_arg(gaps)
    gaps.add_argument(
        "--month", default=OFF_SEASON, type=_month_arg, help="a month 1-12, or off-season (default)"
    )
    gaps.add_argument(
        "--minutes",
        type=_minutes_arg,
        default=cov.DEFAULT_MINUTES,
        help="walking threshold in minutes (default 15)",
    )
    gaps.add_argument(
        "--categories", nargs="+", metavar="GROUP", help="category groups to list (default: all)"
    )
    gaps.add_argument("--format", choices=("table", "csv", "geojson"), default="table")
    gaps.add_argument("--lang", default=None, help="language code (default: the town's)")
    gaps.add_argument(
        "--out", type=out_path, metavar="FILE", help="write here instead of stdout (- is stdout)"
    )
    report = sub.add_parser(
        "report", help="the printable planning report (HTML) and its gap list (CSV annex)"
    )
    folder_arg(report)
    report.add_argument("--month", default=OFF_SEASON, type=_month_arg)
    report.add_argument("--minutes", type=_minutes_arg, default=cov.DEFAULT_MINUTES)
    report.add_argument(
        "--categories", nargs="+", metavar="ID", help="category ids counted (default: all)"
    )
    report.add_argument("--lang", default=None, help="language code (default: the town's)")
    report.add_argument("--out", type=out_path, required=True, metavar="FILE.html")


def _month_arg(value: str) -> str:
    if value == OFF_SEASON or (value.isdigit() and 1 <= int(value) <= 12):
        return value
    msg = f"expected a month 1-12 or {OFF_SEASON}, got {value!r}"
    raise argparse.ArgumentTypeError(msg)


def _minutes_arg(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        minutes = -1.0
    if not 0 < minutes <= 240:
        msg = f"expected minutes between 0 and 240, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return minutes


def run(
    dataset: Dataset,
    args: argparse.Namespace,
    write: Callable[[Path | None, bytes], None],
    say: Callable[..., None],
    terminal_text: Callable[[str], str],
) -> int:
    """Run ``gaps`` or ``report``; ``write``/``say`` are the CLI's atomic writer and
    printer, ``terminal_text`` its filter for text meant for a terminal.

    Argument errors found only once the data is read (an unknown ``--lang``, category or
    category group) go to standard error and exit 2, like argparse's own.
    """

    def refuse(text: str) -> int:
        say(text, sys.stderr)
        return 2

    city = dataset.city
    lang = args.lang or city.default_language
    if lang not in city.languages:
        return refuse(f"error: --lang {lang!r}: expected one of {', '.join(city.languages)}")
    months = off_season(dataset) if args.month == OFF_SEASON else (int(args.month),)
    if args.command == "report":
        known = set(dataset.categories["id"].astype(str))
        unknown_ids = sorted(set(args.categories or ()) - known)
        if unknown_ids:
            return refuse(f"error: --categories {' '.join(unknown_ids)}: unknown category ids")
        cats = tuple(args.categories) if args.categories else None
        fig = figures(dataset, Selection(months, args.minutes, cats))
        annex = annex_path(args.out) if args.out is not None else None  # "-": report only
        if annex is not None:
            write(annex, gaps_csv_bytes(fig.gap_list, scope_values(fig.selection)))
        html = report_html(dataset, fig, lang, annex.name if annex else "")
        write(args.out, html.encode("utf-8"))
        if args.out is not None:
            say(f"wrote the report to {args.out} and its gap list to {annex}")
        return 0
    plan = cov.build_plan(dataset)
    unknown = sorted(set(args.categories or ()) - set(plan.groups))
    if unknown:
        return refuse(
            f"error: --categories {' '.join(unknown)}: expected groups among "
            f"{', '.join(plan.groups)}"
        )
    selection = Selection(months, args.minutes)
    gap_list = cov.gaps(plan, months, args.minutes, args.categories)
    scope = scope_values(selection, args.categories)
    if args.format == "csv":
        payload = gaps_csv_bytes(gap_list, scope)
    elif args.format == "geojson":
        payload = gaps_geojson_bytes(gap_list, scope)
    else:
        fig = figures(dataset, selection)
        text = (
            f"{scope_text(dataset, selection, lang)}\n{basis_line(fig, lang)}\n"
            f"{gaps_table(gap_list, dataset, lang)}\n"
        )
        payload = terminal_text(text).encode("utf-8")
    write(args.out, payload)
    if args.out is not None:
        say(f"wrote {len(gap_list)} gaps to {args.out}")
    return 0
