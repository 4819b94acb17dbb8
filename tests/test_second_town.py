"""A second, fictional town (``tests/fixtures/novo-izmisljeno``): another metric CRS,
time zone, country and a Cyrillic-script language. Every command and every page runs on
it through ``CREATIVE_MAP_DATA``, so nothing Kotor-specific is in code."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from mapping.cli import main
from mapping.io import load_dataset
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
