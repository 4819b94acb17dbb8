"""Events into a data folder's ``events.csv``: one UID, one set of rows, never twice.

``python -m mapping import-events FILE`` reads an organiser's iCalendar file
(:mod:`mapping.imports.ics`) or the municipal cultural calendar CSV
(:mod:`mapping.imports.calendar_csv`); both give :class:`EventGroup` objects, merged
here.

Decisions:

- **Identity from the feed's own ids.** Every imported row carries the source's
  identity in a ``uid`` column (added to ``events.csv`` when missing): the iCalendar
  ``UID`` (an expanded rule's rows share it), or for the municipal CSV ``csv:`` +
  folded title + first day + venue. The file's name and row numbers are no part of it:
  the same content under another name changes nothing.
- **The feed.** ``source`` names the feed, not the row: ``iCalendar feed NAME`` or
  ``municipal calendar NAME``, NAME being ``--feed NAME``, else the ``.ics``'s
  ``X-WR-CALNAME``, else the feed already holding most of the incoming UIDs in
  ``events.csv`` (a renamed file stays the same feed), else the file's stem.
- **A feed owns its events** (rows with its ``source`` and a ``uid``) **inside the
  window** (:class:`mapping.imports.event_source.Window`; default from
  :data:`~mapping.imports.event_source.DAYS_BACK` days before today to
  :data:`~mapping.imports.event_source.HORIZON_DAYS` days ahead): importing it again
  updates them, moves them (a new date of the same UID; for the CSV, a row of the same
  venue with the same title or the same first day whose key left the feed) and
  **removes** the ones the feed no longer has or marks ``STATUS:CANCELLED``; each
  removal is a ``removed`` line of the report, and ``--dry-run`` shows them first and
  writes nothing. Rows before the window are history and never touched; rows of
  another source, and rows without a ``uid`` (typed by hand), are never touched.
- **Hand edits win.** Each imported row stores :func:`~mapping.imports.event_source.
  row_digest` of what was imported in ``import_digest``; a row whose fields no longer
  match it was edited by hand: no import updates or removes its event again (reported
  as ``unchanged`` with the reason). Remove the ``import_digest`` value to hand the row
  back to the feed.
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
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from mapping import checked_write
from mapping.errors import DataError, Problem
from mapping.events.read import EVENT_COLUMNS
from mapping.files import data_csv_bytes
from mapping.imports import calendar_csv, ics
from mapping.imports.event_source import (
    DIGEST,
    UID,
    EventGroup,
    Window,
    context,
    row_digest,
)
from mapping.imports.match import name_key
from mapping.imports.report import ImportReport
from mapping.text import unique

HEADER = (*EVENT_COLUMNS, UID, DIGEST)
"""The columns of an ``events.csv`` an import creates."""
EVENTS_FILE = "events.csv"
LEGACY_SOURCE = re.compile(r"(iCalendar|municipal calendar) .+ \((UID .+|row \d+)\)")
"""``source`` as imports wrote it before feeds (file name and UID or row): such a row is
taken over by the feed that brings its UID, never removed by another."""


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


def hand_edited(row: dict[str, str]) -> bool:
    """Whether an imported row was changed since (its digest no longer matches)."""
    stored = row.get(DIGEST, "")
    return bool(stored) and stored != row_digest(row)


def merge_groups(
    header: list[str],
    rows: list[dict[str, str]],
    groups: Sequence[EventGroup],
    report: ImportReport,
    *,
    feed: str,
    window: Window,
) -> list[dict[str, str]]:
    """``rows`` with the feed's rows in the window replaced by the groups' rows, and
    the feed's events gone from it removed (see the decisions)."""
    for column in [*[c for g in groups for r in g.rows for c in r], "source", UID, DIGEST]:
        if column not in header:
            header.append(column)

    incoming = {g.uid for g in groups if g.uid}

    def owned(row: dict[str, str]) -> bool:
        uid, source = row.get(UID, ""), row.get("source", "")
        mine = source == feed or (bool(LEGACY_SOURCE.fullmatch(source)) and uid in incoming)
        return bool(uid) and mine and _in_window(row, window)

    by_uid: dict[str, list[dict[str, str]]] = {}
    for row in rows:  # looked up once per group: a 5,000-event feed is not 5,000 scans
        if row.get(UID):
            by_uid.setdefault(row[UID], []).append(row)
    dropped: set[int] = set()  # id() of the rows replaced or removed
    placed: dict[int, list[dict[str, str]]] = {}  # id() of an old row → rows put there
    gone = {r[UID] for r in rows if owned(r) and r[UID] not in incoming}
    taken = {r.get("id", "") for r in rows}
    for group in groups:
        if group.skip:
            report.add("skipped", group.ref, "", group.title, group.skip)
            continue
        uid = _moved_from(group, rows, gone, owned) or group.uid
        gone.discard(uid)
        old = [r for r in by_uid.get(uid, []) if owned(r)]
        others = [r for r in by_uid.get(group.uid, []) if not owned(r)]
        if others and not old and not _in_past(others, window):
            report.add(
                "skipped",
                group.ref,
                "",
                group.title,
                f"UID already in events.csv from {others[0].get('source', '')!r}",
            )
            continue
        edited = [r for r in old if hand_edited(r)]
        if edited:
            report.add(
                "unchanged",
                group.ref,
                edited[0].get("id", ""),
                group.title,
                "edited by hand since imported: kept as it is",
            )
            continue
        old_ids = {r.get("id", "") for r in old}
        for row in group.rows:  # ids unique among other events; kept across re-imports
            row["id"] = unique(row["id"], taken - old_ids)
            taken.add(row["id"])
        new = [{c: row.get(c, "") for c in header} | {"source": feed} for row in group.rows]
        for row in new:
            row[DIGEST] = row_digest(row)
        shown = new or old
        ids = ", ".join(r["id"] for r in shown[:3]) + (" …" if len(shown) > 3 else "")
        status = _status(old, new, header)
        detail = group.detail
        if status == "updated" and old and new and old[0].get("start") != new[0].get("start"):
            detail = f"moved {old[0].get('start')} → {new[0].get('start')}; {detail}".rstrip("; ")
        if status == "removed" and group.cancelled:
            detail = "STATUS:CANCELLED"
        if status == "unchanged" and not old and not new:
            report.add("skipped", group.ref, "", group.title, detail or "outside the window")
            continue
        report.add(status, group.ref, ids, group.title, detail)
        if status in ("new", "updated", "removed"):
            if old:  # the new rows take the place of the first old one
                placed[id(old[0])] = new
                dropped.update(id(r) for r in old)
            else:
                rows.extend(new)
    for uid in sorted(gone):
        old = [r for r in by_uid.get(uid, []) if owned(r)]
        ids = ", ".join(r.get("id", "") for r in old[:3])
        title = old[0].get("title", "") if old else ""
        if any(hand_edited(r) for r in old):
            report.add("unchanged", uid, ids, title, "gone from the feed but edited by hand: kept")
            continue
        dropped.update(id(r) for r in old)
        report.add("removed", uid, ids, title, "no longer in the feed")
    merged: list[dict[str, str]] = []
    for row in rows:
        merged.extend(placed.get(id(row), []))
        if id(row) not in dropped:
            merged.append(row)
    return merged


