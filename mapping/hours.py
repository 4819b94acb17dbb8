"""Opening hours evaluated: OpenStreetMap ``opening_hours`` in the town's timezone.

Parsing and evaluation are left to the maintained ``opening_hours`` library (Rust
parser); this module never reads the syntax itself. Everything a page, a chart or a
query needs is derived from one evaluation per (string, year, timezone): the
library's ``intervals()`` over the whole year, cached, so 50,000 venues sharing a few
hundred distinct strings cost a few hundred evaluations.

An empty string means *unknown*, never *closed*; so does a string that does not parse
(validation reports it, the map must not pretend the venue is shut). Month states are
the strings ``"open"``, ``"closed"``, ``"unknown"``; one day's hours are a
:class:`DayHours`. Putting any of this into words is :mod:`mapping.seasons`' job.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import opening_hours
import pandas as pd

from mapping import clock

OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"
MONTH_STATE_COLUMNS: tuple[str, ...] = tuple(f"m{m:02d}" for m in range(1, 13))
"""Derived columns ``m01``..``m12``: each month's state (open / closed / unknown)."""
WEEKLY_HOURS_COLUMNS: tuple[str, ...] = tuple(f"h{m:02d}" for m in range(1, 13))
"""Derived columns ``h01``..``h12``: each month's average open hours per week."""
DERIVED_COLUMNS: tuple[str, ...] = MONTH_STATE_COLUMNS + WEEKLY_HOURS_COLUMNS
"""Every column :func:`enrich_hours` adds: computed, so never exported as data."""

EXAMPLE = "Mo-Fr 09:00-17:00; Sa 10:00-14:00"
DAY_MINUTES = 24 * 60
_MAX_INTERVAL_DAYS = 400  # a change further away than this counts as "never": bounds the work
_TAIL_MAX_MINUTES = 6 * 60  # an after-midnight piece ending by 06:00 belongs to the evening before

STATE_CLOSED, STATE_OPEN, STATE_UNKNOWN = 0, 1, 2
"""The one coding of an opening state as a small integer (arrays, the map's payload)."""
STATE_NAMES: dict[int, str] = {STATE_OPEN: OPEN, STATE_CLOSED: CLOSED, STATE_UNKNOWN: UNKNOWN}

_STATE_CODE = {
    opening_hours.State.OPEN: STATE_OPEN,
    opening_hours.State.CLOSED: STATE_CLOSED,
    opening_hours.State.UNKNOWN: STATE_UNKNOWN,
}
_BOOL = {STATE_OPEN: True, STATE_CLOSED: False, STATE_UNKNOWN: None}


def state_codes(values: pd.Series) -> npt.NDArray[np.int64]:
    """Open/closed answers with NA for unknown (``True``/``False``/``None``) as state codes."""
    known = values.notna().to_numpy()
    is_open = values.fillna(False).astype(bool).to_numpy()
    return np.where(known, np.where(is_open, STATE_OPEN, STATE_CLOSED), STATE_UNKNOWN).astype(
        np.int64
    )


def month_state_codes(states: pd.DataFrame | npt.NDArray[np.object_]) -> npt.NDArray[np.int8]:
    """Month-state words (:data:`OPEN`/:data:`CLOSED`/:data:`UNKNOWN`) as state codes."""
    words = states.to_numpy(dtype=object) if isinstance(states, pd.DataFrame) else states
    return np.where(
        words == OPEN, STATE_OPEN, np.where(words == UNKNOWN, STATE_UNKNOWN, STATE_CLOSED)
    ).astype(np.int8)


_COMMENT_ONLY = re.compile(r'^\s*"[^"]*"\s*$')
_QUOTED = re.compile(r'"[^"]*"')
# A comment and what precedes it; it says "open" only when it follows a time or a state.
_COMMENT = re.compile(r'([^"]*?)\s*"([^"]*)"')
_STATED = re.compile(
    r"(\d\d:\d\d\+?|\+|24/7|\b(?:open|closed|off|unknown|sunrise|sunset|dawn|dusk)|\))$"
)
_SPAN = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
# The compiled module raises ParserError, which its generated stub does not declare.
_PARSER_ERRORS: tuple[type[Exception], ...] = (
    getattr(opening_hours, "ParserError", SyntaxError),
    SyntaxError,
    ValueError,
)

Span = tuple[int, int]
"""Open from ``start`` to ``end``, in minutes after the day's midnight."""


