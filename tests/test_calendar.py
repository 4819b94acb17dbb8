"""The .ics export parses back, with the same events, times and time zone, in three parsers."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import geopandas as gpd
import icalendar
import ics
import pandas as pd
import pytest
import recurring_ical_events
from shapely.geometry import Point

from mapping.calendar import to_ics
from mapping.events import EVENT_COLUMNS, occurrences, read_events

TZ = "Europe/Podgorica"
LANGS = ("me", "en")
COLUMNS = (*EVENT_COLUMNS, "title_en", "description_me", "description_en")
NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
RANGE = (date(2026, 3, 1), date(2027, 1, 15))


def row(**fields: str) -> dict[str, str]:
    record = dict.fromkeys(COLUMNS, "")
    record.update(
        title_en="", category="concert", venue_id="kino", dates_confirmed="true", source="test"
    )
    record.update(fields)
    return record


ROWS = [
    row(
        id="spring",
        title="Proljećni koncert",
        title_en="Spring concert",
        start="2026-03-28T19:00",
        end="2026-03-28T21:00",
        price="€5",
        organiser="KC Nikola Đurković",
        url="https://example.org/spring?a=1&b=2",
        description_me="Opis",
        description_en="A concert; with, commas\nand a new line",
    ),
    row(
        id="quiz",
        title="Kviz",
        title_en="Quiz",
        start="2026-10-21T19:00",
        end="2026-10-21T21:00",
        recurrence="weekly",
        free="true",
        venue_id="teatar",
    ),
    row(
        id="expo",
        title="Izložba",
        title_en="Exhibition",
        category="exhibition",
        start="2026-07-02",
        end="2026-07-10",
    ),
    row(
        id="carnival",
        title="Karneval",
        start="2026-08-01",
        end="2026-08-03",
        dates_confirmed="false",
        recurrence="annual",
    ),
]


@pytest.fixture(scope="module")
def occ(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = Path(tmp_path_factory.mktemp("cal")) / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(ROWS)
    events, problems = read_events(path, TZ)
    assert problems == []
    return occurrences(events, *RANGE, TZ)


@pytest.fixture(scope="module")
def venues() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["kino", "teatar"],
            "name": ["Kino Boka", "Gradsko pozorište"],
            "name_en": ["Boka Cinema", ""],
            "address": ["Stari grad 1", ""],
            "lat": [42.4247, 42.4251],
            "lon": [18.7712, 18.7705],
            "location_precision": ["exact", "settlement"],
        }
    )


@pytest.fixture(scope="module")
def export(occ: pd.DataFrame, venues: pd.DataFrame) -> tuple[bytes, int]:
    return to_ics(occ, venues, "en", LANGS, TZ, now=NOW)


def confirmed_starts(occ: pd.DataFrame, column: str = "occurrence_start") -> list[datetime]:
    kept = occ.loc[occ["confirmed"] & ~occ["all_day"]]
    return sorted(ts.to_pydatetime() for ts in kept[column])


def test_left_out_counts_unconfirmed(occ: pd.DataFrame, export: tuple[bytes, int]) -> None:
    data, left_out = export
    assert left_out == int((~occ["confirmed"]).sum()) == 1
    assert b"Karneval" not in data


def test_icalendar_roundtrip(occ: pd.DataFrame, export: tuple[bytes, int]) -> None:
    data, _ = export
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Kotor Creative Map//EN"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [TZ]
    events = cal.walk("VEVENT")
    assert len(events) == int(occ["confirmed"].sum())
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert "spring-20260328@creative-map" in uids
    for e in events:
        assert e["DTSTAMP"].dt == NOW
    timed = [e for e in events if isinstance(e["DTSTART"].dt, datetime)]
    assert all(e[key].params["TZID"] == TZ for e in timed for key in ("DTSTART", "DTEND"))
    assert sorted(e["DTSTART"].dt for e in timed) == confirmed_starts(occ)
    assert sorted(e["DTEND"].dt for e in timed) == confirmed_starts(occ, "occurrence_end")
    spring = next(e for e in events if str(e["UID"]).startswith("spring-"))
    assert str(spring["SUMMARY"]) == "Spring concert"
    assert str(spring["LOCATION"]) == "Boka Cinema, Stari grad 1"
    assert spring["GEO"].latitude == pytest.approx(42.4247)
    assert spring["GEO"].longitude == pytest.approx(18.7712)
    assert str(spring["URL"]) == "https://example.org/spring?a=1&b=2"
    description = str(spring["DESCRIPTION"])
    assert "A concert; with, commas\nand a new line" in description
    assert "Organiser: KC Nikola Đurković" in description
    assert "Price: €5" in description
    quiz = next(e for e in events if str(e["UID"]).startswith("quiz-"))
    assert "Free entry" in str(quiz["DESCRIPTION"])
    assert str(quiz["LOCATION"]) == "Gradsko pozorište"  # no English name: the original
    assert "GEO" not in quiz  # known only to its settlement: no point on the calendar


def test_all_day_is_a_date_with_exclusive_end(export: tuple[bytes, int]) -> None:
    cal = icalendar.Calendar.from_ical(export[0])
    expo = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("expo-"))
    assert expo["DTSTART"].dt == date(2026, 7, 2)
    assert expo["DTEND"].dt == date(2026, 7, 11)
    assert not isinstance(expo["DTSTART"].dt, datetime)


def test_wall_clock_and_offsets_across_dst(export: tuple[bytes, int]) -> None:
    cal = icalendar.Calendar.from_ical(export[0])
    quiz = sorted(e["DTSTART"].dt for e in cal.walk("VEVENT") if str(e["UID"]).startswith("quiz-"))
    assert [(d.hour, d.utcoffset().total_seconds() / 3600) for d in quiz[:2]] == [
        (19, 2.0),
        (19, 1.0),
    ]  # 21 Oct summer time, 28 Oct winter time


def test_independent_ics_parser_agrees(occ: pd.DataFrame, export: tuple[bytes, int]) -> None:
    calendar = ics.Calendar(export[0].decode("utf-8"))
    events = list(calendar.events)
    assert len(events) == int(occ["confirmed"].sum())
    assert len({e.uid for e in events}) == len(events)
    timed = sorted(e.begin.datetime for e in events if not e.all_day)
    assert timed == confirmed_starts(occ)
    ends = sorted(e.end.datetime for e in events if not e.all_day)
    assert ends == confirmed_starts(occ, "occurrence_end")
    assert all(t.tzinfo is not None for t in timed)
    assert {t.utcoffset().total_seconds() for t in timed} == {3600.0, 7200.0}
    expo = next(e for e in events if e.uid.startswith("expo-"))
    assert expo.all_day
    assert expo.begin.date() == date(2026, 7, 2)
    spring = next(e for e in events if e.uid.startswith("spring-"))
    assert spring.begin.datetime == datetime(2026, 3, 28, 19, tzinfo=ZoneInfo(TZ))
    assert spring.location == "Boka Cinema, Stari grad 1"


def test_recurring_ical_events_agrees(occ: pd.DataFrame, export: tuple[bytes, int]) -> None:
    cal = icalendar.Calendar.from_ical(export[0])
    found = recurring_ical_events.of(cal).between(RANGE[0], date(2027, 1, 16))
    assert len(found) == int(occ["confirmed"].sum())
    timed = sorted(e["DTSTART"].dt for e in found if isinstance(e["DTSTART"].dt, datetime))
    assert timed == confirmed_starts(occ)


def test_language_and_stable_output(occ: pd.DataFrame, venues: pd.DataFrame) -> None:
    first = to_ics(occ, venues, "me", LANGS, TZ, now=NOW)
    again = to_ics(occ, venues, "me", LANGS, TZ, now=NOW)
    assert first == again
    cal = icalendar.Calendar.from_ical(first.data)
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert {"Proljećni koncert", "Kviz", "Izložba"} == summaries
    description = next(
        str(e["DESCRIPTION"]) for e in cal.walk("VEVENT") if str(e["UID"]).startswith("spring-")
    )
    assert description.startswith("Opis")
    assert "Cijena: €5" in description


def test_geometry_column_and_missing_venue(occ: pd.DataFrame) -> None:
    venues = gpd.GeoDataFrame(
        {"id": ["kino"], "name": ["Kino Boka"], "location_precision": ["approximate"]},
        geometry=[Point(18.7712, 42.4247)],
        crs=4326,
    )
    cal = icalendar.Calendar.from_ical(to_ics(occ, venues, "en", LANGS, TZ, now=NOW).data)
    events = cal.walk("VEVENT")
    spring = next(e for e in events if str(e["UID"]).startswith("spring-"))
    assert spring["GEO"].latitude == pytest.approx(42.4247)
    quiz = next(e for e in events if str(e["UID"]).startswith("quiz-"))
    assert "LOCATION" not in quiz
    assert "GEO" not in quiz


def test_empty_selection_is_still_a_valid_calendar(occ: pd.DataFrame, venues: pd.DataFrame) -> None:
    data, left_out = to_ics(occ.iloc[0:0], venues, "en", LANGS, TZ, now=NOW)
    assert left_out == 0
    cal = icalendar.Calendar.from_ical(data)
    assert cal.walk("VEVENT") == []
    assert len(cal.walk("VTIMEZONE")) == 1
    assert len(ics.Calendar(data.decode("utf-8")).events) == 0


def test_description_uses_the_one_price_wording(tmp_path: Path, venues: pd.DataFrame) -> None:
    rows = [
        row(id="gift", title="Poklon", start="2026-05-02T18:00", end="", free="true", price="€5"),
        row(
            id="paid", title="Plaćeno", start="2026-05-03T18:00", end="", free="false", price="10 €"
        ),
    ]
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    events, problems = read_events(path, TZ)
    assert problems == []
    occ = occurrences(events, date(2026, 5, 1), date(2026, 5, 31), TZ)
    cal = icalendar.Calendar.from_ical(to_ics(occ, venues, "me", LANGS, TZ, now=NOW).data)
    descriptions = {str(e["UID"]).split("-")[0]: str(e["DESCRIPTION"]) for e in cal.walk("VEVENT")}
    assert descriptions == {"gift": "Ulaz slobodan", "paid": "Cijena: 10 €"}  # free wins


CATEGORIES = pd.DataFrame(
    {
        "id": ["concert", "exhibition"],
        "label_me": ["Koncerti", "Izložbe"],
        "label_en": ["Concerts", "Exhibitions"],
        "label_de": ["Konzerte", ""],
    }
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("me", {"Koncerti", "Izložbe"}),
        ("en", {"Concerts", "Exhibitions"}),
        ("de", {"Konzerte", "Izložbe"}),  # no German label: the fallback order of i18n
    ],
)
def test_categories_are_labels_in_the_chosen_language(
    occ: pd.DataFrame, venues: pd.DataFrame, lang: str, expected: set[str]
) -> None:
    data = to_ics(occ, venues, lang, ("me", "en", "de"), TZ, categories=CATEGORIES, now=NOW).data
    cal = icalendar.Calendar.from_ical(data)
    assert {c for e in cal.walk("VEVENT") for c in e["CATEGORIES"].cats} == expected


@pytest.mark.parametrize(
    ("precision", "has_geo"),
    [
        ("exact", True),
        ("approximate", True),
        ("settlement", False),
        ("", False),
    ],
)
def test_geo_only_for_a_venue_placed_exactly_or_approximately(
    occ: pd.DataFrame, venues: pd.DataFrame, precision: str, has_geo: bool
) -> None:
    placed = venues.assign(location_precision=precision)
    cal = icalendar.Calendar.from_ical(to_ics(occ, placed, "en", LANGS, TZ, now=NOW).data)
    spring = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("spring-"))
    assert ("GEO" in spring) is has_geo
    assert str(spring["LOCATION"]) == "Boka Cinema, Stari grad 1"  # name + address always


def test_kotor_settlement_level_venues_get_no_geo(kotor) -> None:
    from mapping import whats_on

    venues = pd.DataFrame(kotor.venues)
    occ = occurrences(kotor.events, date(2026, 1, 1), date(2026, 12, 31), TZ)
    confirmed = occ.loc[occ["confirmed"].to_numpy(dtype=bool)]
    cal = icalendar.Calendar.from_ical(whats_on.calendar_file(kotor, confirmed, "me").data)
    precision = dict(zip(venues["id"], venues["location_precision"], strict=True))
    events = {str(e["UID"]).split("@")[0].rsplit("-", 1)[0]: e for e in cal.walk("VEVENT")}
    venue_of = dict(zip(confirmed["event_id"], confirmed["venue_id"], strict=True))
    kinds = {precision[venue_of[e]] for e in events}
    assert "settlement" in kinds and kinds & {"exact", "approximate"}  # both in the data
    for event_id, event in events.items():
        assert ("GEO" in event) is (precision[venue_of[event_id]] in {"exact", "approximate"})