def _status(old: list[dict[str, str]], new: list[dict[str, str]], header: list[str]) -> str:
    if not old:
        return "new" if new else "unchanged"
    if not new:
        return "removed"
    same = [{c: r.get(c, "") for c in header} for r in old] == new
    return "unchanged" if same else "updated"


def _in_window(row: dict[str, str], window: Window) -> bool:
    try:
        return window.holds(row.get("start", ""), row.get("end", "")) != "before"
    except ValueError:
        return True


def _in_past(rows: list[dict[str, str]], window: Window) -> bool:
    return not any(_in_window(r, window) for r in rows)


def _moved_from(
    group: EventGroup,
    rows: list[dict[str, str]],
    gone: set[str],
    owned: Callable[[dict[str, str]], bool],
) -> str:
    """The key of the feed's CSV event this new group reschedules or renames: one gone
    from the feed at the same venue with the same title or the same first day."""
    if not group.uid.startswith("csv:") or not group.rows:
        return ""
    if any(r.get(UID) == group.uid and owned(r) for r in rows):
        return ""
    new = group.rows[0]
    for uid in sorted(gone):
        if not uid.startswith("csv:"):
            continue
        old = next(r for r in rows if r.get(UID) == uid)
        if old.get("venue_id") != new.get("venue_id"):
            continue
        if name_key(old.get("title", "")) == name_key(new.get("title", "")) or (
            old.get("start", "")[:10] == new.get("start", "")[:10]
        ):
            return uid
    return ""


