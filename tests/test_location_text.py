"""A pasted location: numbers, degrees and map links read as (lat, lon), and the
sentences for what gives no point (mapping/location_text.py)."""

from __future__ import annotations

import pytest

from mapping import i18n
from mapping.location_text import LocationTextError, parse_location

KOTOR = (18.50, 42.25, 18.90, 42.58)  # data/city.toml's bbox: west, south, east, north
LAT, LON = 42.4247, 18.7712


@pytest.mark.parametrize(
    "text",
    [
        "42.4247, 18.7712",
        "42.4247,18.7712",
        "42.4247 18.7712",
        "  42.4247 ,  18.7712  ",
        "42.4247; 18.7712",
        "(42.4247, 18.7712)",
        "42,4247 18,7712",
        "42,4247; 18,7712",
        "+42.4247, +18.7712",
        "42.4247° N, 18.7712° E",
        "42.4247°N 18.7712°E",
        "42.4247N, 18.7712E",
        "N 42.4247 E 18.7712",
        "N42.4247 E18.7712",
        "18.7712° E, 42.4247° N",
        "42°25'28.9\"N 18°46'16.3\"E",
        "42°25′28.9″N 18°46′16.3″E",
        "42° 25' 28.92\" N, 18° 46' 16.32\" E",
        "42°25.482'N 18°46.272'E",
        "geo:42.4247,18.7712",
        "geo:42.4247,18.7712;u=35",
        "geo:42.4247,18.7712?z=17",
        "https://www.openstreetmap.org/#map=17/42.42470/18.77120",
        "https://www.openstreetmap.org/#map=19/42.42470/18.77120&layers=H",
        "https://openstreetmap.org/?mlat=42.4247&mlon=18.7712#map=17/42.4000/18.7000",
        "https://www.openstreetmap.org/?mlat=42.42470&mlon=18.77120&zoom=18",
        "https://www.openstreetmap.org/search?query=kotor#map=17/42.42470/18.77120",
        "www.openstreetmap.org/#map=17/42.42470/18.77120",
        "openstreetmap.org/?mlat=42.4247&mlon=18.7712",
        "google.com/maps/@42.4247,18.7712,17z",
        "HTTPS://WWW.GOOGLE.COM/MAPS?Q=42.4247,18.7712",
        "https://www.openstreetmap.org/directions?from=&to=#map=16/42.4247/18.7712",
        "https://www.google.com/maps/@42.4247,18.7712,17z",
        "https://www.google.com/maps/@42.4247,18.7712,17z?entry=ttu",
        "https://www.google.com/maps/@42.4247,18.7712,3a,75y,90t/data=!3m6!1e1",
        "https://www.google.com/maps?q=42.4247,18.7712",
        "https://maps.google.com/?q=42.4247,18.7712",
        "https://maps.google.com/maps?q=42.4247%2C18.7712&z=17",
        "https://www.google.com/maps/search/?api=1&query=42.4247%2C18.7712",
        "https://www.google.com/maps/search/42.4247,+18.7712?entry=ttu",
        "https://www.google.com/maps/place/42.4247,18.7712",
        "https://www.google.com/maps/place/42%C2%B025'28.9%22N+18%C2%B046'16.3%22E/"
        "@42.4246,18.7711,17z/data=!3m1!4b1!4m4!3m3!8m2!3d42.4247!4d18.7712",
        "https://www.google.com/maps/place/Gradska+galerija/@42.4200,18.7600,15z/"
        "data=!4m6!3m5!1s0x134c32:0x9f!8m2!3d42.4247!4d18.7712!16s%2Fg%2F11c",
        "https://www.google.me/maps/@42.4247,18.7712,18z",
        "https://www.google.com/maps/dir/42.4247,18.7712/",
        "https://maps.apple.com/?ll=42.4247,18.7712&q=Gallery",
        "https://www.bing.com/maps?cp=1~2&q=42.4247,18.7712",
    ],
)
def test_readable_forms_give_the_point(text):
    lat, lon = parse_location(text, KOTOR)
    assert lat == pytest.approx(LAT, abs=1e-4)
    assert lon == pytest.approx(LON, abs=1e-4)


@pytest.mark.parametrize(
    "text",
    [
        "18.7712, 42.4247",
        "https://www.google.com/maps?q=18.7712,42.4247",
    ],
)
def test_swapped_numbers_are_put_right_with_the_towns_box(text):
    assert parse_location(text, KOTOR) == pytest.approx((LAT, LON))


def test_without_a_box_the_numbers_stay_as_given_unless_a_latitude_is_impossible():
    assert parse_location("18.7712, 42.4247") == pytest.approx((18.7712, 42.4247))
    assert parse_location("118.5, 42.4") == pytest.approx((42.4, 118.5))


def test_southern_and_western_hemispheres_are_negative():
    assert parse_location("33.8688° S, 151.2093° E") == pytest.approx((-33.8688, 151.2093))
    assert parse_location("40°42'46\"N 74°0'22\"W") == pytest.approx((40.7128, -74.0061), abs=1e-4)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "location.empty"),
        ("   ", "location.empty"),
        ("Kotor", "location.unreadable"),
        ("42.4247", "location.unreadable"),
        ("42.4247, 18.7712, 5", "location.unreadable"),
        ("42.4247° N, 18.7712° N", "location.unreadable"),
        ("nan, nan", "location.unreadable"),
        ("200, 300", "location.unreadable"),
        ("x" * 3000, "location.unreadable"),
        ("https://maps.app.goo.gl/AbCdEfGh12345", "location.short_link"),
        ("maps.app.goo.gl/AbCdEfGh12345", "location.short_link"),
        ("https://goo.gl/maps/xyz123", "location.short_link"),
        ("https://osm.org/go/xdGHm--", "location.short_link"),
        ("https://www.openstreetmap.org/node/2412345678", "location.osm_object"),
        ("https://www.openstreetmap.org/way/123456", "location.osm_object"),
        ("https://www.openstreetmap.org/relation/98765", "location.osm_object"),
        ("https://www.google.com/maps/place/Kotor", "location.no_point"),
        ("https://www.google.com/maps/search/gallery+kotor", "location.no_point"),
        ("https://example.me/venue", "location.no_point"),
        ("45.8150, 15.9819", "location.outside"),  # Zagreb
        ("https://www.openstreetmap.org/#map=12/44.8125/20.4612", "location.outside"),
    ],
)
def test_what_gives_no_point_is_named(text, key):
    with pytest.raises(LocationTextError) as caught:
        parse_location(text, KOTOR)
    assert caught.value.key == key
    assert isinstance(caught.value, ValueError)


def test_an_osm_object_link_names_the_object_in_every_language():
    with pytest.raises(LocationTextError) as caught:
        parse_location("https://www.openstreetmap.org/node/2412345678", KOTOR)
    for lang in i18n.available_languages():
        assert "node/2412345678" in caught.value.text(lang)


def test_outside_names_the_box():
    with pytest.raises(LocationTextError) as caught:
        parse_location("45.8150, 15.9819", KOTOR)
    assert "18.9" in caught.value.text("me")
    assert "42.25" in str(caught.value)
