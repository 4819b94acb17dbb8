"""The coverage map: settlements by coverage and the ground open venues reach on foot.

One layer (:class:`CoverageLayer`, built by :func:`coverage_layer`) for both places that
draw it: the Planning page sends it to a mounted :func:`mapping.render.base_map`
(streamlit-folium's ``feature_group_to_add``), so the base map with its vendored
Leaflet stays mounted while the planner changes months or minutes; the printable report
adds it to :func:`report_map`, the same base map with every asset inlined
(:mod:`mapping.render.inline`).

- **The walk model's reach.** What a venue reaches in N minutes is what the plan's walk
  model says (:meth:`mapping.distance.WalkModel.reach_area`): a circle for the straight
  line, a polygon for a model that does not walk the same in every direction.
- **Data is a value, never source.** Like the venue layers, the layer is one JSON
  document (:func:`mapping.render.embed_json`) read by a few lines of script, added to
  the page verbatim (:class:`mapping.render.Verbatim`): a name like ``{{ 7*7 }}`` is
  never evaluated as a template, and tooltip text passes through
  :func:`mapping.text.escape` (Leaflet shows tooltips as HTML).
"""

from __future__ import annotations

import folium
import pandas as pd
from branca.element import Figure
from folium.template import Template

from mapping.coverage import Plan
from mapping.distance import ReachArea, ReachCircle
from mapping.i18n import t
from mapping.render.build import base_map
from mapping.render.elements import Verbatim
from mapping.render.inline import INLINE
from mapping.render.payload import embed_json
from mapping.settings import CityProfile
from mapping.text import escape

STATUS_COLOURS = {"covered": "#117733", "possible": "#DDAA33", "not": "#CC3311"}
"""Settlement fill by coverage status (colour-blind safe, Paul Tol's palette)."""
STATUS_KEYS = {
    "covered": "planning.status.covered",
    "possible": "planning.status.possible",
    "not": "planning.status.not",
}
"""The catalogue key naming each status."""
REACH_COLOUR = "#0077BB"
REPORT_MAX_ZOOM = 15
"""The report's map never zooms in further to fit its settlements (a town of one)."""

_DRAW = """(function (g, d) {
  d.reach.forEach(function (a) {
    var s = {color: d.colour, weight: 1, fillOpacity: 0.06, dashArray: a.h ? "6" : null};
    var shape = a.p ? L.polygon(a.p, s) : L.circle(a.c, Object.assign({radius: a.r}, s));
    shape.bindTooltip(a.t).addTo(g);
  });
  d.places.forEach(function (p) {
    L.circleMarker(p.c, {radius: 9, color: "#000", weight: 1, fillColor: p.f,
                         fillOpacity: 0.9}).bindTooltip(p.t).addTo(g);
  });
})"""
"""Draws the layer's document into its feature group (keys: see :func:`coverage_layer`)."""


class CoverageLayer(folium.FeatureGroup):
    """The coverage map's shapes as one JSON document, drawn into a feature group.

    A ``FeatureGroup`` so streamlit-folium can send it to a mounted map
    (``feature_group_to_add``); in a standalone page it adds itself to its parent map.

    Parameters
    ----------
    document
        ``{"colour", "reach": [...], "places": [...]}`` (see :func:`coverage_layer`).
    """

    _template = Template(
        "{% macro header(this, kwargs) %}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script_js() }}{% endmacro %}"
    )

    def __init__(self, document: dict[str, object]) -> None:
        super().__init__(name="coverage", control=False)
        self._document = embed_json(document)

    def script_js(self) -> str:
        """The group, drawn from the document, and added to its map when it has one."""
        name = self.get_name()
        script = f"var {name} = L.featureGroup();\n{_DRAW}({name}, {self._document});"
        if isinstance(self._parent, folium.Map):
            script += f"\n{name}.addTo({self._parent.get_name()});"
        return script

    def render(self, **kwargs: object) -> str:
        """Add the script to the page verbatim (never re-read as a template); returns ``""``."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "CoverageLayer must be inside a Figure to render"
            raise TypeError(msg)
        figure.script.add_child(Verbatim(self.script_js()), name=self.get_name())
        return ""


def coverage_layer(
    plan: Plan, status: pd.Series, minutes: float, lang: str, open_venues: pd.Series | None = None
) -> CoverageLayer:
    """Settlements coloured covered / possibly / not, and the reach of ``open_venues``.

    ``open_venues``: a boolean per plan venue (default: every venue); hypothetical venues
    are drawn dashed. Each reach is ``{"c": [lat, lon], "r": metres}`` (a circle) or
    ``{"p": [[lat, lon], …]}`` (a polygon), with ``h`` (hypothetical) and ``t`` (the
    escaped tooltip); each settlement ``{"c", "f": fill colour, "t"}``.
    """
    shown = plan.venues if open_venues is None else plan.venues[open_venues.to_numpy()]
    reach = [
        {
            **_shape(plan.walk.reach_area((float(v["lat"]), float(v["lon"])), minutes)),
            "h": bool(v["hypothetical"]),
            "t": escape(v["name"]),
        }
        for v in shown.to_dict("records")
    ]
    places = []
    for place in plan.settlements.to_dict("records"):
        state = str(status[place["id"]])
        places.append(
            {
                "c": [float(place["lat"]), float(place["lon"])],
                "f": STATUS_COLOURS[state],
                "t": escape(f"{place['name']}: {t(STATUS_KEYS[state], lang)}"),
            }
        )
    return CoverageLayer({"colour": REACH_COLOUR, "reach": reach, "places": places})


def _shape(area: ReachArea) -> dict[str, object]:
    if isinstance(area, ReachCircle):
        return {"c": list(area.centre), "r": area.radius_m}
    return {"p": [list(corner) for corner in area.ring]}


def report_map(city: CityProfile, layer: CoverageLayer, plan: Plan) -> folium.Map:
    """The town's base map with every asset inlined and ``layer`` on it, fitted to the
    settlements: the printable report's map (only the tiles need the network)."""
    fmap = base_map(city, asset_base=INLINE)
    layer.add_to(fmap)
    places = plan.settlements
    if len(places):
        fmap.fit_bounds(
            [
                [float(places["lat"].min()), float(places["lon"].min())],
                [float(places["lat"].max()), float(places["lon"].max())],
            ],
            padding=(20, 20),
            max_zoom=REPORT_MAX_ZOOM,
        )
    return fmap
