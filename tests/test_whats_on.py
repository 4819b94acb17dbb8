"""What the What's on page shows, computed without Streamlit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from mapping import whats_on


def test_default_range_is_thirty_days():
    now = datetime(2026, 11, 28, 9, 0, tzinfo=ZoneInfo("Europe/Podgorica"))
    assert whats_on.default_range(now) == (date(2026, 11, 28), date(2026, 12, 28))


def test_days_and_map_cards(mini):
    view = whats_on.whats_on(mini, date(2026, 12, 19), date(2026, 12, 21), categories=None,
                             members_only=False, text="", lang="en")
    assert [d for d, _ in view.days] == [date(2026, 12, 19), date(2026, 12, 20)]
    assert list(view.venues["id"]) == ["gal-durkovic"]
    assert view.venue_lines["gal-durkovic"][0].endswith("— Winter show")


def test_members_only_and_categories(mini):
    kwargs = {"text": "", "lang": "en"}
    july = (date(2027, 7, 1), date(2027, 7, 31))
    everyone = whats_on.whats_on(mini, *july, categories=None, members_only=False, **kwargs)
    members = whats_on.whats_on(mini, *july, categories=None, members_only=True, **kwargs)
    concerts = whats_on.whats_on(mini, *july, categories=("exhibition",), members_only=False,
                                 **kwargs)
    assert len(everyone.unconfirmed) == 1  # the summer festival, month only
    assert members.occurrences.empty  # held at the (non-member) maritime museum
    assert concerts.occurrences.empty


def test_month_strip_has_twelve_months(mini):
    strip = whats_on.month_strip(mini, date(2026, 11, 28), "en")
    assert len(strip) == 12
    assert strip.index[0] == "2026-11 Nov"
    assert strip.loc["2026-12 Dec", "Dates confirmed"] == 1
    assert strip.loc["2027-07 Jul", "Dates to be confirmed"] == 1


def test_calendar_file_leaves_out_unconfirmed(mini):
    view = whats_on.whats_on(mini, date(2026, 12, 1), date(2027, 7, 31), categories=None,
                             members_only=False, text="", lang="en")
    export = whats_on.calendar_file(mini, view.occurrences, "en")
    assert export.left_out == 1
    assert export.data.count(b"BEGIN:VEVENT") == 1
