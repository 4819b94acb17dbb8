"""AppTest: the members' opening-hours field (pages/_hours_editor.py) — a sloppy value
gets a sentence and a proposal in the member's language, "Use this" takes it, the week
editor writes the value, and the form below keeps its place whatever the field shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping.store import DB_ENV_VAR
from tests.conftest import TESTS, open_app_page

FIXTURE = TESTS / "fixtures" / "members"
PAGE = "pages/members_page.py"
BOX = "upd_opening_hours"


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "members.sqlite"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    return path


def update_form(monkeypatch: pytest.MonkeyPatch, lang: str) -> AppTest:
    return open_app_page(monkeypatch, PAGE, FIXTURE, lang, part="update", venue="gal-b")


def shown(at: AppTest) -> str:
    items = [*at.markdown, *at.info, *at.success, *at.error, *at.warning]
    return " ".join(e.value for e in items).replace("\\", "")


def position(node: object, key: str, path: tuple[int, ...] = ()) -> tuple[int, ...] | None:
    """Where the widget ``key`` sits in the element tree (a remount follows a move)."""
    for index, child in getattr(node, "children", {}).items():
        if getattr(child, "key", None) == key:
            return (*path, index)
        found = position(child, key, (*path, index))
        if found is not None:
            return found
    return None


@pytest.mark.parametrize(
    ("lang", "problem", "question", "reading"),
    [
        (
            "me",
            "Vrijeme pišite kao 10:00-18:00",
            "Da li ste mislili `Mo-Fr 10:00-18:00`?",
            "To znači",
        ),
        ("en", "Write times as 10:00-18:00", "Did you mean `Mo-Fr 10:00-18:00`?", "That reads"),
    ],
)
def test_a_sloppy_value_gets_a_proposal_and_one_click_takes_it(
    monkeypatch: pytest.MonkeyPatch, lang: str, problem: str, question: str, reading: str
) -> None:
    at = update_form(monkeypatch, lang)
    at.text_input(key=BOX).input("pon-pet 10-18h").run()
    assert not at.exception
    text = shown(at)
    assert problem in text and question in text and reading in text
    assert "opening_hours" not in text and "expected" not in text  # no parser tokens
    at.button(key=f"{BOX}__use").click().run()
    assert at.text_input(key=BOX).value == "Mo-Fr 10:00-18:00"
    assert not at.error
    assert reading in " ".join(s.value for s in at.success)


def test_the_form_below_keeps_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    at = update_form(monkeypatch, "en")
    places = {position(at.main, "upd_lat")}
    for value in ("Mo-Fr 10:00-18:00", "pon-pet 10-18h", "nonsense", ""):
        at.text_input(key=BOX).input(value).run()
        places.add(position(at.main, "upd_lat"))
    at.text_input(key=BOX).input("pon-pet 10-18h").run()
    at.button(key=f"{BOX}__use").click().run()
    places.add(position(at.main, "upd_lat"))
    assert len(places) == 1 and None not in places


def test_the_week_editor_writes_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    at = update_form(monkeypatch, "en")
    at.checkbox(key=f"{BOX}__w0_5_closed").uncheck()  # Saturday open, 09:00-17:00
    at.checkbox(key=f"{BOX}__w0_0_two").check()  # Monday twice
    at.run()
    at.button(key=f"{BOX}__write").click().run()
    value = at.text_input(key=BOX).value
    assert value == "Mo 09:00-17:00,17:00-22:00; Tu-Sa 09:00-17:00"
    assert "That reads" in " ".join(s.value for s in at.success)
    # the grid keeps what was set (it is not read back from the venue's hours again)
    assert at.checkbox(key=f"{BOX}__w0_5_closed").value is False
    assert at.checkbox(key=f"{BOX}__w0_0_two").value is True


def test_same_as_monday_and_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    at = update_form(monkeypatch, "en")
    at.button(key=f"{BOX}__same0").click().run()
    at.selectbox(key=f"{BOX}__ph").select("closed").run()
    at.button(key=f"{BOX}__write").click().run()
    assert at.text_input(key=BOX).value == "Mo-Su 09:00-17:00; PH off"


def test_a_week_closed_in_both_seasons_is_written_off(monkeypatch: pytest.MonkeyPatch) -> None:
    at = update_form(monkeypatch, "en")
    at.toggle(key=f"{BOX}__season").set_value(True)
    for day in range(5):  # the default grid opens Mo-Fr; the off-season grid is closed
        at.checkbox(key=f"{BOX}__w0_{day}_closed").check()
    at.run()
    at.button(key=f"{BOX}__write").click().run()
    assert at.text_input(key=BOX).value == "off"
    assert not at.error and "closed" in " ".join(s.value for s in at.success).lower()


def test_a_venue_closed_all_year_is_read_into_a_closed_grid(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "town"
    shutil.copytree(FIXTURE, folder)
    venues = json.loads((folder / "venues.geojson").read_text(encoding="utf-8"))
    [gal_b] = [f for f in venues["features"] if f["properties"]["id"] == "gal-b"]
    gal_b["properties"]["opening_hours"] = "off"
    (folder / "venues.geojson").write_text(json.dumps(venues), encoding="utf-8")
    at = open_app_page(monkeypatch, PAGE, folder, "en", part="update", venue="gal-b")
    assert not at.exception
    assert not any("more than the week grid" in w.value for w in at.warning)
    assert at.toggle(key=f"{BOX}__season").value is False
    assert all(at.checkbox(key=f"{BOX}__w0_{day}_closed").value for day in range(7))


def test_an_existing_value_is_read_into_the_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_app_page(monkeypatch, PAGE, FIXTURE, "en", part="update", venue="gal-a")
    assert not at.exception
    # gal-a is open Mo-Sa 10:00-19:00: the grid shows it, no "does not fit" note
    assert not any("more than the week grid" in w.value for w in at.warning)
    assert str(at.time_input(key=f"{BOX}__w0_0_o1").value) == "10:00:00"
    assert at.checkbox(key=f"{BOX}__w0_6_closed").value is True
    assert at.checkbox(key=f"{BOX}__w0_5_closed").value is False


def test_a_one_season_value_is_read_with_its_months(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_app_page(monkeypatch, PAGE, FIXTURE, "en", part="update", venue="mus-c")
    assert not at.exception
    assert not any("more than the week grid" in w.value for w in at.warning)  # one season fits
    assert at.toggle(key=f"{BOX}__season").value is True


def test_the_new_venue_form_has_the_same_field(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_app_page(monkeypatch, PAGE, FIXTURE, "en", part="new")
    at.text_input(key="new_opening_hours").input("Mon–Sat 10am-6pm").run()
    assert "Did you mean `Mo-Sa 10:00-18:00`?" in shown(at)
    at.button(key="new_opening_hours__use").click().run()
    assert at.text_input(key="new_opening_hours").value == "Mo-Sa 10:00-18:00"
    assert not at.error
