"""A second, fictional town (``tests/fixtures/novo-izmisljeno``): another metric CRS,
time zone, country and a Cyrillic-script language. Every command and every page runs on
it through ``CREATIVE_MAP_DATA``, so nothing Kotor-specific is in code."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from mapping import i18n
from mapping.cli import main
from mapping.errors import DataError
from mapping.io import load_dataset
from mapping.settings import load_city
from mapping.validate import validate_folder
from tests.conftest import REPO_DATA, SECOND_TOWN, YEAR, writable_copy

APP = str(REPO_DATA.parent / "app.py")


def test_second_town_validates(capsys):
    assert main(["validate", str(SECOND_TOWN)]) == 0
    assert "no problems" in capsys.readouterr().out


def test_second_town_is_not_kotor():
    data = load_dataset(SECOND_TOWN, year=YEAR)
    assert data.city.metric_crs == "EPSG:31277"
    assert data.city.timezone == "Europe/Belgrade"
    assert data.venues.loc[data.venues["id"] == "galerija-zora", "name"].item() == "Галерија „Зора“"
    # metric x/y come from the town's CRS (Gauss-Krüger zone 7: false easting 7,500,000 m)
    assert data.venues["x"].between(7_400_000, 7_600_000).all()


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["info", "--lang", "en"],
        ["events", "--from", "2026-01-01", "--to", "2026-12-31"],
        ["events", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"],
        ["events", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "ics"],
    ],
)
def test_every_reading_command_runs(capsys, args):
    assert main([args[0], str(SECOND_TOWN), *args[1:]]) == 0
    assert capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["geojson", "csv", "html"])
def test_exports_run(tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(SECOND_TOWN), "--format", fmt, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Галерија" in text or "\\u0413" in text


def test_events_are_in_the_towns_time_zone(capsys):
    main(
        [
            "events",
            str(SECOND_TOWN),
            "--from",
            "2026-01-08",
            "--to",
            "2026-01-08",
            "--format",
            "ics",
        ]
    )
    ics = capsys.readouterr().out
    assert "TZID=Europe/Belgrade" in ics or "Europe/Belgrade" in ics


def test_import_commands_run(tmp_path):
    folder = writable_copy(SECOND_TOWN, tmp_path / "town")
    osm = tmp_path / "osm.geojson"
    osm.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "id": "node/1",
                        "properties": {
                            "@id": "node/1",
                            "tourism": "gallery",
                            "name": "Нова галерија",
                            "name:en": "New Gallery",
                        },
                        "geometry": {"type": "Point", "coordinates": [21.561, 43.751]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert main(["import", str(osm), "--into", str(folder)]) == 0
    names = set(load_dataset(folder, year=YEAR).venues["name"])
    assert "Нова галерија" in names


def app(monkeypatch, page: str | None = None, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(SECOND_TOWN))
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang.upper()
    if page:
        at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("lang", ["sr", "en"])
def test_explore_renders_for_the_second_town(monkeypatch, lang):
    at = app(monkeypatch, lang=lang)
    assert not at.exception
    title = at.title[0].value
    assert "Ново Измишљено" in title
    assert title == (
        "Креативна мапа: Ново Измишљено" if lang == "sr" else "Ново Измишљено Creative Map"
    )


def test_whats_on_renders_for_the_second_town(monkeypatch):
    at = app(monkeypatch, page="pages/whats_on_page.py", lang="en")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "festivals in Ново Измишљено" in captions  # the What's on intro, with the town


@pytest.mark.parametrize("lang", ["sr", "en"])
def test_planning_renders_for_the_second_town(monkeypatch, lang):
    at = app(monkeypatch, page="pages/planning_page.py", lang=lang)
    assert not at.exception
    assert at.title[0].value.startswith("Планирање" if lang == "sr" else "Planning")


def test_gaps_and_report_run_for_the_second_town(tmp_path, capsys):
    assert main(["gaps", str(SECOND_TOWN), "--month", "off-season"]) == 0
    out = tmp_path / "report.html"
    assert main(["report", str(SECOND_TOWN), "--out", str(out)]) == 0
    assert "Ново Измишљено" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- a new town
# tests/fixtures/new-town: only city.toml, categories.csv and its own Macedonian
# catalogue (locales/mk/) — a town before its first import (issue 24 item 11).

NEW_TOWN = SECOND_TOWN.parent / "new-town"


@pytest.fixture
def own_registry(monkeypatch):
    """Town catalogues registered during the test are forgotten after it."""
    monkeypatch.setattr(i18n, "_town_catalogues", {})


def test_a_town_from_an_empty_folder_validates(capsys, own_registry):
    assert main(["validate", str(NEW_TOWN)]) == 0
    out = capsys.readouterr().out
    assert "0 venues, 3 categories, 0 events, 1 places; no problems" in out
    data = load_dataset(NEW_TOWN, year=YEAR)
    assert data.venues.empty and data.events.empty and data.problems == ()
    assert data.places[["id", "name", "kind"]].to_dict("records") == [
        {"id": "centar", "name": "Ново Место", "kind": "landmark"}
    ]


def test_missing_optional_files_are_warnings_that_say_what_to_do(own_registry):
    found = [str(p) for p in validate_folder(NEW_TOWN, warnings=True)]
    assert (
        "venues.geojson:-:-: warning: file not found: no venues yet "
        "(python -m mapping import adds them)"
    ) in found
    assert validate_folder(NEW_TOWN) == []


def test_a_towns_own_language_needs_no_file_of_the_code_tree(own_registry):
    assert not (i18n.LOCALES_DIR / "mk").exists()
    with pytest.raises(KeyError, match="locales/mk/ in the data folder"):
        i18n.t("app.language", "mk")
    city = load_city(NEW_TOWN / "city.toml")
    assert city.languages == ("mk", "en")
    assert i18n.t("app.language", "mk") == "Језик"
    assert i18n.plural("whats_on.count", "mk", 5).startswith("5 ")
    assert "mk" in i18n.available_languages()


def test_a_language_without_a_catalogue_is_refused_naming_both_places(tmp_path, own_registry):
    folder = writable_copy(NEW_TOWN, tmp_path / "town")
    shutil.rmtree(folder / "locales")
    with pytest.raises(DataError) as caught:
        load_city(folder / "city.toml")
    message = str(caught.value.problems[0])
    assert message.startswith("city.toml:city:languages: no catalogue for 'mk': expected folder")
    assert str(folder / "locales" / "mk") in message


def test_another_town_does_not_gain_the_language(tmp_path, own_registry):
    load_city(NEW_TOWN / "city.toml")  # registers mk in this process
    folder = writable_copy(NEW_TOWN, tmp_path / "town")
    shutil.rmtree(folder / "locales")
    with pytest.raises(DataError, match="no catalogue for 'mk'"):
        load_city(folder / "city.toml")


def test_an_incomplete_town_catalogue_is_refused_by_key(tmp_path, own_registry):
    folder = writable_copy(NEW_TOWN, tmp_path / "town")
    ui = folder / "locales" / "mk" / "ui.toml"
    text = ui.read_text(encoding="utf-8")
    first_key = next(line for line in text.splitlines() if "=" in line and not line.startswith("#"))
    ui.write_text(text.replace(first_key + "\n", "", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_city(folder / "city.toml")
    problems = caught.value.problems
    assert any(p.file == "locales/mk" and p.message.startswith("missing key") for p in problems)


def test_the_first_import_starts_the_town(tmp_path, own_registry):
    folder = writable_copy(NEW_TOWN, tmp_path / "town")
    osm = tmp_path / "skopje.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"@id": "node/7", "tourism": "museum", "name": "Музеј на градот"},
            "geometry": {"type": "Point", "coordinates": [21.43, 42.0]},
        },
        {
            "type": "Feature",
            "properties": {
                "@id": "way/8",
                "amenity": "library",
                "name": "Градска библиотека",
                "name:mk": "Градска библиотека",
                "name:en": "City Library",
            },
            "geometry": {"type": "Point", "coordinates": [21.44, 42.0]},
        },
    ]
    osm.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    assert main(["import", str(osm), "--into", str(folder)]) == 0
    data = load_dataset(folder, year=YEAR)
    assert sorted(data.venues["id"]) == ["city-library", "muzej-na-gradot"]
    assert validate_folder(folder) == []


@pytest.mark.parametrize(
    ("page", "lang"),
    [
        (None, "mk"),
        (None, "en"),
        ("pages/whats_on_page.py", "mk"),
        ("pages/planning_page.py", "en"),
        ("pages/planning_page.py", "mk"),
        ("pages/members_page.py", "en"),
    ],
)
def test_every_page_renders_for_a_town_without_venues(monkeypatch, own_registry, page, lang):
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(NEW_TOWN))
    load_city(NEW_TOWN / "city.toml")  # as the app's (possibly cached) load did
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang.upper()
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception
    assert not at.error


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["events", "--from", "2026-01-01", "--to", "2026-12-31"],
        ["gaps", "--month", "off-season"],
    ],
)
def test_every_reading_command_runs_for_a_town_without_venues(capsys, own_registry, args):
    assert main([args[0], str(NEW_TOWN), *args[1:]]) == 0
    assert capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["geojson", "csv", "html"])
def test_exports_run_for_a_town_without_venues(tmp_path, capsys, own_registry, fmt):
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(NEW_TOWN), "--format", fmt, "--out", str(out)]) == 0
    assert "wrote 0 venues" in capsys.readouterr().out
