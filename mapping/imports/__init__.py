"""Data in: venues from OpenStreetMap and GIS files, events from iCalendar and the
municipal calendar CSV, merged into a data folder without duplicates.

- :mod:`~mapping.imports.osm`: the OpenStreetMap tag table and readers (Overpass
  GeoJSON and JSON, ``.osm`` XML through pyosmium);
- :mod:`~mapping.imports.venues`: any source to venue records, the merge (stable id,
  else name within a distance; hand edits kept) and the atomic write;
- :mod:`~mapping.imports.match`: location names to venue ids (diacritics-insensitive,
  fuzzy with rapidfuzz, a manual mapping file);
- :mod:`~mapping.imports.ics` and :mod:`~mapping.imports.calendar_csv`: events from an
  organiser's ``.ics`` and from the municipality's cultural calendar;
- :mod:`~mapping.imports.report`: the report every import prints (and writes as CSV).

``python -m mapping import`` and ``import-events`` (:mod:`mapping.cli`) call
:func:`import_venues` and :func:`import_events`.
"""

from __future__ import annotations

from mapping.imports.events import import_events
from mapping.imports.report import ImportReport, ReportRow
from mapping.imports.venues import import_venues

__all__ = ["ImportReport", "ReportRow", "import_events", "import_venues"]
