"""Members' suggestions: what is refused, what is stored as typed, and how a reviewer's
apply changes only the record concerned, validated, atomically, once — on SQLite and on
PostgreSQL (every test with the ``db`` fixture runs on both)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mapping import checked_write, cli, i18n, store
from mapping import submissions as sub
from mapping.errors import Problem
from mapping.io import Dataset, load_dataset
from mapping.settings import declared_default
from mapping.submissions import forms, ledger
from mapping.text import escape
from mapping.validate import validate_folder

from .conftest import REPO_DATA, YEAR, writable_copy
from .postgres import nobody_listening

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PAYLOADS = (
    "<script>alert(1)</script> & <b>bold</b>",
    "${alert(1)}",
    "{{7*7}}",
    "`${x}` \\ \"q\" 'a'",
)


@pytest.fixture
def db(members_db: store.Location) -> store.Location:
    """This test's own database, on each back-end (the CLI finds it through the
    environment, too)."""
    return members_db


@pytest.fixture
def data(mini_copy: Path) -> Dataset:
    return load_dataset(mini_copy, enrich=False)


def _rows(db: store.Location) -> int:
    if isinstance(db, Path) and not db.exists():
        return 0
    conn = store.connect(db)
    try:
        if "submissions" not in conn.tables():  # no table yet: nothing was ever stored
            return 0
        return int(conn.execute("SELECT count(*) FROM submissions").fetchone()[0])
    finally:
        conn.close()


def _insert_raw(
    db: store.Location, kind: str, venue_id: str | None, fields: dict[str, object]
) -> int:
    """A row put into the table without the form's checks (as another tool might)."""
    with ledger.opened(db) as conn:
        return ledger.insert(conn, kind, venue_id, fields, NOW, ledger.Limits(100, 100, 100))


def _event(**extra: str) -> dict[str, str]:
    return {
        "title_me": "Džez veče",
        "title_en": "Jazz evening",
        "category": "concert",
        "venue_id": "museum-sea",
        "timing": "dated",
        "start": "2026-08-01T20:00",
        "end": "2026-08-01T22:00",
        **extra,
    }


def _venue(**extra: object) -> dict[str, object]:
    return {
        "name": "Nova galerija",
        "category": "gallery",
        "lat": 42.4261,
        "lon": 18.7701,
        "note": "Otvorena ljetos.",
        **extra,
    }


# --------------------------------------------------------------------------- refusals


def test_oversized_fields_are_refused_by_name_and_nothing_is_stored(data, db):
    limit = data.city.description_max_chars
    with pytest.raises(sub.Refused) as caught:
        sub.submit(
            data,
            sub.UPDATE,
            {
                "venue_id": "gal-durkovic",
                "description_en": "x" * (limit + 1),
                "phone": "1" * 41,
                "opening_hours": "Mo-Fx",
            },
            db=db,
        )
    problems = {p.field: p for p in caught.value.problems}
    assert set(problems) == {"description_en", "phone", "opening_hours"}
    assert problems["phone"].key == "submissions.refused.too_long"
    assert "is 41 characters long; at most 40 characters are allowed" in str(caught.value)
    assert problems["description_en"].text("me") == (
        f"ima previše znakova ({limit + 1}); dozvoljeno je najviše {limit} znakova"
    )
    assert _rows(db) == 0


def test_every_refusal_reads_in_every_language(data, db):
    with pytest.raises(sub.Refused) as caught:
        sub.submit(
            data,
            sub.EVENT,
            {
                "title_en": "x" * 500,
                "category": "nope",
                "venue_id": "nowhere",
                "timing": "monthly",
                "start": "2026-13-01",
                "url": "ftp://x",
                "colour": "red",
            },
            db=db,
        )
    for lang in i18n.available_languages():
        lines = caught.value.messages(lang)
        assert len(lines) == len(caught.value.problems) >= 6
        assert all(line.strip() for line in lines)
    fields = {p.field for p in caught.value.problems}
    assert {"title_en", "category", "venue_id", "timing", "start", "url", "colour"} <= fields


@pytest.mark.parametrize(
    ("limit_name", "fields"),
    [
        (
            "max_pending_per_client_per_hour",
            {"venue_id": "gal-durkovic", "phone": "+382 32 304 720"},
        ),
        ("max_pending_per_venue_per_hour", {"venue_id": "gal-durkovic", "visit": "yes"}),
    ],
)
def test_hourly_limits_refuse_and_store_nothing(data, db, limit_name, fields):
    small = dataclasses.replace(
        data.city, max_pending_per_client_per_hour=5, max_pending_per_venue_per_hour=5
    )
    small = dataclasses.replace(small, **{limit_name: 2})
    town = dataclasses.replace(data, city=small)
    for minutes in (0, 1):  # two different notes: not the same suggestion twice
        sub.submit(
            town,
            sub.UPDATE,
            {**fields, "note": f"{minutes}"},
            db=db,
            now=NOW + timedelta(minutes=minutes),
        )
    with pytest.raises(sub.TooMany) as caught:
        sub.submit(town, sub.UPDATE, fields, db=db, now=NOW + timedelta(minutes=2))
    assert _rows(db) == 2
    assert "2 suggestions in the last hour" in str(caught.value)
    assert (
        caught.value.problems[0]
        .text("me")
        .startswith("U posljednjem satu" if "client" in limit_name else "Za ovaj prostor su")
    )
    # another venue still has room under the per-venue limit, and an hour later all do
    if limit_name == "max_pending_per_venue_per_hour":
        sub.submit(
            town,
            sub.UPDATE,
            {"venue_id": "museum-sea", "visit": "no"},
            db=db,
            now=NOW + timedelta(minutes=3),
        )
    sub.submit(town, sub.UPDATE, fields, db=db, now=NOW + timedelta(minutes=62))


