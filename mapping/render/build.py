"""The maps a page shows: a base map mounted once, payload layers sent to it, the HTML."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from mapping.i18n import localized_column
from mapping.render.elements import VenueLayers, VenueMap, VenueRuntime
from mapping.render.inline import INLINE, is_inline
from mapping.render.payload import ASSET_BASE, MapOptions, MapPayload, build_payload
from mapping.settings import CityProfile
from mapping.text import safe_attribution


def base_map(
    city: CityProfile,
    *,
    asset_base: str = ASSET_BASE,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> folium.Map:
    """The town's map without venues: tiles, controls and the runtime that draws payloads.

    Its text depends on the town only (and on ``center``/``zoom`` when given), so a
    page that shows it with streamlit-folium keeps one mounted map across reruns and
    sends each view as :func:`venue_layers` (``feature_group_to_add``): no Leaflet
    reload when a filter, the start point, the selection or the language changes.
    """
    fmap = VenueMap(
        location=center or city.map_center,
        zoom_start=zoom or city.map_zoom,
        asset_base=asset_base,
        title=city.name,
    )
    # Leaflet inserts the attribution as HTML: only text and http(s) links reach it,
    # even for a profile that did not come through load_city's check.
    VenueRuntime(city.tile_url, safe_attribution(city.tile_attribution), asset_base).add_to(fmap)
    return fmap


def venue_layers(payload: MapPayload) -> VenueLayers:
    """One view's venues, for a mounted :func:`base_map` (streamlit-folium's
    ``feature_group_to_add``) or as a child of a standalone map."""
    return VenueLayers(payload)


def venue_map(payload: MapPayload, city: CityProfile) -> folium.Map:
    """A standalone map drawing ``payload``, opening on the payload's view.

    Cheap (no venue is looked at again): :func:`base_map` with :func:`venue_layers`
    added as a child, for the HTML export and tests.
    """
    fmap = base_map(city, asset_base=payload.asset_base, center=payload.center, zoom=payload.zoom)
    venue_layers(payload).add_to(fmap)
    return fmap


def build_map(
    venues: gpd.GeoDataFrame,
    categories: pd.DataFrame,
    city: CityProfile,
    lang: str,
    options: MapOptions,
) -> folium.Map:
    """:func:`build_payload` then :func:`venue_map`: the map of ``venues`` in ``lang``."""
    return venue_map(build_payload(venues, categories, city, lang, options), city)


def landmark_points(
    places: gpd.GeoDataFrame, lang: str, languages: tuple[str, ...]
) -> dict[str, tuple[str, float, float]]:
    """``{place id: (name in lang, lat, lon)}``: :attr:`MapOptions.landmarks` from the
    data's places (a boat-only venue's ``boat_from`` names one)."""
    if places.empty:
        return {}
    names = localized_column(places, "name", lang, languages).tolist()
    return {
        str(pid): (str(name), float(lat), float(lon))
        for pid, name, lat, lon in zip(
            places["id"], names, places.geometry.y, places.geometry.x, strict=True
        )
    }


def map_html(fmap: folium.Map) -> str:
    """The full standalone HTML page the browser gets (also the HTML export)."""
    return fmap.get_root().render()


def standalone_html(payload: MapPayload, city: CityProfile) -> str:
    """The self-contained page drawing ``payload``: scripts, styles and the icon font
    inside (:mod:`mapping.render.inline`), no request but the tiles.

    Build the payload with ``asset_base=INLINE``. Links in cards open in a new window
    (``<base target="_blank">``), so inside a partner's ``<iframe>`` they leave the frame.
    """
    if not is_inline(payload.asset_base):
        msg = f"build the payload with asset_base={INLINE!r}, not {payload.asset_base!r}"
        raise ValueError(msg)
    html = map_html(venue_map(payload, city))
    return html.replace("<head>", '<head>\n<base target="_blank">', 1)
