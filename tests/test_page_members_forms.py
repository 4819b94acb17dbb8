"""AppTest: the For members page's suggestion forms (issue 20 items 2-4): events from
date and time pickers, a pasted location, the map that keeps its place, and a send
that empties the form and is stored once."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapping import clock, submissions
from mapping.events import moment_label
from mapping.io import load_dataset
from tests.test_page_members import FIXTURE, database, open_members, texts

__all__ = ["database"]  # the fixture, used by name


def today() -> date:
    return clock.now(load_dataset(FIXTURE).city.timezone).date()


def path_of(node, suffix: str, trail: tuple = ()) -> tuple | None:
    """Where the container keyed ``...suffix`` sits in the element tree (the child
    indices from the root): what Streamlit keys a mounted element by."""
    for index, child in getattr(node, "children", {}).items():
        here = (*trail, index)
        if str(getattr(getattr(child, "proto", None), "id", "")).endswith(suffix):
            return here
        found = path_of(child, suffix, here)
        if found is not None:
            return found
    return None


def stored(db) -> list[submissions.Submission]:
    return submissions.listed(FIXTURE, db=db)


def event_form(monkeypatch, lang: str = "en", folder: Path = FIXTURE) -> AppTest:
    at = open_members(monkeypatch, lang, folder, part="event", venue="gal-a")
    at.text_input(key="evt_title_me").input("Koncert")
    at.selectbox(key="evt_category").select("concert")
    return at


def town_speaking(tmp_path: Path, lang: str) -> Path:
    """The fixture town, or a copy of it that also speaks ``lang`` (it has me and en)."""
    city = load_dataset(FIXTURE).city
    if lang in city.languages:
        return FIXTURE
    folder = tmp_path / "town"
    shutil.copytree(FIXTURE, folder)
    toml = folder / "city.toml"
    old = f"languages = {json.dumps(list(city.languages))}"
    new = f"languages = {json.dumps([*city.languages, lang])}"
    toml.write_text(toml.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    for name in ("categories.csv", "event_categories.csv"):  # labels: English's words
        table = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        table[f"label_{lang}"] = table["label_en"]
        table.to_csv(folder / name, index=False)
    assert lang in load_dataset(folder).city.languages
    return folder


def test_a_dated_event_from_the_pickers_is_stored_in_the_files_form(monkeypatch, database):
    day = today() + timedelta(days=30)
    at = event_form(monkeypatch)
    assert at.radio(key="evt_timing").value == "dated"
    at.date_input(key="evt_start_day").set_value(day)
    at.time_input(key="evt_start_time").set_value(time(19, 30))
    at.date_input(key="evt_end_day").set_value(day)
    at.time_input(key="evt_end_time").set_value(time(21, 0)).run()
    assert not at.error
    at.button(key="evt_send").click().run()
    assert not at.exception, at.exception
    [item] = stored(database)
    assert item.fields["start"] == f"{day.isoformat()}T19:30"
    assert item.fields["end"] == f"{day.isoformat()}T21:00"
    assert item.fields["timing"] == "dated"
    assert "number #1" in texts(at)
    # the form is empty again, the pickers too
    assert at.date_input(key="evt_start_day").value is None
    assert at.time_input(key="evt_start_time").value is None
    assert at.text_input(key="evt_title_me").value == ""


def test_a_date_without_times_is_a_whole_day(monkeypatch, database):
    day = today() + timedelta(days=3)
    at = event_form(monkeypatch)
    at.date_input(key="evt_start_day").set_value(day).run()
    at.button(key="evt_send").click().run()
    [item] = stored(database)
    assert item.fields["start"] == day.isoformat() and "end" not in item.fields


@pytest.mark.parametrize(
    ("lang", "label", "words"),
    [
        ("me", "Kraj:", "je prije početka"),
        ("en", "End:", "is before the start"),
        ("de", "Ende:", "liegt vor dem Beginn"),
    ],
)
def test_an_end_before_the_start_is_named_in_the_members_language(
    monkeypatch, database, tmp_path, lang, label, words
):
    day = today() + timedelta(days=10)
    at = event_form(monkeypatch, lang, town_speaking(tmp_path, lang))
    at.date_input(key="evt_start_day").set_value(day)
    at.time_input(key="evt_start_time").set_value(time(19, 30))
    at.date_input(key="evt_end_day").set_value(day - timedelta(days=1))
    at.time_input(key="evt_end_time").set_value(time(18, 0)).run()
    said = [e.value.replace("\\", "") for e in at.error]
    assert said and said[0].startswith(label) and words in said[0]  # said before any send
    # the dates as the member's language writes them (events.moment_label), never ISO
    start = datetime.combine(day, time(19, 30))
    assert moment_label(start, lang) in said[0]
    assert moment_label(datetime.combine(day - timedelta(days=1), time(18, 0)), lang) in said[0]
    assert day.isoformat() not in said[0]
    at.button(key="evt_send").click().run()
    assert stored(database) == []
    said = [e.value.replace("\\", "") for e in at.error]
    assert len(said) == 2 and said[1].startswith(label) and words in said[1]  # and at send


def test_a_weekly_event_names_its_weekday(monkeypatch, database):
    day = today() + timedelta(days=(3 - today().weekday()) % 7 + 7)  # a Thursday
    at = event_form(monkeypatch, "me")
    at.radio(key="evt_timing").set_value("weekly").run()
    at.date_input(key="evt_start_day").set_value(day)
    at.time_input(key="evt_start_time").set_value(time(20, 0)).run()
    assert "četvrtak" in texts(at).lower()
    at.button(key="evt_send").click().run()
    [item] = stored(database)
    assert (item.fields["timing"], item.fields["start"]) == ("weekly", f"{day}T20:00")


def test_a_window_to_be_confirmed_is_picked_by_month_names(monkeypatch, database):
    year = today().year + 1
    at = event_form(monkeypatch, "me")
    at.radio(key="evt_timing").set_value("annual_tbc").run()
    months = at.selectbox(key="evt_first_month")
    assert "jul" in [label.lower() for label in months.options]  # the month's name
    at.selectbox(key="evt_first_month").set_value(7)
    at.selectbox(key="evt_first_year").set_value(year)
    at.selectbox(key="evt_last_month").set_value(8)
    at.selectbox(key="evt_last_year").set_value(year).run()
    at.button(key="evt_send").click().run()
    [item] = stored(database)
    assert (item.fields["start"], item.fields["end"]) == (f"{year}-07-01", f"{year}-08-31")
    assert item.fields["timing"] == "annual_tbc"


def test_sent_twice_it_is_stored_once_and_the_form_empties(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="update", venue="gal-b")
    for _ in range(2):
        at.text_input(key="upd_website").input("https://example.me/b").run()
        at.button(key="upd_send").click().run()
        assert at.text_input(key="upd_website").value == ""  # emptied after each send
    assert len(stored(database)) == 1
    assert "already received as #1" in texts(at)
    at = open_members(monkeypatch, "me", part="update", venue="gal-b")
    at.text_input(key="upd_website").input("  https://example.me/b ").run()
    at.button(key="upd_send").click().run()
    assert "već primljen pod brojem #1" in texts(at)
    assert len(stored(database)) == 1


def test_a_pasted_link_fills_the_location(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="new")
    at.text_input(key="new_paste").input(
        "https://www.google.com/maps/place/Galerija/@42.4200,18.7600,15z/"
        "data=!4m6!3m5!1s0x1:0x2!8m2!3d42.4247!4d18.7712"
    ).run()
    assert at.text_input(key="new_lat").value == "42.424700"
    assert at.text_input(key="new_lon").value == "18.771200"
    assert "Read as 42.42470, 18.77120" in texts(at)
    at.text_input(key="new_name").input("Nova")
    at.selectbox(key="new_category").select("gallery").run()
    at.button(key="new_send").click().run()
    [item] = stored(database)
    assert (item.fields["lat"], item.fields["lon"]) == (42.4247, 18.7712)
    assert at.text_input(key="new_paste").value == "" and at.text_input(key="new_lat").value == ""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("https://maps.app.goo.gl/AbCdEf123", "short link"),
        ("https://www.openstreetmap.org/node/2412345678", "names a map object (node/2412345678)"),
        ("45.8150, 15.9819", "outside the map's area"),
    ],
)
def test_a_pasted_text_without_a_point_says_why(monkeypatch, database, text, words):
    at = open_members(monkeypatch, "en", part="new")
    at.text_input(key="new_paste").input(text).run()
    assert at.error and words in at.error[0].value.replace("\\", "")
    assert at.text_input(key="new_lat").value == ""


def test_swapped_numbers_are_put_right(monkeypatch, database):
    at = open_members(monkeypatch, "en", part="update", venue="gal-b")
    at.text_input(key="upd_paste").input("18.7712, 42.4247").run()
    assert (at.text_input(key="upd_lat").value, at.text_input(key="upd_lon").value) == (
        "42.424700",
        "18.771200",
    )


def test_the_map_keeps_its_place_when_the_hours_preview_comes_and_goes(monkeypatch, database):
    """The picker's container sits at one path in the element tree whatever appears
    above it (Streamlit would remount a moved map: the blank map of issue 20)."""
    at = open_members(monkeypatch, "en", part="update", venue="gal-b")
    before = path_of(at._tree, "upd-location")
    assert before is not None
    at.text_input(key="upd_opening_hours").input("Mo-Fr 10:00-18:00").run()
    assert "Mon–Fri" in " ".join(s.value for s in at.success)  # the reading appeared above
    assert path_of(at._tree, "upd-location") == before
    at.text_input(key="upd_opening_hours").input("Mo-Fr 25:00").run()  # an error instead
    assert path_of(at._tree, "upd-location") == before
    at.text_input(key="upd_opening_hours").input("Mo-Fr 10:00-18:00").run()
    at.button(key="upd_send").click().run()
    assert stored(database) and path_of(at._tree, "upd-location") == before


def test_the_event_form_keeps_its_fields_in_place_across_timings(monkeypatch, database):
    at = event_form(monkeypatch)
    before = path_of(at._tree, "evt-when")
    at.radio(key="evt_timing").set_value("annual_tbc").run()
    assert path_of(at._tree, "evt-when") == before
