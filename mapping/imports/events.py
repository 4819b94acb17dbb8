"""Events into a data folder's ``events.csv``: one UID, one set of rows, never twice.

``python -m mapping import-events FILE`` reads an organiser's iCalendar file
(:mod:`mapping.imports.ics`) or the municipal cultural calendar CSV
(:mod:`mapping.imports.calendar_csv`); both give :class:`EventGroup` objects, merged
here.

Decisions:

- **UID.** Every imported row carries the source's identity in a ``uid`` column (added
  to ``events.csv`` when missing): the iCalendar ``UID``, or for the municipal CSV
  ``csv:`` + folded title + first day + venue. A group's rows (one row, or one per
  expanded occurrence) replace the rows with the same ``uid``: re-importing the same
  file changes nothing, and a changed event is updated in place, never duplicated.
- **The calendar owns its events.** Imported rows are rewritten from the source on
  every import (edit the organiser's calendar, not ``events.csv``); rows without a
  ``uid`` (typed by hand) are never touched.
- **All or nothing**, as for venues: the merged folder is validated on a temporary
  copy, and ``events.csv`` is replaced atomically or not at all; ``--dry-run`` writes
  nothing. The file keeps its column order and line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mapping._errors import DataError, Problem
from mapping.imports.match import MATCHES_FILE, VenueMatcher, read_manual
from mapping.imports.report import ImportReport
from mapping.imports.venues import write_checked
from mapping.io import read_geodata, read_table
from mapping.settings import CityProfile, load_city
from mapping.text import fold

UID = "uid"
"""The ``events.csv`` column holding the source's event identity."""
HEADER = (
    "id",
    "title",
    "category",
    "venue_id",
    "start",
    "end",
    "dates_confirmed",
    "recurrence",
    "price",
    "free",
    "url",
    "organiser",
    "source",
    UID,
)


@dataclass
class EventGroup:
    """The rows one source event becomes (``rows`` empty when skipped, with ``skip``)."""

    uid: str
    ref: str
    title: str
    rows: list[dict[str, str]] = field(default_factory=list)
    skip: str = ""
    detail: str = ""


@dataclass
class Context:
    """What a reader needs from the data folder."""

    city: CityProfile
    matcher: VenueMatcher
    venue_ids: set[str]
    event_categories: dict[str, str]  # folded id or label (any language) → id


def context(into: Path, matches: Path | None) -> Context:
    """The town, its venues' names and its event categories, read from ``into``."""
    city = load_city(into / "city.toml")
    venues = read_geodata(into / "venues.geojson")
    ids = {str(v) for v in venues["id"]}
    manual_path = matches or (into / MATCHES_FILE)
    manual = read_manual(manual_path, ids) if manual_path.exists() else {}
    if matches is not None and not matches.exists():
        raise DataError([Problem(matches.name, "-", "-", "file not found (--matches)")])
    table = read_table(into / "event_categories.csv")
    cats: dict[str, str] = {}
    for column in table.columns:
        if column == "id" or column.startswith("label_"):
            for cid, label in zip(table["id"], table[column], strict=True):
                cats.setdefault(fold(label).strip(), str(cid))
    return Context(city, VenueMatcher.for_venues(venues, manual), ids, cats)


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]], str]:
    """``events.csv`` as header, rows and line end (an absent file: our header, none)."""
    if not path.exists():
        return list(HEADER), [], "\n"
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = [row for row in reader if row]
    header = [c.strip() for c in lines[0]] if lines else list(HEADER)
    rows = [dict(zip(header, row, strict=False)) for row in lines[1:]]
    return header, rows, "\r\n" if "\r\n" in text[:2000] else "\n"


def rows_bytes(header: Sequence[str], rows: Sequence[dict[str, str]], newline: str) -> bytes:
    """``events.csv`` text: quoted where needed, the file's own line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([row.get(c, "") for c in header] for row in rows)
    return out.getvalue().encode("utf-8")


def merge_groups(
    header: list[str],
    rows: list[dict[str, str]],
    groups: Sequence[EventGroup],
    report: ImportReport,
) -> list[dict[str, str]]:
    """``rows`` with each group's rows replacing those of its UID (see the decisions)."""
    for column in [c for g in groups for r in g.rows for c in r]:
        if column not in header:
            header.append(column)
    taken = {r.get("id", "") for r in rows}
    for group in groups:
        if group.skip:
            report.add("skipped", group.ref, "", group.title, group.skip)
            continue
        old = [r for r in rows if r.get(UID) == group.uid]
        old_ids = {r.get("id", "") for r in old}
        for row in group.rows:  # ids unique among other events; kept across re-imports
            base, n = row["id"], 1
            while row["id"] in taken - old_ids:
                n += 1
                row["id"] = f"{base}-{n}"
            taken.add(row["id"])
        new = [{c: row.get(c, "") for c in header} for row in group.rows]
        ids = ", ".join(r["id"] for r in new[:3]) + (" …" if len(new) > 3 else "")
        if not old:
            rows.extend(new)
            report.add("new", group.ref, ids, group.title, group.detail)
        elif [{c: r.get(c, "") for c in header} for r in old] == new:
            report.add("unchanged", group.ref, ids, group.title, group.detail)
        else:
            at = rows.index(old[0])
            rows[:] = [r for r in rows if r.get(UID) != group.uid]
            rows[at:at] = new
            report.add("updated", group.ref, ids, group.title, group.detail)
    return rows


def import_events(
    file: Path,
    into: Path,
    *,
    venue: str | None = None,
    category: str | None = None,
    matches: Path | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import an ``.ics`` or municipal calendar ``.csv`` into ``into``'s ``events.csv``.

    Raises :class:`DataError` naming file, record and field when the source cannot be
    read, ``--venue``/``--category`` is unknown, or the result would not validate.
    """
    from mapping.imports import calendar_csv, ics

    ctx = context(into, matches)
    if venue is not None and venue not in ctx.venue_ids:
        raise DataError([Problem("venues.geojson", "-", "--venue", f"unknown venue id {venue!r}")])
    if category is not None and category not in set(ctx.event_categories.values()):
        raise DataError(
            [
                Problem(
                    "event_categories.csv",
                    "-",
                    "--category",
                    f"unknown event category {category!r}",
                )
            ]
        )
    suffix = file.suffix.lower()
    if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
        groups = ics.read_groups(file, ctx, venue=venue, category=category)
    elif suffix == ".csv":
        groups = calendar_csv.read_groups(file, ctx, venue=venue, category=category)
    else:
        raise DataError(
            [
                Problem(
                    file.name,
                    "-",
                    "-",
                    "expected an iCalendar file (.ics) or a calendar CSV (.csv)",
                )
            ]
        )
    report = ImportReport(file.name)
    target = into / "events.csv"
    header, rows, newline = read_rows(target)
    rows = merge_groups(header, rows, groups, report)
    return write_checked(
        report, into, "events.csv", lambda: rows_bytes(header, rows, newline), dry_run=dry_run
    )
