"""Venues from OpenStreetMap and GIS files, merged into a data folder's ``venues.geojson``.

Sources: an Overpass GeoJSON/JSON export or ``.osm`` XML (:mod:`mapping.imports.osm`);
CSV (``lon``/``lat``, or ``x``/``y`` with ``--source-crs``), GeoPackage, Shapefile or
GeoJSON in any CRS (a legacy GeoJSON ``crs`` member is honoured), read by
:func:`mapping.geodata.read_geodata`. A table with a ``category`` column is read in our own
field names (``data/README.md``); one without it but with OpenStreetMap tag columns
(``tourism``, ``amenity``…) goes through the OSM tag table.

Decisions:

- **Merging** and **hand edits** (the same venue by stable id or name and distance;
  a field the maintainer changed is kept): :mod:`mapping.imports.venue_merge`.
- **Skipped, with the reason**: no mapped tag or no category, a category the town's
  ``categories.csv`` lacks, no name, no position, a point outside the study area
  (``city.toml`` ``bbox``), a duplicate, a name or description longer than
  ``[limits]`` allows (that record only, named by its source such as ``node/123``).
  Values the folder would refuse (bad ``opening_hours``, ``wheelchair``, website,
  e-mail) are dropped with a warning and the venue is imported
  (:func:`mapping.imports.osm.clean_fields`).
- **All or nothing.** :func:`mapping.checked_write.write_checked` validates the merged
  folder on a temporary copy; a problem that the folder did not already have stops the
  import and nothing is written. Otherwise ``venues.geojson`` is replaced atomically,
  in the same layout (one-space JSON indent, UTF-8), so the change reviews as a diff
  (and not over a hand edit saved during the check). ``--dry-run`` writes nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import geopandas as gpd
import orjson

from mapping import checked_write, cited
from mapping.errors import DataError, Problem
from mapping.geodata import read_geodata
from mapping.imports import osm
from mapping.imports.report import ImportReport
from mapping.imports.venue_fields import field_text, is_shapefile, restore_shapefile_names
from mapping.imports.venue_merge import GEOMETRY, IMPORTED, OSM_ID, Incoming, Merger
from mapping.io import read_table, venue_model_fields
from mapping.schema import PRECISION_EXACT, inside_bbox
from mapping.settings import CityProfile, load_city

VENUES_FILE = "venues.geojson"
_OSM_EXTENSIONS = (".osm", ".osm.xml", ".osm.pbf", ".pbf", ".osc")


def importable_fields(languages: Sequence[str]) -> tuple[str, ...]:
    """Fields an import may write (and ``--overwrite`` may name): every field of the data
    model (:func:`mapping.io.venue_model_fields`) but the ``id``, and the point."""
    fields = venue_model_fields(tuple(languages))
    return (*(f for f in fields if f != "id"), GEOMETRY)


# --------------------------------------------------------------------------- reading


def read_incoming(
    path: Path, city: CityProfile, source_crs: str | None = None, notes: list[str] | None = None
) -> list[Incoming]:
    """Every record of ``path`` as :class:`Incoming` (skipped ones with their reason);
    what the file holds that no record can carry is added to ``notes``."""
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
    found = [] if notes is None else notes
    if is_shapefile(path):
        fields = (*venue_model_fields(city.languages), OSM_ID, IMPORTED)
        renamed, cut_notes = restore_shapefile_names(frame, path.name, fields)
        frame = gpd.GeoDataFrame(renamed, geometry=frame.geometry.name, crs=frame.crs)
        found += cut_notes
    return list(_from_table(frame, path.name, city.languages, found))


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
    fields["location_precision"] = PRECISION_EXACT
    return Incoming(
        element.ref,
        fields,
        element.point,
        osm_id=element.ref,
        skip=skip,
        warnings=warnings,
        english_name=element.tags.get("name:en", "").strip(),
    )


def _from_table(
    frame: gpd.GeoDataFrame, file: str, languages: Sequence[str], notes: list[str]
) -> Iterable[Incoming]:
    wanted = importable_fields(languages)
    tag_keys = {key for key, _, _ in osm.TAG_TABLE} | {"historic"}
    if cited.LEGACY in frame.columns:  # the old single column: read into the two numbers
        frame = cited.to_columns(frame)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if "category" in columns:
        bookkeeping = ("id", "@id", OSM_ID, IMPORTED)
        unplaced = [str(c) for c in columns if c not in wanted and c not in bookkeeping]
        if unplaced:
            notes.append(
                f"column(s) {', '.join(unplaced)} not imported: not a venue field of this "
                f"town (data/README.md; languages {', '.join(languages)})"
            )
    for number, (record, shape) in enumerate(
        zip(frame[columns].to_dict("records"), frame.geometry, strict=True), start=1
    ):
        props = {str(k): field_text(str(k), v) for k, v in record.items()}
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
        fields.setdefault("location_precision", PRECISION_EXACT)
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
            english_name=props.get("name_en", ""),
        )


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
    too_long = over_limit(incoming.fields, city)
    if too_long:
        return too_long
    if incoming.point is None or not all(math.isfinite(c) for c in incoming.point):
        return "no position"
    lon, lat = incoming.point
    if not inside_bbox(lon, lat, city.bbox):
        return (
            f"outside the study area: {lat:.5f}, {lon:.5f} is not inside "
            f"city.toml bbox {list(city.bbox)}"
        )
    return ""


def over_limit(fields: dict[str, str], city: CityProfile) -> str:
    """Why a record's names or descriptions are too long for the town (``""``: fine).

    The same ``[limits]`` as :func:`mapping.record_checks.check_lengths`, checked per
    record before merging, so one over-long OpenStreetMap name skips that feature (named
    ``node/…`` in the report) instead of failing the whole import at validation.
    """
    for fld, value in fields.items():
        if fld == "name" or fld.startswith("name_"):
            limit, key = city.name_max_chars, "name_max_chars"
        elif fld.startswith("description_"):
            limit, key = city.description_max_chars, "description_max_chars"
        else:
            continue
        if len(value) > limit:
            return (
                f"{fld} is {len(value)} characters; expected at most {limit} "
                f"([limits] {key} in city.toml)"
            )
    return ""


def geojson_text(doc: dict[str, Any]) -> bytes:
    """The venues file in the data folder's layout (one-space indent, UTF-8, final LF)."""
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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
    raw = checked_write.current_bytes(into / VENUES_FILE)
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    if raw is not None:
        try:
            doc = orjson.loads(raw)
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
    cited.convert_document(doc)  # what an import writes has the new cited form
    report = ImportReport(file.name)
    merger = Merger(features, overwrite, report)
    for incoming in read_incoming(file, city, source_crs, report.notes):
        reason = check_incoming(incoming, city, categories)
        if reason:
            report.add("skipped", incoming.ref, "", incoming.fields.get("name", ""), reason)
        else:
            merger.add(incoming)
    if report.changed and not dry_run:
        checked_write.write_checked(into, VENUES_FILE, geojson_text(doc), built_from=raw)
        report.written = True
    return report
