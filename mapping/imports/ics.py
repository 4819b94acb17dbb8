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
  recurring-ical-events into one row per occurrence inside the import's
  :class:`~mapping.imports.event_source.Window` (default 30 days before today to two
  years ahead, at most 500 rows), **lazily**: occurrences are drawn one by one from
  the window's first day and drawing stops at its last day or the cap, so an hourly or
  minutely rule without end costs what the window holds, not what the rule holds. A
  rule with ``FREQ`` ``SECONDLY`` to ``WEEKLY`` (without ``BY…`` parts when it has a
  ``COUNT``) whose start lies far before the window is first moved forward by whole
  periods (:func:`_rebase`; the same occurrences in the window), because the rule
  engine walks every period from ``DTSTART``. Occurrences before the window and after
  the horizon or the cap are counted for the report; EXDATEs and moved occurrences
  are honoured.
- **Cancelled**: ``STATUS:CANCELLED`` on the event removes all its rows; on one moved
  occurrence (a ``RECURRENCE-ID`` override) it removes that occurrence.
- **Window**: a single event that ends before the window or starts after it is left
  out and counted.
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
  ``uid`` is the ``UID`` (the identity); ``source`` names the feed (see
  :mod:`mapping.imports.events`), never the file or the row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from mapping import clock
from mapping.errors import DataError, Problem
from mapping.imports.calendar_csv import category_id
from mapping.imports.event_source import Context, EventGroup, Window, event_id
from mapping.schema import RECURRENCE_ANNUAL, RECURRENCE_WEEKLY, is_web_url

DRAW_SIZE = 256
"""Occurrences are asked of the rule engine about this many periods at a time."""
AFTER_STEPS = 8
"""After the horizon, this many draws are counted for the report (then: "and more")."""
COUNT_LIMIT = 10_000
"""Occurrences before the window or after the horizon are counted up to this many."""
MAX_COUNT = 10_000
"""A ``COUNT`` above this on a rule that cannot be moved forward is refused (skipped)."""
_PERIOD = {
    "SECONDLY": timedelta(seconds=1),
    "MINUTELY": timedelta(minutes=1),
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(weeks=1),
}
_SIMPLE_FREQ = {"WEEKLY": RECURRENCE_WEEKLY, "YEARLY": RECURRENCE_ANNUAL}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def feed_name(path: Path) -> str:
    """The calendar's own name (``X-WR-CALNAME``), or ``""``."""
    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError):
        return ""
    return str(calendar.get("X-WR-CALNAME", "")).strip()


def read_groups(
    path: Path,
    ctx: Context,
    window: Window,
    *,
    venue: str | None = None,
    category: str | None = None,
) -> list[EventGroup]:
    """Every event of ``path`` (one group per UID) as rows in ``window``, or skipped
    with a reason."""
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
            groups.append(_group(calendar, uid, master, events, ctx, window, (venue, category)))
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
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
    calendar: Any,
    uid: str,
    master: Any,
    events: list[Any],
    ctx: Context,
    window: Window,
    given: tuple[str | None, str | None],
) -> EventGroup:
    venue, category = given
    title = str(master.get("SUMMARY", "")).strip()
    group = EventGroup(uid, f"UID {uid}", title)
    tz = ctx.city.timezone
    if _cancelled(master):
        group.cancelled = True
        group.detail = "STATUS:CANCELLED"
        return group
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
        "uid": uid,
    }
    description = str(master.get("DESCRIPTION", "")).strip()
    if description:
        base[f"description_{ctx.city.default_language}"] = description
    recurrence = _simple_recurrence(master, events, tz)
    if (master.get("RRULE") is None and master.get("RDATE") is None) or recurrence:
        start, end = _times(master.get("DTSTART").dt, _end(master), tz)
        row_id = event_id(title, uid)
        row = {**base, "id": row_id, "start": start, "end": end, "recurrence": recurrence}
        side = "" if recurrence else window.holds(start, end)
        if side == "before":
            group.before, group.detail = 1, f"ends before the window ({window.first})"
        elif side == "after":
            group.after, group.detail = 1, f"starts after the horizon ({window.last})"
        else:
            group.rows = [row]
            group.detail = f"kept as {recurrence}" if recurrence else ""
        return group
    _expand_into(group, base, calendar, events, tz, window)
    return group


