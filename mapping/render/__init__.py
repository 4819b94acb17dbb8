"""The one map builder: every page's map (Explore, What's on, …) and the HTML export.

Two steps, so a page can cache the expensive one:

1. :func:`build_payload` turns the venues into one immutable :class:`MapPayload`: a
   JSON document whose schema is :class:`Payload` (compact per-category columns,
   lookup tables for repeated strings, every data string escaped). Pure: it never
   reads the clock, the caller passes ``now`` in :class:`MapOptions`.
2. :func:`venue_map` wraps a payload in a new folium tree (:class:`VenueMap` with a
   :class:`VenueLayers` child); ``templates/venue_map.js`` draws it in the browser.

:func:`build_map` does both. Why it is built this way:

- **No CDN.** Our vendored Leaflet, markercluster and Font Awesome under
  ``asset_base`` (``static/vendor``, see ``static/VENDOR.md``) replace folium's CDN
  assets. Tiles are the only network requests; markers are ``L.divIcon`` styled by our
  CSS, so the map still shows its venues without tiles.
- **One payload.** Thousands of folium ``Marker`` objects would cost seconds and
  megabytes; one document costs a few milliseconds and ~120 bytes per venue.
- **Escaping.** Every string from data passes through :func:`mapping.text.escape`
  before it reaches the payload, and the payload is embedded with ``<`` written as
  ``\\u003c``; the JS only concatenates these pre-escaped strings into HTML.
- **No Jinja re-parse.** Our elements add their output verbatim (:class:`Verbatim`).
"""

from __future__ import annotations

from mapping.render.build import build_map, map_html, venue_map
from mapping.render.elements import MAX_ZOOM, VenueLayers, VenueMap, Verbatim
from mapping.render.payload import (
    ASSET_BASE,
    DIRECTIONS_URL,
    SELECTED_MIN_ZOOM,
    Category,
    HoursRow,
    Labels,
    Layer,
    MapOptions,
    MapPayload,
    Payload,
    build_payload,
    embed_json,
)

__all__ = [
    "ASSET_BASE", "DIRECTIONS_URL", "MAX_ZOOM", "SELECTED_MIN_ZOOM", "Category", "HoursRow",
    "Labels", "Layer", "MapOptions", "MapPayload", "Payload", "VenueLayers", "VenueMap",
    "Verbatim", "build_map", "build_payload", "embed_json", "map_html", "venue_map",
]