SCRIPT = sub.client_key("203.0.113.7")
MINI_VENUES = ("gal-durkovic", "atelier-seasonal", "museum-sea", "atelier-perast")
MEMBER = sub.client_key("198.51.100.20")


def test_a_burst_from_one_client_does_not_silence_another(data, db, caplog):
    """Issue 25: 100 suggestions from one script are refused past its own limit, and a
    member on another address is still heard; the total only raises the alarm."""
    town = dataclasses.replace(
        data,
        city=dataclasses.replace(
            data.city,
            max_pending_per_client_per_hour=20,
            max_pending_per_venue_per_hour=1000,
            unusual_per_hour=20,
        ),
    )
    venues = ["gal-durkovic", "museum-sea"]
    outcomes = []
    for i in range(100):
        fields = {"venue_id": venues[i % 2], "phone": f"+382 {i:06d}"}
        try:
            sub.submit(town, sub.UPDATE, fields, db=db, now=NOW, client=SCRIPT)
            outcomes.append("stored")
        except sub.TooMany as refused:
            outcomes.append(refused.problems[0].key)
    assert outcomes.count("stored") == 20
    assert set(outcomes[20:]) == {"submissions.refused.too_many_client"}
    number = sub.submit(
        town, sub.UPDATE, {"venue_id": "museum-sea", "visit": "no"}, db=db, now=NOW, client=MEMBER
    )
    assert sub.get(None, number, db=db).fields == {"venue_id": "museum-sea", "visit": "no"}
    assert "unusual volume of suggestions: 20 in the hour" in caplog.text


def test_the_per_venue_limit_holds_across_clients(data, db):
    town = dataclasses.replace(
        data, city=dataclasses.replace(data.city, max_pending_per_venue_per_hour=3)
    )
    fields = {"venue_id": "gal-durkovic", "visit": "yes"}
    for i in range(3):
        sub.submit(
            town,
            sub.UPDATE,
            {**fields, "note": f"{i}"},
            db=db,
            now=NOW,
            client=sub.client_key(f"10.0.0.{i}"),
        )
    with pytest.raises(sub.TooMany) as caught:
        sub.submit(town, sub.UPDATE, fields, db=db, now=NOW, client=MEMBER)
    assert caught.value.problems[0].field == "venue_id"
    sub.submit(
        town, sub.UPDATE, {"venue_id": "museum-sea", "visit": "no"}, db=db, now=NOW, client=MEMBER
    )


@pytest.mark.now("2026-11-20T12:00")  # the CLI looks back a week from "now"
def test_the_global_alarm_fires_without_refusing(data, db, caplog, mini_copy, capsys):
    town = dataclasses.replace(data, city=dataclasses.replace(data.city, unusual_per_hour=5))
    for i in range(12):  # twelve clients, one suggestion each: none refused
        sub.submit(
            town,
            sub.UPDATE,
            {"venue_id": MINI_VENUES[i % 4], "phone": f"+382 {i:06d}"},
            db=db,
            now=NOW + timedelta(minutes=i),
            client=sub.client_key(f"192.0.2.{i}"),
        )
    assert _rows(db) == 12
    alarms = [r for r in caplog.records if "unusual volume" in r.getMessage()]
    assert [r.levelname for r in alarms] == ["WARNING", "WARNING"]  # at 5 and at 10
    (mini_copy / "city.toml").write_text(
        (mini_copy / "city.toml").read_text(encoding="utf-8")
        + "\n[members]\nunusual_per_hour = 5\n",
        encoding="utf-8",
    )
    [burst] = sub.unusual(mini_copy, db=db, now=NOW + timedelta(hours=2))
    assert (burst.first, burst.last, burst.count) == (NOW, NOW + timedelta(minutes=11), 12)
    assert cli.main(["submissions", "list", str(mini_copy)]) == 0
    assert "unusual volume: 12 suggestions within one hour" in capsys.readouterr().out
    assert sub.unusual(mini_copy, db=db, now=NOW + timedelta(days=8)) == []


