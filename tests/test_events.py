"""Events: reading events.csv, recurrence across year ends and DST, range edges, grouping."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from dateutil.rrule import WEEKLY, YEARLY, rrule

from mapping.events import (
    EVENT_COLUMNS,
    OCCURRENCE_COLUMNS,
    check_references,
    day_label,
    days_running,
    events_per_month,
    events_table,
    filter_occurrences,
    group_by_day,
    moment_label,
    month_label,
    occurrence_label,
    occurrences,
    price_text,
    read_events,
    to_csv_bytes,
    unconfirmed_by_month,
    upcoming,
)
from mapping.i18n import localized

TZ = "Europe/Podgorica"
LANGS = ("me", "en")
# The fixed columns plus this town's per-language ones (a language adds columns, not code).
COLUMNS = (*EVENT_COLUMNS, "title_en", "description_me", "description_en")


def event(**fields: str) -> dict[str, str]:
    """A valid one-off event row; keyword arguments override fields."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id="ev",
        title="Koncert",
        title_en="Concert",
        category="concert",
        venue_id="kino",
        start="2026-07-04T20:00",
        end="2026-07-04T22:00",
        dates_confirmed="true",
        source="test",
    )
    row.update(fields)
    return row


def write(folder: Path, rows: list[dict[str, str]], name: str = "events.csv") -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def load(folder: Path, *rows: dict[str, str]) -> pd.DataFrame:
    frame, problems = read_events(write(folder, list(rows)), TZ)
    assert problems == []
    return frame


def local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_localize(TZ)


# --------------------------------------------------------------------------- reading


def test_read_events_types_and_defaults(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(),
        event(
            id="fest",
            start="2026-07-02",
            end="2026-07-10",
            dates_confirmed="false",
            recurrence="annual",
            free="true",
            url="https://example.org/fest",
        ),
    )
    assert str(frame["start"].dt.tz) == TZ
    assert frame["start"].iloc[0] == local("2026-07-04 20:00")
    assert frame["dates_confirmed"].dtype == bool
    assert frame["dates_confirmed"].tolist() == [True, False]
    assert frame["free"].dtype == "boolean"
    assert frame["free"].isna().iloc[0]
    assert bool(frame["free"].iloc[1])
    assert frame["all_day"].tolist() == [False, True]
    assert frame["price"].tolist() == ["", ""]
    # all-day end is exclusive: midnight after the last day
    assert frame["end"].iloc[1] == local("2026-07-11 00:00")


def test_missing_end_means_no_length_or_one_day(tmp_path: Path) -> None:
    frame = load(tmp_path, event(end=""), event(id="day", start="2026-07-04", end=""))
    assert frame["end"].iloc[0] == frame["start"].iloc[0]
    assert frame["end"].iloc[1] == local("2026-07-05 00:00")


@pytest.mark.parametrize(
    ("fields", "record", "field", "message"),
    [
        ({"start": "2026-13-01"}, "ev", "start", "expected YYYY-MM-DD .* got '2026-13-01'"),
        ({"start": "4.7.2026 20:00"}, "ev", "start", "YYYY-MM-DDTHH:MM"),
        ({"end": "2026-07-04T25:00"}, "ev", "end", "expected YYYY-MM-DD"),
        ({"end": "2026-07-04T19:00"}, "ev", "end", "before start"),
        ({"start": "2026-07-04", "end": "2026-07-05T10:00"}, "ev", "end", "like start"),
        ({"dates_confirmed": "maybe"}, "ev", "dates_confirmed", "expected true or false"),
        ({"free": "gratis"}, "ev", "free", "expected true, false or empty"),
        ({"recurrence": "monthly"}, "ev", "recurrence", "'annual' or 'weekly'"),
        ({"title": ""}, "ev", "title", "required"),
        ({"category": ""}, "ev", "category", "required"),
        ({"venue_id": ""}, "ev", "venue_id", "required"),
        ({"start": ""}, "ev", "start", "required"),
        ({"id": ""}, "row 2", "id", "required"),
        ({"url": "www.example.org"}, "ev", "url", "http"),
        ({"url": "https://exa mple.org"}, "ev", "url", "http"),
        ({"url": 'https://example.org/"onmouseover'}, "ev", "url", "http"),
    ],
)
def test_read_events_problems(
    tmp_path: Path, fields: dict[str, str], record: str, field: str, message: str
) -> None:
    path = write(tmp_path, [event(id="ok"), event(**fields)])
    frame, problems = read_events(path, TZ)
    assert [(p.file, p.record, p.field) for p in problems] == [("events.csv", record, field)]
    assert re.search(message, problems[0].message), problems[0].message
    assert "ok" in frame["id"].tolist()


