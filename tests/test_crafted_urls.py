"""AppTest: crafted links never raise; every unusable parameter falls back to its default.

One case per class of hostile value (issue 13, item 1): non-finite and out-of-range
points, points outside the study area, huge text, unknown ids, unreadable and far dates
and times, repeated parameters, control characters. The probe re-runs new values of the
same classes, so each class has several members.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from streamlit.testing.v1 import AppTest

from mapping import clock, params, whats_on
from mapping.settings import load_city
from tests.conftest import MINI
from tests.test_page_explore import make_app, near_data, shown_count
from tests.test_page_whats_on import open_page

DEFAULT_HEADING = "Near Sea Gate"  # the mini fixture's default start
ALL_CATEGORIES = ["atelier", "gallery", "museum"]


def today() -> date:
    return clock.now(load_city(MINI / "city.toml").timezone).date()


def notices(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.info, *at.warning])


def assert_default_view(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert shown_count(at) == 4
    assert at.subheader[0].value == DEFAULT_HEADING


@pytest.mark.parametrize(
    "pt",
    [
        "NaN,NaN",
        "nan,18.7",
        "inf,inf",
        "-inf,-inf",
        "1e308,1e308",
        "-1e308,1e308",
        "91,181",
        "-90.0001,18.7",
        "0,0",
        "42.0,18.7",
        "42.4,19.5",  # outside the area
        "abc",
        "42.4",
        "42.4,18.7,1",
        "42.4;18.7",
        "0x1p5,18.7",
        "\x00,\x1b",
        "1" * 5000,
    ],
)
def test_unusable_start_point_starts_from_the_default(monkeypatch, pt):
    at = make_app(monkeypatch, lang="en", start="click", pt=pt)
    assert_default_view(at)
    assert "start point could not be read" in notices(at)


def test_clicked_start_without_a_point_is_the_default_quietly(monkeypatch):
    at = make_app(monkeypatch, lang="en", start="click", pt="")
    assert_default_view(at)
    assert "could not" not in notices(at)


@pytest.mark.parametrize("q", ["x" * 100_000, "ž" * 10_000, "\x00\x1b[31m\u202e" * 50])
def test_huge_or_odd_search_text_is_capped(monkeypatch, q):
    at = make_app(monkeypatch, lang="en", q=q)
    assert not at.exception, at.exception
    assert len(at.text_input(key="q").value) <= params.MAX_TEXT


@pytest.mark.parametrize(
    ("extra", "label"),
    [
        ({"venue": "no-such-venue"}, "Venue"),
        ({"venue": "<script>alert(1)</script>"}, "Venue"),
        ({"venue": "x" * 10_000}, "Venue"),
        ({"cat": "zzz"}, "Categories"),
        ({"cat": ["zzz", "", "museum\x00"]}, "Categories"),
        ({"start": "nowhere"}, "Start point"),
        ({"when": "bogus"}, "When"),
        ({"when": "at", "date": "2026-13-45"}, "Date"),
        ({"when": "at", "date": "0001-01-01"}, "Date"),
        ({"when": "at", "date": "1677-09-21"}, "Date"),
        ({"when": "at", "date": "2262-04-12"}, "Date"),
        ({"when": "at", "date": "9999-12-31"}, "Date"),
        ({"when": "at", "date": "tomorrow"}, "Date"),
        ({"when": "at", "time": "25:99"}, "Time"),
        ({"when": "at", "time": "noon"}, "Time"),
        ({"when": "at", "time": "1" * 1000}, "Time"),
    ],
)
def test_unknown_ids_and_unreadable_dates_fall_back_and_say_so(monkeypatch, extra, label):
    at = make_app(monkeypatch, lang="en", **extra)
    assert not at.exception, at.exception
    assert at.session_state["start"] == "gate"  # the default start point
    if extra.get("when") != "at":  # "at" falls back to today 10:00: the list may be empty
        assert at.subheader[0].value == DEFAULT_HEADING
    assert label in notices(at)
    assert at.session_state["venue"] == ""
    assert at.session_state["cat"] == ALL_CATEGORIES
    if "date" in extra:
        assert at.date_input(key="date").value == today()
    if "time" in extra:
        assert at.time_input(key="time").value == time(10, 0)


def test_some_known_categories_are_kept(monkeypatch):
    at = make_app(monkeypatch, lang="en", cat=["gallery", "zzz", "gallery"])
    assert not at.exception, at.exception
    assert at.session_state["cat"] == ["gallery"]
    assert "Categories" in notices(at)


@pytest.mark.parametrize(
    "extra",
    [
        {"members": "maybe"},
        {"access": "2"},
        {"orgs": "yes"},
        {"when": "now", "unknown": "x"},
        {"lang": "xx"},
        {"lang": "<b>EN</b>"},
        {"foo": "bar"},
        {"embed": "true"},
    ],
)
def test_unreadable_switches_are_off(monkeypatch, extra):
    at = make_app(monkeypatch, **extra)
    assert not at.exception, at.exception
    if "when" in extra:  # open now: the count depends on the clock
        assert at.checkbox(key="unknown").value is False
    else:
        assert shown_count(at) == 4
    for key in ("members", "access", "orgs"):
        assert at.checkbox(key=key).value is False


def test_repeated_parameters_take_one_value_the_last(monkeypatch):
    """A repeated parameter takes its last value, usable or not: the earlier values are
    ignored, never merged and never a fallback."""
    at = make_app(
        monkeypatch,
        lang=["EN", "ME"],
        q=["zzz", ""],
        start=["gate", "perast-shore"],
        venue=["museum-sea", "gal-durkovic"],
        when=["now", "any"],
    )
    assert not at.exception, at.exception
    assert at.title[0].value == "Kreativna mapa: Testtown"  # ME, not EN
    assert at.text_input(key="q").value == ""  # not "zzz": every venue is shown
    assert shown_count(at) == 4
    assert at.session_state["start"] == "perast-shore"
    assert at.session_state["venue"] == "gal-durkovic"
    assert at.session_state["when"] == "any"
    assert near_data(at) is not None
    clicked = make_app(monkeypatch, lang="en", start="click", pt=["42.4866,18.6986", "NaN,NaN"])
    assert_default_view(clicked)  # the last point is unusable: the first is not used instead
    assert "start point could not be read" in notices(clicked)
    last_good = make_app(monkeypatch, lang="en", start="click", pt=["NaN,NaN", "42.4866,18.6986"])
    assert "could not" not in notices(last_good)
    assert last_good.subheader[0].value == "Near Point chosen on the map"


def test_a_good_link_says_nothing(monkeypatch):
    at = make_app(
        monkeypatch,
        lang="en",
        cat=["gallery"],
        start="click",
        pt="42.4866,18.6986",
        when="at",
        date=today().isoformat(),
        time="18:00",
    )
    assert not at.exception, at.exception
    assert "could not" not in notices(at)


# --------------------------------------------------------------------------- What's on


@pytest.mark.parametrize(
    "bad",
    [
        ["0001-01-01"],
        ["1677-09-21", "2262-04-12"],
        ["9999-12-31"],
        ["2026-13-45"],
        ["2026-12-01", "2026-12-02", "2026-12-03"],
        ["soon"],
        ["x" * 100_000],
        ["2026-12-01", "NaN"],
        ["20261201"],
        [""],
    ],
)
def test_unusable_range_gives_the_default_preset(monkeypatch, bad):
    at = open_page(monkeypatch, range=bad)
    first, last = whats_on.preset_range(whats_on.DEFAULT_PRESET, today(), ())
    assert at.query_params["range"] == [first.isoformat(), last.isoformat()]
    assert "Dates" in notices(at)


@pytest.mark.parametrize(
    ("extra", "label"),
    [
        ({"ecat": "zzz"}, "Event categories"),
        ({"ecat": ["concert", "zzz"]}, "Event categories"),
    ],
)
def test_unknown_event_categories_say_so(monkeypatch, extra, label):
    at = open_page(monkeypatch, **extra)
    assert label in notices(at)
    assert at.session_state["ecat"]


@pytest.mark.parametrize(
    "extra",
    [
        {"eq": "x" * 100_000},
        {"emembers": "maybe"},
        {"eq": ["a", "b"]},
        {"eq": "\x00\x1b\u202e"},
    ],
)
def test_whats_on_text_and_switches(monkeypatch, extra):
    at = open_page(monkeypatch, **extra)
    assert len(at.text_input(key="eq").value) <= params.MAX_TEXT
    assert at.checkbox(key="emembers").value in (True, False)
