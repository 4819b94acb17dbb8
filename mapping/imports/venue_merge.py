"""Merging incoming venue records into ``venues.geojson``'s features, keeping hand edits.

Decisions:

- **The same venue** (:meth:`Merger.add`): an incoming record is the same venue as an
  existing one when it has the same stable id: the OpenStreetMap element (``osm_id``,
  e.g. ``node/123``), or, from a table, our ``id``. Otherwise when a name (any
  language, folded by :func:`mapping.imports.match.name_key`) is the same and the
  points are at most :data:`MERGE_DISTANCE_M` apart. A name match with a venue already
  linked to a *different* OSM element (a shop mapped as a node and as its building) is
  skipped as a duplicate: nothing is ever added twice.
- **Hand edits are kept.** Each imported venue carries ``imported``: for every field
  the import wrote, ``field:hash`` of the value it wrote (8 hex digits of BLAKE2b;
  ``geometry`` is the point to 1e-7 degree). On the next import a field is replaced
  only if it is empty, or still holds exactly what the last import wrote (its hash
  matches); a value the maintainer changed, and every value of a venue typed by hand
  (no hash), is kept and reported, unless the field is named in ``--overwrite``.
- **New ids** are the table's own ``id`` when it is a valid unused id
  (:func:`mapping.schema.is_id`), else the ASCII slug (:func:`mapping.text.slug`) of
  ``name`` when it is in Latin script, else of the English name (``name:en`` in
  OpenStreetMap, ``name_en`` in a table, used for the id even when English is not a
  town language), else of ``name`` and the other ``name_<lang>`` transliterated
  ("Ново Село" → ``novo-selo``, never the ``ii`` left of "Ѓорче Петров II"); else the
  element (``osm-node-123``); ``-2``, ``-3``… when taken (:func:`mapping.text.unique`).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyproj

from mapping.imports.match import name_key
from mapping.imports.report import ImportReport
from mapping.imports.venue_fields import field_text, property_value
from mapping.schema import is_id
from mapping.text import slug, unique

MERGE_DISTANCE_M = 150.0
"""Two records with the same name at most this far apart are the same venue."""
OSM_ID = "osm_id"
"""Venue property holding the OpenStreetMap element (``node/123``) it came from."""
IMPORTED = "imported"
"""Venue property ``field:hash;…`` of the values the last import wrote."""
GEOMETRY = "geometry"
"""The name ``imported`` and ``--overwrite`` give the venue's point."""
ID_SLUG_CHARS = 60
"""A new venue id is at most this many characters of a name's slug (before ``-2``…)."""
_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass
class Incoming:
    """One record of the source, as venue fields, before merging."""

    ref: str
    fields: dict[str, str]
    point: tuple[float, float] | None
    osm_id: str = ""
    stable_id: str = ""
    skip: str = ""
    warnings: list[str] = field(default_factory=list)
    english_name: str = ""  # ``name:en`` / ``name_en``: the preferred source of a new id


def value_hash(value: str) -> str:
    """8 hex digits identifying a value the import wrote (BLAKE2b)."""
    return hashlib.blake2b(value.encode("utf-8"), digest_size=4).hexdigest()


def parse_hashes(text: object) -> dict[str, str]:
    """``field:hash;…`` as a dict (bad parts ignored: they only make a field "hand-edited")."""
    out: dict[str, str] = {}
    for part in str(text or "").split(";"):
        fld, _, digest = part.partition(":")
        if fld.strip() and digest.strip():
            out[fld.strip()] = digest.strip()
    return out


def _point_text(lon: float, lat: float) -> str:
    return f"{lon:.7f},{lat:.7f}"


def _feature_point(feature: dict[str, Any]) -> tuple[float, float] | None:
    geometry = feature.get("geometry")
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (
        isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, int | float) for c in coords[:2])
    ):
        return float(coords[0]), float(coords[1])
    return None


def _names(props: dict[str, Any]) -> set[str]:
    return {
        name_key(v)
        for k, v in props.items()
        if (k == "name" or k.startswith("name_")) and isinstance(v, str) and v.strip()
    }


