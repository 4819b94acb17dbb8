"""The Planning page's map layer: settlements by coverage and the reach of open venues.

A folium ``FeatureGroup`` for a mounted :func:`mapping.render.base_map` (streamlit-folium's
``feature_group_to_add``), so the base map with its vendored Leaflet stays mounted while
the planner changes months or minutes. Tooltip text passes through
:func:`mapping.text.escape` (HTML and the JavaScript template string alike).
"""

from __future__ import annotations

import folium
import pandas as pd

from mapping.coverage import Plan
from mapping.i18n import t
from mapping.text import escape

STATUS_COLOURS = {"covered": "#117733", "possible": "#DDAA33", "not": "#CC3311"}
"""Settlement fill by coverage status (colour-blind safe, Paul Tol's palette)."""
STATUS_KEYS = {
    "covered": "planning.status.covered",
    "possible": "planning.status.possible",
    "not": "planning.status.not",
}
"""The catalogue key naming each status."""


def reach_metres(plan: Plan, minutes: float) -> float:
    """The straight-line radius the walk model covers in ``minutes`` (speed ÷ detour)."""
    return minutes * plan.speed_kmh * 1000 / 60 / plan.detour_factor


def coverage_layer(
    plan: Plan, status: pd.Series, minutes: float, lang: str, open_venues: pd.Series | None = None
) -> folium.FeatureGroup:
    """Settlements coloured covered / possibly / not, and reach circles of ``open_venues``.

    ``open_venues``: a boolean per plan venue (default: every venue); hypothetical venues
    are drawn dashed.
    """
    group = folium.FeatureGroup(name="coverage")
    radius = reach_metres(plan, minutes)
    shown = plan.venues if open_venues is None else plan.venues[open_venues.to_numpy()]
    for venue in shown.to_dict("records"):
        folium.Circle(
            [venue["lat"], venue["lon"]],
            radius=radius,
            weight=1,
            color="#0077BB",
            fill=True,
            fill_opacity=0.06,
            dash_array="6" if venue["hypothetical"] else None,
            tooltip=escape(venue["name"]),
        ).add_to(group)
    for place in plan.settlements.to_dict("records"):
        state = str(status[place["id"]])
        label = f"{place['name']}: {t(STATUS_KEYS[state], lang)}"
        folium.CircleMarker(
            [place["lat"], place["lon"]],
            radius=9,
            color="#000",
            weight=1,
            fill=True,
            fill_color=STATUS_COLOURS[state],
            fill_opacity=0.9,
            tooltip=escape(label),
        ).add_to(group)
    return group
