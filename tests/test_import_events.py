"""``python -m mapping import-events``: an organiser's ``.ics`` and the municipal
calendar CSV merged into ``events.csv`` by UID, locations matched to venues."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from mapping import events as ev
from mapping.cli import main
from mapping.imports import import_events
from mapping.imports.event_source import event_id
from mapping.imports.match import FUZZY_THRESHOLD, VenueMatcher, name_key
from mapping.io import load_dataset
from mapping.schema import is_id
from mapping.validate import validate_folder
from tests.conftest import MINI, SECOND_TOWN, YEAR, writable_copy

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
ICS = FIXTURES / "organiser.ics"
CALENDAR = FIXTURES / "kulturni-kalendar.csv"


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
    import_events(ICS, town)
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
