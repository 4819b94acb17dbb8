"""The map builder, checked by reading the HTML/JS it generates (no browser here)."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import geopandas as gpd
import orjson
import pandas as pd
import pytest
import shapely

from mapping import clock, hours, render, schema, synthetic
from mapping.i18n import catalogue, t
from mapping.io import Dataset
from mapping.render import (
    ASSET_BASE,
    DIRECTIONS_URL,
    MapOptions,
    MapPayload,
    build_map,
    build_payload,
    map_html,
    venue_map,
)
from mapping.settings import CityProfile
from mapping.text import escape

CITY = CityProfile(
    name="Testtown",
    languages=("me", "en"),
    default_language="me",
    timezone="Europe/Podgorica",
    country="ME",
    metric_crs="EPSG:32634",
    bbox=(18.50, 42.25, 18.90, 42.58),
    default_start="gate",
    off_season_months=(11, 12, 1),
    peak_months=(7, 8),
    walking_speed_kmh=4.5,
    detour_factor=1.3,
    tile_url="https://tile.example.org/{z}/{x}/{y}.png",
    tile_attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OSM</a>',
    map_center=(42.4247, 18.7712),
    map_zoom=14,
)
CATEGORIES = pd.DataFrame(
    {
        "id": ["atelier", "gallery", "museum", "cinema"],
        "label_me": ["Ateljei i zanati", "Galerije", "Muzeji", "Bioskopi"],
        "label_en": ["Ateliers & crafts", "Galleries", "Museums", "Cinemas"],
        "colour": ["#CC6677", "#332288", "#117733", "#DDCC77"],
        "icon": ["scissors", "palette", "landmark", "film"],
        "group": ["visual", "visual", "heritage", "film"],
    }
)
# A Friday in July, after closing time everywhere but the 24/7 venue.
WHEN = datetime(2026, 7, 10, 20, 30, tzinfo=ZoneInfo("Europe/Podgorica"))
XSS_NAME = "<img src=x onerror=alert(1)>"
TEMPLATE_NAME = "${alert(2)}"
SLASHES_NAME = "Back`tick\\ and \\` end"
SCRIPT_DESC = "</script><script>alert(3)</script>"
JINJA_DESC = "{{ 7*7 }} {% if true %}x{% endif %}"


def _venues() -> gpd.GeoDataFrame:
    rows = [
        # id, name, name_en, category, cluster, precision, desc_me, desc_en, hours, website,
        # wheelchair, lon, lat
        (
            "gal",
            "Galerija Đurković",
            "Đurković Gallery",
            "gallery",
            "prospective",
            "exact",
            "Savremena umjetnost.",
            "Contemporary art.",
            "Mo-Sa 10:00-18:00",
            "https://example.org/gallery",
            "limited",
            18.7712,
            42.4247,
        ),
        (
            "xss-img",
            XSS_NAME,
            "",
            "atelier",
            "",
            "approximate",
            SCRIPT_DESC,
            "",
            "",
            "javascript:alert(4)",
            "",
            18.7720,
            42.4252,
        ),
        (
            "xss-tpl",
            TEMPLATE_NAME,
            "",
            "atelier",
            "",
            "settlement",
            "",
            JINJA_DESC,
            "Mo-Su off",
            "",
            "no",
            18.7700,
            42.4240,
        ),
        (
            "xss-slash",
            SLASHES_NAME,
            "",
            "museum",
            "member",
            "exact",
            "Samo crnogorski opis.",
            "",
            "24/7",
            "http://example.org/a?b=1&c=2",
            "yes",
            18.7690,
            42.4260,
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "name_en",
            "category",
            "cluster",
            "location_precision",
            "description_me",
            "description_en",
            "opening_hours",
            "website",
            "wheelchair",
            "lon",
            "lat",
        ],
    )
    frame["cluster_year"] = pd.array([2018, None, None, None], dtype="Int64")
    frame["address"] = ["Stari grad 312", "", "", ""]
    frame["phone"] = ["+382 32 123 456", "", "", ""]
    frame["email"] = ["info@example.org", "not an email", "", ""]
    frame["social"] = ["https://instagram.com/gal; @gal", "", "", ""]
    for column in ("settlement", "source"):
        frame[column] = ""
    geometry = shapely.points(frame.pop("lon"), frame.pop("lat"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


VENUES = _venues()


def _build(lang: str = "en", **kwargs: object) -> str:
    """The page for ``VENUES``; ``now`` is ``WHEN`` unless given."""
    options = MapOptions(**({"now": WHEN} | kwargs))  # type: ignore[arg-type]  # test shorthand
    return map_html(build_map(VENUES, CATEGORIES, CITY, lang, options))


def _payload(html: str) -> dict:
    """The JSON document handed to the venue script, read back from the page."""
    match = re.search(r"kcmVenueMap\.update\((\{.*\})\);\s*$", html, flags=re.MULTILINE)
    assert match, "venue payload not found in the HTML"
    return orjson.loads(match.group(1))


def _base(html: str) -> dict:
    """The base options handed to the venue runtime (tiles, attribution, images)."""
    match = re.search(r"\((map_[0-9a-z]+), (\{.*\})\);\s*$", html, flags=re.MULTILINE)
    assert match, "venue runtime call not found in the HTML"
    return orjson.loads(match.group(2))


def _rows(payload: dict) -> dict[str, tuple[dict, int]]:
    """venue id -> (its layer, its row in that layer)."""
    return {vid: (layer, i) for layer in payload["layers"] for i, vid in enumerate(layer["id"])}


@pytest.fixture(scope="module")
def html_en() -> str:
    return _build(
        "en",
        start=(42.4245, 18.7710, "Sea <Gate>"),
        selected="gal",
        extra_lines={"gal": ["12 Jul 20:00 — Koncert <b>", "`${x}`"]},
        extra_title="Upcoming events",
    )


@pytest.fixture(scope="module")
def payload_en(html_en: str) -> dict:
    return _payload(html_en)


# --------------------------------------------------------------------------- layers, legend


def test_one_layer_per_category_present_in_catalogue_order(payload_en: dict) -> None:
    ids = [payload_en["cats"][layer["c"]]["id"] for layer in payload_en["layers"]]
    assert ids == ["atelier", "gallery", "museum"]  # "cinema" has no venue: no layer
    assert [cat["n"] for cat in payload_en["cats"]] == [2, 1, 1]


def test_payload_holds_every_venue_once(payload_en: dict) -> None:
    ids = [vid for layer in payload_en["layers"] for vid in layer["id"]]
    assert sorted(ids) == sorted(VENUES["id"])
    for layer in payload_en["layers"]:
        n = len(layer["id"])
        assert len(layer["la"]) == len(layer["lo"]) == len(layer["n"]) == len(layer["f"]) == n


def test_coordinates_round_trip_to_five_decimals(payload_en: dict) -> None:
    layer, i = _rows(payload_en)["gal"]
    assert (layer["la0"] + layer["la"][i]) / 1e5 == 42.4247
    assert (layer["lo0"] + layer["lo"][i]) / 1e5 == 18.7712


def test_legend_and_layer_names_have_label_colour_and_icon(payload_en: dict, html_en: str) -> None:
    cats = {cat["id"]: cat for cat in payload_en["cats"]}
    # ink on #CC6677: luminance 0.237, contrast 3.7 with white, 4.3 with #1d2733
    assert cats["atelier"] == {
        "id": "atelier",
        "l": escape("Ateliers & crafts"),
        "c": "#CC6677",
        "k": "#1d2733",
        "i": "scissors",
        "n": 2,
    }
    assert cats["gallery"]["i"] == "palette" and cats["gallery"]["c"] == "#332288"
    assert cats["gallery"]["k"] == "#ffffff"  # white icon on dark blue
    assert "map-legend" in html_en and "L.control.layers" in html_en
    assert "venue-marker" in html_en and "data-venue-id" in html_en


def test_unknown_category_still_gets_a_layer_with_fallbacks() -> None:
    venues = VENUES.assign(category=["gallery", "mystery", "atelier", "museum"])
    payload = _payload(map_html(build_map(venues, CATEGORIES, CITY, "en", MapOptions(now=WHEN))))
    mystery = next(cat for cat in payload["cats"] if cat["id"] == "mystery")
    # ink on grey #777777: luminance 0.185, contrast 4.5 with white, 3.5 with #1d2733
    assert mystery == {
        "id": "mystery",
        "l": "mystery",
        "c": "#777777",
        "k": "#ffffff",
        "i": "location-dot",
        "n": 1,
    }
    assert payload["cats"][-1]["id"] == "mystery"  # unknown ids come after the catalogue


def test_bad_colour_and_icon_in_categories_are_not_passed_through() -> None:
    cats = CATEGORIES.assign(
        colour=["red;background:url(x)", "#332288", "#117733", "#DDCC77"],
        icon=['x" onmouseover="alert(1)', "palette", "landmark", "film"],
    )
    payload = _payload(map_html(build_map(VENUES, cats, CITY, "en", MapOptions(now=WHEN))))
    atelier = payload["cats"][0]
    assert (atelier["c"], atelier["i"]) == ("#777777", "location-dot")


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "raw",
    [
        XSS_NAME,
        TEMPLATE_NAME,
        SLASHES_NAME,
        SCRIPT_DESC,
        "javascript:alert(4)",
        "Sea <Gate>",
        "Koncert <b>",
        "`${x}`",
    ],
)
def test_data_never_appears_raw_in_the_page(html_en: str, raw: str) -> None:
    assert raw not in html_en


def test_escaped_forms_are_what_the_payload_carries(payload_en: dict) -> None:
    rows = _rows(payload_en)
    for vid, name in (
        ("xss-img", XSS_NAME),
        ("xss-tpl", TEMPLATE_NAME),
        ("xss-slash", SLASHES_NAME),
    ):
        layer, i = rows[vid]
        assert layer["n"][i] == escape(name)
    layer, i = rows["xss-img"]
    # no English description: the Montenegrin one, with the note saying so (escaped whole)
    assert layer["d"][i] == escape(f"{SCRIPT_DESC} (Text in Montenegrin)")
    assert payload_en["start"] == [42.4245, 18.771, escape("Sea <Gate>")]


def test_only_our_script_tags_close(html_en: str) -> None:
    # every </script> closes a <script> we wrote: data cannot end a script early
    assert html_en.count("</script>") == html_en.count("<script")
    assert "<!--" not in html_en


def test_payload_has_no_angle_brackets_at_all(html_en: str) -> None:
    script = re.search(r"kcmVenueMap\.update\((\{.*\})\);\s*$", html_en, flags=re.MULTILINE)
    assert script and "<" not in script.group(1) and ">" not in script.group(1)


def test_rendered_text_is_not_compiled_as_a_jinja_template() -> None:
    # branca re-compiles rendered macros as templates; ours must stay verbatim
    html = _build("en")
    layer, i = _rows(_payload(html))["xss-tpl"]
    assert layer["d"][i] == escape(JINJA_DESC)
    assert escape("{{ 7*7 }}") in html and "49 x" not in html


def test_only_http_links_reach_the_card(payload_en: dict) -> None:
    rows = _rows(payload_en)
    layer, i = rows["xss-img"]
    assert layer["w"] is None and layer["em"] is None  # javascript: and non-email dropped
    layer, i = rows["gal"]
    assert layer["w"][i] == "https://example.org/gallery"
    assert layer["em"][i] == "info@example.org"
    assert layer["so"][i] == "https://instagram.com/gal"  # "@gal" is not a link
    layer, i = rows["xss-slash"]
    assert layer["w"][i] == "http://example.org/a?b=1&amp;c=2"


# --------------------------------------------------------------------------- no CDN


def test_every_script_and_stylesheet_is_vendored(html_en: str) -> None:
    sources = re.findall(r'<script src="([^"]+)"', html_en)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html_en)
    assert sources and sheets
    assert all(url.startswith(ASSET_BASE + "/") for url in sources + sheets)
    assert {url.rsplit("/", 1)[-1] for url in sources} == {"leaflet.js", "leaflet.markercluster.js"}
    for name in ("jquery", "bootstrap", "awesome-markers", "cdn.", "googleapis", "unpkg"):
        assert name not in html_en.lower()


def test_the_only_web_addresses_are_tiles_attribution_and_directions(html_en: str) -> None:
    urls = set(re.findall(r"https?://[^\s\"'<>\\)]+", html_en))
    allowed = {
        CITY.tile_url,
        "https://www.openstreetmap.org/copyright",
        "https://example.org/gallery",
        "https://instagram.com/gal",
        "http://example.org/a?b=1&amp;c=2",
        escape(DIRECTIONS_URL),
    }
    assert urls <= allowed, urls - allowed


def test_vendored_files_exist_with_licences() -> None:
    static = render.elements.TEMPLATES.parent.parent / "static" / "vendor"
    for path in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/LICENSE",
        "leaflet/images/marker-icon.png",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MIT-LICENCE.txt",
        "fontawesome-free/css/fontawesome.min.css",
        "fontawesome-free/css/solid.min.css",
        "fontawesome-free/webfonts/fa-solid-900.woff2",
        "fontawesome-free/LICENSE.txt",
    ):
        assert (static / path).is_file(), path


def test_asset_base_is_configurable() -> None:
    html = _build("en", asset_base="/vendor-copy/")
    assert '<script src="/vendor-copy/leaflet/leaflet.js">' in html
    assert ASSET_BASE not in html
    assert _base(html)["img"] == "/vendor-copy/leaflet/images/"


# --------------------------------------------------------------------------- card fields


def test_member_precision_and_wheelchair_flags(payload_en: dict) -> None:
    rows = _rows(payload_en)

    def flags(vid: str) -> tuple[int, int, int]:
        layer, i = rows[vid]
        value = layer["f"][i]
        return value & 1, (value >> 1) & 3, (value >> 3) & 3

    assert flags("gal") == (1, 0, 2)  # member, exact, limited
    assert flags("xss-img") == (0, 1, 0)  # approximate, wheelchair unknown
    assert flags("xss-tpl") == (0, 2, 3)  # settlement level, no wheelchair access
    assert flags("xss-slash") == (1, 0, 1)


def test_hours_unknown_is_not_closed(payload_en: dict) -> None:
    rows = _rows(payload_en)
    opened, closed, unknown = hours.STATE_OPEN, hours.STATE_CLOSED, hours.STATE_UNKNOWN

    def hours_row(vid: str) -> list:
        layer, i = rows[vid]
        return payload_en["oh"][layer["h"][i]]

    said_unknown, said_closed = t("hours.unknown", "en"), t("hours.closed", "en")
    assert hours_row("xss-img") == [escape(said_unknown), "", unknown, unknown]  # none given
    assert hours_row("xss-tpl")[0] == escape(said_closed)
    assert hours_row("xss-tpl")[2:] == [closed, closed]  # "Mo-Su off": closed all day
    # "Mo-Sa 10:00-18:00" on a Friday at 20:30: open today, shut now, the same all year
    assert hours_row("gal") == ["10:00–18:00", "Mon–Sat 10–18", opened, closed]
    assert hours_row("xss-slash")[2:] == [opened, opened]  # 24/7


def test_hours_states_follow_when() -> None:
    morning = datetime(2026, 7, 10, 11, 0, tzinfo=ZoneInfo("Europe/Podgorica"))
    payload = _payload(_build("en", when=morning))
    layer, i = _rows(payload)["gal"]
    assert payload["oh"][layer["h"][i]][3] == hours.STATE_OPEN  # open at 11:00
    assert payload["L"]["open_at"] == "Open at 11:00"
    assert payload["L"]["closed_at"] == "Closed at 11:00"
    assert payload["L"]["day"] == "Today"  # the same day as now (WHEN)


# --------------------------------------------------------------------------- now and when

NOW = datetime(2026, 7, 10, 11, 0, tzinfo=ZoneInfo("Europe/Podgorica"))  # a Friday


def _labels(**options: object) -> dict[str, str]:
    payload = build_payload(VENUES, CATEGORIES, CITY, "en", MapOptions(**options))  # type: ignore[arg-type]  # test shorthand
    labels: dict[str, str] = orjson.loads(payload.json)["L"]
    return labels


@pytest.mark.parametrize(
    ("when", "open_at", "day"),
    [
        (None, "Open now", "Today"),  # when defaults to now
        (NOW, "Open now", "Today"),
        (NOW + timedelta(minutes=10), "Open now", "Today"),  # within the 15-minute tolerance
        (NOW + timedelta(hours=3), "Open at 14:00", "Today"),
        (NOW + timedelta(days=1), "Open at 11:00", "Sat 11 Jul"),
        (NOW - timedelta(days=1, hours=2), "Open at 09:00", "Thu 9 Jul"),
    ],
)
def test_labels_compare_when_with_the_given_now(
    when: datetime | None, open_at: str, day: str
) -> None:
    labels = _labels(now=NOW, when=when)
    assert (labels["open_at"], labels["day"]) == (open_at, day)
    assert labels["closed_at"] == open_at.replace("Open", "Closed")


def test_now_is_read_in_the_town_zone() -> None:
    # 09:00 UTC is 11:00 in Kotor (CEST): the same moment as NOW
    labels = _labels(now=datetime(2026, 7, 10, 9, 0, tzinfo=UTC), when=NOW)
    assert (labels["open_at"], labels["day"]) == ("Open now", "Today")
    # 23:30 UTC on Friday is already Saturday in Kotor
    labels = _labels(now=datetime(2026, 7, 10, 23, 30, tzinfo=UTC), when=NOW)
    assert labels["day"] == "Fri 10 Jul"


class _FrozenClock(datetime):
    """A ``datetime`` whose ``now()`` is a fixed instant (set per test)."""

    instant = datetime(2000, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def,override]  # as datetime.now
        return cls.instant.astimezone(tz) if tz else cls.instant.replace(tzinfo=None)


def _set_wall_clock(monkeypatch: pytest.MonkeyPatch, instant: datetime) -> None:
    """The clock's source and every ``mapping`` module that holds ``datetime`` (a read
    that bypassed :mod:`mapping.clock`) stopped at ``instant``."""
    monkeypatch.setenv(clock.NOW_ENV, instant.isoformat())
    monkeypatch.setattr(_FrozenClock, "instant", instant)
    for name, module in list(sys.modules.items()):
        if (name == "mapping" or name.startswith("mapping.")) and getattr(
            module, "datetime", None
        ) is datetime:
            monkeypatch.setattr(module, "datetime", _FrozenClock)


def _stable(html: str) -> str:
    """The page without folium's random element names."""
    return re.sub(r"_[0-9a-f]{32}\b", "_X", html)


