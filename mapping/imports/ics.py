"""An organiser's iCalendar file (``.ics``) as event groups, with ``icalendar`` and
``recurring-ical-events``.

Decisions:

- **Recurrences kept where ``events.csv`` can say them**: an ``RRULE`` with
  ``FREQ=WEEKLY`` or ``FREQ=YEARLY``, no ``INTERVAL`` above 1, no ``COUNT`` or
  ``UNTIL``, no ``BY…`` part other than the start's own weekday (or month and day), no
  ``EXDATE``/``RDATE`` and no moved occurrence (``RECURRENCE-ID``) becomes one row with
  ``recurrence`` ``weekly`` or ``annual`` — only when its start is a date, floating,
  or in the town's time zone (a weekly 19:00 in New York is not a weekly time in
  Podgorica across the two DST calendars). **Anything else is expanded** by
  recurring-ical-events into one row per occurrence, from the first occurrence up to
  the rule's end or :data:`EXPAND_YEARS` years past the later of the first occurrence
  and today, at most :data:`MAX_OCCURRENCES`; EXDATEs and moved occurrences are
  honoured.
- **Time zones**: a time with a ``TZID`` or in UTC is converted to the town's time zone
  (``city.toml`` ``timezone``); a floating time is taken as the town's. An all-day
  event (``VALUE=DATE``) stays all-day; its exclusive ``DTEND`` becomes the inclusive
  last day ``events.csv`` uses.
- **Venue**: ``--venue ID`` for every event, else ``LOCATION`` matched to a venue
  (:mod:`mapping.imports.match`); unmatched: skipped and reported, never guessed.
- **Category**: ``CATEGORIES`` matched (folded) to an id or a label of
  ``event_categories.csv`` or the municipal names (:data:`calendar_csv.CATEGORY_NAMES`),
  else ``--category ID``, else skipped.
- ``SUMMARY`` → ``title``; ``DESCRIPTION`` → ``description_<town language>``; ``URL``
  (http(s) only) → ``url``; ``ORGANIZER``'s ``CN`` (or address) → ``organiser``;
  ``source`` names the file and the UID.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from mapping import clock
from mapping.errors import DataError, Problem
from mapping.imports.calendar_csv import category_id
from mapping.imports.event_source import Context, EventGroup, event_id
from mapping.schema import RECURRENCE_ANNUAL, RECURRENCE_WEEKLY, is_web_url

EXPAND_YEARS = 2
"""An unbounded rule that must be expanded is expanded this many years ahead."""
MAX_OCCURRENCES = 500
"""At most this many rows for one UID."""
_SIMPLE_FREQ = {"WEEKLY": RECURRENCE_WEEKLY, "YEARLY": RECURRENCE_ANNUAL}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def read_groups(
    path: Path, ctx: Context, *, venue: str | None = None, category: str | None = None
) -> list[EventGroup]:
    """Every event of ``path`` (one group per UID) as rows, or skipped with a reason."""
    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise DataError(
            [Problem(path.name, "-", "-", f"cannot read as iCalendar: {exc}")]
        ) from None
    by_uid: dict[str, list[Any]] = {}
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        uid = str(event.get("UID") or f"{path.name}#{number}")
        by_uid.setdefault(uid, []).append(event)
    groups = []
    for uid, events in by_uid.items():
        master = next((e for e in events if e.get("RECURRENCE-ID") is None), events[0])
        try:
            groups.append(_group(path, calendar, uid, master, events, ctx, venue, category))
        except (ValueError, TypeError, KeyError) as exc:
            groups.append(
                EventGroup(
                    uid,
                    f"UID {uid}",
                    str(master.get("SUMMARY", "")),
                    skip=f"cannot read the event: {exc}",
                )
            )
    return groups


def _group(
    path: Path,
    calendar: Any,
    uid: str,
    master: Any,
    events: list[Any],
    ctx: Context,
    venue: str | None,
    category: str | None,
) -> EventGroup:
    title = str(master.get("SUMMARY", "")).strip()
    group = EventGroup(uid, f"UID {uid}", title)
    tz = ctx.city.timezone
    if not title:
        group.skip = "no SUMMARY (title)"
        return group
    if master.get("DTSTART") is None:
        group.skip = "no DTSTART"
        return group
    location = str(master.get("LOCATION", "")).strip()
    if venue is None:
        match = ctx.matcher.match(location)
        if match.venue_id is None:
            group.skip = (
                f"LOCATION {location!r}: {match.describe()}"
                if location
                else "no LOCATION (give --venue ID)"
            )
            return group
        venue_id = match.venue_id
    else:
        venue_id = venue
    event_category = _category(master, ctx) or category
    if event_category is None:
        cats = ", ".join(_categories(master)) or "none"
        group.skip = (
            f"CATEGORIES ({cats}) match no id or label of event_categories.csv (give --category ID)"
        )
        return group
    base = {
        "title": title,
        "category": event_category,
        "venue_id": venue_id,
        "dates_confirmed": "true",
        "recurrence": "",
        "price": "",
        "free": "",
        "url": str(master.get("URL", "")).strip() if is_web_url(str(master.get("URL", ""))) else "",
        "organiser": _organiser(master),
        "source": f"iCalendar {path.name} (UID {uid})",
        "uid": uid,
    }
    description = str(master.get("DESCRIPTION", "")).strip()
    if description:
        base[f"description_{ctx.city.default_language}"] = description
    recurrence = _simple_recurrence(master, events, tz)
    if master.get("RRULE") is None or recurrence:
        start, end = _times(master.get("DTSTART").dt, _end(master), tz)
        row_id = event_id(title, uid)
        group.rows = [{**base, "id": row_id, "start": start, "end": end, "recurrence": recurrence}]
        group.detail = f"kept as {recurrence}" if recurrence else ""
        return group
    occurrences = _expand(calendar, uid, master.get("DTSTART").dt, tz)
    for occurrence in occurrences:
        start, end = _times(occurrence.get("DTSTART").dt, _end(occurrence), tz)
        day = date.fromisoformat(start[:10])
        group.rows.append({**base, "id": event_id(title, uid, day), "start": start, "end": end})
    group.detail = f"expanded to {len(group.rows)} occurrences"
    if not group.rows:
        group.skip = "the recurrence rule has no occurrence"
    return group


def _simple_recurrence(master: Any, events: list[Any], tz: str) -> str:
    """``weekly``/``annual`` when the rule fits ``events.csv`` as it is (see decisions)."""
    rule = master.get("RRULE")
    if rule is None or isinstance(rule, list) or len(events) > 1:
        return ""
    if master.get("EXDATE") is not None or master.get("RDATE") is not None:
        return ""
    freq = (rule.get("FREQ") or [""])[0]
    if freq not in _SIMPLE_FREQ or rule.get("COUNT") or rule.get("UNTIL"):
        return ""
    if int((rule.get("INTERVAL") or [1])[0]) != 1:
        return ""
    start = master.get("DTSTART").dt
    if isinstance(start, datetime) and start.tzinfo is not None:
        zone = getattr(start.tzinfo, "key", None) or str(start.tzinfo)
        if zone != tz:
            return ""
    own = {
        "BYDAY": [_WEEKDAYS[start.weekday()]],
        "BYMONTH": [start.month],
        "BYMONTHDAY": [start.day],
        "WKST": rule.get("WKST"),
    }
    for part, values in rule.items():
        if part in ("FREQ", "INTERVAL"):
            continue
        if part not in own or [str(v) for v in values] != [str(v) for v in own[part] or []]:
            return ""
    return _SIMPLE_FREQ[freq]


def _expand(calendar: Any, uid: str, first: date, tz: str) -> list[Any]:
    """Occurrences of one UID from its first one up to the horizon (see decisions)."""
    single = icalendar.Calendar()
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE" or (
            component.name == "VEVENT" and str(component.get("UID")) == uid
        ):
            single.add_component(component)
    start_day = first.date() if isinstance(first, datetime) else first
    horizon = max(start_day, clock.today(tz))
    stop = (
        horizon.replace(year=horizon.year + EXPAND_YEARS)
        if not (horizon.month == 2 and horizon.day == 29)
        else horizon + timedelta(days=365 * 2)
    )
    found = recurring_ical_events.of(single).between(start_day, stop)
    return sorted(found, key=lambda e: _sort_key(e.get("DTSTART").dt))[:MAX_OCCURRENCES]


def _sort_key(value: date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is None else value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def _end(event: Any) -> date | None:
    end: date | None = None
    if event.get("DTEND") is not None:
        end = event.get("DTEND").dt
    elif event.get("DURATION") is not None:
        end = event.get("DTSTART").dt + event.get("DURATION").dt
    return end


def _times(start: date, end: date | None, tz: str) -> tuple[str, str]:
    """``events.csv`` start and end, local to the town (see decisions)."""
    if not isinstance(start, datetime):
        last = (
            (end - timedelta(days=1))
            if isinstance(end, date) and not isinstance(end, datetime) and end > start
            else start
        )
        return start.isoformat(), last.isoformat()
    local = _local(start, tz)
    local_end = _local(end, tz) if isinstance(end, datetime) else local
    local_end = max(local_end, local)
    return local.strftime("%Y-%m-%dT%H:%M"), local_end.strftime("%Y-%m-%dT%H:%M")


def _local(moment: datetime, tz: str) -> datetime:
    return moment if moment.tzinfo is None else clock.local(moment, tz)


def _categories(event: Any) -> list[str]:
    found = event.get("CATEGORIES")
    items = found if isinstance(found, list) else [found] if found is not None else []
    return [str(c).strip() for item in items for c in getattr(item, "cats", [item])]


def _category(event: Any, ctx: Context) -> str | None:
    for name in _categories(event):
        found = category_id(name, ctx)
        if found:
            return found
    return None


def _organiser(event: Any) -> str:
    organiser = event.get("ORGANIZER")
    if organiser is None:
        return ""
    name = organiser.params.get("CN") if hasattr(organiser, "params") else None
    return str(name or organiser).removeprefix("mailto:").removeprefix("MAILTO:").strip()
