"""AppTest: damaged data folders, data changing under a running app, missing optional files.

Issue 13, items 1, 8 and 9. Whatever the loader raises, the visitor sees one short
message in their language and the maintainer the problems (file, record, field) in a
collapsed notice; no exception and no traceback reach the page. When the data breaks
under a running app, the last valid dataset keeps being served with a notice; when it
is fixed, the next run shows the new data.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping.errors import DataError
from mapping.store import DB_ENV_VAR
from tests.conftest import BROKEN, MINI, run_unprivileged, writable_copy
from tests.damage import DAMAGED
from tests.test_page_explore import make_app, shown_count
from tests.test_page_whats_on import open_page

UNAVAILABLE = "The map cannot be shown right now. Please try again later."
STALE = "The data folder has changed but cannot be loaded"


def page_text(at: AppTest) -> str:
    """Every text element of the page (what a visitor could read)."""
    parts = [
        e.value
        for kind in (
            "markdown",
            "error",
            "warning",
            "info",
            "code",
            "caption",
            "title",
            "subheader",
            "exception",
        )
        for e in getattr(at, kind)
        if isinstance(getattr(e, "value", None), str)
    ]
    return "\n".join(parts)


def assert_refused(at: AppTest, *names: str) -> None:
    """The run ended with the visitor's message and the maintainer's problem list."""
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [UNAVAILABLE]
    problems = at.code[0].value
    assert problems.strip()
    for name in names:
        assert name in problems
    assert "Traceback" not in page_text(at)
    assert 'File "' not in page_text(at)


def _venues(folder: Path) -> dict:
    return json.loads((folder / "venues.geojson").read_text(encoding="utf-8"))


def _write_venues(folder: Path, doc: dict) -> None:
    (folder / "venues.geojson").write_text(json.dumps(doc), encoding="utf-8")


# --------------------------------------------------------------------------- damaged folders


def test_missing_data_folder(monkeypatch, tmp_path):
    assert_refused(
        make_app(monkeypatch, folder=tmp_path / "nowhere", lang="en"),
        "data folder not found",
        "CREATIVE_MAP_DATA",
    )


def test_data_folder_is_a_file(monkeypatch, tmp_path):
    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    assert_refused(make_app(monkeypatch, folder=tmp_path / "data", lang="en"), "not a folder")


@pytest.mark.parametrize(
    "name", ["venues.geojson", "city.toml", "places.geojson", "categories.csv"]
)
def test_a_folder_where_a_file_should_be(monkeypatch, mini_copy, name):
    (mini_copy / name).unlink()
    (mini_copy / name).mkdir()
    assert_refused(make_app(monkeypatch, folder=mini_copy, lang="en"), name)


@pytest.mark.parametrize(
    ("broken", "replaces", "names"),
    [
        ("malformed.geojson", "venues.geojson", ["venues.geojson:-:-: malformed JSON"]),
        ("polygon.geojson", "venues.geojson", []),  # names the file once io raises DataError
        ("empty.geojson", "venues.geojson", ["venues.geojson"]),
    ],
)
def test_broken_venue_files(monkeypatch, broken_folder, broken, replaces, names):
    assert_refused(make_app(monkeypatch, folder=broken_folder(broken, replaces), lang="en"), *names)


def test_missing_required_file(monkeypatch, mini_copy):
    # A town needs city.toml and categories.csv; places.geojson is optional (issue 24).
    (mini_copy / "categories.csv").unlink()
    assert_refused(
        make_app(monkeypatch, folder=mini_copy, lang="en"), "categories.csv:-:-: file not found"
    )


def test_city_toml_not_utf8(monkeypatch, mini_copy):
    (mini_copy / "city.toml").write_bytes(b"\xff\xfe[city]\n")
    assert_refused(make_app(monkeypatch, folder=mini_copy, lang="en"))


def test_language_without_a_catalogue(monkeypatch, mini_copy):
    city = mini_copy / "city.toml"
    city.write_text(
        city.read_text(encoding="utf-8").replace('["me", "en"]', '["me", "en", "xx"]'),
        encoding="utf-8",
    )
    at = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert_refused(at, "city.toml:city:languages", "xx")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_unreadable_file(monkeypatch, open_tmp):
    # The app once on the intact fixture first: a child that is not root cannot import
    # what the interpreter loads lazily if the interpreter lives in root's home.
    assert shown_count(make_app(monkeypatch, folder=MINI, lang="en")) > 0
    folder = writable_copy(MINI, open_tmp / "data")

    def check() -> None:
        monkeypatch.setenv(DB_ENV_VAR, str(open_tmp / "members.sqlite"))
        (folder / "venues.geojson").chmod(0)
        assert_refused(
            make_app(monkeypatch, folder=folder, lang="en"),
            "venues.geojson:-:-: cannot be read (permission denied)",
        )

    run_unprivileged(check, open_tmp)  # as root, in a child that is not root


def test_any_exception_while_loading_is_one_line_not_a_traceback(monkeypatch, mini_copy):
    def crash(folder):
        raise PermissionError("[Errno 13] Permission denied: 'venues.geojson'\nsecond line")

    monkeypatch.setattr("pages.shared.load_served", crash)
    at = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert_refused(at, "PermissionError: [Errno 13] Permission denied: 'venues.geojson'")
    assert "second line" not in at.code[0].value


def test_data_error_problems_are_listed(monkeypatch, mini_copy):
    from mapping.errors import Problem

    def refuse(folder):
        raise DataError(
            [
                Problem("venues.geojson", "atelier-x", "id", "duplicate id"),
                Problem("events.csv", "row 3", "start", "not a date"),
            ]
        )

    monkeypatch.setattr("pages.shared.load_served", refuse)
    at = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert_refused(
        at, "venues.geojson:atelier-x:id: duplicate id", "events.csv:row 3:start: not a date"
    )


def test_visitor_message_in_the_link_language(monkeypatch, tmp_path):
    at = make_app(monkeypatch, folder=tmp_path / "nowhere", lang="me")
    assert at.error[0].value == "Mapa trenutno ne može biti prikazana. Pokušajte ponovo kasnije."
    assert at.expander[0].label == "Detalji za održavaoca podataka"


def _null_geometry(folder: Path) -> None:
    doc = _venues(folder)
    doc["features"][0]["geometry"] = None
    _write_venues(folder, doc)


def _duplicate_id(folder: Path) -> None:
    shutil.copyfile(BROKEN / "duplicate_id.geojson", folder / "venues.geojson")


def _missing_fields(folder: Path) -> None:
    shutil.copyfile(BROKEN / "missing_fields.geojson", folder / "venues.geojson")


def _category_columns(folder: Path) -> None:
    (folder / "categories.csv").write_text("id,label\natelier,Atelier\n", encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        _null_geometry,
        _duplicate_id,
        _missing_fields,
        _category_columns,
    ],
)
def test_damage_the_loader_accepts_never_raises(monkeypatch, mini_copy, damage: Callable):
    """Either refused with the notice, or shown: never an exception (both pages)."""
    damage(mini_copy)
    for at in (
        make_app(monkeypatch, folder=mini_copy, lang="en"),
        open_page(monkeypatch, folder=mini_copy),
    ):
        assert not at.exception, at.exception
        assert "Traceback" not in page_text(at)


# --------------------------------------------------------------------------- item 9


def test_no_events_file_gives_an_empty_whats_on(monkeypatch, mini_copy):
    (mini_copy / "events.csv").unlink()
    at = open_page(monkeypatch, folder=mini_copy)
    assert "No events in this range." in [i.value for i in at.info]
    assert not at.error
    explore = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert not explore.exception
    assert shown_count(explore) == 4


# --------------------------------------------------------------------------- item 8


def test_data_changing_under_a_running_app(monkeypatch, mini_copy):
    at = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert shown_count(at) == 4
    good = _venues(mini_copy)

    # A valid change: the next run shows the new data.
    _write_venues(mini_copy, {**good, "features": good["features"][:3]})
    at.run()
    assert not at.exception
    assert shown_count(at) == 3
    assert not at.expander

    # A broken change: the last valid data stays, and the maintainer is told why.
    (mini_copy / "venues.geojson").write_text(
        '{"type": "FeatureCollection", "feat', encoding="utf-8"
    )
    at.run()
    assert not at.exception
    assert shown_count(at) == 3
    assert not at.error
    assert at.expander[0].label.startswith(STALE)
    assert "venues.geojson:-:-: malformed JSON" in at.code[0].value

    # Other sessions (a new visitor) get the same last valid data.
    other = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert shown_count(other) == 3
    assert other.expander[0].label.startswith(STALE)

    # Fixed again: the new data, and no notice.
    _write_venues(mini_copy, {**good, "features": good["features"][0:3:2]})  # events keep venues
    at.run()
    assert shown_count(at) == 2
    assert not at.expander


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("no landmark left", "city.toml:city:default_start"),
        ("places without features", "city.toml:city:default_start"),
        ("venue unknown category", "venues.geojson:gal-durkovic:category"),
        ("event unknown venue", "events.csv:winter-show:venue_id"),
    ],
)
def test_a_live_edit_validate_refuses_keeps_the_last_good_data(
    monkeypatch, mini_copy, caplog, name, named
):
    """Issue 25: a good folder edited into one ``validate`` refuses (here: no landmark
    left, which the loader used to accept and Explore then showed an error box for)
    keeps serving the last good data; the server log names the problems."""
    at = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert shown_count(at) == 4
    damage, _ = DAMAGED[name]
    with caplog.at_level(logging.WARNING, logger="pages.shared"):
        damage(mini_copy)
        at.run()
    assert not at.exception
    assert not at.error
    assert shown_count(at) == 4
    assert named in caplog.text and "cannot be loaded" in caplog.text
    assert at.expander[0].label.startswith(STALE)
    other = make_app(monkeypatch, folder=mini_copy, lang="en")  # a new visitor, too
    assert shown_count(other) == 4 and not other.error


def test_data_folder_removed_under_a_running_app(monkeypatch, mini_copy):
    at = make_app(monkeypatch, folder=mini_copy, lang="en")
    assert shown_count(at) == 4
    shutil.rmtree(mini_copy)
    at.run()
    assert not at.exception
    assert shown_count(at) == 4
    assert "data folder not found" in at.code[0].value