def test_the_map_does_not_read_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    options = MapOptions(now=NOW, when=NOW + timedelta(hours=3), selected="gal")
    built = []
    # a hidden clock read would say "Open now" at the first wall time and not at the second
    for wall in (NOW + timedelta(hours=3), datetime(2041, 6, 1, tzinfo=UTC)):
        _set_wall_clock(monkeypatch, wall)
        payload = build_payload(VENUES, CATEGORIES, CITY, "en", options)
        built.append((payload, _stable(map_html(venue_map(payload, CITY)))))
    (first, first_html), (second, second_html) = built
    assert first == second  # the same bytes, whatever the wall clock says
    assert first_html == second_html
    labels = orjson.loads(first.json)["L"]
    assert (labels["open_at"], labels["day"]) == ("Open at 14:00", "Today")


def test_map_payload_is_immutable_and_map_trees_are_not_shared() -> None:
    payload = build_payload(VENUES, CATEGORIES, CITY, "en", MapOptions(now=NOW))
    assert isinstance(payload, MapPayload)
    with pytest.raises(dataclasses.FrozenInstanceError):
        payload.zoom = 3  # type: ignore[misc]  # the point of the test
    assert hash(payload) == hash(dataclasses.replace(payload))
    one, two = venue_map(payload, CITY), venue_map(payload, CITY)
    assert one is not two and one.get_name() != two.get_name()
    assert _stable(map_html(one)) == _stable(map_html(two))


