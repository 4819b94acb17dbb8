"""What the What's on page shows, computed without Streamlit."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mapping import params, whats_on, whats_on_ranges, whats_on_strip

LANGS = ("me", "en")


def test_default_range_is_the_next_thirty_days():
    today = date(2026, 11, 28)
    first, last = whats_on.preset_range(whats_on.DEFAULT_PRESET, today, ())
    assert (first, last) == (today, date(2026, 12, 28))
    assert (last - first).days == whats_on.DEFAULT_DAYS


def test_long_running_event_is_ongoing_not_on_each_day_and_on_the_map(mini):
    view = whats_on.whats_on(
        mini,
        date(2026, 12, 19),
        date(2026, 12, 21),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    assert view.days == []  # the winter show runs 1-20 Dec: more than three days
    assert list(view.ongoing["event_id"]) == ["winter-show"]
    assert list(view.venues["id"]) == ["gal-durkovic"]
    assert view.venue_lines["gal-durkovic"][0].endswith("— Winter show")


def test_members_only_and_categories(mini):
    kwargs = {"text": "", "lang": "en"}
    july = (date(2027, 7, 1), date(2027, 7, 31))
    everyone = whats_on.whats_on(mini, *july, categories=None, members_only=False, **kwargs)
    members = whats_on.whats_on(mini, *july, categories=None, members_only=True, **kwargs)
    concerts = whats_on.whats_on(
        mini, *july, categories=("exhibition",), members_only=False, **kwargs
    )
    assert len(everyone.unconfirmed) == 1  # the summer festival, month only
    assert members.occurrences.empty  # held at the (non-member) maritime museum
    assert concerts.occurrences.empty


def test_short_multi_day_events_are_listed_on_each_day(tmp_path, mini_copy):
    from mapping.io import load_dataset

    path = mini_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(
        lines[1]
        .replace("winter-show", "weekend-fair")
        .replace("2026-12-01T10:00,2026-12-20T18:00", "2026-12-05,2026-12-07")
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load_dataset(mini_copy)
    view = whats_on.whats_on(
        data,
        date(2026, 12, 5),
        date(2026, 12, 8),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    assert [d for d, _ in view.days] == [
        date(2026, 12, 5),
        date(2026, 12, 6),
        date(2026, 12, 7),
    ]  # three days: on each
    assert list(view.ongoing["event_id"]) == ["winter-show"]


def test_month_strip_has_twelve_months_with_sentences(mini):
    strip = whats_on.month_strip(mini, date(2026, 11, 28), "en")
    assert len(strip) == 24  # confirmed and unconfirmed rows per month
    months = strip.drop_duplicates("month")
    assert list(months["label"])[:3] == ["Nov 2026", "Dec", "Jan 2027"]
    december = strip.loc[strip["month"] == "2026-12"]
    assert list(december["count"]) == [1, 0]
    assert list(december["status"]) == ["Dates confirmed", "Dates to be confirmed"]
    assert december["tooltip"].iloc[0] == "December 2026: 1 confirmed, 0 to be confirmed"
    july = strip.loc[strip["month"] == "2027-07", "tooltip"].iloc[0]
    assert july == "July 2027: 0 confirmed, 1 to be confirmed"


def test_month_strip_in_montenegrin_has_no_english(mini):
    strip = whats_on.month_strip(
        mini, date(2026, 11, 28), "me", (date(2026, 12, 1), date(2026, 12, 31))
    )
    july = strip.loc[strip["month"] == "2027-07", "tooltip"].iloc[0]
    assert july == "jul 2027.: 0 potvrđenih, 1 čeka potvrdu datuma"
    assert list(strip.drop_duplicates("month")["in_range"])[:3] == [False, True, False]
    spec = whats_on.month_strip_spec("me")
    bars, months = spec["layer"]
    assert spec["encoding"]["x"]["title"] == "Mjesec"
    assert bars["encoding"]["y"]["title"] == "Događaji"
    assert bars["encoding"]["color"]["scale"]["domain"] == [
        "Potvrđeni datumi",
        "Datumi će biti potvrđeni",
    ]
    assert months["encoding"]["tooltip"] == {"field": "tooltip", "type": "nominal"}
    assert months["params"][0]["name"] == whats_on.STRIP_SELECTION
    assert months["params"][0]["select"]["fields"] == ["month"]
    assert spec["config"] == {"axis": {"aria": False}, "legend": {"aria": False}}


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"month_pick": [{"month": "2026-12"}]}, (2026, 12)),
        ({"month_pick": {"month": ["2027-01"]}}, (2027, 1)),
        ({"month_pick": []}, None),
        ({"month_pick": {}}, None),
        ({"month_pick": [{"month": "soon"}]}, None),
        ({}, None),
        (None, None),
    ],
)
def test_month_from_selection(selection, expected):
    assert whats_on.month_from_selection(selection) == expected


OFF = (10, 11, 12, 1, 2, 3, 4)


@pytest.mark.parametrize(
    ("today", "preset", "expected"),
    [
        (date(2026, 11, 25), "weekend", (date(2026, 11, 28), date(2026, 11, 29))),  # Wed
        (date(2026, 11, 27), "weekend", (date(2026, 11, 28), date(2026, 11, 29))),  # Fri
        (date(2026, 11, 28), "weekend", (date(2026, 11, 28), date(2026, 11, 29))),  # Sat
        (date(2026, 11, 29), "weekend", (date(2026, 11, 29), date(2026, 11, 29))),  # Sun
        (date(2026, 11, 28), "week", (date(2026, 11, 28), date(2026, 12, 4))),
        (date(2026, 11, 28), "days30", (date(2026, 11, 28), date(2026, 12, 28))),
        (date(2026, 11, 28), "month", (date(2026, 11, 28), date(2026, 11, 30))),
        (date(2026, 11, 28), "next_month", (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2026, 12, 15), "next_month", (date(2027, 1, 1), date(2027, 1, 31))),
        (date(2026, 11, 28), "off_season", (date(2026, 11, 28), date(2027, 4, 30))),
        (date(2026, 5, 10), "off_season", (date(2026, 10, 1), date(2027, 4, 30))),
        (date(2027, 2, 1), "off_season", (date(2027, 2, 1), date(2027, 4, 30))),
    ],
)
def test_presets_look_ahead(today, preset, expected):
    assert whats_on.preset_range(preset, today, OFF) == expected
    assert expected[0] >= today


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 5, 10), (6, 7, 12), (date(2026, 6, 1), date(2026, 7, 31))),
        (date(2026, 8, 15), (6, 7, 12), (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2026, 12, 20), (12, 1, 6), (date(2026, 12, 20), date(2027, 1, 31))),
        (date(2026, 5, 10), tuple(range(1, 13)), (date(2026, 5, 10), date(2027, 4, 30))),
    ],
)
def test_off_season_is_the_run_of_months_now_or_next(today, months, expected):
    assert whats_on.preset_range("off_season", today, months) == expected


def test_off_season_label_reads_its_months_across_the_year_end():
    assert whats_on.preset_label("off_season", "en", (1, 2, 11, 12)) == "Off-season (Nov–Feb)"


def test_matching_preset_and_labels():
    today = date(2026, 11, 28)
    assert (
        whats_on.matching_preset(date(2026, 12, 1), date(2026, 12, 31), today, OFF) == "next_month"
    )
    assert (
        whats_on.matching_preset(date(2026, 12, 2), date(2026, 12, 31), today, OFF)
        == whats_on.CUSTOM
    )
    assert whats_on.preset_label("off_season", "en", OFF) == "Off-season (Oct–Apr)"
    assert whats_on.preset_label("off_season", "de", OFF) == "Nebensaison (Okt.–Apr.)"
    assert whats_on.preset_label(whats_on.CUSTOM, "me", OFF) == "Drugi datumi"
    assert whats_on.presets(()) == tuple(p for p in whats_on.PRESETS if p != "off_season")
    with pytest.raises(ValueError, match="preset must be one of"):
        whats_on.preset_range("yesterday", today, OFF)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2026-12-01", "2026-12-31"], (date(2026, 12, 1), date(2026, 12, 31))),
        (["2026-12-31", "2026-12-01"], (date(2026, 12, 1), date(2026, 12, 31))),
        (["2026-12-05"], (date(2026, 12, 5), date(2026, 12, 5))),
        (["tomorrow"], None),
        ([], None),
    ],
)
def test_a_range_from_the_url_is_read_by_params(values, expected):
    # The page reads ``range=`` with params.day_range; What's on has no parser of its own.
    assert params.day_range(values, date(2026, 11, 28)).value == expected


def test_day_choices_cover_the_strip_and_a_linked_range():
    days = whats_on.day_choices(date(2026, 11, 28), date(2026, 11, 28), date(2026, 12, 28))
    assert (days[0], days[-1]) == (date(2026, 11, 1), date(2027, 10, 31))
    wide = whats_on.day_choices(date(2026, 11, 28), date(2025, 3, 1), date(2028, 1, 1))
    assert (wide[0], wide[-1]) == (date(2025, 3, 1), date(2028, 1, 1))


def test_calendar_file_leaves_out_unconfirmed(mini):
    view = whats_on.whats_on(
        mini,
        date(2026, 12, 1),
        date(2027, 7, 31),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    export = whats_on.calendar_file(mini, view.occurrences, "en")
    assert export.left_out == 1
    assert export.data.count(b"BEGIN:VEVENT") == 1


def test_in_calendar_and_left_out_count_the_listed_occurrences(mini):
    # winter show (confirmed, December) and summer festival (unconfirmed, July)
    view = whats_on.whats_on(
        mini,
        date(2026, 12, 1),
        date(2027, 7, 31),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    assert (view.in_calendar, view.left_out) == (1, 1)
    winter = whats_on.whats_on(
        mini,
        date(2026, 12, 5),
        date(2026, 12, 5),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    assert (winter.in_calendar, winter.left_out) == (1, 0)
    nothing = whats_on.whats_on(
        mini,
        date(2026, 3, 1),
        date(2026, 3, 2),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    assert (nothing.in_calendar, nothing.left_out) == (0, 0)


def test_category_labels_in_each_language(mini):
    assert whats_on.category_labels(mini, "en") == {
        "concert": "Concerts",
        "exhibition": "Exhibitions",
    }
    assert whats_on.category_labels(mini, "me") == {"concert": "Koncerti", "exhibition": "Izložbe"}


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
    row = pd.Series(
        {
            "title": "Koncert",
            "description_me": "Opis",
            "description_en": "About",
            "free": pd.NA,
            "price": "€5",
            "organiser": "KC Kotor",
        }
    )
    assert whats_on.event_details(row, "en", LANGS) == ["About", "Price: €5", "Organiser: KC Kotor"]
    assert whats_on.event_details(row, "me", LANGS) == [
        "Opis",
        "Cijena: €5",
        "Organizator: KC Kotor",
    ]
    free = {"title": "Kviz", "free": True, "price": "€5", "organiser": ""}
    assert whats_on.event_details(free, "en", LANGS) == ["Free entry"]


def test_event_title_falls_back_to_the_original():
    assert (
        whats_on.event_title(pd.Series({"title": "Kviz", "title_en": "Quiz"}), "en", LANGS)
        == "Quiz"
    )
    assert whats_on.event_title({"title": "Kviz", "title_en": ""}, "en", LANGS) == "Kviz"


def test_calendar_file_categories_are_in_the_language(mini):
    import icalendar

    view = whats_on.whats_on(
        mini,
        date(2026, 12, 5),
        date(2026, 12, 5),
        categories=None,
        members_only=False,
        text="",
        lang="me",
    )
    cal = icalendar.Calendar.from_ical(whats_on.calendar_file(mini, view.occurrences, "me").data)
    event = cal.walk("VEVENT")[0]
    assert event["CATEGORIES"].cats == ["Izložbe"]


def test_the_page_finds_ranges_and_the_strip_through_whats_on():
    assert sorted(whats_on.__all__) == sorted(set(whats_on.__all__))
    for name in whats_on.__all__:
        assert hasattr(whats_on, name), name
    # offered, not copied: one home for each
    assert whats_on.preset_range is whats_on_ranges.preset_range
    assert whats_on.day_choices is whats_on_ranges.day_choices
    assert whats_on.month_strip is whats_on_strip.month_strip