def test_untrusted_timing_is_dropped_other_values_fall_back(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            event(id="bad-start", start="soon"),
            event(id="bad-flag", dates_confirmed="maybe"),
            event(id="bad-free", free="perhaps"),
            event(id="bad-url", url="javascript:alert(1)"),
        ],
    )
    frame, problems = read_events(path, TZ)
    assert len(problems) == 4
    assert frame["id"].tolist() == ["bad-flag", "bad-free", "bad-url"]
    by_id = frame.set_index("id")
    assert not by_id.loc["bad-flag", "dates_confirmed"]  # never invent confirmed dates
    assert pd.isna(by_id.loc["bad-free", "free"])
    assert by_id.loc["bad-url", "url"] == ""


def test_duplicate_id_reported_on_the_second_record(tmp_path: Path) -> None:
    frame, problems = read_events(write(tmp_path, [event(), event(title="Copy")]), TZ)
    assert [(p.record, p.field) for p in problems] == [("ev", "id")]
    assert "row 1" in problems[0].message
    assert frame["title"].tolist() == ["Koncert"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b'id,title,category,venue_id,start\n"a,b,c\n', "malformed CSV"),
        (b"id,title,category,venue_id,start\na,b,c,d,2026-01-01,extra,more\n", "malformed CSV"),
        (b"id,title\na,b\n", "missing column"),
        (
            "id,title,category,venue_id,start\na,Đ,c,d,2026-01-01\n".encode("cp1250"),
            "malformed CSV",
        ),
    ],
)
def test_unreadable_file_gives_one_problem_naming_it(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    frame, problems = read_events(path, TZ)
    assert len(problems) == 1
    assert problems[0].file == "events.csv"
    assert expected in problems[0].message
    assert len(frame) == 0
    assert occurrences(frame, date(2026, 1, 1), date(2026, 12, 31), TZ).empty


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    frame, problems = read_events(tmp_path / "nope.csv", TZ)
    assert problems[0].file == "nope.csv"
    assert "not found" in problems[0].message
    assert frame.empty


def test_check_references(tmp_path: Path) -> None:
    frame = load(tmp_path, event(), event(id="x", venue_id="nowhere", category="opera"))
    problems = check_references(frame, {"kino"}, {"concert"}, "events.csv")
    assert [(p.record, p.field) for p in problems] == [("x", "venue_id"), ("x", "category")]
    assert "nowhere" in problems[0].message


# --------------------------------------------------------------------------- recurrence


def starts(occ: pd.DataFrame) -> list[str]:
    return [f"{ts:%Y-%m-%d %H:%M%z}" for ts in occ["occurrence_start"]]


def test_weekly_keeps_wall_clock_across_spring_dst(tmp_path: Path) -> None:
    frame = load(
        tmp_path, event(recurrence="weekly", start="2026-03-18T19:00", end="2026-03-18T21:00")
    )
    occ = occurrences(frame, date(2026, 3, 23), date(2026, 4, 5), TZ)
    assert starts(occ) == ["2026-03-25 19:00+0100", "2026-04-01 19:00+0200"]
    assert [f"{ts:%H:%M}" for ts in occ["occurrence_end"]] == ["21:00", "21:00"]


def test_weekly_keeps_wall_clock_across_autumn_dst(tmp_path: Path) -> None:
    frame = load(
        tmp_path, event(recurrence="weekly", start="2026-03-18T19:00", end="2026-03-18T21:00")
    )
    occ = occurrences(frame, date(2026, 10, 19), date(2026, 11, 1), TZ)
    assert starts(occ) == ["2026-10-21 19:00+0200", "2026-10-28 19:00+0100"]


def test_weekly_across_year_end(tmp_path: Path) -> None:
    frame = load(
        tmp_path, event(recurrence="weekly", start="2026-12-02T19:00", end="2026-12-02T21:00")
    )
    occ = occurrences(frame, date(2026, 12, 28), date(2027, 1, 10), TZ)
    assert starts(occ) == ["2026-12-30 19:00+0100", "2027-01-06 19:00+0100"]
    assert occ["event_id"].tolist() == ["ev", "ev"]
    assert occ["confirmed"].tolist() == [True, True]


def test_weekly_does_not_start_before_its_first_date(tmp_path: Path) -> None:
    frame = load(
        tmp_path, event(recurrence="weekly", start="2026-07-15T19:00", end="2026-07-15T21:00")
    )
    occ = occurrences(frame, date(2026, 7, 1), date(2026, 7, 22), TZ)
    assert starts(occ) == ["2026-07-15 19:00+0200", "2026-07-22 19:00+0200"]


def test_annual_window_across_year_end_is_on_in_january(tmp_path: Path) -> None:
    frame = load(
        tmp_path, event(id="bozic", recurrence="annual", start="2025-12-22", end="2026-01-08")
    )
    occ = occurrences(frame, date(2027, 1, 5), date(2027, 1, 31), TZ)
    assert starts(occ) == ["2026-12-22 00:00+0100"]
    assert occ["occurrence_end"].iloc[0] == local("2027-01-09 00:00")
    assert occurrences(frame, date(2027, 1, 9), date(2027, 1, 31), TZ).empty


def test_annual_keeps_19_00_when_dst_moves(tmp_path: Path) -> None:
    # 28 March is winter time in 2026 (DST starts 29 March) but summer time in 2027.
    frame = load(
        tmp_path, event(recurrence="annual", start="2026-03-28T19:00", end="2026-03-28T20:00")
    )
    occ = occurrences(frame, date(2026, 1, 1), date(2027, 12, 31), TZ)
    assert starts(occ) == ["2026-03-28 19:00+0100", "2027-03-28 19:00+0200"]


def test_annual_on_29_february_recurs_in_leap_years(tmp_path: Path) -> None:
    frame = load(tmp_path, event(recurrence="annual", start="2028-02-29", end="2028-02-29"))
    occ = occurrences(frame, date(2028, 1, 1), date(2033, 12, 31), TZ)
    assert [ts.year for ts in occ["occurrence_start"]] == [2028, 2032]


def test_nonexistent_local_time_shifts_forward(tmp_path: Path) -> None:
    frame = load(
        tmp_path, event(recurrence="weekly", start="2026-03-22T02:30", end="2026-03-22T04:00")
    )
    occ = occurrences(frame, date(2026, 3, 29), date(2026, 3, 29), TZ)
    assert starts(occ) == ["2026-03-29 03:00+0200"]
    assert f"{occ['occurrence_end'].iloc[0]:%H:%M}" == "04:00"


def test_expansion_equals_plain_rrule_per_event() -> None:
    """The cached, vectorised expansion gives what one rrule per event gives."""
    rng = np.random.default_rng(4)
    n = 400
    first = pd.Timestamp("2025-06-01") + pd.to_timedelta(rng.integers(0, 500, n), unit="D")
    naive = first + pd.to_timedelta(rng.integers(0, 96, n) * 15, unit="min")
    length = pd.to_timedelta(rng.integers(0, 60, n) * 60, unit="min")
    kinds = rng.choice(["", "weekly", "annual"], n)
    frame = pd.DataFrame(
        {
            "id": [f"e{k}" for k in range(n)],
            "title": "t",
            "category": "concert",
            "venue_id": "kino",
            "recurrence": kinds,
            "dates_confirmed": True,
            "all_day": False,
            "start": pd.DatetimeIndex(naive).tz_localize(
                TZ, ambiguous=True, nonexistent="shift_forward"
            ),
            "end": pd.DatetimeIndex(naive + length).tz_localize(
                TZ, ambiguous=True, nonexistent="shift_forward"
            ),
        }
    )
    lo, hi = date(2026, 3, 20), date(2026, 4, 20)
    range_lo, range_hi = local(str(lo)), local(str(hi + timedelta(days=1)))
    expected = set()
    for row in frame.itertuples():
        s0 = row.start.tz_localize(None).to_pydatetime()
        duration = row.end.tz_localize(None).to_pydatetime() - s0
        if row.recurrence:
            freq = WEEKLY if row.recurrence == "weekly" else YEARLY
            candidates = rrule(freq, dtstart=s0).between(
                datetime(2025, 1, 1), datetime(2027, 1, 1), inc=True
            )
        else:
            candidates = [s0]
        for s in candidates:
            start = pd.Timestamp(s).tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
            end = pd.Timestamp(s + duration).tz_localize(
                TZ, ambiguous=True, nonexistent="shift_forward"
            )
            if start < range_hi and (end > range_lo or (end == start and start >= range_lo)):
                expected.add((row.id, start))
    occ = occurrences(frame, lo, hi, TZ)
    assert set(zip(occ["event_id"], occ["occurrence_start"], strict=True)) == expected
    assert len(occ) == len(expected) > 50


# --------------------------------------------------------------------------- range edges


@pytest.mark.parametrize(
    ("start", "end", "included"),
    [
        ("2026-07-03T18:00", "2026-07-05T12:00", True),  # started yesterday, ends tomorrow
        ("2026-07-03", "2026-07-05", True),  # all-day, same
        ("2026-07-03T20:00", "2026-07-04T00:00", False),  # ends exactly at range start
        ("2026-07-03", "2026-07-03", False),  # all-day yesterday ends at 00:00
        ("2026-07-04T00:00", "2026-07-04T00:00", True),  # zero length at range start
        ("2026-07-04T23:59", "2026-07-05T01:00", True),  # starts on the last minute
        ("2026-07-05T00:00", "2026-07-05T01:00", False),  # starts when the range ends
    ],
)
def test_range_edges(tmp_path: Path, start: str, end: str, included: bool) -> None:
    frame = load(tmp_path, event(start=start, end=end))
    occ = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ)
    assert (len(occ) == 1) is included