def test_map_payload_holds_bounds_and_view() -> None:
    payload = build_payload(VENUES, CATEGORIES, CITY, "en", MapOptions(now=NOW))
    assert payload.bounds == ((42.424, 18.769), (42.426, 18.772))
    assert (payload.center, payload.zoom) == (CITY.map_center, CITY.map_zoom)
    assert payload.asset_base == ASSET_BASE
    empty = build_payload(VENUES.iloc[0:0], CATEGORIES, CITY, "en", MapOptions(now=NOW))
    assert empty.bounds is None


def test_options_hash_without_extra_lines() -> None:
    plain = MapOptions(now=NOW, selected="gal")
    extra = MapOptions(now=NOW, selected="gal", extra_lines={"gal": ["a"]})
    assert hash(plain) == hash(extra) and plain != extra
    assert extra.moment == NOW and MapOptions(now=NOW, when=WHEN).moment == WHEN


def test_description_and_name_fall_back_between_languages(payload_en: dict) -> None:
    rows = _rows(payload_en)
    layer, i = rows["xss-slash"]
    # no English text: Montenegrin shown, and the card says so
    assert layer["d"][i] == "Samo crnogorski opis. (Text in Montenegrin)"
    layer, i = rows["gal"]
    assert layer["n"][i] == "Đurković Gallery"
    payload_me = _payload(_build("me"))
    layer, i = _rows(payload_me)["gal"]
    assert layer["n"][i] == "Galerija Đurković"
    assert layer["d"][i] == "Savremena umjetnost."
    layer, i = _rows(payload_me)["xss-tpl"]
    assert layer["d"][i] == escape(f"{JINJA_DESC} (Tekst na engleskom)")  # only English exists