def test_no_address_is_stored_and_the_hash_is_forgotten_after_the_hour(data, db):
    address = "203.0.113.99"
    sub.submit(
        data,
        sub.UPDATE,
        {"venue_id": "museum-sea", "visit": "no"},
        db=db,
        now=NOW,
        client=sub.client_key(address),
    )
    if isinstance(db, Path):  # the file's bytes, its write-ahead log included
        wal = db.with_name(db.name + "-wal")
        raw = db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        assert address.encode() not in raw
    conn = store.connect(db)
    try:
        [(stored,)] = conn.execute("SELECT client FROM submissions").fetchall()
        assert stored and address not in stored and len(stored) == 64
    finally:
        conn.close()
    sub.submit(
        data,
        sub.UPDATE,
        {"venue_id": "gal-durkovic", "visit": "no"},
        db=db,
        now=NOW + timedelta(minutes=61),
    )
    conn = store.connect(db)
    try:
        rows = conn.execute("SELECT client FROM submissions ORDER BY id").fetchall()
    finally:
        conn.close()
    clients = [row[0] for row in rows]
    assert clients[0] is None and clients[1]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.1", ["6.6.6.6"], False, "10.0.0.1"),  # the header is ignored untrusted
        (None, ["6.6.6.6, 203.0.113.5"], True, "203.0.113.5"),  # the right-most entry
        (None, ["6.6.6.6", "203.0.113.5"], True, "203.0.113.5"),  # repeated header lines
        ("127.0.0.1", [], True, "127.0.0.1"),  # no header: the connection
        (None, [], False, "local"),
    ],
)
def test_client_address(remote, forwarded, trusted, expected):
    assert sub.client_address(remote, forwarded, trust_proxy=trusted) == expected


def test_client_keys():
    assert sub.client_key("2001:db8:1:2:3:4:5:6") == sub.client_key("2001:db8:1:2:ffff::1")
    assert sub.client_key("2001:db8:1:2::1") != sub.client_key("2001:db8:1:3::1")
    assert sub.client_key("::ffff:192.0.2.1") == sub.client_key("192.0.2.1")
    # a personal link is its own client wherever it connects from, token never in clear
    linked = sub.client_key("192.0.2.1", link_token="s3cret-token")
    assert linked == sub.client_key("198.51.100.1", link_token="s3cret-token")
    assert linked != sub.client_key("192.0.2.1") and "s3cret" not in linked


def test_an_update_needs_something_to_change(data, db):
    with pytest.raises(sub.Refused) as caught:
        sub.submit(
            data, sub.UPDATE, {"venue_id": "gal-durkovic", "website": "  ", "note": "hello"}, db=db
        )
    assert [p.key for p in caught.value.problems] == ["submissions.refused.nothing"]


def test_a_location_needs_both_coordinates_inside_the_area(data, db):
    with pytest.raises(sub.Refused) as one:
        sub.submit(data, sub.UPDATE, {"venue_id": "gal-durkovic", "lat": 42.42}, db=db)
    assert [(p.field, p.key) for p in one.value.problems] == [
        ("lon", "submissions.refused.location_pair")
    ]
    with pytest.raises(sub.Refused) as far:
        sub.submit(data, sub.VENUE, _venue(lat=45.0), db=db)
    assert [p.key for p in far.value.problems] == ["submissions.refused.outside"]
    assert _rows(db) == 0


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        ("2026-08-02T20:00", "2026-08-01T22:00", "submissions.refused.end_before_start"),
        ("2026-08-02", "2026-08-01", "submissions.refused.end_before_start"),
        ("2026-08-01", "2026-08-01T22:00", "submissions.refused.date_kind"),
        ("2026-02-30", "", "submissions.refused.date"),
    ],
)
def test_event_times_are_refused_when_they_cannot_be(data, db, start, end, key):
    with pytest.raises(sub.Refused) as caught:
        sub.submit(data, sub.EVENT, _event(start=start, end=end), db=db)
    assert [p.key for p in caught.value.problems] == [key]
    assert _rows(db) == 0


@pytest.mark.parametrize(
    ("lang", "start", "end"),
    [
        ("me", "sri 16. dec 2026., 19:30", "sri 16. dec 2026., 18:00"),
        ("en", "Wed 16 Dec 2026, 19:30", "Wed 16 Dec 2026, 18:00"),
        ("de", "Mi, 16. Dez. 2026, 19:30", "Mi, 16. Dez. 2026, 18:00"),
    ],
)
def test_an_end_before_the_start_quotes_both_in_the_readers_words(data, db, lang, start, end):
    """The page words the dates in the member's language; the CLI's English ``str()``
    quotes them as typed (ISO), since it has no language."""
    fields = _event(start="2026-12-16T19:30", end="2026-12-16T18:00")
    with pytest.raises(sub.Refused) as caught:
        sub.submit(data, sub.EVENT, fields, db=db)
    [line] = caught.value.messages(lang)
    assert start in line and end in line and "2026-12-16" not in line
    assert str(caught.value) == (
        "end: the end 2026-12-16T18:00 is before the start 2026-12-16T19:30"
    )


def test_an_end_before_the_start_without_times_quotes_days():
    problems = forms.event_time_problems({"start": "2026-12-16", "end": "2026-12-15"})
    [problem] = problems
    assert problem.text("en") == "the end Tue 15 Dec 2026 is before the start Wed 16 Dec 2026"
    assert problem.text("en", iso=True) == "the end 2026-12-15 is before the start 2026-12-16"


def test_invalid_hours_are_refused_at_submit_time(data, db):
    with pytest.raises(sub.Refused) as caught:
        sub.submit(
            data,
            sub.UPDATE,
            {"venue_id": "gal-durkovic", "opening_hours": "Mo-Fr 9-17 o'clock"},
            db=db,
        )
    (problem,) = caught.value.problems
    assert problem.field == "opening_hours"
    assert problem.text("en").startswith("Write times as 10:00-18:00")  # what to change
    assert _rows(db) == 0


