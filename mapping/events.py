"""Events: read ``events.csv``, expand recurrences into occurrences, filter, group, label.

Decisions (kept here so the page, the CLI and the tests agree):

- **All-day events** (dates without times) start at local 00:00 and their ``end`` is
  *exclusive*: local 00:00 of the day after the last day, exactly like an iCalendar
  ``DTEND;VALUE=DATE``. A timed event without ``end`` ends when it starts; an all-day
  event without ``end`` lasts one day.
- **Range edges.** A range ``[start, end]`` of local dates is the half-open interval
  from ``start`` 00:00 to ``end + 1 day`` 00:00. An occurrence is in it when it starts
  before the range ends and ends after the range starts, so an event that started
  yesterday and ends tomorrow is "on" today, and one that ends exactly at 00:00 of the
  range's first day is not. A zero-length occurrence counts at its start.
- **Recurrence** (``annual``/``weekly``) repeats the first occurrence for ever with
  ``dateutil.rrule``, keeping the local wall-clock time across DST changes (19:00 stays
  19:00 in March and in October). Rules are built per distinct (weekday or day-of-year,
  time) and cached, so 200,000 events cost a few hundred rrule calls, not 200,000.
- **Local times that do not exist or exist twice** (the DST change nights) are shifted
  forward to the first valid time, and the first (summer-time) reading is used.
- **Unconfirmed dates** (``dates_confirmed=false``): the usual window is moved to each
  year (annual) and flagged ``confirmed=False``; the page shows only the month. Because
  the real days are unknown, such an occurrence is in a range when its *months* overlap
  it (a 2-10 July window matches a 20-31 July range).
- **Grouping by day.** A confirmed occurrence is listed on every local day it runs within
  the range (people ask "what's on Saturday", and a month-long exhibition is on then).
  Unconfirmed ones are grouped by month instead, once per event and month.
- **Bad rows.** :func:`read_events` reports every problem. Rows whose timing cannot be
  trusted (id, start, end, recurrence, duplicate id) are left out of the frame; other
  bad values fall back to the safe reading: a bad ``dates_confirmed`` reads as
  unconfirmed (no invented dates), a bad ``free`` as unknown, a malformed ``url`` as
  none. An empty ``dates_confirmed`` means the dates are as given.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from dateutil.rrule import WEEKLY, YEARLY, rrule

from mapping._errors import Problem
from mapping.i18n import localized, month_name, t, weekday_name
from mapping.text import fold, search_keys

EVENT_COLUMNS: tuple[str, ...] = (
    "id", "title", "title_en", "description_me", "description_en", "category", "venue_id",
    "start", "end", "dates_confirmed", "recurrence", "price", "free", "url", "organiser",
    "source",
)
REQUIRED: tuple[str, ...] = ("id", "title", "category", "venue_id", "start")
RECURRENCES: tuple[str, ...] = ("", "annual", "weekly")
OCCURRENCE_COLUMNS: tuple[str, ...] = (
    "event_id", "occurrence_start", "occurrence_end", "confirmed",
)
NEXT_EVENTS_HORIZON_DAYS = 400

_DAY_NS = 86_400 * 10**9
_DATE_RE = r"\d{4}-\d{2}-\d{2}"
_DATETIME_RE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?"
_EXPECTED_DATE = "expected YYYY-MM-DD (all-day) or YYYY-MM-DDTHH:MM (local time)"
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


# --------------------------------------------------------------------------- reading


def read_events(path: Path, tz: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``events.csv`` into the loaded form of the contract, with every problem found.

    Never raises for bad content: an unreadable, empty or unparsable file gives an empty
    frame and one problem naming the file; a row with the wrong number of fields is left
    out with a problem naming its row ("row N" counts data rows from 1). Adds a
    ``search`` column (folded titles, descriptions and organiser) so a text search does
    not fold 200,000 strings per query.
    """
    path = Path(path)
    file = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return _empty_events(tz), [Problem(file, "-", "-", f"file not found: {path}")]
    except UnicodeDecodeError as exc:
        msg = f"malformed CSV, expected UTF-8 text: {exc}"
        return _empty_events(tz), [Problem(file, "-", "-", msg)]
    except OSError as exc:
        return _empty_events(tz), [Problem(file, "-", "-", f"cannot read the file: {exc}")]
    if not text.strip():
        msg = "empty file: expected a header row with " + ",".join(EVENT_COLUMNS)
        return _empty_events(tz), [Problem(file, "-", "-", msg)]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        lines = [(reader.line_num, row) for row in reader if row]
    except csv.Error as exc:
        msg = f"malformed CSV near line {reader.line_num}: {exc}"
        return _empty_events(tz), [Problem(file, "-", "-", msg)]
    header = [c.strip() for c in lines[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        msg = f"missing column(s) {', '.join(missing)}; expected header {','.join(EVENT_COLUMNS)}"
        return _empty_events(tz), [Problem(file, "header", ",".join(missing), msg)]
    found: list[tuple[int, Problem]] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, (line, row) in enumerate(lines[1:], start=1):
        if len(row) == len(header):
            rows.append(row)
            numbers.append(number)
        else:  # a shifted row would put values in the wrong columns: leave it out
            msg = (f"malformed CSV: {len(row)} fields on line {line}, expected {len(header)} "
                   "(a comma in a value needs quotes)")
            found.append((number, Problem(file, f"row {number}", "", msg)))
    raw = pd.DataFrame(rows, columns=header, dtype=str)
    frame = _parse_events(raw, tz, file, numbers, found)
    found.sort(key=lambda item: item[0])  # file order; stable within a row
    return frame, [problem for _, problem in found]


def _parse_events(raw: pd.DataFrame, tz: str, file: str, numbers: list[int],
                  found: list[tuple[int, Problem]]) -> pd.DataFrame:
    """Check and convert the text cells, appending (row number, problem) to ``found``.

    ``numbers`` are the 1-based data row numbers of ``raw`` in the file.
    """
    frame = raw.copy()
    for column in EVENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    for column in frame.columns:
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    n = len(frame)
    ids = frame["id"].to_numpy(dtype=object)
    records = [i if i else f"row {numbers[k]}" for k, i in enumerate(ids)]
    drop = np.zeros(n, dtype=bool)

    def report(mask: np.ndarray, field: str, message: object, *, fatal: bool) -> None:
        for k in np.flatnonzero(mask):
            text = message(k) if callable(message) else str(message)
            found.append((numbers[k], Problem(file, records[k], field, text)))
        if fatal:
            drop[mask] = True

    for column in REQUIRED:
        empty = (frame[column] == "").to_numpy()
        report(empty, column, "required, is empty", fatal=column in ("id", "start"))

    seen: dict[str, int] = {}
    duplicate = np.zeros(n, dtype=bool)
    for k, i in enumerate(ids):
        if i and i in seen:
            duplicate[k] = True
        elif i:
            seen[i] = k
    report(duplicate, "id", lambda k: f"duplicate id (first used in row {numbers[seen[ids[k]]]})",
           fatal=True)

    start_text, end_text = frame["start"], frame["end"]
    start_naive, start_is_date, start_ok = _parse_local(start_text)
    end_naive, end_is_date, end_ok = _parse_local(end_text)
    has_start = (start_text != "").to_numpy()
    has_end = (end_text != "").to_numpy()
    report(has_start & ~start_ok, "start",
           lambda k: f"{_EXPECTED_DATE}, got {start_text.iat[k]!r}", fatal=True)
    report(has_end & ~end_ok, "end",
           lambda k: f"{_EXPECTED_DATE}, got {end_text.iat[k]!r}", fatal=True)
    mixed = start_ok & end_ok & has_end & (start_is_date != end_is_date)
    report(mixed, "end", lambda k: (
        "expected YYYY-MM-DD like start (an all-day event)" if start_is_date[k]
        else "expected YYYY-MM-DDTHH:MM like start (a timed event)"), fatal=True)

    all_day = start_ok & start_is_date
    one_day = pd.Timedelta(days=1)
    start_naive = pd.Series(start_naive)
    given_end = pd.Series(end_naive)
    before = start_ok & end_ok & has_end & ~mixed & (given_end < start_naive).to_numpy()
    report(before, "end",
           lambda k: f"end {end_text.iat[k]} is before start {start_text.iat[k]}", fatal=True)
    # All-day end is exclusive: the midnight after the last day. No end: one day / no length.
    end_naive = given_end.where(~all_day, given_end + one_day)
    default_end = start_naive.where(~all_day, start_naive + one_day)
    end_naive = end_naive.where(has_end & end_ok, default_end)

    recurrence = frame["recurrence"].str.lower()
    bad_rec = ~recurrence.isin(RECURRENCES).to_numpy()
    report(bad_rec, "recurrence",
           lambda k: f"expected empty, 'annual' or 'weekly', got {frame['recurrence'].iat[k]!r}",
           fatal=True)

    confirmed, bad_conf, confirmed_known = _parse_bool(frame["dates_confirmed"])
    report(bad_conf, "dates_confirmed",
           lambda k: f"expected true or false, got {frame['dates_confirmed'].iat[k]!r}",
           fatal=False)
    free, bad_free, free_known = _parse_bool(frame["free"])
    report(bad_free, "free",
           lambda k: f"expected true, false or empty (unknown), got {frame['free'].iat[k]!r}",
           fatal=False)
    urls = frame["url"]
    bad_url = np.array([bool(u) and not _valid_url(u) for u in urls], dtype=bool)
    report(bad_url, "url",
           lambda k: f"expected an http(s) address like https://example.org/, got {urls.iat[k]!r}",
           fatal=False)

    out = frame.copy()
    out["start"] = _localize(start_naive.to_numpy(), tz)
    out["end"] = _localize(end_naive.to_numpy(), tz)
    out["recurrence"] = recurrence
    # Empty means "as given"; a value we cannot read means "not confirmed" (never invent).
    # Empty means "as given"; a value we cannot read means "not confirmed" (never invent).
    out["dates_confirmed"] = np.where(confirmed_known, confirmed & ~bad_conf, True)
    free_values = pd.array(free, dtype="boolean")
    free_values[~free_known | bad_free] = pd.NA
    out["free"] = free_values
    out["url"] = urls.where(~bad_url, "")
    out["all_day"] = all_day
    ordered = [*EVENT_COLUMNS, *[c for c in out.columns if c not in EVENT_COLUMNS]]
    out = out[ordered]
    out = out.loc[~drop].reset_index(drop=True)
    out["search"] = _search_column(out)
    return out


def _parse_bool(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lowered = values.str.lower()
    true = lowered.isin(_TRUE).to_numpy()
    false = lowered.isin(_FALSE).to_numpy()
    known = (values != "").to_numpy()
    return true, known & ~true & ~false, known


def _valid_url(url: str) -> bool:
    if any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and ("." in host or host == "localhost")


def _parse_local(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Naive local datetimes (ns), "was date-only", and "parsed" for ISO date strings."""
    is_date = text.str.fullmatch(_DATE_RE).to_numpy(dtype=bool)
    is_datetime = text.str.fullmatch(_DATETIME_RE).to_numpy(dtype=bool)
    candidate = text.where(is_date | is_datetime, None)
    parsed = pd.to_datetime(candidate, format="ISO8601", errors="coerce")
    naive = pd.DatetimeIndex(parsed).as_unit("ns").to_numpy()
    ok = ~np.isnat(naive)
    return naive, is_date & ok, ok


def _localize(naive: np.ndarray, tz: str) -> pd.DatetimeIndex:
    """Local wall times -> aware; DST gaps shift forward, repeated hours read as summer time."""
    index = pd.DatetimeIndex(naive).as_unit("ns")
    return index.tz_localize(tz, ambiguous=np.ones(len(index), dtype=bool),
                             nonexistent="shift_forward")


def _empty_events(tz: str) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in EVENT_COLUMNS})
    frame["start"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
    frame["end"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
    frame["dates_confirmed"] = pd.Series(dtype=bool)
    frame["free"] = pd.Series(dtype="boolean")
    frame["all_day"] = pd.Series(dtype=bool)
    frame["search"] = pd.Series(dtype=str)
    return frame


def _search_column(frame: pd.DataFrame) -> pd.Series:
    columns = [c for c in frame.columns
               if c == "title" or c.startswith(("title_", "description"))]
    return search_keys(frame, [*columns, "organiser"]).astype(str)


def check_references(events: pd.DataFrame, venue_ids: set[str], category_ids: set[str],
                     file: str) -> list[Problem]:
    """Events pointing at a venue or a category that does not exist."""
    problems: list[Problem] = []
    for row in events[["id", "venue_id", "category"]].itertuples(index=False):
        if row.venue_id and row.venue_id not in venue_ids:
            problems.append(Problem(file, row.id, "venue_id",
                                    f"unknown venue {row.venue_id!r}: expected an id from "
                                    "venues.geojson"))
        if row.category and row.category not in category_ids:
            problems.append(Problem(file, row.id, "category",
                                    f"unknown category {row.category!r}: expected an id from "
                                    "event_categories.csv"))
    return problems


# --------------------------------------------------------------------------- expansion


@dataclass(frozen=True)
class _Expanded:
    """Occurrences as arrays: positional event row, UTC start/end (ns), confirmed."""

    rows: np.ndarray
    start: np.ndarray
    end: np.ndarray
    confirmed: np.ndarray


def _naive_ns(values: object, tz: str) -> np.ndarray:
    index = pd.DatetimeIndex(values)
    if index.tz is not None:
        index = index.tz_convert(tz).tz_localize(None)
    return index.as_unit("ns").asi8


def _utc_ns(values: object) -> np.ndarray:
    return pd.DatetimeIndex(values).as_unit("ns").asi8


def _midnight(day: date, tz: str) -> int:
    return int(_localize(np.array([np.datetime64(day, "ns")]), tz).asi8[0])


def _month_floor(naive_ns: np.ndarray) -> np.ndarray:
    return naive_ns.astype("datetime64[ns]").astype("datetime64[M]").astype("datetime64[ns]") \
        .astype(np.int64)


def _next_month(naive_ns: np.ndarray) -> np.ndarray:
    months = naive_ns.astype("datetime64[ns]").astype("datetime64[M]") + np.timedelta64(1, "M")
    return months.astype("datetime64[ns]").astype(np.int64)


def _last_instant(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The last moment an occurrence covers (end is exclusive; zero length -> start)."""
    return np.where(end > start, end - 1, start)


@lru_cache(maxsize=4096)
def _rule_days(freq: int, slot: tuple[int, ...], lo: datetime, hi: datetime) -> np.ndarray:
    """Local midnights (naive ns) between ``lo`` and ``hi`` of a weekly or yearly rule.

    ``slot`` is ``(weekday,)`` for WEEKLY and ``(month, day)`` for YEARLY. Every event
    sharing a slot shares this one rrule call; the event's own wall-clock time is added
    afterwards, which keeps 19:00 at 19:00 across DST changes. The rule is anchored at
    ``lo``; each event then drops the days before its own first start, which gives
    exactly ``rrule(freq, dtstart=first_start)``. 29 February recurs in leap years only,
    as rrule does.
    """
    if freq == WEEKLY:
        rule = rrule(WEEKLY, dtstart=lo, byweekday=slot[0])
    else:
        rule = rrule(YEARLY, dtstart=lo, bymonth=slot[0], bymonthday=slot[1])
    return np.array(rule.between(lo, hi, inc=True), dtype="datetime64[ns]").astype(np.int64)


def _expand_recurring(freq: int, rows: np.ndarray, first: np.ndarray, duration: np.ndarray,
                      *, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate occurrences (rows, naive start, naive end) on days in [lo, hi] (naive ns)."""
    if len(rows) == 0 or hi < lo:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    index = pd.DatetimeIndex(first)
    time_of_day = first - index.normalize().asi8
    if freq == WEEKLY:
        keys = index.day_of_week.to_numpy().astype(np.int64)
    else:
        keys = (index.month.to_numpy() * 32 + index.day.to_numpy()).astype(np.int64)
    unique, codes = np.unique(keys, return_inverse=True)
    lo_dt = pd.Timestamp(lo).floor("D").to_pydatetime()
    hi_dt = pd.Timestamp(hi).to_pydatetime()
    slots = [(int(k),) if freq == WEEKLY else (int(k) // 32, int(k) % 32) for k in unique]
    per_key = [_rule_days(freq, slot, lo_dt, hi_dt) for slot in slots]
    counts = np.array([len(p) for p in per_key], dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    flat = np.concatenate(per_key)
    n_per_event = counts[codes]
    event = np.repeat(np.arange(len(rows)), n_per_event)
    within = np.arange(n_per_event.sum()) - np.repeat(np.cumsum(n_per_event) - n_per_event,
                                                      n_per_event)
    starts = flat[np.repeat(offsets[codes], n_per_event) + within] + time_of_day[event]
    keep = starts >= first[event]  # the rule starts at the event's first start
    event, starts = event[keep], starts[keep]
    return rows[event], starts, starts + duration[event]


def _expand(events: pd.DataFrame, start: date, end: date, tz: str) -> _Expanded:
    """Every occurrence overlapping the local dates [start, end], as arrays (unsorted)."""
    n = len(events)
    if n == 0 or end < start:
        empty = np.empty(0, dtype=np.int64)
        return _Expanded(empty, empty, empty, np.empty(0, dtype=bool))
    range_lo = _midnight(start, tz)
    range_hi = _midnight(end + timedelta(days=1), tz)
    naive_lo = np.datetime64(start, "ns").astype(np.int64)
    naive_hi = np.datetime64(end + timedelta(days=1), "ns").astype(np.int64)
    month_lo = int(_month_floor(np.array([naive_lo]))[0])
    month_hi = int(_next_month(np.array([naive_hi - 1]))[0])

    start_utc = _utc_ns(events["start"])
    end_utc = _utc_ns(events["end"])
    recurrence = events["recurrence"].to_numpy(dtype=object)
    confirmed = events["dates_confirmed"].to_numpy(dtype=bool)
    once = recurrence == ""

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    # One-off, confirmed: exact interval overlap in UTC.
    sel = np.flatnonzero(once & confirmed)
    hit = _overlaps(start_utc[sel], end_utc[sel], range_lo, range_hi)
    sel = sel[hit]
    parts.append((sel, start_utc[sel], end_utc[sel], np.ones(len(sel), dtype=bool)))
    # One-off, unconfirmed: month overlap in local time.
    sel = np.flatnonzero(once & ~confirmed)
    if len(sel):
        s_loc = _naive_ns(events["start"].iloc[sel], tz)
        e_loc = _naive_ns(events["end"].iloc[sel], tz)
        hit = _months_overlap(s_loc, e_loc, naive_lo, naive_hi)
        sel = sel[hit]
        parts.append((sel, start_utc[sel], end_utc[sel], np.zeros(len(sel), dtype=bool)))

    for freq, name in ((WEEKLY, "weekly"), (YEARLY, "annual")):
        for flag in (True, False):
            sel = np.flatnonzero((recurrence == name) & (confirmed == flag))
            if not len(sel):
                continue
            first = _naive_ns(events["start"].iloc[sel], tz)
            duration = _naive_ns(events["end"].iloc[sel], tz) - first
            longest = int(duration.max())
            if flag:  # one day of slack each side for DST; the exact test follows
                lo, hi = naive_lo - longest - _DAY_NS, naive_hi + _DAY_NS
            else:
                lo, hi = month_lo - longest - _DAY_NS, month_hi
            rows, s_loc, e_loc = _expand_recurring(freq, sel, first, duration, lo=lo, hi=hi)
            s_utc = _localize(s_loc, tz).asi8
            e_utc = _localize(e_loc, tz).asi8
            if flag:
                hit = _overlaps(s_utc, e_utc, range_lo, range_hi)
            else:
                hit = _months_overlap(s_loc, e_loc, naive_lo, naive_hi)
            parts.append((rows[hit], s_utc[hit], e_utc[hit], np.full(int(hit.sum()), flag)))

    return _Expanded(
        np.concatenate([p[0] for p in parts]).astype(np.int64),
        np.concatenate([p[1] for p in parts]).astype(np.int64),
        np.concatenate([p[2] for p in parts]).astype(np.int64),
        np.concatenate([p[3] for p in parts]).astype(bool),
    )


def _overlaps(start: np.ndarray, end: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Half-open overlap with [lo, hi); a zero-length occurrence counts at its start."""
    return (start < hi) & ((end > lo) | ((end == start) & (start >= lo)))


def _months_overlap(start: np.ndarray, end: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Do the calendar months an occurrence touches overlap [lo, hi) (naive local ns)?"""
    first_month = _month_floor(start)
    after_last = _next_month(_last_instant(start, end))
    return (first_month < hi) & (after_last > lo)


def occurrences(events: pd.DataFrame, start: date, end: date, tz: str) -> pd.DataFrame:
    """Every occurrence overlapping the local dates [start, end], sorted by start, then title.

    Columns: the event's columns plus ``event_id``, ``occurrence_start``,
    ``occurrence_end`` (aware, in ``tz``) and ``confirmed``.
    """
    expanded = _expand(events, start, end, tz)
    out = _frame(events, expanded, tz)
    out.attrs["range"] = (start, end)
    return out


def _frame(events: pd.DataFrame, expanded: _Expanded, tz: str) -> pd.DataFrame:
    rows = expanded.rows
    if len(rows):
        unique, inverse = np.unique(rows, return_inverse=True)
        titles = events["title"].iloc[unique].astype(str).array
        title_rank = np.empty(len(unique), dtype=np.int64)
        title_rank[np.asarray(titles.argsort())] = np.arange(len(unique))
        order = np.lexsort((title_rank[inverse], expanded.start))
    else:
        order = np.empty(0, dtype=np.int64)
    out = events.iloc[rows[order]].reset_index(drop=True)
    out["event_id"] = out["id"]
    out["occurrence_start"] = pd.DatetimeIndex(expanded.start[order], tz="UTC").tz_convert(tz)
    out["occurrence_end"] = pd.DatetimeIndex(expanded.end[order], tz="UTC").tz_convert(tz)
    out["confirmed"] = expanded.confirmed[order]
    return out


# --------------------------------------------------------------------------- queries


def filter_occurrences(occ: pd.DataFrame, *, categories: list[str] | None,
                       venue_ids: set[str] | None, text: str = "", lang: str) -> pd.DataFrame:
    """Occurrences matching every given filter; ``None`` means "any", an empty list "none".

    ``text`` matches titles in every language, descriptions and organiser, ignoring case
    and diacritics ("durkovic" finds "Đurković"); every word must match. ``lang`` is
    accepted so callers need not know that the search is language-independent.
    """
    del lang  # the search covers every language on purpose
    mask = np.ones(len(occ), dtype=bool)
    if categories is not None:
        mask &= occ["category"].isin(list(categories)).to_numpy()
    if venue_ids is not None:
        mask &= occ["venue_id"].isin(list(venue_ids)).to_numpy()
    words = fold(text).split()
    if words and len(occ):
        haystack = occ["search"] if "search" in occ.columns else _search_column(occ)
        haystack = haystack.astype(str)
        for word in words:
            mask &= haystack.str.contains(word, regex=False).to_numpy(dtype=bool)
    # No copy of 100,000 rows when nothing is filtered out (pandas copies lazily).
    out = occ.copy(deep=False) if mask.all() else occ.loc[mask].reset_index(drop=True)
    out.attrs = dict(occ.attrs)
    return out


def _range_of(occ: pd.DataFrame, start: date | None, end: date | None) -> tuple[date | None,
                                                                                 date | None]:
    given = occ.attrs.get("range", (None, None))
    return (start if start is not None else given[0], end if end is not None else given[1])


def group_by_day(occ: pd.DataFrame, tz: str, *, start: date | None = None,
                 end: date | None = None) -> list[tuple[date, pd.DataFrame]]:
    """Confirmed occurrences by local day; a multi-day one is listed on each day it runs.

    Days are limited to [start, end] (default: the range :func:`occurrences` was asked
    for). Within a day the order of ``occ`` (start, then title) is kept.
    """
    start, end = _range_of(occ, start, end)
    wanted = np.flatnonzero(occ["confirmed"].to_numpy(dtype=bool)) if len(occ) else []
    if not len(wanted):
        return []
    s_loc = _naive_ns(occ["occurrence_start"].iloc[wanted], tz)
    e_loc = _naive_ns(occ["occurrence_end"].iloc[wanted], tz)
    first = s_loc // _DAY_NS
    last = _last_instant(s_loc, e_loc) // _DAY_NS
    epoch = date(1970, 1, 1)
    if start is not None:
        first = np.maximum(first, (start - epoch).days)
    if end is not None:
        last = np.minimum(last, (end - epoch).days)
    count = np.clip(last - first + 1, 0, None)
    position = np.repeat(wanted, count)
    day = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count,
                                                                        count))
    order = np.lexsort((position, day))
    day, position = day[order], position[order]
    taken = occ.iloc[position].reset_index(drop=True)  # one copy, then cheap slices
    bounds = np.flatnonzero(np.diff(day)) + 1
    groups: list[tuple[date, pd.DataFrame]] = []
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(day)], strict=True):
        groups.append((epoch + timedelta(days=int(day[lo])),
                       taken.iloc[lo:hi].reset_index(drop=True)))
    return groups


def unconfirmed_by_month(occ: pd.DataFrame, *, start: date | None = None,
                         end: date | None = None) -> list[tuple[tuple[int, int], pd.DataFrame]]:
    """Unconfirmed occurrences by (year, month), once per event and month.

    A window spanning months (22 Dec - 8 Jan) is listed under each month, limited to the
    months of [start, end] (default: the range :func:`occurrences` was asked for).
    """
    start, end = _range_of(occ, start, end)
    pending = occ.loc[~occ["confirmed"].to_numpy(dtype=bool)] if len(occ) else occ
    if not len(pending):
        return []
    s_loc = pd.DatetimeIndex(pending["occurrence_start"]).tz_localize(None)
    e_loc = pd.DatetimeIndex(pending["occurrence_end"]).tz_localize(None)
    first = s_loc.year.to_numpy() * 12 + s_loc.month.to_numpy() - 1
    last_instant = pd.DatetimeIndex(_last_instant(s_loc.asi8, e_loc.asi8))
    last = last_instant.year.to_numpy() * 12 + last_instant.month.to_numpy() - 1
    if start is not None:
        first = np.maximum(first, start.year * 12 + start.month - 1)
    if end is not None:
        last = np.minimum(last, end.year * 12 + end.month - 1)
    count = np.clip(last - first + 1, 0, None)
    position = np.repeat(np.arange(len(pending)), count)
    month = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count,
                                                                          count))
    ids = pending["event_id"].to_numpy(dtype=object)[position]
    seen: set[tuple[int, str]] = set()
    keep = np.zeros(len(position), dtype=bool)
    for k, (m, i) in enumerate(zip(month, ids, strict=True)):
        if (m, i) not in seen:
            seen.add((m, i))
            keep[k] = True
    month, position = month[keep], position[keep]
    order = np.lexsort((position, month))
    month, position = month[order], position[order]
    taken = pending.iloc[position].reset_index(drop=True)
    groups: list[tuple[tuple[int, int], pd.DataFrame]] = []
    bounds = np.flatnonzero(np.diff(month)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(month)], strict=True):
        m = int(month[lo])
        groups.append(((m // 12, m % 12 + 1), taken.iloc[lo:hi].reset_index(drop=True)))
    return groups


def events_per_month(events: pd.DataFrame, first_month: date, months: int,
                     tz: str) -> pd.DataFrame:
    """Distinct events running in each month, confirmed and unconfirmed counted apart.

    A weekly event counts once per month; an exhibition spanning three months counts in
    each. Columns: ``year``, ``month``, ``confirmed``, ``unconfirmed``.
    """
    base = first_month.year * 12 + first_month.month - 1
    labels = [divmod(base + k, 12) for k in range(months)]
    result = pd.DataFrame({
        "year": np.array([y for y, _ in labels], dtype=np.int64),
        "month": np.array([m + 1 for _, m in labels], dtype=np.int64),
        "confirmed": np.zeros(months, dtype=np.int64),
        "unconfirmed": np.zeros(months, dtype=np.int64),
    })
    if months <= 0 or not len(events):
        return result
    start = date(first_month.year, first_month.month, 1)
    last_y, last_m = divmod(base + months, 12)
    end = date(last_y, last_m + 1, 1) - timedelta(days=1)
    expanded = _expand(events, start, end, tz)
    if not len(expanded.rows):
        return result
    s_loc = pd.DatetimeIndex(expanded.start, tz="UTC").tz_convert(tz).tz_localize(None)
    last_instant = pd.DatetimeIndex(_last_instant(expanded.start, expanded.end),
                                    tz="UTC").tz_convert(tz).tz_localize(None)
    first = s_loc.year.to_numpy() * 12 + s_loc.month.to_numpy() - 1 - base
    last = last_instant.year.to_numpy() * 12 + last_instant.month.to_numpy() - 1 - base
    first, last = np.maximum(first, 0), np.minimum(last, months - 1)
    count = np.clip(last - first + 1, 0, None)
    rows = np.repeat(expanded.rows, count)
    flags = np.repeat(expanded.confirmed, count)
    month = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count,
                                                                          count))
    keys = np.unique((rows * months + month) * 2 + flags)
    month, flags = (keys // 2) % months, (keys % 2).astype(bool)
    result["confirmed"] = np.bincount(month[flags], minlength=months)[:months]
    result["unconfirmed"] = np.bincount(month[~flags], minlength=months)[:months]
    return result


def upcoming(events: pd.DataFrame, venue_ids: set[str], now: datetime, tz: str,
             n: int = 3) -> pd.DataFrame:
    """Each venue's next ``n`` occurrences still to come or running at ``now`` (for the
    venue cards), in start order; unconfirmed ones count from their expected month."""
    mine = events.loc[events["venue_id"].isin(list(venue_ids)).to_numpy(dtype=bool)]
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize(tz) if now_ts.tzinfo is None else now_ts.tz_convert(tz)
    today = now_ts.date()
    occ = occurrences(mine, today, today + timedelta(days=NEXT_EVENTS_HORIZON_DAYS), tz)
    if not len(occ):
        return occ
    running = (occ["occurrence_end"] > now_ts) | (occ["occurrence_start"] >= now_ts)
    keep = running.to_numpy(dtype=bool) | ~occ["confirmed"].to_numpy(dtype=bool)
    return occ.loc[keep].groupby("venue_id", sort=False).head(n).reset_index(drop=True)


def next_events(events: pd.DataFrame, venue_id: str, now: datetime, tz: str,
                n: int = 3) -> pd.DataFrame:
    """The venue's next ``n`` occurrences still to come or running at ``now``."""
    return upcoming(events, {venue_id}, now, tz, n)


# --------------------------------------------------------------------------- text


def card_lines(occ: pd.DataFrame, lang: str, languages: Sequence[str]) -> dict[str, list[str]]:
    """Occurrences as one plain-text line each ("Sat 4 Jul, 20:00–22:00 — Title"), per
    venue id, in ``occ``'s order: the event list of a venue card on any map."""
    lines: dict[str, list[str]] = {}
    for row in occ.to_dict("records"):
        title = localized(row, "title", lang, languages)
        lines.setdefault(str(row["venue_id"]), []).append(
            f"{occurrence_label(row, lang)} — {title}")
    return lines


def _languages_of(frame: pd.DataFrame | Mapping) -> list[str]:
    columns = frame.columns if isinstance(frame, pd.DataFrame) else frame.keys()
    found: list[str] = []
    for column in columns:
        match = re.fullmatch(r"(?:title|description)_([a-z]{2,3})", str(column))
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def _day_text(moment: pd.Timestamp, lang: str, *, year: bool = False) -> str:
    key = "events.label.day_year" if year else "events.label.day"
    return t(key, lang, weekday=weekday_name(moment.weekday(), lang),
             day=moment.day, month=month_name(moment.month, lang),
             year=moment.year)


def _month_text(moment: pd.Timestamp, lang: str) -> str:
    return t("events.label.month_year", lang,
             month=month_name(moment.month, lang, long=True), year=moment.year)


def occurrence_label(row: Mapping, lang: str, *, year: bool = False) -> str:
    """When an occurrence happens, in words: "Sat 4 Jul, 20:00–22:00", "Sat 4 Jul".

    Unconfirmed dates give only the month(s): "July 2026 · dates to be confirmed".
    """
    start = pd.Timestamp(row["occurrence_start"])
    end = pd.Timestamp(row["occurrence_end"])
    last = end - pd.Timedelta(1, "ns") if end > start else start
    if not bool(row.get("confirmed", True)):
        period = _month_text(start, lang)
        if (last.year, last.month) != (start.year, start.month):
            period = t("events.label.span", lang, first=period, last=_month_text(last, lang))
        return t("events.label.tbc", lang, period=period)
    if bool(row.get("all_day", False)):
        first_day = _day_text(start, lang, year=year)
        if last.date() == start.date():
            return first_day
        return t("events.label.span", lang, first=first_day, last=_day_text(last, lang, year=year))
    day = _day_text(start, lang, year=year)
    if end <= start:
        return t("events.label.timed_open", lang, date=day, start=f"{start:%H:%M}")
    if end - start < pd.Timedelta(days=1):
        return t("events.label.timed", lang, date=day, start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    return t("events.label.span_timed", lang, date=day, start=f"{start:%H:%M}",
             date_end=_day_text(end, lang, year=year), end=f"{end:%H:%M}")


def _price_text(row: Mapping, lang: str) -> str:
    free = row.get("free", pd.NA)
    price = str(row.get("price", "") or "").strip()
    if free is not pd.NA and free is not None and bool(free):
        return t("events.free", lang)
    return price


def _date_column(row: Mapping) -> tuple[str, str]:
    """ISO start/end for exports; only ``YYYY-MM`` when the dates are not confirmed."""
    start = pd.Timestamp(row["occurrence_start"])
    end = pd.Timestamp(row["occurrence_end"])
    if not bool(row.get("confirmed", True)):
        last = end - pd.Timedelta(1, "ns") if end > start else start
        return f"{start:%Y-%m}", "" if last.month == start.month else f"{last:%Y-%m}"
    if bool(row.get("all_day", False)):
        last = end - pd.Timedelta(days=1) if end > start else start
        return f"{start:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    return f"{start:%Y-%m-%dT%H:%M}", f"{end:%Y-%m-%dT%H:%M}"


def events_table(occ: pd.DataFrame, lang: str, languages: Sequence[str] | None = None) -> str:
    """A plain-text table for the command line (one line per occurrence)."""
    if not len(occ):
        return t("events.none", lang) + "\n"
    langs = list(languages) if languages is not None else _languages_of(occ)
    header = [t(f"events.column.{c}", lang) for c in ("date", "when", "title", "venue",
                                                       "category", "price")]
    lines = [header]
    for row in occ.to_dict("records"):
        lines.append([_date_column(row)[0][:10], occurrence_label(row, lang),
                      localized(row, "title", lang, langs), str(row.get("venue_id", "")),
                      str(row.get("category", "")), _price_text(row, lang)])
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    rendered = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
                for line in lines]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered) + "\n"


CSV_COLUMNS: tuple[str, ...] = (
    "event_id", "start", "end", "all_day", "confirmed", "when", "title", "category",
    "venue_id", "price", "free", "organiser", "url", "description",
)


def to_csv_bytes(occ: pd.DataFrame, lang: str, languages: Sequence[str] | None = None) -> bytes:
    """Occurrences as UTF-8 CSV; unconfirmed dates are written as ``YYYY-MM`` only."""
    langs = list(languages) if languages is not None else _languages_of(occ)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in occ.to_dict("records"):
        start, end = _date_column(row)
        free = row.get("free", pd.NA)
        writer.writerow([
            row["event_id"], start, end, _bool_text(row.get("all_day", False)),
            _bool_text(row.get("confirmed", True)), occurrence_label(row, lang),
            localized(row, "title", lang, langs), row.get("category", ""),
            row.get("venue_id", ""), row.get("price", ""),
            "" if free is pd.NA or free is None else _bool_text(free),
            row.get("organiser", ""), row.get("url", ""),
            localized(row, "description", lang, langs),
        ])
    return buffer.getvalue().encode("utf-8")


def _bool_text(value: object) -> str:
    return "true" if bool(value) else "false"
