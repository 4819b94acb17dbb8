"""The review console's library (mapping.console): the pending list, a suggestion before
and after, corrections, decisions single and in bulk, and the audit trail — the same
functions the command line calls (each test on SQLite and on PostgreSQL)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import timedelta
from pathlib import Path

import pytest

from mapping import clock, console, explore, store
from mapping import submissions as sub
from mapping.cli import main as cli
from mapping.io import Dataset, load_dataset
from mapping.query import VenueFilter
from mapping.submissions import audit, ledger

VENUE = "gal-durkovic"
HOURS = "Mo-Sa 10:00-18:00"


@pytest.fixture
def db(members_db: store.Location) -> store.Location:
    return members_db


@pytest.fixture
def data(mini_copy: Path) -> Dataset:
    return load_dataset(mini_copy, enrich=False)


SENT = itertools.count(1)


def suggest(data: Dataset, db: store.Location, days_ago: int = 0, **fields: object) -> int:
    fields.setdefault("venue_id", VENUE)
    kind = str(fields.pop("kind", sub.UPDATE))
    if kind == sub.UPDATE and len(fields) == 1:
        fields["opening_hours"] = HOURS
    moment = clock.utc_now() - timedelta(days=days_ago)
    fields.setdefault("note", f"sent {days_ago} days ago, {next(SENT)}")  # never a twin
    return sub.submit(data, kind, fields, db=db, now=moment)


def event(**extra: str) -> dict[str, str]:
    return {
        "kind": sub.EVENT,
        "title_me": "Džez veče",
        "title_en": "Jazz evening",
        "category": "concert",
        "venue_id": "museum-sea",
        "timing": "dated",
        "start": "2027-01-15T20:00",
        "end": "2027-01-15T22:00",
        **extra,
    }


def test_the_list_is_oldest_first_filtered_and_paged(data, db):
    old = suggest(data, db, days_ago=10)
    museum = suggest(data, db, days_ago=3, venue_id="museum-sea", website="https://m.example")
    evening = suggest(data, db, **event())
    recent = suggest(data, db, days_ago=0)
    now = clock.utc_now()
    every = console.pending(db, now=now)
    assert list(every.frame["number"]) == [old, museum, evening, recent]
    assert (every.total, every.pages) == (4, 1)
    assert list(every.frame.columns) == list(console.LIST_COLUMNS)
    assert every.frame.loc[1, "fields"] == ("website",)  # venue_id and note left out
    assert list(every.frame["age_days"]) == [10, 3, 0, 0]
    assert list(console.pending(db, now=now, venue_id=VENUE).frame["number"]) == [old, recent]
    assert list(console.pending(db, now=now, kind=sub.EVENT).frame["number"]) == [evening]
    assert list(console.pending(db, now=now, min_age_days=3).frame["number"]) == [old, museum]
    second = console.pending(db, now=now, page=1, per_page=3)
    assert (list(second.frame["number"]), second.total, second.page, second.pages) == (
        [recent],
        4,
        1,
        2,
    )
    beyond = console.pending(db, now=now, page=5, per_page=3)
    assert (list(beyond.frame["number"]), beyond.page) == ([recent], 1)  # the last page
    sub.reject(data.folder, old, "duplicate", db=db)
    assert console.pending(db, now=now).total == 3  # decided ones leave the list


@pytest.mark.now("2026-12-07T10:00")  # a Monday: the card says today's hours
def test_before_and_after_show_the_changed_fields_and_the_new_card(data, db):
    current = data.venues.set_index("id").loc[VENUE]
    number = suggest(data, db, opening_hours=HOURS, website=str(current["website"]))
    built = console.preview(data.folder, number, db=db, year=2026)
    rows = built.rows.set_index("field")
    assert rows.loc["opening_hours", "now"] == str(current["opening_hours"])
    assert rows.loc["opening_hours", "suggested"] == HOURS
    assert bool(rows.loc["opening_hours", "changed"])
    assert not bool(rows.loc["website", "changed"])  # the same value: not highlighted
    after = built.after.venues.set_index("id").loc[VENUE]
    assert after["opening_hours"] == HOURS
    served = load_dataset(data.folder, year=2026)
    payload = console.card(built, served, "en", clock.now(served.city.timezone))
    assert f'"sel":"{VENUE}"' in payload.json  # the card opens
    assert list(payload.positions) == [VENUE]  # only this venue is drawn
    assert "10:00–18:00" in payload.json  # today's hours as suggested (now 09:00–15:00)
    assert sub.get(data.folder, number, db=db).status == ledger.PENDING  # nothing written


@pytest.mark.now("2026-12-07T10:00")  # the event is on 2027-01-15: upcoming
def test_an_event_after_card_lists_it(data, db):
    number = suggest(data, db, **event())
    built = console.preview(data.folder, number, db=db)
    assert built.venue_id == "museum-sea"
    served = load_dataset(data.folder)
    now = clock.to_minute(clock.now(served.city.timezone))
    assert "Jazz evening" in console.card(built, served, "en", now).json  # its next events
    before = explore.map_payload(served, VenueFilter(ids=("museum-sea",)), "en", now, now)
    assert "Jazz evening" not in before.json


def test_a_correction_is_checked_then_applied_and_logged(data, db):
    number = suggest(data, db, opening_hours="Mo-Fr 10:00-17:00", note="thanks")
    with pytest.raises(sub.Refused):
        console.preview(data.folder, number, {"opening_hours": "whenever"}, db=db)
    refused = console.apply_one(
        data.folder, number, reviewer="ana", lang="me", corrections={"opening_hours": "x y"}
    )
    assert not refused.ok and refused.lines[0].startswith("Radno vrijeme: ")  # its label
    before = (data.folder / "venues.geojson").read_bytes()
    assert (data.folder / "venues.geojson").read_bytes() == before  # refused: unchanged
    done = console.apply_one(
        data.folder, number, reviewer="ana", lang="en", corrections={"opening_hours": HOURS}
    )
    assert done.ok, done.lines
    after = (data.folder / "venues.geojson").read_bytes()
    assert load_dataset(data.folder).venues.set_index("id").loc[VENUE, "opening_hours"] == HOURS
    [decision] = console.history(db)
    assert (decision.submission, decision.decision, decision.reviewer) == (number, "applied", "ana")
    assert decision.corrected == {"opening_hours": ["Mo-Fr 10:00-17:00", HOURS]}
    assert decision.file == "venues.geojson" and decision.record == VENUE
    assert decision.before_sha256 == hashlib.sha256(before).hexdigest()
    assert decision.after_sha256 == hashlib.sha256(after).hexdigest()


def test_bulk_apply_reports_each_and_bulk_reject_needs_a_reason(data, db):
    first = suggest(data, db, opening_hours=HOURS)
    gone = suggest(data, db, venue_id="museum-sea", website="https://m.example")
    third = suggest(data, db, venue_id="atelier-perast", phone="+382 32 123 456")
    sub.reject(data.folder, gone, "not theirs", db=db)
    outcomes = console.apply_many(data.folder, [third, gone, first], reviewer="ana", lang="en")
    assert [(o.number, o.ok) for o in outcomes] == [(first, True), (gone, False), (third, True)]
    assert "already rejected" in outcomes[1].lines[0]
    more = [
        suggest(data, db, venue_id="museum-sea", website=f"https://{i}.example") for i in (1, 2)
    ]
    blank = console.reject_many(data.folder, more, " ", reviewer="ana", lang="en")
    assert not any(o.ok for o in blank)
    done = console.reject_many(data.folder, more, "spam", reviewer="bo", lang="en")
    assert all(o.ok for o in done)
    trail = console.history(db)
    assert [(d.submission, d.decision, d.reviewer) for d in trail] == [
        (more[1], "rejected", "bo"),
        (more[0], "rejected", "bo"),
        (third, "applied", "ana"),
        (first, "applied", "ana"),
        (gone, "rejected", trail[-1].reviewer),  # the CLI's default: the OS user
    ]
    assert trail[0].reason == "spam" and trail[0].file == ""


def test_the_command_line_logs_its_reviewer_and_prints_the_trail(data, db, capsys):
    applied = suggest(data, db)
    rejected = suggest(data, db, venue_id="museum-sea", website="https://m.example")
    folder = str(data.folder)
    assert cli(["submissions", "apply", str(applied), folder, "--reviewer", "Ana <a@x.me>"]) == 0
    assert (
        cli(["submissions", "reject", str(rejected), folder, "--reason", "no", "--reviewer", "Bo"])
        == 0
    )
    capsys.readouterr()
    assert cli(["submissions", "log", folder]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"#{rejected}  rejected  by Bo" in lines[0] and "reason: no" in lines[0]
    assert f"#{applied}  applied  by Ana <a@x.me>  record {VENUE}" in lines[1]
    assert "venues.geojson sha256 " in lines[1]
    assert lines[2] == f"2 decision(s) in {store.locate(db) if isinstance(db, Path) else db}"


def test_a_decision_and_its_log_row_are_one_transaction(data, db, monkeypatch):
    number = suggest(data, db)

    def broken(*args: object, **kwargs: object) -> None:
        raise store.Error("disk full")

    monkeypatch.setattr(audit, "rejected", broken)
    outcome = console.reject_one(data.folder, number, "spam", reviewer="ana", lang="en")
    assert not outcome.ok
    assert sub.get(data.folder, number, db=db).status == ledger.PENDING  # rolled back
    assert console.history(db) == []