def test_empty_and_inverted_ranges(tmp_path: Path) -> None:
    frame = load(tmp_path, event())
    occ = occurrences(frame, date(2026, 7, 5), date(2026, 7, 4), TZ)
    assert occ.empty
    assert set(OCCURRENCE_COLUMNS) <= set(occ.columns)
    assert group_by_day(occ, TZ) == []
    assert unconfirmed_by_month(occ) == []
    assert events_table(occ, "en", LANGS).strip() == "No events in this range."


def test_sorted_by_start_then_title(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="b", title="Beta"),
        event(id="a", title="Alfa"),
        event(id="c", title="Aaa", start="2026-07-04T21:00", end=""),
    )
    occ = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ)
    assert occ["event_id"].tolist() == ["a", "b", "c"]


# --------------------------------------------------------------------------- grouping


def test_group_by_local_day_not_utc_day(tmp_path: Path) -> None:
    frame = load(tmp_path, event(start="2026-07-04T00:30", end="2026-07-04T02:00"))
    assert frame["start"].iloc[0].tz_convert("UTC").day == 3
    occ = occurrences(frame, date(2026, 7, 1), date(2026, 7, 10), TZ)
    groups = group_by_day(occ, TZ)
    assert [day for day, _ in groups] == [date(2026, 7, 4)]


