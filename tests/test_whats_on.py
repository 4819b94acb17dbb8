"""What the What's on page shows, computed without Streamlit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from mapping import whats_on

LANGS = ("me", "en")


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


def test_in_calendar_and_left_out_count_the_listed_occurrences(mini):
    # winter show (confirmed, December) and summer festival (unconfirmed, July)
    view = whats_on.whats_on(mini, date(2026, 12, 1), date(2027, 7, 31), categories=None,
                             members_only=False, text="", lang="en")
    assert (view.in_calendar, view.left_out) == (1, 1)
    winter = whats_on.whats_on(mini, date(2026, 12, 5), date(2026, 12, 5), categories=None,
                               members_only=False, text="", lang="en")
    assert (winter.in_calendar, winter.left_out) == (1, 0)
    nothing = whats_on.whats_on(mini, date(2026, 3, 1), date(2026, 3, 2), categories=None,
                                members_only=False, text="", lang="en")
    assert (nothing.in_calendar, nothing.left_out) == (0, 0)


def test_category_labels_in_each_language(mini):
    assert whats_on.category_labels(mini, "en") == {"concert": "Concerts",
                                                    "exhibition": "Exhibitions"}
    assert whats_on.category_labels(mini, "me") == {"concert": "Koncerti",
                                                    "exhibition": "Izložbe"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        (" http://example.org/x ", "http://example.org/x"),
        ("https://example.org/Kotor_(town)", "https://example.org/Kotor_%28town%29"),
        ("javascript:alert(1)", None),
        ("www.example.org", None),
        ("https://example.org/a b", None),
        ('https://example.org/"onclick', None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_event_link_is_a_safe_markdown_target_or_none(url, expected):
    assert whats_on.event_link({"url": url}) == expected


def test_event_link_reads_a_frame_row():
    row = pd.Series({"url": "https://example.org/(x)", "title": "T"})
    assert whats_on.event_link(row) == "https://example.org/%28x%29"
    assert whats_on.event_link(pd.Series({"title": "no url"})) is None


def test_event_details_description_price_organiser():
    row = pd.Series({"title": "Koncert", "description_me": "Opis", "description_en": "About",
                     "free": pd.NA, "price": "€5", "organiser": "KC Kotor"})
    assert whats_on.event_details(row, "en", LANGS) == ["About", "Price: €5",
                                                       "Organiser: KC Kotor"]
    assert whats_on.event_details(row, "me", LANGS) == ["Opis", "Cijena: €5",
                                                       "Organizator: KC Kotor"]
    free = {"title": "Kviz", "free": True, "price": "€5", "organiser": ""}
    assert whats_on.event_details(free, "en", LANGS) == ["Free entry"]


def test_event_title_falls_back_to_the_original():
    assert whats_on.event_title(pd.Series({"title": "Kviz", "title_en": "Quiz"}), "en",
                                LANGS) == "Quiz"
    assert whats_on.event_title({"title": "Kviz", "title_en": ""}, "en", LANGS) == "Kviz"


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ((date(2026, 12, 1), date(2026, 12, 7)), (date(2026, 12, 1), date(2026, 12, 7))),
        ((date(2026, 12, 1),), (date(2026, 12, 1), date(2026, 12, 1))),  # mid-selection
        (date(2026, 12, 1), (date(2026, 12, 1), date(2026, 12, 1))),
        ((), None),
        (None, None),
    ],
)
def test_picked_range(picked, expected):
    assert whats_on.picked_range(picked) == expected
