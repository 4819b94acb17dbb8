"""The map a page shows: the folium tree around a prebuilt payload, and its HTML."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from mapping.render.elements import VenueLayers, VenueMap
from mapping.render.payload import MapOptions, MapPayload, build_payload
from mapping.settings import CityProfile


def venue_map(payload: MapPayload, city: CityProfile) -> folium.Map:
    """A new folium map drawing ``payload``, titled with the town's name.

    Cheap (no venue is looked at again), so a page builds one per run from a cached
    payload instead of sharing one mutable folium tree between sessions.
    """
    fmap = VenueMap(location=payload.center, zoom_start=payload.zoom,
                    asset_base=payload.asset_base, title=city.name)
    VenueLayers(payload).add_to(fmap)
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


def map_html(fmap: folium.Map) -> str:
    """The full standalone HTML page the browser gets (also the HTML export)."""
    return fmap.get_root().render()
