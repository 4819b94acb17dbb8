"""The town profile: settings declared as data, every problem named with file, section, key."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from mapping import setting_parsers, setting_table
from mapping.errors import DataError
from mapping.setting_table import REQUIRED, SETTINGS
from mapping.settings import CityProfile, load_city

from .conftest import MINI, REPO_DATA

MINI_CITY = (MINI / "city.toml").read_text(encoding="utf-8")


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """``load_city`` on ``text``: the problem lines, or [] when it loads."""
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_city(path)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


def edit(old: str, new: str) -> str:
    assert old in MINI_CITY, old
    return MINI_CITY.replace(old, new)


def test_every_profile_field_is_one_setting():
    declared = [s.field for s in SETTINGS]
    assert len(declared) == len(set(declared))
    assert sorted(declared) == sorted(f.name for f in dataclasses.fields(CityProfile))
    assert len({s.key for s in SETTINGS}) == len(SETTINGS)


def test_each_default_is_written_once_in_its_setting():
    """A profile field's default comes from its Setting when a profile is built: never a
    second literal on the dataclass that could drift from what city.toml gets."""
    by_field = {s.field: s for s in SETTINGS}
    defaulted = 0
    for f in dataclasses.fields(CityProfile):
        setting = by_field[f.name]
        assert f.default is dataclasses.MISSING, f"{f.name}: default written on CityProfile"
        if f.default_factory is not dataclasses.MISSING:  # a field placed among required ones
            assert not setting.required, f.name  # may have none (country)
            assert f.default_factory() == setting.default, f.name
            defaulted += 1
    assert defaulted >= 9  # [precision], [limits] and [members] all default


def test_settings_have_help_and_a_default_or_required():
    for s in SETTINGS:
        assert s.help.strip(), s.key
        assert s.required == (s.default is REQUIRED)
        if not s.required:
            assert s.parse(s.default) == s.default, s.key  # the default passes its own check


@pytest.mark.parametrize("folder", [REPO_DATA, MINI], ids=["kotor", "mini"])
def test_shipped_profiles_load(folder):
    city = load_city(folder / "city.toml")
    assert city.default_language in city.languages
    assert isinstance(city.map_zoom, int)
    assert len(city.bbox) == 4


def test_optional_setting_takes_its_default(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text(edit('country = "ME"\n', ""), encoding="utf-8")
    assert load_city(path).country == ""


def test_missing_keys_are_all_listed(tmp_path):
    text = edit('timezone = "Europe/Podgorica"\n', "").replace("zoom = 14\n", "")
    assert problems_of(tmp_path, text) == [
        "city.toml:city:timezone: required setting is missing",
        "city.toml:map:zoom: required setting is missing",
    ]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "bbox = [18.50, 42.25, 18.90, 42.58]",
            "bbox = [18.5, 42.25, 18.9]",
            "city:bbox",
            r"expected four numbers \[west, south, east, north\]",
        ),
        (
            "bbox = [18.50, 42.25, 18.90, 42.58]",
            'bbox = [18.5, "a", 18.9, 42.5]',
            "city:bbox",
            "expected four numbers",
        ),
        (
            "bbox = [18.50, 42.25, 18.90, 42.58]",
            "bbox = [18.9, 42.25, 18.5, 42.58]",
            "city:bbox",
            "west < east",
        ),
        ("zoom = 14", 'zoom = "fourteen"', "map:zoom", "expected a whole-number zoom level"),
        ("zoom = 14", "zoom = 14.5", "map:zoom", "expected a whole-number zoom level"),
        (
            'timezone = "Europe/Podgorica"',
            'timezone = "Europe/Kotor"',
            "city:timezone",
            "expected an IANA time zone",
        ),
        (
            'default_language = "me"',
            'default_language = "fr"',
            "city:default_language",
            r"must be one of languages \['me', 'en'\], got 'fr'",
        ),
        (
            'languages = ["me", "en"]',
            'languages = ["me", "en", "xx"]',
            "city:languages",
            "no catalogue for 'xx': expected folder .*locales.*xx",
        ),
        (
            'languages = ["me", "en"]',
            "languages = []",
            "city:languages",
            "expected a non-empty list of language codes",
        ),
        (
            "speed_kmh = 4.5",
            "speed_kmh = 0",
            "walking:speed_kmh",
            "expected a number greater than zero, got 0",
        ),
        (
            "speed_kmh = 4.5",
            "speed_kmh = true",
            "walking:speed_kmh",
            "expected a number greater than zero, got True",
        ),
        (
            "detour_factor = 1.3",
            "detour_factor = 0.8",
            "walking:detour_factor",
            "expected a number of at least 1",
        ),
        (
            "off_season_months = [10, 11, 12, 1, 2, 3, 4]",
            "off_season_months = [10, 13]",
            "city:off_season_months",
            "expected a list of month numbers 1-12",
        ),
        (
            'metric_crs = "EPSG:32634"',
            'metric_crs = "EPSG:4326"',
            "city:metric_crs",
            "expected a projected CRS in metres",
        ),
        (
            'country = "ME"',
            'country = "Montenegro"',
            "city:country",
            "expected a two-letter ISO 3166 country code",
        ),
        (
            "center = [42.4247, 18.7712]",
            "center = [142.4, 18.7]",
            "map:center",
            r"expected two numbers \[latitude, longitude\]",
        ),
        (
            'url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"',
            'url = "https://x.org"',
            "tiles:url",
            "expected a tile URL template",
        ),
        ("zoom = 14", "zoom = 14\nzooom = 15", "map:zooom", "unknown setting"),
        ("[walking]", "[walk]", "walk:-", "unknown section"),
    ],
)
def test_wrong_value_names_file_section_and_key(tmp_path, old, new, where, message):
    found = problems_of(tmp_path, edit(old, new))
    mine = [p for p in found if p.startswith(f"city.toml:{where}: ")]
    assert mine, found
    assert any(re.search(message, p) for p in mine), mine


def test_every_problem_at_once(tmp_path):
    text = (
        edit("zoom = 14", 'zoom = "x"')
        .replace('timezone = "Europe/Podgorica"', 'timezone = "Nowhere/Town"')
        .replace("bbox = [18.50, 42.25, 18.90, 42.58]", "bbox = 3")
        .replace("detour_factor = 1.3\n", "")
    )
    fields = [p.split(": ")[0] for p in problems_of(tmp_path, text)]
    assert sorted(fields) == sorted(
        [
            "city.toml:city:timezone",
            "city.toml:city:bbox",
            "city.toml:walking:detour_factor",
            "city.toml:map:zoom",
        ]
    )


def test_unreadable_file_is_one_problem(tmp_path):
    with pytest.raises(DataError, match=r"city\.toml:-:-: file not found"):
        load_city(tmp_path / "city.toml")
    (tmp_path / "city.toml").write_text("[city\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"city\.toml:-:-: not valid TOML"):
        load_city(tmp_path / "city.toml")


def test_settings_table_lists_every_setting():
    table = setting_table.settings_table()
    for s in SETTINGS:
        assert f"| `[{s.section}]` | `{s.name}` |" in table


# --------------------------------------------------------------------------- issue 13


def edit_mini(old: str, new: str) -> str:
    assert old in MINI_CITY, old
    return MINI_CITY.replace(old, new, 1)


OSM_URL = 'url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"'
MINI_ATTR = 'attribution = "&copy; OpenStreetMap contributors"'


@pytest.mark.parametrize(
    "url",
    [
        "http://tile.example.org/{z}/{x}/{y}.png",  # plain text to another host
        "javascript:alert(1)//{z}/{x}/{y}",
        "https://tile.example.org/{z}/{x}.png",
        'https://tile.example.org/{z}/{x}/{y}.png\\" onerror=\\"x',
        "//tile.example.org/{z}/{x}/{y}.png",
        "https://{z}/{x}/{y}",  # no host
        "https://tile.example.org/{z}/{x}/{y}/{q}.png",  # not a Leaflet placeholder
    ],
)
def test_tile_url_must_be_https_template(tmp_path, url):
    found = problems_of(tmp_path, edit_mini(OSM_URL, f'url = "{url}"'))
    assert [p for p in found if p.startswith("city.toml:tiles:url: expected a tile URL")], found


@pytest.mark.parametrize(
    "url",
    [
        "https://{s}.tile.example.org/{z}/{x}/{y}{r}.png",
        "http://localhost:8080/{z}/{x}/{y}.png",
        "http://127.0.0.1/tiles/{z}/{x}/{y}.png",
    ],
)
def test_tile_url_accepts_https_and_this_machine(tmp_path, url):
    assert problems_of(tmp_path, edit_mini(OSM_URL, f'url = "{url}"')) == []


@pytest.mark.parametrize(
    ("attribution", "names"),
    [
        ("<img src=x onerror=alert(1)>", "<img>"),
        ('<a href="javascript:alert(1)">OSM</a>', "javascript:alert(1)"),
        ('<a href="https://osm.org" onmouseover="alert(1)">OSM</a>', "onmouseover"),
        ("<script>alert(1)</script>", "<script>"),
        ("OSM <!-- hidden -->", "comment"),
    ],
)
def test_attribution_with_more_than_text_and_links_is_refused(tmp_path, attribution, names):
    found = problems_of(tmp_path, edit_mini(MINI_ATTR, f"attribution = '{attribution}'"))
    mine = [p for p in found if p.startswith("city.toml:tiles:attribution: expected text")]
    assert mine and names in mine[0], found


def test_attribution_with_https_link_is_accepted(tmp_path):
    text = edit_mini(
        MINI_ATTR,
        "attribution = '&copy; <a href=\"https://www.openstreetmap.org/"
        "copyright\">OpenStreetMap</a> contributors'",
    )
    assert problems_of(tmp_path, text) == []


def test_centre_outside_the_study_area_is_named(tmp_path):
    found = problems_of(
        tmp_path, edit_mini("center = [42.4247, 18.7712]", "center = [18.7712, 42.4247]")
    )
    assert any(
        p.startswith(
            "city.toml:map:center: [18.7712, 42.4247] (latitude, longitude) "
            "is outside the study area"
        )
        for p in found
    ), found


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[city]\nname = "\xff"\n', "not UTF-8"),
        (b"x" * (setting_parsers.CITY_TOML_MAX_BYTES + 1), "larger than"),
    ],
)
def test_unreadable_city_toml_is_one_problem(tmp_path, content, message):
    path = tmp_path / "city.toml"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as info:
        load_city(path)
    assert [(p.file, p.record, p.field) for p in info.value.problems] == [("city.toml", "-", "-")]


def test_city_toml_that_is_a_folder_is_one_problem(tmp_path):
    (tmp_path / "city.toml").mkdir()
    with pytest.raises(DataError, match=r"city\.toml:-:-: is a folder"):
        load_city(tmp_path / "city.toml")


def test_limits_have_sane_defaults_and_are_checked(tmp_path):
    city = load_city(MINI / "city.toml")
    assert (city.name_max_chars, city.description_max_chars) == (200, 5000)
    assert (city.max_venues, city.max_file_mb) == (50_000, 100)
    assert city.max_file_bytes == 100 * 1024 * 1024
    text = MINI_CITY + "\n[limits]\nname_max_chars = 0\nmax_venues = 1.5\nmax_file_mb = true\n"
    found = problems_of(tmp_path, text)
    for key in ("name_max_chars", "max_venues", "max_file_mb"):
        assert any(
            p.startswith(f"city.toml:limits:{key}: expected a whole number of at least 1")
            for p in found
        ), (key, found)