class Merger:
    """Merges incoming venues into a list of GeoJSON features (changed in place)."""

    def __init__(
        self, features: list[dict[str, Any]], overwrite: Sequence[str], report: ImportReport
    ) -> None:
        self.features = features
        self.overwrite = set(overwrite)
        self.report = report
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_osm: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        self.touched: set[int] = set()  # features this run created or matched
        for feature in features:
            self._index(feature)

    def _index(self, feature: dict[str, Any]) -> None:
        props = feature.setdefault("properties", {})
        if isinstance(props.get("id"), str):
            self.by_id[props["id"]] = feature
        if props.get(OSM_ID):
            self.by_osm[str(props[OSM_ID])] = feature
        for key in _names(props):
            self.by_name.setdefault(key, []).append(feature)

    def add(self, incoming: Incoming) -> None:
        """Merge one checked record: new, updated, unchanged or skipped as a duplicate."""
        name = incoming.fields.get("name", "")
        target = (self.by_osm.get(incoming.osm_id) if incoming.osm_id else None) or (
            self.by_id.get(incoming.stable_id) if incoming.stable_id else None
        )
        if target is None:
            target, why_not = self._by_name(incoming)
            if why_not:
                self.report.add("skipped", incoming.ref, "", name, why_not)
                return
        if target is not None and id(target) in self.touched:
            self.report.add(
                "skipped",
                incoming.ref,
                target["properties"].get("id", ""),
                name,
                "duplicate: another record of this file is the same venue",
            )
            return
        warnings = "; ".join(incoming.warnings)
        if target is None:
            feature = self._new(incoming)
            self.report.add("new", incoming.ref, feature["properties"]["id"], name, warnings)
            return
        self.touched.add(id(target))
        changed, kept = self._update(target, incoming)
        detail = "; ".join(
            filter(
                None,
                [
                    f"changed: {', '.join(changed)}" if changed else "",
                    (
                        f"kept hand-edited: {', '.join(kept)} (--overwrite FIELD replaces)"
                        if kept
                        else ""
                    ),
                    warnings,
                ],
            )
        )
        self.report.add(
            "updated" if changed else "unchanged",
            incoming.ref,
            target["properties"].get("id", ""),
            name,
            detail,
        )

    def _by_name(self, incoming: Incoming) -> tuple[dict[str, Any] | None, str]:
        keys = _names(incoming.fields)
        assert incoming.point is not None
        lon, lat = incoming.point
        for key in keys:
            for feature in self.by_name.get(key, []):
                point = _feature_point(feature)
                if point is None:
                    continue
                distance = _GEOD.inv(lon, lat, point[0], point[1])[2]
                if distance > MERGE_DISTANCE_M:
                    continue
                linked = str(feature["properties"].get(OSM_ID) or "")
                if linked and incoming.osm_id and linked != incoming.osm_id:
                    return None, (
                        f"duplicate: same name as {feature['properties'].get('id')} "
                        f"({distance:.0f} m away), which comes from {linked}"
                    )
                return feature, ""
        return None, ""

    def _new(self, incoming: Incoming) -> dict[str, Any]:
        assert incoming.point is not None
        props: dict[str, Any] = {
            "id": self._new_id(incoming),
            **{k: property_value(k, v) for k, v in incoming.fields.items()},
        }
        if incoming.osm_id:
            props[OSM_ID] = incoming.osm_id
        values = {**incoming.fields, GEOMETRY: _point_text(*incoming.point)}
        props[IMPORTED] = ";".join(f"{k}:{value_hash(v)}" for k, v in sorted(values.items()))
        feature = {
            "type": "Feature",
            "properties": props,
            "geometry": {
                "type": "Point",
                "coordinates": [round(incoming.point[0], 7), round(incoming.point[1], 7)],
            },
        }
        self.features.append(feature)
        self._index(feature)
        self.touched.add(id(feature))
        return feature

    def _new_id(self, incoming: Incoming) -> str:
        if is_id(incoming.stable_id) and incoming.stable_id not in self.by_id:
            return incoming.stable_id  # a table's own id, when it is one of ours
        original = incoming.fields.get("name", "")
        names = [
            original if _latin(original) else "",
            incoming.english_name,
            incoming.fields.get("name_en", ""),
            original,
            *(v for k, v in incoming.fields.items() if k.startswith("name_")),
        ]
        base = next((s for s in (_id_slug(n, "") for n in names) if s), "")
        if not base:
            base = _id_slug(incoming.osm_id.replace("/", "-"), "venue")
            base = f"osm-{base}" if incoming.osm_id else base
        return unique(base, self.by_id)

    def _update(self, feature: dict[str, Any], incoming: Incoming) -> tuple[list[str], list[str]]:
        assert incoming.point is not None
        props = feature["properties"]
        hashes = parse_hashes(props.get(IMPORTED))
        current_point = _feature_point(feature)
        values = {**incoming.fields, GEOMETRY: _point_text(*incoming.point)}
        changed: list[str] = []
        kept: list[str] = []
        for fld, new in values.items():
            if fld == GEOMETRY:
                current = _point_text(*current_point) if current_point else ""
            else:
                current = field_text(fld, props.get(fld))
            if current == new:
                continue
            if not current or hashes.get(fld) == value_hash(current) or fld in self.overwrite:
                if fld == GEOMETRY:
                    feature["geometry"] = {
                        "type": "Point",
                        "coordinates": [round(incoming.point[0], 7), round(incoming.point[1], 7)],
                    }
                else:
                    props[fld] = property_value(fld, new)
                hashes[fld] = value_hash(new)
                changed.append(fld)
            else:
                kept.append(fld)
        if incoming.osm_id and props.get(OSM_ID) != incoming.osm_id:
            props[OSM_ID] = incoming.osm_id
            self.by_osm[incoming.osm_id] = feature
            changed.append(OSM_ID)
        if changed:
            props[IMPORTED] = ";".join(f"{k}:{v}" for k, v in sorted(hashes.items()))
        return changed, kept


def _latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one (its slug needs no transliteration)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def _id_slug(text: str, default: str) -> str:
    return slug(text, default, ascii_only=True, max_chars=ID_SLUG_CHARS)