def test_cluster_badge_says_what_the_source_says(payload_en: dict) -> None:
    rows = _rows(payload_en)
    layer, i = rows["gal"]  # prospective, stated in 2018
    assert payload_en["ct"][layer["b"][i]] == (
        "Listed as a prospective member of the Creative Industries Cluster (2018)"
    )
    layer, i = rows["xss-slash"]  # a member, no year given
    assert payload_en["ct"][layer["b"][i]] == "Member of the Creative Industries Cluster"
    layer, i = rows["xss-img"]  # no status: no badge row, or row 0 ("")
    assert layer["b"] is None or payload_en["ct"][layer["b"][i]] == ""
    assert payload_en["ct"][0] == ""


def test_both_languages_change_every_label(payload_en: dict) -> None:
    payload_me = _payload(_build("me"))
    for key in (
        "legend",
        "member_short",
        "hours_unknown",
        "approximate",
        "settlement_level",
        "directions",
        "start",
        "wheelchair_yes",
        "wheelchair_unknown",
    ):
        assert payload_me["L"][key] != payload_en["L"][key], key
    assert payload_me["L"]["member_short"] == escape(t("map.member_short", "me"))
    assert payload_me["cats"][0]["l"] == "Ateljei i zanati"
    assert payload_en["cats"][0]["l"] == escape("Ateliers & crafts")


