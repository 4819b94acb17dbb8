"""``python -m mapping import-events``: an organiser's ``.ics`` and the municipal
calendar CSV merged into ``events.csv`` by UID, locations matched to venues."""

from __future__ import annotations

import csv
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from mapping import clock
from mapping import events as ev
from mapping.cli import main
from mapping.imports import import_events
from mapping.imports.event_source import Window, event_id
from mapping.imports.match import FUZZY_THRESHOLD, VenueMatcher, name_key
from mapping.io import load_dataset
from mapping.schema import is_id
from mapping.validate import validate_folder
from tests.conftest import MINI, SECOND_TOWN, YEAR, writable_copy

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
ICS = FIXTURES / "organiser.ics"
CALENDAR = FIXTURES / "kulturni-kalendar.csv"

pytestmark = pytest.mark.now("2026-11-01T10:00")
"""The fixtures' feeds (November–December 2026) lie in the import window seen from here."""


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """The small folder with all 14 event categories, writable."""
    return writable_copy(MINI, tmp_path / "town", "event_categories.csv")


def event_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "events.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def by_uid(folder: Path, uid: str) -> list[dict[str, str]]:
    return [r for r in event_rows(folder) if r.get("uid") == uid]


def statuses(report) -> dict[str, tuple[str, str]]:
    return {r.source: (r.status, r.detail) for r in report.rows}


def occurrences(folder: Path, first: date, last: date):
    data = load_dataset(folder, year=YEAR)
    return ev.occurrences(data.events, first, last, data.city.timezone)


def test_ics_weekly_rule_with_exdate_expands_to_its_occurrences(town):
    import_events(ICS, town)
    rows = by_uid(town, "weekly-workshop@example.org")
    assert [r["start"] for r in rows] == [
        "2026-11-03T18:00",
        "2026-11-17T18:00",
        "2026-11-24T18:00",
    ]  # COUNT=4 less the EXDATE
    assert {r["end"][11:] for r in rows} == {"20:00"}
    assert {r["category"] for r in rows} == {"workshop"}
    assert {r["venue_id"] for r in rows} == {"atelier-seasonal"}
    assert rows[0]["organiser"] == "Atelje Sezona"
    assert rows[0]["url"] == "https://example.org/radionica"
    assert rows[0]["description_me"] == "Četiri utorka, jedan otkazan."
    assert rows[0]["recurrence"] == ""
    assert validate_folder(town) == []


def test_ics_plain_weekly_rule_stays_a_recurrence(town):
    import_events(ICS, town)
    (row,) = by_uid(town, "open-studio@example.org")
    assert row["recurrence"] == "weekly"
    found = occurrences(town, date(2026, 11, 1), date(2026, 11, 30))
    studio = found[found["id"] == row["id"]]
    assert [t.strftime("%d %H:%M") for t in studio["occurrence_start"]] == [
        "05 17:00",
        "12 17:00",
        "19 17:00",
        "26 17:00",
    ]


def test_ics_all_day_and_other_time_zones(town):
    import_events(ICS, town, window=Window(date(2026, 7, 1), date(2027, 12, 31)))
    (night,) = by_uid(town, "museum-night@example.org")
    assert (night["start"], night["end"]) == ("2026-11-21", "2026-11-22")  # DTEND exclusive
    assert night["venue_id"] == "museum-sea"  # "Pomorski muzej, Kotor"
    (talk,) = by_uid(town, "london-talk@example.org")
    assert (talk["start"], talk["end"]) == ("2026-11-12T19:00", "2026-11-12T20:30")
    assert talk["category"] == "lecture"
    (concert,) = by_uid(town, "utc-concert@example.org")
    assert concert["start"] == "2026-07-15T20:00"  # 18:00 UTC in Podgorica's summer time


def test_ics_unmatched_location_is_reported_not_guessed(town):
    found = statuses(import_events(ICS, town))
    status, detail = found["UID nowhere@example.org"]
    assert status == "skipped" and "Gradski trg u Tivtu" in detail
    assert by_uid(town, "nowhere@example.org") == []