@dataclass(frozen=True, slots=True)
class DayHours:
    """One day's hours as a visitor reads them: open spans, or closed, or unknown.

    ``spans`` are minutes after that day's midnight. A span running past midnight stays
    on the evening it starts and ends after :data:`DAY_MINUTES` ("Fr 22:00-02:00" is
    ``(1320, 1560)`` on Friday), because that is how people say it. No spans means
    closed all day, unless ``unknown``: nothing is open and some of the day is unknown.
    Hashable, so the typical week of a month can be found by counting days.
    """

    spans: tuple[Span, ...] = ()
    unknown: bool = False

    def __post_init__(self) -> None:
        if self.spans and self.unknown:
            msg = f"DayHours with open spans {self.spans!r} cannot also be unknown"
            raise ValueError(msg)

    @property
    def closed(self) -> bool:
        """Closed all day (known, nothing open)."""
        return not self.spans and not self.unknown

    @property
    def all_day(self) -> bool:
        """Open from midnight to midnight."""
        return self.spans == ((0, DAY_MINUTES),)


CLOSED_DAY = DayHours()
UNKNOWN_DAY = DayHours(unknown=True)


# --------------------------------------------------------------------------- checking


def check(value: str) -> str | None:
    """``None`` when ``value`` is empty (unknown) or valid; otherwise what was expected.

    The message is one line, so the CLI can print it as ``file:record:field: message``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    range_problem = _time_range_problem(value)
    if range_problem:
        return range_problem
    try:
        opening_hours.OpeningHours(value.strip())
    except _PARSER_ERRORS as exc:
        return (
            f"not valid OpenStreetMap opening_hours syntax (e.g. {EXAMPLE!r}): "
            f"{_short_parser_message(value.strip(), str(exc))}"
        )
    return None


def _time_range_problem(value: str) -> str | None:
    """Name an out-of-range clock time plainly; the parser only says what token it wanted."""
    for match in _SPAN.finditer(_QUOTED.sub("", value)):
        start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
        text = match.group(0)
        if start_h > 24 or start_m > 59 or end_m > 59 or end_h > 48:
            return (
                f"time span {text!r} is out of range: opening times run from 00:00 to 24:00 "
                "(a closing time after midnight may be written up to 48:00, "
                "e.g. 'Fr 22:00-26:00'); minutes run 00-59"
            )
    return None


def _short_parser_message(value: str, message: str) -> str:
    """Boil the parser's multi-line report down to where it stopped and what it wanted."""
    position = re.search(r"-->\s*\d+:(\d+)", message)
    expected = re.search(r"=\s*(.+)", message)
    parts = []
    if position:
        column = int(position.group(1))
        parts.append(f"at character {column} ({value[column - 1 : column + 14]!r})")
    parts.append(expected.group(1).strip() if expected else message.strip().splitlines()[0])
    return " ".join(parts)


# --------------------------------------------------------------------------- evaluation core


@lru_cache(maxsize=8192)
def _compile(value: str, tz: str, country: str | None) -> opening_hours.OpeningHours | None:
    """The parsed expression, or ``None`` when the value says nothing we can trust."""
    value = value.strip()
    if not value or _COMMENT_ONLY.match(value) or _time_range_problem(value):
        # A lone comment ("by appointment") would otherwise evaluate as open 24/7.
        return None
    try:
        return opening_hours.OpeningHours(
            value,
            timezone=ZoneInfo(tz),
            country=country,
            max_interval_days=_MAX_INTERVAL_DAYS,
        )
    except _PARSER_ERRORS:
        return None