def test_multi_day_event_listed_on_each_day_within_range(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="show", start="2026-06-28", end="2026-07-06"),
        event(id="gig", start="2026-07-03T21:00", end="2026-07-04T01:00"),
    )
    occ = occurrences(frame, date(2026, 7, 2), date(2026, 7, 4), TZ)
    groups = group_by_day(occ, TZ)
    assert [(day.day, g["event_id"].tolist()) for day, g in groups] == [
        (2, ["show"]),
        (3, ["show", "gig"]),
        (4, ["show", "gig"]),
    ]


def test_unconfirmed_annual_moved_to_the_year_and_kept_apart(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(
            id="fest",
            recurrence="annual",
            start="2026-07-02",
            end="2026-07-10",
            dates_confirmed="false",
        ),
        event(),
    )
    # the real days are unknown, so the month counts: a late-July range still shows it
    occ = occurrences(frame, date(2027, 7, 20), date(2027, 7, 31), TZ)
    assert occ["event_id"].tolist() == ["fest"]
    assert occ["confirmed"].tolist() == [False]
    assert occ["occurrence_start"].iloc[0] == local("2027-07-02 00:00")
    assert group_by_day(occ, TZ) == []
    months = unconfirmed_by_month(occ)
    assert [(ym, g["event_id"].tolist()) for ym, g in months] == [((2027, 7), ["fest"])]
    row = occ.iloc[0]
    assert occurrence_label(row, "en") == "July 2027 · dates to be confirmed"
    assert occurrence_label(row, "me") == "jul 2027. · datumi će biti potvrđeni"
    assert occurrences(frame, date(2027, 8, 1), date(2027, 8, 31), TZ).empty


