"""The event form's pickers to ``start``/``end`` (mapping/submissions/event_when.py),
and the one end-before-start rule they are judged by."""

from __future__ import annotations

from datetime import date, time

import pytest

from mapping.submissions import event_when
from mapping.submissions.forms import ANNUAL_TBC, DATED, WEEKLY

DAY = date(2027, 3, 21)


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ({}, {}),
        ({"start_day": DAY}, {"start": "2027-03-21"}),
        ({"start_day": DAY, "start_time": time(19, 30)}, {"start": "2027-03-21T19:30"}),
        (
            {"start_day": DAY, "start_time": time(19, 30, 59), "end_time": time(21, 0)},
            {"start": "2027-03-21T19:30", "end": "2027-03-21T21:00"},
        ),
        (
            {"start_day": DAY, "end_day": date(2027, 3, 23)},
            {"start": "2027-03-21", "end": "2027-03-23"},
        ),
        ({"start_time": time(19, 0)}, {}),  # a time alone is no start
    ],
)
def test_dated(picked, expected):
    assert event_when.when_fields(DATED, picked) == expected


def test_weekly_ends_the_same_day():
    picked = {"start_day": DAY, "start_time": time(20, 0), "end_time": time(22, 0)}
    picked["end_day"] = date(2027, 9, 1)  # ignored: a weekly evening ends that evening
    assert event_when.when_fields(WEEKLY, picked) == {
        "start": "2027-03-21T20:00",
        "end": "2027-03-21T22:00",
    }


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ((2027, 7), (2027, 8), ("2027-07-01", "2027-08-31")),
        ((2027, 2), (2027, 2), ("2027-02-01", "2027-02-28")),
        ((2028, 2), (2028, 2), ("2028-02-01", "2028-02-29")),
        ((2027, 12), (2028, 1), ("2027-12-01", "2028-01-31")),
    ],
)
def test_month_window(first, last, expected):
    got = event_when.when_fields(ANNUAL_TBC, {"first_month": first, "last_month": last})
    assert (got["start"], got["end"]) == expected


def test_an_unpicked_window_is_empty():
    assert event_when.when_fields(ANNUAL_TBC, {"first_month": None}) == {}
    half = {"first_month": (None, None), "last_month": (2027, 13)}
    assert event_when.when_fields(ANNUAL_TBC, half) == {}


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        (event_when.month_window((2027, 8), (2027, 7)), "submissions.refused.end_before_start"),
        (event_when.dated(DAY, None, date(2027, 3, 20)), "submissions.refused.end_before_start"),
        (
            event_when.dated(DAY, time(20, 0), None, time(19, 0)),
            "submissions.refused.end_before_start",
        ),
        (event_when.dated(DAY, time(20, 0), date(2027, 3, 22)), "submissions.refused.date_kind"),
    ],
)
def test_the_sends_own_rule_judges_the_pickers(fields, key):
    [problem] = event_when.when_problems(fields)
    assert (problem.field, problem.key) == ("end", key)


def test_a_good_pick_has_no_problem():
    assert event_when.when_problems(event_when.dated(DAY, time(19, 0), DAY, time(21, 0))) == []
