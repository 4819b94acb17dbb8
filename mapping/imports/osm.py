"""OpenStreetMap to venues: the tag table, the fields we read, and the file readers.

Readers give :class:`Element` objects (type, id, tags, a point) whatever the file:

- **Overpass / overpass-turbo GeoJSON**: tags in ``properties`` (or, from older
  osmtogeojson, in ``properties.tags``), the element in ``@id``/``id`` as
  ``node/123``; ways and relations may come as polygons or as centre points.
- **Overpass JSON** (``[out:json]``): ``elements`` with ``lat``/``lon`` or ``center``.
- **``.osm`` XML** (and ``.osm.pbf``): read with pyosmium (``osmium``), node locations
  and multipolygon areas assembled by libosmium. Overpass XML written with ``out
  center`` carries a ``<center>`` element libosmium refuses; that form alone is read
  with the standard library's ``iterparse`` (:func:`elements_from_overpass_xml`).

Decisions:

- **Polygons become one point**: the centroid, or a point surely inside the shape
  (``representative_point``) when the centroid falls outside it (an L-shaped
  building, a courtyard). A line (an open way) gives its midpoint along the line.
- **A relation that is not a multipolygon** (``type=site``…) in ``.osm`` XML has no
  geometry libosmium can build: it is skipped with that reason.
- **The tag table** (:data:`TAG_TABLE`) is checked in order, first match wins.
  ``historic=*`` and ``amenity=place_of_worship`` are imported (as ``heritage-stage``)
  **only when the element also says visitors come for culture**: ``tourism=attraction``
  or ``tourism=museum``, or a ``heritage=*`` designation. Otherwise every wayside
  cross, ruin and chapel would flood the map; such elements are skipped with the
  reason "historic/place of worship without tourism=attraction or heritage".
- **Names**: ``name`` is the original; ``name:xx`` becomes ``name_xx`` for each of the
  town's languages (any script: Cyrillic stays Cyrillic). Other languages' names are
  not kept (the app shows only the town's languages). Without ``name``, the first of
  ``name:<town language>`` is the original. No name at all: skipped.
- **opening_hours that do not parse** (:func:`mapping.hours.check`) are **dropped with
  a warning** in the report, which proposes the strict value they likely mean
  (:func:`mapping.hours_tolerant.propose`; the maintainer decides), and the venue is
  imported with hours unknown: the rest of the record is good, and unknown hours are
  never shown as closed.
- ``wheelchair`` is kept when ``yes``/``limited``/``no``; ``website`` (or
  ``contact:website``, ``url``) when it is an ``http(s)`` address; ``phone``/
  ``contact:phone``, ``email``/``contact:email``; social links from ``contact:facebook``,
  ``contact:instagram``… (http(s) only); the address from ``addr:*`` (``addr:full``, or
  street + house number, postcode + city).
- ``source`` is ``OpenStreetMap <type>/<id> (https://www.openstreetmap.org/<type>/<id>)``
  and ``location_precision`` is ``exact``; the element id is kept in ``osm_id`` for the
  next import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import shapely
from shapely.geometry.base import BaseGeometry

from mapping import hours_tolerant, schema

OSM_URL = "https://www.openstreetmap.org/"

TAG_TABLE: tuple[tuple[str, str, str], ...] = (
    # (key, value or "*", our category id); first match wins
    ("tourism", "museum", "museum"),
    ("tourism", "gallery", "gallery"),
    ("amenity", "arts_centre", "cultural-centre"),
    ("amenity", "theatre", "theatre"),
    ("amenity", "cinema", "cinema"),
    ("amenity", "community_centre", "cultural-centre"),
    ("amenity", "library", "library"),
    ("amenity", "music_school", "music"),
    ("amenity", "concert_hall", "music"),
    ("amenity", "coworking_space", "creative-hub"),
    ("office", "coworking", "creative-hub"),
    ("shop", "art", "gallery"),
    ("shop", "craft", "atelier"),
    ("craft", "*", "atelier"),
    ("tourism", "artwork", "heritage-stage"),
)
"""OpenStreetMap tag → category id. ``tourism=artwork`` (public art: a place to visit,
like a heritage site) goes to ``heritage-stage``."""

HERITAGE_CATEGORY = "heritage-stage"
"""Category of ``historic=*`` and ``amenity=place_of_worship`` under the culture rule."""
_CULTURE_SIGNS = (("tourism", "attraction"), ("tourism", "museum"), ("heritage", "*"))

SOCIAL_KEYS = (
    "contact:facebook",
    "contact:instagram",
    "contact:twitter",
    "contact:youtube",
    "contact:tiktok",
    "contact:mastodon",
    "facebook",
    "instagram",
)


@dataclass
class Element:
    """One OpenStreetMap element as read: ``ref`` like ``node/123``, its tags, a point."""

    ref: str
    tags: dict[str, str]
    point: tuple[float, float] | None  # (lon, lat)
    problem: str = ""  # why no point could be made
    extra: dict[str, Any] = field(default_factory=dict)


def category_for(tags: Mapping[str, str]) -> tuple[str | None, str]:
    """Our category id for ``tags`` and the tag that decided (``""`` when none)."""
    for key, value, category in TAG_TABLE:
        found = tags.get(key)
        if found is not None and (value in ("*", found)):
            return category, f"{key}={found}"
    special = next((f"{k}={tags[k]}" for k in ("historic",) if k in tags), None)
    if special is None and tags.get("amenity") == "place_of_worship":
        special = "amenity=place_of_worship"
    if special is not None:
        if any(k in tags and (v == "*" or tags[k] == v) for k, v in _CULTURE_SIGNS):
            return HERITAGE_CATEGORY, special
        return None, special
    return None, ""


def skip_reason(tags: Mapping[str, str]) -> str:
    """Why an element with no category is skipped."""
    _, tag = category_for(tags)
    if tag:
        return (
            f"{tag} without tourism=attraction or heritage=* (historic and places of "
            "worship are imported only when marked as visited for culture)"
        )
    shown = ", ".join(f"{k}={v}" for k, v in list(tags.items())[:4] if not k.startswith("name"))
    return f"no mapped tag ({shown or 'no tags'})"


def venue_fields(
    tags: Mapping[str, str], languages: tuple[str, ...]
) -> tuple[dict[str, str], list[str]]:
    """Our venue fields from an element's tags (no id, category or geometry), and
    warnings about values dropped (:func:`clean_fields`)."""
    out: dict[str, str] = {}
    names = {
        lang: tags[f"name:{lang}"].strip()
        for lang in languages
        if tags.get(f"name:{lang}", "").strip()
    }
    name = tags.get("name", "").strip() or next(iter(names.values()), "")
    if name:
        out["name"] = name
    out.update({f"name_{lang}": value for lang, value in names.items()})
    for fld, keys in (
        ("opening_hours", ("opening_hours",)),
        ("wheelchair", ("wheelchair",)),
        ("website", ("website", "contact:website", "url")),
        ("phone", ("phone", "contact:phone", "contact:mobile")),
        ("email", ("email", "contact:email")),
    ):
        value = _first(tags, *keys)
        if value:
            out[fld] = value
    social = [tags[k].strip() for k in SOCIAL_KEYS if schema.is_web_url(tags.get(k, ""))]
    if social:
        out["social"] = ";".join(dict.fromkeys(social))
    address = address_of(tags)
    if address:
        out["address"] = address
    return clean_fields(out)


@lru_cache(maxsize=4096)
def _hours_problem(value: str) -> str | None:
    """:func:`mapping.hours.check`, once per distinct string (a region repeats a few
    hundred), with the strict value it likely means ("did you mean …") for the report."""
    return hours_tolerant.check_with_proposal(value)


def clean_fields(fields: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """``fields`` without the values the data folder would refuse, and a warning for
    each value dropped: opening_hours that do not parse, a wheelchair value other than
    yes/limited/no, a website that is not http(s), an e-mail that is not one."""
    rules: dict[str, Callable[[str], str | None]] = {
        "opening_hours": _hours_problem,
        "wheelchair": lambda v: (
            None if v in schema.WHEELCHAIR_VALUES else "expected yes, limited or no"
        ),
        "website": lambda v: None if schema.is_web_url(v) else "not an http(s) address",
        "email": lambda v: None if schema.is_email(v) else "not an e-mail address",
    }
    out = dict(fields)
    warnings: list[str] = []
    for fld, rule in rules.items():
        value = out.get(fld, "")
        problem = rule(value) if value else None
        if problem:
            del out[fld]
            warnings.append(f"{fld} {value!r} dropped: {problem}")
    return out, warnings


def _first(tags: Mapping[str, str], *keys: str) -> str:
    return next((tags[k].strip() for k in keys if tags.get(k, "").strip()), "")


def address_of(tags: Mapping[str, str]) -> str:
    """``addr:full``, or "street number, postcode city" from the ``addr:*`` tags."""
    if tags.get("addr:full", "").strip():
        return tags["addr:full"].strip()
    street = " ".join(
        tags[k].strip() for k in ("addr:street", "addr:housenumber") if tags.get(k, "").strip()
    )
    place = street or tags.get("addr:place", "").strip()
    town = " ".join(
        tags[k].strip() for k in ("addr:postcode", "addr:city") if tags.get(k, "").strip()
    )
    return ", ".join(p for p in (place, town) if p)


def osm_source(ref: str) -> str:
    """The ``source`` of an OSM element: ``OpenStreetMap node/1 (https://…/node/1)``."""
    return f"OpenStreetMap {ref} ({OSM_URL}{ref})"


def centre(shape: BaseGeometry | None) -> tuple[float, float] | None:
    """One point for a geometry (see the module's decisions); ``None`` if empty."""
    if shape is None or shape.is_empty:
        return None
    if isinstance(shape, shapely.Point):
        return (shape.x, shape.y)
    if isinstance(shape, shapely.LineString) and not shape.is_closed:
        point = shape.interpolate(0.5, normalized=True)
    else:
        if isinstance(shape, shapely.LineString):
            shape = shapely.Polygon(shape.coords)
        point = shape.centroid
        if isinstance(shape, shapely.Polygon | shapely.MultiPolygon) and not shape.contains(point):
            point = shape.representative_point()
    return (point.x, point.y)


# --------------------------------------------------------------------------- readers


def is_osm_json(doc: object) -> bool:
    """Whether a JSON document is an Overpass export (GeoJSON with ``@id``s, or JSON)."""
    if not isinstance(doc, dict):
        return False
    if isinstance(doc.get("elements"), list):
        return True
    features = doc.get("features")
    if not isinstance(features, list):
        return False
    for feature in features[:50]:
        if isinstance(feature, dict):
            props = feature.get("properties") or {}
            ref = (props.get("@id") if isinstance(props, dict) else None) or feature.get("id")
            if isinstance(ref, str) and ref.split("/")[0] in ("node", "way", "relation"):
                return True
    return False


def elements_from_json(doc: dict[str, Any]) -> Iterator[Element]:
    """Elements of an Overpass GeoJSON or Overpass JSON document."""
    if isinstance(doc.get("elements"), list):
        yield from _overpass_json(doc["elements"])
        return
    for number, feature in enumerate(doc.get("features") or [], start=1):
        if not isinstance(feature, dict):
            yield Element(f"feature {number}", {}, None, "not a GeoJSON feature")
            continue
        found = feature.get("properties")
        props: dict[str, Any] = found if isinstance(found, dict) else {}
        tags = {
            str(k): str(v)
            for k, v in props.items()
            if not str(k).startswith("@")
            and k not in ("id", "tags")
            and isinstance(v, str | int | float)
        }
        if isinstance(props.get("tags"), dict):
            tags.update({str(k): str(v) for k, v in props["tags"].items()})
        ref = props.get("@id") or feature.get("id") or props.get("id") or f"feature {number}"
        ref = str(ref)
        if "type" in props and "id" in props and "/" not in ref:  # osmtogeojson's old form
            ref = f"{props['type']}/{props['id']}"
        try:
            shape = shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") else None
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            shape = None
        point = centre(shape)
        yield Element(ref, tags, point, "" if point else "no readable geometry")


def _overpass_json(elements: list[Any]) -> Iterator[Element]:
    for item in elements:
        if not isinstance(item, dict) or not item.get("tags"):
            continue  # untagged nodes are a way's vertices
        ref = f"{item.get('type')}/{item.get('id')}"
        tags = {str(k): str(v) for k, v in item["tags"].items()}
        center = item.get("center")
        where: dict[str, Any] = (
            item if "lat" in item else (center if isinstance(center, dict) else {})
        )
        point = None
        if isinstance(where.get("lat"), int | float) and isinstance(where.get("lon"), int | float):
            point = (float(where["lon"]), float(where["lat"]))
        elif isinstance(item.get("geometry"), list):  # out geom: the way's vertices
            coords = [(g["lon"], g["lat"]) for g in item["geometry"] if isinstance(g, dict)]
            point = centre(shapely.LineString(coords)) if len(coords) > 1 else None
        yield Element(ref, tags, point, "" if point else "no position (use out center)")


def elements_from_osm_file(path: Path) -> Iterator[Element]:
    """Tagged elements of an ``.osm`` XML or ``.osm.pbf`` file, read with pyosmium.

    Nodes give their location; ways their vertices' shape (closed: a polygon); a
    multipolygon relation the area libosmium assembles; other relations are skipped.
    """
    import osmium  # a C++ extension: imported when an .osm file is read
    from osmium.geom import WKBFactory

    factory = WKBFactory()
    processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
    areas: dict[str, tuple[float, float] | None] = {}
    relations: list[Element] = []
    for obj in processor:
        if isinstance(obj, osmium.osm.Area):
            if not obj.from_way():
                try:
                    shape = shapely.from_wkb(factory.create_multipolygon(obj))
                except RuntimeError:
                    shape = None
                areas[f"relation/{obj.orig_id()}"] = centre(shape)
            continue
        if not isinstance(obj, osmium.osm.Node | osmium.osm.Way | osmium.osm.Relation):
            continue
        tags = {t.k: t.v for t in obj.tags}
        if not tags:
            continue
        if isinstance(obj, osmium.osm.Node):
            loc = obj.location
            point = (loc.lon, loc.lat) if loc.valid() else None
            yield Element(f"node/{obj.id}", tags, point, "" if point else "no location")
        elif isinstance(obj, osmium.osm.Way):
            try:
                coords = [(n.lon, n.lat) for n in obj.nodes]
            except osmium.InvalidLocationError:
                coords = []
            shape = shapely.LineString(coords) if len(coords) > 1 else None
            point = centre(shape)
            yield Element(
                f"way/{obj.id}",
                tags,
                point,
                "" if point else "way without node locations in the file",
            )
        else:
            relations.append(
                Element(
                    f"relation/{obj.id}",
                    tags,
                    None,
                    f"relation type={tags.get('type', '?')} has no polygon "
                    "geometry (only multipolygons are placed)",
                )
            )
    for rel in relations:
        point = areas.get(rel.ref)
        if point is not None:
            rel.point, rel.problem = point, ""
        yield rel


def elements_from_overpass_xml(path: Path) -> Iterator[Element]:
    """Tagged elements of an Overpass ``out center`` XML file.

    libosmium refuses the ``<center>`` element (an Overpass extension, not OSM XML), so
    this form is read with the standard library's ``xml.etree.ElementTree.iterparse``:
    one element at a time, its ``<tag>`` children and its ``lat``/``lon`` or
    ``<center>``. Only used after pyosmium has refused the file.
    """
    from xml.etree.ElementTree import iterparse

    for _, item in iterparse(path, events=("end",)):
        if item.tag not in ("node", "way", "relation"):
            continue
        tags = {t.get("k", ""): t.get("v", "") for t in item.iter("tag")}
        where = item if item.get("lat") else item.find("center")
        point = None
        if where is not None and where.get("lat") and where.get("lon"):
            point = (float(where.get("lon", "nan")), float(where.get("lat", "nan")))
        if tags:
            yield Element(
                f"{item.tag}/{item.get('id')}",
                tags,
                point,
                "" if point else "no position (use out center)",
            )
        item.clear()


def read_json(path: Path) -> Any:
    """A JSON file's document (``orjson``)."""
    return orjson.loads(path.read_bytes())
