"""Data in: venues from OpenStreetMap and GIS files, events from iCalendar and the
municipal calendar CSV, merged into a data folder without duplicates.

- :mod:`~mapping.imports.osm`: the OpenStreetMap tag table and readers (Overpass
  GeoJSON and JSON, ``.osm`` XML through pyosmium);
- :mod:`~mapping.imports.venues`: any source to venue records, checked and written
  through :mod:`mapping.checked_write` (validated on a copy, then atomic);
- :mod:`~mapping.imports.venue_merge`: the merge (stable id, else name within a
  distance; hand edits kept) and new venue ids;
- :mod:`~mapping.imports.venue_fields`: every data-model field between a table and
  ``venues.geojson`` (text to merge, JSON type to write, Shapefile names mapped back);
- :mod:`~mapping.imports.match`: location names to venue ids (diacritics-insensitive,
  fuzzy with rapidfuzz, a manual mapping file);
- :mod:`~mapping.imports.ics` and :mod:`~mapping.imports.calendar_csv`: events from an
  organiser's ``.ics`` and from the municipality's cultural calendar, as the groups of
  :mod:`~mapping.imports.event_source` (with the one event id), merged by
  :mod:`~mapping.imports.events`;
- :mod:`~mapping.imports.report`: the report every import prints (and writes as CSV).

``python -m mapping import`` and ``import-events`` (:mod:`mapping.cli`) call
:func:`import_venues` and :func:`import_events`.
"""

from __future__ import annotations

from mapping.imports.events import import_events
from mapping.imports.report import ImportReport, ReportRow
from mapping.imports.venues import import_venues

__all__ = ["ImportReport", "ReportRow", "import_events", "import_venues"]