def test_unconfirmed_weekly_listed_once_per_month(tmp_path: Path) -> None:
    frame = load(tmp_path, event(recurrence="weekly", dates_confirmed="false"))
    occ = occurrences(frame, date(2026, 7, 10), date(2026, 8, 10), TZ)
    months = unconfirmed_by_month(occ)
    assert [(ym, len(g)) for ym, g in months] == [((2026, 7), 1), ((2026, 8), 1)]


# --------------------------------------------------------------------------- filtering


def test_text_search_ignores_case_and_diacritics(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="a", title="Izložba Đurković", title_en="Exhibition"),
        event(id="b", title="Koncert", description_en="Music by Šćepanović"),
        event(id="c", title="Predstava", organiser="KC Nikola Đurković"),
        event(id="d", title="Film"),
    )
    occ = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ)

    def ids(text: str) -> list[str]:
        found = filter_occurrences(occ, categories=None, venue_ids=None, text=text, lang="en")
        return sorted(found["event_id"])

    assert ids("durkovic") == ["a", "c"]
    assert ids("ĐURKOVIĆ") == ["a", "c"]
    assert ids("djurkovic izlozba") == ["a"]
    assert ids("exhibition") == ["a"]
    assert ids("scepanovic") == ["b"]
    assert ids("") == ["a", "b", "c", "d"]
    assert ids("nothing-like-it") == []


def test_category_and_venue_filters(tmp_path: Path) -> None:
    frame = load(tmp_path, event(id="a"), event(id="b", category="film", venue_id="teatar"))
    occ = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ)

    def ids(**kw: object) -> list[str]:
        base = {"categories": None, "venue_ids": None}
        return sorted(filter_occurrences(occ, lang="me", **{**base, **kw})["event_id"])

    assert ids(categories=["film"]) == ["b"]
    assert ids(categories=[]) == []
    assert ids(venue_ids={"kino"}) == ["a"]
    assert ids(categories=["film"], venue_ids={"kino"}) == []


# --------------------------------------------------------------------------- other queries


def test_events_per_month(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="weekly", recurrence="weekly", start="2026-01-07T19:00", end=""),
        event(id="expo", start="2026-02-20", end="2026-03-05"),
        event(
            id="fest",
            recurrence="annual",
            start="2025-07-02",
            end="2025-07-10",
            dates_confirmed="false",
        ),
    )
    counts = events_per_month(frame, date(2026, 1, 1), 12, TZ)
    assert counts.columns.tolist() == ["year", "month", "confirmed", "unconfirmed"]
    assert counts["month"].tolist() == list(range(1, 13))
    assert counts["confirmed"].tolist() == [1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    assert counts["unconfirmed"].tolist() == [0] * 6 + [1] + [0] * 5


def test_events_per_month_wraps_the_year(tmp_path: Path) -> None:
    frame = load(tmp_path, event(start="2027-02-01", end="2027-02-01"))
    counts = events_per_month(frame, date(2026, 11, 1), 4, TZ)
    assert list(zip(counts["year"], counts["month"], counts["confirmed"], strict=True)) == [
        (2026, 11, 0),
        (2026, 12, 0),
        (2027, 1, 0),
        (2027, 2, 1),
    ]


def test_upcoming_for_a_venue(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="past", start="2026-07-01T20:00", end="2026-07-01T22:00"),
        event(id="now", start="2026-07-04T19:00", end="2026-07-04T23:00"),
        event(id="quiz", recurrence="weekly", start="2026-07-01T18:00", end=""),
        event(id="elsewhere", venue_id="teatar", start="2026-07-05T20:00", end=""),
    )
    found = upcoming(frame, {"kino"}, datetime(2026, 7, 4, 21, 0), TZ)
    assert found["event_id"].tolist() == ["now", "quiz", "quiz"]
    assert starts(found)[1:] == ["2026-07-08 18:00+0200", "2026-07-15 18:00+0200"]
    assert upcoming(frame, {"nowhere"}, datetime(2026, 7, 4, 21, 0), TZ).empty