def test_invalid_hours_are_refused_at_apply_time(mini_copy, data, db):
    before = (mini_copy / "venues.geojson").read_bytes()
    number = _insert_raw(
        db,
        sub.UPDATE,
        "gal-durkovic",
        {"venue_id": "gal-durkovic", "opening_hours": "Mo-Fx 25:00-26:00"},
    )
    with pytest.raises(sub.Refused, match="opening_hours"):
        sub.apply(mini_copy, number, db=db)
    assert (mini_copy / "venues.geojson").read_bytes() == before
    assert sub.get(mini_copy, number, db=db).status == "pending"


# --------------------------------------------------------------------------- text stays text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_is_stored_and_applied_exactly_as_typed(mini_copy, data, db, payload):
    update = {
        "venue_id": "gal-durkovic",
        "description_me": payload,
        "description_en": f" {payload} ",
        "note": payload,
    }
    event = _event(
        title_me=payload, title_en=payload, price=payload, organiser=payload, note=payload
    )
    venue = _venue(name=f"Galerija {payload}", note=payload, description_en=payload)
    numbers = [
        sub.submit(data, kind, fields, db=db)
        for kind, fields in ((sub.UPDATE, update), (sub.EVENT, event), (sub.VENUE, venue))
    ]
    stored = [sub.get(mini_copy, n, db=db).fields for n in numbers]
    assert stored[0] == update
    assert stored[1] == event
    assert stored[2]["name"] == f"Galerija {payload}"
    records = [sub.apply(mini_copy, n, db=db).record for n in numbers]

    doc = json.loads((mini_copy / "venues.geojson").read_text(encoding="utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in doc["features"]}
    assert props["gal-durkovic"]["description_me"] == payload
    assert props["gal-durkovic"]["description_en"] == f" {payload} "
    assert props[records[2]]["name"] == f"Galerija {payload}"
    assert props[records[2]]["description_en"] == payload

    loaded = load_dataset(mini_copy, enrich=False)
    row = loaded.events.set_index("id").loc[records[1]]
    assert row["title"] == payload.strip()  # the loader strips cells, nothing else
    assert row["price"] == payload.strip()
    assert escape(row["title"]) == escape(payload.strip())
    assert "<" not in escape(payload) and "${" not in escape(payload)


# --------------------------------------------------------------------------- applying


def test_apply_an_update_sets_hours_source_checked_and_location(mini_copy, data, db):
    number = sub.submit(
        data,
        sub.UPDATE,
        {
            "venue_id": "gal-durkovic",
            "opening_hours": "Tu-Su 10:00-18:00",
            "visit": "appointment",
            "lat": 42.42505,
            "lon": 18.77125,
        },
        db=db,
        now=NOW,
    )
    item = sub.apply(mini_copy, number, db=db)
    assert (item.status, item.record) == ("applied", "gal-durkovic")
    venue = load_dataset(mini_copy, year=YEAR).venues.set_index("id").loc["gal-durkovic"]
    assert venue["opening_hours"] == "Tu-Su 10:00-18:00"
    assert venue["visit"] == "appointment"
    assert venue["source"] == "fixture; submitted by the venue, 2026-11-20, reviewed"
    assert venue["checked"] == "2026-11-20"
    assert venue["location_precision"] == "approximate"
    assert (venue.geometry.x, venue.geometry.y) == (18.77125, 42.42505)


def test_apply_keeps_every_other_record_and_the_file_layout(mini_copy, data, db):
    before = json.loads((mini_copy / "venues.geojson").read_text(encoding="utf-8"))
    number = sub.submit(
        data,
        sub.UPDATE,
        {"venue_id": "atelier-seasonal", "website": "https://example.org/a"},
        db=db,
        now=NOW,
    )
    sub.apply(mini_copy, number, db=db)
    raw = (mini_copy / "venues.geojson").read_text(encoding="utf-8")
    after = json.loads(raw)
    changed = after["features"][1]["properties"]
    assert after["features"][:1] + after["features"][2:] == (
        before["features"][:1] + before["features"][2:]
    )
    assert list(changed)[: len(before["features"][1]["properties"])] == list(
        before["features"][1]["properties"]
    )  # key order kept, new keys last
    assert raw == json.dumps(after, indent=2, ensure_ascii=False) + "\n"


def test_apply_on_the_town_data_keeps_its_layout_and_other_records(tmp_path, db):
    folder = writable_copy(REPO_DATA, tmp_path / "kotor")
    path = folder / "venues.geojson"
    before_text = path.read_text(encoding="utf-8")
    before = json.loads(before_text)
    town = load_dataset(folder, enrich=False)
    venue_id = before["features"][5]["properties"]["id"]
    numbers = [
        sub.submit(
            town, sub.UPDATE, {"venue_id": venue_id, "phone": "+382 32 000 000"}, db=db, now=NOW
        ),
        sub.submit(town, sub.VENUE, _venue(), db=db, now=NOW),
    ]
    for number in numbers:
        sub.apply(folder, number, db=db)
    after_text = path.read_text(encoding="utf-8")
    after = json.loads(after_text)
    assert after_text == json.dumps(after, indent=1, ensure_ascii=False) + "\n"  # its layout
    assert len(after["features"]) == len(before["features"]) + 1
    others = [i for i in range(len(before["features"])) if i != 5]
    assert [after["features"][i] for i in others] == [before["features"][i] for i in others]
    new = after["features"][-1]["properties"]
    assert list(new)[:3] == list(before["features"][0]["properties"])[:3]  # the file's order
    assert (
        sub.apply(
            folder, sub.submit(town, sub.EVENT, _event(venue_id=venue_id), db=db), db=db
        ).status
        == "applied"
    )
    assert validate_folder(folder) == []


def test_hours_citation_moves_to_source_when_the_hours_change(mini_copy, data, db):
    path = mini_copy / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"].update(
        hours_source="gallery.example/hours", hours_checked="2025-05-01"
    )
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    number = sub.submit(
        data,
        sub.UPDATE,
        {"venue_id": "gal-durkovic", "opening_hours": "Mo-Fr 08:00-12:00"},
        db=db,
        now=NOW,
    )
    sub.apply(mini_copy, number, db=db)
    props = json.loads(path.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert props["hours_source"] == "submitted by the venue, 2026-11-20, reviewed"
    assert props["hours_checked"] == "2026-11-20"
    assert props["source"] == (
        "fixture; gallery.example/hours; submitted by the venue, 2026-11-20, reviewed"
    )


def test_apply_an_event(mini_copy, data, db):
    before = (mini_copy / "events.csv").read_bytes()
    number = sub.submit(
        data,
        sub.EVENT,
        _event(
            timing="annual_tbc",
            start="2026-09-01",
            end="2026-09-30",
            free="no",
            price="€5",
            url="https://example.org/jazz",
        ),
        db=db,
        now=NOW,
    )
    item = sub.apply(mini_copy, number, db=db)
    after = (mini_copy / "events.csv").read_bytes()
    assert after.startswith(before)  # the other rows keep their bytes
    events = load_dataset(mini_copy, enrich=False).events.set_index("id")
    row = events.loc[item.record]
    assert item.record == "dzez-vece"
    assert (row["title"], row["title_en"]) == ("Džez veče", "Jazz evening")
    assert (row["recurrence"], bool(row["dates_confirmed"]), bool(row["free"])) == (
        "annual",
        False,
        False,
    )
    assert row["source"] == "submitted by the venue, 2026-11-20, reviewed"
    assert row["start"].isoformat() == "2026-09-01T00:00:00+02:00"


def test_an_event_column_the_file_lacks_is_added(mini_copy, data, db):
    number = sub.submit(
        data, sub.EVENT, _event(title_me="", title_en="Weekly jam", timing="weekly"), db=db, now=NOW
    )
    csv_before = (mini_copy / "events.csv").read_text(encoding="utf-8")
    (mini_copy / "events.csv").write_text(
        csv_before.replace(",organiser,source", ",source").replace(",Test,fixture", ",fixture"),
        encoding="utf-8",
    )
    sub.apply(mini_copy, number, db=db)
    events = load_dataset(mini_copy, enrich=False).events.set_index("id")
    assert events.loc["weekly-jam", "recurrence"] == "weekly"
    assert events.loc["winter-show", "organiser"] == ""


def test_apply_a_new_venue(mini_copy, data, db):
    number = sub.submit(
        data,
        sub.VENUE,
        _venue(name="Atelje Sezona", website="https://x.me/", opening_hours="Sa 10:00-13:00"),
        db=db,
        now=NOW,
    )
    item = sub.apply(mini_copy, number, db=db)
    assert item.record == "atelje-sezona"  # the slug of the name, unique: a new id
    venues = load_dataset(mini_copy, year=YEAR).venues.set_index("id")
    assert len(venues) == 5
    new = venues.loc["atelje-sezona"]
    assert (new["name"], new["category"], new["website"]) == (
        "Atelje Sezona",
        "gallery",
        "https://x.me/",
    )
    assert (new["location_precision"], new["checked"]) == ("approximate", "2026-11-20")
    assert new["source"] == "submitted by the venue, 2026-11-20, reviewed"
    assert venues.loc["atelier-seasonal", "name"] == "Atelje Sezona"  # untouched
    again = sub.submit(data, sub.VENUE, _venue(name="Atelje Sezona"), db=db, now=NOW)
    assert sub.apply(mini_copy, again, db=db).record == "atelje-sezona-2"


def test_a_change_that_fails_validation_changes_nothing(mini_copy, data, db):
    path = mini_copy / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["cited_coordinates"] = [18.7712, 42.425]
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = path.read_bytes()
    number = sub.submit(
        data, sub.UPDATE, {"venue_id": "gal-durkovic", "lat": 42.4300, "lon": 18.7800}, db=db
    )
    with pytest.raises(sub.ReviewError) as caught:
        sub.apply(mini_copy, number, db=db)
    assert [(p.file, p.record, p.field) for p in caught.value.problems] == [
        ("venues.geojson", "gal-durkovic", "geometry")
    ]
    assert "nothing was changed" in str(caught.value)
    assert path.read_bytes() == before
    assert sub.get(mini_copy, number, db=db).status == "pending"


@pytest.mark.parametrize(
    ("kind", "target"),
    [(sub.UPDATE, "venues.geojson"), (sub.VENUE, "venues.geojson"), (sub.EVENT, "events.csv")],
)
def test_a_failed_rename_leaves_the_files_and_the_suggestion_as_they_were(
    mini_copy, data, db, monkeypatch, kind, target
):
    fields = {
        sub.UPDATE: {"venue_id": "gal-durkovic", "phone": "+382 32 304 720"},
        sub.VENUE: _venue(),
        sub.EVENT: _event(),
    }[kind]
    number = sub.submit(data, kind, fields, db=db)
    files = {name: (mini_copy / name).read_bytes() for name in ("venues.geojson", "events.csv")}

    def refuse(*args: object) -> None:
        raise OSError("disk full (injected)")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="injected"):
        sub.apply(mini_copy, number, db=db)
    monkeypatch.undo()
    assert {name: (mini_copy / name).read_bytes() for name in files} == files
    assert sorted(p.name for p in mini_copy.iterdir() if p.name.startswith(".")) == []
    assert sub.get(mini_copy, number, db=db).status == "pending"
    assert sub.apply(mini_copy, number, db=db).status == "applied"  # and it still can be
    assert (mini_copy / target).read_bytes() != files[target]


def test_a_file_changed_during_the_check_is_not_overwritten(mini_copy, data, db, monkeypatch):
    number = sub.submit(data, sub.UPDATE, {"venue_id": "museum-sea", "visit": "no"}, db=db)
    path = mini_copy / "venues.geojson"
    edited = path.read_bytes().replace(b'"wheelchair": "no"', b'"wheelchair": "limited"')

    def edit_meanwhile(folder: Path, replacements: dict[str, bytes]) -> list[object]:
        path.write_bytes(edited)  # the coordinator saves a hand edit during the check
        return []

    monkeypatch.setattr(checked_write, "new_problems", edit_meanwhile)
    with pytest.raises(sub.ReviewError, match="changed while it was being checked"):
        sub.apply(mini_copy, number, db=db)
    assert path.read_bytes() == edited
    assert sub.get(mini_copy, number, db=db).status == "pending"


@pytest.mark.parametrize(
    ("problem", "me", "de"),
    [
        (
            Problem("venues.geojson", "gal-durkovic", "phone", "expected a phone number"),
            "venues.geojson, zapis gal-durkovic, polje phone: expected a phone number",
            "venues.geojson, Datensatz gal-durkovic, Feld phone: expected a phone number",
        ),
        (
            Problem("events.csv", "row 3", "-", "a control character", level="warning"),
            "events.csv, zapis row 3: upozorenje: a control character",
            "events.csv, Datensatz row 3: Warnung: a control character",
        ),
        (
            Problem("events.csv", "-", "-", "cannot read"),
            "events.csv: cannot read",
            "events.csv: cannot read",
        ),
    ],
)
def test_a_data_file_problem_is_framed_in_the_readers_language(problem, me, de):
    """File, record and field in the reader's words; validate's detail as it wrote it."""
    assert (problem.text("me"), problem.text("de")) == (me, de)


def test_the_hourly_limit_holds_under_simultaneous_posts(data, db):
    town = dataclasses.replace(
        data, city=dataclasses.replace(data.city, max_pending_per_client_per_hour=3)
    )

    def post(i: int) -> str:
        try:
            sub.submit(
                town, sub.UPDATE, {"venue_id": "gal-durkovic", "phone": f"+382 {i:06d}"}, db=db
            )
        except sub.TooMany:
            return "refused"
        return "stored"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(post, range(12)))
    assert sorted(outcomes).count("stored") == 3
    assert _rows(db) == 3


