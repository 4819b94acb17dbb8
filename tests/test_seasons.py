"""Opening hours in words: a day's hours, season summaries, and the shared day view."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from mapping import hours, seasons
from mapping.i18n import catalogue

TZ = "Europe/Podgorica"
YEAR = 2026
SEASONAL = "Apr-Oct Mo-Su 09:00-19:00; Nov-Mar Sa 10:00-14:00"
SUMMER_ONLY = "Apr-Oct Mo-Sa 10:00-18:00"
OFFICE = "Mo-Fr 09:00-17:00"
MIXED = pd.Series(
    [SEASONAL, "", None, OFFICE, pd.NA, "garbage", SEASONAL, SUMMER_ONLY, float("nan")],
    index=[10, 11, 12, 13, 14, 15, 16, 17, 18],
    dtype=object,
)
WORDS = ("hours_on", "season_summary", "summaries", "hours_today", "day_view")


def _scalar(value: object) -> str:
    return value if isinstance(value, str) else ""


def test_words_live_in_seasons_and_evaluation_in_hours() -> None:
    assert all(callable(getattr(seasons, name)) for name in WORDS)
    assert seasons.DAY_VIEW_COLUMNS == ("today", "summary", "day_state", "state_at")
    assert not [name for name in WORDS if hasattr(hours, name)]
    assert not hasattr(hours, "t")  # evaluation reads no catalogue


# --------------------------------------------------------------------------- one day


@pytest.mark.parametrize(
    ("value", "day", "lang", "expected"),
    [
        (SEASONAL, date(2026, 7, 3), "en", "09:00–19:00"),
        (SEASONAL, date(2026, 1, 3), "me", "10:00–14:00"),
        (SEASONAL, date(2026, 1, 5), "en", "closed"),
        (SEASONAL, date(2026, 1, 5), "me", "zatvoreno"),
        ("", date(2026, 1, 5), "en", "hours unknown"),
        ("", date(2026, 1, 5), "me", "radno vrijeme nepoznato"),
        ("Mo-Fr 10:00-14:00,16:00-20:00", date(2026, 1, 5), "en", "10:00–14:00, 16:00–20:00"),
        ("Fr 22:00-02:00", date(2026, 1, 2), "en", "22:00–02:00"),
        ("Fr 22:00-02:00", date(2026, 1, 3), "en", "closed"),
        ("24/7", date(2026, 1, 3), "en", "open 24 hours"),
        ("Mo-Su 09:00-19:00; Dec 25 off", date(2026, 12, 25), "en", "closed"),
        ('Mo-Fr 09:00-17:00 || "by appointment"', date(2026, 1, 3), "en", "hours unknown"),
    ],
)
def test_hours_on(value: str, day: date, lang: str, expected: str) -> None:
    assert seasons.hours_on(value, day, TZ, lang) == expected


# --------------------------------------------------------------------------- the year


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (SEASONAL, "en", "Apr–Oct daily 09–19; Nov–Mar Sat 10–14"),
        (SEASONAL, "me", "apr–okt svaki dan 09–19; nov–mar sub 10–14"),
        ("Mo-Fr 08:00-20:00; Sa 08:00-12:00", "en", "Mon–Fri 08–20, Sat 08–12"),
        ("Mo-Fr 08:00-20:00; Sa 08:00-12:00", "me", "pon–pet 08–20, sub 08–12"),
        (SUMMER_ONLY, "en", "Apr–Oct Mon–Sat 10–18; Nov–Mar closed"),
        (SUMMER_ONLY, "me", "apr–okt pon–sub 10–18; nov–mar zatvoreno"),
        ("Mo-Su 09:30-19:00", "en", "daily 09:30–19"),
        # A week that comes back later in the year; a season across the year end.
        (
            "Jun-Aug,Dec Mo-Su 09:00-19:00; Jan-May,Sep-Nov Sa 10:00-14:00",
            "en",
            "Jan–May, Sep–Nov Sat 10–14; Jun–Aug, Dec daily 09–19",
        ),
        (
            "Nov-Feb Mo-Su 09:00-19:00; Mar-Oct Sa 10:00-14:00",
            "en",
            "Mar–Oct Sat 10–14; Nov–Feb daily 09–19",
        ),
        ("Mo-Fr 10:00-14:00,16:00-20:00", "en", "Mon–Fri 10–14 and 16–20"),
        ("24/7", "en", "open 24/7"),
        ("Mo-Fr unknown", "en", "Mon–Fri unknown"),
        # One holiday does not redefine the typical December week.
        ("Mo-Su 09:00-19:00; Dec 25 off", "en", "daily 09–19"),
        ("", "en", "hours unknown"),
        ("", "me", "radno vrijeme nepoznato"),
    ],
)
def test_season_summary(value: str, lang: str, expected: str) -> None:
    assert seasons.season_summary(value, YEAR, TZ, lang) == expected


def test_hours_catalogues_have_the_same_keys() -> None:
    en = {k for k in catalogue("en") if k.startswith(("hours.", "date."))}
    me = {k for k in catalogue("me") if k.startswith(("hours.", "date."))}
    assert en == me
    assert {f"date.month.{m}" for m in range(1, 13)} <= en
    assert {f"date.weekday.{d}" for d in range(7)} <= en


# --------------------------------------------------------------------------- vectorised


@pytest.mark.parametrize("lang", ["en", "me"])
def test_summaries_and_hours_today_equal_scalar_versions(lang: str) -> None:
    day = date(2026, 1, 3)
    summary = seasons.summaries(MIXED, YEAR, TZ, lang)
    today = seasons.hours_today(MIXED, day, TZ, lang)
    assert list(summary) == [seasons.season_summary(_scalar(v), YEAR, TZ, lang) for v in MIXED]
    assert list(today) == [seasons.hours_on(_scalar(v), day, TZ, lang) for v in MIXED]
    assert list(summary.index) == list(MIXED.index)


def test_day_view_has_one_row_per_distinct_string() -> None:
    moment = datetime(2026, 1, 3, 11, tzinfo=ZoneInfo(TZ))  # a winter Saturday, 11:00
    codes, view = seasons.day_view(MIXED, moment, TZ, "en")
    assert list(view.columns) == list(seasons.DAY_VIEW_COLUMNS)
    # SEASONAL, "" (also None, NA, NaN), OFFICE, "garbage", SUMMER_ONLY
    assert len(view) == 5
    assert codes.dtype == np.int64
    rows = view.iloc[codes].reset_index(drop=True)
    assert list(rows["today"]) == [
        seasons.hours_on(_scalar(v), moment.date(), TZ, "en") for v in MIXED
    ]
    opened, closed, unknown = hours.STATE_OPEN, hours.STATE_CLOSED, hours.STATE_UNKNOWN
    seasonal = view.iloc[codes[0]]
    assert (seasonal["day_state"], seasonal["state_at"]) == (opened, opened)
    assert seasonal["summary"] == "Apr–Oct daily 09–19; Nov–Mar Sat 10–14"
    nothing = view.iloc[codes[1]]
    assert (nothing["day_state"], nothing["state_at"], nothing["summary"]) == (unknown, unknown, "")
    office = view.iloc[codes[3]]
    assert (office["today"], office["day_state"], office["state_at"]) == ("closed", closed, closed)
