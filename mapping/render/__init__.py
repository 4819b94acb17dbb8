"""The one map builder: every page's map (Explore, What's on, …) and the HTML export.

Two steps, so a page can cache the expensive one:

1. :func:`build_payload` turns the venues into one immutable :class:`MapPayload`: a
   JSON document whose schema is :class:`Payload` (:mod:`mapping.render.contract`:
   compact per-category columns, lookup tables for repeated strings, every data string
   escaped; the UI texts come from :mod:`mapping.render.labels`). Pure: it never
   reads the clock, the caller passes ``now`` in :class:`MapOptions`.
2. :func:`base_map` is the town's map with the runtime (:class:`VenueRuntime`,
   ``templates/venue_map.js``) and no venues; :func:`venue_layers` wraps a payload
   (:class:`VenueLayers`). A page mounts the base map once with streamlit-folium and
   sends each view's layers as a dynamic feature group, so Leaflet is never reloaded
   when a filter changes. :func:`venue_map` puts both in one standalone map.

:func:`build_map` does both steps. :func:`standalone_html` is the HTML export: the same
map with every vendored script, stylesheet and the icon font written into one file
(:mod:`mapping.render.inline`, asset base :data:`INLINE`), for a partner's ``<iframe>``.
Why it is built this way:

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

from mapping.render.build import (
    base_map,
    build_map,
    landmark_points,
    map_html,
    standalone_html,
    venue_layers,
    venue_map,
)
from mapping.render.contract import Category, HoursRow, Labels, Layer, Payload
from mapping.render.elements import MAX_ZOOM, VenueLayers, VenueMap, VenueRuntime, Verbatim
from mapping.render.inline import INLINE
from mapping.render.payload import (
    ASSET_BASE,
    DIRECTIONS_URL,
    SELECTED_MIN_ZOOM,
    MapOptions,
    MapPayload,
    build_payload,
    embed_json,
    with_view,
)

__all__ = [
    "ASSET_BASE",
    "DIRECTIONS_URL",
    "INLINE",
    "MAX_ZOOM",
    "SELECTED_MIN_ZOOM",
    "Category",
    "HoursRow",
    "Labels",
    "Layer",
    "MapOptions",
    "MapPayload",
    "Payload",
    "VenueLayers",
    "VenueMap",
    "VenueRuntime",
    "Verbatim",
    "base_map",
    "build_map",
    "build_payload",
    "embed_json",
    "landmark_points",
    "map_html",
    "standalone_html",
    "venue_layers",
    "venue_map",
    "with_view",
]