def test_upcoming_per_venue_and_aware_now(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="a1", start="2026-07-05T20:00", end=""),
        event(id="a2", start="2026-07-06T20:00", end=""),
        event(id="b1", venue_id="teatar", start="2026-07-05T21:00", end=""),
    )
    # 19:30 UTC is 21:30 in Kotor (summer time): a1 at 20:00 on the 5th has not started
    now = datetime(2026, 7, 4, 19, 30, tzinfo=ZoneInfo("UTC"))
    found = upcoming(frame, {"kino", "teatar"}, now, TZ, n=1)
    assert found["event_id"].tolist() == ["a1", "b1"]


def test_localized_fallback_order() -> None:
    record = {"title": "Koncert", "title_en": "Concert", "description_en": "Only English"}
    assert localized(record, "title", "en", LANGS) == "Concert"
    assert localized(record, "title", "me", LANGS) == "Koncert"
    assert localized(record, "description", "me", LANGS) == "Only English"
    assert localized(record, "organiser", "me", LANGS) == ""
    assert localized({"title": "", "title_en": "Concert"}, "title", "me", LANGS) == "Concert"
    assert localized(pd.Series({"title": float("nan")}), "title", "me", LANGS) == ""


@pytest.mark.parametrize(
    ("start", "end", "en", "me"),
    [
        (
            "2026-07-04T20:00",
            "2026-07-04T22:00",
            "Sat 4 Jul, 20:00–22:00",
            "sub 4. jul, 20:00–22:00",
        ),
        (
            "2026-07-04T22:00",
            "2026-07-05T02:00",
            "Sat 4 Jul, 22:00–02:00",
            "sub 4. jul, 22:00–02:00",
        ),
        ("2026-07-04T20:00", "", "Sat 4 Jul, 20:00", "sub 4. jul, 20:00"),
        ("2026-07-04", "2026-07-04", "Sat 4 Jul", "sub 4. jul"),
        ("2026-07-04", "2026-07-10", "Sat 4 Jul – Fri 10 Jul", "sub 4. jul – pet 10. jul"),
        (
            "2026-07-04T10:00",
            "2026-07-06T18:00",
            "Sat 4 Jul, 10:00 – Mon 6 Jul, 18:00",
            "sub 4. jul, 10:00 – pon 6. jul, 18:00",
        ),
    ],
)
def test_occurrence_label(tmp_path: Path, start: str, end: str, en: str, me: str) -> None:
    frame = load(tmp_path, event(start=start, end=end))
    row = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ).iloc[0]
    assert occurrence_label(row, "en") == en
    assert occurrence_label(row, "me") == me