def test_map_catalogues_have_the_same_keys() -> None:
    keys = {lang: {k for k in catalogue(lang) if k.startswith("map.")} for lang in ("me", "en")}
    assert keys["me"] == keys["en"]
    assert {
        "map.legend",
        "map.cluster_member",
        "map.cluster_prospective",
        "map.hours_today",
        "map.hours_unknown",
        "map.approximate",
        "map.settlement_level",
        "map.directions",
        "map.website",
        "map.start",
        "map.wheelchair.yes",
        "map.wheelchair.limited",
        "map.wheelchair.no",
        "map.wheelchair.unknown",
    } <= keys["en"]


def test_extra_lines_go_to_their_venue_escaped(payload_en: dict) -> None:
    layer, i = _rows(payload_en)["gal"]
    assert layer["x"] == {str(i): [escape("12 Jul 20:00 — Koncert <b>"), escape("`${x}`")]}
    assert payload_en["xt"] == "Upcoming events"
    others = [lay for lay in payload_en["layers"] if lay is not layer]
    assert all("x" not in lay for lay in others)


def test_directions_link_base_and_start(payload_en: dict, html_en: str) -> None:
    assert payload_en["dir"] == escape(DIRECTIONS_URL)
    assert "engine=fossgis_osrm_foot&amp;route=" in payload_en["dir"]
    assert "start-marker" in html_en
    assert _payload(_build("en"))["start"] is None


