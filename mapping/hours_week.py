"""The week editor's model: a grid of days written as an OSM ``opening_hours`` value,
and a simple value read back into the grid.

An owner thinks in a week: each day closed, or open once or twice ("10-14 and 17-22");
maybe a shorter off-season ("Nov–Mar"); public holidays as usual, closed, or like
Sunday. :func:`to_value` writes exactly that as the strict value (days with the same
hours grouped: ``Mo-Fr 10:00-18:00; Sa 10:00-14:00``); :func:`from_value` reads a value
back into a :class:`Week` when the grid can hold it, else ``None`` — the text box then
stays the truth and the editor says so. Pure: the page part is ``pages/_hours_editor.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from mapping import hours

__all__ = [
    "CLOSED",
    "DAYS",
    "HOLIDAY_CHOICES",
    "MAX_INTERVALS",
    "DayHours",
    "Week",
    "from_value",
    "minutes",
    "same_as_monday",
    "simplest",
    "to_value",
]

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_INTERVALS = 2
HOLIDAY_CHOICES = ("as_usual", "closed", "as_sunday")
"""Public holidays: no rule of their own (the weekday's hours), ``PH off``, or Sunday's."""

Interval = tuple[int, int]
"""Open from ``start`` to ``end`` in minutes after midnight; ``end`` may pass 24:00."""
DayHours = tuple[Interval, ...]
"""One day: no intervals is closed; at most :data:`MAX_INTERVALS`."""
CLOSED: DayHours = ()


def _closed_week() -> tuple[DayHours, ...]:
    return (CLOSED,) * 7


@dataclass(frozen=True)
class Week:
    """A week grid, with an optional off-season grid and the holiday choice.

    ``season`` is ``(first_month, last_month)`` (1-12, may wrap the year end) when
    ``days`` hold only then and ``off_days`` the rest of the year; ``None`` for one grid
    all year.
    """

    days: tuple[DayHours, ...] = field(default_factory=_closed_week)
    season: tuple[int, int] | None = None
    off_days: tuple[DayHours, ...] = field(default_factory=_closed_week)
    holidays: str = "as_usual"

    def __post_init__(self) -> None:
        for grid in (self.days, self.off_days):
            if len(grid) != 7 or any(len(day) > MAX_INTERVALS for day in grid):
                msg = f"a week has 7 days of at most {MAX_INTERVALS} intervals, got {grid!r}"
                raise ValueError(msg)
        if self.holidays not in HOLIDAY_CHOICES:
            msg = f"holidays must be one of {HOLIDAY_CHOICES}, got {self.holidays!r}"
            raise ValueError(msg)
        if self.season is not None and not all(1 <= m <= 12 for m in self.season):
            msg = f"season months must be 1-12, got {self.season!r}"
            raise ValueError(msg)


def minutes(text: str) -> int:
    """``"HH:MM"`` as minutes after midnight."""
    hour, minute = text.split(":")
    return int(hour) * 60 + int(minute)


def _hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def same_as_monday(week: Week, *, off_season: bool = False) -> Week:
    """Every day given Monday's hours (the editor's "same as Monday" button)."""
    grid = week.off_days if off_season else week.days
    copied = (grid[0],) * 7
    return replace(week, off_days=copied) if off_season else replace(week, days=copied)


def _day_list(indices: list[int]) -> str:
    """Day indices as ``Mo-We,Fr``: runs of three or more as ranges, pairs as lists."""
    parts: list[str] = []
    run = [indices[0]]
    for index in [*indices[1:], -9]:
        if index == run[-1] + 1:
            run.append(index)
            continue
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[i] for i in run)
        run = [index]
    return ",".join(parts)


def _rules(grid: tuple[DayHours, ...], holidays: str, months: str) -> list[str]:
    """One grid as rules, days with the same hours together, in week order."""
    groups: dict[DayHours, list[int]] = {}
    for index, day in enumerate(grid):
        if day:
            groups.setdefault(day, []).append(index)
    prefix = f"{months} " if months else ""
    rules = []
    for day, indices in groups.items():
        selector = _day_list(indices)
        if holidays == "as_sunday" and 6 in indices:
            selector += ",PH"
        times = ",".join(f"{_hhmm(start)}-{_hhmm(end)}" for start, end in day)
        rules.append(f"{prefix}{selector} {times}")
    if not rules and months:
        rules.append(f"{months} off")
    elif holidays == "as_sunday" and months and not grid[6]:
        # Sunday closed in this season only: its holidays are closed, not the weekday's
        rules.append(f"{prefix}PH off")
    return rules


def _months(season: tuple[int, int]) -> str:
    first, last = season
    return MONTHS[first - 1] if first == last else f"{MONTHS[first - 1]}-{MONTHS[last - 1]}"


def simplest(week: Week) -> Week:
    """The same hours with nothing said twice, as :func:`to_value` writes them and
    :func:`from_value` reads them back.

    A season whose off-season has the same grid, or which covers all twelve months, is
    no season (``Jun-Sep Mo 10:00-12:00; Oct-May Mo 10:00-12:00`` is ``Mo 10:00-12:00``;
    a season ``May-Apr`` would even be overruled by its off-season ``May-Apr``). A week
    closed every day all year is plain ``off``: no months, and no holiday rule, since
    nothing is open on a holiday either. Holidays "as Sunday" when every Sunday is
    closed are holidays closed (``PH off``).
    """
    if week.season is not None:
        first, last = week.season
        if week.days == week.off_days or last % 12 + 1 == first:
            week = replace(week, season=None)
    if week.season is None:  # an off-season grid not in force says nothing
        week = replace(week, off_days=_closed_week())
        if not any(week.days):
            return Week()
    sundays = (week.days[6], week.off_days[6]) if week.season else (week.days[6],)
    if week.holidays == "as_sunday" and not any(sundays):
        week = replace(week, holidays="closed")
    return week


def to_value(week: Week) -> str:
    """The strict ``opening_hours`` value of ``week``, written as :func:`simplest` says.

    Never "": an empty value means "hours unknown", so a wholly closed week is ``off``.
    """
    week = simplest(week)
    if week.season is None:
        rules = _rules(week.days, week.holidays, "")
    else:
        first, last = week.season
        off = (last % 12 + 1, (first - 2) % 12 + 1)
        rules = _rules(week.days, week.holidays, _months(week.season))
        rules += _rules(week.off_days, week.holidays, _months(off))
    if not rules:
        rules = ["off"]
    if week.holidays == "closed":
        rules.append("PH off")
    value = "; ".join(rules)
    if hours.check(value) is not None:  # the grid only writes what the syntax allows
        msg = f"the week grid wrote {value!r}, which the strict parser refuses"
        raise ValueError(msg)
    return value


_TIME = r"\d\d:\d\d"
_RULE = re.compile(
    rf"^(?:(?P<months>[A-Z][a-z]{{2}}(?:-[A-Z][a-z]{{2}})?) )?"
    rf"(?P<days>(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su|PH))*)?"
    rf" ?(?P<what>off|closed|{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})?)$"
)


def _days_of(selector: str) -> tuple[list[int], bool]:
    """Day indices of a selector such as ``Mo-Fr,Su,PH``, and whether PH is in it."""
    found: list[int] = []
    with_ph = False
    for part in selector.split(","):
        if part == "PH":
            with_ph = True
        elif "-" in part:
            first, last = (DAYS.index(d) for d in part.split("-"))
            found.extend((first + i) % 7 for i in range((last - first) % 7 + 1))
        else:
            found.append(DAYS.index(part))
    return found, with_ph


def _season_of(text: str) -> tuple[int, int]:
    names = text.split("-")
    return MONTHS.index(names[0]) + 1, MONTHS.index(names[-1]) + 1


def from_value(value: str) -> Week | None:
    """The grid a simple ``value`` describes, or ``None`` when the grid cannot hold it
    (comments, week numbers, dates, more than two intervals, more than two seasons…)."""
    text = value.strip()
    if not text or hours.check(text) is not None:
        return None
    grids: dict[str, list[DayHours]] = {}
    holidays = "as_usual"
    season_ph_off = False
    for rule in text.split("; "):
        match = _RULE.match(rule)
        if match is None:
            return None
        months = match.group("months") or ""
        if months and not all(m in MONTHS for m in months.split("-")):
            return None
        indices, with_ph = _days_of(match.group("days") or "Mo-Su")
        what = match.group("what")
        day: DayHours = CLOSED
        if what not in ("off", "closed"):
            day = tuple(
                (minutes(a), minutes(b)) for a, b in (span.split("-") for span in what.split(","))
            )
        if with_ph and not indices and not day and not months:
            holidays = "closed"
            continue
        grid = grids.setdefault(months, list(_closed_week()))
        if with_ph and not indices and not day:  # "Oct-May PH off": Sunday's, closed
            season_ph_off = True
            continue
        if with_ph and 6 in indices and day:
            holidays = "as_sunday"
        elif with_ph:
            return None
        for index in indices:
            grid[index] = day
    if season_ph_off and holidays != "as_sunday":
        return None  # a season's closed holidays the grid only writes as Sunday's
    return _week_of(grids, holidays)


def _week_of(grids: dict[str, list[DayHours]], holidays: str) -> Week | None:
    if set(grids) == {""}:
        return Week(days=tuple(grids[""]), holidays=holidays)
    seasons = [key for key in grids if key]
    if "" in grids or len(seasons) not in (1, 2):
        return None
    if len(seasons) == 1:  # "May-Sep …": closed the rest of the year
        season = _season_of(seasons[0])
        return Week(days=tuple(grids[seasons[0]]), season=season, holidays=holidays)
    first, second = (_season_of(key) for key in seasons)
    if second[0] != first[1] % 12 + 1 or first[0] != second[1] % 12 + 1:
        return None
    week = Week(
        days=tuple(grids[seasons[0]]),
        season=first,
        off_days=tuple(grids[seasons[1]]),
        holidays=holidays,
    )
    return week if to_value(week) else None