def test_table_and_csv(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(price="€5", url="https://example.org/a"),
        event(
            id="fest",
            title="Festival",
            title_en="",
            start="2026-07-02",
            end="2026-07-10",
            dates_confirmed="false",
            free="true",
        ),
    )
    occ = occurrences(frame, date(2026, 7, 1), date(2026, 7, 31), TZ)
    table = events_table(occ, "me", LANGS)
    assert table.splitlines()[0].split() == [
        "Datum",
        "Kada",
        "Događaj",
        "Mjesto",
        "Kategorija",
        "Cijena",
    ]
    assert "jul 2026. · datumi će biti potvrđeni" in table
    assert "Ulaz slobodan" in table
    rows = list(csv.DictReader(to_csv_bytes(occ, "en", LANGS).decode("utf-8").splitlines()))
    assert [r["event_id"] for r in rows] == ["fest", "ev"]
    assert (rows[0]["start"], rows[0]["end"], rows[0]["confirmed"]) == ("2026-07", "", "false")
    assert rows[0]["title"] == "Festival"  # falls back to the original title
    assert (rows[1]["start"], rows[1]["title"], rows[1]["price"]) == (
        "2026-07-04T20:00",
        "Concert",
        "€5",
    )
    # a cell under a "Price" header is the bare wording, the same in the table and the CSV
    assert (rows[0]["price"], rows[0]["free"], rows[1]["free"]) == ("Free entry", "true", "")
    assert "Cijena:" not in table
    assert table.splitlines()[3].rstrip().endswith("€5")  # header, rule, fest, ev


def test_shifted_row_is_left_out_and_row_numbers_stay_true(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    good = ",".join(event(id="a").values())
    nameless = ",".join(event(id="").values())
    path.write_text(
        ",".join(COLUMNS) + "\n" + good + "\n" + good + ",oops\n" + nameless + "\n",
        encoding="utf-8",
    )
    frame, problems = read_events(path, TZ)
    assert [(p.record, p.field) for p in problems] == [("row 2", ""), ("row 3", "id")]
    assert "17 fields on line 3, expected 16" in problems[0].message
    assert frame["id"].tolist() == ["a"]


def test_header_only_file_is_fine_and_typed(tmp_path: Path) -> None:
    frame, problems = read_events(write(tmp_path, []), TZ)
    assert problems == []
    assert frame.empty
    assert str(frame["start"].dt.tz) == TZ
    assert frame["free"].dtype == "boolean"
    assert occurrences(frame, date(2026, 1, 1), date(2026, 1, 31), TZ).empty
    assert events_per_month(frame, date(2026, 1, 1), 3, TZ)["confirmed"].tolist() == [0, 0, 0]


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("row", "lang", "labelled", "expected"),
    [
        ({"free": True, "price": "€5"}, "en", True, "Free entry"),  # free wins
        ({"free": True, "price": ""}, "me", True, "Ulaz slobodan"),
        ({"free": pd.NA, "price": "€5"}, "en", True, "Price: €5"),
        ({"free": False, "price": " 10 € "}, "me", True, "Cijena: 10 €"),
        ({"free": pd.NA, "price": "€5"}, "en", False, "€5"),
        ({"free": True, "price": ""}, "en", False, "Free entry"),
        ({"free": False, "price": ""}, "en", True, ""),
        ({"free": None, "price": float("nan")}, "en", True, ""),
        ({}, "en", True, ""),
    ],
)
def test_price_text(row: dict[str, object], lang: str, labelled: bool, expected: str) -> None:
    assert price_text(row, lang, labelled=labelled) == expected


def test_price_text_reads_rows_of_the_frame(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="a", free="true", price="€5"),
        event(id="b", price="€5"),
        event(id="c", free="false"),
    )
    occ = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ)
    assert [price_text(row, "en") for _, row in occ.iterrows()] == ["Free entry", "Price: €5", ""]


@pytest.mark.parametrize(
    ("day", "lang", "year", "expected"),
    [
        (date(2026, 12, 5), "en", True, "Sat 5 Dec 2026"),
        (date(2026, 12, 5), "en", False, "Sat 5 Dec"),
        (date(2026, 12, 5), "me", True, "sub 5. dec 2026."),
        (date(2027, 1, 4), "me", False, "pon 4. jan"),
    ],
)
def test_day_label(day: date, lang: str, year: bool, expected: str) -> None:
    assert day_label(day, lang, year=year) == expected


def test_day_label_is_the_default_with_a_year() -> None:
    assert day_label(date(2026, 7, 4), "en") == "Sat 4 Jul 2026"