# --------------------------------------------------------------------------- view


def test_selected_venue_centres_the_map_and_opens(payload_en: dict, html_en: str) -> None:
    assert payload_en["sel"] == "gal"
    assert re.search(r"center: \[42\.4247, 18\.7712\]", html_en)
    assert f'zoom": {render.SELECTED_MIN_ZOOM}' in html_en


def test_unknown_selected_venue_is_ignored() -> None:
    html = _build("en", selected="no-such-venue")
    assert _payload(html)["sel"] is None
    assert f'zoom": {CITY.map_zoom}' in html


def test_explicit_center_and_zoom_win() -> None:
    html = _build("en", selected="gal", center=(42.5, 18.6), zoom=12)
    assert "center: [42.5, 18.6]" in html and 'zoom": 12' in html
    assert _payload(html)["sel"] == "gal"


def test_tiles_come_from_the_city_profile(html_en: str) -> None:
    assert _base(html_en)["tiles"] == CITY.tile_url
    assert _base(html_en)["attr"] == CITY.tile_attribution


# --------------------------------------------------------------------------- shapes of input


def test_empty_selection_still_builds_a_map() -> None:
    payload = _payload(
        map_html(build_map(VENUES.iloc[0:0], CATEGORIES, CITY, "me", MapOptions(now=WHEN)))
    )
    assert payload["layers"] == [] and payload["cats"] == []


def test_rows_without_a_position_are_left_out() -> None:
    venues = VENUES.copy()
    venues.loc[1, "geometry"] = None
    payload = _payload(map_html(build_map(venues, CATEGORIES, CITY, "en", MapOptions(now=WHEN))))
    assert "xss-img" not in _rows(payload)
    assert len(_rows(payload)) == 3