def test_ics_reimport_by_uid_changes_nothing(town, tmp_path):
    import_events(ICS, town)
    before = (town / "events.csv").read_bytes()
    again = import_events(ICS, town)
    assert again.counts()["new"] == 0 and again.counts()["updated"] == 0
    assert (town / "events.csv").read_bytes() == before
    changed = tmp_path / "changed.ics"
    changed.write_text(
        ICS.read_text(encoding="utf-8").replace(
            "SUMMARY:Muzejska noć", "SUMMARY:Muzejska noć 2026"
        ),
        encoding="utf-8",
    )
    report = import_events(changed, town)
    assert statuses(report)["UID museum-night@example.org"][0] == "updated"
    (night,) = by_uid(town, "museum-night@example.org")
    assert night["title"] == "Muzejska noć 2026"
    assert len(event_rows(town)) == len(before.decode().strip().splitlines()) - 1


def test_ics_venue_flag_and_dry_run(town, capsys):
    before = (town / "events.csv").read_bytes()
    assert (
        main(["import-events", str(ICS), "--into", str(town), "--venue", "museum-sea", "--dry-run"])
        == 0
    )
    out = capsys.readouterr().out
    assert "dry run: nothing written" in out
    assert (town / "events.csv").read_bytes() == before
    assert main(["import-events", str(ICS), "--into", str(town), "--venue", "nope"]) == 1


@pytest.mark.now("2026-03-01T10:00")
def test_ics_into_the_second_town_converts_to_its_time_zone(tmp_path):
    folder = writable_copy(SECOND_TOWN, tmp_path / "second")
    source = tmp_path / "feed.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:ny@example.org\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Концерт\r\n"
        "DTSTART;TZID=America/New_York:20260310T120000\r\n"
        "DTEND;TZID=America/New_York:20260310T130000\r\nLOCATION:Биоскоп Јадран\r\n"
        "CATEGORIES:Концерти\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    import_events(source, folder)
    (row,) = by_uid(folder, "ny@example.org")
    # 10 March: New York already on summer time (UTC-4), Belgrade not yet (UTC+1)
    assert (row["start"], row["venue_id"]) == ("2026-03-10T17:00", "kino-jadran")
    assert validate_folder(folder) == []


# --------------------------------------------------------------------------- bridge


def test_calendar_csv_matches_misspelled_and_plain_names(town):
    report = import_events(CALENDAR, town)
    found = statuses(report)
    rows = {r["title"]: r for r in event_rows(town)}
    assert rows["Koncert klasične muzike"]["venue_id"] == "gal-durkovic"
    assert rows["Koncert klasične muzike"]["start"] == "2026-12-12T20:00"
    assert rows["Izložba grafika"]["venue_id"] == "gal-durkovic"  # no diacritics
    assert (rows["Izložba grafika"]["start"], rows["Izložba grafika"]["end"]) == (
        "2026-12-01",
        "2026-12-24",
    )
    assert rows["Veče poezije"]["venue_id"] == "museum-sea"  # "Pomorski muzj"
    assert rows["Veče poezije"]["category"] == "literary"
    assert rows["Veče poezije"]["start"] == "2026-12-15T19:30"
    assert rows["Radionica za djecu"]["category"] == "workshop"  # singular name
    assert rows["Radionica za djecu"]["start"] == "2026-12-20T11:00"
    assert "fuzzy" in found["row 3"][1]
    assert validate_folder(town) == []


def test_calendar_csv_reports_names_below_the_threshold(town):
    found = statuses(import_events(CALENDAR, town))
    for row in ("row 5", "row 6", "row 7"):
        status, detail = found[row]
        assert status == "skipped" and "no venue matches" in detail, row
    titles = {r["title"] for r in event_rows(town)}
    assert not titles & {"Predstava na trgu", "Filmsko veče", "Sajam knjiga"}