def _expand_into(
    group: EventGroup,
    base: dict[str, str],
    calendar: Any,
    events: list[Any],
    tz: str,
    window: Window,
) -> None:
    """The group's rows: its occurrences in ``window``, drawn lazily (see decisions)."""
    master = next(e for e in events if e.get("RECURRENCE-ID") is None)
    rule = master.get("RRULE")
    rule = rule[0] if isinstance(rule, list) else rule
    skipped = _rebase(master, rule, tz, window) if rule is not None else 0
    if skipped is None:
        group.skip = f"RRULE COUNT above {MAX_COUNT} on a rule that cannot be moved forward"
        return
    single = icalendar.Calendar()
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE":
            single.add_component(component)
    for event in events:
        single.add_component(event)
    zone = ZoneInfo(tz)
    first = datetime.combine(window.first, time(), zone)
    stop = datetime.combine(window.last + timedelta(days=1), time(), zone)
    found = recurring_ical_events.of(single)
    since = _start_of(master)
    before = 0
    if since < window.first:
        before = sum(1 for o in found.between(since, first) if not _cancelled(o))
    has_by = rule is not None and any(str(k).startswith("BY") for k in rule)
    group.before = None if (skipped and has_by) else before + skipped
    step = _step(rule)
    cancelled = 0
    for occurrence in _drawn(found, first, stop, step):
        if _cancelled(occurrence):
            cancelled += 1
            continue
        if len(group.rows) >= window.cap:
            group.capped = True
            break
        start, end = _times(occurrence.get("DTSTART").dt, _end(occurrence), tz)
        day = date.fromisoformat(start[:10])
        title, uid = group.title, group.uid
        group.rows.append({**base, "id": event_id(title, uid, day), "start": start, "end": end})
    if not group.capped:
        later = _drawn(found, stop, stop + step * AFTER_STEPS, step)
        group.after = sum(1 for _ in itertools.islice(later, COUNT_LIMIT))
        group.more_after = group.after >= COUNT_LIMIT
    if rule is not None and not rule.get("COUNT") and not rule.get("UNTIL"):
        group.more_after = True
    group.detail = f"expanded to {len(group.rows)} occurrences in the window" + (
        f", {cancelled} cancelled" if cancelled else ""
    )


def _step(rule: Any) -> timedelta:
    """How much of the calendar one draw asks the rule engine for: about
    :data:`DRAW_SIZE` periods, an hour to a year."""
    freq = str((rule.get("FREQ") or [""])[0]).upper() if rule is not None else ""
    period = _PERIOD.get(freq, timedelta(days=366))
    return min(max(period * DRAW_SIZE, timedelta(hours=1)), timedelta(days=366))


def _drawn(found: Any, lo: datetime, hi: datetime, step: timedelta) -> Iterator[Any]:
    """The occurrences from ``lo`` to ``hi`` in time order, asked for ``step`` at a time
    (recurring-ical-events' own ``after`` asks for whole months, which for a rule by
    the second is millions at once); each once, even when it spans two draws."""
    seen: set[str] = set()
    at = lo
    while at < hi:
        upto = min(at + step, hi)
        batch = sorted(found.between(at, upto), key=lambda o: _sort_key(o.get("DTSTART").dt))
        now_seen: set[str] = set()
        for occurrence in batch:
            key = str(occurrence.get("DTSTART").dt)
            now_seen.add(key)
            if key not in seen:
                yield occurrence
        seen, at = now_seen, upto


def _sort_key(value: date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return datetime(value.year, value.month, value.day)


def _start_of(master: Any) -> date:
    start = master.get("DTSTART").dt
    return start.date() if isinstance(start, datetime) else start


def _cancelled(component: Any) -> bool:
    return str(component.get("STATUS", "")).strip().upper() == "CANCELLED"


def _rebase(master: Any, rule: Any, tz: str, window: Window) -> int | None:
    """Move a fast rule's ``DTSTART`` (and ``DTEND``) forward by whole periods to just
    before the window, so the rule engine does not walk every period since the start.

    Returns how many periods were skipped (0: not moved); ``None`` when the rule has a
    ``COUNT`` above :data:`MAX_COUNT` and cannot be moved (``BY…`` parts).
    """
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    count = int((rule.get("COUNT") or [0])[0])
    has_by = any(str(k).startswith("BY") for k in rule)
    if freq not in _PERIOD:  # a month or a year a period: at most ~10,000 up to 9999
        return 0
    if count and has_by:
        return None if count > MAX_COUNT else 0
    start = master.get("DTSTART").dt
    period = _PERIOD[freq] * int((rule.get("INTERVAL") or [1])[0])
    if isinstance(start, datetime):
        zone = start.tzinfo
        edge = datetime.combine(window.first, time())
        if zone is not None:
            edge = clock.local(edge, tz).astimezone(zone).replace(tzinfo=None)
        naive = start.replace(tzinfo=None)
    else:
        if period < timedelta(days=1):
            return 0
        zone, edge = None, datetime.combine(window.first, time())
        naive = datetime.combine(start, time())
    steps = (edge - naive) // period - 1
    if steps <= 0:
        return 0
    if count:
        steps = min(steps, count - 1)  # the last occurrence stays, before the window
        if steps <= 0:
            return 0
        rule["COUNT"] = [count - steps]
    shift = period * steps
    moved = (naive + shift).replace(tzinfo=zone) if isinstance(start, datetime) else start + shift
    end = master.get("DTEND")
    master.pop("DTSTART")
    master.add("DTSTART", moved)
    if end is not None:
        master.pop("DTEND")
        master.add("DTEND", end.dt + shift)
    return int(steps)


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
