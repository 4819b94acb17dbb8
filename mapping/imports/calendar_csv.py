"""The municipal cultural calendar bridge: its CSV export as event groups.

The municipality's digital cultural calendar lists an event as title, date from, date
to, time, location name and category, in Montenegrin. Headers are recognised in
Montenegrin or English, ignoring case and diacritics (:data:`HEADERS`).

Decisions:

- **Location names** go through :class:`mapping.imports.match.VenueMatcher`:
  diacritics-insensitive, fuzzy (rapidfuzz, threshold
  :data:`mapping.imports.match.FUZZY_THRESHOLD`), the manual table first. A name that
  does not match is **reported and skipped, never guessed**; ``--venue ID`` puts every
  row at one venue.
- **Categories**: the calendar's 14 Montenegrin category names (plural, as
  ``event_categories.csv`` ``label_me``, or singular, :data:`CATEGORY_NAMES`), or any
  id or label of the folder's ``event_categories.csv``, folded; else ``--category ID``;
  else skipped.
- **Dates** ``D.M.YYYY`` (with or without the final dot) or ``YYYY-MM-DD``; time
  ``HH:MM``, ``HH.MM`` or ``HHh``. A one-day event with a time starts then (end =
  start: the end time is unknown); a multi-day event is all-day from the first to the
  last day (the time of the opening alone does not say when each day starts).
- **Identity**: ``uid`` = ``csv:`` + folded title + first day + venue, so the same row
  imported again changes nothing, whatever the file is called; the row's id is
  :func:`mapping.imports.event_source.event_id` of the title, first day and ``uid``. A
  rescheduled or renamed row is recognised by :mod:`mapping.imports.events` (same
  venue and title, or same venue and first day) and updated, not duplicated.
- **Encoding**: UTF-8 is expected (with or without a byte order mark). Anything else
  (Excel's cp1250, for one) is detected with ``charset-normalizer`` and read, and the
  report says which encoding was used; bytes it cannot place are refused in words.
- **Window**: a row that ends before the import's window or starts after its horizon
  is left out and counted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import charset_normalizer

from mapping.errors import DataError, Problem
from mapping.files import spreadsheet_raw
from mapping.imports.event_source import Context, EventGroup, Window, event_id
from mapping.imports.match import name_key
from mapping.text import fold

HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("naziv", "naslov", "naziv dogadjaja", "dogadjaj", "title", "event"),
    "date_from": (
        "datum od",
        "od",
        "datum pocetka",
        "pocetak",
        "date from",
        "from",
        "start date",
        "datum",
    ),
    "date_to": ("datum do", "do", "datum zavrsetka", "kraj", "date to", "to", "end date"),
    "time": ("vrijeme", "vreme", "sat", "time", "pocetak u"),
    "location": ("lokacija", "mjesto", "mesto", "prostor", "location", "venue", "place"),
    "category": ("kategorija", "vrsta", "category", "type"),
}
"""Our field → the calendar headers (folded) that name it."""

CATEGORY_NAMES: dict[str, str] = {
    "koncert": "concert",
    "predstava": "play",
    "sportski dogadjaj": "sport",
    "sport": "sport",
    "izlozba": "exhibition",
    "knjizevni program": "literary",
    "knjizevno vece": "literary",
    "promocija knjige": "literary",
    "filmska projekcija": "film",
    "film": "film",
    "program za djecu": "children",
    "za djecu": "children",
    "konferencija": "conference",
    "radionica": "workshop",
    "izdanje": "publication",
    "performans": "performance",
    "prezentacija": "lecture",
    "predavanje": "lecture",
    "panel": "debate",
    "debata": "debate",
    "sajam": "fair",
}
"""Singular Montenegrin category names (folded) → event category id; the plural names
are the ``label_me`` column of ``event_categories.csv``."""

_DATE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\.?")
_TIME = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?h?")


def category_id(name: str, ctx: Context) -> str | None:
    """The event category id ``name`` stands for in ``ctx``'s folder, or ``None``."""
    folded = fold(name).strip()
    known = set(ctx.event_categories.values())
    found = ctx.event_categories.get(folded) or CATEGORY_NAMES.get(name_key(name))
    return found if found in known else None