@lru_cache(maxsize=64)
def _calendar(year: int, tz: str) -> tuple[date, tuple[float, ...], tuple[int, ...]]:
    """Local midnights from 31 Dec of ``year - 1`` to 2 Jan of ``year + 1``, as timestamps.

    Also the index of the 1st of each month (and of 1 Jan next year) in that list, so
    month and day spans are plain slices of the same clock.
    """
    zone = ZoneInfo(tz)
    first = date(year - 1, 12, 31)
    last = date(year + 1, 1, 2)
    days = (last - first).days
    midnights = tuple(
        datetime.combine(first + timedelta(days=i), time(), zone).timestamp()
        for i in range(days + 1)
    )
    month_index = tuple((date(year + m // 12, m % 12 + 1, 1) - first).days for m in range(13))
    return first, midnights, month_index


@dataclass(frozen=True)
class _Year:
    """One string evaluated over one year (plus a day either side), in the town's clock."""

    first: date
    midnights: tuple[float, ...]
    month_index: tuple[int, ...]
    starts: tuple[float, ...]
    ends: tuple[float, ...]
    codes: tuple[int, ...]
    start_minutes: tuple[int, ...]  # local wall-clock minute of day of each start
    end_minutes: tuple[int, ...]

    def stats(self, a: float, b: float) -> tuple[float, bool, bool]:
        """Open seconds in ``[a, b)``, and whether any open / unknown time occurs there."""
        open_seconds, has_open, has_unknown = 0.0, False, False
        i = max(bisect_right(self.starts, a) - 1, 0)
        while i < len(self.starts) and self.starts[i] < b:
            lo, hi = max(self.starts[i], a), min(self.ends[i], b)
            if hi > lo:
                code = self.codes[i]
                if code == STATE_OPEN:
                    has_open = True
                    open_seconds += hi - lo
                elif code == STATE_UNKNOWN:
                    has_unknown = True
            i += 1
        return open_seconds, has_open, has_unknown

    def day_index(self, day: date) -> int:
        return (day - self.first).days

    def raw_pieces(self, index: int) -> tuple[tuple[int, int, int], ...]:
        """``(start_minute, end_minute, code)`` of day ``index``, clipped to that day."""
        if index < 0 or index + 1 >= len(self.midnights):
            return ()
        a, b = self.midnights[index], self.midnights[index + 1]
        pieces: list[tuple[int, int, int]] = []
        i = max(bisect_right(self.starts, a) - 1, 0)
        while i < len(self.starts) and self.starts[i] < b:
            if self.ends[i] > a:
                start = 0 if self.starts[i] <= a else self.start_minutes[i]
                end = DAY_MINUTES if self.ends[i] >= b else self.end_minutes[i]
                if end > start:
                    pieces.append((start, end, self.codes[i]))
            i += 1
        return tuple(pieces)

    def day_state(self, day: date) -> int:
        """Open at some time that day, else unknown if some of it is, else closed."""
        index = self.day_index(day)
        _, has_open, has_unknown = self.stats(self.midnights[index], self.midnights[index + 1])
        if has_open:
            return STATE_OPEN
        return STATE_UNKNOWN if has_unknown else STATE_CLOSED

    def display(self, index: int) -> DayHours:
        """The day as people read it: its open spans, or closed, or unknown.

        A span running past midnight is shown on the evening it starts ("22:00–02:00"),
        not as a separate 00:00–02:00 the next morning.
        """
        raw = self.raw_pieces(index)
        opened = [(s, e) for s, e, code in raw if code == STATE_OPEN]
        before = [(s, e) for s, e, code in self.raw_pieces(index - 1) if code == STATE_OPEN]
        after = [(s, e) for s, e, code in self.raw_pieces(index + 1) if code == STATE_OPEN]
        own = opened[1:] if _is_tail(opened, before) else list(opened)
        if own and _is_tail(after, opened):
            own[-1] = (own[-1][0], DAY_MINUTES + after[0][1])
        if own:
            return DayHours(tuple(own))
        return UNKNOWN_DAY if any(code == STATE_UNKNOWN for _, _, code in raw) else CLOSED_DAY


def _is_tail(day: list[Span], previous: list[Span]) -> bool:
    """Whether ``day`` opens with the early-morning end of the previous evening's span."""
    return bool(
        day
        and previous
        and day[0][0] == 0
        and day[0][1] <= _TAIL_MAX_MINUTES
        and previous[-1][1] == DAY_MINUTES
        and previous[-1][0] > 0
    )


@lru_cache(maxsize=8192)
def _traits(value: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Comments that stand alone as a rule, and the parts of a ``||`` fallback expression.

    Only separators are looked at (never the rules themselves), to work around two
    library behaviours: a comment-only rule ("by appointment") evaluates as *open*,
    where the OSM specification means *unknown*; and ``intervals()`` ignores ``||``
    fallbacks that ``state()`` honours.
    """
    bare = _QUOTED.sub('""', value)
    lone = frozenset(m.group(2) for m in _COMMENT.finditer(value) if not _STATED.search(m.group(1)))
    parts = tuple(_split_outside_quotes(value, "||")) if "||" in bare else ()
    return lone, parts


def _split_outside_quotes(value: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted, i = False, 0
    while i < len(value):
        if value[i] == '"':
            quoted = not quoted
        if not quoted and value.startswith(separator, i):
            parts.append("".join(current))
            current, i = [], i + len(separator)
            continue
        current.append(value[i])
        i += 1
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _code(state: opening_hours.State, comment: str, lone: frozenset[str]) -> int:
    code = _STATE_CODE[state]
    return STATE_UNKNOWN if code == STATE_OPEN and comment and comment in lone else code


def _intervals(
    value: str,
    compiled: opening_hours.OpeningHours,
    begin: datetime,
    end: datetime,
    *,
    tz: str,
    country: str | None,
) -> list[tuple[datetime, datetime, int]]:
    """``(start, end, code)`` over ``[begin, end)``, from the library's own evaluation."""
    lone, parts = _traits(value)
    if not parts:
        return [
            (lo, hi, _code(state, comment, lone))
            for lo, hi, state, comment in compiled.intervals(begin, end)
        ]
    # Fallback rules: the state can only change where one of the parts changes or at a
    # midnight (a fallback applies per day); ask state() at each such moment.
    zone = ZoneInfo(tz)
    moments = {begin.timestamp(), end.timestamp()}
    day = begin
    while day < end:
        moments.add(day.timestamp())
        day = datetime.combine(day.date() + timedelta(days=1), time(), zone)
    for part in parts:
        sub = _compile(part, tz, country)
        if sub is not None:
            for lo, hi, _state, _comment in sub.intervals(begin, end):
                moments.update((lo.timestamp(), hi.timestamp()))
    edges = sorted(m for m in moments if begin.timestamp() <= m <= end.timestamp())
    out: list[tuple[datetime, datetime, int]] = []
    for a, b in pairwise(edges):
        lo, hi = datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone)
        code = _code(*compiled.state(lo), lone)
        if out and out[-1][2] == code:
            out[-1] = (out[-1][0], hi, code)
        else:
            out.append((lo, hi, code))
    return out


@lru_cache(maxsize=8192)
def _evaluate(value: str, year: int, tz: str, country: str | None) -> _Year | None:
    """Evaluate ``value`` once for ``year``; ``None`` means unknown all year."""
    compiled = _compile(value, tz, country)
    if compiled is None:
        return None
    first, midnights, month_index = _calendar(year, tz)
    zone = ZoneInfo(tz)
    begin = datetime.combine(first, time(), zone)
    end = datetime.combine(first + timedelta(days=len(midnights) - 1), time(), zone)
    starts: list[float] = []
    ends: list[float] = []
    codes: list[int] = []
    start_minutes: list[int] = []
    end_minutes: list[int] = []
    for lo, hi, code in _intervals(value, compiled, begin, end, tz=tz, country=country):
        lo_ts, hi_ts = lo.timestamp(), hi.timestamp()
        if codes and codes[-1] == code and ends[-1] == lo_ts:
            ends[-1], end_minutes[-1] = hi_ts, hi.hour * 60 + hi.minute  # comment change only
            continue
        starts.append(lo_ts)
        ends.append(hi_ts)
        codes.append(code)
        start_minutes.append(lo.hour * 60 + lo.minute)
        end_minutes.append(hi.hour * 60 + hi.minute)
    return _Year(
        first,
        midnights,
        month_index,
        tuple(starts),
        tuple(ends),
        tuple(codes),
        tuple(start_minutes),
        tuple(end_minutes),
    )


@lru_cache(maxsize=8192)
def _months(
    value: str, year: int, tz: str, country: str | None
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Month states and average weekly open hours, computed together from one evaluation."""
    evaluated = _evaluate(value, year, tz, country)
    if evaluated is None:
        return (UNKNOWN,) * 12, (math.nan,) * 12
    states: list[str] = []
    hours: list[float] = []
    for m in range(12):
        lo = evaluated.month_index[m]
        hi = evaluated.month_index[m + 1]
        seconds, has_open, has_unknown = evaluated.stats(
            evaluated.midnights[lo], evaluated.midnights[hi]
        )
        if has_open:
            states.append(OPEN)
            hours.append(seconds / 3600 / (hi - lo) * 7)
        elif has_unknown:
            states.append(UNKNOWN)
            hours.append(math.nan)
        else:
            states.append(CLOSED)
            hours.append(0.0)
    return tuple(states), tuple(hours)


# --------------------------------------------------------------------------- scalar API


def clean(value: object) -> str:
    """An ``opening_hours`` cell as text: stripped; missing (None, NaN, NA) or non-text is "".

    "" means unknown, never closed: every function here reads a cell through this.
    """
    if isinstance(value, str):
        return value.strip()
    return ""


def month_states(value: str, year: int, tz: str, *, country: str | None = None) -> tuple[str, ...]:
    """12 states: ``"open"`` if open at least once that month, else closed / unknown."""
    return _months(clean(value), year, tz, country)[0]


def weekly_hours(
    value: str, year: int, tz: str, *, country: str | None = None
) -> tuple[float, ...]:
    """12 averages of open hours per week (open hours in month / days * 7); NaN = unknown."""
    return _months(clean(value), year, tz, country)[1]


def is_open_at(value: str, when: datetime, tz: str, *, country: str | None = None) -> bool | None:
    """Open at ``when`` (naive = town time)? ``None`` when unknown."""
    value = clean(value)
    compiled = _compile(value, tz, country)
    if compiled is None:
        return None
    return _BOOL[_code(*compiled.state(clock.local(when, tz)), _traits(value)[0])]


def is_open_on(value: str, day: date, tz: str, *, country: str | None = None) -> bool | None:
    """Open at any time on ``day``? ``None`` when nothing open and some time unknown."""
    evaluated = _evaluate(clean(value), day.year, tz, country)
    if evaluated is None:
        return None
    return _BOOL[evaluated.day_state(day)]


def day_hours(value: str, day: date, tz: str, *, country: str | None = None) -> DayHours:
    """``day``'s hours as a visitor reads them; :data:`UNKNOWN_DAY` when the value says nothing.

    An evening span running past midnight belongs to the day it starts (see
    :class:`DayHours`), so the next morning does not show a stray "00:00-02:00".
    """
    evaluated = _evaluate(clean(value), day.year, tz, country)
    if evaluated is None:
        return UNKNOWN_DAY
    return evaluated.display(evaluated.day_index(day))


# --------------------------------------------------------------------------- vectorised


def per_distinct(
    values: pd.Series, compute: Callable[[str], object], missing: object
) -> npt.NDArray[np.object_]:
    """``compute`` once per distinct string of ``values``, spread back to every row.

    Venues share a few hundred distinct ``opening_hours`` strings, so this is what makes
    50,000 venues cheap. Missing rows (None, NaN, NA) get ``missing``; other values are
    cleaned (stripped, non-text as "") before ``compute`` sees them.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [compute(clean(u)) for u in uniques]
    table = np.empty(len(results) + 1, dtype=object)
    table[:-1] = results
    table[-1] = missing
    return table[codes]  # code -1 (NA) picks the last slot


def open_at(values: pd.Series, when: datetime, tz: str, *, country: str | None = None) -> pd.Series:
    """``is_open_at`` over a Series: "boolean" dtype, NA = unknown."""
    cells = per_distinct(values, lambda v: is_open_at(v, when, tz, country=country), None)
    return pd.Series(cells, index=values.index, dtype="boolean")


def open_on(values: pd.Series, day: date, tz: str, *, country: str | None = None) -> pd.Series:
    """``is_open_on`` over a Series: "boolean" dtype, NA = unknown."""
    cells = per_distinct(values, lambda v: is_open_on(v, day, tz, country=country), None)
    return pd.Series(cells, index=values.index, dtype="boolean")


def enrich_hours(
    frame: pd.DataFrame,
    year: int,
    tz: str,
    column: str = "opening_hours",
    *,
    country: str | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` plus ``m01``..``m12`` (month states), ``h01``..``h12`` (hours/week).

    The added names are :data:`DERIVED_COLUMNS`; exports leave them out, they are
    recomputed on every load.
    """
    if column not in frame.columns:
        msg = f"frame has no column {column!r}: expected the venues' opening_hours strings"
        raise KeyError(msg)
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    unknown = _months("", year, tz, country)
    rows = [_months(clean(u), year, tz, country) for u in uniques] + [unknown]
    states = np.array([r[0] for r in rows], dtype=object)[codes]
    hours = np.array([r[1] for r in rows], dtype=float)[codes]
    added: dict[str, pd.Series] = {}
    for m in range(12):
        added[MONTH_STATE_COLUMNS[m]] = pd.Series(states[:, m], index=frame.index, dtype=object)
    for m in range(12):
        added[WEEKLY_HOURS_COLUMNS[m]] = pd.Series(hours[:, m], index=frame.index)
    return frame.assign(**added)


def open_in_month(frame: pd.DataFrame, month: int) -> pd.Series:
    """From an enriched frame: True open / False closed / NA unknown in ``month`` (1-12)."""
    if not 1 <= month <= 12:
        msg = f"month must be 1-12, got {month!r}"
        raise ValueError(msg)
    column = MONTH_STATE_COLUMNS[month - 1]
    if column not in frame.columns:
        msg = f"frame has no column {column!r}: run enrich_hours first"
        raise KeyError(msg)
    mapped = frame[column].map({OPEN: True, CLOSED: False}.get)
    return pd.Series(pd.array(mapped.to_numpy(dtype=object), dtype="boolean"), index=frame.index)
