"""The week editor's model (mapping.hours_week): grid → value → grid."""

from __future__ import annotations

import itertools
from datetime import date
from functools import partial

import pytest

from mapping import hours
from mapping.hours_week import CLOSED, Week, from_value, same_as_monday, simplest, to_value

NINE_FIVE = ((9 * 60, 17 * 60),)
SPLIT = ((10 * 60, 14 * 60), (17 * 60, 22 * 60))
SHORT = ((10 * 60, 14 * 60),)


def test_a_plain_week() -> None:
    week = Week(days=(NINE_FIVE,) * 5 + (SHORT, CLOSED))
    assert to_value(week) == "Mo-Fr 09:00-17:00; Sa 10:00-14:00"


def test_two_intervals_and_a_gap_in_the_week() -> None:
    week = Week(days=(SPLIT, CLOSED, SPLIT, SPLIT, NINE_FIVE, NINE_FIVE, CLOSED))
    assert to_value(week) == "Mo,We,Th 10:00-14:00,17:00-22:00; Fr,Sa 09:00-17:00"


def test_past_midnight() -> None:
    week = Week(days=(CLOSED,) * 4 + (((20 * 60, 26 * 60),),) * 2 + (CLOSED,))
    assert to_value(week) == "Fr,Sa 20:00-02:00".replace("02:00", "26:00")


def test_all_closed_is_off_not_unknown() -> None:
    assert to_value(Week()) == "off"


@pytest.mark.parametrize(
    "week",
    [
        Week(season=(6, 9)),  # was "Jun-Sep off; Oct-May off"
        Week(season=(11, 3), holidays="closed"),  # was "Nov-Mar off; Apr-Oct off; PH off"
        Week(holidays="closed"),  # was "off; PH off"
        Week(holidays="as_sunday"),
    ],
)
def test_closed_all_year_is_plain_off(week: Week) -> None:
    assert to_value(week) == "off"
    assert from_value("off") == Week() == simplest(week)  # the editor reads it back closed


def test_two_seasons_with_the_same_hours_are_one_week() -> None:
    week = Week(days=(NINE_FIVE,) * 5 + (SHORT, CLOSED), season=(6, 9))
    same = Week(days=week.days, season=(6, 9), off_days=week.days, holidays="as_sunday")
    assert to_value(same) == "Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off"
    assert from_value(to_value(same)) == Week(days=week.days, holidays="closed")


def test_a_season_of_twelve_months_is_the_whole_year() -> None:
    # "May-Apr Mo-Su 09:00-17:00; May-Apr off" would be closed all year (the later rule wins)
    week = Week(days=(NINE_FIVE,) * 7, season=(5, 4), off_days=(SHORT,) * 7)
    assert to_value(week) == "Mo-Su 09:00-17:00"


GRIDS = (
    (CLOSED,) * 7,
    (NINE_FIVE,) * 5 + (CLOSED, CLOSED),
    (SPLIT,) * 7,
    (CLOSED,) * 6 + (SHORT,),
)


@pytest.mark.parametrize("season", [None, (6, 9), (11, 3), (5, 4)])
@pytest.mark.parametrize("holidays", ["as_usual", "closed", "as_sunday"])
def test_every_grid_is_written_once_and_read_back_as_written(
    season: tuple[int, int] | None, holidays: str
) -> None:
    """What the grid writes, the strict parser takes and the editor reads back as the
    simplest grid of the same hours (nothing said twice)."""
    for days, off_days in itertools.product(GRIDS, GRIDS):
        week = Week(days=days, season=season, off_days=off_days, holidays=holidays)
        value = to_value(week)
        assert hours.check(value) is None, value
        assert from_value(value) == simplest(week), value
        assert to_value(simplest(week)) == value


def test_holidays() -> None:
    base = (NINE_FIVE,) * 5 + (SHORT, SHORT)
    assert to_value(Week(days=base, holidays="closed")).endswith("; PH off")
    assert to_value(Week(days=base, holidays="as_sunday")) == (
        "Mo-Fr 09:00-17:00; Sa,Su,PH 10:00-14:00"
    )


def test_off_season() -> None:
    week = Week(
        days=(NINE_FIVE,) * 7,
        season=(4, 10),
        off_days=(CLOSED,) * 5 + (SHORT, SHORT),
    )
    value = to_value(week)
    assert value == "Apr-Oct Mo-Su 09:00-17:00; Nov-Mar Sa,Su 10:00-14:00"
    assert hours.check(value) is None


