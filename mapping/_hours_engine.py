"""The evaluation behind :mod:`mapping.hours`: the ``opening_hours`` library, run once
per (string, year, timezone) and cached.

Parsing and evaluation are the maintained library's (Rust parser); this module never
reads the syntax itself, except for separators and comments, to work around two library
behaviours (:func:`_traits`). A string is evaluated by the library's ``intervals()``
over its whole year; months, days and moments are slices of that one evaluation, so
50,000 venues sharing a few hundred distinct strings cost a few hundred evaluations.

Answers are the plainest terms: open ``True``, closed ``False``, unknown ``None``
(:data:`Answer`), and a day's hours are a :class:`DayHours`. :mod:`mapping.hours`, the
module every other one imports, turns them into state codes, month words and columns.
Values arrive here already cleaned (:func:`mapping.hours.clean`).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import opening_hours

from mapping import clock

Answer = bool | None
"""Open (``True``), closed (``False``) or unknown (``None``): never closed for unknown."""

DAY_MINUTES = 24 * 60
_MAX_INTERVAL_DAYS = 400  # a change further away than this counts as "never": bounds the work
_TAIL_MAX_MINUTES = 6 * 60  # an after-midnight piece ending by 06:00 belongs to the evening before

_ANSWER: dict[opening_hours.State, Answer] = {
    opening_hours.State.OPEN: True,
    opening_hours.State.CLOSED: False,
    opening_hours.State.UNKNOWN: None,
}

_COMMENT_ONLY = re.compile(r'^\s*"[^"]*"\s*$')
_QUOTED = re.compile(r'"[^"]*"')
# A comment and what precedes it; it says "open" only when it follows a time or a state.
_COMMENT = re.compile(r'([^"]*?)\s*"([^"]*)"')
_STATED = re.compile(
    r"(\d\d:\d\d\+?|\+|24/7|\b(?:open|closed|off|unknown|sunrise|sunset|dawn|dusk)|\))$"
)
_SPAN = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
PARSER_ERRORS: tuple[type[Exception], ...] = (
    getattr(opening_hours, "ParserError", SyntaxError),
    SyntaxError,
    ValueError,
)
"""What the library raises on a value it cannot parse (its compiled module raises
``ParserError``, which the generated stub does not declare)."""

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


def time_range_problem(value: str) -> str | None:
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


# --------------------------------------------------------------------------- evaluation


@lru_cache(maxsize=8192)
def _compile(value: str, tz: str, country: str | None) -> opening_hours.OpeningHours | None:
    """The parsed expression, or ``None`` when the value says nothing we can trust."""
    value = value.strip()
    if not value or _COMMENT_ONLY.match(value) or time_range_problem(value):
        # A lone comment ("by appointment") would otherwise evaluate as open 24/7.
        return None
    try:
        return opening_hours.OpeningHours(
            value,
            timezone=ZoneInfo(tz),
            country=country,
            max_interval_days=_MAX_INTERVAL_DAYS,
        )
    except PARSER_ERRORS:
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
    codes: tuple[Answer, ...]
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
                if code is True:
                    has_open = True
                    open_seconds += hi - lo
                elif code is None:
                    has_unknown = True
            i += 1
        return open_seconds, has_open, has_unknown

    def day_index(self, day: date) -> int:
        return (day - self.first).days

    def raw_pieces(self, index: int) -> tuple[tuple[int, int, Answer], ...]:
        """``(start_minute, end_minute, code)`` of day ``index``, clipped to that day."""
        if index < 0 or index + 1 >= len(self.midnights):
            return ()
        a, b = self.midnights[index], self.midnights[index + 1]
        pieces: list[tuple[int, int, Answer]] = []
        i = max(bisect_right(self.starts, a) - 1, 0)
        while i < len(self.starts) and self.starts[i] < b:
            if self.ends[i] > a:
                start = 0 if self.starts[i] <= a else self.start_minutes[i]
                end = DAY_MINUTES if self.ends[i] >= b else self.end_minutes[i]
                if end > start:
                    pieces.append((start, end, self.codes[i]))
            i += 1
        return tuple(pieces)

    def day_answer(self, day: date) -> Answer:
        """Open at some time that day, else unknown if some of it is, else closed."""
        index = self.day_index(day)
        _, has_open, has_unknown = self.stats(self.midnights[index], self.midnights[index + 1])
        if has_open:
            return True
        return None if has_unknown else False

    def display(self, index: int) -> DayHours:
        """The day as people read it: its open spans, or closed, or unknown.

        A span running past midnight is shown on the evening it starts ("22:00–02:00"),
        not as a separate 00:00–02:00 the next morning.
        """
        raw = self.raw_pieces(index)
        opened = [(s, e) for s, e, code in raw if code is True]
        before = [(s, e) for s, e, code in self.raw_pieces(index - 1) if code is True]
        after = [(s, e) for s, e, code in self.raw_pieces(index + 1) if code is True]
        own = opened[1:] if _is_tail(opened, before) else list(opened)
        if own and _is_tail(after, opened):
            own[-1] = (own[-1][0], DAY_MINUTES + after[0][1])
        if own:
            return DayHours(tuple(own))
        return UNKNOWN_DAY if any(code is None for _, _, code in raw) else CLOSED_DAY


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


def _answer(state: opening_hours.State, comment: str, lone: frozenset[str]) -> Answer:
    """The library's state as an answer; "open" by a comment standing alone is unknown."""
    answer = _ANSWER[state]
    return None if answer is True and comment and comment in lone else answer