def test_lat_lon_columns_are_used_when_present() -> None:
    venues = VENUES.assign(lat=VENUES.geometry.y + 0.001, lon=VENUES.geometry.x)
    layer, i = _rows(
        _payload(map_html(build_map(venues, CATEGORIES, CITY, "en", MapOptions(now=WHEN))))
    )["gal"]
    assert (layer["la0"] + layer["la"][i]) / 1e5 == pytest.approx(42.4257)


def test_loaded_dataset_renders(mini: Dataset) -> None:
    html = map_html(build_map(mini.venues, mini.categories, mini.city, "en", MapOptions(now=WHEN)))
    payload = _payload(html)
    assert len(_rows(payload)) == len(mini.venues)


def test_html_stays_small_per_venue() -> None:
    venues = synthetic.venues(3000, CITY, list(CATEGORIES["id"]))
    html = map_html(build_map(venues, CATEGORIES, CITY, "en", MapOptions(now=WHEN)))
    assert len(html.encode()) / len(venues) <= 250
    assert len(_rows(_payload(html))) == 3000


# --------------------------------------------------------------------------- streamlit-folium


def test_streamlit_folium_keeps_our_links_and_script() -> None:
    """st_folium rebuilds the page from the elements' links, header and script macros."""
    stf = pytest.importorskip("streamlit_folium")
    m = build_map(VENUES, CATEGORIES, CITY, "en", MapOptions(now=WHEN, selected="gal"))
    m.get_root().render()
    header = stf._get_header(m)
    script = stf._get_map_string(m)
    links = [url for elem in _walk(m) for _, url in getattr(elem, "default_js", [])]
    sheets = [url for elem in _walk(m) for _, url in getattr(elem, "default_css", [])]
    assert links == [
        f"{ASSET_BASE}/leaflet/leaflet.js",
        f"{ASSET_BASE}/leaflet.markercluster/leaflet.markercluster.js",
    ]
    assert all(url.startswith(ASSET_BASE) for url in sheets) and len(sheets) == 4
    assert ".venue-card" in header  # our stylesheet travels in the header
    assert "var map_div = L.map(" in script
    assert "(map_div, {" in script  # the venue script is bound to the renamed map
    assert escape(XSS_NAME) in script and XSS_NAME not in script


# --------------------------------------------------------------------------- schema and script

SCRIPT = (render.elements.TEMPLATES / "venue_map.js").read_text(encoding="utf-8")


def test_the_script_cites_the_payload_schema_and_reads_its_keys() -> None:
    assert f"{render.Payload.__module__}.Payload" in SCRIPT  # the script names its home
    for key in render.Payload.__annotations__:
        assert f"P.{key}" in SCRIPT, key
    for key in render.Layer.__annotations__:
        assert f"layer.{key}" in SCRIPT or f'col(layer, "{key}"' in SCRIPT, key
    for key in render.Labels.__annotations__:
        assert f"Lb.{key}" in SCRIPT or key.startswith("wheelchair_"), key


def test_the_script_reads_wheelchair_codes_in_schema_order() -> None:
    listed = re.search(r"var WHEEL = (\[[^\]]*\]);", SCRIPT)
    assert listed and orjson.loads(listed.group(1)) == ["unknown", *schema.WHEELCHAIR_VALUES]


def test_the_script_reads_hour_states_as_hours_codes_them() -> None:
    closed, opened, unknown = hours.STATE_CLOSED, hours.STATE_OPEN, hours.STATE_UNKNOWN
    assert f"states: {closed} closed, {opened} open, {unknown} unknown" in SCRIPT
    assert f"at === {hours.STATE_OPEN} ?" in SCRIPT and f"at === {hours.STATE_CLOSED} ?" in SCRIPT


def test_the_package_exports_what_it_lists() -> None:
    assert sorted(render.__all__) == sorted(set(render.__all__))
    for name in render.__all__:
        assert getattr(render, name) is not None, name
    assert not (Path(render.__file__).parent.parent / "render.py").exists()


def _walk(element: object):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


# --------------------------------------------------------------------------- mounted map, places


