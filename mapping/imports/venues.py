"""Venues from OpenStreetMap and GIS files, merged into a data folder's ``venues.geojson``.

Sources: an Overpass GeoJSON/JSON export or ``.osm`` XML (:mod:`mapping.imports.osm`);
CSV (``lon``/``lat``, or ``x``/``y`` with ``--source-crs``), GeoPackage, Shapefile or
GeoJSON in any CRS (a legacy GeoJSON ``crs`` member is honoured), read by
:func:`mapping.io.read_geodata`. A table with a ``category`` column is read in our own
field names (``data/README.md``); one without it but with OpenStreetMap tag columns
(``tourism``, ``amenity``…) goes through the OSM tag table.

Decisions:

- **Merging** (:func:`merge`): an incoming record is the same venue as an existing one
  when it has the same stable id: the OpenStreetMap element (``osm_id``, e.g.
  ``node/123``), or, from a table, our ``id``. Otherwise when a name (any language,
  folded by :func:`mapping.imports.match.name_key`) is the same and the points are at
  most :data:`MERGE_DISTANCE_M` apart. A name match with a venue already linked to a
  *different* OSM element (a shop mapped as a node and as its building) is skipped as
  a duplicate: nothing is ever added twice.
- **Hand edits are kept.** Each imported venue carries ``imported``: for every field
  the import wrote, ``field:hash`` of the value it wrote (8 hex digits of BLAKE2b;
  ``geometry`` is the point to 1e-7 degree). On the next import a field is replaced
  only if it is empty, or still holds exactly what the last import wrote (its hash
  matches); a value the maintainer changed, and every value of a venue typed by hand
  (no hash), is kept and reported, unless the field is named in ``--overwrite``.
- **Skipped, with the reason**: no mapped tag or no category, a category the town's
  ``categories.csv`` lacks, no name, no position, a point outside the study area
  (``city.toml`` ``bbox``), a duplicate. Values the folder would refuse (bad
  ``opening_hours``, ``wheelchair``, website, e-mail) are dropped with a warning and
  the venue is imported (:func:`mapping.imports.osm.clean_fields`).
- **All or nothing.** The merged folder is validated (:func:`mapping.validate.validate_folder`
  on a temporary copy); a problem that the folder did not already have stops the
  import and nothing is written. Otherwise ``venues.geojson`` is replaced atomically
  (:func:`mapping.files.atomic_write`), in the same layout (one-space JSON indent,
  UTF-8), so the change reviews as a diff. ``--dry-run`` writes nothing.
- **New ids** are the table's own ``id`` when it is a valid unused slug, else slugs of
  the first Latin-script name (``name``, ``name_<lang>``),
  else the element (``osm-node-123``); ``-2``, ``-3``… when taken.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import geopandas as gpd
import orjson
import pyproj

from mapping._errors import DataError, Problem
from mapping.files import atomic_write
from mapping.imports import osm
from mapping.imports.match import name_key
from mapping.imports.report import ImportReport
from mapping.io import read_geodata, read_table
from mapping.settings import CityProfile, load_city
from mapping.text import fold
from mapping.validate import validate_folder

MERGE_DISTANCE_M = 150.0
"""Two records with the same name at most this far apart are the same venue."""
OSM_ID = "osm_id"
"""Venue property holding the OpenStreetMap element (``node/123``) it came from."""
IMPORTED = "imported"
"""Venue property ``field:hash;…`` of the values the last import wrote."""
BASE_FIELDS = (
    "name",
    "category",
    "opening_hours",
    "wheelchair",
    "website",
    "phone",
    "email",
    "social",
    "address",
    "source",
    "location_precision",
    "settlement",
)
GEOMETRY = "geometry"
_GEOD = pyproj.Geod(ellps="WGS84")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_OSM_EXTENSIONS = (".osm", ".osm.xml", ".osm.pbf", ".pbf", ".osc")


def importable_fields(languages: Sequence[str]) -> tuple[str, ...]:
    """Fields an import may write (and ``--overwrite`` may name)."""
    return (
        *BASE_FIELDS,
        *(f"name_{lang}" for lang in languages),
        *(f"description_{lang}" for lang in languages),
        GEOMETRY,
    )


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


# --------------------------------------------------------------------------- reading


def read_incoming(path: Path, city: CityProfile, source_crs: str | None = None) -> list[Incoming]:
    """Every record of ``path`` as :class:`Incoming` (skipped ones with their reason)."""
    name = path.name.lower()
    if name.endswith(_OSM_EXTENSIONS):
        try:
            elements = list(osm.elements_from_osm_file(path))
        except RuntimeError as exc:  # pyosmium: malformed XML, unknown format
            if "center" not in str(exc):
                raise DataError(
                    [Problem(path.name, "-", "-", f"cannot read as OSM: {exc}")]
                ) from None
            try:
                elements = list(osm.elements_from_overpass_xml(path))
            except (ParseError, ValueError) as err:
                raise DataError(
                    [Problem(path.name, "-", "-", f"cannot read as OSM: {err}")]
                ) from None
        return [from_element(e, city.languages) for e in elements]
    if name.endswith((".geojson", ".json")):
        try:
            doc = osm.read_json(path)
        except orjson.JSONDecodeError as exc:
            raise DataError([Problem(path.name, "-", "-", f"malformed JSON: {exc}")]) from None
        except OSError as exc:
            raise DataError([Problem(path.name, "-", "-", f"cannot read: {exc}")]) from None
        if osm.is_osm_json(doc):
            return [from_element(e, city.languages) for e in osm.elements_from_json(doc)]
    frame = read_geodata(path, source_crs)
    return list(_from_table(frame, path.name, city.languages))


def from_element(element: osm.Element, languages: Sequence[str]) -> Incoming:
    """An OpenStreetMap element as an incoming venue (tag table, fields, source)."""
    fields, warnings = osm.venue_fields(element.tags, tuple(languages))
    category, _ = osm.category_for(element.tags)
    skip = element.problem
    if category is None:
        skip = osm.skip_reason(element.tags)
    else:
        fields["category"] = category
    fields["source"] = osm.osm_source(element.ref)
    fields["location_precision"] = "exact"
    return Incoming(
        element.ref, fields, element.point, osm_id=element.ref, skip=skip, warnings=warnings
    )


def _from_table(frame: gpd.GeoDataFrame, file: str, languages: Sequence[str]) -> Iterable[Incoming]:
    wanted = importable_fields(languages)
    tag_keys = {key for key, _, _ in osm.TAG_TABLE} | {"historic"}
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for number, (record, shape) in enumerate(
        zip(frame[columns].to_dict("records"), frame.geometry, strict=True), start=1
    ):
        props = {str(k): _text(v) for k, v in record.items()}
        props = {k: v for k, v in props.items() if v}
        ref = props.get("id") or props.get("@id") or f"row {number}"
        point = osm.centre(shape) if shape is not None else None
        if not props.get("category") and tag_keys & set(props):
            tags = {
                k.replace("_", ":", 1) if k.startswith(("name_", "addr_", "contact_")) else k: v
                for k, v in props.items()
            }
            element = osm.Element(
                props.get("@id") or props.get(OSM_ID) or f"{file} {ref}",
                tags,
                point,
                "" if point else "no geometry",
            )
            incoming = from_element(element, languages)
            if not (props.get("@id") or props.get(OSM_ID)):
                incoming.osm_id = ""
                incoming.fields["source"] = f"{file} ({ref})"
            yield incoming
            continue
        fields, warnings = osm.clean_fields({k: v for k, v in props.items() if k in wanted})
        fields.setdefault("source", f"{file} ({ref})")
        fields.setdefault("location_precision", "exact")
        skip = (
            ""
            if fields.get("category")
            else (
                "no category (expected a category column, or OpenStreetMap tags such as "
                "tourism or amenity)"
            )
        )
        if point is None:
            skip = skip or "no geometry"
        yield Incoming(
            ref,
            fields,
            point,
            osm_id=props.get(OSM_ID, ""),
            stable_id=props.get("id", ""),
            skip=skip,
            warnings=warnings,
        )


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_incoming(incoming: Incoming, city: CityProfile, categories: set[str]) -> str:
    """Why ``incoming`` cannot be imported here (``""``: it can)."""
    if incoming.skip:
        return incoming.skip
    category = incoming.fields.get("category", "")
    if category not in categories:
        return (
            f"category {category!r} is not in categories.csv "
            f"(expected one of {', '.join(sorted(categories))})"
        )
    if not incoming.fields.get("name"):
        return "no name"
    if incoming.point is None or not all(math.isfinite(c) for c in incoming.point):
        return "no position"
    lon, lat = incoming.point
    west, south, east, north = city.bbox
    if not (west <= lon <= east and south <= lat <= north):
        return (
            f"outside the study area: {lat:.5f}, {lon:.5f} is not inside "
            f"city.toml bbox {list(city.bbox)}"
        )
    return ""


# --------------------------------------------------------------------------- merging


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
        props: dict[str, Any] = {"id": self._new_id(incoming), **incoming.fields}
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
        if _ID.fullmatch(incoming.stable_id) and incoming.stable_id not in self.by_id:
            return incoming.stable_id  # a table's own id, when it is one of ours
        names = [v for k, v in incoming.fields.items() if k == "name" or k.startswith("name_")]
        base = next((s for s in (_ascii_slug(n) for n in names) if s), "")
        if not base:
            base = _ascii_slug(incoming.osm_id.replace("/", "-")) or "venue"
            base = f"osm-{base}" if incoming.osm_id else base
        candidate, n = base, 1
        while candidate in self.by_id:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

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
                raw = props.get(fld)
                current = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
            if current == new:
                continue
            if not current or hashes.get(fld) == value_hash(current) or fld in self.overwrite:
                if fld == GEOMETRY:
                    feature["geometry"] = {
                        "type": "Point",
                        "coordinates": [round(incoming.point[0], 7), round(incoming.point[1], 7)],
                    }
                else:
                    props[fld] = new
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


def _ascii_slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:60].strip("-")


# --------------------------------------------------------------------------- writing


def geojson_text(doc: dict[str, Any]) -> bytes:
    """The venues file in the data folder's layout (one-space indent, UTF-8, final LF)."""
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def new_problems(folder: Path, replacements: dict[str, bytes]) -> list[Problem]:
    """Problems the folder would have with ``replacements`` (file name → bytes) that it
    does not have now: validated on a temporary copy, the folder itself untouched."""
    with tempfile.TemporaryDirectory(prefix="kcm-import-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(folder, copy, symlinks=False)
        for name, payload in replacements.items():
            (copy / name).write_bytes(payload)
        after = validate_folder(copy)
    if not after:
        return []  # the usual case: no need to validate the folder as it is
    before = {str(p) for p in validate_folder(folder)}
    return [p for p in after if str(p) not in before]


def write_checked(
    report: ImportReport, into: Path, name: str, payload: Callable[[], bytes], *, dry_run: bool
) -> ImportReport:
    """Write ``into/name`` atomically when the import added or changed a record and it
    is not a dry run; a problem the folder did not have raises :class:`DataError` and
    nothing is written (:func:`new_problems`)."""
    counts = report.counts()
    if dry_run or not (counts["new"] or counts["updated"]):
        return report
    data = payload()
    problems = new_problems(into, {name: data})
    if problems:
        raise DataError(problems)
    with atomic_write(into / name) as fh:
        fh.write(data)
    report.written = True
    return report


def import_venues(
    file: Path,
    into: Path,
    *,
    source_crs: str | None = None,
    dry_run: bool = False,
    overwrite: Sequence[str] = (),
) -> ImportReport:
    """Import ``file`` into the data folder ``into`` (see the module's decisions).

    Raises :class:`DataError` naming the file, record and field when the source cannot
    be read, ``--overwrite`` names an unknown field, or the merged folder would not
    validate (then nothing is written).
    """
    city = load_city(into / "city.toml")
    unknown = [f for f in overwrite if f not in importable_fields(city.languages)]
    if unknown:
        msg = (
            f"unknown field(s) {', '.join(unknown)}; expected some of "
            f"{', '.join(importable_fields(city.languages))}"
        )
        raise DataError([Problem(file.name, "-", "--overwrite", msg)])
    categories = set(read_table(into / "categories.csv")["id"])
    venues_path = into / "venues.geojson"
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    if venues_path.exists():
        try:
            doc = orjson.loads(venues_path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise DataError(
                [
                    Problem(
                        "venues.geojson",
                        "-",
                        "-",
                        f"malformed JSON ({exc}); fix it before importing",
                    )
                ]
            ) from None
    features = doc.setdefault("features", [])
    report = ImportReport(file.name)
    merger = Merger(features, overwrite, report)
    for incoming in read_incoming(file, city, source_crs):
        reason = check_incoming(incoming, city, categories)
        if reason:
            report.add("skipped", incoming.ref, "", incoming.fields.get("name", ""), reason)
        else:
            merger.add(incoming)
    return write_checked(report, into, "venues.geojson", lambda: geojson_text(doc), dry_run=dry_run)