def _intervals(
    value: str,
    compiled: opening_hours.OpeningHours,
    begin: datetime,
    end: datetime,
    *,
    tz: str,
    country: str | None,
) -> list[tuple[datetime, datetime, Answer]]:
    """``(start, end, answer)`` over ``[begin, end)``, from the library's own evaluation."""
    lone, parts = _traits(value)
    if not parts:
        return [
            (lo, hi, _answer(state, comment, lone))
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
    out: list[tuple[datetime, datetime, Answer]] = []
    for a, b in pairwise(edges):
        lo, hi = datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone)
        code = _answer(*compiled.state(lo), lone)
        if out and out[-1][2] is code:
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
    codes: list[Answer] = []
    start_minutes: list[int] = []
    end_minutes: list[int] = []
    for lo, hi, code in _intervals(value, compiled, begin, end, tz=tz, country=country):
        lo_ts, hi_ts = lo.timestamp(), hi.timestamp()
        if codes and codes[-1] is code and ends[-1] == lo_ts:
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
def month_answers(
    value: str, year: int, tz: str, country: str | None
) -> tuple[tuple[Answer, ...], tuple[float, ...]]:
    """Each month of ``year``: open at least once (else unknown if some time is, else
    closed), and its average open hours per week (NaN: unknown), from one evaluation."""
    evaluated = _evaluate(value, year, tz, country)
    if evaluated is None:
        return (None,) * 12, (math.nan,) * 12
    answers: list[Answer] = []
    hours: list[float] = []
    for m in range(12):
        lo = evaluated.month_index[m]
        hi = evaluated.month_index[m + 1]
        seconds, has_open, has_unknown = evaluated.stats(
            evaluated.midnights[lo], evaluated.midnights[hi]
        )
        if has_open:
            answers.append(True)
            hours.append(seconds / 3600 / (hi - lo) * 7)
        elif has_unknown:
            answers.append(None)
            hours.append(math.nan)
        else:
            answers.append(False)
            hours.append(0.0)
    return tuple(answers), tuple(hours)


def answer_at(value: str, when: datetime, tz: str, country: str | None) -> Answer:
    """Open at ``when`` (aware, or naive town time)?"""
    compiled = _compile(value, tz, country)
    if compiled is None:
        return None
    return _answer(*compiled.state(clock.local(when, tz)), _traits(value)[0])


def answer_on(value: str, day: date, tz: str, country: str | None) -> Answer:
    """Open at any time on ``day``? Unknown when nothing is open and some time is unknown."""
    evaluated = _evaluate(value, day.year, tz, country)
    return None if evaluated is None else evaluated.day_answer(day)


def day_hours(value: str, day: date, tz: str, country: str | None) -> DayHours:
    """``day``'s hours as a visitor reads them; :data:`UNKNOWN_DAY` when ``value`` says nothing."""
    evaluated = _evaluate(value, day.year, tz, country)
    return UNKNOWN_DAY if evaluated is None else evaluated.display(evaluated.day_index(day))


def parser_error(value: str) -> str | None:
    """The library's own report when it cannot parse ``value`` (several lines), else ``None``."""
    try:
        opening_hours.OpeningHours(value)
    except PARSER_ERRORS as exc:
        return str(exc)
    return None