def test_same_as_monday() -> None:
    week = same_as_monday(Week(days=(SPLIT,) + (CLOSED,) * 6))
    assert week.days == (SPLIT,) * 7
    assert to_value(week) == "Mo-Su 10:00-14:00,17:00-22:00"


@pytest.mark.parametrize(
    "week",
    [
        Week(days=(NINE_FIVE,) * 5 + (SHORT, CLOSED)),
        Week(days=(SPLIT, CLOSED, SPLIT, SPLIT, NINE_FIVE, NINE_FIVE, CLOSED), holidays="closed"),
        Week(days=(NINE_FIVE,) * 5 + (SHORT, SHORT), holidays="as_sunday"),
        Week(days=(NINE_FIVE,) * 7, season=(4, 10), off_days=(CLOSED,) * 5 + (SHORT, SHORT)),
        Week(days=(SHORT,) * 7, season=(11, 3), off_days=(SPLIT,) * 7, holidays="closed"),
        Week(days=(CLOSED,) * 4 + (((20 * 60, 26 * 60),),) * 2 + (CLOSED,)),
    ],
)
def test_round_trip(week: Week) -> None:
    assert from_value(to_value(week)) == week


@pytest.mark.parametrize(
    ("value", "monday", "sunday"),
    [
        ("Mo-Fr 10:00-18:00", ((600, 1080),), CLOSED),
        ("Mo-Su 08:00-12:00,16:00-20:00", ((480, 720), (960, 1200)), ((480, 720), (960, 1200))),
        ("10:00-18:00", ((600, 1080),), ((600, 1080),)),
        ("Mo-Su 10:00-18:00; Su off", ((600, 1080),), CLOSED),
    ],
)
def test_existing_simple_values_are_read(value: str, monday: object, sunday: object) -> None:
    week = from_value(value)
    assert week is not None
    assert week.days[0] == monday and week.days[6] == sunday


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Mo-Fr 10-18",  # not strict
        'Mo-Fr 10:00-18:00 "call first"',
        "Mo 08:00-10:00,12:00-14:00,16:00-18:00",
        "week 01-10 Mo 10:00-12:00",
        "Dec 24 off",
        "24/7",
        "Mo-Fr sunrise-sunset",
    ],
)
def test_values_the_grid_cannot_hold(value: str) -> None:
    assert from_value(value) is None


def test_a_grid_that_is_too_big_is_refused() -> None:
    with pytest.raises(ValueError, match="7 days"):
        Week(days=(SPLIT + SHORT,) * 7)


def test_one_season_is_closed_the_rest_of_the_year() -> None:
    week = from_value("May-Sep Tu-Su 09:00-20:00")
    assert week is not None and week.season == (5, 9)
    assert week.days[0] == CLOSED and week.off_days == (CLOSED,) * 7
    assert to_value(week) == "May-Sep Tu-Su 09:00-20:00; Oct-Apr off"


def test_holidays_as_sunday_follow_each_seasons_sunday() -> None:
    """Sunday open in summer only: a winter holiday on a weekday is closed like that
    season's Sunday, a summer one open (1 Jan 2027 is a Friday, 13 Jul a Tuesday)."""
    week = Week(
        days=(NINE_FIVE,) * 7,
        season=(6, 9),
        off_days=(NINE_FIVE,) * 5 + (CLOSED, CLOSED),
        holidays="as_sunday",
    )
    value = to_value(week)
    assert value == "Jun-Sep Mo-Su,PH 09:00-17:00; Oct-May Mo-Fr 09:00-17:00; Oct-May PH off"
    assert from_value(value) == week
    open_on = partial(hours.is_open_on, value, tz="Europe/Podgorica", country="ME")
    assert open_on(date(2027, 1, 1)) is False
    assert open_on(date(2027, 1, 5)) is True  # an ordinary winter Tuesday
    assert open_on(date(2027, 7, 13)) is True


def test_a_seasons_closed_holidays_alone_are_not_read_as_the_grids() -> None:
    # written by hand, not by the grid: holidays "as Sunday" is not what it says
    assert (
        from_value("Jun-Sep Mo-Fr 09:00-17:00; Oct-May Mo-Fr 09:00-17:00; Oct-May PH off") is None
    )
