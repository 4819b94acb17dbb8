"""Regression tests for the events of the December 2026 data audit (issue 23).

The audit (``shared/audits/2026-12-data-audit.md``, sections 4, 9 and 12) found event
claims that were wrong or stronger than their sources, and off-season items the data
lacked. These tests hold the corrections, the added items with their sources, and the
German text of every event. They read ``events.csv`` and ``venues.geojson`` as stored
(what a maintainer reviews in a diff) and never ask the clock: every date range is
written out.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date

import pytest

from mapping.events import occurrences, read_events
from mapping.i18n import localized
from tests.conftest import REPO_DATA

TZ = "Europe/Podgorica"


def _events() -> dict[str, dict[str, str]]:
    with (REPO_DATA / "events.csv").open(encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def _venues() -> dict[str, dict[str, object]]:
    with (REPO_DATA / "venues.geojson").open(encoding="utf-8") as fh:
        return {f["properties"]["id"]: f["properties"] for f in json.load(fh)["features"]}


def _texts(row: dict[str, str]) -> str:
    return " ".join(row[c] for c in row if c.startswith(("title", "description")))


def test_sea_rock_is_the_2018_edition_on_20_and_21_july() -> None:
    row = _events()["sea-rock"]
    assert (row["start"], row["end"], row["dates_confirmed"]) == (
        "2018-07-20",
        "2018-07-21",
        "true",
    )
    assert row["recurrence"] == ""
    assert "2018" in row["title"] and "2018" in row["title_en"]
    assert "2016" not in _texts(row)  # the 8th edition with this line-up was in 2018
    assert "997259" in row["source"]  # vijesti.me, July 2018: 20 and 21 July


def test_jazz_square_was_announced_as_new_in_2018_not_2016() -> None:
    row = _events()["pjaca-od-dzeza"]
    for field in ("description_me", "description_en", "description_de"):
        assert "2018" in row[field] and "2016" not in row[field], field
    assert "20839 (2018" in row["source"]


def test_klapa_festival_is_not_said_to_be_mostly_in_june() -> None:
    row = _events()["festival-klapa-perast"]
    text = _texts(row).lower()
    assert "mostly in june" not in text and "uglavnom u junu" not in text
    # the September editions the audit found are named, with their sources
    for year in ("2020", "2021", "2023"):
        assert year in row["description_en"], year
    assert "septemb" in row["description_me"].lower()
    assert "467333" in row["source"] and "radiotivat.com/2023/09/08" in row["source"]


def test_book_festival_window_and_organiser_follow_its_three_editions() -> None:
    row = _events()["feskk"]
    assert "HeraEDU" in row["organiser"]
    assert row["organiser"] != "KC „Nikola Đurković“ – Gradska biblioteka i čitaonica"
    # the window holds both September editions (6-8 Sep 2022, 24-26 Sep 2025)
    assert row["start"] <= "2026-09-06" and row["end"] >= "2026-09-26"
    assert row["dates_confirmed"] == "false"
    # and the description says the first edition was in December 2018
    assert "20–22. decembra 2018" in row["description_me"]
    assert "December 2018" in row["description_en"]
    assert "317245" in row["source"] and "page-19" in row["source"]


def test_ubrzaj_sources_carry_their_own_years() -> None:
    source = _events()["ubrzaj"]["source"]
    assert re.search(r"11227\S* \(2018", source)  # vijesti: Kotor 13-14 Dec 2018
    assert re.search(r"5211195 \(2023", source)  # dan.co.me: Kotor 12-13 Dec 2023


def test_camellia_concert_titles_are_per_year() -> None:
    row = _events()["note-od-kamelija"]
    assert "Latice kamelije na muzičkom putu" in row["description_me"]  # 2023
    assert "Note od kamelija" not in row["title"]  # the 2019 title, not a fixed name


def test_lode_are_said_from_the_cathedral_and_karike_say_their_place_is_unknown() -> None:
    events = _events()
    assert events["lode"]["venue_id"] == "katedrala-sv-tripuna"
    assert "loggia" in events["lode"]["description_en"]
    assert "not given" in events["karike"]["description_en"]


def test_carnival_windows_cover_the_editions_found() -> None:
    events = _events()
    carnival = events["zimski-karneval"]
    # editions ran from 2 February (2018) to 5 March (2023)
    assert carnival["start"] <= "2026-02-02" and carnival["end"] >= "2026-03-05"
    supper = events["prcanjska-pasticada"]
    assert supper["start"] <= "2026-02-10"  # not a late-February-only window


# id -> (start, end, confirmed, recurrence, a page the record must cite)
OFF_SEASON = {
    "djecija-nedjelja": (
        "2026-10-01",
        "2026-10-10",
        "false",
        "annual",
        "bibliotekakotor.me/?start=5",
    ),
    "dan-bibliotekara": ("2026-12-27", "2026-12-27", "true", "annual", "ubcgc.ac.me"),
    "koncert-pod-maskama": ("2026-02-01", "2026-02-28", "false", "annual", "13292"),
    "veliki-maskenbal": ("2026-02-01", "2026-02-28", "false", "annual", "feral.bar/post/42583"),
    "karneval-sc-kamelija": ("2026-02-01", "2026-02-28", "false", "annual", "42583"),
    "karnevalska-tombola": ("2026-02-01", "2026-02-28", "false", "annual", "745249"),
    "docek-nove-godine": ("2026-12-31", "2027-01-01", "false", "annual", "bokanews.me/kako-je"),
    "priganice-24-decembar": ("2026-12-24", "2026-12-24", "true", "annual", "kotor.travel"),
    "priganice-6-januar": ("2026-01-06", "2026-01-06", "true", "annual", "kotor.travel"),
    "bal-kamelija": ("2026-04-01", "2026-04-30", "false", "annual", "kameliji-u-cast"),
    "tripundan-blagdan": ("2026-02-03", "2026-02-03", "true", "annual", "u-susret-tripundanu"),
    "kotorski-krug": ("2019-09-17", "2019-09-21", "true", "", "401416"),
    "kotorart-book-square": ("2025-08-05", "2025-08-06", "true", "", "drina.com"),
    "svjetski-dan-muzike-2021": (
        "2021-06-21T20:00",
        "2021-06-21T20:00",
        "true",
        "",
        "radiokotor.info",
    ),
    "koncert-otvaranje-sezone-2024": ("2024-06-01", "2024-06-01", "true", "", "kolektiv.me/250742"),
}


@pytest.mark.parametrize("event_id", sorted(OFF_SEASON))
def test_audit_items_are_present_with_their_sources(event_id: str) -> None:
    row = _events()[event_id]
    start, end, confirmed, recurrence, cited = OFF_SEASON[event_id]
    got = (row["start"], row["end"], row["dates_confirmed"], row["recurrence"])
    assert got == (start, end, confirmed, recurrence)
    assert cited in row["source"]
    assert row["venue_id"] in _venues()


def test_fixed_days_of_the_coming_season_are_dated() -> None:
    # The calendar fixes these days; the next twelve months from the audit's date hold
    # each of them as a confirmed occurrence on that day.
    events, problems = read_events(REPO_DATA / "events.csv", TZ)
    assert problems == []
    occ = occurrences(events, date(2026, 12, 7), date(2027, 12, 6), TZ)
    dated = occ[occ["confirmed"]]
    days = {(r.event_id, r.occurrence_start.date()) for r in dated.itertuples()}
    for event_id, day in [
        ("priganice-24-decembar", date(2026, 12, 24)),
        ("dan-bibliotekara", date(2026, 12, 27)),
        ("priganice-6-januar", date(2027, 1, 6)),
        ("karike", date(2027, 1, 13)),
        ("lode", date(2027, 1, 27)),
        ("slava-spd-jedinstvo", date(2027, 1, 27)),
        ("tripundan-blagdan", date(2027, 2, 3)),
    ]:
        assert (event_id, day) in days, event_id


NEW_VENUES = {
    "hyatt-regency-kotor-bay": ("other-venue", "stoliv"),
    "sc-kamelija": ("other-venue", "kotor"),
    "nvu-kamelija-stoliv": ("creative-org", "stoliv"),
    "gradski-hor-kc": ("creative-org", "kotor"),
    "mandolinski-orkestar-nocturno": ("creative-org", "kotor"),
    "mandolinski-orkestar-tripo-tomas": ("creative-org", "kotor"),
    "klapa-bisernice-boke": ("creative-org", "kotor"),
    "klapa-maris": ("creative-org", "kotor"),
    "klapa-incanto": ("creative-org", "kotor"),
    "klapa-bokeljski-mornari": ("creative-org", "kotor"),
}


@pytest.mark.parametrize("venue_id", sorted(NEW_VENUES))
def test_new_venues_are_honest_about_their_place(venue_id: str) -> None:
    props = _venues()[venue_id]
    assert (props["category"], props["settlement"]) == NEW_VENUES[venue_id]
    # no source gives their position: they sit on their settlement's point and say so
    assert props["location_precision"] == "settlement"
    assert props["cited_lat"] is None and props["cited_lon"] is None
    assert str(props["source"]).strip()
    for lang in ("me", "en", "de"):
        assert str(props[f"description_{lang}"]).strip(), lang


def test_every_event_has_german_title_and_description() -> None:
    for event_id, row in _events().items():
        assert row["title_de"].strip(), event_id
        assert row["description_de"].strip(), event_id
        assert row["description_de"] != row["description_en"], event_id  # translated


def test_german_visitors_read_the_german_text(kotor) -> None:
    events = kotor.events.set_index("id")
    languages = kotor.city.languages
    row = events.loc["sea-rock"]
    assert localized(row, "title", "de", languages) == "Sea Rock Festival 2018 (8. Ausgabe)"
    assert localized(row, "description", "de", languages).startswith("Die 8. Ausgabe")


def test_boka_night_does_not_state_a_disputed_year_for_its_status() -> None:
    row = _events()["bokeljska-noc"]
    assert "2014" not in row["description_en"] and "2014" not in row["description_me"]
    assert "different years" in row["description_en"]