def feed_label(
    file: Path, groups: Sequence[EventGroup], rows: list[dict[str, str]], given: str | None
) -> str:
    """The ``source`` of this feed's rows (see the decisions)."""
    kind = "iCalendar feed" if file.suffix.lower() != ".csv" else "municipal calendar"
    name = given or (ics.feed_name(file) if kind == "iCalendar feed" else "")
    if name:
        return f"{kind} {name}"
    uids = {g.uid for g in groups if g.uid}
    held = Counter(
        r.get("source", "")
        for r in rows
        if r.get(UID) in uids
        and r.get("source", "").startswith(kind + " ")
        and not LEGACY_SOURCE.fullmatch(r.get("source", ""))
    )
    if held:
        return held.most_common(1)[0][0]
    return f"{kind} {file.stem}"


def _window_notes(groups: Sequence[EventGroup], window: Window, report: ImportReport) -> None:
    """What the window left out, for the report's notes."""
    before = sum(g.before or 0 for g in groups)
    uncounted = any(g.before is None for g in groups)
    after = sum(g.after for g in groups)
    more = any(g.more_after for g in groups if g.rows or g.after)
    capped = [g for g in groups if g.capped]
    report.notes.append(
        f"window {window.first} to {window.last} (--days-back, --horizon-days): "
        f"{before}{'+' if uncounted else ''} occurrences before it and "
        f"{after}{'+' if more else ''} after it left out"
    )
    for group in capped:
        last = group.rows[-1]["start"] if group.rows else ""
        report.notes.append(
            f"{group.ref}: stopped at the cap of {window.cap} occurrences (last kept {last}; "
            "--max-occurrences); later ones left out"
        )


def import_events(
    file: Path,
    into: Path,
    *,
    venue: str | None = None,
    category: str | None = None,
    matches: Path | None = None,
    dry_run: bool = False,
    feed: str | None = None,
    window: Window | None = None,
) -> ImportReport:
    """Import an ``.ics`` or municipal calendar ``.csv`` into ``into``'s ``events.csv``.

    ``feed`` names the feed (default: see :func:`feed_label`); ``window`` bounds what is
    imported and owned (default :meth:`Window.around_today`). The report's ``notes``
    name the feed, the window and what it left out.

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
    window = window or Window.around_today(ctx.city.timezone)
    report = ImportReport(file.name)
    suffix = file.suffix.lower()
    if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
        groups = ics.read_groups(file, ctx, window, venue=venue, category=category)
    elif suffix == ".csv":
        groups = calendar_csv.read_groups(file, ctx, window, venue=venue, category=category)
        encoding = calendar_csv.decode(file)[1]
        if encoding != "utf-8":
            report.notes.append(f"{file.name} is not UTF-8: read as {encoding} (detected)")
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
    header, rows, raw = read_rows(into / EVENTS_FILE)
    label = feed_label(file, groups, rows, feed)
    rows = merge_groups(header, rows, groups, report, feed=label, window=window)
    _window_notes(groups, window, report)
    report.notes.insert(0, f"feed: {label!r}")
    if report.changed and not dry_run:
        payload = data_csv_bytes(
            header, ([row.get(c, "") for c in header] for row in rows), like=raw
        )
        checked_write.write_checked(into, EVENTS_FILE, payload, built_from=raw)
        report.written = True
    return report