def test_start_and_selection_do_not_change_the_drawn_digest() -> None:
    plain = _payload(_build("en"))
    moved = _payload(_build("en", start=(42.42, 18.77, "Somewhere"), selected="gal"))
    assert plain["v"] == moved["v"]
    assert (plain["sel"], moved["sel"]) == (None, "gal")
    assert moved["start"] == [42.42, 18.77, "Somewhere"]
    other_time = _payload(_build("en", now=WHEN + timedelta(days=2)))  # a Sunday
    other_language = _payload(_build("me"))
    assert len({plain["v"], other_time["v"], other_language["v"]}) == 3


def test_the_base_map_is_the_same_text_for_every_view() -> None:
    # streamlit-folium keeps a component mounted while the map's script is unchanged
    first = map_html(render.base_map(CITY))
    again = map_html(render.base_map(CITY))
    strip = re.compile(r"_[0-9a-f]{32}\b")
    assert strip.sub("_X", first) == strip.sub("_X", again)
    assert "kcmVenueMap.update({" not in first  # no payload in it


def test_visit_flags_and_boat_landmarks_reach_the_card() -> None:
    venues = VENUES.copy()
    venues["visit"] = ["yes", "appointment", "no", ""]
    venues["boat_only"] = [True, False, False, True]
    venues["boat_from"] = ["pier", "", "", "nowhere-known"]
    options = MapOptions(now=WHEN, landmarks={"pier": ("Pier <Perast>", 42.48, 18.69)})
    payload = _payload(map_html(build_map(venues, CATEGORIES, CITY, "en", options)))
    rows = _rows(payload)
    visit = {vid: (layer["f"][i] >> 5) & 3 for vid, (layer, i) in rows.items()}
    assert visit == {"gal": 1, "xss-img": 2, "xss-tpl": 3, "xss-slash": 0}
    boats = {
        vid: payload["boats"][layer["bt"][i]] if layer.get("bt") else None
        for vid, (layer, i) in rows.items()
    }
    assert boats["gal"] == [
        escape(t("map.by_boat_from", "en", place="Pier <Perast>")),
        42.48,
        18.69,
    ]
    assert boats["xss-slash"] == [escape(t("map.by_boat", "en")), None, None]
    assert boats["xss-img"] is None and boats["xss-tpl"] is None
    assert payload["boats"][0] is None


def test_boat_only_written_as_text_reads_as_schema_is_yes_does() -> None:
    venues = VENUES.copy()
    venues["boat_only"] = [" Yes", "1", "no", ""]  # a CSV column, not booleans
    venues["boat_from"] = ""
    options = MapOptions(now=WHEN)
    rows = _rows(_payload(map_html(build_map(venues, CATEGORIES, CITY, "en", options))))
    by_boat = {vid: bool(layer.get("bt") and layer["bt"][i]) for vid, (layer, i) in rows.items()}
    expected = dict(zip(venues["id"], map(schema.is_yes, venues["boat_only"]), strict=True))
    assert (
        by_boat == expected == {"gal": True, "xss-img": True, "xss-tpl": False, "xss-slash": False}
    )


def test_landmark_points_name_places_in_the_language() -> None:
    places = gpd.GeoDataFrame(
        {"id": ["pier"], "name": ["Obala"], "name_en": ["Waterfront"]},
        geometry=shapely.points([18.69], [42.48]),
        crs="EPSG:4326",
    )
    assert render.landmark_points(places, "en", ("me", "en")) == {
        "pier": ("Waterfront", 42.48, 18.69)
    }
    assert render.landmark_points(places, "me", ("me", "en"))["pier"][0] == "Obala"


def test_with_view_gives_what_a_full_build_gives_without_rebuilding() -> None:
    """A page builds the drawn part once and adds each run's start and selection."""
    from mapping.render import SELECTED_MIN_ZOOM, with_view

    start = (42.425, 18.77, "Sea <Gate>")
    bare = build_payload(VENUES, CATEGORIES, CITY, "en", MapOptions(now=NOW))
    for selected in (None, "gal", "not-on-the-map"):
        full = build_payload(
            VENUES, CATEGORIES, CITY, "en", MapOptions(now=NOW, start=start, selected=selected)
        )
        assert with_view(bare, start, selected) == full
    chosen = json.loads(with_view(bare, start, "gal").json)
    assert chosen["sel"] == "gal" and chosen["start"] == [42.425, 18.77, "Sea &lt;Gate&gt;"]
    assert chosen["v"] == json.loads(bare.json)["v"]  # the drawn part is the same
    assert with_view(bare, None, "gal").zoom >= SELECTED_MIN_ZOOM
    assert json.loads(with_view(bare, None, "not-on-the-map").json)["sel"] is None