@pytest.mark.parametrize(
    ("moment", "lang", "expected"),
    [
        (date(2026, 12, 16), "en", "Wed 16 Dec 2026"),
        (datetime(2026, 12, 16, 19, 30), "en", "Wed 16 Dec 2026, 19:30"),
        (datetime(2026, 12, 16, 19, 30), "me", "sri 16. dec 2026., 19:30"),
        (datetime(2026, 12, 16, 19, 30), "de", "Mi, 16. Dez. 2026, 19:30"),
        (date(2026, 12, 16), "sr", "сри 16. дец 2026."),
    ],
)
def test_moment_label_words_a_date_or_a_date_and_time(
    moment: date, lang: str, expected: str
) -> None:
    """One wording for one moment: a day as day_label says it, a time after a comma."""
    assert moment_label(moment, lang) == expected


def test_month_label() -> None:
    assert month_label(2027, 7, "en") == "July 2027"
    assert month_label(2027, 7, "me") == "jul 2027."  # CLDR sr_Latn_ME: the year as an ordinal


def test_a_new_language_is_new_columns_not_code(tmp_path: Path) -> None:
    row = {**event(), "title_it": "Concerto", "description_it": "Uno spettacolo di musica"}
    frame = load(tmp_path, row)
    assert frame["title_it"].tolist() == ["Concerto"]
    occ = occurrences(frame, date(2026, 7, 4), date(2026, 7, 4), TZ)
    found = filter_occurrences(occ, categories=None, venue_ids=None, text="spettacolo", lang="en")
    assert found["event_id"].tolist() == ["ev"]
    assert localized(occ.iloc[0].to_dict(), "title", "it", ("me", "en", "it")) == "Concerto"


def test_unconfirmed_window_across_year_end_listed_under_each_month(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(
            id="bozic",
            recurrence="annual",
            start="2025-12-22",
            end="2026-01-08",
            dates_confirmed="false",
        ),
    )
    occ = occurrences(frame, date(2026, 12, 1), date(2027, 1, 31), TZ)
    months = unconfirmed_by_month(occ)
    assert [(ym, g["event_id"].tolist()) for ym, g in months] == [
        ((2026, 12), ["bozic"]),
        ((2027, 1), ["bozic"]),
    ]
    # a narrower range keeps only its own months
    only_january = unconfirmed_by_month(occ, start=date(2027, 1, 1), end=date(2027, 1, 31))
    assert [ym for ym, _ in only_january] == [(2027, 1)]


def test_group_by_day_limits_to_the_given_days(tmp_path: Path) -> None:
    frame = load(tmp_path, event(id="show", start="2026-06-28", end="2026-07-06"))
    occ = occurrences(frame, date(2026, 7, 1), date(2026, 7, 31), TZ)
    groups = group_by_day(occ, TZ, start=date(2026, 7, 5), end=date(2026, 7, 9))
    assert [day for day, _ in groups] == [date(2026, 7, 5), date(2026, 7, 6)]


def test_explode_ranges_is_one_row_per_value() -> None:
    from mapping.events._arrays import explode_ranges

    owner, value = explode_ranges(np.array([5, 10, 0, 7]), np.array([2, 0, 3, -1]))
    assert owner.tolist() == [0, 0, 2, 2, 2]  # an empty or negative range gives no rows
    assert value.tolist() == [5, 6, 0, 1, 2]


def test_days_running_counts_local_days_of_the_whole_span(tmp_path: Path) -> None:
    frame = load(
        tmp_path,
        event(id="show", start="2026-06-28", end="2026-07-06"),  # 9 days, all-day
        event(id="gig", start="2026-07-03T21:00", end="2026-07-04T01:00"),  # 2 days
        event(id="talk", start="2026-07-03T18:00", end=""),  # zero length
        event(id="fair", start="2026-07-03", end="2026-07-05"),
    )  # 3 days
    occ = occurrences(frame, date(2026, 7, 3), date(2026, 7, 3), TZ)  # one day of each
    running = dict(zip(occ["event_id"], days_running(occ, TZ).tolist(), strict=True))
    assert running == {"show": 9, "gig": 2, "talk": 1, "fair": 3}
    assert days_running(occ.iloc[0:0], TZ).tolist() == []
