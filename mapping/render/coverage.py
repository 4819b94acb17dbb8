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
- **Readable without the page around it.** Every settlement carries its name as a
  permanent label, the map has its own legend (:func:`legend_html`: covered, possibly,
  not covered, the reach, proposed venues) in the reader's language, and both maps open
  on all the settlements of the analysis (:func:`fit_settlements`), not on the town's
  default view. No asset is added: the legend is HTML with inline styles.
"""

from __future__ import annotations

import folium
import pandas as pd
from branca.element import Figure
from folium.template import Template

from mapping.coverage import Plan
from mapping.distance import ReachArea, ReachCircle
from mapping.i18n import localized, t
from mapping.planning_columns import STATUS_KEYS
from mapping.render.build import base_map
from mapping.render.elements import Verbatim
from mapping.render.inline import INLINE
from mapping.render.payload import ASSET_BASE, embed_json
from mapping.settings import CityProfile
from mapping.text import escape

STATUS_COLOURS = {"covered": "#117733", "possible": "#DDAA33", "not": "#CC3311"}
"""Settlement fill by coverage status (colour-blind safe, Paul Tol's palette)."""
REACH_COLOUR = "#0077BB"
REPORT_MAX_ZOOM = 15
"""The report's map never zooms in further to fit its settlements (a town of one)."""
LABEL_ROOM = 110
"""Pixels kept free right of the easternmost settlement when fitting: its name is drawn
to the right of its point and was cut off at the map's edge."""
LEGEND_ROOM = 340
LABEL_MARGIN = 40
"""Pixels kept free above and below the settlements: a name beside the top or bottom one
(centred on its point, one or two lines) stays inside the map."""
"""The page's map keeps this much free on the right instead: its legend sits in the
bottom-right corner (up to 320 px wide) and covered the southern settlements. The
report prints its legend below the map and keeps :data:`LABEL_ROOM` only."""
REPORT_ZOOM_SNAP = 0.25
"""The report's map fits its settlements in quarter zoom steps: whole steps left half of
the printed map empty."""

_DRAW = """(function (g, d) {
  d.reach.forEach(function (a) {
    var s = {color: d.colour, weight: 1, fillOpacity: 0.06, dashArray: a.h ? "6" : null};
    var shape = a.p ? L.polygon(a.p, s) : L.circle(a.c, Object.assign({radius: a.r}, s));
    shape.bindTooltip(a.t).addTo(g);
    if (a.h) {
      L.circleMarker(a.at, {radius: 6, color: d.colour, weight: 3, fillColor: "#fff",
                            fillOpacity: 1}).bindTooltip(a.t).addTo(g);
    }
  });
  d.places.forEach(function (p) {
    L.circleMarker(p.c, {radius: 9, color: "#000", weight: 1, fillColor: p.f,
                         fillOpacity: 0.9}).bindTooltip(p.t).addTo(g);
    L.tooltip(p.c, {content: p.n, permanent: true, direction: "right", offset: [10, 0],
                    interactive: false, className: "settlement-name"}).addTo(g);
  });
  if (!document.getElementById("coverage-style")) {
    var style = document.createElement("style");
    style.id = "coverage-style";
    style.textContent = d.style;
    document.head.appendChild(style);
  }
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "coverage-legend");
    div.innerHTML = d.legend;
    return div;
  };
  g.on("add", function () { legend.addTo(g._map); });
  g.on("remove", function () { legend.remove(); });
})"""
"""Draws the layer's document into its feature group (keys: see :func:`coverage_layer`);
the legend is on the map while the group is."""

LEGEND_BOX = (
    "background:#fff;padding:6px 8px;border:1px solid #999;border-radius:4px;"
    "font:12px/1.5 system-ui,sans-serif;color:#222;max-width:320px"
)
LABEL_STYLE = (
    ".leaflet-tooltip.settlement-name{padding:0 3px;font:11px/1.3 system-ui,sans-serif;"
    "background:rgba(255,255,255,.8);border:0;border-radius:2px;box-shadow:none;color:#111}"
    ".leaflet-tooltip.settlement-name:before{display:none}"
)
"""The settlement names: small, light labels, so that names close together stay legible."""
SWATCH = "display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-2px;"


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
    """Settlements coloured covered / possibly / not, named, and the reach of ``open_venues``.

    ``open_venues``: a boolean per plan venue (default: every venue); hypothetical venues
    are drawn dashed, with a ring at their point. Each reach is ``{"c": [lat, lon], "r":
    metres}`` (a circle) or ``{"p": [[lat, lon], …]}`` (a polygon), with ``h``
    (hypothetical), ``at`` (the venue's point) and ``t`` (the escaped tooltip); each
    settlement ``{"c", "f": fill colour, "n": its escaped name, "t": name and status}``;
    ``legend`` is :func:`legend_html`, ``style`` the labels' :data:`LABEL_STYLE`.
    """
    shown = plan.venues if open_venues is None else plan.venues[open_venues.to_numpy()]
    reach = [
        {
            **_shape(plan.walk.reach_area((float(v["lat"]), float(v["lon"])), minutes)),
            "h": bool(v["hypothetical"]),
            "at": [float(v["lat"]), float(v["lon"])],
            "t": escape(v["name"]),
        }
        for v in shown.to_dict("records")
    ]
    places = []
    for place in plan.settlements.to_dict("records"):
        state = str(status[place["id"]])
        name = localized(place, "name", lang, ())
        places.append(
            {
                "c": [float(place["lat"]), float(place["lon"])],
                "f": STATUS_COLOURS[state],
                "n": escape(name),
                "t": escape(f"{name}: {t(STATUS_KEYS[state], lang)}"),
            }
        )
    proposed = bool(shown["hypothetical"].any()) if len(shown) else False
    document: dict[str, object] = {
        "colour": REACH_COLOUR,
        "reach": reach,
        "places": places,
        "legend": legend_html(lang, proposed=proposed),
        "style": LABEL_STYLE,
    }
    return CoverageLayer(document)


def legend_html(lang: str, *, proposed: bool = False) -> str:
    """The map's legend in ``lang``: the three statuses, an open venue's reach and, when
    ``proposed``, a proposed venue and its reach. Every text through :func:`escape`."""

    def row(swatch: str, key: str) -> str:
        return f'<div><span style="{SWATCH}{swatch}"></span>{escape(t(key, lang))}</div>'

    rows = [f"<b>{escape(t('planning.legend.title', lang))}</b>"]
    rows += [
        row(f"border-radius:50%;border:1px solid #000;background:{STATUS_COLOURS[s]}", key)
        for s, key in STATUS_KEYS.items()
    ]
    rows.append(row(f"border-radius:50%;border:1px solid {REACH_COLOUR}", "planning.legend.reach"))
    if proposed:
        rows.append(
            row(f"border-radius:50%;border:3px solid {REACH_COLOUR}", "planning.legend.proposed")
        )
        rows.append(
            row(
                f"border-radius:50%;border:1px dashed {REACH_COLOUR}",
                "planning.legend.reach_proposed",
            )
        )
    return f'<div style="{LEGEND_BOX}">{"".join(rows)}</div>'


def _shape(area: ReachArea) -> dict[str, object]:
    if isinstance(area, ReachCircle):
        return {"c": list(area.centre), "r": area.radius_m}
    return {"p": [list(corner) for corner in area.ring]}


def _settlement_bounds(plan: Plan) -> list[list[float]] | None:
    places = plan.settlements
    if not len(places):
        return None
    return [
        [float(places["lat"].min()), float(places["lon"].min())],
        [float(places["lat"].max()), float(places["lon"].max())],
    ]


_REFIT = """(function (map, fit) {
  var size = map.getSize();
  if (size.x > 0 && size.y > 0) { return; }
  var box = map.getContainer();
  var watch = new ResizeObserver(function () {
    if (box.clientWidth > 0 && box.clientHeight > 0) {
      watch.disconnect();
      map.invalidateSize();
      map.fitBounds(fit.bounds, fit.options);
    }
  });
  watch.observe(box);
})"""
"""Fits the map again once its box has a size: a map drawn in a frame not yet laid out
(the page's streamlit-folium iframe) is 0 × 0 px when ``fitBounds`` first runs, which
then picks the highest zoom and showed an empty corner of the bay. Leaflet does not
notice the box growing unless the window resizes, hence the ``ResizeObserver``."""


class RefitWhenSized(folium.MacroElement):
    """:data:`_REFIT` for its parent map, with the bounds and options as JSON data."""

    _template = Template(
        "{% macro header(this, kwargs) %}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script_js() }}{% endmacro %}"
    )

    def __init__(self, bounds: list[list[float]], options: dict[str, object]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "RefitWhenSized"
        self._document = embed_json({"bounds": bounds, "options": options})

    def script_js(self) -> str:
        """The refit for the parent map (numbers only: nothing to escape)."""
        if self._parent is None:
            msg = "RefitWhenSized must be added to a map"
            raise TypeError(msg)
        return f"{_REFIT}({self._parent.get_name()}, {self._document});"

    def render(self, **kwargs: object) -> str:
        """Add the script to the page verbatim (never re-read as a template); returns ``""``."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "RefitWhenSized must be inside a Figure to render"
            raise TypeError(msg)
        figure.script.add_child(Verbatim(self.script_js()), name=self.get_name())
        return ""


def fit_settlements(fmap: folium.Map, plan: Plan, right: int = LABEL_ROOM) -> folium.Map:
    """Open ``fmap`` on every settlement of the analysis, not the town's default view
    (a town of one settlement: no closer than :data:`REPORT_MAX_ZOOM`), ``right`` pixels
    kept free for names (and legend); again once the map has a size if it had none
    (:data:`_REFIT`)."""
    bounds = _settlement_bounds(plan)
    if bounds is not None:
        top_left, bottom_right = (20, LABEL_MARGIN), (right, LABEL_MARGIN)
        fmap.fit_bounds(
            bounds,
            padding_top_left=top_left,
            padding_bottom_right=bottom_right,
            max_zoom=REPORT_MAX_ZOOM,
        )
        options: dict[str, object] = {
            "paddingTopLeft": top_left,
            "paddingBottomRight": bottom_right,
            "maxZoom": REPORT_MAX_ZOOM,
        }
        RefitWhenSized(bounds, options).add_to(fmap)
    return fmap


def coverage_map(city: CityProfile, plan: Plan, *, asset_base: str = ASSET_BASE) -> folium.Map:
    """The Planning page's base map, opening on all the settlements: mount it once with
    streamlit-folium and send :func:`coverage_layer` as ``feature_group_to_add``.
    ``asset_base`` is where the browser finds Leaflet (a town served under a path)."""
    return fit_settlements(base_map(city, asset_base=asset_base), plan, LEGEND_ROOM)


def report_map(city: CityProfile, layer: CoverageLayer, plan: Plan) -> folium.Map:
    """The town's base map with every asset inlined and ``layer`` on it, fitted to the
    settlements: the printable report's map (only the tiles need the network)."""
    fmap = base_map(city, asset_base=INLINE)
    fmap.options["zoom_snap"] = REPORT_ZOOM_SNAP
    layer.add_to(fmap)
    return fit_settlements(fmap, plan)
