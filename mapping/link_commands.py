"""``python -m mapping links issue|revoke|list|csv|sheets``: the coordinator's personal links.

Kept out of :mod:`mapping.cli`, which only registers them (:func:`add_parsers`,
:func:`run`). ``issue`` prints the new link once on standard output (its token is
stored only as a hash, :mod:`mapping.links`); ``csv`` and ``sheets`` issue one link per
venue and write the mail-merge CSV or the printable sheets (:mod:`mapping.outreach`).
A venue's older links stay valid unless ``--replace``. Exit codes as for every command:
0 done, 1 an unknown venue or an unusable database (nothing issued), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mapping import clock, links, outreach, store
from mapping.files import atomic_write
from mapping.io import Dataset, load_dataset
from mapping.settings import data_dir, load_city

COMMAND = "links"

Say = Callable[..., None]


def add_parsers(sub: Any, folder_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``links`` and its five actions on the CLI's subparsers."""
    parser = sub.add_parser(
        COMMAND, help="members' personal links: issue, revoke, list, or hand them over"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    issue = actions.add_parser("issue", help="a new link for one venue, printed once")
    issue.add_argument("venue", metavar="VENUE_ID")
    folder_arg(issue)
    revoke = actions.add_parser("revoke", help="revoke every link of one venue")
    revoke.add_argument("venue", metavar="VENUE_ID")
    folder_arg(revoke)
    folder_arg(actions.add_parser("list", help="every link: venue, issued, expires, revoked"))
    for name, text, suffix in (
        ("csv", "issue links and write a mail-merge CSV", "csv"),
        ("sheets", "issue links and write printable sheets, one venue a page", "html"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("venues", nargs="+", metavar="VENUE_ID")
        action.add_argument("--data", dest="folder", metavar="DIR", help="data folder")
        action.add_argument(
            "-o",
            "--out",
            type=Path,
            required=True,
            metavar=f"FILE.{suffix}",
            help="written atomically",
        )
        action.add_argument("--lang", default=None, help="language code (default: the town's)")
    for action in (issue, *(actions.choices[n] for n in ("csv", "sheets"))):
        action.add_argument(
            "--days", type=_days, default=None, help="valid this many days ([members] link_days)"
        )
        action.add_argument(
            "--base-url",
            default="",
            required=action is not issue,
            metavar="URL",
            help="the app's address, e.g. https://map.example.org",
        )
        action.add_argument(
            "--replace", action="store_true", help="revoke the venue's older links first"
        )


def _days(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        msg = f"expected a whole number of days, at least 1, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(value)


def _checked(folder: str | None, venues: list[str], say: Say) -> Dataset | None:
    """The dataset when every venue id is one of its venues; else each unknown id said."""
    data = load_dataset(folder)
    unknown = outreach.unknown_venues(data, venues)
    for venue in unknown:
        say(f"error: no venue with id {venue!r} in {data.folder}", sys.stderr)
    return None if unknown else data


def run(args: argparse.Namespace, say: Say) -> int:
    """Run one action; data and file errors go to the caller (:mod:`mapping.cli`)."""
    where = store.database_of(args.folder)
    now = clock.utc_now()
    try:
        if args.action == "list":
            for link in links.listed(where):
                state = (
                    f"revoked {link.revoked:%Y-%m-%d}"
                    if link.revoked
                    else "valid"
                    if link.valid(now)
                    else "expired"
                )
                say(
                    f"{link.venue_id}  {link.label}  issued {link.created:%Y-%m-%d}  "
                    f"expires {link.expires:%Y-%m-%d}  {state}"
                )
            return 0
        if args.action == "revoke":
            count = links.revoke(where, args.venue, now=now)
            say(f"{count} link(s) of {args.venue} revoked")
            return 0
        venues = [args.venue] if args.action == "issue" else args.venues
        data = _checked(args.folder, venues, say)
        if data is None:
            return 1
        lang = getattr(args, "lang", None) or data.city.default_language
        if lang not in data.city.languages:  # checked before any link is issued
            codes = ", ".join(data.city.languages)
            say(f"error: --lang {lang!r} is not one of the town's languages ({codes})", sys.stderr)
            return 1
        days = args.days or load_city(data_dir(args.folder) / "city.toml").link_days
        issued = outreach.issue_links(
            where, venues, args.base_url, now=now, days=days, replace=args.replace
        )
        if args.action == "issue":
            say(issued[args.venue])
            say(f"valid for {days} days; shown once, stored only as a hash", sys.stderr)
            return 0
        today = clock.today(data.city.timezone)
        found = outreach.rows(data, issued, lang, today)
        payload = (
            outreach.csv_bytes(found, lang)
            if args.action == "csv"
            else outreach.sheets_html(data, found, lang, today).encode("utf-8")
        )
        with atomic_write(args.out) as fh:
            fh.write(payload)
        say(f"{len(found)} link(s) issued, valid for {days} days: {args.out}")
    except store.Error as exc:
        say(f"error: members' database {where}: {exc}", sys.stderr)
        return 1
    return 0
