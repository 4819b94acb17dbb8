"""The folium elements of the venue map: one small class per Leaflet concept.

- :class:`VenueMap`: the Leaflet map, loading only our vendored Leaflet (no jQuery,
  Bootstrap, awesome-markers or CDN that folium's stock ``Map`` links).
- :class:`VenueRuntime`: ``templates/venue_map.js``, the machinery drawing payloads
  (markers, clusters, layer control, legend, cards), the same for every view.
- :class:`VenueLayers`: all venues of one view as one payload, sent to the runtime.
- :class:`Verbatim`: text added to the page as it is.

Why ``Verbatim``: branca's ``MacroElement.render`` wraps each rendered macro in
``Element(text)``, which compiles the *rendered text* as a Jinja template again; a
venue named ``{{ 7*7 }}`` in a folium ``Popup`` shows "49" (server-side template
injection). Our elements add their output verbatim instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin
from folium.template import Template

from mapping.render.inline import inline_asset, is_inline
from mapping.render.payload import ASSET_BASE, MapPayload, embed_json
from mapping.text import escape

MAX_ZOOM = 19
"""Highest zoom of the map (markercluster needs one)."""
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""``mapping/templates``: the venue script and stylesheet."""


@cache
def template(name: str) -> str:
    """The text of a file in :data:`TEMPLATES` (read once)."""
    return (TEMPLATES / name).read_text(encoding="utf-8").strip()


def _figure(element: Element) -> Figure:
    """The page an element renders into; folium renders nothing outside a ``Figure``."""
    root = element.get_root()
    if not isinstance(root, Figure):
        msg = f"{type(element).__name__} must be inside a Figure to render, not {root!r}"
        raise TypeError(msg)
    return root


def _link_assets(figure: Figure, element: JSCSSMixin) -> None:
    """Add an element's vendored scripts and stylesheets to the page header: linked, or
    written into the page when the asset base is :data:`mapping.render.inline.INLINE`."""
    for name, url in [*element.default_js, *element.default_css]:
        if is_inline(url):
            figure.header.add_child(Verbatim(inline_asset(url)), name=name)
        elif url.endswith(".js"):
            figure.header.add_child(JavascriptLink(url), name=name)
        else:
            figure.header.add_child(CssLink(url), name=name)