def test_apply_twice_is_refused_and_reject_keeps_the_record(mini_copy, data, db):
    first = sub.submit(data, sub.UPDATE, {"venue_id": "museum-sea", "visit": "no"}, db=db)
    second = sub.submit(data, sub.UPDATE, {"venue_id": "museum-sea", "visit": "yes"}, db=db)
    sub.apply(mini_copy, first, db=db)
    after_first = (mini_copy / "venues.geojson").read_bytes()
    with pytest.raises(sub.ReviewError, match=rf"#{first} was already applied"):
        sub.apply(mini_copy, first, db=db)
    rejected = sub.reject(mini_copy, second, "The museum's own page says otherwise.", db=db)
    assert (rejected.status, rejected.reason) == (
        "rejected",
        "The museum's own page says otherwise.",
    )
    assert rejected.decided is not None
    with pytest.raises(sub.ReviewError, match="already rejected"):
        sub.apply(mini_copy, second, db=db)
    with pytest.raises(sub.ReviewError, match="needs a reason"):
        sub.reject(mini_copy, first, " ", db=db)
    assert (mini_copy / "venues.geojson").read_bytes() == after_first
    assert [i.status for i in sub.listed(mini_copy, None, db=db)] == ["applied", "rejected"]


# --------------------------------------------------------------------------- the page's helpers


