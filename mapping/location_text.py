"""A pasted location read as (lat, lon): numbers, degrees, or a map link.

Members copy a point from wherever they found it: two numbers (``42.4247, 18.7712``),
degrees with hemispheres (``42°25'29"N 18°46'16"E``), an OpenStreetMap link
(``#map=17/42.4247/18.7712``, ``?mlat=..&mlon=..``) or a Google Maps link
(``/@42.42,18.77,17z``, ``?q=42.42,18.77``, ``!3d42.42!4d18.77``). One pure reader,
:func:`parse_location`, so the form and its tests agree.

Decisions:

- **A link's place before its view.** Google's ``!3d..!4d..`` (the place) wins over
  ``/@..`` (the centre of the screen); OpenStreetMap's marker ``mlat``/``mlon`` over
  ``#map=`` (the view).
- **What cannot be read offline is named, not guessed.** A short link
  (``maps.app.goo.gl``, ``goo.gl/maps``, ``osm.org/go``) hides its point behind a
  redirect the server will not follow; an OpenStreetMap ``/node/``, ``/way/`` or
  ``/relation/`` link names an object, not a coordinate. Each gets its own sentence.
- **Swapped numbers are put right** only with the town's box (``bbox``): when
  (lat, lon) lies outside it and (lon, lat) inside, the pair was swapped. A point
  outside the study area either way is refused (:func:`mapping.schema.inside_bbox`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from mapping import i18n
from mapping.schema import inside_bbox

BBox = tuple[float, float, float, float]
MAX_TEXT = 2000
"""Longer pasted text is not a location (Google links run to a few hundred characters)."""

_NUM = r"[-+]?\d{1,3}(?:\.\d+)?"
_PAIR = re.compile(rf"\s*({_NUM})\s*(?:,\s*|;\s*|\s+)({_NUM})\s*")
_COMMA_PAIR = re.compile(r"\s*([-+]?\d{1,3},\d+)\s*(?:;\s*|\s+)([-+]?\d{1,3},\d+)\s*")
_ANGLE = r"""(\d{1,3}(?:[.,]\d+)?)\s*°?\s*
    (?:(\d{1,2}(?:[.,]\d+)?)\s*['′’]\s*)?
    (?:(\d{1,2}(?:[.,]\d+)?)\s*(?:"|″|”|''|′′)\s*)?"""
_PREFIXED = re.compile(rf"([NSEW])\s*{_ANGLE}", re.VERBOSE | re.IGNORECASE)
_SUFFIXED = re.compile(rf"{_ANGLE}([NSEW])?", re.VERBOSE | re.IGNORECASE)
_SHORT_HOSTS = ("maps.app.goo.gl", "goo.gl", "g.co", "osm.org", "osm.to")
_BARE_HOST = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}/", re.ASCII)  # a link without https://
_OSM_OBJECT = re.compile(r"/(node|way|relation)/(\d+)")
_GOOGLE_PLACE = re.compile(rf"!3d({_NUM})!4d({_NUM})")
_GOOGLE_AT = re.compile(rf"/@({_NUM}),({_NUM})")
_OSM_MAP = re.compile(rf"map=\d{{1,2}}(?:\.\d+)?/({_NUM})/({_NUM})")
_PATH_PAIR = re.compile(rf"/(?:place|search|dir)/({_NUM}),\s*\+?({_NUM})")


class LocationTextError(ValueError):
    """Text that gives no usable point: ``key`` names the catalogue sentence
    (``location.<...>``) that says why, with ``params`` for its template."""

    def __init__(self, key: str, params: Mapping[str, Any] | None = None) -> None:
        self.key = key
        self.params = dict(params or {})
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return i18n.t(self.key, lang, **self.params)


def parse_location(text: str, bbox: BBox | None = None) -> tuple[float, float]:
    """(lat, lon) read from ``text``; with the town's ``bbox``, swapped numbers put
    right and a point outside the study area refused.

    Raises :class:`LocationTextError` saying what was wrong.
    """
    raw = text.strip()
    if not raw:
        raise LocationTextError("location.empty")
    if len(raw) > MAX_TEXT:
        raise LocationTextError("location.unreadable")
    point = _from_link(raw) if _is_link(raw) else _from_numbers(raw)
    lat, lon = point
    if not (math.isfinite(lat) and math.isfinite(lon)) or max(abs(lat), abs(lon)) > 180:
        raise LocationTextError("location.unreadable")
    if abs(lat) > 90:  # only a longitude can be that large: the pair came lon first
        lat, lon = lon, lat
    if bbox is None:
        return lat, lon
    if inside_bbox(lon, lat, bbox):
        return lat, lon
    if inside_bbox(lat, lon, bbox):  # given as lon, lat
        return lon, lat
    west, south, east, north = bbox
    raise LocationTextError(
        "location.outside", {"west": west, "south": south, "east": east, "north": north}
    )


def _is_link(raw: str) -> bool:
    lowered = raw.lower()
    return lowered.startswith(("http://", "https://", "geo:")) or bool(_BARE_HOST.match(lowered))


def _from_link(raw: str) -> tuple[float, float]:
    """The point a map link names, or the reason it names none."""
    if raw.lower().startswith("geo:"):
        return _from_numbers(re.split(r"[;?]", raw[4:])[0])
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path)
    if host in _SHORT_HOSTS and not path.startswith("/maps/@") and "/maps/place" not in path:
        raise LocationTextError("location.short_link")
    query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    whole = unquote(raw)
    if "openstreetmap" in host or host.startswith("osm."):
        return _from_osm(query, unquote(f"{parts.fragment}&{parts.query}"), path)
    if "google" in host:
        return _from_google(query, whole, path)
    for name in ("ll", "q", "query", "center", "destination", "daddr"):  # Apple, Bing, others
        if name in query:
            try:
                return _from_numbers(query[name].replace("~", ","))
            except LocationTextError:
                continue
    raise LocationTextError("location.no_point")


def _from_osm(query: Mapping[str, str], fragment: str, path: str) -> tuple[float, float]:
    if "mlat" in query and "mlon" in query:
        return _number(query["mlat"]), _number(query["mlon"])
    view = _OSM_MAP.search(fragment)
    if view:
        return float(view.group(1)), float(view.group(2))
    if "lat" in query and "lon" in query:
        return _number(query["lat"]), _number(query["lon"])
    found = _OSM_OBJECT.search(path)
    if found:
        raise LocationTextError(
            "location.osm_object", {"object": f"{found.group(1)}/{found.group(2)}"}
        )
    raise LocationTextError("location.no_point")


def _from_google(query: Mapping[str, str], whole: str, path: str) -> tuple[float, float]:
    place = _GOOGLE_PLACE.search(whole)
    if place:
        return float(place.group(1)), float(place.group(2))
    for name in ("q", "query", "ll", "center", "destination", "daddr"):
        if name in query:
            try:
                return _from_numbers(query[name])
            except LocationTextError:
                continue
    in_path = _PATH_PAIR.search(path)
    if in_path:
        return float(in_path.group(1)), float(in_path.group(2))
    view = _GOOGLE_AT.search(path)
    if view:
        return float(view.group(1)), float(view.group(2))
    raise LocationTextError("location.no_point")


def _number(text: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise LocationTextError("location.unreadable") from None


def _from_numbers(raw: str) -> tuple[float, float]:
    """Two numbers: decimal (``42.42, 18.77``; ``42,42 18,77``) or degrees with
    hemispheres (``42.42° N, 18.77° E``, ``42°25'29"N 18°46'16"E``)."""
    text = unquote(raw).replace("+", " ").strip().strip("()[]")
    plain = _PAIR.fullmatch(text) or _COMMA_PAIR.fullmatch(text)
    if plain:
        return _number(plain.group(1)), _number(plain.group(2))
    return _from_degrees(text)


def _from_degrees(text: str) -> tuple[float, float]:
    pattern = _PREFIXED if text[:1].upper() in "NSEW" and text[:1] else _SUFFIXED
    found: list[tuple[float, str]] = []
    rest = text
    for match in pattern.finditer(text):
        if pattern is _PREFIXED:
            hemisphere, value, minutes, seconds = match.groups()
        else:
            value, minutes, seconds, hemisphere = match.groups()
        degrees = _number(value)
        degrees += _number(minutes) / 60 if minutes else 0.0
        degrees += _number(seconds) / 3600 if seconds else 0.0
        hemisphere = (hemisphere or "").upper()
        found.append((-degrees if hemisphere in ("S", "W") else degrees, hemisphere))
        rest = rest.replace(match.group(0), " ", 1)
    if len(found) != 2 or re.search(r"[^\s,;/]", rest):
        raise LocationTextError("location.unreadable")
    (first, h1), (second, h2) = found
    axes = {h1: "lat" if h1 in "NS" else "lon", h2: "lat" if h2 in "NS" else "lon"}
    if h1 and h2 and axes[h1] == axes[h2]:
        raise LocationTextError("location.unreadable")  # two latitudes, or two longitudes
    if h1 in ("E", "W") or h2 in ("N", "S"):
        return second, first
    return first, second
