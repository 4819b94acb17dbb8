"""Validation names the file, record and field of every problem."""

from __future__ import annotations

import shutil

import pytest

from mapping.validate import validate_folder
from tests.conftest import BROKEN, MINI


def lines(folder) -> list[str]:
    return [str(p) for p in validate_folder(folder)]


def test_mini_folder_is_valid():
    assert lines(MINI) == []


@pytest.mark.parametrize(
    ("broken", "replaces", "expected"),
    [
        (
            "swapped.geojson",
            "venues.geojson",
            "venues.geojson:atelier-seasonal:geometry: point (42.44000, 18.76500) is outside the "
            "study area [18.5, 42.25, 18.9, 42.58]; latitude and longitude look swapped",
        ),
        (
            "unknown_category.geojson",
            "venues.geojson",
            "venues.geojson:museum-sea:category: unknown category 'spaceport'; expected one of: "
            "atelier, gallery, museum",
        ),
        ("duplicate_id.geojson", "venues.geojson", "venues.geojson:gal-durkovic:id: duplicate id"),
        ("bad_hours.geojson", "venues.geojson", "venues.geojson:gal-durkovic:opening_hours: "),
        (
            "cluster_text.geojson",
            "venues.geojson",
            (
                "venues.geojson:atelier-seasonal:cluster: got 'yes'; "
                "expected one of: member, prospective"
            ),
        ),
        (
            "polygon.geojson",
            "venues.geojson",
            "venues.geojson:atelier-perast:geometry: expected a Point, got Polygon",
        ),
        (
            "missing_fields.geojson",
            "venues.geojson",
            "venues.geojson:museum-sea:source: required field is missing or empty",
        ),
        (
            "missing_fields.geojson",
            "venues.geojson",
            "venues.geojson:museum-sea:location_precision: got 'roughly'; expected one of: exact, "
            "approximate, settlement",
        ),
        ("malformed.geojson", "venues.geojson", "venues.geojson:-:-: malformed JSON"),
        ("empty.geojson", "venues.geojson", "venues.geojson:-:-: file is empty"),
        ("events_unknown_venue.csv", "events.csv", "events.csv:ghost:venue_id:"),
        ("events_end_before_start.csv", "events.csv", "events.csv:backwards:end:"),
        ("events_unknown_category.csv", "events.csv", "events.csv:odd:category:"),
        (
            "places_negative_population.geojson",
            "places.geojson",
            "places.geojson:gate:population: population cannot be negative, got -5",
        ),
    ],
)
def test_broken_file_is_reported_precisely(broken_folder, broken, replaces, expected):
    found = lines(broken_folder(broken, replaces))
    assert any(line.startswith(expected) for line in found), found


def test_every_problem_is_collected(broken_folder):
    found = lines(broken_folder("three_problems.geojson", "venues.geojson"))
    heads = {":".join(line.split(":")[:3]) for line in found}
    assert {
        "venues.geojson:museum-sea:category",
        "venues.geojson:atelier-seasonal:geometry",
        "venues.geojson:gal-durkovic:opening_hours",
    } <= heads


def test_bad_hours_message_says_what_was_expected(broken_folder):
    found = lines(broken_folder("bad_hours.geojson", "venues.geojson"))
    hours_line = next(line for line in found if ":opening_hours:" in line)
    assert "25:00-26:00" in hours_line.split(":", 3)[3]


def test_missing_file_is_named(mini_copy):
    (mini_copy / "categories.csv").unlink()
    assert "categories.csv:-:-: file not found" in lines(mini_copy)


def test_city_toml_missing_keys_are_all_listed(mini_copy):
    text = (mini_copy / "city.toml").read_text(encoding="utf-8")
    text = text.replace('timezone = "Europe/Podgorica"\n', "").replace("speed_kmh = 4.5\n", "")
    (mini_copy / "city.toml").write_text(text, encoding="utf-8")
    found = lines(mini_copy)
    assert "city.toml:city:timezone: required setting is missing" in found
    assert "city.toml:walking:speed_kmh: required setting is missing" in found


def test_default_start_must_be_a_place(mini_copy):
    shutil.copyfile(BROKEN / "places_negative_population.geojson", mini_copy / "places.geojson")
    text = (mini_copy / "city.toml").read_text(encoding="utf-8")
    (mini_copy / "city.toml").write_text(text.replace('"gate"', '"nowhere"'), encoding="utf-8")
    assert any(line.startswith("city.toml:city:default_start:") for line in lines(mini_copy))


# --------------------------------------------------------------------------- issue 13


