"""Opening hours evaluated: states, hours, DST, a day's spans, validation, vectorised helpers.

The words ("Apr–Oct daily 09–19") are tested in ``test_seasons.py``.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from mapping import hours
from mapping.hours import CLOSED_DAY, UNKNOWN_DAY, DayHours

TZ = "Europe/Podgorica"
YEAR = 2026
SEASONAL = "Apr-Oct Mo-Su 09:00-19:00; Nov-Mar Sa 10:00-14:00"
SUMMER_ONLY = "Apr-Oct Mo-Sa 10:00-18:00"
OFFICE = "Mo-Fr 09:00-17:00"
WINTER = ("closed",) * 3
SUMMER = ("open",) * 7


def month_states(value: str) -> tuple[str, ...]:
    """The 12 month states of ``value`` in :data:`YEAR`, read the way the app reads them."""
    enriched = hours.enrich_hours(pd.DataFrame({"opening_hours": [value]}), YEAR, TZ)
    return tuple(enriched.iloc[0][list(hours.MONTH_STATE_COLUMNS)])


def weekly_hours(value: str) -> list[float]:
    """The 12 average weekly open hours of ``value`` in :data:`YEAR` (NaN: unknown)."""
    enriched = hours.enrich_hours(pd.DataFrame({"opening_hours": [value]}), YEAR, TZ)
    return enriched.iloc[0][list(hours.WEEKLY_HOURS_COLUMNS)].astype(float).tolist()


# --------------------------------------------------------------------------- month states


def test_seasonal_string_closes_winter_months() -> None:
    assert month_states(SUMMER_ONLY) == WINTER + SUMMER + ("closed",) * 2


def test_winter_saturdays_keep_every_month_open() -> None:
    assert month_states(SEASONAL) == ("open",) * 12


def test_dec_25_off_does_not_close_december() -> None:
    value = "Mo-Su 09:00-19:00; Dec 25 off"
    assert month_states(value)[11] == "open"
    assert hours.is_open_on(value, date(YEAR, 12, 25), TZ) is False
    assert hours.is_open_on(value, date(YEAR, 12, 24), TZ) is True
    assert hours.day_hours(value, date(YEAR, 12, 25), TZ) == CLOSED_DAY


@pytest.mark.parametrize("value", ["", "   ", "garbage", '"by appointment"'])
def test_empty_or_unusable_hours_are_unknown_never_closed(value: str) -> None:
    assert month_states(value) == ("unknown",) * 12
    assert all(math.isnan(h) for h in weekly_hours(value))
    assert hours.is_open_at(value, datetime(YEAR, 7, 1, 12), TZ) is None
    assert hours.is_open_on(value, date(YEAR, 7, 1), TZ) is None
    assert hours.day_hours(value, date(YEAR, 7, 1), TZ) == UNKNOWN_DAY


# --------------------------------------------------------------------------- weekly hours


def test_weekly_hours_office_by_hand() -> None:
    # January 2026 starts on a Thursday: 22 weekdays x 8 h; February: 20 weekdays x 8 h.
    result = weekly_hours(OFFICE)
    assert result[0] == pytest.approx(22 * 8 / 31 * 7)
    assert result[1] == pytest.approx(40.0)


def test_weekly_hours_seasonal_by_hand() -> None:
    result = weekly_hours(SEASONAL)
    assert result[0] == pytest.approx(5 * 4 / 31 * 7)  # Saturdays 3, 10, 17, 24, 31 Jan
    assert result[6] == pytest.approx(70.0)  # July: 10 h every day
    assert result[10] == pytest.approx(4 * 4 / 30 * 7)  # Saturdays 7, 14, 21, 28 Nov


def test_closed_month_has_zero_hours_not_nan() -> None:
    assert weekly_hours(SUMMER_ONLY)[0] == 0.0


def test_weekly_hours_count_real_time_across_dst() -> None:
    result = weekly_hours("24/7")
    assert result[2] == pytest.approx((31 * 24 - 1) / 31 * 7)  # March loses an hour
    assert result[9] == pytest.approx((31 * 24 + 1) / 31 * 7)  # October gains one


# --------------------------------------------------------------------------- at a moment


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # Last Sunday of March 2026 (29th): CET (+1) before, CEST (+2) after.
        (datetime(2026, 3, 28, 7, 30, tzinfo=UTC), False),  # 08:30 local
        (datetime(2026, 3, 29, 7, 30, tzinfo=UTC), True),  # 09:30 local
        # Last Sunday of October 2026 (25th): back to CET.
        (datetime(2026, 10, 24, 7, 30, tzinfo=UTC), True),  # 09:30 local
        (datetime(2026, 10, 25, 7, 30, tzinfo=UTC), False),  # 08:30 local
    ],
)
def test_is_open_at_follows_dst_in_town_timezone(utc: datetime, expected: bool) -> None:
    assert hours.is_open_at("Mo-Su 09:00-17:00", utc, TZ) is expected


def test_naive_datetime_is_town_time() -> None:
    naive = datetime(2026, 7, 1, 18, 30)
    aware = naive.replace(tzinfo=ZoneInfo(TZ))
    assert hours.is_open_at(SEASONAL, naive, TZ) is True
    assert hours.is_open_at(SEASONAL, naive + timedelta(hours=1), TZ) is False
    assert hours.is_open_at(SEASONAL, aware.astimezone(UTC), TZ) is True


def test_fallback_rule_is_unknown_outside_the_main_rule() -> None:
    value = 'Mo-Fr 09:00-17:00 || "by appointment"'
    assert hours.is_open_at(value, datetime(2026, 1, 5, 10), TZ) is True
    assert hours.is_open_at(value, datetime(2026, 1, 3, 10), TZ) is None  # Saturday
    assert hours.day_hours(value, date(2026, 1, 3), TZ) == UNKNOWN_DAY
    assert hours.day_hours(value, date(2026, 1, 5), TZ) == DayHours(((540, 1020),))


def test_public_holidays_need_the_country() -> None:
    value = "Mo-Fr 09:00-17:00; PH off"
    new_year = date(2026, 1, 1)
    assert hours.is_open_on(value, new_year, TZ, country="ME") is False
    assert hours.is_open_on(value, new_year, TZ) is True


# --------------------------------------------------------------------------- one day


@pytest.mark.parametrize(
    ("value", "day", "expected"),
    [
        (SEASONAL, date(2026, 7, 3), DayHours(((9 * 60, 19 * 60),))),
        (SEASONAL, date(2026, 1, 3), DayHours(((10 * 60, 14 * 60),))),  # a winter Saturday
        (SEASONAL, date(2026, 1, 5), CLOSED_DAY),
        ("", date(2026, 1, 5), UNKNOWN_DAY),
        ("Mo-Fr 10:00-14:00,16:00-20:00", date(2026, 1, 5), DayHours(((600, 840), (960, 1200)))),
        ("24/7", date(2026, 3, 29), DayHours(((0, 1440),))),  # the short DST day too
        # 22:00 to 02:00 belongs to Friday (ends 26:00); Saturday morning shows nothing.
        ("Fr 22:00-02:00", date(2026, 1, 2), DayHours(((22 * 60, 26 * 60),))),
        ("Fr 22:00-02:00", date(2026, 1, 3), CLOSED_DAY),
    ],
)
def test_day_hours(value: str, day: date, expected: DayHours) -> None:
    assert hours.day_hours(value, day, TZ) == expected


def test_day_hours_says_closed_unknown_and_all_day() -> None:
    assert CLOSED_DAY.closed and not CLOSED_DAY.unknown
    assert UNKNOWN_DAY.unknown and not UNKNOWN_DAY.closed
    assert DayHours(((0, hours.DAY_MINUTES),)).all_day
    assert not DayHours(((540, 1020),)).closed


def test_day_hours_cannot_be_open_and_unknown() -> None:
    with pytest.raises(ValueError, match="cannot also be unknown"):
        DayHours(((540, 1020),), unknown=True)


# --------------------------------------------------------------------------- check


def test_check_rejects_hours_past_24_with_a_clear_message() -> None:
    message = hours.check("Mo-Fr 25:00-26:00")
    assert message is not None
    assert "25:00-26:00" in message
    assert "00:00 to 24:00" in message


def test_check_rejects_garbage_saying_what_was_expected() -> None:
    message = hours.check("garbage")
    assert message is not None
    assert message.startswith("not valid OpenStreetMap opening_hours syntax")
    assert "Mo-Fr 09:00-17:00" in message
    assert "\n" not in message


@pytest.mark.parametrize("value", ["", "  ", SEASONAL, "Fr 22:00-26:00", "24/7"])
def test_check_accepts_empty_and_valid(value: str) -> None:
    assert hours.check(value) is None


# --------------------------------------------------------------------------- vectorised

MIXED = pd.Series(
    [SEASONAL, "", None, OFFICE, pd.NA, "garbage", SEASONAL, SUMMER_ONLY, float("nan")],
    index=[10, 11, 12, 13, 14, 15, 16, 17, 18],
    dtype=object,
)


def _scalar(value: object) -> str:
    return value if isinstance(value, str) else ""


def test_open_at_and_open_on_equal_scalar_versions() -> None:
    when, day = datetime(2026, 1, 3, 11), date(2026, 1, 5)
    at = hours.open_at(MIXED, when, TZ)
    on = hours.open_on(MIXED, day, TZ)
    assert at.dtype == "boolean"
    assert on.dtype == "boolean"
    assert list(at.index) == list(MIXED.index)
    for key, value in MIXED.items():
        for got, want in (
            (at[key], hours.is_open_at(_scalar(value), when, TZ)),
            (on[key], hours.is_open_on(_scalar(value), day, TZ)),
        ):
            assert (got is pd.NA) if want is None else (got == want)
    assert at[12] is pd.NA


def test_state_codes_read_open_closed_and_unknown() -> None:
    answers = pd.Series([True, False, pd.NA], dtype="boolean")
    assert hours.state_codes(answers).tolist() == [
        hours.STATE_OPEN,
        hours.STATE_CLOSED,
        hours.STATE_UNKNOWN,
    ]
    assert [hours.STATE_NAMES[code] for code in hours.state_codes(answers)] == [
        hours.OPEN,
        hours.CLOSED,
        hours.UNKNOWN,
    ]


def test_enrich_hours_adds_24_columns_without_touching_input() -> None:
    frame = pd.DataFrame({"id": range(len(MIXED)), "opening_hours": MIXED.to_numpy()})
    before = frame.copy()
    enriched = hours.enrich_hours(frame, YEAR, TZ)
    added = [c for c in enriched.columns if c not in frame.columns]
    assert added == [f"m{m:02d}" for m in range(1, 13)] + [f"h{m:02d}" for m in range(1, 13)]
    assert tuple(added) == hours.DERIVED_COLUMNS
    pd.testing.assert_frame_equal(frame, before)
    for row, value in enumerate(MIXED):  # the same as each string on its own
        expected_states = month_states(_scalar(value))
        expected_hours = weekly_hours(_scalar(value))
        assert tuple(enriched.iloc[row][[f"m{m:02d}" for m in range(1, 13)]]) == expected_states
        got = enriched.iloc[row][[f"h{m:02d}" for m in range(1, 13)]].astype(float).tolist()
        assert got == pytest.approx(expected_hours, nan_ok=True)


def test_open_in_month_reads_enriched_states() -> None:
    frame = pd.DataFrame({"opening_hours": [SUMMER_ONLY, "", SEASONAL]})
    enriched = hours.enrich_hours(frame, YEAR, TZ)
    january = hours.open_in_month(enriched, 1)
    assert january.dtype == "boolean"
    assert january.tolist() == [False, pd.NA, True]
    assert hours.open_in_month(enriched, 7).tolist() == [True, pd.NA, True]
    with pytest.raises(ValueError, match="month must be 1-12"):
        hours.open_in_month(enriched, 13)


def test_enrich_hours_names_a_missing_column() -> None:
    with pytest.raises(KeyError, match="no column 'hours'"):
        hours.enrich_hours(pd.DataFrame({"opening_hours": [""]}), YEAR, TZ, column="hours")