def test_describe_hours_checks_as_you_type(data):
    problem, lines = sub.describe_hours(
        "Apr-Oct Mo-Su 09:00-19:00; Nov-Mar Sa 10:00-14:00", "en", data.city, year=YEAR
    )
    assert problem is None
    assert lines == ["Apr–Oct daily 09–19", "Nov–Mar Sat 10–14"]
    problem, lines = sub.describe_hours("Mo-Fx", "de", data.city, year=YEAR)
    assert problem is not None and problem.field == "opening_hours" and lines == []
    assert problem.text("de").startswith("Tage heißen Mo Tu We Th Fr Sa Su")
    assert sub.describe_hours(" ", "me", data.city) == (None, ["radno vrijeme nepoznato"])


def test_labels_and_receipt_in_every_language(data):
    for lang in i18n.available_languages():
        for kind in sub.KINDS:
            assert all(
                sub.field_label(name, lang) for name in sub.field_names(kind, data.city.languages)
            )
        assert sub.choice_label("visit", "appointment", lang)
        assert "#12" in sub.thanks(12, lang)
    assert sub.field_label("description_en", "en") == "Description (EN)"


# --------------------------------------------------------------------------- command line


def test_cli_list_show_apply_reject(mini_copy, data, db, capsys):
    update = sub.submit(
        data,
        sub.UPDATE,
        {"venue_id": "gal-durkovic", "email": "info@example.org", "note": "\x1b[2J<b>hi</b>"},
        db=db,
    )
    event = sub.submit(data, sub.EVENT, _event(), db=db)
    folder = str(mini_copy)
    assert cli.main(["submissions", "list", folder]) == 0
    out = capsys.readouterr().out
    assert f"#{update}  pending" in out and f"#{event}  pending" in out
    assert "2 suggestion(s) (pending)" in out

    assert cli.main(["submissions", "show", f"#{update}", folder]) == 0
    out = capsys.readouterr().out
    assert "email: info@example.org" in out
    assert "note: \\x1b[2J<b>hi</b>" in out  # terminal-safe, otherwise as typed

    assert cli.main(["submissions", "apply", str(update), folder]) == 0
    assert f"#{update} applied: update gal-durkovic" in capsys.readouterr().out
    assert cli.main(["submissions", "apply", str(update), folder]) == 1
    assert "already applied" in capsys.readouterr().err

    assert cli.main(["submissions", "reject", str(event), folder, "--reason", "duplicate"]) == 0
    assert "rejected: duplicate" in capsys.readouterr().out
    assert cli.main(["submissions", "list", folder, "--status", "all"]) == 0
    out = capsys.readouterr().out
    assert "  applied  " in out and "  rejected  " in out
    assert cli.main(["submissions", "show", "99", folder]) == 1
    assert "no suggestion #99" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["submissions", "reject", str(event), folder])
    assert usage.value.code == 2
    assert (
        load_dataset(mini_copy, enrich=False).venues.set_index("id").loc["gal-durkovic", "email"]
        == "info@example.org"
    )