def test_control_characters_are_warnings_only_when_asked(mini_copy):
    import json

    path = mini_copy / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["name"] = "Galerija\x1b[31m"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert lines(mini_copy) == []
    found = validate_folder(mini_copy, warnings=True)
    assert [str(p) for p in found] == [
        "venues.geojson:gal-durkovic:name: warning: control character U+001B in the text; "
        "remove it (it may garble terminals and calendars)"
    ]
    assert found[0].level == "warning"


def test_event_control_characters_are_warned(mini_copy):
    path = mini_copy / "events.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Winter show", "Winter\x07show"), encoding="utf-8"
    )
    assert lines(mini_copy) == []
    assert [str(p).split(": warning")[0] for p in validate_folder(mini_copy, warnings=True)] == [
        "events.csv:winter-show:title_en"
    ]


@pytest.mark.parametrize(
    ("year", "field"), [("0001", "start"), ("1677", "start"), ("2262", "start"), ("9999", "start")]
)
def test_event_years_outside_the_range_are_named_not_crashed(mini_copy, year, field):
    path = mini_copy / "events.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2026-12-01T10:00", f"{year}-12-01T10:00"),
        encoding="utf-8",
    )
    found = lines(mini_copy)
    assert any(
        line.startswith(f"events.csv:winter-show:{field}: expected YYYY-MM-DD")
        and "1900-2199" in line
        for line in found
    ), found


def test_default_start_must_be_a_landmark(mini_copy):
    text = (mini_copy / "city.toml").read_text(encoding="utf-8")
    (mini_copy / "city.toml").write_text(text.replace('"gate"', '"oldtown"'), encoding="utf-8")
    assert (
        "city.toml:city:default_start: 'oldtown' is not a landmark (kind) in "
        "places.geojson; expected one of the landmarks ['gate', 'perast-shore']"
    ) in lines(mini_copy)


def test_names_and_descriptions_over_the_limits(mini_copy):
    text = (mini_copy / "city.toml").read_text(encoding="utf-8")
    (mini_copy / "city.toml").write_text(
        text + "\n[limits]\nname_max_chars = 10\ndescription_max_chars = 20\n", encoding="utf-8"
    )
    found = lines(mini_copy)
    assert (
        "venues.geojson:gal-durkovic:name: 17 characters; expected at most 10 "
        "([limits] name_max_chars in city.toml)"
    ) in found
    assert any(
        line.startswith(
            "venues.geojson:gal-durkovic:description_en: 29 characters; expected at most 20"
        )
        for line in found
    ), found


def test_missing_folder_is_one_problem(tmp_path):
    assert lines(tmp_path / "nowhere") == [
        f"city.toml:-:-: file not found: no data folder {tmp_path / 'nowhere'}"
    ]


def test_a_contact_column_without_any_text_is_checked_quietly(mini_copy):
    """Found by fuzzing: a ``website`` column that only holds nulls comes out float64,
    and ``fillna("")`` on it is a pandas deprecation (an error under our warning
    filter). Empty values are simply absent."""
    import json

    path = mini_copy / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        for field in ("website", "phone", "email", "checked"):
            feature["properties"].pop(field, None)
    doc["features"][0]["properties"]["website"] = None
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert [p for p in validate_folder(mini_copy) if p.field == "website"] == []


def test_unknown_visit_value_is_named(mini_copy):
    """``visit`` is yes / appointment / no or empty (unknown): the form and apply obey it,
    and so must a hand edit."""
    import json

    path = mini_copy / "venues.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["visit"] = "sometimes"
    path.write_text(json.dumps(doc), encoding="utf-8")
    venue = doc["features"][0]["properties"]["id"]
    assert (
        f"venues.geojson:{venue}:visit: got 'sometimes'; expected one of: yes, appointment, no"
    ) in lines(mini_copy)


def test_event_titles_over_the_limit_name_record_and_field(mini_copy):
    text = (mini_copy / "city.toml").read_text(encoding="utf-8")
    (mini_copy / "city.toml").write_text(text + "\n[limits]\ntitle_max_chars = 10\n", "utf-8")
    found = lines(mini_copy)
    assert (
        "events.csv:summer-fest:title_en: 15 characters; expected at most 10 "
        "([limits] title_max_chars in city.toml)"
    ) in found


def test_a_ten_megabyte_title_is_refused_by_record_not_by_file(mini_copy):
    path = mini_copy / "events.csv"
    huge = "T" * 10_000_000
    path.write_text(path.read_text(encoding="utf-8").replace("Winter show", huge), encoding="utf-8")
    found = lines(mini_copy)
    assert found == [
        "events.csv:winter-show:title_en: 10000000 characters; expected at most 300 "
        "([limits] title_max_chars in city.toml)"
    ], [line[:200] for line in found]