def _columns(header: list[str], file: str) -> dict[str, int]:
    keys = [name_key(h) for h in header]
    found: dict[str, int] = {}
    for fld, names in HEADERS.items():
        for i, key in enumerate(keys):
            if key in names and i not in found.values():
                found[fld] = i
                break
    missing = [f for f in ("title", "date_from", "location") if f not in found]
    if missing:
        raise DataError(
            [
                Problem(
                    file,
                    "header",
                    ",".join(missing),
                    (
                        "missing column; expected a header like naziv, datum od, datum do, "
                        "vrijeme, lokacija, kategorija"
                    ),
                )
            ]
        )
    return found


def parse_date(text: str) -> date | None:
    """``D.M.YYYY[.]`` or ``YYYY-MM-DD`` as a date; ``None`` when it is neither."""
    text = text.strip()
    match = _DATE.fullmatch(text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """``HH:MM`` from ``HH:MM``, ``HH.MM`` or ``HHh``; ``None`` when it is neither."""
    match = _TIME.fullmatch(text.strip().lower())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def decode(path: Path) -> tuple[str, str]:
    """The file's text and its encoding: UTF-8 (``utf-8``), else what
    ``charset-normalizer`` finds; refused in words when nothing fits."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(path.name, "-", "-", f"cannot read: {exc}")]) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        best = charset_normalizer.from_bytes(raw).best()
        if best is None:
            raise DataError(
                [
                    Problem(
                        path.name,
                        "-",
                        "-",
                        f"not UTF-8 (byte {exc.start}) and no other text encoding fits; "
                        "save the file as CSV UTF-8",
                    )
                ]
            ) from None
        return str(best), best.encoding


def read_groups(
    path: Path,
    ctx: Context,
    window: Window,
    *,
    venue: str | None = None,
    category: str | None = None,
) -> list[EventGroup]:
    """Every row of the calendar CSV as a group of one event row (or skipped, why)."""
    text, _ = decode(path)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    lines = [
        [spreadsheet_raw(cell) for cell in row]  # our own exports' formula guard, undone
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if any(c.strip() for c in row)
    ]
    if not lines:
        raise DataError([Problem(path.name, "-", "-", "empty file; expected a header row")])
    cols = _columns(lines[0], path.name)
    groups = []
    for number, row in enumerate(lines[1:], start=1):

        def cell(fld: str, row: list[str] = row) -> str:
            i = cols.get(fld)
            return row[i].strip() if i is not None and i < len(row) else ""

        group = _group(number, cell, ctx, venue, category)
        for made in group.rows:
            side = window.holds(made["start"], made["end"])
            if side:
                group.rows = []
                group.before, group.after = int(side == "before"), int(side == "after")
                group.detail = f"{side} the window ({window.first} to {window.last})"
        groups.append(group)
    return groups


def _group(
    number: int,
    get: Callable[[str], str],
    ctx: Context,
    venue: str | None,
    category: str | None,
) -> EventGroup:
    title, location = get("title"), get("location")
    ref = f"row {number}"
    group = EventGroup("", ref, title)
    first, last = parse_date(get("date_from")), parse_date(get("date_to") or get("date_from"))
    time_text = get("time")
    at = parse_time(time_text) if time_text else None
    if not title:
        group.skip = "no title"
    elif first is None:
        group.skip = f"date from {get('date_from')!r}: expected D.M.YYYY or YYYY-MM-DD"
    elif last is None or last < first:
        group.skip = f"date to {get('date_to')!r}: expected a date on or after date from"
    elif time_text and at is None:
        group.skip = f"time {time_text!r}: expected HH:MM"
    if group.skip:
        return group
    assert first is not None and last is not None
    venue_id = venue
    if venue_id is None:
        match = ctx.matcher.match(location)
        if match.venue_id is None:
            group.skip = f"location {location!r}: {match.describe()}"
            return group
        venue_id = match.venue_id
        group.detail = f"location {location!r} → {venue_id} ({match.describe()})"
    raw_category = get("category")
    event_category = category_id(raw_category, ctx) if raw_category else None
    event_category = event_category or category
    if event_category is None:
        group.skip = f"category {raw_category!r} matches no event category (give --category ID)"
        return group
    if at is not None and first == last:
        start = end = f"{first.isoformat()}T{at}"
    else:
        start, end = first.isoformat(), last.isoformat()
    group.uid = f"csv:{name_key(title)}|{first.isoformat()}|{venue_id}"
    group.rows = [
        {
            "id": event_id(title, group.uid, first),
            "title": title,
            "category": event_category,
            "venue_id": venue_id,
            "start": start,
            "end": end,
            "dates_confirmed": "true",
            "recurrence": "",
            "price": "",
            "free": "",
            "url": "",
            "organiser": "",
            "uid": group.uid,
        }
    ]
    return group