def test_typed_text_cannot_forge_a_line_or_hide_in_the_reviewers_terminal(
    mini_copy, data, db, capsys
):
    """A line feed in a note must not print a fake "status: applied" line; zero-width
    and bidi characters are shown, not hidden; a rejection reason is one line too."""
    forged = "ok\nstatus: applied\nreason: approved by the coordinator"
    number = sub.submit(
        data,
        sub.UPDATE,
        {
            "venue_id": "gal-durkovic",
            "email": "info@example.org",
            "note": forged + " zero\u200bwidth \u202eevil",
        },
        db=db,
    )
    folder = str(mini_copy)
    reason = ["--reason", "no\nstatus: x"]
    assert cli.main(["submissions", "reject", str(number), folder, *reason]) == 0
    assert capsys.readouterr().out.splitlines() == [f"#{number} rejected: no\\nstatus: x"]
    assert cli.main(["submissions", "show", str(number), folder]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert not any(line.startswith(("status:", "reason: approved")) for line in lines)
    (note,) = [line for line in lines if line.startswith("note: ")]
    assert "ok\\nstatus: applied\\nreason:" in note
    assert "zero\\u200bwidth \\u202eevil" in note
    assert "reason: no\\nstatus: x" in lines
    assert cli.main(["submissions", "list", folder, "--status", "all"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2  # one suggestion, one total


def test_a_lone_surrogate_is_refused_by_name_and_nothing_is_stored(data, db):
    with pytest.raises(sub.Refused) as refused:
        sub.submit(
            data,
            sub.UPDATE,
            {"venue_id": "gal-durkovic", "email": "info@example.org", "note": "half \ud800 pair"},
            db=db,
        )
    assert [p.field for p in refused.value.problems] == ["note"]
    assert [p.key for p in refused.value.problems] == ["submissions.refused.broken_text"]
    assert _rows(db) == 0


def test_cli_apply_names_the_refused_field(mini_copy, db, capsys):
    number = _insert_raw(
        db,
        sub.UPDATE,
        "gal-durkovic",
        {"venue_id": "gal-durkovic", "website": "javascript:alert(1)"},
    )
    assert cli.main(["submissions", "apply", str(number), str(mini_copy)]) == 1
    assert "website: expected a web address" in capsys.readouterr().err


def test_cli_names_a_database_it_cannot_use(mini_copy, db, capsys, monkeypatch):
    if isinstance(db, Path):
        db.write_bytes(b"this is not a database, only text that looks nothing like SQLite")
    else:  # the server is down
        db = store.Server(nobody_listening())
        monkeypatch.setenv(store.DB_ENV_VAR, db.url)
    assert cli.main(["submissions", "list", str(mini_copy)]) == 1
    err = capsys.readouterr().err
    assert f"error: members' database {db}" in err and "Traceback" not in err


def test_the_limits_table_of_the_docs_is_the_code(data):
    """The package docstring's table of size limits says what forms.limits() enforces:
    every field, every number, and each [limits] key with its declared default."""
    lines = (sub.__doc__ or "").split("Size limits", 1)[1].splitlines()
    rules = [i for i, line in enumerate(lines) if line.strip().startswith("=====")]
    rule = lines[rules[0]]
    column = rule.index("  =", rule.index("=")) + 2  # where the limit column starts
    documented: dict[str, int] = {}
    for row in lines[rules[1] + 1 : rules[2]]:
        left, right = row[:column], row[column:]
        setting = re.search(r"\[limits\] (\w+)`` \((\d+)\)", right)
        if setting is not None:
            key, shown = setting.groups()
            assert int(shown) == declared_default("limits", key), key
            limit = int(getattr(data.city, key))
        else:
            limit = int(re.findall(r"\d+", right)[0])
        for name in re.findall(r"``([a-z_<>]+)``", left):
            for lang in data.city.languages if "<lang>" in name else [""]:
                documented[name.replace("<lang>", lang)] = limit
    assert documented == forms.limits(data.city)


def test_a_table_from_before_the_client_column_gets_it(data, db):
    """A database written by an older version keeps its rows and gains ``client``."""
    conn = store.connect(db)
    try:
        conn.create(
            "CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
            " venue_id TEXT, fields TEXT NOT NULL, created TEXT NOT NULL, status TEXT NOT NULL"
            " DEFAULT 'pending', decided TEXT, reason TEXT NOT NULL DEFAULT '',"
            " record TEXT NOT NULL DEFAULT '');"
            "INSERT INTO submissions (kind, venue_id, fields, created) VALUES"
            " ('update', 'museum-sea', '{\"visit\": \"no\"}', '2026-11-20T09:00:00Z');"
        )
    finally:
        conn.close()
    number = sub.submit(
        data, sub.UPDATE, {"venue_id": "museum-sea", "visit": "yes"}, db=db, now=NOW
    )
    assert number == 2
    assert [s.fields["visit"] for s in sub.listed(None, db=db)] == ["no", "yes"]


def test_a_new_database_opened_by_many_threads_at_once(data, db):
    """The ``client`` column is added once even when every thread finds it missing."""

    def post(i: int) -> int:
        return sub.submit(
            data,
            sub.UPDATE,
            {"venue_id": MINI_VENUES[i % 4], "visit": "no", "note": f"{i}"},
            db=db,
            now=NOW,
            client=sub.client_key(f"192.0.2.{i}"),
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(post, range(16)))
    assert sorted(numbers) == list(range(1, 17))


# --------------------------------------------------------------------------- duplicates


def test_the_same_suggestion_twice_is_stored_once(data, db):
    """Issue 20 item 4: a second send of the same content for the same venue answers
    with the first number; white space does not make it new, another field does."""
    fields = {"venue_id": "gal-durkovic", "phone": "+382 32 304 720", "note": "New  phone"}
    first = sub.submit(data, sub.UPDATE, fields, db=db, now=NOW)
    again = {**fields, "phone": " +382 32  304 720 ", "note": "New phone\n"}
    with pytest.raises(sub.AlreadyPending) as caught:
        sub.submit(data, sub.UPDATE, again, db=db, now=NOW + timedelta(minutes=1))
    assert caught.value.number == first
    assert isinstance(caught.value, sub.Refused)
    assert f"already received as #{first}" in str(caught.value)
    assert f"#{first}" in caught.value.messages("me")[0]
    assert _rows(db) == 1
    # other content, another venue, or another kind is a new suggestion
    sub.submit(data, sub.UPDATE, {**fields, "note": "Another"}, db=db, now=NOW)
    sub.submit(data, sub.UPDATE, {**fields, "venue_id": "museum-sea"}, db=db, now=NOW)
    assert _rows(db) == 3


def test_a_decided_suggestion_may_be_sent_again(data, db, mini_copy):
    fields = {"venue_id": "museum-sea", "visit": "no"}
    first = sub.submit(data, sub.UPDATE, fields, db=db, now=NOW)
    sub.reject(mini_copy, first, "not now", db=db)
    assert sub.submit(data, sub.UPDATE, fields, db=db, now=NOW) != first


def test_a_new_venue_twice_is_stored_once(data, db):
    first = sub.submit(data, sub.VENUE, _venue(), db=db, now=NOW)
    with pytest.raises(sub.AlreadyPending) as caught:
        sub.submit(data, sub.VENUE, _venue(), db=db, now=NOW)
    assert caught.value.number == first
    assert _rows(db) == 1