def test_calendar_csv_manual_table_wins(town, tmp_path):
    (town / "location_matches.csv").write_text(
        "location,venue_id\nStara kuća u Perastu,atelier-perast\n", encoding="utf-8"
    )
    import_events(CALENDAR, town)
    rows = {r["title"]: r for r in event_rows(town)}
    assert rows["Sajam knjiga"]["venue_id"] == "atelier-perast"
    assert rows["Sajam knjiga"]["category"] == "fair"


def test_calendar_csv_reimport_changes_nothing(town):
    import_events(CALENDAR, town)
    before = (town / "events.csv").read_bytes()
    again = import_events(CALENDAR, town)
    assert again.counts()["new"] == 0 and again.counts()["updated"] == 0
    assert (town / "events.csv").read_bytes() == before


def test_manual_table_with_unknown_venue_names_the_row(town, capsys):
    (town / "location_matches.csv").write_text("location,venue_id\nX,nope\n", encoding="utf-8")
    assert main(["import-events", str(CALENDAR), "--into", str(town)]) == 1
    assert "location_matches.csv:row 1:venue_id" in capsys.readouterr().err


def test_matcher_threshold_and_ambiguity():
    matcher = VenueMatcher([("a", "Galerija Đurković"), ("b", "Galerija Đurovic")])
    assert matcher.match("galerija djurkovic").venue_id == "a"
    assert matcher.match("Galerija").venue_id is None  # not a partial match
    assert matcher.match("Galerija Djurkovik").how in ("fuzzy", "ambiguous")
    assert name_key("GALERIJA „ĐURKOVIĆ“") == "galerija durkovic"
    assert FUZZY_THRESHOLD == 85


@pytest.mark.parametrize("source", [ICS, CALENDAR], ids=["ics", "calendar-csv"])
def test_every_imported_id_is_the_one_event_id(town, source):
    """Both readers name rows with event_source.event_id: the title's slug, the day of an
    occurrence or calendar row, the UID's digest; and the ids stay ids after a LF rewrite."""
    import_events(source, town)
    rows = [r for r in event_rows(town) if r.get("uid")]
    assert rows
    for row in rows:
        day = date.fromisoformat(row["start"][:10])
        made = {event_id(row["title"], row["uid"]), event_id(row["title"], row["uid"], day)}
        assert row["id"] in made, row
        assert is_id(row["id"]), row["id"]
    assert b"\r\n" not in (town / "events.csv").read_bytes()  # the fixture's LF is kept


def test_an_import_keeps_the_files_crlf_and_byte_order_mark(town):
    path = town / "events.csv"
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    import_events(CALENDAR, town)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\r\n") == after.count(b"\n")  # every line ends in CRLF
    assert len(event_rows(town)) > len(original.decode().strip().splitlines()) - 1


# ------------------------------------------------------------- issue 24: feeds in sync


def feed(tmp_path: Path, name: str, *events: str, calname: str = "") -> Path:
    """An .ics file of ``events`` (VEVENT bodies without BEGIN/END), made here."""
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    if calname:
        head += f"X-WR-CALNAME:{calname}\r\n"
    body = "".join(
        "BEGIN:VEVENT\r\nDTSTAMP:20261101T000000Z\r\nLOCATION:Atelje Sezona\r\n"
        f"CATEGORIES:Radionice\r\n{e.strip()}\r\nEND:VEVENT\r\n".replace("\n\r\n", "\r\n")
        for e in events
    )
    path = tmp_path / name
    path.write_text(head + body + "END:VCALENDAR\r\n", encoding="utf-8")
    return path


def rule(uid: str, rrule: str, start: str = "20200101T000000Z", end: str = "") -> str:
    end = end or start
    return f"UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nRRULE:{rrule}"


