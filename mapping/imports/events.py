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
- **Ids**: :func:`mapping.imports.event_source.event_id` (title, day, UID digest),
  made unique among the file's other rows with ``-2``, ``-3``…
- **All or nothing**, as for venues: :func:`mapping.checked_write.write_checked`
  validates the merged folder on a temporary copy and replaces ``events.csv``
  atomically or not at all; ``--dry-run`` writes nothing. The file keeps its column
  order and its layout (line ends, byte order mark: :func:`mapping.files.data_csv_bytes`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from mapping import checked_write
from mapping.errors import DataError, Problem
from mapping.files import data_csv_bytes
from mapping.imports import calendar_csv, ics
from mapping.imports.event_source import UID, EventGroup, context
from mapping.imports.report import ImportReport
from mapping.text import unique

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
"""The columns of an ``events.csv`` an import creates."""
EVENTS_FILE = "events.csv"


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]], bytes | None]:
    """``events.csv`` as header, rows and the bytes read (an absent file: our header,
    no rows, ``None``)."""
    raw = checked_write.current_bytes(path)
    if raw is None:
        return list(HEADER), [], None
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    lines = [row for row in reader if row]
    header = [c.strip() for c in lines[0]] if lines else list(HEADER)
    rows = [dict(zip(header, row, strict=False)) for row in lines[1:]]
    return header, rows, raw


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
            row["id"] = unique(row["id"], taken - old_ids)
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
    header, rows, raw = read_rows(into / EVENTS_FILE)
    rows = merge_groups(header, rows, groups, report)
    if report.changed and not dry_run:
        payload = data_csv_bytes(
            header, ([row.get(c, "") for c in header] for row in rows), like=raw
        )
        checked_write.write_checked(into, EVENTS_FILE, payload, built_from=raw)
        report.written = True
    return report