class Verbatim(Element):
    """Text added to the page as it is: never compiled as a Jinja template.

    Parameters
    ----------
    text
        The HTML, CSS or JavaScript to add, already safe for where it goes.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        """The text itself."""
        return self._text


class VenueMap(folium.Map):
    """A folium ``Map`` that loads only our vendored Leaflet: no jQuery, Bootstrap or CDN.

    No tile layer or scale of its own (:class:`VenueRuntime` adds the town's tiles and a
    metric scale), and the maximum zoom markercluster needs.

    Parameters
    ----------
    location
        ``(lat, lon)`` of the initial centre.
    zoom_start
        The initial zoom.
    asset_base
        URL folder of the vendored files (``static/vendor`` as the app serves it).
    title
        The page title (escaped here).
    """

    def __init__(
        self,
        location: Sequence[float],
        zoom_start: int,
        *,
        asset_base: str = ASSET_BASE,
        title: str = "",
    ) -> None:
        super().__init__(location=location, zoom_start=zoom_start, tiles=None, control_scale=False)
        self.options["max_zoom"] = MAX_ZOOM
        base = asset_base.rstrip("/")
        # Instance attributes: folium's render and streamlit-folium's link collection
        # both read ``default_js`` / ``default_css`` from the element.
        self.default_js = [("leaflet", f"{base}/leaflet/leaflet.js")]
        self.default_css = [("leaflet_css", f"{base}/leaflet/leaflet.css")]
        if title:
            _figure(self).title = escape(title)

    def render(self, **kwargs: object) -> str:
        """As folium's, but the rendered macros are added verbatim, not re-compiled.

        Like every macro element, the map renders *into* its figure's header, body and
        script; the return value (``""``) is not part of the page.
        """
        figure = _figure(self)
        _link_assets(figure, self)
        macros = self._template.module
        for part, target in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            target.add_child(Verbatim(getattr(macros, part)(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


class VenueRuntime(JSCSSMixin):
    """The venue map's machinery, once per mounted map: ``templates/venue_map.js``.

    Adds markercluster and Font Awesome (vendored) and the venue stylesheet to the
    header, and to the script ``venue_map.js`` called with the parent map and the base
    options (tiles, attribution, image folder). It draws nothing until a payload comes
    (:class:`VenueLayers`), so its text is the same for every view of a town: a page
    keeps the map mounted and sends only payloads.

    Parameters
    ----------
    tiles, attribution
        The town's tile URL template and attribution (``city.toml``).
    asset_base
        URL folder of the vendored files.
    """

    # streamlit-folium reads the ``script`` macro directly (``_template.module.script``).
    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.header_html() }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script_js() }}{% endmacro %}"
    )

    def __init__(self, tiles: str, attribution: str, asset_base: str = ASSET_BASE) -> None:
        super().__init__()
        self._name = "VenueRuntime"
        base = asset_base.rstrip("/")
        # Every marker is an L.divIcon: an inlined page needs no image folder.
        img = "" if is_inline(base) else f"{base}/leaflet/images/"
        self._base = embed_json({"tiles": tiles, "attr": attribution, "img": img})
        self.default_js = [
            ("markercluster", f"{base}/leaflet.markercluster/leaflet.markercluster.js"),
        ]
        self.default_css = [
            ("markercluster_css", f"{base}/leaflet.markercluster/MarkerCluster.css"),
            ("fontawesome_css", f"{base}/fontawesome-free/css/fontawesome.min.css"),
            ("fontawesome_solid_css", f"{base}/fontawesome-free/css/solid.min.css"),
        ]

    def header_html(self) -> str:
        """The venue stylesheet, inline."""
        return f"<style>{template('venue_map.css')}</style>"

    def script_js(self) -> str:
        """``venue_map.js`` applied to the parent map and the base options."""
        # The parent's name is read now: streamlit-folium renames the map before rendering.
        if self._parent is None:
            msg = "VenueRuntime must be added to a map before it is rendered"
            raise ValueError(msg)
        return f"{template('venue_map.js')}({self._parent.get_name()}, {self._base});"

    def render(self, **kwargs: object) -> str:
        """Add the links, stylesheet and script to the figure, verbatim; returns ``""``."""
        figure = _figure(self)
        _link_assets(figure, self)
        figure.header.add_child(Verbatim(self.header_html()), name=self.get_name())
        figure.script.add_child(Verbatim(self.script_js()), name=self.get_name())
        return ""


class VenueLayers(folium.FeatureGroup):
    """All venues of one view as one payload, handed to the map's :class:`VenueRuntime`.

    A ``FeatureGroup`` so streamlit-folium can send it to a mounted map as a dynamic
    layer (``feature_group_to_add``): its script defines the empty group that
    streamlit-folium adds and removes, and calls ``kcmVenueMap.update`` with the
    payload. In a standalone page (:func:`mapping.render.map_html`) it is a child of the
    map and its script runs right after the runtime's.

    Parameters
    ----------
    payload
        The built payload (:func:`mapping.render.build_payload`); its ``bounds`` are
        the layer's bounds.
    """

    _template = Template(
        "{% macro header(this, kwargs) %}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script_js() }}{% endmacro %}"
    )

    def __init__(self, payload: MapPayload) -> None:
        super().__init__(control=False)
        self._payload = payload

    @property
    def payload(self) -> str:
        """The embedded JSON document (for tests and debugging)."""
        return self._payload.json

    def script_js(self) -> str:
        """The (empty) group streamlit-folium manages, and the payload for the runtime."""
        return (
            f"var {self.get_name()} = L.featureGroup();\n"
            f"window.kcmVenueMap.update({self._payload.json});"
        )

    def render(self, **kwargs: object) -> str:
        """Add the script to the figure, verbatim; returns ``""``."""
        _figure(self).script.add_child(Verbatim(self.script_js()), name=self.get_name())
        return ""

    def _get_self_bounds(self) -> list[list[float | None]]:
        """The venues' bounds, for folium's ``fit_bounds`` and ``get_bounds``."""
        if self._payload.bounds is None:
            return [[None, None], [None, None]]
        (south, west), (north, east) = self._payload.bounds
        return [[south, west], [north, east]]
