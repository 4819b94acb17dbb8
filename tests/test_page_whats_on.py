"""AppTest: the What's on page in each language, presets, plurals, sections, the URL.

Tests about the fixtures' dated events (December 2026, July 2027) stand at
``@pytest.mark.now("2026-12-07T10:00")``: the From and To boxes offer days from the 1st
of this month on and a link may name days up to two years back, so those events must
lie ahead of "now". The others (presets, labels) run at whatever date the run is at.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapping import clock, whats_on
from mapping.settings import load_city
from tests.conftest import MINI, REPO_DATA, open_app_page
from tests.test_page_explore import filters_label, popover

APP = str(REPO_DATA.parent / "app.py")
PAGE = "pages/whats_on_page.py"


def open_page(monkeypatch, folder=MINI, lang="en", **params) -> AppTest:
    return open_app_page(monkeypatch, PAGE, folder, lang, **params)


def event_titles(at: AppTest) -> list[str]:
    return [
        m.value.split("**")[1] for m in at.markdown if m.value.startswith("**") and "·" in m.value
    ]


def pick_range(at: AppTest, first: date, last: date) -> AppTest:
    """Choose a custom range with the From and To boxes, as a visitor does."""
    at.selectbox(key="range-first").set_value(first).run()
    at.selectbox(key="range-last").set_value(last).run()
    assert not at.exception, at.exception
    return at


def headings(at: AppTest) -> list[str]:
    return [s.value.replace("\\", "") for s in at.subheader]


def today() -> date:
    return clock.now(load_city(MINI / "city.toml").timezone).date()


@pytest.mark.parametrize(("lang", "heading"), [("me", "Šta se dešava"), ("en", "What's on")])
def test_runs_in_both_languages(monkeypatch, lang, heading):
    at = open_page(monkeypatch, lang=lang)
    assert at.title[0].value == heading


@pytest.mark.now("2026-12-07T10:00")
def test_long_exhibition_is_listed_once_as_running_not_on_each_day(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2026, 12, 5), date(2026, 12, 7))
    assert event_titles(at) == ["Winter show"]  # runs 1-20 Dec: once, not three times
    assert "Running through these dates" in headings(at)
    assert headings(at)[0] == "Sat 5 Dec 2026 – Mon 7 Dec 2026"  # the range
    assert not any(h.startswith(("Sat 5 Dec", "Sun 6 Dec", "Mon 7 Dec")) for h in headings(at)[1:])
    text = " ".join(m.value for m in at.markdown)
    assert "Tue 1 Dec 2026, 10\\:00 – Sun 20 Dec 2026, 18\\:00" in text  # its full dates


@pytest.mark.now("2026-12-07T10:00")
def test_unconfirmed_festival_shows_only_its_month(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2027, 7, 1), date(2027, 7, 31))
    assert "Dates to be confirmed" in headings(at)
    text = " ".join(m.value for m in at.markdown)
    assert "**Expected in July 2027 — dates to be confirmed**" in text
    assert "July 2027 · dates to be confirmed" in text
    assert "Summer festival" in text


@pytest.mark.now("2026-12-07T10:00")
def test_category_filter_changes_the_list(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2026, 12, 5), date(2026, 12, 5))
    assert event_titles(at) == ["Winter show"]
    at.multiselect(key="ecat").set_value(["concert"]).run()
    assert event_titles(at) == []
    assert at.info[0].value == "No events in this range."


@pytest.mark.now("2026-12-07T10:00")
def test_empty_range_says_so_in_each_language(monkeypatch):
    at = open_page(monkeypatch, lang="me", range=["2026-03-01", "2026-03-02"])
    assert at.info[0].value == "Nema događaja u ovom periodu."


@pytest.mark.now("2026-12-07T10:00")
def test_text_search(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2026, 12, 5), date(2026, 12, 5))
    at.text_input(key="eq").input("zimska").run()
    assert event_titles(at) == ["Winter show"]
    at.text_input(key="eq").input("nothing like it").run()
    assert event_titles(at) == []


@pytest.mark.now("2026-12-07T10:00")
def test_downloads_offered(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2026, 12, 5), date(2026, 12, 5))
    keys = [el.key for el in at.get("download_button")]
    assert "ics-all" in keys
    assert any(k.startswith("ics-ongoing-winter-show") for k in keys)


@pytest.mark.now("2026-12-07T10:00")
def test_kotor_data_over_a_year(monkeypatch):
    at = open_page(monkeypatch, folder=REPO_DATA, range=["2026-12-01", "2027-11-30"])
    assert not at.exception
    assert len(event_titles(at)) >= 15


@pytest.mark.now("2026-12-07T10:00")
def test_unconfirmed_month_heading_and_calendar_counts(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2026, 12, 1), date(2027, 7, 31))
    assert "**Expected in July 2027 — dates to be confirmed**" in [m.value for m in at.markdown]
    buttons = {el.key: el for el in at.get("download_button")}
    assert buttons["ics-all"].proto.label == "Add the 1 listed event to your calendar (.ics)"
    assert "1 event with unconfirmed dates is not in the calendar file." in [
        c.value for c in at.caption
    ]


def test_category_choices_are_labelled_in_the_language(monkeypatch):
    at = open_page(monkeypatch, lang="me")
    assert at.multiselect(key="ecat").options == ["Koncerti", "Izložbe"]


# --------------------------------------------------------------------------- presets

EN_PRESETS = [
    "This weekend",
    "Next 7 days",
    "Next 30 days",
    "This month",
    "Next month",
    "Off-season (Oct–Apr)",
    "Other dates",
]
ME_PRESETS = [
    "Ovaj vikend",
    "Narednih 7 dana",
    "Narednih 30 dana",
    "Ovaj mjesec",
    "Sljedeći mjesec",
    "Van sezone (okt–apr)",
    "Drugi datumi",
]


@pytest.mark.parametrize(("lang", "labels"), [("en", EN_PRESETS), ("me", ME_PRESETS)])
def test_presets_look_ahead_in_the_language(monkeypatch, lang, labels):
    at = open_page(monkeypatch, lang=lang)
    period = at.radio(key="period")
    assert period.options == labels
    assert period.value == "days30"  # the default: the next 30 days
    assert at.selectbox(key="range-first").value == today()


@pytest.mark.parametrize("preset", whats_on.PRESETS)
def test_each_preset_sets_its_range_in_the_url(monkeypatch, preset):
    at = open_page(monkeypatch)
    at.radio(key="period").set_value(preset).run()
    first, last = whats_on.preset_range(preset, today(), (10, 11, 12, 1, 2, 3, 4))
    assert first >= today()  # every preset looks ahead
    assert at.query_params["range"] == [first.isoformat(), last.isoformat()]
    assert at.selectbox(key="range-first").value == first
    assert at.selectbox(key="range-last").value == last


@pytest.mark.now("2026-12-07T10:00")
def test_custom_dates_are_named_as_the_preset_they_equal(monkeypatch):
    at = open_page(monkeypatch)
    pick_range(at, date(2026, 12, 5), date(2026, 12, 9))
    assert at.radio(key="period").value == "custom"
    first, last = whats_on.preset_range("week", today(), ())
    pick_range(at, first, last)
    assert at.radio(key="period").value == "week"


@pytest.mark.now("2026-12-07T10:00")
def test_to_before_from_moves_from(monkeypatch):
    at = open_page(monkeypatch, range=["2026-12-05", "2026-12-09"])
    at.selectbox(key="range-last").set_value(date(2026, 12, 2)).run()
    assert at.query_params["range"] == ["2026-12-02", "2026-12-02"]


@pytest.mark.now("2026-12-07T10:00")
def test_me_dates_are_written_in_montenegrin(monkeypatch):
    at = open_page(monkeypatch, lang="me", range=["2026-12-05", "2026-12-06"])
    box = at.selectbox(key="range-first")
    assert box.label == "Od"
    assert box.format_func(box.value) == "sub 5. dec 2026."
    assert at.selectbox(key="range-last").label == "Do"
    assert at.radio(key="period").label == "Datumi"


# --------------------------------------------------------------------------- the URL


@pytest.mark.now("2026-12-07T10:00")
def test_range_from_the_url_round_trips(monkeypatch):
    at = open_page(monkeypatch, range=["2026-12-05", "2026-12-06"])
    assert at.selectbox(key="range-first").value == date(2026, 12, 5)
    assert at.selectbox(key="range-last").value == date(2026, 12, 6)
    assert headings(at)[0] == "Sat 5 Dec 2026 – Sun 6 Dec 2026"
    assert at.query_params["range"] == ["2026-12-05", "2026-12-06"]
    at.radio(key="period").set_value("next_month").run()
    url_range = at.query_params["range"]
    again = open_page(monkeypatch, range=url_range)  # the link, reopened
    assert again.radio(key="period").value == "next_month"
    assert [
        again.selectbox(key=k).value.isoformat() for k in ("range-first", "range-last")
    ] == url_range


@pytest.mark.now("2026-12-07T10:00")
def test_one_day_link_and_an_unreadable_one(monkeypatch):
    at = open_page(monkeypatch, range=["2026-12-05"])
    assert at.query_params["range"] == ["2026-12-05", "2026-12-05"]
    bad = open_page(monkeypatch, range=["soon", "later"])
    first, last = whats_on.preset_range(whats_on.DEFAULT_PRESET, today(), ())
    assert bad.query_params["range"] == [first.isoformat(), last.isoformat()]


# --------------------------------------------------------------------------- counts, sections


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        (
            "me",
            "**1 događaj u izabranim danima**",
            "**1 događaj u izabranim danima; još 1 \\(jul 2027\\.\\) s datumima koji čekaju "
            "potvrdu**",
        ),
        (
            "en",
            "**1 event on these days**",
            "**1 event on these days; 1 more in July 2027 with dates to be confirmed**",
        ),
    ],
)
@pytest.mark.now("2026-12-07T10:00")
def test_counts_have_proper_plurals(monkeypatch, lang, one, two):
    at = open_page(monkeypatch, lang=lang, range=["2026-12-05", "2026-12-06"])
    assert one in [m.value for m in at.markdown]
    at = open_page(monkeypatch, lang=lang, range=["2026-12-01", "2027-07-31"])
    assert two in [m.value for m in at.markdown]
    shown = " ".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [b.proto.label for b in at.get("download_button")]
    )
    assert "(s)" not in shown and "(a)" not in shown and "(en)" not in shown


@pytest.mark.now("2026-12-07T10:00")
def test_me_many_events_use_the_other_form(monkeypatch, kotor):
    view = whats_on.whats_on(
        kotor,
        date(2026, 12, 1),
        date(2027, 11, 30),
        categories=None,
        members_only=False,
        text="",
        lang="me",
    )
    at = open_page(monkeypatch, folder=REPO_DATA, lang="me", range=["2026-12-01", "2027-11-30"])
    count = view.in_calendar
    assert count % 10 not in (1, 2, 3, 4) or count % 100 in range(11, 15)  # "other" form
    assert any(
        m.value.startswith(f"**{count} događaja u izabranim danima; još ") for m in at.markdown
    )


@pytest.mark.now("2026-12-07T10:00")
def test_unconfirmed_events_are_never_among_the_days(monkeypatch, kotor):
    at = open_page(monkeypatch, folder=REPO_DATA, range=["2026-12-01", "2026-12-31"])
    values = [m.value.replace("\\", "") for m in at.markdown]  # markdown escapes undone
    tbc = values.index("**Expected in December 2026 — dates to be confirmed**")
    view = whats_on.whats_on(
        kotor,
        date(2026, 12, 1),
        date(2026, 12, 31),
        categories=None,
        members_only=False,
        text="",
        lang="en",
    )
    pending = {
        whats_on.event_title(r, "en", kotor.city.languages)
        for _, group in view.unconfirmed
        for _, r in group.iterrows()
    }
    assert pending  # December has festivals with unconfirmed dates
    listed = [v.split("**")[1] for v in values if v.startswith("**") and "·" in v]
    before = [v.split("**")[1] for v in values[:tbc] if v.startswith("**") and "·" in v]
    assert pending <= set(listed)
    assert pending.isdisjoint(before)


@pytest.mark.now("2026-12-07T10:00")
def test_no_download_offers_zero_events(monkeypatch):
    at = open_page(monkeypatch, range=["2027-07-01", "2027-07-31"])  # only a TBC festival
    assert [b.key for b in at.get("download_button")] == []
    assert "No listed event has confirmed dates yet, so there is nothing to add to a calendar." in [
        c.value for c in at.caption
    ]
    empty = open_page(monkeypatch, range=["2026-03-01", "2026-03-02"])
    assert [b.key for b in empty.get("download_button")] == []
    assert empty.info[0].value == "No events in this range."


@pytest.mark.now("2026-12-07T10:00")
def test_a_busy_range_shows_a_page_of_cards_and_more_on_request(monkeypatch, mini_copy):
    """120 events in the range: 50 cards, a count and "Show more" (then 100); the count of
    the whole list and its .ics still cover all 120."""
    rows = [
        f"busy-{k},Događaj {k},Event {k},,,concert,gal-durkovic,"
        f"2026-12-{k % 28 + 1:02d}T{10 + k % 9}:00,,true,,,,,Test,fixture"
        for k in range(120)
    ]
    path = mini_copy / "events.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    at = open_page(monkeypatch, folder=mini_copy, range=["2026-12-01", "2026-12-31"])
    assert len([t for t in event_titles(at) if t.startswith("Event ")]) == whats_on.LIST_PAGE
    assert "Shown: 50 of 120" in [c.value for c in at.caption]
    assert "120 events on these days" in [m.value.replace("*", "") for m in at.markdown]
    at.button(key="events-more").click().run()
    assert len([t for t in event_titles(at) if t.startswith("Event ")]) == 100
    at.button(key="events-more").click().run()
    assert len([t for t in event_titles(at) if t.startswith("Event ")]) == 120
    assert not [b for b in at.button if b.key == "events-more"]


def test_a_list_page_keeps_the_order_ongoing_days_then_unconfirmed():
    frame = pd.DataFrame({"event_id": list("abcdef")})
    view = whats_on.WhatsOn(
        occurrences=frame,
        ongoing=frame.iloc[:1],
        venues=pd.DataFrame(),
        days=[(date(2026, 12, 1), frame.iloc[1:3]), (date(2026, 12, 2), frame.iloc[3:5])],
        unconfirmed=[((2026, 12), frame.iloc[5:6])],
        venue_lines={},
        in_calendar=5,
        left_out=1,
    )
    page = whats_on.list_page(view, 4)
    assert list(page.ongoing["event_id"]) == ["a"]
    assert [(d.day, list(g["event_id"])) for d, g in page.days] == [(1, ["b", "c"]), (2, ["d"])]
    assert page.unconfirmed == [] and (page.shown, page.total) == (4, 6)
    everything = whats_on.list_page(view, 50)
    assert (everything.shown, everything.total) == (6, 6) and len(everything.unconfirmed) == 1


@pytest.mark.now("2026-12-07T10:00")
def test_filters_sit_in_a_popover_labelled_with_their_count(monkeypatch):
    """Issue 21: What's on's dates and filters are in the popover above the list, not the
    sidebar; the button counts what differs from the opening view, a link's from its
    first run."""
    at = open_page(monkeypatch)
    assert filters_label(at, "whats-on-filters") == "Filters"
    for kind in ("multiselect", "text_input", "radio", "checkbox", "selectbox"):
        assert not at.sidebar.get(kind), f"a {kind} left in the sidebar"
    assert popover(at, "whats-on-filters").radio[0].key == "period"
    at.radio(key="period").set_value("next_month").run()
    assert filters_label(at, "whats-on-filters") == "Filters · 1"
    at.checkbox(key="emembers").check().run()
    assert filters_label(at, "whats-on-filters") == "Filters · 2"
    linked = open_page(monkeypatch, range=["2026-12-05", "2026-12-06"], ecat="concert", eq="zimska")
    assert filters_label(linked, "whats-on-filters") == "Filters · 3"