@pytest.mark.parametrize("freq", ["HOURLY", "MINUTELY", "SECONDLY"])
def test_an_endless_fast_rule_costs_the_window_not_the_rule(town, tmp_path, freq):
    """Item 1: drawn lazily from the window's start (the rule began in 2020), bounded
    by the cap; no MemoryError, no walk through six years of periods."""
    source = feed(tmp_path, "fast.ics", rule("fast@x", f"FREQ={freq}"))
    tracemalloc.start()
    try:
        report = import_events(source, town, dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000
    assert statuses(report)["UID fast@x"][0] == "new"
    assert any("stopped at the cap of 500" in n for n in report.notes)


def test_the_window_reaches_the_horizon_and_counts_what_it_left_out(town, tmp_path):
    """Item 2: a weekly rule since 2020 gives the window's dates, not the oldest 500."""
    source = feed(tmp_path, "weekly.ics", rule("w@x", "FREQ=WEEKLY;BYDAY=MO,TH"))
    window = Window(date(2026, 10, 2), date(2028, 11, 1))
    report = import_events(source, town, window=window)
    starts = [r["start"] for r in by_uid(town, "w@x")]
    assert starts[0][:10] >= "2026-10-02" and starts[-1][:10] > "2028-10-20"
    days = (window.first + timedelta(days=n) for n in range((window.last - window.first).days + 1))
    assert len(starts) == sum(1 for d in days if d.weekday() in (0, 3))  # Mondays, Thursdays
    assert any("occurrences before it" in n and "+ after it" in n for n in report.notes)
    with pytest.raises(SystemExit) as stop:
        main(["import-events", str(source), "--into", str(town), "--days-back", "x"])
    assert stop.value.code == 2


def test_the_window_counts_occurrences_of_a_daily_rule_before_it(town, tmp_path):
    source = feed(tmp_path, "daily.ics", rule("d@x", "FREQ=DAILY;UNTIL=20261105T000000Z"))
    report = import_events(source, town, window=Window(date(2026, 11, 1), date(2026, 12, 1)))
    assert len(by_uid(town, "d@x")) == 5  # 1–5 November
    assert (
        f"{(date(2026, 11, 1) - date(2020, 1, 1)).days} occurrences before it" in (report.notes[1])
    )


def test_cancelled_events_and_cancelled_occurrences_are_removed(town, tmp_path):
    """Item 3: STATUS:CANCELLED on the event, or on one RECURRENCE-ID override."""
    series = rule("s@x", "FREQ=WEEKLY;COUNT=3", "20261103T180000Z", "20261103T190000Z")
    single = "UID:one@x\r\nSUMMARY:One\r\nDTSTART:20261120T180000Z"
    import_events(feed(tmp_path, "a.ics", series, single), town)
    assert len(by_uid(town, "s@x")) == 3 and len(by_uid(town, "one@x")) == 1
    override = (
        "UID:s@x\r\nSUMMARY:s@x\r\nRECURRENCE-ID:20261110T180000Z\r\n"
        "DTSTART:20261110T180000Z\r\nSTATUS:CANCELLED"
    )
    report = import_events(
        feed(tmp_path, "a.ics", series, override, single + "\r\nSTATUS:CANCELLED"), town
    )
    assert [r["start"][:10] for r in by_uid(town, "s@x")] == ["2026-11-03", "2026-11-17"]
    assert by_uid(town, "one@x") == []
    assert statuses(report)["UID one@x"] == ("removed", "STATUS:CANCELLED")
    assert "1 cancelled" in statuses(report)["UID s@x"][1]


@pytest.mark.parametrize("source", [ICS, CALENDAR], ids=["ics", "calendar-csv"])
def test_the_same_feed_under_another_name_changes_nothing(town, tmp_path, source):
    """Item 4: identity is UID (or the CSV key), source names the feed, not file or row."""
    import_events(source, town)
    before = (town / "events.csv").read_bytes()
    renamed = tmp_path / f"renamed-copy{source.suffix}"
    renamed.write_bytes(source.read_bytes())
    report = import_events(renamed, town)
    counts = report.counts()
    assert (counts["new"], counts["updated"], counts["removed"]) == (0, 0, 0)
    assert (town / "events.csv").read_bytes() == before
    sources = {r["source"] for r in event_rows(town) if r.get("uid")}
    assert sources == {
        f"{'iCalendar feed' if source == ICS else 'municipal calendar'} {source.stem}"
    }


def test_the_feed_name_comes_from_x_wr_calname_or_feed(town, tmp_path):
    one = "UID:one@x\r\nSUMMARY:One\r\nDTSTART:20261120T180000Z"
    import_events(feed(tmp_path, "a.ics", one, calname="Atelje"), town)
    assert by_uid(town, "one@x")[0]["source"] == "iCalendar feed Atelje"
    import_events(feed(tmp_path, "b.ics", one), town, feed="Other")
    report = import_events(feed(tmp_path, "b.ics", one), town, feed="Other")
    assert statuses(report)["UID one@x"][0] == "skipped"  # another feed's UID: not touched
    assert by_uid(town, "one@x")[0]["source"] == "iCalendar feed Atelje"


def write_calendar(path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    header = "Naziv,Datum od,Datum do,Vrijeme,Lokacija,Kategorija\n"
    path.write_bytes((header + "".join(r + "\n" for r in rows)).encode(encoding))
    return path


CSV_ROWS = [
    "Koncert,12.12.2026.,12.12.2026.,20:00,Galerija Đurković,Koncerti",
    "Izložba,1.12.2026.,24.12.2026.,,Galerija Đurković,Izložbe",
    "Radionica,20.12.2026.,20.12.2026.,11h,Atelje Sezona,Radionica",
]


def test_a_feed_moves_renames_and_removes_its_own_events_only(town, tmp_path, capsys):
    """Item 5: rescheduled and renamed rows are updated (not duplicated), dropped rows
    removed (dry run first), hand-typed rows and hand edits never touched."""
    path = write_calendar(tmp_path / "kalendar.csv", CSV_ROWS)
    import_events(path, town)
    hand = len(event_rows(town)) - 3
    write_calendar(
        path,
        [
            "Koncert,14.12.2026.,14.12.2026.,20:00,Galerija Đurković,Koncerti",  # moved
            "Izložba grafika,1.12.2026.,24.12.2026.,,Galerija Đurković,Izložbe",  # renamed
        ],
    )
    before = (town / "events.csv").read_bytes()
    assert main(["import-events", str(path), "--into", str(town), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (town / "events.csv").read_bytes() == before
    assert "removed" in out and "Radionica" in out and "1 removed" in out
    report = import_events(path, town)
    assert report.counts()["updated"] == 2 and report.counts()["removed"] == 1
    assert "moved 2026-12-12T20:00 → 2026-12-14T20:00" in "".join(r.detail for r in report.rows)
    rows = event_rows(town)
    assert len(rows) == hand + 2
    assert {r["title"] for r in rows if r.get("uid")} == {"Koncert", "Izložba grafika"}
    assert validate_folder(town) == []


def test_a_hand_edit_keeps_the_row_from_the_feed(town, tmp_path):
    path = write_calendar(tmp_path / "kalendar.csv", CSV_ROWS)
    import_events(path, town)
    rows = event_rows(town)
    edited = next(r for r in rows if r["title"] == "Radionica")
    edited["price"] = "5 EUR"
    with (town / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_events(write_calendar(path, CSV_ROWS[:2]), town)
    assert report.counts()["removed"] == 0
    assert "edited by hand" in "".join(r.detail for r in report.rows)
    assert [r["price"] for r in event_rows(town) if r["title"] == "Radionica"] == ["5 EUR"]


def test_a_cp1250_excel_csv_is_detected_and_said(town, tmp_path):
    """Item 8: Excel's cp1250 is read (charset-normalizer) and the report says so."""
    rows = [
        f"Večer čuvene poezije {n},1{n}.12.2026.,1{n}.12.2026.,20:00,Galerija Đurković,Koncerti"
        for n in range(5)
    ]
    path = write_calendar(tmp_path / "excel.csv", rows, encoding="cp1250")
    report = import_events(path, town)
    assert report.counts()["new"] == 5
    assert any("not UTF-8: read as cp1250" in n for n in report.notes)
    assert "Večer čuvene poezije 0" in {r["title"] for r in event_rows(town)}


@pytest.mark.parametrize("command", ["import", "import-events"])
def test_into_a_folder_that_is_not_there_is_a_usage_error(command, capsys):
    assert main([command, str(ICS), "--into", "/nonexistent"]) == 2
    err = capsys.readouterr().err
    assert "--into /nonexistent: not a data folder" in err and "e.g. --into data" in err


@pytest.mark.parametrize(
    ("rrule", "start"),
    [
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR", "DTSTART;VALUE=DATE:20100104"),
        ("FREQ=MINUTELY;INTERVAL=7;BYHOUR=9,10", "DTSTART:20261001T100000Z"),
        ("FREQ=HOURLY;INTERVAL=5", "DTSTART:20250301T013000"),
        ("FREQ=DAILY;INTERVAL=3;COUNT=400", "DTSTART;TZID=Europe/London:20260101T180000"),
    ],
)
def test_a_rule_moved_forward_gives_the_same_occurrences(town, tmp_path, rrule, start):
    """Item 1: moving a fast rule's start forward by whole periods (so the engine does
    not walk from DTSTART) keeps every occurrence in the window, DST and intervals too."""
    source = feed(tmp_path, "r.ics", f"UID:r@x\r\nSUMMARY:r\r\n{start}\r\nRRULE:{rrule}")
    window = Window(date(2026, 11, 7), date(2027, 3, 1), cap=100_000)
    import_events(source, town, window=window)
    got = [r["start"] for r in by_uid(town, "r@x")]
    calendar = icalendar.Calendar.from_ical(source.read_bytes())
    every = recurring_ical_events.of(calendar).between(date(2026, 11, 7), date(2027, 3, 2))
    local = (o.get("DTSTART").dt for o in every)
    expected = sorted(
        (
            clock.local(t, "Europe/Podgorica").strftime("%Y-%m-%dT%H:%M")
            if isinstance(t, datetime) and t.tzinfo
            else t.isoformat()[:16]
        )
        for t in local
    )
    assert got == expected and got


def test_bytes_no_encoding_fits_are_refused_in_words(town, tmp_path, capsys):
    """Item 8: not text at all: one line naming the file, what is expected, no traceback."""
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 8)
    assert main(["import-events", str(path), "--into", str(town)]) == 1
    captured = capsys.readouterr()
    assert "binary.csv:-:-: not UTF-8" in captured.err and "save the file as CSV UTF-8" in (
        captured.err
    )
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("source", [ICS, CALENDAR], ids=["ics", "calendar-csv"])
def test_rows_imported_before_feeds_are_taken_over_not_duplicated(town, source):
    """Rows whose source named the file and row (imports before issue 24) are updated
    once to the feed's source by the feed bringing their UID; nothing is duplicated."""
    import_events(source, town)
    rows = event_rows(town)
    for number, row in enumerate(rows):
        if row.get("uid"):
            kind = "iCalendar" if source == ICS else "municipal calendar"
            row["source"] = f"{kind} old-name{source.suffix} (row {number})"
            row["import_digest"] = ""
    with (town / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_events(source, town)
    assert report.counts()["new"] == 0 and report.counts()["removed"] == 0
    assert len(event_rows(town)) == len(rows)
    assert {r["source"] for r in event_rows(town) if r.get("uid")} == {
        f"{'iCalendar feed' if source == ICS else 'municipal calendar'} {source.stem}"
    }
